/* sq-network-private.h: helpers the network model shares with the kinds inside libsynquant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"
#include "sq-xylo-kind-private.h"

G_BEGIN_DECLS

char    *_sq_join_or                 (const char * const *items,
                                      guint               n) G_GNUC_WARN_UNUSED_RESULT;
gboolean _sq_path_has_extension      (const char         *path,
                                      const char         *extension);
void     _sq_network_add_diagnostics (const SqNetwork    *network,
                                      GPtrArray          *to,
                                      GPtrArray          *diagnostics);
/* After a kind wrote over @network's values (sq_network_quantize_consume()). */
void     _sq_network_forget_stats    (SqNetwork          *network);

G_END_DECLS
