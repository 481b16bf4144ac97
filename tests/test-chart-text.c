/* test-chart-text.c: a chart's texts, kept laid out between frames, are what laying them
 * out anew gives, also after the font changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-chart.h"
#include "sq-chart-context.h"
#include "sq-test-ui.h"

/* The size of @text laid out anew from the chart's context. */
static void
fresh_size (const SqChartContext *ctx,
            const char           *text,
            SqChartText           kind,
            double               *w,
            double               *h)
{
  g_autoptr(PangoLayout) layout = sq_chart_context_make_text (ctx, text, kind, w, h);
}

static void
assert_cached_is_fresh (const SqChartContext *ctx,
                        const char           *text,
                        SqChartText           kind)
{
  double w, h, fw, fh;

  sq_chart_context_text_size (ctx, text, kind, &w, &h);
  fresh_size (ctx, text, kind, &fw, &fh);
  g_assert_cmpfloat (w, ==, fw);
  g_assert_cmpfloat (h, ==, fh);
  g_assert_cmpfloat (sq_chart_context_text_width (ctx, text, kind), ==, fw);
  g_assert_cmpfloat (w, >, 0.0);
}

static void
test_text_cache (void)
{
  GtkWidget *chart = g_object_ref_sink (sq_chart_new ());
  SqChartContext ctx = { chart, };
  PangoContext *pc = gtk_widget_get_pango_context (chart);
  g_autoptr(PangoFontDescription) big = NULL;
  double before, after;

  /* Twice each (laid out, then from the cache), in each style. */
  for (guint round = 0; round < 2; round++)
    {
      assert_cached_is_fresh (&ctx, "100 000", SQ_CHART_TEXT_SMALL);
      assert_cached_is_fresh (&ctx, "100 000", SQ_CHART_TEXT_TITLE);
      assert_cached_is_fresh (&ctx, "Recurrent weights", SQ_CHART_TEXT_NORMAL);
    }
  /* The same text in two styles is two layouts: bold is wider. */
  g_assert_cmpfloat (sq_chart_context_text_width (&ctx, "Recurrent weights",
                                                  SQ_CHART_TEXT_TITLE), >,
                     sq_chart_context_text_width (&ctx, "Recurrent weights",
                                                  SQ_CHART_TEXT_NORMAL));

  /* A larger font: the kept layout follows it. */
  before = sq_chart_context_text_width (&ctx, "Recurrent weights", SQ_CHART_TEXT_NORMAL);
  big = pango_font_description_copy (pango_context_get_font_description (pc));
  pango_font_description_set_size (big, 3 * pango_font_description_get_size (big));
  pango_context_set_font_description (pc, big);
  after = sq_chart_context_text_width (&ctx, "Recurrent weights", SQ_CHART_TEXT_NORMAL);
  g_assert_cmpfloat (after, >, 2.0 * before);
  assert_cached_is_fresh (&ctx, "Recurrent weights", SQ_CHART_TEXT_NORMAL);

  /* Past its bound the cache starts over, and still answers. */
  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      sq_chart_context_text_width (&ctx, text, SQ_CHART_TEXT_SMALL);
    }
  assert_cached_is_fresh (&ctx, "1199", SQ_CHART_TEXT_SMALL);
  assert_cached_is_fresh (&ctx, "7", SQ_CHART_TEXT_SMALL);
  g_object_unref (chart);
}

int
main (int   argc,
      char *argv[])
{
  sq_test_ui_init (&argc, &argv);
  g_test_add_func ("/chart-text/cache", test_text_cache);
  return g_test_run ();
}
