/* test-dynapcnn-kind.c: DynapCNN networks through the network model — loading by
 * extension and content, the groups of each layer, discretization as a quantization (its
 * scales, clip points, markers, errors and figures), saving and reading back as .npz, the
 * float model and the integer core as simulation runs, the device check and the export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static const SqNetworkKind *
dynapcnn (void)
{
  return sq_network_kind_lookup ("dynapcnn");
}

static SqNetwork *
load_data (const char *name)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", name, NULL);
  g_autoptr(GError) error = NULL;
  SqNetwork *n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static SqQuantSettings
settings_for (const char *mode)
{
  SqQuantSettings s;
  g_autoptr(GError) error = NULL;

  sq_quant_settings_init (&s, dynapcnn ());
  g_assert_true (sq_quant_settings_set_string (&s, "mode", mode, &error));
  g_assert_no_error (error);
  return s;
}

static SqDynapcnnNet *
load_net (const char *name)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", name, NULL);
  g_autoptr(GError) error = NULL;
  SqDynapcnnNet *net = sq_dynapcnn_net_load_file (path, &error);

  g_assert_no_error (error);
  return net;
}

/* tests/data/dynapcnn/three-layers.json (see test-dynapcnn-net.c for its maps). */
static void
test_groups (void)
{
  static const char * const ids[] = {
    "layers[0].weight", "layers[0].bias", "layers[0].thresholds", "layers[1].weight",
    "layers[1].thresholds", "layers[1].v_mem", "layers[2].weight", "layers[2].thresholds",
  };
  g_autoptr(SqNetwork) n = load_data ("three-layers.json");
  const SqGroup *g;

  g_assert_cmpstr (n->kind->name, ==, "dynapcnn");
  g_assert_cmpuint (sq_network_n_groups (n), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpstr (sq_network_get_group (n, i)->id, ==, ids[i]);
  g_assert_cmpuint (sq_network_n_layers (n), ==, 3);
  g_assert_cmpstr (sq_network_get_layer (n, 2)->id, ==, "layer2");
  g_assert_cmpstr (sq_network_get_layer (n, 2)->label, ==, "Layer 2");

  g = sq_network_get_group (n, 2);
  g_assert_cmpint (g->role, ==, SQ_ROLE_THRESHOLD);
  g_assert_cmpuint (g->values->n, ==, 2);
  g_assert_cmpfloat (g->values->data[0], ==, 1.0);
  g_assert_cmpfloat (g->values->data[1], ==, -1.0);
  g_assert_cmpstr (g->label, ==, "Layer 0 thresholds");
  g_assert_cmpstr (g->scale, ==, "layer0");
  /* min_v_mem null: only θ_high. */
  g_assert_cmpuint (sq_network_get_group (n, 4)->values->n, ==, 1);
  g_assert_cmpint (sq_network_get_group (n, 5)->role, ==, SQ_ROLE_STATE);

  /* 2 × 6 × 6 in; layers 0 and 1 are hidden (2·4·7 + 3·2·3); layer 2 gives 1 × 2 × 1. */
  g_assert_cmpuint (n->n_inputs, ==, 72);
  g_assert_cmpuint (n->n_hidden, ==, 56 + 18);
  g_assert_cmpuint (n->n_outputs, ==, 2);
  /* Whole numbers in layer 2 and a scale are no discretized network: layer 0 has 0.5. */
  g_assert_false (n->is_integer);
  g_assert_cmpuint (n->warnings->len, ==, 2);
}

/* Which kind a file is: the DynapCNN layer file by content under any name; a Xylo
 * specification stays one. */
static void
test_probe (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *odd = g_build_filename (dir, "net.txt", NULL);
  g_autofree char *xylo = sq_test_data_path ("data", "valid", NULL);
  g_autofree char *src = sq_test_data_path ("data", "dynapcnn", "speck-small.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (xylo, 0, &error);
  const char *name;
  guint n_xylo = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (odd, text, -1, NULL));
  g_assert_true (sq_network_kind_for_path (odd, NULL, &error) == dynapcnn ());
  g_assert_true (sq_network_kind_for_path (src, NULL, &error) == dynapcnn ());
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (xylo, name, NULL);

        g_assert_cmpstr (sq_network_kind_for_path (path, NULL, &error)->name, ==, "xylo");
        n_xylo++;
      }
  g_assert_cmpuint (n_xylo, >, 0);
  g_assert_no_error (error);
  sq_test_remove_tree (dir);
}

static void
test_quantize (void)
{
  g_autoptr(SqNetwork) n = load_data ("three-layers.json");
  g_autoptr(SqDynapcnnNet) net = load_net ("three-layers.json");
  g_autoptr(SqDynapcnnNet) ref = NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(GError) error = NULL;
  SqQuantSettings s = settings_for ("sinabs");
  const SqGroupResult *gr;
  const SqMarker *m;
  double errors[3];

  ref = sq_dynapcnn_net_discretize (net, SQ_DISCRETIZE_SINABS, NULL, NULL, &error);
  g_assert_no_error (error);
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_MARKERS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->mode_used, ==, "sinabs");
  g_assert_true (r->quantized->is_integer);
  g_assert_true (sq_test_tensor_equal (sq_network_get_group (r->quantized, 0)->values,
                                       &ref->layers[0].params.weight));
  g_assert_true (sq_test_tensor_equal (sq_network_get_group (r->quantized, 5)->values,
                                       &ref->layers[1].params.v_mem));
  /* 0.5 · 127 = 63.5 → 64 (half to even), −0.25 · 127 → −32. */
  g_assert_cmpfloat (sq_network_get_group (r->quantized, 0)->values->data[0], ==, 64);
  g_assert_cmpfloat (sq_network_get_group (r->quantized, 0)->values->data[1], ==, -32);
  /* Layer 2's θ 2 and θ_low −2 at 127/3 in float32. */
  g_assert_cmpfloat (sq_network_get_group (r->quantized, 7)->values->data[0], ==, 85);
  g_assert_cmpfloat (sq_network_get_group (r->quantized, 7)->values->data[1], ==, -85);

  /* Layer 0: the weights set the scale 127; 8-bit weights clip at −128/127 and 1. */
  gr = sq_network_result_get_group (r, 0);
  g_assert_cmpfloat (gr->scale, ==, 127);
  g_assert_cmpfloat (gr->clip_lo, ==, -128.0 / 127.0);
  g_assert_cmpfloat (gr->clip_hi, ==, 1.0);
  g_assert_cmpuint (gr->level_bits, ==, 8);
  g_assert_cmpuint (gr->markers->len, ==, 1);
  m = &g_array_index (gr->markers, SqMarker, 0);
  g_assert_cmpstr (m->label, ==, "set by the weights");
  g_assert_cmpfloat (m->hi, ==, 1.0);
  /* Thresholds are 16-bit: they clip at 32767/127. */
  gr = sq_network_result_get_group (r, 2);
  g_assert_cmpuint (gr->level_bits, ==, 16);
  g_assert_cmpfloat (gr->clip_hi, ==, 32767.0 / 127.0);

  /* Layer 1 (min_v_mem null): sinabs's −32768 sets the scale to 1, which synquant mode
   * would not; both clip points are marked, the other mode's first. */
  gr = sq_network_result_get_group (r, 3);
  g_assert_cmpfloat (gr->scale, ==, 1.0);
  g_assert_cmpuint (gr->markers->len, ==, 2);
  m = &g_array_index (gr->markers, SqMarker, 0);
  g_assert_cmpstr (m->label, ==, "synquant mode");
  g_assert_cmpint (m->style, ==, SQ_MARKER_SECONDARY);
  g_assert_cmpfloat (m->hi, ==, 127.0 / 127.0);
  m = &g_array_index (gr->markers, SqMarker, 1);
  g_assert_cmpstr (m->label, ==, "set by the thresholds");
  g_assert_cmpfloat (m->hi, ==, 127.0);

  /* dequantized − float: 64/127 − 0.5, −32/127 + 0.25, 16/127 − 0.125 */
  g_assert_true (sq_network_result_group_errors (r, 0, 0, 3, errors, &error));
  g_assert_cmpfloat (errors[0], ==, 64.0 / 127.0 - 0.5);
  g_assert_cmpfloat (errors[1], ==, -32.0 / 127.0 + 0.25);
  g_assert_cmpfloat (errors[2], ==, 16.0 / 127.0 - 0.125);

  /* Layer 1's scale 1 zeroes 3 of its 5 non-zero weights (0.5, −0.5 and 0.25 → 0, 0, 0;
   * 0.75 → 1, 1.0 → 1); 16 + 6 + 9 weights in all. */
  g_assert_cmpuint (r->layers[1].figures.n_values, ==, 6);
  g_assert_cmpuint (r->layers[1].figures.n_nonzero, ==, 5);
  g_assert_cmpuint (r->layers[1].figures.zeroed, ==, 3);
  g_assert_cmpuint (r->total.n_values, ==, 31);
  g_assert_cmpuint (r->total.clipped, ==, 0);
  /* The warnings of layer 1 point at its weights. */
  g_assert_cmpuint (r->diagnostics->len, ==, 4);
  g_assert_cmpint (((SqDiagnostic *) g_ptr_array_index (r->diagnostics, 1))->param, ==, 3);
  g_assert_cmpint (((SqDiagnostic *) g_ptr_array_index (r->diagnostics, 1))->kind, ==,
                   SQ_DIAG_DISCRETIZE);
}

static void
test_npz_round_trip (void)
{
  g_autoptr(SqNetwork) n = load_data ("three-layers.json");
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(GBytes) npz = NULL;
  g_autoptr(SqDynapcnnNet) back = NULL;
  g_autoptr(SqDynapcnnNet) ref = load_net ("three-layers.json");
  g_autoptr(SqDynapcnnNet) q = NULL;
  g_autoptr(GError) error = NULL;
  SqQuantSettings s = settings_for ("synquant");
  gsize length;
  const guint8 *data;

  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  npz = sq_network_save_bytes (r, "q.npz", &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (npz, &length);
  back = sq_dynapcnn_net_load_npz_data (data, length, "q.npz", &error);
  g_assert_no_error (error);
  q = sq_dynapcnn_net_discretize (ref, SQ_DISCRETIZE_SYNQUANT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_layers, ==, 3);
  g_assert_true (back->has_input_shape);
  g_assert_cmpuint (back->input_shape[1], ==, 6);
  for (guint i = 0; i < 3; i++)
    {
      const SqDynapcnnNetLayer *a = &back->layers[i], *b = &q->layers[i];

      g_assert_true (sq_test_tensor_equal (&a->params.weight, &b->params.weight));
      g_assert_true (sq_test_tensor_equal (&a->params.bias, &b->params.bias));
      g_assert_cmpfloat (a->params.spike_threshold, ==, b->params.spike_threshold);
      g_assert_cmpfloat (a->params.min_v_mem, ==, b->params.min_v_mem);
      g_assert_cmpfloat (a->scale, ==, b->scale);
      g_assert_cmpuint (a->stride_y, ==, b->stride_y);
      g_assert_cmpuint (a->pad_x, ==, b->pad_x);
      g_assert_cmpuint (a->pool, ==, b->pool);
      g_assert_cmpint (a->reset_zero, ==, b->reset_zero);
      g_assert_cmpint (a->single_spike, ==, b->single_spike);
    }
  g_assert_true (sq_test_tensor_equal (&back->layers[1].params.v_mem,
                                       &q->layers[1].params.v_mem));
  g_assert_true (sq_dynapcnn_net_is_integer (back));
}

/* One .npz layer file from members written here. */
static GBytes *
npz_of (const char * const *names,
        const SqTensor     *tensors,
        guint               n)
{
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  g_autoptr(GError) error = NULL;
  guint8 *data;
  gsize length;

  for (guint i = 0; i < n; i++)
    g_assert_true (sq_npz_writer_add_tensor (w, names[i], &tensors[i], SQ_NPY_FLOAT64, &error));
  data = sq_npz_writer_finish (w, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

static void
expect_npz_error (const char * const *names,
                  const SqTensor     *tensors,
                  guint               n,
                  const char         *message)
{
  g_autoptr(GBytes) npz = npz_of (names, tensors, n);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (npz, &length);

  net = sq_dynapcnn_net_load_npz_data (data, length, "bad.npz", &error);
  g_assert_null (net);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_npz_errors (void)
{
  double w4[4] = { 0.5, NAN, 0.25, 1.0 }, one = 1.0, shape3[3] = { 1, 2, 2 };
  SqTensor weight = { 4, { 1, 1, 2, 2 }, 4, w4, FALSE };
  SqTensor flat = { 2, { 2, 2 }, 4, w4, FALSE };
  SqTensor th = { 0, { 0 }, 1, &one, FALSE };
  SqTensor shape = { 1, { 3 }, 3, shape3, TRUE };
  const char *names[] = { "layers.0.weight", "layers.0.spike_threshold", "input_shape",
                          "extra" };
  SqTensor t[4] = { weight, th, shape, th };
  g_autoptr(GBytes) ok = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data;

  expect_npz_error (names, t, 2, "bad.npz: layers.0.weight[1] is nan: expected a finite "
                                 "number");
  w4[1] = -0.5;
  expect_npz_error (names, t, 1, "bad.npz: layers.0.spike_threshold is missing");
  expect_npz_error (names + 1, t + 1, 1, "bad.npz: layers.0.weight is missing");
  expect_npz_error (names + 3, t + 3, 1, "bad.npz: no layers: expected arrays named "
                                         "layers.0.weight, layers.1.weight, …");
  t[0] = flat;
  expect_npz_error (names, t, 2, "bad.npz: layers.0.weight has shape (2, 2): expected 4 "
                                 "dimensions");
  t[0] = weight;
  shape3[0] = 2;
  expect_npz_error (names, t, 3, "bad.npz: layers[0].weight takes 1 input channels, but "
                                 "input_shape has 2");
  shape3[0] = 1;
  ok = npz_of (names, t, 4);
  data = g_bytes_get_data (ok, &length);
  net = sq_dynapcnn_net_load_npz_data (data, length, "ok.npz", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net->n_layers, ==, 1);
  g_assert_cmpfloat (net->layers[0].params.weight.data[3], ==, 1.0);
  g_assert_false (net->layers[0].params.has_min_v_mem);
  g_assert_cmpuint (net->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (net->warnings, 0), ==, "unknown array \"extra\" ignored");
}

/* One layer, a 1 × 1 kernel of 0.5 on a 1 × 1 × 3 input, θ = 1, no lower bound: both models
 * by hand. The integer one has scale 254 (127/0.5), θ 254, weight 127: the same spikes. */
static void
test_run_by_hand (void)
{
  static const char text[] =
    "{\"input_shape\": [1, 1, 3], \"layers\": [{\"weight\": [[[[0.5]]]], "
    "\"spike_threshold\": 1.0, \"min_v_mem\": null}]}";
  static const guint8 counts[12] = { 1, 2, 0,  1, 0, 3,  0, 0, 0,  2, 2, 2 };
  static const guint8 want[12] = { 0, 1, 0,  1, 0, 1,  0, 0, 0,  1, 1, 1 };
  g_autoptr(SqNetwork) n = sq_test_load_network (text, -1, "one.json");
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqSimResult) f = NULL, i = NULL;
  g_autoptr(GError) error = NULL;
  SqQuantSettings s = settings_for ("synquant");
  SqRaster raster = { 0, };
  const SqSimArray *a;

  g_assert_cmpstr (n->kind->name, ==, "dynapcnn");
  g_assert_true (sq_raster_init (&raster, 4, 3, &error));
  memcpy (raster.counts, counts, sizeof counts);
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sq_network_get_group (r->quantized, 0)->values->data[0], ==, 127);
  g_assert_cmpfloat (sq_network_get_group (r->quantized, 1)->values->data[0], ==, 254);

  f = sq_network_run (n, NULL, SQ_SIM_FLOAT, &raster, TRUE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  i = sq_network_run (r->quantized, NULL, SQ_SIM_INTEGER, &raster, TRUE, NULL, NULL, NULL,
                      &error);
  g_assert_no_error (error);
  g_assert_cmpmem (f->spikes_out, 12, want, 12);
  g_assert_cmpmem (i->spikes_out, 12, want, 12);
  g_assert_cmpuint (i->out_events[0], ==, 2);
  g_assert_cmpuint (i->out_events[2], ==, 2);
  g_assert_cmpint (i->first_out[0], ==, 1);
  g_assert_cmpint (i->first_out[1], ==, 0);
  g_assert_cmpuint (i->n_hidden, ==, 0);
  /* The integer membrane of the third pixel: 3 · 127 = 381 → 127 after a spike, kept, then
   * 127 + 2 · 127 = 381 → 127 again at the last step (0.5 in the float model). */
  g_assert_cmpuint (i->arrays->len, ==, 3);
  a = g_ptr_array_index (i->arrays, 2);
  g_assert_cmpstr (a->name, ==, "v_mem_0");
  g_assert_cmpuint (a->values.rank, ==, 4);
  g_assert_cmpfloat (a->values.data[1 * 3 + 2], ==, 127);
  g_assert_cmpfloat (a->values.data[2 * 3 + 2], ==, 127);
  g_assert_cmpfloat (a->values.data[3 * 3 + 2], ==, 127);
  g_assert_cmpfloat (a->values.data[3 * 3 + 0], ==, 0);
  a = g_ptr_array_index (f->arrays, 2);
  g_assert_cmpfloat (a->values.data[3 * 3 + 2], ==, 0.5);
  a = g_ptr_array_index (i->arrays, 0);
  g_assert_cmpstr (a->name, ==, "spikes_out");
  g_assert_cmpuint (a->values.shape[0], ==, 4);
  g_assert_cmpuint (a->values.shape[3], ==, 3);
  sq_raster_clear (&raster);
}

/* The model's run of a discretized network is the IAF core's, layer by layer. */
static void
test_run_matches_core (void)
{
  g_autoptr(SqNetwork) n = load_data ("three-layers.json");
  g_autoptr(SqDynapcnnNet) net = load_net ("three-layers.json");
  g_autoptr(SqDynapcnnNet) q = NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqSimResult) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree SqIafLayer *layers = NULL;
  SqQuantSettings s = settings_for ("synquant");
  SqRaster raster = { 0, };
  SqTensor frames = { 0, };
  gsize shape[4] = { 20, 2, 6, 6 };
  SqIafRun run;
  guint64 hidden = 0, direct = 0;

  g_assert_true (sq_raster_regular (&raster, 20, 72, 3, 2, &error));
  g_assert_no_error (error);
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  sim = sq_network_run (r->quantized, NULL, SQ_SIM_INTEGER, &raster, FALSE, NULL, NULL, NULL,
                        &error);
  g_assert_no_error (error);

  q = sq_dynapcnn_net_discretize (net, SQ_DISCRETIZE_SYNQUANT, NULL, NULL, &error);
  g_assert_no_error (error);
  layers = sq_dynapcnn_net_iaf_layers (q);
  g_assert_true (sq_tensor_init (&frames, 4, shape, &error));
  for (gsize k = 0; k < frames.n; k++)
    frames.data[k] = raster.counts[k];
  g_assert_true (sq_iaf_run (layers, 3, &frames, TRUE, NULL, &run, &error));
  g_assert_no_error (error);
  for (gsize k = 0; k < run.spikes_out.n; k++)
    g_assert_cmpuint (sim->spikes_out[k], ==, (guint) run.spikes_out.data[k]);
  for (guint i = 0; i < 2; i++)
    direct += run.n_spikes[i];
  for (gsize j = 0; j < sim->n_hidden; j++)
    hidden += sim->hidden_events[j];
  g_assert_cmpuint (hidden, ==, direct);
  g_assert_cmpuint (hidden, >, 0);
  /* Without --record all: the outputs alone in the files, the flat rasters for the views. */
  g_assert_cmpuint (sim->arrays->len, ==, 1);
  g_assert_null (sim->spikes_hidden);
  sq_iaf_run_clear (&run);
  sq_tensor_clear (&frames);
  sq_raster_clear (&raster);
}

static void
test_check_and_export (void)
{
  g_autoptr(SqNetwork) odd = load_data ("three-layers.json");
  g_autoptr(SqNetwork) small = load_data ("speck-small.json");
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqCheckReport) report = NULL, fits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *golden_path = sq_test_data_path ("data", "dynapcnn",
                                                    "speck-small.config.json", NULL);
  g_autofree char *golden = NULL;
  const SqDeviceProfile *device = sq_network_kind_device (dynapcnn (), "dynapcnn");
  SqQuantSettings s = settings_for ("synquant");
  gboolean not_square = FALSE;

  g_assert_nonnull (device);
  report = sq_network_check (odd, NULL, device, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

      not_square = not_square || (issue->severity == SQ_CHECK_VIOLATION &&
                                  strstr (issue->message, "layer 2: the 1 × 3 kernel is not "
                                                          "square") != NULL);
    }
  g_assert_true (not_square);
  g_assert_false (sq_check_report_fits (report));

  /* A float network is not exported; its discretization is, as the golden configuration. */
  files = sq_network_export_build (small, NULL, device, "dynapcnn-json", "c.json", NULL, &error);
  g_assert_null (files);
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  r = sq_network_quantize (small, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  fits = sq_network_check (small, r, device, &error);
  g_assert_no_error (error);
  g_assert_true (sq_check_report_fits (fits));
  g_assert_cmpstr (sq_check_report_first (fits, SQ_CHECK_NOTE)->kind, ==, "core");
  files = sq_network_export_build (small, r, device, "dynapcnn-json", "c.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_get_contents (golden_path, &golden, NULL, NULL));
  {
    GBytes *bytes = ((SqExportFile *) files->pdata[0])->data;
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

    g_assert_cmpstr (text, ==, golden);
  }
}

/* A network from JSON text, through a file as users give it. */
static SqNetwork *
load_json (const char *json)
{
  g_autofree char *dir = g_dir_make_tmp ("sq-dynapcnn-kind-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "net.json", NULL);
  g_autoptr(GError) error = NULL;
  SqNetwork *net;

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  net = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return net;
}

/* A layer whose weights all become 0 (sinabs mode, min_v_mem null) can never fire, nor can
 * the layer after it: the check says so, while the network still fits. */
static void
test_check_dead (void)
{
  static const char json[] =
    "{\"input_shape\": [1, 1, 1], \"layers\": ["
    "{\"weight\": [[[[0.5]]]], \"spike_threshold\": 1, \"min_v_mem\": -1},"
    "{\"weight\": [[[[0.01]]]], \"spike_threshold\": 1, \"min_v_mem\": null},"
    "{\"weight\": [[[[0.5]]]], \"spike_threshold\": 1, \"min_v_mem\": -1}]}";
  g_autoptr(SqNetwork) net = load_json (json);
  g_autoptr(GError) error = NULL;
  const SqDeviceProfile *device = sq_network_kind_device (dynapcnn (), "dynapcnn");
  const char *modes[] = { "sinabs", "synquant" };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      SqQuantSettings s = settings_for (modes[m]);
      g_autoptr(SqNetworkResult) r = sq_network_quantize (net, &s, SQ_QUANTIZE_DEFAULT, NULL,
                                                          &error);
      g_autoptr(SqCheckReport) report = NULL;
      const SqCheckIssue *dead;

      g_assert_no_error (error);
      report = sq_network_check (net, r, device, &error);
      g_assert_no_error (error);
      g_assert_true (sq_check_report_fits (report));
      if (m == 1)
        {
          g_assert_true (sq_check_report_alive (report));
          continue;
        }
      g_assert_false (sq_check_report_alive (report));
      g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_DEAD), ==, 2);
      dead = sq_check_report_first (report, SQ_CHECK_DEAD);
      g_assert_cmpstr (dead->kind, ==, "dead-layer");
      g_assert_cmpstr (dead->headline, ==, "A layer never fires");
      g_assert_cmpstr (dead->message, ==, "layer 1 can never fire: none of its weights is "
                                          "positive after discretization and no bias is");
      g_assert_cmpstr (sq_network_get_group (net, (guint) dead->param)->id, ==,
                       "layers[1].weight");
      for (guint i = 0; i < report->issues->len; i++)
        {
          const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

          if (issue->severity == SQ_CHECK_DEAD && issue != dead)
            g_assert_cmpstr (issue->message, ==, "layer 2 can never fire: the layer before it "
                                                 "never does and none of its biases is "
                                                 "positive");
        }
    }
}

/* Neurons silenced by the discretization: the fact, without a cause the kind has no bit
 * width for, and the other mode as advice, tried on the same input. */
static void
test_hints (void)
{
  static const char json[] =
    "{\"input_shape\": [1, 1, 1], \"layers\": ["
    "{\"weight\": [[[[0.5]]]], \"spike_threshold\": 1, \"min_v_mem\": -1},"
    "{\"weight\": [[[[0.4]]]], \"spike_threshold\": 1, \"min_v_mem\": null}]}";
  g_autoptr(SqNetwork) net = load_json (json);
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqSimRun) run = NULL;
  g_autoptr(GPtrArray) hints = NULL;
  g_autoptr(GError) error = NULL;
  SqQuantSettings s = settings_for ("sinabs");
  SqRaster raster = { 0, };

  r = sq_network_quantize (net, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  /* One event every step: layer 0 fires every second step, layer 1 (0.4 per event) every
   * third of those in the float model, never with its weight rounded to 0. */
  g_assert_true (sq_raster_regular (&raster, 30, 1, 1, 1, &error));
  g_assert_no_error (error);
  run = sq_network_simulate (r, sq_network_kind_device (dynapcnn (), "dynapcnn"), &raster,
                             SQ_SIM_RECORD_FLOAT | SQ_SIM_RECORD_INTEGER, NULL, NULL, NULL,
                             &error);
  g_assert_no_error (error);
  hints = sq_sim_run_hints (run);
  g_assert_cmpuint (hints->len, ==, 2);
  g_assert_cmpstr (hints->pdata[0], ==,
                   "1 neuron fires in the float model but never in the integer core. With mode "
                   "set to “Synquant”, 0 stay silent on this input.");
  g_assert_cmpstr (hints->pdata[1], ==,
                   "The integer core votes for another class than the float model.");
  sq_raster_clear (&raster);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn/kind/groups", test_groups);
  g_test_add_func ("/dynapcnn/kind/probe", test_probe);
  g_test_add_func ("/dynapcnn/kind/quantize", test_quantize);
  g_test_add_func ("/dynapcnn/kind/npz-round-trip", test_npz_round_trip);
  g_test_add_func ("/dynapcnn/kind/npz-errors", test_npz_errors);
  g_test_add_func ("/dynapcnn/kind/run-by-hand", test_run_by_hand);
  g_test_add_func ("/dynapcnn/kind/run-matches-core", test_run_matches_core);
  g_test_add_func ("/dynapcnn/kind/check-and-export", test_check_and_export);
  g_test_add_func ("/dynapcnn/kind/check-dead", test_check_dead);
  g_test_add_func ("/dynapcnn/kind/hints", test_hints);
  return g_test_run ();
}
