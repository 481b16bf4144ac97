/* cli-export.c: synquant-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

static gboolean
any_kind_has_format (const char *name)
{
  g_autoptr(GPtrArray) kinds = sq_network_kinds ();

  for (guint i = 0; i < kinds->len; i++)
    if (sq_network_kind_format (g_ptr_array_index (kinds, i), name) != NULL)
      return TRUE;
  return FALSE;
}

int
cli_export (int    argc,
            char **argv)
{
  g_auto(GStrv) set = NULL;
  g_autofree char *output = NULL, *device_name = NULL, *format_name = NULL;
  g_autofree char *method = NULL, *mode = NULL, *reset = NULL, *c_source = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *device_names = sq_device_names_string ();
  g_autofree char *format_names = sq_network_kind_format_names (NULL);
  g_autofree char *summary = NULL, *report_text = NULL, *source = NULL;
  double dt = 0;
  gboolean fuzzy = FALSE, force = FALSE;
  int weight_bits = CLI_NOT_GIVEN, threshold_bits = CLI_NOT_GIVEN, status;
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_name,
      N_("Target device (xylo-audio2, xylo-imu, …; see below)"), N_("DEVICE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Export format (rockpool-json, samna-json, …; see below)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the export to OUT (a folder for xylo-ram)"), N_("OUT") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Export even when the network does not fit the device"), NULL },
    { "c-source", 0, 0, G_OPTION_ARG_FILENAME, &c_source,
      N_("c-header: also write the step()/reset() source to FILE"), N_("FILE") },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method,
      N_("Float input: scaling method, global (default) or channel"), N_("METHOD") },
    { "fuzzy", 0, 0, G_OPTION_ARG_NONE, &fuzzy,
      N_("Float input: range |mean| + 2·std of the non-zero weights"), NULL },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("Float input: synquant (default) or rockpool"), N_("MODE") },
    { "weight-bits", 0, 0, G_OPTION_ARG_INT, &weight_bits,
      N_("Float input: bits per signed weight, 2–16 (default 8)"), "N" },
    { "threshold-bits", 0, 0, G_OPTION_ARG_INT, &threshold_bits,
      N_("Float input: bits per signed threshold and bias, 2–24 (default 16)"), "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SPEC --device D --format F -o OUT"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) result = NULL;
  g_autoptr(SqCheckReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const SqNetworkKind *kind;
  const SqDeviceProfile *device;
  const SqFormatInfo *format;
  SqExportOptions options = { NULL, };
  SqQuantSettings settings;
  SqLoadOptions load;

  g_option_context_set_summary (context,
    _("Write SPEC as a configuration for a device. A float SPEC is quantized first (the "
      "quantize options apply); an integer one is exported as it is. When the network does "
      "not fit the device, the list of problems is printed and nothing is written, unless "
      "--force is given. docs/export.md describes every format."));
  description = g_strdup_printf (_("Devices: %s\nFormats: %s"), device_names, format_names);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_set_option (context, &set);
  cli_add_nir_options (context, &dt, &reset);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, "export", &argc, &argv, &status))
    return status;

  if (argc != 2)
    return cli_usage_error ("export", argc < 2 ? _("missing input file")
                                               : _("more than one input file"));
  if (device_name == NULL)
    return cli_usage_error ("export", _("missing device (--device D); one of %s"),
                            device_names);
  device = sq_device_profile_lookup (device_name);
  if (device == NULL)
    return cli_usage_error ("export", _("unknown device “%s”; use one of %s"), device_name,
                            device_names);
  if (format_name == NULL)
    return cli_usage_error ("export", _("missing format (--format F); one of %s"),
                            format_names);
  if (!cli_load_options (dt, reset, kind_name, &load, &error))
    return cli_usage_error ("export", "%s", error->message);
  kind = sq_network_kind_for_path (argv[1], &load, &error);
  if (kind == NULL)
    return cli_fail_error (error);
  format = sq_network_kind_format (kind, format_name);
  /* A format of another kind may be this file's once it is loaded (a CNN's NIR graph). */
  if (format == NULL && !any_kind_has_format (format_name))
    {
      g_autofree char *names = sq_network_kind_format_names (kind);

      return cli_usage_error ("export", _("unknown format “%s”; use one of %s"), format_name,
                              names);
    }
  if (output == NULL)
    return cli_usage_error ("export", _("missing output (-o OUT)"));
  if (c_source != NULL && format != NULL && !format->has_companion)
    return cli_usage_error ("export", _("--c-source goes with --format c-header only"));
  {
    CliQuantOptions q = { method, mode, fuzzy, weight_bits, threshold_bits, NULL, set };

    if (!cli_settings (kind, &q, &settings, &error))
      return cli_usage_error ("export", "%s", error->message);
  }

  if ((network = cli_load (argv[1], &load, &error)) == NULL)
    return cli_fail_error (error);
  cli_print_warnings (network);
  /* A NIR graph that no Xylo takes may have loaded as another kind: its formats and
   * settings are what count. */
  if (network->kind != kind)
    {
      CliQuantOptions q = { method, mode, fuzzy, weight_bits, threshold_bits, NULL, set };

      kind = network->kind;
      format = sq_network_kind_format (kind, format_name);
      if (!cli_settings (kind, &q, &settings, &error))
        return cli_usage_error ("export", "%s", error->message);
    }
  if (format == NULL)
    {
      g_autofree char *names = sq_network_kind_format_names (kind);

      return cli_usage_error ("export", _("unknown format “%s” for a %s; use one of %s"),
                              format_name, sq_label (kind->label), names);
    }
  if (c_source != NULL && !format->has_companion)
    return cli_usage_error ("export", _("--c-source goes with --format c-header only"));

  /* A float network is quantized first; an integer one is exported as it is (its scales
   * are unknown). */
  if (!network->is_integer)
    {
      result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
      if (result == NULL)
        return cli_fail_error (error);
      summary = sq_network_result_summary (result);
      fprintf (stderr, "%s: %s", network->source, summary);
    }

  report = sq_network_check (network, result, device, &error);
  if (report == NULL)
    return cli_fail_error (error);
  report_text = sq_check_report_to_string (report);
  if (!sq_check_report_fits (report))
    {
      fprintf (stderr, _("%s does not fit %s:\n"), network->source, device->title);
      fputs (report_text, stderr);
      if (!force)
        return cli_fail (_("nothing written; --force exports anyway"));
      fprintf (stderr, _("warning: exporting anyway (--force)\n"));
    }
  else
    fputs (report_text, stderr);

  source = g_path_get_basename (argv[1]);
  options.source = source;
  options.c_source_path = c_source;
  if (!sq_network_export (network, result, device, format->name, output, &options, &error))
    return cli_fail_error (error);
  return CLI_EXIT_OK;
}
