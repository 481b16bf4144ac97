/* test-quantize-conformance.c: every case of ../shared/conformance/quantize, through the
 * library and through synquant-cli, every value compared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-utils.h"

typedef struct {
  SqQuantParams params;
  JsonNode     *root;
  JsonObject   *object;
  char         *name;
} Case;

static Case *
case_load (const char *path)
{
  Case *c = g_new0 (Case, 1);
  SqMethod method;
  SqMode mode;

  c->root = sq_test_parse_file (path);
  c->object = json_node_get_object (c->root);
  c->name = g_path_get_basename (path);

  g_assert_cmpstr (json_object_get_string_member (c->object, "kind"), ==, "quantize");
  sq_quant_params_init (&c->params);
  g_assert_true (sq_test_method_from_string (json_object_get_string_member (c->object, "method"),
                                             &method));
  g_assert_true (sq_test_mode_from_string (json_object_get_string_member (c->object, "mode"),
                                           &mode));
  c->params.method = method;
  c->params.mode = mode;
  c->params.fuzzy = json_object_get_boolean_member (c->object, "fuzzy");
  c->params.weight_bits = (guint) json_object_get_int_member (c->object, "weight_bits");
  c->params.threshold_bits = (guint) json_object_get_int_member (c->object, "threshold_bits");

  return c;
}

static void
case_free (Case *c)
{
  json_node_unref (c->root);
  g_free (c->name);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Case, case_free)

/* Every key of "expected" must be in @spec with the same shape and values, and @spec must
 * hold no parameter that "expected" lacks. */
static void
assert_matches_expected (const Case       *c,
                         const SqXyloSpec *spec)
{
  JsonObject *expected = json_object_get_object_member (c->object, "expected");
  g_autoptr(GList) members = json_object_get_members (expected);
  guint n_compared = 0;

  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *why = NULL;
      SqParam param;

      if (!sq_param_from_name (key, &param))
        g_error ("%s: unexpected key %s in expected", c->name, key);
      if (!sq_test_tensor_matches (&spec->param[param], json_object_get_member (expected, key),
                                   key, &why))
        g_error ("%s: %s", c->name, why);
      n_compared++;
    }

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    if (sq_tensor_is_present (&spec->param[i]) &&
        !json_object_has_member (expected, sq_param_name ((SqParam) i)))
      g_error ("%s: the result has %s, the expected values do not", c->name,
               sq_param_name ((SqParam) i));

  g_assert_cmpuint (n_compared, >=, 10);
}

/* The "clipped" figure counts the weights, thresholds and biases clipped to their integer
 * range; dashes are counted apart. */
static gsize
result_clipped (const SqQuantResult *res)
{
  return res->total.clipped;
}

static void
test_library (gconstpointer data)
{
  g_autoptr(Case) c = case_load (data);
  g_autofree char *display = g_strdup_printf ("%s:spec", c->name);
  g_autoptr(SqXyloSpec) spec = sq_test_load_spec_member (c->object, "spec", display);
  g_autoptr(SqXyloSpec) before = sq_xylo_spec_copy (spec, NULL);
  g_autoptr(SqQuantResult) res = NULL;
  g_autoptr(GError) error = NULL;

  res = sq_quantize (spec, &c->params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);

  /* Conformance cases never need the fallback. */
  g_assert_cmpint (res->mode_used, ==, c->params.mode);
  assert_matches_expected (c, res->spec);

  if (json_object_has_member (c->object, "clipped"))
    g_assert_cmpuint (result_clipped (res), ==,
                      (gsize) json_object_get_int_member (c->object, "clipped"));
  if (c->params.mode == SQ_MODE_ROCKPOOL)
    g_assert_cmpuint (res->total.clipped, ==, 0);

  /* The signal figure is Σw² of the float weights, whatever the mode. */
  {
    double sum = 0.0;

    for (guint i = 0; i < SQ_N_PARAMS; i++)
      if (sq_param_is_weights ((SqParam) i))
        for (gsize k = 0; k < spec->param[i].n; k++)
          sum += spec->param[i].data[k] * spec->param[i].data[k];
    g_assert_cmpfloat_with_epsilon (res->total.signal, sum, 1e-12 * sum);
  }

  /* The input is never modified. */
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    g_assert_true (sq_test_tensor_equal (&spec->param[i], &before->param[i]));

}

static void
test_cli (gconstpointer data)
{
  g_autoptr(Case) c = case_load (data);
  g_autofree char *cli = sq_test_cli_path ();
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "in.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autofree char *text = sq_test_node_to_string (json_object_get_member (c->object, "spec"));
  g_autofree char *wb = g_strdup_printf ("%u", c->params.weight_bits);
  g_autofree char *tb = g_strdup_printf ("%u", c->params.threshold_bits);
  g_autofree char *std_out = NULL, *std_err = NULL;
  g_autoptr(SqXyloSpec) result = NULL;
  g_autoptr(JsonNode) report_root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *summary;
  int status;
  const char *argv[] = {
    cli, "quantize", in, "-o", out,
    "--method", sq_method_to_string (c->params.method),
    "--mode", sq_mode_to_string (c->params.mode),
    "--weight-bits", wb, "--threshold-bits", tb,
    "--report", report,
    c->params.fuzzy ? "--fuzzy" : NULL,
    NULL
  };

  g_assert_true (g_file_set_contents (in, text, -1, NULL));
  sq_test_run (argv, &status, &std_out, &std_err);
  if (status != 0)
    g_error ("%s: synquant-cli failed: %s", c->name, std_err);
  g_assert_cmpstr (std_out, ==, "");

  /* Read the output back with json-glib, independently of Synquant's reader. */
  {
    g_autoptr(JsonNode) out_root = sq_test_parse_file (out);
    JsonObject *expected = json_object_get_object_member (c->object, "expected");
    JsonObject *got = json_node_get_object (out_root);
    g_autoptr(GList) members = json_object_get_members (expected);

    for (GList *l = members; l; l = l->next)
      {
        JsonNode *a = json_object_get_member (got, l->data);
        JsonNode *b = json_object_get_member (expected, l->data);

        if (a == NULL || !json_node_equal (a, b))
          g_error ("%s: CLI output differs from expected in %s", c->name, (char *) l->data);
      }
    /* dt is copied through unchanged. */
    if (json_object_has_member (json_object_get_object_member (c->object, "spec"), "dt"))
      g_assert_cmpfloat (json_object_get_double_member (got, "dt"), ==,
                         json_object_get_double_member (
                           json_object_get_object_member (c->object, "spec"), "dt"));
  }

  /* And with Synquant's reader, which must accept its own output as an integer spec. */
  result = sq_xylo_spec_load_json (out, &error);
  g_assert_no_error (error);
  g_assert_true (sq_xylo_spec_is_integer (result));

  report_root = sq_test_parse_file (report);
  summary = json_object_get_object_member (json_node_get_object (report_root), "summary");
  if (json_object_has_member (c->object, "clipped"))
    g_assert_cmpint (json_object_get_int_member (summary, "clipped"), ==,
                     json_object_get_int_member (c->object, "clipped"));

  g_unlink (in);
  g_unlink (out);
  g_unlink (report);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = NULL;

  g_test_init (&argc, &argv, NULL);

  cases = sq_test_list_data ("data/quantize", "quantize-", ".json");
  g_assert_cmpuint (cases->len, >=, 60);

  for (guint i = 0; i < cases->len; i++)
    {
      const char *path = g_ptr_array_index (cases, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *lib = g_strdup_printf ("/quantize/conformance/library/%s", base);
      g_autofree char *cli = g_strdup_printf ("/quantize/conformance/cli/%s", base);

      g_test_add_data_func (lib, path, test_library);
      g_test_add_data_func (cli, path, test_cli);
    }

  return g_test_run ();
}
