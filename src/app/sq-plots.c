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

void
sq_plots_show_values (SqChart                *chart,
                      const SqAnalysisResult *r)
{
  const SqGroupResult *g;
  double levels[MAX_GRID_LEVELS];
  gsize n;

  sq_chart_clear_overlays (chart);
  if (r == NULL)
    {
      sq_chart_set_histogram (chart, NULL);
      return;
    }

  g = sq_network_result_get_group (r->quant, r->group);
  sq_chart_set_title (chart, sq_label (sq_network_get_group (r->quant->network,
                                                             r->group)->label));
  sq_chart_set_x_label (chart, _("float value"));
  sq_chart_set_y_label (chart, _("count"));
  sq_chart_set_histogram (chart, &r->values);
  sq_chart_set_shade_outside (chart, g->clip_lo, g->clip_hi);

  n = sq_quant_levels (g->level_scale, g->level_bits, r->values.lo, r->values.hi, levels,
                       MAX_GRID_LEVELS);
  sq_chart_set_grid (chart, levels, n <= MAX_GRID_LEVELS ? n : 0);

  for (guint i = 0; i < g->markers->len; i++)
    add_marker (chart, &g_array_index (g->markers, SqMarker, i));
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
}

/* The clip point lines, the first alternative first (it keeps its label when two meet). */
static int
by_style (gconstpointer a,
          gconstpointer b)
{
  const SqMarker *ma = a, *mb = b;

  return (int) ma->style - (int) mb->style;
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
}
