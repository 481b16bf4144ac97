/* sq-folders.h: the last folder of each file chooser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a chooser is for: each remembers its own folder (the key "last-folders"). */
#define SQ_FOLDER_NETWORK   "network"
#define SQ_FOLDER_RASTER    "raster"
#define SQ_FOLDER_SESSION   "session"
#define SQ_FOLDER_QUANTIZED "quantized"
#define SQ_FOLDER_EXPORT    "export"
#define SQ_FOLDER_CHART     "chart"
#define SQ_FOLDER_SAMPLES   "samples"
#define SQ_FOLDER_TRANSFORMS "transforms"

GFile *sq_folders_lookup   (const char     *purpose);
void   sq_folders_set      (const char     *purpose,
                            GFile          *folder);
void   sq_folders_restore  (GtkFileChooser *chooser,
                            const char     *purpose);
void   sq_folders_remember (GtkFileChooser *chooser,
                            const char     *purpose);

G_END_DECLS
