/* sq-json.h: limits for JSON that is parsed outside the core's own reader
 *
 * json-glib recurses once per nesting level and has no limit, so a small file nested deeply
 * enough overflows the stack. Files read with it (sessions) are checked here first, with the
 * limits of the core's reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

gboolean sq_json_check (const char  *data,
                        gsize        length,
                        const char  *name,
                        GError     **error);

G_END_DECLS
