/* test-float-sim.c: the float model (hand-computed decays, multi-event reset, delays) and
 * the agreement report between it and the integer core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

#define ASSERT_CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-12 * (1.0 + fabs (b)))

static SqXyloSpec *
spec_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_load_json_data (json, strlen (json), "float.json", &error);

  g_assert_no_error (error);
  return spec;
}

static const char float_spec[] =
  "{\"weights_in\": [[10.0]], \"weights_rec\": [[0.0]], \"weights_out\": [[0.25]],"
  " \"threshold\": [1.2], \"threshold_out\": [1.0], \"dash_mem\": [2.0], \"dash_syn\": [1.0],"
  " \"dash_mem_out\": [1.5], \"dash_syn_out\": [0.0], \"bias_out\": [0.125]}";

static void
test_float_model (void)
{
  g_autoptr(SqXyloSpec) spec = spec_from (float_spec);
  g_autoptr(SqFloatSim) sim = sq_float_sim_new (spec, NULL);
  g_autoptr(SqSimResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const double a = exp (-0.25), b = exp (-0.5);                 /* α = exp (−2^−dash) */
  const double ao = exp (-exp2 (-1.5)), bo = exp (-1.0);
  double I, V, Io, Vo, own;
  SqRaster in;

  g_assert_true (sq_raster_init (&in, 3, 1, NULL));
  in.counts[0] = 1;
  r = sq_float_sim_run (sim, &in, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (r->float_model);

  /* t0: I = 10β = 6.065; V = 6.065 ≥ 1.2: ⌊5.05⌋ = 5 events, V = 6.065 − 6. Output: only
   * the bias, 0.125. */
  I = 10 * b;
  V = I - 5 * 1.2;
  Io = 0;
  Vo = 0.125;
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_ISYN_HIDDEN][0], I);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_VMEM_HIDDEN][0], V);
  g_assert_cmpuint (r->spikes_hidden[0], ==, 5);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_VMEM_OUT][0], Vo);
  g_assert_cmpuint (r->spikes_out[0], ==, 0);

  /* t1: I = 10β², V = α V + I = 3.73: ⌊3.73 / 1.2⌋ = 3 events. The 5 events of t0 reach
   * the output one step late: Io = 5 × 0.25 × β_out; Vo = α_out × 0.125 + Io + 0.125. */
  I *= b;
  V = a * V + I;
  own = floor (V / 1.2);
  g_assert_cmpfloat (own, ==, 3.0);
  V -= own * 1.2;
  Io = 5 * 0.25 * bo;
  Vo = ao * Vo + Io + 0.125;
  g_assert_cmpfloat (Vo, <, 1.0);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_ISYN_HIDDEN][1], I);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_VMEM_HIDDEN][1], V);
  g_assert_cmpuint (r->spikes_hidden[1], ==, 3);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_ISYN_OUT][1], Io);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_VMEM_OUT][1], Vo);
  g_assert_cmpuint (r->spikes_out[1], ==, 0);

  /* t2: the 3 events of t1 arrive: Io = (Io + 3 × 0.25) β_out; Vo = α_out Vo + Io + 0.125
   * = 1.13 ≥ 1: one event, Vo − 1. */
  Io = (Io + 3 * 0.25) * bo;
  Vo = ao * Vo + Io + 0.125;
  g_assert_cmpfloat (Vo, >=, 1.0);
  g_assert_cmpuint (r->spikes_out[2], ==, 1);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_ISYN_OUT][2], Io);
  ASSERT_CLOSE (r->ftrace[SQ_TRACE_VMEM_OUT][2], Vo - 1.0);
  g_assert_cmpint (r->first_out[0], ==, 2);
  g_assert_cmpuint (r->hidden_events[0], ==, 5 + 3 + r->spikes_hidden[2]);
  sq_raster_clear (&in);
}

/* Runs the integer core on @json for @T steps without input. */
static SqSimResult *
run_int (const char *json,
         gsize       T)
{
  g_autoptr(SqXyloSpec) spec = spec_from (json);
  g_autoptr(SqXyloSim) sim = sq_xylo_sim_new (spec, SQ_DEVICE_XYLO_AUDIO2, NULL);
  SqSimResult *r;
  SqRaster in;

  g_assert_true (sq_raster_init (&in, T, spec->n_in, NULL));
  r = sq_xylo_sim_run (sim, &in, FALSE, NULL);
  g_assert_nonnull (r);
  sq_raster_clear (&in);
  return r;
}

/* Output 0 fires every step (bias = θ, dash 0 clears V) in A; nothing fires in B. Hidden
 * neuron 0 fires every step in both, hidden neuron 1 only in A. */
static void
test_agreement_by_hand (void)
{
  static const char a_json[] =
    "{\"weights_in\": [[0, 0]], \"weights_rec\": [[0, 0], [0, 0]], \"weights_out\": [[0, 0],"
    " [0, 0]], \"threshold\": [10, 10], \"bias\": [10, 10], \"threshold_out\": [1000, 1000],"
    " \"bias_out\": [1000, 0], \"dash_mem\": [0, 0], \"dash_syn\": [1, 1],"
    " \"dash_mem_out\": [0, 0], \"dash_syn_out\": [1, 1]}";
  g_autoptr(GString) b_json = g_string_new (a_json);
  g_autoptr(SqSimResult) a = NULL, b = NULL;
  g_autoptr(SqAgreement) ag = sq_agreement_new (2, 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GString) json = NULL;

  g_string_replace (b_json, "\"bias_out\": [1000, 0]", "\"bias_out\": [0, 0]", 1);
  g_string_replace (b_json, "\"bias\": [10, 10]", "\"bias\": [10, 0]", 1);
  a = run_int (a_json, 4);
  b = run_int (b_json->str, 4);
  g_assert_cmpint (sq_sim_result_class (a), ==, 0);
  g_assert_cmpint (sq_sim_result_class (b), ==, -1);

  /* A plays the float model, B the integer core. */
  g_assert_true (sq_agreement_add (ag, a, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ag->n_samples, ==, 1);
  g_assert_cmpuint (ag->n_class_agree, ==, 0);
  g_assert_cmpuint (ag->out_float[0], ==, 4);
  g_assert_cmpuint (ag->out_int[0], ==, 0);
  /* 8 bins: output 0 differs in all 4 steps, output 1 agrees (silent) in all 4. */
  g_assert_cmpuint (ag->n_bins, ==, 8);
  g_assert_cmpuint (ag->n_bins_equal, ==, 4);
  g_assert_cmpfloat (sq_agreement_raster (ag), ==, 0.5);
  g_assert_cmpuint (ag->latency_n[0], ==, 0);
  g_assert_cmpuint (sq_agreement_silent_only (ag, TRUE, TRUE), ==, 1);
  g_assert_cmpuint (sq_agreement_silent_only (ag, TRUE, FALSE), ==, 1);
  g_assert_cmpuint (sq_agreement_silent_only (ag, FALSE, FALSE), ==, 0);

  /* A against itself agrees everywhere, latency 0. */
  g_assert_true (sq_agreement_add (ag, a, a, &error));
  g_assert_cmpuint (ag->n_class_agree, ==, 1);
  g_assert_cmpuint (ag->n_bins_equal, ==, 12);
  g_assert_cmpuint (ag->latency_n[0], ==, 1);
  g_assert_cmpint (ag->latency_sum[0], ==, 0);

  summary = sq_agreement_summary (ag);
  g_assert_nonnull (strstr (summary, "output raster agreement: 75.00 %"));
  g_assert_nonnull (strstr (summary, "class (argmax) agreement: 1 of 2"));
  json = sq_agreement_to_json (ag);
  g_assert_nonnull (strstr (json->str, "\"out_events_float\": [8, 0]"));
  g_assert_nonnull (strstr (json->str, "\"raster_agreement\": 0.75"));
  g_assert_nonnull (strstr (json->str, "\"first_spike_latency_diff\": [0.0, null]"));

  /* Different shapes are refused. */
  {
    g_autoptr(SqAgreement) other = sq_agreement_new (3, 2);

    g_assert_false (sq_agreement_add (other, a, b, &error));
    g_assert_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT);
  }
}

/* A float network and its quantized version on the same Poisson input: the report adds up. */
static void
test_agreement_quantized (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(SqFloatSim) fsim = NULL;
  g_autoptr(SqXyloSim) isim = NULL;
  g_autoptr(SqSimResult) fr = NULL, ir = NULL;
  g_autoptr(SqAgreement) ag = NULL;
  g_autofree double *rates = NULL;
  SqQuantParams params;
  SqRaster in;
  guint64 total = 0;

  g_assert_nonnull (path);
  spec = sq_xylo_spec_load_json (path, &error);
  g_assert_no_error (error);
  sq_quant_params_init (&params);
  q = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);

  rates = g_new (double, spec->n_in);
  for (gsize i = 0; i < spec->n_in; i++)
    rates[i] = 0.3;
  g_assert_true (sq_raster_poisson (&in, 200, spec->n_in, rates, 7, &error));
  fsim = sq_float_sim_new (spec, &error);
  isim = sq_xylo_sim_new (q->spec, SQ_DEVICE_XYLO_AUDIO2, &error);
  g_assert_no_error (error);
  fr = sq_float_sim_run (fsim, &in, FALSE, &error);
  ir = sq_xylo_sim_run (isim, &in, FALSE, &error);
  g_assert_no_error (error);

  ag = sq_agreement_new (spec->n_hidden, spec->n_out);
  g_assert_true (sq_agreement_add (ag, fr, ir, &error));
  g_assert_cmpuint (ag->n_bins, ==, 200 * spec->n_out);
  for (gsize o = 0; o < spec->n_out; o++)
    {
      g_assert_cmpuint (ag->out_float[o], ==, fr->out_events[o]);
      g_assert_cmpuint (ag->out_int[o], ==, ir->out_events[o]);
      total += fr->out_events[o] + ir->out_events[o];
    }
  /* The bundled example is active on this input. */
  g_assert_cmpuint (total, >, 0);
  g_assert_cmpuint (ag->n_bins_equal, <=, ag->n_bins);
  sq_raster_clear (&in);
}

typedef struct {
  guint         calls;
  double        last;
  GCancellable *cancel_at_first;
} Progress;

static void
count_progress (double   fraction,
                gpointer data)
{
  Progress *p = data;

  p->calls++;
  p->last = fraction;
  if (p->cancel_at_first != NULL)
    g_cancellable_cancel (p->cancel_at_first);
}

static void
assert_same_result (const SqSimResult *a,
                    const SqSimResult *b)
{
  gsize t = a->n_steps, nh = a->n_hidden, ns = a->n_syn, no = a->n_out;
  gsize size[SQ_N_TRACES] = { t * nh, t * nh * ns, t * no, t * no };

  g_assert_cmpuint (a->n_steps, ==, b->n_steps);
  g_assert_cmpmem (a->spikes_out, t * no, b->spikes_out, t * no);
  g_assert_cmpmem (a->spikes_hidden, t * nh, b->spikes_hidden, t * nh);
  g_assert_cmpmem (a->hidden_events, nh * 8, b->hidden_events, nh * 8);
  g_assert_cmpmem (a->out_events, no * 8, b->out_events, no * 8);
  g_assert_cmpmem (a->first_out, no * 8, b->first_out, no * 8);
  for (guint k = 0; k < SQ_N_TRACES; k++)
    if (a->float_model)
      g_assert_cmpmem (a->ftrace[k], size[k] * 8, b->ftrace[k], size[k] * 8);
    else
      g_assert_cmpmem (a->itrace[k], size[k] * 2, b->itrace[k], size[k] * 2);
  g_assert_cmpuint (a->isyn_saturated, ==, b->isyn_saturated);
  g_assert_cmpuint (a->vmem_saturated, ==, b->vmem_saturated);
  g_assert_cmpuint (a->cap_hit, ==, b->cap_hit);
  g_assert_cmpuint (a->input_dropped, ==, b->input_dropped);
}

/* The cancellable runs of both models give bit-identical results, report progress every
 * 256 steps and stop at the first check after a cancel. */
static void
test_run_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json (g_getenv ("SQ_EXAMPLE_SMALL"), &error);
  g_autoptr(SqQuantResult) quant = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SqQuantParams params;
  double rate = 0.2;
  g_autofree double *rates = NULL;
  SqRaster in = { 0 };

  g_assert_no_error (error);
  sq_quant_params_init (&params);
  quant = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  rates = g_new (double, spec->n_in);
  for (gsize i = 0; i < spec->n_in; i++)
    rates[i] = rate;
  g_assert_true (sq_raster_poisson (&in, 1000, spec->n_in, rates, 42, &error));

  for (guint m = 0; m < 2; m++)
    {
      g_autoptr(SqXyloSim) isim = m ? NULL : sq_xylo_sim_new (quant->spec,
                                                              SQ_DEVICE_XYLO_AUDIO2, &error);
      g_autoptr(SqFloatSim) fsim = m ? sq_float_sim_new (spec, &error) : NULL;
      g_autoptr(SqSimResult) plain = NULL, full = NULL, cancelled = NULL;
      Progress p = { 0 };

      g_assert_no_error (error);
      plain = m ? sq_float_sim_run (fsim, &in, TRUE, &error)
                : sq_xylo_sim_run (isim, &in, TRUE, &error);
      g_assert_no_error (error);
      if (m)
        sq_float_sim_reset (fsim);
      else
        sq_xylo_sim_reset (isim);
      full = m ? sq_float_sim_run_full (fsim, &in, TRUE, cancellable, count_progress, &p, &error)
               : sq_xylo_sim_run_full (isim, &in, TRUE, cancellable, count_progress, &p, &error);
      g_assert_no_error (error);
      assert_same_result (plain, full);
      /* Checks at t = 256, 512, 768 of 1000. */
      g_assert_cmpuint (p.calls, ==, 3);
      g_assert_cmpfloat (p.last, ==, 0.768);

      p = (Progress) { 0, 0.0, cancellable };
      cancelled = m ? sq_float_sim_run_full (fsim, &in, TRUE, cancellable, count_progress, &p,
                                             &error)
                    : sq_xylo_sim_run_full (isim, &in, TRUE, cancellable, count_progress, &p,
                                            &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (cancelled);
      g_assert_cmpuint (p.calls, ==, 1);
      g_clear_error (&error);
      g_cancellable_reset (cancellable);
    }
  sq_raster_clear (&in);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/float-sim/model", test_float_model);
  g_test_add_func ("/float-sim/agreement/by-hand", test_agreement_by_hand);
  g_test_add_func ("/float-sim/agreement/quantized", test_agreement_quantized);
  g_test_add_func ("/float-sim/run-full", test_run_full);

  return g_test_run ();
}
