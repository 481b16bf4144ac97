/* sq-xylo-sim.c: the Xylo integer neuron core
 *
 * Bit-exact with SynSense's xylosim v2 (Xylo Audio 2, IMU, Audio 3) and, for Xylo v1, with
 * the v1 differences described in research/rockpool.md §3.2 as corrected by the conformance
 * README: per step, input events (at most 15 per channel), then the hidden events of the
 * previous step through weights_rec and weights_out, then the hidden neurons in ascending
 * order (decay, integrate, fire up to 31 events with subtractive reset, alias copies), then
 * the output neurons (at most one event), then the record.
 *
 * Events go through sparse fan-out lists, so a step costs what its events and synapses
 * cost, not Nhid². Repeated events of one pre-synaptic neuron onto one state saturate
 * exactly like a single add of n·w (the adds are monotone), so each entry is applied once,
 * and an event that provably cannot reach a rail (see deliver()) skips the saturation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-sim-private.h"

#define I16_MIN (-32768)
#define I16_MAX 32767

typedef struct {
  guint32 target;
  gint32  w;
} SimEntry;

struct _SqXyloSim {
  SqDevice   device;
  SqSimShape shape;

  /* Fan-out lists; each entry's target and weight (shifted and wrapped to int16 once,
   * here) side by side, so delivering an event reads one stream. A hidden neuron's row
   * holds its recurrent entries, then its output entries (targets from n_hidden × n_syn,
   * where isyn_out follows isyn). */
  SqFanout   in, hid;
  SimEntry  *e_in, *e_hid;
  gint32    *wmax_in, *wmax_hid;   /* max |w| of each pre-synaptic neuron's row */
  SqDenseRows dense_in;     /* the input rows delivered whole (when no add can saturate) … */
  gint32    *dense_in_w;    /* … from these weights, 0 for the missing ones */

  gint32    *threshold, *bias, *threshold_out, *bias_out;
  gint32    *dash_syn;       /* n_hidden × n_syn, like the synaptic state */
  gint32    *dash_mem, *dash_mem_out, *dash_syn_out;
  gsize     *alias_offsets;  /* NULL without aliases */
  guint32   *alias_targets;

  /* State, in int32 holding int16 values; isyn_out is the end of isyn's array. */
  gint32    *isyn, *vmem, *isyn_out, *vmem_out;
  guint8    *events;         /* S: events of each hidden neuron, delivered next step */
  SqFired    fired;          /* the neurons with events[] pending, ascending */
  guint32   *candidates;     /* scratch: the neurons the firing pass visits */
  guint8    *alias_in;       /* 1 for a target of an alias */
};

static inline gint32
sat16 (gint32 v)
{
  return v > I16_MAX ? I16_MAX : v < I16_MIN ? I16_MIN : v;
}

static inline gint32
wrap16 (gint32 v)
{
  return (gint16) (guint16) (guint32) v;
}

/* D(v, d): the decay step, v >> d (towards −∞), at least 1 for a positive v. Negative
 * values never need the fix-up: their shift is at most −1. */
static inline gint32
decay (gint32 v,
       gint32 d)
{
  gint32 q = v >> d;

  /* Without a branch: the sign of the states is as good as random, a branch mispredicts. */
  return q + (gint32) ((q == 0) & (v > 0));
}

/* xylosim takes weight shifts 0…15 (the chips 0…7, which the device check reports); a
 * larger one is refused rather than given a meaning xylosim does not define. */
#define SIM_WEIGHT_SHIFT_MAX 15

/* wrap16 (w << s), s ≤ SIM_WEIGHT_SHIFT_MAX. */
static gint32
shifted_weight (double w,
                int    shift)
{
  return wrap16 ((gint32) ((guint32) (gint32) w << shift));
}

/* ---------------------------------------------------------------------------------------- */
/* Building                                                                                  */

static gboolean
check_range (const SqXyloSpec  *spec,
             SqParam            param,
             double             lo,
             double             hi,
             const char        *what,
             GError           **error)
{
  const SqTensor *t = &spec->param[param];
  const char *source = spec->source ? spec->source : _("specification");

  if (!sq_tensor_is_present (t))
    return TRUE;
  for (gsize i = 0; i < t->n; i++)
    {
      double v = t->data[i];
      g_autofree char *path = NULL;
      g_autoptr(GString) value = NULL;

      /* In [lo, hi] (within int32), v is whole when its truncation is v: the test of
       * nearbyint (v) without a call of it per value (2 M weights per network). */
      if (v >= lo && v <= hi && !_sq_differ ((double) (gint32) v, v))
        continue;
      path = sq_tensor_element_path (t, sq_param_name (param), i);
      value = g_string_new (NULL);
      _sq_append_float (value, v);
      if (_sq_differ (nearbyint (v), v))
        g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                     _("%s: %s is %s, expected an integer: quantize the specification for "
                       "the integer core, or run the float model"), source, path, value->str);
      else
        g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                     _("%s: %s is %s, expected %s from %.0f to %.0f"), source, path,
                     value->str, what, lo, hi);
      return FALSE;
    }
  return TRUE;
}

static gint32 *
int_values (const SqTensor *t,
            gsize           n)
{
  gint32 *v = g_new0 (gint32, MAX (n, 1));

  if (sq_tensor_is_present (t))
    for (gsize i = 0; i < n; i++)
      v[i] = (gint32) t->data[i];
  return v;
}

/* The entries with targets below @split shifted by @shift, the others by @shift_above. */
static SimEntry *
fanout_entries (const SqFanout *f,
                guint32         split,
                int             shift,
                int             shift_above)
{
  gsize n = f->offsets[f->n_pre];
  SimEntry *entries = g_new (SimEntry, MAX (n, 1));

  for (gsize e = 0; e < n; e++)
    entries[e] = (SimEntry) {
      f->target[e], shifted_weight (f->weight[e], f->target[e] < split ? shift : shift_above)
    };
  return entries;
}

static gint32 *
row_maxima (const SqFanout *f,
            const SimEntry *entries)
{
  gint32 *m = g_new0 (gint32, MAX (f->n_pre, 1));

  for (gsize p = 0; p < f->n_pre; p++)
    for (gsize e = f->offsets[p]; e < f->offsets[p + 1]; e++)
      m[p] = MAX (m[p], ABS (entries[e].w));
  return m;
}

static gint32 *
dense_weights (const SqDenseRows *d,
               const SqFanout    *f,
               const SimEntry    *entries)
{
  gint32 *w = g_new0 (gint32, MAX (d->pool, 1));

  for (gsize p = 0; p < f->n_pre; p++)
    if (d->len[p] > 0)
      for (gsize e = f->offsets[p]; e < f->offsets[p + 1]; e++)
        w[d->at[p] + entries[e].target - d->lo[p]] = entries[e].w;
  return w;
}

/**
 * sq_xylo_sim_new:
 * @spec: a validated integer specification
 * @device: the chip; Audio 2, IMU and Audio 3 share the v2 core
 *
 * Prepares the integer core for @spec, with all state at zero. Every value must be what the
 * hardware holds: whole numbers, weights in int8, thresholds and biases in int16, dashes
 * 0…31 (the simulator's shifts are undefined beyond), weight shifts 0…15 (xylosim's
 * range); Xylo v1 has no bias.
 *
 * Returns: (transfer full): the simulator, or %NULL with @error set (%SQ_SIM_ERROR_SPEC)
 */
SqXyloSim *
sq_xylo_sim_new (const SqXyloSpec  *spec,
                 SqDevice           device,
                 GError           **error)
{
  g_autoptr(SqXyloSim) sim = NULL;
  gsize nh, ns;

  g_return_val_if_fail (spec != NULL && spec->n_hidden > 0, NULL);
  g_return_val_if_fail (device < SQ_N_DEVICES, NULL);

  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      gboolean ok;

      if (sq_param_is_weights ((SqParam) p))
        ok = check_range (spec, (SqParam) p, -128, 127, _("an int8 weight"), error);
      else if (sq_param_is_dash ((SqParam) p))
        ok = check_range (spec, (SqParam) p, 0, SQ_XYLO_DASH_MAX, _("a dash"), error);
      else
        ok = check_range (spec, (SqParam) p, I16_MIN, I16_MAX, _("an int16 value"), error);
      if (!ok)
        return NULL;
    }
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->weight_shift[i] < 0 || spec->weight_shift[i] > SIM_WEIGHT_SHIFT_MAX)
      {
        g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                     /* TRANSLATORS: "net.json: weight_shift_in is 16, but the simulator
                      * takes 0 to 15 (the chips 0 to 7)" */
                     _("%s: %s is %d, but the simulator takes 0 to %d (the chips 0 to 7)"),
                     spec->source ? spec->source : _("specification"),
                     sq_shift_name ((SqShift) i), spec->weight_shift[i], SIM_WEIGHT_SHIFT_MAX);
        return NULL;
      }
  if (device == SQ_DEVICE_XYLO_V1)
    for (guint p = SQ_PARAM_BIAS; p <= SQ_PARAM_BIAS_OUT; p++)
      {
        const SqTensor *t = &spec->param[p];

        for (gsize i = 0; sq_tensor_is_present (t) && i < t->n; i++)
          if (!_sq_is_zero (t->data[i]))
            {
              g_autofree char *path = sq_tensor_element_path (t, sq_param_name (p), i);

              g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                           _("%s: %s is %g, but Xylo v1 has no bias; remove the biases or "
                             "choose a Xylo with bias (xylo-audio2, xylo-imu, xylo-audio3)"),
                           spec->source ? spec->source : _("specification"), path,
                           t->data[i]);
              return NULL;
            }
      }

  sim = g_new0 (SqXyloSim, 1);
  sim->device = device;
  _sq_sim_shape_init (&sim->shape, spec);
  nh = spec->n_hidden;
  ns = spec->n_syn;

  /* weights_in columns are the first Nien hidden neurons; weights_out rows the last Noen. */
  _sq_fanout_build (&sim->in, &spec->param[SQ_PARAM_WEIGHTS_IN], spec->n_in, 0, ns);
  {
    SqFanout rec, out;

    _sq_fanout_build (&rec, &spec->param[SQ_PARAM_WEIGHTS_REC], nh, 0, ns);
    _sq_fanout_build (&out, &spec->param[SQ_PARAM_WEIGHTS_OUT], nh, nh - spec->n_oen, 1);
    _sq_fanout_concat (&sim->hid, &rec, &out, (guint32) (nh * ns));
  }
  sim->e_in = fanout_entries (&sim->in, G_MAXUINT32, spec->weight_shift[SQ_SHIFT_IN], 0);
  sim->e_hid = fanout_entries (&sim->hid, (guint32) (nh * ns),
                               spec->weight_shift[SQ_SHIFT_REC],
                               spec->weight_shift[SQ_SHIFT_OUT]);
  sim->wmax_in = row_maxima (&sim->in, sim->e_in);
  sim->wmax_hid = row_maxima (&sim->hid, sim->e_hid);
  _sq_dense_rows_plan (&sim->dense_in, &sim->in);
  sim->dense_in_w = dense_weights (&sim->dense_in, &sim->in, sim->e_in);

  sim->threshold = int_values (&spec->param[SQ_PARAM_THRESHOLD], nh);
  sim->bias = int_values (&spec->param[SQ_PARAM_BIAS], nh);
  sim->threshold_out = int_values (&spec->param[SQ_PARAM_THRESHOLD_OUT], spec->n_out);
  sim->bias_out = int_values (&spec->param[SQ_PARAM_BIAS_OUT], spec->n_out);
  sim->dash_mem = int_values (&spec->param[SQ_PARAM_DASH_MEM], nh);
  sim->dash_mem_out = int_values (&spec->param[SQ_PARAM_DASH_MEM_OUT], spec->n_out);
  sim->dash_syn_out = int_values (&spec->param[SQ_PARAM_DASH_SYN_OUT], spec->n_out);
  sim->dash_syn = g_new0 (gint32, nh * ns);
  for (gsize j = 0; j < nh; j++)
    for (gsize k = 0; k < ns; k++)
      {
        const SqTensor *d = &spec->param[k ? SQ_PARAM_DASH_SYN_2 : SQ_PARAM_DASH_SYN];

        sim->dash_syn[j * ns + k] = (gint32) d->data[j];
      }
  if (spec->alias_offsets != NULL)
    {
      sim->alias_offsets = g_memdup2 (spec->alias_offsets, (nh + 1) * sizeof (gsize));
      sim->alias_targets = g_memdup2 (spec->alias_targets,
                                      MAX (spec->alias_offsets[nh], 1) * sizeof (guint32));
    }

  sim->isyn = g_new0 (gint32, nh * ns + spec->n_out);
  sim->vmem = g_new0 (gint32, nh);
  sim->isyn_out = sim->isyn + nh * ns;
  sim->vmem_out = g_new0 (gint32, spec->n_out);
  sim->events = g_new0 (guint8, nh);
  sim->fired.index = g_new (guint32, nh);
  sim->candidates = g_new (guint32, nh);
  sim->alias_in = _sq_sim_alias_targets (spec);

  return g_steal_pointer (&sim);
}

void
sq_xylo_sim_free (SqXyloSim *sim)
{
  if (sim == NULL)
    return;
  _sq_fanout_clear (&sim->in);
  _sq_fanout_clear (&sim->hid);
  g_free (sim->e_in);
  g_free (sim->e_hid);
  g_free (sim->wmax_in);
  g_free (sim->wmax_hid);
  _sq_dense_rows_clear (&sim->dense_in);
  g_free (sim->dense_in_w);
  g_free (sim->threshold);
  g_free (sim->bias);
  g_free (sim->threshold_out);
  g_free (sim->bias_out);
  g_free (sim->dash_syn);
  g_free (sim->dash_mem);
  g_free (sim->dash_mem_out);
  g_free (sim->dash_syn_out);
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

/* Clears every state and pending event, as at power-up. State otherwise persists from one
 * run to the next, like Rockpool's evolve(). */
void
sq_xylo_sim_reset (SqXyloSim *sim)
{
  const SqSimShape *s = &sim->shape;

  memset (sim->isyn, 0, s->n_hidden * s->n_syn * sizeof (gint32));
  memset (sim->vmem, 0, s->n_hidden * sizeof (gint32));
  memset (sim->isyn_out, 0, s->n_out * sizeof (gint32));
  memset (sim->vmem_out, 0, s->n_out * sizeof (gint32));
  memset (sim->events, 0, s->n_hidden);
  sim->fired.n = 0;
  sim->fired.unsorted = FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                   */

/* Adds @n events of every entry of pre-synaptic neuron @p to @state, saturating. Returns
 * how many adds hit a rail.
 *
 * *@bound is at least every |state|: while it plus the most this event can add stays inside
 * int16, no add can reach a rail and the plain adds are exact (most events of a working
 * network); otherwise each add saturates. A single event skips the multiply. */
static inline guint64
deliver (const gsize    *offsets,
         const SimEntry *entries,
         const gint32   *wmax,
         gsize           p,
         gint32          n,
         gint32         *state,
         gint64         *bound)
{
  const SimEntry *e = entries + offsets[p], *end = entries + offsets[p + 1];
  gint64 reach = *bound + (gint64) n * wmax[p];
  guint64 saturated = 0;

  if (reach <= I16_MAX)
    {
      *bound = reach;
      if (n == 1)
        for (; e < end; e++)
          state[e->target] += e->w;
      else
        for (; e < end; e++)
          state[e->target] += n * e->w;
      return 0;
    }
  *bound = -(gint64) I16_MIN;
  for (; e < end; e++)
    {
      gint32 v = state[e->target] + n * e->w;
      gint32 s = sat16 (v);

      saturated += s != v;
      state[e->target] = s;
    }
  return saturated;
}

/* A dense row's segment when no add can reach a rail: deliver()'s plain adds, and adds of
 * 0. */
static SQ_CLONES void
deliver_dense (gint32       *restrict state,
               const gint32 *restrict weight,
               gsize                  len,
               gint32                 n)
{
  if (n == 1)
    for (gsize i = 0; i < len; i++)
      state[i] += weight[i];
  else
    for (gsize i = 0; i < len; i++)
      state[i] += n * weight[i];
}

static gint64
max_abs (const gint32 *state,
         gsize         n)
{
  gint32 m = 0;

  for (gsize i = 0; i < n; i++)
    m = MAX (m, ABS (state[i]));
  return m;
}

/* One neuron's membrane update; TRUE when a rail was hit. v2 saturates the change, then the
 * change plus bias, then the membrane; v1 decays, then saturates once. */
static inline gboolean
integrate (gint32   *vmem,
           gint32    isyn,
           gint32    bias,
           gint32    dash,
           gboolean  v1)
{
  gint32 v = *vmem, dv, sum;
  gboolean hit;

  if (v1)
    {
      v -= decay (v, dash);
      sum = v + isyn;
      *vmem = sat16 (sum);
      return *vmem != sum;
    }
  sum = wrap16 (-decay (v, dash)) + isyn;
  dv = sat16 (sum);
  hit = dv != sum;
  sum = dv + bias;
  dv = sat16 (sum);
  hit |= dv != sum;
  sum = v + dv;
  *vmem = sat16 (sum);
  return hit || *vmem != sum;
}

/* The synaptic decays of every hidden neuron, and the maximum |isyn| after them (the bound
 * the deliveries of the next step start from). */
static SQ_CLONES gint64
decay_synapses (gsize                  n,
                gint32       *restrict isyn,
                const gint32 *restrict dash)
{
  gint32 m = 0;

  for (gsize i = 0; i < n; i++)
    {
      gint32 v = isyn[i] - decay (isyn[i], dash[i]);

      isyn[i] = v;
      m = MAX (m, ABS (v));
    }
  return m;
}

/* The membranes of every hidden neuron (v2 or v1); how many hit a rail. No neuron's update
 * reads another's, so this is a pass of its own, without branches. */
static SQ_CLONES guint64
integrate_hidden (gsize                  nh,
                  gsize                  ns,
                  const gint32 *restrict isyn,
                  gint32       *restrict vmem,
                  const gint32 *restrict bias,
                  const gint32 *restrict dash_mem,
                  gboolean               v1)
{
  guint64 hit = 0;

  if (ns == 2 && !v1)
    for (gsize j = 0; j < nh; j++)
      hit += integrate (&vmem[j], isyn[2 * j] + isyn[2 * j + 1], bias[j], dash_mem[j], FALSE);
  else
    for (gsize j = 0; j < nh; j++)
      {
        gint32 sum = 0;

        for (gsize k = 0; k < ns; k++)
          sum += isyn[j * ns + k];
        hit += integrate (&vmem[j], sum, bias[j], dash_mem[j], v1);
      }
  return hit;
}

/**
 * sq_xylo_sim_run:
 * @input: event counts per step and channel; counts above 15 act as 15
 * @record_all: also record hidden events and every state trace (memory grows with T × Nhid)
 *
 * Runs the core over @input from its current state.
 *
 * Returns: (transfer full): the recording and the diagnostics, or %NULL with @error set
 */
SqSimResult *
sq_xylo_sim_run (SqXyloSim      *sim,
                 const SqRaster *input,
                 gboolean        record_all,
                 GError        **error)
{
  return sq_xylo_sim_run_full (sim, input, record_all, NULL, NULL, NULL, error);
}

/**
 * sq_xylo_sim_run_full:
 * @cancellable: (nullable): checked every %SQ_SIM_CHECK_STEPS steps
 * @progress: (nullable): called from this thread with the part done, at the same interval
 *
 * sq_xylo_sim_run() for a thread: the same steps in the same order, so the result is
 * bit-identical. A cancelled run returns %NULL with %G_IO_ERROR_CANCELLED and leaves the
 * state where it stopped: reset before running again.
 */
SqSimResult *
sq_xylo_sim_run_full (SqXyloSim      *sim,
                      const SqRaster *input,
                      gboolean        record_all,
                      GCancellable   *cancellable,
                      SqProgressFunc  progress,
                      gpointer        progress_data,
                      GError        **error)
{
  const SqSimShape *s = &sim->shape;
  const gsize nh = s->n_hidden, ns = s->n_syn, no = s->n_out, ni = s->n_in;
  const gboolean v1 = sim->device == SQ_DEVICE_XYLO_V1;
  g_autoptr(SqSimResult) r = NULL;
  gint32 *isyn = sim->isyn, *vmem = sim->vmem, *isyn_out = sim->isyn_out;
  gint32 *vmem_out = sim->vmem_out;
  /* Locals: a store of an event count (a byte) may alias anything, so fields read through
   * sim in the loops would be read again after each. */
  const gint32 *threshold = sim->threshold, *bias = sim->bias, *dash_mem = sim->dash_mem;
  const gint32 *dash_syn = sim->dash_syn;
  const gsize *alias_offsets = sim->alias_offsets;
  const guint32 *alias_targets = sim->alias_targets;
  const gsize *hid_offsets = sim->hid.offsets;
  const SimEntry *e_hid = sim->e_hid;
  const gint32 *wmax_hid = sim->wmax_hid;
  guint8 *events = sim->events;
  guint32 *fired = sim->fired.index;
  gsize n_fired = sim->fired.n, n_candidates;
  guint32 *candidates = sim->candidates;
  const guint8 *alias_in = sim->alias_in;
  const SqDenseRows *dense_in = &sim->dense_in;
  guint64 *hidden_events;
  gint64 bound_next;
  guint64 isyn_sat = 0, vmem_sat = 0, cap_hit = 0, dropped = 0;

  g_return_val_if_fail (sim != NULL && input != NULL, NULL);

  if (!_sq_sim_check_input (s, input, error))
    return NULL;
  r = _sq_sim_result_new (s, input->n_steps, FALSE, record_all, error);
  if (r == NULL)
    return NULL;
  hidden_events = r->hidden_events;
  bound_next = max_abs (isyn, nh * ns);

  for (gsize t = 0; t < input->n_steps; t++)
    {
      const guint8 *x = input->counts + t * ni;

      if (!_sq_sim_check_point (t, input->n_steps, cancellable, progress, progress_data,
                                error))
        return NULL;

      /* max |isyn| now, output synapses included (one row delivers to both): the hidden
       * ones after the last step's decays, as decay_synapses() found it. */
      gint64 bound = MAX (bound_next, max_abs (isyn_out, no));

      /* 1. Input events, this step. */
      for (gsize i = 0; i < ni; i++)
        {
          gint32 n = x[i];

          if (n == 0)
            continue;
          if (n > SQ_XYLO_INPUT_CAP)
            {
              dropped += (guint64) (n - SQ_XYLO_INPUT_CAP);
              n = SQ_XYLO_INPUT_CAP;
            }
          if (dense_in->len[i] > 0 && bound + (gint64) n * sim->wmax_in[i] <= I16_MAX)
            {
              bound += (gint64) n * sim->wmax_in[i];
              deliver_dense (isyn + dense_in->lo[i], sim->dense_in_w + dense_in->at[i],
                             dense_in->len[i], n);
            }
          else
            isyn_sat += deliver (sim->in.offsets, sim->e_in, sim->wmax_in, i, n, isyn,
                                 &bound);
        }

      /* 2. Hidden events of the previous step, to hidden and output synapses, in
       * ascending order (SqFired). */
      for (gsize f = 0; f < n_fired; f++)
        {
          gsize p = fired[f];
          gint32 n = events[p];

          isyn_sat += deliver (hid_offsets, e_hid, wmax_hid, p, n, isyn, &bound);
          events[p] = 0;
        }
      n_fired = 0;

      /* 3. Hidden neurons: the synaptic decays and the membranes first, in passes over
       * all of them (no neuron's update reads another's), then the firing in ascending
       * order; events[] collects this step's events, alias copies from lower-numbered
       * neurons included. Only a neuron at its threshold or with alias copies can have
       * any, so the pass visits those (collected without a branch: which neurons fire is
       * as good as random). */
      bound_next = decay_synapses (nh * ns, isyn, dash_syn);
      vmem_sat += integrate_hidden (nh, ns, isyn, vmem, bias, dash_mem, v1);
      n_candidates = 0;
      for (gsize j = 0; j < nh; j++)
        {
          candidates[n_candidates] = (guint32) j;
          n_candidates += (vmem[j] >= threshold[j]) | alias_in[j];
        }
      for (gsize ci = 0; ci < n_candidates; ci++)
        {
          gsize j = candidates[ci];
          gint32 v, th = threshold[j], n;

          v = vmem[j];
          n = events[j];
          /* Most neurons: no event of their own and none copied in, so their alias copies
           * add nothing (a count is at most 31, the cap is not reached). */
          if (v < th && n == 0)
            continue;
          if (v >= th && n < SQ_XYLO_HIDDEN_CAP)
            {
              if (th > 0)
                {
                  /* The loop of subtractions in closed form: no wrap can happen. */
                  gint32 own = v / th, room = SQ_XYLO_HIDDEN_CAP - n;

                  if (own > room)
                    {
                      own = room;
                      cap_hit++;
                    }
                  v -= own * th;
                  n += own;
                }
              else
                {
                  /* θ ≤ 0: each subtraction raises V and may wrap it negative. */
                  while (v >= th && n < SQ_XYLO_HIDDEN_CAP)
                    {
                      n++;
                      v = wrap16 (v - th);
                    }
                  cap_hit += v >= th;
                }
              vmem[j] = v;
              events[j] = (guint8) n;
            }
          else if (v >= th)
            cap_hit++;
          if (events[j] != 0)
            fired[n_fired++] = (guint32) j;

          /* Every alias entry, in order, re-reading this neuron's count each time. */
          if (alias_offsets != NULL)
            cap_hit += _sq_sim_copy_aliases (alias_offsets, alias_targets, j, events,
                                             &sim->fired, &n_fired);
        }

      /* 4. Output neurons: one synapse, at most one event. */
      for (gsize o = 0; o < no; o++)
        {
          isyn_out[o] -= decay (isyn_out[o], sim->dash_syn_out[o]);
          vmem_sat += integrate (&vmem_out[o], isyn_out[o], sim->bias_out[o],
                                 sim->dash_mem_out[o], v1);
          if (vmem_out[o] >= sim->threshold_out[o])
            {
              vmem_out[o] = wrap16 (vmem_out[o] - sim->threshold_out[o]);
              r->spikes_out[t * no + o] = 1;
              if (r->out_events[o]++ == 0)
                r->first_out[o] = (gint64) t;
            }
        }

      /* 5. Record, after the whole step. */
      sim->fired.n = n_fired;
      _sq_fired_sort (&sim->fired);
      for (gsize f = 0; f < n_fired; f++)
        hidden_events[fired[f]] += events[fired[f]];
      if (record_all)
        {
          memcpy (r->spikes_hidden + t * nh, events, nh);
          for (gsize j = 0; j < nh; j++)
            r->itrace[SQ_TRACE_VMEM_HIDDEN][t * nh + j] = (gint16) vmem[j];
          for (gsize j = 0; j < nh * ns; j++)
            r->itrace[SQ_TRACE_ISYN_HIDDEN][t * nh * ns + j] = (gint16) isyn[j];
          for (gsize o = 0; o < no; o++)
            {
              r->itrace[SQ_TRACE_VMEM_OUT][t * no + o] = (gint16) vmem_out[o];
              r->itrace[SQ_TRACE_ISYN_OUT][t * no + o] = (gint16) isyn_out[o];
            }
        }
    }

  r->isyn_saturated = isyn_sat;
  r->vmem_saturated = vmem_sat;
  r->cap_hit = cap_hit;
  r->input_dropped = dropped;
  return g_steal_pointer (&r);
}
