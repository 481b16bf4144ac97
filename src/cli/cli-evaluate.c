/* cli-evaluate.c: synquant-cli evaluate — a quantization against the float model over a
 * labelled sample set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

/* The device named on the command line, or the kind's default; a usage error otherwise. */
gboolean
cli_device (const SqNetworkKind    *kind,
            const char             *name,
            const SqDeviceProfile **device,
            GError                **error)
{
  g_autofree char *list = NULL;

  *device = sq_network_kind_device (kind, name ? name : kind->devices[0]);
  if (*device != NULL)
    return TRUE;
  list = sq_network_kind_device_names (kind);
  g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_DEVICE,
               _("unknown device “%s”; use %s"), name, list);
  return FALSE;
}

/* The sample set of @network, with a warning for clipped counts. */
SqSampleSet *
cli_load_samples (const char       *path,
                  const SqNetwork  *network,
                  GCancellable     *cancellable,
                  GError          **error)
{
  SqSampleSet *set = sq_sample_set_load (path, network->n_inputs, cancellable, error);

  if (set != NULL && set->n_clipped > 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "warning: %s: %zu count above 15 clipped to 15, as the "
                                  "hardware does\n",
                                  "warning: %s: %zu counts above 15 clipped to 15, as the "
                                  "hardware does\n", set->n_clipped),
             set->source, set->n_clipped);
  return set;
}

/* The end of a command Ctrl+C stopped: nothing was written. */
int
cli_interrupted (const char *command)
{
  return cli_fail (_("%s: interrupted; nothing was written"), command);
}

int
cli_evaluate (int    argc,
              char **argv)
{
  g_auto(CliQuantArgs) q = { 0 };
  g_autofree char *output = NULL, *samples = NULL, *device_name = NULL;
  gboolean quiet = FALSE;
  int status;
  g_autofree char *nir_reset = NULL, *kind_name = NULL;
  double dt = 0;
  SqLoadOptions load;
  const GOptionEntry entries[] = {
    { "samples", 0, 0, G_OPTION_ARG_FILENAME, &samples,
      N_("The sample set: an .npz with x (N, T, C) and optionally y (N,), a 3-D .npy, or a "
         "folder of rasters with an optional labels.csv"), N_("SET") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to FILE (JSON)"), N_("FILE") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name,
      N_("The device whose integer core runs the quantized network (default: the kind's "
         "first)"), N_("DEVICE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NET --samples SET"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) result = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(SqEvaluation) evaluation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const SqNetworkKind *kind;
  const SqDeviceProfile *device;
  SqQuantSettings settings;
  CliProgress progress;

  g_option_context_set_summary (context,
    _("Quantize NET as quantize does, run the float model and the integer core over every "
      "sample of SET on every processor, and print how far they agree: the class of each "
      "sample by each model (the output with most events; of equals, the first to fire), "
      "the class agreement, the accuracy of each against the labels, the confusion matrix "
      "and the worst samples. Progress goes to stderr; Ctrl+C stops it and writes nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_quant_options (context, &q);
  cli_add_nir_options (context, &dt, &nir_reset);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, "evaluate", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("evaluate", argc < 2 ? _("missing network file")
                                                 : _("more than one network file"));
  if (samples == NULL)
    return cli_usage_error ("evaluate", _("missing sample set (--samples SET)"));
  if (!cli_load_options (dt, nir_reset, kind_name, &load, &error))
    return cli_usage_error ("evaluate", "%s", error->message);
  kind = sq_network_kind_for_path (argv[1], &load, &error);
  if (kind == NULL)
    return cli_fail_error (error);
  if (!cli_quant_args_settings (kind, &q, &settings, &error))
    return cli_usage_error ("evaluate", "%s", error->message);

  network = cli_load (argv[1], &load, &error);
  if (network == NULL)
    return cli_fail_error (error);
  cli_print_warnings (network);
  /* A NIR graph that no Xylo takes may have loaded as another kind, with other settings and
   * devices. */
  if ((network->kind != kind &&
       !cli_quant_args_settings (network->kind, &q, &settings, &error)) ||
      !cli_device (network->kind, device_name, &device, &error))
    return cli_usage_error ("evaluate", "%s", error->message);
  set = cli_load_samples (samples, network, NULL, &error);
  if (set == NULL)
    return cli_fail_error (error);
  result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  if (result == NULL)
    return cli_fail_error (error);

  cli_progress_init (&progress, "evaluate", quiet);
  evaluation = sq_evaluate (result, device, set, NULL, progress.cancellable,
                            cli_progress_report, &progress, &error);
  status = cli_progress_interrupted (&progress);
  cli_progress_clear (&progress);
  if (status)
    return cli_interrupted ("evaluate");
  if (evaluation == NULL)
    return cli_fail_error (error);

  if (output != NULL)
    {
      g_autoptr(JsonNode) root = sq_evaluation_report (evaluation, set, result, device);
      gsize length;
      g_autofree char *json = sq_json_to_data (root, TRUE, &length);

      if (!sq_file_write_atomic (output, json, length, &error))
        return cli_fail_error (error);
    }
  text = sq_evaluation_text (evaluation, set);
  fputs (text, stdout);
  return CLI_EXIT_OK;
}
