/* cli-simulate.c: synquant-cli simulate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

/* --leak-hz not given: no number a user can type. */
#define LEAK_NOT_GIVEN G_MININT64

/* "0.2" or "0.1,0.2,…" (one per channel); parsed without the locale. */
static gboolean
parse_rates (const char  *text,
             gsize        n_channels,
             double     **rates,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint n = g_strv_length (parts);

  if (n != 1 && n != n_channels)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS,
                   _("--poisson has %u rates, expected one or one per input channel (%zu)"), n,
                   n_channels);
      return FALSE;
    }
  *rates = g_new (double, MAX (n_channels, 1));
  for (gsize i = 0; i < n_channels; i++)
    {
      const char *s = parts[n == 1 ? 0 : i];
      char *end = NULL;

      (*rates)[i] = g_ascii_strtod (s, &end);
      if (end == s || *end != '\0')
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS,
                       _("--poisson: “%s” is not a number"), s);
          g_clear_pointer (rates, g_free);
          return FALSE;
        }
    }
  return TRUE;
}

/* The input raster: a file (counts above 15 clipped, with a warning), or Poisson events. */
static gboolean
make_input (const SqNetwork  *network,
            const char       *input,
            const char       *poisson,
            gint64            steps,
            gint64            seed,
            SqRaster         *raster,
            GError          **error)
{
  g_autofree double *rates = NULL;
  SqInputSpec spec = { input, NULL, 0, (gsize) steps, (guint64) seed };

  if (input == NULL)
    {
      if (!parse_rates (poisson, network->n_inputs, &rates, error))
        return FALSE;
      spec.rates = rates;
      spec.n_rates = MAX (network->n_inputs, 1);
    }
  if (!sq_input_build (&spec, network->n_inputs, raster, error))
    return FALSE;
  if (raster->n_clipped > 0)
    {
      g_autofree char *name = g_filename_display_name (input);

      fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                    "warning: %s: %zu count above 15 clipped "
                                    "to 15, as the hardware does\n",
                                    "warning: %s: %zu counts above 15 clipped "
                                    "to 15, as the hardware does\n", raster->n_clipped),
               name, raster->n_clipped);
    }
  return TRUE;
}

/* The simulator runs what xylosim runs, which is more than a chip holds (two synapses on
 * Xylo IMU, say): a --device that check would refuse is simulated, with a warning for each
 * violation, so the result is not taken for the chip's. */
static void
warn_device_fit (const SqNetwork       *network,
                 const SqDeviceProfile *device)
{
  g_autoptr(SqCheckReport) report = sq_network_check (network, NULL, device, NULL);

  for (guint i = 0; report != NULL && i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

      if (issue->severity == SQ_CHECK_VIOLATION)
        /* TRANSLATORS: "warning: net.json: XyloIMU cannot hold this network (2 synapses per
         * hidden neuron > 1: …); simulated as xylosim runs it" */
        fprintf (stderr, _("warning: %s: %s cannot hold this network (%s); simulated as "
                           "xylosim runs it\n"), network->source, device->title,
                 issue->message);
    }
}

int
cli_simulate (int    argc,
              char **argv)
{
  g_auto(GStrv) set = NULL;
  g_autofree char *output = NULL, *input = NULL, *poisson = NULL, *device_name = NULL;
  g_autofree char *record = NULL, *method = NULL, *mode = NULL;
  gboolean use_float = FALSE, compare = FALSE, fuzzy = FALSE, timings = FALSE;
  gint64 steps = 0, seed = 0, leak_hz = LEAK_NOT_GIVEN, step_us = 0, max_synops = 0;
  int weight_bits = CLI_NOT_GIVEN, threshold_bits = CLI_NOT_GIVEN, status;
  g_autofree char *nir_reset = NULL, *kind_name = NULL;
  double dt = 0;
  SqLoadOptions load;
  const GOptionEntry entries[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
      N_("Input events: a (T, Nin) raster as CSV, NumPy .npy or JSON; for a DynapCNN network "
         "also counts (T, C, H, W) as .npy, or (t, x, y, p) events as .npy or CSV"),
      N_("FILE") },
    { "poisson", 0, 0, G_OPTION_ARG_STRING, &poisson,
      N_("Poisson input: mean events per step, for all channels or one per channel "
         "(0.1,0.2,…)"), N_("RATE") },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &steps, N_("Time steps of the Poisson input"), "T" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed of the Poisson input (default 0); a seed gives the same input everywhere"), "S" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the recording to FILE: .npz (every array), .npy (spikes_out only) or JSON"),
      N_("FILE") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name,
      N_("xylo-audio2 (default), xylo-imu, xylo-audio3 or xylo-v1"), N_("DEVICE") },
    { "record", 0, 0, G_OPTION_ARG_STRING, &record,
      N_("out (default): output events; all: also hidden events and every state"), N_("WHAT") },
    { "float", 0, 0, G_OPTION_ARG_NONE, &use_float,
      N_("Run the float model on a float specification"), NULL },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare,
      N_("Quantize the float SPEC, run the float model and the integer core, print how far "
         "they agree"), NULL },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method,
      N_("With --compare: global (default) or channel"), N_("METHOD") },
    { "fuzzy", 0, 0, G_OPTION_ARG_NONE, &fuzzy, N_("With --compare: the fuzzy range"), NULL },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("DynapCNN: step (default) or event, how the integer core runs; with --compare: the "
         "quantization mode, synquant (default) or rockpool (Xylo), sinabs (DynapCNN)"),
      N_("MODE") },
    { "leak-hz", 0, 0, G_OPTION_ARG_INT64, &leak_hz,
      N_("DynapCNN, --mode event: the slow clock that adds the biases, in Hz (0: no leak; "
         "default one tick per time step)"), N_("HZ") },
    { "step-us", 0, 0, G_OPTION_ARG_INT64, &step_us,
      N_("DynapCNN: the time step in µs, of the counts and for binning events (default 1000)"),
      N_("US") },
    { "max-synops", 0, 0, G_OPTION_ARG_INT64, &max_synops,
      N_("DynapCNN: the SynOps/s one core executes (default: the device's)"), "N" },
    { "weight-bits", 0, 0, G_OPTION_ARG_INT, &weight_bits,
      N_("With --compare: bits per signed weight (default 8)"), "N" },
    { "threshold-bits", 0, 0, G_OPTION_ARG_INT, &threshold_bits,
      N_("With --compare: bits per threshold and bias (default 16)"), "N" },
    { "timings", 0, 0, G_OPTION_ARG_NONE, &timings,
      N_("Print the time of each phase to stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("SPEC (--input FILE | --poisson RATE --steps T) -o OUT"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) quant = NULL;
  g_autoptr(SqSimRun) run = NULL;
  g_autoptr(SqSimResult) own = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  const SqNetworkKind *kind;
  const SqDeviceProfile *device = NULL;
  const SqSimResult *result;
  SqQuantSettings settings;
  gboolean record_all = FALSE, cnn_mode = FALSE, is_cnn;
  SqCnnSimOptions cnn = SQ_CNN_SIM_OPTIONS_INIT;
  SqRaster raster = { 0 };
  gint64 t;

  g_option_context_set_summary (context,
    _("Simulate SPEC on input events. An integer specification runs on the Xylo integer core, "
      "bit-exact with SynSense's simulator; --float runs the float model on a float "
      "specification; --compare quantizes a float specification as quantize does and runs "
      "both. OUT holds spikes_out and, with --record all, spikes_hidden, vmem_hidden, "
      "isyn_hidden, vmem_out and isyn_out, one row per time step, as JSON, or as NumPy "
      "arrays when OUT ends in .npz (one member per array; the agreement of --compare is "
      "only printed) or .npy (spikes_out alone). SPEC is .json, .npz or a .nir Synquant "
      "wrote. A summary goes to stderr.\n\n"
      "A DynapCNN network (discretized first when it is float) runs on the integer IAF core "
      "in time steps (--mode step) or driven by events as the chip works (--mode event, "
      "which also runs the time steps and prints how far the two diverge); OUT holds "
      "spikes_out (T, F, H, W), with --record all spikes_<i> and v_mem_<i> per layer, the "
      "SynOps load per layer (load) and in event mode the divergence (divergence); the load "
      "of the busiest core against the device's SynOps/s is printed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_set_option (context, &set);
  cli_add_nir_options (context, &dt, &nir_reset);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, "simulate", &argc, &argv, &status))
    return status;

  if (argc != 2)
    return cli_usage_error ("simulate", argc < 2 ? _("missing specification file")
                                                 : _("more than one specification file"));
  if (output == NULL)
    return cli_usage_error ("simulate", _("missing output file (-o OUT)"));
  if ((input == NULL) == (poisson == NULL))
    return cli_usage_error ("simulate", _("give either --input FILE or --poisson RATE"));
  if (poisson != NULL && (steps < 1 || (guint64) steps > SQ_RASTER_MAX_STEPS))
    return cli_usage_error ("simulate", _("--poisson needs --steps T, from 1 to %zu"),
                            SQ_RASTER_MAX_STEPS);
  if (poisson == NULL && (steps != 0 || seed != 0))
    return cli_usage_error ("simulate", _("--steps and --seed go with --poisson"));
  if (!cli_load_options (dt, nir_reset, kind_name, &load, &error))
    return cli_usage_error ("simulate", "%s", error->message);
  kind = sq_network_kind_for_path (argv[1], &load, &error);
  if (kind == NULL)
    return cli_fail_error (error);
  /* A device of another kind may be this file's once it is loaded (a CNN's NIR graph). */
  if (device_name && (device = sq_network_kind_device (kind, device_name)) == NULL &&
      sq_device_profile_lookup (device_name) == NULL)
    {
      g_autofree char *list = sq_network_kind_device_names (kind);

      return cli_usage_error ("simulate", _("unknown device “%s”; use %s"), device_name, list);
    }
  if (record && !g_str_equal (record, "out") && !g_str_equal (record, "all"))
    return cli_usage_error ("simulate", _("--record is “%s”; use out or all"), record);
  record_all = record && g_str_equal (record, "all");
  if (record_all && cli_has_extension (output, ".npy"))
    return cli_usage_error ("simulate", _("an .npy file holds one array and --record all "
                                          "records six; write OUT as .npz"));
  if (use_float && compare)
    return cli_usage_error ("simulate", _("--float and --compare exclude each other"));
  /* --mode step|event is DynapCNN's simulation mode, any other value a quantization mode;
   * which kind takes it is known once the network is loaded. */
  if (mode != NULL && sq_cnn_sim_mode_from_string (mode, &cnn.mode))
    cnn_mode = TRUE;
  if (!compare && ((mode && !cnn_mode) || method || fuzzy || weight_bits != CLI_NOT_GIVEN ||
                   threshold_bits != CLI_NOT_GIVEN))
    return cli_usage_error ("simulate", _("the quantization options go with --compare"));
  if (leak_hz != LEAK_NOT_GIVEN && (leak_hz < 0 || leak_hz > SQ_IAF_MAX_LEAK_HZ))
    return cli_usage_error ("simulate", _("--leak-hz is %" PRId64 ": expected 0 (no "
                                          "leak) to %u"), leak_hz, SQ_IAF_MAX_LEAK_HZ);
  if (leak_hz != LEAK_NOT_GIVEN && cnn.mode != SQ_CNN_SIM_EVENT)
    return cli_usage_error ("simulate", _("--leak-hz goes with --mode event"));
  if (step_us < 0 || max_synops < 0)
    return cli_usage_error ("simulate", _("--step-us and --max-synops take positive numbers"));
  if (compare)
    {
      CliQuantOptions q = { method, cnn_mode ? NULL : mode, fuzzy, weight_bits, threshold_bits,
                            NULL, set };

      if (!cli_settings (kind, &q, &settings, &error))
        return cli_usage_error ("simulate", "%s", error->message);
    }

  t = g_get_monotonic_time ();
  network = cli_load (argv[1], &load, &error);
  if (network == NULL)
    return cli_fail_error (error);
  /* A NIR graph that no Xylo takes may have loaded as another kind, with its own devices
   * and settings. */
  if (network->kind != kind)
    {
      kind = network->kind;
      device = device_name != NULL ? sq_network_kind_device (kind, device_name) : NULL;
      if (compare)
        {
          CliQuantOptions q = { method, cnn_mode ? NULL : mode, fuzzy, weight_bits,
                                threshold_bits, NULL, set };

          if (!cli_settings (kind, &q, &settings, &error))
            return cli_usage_error ("simulate", "%s", error->message);
        }
    }
  if (device_name != NULL && device == NULL)
    {
      g_autofree char *list = sq_network_kind_device_names (kind);

      return cli_usage_error ("simulate", _("unknown device “%s”; use %s"), device_name, list);
    }
  if (device == NULL)
    device = sq_network_kind_device (kind, kind->devices[0]);
  is_cnn = g_str_equal (kind->name, "dynapcnn");
  if (!is_cnn && (cnn_mode || leak_hz != LEAK_NOT_GIVEN || step_us != 0 || max_synops != 0))
    return cli_usage_error ("simulate", _("--mode step|event, --leak-hz, --step-us and "
                                          "--max-synops are for DynapCNN networks"));
  if (is_cnn && (use_float || compare) && (leak_hz != LEAK_NOT_GIVEN || max_synops != 0 ||
                                           (cnn_mode && cnn.mode == SQ_CNN_SIM_EVENT)))
    return cli_usage_error ("simulate", _("--float and --compare run the time steps: "
                                          "--mode event, --leak-hz and --max-synops go "
                                          "without them"));
  cnn.step_us = step_us > 0 ? (guint64) step_us : cnn.step_us;
  if (is_cnn && (use_float || compare) && input != NULL)
    {
      SqEventList events = { 0, };
      gboolean is_events = FALSE, ok;

      if (!cli_cnn_read_events (network, input, &is_events, &events, &error))
        return cli_fail_error (error);
      if (is_events)
        {
          g_autofree char *name = g_filename_display_name (input);

          ok = sq_dynapcnn_events_raster (network, &events, cnn.step_us, name, &raster,
                                          &error);
          sq_event_list_clear (&events);
          if (!ok)
            return cli_fail_error (error);
        }
    }
  if (is_cnn && !use_float && !compare)
    {
      SqEventList events = { 0, };
      gboolean is_events = FALSE;

      cnn.leak_hz = leak_hz == LEAK_NOT_GIVEN ? SQ_CNN_LEAK_PER_STEP : leak_hz;
      cnn.max_synops_per_s = (guint64) max_synops;
      cnn.record_all = record_all;
      if (input != NULL && !cli_cnn_read_events (network, input, &is_events, &events, &error))
        return cli_fail_error (error);
      if (!is_events && !make_input (network, input, poisson, steps, seed, &raster, &error))
        return cli_fail_error (error);
      cli_timing (timings, "load", t);
      cli_print_warnings (network);
      status = cli_simulate_cnn (network, device, is_events ? NULL : &raster,
                                 is_events ? &events : NULL, &cnn, output, timings);
      sq_raster_clear (&raster);
      sq_event_list_clear (&events);
      return status;
    }
  if (raster.counts == NULL && !make_input (network, input, poisson, steps, seed, &raster,
                                            &error))
    return cli_fail_error (error);
  cli_timing (timings, "load", t);
  cli_print_warnings (network);
  if (device_name != NULL && network->is_integer && !use_float && !compare)
    warn_device_fit (network, device);

  if (compare)
    {
      t = g_get_monotonic_time ();
      quant = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
      if (quant == NULL)
        {
          sq_raster_clear (&raster);
          return cli_fail_error (error);
        }
      cli_timing (timings, "quantize", t);
    }

  /* --compare runs both models (the float one records its outputs only: it is not
   * written); otherwise the one the network is for. */
  t = g_get_monotonic_time ();
  if (compare)
    run = sq_network_simulate (quant, device, &raster,
                               record_all ? SQ_SIM_RECORD_INTEGER : SQ_SIM_RECORD_OUTPUT, NULL,
                               NULL, NULL, &error);
  else
    own = sq_network_run (network, device, use_float ? SQ_SIM_FLOAT : SQ_SIM_INTEGER, &raster,
                          record_all, NULL, NULL, NULL, &error);
  sq_raster_clear (&raster);
  if (error != NULL)
    {
      if (!use_float && !compare && g_error_matches (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC) &&
          !network->is_integer)
        return cli_fail (_("%s\n  (a float specification: add --float to run the float model, "
                           "or --compare to quantize it and run both)"), error->message);
      return cli_fail_error (error);
    }
  cli_timing (timings, "simulate", t);
  result = run ? run->int_result : own;

  t = g_get_monotonic_time ();
  bytes = sq_sim_result_serialize (result, run ? run->agreement : NULL, output, &error);
  if (bytes == NULL)
    return cli_fail_error (error);
  {
    gsize length;
    const char *data = g_bytes_get_data (bytes, &length);

    if (!sq_file_write_atomic (output, data, length, &error))
      return cli_fail_error (error);
  }
  cli_timing (timings, "write", t);

  summary = sq_sim_result_summary (result);
  fprintf (stderr, "%s: %s: %s", network->source,
           use_float ? _("float model") : device->name, summary);
  if (compare)
    {
      g_autofree char *report = sq_agreement_summary (run->agreement);
      g_autoptr(GPtrArray) hints = sq_sim_run_hints (run);

      printf ("%s", report);
      /* The advice the Simulate page shows: which layer of a fixed-point network overflows,
       * and the formats that do not. */
      for (guint i = 0; i < hints->len; i++)
        printf (_("hint: %s\n"), (const char *) hints->pdata[i]);
    }
  return CLI_EXIT_OK;
}
