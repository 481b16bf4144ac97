/* sq-test-ui.c: helpers for the window tests (Xvfb, offscreen rendering, screenshots)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "sq-test-ui.h"
#include "sq-test-utils.h"

/* Initialises GLib's test framework and GTK. Without a display the test is skipped (a TAP
 * "1..0 # SKIP", which meson counts as skipped),
 * unless SQ_REQUIRE_DISPLAY is set, as ./dev test does: there a missing display is a failure,
 * so the window tests can never silently stop running. */
void
sq_test_ui_init (int    *argc,
                 char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      if (g_getenv ("SQ_REQUIRE_DISPLAY") != NULL)
        g_error ("no display, but SQ_REQUIRE_DISPLAY is set");
      printf ("1..0 # SKIP no display for the window tests\n");
      exit (0);
    }
  adw_init ();
  /* The same rendering on every machine: no animations, the default light style. Recent
   * files are kept whatever their age: GTK 4.8 leaks a GDateTime each time it prunes the list
   * by age (gtk_recent_manager_clamp_to_age), and LeakSanitizer cannot tell that leak from
   * ours (its stack ends in GLib, which has no frame pointers). */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-recent-files-max-age", -1,
                NULL);
}

static gboolean
timeout_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done returns TRUE, or until @timeout_ms pass, which only guards
 * against a hang; returns whether @done. There is deliberately no helper that runs the loop
 * for a fixed time: a test waits for the event that proves the work finished. */
gboolean
sq_test_wait_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_reached, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return done (data);
}

/* Presents @window and returns once it has been laid out and drawn. */
void
sq_test_present (GtkWindow *window)
{
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static gboolean
only_caller_ref (gpointer object)
{
  return g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1;
}

/* Drops the caller's reference to @object and asserts that this finalizes it: nothing leaked
 * a reference and no cycle keeps it alive. Work it started in a thread holds a reference
 * until its callback has run on the main loop: that callback is what is waited for (a
 * reference never given back fails after the guard's 30 s). */
void
sq_test_assert_finalized (gpointer object)
{
  g_assert_true (G_IS_OBJECT (object));
  sq_test_wait_until (only_caller_ref, object, 30000);
  g_assert_finalize_object (object);
}

/* Destroys @window, of which the caller holds a reference, and asserts that it is
 * finalized. */
void
sq_test_finalize_window (gpointer window)
{
  g_assert_true (GTK_IS_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (window));
  sq_test_assert_finalized (window);
}

/* Renders @widget as it is allocated now, with the cairo renderer, so the pixels do not
 * depend on the GPU. */
GdkTexture *
sq_test_render_widget (GtkWidget *widget)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GskRenderer *renderer = gsk_cairo_renderer_new ();
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;

  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (h, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_renderer_realize (renderer, NULL, &error);
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_renderer_unrealize (renderer);
  g_assert_finalize_object (renderer);
  g_assert_finalize_object (paintable);
  return texture;
}

void
sq_test_image_init (SqTestImage *image,
                    GdkTexture  *texture)
{
  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->stride = (gsize) image->width * 4;
  image->pixels = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->pixels, image->stride);
}

void
sq_test_image_clear (SqTestImage *image)
{
  g_clear_pointer (&image->pixels, g_free);
}

void
sq_test_image_rgb (const SqTestImage *image,
                   int                x,
                   int                y,
                   guint8             rgb[3])
{
  const guint8 *p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, image->width);
  g_assert_cmpint (y, <, image->height);
  p = image->pixels + (gsize) y * image->stride + (gsize) x * 4;
  /* gdk_texture_download gives CAIRO_FORMAT_ARGB32: B, G, R, A in memory on little-endian. */
  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

/* Writes @widget's pixels to $SQ_SCREENSHOT_DIR/@name.png, for people to look at. */
/* Whether a revealer under @widget is still moving (the page switcher's bar at the
 * bottom slides in after the header found no room for it). */
static gboolean
revealer_moving (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget) &&
      gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) !=
      gtk_revealer_get_child_revealed (GTK_REVEALER (widget)))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (revealer_moving (c))
      return TRUE;
  return FALSE;
}

/* Until @widget has drawn and nothing in it is still sliding: what a screenshot shows. */
static void
settle_for_screenshot (GtkWidget *widget)
{
  gtk_test_widget_wait_for_draw (widget);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (revealer_moving (widget))
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (widget);
}

void
sq_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("SQ_SCREENSHOT_DIR");
  GdkTexture *texture;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  /* A window presented a moment ago may not have drawn yet: there is nothing to render. */
  settle_for_screenshot (widget);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  texture = sq_test_render_widget (widget);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_assert_finalize_object (texture);
  g_test_message ("screenshot: %s", path);
}

/* The screenshots of data/screenshots/: written there with SQ_UPDATE_SCREENSHOTS=1, else
 * into $SQ_SCREENSHOT_DIR like the others. */
void
sq_test_save_data_screenshot (GtkWidget  *widget,
                              const char *name)
{
  const char *update = g_getenv ("SQ_UPDATE_SCREENSHOTS");
  g_autofree char *dir = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (update != NULL && g_str_equal (update, "1"))
    dir = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "screenshots", NULL);
  else if (g_getenv ("SQ_SCREENSHOT_DIR") != NULL)
    dir = g_strdup (g_getenv ("SQ_SCREENSHOT_DIR"));
  else
    return;
  settle_for_screenshot (widget);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  texture = sq_test_render_widget (widget);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
screenshot_size (gpointer w)
{
  return gtk_widget_get_width (w) == 1280 && gtk_widget_get_height (w) == 800;
}

/* Presents @window at the screenshots' 1280 × 800. */
void
sq_test_present_screenshot_size (SqWindow *window)
{
  GtkWidget *w = GTK_WIDGET (window);

  gtk_window_set_default_size (GTK_WINDOW (w), 1280, 800);
  sq_test_present (GTK_WINDOW (w));
  /* Without a compositor the window's border is inside its size (Xvfb): the image is the
   * window without it, so the window is made larger by as much. */
  gtk_window_set_default_size (GTK_WINDOW (w), 2 * 1280 - gtk_widget_get_width (w),
                               2 * 800 - gtk_widget_get_height (w));
  g_assert_true (sq_test_wait_until (screenshot_size, w, 10000));
}

/* The window's smallest size is within 800 × 600 (HACKING.md, "Standard behaviour"); @what
 * says what was shown, for the message. */
void
sq_test_assert_fits (SqWindow   *window,
                     const char *what)
{
  int min_w, min_h;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, 800, &min_h, NULL, NULL,
                      NULL);
  if (min_w > 800 || min_h > 600)
    g_error ("%s needs %d × %d, more than 800 × 600", what, min_w, min_h);
}

/* The application the window tests open their windows in: registered, not unique, so several
 * test programs can run at once. It is never run, so it cannot be asserted finalized:
 * GtkApplication's startup takes a reference to it (its platform part) that only the shutdown
 * at the end of g_application_run() gives back. */
SqApplication *
sq_test_app_new (void)
{
  g_autoptr(GError) error = NULL;
  SqApplication *app = sq_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

/* Returns: (transfer full): a presented window of the size the screenshots use; end with
 * sq_test_finalize_window() */
SqWindow *
sq_test_new_window (SqApplication *app)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));

  gtk_window_set_default_size (GTK_WINDOW (w), 1400, 940);
  sq_test_present (GTK_WINDOW (w));
  return w;
}

/* Nothing is loading, computing or checking, and a document has its result (or error). */
gboolean
sq_test_window_idle (gpointer window)
{
  SqWindow *w = window;
  SqAnalysis *a = sq_window_get_analysis (w);

  return !sq_window_is_loading (w) && !sq_analysis_get_busy (a) && !sq_window_is_checking (w) &&
         (sq_window_get_document (w) == NULL || sq_analysis_get_result (a) != NULL ||
          sq_analysis_get_error (a) != NULL);
}

/* Lets the window load, compute and check until nothing is left to do (SqAnalysis is busy
 * from the moment a recomputation is queued), then waits for the frame that lays out and
 * draws the result, so charts have their size and mapping. */
void
sq_test_settle (SqWindow *window)
{
  g_assert_true (sq_test_wait_until (sq_test_window_idle, window, 30000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

/* Opens @path in @window and lets it load, compute and check. */
void
sq_test_open_path (SqWindow   *window,
                   const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sq_window_open (window, file);
  g_assert_true (sq_window_is_loading (window));
  sq_test_settle (window);
}

/* For sq_test_wait_until(): an SqSimulation has no run under way. */
gboolean
sq_test_simulation_idle (gpointer simulation)
{
  return !sq_simulation_get_busy (simulation);
}

GtkWidget *
sq_test_child (gpointer    widget,
               GType       type,
               const char *name)
{
  GObject *o = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (o);
  return GTK_WIDGET (o);
}

/* The visible toplevel of @type (a dialog, say), or %NULL. */
GtkWindow *
sq_test_find_toplevel (GType type)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GObject) o = g_list_model_get_item (tops, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (o, type) && gtk_widget_get_visible (GTK_WIDGET (o)))
        return GTK_WINDOW (o);
    }
  return NULL;
}

/* The NIR dialog the window shows after trying to load @name (of tests/data/nir), with its
 * dt row. */
AdwMessageDialog *
sq_test_open_nir_dialog (SqWindow     *w,
                         const char   *name,
                         GtkEditable **dt_row,
                         GtkLabel    **why)
{
  g_autofree char *path = sq_test_data_path ("data", "nir", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwMessageDialog *dialog;
  GtkWidget *extra;

  sq_window_open (w, file);
  g_assert_true (sq_test_wait_until (sq_test_window_idle, w, 30000));
  dialog = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  if (g_strcmp0 (adw_message_dialog_get_heading (dialog), "Map the NIR Graph") != 0)
    g_error ("%s showed “%s” instead of the NIR dialog: %s", name,
             adw_message_dialog_get_heading (dialog), adw_message_dialog_get_body (dialog));
  extra = adw_message_dialog_get_extra_child (dialog);
  *why = GTK_LABEL (gtk_widget_get_first_child (extra));
  *dt_row = GTK_EDITABLE (gtk_list_box_get_row_at_index (
                            GTK_LIST_BOX (gtk_widget_get_last_child (extra)), 0));
  return dialog;
}

/* Maps with @dt as a click on "Map and Open" would, and waits for the check. */
void
sq_test_map_nir_with (SqWindow         *w,
                      AdwMessageDialog *dialog,
                      GtkEditable      *dt_row,
                      const char       *dt)
{
  gtk_editable_set_text (dt_row, dt);
  adw_message_dialog_response (dialog, "open");
  sq_test_finalize_window (g_object_ref (dialog));
  sq_test_settle (w);
}
