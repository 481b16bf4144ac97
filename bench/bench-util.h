/* bench-util.h: what every benchmark measures with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include <synquant.h>

double   bench_now_ms  (void);
double   bench_cpu_ms  (void);
double   bench_median  (double     *v,
                        int         n);
gboolean bench_report  (const char *name,
                        double      ms,
                        double      target_ms);
guint32  bench_rand    (guint64    *state,
                        guint32     n);
/* @n_samples Poisson samples of @n_steps steps on @n_channels channels at 5 % per step,
 * sample s seeded with s, as a sample set. */
SqSampleSet *bench_poisson_set (gsize n_samples,
                                gsize n_steps,
                                gsize n_channels);
