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
  hist->data_min = hist->data_max = NAN;
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
  hist->n = hist->below = hist->above = hist->zeros = 0;
}

double
sq_histogram_bin_width (const SqHistogram *hist)
{
  return (hist->hi - hist->lo) / hist->n_bins;
}

/* The bin of @value, agreeing exactly with the edges: the scaled position can be one ulp off
 * at an edge, so it is checked against the edges it falls between. */
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
  if (b > 0 && value < hist->edges[b])
    b--;
  else if (b + 1 < hist->n_bins && value >= hist->edges[b + 1])
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

/* _sq_is_zero() is true for NaN, which is not a zero to leave out. */
static inline gboolean
exact_zero (double v)
{
  return !isnan (v) && _sq_is_zero (v);
}

/**
 * sq_histogram_init_nonzero:
 * @values: (array length=n): the values, such as a sparse weight matrix
 * @n_bins: 1 to %SQ_HISTOGRAM_MAX_BINS
 *
 * The histogram of the non-zero values of @values over their own range, the exact zeros
 * counted apart in @zeros: a sparse matrix whose structural zeros would otherwise be one bar
 * dwarfing everything shows the distribution of its weights. When every value is zero (or
 * there are none) there is nothing else to show, and the zeros go into the bins as
 * sq_histogram_add() puts them. NaN and infinities are left out of the range and counted as
 * sq_histogram_add() counts them.
 */
gboolean
sq_histogram_init_nonzero (SqHistogram   *hist,
                           const double  *values,
                           gsize          n,
                           guint          n_bins,
                           GError       **error)
{
  double lo = INFINITY, hi = -INFINITY;
  gsize zeros = 0;

  g_return_val_if_fail (values != NULL || n == 0, FALSE);

  for (gsize i = 0; i < n; i++)
    {
      double v = values[i];

      if (exact_zero (v))
        zeros++;
      else if (isfinite (v))
        {
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  if (!(lo <= hi))
    {
      if (!sq_histogram_init (hist, 0.0, 0.0, n_bins, error))
        return FALSE;
      sq_histogram_add (hist, values, n);
      if (zeros > 0)
        hist->data_min = hist->data_max = 0.0;
      return TRUE;
    }
  if (!sq_histogram_init (hist, lo, hi, n_bins, error))
    return FALSE;
  hist->data_min = lo;
  hist->data_max = hi;
  if (zeros == 0)
    {
      sq_histogram_add (hist, values, n);
      return TRUE;
    }

  /* In blocks, so the zeros are skipped without a second copy of the values. */
  {
    double block[256];
    gsize k = 0;

    for (gsize i = 0; i < n; i++)
      {
        if (exact_zero (values[i]))
          continue;
        block[k++] = values[i];
        if (k == G_N_ELEMENTS (block))
          {
            sq_histogram_add (hist, block, k);
            k = 0;
          }
      }
    sq_histogram_add (hist, block, k);
  }
  hist->zeros = zeros;
  return TRUE;
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
  dest->zeros = src->zeros;
  dest->data_min = src->data_min;
  dest->data_max = src->data_max;
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
