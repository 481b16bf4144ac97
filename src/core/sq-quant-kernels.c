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
 * Large passes run on every core (sq-parallel.c) without changing a bit of their result:
 * maxima and counts do not depend on order; per-column sums are split by column, so each
 * column still adds its rows in order; and the sums of a layer-wide pass are made in
 * chunks of a fixed size whose partial sums are added in chunk order, whatever the number
 * of threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-parallel-private.h"
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
  v->spec = spec;
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

/* max |w| per target column, over columns [@c0, @c1) of one weight matrix. The synapses of
 * one (row, column) pair are reduced in a register before touching @m. */
static inline void
column_max_abs_matrix (const double *w,
                       gsize         rows,
                       gsize         cols,
                       gsize         syn,
                       gsize         c0,
                       gsize         c1,
                       double       *m)
{
  for (gsize r = 0; r < rows; r++)
    {
      const double *x = w + (r * cols + c0) * syn;

      for (gsize c = c0; c < c1; c++, x += syn)
        {
          double a = fabs (x[0]);

          for (gsize k = 1; k < syn; k++)
            a = fabs (x[k]) > a ? fabs (x[k]) : a;
          m[c] = a > m[c] ? a : m[c];
        }
    }
}

typedef struct {
  const SqQuantLayerView *v;
  guint                   t;
  double                 *m;
} ColumnMaxJob;

static void
column_max_part (guint    part,
                 guint    n_parts,
                 gpointer data)
{
  ColumnMaxJob *job = data;
  const SqQuantLayerView *v = job->v;
  guint t = job->t;
  gsize c0, c1;

  _sq_quant_part_columns (part, n_parts, v->cols[t], &c0, &c1);
  /* Constant synapse counts let the compiler unroll the inner loop. */
  if (v->syn[t] == 1)
    column_max_abs_matrix (v->w[t]->data, v->rows[t], v->cols[t], 1, c0, c1, job->m);
  else if (v->syn[t] == 2)
    column_max_abs_matrix (v->w[t]->data, v->rows[t], v->cols[t], 2, c0, c1, job->m);
  else
    column_max_abs_matrix (v->w[t]->data, v->rows[t], v->cols[t], v->syn[t], c0, c1, job->m);
}

static void
column_max_abs (const SqQuantLayerView *v,
                double                 *m)
{
  for (guint t = 0; t < v->n_w; t++)
    {
      const SqQuantSparse *sp = _sq_quant_view_sparse (v, t);
      ColumnMaxJob job = { v, t, m };

      if (sp != NULL)
        {
          _sq_quant_sparse_max_abs (sp, v->w[t]->data, TRUE, m);
          continue;
        }
      _sq_parallel_run (_sq_quant_column_parts (v->rows[t], v->cols[t], v->syn[t]), column_max_part,
                        &job);
    }
}

/* max |w| of @n values: four running maxima, so the comparisons do not wait on each other. */
static double
max_abs (const double *w,
         gsize         n)
{
  double m[4] = { 0, }, r;
  gsize i = 0;

  for (; i + 4 <= n; i += 4)
    for (int j = 0; j < 4; j++)
      {
        double a = fabs (w[i + j]);

        m[j] = a > m[j] ? a : m[j];
      }
  for (; i < n; i++)
    {
      double a = fabs (w[i]);

      m[0] = a > m[0] ? a : m[0];
    }
  r = MAX (MAX (m[0], m[1]), MAX (m[2], m[3]));
  return r;
}

typedef struct {
  const double *w;
  gsize         n;
  double       *part_max;
} MaxJob;

static void
max_part (guint    part,
          guint    n_parts,
          gpointer data)
{
  MaxJob *job = data;
  gsize first = (gsize) part * SQ_QUANT_CHUNK;

  job->part_max[part] = max_abs (job->w + first, MIN (SQ_QUANT_CHUNK, job->n - first));
}

static void
layer_max_abs (const SqQuantLayerView *v,
               double                 *out)
{
  double m = 0.0;

  for (guint t = 0; t < v->n_w; t++)
    {
      guint parts = _sq_quant_n_chunks (v->w[t]->n);
      g_autofree double *part_max = g_new0 (double, parts);
      MaxJob job = { v->w[t]->data, v->w[t]->n, part_max };
      const SqQuantSparse *sp = _sq_quant_view_sparse (v, t);

      if (sp != NULL)
        _sq_quant_sparse_max_abs (sp, v->w[t]->data, FALSE, &part_max[0]);
      else if (v->w[t]->n < SQ_QUANT_PARALLEL_MIN)
        part_max[0] = max_abs (v->w[t]->data, v->w[t]->n);
      else
        _sq_parallel_run (parts, max_part, &job);
      for (guint p = 0; p < parts; p++)
        m = part_max[p] > m ? part_max[p] : m;
    }
  *out = m;
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
static void
layer_fuzzy_range (const SqQuantLayerView *v,
                   double                 *out)
{
  gsize n;
  g_autofree double *z = gather_nonzero (v, &n);

  *out = np_fuzzy_range (z, n);
}

/* |mean| + 2·std of the non-zero weights of each target column, summed as the whole layer's
 * range is (numpy's pairwise summation, not a running sum, which can differ in the last bit
 * and so by one level at a tie). Each column's values are bucketed in the order numpy sees
 * them, w_in[:, c, :] then w_rec[:, c, :] raveled: one pass to count, one to place. */
static void
column_fuzzy_range (const SqQuantLayerView *v,
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

const SqQuantSparse *
_sq_quant_view_sparse (const SqQuantLayerView *v,
                       guint                   t)
{
  if (v->cache == NULL)
    return NULL;
  return _sq_quant_cache_sparse (v->cache, v->spec, v->w_param[t], v->rows[t], v->cols[t],
                                 v->syn[t]);
}

/* The ranges through the view's cache, when it has one. */
static void
cached (const SqQuantLayerView *v,
        SqQuantCacheItem        item,
        gsize                   n,
        SqQuantRangeFunc        compute,
        double                 *out)
{
  if (v->cache != NULL)
    _sq_quant_cache_lookup (v->cache, v->spec, v, item, n, compute, out);
  else
    compute (v, out);
}

double
_sq_quant_layer_max_abs (const SqQuantLayerView *v)
{
  double m;

  cached (v, SQ_QUANT_CACHE_LAYER_MAX, 1, layer_max_abs, &m);
  return m;
}

double
_sq_quant_layer_fuzzy_range (const SqQuantLayerView *v)
{
  double m;

  cached (v, SQ_QUANT_CACHE_LAYER_FUZZY, 1, layer_fuzzy_range, &m);
  return m;
}

/* Both fill @m, one value per target (the cache's copy, or computed into @m, which must
 * then hold zeros). */
void
_sq_quant_column_max_abs (const SqQuantLayerView *v,
                          double                 *m)
{
  cached (v, SQ_QUANT_CACHE_COLUMN_MAX, v->n_targets, column_max_abs, m);
}

void
_sq_quant_column_fuzzy_range (const SqQuantLayerView *v,
                              double                 *m)
{
  cached (v, SQ_QUANT_CACHE_COLUMN_FUZZY, v->n_targets, column_fuzzy_range, m);
}

/* ---------------------------------------------------------------------------------------- */
/* Accumulating the figures                                                                  */

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
  SqQuantLanes lanes = { { 0, }, };
  gsize i = 0;

  /* Each float is read before its integer is stored: @q may be @w. */
  for (; i + 4 <= n; i += 4)
    for (int j = 0; j < 4; j++)
      q[i + j] = _sq_quant_lane_one (&lanes, j, w[i + j], s, wmax, clip);
  for (; i < n; i++)
    q[i] = _sq_quant_lane_one (&lanes, 0, w[i], s, wmax, clip);
  _sq_quant_lanes_add (acc, &lanes);
}

typedef struct {
  const double *w;
  double       *q;
  gsize         n;
  double        s;
  double        wmax;
  gboolean      clip;
  SqQuantAcc   *part_acc;
} FlatJob;

static void
flat_part (guint    part,
           guint    n_parts,
           gpointer data)
{
  FlatJob *job = data;
  gsize first = (gsize) part * SQ_QUANT_CHUNK, n = MIN (SQ_QUANT_CHUNK, job->n - first);
  SqQuantAcc *acc = &job->part_acc[part];

  if (job->clip)
    quantize_flat_clip (job->w + first, job->q + first, n, job->s, job->wmax, TRUE, acc);
  else
    quantize_flat_clip (job->w + first, job->q + first, n, job->s, job->wmax, FALSE, acc);
}

/* Chunk by chunk, each chunk's sums added to @acc in chunk order. */
void
_sq_quant_flat (const double        *w,
                const SqQuantSparse *sp,
                double              *q,
                gsize         n,
                double        s,
                double        wmax,
                gboolean      clip,
                SqQuantAcc   *acc)
{
  guint parts = _sq_quant_n_chunks (n);
  g_autofree SqQuantAcc *part_acc = g_new0 (SqQuantAcc, parts);
  FlatJob job = { w, q, n, s, wmax, clip, part_acc };

  if (sp != NULL && s > 0.0)
    _sq_quant_sparse_flat (sp, w, q, n, s, wmax, clip, part_acc);
  else if (n < SQ_QUANT_PARALLEL_MIN)
    for (guint p = 0; p < parts; p++)
      flat_part (p, parts, &job);
  else
    _sq_parallel_run (parts, flat_part, &job);

  for (guint p = 0; p < parts; p++)
    {
      acc->clipped += part_acc[p].clipped;
      acc->out_of_range += part_acc[p].out_of_range;
      acc->zeroed += part_acc[p].zeroed;
      acc->nonzero += part_acc[p].nonzero;
      acc->signal += part_acc[p].signal;
      acc->noise_q += part_acc[p].noise_q;
      acc->max_err_q = MAX (acc->max_err_q, part_acc[p].max_err_q);
    }
}

/* The same with one scale per target column, over columns [@c0, @c1); @acc has one entry
 * per column. The synapses of one (row, column) pair are summed in registers first. */
static inline void
quantize_columns_syn (const double *w,
                      double       *q,
                      gsize         rows,
                      gsize         cols,
                      gsize         syn,
                      gsize         c0,
                      gsize         c1,
                      const double *scale,
                      double        wmax,
                      gboolean      clip,
                      SqQuantAcc   *acc)
{
  for (gsize r = 0; r < rows; r++)
    {
      const double *x = w + (r * cols + c0) * syn;
      double *y = q + (r * cols + c0) * syn;

      for (gsize c = c0; c < c1; c++, x += syn, y += syn)
        _sq_quant_pair (x, y, syn, scale[c], wmax, clip, &acc[c]);
    }
}

typedef struct {
  const double *w;
  double       *q;
  gsize         rows;
  gsize         cols;
  gsize         syn;
  const double *scale;
  double        wmax;
  gboolean      clip;
  SqQuantAcc   *acc;
} ColumnsJob;

/* Each part owns its columns' sums, so any split adds the same numbers in the same order. */
static void
columns_part (guint    part,
              guint    n_parts,
              gpointer data)
{
  const ColumnsJob *j = data;
  gsize c0, c1;

  _sq_quant_part_columns (part, n_parts, j->cols, &c0, &c1);
  /* Constant synapse counts and clip flags let the compiler specialise the loop. */
  if (j->syn == 1 && j->clip)
    quantize_columns_syn (j->w, j->q, j->rows, j->cols, 1, c0, c1, j->scale, j->wmax, TRUE,
                          j->acc);
  else if (j->syn == 1)
    quantize_columns_syn (j->w, j->q, j->rows, j->cols, 1, c0, c1, j->scale, j->wmax, FALSE,
                          j->acc);
  else if (j->syn == 2 && j->clip)
    quantize_columns_syn (j->w, j->q, j->rows, j->cols, 2, c0, c1, j->scale, j->wmax, TRUE,
                          j->acc);
  else if (j->syn == 2)
    quantize_columns_syn (j->w, j->q, j->rows, j->cols, 2, c0, c1, j->scale, j->wmax, FALSE,
                          j->acc);
  else
    quantize_columns_syn (j->w, j->q, j->rows, j->cols, j->syn, c0, c1, j->scale, j->wmax,
                          j->clip, j->acc);
}

void
_sq_quant_columns (const double        *w,
                   const SqQuantSparse *sp,
                   double              *q,
                   gsize         rows,
                   gsize         cols,
                   gsize         syn,
                   const double *scale,
                   double        wmax,
                   gboolean      clip,
                   SqQuantAcc   *acc)
{
  ColumnsJob job = { w, q, rows, cols, syn, scale, wmax, clip, acc };
  gboolean positive = sp != NULL;

  for (gsize c = 0; positive && c < cols; c++)
    positive = scale[c] > 0.0;
  if (positive)
    {
      _sq_quant_sparse_columns (sp, w, q, scale, wmax, clip, acc);
      return;
    }
  _sq_parallel_run (_sq_quant_column_parts (rows, cols, syn), columns_part, &job);
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
