/* sq-test-pages.c: what the window tests read on the pages and wait for, whatever the kind
 * (see sq-test-pages.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-compare-column.h"
#include "sq-test-pages.h"

/* The number at the start of a figure's text ("41.23 dB", "12 (0.5 %)"). */
double
sq_test_figure_value (SqFigures  *figures,
                      const char *name)
{
  const char *text = sq_figures_get_text (figures, name);
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  g_assert_true (end != text);
  return v;
}

/* Every column of the compare page has its result. */
gboolean
sq_test_compare_idle (gpointer compare_page)
{
  SqComparePage *page = compare_page;

  for (guint i = 0; i < sq_compare_page_get_n_columns (page); i++)
    {
      SqAnalysis *a = sq_compare_column_get_analysis (
        SQ_COMPARE_COLUMN (sq_compare_page_get_column (page, i)));

      if (sq_analysis_get_busy (a) || sq_analysis_get_result (a) == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
sq_test_export_dialog_idle (gpointer dialog)
{
  return !sq_export_dialog_is_busy (dialog);
}

/* A signal handler that counts its calls (connect it swapped, with the counter). */
void
sq_test_count (gint *n)
{
  (*n)++;
}

gboolean
sq_test_is_positive (gpointer n)
{
  return *(gint *) n > 0;
}
