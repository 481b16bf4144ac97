/* sq-fxp-kind-values.c: a fixed-point network with new values (a transform's draw burnt in)
 * and a network written as it is, as a layer file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "synquant.h"
#include "sq-fxp-kind-private.h"
#include "sq-fxp-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

/* 1/@rate, or 0 (which the checks refuse) for a rate that is not above 0. */
static double
time_constant (double rate)
{
  return rate > 0 ? 1 / rate : 0;
}

/* The neuron group's values back into @n, in slot_values()'s order: θ, V_r (hard reset),
 * 1/τ (LIF), 1/τ_syn (a synapse). A rate a transform zeroed or inverted becomes a time
 * constant the checks refuse. */
static void
set_neuron (SqFxpNeuron    *n,
            const SqTensor *t)
{
  gsize k = 0;

  n->v_threshold = t->data[k++];
  if (!n->soft_reset)
    n->v_reset = t->data[k++];
  if (n->type == SQ_FXP_NEURON_LIF)
    n->tau = time_constant (t->data[k++]);
  if (!_sq_is_zero (n->tau_syn))
    n->tau_syn = time_constant (t->data[k++]);
}

/* A float copy of @network's layers with new values; the layer file's checks
 * (sq_fxp_net_validate) decide what it accepts, so a burnt-in draw holds what a file
 * could. */
SqNetwork *
_sq_fxp_kind_with_values (const SqNetwork        *network,
                          const SqTensor * const *values,
                          GError                **error)
{
  const FxpData *d = _sq_fxp_data (network);
  g_autoptr(SqFxpNet) net = _sq_fxp_dequantized (d, error);
  SqNetwork *n;

  if (net == NULL)
    return NULL;
  for (guint i = 0; i < network->groups->len; i++)
    {
      const SqGroup *g = sq_network_get_group (network, i);
      SqFxpLayer *l = &net->layers[g->native / FXP_N_SLOTS];
      SqTensor *t = NULL;

      if (values[i] == NULL)
        continue;
      switch (g->native % FXP_N_SLOTS)
        {
        case FXP_SLOT_WEIGHT:
          t = &l->weight;
          break;
        case FXP_SLOT_RECURRENT:
          t = &l->recurrent;
          break;
        case FXP_SLOT_BIAS:
          t = &l->bias;
          break;
        default:
          set_neuron (&l->neuron, values[i]);
          continue;
        }
      memcpy (t->data, values[i]->data, t->n * sizeof *t->data);
      t->integer = FALSE;
    }
  if (!sq_fxp_net_validate (net, error))
    return NULL;
  n = _sq_fxp_network_new (g_steal_pointer (&net), NULL, NULL, d->dt);
  n->path = g_strdup (network->path);
  return n;
}

/* The layer file of @network as it is (a quantized one dequantized). */
GBytes *
_sq_fxp_kind_write (const SqNetwork  *network,
                    const char       *extension,
                    GError          **error)
{
  g_autoptr(SqFxpNet) copy = _sq_fxp_dequantized (_sq_fxp_data (network), error);

  (void) extension;
  return copy ? g_string_free_to_bytes (sq_fxp_net_to_json (copy)) : NULL;
}
