/* sq-sim-fanout.c: the sparse fan-out lists through which both simulators deliver events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-sim-private.h"

/**
 * _sq_fanout_build:
 * @weights: (Nrows, Ncols) or (Nrows, Ncols, Nsyn); row r belongs to pre-synaptic neuron
 *   @first_pre + r, column j to target j
 * @n_pre: pre-synaptic neurons in all (rows before @first_pre have no entries)
 * @n_syn: synaptic states per target, the stride of @target
 */
void
_sq_fanout_build (SqFanout       *fanout,
                  const SqTensor *weights,
                  gsize           n_pre,
                  gsize           first_pre,
                  gsize           n_syn)
{
  gsize rows = weights->shape[0], cols = weights->shape[1];
  gsize syn = weights->rank == 3 ? weights->shape[2] : 1;
  gsize n = 0;

  g_assert (first_pre + rows <= n_pre);
  fanout->n_pre = n_pre;
  fanout->offsets = g_new0 (gsize, n_pre + 1);
  for (gsize i = 0; i < weights->n; i++)
    n += !_sq_is_zero (weights->data[i]);
  fanout->target = g_new (guint32, MAX (n, 1));
  fanout->weight = g_new (double, MAX (n, 1));

  /* Row by row in memory order: target j·n_syn + k ascends with the index j·syn + k. */
  n = 0;
  for (gsize p = 0; p < n_pre; p++)
    {
      const double *row;

      fanout->offsets[p] = n;
      if (p < first_pre)
        continue;
      row = weights->data + (p - first_pre) * cols * syn;
      for (gsize j = 0; j < cols; j++)
        for (gsize k = 0; k < syn; k++)
          {
            double w = row[j * syn + k];

            if (_sq_is_zero (w))
              continue;
            fanout->target[n] = (guint32) (j * n_syn + k);
            fanout->weight[n] = w;
            n++;
          }
    }
  fanout->offsets[n_pre] = n;
}

void
_sq_fanout_concat (SqFanout *fanout,
                   SqFanout *a,
                   SqFanout *b,
                   guint32   b_first)
{
  gsize n_pre = a->n_pre, n = a->offsets[n_pre] + b->offsets[n_pre], at = 0;

  g_assert (b->n_pre == n_pre);
  fanout->n_pre = n_pre;
  fanout->offsets = g_new (gsize, n_pre + 1);
  fanout->target = g_new (guint32, MAX (n, 1));
  fanout->weight = g_new (double, MAX (n, 1));
  for (gsize p = 0; p < n_pre; p++)
    {
      gsize na = a->offsets[p + 1] - a->offsets[p], nb = b->offsets[p + 1] - b->offsets[p];

      fanout->offsets[p] = at;
      memcpy (fanout->target + at, a->target + a->offsets[p], na * sizeof (guint32));
      memcpy (fanout->weight + at, a->weight + a->offsets[p], na * sizeof (double));
      at += na;
      for (gsize e = 0; e < nb; e++)
        {
          fanout->target[at + e] = b->target[b->offsets[p] + e] + b_first;
          fanout->weight[at + e] = b->weight[b->offsets[p] + e];
        }
      at += nb;
    }
  fanout->offsets[n_pre] = at;
  _sq_fanout_clear (a);
  _sq_fanout_clear (b);
}

void
_sq_dense_rows_plan (SqDenseRows    *dense,
                     const SqFanout *fanout)
{
  gsize n_pre = fanout->n_pre;

  dense->lo = g_new0 (gsize, MAX (n_pre, 1));
  dense->len = g_new0 (gsize, MAX (n_pre, 1));
  dense->at = g_new0 (gsize, MAX (n_pre, 1));
  dense->pool = 0;
  for (gsize p = 0; p < n_pre; p++)
    {
      gsize first = fanout->offsets[p], count = fanout->offsets[p + 1] - first, span;

      /* Short rows gain nothing from a pass of their own. */
      if (count < 16)
        continue;
      dense->lo[p] = fanout->target[first];
      span = fanout->target[first + count - 1] - dense->lo[p] + 1;
      if (count * 4 < span)
        continue;
      dense->len[p] = span;
      dense->at[p] = dense->pool;
      dense->pool += span;
    }
}

void
_sq_dense_rows_clear (SqDenseRows *dense)
{
  g_clear_pointer (&dense->lo, g_free);
  g_clear_pointer (&dense->len, g_free);
  g_clear_pointer (&dense->at, g_free);
}

guint8 *
_sq_sim_alias_targets (const SqXyloSpec *spec)
{
  guint8 *in = g_new0 (guint8, MAX (spec->n_hidden, 1));

  if (spec->alias_offsets != NULL)
    for (gsize e = 0; e < spec->alias_offsets[spec->n_hidden]; e++)
      in[spec->alias_targets[e]] = 1;
  return in;
}

/* Insertion: the list is ascending but for the few neurons alias copies appended late, so
 * this costs a pass and their moves. */
void
_sq_fired_sort (SqFired *fired)
{
  if (fired->unsorted)
    for (gsize i = 1; i < fired->n; i++)
      {
        guint32 x = fired->index[i];
        gsize k = i;

        for (; k > 0 && fired->index[k - 1] > x; k--)
          fired->index[k] = fired->index[k - 1];
        fired->index[k] = x;
      }
  fired->unsorted = FALSE;
}

void
_sq_fanout_clear (SqFanout *fanout)
{
  g_clear_pointer (&fanout->offsets, g_free);
  g_clear_pointer (&fanout->target, g_free);
  g_clear_pointer (&fanout->weight, g_free);
}
