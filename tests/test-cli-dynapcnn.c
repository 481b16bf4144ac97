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
  static const char * const keys[] = { "spikes_out", "spikes_0", "v_mem_0", "spikes_1",
                                       "v_mem_1" };
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
  g_test_add ("/cli/dynapcnn/nir", SqTestDir, NULL, sq_test_dir_setup, test_nir,
              sq_test_dir_teardown);
  return g_test_run ();
}
