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
  g_autofree char *reset = NULL, *kind_name = NULL;
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
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SqLoadOptions load;
  int status;

  g_option_context_set_summary (context,
    _("Show the sizes of a Xylo specification, the shape and value range of every parameter, "
      "and what a user should know before quantizing it: dashes that round to 0 (dead "
      "synapses) or outside 0…15, neurons that receive or drive nothing, thresholds ≤ 0."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_kind_option (context, &kind_name);
  if (!cli_parse (context, "info", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("info", argc < 2 ? _("missing input file")
                                             : _("more than one input file"));

  if (!cli_load_options (dt, reset, kind_name, &load, &error))
    return cli_usage_error ("info", "%s", error->message);
  text = sq_network_describe_file (argv[1], &load, &error);
  if (text == NULL)
    return cli_fail_error (error);
  fputs (text, stdout);
  return CLI_EXIT_OK;
}
