/* test-fxp-kind.c: fixed-point networks through the network model — loading a layer file
 * by its keys and a NIR graph that maps to no chip (with the dt the user confirms), the
 * groups of each layer, quantization as a result (scales, clip points labelled with their Q
 * format, integers, errors, figures) under every option, saving, the two models as a run
 * against the library's own cores, overflow counts and hints, the mcu check and the exports.
 *
 * The formats are computed by hand: b = 8, weights and bias together M = 1 → n = 8 − 2 − 0 =
 * 6 (Q1.6), −0.3 · 64 = −19.2 → ⌊−19.2 + 0.5⌋ = −19; layer 1's weights M = 2 → n = 5 (Q2.5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
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

/* Six inputs of 1 into weights of 1.9 (122 in Q1.6): 6 · 122 · 64 = 46 848 leaves an int16
 * accumulator every step. */
static const char overflow_json[] =
  "{\"input_shape\": [6], \"layers\": [\n"
  "  {\"type\": \"linear\", \"weight\": [[1.9, 1.9, 1.9, 1.9, 1.9, 1.9]],\n"
  "   \"neuron\": {\"type\": \"if\", \"v_threshold\": 1.0}}\n"
  "]}\n";

static const SqNetworkKind *
fxp (void)
{
  return sq_network_kind_lookup ("fxp");
}

static char *
write_file (SqTestDir  *f,
            const char *name,
            const char *text)
{
  char *path = sq_test_dir_path (f, name);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static SqNetwork *
load_text (SqTestDir  *f,
           const char *text)
{
  g_autofree char *path = write_file (f, "net.json", text);
  g_autoptr(GError) error = NULL;
  SqNetwork *n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static SqQuantSettings
settings_of (const char *text)
{
  g_auto(GStrv) pairs = g_strsplit (text, " ", -1);
  SqQuantSettings s;

  sq_quant_settings_init (&s, fxp ());
  for (guint i = 0; pairs[i] != NULL && *pairs[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);
      g_autoptr(GError) error = NULL;

      g_assert_true (sq_quant_settings_set_string (&s, kv[0], kv[1], &error));
      g_assert_no_error (error);
    }
  return s;
}

static SqNetworkResult *
quantize (SqNetwork  *n,
          const char *settings)
{
  SqQuantSettings s = settings_of (settings);
  g_autoptr(GError) error = NULL;
  SqNetworkResult *r = sq_network_quantize (n, &s, SQ_QUANTIZE_MARKERS, NULL, &error);

  g_assert_no_error (error);
  return r;
}

static void
assert_values (const SqTensor *t,
               const double   *expected,
               gsize           n)
{
  g_assert_cmpuint (t->n, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (t->data[i], ==, expected[i]);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_groups (SqTestDir     *f,
             gconstpointer  data)
{
  static const char * const ids[] = {
    "layers[0].weight", "layers[0].bias", "layers[0].v", "layers[1].weight", "layers[1].v",
  };
  static const char * const labels[] = {
    "Layer 0 weights", "Layer 0 biases", "Layer 0 θ, 1/τ (v format)", "Layer 1 weights",
    "Layer 1 θ (v format)",
  };
  static const SqRole roles[] = {
    SQ_ROLE_WEIGHTS, SQ_ROLE_BIAS, SQ_ROLE_THRESHOLD, SQ_ROLE_WEIGHTS, SQ_ROLE_THRESHOLD,
  };
  const double v0[] = { 1.0, 0.25 }, v1[] = { 2.0, 0.0 }, w0[] = { 1.5, -0.3, 1.0, 0.3 };
  g_autoptr(SqNetwork) n = load_text (f, net_json);
  g_autoptr(GPtrArray) devices = sq_network_kind_devices (fxp ());

  g_assert_true (n->kind == fxp ());
  g_assert_false (n->is_integer);
  g_assert_cmpuint (n->n_inputs, ==, 2);
  g_assert_cmpuint (n->n_outputs, ==, 1);
  g_assert_cmpuint (sq_network_n_layers (n), ==, 2);
  g_assert_cmpstr (sq_network_get_layer (n, 1)->label, ==, "Layer 1");
  g_assert_cmpuint (sq_network_n_groups (n), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const SqGroup *g = sq_network_get_group (n, i);

      g_assert_cmpstr (g->id, ==, ids[i]);
      g_assert_cmpstr (g->label, ==, labels[i]);
      g_assert_cmpint (g->role, ==, roles[i]);
    }
  assert_values (sq_network_get_group (n, 0)->values, w0, 4);
  assert_values (sq_network_get_group (n, 2)->values, v0, 2);
  assert_values (sq_network_get_group (n, 4)->values, v1, 2);
  g_assert_cmpstr (sq_role_label (fxp (), SQ_ROLE_THRESHOLD), ==,
                   "Neuron constants (v format)");
  /* The microcontroller is this kind's device, and only its. */
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (((const SqDeviceProfile *) devices->pdata[0])->name, ==, "mcu");
  g_assert_null (sq_network_kind_device (sq_network_kind_lookup ("xylo"), "mcu"));
  g_assert_null (sq_network_kind_device (sq_network_kind_lookup ("dynapcnn"), "mcu"));
  g_assert_null (sq_network_kind_device (fxp (), "dynapcnn"));
}

/* A DynapCNN layer file has the same first keys and stays DynapCNN. */
static void
test_probe (SqTestDir     *f,
            gconstpointer  data)
{
  g_autofree char *dyn_path = sq_test_data_path ("data", "dynapcnn", "three-layers.json", NULL);
  g_autofree char *fxp_path = write_file (f, "other-name.txt", net_json);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sq_network_kind_for_path (dyn_path, NULL, &error)->name, ==, "dynapcnn");
  g_assert_cmpstr (sq_network_kind_for_path (fxp_path, NULL, &error)->name, ==, "fxp");
  g_assert_no_error (error);
}

static void
test_quantize (SqTestDir     *f,
               gconstpointer  data)
{
  const double q0[] = { 96, -19, 64, 19 }, b0[] = { 8, -32 }, q1[] = { 48, -64 };
  const double v0[] = { 64, 16 }, v1[] = { 64, 0 };
  g_autoptr(SqNetwork) n = load_text (f, net_json);
  g_autoptr(SqNetworkResult) r = quantize (n, "width=int8 accumulator=int16");
  const SqGroupResult *g0 = sq_network_result_get_group (r, 0);
  const SqGroupResult *g3 = sq_network_result_get_group (r, 3);
  const SqMarker *m;
  double errors[4];
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = sq_network_result_summary (r);
  g_autofree char *note = sq_network_result_note (r);

  g_assert_true (r->quantized->is_integer);
  g_assert_cmpfloat (g0->scale, ==, 64);
  g_assert_cmpfloat (g0->clip_lo, ==, -2);
  g_assert_cmpfloat (g0->clip_hi, ==, 127.0 / 64);
  g_assert_cmpuint (g0->level_bits, ==, 8);
  assert_values (g0->values, q0, 4);
  assert_values (sq_network_result_get_group (r, 1)->values, b0, 2);
  assert_values (sq_network_result_get_group (r, 2)->values, v0, 2);
  g_assert_cmpfloat (g3->scale, ==, 32);
  g_assert_cmpfloat (g3->clip_hi, ==, 127.0 / 32);
  assert_values (g3->values, q1, 2);
  /* θ = 2 in Q2.5 (M of the membrane 3.5: the bound 1.5 + 2 of its sums). */
  assert_values (sq_network_result_get_group (r, 4)->values, v1, 2);

  /* The clip points carry the format's name; the other width's are dashed beside them. */
  g_assert_cmpuint (g0->markers->len, ==, 2);
  m = &g_array_index (g0->markers, SqMarker, 0);
  g_assert_cmpstr (m->label, ==, "Q1.14 (int16)");
  g_assert_cmpint (m->style, ==, SQ_MARKER_SECONDARY);
  g_assert_true (m->dashed);
  g_assert_cmpfloat (m->lo, ==, -2);
  g_assert_cmpfloat (m->hi, ==, 32767.0 / 16384);
  m = &g_array_index (g0->markers, SqMarker, 1);
  g_assert_cmpstr (m->label, ==, "Q1.6");
  g_assert_cmpint (m->style, ==, SQ_MARKER_PRIMARY);
  g_assert_cmpfloat (m->lo, ==, -2);
  g_assert_cmpfloat (m->hi, ==, 127.0 / 64);
  g_assert_cmpstr (g_array_index (g3->markers, SqMarker, 1).label, ==, "Q2.5");

  g_assert_true (sq_network_result_group_errors (r, 0, 0, 4, errors, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (errors[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (errors[1], -19.0 / 64 + 0.3, 1e-15);
  g_assert_cmpfloat (errors[2], ==, 0);
  g_assert_cmpfloat_with_epsilon (errors[3], 19.0 / 64 - 0.3, 1e-15);

  /* Layer 0's weights: Σx² = 3.43, Σe² = 2 · 0.003125², SQNR 10·log10(175616) = 52.446 dB. */
  g_assert_cmpuint (r->layers[0].figures.n_values, ==, 4);
  g_assert_cmpfloat_with_epsilon (sq_quant_figures_sqnr_db (&r->layers[0].figures),
                                  10 * log10 (3.43 / (2 * 0.003125 * 0.003125)), 1e-9);
  g_assert_cmpfloat_with_epsilon (r->layers[0].figures.max_abs_error, 0.003125, 1e-15);
  g_assert_cmpfloat (r->layers[0].scale, ==, 64);
  g_assert_cmpuint (r->total.n_values, ==, 6);
  g_assert_cmpuint (r->total.clipped, ==, 0);

  g_assert_nonnull (strstr (summary, "  layer 0 (int8, int16 accumulator): input Q1.6 weight "
                                     "Q1.6 (SQNR 52.4 dB) bias Q1.6 act Q1.6 v Q1.6 output "
                                     "Q1.6\n  layer 1 (int8, int16 accumulator): input Q1.6 "
                                     "weight Q2.5 act Q2.5 v Q2.5 output Q1.6\n"));
  g_assert_cmpstr (note, ==, "weights Q1.6 … Q2.5");
}

/* Every option of the kind, each with its hand-computed integers. */
static void
test_options (SqTestDir     *f,
              gconstpointer  data)
{
  static const struct {
    const char *settings;
    double      scale;
    double      w1;     /* −0.3 */
    double      w3;     /* 0.3 */
    const char *label;
  } cases[] = {
    { "width=int16", 16384, -4915, 4915, "Q1.14" },                    /* ±4915.2 */
    { "width=int8 rounding=floor", 64, -20, 19, "Q1.6" },
    { "width=int8 rounding=ceil", 64, -19, 20, "Q1.6" },
    { "width=int8 scheme=force_q force-q=3", 8, -2, 2, "Q4.3" },        /* ±2.4 */
  };
  g_autoptr(SqNetwork) n = load_text (f, net_json);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SqNetworkResult) r = quantize (n, cases[i].settings);
      const SqGroupResult *g = sq_network_result_get_group (r, 0);

      g_test_message ("%s", cases[i].settings);
      g_assert_cmpfloat (g->scale, ==, cases[i].scale);
      g_assert_cmpfloat (g->values->data[1], ==, cases[i].w1);
      g_assert_cmpfloat (g->values->data[3], ==, cases[i].w3);
      g_assert_cmpstr (g_array_index (g->markers, SqMarker, g->markers->len - 1).label, ==,
                       cases[i].label);
    }

  /* Δ = 2: 1/τ = 0.25 rounds to 0, a clear error naming the layer. */
  {
    SqQuantSettings s = settings_of ("width=int16 scheme=force_q force-q=-1");
    g_autoptr(GError) error = NULL;

    g_assert_null (sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error));
    g_assert_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_ZERO_TAU);
    g_assert_nonnull (strstr (error->message, "net.json: layers[0]: 1/τ = 1/4 rounds to 0 in "
                                              "the membrane's format Q16.-1"));
  }
  /* Q0.7 holds up to 127/128: 1.5 and 1.0 are clipped to 127, −0.3 is −38.4 → −38. */
  {
    const double q0[] = { 127, -38, 127, 38 };
    g_autoptr(SqNetworkResult) r = quantize (n, "width=int8 scheme=force_q force-q=7");

    assert_values (sq_network_result_get_group (r, 0)->values, q0, 4);
    g_assert_cmpuint (r->layers[0].figures.clipped, ==, 2);
    g_assert_cmpfloat (r->layers[0].figures.max_abs_error, ==, 1.5 - 127.0 / 128);
  }
  /* A separate bias format: M = 0.5 → n = 8 − 2 + 1 = 7 (Q0.7). */
  {
    g_autoptr(SqNetworkResult) r = quantize (n, "width=int8 bias-separate=true");

    g_assert_cmpfloat (sq_network_result_get_group (r, 1)->scale, ==, 128);
    g_assert_cmpfloat (sq_network_result_get_group (r, 1)->values->data[1], ==, -64);
    g_assert_cmpfloat (sq_network_result_get_group (r, 0)->scale, ==, 64);
  }
  /* int16 values with an int16 accumulator: refused with the reason. */
  {
    SqQuantSettings s = settings_of ("width=int16 accumulator=int16");
    g_autoptr(GError) error = NULL;

    g_assert_false (sq_quant_settings_check (&s, &error));
    g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
    g_assert_nonnull (strstr (error->message, "int16 values need an int32 accumulator"));
  }
  /* Min–max steps: figures, no integer core, a violation on the microcontroller. */
  {
    g_autoptr(SqNetworkResult) r = quantize (n, "width=int8 scheme=fake");
    const SqGroupResult *g = sq_network_result_get_group (r, 0);
    g_autoptr(SqCheckReport) report = NULL;
    g_autoptr(GError) error = NULL;

    /* Δ = 2 · 1.5 / 255 */
    g_assert_cmpfloat_with_epsilon (g->scale, 85, 1e-12);
    g_assert_cmpstr (g_array_index (g->markers, SqMarker, 0).label, ==, "Δ 0.01176");
    report = sq_network_check (n, r, sq_device_profile_lookup ("mcu"), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sq_check_report_first (report, SQ_CHECK_VIOLATION)->kind, ==, "scheme");
  }
}

static void
test_save (SqTestDir     *f,
           gconstpointer  data)
{
  const double w0[] = { 1.5, -0.296875, 1.0, 0.296875 };
  g_autoptr(SqNetwork) n = load_text (f, net_json);
  g_autoptr(SqNetworkResult) r = quantize (n, "width=int8");
  g_autofree char *path = sq_test_dir_path (f, "saved.json");
  g_autoptr(SqNetwork) back = NULL;
  g_autoptr(SqNetworkResult) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_network_save (r, path, &error));
  g_assert_no_error (error);
  back = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (back->kind == fxp ());
  assert_values (sq_network_get_group (back, 0)->values, w0, 4);
  /* The dequantized values quantize to the same integers. */
  again = quantize (back, "width=int8");
  for (guint g = 0; g < sq_network_n_groups (n); g++)
    {
      const SqTensor *a = sq_network_result_get_group (r, g)->values;

      assert_values (sq_network_result_get_group (again, g)->values, a->data, a->n);
    }
}

/* A raster: channel c fires at step t when (t + c) % (c + 1) == 0 (channel 0 always). */
static void
raster (SqRaster *input,
        gsize     steps,
        gsize     channels)
{
  g_assert_true (sq_raster_init (input, steps, channels, NULL));
  for (gsize t = 0; t < steps; t++)
    for (gsize c = 0; c < channels; c++)
      input->counts[t * channels + c] = (t + c) % (c + 1) == 0;
}

static const SqSimArray *
array (const SqSimResult *r,
       const char        *name)
{
  for (guint i = 0; i < r->arrays->len; i++)
    if (g_str_equal (((const SqSimArray *) r->arrays->pdata[i])->name, name))
      return r->arrays->pdata[i];
  g_assert_not_reached ();
}

/* The run's two models against the library's own cores on the same input. */
static void
check_run (const char     *text,
           const char     *settings,
           const SqRaster *input,
           SqSimRun      **run_out,
           SqFxpRun       *int_run)
{
  g_autoptr(SqFxpNet) net = sq_fxp_net_load_json_data (text, strlen (text), "net.json", NULL);
  SqQuantSettings qs = settings_of (settings);
  g_autoptr(SqNetwork) n = NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqFxpQNet) q = NULL;
  g_autoptr(GError) error = NULL;
  SqFxpSettings s;
  SqFxpRun float_run;
  SqTensor t = { 0, };
  gsize shape[2] = { input->n_steps, input->n_channels };
  const SqSimArray *out_int, *out_float;
  SqSimRun *run;

  {
    g_autofree char *dir = g_dir_make_tmp ("fxp-kind-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "net.json", NULL);

    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_unlink (path);
    g_rmdir (dir);
  }
  r = sq_network_quantize (n, &qs, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  run = sq_network_simulate (r, NULL, input, SQ_SIM_RECORD_ALL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (run->device->name, ==, "mcu");

  /* The same settings straight into the core. */
  g_assert_nonnull (net);
  sq_fxp_settings_init (&s);
  s.bits = qs.value[0] == 0 ? 8 : 16;
  s.long_bits = qs.value[1] == 0 ? 16 : 32;
  s.overflow = g_strrstr (settings, "saturate") ? SQ_FXP_OVERFLOW_SATURATE : SQ_FXP_OVERFLOW_WRAP;
  q = sq_fxp_quantize (net, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_tensor_init (&t, 2, shape, NULL));
  for (gsize k = 0; k < t.n; k++)
    t.data[k] = input->counts[k];
  g_assert_true (sq_fxp_run_int (q, &t, NULL, int_run, &error));
  g_assert_true (sq_fxp_run_float (net, &t, NULL, &float_run, &error));
  g_assert_no_error (error);
  sq_tensor_clear (&t);

  out_int = array (run->int_result, "out");
  out_float = array (run->float_result, "out");
  assert_values (&out_int->values, int_run->out, int_run->n_steps * int_run->n_out);
  assert_values (&out_float->values, float_run.out, float_run.n_steps * float_run.n_out);
  for (gsize k = 0; k < out_int->values.n; k++)
    g_assert_cmpuint (run->int_result->spikes_out[k], ==, fabs (int_run->out[k]) > 0);
  for (guint i = 0; i < int_run->n_layers; i++)
    {
      const SqSimArray *ev = array (run->int_result, "overflows");

      for (guint e = 0; e < SQ_FXP_N_EVENTS; e++)
        g_assert_cmpfloat (ev->values.data[i * SQ_FXP_N_EVENTS + e], ==,
                           (double) int_run->events[i][e]);
    }
  sq_fxp_run_clear (&float_run);
  sq_fxp_settings_clear (&s);
  *run_out = run;
}

static void
test_simulate (SqTestDir     *f,
               gconstpointer  data)
{
  SqRaster input = { 0, };
  g_autoptr(SqSimRun) run = NULL;
  SqFxpRun int_run;
  guint64 spikes = 0;

  raster (&input, 60, 2);
  check_run (net_json, "width=int8 accumulator=int16", &input, &run, &int_run);
  for (gsize o = 0; o < run->int_result->n_out; o++)
    spikes += run->int_result->out_events[o];
  /* Layer 1's spikes, as the core counted them; layer 0's two neurons are the hidden ones,
   * recorded step by step. */
  g_assert_cmpuint (spikes, ==, int_run.spikes[1]);
  g_assert_cmpuint (spikes, >, 0);
  g_assert_cmpuint (run->int_result->n_hidden, ==, 2);
  spikes = 0;
  for (gsize t = 0; t < 60; t++)
    for (gsize j = 0; j < 2; j++)
      spikes += run->int_result->spikes_hidden[t * 2 + j];
  g_assert_cmpuint (spikes, ==, int_run.spikes[0]);
  g_assert_cmpuint (run->int_result->hidden_events[0] + run->int_result->hidden_events[1], ==,
                    int_run.spikes[0]);
  g_assert_cmpuint (int_run.spikes[0], >, 0);
  g_assert_cmpfloat (sq_network_result_state_scale (run->result, TRUE, 0), ==, 32);
  g_assert_cmpfloat (sq_network_neuron_threshold (run->result->network, TRUE, 0), ==, 2);
  sq_fxp_run_clear (&int_run);
  sq_raster_clear (&input);
}

static gboolean
has_hint (GPtrArray  *hints,
          const char *text)
{
  for (guint i = 0; i < hints->len; i++)
    if (strstr (hints->pdata[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_overflow (SqTestDir     *f,
               gconstpointer  data)
{
  for (guint k = 0; k < 2; k++)
    {
      SqRaster input = { 0, };
      g_autoptr(SqSimRun) run = NULL;
      g_autoptr(GPtrArray) hints = NULL;
      g_autofree char *counts = NULL;
      SqFxpRun int_run;

      g_assert_true (sq_raster_init (&input, 20, 6, NULL));
      memset (input.counts, 1, 20 * 6);
      check_run (overflow_json, k == 0 ? "width=int8 accumulator=int16"
                                       : "width=int8 accumulator=int16 overflow=saturate",
                 &input, &run, &int_run);
      /* 46 848 in an int16 sum, every step. */
      g_assert_cmpuint (int_run.events[0][SQ_FXP_EVENT_ACC], >=, 20);
      hints = sq_sim_run_hints (run);
      counts = g_strdup_printf ("Layer 0 overflowed %" G_GUINT64_FORMAT " times on this input "
                                "(accumulator %" G_GUINT64_FORMAT ",",
                                sq_fxp_run_overflows (&int_run, 0),
                                int_run.events[0][SQ_FXP_EVENT_ACC]);
      g_assert_true (has_hint (hints, counts));
      g_assert_true (has_hint (hints, k == 0 ? "Long values wrap as the microcontroller's C "
                                               "does" : "Long values saturate"));
      g_assert_true (has_hint (hints, "No overflow on this input with fewer fractional bits") ||
                     has_hint (hints, "do not overflow on it"));
      sq_fxp_run_clear (&int_run);
      sq_raster_clear (&input);
    }
}

static void
test_check (SqTestDir     *f,
            gconstpointer  data)
{
  g_autoptr(SqNetwork) n = load_text (f, net_json);
  g_autoptr(SqNetworkResult) r = quantize (n, "width=int8");
  g_autoptr(SqCheckReport) report = NULL;
  g_autoptr(SqCheckReport) other = NULL;
  g_autoptr(SqCheckReport) unquantized = NULL;
  g_autoptr(GError) error = NULL;
  const SqCheckResource *flash, *ram;

  report = sq_network_check (n, r, sq_device_profile_lookup ("mcu"), &error);
  g_assert_no_error (error);
  g_assert_true (sq_check_report_fits (report));
  g_assert_cmpuint (report->resources->len, ==, 2);
  flash = &g_array_index (report->resources, SqCheckResource, 0);
  ram = &g_array_index (report->resources, SqCheckResource, 1);
  /* 6 int8 values in layer 0, 2 in layer 1 */
  g_assert_cmpuint (flash->used, ==, 8);
  g_assert_cmpuint (flash->capacity, ==, 1024 * 1024);
  /* v of 2 + 1 neurons, and two int32 buffers of the widest map (2) */
  g_assert_cmpuint (ram->used, ==, 3 + 16);
  g_assert_cmpuint (ram->capacity, ==, 256 * 1024);

  other = sq_network_check (n, r, sq_device_profile_lookup ("xylo-imu"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sq_check_report_first (other, SQ_CHECK_VIOLATION)->kind, ==, "device");

  /* A float network is counted at the default formats (int16: twice the bytes). */
  unquantized = sq_network_check (n, NULL, sq_device_profile_lookup ("mcu"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sq_check_report_first (unquantized, SQ_CHECK_NOTE)->kind, ==, "float");
  g_assert_cmpuint (g_array_index (unquantized->resources, SqCheckResource, 0).used, ==, 16);
}

static void
test_export (SqTestDir     *f,
             gconstpointer  data)
{
  g_autoptr(SqNetwork) n = load_text (f, net_json);
  g_autoptr(SqNetworkResult) r = quantize (n, "width=int8");
  g_autofree char *dir = sq_test_dir_path (f, "mcu");
  g_autofree char *nir = sq_test_dir_path (f, "net.nir");
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  const SqDeviceProfile *mcu = sq_device_profile_lookup ("mcu");

  files = sq_network_export_build (n, r, mcu, "mcu-c", dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 3);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (((SqExportFile *) files->pdata[i])->path);

      g_assert_true (g_str_equal (base, "model.h") || g_str_equal (base, "model.c") ||
                     g_str_equal (base, "example.c"));
    }
  g_assert_false (sq_network_export (n, NULL, mcu, "mcu-c", dir, NULL, &error));
  g_assert_nonnull (strstr (error->message, "is not quantized"));
  g_clear_error (&error);

  if (!sq_nir_is_supported ())
    return;
  g_assert_true (sq_network_export (n, r, mcu, "nir", nir, NULL, &error));
  g_assert_no_error (error);
  {
    const double w0[] = { 1.5, -0.296875, 1.0, 0.296875 };
    SqLoadOptions options = { { 1e-3, SQ_NIR_RESET_SUBTRACT }, TRUE, fxp () };
    g_autoptr(SqNetwork) back = sq_network_load (nir, &options, NULL, NULL, NULL, &error);
    const SqTensor *v;

    g_assert_no_error (error);
    assert_values (sq_network_get_group (back, 0)->values, w0, 4);
    /* θ and 1/τ come back: τ = 4 steps at 1 ms. */
    v = sq_network_get_group (back, 2)->values;
    g_assert_cmpfloat (v->data[0], ==, 1.0);
    g_assert_cmpfloat_with_epsilon (v->data[1], 0.25, 1e-12);
  }
}

/* The graphs that map to no chip open as fixed point with the dt the user confirms. */
static void
test_nir_files (void)
{
  g_autofree char *lif = sq_test_data_path ("data", "nir", "lif_norse.nir", NULL);
  g_autofree char *cnn = sq_test_data_path ("data", "nir", "cnn_sinabs.nir", NULL);
  SqLoadOptions with_dt = { { 1e-3, SQ_NIR_RESET_SUBTRACT }, TRUE, NULL };
  SqLoadOptions as_fxp = { { 0, }, FALSE, fxp () };
  g_autoptr(SqNetwork) n = NULL;
  g_autoptr(SqNetwork) c = NULL;
  g_autoptr(SqNetwork) d = NULL;
  g_autoptr(GError) error = NULL;
  const SqTensor *v;

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without HDF5");
      return;
    }
  g_assert_null (sq_network_load (lif, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT);
  g_assert_nonnull (strstr (error->message, "cannot map to Xylo"));
  g_assert_nonnull (strstr (error->message, "give dt (--dt) to map it to a fixed-point "
                                            "network"));
  g_clear_error (&error);

  n = sq_network_load (lif, &with_dt, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (n->kind == fxp ());
  g_assert_cmpuint (sq_network_n_layers (n), ==, 1);
  g_assert_cmpstr (sq_network_get_group (n, 2)->id, ==, "layers[0].v");
  /* θ 0.1 and τ = 2.5 ms at 1 ms: 1/τ = 0.4 (float32 in the file). */
  v = sq_network_get_group (n, 2)->values;
  g_assert_cmpfloat_with_epsilon (v->data[0], 0.1, 1e-6);
  g_assert_cmpfloat_with_epsilon (v->data[1], 0.4, 1e-6);

  c = sq_network_load (cnn, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->kind->name, ==, "dynapcnn");
  /* IF neurons alone: dt does not enter, no dt asked. */
  d = sq_network_load (cnn, &as_fxp, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (d->kind == fxp ());
  g_assert_cmpuint (sq_network_n_layers (d), ==, 8);
  g_assert_cmpuint (d->n_inputs, ==, 2 * 34 * 34);
  g_assert_cmpuint (d->n_outputs, ==, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/fxp-kind/groups", SqTestDir, NULL, sq_test_dir_setup, test_groups,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/probe", SqTestDir, NULL, sq_test_dir_setup, test_probe,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/quantize", SqTestDir, NULL, sq_test_dir_setup, test_quantize,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/options", SqTestDir, NULL, sq_test_dir_setup, test_options,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/save", SqTestDir, NULL, sq_test_dir_setup, test_save,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/simulate", SqTestDir, NULL, sq_test_dir_setup, test_simulate,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/overflow", SqTestDir, NULL, sq_test_dir_setup, test_overflow,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/check", SqTestDir, NULL, sq_test_dir_setup, test_check,
              sq_test_dir_teardown);
  g_test_add ("/fxp-kind/export", SqTestDir, NULL, sq_test_dir_setup, test_export,
              sq_test_dir_teardown);
  g_test_add_func ("/fxp-kind/nir-files", test_nir_files);
  return g_test_run ();
}
