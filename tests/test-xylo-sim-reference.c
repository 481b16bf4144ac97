/* test-xylo-sim-reference.c: the Xylo integer core against a plain, dense reference
 *
 * The core delivers events through sparse lists and skips the saturation of a whole event
 * when a bound on the states proves no add can reach a rail. Here a reference written the
 * obvious way — dense matrices, every add saturated, one neuron after the other — runs
 * random networks whose weights (int8 shifted by 0 to 3 or 6 to 9) and bursts of input drive the
 * synaptic states onto the rails in some steps and not in others, so steps mix both of the
 * core's paths; every recorded state, event and saturation count must agree. Half the
 * networks have input rows full enough for the core to deliver them whole (SqDenseRows), and
 * aliases to higher and lower neurons (the list of firing neurons out of order); each runs
 * as two runs in a row, the second from where the first stopped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

#define NI 4
#define NH 12
#define NA 2
#define NS 2
#define NO 3
#define T  60

typedef struct {
  gint32 w_in[NI][NH][NS], w_rec[NH][NH][NS], w_out[NH][NO];
  gint32 shift_in, shift_rec, shift_out;
  gint32 th[NH], bias[NH], dm[NH], ds[NH][NS];
  gint32 th_out[NO], bias_out[NO], dm_out[NO], ds_out[NO];
  gint32 alias[NH][NA];          /* −1: none */
} Net;

typedef struct {
  gint32 isyn[NH][NS], vmem[NH], isyn_out[NO], vmem_out[NO];
  guint8 events[NH];
  guint64 isyn_sat, vmem_sat;
} State;

static gint32
sat (gint32 v)
{
  return CLAMP (v, -32768, 32767);
}

static gint32
wrap (gint32 v)
{
  return (gint16) (guint16) (guint32) v;
}

/* w << shift wrapped to int16, the shift done on the bits (w may be negative). */
static gint32
shifted (gint32 w,
         gint32 shift)
{
  return wrap ((gint32) ((guint32) w << shift));
}

static gint32
dec (gint32 v,
     gint32 d)
{
  gint32 q = v >> d;

  if (q == 0 && v > 0)
    return 1;
  return q;
}

static void
add (gint32  *state,
     gint32   n,
     gint32   w,
     guint64 *saturated)
{
  gint32 v = *state + n * w;

  *saturated += sat (v) != v;
  *state = sat (v);
}

static void
integrate (gint32  *v,
           gint32   isyn,
           gint32   bias,
           gint32   dash,
           guint64 *saturated)
{
  gint32 dv = wrap (-dec (*v, dash)) + isyn, hit = 0;

  hit |= sat (dv) != dv;
  dv = sat (dv) + bias;
  hit |= sat (dv) != dv;
  dv = sat (dv) + *v;
  hit |= sat (dv) != dv;
  *v = sat (dv);
  *saturated += hit;
}

/* One step of the v2 core as research/rockpool.md §3 describes it. */
static void
reference_step (const Net    *net,
                State        *s,
                const guint8 *x,
                guint8       *out)
{
  for (int i = 0; i < NI; i++)
    for (int k = 0; k < NS; k++)
      for (int j = 0; j < NH; j++)
        if (x[i] > 0 && net->w_in[i][j][k] != 0)
          add (&s->isyn[j][k], MIN (x[i], 15), shifted (net->w_in[i][j][k], net->shift_in),
               &s->isyn_sat);
  for (int p = 0; p < NH; p++)
    {
      for (int k = 0; k < NS; k++)
        for (int j = 0; j < NH; j++)
          if (s->events[p] > 0 && net->w_rec[p][j][k] != 0)
            add (&s->isyn[j][k], s->events[p], shifted (net->w_rec[p][j][k], net->shift_rec),
                 &s->isyn_sat);
      for (int o = 0; o < NO; o++)
        if (s->events[p] > 0 && net->w_out[p][o] != 0)
          add (&s->isyn_out[o], s->events[p], shifted (net->w_out[p][o], net->shift_out),
               &s->isyn_sat);
      s->events[p] = 0;
    }
  for (int j = 0; j < NH; j++)
    {
      gint32 sum = 0;

      for (int k = 0; k < NS; k++)
        {
          s->isyn[j][k] -= dec (s->isyn[j][k], net->ds[j][k]);
          sum += s->isyn[j][k];
        }
      integrate (&s->vmem[j], sum, net->bias[j], net->dm[j], &s->vmem_sat);
      while (s->vmem[j] >= net->th[j] && s->events[j] < 31)
        {
          s->vmem[j] -= net->th[j];
          s->events[j]++;
        }
      for (int e = 0; e < NA && net->alias[j][e] >= 0; e++)
        {
          int a = net->alias[j][e];

          s->events[a] = MIN (s->events[a] + s->events[j], 31);
        }
    }
  for (int o = 0; o < NO; o++)
    {
      s->isyn_out[o] -= dec (s->isyn_out[o], net->ds_out[o]);
      integrate (&s->vmem_out[o], s->isyn_out[o], net->bias_out[o], net->dm_out[o],
                 &s->vmem_sat);
      out[o] = s->vmem_out[o] >= net->th_out[o];
      if (out[o])
        s->vmem_out[o] = wrap (s->vmem_out[o] - net->th_out[o]);
    }
}

static gint32
rnd (GRand *rand,
     gint32 lo,
     gint32 hi)
{
  return g_rand_int_range (rand, lo, hi + 1);
}

/* A weight: a third of them zero (or, @dense, one in 20), the rest anywhere in int8. */
static gint32
weight (GRand    *rand,
        gboolean  dense)
{
  return g_rand_int_range (rand, 0, dense ? 20 : 3) == 0 ? 0 : rnd (rand, -128, 127);
}

static void
random_net (Net   *net,
            GRand *rand)
{
  gboolean low, dense = g_rand_boolean (rand);

  for (int j = 0; j < NH; j++)
    {
      for (int k = 0; k < NS; k++)
        {
          for (int i = 0; i < NI; i++)
            net->w_in[i][j][k] = weight (rand, dense);
          for (int p = 0; p < NH; p++)
            net->w_rec[p][j][k] = weight (rand, FALSE);
          net->ds[j][k] = rnd (rand, 0, 8);
        }
      for (int o = 0; o < NO; o++)
        net->w_out[j][o] = weight (rand, FALSE);
      /* Aliases in the dense half: none, or one or two targets anywhere. */
      for (int e = 0, n = dense ? rnd (rand, 0, NA) : 0; e < NA; e++)
        net->alias[j][e] = e < n ? rnd (rand, 0, NH - 1) : -1;
      net->th[j] = rnd (rand, 1000, 32767);
      net->bias[j] = rnd (rand, -300, 300);
      net->dm[j] = rnd (rand, 0, 8);
    }
  for (int o = 0; o < NO; o++)
    {
      net->th_out[o] = rnd (rand, 1000, 32767);
      net->bias_out[o] = rnd (rand, -300, 300);
      net->dm_out[o] = rnd (rand, 0, 8);
      net->ds_out[o] = rnd (rand, 0, 8);
    }
  /* Half the networks stay mostly clear of the rails, half hit them often. */
  low = g_rand_boolean (rand);
  net->shift_in = low ? rnd (rand, 0, 3) : rnd (rand, 6, 9);
  net->shift_rec = low ? rnd (rand, 0, 3) : rnd (rand, 6, 9);
  net->shift_out = low ? rnd (rand, 0, 3) : rnd (rand, 6, 9);
}

static void
append_matrix (GString      *json,
               const char   *key,
               const gint32 *v,
               int           rows,
               int           cols,
               int           syn)
{
  g_string_append_printf (json, "\"%s\": [", key);
  for (int r = 0; r < rows; r++)
    {
      g_string_append (json, r ? ", [" : "[");
      for (int c = 0; c < cols; c++)
        {
          const gint32 *e = v + (r * cols + c) * syn;

          g_string_append (json, c ? ", " : "");
          if (syn == 1)
            g_string_append_printf (json, "%d", e[0]);
          else
            g_string_append_printf (json, "[%d, %d]", e[0], e[1]);
        }
      g_string_append (json, "]");
    }
  g_string_append (json, "], ");
}

static void
append_vector (GString      *json,
               const char   *key,
               const gint32 *v,
               int           n,
               int           stride)
{
  g_string_append_printf (json, "\"%s\": [", key);
  for (int i = 0; i < n; i++)
    g_string_append_printf (json, "%s%d", i ? ", " : "", v[i * stride]);
  g_string_append (json, "], ");
}

static char *
net_json (const Net *net)
{
  GString *json = g_string_new ("{");

  append_matrix (json, "weights_in", &net->w_in[0][0][0], NI, NH, NS);
  append_matrix (json, "weights_rec", &net->w_rec[0][0][0], NH, NH, NS);
  append_matrix (json, "weights_out", &net->w_out[0][0], NH, NO, 1);
  append_vector (json, "threshold", net->th, NH, 1);
  append_vector (json, "bias", net->bias, NH, 1);
  append_vector (json, "dash_mem", net->dm, NH, 1);
  append_vector (json, "dash_syn", &net->ds[0][0], NH, NS);
  append_vector (json, "dash_syn_2", &net->ds[0][1], NH, NS);
  append_vector (json, "threshold_out", net->th_out, NO, 1);
  append_vector (json, "bias_out", net->bias_out, NO, 1);
  append_vector (json, "dash_mem_out", net->dm_out, NO, 1);
  append_vector (json, "dash_syn_out", net->ds_out, NO, 1);
  g_string_append (json, "\"aliases\": [");
  for (int j = 0; j < NH; j++)
    {
      g_string_append (json, j ? ", [" : "[");
      for (int e = 0; e < NA && net->alias[j][e] >= 0; e++)
        g_string_append_printf (json, "%s%d", e ? ", " : "", net->alias[j][e]);
      g_string_append (json, "]");
    }
  g_string_append_printf (json, "], \"weight_shift_in\": %d, \"weight_shift_rec\": %d, "
                          "\"weight_shift_out\": %d}",
                          net->shift_in, net->shift_rec, net->shift_out);
  return g_string_free (json, FALSE);
}

static void
test_random_networks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  guint64 saturated_steps = 0, clean_steps = 0;

  for (int n = 0; n < 200; n++)
    {
      Net net;
      State s = { 0, };
      g_autofree char *json = NULL;
      g_autoptr(SqXyloSpec) spec = NULL;
      g_autoptr(SqXyloSim) sim = NULL;
      g_autoptr(SqSimResult) r1 = NULL;
      g_autoptr(SqSimResult) r2 = NULL;
      g_autoptr(GError) error = NULL;
      SqRaster raster, half;

      random_net (&net, rand);
      json = net_json (&net);
      spec = sq_xylo_spec_load_json_data (json, strlen (json), "random.json", &error);
      g_assert_no_error (error);
      sim = sq_xylo_sim_new (spec, SQ_DEVICE_XYLO_AUDIO2, &error);
      g_assert_no_error (error);
      g_assert_true (sq_raster_init (&raster, T, NI, NULL));
      /* Quiet stretches and bursts, so some steps stay clear of the rails. */
      for (gsize i = 0; i < T * NI; i++)
        raster.counts[i] = g_rand_int_range (rand, 0, 4) == 0 ? rnd (rand, 1, 20) : 0;
      half = raster;
      half.n_steps = T / 2;
      r1 = sq_xylo_sim_run (sim, &half, TRUE, &error);
      g_assert_no_error (error);
      half.counts = raster.counts + T / 2 * NI;
      half.n_steps = T - T / 2;
      r2 = sq_xylo_sim_run (sim, &half, TRUE, &error);
      g_assert_no_error (error);

      for (int u = 0; u < T; u++)
        {
          const SqSimResult *r = u < T / 2 ? r1 : r2;
          int t = u < T / 2 ? u : u - T / 2;
          guint8 out[NO];
          guint64 before = s.isyn_sat;

          reference_step (&net, &s, raster.counts + u * NI, out);
          if (s.isyn_sat > before)
            saturated_steps++;
          else
            clean_steps++;
          for (int j = 0; j < NH; j++)
            {
              g_assert_cmpint (r->itrace[SQ_TRACE_VMEM_HIDDEN][t * NH + j], ==, s.vmem[j]);
              g_assert_cmpint (r->spikes_hidden[t * NH + j], ==, s.events[j]);
              for (int k = 0; k < NS; k++)
                g_assert_cmpint (r->itrace[SQ_TRACE_ISYN_HIDDEN][(t * NH + j) * NS + k], ==,
                                 s.isyn[j][k]);
            }
          for (int o = 0; o < NO; o++)
            {
              g_assert_cmpint (r->itrace[SQ_TRACE_VMEM_OUT][t * NO + o], ==, s.vmem_out[o]);
              g_assert_cmpint (r->itrace[SQ_TRACE_ISYN_OUT][t * NO + o], ==, s.isyn_out[o]);
              g_assert_cmpint (r->spikes_out[t * NO + o], ==, out[o]);
            }
        }
      g_assert_cmpuint (r1->isyn_saturated + r2->isyn_saturated, ==, s.isyn_sat);
      g_assert_cmpuint (r1->vmem_saturated + r2->vmem_saturated, ==, s.vmem_sat);
      sq_raster_clear (&raster);
    }
  g_test_message ("%" G_GUINT64_FORMAT " steps saturated, %" G_GUINT64_FORMAT " clean",
                  saturated_steps, clean_steps);
  /* Both kinds of step were exercised. */
  g_assert_cmpuint (saturated_steps, >, 1000);
  g_assert_cmpuint (clean_steps, >, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/xylo-sim/reference/random-networks", test_random_networks);
  return g_test_run ();
}
