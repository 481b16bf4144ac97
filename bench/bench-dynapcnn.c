/* bench-dynapcnn.c: the performance target of the DynapCNN IAF core in time steps (issue 17)
 *
 * A 3-layer CNN on 2 × 34 × 34 input (an N-MNIST-size DVS frame): 2→8 channels 3 × 3 with
 * padding 1 and 2 × 2 pooling, 8→16 the same, then 16→10 with a full 8 × 8 kernel (a Linear
 * readout as sinabs converts it); random int8 weights and thresholds of a few hundred, built
 * here with a fixed seed; 300 steps of input where 5 % of the pixels carry an event. Target:
 * ≤ 1 s on one core (the core is single-threaded); median of 5 runs, ratio ≤ 1 meets it.
 * The same input as events (one per count, at a fixed-seed time inside its 1 ms step) through
 * the event-driven core, sq_iaf_run_events, with the same target: the issue sets none for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <synquant.h>

#include "bench-util.h"

#define STEPS 300
#define RUNS  5

static guint64 rng_state = 0xD1CE5EEDu;

static guint32
rnd (guint32 n)
{
  return bench_rand (&rng_state, n);
}

static void
layer (SqIafLayer *l,
       gsize       f,
       gsize       c,
       gsize       k,
       guint       pad,
       guint       pool,
       gint32      theta)
{
  const gsize ws[4] = { f, c, k, k };

  *l = (SqIafLayer) { { 0, }, };
  g_assert_true (sq_tensor_init (&l->weight, 4, ws, NULL));
  for (gsize i = 0; i < l->weight.n; i++)
    l->weight.data[i] = (double) rnd (201) - 100.0;
  l->threshold_high = theta;
  l->threshold_low = -32768;
  l->stride_y = l->stride_x = 1;
  l->pad_y = l->pad_x = pad;
  l->pool = pool;
}

int
main (void)
{
  SqIafLayer layers[3];
  const gsize is[4] = { STEPS, 2, 34, 34 };
  SqTensor input = { 0, };
  double t[RUNS], ms;
  guint64 spikes[3] = { 0, };
  gsize events = 0;
  gboolean ok;

  layer (&layers[0], 8, 2, 3, 1, 2, 150);
  layer (&layers[1], 16, 8, 3, 1, 2, 300);
  layer (&layers[2], 10, 16, 8, 0, 1, 400);
  g_assert_true (sq_tensor_init (&input, 4, is, NULL));
  for (gsize i = 0; i < input.n; i++)
    if (rnd (100) < 5)
      {
        input.data[i] = 1;
        events++;
      }

  for (int r = 0; r < RUNS; r++)
    {
      SqIafRun run;
      double start = bench_now_ms ();

      g_assert_true (sq_iaf_run (layers, 3, &input, FALSE, NULL, &run, NULL));
      t[r] = bench_now_ms () - start;
      for (guint i = 0; i < 3; i++)
        spikes[i] = run.n_spikes[i];
      sq_iaf_run_clear (&run);
    }
  ms = bench_median (t, RUNS);
  printf ("network: 2×34×34 → 8 (3×3, pool 2) → 16 (3×3, pool 2) → 10 (8×8), %d steps, "
          "%.1f %% input density, 1 core\n", STEPS, 100.0 * (double) events / (double) input.n);
  printf ("activity: %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
          " spikes per layer\n", spikes[0], spikes[1], spikes[2]);
  ok = bench_report ("simulate 300 steps (step mode)", ms, 1000.0);

  {
    SqEventList list = { g_new (SqEvent, MAX (events, 1)), 0 };
    const gsize in_shape[3] = { 2, 34, 34 };
    SqIafEventOptions options = { 1000, STEPS, 0, FALSE };
    gsize per = input.n / STEPS;

    for (gsize s = 0; s < STEPS; s++)
      {
        gsize first = list.n;

        for (gsize i = 0; i < per; i++)
          if (input.data[s * per + i] > 0)
            list.events[list.n++] = (SqEvent) { (gint64) (s * 1000 + rnd (1000)),
                                                (guint32) (i / (34 * 34)),
                                                (guint32) (i / 34 % 34), (guint32) (i % 34),
                                                (guint32) list.n };
        /* In time order within the step. */
        for (gsize a = first + 1; a < list.n; a++)
          for (gsize b = a; b > first && list.events[b].t < list.events[b - 1].t; b--)
            {
              SqEvent tmp = list.events[b];

              list.events[b] = list.events[b - 1];
              list.events[b - 1] = tmp;
            }
      }
    for (int r = 0; r < RUNS; r++)
      {
        SqIafRun run;
        double start = bench_now_ms ();

        g_assert_true (sq_iaf_run_events (layers, 3, in_shape, &list, &options, NULL, &run,
                                          NULL));
        t[r] = bench_now_ms () - start;
        for (guint i = 0; i < 3; i++)
          spikes[i] = run.n_spikes[i];
        sq_iaf_run_clear (&run);
      }
    printf ("activity (event mode): %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %"
            G_GUINT64_FORMAT " spikes per layer\n", spikes[0], spikes[1], spikes[2]);
    ok = bench_report ("simulate 300 steps (event mode)", bench_median (t, RUNS), 1000.0) &&
         ok;
    sq_event_list_clear (&list);
  }
  for (guint i = 0; i < 3; i++)
    sq_tensor_clear (&layers[i].weight);
  sq_tensor_clear (&input);
  return ok ? 0 : 1;
}
