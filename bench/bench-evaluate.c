/* bench-evaluate.c: batch evaluation and sweeps on the Xylo-size example (issue 18)
 *
 * - a batch of 100 samples × 1000 steps (Poisson, 0.05 events per channel and step, fixed
 *   seeds): the float model and the integer core over every sample (sq_evaluate), on one
 *   thread and on every core; target: every core ≥ 1.8× faster than one (on 2 cores);
 * - a sweep of 7 weight widths × 3 methods (global, channel, global with the fuzzy range) on
 *   the 2.04 M weights without samples: every quantization with its per-group figures and
 *   its device check; target ≤ 0.3 s.
 *
 * Each figure is a median (3 runs of the batch, 5 of the sweep); ratio ≤ 1 meets the target.
 * The exit status is 1 when a target is missed. A second argument, sweep or batch, runs that
 * part alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <synquant.h>

#include "bench-util.h"
#include "sq-parallel-private.h"

#define N_SAMPLES 100
#define N_STEPS   1000
#define BATCH_RUNS 3
#define SWEEP_RUNS 5

static double
time_batch (SqNetworkResult   *result,
            const SqSampleSet *set,
            guint              threads)
{
  double t[BATCH_RUNS];

  _sq_parallel_set_threads (threads);
  for (int i = 0; i < BATCH_RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      double t0 = bench_now_ms ();
      g_autoptr(SqEvaluation) e = sq_evaluate (result, NULL, set, NULL, NULL, NULL, NULL,
                                               &error);

      t[i] = bench_now_ms () - t0;
      g_assert_no_error (error);
    }
  _sq_parallel_set_threads (0);
  return bench_median (t, BATCH_RUNS);
}

static void
sweep_once (SqNetwork  *network,
            const char *methods,
            const char *fuzzy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSweep) sweep = NULL;
  SqQuantSettings base;

  sq_quant_settings_init (&base, network->kind);
  sweep = sq_sweep_new (network, &base);
  g_assert_true (sq_sweep_add_axis (sweep, "weight-bits", "2-8", &error));
  g_assert_true (sq_sweep_add_axis (sweep, "method", methods, &error));
  g_assert_true (sq_sweep_add_axis (sweep, "fuzzy", fuzzy, &error));
  g_assert_true (sq_sweep_run (sweep, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) result = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  SqQuantSettings settings;
  double one, all, sweep[SWEEP_RUNS];
  gboolean ok = TRUE;
  guint threads = _sq_parallel_n_threads ();

  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "usage: %s XYLO-SIZE-NETWORK [sweep|batch]\n", argv[0]);
      return 2;
    }
  network = sq_network_load (argv[1], NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  printf ("%s: %zu inputs, %zu hidden, %zu outputs; %u threads\n", argv[1],
          network->n_inputs, network->n_hidden, network->n_outputs, threads);

  /* The sweep first: the quantization cache is made by the first quantization, as it is
   * when the window or the CLI sweeps. */
  if (argc == 3 && g_str_equal (argv[2], "batch"))
    goto batch;
  sweep_once (network, "global", "false");
  for (int i = 0; i < SWEEP_RUNS; i++)
    {
      double t0 = bench_now_ms ();

      sweep_once (network, "global,channel", "false");
      sweep_once (network, "global", "true");
      sweep[i] = bench_now_ms () - t0;
    }
  ok &= bench_report ("sweep: 7 widths × 3 methods, 2.04 M weights", bench_median (sweep,
                                                                                   SWEEP_RUNS),
                      300.0);
  if (argc == 3)
    return ok ? 0 : 1;

batch:
  set = bench_poisson_set (N_SAMPLES, N_STEPS, network->n_inputs);
  sq_quant_settings_init (&settings, network->kind);
  result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  one = time_batch (result, set, 1);
  all = time_batch (result, set, 0);
  printf ("%-52s %9.2f ms\n", "batch: 100 × 1000 steps, both models, 1 thread", one);
  /* The target: every core at least 1.8× one (with 2 cores; 0.9× the core count). */
  ok &= bench_report ("batch: 100 × 1000 steps, both models, every core", all,
                      one / (0.9 * (double) threads));
  printf ("batch speed-up on %u threads: %.2f×\n", threads, one / all);
  return ok ? 0 : 1;
}
