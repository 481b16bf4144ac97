/* sq-busy.h: a spinner that turns only for waits long enough to see, a bar that follows a job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-job.h"

G_BEGIN_DECLS

void sq_busy_spinner_set  (GtkSpinner     *spinner,
                           gboolean        busy);
void sq_busy_progress_set (GtkProgressBar *bar,
                           SqJob          *job,
                           gboolean        busy);

G_END_DECLS
