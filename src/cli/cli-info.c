/* cli-info.c: synquant-cli info
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cli-private.h"

int
cli_info (int    argc,
          char **argv)
{
  g_autofree char *reset = NULL;
  double dt = 0;
  const GOptionEntry entries[] = {
    { "dt", 0, 0, G_OPTION_ARG_DOUBLE, &dt,
      N_("NIR input: the time step in seconds, to show the Xylo mapping"), N_("SECONDS") },
    { "reset", 0, 0, G_OPTION_ARG_STRING, &reset,
      N_("NIR input: the reset the network was trained with, subtract (default) or zero"),
      N_("MODE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IN"));
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GPtrArray) diags = NULL;
  g_autoptr(GError) error = NULL;
  gboolean integer;
  int status;

  g_option_context_set_summary (context,
    _("Show the sizes of a Xylo specification, the shape and value range of every parameter, "
      "and what a user should know before quantizing it: dashes that round to 0 (dead "
      "synapses) or outside 0…15, neurons that receive or drive nothing, thresholds ≤ 0."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse (context, "info", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("info", argc < 2 ? _("missing input file")
                                             : _("more than one input file"));

  if (cli_is_nir (argv[1]))
    return cli_info_nir (argv[1], dt, reset);

  spec = cli_load_spec (argv[1], &error);
  if (spec == NULL)
    return cli_fail_error (error);

  integer = sq_xylo_spec_is_integer (spec);
  printf (_("%s: Xylo specification with %s values\n"), spec->source,
          integer ? _("integer") : _("float"));
  printf (_("  inputs          %zu\n"), spec->n_in);
  printf (g_dngettext (GETTEXT_PACKAGE,
                       "  hidden neurons  %zu, %zu synapse each; "
                       "%zu receive input, the last %zu"
                       " drive outputs\n",
                       "  hidden neurons  %zu, %zu synapses each; "
                       "%zu receive input, the last %zu"
                       " drive outputs\n", spec->n_syn),
          spec->n_hidden, spec->n_syn, spec->n_ien, spec->n_oen);
  printf (_("  output neurons  %zu\n"), spec->n_out);
  if (spec->has_dt)
    printf (_("  dt              %g s\n"), spec->dt);
  printf (_("  weight shifts   in %d, rec %d, out %d\n"), spec->weight_shift[SQ_SHIFT_IN],
          spec->weight_shift[SQ_SHIFT_REC], spec->weight_shift[SQ_SHIFT_OUT]);
  if (spec->alias_offsets)
    printf (_("  alias targets   %zu\n"),
            spec->alias_offsets[spec->n_alias_lists]);

  printf (_("\n  %-14s %-16s %12s %12s %16s\n"), _("parameter"), _("shape"), _("min"), _("max"),
          _("non-zero"));
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[i];
      g_autofree char *shape = NULL;
      g_autofree char *nonzero = NULL;
      SqStats st;

      if (!sq_tensor_is_present (t))
        continue;
      shape = sq_tensor_shape_string (t);
      sq_tensor_stats (t, &st);
      nonzero = g_strdup_printf ("%zu/%zu", st.nonzero, st.n);
      printf ("  %-14s %-16s %12.5g %12.5g %16s\n", sq_param_name ((SqParam) i), shape,
              st.min, st.max, nonzero);
    }

  diags = sq_xylo_spec_diagnose (spec);
  if (diags->len > 0)
    {
      fputs (_("\nWarnings:\n"), stdout);
      for (guint i = 0; i < diags->len; i++)
        printf ("  %s\n", ((SqDiagnostic *) g_ptr_array_index (diags, i))->message);
    }
  else
    fputs (_("\nNo warnings.\n"), stdout);

  return CLI_EXIT_OK;
}
