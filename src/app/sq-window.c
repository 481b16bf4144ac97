/* sq-window.c: the main window
 *
 * Opening (chooser, drop, recent files, examples, command line) all ends in sq_window_open(),
 * which loads in a thread behind a progress page that can be cancelled. The window then
 * hands the document to the tune page's analysis; the compare page follows that analysis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-check-list.h"
#include "sq-export-dialog.h"
#include "sq-session.h"
#include "sq-window.h"

#define RECENT_MAX 5

struct _SqWindow
{
  AdwApplicationWindow parent_instance;

  SqAnalysis          *analysis;
  SqDocument          *document;
  GCancellable        *load_cancellable;
  GFile               *loading_file;
  gint                 load_permille;
  guint                progress_id;
  char                *page_before_load;
  GtkFileChooserNative *chooser;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkWidget           *view_switcher;
  GtkStack            *main_stack;
  AdwStatusPage       *loading_page;
  GtkProgressBar      *load_progress;
  AdwViewStack        *view_stack;
  SqTunePage          *tune_page;
  SqComparePage       *compare_page;
  SqSimulatePage      *simulate_page;
  GMenu               *example_menu;
  GtkWidget           *example_button;
  GtkWidget           *recent_box;
  GtkListBox          *recent_list;
  GtkDropDown         *device_dropdown;
  GtkWidget           *check_button;
  GtkImage            *check_icon;
  GtkLabel            *check_label;
  GtkPopover          *check_popover;
  SqCheckList         *check_list;
  GtkWidget           *session_box;
  GtkListBox          *session_list;

  const SqDeviceProfile *device;
  SqCheckReport       *check_report;
  GCancellable        *check_cancellable;
  JsonObject          *simulate_settings;
  SqSession           *pending_session;
  GFile               *pending_session_file;
};

G_DEFINE_FINAL_TYPE (SqWindow, sq_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_SIMULATE_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------- */
/* Errors and toasts                                                                         */

static void
show_error (SqWindow   *self,
            const char *heading,
            const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_toast (SqWindow   *self,
            const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* ---------------------------------------------------------------------------------------- */
/* State                                                                                     */

static void
update_actions (SqWindow *self)
{
  const SqAnalysisResult *r = sq_analysis_get_result (self->analysis);
  gboolean have = self->document != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", r != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", r != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.page", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.weight-bits-up", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.weight-bits-down", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.threshold-bits-up", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.threshold-bits-down", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-log", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load",
                                 self->load_cancellable != NULL);
}

static void
set_document (SqWindow   *self,
              SqDocument *document)
{
  if (!g_set_object (&self->document, document))
    return;

  sq_analysis_set_document (self->analysis, document);
  /* The file's name, and its folder beneath. */
  adw_window_title_set_title (self->window_title,
                              document ? sq_document_get_title (document) : _("Synquant"));
  if (document != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (sq_document_get_file (document));
      g_autofree char *folder = parent ? g_file_get_parse_name (parent) : NULL;

      adw_window_title_set_subtitle (self->window_title, folder ? folder : "");
    }
  gtk_widget_set_visible (self->view_switcher, document != NULL);
  gtk_widget_set_visible (self->check_button, document != NULL);
  gtk_window_set_title (GTK_WINDOW (self), document ? sq_document_get_title (document)
                                                    : _("Synquant"));
  update_actions (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Recent files and examples                                                                 */

/* GtkRecentData's strings are not const: it gets copies. */
static void
add_recent (GFile      *file,
            const char *mime_type)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *mime = g_strdup (mime_type);
  g_autofree char *app_name = g_strdup (g_get_application_name ());
  g_autofree char *app_exec = g_strdup ("synquant %u");
  GtkRecentData data = {
    .mime_type = mime,
    .app_name = app_name,
    .app_exec = app_exec,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* A recent item with its time, read before sorting: the comparison gets const pointers and
 * GtkRecentInfo's getters take none. */
typedef struct {
  GtkRecentInfo *info;
  GDateTime     *modified;
} RecentItem;

static int
newer_first (gconstpointer a,
             gconstpointer b)
{
  const RecentItem *ia = a, *ib = b;

  return g_date_time_compare (ib->modified, ia->modified);
}

static gboolean
is_session_uri (const char *uri)
{
  return g_str_has_suffix (uri, SQ_SESSION_SUFFIX);
}

/* Fills @list with the newest of @items that are sessions (or networks); returns how many. */
static guint
fill_recent_list (GtkListBox *list,
                  GArray     *items,
                  gboolean    sessions)
{
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  /* Only what Synquant itself opened and what still exists. */
  for (guint i = 0; i < items->len && n < RECENT_MAX; i++)
    {
      GtkRecentInfo *info = g_array_index (items, RecentItem, i).info;
      g_autofree char *path = NULL;
      GtkWidget *row;

      if (!gtk_recent_info_has_application (info, g_get_application_name ()) ||
          !gtk_recent_info_exists (info) ||
          is_session_uri (gtk_recent_info_get_uri (info)) != sessions)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     gtk_recent_info_get_display_name (info));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      path = g_filename_from_uri (gtk_recent_info_get_uri (info), NULL, NULL);
      if (path != NULL)
        {
          g_autofree char *dir = g_path_get_dirname (path);
          g_autofree char *shown = g_filename_display_name (dir);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-uri");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s",
                                        gtk_recent_info_get_uri (info));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (list, row);
      n++;
    }
  return n;
}

static void
fill_recent (SqWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (RecentItem));

  for (GList *l = items; l != NULL; l = l->next)
    {
      RecentItem item = { l->data, gtk_recent_info_get_modified (l->data) };

      g_array_append_val (sorted, item);
    }
  /* Newest first (a stable sort, as g_list_sort); networks and sessions apart, since a
   * session opens with its settings. */
  g_array_sort (sorted, newer_first);
  gtk_widget_set_visible (self->recent_box,
                          fill_recent_list (self->recent_list, sorted, FALSE) > 0);
  gtk_widget_set_visible (self->session_box,
                          fill_recent_list (self->session_list, sorted, TRUE) > 0);
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

/* Where the bundled examples are: $SYNQUANT_EXAMPLES_DIR (the build tree, for ./dev run and
 * the tests), else the installed data folder. */
static char *
examples_dir (void)
{
  const char *env = g_getenv ("SYNQUANT_EXAMPLES_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (SQ_PKGDATADIR, "examples", NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(char * const *) a, *(char * const *) b);
}

static void
fill_examples (SqWindow *self)
{
  g_autofree char *dir = examples_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_menu_remove_all (self->example_menu);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *shown = g_filename_display_name (g_ptr_array_index (names, i));
      g_autoptr(GMenuItem) item = g_menu_item_new (shown, NULL);

      g_menu_item_set_action_and_target (item, "win.open-example", "s", path);
      g_menu_append_item (self->example_menu, item);
    }
  gtk_widget_set_sensitive (self->example_button, names->len > 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Loading                                                                                   */

static gboolean
update_progress (gpointer user_data)
{
  SqWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->load_progress,
                                 g_atomic_int_get (&self->load_permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
end_loading (SqWindow *self)
{
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->loading_file);
  update_actions (self);
}

static void
restore_page (SqWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack,
                                    self->document ? "document" : "empty");
}

/* ---------------------------------------------------------------------------------------- */
/* NIR graphs: the time step and reset mode NIR does not store                               */

static void start_load (SqWindow              *self,
                        GFile                 *file,
                        const SqNirMapOptions *nir);

/* dt in seconds from the entry, read without the locale ("0.001", "1e-3"). */
static gboolean
parse_dt (const char *text,
          double     *dt)
{
  char *end = NULL;

  *dt = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != text && end != NULL && *end == '\0' && isfinite (*dt) && *dt > 0.0;
}

static void
nir_dt_changed (GtkEditable      *row,
                AdwMessageDialog *dialog)
{
  double dt;

  adw_message_dialog_set_response_enabled (dialog, "open",
                                           parse_dt (gtk_editable_get_text (row), &dt));
}

static void
nir_dialog_response (AdwMessageDialog *dialog,
                     const char       *response,
                     SqWindow         *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");
  GtkEditable *dt_row = g_object_get_data (G_OBJECT (dialog), "dt-row");
  AdwComboRow *reset_row = g_object_get_data (G_OBJECT (dialog), "reset-row");
  SqNirMapOptions options = { 0.0, SQ_NIR_RESET_SUBTRACT };

  if (!g_str_equal (response, "open") || !parse_dt (gtk_editable_get_text (dt_row), &options.dt))
    return;
  if (adw_combo_row_get_selected (reset_row) == 1)
    options.reset = SQ_NIR_RESET_ZERO;
  start_load (self, file, &options);
  self->pending_session = g_object_steal_data (G_OBJECT (dialog), "session");
  self->pending_session_file = g_object_steal_data (G_OBJECT (dialog), "session-file");
}

/* @session (transfer full, nullable): the session that named the graph, applied once the
 * graph is mapped. */
static void
ask_nir_options (SqWindow  *self,
                 GFile     *file,
                 SqSession *session,
                 GFile     *session_file)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/synquant/Synquant/sq-nir-dialog.ui");
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  GObject *dt_row = gtk_builder_get_object (builder, "dt_row");

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "session", session,
                          (GDestroyNotify) sq_session_free);
  g_object_set_data_full (G_OBJECT (dialog), "session-file", session_file, g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "dt-row", dt_row);
  g_object_set_data (G_OBJECT (dialog), "reset-row",
                     gtk_builder_get_object (builder, "reset_row"));
  g_signal_connect (dt_row, "changed", G_CALLBACK (nir_dt_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (nir_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SqWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDocument) doc = sq_document_load_finish (result, &error);
  g_autoptr(GFile) file = self->loading_file ? g_object_ref (self->loading_file) : NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(SqSession) session = NULL;
  g_autoptr(GFile) session_file = NULL;

  /* A newer load replaced this one: it owns the page now. */
  if (cancellable != self->load_cancellable)
    return;
  end_loading (self);
  session = g_steal_pointer (&self->pending_session);
  session_file = g_steal_pointer (&self->pending_session_file);

  if (doc == NULL)
    {
      restore_page (self);
      if (g_error_matches (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT))
        ask_nir_options (self, file, g_steal_pointer (&session),
                         g_steal_pointer (&session_file));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *shown = g_filename_display_name (name);
          g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), shown);

          show_error (self, heading, error->message);
        }
      return;
    }

  set_document (self, doc);
  add_recent (file, "application/json");
  if (session != NULL)
    {
      sq_window_set_device (self, session->device);
      sq_analysis_set_params (self->analysis, &session->params);
      sq_window_set_simulate_settings (self, session->simulate);
      add_recent (session_file, SQ_SESSION_MIME_TYPE);
    }
  fill_recent (self);
  gtk_stack_set_visible_child_name (self->main_stack, "document");
}

static void
start_load (SqWindow              *self,
            GFile                 *file,
            const SqNirMapOptions *nir)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  end_loading (self);
  /* A session waits for its own load only. */
  g_clear_pointer (&self->pending_session, sq_session_free);
  g_clear_object (&self->pending_session_file);

  g_set_object (&self->loading_file, file);
  self->load_cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->load_permille, 0);
  gtk_progress_bar_set_fraction (self->load_progress, 0.0);

  name = g_file_get_basename (file);
  title = g_strdup_printf (_("Loading “%s”…"), name);
  adw_status_page_set_title (self->loading_page, title);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  self->progress_id = g_timeout_add (50, update_progress, self);
  update_actions (self);

  sq_document_load_async (file, nir, self->load_cancellable, &self->load_permille, load_done,
                          g_object_ref (self));
}

/* A session names its network: that loads as any file, and the session's settings are
 * applied when it is in. */
static void
open_session (SqWindow *self,
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

      show_error (self, heading, error->message);
      return;
    }
  source = g_file_new_for_path (session->source);
  start_load (self, source, NULL);
  self->pending_session = g_steal_pointer (&session);
  self->pending_session_file = g_object_ref (file);
}

/**
 * sq_window_open:
 *
 * Loads @file in a thread and shows it; a load under way is cancelled. A file that fails to
 * load leaves the window as it was and says why in a dialog. A NIR graph from another tool
 * first asks for the time step and the reset mode, which NIR does not store. A session
 * (`.synquant`) opens its network and restores its device and settings.
 */
void
sq_window_open (SqWindow *self,
                GFile    *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SQ_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  if (name != NULL && g_str_has_suffix (name, SQ_SESSION_SUFFIX))
    open_session (self, file);
  else
    start_load (self, file, NULL);
}

gboolean
sq_window_is_loading (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), FALSE);
  return self->load_cancellable != NULL;
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
}

/* ---------------------------------------------------------------------------------------- */
/* Open: chooser, drop, examples, recent                                                     */

static void
open_response (SqWindow             *self,
               int                   response,
               GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        sq_window_open (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  g_autoptr(GtkFileFilter) sessions = gtk_file_filter_new ();

  gtk_file_filter_set_name (json, _("Networks and sessions"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_filter_add_suffix (json, "npz");
  gtk_file_filter_add_suffix (json, "nir");
  gtk_file_filter_add_suffix (json, SQ_SESSION_SUFFIX + 1);
  gtk_file_chooser_add_filter (chooser, json);
  gtk_file_filter_set_name (sessions, _("Synquant sessions"));
  gtk_file_filter_add_suffix (sessions, SQ_SESSION_SUFFIX + 1);
  gtk_file_chooser_add_filter (chooser, sessions);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);

  g_clear_object (&self->chooser);
  /* The native chooser goes through the document portal inside a Flatpak. */
  self->chooser = gtk_file_chooser_native_new (_("Open a Network"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_example_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  sq_window_open (SQ_WINDOW (widget), file);
}

static void
open_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  sq_window_open (SQ_WINDOW (widget), file);
}

static gboolean
drop_file (SqWindow     *self,
           const GValue *value,
           double        x,
           double        y)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  sq_window_open (self, file);
  return TRUE;
}

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
    {
      g_autofree char *lower = g_ascii_strdown (path, -1);
      const SqQuantResult *quant = data->result->quant;

      /* The format follows the name, as in synquant-cli quantize. */
      if (g_str_has_suffix (lower, ".npz"))
        sq_xylo_spec_save_npz (quant->spec, path, &error);
      else if (g_str_has_suffix (lower, ".nir"))
        sq_xylo_spec_save_nir (quant->spec, quant, path, &error);
      else
        sq_xylo_spec_save_json (quant->spec, path, &error);
    }
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

      show_error (self, heading, error->message);
      return;
    }
  {
    g_autofree char *title = g_strdup_printf (_("Saved “%s”"), shown);

    show_toast (self, title);
  }
}

/**
 * sq_window_save_quantized:
 *
 * Writes the current quantization as a Xylo specification, in a thread.
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

      if (file != NULL)
        sq_window_save_quantized (self, file);
    }
  g_clear_object (&self->chooser);
}

/* "net.json" quantized globally to 8 bits is offered as "net-global-8bit.json". */
static char *
suggested_name (SqWindow *self)
{
  const SqAnalysisResult *r = sq_analysis_get_result (self->analysis);
  g_autofree char *base = g_file_get_basename (sq_document_get_file (self->document));
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strdup_printf ("%s-%s%s-%ubit.json", base, sq_method_to_string (r->params.method),
                          r->params.fuzzy ? "-fuzzy" : "", r->params.weight_bits);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);
  g_autofree char *name = NULL;

  if (sq_analysis_get_result (self->analysis) == NULL)
    return;
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save the Quantized Network"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  name = suggested_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---------------------------------------------------------------------------------------- */
/* Pages and bit widths                                                                      */

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);

  if (self->document != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack,
                                           g_variant_get_string (param, NULL));
}

static void
step_bits (SqWindow *self,
           gboolean  weights,
           int       delta)
{
  SqQuantParams p;

  sq_analysis_get_params (self->analysis, &p);
  if (weights)
    p.weight_bits = (guint) CLAMP ((int) p.weight_bits + delta, SQ_WEIGHT_BITS_MIN,
                                   SQ_WEIGHT_BITS_MAX);
  else
    p.threshold_bits = (guint) CLAMP ((int) p.threshold_bits + delta, SQ_THRESHOLD_BITS_MIN,
                                      SQ_THRESHOLD_BITS_MAX);
  sq_analysis_set_params (self->analysis, &p);
}

static void
bits_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  step_bits (SQ_WINDOW (widget), g_str_has_prefix (action_name, "win.weight"),
             g_str_has_suffix (action_name, "-up") ? 1 : -1);
}

static void
toggle_log_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);
  GtkToggleButton *toggle = GTK_TOGGLE_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (self->tune_page), SQ_TYPE_TUNE_PAGE,
                                   "log_toggle"));

  gtk_toggle_button_set_active (toggle, !gtk_toggle_button_get_active (toggle));
}

static void
compare_use_settings (SqWindow *self)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "tune");
  show_toast (self, _("Settings applied"));
}

/* ---------------------------------------------------------------------------------------- */
/* Device and its check                                                                      */

static void
update_check_button (SqWindow *self)
{
  static const char * const classes[] = { "success", "warning", "error" };
  const SqCheckReport *report = self->check_report;
  gsize violations, silent;
  const char *icon, *css;
  g_autofree char *label = NULL, *summary = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->check_button, classes[i]);
  if (report == NULL)
    {
      gtk_image_set_from_icon_name (self->check_icon, "content-loading-symbolic");
      gtk_label_set_label (self->check_label, _("Checking…"));
      return;
    }

  violations = sq_check_report_count (report, SQ_CHECK_VIOLATION);
  silent = sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE);
  if (violations + silent == 0)
    {
      icon = "emblem-ok-symbolic";
      css = "success";
      /* Translators: the network fits the device */
      label = g_strdup (_("Fits"));
    }
  else
    {
      icon = violations > 0 ? "dialog-error-symbolic" : "dialog-warning-symbolic";
      css = violations > 0 ? "error" : "warning";
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu problem", "%zu problems",
                                            violations + silent),
                               violations + silent);
    }
  gtk_image_set_from_icon_name (self->check_icon, icon);
  gtk_label_set_label (self->check_label, label);
  gtk_widget_add_css_class (self->check_button, css);
  summary = sq_check_report_summary (report);
  gtk_widget_set_tooltip_text (self->check_button, summary);
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SqWindow) self = user_data;
  SqCheckReport *report = sq_check_run_finish (result, NULL);

  /* A newer check replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->check_cancellable)
    {
      g_clear_pointer (&report, sq_check_report_free);
      return;
    }
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->check_report, sq_check_report_free);
  self->check_report = report;
  /* Building a hundred rows takes the main thread for tens of milliseconds: only when they
   * are seen, not on every tuning step. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->check_popover)))
    sq_check_list_set_report (self->check_list, report);
  update_check_button (self);
}

static void
check_popover_shown (SqWindow *self)
{
  sq_check_list_set_report (self->check_list, self->check_report);
}

/* Checks the current quantization against the device, in a thread (it reads every weight).
 * The last report stays shown until the new one is in, so tuning does not flicker. */
static void
run_check (SqWindow *self)
{
  g_autoptr(SqAnalysisResult) r = self->analysis ? sq_analysis_dup_result (self->analysis) : NULL;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->document == NULL || r == NULL || self->device == NULL)
    {
      g_clear_pointer (&self->check_report, sq_check_report_free);
      sq_check_list_set_report (self->check_list, NULL);
      update_check_button (self);
      return;
    }
  self->check_cancellable = g_cancellable_new ();
  sq_check_run_async (self->document, r, self->device,
                      self->check_cancellable, check_done, g_object_ref (self));
}

static void
device_selected (SqWindow *self)
{
  const SqDeviceProfile *device =
    sq_xylo_profile_nth (gtk_drop_down_get_selected (self->device_dropdown));

  /* The template's drop-down reports its model before the window is ready. */
  if (device != NULL && self->analysis != NULL)
    sq_window_set_device (self, device->name);
}

/* A problem's row: its parameter group, on the tune page. */
static void
check_issue_activated (SqWindow *self,
                       int       param)
{
  gtk_popover_popdown (self->check_popover);
  adw_view_stack_set_visible_child_name (self->view_stack, "tune");
  sq_tune_page_select_param (self->tune_page, (SqParam) param);
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

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);
  g_autoptr(SqAnalysisResult) r = sq_analysis_dup_result (self->analysis);
  SqExportDialog *dialog;

  if (r == NULL || self->document == NULL)
    return;
  dialog = sq_export_dialog_new (GTK_WINDOW (self), self->document, r, self->device);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (exported), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "issue-activated", G_CALLBACK (check_issue_activated), self,
                           G_CONNECT_SWAPPED);
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

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  const char *uri = g_variant_get_string (param, NULL);
  const char *uris[] = { uri, NULL };
  GApplication *app = g_application_get_default ();
  GDBusConnection *bus = app ? g_application_get_dbus_connection (app) : NULL;
  ShowData *data = g_new0 (ShowData, 1);

  data->window = g_object_ref (SQ_WINDOW (widget));
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

/* ---------------------------------------------------------------------------------------- */
/* Sessions                                                                                  */

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
  session->device = g_strdup (self->device->name);
  sq_analysis_get_params (self->analysis, &session->params);
  /* The page's current input, which the property mirrors. */
  session->simulate = sq_simulate_page_get_settings (self->simulate_page);
  sq_window_set_simulate_settings (self, session->simulate);
  if (!sq_session_save (session, path, error))
    return FALSE;
  add_recent (file, SQ_SESSION_MIME_TYPE);
  fill_recent (self);
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
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  name = g_file_get_basename (file);
  shown = g_filename_display_name (name);
  if (!sq_window_save_session (self, file, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), shown);

      show_error (self, heading, error->message);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("Saved session “%s”"), shown);

      show_toast (self, title);
    }
}

static void
save_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);
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
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, _("Synquant sessions"));
  gtk_file_filter_add_suffix (filter, SQ_SESSION_SUFFIX + 1);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (save_session_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---------------------------------------------------------------------------------------- */
/* Settings                                                                                  */

static void
bind_settings (SqWindow *self)
{
  GApplication *app = g_application_get_default ();
  GSettings *settings;
  GtkWidget *log_toggle;

  if (!SQ_IS_APPLICATION (app))
    return;
  settings = sq_application_get_settings (SQ_APPLICATION (app));
  if (settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (settings, "method", self->analysis, "method", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "mode", self->analysis, "mode", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "fuzzy", self->analysis, "fuzzy", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "weight-bits", self->analysis, "weight-bits",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "threshold-bits", self->analysis, "threshold-bits",
                   G_SETTINGS_BIND_DEFAULT);
  log_toggle = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self->tune_page),
                                                         SQ_TYPE_TUNE_PAGE, "log_toggle"));
  g_settings_bind (settings, "log-scale", log_toggle, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "device", self, "device", G_SETTINGS_BIND_DEFAULT);
}

static gboolean
sq_window_close_request (GtkWindow *window)
{
  SqWindow *self = SQ_WINDOW (window);
  GApplication *app = g_application_get_default ();
  GSettings *settings = SQ_IS_APPLICATION (app)
                          ? sq_application_get_settings (SQ_APPLICATION (app)) : NULL;

  if (settings != NULL)
    {
      int w, h;

      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_int (settings, "window-width", w);
      g_settings_set_int (settings, "window-height", h);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);

  return GTK_WINDOW_CLASS (sq_window_parent_class)->close_request (window);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_window_dispose (GObject *object)
{
  SqWindow *self = SQ_WINDOW (object);

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  end_loading (self);
  g_clear_object (&self->chooser);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_WINDOW);
  g_clear_object (&self->document);
  g_clear_object (&self->analysis);
  g_clear_pointer (&self->page_before_load, g_free);
  g_clear_pointer (&self->check_report, sq_check_report_free);
  g_clear_pointer (&self->simulate_settings, json_object_unref);
  g_clear_pointer (&self->pending_session, sq_session_free);
  g_clear_object (&self->pending_session_file);

  G_OBJECT_CLASS (sq_window_parent_class)->dispose (object);
}

static void
sq_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SqWindow *self = SQ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_string (value, sq_window_get_device (self));
      break;
    case PROP_SIMULATE_SETTINGS:
      g_value_set_boxed (value, self->simulate_settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SqWindow *self = SQ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      sq_window_set_device (self, g_value_get_string (value));
      break;
    case PROP_SIMULATE_SETTINGS:
      sq_window_set_simulate_settings (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_window_class_init (SqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sq_window_dispose;
  object_class->get_property = sq_window_get_property;
  object_class->set_property = sq_window_set_property;
  window_class->close_request = sq_window_close_request;

  /**
   * SqWindow:device:
   *
   * The name of the device profile ("xylo-audio2") the network is checked against and
   * exported for; an unknown name selects XyloAudio 2.
   */
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, "xylo-audio2",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SqWindow:simulate-settings:
   *
   * The Simulate page's input settings as a JSON object, saved in sessions as they are.
   */
  properties[PROP_SIMULATE_SETTINGS] =
    g_param_spec_boxed ("simulate-settings", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SQ_TYPE_TUNE_PAGE);
  g_type_ensure (SQ_TYPE_COMPARE_PAGE);
  g_type_ensure (SQ_TYPE_SIMULATE_PAGE);
  g_type_ensure (SQ_TYPE_CHECK_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SqWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, tune_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, compare_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, simulate_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, example_menu);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, example_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, recent_box);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_icon);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_label);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_popover);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_list);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, session_box);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, session_list);
  gtk_widget_class_bind_template_callback (widget_class, device_selected);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", "s", open_example_action);
  gtk_widget_class_install_action (widget_class, "win.open-uri", "s", open_uri_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "win.weight-bits-up", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.weight-bits-down", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.threshold-bits-up", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.threshold-bits-down", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-log", NULL, toggle_log_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.save-session", NULL, save_session_action);
  gtk_widget_class_install_action (widget_class, "win.show-in-folder", "s",
                                   show_in_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-session",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.page", "s",
                                       "tune");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.page", "s",
                                       "compare");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.page", "s",
                                       "simulate");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.page", "s", "tune");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.page", "s", "compare");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.weight-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.weight-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "win.weight-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.weight-bits-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "win.weight-bits-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.threshold-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_underscore,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.threshold-bits-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.toggle-log", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-load",
                                       NULL);
}

static void
sq_window_init (SqWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->device = sq_device_profile_lookup ("xylo-audio2");
  {
    g_autoptr(GListModel) devices = sq_xylo_profile_titles ();

    gtk_drop_down_set_model (self->device_dropdown, devices);
    gtk_drop_down_set_selected (self->device_dropdown, sq_xylo_profile_position (self->device));
  }
  g_signal_connect_object (self->check_popover, "show", G_CALLBACK (check_popover_shown), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check_list, "issue-activated",
                           G_CALLBACK (check_issue_activated), self, G_CONNECT_SWAPPED);

  self->analysis = sq_analysis_new ();
  sq_tune_page_set_analysis (self->tune_page, self->analysis);
  sq_compare_page_set_source (self->compare_page, self->analysis);
  sq_simulate_page_set_analysis (self->simulate_page, self->analysis);
  g_signal_connect_object (self->analysis, "updated", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->analysis, "updated", G_CALLBACK (run_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_page, "use-settings",
                           G_CALLBACK (compare_use_settings), self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_swapped (drop, "drop", G_CALLBACK (drop_file), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  bind_settings (self);
  fill_examples (self);
  fill_recent (self);
  update_actions (self);
}

SqWindow *
sq_window_new (SqApplication *application)
{
  return g_object_new (SQ_TYPE_WINDOW, "application", application, NULL);
}

SqDocument *
sq_window_get_document (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->document;
}

SqAnalysis *
sq_window_get_analysis (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->analysis;
}

SqTunePage *
sq_window_get_tune_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->tune_page;
}

SqComparePage *
sq_window_get_compare_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->compare_page;
}

SqSimulatePage *
sq_window_get_simulate_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->simulate_page;
}

/* Returns: "empty", "loading", "tune", "compare" or "simulate" */
const char *
sq_window_get_page (SqWindow *self)
{
  const char *main = gtk_stack_get_visible_child_name (self->main_stack);

  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  if (g_strcmp0 (main, "document") == 0)
    return adw_view_stack_get_visible_child_name (self->view_stack);
  return main;
}

/* Returns: the name of the device profile checked against ("xylo-audio2") */
const char *
sq_window_get_device (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->device->name;
}

/**
 * sq_window_set_device:
 * @name: a profile name ("xylo-imu") or alias
 *
 * Picks the device, in the header's drop-down too, and checks again. A name that is no
 * Xylo device picks XyloAudio 2, so a stale setting cannot leave the window without one.
 */
void
sq_window_set_device (SqWindow   *self,
                      const char *name)
{
  const SqDeviceProfile *device;

  g_return_if_fail (SQ_IS_WINDOW (self));

  device = name != NULL ? sq_device_profile_lookup (name) : NULL;
  if (device == NULL || !device->is_xylo)
    device = sq_device_profile_lookup ("xylo-audio2");
  if (device == self->device)
    return;
  self->device = device;
  gtk_drop_down_set_selected (self->device_dropdown, sq_xylo_profile_position (device));
  /* The Simulate page runs the integer core of the chosen chip. */
  sq_simulate_page_set_device (self->simulate_page, device->device);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
  run_check (self);
}

/* Returns: (nullable): the latest check of the current quantization against the device;
 * while a newer one runs, the one before */
const SqCheckReport *
sq_window_get_check_report (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->check_report;
}

gboolean
sq_window_is_checking (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), FALSE);
  return self->check_cancellable != NULL;
}

/* Returns: (nullable) (transfer none): the Simulate page's settings, as a session keeps them */
JsonObject *
sq_window_get_simulate_settings (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->simulate_settings;
}

void
sq_window_set_simulate_settings (SqWindow   *self,
                                 JsonObject *settings)
{
  g_return_if_fail (SQ_IS_WINDOW (self));

  if (settings == self->simulate_settings)
    return;
  g_clear_pointer (&self->simulate_settings, json_object_unref);
  if (settings != NULL)
    self->simulate_settings = json_object_ref (settings);
  sq_simulate_page_set_settings (self->simulate_page, settings);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIMULATE_SETTINGS]);
}
