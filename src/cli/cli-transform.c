/* cli-transform.c: synquant-cli transform (one draw of a transform file, burnt into a new
 * network) and synquant-cli robustness (many draws over a sample set)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli-private.h"

/* --seed as typed: any 64-bit unsigned number, 0 when not given. */
static gboolean
parse_seed (const char  *text,
            guint64     *seed,
            GError     **error)
{
  g_autoptr(GError) local = NULL;

  *seed = 0;
  if (text == NULL)
    return TRUE;
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, seed, &local))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--seed must be a whole number from 0 to %" PRIu64 ", not %s"),
               G_MAXUINT64, text);
  return FALSE;
}

/* --dt, --reset and --kind as given: how a NIR graph maps. */
typedef struct {
  double  dt;
  char   *reset;
  char   *kind;
} LoadArgs;

static void
load_args_clear (LoadArgs *a)
{
  g_clear_pointer (&a->reset, g_free);
  g_clear_pointer (&a->kind, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoadArgs, load_args_clear)

static void
add_load_options (GOptionContext *context,
                  LoadArgs       *a)
{
  cli_add_nir_options (context, &a->dt, &a->reset);
  cli_add_kind_option (context, &a->kind);
}

/* The network of argv[1] and the transform file, both read; a status when not. */
static int
load_inputs (const char          *command,
             int                  argc,
             char               **argv,
             const char          *transforms,
             const LoadArgs      *args,
             SqNetwork          **network,
             SqTransformConfig  **config)
{
  g_autoptr(GError) error = NULL;
  SqLoadOptions load;

  if (argc != 2)
    return cli_usage_error (command, argc < 2 ? _("missing network file")
                                              : _("more than one network file"));
  if (transforms == NULL)
    return cli_usage_error (command, _("missing transform file (--transforms T.json)"));
  if (!cli_load_options (args->dt, args->reset, args->kind, &load, &error))
    return cli_usage_error (command, "%s", error->message);
  *config = sq_transform_config_load (transforms, &error);
  if (*config == NULL)
    return cli_fail_error (error);
  *network = cli_load (argv[1], &load, &error);
  if (*network == NULL)
    return cli_fail_error (error);
  cli_print_warnings (*network);
  return CLI_EXIT_OK;
}

int
cli_transform (int    argc,
               char **argv)
{
  g_autofree char *transforms = NULL, *output = NULL, *seed_text = NULL;
  g_auto(LoadArgs) load = { 0 };
  gint64 draw = 0;
  const GOptionEntry entries[] = {
    { "transforms", 0, 0, G_OPTION_ARG_FILENAME, &transforms,
      N_("The transform file (JSON, see docs/transforms.md)"), N_("FILE") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the random transforms (default 0)"), N_("S") },
    { "draw", 0, 0, G_OPTION_ARG_INT64, &draw,
      N_("Which draw of the seed (default 0: robustness's first)"), N_("K") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the transformed network to FILE (the format of its extension)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NET --transforms FILE -o OUT"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetwork) drawn = NULL;
  g_autoptr(SqTransformConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  guint64 seed;
  int status;

  g_option_context_set_summary (context,
    _("Apply the transforms of FILE to NET (Rockpool's parameter transforms: stochastic or "
      "deterministic rounding, dropout, decay snapping, rounding) and write the new float "
      "network to OUT, which quantize, simulate, check and export take like any other. The "
      "same seed and draw give the same network on every machine."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_load_options (context, &load);
  if (!cli_parse (context, "transform", &argc, &argv, &status))
    return status;
  if (output == NULL && argc == 2 && transforms != NULL)
    return cli_usage_error ("transform", _("missing output file (-o OUT)"));
  if (draw < 0)
    return cli_usage_error ("transform", _("--draw must be 0 or more, not %" PRId64),
                            draw);
  if (!parse_seed (seed_text, &seed, &error))
    return cli_usage_error ("transform", "%s", error->message);
  status = load_inputs ("transform", argc, argv, transforms, &load, &network, &config);
  if (status != CLI_EXIT_OK)
    return status;
  drawn = sq_transform_config_apply (config, network, seed, (guint64) draw, &error);
  if (drawn == NULL || !sq_network_write (drawn, output, &error))
    return cli_fail_error (error);
  return CLI_EXIT_OK;
}

static gboolean
quant_args_given (const CliQuantArgs *q)
{
  return q->method || q->mode || q->fuzzy || q->weight_shift || q->set ||
         q->weight_bits != CLI_NOT_GIVEN || q->threshold_bits != CLI_NOT_GIVEN;
}

int
cli_robustness (int    argc,
                char **argv)
{
  g_auto(CliQuantArgs) q = { 0 };
  g_autofree char *transforms = NULL, *output = NULL, *samples = NULL, *seed_text = NULL;
  g_autofree char *device_name = NULL;
  g_auto(LoadArgs) load = { 0 };
  gboolean quiet = FALSE, integer = FALSE;
  int draws = 100;
  const GOptionEntry entries[] = {
    { "transforms", 0, 0, G_OPTION_ARG_FILENAME, &transforms,
      N_("The transform file (JSON, see docs/transforms.md)"), N_("FILE") },
    { "samples", 0, 0, G_OPTION_ARG_FILENAME, &samples,
      N_("The sample set: an .npz with x (N, T, C) and optionally y (N,), a 3-D .npy, or a "
         "folder of rasters with an optional labels.csv"), N_("SET") },
    { "draws", 0, 0, G_OPTION_ARG_INT, &draws,
      N_("How many networks to draw (default 100)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the random transforms (default 0)"), N_("S") },
    { "integer", 0, 0, G_OPTION_ARG_NONE, &integer,
      N_("Quantize every draw (with the quantize options) and run the integer core instead "
         "of the draw's float model"), NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name,
      N_("The device whose integer core runs with --integer (default: the kind's first)"),
      N_("DEVICE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to FILE (JSON)"), N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("NET --transforms FILE --samples SET"));
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqTransformConfig) config = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(SqRobustness) robustness = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SqRobustnessOptions options = { 0 };
  SqQuantSettings settings;
  CliProgress progress;
  int status;

  g_option_context_set_summary (context,
    _("Draw NET under the transforms of FILE again and again (stochastic rounding, dropout, "
      "…), run every draw over every sample of SET, and print how far the draws agree with "
      "the float model of NET: the distribution over draws of the class agreement, the "
      "accuracy against the labels and the output events, next to the untransformed "
      "network's. Progress goes to stderr; Ctrl+C stops it and writes nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_quant_options (context, &q);
  add_load_options (context, &load);
  if (!cli_parse (context, "robustness", &argc, &argv, &status))
    return status;
  if (samples == NULL && argc == 2 && transforms != NULL)
    return cli_usage_error ("robustness", _("missing sample set (--samples SET)"));
  if (draws < 1 || draws > SQ_ROBUSTNESS_MAX_DRAWS)
    return cli_usage_error ("robustness", _("--draws must be from 1 to %d, not %d"),
                            SQ_ROBUSTNESS_MAX_DRAWS, draws);
  if (!integer && (quant_args_given (&q) || device_name != NULL))
    return cli_usage_error ("robustness", "%s",
                            _("the quantize options and --device need --integer"));
  if (!parse_seed (seed_text, &options.seed, &error))
    return cli_usage_error ("robustness", "%s", error->message);
  status = load_inputs ("robustness", argc, argv, transforms, &load, &network, &config);
  if (status != CLI_EXIT_OK)
    return status;
  if (integer)
    {
      if (!cli_quant_args_settings (network->kind, &q, &settings, &error) ||
          !cli_device (network->kind, device_name, &options.device, &error))
        return cli_usage_error ("robustness", "%s", error->message);
      options.settings = &settings;
    }
  options.n_draws = (guint) draws;
  set = cli_load_samples (samples, network, NULL, &error);
  if (set == NULL)
    return cli_fail_error (error);

  cli_progress_init (&progress, "robustness", quiet);
  robustness = sq_robustness_run (network, config, set, &options, progress.cancellable,
                                  cli_progress_report, &progress, &error);
  status = cli_progress_interrupted (&progress);
  cli_progress_clear (&progress);
  if (status)
    return cli_interrupted ("robustness");
  if (robustness == NULL)
    return cli_fail_error (error);

  if (output != NULL)
    {
      g_autoptr(JsonNode) root = sq_robustness_report (robustness, network, config, set,
                                                       &options);
      gsize length;
      g_autofree char *json = sq_json_to_data (root, TRUE, &length);

      if (!sq_file_write_atomic (output, json, length, &error))
        return cli_fail_error (error);
    }
  text = sq_robustness_text (robustness);
  fputs (text, stdout);
  return CLI_EXIT_OK;
}
