/* sq-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-window.h"

struct _SqWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
};

G_DEFINE_FINAL_TYPE (SqWindow, sq_window, ADW_TYPE_APPLICATION_WINDOW)

static void
sq_window_class_init (SqWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SqWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, window_title);
}

static void
sq_window_init (SqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SqWindow *
sq_window_new (SqApplication *application)
{
  return g_object_new (SQ_TYPE_WINDOW, "application", application, NULL);
}
