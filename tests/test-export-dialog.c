/* test-export-dialog.c: the device check, the export dialog and sessions under Xvfb
 *
 * Every export goes through the dialog's own widgets (format and device rows, the Export and
 * Export Anyway buttons) with the file chooser replaced by sq_export_dialog_set_file(), and
 * is compared byte for byte with what synquant-cli export writes for the same settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "sq-application.h"
#include "sq-check-list.h"
#include "sq-export-dialog.h"
#include "sq-session.h"
#include "sq-test-pages.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-test-xylo.h"
#include "sq-simulate-page.h"
#include "sq-window.h"

static SqApplication *app;

static void
open_path (SqWindow   *w,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sq_window_open (w, file);
  sq_test_settle (w);
}

/* Opens the export dialog the way Ctrl+E does and waits for its check. */
static SqExportDialog *
open_export_dialog (SqWindow *w)
{
  SqExportDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.export", NULL));
  dialog = SQ_EXPORT_DIALOG (sq_test_find_toplevel (SQ_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (w));
  g_assert_true (sq_test_wait_until (sq_test_export_dialog_idle, dialog, 30000));
  g_assert_nonnull (sq_export_dialog_get_report (dialog));
  return g_object_ref (dialog);
}

/* The files of @a (a file, or a folder of files) equal those of @b byte for byte. */
static void
assert_same_files (const char *a,
                   const char *b)
{
  if (g_file_test (a, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) da = g_dir_open (a, 0, NULL);
      g_autoptr(GDir) db = g_dir_open (b, 0, NULL);
      const char *name;
      guint na = 0, nb = 0;

      g_assert_nonnull (da);
      g_assert_nonnull (db);
      while ((name = g_dir_read_name (da)) != NULL)
        {
          g_autofree char *pa = g_build_filename (a, name, NULL);
          g_autofree char *pb = g_build_filename (b, name, NULL);

          assert_same_files (pa, pb);
          na++;
        }
      while (g_dir_read_name (db) != NULL)
        nb++;
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpuint (na, >, 1);
    }
  else
    {
      g_autofree char *ca = NULL, *cb = NULL;
      gsize la, lb;

      g_assert_true (g_file_get_contents (a, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (b, &cb, &lb, NULL));
      g_assert_cmpuint (la, >, 0);
      g_assert_cmpmem (ca, la, cb, lb);
    }
}

static const char *
output_name (SqExportFormat format)
{
  switch (format)
    {
    case SQ_EXPORT_ROCKPOOL_NPZ:
      return "out.npz";
    case SQ_EXPORT_SAMNA_JSON:
      return "out-samna.json";
    case SQ_EXPORT_XYLO_RAM:
      return "ram";
    case SQ_EXPORT_C_HEADER:
      return "small.h";
    case SQ_EXPORT_NIR:
      return "out.nir";
    case SQ_EXPORT_ROCKPOOL_JSON:
    case SQ_N_EXPORT_FORMATS:
    default:
      return "out.json";
    }
}

/* Exports through the dialog's widgets into @path; returns once it closed. */
static void
export_with_dialog (SqWindow       *w,
                    const char     *device,
                    SqExportFormat  format,
                    const char     *path,
                    gboolean        c_source)
{
  SqExportDialog *dialog = open_export_dialog (w);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint n_exported = 0;

  sq_export_dialog_set_device (dialog, sq_device_profile_lookup (device));
  sq_export_dialog_set_format (dialog, sq_export_format_to_string (format));
  g_assert_true (sq_test_wait_until (sq_test_export_dialog_idle, dialog, 30000));
  g_assert_true (gtk_widget_get_visible (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                        "c_source_row")) ==
                 (format == SQ_EXPORT_C_HEADER));
  if (c_source)
    gtk_switch_set_active (GTK_SWITCH (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                      "c_source_switch")),
                           TRUE);
  sq_export_dialog_set_file (dialog, file);
  g_signal_connect_swapped (dialog, "exported", G_CALLBACK (sq_test_count), &n_exported);
  g_assert_true (sq_check_report_fits (sq_export_dialog_get_report (dialog)));
  g_assert_true (gtk_widget_get_sensitive (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                          "export_button")));
  g_signal_emit_by_name (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG, "export_button"), "clicked");
  g_assert_true (sq_test_wait_until (sq_test_is_positive, &n_exported, 30000));
  g_assert_cmpint (n_exported, ==, 1);
  /* It closed after the export. */
  g_assert_null (sq_test_find_toplevel (SQ_TYPE_EXPORT_DIALOG));
  sq_test_assert_finalized (dialog);
}

/* Every format, each through the dialog, equals synquant-cli export's bytes. */
static void
test_formats (void)
{
  SqWindow *w = sq_test_new_window (app);
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *cli = sq_test_cli_path ();
  g_autofree char *dir = sq_test_tmpdir ();

  open_path (w, small);
  sq_window_set_device (w, "xylo-audio2");
  sq_test_settle (w);

  for (int f = 0; f < SQ_N_EXPORT_FORMATS; f++)
    {
      const char *format = sq_export_format_to_string (f);
      g_autofree char *gui_dir = g_build_filename (dir, "gui", format, NULL);
      g_autofree char *cli_dir = g_build_filename (dir, "cli", format, NULL);
      g_autofree char *ours = g_build_filename (gui_dir, output_name (f), NULL);
      g_autofree char *theirs = g_build_filename (cli_dir, output_name (f), NULL);
      g_autofree char *c_ours = g_build_filename (gui_dir, "small.c", NULL);
      g_autofree char *c_theirs = g_build_filename (cli_dir, "small.c", NULL);
      g_autofree char *err = NULL;
      const char *argv[] = { cli, "export", small, "--device", "xylo-audio2", "--format",
                             format, "-o", theirs, f == SQ_EXPORT_C_HEADER ? "--c-source" : NULL,
                             c_theirs, NULL };
      int status;

      if (f == SQ_EXPORT_NIR && !sq_nir_is_supported ())
        {
          g_test_message ("format %s left out: built without NIR support", format);
          continue;
        }
      g_test_message ("format %s", format);
      g_assert_cmpint (g_mkdir_with_parents (gui_dir, 0755), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (cli_dir, 0755), ==, 0);
      export_with_dialog (w, "xylo-audio2", f, ours, f == SQ_EXPORT_C_HEADER);
      sq_test_run (argv, &status, NULL, &err);
      g_assert_cmpint (status, ==, 0);
      assert_same_files (ours, theirs);
      if (f == SQ_EXPORT_C_HEADER)
        assert_same_files (c_ours, c_theirs);
    }
  sq_test_remove_tree (dir);
  sq_test_finalize_window (w);
}

/* The small example has two synapses: XyloIMU takes one. The check blocks Export, and
 * Export Anyway writes what synquant-cli export --force writes. */
static void
test_blocked (void)
{
  SqWindow *w = sq_test_new_window (app);
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *cli = sq_test_cli_path ();
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *ours = g_build_filename (dir, "gui.json", NULL);
  g_autofree char *theirs = g_build_filename (dir, "cli.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (ours);
  SqExportDialog *dialog;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json (small, &error);
  g_autoptr(SqQuantResult) quant = NULL;
  g_autoptr(SqCheckReport) want = NULL;
  const SqCheckReport *report;
  GtkListBox *rows;
  GtkWidget *row;
  guint n_rows = 0;
  gint n_exported = 0;
  int status;
  SqQuantParams p;
  const char *argv[] = { cli, "export", small, "--device", "xylo-imu", "--format",
                         "rockpool-json", "-o", theirs, NULL };
  const char *argv_force[] = { cli, "export", small, "--device", "xylo-imu", "--format",
                               "rockpool-json", "-o", theirs, "--force", NULL };

  g_assert_no_error (error);
  sq_quant_params_init (&p);
  quant = sq_quantize (spec, &p, &error);
  g_assert_no_error (error);
  want = sq_device_check (sq_device_profile_lookup ("xylo-imu"), quant->spec);
  g_assert_false (sq_check_report_fits (want));
  g_assert_cmpuint (sq_check_report_count (want, SQ_CHECK_VIOLATION), >=, 1);

  open_path (w, small);
  sq_window_set_device (w, "xylo-imu");
  sq_test_settle (w);
  dialog = open_export_dialog (w);
  g_assert_true (sq_export_dialog_get_device (dialog) == sq_device_profile_lookup ("xylo-imu"));
  report = sq_export_dialog_get_report (dialog);
  g_assert_cmpuint (report->issues->len, ==, want->issues->len);
  for (guint i = 0; i < want->issues->len; i++)
    {
      const SqCheckIssue *a = g_ptr_array_index (report->issues, i);
      const SqCheckIssue *b = g_ptr_array_index (want->issues, i);

      g_assert_cmpstr (a->kind, ==, b->kind);
      g_assert_cmpstr (a->message, ==, b->message);
    }

  /* The list shows every issue, violations first, with the error icon's severity. */
  rows = sq_check_list_get_list_box (SQ_CHECK_LIST (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                                   "check_list")));
  for (row = gtk_widget_get_first_child (GTK_WIDGET (rows)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      {
        if (n_rows == 0)
          {
            const SqCheckIssue *first = NULL;

            for (guint i = 0; i < want->issues->len && first == NULL; i++)
              if (((SqCheckIssue *) g_ptr_array_index (want->issues, i))->severity ==
                  SQ_CHECK_VIOLATION)
                first = g_ptr_array_index (want->issues, i);
            g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                             first->message);
            g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row),
                                                                 "sq-severity")), ==,
                             SQ_CHECK_VIOLATION);
          }
        n_rows++;
      }
  g_assert_cmpuint (n_rows, ==, want->issues->len);

  /* Export is blocked; only the explicit Export Anyway writes. */
  g_assert_false (gtk_widget_get_sensitive (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                           "export_button")));
  g_assert_true (gtk_widget_get_visible (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                        "force_box")));
  sq_export_dialog_set_file (dialog, file);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 640);
  sq_test_save_screenshot (GTK_WIDGET (dialog), "export-dialog");
  g_signal_emit_by_name (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG, "export_button"), "clicked");
  /* Refused on the spot: no export started, so none can still write. */
  g_assert_false (sq_export_dialog_is_busy (dialog));
  g_assert_false (g_file_test (ours, G_FILE_TEST_EXISTS));

  /* The CLI refuses too, and writes nothing. */
  sq_test_run (argv, &status, NULL, NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_false (g_file_test (theirs, G_FILE_TEST_EXISTS));

  g_signal_connect_swapped (dialog, "exported", G_CALLBACK (sq_test_count), &n_exported);
  g_signal_emit_by_name (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG, "force_button"), "clicked");
  g_assert_true (sq_test_wait_until (sq_test_is_positive, &n_exported, 30000));
  sq_test_run (argv_force, &status, NULL, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_same_files (ours, theirs);

  /* Back on a device it fits, the dialog unblocks. */
  sq_window_set_device (w, "xylo-audio2");
  sq_test_settle (w);
  /* Export Anyway closed it. */
  sq_test_assert_finalized (dialog);
  dialog = open_export_dialog (w);
  g_assert_true (gtk_widget_get_sensitive (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                          "export_button")));
  g_assert_false (gtk_widget_get_visible (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                         "force_box")));
  sq_test_save_screenshot (GTK_WIDGET (dialog), "export-dialog-fits");
  sq_test_finalize_window (dialog);

  sq_test_remove_tree (dir);
  sq_test_finalize_window (w);
}

/* Whether a file can be created in @dir (and removes it again). */
static gboolean
can_create_in (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  int fd = g_open (probe, O_WRONLY | O_CREAT | O_EXCL, 0644);

  if (fd < 0)
    return FALSE;
  close (fd);
  g_unlink (probe);
  return TRUE;
}

/* A folder nobody can write, root included, or NULL. chmod 0555 stops users but not root
 * (CI runs the tests as root): there the folder is made immutable with chattr +i (ext4, xfs,
 * btrfs; it needs CAP_LINUX_IMMUTABLE), which stops root as well. Where that fails, /sys:
 * sysfs has no way to create a file, so open(O_CREAT) fails with EACCES for root too, and
 * nothing is ever written there. *immutable says whether to undo chattr. */
static char *
read_only_dir (const char *tmp,
               gboolean   *immutable)
{
  g_autofree char *dir = g_build_filename (tmp, "read-only", NULL);

  *immutable = FALSE;
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  if (!can_create_in (dir))
    return g_steal_pointer (&dir);

  {
    g_autofree char *chattr = g_find_program_in_path ("chattr");
    const char *argv[] = { chattr, "+i", dir, NULL };
    int status;

    if (chattr != NULL)
      {
        g_autofree char *out = NULL, *err = NULL;

        sq_test_run (argv, &status, &out, &err);
        if (status == 0)
          {
            *immutable = TRUE;
            if (!can_create_in (dir))
              return g_steal_pointer (&dir);
          }
      }
  }
  if (!can_create_in ("/sys"))
    return g_strdup ("/sys");
  return NULL;
}

static void
undo_read_only (const char *dir,
                gboolean    immutable)
{
  if (immutable)
    {
      g_autofree char *chattr = g_find_program_in_path ("chattr");
      const char *argv[] = { chattr, "-i", dir, NULL };
      int status;

      sq_test_run (argv, &status, NULL, NULL);
      g_assert_cmpint (status, ==, 0);
    }
}

static gboolean
has_message_dialog (gpointer data)
{
  return sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* A folder that cannot be written: a dialog says why, and nothing is left there. */
static void
test_read_only (void)
{
  SqWindow *w = sq_test_new_window (app);
  g_autofree char *tmp = sq_test_tmpdir ();
  gboolean immutable;
  g_autofree char *dir = read_only_dir (tmp, &immutable);
  static const SqExportFormat formats[] = { SQ_EXPORT_ROCKPOOL_JSON, SQ_EXPORT_XYLO_RAM,
                                            SQ_EXPORT_C_HEADER };

  if (dir == NULL)
    {
      g_test_skip ("no folder here is read-only for this user");
      sq_test_remove_tree (tmp);
      sq_test_finalize_window (w);
      return;
    }
  g_test_message ("read-only folder: %s (immutable: %d)", dir, immutable);

  open_path (w, g_getenv ("SQ_EXAMPLE_SMALL"));
  sq_window_set_device (w, "xylo-audio2");
  sq_test_settle (w);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      SqExportDialog *dialog = open_export_dialog (w);
      g_autofree char *path = g_build_filename (dir, "synquant-export-test.out", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *shown = g_filename_display_name (path);
      AdwMessageDialog *error;
      gint n_exported = 0;

      sq_export_dialog_set_format (dialog, sq_export_format_to_string (formats[i]));
      if (formats[i] == SQ_EXPORT_C_HEADER)
        gtk_switch_set_active (GTK_SWITCH (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                          "c_source_switch")), TRUE);
      sq_export_dialog_set_file (dialog, file);
      g_signal_connect_swapped (dialog, "exported", G_CALLBACK (sq_test_count), &n_exported);
      g_signal_emit_by_name (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG, "export_button"),
                             "clicked");
      g_assert_true (sq_test_wait_until (has_message_dialog, NULL, 30000));
      error = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
      g_assert_cmpstr (adw_message_dialog_get_heading (error), ==,
                       "Could Not Export to “synquant-export-test.out”");
      /* The writer's message names the user's path, not a temporary. */
      g_assert_nonnull (strstr (adw_message_dialog_get_body (error), shown));
      g_assert_null (strstr (adw_message_dialog_get_body (error), ".tmp"));
      g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (error)) == GTK_WINDOW (dialog));
      g_assert_cmpint (n_exported, ==, 0);
      if (i == 0)
        {
          gtk_window_set_default_size (GTK_WINDOW (error), 480, -1);
          sq_test_save_screenshot (GTK_WIDGET (error), "export-error-dialog");
        }
      sq_test_finalize_window (g_object_ref (error));
      /* The dialog stays open for another try. */
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      sq_test_finalize_window (dialog);
    }

  /* Nothing at all was written, not even a temporary. */
  if (!g_str_equal (dir, "/sys"))
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);

      g_assert_nonnull (d);
      g_assert_null (g_dir_read_name (d));
      undo_read_only (dir, immutable);
    }
  g_chmod (dir, 0755);
  sq_test_remove_tree (tmp);
  sq_test_finalize_window (w);
}

/* The header's check follows the device, and a problem's row opens its group. */
static void
test_check_list_click (void)
{
  SqWindow *w = sq_test_new_window (app);
  const SqCheckReport *report;
  GtkListBox *rows, *groups;
  GtkWidget *row, *target = NULL;
  GtkListBoxRow *selected;
  gsize problems;
  g_autofree char *label = NULL;

  open_path (w, g_getenv ("SQ_EXAMPLE_SMALL"));
  sq_window_set_device (w, "xylo-audio2");
  sq_test_settle (w);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (sq_test_child (w, SQ_TYPE_WINDOW,
                                                                  "check_label"))),
                   ==, "Fits");
  g_assert_true (gtk_widget_has_css_class (sq_test_child (w, SQ_TYPE_WINDOW, "check_button"),
                                           "success"));

  /* The drop-down picks the device, as a user would. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sq_test_child (w, SQ_TYPE_WINDOW, "device_dropdown")),
                              sq_kind_device_position (
                                sq_document_get_network (sq_window_get_document (w))->kind,
                                sq_device_profile_lookup ("xylo-imu")));
  g_assert_cmpstr (sq_window_get_device (w), ==, "xylo-imu");
  sq_test_settle (w);
  report = sq_window_get_check_report (w);
  g_assert_nonnull (report);
  g_assert_true (report->device == sq_device_profile_lookup ("xylo-imu"));
  problems = sq_check_report_count (report, SQ_CHECK_VIOLATION) +
             sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE);
  g_assert_cmpuint (problems, >=, 1);
  label = g_strdup_printf (problems == 1 ? "%zu problem" : "%zu problems", problems);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (sq_test_child (w, SQ_TYPE_WINDOW,
                                                                  "check_label"))),
                   ==, label);
  g_assert_true (gtk_widget_has_css_class (sq_test_child (w, SQ_TYPE_WINDOW, "check_button"),
                                           "error"));

  /* The thresholds are shown, on the compare page. */
  sq_tune_page_select_group (sq_window_get_tune_page (w),
                             sq_test_group_of (sq_window_get_document (w), SQ_PARAM_THRESHOLD));
  g_assert_cmpint (sq_test_param_of (sq_window_get_document (w),
                                     sq_analysis_get_group (sq_window_get_analysis (w))), ==,
                   SQ_PARAM_THRESHOLD);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
  sq_test_settle (w);

  /* The list is filled when the header button opens it. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (sq_test_child (w, SQ_TYPE_WINDOW, "check_button")));
  g_assert_true (gtk_widget_get_visible (sq_test_child (w, SQ_TYPE_WINDOW, "check_popover")));
  sq_test_save_screenshot (sq_test_child (w, SQ_TYPE_WINDOW, "check_popover"), "check-popover");

  /* The synapse-count violation concerns the recurrent weights. */
  rows = sq_check_list_get_list_box (SQ_CHECK_LIST (sq_test_child (w, SQ_TYPE_WINDOW,
                                                                   "check_list")));
  for (row = gtk_widget_get_first_child (GTK_WIDGET (rows)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "sq-group")) ==
        (int) sq_test_group_of (sq_window_get_document (w), SQ_PARAM_WEIGHTS_REC))
      target = row;
  g_assert_nonnull (target);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (target)));
  g_signal_emit_by_name (rows, "row-activated", target);
  sq_test_settle (w);
  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");
  g_assert_false (gtk_widget_get_visible (sq_test_child (w, SQ_TYPE_WINDOW, "check_popover")));
  g_assert_cmpint (sq_test_param_of (sq_window_get_document (w),
                                     sq_analysis_get_group (sq_window_get_analysis (w))), ==,
                   SQ_PARAM_WEIGHTS_REC);
  groups = GTK_LIST_BOX (sq_test_child (sq_window_get_tune_page (w), SQ_TYPE_TUNE_PAGE,
                                        "group_list"));
  selected = gtk_list_box_get_selected_row (groups);
  g_assert_nonnull (selected);
  g_assert_cmpint (sq_test_param_of (sq_window_get_document (w),
                                     GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (selected),
                                                                          "sq-group"))), ==,
                   SQ_PARAM_WEIGHTS_REC);

  sq_window_set_device (w, "xylo-audio2");
  sq_test_settle (w);
  sq_test_finalize_window (w);
}

static gboolean
has_document (gpointer data)
{
  return sq_window_get_document (data) != NULL && sq_test_window_idle (data);
}

/* A session keeps the device, the settings and the Simulate page's object; a new window
 * restores them from it, also from Recent Sessions. */
static void
test_session (void)
{
  SqWindow *w = sq_test_new_window (app);
  SqWindow *w2;
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tuned.synquant", NULL);
  g_autofree char *bad = g_build_filename (dir, "gone.synquant", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) simulate = json_object_new ();
  g_autoptr(SqSession) loaded = NULL;
  g_autofree char *small_abs = NULL;
  JsonObject *got;
  SqQuantParams p, q;
  GtkWidget *row;
  AdwMessageDialog *dialog;

  open_path (w, small);
  sq_quant_params_init (&p);
  p.method = SQ_METHOD_CHANNEL;
  p.fuzzy = TRUE;
  p.weight_bits = 6;
  p.threshold_bits = 12;
  p.weight_shift = SQ_WEIGHT_SHIFT_AUTO;
  sq_test_set_params (sq_window_get_analysis (w), &p);
  sq_window_set_device (w, "xylo-audio3");
  json_object_set_int_member (simulate, "steps", 250);
  json_object_set_string_member (simulate, "input", "poisson");
  sq_window_set_simulate_settings (w, simulate);
  sq_test_settle (w);

  g_assert_true (sq_window_save_session (w, file, &error));
  g_assert_no_error (error);
  loaded = sq_session_load (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GFile) f = g_file_new_for_path (small);

    small_abs = g_file_get_path (f);
  }
  g_assert_cmpstr (loaded->source, ==, small_abs);
  g_assert_cmpstr (loaded->device, ==, "xylo-audio3");
  sq_test_settings_to_params (&loaded->settings, &q);
  g_assert_true (memcmp (&q, &p, sizeof p) == 0);
  g_assert_cmpint (json_object_get_int_member (loaded->simulate, "steps"), ==, 250);

  /* The first window goes back to the defaults, which the settings keep too. */
  sq_quant_params_init (&q);
  sq_test_set_params (sq_window_get_analysis (w), &q);
  sq_window_set_device (w, "xylo-audio2");
  sq_test_settle (w);
  sq_test_finalize_window (w);

  w2 = sq_test_new_window (app);
  g_assert_cmpstr (sq_window_get_device (w2), ==, "xylo-audio2");
  g_assert_true (gtk_widget_get_visible (sq_test_child (w2, SQ_TYPE_WINDOW, "session_box")));
  /* Listed as a session, not as a network. */
  for (row = gtk_widget_get_first_child (sq_test_child (w2, SQ_TYPE_WINDOW, "recent_list"));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), !=,
                     "tuned.synquant");
  for (row = gtk_widget_get_first_child (sq_test_child (w2, SQ_TYPE_WINDOW, "session_list"));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                   "tuned.synquant") == 0)
      break;
  g_assert_nonnull (row);
  uri = g_variant_dup_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row)),
                              NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w2), "win.open-uri", "s", uri));
  g_assert_true (sq_test_wait_until (has_document, w2, 30000));
  sq_test_settle (w2);

  g_assert_cmpstr (sq_document_get_title (sq_window_get_document (w2)), ==, "small.json");
  g_assert_cmpstr (sq_window_get_device (w2), ==, "xylo-audio3");
  sq_test_get_params (sq_window_get_analysis (w2), &q);
  g_assert_true (memcmp (&q, &p, sizeof p) == 0);
  g_assert_cmpuint (sq_quant_settings_get (&sq_analysis_get_result (
                                              sq_window_get_analysis (w2))->quant->settings,
                                            "weight-bits"), ==, 6);
  got = sq_window_get_simulate_settings (w2);
  g_assert_nonnull (got);
  g_assert_cmpint (json_object_get_int_member (got, "steps"), ==, 250);
  g_assert_cmpstr (json_object_get_string_member (got, "input"), ==, "poisson");
  /* The Simulate page took both: the steps, and the chip whose core it runs. */
  {
    SqSimulatePage *page = sq_window_get_simulate_page (w2);
    g_autoptr(JsonObject) shown = sq_simulate_page_get_settings (page);

    g_assert_cmpint (json_object_get_int_member (shown, "steps"), ==, 250);
    g_assert_true (sq_simulate_page_get_device (page) == sq_device_profile_lookup ("xylo-audio3"));
  }
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (
                     gtk_drop_down_get_selected_item (GTK_DROP_DOWN (
                       sq_test_child (w2, SQ_TYPE_WINDOW,
                                      "device_dropdown"))))), ==, "XyloAudio 3");

  /* A session whose network is gone says which. */
  {
    const char *text = "{\"version\": 1, \"source\": \"/nonexistent/net.json\"}\n";

    g_assert_true (g_file_set_contents (bad, text, -1, NULL));
  }
  /* A session that cannot be read says so at once, before anything loads. */
  sq_window_open (w2, bad_file);
  g_assert_false (sq_window_is_loading (w2));
  dialog = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Could Not Open Session “gone.synquant”");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "/nonexistent/net.json"));
  sq_test_finalize_window (g_object_ref (dialog));
  /* The window keeps what it had. */
  g_assert_cmpstr (sq_document_get_title (sq_window_get_document (w2)), ==, "small.json");

  sq_quant_params_init (&q);
  sq_test_set_params (sq_window_get_analysis (w2), &q);
  sq_window_set_device (w2, "xylo-audio2");
  sq_test_settle (w2);
  sq_test_remove_tree (dir);
  sq_test_finalize_window (w2);
}

/* Writes a session nested @depth levels deep: 100 000 (200 KB) overflowed json-glib's stack. */
static char *
deep_session (guint depth)
{
  GString *s = g_string_new ("{\"version\": 1, \"source\": \"@\", \"simulate\": ");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  return g_string_free (s, FALSE);
}

/* An empty session (a failed precondition in json-glib left its error unset, and the window
 * read it) and a deeply nested one: each shows the error dialog, and the window lives on. */
static void
test_session_unreadable (void)
{
  SqWindow *w = sq_test_new_window (app);
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *deep = deep_session (100000);
  static const char *const names[] = { "empty.synquant", "deep.synquant" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *heading = g_strdup_printf ("Could Not Open Session “%s”", names[i]);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      AdwMessageDialog *dialog;

      g_assert_true (g_file_set_contents (path, i == 0 ? "" : deep, -1, NULL));
      sq_window_open (w, file);
      g_assert_false (sq_window_is_loading (w));
      dialog = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
      g_assert_nonnull (dialog);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                                i == 0 ? "the file is empty" : "nested deeper than 256"));
      sq_test_finalize_window (g_object_ref (GTK_WIDGET (dialog)));
    }
  g_assert_null (sq_window_get_document (w));
  sq_test_remove_tree (dir);
  sq_test_finalize_window (w);
}

/* Bad sessions: each names its file and what was wrong. */
static void
test_session_errors (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "bad.synquant", NULL);
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  static const struct {
    const char *json;
    int         code;
    const char *needle;
  } cases[] = {
    { "[]", SQ_SESSION_ERROR_INVALID, "expected a JSON object" },
    { "{\"source\": \"@\"}", SQ_SESSION_ERROR_INVALID, "version" },
    { "{\"version\": 2, \"source\": \"@\"}", SQ_SESSION_ERROR_VERSION, "version 2" },
    { "{\"version\": 1}", SQ_SESSION_ERROR_INVALID, "source" },
    { "{\"version\": 1, \"source\": \"@\", \"weight_bits\": 99}", SQ_SESSION_ERROR_INVALID,
      "weight_bits: expected a whole number from 2 to 16" },
    { "{\"version\": 1, \"source\": \"@\", \"device\": \"dynapcnn\"}", SQ_SESSION_ERROR_INVALID,
      "device" },
    { "{\"version\": 1, \"source\": \"@\", \"method\": \"best\"}", SQ_SESSION_ERROR_INVALID,
      "method" },
    { "{\"version\": 1, \"source\": \"@\", \"weight_shift\": 9}", SQ_SESSION_ERROR_INVALID,
      "weight_shift" },
    { "{\"version\": 1, \"source\": \"@\", \"simulate\": 3}", SQ_SESSION_ERROR_INVALID,
      "simulate" },
    { "{\"version\": 1, \"source\": \"/nonexistent/x.json\"}", SQ_SESSION_ERROR_SOURCE,
      "/nonexistent/x.json" },
    { "", SQ_SESSION_ERROR_INVALID, "bad.synquant: the file is empty" },
    { "{\"version\": 1} x", SQ_SESSION_ERROR_INVALID, "bad.synquant:1:16: unexpected text" },
    { NULL, SQ_SESSION_ERROR_INVALID, "nested deeper than 256 levels" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *deep = cases[i].json == NULL ? deep_session (100000) : NULL;
      g_autoptr(GString) text = g_string_new (deep ? deep : cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(SqSession) s = NULL;

      g_string_replace (text, "@", small, 0);
      g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
      s = sq_session_load (path, &error);
      g_assert_null (s);
      g_assert_error (error, SQ_SESSION_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "bad.synquant"));
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
  sq_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  sq_test_ui_init (&argc, &argv);

  app = sq_test_app_new ();

  g_test_add_func ("/export-dialog/formats", test_formats);
  g_test_add_func ("/export-dialog/blocked", test_blocked);
  g_test_add_func ("/export-dialog/read-only", test_read_only);
  g_test_add_func ("/export-dialog/check-list-click", test_check_list_click);
  g_test_add_func ("/export-dialog/session", test_session);
  g_test_add_func ("/export-dialog/session-errors", test_session_errors);
  g_test_add_func ("/export-dialog/session-unreadable", test_session_unreadable);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
