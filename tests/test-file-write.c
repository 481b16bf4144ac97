/* test-file-write.c: sq_file_write_atomic and sq_file_write_all_atomic on what a user may name
 * as an output — links, private files, devices, FIFOs, sockets, folders, missing folders —
 * and the temporaries a killed write leaves behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>
#include <utime.h>

#include "sq-test-utils.h"

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
assert_text (const char *path,
             const char *expected)
{
  g_autofree char *text = read_text (path);

  g_assert_cmpstr (text, ==, expected);
}

static mode_t
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode;
}

/* A write through a link replaces the file at its end, with that file's mode; the link stays,
 * and so does a link to a file that does not exist yet (it is created). */
static void
test_links (SqTestDir     *f,
            gconstpointer  data)
{
  g_autofree char *real = sq_test_dir_path (f, "real.json");
  g_autofree char *link = sq_test_dir_path (f, "link.json");
  g_autofree char *chain = sq_test_dir_path (f, "chain.json");
  g_autofree char *sub = sq_test_dir_path (f, "sub");
  g_autofree char *dangling = sq_test_dir_path (f, "dangling.json");
  g_autofree char *made = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (g_chmod (real, 0600), ==, 0);
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_cmpint (symlink (link, chain), ==, 0);

  g_assert_true (sq_file_write_atomic (link, "new", 3, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (mode_of (link)));
  assert_text (real, "new");
  g_assert_cmpint (mode_of (real) & 07777, ==, 0600);

  /* A chain of links, the last one relative. */
  g_assert_true (sq_file_write_atomic (chain, "newer", 5, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (mode_of (chain)));
  g_assert_true (S_ISLNK (mode_of (link)));
  assert_text (real, "newer");
  g_assert_cmpint (mode_of (real) & 07777, ==, 0600);

  /* A link into another folder: the temporary goes beside the target, nothing beside the
   * link; a link to a file not there yet creates it. */
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_cmpint (symlink ("sub/made.json", dangling), ==, 0);
  g_assert_true (sq_file_write_atomic (dangling, "made", 4, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (mode_of (dangling)));
  made = g_build_filename (sub, "made.json", NULL);
  assert_text (made, "made");
  sq_test_assert_dir_holds (sub, "made.json");
  sq_test_assert_dir_holds (f->dir, "chain.json dangling.json link.json real.json sub");
}

/* A replaced file keeps its mode; a new one gets 0666 less the umask. */
static void
test_mode (SqTestDir     *f,
           gconstpointer  data)
{
  static const mode_t modes[] = { 0600, 0640, 0444, 0755 };
  g_autofree char *path = sq_test_dir_path (f, "out.json");
  g_autofree char *fresh = sq_test_dir_path (f, "fresh.json");
  g_autoptr(GError) error = NULL;
  mode_t mask = umask (022);

  umask (mask);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_unlink (path);
      g_assert_true (g_file_set_contents (path, "old", -1, NULL));
      g_assert_cmpint (g_chmod (path, modes[i]), ==, 0);
      g_assert_true (sq_file_write_atomic (path, "new", 3, &error));
      g_assert_no_error (error);
      g_assert_cmpint (mode_of (path) & 07777, ==, modes[i]);
      assert_text (path, "new");
    }
  g_assert_true (sq_file_write_atomic (fresh, "x", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (fresh) & 07777, ==, 0666 & ~mask);
  sq_test_assert_dir_holds (f->dir, "fresh.json out.json");
}

/* @path (as given) is refused with a message naming it; nothing is written. */
static void
assert_refused (SqTestDir  *f,
                const char *path,
                const char *what,
                const char *listing)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sq_file_write_atomic (path, "new", 3, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
  g_test_message ("%s: %s", what, error->message);
  if (strstr (error->message, path) == NULL)
    g_error ("the message for a %s does not name %s: %s", what, path, error->message);
  sq_test_assert_dir_holds (f->dir, listing);
}

/* A FIFO, a socket, a device node and a folder are never replaced by a regular file, also
 * not through a link; one of them among several files stops them all. */
static void
test_not_regular (SqTestDir     *f,
                  gconstpointer  data)
{
  g_autofree char *fifo = sq_test_dir_path (f, "fifo");
  g_autofree char *link = sq_test_dir_path (f, "link");
  g_autofree char *sock = sq_test_dir_path (f, "sock");
  g_autofree char *dev = sq_test_dir_path (f, "null");
  g_autofree char *folder = sq_test_dir_path (f, "folder");
  g_autofree char *other = sq_test_dir_path (f, "other.json");
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  g_autoptr(GError) error = NULL;
  gboolean have_dev;
  const char *listing;
  int sock_fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("fifo", link), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpuint (strlen (sock), <, sizeof address.sun_path);
  strcpy (address.sun_path, sock);
  sock_fd = socket (AF_UNIX, SOCK_STREAM, 0);
  g_assert_cmpint (sock_fd, >=, 0);
  g_assert_cmpint (bind (sock_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  /* A device node of our own (1, 3 is /dev/null), never a real one: where creating it is not
   * allowed, that case is left out. */
  have_dev = mknod (dev, S_IFCHR | 0666, makedev (1, 3)) == 0;
  g_assert_true (g_file_set_contents (other, "old", -1, NULL));
  listing = have_dev ? "fifo folder link null other.json sock" : "fifo folder link other.json sock";

  assert_refused (f, fifo, "FIFO", listing);
  assert_refused (f, link, "link to a FIFO", listing);
  assert_refused (f, sock, "socket", listing);
  assert_refused (f, folder, "folder", listing);
  if (have_dev)
    {
      assert_refused (f, dev, "device", listing);
      g_assert_true (S_ISCHR (mode_of (dev)));
    }
  else
    g_test_message ("no device node: mknod is not allowed here");
  g_assert_true (S_ISFIFO (mode_of (fifo)));
  g_assert_true (S_ISLNK (mode_of (link)));
  g_assert_true (S_ISSOCK (mode_of (sock)));
  g_assert_true (S_ISDIR (mode_of (folder)));

  {
    const SqFileContent files[] = { { other, "new", 3 }, { fifo, "new", 3 } };

    g_assert_false (sq_file_write_all_atomic (files, G_N_ELEMENTS (files), &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
    g_assert_nonnull (strstr (error->message, fifo));
  }
  assert_text (other, "old");
  sq_test_assert_dir_holds (f->dir, listing);
  close (sock_fd);
}

/* No write creates a missing folder; the message says which one is missing. */
static void
test_missing_folder (SqTestDir     *f,
                     gconstpointer  data)
{
  g_autofree char *path = sq_test_dir_path (f, "missing/deeper/out.json");
  g_autoptr(GError) error = NULL;

  g_assert_false (sq_file_write_atomic (path, "new", 3, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  sq_test_assert_dir_holds (f->dir, "");
}

static void
make_old (const char *path,
          gboolean    old)
{
  g_assert_true (g_file_set_contents (path, "partial", -1, NULL));
  if (old)
    {
      /* An hour before this process started. */
      struct utimbuf t = { time (NULL) - 3600, time (NULL) - 3600 };

      g_assert_cmpint (g_utime (path, &t), ==, 0);
    }
}

/* What a killed write left (".out.json.XXXXXX") goes with the next write of out.json; what
 * only looks similar, is recent, is in use (locked), or is not a regular file stays. */
static void
test_stale_temporaries (SqTestDir     *f,
                        gconstpointer  data)
{
  static const struct {
    const char *name;
    gboolean    old;
  } kept[] = {
    { ".out.json.Fresh1", FALSE },     /* may be another process's write in progress */
    { ".out.json.ABCDE", TRUE },       /* 5 characters */
    { ".out.json.ABCDEFG", TRUE },     /* 7 */
    { ".out.json.AB-DEF", TRUE },      /* not mkstemp's alphabet */
    { ".out.json.ABCDEF.bak", TRUE },
    { "out.json.ABCDEF", TRUE },       /* not hidden */
    { ".other.json.ABCDEF", TRUE },    /* another file's */
  };
  g_autofree char *out = sq_test_dir_path (f, "out.json");
  g_autofree char *stale = sq_test_dir_path (f, ".out.json.x9Y8z7");
  g_autofree char *locked = sq_test_dir_path (f, ".out.json.Locked");
  g_autofree char *as_link = sq_test_dir_path (f, ".out.json.Link00");
  g_autofree char *as_dir = sq_test_dir_path (f, ".out.json.Dir000");
  g_autoptr(GString) listing = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *path = sq_test_dir_path (f, kept[i].name);

      make_old (path, kept[i].old);
    }
  make_old (stale, TRUE);
  make_old (locked, TRUE);
  fd = g_open (locked, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  g_assert_cmpint (symlink ("out.json.ABCDEF", as_link), ==, 0);
  g_assert_cmpint (g_mkdir (as_dir, 0700), ==, 0);

  g_assert_true (sq_file_write_atomic (out, "new", 3, &error));
  g_assert_no_error (error);
  assert_text (out, "new");
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));

  g_string_append (listing, ".other.json.ABCDEF .out.json.AB-DEF .out.json.ABCDE "
                   ".out.json.ABCDEF.bak .out.json.ABCDEFG .out.json.Dir000 .out.json.Fresh1 "
                   ".out.json.Link00 .out.json.Locked out.json out.json.ABCDEF");
  sq_test_assert_dir_holds (f->dir, listing->str);

  /* Once nobody holds it, the locked one is stale too. */
  close (fd);
  g_assert_true (sq_file_write_atomic (out, "newer", 5, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (locked, G_FILE_TEST_EXISTS));
  assert_text (out, "newer");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/file-write/links", SqTestDir, NULL, sq_test_dir_setup, test_links,
              sq_test_dir_teardown);
  g_test_add ("/file-write/mode", SqTestDir, NULL, sq_test_dir_setup, test_mode,
              sq_test_dir_teardown);
  g_test_add ("/file-write/not-regular", SqTestDir, NULL, sq_test_dir_setup, test_not_regular,
              sq_test_dir_teardown);
  g_test_add ("/file-write/missing-folder", SqTestDir, NULL, sq_test_dir_setup,
              test_missing_folder, sq_test_dir_teardown);
  g_test_add ("/file-write/stale-temporaries", SqTestDir, NULL, sq_test_dir_setup,
              test_stale_temporaries, sq_test_dir_teardown);
  return g_test_run ();
}
