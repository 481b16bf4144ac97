/* test-window-frame-speed.c: what the Tune page does on every setting's change, kept to what
 * the change needs (issue 16 §8)
 *
 * The diagnostics under the charts are the result's, row for row, and a change keeps every
 * row whose message is still there, as it is (a row of wrapped text whose text changes is
 * measured anew at every width, and rebuilding or retitling them made the whole page's
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

/* The rows and their titles now, to compare with the rows after a change. */
typedef struct {
  GPtrArray *rows;
  GPtrArray *titles;
} Rows;

static void
rows_take (Rows       *r,
           SqTunePage *page)
{
  r->rows = diagnostic_rows (page);
  r->titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < r->rows->len; i++)
    g_ptr_array_add (r->titles, g_strdup (adw_preferences_row_get_title (
                                            g_ptr_array_index (r->rows, i))));
}

static void
rows_clear (Rows *r)
{
  g_clear_pointer (&r->rows, g_ptr_array_unref);
  g_clear_pointer (&r->titles, g_ptr_array_unref);
}

/* A row whose message was there @before is the same widget (its text never measured
 * again); @kept of the rows are such, @made are new. */
static void
assert_rows_kept (SqTunePage *page,
                  const Rows *before,
                  guint      *kept,
                  guint      *made)
{
  g_autoptr(GPtrArray) after = diagnostic_rows (page);

  *kept = *made = 0;
  for (guint i = 0; i < after->len; i++)
    {
      const char *title = adw_preferences_row_get_title (g_ptr_array_index (after, i));
      guint at;

      if (g_ptr_array_find_with_equal_func (before->titles, title, g_str_equal, &at))
        {
          g_assert_true (g_ptr_array_index (after, i) == g_ptr_array_index (before->rows, at));
          (*kept)++;
        }
      else
        (*made)++;
    }
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
  Rows before = { NULL, };
  guint kept, made;

  g_assert_nonnull (example);
  file = g_file_new_for_path (example);
  sq_window_open (w, file);
  sq_test_settle (w);
  assert_rows_match (page, analysis);

  /* 2-bit weights zero many: several diagnostics, some of whose counts change with the
   * bits. */
  sq_analysis_set_option (analysis, "weight-bits", 2);
  g_assert_true (sq_analysis_get_busy (analysis));
  g_assert_false (gtk_spinner_get_spinning (spinner));
  sq_test_settle (w);
  g_assert_false (gtk_spinner_get_spinning (spinner));
  assert_rows_match (page, analysis);
  rows_take (&before, page);
  g_assert_cmpuint (before.rows->len, >, 1);

  /* From 2 to 5 bits a count changes (a new row) and the other messages stay. */
  sq_analysis_set_option (analysis, "weight-bits", 5);
  g_assert_false (gtk_spinner_get_spinning (spinner));
  sq_test_settle (w);
  assert_rows_match (page, analysis);
  assert_rows_kept (page, &before, &kept, &made);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (made, >, 0);
  rows_clear (&before);
  rows_take (&before, page);

  /* At 11 bits the biases' rows at the top are gone: the rows after them, whose messages
   * stay, are still the same widgets (not the first rows retitled). */
  sq_analysis_set_option (analysis, "weight-bits", 11);
  sq_test_settle (w);
  assert_rows_match (page, analysis);
  assert_rows_kept (page, &before, &kept, &made);
  g_assert_cmpuint (made, ==, 0);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <, before.rows->len);
  rows_clear (&before);

  /* Back to 8 bits: the rows say the result's diagnostics. */
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
