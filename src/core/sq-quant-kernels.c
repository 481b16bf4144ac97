/* sq-quant-kernels.c: the passes every quantization is made of — the ranges of a layer or of
 * each target column (max |w|, or the fuzzy range computed with numpy's summation), and
 * rint(w·s) with its clip, counts and error sums — shared by both modes (sq-quant-apply.c)
 * and the planner (sq-quantize.c)
 *
 * Every pass runs over the weight matrices in memory order, also for per-channel scaling:
 * a channel is a *column* (the target neuron), and walking a 1000×1000×2 matrix column by
 * column would miss the cache on every element. Per-column scales and sums live in small
 * arrays instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-quant-kernels-private.h"

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

void
_sq_quant_layer_view_init (SqQuantLayerView *v,
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

void
_sq_quant_scales_init (SqQuantScales *s,
                       gsize          n)
{
  s->n = n;
  s->range = g_new0 (double, n);
  s->scale = g_new0 (double, n);
  s->limited = g_new0 (gboolean, n);
  s->overflow = FALSE;
  s->shift = 0;
}

void
_sq_quant_scales_clear (SqQuantScales *s)
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

void
_sq_quant_column_max_abs (const SqQuantLayerView *v,
                          double                 *m)
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

double
_sq_quant_layer_max_abs (const SqQuantLayerView *v)
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

double
_sq_quant_vector_max_abs (const SqTensor *t)
{
  double m = 0.0;

  for (gsize i = 0; t && i < t->n; i++)
    m = MAX (m, fabs (t->data[i]));
  return m;
}

/* Gathers the layer's non-zero weights in memory order (ravel of each matrix, in turn). */
static double *
gather_nonzero (const SqQuantLayerView *v,
                gsize                  *n_out)
{
  gsize total = 0, n = 0;
  double *z;

  for (guint t = 0; t < v->n_w; t++)
    total += v->w[t]->n;
  z = g_new (double, MAX (total, 1));

  for (guint t = 0; t < v->n_w; t++)
    for (gsize i = 0; i < v->w[t]->n; i++)
      if (!_sq_is_zero (v->w[t]->data[i]))
        z[n++] = v->w[t]->data[i];

  *n_out = n;
  return z;
}

/* |mean| + 2·std of the non-zero weights of the whole layer, numpy's way. */
double
_sq_quant_layer_fuzzy_range (const SqQuantLayerView *v)
{
  gsize n;
  g_autofree double *z = gather_nonzero (v, &n);

  return np_fuzzy_range (z, n);
}

/* |mean| + 2·std of the non-zero weights of each target column, summed as the whole layer's
 * range is (numpy's pairwise summation, not a running sum, which can differ in the last bit
 * and so by one level at a tie). Each column's values are bucketed in the order numpy sees
 * them, w_in[:, c, :] then w_rec[:, c, :] raveled: one pass to count, one to place. */
void
_sq_quant_column_fuzzy_range (const SqQuantLayerView *v,
                              double                 *m)
{
  gsize nt = v->n_targets, total = 0;
  g_autofree gsize *start = g_new0 (gsize, nt + 1);
  g_autofree gsize *fill = NULL;
  g_autofree double *z = NULL;

  for (guint t = 0; t < v->n_w; t++)
    {
      const double *w = v->w[t]->data;

      for (gsize r = 0; r < v->rows[t]; r++)
        for (gsize c = 0; c < v->cols[t]; c++)
          for (gsize k = 0; k < v->syn[t]; k++, w++)
            if (!_sq_is_zero (*w))
              start[c + 1]++;
    }
  for (gsize c = 0; c < nt; c++)
    start[c + 1] += start[c];
  total = start[nt];
  z = g_new (double, MAX (total, 1));
  fill = g_memdup2 (start, nt * sizeof *start);

  for (guint t = 0; t < v->n_w; t++)
    {
      const double *w = v->w[t]->data;

      for (gsize r = 0; r < v->rows[t]; r++)
        for (gsize c = 0; c < v->cols[t]; c++)
          for (gsize k = 0; k < v->syn[t]; k++, w++)
            if (!_sq_is_zero (*w))
              z[fill[c]++] = *w;
    }

  for (gsize c = 0; c < nt; c++)
    m[c] = start[c + 1] > start[c] ? np_fuzzy_range (z + start[c], start[c + 1] - start[c])
                                   : 0.0;
}

/* ---------------------------------------------------------------------------------------- */
/* Accumulating the figures                                                                  */

/* One weight: rint(w·s), clipped to ±wmax when @clip or counted as out of range, with its
 * error in integer units. Branch-free, so the loops below stream at memory speed. */
static inline double
quantize_one (double   w,
              double   s,
              double   wmax,
              gboolean clip,
              gsize   *clipped,
              gsize   *out_of_range,
              gsize   *zeroed,
              gsize   *nonzero,
              double  *err)
{
  gsize nz = (gsize) (fabs (w) > 0.0);

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
  *zeroed += (gsize) (fabs (r) < 0.5) & nz;
  *nonzero += nz;
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
                    SqQuantAcc   *acc)
{
  double sig[4] = { 0, }, noi[4] = { 0, }, maxe[4] = { 0, };
  gsize clipped = 0, out_of_range = 0, zeroed = 0, nonzero = 0, i = 0;

  /* Each float is read into a local before its integer is stored: @q may be @w. */
  for (; i + 4 <= n; i += 4)
    for (int j = 0; j < 4; j++)
      {
        double x = w[i + j], e;

        q[i + j] = quantize_one (x, s, wmax, clip, &clipped, &out_of_range, &zeroed, &nonzero,
                                 &e);
        sig[j] += x * x;
        noi[j] += e * e;
        maxe[j] = e > maxe[j] ? e : maxe[j];
      }
  for (; i < n; i++)
    {
      double x = w[i], e;

      q[i] = quantize_one (x, s, wmax, clip, &clipped, &out_of_range, &zeroed, &nonzero, &e);
      sig[0] += x * x;
      noi[0] += e * e;
      maxe[0] = e > maxe[0] ? e : maxe[0];
    }

  acc->clipped += clipped;
  acc->out_of_range += out_of_range;
  acc->zeroed += zeroed;
  acc->nonzero += nonzero;
  acc->signal += (sig[0] + sig[1]) + (sig[2] + sig[3]);
  acc->noise_q += (noi[0] + noi[1]) + (noi[2] + noi[3]);
  acc->max_err_q = MAX (acc->max_err_q, MAX (MAX (maxe[0], maxe[1]), MAX (maxe[2], maxe[3])));
}

void
_sq_quant_flat (const double *w,
                double       *q,
                gsize         n,
                double        s,
                double        wmax,
                gboolean      clip,
                SqQuantAcc   *acc)
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
                      SqQuantAcc   *acc)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize c = 0; c < cols; c++, w += syn, q += syn)
      {
        double s = scale[c], sig = 0.0, noi = 0.0, maxe = acc[c].max_err_q;
        gsize clipped = 0, out_of_range = 0, zeroed = 0, nonzero = 0;

        for (gsize k = 0; k < syn; k++)
          {
            double x = w[k], e;   /* read before the store: @q may be @w */

            q[k] = quantize_one (x, s, wmax, clip, &clipped, &out_of_range, &zeroed, &nonzero,
                                 &e);
            sig += x * x;
            noi += e * e;
            maxe = e > maxe ? e : maxe;
          }
        acc[c].clipped += clipped;
        acc[c].out_of_range += out_of_range;
        acc[c].zeroed += zeroed;
        acc[c].nonzero += nonzero;
        acc[c].signal += sig;
        acc[c].noise_q += noi;
        acc[c].max_err_q = maxe;
      }
}

void
_sq_quant_columns (const double *w,
                   double       *q,
                   gsize         rows,
                   gsize         cols,
                   gsize         syn,
                   const double *scale,
                   double        wmax,
                   gboolean      clip,
                   SqQuantAcc   *acc)
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
quantize_value (double      x,
                double      s,
                double      tmax,
                gboolean    clip,
                SqQuantAcc *acc)
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

void
_sq_quant_group_from_acc (SqGroupReport    *g,
                          SqLayer           layer,
                          gssize            channel,
                          double            range,
                          double            scale,
                          gboolean          limited,
                          gsize             n_weights,
                          const SqQuantAcc *acc,
                          double            wmax)
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
  g->n_nonzero = acc->nonzero;
  g->bias_zeroed = acc->bias_zeroed;
  g->signal = acc->signal;
  g->noise = acc->noise_q / (s * s);
  g->max_abs_error = acc->max_err_q / s;
}

void
_sq_quant_group_add (SqGroupReport       *sum,
                     const SqGroupReport *g)
{
  sum->n_weights += g->n_weights;
  sum->clipped += g->clipped;
  sum->out_of_range += g->out_of_range;
  sum->zeroed += g->zeroed;
  sum->n_nonzero += g->n_nonzero;
  sum->bias_zeroed += g->bias_zeroed;
  sum->signal += g->signal;
  sum->noise += g->noise;
  sum->max_abs_error = MAX (sum->max_abs_error, g->max_abs_error);
  sum->threshold_limited |= g->threshold_limited;
}

/* Thresholds and biases of one neuron. Reads each float before writing its integer, so
 * @dst may be @src. */
void
_sq_quant_neuron (const SqQuantLayerView *v,
                  SqXyloSpec             *dst,
                  gsize                   c,
                  double                  theta_scale,
                  double                  bias_scale,
                  double                  tmax,
                  gboolean                clip,
                  SqQuantAcc             *acc,
                  gsize                  *clipped_thresholds,
                  gsize                  *clipped_biases)
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
      acc->bias_zeroed += _sq_is_zero (q) && !_sq_is_zero (b);
    }
}
