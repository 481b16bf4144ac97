/* test-dynapcnn-iaf.c: the DynapCNN integer IAF core in time steps — hand-computed traces of
 * each spike and reset rule, the lower bound and saturation, a convolution checked value by
 * value, and random networks (strides, padding, channels, pooling) against a plain gather-form
 * reference written here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

static SqIafLayer
one_by_one (double weight,
            double bias,
            gint32 theta,
            gint32 theta_low)
{
  const gsize ws[4] = { 1, 1, 1, 1 }, bs[1] = { 1 };
  SqIafLayer l = { { 0, }, };

  sq_test_tensor_set (&l.weight, 4, ws, &weight);
  sq_test_tensor_set (&l.bias, 1, bs, &bias);
  l.threshold_high = theta;
  l.threshold_low = theta_low;
  l.stride_y = l.stride_x = l.pool = 1;
  return l;
}

static void
run_trace (const SqIafLayer *l,
           const double     *counts,
           gsize             T,
           const double     *spikes,
           const double     *v,
           guint64           saturated)
{
  const gsize is[4] = { T, 1, 1, 1 };
  SqTensor input = { 0, };
  SqIafRun run;
  g_autoptr(GError) error = NULL;

  sq_test_tensor_set (&input, 4, is, counts);
  g_assert_true (sq_iaf_run (l, 1, &input, TRUE, NULL, &run, &error));
  g_assert_no_error (error);
  for (gsize t = 0; t < T; t++)
    {
      g_assert_cmpfloat (run.spikes_out.data[t], ==, spikes[t]);
      g_assert_cmpfloat (run.spikes[0].data[t], ==, spikes[t]);
      g_assert_cmpfloat (run.v_mem[0].data[t], ==, v[t]);
    }
  g_assert_cmpuint (run.n_saturated[0], ==, saturated);
  sq_iaf_run_clear (&run);
  sq_tensor_clear (&input);
}

/* Weight 3, θ 5, counts 1 2 0 3 → input 3 6 0 9.
 * multi + subtract: v 3, 9 → 1 spike, 4; 4; 13 → 2 spikes, 3.
 * single + subtract: ... 13 → 1 spike, 8.
 * multi + zero: 9 → 1 spike, 0; 0; 9 → 1 spike, 0. */
static void
test_rules (void)
{
  const double counts[4] = { 1, 2, 0, 3 };
  SqIafLayer l = one_by_one (3, 0, 5, -32768);

  run_trace (&l, counts, 4, (const double[]) { 0, 1, 0, 2 }, (const double[]) { 3, 4, 4, 3 }, 0);
  l.single_spike = TRUE;
  run_trace (&l, counts, 4, (const double[]) { 0, 1, 0, 1 }, (const double[]) { 3, 4, 4, 8 }, 0);
  l.single_spike = FALSE;
  l.reset_zero = TRUE;
  run_trace (&l, counts, 4, (const double[]) { 0, 1, 0, 1 }, (const double[]) { 3, 0, 0, 0 }, 0);
  sq_test_iaf_layer_clear (&l);
}

/* Bias −2 every step, θ_low −3: v −2, −4 → −3, −5 → −3; then count 4 × weight 2 = 8:
 * −3 + 8 − 2 = 3, below θ 5. Saturation: 300 × 127 = 38 100 → 32 767 (counted once), which
 * is 6553 spikes of 5, leaving 2. */
static void
test_bound_and_saturation (void)
{
  SqIafLayer l = one_by_one (2, -2, 5, -3);
  SqIafLayer big = one_by_one (127, 0, 5, -32768);

  run_trace (&l, (const double[]) { 0, 0, 0, 4 }, 4, (const double[]) { 0, 0, 0, 0 },
             (const double[]) { -2, -3, -3, 3 }, 0);
  run_trace (&big, (const double[]) { 300 }, 1, (const double[]) { 6553 },
             (const double[]) { 2 }, 1);
  sq_test_iaf_layer_clear (&l);
  sq_test_iaf_layer_clear (&big);
}

/* A 3 × 3 kernel of 1…9 (row-major), padding 1, one event at (y 1, x 2) of a 4 × 4 input:
 * output (oy, ox) gets w[1 + 1 − oy][2 + 1 − ox], so (0, 1) gets w[2][2] = 9, (1, 2) gets
 * w[1][1] = 5, (2, 3) gets w[0][0] = 1, and (3, y) nothing. θ is high: no spikes. */
static void
test_convolution (void)
{
  const gsize ws[4] = { 1, 1, 3, 3 }, is[4] = { 1, 1, 4, 4 };
  const double k[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  const double expected[16] = { 0, 9, 8, 7,
                                0, 6, 5, 4,
                                0, 3, 2, 1,
                                0, 0, 0, 0 };
  SqIafLayer l = { { 0, }, };
  SqTensor input = { 0, };
  SqIafRun run;
  g_autoptr(GError) error = NULL;

  sq_test_tensor_set (&l.weight, 4, ws, k);
  l.threshold_high = 1000;
  l.threshold_low = -32768;
  l.stride_y = l.stride_x = l.pool = 1;
  l.pad_y = l.pad_x = 1;
  sq_test_tensor_set (&input, 4, is, NULL);
  input.data[1 * 4 + 2] = 1;
  g_assert_true (sq_iaf_run (&l, 1, &input, TRUE, NULL, &run, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpfloat (run.v_mem[0].data[i], ==, expected[i]);
  sq_iaf_run_clear (&run);
  sq_tensor_clear (&input);
  sq_test_iaf_layer_clear (&l);
}

/* The reference: the same equations, the convolution in gather form. */
static void
reference (const SqIafLayer *layers,
           guint             n_layers,
           const SqTensor   *input,
           SqTensor         *out)
{
  gsize T = input->shape[0];
  gsize shape[3] = { input->shape[1], input->shape[2], input->shape[3] };
  /* Room for any layer's pooled output in these small networks. */
  const gsize room = 8192;
  g_autofree gint64 *cur = g_new (gint64, room);
  gint64 **v = g_new0 (gint64 *, n_layers);
  gsize out_per = out->n / T;

  for (gsize t = 0; t < T; t++)
    {
      gsize s[3] = { shape[0], shape[1], shape[2] };

      g_assert_cmpuint (s[0] * s[1] * s[2], <=, room);

      for (gsize i = 0; i < s[0] * s[1] * s[2]; i++)
        cur[i] = (gint64) input->data[t * s[0] * s[1] * s[2] + i];
      for (guint li = 0; li < n_layers; li++)
        {
          const SqIafLayer *l = &layers[li];
          gsize F = l->weight.shape[0], C = s[0], kh = l->weight.shape[2];
          gsize kw = l->weight.shape[3];
          gsize H = (s[1] + 2 * l->pad_y - kh) / l->stride_y + 1;
          gsize W = (s[2] + 2 * l->pad_x - kw) / l->stride_x + 1;
          gsize P = l->pool;
          g_autofree gint64 *spk = g_new0 (gint64, F * H * W);
          g_autofree gint64 *next = g_new0 (gint64, F * (H / P) * (W / P));

          if (v[li] == NULL)
            v[li] = g_new0 (gint64, F * H * W);
          for (gsize f = 0; f < F; f++)
            for (gsize oy = 0; oy < H; oy++)
              for (gsize ox = 0; ox < W; ox++)
                {
                  gint64 a = sq_tensor_is_present (&l->bias) ? (gint64) l->bias.data[f] : 0;
                  gint64 *vv = &v[li][(f * H + oy) * W + ox];
                  gint64 n;

                  for (gsize c = 0; c < C; c++)
                    for (gsize ky = 0; ky < kh; ky++)
                      for (gsize kx = 0; kx < kw; kx++)
                        {
                          gint64 y = (gint64) (oy * l->stride_y + ky) - l->pad_y;
                          gint64 x = (gint64) (ox * l->stride_x + kx) - l->pad_x;

                          if (y < 0 || x < 0 || y >= (gint64) s[1] || x >= (gint64) s[2])
                            continue;
                          a += cur[(c * s[1] + (gsize) y) * s[2] + (gsize) x] *
                               (gint64) l->weight.data[((f * C + c) * kh + ky) * kw + kx];
                        }
                  *vv = CLAMP (*vv + a, -32768, 32767);
                  n = l->single_spike ? (*vv >= l->threshold_high)
                                      : (*vv > 0 ? *vv / l->threshold_high : 0);
                  if (n > 0)
                    *vv = l->reset_zero ? 0 : *vv - n * l->threshold_high;
                  *vv = MAX (*vv, l->threshold_low);
                  spk[(f * H + oy) * W + ox] = n;
                }
          for (gsize f = 0; f < F; f++)
            for (gsize y = 0; y < (H / P) * P; y++)
              for (gsize x = 0; x < (W / P) * P; x++)
                next[(f * (H / P) + y / P) * (W / P) + x / P] += spk[(f * H + y) * W + x];
          s[0] = F;
          s[1] = H / P;
          s[2] = W / P;
          g_assert_cmpuint (s[0] * s[1] * s[2], <=, room);
          memcpy (cur, next, s[0] * s[1] * s[2] * sizeof (gint64));
        }
      for (gsize i = 0; i < out_per; i++)
        out->data[t * out_per + i] = (double) cur[i];
    }
  for (guint li = 0; li < n_layers; li++)
    g_free (v[li]);
  g_free (v);
}

static void
random_layer (GRand      *rand,
              SqIafLayer *l,
              gsize       f,
              gsize       c,
              gsize       k)
{
  const gsize ws[4] = { f, c, k, k }, bs[1] = { f };

  *l = (SqIafLayer) { { 0, }, };
  sq_test_tensor_set (&l->weight, 4, ws, NULL);
  for (gsize i = 0; i < l->weight.n; i++)
    l->weight.data[i] = g_rand_int_range (rand, -128, 128);
  sq_test_tensor_set (&l->bias, 1, bs, NULL);
  for (gsize i = 0; i < f; i++)
    l->bias.data[i] = g_rand_int_range (rand, -40, 41);
  l->threshold_high = g_rand_int_range (rand, 50, 400);
  l->threshold_low = g_rand_boolean (rand) ? -32768 : -g_rand_int_range (rand, 0, 300);
  l->stride_y = l->stride_x = (guint) g_rand_int_range (rand, 1, 3);
  l->pad_y = l->pad_x = (guint) g_rand_int_range (rand, 0, 2);
  l->pool = (guint) g_rand_int_range (rand, 1, 3);
  l->reset_zero = g_rand_int_range (rand, 0, 4) == 0;
  l->single_spike = g_rand_int_range (rand, 0, 4) == 0;
}

static void
test_random_networks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  guint with_output = 0;

  for (guint trial = 0; trial < 40; trial++)
    {
      SqIafLayer layers[3];
      const gsize is[4] = { 12, 2, 14, 14 };
      SqTensor input = { 0, }, expected = { 0, };
      SqIafRun run;
      g_autoptr(GError) error = NULL;
      guint64 total = 0;

      random_layer (rand, &layers[0], 4, 2, 3);
      random_layer (rand, &layers[1], 3, 4, 3);
      layers[1].stride_y = layers[1].stride_x = layers[1].pool = 1;
      random_layer (rand, &layers[2], 2, 3, 1);
      layers[2].pool = 1;
      sq_test_tensor_set (&input, 4, is, NULL);
      for (gsize i = 0; i < input.n; i++)
        input.data[i] = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 1, 4) : 0;
      g_assert_true (sq_iaf_run (layers, 3, &input, FALSE, NULL, &run, &error));
      g_assert_no_error (error);
      g_assert_false (sq_tensor_is_present (&run.spikes[0]));
      sq_test_tensor_set (&expected, 4, run.spikes_out.shape, NULL);
      reference (layers, 3, &input, &expected);
      for (gsize i = 0; i < expected.n; i++)
        g_assert_cmpfloat (run.spikes_out.data[i], ==, expected.data[i]);
      for (gsize i = 0; i < expected.n; i++)
        if (expected.data[i] > 0)
          {
            with_output++;
            break;
          }
      for (guint li = 0; li < 3; li++)
        total += run.n_spikes[li];
      /* Random weights up to ±127 against thresholds of a few hundred: the layers fire. */
      g_assert_cmpuint (total, >, 0);
      sq_iaf_run_clear (&run);
      sq_tensor_clear (&input);
      sq_tensor_clear (&expected);
      for (guint li = 0; li < 3; li++)
        sq_test_iaf_layer_clear (&layers[li]);
    }
  /* Most networks reach their last layer: the comparison is not of empty outputs. */
  g_test_message ("%u of 40 networks spiked at the output", with_output);
  g_assert_cmpuint (with_output, >=, 20);
}

static void
expect_error (const SqIafLayer *l,
              const SqTensor   *input,
              const char       *message)
{
  g_autoptr(GError) error = NULL;
  SqIafRun run;

  g_assert_false (sq_iaf_run (l, 1, input, FALSE, NULL, &run, &error));
  g_assert_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_errors (void)
{
  const gsize ws[4] = { 1, 2, 3, 3 }, is[4] = { 2, 1, 4, 4 }, is2[4] = { 2, 2, 4, 4 };
  SqIafLayer l = { { 0, }, };
  SqTensor input = { 0, }, input2 = { 0, };

  sq_test_tensor_set (&l.weight, 4, ws, NULL);
  l.threshold_high = 10;
  l.threshold_low = -32768;
  l.stride_y = l.stride_x = l.pool = 1;
  sq_test_tensor_set (&input, 4, is, NULL);
  sq_test_tensor_set (&input2, 4, is2, NULL);
  expect_error (&l, &input, "layers[0]: weight has 2 input channels, but the layer's input "
                            "has 1");
  l.weight.data[4] = 0.5;
  expect_error (&l, &input2, "layers[0]: weight[0][0][1][1] is 0.5: expected an integer from "
                             "-128 to 127");
  l.weight.data[4] = 1;
  l.threshold_high = 0;
  expect_error (&l, &input2, "layers[0]: spike_threshold is 0: expected 1 to 32767 (a "
                             "threshold of 0 or less would fire without end)");
  l.threshold_high = 10;
  l.pool = 4;
  expect_error (&l, &input2, "layers[0]: 4 × 4 pooling of a 2 × 2 output leaves nothing");
  l.pool = 1;
  input2.data[3] = -1;
  expect_error (&l, &input2, "input: input[0][0][0][3] is -1: expected an integer from 0 to "
                             "65535");
  sq_test_iaf_layer_clear (&l);
  sq_tensor_clear (&input);
  sq_tensor_clear (&input2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn/iaf/rules", test_rules);
  g_test_add_func ("/dynapcnn/iaf/bound-and-saturation", test_bound_and_saturation);
  g_test_add_func ("/dynapcnn/iaf/convolution", test_convolution);
  g_test_add_func ("/dynapcnn/iaf/random-networks", test_random_networks);
  g_test_add_func ("/dynapcnn/iaf/errors", test_errors);
  return g_test_run ();
}
