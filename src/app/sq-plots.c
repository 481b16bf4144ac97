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

const char *
sq_param_title (SqParam param)
{
  static const char * const titles[SQ_N_PARAMS] = {
    [SQ_PARAM_WEIGHTS_IN] = N_("Input weights"),
    [SQ_PARAM_WEIGHTS_OUT] = N_("Output weights"),
    [SQ_PARAM_WEIGHTS_REC] = N_("Recurrent weights"),
    [SQ_PARAM_DASH_MEM] = N_("Membrane dashes"),
    [SQ_PARAM_DASH_MEM_OUT] = N_("Output membrane dashes"),
    [SQ_PARAM_DASH_SYN] = N_("Synaptic dashes"),
    [SQ_PARAM_DASH_SYN_2] = N_("Second synapse dashes"),
    [SQ_PARAM_DASH_SYN_OUT] = N_("Output synaptic dashes"),
    [SQ_PARAM_THRESHOLD] = N_("Hidden thresholds"),
    [SQ_PARAM_THRESHOLD_OUT] = N_("Output thresholds"),
    [SQ_PARAM_BIAS] = N_("Hidden biases"),
    [SQ_PARAM_BIAS_OUT] = N_("Output biases"),
  };

  g_return_val_if_fail (param < SQ_N_PARAMS, NULL);
  return _(titles[param]);
}

/* A clip point at ±x, drawn on both sides of zero. */
static void
add_pair (SqChart      *chart,
          double        x,
          SqChartColor  color,
          gboolean      dashed,
          const char   *label)
{
  if (!isfinite (x))
    return;
  sq_chart_add_vline (chart, -fabs (x), color, dashed, NULL);
  sq_chart_add_vline (chart, fabs (x), color, dashed, label);
}

void
sq_plots_show_values (SqChart                *chart,
                      const SqAnalysisResult *r)
{
  const SqParamView *v;
  double levels[MAX_GRID_LEVELS];
  gsize n;

  sq_chart_clear_overlays (chart);
  if (r == NULL)
    {
      sq_chart_set_histogram (chart, NULL);
      return;
    }

  v = &r->view;
  sq_chart_set_title (chart, sq_param_title (r->param));
  sq_chart_set_x_label (chart, _("float value"));
  sq_chart_set_y_label (chart, _("count"));
  sq_chart_set_histogram (chart, &r->values);
  sq_chart_set_shade_outside (chart, v->clip_lo, v->clip_hi);

  n = sq_quant_levels (v->level_scale, v->level_bits, r->values.lo, r->values.hi, levels,
                       MAX_GRID_LEVELS);
  sq_chart_set_grid (chart, levels, n <= MAX_GRID_LEVELS ? n : 0);

  if (sq_param_is_dash (r->param))
    {
      sq_chart_add_vline (chart, 0.0, SQ_CHART_COLOR_ERROR, FALSE, NULL);
      sq_chart_add_vline (chart, SQ_DASH_MAX, SQ_CHART_COLOR_ERROR, FALSE, _("dash 15"));
      return;
    }

  /* Per-channel scaling clips each neuron at its own point: drawn as the band they span. */
  if (v->clip.n_channels > 0 && isfinite (v->clip.channel_min) &&
      isfinite (v->clip.channel_max))
    {
      sq_chart_add_vband (chart, -v->clip.channel_max, -v->clip.channel_min,
                          SQ_CHART_COLOR_SUCCESS, NULL);
      sq_chart_add_vband (chart, v->clip.channel_min, v->clip.channel_max,
                          SQ_CHART_COLOR_SUCCESS, _("per channel"));
    }
  add_pair (chart, v->clip.fuzzy, SQ_CHART_COLOR_WARNING, TRUE, _("fuzzy"));
  add_pair (chart, v->clip.global, SQ_CHART_COLOR_ACCENT, FALSE, _("global"));
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

void
sq_plots_show_neurons (SqChart                *chart,
                       const SqAnalysisResult *r)
{
  const SqParamView *v = r ? &r->view : NULL;

  sq_chart_clear_overlays (chart);
  sq_chart_set_title (chart, _("Clip point per neuron (channel scaling)"));
  sq_chart_set_x_label (chart, _("target neuron"));
  sq_chart_set_y_label (chart, _("clip point"));
  if (v == NULL || v->clip.n_channels == 0)
    {
      sq_chart_set_series (chart, NULL, 0, NULL);
      sq_chart_set_placeholder (chart, _("Dashes are not scaled"));
      return;
    }
  sq_chart_set_series (chart, v->clip.channel, v->clip.n_channels, _("neuron"));
  if (isfinite (v->clip.global))
    sq_chart_add_hline (chart, v->clip.global, SQ_CHART_COLOR_ACCENT, FALSE, _("global"));
  if (isfinite (v->clip.fuzzy))
    sq_chart_add_hline (chart, v->clip.fuzzy, SQ_CHART_COLOR_WARNING, TRUE, _("fuzzy"));
}
