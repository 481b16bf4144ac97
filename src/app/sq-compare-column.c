/* sq-compare-column.c: one set of settings of the compare page
 *
 * The column shows the options of the network's kind that it varies (those the kind does
 * not take from the Tune page), two to a row, and the charts and figures of its analysis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-busy.h"
#include "sq-chart.h"
#include "sq-compare-column.h"
#include "sq-figures.h"
#include "sq-option-control.h"
#include "sq-plots.h"

struct _SqCompareColumn
{
  GtkWidget    parent_instance;

  SqAnalysis  *analysis;
  guint        preset;
  gboolean     best;
  const SqNetworkKind *options_kind;

  GtkWidget   *box;
  GtkLabel    *title_label;
  GtkWidget   *best_badge;
  GtkSpinner  *busy_spinner;
  GtkWidget   *remove_button;
  GtkBox      *options_box;
  SqChart     *value_chart;
  SqChart     *error_chart;
  SqFigures   *figures;
  GtkWidget   *use_button;
};

G_DEFINE_FINAL_TYPE (SqCompareColumn, sq_compare_column, GTK_TYPE_WIDGET)

enum {
  USE_SETTINGS,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Whether the compare columns of @kind take option @id from the Tune page. */
static gboolean
is_shared (const SqNetworkKind *kind,
           const char          *id)
{
  const char * const *shared = kind->view ? kind->view->compare_shared : NULL;

  return shared != NULL && g_strv_contains (shared, id);
}

/* The controls of the options the column varies, two to a row; rebuilt for another kind. */
static void
fill_options (SqCompareColumn *self)
{
  const SqNetworkKind *kind = sq_analysis_get_kind (self->analysis);
  GtkWidget *child, *row = NULL;
  guint n = 0;

  if (kind == self->options_kind)
    return;
  self->options_kind = kind;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->options_box))) != NULL)
    gtk_box_remove (self->options_box, child);
  for (guint i = 0; i < kind->n_options; i++)
    {
      if (is_shared (kind, kind->options[i].id))
        continue;
      if (n++ % 2 == 0)
        {
          row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
          gtk_box_append (self->options_box, row);
        }
      gtk_box_append (GTK_BOX (row), sq_option_control_new (self->analysis, &kind->options[i],
                                                            TRUE));
    }
}

static void
analysis_updated (SqCompareColumn *self)
{
  const SqAnalysisResult *r = sq_analysis_get_result (self->analysis);

  sq_figures_set_result (self->figures, r);
  sq_plots_show_values (self->value_chart, r);
  sq_plots_show_errors (self->error_chart, r);
}

static void
use_clicked (SqCompareColumn *self)
{
  g_signal_emit (self, signals[USE_SETTINGS], 0);
}

static void
remove_clicked (SqCompareColumn *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
sq_compare_column_dispose (GObject *object)
{
  SqCompareColumn *self = SQ_COMPARE_COLUMN (object);

  if (self->analysis)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  g_clear_object (&self->analysis);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_COMPARE_COLUMN);

  G_OBJECT_CLASS (sq_compare_column_parent_class)->dispose (object);
}

static void
sq_compare_column_class_init (SqCompareColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_compare_column_dispose;

  /**
   * SqCompareColumn::use-settings:
   *
   * The user wants this column's settings on the tune page.
   */
  signals[USE_SETTINGS] = g_signal_new ("use-settings", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  /**
   * SqCompareColumn::remove:
   *
   * The user closed the column.
   */
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SQ_TYPE_CHART);
  g_type_ensure (SQ_TYPE_FIGURES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-compare-column.ui");
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, box);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, title_label);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, best_badge);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, remove_button);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, options_box);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, value_chart);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, error_chart);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, figures);
  gtk_widget_class_bind_template_child (widget_class, SqCompareColumn, use_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
busy_changed (SqCompareColumn *self)
{
  sq_busy_spinner_set (self->busy_spinner, sq_analysis_get_busy (self->analysis));
}

static void
sq_compare_column_init (SqCompareColumn *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->analysis = sq_analysis_new ();
  sq_figures_set_compact (self->figures, TRUE);

  fill_options (self);
  g_signal_connect_swapped (self->analysis, "notify::settings", G_CALLBACK (fill_options),
                            self);
  g_signal_connect_swapped (self->analysis, "notify::busy", G_CALLBACK (busy_changed), self);
  g_signal_connect_swapped (self->analysis, "updated", G_CALLBACK (analysis_updated), self);
  g_signal_connect_swapped (self->use_button, "clicked", G_CALLBACK (use_clicked), self);
  g_signal_connect_swapped (self->remove_button, "clicked", G_CALLBACK (remove_clicked), self);
  analysis_updated (self);
}

/**
 * sq_compare_column_new:
 * @preset: which of the kind's compare presets the column starts from (its place when it
 *   was added)
 */
GtkWidget *
sq_compare_column_new (const char *title,
                       guint       preset)
{
  SqCompareColumn *self = g_object_new (SQ_TYPE_COMPARE_COLUMN, NULL);

  gtk_label_set_text (self->title_label, title);
  self->preset = preset;
  return GTK_WIDGET (self);
}

guint
sq_compare_column_get_preset (SqCompareColumn *self)
{
  g_return_val_if_fail (SQ_IS_COMPARE_COLUMN (self), 0);
  return self->preset;
}

SqAnalysis *
sq_compare_column_get_analysis (SqCompareColumn *self)
{
  g_return_val_if_fail (SQ_IS_COMPARE_COLUMN (self), NULL);
  return self->analysis;
}

/* The column with the best network SQNR is highlighted and says so in words, not only in
 * colour. */
void
sq_compare_column_set_best (SqCompareColumn *self,
                            gboolean         best)
{
  g_return_if_fail (SQ_IS_COMPARE_COLUMN (self));

  self->best = !!best;
  gtk_widget_set_visible (self->best_badge, self->best);
  if (self->best)
    gtk_widget_add_css_class (self->box, "best");
  else
    gtk_widget_remove_css_class (self->box, "best");
}

gboolean
sq_compare_column_get_best (SqCompareColumn *self)
{
  g_return_val_if_fail (SQ_IS_COMPARE_COLUMN (self), FALSE);
  return self->best;
}

void
sq_compare_column_set_removable (SqCompareColumn *self,
                                 gboolean         removable)
{
  g_return_if_fail (SQ_IS_COMPARE_COLUMN (self));
  gtk_widget_set_sensitive (self->remove_button, removable);
}
