/* test-cli-dynapcnn.c: synquant-cli on DynapCNN networks — discretize with its report,
 * check with the placement, export of the chip configuration (golden), simulate with the
 * layer arrays, and NIR graphs that open as DynapCNN or say why no kind takes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

static char *
data_file (const char *name)
{
  return sq_test_data_path ("data", "dynapcnn", name, NULL);
}

static void
test_discretize (SqTestDir     *f,
                 gconstpointer  data)
{
  g_autofree char *in = data_file ("three-layers.json");
  g_autofree char *out = sq_test_dir_path (f, "q.json");
  g_autofree char *report = sq_test_dir_path (f, "r.json");
  g_autofree char *text = NULL;
  g_auto(SqTestRun) run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL, q = NULL;
  g_autoptr(GString) want = NULL;
  JsonObject *layer1;

  sq_test_run_cli (&run, "discretize", in, "-o", out, "--mode", "sinabs", "--report", report,
                   NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "three-layers.json: mode sinabs\n  layer 0: scale 127 (set "
                                     "by the weights), SQNR 47.7 dB"));
  g_assert_nonnull (strstr (run.err, "warning: layer 1: 3 of 5 non-zero weights became 0: "
                                     "min_v_mem is null"));

  /* OUT is the library's discretization, written as a layer file. */
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  net = sq_dynapcnn_net_load_file (in, &error);
  g_assert_no_error (error);
  q = sq_dynapcnn_net_discretize (net, SQ_DISCRETIZE_SINABS, NULL, NULL, &error);
  g_assert_no_error (error);
  want = sq_dynapcnn_net_to_json (q);
  g_assert_cmpstr (text, ==, want->str);

  root = sq_test_parse_file (report);
  layer1 = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (root), "layers"), "layer1");
  g_assert_cmpfloat (json_object_get_double_member (layer1, "scale"), ==, 1.0);
  g_assert_cmpstr (json_object_get_string_member (layer1, "scale_set_by"), ==, "thresholds");
  g_assert_cmpint (json_object_get_int_member (layer1, "zeroed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (layer1, "nonzero"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (layer1, "threshold_before"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (layer1, "threshold_after"), ==, 0);
  g_assert_true (json_object_get_null_member (layer1, "min_v_mem_before"));
  g_assert_cmpint (json_object_get_int_member (layer1, "min_v_mem_after"), ==, -32768);

  /* Xylo's options mean nothing to a DynapCNN network. */
  sq_test_run_cli (&run, "discretize", in, "-o", out, "--method", "channel", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "method"));
}

static void
test_export_and_check (SqTestDir     *f,
                       gconstpointer  data)
{
  g_autofree char *in = data_file ("speck-small.json");
  g_autofree char *golden_path = data_file ("speck-small.config.json");
  g_autofree char *q = sq_test_dir_path (f, "q.npz");
  g_autofree char *out = sq_test_dir_path (f, "config.json");
  g_autofree char *out2 = sq_test_dir_path (f, "config2.json");
  g_autofree char *golden = NULL, *a = NULL, *b = NULL;
  g_auto(SqTestRun) run = { 0, };

  g_assert_true (g_file_get_contents (golden_path, &golden, NULL, NULL));
  /* A float network is discretized on the way (synquant mode), as the golden file was. */
  sq_test_run_cli (&run, "export", in, "--device", "dynapcnn", "--format", "dynapcnn-json",
                   "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &a, NULL, NULL));
  g_assert_cmpstr (a, ==, golden);

  /* Through an .npz layer file: the same bytes. */
  sq_test_run_cli (&run, "discretize", in, "-o", q, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sq_test_run_cli (&run, "export", q, "--device", "dynapcnn", "--format", "dynapcnn-json",
                   "-o", out2, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out2, &b, NULL, NULL));
  g_assert_cmpstr (b, ==, golden);

  sq_test_run_cli (&run, "check", q, "--device", "dynapcnn", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "layer 0 on core 0: kernel memory"));

  /* Layer 2 of this one has a 1 × 3 kernel: nothing is written. */
  g_free (in);
  in = data_file ("three-layers.json");
  sq_test_run_cli (&run, "export", in, "--device", "dynapcnn", "--format", "dynapcnn-json",
                   "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "layer 2: the 1 × 3 kernel is not square"));
  g_assert_nonnull (strstr (run.err, "nothing written"));
  sq_test_run_cli (&run, "export", in, "--device", "dynapcnn", "--format", "samna-json",
                   "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "unknown format “samna-json”"));
}

/* An .npy of (T, C, H, W) frames for speck-small.json: 6 steps of 2 × 8 × 8, two events at
 * pixel (c, y, x) = (t % 2, t, t) per step. */
static void
write_frames (const char *path)
{
  SqTensor t = { 0, };
  gsize shape[4] = { 6, 2, 8, 8 };
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_tensor_init (&t, 4, shape, &error));
  for (gsize s = 0; s < 6; s++)
    t.data[((s * 2 + s % 2) * 8 + s) * 8 + s] = 2;
  t.integer = TRUE;
  g_assert_true (sq_npy_save (path, &t, SQ_NPY_UINT8, &error));
  g_assert_no_error (error);
  sq_tensor_clear (&t);
}

static void
test_simulate (SqTestDir     *f,
               gconstpointer  data)
{
  g_autofree char *in = data_file ("speck-small.json");
  g_autofree char *frames = sq_test_dir_path (f, "frames.npy");
  g_autofree char *q = sq_test_dir_path (f, "q.json");
  g_autofree char *run_path = sq_test_dir_path (f, "run.npz");
  g_autofree char *json_path = sq_test_dir_path (f, "run.json");
  g_autoptr(SqNpzReader) npz = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SqTestRun) run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  static const char * const keys[] = { "spikes_out", "load", "spikes_0", "v_mem_0",
                                       "spikes_1", "v_mem_1" };
  guint index;

  write_frames (frames);
  sq_test_run_cli (&run, "discretize", in, "-o", q, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sq_test_run_cli (&run, "simulate", q, "--input", frames, "--record", "all", "-o", run_path,
                   NULL);
  g_assert_cmpint (run.status, ==, 0);
  npz = sq_npz_reader_open (run_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sq_npz_reader_get_n_members (npz), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (sq_npz_reader_find (npz, keys[i], &index));

  /* The float network beside its discretization. */
  sq_test_run_cli (&run, "simulate", in, "--input", frames, "--compare", "-o", json_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "output raster agreement"));
  root = sq_test_parse_file (json_path);
  g_assert_true (json_object_has_member (json_node_get_object (root), "spikes_out"));

  /* Frames of another network's size (2 × 6 × 6). */
  g_free (in);
  in = data_file ("three-layers.json");
  sq_test_run_cli (&run, "simulate", in, "--input", frames, "--float", "-o", json_path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "frames.npy: the input has 128 channels, but the network "
                                     "has 72 inputs"));
}

/* One 1 × 1 kernel of weight 3, θ = 2, on a 1 × 2 × 2 input: two events at pixel (0, 0) in
 * step 0, one at (1, 1) in step 1. In time steps v = 6 fires 3 spikes, then 3 fires 1; driven
 * by events the first pixel fires once per event (v = 3 → 1, then 4 → 2), the second once:
 * 4 spikes against 3, L1 distance 1, 7 of 8 (step, neuron) pairs agree. The load: 3 events
 * of 1 SynOp each, 2 in step 0: 2000 SynOps/s at the peak, 1500 on average. */
static const char tiny_net[] =
  "{\"input_shape\": [1, 2, 2], \"layers\": [{\"weight\": [[[[3]]]], \"spike_threshold\": 2, "
  "\"min_v_mem\": -32768, \"scale\": 1}]}";

static void
assert_tiny_run (const char *json_path,
                 gboolean    event_mode)
{
  g_autoptr(JsonNode) root = sq_test_parse_file (json_path);
  JsonObject *o = json_node_get_object (root);
  JsonArray *load = json_array_get_array_element (json_object_get_array_member (o, "load"), 0);
  static const double expect_load[] = { 0, 3, 3, 2, 1500, 2000 };
  static const gint64 expect_div[] = { 4, 3, 1, 8, 7 };

  g_assert_cmpuint (json_array_get_length (load), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (json_array_get_double_element (load, i), ==, expect_load[i]);
  g_assert_cmpint (json_object_has_member (o, "divergence"), ==, event_mode);
  for (guint r = 0; event_mode && r < 2; r++)
    {
      JsonArray *row = json_array_get_array_element (json_object_get_array_member (o,
                                                                                "divergence"),
                                                     r);

      for (guint i = 0; i < 5; i++)
        g_assert_cmpint (json_array_get_int_element (row, i), ==, expect_div[i]);
    }
}

static void
test_simulate_events (SqTestDir     *f,
                      gconstpointer  data)
{
  g_autofree char *net = sq_test_dir_path (f, "tiny.json");
  g_autofree char *csv = sq_test_dir_path (f, "ev.csv");
  g_autofree char *counts = sq_test_dir_path (f, "counts.npy");
  g_autofree char *out = sq_test_dir_path (f, "run.json");
  g_autofree char *small = sq_test_data_path ("data", "valid", "integer.json", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(SqTestRun) run = { 0, };
  const gsize shape[4] = { 2, 1, 2, 2 };
  SqTensor t = { 0, };

  g_assert_true (g_file_set_contents (net, tiny_net, -1, NULL));
  g_assert_true (g_file_set_contents (csv, "t,x,y,p\n0,0,0,0\n100,0,0,1\n1500,1,1,0\n", -1,
                                      NULL));
  sq_test_run_cli (&run, "simulate", net, "--input", csv, "--mode", "event", "--max-synops",
                   "1000", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_tiny_run (out, TRUE);
  g_assert_nonnull (strstr (run.out, "event-driven core, slow clock 1000 Hz; against the time "
                                     "steps:\nlayers[0]: 4 spikes in time steps, 3 event "
                                     "driven; L1 distance 1; 87.5 % of 8 (step, neuron) bins "
                                     "agree\n"));
  g_assert_nonnull (strstr (run.out, "busiest: layers[0], 0.002 M SynOps/s at a 1000 µs time "
                                     "step, 200 % of the 0.001 M SynOps/s a core executes\n"
                                     "warning: 1 layer asks more SynOps/s of its core than it "
                                     "executes: the chip stalls, silently\n"));

  /* The same input as counts: the event core gets the two events at t = 0. */
  g_assert_true (sq_tensor_init (&t, 4, shape, NULL));
  t.data[0] = 2;
  t.data[4 + 3] = 1;
  g_assert_true (sq_npy_save (counts, &t, SQ_NPY_INT32, &error));
  g_assert_no_error (error);
  sq_tensor_clear (&t);
  sq_test_run_cli (&run, "simulate", net, "--input", counts, "--mode", "event", "-o", out,
                   NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_tiny_run (out, TRUE);
  /* Under the device's 30 M SynOps/s: no warning. */
  g_assert_null (strstr (run.out, "warning"));

  /* The same events as an (N, 4) array of t, x, y, p, on a 1 × 3 × 3 input: the divergence
   * counts 9 neurons per step. */
  {
    g_autofree char *net9 = sq_test_dir_path (f, "tiny9.json");
    g_autofree char *ev4 = sq_test_dir_path (f, "ev4.npy");
    g_autoptr(JsonNode) root = NULL;
    JsonArray *row;
    g_autofree char *text = g_strdup (tiny_net);
    const gsize es[2] = { 3, 4 };
    static const double ev[] = { 0, 0, 0, 0, 100, 0, 0, 1, 1500, 1, 1, 0 };

    memcpy (strstr (text, "[1, 2, 2]"), "[1, 3, 3]", 9);
    g_assert_true (g_file_set_contents (net9, text, -1, NULL));
    g_assert_true (sq_tensor_init (&t, 2, es, NULL));
    memcpy (t.data, ev, sizeof ev);
    g_assert_true (sq_npy_save (ev4, &t, SQ_NPY_INT64, &error));
    g_assert_no_error (error);
    sq_tensor_clear (&t);
    sq_test_run_cli (&run, "simulate", net9, "--input", ev4, "--mode", "event", "-o", out,
                     NULL);
    g_assert_cmpint (run.status, ==, 0);
    root = sq_test_parse_file (out);
    row = json_array_get_array_element (
      json_object_get_array_member (json_node_get_object (root), "divergence"), 0);
    g_assert_cmpint (json_array_get_int_element (row, 0), ==, 4);
    g_assert_cmpint (json_array_get_int_element (row, 1), ==, 3);
    g_assert_cmpint (json_array_get_int_element (row, 3), ==, 18);
    g_assert_cmpint (json_array_get_int_element (row, 4), ==, 17);
  }

  /* Step mode (the default) records no divergence. */
  sq_test_run_cli (&run, "simulate", net, "--input", csv, "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_tiny_run (out, FALSE);
  g_assert_null (strstr (run.out, "event-driven"));

  /* check --input: the load against the device's 30 M SynOps/s, and against 1000. */
  sq_test_run_cli (&run, "check", net, "--device", "speck2f", "--input", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "note: the busiest core runs layers[0]: 0.002 M SynOps/s "
                                     "at its busiest step, 0.00667 % of the 30 M SynOps/s it "
                                     "executes\n"));
  sq_test_run_cli (&run, "check", net, "--device", "speck2f", "--input", csv, "--max-synops",
                   "1000", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "error: layers[0]: 0.002 M SynOps/s at its busiest step, "
                                     "above the 0.001 M SynOps/s a core executes: the chip "
                                     "stalls, silently\n"));
  g_assert_nonnull (strstr (run.out, "does not fit Speck 2f: 1 violation"));
  sq_test_run_cli (&run, "check", net, "--device", "speck2f", "--max-synops", "1000", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--step-us and --max-synops go with --input"));

  /* --mode step|event is DynapCNN's; --leak-hz goes with event mode. */
  sq_test_run_cli (&run, "simulate", small, "--poisson", "0.1", "--steps", "3", "--mode",
                   "event", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--mode step|event, --leak-hz, --step-us and "
                                     "--max-synops are for DynapCNN networks"));
  sq_test_run_cli (&run, "simulate", net, "--input", csv, "--leak-hz", "10", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--leak-hz goes with --mode event"));
}

/* NIR graphs: a CNN opens as DynapCNN; a graph no chip maps says why for each, and that it
 * maps to a fixed-point network with a time step. */
static void
test_nir (SqTestDir     *f,
          gconstpointer  data)
{
  g_autofree char *cnn = sq_test_data_path ("data", "nir", "cnn_sinabs.nir", NULL);
  g_autofree char *lif = sq_test_data_path ("data", "nir", "lif_norse.nir", NULL);
  g_autofree char *out = sq_test_dir_path (f, "q.json");
  g_auto(SqTestRun) run = { 0, };

  sq_test_run_cli (&run, "quantize", cnn, "-o", out, NULL);
  if (run.status != 0 && strstr (run.err, "HDF5") != NULL)
    {
      g_test_skip ("built without HDF5");
      return;
    }
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "mode synquant\n  layer 0: scale 71.53691 (set by the "
                                     "weights)"));
  /* Discretized to NIR and back: the chip configuration from either is the same. */
  {
    g_autofree char *nir = sq_test_dir_path (f, "q.nir");
    g_autofree char *a_path = sq_test_dir_path (f, "a.json");
    g_autofree char *b_path = sq_test_dir_path (f, "b.json");
    g_autofree char *a = NULL, *b = NULL;

    sq_test_run_cli (&run, "discretize", cnn, "-o", nir, NULL);
    g_assert_cmpint (run.status, ==, 0);
    sq_test_run_cli (&run, "info", nir, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "DynapCNN mapping: 5 layers, input 2 × 34 × 34"));
    sq_test_run_cli (&run, "export", nir, "--device", "dynapcnn", "--format", "dynapcnn-json",
                     "-o", a_path, NULL);
    g_assert_cmpint (run.status, ==, 0);
    sq_test_run_cli (&run, "export", out, "--device", "dynapcnn", "--format", "dynapcnn-json",
                     "-o", b_path, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (a_path, &a, NULL, NULL));
    g_assert_true (g_file_get_contents (b_path, &b, NULL, NULL));
    g_assert_cmpstr (a, ==, b);
  }
  sq_test_run_cli (&run, "quantize", lif, "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot map to Xylo:"));
  g_assert_nonnull (strstr (run.err, "cannot map to DynapCNN:\n  1 (LIF): DynapCNN has "
                                     "integrate-and-fire neurons"));
  /* It maps to a fixed-point network, which asks for the time step. */
  g_assert_nonnull (strstr (run.err, "lif_norse.nir: NIR stores no time step: give dt (--dt) "
                                     "to map it to a fixed-point network"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/dynapcnn/discretize", SqTestDir, NULL, sq_test_dir_setup, test_discretize,
              sq_test_dir_teardown);
  g_test_add ("/cli/dynapcnn/export-and-check", SqTestDir, NULL, sq_test_dir_setup,
              test_export_and_check, sq_test_dir_teardown);
  g_test_add ("/cli/dynapcnn/simulate", SqTestDir, NULL, sq_test_dir_setup, test_simulate,
              sq_test_dir_teardown);
  g_test_add ("/cli/dynapcnn/simulate-events", SqTestDir, NULL, sq_test_dir_setup,
              test_simulate_events, sq_test_dir_teardown);
  g_test_add ("/cli/dynapcnn/nir", SqTestDir, NULL, sq_test_dir_setup, test_nir,
              sq_test_dir_teardown);
  return g_test_run ();
}
