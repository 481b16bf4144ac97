/* sq-busy.c: a spinner that turns only for waits long enough to see, a bar that follows a job
 *
 * A recomputation takes a few milliseconds. A spinner started with each one would animate, and
 * so redraw the window, for that long while the computation wants the processors, and flicker
 * at every change of a setting; it starts only when the work is still going after
 * SQ_BUSY_DELAY_MS, and stops as soon as it is done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-busy.h"

#define SQ_BUSY_DELAY_MS 300
#define TIMEOUT_KEY "sq-busy-timeout"
#define PROGRESS_KEY "sq-busy-progress"
/* A job writes its progress from its thread; the bar reads it at this interval. */
#define SQ_BUSY_POLL_MS 50

static void
remove_source (gpointer id)
{
  g_source_remove (GPOINTER_TO_UINT (id));
}

static gboolean
start_spinning (gpointer user_data)
{
  GtkSpinner *spinner = user_data;

  /* The source is ending: take it from the spinner without removing it. */
  g_object_steal_data (G_OBJECT (spinner), TIMEOUT_KEY);
  gtk_spinner_set_spinning (spinner, TRUE);
  return G_SOURCE_REMOVE;
}

/**
 * sq_busy_spinner_set:
 *
 * Shows that work is under way (@busy) or done: @spinner starts after a delay, unless the
 * work is done by then, and stops at once.
 */
void
sq_busy_spinner_set (GtkSpinner *spinner,
                     gboolean    busy)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  if (!busy)
    {
      g_object_set_data (G_OBJECT (spinner), TIMEOUT_KEY, NULL);
      gtk_spinner_set_spinning (spinner, FALSE);
      return;
    }
  if (gtk_spinner_get_spinning (spinner) || g_object_get_data (G_OBJECT (spinner), TIMEOUT_KEY))
    return;
  /* The timeout ends with the spinner, if the spinner goes first. */
  g_object_set_data_full (G_OBJECT (spinner), TIMEOUT_KEY,
                          GUINT_TO_POINTER (g_timeout_add (SQ_BUSY_DELAY_MS, start_spinning,
                                                           spinner)),
                          remove_source);
}

typedef struct {
  GtkProgressBar *bar;
  SqJob          *job;
} Follow;

static void
follow_free (gpointer data)
{
  Follow *f = data;

  g_object_unref (f->job);
  g_free (f);
}

static gboolean
poll_progress (gpointer data)
{
  Follow *f = data;

  gtk_progress_bar_set_fraction (f->bar, sq_job_get_progress (f->job));
  return G_SOURCE_CONTINUE;
}

/**
 * sq_busy_progress_set:
 *
 * While @job is @busy, @bar shows the part of its run done, read every SQ_BUSY_POLL_MS; the
 * reading stops when it is done, or with the bar.
 */
void
sq_busy_progress_set (GtkProgressBar *bar,
                      SqJob          *job,
                      gboolean        busy)
{
  Follow *f;

  g_return_if_fail (GTK_IS_PROGRESS_BAR (bar) && SQ_IS_JOB (job));

  if (!busy)
    {
      g_object_set_data (G_OBJECT (bar), PROGRESS_KEY, NULL);
      return;
    }
  if (g_object_get_data (G_OBJECT (bar), PROGRESS_KEY) != NULL)
    return;
  f = g_new (Follow, 1);
  f->bar = bar;
  f->job = g_object_ref (job);
  gtk_progress_bar_set_fraction (bar, sq_job_get_progress (job));
  g_object_set_data_full (G_OBJECT (bar), PROGRESS_KEY,
                          GUINT_TO_POINTER (g_timeout_add_full (G_PRIORITY_DEFAULT,
                                                                SQ_BUSY_POLL_MS,
                                                                poll_progress, f,
                                                                follow_free)),
                          remove_source);
}
