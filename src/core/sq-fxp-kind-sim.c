/* sq-fxp-kind-sim.c: the fixed-point kind's simulation — the float model and the integer
 * core as runs of the network model (the output raster the views and the agreement read, the
 * hidden layers' rasters when everything is recorded, each layer's final state and overflow
 * counts as arrays for the files), and the hints: which
 * layer overflowed on the input, and the formats that do not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-fxp-kind-private.h"
#include "sq-network-private.h"
#include "sq-private.h"
#include "sq-sim-private.h"

/* Proposals are tried (quantize and run, up to 96 times) on inputs up to this many
 * parameter-steps: the example networks' 1000 steps, not a CNN's. */
#define PROPOSAL_BUDGET ((gsize) 4 * 1000 * 1000)

/* The raster as the fixed-point core takes it: (T, C, H, W) for a map input, else (T, N). */
static gboolean
input_tensor (const SqFxpNet *net,
              const SqRaster *input,
              SqTensor       *t,
              GError        **error)
{
  gsize shape[4] = { input->n_steps, net->input_shape[0], net->input_shape[1],
                     net->input_shape[2] };

  if (net->input_rank != 3)
    shape[1] = sq_fxp_shape_size (net->input_shape);
  if (!sq_tensor_init (t, net->input_rank == 3 ? 4 : 2, shape, error))
    return FALSE;
  for (gsize k = 0; k < t->n; k++)
    t->data[k] = input->counts[k];
  t->integer = TRUE;
  return TRUE;
}

/* Output @o of the network's flat order (channel-major, as its input) in the run's
 * channels-last one. */
static gsize
channels_last (const gsize shape[3],
               gsize       o)
{
  gsize hw = shape[1] * shape[2], c = o / hw;

  return (o % hw) * shape[0] + c;
}

static void
take_vector (SqSimResult  *r,
             const char   *name,
             const double *values,
             gsize         n,
             SqNpyDtype    dtype)
{
  SqTensor t = { 0, };

  if (!sq_tensor_init (&t, 1, &n, NULL))
    return;
  memcpy (t.data, values, n * sizeof (double));
  sq_sim_result_take_array (r, name, &t, dtype);
}

/* The spikes of every hidden layer into @r: each one's output, from a run of the layers up
 * to it (the layers after a layer do not feed back into it, so the first i + 1 layers of a
 * network compute what layer i does in the whole). */
static gboolean
record_hidden (const FxpData  *d,
               const SqTensor *input,
               gboolean        float_model,
               GCancellable   *cancellable,
               SqSimResult    *r,
               GError        **error)
{
  gsize offset = 0;

  for (guint i = 0; i + 1 < d->net->n_layers; i++)
    {
      const SqFxpLayer *l = &d->net->layers[i];
      SqFxpNet part;
      SqFxpRun sub;
      gsize n = sq_fxp_shape_size (l->out_shape);
      gboolean ok;

      if (l->neuron.type == SQ_FXP_NEURON_NONE)
        continue;
      part = *d->net;
      part.n_layers = i + 1;
      if (float_model)
        ok = sq_fxp_run_float (&part, input, cancellable, &sub, error);
      else
        {
          SqFxpQNet qpart = *d->qnet;

          qpart.net = &part;
          ok = sq_fxp_run_int (&qpart, input, cancellable, &sub, error);
        }
      if (!ok)
        return FALSE;
      for (gsize t = 0; t < sub.n_steps; t++)
        for (gsize j = 0; j < n; j++)
          {
            gboolean spike = fabs (sub.out[t * n + channels_last (l->out_shape, j)]) > 0;

            r->spikes_hidden[t * r->n_hidden + offset + j] = spike;
            r->hidden_events[offset + j] += spike;
          }
      sq_fxp_run_clear (&sub);
      offset += n;
    }
  return TRUE;
}

static SqSimResult *
sim_result_from_run (const SqNetwork  *network,
                     const SqFxpRun   *run,
                     gboolean          float_model,
                     gboolean          record_all,
                     GError          **error)
{
  const FxpData *d = _sq_fxp_data (network);
  const gsize *out_shape = d->net->layers[d->net->n_layers - 1].out_shape;
  SqSimShape shape = { network->n_inputs, network->n_hidden, 0, network->n_outputs };
  gsize T = run->n_steps, n_out = network->n_outputs;
  g_autoptr(SqSimResult) r = _sq_sim_result_new (&shape, T, float_model, record_all, error);
  SqNpyDtype values = float_model ? SQ_NPY_FLOAT64 : SQ_NPY_INT32;
  SqTensor out = { 0, };
  gsize out_dims[2] = { T, n_out };

  if (r == NULL)
    return NULL;
  /* The integer core keeps no trace per step: the final states are arrays. */
  for (guint t = 0; t < SQ_N_TRACES; t++)
    {
      g_clear_pointer (&r->itrace[t], g_free);
      g_clear_pointer (&r->ftrace[t], g_free);
    }
  if (!sq_tensor_init (&out, 2, out_dims, error))
    return NULL;
  for (gsize t = 0; t < T; t++)
    for (gsize o = 0; o < n_out; o++)
      {
        double v = run->out[t * n_out + channels_last (out_shape, o)];

        out.data[t * n_out + o] = v;
        /* A spike is 1 in the output format (θ for ATIF): any value that is not 0. */
        if (_sq_is_zero (v))
          continue;
        r->spikes_out[t * n_out + o] = 1;
        r->out_events[o]++;
        if (r->first_out[o] < 0)
          r->first_out[o] = (gint64) t;
      }
  sq_sim_result_take_array (r, "out", &out, values);

  {
    g_autofree double *spikes = g_new (double, run->n_layers);

    for (guint i = 0; i < run->n_layers; i++)
      spikes[i] = (double) run->spikes[i];
    take_vector (r, "spikes_per_layer", spikes, run->n_layers, SQ_NPY_INT64);
  }
  if (!float_model)
    {
      gsize dims[2] = { run->n_layers, SQ_FXP_N_EVENTS };
      SqTensor ev = { 0, };

      if (sq_tensor_init (&ev, 2, dims, NULL))
        {
          for (guint i = 0; i < run->n_layers; i++)
            for (guint e = 0; e < SQ_FXP_N_EVENTS; e++)
              ev.data[i * SQ_FXP_N_EVENTS + e] = (double) run->events[i][e];
          sq_sim_result_take_array (r, "overflows", &ev, SQ_NPY_INT64);
        }
    }
  for (guint i = 0; record_all && i < run->n_layers; i++)
    {
      g_autofree char *v = g_strdup_printf ("v_%u", i);
      g_autofree char *syn = g_strdup_printf ("syn_%u", i);

      if (run->v[i] != NULL)
        take_vector (r, v, run->v[i], run->n_v[i], values);
      if (run->syn[i] != NULL)
        take_vector (r, syn, run->syn[i], run->n_v[i], values);
    }
  return g_steal_pointer (&r);
}

SqSimResult *
_sq_fxp_kind_run (const SqNetwork        *network,
                  const SqDeviceProfile  *device,
                  const SqRaster         *input,
                  gboolean                record_all,
                  GCancellable           *cancellable,
                  SqProgressFunc          progress,
                  gpointer                progress_data,
                  GError                **error)
{
  const FxpData *d = _sq_fxp_data (network);
  SqSimResult *result;
  SqTensor t = { 0, };
  SqFxpRun run;
  gboolean ok;

  if (input->n_channels != network->n_inputs)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   _("the input has %zu channels, but the network takes %zu"),
                   input->n_channels, network->n_inputs);
      return NULL;
    }
  if (device != NULL && d->qnet == NULL)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                   _("%s is not quantized: quantize it before running the integer core"),
                   d->net->source);
      return NULL;
    }
  if (!input_tensor (d->net, input, &t, error))
    return NULL;
  ok = device != NULL ? sq_fxp_run_int (d->qnet, &t, cancellable, &run, error)
                      : sq_fxp_run_float (d->net, &t, cancellable, &run, error);
  if (!ok)
    {
      sq_tensor_clear (&t);
      return NULL;
    }
  result = sim_result_from_run (network, &run, device == NULL, record_all, error);
  sq_fxp_run_clear (&run);
  /* Hidden rasters cost a run per hidden layer: only when everything is recorded. */
  if (result != NULL && record_all && network->n_hidden > 0 &&
      !record_hidden (d, &t, device == NULL, cancellable, result, error))
    g_clear_pointer (&result, sq_sim_result_free);
  sq_tensor_clear (&t);
  if (result != NULL && progress != NULL)
    progress (1.0, progress_data);
  return result;
}

/* Integer state per float unit: 2^n of the last layer's v format (the only neurons a run
 * shows are its outputs). */
double
_sq_fxp_kind_state_scale (const SqNetworkResult *result,
                          gboolean               output,
                          gsize                  index)
{
  const FxpData *d = _sq_fxp_data (result->quantized);
  const SqFxpQLayer *ql;

  if (!output || d->qnet == NULL)
    return NAN;
  ql = &d->qnet->layers[d->net->n_layers - 1];
  return ql->fmt[SQ_FXP_V].present ? 1 / ql->fmt[SQ_FXP_V].delta : NAN;
}

double
_sq_fxp_kind_neuron_threshold (const SqNetwork *network,
                               gboolean         output,
                               gsize            index)
{
  const FxpData *d = _sq_fxp_data (network);
  const SqFxpLayer *last = &d->net->layers[d->net->n_layers - 1];

  if (!output || last->neuron.type == SQ_FXP_NEURON_NONE)
    return NAN;
  return last->neuron.v_threshold;
}

static const SqSimArray *
find_array (const SqSimResult *r,
            const char        *name)
{
  for (guint i = 0; r->arrays != NULL && i < r->arrays->len; i++)
    {
      const SqSimArray *a = g_ptr_array_index (r->arrays, i);

      if (g_str_equal (a->name, name))
        return a;
    }
  return NULL;
}

/* The fractional bits @proposal forces, as the layer settings that give them:
 * "layers[0].n.weight=5 layers[1].n.output=0" (`--set` each, or the Tune page's layer row). */
static char *
as_settings (const SqFxpSettings *proposal,
             guint                n_layers)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < MIN (n_layers, proposal->n_layers); i++)
    for (guint t = 0; t < SQ_FXP_N_TENSORS; t++)
      if (proposal->layers[i].force_n[t] != SQ_FXP_AUTO)
        g_string_append_printf (s, "%slayers[%u].n.%s=%d", s->len ? " " : "", i,
                                sq_fxp_tensor_name (t), proposal->layers[i].force_n[t]);
  return g_string_free (s, FALSE);
}

/* The formats that do not overflow on the run's input (sq_fxp_propose_formats()), when the
 * input is at hand and small enough to try them on; %NULL otherwise. */
static char *
proposal (const SqSimRun *run)
{
  const SqRaster *input = _sq_sim_run_input (run);
  const FxpData *d = _sq_fxp_data (run->result->network);
  SqFxpSettings s, proposed;
  SqTensor t = { 0, };
  g_autofree char *description = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *settings = NULL;
  g_auto(GStrv) lines = NULL;
  gsize params = 0;
  gboolean ok;

  for (guint i = 0; i < d->net->n_layers; i++)
    params += d->net->layers[i].weight.n + d->net->layers[i].recurrent.n +
              sq_fxp_shape_size (d->net->layers[i].out_shape);
  if (input == NULL || input->n_steps > PROPOSAL_BUDGET / MAX (params, 1) ||
      !input_tensor (d->net, input, &t, NULL))
    return NULL;
  _sq_fxp_settings_from (&run->result->settings, d->net->n_layers, &s);
  ok = sq_fxp_propose_formats (d->net, &s, &t, &proposed, &description, NULL);
  sq_fxp_settings_clear (&s);
  sq_tensor_clear (&t);
  if (!ok)
    return NULL;
  settings = as_settings (&proposed, d->net->n_layers);
  sq_fxp_settings_clear (&proposed);
  /* Its first line repeats what the counts say (for formats calibrated on this input), its
   * second whether the changes after it remove every overflow. */
  lines = g_strsplit (description, "\n", -1);
  if (g_strv_length (lines) < 3)
    return g_strdup (_("Formats chosen from this input's own ranges do not overflow on it."));
  changes = g_strjoinv (",", lines + 2);
  g_strstrip (changes);
  if (strstr (description, _("\nno overflow with:")) != NULL)
    /* Translators: the last %s is the layer settings that force the formats,
     * "layers[0].n.weight=5" */
    return g_strdup_printf (_("No overflow on this input with fewer fractional bits in the "
                              "accumulator path (formats calibrated on it): %s. As layer "
                              "settings: %s."), changes, settings);
  return g_strdup_printf (_("Less overflow on this input with fewer fractional bits in the "
                            "accumulator path (formats calibrated on it): %s. As layer "
                            "settings: %s."), changes, settings);
}

/* "57 wraps\nlayer 1: 57": the policy's events in all, then each layer that had any. */
char *
_sq_fxp_kind_overflow_figure (const SqSimRun *run)
{
  const SqSimArray *ev = find_array (run->int_result, "overflows");
  const FxpData *d = _sq_fxp_data (run->result->quantized);
  gboolean wrap = d->qnet->settings.overflow == SQ_FXP_OVERFLOW_WRAP;
  g_autoptr(GString) layers = g_string_new (NULL);
  guint64 total = 0;

  for (guint i = 0; ev != NULL && i < ev->values.shape[0]; i++)
    {
      guint64 n = 0;

      for (guint k = 0; k < SQ_FXP_N_EVENTS; k++)
        n += (guint64) ev->values.data[i * SQ_FXP_N_EVENTS + k];
      total += n;
      if (n > 0)
        /* Translators: a layer's overflows on the Simulate page: "layer 1: 57" */
        g_string_append_printf (layers, _("\nlayer %u: %" PRIu64), i, n);
    }
  {
    g_autofree char *count = wrap
      ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " wrap", "%" PRIu64 " wraps",
                                      total), total)
      : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " saturation",
                                      "%" PRIu64 " saturations", total), total);

    return g_strconcat (count, layers->str, NULL);
  }
}

GPtrArray *
_sq_fxp_kind_hints (const SqSimRun *run)
{
  GPtrArray *hints = g_ptr_array_new_with_free_func (g_free);
  const SqSimArray *ev = find_array (run->int_result, "overflows");
  const FxpData *d = _sq_fxp_data (run->result->quantized);
  gboolean wrap = d->qnet->settings.overflow == SQ_FXP_OVERFLOW_WRAP;
  guint64 total = 0;

  for (guint i = 0; ev != NULL && i < ev->values.shape[0]; i++)
    {
      const double *e = ev->values.data + i * SQ_FXP_N_EVENTS;
      guint64 n = 0;

      for (guint k = 0; k < SQ_FXP_N_EVENTS; k++)
        n += (guint64) e[k];
      if (n == 0)
        continue;
      total += n;
      g_ptr_array_add (hints, g_strdup_printf (
        /* Translators: the counts are the places of a layer where a value left its type */
        g_dngettext (GETTEXT_PACKAGE,
                     "Layer %u overflowed %" PRIu64 " time on this input (accumulator %"
                     PRIu64 ", neuron %" PRIu64 ", activation %" PRIu64 ", membrane %"
                     PRIu64 ", input %" PRIu64 ", output %" PRIu64 ").",
                     "Layer %u overflowed %" PRIu64 " times on this input (accumulator %"
                     PRIu64 ", neuron %" PRIu64 ", activation %" PRIu64 ", membrane %"
                     PRIu64 ", input %" PRIu64 ", output %" PRIu64 ").", n),
        i, n, (guint64) e[SQ_FXP_EVENT_ACC], (guint64) e[SQ_FXP_EVENT_NEURON],
        (guint64) e[SQ_FXP_EVENT_ACT], (guint64) e[SQ_FXP_EVENT_V],
        (guint64) e[SQ_FXP_EVENT_INPUT], (guint64) e[SQ_FXP_EVENT_OUTPUT]));
    }
  if (total > 0)
    {
      char *advice = proposal (run);

      g_ptr_array_add (hints, g_strdup (wrap ? _("Long values wrap as the microcontroller's C "
                                                 "does: a wrapped sum changes its sign.")
                                             : _("Long values saturate at their type's "
                                                 "range.")));
      if (advice != NULL)
        g_ptr_array_add (hints, advice);
    }
  return hints;
}
