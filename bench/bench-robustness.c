/* bench-robustness.c: Monte-Carlo robustness on the Xylo-size example (issue 20)
 *
 * 100 draws of a stochastic configuration (stochastic rounding of every weight to 16 levels,
 * dropout of 10 % of the recurrent weights, rounded dashes) × 20 Poisson samples × 1000 steps
 * (0.05 events per channel and step, fixed seeds), every draw burnt in and run over every
 * sample against the float model (sq_robustness_run), on every core: as float models, and
 * quantized with the default settings on the integer core. Target: ≤ 10 s each on 2 cores.
 *
 * Each figure is the median of 3 runs; ratio ≤ 1 meets the target. The exit status is 1 when
 * a target is missed. The processor time of all threads is printed beside the wall time:
 * on a machine others load, divided by the threads it is what the run takes on cores of its
 * own. `bench-robustness NETWORK.json DRAWS RUNS` times a shortened run (for a profile),
 * against its share of the target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <synquant.h>

#include "bench-util.h"
#include "sq-parallel-private.h"

#define N_DRAWS   100
#define N_SAMPLES 20
#define N_STEPS   1000
#define RUNS      3
#define TARGET_MS 10000.0

static const char config_json[] =
  "{\"transforms\": ["
  " {\"family\": \"weights\", \"transform\": \"stochastic_rounding\", \"num_levels\": 16},"
  " {\"group\": \"weights_rec\", \"transform\": \"dropout\", \"probability\": 0.1},"
  " {\"family\": \"bitshifts\", \"transform\": \"round\"}]}";

/* The median wall time of @runs runs; *@cpu_ms their median processor time (all threads). */
static double
time_runs (SqNetwork               *network,
           const SqTransformConfig *config,
           const SqSampleSet       *set,
           const SqQuantSettings   *settings,
           guint                    n_draws,
           int                      runs,
           double                  *cpu_ms)
{
  SqRobustnessOptions options = { n_draws, 1, settings, NULL };
  double t[RUNS], c[RUNS];

  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      double t0 = bench_now_ms (), c0 = bench_cpu_ms ();
      g_autoptr(SqRobustness) r = sq_robustness_run (network, config, set, &options, NULL,
                                                     NULL, NULL, &error);

      t[i] = bench_now_ms () - t0;
      c[i] = bench_cpu_ms () - c0;
      g_assert_no_error (error);
    }
  *cpu_ms = bench_median (c, runs);
  return bench_median (t, runs);
}

static void
print_figure (const char *name,
              double      ms,
              double      cpu_ms,
              double      target)
{
  printf ("  %-14s %8.1f ms  target %6.0f ms  ratio %.2f  (processor time %.1f ms, "
          "%.1f ms per thread)\n", name, ms, target, ms / target, cpu_ms,
          cpu_ms / _sq_parallel_n_threads ());
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqTransformConfig) config = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  SqQuantSettings settings;
  double t_float, t_int, c_float, c_int, target;
  guint n_draws = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : N_DRAWS;
  int runs = argc > 3 ? (int) g_ascii_strtoll (argv[3], NULL, 10) : RUNS;

  if (argc < 2 || argc > 4 || n_draws < 1 || n_draws > N_DRAWS || runs < 1 || runs > RUNS)
    {
      fprintf (stderr, "usage: %s NETWORK.json [DRAWS (1-%d) [RUNS (1-%d)]]\n", argv[0],
               N_DRAWS, RUNS);
      return 2;
    }
  /* A shortened run (fewer draws, for a profile) gets its share of the target. */
  target = TARGET_MS * n_draws / N_DRAWS;
  network = sq_network_load (argv[1], NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  config = sq_transform_config_load_data (config_json, strlen (config_json), "bench.json",
                                          &error);
  g_assert_no_error (error);
  set = bench_poisson_set (N_SAMPLES, N_STEPS, network->n_inputs);
  sq_quant_settings_init (&settings, network->kind);

  printf ("robustness: %u draws × %d samples × %d steps of %s on %u threads, median of %d\n",
          n_draws, N_SAMPLES, N_STEPS, argv[1], _sq_parallel_n_threads (), runs);
  t_float = time_runs (network, config, set, NULL, n_draws, runs, &c_float);
  print_figure ("float models", t_float, c_float, target);
  t_int = time_runs (network, config, set, &settings, n_draws, runs, &c_int);
  print_figure ("integer cores", t_int, c_int, target);
  return t_float <= target && t_int <= target ? 0 : 1;
}
