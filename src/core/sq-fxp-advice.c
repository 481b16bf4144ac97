/* sq-fxp-advice.c: which layer of a fixed-point network overflows on a sample input, and the
 * formats that do not
 *
 * Overflow in the long type is the common failure of Qualia's automatic formats: spikes are
 * 1 in Q(b − 2), so an int16 layer's sums carry 14 + n_w fractional bits and wrap. Each
 * proposal is tried: quantize with it, run the integer core on the same input, and keep
 * taking one fractional bit from the accumulator path of the first layer that still
 * overflows — first its input (the previous layer's output: a spike is exact in any Q(k, 0)),
 * then, for the sums, its weights, and for the neuron, its activation and membrane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-fxp-private.h"

/* Enough for every format to reach its floor from 16 bits, several layers over. */
#define MAX_TRIES 96

static guint64
long_events (const SqFxpRun *run,
             guint           i)
{
  return run->events[i][SQ_FXP_EVENT_ACC] + run->events[i][SQ_FXP_EVENT_NEURON];
}

/* Takes one bit from format @t of layer @i (through the settings' forced n); FALSE when it is
 * at @floor already. */
static gboolean
take_bit (SqFxpSettings   *s,
          const SqFxpQNet *q,
          guint            i,
          SqFxpTensor      t,
          int              floor,
          GString         *changes)
{
  int n = q->layers[i].fmt[t].n;
  g_autofree char *from = NULL, *to = NULL;

  if (n <= floor)
    return FALSE;
  s->layers[i].force_n[t] = n - 1;
  from = sq_fxp_q_string (n, q->layers[i].bits);
  to = sq_fxp_q_string (n - 1, q->layers[i].bits);
  g_string_append_printf (changes, "\n  layers[%u].%s %s → %s", i, sq_fxp_tensor_name (t), from,
                          to);
  return TRUE;
}

/* One step towards no overflow in layer @i; FALSE when nothing is left to take. */
static gboolean
relieve (SqFxpSettings   *s,
         const SqFxpQNet *q,
         const SqFxpRun  *run,
         guint            i,
         GString         *changes)
{
  const SqFxpNet *net = q->net;
  gboolean in_spikes = i > 0 && net->layers[i - 1].neuron.type != SQ_FXP_NEURON_NONE &&
                       net->layers[i - 1].neuron.type != SQ_FXP_NEURON_ATIF;

  if (run->events[i][SQ_FXP_EVENT_ACC] > 0)
    {
      /* The input: spikes stay exact down to Q(b−1).0; other values lose precision, so the
       * weights go first for them. */
      if (in_spikes && take_bit (s, q, i - 1, SQ_FXP_OUTPUT, 0, changes))
        return TRUE;
      if (take_bit (s, q, i, SQ_FXP_WEIGHT, -8, changes))
        return TRUE;
      if (i == 0)
        return take_bit (s, q, 0, SQ_FXP_INPUT, -8, changes);
      return take_bit (s, q, i - 1, SQ_FXP_OUTPUT, -8, changes);
    }
  /* The neuron works in Q(max(n_v, n_a)): lower the larger. */
  if (q->layers[i].fmt[SQ_FXP_ACT].n >= q->layers[i].fmt[SQ_FXP_V].n &&
      take_bit (s, q, i, SQ_FXP_ACT, -8, changes))
    return TRUE;
  return take_bit (s, q, i, SQ_FXP_V, -8, changes);
}

/**
 * sq_fxp_propose_formats:
 * @input: the sample input
 * @proposal: (out caller-allocates): @settings with the formats that did not overflow
 *   forced per layer; clear with sq_fxp_settings_clear()
 * @description: (out) (transfer full): which layer overflowed, how often, what changed and
 *   what the proposal gives
 *
 * Returns: FALSE with @error set when the network cannot be quantized or run at all
 */
gboolean
sq_fxp_propose_formats (const SqFxpNet      *net,
                        const SqFxpSettings *settings,
                        const SqTensor      *input,
                        SqFxpSettings       *proposal,
                        char               **description,
                        GError             **error)
{
  g_autoptr(GString) desc = g_string_new (NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  gboolean first = TRUE, clean = FALSE;

  sq_fxp_settings_copy (proposal, settings);
  if (proposal->n_layers < net->n_layers)
    sq_fxp_settings_set_layer_count (proposal, net->n_layers);
  for (guint tries = 0; tries < MAX_TRIES; tries++)
    {
      g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, proposal, input, error);
      SqFxpRun run;
      guint i;

      if (q == NULL || !sq_fxp_run_int (q, input, NULL, &run, error))
        {
          sq_fxp_settings_clear (proposal);
          return FALSE;
        }
      for (i = 0; i < net->n_layers && long_events (&run, i) == 0; i++)
        ;
      if (first)
        {
          if (i == net->n_layers)
            g_string_append_printf (desc, _("%s: no layer overflows on the sample input"),
                                    net->source);
          else
            g_string_append_printf (desc, _("%s: layers[%u] overflows on the sample input: %"
                                            PRIu64 " times in the accumulator, %" PRIu64
                                            " in the neuron"), net->source, i,
                                    run.events[i][SQ_FXP_EVENT_ACC],
                                    run.events[i][SQ_FXP_EVENT_NEURON]);
          first = FALSE;
        }
      clean = i == net->n_layers;
      if (clean || !relieve (proposal, q, &run, i, changes))
        {
          if (!clean)
            g_string_append_printf (desc, _("\nlayers[%u] still overflows with every format "
                                            "at its floor"), i);
          sq_fxp_run_clear (&run);
          break;
        }
      sq_fxp_run_clear (&run);
    }
  if (changes->len > 0)
    g_string_append_printf (desc, "%s%s", clean ? _("\nno overflow with:")
                                                : _("\nless overflow with:"), changes->str);
  *description = g_string_free (g_steal_pointer (&desc), FALSE);
  return TRUE;
}
