/* replay.c: runs a fuzz harness once over every file of the folders (or files) named on the
 * command line — the seed corpora in ./dev test, built by the usual compiler and, in the
 * sanitizer build, under ASan + UBSan — so no clang or libFuzzer is needed for it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fuzz-common.h"

static gboolean
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree uint8_t *copy = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  /* An exact-size copy, so reading one byte past the end is an ASan report (never NULL:
   * libFuzzer passes an empty input as a valid pointer too). */
  copy = g_malloc (MAX (length, 1));
  memcpy (copy, contents, length);
  LLVMFuzzerTestOneInput (copy, length);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;
  int i;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FOLDER-OR-FILE...\n", argv[0]);
      return 2;
    }
  for (i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          if (!replay_file (argv[i]))
            return 1;
          n++;
          continue;
        }
      dir = g_dir_open (argv[i], 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);

          if (!replay_file (path))
            return 1;
          n++;
        }
    }
  if (n == 0)
    {
      fprintf (stderr, "no inputs\n");
      return 1;
    }
  printf ("%u inputs replayed\n", n);
  return 0;
}
