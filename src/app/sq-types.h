/* sq-types.h: GTypes for the core's values the window carries in properties, and the kind
 * it starts with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <synquant.h>

G_BEGIN_DECLS

#define SQ_TYPE_QUANT_SETTINGS (sq_quant_settings_get_type ())

GType                sq_quant_settings_get_type (void) G_GNUC_CONST;
const SqNetworkKind *sq_default_kind            (void);

G_END_DECLS
