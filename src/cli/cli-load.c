/* cli-load.c: loading an input for synquant-cli: --dt and --reset, and what a load says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

/* --dt and --reset, the two things NIR does not store, for the commands that map a graph. */
void
cli_add_nir_options (GOptionContext *context,
                     double         *dt,
                     char          **reset)
{
  const GOptionEntry entries[] = {
    { "dt", 0, 0, G_OPTION_ARG_DOUBLE, dt,
      N_("NIR input: the time step in seconds (NIR stores none)"), N_("SECONDS") },
    { "reset", 0, 0, G_OPTION_ARG_STRING, reset,
      N_("NIR input: the reset the network was trained with, subtract (default, as on Xylo) "
         "or zero"), N_("MODE") },
    { NULL }
  };

  /* GOption copies the entries. */
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* --kind: which kind reads a file several could take (a CNN's NIR graph as fixed point). */
void
cli_add_kind_option (GOptionContext  *context,
                     char           **kind)
{
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, kind,
      N_("Read the input as this kind of network: xylo, dynapcnn or fxp (default: the first "
         "kind that reads it)"), N_("KIND") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* How to map a graph from another tool: with @dt (seconds; ≤ 0 when not given) a graph is
 * mapped with it and @reset, without it only a file Synquant wrote loads; with @kind (a
 * kind's name, or %NULL) the file is read as that kind only. */
gboolean
cli_load_options (double          dt,
                  const char     *reset,
                  const char     *kind,
                  SqLoadOptions  *options,
                  GError        **error)
{
  *options = (SqLoadOptions) { { 0, }, FALSE, NULL };
  if (kind != NULL && (options->kind = sq_network_kind_lookup (kind)) == NULL)
    {
      g_autoptr(GPtrArray) kinds = sq_network_kinds ();
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < kinds->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                ((const SqNetworkKind *) kinds->pdata[i])->name);
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNKNOWN_FORMAT,
                   _("unknown kind “%s”; use one of %s"), kind, names->str);
      return FALSE;
    }
  options->nir.dt = dt;
  options->nir.reset = SQ_NIR_RESET_SUBTRACT;
  options->has_nir = dt > 0;
  if (reset != NULL && !sq_nir_reset_from_string (reset, &options->nir.reset))
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE,
                   _("unknown reset mode “%s”; use subtract or zero"), reset);
      return FALSE;
    }
  return TRUE;
}

/* The network in @path, of any kind; what mapping it approximated goes to stderr. */
SqNetwork *
cli_load (const char           *path,
          const SqLoadOptions  *options,
          GError              **error)
{
  SqNetwork *network = sq_network_load (path, options, NULL, NULL, NULL, error);

  for (guint i = 0; network != NULL && i < network->notes->len; i++)
    fprintf (stderr, _("note: %s\n"), (const char *) g_ptr_array_index (network->notes, i));
  return network;
}

/* What the loader ignored (unknown keys). */
void
cli_print_warnings (const SqNetwork *network)
{
  for (guint i = 0; i < network->warnings->len; i++)
    fprintf (stderr, _("warning: %s: %s\n"), network->source,
             (const char *) g_ptr_array_index (network->warnings, i));
}
