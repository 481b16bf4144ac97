/* cli-nir.c: NIR graphs (.nir) in synquant-cli info and quantize
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

gboolean
cli_is_nir (const char *path)
{
  return cli_has_extension (path, ".nir");
}

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

static gboolean
map_options (double           dt,
             const char      *reset,
             SqNirMapOptions *options,
             GError         **error)
{
  options->dt = dt;
  options->reset = SQ_NIR_RESET_SUBTRACT;
  if (reset != NULL && !sq_nir_reset_from_string (reset, &options->reset))
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE,
                   _("unknown reset mode “%s”; use subtract or zero"), reset);
      return FALSE;
    }
  return TRUE;
}

static void
print_notes (FILE      *out,
             GPtrArray *notes)
{
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    fprintf (out, _("note: %s\n"), (const char *) g_ptr_array_index (notes, i));
}

/* A .nir file as a specification: a file Synquant wrote comes back as it was; any other
 * graph is mapped with @dt (seconds; ≤ 0 when not given) and @reset. Notes go to stderr. */
SqXyloSpec *
cli_load_spec_nir (const char  *path,
                   double       dt,
                   const char  *reset,
                   GError     **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  SqNirMapOptions options;
  SqXyloSpec *spec;

  if (!map_options (dt, reset, &options, error))
    return NULL;
  spec = sq_xylo_spec_load_nir (path, dt > 0 ? &options : NULL, &notes, error);
  print_notes (stderr, notes);
  return spec;
}

int
cli_info_nir (const char *path,
              double      dt,
              const char *reset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNirGraph) graph = sq_nir_graph_load (path, &error);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autofree char *text = NULL;
  SqNirMapOptions options;

  if (graph == NULL)
    return cli_fail_error (error);
  text = sq_nir_graph_describe (graph);
  fputs (text, stdout);

  if (!map_options (dt, reset, &options, &error))
    return cli_usage_error ("info", "%s", error->message);
  spec = sq_xylo_spec_load_nir (path, dt > 0 ? &options : NULL, &notes, &error);
  if (spec == NULL)
    {
      printf (_("\nXylo mapping: %s\n"), error->message);
      return CLI_EXIT_OK;
    }
  printf (_("\nXylo mapping: %zu inputs, %zu hidden neurons, %zu outputs\n"), spec->n_in,
          spec->n_hidden, spec->n_out);
  print_notes (stdout, notes);
  return CLI_EXIT_OK;
}
