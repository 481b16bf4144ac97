/* test-transform.c: Rockpool's parameter transforms (sq-transform.h) — hand-computed cases,
 * Rockpool's documented even-levels rule, statistics of the random ones, the generator's
 * fixed values, the JSON reader's errors, burning draws into Xylo and DynapCNN networks,
 * and robustness runs that give the same figures on one thread and on many
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <synquant.h>

#include "sq-parallel-private.h"
#include "sq-test-samples.h"
#include "sq-test-utils.h"

static SqTransform
transform_of (SqTransformType type)
{
  SqTransform t;

  sq_transform_init (&t, type);
  return t;
}

static void
apply (const SqTransform *t,
       const double      *in,
       double            *out,
       gsize              n,
       guint64            seed)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_transform_apply_values (t, in, out, n, seed, 0, "g", &error));
  g_assert_no_error (error);
}

static void
assert_values (const double *got,
               const double *want,
               gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (got[i], ==, want[i]);
      g_assert_cmpint (signbit (got[i]), ==, signbit (want[i]));
    }
}

/* The counter-based generator: values a Python transcription of SplitMix64's finaliser
 * chained over the keys and FNV-1a gives, so a build that changed them would fail here. */
static void
test_generator (void)
{
  g_assert_cmpfloat (sq_transform_uniform (1, 2, 3, 4), ==, 0.8334472949893438);
  g_assert_cmpfloat (sq_transform_uniform (0, 0, 0, 0), ==, 0.1296456182997474);
  g_assert_cmpuint (sq_transform_key ("weights_rec"), ==,
                    G_GUINT64_CONSTANT (0xc651720cefc58cf3));
  g_assert_cmpfloat (sq_transform_uniform (42, 7, sq_transform_key ("weights_rec"), 99), ==,
                     0.8038247551985781);
}

/* Rockpool's docstring: deterministic_rounding([-1, -0.5, 0, 0.5, 1], num_levels=3) is
 * [-1, -1, 0, 1, 1]: levels (v + 1)/1 = 0, 0.5, 1, 1.5, 2 rounded half to even. */
static void
test_deterministic (void)
{
  const double in[] = { -1.0, -0.5, 0.0, 0.5, 1.0 };
  const double want[] = { -1.0, -1.0, 0.0, 1.0, 1.0 };
  SqTransform t = transform_of (SQ_TRANSFORM_DETERMINISTIC_ROUNDING);
  double out[5];

  t.num_levels = 3;
  apply (&t, in, out, 5, 0);
  assert_values (out, want, 5);

  /* [0, 10] in 11 levels without maintain_zero, the range given: 2.5 → 2 (even), 3.5 → 4,
   * 0.6 → 1. */
  {
    const double in2[] = { 2.5, 3.5, 0.6, 10.0 };
    const double want2[] = { 2.0, 4.0, 1.0, 10.0 };
    double out2[4];

    t.num_levels = 11;
    t.maintain_zero = FALSE;
    t.has_input_range = TRUE;
    t.input_range[0] = 0.0;
    t.input_range[1] = 10.0;
    apply (&t, in2, out2, 4, 0);
    assert_values (out2, want2, 4);
  }
}

/* Rockpool's maintain_zero with an even number of levels: 0 sits on level (L − 1)/2 = 7.5
 * and is no level. The QuantTorch example ([−7, 8], 16 levels) maps 0 to 1; stochastic
 * rounding sends it to either neighbour, each about half the time. */
static void
test_even_levels (void)
{
  const double in[] = { -1.0, 0.0, 1.0 };
  SqTransform t = transform_of (SQ_TRANSFORM_DETERMINISTIC_ROUNDING);
  double out[3];
  enum { N = 100000 };
  g_autofree double *zeros = g_new0 (double, N);
  g_autofree double *rounded = g_new (double, N + 1);
  gsize up = 0, down = 0;

  t.num_levels = 16;
  t.has_output_range = TRUE;
  t.output_range[0] = -7.0;
  t.output_range[1] = 8.0;
  apply (&t, in, out, 3, 0);
  g_assert_cmpfloat (out[0], ==, -7.0);
  g_assert_cmpfloat (out[1], ==, 1.0);
  g_assert_cmpfloat (out[2], ==, 8.0);

  /* Stochastic, the data's range [−1, 1] (the first value sets it): 0 → ±q/2, q = 2/15. */
  t.type = SQ_TRANSFORM_STOCHASTIC_ROUNDING;
  t.has_output_range = FALSE;
  zeros[0] = 1.0;
  apply (&t, zeros, rounded, N, 3);
  for (gsize i = 1; i < N; i++)
    {
      g_assert_cmpfloat (fabs (fabs (rounded[i]) - 1.0 / 15.0), <, 1e-15);
      up += rounded[i] > 0.0;
      down += rounded[i] < 0.0;
    }
  g_assert_cmpuint (up + down, ==, N - 1);
  /* Half each: within 4σ = 4·√(n/4). */
  g_assert_cmpfloat (fabs ((double) up - (N - 1) / 2.0), <, 4.0 * sqrt ((N - 1) / 4.0));
}

/* exact_zero: 16 levels become 15 about 0, so 0 is a level and stays exactly 0. */
static void
test_exact_zero (void)
{
  const double in[] = { -1.0, 0.0, 0.5, 1.0, -0.0 };
  const double want[] = { -7.0, 0.0, 4.0, 7.0, 0.0 };
  SqTransform t = transform_of (SQ_TRANSFORM_DETERMINISTIC_ROUNDING);
  double out[5];
  enum { N = 10000 };
  g_autofree double *values = g_new0 (double, N);

  t.num_levels = 16;
  t.exact_zero = TRUE;
  t.has_output_range = TRUE;
  t.output_range[0] = -7.0;
  t.output_range[1] = 7.0;
  /* 0.5 → level 3.5 → 4 (half to even). */
  apply (&t, in, out, 5, 0);
  assert_values (out, want, 5);

  t.type = SQ_TRANSFORM_STOCHASTIC_ROUNDING;
  t.has_input_range = TRUE;
  t.input_range[0] = -1.0;
  t.input_range[1] = 1.0;
  values[0] = 0.3;
  values[1] = -0.3;
  apply (&t, values, values, N, 9);
  for (gsize i = 2; i < N; i++)
    g_assert_cmpfloat (values[i], ==, 0.0);
  /* 0.3 · 7 = 2.1: level 2 or 3. */
  g_assert_true (values[0] == 2.0 || values[0] == 3.0);
  g_assert_true (values[1] == -2.0 || values[1] == -3.0);
}

/* Stochastic rounding is unbiased: over 10^5 draws the mean error is within 4σ/√n, σ the
 * standard deviation of one draw, q·√(f(1 − f)) for a value at fraction f between levels. */
static void
test_stochastic_unbiased (void)
{
  const double values[] = { 0.3, -0.77, 0.05, 0.999 };
  enum { N = 100000 };
  g_autofree double *in = g_new (double, N);
  g_autofree double *out = g_new (double, N);
  SqTransform t = transform_of (SQ_TRANSFORM_STOCHASTIC_ROUNDING);

  t.num_levels = 9;
  t.has_input_range = TRUE;
  t.input_range[0] = -1.0;
  t.input_range[1] = 1.0;
  for (guint k = 0; k < G_N_ELEMENTS (values); k++)
    {
      double v = values[k], q = 0.25, f = (v + 1.0) / q - floor ((v + 1.0) / q);
      double sigma = q * sqrt (f * (1.0 - f)), sum = 0.0;

      for (gsize i = 0; i < N; i++)
        in[i] = v;
      apply (&t, in, out, N, 100 + k);
      for (gsize i = 0; i < N; i++)
        {
          /* Only the two neighbouring levels. */
          g_assert_cmpfloat (fabs (out[i] - v), <, q);
          sum += out[i] - v;
        }
      g_assert_cmpfloat (fabs (sum / N), <=, 4.0 * sigma / sqrt (N));
    }
}

/* Dropout zeroes each value with its probability, without rescaling the others. */
static void
test_dropout (void)
{
  const double probabilities[] = { 0.1, 0.5, 0.9 };
  enum { N = 100000 };
  g_autofree double *in = g_new (double, N);
  g_autofree double *out = g_new (double, N);
  SqTransform t = transform_of (SQ_TRANSFORM_DROPOUT);

  for (gsize i = 0; i < N; i++)
    in[i] = 1.0 + (double) i;
  for (guint k = 0; k < G_N_ELEMENTS (probabilities); k++)
    {
      double p = probabilities[k];
      gsize zeros = 0;

      t.probability = p;
      apply (&t, in, out, N, k);
      for (gsize i = 0; i < N; i++)
        {
          if (out[i] == 0.0)
            zeros++;
          else
            g_assert_cmpfloat (out[i], ==, in[i]);
        }
      g_assert_cmpfloat (fabs ((double) zeros / N - p), <=, 4.0 * sqrt (p * (1.0 - p) / N));
    }
  t.probability = 0.0;
  apply (&t, in, out, N, 0);
  assert_values (out, in, N);
}

/* t_decay, Rockpool's docstring: 0.4156 → 0, 0.8306 → 0.75, 0.9475 → 0.9375,
 * 0.9380 → 0.9375, 0.7212 → 0.75 (N = round(log2(−1/ln α)), clipped at 0). α = e^(−1/√2)·…:
 * log2 exactly 0.5 would round to 0 (half to even). */
static void
test_decays (void)
{
  const double alpha[] = { 0.4156, 0.8306, 0.9475, 0.9380, 0.7212, 0.999 };
  /* 0.999: −1/ln α = 999.5, log2 = 9.965 → 10. */
  const double want[] = { 0.0, 0.75, 0.9375, 0.9375, 0.75, 1.0 - 1.0 / 1024.0 };
  const double tau[] = { 0.0055, 0.0006, 0.003, 0.0235 };
  /* log2(τ/dt) = 2.46 → 2, −0.74 → 0, 1.58 → 2, 4.55 → 5. */
  const double snapped[] = { 0.004, 0.001, 0.004, 0.032 };
  const double half[] = { 2.5, 3.5, -0.5, -1.5, 0.4999 };
  const double rounded[] = { 2.0, 4.0, -0.0, -2.0, 0.0 };
  SqTransform t = transform_of (SQ_TRANSFORM_T_DECAY);
  double out[6];
  g_autoptr(GError) error = NULL;
  const double bad[] = { 0.5, 1.0 };

  apply (&t, alpha, out, 6, 0);
  assert_values (out, want, 6);
  g_assert_false (sq_transform_apply_values (&t, bad, out, 2, 0, 0, "alpha", &error));
  g_assert_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "alpha[1]"));
  g_clear_error (&error);

  t = transform_of (SQ_TRANSFORM_BITSHIFT_DECAY);
  apply (&t, tau, out, 4, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (fabs (out[i] - snapped[i]), <, 1e-18);

  t = transform_of (SQ_TRANSFORM_ROUND);
  apply (&t, half, out, 5, 0);
  assert_values (out, rounded, 5);
}

/* ---------------------------------------------------------------------------------------- */
/* The file                                                                                  */

static SqTransformConfig *
config_of (const char  *json,
           GError     **error)
{
  return sq_transform_config_load_data (json, strlen (json), "t.json", error);
}

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqTransformConfig) c = config_of (
    "{\"transforms\": ["
    " {\"family\": \"weights\", \"transform\": \"stochastic_rounding\", \"num_levels\": 15,"
    "  \"input_range\": [-2, 2], \"output_range\": [-7, 7], \"exact_zero\": true},"
    " {\"group\": \"weights_rec\", \"transform\": \"dropout\", \"probability\": 0.25},"
    " {\"family\": \"taus\", \"transform\": \"bitshift_decay\", \"dt\": 0.002}]}", &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *again = NULL;
  g_autoptr(SqTransformConfig) c2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (c->n_entries, ==, 3);
  g_assert_cmpint (c->entries[0].family, ==, SQ_FAMILY_WEIGHTS);
  g_assert_cmpuint (c->entries[0].transform.num_levels, ==, 15);
  g_assert_true (c->entries[0].transform.exact_zero);
  g_assert_cmpfloat (c->entries[0].transform.output_range[1], ==, 7.0);
  g_assert_cmpstr (c->entries[1].group, ==, "weights_rec");
  g_assert_cmpfloat (c->entries[1].transform.probability, ==, 0.25);
  g_assert_cmpfloat (c->entries[2].transform.dt, ==, 0.002);
  g_assert_true (sq_transform_config_is_random (c));

  /* What the report writes reads back the same. */
  node = sq_transform_config_to_json (c);
  again = json_to_string (node, FALSE);
  c2 = config_of (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c2->n_entries, ==, 3);
  g_assert_cmpint (memcmp (&c2->entries[0].transform, &c->entries[0].transform,
                           sizeof (SqTransform)), ==, 0);
}

static void
test_json_errors (void)
{
  static const struct {
    const char *json;
    int         code;
    const char *message;
  } cases[] = {
    { "", SQ_TRANSFORM_ERROR_SYNTAX, "t.json" },
    { "{\"transforms\": [", SQ_TRANSFORM_ERROR_SYNTAX, "t.json" },
    { "[]", SQ_TRANSFORM_ERROR_KEY, "t.json: expected an object with “transforms”, not an array" },
    { "{}", SQ_TRANSFORM_ERROR_KEY, "t.json: transforms: expected an array of transforms, not nothing" },
    { "{\"transforms\": [], \"seed\": 1}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: seed: unknown key; expected only “transforms”" },
    { "{\"transforms\": [3]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0]: expected an object, not a number" },
    { "{\"transforms\": [{\"transform\": \"round\"}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].family, group: expected exactly one of them" },
    { "{\"transforms\": [{\"family\": \"weights\", \"group\": \"x\", \"transform\": \"round\"}]}",
      SQ_TRANSFORM_ERROR_KEY, "t.json: transforms[0].family, group: expected exactly one of them" },
    { "{\"transforms\": [{\"family\": \"weight\", \"transform\": \"round\"}]}",
      SQ_TRANSFORM_ERROR_VALUE, "t.json: transforms[0].family: unknown “weight”; use weights, "
      "biases, taus, decays, bitshifts, thresholds" },
    { "{\"transforms\": [{\"family\": \"weights\"}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].transform: missing; expected the name of a transform" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"floor\"}]}",
      SQ_TRANSFORM_ERROR_VALUE, "t.json: transforms[0].transform: unknown “floor”; use "
      "stochastic_rounding, deterministic_rounding, dropout, t_decay, round, bitshift_decay" },
    { "{\"transforms\": [{\"group\": 3, \"transform\": \"round\"}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].group: expected a string, not a number" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\", "
      "\"num_levels\": 3}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].num_levels: dropout takes no such parameter" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"round\", \"levels\": 3}]}",
      SQ_TRANSFORM_ERROR_KEY, "t.json: transforms[0].levels: unknown key" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\", "
      "\"probability\": 1.5}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].probability: expected a number from 0 to 1, not 1.5" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\", "
      "\"probability\": \"0.5\"}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].probability: expected a number, not a string" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"num_levels\": 1}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].num_levels: expected from 2 to 16777216 levels, not 1" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"num_levels\": 2.5}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].num_levels: expected a whole number, not a number" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"input_range\": [1, 1]}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].input_range: expected a finite low below a finite high, not [1, 1]" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"output_range\": [1]}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].output_range: expected [low, high], two numbers" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"maintain_zero\": 1}]}", SQ_TRANSFORM_ERROR_KEY,
      "t.json: transforms[0].maintain_zero: expected true or false, not a number" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"exact_zero\": true, \"maintain_zero\": false}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].exact_zero: needs maintain_zero (a range symmetric about 0)" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"exact_zero\": true, \"output_range\": [-8, 7]}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].output_range: exact_zero needs a range symmetric about 0, [−a, a]" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
      "\"exact_zero\": true, \"num_levels\": 2}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].exact_zero: needs 3 or more levels" },
    { "{\"transforms\": [{\"family\": \"decays\", \"transform\": \"t_decay\", \"dt\": 0}]}",
      SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[0].dt: expected a number above 0 and at most 1e+06, not 0" },
    { "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"round\"},"
      " {\"family\": \"weights\", \"transform\": \"dropout\"}]}", SQ_TRANSFORM_ERROR_VALUE,
      "t.json: transforms[1].family: “weights” already has a transform in transforms[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SqTransformConfig) c = config_of (cases[i].json, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (c);
      g_assert_error (error, SQ_TRANSFORM_ERROR, cases[i].code);
      if (cases[i].code == SQ_TRANSFORM_ERROR_SYNTAX)
        g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Networks                                                                                  */

static SqNetwork *
load_example (const char *name)
{
  g_autofree char *dir = g_path_get_dirname (g_getenv ("SQ_EXAMPLE_TRAINED"));
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  SqNetwork *n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static const SqTensor *
group_values (const SqNetwork *n,
              const char      *id)
{
  guint i;

  g_assert_true (sq_network_find_group (n, id, &i));
  return sq_network_get_group (n, i)->values;
}

static gboolean
same_values (const SqTensor *a,
             const SqTensor *b)
{
  return a->n == b->n && memcmp (a->data, b->data, a->n * sizeof (double)) == 0;
}

/* @network quantizes with the kind's default settings to an integer network. */
static void
assert_quantizes (SqNetwork *network)
{
  SqQuantSettings s;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sq_quant_settings_init (&s, network->kind);
  r = sq_network_quantize (network, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (r->quantized->is_integer);
}

static void
test_xylo_network (void)
{
  g_autoptr(SqNetwork) n = load_example ("small.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqTransformConfig) c = config_of (
    "{\"transforms\": ["
    " {\"family\": \"weights\", \"transform\": \"dropout\", \"probability\": 0.5},"
    " {\"group\": \"weights_out\", \"transform\": \"round\"},"
    " {\"family\": \"bitshifts\", \"transform\": \"round\"}]}", &error);
  g_autoptr(SqNetwork) a = NULL, b = NULL, other = NULL;
  const SqTensor *w, *wa, *d;

  g_assert_no_error (error);
  a = sq_transform_config_apply (c, n, 7, 3, &error);
  g_assert_no_error (error);
  b = sq_transform_config_apply (c, n, 7, 3, &error);
  g_assert_no_error (error);
  other = sq_transform_config_apply (c, n, 7, 4, &error);
  g_assert_no_error (error);
  g_assert_true (a->kind == n->kind);
  g_assert_false (a->is_integer);

  /* Families: every weight group but weights_out (its own entry wins) lost about half its
   * values; thresholds and biases are no family here and stay. */
  w = group_values (n, "weights_in");
  wa = group_values (a, "weights_in");
  for (gsize i = 0; i < w->n; i++)
    g_assert_true (wa->data[i] == 0.0 || wa->data[i] == w->data[i]);
  g_assert_false (same_values (w, wa));
  g_assert_true (same_values (group_values (a, "weights_in"), group_values (b, "weights_in")));
  g_assert_false (same_values (group_values (a, "weights_rec"),
                               group_values (other, "weights_rec")));
  w = group_values (n, "weights_out");
  wa = group_values (a, "weights_out");
  for (gsize i = 0; i < w->n; i++)
    g_assert_cmpfloat (wa->data[i], ==, nearbyint (w->data[i]));
  d = group_values (a, "dash_mem");
  for (gsize i = 0; i < d->n; i++)
    g_assert_cmpfloat (d->data[i], ==, nearbyint (group_values (n, "dash_mem")->data[i]));
  g_assert_true (same_values (group_values (n, "threshold"), group_values (a, "threshold")));
  g_assert_true (same_values (group_values (n, "bias"), group_values (a, "bias")));

  /* The drawn network quantizes like any other. */
  assert_quantizes (a);
}

static void
test_unknown_group (void)
{
  g_autoptr(SqNetwork) n = load_example ("small.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqTransformConfig) c = config_of (
    "{\"transforms\": [{\"group\": \"weights_hid\", \"transform\": \"round\"}]}", &error);
  g_autoptr(SqNetwork) a = NULL;

  g_assert_no_error (error);
  a = sq_transform_config_apply (c, n, 0, 0, &error);
  g_assert_null (a);
  g_assert_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_GROUP);
  g_assert_true (g_str_has_prefix (error->message, "t.json: transforms[0].group: the network "
                                   "has no group “weights_hid”; its groups are weights_in, "));
}

/* DynapCNN: weights, biases and thresholds are families; the initial membrane is not. */
static void
test_dynapcnn_network (void)
{
  g_autoptr(SqNetwork) n = load_example ("dvs-cnn.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqTransformConfig) c = config_of (
    "{\"transforms\": ["
    " {\"family\": \"weights\", \"transform\": \"deterministic_rounding\", \"num_levels\": 3},"
    " {\"family\": \"thresholds\", \"transform\": \"round\"}]}", &error);
  g_autoptr(SqNetwork) a = NULL;

  g_assert_no_error (error);
  a = sq_transform_config_apply (c, n, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sq_network_n_groups (a), ==, sq_network_n_groups (n));
  for (guint i = 0; i < sq_network_n_groups (n); i++)
    {
      const SqGroup *g = sq_network_get_group (n, i), *ga = sq_network_get_group (a, i);

      g_assert_cmpstr (g->id, ==, ga->id);
      if (g->family == SQ_FAMILY_WEIGHTS)
        {
          /* Three levels: −M, 0, M. */
          double m = 0.0;

          for (gsize k = 0; k < g->values->n; k++)
            m = MAX (m, fabs (g->values->data[k]));
          for (gsize k = 0; k < g->values->n; k++)
            g_assert_true (ga->values->data[k] == 0.0 || fabs (ga->values->data[k]) == m);
        }
      else if (g->family == SQ_FAMILY_THRESHOLDS)
        g_assert_cmpfloat (ga->values->data[0], ==, nearbyint (g->values->data[0]));
      else
        g_assert_true (same_values (g->values, ga->values));
      g_assert_true (g->family != SQ_FAMILY_NONE || g->role == SQ_ROLE_STATE);
    }
}

/* Fixed point: weights (and recurrent weights) and biases are families; the neuron's group
 * (θ, 1/τ) is none, but can be named; the drawn network is written as a layer file that
 * loads back to the same values, and quantizes. */
static void
test_fxp_network (void)
{
  static const char json[] =
    "{\"input_shape\": [2], \"layers\": ["
    " {\"type\": \"linear\", \"weight\": [[0.5, -0.25], [1.0, 0.75], [0.3, -1.6]],"
    "  \"bias\": [0.1, -0.2, 0.05], \"neuron\": {\"type\": \"lif\", \"tau\": 4,"
    "  \"v_threshold\": 1.2, \"v_reset\": null}},"
    " {\"type\": \"linear\", \"weight\": [[0.4, -2.5, 1.5]],"
    "  \"neuron\": {\"type\": \"if\", \"v_threshold\": 0.7, \"v_reset\": null}}]}";
  g_autoptr(SqNetwork) n = sq_test_load_network (json, -1, "fxp.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqTransformConfig) c = config_of (
    "{\"transforms\": ["
    " {\"family\": \"weights\", \"transform\": \"round\"},"
    " {\"family\": \"biases\", \"transform\": \"dropout\", \"probability\": 1},"
    " {\"group\": \"layers[1].v\", \"transform\": \"round\"}]}", &error);
  g_autoptr(SqTransformConfig) zero_rate = config_of (
    "{\"transforms\": [{\"group\": \"layers[0].v\", \"transform\": \"round\"}]}", &error);
  g_autoptr(SqNetwork) a = NULL, back = NULL, none = NULL;
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "drawn.json", NULL);
  const double w0[6] = { 0, -0.0, 1, 1, 0, -2 }, w1[3] = { 0, -2, 2 };

  g_assert_no_error (error);
  g_assert_cmpint (sq_network_get_group (n, 0)->family, ==, SQ_FAMILY_WEIGHTS);
  a = sq_transform_config_apply (c, n, 5, 0, &error);
  g_assert_no_error (error);
  g_assert_true (a->kind == n->kind);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (group_values (a, "layers[0].weight")->data[i], ==, w0[i]);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (group_values (a, "layers[1].weight")->data[i], ==, w1[i]);
      g_assert_cmpfloat (group_values (a, "layers[0].bias")->data[i], ==, 0.0);
    }
  /* Layer 0's θ and 1/τ have no family and stay; layer 1's θ 0.7 rounds to 1. */
  g_assert_true (same_values (group_values (n, "layers[0].v"), group_values (a, "layers[0].v")));
  g_assert_cmpfloat (group_values (a, "layers[0].v")->data[1], ==, 0.25);
  g_assert_cmpuint (group_values (a, "layers[1].v")->n, ==, 1);
  g_assert_cmpfloat (group_values (a, "layers[1].v")->data[0], ==, 1.0);

  g_assert_true (sq_network_write (a, path, &error));
  g_assert_no_error (error);
  back = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sq_network_n_groups (a); i++)
    g_assert_true (same_values (sq_network_get_group (a, i)->values,
                                sq_network_get_group (back, i)->values));
  assert_quantizes (a);

  /* 1/τ = 0.25 rounds to 0: no time constant, and the error says which. */
  none = sq_transform_config_apply (zero_rate, n, 0, 0, &error);
  g_assert_null (none);
  g_assert_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, "layers[0].neuron.tau is 0: expected a time "
                                   "constant of at least 1 step"));
  sq_test_remove_tree (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Robustness                                                                                */

static SqRobustness *
robustness_on (guint    threads,
               gboolean integer)
{
  g_autofree char *json = sq_test_tiny_json ("10.5");
  g_autoptr(SqNetwork) n = sq_test_load_network (json, -1, "tiny.json");
  g_autofree guint8 *x = sq_test_four_samples ();
  const gint64 y[4] = { 0, 1, 0, 1 };
  g_autoptr(GBytes) bytes = sq_test_samples_npz (x, 4, y, 4);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = sq_sample_set_load_data (data, len, "set.npz", 2, &error);
  g_autoptr(SqTransformConfig) c = config_of (
    "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\","
    " \"probability\": 0.3}]}", &error);
  SqQuantSettings s;
  SqRobustnessOptions options = { 40, 11, NULL, NULL };
  SqRobustness *r;

  g_assert_no_error (error);
  if (integer)
    {
      sq_quant_settings_init (&s, n->kind);
      options.settings = &s;
    }
  _sq_parallel_set_threads (threads);
  r = sq_robustness_run (n, c, set, &options, NULL, NULL, NULL, &error);
  _sq_parallel_set_threads (0);
  g_assert_no_error (error);
  return r;
}

static void
test_robustness_threads (void)
{
  for (int integer = 0; integer < 2; integer++)
    {
      g_autoptr(SqRobustness) one = robustness_on (1, integer);
      g_autoptr(SqRobustness) many = robustness_on (4, integer);
      gsize agree_all = 0, agree_none = 0;

      g_assert_cmpint (memcmp (one->draws, many->draws,
                               one->n_draws * sizeof (SqRobustnessFigures)), ==, 0);
      g_assert_cmpint (memcmp (&one->agreement, &many->agreement, sizeof (SqDistribution)), ==,
                       0);
      g_assert_cmpint (memcmp (&one->events, &many->events, sizeof (SqDistribution)), ==, 0);
      /* The untransformed float model agrees with itself; draws spread. */
      if (!integer)
        g_assert_cmpuint (one->plain.n_class_agree, ==, 4);
      for (guint k = 0; k < one->n_draws; k++)
        {
          agree_all += one->draws[k].n_class_agree == 4;
          agree_none += one->draws[k].n_class_agree < 4;
        }
      g_assert_cmpuint (agree_all, >, 0);
      g_assert_cmpuint (agree_none, >, 0);
      g_assert_cmpfloat (one->agreement.min, <=, one->agreement.median);
      g_assert_cmpfloat (one->agreement.median, <=, one->agreement.max);
      g_assert_true (one->has_labels);
    }
}

/* numpy.quantile's linear rule on hand-checked values. */
static void
test_distribution (void)
{
  double v[] = { 4.0, 1.0, 3.0, 2.0, 10.0 };
  SqDistribution d;

  sq_distribution_of (&d, v, 5);
  g_assert_cmpfloat (d.mean, ==, 4.0);
  g_assert_cmpfloat (d.sd, ==, sqrt (50.0 / 4.0));
  g_assert_cmpfloat (d.min, ==, 1.0);
  g_assert_cmpfloat (d.q1, ==, 2.0);
  g_assert_cmpfloat (d.median, ==, 3.0);
  g_assert_cmpfloat (d.q3, ==, 4.0);
  g_assert_cmpfloat (d.max, ==, 10.0);
  {
    double w[] = { 1.0, 2.0 };

    sq_distribution_of (&d, w, 2);
    g_assert_cmpfloat (d.q1, ==, 1.25);
    g_assert_cmpfloat (d.median, ==, 1.5);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transform/generator", test_generator);
  g_test_add_func ("/transform/deterministic", test_deterministic);
  g_test_add_func ("/transform/even-levels", test_even_levels);
  g_test_add_func ("/transform/exact-zero", test_exact_zero);
  g_test_add_func ("/transform/stochastic-unbiased", test_stochastic_unbiased);
  g_test_add_func ("/transform/dropout", test_dropout);
  g_test_add_func ("/transform/decays", test_decays);
  g_test_add_func ("/transform/json", test_json);
  g_test_add_func ("/transform/json-errors", test_json_errors);
  g_test_add_func ("/transform/xylo", test_xylo_network);
  g_test_add_func ("/transform/unknown-group", test_unknown_group);
  g_test_add_func ("/transform/dynapcnn", test_dynapcnn_network);
  g_test_add_func ("/transform/fxp", test_fxp_network);
  g_test_add_func ("/transform/distribution", test_distribution);
  g_test_add_func ("/transform/robustness-threads", test_robustness_threads);
  return g_test_run ();
}
