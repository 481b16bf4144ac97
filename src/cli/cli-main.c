/* synquant-cli: Synquant's work in batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cli-private.h"

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

  return cli_main (argc, argv);
}
