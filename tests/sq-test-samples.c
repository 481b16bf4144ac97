/* sq-test-samples.c: the tiny network and its sample sets (sq-test-samples.h)
 *
 * The paths are the same computation shifted in time, so two channels stimulated alike make
 * their outputs fire alike: the class of a sample is the channel with more events, on a tie
 * the one stimulated first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-test-samples.h"

char *
sq_test_tiny_json (const char *w_out1)
{
  return g_strdup_printf ("{\"weights_in\": [[10.5, 0], [0, 10.5]], \"weights_rec\": [[0, 0], "
                          "[0, 0]], \"weights_out\": [[10.5, 0], [0, %s]], \"threshold\": "
                          "[2, 2], \"bias\": [0, 0], \"threshold_out\": [2, 2], \"bias_out\": "
                          "[0, 0], \"dash_mem\": [1, 1], \"dash_syn\": [1, 1], "
                          "\"dash_mem_out\": [1, 1], \"dash_syn_out\": [1, 1]}", w_out1);
}

static void
put (guint8 *x,
     gsize   s,
     gsize   t,
     gsize   c,
     guint8  n)
{
  x[(s * SQ_TEST_SAMPLE_STEPS + t) * 2 + c] = n;
}

guint8 *
sq_test_four_samples (void)
{
  guint8 *x = g_new0 (guint8, 4 * SQ_TEST_SAMPLE_STEPS * 2);

  put (x, 0, 0, 0, 1);
  put (x, 0, 3, 0, 2);
  put (x, 1, 2, 1, 1);
  put (x, 3, 1, 1, 1);
  put (x, 3, 4, 0, 1);
  return x;
}

GBytes *
sq_test_samples_npz (const guint8 *x,
                     gsize         n,
                     const gint64 *y,
                     gsize         ny)
{
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  gsize shape[3] = { n, SQ_TEST_SAMPLE_STEPS, 2 }, len;
  g_autofree guint8 *npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);
  g_autoptr(GError) error = NULL;
  guint8 *data;

  g_assert_true (sq_npz_writer_add_npy (w, "x", npy, len, &error));
  if (y != NULL)
    {
      gsize ys[1] = { ny };
      g_autofree guint8 *ynpy = sq_npy_write_array (SQ_NPY_INT64, 1, ys, y, &len);

      g_assert_true (sq_npz_writer_add_npy (w, "y", ynpy, len, &error));
    }
  data = sq_npz_writer_finish (w, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

SqEvaluation *
sq_test_evaluate (SqNetwork         *network,
                  const SqSampleSet *set,
                  int                weight_bits)
{
  SqQuantSettings settings;
  g_autoptr(SqNetworkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SqEvaluation *e;

  sq_quant_settings_init (&settings, network->kind);
  if (weight_bits > 0)
    g_assert_true (sq_quant_settings_set (&settings, "weight-bits", weight_bits, &error));
  result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  e = sq_evaluate (result, NULL, set, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return e;
}
