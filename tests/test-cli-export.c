/* test-cli-export.c: synquant-cli export — refusal with the check's list, --force, values
 * never wrapped, every format equal to the library's bytes, usage errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-utils.h"

/* An integer network with @n_hidden hidden neurons, 1 input, 1 output, one synapse: 500 fit
 * Audio 2 (1000) but not IMU (496). @w10 is weights_rec[1][0]. */
static char *
write_network (const char *dir,
               gsize       n_hidden,
               int         w10)
{
  g_autoptr(GString) s = g_string_new ("{\"weights_in\": [[");
  g_autofree char *path = g_build_filename (dir, "net.json", NULL);
  g_autoptr(GError) error = NULL;

#define ROW(value) G_STMT_START { \
    for (gsize j = 0; j < n_hidden; j++) \
      g_string_append_printf (s, j ? ", %d" : "%d", (value)); \
  } G_STMT_END

  ROW (1);
  g_string_append (s, "]], \"weights_rec\": [");
  for (gsize i = 0; i < n_hidden; i++)
    {
      g_string_append (s, i ? ", [" : "[");
      ROW (i == 1 && j == 0 ? w10 : 0);
      g_string_append (s, "]");
    }
  g_string_append (s, "], \"weights_out\": [");
  for (gsize i = 0; i < n_hidden; i++)
    g_string_append (s, i ? ", [2]" : "[2]");
  g_string_append (s, "], \"dash_mem\": [");
  ROW (2);
  g_string_append (s, "], \"dash_syn\": [");
  ROW (3);
  g_string_append (s, "], \"threshold\": [");
  ROW (10);
  g_string_append (s, "], \"dash_mem_out\": [4], \"dash_syn_out\": [5], "
                      "\"threshold_out\": [20], \"dt\": 0.001}");
#undef ROW

  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_refusal (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *net = write_network (dir, 500, 0);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_auto(SqTestRun) r = { 0, };

  sq_test_run_cli (&r, "export", net, "--device", "xylo-imu", "--format", "rockpool-json", "-o",
                   out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "net.json does not fit XyloIMU:\n"));
  /* The check's list: one line per problem, the hidden count among them. */
  g_assert_nonnull (strstr (r.err, "\nerror: "));
  g_assert_nonnull (strstr (r.err, "500 hidden neurons"));
  g_assert_nonnull (strstr (r.err, "nothing written; --force exports anyway"));
  g_assert_cmpstr (r.out, ==, "");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  sq_test_run_clear (&r);

  /* Audio 2 holds it. */
  sq_test_run_cli (&r, "export", net, "--device", "xylo-audio2", "--format", "rockpool-json", "-o",
                   out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  sq_test_remove_tree (dir);
}

static void
test_force (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *net = write_network (dir, 500, -3);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) back = NULL;
  g_auto(SqTestRun) r = { 0, };

  sq_test_run_cli (&r, "export", net, "-d", "xylo-imu", "-f", "rockpool-json", "-o", out, "--force",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "net.json does not fit XyloIMU:\n"));
  g_assert_nonnull (strstr (r.err, "500 hidden neurons"));
  g_assert_nonnull (strstr (r.err, "warning: exporting anyway (--force)\n"));
  back = sq_xylo_spec_load_file (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_hidden, ==, 500);
  /* weights_rec[1][0][0] of the (500, 500, 1) matrix */
  g_assert_cmpuint (back->param[SQ_PARAM_WEIGHTS_REC].rank, ==, 3);
  g_assert_cmpfloat (back->param[SQ_PARAM_WEIGHTS_REC].data[500], ==, -3);
  sq_test_remove_tree (dir);
}

/* --force accepts a network that does not fit, never a value the register cannot hold. */
static void
test_force_never_wraps (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *net = write_network (dir, 3, 200);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *ram = g_build_filename (dir, "ram", NULL);
  g_auto(SqTestRun) r = { 0, };

  sq_test_run_cli (&r, "export", net, "-d", "xylo-audio2", "-f", "samna-json", "-o", out, "--force",
                   NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "synquant-cli: net.json: weights_rec[1][0] is 200, outside "
                                   "XyloAudio 2's range -128…127; values are never wrapped\n"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  sq_test_run_clear (&r);

  sq_test_run_cli (&r, "export", net, "-d", "xylo-audio2", "-f", "xylo-ram", "-o", ram, "--force",
                   NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "weights_rec[1][0] is 200"));
  g_assert_false (g_file_test (ram, G_FILE_TEST_EXISTS));
  sq_test_remove_tree (dir);
}

static SqQuantResult *
quantize_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
  SqQuantParams params;
  SqQuantResult *q;

  g_assert_no_error (error);
  sq_quant_params_init (&params);
  q = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  return q;
}

static void
assert_file_equals (const char *path,
                    GBytes     *want)
{
  g_autofree char *have = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &have, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (have, len, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
}

/* The CLI quantizes a float input with the default parameters and writes exactly what the
 * library builds for the same quantization. */
static void
test_formats (void)
{
  g_autofree char *small = sq_test_data_path ("data", "export", "small.json", NULL);
  g_autoptr(SqQuantResult) q = quantize_file (small);
  g_autofree char *dir = sq_test_tmpdir ();
  const SqDeviceProfile *device = sq_device_profile_lookup ("xylo-audio2");
  SqExportOptions options = { .source = "small.json" };

  for (guint f = 0; f < SQ_N_EXPORT_FORMATS; f++)
    {
      const char *name = sq_export_format_to_string (f);
      g_autofree char *out = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) files = NULL;
      g_auto(SqTestRun) r = { 0, };

      if (f == SQ_EXPORT_NIR && !sq_nir_is_supported ())
        continue;
      sq_test_run_cli (&r, "export", small, "--device", "xylo-audio2", "--format", name, "-o", out,
                       NULL);
      g_assert_cmpint (r.status, ==, 0);
      /* The quantization summary, with the scale of the hidden layer */
      g_assert_nonnull (strstr (r.err, "global scaling, Synquant mode"));

      files = sq_export_build (q->spec, q, device, f, out, &options, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (files->len, ==, f == SQ_EXPORT_XYLO_RAM ? 15 : 1);
      for (guint i = 0; i < files->len; i++)
        {
          const SqExportFile *file = g_ptr_array_index (files, i);

          assert_file_equals (file->path, file->data);
        }
      sq_test_remove_tree (out);
    }
  sq_test_remove_tree (dir);
}

/* An integer specification is exported as it is: no quantization, the same bytes back. */
static void
test_integer_as_is (void)
{
  g_autofree char *golden = sq_test_data_path ("data", "export",
                                               "small-xylo-audio2.rockpool.json", NULL);
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "again.json", NULL);
  g_autofree char *want = NULL, *have = NULL;
  g_auto(SqTestRun) r = { 0, };

  sq_test_run_cli (&r, "export", golden, "-d", "xylo-audio2", "-f", "rockpool-json", "-o", out,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "scaling"));
  g_assert_true (g_file_get_contents (golden, &want, NULL, NULL));
  g_assert_true (g_file_get_contents (out, &have, NULL, NULL));
  g_assert_cmpstr (have, ==, want);
  sq_test_remove_tree (dir);
}

static void
test_usage (void)
{
  g_autofree char *small = sq_test_data_path ("data", "export", "small.json", NULL);
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  static const struct {
    const char *args[6];
    const char *message;
  } cases[] = {
    { { "-d", "xylo-9", "-f", "nir", NULL },
      "synquant-cli export: unknown device “xylo-9”; use one of xylo-v1, xylo-audio2, "
      "xylo-imu, xylo-audio3, dynapcnn, speck2e, speck2f (speck), mcu\n" },
    { { "-d", "xylo-imu", "-f", "samna", NULL },
      "synquant-cli export: unknown format “samna”; use one of rockpool-json, rockpool-npz, "
      "samna-json, xylo-ram, c-header, nir\n" },
    { { "-f", "nir", NULL }, "missing device (--device D); one of xylo-v1" },
    { { "-d", "xylo-imu", NULL }, "missing format (--format F); one of rockpool-json" },
    { { "-d", "xylo-imu", "-f", "nir", "--c-source", "x.c" },
      "--c-source goes with --format c-header only" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(SqTestRun) r = { 0, };

      sq_test_run_cli (&r, "export", small, "-o", out, cases[i].args[0], cases[i].args[1],
                       cases[i].args[2], cases[i].args[3], cases[i].args[4], cases[i].args[5],
                       NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      g_assert_nonnull (strstr (r.err, "Try “synquant-cli export --help”"));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  {
    g_auto(SqTestRun) r = { 0, };

    sq_test_run_cli (&r, "export", small, "-d", "xylo-imu", "-f", "nir", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "missing output (-o OUT)"));
  }
  {
    g_auto(SqTestRun) r = { 0, };

    /* The help lists every device and format. */
    sq_test_run_cli (&r, "export", "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Devices: xylo-v1, xylo-audio2, xylo-imu, xylo-audio3"));
    g_assert_nonnull (strstr (r.out, "Formats: rockpool-json, rockpool-npz, samna-json, "
                                     "xylo-ram, c-header, nir"));
  }
  {
    g_auto(SqTestRun) r = { 0, };

    g_autofree char *h = g_build_filename (dir, "net.h", NULL);
    g_autofree char *c = g_build_filename (dir, "net.c", NULL);
    g_autofree char *text = NULL;

    /* The header and its companion, which includes it by name. */
    sq_test_run_cli (&r, "export", small, "-d", "xylo-audio2", "-f", "c-header", "-o", h,
                     "--c-source", c, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (h, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_get_contents (c, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "#include \"net.h\""));
    g_assert_nonnull (strstr (text, "net_step ("));
    g_unlink (h);
    g_unlink (c);
  }
  sq_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/export/refusal", test_refusal);
  g_test_add_func ("/cli/export/force", test_force);
  g_test_add_func ("/cli/export/force-never-wraps", test_force_never_wraps);
  g_test_add_func ("/cli/export/formats", test_formats);
  g_test_add_func ("/cli/export/integer-as-is", test_integer_as_is);
  g_test_add_func ("/cli/export/usage", test_usage);

  return g_test_run ();
}
