/* sq-sweep-page.c: the Sweep page — a figure of the whole network against the weight bits,
 * one curve per method
 *
 * The page builds an SqSweep of the document's network (the Tune page's settings as its
 * base; the kind's bit-width option, "weight-bits" for Xylo, over the range chosen, and its
 * method, as the CLI's `sweep --weight-bits 2-8 --method global,channel`), which SqSweepTask
 * runs in a thread with progress and Cancel, re-using the float model's runs on the sample
 * set between sweeps. The chart draws the chosen figure of every row; each point's read-out
 * has all the row's figures, and a click on a point gives its settings to the Tune page's
 * analysis, which every page follows. A page of its own rather than a part of Compare:
 * Compare shows one group under a few settings, a sweep the whole network under many, with
 * its own inputs (a sample set, a range) and a chart that needs the page's width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart.h"
#include "sq-chart-curves.h"
#include "sq-check-list.h"
#include "sq-folders.h"
#include "sq-format.h"
#include "sq-sweep-page.h"
#include "sq-types.h"

/* One point drawn: the row it shows, and where. */
typedef struct {
  guint  curve;
  gsize  index;
  gsize  row;
  double x;
  double y;
} Point;

struct _SqSweepPage
{
  GtkWidget             parent_instance;

  SqAnalysis           *analysis;
  SqDocument           *document;     /* whose network the controls were made for */
  const SqDeviceProfile *device;
  SqSweepTask          *task;
  GFile                *samples;
  GtkFileChooserNative *chooser;
  SqChartLayer         *curves;
  guint                 progress_id;
  const SqOption       *x_option;     /* nullable: the kind has no width to sweep */
  const SqOption       *series_option; /* nullable: one curve */
  GPtrArray            *series_checks; /* GtkCheckButton per choice of series_option */
  GArray               *points;       /* of Point, curve by curve */
  guint                 n_curves;

  AdwButtonContent     *samples_content;
  GtkWidget            *samples_button;
  GtkWidget            *folder_button;
  GtkWidget            *clear_samples_button;
  GtkDropDown          *figure_dropdown;
  GtkLabel             *x_label;
  GtkSpinButton        *from_spin;
  GtkSpinButton        *to_spin;
  GtkBox               *series_box;
  GtkStack             *status_stack;
  GtkLabel             *status_label;
  GtkProgressBar       *progress_bar;
  GtkWidget            *cancel_button;
  GtkWidget            *run_button;
  SqChart              *chart;
};

G_DEFINE_FINAL_TYPE (SqSweepPage, sq_sweep_page, GTK_TYPE_WIDGET)

enum {
  USE_SETTINGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The drop-down's names and the charts' titles and y labels, in SqSweepFigure order. */
static const struct {
  const char *name;
  const char *title;
  const char *y_label;
} figures[SQ_SWEEP_N_FIGURES] = {
  { N_("Network SQNR"), N_("Network SQNR against the bit width"), N_("SQNR (dB)") },
  { N_("Class agreement"), N_("Class agreement, float model and integer core"),
    N_("samples in the same class (%)") },
  { N_("Accuracy"), N_("Accuracy of the integer core"), N_("samples classified as labelled (%)") },
  { N_("Raster agreement"), N_("Output raster agreement"), N_("output bins that agree (%)") },
  { N_("Clipped"), N_("Values clipped"), N_("clipped (%)") },
  { N_("Zeroed"), N_("Non-zero values made 0"), N_("zeroed (%)") },
  { N_("Device check"), N_("Device check"), N_("passes (1) or fails (0)") },
};

/* ---------------------------------------------------------------------------------------- */
/* Figures of a row                                                                          */

static gboolean
needs_samples (SqSweepFigure figure)
{
  return figure == SQ_SWEEP_FIGURE_AGREEMENT || figure == SQ_SWEEP_FIGURE_ACCURACY
         || figure == SQ_SWEEP_FIGURE_RASTER;
}

/* The figure's value for @row, NaN where it has none (a refused combination, a set without
 * labels for the accuracy). */
static double
row_value (const SqSweep    *sweep,
           const SqSweepRow *row,
           SqSweepFigure     figure)
{
  const SqQuantFigures *t = &row->total;
  double sqnr;

  if (row->refused != NULL)
    return NAN;
  switch (figure)
    {
    case SQ_SWEEP_FIGURE_SQNR:
      sqnr = sq_quant_figures_sqnr_db (t);
      /* An exact quantization has no finite SQNR to draw; its read-out says "exact". */
      return isfinite (sqnr) ? sqnr : NAN;
    case SQ_SWEEP_FIGURE_AGREEMENT:
      return row->evaluated ? 100.0 * sq_evaluation_share (row->n_class_agree,
                                                           sweep->n_samples) : NAN;
    case SQ_SWEEP_FIGURE_ACCURACY:
      return row->evaluated && sweep->has_labels
             ? 100.0 * sq_evaluation_share (row->n_correct_int, sweep->n_samples) : NAN;
    case SQ_SWEEP_FIGURE_RASTER:
      return row->evaluated ? 100.0 * row->raster : NAN;
    case SQ_SWEEP_FIGURE_CLIPPED:
      return t->n_values ? 100.0 * (double) t->clipped / (double) t->n_values : NAN;
    case SQ_SWEEP_FIGURE_ZEROED:
      return 100.0 * sq_zeroed_share (t->zeroed, t->n_nonzero);
    case SQ_SWEEP_FIGURE_DEVICE:
      return row->fits && row->alive ? 1.0 : 0.0;
    case SQ_SWEEP_N_FIGURES:
    default:
      g_return_val_if_reached (NAN);
    }
}

/* "12 of 20 (60 %)" */
static char *
share_text (gsize n,
            gsize of)
{
  g_autofree char *percent = sq_format_percent (sq_evaluation_share (n, of));

  /* Translators: a count of samples, of all samples, and its share, "12 of 20 (60 %)" */
  return g_strdup_printf (_("%zu of %zu (%s)"), n, of, percent);
}

/* The point's read-out: its setting, then every figure the row has. */
static char *
row_text (SqSweepPage      *self,
          const SqSweep    *sweep,
          const SqSweepRow *row)
{
  GString *text = g_string_new (NULL);
  g_autofree char *sqnr = sq_format_db (sq_quant_figures_sqnr_db (&row->total));
  g_autofree char *clipped = sq_format_count (row->total.clipped, row->total.n_values);
  g_autofree char *zeroed = sq_zeroed_text (row->total.zeroed, row->total.n_nonzero);
  int x = sq_quant_settings_get (&row->settings, self->x_option->id);

  if (self->series_option != NULL)
    {
      int s = sq_quant_settings_get (&row->settings, self->series_option->id);

      /* Translators: a sweep's point: the method, the width and its noun,
       * "Per channel, 4 weight bits" */
      g_string_append_printf (text, _("%s, %d %s"),
                              sq_label (self->series_option->choices[s].label), x,
                              sq_label (self->x_option->noun));
    }
  else
    /* Translators: a sweep's point: the width and its noun, "4 weight bits" */
    g_string_append_printf (text, _("%d %s"), x, sq_label (self->x_option->noun));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Network SQNR: %s"), sqnr);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Clipped: %s"), clipped);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Zeroed: %s"), zeroed);
  g_string_append_c (text, '\n');
  g_string_append (text, !row->fits ? _("Device check: does not fit")
                         : !row->alive ? _("Device check: fits, but a layer can never fire")
                         : _("Device check: passes"));
  if (row->evaluated)
    {
      g_autofree char *agree = share_text (row->n_class_agree, sweep->n_samples);
      g_autofree char *raster = sq_format_percent (row->raster);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Class agreement: %s"), agree);
      if (sweep->has_labels)
        {
          g_autofree char *acc = share_text (row->n_correct_int, sweep->n_samples);
          g_autofree char *acc_float = sq_format_percent (
            sq_evaluation_share (row->n_correct_float, sweep->n_samples));

          g_string_append_c (text, '\n');
          /* Translators: the integer core's accuracy, then the float model's */
          g_string_append_printf (text, _("Accuracy: %s; float model %s"), acc, acc_float);
        }
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Output raster agreement: %s"), raster);
    }
  g_string_append_c (text, '\n');
  g_string_append (text, _("Click to apply this setting"));
  return g_string_free (text, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* The chart                                                                                 */

/* The index of @option's axis in @sweep, or -1. */
static int
axis_of (const SqSweep  *sweep,
         const SqOption *option)
{
  for (guint a = 0; option != NULL && a < sweep->axes->len; a++)
    if (g_array_index (sweep->axes, SqSweepAxis, a).option == option)
      return (int) a;
  return -1;
}

/* The row of value @vi of axis @a and @si of axis @b (-1: none): the last axis fastest. */
static gsize
row_index (const SqSweep *sweep,
           int            a,
           guint          vi,
           int            b,
           guint          si)
{
  gsize index = 0;

  for (guint k = 0; k < sweep->axes->len; k++)
    {
      const SqSweepAxis *axis = &g_array_index (sweep->axes, SqSweepAxis, k);

      index = index * axis->n_values + ((int) k == a ? vi : (int) k == b ? si : 0);
    }
  return index;
}

static const SqChartColor series_colors[] = {
  SQ_CHART_COLOR_ACCENT, SQ_CHART_COLOR_WARNING, SQ_CHART_COLOR_SUCCESS, SQ_CHART_COLOR_ERROR,
  SQ_CHART_COLOR_FOREGROUND,
};

static gboolean
same_settings (const SqQuantSettings *a,
               const SqQuantSettings *b)
{
  if (a->kind != b->kind)
    return FALSE;
  for (guint o = 0; o < a->kind->n_options; o++)
    if (a->value[o] != b->value[o])
      return FALSE;
  return TRUE;
}

/* The ring on the point of the Tune page's settings and a line at its width; the float
 * model's accuracy, the same for every row, as a line under the integer core's. */
static void
update_overlays (SqSweepPage *self)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  SqQuantSettings current;
  int mark_curve = -1;
  gssize mark_point = -1;

  sq_chart_clear_overlays (self->chart);
  for (guint r = 0; sweep != NULL && sweep->has_labels && self->points->len > 0
                    && gtk_drop_down_get_selected (self->figure_dropdown)
                         == SQ_SWEEP_FIGURE_ACCURACY && r < sweep->rows->len; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);

      if (!row->evaluated)
        continue;
      /* Translators: the float model's accuracy, a line on the sweep's accuracy chart */
      sq_chart_add_hline (self->chart,
                          100.0 * sq_evaluation_share (row->n_correct_float, sweep->n_samples),
                          SQ_CHART_COLOR_SUCCESS, TRUE, _("float model"));
      break;
    }
  if (sweep == NULL || self->analysis == NULL || self->x_option == NULL
      || self->points->len == 0)
    {
      sq_chart_curves_set_mark (SQ_CHART_CURVES (self->curves), -1, -1);
      return;
    }
  sq_analysis_get_settings (self->analysis, &current);
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (same_settings (&g_array_index (sweep->rows, SqSweepRow, p->row).settings, &current))
        {
          mark_curve = (int) p->curve;
          mark_point = (gssize) p->index;
        }
    }
  sq_chart_curves_set_mark (SQ_CHART_CURVES (self->curves), mark_curve, mark_point);
  if (current.kind == sweep->base.kind)
    /* Translators: the line at the Tune page's bit width on the sweep's chart */
    sq_chart_add_vline (self->chart, sq_quant_settings_get (&current, self->x_option->id),
                        SQ_CHART_COLOR_FOREGROUND, TRUE, _("current"));
}

static void
show_sweep (SqSweepPage *self)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  SqSweepFigure figure = gtk_drop_down_get_selected (self->figure_dropdown);
  g_autoptr(GArray) curves = g_array_new (FALSE, TRUE, sizeof (SqChartCurve));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep_texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const SqSweepAxis *x_axis, *s_axis;
  int xa, sa;
  guint n_series;
  gboolean any = FALSE;

  g_array_set_size (self->points, 0);
  self->n_curves = 0;
  if (figure >= SQ_SWEEP_N_FIGURES)
    figure = SQ_SWEEP_FIGURE_SQNR;
  sq_chart_set_title (self->chart, _(figures[figure].title));
  sq_chart_set_y_label (self->chart, _(figures[figure].y_label));
  sq_chart_set_x_label (self->chart, self->x_option ? sq_label (self->x_option->noun) : NULL);

  xa = sweep ? axis_of (sweep, self->x_option) : -1;
  if (xa < 0)
    {
      sq_chart_curves_set_curves (SQ_CHART_CURVES (self->curves), NULL, 0);
      sq_chart_set_placeholder (self->chart,
                                self->x_option == NULL
                                  ? _("This kind of network has no bit width to sweep")
                                  : _("Run a sweep to see how each bit width and method "
                                      "does"));
      update_overlays (self);
      return;
    }
  x_axis = &g_array_index (sweep->axes, SqSweepAxis, xa);
  sa = axis_of (sweep, self->series_option);
  s_axis = sa >= 0 ? &g_array_index (sweep->axes, SqSweepAxis, sa) : NULL;
  n_series = s_axis ? s_axis->n_values : 1;
  for (guint s = 0; s < n_series; s++)
    {
      double *xs = g_new (double, x_axis->n_values), *ys = g_new (double, x_axis->n_values);
      char **texts = g_new0 (char *, x_axis->n_values + 1);
      SqChartCurve c = { xs, ys, (const char * const *) texts, x_axis->n_values,
                         series_colors[s % G_N_ELEMENTS (series_colors)], NULL };

      g_ptr_array_add (keep, xs);
      g_ptr_array_add (keep, ys);
      g_ptr_array_add (keep_texts, texts);
      if (s_axis != NULL)
        c.label = sq_label (self->series_option->choices[s_axis->values[s]].label);
      for (guint i = 0; i < x_axis->n_values; i++)
        {
          gsize r = row_index (sweep, xa, i, sa, s);
          const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);
          Point p = { self->n_curves, i, r, x_axis->values[i], NAN };

          xs[i] = x_axis->values[i];
          ys[i] = p.y = row_value (sweep, row, figure);
          texts[i] = row->refused ? g_strdup (row->refused) : row_text (self, sweep, row);
          any |= isfinite (ys[i]);
          g_array_append_val (self->points, p);
        }
      g_array_append_val (curves, c);
      self->n_curves++;
    }
  if (!any)
    {
      /* Nothing to draw: say why rather than an empty frame. */
      g_array_set_size (self->points, 0);
      self->n_curves = 0;
      g_array_set_size (curves, 0);
      sq_chart_set_placeholder (self->chart,
                                needs_samples (figure) && sweep->n_samples == 0
                                  ? _("Choose a sample set and run the sweep again to see "
                                      "this figure")
                                  : figure == SQ_SWEEP_FIGURE_ACCURACY && !sweep->has_labels
                                  ? _("The sample set has no labels: no accuracy to show")
                                  : _("No setting of this sweep has this figure"));
    }
  sq_chart_curves_set_curves (SQ_CHART_CURVES (self->curves),
                              (const SqChartCurve *) (void *) curves->data, curves->len);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->chart), any ? "pointer" : NULL);
  update_overlays (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

/* The kind's option of @id and @type, else its first of @type. */
static const SqOption *
find_option (const SqNetworkKind *kind,
             const char          *id,
             SqOptionType         type)
{
  const SqOption *o = sq_network_kind_option (kind, id);

  if (o != NULL && o->type == type)
    return o;
  for (guint i = 0; i < kind->n_options; i++)
    if (kind->options[i].type == type)
      return &kind->options[i];
  return NULL;
}

static void
update_controls (SqSweepPage *self)
{
  gboolean busy = sq_sweep_task_get_busy (self->task);
  gboolean any_series = self->series_checks->len == 0;

  for (guint i = 0; i < self->series_checks->len; i++)
    any_series |= gtk_check_button_get_active (g_ptr_array_index (self->series_checks, i));
  gtk_stack_set_visible_child_name (self->status_stack, busy ? "busy" : "status");
  gtk_widget_set_sensitive (self->run_button, !busy && self->document != NULL
                                              && self->x_option != NULL && any_series);
  gtk_widget_set_sensitive (self->clear_samples_button, self->samples != NULL);
}

static gboolean
poll_progress (gpointer user_data)
{
  SqSweepPage *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, sq_sweep_task_get_progress (self->task));
  return G_SOURCE_CONTINUE;
}

static void
busy_changed (SqSweepPage *self)
{
  gboolean busy = sq_sweep_task_get_busy (self->task);

  if (busy && self->progress_id == 0)
    self->progress_id = g_timeout_add (50, poll_progress, self);
  else if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
  update_controls (self);
}

/* The x range and the series' check buttons for the document's kind. */
static void
make_controls (SqSweepPage *self)
{
  const SqNetworkKind *kind = self->analysis ? sq_analysis_get_kind (self->analysis)
                                             : sq_default_kind ();
  GtkWidget *child;

  self->x_option = find_option (kind, "weight-bits", SQ_OPTION_INT);
  self->series_option = find_option (kind, "method", SQ_OPTION_CHOICE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->series_box))) != NULL)
    gtk_box_remove (self->series_box, child);
  g_ptr_array_set_size (self->series_checks, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->x_label), self->x_option != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_spin), self->x_option != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_spin), self->x_option != NULL);
  if (self->x_option != NULL)
    {
      const SqOption *o = self->x_option;

      gtk_label_set_label (self->x_label, sq_label (o->label));
      gtk_spin_button_set_range (self->from_spin, o->min, o->max);
      gtk_spin_button_set_range (self->to_spin, o->min, o->max);
      /* The CLI's example range, within the option's. */
      gtk_spin_button_set_value (self->from_spin, CLAMP (2, o->min, o->max));
      gtk_spin_button_set_value (self->to_spin, CLAMP (8, o->min, o->max));
    }
  for (guint c = 0; self->series_option != NULL && c < self->series_option->n_choices; c++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (
        sq_label (self->series_option->choices[c].label));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_tooltip_text (check, _("Draw a Curve for This Method"));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_controls), self);
      gtk_box_append (self->series_box, check);
      g_ptr_array_add (self->series_checks, check);
    }
  update_controls (self);
}

static void
document_changed (SqSweepPage *self)
{
  SqDocument *document = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;

  if (document == self->document)
    return;
  /* Another network: nothing of the last one is shown or re-used. */
  sq_sweep_task_forget (self->task);
  g_set_object (&self->document, document);
  gtk_label_set_text (self->status_label, "");
  make_controls (self);
  show_sweep (self);
}

static void
show_samples (SqSweepPage *self)
{
  g_autofree char *name = self->samples ? g_file_get_basename (self->samples) : NULL;

  adw_button_content_set_label (self->samples_content, name ? name : _("None"));
  update_controls (self);
}

/**
 * sq_sweep_page_set_samples:
 * @file: (nullable): an .npz or .npy sample set, or a folder of rasters; %NULL to sweep
 *   without samples
 *
 * The set the next sweep evaluates every setting on.
 */
void
sq_sweep_page_set_samples (SqSweepPage *self,
                           GFile       *file)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));

  if (self->samples == file
      || (self->samples != NULL && file != NULL && g_file_equal (self->samples, file)))
    return;
  g_set_object (&self->samples, file);
  show_samples (self);
}

GFile *
sq_sweep_page_get_samples (SqSweepPage *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), NULL);
  return self->samples;
}

static void
chooser_response (SqSweepPage          *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_SAMPLES);
      if (file != NULL)
        sq_sweep_page_set_samples (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose (SqSweepPage          *self,
        GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_OPEN
                                                 ? _("Choose a Sample Set")
                                                 : _("Choose a Folder of Rasters"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, _("_Open"), _("_Cancel"));
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) sets = gtk_file_filter_new ();

      gtk_file_filter_set_name (sets, _("Sample sets (NumPy)"));
      gtk_file_filter_add_suffix (sets, "npz");
      gtk_file_filter_add_suffix (sets, "npy");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), sets);
    }
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_SAMPLES);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_file (SqSweepPage *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
choose_folder (SqSweepPage *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
clear_samples (SqSweepPage *self)
{
  sq_sweep_page_set_samples (self, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                   */

static void
task_finished (SqSweepPage *self)
{
  const GError *error = sq_sweep_task_get_error (self->task);
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);

  update_controls (self);
  if (error != NULL)
    {
      gtk_label_set_text (self->status_label,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            ? _("Cancelled") : error->message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), error->message);
      return;
    }
  if (sweep != NULL)
    {
      gsize n = sweep->rows->len;
      g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%zu setting swept",
                                                            "%zu settings swept", n), n);
      g_autofree char *text = NULL;

      if (sweep->n_samples > 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, each on %zu sample",
                                             "%s, each on %zu samples", sweep->n_samples),
                                rows, sweep->n_samples);
      gtk_label_set_text (self->status_label, text ? text : rows);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), NULL);
    }
  show_sweep (self);
}

/* @device when the network's kind can run on it, else the kind's default (%NULL). */
static const SqDeviceProfile *
device_for (const SqNetworkKind   *kind,
            const SqDeviceProfile *device)
{
  return device != NULL && sq_network_kind_device (kind, device->name) == device ? device
                                                                                 : NULL;
}

/**
 * sq_sweep_page_run:
 *
 * Sweeps the document's network over the widths and methods chosen, from the Tune page's
 * settings, on the sample set when there is one; cancels a sweep under way.
 *
 * Returns: whether a sweep started; otherwise the status says why
 */
gboolean
sq_sweep_page_run (SqSweepPage *self)
{
  g_autoptr(SqSweep) sweep = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *range = NULL, *path = NULL;
  g_autoptr(GString) series = g_string_new (NULL);
  SqQuantSettings base;
  SqNetwork *network;
  int lo, hi;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), FALSE);

  if (self->document == NULL || self->x_option == NULL)
    return FALSE;
  network = sq_document_get_network (self->document);
  sq_analysis_get_settings (self->analysis, &base);
  sweep = sq_sweep_new (network, &base);
  for (guint i = 0; i < self->series_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->series_checks, i)))
      g_string_append_printf (series, "%s%s", series->len ? "," : "",
                              self->series_option->choices[i].name);
  if (self->series_option != NULL && series->len == 0)
    {
      gtk_label_set_text (self->status_label, _("Choose at least one method"));
      return FALSE;
    }
  lo = gtk_spin_button_get_value_as_int (self->from_spin);
  hi = gtk_spin_button_get_value_as_int (self->to_spin);
  range = g_strdup_printf ("%d-%d", MIN (lo, hi), MAX (lo, hi));
  if ((series->len > 0 && !sq_sweep_add_axis (sweep, self->series_option->id, series->str,
                                              &error))
      || !sq_sweep_add_axis (sweep, self->x_option->id, range, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return FALSE;
    }
  if (self->samples != NULL && (path = g_file_get_path (self->samples)) == NULL)
    {
      gtk_label_set_text (self->status_label, _("Only local files can be read"));
      return FALSE;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  sq_sweep_task_run (self->task, g_steal_pointer (&sweep),
                     device_for (network->kind, self->device), path);
  return TRUE;
}

void
sq_sweep_page_cancel (SqSweepPage *self)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));
  sq_sweep_task_cancel (self->task);
}

/* ---------------------------------------------------------------------------------------- */
/* Points                                                                                    */

static const Point *
find_point (SqSweepPage *self,
            guint        curve,
            gsize        index)
{
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (p->curve == curve && p->index == index)
        return p;
    }
  return NULL;
}

/**
 * sq_sweep_page_activate_at:
 * @x: @y: widget coordinates of the chart
 *
 * What a click on the chart does: the settings of the point there (the one its read-out
 * describes) go to the Tune page's analysis, and #SqSweepPage::use-settings is emitted.
 *
 * Returns: whether there was a point to apply
 */
gboolean
sq_sweep_page_activate_at (SqSweepPage *self,
                           double       x,
                           double       y)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  const Point *p;
  double dx, dy;
  guint curve;
  gsize index;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), FALSE);

  if (sweep == NULL || self->analysis == NULL
      || !sq_chart_widget_to_data (self->chart, x, y, &dx, &dy)
      || !sq_chart_curves_point_at (SQ_CHART_CURVES (self->curves), dx, dy, &curve, &index)
      || (p = find_point (self, curve, index)) == NULL)
    return FALSE;
  sq_analysis_set_settings (self->analysis,
                            &g_array_index (sweep->rows, SqSweepRow, p->row).settings);
  g_signal_emit (self, signals[USE_SETTINGS], 0);
  return TRUE;
}

static void
chart_released (SqSweepPage     *self,
                int              n_press,
                double           x,
                double           y,
                GtkGestureClick *gesture)
{
  if (n_press == 1)
    sq_sweep_page_activate_at (self, x, y);
}

guint
sq_sweep_page_get_n_curves (SqSweepPage *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), 0);
  return self->n_curves;
}

gsize
sq_sweep_page_get_n_points (SqSweepPage *self,
                            guint        curve)
{
  gsize n = 0;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), 0);
  for (guint i = 0; i < self->points->len; i++)
    n += g_array_index (self->points, Point, i).curve == curve;
  return n;
}

/**
 * sq_sweep_page_get_point:
 * @x: (out) (optional): where the point is drawn
 * @y: (out) (optional): its value of the figure shown, NaN when it has none
 *
 * Returns: (nullable): the sweep's row point @point of curve @curve shows
 */
const SqSweepRow *
sq_sweep_page_get_point (SqSweepPage *self,
                         guint        curve,
                         gsize        point,
                         double      *x,
                         double      *y)
{
  const SqSweep *sweep;
  const Point *p;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), NULL);
  sweep = sq_sweep_task_get_sweep (self->task);
  if (sweep == NULL || (p = find_point (self, curve, point)) == NULL)
    return NULL;
  if (x != NULL)
    *x = p->x;
  if (y != NULL)
    *y = p->y;
  return &g_array_index (sweep->rows, SqSweepRow, p->row);
}

/* Returns: whether a point is marked as the Tune page's setting, and which */
gboolean
sq_sweep_page_get_mark (SqSweepPage *self,
                        guint       *curve,
                        gsize       *point)
{
  const SqSweep *sweep;
  SqQuantSettings current;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), FALSE);
  sweep = sq_sweep_task_get_sweep (self->task);
  if (sweep == NULL || self->analysis == NULL)
    return FALSE;
  sq_analysis_get_settings (self->analysis, &current);
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (same_settings (&g_array_index (sweep->rows, SqSweepRow, p->row).settings, &current))
        {
          *curve = p->curve;
          *point = p->index;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* The object                                                                                */

void
sq_sweep_page_set_analysis (SqSweepPage *self,
                            SqAnalysis  *analysis)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));

  if (self->analysis)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  if (!g_set_object (&self->analysis, analysis))
    return;
  if (analysis != NULL)
    {
      g_signal_connect_swapped (analysis, "notify::document", G_CALLBACK (document_changed),
                                self);
      g_signal_connect_swapped (analysis, "notify::settings", G_CALLBACK (update_overlays),
                                self);
    }
  document_changed (self);
}

/**
 * sq_sweep_page_set_device:
 * @device: (nullable): the device the next sweep checks and simulates on; one the network's
 *   kind does not have, or %NULL, is the kind's default
 */
void
sq_sweep_page_set_device (SqSweepPage           *self,
                          const SqDeviceProfile *device)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));
  self->device = device;
}

/* For tests and the window: the ends of the range swept, as the spin buttons take them. */
void
sq_sweep_page_set_range (SqSweepPage *self,
                         int          lo,
                         int          hi)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));
  gtk_spin_button_set_value (self->from_spin, lo);
  gtk_spin_button_set_value (self->to_spin, hi);
}

void
sq_sweep_page_set_figure (SqSweepPage   *self,
                          SqSweepFigure  figure)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));
  g_return_if_fail (figure < SQ_SWEEP_N_FIGURES);
  gtk_drop_down_set_selected (self->figure_dropdown, figure);
}

SqSweepTask *
sq_sweep_page_get_task (SqSweepPage *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), NULL);
  return self->task;
}

static void
sq_sweep_page_dispose (GObject *object)
{
  SqSweepPage *self = SQ_SWEEP_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->analysis)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  g_clear_object (&self->analysis);
  if (self->task != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->task, self);
      sq_sweep_task_cancel (self->task);
    }
  g_clear_object (&self->task);
  g_clear_object (&self->document);
  g_clear_object (&self->samples);
  g_clear_object (&self->chooser);
  g_clear_object (&self->curves);
  g_clear_pointer (&self->series_checks, g_ptr_array_unref);
  g_clear_pointer (&self->points, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_SWEEP_PAGE);
  /* The template's outer box is not bound to a field, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sq_sweep_page_parent_class)->dispose (object);
}

static void
sq_sweep_page_class_init (SqSweepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_sweep_page_dispose;

  /**
   * SqSweepPage::use-settings:
   *
   * A point's settings were given to the Tune page's analysis.
   */
  signals[USE_SETTINGS] = g_signal_new ("use-settings", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  g_type_ensure (SQ_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-sweep-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, samples_content);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, samples_button);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, folder_button);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, clear_samples_button);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, figure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, x_label);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, from_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, to_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, series_box);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, chart);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_sweep_page_init (SqSweepPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->series_checks = g_ptr_array_new ();
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->task = sq_sweep_task_new ();
  g_signal_connect_object (self->task, "finished", G_CALLBACK (task_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task, "notify::busy", G_CALLBACK (busy_changed), self,
                           G_CONNECT_SWAPPED);

  for (guint f = 0; f < SQ_SWEEP_N_FIGURES; f++)
    gtk_string_list_append (names, _(figures[f].name));
  gtk_drop_down_set_model (self->figure_dropdown, G_LIST_MODEL (names));
  g_signal_connect_swapped (self->figure_dropdown, "notify::selected",
                            G_CALLBACK (show_sweep), self);

  self->curves = sq_chart_curves_new ();
  sq_chart_add_layer (self->chart, self->curves);
  click = gtk_gesture_click_new ();
  g_signal_connect_swapped (click, "released", G_CALLBACK (chart_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (sq_sweep_page_run), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (sq_sweep_page_cancel),
                            self);
  g_signal_connect_swapped (self->samples_button, "clicked", G_CALLBACK (choose_file), self);
  g_signal_connect_swapped (self->folder_button, "clicked", G_CALLBACK (choose_folder), self);
  g_signal_connect_swapped (self->clear_samples_button, "clicked", G_CALLBACK (clear_samples),
                            self);
  make_controls (self);
  show_samples (self);
  show_sweep (self);
}
