/* test-cli-simulate.c: synquant-cli simulate end to end — the conformance cases through the
 * command line, the input options, --float, --compare, --timings, and usage errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-utils.h"

/* Every conformance case through the command line: the spec alone in a file, the case file
 * itself as the input (its "input" member), every recorded value compared. */
static void
test_conformance (SqTestDir     *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) cases = sq_test_list_data ("data/xylo-sim", "xylo-sim-", ".json");
  g_autofree char *spec_path = sq_test_dir_path (f, "spec.json");
  g_autofree char *out_path = sq_test_dir_path (f, "out.json");

  g_assert_cmpuint (cases->len, ==, 40);
  for (guint i = 0; i < cases->len; i++)
    {
      const char *path = g_ptr_array_index (cases, i);
      g_autoptr(JsonNode) root = sq_test_parse_file (path);
      JsonObject *o = json_node_get_object (root);
      JsonObject *expected = json_object_get_object_member (o, "expected");
      g_autofree char *spec_text = sq_test_node_to_string (json_object_get_member (o, "spec"));
      g_autoptr(JsonNode) out = NULL;
      g_autoptr(GList) keys = NULL;
      g_auto(SqTestRun) run = { 0 };

      g_assert_true (g_file_set_contents (spec_path, spec_text, -1, NULL));
      sq_test_run_cli (&run, "simulate", spec_path, "--input", path, "-o", out_path, "--record",
                       "all", "--device", i % 2 ? "xylo-imu" : "xylo-audio3", NULL);
      if (run.status != 0)
        g_error ("%s: %s", path, run.err);
      out = sq_test_parse_file (out_path);
      keys = json_object_get_members (expected);
      g_assert_cmpuint (g_list_length (keys), ==, 6);
      g_assert_cmpuint (json_object_get_size (json_node_get_object (out)), ==, 6);
      for (GList *k = keys; k != NULL; k = k->next)
        {
          JsonNode *want = json_object_get_member (expected, k->data);
          JsonNode *got = json_object_get_member (json_node_get_object (out), k->data);

          g_assert_nonnull (got);
          if (!json_node_equal (want, got))
            g_error ("%s: %s differs", path, (const char *) k->data);
        }
    }
}

static void
test_poisson_and_timings (SqTestDir     *f,
                          gconstpointer  data)
{
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *a = sq_test_dir_path (f, "a.json"), *b = sq_test_dir_path (f, "b.json");
  g_autofree char *ta = NULL, *tb = NULL;
  g_auto(SqTestRun) run = { 0 };
  g_autoptr(GRegex) re = g_regex_new ("^load: [0-9]+\\.[0-9] ms\nquantize: [0-9]+\\.[0-9] ms\n"
                                      "simulate: [0-9]+\\.[0-9] ms\nwrite: [0-9]+\\.[0-9] ms\n",
                                      0, 0, NULL);
  g_autoptr(JsonNode) root = NULL;

  sq_test_run_cli (&run, "simulate", small, "--poisson", "0.3", "--steps", "300", "--seed", "5",
                   "-o", a, "--compare", "--timings", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_regex_match (re, run.err, 0, NULL));
  g_assert_nonnull (strstr (run.out, "float model vs integer core, 1 sample"));
  g_assert_nonnull (strstr (run.out, "output raster agreement: "));
  root = sq_test_parse_file (a);
  g_assert_true (json_object_has_member (json_node_get_object (root), "agreement"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "spikes_out")), ==, 300);
  sq_test_run_clear (&run);

  /* The same seed gives the same file. */
  sq_test_run_cli (&run, "simulate", small, "--poisson", "0.3", "--steps", "300", "--seed", "5",
                   "-o", b, "--compare", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (a, &ta, NULL, NULL));
  g_assert_true (g_file_get_contents (b, &tb, NULL, NULL));
  g_assert_cmpstr (ta, ==, tb);
  sq_test_run_clear (&run);

  /* The float model, everything recorded, per-channel rates. */
  sq_test_run_cli (&run, "simulate", small, "--poisson", "0.1,0.2,0.3,0.4,0.1,0.2,0.3,0.4",
                   "--steps", "20", "-o", a, "--float", "--record", "all", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "float model: 20 steps"));
  g_clear_pointer (&root, json_node_unref);
  root = sq_test_parse_file (a);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 6);
}

static void
test_input_formats (SqTestDir     *f,
                    gconstpointer  data)
{
  g_autofree char *spec = sq_test_dir_path (f, "spec.json"), *csv = sq_test_dir_path (f, "in.csv");
  g_autofree char *npy = sq_test_dir_path (f, "in.npy"), *out = sq_test_dir_path (f, "out.json");
  g_autofree char *out2 = sq_test_dir_path (f, "out2.json");
  g_autofree char *t1 = NULL, *t2 = NULL;
  static const char spec_text[] =
    "{\"weights_in\": [[100], [50]], \"weights_rec\": [[0]], \"weights_out\": [[1]],"
    " \"threshold\": [60], \"threshold_out\": [1], \"dash_mem\": [1], \"dash_syn\": [1],"
    " \"dash_mem_out\": [1], \"dash_syn_out\": [1]}";
  g_auto(SqTestRun) run = { 0 };
  SqTensor t;

  g_assert_true (g_file_set_contents (spec, spec_text, -1, NULL));
  g_assert_true (g_file_set_contents (csv, "1,0\n0,20\n0,0\n", -1, NULL));
  g_assert_true (sq_tensor_init (&t, 2, (gsize[]) { 3, 2 }, NULL));
  t.data[0] = 1;
  t.data[3] = 20;
  g_assert_true (sq_npy_save (npy, &t, SQ_NPY_UINT8, NULL));
  sq_tensor_clear (&t);

  sq_test_run_cli (&run, "simulate", spec, "--input", csv, "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "in.csv: 1 count above 15 clipped to 15"));
  /* The loader clipped 20 to 15 before the core saw it: the cap dropped 5 events. */
  g_assert_nonnull (strstr (run.err, "input events dropped by the 15-event cap: 5\n"));
  sq_test_run_clear (&run);
  sq_test_run_cli (&run, "simulate", spec, "--input", npy, "-o", out2, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &t1, NULL, NULL));
  g_assert_true (g_file_get_contents (out2, &t2, NULL, NULL));
  g_assert_cmpstr (t1, ==, t2);
  /* t0: I = 100 − 50 = 50, V = 50 < 60. t1: 15 (clipped from 20) × 50 more: I = 800 − 400
   * = 400, V = 50 − 25 + 400 = 425: 7 events. t2: the output gets them: Io = 7 − 3 = 4 ≥ 1:
   * one event. */
  g_assert_cmpstr (t1, ==, "{\n  \"spikes_out\": [\n    [0],\n    [0],\n    [1]\n  ]\n}\n");
}

typedef struct {
  const char *args[10];
  const char *message;
} UsageCase;

static void
test_errors (SqTestDir     *f,
             gconstpointer  data)
{
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *out = sq_test_dir_path (f, "out.json");
  g_autofree char *csv = sq_test_dir_path (f, "bad.csv");
  const UsageCase cases[] = {
    { { small, "--poisson", "0.1", "--steps", "5", NULL }, "missing output file (-o OUT)" },
    { { small, "-o", out, NULL }, "give either --input FILE or --poisson RATE" },
    { { small, "-o", out, "--poisson", "0.1", NULL }, "--poisson needs --steps T" },
    { { small, "-o", out, "--input", csv, "--poisson", "0.1", NULL },
      "give either --input FILE or --poisson RATE" },
    { { small, "-o", out, "--poisson", "0.1", "--steps", "5", "--device", "xylo-9" },
      "unknown device “xylo-9”" },
    { { small, "-o", out, "--poisson", "0.1", "--steps", "5", "--record", "some" },
      "--record is “some”; use out or all" },
    { { small, "-o", out, "--poisson", "0.1", "--steps", "5", "--method", "channel" },
      "the quantization options go with --compare" },
    { { small, "-o", out, "--poisson", "0.1", "--steps", "5", NULL },
      "weights_in[0][0][0] is 0.18978813290596008, expected an integer" },
    { { small, "-o", out, "--poisson", "0.1,0.2", "--steps", "5", NULL },
      "--poisson has 2 rates, expected one or one per input channel (8)" },
    { { small, "-o", out, "--poisson", "20", "--steps", "5", "--float" },
      "rate of channel 0 is 20, expected 0 to 15 events per step" },
    { { small, "-o", out, "--input", csv, "--float", NULL },
      "bad.csv: the input has 3 channels, but the network has 8 inputs" },
  };

  g_assert_true (g_file_set_contents (csv, "1,2,3\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const *a = cases[i].args;
      g_auto(SqTestRun) run = { 0 };

      sq_test_run_cli (&run, "simulate", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                       NULL);
      g_assert_cmpint (run.status, ==, 1);
      if (strstr (run.err, cases[i].message) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].message, run.err);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* A network check refuses for the --device is simulated with a warning naming the problem;
 * a weight shift beyond xylosim's 15 is refused. */
static void
test_device_fit (SqTestDir     *f,
                 gconstpointer  data)
{
  g_autofree char *spec = sq_test_dir_path (f, "two.json");
  g_autofree char *out = sq_test_dir_path (f, "out.json");
#define TWO_SYN_SPEC \
    "{\"weights_in\": [[[1, 0]]], \"weights_rec\": [[[0, 0]]], \"weights_out\": [[1]], " \
    "\"dash_mem\": [1], \"dash_syn\": [1], \"dash_syn_2\": [1], \"dash_mem_out\": [1], " \
    "\"dash_syn_out\": [1], \"threshold\": [10], \"threshold_out\": [10]%s}"
  g_autofree char *two = g_strdup_printf (TWO_SYN_SPEC, "");
  g_autofree char *shifted = g_strdup_printf (TWO_SYN_SPEC, ", \"weight_shift_in\": 16");
#undef TWO_SYN_SPEC

  g_assert_true (g_file_set_contents (spec, two, -1, NULL));
  {
    g_auto(SqTestRun) run = { 0 };

    sq_test_run_cli (&run, "simulate", spec, "-o", out, "--poisson", "0.5", "--steps", "3",
                     "--device", "xylo-imu", NULL);
    g_assert_cmpint (run.status, ==, 0);
    if (strstr (run.err, "warning: ") == NULL ||
        strstr (run.err, "cannot hold this network (2 synapses per hidden neuron > 1") == NULL)
      g_error ("no warning in “%s”", run.err);
  }
  {
    g_auto(SqTestRun) run = { 0 };

    /* Without --device, the simulator's own range is all that counts: no warning. */
    sq_test_run_cli (&run, "simulate", spec, "-o", out, "--poisson", "0.5", "--steps", "3",
                     NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_null (strstr (run.err, "cannot hold"));
  }
  g_assert_true (g_file_set_contents (spec, shifted, -1, NULL));
  {
    g_auto(SqTestRun) run = { 0 };

    g_assert_true (g_remove (out) == 0);
    sq_test_run_cli (&run, "simulate", spec, "-o", out, "--poisson", "0.5", "--steps", "3",
                     NULL);
    g_assert_cmpint (run.status, ==, 1);
    if (strstr (run.err, "weight_shift_in is 16, but the simulator takes 0 to 15") == NULL)
      g_error ("unexpected “%s”", run.err);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-simulate/conformance", SqTestDir, NULL, sq_test_dir_setup, test_conformance,
              sq_test_dir_teardown);
  g_test_add ("/cli-simulate/poisson-timings", SqTestDir, NULL, sq_test_dir_setup,
              test_poisson_and_timings, sq_test_dir_teardown);
  g_test_add ("/cli-simulate/input-formats", SqTestDir, NULL, sq_test_dir_setup, test_input_formats,
              sq_test_dir_teardown);
  g_test_add ("/cli-simulate/errors", SqTestDir, NULL, sq_test_dir_setup, test_errors,
              sq_test_dir_teardown);
  g_test_add ("/cli-simulate/device-fit", SqTestDir, NULL, sq_test_dir_setup, test_device_fit,
              sq_test_dir_teardown);

  return g_test_run ();
}
