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
  SqFanout   in, rec, out;

  double    *threshold, *bias, *alpha, *beta;          /* beta: n_hidden × n_syn */
  double    *threshold_out, *bias_out, *alpha_out, *beta_out;
  gsize     *alias_offsets;
  guint32   *alias_targets;

  double    *isyn, *vmem, *isyn_out, *vmem_out;
  guint8    *events;
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
  _sq_fanout_build (&sim->rec, &spec->param[SQ_PARAM_WEIGHTS_REC], nh, 0, ns);
  _sq_fanout_build (&sim->out, &spec->param[SQ_PARAM_WEIGHTS_OUT], nh, nh - spec->n_oen, 1);
  scale_weights (&sim->in, spec->weight_shift[SQ_SHIFT_IN]);
  scale_weights (&sim->rec, spec->weight_shift[SQ_SHIFT_REC]);
  scale_weights (&sim->out, spec->weight_shift[SQ_SHIFT_OUT]);

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
  sim->isyn = g_new0 (double, nh * ns);
  sim->vmem = g_new0 (double, nh);
  sim->isyn_out = g_new0 (double, spec->n_out);
  sim->vmem_out = g_new0 (double, spec->n_out);
  sim->events = g_new0 (guint8, nh);
  return sim;
}

void
sq_float_sim_free (SqFloatSim *sim)
{
  if (sim == NULL)
    return;
  _sq_fanout_clear (&sim->in);
  _sq_fanout_clear (&sim->rec);
  _sq_fanout_clear (&sim->out);
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
  g_free (sim->isyn_out);
  g_free (sim->vmem_out);
  g_free (sim->events);
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
}

static inline void
deliver (const SqFanout *f,
         gsize           p,
         double          n,
         double         *state)
{
  for (gsize e = f->offsets[p], end = f->offsets[p + 1]; e < end; e++)
    state[f->target[e]] += n * f->weight[e];
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
  g_autoptr(SqSimResult) r = NULL;

  if (!_sq_sim_check_input (s, input, error))
    return NULL;
  r = _sq_sim_result_new (s, input->n_steps, TRUE, record_all, error);
  if (r == NULL)
    return NULL;

  for (gsize t = 0; t < input->n_steps; t++)
    {
      const guint8 *x = input->counts + t * ni;

      if (!_sq_sim_check_point (t, input->n_steps, cancellable, progress, progress_data,
                                error))
        return NULL;
      for (gsize i = 0; i < ni; i++)
        if (x[i] > 0)
          {
            r->input_dropped += x[i] > SQ_XYLO_INPUT_CAP ? x[i] - SQ_XYLO_INPUT_CAP : 0;
            deliver (&sim->in, i, MIN (x[i], SQ_XYLO_INPUT_CAP), sim->isyn);
          }
      for (gsize p = 0; p < nh; p++)
        if (sim->events[p] > 0)
          {
            deliver (&sim->rec, p, sim->events[p], sim->isyn);
            deliver (&sim->out, p, sim->events[p], sim->isyn_out);
            sim->events[p] = 0;
          }

      for (gsize j = 0; j < nh; j++)
        {
          double sum = 0.0, v, th = sim->threshold[j];
          guint n = sim->events[j];

          for (gsize k = 0; k < ns; k++)
            {
              sim->isyn[j * ns + k] *= sim->beta[j * ns + k];
              sum += sim->isyn[j * ns + k];
            }
          v = sim->alpha[j] * sim->vmem[j] + sum + sim->bias[j];
          if (v >= th && n < SQ_XYLO_HIDDEN_CAP)
            {
              /* floor (V/θ) events for θ > 0; θ ≤ 0 only grows V: the cap stops it. */
              double own = th > 0.0 ? floor (v / th) : SQ_XYLO_HIDDEN_CAP;
              guint room = SQ_XYLO_HIDDEN_CAP - n;

              if (own > room)
                {
                  own = room;
                  r->cap_hit++;
                }
              v -= own * th;
              n += (guint) own;
            }
          else if (v >= th)
            r->cap_hit++;
          sim->vmem[j] = v;
          sim->events[j] = (guint8) n;

          if (sim->alias_offsets != NULL)
            for (gsize e = sim->alias_offsets[j]; e < sim->alias_offsets[j + 1]; e++)
              {
                guint32 a = sim->alias_targets[e];
                guint c = sim->events[a] + sim->events[j];

                if (c > SQ_XYLO_HIDDEN_CAP)
                  {
                    c = SQ_XYLO_HIDDEN_CAP;
                    r->cap_hit++;
                  }
                sim->events[a] = (guint8) c;
              }
        }

      for (gsize o = 0; o < no; o++)
        {
          sim->isyn_out[o] *= sim->beta_out[o];
          sim->vmem_out[o] = sim->alpha_out[o] * sim->vmem_out[o] + sim->isyn_out[o] +
                             sim->bias_out[o];
          if (sim->vmem_out[o] >= sim->threshold_out[o])
            {
              sim->vmem_out[o] -= sim->threshold_out[o];
              r->spikes_out[t * no + o] = 1;
              if (r->out_events[o]++ == 0)
                r->first_out[o] = (gint64) t;
            }
        }

      for (gsize j = 0; j < nh; j++)
        r->hidden_events[j] += sim->events[j];
      if (record_all)
        {
          memcpy (r->spikes_hidden + t * nh, sim->events, nh);
          memcpy (r->ftrace[SQ_TRACE_VMEM_HIDDEN] + t * nh, sim->vmem, nh * sizeof (double));
          memcpy (r->ftrace[SQ_TRACE_ISYN_HIDDEN] + t * nh * ns, sim->isyn,
                  nh * ns * sizeof (double));
          memcpy (r->ftrace[SQ_TRACE_VMEM_OUT] + t * no, sim->vmem_out, no * sizeof (double));
          memcpy (r->ftrace[SQ_TRACE_ISYN_OUT] + t * no, sim->isyn_out, no * sizeof (double));
        }
    }
  return g_steal_pointer (&r);
}
