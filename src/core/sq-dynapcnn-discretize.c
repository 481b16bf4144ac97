/* sq-dynapcnn-discretize.c: one DynapCNN / Speck layer to integers, sinabs's joint scale
 *
 * Each tensor's scale is the largest factor that fits it into its signed range (weights and
 * bias 8 bits, thresholds and membrane 16 bits; the side with the larger magnitude, the extra
 * negative code included, decides); the layer takes the smallest, and every value is rounded
 * half to even at it. sinabs works in float32 on float32 models, and so does this file:
 * torch evaluates U / x as a float32 reciprocal followed by a float32 multiply, which rounds
 * twice, and a double-precision port disagrees with it on about one layer in a thousand
 * (../shared/research/sinabs_qualia.md A.1). The core is built with -ffp-contract=off and
 * float arithmetic on x86-64 is not widened, so each operation below rounds to float32.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "synquant.h"

G_DEFINE_QUARK (sq-dynapcnn-error-quark, sq_dynapcnn_error)

#define WEIGHT_BITS 8
#define STATE_BITS  16
#define STATE_MIN   (-32768)

static float
to_f32 (double x)
{
  return (float) x;
}

/* The scale of @n float32 values for a signed @bits-bit range: +inf for all zeros, so a
 * tensor of zeros (a missing bias) never binds the joint scale. */
static float
scale_f32 (const float *v,
           gsize        n,
           guint        bits)
{
  const float upper = (float) ((1 << (bits - 1)) - 1);
  const float lower = -(float) (1 << (bits - 1));
  /* ρ = |L/U| as a float32 tensor, as sinabs compares with it */
  const float rho = (float) (((double) (1 << (bits - 1))) / ((1 << (bits - 1)) - 1));
  float lo = v[0], hi = v[0], r, s;

  for (gsize i = 1; i < n; i++)
    {
      lo = MIN (lo, v[i]);
      hi = MAX (hi, v[i]);
    }
  if (fabsf (lo) <= fabsf (hi) * rho)
    {
      r = 1.0f / hi;
      s = r * upper;
    }
  else
    {
      r = 1.0f / lo;
      s = r * lower;
    }
  return fabsf (s);
}

/**
 * sq_dynapcnn_tensor_scale:
 * @bits: 8 for weights and bias, 16 for thresholds and membrane
 *
 * sinabs's per-tensor discretization scale of @values (rounded to float32 first), computed in
 * float32 as torch does: +inf when every value is 0.
 */
float
sq_dynapcnn_tensor_scale (const double *values,
                          gsize         n,
                          guint         bits)
{
  g_autofree float *v = NULL;

  g_return_val_if_fail (n > 0 && bits >= 2 && bits <= 16, NAN);
  v = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    v[i] = to_f32 (values[i]);
  return scale_f32 (v, n, bits);
}

/* round(x · s), the product in float32, half to even; saturated to the int32 range (only a
 * value the scale did not fit can exceed it). */
static gint32
discretize (float x,
            float s)
{
  float p = x * s;
  float q = nearbyintf (p);

  if (q >= 2147483520.0f)
    return G_MAXINT32;
  if (q <= -2147483648.0f)
    return G_MININT32;
  return (gint32) q;
}

static gboolean
check_values (const SqTensor *t,
              const char     *where,
              const char     *name,
              GError        **error)
{
  for (gsize i = 0; i < t->n; i++)
    {
      float f = to_f32 (t->data[i]);

      if (!isfinite (f))
        {
          g_autofree char *path = sq_tensor_element_path (t, name, i);

          g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                       isfinite (t->data[i])
                       ? _("%s: %s is %g, beyond float32's range: expected a finite value")
                       : _("%s: %s is %g: expected a finite value"),
                       where, path, t->data[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_layer (const SqDynapcnnLayerParams *layer,
             const char                  *where,
             GError                     **error)
{
  const SqTensor *w = &layer->weight;

  if (!sq_tensor_is_present (w) || w->rank != 4 || w->n == 0)
    {
      g_autofree char *shape = sq_tensor_is_present (w) ? sq_tensor_shape_string (w)
                                                        : g_strdup (_("absent"));

      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: weight has shape %s: expected a non-empty (Cout, Cin, kh, kw) array"),
                   where, shape);
      return FALSE;
    }
  if (sq_tensor_is_present (&layer->bias) &&
      (layer->bias.rank != 1 || layer->bias.shape[0] != w->shape[0]))
    {
      g_autofree char *shape = sq_tensor_shape_string (&layer->bias);

      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: bias has shape %s: expected (%zu,), one per output channel"),
                   where, shape, w->shape[0]);
      return FALSE;
    }
  if (sq_tensor_is_present (&layer->v_mem) &&
      (layer->v_mem.rank != 3 || layer->v_mem.shape[0] != w->shape[0] || layer->v_mem.n == 0))
    {
      g_autofree char *shape = sq_tensor_shape_string (&layer->v_mem);

      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: v_mem has shape %s: expected (%zu, H, W), one map per output "
                     "channel"), where, shape, w->shape[0]);
      return FALSE;
    }
  if (!check_values (w, where, "weight", error) ||
      (sq_tensor_is_present (&layer->bias) && !check_values (&layer->bias, where, "bias",
                                                             error)) ||
      (sq_tensor_is_present (&layer->v_mem) && !check_values (&layer->v_mem, where, "v_mem",
                                                              error)))
    return FALSE;
  if (!isfinite (to_f32 (layer->spike_threshold)) || !(layer->spike_threshold > 0))
    {
      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: spike_threshold is %g: expected a finite value above 0"),
                   where, layer->spike_threshold);
      return FALSE;
    }
  if (layer->has_min_v_mem &&
      (!isfinite (to_f32 (layer->min_v_mem)) || !(layer->min_v_mem < layer->spike_threshold)))
    {
      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: min_v_mem is %g: expected a finite value below spike_threshold "
                     "(%g), or null for no lower bound"),
                   where, layer->min_v_mem, layer->spike_threshold);
      return FALSE;
    }
  return TRUE;
}

static gboolean
discretize_tensor (const SqTensor *in,
                   float           s,
                   SqTensor       *out,
                   GError        **error)
{
  if (!sq_tensor_init_like (out, in, error))
    return FALSE;
  out->integer = TRUE;
  for (gsize i = 0; i < in->n; i++)
    out->data[i] = discretize (to_f32 (in->data[i]), s);
  return TRUE;
}

static float
tensor_scale (const SqTensor *t,
              guint           bits)
{
  return sq_dynapcnn_tensor_scale (t->data, t->n, bits);
}

/**
 * sq_dynapcnn_discretize_layer:
 * @where: how messages name the layer ("net.json: layers[2]")
 * @out: (out caller-allocates): cleared with sq_dynapcnn_discrete_clear()
 *
 * Discretizes one layer with the joint scale of its weights, bias, thresholds and initial
 * membrane. In %SQ_DISCRETIZE_SINABS mode every integer and the scale equal what sinabs's
 * discretize_conv_spike computes for a float32 model.
 */
gboolean
sq_dynapcnn_discretize_layer (const SqDynapcnnLayerParams *layer,
                              SqDiscretizeMode             mode,
                              const char                  *where,
                              SqDynapcnnDiscrete          *out,
                              GError                     **error)
{
  float thresholds[2];
  float scales[4];
  gsize n_thresholds = 0;
  float s;
  guint bound = SQ_SCALE_BOUND_WEIGHT;
  gsize cout;

  g_return_val_if_fail (layer != NULL && out != NULL, FALSE);
  *out = (SqDynapcnnDiscrete) { { 0, }, };
  if (!check_layer (layer, where, error))
    return FALSE;
  cout = layer->weight.shape[0];

  /* sinabs orders the thresholds (θ_low, θ_high); an unbounded θ_low is −2^15 there. */
  if (layer->has_min_v_mem)
    thresholds[n_thresholds++] = to_f32 (layer->min_v_mem);
  else if (mode == SQ_DISCRETIZE_SINABS)
    thresholds[n_thresholds++] = (float) STATE_MIN;
  thresholds[n_thresholds++] = to_f32 (layer->spike_threshold);

  scales[SQ_SCALE_BOUND_WEIGHT] = tensor_scale (&layer->weight, WEIGHT_BITS);
  /* The bias uses the weights' width; a missing one is zeros, which never bind. */
  scales[SQ_SCALE_BOUND_BIAS] = sq_tensor_is_present (&layer->bias)
                                ? tensor_scale (&layer->bias, WEIGHT_BITS) : INFINITY;
  scales[SQ_SCALE_BOUND_THRESHOLDS] = scale_f32 (thresholds, n_thresholds, STATE_BITS);
  scales[SQ_SCALE_BOUND_STATE] = sq_tensor_is_present (&layer->v_mem)
                                 ? tensor_scale (&layer->v_mem, STATE_BITS) : INFINITY;
  s = scales[0];
  for (guint i = 1; i < G_N_ELEMENTS (scales); i++)
    if (scales[i] < s)
      {
        s = scales[i];
        bound = i;
      }
  /* θ_high > 0 always gives a finite threshold scale; this guards a float32 underflow. */
  if (!isfinite (s) || !(s > 0))
    {
      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_NO_SCALE,
                   _("%s: no discretization scale fits this layer (scale %g)"), where,
                   (double) s);
      return FALSE;
    }
  out->scale = s;
  out->bound = (SqScaleBound) bound;

  if (!discretize_tensor (&layer->weight, s, &out->weight, error))
    goto fail;
  if (sq_tensor_is_present (&layer->bias))
    {
      if (!discretize_tensor (&layer->bias, s, &out->bias, error))
        goto fail;
    }
  else
    {
      gsize shape[1] = { cout };

      if (!sq_tensor_init (&out->bias, 1, shape, error))
        goto fail;
      out->bias.integer = TRUE;
    }
  if (sq_tensor_is_present (&layer->v_mem) &&
      !discretize_tensor (&layer->v_mem, s, &out->v_mem, error))
    goto fail;
  out->threshold_high = discretize (to_f32 (layer->spike_threshold), s);
  if (layer->has_min_v_mem)
    out->threshold_low = discretize (to_f32 (layer->min_v_mem), s);
  else if (mode == SQ_DISCRETIZE_SINABS)
    out->threshold_low = discretize ((float) STATE_MIN, s);
  else
    out->threshold_low = STATE_MIN;

  for (gsize i = 0; i < layer->weight.n; i++)
    {
      gint32 q = (gint32) out->weight.data[i];

      if (layer->weight.data[i] < 0.0 || layer->weight.data[i] > 0.0)
        {
          out->n_weights_nonzero++;
          if (q == 0)
            out->n_weights_zeroed++;
        }
      out->max_abs_weight = MAX (out->max_abs_weight, ABS (q));
    }
  return TRUE;

fail:
  sq_dynapcnn_discrete_clear (out);
  return FALSE;
}

void
sq_dynapcnn_discrete_clear (SqDynapcnnDiscrete *discrete)
{
  sq_tensor_clear (&discrete->weight);
  sq_tensor_clear (&discrete->bias);
  sq_tensor_clear (&discrete->v_mem);
}

/**
 * sq_dynapcnn_discrete_warnings:
 * @name: how the lines name the layer ("layer 2")
 *
 * What the chip would do wrong with @discrete, one translated line each: weights that all
 * became 0 (loudest when sinabs's unbounded membrane capped the scale), a threshold below
 * the largest weight (the event-driven chip fires once per event and then keeps firing),
 * a non-zero bias (applied on every slow-clock tick: the leak clock's rate matters).
 *
 * Returns: (transfer full) (element-type utf8): possibly empty
 */
GPtrArray *
sq_dynapcnn_discrete_warnings (const SqDynapcnnLayerParams *layer,
                               const SqDynapcnnDiscrete    *discrete,
                               SqDiscretizeMode             mode,
                               const char                  *name)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  gboolean any_bias = FALSE;

  if (discrete->n_weights_nonzero > 0 &&
      discrete->n_weights_zeroed == discrete->n_weights_nonzero)
    {
      if (mode == SQ_DISCRETIZE_SINABS && !layer->has_min_v_mem)
        g_ptr_array_add (lines, g_strdup_printf (
          _("%s: EVERY WEIGHT BECAME 0: min_v_mem is null, so sinabs puts −32768 into the "
            "scale search and the scale is %g; give the layer a lower bound (sinabs's "
            "from_model uses −1) or discretize in synquant mode"), name,
          (double) discrete->scale));
      else
        g_ptr_array_add (lines, g_strdup_printf (
          _("%s: every weight became 0 at scale %g: the layer passes nothing on"), name,
          (double) discrete->scale));
    }
  else if (discrete->n_weights_zeroed > 0 && mode == SQ_DISCRETIZE_SINABS &&
           !layer->has_min_v_mem && discrete->bound == SQ_SCALE_BOUND_THRESHOLDS)
    g_ptr_array_add (lines, g_strdup_printf (
      _("%s: %zu of %zu non-zero weights became 0: min_v_mem is null, so sinabs puts −32768 "
        "into the scale search and caps the scale at %g"), name, discrete->n_weights_zeroed,
      discrete->n_weights_nonzero, (double) discrete->scale));
  if (discrete->threshold_high <= 0)
    g_ptr_array_add (lines, g_strdup_printf (
      _("%s: the spike threshold became %d at scale %g: the layer cannot be simulated or "
        "run (it would fire without end)"), name, discrete->threshold_high,
      (double) discrete->scale));
  else if (discrete->threshold_high < discrete->max_abs_weight)
    g_ptr_array_add (lines, g_strdup_printf (
      _("%s: spike threshold %d is below the largest weight %d: on the event-driven chip "
        "one input event can push a neuron past its threshold again after each spike "
        "(runaway firing); keep max |w| below the threshold"), name,
      discrete->threshold_high, discrete->max_abs_weight));
  for (gsize i = 0; i < discrete->bias.n; i++)
    any_bias = any_bias || discrete->bias.data[i] < 0.0 || discrete->bias.data[i] > 0.0;
  if (any_bias)
    g_ptr_array_add (lines, g_strdup_printf (
      _("%s: non-zero biases: the chip adds them on every slow-clock tick, so the leak "
        "clock's frequency changes what the layer does"), name));
  return lines;
}
