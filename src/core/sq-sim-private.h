/* sq-sim-private.h: what the integer core and the float model share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"
#include "sq-private.h"

G_BEGIN_DECLS

/**
 * SqFanout:
 * @offsets: (array length=n_pre+1): the entries of pre-synaptic neuron p are
 *   `offsets[p] .. offsets[p+1]`
 * @target: the state each entry adds to: `j * n_syn + k` for a hidden neuron's synapse k,
 *   `o` for an output neuron
 * @weight: the weight as the specification gives it
 *
 * Sparse fan-out lists, each row's targets in ascending order (the states a delivery
 * walks through in memory order). Zero weights have no entry. A row's entries have distinct
 * targets, so the order of the adds within one event changes no result.
 */
typedef struct {
  gsize    n_pre;
  gsize   *offsets;
  guint32 *target;
  double  *weight;
} SqFanout;

void         _sq_fanout_build     (SqFanout          *fanout,
                                   const SqTensor    *weights,
                                   gsize              n_pre,
                                   gsize              first_pre,
                                   gsize              n_syn);
void         _sq_fanout_clear     (SqFanout          *fanout);
/* @a's row p followed by @b's row p with its targets moved up by @b_first, for every p: a
 * hidden neuron's recurrent and output entries as one list, delivered to one state array
 * (the output synapses after the hidden ones) in one pass per event. Takes over and clears
 * both. */
void         _sq_fanout_concat    (SqFanout          *fanout,
                                   SqFanout          *a,
                                   SqFanout          *b,
                                   guint32            b_first);

/**
 * SqDenseRows:
 * @lo: (array length=n_pre): the first state of row p's segment
 * @len: (array length=n_pre): the segment's length; 0 keeps the row sparse
 * @at: (array length=n_pre): where the segment starts in the simulator's pool of weights
 * @pool: the pool's length, at most 4 × the fan-out's entries
 *
 * The rows of a fan-out list that fill at least a quarter of the span of their targets (the
 * input rows of a trained Xylo network: 1 866 of 2 000 synaptic states each). A simulator
 * delivers such a row as one add per state of the span, the weights of the missing targets
 * being an identity (−0.0, or integer 0): a vectorized pass instead of as many scattered
 * adds, with the same results.
 */
typedef struct {
  gsize *lo;
  gsize *len;
  gsize *at;
  gsize  pool;
} SqDenseRows;

void         _sq_dense_rows_plan  (SqDenseRows       *dense,
                                   const SqFanout    *fanout);
void         _sq_dense_rows_clear (SqDenseRows       *dense);

/**
 * SqFired:
 * @index: (array length=n): the hidden neurons with pending events
 * @n: how many
 * @unsorted: an alias copy appended a neuron out of order
 *
 * The neurons whose events the next step delivers, so that step reads their rows without
 * scanning every count. The firing pass appends each neuron as it leaves it with a count;
 * only an alias copy to a neuron the pass has left behind breaks the ascending order, and
 * _sq_fired_sort() restores it before delivery (the float model's sums depend on it).
 */
typedef struct {
  guint32  *index;
  gsize     n;
  gboolean  unsorted;
} SqFired;

void         _sq_fired_sort       (SqFired           *fired);

/* The alias copies of hidden neuron @j in the firing pass, in order, each re-reading @j's
 * count: a target's count grows by it, capped at SQ_XYLO_HIDDEN_CAP. A target the pass has
 * left behind that gets its first count is appended to @fired (*@n_fired entries so far)
 * out of order. Returns how many copies hit the cap. */
static inline guint64
_sq_sim_copy_aliases (const gsize   *alias_offsets,
                      const guint32 *alias_targets,
                      gsize          j,
                      guint8        *events,
                      SqFired       *fired,
                      gsize         *n_fired)
{
  guint64 cap_hit = 0;

  for (gsize e = alias_offsets[j]; e < alias_offsets[j + 1]; e++)
    {
      guint32 a = alias_targets[e];
      guint c = events[a] + events[j];

      if (a < j && events[a] == 0 && c > 0)
        {
          fired->index[(*n_fired)++] = a;
          fired->unsorted = TRUE;
        }
      if (c > SQ_XYLO_HIDDEN_CAP)
        {
          c = SQ_XYLO_HIDDEN_CAP;
          cap_hit++;
        }
      events[a] = (guint8) c;
    }
  return cap_hit;
}
/* 1 for each hidden neuron of @spec that an alias copies events to, else 0. */
guint8      *_sq_sim_alias_targets (const SqXyloSpec *spec) G_GNUC_WARN_UNUSED_RESULT;


/* The sizes a simulator keeps from its specification. */
typedef struct {
  gsize n_in;
  gsize n_hidden;
  gsize n_syn;
  gsize n_out;
} SqSimShape;

void         _sq_sim_shape_init   (SqSimShape        *shape,
                                   const SqXyloSpec  *spec);
SqSimResult *_sq_sim_result_new   (const SqSimShape  *shape,
                                   gsize              n_steps,
                                   gboolean           float_model,
                                   gboolean           record_all,
                                   GError           **error);
gboolean     _sq_sim_check_input  (const SqSimShape  *shape,
                                   const SqRaster    *input,
                                   GError           **error);

/* Between steps of a run, every SQ_SIM_CHECK_STEPS steps: FALSE (cancelled, @error set)
 * stops the run; otherwise reports progress. Inline: it runs in the step loop. */
static inline gboolean
_sq_sim_check_point (gsize           t,
                     gsize           n_steps,
                     GCancellable   *cancellable,
                     SqProgressFunc  progress,
                     gpointer        progress_data,
                     GError        **error)
{
  if (t % SQ_SIM_CHECK_STEPS != 0 || t == 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress != NULL)
    progress ((double) t / (double) n_steps, progress_data);
  return TRUE;
}

G_END_DECLS
