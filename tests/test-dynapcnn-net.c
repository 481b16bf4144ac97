/* test-dynapcnn-net.c: DynapCNN layer files — every key read (defaults, pairs, choices,
 * null), the map sizes checked from layer to layer, unknown keys listed, the conformance
 * layers through the file format, and one message per kind of bad input with its path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static SqDynapcnnNet *
load_text (const char *text,
           GError    **error)
{
  return sq_dynapcnn_net_load_json_data (text, strlen (text), "net.json", error);
}

/* tests/data/dynapcnn/three-layers.json: 2 × 6 × 6 input; layer 0 2 × 2 kernels, stride
 * (2, 1), padding 1 → (6 + 2 − 2)/2 + 1 = 4 by (6 + 2 − 2)/1 + 1 = 7, pooled 2 → 2 × 3;
 * layer 1 1 × 1 → 2 × 3, so its v_mem is (3, 2, 3); layer 2 1 × 3 → 2 × 1. */
static void
test_three_layers (void)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", "three-layers.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL;
  gsize length = 0;
  const SqDynapcnnNetLayer *l;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  net = sq_dynapcnn_net_load_json_data (text, length, "three-layers.json", &error);
  g_assert_no_error (error);
  g_assert_true (net->has_input_shape);
  g_assert_cmpuint (net->input_shape[0], ==, 2);
  g_assert_cmpuint (net->input_shape[2], ==, 6);
  g_assert_cmpuint (net->n_layers, ==, 3);
  g_assert_false (sq_dynapcnn_net_is_integer (net));

  l = &net->layers[0];
  g_assert_cmpuint (l->params.weight.shape[0], ==, 2);
  g_assert_cmpfloat (l->params.weight.data[1], ==, -0.25);
  g_assert_cmpfloat (l->params.bias.data[1], ==, -0.125);
  g_assert_cmpuint (l->stride_y, ==, 2);
  g_assert_cmpuint (l->stride_x, ==, 1);
  g_assert_cmpuint (l->pad_y, ==, 1);
  g_assert_cmpuint (l->pad_x, ==, 1);
  g_assert_cmpuint (l->pool, ==, 2);
  g_assert_true (l->reset_zero);
  g_assert_true (l->single_spike);
  g_assert_true (l->params.has_min_v_mem);
  g_assert_cmpfloat (l->params.min_v_mem, ==, -1.0);
  g_assert_false (l->has_scale);

  l = &net->layers[1];
  g_assert_cmpuint (l->stride_y, ==, 1);
  g_assert_cmpuint (l->pad_x, ==, 0);
  g_assert_cmpuint (l->pool, ==, 1);
  g_assert_false (l->reset_zero);
  g_assert_false (l->single_spike);
  g_assert_false (l->params.has_min_v_mem);
  g_assert_false (sq_tensor_is_present (&l->params.bias));
  g_assert_cmpuint (l->params.v_mem.shape[2], ==, 3);
  g_assert_cmpfloat (l->params.v_mem.data[5], ==, 0.5);

  l = &net->layers[2];
  g_assert_true (l->has_scale);
  g_assert_cmpfloat (l->scale, ==, 63.5);

  g_assert_cmpuint (net->warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (net->warnings, 0), ==,
                   "unknown key \"comment\" ignored");
  g_assert_cmpstr (g_ptr_array_index (net->warnings, 1), ==,
                   "unknown key \"layers[1].future_key\" ignored");
}

/* Each conformance layer as a one-layer file (no input_shape), discretized in sinabs mode:
 * the loader hands the discretizer exactly the values the case holds. */
static void
test_conformance_layers (void)
{
  g_autofree char *dir = sq_test_data_path ("data", "discretize", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *layer = NULL, *text = NULL, *why = NULL;
      g_autoptr(SqDynapcnnNet) net = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *expected;
      SqDynapcnnDiscrete out;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      root = sq_test_parse_file (path);
      layer = sq_test_node_to_string (json_object_get_member (json_node_get_object (root),
                                                              "layer"));
      text = g_strdup_printf ("{\"layers\": [%s]}", layer);
      net = load_text (text, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (net->n_layers, ==, 1);
      g_assert_false (net->has_input_shape);
      g_assert_true (sq_dynapcnn_discretize_layer (&net->layers[0].params, SQ_DISCRETIZE_SINABS,
                                                   name, &out, &error));
      expected = json_object_get_object_member (json_node_get_object (root), "expected");
      g_assert_cmpfloat ((double) out.scale, ==,
                         json_object_get_double_member (expected, "scale"));
      if (!sq_test_tensor_matches (&out.weight, json_object_get_member (expected, "weight"),
                                   "weight", &why))
        g_error ("%s: %s", name, why);
      sq_dynapcnn_discrete_clear (&out);
      n++;
    }
  g_assert_cmpuint (n, ==, 7);
}

static void
expect_error (const char *text,
              GQuark      domain,
              int         code,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = load_text (text, &error);

  g_assert_null (net);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
}

#define W2 "[[[[1]], [[2]]]]"   /* one output channel, two inputs, 1 × 1 */

static void
test_errors (void)
{
  expect_error ("", SQ_SPEC_ERROR, SQ_SPEC_ERROR_SYNTAX,
                "net.json: the file is empty, expected a JSON object");
  expect_error ("[1]", SQ_SPEC_ERROR, SQ_SPEC_ERROR_NOT_OBJECT,
                "net.json:1:1: the top level is an array, expected an object with \"layers\" "
                "(and \"input_shape\")");
  expect_error ("{}", SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                "net.json: no \"layers\": expected a list of layer objects");
  expect_error ("{\"layers\": []}", SQ_SPEC_ERROR, SQ_SPEC_ERROR_EMPTY,
                "net.json: layers is empty");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"spike_threshold\": 1}]}",
                SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                "net.json:1:13: layers[0] has no \"min_v_mem\" (null for no lower bound)");
  expect_error ("{\"layers\": [{\"weight\": [[1, 2]], \"spike_threshold\": 1, "
                "\"min_v_mem\": null}]}", SQ_SPEC_ERROR, SQ_SPEC_ERROR_RANK,
                "net.json:1:24: layers[0].weight has shape (1, 2): expected (Cout, Cin, kh, kw)");
  expect_error ("{\"layers\": [{\"weight\": [[[[1, NaN]]]], \"spike_threshold\": 1, "
                "\"min_v_mem\": null}]}", SQ_SPEC_ERROR, SQ_SPEC_ERROR_NON_FINITE,
                "net.json:1:31: layers[0].weight[0][0][0][1]: found NaN, expected a finite number");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"spike_threshold\": -1, "
                "\"min_v_mem\": null}]}", SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                "net.json: layers[0].spike_threshold is -1: expected a value above 0");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"spike_threshold\": 1, "
                "\"min_v_mem\": 1}]}", SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                "net.json: layers[0].min_v_mem is 1: expected a value below spike_threshold "
                "(1), or null");
  expect_error ("{\"input_shape\": [3, 4, 4], \"layers\": [{\"weight\": " W2 ", "
                "\"spike_threshold\": 1, \"min_v_mem\": null}]}",
                SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                "net.json: layers[0].weight takes 2 input channels, but input_shape has 3");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"spike_threshold\": 1, "
                "\"min_v_mem\": null}, {\"weight\": " W2 ", \"spike_threshold\": 1, "
                "\"min_v_mem\": null}]}", SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                "net.json: layers[1].weight takes 2 input channels, but the layer before "
                "gives 1");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"spike_threshold\": 1, "
                "\"min_v_mem\": null, \"reset\": \"hard\"}]}", SQ_SPEC_ERROR,
                SQ_SPEC_ERROR_VALUE, "net.json:1:92: layers[0].reset is \"hard\": expected "
                "\"subtract\" or \"zero\"");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"spike_threshold\": 1, "
                "\"min_v_mem\": null, \"stride\": [1, 0]}]}", SQ_SPEC_ERROR,
                SQ_SPEC_ERROR_VALUE, "net.json:1:97: layers[0].stride[1] is 0: expected a "
                "whole number from 1 to 4096");
  expect_error ("{\"input_shape\": [2, 4, 4], \"layers\": [{\"weight\": " W2 ", "
                "\"spike_threshold\": 1, \"min_v_mem\": null, \"pooling\": 8}]}",
                SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                "net.json: layers[0]: the 1 × 1 kernel (stride 1 × 1, padding 0 × 0, pooling "
                "8) does not fit its 4 × 4 input");
  expect_error ("{\"input_shape\": [2, 4, 4], \"layers\": [{\"weight\": " W2 ", "
                "\"spike_threshold\": 1, \"min_v_mem\": null, \"v_mem\": [[[0, 0]]]}]}",
                SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                "net.json: layers[0].v_mem has shape (1, 1, 2): expected the layer's output "
                "(1, 4, 4)");
  expect_error ("{\"layers\": [{\"weight\": " W2 ", \"weight\": " W2 "}]}", SQ_SPEC_ERROR,
                SQ_SPEC_ERROR_DUPLICATE_KEY,
                "net.json:1:42: key \"layers[0].weight\" appears twice");
}

/* The network discretized, written and read back: the same integers; the report's figures
 * for layer 0 of three-layers.json (weights from −1 to 1, bias −0.125, θ 1, θ_low −1):
 * s_w = 127 (|−1| ≤ 1·ρ), s_b = |fl32(1/−0.125)·127| = 1016, thresholds 32767, so s = 127
 * and the weights bound it; no weight is zeroed (the smallest non-zero is 0.125 → 16). */
static void
test_discretize_round_trip (void)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", "three-layers.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL, q = NULL, back = NULL;
  g_autoptr(GArray) reports = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GString) json = NULL;
  const SqDynapcnnLayerReport *r;
  gsize length = 0;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  net = sq_dynapcnn_net_load_json_data (text, length, "three-layers.json", &error);
  g_assert_no_error (error);
  q = sq_dynapcnn_net_discretize (net, SQ_DISCRETIZE_SYNQUANT, &reports, &warnings, &error);
  g_assert_no_error (error);
  g_assert_true (sq_dynapcnn_net_is_integer (q));
  g_assert_cmpuint (reports->len, ==, 3);
  r = &g_array_index (reports, SqDynapcnnLayerReport, 0);
  g_assert_cmpfloat (r->scale, ==, 127.0f);
  g_assert_cmpint (r->bound, ==, SQ_SCALE_BOUND_WEIGHT);
  g_assert_cmpuint (r->n_weights, ==, 16);
  g_assert_cmpuint (r->n_weights_nonzero, ==, 12);
  g_assert_cmpuint (r->n_weights_zeroed, ==, 0);
  g_assert_cmpint (r->threshold_after, ==, 127);
  g_assert_cmpint (r->min_v_mem_after, ==, -127);
  /* 0.125 · 127 = 15.875 → 16, error 0.125/127 per such weight: the SQNR is finite. */
  g_assert_true (isfinite (r->weight_sqnr_db));
  g_assert_cmpfloat (r->weight_sqnr_db, >, 40.0);
  g_assert_cmpfloat (q->layers[0].params.weight.data[2], ==, 16.0);
  g_assert_cmpfloat (q->layers[0].params.bias.data[1], ==, -16.0);
  /* Layer 1 has no bias (zeros now) and an unbounded membrane: −32768 in synquant mode. */
  g_assert_cmpuint (q->layers[1].params.bias.n, ==, 3);
  g_assert_cmpint ((int) q->layers[1].params.min_v_mem, ==, -32768);
  g_assert_false (g_array_index (reports, SqDynapcnnLayerReport, 1).has_min_v_mem_before);
  /* Layer 0's bias and the others' weights above θ? layer 0: θ 127 = max |w| 127, no
   * runaway; the bias warns. */
  g_assert_cmpuint (warnings->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "layer 0: non-zero biases"));

  json = sq_dynapcnn_net_to_json (q);
  back = sq_dynapcnn_net_load_json_data (json->str, json->len, "back.json", &error);
  g_assert_no_error (error);
  g_assert_true (sq_dynapcnn_net_is_integer (back));
  for (guint i = 0; i < 3; i++)
    {
      const SqDynapcnnNetLayer *a = &q->layers[i], *b = &back->layers[i];

      g_assert_true (sq_test_tensor_equal (&a->params.weight, &b->params.weight));
      g_assert_true (sq_test_tensor_equal (&a->params.bias, &b->params.bias));
      g_assert_cmpfloat (a->params.spike_threshold, ==, b->params.spike_threshold);
      g_assert_cmpfloat (a->params.min_v_mem, ==, b->params.min_v_mem);
      g_assert_cmpfloat (a->scale, ==, b->scale);
      g_assert_cmpuint (a->stride_y, ==, b->stride_y);
      g_assert_cmpuint (a->stride_x, ==, b->stride_x);
      g_assert_cmpuint (a->pool, ==, b->pool);
      g_assert_cmpint (a->reset_zero, ==, b->reset_zero);
      g_assert_cmpint (a->single_spike, ==, b->single_spike);
    }
  g_assert_true (sq_test_tensor_equal (&q->layers[1].params.v_mem,
                                       &back->layers[1].params.v_mem));
  g_assert_nonnull (strstr (json->str, "\"stride\": [2, 1], \"padding\": 1, \"pooling\": 2, "
                                       "\"reset\": \"zero\", \"spike\": \"single\", "
                                       "\"scale\": 127.0}"));
}

/* The per-core configuration of speck-small.json (2 × 8 × 8 → 4 × 3 × 3, padding 1, pool
 * 2 → 3 × 2 × 2, stride 2), discretized: the golden file, and by hand layer 0's first kernel
 * — max |w| = 1 and the thresholds (−2, 2) allow 16383, so s = 127: torch [y][x]
 * [[0.5, −0.25, 0], [0.125, 0, 0], [0, 0, 1]] → [[64, −32, 0], [16, 0, 0], [0, 0, 127]]
 * (63.5 rounds to even 64, −31.75 to −32, 15.875 to 16), written [x][y] as samna wants it.
 * three-layers.json's 1 × 3 kernel fits no core, and the error says so. */
static SqDynapcnnNet *
load_data_file (const char *name)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  SqDynapcnnNet *net;
  gsize length = 0;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  net = sq_dynapcnn_net_load_json_data (text, length, name, &error);
  g_assert_no_error (error);
  return net;
}

static void
test_config (void)
{
  g_autofree char *golden_path = sq_test_data_path ("data", "dynapcnn",
                                                    "speck-small.config.json", NULL);
  g_autofree char *golden = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = load_data_file ("speck-small.json");
  g_autoptr(SqDynapcnnNet) odd = load_data_file ("three-layers.json");
  g_autoptr(SqDynapcnnNet) q = NULL, odd_q = NULL;
  g_autoptr(GString) json = NULL, again = NULL, none = NULL;
  const SqDeviceProfile *device = sq_device_profile_lookup ("dynapcnn");

  none = sq_dynapcnn_config_to_json (net, device, &error);
  g_assert_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "speck-small.json: a device configuration needs a "
                                       "discretized network with an input_shape");
  g_assert_null (none);
  g_clear_error (&error);

  q = sq_dynapcnn_net_discretize (net, SQ_DISCRETIZE_SYNQUANT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (q->layers[0].scale, ==, 127.0);
  json = sq_dynapcnn_config_to_json (q, device, &error);
  g_assert_no_error (error);
  again = sq_dynapcnn_config_to_json (q, device, &error);
  g_assert_cmpstr (json->str, ==, again->str);
  g_assert_nonnull (strstr (json->str, "\"weights\": [[[[64, 16, 0], [-32, 0, 0], [0, 0, 127]]"));
  sq_json_check (json->str, json->len, "config.json", &error);
  g_assert_no_error (error);
  if (g_getenv ("SQ_UPDATE_GOLDEN") != NULL)
    g_file_set_contents (golden_path, json->str, (gssize) json->len, NULL);
  g_file_get_contents (golden_path, &golden, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json->str, ==, golden);

  odd_q = sq_dynapcnn_net_discretize (odd, SQ_DISCRETIZE_SYNQUANT, NULL, NULL, &error);
  g_assert_no_error (error);
  none = sq_dynapcnn_config_to_json (odd_q, device, &error);
  g_assert_null (none);
  g_assert_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "three-layers.json does not fit DynapCNN / Speck:\n"
                   "  layer 2: the 1 × 3 kernel is not square: the chip takes square kernels "
                   "only");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn/net/three-layers", test_three_layers);
  g_test_add_func ("/dynapcnn/net/conformance-layers", test_conformance_layers);
  g_test_add_func ("/dynapcnn/net/errors", test_errors);
  g_test_add_func ("/dynapcnn/net/discretize-round-trip", test_discretize_round_trip);
  g_test_add_func ("/dynapcnn/net/config", test_config);
  return g_test_run ();
}
