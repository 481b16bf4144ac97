/* sq-nir-dt.c: before a NIR graph is mapped — whether it can map to Xylo at all, and the
 * time step its own time constants ask for
 *
 * NIR stores no dt, and Xylo's decays are dash = log2(τ/dt) rounded to a whole number in
 * 0…15: a dt too long for the graph's τ rounds every dash to 0 (every state cleared each
 * step), one too short pushes them beyond 15. The proposal is the rule below, so the window
 * and `synquant-cli info` suggest the same number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-nir-private.h"

/* The dashes a proposal aims for: 0 clears the state every step, 15 is Xylo's longest. */
#define DASH_LO 1
#define DASH_HI 15

/* The time constants of a neuron node, by the dataset names NIR gives them. */
static const char * const tau_names[] = { "tau", "tau_mem", "tau_syn" };

static gboolean
has_time_constants (SqNirType type)
{
  return type == SQ_NIR_LIF || type == SQ_NIR_CUBA_LIF || type == SQ_NIR_LI ||
         type == SQ_NIR_CUBA_LI;
}

/* Every positive, finite τ of every neuron, at every nesting level. */
static GArray *
collect_taus (const SqNirGraph *graph)
{
  g_autoptr(GArray) flat = _sq_nir_flatten (graph);
  GArray *taus = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < flat->len; i++)
    {
      const SqNirNode *node = g_array_index (flat, SqNirFlatNode, i).node;

      if (!has_time_constants (node->type))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (tau_names); k++)
        {
          const SqNirParam *p = sq_nir_node_get_param (node, tau_names[k]);

          for (gsize j = 0; p != NULL && sq_tensor_is_present (&p->value) && j < p->value.n;
               j++)
            {
              double tau = p->value.data[j];

              if (isfinite (tau) && tau > 0.0)
                g_array_append_val (taus, tau);
            }
        }
    }
  return taus;
}

/* The dash the quantizer makes of τ at @dt: log2(τ/dt), rounded half to even. */
static double
dash_of (double tau,
         double dt)
{
  return nearbyint (log2 (tau / dt));
}

/* The same as an int: a τ far from any dt (1e300 s at 2^−1000 ms) makes log2 infinite, which
 * no int holds (fuzz-nir-graph found it); every dash that means something is far inside. */
static int
dash_int (double tau,
          double dt)
{
  double d = dash_of (tau, dt);

  return isnan (d) ? 0 : (int) CLAMP (d, -4096.0, 4096.0);
}

/* Time steps beyond 2^±1000 ms are not time steps (and 2^−1075 ms is 0). */
#define K_LIMIT 1000

static int
compare_int (const void *a,
             const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return (x > y) - (x < y);
}

/* How many of the @n ascending @v are ≥ @k. */
static gsize
count_at_least (const int *v,
                gsize      n,
                int        k)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (v[mid] < k)
        lo = mid + 1;
      else
        hi = mid;
    }
  return n - lo;
}

/**
 * sq_nir_propose_dt:
 * @proposal: (out caller-allocates): the proposed time step and what it gives
 *
 * The time step @graph's own time constants ask for. The rule: of the time steps
 * dt = 2^k ms (k a whole number: … 0.125, 0.25, 0.5, 1, 2 … ms), the one at which the most
 * time constants τ (every τ, τ_mem and τ_syn of every neuron) get a dash
 * nearbyint(log2(τ/dt)) between 1 and 15; of several, the longest (the fewest steps per
 * second of input). So a graph whose τ span less than 2^14 gets the longest dt at which its
 * shortest τ still keeps a dash of 1 (τ ≥ 1.41·dt).
 *
 * Returns: %FALSE when @graph has no time constant (only IF neurons, or none), with
 *   @proposal zeroed
 */
gboolean
sq_nir_propose_dt (const SqNirGraph *graph,
                   SqNirDtProposal  *proposal)
{
  g_autoptr(GArray) taus = NULL;
  g_autofree int *lo_k = NULL, *hi_k = NULL;
  double lo = INFINITY, hi = 0.0;
  gsize n = 0;

  g_return_val_if_fail (graph != NULL && proposal != NULL, FALSE);

  *proposal = (SqNirDtProposal) { 0, };
  taus = collect_taus (graph);
  if (taus->len == 0)
    return FALSE;
  for (guint i = 0; i < taus->len; i++)
    {
      lo = MIN (lo, g_array_index (taus, double, i));
      hi = MAX (hi, g_array_index (taus, double, i));
    }

  /* The dash of one τ falls as k grows, so the k giving it a dash in 1…15 form an interval
   * [lo_k, hi_k]. The most τ are in range at some interval's upper end, and the longest dt
   * among the best is one too, so only those are tried: O(n log n), whatever the τ span. */
  lo_k = g_new (int, taus->len);
  hi_k = g_new (int, taus->len);
  for (guint i = 0; i < taus->len; i++)
    {
      double tau = g_array_index (taus, double, i), l = log2 (tau / 1e-3);
      int a = (int) CLAMP (ceil (l - DASH_HI - 0.5), -K_LIMIT, K_LIMIT);
      int b = (int) CLAMP (floor (l - DASH_LO + 0.5), -K_LIMIT, K_LIMIT);

      /* nearbyint() rounds half to even and log2 may be off by an ulp: settle the ends by
       * the dash itself. */
      while (b > -K_LIMIT && dash_of (tau, ldexp (1e-3, b)) < DASH_LO)
        b--;
      while (b < K_LIMIT && dash_of (tau, ldexp (1e-3, b + 1)) >= DASH_LO)
        b++;
      while (a < K_LIMIT && dash_of (tau, ldexp (1e-3, a)) > DASH_HI)
        a++;
      while (a > -K_LIMIT && dash_of (tau, ldexp (1e-3, a - 1)) <= DASH_HI)
        a--;
      /* Empty only beyond 2^±1000 ms: such a τ is in range nowhere. */
      if (a > b)
        continue;
      lo_k[n] = a;
      hi_k[n] = b;
      n++;
    }
  qsort (lo_k, n, sizeof (int), compare_int);
  qsort (hi_k, n, sizeof (int), compare_int);
  for (gsize i = n; i-- > 0;)
    {
      int k = hi_k[i];
      /* In range at k: the intervals ending at k or later, less those starting after k
       * (which end after k too). */
      gsize in_range = count_at_least (hi_k, n, k) - count_at_least (lo_k, n, k + 1);

      /* Longer steps come first: only a strictly better count replaces one. */
      if (in_range > proposal->n_in_range)
        {
          proposal->dt = ldexp (1e-3, k);
          proposal->n_in_range = in_range;
        }
    }
  if (proposal->n_in_range == 0)
    /* Only when every τ lies beyond 2^±1000 ms. */
    proposal->dt = 1e-3;

  proposal->n_tau = taus->len;
  proposal->tau_min = lo;
  proposal->tau_max = hi;
  proposal->dash_min = dash_int (lo, proposal->dt);
  proposal->dash_max = dash_int (hi, proposal->dt);
  return TRUE;
}

/**
 * sq_nir_dt_proposal_describe:
 *
 * Returns: why this dt, in one sentence for the user: "dt 0.125 ms puts every τ between
 *   dash 1 and 3" or "dt 0.5 ms puts 90 of 94 τ between dash 1 and 15"
 */
char *
sq_nir_dt_proposal_describe (const SqNirDtProposal *proposal)
{
  double ms = proposal->dt * 1e3;

  g_return_val_if_fail (proposal != NULL, NULL);

  if (proposal->n_in_range == proposal->n_tau && proposal->dash_min == proposal->dash_max)
    /* Translators: "dt 0.125 ms gives every τ dash 3" */
    return g_strdup_printf (_("dt %g ms gives every τ dash %d"), ms, proposal->dash_min);
  if (proposal->n_in_range == proposal->n_tau)
    /* Translators: "dt 0.125 ms puts every τ between dash 1 and 3" */
    return g_strdup_printf (_("dt %g ms puts every τ between dash %d and %d"), ms,
                            proposal->dash_min, proposal->dash_max);
  /* Translators: "dt 0.5 ms puts 90 of 94 τ between dash 1 and 15" */
  return g_strdup_printf (_("dt %g ms puts %zu of %zu τ between dash %d and %d"), ms,
                          proposal->n_in_range, proposal->n_tau, DASH_LO, DASH_HI);
}

/**
 * sq_nir_graph_check_mappable:
 *
 * Whether @graph can map to Xylo at all, before anyone is asked for a time step: what
 * stops a graph (convolutions, pooling, no hidden population, a weight into the output
 * from the input…) does not depend on dt, so the mapping is tried with the proposed one
 * (or 1 ms) and its result dropped.
 *
 * Returns: %TRUE, or %FALSE with %SQ_NIR_ERROR_UNMAPPABLE listing every reason
 */
gboolean
sq_nir_graph_check_mappable (const SqNirGraph *graph,
                             GError          **error)
{
  SqNirDtProposal proposal;
  SqNirMapOptions options = { 1e-3, SQ_NIR_RESET_SUBTRACT };
  g_autoptr(SqXyloSpec) spec = NULL;

  g_return_val_if_fail (graph != NULL, FALSE);
  if (sq_nir_propose_dt (graph, &proposal))
    options.dt = proposal.dt;
  spec = sq_nir_map_to_xylo (graph, &options, NULL, error);
  return spec != NULL;
}
