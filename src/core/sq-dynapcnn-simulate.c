/* sq-dynapcnn-simulate.c: a DynapCNN network's integer run as the CLI and the window ask for
 * it (see the header). Both input forms reach both cores: counts become events at the start
 * of their step (sq_events_from_counts), events are counted in steps (sq_events_bin); the
 * event core also runs the step core beside it so every event run says how far the two part.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-kind-private.h"
#include "sq-network-private.h"
#include "sq-npy-private.h"
#include "sq-private.h"

static const char * const mode_names[] = { "step", "event" };

const char *
sq_cnn_sim_mode_to_string (SqCnnSimMode mode)
{
  g_return_val_if_fail (mode <= SQ_CNN_SIM_EVENT, NULL);
  return mode_names[mode];
}

gboolean
sq_cnn_sim_mode_from_string (const char   *text,
                             SqCnnSimMode *mode)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (text, mode_names[i]))
      {
        *mode = (SqCnnSimMode) i;
        return TRUE;
      }
  return FALSE;
}

/* Whether the first line of a CSV file names the columns t and p, as an events file's header
 * does (a raster of counts has numbers only). */
static gboolean
csv_names_events (const guint8 *data,
                  gsize         length)
{
  const guint8 *end = memchr (data, '\n', length);
  g_autofree char *line = g_strndup ((const char *) data, end ? (gsize) (end - data) : length);
  g_auto(GStrv) cols = g_strsplit (line, ",", -1);
  gboolean t = FALSE, p = FALSE;

  for (guint i = 0; cols[i] != NULL; i++)
    {
      g_strstrip (cols[i]);
      t = t || g_ascii_strcasecmp (cols[i], "t") == 0;
      p = p || g_ascii_strcasecmp (cols[i], "p") == 0;
    }
  return t && p;
}

/**
 * sq_dynapcnn_input_is_events:
 * @data: (array length=length): the start of an input file (its .npy header, or its first
 *   CSV line), or all of it
 * @n_inputs: the network's C · H · W
 *
 * Whether an input file holds (t, x, y, p) events rather than counts: an .npy of records, or
 * an (N, 4) integer array when the network does not take 4 inputs (a (T, 4) raster of counts
 * then), or a CSV file whose header names t and p. A file that is neither is read as counts,
 * whose reader says what is wrong.
 */
gboolean
sq_dynapcnn_input_is_events (const guint8 *data,
                             gsize         length,
                             gsize         n_inputs)
{
  SqNpyView view;
  gsize offset, size;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  if (!sq_events_is_npy (data, length))
    return length > 0 && csv_names_events (data, length);
  if (!_sq_npy_parse_header (data, length, "", TRUE, &view, &offset, &size, NULL))
    {
      SqNpyRecordType type;

      /* A structured dtype is refused by the plain header parser; the records one reads it,
       * but wants the whole file. */
      return _sq_npy_parse_records (data, length, "", &view, &type, NULL) &&
             type.n_fields > 0;
    }
  return view.rank == 2 && view.shape[1] == 4 && n_inputs != 4 &&
         view.dtype != SQ_NPY_FLOAT32 && view.dtype != SQ_NPY_FLOAT64;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT, format,
                                                args));
  va_end (args);
  return FALSE;
}

/* @network's layers, or %NULL with @error set when it is no DynapCNN network with an input
 * shape. */
static const DynData *
cnn_data (const SqNetwork  *network,
          GError          **error)
{
  const DynData *d;

  if (network->kind != &_sq_dynapcnn_kind)
    {
      invalid (error, _("%s is not a DynapCNN network"), network->source);
      return NULL;
    }
  d = _sq_dynapcnn_data (network);
  if (d->geometry == NULL)
    {
      invalid (error, _("%s has no input_shape: give one ([C, H, W]) to simulate it"),
               d->net->source);
      return NULL;
    }
  return d;
}

/* The input as counts (T, C, H, W) and, for the event core, as events. */
static gboolean
make_inputs (const SqDynapcnnNet *net,
             const SqRaster      *counts,
             const SqEventList   *events,
             guint64              step_us,
             gboolean             want_events,
             SqTensor            *frames,
             SqEventList         *list,
             GError             **error)
{
  const gsize *in = net->input_shape;

  if (counts != NULL)
    {
      gsize shape[4] = { counts->n_steps, in[0], in[1], in[2] };

      if (counts->n_channels != in[0] * in[1] * in[2])
        return invalid (error, _("the input has %zu channels, but the network takes "
                                 "%zu × %zu × %zu = %zu"), counts->n_channels, in[0], in[1],
                        in[2], in[0] * in[1] * in[2]);
      if (!sq_tensor_init (frames, 4, shape, error))
        return FALSE;
      for (gsize k = 0; k < frames->n; k++)
        frames->data[k] = counts->counts[k];
      frames->integer = TRUE;
      return !want_events || sq_events_from_counts (frames, step_us, list, error);
    }
  list->n = events->n;
  list->events = g_memdup2 (events->events, events->n * sizeof *events->events);
  if (in[0] == 1)
    sq_event_list_merge_polarities (list);
  return sq_events_bin (list, step_us, 0, in, frames, error);
}

/**
 * sq_dynapcnn_simulate:
 * @network: a discretized DynapCNN network with an input shape
 * @device: the DynapCNN or Speck profile: its cores place the layers and its
 *   max_synops_per_s is the limit unless @options gives one
 * @counts: (nullable): counts (T, C · H · W), one row per time step
 * @events: (nullable): events (t, x, y, p); exactly one of @counts and @events
 * @sim: (out caller-allocates): cleared with sq_cnn_simulation_clear()
 *
 * Runs the integer core of @options->mode on the input; in event mode also the step core, and
 * compares them. The load is that of the run kept. Besides the kind's arrays, the recording
 * holds `load` (L, 6) float64 — per layer its core (−1: not placed), input events, SynOps,
 * the SynOps of its busiest step, the mean and the peak SynOps/s — and in event mode
 * `divergence` (L + 1, 5) int64 — per layer, then the output: spikes in steps, spikes
 * driven by events, the L1 distance, (bin, neuron) pairs, pairs that agree.
 */
gboolean
sq_dynapcnn_simulate (const SqNetwork       *network,
                      const SqDeviceProfile *device,
                      const SqRaster        *counts,
                      const SqEventList     *events,
                      const SqCnnSimOptions *options,
                      GCancellable          *cancellable,
                      SqCnnSimulation       *sim,
                      GError               **error)
{
  const DynData *d;
  const SqDynapcnnNet *net;
  g_autofree SqIafLayer *layers = NULL;
  g_autoptr(SqCnnPlacement) placement = NULL;
  SqIafRun step = { 0, }, event = { 0, };
  SqEventList list = { 0, };
  SqTensor frames = { 0, };
  gboolean event_mode, ok = FALSE;
  guint64 limit;

  g_return_val_if_fail (network != NULL && device != NULL && options != NULL, FALSE);
  g_return_val_if_fail ((counts == NULL) != (events == NULL), FALSE);
  g_return_val_if_fail (sim != NULL, FALSE);
  *sim = (SqCnnSimulation) { options->mode, };
  if ((d = cnn_data (network, error)) == NULL)
    return FALSE;
  net = d->net;
  if (!network->is_integer)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                   _("%s is not discretized: discretize it before running the integer core"),
                   net->source);
      return FALSE;
    }
  if (device->n_cores == 0)
    return invalid (error, _("a DynapCNN network runs on DynapCNN or Speck chips, not on %s"),
                    device->title);
  if (options->step_us < 1 || options->step_us > (guint64) SQ_EVENTS_MAX_TIME)
    return invalid (error, _("the time step is %" PRIu64 " µs: expected 1 µs to %" PRId64
                             " µs"), options->step_us, SQ_EVENTS_MAX_TIME);
  if (options->leak_hz < SQ_CNN_LEAK_PER_STEP || options->leak_hz > SQ_IAF_MAX_LEAK_HZ)
    return invalid (error, _("the slow clock is %" PRId64 " Hz: expected 0 (no leak) to "
                             "%u Hz"), options->leak_hz, SQ_IAF_MAX_LEAK_HZ);
  event_mode = options->mode == SQ_CNN_SIM_EVENT;
  if (event_mode)
    sim->leak_hz = options->leak_hz == SQ_CNN_LEAK_PER_STEP
                   ? (guint32) MIN (1000000 / options->step_us, SQ_IAF_MAX_LEAK_HZ)
                   : (guint32) options->leak_hz;

  if (!make_inputs (net, counts, events, options->step_us, event_mode, &frames, &list, error))
    goto out;
  layers = sq_dynapcnn_net_iaf_layers (net);
  /* Every layer is recorded: the load counts each layer's input events. */
  if (!sq_iaf_run (layers, net->n_layers, &frames, TRUE, cancellable, &step, error))
    goto out;
  if (event_mode)
    {
      SqIafEventOptions eo = { options->step_us, frames.shape[0], sim->leak_hz, TRUE };

      if (!sq_iaf_run_events (layers, net->n_layers, net->input_shape, &list, &eo,
                              cancellable, &event, error) ||
          !sq_iaf_divergence (&step, &event, &sim->divergence, error))
        goto out;
      sim->has_divergence = TRUE;
    }

  placement = sq_cnn_place (device, d->shapes, net->n_layers);
  limit = options->max_synops_per_s ? options->max_synops_per_s : device->max_synops_per_s;
  if (!sq_cnn_load (layers, net->n_layers, &frames, event_mode ? &event : &step,
                    options->step_us,
                    sq_cnn_placement_fits (placement) ? placement->core : NULL, limit,
                    &sim->load, error))
    goto out;

  sim->result = _sq_dynapcnn_sim_result (network, event_mode ? &event : &step, FALSE,
                                         options->record_all, error);
  if (sim->result == NULL)
    goto out;
  {
    const gsize ls[2] = { net->n_layers, 6 };
    SqTensor t = { 0, };

    g_assert_true (sq_tensor_init (&t, 2, ls, NULL));
    for (guint i = 0; i < net->n_layers; i++)
      {
        const SqCnnLayerLoad *l = &sim->load.layers[i];
        double *row = t.data + i * 6;

        row[0] = l->core;
        row[1] = (double) l->events;
        row[2] = (double) l->synops;
        row[3] = (double) l->peak_synops;
        row[4] = l->mean_per_s;
        row[5] = l->peak_per_s;
      }
    sq_sim_result_take_array (sim->result, "load", &t, SQ_NPY_FLOAT64);
  }
  if (sim->has_divergence)
    {
      const gsize ds[2] = { net->n_layers + 1, 5 };
      SqTensor t = { 0, };

      g_assert_true (sq_tensor_init (&t, 2, ds, NULL));
      t.integer = TRUE;
      for (guint i = 0; i <= net->n_layers; i++)
        {
          const SqIafDivergenceRow *r = i < net->n_layers ? &sim->divergence.layers[i]
                                                         : &sim->divergence.output;
          double *row = t.data + i * 5;

          row[0] = (double) r->spikes_step;
          row[1] = (double) r->spikes_event;
          row[2] = (double) r->l1;
          row[3] = (double) r->n_bins;
          row[4] = (double) r->n_agree;
        }
      sq_sim_result_take_array (sim->result, "divergence", &t, SQ_NPY_INT64);
    }
  ok = TRUE;

out:
  sq_iaf_run_clear (&step);
  sq_iaf_run_clear (&event);
  sq_tensor_clear (&frames);
  sq_event_list_clear (&list);
  if (!ok)
    sq_cnn_simulation_clear (sim);
  return ok;
}

/**
 * sq_dynapcnn_events_raster:
 * @network: a DynapCNN network with an input shape
 * @name: the events' file name, for messages
 * @raster: (out caller-allocates): @events counted in steps of @step_us µs, (T, C · H · W),
 *   for the runs of the network model (the float model, the agreement); counts above 15 are
 *   clipped, with sq_raster_from_tensor()'s error
 *
 * Counts for a run that takes time steps only.
 */
gboolean
sq_dynapcnn_events_raster (const SqNetwork   *network,
                           const SqEventList *events,
                           guint64            step_us,
                           const char        *name,
                           SqRaster          *raster,
                           GError           **error)
{
  const DynData *d;
  SqTensor frames = { 0, };
  SqEventList list = { 0, };
  gboolean ok;

  g_return_val_if_fail (network != NULL && events != NULL && raster != NULL, FALSE);
  *raster = (SqRaster) { 0, };
  if ((d = cnn_data (network, error)) == NULL)
    return FALSE;
  ok = make_inputs (d->net, NULL, events, step_us, FALSE, &frames, &list, error);
  if (ok)
    {
      frames.rank = 2;
      frames.shape[1] = frames.n / MAX (frames.shape[0], 1);
      ok = sq_raster_from_tensor (raster, &frames, name, error);
    }
  sq_tensor_clear (&frames);
  sq_event_list_clear (&list);
  return ok;
}

/**
 * sq_cnn_simulation_summary:
 *
 * Translated lines: the event core's slow clock and how far it parts from the step core
 * (event mode), the load per layer and the busiest core, and a warning per overload.
 */
char *
sq_cnn_simulation_summary (const SqCnnSimulation *sim)
{
  GString *s = g_string_new (NULL);
  g_autofree char *load = NULL;

  g_return_val_if_fail (sim != NULL, NULL);
  if (sim->has_divergence)
    {
      g_autofree char *div = sq_iaf_divergence_to_string (&sim->divergence);

      if (sim->leak_hz > 0)
        g_string_append_printf (s, _("event-driven core, slow clock %u Hz; against the time "
                                     "steps:\n"), sim->leak_hz);
      else
        g_string_append (s, _("event-driven core, no leak; against the time steps:\n"));
      g_string_append (s, div);
    }
  load = sq_cnn_load_to_string (&sim->load);
  g_string_append (s, load);
  if (sim->load.n_overloaded > 0)
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                            "warning: %u layer asks more SynOps/s of its core "
                                            "than it executes: the chip stalls, silently\n",
                                            "warning: %u layers ask more SynOps/s of their "
                                            "cores than they execute: the chip stalls, "
                                            "silently\n", sim->load.n_overloaded),
                            sim->load.n_overloaded);
  return g_string_free (s, FALSE);
}

/**
 * sq_cnn_load_add_to_check:
 * @report: a check of the network @load was counted on, against its device
 *
 * Adds the load to a device check: per placed layer its core's peak SynOps/s against the
 * limit as a resource, a violation for each layer above the limit (past it the chip stalls,
 * silently) and a note naming the busiest core.
 */
void
sq_cnn_load_add_to_check (const SqCnnLoad *load,
                          SqCheckReport   *report)
{
  g_return_if_fail (load != NULL && report != NULL);
  for (guint i = 0; i < load->n_layers; i++)
    {
      const SqCnnLayerLoad *l = &load->layers[i];

      if (l->core >= 0 && load->limit_per_s > 0)
        {
          g_autofree char *unit = g_strdup_printf (_("Core %d · Layer %u"), l->core, i);

          sq_check_report_add_resource (report, unit, N_("SynOps/s"),
                                        (guint64) l->peak_per_s, load->limit_per_s);
        }
      if (load->limit_per_s == 0 || l->peak_per_s <= (double) load->limit_per_s)
        continue;
      _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "synops", -1,
        g_strdup_printf (_("layers[%u]: %.3g M SynOps/s at its busiest step, above the %.3g M "
                           "SynOps/s a core executes: the chip stalls, silently"), i,
                         l->peak_per_s / 1e6, (double) load->limit_per_s / 1e6));
    }
  if (load->n_layers > 0)
    {
      const SqCnnLayerLoad *b = &load->layers[load->busiest];

      _sq_check_report_add_issue (report, SQ_CHECK_NOTE, "synops", -1, load->limit_per_s > 0
        ? g_strdup_printf (_("the busiest core runs layers[%u]: %.3g M SynOps/s at its "
                             "busiest step, %.3g %% of the %.3g M SynOps/s it executes"),
                           load->busiest, b->peak_per_s / 1e6,
                           b->peak_per_s * 100 / (double) load->limit_per_s,
                           (double) load->limit_per_s / 1e6)
        : g_strdup_printf (_("the busiest core runs layers[%u]: %.3g M SynOps/s at its "
                             "busiest step"), load->busiest, b->peak_per_s / 1e6));
    }
}

void
sq_cnn_simulation_clear (SqCnnSimulation *sim)
{
  g_return_if_fail (sim != NULL);
  g_clear_pointer (&sim->result, sq_sim_result_free);
  sq_iaf_divergence_clear (&sim->divergence);
  sq_cnn_load_clear (&sim->load);
  sim->has_divergence = FALSE;
}
