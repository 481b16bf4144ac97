/* sq-input-maps.h: an input of maps (channels × height × width) as images, one per channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SQ_TYPE_INPUT_MAPS (sq_input_maps_get_type ())

G_DECLARE_FINAL_TYPE (SqInputMaps, sq_input_maps, SQ, INPUT_MAPS, GtkWidget)

GtkWidget  *sq_input_maps_new       (void);
void        sq_input_maps_set_counts (SqInputMaps  *self,
                                      const guint8 *counts,
                                      gsize         n_steps,
                                      const gsize   shape[3]);
guint64     sq_input_maps_get_count (SqInputMaps  *self,
                                     gsize         channel,
                                     gsize         row,
                                     gsize         column);
const char *sq_input_maps_get_title (SqInputMaps  *self);

G_END_DECLS
