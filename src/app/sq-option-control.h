/* sq-option-control.h: the control of one quantization option of a kind, bound to an
 * analysis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-analysis.h"

G_BEGIN_DECLS

#define SQ_TYPE_OPTION_CONTROL (sq_option_control_get_type ())

G_DECLARE_FINAL_TYPE (SqOptionControl, sq_option_control, SQ, OPTION_CONTROL, GtkWidget)

GtkWidget      *sq_option_control_new        (SqAnalysis      *analysis,
                                              const SqOption  *option,
                                              gboolean         compact);
GtkWidget      *sq_option_control_new_for_layer (SqAnalysis     *analysis,
                                                 const SqOption *option,
                                                 guint           layer);
const SqOption *sq_option_control_get_option (SqOptionControl *self);
GtkWidget      *sq_option_control_get_widget (SqOptionControl *self);

G_END_DECLS
