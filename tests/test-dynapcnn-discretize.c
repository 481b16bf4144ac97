/* test-dynapcnn-discretize.c: sinabs's joint discretization of a DynapCNN layer — every
 * conformance case of tests/data/discretize (sinabs mode, every value and the float32 scale
 * compared), the worked examples of ../shared/research/sinabs_qualia.md A.1, synquant mode's
 * unbounded membrane, the warnings and the messages for bad layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

/* A nested JSON array of numbers as a tensor (the shape from the first element of each
 * level; the cases are regular). */
static void
node_to_tensor (JsonNode *node,
                SqTensor *tensor)
{
  gsize shape[SQ_TENSOR_MAX_RANK];
  guint rank = 0;
  JsonNode *at = node;
  g_autoptr(GError) error = NULL;
  gsize flat = 0;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  while (JSON_NODE_HOLDS_ARRAY (at))
    {
      JsonArray *a = json_node_get_array (at);

      g_assert_cmpuint (rank, <, SQ_TENSOR_MAX_RANK);
      shape[rank++] = json_array_get_length (a);
      at = json_array_get_element (a, 0);
    }
  sq_tensor_init (tensor, rank, shape, &error);
  g_assert_no_error (error);
  /* Depth-first over the nested arrays, in C order. */
  g_ptr_array_add (stack, node);
  while (stack->len > 0)
    {
      JsonNode *n = g_ptr_array_steal_index (stack, stack->len - 1);

      if (JSON_NODE_HOLDS_ARRAY (n))
        {
          JsonArray *a = json_node_get_array (n);

          for (guint i = json_array_get_length (a); i-- > 0;)
            g_ptr_array_add (stack, json_array_get_element (a, i));
        }
      else
        {
          g_assert_cmpuint (flat, <, tensor->n);
          tensor->data[flat++] = json_node_get_double (n);
        }
    }
  g_assert_cmpuint (flat, ==, tensor->n);
}

static void
layer_from_json (JsonObject            *o,
                 SqDynapcnnLayerParams *layer)
{
  *layer = (SqDynapcnnLayerParams) { { 0, }, };
  node_to_tensor (json_object_get_member (o, "weight"), &layer->weight);
  if (json_object_has_member (o, "bias"))
    node_to_tensor (json_object_get_member (o, "bias"), &layer->bias);
  if (json_object_has_member (o, "v_mem"))
    node_to_tensor (json_object_get_member (o, "v_mem"), &layer->v_mem);
  layer->spike_threshold = json_object_get_double_member (o, "spike_threshold");
  layer->has_min_v_mem = !json_object_get_null_member (o, "min_v_mem");
  if (layer->has_min_v_mem)
    layer->min_v_mem = json_object_get_double_member (o, "min_v_mem");
}

static void
layer_clear (SqDynapcnnLayerParams *layer)
{
  sq_tensor_clear (&layer->weight);
  sq_tensor_clear (&layer->bias);
  sq_tensor_clear (&layer->v_mem);
}

static void
assert_tensor (const SqTensor *t,
               JsonObject     *expected,
               const char     *name)
{
  g_autofree char *why = NULL;

  if (!sq_test_tensor_matches (t, json_object_get_member (expected, name), name, &why))
    g_error ("%s", why);
  g_assert_true (t->integer);
}

static void
test_conformance (void)
{
  g_autofree char *dir = sq_test_data_path ("data", "discretize", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_cases = 0, n_zero_threshold = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      SqDynapcnnLayerParams layer;
      SqDynapcnnDiscrete out;
      JsonObject *expected;
      gboolean ok;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir, name, NULL);
      root = sq_test_parse_file (path);
      g_test_message ("%s", name);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "kind"), ==,
                       "discretize");
      layer_from_json (json_object_get_object_member (json_node_get_object (root), "layer"),
                       &layer);
      expected = json_object_get_object_member (json_node_get_object (root), "expected");
      ok = sq_dynapcnn_discretize_layer (&layer, SQ_DISCRETIZE_SINABS, name, &out, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      /* The scale is a float32 value; JSON holds it exactly as a double. */
      g_assert_cmpfloat ((double) out.scale, ==,
                         json_object_get_double_member (expected, "scale"));
      assert_tensor (&out.weight, expected, "weight");
      assert_tensor (&out.bias, expected, "bias");
      g_assert_cmpint (out.threshold_high, ==,
                       json_object_get_int_member (expected, "spike_threshold"));
      g_assert_cmpint (out.threshold_low, ==, json_object_get_int_member (expected, "min_v_mem"));
      if (json_object_has_member (expected, "v_mem"))
        assert_tensor (&out.v_mem, expected, "v_mem");
      else
        g_assert_false (sq_tensor_is_present (&out.v_mem));
      /* case-70: min_v_mem null caps the scale at 1, θ 0.197 becomes 0. */
      if (out.threshold_high == 0)
        {
          g_autoptr(GPtrArray) w = sq_dynapcnn_discrete_warnings (&layer, &out,
                                                                  SQ_DISCRETIZE_SINABS, "l");
          gboolean found = FALSE;

          for (guint k = 0; k < w->len; k++)
            found = found || strstr (g_ptr_array_index (w, k),
                                     "l: the spike threshold became 0 at scale 1") != NULL;
          g_assert_true (found);
          n_zero_threshold++;
        }
      sq_dynapcnn_discrete_clear (&out);
      layer_clear (&layer);
      n_cases++;
    }
  g_assert_cmpuint (n_cases, ==, 7);
  g_assert_cmpuint (n_zero_threshold, ==, 1);
}

/* sinabs_qualia.md A.1, θ_high = 1: W 0.5/−0.3, no bias, min_v_mem −1 → s_w = 127/0.5 = 254
 * (fl32(1/0.5) = 2 exactly), s_t = 32767 (|−1| ≤ 1·ρ), so s = 254: W 127/−76 (−76.2),
 * θ 254/−254. With min_v_mem null sinabs puts −32768 in the thresholds, whose negative side
 * binds: s_t = 32768/32768 = 1, so s = 1 and W rounds to 0/0, θ to 1/−32768. */
static void
test_worked_examples (void)
{
  const gsize shape[4] = { 1, 2, 1, 1 };
  const double w[2] = { 0.5, -0.3 };
  SqDynapcnnLayerParams layer = { { 0, }, };
  SqDynapcnnDiscrete out;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;

  sq_test_tensor_set (&layer.weight, 4, shape, w);
  layer.spike_threshold = 1.0;
  layer.has_min_v_mem = TRUE;
  layer.min_v_mem = -1.0;
  g_assert_true (sq_dynapcnn_discretize_layer (&layer, SQ_DISCRETIZE_SINABS, "ex", &out,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (out.scale, ==, 254.0f);
  g_assert_cmpint (out.bound, ==, SQ_SCALE_BOUND_WEIGHT);
  g_assert_cmpfloat (out.weight.data[0], ==, 127.0);
  g_assert_cmpfloat (out.weight.data[1], ==, -76.0);
  g_assert_cmpint (out.threshold_high, ==, 254);
  g_assert_cmpint (out.threshold_low, ==, -254);
  g_assert_cmpuint (out.bias.n, ==, 1);
  g_assert_cmpfloat (out.bias.data[0], ==, 0.0);
  g_assert_cmpuint (out.n_weights_zeroed, ==, 0);
  g_assert_cmpint (out.max_abs_weight, ==, 127);
  sq_dynapcnn_discrete_clear (&out);

  layer.has_min_v_mem = FALSE;
  g_assert_true (sq_dynapcnn_discretize_layer (&layer, SQ_DISCRETIZE_SINABS, "ex", &out,
                                               &error));
  g_assert_cmpfloat (out.scale, ==, 1.0f);
  g_assert_cmpint (out.bound, ==, SQ_SCALE_BOUND_THRESHOLDS);
  g_assert_cmpfloat (out.weight.data[0], ==, 0.0);
  g_assert_cmpfloat (out.weight.data[1], ==, 0.0);
  g_assert_cmpint (out.threshold_high, ==, 1);
  g_assert_cmpint (out.threshold_low, ==, -32768);
  g_assert_cmpuint (out.n_weights_nonzero, ==, 2);
  g_assert_cmpuint (out.n_weights_zeroed, ==, 2);
  warnings = sq_dynapcnn_discrete_warnings (&layer, &out, SQ_DISCRETIZE_SINABS, "layer 0");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0),
                            "layer 0: EVERY WEIGHT BECAME 0: min_v_mem is null"));
  g_clear_pointer (&warnings, g_ptr_array_unref);
  sq_dynapcnn_discrete_clear (&out);

  /* synquant mode: the unbounded side stays out of the search, θ_low is written as −32768;
   * the weights set the scale as in the bounded case. */
  g_assert_true (sq_dynapcnn_discretize_layer (&layer, SQ_DISCRETIZE_SYNQUANT, "ex", &out,
                                               &error));
  g_assert_cmpfloat (out.scale, ==, 254.0f);
  g_assert_cmpfloat (out.weight.data[1], ==, -76.0);
  g_assert_cmpint (out.threshold_high, ==, 254);
  g_assert_cmpint (out.threshold_low, ==, -32768);
  warnings = sq_dynapcnn_discrete_warnings (&layer, &out, SQ_DISCRETIZE_SYNQUANT, "layer 0");
  g_assert_cmpuint (warnings->len, ==, 0);
  g_clear_pointer (&warnings, g_ptr_array_unref);
  sq_dynapcnn_discrete_clear (&out);
  layer_clear (&layer);
}

/* W = 1.0, b = −0.1, min −1: s_w = 127, s_b = |fl32(1/−0.1)·127| ≈ 1270 (the first branch:
 * |−0.1| ≤ |−0.1|·ρ), so s = 127 and b → rint(−12.7) = −13; the bias warns of the leak
 * clock. Then θ_high 0.5 with the same weight: 64 < 127, runaway firing. */
static void
test_bias_and_runaway (void)
{
  const gsize wshape[4] = { 1, 1, 1, 1 }, bshape[1] = { 1 };
  const double w[1] = { 1.0 }, b[1] = { -0.1 };
  SqDynapcnnLayerParams layer = { { 0, }, };
  SqDynapcnnDiscrete out;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;

  sq_test_tensor_set (&layer.weight, 4, wshape, w);
  sq_test_tensor_set (&layer.bias, 1, bshape, b);
  g_assert_cmpfloat (sq_dynapcnn_tensor_scale (b, 1, 8), ==, fabsf ((1.0f / -0.1f) * 127.0f));
  layer.spike_threshold = 1.0;
  layer.has_min_v_mem = TRUE;
  layer.min_v_mem = -1.0;
  g_assert_true (sq_dynapcnn_discretize_layer (&layer, SQ_DISCRETIZE_SINABS, "ex", &out,
                                               &error));
  g_assert_cmpfloat (out.scale, ==, 127.0f);
  g_assert_cmpfloat (out.bias.data[0], ==, -13.0);
  g_assert_cmpint (out.threshold_high, ==, 127);
  warnings = sq_dynapcnn_discrete_warnings (&layer, &out, SQ_DISCRETIZE_SINABS, "conv1");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "conv1: non-zero biases"));
  g_clear_pointer (&warnings, g_ptr_array_unref);
  sq_dynapcnn_discrete_clear (&out);

  layer.spike_threshold = 0.5;
  layer.min_v_mem = -0.5;
  g_assert_true (sq_dynapcnn_discretize_layer (&layer, SQ_DISCRETIZE_SYNQUANT, "ex", &out,
                                               &error));
  g_assert_cmpint (out.threshold_high, ==, 64);   /* rint(63.5) is 64, half to even */
  warnings = sq_dynapcnn_discrete_warnings (&layer, &out, SQ_DISCRETIZE_SYNQUANT, "conv1");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0),
                            "conv1: spike threshold 64 is below the largest weight 127"));
  sq_dynapcnn_discrete_clear (&out);
  layer_clear (&layer);
}

/* Per-tensor scale edge cases: all zeros never bind (+inf); all negative, the positive side
 * still decides when |min| ≤ |max|·ρ; the extra negative code when it does not. */
static void
test_tensor_scale (void)
{
  const double zeros[3] = { 0, 0, 0 };
  const double neg[2] = { -0.1, -0.1 };
  const double wide[2] = { -0.5, -0.1 };

  g_assert_true (isinf (sq_dynapcnn_tensor_scale (zeros, 3, 8)));
  g_assert_cmpfloat (sq_dynapcnn_tensor_scale (neg, 2, 8), ==,
                     fabsf ((1.0f / -0.1f) * 127.0f));
  g_assert_cmpfloat (sq_dynapcnn_tensor_scale (wide, 2, 8), ==, 256.0f);
}

static void
expect_error (SqDynapcnnLayerParams *layer,
              const char            *message)
{
  g_autoptr(GError) error = NULL;
  SqDynapcnnDiscrete out;

  g_assert_false (sq_dynapcnn_discretize_layer (layer, SQ_DISCRETIZE_SYNQUANT,
                                                "net.json: layers[1]", &out, &error));
  g_assert_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (sq_tensor_is_present (&out.weight));
}

static void
test_errors (void)
{
  const gsize wshape[4] = { 2, 1, 2, 1 }, bshape[1] = { 3 }, flat[1] = { 2 };
  const double w[4] = { 0.1, 0.2, -0.3, 0.4 }, b[3] = { 0, 0, 0 };
  SqDynapcnnLayerParams layer = { { 0, }, };

  layer.spike_threshold = 1.0;
  expect_error (&layer, "net.json: layers[1]: weight has shape absent: expected a non-empty "
                        "(Cout, Cin, kh, kw) array");
  sq_test_tensor_set (&layer.weight, 1, flat, w);
  expect_error (&layer, "net.json: layers[1]: weight has shape (2,): expected a non-empty "
                        "(Cout, Cin, kh, kw) array");
  sq_tensor_clear (&layer.weight);
  sq_test_tensor_set (&layer.weight, 4, wshape, w);
  sq_test_tensor_set (&layer.bias, 1, bshape, b);
  expect_error (&layer, "net.json: layers[1]: bias has shape (3,): expected (2,), one per "
                        "output channel");
  sq_tensor_clear (&layer.bias);
  layer.weight.data[3] = NAN;
  expect_error (&layer, "net.json: layers[1]: weight[1][0][1][0] is nan: expected a finite "
                        "value");
  layer.weight.data[3] = 1e300;
  expect_error (&layer, "net.json: layers[1]: weight[1][0][1][0] is 1e+300, beyond float32's "
                        "range: expected a finite value");
  layer.weight.data[3] = 0.4;
  layer.spike_threshold = -1.0;
  expect_error (&layer, "net.json: layers[1]: spike_threshold is -1: expected a finite value "
                        "above 0");
  layer.spike_threshold = 1.0;
  layer.has_min_v_mem = TRUE;
  layer.min_v_mem = 2.0;
  expect_error (&layer, "net.json: layers[1]: min_v_mem is 2: expected a finite value below "
                        "spike_threshold (1), or null for no lower bound");
  layer_clear (&layer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn/discretize/conformance", test_conformance);
  g_test_add_func ("/dynapcnn/discretize/worked-examples", test_worked_examples);
  g_test_add_func ("/dynapcnn/discretize/bias-and-runaway", test_bias_and_runaway);
  g_test_add_func ("/dynapcnn/discretize/tensor-scale", test_tensor_scale);
  g_test_add_func ("/dynapcnn/discretize/errors", test_errors);
  return g_test_run ();
}
