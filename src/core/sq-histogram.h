/* sq-histogram.h: histograms and quantization levels for the plots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define SQ_HISTOGRAM_MAX_BINS (1u << 20)

/**
 * SqHistogram:
 * @lo: left edge of the first bin
 * @hi: right edge of the last bin; a value equal to @hi counts in the last bin
 * @n_bins: number of equal-width bins
 * @counts: (array length=n_bins): values per bin
 * @edges: (array length=n_bins+1): the bin edges; bin b holds edges[b] ≤ v < edges[b+1]
 *   (the last bin also holds @hi)
 * @n: values added, including those outside the range
 * @below: values below @lo
 * @above: values above @hi
 * @zeros: exact zeros left out of the bins (and of @n) by sq_histogram_init_nonzero(); 0
 *   otherwise
 * @data_min: @data_max: the smallest and largest finite value counted in the bins, as
 *   sq_histogram_init_nonzero() found them (the range may be wider: a single value gets one
 *   unit around it); NaN from sq_histogram_init() and when there is none
 */
typedef struct {
  double   lo;
  double   hi;
  guint    n_bins;
  guint64 *counts;
  double  *edges;
  guint64  n;
  guint64  below;
  guint64  above;
  guint64  zeros;
  double   data_min;
  double   data_max;
} SqHistogram;

gboolean  sq_histogram_init         (SqHistogram      *hist,
                                     double            lo,
                                     double            hi,
                                     guint             n_bins,
                                     GError          **error);
gboolean  sq_histogram_init_nonzero (SqHistogram      *hist,
                                     const double     *values,
                                     gsize             n,
                                     guint             n_bins,
                                     GError          **error);
void      sq_histogram_clear        (SqHistogram      *hist);
gboolean  sq_histogram_copy         (SqHistogram       *dest,
                                     const SqHistogram *src,
                                     GError           **error);
void      sq_histogram_reset        (SqHistogram      *hist);
void      sq_histogram_add          (SqHistogram      *hist,
                                     const double     *values,
                                     gsize             n);
double    sq_histogram_bin_width    (const SqHistogram *hist);
gboolean  sq_histogram_find_bin     (const SqHistogram *hist,
                                     double             value,
                                     guint             *bin);
guint64   sq_histogram_max_count    (const SqHistogram *hist);

gsize     sq_quant_levels           (double            scale,
                                     guint             bits,
                                     double            lo,
                                     double            hi,
                                     double           *levels,
                                     gsize             max_levels);

G_END_DECLS
