/* sq-folders.c: the last folder of each file chooser
 *
 * Each chooser starts where the last one of its purpose ended (a network is opened from one
 * folder, exports go to another), as the GSettings key "last-folders" (purpose → path) keeps
 * it. Without the installed schema nothing is kept. A folder that has gone since is
 * forgotten: the chooser starts where it would have.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-application.h"
#include "sq-folders.h"

#define FOLDERS_KEY "last-folders"

static GSettings *
settings (void)
{
  GApplication *app = g_application_get_default ();

  return SQ_IS_APPLICATION (app) ? sq_application_get_settings (SQ_APPLICATION (app)) : NULL;
}

/* Returns: (transfer full) (nullable): the folder last used for @purpose, if it still is one */
GFile *
sq_folders_lookup (const char *purpose)
{
  GSettings *s = settings ();
  g_autoptr(GVariant) folders = s ? g_settings_get_value (s, FOLDERS_KEY) : NULL;
  const char *path = NULL;
  g_autoptr(GFile) folder = NULL;

  g_return_val_if_fail (purpose != NULL, NULL);

  if (folders == NULL || !g_variant_lookup (folders, purpose, "&s", &path))
    return NULL;
  folder = g_file_new_for_path (path);
  if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    return NULL;
  return g_steal_pointer (&folder);
}

/* Keeps @folder (a local one) for @purpose, the other purposes' as they are. */
void
sq_folders_set (const char *purpose,
                GFile      *folder)
{
  GSettings *s = settings ();
  g_autofree char *path = folder ? g_file_get_path (folder) : NULL;
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder b;
  GVariantIter iter;
  const char *k, *v;

  g_return_if_fail (purpose != NULL);

  if (s == NULL || path == NULL)
    return;
  old = g_settings_get_value (s, FOLDERS_KEY);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, purpose))
      g_variant_builder_add (&b, "{ss}", k, v);
  g_variant_builder_add (&b, "{ss}", purpose, path);
  g_settings_set_value (s, FOLDERS_KEY, g_variant_builder_end (&b));
}

/* Before showing @chooser: it starts in @purpose's last folder, if there is one. */
void
sq_folders_restore (GtkFileChooser *chooser,
                    const char     *purpose)
{
  g_autoptr(GFile) folder = sq_folders_lookup (purpose);

  if (folder != NULL)
    gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

/* After @chooser was accepted: the chosen file's folder (or the chosen folder) is
 * @purpose's. */
void
sq_folders_remember (GtkFileChooser *chooser,
                     const char     *purpose)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autoptr(GFile) folder = NULL;

  if (file == NULL)
    return;
  if (gtk_file_chooser_get_action (chooser) == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER)
    folder = g_object_ref (file);
  else
    folder = g_file_get_parent (file);
  if (folder != NULL)
    sq_folders_set (purpose, folder);
}
