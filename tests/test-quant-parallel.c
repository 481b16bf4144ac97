/* test-quant-parallel.c: the quantization passes give the same bits on one thread and on
 * several, over sparse matrices and dense ones, and from the network's cached ranges
 *
 * On the Xylo-size example (2 M weights, large enough for every pass to be split) and on a
 * copy of it with −0.0 weights and a thin dense band, every setting is quantized four ways
 * — one thread or all, sparse forms or dense passes — and each result must equal the one
 * thread, dense one bit for bit: every integer, every figure of every group. Rockpool's
 * channel mode with flipped neurons (negative scales) takes the dense pass; it is covered
 * by lowering the thresholds' bits until they overflow. The error histograms, made in parts
 * and, for sparse matrices, from their non-zero pairs alone, equal a single pass over every
 * error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <synquant.h>

#include "sq-parallel-private.h"
#include "sq-quant-kernels-private.h"
#include "sq-quantize-private.h"
#include "sq-test-utils.h"

static SqXyloSpec *example;

static SqXyloSpec *
load_example (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec;

  g_assert_nonnull (path);
  spec = sq_xylo_spec_load_json (path, &error);
  g_assert_no_error (error);
  return spec;
}

static void
assert_same_tensor (const SqTensor *a,
                    const SqTensor *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_true (a->n == 0 || memcmp (a->data, b->data, a->n * sizeof (double)) == 0);
}

static void
assert_same_report (const SqGroupReport *a,
                    const SqGroupReport *b)
{
  g_assert_cmpuint (a->n_weights, ==, b->n_weights);
  g_assert_cmpuint (a->clipped, ==, b->clipped);
  g_assert_cmpuint (a->out_of_range, ==, b->out_of_range);
  g_assert_cmpuint (a->zeroed, ==, b->zeroed);
  g_assert_cmpuint (a->bias_zeroed, ==, b->bias_zeroed);
  /* Bits, not values: a sum in another order may differ in the last one. */
  g_assert_true (memcmp (&a->signal, &b->signal, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->noise, &b->noise, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->max_abs_error, &b->max_abs_error, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->scale, &b->scale, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->clip, &b->clip, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->range, &b->range, sizeof (double)) == 0);
}

static void
assert_same_result (const SqQuantResult *a,
                    const SqQuantResult *b)
{
  g_assert_cmpint (a->mode_used, ==, b->mode_used);
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    assert_same_tensor (&a->spec->param[p], &b->spec->param[p]);
  g_assert_cmpuint (a->groups->len, ==, b->groups->len);
  for (guint g = 0; g < a->groups->len; g++)
    assert_same_report (sq_quant_result_get_group (a, g), sq_quant_result_get_group (b, g));
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    assert_same_report (&a->layer[l], &b->layer[l]);
  assert_same_report (&a->total, &b->total);
  g_assert_cmpuint (a->diagnostics->len, ==, b->diagnostics->len);
}

static SqQuantResult *
quantize_with (const SqXyloSpec    *spec,
               const SqQuantParams *params,
               guint                threads,
               gboolean             sparse,
               SqQuantCache        *cache)
{
  g_autoptr(GError) error = NULL;
  SqQuantResult *r;

  _sq_parallel_set_threads (threads);
  _sq_quant_sparse_set_enabled (sparse);
  r = _sq_quantize_cached (spec, params, cache, &error);
  _sq_parallel_set_threads (0);
  _sq_quant_sparse_set_enabled (TRUE);
  g_assert_no_error (error);
  return r;
}

/* Every setting four ways, and twice more through one cache (filled, then read). */
static void
check_all_settings (const SqXyloSpec *spec)
{
  static const guint weight_bits[] = { 2, 4, 8 };
  g_autoptr(SqQuantCache) cache = _sq_quant_cache_new ();

  for (guint m = 0; m < 2; m++)
    for (guint mode = 0; mode < 2; mode++)
      for (guint fuzzy = 0; fuzzy < 2; fuzzy++)
        for (guint b = 0; b < G_N_ELEMENTS (weight_bits); b++)
          {
            SqQuantParams params;
            SqQuantResult *ref;

            sq_quant_params_init (&params);
            params.method = m ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL;
            params.mode = mode ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT;
            params.fuzzy = fuzzy;
            params.weight_bits = weight_bits[b];
            /* At 6 bits some thresholds overflow: Rockpool's rescales and flipped neurons. */
            params.threshold_bits = b == 0 ? 6 : 16;
            ref = quantize_with (spec, &params, 1, FALSE, NULL);
            for (guint way = 0; way < 5; way++)
              {
                SqQuantResult *r = quantize_with (spec, &params, way % 2 ? 1 : 0, way != 2,
                                                  way >= 3 ? cache : NULL);

                assert_same_result (ref, r);
                sq_quant_result_free (r);
              }
            sq_quant_result_free (ref);
          }
}

static void
test_example (void)
{
  check_all_settings (example);
}

/* −0.0 weights (listed: they quantize to −0), a dense band of columns in a sparse
 * matrix, and a matrix too dense for a sparse form. */
static void
test_signed_zeros_and_bands (void)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_copy (example, &error);
  SqTensor *rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  SqTensor *in = &spec->param[SQ_PARAM_WEIGHTS_IN];
  gsize cols = rec->shape[1], syn = rec->rank == 3 ? rec->shape[2] : 1;

  g_assert_no_error (error);
  for (gsize i = 0; i < rec->n; i += 97)
    if (!(rec->data[i] < 0.0 || rec->data[i] > 0.0))
      rec->data[i] = -0.0;
  for (gsize r = 0; r < rec->shape[0]; r++)
    for (gsize k = 0; k < syn; k++)
      rec->data[(r * cols + 7) * syn + k] = 0.001 * (double) ((r % 13) + 1);
  for (gsize i = 0; i < in->n; i++)
    in->data[i] = in->data[i] < 0.0 || in->data[i] > 0.0 ? in->data[i] : 1e-3;
  check_all_settings (spec);
  sq_xylo_spec_free (spec);
}

/* A dense recurrent matrix: no sparse form (found out after a quarter of it), the dense
 * passes cut into chunks and blocks of columns. */
static void
test_dense (void)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_copy (example, &error);
  SqTensor *rec = &spec->param[SQ_PARAM_WEIGHTS_REC];

  g_assert_no_error (error);
  for (gsize i = 0; i < rec->n; i++)
    if (!(rec->data[i] < 0.0 || rec->data[i] > 0.0))
      rec->data[i] = 1e-4 * (double) ((gssize) (i % 17) - 8);
  check_all_settings (spec);
  sq_xylo_spec_free (spec);
}

/* A cache meets a second specification: it forgets the first one's ranges. */
static void
test_cache_follows_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqQuantCache) cache = _sq_quant_cache_new ();
  SqXyloSpec *other = sq_xylo_spec_copy (example, &error);
  SqQuantParams params;

  g_assert_no_error (error);
  for (gsize i = 0; i < other->param[SQ_PARAM_WEIGHTS_REC].n; i++)
    other->param[SQ_PARAM_WEIGHTS_REC].data[i] *= 0.5;
  sq_quant_params_init (&params);
  for (guint m = 0; m < 2; m++)
    {
      params.method = m ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL;
      for (guint round = 0; round < 2; round++)
        {
          const SqXyloSpec *spec = round ? other : example;
          SqQuantResult *ref = quantize_with (spec, &params, 1, FALSE, NULL);
          SqQuantResult *r = quantize_with (spec, &params, 0, TRUE, cache);

          assert_same_result (ref, r);
          sq_quant_result_free (ref);
          sq_quant_result_free (r);
        }
    }
  sq_xylo_spec_free (other);
}

/* The error histogram of @group as a single pass over all its errors gives it. */
static void
reference_errors (const SqNetworkResult *r,
                  guint                  group,
                  const SqHistogram     *like,
                  SqHistogram           *hist,
                  SqStats               *stats)
{
  gsize n = sq_network_get_group (r->network, group)->values->n;
  g_autofree double *e = g_new (double, MAX (n, 1));
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_network_result_group_errors (r, group, 0, n, e, &error));
  g_assert_no_error (error);
  g_assert_true (sq_histogram_init (hist, like->lo, like->hi, like->n_bins, &error));
  sq_stats_init (stats);
  for (gsize i = 0; i < n; i += 2048)
    {
      sq_stats_add (stats, e + i, MIN (2048, n - i));
      sq_histogram_add (hist, e + i, MIN (2048, n - i));
    }
}

/* The error histogram, made in parallel parts or through a sparse matrix's non-zero pairs,
 * is the one of a single pass over every error. */
static void
test_error_histogram (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  SqQuantSettings settings;

  g_assert_no_error (error);
  sq_quant_settings_init (&settings, network->kind);
  for (guint k = 0; k < 8; k++)
    {
      g_autoptr(SqNetworkResult) r = NULL;

      g_assert_true (sq_quant_settings_set_string (&settings, "method",
                                                   k % 2 ? "channel" : "global", &error));
      g_assert_true (sq_quant_settings_set_string (&settings, "mode",
                                                   k / 2 % 2 ? "rockpool" : "synquant", &error));
      /* At 6 threshold bits Rockpool rescales, and flips neurons with negative thresholds. */
      g_assert_true (sq_quant_settings_set (&settings, "threshold-bits", k < 4 ? 16 : 6,
                                            &error));
      r = sq_network_quantize (network, &settings, SQ_QUANTIZE_MARKERS, NULL, &error);
      g_assert_no_error (error);
      for (guint g = 0; g < sq_network_n_groups (network); g++)
        {
          SqHistogram one, all, ref;
          SqStats s1, s2, sr;

          _sq_parallel_set_threads (1);
          g_assert_true (sq_network_result_error_histogram (r, g, 64, &one, &s1, &error));
          _sq_parallel_set_threads (0);
          g_assert_true (sq_network_result_error_histogram (r, g, 64, &all, &s2, &error));
          g_assert_no_error (error);
          reference_errors (r, g, &one, &ref, &sr);
          sq_test_assert_same_errors (&one, &s1, &ref, &sr);
          sq_test_assert_same_errors (&all, &s2, &ref, &sr);
          g_assert_cmpuint (one.n, ==, sq_network_get_group (network, g)->values->n);
          sq_histogram_clear (&one);
          sq_histogram_clear (&all);
          sq_histogram_clear (&ref);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  example = load_example ();
  g_test_add_func ("/quant-parallel/example", test_example);
  g_test_add_func ("/quant-parallel/signed-zeros-and-bands", test_signed_zeros_and_bands);
  g_test_add_func ("/quant-parallel/dense", test_dense);
  g_test_add_func ("/quant-parallel/cache-follows-values", test_cache_follows_values);
  g_test_add_func ("/quant-parallel/error-histogram", test_error_histogram);
  status = g_test_run ();
  sq_xylo_spec_free (example);
  return status;
}
