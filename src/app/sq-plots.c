/* sq-plots.c: what each chart of an analysis draws
 *
 * The tune page and every compare column draw the same charts; the numbers all come from the
 * core (SqAnalysisResult), this file only chooses colours and words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-format.h"
#include "sq-plots.h"

/* More levels than this in the visible range would be a grey wash, not a grid. */
#define MAX_GRID_LEVELS 512

static SqChartColor
marker_color (SqMarkerStyle style)
{
  switch (style)
    {
    case SQ_MARKER_SECONDARY:
      return SQ_CHART_COLOR_WARNING;
    case SQ_MARKER_TERTIARY:
      return SQ_CHART_COLOR_SUCCESS;
    case SQ_MARKER_LIMIT:
      return SQ_CHART_COLOR_ERROR;
    case SQ_MARKER_PRIMARY:
    default:
      return SQ_CHART_COLOR_ACCENT;
    }
}

/* A band, mirrored below zero where the marker says so, or two lines with the label on the
 * upper one. */
static void
add_marker (SqChart        *chart,
            const SqMarker *m)
{
  SqChartColor color = marker_color (m->style);

  if (m->band)
    {
      if (m->mirrored)
        sq_chart_add_vband (chart, -m->hi, -m->lo, color, NULL);
      sq_chart_add_vband (chart, m->lo, m->hi, color, sq_label (m->label));
      return;
    }
  sq_chart_add_vline (chart, m->lo, color, m->dashed, NULL);
  sq_chart_add_vline (chart, m->hi, color, m->dashed, sq_label (m->label));
}

/* ---------------------------------------------------------------------------------------- */
/* In words                                                                                  */

/* "; global clip at ±3.703" or "; clip range 0 … 15" */
static void
append_clip (GString             *out,
             const SqGroupResult *g)
{
  const char *label = NULL;
  g_autofree char *hi = NULL;

  if (!isfinite (g->clip_lo) || !isfinite (g->clip_hi))
    return;
  hi = sq_format_number (g->clip_hi);
  if (!(fabs (g->clip_lo + g->clip_hi) > 1e-12 * fabs (g->clip_hi)))
    {
      /* The marker in use names the method, where one lies on the clip point. */
      for (guint i = 0; i < g->markers->len; i++)
        {
          const SqMarker *m = &g_array_index (g->markers, SqMarker, i);

          if (!m->band && !(fabs (m->hi - g->clip_hi) > 1e-12 * fabs (g->clip_hi)))
            label = sq_label (m->label);
        }
      if (label != NULL)
        /* Translators: a method's clip point, "; global clip at ±3.703" */
        g_string_append_printf (out, _("; %s clip at ±%s"), label, hi);
      else
        /* Translators: the clip point, "; clip at ±3.703" */
        g_string_append_printf (out, _("; clip at ±%s"), hi);
    }
  else
    {
      g_autofree char *lo = sq_format_number (g->clip_lo);

      /* Translators: the range values are clipped to, "; clip range 0 … 15" */
      g_string_append_printf (out, _("; clip range %s … %s"), lo, hi);
    }
}

static char *
describe_values (const SqAnalysisResult *r)
{
  const SqGroupResult *g = sq_network_result_get_group (r->quant, r->group);
  const char *title = sq_label (sq_network_get_group (r->quant->network, r->group)->label);
  const SqHistogram *h = &r->values;
  GString *out = g_string_new (NULL);
  g_autofree char *n = sq_format_integer (h->n);

  if (isnan (h->data_min))
    /* Translators: a parameter group without values, "Biases: no values" */
    g_string_append_printf (out, _("%s: no values"), title);
  else if (h->zeros > 0 || h->n == 0)
    {
      g_autofree char *lo = sq_format_number (h->data_min), *hi = sq_format_number (h->data_max);
      g_autofree char *z = sq_format_integer (h->zeros);

      /* Translators: "Recurrent weights: 85 848 non-zero values from −1.863 to 1.78" */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "%s: %s non-zero value from %s to %s",
                                                "%s: %s non-zero values from %s to %s",
                                                (gulong) MIN (h->n, G_MAXULONG)),
                              title, n, lo, hi);
      /* Translators: the count of exact zeros, ", 914 152 zeros" */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", %s zero", ", %s zeros",
                                                (gulong) MIN (h->zeros, G_MAXULONG)), z);
    }
  else
    {
      g_autofree char *lo = sq_format_number (h->data_min), *hi = sq_format_number (h->data_max);

      /* Translators: "Thresholds: 1 000 values from 0.2 to 12.5" */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%s: %s value from %s to %s",
                                                "%s: %s values from %s to %s",
                                                (gulong) MIN (h->n, G_MAXULONG)),
                              title, n, lo, hi);
    }
  append_clip (out, g);
  return g_string_free (out, FALSE);
}

static char *
describe_errors (const SqAnalysisResult *r)
{
  const char *title = sq_label (sq_network_get_group (r->quant->network, r->group)->label);
  const SqStats *st = &r->error_stats;
  g_autofree char *lo = sq_format_number (st->min), *hi = sq_format_number (st->max);
  g_autofree char *worst = sq_format_number (st->max_abs), *n = sq_format_integer (st->n);

  /* Translators: the error histogram of a group: "Quantization error of Recurrent weights:
   * 100 000 values from −0.0123 to 0.0119, largest |error| 0.0123" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Quantization error of %s: %s value from %s to %s, "
                                       "largest |error| %s",
                                       "Quantization error of %s: %s values from %s to %s, "
                                       "largest |error| %s",
                                       (gulong) MIN (st->n, G_MAXULONG)),
                          title, n, lo, hi, worst);
}

static char *
describe_neurons (const SqAnalysisResult *r,
                  const char             *why)
{
  const SqGroupResult *g = sq_network_result_get_group (r->quant, r->group);
  double lo = INFINITY, hi = -INFINITY;
  gsize n = 0;
  g_autofree char *slo = NULL, *shi = NULL;

  if (why != NULL)
    /* Translators: the per-neuron chart when it has nothing to show, and why */
    return g_strdup_printf (_("Clip point per neuron: %s"), why);
  for (gsize i = 0; i < g->n_channels; i++)
    if (isfinite (g->channel_clip[i]))
      {
        lo = MIN (lo, g->channel_clip[i]);
        hi = MAX (hi, g->channel_clip[i]);
        n++;
      }
  if (n == 0)
    return g_strdup (_("Clip point per neuron: no neuron has values"));
  slo = sq_format_number (lo);
  shi = sq_format_number (hi);
  /* Translators: "Clip point per neuron: 1 000 neurons, from 0.25 to 3.5" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Clip point per neuron: %zu neuron, from %s to %s",
                                       "Clip point per neuron: %zu neurons, from %s to %s",
                                       (gulong) n),
                          n, slo, shi);
}

/**
 * sq_plots_describe:
 * @r: (nullable): the analysis shown
 * @plot: which of its charts
 *
 * The one sentence a screen reader gets for a chart: what it shows and its key figure,
 * from the same result the chart draws ("Recurrent weights: 85 848 non-zero values from
 * −1.863 to 1.78, 914 152 zeros; global clip at ±3.703").
 *
 * Returns: (transfer full) (nullable): %NULL without a result
 */
char *
sq_plots_describe (const SqAnalysisResult *r,
                   SqPlot                  plot)
{
  if (r == NULL)
    return NULL;
  switch (plot)
    {
    case SQ_PLOT_VALUES:
      return describe_values (r);
    case SQ_PLOT_ERRORS:
      return describe_errors (r);
    case SQ_PLOT_NEURONS:
    default:
      return describe_neurons (r, NULL);
    }
}

/* ---------------------------------------------------------------------------------------- */

/* The clip point lines, the first alternative first (it keeps its label when two meet). */
static int
by_style (gconstpointer a,
          gconstpointer b)
{
  const SqMarker *ma = a, *mb = b;

  return (int) ma->style - (int) mb->style;
}

/* Spans of a few values' range a clip point may lie beyond them and still be drawn. */
#define FEW_REACH 2.0

/* A group of a few values (a layer's two thresholds) is its values, one bar each, with the
 * clip points across where they are near: a histogram of them would be a lone bar on an
 * empty axis. A clip point far beyond them (a joint scale set by the weights puts the
 * thresholds' hundreds of times further out) is said in the title, so the bars stay
 * readable. */
static void
show_few_values (SqChart             *chart,
                 const char          *title,
                 const SqTensor      *values,
                 const SqGroupResult *g)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (SqMarker));
  double lo = 0.0, hi = 0.0, span;
  const SqMarker *far = NULL;

  for (gsize i = 0; i < values->n; i++)
    if (isfinite (values->data[i]))
      {
        lo = MIN (lo, values->data[i]);
        hi = MAX (hi, values->data[i]);
      }
  span = hi - lo > 0.0 ? hi - lo : 1.0;
  sq_chart_set_x_label (chart, _("value index"));
  sq_chart_set_y_label (chart, _("float value"));
  sq_chart_set_series (chart, values->data, values->n, _("value"));
  for (guint i = 0; i < g->markers->len; i++)
    {
      const SqMarker *m = &g_array_index (g->markers, SqMarker, i);

      if (m->band)
        continue;
      if (m->lo >= lo - FEW_REACH * span && m->hi <= hi + FEW_REACH * span)
        g_array_append_val (lines, *m);
      else if (far == NULL || m->style < far->style)
        far = m;
    }
  g_array_sort (lines, by_style);
  for (guint i = 0; i < lines->len; i++)
    {
      const SqMarker *m = &g_array_index (lines, SqMarker, i);
      SqChartColor color = marker_color (m->style);

      sq_chart_add_hline (chart, m->lo, color, m->dashed, NULL);
      sq_chart_add_hline (chart, m->hi, color, m->dashed, sq_label (m->label));
    }
  if (far != NULL)
    {
      g_autofree char *clip_lo = sq_format_number (far->lo);
      g_autofree char *clip_hi = sq_format_number (far->hi);
      /* Translators: a group's title, its clip points far beyond its values (not drawn)
       * and what set them: "Layer 0 thresholds (clip at −258 and 258, set by the
       * weights)" */
      g_autofree char *text = far->label != NULL
        ? g_strdup_printf (_("%s (clip at %s and %s, %s)"), title, clip_lo, clip_hi,
                           sq_label (far->label))
        /* Translators: a group's title and its clip points far beyond its values: "Layer 0
         * thresholds (clip at −258 and 258)" */
        : g_strdup_printf (_("%s (clip at %s and %s)"), title, clip_lo, clip_hi);

      sq_chart_set_title (chart, text);
    }
}

void
sq_plots_show_values (SqChart                *chart,
                      const SqAnalysisResult *r)
{
  const SqGroupResult *g;
  const SqTensor *values;
  double levels[MAX_GRID_LEVELS];
  gsize n;

  sq_chart_clear_overlays (chart);
  if (r == NULL)
    {
      sq_chart_set_histogram (chart, NULL);
      sq_chart_set_description (chart, NULL);
      return;
    }

  g = sq_network_result_get_group (r->quant, r->group);
  values = sq_network_get_group (r->quant->network, r->group)->values;
  sq_chart_set_title (chart, sq_label (sq_network_get_group (r->quant->network,
                                                             r->group)->label));
  if (values->n > 0 && values->n <= SQ_PLOTS_FEW_VALUES)
    {
      g_autofree char *description = sq_plots_describe (r, SQ_PLOT_VALUES);

      show_few_values (chart, sq_label (sq_network_get_group (r->quant->network,
                                                              r->group)->label), values, g);
      sq_chart_set_description (chart, description);
      return;
    }
  sq_chart_set_x_label (chart, _("float value"));
  sq_chart_set_y_label (chart, _("count"));
  sq_chart_set_histogram (chart, &r->values);
  sq_chart_set_shade_outside (chart, g->clip_lo, g->clip_hi);

  n = sq_quant_levels (g->level_scale, g->level_bits, r->values.lo, r->values.hi, levels,
                       MAX_GRID_LEVELS);
  sq_chart_set_grid (chart, levels, n <= MAX_GRID_LEVELS ? n : 0);

  for (guint i = 0; i < g->markers->len; i++)
    add_marker (chart, &g_array_index (g->markers, SqMarker, i));
  {
    g_autofree char *description = sq_plots_describe (r, SQ_PLOT_VALUES);

    sq_chart_set_description (chart, description);
  }
}

void
sq_plots_show_errors (SqChart                *chart,
                      const SqAnalysisResult *r)
{
  sq_chart_clear_overlays (chart);
  sq_chart_set_title (chart, _("Quantization error"));
  sq_chart_set_x_label (chart, _("dequantized − float"));
  sq_chart_set_y_label (chart, _("count"));
  sq_chart_set_histogram (chart, r ? &r->errors : NULL);
  {
    g_autofree char *description = sq_plots_describe (r, SQ_PLOT_ERRORS);

    sq_chart_set_description (chart, description);
  }
}

void
sq_plots_show_neurons (SqChart                *chart,
                       const SqAnalysisResult *r)
{
  const SqGroupResult *g = r ? sq_network_result_get_group (r->quant, r->group) : NULL;
  g_autoptr(GArray) lines = NULL;

  sq_chart_clear_overlays (chart);
  sq_chart_set_title (chart, _("Clip point per neuron (channel scaling)"));
  sq_chart_set_x_label (chart, _("target neuron"));
  sq_chart_set_y_label (chart, _("clip point"));
  if (g == NULL || g->n_channels == 0)
    {
      const SqGroup *group = r ? sq_network_get_group (r->quant->network, r->group) : NULL;
      g_autofree char *why = NULL;

      if (group != NULL && group->scale == NULL)
        /* Translators: %s is a section of groups, "Dashes" */
        why = g_strdup_printf (_("%s are not scaled"),
                               sq_role_label (r->quant->network->kind, group->role));
      else if (group != NULL)
        why = g_strdup (_("One clip point for the whole group"));
      sq_chart_set_series (chart, NULL, 0, NULL);
      sq_chart_set_placeholder (chart, why);
      if (r != NULL)
        {
          g_autofree char *description = describe_neurons (r, why ? why : _("no data"));

          sq_chart_set_description (chart, description);
        }
      else
        sq_chart_set_description (chart, NULL);
      return;
    }
  sq_chart_set_series (chart, g->channel_clip, g->n_channels, _("neuron"));
  lines = g_array_new (FALSE, FALSE, sizeof (SqMarker));
  for (guint i = 0; i < g->markers->len; i++)
    {
      const SqMarker *m = &g_array_index (g->markers, SqMarker, i);

      if (!m->band && m->style != SQ_MARKER_LIMIT)
        g_array_append_val (lines, *m);
    }
  g_array_sort (lines, by_style);
  for (guint i = 0; i < lines->len; i++)
    {
      const SqMarker *m = &g_array_index (lines, SqMarker, i);

      sq_chart_add_hline (chart, m->hi, marker_color (m->style), m->dashed, sq_label (m->label));
    }
  {
    g_autofree char *description = sq_plots_describe (r, SQ_PLOT_NEURONS);

    sq_chart_set_description (chart, description);
  }
}
