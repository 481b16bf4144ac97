/* test-fxp-nir.c: the NIR files of tests/data/nir as fixed-point networks, end to end: mapped
 * (layers, folded gains, time constants in steps), quantized on a sample raster, run on the
 * integer core and the float model; and what does not map, with its reason. Skipped without
 * HDF5 (-Dnir=disabled).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static SqFxpNet *
map_file (const char     *name,
          double          dt,
          SqNirReset      reset,
          GPtrArray     **notes,
          GError        **error)
{
  g_autofree char *path = sq_test_data_path ("data", "nir", name, NULL);
  g_autoptr(SqNirGraph) g = sq_nir_graph_load (path, error);
  SqNirMapOptions opts = { dt, reset };

  if (g == NULL)
    return NULL;
  return sq_nir_map_to_fxp (g, &opts, notes, error);
}

static gboolean
skip_without_hdf5 (void)
{
  if (sq_nir_is_supported ())
    return FALSE;
  g_test_skip ("built without HDF5 (-Dnir=disabled)");
  return TRUE;
}

/* Runs @steps steps of a seeded raster (spikes with probability @p, or graded) through both
 * cores at int16 and returns how many output values of the last layer the two agree on. */
static gsize
run_both (const SqFxpNet *net,
          guint           steps,
          double          p,
          guint64        *int_spikes,
          guint64        *float_spikes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(SqFxpQNet) q = NULL;
  gsize n_in = sq_fxp_shape_size (net->input_shape), agree = 0;
  SqTensor input = { 0, };
  SqFxpSettings s;
  SqFxpRun ri, rf;

  g_assert_true (sq_tensor_init (&input, 2, (gsize[2]) { steps, n_in }, NULL));
  for (gsize i = 0; i < input.n; i++)
    input.data[i] = g_rand_double (rand) < p ? 1.0 : 0.0;
  sq_fxp_settings_init (&s);
  s.bits = 16;
  s.long_bits = 32;
  q = sq_fxp_quantize (net, &s, &input, &error);
  g_assert_no_error (error);
  g_assert_true (sq_fxp_run_int (q, &input, NULL, &ri, &error));
  g_assert_no_error (error);
  g_assert_true (sq_fxp_run_float (net, &input, NULL, &rf, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ri.n_out, ==, rf.n_out);
  for (gsize i = 0; i < ri.n_steps * ri.n_out; i++)
    agree += (ri.out[i] > 0) == (rf.out[i] > 0);
  *int_spikes = ri.spikes[net->n_layers - 1];
  *float_spikes = rf.spikes[net->n_layers - 1];
  sq_fxp_run_clear (&ri);
  sq_fxp_run_clear (&rf);
  sq_fxp_settings_clear (&s);
  sq_tensor_clear (&input);
  return agree;
}

/* One LIF neuron (Norse): Affine w = 1, b = 0, τ = 2.5 ms at dt 1 ms → 2.5 steps (float32
 * 2.5e-3 / 1e-3 = 2.4999999441…), θ = 0.1 (float32), reset by subtraction; the same neuron
 * from Rockpool, whose weight carries its r = τ·e^(−dt/τ)/dt … folded by its exporter. */
static void
test_lif (void)
{
  const char *files[] = { "lif_norse.nir", "lif_rockpool.nir" };

  if (skip_without_hdf5 ())
    return;
  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) notes = NULL;
      g_autoptr(SqFxpNet) net = map_file (files[k], 1e-3, SQ_NIR_RESET_SUBTRACT, &notes, &error);
      const SqFxpLayer *l;
      guint64 si, sf;

      g_assert_no_error (error);
      g_assert_cmpuint (net->n_layers, ==, 1);
      l = &net->layers[0];
      g_assert_cmpint (l->op, ==, SQ_FXP_OP_LINEAR);
      g_assert_cmpint (l->neuron.type, ==, SQ_FXP_NEURON_LIF);
      g_assert_true (l->neuron.decay_input);
      g_assert_true (l->neuron.soft_reset);
      g_assert_cmpfloat_with_epsilon (l->neuron.tau, 2.5, 1e-6);
      g_assert_cmpfloat_with_epsilon (l->neuron.v_threshold, 0.1, 1e-8);
      g_assert_cmpfloat_with_epsilon (l->weight.data[0], k == 0 ? 1.0 : 0.9607894682707752,
                                      1e-12);
      g_assert_cmpstr (g_ptr_array_index (notes, notes->len - 1), ==,
                       "1 layers; dt 0.001 s; reset by subtracting the threshold");
      /* Spikes in, LIF out: 50 steps, both cores fire, and agree at int16. */
      g_assert_cmpuint (run_both (net, 50, 0.5, &si, &sf), ==, 50);
      g_assert_cmpuint (si, >, 0);
      g_assert_cmpuint (si, ==, sf);
    }
}

/* sinabs's CNN: Conv2d 2→16 (5 × 5, stride 2, padding 1: (34 + 2 − 5)/2 + 1 = 16) + IF,
 * Conv2d 16→16 + IF, SumPool 2, Conv2d 16→8 + IF, SumPool 2, Flatten (128), Affine 128→256
 * + IF, Affine 256→10 + IF: 8 layers. */
static void
test_cnn (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(SqFxpNet) net = NULL;
  const SqFxpOp ops[] = { SQ_FXP_OP_CONV2D, SQ_FXP_OP_CONV2D, SQ_FXP_OP_SUMPOOL,
                          SQ_FXP_OP_CONV2D, SQ_FXP_OP_SUMPOOL, SQ_FXP_OP_FLATTEN,
                          SQ_FXP_OP_LINEAR, SQ_FXP_OP_LINEAR };
  const gsize out_c[] = { 16, 16, 16, 8, 8, 128, 256, 10 };
  guint64 si, sf;

  if (skip_without_hdf5 ())
    return;
  net = map_file ("cnn_sinabs.nir", 1e-3, SQ_NIR_RESET_SUBTRACT, &notes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net->n_layers, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_assert_cmpint (net->layers[i].op, ==, ops[i]);
      g_assert_cmpuint (net->layers[i].out_shape[0], ==, out_c[i]);
      g_assert_cmpint (net->layers[i].neuron.type, ==,
                       ops[i] == SQ_FXP_OP_CONV2D || ops[i] == SQ_FXP_OP_LINEAR
                       ? SQ_FXP_NEURON_IF : SQ_FXP_NEURON_NONE);
    }
  g_assert_cmpuint (net->layers[0].out_shape[1], ==, 16);
  g_assert_cmpuint (net->layers[4].out_shape[1], ==, 4);
  g_assert_cmpuint (net->layers[0].stride_y, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (notes, 0), ==,
                   "1: IF adds r·x every step, as sinabs steps it (dt does not enter)");
  /* 10 outputs over 8 steps. */
  g_assert_cmpuint (run_both (net, 8, 0.3, &si, &sf), >=, 70);
}

/* The braille network (Rockpool): Affine 12→38 into a CubaLIF population that feeds itself
 * back through lif1.w_rec, Affine 38→7 into CubaLIF. At dt 0.125 ms every τ is between 1.6
 * and 8 steps; at dt 1 ms τ_syn = 0.2 ms is shorter than a step and nothing maps. */
static void
test_braille (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = NULL;
  guint64 si, sf;

  if (skip_without_hdf5 ())
    return;
  net = map_file ("braille_noDelay_bias_zero.nir", 0.125e-3, SQ_NIR_RESET_SUBTRACT, NULL,
                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net->n_layers, ==, 2);
  g_assert_cmpuint (net->layers[0].out_shape[0], ==, 38);
  g_assert_true (sq_tensor_is_present (&net->layers[0].recurrent));
  g_assert_cmpuint (net->layers[0].recurrent.shape[1], ==, 38);
  g_assert_false (sq_tensor_is_present (&net->layers[1].recurrent));
  for (guint i = 0; i < 2; i++)
    {
      const SqFxpNeuron *n = &net->layers[i].neuron;

      g_test_message ("layer %u: τ %g, τ_syn %g steps", i, n->tau, n->tau_syn);
      g_assert_cmpint (n->type, ==, SQ_FXP_NEURON_LIF);
      g_assert_true (n->tau >= 1.6 - 1e-6 && n->tau <= 8 + 1e-6);
      g_assert_true (n->tau_syn >= 1.6 - 1e-6 && n->tau_syn <= 8 + 1e-6);
    }
  g_assert_cmpuint (net->layers[1].out_shape[0], ==, 7);
  run_both (net, 40, 0.3, &si, &sf);
  g_test_message ("braille: %" G_GUINT64_FORMAT " integer, %" G_GUINT64_FORMAT " float output "
                  "spikes", si, sf);

  g_clear_pointer (&net, sq_fxp_net_free);
  net = map_file ("braille_noDelay_bias_zero.nir", 1e-3, SQ_NIR_RESET_SUBTRACT, NULL, &error);
  g_assert_null (net);
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE);
  g_assert_nonnull (strstr (error->message, "cannot map to a fixed-point network:\n  lif1.lif: "
                                            "tau_syn/dt is 0.2"));
  g_clear_error (&error);

  /* The subgraph variant's edges name a node it does not have: it does not load at all. */
  net = map_file ("braille_noDelay_bias_zero_subgraph.nir", 0.125e-3, SQ_NIR_RESET_SUBTRACT,
                  NULL, &error);
  g_assert_null (net);
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_DANGLING_EDGE);
}

/* Reset to v_reset: hard reset; the cnn's v_reset is 0. */
static void
test_reset_zero (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = NULL;

  if (skip_without_hdf5 ())
    return;
  net = map_file ("lif_norse.nir", 1e-3, SQ_NIR_RESET_ZERO, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (net->layers[0].neuron.soft_reset);
  g_assert_cmpfloat (net->layers[0].neuron.v_reset, ==, 0);
  g_clear_pointer (&net, sq_fxp_net_free);
  net = map_file ("lif_norse.nir", 0, SQ_NIR_RESET_ZERO, NULL, &error);
  g_assert_null (net);
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE);
  g_assert_nonnull (strstr (error->message, "dt is 0, expected a positive time step"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fxp-nir/lif", test_lif);
  g_test_add_func ("/fxp-nir/cnn", test_cnn);
  g_test_add_func ("/fxp-nir/braille", test_braille);
  g_test_add_func ("/fxp-nir/reset-zero", test_reset_zero);
  return g_test_run ();
}
