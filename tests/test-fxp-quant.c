/* test-fxp-quant.c: the fixed-point quantizer — the Q rule at its boundaries, the three
 * roundings, joint and separate bias, clipping, force_q and fake, the neuron's shared format,
 * 1/τ rounding to 0 and a threshold rounding to 0, calibration figures. Every number is
 * worked out in the comments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static SqFxpNet *
load_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  SqFxpNet *net = sq_fxp_net_load_json_data (text, strlen (text), "net.json", &error);

  g_assert_no_error (error);
  return net;
}

/* n = b − 2 − ⌊log2 M⌋ (research/sinabs_qualia.md B.1). */
static void
test_q_rule (void)
{
  /* M = 0: b − 2. */
  g_assert_cmpint (sq_fxp_frac_bits (0, 8), ==, 6);
  g_assert_cmpint (sq_fxp_frac_bits (0, 16), ==, 14);
  /* Powers of two: M = 1 → ⌊log2 1⌋ = 0 → 6 (Q1.6: 1 needs the integer bit); 0.5 → 7;
   * 2 → 5; 2^−10 → 16. */
  g_assert_cmpint (sq_fxp_frac_bits (1, 8), ==, 6);
  g_assert_cmpint (sq_fxp_frac_bits (0.5, 8), ==, 7);
  g_assert_cmpint (sq_fxp_frac_bits (2, 8), ==, 5);
  g_assert_cmpint (sq_fxp_frac_bits (ldexp (1, -10), 8), ==, 16);
  /* Just below a power of two: ⌊log2(1 − 2^−53)⌋ = −1 → 7. */
  g_assert_cmpint (sq_fxp_frac_bits (nextafter (1.0, 0.0), 8), ==, 7);
  /* M < 1: 0.9 → ⌊log2 0.9⌋ = −1 → 7 (Q0.7); 3 → 5; 300 → ⌊8.2⌋ = 8 → −2 (Δ = 4). */
  g_assert_cmpint (sq_fxp_frac_bits (0.9, 8), ==, 7);
  g_assert_cmpint (sq_fxp_frac_bits (3, 8), ==, 5);
  g_assert_cmpint (sq_fxp_frac_bits (300, 8), ==, -2);
  /* M huge: 1e300 = 0.7466·2^997 → ⌊log2⌋ = 996 → 6 − 996; the largest double 2^1024(1 − ε)
   * → 1023 → 14 − 1023 at 16 bits. */
  g_assert_cmpint (sq_fxp_frac_bits (1e300, 8), ==, -990);
  g_assert_cmpint (sq_fxp_frac_bits (DBL_MAX, 16), ==, -1009);
  /* Tiny: the smallest subnormal 2^−1074 → 6 + 1074. */
  g_assert_cmpint (sq_fxp_frac_bits (ldexp (1, -1074), 8), ==, 1080);

  {
    g_autofree char *a = sq_fxp_q_string (6, 8);
    g_autofree char *b = sq_fxp_q_string (-2, 8);
    g_autofree char *c = sq_fxp_q_string (14, 16);

    g_assert_cmpstr (a, ==, "Q1.6");
    g_assert_cmpstr (b, ==, "Q9.-2");
    g_assert_cmpstr (c, ==, "Q1.14");
  }
}

/* Nearest is ⌊x + 0.5⌋: halves go up, also below 0. */
static void
test_round (void)
{
  g_assert_cmpint (sq_fxp_round (2.5, SQ_FXP_ROUND_NEAREST), ==, 3);
  g_assert_cmpint (sq_fxp_round (-2.5, SQ_FXP_ROUND_NEAREST), ==, -2);
  g_assert_cmpint (sq_fxp_round (-0.5, SQ_FXP_ROUND_NEAREST), ==, 0);
  g_assert_cmpint (sq_fxp_round (-2.6, SQ_FXP_ROUND_NEAREST), ==, -3);
  g_assert_cmpint (sq_fxp_round (-2.5, SQ_FXP_ROUND_FLOOR), ==, -3);
  g_assert_cmpint (sq_fxp_round (2.9, SQ_FXP_ROUND_FLOOR), ==, 2);
  g_assert_cmpint (sq_fxp_round (-2.5, SQ_FXP_ROUND_CEIL), ==, -2);
  g_assert_cmpint (sq_fxp_round (2.1, SQ_FXP_ROUND_CEIL), ==, 3);
}

static const char lif_net[] =
  "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[0.5, -0.3], "
  "[0.2, 0.1]], \"bias\": [2.0, -0.6], \"neuron\": {\"type\": \"lif\", \"tau\": 2, "
  "\"v_threshold\": 1.0, \"v_reset\": 0.0}}]}";

/* Weights and bias jointly: M = 2 → n = 5, Δ = 1/32. ⌊x·32 + 0.5⌋: 0.5 → 16, −0.3 → ⌊−9.1⌋
 * = −10, 0.2 → ⌊6.9⌋ = 6, 0.1 → ⌊3.7⌋ = 3; bias 2 → 64, −0.6 → ⌊−18.7⌋ = −19. Errors:
 * −10/32 + 0.3 = −0.0125, 6/32 − 0.2 = −0.0125, 3/32 − 0.1 = −0.00625; the bias −19/32 + 0.6
 * = 0.00625. Without calibration the activation is bounded by Σ|w| + |b|: row 0
 * 0.5 + 0.3 + 2 = 2.8 → n = 5; v holds max(2.8, θ 1, 1/τ 0.5) → 5 as well: θ = 32, r = 16;
 * the output (spikes, M = 1) is Q1.6. */
static void
test_joint (void)
{
  g_autoptr(SqFxpNet) net = load_text (lif_net);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpQNet) q = NULL;
  SqFxpSettings s;
  const SqFxpQLayer *l;
  const gint32 w[] = { 16, -10, 6, 3 }, b[] = { 64, -19 };

  sq_fxp_settings_init (&s);
  q = sq_fxp_quantize (net, &s, NULL, &error);
  g_assert_no_error (error);
  l = &q->layers[0];
  g_assert_cmpuint (l->bits, ==, 8);
  g_assert_cmpuint (l->long_bits, ==, 16);
  g_assert_cmpint (l->fmt[SQ_FXP_WEIGHT].n, ==, 5);
  g_assert_cmpint (l->fmt[SQ_FXP_BIAS].n, ==, 5);
  g_assert_cmpmem (l->weight, 4 * sizeof (gint32), w, sizeof w);
  g_assert_cmpmem (l->bias, 2 * sizeof (gint32), b, sizeof b);
  g_assert_cmpfloat_with_epsilon (l->fmt[SQ_FXP_WEIGHT].max_abs_error, 0.0125, 1e-15);
  g_assert_cmpfloat_with_epsilon (l->fmt[SQ_FXP_BIAS].max_abs_error, 0.00625, 1e-15);
  g_assert_cmpuint (l->fmt[SQ_FXP_WEIGHT].n_values, ==, 4);
  g_assert_cmpuint (l->fmt[SQ_FXP_WEIGHT].n_clipped, ==, 0);
  g_assert_cmpfloat (l->fmt[SQ_FXP_WEIGHT].clip_lo, ==, -4.0);
  g_assert_cmpfloat (l->fmt[SQ_FXP_WEIGHT].clip_hi, ==, 127.0 / 32);
  g_assert_cmpfloat_with_epsilon (l->fmt[SQ_FXP_ACT].range, 2.8, 1e-15);
  g_assert_cmpint (l->fmt[SQ_FXP_ACT].n, ==, 5);
  g_assert_cmpint (l->fmt[SQ_FXP_V].n, ==, 5);
  g_assert_cmpint (l->theta, ==, 32);
  g_assert_cmpint (l->r, ==, 16);
  g_assert_cmpint (l->v_reset, ==, 0);
  g_assert_cmpint (l->fmt[SQ_FXP_OUTPUT].n, ==, 6);
  /* The input of layer 0 without calibration: spikes, M = 1. */
  g_assert_cmpint (l->fmt[SQ_FXP_INPUT].n, ==, 6);
  g_assert_cmpuint (q->warnings->len, ==, 0);
  sq_fxp_settings_clear (&s);
}

/* A separate bias: the weights' M = 0.5 → n = 7 (0.5 → 64, −0.3 → ⌊−37.9⌋ = −38, 0.2 → ⌊26.1⌋
 * = 26, 0.1 → ⌊13.3⌋ = 13), the bias keeps n = 5. Floor and ceil round the same values
 * down and up: −0.3·128 = −38.4 → −39 / −38. A forced n = 8 for the weights clips 0.5·256 =
 * 128 to 127, once. */
static void
test_separate_and_clip (void)
{
  g_autoptr(SqFxpNet) net = load_text (lif_net);
  g_autoptr(GError) error = NULL;
  SqFxpSettings s;

  sq_fxp_settings_init (&s);
  s.bias_separate = TRUE;
  {
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, &s, NULL, &error);
    const gint32 w[] = { 64, -38, 26, 13 };

    g_assert_no_error (error);
    g_assert_cmpint (q->layers[0].fmt[SQ_FXP_WEIGHT].n, ==, 7);
    g_assert_cmpint (q->layers[0].fmt[SQ_FXP_BIAS].n, ==, 5);
    g_assert_cmpmem (q->layers[0].weight, sizeof w, w, sizeof w);
  }
  s.round = SQ_FXP_ROUND_FLOOR;
  {
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, &s, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (q->layers[0].weight[1], ==, -39);
    g_assert_cmpint (q->layers[0].weight[3], ==, 12);
  }
  s.round = SQ_FXP_ROUND_CEIL;
  {
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, &s, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (q->layers[0].weight[1], ==, -38);
    g_assert_cmpint (q->layers[0].weight[2], ==, 26);
  }
  s.round = SQ_FXP_ROUND_NEAREST;
  sq_fxp_settings_set_layer_count (&s, 1);
  s.layers[0].force_n[SQ_FXP_WEIGHT] = 8;
  {
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, &s, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (q->layers[0].weight[0], ==, 127);
    g_assert_cmpuint (q->layers[0].fmt[SQ_FXP_WEIGHT].n_clipped, ==, 1);
    g_assert_cmpfloat (q->layers[0].fmt[SQ_FXP_WEIGHT].clip_hi, ==, 127.0 / 256);
    /* 127/256 − 0.5 = −1/256 */
    g_assert_cmpfloat (q->layers[0].fmt[SQ_FXP_WEIGHT].max_abs_error, ==, 1.0 / 256);
  }
  sq_fxp_settings_clear (&s);
}

/* force_q: every tensor Q(n) with n = 3; fake: Δ = 2M/(2^b − 1) = 4/255 for the joint M = 2,
 * and no integer core. */
static void
test_force_q_and_fake (void)
{
  g_autoptr(SqFxpNet) net = load_text (lif_net);
  g_autoptr(GError) error = NULL;
  SqFxpSettings s;

  sq_fxp_settings_init (&s);
  s.scheme = SQ_FXP_SCHEME_FORCE_Q;
  s.force_q = 3;
  {
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, &s, NULL, &error);

    g_assert_no_error (error);
    for (guint t = 0; t < SQ_FXP_N_TENSORS; t++)
      g_assert_cmpint (q->layers[0].fmt[t].n, ==, 3);
    /* 0.5·8 = 4, −0.3·8 = −2.4 → ⌊−1.9⌋ = −2; θ = 8, 1/τ = 4. */
    g_assert_cmpint (q->layers[0].weight[0], ==, 4);
    g_assert_cmpint (q->layers[0].weight[1], ==, -2);
    g_assert_cmpint (q->layers[0].theta, ==, 8);
    g_assert_cmpint (q->layers[0].r, ==, 4);
  }
  s.scheme = SQ_FXP_SCHEME_FAKE;
  {
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, &s, NULL, &error);
    SqTensor input = { 0, };
    SqFxpRun run;

    g_assert_no_error (error);
    g_assert_false (q->power_of_two);
    g_assert_cmpfloat (q->layers[0].fmt[SQ_FXP_WEIGHT].delta, ==, 4.0 / 255);
    /* 0.5 / (4/255) = 31.875 → 32 */
    g_assert_cmpint (q->layers[0].weight[0], ==, 32);
    g_assert_true (sq_tensor_init (&input, 2, (gsize[2]) { 1, 2 }, NULL));
    input.data[0] = input.data[1] = 1;
    g_assert_false (sq_fxp_run_int (q, &input, NULL, &run, &error));
    g_assert_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_NOT_POWER_OF_TWO);
    sq_tensor_clear (&input);
  }
  sq_fxp_settings_clear (&s);
}

/* τ = 100 in a membrane of M = 3 (θ): n = 5, 1/τ·32 = 0.32 → ⌊0.82⌋ = 0: an error naming the
 * layer. A threshold of 0.001 at a forced Q2.5: 0.032 → 0, a warning. */
static void
test_zero_tau_and_threshold (void)
{
  g_autoptr(SqFxpNet) net = load_text (
    "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": [[1.0]]}, "
    "{\"type\": \"linear\", \"weight\": [[1.0]], \"neuron\": {\"type\": \"lif\", \"tau\": 100, "
    "\"v_threshold\": 3.0}}]}");
  g_autoptr(SqFxpNet) net2 = load_text (
    "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": [[1.0]], "
    "\"neuron\": {\"type\": \"if\", \"v_threshold\": 0.001}}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpQNet) q = NULL;
  SqFxpSettings s;

  sq_fxp_settings_init (&s);
  q = sq_fxp_quantize (net, &s, NULL, &error);
  g_assert_null (q);
  g_assert_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_ZERO_TAU);
  g_assert_cmpstr (error->message, ==,
                   "net.json: layers[1]: 1/τ = 1/100 rounds to 0 in the membrane's format Q2.5 "
                   "(Δ = 2^-5): the neuron would never leak; give v more fractional bits (int16, "
                   "or a smaller range) or a shorter time constant");
  g_clear_error (&error);

  /* int16: M = 3 → n = 13, 8192/100 = 81.92 → ⌊82.42⌋ = 82. */
  s.bits = 16;
  s.long_bits = 32;
  q = sq_fxp_quantize (net, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (q->layers[1].r, ==, 82);
  g_assert_cmpint (q->layers[1].fmt[SQ_FXP_V].n, ==, 13);
  g_clear_pointer (&q, sq_fxp_qnet_free);

  sq_fxp_settings_init (&s);
  sq_fxp_settings_set_layer_count (&s, 1);
  s.layers[0].force_n[SQ_FXP_V] = 5;
  q = sq_fxp_quantize (net2, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (q->layers[0].theta, ==, 0);
  g_assert_cmpuint (q->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (q->warnings, 0), ==,
                   "layers[0]: the threshold 0.001 rounds to 0 in Q2.5: the neuron fires "
                   "whenever its potential is not negative");
  sq_fxp_settings_clear (&s);

  /* Widths: int16 with an int16 accumulator cannot hold a product. */
  sq_fxp_settings_init (&s);
  s.bits = 16;
  s.long_bits = 16;
  g_clear_pointer (&q, sq_fxp_qnet_free);
  q = sq_fxp_quantize (net2, &s, NULL, &error);
  g_assert_null (q);
  g_assert_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_SETTINGS);
}

/* Calibration: input steps [1, 2] and [0, 3] through y = x0 + 0.5·x1: 2 and 1.5. The input's
 * M = 3 → n = 5 (4 values, exact at Δ = 1/32); the activation's M = 2 → n = 5 (2 values,
 * exact). A value clipped by the input format: 5 at a forced Q2.5 (max 127/32 = 3.97). */
static void
test_calibration (void)
{
  g_autoptr(SqFxpNet) net = load_text (
    "{\"input_shape\": [2], \"layers\": [{\"type\": \"linear\", \"weight\": [[1.0, 0.5]]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpQNet) q = NULL;
  SqTensor input = { 0, };
  SqFxpSettings s;
  const SqFxpQLayer *l;

  g_assert_true (sq_tensor_init (&input, 2, (gsize[2]) { 2, 2 }, NULL));
  memcpy (input.data, (double[4]) { 1, 2, 0, 3 }, 4 * sizeof (double));
  sq_fxp_settings_init (&s);
  q = sq_fxp_quantize (net, &s, &input, &error);
  g_assert_no_error (error);
  l = &q->layers[0];
  g_assert_cmpfloat (l->fmt[SQ_FXP_INPUT].range, ==, 3);
  g_assert_cmpint (l->fmt[SQ_FXP_INPUT].n, ==, 5);
  g_assert_cmpuint (l->fmt[SQ_FXP_INPUT].n_values, ==, 4);
  g_assert_cmpfloat (l->fmt[SQ_FXP_ACT].range, ==, 2);
  g_assert_cmpint (l->fmt[SQ_FXP_ACT].n, ==, 5);
  g_assert_cmpuint (l->fmt[SQ_FXP_ACT].n_values, ==, 2);
  g_assert_true (isinf (l->fmt[SQ_FXP_ACT].sqnr_db));
  g_assert_cmpint (l->fmt[SQ_FXP_OUTPUT].n, ==, 5);
  g_clear_pointer (&q, sq_fxp_qnet_free);

  input.data[3] = 5;
  sq_fxp_settings_set_layer_count (&s, 1);
  s.layers[0].force_n[SQ_FXP_INPUT] = 5;
  q = sq_fxp_quantize (net, &s, &input, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (q->layers[0].fmt[SQ_FXP_INPUT].n_clipped, ==, 1);
  /* 127/32 − 5 */
  g_assert_cmpfloat (q->layers[0].fmt[SQ_FXP_INPUT].max_abs_error, ==, 5 - 127.0 / 32);
  sq_fxp_settings_clear (&s);
  sq_tensor_clear (&input);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fxp-quant/q-rule", test_q_rule);
  g_test_add_func ("/fxp-quant/round", test_round);
  g_test_add_func ("/fxp-quant/joint", test_joint);
  g_test_add_func ("/fxp-quant/separate-and-clip", test_separate_and_clip);
  g_test_add_func ("/fxp-quant/force-q-and-fake", test_force_q_and_fake);
  g_test_add_func ("/fxp-quant/zero-tau-and-threshold", test_zero_tau_and_threshold);
  g_test_add_func ("/fxp-quant/calibration", test_calibration);
  return g_test_run ();
}
