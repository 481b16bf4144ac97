/* sq-float-sim.c: the float model beside the integer core
 *
 * The same topology and delays as the integer core (input in the same step, hidden→hidden
 * and hidden→output one step late, aliases, 15 input events, 31 hidden events and one
 * output event per step), in double precision, without saturation or floors: synapses and
 * membranes decay by α = exp(−dt/τ) with τ = dt·2^dash, i.e. α = exp(−2^−dash), from the
 * float specification's (possibly fractional) dashes. The order of a step is LIFTorch's:
 * isyn += input; isyn *= β; vmem = α·vmem + Σ isyn + bias; events while vmem ≥ θ, vmem −= θ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-sim-private.h"

struct _SqFloatSim {
  SqSimShape shape;
  SqFanout   in, hid;         /* hid: recurrent, then output entries (isyn_out follows isyn) */
  SqDenseRows dense_in;     /* the input rows delivered whole … */
  double    *dense_in_w;    /* … from these weights, −0.0 for the missing ones */

  double    *threshold, *bias, *alpha, *beta;          /* beta: n_hidden × n_syn */
  double    *threshold_out, *bias_out, *alpha_out, *beta_out;
  gsize     *alias_offsets;
  guint32   *alias_targets;

  double    *isyn, *vmem, *isyn_out, *vmem_out;
  guint8    *events;
  SqFired    fired;         /* the neurons with events[] pending, ascending */
  guint32   *candidates;    /* scratch: the neurons the firing pass visits */
  guint8    *alias_in;      /* 1 for a target of an alias */
};

static double *
values (const SqTensor *t,
        gsize           n)
{
  double *v = g_new0 (double, MAX (n, 1));

  if (sq_tensor_is_present (t))
    memcpy (v, t->data, n * sizeof (double));
  return v;
}

/* α = exp (−dt/τ) with τ = dt·2^dash. */
static double *
decays (const SqTensor *dash,
        gsize           n)
{
  double *a = g_new (double, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    a[i] = exp (-exp2 (-dash->data[i]));
  return a;
}

/* Weight shifts of a float specification scale the weights, as on the chip. */
static void
scale_weights (SqFanout *f,
               int       shift)
{
  for (gsize e = 0; e < f->offsets[f->n_pre]; e++)
    f->weight[e] = ldexp (f->weight[e], shift);
}

/* The dense input rows' weights; −0.0 where a row has no entry, since x + −0.0 is x for
 * every x (+0.0 would turn a −0.0 state into +0.0), and n·−0.0 is −0.0. */
static double *
dense_weights (const SqDenseRows *d,
               const SqFanout    *f)
{
  double *w = g_new (double, MAX (d->pool, 1));

  for (gsize i = 0; i < d->pool; i++)
    w[i] = -0.0;
  for (gsize p = 0; p < f->n_pre; p++)
    if (d->len[p] > 0)
      for (gsize e = f->offsets[p]; e < f->offsets[p + 1]; e++)
        w[d->at[p] + f->target[e] - d->lo[p]] = f->weight[e];
  return w;
}

/**
 * sq_float_sim_new:
 * @spec: a validated specification, float or integer
 *
 * Returns: (transfer full): the float model with all state at zero
 */
SqFloatSim *
sq_float_sim_new (const SqXyloSpec  *spec,
                  GError           **error)
{
  SqFloatSim *sim;
  gsize nh, ns;

  g_return_val_if_fail (spec != NULL && spec->n_hidden > 0, NULL);

  sim = g_new0 (SqFloatSim, 1);
  _sq_sim_shape_init (&sim->shape, spec);
  nh = spec->n_hidden;
  ns = spec->n_syn;
  _sq_fanout_build (&sim->in, &spec->param[SQ_PARAM_WEIGHTS_IN], spec->n_in, 0, ns);
  {
    SqFanout rec, out;

    _sq_fanout_build (&rec, &spec->param[SQ_PARAM_WEIGHTS_REC], nh, 0, ns);
    _sq_fanout_build (&out, &spec->param[SQ_PARAM_WEIGHTS_OUT], nh, nh - spec->n_oen, 1);
    scale_weights (&rec, spec->weight_shift[SQ_SHIFT_REC]);
    scale_weights (&out, spec->weight_shift[SQ_SHIFT_OUT]);
    _sq_fanout_concat (&sim->hid, &rec, &out, (guint32) (nh * ns));
  }
  scale_weights (&sim->in, spec->weight_shift[SQ_SHIFT_IN]);
  _sq_dense_rows_plan (&sim->dense_in, &sim->in);
  sim->dense_in_w = dense_weights (&sim->dense_in, &sim->in);

  sim->threshold = values (&spec->param[SQ_PARAM_THRESHOLD], nh);
  sim->bias = values (&spec->param[SQ_PARAM_BIAS], nh);
  sim->alpha = decays (&spec->param[SQ_PARAM_DASH_MEM], nh);
  sim->beta = g_new (double, nh * ns);
  for (gsize k = 0; k < ns; k++)
    {
      g_autofree double *b = decays (&spec->param[k ? SQ_PARAM_DASH_SYN_2 : SQ_PARAM_DASH_SYN],
                                     nh);

      for (gsize j = 0; j < nh; j++)
        sim->beta[j * ns + k] = b[j];
    }
  sim->threshold_out = values (&spec->param[SQ_PARAM_THRESHOLD_OUT], spec->n_out);
  sim->bias_out = values (&spec->param[SQ_PARAM_BIAS_OUT], spec->n_out);
  sim->alpha_out = decays (&spec->param[SQ_PARAM_DASH_MEM_OUT], spec->n_out);
  sim->beta_out = decays (&spec->param[SQ_PARAM_DASH_SYN_OUT], spec->n_out);
  if (spec->alias_offsets != NULL)
    {
      sim->alias_offsets = g_memdup2 (spec->alias_offsets, (nh + 1) * sizeof (gsize));
      sim->alias_targets = g_memdup2 (spec->alias_targets,
                                      MAX (spec->alias_offsets[nh], 1) * sizeof (guint32));
    }
  sim->isyn = g_new0 (double, nh * ns + spec->n_out);
  sim->vmem = g_new0 (double, nh);
  sim->isyn_out = sim->isyn + nh * ns;
  sim->vmem_out = g_new0 (double, spec->n_out);
  sim->events = g_new0 (guint8, nh);
  sim->fired.index = g_new (guint32, nh);
  sim->candidates = g_new (guint32, nh);
  sim->alias_in = _sq_sim_alias_targets (spec);
  return sim;
}

void
sq_float_sim_free (SqFloatSim *sim)
{
  if (sim == NULL)
    return;
  _sq_fanout_clear (&sim->in);
  _sq_fanout_clear (&sim->hid);
  _sq_dense_rows_clear (&sim->dense_in);
  g_free (sim->dense_in_w);
  g_free (sim->threshold);
  g_free (sim->bias);
  g_free (sim->alpha);
  g_free (sim->beta);
  g_free (sim->threshold_out);
  g_free (sim->bias_out);
  g_free (sim->alpha_out);
  g_free (sim->beta_out);
  g_free (sim->alias_offsets);
  g_free (sim->alias_targets);
  g_free (sim->isyn);
  g_free (sim->vmem);
  g_free (sim->vmem_out);
  g_free (sim->events);
  g_free (sim->fired.index);
  g_free (sim->candidates);
  g_free (sim->alias_in);
  g_free (sim);
}

void
sq_float_sim_reset (SqFloatSim *sim)
{
  const SqSimShape *s = &sim->shape;

  memset (sim->isyn, 0, s->n_hidden * s->n_syn * sizeof (double));
  memset (sim->vmem, 0, s->n_hidden * sizeof (double));
  memset (sim->isyn_out, 0, s->n_out * sizeof (double));
  memset (sim->vmem_out, 0, s->n_out * sizeof (double));
  memset (sim->events, 0, s->n_hidden);
  sim->fired.n = 0;
  sim->fired.unsorted = FALSE;
}

/* floor (v / θ) for v ≥ θ > 0. The quotient is at least 1 (the division rounds
 * monotonically), and below 2 — nearly always — its floor is 1: no call of floor(), which
 * without SSE 4.1 is a function. */
static inline double
whole_quotient (double v,
                double th)
{
  double q = v / th;

  return q < 2.0 ? 1.0 : floor (q);
}

/* The pointers of a fan-out list in registers: the stores of a delivery (doubles) cannot
 * touch them, but the event counts (bytes) could as far as the compiler knows. */
static inline void
deliver (const gsize   *restrict offsets,
         const guint32 *restrict target,
         const double  *restrict weight,
         gsize                   p,
         guint                   n,
         double        *restrict state)
{
  gsize e = offsets[p], end = offsets[p + 1];

  /* 1·w is w: a single event (most) skips the multiply. */
  if (n == 1)
    for (; e < end; e++)
      state[target[e]] += weight[e];
  else
    for (; e < end; e++)
      state[target[e]] += (double) n * weight[e];
}

/* A dense row's segment: the same adds as deliver() makes, and adds of −0.0, which change
 * nothing. */
static SQ_CLONES void
deliver_dense (double       *restrict state,
               const double *restrict weight,
               gsize                  len,
               guint                  n)
{
  if (n == 1)
    for (gsize i = 0; i < len; i++)
      state[i] += weight[i];
  else
    for (gsize i = 0; i < len; i++)
      state[i] += (double) n * weight[i];
}

/* The decays and the membranes of every hidden neuron: no neuron's update reads another's,
 * so this is a pass of its own, without branches (vectorized). Per neuron the operations
 * and their order are the step's: isyn *= β per synapse, sum = 0 + isyn[0] + isyn[1] …,
 * v = α·vmem + sum + bias. */
static SQ_CLONES void
integrate_hidden (gsize                  nh,
                  gsize                  ns,
                  double       *restrict isyn,
                  const double *restrict beta,
                  double       *restrict vmem,
                  const double *restrict alpha,
                  const double *restrict bias)
{
  if (ns == 2)
    for (gsize j = 0; j < nh; j++)
      {
        double a = isyn[2 * j] * beta[2 * j], b = isyn[2 * j + 1] * beta[2 * j + 1];

        isyn[2 * j] = a;
        isyn[2 * j + 1] = b;
        vmem[j] = alpha[j] * vmem[j] + (0.0 + a + b) + bias[j];
      }
  else
    for (gsize j = 0; j < nh; j++)
      {
        double sum = 0.0;

        for (gsize k = 0; k < ns; k++)
          {
            isyn[j * ns + k] *= beta[j * ns + k];
            sum += isyn[j * ns + k];
          }
        vmem[j] = alpha[j] * vmem[j] + sum + bias[j];
      }
}

/**
 * sq_float_sim_run:
 *
 * Runs the float model over @input from its current state. The result has float traces and
 * no saturation counts.
 */
SqSimResult *
sq_float_sim_run (SqFloatSim      *sim,
                  const SqRaster  *input,
                  gboolean         record_all,
                  GError         **error)
{
  return sq_float_sim_run_full (sim, input, record_all, NULL, NULL, NULL, error);
}

/**
 * sq_float_sim_run_full:
 *
 * sq_float_sim_run() for a thread, cancellable and with progress, bit-identical; see
 * sq_xylo_sim_run_full().
 */
SqSimResult *
sq_float_sim_run_full (SqFloatSim      *sim,
                       const SqRaster  *input,
                       gboolean         record_all,
                       GCancellable    *cancellable,
                       SqProgressFunc   progress,
                       gpointer         progress_data,
                       GError         **error)
{
  const SqSimShape *s = &sim->shape;
  const gsize nh = s->n_hidden, ns = s->n_syn, no = s->n_out, ni = s->n_in;
  const SqFanout *in = &sim->in;
  const SqDenseRows *dense_in = &sim->dense_in;
  /* Locals: a store of an event count (a byte) may alias anything, so fields read through
   * sim in the loops would be read again after each. */
  const gsize *hid_offsets = sim->hid.offsets;
  const guint32 *hid_target = sim->hid.target;
  const double *hid_weight = sim->hid.weight;
  double *isyn = sim->isyn, *vmem = sim->vmem, *isyn_out = sim->isyn_out;
  double *vmem_out = sim->vmem_out;
  const double *threshold = sim->threshold;
  const gsize *alias_offsets = sim->alias_offsets;
  const guint32 *alias_targets = sim->alias_targets;
  guint8 *events = sim->events;
  guint32 *fired = sim->fired.index;
  gsize n_fired = sim->fired.n, n_candidates;
  guint32 *candidates = sim->candidates;
  const guint8 *alias_in = sim->alias_in;
  guint64 *hidden_events, cap_hit = 0, dropped = 0;
  g_autoptr(SqSimResult) r = NULL;

  if (!_sq_sim_check_input (s, input, error))
    return NULL;
  r = _sq_sim_result_new (s, input->n_steps, TRUE, record_all, error);
  if (r == NULL)
    return NULL;
  hidden_events = r->hidden_events;

  for (gsize t = 0; t < input->n_steps; t++)
    {
      const guint8 *x = input->counts + t * ni;

      if (!_sq_sim_check_point (t, input->n_steps, cancellable, progress, progress_data,
                                error))
        return NULL;
      for (gsize i = 0; i < ni; i++)
        if (x[i] > 0)
          {
            guint n = MIN (x[i], SQ_XYLO_INPUT_CAP);

            dropped += x[i] > SQ_XYLO_INPUT_CAP ? x[i] - SQ_XYLO_INPUT_CAP : 0;
            if (dense_in->len[i] > 0)
              deliver_dense (isyn + dense_in->lo[i], sim->dense_in_w + dense_in->at[i],
                             dense_in->len[i], n);
            else
              deliver (in->offsets, in->target, in->weight, i, n, isyn);
          }
      /* The firing neurons of the last step, in ascending order (SqFired). */
      for (gsize f = 0; f < n_fired; f++)
        {
          gsize p = fired[f];

          deliver (hid_offsets, hid_target, hid_weight, p, events[p], isyn);
          events[p] = 0;
        }
      n_fired = 0;

      integrate_hidden (nh, ns, isyn, sim->beta, vmem, sim->alpha, sim->bias);
      /* Then the firing in ascending order: events[] collects this step's events, alias
       * copies from lower-numbered neurons included. Only a neuron at its threshold or
       * with alias copies can have any, so the pass visits those (collected without a
       * branch: which neurons fire is as good as random). */
      n_candidates = 0;
      for (gsize j = 0; j < nh; j++)
        {
          candidates[n_candidates] = (guint32) j;
          n_candidates += (vmem[j] >= threshold[j]) | alias_in[j];
        }
      for (gsize ci = 0; ci < n_candidates; ci++)
        {
          gsize j = candidates[ci];
          double v = vmem[j], th = threshold[j];
          guint n = events[j];

          /* Most neurons: no event of their own and none copied in, so their alias copies
           * add nothing (a count is at most 31, the cap is not reached). */
          if (!(v >= th) && n == 0)
            continue;
          if (v >= th && n < SQ_XYLO_HIDDEN_CAP)
            {
              /* floor (V/θ) events for θ > 0; θ ≤ 0 only grows V: the cap stops it. */
              double own = th > 0.0 ? whole_quotient (v, th) : SQ_XYLO_HIDDEN_CAP;
              guint room = SQ_XYLO_HIDDEN_CAP - n;

              if (own > room)
                {
                  own = room;
                  cap_hit++;
                }
              vmem[j] = v - own * th;
              events[j] = (guint8) (n + (guint) own);
            }
          else if (v >= th)
            cap_hit++;
          if (events[j] != 0)
            fired[n_fired++] = (guint32) j;

          if (alias_offsets != NULL)
            cap_hit += _sq_sim_copy_aliases (alias_offsets, alias_targets, j, events,
                                             &sim->fired, &n_fired);
        }

      for (gsize o = 0; o < no; o++)
        {
          isyn_out[o] *= sim->beta_out[o];
          vmem_out[o] = sim->alpha_out[o] * vmem_out[o] + isyn_out[o] + sim->bias_out[o];
          if (vmem_out[o] >= sim->threshold_out[o])
            {
              vmem_out[o] -= sim->threshold_out[o];
              r->spikes_out[t * no + o] = 1;
              if (r->out_events[o]++ == 0)
                r->first_out[o] = (gint64) t;
            }
        }

      sim->fired.n = n_fired;
      _sq_fired_sort (&sim->fired);
      for (gsize f = 0; f < n_fired; f++)
        hidden_events[fired[f]] += events[fired[f]];
      if (record_all)
        {
          memcpy (r->spikes_hidden + t * nh, events, nh);
          memcpy (r->ftrace[SQ_TRACE_VMEM_HIDDEN] + t * nh, vmem, nh * sizeof (double));
          memcpy (r->ftrace[SQ_TRACE_ISYN_HIDDEN] + t * nh * ns, isyn,
                  nh * ns * sizeof (double));
          memcpy (r->ftrace[SQ_TRACE_VMEM_OUT] + t * no, vmem_out, no * sizeof (double));
          memcpy (r->ftrace[SQ_TRACE_ISYN_OUT] + t * no, isyn_out, no * sizeof (double));
        }
    }
  r->cap_hit += cap_hit;
  r->input_dropped += dropped;
  return g_steal_pointer (&r);
}
