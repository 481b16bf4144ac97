/* sq-compare-page.c: two to four quantizations of the same parameter side by side
 *
 * Every column is an analysis of its own; the page keeps their document, group and the
 * options the kind shares (SqKindView.compare_shared: the threshold bits of a Xylo
 * specification) equal to the tune page's (the source), so only the others differ, and
 * marks the column with the best network SQNR. A column starts from the kind's preset of
 * its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-compare-column.h"
#include "sq-compare-page.h"
#include "sq-types.h"

struct _SqComparePage
{
  GtkWidget   parent_instance;

  SqAnalysis *source;
  GPtrArray  *columns;   /* SqCompareColumn, in order */
  int         best;

  GtkLabel   *caption_label;
  GtkWidget  *add_button;
  GtkBox     *columns_box;
};

G_DEFINE_FINAL_TYPE (SqComparePage, sq_compare_page, GTK_TYPE_WIDGET)

enum {
  USE_SETTINGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The settings column @index starts with for @kind: the kind's preset, else the variants
 * of the options that vary, in order. */
static void
preset_settings (const SqNetworkKind *kind,
                 guint                index,
                 SqQuantSettings     *settings)
{
  const char * const *presets = kind->view ? kind->view->compare_presets : NULL;
  g_auto(GStrv) words = NULL;

  sq_quant_settings_init (settings, kind);
  if (presets == NULL || index >= g_strv_length ((char **) presets))
    {
      g_autoptr(GArray) variants = sq_quant_settings_variants (settings);

      *settings = g_array_index (variants, SqQuantSettings, index % variants->len);
      return;
    }
  /* "method=channel weight-bits=4" */
  words = g_strsplit (presets[index], " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (words[i], "=", 2);
      g_autoptr(GError) error = NULL;

      if (pair[0] == NULL || pair[1] == NULL ||
          !sq_quant_settings_set_string (settings, pair[0], pair[1], &error))
        g_critical ("compare preset “%s” of %s: %s", presets[index], kind->name,
                    error ? error->message : "expected id=value");
    }
}

static void
update_best (SqComparePage *self)
{
  double best_sqnr = -INFINITY;
  int best = -1;

  for (guint i = 0; i < self->columns->len; i++)
    {
      SqAnalysis *a = sq_compare_column_get_analysis (g_ptr_array_index (self->columns, i));
      const SqAnalysisResult *r = sq_analysis_get_result (a);
      double sqnr;

      if (r == NULL)
        continue;
      sqnr = sq_quant_figures_sqnr_db (&r->quant->total);
      if (!isnan (sqnr) && sqnr > best_sqnr)
        {
          best_sqnr = sqnr;
          best = (int) i;
        }
    }

  self->best = best;
  for (guint i = 0; i < self->columns->len; i++)
    sq_compare_column_set_best (g_ptr_array_index (self->columns, i), (int) i == best);
}

static void
sync_column (SqComparePage   *self,
             SqCompareColumn *column)
{
  SqAnalysis *a = sq_compare_column_get_analysis (column);
  const SqNetworkKind *kind;
  const char * const *shared;
  SqQuantSettings s;

  if (self->source == NULL)
    {
      sq_analysis_set_document (a, NULL);
      return;
    }
  kind = sq_analysis_get_kind (self->source);
  /* A network of another kind: the column starts again from its preset. */
  if (sq_analysis_get_kind (a) != kind)
    preset_settings (kind, sq_compare_column_get_preset (column), &s);
  else
    sq_analysis_get_settings (a, &s);
  shared = kind->view ? kind->view->compare_shared : NULL;
  for (guint i = 0; shared != NULL && shared[i] != NULL; i++)
    if (sq_network_kind_option (kind, shared[i]) != NULL)
      sq_quant_settings_set (&s, shared[i], sq_analysis_get_option (self->source, shared[i]),
                             NULL);
  sq_analysis_set_settings (a, &s);
  sq_analysis_set_group (a, sq_analysis_get_group (self->source));
  sq_analysis_set_document (a, sq_analysis_get_document (self->source));
}

static void
sync_columns (SqComparePage *self)
{
  g_autofree char *caption = NULL;

  for (guint i = 0; i < self->columns->len; i++)
    sync_column (self, g_ptr_array_index (self->columns, i));

  if (self->source != NULL)
    {
      const SqNetworkKind *kind = sq_analysis_get_kind (self->source);
      const SqKindView *view = kind->view;

      if (view != NULL && view->compare_caption != NULL && view->compare_shared != NULL &&
          view->compare_shared[0] != NULL)
        {
          SqQuantSettings s;
          g_autofree char *value = NULL;
          GString *text = g_string_new (sq_label (view->compare_caption));

          sq_analysis_get_settings (self->source, &s);
          value = sq_quant_settings_get_string (&s, view->compare_shared[0]);
          /* The kind's words, with its one %s: not a format of this file. */
          g_string_replace (text, "%s", value, 1);
          caption = g_string_free (text, FALSE);
        }
      else
        caption = g_strdup (_("The parameter selected on the Tune page, under each column's "
                              "settings. The column with the best network SQNR is marked."));
      gtk_label_set_text (self->caption_label, caption);
    }
}

static void
update_buttons (SqComparePage *self)
{
  gtk_widget_set_sensitive (self->add_button, self->columns->len < SQ_COMPARE_MAX_COLUMNS);
  for (guint i = 0; i < self->columns->len; i++)
    sq_compare_column_set_removable (g_ptr_array_index (self->columns, i),
                                     self->columns->len > SQ_COMPARE_MIN_COLUMNS);
}

static void
column_use_settings (SqComparePage   *self,
                     SqCompareColumn *column)
{
  SqQuantSettings s;

  sq_analysis_get_settings (sq_compare_column_get_analysis (column), &s);
  if (self->source != NULL)
    sq_analysis_set_settings (self->source, &s);
  g_signal_emit (self, signals[USE_SETTINGS], 0);
}

static void
column_remove (SqComparePage   *self,
               SqCompareColumn *column)
{
  if (self->columns->len <= SQ_COMPARE_MIN_COLUMNS)
    return;
  gtk_box_remove (self->columns_box, GTK_WIDGET (column));
  g_ptr_array_remove (self->columns, column);
  update_buttons (self);
  update_best (self);
}

/**
 * sq_compare_page_add_column:
 *
 * Adds a column with the next preset, up to %SQ_COMPARE_MAX_COLUMNS.
 *
 * Returns: whether a column was added
 */
gboolean
sq_compare_page_add_column (SqComparePage *self)
{
  SqQuantSettings s;
  GtkWidget *column;
  guint n = self->columns->len;
  char title[2] = { 0, 0 };

  g_return_val_if_fail (SQ_IS_COMPARE_PAGE (self), FALSE);
  if (n >= SQ_COMPARE_MAX_COLUMNS)
    return FALSE;

  /* Columns are named by letter so the text can refer to them. */
  title[0] = (char) ('A' + n);
  column = sq_compare_column_new (title, n);
  preset_settings (self->source ? sq_analysis_get_kind (self->source) : sq_default_kind (), n,
                   &s);
  sq_analysis_set_settings (sq_compare_column_get_analysis (SQ_COMPARE_COLUMN (column)), &s);
  g_signal_connect_object (sq_compare_column_get_analysis (SQ_COMPARE_COLUMN (column)),
                           "updated", G_CALLBACK (update_best), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (column, "use-settings", G_CALLBACK (column_use_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (column, "remove", G_CALLBACK (column_remove), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->columns, column);
  gtk_box_append (self->columns_box, column);
  sync_column (self, SQ_COMPARE_COLUMN (column));
  update_buttons (self);
  return TRUE;
}

static void
add_clicked (SqComparePage *self)
{
  sq_compare_page_add_column (self);
}

static void
sq_compare_page_dispose (GObject *object)
{
  SqComparePage *self = SQ_COMPARE_PAGE (object);
  GtkWidget *child;

  if (self->source)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_COMPARE_PAGE);
  /* The template's outer box is not bound to a field, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sq_compare_page_parent_class)->dispose (object);
}

static void
sq_compare_page_class_init (SqComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_compare_page_dispose;

  /**
   * SqComparePage::use-settings:
   *
   * A column's settings were copied to the source analysis.
   */
  signals[USE_SETTINGS] = g_signal_new ("use-settings", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  g_type_ensure (SQ_TYPE_COMPARE_COLUMN);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SqComparePage, caption_label);
  gtk_widget_class_bind_template_child (widget_class, SqComparePage, add_button);
  gtk_widget_class_bind_template_child_full (widget_class, "columns", FALSE,
                                             G_STRUCT_OFFSET (SqComparePage, columns_box));
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_compare_page_init (SqComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->columns = g_ptr_array_new ();
  self->best = -1;
  g_signal_connect_swapped (self->add_button, "clicked", G_CALLBACK (add_clicked), self);
  for (guint i = 0; i < SQ_COMPARE_MIN_COLUMNS; i++)
    sq_compare_page_add_column (self);
}

/**
 * sq_compare_page_set_source:
 * @source: (nullable): the tune page's analysis; the columns follow its document, group
 *   and the options its kind shares
 */
void
sq_compare_page_set_source (SqComparePage *self,
                            SqAnalysis    *source)
{
  g_return_if_fail (SQ_IS_COMPARE_PAGE (self));

  if (self->source)
    g_signal_handlers_disconnect_by_data (self->source, self);
  if (!g_set_object (&self->source, source))
    return;
  if (source != NULL)
    {
      g_signal_connect_swapped (source, "notify::document", G_CALLBACK (sync_columns), self);
      g_signal_connect_swapped (source, "notify::group", G_CALLBACK (sync_columns), self);
      g_signal_connect_swapped (source, "notify::settings", G_CALLBACK (sync_columns), self);
    }
  sync_columns (self);
}

guint
sq_compare_page_get_n_columns (SqComparePage *self)
{
  g_return_val_if_fail (SQ_IS_COMPARE_PAGE (self), 0);
  return self->columns->len;
}

GtkWidget *
sq_compare_page_get_column (SqComparePage *self,
                            guint          i)
{
  g_return_val_if_fail (SQ_IS_COMPARE_PAGE (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);
  return g_ptr_array_index (self->columns, i);
}

/* Returns: the index of the column with the best network SQNR, or -1 before any result */
int
sq_compare_page_get_best (SqComparePage *self)
{
  g_return_val_if_fail (SQ_IS_COMPARE_PAGE (self), -1);
  return self->best;
}
