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
  const SqNetwork *net = network;
  SqCnnSimulation sim;
  gint64 t;

  if (!network->is_integer)
    {
      CliQuantOptions q = { NULL, NULL, FALSE, CLI_NOT_GIVEN, CLI_NOT_GIVEN, NULL, NULL };
      SqQuantSettings settings;

      if (!cli_settings (network->kind, &q, &settings, &error))
        return cli_fail_error (error);
      t = g_get_monotonic_time ();
      quant = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
      if (quant == NULL)
        return cli_fail_error (error);
      cli_timing (timings, "discretize", t);
      /* TRANSLATORS: %s is the network's file */
      fprintf (stderr, _("%s: a float network: discretized with the default settings "
                         "first\n"), network->source);
      net = quant->quantized;
    }

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
