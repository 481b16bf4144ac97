/* sq-dynapcnn-net-private.h: what the DynapCNN layer file's two readers and the networks
 * made from one (discretized, copied) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-dynapcnn-net.h"

G_BEGIN_DECLS

gboolean _sq_dynapcnn_net_validate (SqDynapcnnNet *net,
                                    GError       **error);

/* A network with @net's source and input shape, no warnings, and room for its layers
 * (n_layers 0: the caller fills them and counts them as it goes). */
SqDynapcnnNet *_sq_dynapcnn_net_new_frame (const SqDynapcnnNet *net);

G_END_DECLS
