/* test-cli-npz.c: synquant-cli with NumPy files — quantize from and to .npz, info on .npz,
 * simulate an .npz specification with .npy and .npz recordings, and the refusals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-utils.h"

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* JSON → .npz, .npz → JSON and numpy's .npz → JSON all give the integer spec JSON → JSON
 * gives. */
static void
test_quantize (SqTestDir     *f,
               gconstpointer  data)
{
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *numpy_small = sq_test_data_path ("data", "npz", "small.npz", NULL);
  g_autofree char *jj = sq_test_dir_path (f, "jj.json"), *jn = sq_test_dir_path (f, "jn.npz");
  g_autofree char *nj = sq_test_dir_path (f, "nj.json"), *nn = sq_test_dir_path (f, "nn.NPZ");
  g_autofree char *want = NULL;
  g_autoptr(GError) error = NULL;
  const char *ins[4] = { small, small, numpy_small, numpy_small };
  const char *outs[4] = { jj, jn, nj, nn };

  for (guint i = 0; i < 4; i++)
    {
      g_auto(SqTestRun) run = { 0 };

      sq_test_run_cli (&run, "quantize", ins[i], "-o", outs[i], "--method", "channel", NULL);
      if (run.status != 0)
        g_error ("quantize %s -o %s: %s", ins[i], outs[i], run.err);
    }

  want = read_text (jj);
  /* JSON output stays JSON, .npz output is a ZIP archive. */
  g_assert_true (g_str_has_prefix (want, "{\"weights_in\": [[["));
  for (guint i = 1; i < 4; i++)
    {
      g_autoptr(SqXyloSpec) spec = NULL;
      g_autoptr(GString) json = NULL;

      if (i == 2)
        {
          g_autofree char *text = read_text (outs[i]);

          g_assert_cmpstr (text, ==, want);
          continue;
        }
      spec = sq_xylo_spec_load_npz (outs[i], &error);
      g_assert_no_error (error);
      g_assert_true (sq_xylo_spec_is_integer (spec));
      json = sq_xylo_spec_to_json (spec);
      g_assert_cmpstr (json->str, ==, want);
    }
}

static void
test_info (SqTestDir     *f,
           gconstpointer  data)
{
  g_autofree char *numpy_small = sq_test_data_path ("data", "npz", "small.npz", NULL);
  g_autofree char *pickled = sq_test_data_path ("data", "npz", "small-pickled.npz", NULL);
  g_autofree char *from_json = NULL, *from_npz = NULL, *first_line = NULL;
  g_auto(SqTestRun) a = { 0 };
  g_auto(SqTestRun) b = { 0 };
  g_auto(SqTestRun) c = { 0 };
  char *nl;

  sq_test_run_cli (&a, "info", g_getenv ("SQ_EXAMPLE_SMALL"), NULL);
  sq_test_run_cli (&b, "info", numpy_small, NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  /* Everything after the first line (which names the file) is the same. */
  first_line = g_strdup_printf ("%s: Xylo specification with float values\n", numpy_small);
  g_assert_true (g_str_has_prefix (b.out, first_line));
  g_assert_nonnull (strstr (b.out, "  inputs          8\n"));
  g_assert_nonnull (strstr (b.out, "  alias targets   1\n"));
  nl = strchr (a.out, '\n');
  g_assert_cmpstr (nl, ==, strchr (b.out, '\n'));

  /* compare reads .npz too: the same table after the first line. */
  {
    g_auto(SqTestRun) cj = { 0 };
    g_auto(SqTestRun) cn = { 0 };

    sq_test_run_cli (&cj, "compare", g_getenv ("SQ_EXAMPLE_SMALL"), NULL);
    sq_test_run_cli (&cn, "compare", numpy_small, NULL);
    g_assert_cmpint (cj.status, ==, 0);
    g_assert_cmpint (cn.status, ==, 0);
    g_assert_true (g_str_has_prefix (cn.out, numpy_small));
    g_assert_nonnull (strchr (cn.out, '\n'));
    g_assert_cmpstr (strchr (cj.out, '\n'), ==, strchr (cn.out, '\n'));
  }

  sq_test_run_cli (&c, "info", pickled, NULL);
  g_assert_cmpint (c.status, ==, 1);
  g_assert_true (g_str_has_prefix (c.err, "synquant-cli: "));
  g_assert_nonnull (strstr (c.err, "small-pickled.npz: aliases.npy: aliases is an object array"));
  g_assert_cmpstr (c.out, ==, "");
}

/* simulate an .npz spec: the .npz recording holds the JSON recording's arrays, the .npy one
 * its spikes_out. */
static void
test_simulate (SqTestDir     *f,
               gconstpointer  data)
{
  g_autofree char *spec = sq_test_dir_path (f, "q.npz"), *json = sq_test_dir_path (f, "rec.json");
  g_autofree char *npz = sq_test_dir_path (f, "rec.npz"), *npy = sq_test_dir_path (f, "rec.npy");
  static const char *names[] = { "spikes_out", "spikes_hidden", "vmem_hidden", "isyn_hidden",
                                 "vmem_out", "isyn_out" };
  g_autoptr(SqNpzReader) reader = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  SqTensor t;
  guint index;

  {
    g_auto(SqTestRun) run = { 0 };

    sq_test_run_cli (&run, "quantize", g_getenv ("SQ_EXAMPLE_SMALL"), "-o", spec, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    const char *outs[3] = { json, npz, npy };

    for (guint i = 0; i < 3; i++)
      {
        g_auto(SqTestRun) run = { 0 };

        sq_test_run_cli (&run, "simulate", spec, "--poisson", "0.4", "--steps", "60", "--seed", "5",
                         "-o", outs[i], "--record", i < 2 ? "all" : "out", NULL);
        if (run.status != 0)
          g_error ("simulate -o %s: %s", outs[i], run.err);
      }
  }

  root = sq_test_parse_file (json);
  o = json_node_get_object (root);
  reader = sq_npz_reader_open (npz, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sq_npz_reader_get_n_members (reader), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *why = NULL;
      SqNpyDtype dtype;

      g_assert_true (sq_npz_reader_find (reader, names[i], &index));
      g_assert_true (sq_npz_reader_read_tensor (reader, index, &t, &dtype, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dtype, ==, i < 2 ? SQ_NPY_UINT8 : SQ_NPY_INT16);
      g_assert_cmpuint (t.shape[0], ==, 60);
      if (!sq_test_tensor_matches (&t, json_object_get_member (o, names[i]), names[i], &why))
        g_error ("%s", why);
      sq_tensor_clear (&t);
    }

  g_assert_true (sq_npy_load (npy, &t, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *why = NULL;

    if (!sq_test_tensor_matches (&t, json_object_get_member (o, "spikes_out"), "spikes_out",
                                 &why))
      g_error ("%s", why);
  }
  sq_tensor_clear (&t);
}

static void
test_refusals (SqTestDir     *f,
               gconstpointer  data)
{
  g_autofree char *npy = sq_test_dir_path (f, "rec.npy");
  g_auto(SqTestRun) run = { 0 };
  g_auto(SqTestRun) help = { 0 };

  sq_test_run_cli (&run, "simulate", g_getenv ("SQ_EXAMPLE_SMALL"), "--poisson", "0.2", "--steps",
                   "5", "--float", "-o", npy, "--record", "all", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "an .npy file holds one array"));
  g_assert_nonnull (strstr (run.err, ".npz"));
  g_assert_false (g_file_test (npy, G_FILE_TEST_EXISTS));

  sq_test_run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "np.savez (.npz)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, SqTestDir, NULL, sq_test_dir_setup, func, sq_test_dir_teardown)
  ADD ("/cli/npz/quantize", test_quantize);
  ADD ("/cli/npz/info", test_info);
  ADD ("/cli/npz/simulate", test_simulate);
  ADD ("/cli/npz/refusals", test_refusals);
#undef ADD

  return g_test_run ();
}
