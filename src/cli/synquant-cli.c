/* synquant-cli: Synquant's work in batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "quantize", cli_quantize, N_("Quantize a float specification to integers") },
  { "compare",  cli_compare,  N_("Compare every scaling method on one specification") },
  { "info",     cli_info,     N_("Show a specification's shapes, ranges and warnings") },
  { "simulate", cli_simulate,
    N_("Run a specification on the Xylo integer core or the float model") },
  { "export",   cli_export,   N_("Write a specification as a configuration for a device") },
  { "check",    cli_check,    N_("Check whether a specification fits a device") },
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

SqXyloSpec *
cli_load_spec (const char  *path,
               GError     **error)
{
  /* Without --dt a .nir file must be one Synquant wrote (it records dt); the commands that
   * map other graphs call cli_load_spec_nir with the user's --dt and --reset. */
  if (cli_is_nir (path))
    return cli_load_spec_nir (path, 0, NULL, error);
  return sq_xylo_spec_load_file (path, NULL, NULL, NULL, error);
}

/* Whether @path ends in @extension (".npz"), in any case. */
gboolean
cli_has_extension (const char *path,
                   const char *extension)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, extension);
}

void
cli_print_warnings (const SqXyloSpec *spec)
{
  for (guint i = 0; i < spec->warnings->len; i++)
    fprintf (stderr, _("warning: %s: %s\n"), spec->source,
             (const char *) g_ptr_array_index (spec->warnings, i));
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

gboolean
cli_quant_params (const char    *method,
                  const char    *mode,
                  gboolean       fuzzy,
                  int            weight_bits,
                  int            threshold_bits,
                  SqQuantParams *params,
                  GError       **error)
{
  sq_quant_params_init (params);

  if (method && !sq_method_from_string (method, &params->method))
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("unknown method “%s”; use global or channel"), method);
      return FALSE;
    }
  if (mode && !sq_mode_from_string (mode, &params->mode))
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("unknown mode “%s”; use synquant or rockpool"), mode);
      return FALSE;
    }
  params->fuzzy = fuzzy;
  if (weight_bits < 0 || threshold_bits < 0)
    {
      g_set_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS,
                   _("bit widths must be positive"));
      return FALSE;
    }
  if (weight_bits)
    params->weight_bits = (guint) weight_bits;
  if (threshold_bits)
    params->threshold_bits = (guint) threshold_bits;

  return sq_quant_params_check (params, error);
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
          "or np.savez (.npz), and NIR graphs (.nir; --dt maps one from another tool);\n"
          "outputs are written in the format their extension names.\n"
          "Exit status: 0 on success, 1 on bad input or usage.\n"), out);
  return CLI_EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  /* SYNQUANT_LOCALEDIR lets the tests use the catalogues of the build tree. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("SYNQUANT_LOCALEDIR") ? g_getenv ("SYNQUANT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

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
