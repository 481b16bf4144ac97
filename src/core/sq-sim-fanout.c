/* sq-sim-fanout.c: the sparse fan-out lists through which both simulators deliver events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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

  n = 0;
  for (gsize p = 0; p < n_pre; p++)
    {
      fanout->offsets[p] = n;
      if (p < first_pre)
        continue;
      for (gsize k = 0; k < syn; k++)
        for (gsize j = 0; j < cols; j++)
          {
            double w = weights->data[((p - first_pre) * cols + j) * syn + k];

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
_sq_fanout_clear (SqFanout *fanout)
{
  g_clear_pointer (&fanout->offsets, g_free);
  g_clear_pointer (&fanout->target, g_free);
  g_clear_pointer (&fanout->weight, g_free);
}
