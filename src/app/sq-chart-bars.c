/* sq-chart-bars.c: a chart layer of bars: a histogram, or one value per index
 *
 * A histogram's bars stand on its bins, the y axis counting values (linear or log1p, as the
 * chart's log-scale says); a series has one bar per index, growing from 0 up or down, with
 * NaN as a gap. Bars snap to whole pixels; wide ones keep a 1-px gap between neighbours and a
 * non-zero value is never thinner or lower than a pixel.
 *
 * A histogram made by sq_histogram_init_nonzero() leaves its exact zeros out of the bins: the
 * legend says how many ("85 828 zeros left out"), and with show-zeros they get a bar of their
 * own, one bin wide around 0, outlined in the warning colour so it is not read as a bin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-bars.h"
#include "sq-format.h"

struct _SqChartBars
{
  SqChartLayer parent_instance;

  gboolean     has_hist;
  SqHistogram  hist;
  double      *series;
  gsize        n_series;
  char        *item_name;
  gboolean     show_zeros;
  char        *caption;     /* about the zeros, or NULL */

  /* From the data when it is set, so refitting the axes costs nothing. */
  SqChartExtents extents;
  gboolean       has_data;
};

G_DEFINE_FINAL_TYPE (SqChartBars, sq_chart_bars, SQ_TYPE_CHART_LAYER)

static void
clear_data (SqChartBars *self)
{
  sq_histogram_clear (&self->hist);
  self->has_hist = FALSE;
  g_clear_pointer (&self->series, g_free);
  g_clear_pointer (&self->item_name, g_free);
  g_clear_pointer (&self->caption, g_free);
  self->n_series = 0;
}

static gboolean
zero_bar (SqChartBars *self,
          double      *x0,
          double      *x1)
{
  double w = sq_histogram_bin_width (&self->hist);

  if (!self->has_hist || !self->show_zeros || self->hist.zeros == 0)
    return FALSE;
  *x0 = -w / 2.0;
  *x1 = w / 2.0;
  return TRUE;
}

/* From the data and show-zeros: the caption and what the axes must span. */
static void
update_zeros (SqChartBars *self)
{
  guint64 max = sq_histogram_max_count (&self->hist);
  g_autofree char *n = NULL;
  double x0, x1;

  g_clear_pointer (&self->caption, g_free);
  self->extents = (SqChartExtents) { self->hist.lo, self->hist.hi, 0.0,
                                     max > 0 ? (double) max : 1.0,
                                     FALSE, SQ_CHART_FIT_BARS, FALSE, FALSE };
  if (self->hist.zeros == 0)
    return;
  n = sq_format_integer (self->hist.zeros);
  if (zero_bar (self, &x0, &x1))
    {
      sq_chart_extents_include (&self->extents, x0, (double) self->hist.zeros);
      sq_chart_extents_include (&self->extents, x1, NAN);
      /* Translators: the count of exact zeros, drawn as a bar of their own */
      self->caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s zero (outlined)",
                                                    "%s zeros (outlined)",
                                                    (gulong) MIN (self->hist.zeros,
                                                                  G_MAXULONG)), n);
    }
  else
    /* Translators: the count of exact zeros the histogram does not show */
    self->caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s zero left out",
                                                  "%s zeros left out",
                                                  (gulong) MIN (self->hist.zeros, G_MAXULONG)),
                                     n);
}

static gboolean
sq_chart_bars_has_data (SqChartLayer *layer)
{
  return SQ_CHART_BARS (layer)->has_data;
}

static void
sq_chart_bars_get_extents (SqChartLayer   *layer,
                           SqChartExtents *extents)
{
  *extents = SQ_CHART_BARS (layer)->extents;
}

static void
sq_chart_bars_render (SqChartLayer         *layer,
                      const SqChartContext *ctx,
                      cairo_t              *cr,
                      SqChartPass           pass)
{
  SqChartBars *self = SQ_CHART_BARS (layer);
  double base = sq_chart_snap (sq_chart_context_y (ctx, 0.0));
  guint n = self->has_hist ? self->hist.n_bins : (guint) self->n_series;

  if (pass != SQ_CHART_PASS_PLOT)
    return;
  sq_chart_set_source (cr, &ctx->palette->bars, 1.0);
  for (guint i = 0; i < n; i++)
    {
      double x0, x1, top, v;

      if (self->has_hist)
        {
          if (self->hist.counts[i] == 0)
            continue;
          v = (double) self->hist.counts[i];
          x0 = sq_chart_snap (sq_chart_context_x (ctx, self->hist.edges[i]));
          x1 = sq_chart_snap (sq_chart_context_x (ctx, self->hist.edges[i + 1]));
        }
      else
        {
          v = self->series[i];
          if (!isfinite (v))
            continue;   /* a gap */
          x0 = sq_chart_snap (sq_chart_context_x (ctx, i - 0.5));
          x1 = sq_chart_snap (sq_chart_context_x (ctx, i + 0.5));
        }
      /* Wide bars get a 1-px gap so neighbours stay apart; thin ones are at least a pixel. */
      if (x1 - x0 >= 5.0)
        x1 -= 1.0;
      if (x1 - x0 < 1.0)
        x1 = x0 + 1.0;

      top = sq_chart_snap (sq_chart_context_y (ctx, v));
      /* A non-zero value is never invisible; the baseline covers a bar's first row below 0. */
      if (v > 0.0 && top > base - 1.0)
        top = base - 1.0;
      else if (v < 0.0 && top < base + 2.0)
        top = base + 2.0;
      cairo_rectangle (cr, x0, MIN (top, base), x1 - x0, fabs (base - top));
    }
  cairo_fill (cr);

  {
    double z0, z1, x0, x1, top;

    if (!zero_bar (self, &z0, &z1))
      return;
    x0 = sq_chart_snap (sq_chart_context_x (ctx, z0));
    x1 = MAX (sq_chart_snap (sq_chart_context_x (ctx, z1)), x0 + 3.0);
    top = MIN (sq_chart_snap (sq_chart_context_y (ctx, (double) self->hist.zeros)), base - 3.0);
    sq_chart_set_source (cr, &ctx->palette->named[SQ_CHART_COLOR_WARNING], 0.35);
    cairo_rectangle (cr, x0, top, x1 - x0, base - top);
    cairo_fill_preserve (cr);
    sq_chart_set_source (cr, &ctx->palette->named[SQ_CHART_COLOR_WARNING], 1.0);
    cairo_set_line_width (cr, 2.0);
    cairo_stroke (cr);
  }
}

static void
sq_chart_bars_collect_legend (SqChartLayer *layer,
                              GArray       *entries)
{
  SqChartBars *self = SQ_CHART_BARS (layer);
  SqChartLegendEntry e = { self->caption, SQ_CHART_COLOR_WARNING, !self->show_zeros };

  if (self->caption != NULL)
    g_array_append_val (entries, e);
}

/* "[−0.0125, −0.0100): 1 234 values"; the last bin is closed: "]". */
static char *
describe_bin (SqChartBars *self,
              double       x)
{
  guint bin;
  double width = sq_histogram_bin_width (&self->hist);
  guint64 count;
  g_autofree char *lo = NULL, *hi = NULL, *n = NULL;

  {
    double z0, z1;

    if (zero_bar (self, &z0, &z1) && x >= z0 && x <= z1)
      {
        n = sq_format_integer (self->hist.zeros);
        /* Translators: the bar of exact zeros and their count */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "exactly 0: %s value",
                                             "exactly 0: %s values",
                                             (gulong) MIN (self->hist.zeros, G_MAXULONG)), n);
      }
  }
  if (!sq_histogram_find_bin (&self->hist, x, &bin))
    return NULL;
  count = self->hist.counts[bin];
  lo = sq_format_to_step (self->hist.edges[bin], width, 1);
  hi = sq_format_to_step (self->hist.edges[bin + 1], width, 1);
  n = sq_format_integer (count);
  return g_strdup_printf (bin + 1 == self->hist.n_bins
                            /* Translators: a histogram bin [from, to] and its count */
                            ? g_dngettext (GETTEXT_PACKAGE, "[%s, %s]: %s value",
                                           "[%s, %s]: %s values",
                                           (gulong) MIN (count, G_MAXULONG))
                            /* Translators: a histogram bin [from, to) and its count */
                            : g_dngettext (GETTEXT_PACKAGE, "[%s, %s): %s value",
                                           "[%s, %s): %s values",
                                           (gulong) MIN (count, G_MAXULONG)),
                          lo, hi, n);
}

static char *
sq_chart_bars_describe_at (SqChartLayer *layer,
                           double        x,
                           double        y)
{
  SqChartBars *self = SQ_CHART_BARS (layer);
  double index = floor (x + 0.5);
  g_autofree char *value = NULL;
  gsize i;

  if (self->has_hist)
    return describe_bin (self, x);
  if (!(index >= 0.0) || !(index < (double) self->n_series))
    return NULL;
  i = (gsize) index;
  if (!isfinite (self->series[i]))
    return NULL;
  /* Six digits, as "%g": thresholds are integers up to 32767 and read whole. */
  value = sq_format_significant (self->series[i], 6);
  /* Translators: an item (a neuron) by its name and index, and its value */
  return g_strdup_printf (_("%s %zu: %s"),
                          self->item_name != NULL ? self->item_name : _("item"), i, value);
}

/* "55 998 values from −1.864 to 1.776; 1 944 002 zeros left out", "32 values from 0 to 3" */
static char *
sq_chart_bars_summarize (SqChartLayer *layer)
{
  SqChartBars *self = SQ_CHART_BARS (layer);
  double lo = INFINITY, hi = -INFINITY;
  guint64 n = 0;
  g_autofree char *count = NULL, *from = NULL, *to = NULL, *text = NULL;

  if (self->has_hist)
    {
      n = self->hist.n;
      lo = isnan (self->hist.data_min) ? self->hist.lo : self->hist.data_min;
      hi = isnan (self->hist.data_max) ? self->hist.hi : self->hist.data_max;
    }
  for (gsize i = 0; i < self->n_series; i++)
    if (isfinite (self->series[i]))
      {
        lo = MIN (lo, self->series[i]);
        hi = MAX (hi, self->series[i]);
        n++;
      }
  if (!(lo <= hi))
    return NULL;
  count = sq_format_integer (n);
  from = sq_format_number (lo);
  to = sq_format_number (hi);
  /* Translators: what a chart of bars shows, for screen readers */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s value from %s to %s",
                                       "%s values from %s to %s", (gulong) MIN (n, G_MAXULONG)),
                          count, from, to);
  if (self->caption == NULL)
    return g_steal_pointer (&text);
  return g_strdup_printf ("%s; %s", text, self->caption);
}

static gboolean
sq_chart_bars_get_span_at (SqChartLayer *layer,
                           double        x,
                           double       *x0,
                           double       *x1)
{
  SqChartBars *self = SQ_CHART_BARS (layer);
  guint bin;

  if (!self->has_hist || !sq_histogram_find_bin (&self->hist, x, &bin))
    return FALSE;
  *x0 = self->hist.edges[bin];
  *x1 = self->hist.edges[bin + 1];
  return TRUE;
}

static void
sq_chart_bars_finalize (GObject *object)
{
  clear_data (SQ_CHART_BARS (object));
  G_OBJECT_CLASS (sq_chart_bars_parent_class)->finalize (object);
}

static void
sq_chart_bars_class_init (SqChartBarsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  object_class->finalize = sq_chart_bars_finalize;
  layer_class->has_data = sq_chart_bars_has_data;
  layer_class->get_extents = sq_chart_bars_get_extents;
  layer_class->render = sq_chart_bars_render;
  layer_class->describe_at = sq_chart_bars_describe_at;
  layer_class->get_span_at = sq_chart_bars_get_span_at;
  layer_class->collect_legend = sq_chart_bars_collect_legend;
  layer_class->summarize = sq_chart_bars_summarize;
}

static void
sq_chart_bars_init (SqChartBars *self)
{
  sq_chart_bars_set_series (self, NULL, 0, NULL);
}

/**
 * sq_chart_bars_set_histogram:
 * @hist: (nullable): copied; %NULL clears the data
 *
 * Shows @hist as bars; the x axis spans [lo, hi], the y axis the counts. Replaces any series.
 */
void
sq_chart_bars_set_histogram (SqChartBars       *self,
                             const SqHistogram *hist)
{
  g_return_if_fail (SQ_IS_CHART_BARS (self));
  g_return_if_fail (hist == NULL || (hist->n_bins > 0 && hist->counts != NULL
                                     && hist->edges != NULL));

  if (hist == NULL)
    {
      sq_chart_bars_set_series (self, NULL, 0, NULL);
      return;
    }
  clear_data (self);
  self->hist = *hist;
  self->hist.counts = g_memdup2 (hist->counts, hist->n_bins * sizeof (guint64));
  self->hist.edges = g_memdup2 (hist->edges, (hist->n_bins + 1) * sizeof (double));
  self->has_hist = TRUE;
  self->has_data = hist->n > 0 || hist->zeros > 0;
  update_zeros (self);
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

/**
 * sq_chart_bars_set_show_zeros:
 *
 * Whether a histogram's exact zeros, left out of its bins, are drawn as a bar of their own
 * around 0 (outlined in the warning colour) or only counted in the legend.
 */
void
sq_chart_bars_set_show_zeros (SqChartBars *self,
                              gboolean     show_zeros)
{
  g_return_if_fail (SQ_IS_CHART_BARS (self));

  show_zeros = !!show_zeros;
  if (self->show_zeros == show_zeros)
    return;
  self->show_zeros = show_zeros;
  if (self->has_hist)
    {
      update_zeros (self);
      sq_chart_layer_changed (SQ_CHART_LAYER (self));
    }
}

/**
 * sq_chart_bars_get_caption:
 *
 * Returns: (nullable): what the legend says about the histogram's exact zeros ("85 828 zeros
 *   left out"), or %NULL when it has none
 */
const char *
sq_chart_bars_get_caption (SqChartBars *self)
{
  g_return_val_if_fail (SQ_IS_CHART_BARS (self), NULL);
  return self->caption;
}

/**
 * sq_chart_bars_set_series:
 * @values: (array length=n) (nullable): copied; NaN and infinities leave gaps
 * @item_name: (nullable): what one value is, for the read-out ("neuron 12: 0.0345")
 *
 * Shows one bar per value from 0, at x = 0 … @n − 1. Replaces any histogram.
 */
void
sq_chart_bars_set_series (SqChartBars  *self,
                          const double *values,
                          gsize         n,
                          const char   *item_name)
{
  double lo = 0.0, hi = 0.0;

  g_return_if_fail (SQ_IS_CHART_BARS (self));
  g_return_if_fail (values != NULL || n == 0);

  clear_data (self);
  self->has_data = FALSE;
  if (n > 0)
    {
      self->series = g_memdup2 (values, n * sizeof (double));
      self->n_series = n;
      self->item_name = g_strdup (item_name);
    }
  /* Bars grow from 0, so the range always holds it. */
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        lo = MIN (lo, values[i]);
        hi = MAX (hi, values[i]);
        self->has_data = TRUE;
      }
  if (!(lo < 0.0) && !(hi > 0.0))
    hi = 1.0;
  if (n > 0)
    /* One bar per index: x ticks at whole numbers. */
    self->extents = (SqChartExtents) { -0.5, n - 0.5, lo, hi, FALSE, SQ_CHART_FIT_BARS, FALSE,
                                       TRUE };
  else
    self->extents = (SqChartExtents) { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_BARS, FALSE, FALSE };
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}
