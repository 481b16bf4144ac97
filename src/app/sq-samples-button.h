/* sq-samples-button.h: the sample set a page evaluates on — a file or folder chooser and a
 * button to go without, shared by the Sweep and Robustness pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SQ_TYPE_SAMPLES_BUTTON (sq_samples_button_get_type ())

G_DECLARE_FINAL_TYPE (SqSamplesButton, sq_samples_button, SQ, SAMPLES_BUTTON, GtkWidget)

GtkWidget *sq_samples_button_new      (void);
void       sq_samples_button_set_file (SqSamplesButton *self,
                                       GFile           *file);
GFile     *sq_samples_button_get_file (SqSamplesButton *self);

G_END_DECLS
