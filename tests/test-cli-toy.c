/* test-cli-toy.c: synquant-cli on a kind of network the CLI has never heard of
 *
 * The toy kind (sq-test-toy.c) is registered in this process and the CLI's commands run
 * in-process (cli_main from libsynquant-cli) on a `.toy` file: quantize, info, check,
 * export, compare and simulate go through the generic paths only, and say what the core
 * computes through the same generic API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-private.h"
#include "sq-test-toy.h"
#include "sq-test-utils.h"

static const double toy_w[3][2] = { { 0.5, -0.25 }, { 0.125, 1.0 }, { -0.75, 0.0 } };
static const double toy_th[2] = { 0.3, 0.9 };

typedef struct {
  char *dir;
  char *net;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->dir = sq_test_tmpdir ();
  f->net = g_build_filename (f->dir, "net.toy", NULL);
  sq_test_toy_write (f->net, toy_w, toy_th);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  sq_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->net);
}

static char *
read_fd (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  gssize n;

  lseek (fd, 0, SEEK_SET);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (s, buf, n);
  close (fd);
  return g_string_free (s, FALSE);
}

/* Runs `synquant-cli ARGS…` in this process, stdout and stderr captured. */
static void
run_cli (SqTestRun  *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char **argv = NULL;
  g_autofree char *out_name = NULL, *err_name = NULL;
  int out = -1, err = -1, saved_out, saved_err;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, g_strdup ("synquant-cli"));
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  /* GOption takes arguments out of the array it parses: it gets a copy of the pointers. */
  argv = g_new0 (char *, args->len + 1);
  memcpy (argv, args->pdata, args->len * sizeof (char *));

  out = g_file_open_tmp ("cli-toy-out-XXXXXX", &out_name, NULL);
  err = g_file_open_tmp ("cli-toy-err-XXXXXX", &err_name, NULL);
  g_assert_cmpint (out, >=, 0);
  g_assert_cmpint (err, >=, 0);
  fflush (stdout);
  fflush (stderr);
  saved_out = dup (STDOUT_FILENO);
  saved_err = dup (STDERR_FILENO);
  dup2 (out, STDOUT_FILENO);
  dup2 (err, STDERR_FILENO);
  run->status = cli_main ((int) args->len, argv);
  fflush (stdout);
  fflush (stderr);
  dup2 (saved_out, STDOUT_FILENO);
  dup2 (saved_err, STDERR_FILENO);
  close (saved_out);
  close (saved_err);
  run->out = read_fd (out);
  run->err = read_fd (err);
  g_unlink (out_name);
  g_unlink (err_name);
}

/* The network, and its quantization with @method and @bits, through the generic API. */
static SqNetworkResult *
quantize (const char *path,
          const char *method,
          int         bits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  SqNetworkResult *r;
  SqQuantSettings s;

  g_assert_no_error (error);
  sq_quant_settings_init (&s, n->kind);
  g_assert_true (sq_quant_settings_set_string (&s, "method", method, &error));
  g_assert_true (sq_quant_settings_set (&s, "weight-bits", bits, &error));
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
test_quantize (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *q = g_build_filename (f->dir, "q.toy", NULL);
  g_autofree char *report = g_build_filename (f->dir, "r.json", NULL);
  g_autoptr(SqNetworkResult) r = quantize (f->net, "rms", 3);
  g_autoptr(GBytes) expected = sq_network_save_bytes (r, q, NULL);
  g_autoptr(JsonNode) expected_report = sq_network_result_report (r, "net.toy");
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *summary = sq_network_result_summary (r);
  g_autofree char *err = g_strdup_printf ("net.toy: %s", summary);
  g_autofree char *contents = NULL;
  g_auto(SqTestRun) run = { 0, };
  gsize length;

  run_cli (&run, "quantize", f->net, "-o", q, "--method", "rms", "--weight-bits", "3",
           "--report", report, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, err);
  g_assert_true (g_file_get_contents (q, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));
  written = sq_test_parse_file (report);
  g_assert_true (json_node_equal (written, expected_report));
}

static void
test_quantize_bad_options (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *q = g_build_filename (f->dir, "q.toy", NULL);
  static const char * const cases[][3] = {
    { "--mode", "rockpool", "Toy network: no setting “mode”; use method or weight-bits" },
    { "--weight-bits", "9", "weight bits must be from 2 to 8, not 9" },
    { "--method", "global", "unknown method “global”; use max or rms" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(SqTestRun) run = { 0, };
      g_autofree char *expected = g_strdup_printf ("synquant-cli quantize: %s\n", cases[i][2]);

      run_cli (&run, "quantize", f->net, "-o", q, cases[i][0], cases[i][1], NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_true (g_str_has_prefix (run.err, expected));
      g_assert_false (g_file_test (q, G_FILE_TEST_EXISTS));
    }
}

/* --set reaches any setting of the input's kind by its id: the same bytes as the named
 * options, and one message for a malformed or unknown name. */
static void
test_quantize_set (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *q = g_build_filename (f->dir, "q.toy", NULL);
  g_autoptr(SqNetworkResult) r = quantize (f->net, "rms", 3);
  g_autoptr(GBytes) expected = sq_network_save_bytes (r, q, NULL);
  static const char * const bad[][2] = {
    { "bits", "synquant-cli quantize: --set takes NAME=VALUE, not “bits”\n" },
    { "=3", "synquant-cli quantize: --set takes NAME=VALUE, not “=3”\n" },
    { "bits=3", "synquant-cli quantize: Toy network: no setting “bits”; use method or "
                "weight-bits\n" },
    { "weight-bits=9", "synquant-cli quantize: weight bits must be from 2 to 8, not 9\n" },
  };
  g_auto(SqTestRun) run = { 0, };
  g_autofree char *contents = NULL;
  gsize length;

  run_cli (&run, "quantize", f->net, "-o", q, "--set", "method=twice-rms", "--set",
           "weight-bits=3", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (q, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));
  g_assert_no_errno (g_unlink (q));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(SqTestRun) b = { 0, };

      run_cli (&b, "quantize", f->net, "-o", q, "--set", bad[i][0], NULL);
      g_assert_cmpint (b.status, ==, 1);
      g_assert_true (g_str_has_prefix (b.err, bad[i][1]));
      g_assert_false (g_file_test (q, G_FILE_TEST_EXISTS));
    }
}

static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *expected = sq_network_describe_file (f->net, NULL, NULL);
  g_auto(SqTestRun) run = { 0, };

  run_cli (&run, "info", f->net, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_true (g_str_has_prefix (run.out, "net.toy: Toy network with float values\n"));
  g_assert_nonnull (strstr (run.out, "\n  weights        (3, 2) "));
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *q = g_build_filename (f->dir, "q.toy", NULL);
  g_autoptr(SqNetworkResult) r = quantize (f->net, "max", 4);
  g_autoptr(JsonNode) json = NULL;
  g_auto(SqTestRun) run = { 0, }, fits = { 0, }, as_json = { 0, };
  JsonObject *root;
  JsonObject *issue;

  /* The float network as it is: four weights are not whole. */
  run_cli (&run, "check", f->net, "--device", "dynapcnn", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "error: weight 0: 0.5 is not an int8\n"));
  g_assert_true (g_str_has_suffix (run.out, "net.toy does not fit DynapCNN / Speck: "
                                            "4 violations, 0 silent changes\n"));

  run_cli (&as_json, "check", f->net, "--device", "dynapcnn", "--json", NULL);
  g_assert_cmpint (as_json.status, ==, 1);
  json = json_from_string (as_json.out, NULL);
  root = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (root, "device"), ==, "dynapcnn");
  g_assert_cmpint (json_object_get_int_member (root, "violations"), ==, 4);
  issue = json_array_get_object_element (json_object_get_array_member (root, "issues"), 3);
  /* The issue names the toy's own group. */
  g_assert_cmpstr (json_object_get_string_member (issue, "param"), ==, "weights");
  g_assert_cmpint (json_object_get_int_member (issue, "index"), ==, 4);

  /* Quantized, it fits. */
  g_assert_true (sq_network_save (r, q, NULL));
  run_cli (&fits, "check", q, "-d", "dynapcnn", NULL);
  g_assert_cmpint (fits.status, ==, 0);
  g_assert_cmpstr (fits.out, ==, "q.toy fits DynapCNN / Speck\n");
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "out.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(SqTestRun) run = { 0, }, bad = { 0, }, device = { 0, };

  run_cli (&run, "export", f->net, "-d", "dynapcnn", "-f", "toy-text", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.err, "net.toy: method=max weight-bits=4\n"));
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  /* 4 bits: ±7 over the largest |w| = 1, rint half to even. */
  g_assert_cmpstr (contents, ==, "toy for dynapcnn\nscale 7\n4 -2\n1 7\n-5 0\n");

  run_cli (&bad, "export", f->net, "-d", "dynapcnn", "-f", "samna-json", "-o", out, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  /* Another kind's format: said once the file is known to be a toy network. */
  g_assert_true (g_str_has_prefix (bad.err, "synquant-cli export: unknown format “samna-json” "
                                            "for a Toy network; use one of toy-text\n"));
  run_cli (&bad, "export", f->net, "-d", "dynapcnn", "-f", "no-such", "-o", out, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_true (g_str_has_prefix (bad.err, "synquant-cli export: unknown format “no-such”; "
                                            "use one of toy-text\n"));

  /* A device the toy cannot run on: its check says so and nothing is written. */
  g_unlink (out);
  run_cli (&device, "export", f->net, "-d", "xylo-imu", "-f", "toy-text", "-o", out, NULL);
  g_assert_cmpint (device.status, ==, 1);
  g_assert_nonnull (strstr (device.err, "net.toy does not fit XyloIMU:\nerror: toy networks "
                                        "run on dynapcnn only\n"));
  g_assert_true (g_str_has_suffix (device.err, "nothing written; --force exports anyway\n"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SqNetworkResult) max = quantize (f->net, "max", 4);
  g_autoptr(SqNetworkResult) rms = quantize (f->net, "rms", 4);
  SqNetworkResult *rows[2] = { max, rms };
  int best = sq_network_results_best (rows, 2);
  g_autofree char *expected = sq_network_compare_text (rows, 2, best);
  g_autoptr(JsonNode) json = NULL;
  g_auto(SqTestRun) run = { 0, }, as_json = { 0, };

  run_cli (&run, "compare", f->net, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_true (g_str_has_prefix (run.out, "net.toy: weight-bits=4\n"));

  run_cli (&as_json, "compare", "--json", f->net, NULL);
  g_assert_cmpint (as_json.status, ==, 0);
  json = json_from_string (as_json.out, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json), "rows")), ==, 2);
}

static void
test_simulate (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "s.json", NULL);
  g_auto(SqTestRun) run = { 0, }, device = { 0, };

  run_cli (&run, "simulate", f->net, "--poisson", "0.1", "--steps", "5", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "synquant-cli: a Toy network cannot be simulated\n");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  run_cli (&device, "simulate", f->net, "--poisson", "0.1", "--steps", "5", "-o", out,
           "--device", "xylo-v1", NULL);
  g_assert_cmpint (device.status, ==, 1);
  g_assert_true (g_str_has_prefix (device.err, "synquant-cli simulate: unknown device "
                                               "“xylo-v1”; use dynapcnn\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sq_test_toy_register ();

  g_test_add ("/cli-toy/quantize", Fixture, NULL, setup, test_quantize, teardown);
  g_test_add ("/cli-toy/quantize/bad-options", Fixture, NULL, setup, test_quantize_bad_options,
              teardown);
  g_test_add ("/cli-toy/quantize/set", Fixture, NULL, setup, test_quantize_set, teardown);
  g_test_add ("/cli-toy/info", Fixture, NULL, setup, test_info, teardown);
  g_test_add ("/cli-toy/check", Fixture, NULL, setup, test_check, teardown);
  g_test_add ("/cli-toy/export", Fixture, NULL, setup, test_export, teardown);
  g_test_add ("/cli-toy/compare", Fixture, NULL, setup, test_compare, teardown);
  g_test_add ("/cli-toy/simulate", Fixture, NULL, setup, test_simulate, teardown);

  return g_test_run ();
}
