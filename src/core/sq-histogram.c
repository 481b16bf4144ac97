/* sq-histogram.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

/**
 * sq_histogram_init:
 * @lo: left edge; @hi: right edge, both finite. A single value (@lo equal to @hi) gets a
 *   range one unit wide around it, so all-equal weights still show as one bar.
 * @n_bins: 1 to %SQ_HISTOGRAM_MAX_BINS
 */
gboolean
sq_histogram_init (SqHistogram  *hist,
                   double        lo,
                   double        hi,
                   guint         n_bins,
                   GError      **error)
{
  memset (hist, 0, sizeof *hist);

  if (!isfinite (lo) || !isfinite (hi) || lo > hi)
    {
      g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_INVALID,
                   _("histogram range [%g, %g] is not a finite interval"), lo, hi);
      return FALSE;
    }
  if (n_bins == 0 || n_bins > SQ_HISTOGRAM_MAX_BINS)
    {
      g_set_error (error, SQ_TENSOR_ERROR,
                   n_bins ? SQ_TENSOR_ERROR_TOO_LARGE : SQ_TENSOR_ERROR_INVALID,
                   _("a histogram needs 1 to %u bins, not %u"), SQ_HISTOGRAM_MAX_BINS, n_bins);
      return FALSE;
    }
  if (!(lo < hi))
    {
      lo -= 0.5;
      hi += 0.5;
    }
  if (!isfinite (hi - lo))
    {
      g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                   _("histogram range [%g, %g] is too wide"), lo, hi);
      return FALSE;
    }

  hist->lo = lo;
  hist->hi = hi;
  hist->n_bins = n_bins;
  hist->counts = g_new0 (guint64, n_bins);
  hist->edges = g_new (double, n_bins + 1);
  for (guint b = 0; b < n_bins; b++)
    hist->edges[b] = lo + (hi - lo) * ((double) b / n_bins);
  hist->edges[n_bins] = hi;
  return TRUE;
}

void
sq_histogram_clear (SqHistogram *hist)
{
  g_clear_pointer (&hist->counts, g_free);
  g_clear_pointer (&hist->edges, g_free);
  memset (hist, 0, sizeof *hist);
}

/* Empties the bins, keeping the range. */
void
sq_histogram_reset (SqHistogram *hist)
{
  memset (hist->counts, 0, hist->n_bins * sizeof (guint64));
  hist->n = hist->below = hist->above = 0;
}

double
sq_histogram_bin_width (const SqHistogram *hist)
{
  return (hist->hi - hist->lo) / hist->n_bins;
}



static inline double
edge (const SqHistogram *hist,
      guint              bin)
{
  return hist->edges[bin];
}

double
sq_histogram_bin_start (const SqHistogram *hist,
                        guint              bin)
{
  return edge (hist, bin);
}

/* The bin of @value, agreeing exactly with sq_histogram_bin_start(): the scaled position can
 * be one ulp off at an edge, so it is checked against the edges it falls between. */
static inline gboolean
bin_of (const SqHistogram *hist,
        double             factor,
        double             value,
        guint             *bin)
{
  double pos = (value - hist->lo) * factor;
  guint b;

  if (!(value >= hist->lo) || !(value <= hist->hi))
    return FALSE;
  b = pos < hist->n_bins ? (guint) pos : hist->n_bins - 1;
  if (b > 0 && value < edge (hist, b))
    b--;
  else if (b + 1 < hist->n_bins && value >= edge (hist, b + 1))
    b++;
  *bin = b;
  return TRUE;
}

/* The bin holding @value, if it lies within the range. */
gboolean
sq_histogram_find_bin (const SqHistogram *hist,
                       double             value,
                       guint             *bin)
{
  return bin_of (hist, hist->n_bins / (hist->hi - hist->lo), value, bin);
}

/**
 * sq_histogram_add:
 *
 * Counts @n values in one pass. NaN counts as neither inside nor outside the range.
 */
void
sq_histogram_add (SqHistogram  *hist,
                  const double *values,
                  gsize         n)
{
  double factor = hist->n_bins / (hist->hi - hist->lo);
  guint64 *counts = hist->counts;
  guint64 below = 0, above = 0;

  for (gsize i = 0; i < n; i++)
    {
      double v = values[i];
      guint bin;

      if (bin_of (hist, factor, v, &bin))
        counts[bin]++;
      else if (v < hist->lo)
        below++;
      else if (v > hist->hi)
        above++;
    }

  hist->n += n;
  hist->below += below;
  hist->above += above;
}

/* Counts every value of the given parameters that the specification has. */
void
sq_histogram_add_params (SqHistogram      *hist,
                         const SqXyloSpec *spec,
                         const SqParam    *params,
                         guint             n_params)
{
  for (guint i = 0; i < n_params; i++)
    {
      const SqTensor *t = &spec->param[params[i]];

      if (sq_tensor_is_present (t))
        sq_histogram_add (hist, t->data, t->n);
    }
}

/* Makes @dest a copy of @src (initialised; clear it with sq_histogram_clear()). */
gboolean
sq_histogram_copy (SqHistogram       *dest,
                   const SqHistogram *src,
                   GError           **error)
{
  if (!sq_histogram_init (dest, src->lo, src->hi, src->n_bins, error))
    return FALSE;
  memcpy (dest->counts, src->counts, src->n_bins * sizeof *src->counts);
  dest->n = src->n;
  dest->below = src->below;
  dest->above = src->above;
  return TRUE;
}

guint64
sq_histogram_max_count (const SqHistogram *hist)
{
  guint64 m = 0;

  for (guint i = 0; i < hist->n_bins; i++)
    m = MAX (m, hist->counts[i]);
  return m;
}

/* Statistics over a group of parameters, for instance both hidden weight matrices. */
void
sq_params_stats (const SqXyloSpec *spec,
                 const SqParam    *params,
                 guint             n_params,
                 SqStats          *stats)
{
  sq_stats_init (stats);
  for (guint i = 0; i < n_params; i++)
    {
      const SqTensor *t = &spec->param[params[i]];

      if (sq_tensor_is_present (t))
        sq_stats_add (stats, t->data, t->n);
    }
}

/**
 * sq_layer_weight_params:
 * @params: (out caller-allocates) (array fixed-size=2): receives the parameters
 *
 * The weight matrices scaled together with a layer: weights_in and weights_rec for the
 * hidden layer, weights_out for the output layer.
 *
 * Returns: how many
 */
guint
sq_layer_weight_params (SqLayer  layer,
                        SqParam *params)
{
  if (layer == SQ_LAYER_OUTPUT)
    {
      params[0] = SQ_PARAM_WEIGHTS_OUT;
      return 1;
    }
  params[0] = SQ_PARAM_WEIGHTS_IN;
  params[1] = SQ_PARAM_WEIGHTS_REC;
  return 2;
}

/**
 * sq_quant_levels:
 * @scale: the weight scale; level k lies at k / @scale
 * @bits: signed integer bits, levels k = −(2^(bits−1)−1) … 2^(bits−1)−1
 * @levels: (out caller-allocates) (array length=max_levels) (nullable): receives the levels
 *   within [@lo, @hi] in ascending order
 *
 * Returns: the number of levels within [@lo, @hi], which may exceed @max_levels (only the
 *   first @max_levels are written)
 */
gsize
sq_quant_levels (double  scale,
                 guint   bits,
                 double  lo,
                 double  hi,
                 double *levels,
                 gsize   max_levels)
{
  double s = fabs (scale), kmax, k0, k1;

  if (!(s > 0.0) || !isfinite (s) || !(lo <= hi) || bits < 2 || bits > 53)
    return 0;

  /* lo·s and hi·s are rounded products: the clip point 127/s times s can come out as
   * 126.99999999999999. Each bound is settled on the level itself, k / s, as drawn. */
  kmax = ldexp (1.0, (int) bits - 1) - 1.0;
  k0 = ceil (lo * s);
  if ((k0 - 1.0) / s >= lo)
    k0 -= 1.0;
  else if (k0 / s < lo)
    k0 += 1.0;
  k1 = floor (hi * s);
  if ((k1 + 1.0) / s <= hi)
    k1 += 1.0;
  else if (k1 / s > hi)
    k1 -= 1.0;
  k0 = MAX (k0, -kmax);
  k1 = MIN (k1, kmax);
  if (!(k0 <= k1))
    return 0;

  /* Only the levels asked for are visited: 16-bit weights have 65535 levels. */
  for (gsize i = 0; levels && i < max_levels && k0 + (double) i <= k1; i++)
    levels[i] = (k0 + (double) i) / s;
  return (gsize) (k1 - k0) + 1;
}

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
  const SqTensor *w = &spec->param[param];
  const double *q = result->spec->param[param].data + first;
  const double *f = w->data + first;
  SqLayer layer = sq_param_is_output (param) ? SQ_LAYER_OUTPUT : SQ_LAYER_HIDDEN;
  gsize cols, syn, c, k;

  if (sq_param_is_dash (param))
    {
      for (gsize i = 0; i < n; i++)
        errors[i] = q[i] - f[i];
      return;
    }

  if (!sq_param_is_weights (param))
    {
      for (gsize i = 0; i < n; i++)
        errors[i] = q[i] / neuron_scale (result, layer, first + i) - f[i];
      return;
    }

  if (result->params.method != SQ_METHOD_CHANNEL)
    {
      double s = neuron_scale (result, layer, 0);

      if (param == SQ_PARAM_WEIGHTS_REC)
        s *= result->rec_scale_factor;
      for (gsize i = 0; i < n; i++)
        errors[i] = q[i] / s - f[i];
      return;
    }

  /* Channel scaling: the target neuron is the column; walk (column, synapse) along. */
  cols = w->shape[1];
  syn = w->rank == 3 ? w->shape[2] : 1;
  c = (first / syn) % cols;
  k = first % syn;
  for (gsize i = 0; i < n; )
    {
      double s = neuron_scale (result, layer, c);

      for (; k < syn && i < n; k++, i++)
        errors[i] = q[i] / s - f[i];
      k = 0;
      if (++c == cols)
        c = 0;
    }
}

/**
 * sq_quant_result_errors:
 * @spec: the float specification @result was made from
 * @param: any parameter @spec has
 * @errors: (out caller-allocates): one value per element of @param
 *
 * The quantization error of every value, dequantized minus float. Weights are dequantized
 * with the scale of their group (the layer, or the target neuron under channel scaling;
 * weights_rec with its own factor where Rockpool's defect b rescaled it). Thresholds and
 * biases are dequantized with their neuron's weight scale: what the integer network computes
 * relative to its weights, so a bias Rockpool scaled differently shows as error. Dashes are
 * compared as they are: integer dash minus float dash.
 *
 * Returns: %FALSE when @spec lacks @param
 */
gboolean
sq_quant_result_errors (const SqQuantResult *result,
                        const SqXyloSpec    *spec,
                        SqParam              param,
                        double              *errors)
{
  const SqTensor *w = &spec->param[param];

  g_return_val_if_fail (result->spec->param[param].n == w->n, FALSE);
  if (!sq_tensor_is_present (w))
    return FALSE;
  _sq_quant_result_errors_range (result, spec, param, 0, w->n, errors);
  return TRUE;
}

/* Errors are made in blocks this size on the stack: the histogram of 2 M errors needs no
 * 16 MB buffer, and no page faults. */
#define ERROR_BLOCK 2048

/**
 * sq_quant_result_error_histogram:
 * @n_bins: bins of @hist, at least 1
 * @hist: (out caller-allocates): initialised here over [−E, E], E the largest |error| (for
 *   weights, the layer's reported max error, a hair wider; a tiny range around 0 when every
 *   error is 0); clear it with sq_histogram_clear()
 * @stats: (out caller-allocates) (optional): the statistics of the errors
 *
 * The histogram of sq_quant_result_errors(), made without storing the errors. For weights the
 * range comes from the quantization's report, so the errors are made in one pass.
 */
gboolean
sq_quant_result_error_histogram (const SqQuantResult *result,
                                 const SqXyloSpec    *spec,
                                 SqParam              param,
                                 guint                n_bins,
                                 SqHistogram         *hist,
                                 SqStats             *stats,
                                 GError             **error)
{
  const SqTensor *w = &spec->param[param];
  double block[ERROR_BLOCK], e;
  SqStats st;

  memset (hist, 0, sizeof *hist);
  g_return_val_if_fail (result->spec->param[param].n == w->n, FALSE);
  if (!sq_tensor_is_present (w))
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                   _("The specification has no %s"), sq_param_name (param));
      return FALSE;
    }

  sq_stats_init (&st);
  if (sq_param_is_weights (param))
    /* The report divides the integer error by the scale, the errors here are q/s − w: they
     * may differ in the last bit, so the range gets a little room. */
    e = result->layer[sq_param_is_output (param) ? SQ_LAYER_OUTPUT
                                                 : SQ_LAYER_HIDDEN].max_abs_error * (1.0 + 1e-9);
  else
    {
      for (gsize i = 0; i < w->n; i += ERROR_BLOCK)
        {
          gsize n = MIN (ERROR_BLOCK, w->n - i);

          _sq_quant_result_errors_range (result, spec, param, i, n, block);
          sq_stats_add (&st, block, n);
        }
      e = st.max_abs;
    }

  if (!(e > 0.0) || !isfinite (e))
    e = 1e-12;
  if (!sq_histogram_init (hist, -e, e, n_bins, error))
    return FALSE;
  sq_stats_init (&st);
  for (gsize i = 0; i < w->n; i += ERROR_BLOCK)
    {
      gsize n = MIN (ERROR_BLOCK, w->n - i);

      _sq_quant_result_errors_range (result, spec, param, i, n, block);
      sq_stats_add (&st, block, n);
      sq_histogram_add (hist, block, n);
    }
  if (stats)
    *stats = st;
  return TRUE;
}
