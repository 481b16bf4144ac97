/* bench-util.h: what every benchmark measures with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

double   bench_now_ms  (void);
double   bench_median  (double     *v,
                        int         n);
gboolean bench_report  (const char *name,
                        double      ms,
                        double      target_ms);
guint32  bench_rand    (guint64    *state,
                        guint32     n);
