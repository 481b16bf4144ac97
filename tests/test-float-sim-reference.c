/* test-float-sim-reference.c: the float model against a plain, dense reference
 *
 * The float model delivers events through sparse lists, adds full input rows as whole
 * segments (SqDenseRows), visits only the neurons at their threshold or with alias copies,
 * and keeps a list of the neurons that fired (SqFired). Here a reference written the obvious
 * way — dense matrices, every neuron visited, every event count scanned — runs random
 * networks with fractional dashes, some thresholds at or below 0, full and sparse input rows,
 * and aliases to higher and lower neurons, each as two runs in a row; every recorded state
 * and event must agree to the bit (the order of the additions is the model's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

#define NI 4
#define NH 12
#define NS 2
#define NO 3
#define NA 2
#define T  80

typedef struct {
  double w_in[NI][NH][NS], w_rec[NH][NH][NS], w_out[NH][NO];
  double th[NH], bias[NH], dm[NH], ds[NH][NS];
  double th_out[NO], bias_out[NO], dm_out[NO], ds_out[NO];
  int    alias[NH][NA];          /* −1: none */
} Net;

typedef struct {
  double isyn[NH][NS], vmem[NH], isyn_out[NO], vmem_out[NO];
  guint8 events[NH];
} State;

/* α = exp (−dt/τ), τ = dt·2^dash. */
static double
decay (double dash)
{
  return exp (-exp2 (-dash));
}

/* One step, in the order the model documents: input, the last step's events, decays and
 * membranes, firing with alias copies in ascending order, outputs. */
static void
reference_step (const Net    *net,
                State        *s,
                const guint8 *x,
                guint8       *out)
{
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NH; j++)
      for (int k = 0; k < NS; k++)
        if (x[i] > 0 && net->w_in[i][j][k] != 0.0)
          s->isyn[j][k] += (double) MIN (x[i], 15) * net->w_in[i][j][k];
  for (int p = 0; p < NH; p++)
    {
      for (int j = 0; j < NH; j++)
        for (int k = 0; k < NS; k++)
          if (s->events[p] > 0 && net->w_rec[p][j][k] != 0.0)
            s->isyn[j][k] += (double) s->events[p] * net->w_rec[p][j][k];
      for (int o = 0; o < NO; o++)
        if (s->events[p] > 0 && net->w_out[p][o] != 0.0)
          s->isyn_out[o] += (double) s->events[p] * net->w_out[p][o];
      s->events[p] = 0;
    }
  for (int j = 0; j < NH; j++)
    {
      double a = s->isyn[j][0] * decay (net->ds[j][0]);
      double b = s->isyn[j][1] * decay (net->ds[j][1]);

      s->isyn[j][0] = a;
      s->isyn[j][1] = b;
      s->vmem[j] = decay (net->dm[j]) * s->vmem[j] + (0.0 + a + b) + net->bias[j];
    }
  for (int j = 0; j < NH; j++)
    {
      double v = s->vmem[j], th = net->th[j];
      int n = s->events[j];

      if (v >= th && n < 31)
        {
          double own = th > 0.0 ? floor (v / th) : 31.0;

          own = MIN (own, 31.0 - n);
          s->vmem[j] = v - own * th;
          s->events[j] = (guint8) (n + (int) own);
        }
      for (int e = 0; e < NA && net->alias[j][e] >= 0; e++)
        {
          int a = net->alias[j][e];

          s->events[a] = (guint8) MIN (s->events[a] + s->events[j], 31);
        }
    }
  for (int o = 0; o < NO; o++)
    {
      s->isyn_out[o] *= decay (net->ds_out[o]);
      s->vmem_out[o] = decay (net->dm_out[o]) * s->vmem_out[o] + s->isyn_out[o]
                       + net->bias_out[o];
      out[o] = s->vmem_out[o] >= net->th_out[o];
      if (out[o])
        s->vmem_out[o] -= net->th_out[o];
    }
}

static double
uniform (GRand  *rand,
         double  lo,
         double  hi)
{
  return g_rand_double_range (rand, lo, hi);
}

/* A weight: a third of them zero (or, @dense, one in 20), the rest in ±1. */
static double
weight (GRand    *rand,
        gboolean  dense)
{
  return g_rand_int_range (rand, 0, dense ? 20 : 3) == 0 ? 0.0 : uniform (rand, -1.0, 1.0);
}

static void
random_net (Net   *net,
            GRand *rand)
{
  gboolean dense = g_rand_boolean (rand);

  for (int j = 0; j < NH; j++)
    {
      for (int k = 0; k < NS; k++)
        {
          for (int i = 0; i < NI; i++)
            net->w_in[i][j][k] = weight (rand, dense);
          for (int p = 0; p < NH; p++)
            net->w_rec[p][j][k] = weight (rand, FALSE);
          net->ds[j][k] = uniform (rand, 0.0, 4.0);
        }
      for (int o = 0; o < NO; o++)
        net->w_out[j][o] = weight (rand, FALSE);
      /* One neuron in 30 at a threshold of 0 or below: it fires its cap every step. */
      net->th[j] = g_rand_int_range (rand, 0, 30) == 0 ? uniform (rand, -0.5, 0.0)
                                                        : uniform (rand, 0.05, 1.5);
      net->bias[j] = uniform (rand, -0.05, 0.05);
      net->dm[j] = uniform (rand, 0.0, 4.0);
      for (int e = 0, n = dense ? g_rand_int_range (rand, 0, NA + 1) : 0; e < NA; e++)
        net->alias[j][e] = e < n ? g_rand_int_range (rand, 0, NH) : -1;
    }
  for (int o = 0; o < NO; o++)
    {
      net->th_out[o] = uniform (rand, 0.2, 2.0);
      net->bias_out[o] = uniform (rand, -0.05, 0.05);
      net->dm_out[o] = uniform (rand, 0.0, 4.0);
      net->ds_out[o] = uniform (rand, 0.0, 4.0);
    }
}

static void
append_doubles (GString      *json,
                const char   *key,
                const double *v,
                int           n,
                int           stride,
                int           per_row,
                int           syn)
{
  g_string_append_printf (json, "\"%s\": ", key);
  for (int i = 0; i < n; i++)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (per_row > 0 && i % per_row == 0)
        g_string_append (json, i ? "], [" : "[[");
      else if (i > 0)
        g_string_append (json, ", ");
      else
        g_string_append (json, "[");
      if (syn == 2 && i % 2 == 0)
        g_string_append (json, "[");
      g_string_append (json, g_ascii_dtostr (buffer, sizeof buffer, v[i * stride]));
      if (syn == 2 && i % 2 == 1)
        g_string_append (json, "]");
    }
  g_string_append (json, per_row > 0 ? "]], " : "], ");
}

static char *
net_json (const Net *net)
{
  GString *json = g_string_new ("{");

  append_doubles (json, "weights_in", &net->w_in[0][0][0], NI * NH * NS, 1, NH * NS, NS);
  append_doubles (json, "weights_rec", &net->w_rec[0][0][0], NH * NH * NS, 1, NH * NS, NS);
  append_doubles (json, "weights_out", &net->w_out[0][0], NH * NO, 1, NO, 1);
  append_doubles (json, "threshold", net->th, NH, 1, 0, 1);
  append_doubles (json, "bias", net->bias, NH, 1, 0, 1);
  append_doubles (json, "dash_mem", net->dm, NH, 1, 0, 1);
  append_doubles (json, "dash_syn", &net->ds[0][0], NH, NS, 0, 1);
  append_doubles (json, "dash_syn_2", &net->ds[0][1], NH, NS, 0, 1);
  append_doubles (json, "threshold_out", net->th_out, NO, 1, 0, 1);
  append_doubles (json, "bias_out", net->bias_out, NO, 1, 0, 1);
  append_doubles (json, "dash_mem_out", net->dm_out, NO, 1, 0, 1);
  append_doubles (json, "dash_syn_out", net->ds_out, NO, 1, 0, 1);
  g_string_append (json, "\"aliases\": [");
  for (int j = 0; j < NH; j++)
    {
      g_string_append (json, j ? ", [" : "[");
      for (int e = 0; e < NA && net->alias[j][e] >= 0; e++)
        g_string_append_printf (json, "%s%d", e ? ", " : "", net->alias[j][e]);
      g_string_append (json, "]");
    }
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

/* Bit for bit: −0.0 and 0.0 differ. */
static void
assert_same (double got,
             double expected)
{
  if (memcmp (&got, &expected, sizeof got) != 0)
    g_error ("state %.17g, the reference %.17g", got, expected);
}

/* Runs @net on @raster as two runs and compares every step with the reference; returns the
 * hidden events. @probe, when not %NULL, gets the reference's isyn[0][1] after each step. */
static guint64
check_network (const Net      *net,
               const SqRaster *raster,
               double         *probe)
{
  State s = { 0, };
  g_autofree char *json = net_json (net);
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqFloatSim) sim = NULL;
  g_autoptr(SqSimResult) r1 = NULL;
  g_autoptr(SqSimResult) r2 = NULL;
  g_autoptr(GError) error = NULL;
  SqRaster half = *raster;
  guint64 hidden_events = 0;

  spec = sq_xylo_spec_load_json_data (json, strlen (json), "random.json", &error);
  g_assert_no_error (error);
  sim = sq_float_sim_new (spec, &error);
  g_assert_no_error (error);
  half.n_steps = T / 2;
  r1 = sq_float_sim_run (sim, &half, TRUE, &error);
  g_assert_no_error (error);
  half.counts = raster->counts + T / 2 * NI;
  half.n_steps = T - T / 2;
  r2 = sq_float_sim_run (sim, &half, TRUE, &error);
  g_assert_no_error (error);

  for (int u = 0; u < T; u++)
    {
      const SqSimResult *r = u < T / 2 ? r1 : r2;
      int t = u < T / 2 ? u : u - T / 2;
      guint8 out[NO];

      reference_step (net, &s, raster->counts + u * NI, out);
      if (probe != NULL)
        probe[u] = s.isyn[0][1];
      for (int j = 0; j < NH; j++)
        {
          assert_same (r->ftrace[SQ_TRACE_VMEM_HIDDEN][t * NH + j], s.vmem[j]);
          g_assert_cmpuint (r->spikes_hidden[t * NH + j], ==, s.events[j]);
          hidden_events += s.events[j];
          for (int k = 0; k < NS; k++)
            assert_same (r->ftrace[SQ_TRACE_ISYN_HIDDEN][(t * NH + j) * NS + k],
                         s.isyn[j][k]);
        }
      for (int o = 0; o < NO; o++)
        {
          assert_same (r->ftrace[SQ_TRACE_VMEM_OUT][t * NO + o], s.vmem_out[o]);
          assert_same (r->ftrace[SQ_TRACE_ISYN_OUT][t * NO + o], s.isyn_out[o]);
          g_assert_cmpuint (r->spikes_out[t * NO + o], ==, out[o]);
        }
    }
  return hidden_events;
}

static void
test_random_networks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  guint64 hidden_events = 0, aliased_runs = 0;

  for (int n = 0; n < 200; n++)
    {
      Net net;
      SqRaster raster;
      gboolean aliased = FALSE;

      random_net (&net, rand);
      for (int k = 0; k < NH; k++)
        aliased |= net.alias[k][0] >= 0;
      aliased_runs += aliased;
      g_assert_true (sq_raster_init (&raster, T, NI, NULL));
      for (gsize i = 0; i < T * NI; i++)
        raster.counts[i] = g_rand_int_range (rand, 0, 4) == 0
                           ? (guint8) g_rand_int_range (rand, 1, 21) : 0;
      hidden_events += check_network (&net, &raster, NULL);
      sq_raster_clear (&raster);
    }
  g_test_message ("%" G_GUINT64_FORMAT " hidden events, %" G_GUINT64_FORMAT
                  " networks with aliases", hidden_events, aliased_runs);
  /* The networks fire, and many have aliases. */
  g_assert_cmpuint (hidden_events, >, 10000);
  g_assert_cmpuint (aliased_runs, >, 50);
}

/* A state of −0.0 (a tiny negative current decayed to nothing) that a full input row does
 * not reach stays −0.0: the row's missing weights add −0.0, which is the identity (+0.0
 * would make it +0.0, visible in the trace and the file written from it). */
static void
test_negative_zero (void)
{
  Net net;
  SqRaster raster;
  double probe[T];

  memset (&net, 0, sizeof net);
  for (int j = 0; j < NH; j++)
    {
      for (int k = 0; k < NS; k++)
        net.w_in[0][j][k] = 0.5;
      net.th[j] = 100.0;
      net.alias[j][0] = net.alias[j][1] = -1;
    }
  /* Input 0's row reaches every synaptic state but neuron 0's second: a dense row with a
   * hole. Neuron 2 fires on it and sends −1e-300 to that state. */
  net.w_in[0][0][1] = 0.0;
  net.th[2] = 0.3;
  net.w_rec[2][0][1] = -1e-300;
  for (int o = 0; o < NO; o++)
    net.th_out[o] = 100.0;
  g_assert_true (sq_raster_init (&raster, T, NI, NULL));
  raster.counts[0] = 1;
  raster.counts[70 * NI] = 1;
  g_assert_cmpuint (check_network (&net, &raster, probe), >, 0);
  /* The reference itself went through −0.0 before the second input event, and kept it. */
  g_assert_true (probe[69] == 0.0 && signbit (probe[69]));
  g_assert_true (probe[70] == 0.0 && signbit (probe[70]));
  sq_raster_clear (&raster);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/float-sim/reference/random-networks", test_random_networks);
  g_test_add_func ("/float-sim/reference/negative-zero", test_negative_zero);
  return g_test_run ();
}
