/* sq-busy.c: a spinner that turns only for waits long enough to see
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
