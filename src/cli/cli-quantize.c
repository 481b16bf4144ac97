/* cli-quantize.c: synquant-cli quantize and compare
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

/* `quantize`, and `discretize` (the word sinabs users know) with its own help. */
static int
quantize (int         argc,
          char      **argv,
          const char *command)
{
  g_auto(CliQuantArgs) q = { 0 };
  g_autofree char *output = NULL, *report = NULL;
  g_autofree char *reset = NULL, *kind_name = NULL;
  double dt = 0;
  gboolean timings = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the integer specification to FILE (.npz for NumPy, .nir for NIR, JSON "
         "otherwise)"), N_("FILE") },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
      N_("Write the figures per layer and channel, dashes and warnings to FILE (JSON)"),
      N_("FILE") },
    { "timings", 0, 0, G_OPTION_ARG_NONE, &timings,
      N_("Print the time of each phase to stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IN -o OUT"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  const SqNetworkKind *kind;
  SqQuantSettings settings;
  SqLoadOptions load;
  gint64 t;

  if (g_str_equal (command, "discretize"))
    g_option_context_set_summary (context,
      _("Discretize a float DynapCNN network (a layer file, JSON or .npz, or a NIR graph) for "
        "the chip: one joint scale per layer makes the weights 8-bit and the thresholds and "
        "membranes 16-bit integers. --mode sinabs is bit-exact with sinabs's "
        "discretize_conv_spike; synquant (the default) keeps an unbounded membrane "
        "(min_v_mem null) out of the scale. OUT has IN's layers with integer values and "
        "each layer's scale; --report writes the figures per layer. docs/dynapcnn.md "
        "describes the files."));
  else
    g_option_context_set_summary (context,
      _("Scale and round a float Xylo specification to integers. OUT holds the input's keys "
        "as integers with the input's shapes, plus dt, weight shifts and aliases, ready for "
        "Rockpool's XyloSim.from_specification. IN is .json, .npz or .nir (--dt maps a "
        "graph from another tool); OUT is written as NumPy .npz (np.load gives the dict "
        "back) when its name ends in .npz, as a NIR graph for .nir, as JSON otherwise. A "
        "summary goes to stderr. A DynapCNN network is discretized (see discretize)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_quant_options (context, &q);
  cli_add_nir_options (context, &dt, &reset);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, command, &argc, &argv, &status))
    return status;

  if (argc != 2)
    return cli_usage_error (command, argc < 2 ? _("missing input file")
                                              : _("more than one input file"));
  if (output == NULL)
    return cli_usage_error (command, _("missing output file (-o OUT)"));
  if (!cli_load_options (dt, reset, kind_name, &load, &error))
    return cli_usage_error (command, "%s", error->message);
  kind = sq_network_kind_for_path (argv[1], &load, &error);
  if (kind == NULL)
    return cli_fail_error (error);
  if (!cli_quant_args_settings (kind, &q, &settings, &error))
    return cli_usage_error (command, "%s", error->message);

  t = g_get_monotonic_time ();
  if ((network = cli_load (argv[1], &load, &error)) == NULL)
    return cli_fail_error (error);
  cli_timing (timings, "load", t);
  cli_print_warnings (network);
  /* A NIR graph that no Xylo takes may have loaded as another kind, with other settings. */
  if (network->kind != kind && !cli_quant_args_settings (network->kind, &q, &settings, &error))
    return cli_usage_error (command, "%s", error->message);

  /* Only the integers are written and reported: the float values may go. */
  t = g_get_monotonic_time ();
  result = sq_network_quantize_consume (g_steal_pointer (&network), &settings,
                                        SQ_QUANTIZE_DEFAULT, NULL, &error);
  if (result == NULL)
    return cli_fail_error (error);
  cli_timing (timings, "quantize", t);

  /* OUT and the report are written together: if either fails, neither is replaced. */
  t = g_get_monotonic_time ();
  {
    g_autoptr(GBytes) out = sq_network_save_bytes (result, output, &error);
    g_autofree char *report_text = NULL;
    SqFileContent files[2] = { { output, NULL, 0 }, { report, NULL, 0 } };

    if (out == NULL)
      return cli_fail_error (error);
    files[0].data = g_bytes_get_data (out, &files[0].length);
    if (report)
      {
        g_autoptr(JsonNode) root = sq_network_result_report (result, result->network->source);

        report_text = sq_json_to_data (root, TRUE, &files[1].length);
        files[1].data = report_text;
      }
    if (!sq_file_write_all_atomic (files, report ? 2 : 1, &error))
      return cli_fail_error (error);
  }
  cli_timing (timings, "write", t);

  summary = sq_network_result_summary (result);
  fprintf (stderr, "%s: %s", result->network->source, summary);
  return CLI_EXIT_OK;
}

int
cli_quantize (int    argc,
              char **argv)
{
  return quantize (argc, argv, "quantize");
}

int
cli_discretize (int    argc,
                char **argv)
{
  return quantize (argc, argv, "discretize");
}

/* ---------------------------------------------------------------------------------------- */

int
cli_compare (int    argc,
             char **argv)
{
  g_auto(GStrv) set = NULL;
  gboolean json = FALSE;
  int weight_bits = CLI_NOT_GIVEN, threshold_bits = CLI_NOT_GIVEN, status, best;
  g_autofree char *nir_reset = NULL, *kind_name = NULL;
  double dt = 0;
  SqLoadOptions load;
  const GOptionEntry entries[] = {
    { "weight-bits", 0, 0, G_OPTION_ARG_INT, &weight_bits,
      N_("Bits per signed weight, 2–16 (default 8)"), "N" },
    { "threshold-bits", 0, 0, G_OPTION_ARG_INT, &threshold_bits,
      N_("Bits per signed threshold and bias, 2–24 (default 16)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the comparison as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IN"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) sq_network_result_unref);
  g_autoptr(GArray) variants = NULL;
  g_autoptr(GError) error = NULL;
  const SqNetworkKind *kind;
  SqQuantSettings base;

  g_option_context_set_summary (context,
    _("Quantize IN with every method — global and channel scaling, each with and without the "
      "fuzzy range, each in Synquant and Rockpool mode — and print one row of figures per "
      "method. The best SQNR among results that fit the hardware is marked with *."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_set_option (context, &set);
  cli_add_nir_options (context, &dt, &nir_reset);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, "compare", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("compare", argc < 2 ? _("missing input file")
                                                : _("more than one input file"));
  if (!cli_load_options (dt, nir_reset, kind_name, &load, &error))
    return cli_usage_error ("compare", "%s", error->message);
  kind = sq_network_kind_for_path (argv[1], &load, &error);
  if (kind == NULL)
    return cli_fail_error (error);
  {
    CliQuantOptions q = { NULL, NULL, FALSE, weight_bits, threshold_bits, NULL, set };

    if (!cli_settings (kind, &q, &base, &error))
      return cli_usage_error ("compare", "%s", error->message);
  }

  network = cli_load (argv[1], &load, &error);
  if (network == NULL)
    return cli_fail_error (error);
  cli_print_warnings (network);
  if (network->kind != kind)
    {
      CliQuantOptions q = { NULL, NULL, FALSE, weight_bits, threshold_bits, NULL, set };

      if (!cli_settings (network->kind, &q, &base, &error))
        return cli_usage_error ("compare", "%s", error->message);
    }

  /* One row per combination of the kind's methods and modes. */
  variants = sq_quant_settings_variants (&base);
  for (guint i = 0; i < variants->len; i++)
    {
      SqNetworkResult *r = sq_network_quantize (network,
                                                &g_array_index (variants, SqQuantSettings, i),
                                                SQ_QUANTIZE_DEFAULT, NULL, &error);

      if (r == NULL)
        return cli_fail_error (error);
      g_ptr_array_add (results, r);
    }
  best = sq_network_results_best ((SqNetworkResult **) results->pdata, results->len);

  if (json)
    {
      g_autoptr(JsonNode) root = sq_network_compare_json ((SqNetworkResult **) results->pdata,
                                                          results->len, best);
      g_autofree char *text = sq_json_to_data (root, TRUE, NULL);

      fputs (text, stdout);
    }
  else
    {
      g_autofree char *text = sq_network_compare_text ((SqNetworkResult **) results->pdata,
                                                       results->len, best);

      fputs (text, stdout);
    }
  return CLI_EXIT_OK;
}
