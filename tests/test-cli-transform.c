/* test-cli-transform.c: synquant-cli transform and robustness end to end — one draw burnt
 * into a file that loads again, the same bytes for the same seed, the robustness report on
 * the tiny network, usage and input errors, and Ctrl+C, which writes nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-samples.h"
#include "sq-test-utils.h"

static const char transforms[] =
  "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\","
  " \"probability\": 0.3}]}";

static void
write_inputs (SqTestDir   *f,
              char       **net,
              char       **set,
              char       **tr)
{
  g_autofree char *json = sq_test_tiny_json ("10.5");
  g_autofree guint8 *x = sq_test_four_samples ();
  const gint64 y[4] = { 0, 1, 0, 1 };
  g_autoptr(GBytes) bytes = sq_test_samples_npz (x, 4, y, 4);

  *net = sq_test_dir_path (f, "tiny.json");
  *set = sq_test_dir_path (f, "set.npz");
  *tr = sq_test_dir_path (f, "t.json");
  g_assert_true (g_file_set_contents (*net, json, -1, NULL));
  g_assert_true (g_file_set_contents (*set, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  g_assert_true (g_file_set_contents (*tr, transforms, -1, NULL));
}

static void
test_transform (SqTestDir     *f,
                gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *tr = NULL;
  g_autofree char *a = sq_test_dir_path (f, "a.json"), *b = sq_test_dir_path (f, "b.json");
  g_autofree char *c = sq_test_dir_path (f, "c.json");
  g_autofree char *ta = NULL, *tb = NULL, *tc = NULL;
  g_auto(SqTestRun) run = { 0 };
  g_auto(SqTestRun) run2 = { 0 };
  g_auto(SqTestRun) info = { 0 };
  gboolean differ = FALSE;

  write_inputs (f, &net, &set, &tr);
  sq_test_run_cli (&run, "transform", net, "--transforms", tr, "--seed", "5", "-o", a, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sq_test_run_cli (&run2, "transform", net, "--transforms", tr, "--seed", "5", "-o", b, NULL);
  g_assert_cmpint (run2.status, ==, 0);
  g_assert_true (g_file_get_contents (a, &ta, NULL, NULL));
  g_assert_true (g_file_get_contents (b, &tb, NULL, NULL));
  g_assert_cmpstr (ta, ==, tb);
  /* The tiny network has 4 non-zero weights, each dropped with probability 0.3: some other
   * draw of the seed differs from draw 0. */
  for (int draw = 1; draw < 10 && !differ; draw++)
    {
      g_auto(SqTestRun) run3 = { 0 };
      g_autofree char *k = g_strdup_printf ("%d", draw);

      sq_test_run_cli (&run3, "transform", net, "--transforms", tr, "--seed", "5", "--draw",
                       k, "-o", c, NULL);
      g_assert_cmpint (run3.status, ==, 0);
      g_clear_pointer (&tc, g_free);
      g_assert_true (g_file_get_contents (c, &tc, NULL, NULL));
      differ = strcmp (ta, tc) != 0;
    }
  g_assert_true (differ);
  sq_test_run_cli (&info, "info", a, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "Xylo specification with float values"));
}

/* A NIR graph maps with --dt (and --kind) as for quantize; without --dt it says so. */
static void
test_transform_nir (SqTestDir     *f,
                    gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *tr = NULL;
  g_autofree char *nir = sq_test_data_path ("data", "nir", "lif_rockpool.nir", NULL);
  g_autofree char *out = sq_test_dir_path (f, "drawn.json");
  g_auto(SqTestRun) run = { 0 };
  g_auto(SqTestRun) missing = { 0 };
  g_auto(SqTestRun) info = { 0 };

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR support");
      return;
    }
  write_inputs (f, &net, &set, &tr);
  sq_test_run_cli (&missing, "transform", nir, "--kind", "fxp", "--transforms", tr, "-o", out,
                   NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "lif_rockpool.nir: NIR stores no time step"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  sq_test_run_cli (&run, "transform", nir, "--kind", "fxp", "--dt", "1e-3", "--transforms", tr,
                   "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sq_test_run_cli (&info, "info", out, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_true (g_str_has_prefix (info.out, "drawn.json: fixed-point network, 1 layer"));
}

static void
test_robustness (SqTestDir     *f,
                 gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *tr = NULL;
  g_autofree char *report = sq_test_dir_path (f, "r.json");
  g_auto(SqTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  write_inputs (f, &net, &set, &tr);
  sq_test_run_cli (&run, "robustness", net, "--transforms", tr, "--samples", set,
                   "--draws", "30", "--seed", "3", "-o", report, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "30 draws (seed 3), 4 samples, each run as a float "
                                     "model, against the float model\n"
                                     "untransformed: class agreement 100.00 %"));
  g_assert_nonnull (strstr (run.err, "robustness: 100 %"));
  root = sq_test_parse_file (report);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "float");
  g_assert_cmpstr (json_object_get_string_member (o, "seed"), ==, "3");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "draws")), ==, 30);
  /* The silent sample (no class) is wrong whatever its label: 3 of 4. */
  g_assert_cmpfloat (json_object_get_double_member (
                       json_object_get_object_member (o, "reference"), "accuracy"), ==, 0.75);
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "class_agreement"),
                                         "median"));
}

static void
test_errors (SqTestDir     *f,
             gconstpointer  data)
{
  g_autofree char *net = NULL, *set = NULL, *tr = NULL;
  g_autofree char *bad = sq_test_dir_path (f, "bad.json");
  g_autofree char *out = sq_test_dir_path (f, "out.json");
  static const char bad_json[] =
    "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\", \"p\": 1}]}";
  struct {
    const char *args[12];
    const char *message;
  } cases[] = {
    { { "transform", "NET", "-o", "OUT", NULL },
      "missing transform file (--transforms T.json)" },
    { { "transform", "NET", "--transforms", "TR", NULL }, "missing output file (-o OUT)" },
    { { "transform", "NET", "--transforms", "TR", "--seed", "-1", "-o", "OUT", NULL },
      "--seed must be a whole number from 0 to 18446744073709551615, not -1" },
    { { "transform", "NET", "--transforms", "BAD", "-o", "OUT", NULL },
      "bad.json: transforms[0].p: unknown key" },
    { { "robustness", "NET", "--transforms", "TR", NULL }, "missing sample set (--samples SET)" },
    { { "robustness", "NET", "--transforms", "TR", "--samples", "SET", "--draws", "0", NULL },
      "--draws must be from 1 to 100000, not 0" },
    { { "robustness", "NET", "--transforms", "TR", "--samples", "SET", "--weight-bits", "4",
        NULL }, "the quantize options and --device need --integer" },
  };

  write_inputs (f, &net, &set, &tr);
  g_assert_true (g_file_set_contents (bad, bad_json, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(SqTestRun) run = { 0 };
      const char *argv[12] = { 0 };

      for (guint k = 0; cases[i].args[k] != NULL; k++)
        {
          const char *a = cases[i].args[k];

          argv[k] = g_str_equal (a, "NET") ? net : g_str_equal (a, "TR") ? tr
                  : g_str_equal (a, "SET") ? set : g_str_equal (a, "BAD") ? bad
                  : g_str_equal (a, "OUT") ? out : a;
        }
      sq_test_run_cli (&run, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6],
                       argv[7], argv[8], argv[9], argv[10], NULL);
      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* Ctrl+C once progress shows: exit status 1, the message, and no report. 1000 draws of the
 * Xylo-size example are minutes of work, so the signal lands while draws still run. */
static void
test_interrupt (SqTestDir     *f,
                gconstpointer  data)
{
  const char *xylo = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autofree char *cli = sq_test_cli_path (), *set = sq_test_dir_path (f, "set.npy");
  g_autofree char *tr = sq_test_dir_path (f, "t.json");
  g_autofree char *report = sq_test_dir_path (f, "report.json");
  g_autoptr(SqNetwork) network = sq_network_load (xylo, NULL, NULL, NULL, NULL, NULL);
  gsize shape[3] = { 4, 1000, network->n_inputs }, len;
  g_autofree guint8 *x = g_new0 (guint8, shape[0] * shape[1] * shape[2]);
  g_autofree guint8 *npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);
  const char *argv[] = { cli, "robustness", xylo, "--transforms", tr, "--samples", set,
                         "--draws", "1000", "-o", report, NULL };

  g_assert_true (g_file_set_contents (set, (const char *) npy, (gssize) len, NULL));
  g_assert_true (g_file_set_contents (tr, transforms, -1, NULL));
  sq_test_interrupt_cli (argv, report);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-transform/transform", SqTestDir, NULL, sq_test_dir_setup, test_transform,
              sq_test_dir_teardown);
  g_test_add ("/cli-transform/transform-nir", SqTestDir, NULL, sq_test_dir_setup,
              test_transform_nir, sq_test_dir_teardown);
  g_test_add ("/cli-transform/robustness", SqTestDir, NULL, sq_test_dir_setup,
              test_robustness, sq_test_dir_teardown);
  g_test_add ("/cli-transform/errors", SqTestDir, NULL, sq_test_dir_setup, test_errors,
              sq_test_dir_teardown);
  g_test_add ("/cli-transform/interrupt", SqTestDir, NULL, sq_test_dir_setup, test_interrupt,
              sq_test_dir_teardown);
  return g_test_run ();
}
