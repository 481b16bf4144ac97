/* bench-sim.c: the performance targets of the Xylo integer core (issue 4 §5)
 *
 * A Xylo-size integer network — 16 inputs, 1000 hidden neurons with 2 synapses, 10 % of the
 * recurrent weights non-zero, 8 outputs, thresholds 2000–3999, about 8 % of the hidden
 * neurons firing per step — built here with a fixed seed, run for 10 000 steps on Poisson
 * input. SynSense's xylosim takes about 6.3 s for this run; the targets: ≤ 250 ms recording
 * the outputs (25× xylosim, issue 18), ≤ 1500 ms recording everything. Medians of 5 runs
 * on one core (the core is single-threaded); ratio ≤ 1 meets the target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <synquant.h>

#include "bench-util.h"

#define N_IN     16
#define N_HID    1000
#define N_SYN    2
#define N_OUT    8
#define N_STEPS  10000
#define RUNS     5
#define BIAS_DIVISOR 26.0

static guint64 rng_state = 0x5EED5EEDu;

static guint32
rnd (guint32 n)
{
  return bench_rand (&rng_state, n);
}

static void
fill (SqXyloSpec *spec,
      SqParam     param,
      guint       rank,
      const gsize *shape,
      int         lo,
      int         hi,
      guint       percent_nonzero)
{
  SqTensor *t = &spec->param[param];

  g_assert_true (sq_tensor_init (t, rank, shape, NULL));
  t->integer = TRUE;
  for (gsize i = 0; i < t->n; i++)
    t->data[i] = rnd (100) < percent_nonzero ? lo + (int) rnd ((guint32) (hi - lo + 1)) : 0;
}

static SqXyloSpec *
bench_network (void)
{
  SqXyloSpec *spec = sq_xylo_spec_new ();
  g_autoptr(GError) error = NULL;
  SqTensor *bias;

  fill (spec, SQ_PARAM_WEIGHTS_IN, 3, (gsize[]) { N_IN, N_HID, N_SYN }, -40, 40, 100);
  fill (spec, SQ_PARAM_WEIGHTS_REC, 3, (gsize[]) { N_HID, N_HID, N_SYN }, -48, 47, 10);
  fill (spec, SQ_PARAM_WEIGHTS_OUT, 2, (gsize[]) { N_HID, N_OUT }, -32, 63, 100);
  fill (spec, SQ_PARAM_THRESHOLD, 1, (gsize[]) { N_HID }, 2000, 3999, 100);
  fill (spec, SQ_PARAM_THRESHOLD_OUT, 1, (gsize[]) { N_OUT }, 2000, 3999, 100);
  fill (spec, SQ_PARAM_BIAS, 1, (gsize[]) { N_HID }, 0, 0, 100);
  fill (spec, SQ_PARAM_DASH_MEM, 1, (gsize[]) { N_HID }, 3, 5, 100);
  fill (spec, SQ_PARAM_DASH_SYN, 1, (gsize[]) { N_HID }, 1, 3, 100);
  fill (spec, SQ_PARAM_DASH_SYN_2, 1, (gsize[]) { N_HID }, 2, 4, 100);
  fill (spec, SQ_PARAM_DASH_MEM_OUT, 1, (gsize[]) { N_OUT }, 3, 5, 100);
  fill (spec, SQ_PARAM_DASH_SYN_OUT, 1, (gsize[]) { N_OUT }, 1, 3, 100);
  /* A bias of θ/26 with zero-mean input and recurrent weights: about 8 % fire per step. */
  bias = &spec->param[SQ_PARAM_BIAS];
  for (gsize j = 0; j < N_HID; j++)
    bias->data[j] = (double) (int) (spec->param[SQ_PARAM_THRESHOLD].data[j] / BIAS_DIVISOR);
  spec->weight_shift[SQ_SHIFT_IN] = 0;
  spec->weight_shift[SQ_SHIFT_REC] = 0;
  spec->weight_shift[SQ_SHIFT_OUT] = 2;
  g_assert_true (sq_xylo_spec_validate (spec, &error));
  return spec;
}

static double
run (SqXyloSim      *sim,
     const SqRaster *input,
     gboolean        record_all,
     double         *firing)
{
  double t[RUNS];

  for (int i = 0; i < RUNS; i++)
    {
      gint64 t0;
      g_autoptr(SqSimResult) r = NULL;
      guint64 events = 0, active = 0;

      sq_xylo_sim_reset (sim);
      t0 = g_get_monotonic_time ();
      r = sq_xylo_sim_run (sim, input, record_all, NULL);
      t[i] = (double) (g_get_monotonic_time () - t0) / 1e3;
      g_assert_nonnull (r);
      for (gsize j = 0; j < N_HID; j++)
        events += r->hidden_events[j];
      if (record_all)
        for (gsize k = 0; k < (gsize) N_STEPS * N_HID; k++)
          active += r->spikes_hidden[k] > 0;
      if (record_all)
        *firing = (double) active / N_STEPS / N_HID;
      else
        *firing = (double) events / N_STEPS / N_HID;
    }
  return bench_median (t, RUNS);
}

static gboolean
report (const char *name,
        double      ms,
        double      target)
{
  printf ("%-44s %9.1f ms   target ≤ %7.1f ms   ratio %.2f  %s\n", name, ms, target,
          ms / target, ms <= target ? "ok" : "MISSED");
  return ms <= target;
}

int
main (void)
{
  g_autoptr(SqXyloSpec) spec = bench_network ();
  g_autoptr(SqXyloSim) sim = sq_xylo_sim_new (spec, SQ_DEVICE_XYLO_AUDIO2, NULL);
  double rates[N_IN], events_per_step, active_fraction, ms;
  gboolean ok = TRUE;
  SqRaster input;
  gsize nonzero = 0;

  for (gsize i = 0; i < spec->param[SQ_PARAM_WEIGHTS_REC].n; i++)
    nonzero += spec->param[SQ_PARAM_WEIGHTS_REC].data[i] != 0;
  for (int i = 0; i < N_IN; i++)
    rates[i] = 0.5;
  g_assert_true (sq_raster_poisson (&input, N_STEPS, N_IN, rates, 1, NULL));

  ms = run (sim, &input, FALSE, &events_per_step);
  printf ("network: %d inputs, %d hidden × %d synapses (%.1f %% of weights_rec non-zero), "
          "%d outputs, %d steps, 1 core\n", N_IN, N_HID, N_SYN,
          100.0 * (double) nonzero / (double) spec->param[SQ_PARAM_WEIGHTS_REC].n, N_OUT,
          N_STEPS);
  ok &= report ("simulate 10 000 steps, record outputs", ms, 250.0);
  ms = run (sim, &input, TRUE, &active_fraction);
  ok &= report ("simulate 10 000 steps, record everything", ms, 1500.0);
  printf ("activity: %.1f %% of hidden neurons fire per step, %.3f events per neuron and "
          "step\n", 100.0 * active_fraction, events_per_step);
  printf ("xylosim (SynSense C++) takes about 6300 ms for this run\n");

  sq_raster_clear (&input);
  return ok ? 0 : 1;
}
