/* sq-window-export.c: saving the quantized network and exporting it for a device
 *
 * Both write in a thread from a reference to the result they were asked for, so tuning on
 * meanwhile changes nothing in the file; the export dialog's toast shows the file in its
 * folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sq-export-dialog.h"
#include "sq-folders.h"
#include "sq-window-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Save                                                                                      */

typedef struct {
  SqAnalysisResult *result;
  GFile            *file;
} SaveData;

static void
save_data_free (SaveData *data)
{
  sq_analysis_result_unref (data->result);
  g_object_unref (data->file);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autofree char *path = g_file_get_path (data->file);
  GError *error = NULL;

  /* The same writer as synquant-cli quantize: same bytes, written to a temporary and renamed,
   * so a failure never leaves half a file. */
  if (path == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Only local files can be written"));
  else
    /* The format follows the name, as in synquant-cli quantize. */
    sq_network_save (data->result->quant, path, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SqWindow) self = user_data;
  SaveData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (data->file);
  g_autofree char *shown = g_filename_display_name (name);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), shown);

      _sq_window_show_error (self, heading, error->message);
      return;
    }
  {
    g_autofree char *title = g_strdup_printf (_("Saved “%s”"), shown);

    _sq_window_show_toast (self, title);
  }
}

/**
 * sq_window_save_quantized:
 *
 * Writes the current quantization in the format its file name says (the kind's first one for
 * another name), in a thread.
 */
void
sq_window_save_quantized (SqWindow *self,
                          GFile    *file)
{
  g_autoptr(SqAnalysisResult) r = NULL;
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (SQ_IS_WINDOW (self));
  /* The thread writes this result, whatever replaces it meanwhile. */
  r = sq_analysis_dup_result (self->analysis);
  if (r == NULL)
    return;

  data = g_new0 (SaveData, 1);
  data->result = g_steal_pointer (&r);
  data->file = g_object_ref (file);
  task = g_task_new (NULL, NULL, save_done, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

static void
save_response (SqWindow             *self,
               int                   response,
               GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_QUANTIZED);
      if (file != NULL)
        sq_window_save_quantized (self, file);
    }
  g_clear_object (&self->chooser);
}

/* What the kind's save name says of @settings: "{method}{-fuzzy}-{weight-bits}bit" →
 * "channel-fuzzy-4bit". */
static char *
expand_save_name (const char            *pattern,
                  const SqQuantSettings *settings)
{
  GString *s = g_string_new (NULL);
  const char *p = pattern;

  while (*p != '\0')
    {
      const char *end = *p == '{' ? strchr (p, '}') : NULL;
      g_autofree char *id = NULL;
      gboolean flag;
      const SqOption *o;

      if (end == NULL)
        {
          g_string_append_c (s, *p++);
          continue;
        }
      flag = p[1] == '-';
      id = g_strndup (p + 1 + flag, (gsize) (end - p - 1 - flag));
      p = end + 1;
      o = sq_network_kind_option (settings->kind, id);
      if (o == NULL)
        continue;
      if (flag && sq_quant_settings_get (settings, id))
        g_string_append_printf (s, "-%s", id);
      else if (!flag)
        {
          g_autofree char *value = sq_quant_settings_get_string (settings, id);

          g_string_append (s, value);
        }
    }
  return g_string_free (s, FALSE);
}

/* "net.json" quantized globally to 8 bits is offered as "net-global-8bit.json": the kind
 * says what the name tells of the settings, its first save format the extension. */
static char *
suggested_name (SqWindow *self)
{
  const SqAnalysisResult *r = sq_analysis_get_result (self->analysis);
  const SqNetworkKind *kind = r->quant->network->kind;
  g_autofree char *base = g_file_get_basename (sq_document_get_file (self->document));
  g_autofree char *settings = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  settings = kind->view && kind->view->save_name
               ? expand_save_name (kind->view->save_name, &r->quant->settings)
               : g_strdup ("quantized");
  return g_strdup_printf ("%s-%s.%s", base, settings,
                          kind->save_extensions && kind->save_extensions[0]
                            ? kind->save_extensions[0] : "json");
}

void
_sq_window_choose_save_file (SqWindow *self)
{
  g_autofree char *name = NULL;

  if (sq_analysis_get_result (self->analysis) == NULL)
    return;
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save the Quantized Network"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  name = suggested_name (self);
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_QUANTIZED);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---------------------------------------------------------------------------------------- */
/* Export                                                                                    */

static void
exported (SqWindow *self,
          GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *shown = g_filename_display_name (name);
  g_autofree char *title = g_strdup_printf (_("Exported to “%s”"), shown);
  g_autofree char *uri = g_file_get_uri (file);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("Show in _Folder"));
  adw_toast_set_action_name (toast, "win.show-in-folder");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_sq_window_export (SqWindow *self)
{
  g_autoptr(SqAnalysisResult) r = sq_analysis_dup_result (self->analysis);
  SqExportDialog *dialog;

  if (r == NULL || self->document == NULL || self->device == NULL)
    return;
  dialog = sq_export_dialog_new (GTK_WINDOW (self), r, self->device);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (exported), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "issue-activated", G_CALLBACK (_sq_window_issue_activated),
                           self, G_CONNECT_SWAPPED);
  _sq_window_watch_dialog (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  SqWindow *window;
  GFile    *file;
} ShowData;

/* Without a file manager that selects items, the folder itself opens. */
static void
show_folder (ShowData *data,
             gboolean  shown)
{
  if (!shown)
    {
      g_autoptr(GFile) parent = g_file_get_parent (data->file);
      g_autofree char *uri = parent ? g_file_get_uri (parent) : NULL;

      if (uri != NULL)
        gtk_show_uri (GTK_WINDOW (data->window), uri, GDK_CURRENT_TIME);
    }
  g_object_unref (data->window);
  g_object_unref (data->file);
  g_free (data);
}

static void
show_items_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             NULL);

  show_folder (user_data, reply != NULL);
}

void
_sq_window_show_in_folder (SqWindow   *self,
                           const char *uri)
{
  const char *uris[] = { uri, NULL };
  GApplication *app = g_application_get_default ();
  GDBusConnection *bus = app ? g_application_get_dbus_connection (app) : NULL;
  ShowData *data = g_new0 (ShowData, 1);

  data->window = g_object_ref (self);
  data->file = g_file_new_for_uri (uri);
  if (bus == NULL)
    {
      show_folder (data, FALSE);
      return;
    }
  /* The file manager opens the folder with the file selected (Nautilus, Dolphin, …). */
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, show_items_done, data);
}
