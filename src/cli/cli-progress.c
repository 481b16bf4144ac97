/* cli-progress.c: progress on stderr and Ctrl+C for the long commands (evaluate, sweep)
 *
 * SIGINT only sets a flag (nothing else is safe in a signal handler); the progress
 * callback, which the core calls as samples finish, turns it into a cancellation of the
 * command's GCancellable, so the core stops at the next sample and the command writes
 * nothing. A second Ctrl+C kills the process as usual.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

static volatile sig_atomic_t interrupted;
static struct sigaction previous;

static void
on_sigint (int signum)
{
  interrupted = 1;
  /* The next Ctrl+C is the default one. */
  sigaction (SIGINT, &previous, NULL);
}

void
cli_progress_init (CliProgress  *progress,
                   const char   *what,
                   gboolean      quiet)
{
  struct sigaction action;

  memset (progress, 0, sizeof *progress);
  progress->cancellable = g_cancellable_new ();
  progress->what = what;
  progress->quiet = quiet;
  progress->last_percent = -1;
  interrupted = 0;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_sigint;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &previous);
}

void
cli_progress_clear (CliProgress *progress)
{
  sigaction (SIGINT, &previous, NULL);
  if (progress->shown && !progress->quiet)
    fputc ('\n', stderr);
  g_clear_object (&progress->cancellable);
}

/* Whether Ctrl+C was pressed; cancels the command's work if so. */
gboolean
cli_progress_interrupted (CliProgress *progress)
{
  if (interrupted)
    g_cancellable_cancel (progress->cancellable);
  return interrupted != 0 || g_cancellable_is_cancelled (progress->cancellable);
}

/* An SqProgressFunc: "evaluate: 42 %" on stderr, rewritten in place. */
void
cli_progress_report (double   fraction,
                     gpointer data)
{
  CliProgress *progress = data;
  int percent = (int) (100.0 * CLAMP (fraction, 0.0, 1.0));

  if (cli_progress_interrupted (progress) || progress->quiet ||
      percent == progress->last_percent)
    return;
  progress->last_percent = percent;
  progress->shown = TRUE;
  fprintf (stderr, "\r%s: %d %%", progress->what, percent);
  fflush (stderr);
}
