/* sq-quantize.c: global and per-channel scaling, in Synquant's corrected mode and in
 * Rockpool's mode (bit-exact with rockpool/transform/quantize_methods.py v2.8–v3.0.3, see
 * research/rockpool.md §1): the parameters, the planner that decides every scale before a
 * value is written (and finds where Rockpool would fail, so it can fall back), the entry
 * points and the clip points of the histograms. The passes are sq-quant-kernels.c, the
 * plan carried out sq-quant-apply.c, the result's figures sq-quant-result.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-private.h"
#include "sq-quant-kernels-private.h"
#include "sq-quantize-private.h"

G_DEFINE_QUARK (sq-quant-error-quark, sq_quant_error)

/* ---------------------------------------------------------------------------------------- */
/* Parameters                                                                                */

void
sq_quant_params_init (SqQuantParams *params)
{
  params->method = SQ_METHOD_GLOBAL;
  params->mode = SQ_MODE_SYNQUANT;
  params->fuzzy = FALSE;
  params->weight_bits = 8;
  params->threshold_bits = 16;
  params->weight_shift = 0;
}

gboolean
sq_quant_params_check (const SqQuantParams *params,
                       GError             **error)
{
  if (params->weight_bits < SQ_WEIGHT_BITS_MIN || params->weight_bits > SQ_WEIGHT_BITS_MAX)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("weight bits must be from %d to %d, not %u"),
                   SQ_WEIGHT_BITS_MIN, SQ_WEIGHT_BITS_MAX, params->weight_bits);
      return FALSE;
    }
  if (params->threshold_bits < SQ_THRESHOLD_BITS_MIN ||
      params->threshold_bits > SQ_THRESHOLD_BITS_MAX)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("threshold bits must be from %d to %d, not %u"),
                   SQ_THRESHOLD_BITS_MIN, SQ_THRESHOLD_BITS_MAX, params->threshold_bits);
      return FALSE;
    }
  if (params->method != SQ_METHOD_GLOBAL && params->method != SQ_METHOD_CHANNEL)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("unknown scaling method %d"), (int) params->method);
      return FALSE;
    }
  if (params->mode != SQ_MODE_SYNQUANT && params->mode != SQ_MODE_ROCKPOOL)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("unknown quantization mode %d"), (int) params->mode);
      return FALSE;
    }
  if (params->weight_shift != SQ_WEIGHT_SHIFT_AUTO &&
      (params->weight_shift < 0 || params->weight_shift > SQ_QUANT_WEIGHT_SHIFT_MAX))
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("the weight shift must be auto or from 0 to %d, not %d"),
                   SQ_QUANT_WEIGHT_SHIFT_MAX, params->weight_shift);
      return FALSE;
    }
  if (params->weight_shift != 0 && params->mode == SQ_MODE_ROCKPOOL)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("a weight shift needs Synquant mode: Rockpool's quantizers always leave "
                     "the shifts at 0, and Rockpool mode reproduces them exactly"));
      return FALSE;
    }
  /* The 16-bit state receives w << s: a wider weight leaves no room for the shift. */
  if (params->weight_shift > 0 && (int) params->weight_bits + params->weight_shift > 16)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("%u-bit weights shifted by %d leave the 16-bit state"),
                   params->weight_bits, params->weight_shift);
      return FALSE;
    }
  return TRUE;
}

/* Wmax = 2^(bits−1) − 1 */
double
sq_quant_weight_max (const SqQuantParams *params)
{
  return ldexp (1.0, (int) params->weight_bits - 1) - 1.0;
}

/* Θmax = 2^(bits−1) − 1 */
double
sq_quant_threshold_max (const SqQuantParams *params)
{
  return ldexp (1.0, (int) params->threshold_bits - 1) - 1.0;
}

const char *
sq_method_to_string (SqMethod method)
{
  return method == SQ_METHOD_CHANNEL ? "channel" : "global";
}

const char *
sq_mode_to_string (SqMode mode)
{
  return mode == SQ_MODE_ROCKPOOL ? "rockpool" : "synquant";
}

const char *
sq_layer_to_string (SqLayer layer)
{
  return layer == SQ_LAYER_OUTPUT ? "output" : "hidden";
}

/* The layer whose scale applies to @param. */
SqLayer
sq_param_layer (SqParam param)
{
  return sq_param_is_output (param) ? SQ_LAYER_OUTPUT : SQ_LAYER_HIDDEN;
}

/* ---------------------------------------------------------------------------------------- */
/* Synquant mode: planning                                                                   */

/* Synquant's scales: s = Wmax/m (1 when m = 0), lowered to Θmax/max|θ| when the group's
 * largest threshold would not fit.
 *
 * With a weight shift (params->weight_shift ≠ 0) the hardware adds w << shift to the 16-bit
 * state, so thresholds and biases are scaled by s·2^shift while the weights keep s: biases
 * leave the weights' range (they only have to fit the state), and s is lowered only when a
 * threshold or bias cannot fit at s·2^shift.
 *
 * An automatic shift can only raise the state's scale relative to the weights, never lower
 * it: it cannot help a group whose thresholds already need s below Wmax/m. It picks the
 * largest shift (≤ 7, and ≤ 16 − weight bits) at which every threshold and bias of the layer
 * stays within 1/32 of the state range: the membrane can then still hold 31 thresholds, so
 * the 31-event cap, not saturation, bounds how often a neuron fires in one step, as in the
 * float model. Thresholds and biases gain that many bits of resolution, and small states
 * decay less coarsely. */
static void
synquant_scales (const SqQuantLayerView *v,
                 const SqQuantParams    *params,
                 gboolean                per_channel,
                 gboolean                fuzzy,
                 SqQuantScales          *s)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  gboolean state_domain = params->weight_shift != 0;
  int fixed = params->weight_shift > 0 ? params->weight_shift : 0;
  g_autofree double *need = NULL;

  _sq_quant_scales_init (s, per_channel ? v->n_targets : 1);
  need = g_new0 (double, s->n);

  if (per_channel)
    {
      if (fuzzy)
        _sq_quant_column_fuzzy_range (v, s->range);
      else
        {
          _sq_quant_column_max_abs (v, s->range);
          for (gsize c = 0; v->bias && !state_domain && c < v->n_targets; c++)
            s->range[c] = MAX (s->range[c], fabs (v->bias->data[c]));
        }
    }
  else
    {
      double m = fuzzy ? _sq_quant_layer_fuzzy_range (v) : _sq_quant_layer_max_abs (v);

      if (isnan (m))   /* fuzzy without a single non-zero weight */
        m = 0.0;
      if (!fuzzy && !state_domain)
        m = MAX (m, _sq_quant_vector_max_abs (v->bias));
      s->range[0] = m;
    }

  for (gsize g = 0; g < s->n; g++)
    {
      double m = s->range[g];
      double t = per_channel ? fabs (v->theta->data[g]) : _sq_quant_vector_max_abs (v->theta);
      double sc = m > 0.0 ? wmax / m : 1.0;

      if (state_domain && v->bias)
        t = MAX (t, per_channel ? fabs (v->bias->data[g]) : _sq_quant_vector_max_abs (v->bias));
      need[g] = t;
      if (!isfinite (sc))
        {
          /* Weights so small that Wmax/m overflows: the largest finite scale keeps every
           * product finite. */
          sc = DBL_MAX;
          s->overflow = TRUE;
        }
      if (t > 0.0 && ldexp (t * sc, fixed) > tmax)
        {
          sc = ldexp (tmax / t, -fixed);
          s->limited[g] = TRUE;
        }
      s->scale[g] = sc;
    }

  s->shift = fixed;
  if (params->weight_shift == SQ_WEIGHT_SHIFT_AUTO)
    {
      double headroom = (tmax + 1.0) / 32.0;
      int shift = MIN (SQ_QUANT_WEIGHT_SHIFT_MAX, 16 - (int) params->weight_bits);

      for (gsize g = 0; g < s->n && shift > 0; g++)
        {
          if (s->limited[g])
            shift = 0;
          while (shift > 0 && ldexp (need[g] * s->scale[g], shift) > headroom)
            shift--;
        }
      s->shift = MAX (shift, 0);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Rockpool mode: planning                                                                   */

/* numpy's astype(int) turns values beyond int64 into garbage; bounds on |result| that reach
 * this are treated as a Rockpool failure (channel_quantize casts only at the end). */
#define INT64_LIMIT 9.2e18

static gboolean
beyond_int64 (double bound)
{
  return !(bound < INT64_LIMIT);
}

/* global_quantize casts each product to int64 right after its first rounding (numpy's
 * astype(int) makes anything from 2^63 on INT64_MIN, which then skips the threshold rescale),
 * and the rescales after it only shrink (|ℓ| < 1). So the first rounded values are what must
 * fit, exactly: rint(max|x|·s) < 2^63 (rint and the product are monotone in |x|, so the
 * largest |x| gives the largest value). */
static gboolean
global_beyond_int64 (double max_abs,
                     double scale)
{
  return !(fabs (rint (max_abs * scale)) < 0x1p63);
}

static char *
rockpool_global_factors (const SqXyloSpec    *spec,
                         const SqQuantParams *params,
                         gboolean             fuzzy,
                         SqQuantCache        *cache,
                         SqRockpoolGlobal    *f)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  const SqTensor *theta = &spec->param[SQ_PARAM_THRESHOLD];
  const SqTensor *theta_out = &spec->param[SQ_PARAM_THRESHOLD_OUT];
  double qmax, w_hidden, w_output, s_hb;
  SqQuantLayerView hid, out;

  _sq_quant_layer_view_init (&hid, spec, SQ_LAYER_HIDDEN);
  _sq_quant_layer_view_init (&out, spec, SQ_LAYER_OUTPUT);
  hid.cache = out.cache = cache;

  w_hidden = _sq_quant_layer_max_abs (&hid);
  w_output = _sq_quant_layer_max_abs (&out);
  if (fuzzy)
    {
      f->m = _sq_quant_layer_fuzzy_range (&hid);
      f->m_out = _sq_quant_layer_fuzzy_range (&out);
      if (isnan (f->m) || isnan (f->m_out))
        return g_strdup (_("compute a NaN fuzzy range (a layer has no non-zero weight)"));
    }
  else
    {
      f->m = MAX (w_hidden, _sq_quant_vector_max_abs (hid.bias));
      f->m_out = MAX (w_output, _sq_quant_vector_max_abs (out.bias));
    }

  f->s = f->m > 0.0 ? wmax / f->m : 1.0;
  f->s_out = f->m_out > 0.0 ? wmax / f->m_out : 1.0;
  if (!isfinite (f->s) || !isfinite (f->s_out))
    return g_strdup (_("overflow its scale to infinity (the weights are too small)"));

  f->l_hidden = 1.0;
  qmax = -INFINITY;
  for (gsize j = 0; j < theta->n; j++)
    qmax = MAX (qmax, rint (theta->data[j] * f->s));
  if (fabs (qmax) > tmax)
    f->l_hidden = tmax / qmax;

  f->l_output = 1.0;
  qmax = -INFINITY;
  for (gsize o = 0; o < theta_out->n; o++)
    qmax = MAX (qmax, rint (theta_out->data[o] * f->s_out));
  if (fabs (qmax) > tmax)
    f->l_output = tmax / qmax;

  /* bias and bias_out keep the hidden scale s (defects a and h). */
  s_hb = MAX (_sq_quant_vector_max_abs (hid.bias), _sq_quant_vector_max_abs (out.bias));
  if (global_beyond_int64 (w_hidden, f->s) ||
      global_beyond_int64 (_sq_quant_vector_max_abs (theta), f->s) ||
      global_beyond_int64 (w_output, f->s_out) ||
      global_beyond_int64 (_sq_quant_vector_max_abs (theta_out), f->s_out) ||
      global_beyond_int64 (s_hb, f->s))
    return g_strdup (_("produce values beyond the range of a 64-bit integer"));

  return NULL;
}

/* channel_quantize's effective scale of each hidden or output neuron: Wmax/max|column|, or
 * Θmax/θ (from the float θ, so possibly negative) when the rounded threshold does not fit.
 * Biases use the scale before that limit, and hidden biases only with two synapses. */
static char *
rockpool_channel_scales (const SqXyloSpec       *spec,
                         const SqQuantParams    *params,
                         const SqQuantLayerView *v,
                         SqQuantScales          *s,
                         double                 *bias_scale)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  /* Defect (f): hidden biases are scaled only when there are two synapses. */
  gboolean scale_bias = v->layer == SQ_LAYER_OUTPUT || spec->n_syn > 1;

  _sq_quant_scales_init (s, v->n_targets);
  _sq_quant_column_max_abs (v, s->range);   /* Rockpool leaves the bias out of the range */

  for (gsize c = 0; c < v->n_targets; c++)
    {
      double m = s->range[c], theta = v->theta->data[c];
      double b = v->bias ? fabs (v->bias->data[c]) : 0.0, sc;

      bias_scale[c] = 1.0;
      s->scale[c] = 1.0;
      if (m > 0.0)
        {
          sc = wmax / m;
          if (!isfinite (sc))
            return g_strdup (_("overflow a scale to infinity (a neuron's weights are too "
                               "small)"));
          s->scale[c] = sc;
          if (scale_bias)
            bias_scale[c] = sc;

          if (fabs (rint (theta * sc)) > tmax)
            {
              /* The W_in rescale is guarded by j <= Nien: one past the last column is an
               * IndexError in Rockpool (its defect g). */
              if (v->layer == SQ_LAYER_HIDDEN && c == spec->n_ien &&
                  spec->n_ien < spec->n_hidden)
                return g_strdup_printf (_("raise IndexError (the threshold of hidden neuron %zu, "
                                          "the first one without input "
                                          "weights, does not fit)"), c);
              s->scale[c] = tmax / theta;
              s->limited[c] = TRUE;
            }
        }
      /* θ ← rint(θ) and the bias is only rounded when m = 0; the weights stay 0. */

      if (beyond_int64 (m * fabs (s->scale[c]) + 1.0) ||
          beyond_int64 (fabs (theta * s->scale[c]) + 1.0) ||
          beyond_int64 (b * bias_scale[c] + 1.0))
        return g_strdup (_("produce values beyond the range of a 64-bit integer"));
    }
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The plan                                                                                  */

void
_sq_quant_plan_clear (SqQuantPlan *plan)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      _sq_quant_scales_clear (&plan->scales[l]);
      g_clear_pointer (&plan->bias_scale[l], g_free);
    }
  g_clear_pointer (&plan->failure, g_free);
}

void
_sq_quant_plan_init (SqQuantPlan         *plan,
                     const SqXyloSpec    *spec,
                     const SqQuantParams *params,
                     SqQuantCache        *cache)
{
  gboolean per_channel = params->method == SQ_METHOD_CHANNEL;

  memset (plan, 0, sizeof *plan);
  plan->mode = params->mode;
  plan->cache = cache;

  if (plan->mode == SQ_MODE_ROCKPOOL && !per_channel)
    plan->failure = rockpool_global_factors (spec, params, params->fuzzy, cache,
                                             &plan->global);
  else if (plan->mode == SQ_MODE_ROCKPOOL)
    for (guint l = 0; l < SQ_N_LAYERS && plan->failure == NULL; l++)
      {
        SqQuantLayerView v;

        _sq_quant_layer_view_init (&v, spec, (SqLayer) l);
        v.cache = cache;
        plan->bias_scale[l] = g_new0 (double, v.n_targets);
        plan->failure = rockpool_channel_scales (spec, params, &v, &plan->scales[l],
                                                 plan->bias_scale[l]);
      }

  if (plan->failure != NULL)
    {
      for (guint l = 0; l < SQ_N_LAYERS; l++)
        {
          _sq_quant_scales_clear (&plan->scales[l]);
          g_clear_pointer (&plan->bias_scale[l], g_free);
        }
      plan->mode = SQ_MODE_SYNQUANT;
    }

  if (plan->mode == SQ_MODE_SYNQUANT)
    for (guint l = 0; l < SQ_N_LAYERS; l++)
      {
        SqQuantLayerView v;

        _sq_quant_layer_view_init (&v, spec, (SqLayer) l);
        v.cache = cache;
        synquant_scales (&v, params, per_channel, params->fuzzy, &plan->scales[l]);
      }
}

/* ---------------------------------------------------------------------------------------- */
/* Quantizing                                                                                */

static void
diagnose_biases (SqQuantResult *res)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      SqParam p = l == SQ_LAYER_HIDDEN ? SQ_PARAM_BIAS : SQ_PARAM_BIAS_OUT;
      gsize n = res->layer[l].bias_zeroed;

      if (n > 0)
        _sq_diagnostics_add (res->diagnostics, SQ_DIAG_BIAS_ZEROED, p, n,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%s: %zu non-zero bias became 0",
                                          "%s: %zu non-zero biases became 0", n),
                             sq_param_name (p), n);
    }
}

/* Quantizes @src into @dst, which has @src's layout and may be @src itself. */
static SqQuantResult *
quantize (const SqXyloSpec    *src,
          SqXyloSpec          *dst,
          const SqQuantParams *params,
          SqQuantCache        *cache)
{
  SqQuantResult *res = _sq_quant_result_new (params);
  g_autoptr(GPtrArray) dash_diags = _sq_diagnostics_new ();
  /* Without a network's cache, one for this call: the ranges and the quantization then
   * share one pass that lists the non-zero weights. */
  g_autoptr(SqQuantCache) own = cache ? NULL : _sq_quant_cache_new ();
  SqQuantPlan plan;

  cache = cache ? cache : own;
  _sq_quant_plan_init (&plan, src, params, cache);
  res->mode_used = plan.mode;
  if (plan.failure != NULL)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_FALLBACK, -1, 0,
                         _("Rockpool would %s; this result uses Synquant's corrected scaling "
                           "instead"), plan.failure);

  /* Dashes first: their diagnostics look at which synapses receive weights. */
  res->dashes_clipped = _sq_dashes_round (src, plan.mode == SQ_MODE_SYNQUANT, dst, dash_diags);

  if (plan.mode == SQ_MODE_ROCKPOOL)
    _sq_quant_apply_rockpool (src, dst, params, &plan, res);
  else
    _sq_quant_apply_synquant (src, dst, params, &plan, res);
  _sq_quant_plan_clear (&plan);

  _sq_quant_result_sum_groups (res, params->method == SQ_METHOD_CHANNEL);
  diagnose_biases (res);
  g_ptr_array_extend_and_steal (res->diagnostics, g_steal_pointer (&dash_diags));

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    dst->param[i].integer = TRUE;
  g_ptr_array_set_size (dst->warnings, 0);
  res->spec = dst;

  return res;
}

/**
 * sq_quantize:
 * @spec: a validated float (or integer) specification; it is never modified
 * @params: method, mode, fuzzy range and bit widths
 *
 * Scales and rounds every parameter to integers and reports, per group or channel, the scale,
 * clip point, clipped and zeroed counts and the error of the dequantized weights, plus a
 * diagnostic for every dash of 0 or outside 0…15.
 *
 * In Rockpool mode the result is bit-exact with Rockpool's quantizers, defects included.
 * Where Rockpool would crash or produce NaN, the result is Synquant's, `mode_used` says so
 * and a diagnostic explains why.
 *
 * Returns: (transfer full): the result, or %NULL with @error set for invalid parameters
 */
SqQuantResult *
sq_quantize (const SqXyloSpec    *spec,
             const SqQuantParams *params,
             GError             **error)
{
  return _sq_quantize_cached (spec, params, NULL, error);
}

/**
 * _sq_quantize_cached:
 * @cache: (nullable): the ranges of @spec's float weights, kept between calls
 *
 * sq_quantize(), reading the ranges from @cache (and filling it) where it can.
 */
SqQuantResult *
_sq_quantize_cached (const SqXyloSpec    *spec,
                     const SqQuantParams *params,
                     SqQuantCache        *cache,
                     GError             **error)
{
  SqXyloSpec *dst;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (spec->n_hidden > 0, NULL);

  if (!sq_quant_params_check (params, error))
    return NULL;

  /* Every value of the frame is written: weights, thresholds and biases by the layer
   * passes, dashes by _sq_dashes_round; absent parameters stay absent. */
  dst = _sq_xylo_spec_new_frame (spec, error);
  if (dst == NULL)
    return NULL;

  return quantize (spec, dst, params, cache);
}

/**
 * _sq_quantize_in_place:
 * @spec: a validated specification; its values become the integers
 *
 * sq_quantize() writing the integers over @spec's own values, for the Xylo kind's
 * sq_network_quantize_consume(): no second network to allocate and page-fault. On success
 * the result owns @spec (`result->spec == spec`); on failure @spec is unchanged.
 */
SqQuantResult *
_sq_quantize_in_place (SqXyloSpec          *spec,
                       const SqQuantParams *params,
                       GError             **error)
{
  g_return_val_if_fail (spec != NULL && params != NULL, NULL);
  g_return_val_if_fail (spec->n_hidden > 0, NULL);

  if (!sq_quant_params_check (params, error))
    return NULL;
  return quantize (spec, spec, params, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Clip points for the histograms                                                            */

void
sq_clip_points_clear (SqClipPoints *points)
{
  g_clear_pointer (&points->channel, g_free);
  memset (points, 0, sizeof *points);
}

/* The final weight scale of group @g of a layer, as the plan will apply it. */
static double
plan_scale (const SqQuantPlan   *plan,
            const SqQuantParams *params,
            SqLayer              layer,
            gsize                g)
{
  if (plan->mode == SQ_MODE_ROCKPOOL && params->method == SQ_METHOD_GLOBAL)
    return layer == SQ_LAYER_HIDDEN ? plan->global.s * plan->global.l_hidden
                                    : plan->global.s_out * plan->global.l_output;
  return plan->scales[layer].scale[g];
}

/* Each plan scales both layers, so one plan per method serves the clip points of both. */
static void
plan_global_clips (const SqXyloSpec    *spec,
                   const SqQuantParams *params,
                   gboolean             fuzzy,
                   SqQuantCache        *cache,
                   SqClipPoints         points[SQ_N_LAYERS])
{
  SqQuantParams p = *params;
  SqQuantPlan plan;

  p.method = SQ_METHOD_GLOBAL;
  p.fuzzy = fuzzy;
  _sq_quant_plan_init (&plan, spec, &p, cache);
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      double clip = sq_quant_weight_max (&p) / fabs (plan_scale (&plan, &p, (SqLayer) l, 0));

      if (fuzzy)
        points[l].fuzzy = clip;
      else
        points[l].global = clip;
    }
  _sq_quant_plan_clear (&plan);
}

/**
 * _sq_clip_points_compute_all:
 * @cache: (nullable): the ranges of @spec's float weights, kept between calls
 * @points: (out caller-allocates): one per layer; clear each with sq_clip_points_clear()
 *
 * sq_clip_points_compute() of both layers, at the cost of one.
 */
gboolean
_sq_clip_points_compute_all (const SqXyloSpec    *spec,
                             const SqQuantParams *params,
                             SqQuantCache        *cache,
                             SqClipPoints         points[SQ_N_LAYERS],
                             GError             **error)
{
  SqQuantParams p = *params;
  double wmax = sq_quant_weight_max (params);
  SqQuantPlan plan;

  memset (points, 0, SQ_N_LAYERS * sizeof *points);
  if (!sq_quant_params_check (params, error))
    return FALSE;

  plan_global_clips (spec, params, FALSE, cache, points);
  plan_global_clips (spec, params, TRUE, cache, points);

  p.method = SQ_METHOD_CHANNEL;
  _sq_quant_plan_init (&plan, spec, &p, cache);
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      const SqQuantScales *s = &plan.scales[l];
      SqClipPoints *pt = &points[l];

      pt->n_channels = s->n;
      pt->channel = g_new (double, s->n);
      pt->channel_min = INFINITY;
      pt->channel_max = -INFINITY;
      for (gsize c = 0; c < s->n; c++)
        {
          /* A neuron without weights has no clip point worth drawing. */
          pt->channel[c] = s->range[c] > 0.0 ? wmax / fabs (s->scale[c]) : NAN;
          if (s->range[c] > 0.0)
            {
              pt->channel_min = MIN (pt->channel_min, pt->channel[c]);
              pt->channel_max = MAX (pt->channel_max, pt->channel[c]);
            }
        }
    }
  _sq_quant_plan_clear (&plan);

  return TRUE;
}

/**
 * sq_clip_points_compute:
 * @params: the mode and bit widths; @params->fuzzy chooses the range of channel scaling
 *
 * Computes, for one layer, the float weight that maps to ±Wmax under global, fuzzy and
 * per-channel scaling, each exactly as sq_quantize() would scale (Rockpool's fallbacks
 * included). Neurons without weights have a NaN clip point and are left out of
 * @channel_min and @channel_max.
 */
gboolean
sq_clip_points_compute (const SqXyloSpec    *spec,
                        SqLayer              layer,
                        const SqQuantParams *params,
                        SqClipPoints        *points,
                        GError             **error)
{
  SqClipPoints all[SQ_N_LAYERS];

  memset (points, 0, sizeof *points);
  g_return_val_if_fail (layer < SQ_N_LAYERS, FALSE);
  if (!_sq_clip_points_compute_all (spec, params, NULL, all, error))
    return FALSE;
  *points = all[layer];
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    if (l != layer)
      sq_clip_points_clear (&all[l]);
  return TRUE;
}
