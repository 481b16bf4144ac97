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

  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (SqApplication, sq_application, ADW_TYPE_APPLICATION)

static SqWindow *
get_window (SqApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SQ_IS_WINDOW (window))
    return SQ_WINDOW (window);
  return sq_window_new (self);
}

static void
sq_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (SQ_APPLICATION (app))));
}

/* `synquant net.json` opens the file in a window; several files, several windows. */
static void
sq_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      SqWindow *window = i == 0 ? get_window (SQ_APPLICATION (app))
                                : sq_window_new (SQ_APPLICATION (app));

      sq_window_open (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
sq_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };
  SqApplication *self = SQ_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (sq_application_parent_class)->startup (app);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);

  /* Without the installed schema (a build tree run without GSETTINGS_SCHEMA_DIR) the window
   * still works; it just forgets its settings. g_settings_new() would abort instead. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_message ("GSettings schema %s not found: settings will not be kept", APP_ID);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close (not destroy) so each window saves its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (app);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Synquant developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Synquant"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Synquant developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Quantize spiking neural networks for integer "
                                      "neuromorphic hardware and see what it costs."),
                        "website", "https://github.com/synquant/synquant",
                        "issue-url", "https://github.com/synquant/synquant/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your name(s), one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sq_application_dispose (GObject *object)
{
  SqApplication *self = SQ_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sq_application_parent_class)->dispose (object);
}

static void
sq_application_class_init (SqApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sq_application_dispose;
  app_class->activate = sq_application_activate;
  app_class->open = sq_application_open;
  app_class->startup = sq_application_startup;
}

static void
sq_application_init (SqApplication *self)
{
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_activated },
    { .name = "about", .activate = about_activated },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
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

/* Returns: (nullable) (transfer none): the settings, or %NULL without an installed schema */
GSettings *
sq_application_get_settings (SqApplication *self)
{
  g_return_val_if_fail (SQ_IS_APPLICATION (self), NULL);
  return self->settings;
}
