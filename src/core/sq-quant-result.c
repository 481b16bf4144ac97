/* sq-quant-result.c: a quantization's result and its figures (the error of each group, the
 * time constant of a dash)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-private.h"
#include "sq-quant-kernels-private.h"
#include "sq-quantize-private.h"

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
  if (_sq_is_zero (dash))
    return 0.0;
  return -1.0 / log1p (-exp2 (-dash));
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

SqQuantResult *
_sq_quant_result_new (const SqQuantParams *params)
{
  SqQuantResult *res = g_new0 (SqQuantResult, 1);

  res->params = *params;
  res->mode_used = params->mode;
  res->rec_scale_factor = 1.0;
  res->groups = g_array_new (FALSE, TRUE, sizeof (SqGroupReport));
  res->diagnostics = _sq_diagnostics_new ();
  return res;
}

/* Adds the groups' figures into the layer totals and the overall total. */
void
_sq_quant_result_sum_groups (SqQuantResult *res,
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

      _sq_quant_group_add (&res->layer[g->layer], g);
      _sq_quant_group_add (&res->total, g);
      if (!per_channel)
        {
          res->layer[g->layer].range = g->range;
          res->layer[g->layer].scale = g->scale;
          res->layer[g->layer].clip = g->clip;
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Errors of each value                                                                      */

/* The weight scale of target neuron @c of @layer: its own under channel scaling, the layer's
 * under global scaling. */
static double
neuron_scale (const SqQuantResult *result,
              SqLayer              layer,
              gsize                c)
{
  gsize g;

  if (result->params.method != SQ_METHOD_CHANNEL)
    g = (gsize) layer;
  else
    g = layer == SQ_LAYER_OUTPUT ? result->spec->n_hidden + c : c;
  return sq_quant_result_get_group (result, (guint) g)->scale;
}

/* q/s − f, skipping the division for a +0.0 weight quantized to +0.0 under a positive
 * scale: its error is +0.0 (+0/s − +0), and sparse matrices are mostly such weights. */
static inline double
weight_error (double q,
              double s,
              double f)
{
  guint64 bq, bf;

  memcpy (&bq, &q, sizeof bq);
  memcpy (&bf, &f, sizeof bf);
  if ((bq | bf) == 0 && s > 0.0)
    return 0.0;
  return q / s - f;
}

/* The scale of values @first … @first + @n − 1 of @param (flat, memory order): integer ≈
 * float × scale. Weights have their neuron's (or layer's) weight scale, thresholds and
 * biases that times 2^shift (they live in the state, which the shift widens), dashes 1. */
static void
value_scales (const SqQuantResult *result,
              const SqXyloSpec    *spec,
              SqParam              param,
              gsize                first,
              gsize                n,
              double              *scales)
{
  const SqTensor *w = &spec->param[param];
  SqLayer layer = sq_param_is_output (param) ? SQ_LAYER_OUTPUT : SQ_LAYER_HIDDEN;
  const SqGroupReport *groups;
  gsize cols, syn, c, k;

  if (sq_param_is_dash (param))
    {
      for (gsize i = 0; i < n; i++)
        scales[i] = 1.0;
      return;
    }

  if (!sq_param_is_weights (param))
    {
      for (gsize i = 0; i < n; i++)
        scales[i] = ldexp (neuron_scale (result, layer, first + i), result->weight_shift[layer]);
      return;
    }

  if (result->params.method != SQ_METHOD_CHANNEL)
    {
      double s = neuron_scale (result, layer, 0);

      if (param == SQ_PARAM_WEIGHTS_REC)
        s *= result->rec_scale_factor;
      for (gsize i = 0; i < n; i++)
        scales[i] = s;
      return;
    }

  /* Channel scaling: the target neuron is the column; walk (column, synapse) along. */
  cols = w->shape[1];
  syn = w->rank == 3 ? w->shape[2] : 1;
  c = (first / syn) % cols;
  k = first % syn;
  /* The groups of one layer are its neurons', in order (see neuron_scale()). */
  groups = &g_array_index (result->groups, SqGroupReport,
                           layer == SQ_LAYER_OUTPUT ? result->spec->n_hidden : 0);
  for (gsize i = 0; i < n; )
    {
      double s = groups[c].scale;

      for (; k < syn && i < n; k++, i++)
        scales[i] = s;
      k = 0;
      if (++c == cols)
        c = 0;
    }
}

/* Values go through the scales in blocks this size on the stack. */
#define SCALE_BLOCK 1024

/* Errors of elements @first … @first + @n − 1 of @param (flat, memory order); the Xylo
 * network kind streams its error histograms through it. */
void
_sq_quant_result_errors_range (const SqQuantResult *result,
                               const SqXyloSpec    *spec,
                               SqParam              param,
                               gsize                first,
                               gsize                n,
                               double              *errors)
{
  const double *q = result->spec->param[param].data + first;
  const double *f = spec->param[param].data + first;
  double scales[SCALE_BLOCK];

  for (gsize i = 0; i < n; i += SCALE_BLOCK)
    {
      gsize m = MIN (SCALE_BLOCK, n - i);

      value_scales (result, spec, param, first + i, m, scales);
      for (gsize j = 0; j < m; j++)
        errors[i + j] = weight_error (q[i + j], scales[j], f[i + j]);
    }
}

/* Values @first … @first + @n − 1 of @param added into @out (#SqGroupFigures) and their
 * errors written to @errors, in one pass over the floats and integers: a value is clipped
 * when its float, at its scale, rounds beyond the integer range (in Synquant's mode:
 * Rockpool's leaves it out of range instead). */
void
_sq_quant_result_group_figures (const SqQuantResult *result,
                                const SqXyloSpec    *spec,
                                SqParam              param,
                                gsize                first,
                                gsize                n,
                                SqGroupFigures      *out,
                                double              *errors)
{
  const double *f = spec->param[param].data + first;
  const double *q = result->spec->param[param].data + first;
  gboolean clips = result->mode_used == SQ_MODE_SYNQUANT;
  gboolean dash = sq_param_is_dash (param);
  SqQuantFigures *fig = &out->figures;
  double scales[SCALE_BLOCK], hi, lo;

  if (dash)
    lo = 0.0, hi = SQ_DASH_MAX;
  else
    {
      hi = sq_param_is_weights (param) ? sq_quant_weight_max (&result->params)
                                       : sq_quant_threshold_max (&result->params);
      lo = -hi;
    }
  out->range_lo = lo;
  out->range_hi = hi;
  if (dash && isnan (out->tau_error))
    out->tau_error = 0.0;

  /* Sums in locals: the compiler cannot know that @errors aliases none of them. */
  for (gsize i = 0; i < n; i += SCALE_BLOCK)
    {
      gsize m = MIN (SCALE_BLOCK, n - i);
      gsize nonzero = 0, zeroed = 0, outside = 0, clipped = 0, out_of_range = 0;
      gsize at_lo = 0, at_hi = 0;
      double signal[4] = { 0, }, noise[4] = { 0, }, max_err = fig->max_abs_error;

      /* Branch-free, and four partial sums keep the additions from serialising. */
      value_scales (result, spec, param, first + i, m, scales);
      for (gsize j = 0; j < m; j++)
        {
          double x = f[i + j], v = q[i + j], xs = x * scales[j];
          double e = v / scales[j] - x;
          gsize nz = (gsize) (x < 0.0) | (gsize) (x > 0.0);

          errors[i + j] = e;
          nonzero += nz;
          zeroed += nz & ((gsize) !(v < 0.0) & (gsize) !(v > 0.0));
          outside += (gsize) (xs > hi) | (gsize) (xs < lo);
          out_of_range += (gsize) (v > hi) + (gsize) (v < lo);
          at_lo += !(v > lo);
          at_hi += !(v < hi);
          signal[j & 3] += x * x;
          noise[j & 3] += e * e;
          max_err = fabs (e) > max_err ? fabs (e) : max_err;
        }
      /* Clipped is what rounds beyond the range: rint is a call without SSE4.1, so only for
       * a block with values beyond it. */
      for (gsize j = 0; outside > 0 && j < m; j++)
        {
          double r = rint (f[i + j] * scales[j]);

          clipped += (gsize) (r > hi) + (gsize) (r < lo);
        }
      fig->n_nonzero += nonzero;
      fig->zeroed += zeroed;
      fig->clipped += clips ? clipped : 0;
      fig->out_of_range += out_of_range;
      out->at_lo += at_lo;
      out->at_hi += at_hi;
      fig->signal += (signal[0] + signal[1]) + (signal[2] + signal[3]);
      fig->noise += (noise[0] + noise[1]) + (noise[2] + noise[3]);
      fig->max_abs_error = max_err;

      for (gsize j = 0; dash && j < m; j++)
        {
          double tau = sq_dash_tau_eff (f[i + j]), tau_q = sq_dash_tau_eff (q[i + j]);

          /* A negative float dash has no time constant to miss; one of exactly 0 (cleared
           * every step) is met only by 0. */
          if (tau > 0.0)
            out->tau_error = MAX (out->tau_error, fabs (tau_q / tau - 1.0));
          else if (_sq_is_zero (f[i + j]) && !_sq_is_zero (q[i + j]))
            out->tau_error = INFINITY;
        }
    }
}

/* The figures of a sparse pass as _sq_quant_result_group_figures() adds them in the error
 * pass's parts: each listed value's sums go into the lanes of its block of SCALE_BLOCK
 * values, a block's lanes into its part's figures when the next block opens. The values
 * left out are +0.0 floats quantized to +0.0 with an error of +0.0: they add +0.0 to lanes
 * and sums that are ≥ +0.0 (no change to their bits), 0 to a maximum that is ≥ 0, and
 * their counts are added at once (sparse_figures_counts()). */
typedef struct {
  SqGroupFigures *parts;       /* one per part of part_size values, or NULL */
  gsize           part_size;
  gsize           block;       /* the open block, G_MAXSIZE before the first */
  SqGroupFigures *out;         /* the open block's part */
  double          signal[4];
  double          noise[4];
  double          lo, hi;
  gboolean        clips;
} SparseFigures;

/* Adds the open block's lanes to its part and opens block @block. */
static void
sparse_figures_open (SparseFigures *sf,
                     gsize          block)
{
  if (sf->block != G_MAXSIZE)
    {
      SqQuantFigures *fig = &sf->out->figures;

      fig->signal += (sf->signal[0] + sf->signal[1]) + (sf->signal[2] + sf->signal[3]);
      fig->noise += (sf->noise[0] + sf->noise[1]) + (sf->noise[2] + sf->noise[3]);
      memset (sf->signal, 0, sizeof sf->signal);
      memset (sf->noise, 0, sizeof sf->noise);
    }
  sf->block = block;
  if (block != G_MAXSIZE)
    sf->out = &sf->parts[block * SCALE_BLOCK / sf->part_size];
}

/* The counts of @times values of float @x (@xs at its scale) quantized to @v, into @out by
 * the expressions of _sq_quant_result_group_figures(). */
static inline void
sparse_figures_counts (const SparseFigures *sf,
                       SqGroupFigures      *out,
                       double               x,
                       double               xs,
                       double               v,
                       gsize                times)
{
  gsize nz = (gsize) (x < 0.0) | (gsize) (x > 0.0);

  out->figures.n_nonzero += times * nz;
  out->figures.zeroed += times * (nz & ((gsize) !(v < 0.0) & (gsize) !(v > 0.0)));
  if (sf->clips && (xs > sf->hi || xs < sf->lo))
    {
      double r = rint (xs);

      out->figures.clipped += times * ((gsize) (r > sf->hi) + (gsize) (r < sf->lo));
    }
  out->figures.out_of_range += times * ((gsize) (v > sf->hi) + (gsize) (v < sf->lo));
  out->at_lo += times * !(v > sf->lo);
  out->at_hi += times * !(v < sf->hi);
}

/* Value @at of the matrix: float @x, integer @v, scale @s, error @e. */
static inline void
sparse_figures_add (SparseFigures *sf,
                    gsize          at,
                    double         x,
                    double         v,
                    double         s,
                    double         e)
{
  SqQuantFigures *fig;

  if (G_UNLIKELY (at / SCALE_BLOCK != sf->block))
    sparse_figures_open (sf, at / SCALE_BLOCK);
  fig = &sf->out->figures;
  sparse_figures_counts (sf, sf->out, x, x * s, v, 1);
  sf->signal[at & 3] += x * x;
  sf->noise[at & 3] += e * e;
  fig->max_abs_error = fabs (e) > fig->max_abs_error ? fabs (e) : fig->max_abs_error;
}

/**
 * _sq_quant_result_sparse_errors:
 * @spec: the float specification @result was made from
 * @sp: the sparse form of @param in @spec
 * @block: the values of a call to _sq_quant_result_group_figures() in the dense pass
 * @part: the values of each of @part_figures, a multiple of @block
 * @part_figures: (nullable): initialised; the figures of each part are added
 * @hist: (inout) (nullable): initialised; the errors are added
 * @stats: (inout): the errors are added
 *
 * The errors of weight matrix @param, as _sq_quant_result_errors_range() gives them, added to
 * @hist and @stats with the unlisted values' errors counted without being computed: a +0.0
 * weight quantized under a positive scale is +0.0, and +0/s − +0 is +0.0. No error is ever
 * −0.0 under positive scales (q/s − f is +0.0 when they are equal), so the counts and
 * extremes are those of the full pass, bit for bit. With @part_figures, the figures
 * _sq_quant_result_group_figures() adds over blocks of @block values, part by part, with
 * the same bits (see SparseFigures).
 *
 * Returns: %FALSE, touching nothing, when a scale is not positive or the blocks do not
 *   fall on its own
 */
gboolean
_sq_quant_result_sparse_errors (const SqQuantResult *result,
                                const SqXyloSpec    *spec,
                                SqParam              param,
                                const SqQuantSparse *sp,
                                gsize                block,
                                gsize                part,
                                SqGroupFigures      *part_figures,
                                SqHistogram         *hist,
                                SqStats             *stats)
{
  SqLayer layer = sq_param_is_output (param) ? SQ_LAYER_OUTPUT : SQ_LAYER_HIDDEN;
  gboolean channel = result->params.method == SQ_METHOD_CHANNEL;
  const double *q = result->spec->param[param].data;
  const double *f = spec->param[param].data;
  const SqGroupReport *groups = &g_array_index (result->groups, SqGroupReport,
                                                channel && layer == SQ_LAYER_OUTPUT
                                                ? result->spec->n_hidden : 0);
  double s = neuron_scale (result, layer, 0), errs[2048];
  double hi = sq_quant_weight_max (&result->params);
  SparseFigures sf = { part_figures, part, G_MAXSIZE, NULL, { 0, }, { 0, }, -hi, hi,
                       result->mode_used == SQ_MODE_SYNQUANT };
  gsize n = 0, zeros, row_start = 0;
  guint bin = 0;

  if (!sq_param_is_weights (param))
    return FALSE;
  if (part_figures != NULL && (block == 0 || block % SCALE_BLOCK != 0 || part % block != 0))
    return FALSE;
  if (!channel && param == SQ_PARAM_WEIGHTS_REC)
    s *= result->rec_scale_factor;
  if (!channel && !(s > 0.0))
    return FALSE;
  for (gsize c = 0; channel && c < sp->cols; c++)
    if (!(groups[c].scale > 0.0))
      return FALSE;
  if (hist != NULL && !sq_histogram_find_bin (hist, 0.0, &bin))
    return FALSE;

  for (gsize i = 0; i < sp->n_pairs; i++)
    {
      gsize pair = sp->pairs[i];
      double sc;

      if (i + SQ_QUANT_PREFETCH < sp->n_pairs)
        {
          __builtin_prefetch (f + (gsize) sp->pairs[i + SQ_QUANT_PREFETCH] * sp->syn);
          __builtin_prefetch (q + (gsize) sp->pairs[i + SQ_QUANT_PREFETCH] * sp->syn);
        }
      /* The pairs come in memory order: the column without a division. */
      while (pair >= row_start + sp->cols)
        row_start += sp->cols;
      sc = channel ? groups[pair - row_start].scale : s;

      for (gsize k = 0, at = pair * sp->syn; k < sp->syn; k++, at++)
        {
          double e = q[at] / sc - f[at];

          errs[n++] = e;
          if (part_figures != NULL)
            sparse_figures_add (&sf, at, f[at], q[at], sc, e);
        }
      if (n + sp->syn > G_N_ELEMENTS (errs))
        {
          sq_stats_add (stats, errs, n);
          if (hist != NULL)
            sq_histogram_add (hist, errs, n);
          n = 0;
        }
    }
  sq_stats_add (stats, errs, n);
  if (hist != NULL)
    sq_histogram_add (hist, errs, n);

  /* The unlisted values: n errors of +0.0, as sq_stats_add() would merge them. */
  zeros = sp->rows * sp->cols * sp->syn - sp->n_pairs * sp->syn;
  if (part_figures != NULL)
    {
      gsize n_parts = (sp->rows * sp->cols * sp->syn + part - 1) / part;

      sparse_figures_open (&sf, G_MAXSIZE);
      for (gsize p = 0; p < MAX (n_parts, 1); p++)
        {
          part_figures[p].range_lo = -hi;
          part_figures[p].range_hi = hi;
        }
      sparse_figures_counts (&sf, &part_figures[0], 0.0, 0.0, 0.0, zeros);
    }
  if (zeros > 0)
    {
      stats->n += zeros;
      stats->min = 0.0 < stats->min ? 0.0 : stats->min;
      stats->max = 0.0 > stats->max ? 0.0 : stats->max;
      stats->max_abs = MAX (stats->max_abs, MAX (fabs (stats->min), fabs (stats->max)));
      if (hist != NULL)
        {
          hist->counts[bin] += zeros;
          hist->n += zeros;
        }
    }
  return TRUE;
}
