/* bench-fxp.c: the performance target of the fixed-point integer core (issue 19)
 *
 * A 3-layer LIF MLP, 256 → 256 → 256 → 256 (τ 4 steps, decay_input, θ 1, soft reset), int16
 * with int32 accumulators, weights uniform in [−0.05, 0.15] from a fixed seed, 1000 steps of
 * input where 10 % of the inputs spike. Qualia's automatic formats make a spike 1 in Q1.14
 * and the sums wrap (the first line says how often); the timed run takes the spikes in Q15.0,
 * as the overflow advice proposes, so every layer is active. Target: ≤ 50 ms on one core (the
 * core is single-threaded); median of 5 runs, ratio ≤ 1 meets it. The quantization (with
 * the same raster as calibration) is not timed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include <synquant.h>

#include "bench-util.h"

#define STEPS 1000
#define WIDTH 256
#define RUNS  5

static guint64 rng_state = 0xF1CED0u;

int
main (void)
{
  const gsize in = WIDTH;
  g_autoptr(SqFxpNet) net = sq_fxp_net_new ("bench", 1, &in, 3);
  g_autoptr(SqFxpQNet) q = NULL;
  const gsize is[2] = { STEPS, WIDTH }, ws[2] = { WIDTH, WIDTH };
  SqTensor input = { 0, };
  SqFxpSettings s;
  double t[RUNS], ms;
  guint64 spikes[3] = { 0, }, events[3] = { 0, };
  gboolean ok;

  for (guint i = 0; i < 3; i++)
    {
      SqFxpLayer *l = &net->layers[i];

      g_assert_true (sq_tensor_init (&l->weight, 2, ws, NULL));
      for (gsize k = 0; k < l->weight.n; k++)
        l->weight.data[k] = (double) bench_rand (&rng_state, 2001) / 10000.0 - 0.05;
      l->neuron = (SqFxpNeuron) { .type = SQ_FXP_NEURON_LIF, .tau = 4, .decay_input = TRUE,
                                  .v_threshold = 1, .soft_reset = TRUE };
    }
  g_assert_true (sq_fxp_net_validate (net, NULL));
  g_assert_true (sq_tensor_init (&input, 2, is, NULL));
  for (gsize i = 0; i < input.n; i++)
    input.data[i] = bench_rand (&rng_state, 100) < 10 ? 1.0 : 0.0;
  sq_fxp_settings_init (&s);
  s.bits = 16;
  s.long_bits = 32;
  q = sq_fxp_quantize (net, &s, &input, NULL);
  g_assert_nonnull (q);
  {
    SqFxpRun run;
    guint64 wraps = 0;

    g_assert_true (sq_fxp_run_int (q, &input, NULL, &run, NULL));
    for (guint i = 0; i < 3; i++)
      wraps += sq_fxp_run_overflows (&run, i);
    printf ("automatic formats: %" PRIu64 " wraps and saturations, %" PRIu64 " output spikes\n",
            wraps, run.spikes[2]);
    sq_fxp_run_clear (&run);
  }
  g_clear_pointer (&q, sq_fxp_qnet_free);
  sq_fxp_settings_set_layer_count (&s, 3);
  s.layers[0].force_n[SQ_FXP_INPUT] = 0;
  for (guint i = 0; i < 3; i++)
    s.layers[i].force_n[SQ_FXP_OUTPUT] = 0;
  q = sq_fxp_quantize (net, &s, &input, NULL);
  g_assert_nonnull (q);

  for (int r = 0; r < RUNS; r++)
    {
      SqFxpRun run;
      double start = bench_now_ms ();

      g_assert_true (sq_fxp_run_int (q, &input, NULL, &run, NULL));
      t[r] = bench_now_ms () - start;
      for (guint i = 0; i < 3; i++)
        {
          spikes[i] = run.spikes[i];
          events[i] = sq_fxp_run_overflows (&run, i);
        }
      sq_fxp_run_clear (&run);
    }
  ms = bench_median (t, RUNS);
  printf ("network: %d → %d → %d → %d LIF, int16 / int32, %d steps, 10 %% input density, "
          "1 core\n", WIDTH, WIDTH, WIDTH, WIDTH, STEPS);
  printf ("activity: %" PRIu64 ", %" PRIu64 ", %" PRIu64 " spikes per layer; %" PRIu64 ", %"
          PRIu64 ", %" PRIu64 " wraps and saturations\n", spikes[0], spikes[1], spikes[2],
          events[0], events[1], events[2]);
  ok = bench_report ("simulate 1000 steps", ms, 50.0);
  sq_fxp_settings_clear (&s);
  sq_tensor_clear (&input);
  return ok ? 0 : 1;
}
