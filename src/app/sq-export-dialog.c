/* sq-export-dialog.c: export the current quantization as a device configuration
 *
 * The device check runs first (in a thread) and its list is the body of the dialog. Export
 * is possible only when the network fits; otherwise an explicit "Export Anyway" takes the
 * path of synquant-cli export --force. The devices and formats are those the network's kind
 * lists. The files are written in a thread by sq_network_export(), the same code and options
 * as the CLI, so the bytes are the CLI's; it writes every file to a temporary and renames
 * only when all are written, so a failure leaves nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sq-export-dialog.h"
#include "sq-folders.h"

struct _SqExportDialog
{
  AdwWindow              parent_instance;

  SqAnalysisResult      *result;
  const SqNetworkKind   *kind;
  const SqDeviceProfile *device;
  const SqFormatInfo    *format;
  GFile                 *file;
  SqCheckReport         *report;
  GCancellable          *check_cancellable;
  GtkFileChooserNative  *chooser;
  gboolean               exporting;

  AdwComboRow           *device_row;
  AdwComboRow           *format_row;
  GtkWidget             *c_source_row;
  GtkSwitch             *c_source_switch;
  SqCheckList           *check_list;
  GtkWidget             *force_box;
  GtkWidget             *force_button;
  GtkWidget             *export_button;
  GtkSpinner            *spinner;
};

G_DEFINE_FINAL_TYPE (SqExportDialog, sq_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  ISSUE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------- */
/* The check                                                                                 */

static void
update_buttons (SqExportDialog *self)
{
  gboolean fits = self->report != NULL && sq_check_report_fits (self->report);

  gtk_widget_set_sensitive (self->export_button, fits && !self->exporting);
  gtk_widget_set_visible (self->force_box, self->report != NULL && !fits);
  gtk_widget_set_sensitive (self->force_button, !self->exporting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row), !self->exporting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), !self->exporting);
  gtk_spinner_set_spinning (self->spinner, self->exporting || self->check_cancellable != NULL);
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SqExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  SqCheckReport *report = sq_check_run_finish (result, &error);

  /* A newer check replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->check_cancellable)
    {
      g_clear_pointer (&report, sq_check_report_free);
      return;
    }
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->report, sq_check_report_free);
  self->report = report;
  sq_check_list_set_report (self->check_list, self->report, self->result->quant->network);
  update_buttons (self);
}

static void
recheck (SqExportDialog *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->report, sq_check_report_free);
  sq_check_list_set_report (self->check_list, NULL, NULL);
  if (self->result == NULL || self->device == NULL)
    {
      update_buttons (self);
      return;
    }
  self->check_cancellable = g_cancellable_new ();
  update_buttons (self);
  sq_check_run_async (self->result, self->device, self->check_cancellable, check_done,
                      g_object_ref (self));
}

static void
device_selected (SqExportDialog *self)
{
  const SqDeviceProfile *device;

  if (self->kind == NULL)
    return;
  device = sq_kind_device_nth (self->kind, adw_combo_row_get_selected (self->device_row));
  if (device == NULL || device == self->device)
    return;
  self->device = device;
  recheck (self);
}

static void
format_selected (SqExportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->format_row);

  if (self->kind == NULL || i >= self->kind->n_formats)
    return;
  self->format = &self->kind->formats[i];
  gtk_widget_set_visible (self->c_source_row, self->format->has_companion);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

typedef struct {
  SqAnalysisResult      *result;
  const SqDeviceProfile *device;
  const SqFormatInfo    *format;
  GFile                 *file;
  char                  *c_source_path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  sq_analysis_result_unref (data->result);
  g_object_unref (data->file);
  g_free (data->c_source_path);
  g_free (data);
}

/* The name of the network's file, as synquant-cli export names its input. */
static char *
network_file_name (const SqNetwork *network)
{
  return network->path ? g_path_get_basename (network->path) : g_strdup (network->source);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  const SqNetworkResult *quant = data->result->quant;
  g_autofree char *path = g_file_get_path (data->file);
  g_autofree char *source = network_file_name (quant->network);
  SqExportOptions options = { NULL, };
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only local files can be written"));
      return;
    }
  /* What synquant-cli export writes for the same file and settings: the source named by its
   * file's name, the C prefix from the header's name. */
  options.source = source;
  options.c_source_path = data->c_source_path;
  if (!sq_network_export (quant->network, quant, data->device, data->format->name, path,
                          &options, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
show_error (SqExportDialog *self,
            GFile          *file,
            const GError   *error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *shown = g_filename_display_name (name);
  g_autofree char *heading = g_strdup_printf (_("Could Not Export to “%s”"), shown);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SqExportDialog) self = user_data;
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->exporting = FALSE;
  update_buttons (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, data->file, error);
      return;
    }
  g_signal_emit (self, signals[EXPORTED], 0, data->file);
  gtk_window_close (GTK_WINDOW (self));
}

/* "net.h" → "net.c"; any other name gets ".c" appended. */
static char *
c_source_path_for (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return NULL;
  if (g_str_has_suffix (path, ".h"))
    path[strlen (path) - 1] = 'c';
  else
    {
      char *with = g_strconcat (path, ".c", NULL);

      g_free (path);
      path = with;
    }
  return g_steal_pointer (&path);
}

static void
start_export (SqExportDialog *self,
              GFile          *file)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  data = g_new0 (ExportData, 1);
  data->result = sq_analysis_result_ref (self->result);
  data->device = self->device;
  data->format = self->format;
  data->file = g_object_ref (file);
  if (self->format->has_companion && gtk_switch_get_active (self->c_source_switch))
    data->c_source_path = c_source_path_for (file);

  self->exporting = TRUE;
  update_buttons (self);
  task = g_task_new (NULL, NULL, export_done, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

static void
chooser_response (SqExportDialog       *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_EXPORT);
      if (file != NULL)
        start_export (self, file);
    }
  g_clear_object (&self->chooser);
}

/* Whether @name holds @word between dashes or at an end: "xylo-audio2" and
 * "net-xylo-audio2-v1" hold "xylo-audio2", "xylo-audio20" does not. */
static gboolean
has_dashed_word (const char *name,
                 const char *word)
{
  gsize n = strlen (word);

  for (const char *p = strstr (name, word); p != NULL && n > 0; p = strstr (p + 1, word))
    if ((p == name || p[-1] == '-' || p[-1] == '_') &&
        (p[n] == '\0' || p[n] == '-' || p[n] == '_'))
      return TRUE;
  return FALSE;
}

/* "small.json" to XyloAudio 2 as samna JSON: "small-xylo-audio2-samna.json": the network's
 * name and the device's (unless the name says it already: "xylo-audio2.json" gives
 * "xylo-audio2-samna.json"), and the format's first word where an earlier format has the
 * same extension. A format with a companion (a C header and its source) is named after the
 * network alone, since its identifiers come from the name. */
static char *
suggested_name (SqExportDialog *self)
{
  const SqFormatInfo *f = self->format;
  g_autofree char *source = network_file_name (self->result->quant->network);
  g_autofree char *base = g_strdup (source);
  g_autofree char *word = NULL;
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');
  gboolean named = FALSE;

  if (dot != NULL && dot != base)
    *dot = '\0';
  if (f->has_companion)
    return g_strdup_printf ("%s.%s", base, f->extension);
  named = has_dashed_word (base, self->device->name);
  for (const SqFormatInfo *e = self->kind->formats; e < f && word == NULL; e++)
    if (g_strcmp0 (e->extension, f->extension) == 0)
      word = g_strndup (f->name, strcspn (f->name, "-"));
  for (int pass = 0; pass < 2; pass++)
    {
      g_free (name);
      name = g_strdup_printf ("%s%s%s%s%s%s%s", base, named ? "" : "-",
                              named ? "" : self->device->name, word ? "-" : "",
                              word ? word : "", f->extension ? "." : "",
                              f->extension ? f->extension : "");
      /* Without the device, "xylo-audio2.json" would be offered its own name back. */
      if (word != NULL || !g_str_equal (name, source))
        break;
      word = g_strndup (f->name, strcspn (f->name, "-"));
    }
  return g_steal_pointer (&name);
}

/* Returns: (transfer full): the name the file chooser proposes for the format and device */
char *
sq_export_dialog_dup_suggested_name (SqExportDialog *self)
{
  g_return_val_if_fail (SQ_IS_EXPORT_DIALOG (self), NULL);
  return suggested_name (self);
}

static void
begin_export (SqExportDialog *self,
              gboolean        force)
{
  gboolean folder = self->format->is_directory;

  if (self->report == NULL || self->exporting)
    return;
  if (!force && !sq_check_report_fits (self->report))
    return;
  if (self->file != NULL)
    {
      start_export (self, self->file);
      return;
    }

  g_clear_object (&self->chooser);
  /* RAM images are a folder of files: the user picks the folder they go into. */
  self->chooser = gtk_file_chooser_native_new (folder ? _("Export into a Folder")
                                                      : _("Export Configuration"),
                                               GTK_WINDOW (self),
                                               folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                      : GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_EXPORT);
  if (!folder)
    {
      g_autofree char *name = suggested_name (self);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* A problem's row leads to its group in the window: the dialog makes way. */
static void
issue_activated (SqExportDialog *self,
                 int             group)
{
  g_signal_emit (self, signals[ISSUE_ACTIVATED], 0, group);
  gtk_window_close (GTK_WINDOW (self));
}

static void
export_clicked (SqExportDialog *self)
{
  begin_export (self, FALSE);
}

static void
force_clicked (SqExportDialog *self)
{
  begin_export (self, TRUE);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_export_dialog_dispose (GObject *object)
{
  SqExportDialog *self = SQ_EXPORT_DIALOG (object);

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (sq_export_dialog_parent_class)->dispose (object);
}

static void
sq_export_dialog_finalize (GObject *object)
{
  SqExportDialog *self = SQ_EXPORT_DIALOG (object);

  g_clear_pointer (&self->result, sq_analysis_result_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->report, sq_check_report_free);

  G_OBJECT_CLASS (sq_export_dialog_parent_class)->finalize (object);
}

static void
sq_export_dialog_class_init (SqExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_export_dialog_dispose;
  object_class->finalize = sq_export_dialog_finalize;

  /**
   * SqExportDialog::exported:
   * @file: what was written (a folder for RAM images)
   *
   * The export succeeded; the dialog closes after this.
   */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  /**
   * SqExportDialog::issue-activated:
   * @group: the index of the problem's group in the network
   *
   * A row of the check was activated; the dialog closes after this.
   */
  signals[ISSUE_ACTIVATED] = g_signal_new ("issue-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT);

  g_type_ensure (SQ_TYPE_CHECK_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, c_source_row);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, c_source_switch);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, check_list);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, force_box);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, force_button);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, SqExportDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, device_selected);
  gtk_widget_class_bind_template_callback (widget_class, format_selected);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, force_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sq_export_dialog_init (SqExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->check_list, "issue-activated", G_CALLBACK (issue_activated),
                           self, G_CONNECT_SWAPPED);
}

/**
 * sq_export_dialog_new:
 * @result: the quantization to export, referenced for the dialog's life
 * @device: the device picked at first, one of the network kind's
 *
 * Returns: (transfer floating): the dialog, modal over @parent; present it
 */
SqExportDialog *
sq_export_dialog_new (GtkWindow             *parent,
                      SqAnalysisResult      *result,
                      const SqDeviceProfile *device)
{
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  SqExportDialog *self;
  const SqNetworkKind *kind;

  g_return_val_if_fail (result != NULL, NULL);
  kind = result->quant->network->kind;
  g_return_val_if_fail (device != NULL && sq_network_kind_device (kind, device->name) == device,
                        NULL);
  g_return_val_if_fail (kind->n_formats > 0, NULL);

  self = g_object_new (SQ_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->result = sq_analysis_result_ref (result);
  self->kind = kind;
  self->device = device;
  self->format = &kind->formats[0];
  devices = sq_kind_device_titles (kind);
  for (guint i = 0; i < kind->n_formats; i++)
    gtk_string_list_append (formats, sq_label (kind->formats[i].label));
  adw_combo_row_set_model (self->device_row, devices);
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  adw_combo_row_set_selected (self->device_row, sq_kind_device_position (kind, device));
  adw_combo_row_set_selected (self->format_row, 0);
  format_selected (self);
  recheck (self);
  return self;
}

const SqDeviceProfile *
sq_export_dialog_get_device (SqExportDialog *self)
{
  g_return_val_if_fail (SQ_IS_EXPORT_DIALOG (self), NULL);
  return self->device;
}

/* Picks @device (one of the kind's) in the device row, which checks again. */
void
sq_export_dialog_set_device (SqExportDialog        *self,
                             const SqDeviceProfile *device)
{
  g_return_if_fail (SQ_IS_EXPORT_DIALOG (self));
  g_return_if_fail (device != NULL && sq_network_kind_device (self->kind, device->name) == device);

  adw_combo_row_set_selected (self->device_row, sq_kind_device_position (self->kind, device));
}

/* Picks the format named @format ("samna-json"), one of the kind's, in the format row. */
void
sq_export_dialog_set_format (SqExportDialog *self,
                             const char     *format)
{
  const SqFormatInfo *f;

  g_return_if_fail (SQ_IS_EXPORT_DIALOG (self));
  f = sq_network_kind_format (self->kind, format);
  g_return_if_fail (f != NULL);

  adw_combo_row_set_selected (self->format_row, (guint) (f - self->kind->formats));
}

/**
 * sq_export_dialog_set_file:
 * @file: (nullable): where to export, or %NULL to ask
 *
 * With a file set, Export writes there without showing the file chooser (for scripts and
 * tests).
 */
void
sq_export_dialog_set_file (SqExportDialog *self,
                           GFile          *file)
{
  g_return_if_fail (SQ_IS_EXPORT_DIALOG (self));
  g_set_object (&self->file, file);
}

/* Returns: (nullable): the finished check of the picked device, %NULL while it runs */
const SqCheckReport *
sq_export_dialog_get_report (SqExportDialog *self)
{
  g_return_val_if_fail (SQ_IS_EXPORT_DIALOG (self), NULL);
  return self->report;
}

/* Whether a check or an export is under way. */
gboolean
sq_export_dialog_is_busy (SqExportDialog *self)
{
  g_return_val_if_fail (SQ_IS_EXPORT_DIALOG (self), FALSE);
  return self->exporting || self->check_cancellable != NULL;
}
