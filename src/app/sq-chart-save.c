/* sq-chart-save.c: saving an SqChart as PNG or SVG, and its context menu
 *
 * A saved chart is drawn by sq_chart_render(), as on screen, on the window's background, and
 * written through sq_file_write_atomic(), so the file holds its old content or the whole
 * chart. Right-click, Menu or Shift+F10 open "Save as PNG…/SVG…" (the widget actions
 * chart.save-png and chart.save-svg, enabled while the chart shows data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "sq-chart-private.h"
#include "sq-folders.h"

#define MAX_EXPORT_PX 16384

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
paint_background (SqChart *self,
                  cairo_t *cr)
{
  SqChartPalette p;

  sq_chart_palette_init (&p, GTK_WIDGET (self));
  sq_chart_set_source (cr, &p.background, 1.0);
  cairo_paint (cr);
}

/**
 * sq_chart_save_scaled:
 * @width: @height: the chart's size in logical pixels, 1 to 16384
 * @scale: pixels per logical pixel in a PNG (2 for a sharp image on HiDPI screens); an SVG is
 *   @width × @height whatever the scale
 *
 * Like sq_chart_save(), with the layout of a @width × @height chart drawn at @scale.
 */
gboolean
sq_chart_save_scaled (SqChart     *self,
                      const char  *path,
                      int          width,
                      int          height,
                      int          scale,
                      GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *display = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  gboolean svg;
  cairo_t *cr;

  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  svg = g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG");
  if (!svg && !g_str_has_suffix (path, ".png") && !g_str_has_suffix (path, ".PNG"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: cannot save a chart in this format; use a name ending in .png or .svg"),
                   display);
      return FALSE;
    }
  if (width < 1 || height < 1 || width > MAX_EXPORT_PX || height > MAX_EXPORT_PX
      || scale < 1 || scale > 4 || (gint64) width * scale > MAX_EXPORT_PX
      || (gint64) height * scale > MAX_EXPORT_PX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: cannot draw a chart of %d × %d pixels at scale %d; "
                     "the size must be 1 to %d pixels"),
                   display, width, height, scale, MAX_EXPORT_PX);
      return FALSE;
    }

  if (svg)
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  paint_background (self, cr);
  sq_chart_render (self, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && !svg)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  /* The layout cache now holds the export's size; the screen's is recomputed on next draw. */
  _sq_chart_layout_invalidate (self);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: cannot draw the chart: %s"),
                   display, cairo_status_to_string (status));
      return FALSE;
    }
  return sq_file_write_atomic (path, (const char *) bytes->data, bytes->len, error);
}

/**
 * sq_chart_save:
 * @path: a name ending in .png or .svg (either case)
 * @width: @height: size in pixels, 1 to 16384
 *
 * Saves the chart as drawn on screen, on the window's background, through a temporary file
 * renamed into place, so @path holds its old content or the whole chart.
 *
 * Returns: %TRUE, or %FALSE with @error set: %G_IO_ERROR_NOT_SUPPORTED for another extension,
 *   %G_IO_ERROR_INVALID_ARGUMENT for a bad size, a %G_FILE_ERROR when writing fails
 */
gboolean
sq_chart_save (SqChart     *self,
               const char  *path,
               int          width,
               int          height,
               GError     **error)
{
  return sq_chart_save_scaled (self, path, width, height, 1, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Menu, actions, dialogs                                                                    */

static void
show_error (SqChart      *self,
            const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Could Not Save the Chart"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_response (GtkNativeDialog *native,
               int              response,
               gpointer         user_data)
{
  g_autoptr(SqChart) self = user_data;
  gboolean svg = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native), "sq-chart-svg"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 240);
  int height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 160);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      sq_folders_remember (GTK_FILE_CHOOSER (native), SQ_FOLDER_CHART);
    }
  g_object_unref (native);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: charts can only be saved to local folders"), uri);
    }
  else
    {
      const char *ext = svg ? ".svg" : ".png";

      /* The user typed a bare name: add the extension of the format they chose. */
      if (!g_str_has_suffix (path, ext) && !g_str_has_suffix (path, svg ? ".SVG" : ".PNG"))
        {
          char *with_ext = g_strconcat (path, ext, NULL);

          g_free (path);
          path = with_ext;
        }
      /* PNGs at twice the size on screen, so they stay sharp in slides and papers. */
      sq_chart_save_scaled (self, path, width, height, svg ? 1 : 2, &error);
    }
  if (error != NULL)
    show_error (self, error);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SqChart *self = SQ_CHART (widget);
  gboolean svg = g_str_equal (action_name, "chart.save-svg");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  native = gtk_file_chooser_native_new (svg ? _("Save Chart as SVG") : _("Save Chart as PNG"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_filter_set_name (filter, svg ? _("SVG images") : _("PNG images"));
  gtk_file_filter_add_mime_type (filter, svg ? "image/svg+xml" : "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);

  /* The title makes a good file name once path separators are out of it. */
  name = g_strconcat (self->title != NULL && *self->title ? self->title : _("chart"),
                      svg ? ".svg" : ".png", NULL);
  g_strdelimit (name, G_DIR_SEPARATOR_S ":", '-');
  sq_folders_restore (GTK_FILE_CHOOSER (native), SQ_FOLDER_CHART);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  g_object_set_data (G_OBJECT (native), "sq-chart-svg", GINT_TO_POINTER (svg));
  g_signal_connect (native, "response", G_CALLBACK (save_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
popup_menu_at (SqChart *self,
               double   x,
               double   y)
{
  if (self->popover == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();

      g_menu_append (menu, _("Save as _PNG…"), "chart.save-png");
      g_menu_append (menu, _("Save as _SVG…"), "chart.save-svg");
      self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
menu_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SqChart *self = SQ_CHART (widget);

  if (self->hovering)
    popup_menu_at (self, self->hover_x, self->hover_y);
  else
    popup_menu_at (self, gtk_widget_get_width (widget) / 2.0,
                   gtk_widget_get_height (widget) / 2.0);
}

static void
click_pressed (GtkGestureClick *gesture,
               int              n_press,
               double           x,
               double           y,
               SqChart         *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  if (event == NULL || !gdk_event_triggers_context_menu (event))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, x, y);
}

/* The actions and their key bindings, from SqChart's class_init. */
void
_sq_chart_menu_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "chart.save-png", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "chart.save-svg", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "chart.menu", NULL, menu_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "chart.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.menu", NULL);
}

/* The right-click, from SqChart's init. */
void
_sq_chart_menu_init (SqChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
