/* nir-wire-seeds.c: writes the seed corpus of fuzz-nir-graph — each .nir file named on the
 * command line, read by HDF5 and written the way the reader process sends it. Built with
 * -Dnir, not by default:
 *   ninja -C _build tests/fuzz/nir-wire-seeds
 *   _build/tests/fuzz/nir-wire-seeds tests/fuzz/corpus/fuzz-nir-graph tests/data/nir/\*.nir */
#include "config.h"

#include <stdio.h>
#include <synquant.h>

#include "sq-nir-private.h"

int
main (int   argc,
      char *argv[])
{
  if (argc < 3)
    {
      fprintf (stderr, "usage: %s OUTDIR FILE.nir...\n", argv[0]);
      return 2;
    }
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SqNirGraph) graph = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *base = NULL, *out = NULL, *contents = NULL;
      gsize length = 0;

      /* Unchecked: a graph the checks refuse is a good seed too. */
      if (g_file_get_contents (argv[i], &contents, &length, &error))
        graph = _sq_nir_read (contents, length, argv[i], &error);
      if (graph == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      bytes = _sq_nir_graph_to_wire (graph);
      base = g_path_get_basename (argv[i]);
      out = g_strconcat (argv[1], G_DIR_SEPARATOR_S, base, ".wire", NULL);
      if (!g_file_set_contents (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }
  return 0;
}
