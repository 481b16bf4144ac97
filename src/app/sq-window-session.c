/* sq-window-session.c: sessions, a network with its device and settings
 *
 * A session names its network: opening one loads that network as any file and applies the
 * session's device, quantization and Simulate settings once it is in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-folders.h"
#include "sq-window-private.h"

/* The session's settings wait for the load of its network (a newer load drops them). */
void
_sq_window_open_session (SqWindow *self,
                         GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSession) session = NULL;
  g_autoptr(GFile) source = NULL;

  if (path == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Only local files can be opened as sessions"));
  else
    session = sq_session_load (path, &error);
  if (session == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *shown = g_filename_display_name (name);
      g_autofree char *heading = g_strdup_printf (_("Could Not Open Session “%s”"), shown);

      _sq_window_show_error (self, heading, error->message);
      return;
    }
  source = g_file_new_for_path (session->source);
  _sq_window_start_load (self, source, NULL);
  self->pending_session = g_steal_pointer (&session);
  self->pending_session_file = g_object_ref (file);
}

/* Once the session's network is in: its settings, and the session among the recent ones. */
void
_sq_window_apply_session (SqWindow        *self,
                          const SqSession *session,
                          GFile           *session_file)
{
  SqNetwork *network = self->document ? sq_document_get_network (self->document) : NULL;
  g_autoptr(GError) error = NULL;

  sq_window_set_device (self, session->device);
  /* Settings of another kind than the network's mean nothing to it; layer settings of a
   * layer it lacks are another network's (the file changed since): refused, and said. */
  if (session->settings.kind != sq_analysis_get_kind (self->analysis))
    ;
  else if (network != NULL &&
           !sq_quant_settings_check_layers (&session->settings, sq_network_n_layers (network),
                                            &error))
    {
      g_autofree char *name = g_file_get_basename (session_file);
      g_autofree char *shown = g_filename_display_name (name);
      g_autofree char *heading = g_strdup_printf (_("Could Not Apply Session “%s”"), shown);
      g_autofree char *body = g_strdup_printf ("%s: %s", shown, error->message);

      _sq_window_show_error (self, heading, body);
    }
  else
    sq_analysis_set_settings (self->analysis, &session->settings);
  sq_window_set_simulate_settings (self, session->simulate);
  _sq_window_add_recent (self, session_file);
}

/**
 * sq_window_save_session:
 *
 * Writes the open network's path, the device, the quantization settings and the Simulate
 * page's settings to @file, atomically, and lists it under Recent Sessions.
 */
gboolean
sq_window_save_session (SqWindow *self,
                        GFile    *file,
                        GError  **error)
{
  g_autoptr(SqSession) session = sq_session_new ();
  g_autofree char *path = g_file_get_path (file);

  g_return_val_if_fail (SQ_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->document == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("No network is open"));
      return FALSE;
    }
  session->source = g_file_get_path (sq_document_get_file (self->document));
  if (path == NULL || session->source == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only local files can be written"));
      return FALSE;
    }
  g_free (session->device);
  session->device = g_strdup (self->device ? self->device->name : "");
  sq_analysis_get_settings (self->analysis, &session->settings);
  /* The page's current input, which the property mirrors. */
  session->simulate = sq_simulate_page_get_settings (self->simulate_page);
  sq_window_set_simulate_settings (self, session->simulate);
  if (!sq_session_save (session, path, error))
    return FALSE;
  _sq_window_add_recent (self, file);
  _sq_window_fill_recent (self);
  return TRUE;
}

static void
save_session_response (SqWindow             *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL, *shown = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_SESSION);
    }
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  name = g_file_get_basename (file);
  shown = g_filename_display_name (name);
  if (!sq_window_save_session (self, file, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), shown);

      _sq_window_show_error (self, heading, error->message);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("Saved session “%s”"), shown);

      _sq_window_show_toast (self, title);
    }
}

void
_sq_window_choose_session_file (SqWindow *self)
{
  g_autofree char *base = NULL, *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  char *dot;

  if (self->document == NULL)
    return;
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save the Session"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  base = g_file_get_basename (sq_document_get_file (self->document));
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, SQ_SESSION_SUFFIX, NULL);
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_SESSION);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, _("Synquant sessions"));
  gtk_file_filter_add_suffix (filter, SQ_SESSION_SUFFIX + 1);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (save_session_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
