/* test-dynapcnn-load.c: the synaptic operations per layer and core, hand-computed — a 3 × 3
 * kernel's fan-out at the edges, the previous layer's spikes pooled into the next one's input,
 * the rates per second, the busiest core and the device's limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

static SqIafLayer
layer_new (gsize  F,
           gsize  C,
           gsize  k,
           guint  pad,
           guint  pool)
{
  const gsize ws[4] = { F, C, k, k };
  SqIafLayer l = { { 0, }, };

  g_assert_true (sq_tensor_init (&l.weight, 4, ws, NULL));
  l.threshold_high = 1000;
  l.threshold_low = -32768;
  l.stride_y = l.stride_x = 1;
  l.pad_y = l.pad_x = pad;
  l.pool = pool;
  return l;
}

/* Layer 0: F 2, 3 × 3, padding 1 on 1 × 4 × 4: rows 0 and 3 reach 2 outputs, rows 1 and 2
 * reach 3. Step 0: one event at (0, 0) → 2·2·2 = 8, two at (1, 2) → 2·2·3·3 = 36; step 1: one
 * at (3, 3) → 8. 52 SynOps, peak 44 in step 0; at 1 ms steps 26 000/s on average, 44 000/s at
 * the peak.
 * Layer 1: F 3, 1 × 1, on layer 0's spikes pooled 2 × 2: step 0 spikes 1 at f0 (0, 0), 2 at
 * f1 (1, 1), 1 at f0 (3, 3): 4 events × 3 = 12 SynOps, all in step 0. */
static void
test_hand (void)
{
  const gsize is[4] = { 2, 1, 4, 4 };
  SqIafLayer l[2] = { layer_new (2, 1, 3, 1, 2), layer_new (3, 2, 1, 0, 1) };
  const int core[2] = { 3, 5 };
  SqTensor input = { 0, };
  SqIafRun run;
  SqCnnLoad load;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sq_test_tensor_set (&input, 4, is, NULL);
  input.data[0 * 4 + 0] = 1;
  input.data[1 * 4 + 2] = 2;
  input.data[16 + 3 * 4 + 3] = 1;
  g_assert_true (sq_iaf_run (l, 2, &input, TRUE, NULL, &run, &error));
  g_assert_no_error (error);
  /* (T, F, H, W) = (2, 2, 4, 4): the spikes layer 1 is fed, set by hand. */
  run.spikes[0].data[(0 * 2 + 0) * 16 + 0 * 4 + 0] = 1;
  run.spikes[0].data[(0 * 2 + 1) * 16 + 1 * 4 + 1] = 2;
  run.spikes[0].data[(0 * 2 + 0) * 16 + 3 * 4 + 3] = 1;

  g_assert_true (sq_cnn_load (l, 2, &input, &run, 1000, core, 40000, &load, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (load.layers[0].events, ==, 4);
  g_assert_cmpuint (load.layers[0].synops, ==, 52);
  g_assert_cmpuint (load.layers[0].peak_synops, ==, 44);
  g_assert_cmpuint (load.layers[0].peak_step, ==, 0);
  g_assert_cmpfloat (load.layers[0].mean_per_s, ==, 26000);
  g_assert_cmpfloat (load.layers[0].peak_per_s, ==, 44000);
  g_assert_cmpuint (load.layers[1].events, ==, 4);
  g_assert_cmpuint (load.layers[1].synops, ==, 12);
  g_assert_cmpint (load.layers[1].core, ==, 5);
  g_assert_cmpuint (load.busiest, ==, 0);
  g_assert_cmpuint (load.n_overloaded, ==, 1);
  text = sq_cnn_load_to_string (&load);
  g_assert_cmpstr (text, ==,
                   "layers[0] (core 3): 4 events, 52 SynOps; 0.026 M SynOps/s on average, "
                   "0.044 M SynOps/s at the busiest step (0): above the 0.04 M SynOps/s a "
                   "core executes, the chip would stall\n"
                   "layers[1] (core 5): 4 events, 12 SynOps; 0.006 M SynOps/s on average, "
                   "0.012 M SynOps/s at the busiest step (0)\n"
                   "busiest: layers[0], 0.044 M SynOps/s at a 1000 µs time step, 110 % of the "
                   "0.04 M SynOps/s a core executes\n");
  sq_cnn_load_clear (&load);
  g_clear_pointer (&text, g_free);

  /* At 10 µs steps everything is 100 times faster; no cores, no limit. The device's limit is
   * the profile's. */
  g_assert_true (sq_cnn_load (l, 2, &input, &run, 10, NULL, 0, &load, &error));
  g_assert_cmpfloat (load.layers[1].peak_per_s, ==, 1200000);
  g_assert_cmpint (load.layers[0].core, ==, -1);
  g_assert_cmpuint (load.n_overloaded, ==, 0);
  text = sq_cnn_load_to_string (&load);
  g_assert_nonnull (strstr (text, "layers[1]: 4 events, 12 SynOps; 0.6 M SynOps/s on average"));
  g_assert_nonnull (strstr (text, "busiest: layers[0], 4.4 M SynOps/s at a 10 µs time step\n"));
  sq_cnn_load_clear (&load);
  g_assert_cmpuint (sq_device_profile_lookup ("dynapcnn")->max_synops_per_s, ==, 30000000);

  /* Without the spikes of every layer there is no input for the next one. */
  sq_iaf_run_clear (&run);
  g_assert_true (sq_iaf_run (l, 2, &input, FALSE, NULL, &run, &error));
  g_assert_false (sq_cnn_load (l, 2, &input, &run, 1000, NULL, 0, &load, &error));
  g_assert_cmpstr (error->message, ==, "layers[0]: the run must record every layer's spikes, "
                   "for every step of the input");
  sq_iaf_run_clear (&run);
  sq_tensor_clear (&input);
  sq_test_iaf_layer_clear (&l[0]);
  sq_test_iaf_layer_clear (&l[1]);
}

/* Stride 2 and a 5 × 5 map pooled 2 × 2 (row and column 4 dropped): an event at (4, 4) of
 * layer 0's spikes feeds nothing. Layer 0 F 1, 3 × 3, stride 2, no padding on 1 × 5 × 5 →
 * 2 × 2: row 2 reaches outputs 0 and 1, rows 0, 1, 3, 4 one each. */
static void
test_stride_and_pool (void)
{
  const gsize is[4] = { 1, 1, 5, 5 };
  SqIafLayer l[2] = { layer_new (1, 1, 3, 0, 1), layer_new (1, 1, 1, 0, 1) };
  SqTensor input = { 0, };
  SqIafRun run;
  SqCnnLoad load;
  g_autoptr(GError) error = NULL;

  l[0].stride_y = l[0].stride_x = 2;
  sq_test_tensor_set (&input, 4, is, NULL);
  for (gsize i = 0; i < 25; i++)
    input.data[i] = 1;
  g_assert_true (sq_iaf_run (l, 2, &input, TRUE, NULL, &run, &error));
  /* Σ over y of fan_y times Σ over x of fan_x = 6 · 6 = 36: each output sees 9 inputs. */
  g_assert_true (sq_cnn_load (l, 2, &input, &run, 1, NULL, 0, &load, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (load.layers[0].synops, ==, 36);
  g_assert_cmpuint (load.layers[0].events, ==, 25);
  sq_cnn_load_clear (&load);
  sq_iaf_run_clear (&run);

  l[0].stride_y = l[0].stride_x = 1;
  l[0].pad_y = l[0].pad_x = 1;
  l[0].pool = 2;
  g_assert_true (sq_iaf_run (l, 2, &input, TRUE, NULL, &run, &error));
  memset (run.spikes[0].data, 0, run.spikes[0].n * sizeof (double));
  run.spikes[0].data[4 * 5 + 4] = 3;
  run.spikes[0].data[3 * 5 + 3] = 1;
  g_assert_true (sq_cnn_load (l, 2, &input, &run, 1, NULL, 0, &load, &error));
  g_assert_cmpuint (load.layers[1].events, ==, 1);
  g_assert_cmpuint (load.layers[1].synops, ==, 1);
  sq_cnn_load_clear (&load);
  sq_iaf_run_clear (&run);
  sq_tensor_clear (&input);
  sq_test_iaf_layer_clear (&l[0]);
  sq_test_iaf_layer_clear (&l[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn-load/hand", test_hand);
  g_test_add_func ("/dynapcnn-load/stride-and-pool", test_stride_and_pool);
  return g_test_run ();
}
