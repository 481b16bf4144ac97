/* cli-sweep.c: synquant-cli sweep — every combination of a few settings of NET's kind
 *
 * The axes are the kind's own options, one command-line option per option id (--weight-bits,
 * --method for Xylo), so the command knows no kind: the options common to every sweep are
 * parsed first, NET is found among what is left, and its kind's options are parsed second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

/* The values typed for each option of the kind, freed on every way out. */
typedef struct {
  char *v[SQ_MAX_OPTIONS];
} Values;

static void
values_clear (Values *values)
{
  for (guint i = 0; i < SQ_MAX_OPTIONS; i++)
    g_free (values->v[i]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Values, values_clear)

/* The one argument of @argv that is no option or option value: every option left after the
 * first pass takes a value, "--id VALUES" or "--id=VALUES". */
static int
find_network (int    argc,
              char **argv,
              int   *n_found)
{
  int found = -1;

  *n_found = 0;
  for (int i = 1; i < argc; i++)
    {
      if (argv[i][0] == '-' && argv[i][1] != '\0')
        {
          if (strchr (argv[i], '=') == NULL)
            i++;
          continue;
        }
      if (found < 0)
        found = i;
      (*n_found)++;
    }
  return found;
}

int
cli_sweep (int    argc,
           char **argv)
{
  g_autofree char *output = NULL, *samples = NULL, *device_name = NULL;
  gboolean quiet = FALSE;
  int status, n_found, net;
  g_autofree char *nir_reset = NULL, *kind_name = NULL;
  double dt = 0;
  SqLoadOptions load;
  const GOptionEntry entries[] = {
    { "samples", 0, 0, G_OPTION_ARG_FILENAME, &samples,
      N_("Also evaluate every combination on this sample set (as evaluate does)"),
      N_("SET") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the rows to FILE: CSV when its name ends in .csv, JSON otherwise"),
      N_("FILE") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name,
      N_("The device to check and simulate for (default: the kind's first)"), N_("DEVICE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NET --ID VALUES… -o OUT"));
  g_autoptr(GOptionContext) kind_context = NULL;
  g_autoptr(GArray) kind_entries = NULL;
  g_auto(Values) values = { { NULL } };
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(SqSweep) sweep = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *data = NULL;
  const SqNetworkKind *kind;
  const SqDeviceProfile *device;
  SqQuantSettings base;
  CliProgress progress;
  gboolean ok;
  gsize length;

  g_option_context_set_summary (context,
    _("Quantize NET with every combination of the values given and write one row of "
      "figures per combination: the SQNR of the network and of each group, the shares of "
      "clipped and zeroed values, whether the device check passes and, with --samples, the "
      "class agreement and the accuracy of each model (the float model runs once). Every "
      "setting of NET's kind is an axis, given as --ID VALUES: a list (global,channel), a "
      "range of whole numbers (2-8), both for an on/off setting, all for a choice; "
      "--weight-bits 2-8 --method global,channel --fuzzy both for a Xylo specification. "
      "Progress goes to stderr; Ctrl+C stops it and writes nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_nir_options (context, &dt, &nir_reset);
  cli_add_kind_option (context, &kind_name);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!cli_parse (context, "sweep", &argc, &argv, &status))
    return status;
  net = find_network (argc, argv, &n_found);
  if (n_found != 1)
    return cli_usage_error ("sweep", n_found == 0 ? _("missing network file")
                                                  : _("more than one network file"));
  if (output == NULL)
    return cli_usage_error ("sweep", _("missing output file (-o OUT)"));
  if (!cli_load_options (dt, nir_reset, kind_name, &load, &error))
    return cli_usage_error ("sweep", "%s", error->message);
  network = cli_load (argv[net], &load, &error);
  if (network == NULL)
    return cli_fail_error (error);
  cli_print_warnings (network);
  kind = network->kind;
  if (!cli_device (kind, device_name, &device, &error))
    return cli_usage_error ("sweep", "%s", error->message);

  /* The second pass: one option per setting of the kind the file loaded as. */
  kind_entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  for (guint o = 0; o < kind->n_options; o++)
    {
      GOptionEntry e = { kind->options[o].id, 0, 0, G_OPTION_ARG_STRING, &values.v[o],
                         kind->options[o].tooltip, N_("VALUES") };

      g_array_append_val (kind_entries, e);
    }
  kind_context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (kind_context, FALSE);
  g_option_context_add_main_entries (kind_context, (GOptionEntry *) (void *) kind_entries->data,
                                     GETTEXT_PACKAGE);
  if (!cli_parse (kind_context, "sweep", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("sweep", _("more than one network file"));

  sq_quant_settings_init (&base, kind);
  sweep = sq_sweep_new (network, &base);
  ok = TRUE;
  for (guint o = 0; o < kind->n_options; o++)
    {
      const char *v = values.v[o];

      if (ok && v != NULL && !sq_sweep_add_axis (sweep, kind->options[o].id, v, &error))
        ok = FALSE;
    }
  if (!ok)
    return cli_usage_error ("sweep", "%s", error->message);
  if (sweep->axes->len == 0)
    return cli_usage_error ("sweep", _("nothing to sweep: give at least one setting's values "
                                       "(--weight-bits 2-8)"));
  if (samples != NULL && (set = cli_load_samples (samples, network, NULL, &error)) == NULL)
    return cli_fail_error (error);

  cli_progress_init (&progress, "sweep", quiet);
  ok = sq_sweep_run (sweep, device, set, NULL, progress.cancellable, cli_progress_report,
                     &progress, &error);
  status = cli_progress_interrupted (&progress);
  cli_progress_clear (&progress);
  if (status)
    return cli_interrupted ("sweep");
  if (!ok)
    return cli_fail_error (error);

  if (cli_has_extension (output, ".csv"))
    {
      data = sq_sweep_to_csv (sweep);
      length = strlen (data);
    }
  else
    {
      g_autoptr(JsonNode) root = sq_sweep_to_json (sweep);

      data = sq_json_to_data (root, TRUE, &length);
    }
  if (!sq_file_write_atomic (output, data, length, &error))
    return cli_fail_error (error);
  text = sq_sweep_text (sweep);
  fputs (text, stdout);
  return CLI_EXIT_OK;
}
