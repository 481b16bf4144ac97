/* sq-dynapcnn-load.c: the synaptic operations each DynapCNN / Speck core executes on an input
 *
 * A SynOp is one input event updating one neuron (sinabs's faqs/tips_for_training.md: kernel
 * read, neuron read, neuron write). An event at (c, y, x) of a layer's input reaches the
 * F × (the kernel positions that land inside the output map) neurons of its projective field,
 * so a layer's SynOps are the sum of that fan-out over its input events: the network's input
 * for layer 0, the previous layer's spikes after its pooling for the others. sinabs's
 * estimate N·F·k²/s² is this sum without the edges. Each core has a SynOps/s limit; when one
 * core passes it the whole chip stalls, silently. The rate is taken per time step (the peak,
 * what a burst asks of the core) and over the run (the mean). Counts are integers; only the
 * rates per second are divided.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "synquant.h"
#include "sq-dynapcnn-private.h"

#define invalid _sq_dynapcnn_invalid

/* The outputs an input row (or column) reaches, for each input row. */
static guint64 *
fan_out (gsize  n_in,
         guint  pad,
         gsize  k_n,
         guint  stride,
         gsize  n_out)
{
  guint64 *fan = g_new0 (guint64, n_in);

  for (gsize y = 0; y < n_in; y++)
    {
      gsize lo, hi;

      if (_sq_iaf_field ((guint32) y, pad, k_n, stride, n_out, &lo, &hi))
        fan[y] = hi - lo + 1;
    }
  return fan;
}

/* Layer @i's SynOps from @counts (T, C', H', W'): the input itself (@pool 1) or the previous
 * layer's spikes before its @pool × @pool sum-pooling. */
static void
layer_load (const SqIafLayer  *layer,
            const SqIafShapes *sh,
            const SqTensor    *counts,
            guint              pool,
            guint64            step_us,
            SqCnnLayerLoad    *out)
{
  gsize T = counts->shape[0], C = counts->shape[1], H = counts->shape[2], W = counts->shape[3];
  g_autofree guint64 *fy = fan_out (sh->in[1], layer->pad_y, layer->weight.shape[2],
                                    layer->stride_y, sh->conv[1]);
  g_autofree guint64 *fx = fan_out (sh->in[2], layer->pad_x, layer->weight.shape[3],
                                    layer->stride_x, sh->conv[2]);
  guint64 F = sh->conv[0];

  for (gsize t = 0; t < T; t++)
    {
      guint64 step = 0;

      for (gsize c = 0; c < C; c++)
        for (gsize y = 0; y < H; y++)
          {
            gsize py = y / pool;

            if (py >= sh->in[1])
              continue;
            for (gsize x = 0; x < W; x++)
              {
                double d = counts->data[((t * C + c) * H + y) * W + x];
                gsize px = x / pool;
                guint64 n;

                /* Counts are integers ≥ 0 (the run took them); anything else adds nothing. */
                if (!(d >= 1) || px >= sh->in[2])
                  continue;
                n = (guint64) MIN (d, 4294967295.0);
                out->events += n;
                step += n * F * fy[py] * fx[px];
              }
          }
      out->synops += step;
      if (step > out->peak_synops)
        {
          out->peak_synops = step;
          out->peak_step = t;
        }
    }
  out->mean_per_s = (double) out->synops * 1e6 / ((double) T * (double) step_us);
  out->peak_per_s = (double) out->peak_synops * 1e6 / (double) step_us;
}

/**
 * sq_cnn_load:
 * @input: the event counts (T, C, H, W) the run took
 * @run: a run of sq_iaf_run() (or sq_iaf_run_events()) on @input with @record_all
 * @step_us: the time step of @input, in µs
 * @core: (array length=n_layers) (nullable): the core of each layer (sq_cnn_place()), or
 *   %NULL
 * @limit_per_s: SynOps/s one core executes (the device's @max_synops_per_s or the user's),
 *   0 for no check
 * @load: (out caller-allocates): cleared with sq_cnn_load_clear()
 *
 * The synaptic operations each layer's core executes on @input, and which core is busiest.
 */
gboolean
sq_cnn_load (const SqIafLayer *layers,
             guint             n_layers,
             const SqTensor   *input,
             const SqIafRun   *run,
             guint64           step_us,
             const int        *core,
             guint64           limit_per_s,
             SqCnnLoad        *load,
             GError          **error)
{
  g_autofree SqIafShapes *shapes = NULL;

  g_return_val_if_fail (load != NULL && run != NULL, FALSE);
  *load = (SqCnnLoad) { 0, };
  if (n_layers == 0 || run->n_layers != n_layers)
    return invalid (error, _("the run has %u layers, the network %u"), run->n_layers,
                    n_layers);
  if (step_us == 0)
    return invalid (error, _("the time step is 0 µs"));
  if (!sq_tensor_is_present (input) || input->rank != 4 || input->n == 0)
    return invalid (error, _("the input must be a non-empty (T, C, H, W) array of event "
                             "counts"));
  shapes = _sq_iaf_check_layers (layers, n_layers, input->shape + 1, error);
  if (shapes == NULL)
    return FALSE;
  for (guint i = 0; i + 1 < n_layers; i++)
    if (!sq_tensor_is_present (&run->spikes[i]) || run->spikes[i].rank != 4 ||
        run->spikes[i].shape[0] != input->shape[0] ||
        run->spikes[i].n != input->shape[0] * shapes[i].conv[0] * shapes[i].conv[1] *
                            shapes[i].conv[2])
      return invalid (error, _("layers[%u]: the run must record every layer's spikes, for "
                               "every step of the input"), i);

  load->n_layers = n_layers;
  load->layers = g_new0 (SqCnnLayerLoad, n_layers);
  load->step_us = step_us;
  load->limit_per_s = limit_per_s;
  for (guint i = 0; i < n_layers; i++)
    {
      SqCnnLayerLoad *l = &load->layers[i];

      l->core = core != NULL ? core[i] : -1;
      if (i == 0)
        layer_load (&layers[0], &shapes[0], input, 1, step_us, l);
      else
        layer_load (&layers[i], &shapes[i], &run->spikes[i - 1], layers[i - 1].pool, step_us,
                    l);
      if (l->peak_per_s > load->layers[load->busiest].peak_per_s)
        load->busiest = i;
      if (limit_per_s > 0 && l->peak_per_s > (double) limit_per_s)
        load->n_overloaded++;
    }
  return TRUE;
}

static void
append_layer (GString         *s,
              const SqCnnLoad *load,
              guint            i)
{
  const SqCnnLayerLoad *l = &load->layers[i];
  g_autofree char *where = l->core >= 0
                           ? g_strdup_printf (_("layers[%u] (core %d)"), i, l->core)
                           : g_strdup_printf ("layers[%u]", i);

  g_string_append_printf (s, _("%s: %" PRIu64 " events, %" PRIu64 " SynOps; %.3g M SynOps/s "
                               "on average, %.3g M SynOps/s at the busiest step (%zu)"),
                          where, l->events, l->synops, l->mean_per_s / 1e6,
                          l->peak_per_s / 1e6, l->peak_step);
  if (load->limit_per_s > 0 && l->peak_per_s > (double) load->limit_per_s)
    g_string_append_printf (s, _(": above the %.3g M SynOps/s a core executes, the chip "
                                 "would stall"), (double) load->limit_per_s / 1e6);
  g_string_append_c (s, '\n');
}

/* One translated line per layer, then the busiest. */
char *
sq_cnn_load_to_string (const SqCnnLoad *load)
{
  GString *s = g_string_new (NULL);
  const SqCnnLayerLoad *b;

  g_return_val_if_fail (load != NULL, NULL);
  for (guint i = 0; i < load->n_layers; i++)
    append_layer (s, load, i);
  if (load->n_layers == 0)
    return g_string_free (s, FALSE);
  b = &load->layers[load->busiest];
  if (load->limit_per_s > 0)
    g_string_append_printf (s, _("busiest: layers[%u], %.3g M SynOps/s at a %" PRIu64 " µs "
                                 "time step, %.0f %% of the %.3g M SynOps/s a core "
                                 "executes\n"),
                            load->busiest, b->peak_per_s / 1e6, load->step_us,
                            b->peak_per_s * 100 / (double) load->limit_per_s,
                            (double) load->limit_per_s / 1e6);
  else
    g_string_append_printf (s, _("busiest: layers[%u], %.3g M SynOps/s at a %" PRIu64 " µs "
                                 "time step\n"), load->busiest, b->peak_per_s / 1e6,
                            load->step_us);
  return g_string_free (s, FALSE);
}

void
sq_cnn_load_clear (SqCnnLoad *load)
{
  g_clear_pointer (&load->layers, g_free);
  load->n_layers = 0;
}
