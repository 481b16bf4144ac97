/* sq-window-check.c: the header's device check
 *
 * After every result and device change the window checks, in a thread, what an export
 * would write against the device; the header's button shows the verdict and opens the list
 * of problems, whose rows lead to their parameter group.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-window-private.h"

static void
update_check_button (SqWindow *self)
{
  static const char * const classes[] = { "success", "warning", "error" };
  const SqCheckReport *report = self->check_report;
  gsize violations, silent;
  const SqCheckIssue *dead;
  const char *icon, *css;
  g_autofree char *label = NULL, *summary = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->check_button, classes[i]);
  if (report == NULL)
    {
      gtk_image_set_from_icon_name (self->check_icon, "content-loading-symbolic");
      gtk_label_set_label (self->check_label, _("Checking…"));
      return;
    }

  violations = sq_check_report_count (report, SQ_CHECK_VIOLATION);
  silent = sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE);
  dead = sq_check_report_first (report, SQ_CHECK_DEAD);
  if (violations + silent == 0 && dead != NULL)
    {
      /* It fits, but it cannot work: never green, and what is wrong in the badge itself
       * (the tooltip and the list have the whole sentence). */
      icon = "dialog-warning-symbolic";
      css = "warning";
      label = g_strdup (dead->headline ? sq_label (dead->headline) : dead->message);
    }
  else if (violations + silent == 0)
    {
      icon = "emblem-ok-symbolic";
      css = "success";
      /* Translators: the network fits the device */
      label = g_strdup (_("Fits"));
    }
  else
    {
      icon = violations > 0 ? "dialog-error-symbolic" : "dialog-warning-symbolic";
      css = violations > 0 ? "error" : "warning";
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu problem", "%zu problems",
                                            violations + silent),
                               violations + silent);
    }
  gtk_image_set_from_icon_name (self->check_icon, icon);
  gtk_label_set_label (self->check_label, label);
  gtk_widget_add_css_class (self->check_button, css);
  summary = sq_check_report_summary (report);
  gtk_widget_set_tooltip_text (self->check_button, summary);
}

/* The network whose groups the issues name. */
static const SqNetwork *
checked_network (SqWindow *self)
{
  return self->document ? sq_document_get_network (self->document) : NULL;
}

/* The report in the popover, as tall as its rows (up to a limit, then it scrolls): a
 * scrolled window measures its child's natural height at its natural width, where the rows'
 * wrapping text is one line each, and so would cut them short. */
static void
show_report (SqWindow            *self,
             const SqCheckReport *report)
{
  int width, height;

  sq_check_list_set_report (self->check_list, report, checked_network (self));
  gtk_widget_get_size_request (GTK_WIDGET (self->check_list), &width, NULL);
  gtk_widget_measure (GTK_WIDGET (self->check_list), GTK_ORIENTATION_VERTICAL, width, NULL,
                      &height, NULL, NULL);
  gtk_scrolled_window_set_min_content_height (self->check_scroller, MIN (height, 480));
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SqWindow) self = user_data;
  SqCheckReport *report = sq_check_run_finish (result, NULL);

  /* A newer check replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->check_cancellable)
    {
      g_clear_pointer (&report, sq_check_report_free);
      return;
    }
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->check_report, sq_check_report_free);
  self->check_report = report;
  /* Building a hundred rows takes the main thread for tens of milliseconds: only when they
   * are seen, not on every tuning step. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->check_popover)))
    show_report (self, report);
  update_check_button (self);
}

static void
check_popover_shown (SqWindow *self)
{
  show_report (self, self->check_report);
}

/* Checks the current quantization against the device, in a thread (it reads every weight).
 * The last report stays shown until the new one is in, so tuning does not flicker. */
void
_sq_window_run_check (SqWindow *self)
{
  g_autoptr(SqAnalysisResult) r = self->analysis ? sq_analysis_dup_result (self->analysis) : NULL;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->document == NULL || r == NULL || self->device == NULL)
    {
      g_clear_pointer (&self->check_report, sq_check_report_free);
      sq_check_list_set_report (self->check_list, NULL, NULL);
      update_check_button (self);
      return;
    }
  self->check_cancellable = g_cancellable_new ();
  sq_check_run_async (r, self->device, self->check_cancellable, check_done,
                      g_object_ref (self));
}

/* A problem's row: its parameter group, on the tune page. */
void
_sq_window_issue_activated (SqWindow *self,
                            int       group)
{
  gtk_popover_popdown (self->check_popover);
  adw_view_stack_set_visible_child_name (self->view_stack, "tune");
  if (group >= 0)
    sq_tune_page_select_group (self->tune_page, (guint) group);
}

/* The list is filled when it is shown; its rows lead to their parameter group. */
void
_sq_window_check_init (SqWindow *self)
{
  g_signal_connect_object (self->check_popover, "show", G_CALLBACK (check_popover_shown), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check_list, "issue-activated",
                           G_CALLBACK (_sq_window_issue_activated), self, G_CONNECT_SWAPPED);
}

/* Returns: (nullable): the latest check of the current quantization against the device;
 * while a newer one runs, the one before */
const SqCheckReport *
sq_window_get_check_report (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->check_report;
}

gboolean
sq_window_is_checking (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), FALSE);
  return self->check_cancellable != NULL;
}
