/* cli-check.c: synquant-cli check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

static const char *
severity_name (SqCheckSeverity severity)
{
  switch (severity)
    {
    case SQ_CHECK_VIOLATION:
      return "violation";
    case SQ_CHECK_SILENT_CHANGE:
      return "silent-change";
    case SQ_CHECK_DEAD:
      return "dead";
    case SQ_CHECK_NOTE:
    default:
      return "note";
    }
}

/* Machine-readable: the device, whether it fits, and every issue with its identifiers. */
static JsonNode *
report_to_json (const SqCheckReport *report,
                const SqNetwork     *network)
{
  const char *source = network->source;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, report->device->name);
  json_builder_set_member_name (b, "fits");
  json_builder_add_boolean_value (b, sq_check_report_fits (report));
  json_builder_set_member_name (b, "alive");
  json_builder_add_boolean_value (b, sq_check_report_alive (report));
  json_builder_set_member_name (b, "violations");
  json_builder_add_int_value (b, (gint64) sq_check_report_count (report, SQ_CHECK_VIOLATION));
  json_builder_set_member_name (b, "silent_changes");
  json_builder_add_int_value (b,
                              (gint64) sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE));
  json_builder_set_member_name (b, "dead");
  json_builder_add_int_value (b, (gint64) sq_check_report_count (report, SQ_CHECK_DEAD));
  json_builder_set_member_name (b, "notes");
  json_builder_add_int_value (b, (gint64) sq_check_report_count (report, SQ_CHECK_NOTE));
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, severity_name (issue->severity));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, issue->kind);
      json_builder_set_member_name (b, "param");
      if (issue->param >= 0)
        json_builder_add_string_value (b, sq_network_get_group (network,
                                                                (guint) issue->param)->id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "index");
      if (issue->index >= 0)
        json_builder_add_int_value (b, (gint64) issue->index);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, issue->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
cli_check (int    argc,
           char **argv)
{
  g_autofree char *device_name = NULL;
  g_autofree char *reset = NULL, *kind_name = NULL, *input = NULL;
  gint64 step_us = 0, max_synops = 0;
  double dt = 0.0;
  gboolean json = FALSE;
  SqLoadOptions load;
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_name,
      N_("The target: xylo-v1, xylo-audio2, xylo-imu, xylo-audio3, dynapcnn, speck2e or "
         "speck2f (speck)"),
      N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the issues as JSON on stdout"), NULL },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
      N_("DynapCNN: a sample input (counts (T, C, H, W) as .npy, or events as .npy or CSV) "
         "to check the SynOps load of each core on"), N_("FILE") },
    { "step-us", 0, 0, G_OPTION_ARG_INT64, &step_us,
      N_("DynapCNN, with --input: the time step in µs (default 1000)"), N_("US") },
    { "max-synops", 0, 0, G_OPTION_ARG_INT64, &max_synops,
      N_("DynapCNN, with --input: the SynOps/s one core executes (default: the device's)"),
      "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SPEC --device DEVICE"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqCheckReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const SqDeviceProfile *device;
  gsize n_violations, n_changes, n_dead, n_notes;
  int status;

  g_option_context_set_summary (context,
    _("Check whether a Xylo specification fits a device: sizes, synapses, the neurons that "
      "may receive input and drive outputs, fan-out, recurrent entries, aliases, biases and "
      "the range of every value. Also lists what Rockpool's config_from_specification would "
      "change without an error (dropped rows, int8 casts that wrap, ignored hidden biases). "
      "Then whether it can work at all: a warning when every membrane forgets its potential "
      "each step (dash 0) or a layer can never fire. "
      "A DynapCNN network is checked for its cores' memories and placement, and with --input "
      "for the SynOps/s its busiest core executes on that input (discretized first when it "
      "is float): above the limit the chip stalls. "
      "Exit status 0 when the specification fits and can work, 1 for any violation, silent "
      "change or warning."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_nir_options (context, &dt, &reset);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, "check", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("check", argc < 2 ? _("missing input file")
                                              : _("more than one input file"));
  if (device_name == NULL)
    {
      g_autofree char *names = sq_device_names_string ();
      return cli_usage_error ("check", _("missing --device; one of %s"), names);
    }
  device = sq_device_profile_lookup (device_name);
  if (device == NULL)
    {
      g_autofree char *names = sq_device_names_string ();
      return cli_usage_error ("check", _("unknown device “%s”; use one of %s"), device_name,
                              names);
    }

  if (input == NULL && (step_us != 0 || max_synops != 0))
    return cli_usage_error ("check", _("--step-us and --max-synops go with --input"));
  if (step_us < 0 || max_synops < 0)
    return cli_usage_error ("check", _("--step-us and --max-synops take positive numbers"));

  if (!cli_load_options (dt, reset, kind_name, &load, &error) ||
      (network = cli_load (argv[1], &load, &error)) == NULL)
    return cli_fail_error (error);
  cli_print_warnings (network);
  if (input != NULL && !g_str_equal (network->kind->name, "dynapcnn"))
    return cli_usage_error ("check", _("--input checks the SynOps load of a DynapCNN "
                                       "network"));

  /* The network as it is: a float one is checked too, and says what does not fit. */
  report = sq_network_check (network, NULL, device, &error);
  if (report == NULL)
    return cli_fail_error (error);
  if (input != NULL && device->n_cores > 0 &&
      !cli_cnn_check_load (network, input, step_us ? (guint64) step_us : 1000,
                           (guint64) max_synops, report, &error))
    return cli_fail_error (error);
  n_violations = sq_check_report_count (report, SQ_CHECK_VIOLATION);
  n_changes = sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE);
  n_dead = sq_check_report_count (report, SQ_CHECK_DEAD);
  n_notes = sq_check_report_count (report, SQ_CHECK_NOTE);

  if (json)
    {
      g_autoptr(JsonNode) root = report_to_json (report, network);
      g_autofree char *text = sq_json_to_data (root, TRUE, NULL);

      fputs (text, stdout);
      fputc ('\n', stdout);
    }
  else
    {
      g_autofree char *text = sq_check_report_to_string (report);

      fputs (text, stdout);
      if (sq_check_report_fits (report) && n_dead > 0)
        printf (g_dngettext (GETTEXT_PACKAGE, "%s fits %s but cannot work: %zu warning\n",
                             "%s fits %s but cannot work: %zu warnings\n", n_dead),
                network->source, device->title, n_dead);
      else if (sq_check_report_fits (report))
        printf (_("%s fits %s\n"), network->source, device->title);
      else
        {
          /* TRANSLATORS: "net.json does not fit XyloIMU: 2 violations, 1 silent change" */
          g_autofree char *v = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu violation",
                                                             "%zu violations", n_violations),
                                                n_violations);
          g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%zu silent change",
                                                             "%zu silent changes", n_changes),
                                                n_changes);

          printf (_("%s does not fit %s: %s, %s\n"), network->source, device->title, v, c);
        }
      if (n_notes > 0)
        printf (g_dngettext (GETTEXT_PACKAGE, "%zu note\n", "%zu notes\n", n_notes), n_notes);
    }

  /* A network that fits but cannot work must not pass a script's check silently. */
  return sq_check_report_fits (report) && n_dead == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}
