/* cli-simulate.c: synquant-cli simulate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

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

/* The input raster: a file, or Poisson events. */
static gboolean
make_input (const SqXyloSpec  *spec,
            const char        *input,
            const char        *poisson,
            gint64             steps,
            gint64             seed,
            SqRaster          *raster,
            GError           **error)
{
  g_autofree double *rates = NULL;

  if (input != NULL)
    {
      g_autofree char *name = g_filename_display_name (input);

      if (!sq_raster_load (raster, input, error))
        return FALSE;
      if (raster->n_clipped > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                      "warning: %s: %zu count above 15 clipped "
                                      "to 15, as the hardware does\n",
                                      "warning: %s: %zu counts above 15 clipped "
                                      "to 15, as the hardware does\n", raster->n_clipped),
                 name, raster->n_clipped);
      if (!sq_raster_check_channels (raster, spec->n_in, name, error))
        {
          sq_raster_clear (raster);
          return FALSE;
        }
      return TRUE;
    }

  if (!parse_rates (poisson, spec->n_in, &rates, error))
    return FALSE;
  return sq_raster_poisson (raster, (gsize) steps, spec->n_in, rates, (guint64) seed, error);
}

/* @json (an object ending in "\n}\n") with "agreement" added as its last member. */
static void
add_agreement (GString           *json,
               const SqAgreement *agreement)
{
  g_autoptr(GString) a = sq_agreement_to_json (agreement);

  g_assert (g_str_has_suffix (json->str, "\n}\n"));
  g_string_truncate (json, json->len - 3);
  g_string_append (json, ",\n  \"agreement\": ");
  g_string_append_len (json, a->str, (gssize) a->len);
  g_string_append (json, "\n}\n");
}

int
cli_simulate (int    argc,
              char **argv)
{
  g_autofree char *output = NULL, *input = NULL, *poisson = NULL, *device_name = NULL;
  g_autofree char *record = NULL, *method = NULL, *mode = NULL;
  gboolean use_float = FALSE, compare = FALSE, fuzzy = FALSE, timings = FALSE;
  gint64 steps = 0, seed = 0;
  int weight_bits = 0, threshold_bits = 0, status;
  const GOptionEntry entries[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
      N_("Input events: a (T, Nin) raster as CSV, NumPy .npy or JSON"), N_("FILE") },
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
      N_("With --compare: synquant (default) or rockpool"), N_("MODE") },
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
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqQuantResult) quant = NULL;
  g_autoptr(SqSimResult) result = NULL, float_result = NULL;
  g_autoptr(SqAgreement) agreement = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  SqDevice device = SQ_DEVICE_XYLO_AUDIO2;
  SqQuantParams params;
  gboolean record_all = FALSE;
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
      "wrote. A summary goes to stderr."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
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
  if (device_name && !sq_device_from_string (device_name, &device))
    return cli_usage_error ("simulate", _("unknown device “%s”; use xylo-audio2, xylo-imu, "
                                          "xylo-audio3 or xylo-v1"), device_name);
  if (record && !g_str_equal (record, "out") && !g_str_equal (record, "all"))
    return cli_usage_error ("simulate", _("--record is “%s”; use out or all"), record);
  record_all = record && g_str_equal (record, "all");
  if (record_all && cli_has_extension (output, ".npy"))
    return cli_usage_error ("simulate", _("an .npy file holds one array and --record all "
                                          "records six; write OUT as .npz"));
  if (use_float && compare)
    return cli_usage_error ("simulate", _("--float and --compare exclude each other"));
  if (!compare && (method || mode || fuzzy || weight_bits || threshold_bits))
    return cli_usage_error ("simulate", _("the quantization options go with --compare"));
  if (compare &&
      !cli_quant_params (method, mode, fuzzy, weight_bits, threshold_bits, &params, &error))
    return cli_usage_error ("simulate", "%s", error->message);

  t = g_get_monotonic_time ();
  spec = cli_load_spec (argv[1], &error);
  if (spec == NULL)
    return cli_fail_error (error);
  if (!make_input (spec, input, poisson, steps, seed, &raster, &error))
    return cli_fail_error (error);
  cli_timing (timings, "load", t);
  cli_print_warnings (spec);

  if (compare)
    {
      t = g_get_monotonic_time ();
      quant = sq_quantize (spec, &params, &error);
      if (quant == NULL)
        {
          sq_raster_clear (&raster);
          return cli_fail_error (error);
        }
      cli_timing (timings, "quantize", t);
    }

  t = g_get_monotonic_time ();
  if (use_float || compare)
    {
      g_autoptr(SqFloatSim) fsim = sq_float_sim_new (spec, &error);

      if (fsim != NULL)
        float_result = sq_float_sim_run (fsim, &raster, record_all && !compare, &error);
    }
  if (!use_float && error == NULL)
    {
      g_autoptr(SqXyloSim) sim = sq_xylo_sim_new (compare ? quant->spec : spec, device, &error);

      if (sim != NULL)
        result = sq_xylo_sim_run (sim, &raster, record_all, &error);
    }
  sq_raster_clear (&raster);
  if (error != NULL)
    {
      if (!use_float && !compare && error->code == SQ_SIM_ERROR_SPEC &&
          !sq_xylo_spec_is_integer (spec))
        return cli_fail (_("%s\n  (a float specification: add --float to run the float model, "
                           "or --compare to quantize it and run both)"), error->message);
      return cli_fail_error (error);
    }
  cli_timing (timings, "simulate", t);

  if (use_float)
    result = g_steal_pointer (&float_result);
  if (compare)
    {
      agreement = sq_agreement_new (spec->n_hidden, spec->n_out);
      if (!sq_agreement_add (agreement, float_result, result, &error))
        return cli_fail_error (error);
    }

  t = g_get_monotonic_time ();
  if (cli_has_extension (output, ".npz") || cli_has_extension (output, ".npy"))
    {
      g_autofree guint8 *bytes = NULL;
      gsize length;

      bytes = cli_has_extension (output, ".npz") ? sq_sim_result_to_npz (result, &length, &error)
                                                 : sq_sim_result_to_npy (result, &length, &error);
      if (bytes == NULL || !sq_file_write_atomic (output, (const char *) bytes, length, &error))
        return cli_fail_error (error);
    }
  else
    {
      json = sq_sim_result_to_json (result);
      if (compare)
        add_agreement (json, agreement);
      if (!sq_file_write_atomic (output, json->str, json->len, &error))
        return cli_fail_error (error);
    }
  cli_timing (timings, "write", t);

  summary = sq_sim_result_summary (result);
  fprintf (stderr, "%s: %s: %s", spec->source,
           use_float ? _("float model") : sq_device_to_string (device), summary);
  if (compare)
    {
      g_autofree char *report = sq_agreement_summary (agreement);

      printf ("%s", report);
    }
  return CLI_EXIT_OK;
}
