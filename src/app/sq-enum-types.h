/* sq-enum-types.h: GTypes for the core's enums, so properties and GSettings can carry them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SQ_TYPE_METHOD (sq_method_get_type ())
#define SQ_TYPE_MODE   (sq_mode_get_type ())
#define SQ_TYPE_PARAM  (sq_param_get_type ())

GType sq_method_get_type (void) G_GNUC_CONST;
GType sq_mode_get_type   (void) G_GNUC_CONST;
GType sq_param_get_type  (void) G_GNUC_CONST;

gboolean sq_enum_to_position (GBinding     *binding,
                              const GValue *from,
                              GValue       *to,
                              gpointer      user_data);
gboolean sq_position_to_enum (GBinding     *binding,
                              const GValue *from,
                              GValue       *to,
                              gpointer      user_data);

G_END_DECLS
