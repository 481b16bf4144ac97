/* sq-param-view.c: where one parameter's values clip, and its quantization grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-param-view-private.h"

void
_sq_param_view_clear (SqParamView *view)
{
  sq_clip_points_clear (&view->clip);
  memset (view, 0, sizeof *view);
}

/* The widest clip point and its scale over the layer's groups of a channel result. */
static void
widest_channel (const SqQuantResult *result,
                SqLayer              layer,
                double              *clip,
                double              *scale)
{
  *clip = NAN;
  *scale = NAN;
  for (guint g = 0; g < result->groups->len; g++)
    {
      const SqGroupReport *r = sq_quant_result_get_group (result, g);

      /* A neuron without weights keeps scale 1 and clips nothing worth drawing. */
      if (r->layer != layer || !(r->range > 0.0) || !isfinite (r->clip))
        continue;
      if (isnan (*clip) || r->clip > *clip)
        {
          *clip = r->clip;
          *scale = r->scale;
        }
    }
}

/**
 * _sq_param_view_compute:
 * @view: (out caller-allocates): clear it with _sq_param_view_clear()
 * @spec: the float specification @result was made from
 * @result: the quantization shown
 * @weight_points: (nullable): sq_clip_points_compute() of @param's layer with @result's
 *   parameters, or %NULL to leave @view's clip points out (NaN, no channels)
 * @param: a parameter @spec has
 *
 * Returns: %FALSE with @error set when @spec lacks @param
 */
gboolean
_sq_param_view_compute (SqParamView         *view,
                        const SqXyloSpec    *spec,
                        const SqQuantResult *result,
                        const SqClipPoints  *weight_points,
                        SqParam              param,
                        GError             **error)
{
  const SqQuantParams *p = &result->params;
  double clip, scale;

  memset (view, 0, sizeof *view);
  view->param = param;
  view->layer = sq_param_layer (param);
  if (!sq_tensor_is_present (&spec->param[param]))
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                   _("The specification has no %s"), sq_param_name (param));
      return FALSE;
    }

  if (sq_param_is_dash (param))
    {
      view->unit = NAN;
      view->clip.global = NAN;
      view->clip.fuzzy = NAN;
      view->clip.channel_min = NAN;
      view->clip.channel_max = NAN;
      view->clip_lo = 0.0;
      view->clip_hi = SQ_DASH_MAX;
      view->level_scale = 1.0;
      view->level_bits = 5;
      return TRUE;
    }

  /* Thresholds and biases live in the state, which the weight shift scales by 2^shift
   * more than the weights: their clip points are that much closer. */
  view->unit = sq_param_is_weights (param)
               ? 1.0
               : ldexp (sq_quant_threshold_max (p) / sq_quant_weight_max (p),
                        -result->weight_shift[view->layer]);
  view->level_bits = sq_param_is_weights (param) ? p->weight_bits : p->threshold_bits;

  if (weight_points == NULL)
    {
      view->clip.global = view->clip.fuzzy = NAN;
      view->clip.channel_min = view->clip.channel_max = NAN;
    }
  else
    {
      view->clip = *weight_points;
      view->clip.channel = g_memdup2 (weight_points->channel,
                                      weight_points->n_channels * sizeof (double));
    }
  view->clip.global *= view->unit;
  view->clip.fuzzy *= view->unit;
  view->clip.channel_min *= view->unit;
  view->clip.channel_max *= view->unit;
  for (gsize c = 0; c < view->clip.n_channels; c++)
    view->clip.channel[c] *= view->unit;

  if (p->method == SQ_METHOD_CHANNEL)
    widest_channel (result, view->layer, &clip, &scale);
  else
    {
      const SqGroupReport *r = sq_quant_result_get_group (result, view->layer);

      clip = r->clip;
      scale = r->scale;
      /* Rockpool's defect b gives weights_rec a scale of its own. */
      if (param == SQ_PARAM_WEIGHTS_REC)
        {
          clip /= result->rec_scale_factor;
          scale *= result->rec_scale_factor;
        }
    }
  clip = fabs (clip) * view->unit;
  view->clip_lo = -clip;
  view->clip_hi = clip;
  view->level_scale = sq_param_is_weights (param)
                      ? fabs (scale) : ldexp (fabs (scale), result->weight_shift[view->layer]);
  return TRUE;
}
