/* test-histogram.c: histograms, clip points, quantization levels and per-weight errors, the
 * numbers behind the plots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-specs.h"
#include "sq-test-utils.h"

#define ASSERT_CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-12 * (1.0 + fabs (b)))

static SqXyloSpec *
load_spec (const char *json)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec;

  spec = sq_xylo_spec_load_json_data (json, strlen (json), "test-spec", &error);
  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return spec;
}

static void
params_set (SqQuantParams *params,
            SqMethod       method,
            SqMode         mode,
            gboolean       fuzzy)
{
  sq_quant_params_init (params);
  params->method = method;
  params->mode = mode;
  params->fuzzy = fuzzy;
}

static SqQuantResult *
quantize (const SqXyloSpec *spec,
          SqMethod          method,
          SqMode            mode,
          gboolean          fuzzy)
{
  g_autoptr(GError) error = NULL;
  SqQuantParams params;
  SqQuantResult *res;

  params_set (&params, method, mode, fuzzy);
  res = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  return res;
}

/* Nin 1, Nhid 2, Nout 1: s = 254 (hidden), s_out = 128. */
static const char spec_global[] =
  "{\"weights_in\": [[0.5, -0.25]],"
  " \"weights_rec\": [[0.0, 0.3], [0.001, 0.0]],"
  " \"weights_out\": [[0.9921875], [0.01953125]],"
  " \"bias\": [0.001, 0.0], \"bias_out\": [0.125],"
  " \"threshold\": [1.0, 0.5], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* Two synapses. */
static const char spec_two_syn[] =
  "{\"weights_in\": [[[0.5, 0.1], [0.3, 0.25]]],"
  " \"weights_rec\": [[[0.0, 0.0], [0.2, 0.0]], [[0.0, 0.0], [0.0, 0.0]]],"
  " \"weights_out\": [[0.5], [0.25]],"
  " \"bias\": [0.25, 0.125], \"bias_out\": [0.0],"
  " \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_syn_2\": [3, 3],"
  " \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* Hidden threshold 200 does not fit at s = 254 (Synquant lowers s, Rockpool's defect h). */
static const char spec_limited[] =
  "{\"weights_in\": [[0.5, 0.125]],"
  " \"weights_rec\": [[0.0, -0.25], [0.0, 0.0]],"
  " \"weights_out\": [[0.5], [0.5]],"
  " \"bias\": [0.25, 0.0],"
  " \"threshold\": [200.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* ---------------------------------------------------------------------------------------- */
/* Histograms                                                                                */

static void
test_histogram_bins (void)
{
  g_autoptr(GError) error = NULL;
  SqHistogram h;
  /* 4 bins over [0, 1]: [0, .25) [.25, .5) [.5, .75) [.75, 1]. */
  const double values[] = {
    0.0, 0.25, 0.5, 0.74, 0.75, 0.999, 1.0,   /* inside: 1, 1, 2, 3 */
    -0.1, -INFINITY,                          /* below */
    1.1, INFINITY,                            /* above */
    NAN,                                      /* neither */
  };

  g_assert_true (sq_histogram_init (&h, 0.0, 1.0, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (h.lo, ==, 0.0);
  g_assert_cmpfloat (h.hi, ==, 1.0);
  g_assert_cmpuint (h.n_bins, ==, 4);
  g_assert_cmpuint (h.n, ==, 0);

  sq_histogram_add (&h, values, G_N_ELEMENTS (values));
  g_assert_cmpuint (h.counts[0], ==, 1);
  g_assert_cmpuint (h.counts[1], ==, 1);   /* 0.25 is the left edge of bin 1 */
  g_assert_cmpuint (h.counts[2], ==, 2);
  g_assert_cmpuint (h.counts[3], ==, 3);   /* 0.75 opens it, 1.0 = hi closes it */
  g_assert_cmpuint (h.below, ==, 2);
  g_assert_cmpuint (h.above, ==, 2);
  g_assert_cmpuint (h.n, ==, 12);          /* NaN counts as added, in no bin */
  g_assert_cmpuint (sq_histogram_max_count (&h), ==, 3);

  /* Adding again accumulates. */
  sq_histogram_add (&h, values, 3);
  g_assert_cmpuint (h.counts[0], ==, 2);
  g_assert_cmpuint (h.counts[1], ==, 2);
  g_assert_cmpuint (h.counts[2], ==, 3);
  g_assert_cmpuint (h.n, ==, 15);

  /* Nothing to add changes nothing. */
  sq_histogram_add (&h, values, 0);
  g_assert_cmpuint (h.n, ==, 15);

  sq_histogram_clear (&h);
  g_assert_null (h.counts);
  g_assert_cmpuint (h.n_bins, ==, 0);
}

static void
test_histogram_degenerate (void)
{
  g_autoptr(GError) error = NULL;
  SqHistogram h;
  const double twos[] = { 2.0, 2.0, 2.0 };
  const double edges[] = { 1.5, 2.5, 1.4, 2.6 };

  /* lo == hi: the range becomes [lo − 0.5, hi + 0.5]. */
  g_assert_true (sq_histogram_init (&h, 2.0, 2.0, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (h.lo, ==, 1.5);
  g_assert_cmpfloat (h.hi, ==, 2.5);
  sq_histogram_add (&h, twos, G_N_ELEMENTS (twos));
  g_assert_cmpuint (h.counts[0], ==, 3);
  g_assert_cmpuint (h.below + h.above, ==, 0);
  sq_histogram_clear (&h);

  /* With 4 bins of 0.25, 2.0 is the left edge of bin 2. */
  g_assert_true (sq_histogram_init (&h, 2.0, 2.0, 4, &error));
  sq_histogram_add (&h, twos, G_N_ELEMENTS (twos));
  sq_histogram_add (&h, edges, G_N_ELEMENTS (edges));
  g_assert_cmpfloat (sq_histogram_bin_width (&h), ==, 0.25);
  g_assert_cmpuint (h.counts[0], ==, 1);   /* 1.5 */
  g_assert_cmpuint (h.counts[1], ==, 0);
  g_assert_cmpuint (h.counts[2], ==, 3);
  g_assert_cmpuint (h.counts[3], ==, 1);   /* 2.5 */
  g_assert_cmpuint (h.below, ==, 1);
  g_assert_cmpuint (h.above, ==, 1);
  sq_histogram_clear (&h);

  /* All zeros: [−0.5, 0.5]. */
  g_assert_true (sq_histogram_init (&h, 0.0, 0.0, 2, &error));
  g_assert_cmpfloat (h.lo, ==, -0.5);
  g_assert_cmpfloat (h.hi, ==, 0.5);
  sq_histogram_clear (&h);
}

static void
test_histogram_errors (void)
{
  struct { double lo, hi; guint bins; int code; } bad[] = {
    { 0.0, 1.0, 0, SQ_TENSOR_ERROR_INVALID },
    { 0.0, 1.0, SQ_HISTOGRAM_MAX_BINS + 1, SQ_TENSOR_ERROR_TOO_LARGE },
    { 0.0, 1.0, G_MAXUINT, SQ_TENSOR_ERROR_TOO_LARGE },
    { 1.0, 0.0, 4, SQ_TENSOR_ERROR_INVALID },            /* lo > hi */
    { NAN, 1.0, 4, SQ_TENSOR_ERROR_INVALID },
    { 0.0, INFINITY, 4, SQ_TENSOR_ERROR_INVALID },
    { -INFINITY, 0.0, 4, SQ_TENSOR_ERROR_INVALID },
    { -1e308, 1e308, 4, SQ_TENSOR_ERROR_TOO_LARGE },     /* hi − lo overflows */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      SqHistogram h;

      g_test_message ("[%g, %g], %u bins", bad[i].lo, bad[i].hi, bad[i].bins);
      g_assert_false (sq_histogram_init (&h, bad[i].lo, bad[i].hi, bad[i].bins, &error));
      g_assert_error (error, SQ_TENSOR_ERROR, bad[i].code);
      g_assert_null (h.counts);
      g_assert_cmpuint (h.n_bins, ==, 0);
      sq_histogram_clear (&h);   /* harmless on a refused histogram */
    }

  /* The limits themselves. */
  {
    g_autoptr(GError) error = NULL;
    SqHistogram h;
    const double v = 1.0;

    g_assert_true (sq_histogram_init (&h, 0.0, 1.0, SQ_HISTOGRAM_MAX_BINS, &error));
    g_assert_no_error (error);
    sq_histogram_add (&h, &v, 1);
    g_assert_cmpuint (h.counts[SQ_HISTOGRAM_MAX_BINS - 1], ==, 1);
    sq_histogram_clear (&h);

    g_assert_true (sq_histogram_init (&h, 0.0, 1.0, 1, &error));
    g_assert_no_error (error);
    sq_histogram_clear (&h);
  }
}

static void
test_histogram_find_bin (void)
{
  SqHistogram h;
  guint bin = G_MAXUINT;

  /* [−1, 1] in 8 bins of 0.25: every edge is exact in binary. */
  g_assert_true (sq_histogram_init (&h, -1.0, 1.0, 8, NULL));
  g_assert_cmpfloat (sq_histogram_bin_width (&h), ==, 0.25);
  g_assert_cmpfloat (sq_histogram_bin_start (&h, 0), ==, -1.0);
  g_assert_cmpfloat (sq_histogram_bin_start (&h, 1), ==, -0.75);
  g_assert_cmpfloat (sq_histogram_bin_start (&h, 4), ==, 0.0);
  g_assert_cmpfloat (sq_histogram_bin_start (&h, 7), ==, 0.75);
  g_assert_cmpfloat (sq_histogram_bin_start (&h, 8), ==, 1.0);   /* the right edge */

  g_assert_true (sq_histogram_find_bin (&h, -1.0, &bin));
  g_assert_cmpuint (bin, ==, 0);
  g_assert_true (sq_histogram_find_bin (&h, -0.75, &bin));
  g_assert_cmpuint (bin, ==, 1);
  g_assert_true (sq_histogram_find_bin (&h, -0.7500001, &bin));
  g_assert_cmpuint (bin, ==, 0);
  g_assert_true (sq_histogram_find_bin (&h, 0.0, &bin));
  g_assert_cmpuint (bin, ==, 4);
  g_assert_true (sq_histogram_find_bin (&h, 0.999, &bin));
  g_assert_cmpuint (bin, ==, 7);
  g_assert_true (sq_histogram_find_bin (&h, 1.0, &bin));
  g_assert_cmpuint (bin, ==, 7);

  bin = 42;
  g_assert_false (sq_histogram_find_bin (&h, 1.0000001, &bin));
  g_assert_false (sq_histogram_find_bin (&h, -1.0000001, &bin));
  g_assert_false (sq_histogram_find_bin (&h, NAN, &bin));
  g_assert_false (sq_histogram_find_bin (&h, INFINITY, &bin));
  g_assert_cmpuint (bin, ==, 42);   /* untouched */

  /* Each bin's left edge and middle are found in it, and add() agrees with find_bin(). */
  for (guint b = 0; b < h.n_bins; b++)
    {
      double start = sq_histogram_bin_start (&h, b);
      double mid = start + sq_histogram_bin_width (&h) / 2;

      g_assert_true (sq_histogram_find_bin (&h, start, &bin));
      g_assert_cmpuint (bin, ==, b);
      g_assert_true (sq_histogram_find_bin (&h, mid, &bin));
      g_assert_cmpuint (bin, ==, b);
      sq_histogram_add (&h, &mid, 1);
      g_assert_cmpuint (h.counts[b], ==, 1);
    }
  g_assert_cmpuint (sq_histogram_max_count (&h), ==, 1);
  sq_histogram_clear (&h);

  /* A range that is not dyadic: width (0.7 − (−0.3))/10 = 0.1. */
  g_assert_true (sq_histogram_init (&h, -0.3, 0.7, 10, NULL));
  ASSERT_CLOSE (sq_histogram_bin_width (&h), 0.1);
  ASSERT_CLOSE (sq_histogram_bin_start (&h, 3), 0.0);
  g_assert_true (sq_histogram_find_bin (&h, 0.05, &bin));
  g_assert_cmpuint (bin, ==, 3);
  g_assert_true (sq_histogram_find_bin (&h, 0.65, &bin));
  g_assert_cmpuint (bin, ==, 9);
  sq_histogram_clear (&h);
}

static void
test_histogram_reset (void)
{
  SqHistogram h;
  const double v[] = { 0.1, 0.1, 0.1, 0.6, -5.0, 5.0 };

  g_assert_true (sq_histogram_init (&h, 0.0, 1.0, 2, NULL));
  g_assert_cmpuint (sq_histogram_max_count (&h), ==, 0);
  sq_histogram_add (&h, v, G_N_ELEMENTS (v));
  g_assert_cmpuint (sq_histogram_max_count (&h), ==, 3);
  g_assert_cmpuint (h.counts[1], ==, 1);

  /* Empty bins, same range. */
  sq_histogram_reset (&h);
  g_assert_cmpuint (h.counts[0], ==, 0);
  g_assert_cmpuint (h.counts[1], ==, 0);
  g_assert_cmpuint (h.n, ==, 0);
  g_assert_cmpuint (h.below, ==, 0);
  g_assert_cmpuint (h.above, ==, 0);
  g_assert_cmpuint (sq_histogram_max_count (&h), ==, 0);
  g_assert_cmpfloat (h.lo, ==, 0.0);
  g_assert_cmpfloat (h.hi, ==, 1.0);
  g_assert_cmpuint (h.n_bins, ==, 2);

  sq_histogram_add (&h, v + 3, 1);
  g_assert_cmpuint (h.counts[1], ==, 1);
  g_assert_cmpuint (h.n, ==, 1);
  sq_histogram_clear (&h);
}

static void
test_histogram_params (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  SqParam params[2];
  guint n;
  SqStats stats;
  SqHistogram h;

  n = sq_layer_weight_params (SQ_LAYER_HIDDEN, params);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (params[0], ==, SQ_PARAM_WEIGHTS_IN);
  g_assert_cmpint (params[1], ==, SQ_PARAM_WEIGHTS_REC);

  /* weights_in {0.5, −0.5, 0.25} and weights_rec {0, 2, −0.25, 0.25, 0, 0, −0.5, 0.25, 0}:
   * 12 values, 8 non-zero, min −0.5, max 2. */
  sq_params_stats (spec, params, n, &stats);
  g_assert_cmpuint (stats.n, ==, 12);
  g_assert_cmpuint (stats.nonzero, ==, 8);
  g_assert_cmpfloat (stats.min, ==, -0.5);
  g_assert_cmpfloat (stats.max, ==, 2.0);
  g_assert_cmpfloat (stats.max_abs, ==, 2.0);

  /* [−0.5, 2] in 10 bins of 0.25: −0.5 ×2 → 0, −0.25 → 1, 0 ×4 → 2, 0.25 ×3 → 3, 0.5 → 4,
   * 2.0 (= hi) → 9. */
  g_assert_true (sq_histogram_init (&h, stats.min, stats.max, 10, NULL));
  sq_histogram_add_params (&h, spec, params, n);
  {
    const guint64 want[10] = { 2, 1, 4, 3, 1, 0, 0, 0, 0, 1 };

    for (guint b = 0; b < 10; b++)
      g_assert_cmpuint (h.counts[b], ==, want[b]);
  }
  g_assert_cmpuint (h.n, ==, 12);
  g_assert_cmpuint (h.below, ==, 0);
  g_assert_cmpuint (h.above, ==, 0);
  g_assert_cmpuint (sq_histogram_max_count (&h), ==, 4);
  sq_histogram_clear (&h);

  /* The output layer: weights_out {0.5, −0.25, 0}. */
  n = sq_layer_weight_params (SQ_LAYER_OUTPUT, params);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (params[0], ==, SQ_PARAM_WEIGHTS_OUT);
  sq_params_stats (spec, params, n, &stats);
  g_assert_cmpuint (stats.n, ==, 3);
  g_assert_cmpuint (stats.nonzero, ==, 2);
  g_assert_cmpfloat (stats.min, ==, -0.25);
  g_assert_cmpfloat (stats.max, ==, 0.5);
  g_assert_cmpfloat (stats.max_abs, ==, 0.5);

  /* Absent parameters are skipped: bias_out is not in this spec, bias is {3, 0, −0.001}. */
  params[0] = SQ_PARAM_BIAS_OUT;
  sq_params_stats (spec, params, 1, &stats);
  g_assert_cmpuint (stats.n, ==, 0);
  params[1] = SQ_PARAM_BIAS;
  sq_params_stats (spec, params, 2, &stats);
  g_assert_cmpuint (stats.n, ==, 3);
  g_assert_cmpfloat (stats.min, ==, -0.001);
  g_assert_cmpfloat (stats.max, ==, 3.0);
  g_assert_true (sq_histogram_init (&h, -1.0, 1.0, 2, NULL));
  sq_histogram_add_params (&h, spec, params, 2);
  g_assert_cmpuint (h.n, ==, 3);
  g_assert_cmpuint (h.counts[0], ==, 1);   /* −0.001 */
  g_assert_cmpuint (h.counts[1], ==, 1);   /* 0 */
  g_assert_cmpuint (h.above, ==, 1);       /* 3 */
  sq_histogram_clear (&h);
}

/* ---------------------------------------------------------------------------------------- */
/* Clip points                                                                               */

/* Every clip point of @layer equals the clip of the matching group of sq_quantize(). */
static void
assert_clip_points_match (const SqXyloSpec *spec,
                          SqLayer           layer,
                          SqMode            mode,
                          gboolean          fuzzy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqQuantResult) global = quantize (spec, SQ_METHOD_GLOBAL, mode, FALSE);
  g_autoptr(SqQuantResult) global_fuzzy = quantize (spec, SQ_METHOD_GLOBAL, mode, TRUE);
  g_autoptr(SqQuantResult) channel = quantize (spec, SQ_METHOD_CHANNEL, mode, fuzzy);
  gsize n = layer == SQ_LAYER_HIDDEN ? spec->n_hidden : spec->n_out;
  guint first = layer == SQ_LAYER_HIDDEN ? 0 : (guint) spec->n_hidden;
  SqQuantParams params;
  SqClipPoints points;
  double lo, hi;

  g_test_message ("%s layer, %s mode, fuzzy %d", sq_layer_to_string (layer),
                  sq_mode_to_string (mode), fuzzy);
  params_set (&params, SQ_METHOD_GLOBAL, mode, fuzzy);
  g_assert_true (sq_clip_points_compute (spec, layer, &params, &points, &error));
  g_assert_no_error (error);

  g_assert_cmpfloat (points.global, ==, global->layer[layer].clip);
  g_assert_cmpfloat (points.global, ==, sq_quant_result_get_group (global, layer)->clip);
  g_assert_cmpfloat (points.fuzzy, ==, global_fuzzy->layer[layer].clip);

  g_assert_cmpuint (points.n_channels, ==, n);
  g_assert_cmpuint (channel->groups->len, ==, spec->n_hidden + spec->n_out);
  for (gsize c = 0; c < n; c++)
    {
      const SqGroupReport *g = sq_quant_result_get_group (channel, first + (guint) c);

      g_assert_cmpint (g->layer, ==, layer);
      g_assert_cmpint (g->channel, ==, (gssize) c);
      /* A neuron without weights has no clip point (its group's scale is 1). */
      if (!(g->range > 0.0))
        {
          g_assert_true (isnan (points.channel[c]));
          continue;
        }
      if (!(points.channel[c] <= g->clip && points.channel[c] >= g->clip))
        g_test_message ("channel %" G_GSIZE_FORMAT ": clip point %.17g, sq_quantize %.17g",
                        c, points.channel[c], g->clip);
      g_assert_cmpfloat (points.channel[c], ==, g->clip);
    }
  sq_quant_result_clip_range (channel, layer, &lo, &hi);
  g_assert_cmpfloat (points.channel_min, ==, lo);
  g_assert_cmpfloat (points.channel_max, ==, hi);

  sq_clip_points_clear (&points);
  g_assert_null (points.channel);
  g_assert_cmpuint (points.n_channels, ==, 0);
}

static void
assert_clip_points_match_all (const char *json)
{
  g_autoptr(SqXyloSpec) spec = load_spec (json);

  for (guint k = 0; k < 8; k++)
    assert_clip_points_match (spec, (k & 1) ? SQ_LAYER_OUTPUT : SQ_LAYER_HIDDEN,
                              (k & 2) ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT, (k & 4) != 0);
}

static void
test_clip_points (void)
{
  const char *specs[] = {
    sq_test_spec_fuzzy, spec_global, sq_test_spec_channel, spec_two_syn, spec_limited, sq_test_spec_out_overflow,
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    assert_clip_points_match_all (specs[i]);
}

/* Specifications where Rockpool mode falls back to Synquant for some of the quantizations. */
static void
test_clip_points_fallback (void)
{
  assert_clip_points_match_all (sq_test_spec_out_zero);
  assert_clip_points_match_all (sq_test_spec_index_error);

  /* sq_test_spec_index_error under Rockpool channel scaling falls back for both layers, so the
   * output neuron's range includes bias_out: max(0.5, 0.25, |1.0|) = 1, clip 1 (Rockpool's
   * own range, without the bias, would be 0.5). */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_index_error);
    SqQuantParams params;
    SqClipPoints points;

    params_set (&params, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);
    g_assert_true (sq_clip_points_compute (spec, SQ_LAYER_OUTPUT, &params, &points, NULL));
    g_assert_cmpuint (points.n_channels, ==, 1);
    g_assert_cmpfloat (points.channel[0], ==, 1.0);
    sq_clip_points_clear (&points);
  }
}

static void
test_clip_points_by_hand (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  SqQuantParams params;
  SqClipPoints points;

  /* Synquant, hidden layer. Global: max(|w|, |bias|) = max(2, 3) = 3, s = 127/3, clip 3
   * (θ 1·42.3 fits). Fuzzy: 0.25 + 2·0.75 = 1.75. Channel, with biases: hidden 0
   * max(0.5, 0, 0.25, 0.5, |bias 3|) = 3; hidden 1 max(0.5, 2, 0, 0.25) = 2; hidden 2
   * max(0.25, 0.25, 0, 0, |bias 0.001|) = 0.25. */
  params_set (&params, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  g_assert_true (sq_clip_points_compute (spec, SQ_LAYER_HIDDEN, &params, &points, NULL));
  ASSERT_CLOSE (points.global, 3.0);
  ASSERT_CLOSE (points.fuzzy, 1.75);
  g_assert_cmpuint (points.n_channels, ==, 3);
  ASSERT_CLOSE (points.channel[0], 3.0);
  g_assert_cmpfloat (points.channel[1], ==, 2.0);
  g_assert_cmpfloat (points.channel[2], ==, 0.25);
  g_assert_cmpfloat (points.channel_min, ==, 0.25);
  ASSERT_CLOSE (points.channel_max, 3.0);
  sq_clip_points_clear (&points);

  /* Rockpool: global ranges include the biases too (3), but channel ranges do not: hidden 0
   * has clip 0.5. */
  params_set (&params, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
  g_assert_true (sq_clip_points_compute (spec, SQ_LAYER_HIDDEN, &params, &points, NULL));
  ASSERT_CLOSE (points.global, 3.0);
  ASSERT_CLOSE (points.fuzzy, 1.75);
  g_assert_cmpfloat (points.channel[0], ==, 0.5);
  g_assert_cmpfloat (points.channel[1], ==, 2.0);
  g_assert_cmpfloat (points.channel[2], ==, 0.25);
  g_assert_cmpfloat (points.channel_max, ==, 2.0);
  sq_clip_points_clear (&points);

  /* Output layer: global 0.5; fuzzy over {0.5, −0.25}: 0.125 + 2·0.375 = 0.875. */
  params_set (&params, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  g_assert_true (sq_clip_points_compute (spec, SQ_LAYER_OUTPUT, &params, &points, NULL));
  g_assert_cmpfloat (points.global, ==, 0.5);
  ASSERT_CLOSE (points.fuzzy, 0.875);
  g_assert_cmpuint (points.n_channels, ==, 1);
  g_assert_cmpfloat (points.channel[0], ==, 0.5);
  sq_clip_points_clear (&points);

  /* A neuron without weights has no clip point (NaN) and stays out of min/max:
   * sq_test_spec_channel's hidden 2. Hidden 0: 0.5, hidden 1: max(0.3, 0.1, |bias 0.4|) = 0.4. */
  {
    g_autoptr(SqXyloSpec) ch = load_spec (sq_test_spec_channel);

    g_assert_true (sq_clip_points_compute (ch, SQ_LAYER_HIDDEN, &params, &points, NULL));
    g_assert_cmpfloat (points.channel[0], ==, 0.5);
    g_assert_cmpfloat (points.channel[1], ==, 0.4);
    g_assert_true (isnan (points.channel[2]));
    g_assert_cmpfloat (points.channel_min, ==, 0.4);
    g_assert_cmpfloat (points.channel_max, ==, 0.5);
    sq_clip_points_clear (&points);
  }

  /* Threshold-limited: s = 32767/200, clip 127·200/32767 ≈ 0.77517. */
  {
    g_autoptr(SqXyloSpec) lim = load_spec (spec_limited);

    g_assert_true (sq_clip_points_compute (lim, SQ_LAYER_HIDDEN, &params, &points, NULL));
    ASSERT_CLOSE (points.global, 127.0 * 200.0 / 32767.0);
    sq_clip_points_clear (&points);
  }

  /* Invalid bits are refused. */
  {
    g_autoptr(GError) error = NULL;

    params.weight_bits = 1;
    g_assert_false (sq_clip_points_compute (spec, SQ_LAYER_HIDDEN, &params, &points, &error));
    g_assert_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS);
    g_assert_null (points.channel);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Quantization levels                                                                       */

/* The counts agree with the bin edges the hover read-out shows, also where the scaled
 * position is one ulp off: over many ranges, every edge value lands in the bin it starts. */
static void
test_histogram_edges (void)
{
  guint64 state = 88172645463325252ull;

  for (guint trial = 0; trial < 2000; trial++)
    {
      double lo, hi;
      guint n_bins;
      SqHistogram h;

      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      lo = -((double) (state % 100000) + 1.0) / 7919.0;
      hi = ((double) ((state >> 20) % 100000) + 1.0) / 104729.0;
      n_bins = 1 + (guint) ((state >> 40) % 300);
      g_assert_true (sq_histogram_init (&h, lo, hi, n_bins, NULL));
      for (guint b = 0; b < n_bins; b++)
        {
          double start = sq_histogram_bin_start (&h, b);
          guint found;

          g_assert_true (sq_histogram_find_bin (&h, start, &found));
          g_assert_cmpuint (found, ==, b);
          sq_histogram_add (&h, &start, 1);
          g_assert_cmpuint (h.counts[b], ==, 1);
        }
      sq_histogram_clear (&h);
    }
}

static void
test_quant_levels (void)
{
  /* 53-bit levels over [−1, 1] at scale 10^6: 2 000 001 of them, counted without visiting
   * each, and only the first three written. */
  {
    double first[3];

    g_assert_cmpuint (sq_quant_levels (1e6, 53, -1.0, 1.0, first, 3), ==, 2000001);
    g_assert_cmpfloat (first[0], ==, -1.0);
    g_assert_cmpfloat (first[1], ==, -999999.0 / 1e6);
    g_assert_cmpuint (sq_quant_levels (1e6, 54, -1.0, 1.0, NULL, 0), ==, 0);
    g_assert_cmpuint (sq_quant_levels (1e6, 1, -1.0, 1.0, NULL, 0), ==, 0);
  }

  double levels[16];
  gsize n;

  /* scale 2, 3 bits: k = −3 … 3 at k/2. */
  n = sq_quant_levels (2.0, 3, -10.0, 10.0, levels, G_N_ELEMENTS (levels));
  g_assert_cmpuint (n, ==, 7);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpfloat (levels[i], ==, -1.5 + 0.5 * i);

  /* Within [−1, 0.6]: k from ceil(−2) = −2 to floor(1.2) = 1. */
  n = sq_quant_levels (2.0, 3, -1.0, 0.6, levels, G_N_ELEMENTS (levels));
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (levels[0], ==, -1.0);
  g_assert_cmpfloat (levels[1], ==, -0.5);
  g_assert_cmpfloat (levels[2], ==, 0.0);
  g_assert_cmpfloat (levels[3], ==, 0.5);

  /* The bounds are inclusive; a range between two levels holds none. */
  g_assert_cmpuint (sq_quant_levels (2.0, 3, -1.5, 1.5, NULL, 0), ==, 7);
  g_assert_cmpuint (sq_quant_levels (2.0, 3, 0.1, 0.4, levels, 16), ==, 0);
  g_assert_cmpuint (sq_quant_levels (2.0, 3, 0.5, 0.5, levels, 16), ==, 1);
  g_assert_cmpfloat (levels[0], ==, 0.5);

  /* Truncation: the count of all 7, only the first 3 written. */
  levels[3] = 42.0;
  n = sq_quant_levels (2.0, 3, -10.0, 10.0, levels, 3);
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpfloat (levels[0], ==, -1.5);
  g_assert_cmpfloat (levels[2], ==, -0.5);
  g_assert_cmpfloat (levels[3], ==, 42.0);
  g_assert_cmpuint (sq_quant_levels (2.0, 3, -10.0, 10.0, NULL, 0), ==, 7);

  /* 8 bits at s = 254 over [−0.5, 0.5]: all 255 levels, from −127/254 to 127/254. */
  {
    double many[255];

    n = sq_quant_levels (254.0, 8, -0.5, 0.5, many, G_N_ELEMENTS (many));
    g_assert_cmpuint (n, ==, 255);
    g_assert_cmpfloat (many[0], ==, -0.5);
    g_assert_cmpfloat (many[127], ==, 0.0);
    g_assert_cmpfloat (many[254], ==, 0.5);
    g_assert_cmpfloat (many[128], ==, 1.0 / 254.0);
  }

  /* No scale, no levels. */
  g_assert_cmpuint (sq_quant_levels (0.0, 3, -10.0, 10.0, levels, 16), ==, 0);
  g_assert_cmpuint (sq_quant_levels (INFINITY, 3, -10.0, 10.0, levels, 16), ==, 0);
  g_assert_cmpuint (sq_quant_levels (-INFINITY, 3, -10.0, 10.0, levels, 16), ==, 0);
  g_assert_cmpuint (sq_quant_levels (NAN, 3, -10.0, 10.0, levels, 16), ==, 0);
  g_assert_cmpuint (sq_quant_levels (2.0, 3, 1.0, -1.0, levels, 16), ==, 0);   /* lo > hi */

  /* A negative scale (Rockpool's rescale of a neuron with a negative threshold) has the
   * same levels: k/s for k = −3 … 3 is the same set, listed in ascending order. */
  n = sq_quant_levels (-2.0, 3, -10.0, 10.0, levels, G_N_ELEMENTS (levels));
  g_assert_cmpuint (n, ==, 7);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpfloat (levels[i], ==, -1.5 + 0.5 * i);
}

/* ---------------------------------------------------------------------------------------- */
/* Per-weight errors                                                                         */

/* Errors of @param of @res, which quantized @spec, against q/scale − w computed here from
 * the group scales (walking rows, columns and synapses), against @want (may be NULL), and
 * their max |·| against each group's max_abs_error; returns max |error|. */
static double
check_errors (const SqQuantResult *res,
              const SqXyloSpec    *spec,
              SqParam              param,
              const double        *want,
              double              *group_max)
{
  const SqTensor *w = &spec->param[param];
  const SqTensor *q = &res->spec->param[param];
  gboolean per_channel = res->params.method == SQ_METHOD_CHANNEL;
  gboolean output = param == SQ_PARAM_WEIGHTS_OUT;
  gsize rows = w->shape[0], cols = w->shape[1], syn = w->rank == 3 ? w->shape[2] : 1;
  g_autofree double *errors = g_new (double, w->n);
  double max = 0.0;
  gsize i = 0;

  g_assert_true (sq_quant_result_weight_errors (res, spec, param, errors));
  for (gsize r = 0; r < rows; r++)
    for (gsize c = 0; c < cols; c++)
      for (gsize k = 0; k < syn; k++, i++)
        {
          guint g = per_channel ? (guint) (output ? spec->n_hidden + c : c) : (output ? 1 : 0);
          double s = sq_quant_result_get_group (res, g)->scale;
          double expect;

          if (param == SQ_PARAM_WEIGHTS_REC && !per_channel)
            s *= res->rec_scale_factor;
          expect = q->data[i] / s - w->data[i];
          g_assert_cmpfloat (errors[i], ==, expect);
          if (want)
            g_assert_cmpfloat_with_epsilon (errors[i], want[i], 1e-15);
          max = MAX (max, fabs (errors[i]));
          group_max[g] = MAX (group_max[g], fabs (errors[i]));
        }
  g_assert_cmpuint (i, ==, w->n);
  return max;
}

/* The largest |error| of each group is the group's max_abs_error (up to rounding: the
 * report divides the integer error by s, the errors here are q/s − w). */
static void
assert_group_max (const SqQuantResult *res,
                  const double        *group_max)
{
  for (guint g = 0; g < res->groups->len; g++)
    {
      const SqGroupReport *r = sq_quant_result_get_group (res, g);

      g_assert_cmpfloat_with_epsilon (group_max[g], r->max_abs_error,
                                      1e-12 * (1.0 + r->max_abs_error));
    }
}

static void
test_weight_errors_global (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_global);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  double group_max[2] = { 0, 0 };
  /* s = 254: 127/254 − 0.5 = 0; −64/254 + 0.25 = −1/508; 76/254 − 0.3 = −0.2/254;
   * 0 − 0.001. s_out = 128: 127/128 − 0.9921875 = 0; 2/128 − 0.01953125 = −1/256. */
  const double want_in[] = { 0.0, -1.0 / 508.0 };
  const double want_rec[] = { 0.0, -0.2 / 254.0, -0.001, 0.0 };
  const double want_out[] = { 0.0, -1.0 / 256.0 };
  double h, o;

  h = MAX (check_errors (res, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max),
           check_errors (res, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max));
  o = check_errors (res, spec, SQ_PARAM_WEIGHTS_OUT, want_out, group_max);
  ASSERT_CLOSE (h, 1.0 / 508.0);
  g_assert_cmpfloat (o, ==, 1.0 / 256.0);
  g_assert_cmpfloat_with_epsilon (h, res->layer[SQ_LAYER_HIDDEN].max_abs_error, 1e-15);
  g_assert_cmpfloat (o, ==, res->layer[SQ_LAYER_OUTPUT].max_abs_error);
  assert_group_max (res, group_max);
}

static void
test_weight_errors_channel (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_channel);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);
  double group_max[5] = { 0, };
  /* Hidden scales 254, 317.5, 1; output 254 and 508/3.
   * weights_in: 127/254 − 0.5 = 0; −95/317.5 + 0.3 = 0.25/317.5 = 1/1270.
   * weights_rec: column 1 (s 317.5): 32/317.5 − 0.1 = 1/1270; column 0 (s 254):
   * 64/254 − 0.25 = 1/508; the rest 0.
   * weights_out: column 0 (254): 0 and −32/254 + 0.125 = −1/1016; column 1: 127/s − 0.75 ≈ 0
   * and 0 − 0.001. */
  const double want_in[] = { 0.0, 1.0 / 1270.0 };
  const double want_rec[] = { 0.0, 1.0 / 1270.0, 0.0, 1.0 / 508.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
  const double want_out[] = { 0.0, 0.0, -1.0 / 1016.0, -0.001 };

  check_errors (res, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_OUT, want_out, group_max);
  ASSERT_CLOSE (group_max[0], 1.0 / 508.0);
  ASSERT_CLOSE (group_max[1], 1.0 / 1270.0);
  g_assert_cmpfloat (group_max[2], ==, 0.0);
  ASSERT_CLOSE (group_max[3], 1.0 / 1016.0);
  ASSERT_CLOSE (group_max[4], 0.001);
  assert_group_max (res, group_max);
}

static void
test_weight_errors_two_syn (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_two_syn);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);
  double group_max[3] = { 0, };
  double s1 = 127.0 / 0.3;
  /* weights_in[0] = {{0.5, 0.1}, {0.3, 0.25}}: column 0 has m = 0.5 (s 254), column 1
   * m = max(0.3, 0.25, 0.2, |bias 0.125|) = 0.3 (s 423.33).
   * 0.1·254 = 25.4 → 25; 0.25·s1 = 105.83 → 106; weights_rec[0][1][0] 0.2·s1 = 84.67 → 85. */
  const double want_in[] = { 0.0, 25.0 / 254.0 - 0.1, 127.0 / s1 - 0.3, 106.0 / s1 - 0.25 };
  const double want_rec[] = { 0.0, 0.0, 85.0 / s1 - 0.2, 0.0, 0.0, 0.0, 0.0, 0.0 };

  check_errors (res, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_OUT, NULL, group_max);
  ASSERT_CLOSE (group_max[0], 0.4 / 254.0);
  ASSERT_CLOSE (group_max[1], (85.0 - 0.2 * s1) / s1);
  assert_group_max (res, group_max);
}

static void
test_weight_errors_rockpool (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_overflow);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
  double group_max[2] = { 0, 0 };
  /* Defect b: weights_in at s = 254 {127, 64}; weights_rec {0, 82, 41, 0} and weights_out
   * {82, 82} at 254·32767/50800 = 163.835. */
  double s = 163.835;
  const double want_in[] = { 0.0, 64.0 / 254.0 - 0.25 };
  const double want_rec[] = { 0.0, 82.0 / s - 0.5, 41.0 / s - 0.25, 0.0 };
  const double want_out[] = { 82.0 / s - 0.5, 82.0 / s - 0.5 };

  g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max);
  check_errors (res, spec, SQ_PARAM_WEIGHTS_OUT, want_out, group_max);
  ASSERT_CLOSE (group_max[0], 1.0 / 508.0);
  ASSERT_CLOSE (group_max[1], 82.0 / s - 0.5);
  assert_group_max (res, group_max);

  /* Defect h (hidden threshold limit, double rounding): weights_in {82, 21} at 163.835. */
  {
    g_autoptr(SqXyloSpec) lim = load_spec (spec_limited);
    g_autoptr(SqQuantResult) h = quantize (lim, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
    double gm[2] = { 0, 0 };
    const double want_h[] = { 82.0 / s - 0.5, 21.0 / s - 0.125 };

    check_errors (h, lim, SQ_PARAM_WEIGHTS_IN, want_h, gm);
    check_errors (h, lim, SQ_PARAM_WEIGHTS_REC, NULL, gm);
    check_errors (h, lim, SQ_PARAM_WEIGHTS_OUT, NULL, gm);
    ASSERT_CLOSE (gm[0], 21.0 / s - 0.125);
    assert_group_max (h, gm);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* The Xylo-size example                                                                     */

static void
test_xylo_example (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autofree guint64 *again = NULL;
  const SqTensor *w;
  SqParam param = SQ_PARAM_WEIGHTS_REC;
  SqStats stats;
  SqHistogram h;
  guint64 sum = 0;

  if (path == NULL)
    {
      g_test_skip ("SQ_EXAMPLE_XYLO is not set");
      return;
    }
  spec = sq_xylo_spec_load_json (path, &error);
  g_assert_no_error (error);
  w = &spec->param[SQ_PARAM_WEIGHTS_REC];
  g_assert_cmpuint (w->rank, ==, 3);
  g_assert_cmpuint (w->shape[0], ==, 1000);
  g_assert_cmpuint (w->shape[1], ==, 1000);
  g_assert_cmpuint (w->shape[2], ==, 2);

  sq_params_stats (spec, &param, 1, &stats);
  g_assert_cmpuint (stats.n, ==, 2000000);
  g_assert_cmpfloat (stats.min, <, 0.0);
  g_assert_cmpfloat (stats.max, >, 0.0);

  g_assert_true (sq_histogram_init (&h, stats.min, stats.max, 256, &error));
  g_assert_no_error (error);
  sq_histogram_add_params (&h, spec, &param, 1);
  g_assert_cmpuint (h.n, ==, 2000000);
  g_assert_cmpuint (h.below, ==, 0);
  g_assert_cmpuint (h.above, ==, 0);
  for (guint b = 0; b < h.n_bins; b++)
    sum += h.counts[b];
  g_assert_cmpuint (sum, ==, 2000000);
  g_assert_cmpuint (h.counts[0], >=, 1);     /* the minimum */
  g_assert_cmpuint (h.counts[255], >=, 1);   /* the maximum */
  /* Most weights are pruned or recurrence is sparse: the zero bin is the tallest. */
  {
    guint zero_bin;

    g_assert_true (sq_histogram_find_bin (&h, 0.0, &zero_bin));
    g_assert_cmpuint (h.counts[zero_bin], ==, sq_histogram_max_count (&h));
    g_assert_cmpuint (h.counts[zero_bin], >=, 2000000 - stats.nonzero);
  }

  /* Bin by bin, the same counts as find_bin() one value at a time. */
  again = g_new0 (guint64, h.n_bins);
  for (gsize i = 0; i < w->n; i++)
    {
      guint b;

      g_assert_true (sq_histogram_find_bin (&h, w->data[i], &b));
      again[b]++;
    }
  for (guint b = 0; b < h.n_bins; b++)
    g_assert_cmpuint (again[b], ==, h.counts[b]);
  sq_histogram_clear (&h);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/histogram/bins", test_histogram_bins);
  g_test_add_func ("/histogram/degenerate", test_histogram_degenerate);
  g_test_add_func ("/histogram/errors", test_histogram_errors);
  g_test_add_func ("/histogram/find-bin", test_histogram_find_bin);
  g_test_add_func ("/histogram/reset", test_histogram_reset);
  g_test_add_func ("/histogram/params", test_histogram_params);
  g_test_add_func ("/histogram/clip-points/match", test_clip_points);
  g_test_add_func ("/histogram/clip-points/fallback", test_clip_points_fallback);
  g_test_add_func ("/histogram/clip-points/by-hand", test_clip_points_by_hand);
  g_test_add_func ("/histogram/edges", test_histogram_edges);
  g_test_add_func ("/histogram/quant-levels", test_quant_levels);
  g_test_add_func ("/histogram/weight-errors/global", test_weight_errors_global);
  g_test_add_func ("/histogram/weight-errors/channel", test_weight_errors_channel);
  g_test_add_func ("/histogram/weight-errors/two-synapses", test_weight_errors_two_syn);
  g_test_add_func ("/histogram/weight-errors/rockpool", test_weight_errors_rockpool);
  g_test_add_func ("/histogram/xylo-example", test_xylo_example);

  return g_test_run ();
}
