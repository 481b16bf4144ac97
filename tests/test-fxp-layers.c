/* test-fxp-layers.c: a fixed-point layer's own width, accumulator and forced fractional bits
 * (the kind's layer options, "layers[N].ID" in the settings)
 *
 * The settings keep a layer's values sorted by layer and drop a layer back at "as global";
 * every bad value names the layer and the option. Through the network model an override
 * changes exactly its layer's formats: the hand-computed network of test-fxp-kind (layer 1's
 * weights 1.5, −2.0: M = 2, so n = 16 − 2 − 1 = 13 at int16 and 8 − 2 − 1 = 5 at int8) keeps
 * every integer of layer 0, and the run of its integer core is the library core's with the
 * same per-layer settings. synquant-cli takes them with --set and names a layer the network
 * lacks. Force Q acts only with the fixed-n scheme; the Simulate page's overflow figure counts
 * wraps or saturations per layer, and the overflow hint names the layer settings it proposes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static const char net_json[] =
  "{\"input_shape\": [2], \"layers\": [\n"
  "  {\"type\": \"linear\", \"weight\": [[1.5, -0.3], [1.0, 0.3]], \"bias\": [0.125, -0.5],\n"
  "   \"neuron\": {\"type\": \"lif\", \"tau\": 4, \"v_threshold\": 1.0, \"v_reset\": null}},\n"
  "  {\"type\": \"linear\", \"weight\": [[1.5, -2.0]],\n"
  "   \"neuron\": {\"type\": \"if\", \"v_threshold\": 2.0, \"v_reset\": 0.0}}\n"
  "]}\n";

static const SqNetworkKind *
fxp (void)
{
  return sq_network_kind_lookup ("fxp");
}

static void
set_ok (SqQuantSettings *s,
        const char      *id,
        const char      *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_quant_settings_set_string (s, id, value, &error));
  g_assert_no_error (error);
}

static void
set_fails (SqQuantSettings *s,
           const char      *id,
           const char      *value,
           const char      *message)
{
  g_autoptr(GError) error = NULL;
  SqQuantSettings before = *s;

  g_assert_false (sq_quant_settings_set_string (s, id, value, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_true (sq_quant_settings_equal (s, &before));
}

static void
test_settings (void)
{
  SqQuantSettings s, t, xylo;
  g_autofree char *text = NULL, *width = NULL;
  g_autoptr(GError) error = NULL;

  sq_quant_settings_init (&s, fxp ());
  g_assert_cmpuint (s.n_layer_overrides, ==, 0);
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 3, "width"), ==, 0);
  width = sq_quant_settings_get_string (&s, "layers[3].width");
  g_assert_cmpstr (width, ==, "global");
  g_clear_pointer (&width, g_free);

  set_ok (&s, "layers[2].width", "int8");
  set_ok (&s, "layers[0].n.v", "-3");
  set_ok (&s, "layers[2].accumulator", "16");
  g_assert_cmpuint (s.n_layer_overrides, ==, 2);
  g_assert_cmpuint (s.layer_overrides[0].layer, ==, 0);
  g_assert_cmpuint (s.layer_overrides[1].layer, ==, 2);
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 2, "width"), ==, 1);
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 2, "accumulator"), ==, 1);
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 0, "n.v"), ==, -3);
  /* Not forced: the special value. */
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 0, "n.weight"), ==, -17);
  width = sq_quant_settings_get_string (&s, "layers[2].width");
  g_assert_cmpstr (width, ==, "int8");
  text = sq_quant_settings_to_string (&s);
  g_assert_true (g_str_has_suffix (text, " bias-separate=false layers[0].n.v=-3 "
                                         "layers[2].width=int8 layers[2].accumulator=int16"));

  {
    g_autofree char *words = sq_quant_settings_describe (&s);

    g_assert_true (g_str_has_suffix (words, ", layers[0] Membrane n: -3, layers[2] Width: int8, "
                                            "layers[2] Accumulator: int16"));
  }

  t = s;
  g_assert_true (sq_quant_settings_equal (&s, &t));
  g_assert_true (sq_quant_settings_set_layer (&t, 2, "width", 2, &error));
  g_assert_no_error (error);
  g_assert_false (sq_quant_settings_equal (&s, &t));
  /* Back to global: layer 0's entry goes when its last value does. */
  set_ok (&t, "layers[0].n.v", "auto");
  g_assert_cmpuint (t.n_layer_overrides, ==, 1);
  g_assert_cmpuint (t.layer_overrides[0].layer, ==, 2);
  g_assert_true (sq_quant_settings_check (&t, &error));
  g_assert_no_error (error);

  set_fails (&s, "layers[2].bits", "8",
             "layers[2]: fixed-point network: no layer setting “bits”; use width, accumulator, "
             "n.input, n.weight, n.bias, n.act, n.v or n.output");
  set_fails (&s, "layers[2].width", "int4",
             "layers[2]: unknown layer width “int4”; use global, int8 or int16");
  set_fails (&s, "layers[1].n.v", "31",
             "layers[1]: the membrane's fractional bits must be auto or from -16 to 30, not 31");
  set_fails (&s, "layers[x].width", "int8",
             "“layers[x].width”: expected layers[N].NAME, N a layer’s index (0 for the first)");
  set_fails (&s, "layers[1]", "int8",
             "“layers[1]”: expected layers[N].NAME, N a layer’s index (0 for the first)");
  g_assert_false (sq_quant_settings_set_layer (&s, 1, "n.v", 31, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_clear_error (&error);

  /* At most SQ_MAX_LAYER_OVERRIDES layers of their own. */
  sq_quant_settings_init (&t, fxp ());
  for (guint i = 0; i < SQ_MAX_LAYER_OVERRIDES; i++)
    g_assert_true (sq_quant_settings_set_layer (&t, SQ_MAX_LAYER_OVERRIDES - 1 - i, "width", 1,
                                                NULL));
  g_assert_cmpuint (t.layer_overrides[0].layer, ==, 0);
  g_assert_cmpuint (t.layer_overrides[SQ_MAX_LAYER_OVERRIDES - 1].layer, ==,
                    SQ_MAX_LAYER_OVERRIDES - 1);
  set_fails (&t, "layers[32].width", "int8",
             "layers[32]: at most 32 layers can have settings of their own");

  /* A kind without layer options. */
  sq_quant_settings_init (&xylo, sq_network_kind_lookup ("xylo"));
  set_fails (&xylo, "layers[0].width", "int8",
             "layers[0]: Xylo specification: no setting can be set per layer");

  /* force-q acts with the fixed-n scheme alone; the other options always. */
  sq_quant_settings_init (&t, fxp ());
  g_assert_false (sq_quant_settings_applies (&t, sq_network_kind_option (fxp (), "force-q")));
  g_assert_true (sq_quant_settings_applies (&t, sq_network_kind_option (fxp (), "width")));
  set_ok (&t, "scheme", "force_q");
  g_assert_true (sq_quant_settings_applies (&t, sq_network_kind_option (fxp (), "force-q")));

  /* Too few layers: sq_network_quantize's check. */
  g_assert_false (sq_quant_settings_check_layers (&s, 2, &error));
  g_assert_cmpstr (error->message, ==,
                   "settings of layers[2]: the network has 2 layers (layers[0] to layers[1])");
  g_assert_true (sq_quant_settings_check_layers (&s, 3, NULL));
}

static SqNetwork *
load (SqTestDir *f)
{
  g_autofree char *path = sq_test_dir_path (f, "net.json");
  g_autoptr(GError) error = NULL;
  SqNetwork *n;

  g_assert_true (g_file_set_contents (path, net_json, -1, NULL));
  n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return n;
}

static SqNetworkResult *
quantize (SqNetwork  *n,
          const char *text,
          GError    **error)
{
  g_auto(GStrv) pairs = g_strsplit (text, " ", -1);
  SqQuantSettings s;

  sq_quant_settings_init (&s, fxp ());
  for (guint i = 0; pairs[i] != NULL && *pairs[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);

      set_ok (&s, kv[0], kv[1]);
    }
  return sq_network_quantize (n, &s, SQ_QUANTIZE_MARKERS, NULL, error);
}

static const SqGroupResult *
group (const SqNetworkResult *r,
       const char            *id)
{
  guint g = 0;

  g_assert_true (sq_network_find_group (r->network, id, &g));
  return sq_network_result_get_group (r, g);
}

static void
test_quantize (SqTestDir     *f,
               gconstpointer  data)
{
  g_autoptr(SqNetwork) n = load (f);
  g_autoptr(SqNetworkResult) plain = NULL, mixed = NULL, bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL, *line = NULL, *line0 = NULL;

  plain = quantize (n, "", &error);
  g_assert_no_error (error);
  mixed = quantize (n, "layers[1].width=int8 layers[1].accumulator=int16", &error);
  g_assert_no_error (error);

  /* Layer 0: every group the same, scale and integers. */
  for (guint g = 0; g < sq_network_n_groups (n); g++)
    {
      const SqGroup *grp = sq_network_get_group (n, g);
      const SqGroupResult *a = sq_network_result_get_group (plain, g);
      const SqGroupResult *b = sq_network_result_get_group (mixed, g);

      if (grp->layer != 0)
        continue;
      g_assert_cmpfloat (a->scale, ==, b->scale);
      g_assert_cmpuint (a->level_bits, ==, 16);
      g_assert_cmpuint (b->level_bits, ==, 16);
      g_assert_cmpuint (a->values->n, ==, b->values->n);
      g_assert_cmpmem (a->values->data, a->values->n * sizeof (double), b->values->data,
                       b->values->n * sizeof (double));
    }
  /* Layer 1: M = 2, Q2.13 at int16 and Q2.5 at int8: 1.5 · 32 = 48, −2 · 32 = −64. */
  g_assert_cmpfloat (group (plain, "layers[1].weight")->scale, ==, 8192);
  g_assert_cmpfloat (group (mixed, "layers[1].weight")->scale, ==, 32);
  g_assert_cmpuint (group (mixed, "layers[1].weight")->level_bits, ==, 8);
  g_assert_cmpfloat (group (mixed, "layers[1].weight")->values->data[0], ==, 48);
  g_assert_cmpfloat (group (mixed, "layers[1].weight")->values->data[1], ==, -64);
  g_assert_cmpfloat (group (mixed, "layers[1].weight")->clip_hi, ==, 127.0 / 32);

  summary = sq_network_result_summary (mixed);
  g_assert_nonnull (strstr (summary, "\n  layer 1 (int8, int16 accumulator): input Q1.6 weight "
                                     "Q2.5 act Q2.5 v Q2.5 output Q1.6\n"));
  g_assert_nonnull (strstr (summary, "\n  layer 0 (int16, int32 accumulator): input Q1.14 "));
  line = sq_network_result_layer_summary (mixed, 1);
  g_assert_cmpstr (line, ==, "int8, int16 accumulator: input Q1.6 weight Q2.5 act Q2.5 v Q2.5 "
                             "output Q1.6");
  line0 = sq_network_result_layer_summary (mixed, 0);
  g_assert_true (g_str_has_prefix (line0, "int16, int32 accumulator: input Q1.14 weight Q1.14 "));

  /* A forced n: layer 0's membrane in Q12.3, its θ = 1 → 8. */
  g_clear_pointer (&mixed, sq_network_result_unref);
  mixed = quantize (n, "layers[0].n.v=3", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (group (mixed, "layers[0].v")->scale, ==, 8);
  g_assert_cmpfloat (group (mixed, "layers[0].v")->values->data[0], ==, 8);
  g_assert_cmpfloat (group (mixed, "layers[0].weight")->scale, ==, 16384);

  /* A layer the network lacks, a width its accumulator cannot hold. */
  bad = quantize (n, "layers[2].width=int8", &error);
  g_assert_null (bad);
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_assert_cmpstr (error->message, ==, "net.json: settings of layers[2]: the network has 2 "
                                       "layers (layers[0] to layers[1])");
  g_clear_error (&error);
  bad = quantize (n, "width=int8 accumulator=int16 layers[1].width=int16", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "net.json: layers[1]: int16 with an int16 accumulator: "
                                       "expected int8 with int16 or int32, or int16 with int32 "
                                       "(a product of two values must fit the accumulator)");
}

/* The integer core's run of the overridden result is the library core's with the same
 * per-layer settings. */
static void
test_simulate (SqTestDir     *f,
               gconstpointer  data)
{
  g_autoptr(SqNetwork) n = load (f);
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqSimRun) run = NULL;
  g_autoptr(SqFxpNet) net = sq_fxp_net_load_json_data (net_json, strlen (net_json), "net.json",
                                                       NULL);
  g_autoptr(SqFxpQNet) q = NULL;
  g_autoptr(GError) error = NULL;
  SqRaster input = { 0, };
  SqTensor t = { 0, };
  gsize shape[2] = { 80, 2 };
  SqFxpSettings s;
  SqFxpRun int_run;
  const SqSimArray *out = NULL, *ev = NULL;
  guint64 spikes = 0;

  g_assert_true (sq_raster_init (&input, 80, 2, NULL));
  for (gsize k = 0; k < input.n_steps * 2; k++)
    input.counts[k] = (k * 7) % 3 != 0;
  r = quantize (n, "layers[0].width=int8 layers[0].accumulator=int16 layers[1].n.v=4", &error);
  g_assert_no_error (error);
  run = sq_network_simulate (r, NULL, &input, SQ_SIM_RECORD_ALL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  sq_fxp_settings_init (&s);
  s.bits = 16;
  s.long_bits = 32;
  sq_fxp_settings_set_layer_count (&s, 2);
  s.layers[0].bits = 8;
  s.layers[0].long_bits = 16;
  s.layers[1].force_n[SQ_FXP_V] = 4;
  q = sq_fxp_quantize (net, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_tensor_init (&t, 2, shape, NULL));
  for (gsize k = 0; k < t.n; k++)
    t.data[k] = input.counts[k];
  g_assert_true (sq_fxp_run_int (q, &t, NULL, &int_run, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < run->int_result->arrays->len; i++)
    {
      const SqSimArray *a = run->int_result->arrays->pdata[i];

      if (g_str_equal (a->name, "out"))
        out = a;
      else if (g_str_equal (a->name, "overflows"))
        ev = a;
    }
  g_assert_nonnull (out);
  g_assert_nonnull (ev);
  g_assert_cmpuint (out->values.n, ==, int_run.n_steps * int_run.n_out);
  for (gsize k = 0; k < out->values.n; k++)
    {
      g_assert_cmpfloat (out->values.data[k], ==, int_run.out[k]);
      spikes += fabs (int_run.out[k]) > 0;
    }
  /* The case says something: the output fires. */
  g_assert_cmpuint (spikes, >, 0);
  for (guint i = 0; i < int_run.n_layers; i++)
    for (guint e = 0; e < SQ_FXP_N_EVENTS; e++)
      g_assert_cmpfloat (ev->values.data[i * SQ_FXP_N_EVENTS + e], ==,
                         (double) int_run.events[i][e]);
  /* The state scale follows layer 1's forced membrane format: 2^4. */
  g_assert_cmpfloat (sq_network_result_state_scale (r, TRUE, 0), ==, 16);
  sq_fxp_run_clear (&int_run);
  sq_fxp_settings_clear (&s);
  sq_tensor_clear (&t);
  sq_raster_clear (&input);
}

/* The run of @r on @input (output only), its "overflows" array in @ev; unref it. */
static SqSimRun *
simulate (SqNetworkResult    *r,
          const SqRaster     *input,
          const SqSimArray  **ev)
{
  g_autoptr(GError) error = NULL;
  SqSimRun *run = sq_network_simulate (r, NULL, input, SQ_SIM_RECORD_OUTPUT, NULL, NULL, NULL,
                                       &error);

  g_assert_no_error (error);
  *ev = NULL;
  for (guint i = 0; i < run->int_result->arrays->len; i++)
    if (g_str_equal (((SqSimArray *) run->int_result->arrays->pdata[i])->name, "overflows"))
      *ev = run->int_result->arrays->pdata[i];
  g_assert_nonnull (*ev);
  return run;
}

/* Six inputs of 1 into weights of 1.9 (122 in Q1.6): 6 · 122 = 732 in Q.12 is 46 848, which
 * leaves an int16 accumulator every step. The Simulate page's overflow figure counts them
 * under the policy's name. */
static void
test_overflow_figure (SqTestDir     *f,
                      gconstpointer  data)
{
  static const char overflow_json[] =
    "{\"input_shape\": [6], \"layers\": [\n"
    "  {\"type\": \"linear\", \"weight\": [[1.9, 1.9, 1.9, 1.9, 1.9, 1.9]],\n"
    "   \"neuron\": {\"type\": \"if\", \"v_threshold\": 1.0}}\n"
    "]}\n";
  g_autofree char *path = sq_test_dir_path (f, "overflow.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) n = NULL;
  SqRaster input = { 0, };

  g_assert_true (g_file_set_contents (path, overflow_json, -1, NULL));
  n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_raster_init (&input, 10, 6, NULL));
  for (gsize k = 0; k < input.n_steps * 6; k++)
    input.counts[k] = 1;
  for (guint policy = 0; policy < 2; policy++)
    {
      g_autoptr(SqNetworkResult) r = quantize (n, policy ? "width=int8 accumulator=int16 "
                                                           "overflow=saturate"
                                                         : "width=int8 accumulator=int16",
                                               &error);
      SqSimRun *run;
      g_autofree char *figure = NULL, *want = NULL;
      const SqSimArray *ev = NULL;
      guint64 total = 0;

      g_assert_no_error (error);
      run = simulate (r, &input, &ev);
      for (gsize k = 0; k < ev->values.n; k++)
        total += (guint64) ev->values.data[k];
      /* At least one per step, in the accumulator. */
      g_assert_cmpuint (total, >=, 10);
      g_assert_cmpfloat (ev->values.data[SQ_FXP_EVENT_ACC], >=, 10);
      want = g_strdup_printf ("%" G_GUINT64_FORMAT " %s\nlayer 0: %" G_GUINT64_FORMAT, total,
                              policy ? "saturations" : "wraps", total);
      figure = sq_sim_run_overflow_figure (run);
      g_assert_cmpstr (figure, ==, want);
      sq_sim_run_unref (run);
    }

  /* int16 with int32: 6 · 1.9 · 2^14 · 2^14 = 3.06e9 leaves the accumulator too, calibrated
   * or not. The hint proposes one bit less in the weights (2^13: 1.53e9 fits), as the layer
   * setting that gives it, and that setting leaves no accumulator overflow. */
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(SqNetworkResult) r = quantize (n, k ? "layers[0].n.weight=13" : "", &error);
      SqSimRun *run;
      g_autoptr(GPtrArray) hints = NULL;
      const SqSimArray *ev = NULL;
      gboolean said = FALSE;

      g_assert_no_error (error);
      run = simulate (r, &input, &ev);
      hints = sq_sim_run_hints (run);
      for (guint i = 0; i < hints->len; i++)
        said |= strstr (hints->pdata[i], "layers[0].weight Q1.14 → Q2.13. As layer settings: "
                                         "layers[0].n.weight=13.") != NULL;
      if (k == 0)
        {
          g_assert_cmpfloat (ev->values.data[SQ_FXP_EVENT_ACC], ==, 10);
          g_assert_true (said);
        }
      else
        g_assert_cmpfloat (ev->values.data[SQ_FXP_EVENT_ACC], ==, 0);
      sq_sim_run_unref (run);
    }
  sq_raster_clear (&input);
}

static void
test_cli (SqTestDir     *f,
          gconstpointer  data)
{
  g_autofree char *path = sq_test_dir_path (f, "net.json");
  g_autofree char *out = sq_test_dir_path (f, "q.json");
  g_autofree char *dir = sq_test_dir_path (f, "mcu");
  g_autofree char *header = g_build_filename (dir, "model.h", NULL);
  g_autofree char *report = sq_test_dir_path (f, "report.json");
  g_auto(SqTestRun) run = { 0, };

  g_assert_true (g_file_set_contents (path, net_json, -1, NULL));
  sq_test_run_cli (&run, "quantize", path, "-o", out, "--set", "width=int8",
                   "--set", "layers[0].width=int16", "--set", "layers[0].accumulator=int32",
                   "--report", report, NULL);
  g_assert_cmpint (run.status, ==, 0);
  /* The report's params hold the layer settings as a session does. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *layer;

    g_assert_true (json_parser_load_from_file (parser, report, NULL));
    layer = json_object_get_object_member (json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "params"), "layers"), "0");
    g_assert_cmpuint (json_object_get_size (layer), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (layer, "width"), ==, "int16");
    g_assert_cmpstr (json_object_get_string_member (layer, "accumulator"), ==, "int32");
  }
  g_assert_nonnull (strstr (run.err, "layers[0].width=int16 layers[0].accumulator=int32\n"));
  g_assert_nonnull (strstr (run.err, "\n  layer 0 (int16, int32 accumulator): input Q1.14 "));
  g_assert_nonnull (strstr (run.err, "\n  layer 1 (int8, int32 accumulator): input Q1.6 "));

  sq_test_run_cli (&run, "export", path, "--device", "mcu", "--format", "mcu-c", "-o",
                   dir, "--set", "layers[1].width=int8", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (header, G_FILE_TEST_EXISTS));

  sq_test_run_cli (&run, "quantize", path, "-o", out, "--set", "layers[5].n.v=3", NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "net.json: settings of layers[5]: the network has 2 "
                                     "layers (layers[0] to layers[1])"));
  sq_test_run_cli (&run, "quantize", path, "-o", out, "--set", "layers[0].width=int32",
                   NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "layers[0]: unknown layer width “int32”; use global, int8 "
                                     "or int16"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fxp-layers/settings", test_settings);
  g_test_add ("/fxp-layers/quantize", SqTestDir, NULL, sq_test_dir_setup, test_quantize,
              sq_test_dir_teardown);
  g_test_add ("/fxp-layers/simulate", SqTestDir, NULL, sq_test_dir_setup, test_simulate,
              sq_test_dir_teardown);
  g_test_add ("/fxp-layers/overflow-figure", SqTestDir, NULL, sq_test_dir_setup,
              test_overflow_figure, sq_test_dir_teardown);
  g_test_add ("/fxp-layers/cli", SqTestDir, NULL, sq_test_dir_setup, test_cli,
              sq_test_dir_teardown);
  return g_test_run ();
}
