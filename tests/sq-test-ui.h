/* sq-test-ui.h: helpers for the window tests (Xvfb, offscreen rendering, screenshots)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sq-application.h"
#include "sq-window.h"

G_BEGIN_DECLS

typedef struct {
  int     width;
  int     height;
  gsize   stride;
  guint8 *pixels;   /* GDK_MEMORY_DEFAULT: B, G, R, A premultiplied, little-endian ARGB32 */
} SqTestImage;

void        sq_test_ui_init           (int          *argc,
                                       char       ***argv);
gboolean    sq_test_wait_until        (gboolean    (*done) (gpointer),
                                       gpointer      data,
                                       guint         timeout_ms);
void        sq_test_present           (GtkWindow    *window);
void        sq_test_assert_finalized  (gpointer      object);
void        sq_test_finalize_window   (gpointer      window);
GdkTexture *sq_test_render_widget     (GtkWidget    *widget);
void        sq_test_image_init        (SqTestImage  *image,
                                       GdkTexture   *texture);
void        sq_test_image_clear       (SqTestImage  *image);
void        sq_test_image_rgb         (const SqTestImage *image,
                                       int           x,
                                       int           y,
                                       guint8        rgb[3]);
void        sq_test_save_screenshot   (GtkWidget    *widget,
                                       const char   *name);
void        sq_test_save_data_screenshot (GtkWidget *widget,
                                          const char *name);
void        sq_test_present_screenshot_size (SqWindow *window);
void        sq_test_assert_fits       (SqWindow     *window,
                                       const char   *what);

SqApplication *sq_test_app_new       (void);
SqWindow   *sq_test_new_window        (SqApplication *app);
gboolean    sq_test_window_idle       (gpointer      window);
void        sq_test_settle            (SqWindow     *window);
void        sq_test_open_path         (SqWindow     *window,
                                       const char   *path);
gboolean    sq_test_simulation_idle   (gpointer      simulation);
/* The dialog that asks a NIR graph's dt (its dt row and the line that says why), and a
 * click on "Map and Open" with @dt. */
AdwMessageDialog *sq_test_open_nir_dialog (SqWindow     *w,
                                           const char   *name,
                                           GtkEditable **dt_row,
                                           GtkLabel    **why);
void        sq_test_map_nir_with      (SqWindow         *w,
                                       AdwMessageDialog *dialog,
                                       GtkEditable      *dt_row,
                                       const char       *dt);
GtkWidget  *sq_test_child             (gpointer      widget,
                                       GType         type,
                                       const char   *name);
GtkWindow  *sq_test_find_toplevel     (GType         type);

G_END_DECLS
