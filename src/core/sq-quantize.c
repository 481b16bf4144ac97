/* sq-quantize.c: global and per-channel scaling, in Synquant's corrected mode and in
 * Rockpool's mode (bit-exact with rockpool/transform/quantize_methods.py v2.8–v3.0.3, see
 * research/rockpool.md §1).
 *
 * Every pass runs over the weight matrices in memory order, also for per-channel scaling:
 * a channel is a *column* (the target neuron), and walking a 1000×1000×2 matrix column by
 * column would miss the cache on every element. Per-column scales and sums live in small
 * arrays instead.
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

gboolean
sq_method_from_string (const char *s,
                       SqMethod   *method)
{
  if (g_str_equal (s, "global"))
    *method = SQ_METHOD_GLOBAL;
  else if (g_str_equal (s, "channel") || g_str_equal (s, "per-channel"))
    *method = SQ_METHOD_CHANNEL;
  else
    return FALSE;
  return TRUE;
}

const char *
sq_mode_to_string (SqMode mode)
{
  return mode == SQ_MODE_ROCKPOOL ? "rockpool" : "synquant";
}

gboolean
sq_mode_from_string (const char *s,
                     SqMode     *mode)
{
  if (g_str_equal (s, "synquant"))
    *mode = SQ_MODE_SYNQUANT;
  else if (g_str_equal (s, "rockpool"))
    *mode = SQ_MODE_ROCKPOOL;
  else
    return FALSE;
  return TRUE;
}

const char *
sq_layer_to_string (SqLayer layer)
{
  return layer == SQ_LAYER_OUTPUT ? "output" : "hidden";
}

/* ---------------------------------------------------------------------------------------- */
/* Figures                                                                                   */

double
sq_group_report_mse (const SqGroupReport *report)
{
  return report->n_weights ? report->noise / (double) report->n_weights : 0.0;
}

/* 10·log10(Σw² / Σe²); +∞ when the weights are reproduced exactly. */
double
sq_group_report_sqnr_db (const SqGroupReport *report)
{
  if (!(report->noise > 0.0))
    return INFINITY;
  return 10.0 * log10 (report->signal / report->noise);
}

/**
 * sq_dash_tau_eff:
 *
 * The effective time constant, in steps of dt, of a bit-shift decay v ← v − v/2^dash
 * (for a float dash, of the decay 1 − 2^−dash it stands for):
 * τ/dt = −1 / ln(1 − 2^−dash). 0 for dash 0 (the state is cleared every step) and NaN for
 * negative dashes, which the hardware cannot hold.
 */
double
sq_dash_tau_eff (double dash)
{
  if (!(dash >= 0.0))   /* negative or NaN */
    return NAN;
  if (sq_is_zero (dash))
    return 0.0;
  return -1.0 / log1p (-exp2 (-dash));
}

/* ---------------------------------------------------------------------------------------- */
/* numpy's summation, so fuzzy ranges match Rockpool's to the last bit                       */

/* numpy's pairwise_sum for float64: eight interleaved partial sums inside blocks of 128,
 * halves above that. */
static double
np_pairwise_sum (const double *a,
                 gsize         n)
{
  if (n < 8)
    {
      double res = 0.0;

      for (gsize i = 0; i < n; i++)
        res += a[i];
      return res;
    }
  else if (n <= 128)
    {
      double r[8], res;
      gsize i;

      for (int j = 0; j < 8; j++)
        r[j] = a[j];
      for (i = 8; i < n - (n % 8); i += 8)
        for (int j = 0; j < 8; j++)
          r[j] += a[i + j];
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++)
        res += a[i];
      return res;
    }
  else
    {
      gsize n2 = n / 2;

      n2 -= n2 % 8;
      return np_pairwise_sum (a, n2) + np_pairwise_sum (a + n2, n - n2);
    }
}

/* np.add.reduce over a contiguous array: the ufunc loop sees buffer-sized chunks of 8192
 * elements and adds each chunk's pairwise sum to the running result. */
static double
np_sum (const double *a,
        gsize         n)
{
  double s = 0.0;

  for (gsize off = 0; off < n; off += 8192)
    s += np_pairwise_sum (a + off, MIN (8192, n - off));
  return s;
}

/* |mean(z)| + 2·std(z), population std, computed as numpy computes it. Overwrites @z.
 * NaN for no values, as numpy gives. */
static double
np_fuzzy_range (double *z,
                gsize   n)
{
  double mean, var;

  if (n == 0)
    return NAN;

  mean = np_sum (z, n) / (double) n;
  for (gsize i = 0; i < n; i++)
    {
      double d = z[i] - mean;
      z[i] = d * d;
    }
  var = np_sum (z, n) / (double) n;

  return fabs (mean) + 2.0 * sqrt (var);
}

/* ---------------------------------------------------------------------------------------- */
/* Layers                                                                                    */

/* The weight matrices that feed one layer, each seen as (rows, cols = target neurons, syn). */
typedef struct {
  SqLayer         layer;
  gsize           n_targets;
  guint           n_w;
  SqParam         w_param[2];
  const SqTensor *w[2];
  gsize           rows[2];
  gsize           cols[2];
  gsize           syn[2];
  SqParam         theta_param;
  SqParam         bias_param;
  const SqTensor *theta;
  const SqTensor *bias;   /* absent when the spec has none */
} LayerView;

static void
layer_view_init (LayerView        *v,
                 const SqXyloSpec *spec,
                 SqLayer           layer)
{
  memset (v, 0, sizeof *v);
  v->layer = layer;
  if (layer == SQ_LAYER_HIDDEN)
    {
      v->n_targets = spec->n_hidden;
      v->n_w = 2;
      v->w_param[0] = SQ_PARAM_WEIGHTS_IN;
      v->rows[0] = spec->n_in;
      v->cols[0] = spec->n_ien;
      v->syn[0] = spec->n_syn;
      v->w_param[1] = SQ_PARAM_WEIGHTS_REC;
      v->rows[1] = spec->n_hidden;
      v->cols[1] = spec->n_hidden;
      v->syn[1] = spec->n_syn;
      v->theta_param = SQ_PARAM_THRESHOLD;
      v->bias_param = SQ_PARAM_BIAS;
    }
  else
    {
      v->n_targets = spec->n_out;
      v->n_w = 1;
      v->w_param[0] = SQ_PARAM_WEIGHTS_OUT;
      v->rows[0] = spec->n_oen;
      v->cols[0] = spec->n_out;
      v->syn[0] = 1;
      v->theta_param = SQ_PARAM_THRESHOLD_OUT;
      v->bias_param = SQ_PARAM_BIAS_OUT;
    }
  for (guint i = 0; i < v->n_w; i++)
    v->w[i] = &spec->param[v->w_param[i]];
  v->theta = &spec->param[v->theta_param];
  v->bias = sq_tensor_is_present (&spec->param[v->bias_param]) ? &spec->param[v->bias_param]
                                                                 : NULL;
}

/* Per group (one for global scaling, one per target for channel scaling). */
typedef struct {
  gsize     n;
  double   *range;
  double   *scale;
  gboolean *limited;
  gboolean  overflow;   /* Wmax/range exceeded the largest double */
  int       shift;      /* thresholds and biases are scaled by scale·2^shift */
} Scales;

static void
scales_init (Scales *s,
             gsize   n)
{
  s->n = n;
  s->range = g_new0 (double, n);
  s->scale = g_new0 (double, n);
  s->limited = g_new0 (gboolean, n);
  s->overflow = FALSE;
  s->shift = 0;
}

static void
scales_clear (Scales *s)
{
  g_clear_pointer (&s->range, g_free);
  g_clear_pointer (&s->scale, g_free);
  g_clear_pointer (&s->limited, g_free);
}

/* max |w| per target column, over every weight matrix of the layer. The synapses of one
 * (row, column) pair are reduced in a register before touching @m. */
static inline void
column_max_abs_matrix (const double *w,
                       gsize         rows,
                       gsize         cols,
                       gsize         syn,
                       double       *m)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize c = 0; c < cols; c++, w += syn)
      {
        double a = fabs (w[0]);

        for (gsize k = 1; k < syn; k++)
          a = fabs (w[k]) > a ? fabs (w[k]) : a;
        m[c] = a > m[c] ? a : m[c];
      }
}

static void
column_max_abs (const LayerView *v,
                double          *m)
{
  for (guint t = 0; t < v->n_w; t++)
    {
      /* Constant synapse counts let the compiler unroll the inner loop. */
      if (v->syn[t] == 1)
        column_max_abs_matrix (v->w[t]->data, v->rows[t], v->cols[t], 1, m);
      else if (v->syn[t] == 2)
        column_max_abs_matrix (v->w[t]->data, v->rows[t], v->cols[t], 2, m);
      else
        column_max_abs_matrix (v->w[t]->data, v->rows[t], v->cols[t], v->syn[t], m);
    }
}

static double
layer_max_abs (const LayerView *v)
{
  double m = 0.0;

  for (guint t = 0; t < v->n_w; t++)
    {
      const double *w = v->w[t]->data;
      gsize n = v->w[t]->n;

      for (gsize i = 0; i < n; i++)
        {
          double a = fabs (w[i]);
          m = a > m ? a : m;
        }
    }
  return m;
}

static double
vector_max_abs (const SqTensor *t)
{
  double m = 0.0;

  for (gsize i = 0; t && i < t->n; i++)
    m = MAX (m, fabs (t->data[i]));
  return m;
}

/* Gathers the layer's non-zero weights in memory order (ravel of each matrix, in turn). */
static double *
gather_nonzero (const LayerView *v,
                gsize           *n_out)
{
  gsize total = 0, n = 0;
  double *z;

  for (guint t = 0; t < v->n_w; t++)
    total += v->w[t]->n;
  z = g_new (double, MAX (total, 1));

  for (guint t = 0; t < v->n_w; t++)
    for (gsize i = 0; i < v->w[t]->n; i++)
      if (!sq_is_zero (v->w[t]->data[i]))
        z[n++] = v->w[t]->data[i];

  *n_out = n;
  return z;
}

/* |mean| + 2·std of the non-zero weights of the whole layer, numpy's way. */
static double
layer_fuzzy_range (const LayerView *v)
{
  gsize n;
  g_autofree double *z = gather_nonzero (v, &n);

  return np_fuzzy_range (z, n);
}

/* |mean| + 2·std of the non-zero weights of each target column, two passes in memory order. */
static void
column_fuzzy_range (const LayerView *v,
                    double          *m)
{
  gsize nt = v->n_targets;
  g_autofree double *sum = g_new0 (double, nt);
  g_autofree double *ss = g_new0 (double, nt);
  g_autofree gsize *count = g_new0 (gsize, nt);

  for (guint t = 0; t < v->n_w; t++)
    {
      const double *w = v->w[t]->data;

      for (gsize r = 0; r < v->rows[t]; r++)
        for (gsize c = 0; c < v->cols[t]; c++)
          for (gsize k = 0; k < v->syn[t]; k++, w++)
            if (!sq_is_zero (*w))
              {
                sum[c] += *w;
                count[c]++;
              }
    }
  for (gsize c = 0; c < nt; c++)
    sum[c] = count[c] ? sum[c] / (double) count[c] : 0.0; /* now the mean */

  for (guint t = 0; t < v->n_w; t++)
    {
      const double *w = v->w[t]->data;

      for (gsize r = 0; r < v->rows[t]; r++)
        for (gsize c = 0; c < v->cols[t]; c++)
          for (gsize k = 0; k < v->syn[t]; k++, w++)
            if (!sq_is_zero (*w))
              {
                double d = *w - sum[c];
                ss[c] += d * d;
              }
    }

  for (gsize c = 0; c < nt; c++)
    m[c] = count[c] ? fabs (sum[c]) + 2.0 * sqrt (ss[c] / (double) count[c]) : 0.0;
}

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
synquant_scales (const LayerView     *v,
                 const SqQuantParams *params,
                 gboolean             per_channel,
                 gboolean             fuzzy,
                 Scales              *s)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  gboolean state_domain = params->weight_shift != 0;
  int fixed = params->weight_shift > 0 ? params->weight_shift : 0;
  g_autofree double *need = NULL;

  scales_init (s, per_channel ? v->n_targets : 1);
  need = g_new0 (double, s->n);

  if (per_channel)
    {
      if (fuzzy)
        column_fuzzy_range (v, s->range);
      else
        {
          column_max_abs (v, s->range);
          for (gsize c = 0; v->bias && !state_domain && c < v->n_targets; c++)
            s->range[c] = MAX (s->range[c], fabs (v->bias->data[c]));
        }
    }
  else
    {
      double m = fuzzy ? layer_fuzzy_range (v) : layer_max_abs (v);

      if (isnan (m))   /* fuzzy without a single non-zero weight */
        m = 0.0;
      if (!fuzzy && !state_domain)
        m = MAX (m, vector_max_abs (v->bias));
      s->range[0] = m;
    }

  for (gsize g = 0; g < s->n; g++)
    {
      double m = s->range[g];
      double t = per_channel ? fabs (v->theta->data[g]) : vector_max_abs (v->theta);
      double sc = m > 0.0 ? wmax / m : 1.0;

      if (state_domain && v->bias)
        t = MAX (t, per_channel ? fabs (v->bias->data[g]) : vector_max_abs (v->bias));
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
/* Accumulating the figures                                                                  */

typedef struct {
  gsize  clipped;
  gsize  out_of_range;
  gsize  zeroed;
  double signal;       /* Σ w² */
  double noise_q;      /* Σ (q − w·s)², in integer units */
  double max_err_q;    /* max |q − w·s|, in integer units */
  gsize  bias_zeroed;
} Acc;

/* One weight: rint(w·s), clipped to ±wmax when @clip or counted as out of range, with its
 * error in integer units. Branch-free, so the loops below stream at memory speed. */
static inline double
quantize_one (double  w,
              double  s,
              double  wmax,
              gboolean clip,
              gsize  *clipped,
              gsize  *out_of_range,
              gsize  *zeroed,
              double *err)
{
  double x = w * s;
  double r = rint (x);
  gsize outside = (gsize) (r > wmax) + (gsize) (r < -wmax);

  if (clip)
    {
      r = r > wmax ? wmax : r;
      r = r < -wmax ? -wmax : r;
      *clipped += outside;
    }
  else
    *out_of_range += outside;

  /* r is a whole number, so |r| < 0.5 means r == 0; comparisons keep this branch-free and
   * defined even for the huge values Rockpool mode can produce. */
  *zeroed += (gsize) (fabs (r) < 0.5) & (gsize) (fabs (w) > 0.0);
  *err = fabs (r - x);
  return r;
}

/* Quantizes every weight of a layer with one scale, in memory order. Four partial sums keep
 * the additions from serialising. */
static inline void
quantize_flat_clip (const double *w,
               double       *q,
               gsize         n,
               double        s,
               double        wmax,
               gboolean      clip,
               Acc          *acc)
{
  double sig[4] = { 0, }, noi[4] = { 0, }, maxe[4] = { 0, };
  gsize clipped = 0, out_of_range = 0, zeroed = 0, i = 0;

  /* Each float is read into a local before its integer is stored: @q may be @w. */
  for (; i + 4 <= n; i += 4)
    for (int j = 0; j < 4; j++)
      {
        double x = w[i + j], e;

        q[i + j] = quantize_one (x, s, wmax, clip, &clipped, &out_of_range, &zeroed, &e);
        sig[j] += x * x;
        noi[j] += e * e;
        maxe[j] = e > maxe[j] ? e : maxe[j];
      }
  for (; i < n; i++)
    {
      double x = w[i], e;

      q[i] = quantize_one (x, s, wmax, clip, &clipped, &out_of_range, &zeroed, &e);
      sig[0] += x * x;
      noi[0] += e * e;
      maxe[0] = e > maxe[0] ? e : maxe[0];
    }

  acc->clipped += clipped;
  acc->out_of_range += out_of_range;
  acc->zeroed += zeroed;
  acc->signal += (sig[0] + sig[1]) + (sig[2] + sig[3]);
  acc->noise_q += (noi[0] + noi[1]) + (noi[2] + noi[3]);
  acc->max_err_q = MAX (acc->max_err_q, MAX (MAX (maxe[0], maxe[1]), MAX (maxe[2], maxe[3])));
}

static void
quantize_flat (const double *w,
               double       *q,
               gsize         n,
               double        s,
               double        wmax,
               gboolean      clip,
               Acc          *acc)
{
  if (clip)
    quantize_flat_clip (w, q, n, s, wmax, TRUE, acc);
  else
    quantize_flat_clip (w, q, n, s, wmax, FALSE, acc);
}

/* The same with one scale per target column; @acc has one entry per column. The synapses
 * of one (row, column) pair are summed in registers first. */
static inline void
quantize_columns_syn (const double *w,
                      double       *q,
                      gsize         rows,
                      gsize         cols,
                      gsize         syn,
                      const double *scale,
                      double        wmax,
                      gboolean      clip,
                      Acc          *acc)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize c = 0; c < cols; c++, w += syn, q += syn)
      {
        double s = scale[c], sig = 0.0, noi = 0.0, maxe = acc[c].max_err_q;
        gsize clipped = 0, out_of_range = 0, zeroed = 0;

        for (gsize k = 0; k < syn; k++)
          {
            double x = w[k], e;   /* read before the store: @q may be @w */

            q[k] = quantize_one (x, s, wmax, clip, &clipped, &out_of_range, &zeroed, &e);
            sig += x * x;
            noi += e * e;
            maxe = e > maxe ? e : maxe;
          }
        acc[c].clipped += clipped;
        acc[c].out_of_range += out_of_range;
        acc[c].zeroed += zeroed;
        acc[c].signal += sig;
        acc[c].noise_q += noi;
        acc[c].max_err_q = maxe;
      }
}

static void
quantize_columns (const double *w,
                  double       *q,
                  gsize         rows,
                  gsize         cols,
                  gsize         syn,
                  const double *scale,
                  double        wmax,
                  gboolean      clip,
                  Acc          *acc)
{
  /* Constant synapse counts and clip flags let the compiler specialise the loop. */
  if (syn == 1 && clip)
    quantize_columns_syn (w, q, rows, cols, 1, scale, wmax, TRUE, acc);
  else if (syn == 1)
    quantize_columns_syn (w, q, rows, cols, 1, scale, wmax, FALSE, acc);
  else if (syn == 2 && clip)
    quantize_columns_syn (w, q, rows, cols, 2, scale, wmax, TRUE, acc);
  else if (syn == 2)
    quantize_columns_syn (w, q, rows, cols, 2, scale, wmax, FALSE, acc);
  else
    quantize_columns_syn (w, q, rows, cols, syn, scale, wmax, clip, acc);
}

/* Thresholds and biases: rint(x·s), clipped to ±Θmax when @clip. */
static double
quantize_value (double  x,
                double  s,
                double  tmax,
                gboolean clip,
                Acc    *acc)
{
  double v = rint (x * s);

  if (v > tmax || v < -tmax)
    {
      if (clip)
        v = v > 0 ? tmax : -tmax, acc->clipped++;
      else
        acc->out_of_range++;
    }
  return v;
}

static void
group_from_acc (SqGroupReport *g,
                SqLayer        layer,
                gssize         channel,
                double         range,
                double         scale,
                gboolean       limited,
                gsize          n_weights,
                const Acc     *acc,
                double         wmax)
{
  double s = fabs (scale);

  memset (g, 0, sizeof *g);
  g->layer = layer;
  g->channel = channel;
  g->range = range;
  g->scale = scale;
  g->clip = wmax / s;
  g->threshold_limited = limited;
  g->n_weights = n_weights;
  g->clipped = acc->clipped;
  g->out_of_range = acc->out_of_range;
  g->zeroed = acc->zeroed;
  g->bias_zeroed = acc->bias_zeroed;
  g->signal = acc->signal;
  g->noise = acc->noise_q / (s * s);
  g->max_abs_error = acc->max_err_q / s;
}

static void
group_add (SqGroupReport       *sum,
           const SqGroupReport *g)
{
  sum->n_weights += g->n_weights;
  sum->clipped += g->clipped;
  sum->out_of_range += g->out_of_range;
  sum->zeroed += g->zeroed;
  sum->bias_zeroed += g->bias_zeroed;
  sum->signal += g->signal;
  sum->noise += g->noise;
  sum->max_abs_error = MAX (sum->max_abs_error, g->max_abs_error);
  sum->threshold_limited |= g->threshold_limited;
}

/* ---------------------------------------------------------------------------------------- */
/* Result                                                                                    */

void
sq_quant_result_free (SqQuantResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->spec, sq_xylo_spec_free);
  g_clear_pointer (&result->groups, g_array_unref);
  g_clear_pointer (&result->diagnostics, g_ptr_array_unref);
  g_free (result);
}

const SqGroupReport *
sq_quant_result_get_group (const SqQuantResult *result,
                           guint                i)
{
  g_return_val_if_fail (i < result->groups->len, NULL);
  return &g_array_index (result->groups, SqGroupReport, i);
}

/* Smallest and largest clip point of a layer's groups. */
void
sq_quant_result_clip_range (const SqQuantResult *result,
                            SqLayer              layer,
                            double              *min,
                            double              *max)
{
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < result->groups->len; i++)
    {
      const SqGroupReport *g = &g_array_index (result->groups, SqGroupReport, i);

      if (g->layer != layer || !(g->range > 0.0))
        continue;
      lo = MIN (lo, g->clip);
      hi = MAX (hi, g->clip);
    }
  *min = lo;
  *max = hi;
}

static SqQuantResult *
result_new (const SqQuantParams *params)
{
  SqQuantResult *res = g_new0 (SqQuantResult, 1);

  res->params = *params;
  res->mode_used = params->mode;
  res->rec_scale_factor = 1.0;
  res->groups = g_array_new (FALSE, TRUE, sizeof (SqGroupReport));
  res->diagnostics = sq_diagnostics_new ();
  return res;
}

/* Adds the groups' figures into the layer totals and the overall total. */
static void
result_sum_groups (SqQuantResult *res,
                   gboolean       per_channel)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      res->layer[l].layer = (SqLayer) l;
      res->layer[l].channel = -1;
      res->layer[l].range = res->layer[l].scale = res->layer[l].clip = NAN;
    }
  res->total.channel = -1;
  res->total.range = res->total.scale = res->total.clip = NAN;

  for (guint i = 0; i < res->groups->len; i++)
    {
      const SqGroupReport *g = &g_array_index (res->groups, SqGroupReport, i);

      group_add (&res->layer[g->layer], g);
      group_add (&res->total, g);
      if (!per_channel)
        {
          res->layer[g->layer].range = g->range;
          res->layer[g->layer].scale = g->scale;
          res->layer[g->layer].clip = g->clip;
        }
    }
}

/* Thresholds and biases of one neuron. Reads each float before writing its integer, so
 * @dst may be @src. */
static void
quantize_neuron (const LayerView *v,
                 SqXyloSpec      *dst,
                 gsize            c,
                 double           theta_scale,
                 double           bias_scale,
                 double           tmax,
                 gboolean         clip,
                 Acc             *acc,
                 gsize           *clipped_thresholds,
                 gsize           *clipped_biases)
{
  gsize before = acc->clipped;

  dst->param[v->theta_param].data[c] =
    quantize_value (v->theta->data[c], theta_scale, tmax, clip, acc);
  *clipped_thresholds += acc->clipped - before;

  if (v->bias)
    {
      double b = v->bias->data[c], q;

      before = acc->clipped;
      q = quantize_value (b, bias_scale, tmax, clip, acc);
      dst->param[v->bias_param].data[c] = q;
      *clipped_biases += acc->clipped - before;
      acc->bias_zeroed += sq_is_zero (q) && !sq_is_zero (b);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Rockpool mode: planning                                                                   */

/* global_quantize's scale factors: s, then ℓ applied to the already-rounded values when the
 * largest rounded threshold (signed max, then abs) exceeds Θmax. */
typedef struct {
  double m, m_out;
  double s, s_out;
  double l_hidden, l_output;  /* 1 when the thresholds fit */
} RockpoolGlobal;

/* numpy's astype(int) turns values beyond int64 into garbage; bounds on |result| that reach
 * this are treated as a Rockpool failure. */
#define INT64_LIMIT 9.2e18

static gboolean
beyond_int64 (double bound)
{
  return !(bound < INT64_LIMIT);
}

static char *
rockpool_global_factors (const SqXyloSpec    *spec,
                         const SqQuantParams *params,
                         gboolean             fuzzy,
                         RockpoolGlobal      *f)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  const SqTensor *theta = &spec->param[SQ_PARAM_THRESHOLD];
  const SqTensor *theta_out = &spec->param[SQ_PARAM_THRESHOLD_OUT];
  double qmax, w_hidden, w_output, l1, l2, s_hb;
  LayerView hid, out;

  layer_view_init (&hid, spec, SQ_LAYER_HIDDEN);
  layer_view_init (&out, spec, SQ_LAYER_OUTPUT);

  w_hidden = layer_max_abs (&hid);
  w_output = layer_max_abs (&out);
  if (fuzzy)
    {
      f->m = layer_fuzzy_range (&hid);
      f->m_out = layer_fuzzy_range (&out);
      if (isnan (f->m) || isnan (f->m_out))
        return g_strdup (_("compute a NaN fuzzy range (a layer has no non-zero weight)"));
    }
  else
    {
      f->m = MAX (w_hidden, vector_max_abs (hid.bias));
      f->m_out = MAX (w_output, vector_max_abs (out.bias));
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

  /* Bounds on every |integer|, each rounding adding at most ½. bias and bias_out keep the
   * hidden scale s (defects a and h); weights_rec also gets ℓ_output (defect b). */
  l1 = fabs (f->l_hidden);
  l2 = fabs (f->l_output);
  s_hb = MAX (vector_max_abs (hid.bias), vector_max_abs (out.bias)) * f->s + 1.0;
  if (beyond_int64 (((w_hidden * f->s + 1.0) * l1 + 1.0) * l2 + 1.0) ||
      beyond_int64 ((vector_max_abs (theta) * f->s + 1.0) * l1 + 1.0) ||
      beyond_int64 ((w_output * f->s_out + 1.0) * l2 + 1.0) ||
      beyond_int64 ((vector_max_abs (theta_out) * f->s_out + 1.0) * l2 + 1.0) ||
      beyond_int64 (s_hb))
    return g_strdup (_("produce values beyond the range of a 64-bit integer"));

  return NULL;
}

/* channel_quantize's effective scale of each hidden or output neuron: Wmax/max|column|, or
 * Θmax/θ (from the float θ, so possibly negative) when the rounded threshold does not fit.
 * Biases use the scale before that limit, and hidden biases only with two synapses. */
static char *
rockpool_channel_scales (const SqXyloSpec    *spec,
                         const SqQuantParams *params,
                         const LayerView     *v,
                         Scales              *s,
                         double              *bias_scale)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  /* Defect (f): hidden biases are scaled only when there are two synapses. */
  gboolean scale_bias = v->layer == SQ_LAYER_OUTPUT || spec->n_syn > 1;

  scales_init (s, v->n_targets);
  column_max_abs (v, s->range);   /* Rockpool leaves the bias out of the range */

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

/* What a quantization will do, decided before any value is written: Rockpool's failures are
 * all detected here, so a quantization in place can still fall back to Synquant's mode. */
typedef struct {
  SqMode          mode;
  char           *failure;
  RockpoolGlobal  global;
  Scales          scales[SQ_N_LAYERS];
  double         *bias_scale[SQ_N_LAYERS];
} Plan;

static void
plan_clear (Plan *plan)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      scales_clear (&plan->scales[l]);
      g_clear_pointer (&plan->bias_scale[l], g_free);
    }
  g_clear_pointer (&plan->failure, g_free);
}

static void
plan_init (Plan                *plan,
           const SqXyloSpec    *spec,
           const SqQuantParams *params)
{
  gboolean per_channel = params->method == SQ_METHOD_CHANNEL;

  memset (plan, 0, sizeof *plan);
  plan->mode = params->mode;

  if (plan->mode == SQ_MODE_ROCKPOOL && !per_channel)
    plan->failure = rockpool_global_factors (spec, params, params->fuzzy, &plan->global);
  else if (plan->mode == SQ_MODE_ROCKPOOL)
    for (guint l = 0; l < SQ_N_LAYERS && plan->failure == NULL; l++)
      {
        LayerView v;

        layer_view_init (&v, spec, (SqLayer) l);
        plan->bias_scale[l] = g_new0 (double, v.n_targets);
        plan->failure = rockpool_channel_scales (spec, params, &v, &plan->scales[l],
                                                 plan->bias_scale[l]);
      }

  if (plan->failure != NULL)
    {
      for (guint l = 0; l < SQ_N_LAYERS; l++)
        {
          scales_clear (&plan->scales[l]);
          g_clear_pointer (&plan->bias_scale[l], g_free);
        }
      plan->mode = SQ_MODE_SYNQUANT;
    }

  if (plan->mode == SQ_MODE_SYNQUANT)
    for (guint l = 0; l < SQ_N_LAYERS; l++)
      {
        LayerView v;

        layer_view_init (&v, spec, (SqLayer) l);
        synquant_scales (&v, params, per_channel, params->fuzzy, &plan->scales[l]);
      }
}

/* ---------------------------------------------------------------------------------------- */
/* Execution. Every pass reads a value before it writes the integer at the same place, so
 * @dst may be @src (quantization in place).                                                 */

/* Says which shift the automatic choice took for a layer, and why. */
static void
diagnose_shift (const LayerView *v,
                const SqXyloSpec *dst,
                const Scales     *s,
                double            tmax,
                SqQuantResult    *res)
{
  const char *names = v->layer == SQ_LAYER_HIDDEN ? "weight_shift_in, weight_shift_rec"
                                                  : "weight_shift_out";
  const SqTensor *theta = &dst->param[v->theta_param];
  const SqTensor *bias = &dst->param[v->bias_param];
  gboolean limited = FALSE;
  double largest = 0.0;

  for (gsize g = 0; g < s->n; g++)
    limited |= s->limited[g];
  for (gsize c = 0; c < theta->n; c++)
    largest = MAX (largest, fabs (theta->data[c]));
  for (gsize c = 0; sq_tensor_is_present (bias) && c < bias->n; c++)
    largest = MAX (largest, fabs (bias->data[c]));

  if (s->shift > 0)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_WEIGHT_SHIFT, v->w_param[0], (gsize) s->shift,
                        _("%s = %d: thresholds and biases are scaled %d× more than the "
                          "weights, which keep their full range; the largest is now %.0f of "
                          "±%.0f"),
                        names, s->shift, 1 << s->shift, largest, tmax);
  else if (limited)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_WEIGHT_SHIFT, v->w_param[0], 0,
                        _("%s = 0: the thresholds or biases need more range than the weights "
                          "at their full scale leave; a shift would only widen the gap"),
                        names);
  else
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_WEIGHT_SHIFT, v->w_param[0], 0,
                        _("%s = 0: the largest threshold or bias (%.0f) already uses more than "
                          "1/32 of the state, which must hold the 31 events of one step"),
                        names, largest);
}

static void
synquant_layer (const SqXyloSpec    *src,
                SqXyloSpec          *dst,
                const SqQuantParams *params,
                SqLayer              layer,
                const Scales        *s,
                SqQuantResult       *res,
                gsize               *clipped_weights,
                gsize               *clipped_thresholds,
                gsize               *clipped_biases)
{
  gboolean per_channel = params->method == SQ_METHOD_CHANNEL;
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  g_autofree Acc *acc = g_new0 (Acc, s->n);
  g_autofree gsize *n_weights = g_new0 (gsize, s->n);
  LayerView v;

  layer_view_init (&v, src, layer);

  for (guint t = 0; t < v.n_w; t++)
    {
      double *q = dst->param[v.w_param[t]].data;

      if (per_channel)
        {
          quantize_columns (v.w[t]->data, q, v.rows[t], v.cols[t], v.syn[t], s->scale, wmax,
                            TRUE, acc);
          for (gsize c = 0; c < v.cols[t]; c++)
            n_weights[c] += v.rows[t] * v.syn[t];
        }
      else
        {
          quantize_flat (v.w[t]->data, q, v.w[t]->n, s->scale[0], wmax, TRUE, acc);
          n_weights[0] += v.w[t]->n;
        }
    }

  for (gsize g = 0; g < s->n; g++)
    *clipped_weights += acc[g].clipped;

  for (gsize c = 0; c < v.n_targets; c++)
    {
      gsize g = per_channel ? c : 0;

      double state = ldexp (s->scale[g], s->shift);

      quantize_neuron (&v, dst, c, state, state, tmax, TRUE, &acc[g],
                       clipped_thresholds, clipped_biases);
    }

  res->weight_shift[layer] = s->shift;
  if (params->weight_shift != 0)
    {
      if (layer == SQ_LAYER_HIDDEN)
        {
          dst->weight_shift[SQ_SHIFT_IN] = dst->weight_shift[SQ_SHIFT_REC] = s->shift;
          dst->has_weight_shift[SQ_SHIFT_IN] = dst->has_weight_shift[SQ_SHIFT_REC] = TRUE;
        }
      else
        {
          dst->weight_shift[SQ_SHIFT_OUT] = s->shift;
          dst->has_weight_shift[SQ_SHIFT_OUT] = TRUE;
        }
    }
  if (params->weight_shift == SQ_WEIGHT_SHIFT_AUTO)
    diagnose_shift (&v, dst, s, tmax, res);

  for (gsize g = 0; g < s->n; g++)
    {
      SqGroupReport report;

      group_from_acc (&report, layer, per_channel ? (gssize) g : -1, s->range[g], s->scale[g],
                      s->limited[g], n_weights[g], &acc[g], wmax);
      g_array_append_val (res->groups, report);
    }

  if (s->overflow)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_SCALE_OVERFLOW, v.w_param[0], 1,
                        "%s", layer == SQ_LAYER_HIDDEN
                        ? _("the hidden weights are so small that their scale overflows; the "
                            "largest finite scale was used")
                        : _("the output weights are so small that their scale overflows; the "
                            "largest finite scale was used"));
}

static void
synquant_quantize (const SqXyloSpec    *src,
                   SqXyloSpec          *dst,
                   const SqQuantParams *params,
                   const Plan          *plan,
                   SqQuantResult       *res)
{
  gsize cw = 0, ct = 0, cb = 0;

  synquant_layer (src, dst, params, SQ_LAYER_HIDDEN, &plan->scales[SQ_LAYER_HIDDEN], res,
                  &cw, &ct, &cb);
  synquant_layer (src, dst, params, SQ_LAYER_OUTPUT, &plan->scales[SQ_LAYER_OUTPUT], res,
                  &cw, &ct, &cb);

  if (cw > 0)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_CLIPPED, -1, cw,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%zu weight was clipped to ±%.0f",
                                     "%zu weights were clipped to ±%.0f", cw),
                        cw, sq_quant_weight_max (params));
  if (ct > 0)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_CLIPPED, SQ_PARAM_THRESHOLD, ct,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%zu threshold was clipped to ±%.0f",
                                     "%zu thresholds were clipped to ±%.0f", ct),
                        ct, sq_quant_threshold_max (params));
  if (cb > 0)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_CLIPPED, SQ_PARAM_BIAS, cb,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%zu bias was clipped to ±%.0f",
                                     "%zu biases were clipped to ±%.0f", cb),
                        cb, sq_quant_threshold_max (params));
}

/* rint(rint(rint(x·s)·l1)·l2): Rockpool rounds, then rescales the integers and rounds again. */
static double
rockpool_round3 (double x,
                 double s,
                 double l1,
                 double l2)
{
  return rint (rint (rint (x * s) * l1) * l2);
}

static void
rockpool_weights_global (const SqTensor *w,
                         double         *q,
                         double          s,
                         double          l1,
                         double          l2,
                         double          wmax,
                         Acc            *acc)
{
  double eff = s * l1 * l2;

  /* Without a threshold limit Rockpool rounds once, exactly what the flat loop does. */
  if (!sq_differ (l1, 1.0) && !sq_differ (l2, 1.0))
    {
      quantize_flat (w->data, q, w->n, s, wmax, FALSE, acc);
      return;
    }

  for (gsize i = 0; i < w->n; i++)
    {
      double x = w->data[i];
      double v = rockpool_round3 (x, s, l1, l2);
      double e = fabs (v - x * eff);

      q[i] = v;
      acc->out_of_range += v > wmax || v < -wmax;
      acc->signal += x * x;
      acc->noise_q += e * e;
      acc->max_err_q = MAX (acc->max_err_q, e);
      acc->zeroed += sq_is_zero (v) && !sq_is_zero (x);
    }
}

/* A layer's thresholds, rint(rint(θ·s)·ℓ), and biases, rint(b·s_bias), unclipped. */
static void
rockpool_neurons_global (const LayerView *v,
                         SqXyloSpec      *dst,
                         double           s,
                         double           l,
                         double           s_bias,
                         double           tmax,
                         Acc             *acc)
{
  for (gsize c = 0; c < v->n_targets; c++)
    {
      double t = rockpool_round3 (v->theta->data[c], s, l, 1.0);

      dst->param[v->theta_param].data[c] = t;
      acc->out_of_range += t > tmax || t < -tmax;
      if (v->bias)
        {
          double b = v->bias->data[c], q = rint (b * s_bias);

          dst->param[v->bias_param].data[c] = q;
          acc->out_of_range += q > tmax || q < -tmax;
          acc->bias_zeroed += sq_is_zero (q) && !sq_is_zero (b);
        }
    }
}

/* Rockpool's global_quantize. */
static void
rockpool_global (const SqXyloSpec    *src,
                 SqXyloSpec          *dst,
                 const SqQuantParams *params,
                 const RockpoolGlobal *f,
                 SqQuantResult       *res)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  gboolean has_bias_out = sq_tensor_is_present (&src->param[SQ_PARAM_BIAS_OUT]);
  Acc in = { 0, }, rec = { 0, }, out = { 0, }, hidden_other = { 0, }, output_other = { 0, };
  SqGroupReport g_hidden, g_output, g_rec;
  LayerView hid, outv;

  layer_view_init (&hid, src, SQ_LAYER_HIDDEN);
  layer_view_init (&outv, src, SQ_LAYER_OUTPUT);

  rockpool_weights_global (&src->param[SQ_PARAM_WEIGHTS_IN], dst->param[SQ_PARAM_WEIGHTS_IN].data,
                           f->s, f->l_hidden, 1.0, wmax, &in);
  /* Defect (b): the output layer's threshold limit rescales weights_rec too. */
  rockpool_weights_global (&src->param[SQ_PARAM_WEIGHTS_REC],
                           dst->param[SQ_PARAM_WEIGHTS_REC].data,
                           f->s, f->l_hidden, f->l_output, wmax, &rec);
  rockpool_weights_global (&src->param[SQ_PARAM_WEIGHTS_OUT],
                           dst->param[SQ_PARAM_WEIGHTS_OUT].data,
                           f->s_out, f->l_output, 1.0, wmax, &out);

  /* Thresholds get the limit after rounding; defects (a) and (h): both biases keep the
   * hidden scale s and no limit. */
  rockpool_neurons_global (&hid, dst, f->s, f->l_hidden, f->s, tmax, &hidden_other);
  rockpool_neurons_global (&outv, dst, f->s_out, f->l_output, f->s, tmax, &output_other);

  /* weights_in and weights_rec form the hidden group; their scales differ only under
   * defect (b), so each contributes its errors at its own scale. */
  group_from_acc (&g_hidden, SQ_LAYER_HIDDEN, -1, f->m, f->s * f->l_hidden,
                  sq_differ (f->l_hidden, 1.0), src->param[SQ_PARAM_WEIGHTS_IN].n, &in, wmax);
  group_from_acc (&g_rec, SQ_LAYER_HIDDEN, -1, f->m, f->s * f->l_hidden * f->l_output, FALSE,
                  src->param[SQ_PARAM_WEIGHTS_REC].n, &rec, wmax);
  g_rec.out_of_range += hidden_other.out_of_range;
  g_rec.bias_zeroed = hidden_other.bias_zeroed;
  group_add (&g_hidden, &g_rec);
  g_array_append_val (res->groups, g_hidden);
  res->rec_scale_factor = f->l_output;

  group_from_acc (&g_output, SQ_LAYER_OUTPUT, -1, f->m_out, f->s_out * f->l_output,
                  sq_differ (f->l_output, 1.0), src->param[SQ_PARAM_WEIGHTS_OUT].n, &out, wmax);
  g_output.out_of_range += output_other.out_of_range;
  g_output.bias_zeroed = output_other.bias_zeroed;
  g_array_append_val (res->groups, g_output);

  if (has_bias_out && vector_max_abs (&src->param[SQ_PARAM_BIAS_OUT]) > 0.0 &&
      sq_differ (f->s, f->s_out))
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_BIAS_OUT, src->n_out,
                        _("bias_out was scaled with the hidden layer's scale, not the output "
                          "layer's, as Rockpool does (its defect a)"));
  if (sq_differ (f->l_hidden, 1.0))
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_THRESHOLD,
                        src->n_hidden,
                        _("the hidden thresholds did not fit in %u bits: Rockpool rescaled the "
                          "rounded thresholds and weights and rounded them again, and left bias "
                          "unscaled (its defect h)"), params->threshold_bits);
  if (sq_differ (f->l_output, 1.0))
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_WEIGHTS_REC,
                        src->param[SQ_PARAM_WEIGHTS_REC].n,
                        _("the output thresholds did not fit in %u bits: Rockpool rescaled "
                          "weights_out and also weights_rec with them (its defect b)"),
                        params->threshold_bits);
}

/* Rockpool's channel_quantize for one layer, with the scales planned. */
static void
rockpool_channel_layer (const SqXyloSpec    *src,
                        SqXyloSpec          *dst,
                        const SqQuantParams *params,
                        SqLayer              layer,
                        const Scales        *s,
                        const double        *bias_scale,
                        SqQuantResult       *res)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  g_autofree Acc *acc = NULL;
  gsize flipped = 0, unused = 0;
  LayerView v;

  layer_view_init (&v, src, layer);
  acc = g_new0 (Acc, v.n_targets);
  for (guint t = 0; t < v.n_w; t++)
    quantize_columns (v.w[t]->data, dst->param[v.w_param[t]].data, v.rows[t], v.cols[t],
                      v.syn[t], s->scale, wmax, FALSE, acc);

  for (gsize c = 0; c < v.n_targets; c++)
    {
      quantize_neuron (&v, dst, c, s->scale[c], bias_scale[c], tmax, FALSE, &acc[c],
                       &unused, &unused);
      flipped += s->scale[c] < 0.0;
    }

  for (gsize c = 0; c < v.n_targets; c++)
    {
      SqGroupReport report;
      gsize n = 0;

      for (guint t = 0; t < v.n_w; t++)
        n += c < v.cols[t] ? v.rows[t] * v.syn[t] : 0;
      group_from_acc (&report, layer, (gssize) c, s->range[c], s->scale[c], s->limited[c], n,
                      &acc[c], wmax);
      g_array_append_val (res->groups, report);
    }

  if (flipped > 0)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, v.theta_param, flipped,
                        layer == SQ_LAYER_HIDDEN
                        ? g_dngettext (GETTEXT_PACKAGE,
                                       "%zu hidden neuron has a negative threshold that did not "
                                       "fit: Rockpool's rescale flipped the signs of its weights",
                                       "%zu hidden neurons have negative thresholds that did not "
                                       "fit: Rockpool's rescale flipped the signs of their weights",
                                       flipped)
                        : g_dngettext (GETTEXT_PACKAGE,
                                       "%zu output neuron has a negative threshold that did not "
                                       "fit: Rockpool's rescale flipped the signs of its weights",
                                       "%zu output neurons have negative thresholds that did not "
                                       "fit: Rockpool's rescale flipped the signs of their weights",
                                       flipped),
                        flipped);
  if (layer == SQ_LAYER_HIDDEN && v.bias && src->n_syn == 1)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_BIAS, src->n_hidden,
                        _("the hidden biases were only rounded, not scaled: Rockpool's "
                          "channel_quantize scales them only in networks with two synapses "
                          "(its defect f)"));
}

static void
rockpool_quantize (const SqXyloSpec    *src,
                   SqXyloSpec          *dst,
                   const SqQuantParams *params,
                   const Plan          *plan,
                   SqQuantResult       *res)
{
  gsize oor = 0;

  if (params->method == SQ_METHOD_GLOBAL)
    rockpool_global (src, dst, params, &plan->global, res);
  else
    {
      if (params->fuzzy)
        sq_diagnostics_add (res->diagnostics, SQ_DIAG_FUZZY_IGNORED, -1, 0,
                            _("Rockpool's channel_quantize has no fuzzy scaling and silently "
                              "ignores the option; so does this result"));
      for (guint l = 0; l < SQ_N_LAYERS; l++)
        rockpool_channel_layer (src, dst, params, (SqLayer) l, &plan->scales[l],
                                plan->bias_scale[l], res);
    }

  for (guint i = 0; i < res->groups->len; i++)
    oor += g_array_index (res->groups, SqGroupReport, i).out_of_range;
  if (oor > 0)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_OUT_OF_RANGE, -1, oor,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%zu value lies beyond its integer range "
                                     "(±%.0f for weights, ±%.0f for thresholds and biases): "
                                     "Rockpool does not clip, and an int8 cast would wrap it "
                                     "around",
                                     "%zu values lie beyond their integer range "
                                     "(±%.0f for weights, ±%.0f for thresholds and biases): "
                                     "Rockpool does not clip, and an int8 cast would wrap them "
                                     "around", oor),
                        oor, sq_quant_weight_max (params), sq_quant_threshold_max (params));
}

/* ---------------------------------------------------------------------------------------- */

static void
diagnose_biases (SqQuantResult *res)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      SqParam p = l == SQ_LAYER_HIDDEN ? SQ_PARAM_BIAS : SQ_PARAM_BIAS_OUT;
      gsize n = res->layer[l].bias_zeroed;

      if (n > 0)
        sq_diagnostics_add (res->diagnostics, SQ_DIAG_BIAS_ZEROED, p, n,
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
          const SqQuantParams *params)
{
  SqQuantResult *res = result_new (params);
  g_autoptr(GPtrArray) dash_diags = sq_diagnostics_new ();
  Plan plan;

  plan_init (&plan, src, params);
  res->mode_used = plan.mode;
  if (plan.failure != NULL)
    sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_FALLBACK, -1, 0,
                        _("Rockpool would %s; this result uses Synquant's corrected scaling "
                          "instead"), plan.failure);

  /* Dashes first: their diagnostics look at which synapses receive weights, which an
   * in-place pass is about to overwrite. */
  res->dashes_clipped = _sq_dashes_round (src, plan.mode == SQ_MODE_SYNQUANT, dst, dash_diags);

  if (plan.mode == SQ_MODE_ROCKPOOL)
    rockpool_quantize (src, dst, params, &plan, res);
  else
    synquant_quantize (src, dst, params, &plan, res);
  plan_clear (&plan);

  result_sum_groups (res, params->method == SQ_METHOD_CHANNEL);
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

  return quantize (spec, dst, params);
}

/**
 * sq_quantize_in_place:
 * @spec: (transfer full): a validated specification; its values become the integers
 *
 * Like sq_quantize(), but writes the integers over @spec's own values and hands @spec over
 * to the result (`result->spec == spec`). For a caller that needs the float values no more,
 * as `synquant-cli quantize`: it saves allocating, and page-faulting, a second network.
 * @spec is freed when the parameters are invalid.
 *
 * Returns: (transfer full): the result, or %NULL with @error set for invalid parameters
 */
SqQuantResult *
sq_quantize_in_place (SqXyloSpec          *spec,
                      const SqQuantParams *params,
                      GError             **error)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (spec->n_hidden > 0, NULL);

  if (!sq_quant_params_check (params, error))
    {
      sq_xylo_spec_free (spec);
      return NULL;
    }

  return quantize (spec, spec, params);
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
plan_scale (const Plan          *plan,
            const SqQuantParams *params,
            SqLayer              layer,
            gsize                g)
{
  if (plan->mode == SQ_MODE_ROCKPOOL && params->method == SQ_METHOD_GLOBAL)
    return layer == SQ_LAYER_HIDDEN ? plan->global.s * plan->global.l_hidden
                                    : plan->global.s_out * plan->global.l_output;
  return plan->scales[layer].scale[g];
}

static double
global_clip (const SqXyloSpec    *spec,
             const SqQuantParams *params,
             SqLayer              layer,
             gboolean             fuzzy)
{
  SqQuantParams p = *params;
  double clip;
  Plan plan;

  p.method = SQ_METHOD_GLOBAL;
  p.fuzzy = fuzzy;
  plan_init (&plan, spec, &p);
  clip = sq_quant_weight_max (&p) / fabs (plan_scale (&plan, &p, layer, 0));
  plan_clear (&plan);
  return clip;
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
  SqQuantParams p = *params;
  double wmax = sq_quant_weight_max (params);
  const Scales *s;
  Plan plan;

  memset (points, 0, sizeof *points);
  if (!sq_quant_params_check (params, error))
    return FALSE;

  points->global = global_clip (spec, params, layer, FALSE);
  points->fuzzy = global_clip (spec, params, layer, TRUE);

  p.method = SQ_METHOD_CHANNEL;
  plan_init (&plan, spec, &p);
  s = &plan.scales[layer];
  points->n_channels = s->n;
  points->channel = g_new (double, s->n);
  points->channel_min = INFINITY;
  points->channel_max = -INFINITY;
  for (gsize c = 0; c < s->n; c++)
    {
      /* A neuron without weights has no clip point worth drawing. */
      points->channel[c] = s->range[c] > 0.0 ? wmax / fabs (s->scale[c]) : NAN;
      if (s->range[c] > 0.0)
        {
          points->channel_min = MIN (points->channel_min, points->channel[c]);
          points->channel_max = MAX (points->channel_max, points->channel[c]);
        }
    }
  plan_clear (&plan);

  return TRUE;
}
