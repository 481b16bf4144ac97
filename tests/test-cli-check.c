/* test-cli-check.c: synquant-cli check — exit statuses, the report on the examples, a crafted
 * network XyloIMU cannot hold, --json, and usage errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-utils.h"

/* synquant-cli check @spec --device @device [@extra]; returns the exit status. */
static int
check (const char *spec,
       const char *device,
       const char *extra,
       char      **out,
       char      **err)
{
  g_autofree char *cli = sq_test_cli_path ();
  const char *argv[] = { cli, "check", spec, "--device", device, extra, NULL };
  int status = -1;

  sq_test_run (argv, &status, out, err);
  return status;
}

/* Integer, two synapses, one weight of 200: XyloIMU has one synapse and int8 weights. */
static const char imu_breaking[] =
  "{\"weights_in\": [[[1, 0], [0, 2]]],"
  " \"weights_rec\": [[[0, 0], [200, 0]], [[3, 0], [0, 0]]],"
  " \"weights_out\": [[4], [5]],"
  " \"threshold\": [100, 100], \"threshold_out\": [50],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_syn_2\": [3, 3],"
  " \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

static char *tmpdir;

/* Written into the test's private folder, which main() empties and removes. */
static char *
write_tmp (const char *name,
           const char *content)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

/* small.json is a float network sized for XyloAudio 2: it fits, with notes. */
static void
test_small_fits_audio2 (void)
{
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *out = NULL, *err = NULL, *expected_end = NULL;

  g_assert_cmpint (check (small, "xylo-audio2", NULL, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "note: the specification is not quantized ("));
  g_assert_nonnull (strstr (out, "\nnote: bias: 32 hidden neurons have non-zero biases; "));
  expected_end = g_strdup_printf ("%s fits XyloAudio 2\n2 notes\n", small);
  g_assert_true (g_str_has_suffix (out, expected_end));
  g_assert_cmpstr (err, ==, "");

  /* Two synapses: not on XyloIMU; Xylo v1 takes no bias. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (check (small, "xylo-imu", NULL, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (out, "error: 2 synapses per hidden neuron > 1: Rockpool's "
                                        "configuration for XyloIMU raises ValueError\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (check (small, "xylo-v1", NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "error: bias: 32 hidden neurons have non-zero biases, but "
                                 "Xylo v1 neurons take no bias\n"));
}

/* The generated Xylo-size example (1000 hidden neurons, 2 synapses, 2.8 % recurrent density,
 * biases) is made for XyloAudio 2: about 28 recurrent targets per neuron and 28 000 pairs, within
 * its fan-out of 64 and 32 000 entries. 1000 neurons exceed XyloIMU's 496 and XyloAudio 3's 992,
 * and Xylo v1 takes no bias. */
static void
test_xylo_example (void)
{
  const char *xylo = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (check (xylo, "xylo-audio2", NULL, &out, &err), ==, 0);
  g_assert_null (strstr (out, "error:"));
  g_assert_null (strstr (out, "silent change:"));
  g_assert_nonnull (strstr (out, " fits XyloAudio 2\n2 notes\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (check (xylo, "xylo-audio3", NULL, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (out, "error: 1000 hidden neurons > 992\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (check (xylo, "xylo-imu", NULL, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (out, "error: 1000 hidden neurons > 496\n"));
  g_assert_nonnull (strstr (out, "\nsilent change: weights_out rows 0–115, 117–120, "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (check (xylo, "xylo-v1", NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, " does not fit Xylo v1: 2 violations, 0 silent changes\n"));
}

static void
test_imu_breaking (void)
{
  g_autofree char *path = write_tmp ("imu-breaking.json", imu_breaking);
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;

  g_assert_cmpint (check (path, "xylo-imu", NULL, &out, &err), ==, 1);
  expected = g_strdup_printf (
    "error: 2 synapses per hidden neuron > 1: Rockpool's configuration for XyloIMU raises "
    "ValueError\n"
    "error: weights_rec: 1 value outside -128…127: weights_rec[0][1][0] = 200\n"
    "silent change: weights_rec: Rockpool's int8 cast would wrap 1 value modulo 256: "
    "weights_rec[0][1][0] = 200 becomes -56\n"
    "%s does not fit XyloIMU: 2 violations, 1 silent change\n", path);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "");
}

static void
test_json (void)
{
  g_autofree char *path = write_tmp ("imu-breaking-json.json", imu_breaking);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *issue;
  JsonArray *issues;

  g_assert_cmpint (check (path, "xylo-imu", "--json", &out, &err), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "device"), ==, "xylo-imu");
  g_assert_false (json_object_get_boolean_member (root, "fits"));
  g_assert_cmpint (json_object_get_int_member (root, "violations"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "silent_changes"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "notes"), ==, 0);
  issues = json_object_get_array_member (root, "issues");
  g_assert_cmpuint (json_array_get_length (issues), ==, 3);
  issue = json_array_get_object_element (issues, 0);
  g_assert_cmpstr (json_object_get_string_member (issue, "severity"), ==, "violation");
  g_assert_cmpstr (json_object_get_string_member (issue, "kind"), ==, "synapse-count");
  g_assert_cmpstr (json_object_get_string_member (issue, "param"), ==, "weights_rec");
  g_assert_true (json_object_get_null_member (issue, "index"));
  issue = json_array_get_object_element (issues, 2);
  g_assert_cmpstr (json_object_get_string_member (issue, "severity"), ==, "silent-change");
  g_assert_cmpstr (json_object_get_string_member (issue, "kind"), ==, "int8-wrap");

  /* A network that fits: exit 0 and "fits": true. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (check (path, "xylo-audio2", "--json", &out, &err), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *ok = write_tmp ("fits.json",
      "{\"weights_in\": [[1, 0]], \"weights_rec\": [[0, 3], [0, 0]], \"weights_out\": [[0], [5]],"
      " \"threshold\": [100, 100], \"threshold_out\": [50], \"dash_mem\": [4, 4],"
      " \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}");
    g_autoptr(JsonParser) p2 = json_parser_new ();

    g_assert_cmpint (check (ok, "speck2f", "--json", &out, &err), ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    for (guint i = 0; i < 4; i++)
      {
        g_assert_cmpint (check (ok, sq_device_profiles ()[i].name, "--json", &out, &err), ==, 0);
        g_assert_true (json_parser_load_from_data (p2, out, -1, NULL));
        root = json_node_get_object (json_parser_get_root (p2));
        g_assert_true (json_object_get_boolean_member (root, "fits"));
        g_assert_true (json_object_get_boolean_member (root, "alive"));
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "issues")),
                          ==, 0);
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
    g_assert_cmpint (check (ok, "xylo-imu", NULL, &out, &err), ==, 0);
    g_assert_true (g_str_has_suffix (out, " fits XyloIMU\n"));
  }
}

/* The braille graph mapped at dt = 1 ms fits XyloAudio 2 but every membrane dash is 0: a
 * warning line per layer, the verdict says so, and the exit status is 1 so a script that
 * checks before it exports stops here. */
static void
test_dead (void)
{
  g_autofree char *path = sq_test_data_path ("data", "nir", "braille_noDelay_bias_zero.nir",
                                             NULL);
  g_autofree char *cli = sq_test_cli_path ();
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  const char *argv[] = { cli, "check", path, "--device", "xylo-audio2", "--dt", "0.001", NULL,
                         NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *issue;
  JsonArray *issues;
  int status = -1;

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR");
      return;
    }
  sq_test_run (argv, &status, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (out, "\nwarning: dash_mem is 0 for all 38 hidden neurons: their "
                                 "membranes forget their potential every step (τ_mem below "
                                 "1.41·dt)\n"
                                 "warning: dash_mem_out is 0 for all 7 output neurons: their "
                                 "membranes forget their potential every step (τ_mem below "
                                 "1.41·dt)\n"));
  expected = g_strdup_printf ("%s fits XyloAudio 2 but cannot work: 2 warnings\n2 notes\n",
                              path);
  g_assert_true (g_str_has_suffix (out, expected));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  argv[7] = "--json";
  sq_test_run (argv, &status, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "fits"));
  g_assert_false (json_object_get_boolean_member (root, "alive"));
  g_assert_cmpint (json_object_get_int_member (root, "dead"), ==, 2);
  issues = json_object_get_array_member (root, "issues");
  issue = json_array_get_object_element (issues, json_array_get_length (issues) - 1);
  g_assert_cmpstr (json_object_get_string_member (issue, "severity"), ==, "dead");
  g_assert_cmpstr (json_object_get_string_member (issue, "kind"), ==, "dead-membrane");
  g_assert_cmpstr (json_object_get_string_member (issue, "param"), ==, "dash_mem_out");
}

static void
test_usage (void)
{
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *cli = sq_test_cli_path ();
  g_autofree char *out = NULL, *err = NULL;
  const char *no_device[] = { cli, "check", small, NULL };
  int status = -1;

  g_assert_cmpint (check (small, "xylo", NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "synquant-cli check: unknown device “xylo”; use one of "
                                        "xylo-v1, xylo-audio2, xylo-imu, xylo-audio3, dynapcnn, "
                                        "speck2e, speck2f (speck), mcu\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_false (sq_test_run (no_device, &status, &out, &err));
  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "synquant-cli check: missing --device; one of "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (check ("/nonexistent/net.json", "xylo-imu", NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "/nonexistent/net.json"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = sq_test_tmpdir ();

  g_test_add_func ("/cli-check/small-fits-audio2", test_small_fits_audio2);
  g_test_add_func ("/cli-check/xylo-example", test_xylo_example);
  g_test_add_func ("/cli-check/imu-breaking", test_imu_breaking);
  g_test_add_func ("/cli-check/json", test_json);
  g_test_add_func ("/cli-check/usage", test_usage);
  g_test_add_func ("/cli-check/dead", test_dead);

  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
