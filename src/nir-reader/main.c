/* synquant-nir-reader: parses one NIR file with HDF5 for libsynquant (sq-nir-sandbox.c)
 *
 * Usage (by the library only): synquant-nir-reader DISPLAY-NAME FIXED-BUDGET PER-BYTE-BUDGET,
 * the file's bytes on standard input, the reply (sq-nir-wire.c) on standard output. HDF5 may
 * crash or loop on a damaged file: that ends this process, never the one that asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <synquant.h>

#include "sq-nir-private.h"

/* The library's own file-size limit is checked before it starts this; a bigger input is
 * not one it sent. */
#define READER_MAX_INPUT ((gsize) 1 << 36)

int
main (int   argc,
      char *argv[])
{
  struct stat st;
  g_autofree char *data = NULL;
  gsize length, done = 0;

  if (argc != 4)
    return 2;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("SYNQUANT_LOCALEDIR") ? g_getenv ("SYNQUANT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /* Standard input is the memory file the library wrote: its size is the file's. */
  if (fstat (STDIN_FILENO, &st) != 0 || st.st_size < 0 || (guint64) st.st_size > READER_MAX_INPUT)
    return 2;
  length = (gsize) st.st_size;
  data = g_malloc (MAX (length, 1));
  while (done < length)
    {
      ssize_t r = read (STDIN_FILENO, data + done, length - done);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return 2;
      done += (gsize) r;
    }
  _sq_nir_set_child_budget (g_ascii_strtoull (argv[2], NULL, 10),
                            g_ascii_strtoull (argv[3], NULL, 10));
  /* _exit: the reply is written (no stdio buffers), and nothing is worth tearing down;
   * a leak checker at exit would only see what HDF5 and the graph still hold. */
  _exit (_sq_nir_child_main (data, length, argv[1], STDOUT_FILENO));
}
