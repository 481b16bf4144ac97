/* test-i18n.c: with LANGUAGE=de the window speaks German
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sq-application.h"
#include "sq-test-ui.h"
#include "sq-window.h"

static SqApplication *app;

/* The empty state, the status page the window shows before a network is open. */
static AdwStatusPage *
empty_page (SqWindow *w)
{
  GObject *stack = gtk_widget_get_template_child (GTK_WIDGET (w), SQ_TYPE_WINDOW, "main_stack");
  GtkWidget *page;

  g_assert_true (GTK_IS_STACK (stack));
  page = gtk_stack_get_child_by_name (GTK_STACK (stack), "empty");
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  return ADW_STATUS_PAGE (page);
}

static void
test_window_german (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));

  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 700);
  sq_test_present (GTK_WINDOW (w));

  /* A template string, and one looked up from C. */
  g_assert_cmpstr (adw_status_page_get_title (empty_page (w)), ==, "Netz öffnen");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Open…"), ==, "_Öffnen …");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (w)), ==, "Synquant");
  sq_test_save_screenshot (GTK_WIDGET (w), "window-de");

  sq_test_finalize_window (w);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("SYNQUANT_LOCALEDIR");
  g_autoptr(GError) error = NULL;
  int status;

  /* As `LANGUAGE=de synquant` would start, with the build tree's catalogue. */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  sq_test_ui_init (&argc, &argv);

  app = sq_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.synquant.Synquant.TestI18n");
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/synquant/Synquant");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/i18n/window-german", test_window_german);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
