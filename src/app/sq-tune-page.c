/* sq-tune-page.c: the parameter groups, the tuning controls and the plots of one analysis
 *
 * The sidebar lists the network's groups under their role's section, the controls are the
 * options of its kind (sq-option-control.c), and, for a kind with layer options, a row of the
 * selected group's layer's own values of them with the formats they give
 * (sq_network_result_layer_summary): nothing here knows a kind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-busy.h"
#include "sq-chart.h"
#include "sq-figures.h"
#include "sq-format.h"
#include "sq-option-control.h"
#include "sq-plots.h"
#include "sq-tune-page.h"

struct _SqTunePage
{
  GtkWidget       parent_instance;

  SqAnalysis     *analysis;
  GSignalGroup   *analysis_signals;

  AdwLeaflet     *leaflet;
  GtkListBox     *group_list;
  GtkWidget      *content;
  GtkWidget      *sidebar_button;
  GtkBox         *controls;
  GPtrArray      *option_controls;   /* SqOptionControl, in the kind's order */
  const SqNetworkKind *controls_kind;
  GtkWidget      *layer_row;
  GtkLabel       *layer_title;
  GtkBox         *layer_controls;
  GtkLabel       *layer_formats;
  GPtrArray      *layer_option_controls;   /* SqOptionControl, for layer_controls_layer */
  guint           layer_controls_layer;
  const SqNetworkKind *layer_controls_kind;
  GtkToggleButton *log_toggle;
  GtkToggleButton *zeros_toggle;
  GtkSpinner     *busy_spinner;
  SqFigures      *figures;
  SqChart        *value_chart;
  SqChart        *error_chart;
  SqChart        *neuron_chart;
  GtkListBox     *diagnostics_list;

  gboolean        filling_groups;
};

G_DEFINE_FINAL_TYPE (SqTunePage, sq_tune_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ANALYSIS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------- */
/* The sidebar                                                                               */

/* Groups this small show their values instead of their range ("1, −1"). */
#define FEW_VALUES 4

static char *
format_values (const SqTensor *t)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < t->n; i++)
    {
      g_autofree char *v = sq_format_number (t->data[i]);

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, v);
    }
  return g_string_free (out, FALSE);
}

static gboolean
sections_by_layer (const SqNetworkKind *kind)
{
  return kind->view != NULL && kind->view->sections_by_layer;
}

static GtkWidget *
group_row_new (const SqNetwork *network,
               guint            index)
{
  const SqGroup *g = sq_network_get_group (network, index);
  const SqStats *st = sq_network_group_stats (network, index);
  const SqTensor *t = g->values;
  gboolean by_layer = sections_by_layer (network->kind);
  g_autofree char *shape = sq_tensor_shape_string (t);
  g_autofree char *range = t->n > 0 && t->n <= FEW_VALUES ? format_values (t)
                                                         : sq_format_range (st->min, st->max);
  g_autofree char *details = NULL;
  GtkWidget *row, *box, *title, *subtitle;

  /* Translators: shape, value range and count of a parameter: "(16, 1000, 2) · −0.5 … 0.5 ·
   * 32000 values" */
  details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s · %zu"
                                          " value", "%s · %s · %zu values",
                                          t->n),
                             shape, range, t->n);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  /* Under its layer's title a group is its role; under its role's, its own label. */
  title = gtk_label_new (by_layer ? sq_role_label (network->kind, g->role) : sq_label (g->label));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  subtitle = gtk_label_new (details);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "sq-group", GUINT_TO_POINTER (index));
  g_object_set_data_full (G_OBJECT (row), "sq-section",
                          g_strdup (by_layer
                                    ? sq_label (sq_network_get_layer (network, g->layer)->label)
                                    : sq_role_label (network->kind, g->role)), g_free);
  gtk_widget_set_tooltip_text (row, g->id);
  return row;
}

static void
group_header (GtkListBoxRow *row,
              GtkListBoxRow *before,
              gpointer       user_data)
{
  const char *section = g_object_get_data (G_OBJECT (row), "sq-section");
  GtkWidget *header;

  if (before != NULL && g_strcmp0 (section, g_object_get_data (G_OBJECT (before),
                                                               "sq-section")) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (section);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before ? 12 : 6);
  gtk_widget_set_margin_bottom (header, 3);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static void
select_group_row (SqTunePage *self,
                  guint       group)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->group_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) &&
        GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sq-group")) == group)
      {
        gtk_list_box_select_row (self->group_list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

/* A folded page (a narrow window) shows the plots first, the groups a click away. Unfolded,
 * the sidebar is the visible child again: an unfolded leaflet whose visible child is the
 * plots walks Tab through every row of the sidebar, selecting each. */
static void
show_plots_if_folded (SqTunePage *self)
{
  SqDocument *doc = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;

  if (!adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet,
                                   gtk_widget_get_ancestor (GTK_WIDGET (self->group_list),
                                                            GTK_TYPE_SCROLLED_WINDOW));
  else if (doc != NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
fill_groups (SqTunePage *self)
{
  SqDocument *doc = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;
  GtkWidget *child;

  self->filling_groups = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->group_list))) != NULL)
    gtk_list_box_remove (self->group_list, child);

  if (doc != NULL)
    {
      const SqNetwork *network = sq_document_get_network (doc);

      /* In the kind's display order, so a role's groups follow each other. */
      for (guint i = 0; i < sq_network_n_groups (network); i++)
        gtk_list_box_append (self->group_list, group_row_new (network, i));
      select_group_row (self, sq_analysis_get_group (self->analysis));
      show_plots_if_folded (self);
    }
  self->filling_groups = FALSE;
}

static void
group_selected (SqTunePage    *self,
                GtkListBoxRow *row)
{
  if (self->filling_groups || row == NULL || self->analysis == NULL)
    return;
  sq_analysis_set_group (self->analysis,
                         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sq-group")));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* In a narrow window the sidebar is folded away behind the plots; this button brings it. */
static void
show_sidebar (SqTunePage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ---------------------------------------------------------------------------------------- */
/* The options of the kind                                                                   */

static void
clear_controls (SqTunePage *self)
{
  for (guint i = 0; i < self->option_controls->len; i++)
    gtk_box_remove (self->controls, g_ptr_array_index (self->option_controls, i));
  g_ptr_array_set_size (self->option_controls, 0);
  self->controls_kind = NULL;
}

/* One control per option, before the count-axis toggle; rebuilt when the kind changes. */
static void
fill_controls (SqTunePage *self)
{
  const SqNetworkKind *kind = self->analysis ? sq_analysis_get_kind (self->analysis) : NULL;
  GtkWidget *before = NULL;

  if (kind == self->controls_kind)
    return;
  clear_controls (self);
  self->controls_kind = kind;
  for (guint i = 0; kind != NULL && i < kind->n_options; i++)
    {
      GtkWidget *control = sq_option_control_new (self->analysis, &kind->options[i], FALSE);

      gtk_box_insert_child_after (self->controls, control, before);
      g_ptr_array_add (self->option_controls, control);
      before = control;
    }
}

/* The selected group's layer, or NO_LAYER without a document. */
#define NO_LAYER G_MAXUINT

static guint
selected_layer (SqTunePage *self)
{
  SqDocument *doc = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;
  const SqNetwork *network = doc ? sq_document_get_network (doc) : NULL;
  guint group = self->analysis ? sq_analysis_get_group (self->analysis) : 0;

  if (network == NULL || network->kind != sq_analysis_get_kind (self->analysis) ||
      group >= sq_network_n_groups (network))
    return NO_LAYER;
  return sq_network_get_group (network, group)->layer;
}

static void
clear_layer_controls (SqTunePage *self)
{
  for (guint i = 0; i < self->layer_option_controls->len; i++)
    gtk_box_remove (self->layer_controls, g_ptr_array_index (self->layer_option_controls, i));
  g_ptr_array_set_size (self->layer_option_controls, 0);
  self->layer_controls_layer = NO_LAYER;
  self->layer_controls_kind = NULL;
}

/* The formats the selected layer's settings give, from the analysis's result. */
static void
show_layer_formats (SqTunePage             *self,
                    const SqAnalysisResult *r)
{
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;

  if (r != NULL && self->layer_controls_layer != NO_LAYER &&
      r->quant->network->kind == self->layer_controls_kind &&
      self->layer_controls_layer < sq_network_n_layers (r->quant->network))
    summary = sq_network_result_layer_summary (r->quant, self->layer_controls_layer);
  /* Translators: a layer's types and formats follow: "Formats: int8, int16 accumulator: …" */
  text = summary ? g_strdup_printf (_("Formats: %s"), summary) : NULL;
  gtk_label_set_text (self->layer_formats, text ? text : "");
}

/* One control per layer option of the selected group's layer; rebuilt when the layer or the
 * kind changes. */
static void
fill_layer_controls (SqTunePage *self)
{
  const SqNetworkKind *kind = self->analysis ? sq_analysis_get_kind (self->analysis) : NULL;
  guint layer = selected_layer (self);
  SqDocument *doc;
  g_autofree char *title = NULL;

  if (kind == self->layer_controls_kind && layer == self->layer_controls_layer)
    return;
  clear_layer_controls (self);
  if (kind == NULL || kind->n_layer_options == 0 || layer == NO_LAYER)
    {
      gtk_widget_set_visible (self->layer_row, FALSE);
      return;
    }
  doc = sq_analysis_get_document (self->analysis);
  self->layer_controls_kind = kind;
  self->layer_controls_layer = layer;
  for (guint i = 0; i < kind->n_layer_options; i++)
    {
      GtkWidget *control = sq_option_control_new_for_layer (self->analysis,
                                                            &kind->layer_options[i], layer);

      gtk_box_append (self->layer_controls, control);
      g_ptr_array_add (self->layer_option_controls, control);
    }
  /* Translators: the title of a layer's own settings: "Settings of Layer 1 only" */
  title = g_strdup_printf (_("Settings of %s only"),
                           sq_label (sq_network_get_layer (sq_document_get_network (doc),
                                                           layer)->label));
  gtk_label_set_text (self->layer_title, title);
  gtk_widget_set_visible (self->layer_row, TRUE);
  show_layer_formats (self, sq_analysis_get_result (self->analysis));
}

static void
settings_changed (SqTunePage *self)
{
  fill_controls (self);
  fill_layer_controls (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                   */

static GtkWidget *
diagnostic_row_new (const char *message)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message);
  return row;
}

static gboolean
row_says (GtkWidget  *row,
          const char *message)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), message) == 0;
}

/* A row keeps its text from one result to the next: a row of wrapped text whose text
 * changes is measured from scratch, at every width its list is asked about, and rebuilding
 * or retitling them on every bit-width change made the whole page's layout start over.
 * So a row whose message is still there stays as it is (the ones before it that are not
 * are removed), and only a message no row has makes a new one. */
static void
show_diagnostics (SqTunePage             *self,
                  const SqAnalysisResult *r)
{
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->diagnostics_list));
  guint n = r != NULL ? r->quant->diagnostics->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (r->quant->diagnostics, i);
      GtkWidget *same = row;

      while (same != NULL && !row_says (same, d->message))
        same = gtk_widget_get_next_sibling (same);
      if (same == NULL)
        {
          gtk_list_box_insert (self->diagnostics_list, diagnostic_row_new (d->message),
                               (int) i);
          continue;
        }
      while (row != same)
        {
          GtkWidget *next = gtk_widget_get_next_sibling (row);

          gtk_list_box_remove (self->diagnostics_list, row);
          row = next;
        }
      row = gtk_widget_get_next_sibling (same);
    }
  while (row != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      gtk_list_box_remove (self->diagnostics_list, row);
      row = next;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->diagnostics_list), n > 0);
}

static void
analysis_updated (SqTunePage *self,
                  SqAnalysis *analysis)
{
  const SqAnalysisResult *r = sq_analysis_get_result (analysis);
  const GError *error = sq_analysis_get_error (analysis);

  sq_figures_set_result (self->figures, r);
  sq_plots_show_values (self->value_chart, r);
  sq_plots_show_errors (self->error_chart, r);
  sq_plots_show_neurons (self->neuron_chart, r);
  sq_chart_set_placeholder (self->value_chart, error ? error->message : _("No data"));
  show_diagnostics (self, r);
  show_layer_formats (self, r);
}

static void
busy_changed (SqTunePage *self)
{
  sq_busy_spinner_set (self->busy_spinner,
                       self->analysis != NULL && sq_analysis_get_busy (self->analysis));
}

static void
document_changed (SqTunePage *self)
{
  fill_groups (self);
  /* Another network's layer of the same index is another layer. */
  clear_layer_controls (self);
  fill_layer_controls (self);
}

/* The sidebar follows the analysis, without navigating as a click does. */
static void
group_changed (SqTunePage *self)
{
  if (self->analysis == NULL || self->filling_groups)
    return;
  self->filling_groups = TRUE;
  select_group_row (self, sq_analysis_get_group (self->analysis));
  self->filling_groups = FALSE;
  fill_layer_controls (self);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_tune_page_dispose (GObject *object)
{
  SqTunePage *self = SQ_TUNE_PAGE (object);

  if (self->analysis_signals)
    g_signal_group_set_target (self->analysis_signals, NULL);
  g_clear_object (&self->analysis_signals);
  if (self->option_controls != NULL)
    clear_controls (self);
  g_clear_pointer (&self->option_controls, g_ptr_array_unref);
  if (self->layer_option_controls != NULL)
    clear_layer_controls (self);
  g_clear_pointer (&self->layer_option_controls, g_ptr_array_unref);
  g_clear_object (&self->analysis);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_TUNE_PAGE);

  G_OBJECT_CLASS (sq_tune_page_parent_class)->dispose (object);
}

static void
sq_tune_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SqTunePage *self = SQ_TUNE_PAGE (object);

  switch (prop_id)
    {
    case PROP_ANALYSIS:
      g_value_set_object (value, self->analysis);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_tune_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SqTunePage *self = SQ_TUNE_PAGE (object);

  switch (prop_id)
    {
    case PROP_ANALYSIS:
      sq_tune_page_set_analysis (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_tune_page_class_init (SqTunePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_tune_page_dispose;
  object_class->get_property = sq_tune_page_get_property;
  object_class->set_property = sq_tune_page_set_property;

  /**
   * SqTunePage:analysis:
   *
   * The analysis the page shows and whose settings its controls change.
   */
  properties[PROP_ANALYSIS] =
    g_param_spec_object ("analysis", NULL, NULL, SQ_TYPE_ANALYSIS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SQ_TYPE_CHART);
  g_type_ensure (SQ_TYPE_FIGURES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-tune-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, group_list);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, content);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, sidebar_button);
  gtk_widget_class_bind_template_callback (widget_class, show_sidebar);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, controls);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, layer_row);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, layer_title);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, layer_controls);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, layer_formats);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, log_toggle);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, zeros_toggle);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, figures);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, value_chart);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, error_chart);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, neuron_chart);
  gtk_widget_class_bind_template_child (widget_class, SqTunePage, diagnostics_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_tune_page_init (SqTunePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->option_controls = g_ptr_array_new ();
  self->layer_option_controls = g_ptr_array_new ();
  self->layer_controls_layer = NO_LAYER;

  gtk_list_box_set_header_func (self->group_list, group_header, NULL, NULL);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (show_plots_if_folded),
                            self);
  g_signal_connect_swapped (self->group_list, "row-selected", G_CALLBACK (group_selected),
                            self);

  self->analysis_signals = g_signal_group_new (SQ_TYPE_ANALYSIS);
  g_signal_group_connect_swapped (self->analysis_signals, "updated",
                                  G_CALLBACK (analysis_updated), self);
  g_signal_group_connect_swapped (self->analysis_signals, "notify::document",
                                  G_CALLBACK (document_changed), self);
  g_signal_group_connect_swapped (self->analysis_signals, "notify::group",
                                  G_CALLBACK (group_changed), self);
  g_signal_group_connect_swapped (self->analysis_signals, "notify::settings",
                                  G_CALLBACK (settings_changed), self);
  g_signal_group_connect_swapped (self->analysis_signals, "notify::busy",
                                  G_CALLBACK (busy_changed), self);

  g_object_bind_property (self->log_toggle, "active", self->value_chart, "log-scale",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->log_toggle, "active", self->error_chart, "log-scale",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->zeros_toggle, "active", self->value_chart, "show-zeros",
                          G_BINDING_SYNC_CREATE);
}

void
sq_tune_page_set_analysis (SqTunePage *self,
                           SqAnalysis *analysis)
{
  g_return_if_fail (SQ_IS_TUNE_PAGE (self));

  if (!g_set_object (&self->analysis, analysis))
    return;
  g_signal_group_set_target (self->analysis_signals, analysis);
  busy_changed (self);
  clear_controls (self);
  fill_controls (self);
  fill_groups (self);
  clear_layer_controls (self);
  fill_layer_controls (self);
  if (analysis != NULL)
    analysis_updated (self, analysis);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYSIS]);
}

/**
 * sq_tune_page_select_group:
 * @group: the index of a group of the document's network
 *
 * Shows @group, as clicking it in the sidebar does; a group the network lacks is ignored.
 */
void
sq_tune_page_select_group (SqTunePage *self,
                           guint       group)
{
  g_return_if_fail (SQ_IS_TUNE_PAGE (self));

  select_group_row (self, group);
}

/**
 * sq_tune_page_get_control:
 * @id: the id of an option of the analysis's kind ("weight-bits")
 *
 * Returns: (nullable) (transfer none): the option's drop-down, switch or spin button, or
 *   %NULL when the kind has no such option
 */
GtkWidget *
sq_tune_page_get_control (SqTunePage *self,
                          const char *id)
{
  g_return_val_if_fail (SQ_IS_TUNE_PAGE (self), NULL);

  for (guint i = 0; i < self->option_controls->len; i++)
    {
      SqOptionControl *control = g_ptr_array_index (self->option_controls, i);

      if (g_str_equal (sq_option_control_get_option (control)->id, id))
        return sq_option_control_get_widget (control);
    }
  return NULL;
}

/**
 * sq_tune_page_get_layer_control:
 * @id: the id of a layer option of the analysis's kind ("width")
 *
 * Returns: (nullable) (transfer none): the control of the selected group's layer's value of
 *   @id, or %NULL when the row is not shown or has no such option
 */
GtkWidget *
sq_tune_page_get_layer_control (SqTunePage *self,
                                const char *id)
{
  g_return_val_if_fail (SQ_IS_TUNE_PAGE (self), NULL);

  for (guint i = 0; i < self->layer_option_controls->len; i++)
    {
      SqOptionControl *control = g_ptr_array_index (self->layer_option_controls, i);

      if (g_str_equal (sq_option_control_get_option (control)->id, id))
        return sq_option_control_get_widget (control);
    }
  return NULL;
}

/* Returns: (transfer none): the formats line under the layer's settings ("" when none) */
const char *
sq_tune_page_get_layer_formats (SqTunePage *self)
{
  g_return_val_if_fail (SQ_IS_TUNE_PAGE (self), NULL);
  return gtk_label_get_text (self->layer_formats);
}
