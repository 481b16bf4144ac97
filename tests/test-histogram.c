/* test-histogram.c: histograms, clip points, quantization levels and per-weight errors, the
 * numbers behind the plots.
 *
 * One program for one module, so longer than most: the numbers behind every plot, each computed by
 * hand in a comment.
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

/* @spec as the network model reads it: saved as JSON and loaded by sq_network_load, as the
 * CLI and the window read a file. */
static SqNetwork *
network_of (const SqXyloSpec *spec)
{
  g_autoptr(GString) json = sq_xylo_spec_to_json (spec);

  return sq_test_load_network (json->str, (gssize) json->len, "spec.json");
}

/* @spec quantized with @params through the network model: what the window's plots and
 * `synquant-cli` read (the same numbers sq_quantize() gives, which the checks compare with). */
static SqNetworkResult *
net_quantize (const SqXyloSpec    *spec,
              const SqQuantParams *params)
{
  g_autoptr(SqNetwork) network = network_of (spec);
  g_autoptr(GError) error = NULL;
  SqNetworkResult *r;
  SqQuantSettings settings;

  sq_test_params_to_settings (params, &settings);
  r = sq_network_quantize (network, &settings, SQ_QUANTIZE_MARKERS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* The group of @param. */
static guint
group_of (const SqNetworkResult *r,
          SqParam                param)
{
  guint g = G_MAXUINT;

  g_assert_true (sq_network_group_for_native (r->network, param, &g));
  return g;
}

/* dequantized − float of every value of @param, through sq_network_result_group_errors(). */
static void
group_errors (const SqNetworkResult *r,
              SqParam                param,
              double                *errors)
{
  g_autoptr(GError) error = NULL;
  guint g = group_of (r, param);

  g_assert_true (sq_network_result_group_errors (r, g, 0,
                                                 sq_network_get_group (r->network, g)->values->n,
                                                 errors, &error));
  g_assert_no_error (error);
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

/* Nin 1, Nhid 2, Nout 2, one synapse: thresholds, biases and dashes whose integers are
 * worked out by hand in the neuron and dash error tests. The dashes include a fraction
 * (3.4), halves (2.5, 7.5, 15.5) and values outside 0…15 (20, −1.2). */
static const char spec_neurons[] =
  "{\"weights_in\": [[0.5, -0.25]],"
  " \"weights_rec\": [[0.0, 0.25], [0.125, 0.0]],"
  " \"weights_out\": [[0.5, 0.25], [0.125, -1.0]],"
  " \"bias\": [0.1, -0.03], \"bias_out\": [0.2, -0.01],"
  " \"threshold\": [1.3, 0.7], \"threshold_out\": [1.5, 1.5],"
  " \"dash_mem\": [3.4, 20.0], \"dash_syn\": [2.5, -1.2], \"dash_mem_out\": [7.5, 4.0],"
  " \"dash_syn_out\": [2.0, 15.5]}";

/* Every value is reproduced exactly: s = s_out = 254 maps ±0.5 to ±127, the thresholds to 254
 * and 127, and the dashes are whole numbers. */
static const char spec_exact[] =
  "{\"weights_in\": [[0.5, -0.5]],"
  " \"weights_rec\": [[0.0, 0.5], [-0.5, 0.0]],"
  " \"weights_out\": [[0.5], [-0.5]],"
  " \"threshold\": [1.0, 0.5], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* The hidden weights span only ±0.003: s = 127/0.003, where (127/s)·s rounds to
 * 126.99999999999999, one ulp below 127. */
static const char spec_small_range[] =
  "{\"weights_in\": [[0.003, -0.001]],"
  " \"weights_rec\": [[0.0, 0.002], [-0.0015, 0.0]],"
  " \"weights_out\": [[0.5], [0.25]],"
  " \"threshold\": [0.5, 0.5], \"threshold_out\": [1.0],"
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

/* Exact zeros left out and counted apart; the range is that of the other values. */
static void
test_histogram_nonzero (void)
{
  g_autoptr(GError) error = NULL;
  SqHistogram h, copy;
  const double values[] = { 0.0, -0.0, -1.0, 0.5, 2.0, 0.0, NAN };
  const double zeros[] = { 0.0, 0.0 };

  /* Non-zero range [−1, 2] in 3 bins of 1: −1 → 0, 0.5 → 1, 2 → 2 (the closing edge). */
  g_assert_true (sq_histogram_init_nonzero (&h, values, G_N_ELEMENTS (values), 3, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (h.lo, ==, -1.0);
  g_assert_cmpfloat (h.hi, ==, 2.0);
  g_assert_cmpuint (h.counts[0], ==, 1);
  g_assert_cmpuint (h.counts[1], ==, 1);
  g_assert_cmpuint (h.counts[2], ==, 1);
  g_assert_cmpuint (h.zeros, ==, 3);        /* −0 is a zero too */
  g_assert_cmpuint (h.n, ==, 4);            /* three values and the NaN */
  g_assert_cmpfloat (h.data_min, ==, -1.0);
  g_assert_cmpfloat (h.data_max, ==, 2.0);
  g_assert_true (sq_histogram_copy (&copy, &h, &error));
  g_assert_cmpuint (copy.zeros, ==, 3);
  sq_histogram_reset (&copy);
  g_assert_cmpuint (copy.zeros, ==, 0);
  sq_histogram_clear (&copy);
  sq_histogram_clear (&h);

  /* Only zeros: they are all there is to show, in the bins. */
  g_assert_true (sq_histogram_init_nonzero (&h, zeros, G_N_ELEMENTS (zeros), 1, &error));
  g_assert_cmpfloat (h.lo, ==, -0.5);
  g_assert_cmpfloat (h.hi, ==, 0.5);
  g_assert_cmpuint (h.counts[0], ==, 2);
  g_assert_cmpuint (h.zeros, ==, 0);
  g_assert_cmpfloat (h.data_min, ==, 0.0);
  g_assert_cmpfloat (h.data_max, ==, 0.0);
  sq_histogram_clear (&h);

  /* More than one block of values (the zeros are skipped block by block). */
  {
    double many[1000];
    guint64 total = 0;

    for (guint i = 0; i < G_N_ELEMENTS (many); i++)
      many[i] = i % 4 == 0 ? 0.0 : (double) i;
    g_assert_true (sq_histogram_init_nonzero (&h, many, G_N_ELEMENTS (many), 10, &error));
    g_assert_cmpfloat (h.lo, ==, 1.0);
    g_assert_cmpfloat (h.hi, ==, 999.0);
    for (guint b = 0; b < h.n_bins; b++)
      total += h.counts[b];
    g_assert_cmpuint (h.zeros, ==, 250);
    g_assert_cmpuint (total, ==, 750);
    sq_histogram_clear (&h);
  }
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
  g_assert_cmpfloat (h.edges[0], ==, -1.0);
  g_assert_cmpfloat (h.edges[1], ==, -0.75);
  g_assert_cmpfloat (h.edges[4], ==, 0.0);
  g_assert_cmpfloat (h.edges[7], ==, 0.75);
  g_assert_cmpfloat (h.edges[8], ==, 1.0);   /* the right edge */

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
      double start = h.edges[b];
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
  ASSERT_CLOSE (h.edges[3], 0.0);
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

/* The weight groups of @layer (the groups scaled with it), in the order of the kind's files. */
static guint
layer_weight_groups (const SqNetwork *network,
                     SqLayer          layer,
                     guint           *groups)
{
  guint n = 0;

  for (int p = 0; p < SQ_N_PARAMS; p++)
    {
      guint g;

      if (sq_network_group_for_native (network, p, &g) &&
          sq_network_get_group (network, g)->role == SQ_ROLE_WEIGHTS &&
          sq_network_get_group (network, g)->layer == (guint) layer)
        groups[n++] = g;
    }
  return n;
}

/* Statistics over several groups, for instance both hidden weight matrices. */
static void
groups_stats (const SqNetwork *network,
              const guint     *groups,
              guint            n,
              SqStats         *stats)
{
  sq_stats_init (stats);
  for (guint i = 0; i < n; i++)
    {
      const SqTensor *t = sq_network_get_group (network, groups[i])->values;

      sq_stats_add (stats, t->data, t->n);
    }
}

static void
groups_histogram (SqHistogram     *hist,
                  const SqNetwork *network,
                  const guint     *groups,
                  guint            n)
{
  for (guint i = 0; i < n; i++)
    {
      const SqTensor *t = sq_network_get_group (network, groups[i])->values;

      sq_histogram_add (hist, t->data, t->n);
    }
}

/* sq_stats_add() as its definition reads: one running minimum and maximum, in order. */
static void
stats_add_in_order (SqStats      *stats,
                    const double *values,
                    gsize         n)
{
  double lo = stats->min, hi = stats->max;

  if (n == 0)
    return;
  for (gsize i = 0; i < n; i++)
    {
      double v = values[i];

      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
      stats->nonzero += v < 0.0 || v > 0.0;
    }
  stats->n += n;
  stats->min = lo;
  stats->max = hi;
  stats->max_abs = MAX (stats->max_abs, MAX (fabs (lo), fabs (hi)));
}

/* sq_stats_add() keeps several running minima: the same bits as one, zeros' signs, NaNs and
 * infinities included, however the values are split between calls. */
static void
test_stats_in_order (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240607);
  const double special[] = { 0.0, -0.0, NAN, INFINITY, -INFINITY, 1.0, -1.0, 3.0 };
  double v[70];

  for (guint t = 0; t < 20000; t++)
    {
      gsize n = (gsize) g_rand_int_range (rand, 0, G_N_ELEMENTS (v) + 1);
      gsize cut = (gsize) g_rand_int_range (rand, 0, (gint32) n + 1);
      SqStats want, got;

      for (gsize i = 0; i < n; i++)
        v[i] = g_rand_boolean (rand) ? special[g_rand_int_range (rand, 0, G_N_ELEMENTS (special))]
                                     : g_rand_double_range (rand, -2.0, 2.0);
      /* Mostly without NaNs or negative values, so zeros are often the minimum. */
      for (gsize i = 0; t % 3 == 0 && i < n; i++)
        v[i] = isnan (v[i]) ? 0.0 : fabs (v[i]);
      sq_stats_init (&want);
      sq_stats_init (&got);
      stats_add_in_order (&want, v, cut);
      stats_add_in_order (&want, v + cut, n - cut);
      sq_stats_add (&got, v, cut);
      sq_stats_add (&got, v + cut, n - cut);
      g_assert_cmpmem (&got, sizeof got, &want, sizeof want);
    }
}

static void
test_histogram_params (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  g_autoptr(SqNetwork) network = network_of (spec);
  guint groups[SQ_N_PARAMS], n, g;
  SqStats stats;
  SqHistogram h;

  n = layer_weight_groups (network, SQ_LAYER_HIDDEN, groups);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (sq_network_get_group (network, groups[0])->native, ==, SQ_PARAM_WEIGHTS_IN);
  g_assert_cmpint (sq_network_get_group (network, groups[1])->native, ==, SQ_PARAM_WEIGHTS_REC);
  g_assert_cmpstr (sq_network_get_group (network, groups[0])->scale, ==, "hidden");
  g_assert_cmpstr (sq_network_get_group (network, groups[1])->scale, ==, "hidden");

  /* weights_in {0.5, −0.5, 0.25} and weights_rec {0, 2, −0.25, 0.25, 0, 0, −0.5, 0.25, 0}:
   * 12 values, 8 non-zero, min −0.5, max 2. */
  groups_stats (network, groups, n, &stats);
  g_assert_cmpuint (stats.n, ==, 12);
  g_assert_cmpuint (stats.nonzero, ==, 8);
  g_assert_cmpfloat (stats.min, ==, -0.5);
  g_assert_cmpfloat (stats.max, ==, 2.0);
  g_assert_cmpfloat (stats.max_abs, ==, 2.0);

  /* [−0.5, 2] in 10 bins of 0.25: −0.5 ×2 → 0, −0.25 → 1, 0 ×4 → 2, 0.25 ×3 → 3, 0.5 → 4,
   * 2.0 (= hi) → 9. */
  g_assert_true (sq_histogram_init (&h, stats.min, stats.max, 10, NULL));
  groups_histogram (&h, network, groups, n);
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

  /* The output layer: weights_out {0.5, −0.25, 0}; a group's own statistics are the same. */
  n = layer_weight_groups (network, SQ_LAYER_OUTPUT, groups);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (sq_network_get_group (network, groups[0])->native, ==, SQ_PARAM_WEIGHTS_OUT);
  groups_stats (network, groups, n, &stats);
  g_assert_cmpuint (stats.n, ==, 3);
  g_assert_cmpuint (stats.nonzero, ==, 2);
  g_assert_cmpfloat (stats.min, ==, -0.25);
  g_assert_cmpfloat (stats.max, ==, 0.5);
  g_assert_cmpfloat (stats.max_abs, ==, 0.5);
  g_assert_cmpmem (&stats, sizeof stats, sq_network_group_stats (network, groups[0]),
                   sizeof stats);

  /* Absent parameters have no group: bias_out is not in this spec, bias is {3, 0, −0.001}. */
  g_assert_false (sq_network_group_for_native (network, SQ_PARAM_BIAS_OUT, &g));
  g_assert_true (sq_network_group_for_native (network, SQ_PARAM_BIAS, &g));
  stats = *sq_network_group_stats (network, g);
  g_assert_cmpuint (stats.n, ==, 3);
  g_assert_cmpfloat (stats.min, ==, -0.001);
  g_assert_cmpfloat (stats.max, ==, 3.0);
  g_assert_true (sq_histogram_init (&h, -1.0, 1.0, 2, NULL));
  groups_histogram (&h, network, &g, 1);
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
          double start = h.edges[b];
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

/* Errors of @param of @r (the network model's quantization of @spec) against q/scale − w
 * computed here from the group scales of @res (sq_quantize() with the same parameters,
 * walking rows, columns and synapses), against @want (may be NULL), and their max |·|
 * against each of @res's groups' max_abs_error; returns max |error|. */
static double
check_errors (const SqQuantResult   *res,
              const SqNetworkResult *r,
              const SqXyloSpec      *spec,
              SqParam                param,
              const double          *want,
              double                *group_max)
{
  const SqTensor *w = &spec->param[param];
  const SqTensor *q = &res->spec->param[param];
  gboolean per_channel = res->params.method == SQ_METHOD_CHANNEL;
  gboolean output = param == SQ_PARAM_WEIGHTS_OUT;
  gsize rows = w->shape[0], cols = w->shape[1], syn = w->rank == 3 ? w->shape[2] : 1;
  g_autofree double *errors = g_new (double, w->n);
  double max = 0.0;
  gsize i = 0;

  group_errors (r, param, errors);
  for (gsize row = 0; row < rows; row++)
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
  g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
  double group_max[2] = { 0, 0 };
  /* s = 254: 127/254 − 0.5 = 0; −64/254 + 0.25 = −1/508; 76/254 − 0.3 = −0.2/254;
   * 0 − 0.001. s_out = 128: 127/128 − 0.9921875 = 0; 2/128 − 0.01953125 = −1/256. */
  const double want_in[] = { 0.0, -1.0 / 508.0 };
  const double want_rec[] = { 0.0, -0.2 / 254.0, -0.001, 0.0 };
  const double want_out[] = { 0.0, -1.0 / 256.0 };
  double h, o;

  h = MAX (check_errors (res, r, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max),
           check_errors (res, r, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max));
  o = check_errors (res, r, spec, SQ_PARAM_WEIGHTS_OUT, want_out, group_max);
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
  g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
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

  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_OUT, want_out, group_max);
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
  g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
  double group_max[3] = { 0, };
  double s1 = 127.0 / 0.3;
  /* weights_in[0] = {{0.5, 0.1}, {0.3, 0.25}}: column 0 has m = 0.5 (s 254), column 1
   * m = max(0.3, 0.25, 0.2, |bias 0.125|) = 0.3 (s 423.33).
   * 0.1·254 = 25.4 → 25; 0.25·s1 = 105.83 → 106; weights_rec[0][1][0] 0.2·s1 = 84.67 → 85. */
  const double want_in[] = { 0.0, 25.0 / 254.0 - 0.1, 127.0 / s1 - 0.3, 106.0 / s1 - 0.25 };
  const double want_rec[] = { 0.0, 0.0, 85.0 / s1 - 0.2, 0.0, 0.0, 0.0, 0.0, 0.0 };

  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_OUT, NULL, group_max);
  ASSERT_CLOSE (group_max[0], 0.4 / 254.0);
  ASSERT_CLOSE (group_max[1], (85.0 - 0.2 * s1) / s1);
  assert_group_max (res, group_max);
}

static void
test_weight_errors_rockpool (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_overflow);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
  g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
  double group_max[2] = { 0, 0 };
  /* Defect b: weights_in at s = 254 {127, 64}; weights_rec {0, 82, 41, 0} and weights_out
   * {82, 82} at 254·32767/50800 = 163.835. */
  double s = 163.835;
  const double want_in[] = { 0.0, 64.0 / 254.0 - 0.25 };
  const double want_rec[] = { 0.0, 82.0 / s - 0.5, 41.0 / s - 0.25, 0.0 };
  const double want_out[] = { 82.0 / s - 0.5, 82.0 / s - 0.5 };

  g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_IN, want_in, group_max);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_REC, want_rec, group_max);
  check_errors (res, r, spec, SQ_PARAM_WEIGHTS_OUT, want_out, group_max);
  ASSERT_CLOSE (group_max[0], 1.0 / 508.0);
  ASSERT_CLOSE (group_max[1], 82.0 / s - 0.5);
  assert_group_max (res, group_max);

  /* Defect h (hidden threshold limit, double rounding): weights_in {82, 21} at 163.835. */
  {
    g_autoptr(SqXyloSpec) lim = load_spec (spec_limited);
    g_autoptr(SqQuantResult) h = quantize (lim, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
    g_autoptr(SqNetworkResult) hr = net_quantize (lim, &h->params);
    double gm[2] = { 0, 0 };
    const double want_h[] = { 82.0 / s - 0.5, 21.0 / s - 0.125 };

    check_errors (h, hr, lim, SQ_PARAM_WEIGHTS_IN, want_h, gm);
    check_errors (h, hr, lim, SQ_PARAM_WEIGHTS_REC, NULL, gm);
    check_errors (h, hr, lim, SQ_PARAM_WEIGHTS_OUT, NULL, gm);
    ASSERT_CLOSE (gm[0], 21.0 / s - 0.125);
    assert_group_max (h, gm);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Errors of thresholds, biases and dashes                                                   */

/* The group errors of @param: the integers of @r (and of @res, sq_quantize() with the same
 * parameters) are @ints, and the errors are @want (hand-computed, to 1e-12). */
static void
assert_errors (const SqQuantResult   *res,
               const SqNetworkResult *r,
               const SqXyloSpec      *spec,
               SqParam                param,
               const double          *ints,
               const double          *want,
               gsize                  n)
{
  const SqTensor *q = &res->spec->param[param];
  g_autofree double *errors = g_new (double, n);

  g_test_message ("%s, %s, %s", sq_param_name (param), sq_method_to_string (res->params.method),
                  sq_mode_to_string (res->mode_used));
  g_assert_cmpuint (spec->param[param].n, ==, n);
  g_assert_cmpuint (q->n, ==, n);
  group_errors (r, param, errors);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (q->data[i], ==, ints[i]);
      g_assert_cmpfloat (sq_network_get_group (r->quantized, group_of (r, param))->values->data[i],
                         ==, ints[i]);
      ASSERT_CLOSE (errors[i], want[i]);
    }
}

/* The thresholds and biases of spec_neurons under one method and mode: the scales of its
 * groups, the integers and the errors. */
typedef struct {
  SqMethod method;
  SqMode   mode;
  guint    n_groups;
  double   scale[4];
  double   th[2], th_e[2];
  double   b[2], b_e[2];
  double   th_out[2], th_out_e[2];
  double   b_out[2], b_out_e[2];
} NeuronCase;

static void
assert_neuron_case (const NeuronCase *nc)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_neurons);
  g_autoptr(SqQuantResult) res = quantize (spec, nc->method, nc->mode, FALSE);
  g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);

  g_assert_cmpint (res->mode_used, ==, nc->mode);
  g_assert_cmpuint (res->groups->len, ==, nc->n_groups);
  for (guint g = 0; g < nc->n_groups; g++)
    g_assert_cmpfloat (sq_quant_result_get_group (res, g)->scale, ==, nc->scale[g]);
  assert_errors (res, r, spec, SQ_PARAM_THRESHOLD, nc->th, nc->th_e, 2);
  assert_errors (res, r, spec, SQ_PARAM_BIAS, nc->b, nc->b_e, 2);
  assert_errors (res, r, spec, SQ_PARAM_THRESHOLD_OUT, nc->th_out, nc->th_out_e, 2);
  assert_errors (res, r, spec, SQ_PARAM_BIAS_OUT, nc->b_out, nc->b_out_e, 2);
}

static void
test_neuron_errors_global (void)
{
  static const NeuronCase cases[] = {
    /* Synquant. Hidden: m = max(0.5, 0.25, 0.125, |0.1|, |−0.03|) = 0.5, s = 254; output:
     * m = max(0.5, 0.25, 0.125, 1, |0.2|, |−0.01|) = 1, s_out = 127.
     * threshold: 1.3·254 = 330.2 → 330, (330 − 330.2)/254 = −0.2/254;
     *            0.7·254 = 177.8 → 178, +0.2/254.
     * bias: 0.1·254 = 25.4 → 25, −0.4/254; −0.03·254 = −7.62 → −8, −0.38/254.
     * threshold_out: 1.5·127 = 190.5 → 190 (half to even), −0.5/127, twice.
     * bias_out: 0.2·127 = 25.4 → 25, −0.4/127; −0.01·127 = −1.27 → −1, +0.27/127. */
    { SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, 2, { 254, 127 },
      { 330, 178 }, { -0.2 / 254, 0.2 / 254 },
      { 25, -8 }, { -0.4 / 254, -0.38 / 254 },
      { 190, 190 }, { -0.5 / 127, -0.5 / 127 },
      { 25, -1 }, { -0.4 / 127, 0.27 / 127 } },
    /* Rockpool: the same s = 254 and s_out = 127 (its ranges include the biases too), the
     * same thresholds and hidden biases, but bias_out is scaled with the hidden s (defect a):
     * 0.2·254 = 50.8 → 51 and −0.01·254 = −2.54 → −3. Relative to the output weights
     * (s_out = 127) that is 51/127 − 0.2 = 25.6/127 and −3/127 + 0.01 = −1.73/127. */
    { SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, 2, { 254, 127 },
      { 330, 178 }, { -0.2 / 254, 0.2 / 254 },
      { 25, -8 }, { -0.4 / 254, -0.38 / 254 },
      { 190, 190 }, { -0.5 / 127, -0.5 / 127 },
      { 51, -3 }, { 25.6 / 127, -1.73 / 127 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_neuron_case (&cases[i]);
}

static void
test_neuron_errors_channel (void)
{
  static const NeuronCase cases[] = {
    /* Synquant. Hidden 0: max(0.5, 0.125, |0.1|) = 0.5, s 254; hidden 1: max(0.25, 0.25,
     * |−0.03|) = 0.25, s 508. Output 0 (group 2): max(0.5, 0.125, |0.2|) = 0.5, s 254;
     * output 1 (group 3): max(0.25, 1, |−0.01|) = 1, s 127.
     * threshold: 330 (−0.2/254); 0.7·508 = 355.6 → 356, +0.4/508.
     * bias: 25 (−0.4/254); −0.03·508 = −15.24 → −15, +0.24/508.
     * threshold_out: 1.5·254 = 381 exactly, 0; 1.5·127 = 190.5 → 190, −0.5/127.
     * bias_out: 0.2·254 = 50.8 → 51, +0.2/254; −1 (+0.27/127). */
    { SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, 4, { 254, 508, 254, 127 },
      { 330, 356 }, { -0.2 / 254, 0.4 / 508 },
      { 25, -15 }, { -0.4 / 254, 0.24 / 508 },
      { 381, 190 }, { 0.0, -0.5 / 127 },
      { 51, -1 }, { 0.2 / 254, 0.27 / 127 } },
    /* Rockpool: ranges without the biases give the same four scales and thresholds here, and
     * bias_out is scaled by its neuron's s as above; but with one synapse the hidden biases
     * are only rounded (defect f): rint(0.1) = 0 and rint(−0.03) = −0, errors −0.1, +0.03. */
    { SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, 4, { 254, 508, 254, 127 },
      { 330, 356 }, { -0.2 / 254, 0.4 / 508 },
      { 0, 0 }, { -0.1, 0.03 },
      { 381, 190 }, { 0.0, -0.5 / 127 },
      { 51, -1 }, { 0.2 / 254, 0.27 / 127 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_neuron_case (&cases[i]);
}

/* Where the hidden thresholds do not fit, Rockpool rescales the weights and thresholds but not
 * the bias (defect h): the bias error relative to the weights shows it. */
static void
test_neuron_errors_limited (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_limited);
  double s = 254.0 * (32767.0 / 50800.0);   /* 163.835 */

  /* Synquant: s = 32767/200 = 163.835. threshold: 200·s = 32767, 0; 1·s = 163.835 → 164,
   * +0.165/163.835. bias: 0.25·s = 40.95875 → 41, +0.04125/163.835. */
  {
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
    g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
    const double th[] = { 32767, 164 }, th_e[] = { 0.0, 0.165 / 163.835 };
    const double b[] = { 41, 0 }, b_e[] = { 0.04125 / 163.835, 0.0 };

    g_assert_true (sq_quant_result_get_group (res, 0)->threshold_limited);
    ASSERT_CLOSE (sq_quant_result_get_group (res, 0)->scale, 163.835);
    assert_errors (res, r, spec, SQ_PARAM_THRESHOLD, th, th_e, 2);
    assert_errors (res, r, spec, SQ_PARAM_BIAS, b, b_e, 2);
  }

  /* Rockpool: s = 254, rint(200·254) = 50800 > 32767, ℓ = 32767/50800, weights and thresholds
   * at 254ℓ = 163.835: rint(50800ℓ) = 32767, 0; rint(254ℓ) = rint(163.835) = 164 as above.
   * The bias keeps s: 0.25·254 = 63.5 → 64 (half to even), 64/163.835 − 0.25 =
   * 23.04125/163.835 ≈ 0.1406, 560 times Synquant's. */
  {
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
    g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
    const double th[] = { 32767, 164 }, th_e[] = { 0.0, 0.165 / 163.835 };
    const double b[] = { 64, 0 }, b_e[] = { 23.04125 / 163.835, 0.0 };

    g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
    g_assert_cmpfloat (sq_quant_result_get_group (res, 0)->scale, ==, s);
    assert_errors (res, r, spec, SQ_PARAM_THRESHOLD, th, th_e, 2);
    assert_errors (res, r, spec, SQ_PARAM_BIAS, b, b_e, 2);
  }
}

static void
test_dash_errors (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_neurons);
  g_autoptr(SqQuantResult) syn = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(SqQuantResult) rp = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);
  g_autoptr(SqNetworkResult) syn_r = net_quantize (spec, &syn->params);
  g_autoptr(SqNetworkResult) rp_r = net_quantize (spec, &rp->params);
  guint g;

  /* Integer dash − float dash, whatever the method. Synquant clips to 0…15:
   * dash_mem {3.4, 20} → {3, 15}: 3 − 3.4 = −0.4, 15 − 20 = −5;
   * dash_syn {2.5, −1.2} → {2, −1 → 0}: −0.5, +1.2;
   * dash_mem_out {7.5, 4} → {8, 4}: +0.5, 0;
   * dash_syn_out {2, 15.5} → {2, 16 → 15}: 0, −0.5. */
  {
    const double m[] = { 3, 15 }, m_e[] = { -0.4, -5.0 };
    const double s[] = { 2, 0 }, s_e[] = { -0.5, 1.2 };
    const double mo[] = { 8, 4 }, mo_e[] = { 0.5, 0.0 };
    const double so[] = { 2, 15 }, so_e[] = { 0.0, -0.5 };

    g_assert_cmpuint (syn->dashes_clipped, ==, 3);
    assert_errors (syn, syn_r, spec, SQ_PARAM_DASH_MEM, m, m_e, 2);
    assert_errors (syn, syn_r, spec, SQ_PARAM_DASH_SYN, s, s_e, 2);
    assert_errors (syn, syn_r, spec, SQ_PARAM_DASH_MEM_OUT, mo, mo_e, 2);
    assert_errors (syn, syn_r, spec, SQ_PARAM_DASH_SYN_OUT, so, so_e, 2);
  }

  /* Rockpool only rounds: 20 stays (0), −1.2 → −1 (+0.2), 15.5 → 16 (+0.5). */
  {
    const double m[] = { 3, 20 }, m_e[] = { -0.4, 0.0 };
    const double s[] = { 2, -1 }, s_e[] = { -0.5, 0.2 };
    const double mo[] = { 8, 4 }, mo_e[] = { 0.5, 0.0 };
    const double so[] = { 2, 16 }, so_e[] = { 0.0, 0.5 };

    g_assert_cmpint (rp->mode_used, ==, SQ_MODE_ROCKPOOL);
    assert_errors (rp, rp_r, spec, SQ_PARAM_DASH_MEM, m, m_e, 2);
    assert_errors (rp, rp_r, spec, SQ_PARAM_DASH_SYN, s, s_e, 2);
    assert_errors (rp, rp_r, spec, SQ_PARAM_DASH_MEM_OUT, mo, mo_e, 2);
    assert_errors (rp, rp_r, spec, SQ_PARAM_DASH_SYN_OUT, so, so_e, 2);
  }

  /* One synapse: no dash_syn_2, so no group of it. */
  g_assert_false (sq_network_group_for_native (syn_r->network, SQ_PARAM_DASH_SYN_2, &g));
  g_assert_false (sq_network_find_group (syn_r->network, "dash_syn_2", &g));
}

/* ---------------------------------------------------------------------------------------- */
/* Error histograms                                                                          */

/* xorshift64: the same values on every machine. */
static double
next_uniform (guint64 *state)
{
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return (double) (*state >> 11) / 9007199254740992.0;   /* [0, 1) */
}

static SqTensor *
add_tensor (SqXyloSpec *spec,
            SqParam     param,
            guint       rank,
            gsize       d0,
            gsize       d1,
            gsize       d2)
{
  g_autoptr(GError) error = NULL;
  const gsize shape[3] = { d0, d1, d2 };

  g_assert_true (sq_tensor_init (&spec->param[param], rank, shape, &error));
  g_assert_no_error (error);
  return &spec->param[param];
}

/* w[r][c][k] = u·(1 + c mod 7)/7 with u uniform in [−1, 1), a fifth of them 0: neighbouring
 * columns get different channel scales. */
static void
fill_weights (SqTensor *t,
              guint64  *state)
{
  gsize cols = t->shape[1], syn = t->rank == 3 ? t->shape[2] : 1;

  for (gsize i = 0; i < t->n; i++)
    {
      gsize c = (i / syn) % cols;
      double u = 2.0 * next_uniform (state) - 1.0;

      t->data[i] = next_uniform (state) < 0.2 ? 0.0 : u * (double) (1 + c % 7) / 7.0;
    }
}

static void
fill_values (SqTensor *t,
             guint64  *state,
             double    base,
             double    spread)
{
  for (gsize i = 0; i < t->n; i++)
    t->data[i] = base + spread * (2.0 * next_uniform (state) - 1.0);
}

/* Nin 30, Nhid 70, 2 synapses, Nout 3. weights_in (30×70×2 = 4200 values) and weights_rec
 * (70×70×2 = 9800) span several 2048-value blocks of the error histogram, and a block of
 * 1024 (row, column) pairs is no multiple of 70 columns, so the blocks start inside rows
 * (at columns 44, 18, 62, 36). With @out_overflow, threshold_out[0] = 200 does not fit
 * 16 bits at s_out ≥ 127·7/3 (Rockpool's defect b rescales weights_rec). */
static SqXyloSpec *
make_block_spec (gboolean out_overflow)
{
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_new ();
  g_autoptr(GError) error = NULL;
  guint64 state = 0x9e3779b97f4a7c15ull;
  const gsize n_in = 30, n_hid = 70, n_out = 3;

  fill_weights (add_tensor (spec, SQ_PARAM_WEIGHTS_IN, 3, n_in, n_hid, 2), &state);
  fill_weights (add_tensor (spec, SQ_PARAM_WEIGHTS_REC, 3, n_hid, n_hid, 2), &state);
  fill_weights (add_tensor (spec, SQ_PARAM_WEIGHTS_OUT, 2, n_hid, n_out, 0), &state);
  fill_values (add_tensor (spec, SQ_PARAM_THRESHOLD, 1, n_hid, 0, 0), &state, 1.0, 0.5);
  fill_values (add_tensor (spec, SQ_PARAM_THRESHOLD_OUT, 1, n_out, 0, 0), &state, 1.0, 0.5);
  fill_values (add_tensor (spec, SQ_PARAM_BIAS, 1, n_hid, 0, 0), &state, 0.0, 0.1);
  fill_values (add_tensor (spec, SQ_PARAM_BIAS_OUT, 1, n_out, 0, 0), &state, 0.0, 0.1);
  fill_values (add_tensor (spec, SQ_PARAM_DASH_MEM, 1, n_hid, 0, 0), &state, 4.0, 0.0);
  fill_values (add_tensor (spec, SQ_PARAM_DASH_SYN, 1, n_hid, 0, 0), &state, 2.0, 0.0);
  fill_values (add_tensor (spec, SQ_PARAM_DASH_SYN_2, 1, n_hid, 0, 0), &state, 3.0, 0.0);
  fill_values (add_tensor (spec, SQ_PARAM_DASH_MEM_OUT, 1, n_out, 0, 0), &state, 4.0, 0.0);
  fill_values (add_tensor (spec, SQ_PARAM_DASH_SYN_OUT, 1, n_out, 0, 0), &state, 2.0, 0.0);
  if (out_overflow)
    spec->param[SQ_PARAM_THRESHOLD_OUT].data[0] = 200.0;

  g_assert_true (sq_xylo_spec_validate (spec, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spec->n_hidden, ==, n_hid);
  g_assert_cmpuint (spec->n_syn, ==, 2);
  return g_steal_pointer (&spec);
}

/* sq_network_result_error_histogram() of @param's group equals, bin by bin, the histogram of
 * its group errors over [−E, E], E = max |error|, and its statistics theirs; @res is
 * sq_quantize() with @r's parameters. */
static void
assert_error_histogram (const SqQuantResult   *res,
                        const SqNetworkResult *r,
                        const SqXyloSpec      *spec,
                        SqParam                param,
                        guint                  n_bins)
{
  const SqTensor *t = &spec->param[param];
  g_autofree double *errors = g_new (double, t->n);
  g_autoptr(GError) error = NULL;
  SqHistogram got, want;
  SqStats got_stats, want_stats;
  guint64 sum = 0;

  g_test_message ("%s, %s, %s, %u bins", sq_param_name (param),
                  sq_method_to_string (res->params.method), sq_mode_to_string (res->mode_used),
                  n_bins);
  group_errors (r, param, errors);
  sq_stats_init (&want_stats);
  sq_stats_add (&want_stats, errors, t->n);

  memset (&got_stats, 0xff, sizeof got_stats);
  g_assert_true (sq_network_result_error_histogram (r, group_of (r, param), n_bins, &got,
                                                    &got_stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got.n_bins, ==, n_bins);
  if (sq_param_is_weights (param) && res->layer[sq_param_layer (param)].max_abs_error > 0.0)
    {
      /* Weights take the range from the layer's report, a hair wider, in one pass; it holds
       * every error of the parameter. */
      double e = res->layer[sq_param_layer (param)].max_abs_error * (1.0 + 1e-9);

      g_assert_cmpfloat (got.lo, ==, -e);
      g_assert_cmpfloat (got.hi, ==, e);
      g_assert_cmpfloat (got.hi, >=, want_stats.max_abs);
    }
  else if (want_stats.max_abs > 0.0)
    {
      g_assert_cmpfloat (got.lo, ==, -want_stats.max_abs);
      g_assert_cmpfloat (got.hi, ==, want_stats.max_abs);
    }
  else
    {
      /* A tiny range around 0. */
      g_assert_cmpfloat (got.lo, ==, -got.hi);
      g_assert_cmpfloat (got.hi, >, 0.0);
      g_assert_cmpfloat (got.hi, <=, 1e-9);
    }

  g_assert_true (sq_histogram_init (&want, got.lo, got.hi, n_bins, NULL));
  sq_histogram_add (&want, errors, t->n);
  for (guint b = 0; b < n_bins; b++)
    {
      g_assert_cmpuint (got.counts[b], ==, want.counts[b]);
      g_assert_cmpfloat (got.edges[b], ==, want.edges[b]);
      sum += got.counts[b];
    }
  g_assert_cmpfloat (got.edges[n_bins], ==, got.hi);
  g_assert_cmpuint (got.n, ==, t->n);
  g_assert_cmpuint (got.below, ==, 0);
  g_assert_cmpuint (got.above, ==, 0);
  g_assert_cmpuint (sum, ==, t->n);   /* every error in a bin */

  g_assert_cmpuint (got_stats.n, ==, want_stats.n);
  g_assert_cmpuint (got_stats.nonzero, ==, want_stats.nonzero);
  g_assert_cmpfloat (got_stats.min, ==, want_stats.min);
  g_assert_cmpfloat (got_stats.max, ==, want_stats.max);
  g_assert_cmpfloat (got_stats.max_abs, ==, want_stats.max_abs);
  sq_histogram_clear (&got);

  /* The statistics are optional. */
  g_assert_true (sq_network_result_error_histogram (r, group_of (r, param), n_bins, &got, NULL,
                                                    NULL));
  for (guint b = 0; b < n_bins; b++)
    g_assert_cmpuint (got.counts[b], ==, want.counts[b]);
  sq_histogram_clear (&got);
  sq_histogram_clear (&want);
}

static void
assert_error_histograms_all (const SqQuantResult   *res,
                             const SqNetworkResult *r,
                             const SqXyloSpec      *spec)
{
  const guint bins[] = { 1, 7, 256, 4096 };

  for (guint p = 0; p < SQ_N_PARAMS; p++)
    if (sq_tensor_is_present (&spec->param[p]))
      for (guint i = 0; i < G_N_ELEMENTS (bins); i++)
        assert_error_histogram (res, r, spec, (SqParam) p, bins[i]);
}

static void
test_error_histogram_small (void)
{
  const char *specs[] = { spec_global, spec_neurons, spec_two_syn, sq_test_spec_channel,
                          sq_test_spec_fuzzy, spec_limited, sq_test_spec_out_overflow };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    for (guint k = 0; k < 4; k++)
      {
        g_autoptr(SqXyloSpec) spec = load_spec (specs[i]);
        g_autoptr(SqQuantResult) res = quantize (spec, (k & 1) ? SQ_METHOD_CHANNEL
                                                               : SQ_METHOD_GLOBAL,
                                                 (k & 2) ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT,
                                                 FALSE);
        g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);

        assert_error_histograms_all (res, r, spec);
      }

  /* By hand: spec_global's weights_out errors {0, −1/256} (see weight-errors/global) over
   * [−E, E], E = 1/256 (the output layer's max error) × (1 + 1e-9), in 2 bins: −1/256 falls
   * in bin 0, 0 opens bin 1. */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (spec_global);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
    g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
    SqHistogram h;
    SqStats st;

    g_assert_true (sq_network_result_error_histogram (r, group_of (r, SQ_PARAM_WEIGHTS_OUT), 2,
                                                      &h, &st, NULL));
    g_assert_cmpfloat (h.lo, ==, -1.0 / 256.0 * (1.0 + 1e-9));
    g_assert_cmpfloat (h.hi, ==, 1.0 / 256.0 * (1.0 + 1e-9));
    g_assert_cmpuint (h.counts[0], ==, 1);
    g_assert_cmpuint (h.counts[1], ==, 1);
    g_assert_cmpuint (st.n, ==, 2);
    g_assert_cmpuint (st.nonzero, ==, 1);
    g_assert_cmpfloat (st.min, ==, -1.0 / 256.0);
    g_assert_cmpfloat (st.max, ==, 0.0);
    sq_histogram_clear (&h);
  }
}

/* Weight matrices larger than one block, under every method and mode: the errors agree with
 * q/s − w computed here (walking rows, columns and synapses), and the histogram with them. */
static void
test_error_histogram_blocks (void)
{
  for (guint k = 0; k < 10; k++)
    {
      gboolean overflow = k >= 8;
      g_autoptr(SqXyloSpec) spec = make_block_spec (overflow);
      SqMethod method = (k & 1) ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL;
      SqMode mode = (k & 2) ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT;
      g_autoptr(SqQuantResult) res = quantize (spec, method, mode, (k & 4) != 0);
      g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
      g_autofree double *group_max = g_new0 (double, res->groups->len);

      g_test_message ("overflow %d, %s, %s, fuzzy %d", overflow, sq_method_to_string (method),
                      sq_mode_to_string (mode), (k & 4) != 0);
      /* Rockpool's global fuzzy scaling and its threshold limit work on this network, so
       * nothing falls back. */
      g_assert_cmpint (res->mode_used, ==, mode);
      if (overflow && method == SQ_METHOD_GLOBAL && mode == SQ_MODE_ROCKPOOL)
        g_assert_cmpfloat (res->rec_scale_factor, <, 1.0);
      else
        g_assert_cmpfloat (res->rec_scale_factor, ==, 1.0);

      check_errors (res, r, spec, SQ_PARAM_WEIGHTS_IN, NULL, group_max);
      check_errors (res, r, spec, SQ_PARAM_WEIGHTS_REC, NULL, group_max);
      check_errors (res, r, spec, SQ_PARAM_WEIGHTS_OUT, NULL, group_max);
      assert_group_max (res, group_max);
      assert_error_histograms_all (res, r, spec);
    }
}

/* All errors 0: a tiny symmetric range, every error in the middle bin (or the two middle
 * ones, at whose shared edge 0 lies). */
static void
test_error_histogram_zero (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_exact);
  const SqParam params[] = { SQ_PARAM_WEIGHTS_IN, SQ_PARAM_WEIGHTS_REC, SQ_PARAM_WEIGHTS_OUT,
                             SQ_PARAM_THRESHOLD, SQ_PARAM_DASH_MEM };

  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(SqQuantResult) res = quantize (spec, (k & 1) ? SQ_METHOD_CHANNEL
                                                             : SQ_METHOD_GLOBAL,
                                               (k & 2) ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT,
                                               FALSE);
      g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);

      for (guint i = 0; i < G_N_ELEMENTS (params); i++)
        for (guint n_bins = 1; n_bins <= 6; n_bins++)
          {
            gsize n = spec->param[params[i]].n;
            SqHistogram h;
            SqStats st;

            g_test_message ("%s, %u bins", sq_param_name (params[i]), n_bins);
            g_assert_true (sq_network_result_error_histogram (r, group_of (r, params[i]), n_bins,
                                                              &h, &st, NULL));
            g_assert_cmpuint (st.n, ==, n);
            g_assert_cmpuint (st.nonzero, ==, 0);
            g_assert_cmpfloat (st.max_abs, ==, 0.0);
            g_assert_cmpfloat (h.lo, ==, -h.hi);
            g_assert_cmpfloat (h.hi, >, 0.0);
            g_assert_cmpfloat (h.hi, <=, 1e-9);
            g_assert_cmpuint (h.n, ==, n);
            for (guint b = 0; b < n_bins; b++)
              {
                gboolean middle = b == n_bins / 2 || (n_bins % 2 == 0 && b == n_bins / 2 - 1);

                if (!middle)
                  g_assert_cmpuint (h.counts[b], ==, 0);
              }
            if (n_bins % 2 == 1)
              g_assert_cmpuint (h.counts[n_bins / 2], ==, n);
            else
              g_assert_cmpuint (h.counts[n_bins / 2 - 1] + h.counts[n_bins / 2], ==, n);
            sq_histogram_clear (&h);
          }

      assert_error_histograms_all (res, r, spec);
    }
}

/* A parameter the specification lacks has no group; a histogram of 0 bins is refused. */
static void
test_error_histogram_missing (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_overflow);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(SqNetworkResult) r = net_quantize (spec, &res->params);
  const SqParam missing[] = { SQ_PARAM_BIAS, SQ_PARAM_BIAS_OUT, SQ_PARAM_DASH_SYN_2 };

  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      guint g;

      g_assert_false (sq_network_group_for_native (r->network, missing[i], &g));
      g_assert_false (sq_network_find_group (r->network, sq_param_name (missing[i]), &g));
    }
  g_assert_cmpuint (sq_network_n_groups (r->network), ==, r->groups->len);

  /* 0 bins is refused by the histogram, with nothing allocated. */
  {
    g_autoptr(GError) error = NULL;
    SqHistogram h;

    g_assert_false (sq_network_result_error_histogram (r, group_of (r, SQ_PARAM_WEIGHTS_IN), 0,
                                                       &h, NULL, &error));
    g_assert_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_INVALID);
    g_assert_null (h.counts);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Parameter views                                                                           */

/* What the histogram of a group draws (its group result in the network model), in the terms
 * the checks below use: the clip points of each method in the group's units (NaN where the
 * group marks none), the clip range and the grid of levels. */
typedef struct {
  guint         layer;
  double        global;
  double        fuzzy;
  double        channel_min;
  double        channel_max;
  gsize         n_channels;
  const double *channel;
  double        clip_lo;
  double        clip_hi;
  double        level_scale;
  guint         level_bits;
} View;

/* The view of @param in @nr (the network model's quantization of @spec with @res's
 * parameters), checked against the clip points of its layer (returned in @points, to be
 * cleared by the caller): the group's clip points are those times @unit — 1 for weights,
 * Θmax/Wmax for thresholds and biases (they share the weight scale with more bits), NaN for
 * dashes, which have none. */
static void
compute_view (const SqXyloSpec      *spec,
              const SqQuantResult   *res,
              const SqNetworkResult *nr,
              SqParam                param,
              double                 unit,
              View                  *view,
              SqClipPoints          *points)
{
  g_autoptr(GError) error = NULL;
  guint g = group_of (nr, param);
  const SqGroupResult *gr = sq_network_result_get_group (nr, g);

  g_test_message ("view of %s, %s, %s", sq_param_name (param),
                  sq_method_to_string (res->params.method), sq_mode_to_string (res->mode_used));
  g_assert_true (sq_clip_points_compute (spec, sq_param_layer (param), &res->params, points,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (sq_network_get_group (nr->network, g)->native, ==, param);

  view->layer = sq_network_get_group (nr->network, g)->layer;
  view->global = view->fuzzy = view->channel_min = view->channel_max = NAN;
  for (guint i = 0; i < gr->markers->len; i++)
    {
      const SqMarker *m = &g_array_index (gr->markers, SqMarker, i);

      if (g_str_equal (m->label, "per channel"))
        {
          view->channel_min = m->lo;
          view->channel_max = m->hi;
        }
      else if (g_str_equal (m->label, "fuzzy"))
        view->fuzzy = m->hi;
      else if (g_str_equal (m->label, "global"))
        view->global = m->hi;
    }
  view->n_channels = gr->n_channels;
  view->channel = gr->channel_clip;
  g_assert_cmpuint (view->layer, ==, sq_param_layer (param));
  view->clip_lo = gr->clip_lo;
  view->clip_hi = gr->clip_hi;
  view->level_scale = gr->level_scale;
  view->level_bits = gr->level_bits;
  if (sq_param_is_dash (param))
    {
      g_assert_true (isnan (unit));
      return;
    }

  /* A clip point that is not finite is not marked. */
  if (isfinite (points->global * unit))
    g_assert_cmpfloat (view->global, ==, points->global * unit);
  else
    g_assert_true (isnan (view->global));
  if (isfinite (points->fuzzy * unit))
    g_assert_cmpfloat (view->fuzzy, ==, points->fuzzy * unit);
  else
    g_assert_true (isnan (view->fuzzy));
  if (points->n_channels > 0 && isfinite (points->channel_min * unit) &&
      isfinite (points->channel_max * unit))
    {
      g_assert_cmpfloat (view->channel_min, ==, points->channel_min * unit);
      g_assert_cmpfloat (view->channel_max, ==, points->channel_max * unit);
    }
  else
    g_assert_true (isnan (view->channel_min) && isnan (view->channel_max));
  g_assert_cmpuint (view->n_channels, ==, points->n_channels);
  g_assert_true (view->channel != points->channel);
  for (gsize c = 0; c < points->n_channels; c++)
    if (isnan (points->channel[c]))
      g_assert_true (isnan (view->channel[c]));
    else
      g_assert_cmpfloat (view->channel[c], ==, points->channel[c] * unit);
  g_assert_cmpfloat (view->clip_lo, ==, -view->clip_hi);
}

/* The levels of a weight view reach its clip points exactly: all 2^bits − 1 of them lie in
 * [clip_lo, clip_hi], the outermost at the clip points. */
static void
assert_levels_reach_clip (const View *view)
{
  double wmax = ldexp (1.0, (int) view->level_bits - 1) - 1.0;
  gsize want = 2 * (gsize) wmax + 1;
  g_autofree double *levels = g_new (double, want);
  gsize n;

  n = sq_quant_levels (view->level_scale, view->level_bits, view->clip_lo, view->clip_hi,
                       levels, want);
  if (n != want || levels[n - 1] < view->clip_hi || levels[n - 1] > view->clip_hi)
    g_test_message ("scale %.17g, clip %.17g: %" G_GSIZE_FORMAT " levels, largest %.17g",
                    view->level_scale, view->clip_hi, n, n ? levels[MIN (n, want) - 1] : NAN);
  g_assert_cmpuint (n, ==, want);
  g_assert_cmpfloat (levels[0], ==, view->clip_lo);
  g_assert_cmpfloat (levels[want - 1], ==, view->clip_hi);
  g_assert_cmpfloat (levels[want / 2], ==, 0.0);
}

static void
test_param_view_global (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(SqNetworkResult) nr = net_quantize (spec, &res->params);
  const double unit = 32767.0 / 127.0;
  SqClipPoints points;
  View view;

  /* Hidden weights: clip points 3, 1.75 and channels {3, 2, 0.25} (clip-points/by-hand); the
   * result's group clips at 3 with s = 127/3. */
  for (guint i = 0; i < 2; i++)
    {
      SqParam param = i ? SQ_PARAM_WEIGHTS_REC : SQ_PARAM_WEIGHTS_IN;

      compute_view (spec, res, nr, param, 1.0, &view, &points);
      g_assert_cmpfloat (view.global, ==, points.global);
      ASSERT_CLOSE (view.global, 3.0);
      ASSERT_CLOSE (view.fuzzy, 1.75);
      g_assert_cmpuint (view.n_channels, ==, 3);
      ASSERT_CLOSE (view.channel[0], 3.0);
      g_assert_cmpfloat (view.channel[1], ==, 2.0);
      g_assert_cmpfloat (view.channel[2], ==, 0.25);
      g_assert_cmpfloat (view.clip_hi, ==, sq_quant_result_get_group (res, 0)->clip);
      g_assert_cmpfloat (view.clip_hi, ==, 3.0);
      g_assert_cmpfloat (view.clip_lo, ==, -3.0);
      g_assert_cmpfloat (view.level_scale, ==, 127.0 / 3.0);
      g_assert_cmpuint (view.level_bits, ==, 8);
      g_assert_cmpfloat (view.level_scale * view.clip_hi, ==, 127.0);
      assert_levels_reach_clip (&view);
      sq_clip_points_clear (&points);
    }

  /* Thresholds and biases share the weight scale with 16 bits: unit 32767/127, every clip
   * point times it; level_scale × clip_hi = Θmax. */
  for (guint i = 0; i < 2; i++)
    {
      SqParam param = i ? SQ_PARAM_BIAS : SQ_PARAM_THRESHOLD;

      compute_view (spec, res, nr, param, unit, &view, &points);
      ASSERT_CLOSE (view.global, 3.0 * unit);
      ASSERT_CLOSE (view.fuzzy, 1.75 * unit);
      g_assert_cmpfloat (view.channel[1], ==, 2.0 * unit);
      g_assert_cmpfloat (view.channel[2], ==, 0.25 * unit);
      g_assert_cmpfloat (view.clip_hi, ==, 3.0 * unit);
      g_assert_cmpfloat (view.level_scale, ==, 127.0 / 3.0);
      g_assert_cmpuint (view.level_bits, ==, 16);
      ASSERT_CLOSE (view.level_scale * view.clip_hi, 32767.0);
      sq_clip_points_clear (&points);
    }

  /* Output weights: max |w| = 0.5, s_out = 254, clip 0.5; one channel. */
  compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_OUT, 1.0, &view, &points);
  g_assert_cmpuint (view.layer, ==, SQ_LAYER_OUTPUT);
  g_assert_cmpfloat (view.global, ==, 0.5);
  ASSERT_CLOSE (view.fuzzy, 0.875);
  g_assert_cmpuint (view.n_channels, ==, 1);
  g_assert_cmpfloat (view.clip_hi, ==, 0.5);
  g_assert_cmpfloat (view.level_scale, ==, 254.0);
  assert_levels_reach_clip (&view);
  sq_clip_points_clear (&points);

  /* threshold_out: 0.5 × 32767/127 over the output scale. */
  compute_view (spec, res, nr, SQ_PARAM_THRESHOLD_OUT, unit, &view, &points);
  g_assert_cmpfloat (view.clip_hi, ==, 0.5 * unit);
  g_assert_cmpfloat (view.level_scale, ==, 254.0);
  ASSERT_CLOSE (view.level_scale * view.clip_hi, 32767.0);
  sq_clip_points_clear (&points);

  /* Other bit widths: 4-bit weights, 12-bit thresholds on spec_global: s = 7/0.5 = 14, clip
   * 0.5, unit 2047/7. */
  {
    g_autoptr(SqXyloSpec) g = load_spec (spec_global);
    g_autoptr(GError) error = NULL;
    g_autoptr(SqQuantResult) r = NULL;
    g_autoptr(SqNetworkResult) nr4 = NULL;
    SqQuantParams params;

    params_set (&params, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
    params.weight_bits = 4;
    params.threshold_bits = 12;
    r = sq_quantize (g, &params, &error);
    g_assert_no_error (error);
    nr4 = net_quantize (g, &params);

    compute_view (g, r, nr4, SQ_PARAM_THRESHOLD, 2047.0 / 7.0, &view, &points);
    g_assert_cmpfloat (view.clip_hi, ==, 0.5 * (2047.0 / 7.0));
    g_assert_cmpfloat (view.level_scale, ==, 14.0);
    g_assert_cmpuint (view.level_bits, ==, 12);
    ASSERT_CLOSE (view.level_scale * view.clip_hi, 2047.0);
    sq_clip_points_clear (&points);

    compute_view (g, r, nr4, SQ_PARAM_WEIGHTS_IN, 1.0, &view, &points);
    g_assert_cmpfloat (view.clip_hi, ==, 0.5);
    g_assert_cmpuint (view.level_bits, ==, 4);
    g_assert_cmpfloat (view.level_scale * view.clip_hi, ==, 7.0);
    assert_levels_reach_clip (&view);   /* 15 levels, −0.5 … 0.5 in steps of 1/14 */
    sq_clip_points_clear (&points);
  }

  /* A threshold-limited layer: s = 32767/200, the threshold view clips at the threshold
   * that limited it, 127·200/32767 × 32767/127 = 200. */
  {
    g_autoptr(SqXyloSpec) lim = load_spec (spec_limited);
    g_autoptr(SqQuantResult) r = quantize (lim, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
    g_autoptr(SqNetworkResult) nrl = net_quantize (lim, &r->params);

    compute_view (lim, r, nrl, SQ_PARAM_THRESHOLD, unit, &view, &points);
    ASSERT_CLOSE (view.clip_hi, 200.0);
    g_assert_cmpfloat (view.level_scale, ==, 32767.0 / 200.0);
    ASSERT_CLOSE (view.level_scale * view.clip_hi, 32767.0);
    sq_clip_points_clear (&points);

    compute_view (lim, r, nrl, SQ_PARAM_WEIGHTS_IN, 1.0, &view, &points);
    ASSERT_CLOSE (view.clip_hi, 127.0 * 200.0 / 32767.0);
    ASSERT_CLOSE (view.level_scale * view.clip_hi, 127.0);
    assert_levels_reach_clip (&view);
    sq_clip_points_clear (&points);
  }
}

static void
test_param_view_channel (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_channel);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(SqNetworkResult) nr = net_quantize (spec, &res->params);
  const double unit = 32767.0 / 127.0;
  SqClipPoints points;
  View view;

  /* Hidden: channels {0.5, 0.4, NaN} (clip-points/by-hand); the widest neuron is hidden 0
   * (s 254); hidden 2 has no weights (scale 1, clip 127) and is left out. */
  compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_REC, 1.0, &view, &points);
  g_assert_cmpfloat (view.channel[0], ==, 0.5);
  g_assert_cmpfloat (view.channel[1], ==, 0.4);
  g_assert_true (isnan (view.channel[2]));
  g_assert_cmpfloat (view.clip_hi, ==, 0.5);
  g_assert_cmpfloat (view.clip_hi, ==, points.channel_max);
  g_assert_cmpfloat (view.level_scale, ==, 254.0);
  g_assert_cmpfloat (view.level_scale * view.clip_hi, ==, 127.0);
  assert_levels_reach_clip (&view);
  sq_clip_points_clear (&points);

  /* Output: neuron 0 max(0.5, 0.125, |0.01|) = 0.5, neuron 1 max(0.75, 0.001, |0.002|) = 0.75
   * with s = 127/0.75 = 508/3: the widest. */
  compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_OUT, 1.0, &view, &points);
  g_assert_cmpuint (view.n_channels, ==, 2);
  g_assert_cmpfloat (view.channel[0], ==, 0.5);
  g_assert_cmpfloat (view.channel[1], ==, 0.75);
  g_assert_cmpfloat (view.clip_hi, ==, 0.75);
  g_assert_cmpfloat (view.clip_lo, ==, -0.75);
  g_assert_cmpfloat (view.level_scale, ==, 127.0 / 0.75);
  ASSERT_CLOSE (view.level_scale, 508.0 / 3.0);
  g_assert_cmpfloat (view.level_scale * view.clip_hi, ==, 127.0);
  assert_levels_reach_clip (&view);
  sq_clip_points_clear (&points);

  /* Their thresholds and biases, in threshold units. */
  compute_view (spec, res, nr, SQ_PARAM_BIAS_OUT, unit, &view, &points);
  g_assert_cmpfloat (view.channel[1], ==, 0.75 * unit);
  g_assert_cmpfloat (view.clip_hi, ==, 0.75 * unit);
  g_assert_cmpfloat (view.level_scale, ==, 127.0 / 0.75);
  ASSERT_CLOSE (view.level_scale * view.clip_hi, 32767.0);
  g_assert_cmpuint (view.level_bits, ==, 16);
  sq_clip_points_clear (&points);

  compute_view (spec, res, nr, SQ_PARAM_THRESHOLD, unit, &view, &points);
  g_assert_cmpfloat (view.channel[1], ==, 0.4 * unit);
  g_assert_true (isnan (view.channel[2]));
  g_assert_cmpfloat (view.clip_hi, ==, 0.5 * unit);
  g_assert_cmpfloat (view.level_scale, ==, 254.0);
  ASSERT_CLOSE (view.level_scale * view.clip_hi, 32767.0);
  sq_clip_points_clear (&points);
}

/* Rockpool's defect b: the output threshold 200 does not fit at s_out = 254, ℓ = 32767/50800
 * rescales weights_out and weights_rec. weights_in keeps s = 254 and clips at 0.5; weights_rec
 * has 254ℓ = 163.835 and clips at 0.5/ℓ = 25400/32767 ≈ 0.775, although its layer's clip
 * points (which do not know of the defect) stay 0.5. */
static void
test_param_view_rockpool_rec (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_overflow);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
  g_autoptr(SqNetworkResult) nr = net_quantize (spec, &res->params);
  const double l = 32767.0 / 50800.0;
  SqClipPoints points;
  View view;

  g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
  g_assert_cmpfloat (res->rec_scale_factor, ==, l);

  compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_IN, 1.0, &view, &points);
  g_assert_cmpfloat (view.global, ==, 0.5);
  g_assert_cmpfloat (view.clip_hi, ==, 0.5);
  g_assert_cmpfloat (view.level_scale, ==, 254.0);
  assert_levels_reach_clip (&view);
  sq_clip_points_clear (&points);

  compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_REC, 1.0, &view, &points);
  g_assert_cmpfloat (view.global, ==, 0.5);
  g_assert_cmpfloat (view.clip_hi, ==, 0.5 / l);
  ASSERT_CLOSE (view.clip_hi, 25400.0 / 32767.0);
  g_assert_cmpfloat (view.clip_lo, ==, -0.5 / l);
  g_assert_cmpfloat (view.level_scale, ==, 254.0 * l);
  ASSERT_CLOSE (view.level_scale, 163.835);
  ASSERT_CLOSE (view.level_scale * view.clip_hi, 127.0);
  assert_levels_reach_clip (&view);
  sq_clip_points_clear (&points);

  /* weights_out: s_out·ℓ = 163.835 too, clip 127/163.835; its clip points know the limit. */
  compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_OUT, 1.0, &view, &points);
  g_assert_cmpfloat (view.clip_hi, ==, 127.0 / (254.0 * l));
  g_assert_cmpfloat (view.global, ==, view.clip_hi);
  g_assert_cmpfloat (view.level_scale, ==, 254.0 * l);
  assert_levels_reach_clip (&view);
  sq_clip_points_clear (&points);

  /* Under channel scaling there is no factor: weights_rec clips at its widest neuron. */
  {
    g_autoptr(SqQuantResult) ch = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);
    g_autoptr(SqNetworkResult) nr_ch = net_quantize (spec, &ch->params);

    /* Hidden 0: max(0.5, 0.25) = 0.5, hidden 1: max(0.25, 0.5) = 0.5. */
    compute_view (spec, ch, nr_ch, SQ_PARAM_WEIGHTS_REC, 1.0, &view, &points);
    g_assert_cmpfloat (view.clip_hi, ==, 0.5);
    g_assert_cmpfloat (view.level_scale, ==, 254.0);
    sq_clip_points_clear (&points);
  }
}

static void
test_param_view_dashes (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_two_syn);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(SqNetworkResult) nr = net_quantize (spec, &res->params);
  const SqParam dashes[] = { SQ_PARAM_DASH_MEM, SQ_PARAM_DASH_SYN, SQ_PARAM_DASH_SYN_2,
                             SQ_PARAM_DASH_MEM_OUT, SQ_PARAM_DASH_SYN_OUT };

  for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
    {
      SqClipPoints points;
      View view;
      double levels[32];

      compute_view (spec, res, nr, dashes[i], NAN, &view, &points);
      g_assert_true (isnan (view.global));
      g_assert_true (isnan (view.fuzzy));
      g_assert_true (isnan (view.channel_min));
      g_assert_true (isnan (view.channel_max));
      g_assert_cmpuint (view.n_channels, ==, 0);
      g_assert_cmpfloat (view.clip_lo, ==, 0.0);
      g_assert_cmpfloat (view.clip_hi, ==, 15.0);
      g_assert_cmpfloat (view.level_scale, ==, 1.0);
      g_assert_cmpuint (view.level_bits, ==, 5);

      /* The levels are the dashes 0 … 15. */
      g_assert_cmpuint (sq_quant_levels (view.level_scale, view.level_bits, view.clip_lo,
                                         view.clip_hi, levels, G_N_ELEMENTS (levels)), ==, 16);
      for (guint k = 0; k < 16; k++)
        g_assert_cmpfloat (levels[k], ==, (double) k);
      sq_clip_points_clear (&points);
    }
}

/* A parameter the specification lacks has no group, so no group result draws it. */
static void
test_param_view_missing (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_overflow);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(SqNetworkResult) nr = net_quantize (spec, &res->params);
  const SqParam missing[] = { SQ_PARAM_BIAS, SQ_PARAM_BIAS_OUT, SQ_PARAM_DASH_SYN_2 };

  g_assert_cmpuint (nr->groups->len, ==, sq_network_n_groups (nr->network));
  for (guint g = 0; g < nr->groups->len; g++)
    {
      const SqGroupResult *gr = sq_network_result_get_group (nr, g);

      g_assert_cmpuint (gr->group, ==, g);
      for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
        g_assert_cmpint (sq_network_get_group (nr->network, g)->native, !=, missing[i]);
    }
}

/* The top level lies at the clip point also where Wmax/s·s rounds one ulp below Wmax:
 * spec_small_range's hidden s = 127/0.003 clips at 127/s, and (127/s)·s = 126.99999999999999. */
static void
test_param_view_levels_small_range (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_small_range);

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(SqQuantResult) res = quantize (spec, k ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL,
                                               SQ_MODE_SYNQUANT, FALSE);
      g_autoptr(SqNetworkResult) nr = net_quantize (spec, &res->params);
      SqClipPoints points;
      View view;

      compute_view (spec, res, nr, SQ_PARAM_WEIGHTS_IN, 1.0, &view, &points);
      /* Global: the layer; channel: hidden 0, max(0.003, |−0.0015|). */
      g_assert_cmpfloat (view.level_scale, ==, 127.0 / 0.003);
      g_assert_cmpfloat (view.clip_hi, ==, 127.0 / (127.0 / 0.003));
      ASSERT_CLOSE (view.clip_hi, 0.003);
      ASSERT_CLOSE (view.level_scale * view.clip_hi, 127.0);
      assert_levels_reach_clip (&view);
      sq_clip_points_clear (&points);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The Xylo-size example                                                                     */

static void
test_xylo_example (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) network = NULL;
  g_autofree guint64 *again = NULL;
  const SqTensor *w;
  guint g = G_MAXUINT;
  SqStats stats;
  SqHistogram h;
  guint64 sum = 0;

  if (path == NULL)
    {
      g_test_skip ("SQ_EXAMPLE_XYLO is not set");
      return;
    }
  network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_network_group_for_native (network, SQ_PARAM_WEIGHTS_REC, &g));
  w = sq_network_get_group (network, g)->values;
  g_assert_cmpuint (w->rank, ==, 3);
  g_assert_cmpuint (w->shape[0], ==, 1000);
  g_assert_cmpuint (w->shape[1], ==, 1000);
  g_assert_cmpuint (w->shape[2], ==, 2);

  stats = *sq_network_group_stats (network, g);
  g_assert_cmpuint (stats.n, ==, 2000000);
  g_assert_cmpfloat (stats.min, <, 0.0);
  g_assert_cmpfloat (stats.max, >, 0.0);

  g_assert_true (sq_histogram_init (&h, stats.min, stats.max, 256, &error));
  g_assert_no_error (error);
  groups_histogram (&h, network, &g, 1);
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
  g_test_add_func ("/histogram/nonzero", test_histogram_nonzero);
  g_test_add_func ("/histogram/errors", test_histogram_errors);
  g_test_add_func ("/histogram/find-bin", test_histogram_find_bin);
  g_test_add_func ("/histogram/reset", test_histogram_reset);
  g_test_add_func ("/histogram/params", test_histogram_params);
  g_test_add_func ("/histogram/stats/in-order", test_stats_in_order);
  g_test_add_func ("/histogram/clip-points/match", test_clip_points);
  g_test_add_func ("/histogram/clip-points/fallback", test_clip_points_fallback);
  g_test_add_func ("/histogram/clip-points/by-hand", test_clip_points_by_hand);
  g_test_add_func ("/histogram/edges", test_histogram_edges);
  g_test_add_func ("/histogram/quant-levels", test_quant_levels);
  g_test_add_func ("/histogram/weight-errors/global", test_weight_errors_global);
  g_test_add_func ("/histogram/weight-errors/channel", test_weight_errors_channel);
  g_test_add_func ("/histogram/weight-errors/two-synapses", test_weight_errors_two_syn);
  g_test_add_func ("/histogram/weight-errors/rockpool", test_weight_errors_rockpool);
  g_test_add_func ("/histogram/errors/neurons/global", test_neuron_errors_global);
  g_test_add_func ("/histogram/errors/neurons/channel", test_neuron_errors_channel);
  g_test_add_func ("/histogram/errors/neurons/limited", test_neuron_errors_limited);
  g_test_add_func ("/histogram/errors/dashes", test_dash_errors);
  g_test_add_func ("/histogram/error-histogram/small", test_error_histogram_small);
  g_test_add_func ("/histogram/error-histogram/blocks", test_error_histogram_blocks);
  g_test_add_func ("/histogram/error-histogram/zero", test_error_histogram_zero);
  g_test_add_func ("/histogram/error-histogram/missing", test_error_histogram_missing);
  g_test_add_func ("/histogram/param-view/global", test_param_view_global);
  g_test_add_func ("/histogram/param-view/channel", test_param_view_channel);
  g_test_add_func ("/histogram/param-view/rockpool-rec", test_param_view_rockpool_rec);
  g_test_add_func ("/histogram/param-view/dashes", test_param_view_dashes);
  g_test_add_func ("/histogram/param-view/missing", test_param_view_missing);
  g_test_add_func ("/histogram/param-view/levels-small-range", test_param_view_levels_small_range);
  g_test_add_func ("/histogram/xylo-example", test_xylo_example);

  return g_test_run ();
}
