/* cli-simulate-cnn.c: synquant-cli simulate on a DynapCNN network — the integer IAF core in
 * time steps or driven by events, on counts or an events file, with the divergence of the two
 * modes and the SynOps load per core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

/* The SynOps load of @network on @input (counts or events, in steps of @step_us µs) against
 * @device's limit, or @max_synops, added to @report. */
gboolean
cli_cnn_check_load (SqNetwork       *network,
                    const char      *input,
                    guint64          step_us,
                    guint64          max_synops,
                    SqCheckReport   *report,
                    GError         **error)
{
  g_autoptr(SqNetworkResult) quant = NULL;
  const SqNetwork *net = cli_cnn_integer (network, &quant, FALSE, error);
  SqCnnSimOptions options = SQ_CNN_SIM_OPTIONS_INIT;
  SqEventList events = { 0, };
  SqRaster raster = { 0, };
  SqCnnSimulation sim;
  gboolean is_events = FALSE, ok;

  if (net == NULL || !cli_cnn_read_events (network, input, &is_events, &events, error))
    return FALSE;
  if (!is_events)
    {
      SqInputSpec spec = { input, NULL, 0, 0, 0 };

      if (!sq_input_build (&spec, network->n_inputs, &raster, error))
        return FALSE;
    }
  options.step_us = step_us;
  options.max_synops_per_s = max_synops;
  ok = sq_dynapcnn_simulate (net, report->device, is_events ? NULL : &raster,
                             is_events ? &events : NULL, &options, NULL, &sim, error);
  sq_raster_clear (&raster);
  sq_event_list_clear (&events);
  if (!ok)
    return FALSE;
  sq_cnn_load_add_to_check (&sim.load, report);
  sq_cnn_simulation_clear (&sim);
  return TRUE;
}

/* Whether @path holds (t, x, y, p) events rather than counts, and if so the events. */
gboolean
cli_cnn_read_events (const SqNetwork  *network,
                     const char       *path,
                     gboolean         *is_events,
                     SqEventList      *list,
                     GError          **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = g_filename_display_name (path);
  gsize length;

  *is_events = FALSE;
  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  if (!sq_dynapcnn_input_is_events ((const guint8 *) data, length, network->n_inputs))
    return TRUE;
  *is_events = TRUE;
  return sq_events_read ((const guint8 *) data, length, name, list, error);
}

/* @network when it is discretized, else its discretization with the default settings (kept
 * in @quant), with a line on stderr saying so. */
const SqNetwork *
cli_cnn_integer (SqNetwork        *network,
                 SqNetworkResult **quant,
                 gboolean          timings,
                 GError          **error)
{
  CliQuantOptions q = { NULL, NULL, FALSE, CLI_NOT_GIVEN, CLI_NOT_GIVEN, NULL, NULL };
  SqQuantSettings settings;
  gint64 t = g_get_monotonic_time ();

  if (network->is_integer)
    return network;
  if (!cli_settings (network->kind, &q, &settings, error))
    return NULL;
  *quant = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, error);
  if (*quant == NULL)
    return NULL;
  cli_timing (timings, "discretize", t);
  /* TRANSLATORS: %s is the network's file */
  fprintf (stderr, _("%s: a float network: discretized with the default settings first\n"),
           network->source);
  return (*quant)->quantized;
}

/* Runs @network (discretized first with the default settings when it is float) on @raster
 * or @events and writes the recording to @output; the summary goes to stderr, the
 * divergence and the load to stdout. */
int
cli_simulate_cnn (SqNetwork             *network,
                  const SqDeviceProfile *device,
                  const SqRaster        *raster,
                  const SqEventList     *events,
                  const SqCnnSimOptions *options,
                  const char            *output,
                  gboolean               timings)
{
  g_autoptr(SqNetworkResult) quant = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL, *report = NULL;
  const SqNetwork *net = cli_cnn_integer (network, &quant, timings, &error);
  SqCnnSimulation sim;
  gint64 t;

  if (net == NULL)
    return cli_fail_error (error);

  t = g_get_monotonic_time ();
  if (!sq_dynapcnn_simulate (net, device, raster, events, options, NULL, &sim, &error))
    return cli_fail_error (error);
  cli_timing (timings, "simulate", t);

  t = g_get_monotonic_time ();
  bytes = sq_sim_result_serialize (sim.result, NULL, output, &error);
  if (bytes != NULL)
    {
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      sq_file_write_atomic (output, data, length, &error);
    }
  if (error != NULL)
    {
      sq_cnn_simulation_clear (&sim);
      return cli_fail_error (error);
    }
  cli_timing (timings, "write", t);

  summary = sq_sim_result_summary (sim.result);
  fprintf (stderr, "%s: %s, %s: %s", network->source, device->name,
           sq_cnn_sim_mode_to_string (sim.mode), summary);
  report = sq_cnn_simulation_summary (&sim);
  printf ("%s", report);
  sq_cnn_simulation_clear (&sim);
  return CLI_EXIT_OK;
}
