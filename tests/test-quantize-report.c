/* test-quantize-report.c: the figures of sq_quantize()'s report (scales, clip points,
 * counts, errors, diagnostics) on networks small enough to compute every value by hand.
 *
 * Notation in the comments: m = range, s = scale, Wmax = 2^(wb−1)−1, Θmax = 2^(tb−1)−1,
 * R = rint (round half to even). Integer errors are q − w·s; float errors are those
 * divided by s.
 *
 * One program for one module, so longer than most: each hand-computed network is spelled out with
 * its arithmetic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-specs.h"
#include "sq-test-utils.h"

#define ANY_PARAM (-2)

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                   */

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

/* @text with the first @from replaced by @to. */
static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *p = strstr (text, from);

  g_assert_nonnull (p);
  return g_strdup_printf ("%.*s%s%s", (int) (p - text), text, to, p + strlen (from));
}

static SqQuantResult *
quantize_full (const SqXyloSpec *spec,
               SqMethod          method,
               SqMode            mode,
               gboolean          fuzzy,
               guint             weight_bits,
               guint             threshold_bits)
{
  g_autoptr(GError) error = NULL;
  SqQuantParams params;
  SqQuantResult *res;

  sq_quant_params_init (&params);
  params.method = method;
  params.mode = mode;
  params.fuzzy = fuzzy;
  params.weight_bits = weight_bits;
  params.threshold_bits = threshold_bits;

  res = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  return res;
}

static SqQuantResult *
quantize (const SqXyloSpec *spec,
          SqMethod          method,
          SqMode            mode,
          gboolean          fuzzy)
{
  return quantize_full (spec, method, mode, fuzzy, 8, 16);
}

static void
assert_tensor (const SqXyloSpec *spec,
               SqParam           param,
               const double     *want,
               gsize             n)
{
  const SqTensor *t = &spec->param[param];

  g_assert_true (sq_tensor_is_present (t));
  g_assert_cmpuint (t->n, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      if (!(t->data[i] <= want[i] && t->data[i] >= want[i]))
        g_test_message ("%s[flat %" G_GSIZE_FORMAT "] is %.17g, expected %.17g",
                        sq_param_name (param), i, t->data[i], want[i]);
      g_assert_cmpfloat (t->data[i], ==, want[i]);
    }
}

#define ASSERT_TENSOR(spec, param, ...) \
  G_STMT_START { \
    const double want_[] = { __VA_ARGS__ }; \
    assert_tensor ((spec), (param), want_, G_N_ELEMENTS (want_)); \
  } G_STMT_END

/* How many diagnostics of @kind (and @param, unless ANY_PARAM) there are; @count_sum
 * receives the sum of their counts. */
static guint
n_diags (GPtrArray  *diags,
         SqDiagKind  kind,
         int         param,
         gsize      *count_sum)
{
  guint n = 0;
  gsize sum = 0;

  for (guint i = 0; i < diags->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (diags, i);

      if (d->kind != kind || (param != ANY_PARAM && d->param != param))
        continue;
      n++;
      sum += d->count;
    }
  if (count_sum)
    *count_sum = sum;
  return n;
}

/* Exactly one diagnostic of @kind for @param, with @count. */
static void
assert_one_diag (GPtrArray  *diags,
                 SqDiagKind  kind,
                 int         param,
                 gsize       count)
{
  gsize sum = 0;

  g_assert_cmpuint (n_diags (diags, kind, param, &sum), ==, 1);
  g_assert_cmpuint (sum, ==, count);
}

static void
dump_diags (GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (diags, i);

      g_test_message ("diagnostic %s (param %d, count %" G_GSIZE_FORMAT "): %s",
                      sq_diag_kind_to_string (d->kind), d->param, d->count, d->message);
    }
}

/* Every parameter of the two specifications is present in both or absent in both, with
 * the same shape and values. */
static void
assert_specs_equal (const SqXyloSpec *a,
                    const SqXyloSpec *b)
{
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      if (!sq_test_tensor_equal (&a->param[i], &b->param[i]))
        g_test_message ("%s differs", sq_param_name ((SqParam) i));
      g_assert_true (sq_test_tensor_equal (&a->param[i], &b->param[i]));
    }
}

static const SqGroupReport *
group (const SqQuantResult *res,
       guint                i)
{
  g_assert_cmpuint (i, <, res->groups->len);
  return sq_quant_result_get_group (res, i);
}

/* The counts and sums of a layer (or the total) equal those of its groups. */
static void
assert_sums (const SqQuantResult *res)
{
  SqGroupReport sum[SQ_N_LAYERS + 1];

  memset (sum, 0, sizeof sum);
  for (guint i = 0; i < res->groups->len; i++)
    {
      const SqGroupReport *g = group (res, i);

      for (guint k = 0; k < 2; k++)
        {
          SqGroupReport *s = &sum[k == 0 ? (guint) g->layer : SQ_N_LAYERS];

          s->n_weights += g->n_weights;
          s->clipped += g->clipped;
          s->out_of_range += g->out_of_range;
          s->zeroed += g->zeroed;
          s->bias_zeroed += g->bias_zeroed;
          s->signal += g->signal;
          s->noise += g->noise;
          s->max_abs_error = MAX (s->max_abs_error, g->max_abs_error);
        }
    }

  for (guint k = 0; k <= SQ_N_LAYERS; k++)
    {
      const SqGroupReport *r = k < SQ_N_LAYERS ? &res->layer[k] : &res->total;

      g_assert_cmpuint (r->n_weights, ==, sum[k].n_weights);
      g_assert_cmpuint (r->clipped, ==, sum[k].clipped);
      g_assert_cmpuint (r->out_of_range, ==, sum[k].out_of_range);
      g_assert_cmpuint (r->zeroed, ==, sum[k].zeroed);
      g_assert_cmpuint (r->bias_zeroed, ==, sum[k].bias_zeroed);
      g_assert_cmpfloat_with_epsilon (r->signal, sum[k].signal, 1e-15 * (1.0 + sum[k].signal));
      g_assert_cmpfloat_with_epsilon (r->noise, sum[k].noise, 1e-15 * (1.0 + sum[k].noise));
      g_assert_cmpfloat (r->max_abs_error, ==, sum[k].max_abs_error);
    }
}

/* A relative comparison for figures that are not exact in binary. */
#define ASSERT_CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-12 * (1.0 + fabs (b)))

/* ---------------------------------------------------------------------------------------- */
/* The networks                                                                              */

/* Nin 1, Nhid 2 (1 synapse), Nout 1. */
static const char spec_global[] =
  "{\"weights_in\": [[0.5, -0.25]],"
  " \"weights_rec\": [[0.0, 0.3], [0.001, 0.0]],"
  " \"weights_out\": [[0.9921875], [0.01953125]],"
  " \"bias\": [0.001, 0.0], \"bias_out\": [0.125],"
  " \"threshold\": [1.0, 0.5], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2],"
  " \"dt\": 0.001}";

/* The same without bias_out. */
static const char spec_global_no_bias_out[] =
  "{\"weights_in\": [[0.5, -0.25]],"
  " \"weights_rec\": [[0.0, 0.3], [0.001, 0.0]],"
  " \"weights_out\": [[0.9921875], [0.01953125]],"
  " \"bias\": [0.001, 0.0],"
  " \"threshold\": [1.0, 0.5], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* Hidden threshold 200 does not fit 16 bits at s = 254. */
static const char spec_limited[] =
  "{\"weights_in\": [[0.5, 0.125]],"
  " \"weights_rec\": [[0.0, -0.25], [0.0, 0.0]],"
  " \"weights_out\": [[0.5], [0.5]],"
  " \"bias\": [0.25, 0.0],"
  " \"threshold\": [200.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2],"
  " \"dt\": 0.001}";

/* For 12-bit weights and 10-bit thresholds: biases beyond Θmax = 511. */
static const char spec_bias_clip[] =
  "{\"weights_in\": [[0.5, -0.25]],"
  " \"weights_rec\": [[0.0, 0.125], [0.0, 0.0]],"
  " \"weights_out\": [[0.0], [1.0]],"
  " \"bias\": [1.0, -0.75], \"bias_out\": [0.5],"
  " \"threshold\": [0.2, 0.125], \"threshold_out\": [0.125],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* Two synapses, Nin 1, Nhid 2, Nout 1. */
static const char spec_two_syn[] =
  "{\"weights_in\": [[[0.5, 0.0], [0.0, 0.25]]],"
  " \"weights_rec\": [[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]],"
  " \"weights_out\": [[0.5], [0.25]],"
  " \"bias\": [0.25, 0.125], \"bias_out\": [0.0],"
  " \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_syn_2\": [3, 3],"
  " \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* Dashes outside 0…15 (and a tie). */
static const char spec_dashes[] =
  "{\"weights_in\": [[0.5, 0.25]],"
  " \"weights_rec\": [[0.0, 0.0], [0.0, 0.0]],"
  " \"weights_out\": [[0.5], [0.25]],"
  " \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [16.4, 2.0], \"dash_syn\": [-0.7, 3.0], \"dash_mem_out\": [2.5],"
  " \"dash_syn_out\": [2.0]}";

/* ---------------------------------------------------------------------------------------- */
/* Synquant mode, global                                                                     */

static void
test_global_synquant (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_global);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  const SqGroupReport *h, *o;
  /* Hidden integer errors: −0.25·254 = −63.5 → −64 (0.5); 0.3·254 = 76.2 → 76 (0.2);
   * 0.001·254 = 0.254 → 0 (0.254); the others exact. */
  double h_noise = (0.25 + 0.04 + 0.064516) / (254.0 * 254.0);
  double h_signal = 0.25 + 0.0625 + 0.09 + 0.000001;
  /* Output: 0.9921875·128 = 127 exactly; 0.01953125·128 = 2.5 → 2 (0.5). */
  double o_noise = (0.5 / 128.0) * (0.5 / 128.0);
  double o_signal = 0.9921875 * 0.9921875 + 0.01953125 * 0.01953125;

  g_assert_cmpint (res->mode_used, ==, SQ_MODE_SYNQUANT);
  g_assert_cmpuint (res->groups->len, ==, 2);
  g_assert_cmpfloat (res->rec_scale_factor, ==, 1.0);

  /* Hidden: m = max(|0.5|, |−0.25|, |0.3|, |0.001|, |bias 0.001|) = 0.5; s = 127/0.5 = 254;
   * clip = 127/254 = 0.5. Thresholds 1·254 = 254 and 0.5·254 = 127 fit 16 bits. */
  h = group (res, 0);
  g_assert_cmpint (h->layer, ==, SQ_LAYER_HIDDEN);
  g_assert_cmpint (h->channel, ==, -1);
  g_assert_cmpfloat (h->range, ==, 0.5);
  g_assert_cmpfloat (h->scale, ==, 254.0);
  g_assert_cmpfloat (h->clip, ==, 0.5);
  g_assert_false (h->threshold_limited);
  g_assert_cmpuint (h->n_weights, ==, 6);
  g_assert_cmpuint (h->clipped, ==, 0);
  g_assert_cmpuint (h->out_of_range, ==, 0);
  g_assert_cmpuint (h->zeroed, ==, 1);        /* weights_rec 0.001 → 0 */
  g_assert_cmpuint (h->bias_zeroed, ==, 1);   /* bias 0.001 → R(0.254) = 0 */
  ASSERT_CLOSE (h->signal, h_signal);
  ASSERT_CLOSE (h->noise, h_noise);
  ASSERT_CLOSE (sq_group_report_mse (h), h_noise / 6.0);
  /* 10·log10(0.402501 / (0.354516/64516)) = 10·log10(73248.7) ≈ 48.648 dB */
  ASSERT_CLOSE (sq_group_report_sqnr_db (h), 10.0 * log10 (h_signal / h_noise));
  g_assert_cmpfloat_with_epsilon (sq_group_report_sqnr_db (h), 48.648, 0.001);
  ASSERT_CLOSE (h->max_abs_error, 0.5 / 254.0);  /* −64/254 − (−0.25) = −1/508 */

  /* Output: m = max(0.9921875, 0.01953125, |bias_out 0.125|) = 127/128; s = 128 exactly;
   * clip = 127/128. */
  o = group (res, 1);
  g_assert_cmpint (o->layer, ==, SQ_LAYER_OUTPUT);
  g_assert_cmpint (o->channel, ==, -1);
  g_assert_cmpfloat (o->range, ==, 0.9921875);
  g_assert_cmpfloat (o->scale, ==, 128.0);
  g_assert_cmpfloat (o->clip, ==, 0.9921875);
  g_assert_false (o->threshold_limited);
  g_assert_cmpuint (o->n_weights, ==, 2);
  g_assert_cmpuint (o->clipped, ==, 0);
  g_assert_cmpuint (o->zeroed, ==, 0);
  g_assert_cmpuint (o->bias_zeroed, ==, 0);
  ASSERT_CLOSE (o->signal, o_signal);
  ASSERT_CLOSE (o->noise, o_noise);
  ASSERT_CLOSE (sq_group_report_mse (o), o_noise / 2.0);
  /* 10·log10((16135.25/16384) / (1/65536)) = 10·log10(64541) ≈ 48.098 dB */
  ASSERT_CLOSE (sq_group_report_sqnr_db (o), 10.0 * log10 (64541.0));
  g_assert_cmpfloat (o->max_abs_error, ==, 1.0 / 256.0);

  /* The integers. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 127, -64);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 76, 0, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 254, 127);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 0, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 127, 2);  /* 2.5 → 2, half to even */
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 128);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 16);          /* 0.125·128 */
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_MEM, 4, 4);

  /* Per layer: the group's figures, under global scaling also range, scale and clip. */
  g_assert_cmpfloat (res->layer[SQ_LAYER_HIDDEN].scale, ==, 254.0);
  g_assert_cmpfloat (res->layer[SQ_LAYER_HIDDEN].clip, ==, 0.5);
  g_assert_cmpfloat (res->layer[SQ_LAYER_HIDDEN].range, ==, 0.5);
  g_assert_cmpfloat (res->layer[SQ_LAYER_OUTPUT].scale, ==, 128.0);
  g_assert_cmpfloat (res->layer[SQ_LAYER_OUTPUT].clip, ==, 0.9921875);
  g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].zeroed, ==, 1);
  g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].bias_zeroed, ==, 1);
  g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].zeroed, ==, 0);

  /* Total: 8 weights, 1 zeroed, 1 bias zeroed, nothing clipped; max error 1/256. */
  g_assert_cmpuint (res->total.n_weights, ==, 8);
  g_assert_cmpuint (res->total.clipped, ==, 0);
  g_assert_cmpuint (res->total.zeroed, ==, 1);
  g_assert_cmpuint (res->total.bias_zeroed, ==, 1);
  ASSERT_CLOSE (res->total.signal, h_signal + o_signal);
  ASSERT_CLOSE (res->total.noise, h_noise + o_noise);
  ASSERT_CLOSE (sq_group_report_mse (&res->total), (h_noise + o_noise) / 8.0);
  ASSERT_CLOSE (sq_group_report_sqnr_db (&res->total),
                10.0 * log10 ((h_signal + o_signal) / (h_noise + o_noise)));
  g_assert_cmpfloat (res->total.max_abs_error, ==, 1.0 / 256.0);
  g_assert_true (isnan (res->total.scale));
  g_assert_true (isnan (res->total.clip));
  assert_sums (res);

  /* The only diagnostic: one hidden bias became 0. */
  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_BIAS_ZEROED, SQ_PARAM_BIAS, 1);
  g_assert_cmpuint (res->diagnostics->len, ==, 1);
  g_assert_cmpuint (res->dashes_clipped, ==, 0);
}

static void
test_global_synquant_limited (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_limited);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  const SqGroupReport *h, *o;
  /* m = max(0.5, 0.125, 0.25, |bias 0.25|) = 0.5 → s = 254, but max|θ|·s = 200·254 =
   * 50800 > Θmax = 32767, so s = 32767/200 = 163.835 and clip = 127/163.835 ≈ 0.77517. */
  double s = 32767.0 / 200.0;

  h = group (res, 0);
  g_assert_true (h->threshold_limited);
  g_assert_cmpfloat (h->range, ==, 0.5);
  ASSERT_CLOSE (h->scale, s);
  ASSERT_CLOSE (h->clip, 127.0 / s);
  g_assert_cmpfloat_with_epsilon (h->clip, 0.775170, 1e-6);
  g_assert_cmpuint (h->clipped, ==, 0);
  g_assert_cmpuint (h->zeroed, ==, 0);
  /* 0.5·s = 81.9175 → 82; 0.125·s = 20.479375 → 20; −0.25·s = −40.95875 → −41. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 82, 20);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, -41, 0, 0);
  /* 200·s = 32767; 1·s = 163.835 → 164; bias 0.25·s = 40.95875 → 41. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 32767, 164);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 41, 0);
  /* Integer errors 0.0825, 0.479375, 0.04125: the largest is 20 − 20.479375. */
  ASSERT_CLOSE (h->max_abs_error, 0.479375 / s);
  ASSERT_CLOSE (h->noise, (0.0825 * 0.0825 + 0.479375 * 0.479375 + 0.04125 * 0.04125) / (s * s));

  /* Output: m = 0.5, s = 254, θ_out 254 fits; 0.5·254 = 127 exactly, so no error. */
  o = group (res, 1);
  g_assert_false (o->threshold_limited);
  g_assert_cmpfloat (o->scale, ==, 254.0);
  g_assert_cmpfloat (o->noise, ==, 0.0);
  g_assert_cmpfloat (o->max_abs_error, ==, 0.0);
  g_assert_true (isinf (sq_group_report_sqnr_db (o)));
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 127, 127);

  g_assert_true (res->layer[SQ_LAYER_HIDDEN].threshold_limited);
  g_assert_false (res->layer[SQ_LAYER_OUTPUT].threshold_limited);
  g_assert_true (res->total.threshold_limited);
  dump_diags (res->diagnostics);
  g_assert_cmpuint (res->diagnostics->len, ==, 0);
}

static void
test_global_synquant_bias_clipped (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_bias_clip);
  g_autoptr(SqQuantResult) res = quantize_full (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE,
                                                12, 10);
  const SqGroupReport *h, *o;

  /* Wmax = 2047, Θmax = 511. Hidden: m = max(0.5, 0.25, 0.125, |1.0|, |−0.75|) = 1 → s =
   * 2047; max|θ|·s = 0.2·2047 = 409.4 ≤ 511, so not limited. */
  h = group (res, 0);
  g_assert_cmpfloat (h->range, ==, 1.0);
  g_assert_cmpfloat (h->scale, ==, 2047.0);
  g_assert_cmpfloat (h->clip, ==, 1.0);
  g_assert_false (h->threshold_limited);
  /* 0.5·2047 = 1023.5 → 1024 (even); −0.25·2047 = −511.75 → −512; 0.125·2047 = 255.875 → 256 */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 1024, -512);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 256, 0, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 409, 256);
  /* bias 1·2047 = 2047 → 511; −0.75·2047 = −1535.25 → −1535 → −511: two clipped. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 511, -511);
  g_assert_cmpuint (h->clipped, ==, 2);
  ASSERT_CLOSE (h->max_abs_error, 0.5 / 2047.0);

  /* Output: m = max(0, 1, |bias_out 0.5|) = 1 → s = 2047; θ_out 0.125·2047 → 256 fits;
   * bias_out 1023.5 → 1024 → 511: one clipped. */
  o = group (res, 1);
  g_assert_cmpfloat (o->scale, ==, 2047.0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 0, 2047);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 256);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 511);
  g_assert_cmpuint (o->clipped, ==, 1);
  g_assert_cmpuint (o->zeroed, ==, 0);   /* weights_out 0.0 was zero already */

  g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].clipped, ==, 2);
  g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].clipped, ==, 1);
  g_assert_cmpuint (res->total.clipped, ==, 3);
  assert_sums (res);

  /* One diagnostic for the three clipped biases, none for weights or thresholds. */
  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_CLIPPED, SQ_PARAM_BIAS, 3);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_CLIPPED, ANY_PARAM, NULL), ==, 1);
  g_assert_cmpuint (res->diagnostics->len, ==, 1);
}

static void
test_global_synquant_fuzzy (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, TRUE);
  const SqGroupReport *h, *o;
  double s = 127.0 / 1.75, s_out = 127.0 / 0.875;

  /* Hidden non-zero weights z = {0.5, −0.5, 0.25, 2.0, −0.25, 0.25, −0.5, 0.25}:
   * mean = 2/8 = 0.25; deviations −0.75 (×2), −0.5, 0 (×3), 0.25, 1.75; Σd² = 1.125 + 0.25 +
   * 0.0625 + 3.0625 = 4.5; var = 4.5/8 = 0.5625; std = 0.75. m = 0.25 + 2·0.75 = 1.75 (the
   * biases do not count, bias 3.0 is beyond it). s = 127/1.75 = 508/7 ≈ 72.571. */
  h = group (res, 0);
  g_assert_cmpfloat (h->range, ==, 1.75);
  ASSERT_CLOSE (h->scale, s);
  ASSERT_CLOSE (h->clip, 1.75);
  g_assert_false (h->threshold_limited);
  /* ±0.5·s = ±36.29 → ±36; ±0.25·s = ±18.14 → ±18; 2.0·s = 145.14 → clipped to 127. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 36, -36, 18);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 127, -18, 18, 0, 0, -36, 18, 0);
  /* θ 72.57 → 73; bias 3·s = 217.71 → 218 (a bias is clipped to Θmax, not Wmax);
   * −0.001·s = −0.073 → 0. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 73, 73, 73);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 218, 0, 0);
  g_assert_cmpuint (h->n_weights, ==, 12);
  g_assert_cmpuint (h->clipped, ==, 1);
  g_assert_cmpuint (h->out_of_range, ==, 0);
  g_assert_cmpuint (h->zeroed, ==, 0);
  g_assert_cmpuint (h->bias_zeroed, ==, 1);
  /* Σw² = 3·0.25 + 4·0.0625 + 4 = 5. Float errors: 1/254 for the three ±0.5, 1/508 for the
   * four ±0.25, and 2.0 − 127/s = 2.0 − 1.75 = 0.25 for the clipped one. */
  ASSERT_CLOSE (h->signal, 5.0);
  ASSERT_CLOSE (h->noise, 3.0 / (254.0 * 254.0) + 4.0 / (508.0 * 508.0) + 0.0625);
  ASSERT_CLOSE (h->max_abs_error, 0.25);

  /* Output non-zero weights {0.5, −0.25}: mean 0.125, std 0.375, m = 0.875, s = 1016/7. */
  o = group (res, 1);
  g_assert_cmpfloat (o->range, ==, 0.875);
  ASSERT_CLOSE (o->scale, s_out);
  ASSERT_CLOSE (o->clip, 0.875);
  /* 0.5·s = 72.57 → 73; −0.25·s = −36.29 → −36; θ_out 145.14 → 145. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 73, -36, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 145);
  g_assert_cmpuint (o->clipped, ==, 0);
  /* Integer errors 3/7 and 2/7, float 3/1016 and 2/1016. */
  ASSERT_CLOSE (o->noise, 13.0 / (1016.0 * 1016.0));
  ASSERT_CLOSE (o->max_abs_error, 3.0 / 1016.0);

  g_assert_cmpuint (res->total.clipped, ==, 1);
  assert_sums (res);

  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_CLIPPED, -1, 1);
  assert_one_diag (res->diagnostics, SQ_DIAG_BIAS_ZEROED, SQ_PARAM_BIAS, 1);
  g_assert_cmpuint (res->diagnostics->len, ==, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Synquant mode, channel                                                                    */

static void
test_channel_synquant (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_channel);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);
  const SqGroupReport *g;
  double s_o1 = 127.0 / 0.75;

  g_assert_cmpuint (res->groups->len, ==, 5);   /* 3 hidden, then 2 output */

  /* Hidden 0: weights_in[0][0] 0.5, weights_rec[:,0] {0, 0.25, 0}, bias 0.25: m = 0.5,
   * s = 254. 0.25·254 = 63.5 → 64 (integer error 0.5). */
  g = group (res, 0);
  g_assert_cmpint (g->layer, ==, SQ_LAYER_HIDDEN);
  g_assert_cmpint (g->channel, ==, 0);
  g_assert_cmpfloat (g->range, ==, 0.5);
  g_assert_cmpfloat (g->scale, ==, 254.0);
  g_assert_cmpfloat (g->clip, ==, 0.5);
  g_assert_cmpuint (g->n_weights, ==, 4);      /* 1 input + 3 recurrent */
  g_assert_cmpuint (g->clipped, ==, 0);
  g_assert_cmpuint (g->zeroed, ==, 0);
  g_assert_cmpuint (g->bias_zeroed, ==, 0);
  ASSERT_CLOSE (g->signal, 0.3125);
  ASSERT_CLOSE (g->noise, 1.0 / (508.0 * 508.0));
  ASSERT_CLOSE (g->max_abs_error, 1.0 / 508.0);

  /* Hidden 1: weights_in −0.3, weights_rec[:,1] {0.1, 0, 0}, bias 0.4: the bias sets the
   * range, m = 0.4, s = 317.5. −0.3·s = −95.25 → −95; 0.1·s = 31.75 → 32; both off by 0.25. */
  g = group (res, 1);
  g_assert_cmpint (g->channel, ==, 1);
  g_assert_cmpfloat (g->range, ==, 0.4);
  g_assert_cmpfloat (g->scale, ==, 317.5);
  g_assert_cmpfloat (g->clip, ==, 0.4);
  g_assert_cmpuint (g->n_weights, ==, 4);
  ASSERT_CLOSE (g->signal, 0.1);
  ASSERT_CLOSE (g->noise, 2.0 / (1270.0 * 1270.0));
  ASSERT_CLOSE (g->max_abs_error, 1.0 / 1270.0);

  /* Hidden 2: no input column (2 ≥ Nien), weights_rec[:,2] all 0, bias 0: m = 0, s = 1,
   * clip = 127. */
  g = group (res, 2);
  g_assert_cmpint (g->channel, ==, 2);
  g_assert_cmpfloat (g->range, ==, 0.0);
  g_assert_cmpfloat (g->scale, ==, 1.0);
  g_assert_cmpfloat (g->clip, ==, 127.0);
  g_assert_cmpuint (g->n_weights, ==, 3);
  g_assert_cmpfloat (g->signal, ==, 0.0);
  g_assert_cmpfloat (g->noise, ==, 0.0);
  g_assert_false (g->threshold_limited);

  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 127, -95);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 32, 0, 64, 0, 0, 0, 0, 0);
  /* θ: 1·254; 0.5·317.5 = 158.75 → 159; 2·1. bias: 63.5 → 64; 0.4·317.5 = 127; 0. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 254, 159, 2);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 64, 127, 0);

  /* Output 0: weights_out[:,0] {0.5, −0.125}, bias_out 0.01: m = 0.5, s = 254;
   * −0.125·254 = −31.75 → −32; bias_out 2.54 → 3. */
  g = group (res, 3);
  g_assert_cmpint (g->layer, ==, SQ_LAYER_OUTPUT);
  g_assert_cmpint (g->channel, ==, 0);
  g_assert_cmpfloat (g->scale, ==, 254.0);
  g_assert_cmpfloat (g->clip, ==, 0.5);
  g_assert_cmpuint (g->n_weights, ==, 2);
  g_assert_cmpuint (g->zeroed, ==, 0);
  g_assert_cmpuint (g->bias_zeroed, ==, 0);
  ASSERT_CLOSE (g->max_abs_error, 1.0 / 1016.0);

  /* Output 1: weights_out[:,1] {0.75, 0.001}, bias_out 0.002: m = 0.75, s = 508/3 ≈ 169.33;
   * 0.001·s = 0.169 → 0 (zeroed, error 0.001); bias_out 0.339 → 0 (bias zeroed);
   * θ_out 2·s = 338.67 → 339. */
  g = group (res, 4);
  g_assert_cmpint (g->channel, ==, 1);
  g_assert_cmpfloat (g->range, ==, 0.75);
  ASSERT_CLOSE (g->scale, s_o1);
  ASSERT_CLOSE (g->clip, 0.75);
  g_assert_cmpuint (g->zeroed, ==, 1);
  g_assert_cmpuint (g->bias_zeroed, ==, 1);
  ASSERT_CLOSE (g->signal, 0.5625 + 1e-6);
  ASSERT_CLOSE (g->max_abs_error, 0.001);

  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 127, 127, -32, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 254, 339);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 3, 0);

  /* Layer totals: the sums of the groups; no scale of their own. */
  g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].n_weights, ==, 11);
  g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].n_weights, ==, 4);
  g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].zeroed, ==, 1);
  g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].bias_zeroed, ==, 1);
  g_assert_cmpuint (res->total.n_weights, ==, 15);
  ASSERT_CLOSE (res->layer[SQ_LAYER_HIDDEN].max_abs_error, 1.0 / 508.0);
  g_assert_true (isnan (res->layer[SQ_LAYER_HIDDEN].scale));
  g_assert_true (isnan (res->layer[SQ_LAYER_HIDDEN].clip));
  g_assert_true (isnan (res->layer[SQ_LAYER_OUTPUT].range));
  assert_sums (res);

  /* The clip range of a layer skips the neuron without weights. */
  {
    double lo, hi;

    sq_quant_result_clip_range (res, SQ_LAYER_HIDDEN, &lo, &hi);
    g_assert_cmpfloat (lo, ==, 0.4);
    g_assert_cmpfloat (hi, ==, 0.5);
    sq_quant_result_clip_range (res, SQ_LAYER_OUTPUT, &lo, &hi);
    g_assert_cmpfloat (lo, ==, 0.5);
    ASSERT_CLOSE (hi, 0.75);
  }

  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_BIAS_ZEROED, SQ_PARAM_BIAS_OUT, 1);
  g_assert_cmpuint (res->diagnostics->len, ==, 1);
}

static void
test_channel_synquant_fuzzy (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, TRUE);
  /* Per column, |mean| + 2·std (population) of the non-zero weights, biases left out:
   * hidden 0 {0.5, 0.25, −0.5}: mean 1/12, deviations 5/12, 2/12, −7/12, var = 78/432 =
   * 13/72, m0 = 1/12 + 2·√(13/72) ≈ 0.93317, s0 ≈ 136.095.
   * hidden 1 {−0.5, 2.0, 0.25}: mean 7/12, deviations −13/12, 17/12, −4/12, var = 474/432 =
   * 79/72, m1 = 7/12 + 2·√(79/72) ≈ 2.67830, s1 ≈ 47.418.
   * hidden 2 {0.25, −0.25}: mean 0, std 0.25, m2 = 0.5, s2 = 254. */
  double m0 = 1.0 / 12.0 + 2.0 * sqrt (13.0 / 72.0);
  double m1 = 7.0 / 12.0 + 2.0 * sqrt (79.0 / 72.0);

  g_assert_cmpuint (res->groups->len, ==, 4);
  ASSERT_CLOSE (group (res, 0)->range, m0);
  ASSERT_CLOSE (group (res, 0)->scale, 127.0 / m0);
  ASSERT_CLOSE (group (res, 1)->range, m1);
  ASSERT_CLOSE (group (res, 1)->clip, m1);
  g_assert_cmpfloat (group (res, 2)->range, ==, 0.5);
  g_assert_cmpfloat (group (res, 2)->scale, ==, 254.0);
  /* s0: ±0.5 → ±68.05 → ±68, 0.25 → 34.02 → 34; s1: −0.5 → −23.71 → −24, 2.0 → 94.84 → 95,
   * 0.25 → 11.85 → 12; s2: ±0.25 → ±63.5 → ±64 (half to even). Nothing beyond 127. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 68, -24, 64);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 95, -64, 34, 0, 0, -68, 12, 0);
  /* θ: 136.10 → 136, 47.42 → 47, 254; bias 3·s0 = 408.29 → 408, 0, −0.001·254 → 0. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 136, 47, 254);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 408, 0, 0);
  g_assert_cmpuint (res->total.clipped, ==, 0);
  g_assert_cmpuint (group (res, 2)->bias_zeroed, ==, 1);
  /* Output 0 {0.5, −0.25}: 0.125 + 2·0.375 = 0.875, as under global scaling. */
  g_assert_cmpfloat (group (res, 3)->range, ==, 0.875);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 73, -36, 0);
  assert_sums (res);
}

/* ---------------------------------------------------------------------------------------- */
/* Rockpool mode                                                                             */

/* The ROCKPOOL_DEFECT diagnostics are exactly those for @params (terminated by -1). */
static void
assert_defects (const SqQuantResult *res,
                const int           *params)
{
  guint n = 0;

  dump_diags (res->diagnostics);
  for (guint i = 0; params[i] >= 0; i++, n++)
    g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, params[i], NULL), ==, 1);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, ANY_PARAM, NULL), ==, n);
}

#define ASSERT_DEFECTS(res, ...) \
  G_STMT_START { \
    const int defects_[] = { __VA_ARGS__ }; \
    assert_defects ((res), defects_); \
  } G_STMT_END

static void
test_rockpool_out_of_range (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, TRUE);
  const SqGroupReport *h;
  gsize count;

  /* Rockpool's fuzzy range is the same 1.75 (s = 508/7), but 2.0·s = 145.14 → 145 is left
   * beyond Wmax = 127 instead of clipped. */
  g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
  h = group (res, 0);
  g_assert_cmpfloat (h->range, ==, 1.75);
  ASSERT_CLOSE (h->scale, 127.0 / 1.75);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 36, -36, 18);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 145, -18, 18, 0, 0, -36, 18, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 73, 73, 73);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 218, 0, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 73, -36, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 145);
  g_assert_cmpuint (h->out_of_range, ==, 1);
  g_assert_cmpuint (h->clipped, ==, 0);
  /* Integer errors 2/7 (±0.5), 1/7 (±0.25 and 145 − 145.14): max float error
   * (2/7)/(508/7) = 1/254. */
  ASSERT_CLOSE (h->max_abs_error, 1.0 / 254.0);
  g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].out_of_range, ==, 0);
  g_assert_cmpuint (res->total.out_of_range, ==, 1);
  g_assert_cmpuint (res->total.clipped, ==, 0);
  assert_sums (res);

  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_OUT_OF_RANGE, ANY_PARAM, &count), ==, 1);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_CLIPPED, ANY_PARAM, NULL), ==, 0);
  /* No bias_out, thresholds fit: no defect applies. */
  ASSERT_DEFECTS (res, -1);
}

static void
test_rockpool_dashes (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_dashes);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

  /* Rockpool only rounds: 16.4 → 16, −0.7 → −1, 2.5 → 2 (half to even). */
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_MEM, 16, 2);
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_SYN, -1, 3);
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_MEM_OUT, 2);
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_SYN_OUT, 2);
  g_assert_cmpuint (res->dashes_clipped, ==, 2);

  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_DASH_OUT_OF_RANGE, SQ_PARAM_DASH_MEM, 1);
  assert_one_diag (res->diagnostics, SQ_DIAG_DASH_OUT_OF_RANGE, SQ_PARAM_DASH_SYN, 1);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_DASH_OUT_OF_RANGE, ANY_PARAM, NULL), ==, 2);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_DASH_CLIPPED, ANY_PARAM, NULL), ==, 0);
  /* −1 is not 0: no dead synapse reported. */
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_DASH_ZERO, ANY_PARAM, NULL), ==, 0);
}

static void
test_rockpool_defect_a (void)
{
  /* spec_global: s = 254 (hidden), s_out = 128. Rockpool scales bias_out with s:
   * 0.125·254 = 31.75 → 32 (Synquant: 0.125·128 = 16). Everything else as Synquant's, since
   * nothing is clipped there. */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (spec_global);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

    g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 32);
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 127, -64);
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 76, 0, 0);
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 127, 2);
    ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 254, 127);
    ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 128);
    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 0, 0);
    g_assert_cmpfloat (group (res, 0)->scale, ==, 254.0);
    g_assert_cmpfloat (group (res, 1)->scale, ==, 128.0);
    ASSERT_DEFECTS (res, SQ_PARAM_BIAS_OUT, -1);
    assert_one_diag (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_BIAS_OUT, 1);
    g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_OUT_OF_RANGE, ANY_PARAM, NULL), ==, 0);
  }

  /* A bias_out of zeros (the mapper's default) is unharmed by the defect: no diagnostic. */
  {
    g_autofree char *zeros = replace_once (spec_global, "\"bias_out\": [0.125]",
                                           "\"bias_out\": [0.0]");
    g_autoptr(SqXyloSpec) spec = load_spec (zeros);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

    g_assert_cmpfloat (group (res, 0)->scale, ==, 254.0);
    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 0);
    ASSERT_DEFECTS (res, -1);
  }

  /* Without bias_out the defect cannot apply. */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (spec_global_no_bias_out);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

    g_assert_false (sq_tensor_is_present (&res->spec->param[SQ_PARAM_BIAS_OUT]));
    ASSERT_DEFECTS (res, -1);
  }

  /* With s == s_out the hidden scale is the right one: spec_two_syn has hidden m =
   * max(0.5, 0.25, bias 0.25, 0.125) = 0.5 and output m = max(0.5, 0.25, bias_out 0) = 0.5,
   * so s = s_out = 254. */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (spec_two_syn);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

    g_assert_cmpfloat (group (res, 0)->scale, ==, 254.0);
    g_assert_cmpfloat (group (res, 1)->scale, ==, 254.0);
    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 0);
    ASSERT_DEFECTS (res, -1);
  }
}

/* Rockpool's global_quantize never clips, but a non-zero bias that rounds to 0 is still a
 * zeroed bias: spec_global's hidden bias 0.001·254 = 0.254 → 0. */
static void
test_rockpool_global_bias_zeroed (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_global);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 0, 0);
  g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].zeroed, ==, 1);
  g_assert_cmpuint (group (res, 0)->bias_zeroed, ==, 1);
  g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].bias_zeroed, ==, 1);
  g_assert_cmpuint (res->total.bias_zeroed, ==, 1);
  assert_one_diag (res->diagnostics, SQ_DIAG_BIAS_ZEROED, SQ_PARAM_BIAS, 1);
}

static void
test_rockpool_defect_b (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_overflow);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
  /* Hidden: m = 0.5, s = 254: weights_in {127, 63.5 → 64}, weights_rec {0, 127, 64, 0},
   * θ {254, 254} fit. Output: m_out = 0.5, s_out = 254, θ_out 200·254 = 50800 > 32767, so
   * ℓ = 32767/50800 ≈ 0.64502: weights_out R(127ℓ) = R(81.9175) = 82, θ_out R(50800ℓ) =
   * 32767, and (defect b) weights_rec R(127ℓ) = 82, R(64ℓ) = R(41.28) = 41. weights_in and
   * the hidden thresholds are untouched. */
  double l = 32767.0 / 50800.0;
  const SqGroupReport *h, *o;

  g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 127, 64);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 82, 41, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 254, 254);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 82, 82);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 32767);
  ASSERT_CLOSE (res->rec_scale_factor, l);

  /* The hidden group keeps s = 254 (weights_in's scale); the output group's scale is
   * s_out·ℓ = 163.835 and counts as limited by the threshold. */
  h = group (res, 0);
  o = group (res, 1);
  g_assert_cmpfloat (h->scale, ==, 254.0);
  g_assert_false (h->threshold_limited);
  ASSERT_CLOSE (o->scale, 254.0 * l);
  ASSERT_CLOSE (o->clip, 127.0 / (254.0 * l));
  g_assert_true (o->threshold_limited);
  /* Hidden errors: weights_in 64 − 63.5 = 0.5 at 254; weights_rec at 254ℓ = 163.835:
   * 82 − 81.9175 = 0.0825 and 41 − 40.95875 = 0.04125. */
  ASSERT_CLOSE (h->noise, (0.5 / 254.0) * (0.5 / 254.0) +
                          (0.0825 * 0.0825 + 0.04125 * 0.04125) / (163.835 * 163.835));
  ASSERT_CLOSE (h->max_abs_error, 1.0 / 508.0);
  ASSERT_CLOSE (o->max_abs_error, 0.0825 / 163.835);
  assert_sums (res);

  ASSERT_DEFECTS (res, SQ_PARAM_WEIGHTS_REC, -1);
  assert_one_diag (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_WEIGHTS_REC, 4);

  /* Synquant limits only the output layer and leaves weights_rec alone. */
  {
    g_autoptr(SqQuantResult) sq = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);

    ASSERT_TENSOR (sq->spec, SQ_PARAM_WEIGHTS_REC, 0, 127, 64, 0);
    ASSERT_TENSOR (sq->spec, SQ_PARAM_WEIGHTS_OUT, 82, 82);
    g_assert_cmpfloat (sq->rec_scale_factor, ==, 1.0);
    g_assert_cmpuint (n_diags (sq->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, ANY_PARAM, NULL), ==, 0);
  }
}

static void
test_rockpool_defect_f (void)
{
  /* sq_test_spec_channel, 1 synapse: Rockpool's ranges leave the bias out. Hidden 0: m = 0.5, s = 254;
   * hidden 1: m = max(0.3, 0.1) = 0.3, s = 423.33; hidden 2: m = 0, θ only rounded.
   * The hidden biases are only rounded: R(0.25) = 0, R(0.4) = 0, R(0) = 0 (defect f). */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_channel);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);
    const SqGroupReport *g;

    g_assert_cmpint (res->mode_used, ==, SQ_MODE_ROCKPOOL);
    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 0, 0, 0);
    /* −0.3·423.33 = −127; 0.1·423.33 = 42.33 → 42; θ1 0.5·423.33 = 211.67 → 212. */
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 127, -127);
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, 42, 0, 64, 0, 0, 0, 0, 0);
    ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 254, 212, 2);
    /* Outputs are scaled by their own s_o: 0.01·254 = 2.54 → 3; 0.002·169.33 → 0. */
    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 3, 0);
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 127, 127, -32, 0);

    g = group (res, 1);
    g_assert_cmpfloat (g->range, ==, 0.3);
    ASSERT_CLOSE (g->scale, 127.0 / 0.3);
    /* Two hidden biases (0.25, 0.4) and one output bias (0.002) became 0. */
    g_assert_cmpuint (group (res, 0)->bias_zeroed, ==, 1);
    g_assert_cmpuint (group (res, 1)->bias_zeroed, ==, 1);
    g_assert_cmpuint (res->layer[SQ_LAYER_HIDDEN].bias_zeroed, ==, 2);
    g_assert_cmpuint (res->layer[SQ_LAYER_OUTPUT].bias_zeroed, ==, 1);
    assert_sums (res);

    ASSERT_DEFECTS (res, SQ_PARAM_BIAS, -1);
    assert_one_diag (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_BIAS, 3);
    assert_one_diag (res->diagnostics, SQ_DIAG_BIAS_ZEROED, SQ_PARAM_BIAS, 2);
    assert_one_diag (res->diagnostics, SQ_DIAG_BIAS_ZEROED, SQ_PARAM_BIAS_OUT, 1);
  }

  /* Two synapses: the hidden biases are scaled. Hidden 0: m = 0.5, s = 254, bias 0.25·254 =
   * 63.5 → 64; hidden 1: m = 0.25, s = 508, bias 0.125·508 = 63.5 → 64. No defect. */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (spec_two_syn);
    g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);

    ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 64, 64);
    ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 127, 0, 0, 127);
    ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 254, 508);
    g_assert_cmpuint (group (res, 0)->n_weights, ==, 2 + 4);   /* 1·2 input + 2·2 recurrent */
    ASSERT_DEFECTS (res, -1);
  }
}

static void
test_rockpool_defect_h (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_limited);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);
  const SqGroupReport *h;
  double l = 32767.0 / 50800.0;

  /* m = 0.5, s = 254: weights_in {127, 0.125·254 = 31.75 → 32}, weights_rec −63.5 → −64,
   * θ {50800, 254}. max θ = 50800 > 32767: ℓ = 32767/50800, applied to the integers:
   * R(127ℓ) = 82, R(32ℓ) = R(20.64) = 21 (one rounding would give R(20.479) = 20),
   * R(−64ℓ) = −41, θ {32767, R(163.835) = 164}; bias keeps s: 0.25·254 = 63.5 → 64
   * (Synquant: 41). */
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_IN, 82, 21);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_REC, 0, -41, 0, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD, 32767, 164);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS, 64, 0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_WEIGHTS_OUT, 127, 127);

  h = group (res, 0);
  g_assert_true (h->threshold_limited);
  ASSERT_CLOSE (h->scale, 254.0 * l);
  /* Largest integer error: 21 − 0.125·163.835 = 21 − 20.479375 = 0.520625. */
  ASSERT_CLOSE (h->max_abs_error, 0.520625 / 163.835);
  g_assert_false (group (res, 1)->threshold_limited);
  g_assert_cmpfloat (res->rec_scale_factor, ==, 1.0);

  ASSERT_DEFECTS (res, SQ_PARAM_THRESHOLD, -1);
  assert_one_diag (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_THRESHOLD, 2);
}

static void
test_rockpool_fuzzy_channel (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_fuzzy);
  g_autoptr(SqQuantResult) fuzzy = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, TRUE);
  g_autoptr(SqQuantResult) plain = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);

  g_assert_cmpint (fuzzy->mode_used, ==, SQ_MODE_ROCKPOOL);
  assert_specs_equal (fuzzy->spec, plain->spec);
  g_assert_cmpuint (fuzzy->groups->len, ==, plain->groups->len);
  for (guint i = 0; i < fuzzy->groups->len; i++)
    {
      g_assert_cmpfloat (group (fuzzy, i)->scale, ==, group (plain, i)->scale);
      g_assert_cmpfloat (group (fuzzy, i)->range, ==, group (plain, i)->range);
    }
  /* Hidden 1's column {−0.5, 2.0, 0.25} has max 2.0: s = 63.5, 2.0 → 127, nothing beyond. */
  g_assert_cmpfloat (group (plain, 1)->range, ==, 2.0);
  ASSERT_TENSOR (plain->spec, SQ_PARAM_WEIGHTS_IN, 127, -32, 127);

  assert_one_diag (fuzzy->diagnostics, SQ_DIAG_FUZZY_IGNORED, -1, 0);
  g_assert_cmpuint (n_diags (plain->diagnostics, SQ_DIAG_FUZZY_IGNORED, ANY_PARAM, NULL), ==, 0);
  g_assert_cmpuint (fuzzy->diagnostics->len, ==, plain->diagnostics->len + 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Fallbacks                                                                                 */

static void
assert_same_figures (const SqQuantResult *a,
                     const SqQuantResult *b)
{
  g_assert_cmpuint (a->groups->len, ==, b->groups->len);
  for (guint i = 0; i < a->groups->len; i++)
    {
      const SqGroupReport *ga = group (a, i), *gb = group (b, i);

      g_assert_cmpint (ga->layer, ==, gb->layer);
      g_assert_cmpint (ga->channel, ==, gb->channel);
      g_assert_cmpfloat (ga->scale, ==, gb->scale);
      g_assert_cmpfloat (ga->clip, ==, gb->clip);
      g_assert_cmpuint (ga->clipped, ==, gb->clipped);
      g_assert_cmpuint (ga->zeroed, ==, gb->zeroed);
      g_assert_cmpuint (ga->bias_zeroed, ==, gb->bias_zeroed);
      g_assert_cmpfloat (ga->noise, ==, gb->noise);
    }
  g_assert_cmpuint (a->dashes_clipped, ==, b->dashes_clipped);
}

static void
test_fallback_fuzzy_nan (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_out_zero);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, TRUE);
  g_autoptr(SqQuantResult) sq = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, TRUE);

  /* mean and std of no value at all: NaN in Rockpool. */
  g_assert_cmpint (res->params.mode, ==, SQ_MODE_ROCKPOOL);
  g_assert_cmpint (res->mode_used, ==, SQ_MODE_SYNQUANT);
  assert_specs_equal (res->spec, sq->spec);
  assert_same_figures (res, sq);

  /* Synquant's output layer has m = 0, so s = 1: θ_out 1 → 1, weights 0. */
  g_assert_cmpfloat (group (res, 1)->range, ==, 0.0);
  g_assert_cmpfloat (group (res, 1)->scale, ==, 1.0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_THRESHOLD_OUT, 1);

  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_ROCKPOOL_FALLBACK, -1, 0);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, ANY_PARAM, NULL), ==, 0);
  g_assert_cmpuint (res->diagnostics->len, ==, sq->diagnostics->len + 1);

  /* Non-fuzzy, Rockpool can do it: no fallback. */
  {
    g_autoptr(SqQuantResult) plain = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

    g_assert_cmpint (plain->mode_used, ==, SQ_MODE_ROCKPOOL);
    g_assert_cmpuint (n_diags (plain->diagnostics, SQ_DIAG_ROCKPOOL_FALLBACK, ANY_PARAM, NULL),
                      ==, 0);
  }
}

static void
test_fallback_index_error (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_index_error);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);
  g_autoptr(SqQuantResult) sq = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);

  /* Hidden 1 = Nien: m = 0.5, s = 254, R(200·254) = 50800 > 32767 → IndexError. */
  g_assert_cmpuint (spec->n_ien, ==, 1);
  g_assert_cmpint (res->mode_used, ==, SQ_MODE_SYNQUANT);
  assert_specs_equal (res->spec, sq->spec);
  assert_same_figures (res, sq);
  /* Synquant: hidden 1 limited to 32767/200; output range max(0.5, 0.25, bias_out 1.0) = 1. */
  g_assert_true (group (res, 1)->threshold_limited);
  ASSERT_CLOSE (group (res, 1)->scale, 32767.0 / 200.0);
  g_assert_cmpfloat (group (res, 2)->range, ==, 1.0);
  ASSERT_TENSOR (res->spec, SQ_PARAM_BIAS_OUT, 127);

  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_ROCKPOOL_FALLBACK, -1, 0);
  g_assert_cmpuint (res->diagnostics->len, ==, sq->diagnostics->len + 1);

  /* With θ1 = 100 (25400 fits) Rockpool can do it. */
  {
    g_autofree char *text = replace_once (sq_test_spec_index_error, "200.0", "100.0");
    g_autoptr(SqXyloSpec) ok_spec = NULL;
    g_autoptr(SqQuantResult) ok = NULL;

    ok_spec = load_spec (text);
    ok = quantize (ok_spec, SQ_METHOD_CHANNEL, SQ_MODE_ROCKPOOL, FALSE);
    g_assert_cmpint (ok->mode_used, ==, SQ_MODE_ROCKPOOL);
    g_assert_cmpuint (n_diags (ok->diagnostics, SQ_DIAG_ROCKPOOL_FALLBACK, ANY_PARAM, NULL), ==, 0);
    ASSERT_TENSOR (ok->spec, SQ_PARAM_THRESHOLD, 254, 25400);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Dashes                                                                                    */

static void
test_dash_tau_eff (void)
{
  /* τ/dt = −1/ln(1 − 2^−d) */
  g_assert_cmpfloat (sq_dash_tau_eff (0.0), ==, 0.0);
  ASSERT_CLOSE (sq_dash_tau_eff (1.0), 1.0 / G_LN2);              /* ≈ 1.442695 */
  g_assert_cmpfloat_with_epsilon (sq_dash_tau_eff (1.0), 1.442695, 1e-6);
  ASSERT_CLOSE (sq_dash_tau_eff (4.0), -1.0 / log (15.0 / 16.0));  /* ≈ 15.4946 */
  g_assert_cmpfloat_with_epsilon (sq_dash_tau_eff (4.0), 15.4946, 1e-4);
  ASSERT_CLOSE (sq_dash_tau_eff (2.0), -1.0 / log (0.75));         /* ≈ 3.476 */
  /* −1/ln(1 − x) ≈ 1/x − 1/2 for small x = 2^−15. */
  g_assert_cmpfloat_with_epsilon (sq_dash_tau_eff (15.0), 32767.5, 1e-3);
  /* A float dash (before rounding) uses the same formula: 2^−0.5 = 1/√2. */
  ASSERT_CLOSE (sq_dash_tau_eff (0.5), -1.0 / log1p (-G_SQRT2 / 2.0));
  g_assert_true (isnan (sq_dash_tau_eff (-1.0)));
  g_assert_true (isnan (sq_dash_tau_eff (NAN)));
  g_assert_true (isnan (sq_dash_tau_eff (-0.5)));
}

static void
test_dashes_clipped (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_dashes);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);

  /* clip(R(d), 0, 15): 16.4 → 15, −0.7 → −1 → 0, 2.5 → 2. */
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_MEM, 15, 2);
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_SYN, 0, 3);
  ASSERT_TENSOR (res->spec, SQ_PARAM_DASH_MEM_OUT, 2);
  g_assert_cmpuint (res->dashes_clipped, ==, 2);

  dump_diags (res->diagnostics);
  assert_one_diag (res->diagnostics, SQ_DIAG_DASH_CLIPPED, SQ_PARAM_DASH_MEM, 1);
  assert_one_diag (res->diagnostics, SQ_DIAG_DASH_CLIPPED, SQ_PARAM_DASH_SYN, 1);
  g_assert_cmpuint (n_diags (res->diagnostics, SQ_DIAG_DASH_OUT_OF_RANGE, ANY_PARAM, NULL), ==, 0);
  /* The clipped dash_syn[0] = 0 is on hidden neuron 0, which receives weights_in 0.5. */
  assert_one_diag (res->diagnostics, SQ_DIAG_DASH_ZERO, SQ_PARAM_DASH_SYN, 1);
  g_assert_cmpuint (res->diagnostics->len, ==, 3);

  /* The channel method clips dashes the same way. */
  {
    g_autoptr(SqQuantResult) ch = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);

    ASSERT_TENSOR (ch->spec, SQ_PARAM_DASH_MEM, 15, 2);
    g_assert_cmpuint (ch->dashes_clipped, ==, 2);
  }
}

/* Hidden neuron 0 receives weights_in 0.5, hidden neuron 1 nothing; weights_out reaches the
 * output neuron. */
static SqXyloSpec *
dash_spec (const char *dash_mem,
           const char *dash_syn,
           const char *dash_syn_2,
           const char *dash_syn_out)
{
  g_autofree char *extra = dash_syn_2 ? g_strdup_printf (", \"dash_syn_2\": %s", dash_syn_2)
                                      : g_strdup ("");
  g_autofree char *text =
    g_strdup_printf ("{\"weights_in\": [[0.5, 0.0]], \"weights_rec\": [[0.0, 0.0], [0.0, 0.0]],"
                     " \"weights_out\": [[0.5], [0.25]], \"threshold\": [1.0, 1.0],"
                     " \"threshold_out\": [1.0], \"dash_mem\": %s, \"dash_syn\": %s,"
                     " \"dash_mem_out\": [4], \"dash_syn_out\": %s%s}",
                     dash_mem, dash_syn, dash_syn_out, extra);

  return load_spec (text);
}

static guint
n_dash_zero (const SqXyloSpec *spec,
             SqParam           param,
             gsize            *count)
{
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);

  dump_diags (res->diagnostics);
  return n_diags (res->diagnostics, SQ_DIAG_DASH_ZERO, param, count);
}

static void
test_dashes_zero (void)
{
  gsize count = 0;

  /* dash_syn 0 on neuron 0, which receives a weight: one. */
  {
    g_autoptr(SqXyloSpec) spec = dash_spec ("[4, 4]", "[0, 2]", NULL, "[2]");

    g_assert_cmpuint (n_dash_zero (spec, SQ_PARAM_DASH_SYN, &count), ==, 1);
    g_assert_cmpuint (count, ==, 1);
    g_assert_cmpuint (n_dash_zero (spec, ANY_PARAM, NULL), ==, 1);
  }
  /* dash_syn 0 on neuron 1, which receives nothing: none. */
  {
    g_autoptr(SqXyloSpec) spec = dash_spec ("[4, 4]", "[2, 0]", NULL, "[2]");

    g_assert_cmpuint (n_dash_zero (spec, ANY_PARAM, NULL), ==, 0);
  }
  /* dash_syn_2 0 in a 1-synapse network: unused, none. */
  {
    g_autoptr(SqXyloSpec) spec = dash_spec ("[4, 4]", "[2, 2]", "[0, 0]", "[2]");

    g_assert_cmpuint (spec->n_syn, ==, 1);
    g_assert_cmpuint (n_dash_zero (spec, ANY_PARAM, NULL), ==, 0);
  }
  /* dash_mem 0: a membrane without memory, one. */
  {
    g_autoptr(SqXyloSpec) spec = dash_spec ("[0, 4]", "[2, 2]", NULL, "[2]");

    g_assert_cmpuint (n_dash_zero (spec, SQ_PARAM_DASH_MEM, &count), ==, 1);
    g_assert_cmpuint (count, ==, 1);
    g_assert_cmpuint (n_dash_zero (spec, ANY_PARAM, NULL), ==, 1);
  }
  /* dash_syn_out 0 on the output neuron, which receives weights_out: one. A dash of 0.4
   * rounds to 0 as well. */
  {
    g_autoptr(SqXyloSpec) spec = dash_spec ("[4, 4]", "[2, 2]", NULL, "[0.4]");

    g_assert_cmpuint (n_dash_zero (spec, SQ_PARAM_DASH_SYN_OUT, &count), ==, 1);
    g_assert_cmpuint (count, ==, 1);
  }
  /* Two synapses: synapse 2 of hidden 1 receives 0.25, synapse 2 of hidden 0 nothing. */
  {
    static const char text[] =
      "{\"weights_in\": [[[0.5, 0.0], [0.0, 0.25]]],"
      " \"weights_rec\": [[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]],"
      " \"weights_out\": [[0.5], [0.25]], \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
      " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_syn_2\": [0, 0],"
      " \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";
    g_autoptr(SqXyloSpec) spec = load_spec (text);

    g_assert_cmpuint (n_dash_zero (spec, SQ_PARAM_DASH_SYN_2, &count), ==, 1);
    g_assert_cmpuint (count, ==, 1);
    g_assert_cmpuint (n_dash_zero (spec, ANY_PARAM, NULL), ==, 1);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Input, parameters, specification diagnostics                                              */

static void
test_input_unchanged (void)
{
  const char *specs[] = {
    spec_global, spec_limited, spec_bias_clip, sq_test_spec_fuzzy, sq_test_spec_channel, spec_two_syn,
    sq_test_spec_out_overflow, sq_test_spec_out_zero, sq_test_spec_index_error, spec_dashes,
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    for (guint k = 0; k < 8; k++)
      {
        g_autoptr(SqXyloSpec) spec = load_spec (specs[i]);
        g_autoptr(SqXyloSpec) before = sq_xylo_spec_copy (spec, NULL);
        SqMethod method = (k & 1) ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL;
        SqMode mode = (k & 2) ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT;
        gboolean fuzzy = (k & 4) != 0;
        g_autoptr(SqQuantResult) first = NULL;
        g_autoptr(SqQuantResult) second = NULL;

        g_test_message ("spec %u, %s, %s, fuzzy %d", i, sq_method_to_string (method),
                        sq_mode_to_string (mode), fuzzy);
        g_assert_nonnull (before);
        first = quantize (spec, method, mode, fuzzy);
        assert_specs_equal (spec, before);
        g_assert_cmpuint (spec->n_hidden, ==, before->n_hidden);
        g_assert_cmpuint (spec->warnings->len, ==, before->warnings->len);

        /* So a second run sees the same input and gives the same result (Rockpool's
         * channel_quantize scales biases in place, its defect d). */
        second = quantize (spec, method, mode, fuzzy);
        assert_specs_equal (first->spec, second->spec);
        g_assert_true (sq_xylo_spec_is_integer (first->spec));
      }
}

static void
test_invalid_params (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_global);
  struct { guint wb, tb; } bad[] = { { 1, 16 }, { 17, 16 }, { 8, 25 }, { 8, 1 }, { 0, 16 } };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SqQuantResult) res = NULL;
      SqQuantParams params;

      sq_quant_params_init (&params);
      params.weight_bits = bad[i].wb;
      params.threshold_bits = bad[i].tb;
      res = sq_quantize (spec, &params, &error);
      g_assert_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS);
      g_assert_null (res);
      g_clear_error (&error);
      g_assert_false (sq_quant_params_check (&params, &error));
      g_assert_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS);
    }

  /* The limits themselves are valid: 2…16 weight bits, 2…24 threshold bits. */
  {
    g_autoptr(SqQuantResult) lo = quantize_full (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE,
                                                 2, 2);
    g_autoptr(SqQuantResult) hi = quantize_full (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE,
                                                 16, 24);

    /* 2 bits: Wmax = 1, Θmax = 1. m = 0.5, s = 2, but θ 1·2 = 2 > 1: s = 1/1 = 1. */
    g_assert_cmpfloat (group (lo, 0)->scale, ==, 1.0);
    g_assert_true (group (lo, 0)->threshold_limited);
    /* 16 bits: Wmax = 32767, s = 65534; Θmax = 8388607 fits 65534. */
    g_assert_cmpfloat (group (hi, 0)->scale, ==, 65534.0);
  }
}

static void
test_spec_diagnose (void)
{
  /* Hidden 0 receives weights_in and weights_rec[1][0]; hidden 1 and 2 receive nothing and
   * have no bias. Hidden 1 drives hidden 0, hidden 0 drives the output, hidden 2 nothing.
   * θ ≤ 0 on hidden 1 and 2 and on the output. Two unknown keys. */
  static const char text[] =
    "{\"weights_in\": [[0.5, 0.0, 0.0]],"
    " \"weights_rec\": [[0.0, 0.0, 0.0], [0.3, 0.0, 0.0], [0.0, 0.0, 0.0]],"
    " \"weights_out\": [[0.2], [0.0], [0.0]],"
    " \"bias\": [0.0, 0.0, 0.0],"
    " \"threshold\": [1.0, 0.0, -0.5], \"threshold_out\": [0.0],"
    " \"dash_mem\": [4, 4, 4], \"dash_syn\": [2, 2, 2], \"dash_mem_out\": [4],"
    " \"dash_syn_out\": [2], \"foo\": 1, \"bar\": [1, 2]}";
  /* The same with a bias on hidden 2 (a bias is no input weight: still reported) and an
   * alias from hidden 2 (so its events reach hidden 0). */
  static const char text2[] =
    "{\"weights_in\": [[0.5, 0.0, 0.0]],"
    " \"weights_rec\": [[0.0, 0.0, 0.0], [0.3, 0.0, 0.0], [0.0, 0.0, 0.0]],"
    " \"weights_out\": [[0.2], [0.0], [0.0]],"
    " \"bias\": [0.0, 0.0, 0.1], \"aliases\": [[], [], [0]],"
    " \"threshold\": [1.0, 1.0, 1.0], \"threshold_out\": [1.0],"
    " \"dash_mem\": [4, 4, 4], \"dash_syn\": [2, 2, 2], \"dash_mem_out\": [4],"
    " \"dash_syn_out\": [2]}";

  {
    g_autoptr(SqXyloSpec) spec = load_spec (text);
    g_autoptr(GPtrArray) diags = sq_xylo_spec_diagnose (spec);

    dump_diags (diags);
    g_assert_cmpuint (n_diags (diags, SQ_DIAG_UNKNOWN_KEY, -1, NULL), ==, 2);
    assert_one_diag (diags, SQ_DIAG_NO_INPUT, ANY_PARAM, 2);
    assert_one_diag (diags, SQ_DIAG_NO_OUTPUT, ANY_PARAM, 1);
    assert_one_diag (diags, SQ_DIAG_THRESHOLD_NOT_POSITIVE, SQ_PARAM_THRESHOLD, 2);
    assert_one_diag (diags, SQ_DIAG_THRESHOLD_NOT_POSITIVE, SQ_PARAM_THRESHOLD_OUT, 1);
    g_assert_cmpuint (diags->len, ==, 6);
  }
  {
    g_autoptr(SqXyloSpec) spec = load_spec (text2);
    g_autoptr(GPtrArray) diags = sq_xylo_spec_diagnose (spec);

    dump_diags (diags);
    assert_one_diag (diags, SQ_DIAG_NO_INPUT, ANY_PARAM, 2);
    g_assert_cmpuint (n_diags (diags, SQ_DIAG_NO_OUTPUT, ANY_PARAM, NULL), ==, 0);
    g_assert_cmpuint (n_diags (diags, SQ_DIAG_THRESHOLD_NOT_POSITIVE, ANY_PARAM, NULL), ==, 0);
    g_assert_cmpuint (diags->len, ==, 1);
  }
  /* A float spec's dashes: 16.4 and −0.7 outside 0…15, reported but not clipped. */
  {
    g_autoptr(SqXyloSpec) spec = load_spec (spec_dashes);
    g_autoptr(GPtrArray) diags = sq_xylo_spec_diagnose (spec);

    dump_diags (diags);
    assert_one_diag (diags, SQ_DIAG_DASH_OUT_OF_RANGE, SQ_PARAM_DASH_MEM, 1);
    assert_one_diag (diags, SQ_DIAG_DASH_OUT_OF_RANGE, SQ_PARAM_DASH_SYN, 1);
    g_assert_cmpuint (n_diags (diags, SQ_DIAG_DASH_CLIPPED, ANY_PARAM, NULL), ==, 0);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* The JSON report                                                                           */

static JsonObject *
report_object (const SqQuantResult *res,
               JsonNode           **root_out)
{
  g_autoptr(JsonNode) node = sq_quant_result_to_json (res, "in.json");
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  /* Through text and json-glib's parser, as a reader of the file sees it. */
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *root_out = root;
  return json_node_get_object (root);
}

static void
assert_json_double_or_null (JsonObject *o,
                            const char *member,
                            double      v)
{
  JsonNode *n = json_object_get_member (o, member);

  g_assert_nonnull (n);
  if (isfinite (v))
    {
      g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_DOUBLE);
      g_assert_cmpfloat (json_node_get_double (n), ==, v);
    }
  else
    g_assert_true (JSON_NODE_HOLDS_NULL (n));
}

static void
assert_json_figures (JsonObject          *o,
                     const SqGroupReport *g)
{
  g_assert_cmpint (json_object_get_int_member (o, "weights"), ==, (gint64) g->n_weights);
  g_assert_cmpint (json_object_get_int_member (o, "clipped"), ==, (gint64) g->clipped);
  g_assert_cmpint (json_object_get_int_member (o, "out_of_range"), ==, (gint64) g->out_of_range);
  g_assert_cmpint (json_object_get_int_member (o, "zeroed"), ==, (gint64) g->zeroed);
  g_assert_cmpint (json_object_get_int_member (o, "bias_zeroed"), ==, (gint64) g->bias_zeroed);
  assert_json_double_or_null (o, "mse", sq_group_report_mse (g));
  assert_json_double_or_null (o, "sqnr_db", sq_group_report_sqnr_db (g));
  assert_json_double_or_null (o, "max_abs_error", g->max_abs_error);
}

static void
assert_json_scale (JsonObject          *o,
                   const SqGroupReport *g)
{
  assert_json_double_or_null (o, "range", g->range);
  assert_json_double_or_null (o, "scale", g->scale);
  assert_json_double_or_null (o, "clip", g->clip);
  g_assert_cmpint (json_object_get_boolean_member (o, "threshold_limited"), ==,
                   g->threshold_limited);
}

/* Groups, layers, summary and diagnostics of the report against the struct. */
static void
assert_json_report (const SqQuantResult *res,
                    JsonObject          *root)
{
  JsonObject *summary = json_object_get_object_member (root, "summary");
  JsonObject *layers = json_object_get_object_member (root, "layers");
  JsonArray *groups = json_object_get_array_member (root, "groups");
  JsonArray *diags = json_object_get_array_member (root, "diagnostics");

  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, "in.json");
  g_assert_cmpstr (json_object_get_string_member (root, "mode_used"), ==,
                   sq_mode_to_string (res->mode_used));

  assert_json_figures (summary, &res->total);
  g_assert_cmpint (json_object_get_int_member (summary, "dashes_clipped"), ==,
                   (gint64) res->dashes_clipped);

  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      JsonObject *layer = json_object_get_object_member (layers, sq_layer_to_string ((SqLayer) l));

      g_assert_nonnull (layer);
      assert_json_scale (layer, &res->layer[l]);
      assert_json_figures (layer, &res->layer[l]);
    }

  g_assert_cmpuint (json_array_get_length (groups), ==, res->groups->len);
  for (guint i = 0; i < res->groups->len; i++)
    {
      JsonObject *o = json_array_get_object_element (groups, i);
      const SqGroupReport *g = group (res, i);

      g_assert_cmpstr (json_object_get_string_member (o, "layer"), ==,
                       sq_layer_to_string (g->layer));
      if (g->channel < 0)
        g_assert_true (json_object_get_null_member (o, "channel"));
      else
        g_assert_cmpint (json_object_get_int_member (o, "channel"), ==, g->channel);
      assert_json_scale (o, g);
      assert_json_figures (o, g);
    }

  g_assert_cmpuint (json_array_get_length (diags), ==, res->diagnostics->len);
  for (guint i = 0; i < res->diagnostics->len; i++)
    {
      JsonObject *o = json_array_get_object_element (diags, i);
      const SqDiagnostic *d = g_ptr_array_index (res->diagnostics, i);

      g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==,
                       sq_diag_kind_to_string (d->kind));
      if (d->param < 0)
        g_assert_true (json_object_get_null_member (o, "param"));
      else
        g_assert_cmpstr (json_object_get_string_member (o, "param"), ==,
                         sq_param_name ((SqParam) d->param));
      g_assert_cmpint (json_object_get_int_member (o, "count"), ==, (gint64) d->count);
      g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, d->message);
    }
}

static void
test_json_global (void)
{
  /* spec_limited with dash_mem 16.4 (clipped to 15) and dt 0.001. */
  g_autofree char *text = replace_once (spec_limited, "\"dash_mem\": [4, 4]",
                                       "\"dash_mem\": [16.4, 4]");
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqQuantResult) res = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root, *params, *layers, *hidden, *output, *dashes, *dash;
  JsonArray *a;

  spec = load_spec (text);
  res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, FALSE);
  root = report_object (res, &root_node);
  assert_json_report (res, root);

  params = json_object_get_object_member (root, "params");
  g_assert_cmpstr (json_object_get_string_member (params, "method"), ==, "global");
  g_assert_cmpstr (json_object_get_string_member (params, "mode"), ==, "synquant");
  g_assert_false (json_object_get_boolean_member (params, "fuzzy"));
  g_assert_cmpint (json_object_get_int_member (params, "weight_bits"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (params, "threshold_bits"), ==, 16);

  /* Hand values, as in /quantize/report/global-synquant-threshold-limited. */
  layers = json_object_get_object_member (root, "layers");
  hidden = json_object_get_object_member (layers, "hidden");
  output = json_object_get_object_member (layers, "output");
  g_assert_cmpfloat (json_object_get_double_member (hidden, "range"), ==, 0.5);
  ASSERT_CLOSE (json_object_get_double_member (hidden, "scale"), 163.835);
  g_assert_true (json_object_get_boolean_member (hidden, "threshold_limited"));
  g_assert_cmpint (json_object_get_int_member (hidden, "weights"), ==, 6);
  g_assert_cmpfloat (json_object_get_double_member (output, "scale"), ==, 254.0);
  /* The output layer is reproduced exactly: SQNR null, MSE and max error 0. */
  g_assert_true (json_object_get_null_member (output, "sqnr_db"));
  g_assert_cmpfloat (json_object_get_double_member (output, "mse"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (output, "max_abs_error"), ==, 0.0);
  g_assert_false (json_object_get_null_member (hidden, "sqnr_db"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (
                   json_object_get_array_member (root, "groups"), 1), "sqnr_db"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "summary"),
                                               "dashes_clipped"), ==, 1);

  /* Dashes: the integer values and τ_eff in steps and seconds. dash_syn_2 is absent. */
  dashes = json_object_get_object_member (root, "dashes");
  g_assert_false (json_object_has_member (dashes, "dash_syn_2"));
  g_assert_cmpuint (json_object_get_size (dashes), ==, 4);
  dash = json_object_get_object_member (dashes, "dash_mem");
  a = json_object_get_array_member (dash, "values");
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  g_assert_cmpint (json_array_get_int_element (a, 0), ==, 15);
  g_assert_cmpint (json_array_get_int_element (a, 1), ==, 4);
  a = json_object_get_array_member (dash, "tau_eff_steps");
  ASSERT_CLOSE (json_array_get_double_element (a, 0), -1.0 / log1p (-1.0 / 32768.0));
  ASSERT_CLOSE (json_array_get_double_element (a, 1), -1.0 / log (15.0 / 16.0));
  a = json_object_get_array_member (dash, "tau_eff_seconds");
  ASSERT_CLOSE (json_array_get_double_element (a, 1), -0.001 / log (15.0 / 16.0));
  dash = json_object_get_object_member (dashes, "dash_syn");
  a = json_object_get_array_member (dash, "tau_eff_steps");
  ASSERT_CLOSE (json_array_get_double_element (a, 0), -1.0 / log (0.75));

  /* The one diagnostic. */
  a = json_object_get_array_member (root, "diagnostics");
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "kind"),
                   ==, "dash-clipped");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "param"),
                   ==, "dash_mem");
}

static void
test_json_channel (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (sq_test_spec_channel);
  g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, FALSE);
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root = report_object (res, &root_node);
  JsonObject *hidden;
  JsonArray *groups;
  const gint64 channels[] = { 0, 1, 2, 0, 1 };
  const char *layers[] = { "hidden", "hidden", "hidden", "output", "output" };

  assert_json_report (res, root);

  /* Per-channel layers have no scale of their own: null. */
  hidden = json_object_get_object_member (json_object_get_object_member (root, "layers"), "hidden");
  g_assert_true (json_object_get_null_member (hidden, "scale"));
  g_assert_true (json_object_get_null_member (hidden, "clip"));
  g_assert_true (json_object_get_null_member (hidden, "range"));
  g_assert_cmpint (json_object_get_int_member (hidden, "weights"), ==, 11);

  groups = json_object_get_array_member (root, "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *o = json_array_get_object_element (groups, i);

      g_assert_cmpstr (json_object_get_string_member (o, "layer"), ==, layers[i]);
      g_assert_cmpint (json_object_get_int_member (o, "channel"), ==, channels[i]);
    }
  /* Hidden 1: s = 317.5, clip 0.4; hidden 2 (no weights): scale 1, clip 127, SQNR null. */
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (groups, 1),
                                                    "scale"), ==, 317.5);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (groups, 2),
                                                    "clip"), ==, 127.0);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (groups, 2),
                                              "sqnr_db"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (groups, 4),
                                               "bias_zeroed"), ==, 1);
}

/* Issue 15 point 11: global_quantize casts θ·s to int64 before its rescale, so a rounded
 * value from 2^63 on breaks Rockpool (INT64_MIN, no rescale) and must fall back, while just
 * below it Rockpool is defined. The hidden range is 127, so s = 127/127 = 1 exactly. */
static void
test_global_rockpool_int64_bound (void)
{
  const struct {
    const char *theta;
    SqMode      mode_used;
  } cases[] = {
    { "9.223372036854774784e18", SQ_MODE_ROCKPOOL },   /* 2^63 − 1024, the double below */
    { "9.223372036854775808e18", SQ_MODE_SYNQUANT },   /* 2^63 */
    { "9.223372036854777856e18", SQ_MODE_SYNQUANT },   /* 2^63 + 2048, the double above */
    { "-9.223372036854775808e18", SQ_MODE_SYNQUANT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *theta = g_strdup_printf ("\"threshold\": [%s, 0.5]", cases[i].theta);
      g_autofree char *a = replace_once (spec_global, "[[0.5, -0.25]]", "[[127.0, -0.25]]");
      g_autofree char *json = replace_once (a, "\"threshold\": [1.0, 0.5]", theta);
      g_autoptr(SqXyloSpec) spec = load_spec (json);
      g_autoptr(SqQuantResult) res = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_ROCKPOOL, FALSE);

      if (res->mode_used != cases[i].mode_used)
        g_error ("θ = %s: mode_used %s", cases[i].theta, sq_mode_to_string (res->mode_used));
      if (cases[i].mode_used == SQ_MODE_ROCKPOOL)
        g_assert_cmpfloat (res->spec->param[SQ_PARAM_THRESHOLD].data[0], ==,
                           sq_quant_threshold_max (&res->params));
    }
}

/* Issue 15 point 10: a channel's fuzzy range sums like the layer's (numpy's pairwise sum).
 * One hidden neuron makes its column the whole layer, so both ranges must agree to the bit.
 * 1e16 + 1 rounds back to 1e16 (a tie, to even): a running sum loses all eight ones, numpy's
 * pairwise sum (eight partial sums for 9 values) adds pairs of them first and keeps them. */
static const char spec_sum_order[] =
  "{\"weights_in\": [[1e16], [1.0], [1.0], [1.0], [1.0], [1.0], [1.0], [1.0]],"
  " \"weights_rec\": [[1.0]], \"weights_out\": [[1.0]],"
  " \"threshold\": [1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4], \"dash_syn\": [2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

static void
test_channel_fuzzy_sum_order (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (spec_sum_order);
  g_autoptr(SqQuantResult) global = quantize (spec, SQ_METHOD_GLOBAL, SQ_MODE_SYNQUANT, TRUE);
  g_autoptr(SqQuantResult) channel = quantize (spec, SQ_METHOD_CHANNEL, SQ_MODE_SYNQUANT, TRUE);
  /* numpy: z = [1e16] + [1.0] * 8; m = abs (z.mean ()) + 2 * z.std (); by hand the pairwise
   * sum is at least 1e16 + 6, the running one 1e16. */
  double pairwise_mean = (1e16 + 6.0) / 9.0;

  g_assert_cmpfloat (group (global, 0)->range, ==, group (channel, 0)->range);
  g_assert_cmpfloat (group (global, 0)->scale, ==, group (channel, 0)->scale);
  g_assert_cmpfloat (group (channel, 0)->range, >, pairwise_mean);
  g_assert_true (pairwise_mean != 1e16 / 9.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/quantize/report/global-synquant", test_global_synquant);
  g_test_add_func ("/quantize/report/global-synquant-threshold-limited",
                   test_global_synquant_limited);
  g_test_add_func ("/quantize/report/global-synquant-bias-clipped",
                   test_global_synquant_bias_clipped);
  g_test_add_func ("/quantize/report/global-synquant-fuzzy", test_global_synquant_fuzzy);
  g_test_add_func ("/quantize/report/channel-synquant", test_channel_synquant);
  g_test_add_func ("/quantize/report/channel-synquant-fuzzy", test_channel_synquant_fuzzy);
  g_test_add_func ("/quantize/report/rockpool/out-of-range", test_rockpool_out_of_range);
  g_test_add_func ("/quantize/report/rockpool/dashes", test_rockpool_dashes);
  g_test_add_func ("/quantize/report/rockpool/defect-a", test_rockpool_defect_a);
  g_test_add_func ("/quantize/report/rockpool/defect-b", test_rockpool_defect_b);
  g_test_add_func ("/quantize/report/rockpool/defect-f", test_rockpool_defect_f);
  g_test_add_func ("/quantize/report/rockpool/defect-h", test_rockpool_defect_h);
  g_test_add_func ("/quantize/report/rockpool/global-bias-zeroed",
                   test_rockpool_global_bias_zeroed);
  g_test_add_func ("/quantize/report/rockpool/fuzzy-channel", test_rockpool_fuzzy_channel);
  g_test_add_func ("/quantize/report/fallback/fuzzy-nan", test_fallback_fuzzy_nan);
  g_test_add_func ("/quantize/report/fallback/channel-index-error", test_fallback_index_error);
  g_test_add_func ("/quantize/report/dashes/tau-eff", test_dash_tau_eff);
  g_test_add_func ("/quantize/report/dashes/clipped", test_dashes_clipped);
  g_test_add_func ("/quantize/report/dashes/zero", test_dashes_zero);
  g_test_add_func ("/quantize/report/input-unchanged", test_input_unchanged);
  g_test_add_func ("/quantize/report/invalid-params", test_invalid_params);
  g_test_add_func ("/quantize/report/spec-diagnose", test_spec_diagnose);
  g_test_add_func ("/quantize/report/json/global", test_json_global);
  g_test_add_func ("/quantize/report/json/channel", test_json_channel);
  g_test_add_func ("/quantize/report/global-rockpool-int64", test_global_rockpool_int64_bound);
  g_test_add_func ("/quantize/report/channel-fuzzy-sum-order", test_channel_fuzzy_sum_order);

  return g_test_run ();
}
