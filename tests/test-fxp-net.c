/* test-fxp-net.c: fixed-point layer files — every key read with its defaults, the shapes
 * checked from layer to layer, written back to the same values, and one message per kind of
 * bad input with its key path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static SqFxpNet *
load_text (const char *text,
           GError    **error)
{
  return sq_fxp_net_load_json_data (text, strlen (text), "net.json", error);
}

/* The example of docs/fixedpoint.md: 1 × 4 × 4 input; conv 2 × 2 kernels, stride 1, padding 0
 * → (4 − 2)/1 + 1 = 3 by 3, with IF; sum-pool 3 × 3 stride 3 → 1 × 1; flatten → 2; linear
 * 2 → 2 with LIF. */
static const char example[] =
  "{\"input_shape\": [1, 4, 4], \"comment\": \"ignored\", \"layers\": [\n"
  "  {\"type\": \"conv2d\", \"weight\": [[[[0.5, -0.25], [0.125, 1]]], [[[1, 1], [1, 1]]]],\n"
  "   \"bias\": [0.0, -0.5], \"neuron\": {\"type\": \"if\", \"v_threshold\": 1.0,\n"
  "   \"v_reset\": null}},\n"
  "  {\"type\": \"sumpool\", \"kernel\": 3},\n"
  "  {\"type\": \"flatten\"},\n"
  "  {\"type\": \"linear\", \"weight\": [[1.5, -2], [0.75, 0.25]],\n"
  "   \"recurrent\": [[0, 0.5], [0.5, 0]],\n"
  "   \"neuron\": {\"type\": \"lif\", \"tau\": 4, \"decay_input\": false,\n"
  "               \"v_threshold\": 2.0, \"v_reset\": -0.5, \"tau_syn\": 2, \"future\": 1}}\n"
  "]}\n";

static void
test_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = load_text (example, &error);
  const SqFxpLayer *l;

  g_assert_no_error (error);
  g_assert_cmpuint (net->input_rank, ==, 3);
  g_assert_cmpuint (net->n_layers, ==, 4);

  l = &net->layers[0];
  g_assert_cmpint (l->op, ==, SQ_FXP_OP_CONV2D);
  g_assert_cmpfloat (l->weight.data[1], ==, -0.25);
  g_assert_cmpuint (l->stride_y, ==, 1);
  g_assert_cmpuint (l->out_shape[0], ==, 2);
  g_assert_cmpuint (l->out_shape[1], ==, 3);
  g_assert_cmpuint (l->out_shape[2], ==, 3);
  g_assert_cmpint (l->neuron.type, ==, SQ_FXP_NEURON_IF);
  g_assert_true (l->neuron.soft_reset);

  l = &net->layers[1];
  g_assert_cmpint (l->op, ==, SQ_FXP_OP_SUMPOOL);
  g_assert_cmpuint (l->stride_x, ==, 3);   /* the window */
  g_assert_cmpuint (l->out_shape[1], ==, 1);
  g_assert_cmpuint (l->out_shape[2], ==, 1);

  g_assert_cmpuint (net->layers[2].out_shape[0], ==, 2);

  l = &net->layers[3];
  g_assert_cmpint (l->neuron.type, ==, SQ_FXP_NEURON_LIF);
  g_assert_cmpfloat (l->neuron.tau, ==, 4.0);
  g_assert_false (l->neuron.decay_input);
  g_assert_false (l->neuron.soft_reset);
  g_assert_cmpfloat (l->neuron.v_reset, ==, -0.5);
  g_assert_cmpfloat (l->neuron.tau_syn, ==, 2.0);
  g_assert_cmpfloat (l->recurrent.data[1], ==, 0.5);

  g_assert_cmpuint (net->warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (net->warnings, 0), ==,
                   "unknown key \"comment\" ignored");
  g_assert_cmpstr (g_ptr_array_index (net->warnings, 1), ==,
                   "unknown key \"layers[3].neuron.future\" ignored");
}

/* Written and read back: the same values, and the same text a second time. */
static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = load_text (example, &error);
  g_autoptr(GString) once = NULL, twice = NULL;
  g_autoptr(SqFxpNet) back = NULL;

  g_assert_no_error (error);
  once = sq_fxp_net_to_json (net);
  back = sq_fxp_net_load_json_data (once->str, once->len, "back.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_layers, ==, net->n_layers);
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *a = &net->layers[i], *b = &back->layers[i];

      g_assert_cmpint (a->op, ==, b->op);
      g_assert_true (sq_test_tensor_equal (&a->weight, &b->weight));
      g_assert_true (sq_test_tensor_equal (&a->bias, &b->bias));
      g_assert_true (sq_test_tensor_equal (&a->recurrent, &b->recurrent));
      g_assert_cmpmem (a->out_shape, sizeof a->out_shape, b->out_shape, sizeof b->out_shape);
      g_assert_cmpint (a->neuron.type, ==, b->neuron.type);
      g_assert_cmpfloat (a->neuron.tau, ==, b->neuron.tau);
      g_assert_cmpint (a->neuron.soft_reset, ==, b->neuron.soft_reset);
      g_assert_cmpfloat (a->neuron.v_reset, ==, b->neuron.v_reset);
      g_assert_cmpfloat (a->neuron.tau_syn, ==, b->neuron.tau_syn);
      g_assert_cmpint (a->neuron.decay_input, ==, b->neuron.decay_input);
    }
  twice = sq_fxp_net_to_json (back);
  g_assert_cmpstr (once->str, ==, twice->str);
  g_assert_nonnull (strstr (once->str, "{\"type\": \"sumpool\", \"kernel\": 3, \"stride\": 3}"));
}

/* A vector input, a Linear straight after a map (an implicit flatten), average pooling with
 * its own stride. */
static void
test_vector_and_pool (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = load_text (
    "{\"input_shape\": [2, 5, 5], \"layers\": [{\"type\": \"avgpool\", \"kernel\": [2, 3], "
    "\"stride\": [1, 2]}, {\"type\": \"linear\", \"weight\": "
    "[[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]]}]}", &error);

  g_assert_no_error (error);
  /* (5 − 2)/1 + 1 = 4 by (5 − 3)/2 + 1 = 2, two channels: 16 values. */
  g_assert_cmpuint (net->layers[0].out_shape[1], ==, 4);
  g_assert_cmpuint (net->layers[0].out_shape[2], ==, 2);
  g_assert_cmpuint (net->layers[1].in_shape[0], ==, 2);
  g_assert_cmpuint (net->layers[1].out_shape[0], ==, 1);

  sq_fxp_net_free (g_steal_pointer (&net));
  net = load_text ("{\"input_shape\": [3], \"layers\": [{\"type\": \"linear\", \"weight\": "
                   "[[1, 2, 3]], \"neuron\": {\"type\": \"atif\", \"v_threshold\": 0.5}}]}",
                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net->input_rank, ==, 1);
  g_assert_true (net->layers[0].neuron.soft_reset);
  g_assert_cmpint (net->layers[0].neuron.type, ==, SQ_FXP_NEURON_ATIF);
}

typedef struct {
  const char *text;
  GQuark      domain;
  int         code;
  const char *message;
} Bad;

static void
test_errors (void)
{
  static const Bad cases[] = {
    { "", 0, SQ_SPEC_ERROR_SYNTAX, "the file is empty" },
    { "[]", 0, SQ_SPEC_ERROR_NOT_OBJECT,
      "net.json:1:1: the top level is an array: expected an object" },
    { "{\"layers\": []}", 0, SQ_SPEC_ERROR_MISSING_KEY, "no \"input_shape\"" },
    { "{\"input_shape\": [2]}", 0, SQ_SPEC_ERROR_MISSING_KEY, "no \"layers\"" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2], "
      "[3, NaN]]}]}", 0, SQ_SPEC_ERROR_NON_FINITE, "layers[0].weight[1][1]" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2], "
      "[3]]}]}", 0, SQ_SPEC_ERROR_RAGGED, "layers[0].weight[1]" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [1, 2]}]}", 0,
      SQ_SPEC_ERROR_RANK, "layers[0].weight has shape (2,): expected (out, in)" },
    { "{\"input_shape\": [3], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2]]}]}",
      SQ_FXP_ERROR_INVALID, SQ_FXP_ERROR_INVALID,
      "net.json: layers[0].weight has shape (1, 2): expected (out, 3)" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"dense\"}]}", 0, SQ_SPEC_ERROR_VALUE,
      "layers[0].type is \"dense\": expected one of \"linear\", \"conv2d\"" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"flatten\", \"kernel\": 2}]}", 0,
      SQ_SPEC_ERROR_VALUE, "layers[0]: a flatten layer takes no stride, padding or kernel" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2]], "
      "\"neuron\": {\"tau\": 2}}]}", 0, SQ_SPEC_ERROR_MISSING_KEY,
      "layers[0].neuron has no \"type\"" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2]], "
      "\"neuron\": {\"type\": \"lif\", \"tau\": 0.5}}]}", SQ_FXP_ERROR_INVALID,
      SQ_FXP_ERROR_INVALID, "layers[0].neuron.tau is 0.5: expected a time constant of at least "
      "1 step" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2]], "
      "\"neuron\": {\"type\": \"if\", \"v_threshold\": -1}}]}", SQ_FXP_ERROR_INVALID,
      SQ_FXP_ERROR_INVALID, "layers[0].neuron.v_threshold is -1" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2]], "
      "\"neuron\": {\"type\": \"if\", \"decay_input\": 1}}]}", 0, SQ_SPEC_ERROR_VALUE,
      "layers[0].neuron.decay_input is a number: expected true or false" },
    { "{\"input_shape\": [1, 2, 2], \"layers\": [{\"type\": \"conv2d\", \"weight\": "
      "[[[[1, 1, 1]]]]}]}", SQ_FXP_ERROR_INVALID, SQ_FXP_ERROR_INVALID,
      "layers[0]: the 1 × 3 kernel (padding 0 × 0) does not fit its 2 × 2 input" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1, 2]], "
      "\"recurrent\": [[1]]}]}", SQ_FXP_ERROR_INVALID, SQ_FXP_ERROR_INVALID,
      "layers[0].recurrent: only a linear layer with a neuron has recurrent weights" },
    { "{\"input_shape\": [16777217], \"layers\": []}", 0, SQ_SPEC_ERROR_VALUE,
      "input_shape[0] is 1.67772e+07: expected a whole number from 1 to 16777216" },
    { "{\"input_shape\": [4096, 4096, 4096], \"layers\": [{\"type\": \"flatten\"}]}",
      SQ_FXP_ERROR_INVALID, SQ_FXP_ERROR_INVALID, "the input has more than 16777216 values" },
    { "{\"input_shape\": [2], \"layers\": [{\"type\": \"sumpool\", \"kernel\": 99999}]}", 0,
      SQ_SPEC_ERROR_VALUE, "layers[0].kernel is 99999: expected a whole number from 1 to 4096" },
    { "{\"input_shape\": [2], \"input_shape\": [2]}", 0, SQ_SPEC_ERROR_DUPLICATE_KEY,
      "key \"input_shape\" appears twice" },
    { "{\"input_shape\": [2], \"layers\": []} x", 0, SQ_SPEC_ERROR_SYNTAX,
      "unexpected data after the end of the network" },
    { "{\"input_shape\": [2], \"layers\": []}", SQ_FXP_ERROR_INVALID, SQ_FXP_ERROR_INVALID,
      "the network has no layer" },
  };

  /* 1025 layers: refused while reading, at the 1025th. */
  {
    GString *many = g_string_new ("{\"input_shape\": [1], \"layers\": [");
    g_autoptr(GError) error = NULL;
    g_autoptr(SqFxpNet) net = NULL;

    for (guint i = 0; i < 1025; i++)
      g_string_append (many, i ? ", {\"type\": \"flatten\"}" : "{\"type\": \"flatten\"}");
    g_string_append (many, "]}");
    net = load_text (many->str, &error);
    g_string_free (many, TRUE);
    g_assert_null (net);
    g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "more than 1024 layers"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SqFxpNet) net = load_text (cases[i].text, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (net);
      if (cases[i].domain != 0)
        g_assert_error (error, SQ_FXP_ERROR, cases[i].code);
      else
        g_assert_error (error, SQ_SPEC_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fxp-net/example", test_example);
  g_test_add_func ("/fxp-net/round-trip", test_round_trip);
  g_test_add_func ("/fxp-net/vector-and-pool", test_vector_and_pool);
  g_test_add_func ("/fxp-net/errors", test_errors);
  return g_test_run ();
}
