/* sq-window-open.c: opening networks and sessions
 *
 * Opening (chooser, drop, recent files, examples, command line) all ends in sq_window_open(),
 * which loads in a thread behind a progress page that can be cancelled. A NIR graph from
 * another tool first asks for the time step and reset mode NIR does not store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sq-folders.h"
#include "sq-window-private.h"

#define RECENT_MAX 5

/* ---------------------------------------------------------------------------------------- */
/* Recent files and examples                                                                 */

/* What a network file is, for the recent files list: the types Synquant registers
 * (data/io.github.synquant.Synquant.mime.xml) for what shared-mime-info does not know, else
 * what the name says to GIO. */
static const struct {
  const char *suffix;
  const char *mime_type;
} network_types[] = {
  { ".json", "application/json" },
  { ".npz", SQ_NPZ_MIME_TYPE },
  { ".nir", SQ_NIR_MIME_TYPE },
  { SQ_SESSION_SUFFIX, SQ_SESSION_MIME_TYPE },
};

static char *
mime_type_of (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *type = NULL;

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (network_types); i++)
    if (g_str_has_suffix (name, network_types[i].suffix))
      return g_strdup (network_types[i].mime_type);
  type = g_content_type_guess (name, NULL, 0, NULL);
  return g_content_type_get_mime_type (type);
}

GtkRecentManager *
_sq_window_recent_manager (SqWindow *self)
{
  return self->recent_manager ? self->recent_manager : gtk_recent_manager_get_default ();
}

/* Only what opened is listed, and only what Synquant itself added: its group says whether it
 * is a network or a session. The file chooser adds what it saves (an export, a saved network)
 * under the application's name too, but in no group. GtkRecentData's strings are not const:
 * it gets copies. */
void
_sq_window_add_recent (SqWindow *self,
                       GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *mime = mime_type_of (file);
  g_autofree char *app_name = g_strdup (g_get_application_name ());
  g_autofree char *app_exec = g_strdup ("synquant %u");
  const char *group = g_str_equal (mime, SQ_SESSION_MIME_TYPE) ? SQ_RECENT_GROUP_SESSION
                                                                : SQ_RECENT_GROUP_NETWORK;
  gsize len = strlen (group) + 1;
  g_autofree char *block = g_malloc0 (len + 16);
  char *groups[] = { NULL, NULL };
  GtkRecentData data = {
    .mime_type = mime,
    .app_name = app_name,
    .app_exec = app_exec,
    .groups = groups,
  };

  /* GTK 4.8 tests the array of groups as if it were a string (`((char *) data->groups)[0]`),
   * that is the first byte of the first group's address, and drops the groups where it is
   * 0: a malloc'd string whose address ends in 0x00 would lose its group (one add in
   * sixteen). The group is placed where that byte is not 0 (on a big-endian machine no
   * offset helps, and the file is added without its group). */
  for (gsize offset = 1; offset < 16 && groups[0] == NULL; offset++)
    {
      char *at = block + offset;
      guchar first;

      memcpy (&first, &at, 1);
      if (first != 0)
        {
          memcpy (at, group, len);
          groups[0] = at;
        }
    }
  gtk_recent_manager_add_full (_sq_window_recent_manager (self), uri, &data);
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

      if (!gtk_recent_info_has_group (info, sessions ? SQ_RECENT_GROUP_SESSION
                                                     : SQ_RECENT_GROUP_NETWORK) ||
          !gtk_recent_info_exists (info))
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

void
_sq_window_fill_recent (SqWindow *self)
{
  GtkRecentManager *manager = _sq_window_recent_manager (self);
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

void
_sq_window_end_loading (SqWindow *self)
{
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->loading_file);
  _sq_window_update_actions (self);
}

static void
restore_page (SqWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack,
                                    self->document ? "document" : "empty");
}

/* ---------------------------------------------------------------------------------------- */
/* NIR graphs: the time step and reset mode NIR does not store                               */

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
  _sq_window_start_load (self, file, &options);
  self->pending_session = g_object_steal_data (G_OBJECT (dialog), "session");
  self->pending_session_file = g_object_steal_data (G_OBJECT (dialog), "session-file");
}

/* @session (transfer full, nullable): the session that named the graph, applied once the
 * graph is mapped. */
/* @proposal (nullable): the time step the graph's own time constants ask for, filled in and
 * explained; without one (a graph of IF neurons only) the dialog keeps 1 ms. */
static void
ask_nir_options (SqWindow              *self,
                 GFile                 *file,
                 SqSession             *session,
                 GFile                 *session_file,
                 const SqNirDtProposal *proposal)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/synquant/Synquant/sq-nir-dialog.ui");
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  GObject *dt_row = gtk_builder_get_object (builder, "dt_row");
  GtkLabel *why_label = GTK_LABEL (gtk_builder_get_object (builder, "why_label"));

  if (proposal != NULL)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *why = sq_nir_dt_proposal_describe (proposal);
      g_autofree char *line = NULL;

      /* Six digits: 2^k ms reads back as the same number down to 2^−8 ms. */
      g_ascii_formatd (text, sizeof text, "%.6g", proposal->dt);
      gtk_editable_set_text (GTK_EDITABLE (dt_row), text);
      /* Translators: %s is "dt 0.125 ms puts every τ between dash 1 and 3" */
      line = g_strdup_printf (_("Proposed from the graph’s time constants: %s."), why);
      gtk_label_set_text (why_label, line);
      gtk_widget_set_visible (GTK_WIDGET (why_label), TRUE);
    }

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
  _sq_window_watch_dialog (self, GTK_WINDOW (dialog));
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
  _sq_window_end_loading (self);
  session = g_steal_pointer (&self->pending_session);
  session_file = g_steal_pointer (&self->pending_session_file);

  if (doc == NULL)
    {
      restore_page (self);
      if (g_error_matches (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT))
        {
          SqNirDtProposal proposal;
          gboolean proposed = sq_document_load_dt_proposal (result, &proposal);

          ask_nir_options (self, file, g_steal_pointer (&session),
                           g_steal_pointer (&session_file), proposed ? &proposal : NULL);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *shown = g_filename_display_name (name);
          g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), shown);

          _sq_window_show_error (self, heading, error->message);
        }
      return;
    }

  _sq_window_set_document (self, doc);
  _sq_window_add_recent (self, file);
  if (session != NULL)
    _sq_window_apply_session (self, session, session_file);
  _sq_window_fill_recent (self);
  gtk_stack_set_visible_child_name (self->main_stack, "document");
  _sq_window_focus_content (self);
}

void
_sq_window_start_load (SqWindow              *self,
                       GFile                 *file,
                       const SqNirMapOptions *nir)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  _sq_window_end_loading (self);
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
  _sq_window_update_actions (self);

  sq_document_load_async (file, nir, self->load_cancellable, &self->load_permille, load_done,
                          g_object_ref (self));
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
    _sq_window_open_session (self, file);
  else
    _sq_window_start_load (self, file, NULL);
}

gboolean
sq_window_is_loading (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), FALSE);
  return self->load_cancellable != NULL;
}

void
_sq_window_cancel_load (SqWindow *self)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
}

/* ---------------------------------------------------------------------------------------- */
/* The chooser and drops                                                                     */

static void
open_response (SqWindow             *self,
               int                   response,
               GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_NETWORK);
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

  g_autoptr(GPtrArray) kinds = sq_network_kinds ();

  gtk_file_filter_set_name (json, _("Networks and sessions"));
  gtk_file_filter_add_mime_type (json, "application/json");
  /* What every kind reads: JSON, .npz and .nir for Xylo specifications. */
  for (guint k = 0; k < kinds->len; k++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (kinds, k);

      for (guint i = 0; kind->load_extensions && kind->load_extensions[i]; i++)
        gtk_file_filter_add_suffix (json, kind->load_extensions[i]);
    }
  gtk_file_filter_add_suffix (json, SQ_SESSION_SUFFIX + 1);
  gtk_file_chooser_add_filter (chooser, json);
  gtk_file_filter_set_name (sessions, _("Synquant sessions"));
  gtk_file_filter_add_suffix (sessions, SQ_SESSION_SUFFIX + 1);
  gtk_file_chooser_add_filter (chooser, sessions);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

void
_sq_window_choose_network (SqWindow *self)
{
  g_clear_object (&self->chooser);
  /* The native chooser goes through the document portal inside a Flatpak. */
  self->chooser = gtk_file_chooser_native_new (_("Open a Network"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (self->chooser));
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_NETWORK);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
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

/* Drops anywhere on the window open the file; the examples and recent files fill the empty
 * page. */
void
_sq_window_open_init (SqWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  g_signal_connect_swapped (drop, "drop", G_CALLBACK (drop_file), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  fill_examples (self);
  _sq_window_fill_recent (self);
}
