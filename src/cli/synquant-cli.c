/* synquant-cli.c: the commands of synquant-cli, and what they share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "quantize", cli_quantize, N_("Quantize a float network to integers") },
  { "discretize", cli_discretize,
    N_("Discretize a float DynapCNN network for the chip (quantize, in sinabs's word)") },
  { "compare",  cli_compare,  N_("Compare every method of quantizing one network") },
  { "info",     cli_info,     N_("Show a network's shapes, ranges and warnings") },
  { "simulate", cli_simulate,
    N_("Run a network on its integer core or the float model") },
  { "export",   cli_export,   N_("Write a network as a configuration for a device") },
  { "check",    cli_check,    N_("Check whether a network fits a device") },
  { "evaluate", cli_evaluate,
    N_("Run the float model and the integer core over a labelled sample set") },
  { "sweep",    cli_sweep,
    N_("Quantize every combination of a few settings and report their figures") },
  { "transform", cli_transform,
    N_("Apply Rockpool-style parameter transforms and write the new network") },
  { "robustness", cli_robustness,
    N_("Draw transformed networks many times and measure how far they agree") },
};

int
cli_fail (const char *format,
          ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "synquant-cli: %s\n", msg);

  return CLI_EXIT_ERROR;
}

int
cli_fail_error (const GError *error)
{
  return cli_fail ("%s", error->message);
}

int
cli_usage_error (const char *command,
                 const char *format,
                 ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "synquant-cli %s: %s\n", command, msg);
  fprintf (stderr, _("Try “synquant-cli %s --help” for more information.\n"), command);

  return CLI_EXIT_ERROR;
}

/* Parses a command's options; on failure @status holds the exit status. */
gboolean
cli_parse (GOptionContext *context,
           const char     *command,
           int            *argc,
           char         ***argv,
           int            *status)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Whether @path ends in @extension (".npz"), in any case. */
gboolean
cli_has_extension (const char *path,
                   const char *extension)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, extension);
}

/* "load: 812.4 ms", always with a decimal point so scripts can read it in any locale. */
void
cli_timing (gboolean    enabled,
            const char *phase,
            gint64      start_usec)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!enabled)
    return;
  g_ascii_formatd (buf, sizeof buf, "%.1f", (double) (g_get_monotonic_time () - start_usec) / 1e3);
  fprintf (stderr, "%s: %s ms\n", phase, buf);
}

/* Puts each option given into @settings by its id; a kind without that option refuses it.
 * The messages are the core's, but for --weight-shift, which the command line types. */
/* Any setting of any kind by its id, so the CLI takes every kind's options without one
 * named option per setting. */
void
cli_add_set_option (GOptionContext   *context,
                    char           ***set)
{
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, set,
      N_("Set any setting of the input's kind by its name (repeatable): weight-bits=6, "
         "method=channel, or one layer's: layers[1].width=int8; an unknown name lists the "
         "kind's settings"), N_("NAME=VALUE") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

void
cli_quant_args_clear (CliQuantArgs *args)
{
  g_clear_pointer (&args->method, g_free);
  g_clear_pointer (&args->mode, g_free);
  g_clear_pointer (&args->weight_shift, g_free);
  g_clear_pointer (&args->set, g_strfreev);
}

void
cli_add_quant_options (GOptionContext *context,
                       CliQuantArgs   *args)
{
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &args->method,
      N_("Scaling method: global (default) or channel"), N_("METHOD") },
    { "fuzzy", 0, 0, G_OPTION_ARG_NONE, &args->fuzzy,
      N_("Range |mean| + 2·std of the non-zero weights instead of max |w|"), NULL },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &args->mode,
      N_("synquant (default, corrected) or rockpool (bit-exact with Rockpool 2.8–3.0.3)"),
      N_("MODE") },
    { "weight-bits", 0, 0, G_OPTION_ARG_INT, &args->weight_bits,
      N_("Bits per signed weight, 2–16 (default 8)"), "N" },
    { "threshold-bits", 0, 0, G_OPTION_ARG_INT, &args->threshold_bits,
      N_("Bits per signed threshold and bias, 2–24 (default 16)"), "N" },
    { "weight-shift", 0, 0, G_OPTION_ARG_STRING, &args->weight_shift,
      N_("Shift of the weights into the 16-bit state: 0 (default), 1–7, or auto to choose "
         "per layer (Synquant mode)"), N_("auto|N") },
    { NULL }
  };

  args->weight_bits = args->threshold_bits = CLI_NOT_GIVEN;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_set_option (context, &args->set);
}

gboolean
cli_quant_args_settings (const SqNetworkKind  *kind,
                         const CliQuantArgs   *args,
                         SqQuantSettings      *settings,
                         GError              **error)
{
  CliQuantOptions q = { args->method, args->mode, args->fuzzy, args->weight_bits,
                        args->threshold_bits, args->weight_shift, args->set };

  return cli_settings (kind, &q, settings, error);
}

/* A named integer option, such as --weight-bits: every value given goes to the kind, which
 * refuses one outside its range by the option's name ("weight bits must be from 2 to 16, not
 * 0"); 0 too, which once meant "not given" and quietly gave the default. */
static gboolean
set_int (SqQuantSettings  *settings,
         const char       *id,
         int               value,
         GError          **error)
{
  return value == CLI_NOT_GIVEN || sq_quant_settings_set (settings, id, value, error);
}

gboolean
cli_settings (const SqNetworkKind    *kind,
              const CliQuantOptions  *options,
              SqQuantSettings        *settings,
              GError                **error)
{
  sq_quant_settings_init (settings, kind);

  if (options->method && !sq_quant_settings_set_string (settings, "method", options->method,
                                                        error))
    return FALSE;
  if (options->mode && !sq_quant_settings_set_string (settings, "mode", options->mode, error))
    return FALSE;
  if (options->fuzzy && !sq_quant_settings_set (settings, "fuzzy", TRUE, error))
    return FALSE;
  if (!set_int (settings, "weight-bits", options->weight_bits, error) ||
      !set_int (settings, "threshold-bits", options->threshold_bits, error))
    return FALSE;
  for (char **s = options->set; s != NULL && *s != NULL; s++)
    {
      const char *eq = strchr (*s, '=');
      g_autofree char *id = NULL;

      if (eq == NULL || eq == *s)
        {
          g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                       _("--set takes NAME=VALUE, not “%s”"), *s);
          return FALSE;
        }
      id = g_strndup (*s, eq - *s);
      if (!sq_quant_settings_set_string (settings, id, eq + 1, error))
        return FALSE;
    }
  if (!sq_quant_settings_check (settings, error))
    return FALSE;

  if (options->weight_shift != NULL)
    {
      const SqOption *o = sq_network_kind_option (kind, "weight-shift");

      if (o == NULL)
        return sq_quant_settings_set_string (settings, "weight-shift", options->weight_shift,
                                             error);
      if (!sq_quant_settings_set_string (settings, "weight-shift", options->weight_shift,
                                         NULL))
        {
          g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                       _("--%s is “%s”; use %s or a whole number from %d to %d"), o->id,
                       options->weight_shift, o->special_name ? o->special_name : "",
                       o->min, o->max);
          return FALSE;
        }
      return sq_quant_settings_check (settings, error);
    }
  return TRUE;
}

static int
usage (FILE *out)
{
  g_return_val_if_fail (out == stdout, CLI_EXIT_ERROR);

  fputs (_("Usage:\n  synquant-cli COMMAND [OPTION…]\n\n"), out);
  fputs (_("Quantize spiking neural networks for Xylo and other integer hardware.\n\n"), out);
  fputs (_("Commands:\n"), out);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fputs (_("\nRun “synquant-cli COMMAND --help” for a command's options.\n"
          "Inputs are Xylo specifications as Rockpool users write them with json.dump (.json)\n"
          "or np.savez (.npz), DynapCNN layer files (.json, .npz; docs/dynapcnn.md) and NIR\n"
          "graphs (.nir; --dt maps one from another tool to Xylo; a CNN opens as DynapCNN);\n"
          "outputs are written in the format their extension names.\n"
          "Exit status: 0 on success, 1 on bad input or usage.\n"), out);
  return CLI_EXIT_OK;
}

int
cli_main (int   argc,
          char *argv[])
{
  if (argc < 2)
    {
      cli_fail (_("missing command"));
      fputs (_("Try “synquant-cli --help” for more information.\n"), stderr);
      return CLI_EXIT_ERROR;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    return usage (stdout);
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("synquant-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        /* GOption's usage line starts with the program name: make it the whole command. */
        g_autofree char *prgname = g_strdup_printf ("synquant-cli %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  cli_fail (_("unknown command “%s”"), argv[1]);
  fputs (_("Try “synquant-cli --help” for the list of commands.\n"), stderr);
  return CLI_EXIT_ERROR;
}
