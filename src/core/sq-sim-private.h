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
 * Sparse fan-out lists, in the order the core delivers events: synapse 1 targets in
 * ascending order, then synapse 2 targets. Zero weights have no entry.
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


/* The first event count at or after @p that is not zero; @n when there is none. */
static inline gsize
_sq_sim_next_event (const guint8 *events,
                    gsize         p,
                    gsize         n)
{
  while (p < n && events[p] == 0)
    p++;
  return p;
}

/* Asks for the first lines of @bytes at @data (a fan-out row) ahead of their use: the rows
 * of the neurons that fire in a step lie anywhere in lists larger than the caches, and the
 * delivery of one row is short enough that the next one's start would otherwise stall it. */
static inline void
_sq_sim_prefetch (const void *data,
                  gsize       bytes)
{
  const char *c = data;

  for (gsize b = 0; b < MIN (bytes, 256); b += 64)
    __builtin_prefetch (c + b);
}

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
