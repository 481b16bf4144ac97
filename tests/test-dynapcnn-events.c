/* test-dynapcnn-events.c: the DynapCNN integer IAF core driven by events — hand-computed
 * traces (a 1 × 1 kernel under both resets, a 3 × 3 kernel with stride 2 and padding, a pooled
 * two-layer net, leak ticks, saturation, the lower bound), the time-step core and the event
 * core agreeing where they must, and the divergence report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

/* F × C × k × k weights, all zero but what the caller sets. */
static SqIafLayer
layer_new (gsize  F,
           gsize  C,
           gsize  k,
           gint32 theta)
{
  const gsize ws[4] = { F, C, k, k };
  SqIafLayer l = { { 0, }, };

  g_assert_true (sq_tensor_init (&l.weight, 4, ws, NULL));
  l.weight.integer = TRUE;
  l.threshold_high = theta;
  l.threshold_low = -32768;
  l.stride_y = l.stride_x = l.pool = 1;
  return l;
}

static void
set_bias (SqIafLayer *l,
          double      b)
{
  const gsize bs[1] = { l->weight.shape[0] };

  g_assert_true (sq_tensor_init (&l->bias, 1, bs, NULL));
  for (gsize f = 0; f < bs[0]; f++)
    l->bias.data[f] = b;
}

/* Events (t, c, y, x) in file order. */
static SqEventList
events_new (gsize         n,
            const gint64 *tcyx)
{
  SqEventList list = { g_new0 (SqEvent, MAX (n, 1)), n };

  for (gsize i = 0; i < n; i++)
    list.events[i] = (SqEvent) { tcyx[4 * i], (guint32) tcyx[4 * i + 1],
                                 (guint32) tcyx[4 * i + 2], (guint32) tcyx[4 * i + 3],
                                 (guint32) i };
  return list;
}

static void
run_events (const SqIafLayer  *layers,
            guint              n_layers,
            const gsize        in_shape[3],
            const SqEventList *input,
            guint64            bin_us,
            gsize              n_bins,
            guint32            leak_hz,
            SqIafRun          *run)
{
  SqIafEventOptions o = { bin_us, n_bins, leak_hz, TRUE };
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_iaf_run_events (layers, n_layers, in_shape, input, &o, NULL, run, &error));
  g_assert_no_error (error);
}

/* Weight 3, θ 5; two events in bin 0, three in bin 1.
 * subtract: 3; 6 → spike, 1 | 4; 7 → spike, 2; 5 → spike, 0: spikes 1 2, v 1 0.
 * zero:     3; 6 → spike, 0 | 3; 6 → spike, 0; 3:            spikes 1 1, v 0 3. */
static void
test_one_by_one (void)
{
  const gsize shape[3] = { 1, 1, 1 };
  const gint64 ev[] = { 0, 0, 0, 0,  3, 0, 0, 0,  10, 0, 0, 0,  12, 0, 0, 0,  19, 0, 0, 0 };
  SqEventList input = events_new (5, ev);
  SqIafLayer l = layer_new (1, 1, 1, 5);
  SqIafRun run;

  l.weight.data[0] = 3;
  run_events (&l, 1, shape, &input, 10, 0, 0, &run);
  g_assert_cmpuint (run.spikes_out.shape[0], ==, 2);
  g_assert_cmpfloat (run.spikes[0].data[0], ==, 1);
  g_assert_cmpfloat (run.spikes[0].data[1], ==, 2);
  g_assert_cmpfloat (run.spikes_out.data[1], ==, 2);
  g_assert_cmpfloat (run.v_mem[0].data[0], ==, 1);
  g_assert_cmpfloat (run.v_mem[0].data[1], ==, 0);
  g_assert_cmpuint (run.n_spikes[0], ==, 3);
  g_assert_cmpuint (run.n_saturated[0], ==, 0);
  sq_iaf_run_clear (&run);

  l.reset_zero = TRUE;
  run_events (&l, 1, shape, &input, 10, 0, 0, &run);
  g_assert_cmpfloat (run.spikes[0].data[0], ==, 1);
  g_assert_cmpfloat (run.spikes[0].data[1], ==, 1);
  g_assert_cmpfloat (run.v_mem[0].data[0], ==, 0);
  g_assert_cmpfloat (run.v_mem[0].data[1], ==, 3);
  sq_iaf_run_clear (&run);

  /* Four bins asked for: the last two hold the final state and no spikes. */
  run_events (&l, 1, shape, &input, 10, 4, 0, &run);
  g_assert_cmpuint (run.v_mem[0].shape[0], ==, 4);
  g_assert_cmpfloat (run.v_mem[0].data[3], ==, 3);
  g_assert_cmpfloat (run.spikes[0].data[3], ==, 0);
  sq_iaf_run_clear (&run);
  sq_test_iaf_layer_clear (&l);
  sq_event_list_clear (&input);
}

/* A 3 × 3 kernel, stride 2, padding 1, on a 5 × 5 input: a 3 × 3 output. Feature 0 has
 * w[ky][kx] = 3·ky + kx + 1, feature 1 the negatives. An event at (y, x) reaches the outputs
 * with ky = y + 1 − 2·oy and kx = x + 1 − 2·ox inside the kernel:
 * (2, 1) → (1, 0) with w[1][2] = 6 and (1, 1) with w[1][0] = 4;
 * (0, 0) → (0, 0) with w[1][1] = 5;  (4, 4) → (2, 2) with w[1][1] = 5;
 * (0, 3) → (0, 1) with w[1][2] = 6 and (0, 2) with w[1][0] = 4. */
static void
test_stride_padding (void)
{
  const gsize shape[3] = { 1, 5, 5 };
  const gint64 ev[] = { 0, 0, 2, 1,  1, 0, 0, 0,  2, 0, 4, 4,  3, 0, 0, 3 };
  const double want[9] = { 5, 6, 4,  6, 4, 0,  0, 0, 5 };
  SqEventList input = events_new (4, ev);
  SqIafLayer l = layer_new (2, 1, 3, 1000);
  SqTensor counts;
  SqIafRun run, step;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < 9; i++)
    {
      l.weight.data[i] = (double) i + 1;
      l.weight.data[9 + i] = -((double) i + 1);
    }
  l.stride_y = l.stride_x = 2;
  l.pad_y = l.pad_x = 1;
  run_events (&l, 1, shape, &input, 100, 0, 0, &run);
  g_assert_cmpuint (run.v_mem[0].n, ==, 18);
  for (gsize i = 0; i < 9; i++)
    {
      g_assert_cmpfloat (run.v_mem[0].data[i], ==, want[i]);
      g_assert_cmpfloat (run.v_mem[0].data[9 + i], ==, -want[i]);
    }
  g_assert_cmpuint (run.n_spikes[0], ==, 0);

  /* The time-step core's convolution of the same events in one step agrees. */
  g_assert_true (sq_events_bin (&input, 100, 0, shape, &counts, &error));
  g_assert_no_error (error);
  g_assert_true (sq_iaf_run (&l, 1, &counts, TRUE, NULL, &step, &error));
  g_assert_true (sq_test_tensor_equal (&step.v_mem[0], &run.v_mem[0]));
  sq_iaf_run_clear (&step);
  sq_iaf_run_clear (&run);
  sq_tensor_clear (&counts);
  sq_test_iaf_layer_clear (&l);
  sq_event_list_clear (&input);
}

/* Layer 0: 1 × 1, weight 5, θ 5 (every event fires), pooling 2 on a 5 × 5 input → 2 × 2.
 * Layer 1: 1 × 1, weight 2, θ 3. Events at (0, 0), (1, 1), (0, 1) all pool to (0, 0):
 * layer 1 there: 2; 4 → spike, 1; 3 → spike, 0. (3, 2) pools to (1, 1): v 2. (4, 0) fires
 * but row 4 is beyond the last whole 2 × 2 window: dropped. */
static void
test_pooled (void)
{
  const gsize shape[3] = { 1, 5, 5 };
  const gint64 ev[] = { 0, 0, 0, 0,  0, 0, 1, 1,  0, 0, 0, 1,  0, 0, 3, 2,  0, 0, 4, 0 };
  SqEventList input = events_new (5, ev);
  SqIafLayer l[2] = { layer_new (1, 1, 1, 5), layer_new (1, 1, 1, 3) };
  SqIafRun run;

  l[0].weight.data[0] = 5;
  l[0].pool = 2;
  l[1].weight.data[0] = 2;
  run_events (l, 2, shape, &input, 1, 0, 0, &run);
  g_assert_cmpuint (run.n_spikes[0], ==, 5);
  g_assert_cmpuint (run.n_spikes[1], ==, 2);
  g_assert_cmpfloat (run.spikes[0].data[4 * 5 + 0], ==, 1);
  g_assert_cmpfloat (run.spikes[1].data[0], ==, 2);
  g_assert_cmpfloat (run.spikes_out.data[0], ==, 2);
  g_assert_cmpfloat (run.v_mem[1].data[0], ==, 0);
  g_assert_cmpfloat (run.v_mem[1].data[3], ==, 2);
  g_assert_cmpfloat (run.v_mem[1].data[1] + run.v_mem[1].data[2], ==, 0);
  sq_iaf_run_clear (&run);
  sq_test_iaf_layer_clear (&l[0]);
  sq_test_iaf_layer_clear (&l[1]);
  sq_event_list_clear (&input);
}

/* Bias 2, θ 5, no events, four bins of 10 µs.
 * 100 kHz: ticks at 0, 10, 20, 30 µs, one per bin: v 2, 4, 6 → spike 1, 3.
 * 200 kHz: two per bin: 2, 4 | 6 → 1, 3 | 5 → 0, 2 | 4, 6 → 1: spikes 0 1 1 1, v 4 3 2 1.
 * 30 kHz on two bins of 50 µs: ticks at 0, 33⅓ (bin 0), 66⅔ µs (bin 1), and not at 100: v 4, 6
 * with θ 100. No leak: v stays 0. */
static void
test_leak (void)
{
  const gsize shape[3] = { 1, 1, 1 };
  SqEventList none = { NULL, 0 };
  SqIafLayer l = layer_new (1, 1, 1, 5);
  SqIafRun run;
  const double v100[4] = { 2, 4, 1, 3 }, s100[4] = { 0, 0, 1, 0 };
  const double v200[4] = { 4, 3, 2, 1 }, s200[4] = { 0, 1, 1, 1 };

  set_bias (&l, 2);
  run_events (&l, 1, shape, &none, 10, 4, 100000, &run);
  for (gsize b = 0; b < 4; b++)
    {
      g_assert_cmpfloat (run.v_mem[0].data[b], ==, v100[b]);
      g_assert_cmpfloat (run.spikes[0].data[b], ==, s100[b]);
    }
  /* One tick per bin is the step core's one bias per step. */
  {
    const gsize zs[4] = { 4, 1, 1, 1 };
    SqTensor zeros = { 0, };
    SqIafRun step;

    sq_test_tensor_set (&zeros, 4, zs, NULL);
    g_assert_true (sq_iaf_run (&l, 1, &zeros, TRUE, NULL, &step, NULL));
    g_assert_true (sq_test_tensor_equal (&step.v_mem[0], &run.v_mem[0]));
    g_assert_true (sq_test_tensor_equal (&step.spikes[0], &run.spikes[0]));
    sq_iaf_run_clear (&step);
    sq_tensor_clear (&zeros);
  }
  sq_iaf_run_clear (&run);
  run_events (&l, 1, shape, &none, 10, 4, 200000, &run);
  for (gsize b = 0; b < 4; b++)
    {
      g_assert_cmpfloat (run.v_mem[0].data[b], ==, v200[b]);
      g_assert_cmpfloat (run.spikes[0].data[b], ==, s200[b]);
    }
  sq_iaf_run_clear (&run);
  l.threshold_high = 100;
  run_events (&l, 1, shape, &none, 50, 2, 30000, &run);
  g_assert_cmpfloat (run.v_mem[0].data[0], ==, 4);
  g_assert_cmpfloat (run.v_mem[0].data[1], ==, 6);
  sq_iaf_run_clear (&run);
  run_events (&l, 1, shape, &none, 50, 2, 0, &run);
  g_assert_cmpfloat (run.v_mem[0].data[1], ==, 0);
  sq_iaf_run_clear (&run);
  sq_test_iaf_layer_clear (&l);
}

/* A leak's spikes cascade into the next layer at the tick's time: layer 0 bias 5 = θ fires
 * on every tick, layer 1 (weight 1, θ 2) fires on every second one. */
static void
test_leak_cascade (void)
{
  const gsize shape[3] = { 1, 1, 1 };
  SqEventList none = { NULL, 0 };
  SqIafLayer l[2] = { layer_new (1, 1, 1, 5), layer_new (1, 1, 1, 2) };
  SqIafRun run;

  set_bias (&l[0], 5);
  l[1].weight.data[0] = 1;
  run_events (l, 2, shape, &none, 10, 4, 100000, &run);
  g_assert_cmpuint (run.n_spikes[0], ==, 4);
  g_assert_cmpuint (run.n_spikes[1], ==, 2);
  g_assert_cmpfloat (run.spikes_out.data[1], ==, 1);
  g_assert_cmpfloat (run.spikes_out.data[3], ==, 1);
  sq_iaf_run_clear (&run);
  sq_test_iaf_layer_clear (&l[0]);
  sq_test_iaf_layer_clear (&l[1]);
}

/* Weight −128 from v −32700: −32828 and −32896 both saturate at −32768 (2 counted).
 * Weight 100 from 32700: 32800 saturates at 32767 ≥ θ 32767 → spike, 0 (1 counted).
 * Weight −10, θ_low −15: −10, −20 → −15, −25 → −15. */
static void
test_saturation_and_clamp (void)
{
  const gsize shape[3] = { 1, 1, 1 }, vs[3] = { 1, 1, 1 };
  const gint64 ev[] = { 0, 0, 0, 0,  1, 0, 0, 0,  2, 0, 0, 0 };
  SqEventList two = events_new (2, ev), one = events_new (1, ev), three = events_new (3, ev);
  SqIafLayer l = layer_new (1, 1, 1, 32767);
  SqIafRun run;

  l.weight.data[0] = -128;
  sq_test_tensor_set (&l.v_mem, 3, vs, (const double[]) { -32700 });
  run_events (&l, 1, shape, &two, 10, 0, 0, &run);
  g_assert_cmpuint (run.n_saturated[0], ==, 2);
  g_assert_cmpfloat (run.v_mem[0].data[0], ==, -32768);
  sq_iaf_run_clear (&run);

  l.weight.data[0] = 100;
  l.v_mem.data[0] = 32700;
  run_events (&l, 1, shape, &one, 10, 0, 0, &run);
  g_assert_cmpuint (run.n_saturated[0], ==, 1);
  g_assert_cmpuint (run.n_spikes[0], ==, 1);
  g_assert_cmpfloat (run.v_mem[0].data[0], ==, 0);
  sq_iaf_run_clear (&run);

  sq_tensor_clear (&l.v_mem);
  l.weight.data[0] = -10;
  l.threshold_high = 5;
  l.threshold_low = -15;
  run_events (&l, 1, shape, &three, 1, 0, 0, &run);
  g_assert_cmpfloat (run.v_mem[0].data[0], ==, -10);
  g_assert_cmpfloat (run.v_mem[0].data[1], ==, -15);
  g_assert_cmpfloat (run.v_mem[0].data[2], ==, -15);
  g_assert_cmpuint (run.n_saturated[0], ==, 0);
  sq_iaf_run_clear (&run);
  sq_test_iaf_layer_clear (&l);
  sq_event_list_clear (&one);
  sq_event_list_clear (&two);
  sq_event_list_clear (&three);
}

/* Where the chip's events and sinabs's steps must agree: weights from 0 to θ − 1 and at most
 * one event per projective field and bin (each bin's input pixels 3 apart for a 3 × 3 kernel,
 * one channel each), so no neuron is touched twice in a bin and none can fire twice; the
 * second layer (1 × 1 from one channel) then also gets at most one event per neuron and bin. */
static void
test_agreement (void)
{
  const gsize shape[3] = { 2, 9, 9 };
  const guint T = 60;
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(GArray) ev = g_array_new (FALSE, FALSE, sizeof (gint64));
  SqIafLayer l[2] = { layer_new (1, 2, 3, 20), layer_new (3, 1, 1, 7) };
  SqEventList input;
  SqTensor counts;
  SqIafRun step, event;
  SqIafDivergence d;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < l[0].weight.n; i++)
    l[0].weight.data[i] = g_rand_int_range (rand, 0, 20);
  for (gsize i = 0; i < l[1].weight.n; i++)
    l[1].weight.data[i] = g_rand_int_range (rand, 0, 7);
  l[0].pad_y = l[0].pad_x = 1;
  l[1].single_spike = TRUE;
  for (guint t = 0; t < T; t++)
    for (gint64 y = 0; y < 9; y += 3)
      for (gint64 x = 0; x < 9; x += 3)
        if (g_rand_int_range (rand, 0, 3) == 0)
          {
            gint64 e[4] = { t * 1000 + g_rand_int_range (rand, 0, 1000),
                            g_rand_int_range (rand, 0, 2), y, x };

            g_array_append_vals (ev, e, 4);
          }
  /* In time order within each bin too. */
  input = events_new (ev->len / 4, (const gint64 *) (void *) ev->data);
  for (gsize i = 1; i < input.n; i++)
    for (gsize j = i; j > 0 && input.events[j].t < input.events[j - 1].t; j--)
      {
        SqEvent tmp = input.events[j];

        input.events[j] = input.events[j - 1];
        input.events[j - 1] = tmp;
      }
  g_assert_true (sq_events_bin (&input, 1000, T, shape, &counts, &error));
  g_assert_true (sq_iaf_run (l, 2, &counts, TRUE, NULL, &step, &error));
  run_events (l, 2, shape, &input, 1000, T, 0, &event);
  g_assert_true (sq_iaf_divergence (&step, &event, &d, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (d.n_layers, ==, 2);
  g_assert_cmpuint (d.layers[0].spikes_step, >, 20);
  g_assert_cmpuint (d.layers[1].spikes_step, >, 5);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (d.layers[i].spikes_step, ==, d.layers[i].spikes_event);
      g_assert_cmpuint (d.layers[i].l1, ==, 0);
      g_assert_cmpuint (d.layers[i].n_agree, ==, d.layers[i].n_bins);
      g_assert_true (sq_test_tensor_equal (&step.v_mem[i], &event.v_mem[i]));
    }
  g_assert_cmpuint (d.layers[0].n_bins, ==, T * 81);
  g_assert_true (sq_test_tensor_equal (&step.spikes_out, &event.spikes_out));
  text = sq_iaf_divergence_to_string (&d);
  g_assert_nonnull (strstr (text, "L1 distance 0; 100.0 % of 4860 (step, neuron) bins agree"));
  sq_iaf_divergence_clear (&d);
  sq_iaf_run_clear (&step);
  sq_iaf_run_clear (&event);
  sq_tensor_clear (&counts);
  sq_event_list_clear (&input);
  sq_test_iaf_layer_clear (&l[0]);
  sq_test_iaf_layer_clear (&l[1]);
}

/* Weight 12 > θ 5, one event: sinabs's multi-spike step fires twice (v 2), the chip once
 * (v 7, silent until its next event). Bins 2: the second agrees. */
static void
test_divergence (void)
{
  const gsize shape[3] = { 1, 1, 1 };
  const gint64 ev[] = { 0, 0, 0, 0 };
  SqEventList input = events_new (1, ev);
  SqIafLayer l = layer_new (1, 1, 1, 5);
  SqTensor counts;
  SqIafRun step, event;
  SqIafDivergence d;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  l.weight.data[0] = 12;
  g_assert_true (sq_events_bin (&input, 10, 2, shape, &counts, &error));
  g_assert_true (sq_iaf_run (&l, 1, &counts, TRUE, NULL, &step, &error));
  run_events (&l, 1, shape, &input, 10, 2, 0, &event);
  g_assert_cmpfloat (event.v_mem[0].data[0], ==, 7);
  g_assert_cmpfloat (step.v_mem[0].data[0], ==, 2);
  g_assert_true (sq_iaf_divergence (&step, &event, &d, &error));
  g_assert_cmpuint (d.layers[0].spikes_step, ==, 2);
  g_assert_cmpuint (d.layers[0].spikes_event, ==, 1);
  g_assert_cmpuint (d.layers[0].l1, ==, 1);
  g_assert_cmpuint (d.layers[0].n_agree, ==, 1);
  text = sq_iaf_divergence_to_string (&d);
  g_assert_cmpstr (text, ==,
                   "layers[0]: 2 spikes in time steps, 1 event driven; L1 distance 1; 50.0 % "
                   "of 2 (step, neuron) bins agree\n"
                   "output: 2 spikes in time steps, 1 event driven; L1 distance 1; 50.0 % "
                   "of 2 (step, neuron) bins agree\n");
  sq_iaf_divergence_clear (&d);

  /* Without every layer recorded there is nothing to compare per layer. */
  sq_iaf_run_clear (&step);
  g_assert_true (sq_iaf_run (&l, 1, &counts, FALSE, NULL, &step, &error));
  g_assert_false (sq_iaf_divergence (&step, &event, &d, &error));
  g_assert_cmpstr (error->message, ==, "layers[0]: both runs must record every layer's "
                   "spikes");
  sq_iaf_run_clear (&step);
  sq_iaf_run_clear (&event);
  sq_tensor_clear (&counts);
  sq_event_list_clear (&input);
  sq_test_iaf_layer_clear (&l);
}

static void
expect_error (const SqIafLayer  *l,
              const gsize        shape[3],
              const SqEventList *input,
              gsize              n_bins,
              guint32            leak_hz,
              const char        *message)
{
  SqIafEventOptions o = { 10, n_bins, leak_hz, FALSE };
  g_autoptr(GError) error = NULL;
  SqIafRun run;

  g_assert_false (sq_iaf_run_events (l, 1, shape, input, &o, NULL, &run, &error));
  g_assert_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (run.spikes);
}

static void
test_errors (void)
{
  const gsize shape[3] = { 1, 4, 4 }, two[3] = { 2, 4, 4 };
  const gint64 outside[] = { 0, 0, 0, 0,  5, 0, 4, 1 };
  const gint64 polarity[] = { 0, 1, 0, 0 };
  const gint64 unsorted[] = { 5, 0, 0, 0,  3, 0, 0, 0 };
  SqEventList a = events_new (2, outside), b = events_new (1, polarity);
  SqEventList c = events_new (2, unsorted), none = { NULL, 0 };
  SqIafLayer l = layer_new (1, 1, 1, 5);

  expect_error (&l, shape, &a, 0, 0,
                "events[1]: (x, y) = (1, 4) is outside the 4 × 4 input (W × H)");
  expect_error (&l, shape, &b, 0, 0,
                "events[0]: polarity 1, but the network takes 1 input channel: merge the "
                "polarities");
  expect_error (&l, shape, &c, 0, 0,
                "events[1]: t = 3 µs comes before the event ahead of it (5 µs); events must "
                "be in time order");
  expect_error (&l, shape, &b, 0, 2000000, "the leak clock is 2000000 Hz: expected at most "
                "1000000 Hz");
  expect_error (&l, shape, &none, 0, 0, "there are no events and no number of time steps");
  /* 1 MHz over 2²⁴ bins of 10 µs is 167772160 ticks, on 16 leaking neurons 2.7·10⁹ updates:
   * within the bound; on a 64 × 64 map it is not. Without a bias the clock is free. */
  {
    const gsize wide[3] = { 1, 64, 64 };

    set_bias (&l, 1);
    expect_error (&l, wide, &none, (gsize) 1 << 24, 1000000, "167772160 ticks of the 1000000 Hz "
                  "leak clock on 4096 leaking neurons are more than Synquant runs "
                  "(17179869184 neuron updates)");
    sq_tensor_clear (&l.bias);
  }
  expect_error (&l, two, &a, 0, 0,
                "layers[0]: weight has 1 input channels, but the layer's input has 2");
  sq_event_list_merge_polarities (&b);
  {
    SqIafRun run;
    SqIafEventOptions o = { 10, 0, 0, FALSE };

    g_assert_true (sq_iaf_run_events (&l, 1, shape, &b, &o, NULL, &run, NULL));
    g_assert_null (run.spikes[0].data);
    g_assert_cmpuint (run.spikes_out.n, ==, 16);
    sq_iaf_run_clear (&run);
  }
  sq_test_iaf_layer_clear (&l);
  sq_event_list_clear (&a);
  sq_event_list_clear (&b);
  sq_event_list_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn-events/one-by-one", test_one_by_one);
  g_test_add_func ("/dynapcnn-events/stride-padding", test_stride_padding);
  g_test_add_func ("/dynapcnn-events/pooled", test_pooled);
  g_test_add_func ("/dynapcnn-events/leak", test_leak);
  g_test_add_func ("/dynapcnn-events/leak-cascade", test_leak_cascade);
  g_test_add_func ("/dynapcnn-events/saturation-and-clamp", test_saturation_and_clamp);
  g_test_add_func ("/dynapcnn-events/agreement", test_agreement);
  g_test_add_func ("/dynapcnn-events/divergence", test_divergence);
  g_test_add_func ("/dynapcnn-events/errors", test_errors);
  return g_test_run ();
}
