/* sq-fxp-quant.c: a fixed-point network's formats and integers, by Qualia's quantizer
 *
 * Each layer has one format per tensor class (input, weights, bias, activation, v, output;
 * research/sinabs_qualia.md B.1). `fxp`: n = b − 2 − ⌊log2 M⌋ fractional bits (M the largest
 * |x|; M = 0 gives b − 2; n may be negative, Δ = 2^−n > 1), `force_q`: n given, `fake`:
 * Δ = 2M/(2^b − 1) (Qualia's symmetric min-max), which only the figures use. The weights and
 * the bias share one Δ unless the bias is separate; the membrane, θ, 1/τ, v_reset and the
 * synaptic current share one (Qualia's quantizer_v). M of the activation and the membrane
 * comes from the float model on a calibration input (Qualia's calibration epoch), or, without
 * one, from bounds: Σ|w|·M_in + |b| for the activation, the parameters for v.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-fxp-private.h"
#include "sq-private.h"

static const char *const tensor_names[SQ_FXP_N_TENSORS] = {
  "input", "weight", "bias", "act", "v", "output",
};

const char *
sq_fxp_tensor_name (SqFxpTensor tensor)
{
  return (guint) tensor < SQ_FXP_N_TENSORS ? tensor_names[tensor] : "?";
}

void
sq_fxp_settings_init (SqFxpSettings *settings)
{
  *settings = (SqFxpSettings) {
    .scheme = SQ_FXP_SCHEME_FXP, .force_q = 0, .round = SQ_FXP_ROUND_NEAREST, .bits = 8,
    .long_bits = 16, .bias_separate = FALSE, .overflow = SQ_FXP_OVERFLOW_WRAP,
    .compat_qualia = FALSE, .n_layers = 0, .layers = NULL,
  };
}

void
sq_fxp_settings_copy (SqFxpSettings       *dest,
                      const SqFxpSettings *src)
{
  *dest = *src;
  dest->layers = src->n_layers ? g_memdup2 (src->layers, src->n_layers *
                                            sizeof (SqFxpLayerSettings)) : NULL;
}

void
sq_fxp_settings_clear (SqFxpSettings *settings)
{
  g_clear_pointer (&settings->layers, g_free);
  settings->n_layers = 0;
}

/* Per-layer overrides for @n_layers layers, new ones empty (global widths, no forced n). */
void
sq_fxp_settings_set_layer_count (SqFxpSettings *settings,
                                 guint          n_layers)
{
  settings->layers = g_renew (SqFxpLayerSettings, settings->layers, n_layers);
  for (guint i = settings->n_layers; i < n_layers; i++)
    {
      settings->layers[i] = (SqFxpLayerSettings) { 0, };
      for (guint t = 0; t < SQ_FXP_N_TENSORS; t++)
        settings->layers[i].force_n[t] = SQ_FXP_AUTO;
    }
  settings->n_layers = n_layers;
}

/**
 * sq_fxp_frac_bits:
 * @range: M ≥ 0, the largest magnitude to hold
 * @bits: b
 *
 * Qualia's `fxp` rule: n = b − 1 − (⌊log2 M⌋ + 1) = b − 2 − ⌊log2 M⌋, so M lies in
 * [2^(b−2−n), 2^(b−1−n)): the top bit below the sign is used. M = 0 gives b − 2. ⌊log2 M⌋
 * comes from the exponent frexp() gives, exact where log2() may round up just below a power
 * of two.
 */
int
sq_fxp_frac_bits (double range,
                  guint  bits)
{
  int e;

  if (!(range > 0) || !isfinite (range))
    return (int) bits - 2;
  (void) frexp (range, &e);   /* range = f·2^e, f ∈ [0.5, 1): ⌊log2 range⌋ = e − 1 */
  return (int) bits - 2 - (e - 1);
}

/**
 * sq_fxp_round:
 *
 * Rounds onto the grid as Qualia does. Nearest is ⌊x + 0.5⌋, half up (−2.5 → −2), not
 * rint()'s half to even used everywhere else in Synquant: Qualia chose it to match the C it
 * generates, whose rescale adds 2^(k−1) before shifting right, and this rounding must agree
 * with that shift for the integers here to equal the generated C's.
 */
gint64
sq_fxp_round (double     x,
              SqFxpRound round)
{
  double q;

  switch (round)
    {
    case SQ_FXP_ROUND_FLOOR:
      q = floor (x);
      break;
    case SQ_FXP_ROUND_CEIL:
      q = ceil (x);
      break;
    case SQ_FXP_ROUND_NEAREST:
    default:
      q = floor (x + 0.5);
      break;
    }
  /* Far beyond any width: the clamp that follows only needs the sign. 0/0 (a value of 0 at a
   * step that underflowed to 0) is 0. */
  if (isnan (q))
    return 0;
  return q > 4e18 ? G_GINT64_CONSTANT (4000000000000000000)
       : q < -4e18 ? G_GINT64_CONSTANT (-4000000000000000000) : (gint64) q;
}

/* "Q1.6": integer bits (without the sign) and fractional bits of a b-bit value. */
char *
sq_fxp_q_string (int   n,
                 guint bits)
{
  return g_strdup_printf ("Q%d.%d", (int) bits - 1 - n, n);
}

static gint64
clamp_bits (gint64 q,
            guint  bits)
{
  gint64 hi = ((gint64) 1 << (bits - 1)) - 1;

  return CLAMP (q, -hi - 1, hi);
}

static void
format_set (SqFxpFormat         *fmt,
            const SqFxpSettings *s,
            guint                bits,
            double               range,
            int                  force_n)
{
  double top = ldexp (1.0, (int) bits - 1);

  fmt->present = TRUE;
  fmt->range = range;
  if (force_n != SQ_FXP_AUTO)
    fmt->n = force_n;
  else if (s->scheme == SQ_FXP_SCHEME_FORCE_Q)
    fmt->n = s->force_q;
  else
    fmt->n = sq_fxp_frac_bits (range, bits);
  if (s->scheme == SQ_FXP_SCHEME_FAKE && force_n == SQ_FXP_AUTO)
    fmt->delta = range > 0 ? 2 * range / (2 * top - 1) : 1.0;
  else
    fmt->delta = ldexp (1.0, -fmt->n);
  fmt->clip_lo = -top * fmt->delta;
  fmt->clip_hi = (top - 1) * fmt->delta;
  fmt->n_values = fmt->n_clipped = 0;
  fmt->max_abs_error = fmt->rms_error = 0;
  fmt->sqnr_db = INFINITY;
}

static gint64
quantize_value (const SqFxpFormat *fmt,
                guint              bits,
                SqFxpRound         round,
                double             x,
                gboolean          *clipped)
{
  gint64 q = sq_fxp_round (x / fmt->delta, round);
  gint64 c = clamp_bits (q, bits);

  if (clipped)
    *clipped = c != q;
  return c;
}

gint64
_sq_fxp_quantize_value (const SqFxpFormat *fmt,
                        guint              bits,
                        SqFxpRound         round,
                        double             x)
{
  return quantize_value (fmt, bits, round, x, NULL);
}

void
_sq_fxp_figure_add (SqFxpFormat     *fmt,
                    SqFxpFigureSums *sums,
                    guint            bits,
                    SqFxpRound       round,
                    double           x)
{
  gboolean clipped;
  double e = (double) quantize_value (fmt, bits, round, x, &clipped) * fmt->delta - x;

  fmt->n_values++;
  fmt->n_clipped += clipped;
  fmt->max_abs_error = MAX (fmt->max_abs_error, fabs (e));
  sums->sum_sq += x * x;
  sums->sum_err_sq += e * e;
}

static void
figures_finish (SqFxpFormat           *fmt,
                const SqFxpFigureSums *sums)
{
  if (!fmt->present || fmt->n_values == 0)
    return;
  fmt->rms_error = sqrt (sums->sum_err_sq / (double) fmt->n_values);
  fmt->sqnr_db = sums->sum_err_sq > 0 ? 10 * log10 (sums->sum_sq / sums->sum_err_sq)
               : INFINITY;
}

/* Quantizes @n values into a new array, adding them into @fmt's figures. */
static gint32 *
quantize_array (SqFxpFormat     *fmt,
                SqFxpFigureSums *sums,
                guint            bits,
                SqFxpRound       round,
                const double    *x,
                gsize            n)
{
  gint32 *q = g_new (gint32, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      q[i] = (gint32) quantize_value (fmt, bits, round, x[i], NULL);
      _sq_fxp_figure_add (fmt, sums, bits, round, x[i]);
    }
  return q;
}

static double
max_abs (const double *x,
         gsize         n)
{
  double m = 0;

  for (gsize i = 0; x != NULL && i < n; i++)
    m = MAX (m, fabs (x[i]));
  return m;
}

static gboolean
check_widths (const SqFxpNet *net,
              guint           layer,
              guint           bits,
              guint           long_bits,
              GError        **error)
{
  if ((bits == 8 || bits == 16) && (long_bits == 16 || long_bits == 32) &&
      long_bits >= 2 * bits)
    return TRUE;
  g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_SETTINGS,
               _("%s: layers[%u]: int%u with an int%u accumulator: expected int8 with int16 or "
                 "int32, or int16 with int32 (a product of two values must fit the "
                 "accumulator)"), net->source, layer, bits, long_bits);
  return FALSE;
}

/* The largest |value| the operation of layer @i can give for inputs up to @m_in, when no
 * calibration input says better. */
static double
act_bound (const SqFxpLayer     *l,
           const SqFxpPrepLayer *p,
           double                m_in)
{
  double m = 0;

  switch (l->op)
    {
    case SQ_FXP_OP_LINEAR:
    case SQ_FXP_OP_CONV2D:
      {
        gsize per = p->n_w / l->out_shape[0];

        for (gsize f = 0; f < l->out_shape[0]; f++)
          {
            double s = p->b ? fabs (p->b[f]) : 0;

            for (gsize k = 0; k < per; k++)
              s += fabs (p->w[f * per + k]) * m_in;
            for (gsize k = 0; p->rec && k < l->out_shape[0]; k++)
              s += fabs (p->rec[f * l->out_shape[0] + k]);
            m = MAX (m, s);
          }
        return m;
      }
    case SQ_FXP_OP_SUMPOOL:
      return m_in * l->kernel_y * l->kernel_x;
    case SQ_FXP_OP_FLATTEN:
    case SQ_FXP_OP_AVGPOOL:
    default:
      return m_in;
    }
}

static const SqFxpLayerSettings *
layer_settings (const SqFxpSettings *s,
                guint                i)
{
  return i < s->n_layers ? &s->layers[i] : NULL;
}

static int
forced (const SqFxpLayerSettings *ls,
        SqFxpTensor               t)
{
  return ls ? ls->force_n[t] : SQ_FXP_AUTO;
}

static gboolean
check_settings (const SqFxpNet      *net,
                const SqFxpSettings *s,
                GError             **error)
{
  if ((guint) s->scheme > SQ_FXP_SCHEME_FORCE_Q || (guint) s->round > SQ_FXP_ROUND_CEIL ||
      (guint) s->overflow > SQ_FXP_OVERFLOW_SATURATE)
    {
      g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_SETTINGS, _("%s: unknown setting"),
                   net->source);
      return FALSE;
    }
  if (s->scheme == SQ_FXP_SCHEME_FORCE_Q && (s->force_q < -64 || s->force_q > 64))
    {
      g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_SETTINGS,
                   _("%s: force_q is %d: expected −64 to 64 fractional bits"), net->source,
                   s->force_q);
      return FALSE;
    }
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayerSettings *ls = layer_settings (s, i);
      guint bits = ls && ls->bits ? ls->bits : s->bits;
      guint long_bits = ls && ls->long_bits ? ls->long_bits : s->long_bits;

      if (!check_widths (net, i, bits, long_bits, error))
        return FALSE;
      for (guint t = 0; ls && t < SQ_FXP_N_TENSORS; t++)
        if (ls->force_n[t] != SQ_FXP_AUTO && (ls->force_n[t] < -64 || ls->force_n[t] > 64))
          {
            g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_SETTINGS,
                         _("%s: layers[%u]: %s has %d fractional bits: expected −64 to 64"),
                         net->source, i, tensor_names[t], ls->force_n[t]);
            return FALSE;
          }
    }
  return TRUE;
}

/* The neuron's parameters in the v format: θ, V_r, 1/τ, 1/τ_syn. */
static gboolean
quantize_neuron (SqFxpQNet           *q,
                 guint                i,
                 SqFxpFigureSums     *sums,
                 GError             **error)
{
  const SqFxpNeuron *n = &q->net->layers[i].neuron;
  SqFxpQLayer *ql = &q->layers[i];
  SqFxpFormat *fv = &ql->fmt[SQ_FXP_V];
  SqFxpRound round = q->settings.round;
  g_autofree char *qs = sq_fxp_q_string (fv->n, ql->bits);

  ql->theta = (gint32) quantize_value (fv, ql->bits, round, n->v_threshold, NULL);
  _sq_fxp_figure_add (fv, sums, ql->bits, round, n->v_threshold);
  if (!n->soft_reset)
    {
      ql->v_reset = (gint32) quantize_value (fv, ql->bits, round, n->v_reset, NULL);
      _sq_fxp_figure_add (fv, sums, ql->bits, round, n->v_reset);
    }
  for (guint k = 0; k < 2; k++)
    {
      double tau = k == 0 ? n->tau : n->tau_syn;
      gint32 *r = k == 0 ? &ql->r : &ql->r_syn;

      if ((k == 0 && n->type != SQ_FXP_NEURON_LIF) || (k == 1 && _sq_is_zero (tau)))
        continue;
      *r = (gint32) quantize_value (fv, ql->bits, round, 1 / tau, NULL);
      _sq_fxp_figure_add (fv, sums, ql->bits, round, 1 / tau);
      if (*r <= 0)
        {
          g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_ZERO_TAU,
                       _("%s: layers[%u]: 1/%s = 1/%g rounds to 0 in the membrane's format %s "
                         "(Δ = 2^%d): the neuron would never leak; give v more fractional bits "
                         "(int16, or a smaller range) or a shorter time constant"),
                       q->net->source, i, k == 0 ? "τ" : "τ_syn", tau, qs, -fv->n);
          return FALSE;
        }
    }
  if (ql->theta == 0)
    g_ptr_array_add (q->warnings, g_strdup_printf (
      _("layers[%u]: the threshold %g rounds to 0 in %s: the neuron fires whenever its "
        "potential is not negative"), i, n->v_threshold, qs));
  return TRUE;
}

static gboolean
quantize_layers (SqFxpQNet       *q,
                 const SqFxpRun  *calib,
                 double           in_max,
                 SqFxpFigureSums (*all_sums)[SQ_FXP_N_TENSORS],
                 GError         **error)
{
  const SqFxpSettings *s = &q->settings;
  const SqFxpPrep *prep = q->prep;
  int prev_out = SQ_FXP_AUTO;
  double m_in = in_max;

  for (guint i = 0; i < q->net->n_layers; i++)
    {
      const SqFxpLayer *l = &q->net->layers[i];
      const SqFxpPrepLayer *p = &prep->layers[i];
      const SqFxpLayerSettings *ls = layer_settings (s, i);
      SqFxpQLayer *ql = &q->layers[i];
      SqFxpFigureSums *sums = all_sums[i];
      gboolean weighted = l->op == SQ_FXP_OP_LINEAR || l->op == SQ_FXP_OP_CONV2D;
      double m_act;

      ql->bits = ls && ls->bits ? ls->bits : s->bits;
      ql->long_bits = ls && ls->long_bits ? ls->long_bits : s->long_bits;

      /* The input: layer 0's from the raster, the others' the output before them — unless
       * the width changes, where a shim rescales the values into a format of this width. */
      format_set (&ql->fmt[SQ_FXP_INPUT], s, ql->bits, m_in,
                  i == 0 || ql->bits != q->layers[i - 1].bits ? forced (ls, SQ_FXP_INPUT)
                                                               : prev_out);
      if (weighted)
        {
          double mw = MAX (max_abs (p->w, p->n_w), max_abs (p->rec, p->rec ? p->n_out *
                                                                             p->n_out : 0));
          double mb = max_abs (p->b, p->b ? l->out_shape[0] : 0);

          format_set (&ql->fmt[SQ_FXP_WEIGHT], s, ql->bits,
                      s->bias_separate ? mw : MAX (mw, mb), forced (ls, SQ_FXP_WEIGHT));
          ql->weight = quantize_array (&ql->fmt[SQ_FXP_WEIGHT], &sums[SQ_FXP_WEIGHT], ql->bits,
                                       s->round, p->w, p->n_w);
          ql->n_weight = p->n_w;
          if (p->rec)
            {
              ql->n_recurrent = p->n_out * p->n_out;
              ql->recurrent = quantize_array (&ql->fmt[SQ_FXP_WEIGHT], &sums[SQ_FXP_WEIGHT],
                                              ql->bits, s->round, p->rec, ql->n_recurrent);
            }
          if (p->b)
            {
              if (s->bias_separate || forced (ls, SQ_FXP_BIAS) != SQ_FXP_AUTO)
                format_set (&ql->fmt[SQ_FXP_BIAS], s, ql->bits, mb, forced (ls, SQ_FXP_BIAS));
              else
                {
                  ql->fmt[SQ_FXP_BIAS] = ql->fmt[SQ_FXP_WEIGHT];
                  ql->fmt[SQ_FXP_BIAS].range = mb;
                  ql->fmt[SQ_FXP_BIAS].n_values = ql->fmt[SQ_FXP_BIAS].n_clipped = 0;
                  ql->fmt[SQ_FXP_BIAS].max_abs_error = 0;
                }
              ql->n_bias = l->out_shape[0];
              ql->bias = quantize_array (&ql->fmt[SQ_FXP_BIAS], &sums[SQ_FXP_BIAS], ql->bits,
                                         s->round, p->b, ql->n_bias);
            }
        }
      m_act = calib ? calib->act_max[i] : act_bound (l, p, m_in);
      if (l->op == SQ_FXP_OP_FLATTEN)
        {
          ql->fmt[SQ_FXP_ACT] = ql->fmt[SQ_FXP_INPUT];
          ql->fmt[SQ_FXP_ACT].n_values = ql->fmt[SQ_FXP_ACT].n_clipped = 0;
        }
      else
        format_set (&ql->fmt[SQ_FXP_ACT], s, ql->bits, m_act, forced (ls, SQ_FXP_ACT));
      if (l->neuron.type != SQ_FXP_NEURON_NONE)
        {
          const SqFxpNeuron *n = &l->neuron;
          double mv = calib ? calib->v_max[i] : 0;
          double mo = n->type == SQ_FXP_NEURON_ATIF ? n->v_threshold : 1.0;

          mv = MAX (mv, n->v_threshold);
          if (!n->soft_reset)
            mv = MAX (mv, fabs (n->v_reset));
          if (n->type == SQ_FXP_NEURON_LIF)
            mv = MAX (mv, 1 / n->tau);
          if (_sq_differ (n->tau_syn, 0))
            mv = MAX (mv, MAX (1 / n->tau_syn, calib ? 0 : m_act));
          if (!calib)
            mv = MAX (mv, m_act);
          format_set (&ql->fmt[SQ_FXP_V], s, ql->bits, mv, forced (ls, SQ_FXP_V));
          format_set (&ql->fmt[SQ_FXP_OUTPUT], s, ql->bits, mo, forced (ls, SQ_FXP_OUTPUT));
          if (!quantize_neuron (q, i, &sums[SQ_FXP_V], error))
            return FALSE;
          m_in = mo;
        }
      else
        {
          ql->fmt[SQ_FXP_OUTPUT] = ql->fmt[SQ_FXP_ACT];
          ql->fmt[SQ_FXP_OUTPUT].n_values = ql->fmt[SQ_FXP_OUTPUT].n_clipped = 0;
          m_in = m_act;
        }
      if (forced (ls, SQ_FXP_OUTPUT) != SQ_FXP_AUTO && l->neuron.type == SQ_FXP_NEURON_NONE)
        format_set (&ql->fmt[SQ_FXP_OUTPUT], s, ql->bits, m_act, forced (ls, SQ_FXP_OUTPUT));
      prev_out = ql->fmt[SQ_FXP_OUTPUT].n;
    }
  return TRUE;
}

/**
 * sq_fxp_quantize:
 * @calibration: (nullable): an input raster (T, C, H, W) or (T, N) the float model runs on to
 *   find the ranges of the input, the activations and the membranes; without one the input is
 *   taken as spikes (M = 1) and the others are bounded from the parameters
 *
 * Chooses every layer's formats and quantizes its parameters (research/sinabs_qualia.md B.1).
 * 1/τ rounding to 0 is %SQ_FXP_ERROR_ZERO_TAU naming the layer; a threshold rounding to 0 is
 * a warning.
 *
 * Returns: (transfer full): the quantized network, or %NULL with @error set
 */
SqFxpQNet *
sq_fxp_quantize (const SqFxpNet      *net,
                 const SqFxpSettings *settings,
                 const SqTensor      *calibration,
                 GError             **error)
{
  g_autoptr(SqFxpQNet) q = g_new0 (SqFxpQNet, 1);
  g_autofree SqFxpFigureSums (*sums)[SQ_FXP_N_TENSORS] = NULL;
  SqFxpRun calib = { 0, };
  gboolean has_calib = calibration != NULL && sq_tensor_is_present (calibration);
  gboolean ok;

  g_return_val_if_fail (net != NULL && settings != NULL, NULL);

  q->net = net;
  sq_fxp_settings_copy (&q->settings, settings);
  q->warnings = g_ptr_array_new_with_free_func (g_free);
  q->layers = g_new0 (SqFxpQLayer, net->n_layers);
  q->power_of_two = settings->scheme != SQ_FXP_SCHEME_FAKE;
  if (!check_settings (net, settings, error))
    return NULL;
  q->prep = _sq_fxp_prep_new (net, error);
  if (q->prep == NULL)
    return NULL;
  if (has_calib && !_sq_fxp_float_run (net, q->prep, calibration, NULL, NULL, NULL, &calib,
                                       error))
    return NULL;
  /* v's figures: the parameters, then (with a calibration input) the potentials; act's and
   * the input's: the calibration values at their formats. */
  sums = g_malloc0_n (net->n_layers, sizeof *sums);
  ok = quantize_layers (q, has_calib ? &calib : NULL, has_calib ? calib.in_max : 1.0, sums,
                        error);
  sq_fxp_run_clear (&calib);
  if (!ok)
    return NULL;
  if (has_calib)
    {
      SqFxpRun again = { 0, };

      if (!_sq_fxp_float_run (net, q->prep, calibration, q, sums, NULL, &again, error))
        return NULL;
      sq_fxp_run_clear (&again);
    }
  for (guint i = 0; i < net->n_layers; i++)
    for (guint t = 0; t < SQ_FXP_N_TENSORS; t++)
      figures_finish (&q->layers[i].fmt[t], &sums[i][t]);
  return g_steal_pointer (&q);
}

void
sq_fxp_qnet_free (SqFxpQNet *qnet)
{
  if (qnet == NULL)
    return;
  for (guint i = 0; qnet->layers && i < qnet->net->n_layers; i++)
    {
      g_free (qnet->layers[i].weight);
      g_free (qnet->layers[i].bias);
      g_free (qnet->layers[i].recurrent);
    }
  g_free (qnet->layers);
  g_clear_pointer (&qnet->prep, _sq_fxp_prep_free);
  sq_fxp_settings_clear (&qnet->settings);
  g_clear_pointer (&qnet->warnings, g_ptr_array_unref);
  g_free (qnet);
}

/* The layout (sq-fxp-private.h). */

void
_sq_fxp_prep_free (SqFxpPrep *prep)
{
  if (prep == NULL)
    return;
  for (guint i = 0; i < prep->n_layers; i++)
    {
      g_free (prep->layers[i].w);
      g_free (prep->layers[i].b);
      g_free (prep->layers[i].rec);
    }
  g_free (prep->layers);
  g_free (prep);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqFxpPrep, _sq_fxp_prep_free)

SqFxpPrep *
_sq_fxp_prep_new (const SqFxpNet *net,
                  GError        **error)
{
  g_autoptr(SqFxpPrep) prep = g_new0 (SqFxpPrep, 1);
  /* The map whose (H, W, C) order the current values are in: a Flatten keeps it. */
  gsize layout[3];

  memcpy (layout, net->input_shape, sizeof layout);
  prep->n_layers = net->n_layers;
  prep->layers = g_new0 (SqFxpPrepLayer, net->n_layers);
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];
      SqFxpPrepLayer *p = &prep->layers[i];
      /* A Linear layer reads a map's values channels-last whether or not a Flatten came
       * first; anything else after a Flatten of a map would see them out of order. */
      gboolean reordered = layout[1] * layout[2] > 1;
      gboolean flattened = reordered && (layout[1] != l->in_shape[1] ||
                                         layout[2] != l->in_shape[2]);

      p->n_in = sq_fxp_shape_size (l->in_shape);
      p->n_out = sq_fxp_shape_size (l->out_shape);
      if (flattened && l->op != SQ_FXP_OP_LINEAR && l->op != SQ_FXP_OP_FLATTEN)
        {
          g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_INVALID,
                       _("%s: layers[%u]: a %s layer after a Flatten of a map: only a linear "
                         "layer can follow one"), net->source, i, sq_fxp_op_name (l->op));
          return NULL;
        }
      if (sq_tensor_is_present (&l->bias))
        p->b = g_memdup2 (l->bias.data, l->bias.n * sizeof (double));
      if (sq_tensor_is_present (&l->recurrent))
        p->rec = g_memdup2 (l->recurrent.data, l->recurrent.n * sizeof (double));
      if (l->op == SQ_FXP_OP_LINEAR)
        {
          gsize C = layout[0], H = layout[1], W = layout[2], out = l->out_shape[0];

          p->n_w = l->weight.n;
          p->w = g_new (double, p->n_w);
          for (gsize j = 0; j < out; j++)
            for (gsize c = 0; c < C; c++)
              for (gsize hw = 0; hw < H * W; hw++)
                p->w[j * p->n_in + (reordered ? hw * C + c : c * H * W + hw)] =
                  l->weight.data[j * p->n_in + c * H * W + hw];
        }
      else if (l->op == SQ_FXP_OP_CONV2D)
        {
          gsize F = l->weight.shape[0], C = l->weight.shape[1];
          gsize KK = l->weight.shape[2] * l->weight.shape[3];

          p->n_w = l->weight.n;
          p->w = g_new (double, p->n_w);
          for (gsize f = 0; f < F; f++)
            for (gsize c = 0; c < C; c++)
              for (gsize k = 0; k < KK; k++)
                p->w[(f * KK + k) * C + c] = l->weight.data[(f * C + c) * KK + k];
        }
      if (l->op != SQ_FXP_OP_FLATTEN)
        memcpy (layout, l->out_shape, sizeof layout);
    }
  return g_steal_pointer (&prep);
}
