/* test-window-frame-speed.c: what the Tune page does on every setting's change, kept to what
 * the change needs (issue 16 §8)
 *
 * The diagnostics under the charts are the result's, row for row, and a change keeps the
 * rows it can (retitled, never rebuilt: a new row of wrapped text made the whole page's
 * layout start over); the busy spinner does not start with a recomputation (it would animate
 * the window while the worker wants the processors) and is still after one. No timing is
 * asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <synquant.h>

#include "sq-analysis.h"
#include "sq-test-ui.h"
#include "sq-test-xylo.h"
#include "sq-tune-page.h"

static SqApplication *app;

/* The rows of the diagnostics list, in order. */
static GPtrArray *
diagnostic_rows (SqTunePage *page)
{
  GtkWidget *list = sq_test_child (page, SQ_TYPE_TUNE_PAGE, "diagnostics_list");
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    g_ptr_array_add (rows, c);
  return rows;
}

/* The rows say exactly the result's diagnostics, in order, and the list shows only with
 * some. */
static void
assert_rows_match (SqTunePage *page,
                   SqAnalysis *analysis)
{
  const SqAnalysisResult *r = sq_analysis_get_result (analysis);
  g_autoptr(GPtrArray) rows = diagnostic_rows (page);
  GtkWidget *list = sq_test_child (page, SQ_TYPE_TUNE_PAGE, "diagnostics_list");

  g_assert_nonnull (r);
  g_assert_cmpuint (rows->len, ==, r->quant->diagnostics->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (r->quant->diagnostics, i);

      g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), ==,
                       d->message);
    }
  g_assert_true (gtk_widget_get_visible (list) == (rows->len > 0));
}

static void
test_diagnostics_and_spinner (void)
{
  const char *example = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GFile) file = NULL;
  SqWindow *w = sq_test_new_window (app);
  SqTunePage *page = sq_window_get_tune_page (w);
  SqAnalysis *analysis = sq_window_get_analysis (w);
  GtkSpinner *spinner = GTK_SPINNER (sq_test_child (page, SQ_TYPE_TUNE_PAGE, "busy_spinner"));
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  guint kept = 0;

  g_assert_nonnull (example);
  file = g_file_new_for_path (example);
  sq_window_open (w, file);
  sq_test_settle (w);
  assert_rows_match (page, analysis);

  /* 2-bit weights clip many: several diagnostics, whose counts change with the bits. */
  sq_analysis_set_option (analysis, "weight-bits", 2);
  g_assert_true (sq_analysis_get_busy (analysis));
  g_assert_false (gtk_spinner_get_spinning (spinner));
  sq_test_settle (w);
  g_assert_false (gtk_spinner_get_spinning (spinner));
  assert_rows_match (page, analysis);
  before = diagnostic_rows (page);
  g_assert_cmpuint (before->len, >, 1);

  sq_analysis_set_option (analysis, "weight-bits", 3);
  g_assert_false (gtk_spinner_get_spinning (spinner));
  sq_test_settle (w);
  assert_rows_match (page, analysis);
  after = diagnostic_rows (page);
  for (guint i = 0; i < MIN (before->len, after->len); i++)
    kept += g_ptr_array_index (before, i) == g_ptr_array_index (after, i);
  /* Every row the new result still needs is the same widget, retitled. */
  g_assert_cmpuint (kept, ==, MIN (before->len, after->len));

  /* Back to 8 bits: the rows the result no longer has are gone. */
  sq_analysis_set_option (analysis, "weight-bits", 8);
  sq_test_settle (w);
  assert_rows_match (page, analysis);
  g_assert_false (gtk_spinner_get_spinning (spinner));

  sq_test_finalize_window (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();
  g_test_add_func ("/window-frame-speed/diagnostics-and-spinner",
                   test_diagnostics_and_spinner);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
