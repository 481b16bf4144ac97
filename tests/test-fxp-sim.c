/* test-fxp-sim.c: the fixed-point integer core against hand-computed steps — IF, LIF with and
 * without decay_input, soft and hard reset, ATIF, the synapse, both roundings, the reference
 * generator's LIF shift, pooling, wraps and saturations counted, the float model beside it,
 * and the overflow advice.
 *
 * Most cases run in force_q = 4 (every value Q3.4 in int8, Δ = 1/16, a 16-bit accumulator):
 * an input of 1 is 16, a weight of 0.75 is 12, the sum 12·16 = 192 in Q8 becomes
 * S(192, 4 + 4 − 4) = 12 in Q4, θ = 1 is 16 and a spike is 1≪4 = 16.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

typedef struct {
  SqFxpNet  *net;
  SqFxpQNet *q;
  SqFxpRun   run;
  SqFxpRun   fl;
} Sim;

static void
sim_clear (Sim *s)
{
  sq_fxp_run_clear (&s->run);
  sq_fxp_run_clear (&s->fl);
  g_clear_pointer (&s->q, sq_fxp_qnet_free);
  g_clear_pointer (&s->net, sq_fxp_net_free);
}

/* Loads @json, quantizes it with @settings (or force_q = 4 with @round), runs @steps steps of
 * the constant input @x on both cores. */
static void
sim_run (Sim                 *s,
         const char          *json,
         const SqFxpSettings *settings,
         SqFxpRound           round,
         guint                steps,
         double               x)
{
  g_autoptr(GError) error = NULL;
  SqFxpSettings own;
  SqTensor input = { 0, };
  gsize n_in;

  memset (s, 0, sizeof *s);
  s->net = sq_fxp_net_load_json_data (json, strlen (json), "net.json", &error);
  g_assert_no_error (error);
  n_in = sq_fxp_shape_size (s->net->input_shape);
  sq_fxp_settings_init (&own);
  own.scheme = SQ_FXP_SCHEME_FORCE_Q;
  own.force_q = 4;
  own.round = round;
  s->q = sq_fxp_quantize (s->net, settings ? settings : &own, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_tensor_init (&input, 2, (gsize[2]) { steps, n_in }, NULL));
  for (gsize i = 0; i < input.n; i++)
    input.data[i] = x;
  g_assert_true (sq_fxp_run_int (s->q, &input, NULL, &s->run, &error));
  g_assert_no_error (error);
  g_assert_true (sq_fxp_run_float (s->net, &input, NULL, &s->fl, &error));
  g_assert_no_error (error);
  sq_tensor_clear (&input);
  sq_fxp_settings_clear (&own);
}

static void
assert_out (const SqFxpRun *run,
            const double   *want,
            gsize           n)
{
  g_assert_cmpuint (run->n_steps * run->n_out, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_test_message ("out[%zu] = %g, expected %g", i, run->out[i], want[i]);
      g_assert_cmpfloat (run->out[i], ==, want[i]);
    }
}

#define LINEAR_075 \
  "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": [[0.75]], "
#define LINEAR_150 \
  "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": [[1.5]], "

/* IF, soft reset: H = v + 12 against Θ = 16. v: 12; 24 − 16 = 8 (spike); 20 → 4 (spike);
 * 16 → 0 (H − Θ = 0 fires); 12. The float model: 0.75, 1.5 → 0.5, 1.25 → 0.25, 1 → 0, 0.75:
 * the same spikes. */
static void
test_if_soft (void)
{
  Sim s;
  const double want[] = { 0, 16, 16, 16, 0 }, fwant[] = { 0, 1, 1, 1, 0 };

  sim_run (&s, LINEAR_075 "\"neuron\": {\"type\": \"if\", \"v_threshold\": 1, "
           "\"v_reset\": null}}]}",
           NULL, SQ_FXP_ROUND_NEAREST, 5, 1.0);
  assert_out (&s.run, want, 5);
  assert_out (&s.fl, fwant, 5);
  g_assert_cmpfloat (s.run.v[0][0], ==, 12);
  g_assert_cmpfloat (s.fl.v[0][0], ==, 0.75);
  g_assert_cmpuint (s.run.spikes[0], ==, 3);
  g_assert_cmpuint (sq_fxp_run_overflows (&s.run, 0), ==, 0);
  sim_clear (&s);
}

/* IF, hard reset to 0.25 (4): 12; 24 fires → 4; 16 fires → 4; … */
static void
test_if_hard (void)
{
  Sim s;
  const double want[] = { 0, 16, 16, 16, 16 };

  sim_run (&s, LINEAR_075 "\"neuron\": {\"type\": \"if\", \"v_threshold\": 1, "
           "\"v_reset\": 0.25}}]}",
           NULL, SQ_FXP_ROUND_NEAREST, 5, 1.0);
  assert_out (&s.run, want, 5);
  g_assert_cmpfloat (s.run.v[0][0], ==, 4);
  sim_clear (&s);
}

/* LIF with decay_input, τ = 2 (r = 8), soft reset, X = 24 (1.5):
 *   d = X − V, H = V + S(d·8, 4):
 *   1: 0 + S(192, 4) = 12
 *   2: 12 + S(96, 4) = 18 fires → 2
 *   3: 2 + S(176, 4) = 2 + 11 = 13
 *   4: 13 + S(88, 4): 5.5 → nearest 6 → 19 fires → 3; floor 5 → 18 fires → 2 */
static void
test_lif_decay_input (void)
{
  const char *json = LINEAR_150 "\"neuron\": {\"type\": \"lif\", \"tau\": 2, \"v_threshold\": 1, "
                     "\"v_reset\": null}}]}";
  const double want[] = { 0, 16, 0, 16 };
  Sim s;

  sim_run (&s, json, NULL, SQ_FXP_ROUND_NEAREST, 4, 1.0);
  assert_out (&s.run, want, 4);
  g_assert_cmpfloat (s.run.v[0][0], ==, 3);
  sim_clear (&s);
  sim_run (&s, json, NULL, SQ_FXP_ROUND_FLOOR, 4, 1.0);
  assert_out (&s.run, want, 4);
  g_assert_cmpfloat (s.run.v[0][0], ==, 2);
  /* Float: 0.75; 1.125 fires → 0.125; 0.8125; 1.15625 fires → 0.15625. */
  g_assert_cmpfloat (s.fl.v[0][0], ==, 0.15625);
  sim_clear (&s);
}

/* LIF without decay_input, hard reset to 0, X = 12: H = V − S(V·8, 4) + 12:
 * 12; 12 − 6 + 12 = 18 fires → 0; 12; 18 fires → 0. */
static void
test_lif_no_decay_input (void)
{
  const double want[] = { 0, 16, 0, 16 };
  Sim s;

  sim_run (&s, LINEAR_075 "\"neuron\": {\"type\": \"lif\", \"tau\": 2, \"decay_input\": false, "
           "\"v_threshold\": 1, \"v_reset\": 0}}]}", NULL, SQ_FXP_ROUND_NEAREST, 4, 1.0);
  assert_out (&s.run, want, 4);
  g_assert_cmpfloat (s.run.v[0][0], ==, 0);
  sim_clear (&s);
}

/* ATIF: θ = 0.5 (8), graded output θ in Q4 = 8, one spike per step: H 12 → 4, 16 → 8,
 * 20 → 12. */
static void
test_atif (void)
{
  const double want[] = { 8, 8, 8 }, fwant[] = { 0.5, 0.5, 0.5 };
  Sim s;

  sim_run (&s, LINEAR_075 "\"neuron\": {\"type\": \"atif\", \"v_threshold\": 0.5}}]}", NULL,
           SQ_FXP_ROUND_NEAREST, 3, 1.0);
  assert_out (&s.run, want, 3);
  assert_out (&s.fl, fwant, 3);
  g_assert_cmpfloat (s.run.v[0][0], ==, 12);
  sim_clear (&s);
}

/* A synapse τ_syn = 2 before an IF (soft reset): I ← I + S((12 − I)·8, 4): 6, 9, 11;
 * v: 6, 15, 26 fires → 10. Float: I 0.375, 0.5625, 0.65625; v 0.375, 0.9375, 1.59375 fires
 * → 0.59375. */
static void
test_synapse (void)
{
  const double want[] = { 0, 0, 16 }, fwant[] = { 0, 0, 1 };
  Sim s;

  sim_run (&s, LINEAR_075 "\"neuron\": {\"type\": \"if\", \"v_threshold\": 1, \"v_reset\": null, "
           "\"tau_syn\": 2}}]}", NULL, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  assert_out (&s.run, want, 3);
  assert_out (&s.fl, fwant, 3);
  g_assert_cmpfloat (s.run.syn[0][0], ==, 11);
  g_assert_cmpfloat (s.run.v[0][0], ==, 10);
  g_assert_cmpfloat (s.fl.v[0][0], ==, 0.59375);
  sim_clear (&s);
}

/* The reference generator's LIF shift. The activation in Q5, the membrane in Q3 (n_v < n_x,
 * n_t = 5): a = S(192, 4 + 4 − 5) = 24, r = 0.5 in Q3 = 4, d·r = 24·4 = 96 in Q8.
 * Shifted by n_v = 3: 12 in Q5 (0.375 = 0.75/2, right), v = S(12, 2) = 3 in Q3.
 * Shifted by n_t = 5 (compat qualia): 3 in Q5, v = S(3, 2) = ⌊0.75 + 0.5⌋ = 1. */
static void
test_compat_qualia (void)
{
  const char *json = LINEAR_075 "\"neuron\": {\"type\": \"lif\", \"tau\": 2, \"v_threshold\": 1, "
                     "\"v_reset\": null}}]}";
  SqFxpSettings set;
  Sim s;

  sq_fxp_settings_init (&set);
  set.scheme = SQ_FXP_SCHEME_FORCE_Q;
  set.force_q = 4;
  sq_fxp_settings_set_layer_count (&set, 1);
  set.layers[0].force_n[SQ_FXP_ACT] = 5;
  set.layers[0].force_n[SQ_FXP_V] = 3;
  sim_run (&s, json, &set, SQ_FXP_ROUND_NEAREST, 1, 1.0);
  g_assert_cmpint (s.q->layers[0].r, ==, 4);
  g_assert_cmpfloat (s.run.v[0][0], ==, 3);
  sim_clear (&s);
  set.compat_qualia = TRUE;
  sim_run (&s, json, &set, SQ_FXP_ROUND_NEAREST, 1, 1.0);
  g_assert_cmpfloat (s.run.v[0][0], ==, 1);
  sim_clear (&s);
  sq_fxp_settings_clear (&set);
}

/* A 2 × 2 convolution of halves over a 3 × 3 map of ones: 4 · 8·16 = 512 in Q8 → 32 (2.0) at
 * each of the 2 × 2 outputs. Average pooling 2 × 2 keeps 32; sum pooling gives 128, beyond
 * int8: saturated to 127, one event per step. */
static void
test_pooling (void)
{
  const double avg[] = { 32, 32 }, sum[] = { 127, 127 };
  Sim s;

  sim_run (&s, "{\"input_shape\": [1, 3, 3], \"layers\": [{\"type\": \"conv2d\", \"weight\": "
           "[[[[0.5, 0.5], [0.5, 0.5]]]]}, {\"type\": \"avgpool\", \"kernel\": 2}]}", NULL,
           SQ_FXP_ROUND_NEAREST, 2, 1.0);
  assert_out (&s.run, avg, 2);
  g_assert_cmpfloat (s.fl.out[0], ==, 2.0);
  g_assert_cmpuint (sq_fxp_run_overflows (&s.run, 1), ==, 0);
  sim_clear (&s);
  sim_run (&s, "{\"input_shape\": [1, 3, 3], \"layers\": [{\"type\": \"conv2d\", \"weight\": "
           "[[[[0.5, 0.5], [0.5, 0.5]]]]}, {\"type\": \"sumpool\", \"kernel\": 2}]}", NULL,
           SQ_FXP_ROUND_NEAREST, 2, 1.0);
  assert_out (&s.run, sum, 2);
  g_assert_cmpfloat (s.fl.out[0], ==, 8.0);
  g_assert_cmpuint (s.run.events[1][SQ_FXP_EVENT_ACT], ==, 2);
  g_assert_cmpuint (sq_fxp_run_overflows (&s.run, 1), ==, 2);
  sim_clear (&s);
}

/* Recurrent weights: neuron 0 gets the input (w = 1: 16·16 = 256 in Q8 → 16, it fires every
 * step), neuron 1 only neuron 0's spike of the step before (w_rec = 1): 16·16 = 256 in
 * Q(n_w + n_o) = Q8, brought to Q(n_w + n_x) = Q8 unchanged → 16, it fires from step 2 on. */
static void
test_recurrent (void)
{
  const double want[] = { 16, 0, 16, 16, 16, 16 }, fwant[] = { 1, 0, 1, 1, 1, 1 };
  Sim s;

  sim_run (&s, "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": [[1], [0]], "
           "\"recurrent\": [[0, 0], [1, 0]], \"neuron\": {\"type\": \"if\", \"v_threshold\": 1, "
           "\"v_reset\": null}}]}", NULL, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  assert_out (&s.run, want, 6);
  assert_out (&s.fl, fwant, 6);
  sim_clear (&s);
}

#define EIGHT_099 \
  "{\"input_shape\": [8], \"layers\": [{\"type\": \"linear\", \"weight\": " \
  "[[0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99]]}]}"

/* int8, int16 accumulator, the automatic formats: spikes 1 → 64 (Q1.6), 0.99 → 127 (Q0.7).
 * Eight products of 8128 add up to 65024, beyond 32767: wrapping, the fifth add goes to
 * 40640 − 65536 = −24896 (one wrap), the sum ends at 65024 − 65536 = −512; the activation
 * (bound 8·0.99 = 7.92 → Q3.4) is S(−512, 6 + 7 − 4) = −1. Saturating, the fifth and every
 * later add clip at 32767 (four events), S(32767, 9) = ⌊63.998 + 0.5⌋ = 64. */
static void
test_overflow (void)
{
  SqFxpSettings set;
  Sim s;

  sq_fxp_settings_init (&set);
  sim_run (&s, EIGHT_099, &set, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  g_assert_cmpint (s.q->layers[0].weight[0], ==, 127);
  g_assert_cmpint (s.q->layers[0].fmt[SQ_FXP_ACT].n, ==, 4);
  g_assert_cmpfloat (s.run.out[0], ==, -1);
  g_assert_cmpuint (s.run.events[0][SQ_FXP_EVENT_ACC], ==, 3);
  g_assert_cmpuint (s.run.events[0][SQ_FXP_EVENT_ACT], ==, 0);
  sim_clear (&s);

  set.overflow = SQ_FXP_OVERFLOW_SATURATE;
  sim_run (&s, EIGHT_099, &set, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  g_assert_cmpfloat (s.run.out[0], ==, 64);
  g_assert_cmpuint (s.run.events[0][SQ_FXP_EVENT_ACC], ==, 12);
  sim_clear (&s);

  /* int32 accumulator: no event, 65024 → S(65024, 9) = ⌊127 + 0.5⌋ = 127. */
  set.overflow = SQ_FXP_OVERFLOW_WRAP;
  set.long_bits = 32;
  sim_run (&s, EIGHT_099, &set, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  g_assert_cmpfloat (s.run.out[0], ==, 127);
  g_assert_cmpuint (sq_fxp_run_overflows (&s.run, 0), ==, 0);
  sim_clear (&s);
  sq_fxp_settings_clear (&set);
}

/* The neuron's arithmetic overflowing. The input 1 at Q1.6 (64) times the weight 1 (64) is
 * 4096 in Q12; the activation forced to Q12 saturates it to 127 (one event per step). The
 * membrane in Q0 makes n_t = 12, so Θ = 10≪12 = 40960 leaves int16: wrapping it is −24576,
 * H = 127 is above it and the neuron fires (out 1≪6 = 64), soft reset v = S(127 + 24576, 12)
 * = ⌊6.03 + 0.5⌋ = 6. Step 2: V = 6≪12 = 24576, H = 24703, H − Θ = 49279 wraps to −16257:
 * no spike, v = S(24703, 12) = 6; step 3 the same. Events: Θ each step, H − Θ in steps 2 and
 * 3: 5. Saturating, Θ = 32767 (3 events) and nothing fires; the float model (v = 1, 2, 3
 * against θ = 10) fires neither. */
static void
test_neuron_overflow (void)
{
  const char *json = "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": "
                     "[[1]], \"neuron\": {\"type\": \"if\", \"v_threshold\": 10, "
                     "\"v_reset\": null}}]}";
  const double wrapped[] = { 64, 0, 0 }, none[] = { 0, 0, 0 };
  SqFxpSettings set;
  Sim s;

  sq_fxp_settings_init (&set);
  sq_fxp_settings_set_layer_count (&set, 1);
  set.layers[0].force_n[SQ_FXP_ACT] = 12;
  set.layers[0].force_n[SQ_FXP_V] = 0;
  set.layers[0].force_n[SQ_FXP_OUTPUT] = 6;
  sim_run (&s, json, &set, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  g_assert_cmpint (s.q->layers[0].theta, ==, 10);
  assert_out (&s.run, wrapped, 3);
  assert_out (&s.fl, none, 3);
  g_assert_cmpfloat (s.run.v[0][0], ==, 6);
  g_assert_cmpuint (s.run.events[0][SQ_FXP_EVENT_ACT], ==, 3);
  g_assert_cmpuint (s.run.events[0][SQ_FXP_EVENT_NEURON], ==, 5);
  sim_clear (&s);
  set.overflow = SQ_FXP_OVERFLOW_SATURATE;
  sim_run (&s, json, &set, SQ_FXP_ROUND_NEAREST, 3, 1.0);
  assert_out (&s.run, none, 3);
  g_assert_cmpuint (s.run.events[0][SQ_FXP_EVENT_NEURON], ==, 3);
  sim_clear (&s);
  sq_fxp_settings_clear (&set);
}

/* The advice on the same network: layer 0 wraps 3 times in 3 steps; one bit less for the
 * weights (0.99 → 63 in Q1.6, 8 · 63·64 = 32256) does not wrap. Then a network whose
 * second layer sums the spikes of the first: its input (the spikes, Q1.6) gives up its bits
 * first, as spikes lose nothing. */
static void
test_advice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = sq_fxp_net_load_json_data (EIGHT_099, strlen (EIGHT_099), "net.json",
                                                       &error);
  g_autofree char *desc = NULL;
  SqFxpSettings set, prop;
  SqTensor input = { 0, };

  g_assert_no_error (error);
  sq_fxp_settings_init (&set);
  g_assert_true (sq_tensor_init (&input, 2, (gsize[2]) { 3, 8 }, NULL));
  for (gsize i = 0; i < input.n; i++)
    input.data[i] = 1;
  g_assert_true (sq_fxp_propose_formats (net, &set, &input, &prop, &desc, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (desc, ==, "net.json: layers[0] overflows on the sample input: 3 times in the "
                             "accumulator, 0 in the neuron\nno overflow with:\n"
                             "  layers[0].weight Q0.7 → Q1.6");
  g_assert_cmpint (prop.layers[0].force_n[SQ_FXP_WEIGHT], ==, 6);
  sq_fxp_settings_clear (&prop);
  g_clear_pointer (&desc, g_free);
  sq_tensor_clear (&input);

  {
    const char *two = "{\"input_shape\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": "
                      "[[1], [1], [1], [1], [1], [1], [1], [1]], \"neuron\": {\"type\": \"if\", "
                      "\"v_threshold\": 0.5, \"v_reset\": null}}, {\"type\": \"linear\", "
                      "\"weight\": [[0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99]]}]}";
    g_autoptr(SqFxpNet) net2 = sq_fxp_net_load_json_data (two, strlen (two), "two.json",
                                                          &error);

    g_assert_no_error (error);
    g_assert_true (sq_tensor_init (&input, 2, (gsize[2]) { 3, 1 }, NULL));
    for (gsize i = 0; i < input.n; i++)
      input.data[i] = 1;
    g_assert_true (sq_fxp_propose_formats (net2, &set, &input, &prop, &desc, &error));
    g_assert_no_error (error);
    g_test_message ("%s", desc);
    g_assert_nonnull (strstr (desc, "two.json: layers[1] overflows on the sample input: 3 "
                                    "times in the accumulator"));
    g_assert_nonnull (strstr (desc, "no overflow with:\n  layers[0].output Q1.6 → Q2.5"));
    g_assert_cmpint (prop.layers[0].force_n[SQ_FXP_OUTPUT], ==, 5);
    sq_fxp_settings_clear (&prop);
    sq_tensor_clear (&input);
  }
  sq_fxp_settings_clear (&set);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fxp-sim/if-soft", test_if_soft);
  g_test_add_func ("/fxp-sim/if-hard", test_if_hard);
  g_test_add_func ("/fxp-sim/lif-decay-input", test_lif_decay_input);
  g_test_add_func ("/fxp-sim/lif-no-decay-input", test_lif_no_decay_input);
  g_test_add_func ("/fxp-sim/atif", test_atif);
  g_test_add_func ("/fxp-sim/synapse", test_synapse);
  g_test_add_func ("/fxp-sim/compat-qualia", test_compat_qualia);
  g_test_add_func ("/fxp-sim/recurrent", test_recurrent);
  g_test_add_func ("/fxp-sim/pooling", test_pooling);
  g_test_add_func ("/fxp-sim/overflow", test_overflow);
  g_test_add_func ("/fxp-sim/neuron-overflow", test_neuron_overflow);
  g_test_add_func ("/fxp-sim/advice", test_advice);
  return g_test_run ();
}
