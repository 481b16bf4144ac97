/* sq-dynapcnn-kind-sim.c: the DynapCNN kind's simulation — the float model and the
 * integer IAF core of a network as runs of the network model: the flat rasters the views
 * and the agreement read, and each layer's arrays in its own shape for the files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-kind-private.h"
#include "sq-network-private.h"
#include "sq-private.h"
#include "sq-sim-private.h"


static guint8
count_u8 (double v)
{
  return v > 255 ? 255 : v > 0 ? (guint8) v : 0;
}

static gint16
state_i16 (double v)
{
  return (gint16) CLAMP (v, -32768, 32767);
}

/* The run in the model's flat layout (outputs, hidden neurons of every layer but the last in
 * order) for the views and the agreement, and in its own shapes for the files. */
SqSimResult *
_sq_dynapcnn_sim_result (const SqNetwork  *network,
                         SqIafRun         *run,
                         gboolean          float_model,
                         gboolean          record_all,
                         GError          **error)
{
  SqSimShape shape = { network->n_inputs, network->n_hidden, 0, network->n_outputs };
  gsize T = run->spikes_out.shape[0];
  g_autoptr(SqSimResult) r = _sq_sim_result_new (&shape, T, float_model, record_all, error);
  SqNpyDtype counts = float_model ? SQ_NPY_FLOAT64 : SQ_NPY_INT32;
  gsize offset = 0;

  if (r == NULL)
    return NULL;
  /* Membranes are the only trace a DynapCNN layer has. */
  for (guint t = 0; t < SQ_N_TRACES; t++)
    if (t != SQ_TRACE_VMEM_HIDDEN)
      {
        g_clear_pointer (&r->itrace[t], g_free);
        g_clear_pointer (&r->ftrace[t], g_free);
      }

  for (gsize t = 0; t < T; t++)
    for (gsize o = 0; o < r->n_out; o++)
      {
        double c = run->spikes_out.data[t * r->n_out + o];

        r->spikes_out[t * r->n_out + o] = count_u8 (c);
        r->out_events[o] += c < 1e12 ? (guint64) c : (guint64) 1e12;
        if (c > 0 && r->first_out[o] < 0)
          r->first_out[o] = (gint64) t;
      }
  for (guint i = 0; i + 1 < run->n_layers; i++)
    {
      const SqTensor *sp = &run->spikes[i], *v = &run->v_mem[i];
      gsize n = sp->n / T;

      for (gsize t = 0; t < T; t++)
        for (gsize j = 0; j < n; j++)
          {
            double c = sp->data[t * n + j];
            gsize k = t * r->n_hidden + offset + j;

            r->hidden_events[offset + j] += c < 1e12 ? (guint64) c : (guint64) 1e12;
            if (!record_all)
              continue;
            r->spikes_hidden[k] = count_u8 (c);
            if (float_model)
              r->ftrace[SQ_TRACE_VMEM_HIDDEN][k] = v->data[t * n + j];
            else
              r->itrace[SQ_TRACE_VMEM_HIDDEN][k] = state_i16 (v->data[t * n + j]);
          }
      offset += n;
    }
  for (guint i = 0; i < run->n_layers; i++)
    r->vmem_saturated += run->n_saturated[i];

  sq_sim_result_take_array (r, "spikes_out", &run->spikes_out, counts);
  for (guint i = 0; record_all && i < run->n_layers; i++)
    {
      g_autofree char *spikes = g_strdup_printf ("spikes_%u", i);
      g_autofree char *v_mem = g_strdup_printf ("v_mem_%u", i);

      sq_sim_result_take_array (r, spikes, &run->spikes[i], counts);
      sq_sim_result_take_array (r, v_mem, &run->v_mem[i],
                                float_model ? SQ_NPY_FLOAT64 : SQ_NPY_INT16);
    }
  return g_steal_pointer (&r);
}

SqSimResult *
_sq_dynapcnn_run (const SqNetwork        *network,
         const SqDeviceProfile  *device,
         const SqRaster         *input,
         gboolean                record_all,
         GCancellable           *cancellable,
         SqProgressFunc          progress,
         gpointer                progress_data,
         GError                **error)
{
  const DynData *d = _sq_dynapcnn_data (network);
  const SqDynapcnnNet *net = d->net;
  g_autoptr(SqSimResult) result = NULL;
  SqTensor frames = { 0, };
  SqIafRun run;
  gsize shape[4];
  gboolean ok;

  if (d->geometry == NULL)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   _("%s has no input_shape: give one ([C, H, W]) to simulate it"),
                   net->source);
      return NULL;
    }
  if (input->n_channels != network->n_inputs)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   _("the input has %zu channels, but the network takes %zu × %zu × %zu = %zu"),
                   input->n_channels, net->input_shape[0], net->input_shape[1],
                   net->input_shape[2], network->n_inputs);
      return NULL;
    }
  if (device != NULL && !network->is_integer)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                   _("%s is not discretized: discretize it before running the integer core"),
                   net->source);
      return NULL;
    }
  shape[0] = input->n_steps;
  memcpy (shape + 1, net->input_shape, sizeof net->input_shape);
  if (!sq_tensor_init (&frames, 4, shape, error))
    return NULL;
  for (gsize k = 0; k < frames.n; k++)
    frames.data[k] = input->counts[k];
  frames.integer = TRUE;

  /* Every layer is recorded: a neuron's events over the run come from its raster. */
  if (device == NULL)
    ok = sq_dynapcnn_net_run_float (net, &frames, TRUE, cancellable, &run, error);
  else
    {
      g_autofree SqIafLayer *layers = sq_dynapcnn_net_iaf_layers (net);

      ok = sq_iaf_run (layers, net->n_layers, &frames, TRUE, cancellable, &run, error);
    }
  sq_tensor_clear (&frames);
  if (!ok)
    return NULL;
  if (progress != NULL)
    progress (1.0, progress_data);
  result = _sq_dynapcnn_sim_result (network, &run, device == NULL, record_all, error);
  sq_iaf_run_clear (&run);
  return g_steal_pointer (&result);
}

/* Integer state per float unit: the scale of the neuron's layer. Output neurons are pooled
 * spike counts and have no state. */
double
_sq_dynapcnn_state_scale (const SqNetworkResult *result,
                 gboolean               output,
                 gsize                  index)
{
  const DynData *d = _sq_dynapcnn_data (result->network);
  const DynResult *dr = result->data;

  if (output || d->geometry == NULL)
    return NAN;
  for (guint i = 0; i + 1 < d->net->n_layers; i++)
    {
      const gsize *c = d->geometry[i].conv;

      if (index < c[0] * c[1] * c[2])
        return g_array_index (dr->reports, SqDynapcnnLayerReport, i).scale;
      index -= c[0] * c[1] * c[2];
    }
  return NAN;
}

double
_sq_dynapcnn_neuron_threshold (const SqNetwork *network,
                      gboolean         output,
                      gsize            index)
{
  const DynData *d = _sq_dynapcnn_data (network);

  if (d->geometry == NULL)
    return NAN;
  if (output)
    return d->net->layers[d->net->n_layers - 1].params.spike_threshold;
  for (guint i = 0; i + 1 < d->net->n_layers; i++)
    {
      const gsize *c = d->geometry[i].conv;

      if (index < c[0] * c[1] * c[2])
        return d->net->layers[i].params.spike_threshold;
      index -= c[0] * c[1] * c[2];
    }
  return NAN;
}

GPtrArray *
_sq_dynapcnn_hints (const SqSimRun *run)
{
  GPtrArray *hints = g_ptr_array_new_with_free_func (g_free);
  const SqSimResult *in = run->int_result;

  if (in->vmem_saturated > 0)
    g_ptr_array_add (hints, g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "A membrane hit the 16-bit range %" PRIu64 " time: the chip's "
                   "behaviour there is undocumented; lower the input rate or the weights.",
                   "Membranes hit the 16-bit range %" PRIu64 " times: the chip's "
                   "behaviour there is undocumented; lower the input rate or the weights.",
                   in->vmem_saturated), in->vmem_saturated));
  return hints;
}

