/* test-cli-evaluate.c: synquant-cli evaluate and sweep end to end — the table and the
 * report on the tiny network whose classes are known (sq-test-samples.h), usage and input
 * errors, the sweep's rows as JSON and CSV, and Ctrl+C, which writes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-samples.h"
#include "sq-test-utils.h"

/* The tiny network with output weight @w_out1 and the four samples labelled 0 1 0 1, in the
 * fixture's folder. */
static void
write_inputs (SqTestDir   *f,
              const char  *w_out1,
              char       **net,
              char       **set)
{
  g_autofree char *json = sq_test_tiny_json (w_out1);
  g_autofree guint8 *x = sq_test_four_samples ();
  const gint64 y[4] = { 0, 1, 0, 1 };
  g_autoptr(GBytes) bytes = sq_test_samples_npz (x, 4, y, 4);

  *net = sq_test_dir_path (f, "tiny.json");
  *set = sq_test_dir_path (f, "set.npz");
  g_assert_true (g_file_set_contents (*net, json, -1, NULL));
  g_assert_true (g_file_set_contents (*set, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
}

/* At 3 weight bits path 1's output weight becomes 0 (see test-evaluate.c): classes float
 * 0 1 – 0, integer 0 – – 0, labels 0 1 0 1. */
static void
test_evaluate (SqTestDir     *f,
               gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *report = sq_test_dir_path (f, "report.json");
  g_auto(SqTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *per_sample;

  write_inputs (f, "1.5", &net, &set);
  sq_test_run_cli (&run, "evaluate", net, "--samples", set, "--weight-bits", "3", "-o",
                   report, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "set.npz: 4 samples of 40 steps, 2 channels\n"
                                     "class agreement, float vs integer: 3 of 4 (75.0 %)\n"
                                     "accuracy, float model: 2 of 4 (50.0 %)\n"
                                     "accuracy, integer core: 1 of 4 (25.0 %)\n"));
  /* Progress on stderr, ending at 100 %. */
  g_assert_nonnull (strstr (run.err, "evaluate: 100 %"));
  root = sq_test_parse_file (report);
  o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "n_samples"), ==, 4);
  g_assert_cmpfloat (json_object_get_double_member (o, "class_agreement"), ==, 0.75);
  g_assert_cmpfloat (json_object_get_double_member (o, "accuracy_float"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "accuracy_int"), ==, 0.25);
  g_assert_cmpstr (json_object_get_string_member (o, "device"), ==, "xylo-audio2");
  g_assert_nonnull (strstr (json_object_get_string_member (o, "settings"), "weight-bits=3"));
  per_sample = json_object_get_array_member (o, "per_sample");
  g_assert_cmpuint (json_array_get_length (per_sample), ==, 4);
  o = json_array_get_object_element (per_sample, 1);
  g_assert_cmpint (json_object_get_int_member (o, "class_float"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "class_int"), ==, -1);
  g_assert_cmpint (json_object_get_int_member (o, "label"), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (
                     json_node_get_object (root), "worst"), 0), ==, 1);
}

static void
test_errors (SqTestDir     *f,
             gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *report = sq_test_dir_path (f, "report.json");
  g_autofree char *csv = sq_test_dir_path (f, "one.csv");
  g_auto(SqTestRun) run = { 0 };

  write_inputs (f, "10.5", &net, &set);
  sq_test_run_cli (&run, "evaluate", net, "-o", report, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "synquant-cli evaluate: missing sample set (--samples "
                                     "SET)"));
  sq_test_run_cli (&run, "evaluate", net, "--samples", set, "--device", "loihi", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "unknown device “loihi”"));
  /* A single raster is no set: three dimensions are expected. */
  g_assert_true (g_file_set_contents (csv, "1,0\n", -1, NULL));
  sq_test_run_cli (&run, "evaluate", net, "--samples", csv, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "one.csv: neither .npz nor .npy"));
  g_assert_false (g_file_test (report, G_FILE_TEST_EXISTS));
}

/* Rows of the sweep: the axes in the kind's option order, the last fastest. */
static void
test_sweep (SqTestDir     *f,
            gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *out = sq_test_dir_path (f, "sweep.json");
  g_autofree char *csv = sq_test_dir_path (f, "sweep.csv"), *text = NULL;
  g_auto(SqTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *rows;

  write_inputs (f, "1.5", &net, &set);
  sq_test_run_cli (&run, "sweep", net, "--samples", set, "--weight-bits", "2-4", "--method",
                   "global,channel", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = sq_test_parse_file (out);
  rows = json_object_get_array_member (json_node_get_object (root), "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 6);
  for (guint r = 0; r < 6; r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      JsonObject *s = json_object_get_object_member (row, "settings");
      g_autofree char *bits = g_strdup_printf ("%u", 2 + r % 3);

      g_assert_cmpstr (json_object_get_string_member (s, "method"), ==,
                       r < 3 ? "global" : "channel");
      g_assert_cmpstr (json_object_get_string_member (s, "weight-bits"), ==, bits);
      /* The float model ran once: its accuracy is the same in every row. */
      g_assert_cmpfloat (json_object_get_double_member (row, "accuracy_float"), ==, 0.5);
      g_assert_true (json_object_get_boolean_member (row, "fits"));
      g_assert_true (json_object_has_member (json_object_get_object_member (row, "groups"),
                                             "weights_out"));
    }
  /* global, 3 bits: as evaluate found it. */
  {
    JsonObject *row = json_array_get_object_element (rows, 1);

    g_assert_cmpfloat (json_object_get_double_member (row, "class_agreement"), ==, 0.75);
    g_assert_cmpfloat (json_object_get_double_member (row, "accuracy_int"), ==, 0.25);
  }

  /* CSV, without samples; a combination the kind refuses (a weight shift in Rockpool mode)
   * is a row saying why. */
  sq_test_run_cli (&run, "sweep", net, "--mode", "synquant,rockpool", "--weight-shift", "0,1",
                   "-o", csv, "-q", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_true (g_str_has_prefix (lines[0], "method,fuzzy,mode,weight-bits,threshold-bits,"
                                   "weight-shift,sqnr_db,clipped_share,zeroed_share,fits,"));
  g_assert_true (g_str_has_prefix (lines[1], "global,false,synquant,8,16,0,"));
  g_assert_true (g_str_has_prefix (lines[4], "global,false,rockpool,8,16,1,,,,"));
  g_assert_true (g_str_has_suffix (lines[4], "\""));
  g_assert_true (g_str_has_suffix (lines[3], ","));

  /* Usage. */
  sq_test_run_cli (&run, "sweep", net, "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "nothing to sweep"));
  sq_test_run_cli (&run, "sweep", net, "--weight-bits", "8-2", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "the range “8-2” is empty"));
  sq_test_run_cli (&run, "sweep", net, "--colour", "red", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--colour"));
}

/* Ctrl+C once progress shows: exit status 1, the message, and no report. The set is large
 * enough (the Xylo-size example, 200 samples of 1000 steps: seconds of work) that the signal
 * lands while samples are still running. */
static void
test_interrupt (SqTestDir     *f,
                gconstpointer  data)
{
  const char *xylo = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autofree char *cli = sq_test_cli_path (), *set = sq_test_dir_path (f, "big.npy");
  g_autofree char *report = sq_test_dir_path (f, "report.json");
  g_autoptr(SqNetwork) network = sq_network_load (xylo, NULL, NULL, NULL, NULL, NULL);
  gsize shape[3] = { 200, 1000, network->n_inputs }, len;
  g_autofree guint8 *x = g_new0 (guint8, shape[0] * shape[1] * shape[2]);
  g_autofree guint8 *npy = NULL;
  const char *argv[] = { cli, "evaluate", xylo, "--samples", set, "-o", report, NULL };

  for (gsize i = 0; i < shape[0] * shape[1] * shape[2]; i += 7)
    x[i] = 1;
  npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);
  g_assert_true (g_file_set_contents (set, (const char *) npy, (gssize) len, NULL));
  sq_test_interrupt_cli (argv, report);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-evaluate/evaluate", SqTestDir, NULL, sq_test_dir_setup, test_evaluate,
              sq_test_dir_teardown);
  g_test_add ("/cli-evaluate/errors", SqTestDir, NULL, sq_test_dir_setup, test_errors,
              sq_test_dir_teardown);
  g_test_add ("/cli-evaluate/sweep", SqTestDir, NULL, sq_test_dir_setup, test_sweep,
              sq_test_dir_teardown);
  g_test_add ("/cli-evaluate/interrupt", SqTestDir, NULL, sq_test_dir_setup, test_interrupt,
              sq_test_dir_teardown);
  return g_test_run ();
}
