/* sq-sweep-page.c: the Sweep page — a figure of the whole network against the weight bits,
 * one curve per method
 *
 * The page builds an SqSweep of the document's network (the Tune page's settings as its
 * base; the kind's "weight-bits" over the range chosen and its "method", as the CLI's
 * `sweep --weight-bits 2-8 --method global,channel`, or the options the kind's view names:
 * fixed point's width choice whole, drawn at the widths its names stand for), which SqSweepTask
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

#include "sq-busy.h"
#include "sq-check-list.h"
#include "sq-sweep-page-private.h"
#include "sq-types.h"

G_DEFINE_FINAL_TYPE (SqSweepPage, sq_sweep_page, GTK_TYPE_WIDGET)

enum {
  USE_SETTINGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

/* The kind's option of @id when it is of @type. The ids are the CLI's sweep axes
 * (--weight-bits, --method) or the kind's (SqKindView.sweep_x, sweep_series); a kind without
 * them (DynapCNN's scales are sinabs's) has nothing this page can draw. */
static const SqOption *
find_option (const SqNetworkKind *kind,
             const char          *id,
             SqOptionType         type)
{
  const SqOption *o = sq_network_kind_option (kind, id);

  return o != NULL && o->type == type ? o : NULL;
}

/* The x axis: a whole number, or a choice of numbers (fixed point's int8 and int16). */
static const SqOption *
find_x_option (const SqNetworkKind *kind)
{
  const char *id = kind->view && kind->view->sweep_x ? kind->view->sweep_x : "weight-bits";
  const SqOption *o = sq_network_kind_option (kind, id);

  if (o == NULL || o->type == SQ_OPTION_INT)
    return o;
  if (o->type != SQ_OPTION_CHOICE)
    return NULL;
  for (guint c = 0; c < o->n_choices; c++)
    if (o->choices[c].alias == NULL ||
        !g_ascii_string_to_signed (o->choices[c].alias, 10, G_MININT, G_MAXINT, NULL, NULL))
      return NULL;
  return o;
}

/* Where value @value of the x option is on the axis: the number, or the choice's. */
double
_sq_sweep_page_x_of (SqSweepPage *self,
                     int          value)
{
  const SqOption *o = self->x_option;
  gint64 n = 0;

  if (o->type == SQ_OPTION_CHOICE && value >= 0 && (guint) value < o->n_choices &&
      g_ascii_string_to_signed (o->choices[value].alias, 10, G_MININT, G_MAXINT, &n, NULL))
    return (double) n;
  return value;
}

static void
update_controls (SqSweepPage *self)
{
  gboolean busy = sq_job_get_busy (SQ_JOB (self->task));
  gboolean any_series = self->series_checks->len == 0;

  for (guint i = 0; i < self->series_checks->len; i++)
    any_series |= gtk_check_button_get_active (g_ptr_array_index (self->series_checks, i));
  gtk_stack_set_visible_child_name (self->status_stack, busy ? "busy" : "status");
  gtk_widget_set_sensitive (self->run_button, !busy && self->document != NULL
                                              && self->x_option != NULL && any_series);
}

static void
busy_changed (SqSweepPage *self)
{
  gboolean busy = sq_job_get_busy (SQ_JOB (self->task));

  sq_busy_progress_set (self->progress_bar, SQ_JOB (self->task), busy);
  update_controls (self);
}

/* The x range and the series' check buttons for the document's kind. */
static void
make_controls (SqSweepPage *self)
{
  const SqNetworkKind *kind = self->analysis ? sq_analysis_get_kind (self->analysis)
                                             : sq_default_kind ();
  GtkWidget *child;

  const char *series = kind->view && kind->view->sweep_series ? kind->view->sweep_series
                                                                : "method";
  gboolean range;

  self->x_option = find_x_option (kind);
  /* Without a width to sweep there are no curves to split by method. */
  self->series_option = self->x_option ? find_option (kind, series, SQ_OPTION_CHOICE) : NULL;
  /* A choice of widths is swept whole: the range is for numbers. */
  range = self->x_option != NULL && self->x_option->type == SQ_OPTION_INT;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->series_box))) != NULL)
    gtk_box_remove (self->series_box, child);
  g_ptr_array_set_size (self->series_checks, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->x_label), self->x_option != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_spin), range);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_spin), range);
  if (self->x_option != NULL && !range)
    gtk_label_set_label (self->x_label, sq_label (self->x_option->label));
  if (range)
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
  _sq_sweep_page_show_sweep (self);
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
  sq_samples_button_set_file (self->samples_button, file);
}

GFile *
sq_sweep_page_get_samples (SqSweepPage *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), NULL);
  return sq_samples_button_get_file (self->samples_button);
}

/* For the window, which keeps the Sweep and Robustness pages on one sample set. */
SqSamplesButton *
sq_sweep_page_get_samples_button (SqSweepPage *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), NULL);
  return self->samples_button;
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                   */

static void
task_finished (SqSweepPage *self)
{
  const GError *error = sq_job_get_error (SQ_JOB (self->task));
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);

  update_controls (self);
  if (error != NULL)
    {
      gtk_label_set_text (self->status_label,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            ? _("Cancelled") : error->message);
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
    }
  _sq_sweep_page_show_sweep (self);
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
  GFile *samples;
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
  if (self->x_option->type == SQ_OPTION_INT)
    range = g_strdup_printf ("%d-%d", MIN (lo, hi), MAX (lo, hi));
  else
    {
      GString *all = g_string_new (NULL);

      for (guint c = 0; c < self->x_option->n_choices; c++)
        g_string_append_printf (all, "%s%s", c ? "," : "", self->x_option->choices[c].name);
      range = g_string_free (all, FALSE);
    }
  if ((series->len > 0 && !sq_sweep_add_axis (sweep, self->series_option->id, series->str,
                                              &error))
      || !sq_sweep_add_axis (sweep, self->x_option->id, range, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return FALSE;
    }
  samples = sq_samples_button_get_file (self->samples_button);
  if (samples != NULL && (path = g_file_get_path (samples)) == NULL)
    {
      gtk_label_set_text (self->status_label, _("Only local files can be read"));
      return FALSE;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  sq_sweep_task_run (self->task, g_steal_pointer (&sweep),
                     sq_kind_device_or_default (network->kind, self->device), path);
  return TRUE;
}

void
sq_sweep_page_cancel (SqSweepPage *self)
{
  g_return_if_fail (SQ_IS_SWEEP_PAGE (self));
  sq_job_cancel (SQ_JOB (self->task));
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
      g_signal_connect_swapped (analysis, "notify::settings",
                                G_CALLBACK (_sq_sweep_page_update_overlays), self);
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

  if (self->analysis)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  g_clear_object (&self->analysis);
  if (self->task != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->task, self);
      sq_job_cancel (SQ_JOB (self->task));
    }
  g_clear_object (&self->task);
  g_clear_object (&self->document);
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
  g_type_ensure (SQ_TYPE_SAMPLES_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-sweep-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SqSweepPage, samples_button);
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
  gtk_widget_init_template (GTK_WIDGET (self));
  self->series_checks = g_ptr_array_new ();
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->task = sq_sweep_task_new ();
  g_signal_connect_object (self->task, "finished", G_CALLBACK (task_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task, "notify::busy", G_CALLBACK (busy_changed), self,
                           G_CONNECT_SWAPPED);

  _sq_sweep_page_chart_init (self);

  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (sq_sweep_page_run), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (sq_sweep_page_cancel),
                            self);
  make_controls (self);
  _sq_sweep_page_show_sweep (self);
}
