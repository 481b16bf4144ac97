/* sq-application.c: the AdwApplication of the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-application.h"
#include "sq-window.h"

struct _SqApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (SqApplication, sq_application, ADW_TYPE_APPLICATION)

static void
sq_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (sq_window_new (SQ_APPLICATION (app)));
  gtk_window_present (window);
}

static void
sq_application_class_init (SqApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = sq_application_activate;
}

static void
sq_application_init (SqApplication *self)
{
}

SqApplication *
sq_application_new (void)
{
  return g_object_new (SQ_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/synquant/Synquant",
                       NULL);
}
