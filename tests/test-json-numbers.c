/* test-json-numbers.c: every JSON document Synquant writes reads back, over extreme numbers
 *
 * json-glib 1.6 alone writes 1e-08 as "1e-08.0", which no JSON reader takes (issue 15): the
 * report, compare --json, check --json and sessions go through sq_json_to_data, the
 * specifications, recordings and exports through our own writers. Each is parsed back here
 * with numbers near 0, near the largest double, subnormal, negative zero and beyond int64.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static const double extremes[] = {
  1e-8, -1e-8, 1e300, -1e300, 5e-324, -0.0, 0.0, 0.1, 1.0, 1e16, 1.5e16, 1e-5, 0.001,
  -1.3e145, 2.2250738585072014e-308, DBL_MAX, -DBL_MAX, 9007199254740993.0, 0x1p63, 1e22,
};

/* Both the same double, bit for bit: -0.0 keeps its sign. */
static void
assert_same_double (double got,
                    double want)
{
  if (memcmp (&got, &want, sizeof got) != 0)
    g_error ("read back %.17g, wrote %.17g", got, want);
}

static JsonNode *
parse_text (const char *text,
            const char *what)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("%s does not read back: %s\n%s", what, error->message, text);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_to_data (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL, back = NULL;
  /* Strings pass unchanged, also when they look like numbers. */
  static const char tricky[] = "1e-08.0 \"0.10000000000000001\" \\ -0.0";
  static const gint64 ints[] = { 0, -1, 123456789012345678, G_MININT64, G_MAXINT64 };
  JsonArray *doubles, *integers;

  for (guint pretty = 0; pretty < 2; pretty++)
    {
      g_autofree char *text = NULL;
      gsize length = 0;

      json_builder_reset (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "doubles");
      json_builder_begin_array (b);
      for (guint i = 0; i < G_N_ELEMENTS (extremes); i++)
        json_builder_add_double_value (b, extremes[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "ints");
      json_builder_begin_array (b);
      for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
        json_builder_add_int_value (b, ints[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, tricky);
      json_builder_add_string_value (b, tricky);
      json_builder_end_object (b);
      g_clear_pointer (&root, json_node_unref);
      root = json_builder_get_root (b);

      text = sq_json_to_data (root, pretty, &length);
      g_assert_cmpuint (length, ==, strlen (text));
      g_assert_true (g_str_has_suffix (text, "}\n"));
      /* The shortest spelling, as Python's repr. */
      g_assert_nonnull (strstr (text, "1e-08,"));
      g_assert_nonnull (strstr (text, "1e+300,"));
      g_assert_nonnull (strstr (text, "5e-324,"));
      g_assert_nonnull (strstr (text, "-0.0,"));
      g_assert_nonnull (strstr (text, "0.1,"));
      g_assert_nonnull (strstr (text, "1e+16,"));
      g_assert_nonnull (strstr (text, "-9223372036854775808"));

      g_clear_pointer (&back, json_node_unref);
      back = parse_text (text, "sq_json_to_data");
      doubles = json_object_get_array_member (json_node_get_object (back), "doubles");
      integers = json_object_get_array_member (json_node_get_object (back), "ints");
      g_assert_cmpuint (json_array_get_length (doubles), ==, G_N_ELEMENTS (extremes));
      for (guint i = 0; i < G_N_ELEMENTS (extremes); i++)
        {
          JsonNode *n = json_array_get_element (doubles, i);

          g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_DOUBLE);
          assert_same_double (json_node_get_double (n), extremes[i]);
        }
      for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
        g_assert_cmpint (json_array_get_int_element (integers, i), ==, ints[i]);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (back), tricky), ==,
                       tricky);
    }
}

static char *
read_back (const char *path)
{
  char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* A float specification at the edges of the doubles, with dashes far beyond int64 that
 * Rockpool mode keeps. */
static const char spec_text[] =
  "{\"weights_in\": [[1e-8, 5e-324], [1e300, -0.0]],"
  " \"weights_rec\": [[1e-8, 0.1], [1e-300, 3]], \"weights_out\": [[1e-8], [2.5]],"
  " \"threshold\": [1e-8, 1e300], \"threshold_out\": [5e-324],"
  " \"dash_mem\": [1, -1.3e145], \"dash_syn\": [1e145, 2], \"dash_mem_out\": [1],"
  " \"dash_syn_out\": [1], \"dt\": 1e-8}";

static void
assert_ok (const SqTestRun *run,
           const char      *what)
{
  if (run->status != 0)
    g_error ("synquant-cli %s failed: %s", what, run->err);
}

static void
test_cli (SqTestDir     *f,
          gconstpointer  data)
{
  g_autofree char *spec = sq_test_dir_path (f, "x.json"), *q = sq_test_dir_path (f, "q.json");
  g_autofree char *qr = sq_test_dir_path (f, "qr.json"), *in = sq_test_dir_path (f, "in.csv");
  g_autofree char *report = sq_test_dir_path (f, "report.json");
  g_autofree char *sim = sq_test_dir_path (f, "sim.json");
  static const char * const outputs[] = { "q.json", "qr.json", "report.json", "report2.json",
                                          "sim.json", "sim2.json", "rockpool.json",
                                          "samna.json" };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *dashes;
  JsonArray *mem, *syn;

  g_assert_true (g_file_set_contents (spec, spec_text, -1, NULL));
  g_assert_true (g_file_set_contents (in, "1,0\n0,20\n0,0\n", -1, NULL));

  {
    g_auto(SqTestRun) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 }, r5 = { 0 }, r6 = { 0 };
    g_auto(SqTestRun) r7 = { 0 }, r8 = { 0 };
    g_autofree char *report2 = sq_test_dir_path (f, "report2.json");
    g_autofree char *sim2 = sq_test_dir_path (f, "sim2.json");
    g_autofree char *rockpool = sq_test_dir_path (f, "rockpool.json");
    g_autofree char *samna = sq_test_dir_path (f, "samna.json");
    g_autoptr(JsonNode) compare = NULL, check = NULL;

    sq_test_run_cli (&r1, "quantize", spec, "--mode", "rockpool", "-o", qr, "--report",
                     report, NULL);
    assert_ok (&r1, "quantize --mode rockpool");
    sq_test_run_cli (&r2, "quantize", spec, "--method", "channel", "--fuzzy", "-o", q,
                     "--report", report2, NULL);
    assert_ok (&r2, "quantize --method channel");
    sq_test_run_cli (&r3, "simulate", spec, "--float", "--record", "all", "--input", in, "-o",
                     sim, NULL);
    assert_ok (&r3, "simulate --float");
    sq_test_run_cli (&r4, "simulate", q, "--record", "all", "--input", in, "-o", sim2, NULL);
    assert_ok (&r4, "simulate");
    sq_test_run_cli (&r5, "export", q, "--device", "xylo-audio3", "--format", "rockpool-json",
                     "-o", rockpool, NULL);
    assert_ok (&r5, "export --format rockpool-json");
    sq_test_run_cli (&r6, "export", q, "--device", "xylo-audio3", "--format", "samna-json",
                     "-o", samna, NULL);
    assert_ok (&r6, "export --format samna-json");
    sq_test_run_cli (&r7, "compare", "--json", spec, NULL);
    assert_ok (&r7, "compare --json");
    compare = parse_text (r7.out, "compare --json");
    sq_test_run_cli (&r8, "check", "--json", "--device", "xylo-audio3", q, NULL);
    assert_ok (&r8, "check --json");
    check = parse_text (r8.out, "check --json");
  }

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *path = sq_test_dir_path (f, outputs[i]);
      g_autofree char *text = read_back (path);
      g_autoptr(JsonNode) node = parse_text (text, outputs[i]);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
    }

  /* The report holds the dashes Rockpool mode kept, as they are (once INT64_MIN). */
  {
    g_autofree char *text = read_back (report);

    root = parse_text (text, "the report");
  }
  dashes = json_object_get_object_member (json_node_get_object (root), "dashes");
  mem = json_object_get_array_member (json_object_get_object_member (dashes, "dash_mem"),
                                      "values");
  syn = json_object_get_array_member (json_object_get_object_member (dashes, "dash_syn"),
                                      "values");
  g_assert_cmpint (json_array_get_int_element (mem, 0), ==, 1);
  assert_same_double (json_array_get_double_element (mem, 1), -1.3e145);
  assert_same_double (json_array_get_double_element (syn, 0), 1e145);
  g_assert_cmpint (json_array_get_int_element (syn, 1), ==, 2);

  /* The float recording keeps the subnormal and the tiny numbers exactly. */
  {
    g_autofree char *text = read_back (sim);
    g_autoptr(JsonNode) rec = parse_text (text, "the recording");
    JsonArray *isyn = json_object_get_array_member (json_node_get_object (rec),
                                                    "isyn_hidden");
    JsonArray *t0 = json_array_get_array_element (isyn, 0);

    assert_same_double (json_array_get_double_element (json_array_get_array_element (t0, 0),
                                                       0), 1e-8);
    assert_same_double (json_array_get_double_element (json_array_get_array_element (t0, 1),
                                                       0), 5e-324);
  }
}

/* The float model of a network of 1e308s overflows: the recording says null, not NaN. */
static void
test_overflow (SqTestDir     *f,
               gconstpointer  data)
{
  g_autofree char *spec = sq_test_dir_path (f, "big.json"), *in = sq_test_dir_path (f, "in.csv");
  g_autofree char *sim = sq_test_dir_path (f, "sim.json"), *text = NULL;
  g_autoptr(JsonNode) rec = NULL;
  g_auto(SqTestRun) run = { 0 };
  JsonArray *vmem;

  g_assert_true (g_file_set_contents (spec, "{\"weights_in\": [[1e308], [1e308]],"
                                      " \"weights_rec\": [[1e308]], \"weights_out\": [[1e308]],"
                                      " \"threshold\": [1e308], \"threshold_out\": [1e308],"
                                      " \"dash_mem\": [1], \"dash_syn\": [1],"
                                      " \"dash_mem_out\": [1], \"dash_syn_out\": [1]}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (in, "15,15\n15,15\n", -1, NULL));
  sq_test_run_cli (&run, "simulate", spec, "--float", "--record", "all", "--input", in, "-o",
                   sim, NULL);
  assert_ok (&run, "simulate --float");
  text = read_back (sim);
  rec = parse_text (text, "the overflowing recording");
  vmem = json_object_get_array_member (json_node_get_object (rec), "vmem_hidden");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (
    json_array_get_array_element (vmem, 0), 0)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-numbers/to-data", test_to_data);
  g_test_add ("/json-numbers/cli", SqTestDir, NULL, sq_test_dir_setup, test_cli,
              sq_test_dir_teardown);
  g_test_add ("/json-numbers/overflow", SqTestDir, NULL, sq_test_dir_setup, test_overflow,
              sq_test_dir_teardown);
  return g_test_run ();
}
