/* sq-dynapcnn-net-private.h: what the DynapCNN layer file's two readers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-dynapcnn-net.h"

G_BEGIN_DECLS

gboolean _sq_dynapcnn_net_validate (SqDynapcnnNet *net,
                                    GError       **error);

G_END_DECLS
