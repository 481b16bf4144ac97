/* sq-test-samples.h: a tiny network whose class per sample is known, and sample sets for it
 * (test-evaluate.c, test-cli-evaluate.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

G_BEGIN_DECLS

/* Steps of each sample of sq_test_four_samples(). */
#define SQ_TEST_SAMPLE_STEPS 40

/* Two inputs, two hidden and two output neurons, channel c → hidden c → output c and nothing
 * across, thresholds 2; the output weight of path 1 is @w_out1 (path 0's is 10.5). */
char    *sq_test_tiny_json      (const char   *w_out1) G_GNUC_WARN_UNUSED_RESULT;
/* 4 × 40 × 2 uint8 counts: channel 0 only (steps 0 and 3), channel 1 only (step 2), silence,
 * and one event on each channel, channel 1 first (steps 1 and 4). */
guint8  *sq_test_four_samples   (void) G_GNUC_WARN_UNUSED_RESULT;
/* An .npz of x (@n, 40, 2) uint8 and, when @y is given, y (@ny,) int64. */
GBytes  *sq_test_samples_npz    (const guint8 *x,
                                 gsize         n,
                                 const gint64 *y,
                                 gsize         ny) G_GNUC_WARN_UNUSED_RESULT;
/* sq_evaluate() of @network quantized with its kind's defaults and @weight_bits (0: the
 * default width) on @set; asserts that both succeed. */
SqEvaluation *sq_test_evaluate  (SqNetwork         *network,
                                 const SqSampleSet *set,
                                 int                weight_bits) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
