/* sq-busy.h: a spinner that turns only for waits long enough to see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sq_busy_spinner_set (GtkSpinner *spinner,
                          gboolean    busy);

G_END_DECLS
