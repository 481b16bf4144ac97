/* sq-application.h: the AdwApplication of the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SQ_TYPE_APPLICATION (sq_application_get_type ())

G_DECLARE_FINAL_TYPE (SqApplication, sq_application, SQ, APPLICATION, AdwApplication)

SqApplication *sq_application_new          (void);
GSettings     *sq_application_get_settings (SqApplication *self);

G_END_DECLS
