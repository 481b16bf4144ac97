/* bench-util.c: what every benchmark measures with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-util.h"

double
bench_now_ms (void)
{
  return (double) g_get_monotonic_time () / 1e3;
}

/* The processor time of every thread of the process: on a machine others load too, the
 * wall time measures them as much as us; this is what the run itself took. */
double
bench_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The median of @v (sorted in place): robust against the odd run a busy machine slows. */
double
bench_median (double *v,
              int     n)
{
  qsort (v, (size_t) n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* One line per figure: measured, target, ratio (≤ 1 meets the target). */
gboolean
bench_report (const char *name,
              double      ms,
              double      target_ms)
{
  double ratio = ms / target_ms;

  printf ("%-52s %9.2f ms   target ≤ %7.1f ms   ratio %.2f  %s\n", name, ms, target_ms,
          ratio, ratio <= 1.0 ? "ok" : "MISSED");
  return ratio <= 1.0;
}

/* A fixed-seed xorshift64 draw in [0, n): the benchmarks build the same networks on every
 * machine without depending on GLib's generator. */
guint32
bench_rand (guint64 *state,
            guint32  n)
{
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return (guint32) ((*state >> 11) % n);
}

SqSampleSet *
bench_poisson_set (gsize n_samples,
                   gsize n_steps,
                   gsize n_channels)
{
  gsize shape[3] = { n_samples, n_steps, n_channels }, len;
  g_autofree guint8 *x = g_new (guint8, n_samples * n_steps * n_channels);
  g_autofree double *rates = g_new (double, n_channels);
  g_autofree guint8 *npy = NULL;
  g_autoptr(GError) error = NULL;
  SqSampleSet *set;

  for (gsize c = 0; c < n_channels; c++)
    rates[c] = 0.05;
  for (gsize s = 0; s < n_samples; s++)
    {
      SqRaster r;

      g_assert_true (sq_raster_poisson (&r, n_steps, n_channels, rates, s, NULL));
      memcpy (x + s * n_steps * n_channels, r.counts, n_steps * n_channels);
      sq_raster_clear (&r);
    }
  npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);
  set = sq_sample_set_load_data (npy, len, "bench.npy", n_channels, &error);
  g_assert_no_error (error);
  return set;
}
