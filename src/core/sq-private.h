/* sq-private.h: internal helpers shared inside libsynquant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

gboolean    _sq_tensor_init_uninitialized (SqTensor         *tensor,
                                           const SqTensor   *like,
                                           GError          **error);
SqXyloSpec *_sq_xylo_spec_new_frame       (const SqXyloSpec *spec,
                                           GError          **error);

G_END_DECLS
