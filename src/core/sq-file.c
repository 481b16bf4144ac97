/* sq-file.c
 *
 * GLib's g_file_set_contents_full() is atomic, but its messages name the temporary file
 * ("Failed to create file “out.json.9O7OZ3”"), and it cannot write several files as one:
 * `quantize -o OUT --report R` must write neither when either fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "synquant.h"
#include "sq-private.h"

static void
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *path,
                 const char *what)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s: %s",
               name, what, g_strerror (saved_errno));
}

/* Opens @path for reading if it is a regular file. O_NONBLOCK because open() itself blocks
 * on a FIFO until a writer appears (no Cancel can help then); on a regular file it changes
 * nothing. A folder, a device or a missing file gets a message that says so. */
static int
open_regular (const char  *path,
              GError     **error)
{
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno, path, _("cannot open the file"));
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      set_errno_error (error, saved_errno, path, _("cannot read the file"));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (path);

      close (fd);
      g_set_error (error, G_FILE_ERROR, S_ISDIR (st.st_mode) ? G_FILE_ERROR_ISDIR
                                                             : G_FILE_ERROR_INVAL,
                   S_ISDIR (st.st_mode) ? _("%s: is a folder, expected a file")
                                        : _("%s: is not a regular file"), name);
      return -1;
    }
  return fd;
}

/**
 * sq_file_map:
 *
 * Maps a regular file read-only. A folder, a FIFO, a device or a missing file gets a message
 * that says so, naming @path as given, at once (a FIFO without a writer does not block).
 *
 * Returns: (transfer full): the mapping, empty for an empty file, or %NULL with @error set
 */
GMappedFile *
sq_file_map (const char  *path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GMappedFile *file;
  int fd;

  fd = open_regular (path, error);
  if (fd < 0)
    return NULL;

  file = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
  close (fd);
  if (file == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("%s: cannot read the file"), name);
      return NULL;
    }
  return file;
}

/* The first @size bytes of the regular file @path, for probing its format; 0 when it cannot
 * be read or is no regular file (the loader then says why). */
gsize
_sq_file_read_head (const char *path,
                    guint8     *head,
                    gsize       size)
{
  int fd = open_regular (path, NULL);
  gsize n = 0;

  if (fd < 0)
    return 0;
  while (n < size)
    {
      gssize r = read (fd, head + n, size - n);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      n += (gsize) r;
    }
  close (fd);
  return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

/* When this process started: a temporary of ours older than that is stale (see
 * remove_stale_temporaries). 0 where the constructor does not run: then none is removed. */
static gint64 process_start;

#ifdef __GNUC__
__attribute__ ((constructor)) static void
record_process_start (void)
{
  process_start = g_get_real_time ();
}
#endif

/* The one rule for parent folders: no command creates one that is missing (an export that is
 * itself a folder, xylo-ram, creates only that folder: _sq_file_make_folder). */
static void
set_missing_folder_error (GError     **error,
                          const char  *path)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_name = g_filename_display_name (dir);

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               _("%s: cannot write: the folder %s does not exist"), name, dir_name);
}

/* Whether @name is a temporary that stage() makes for the file @base: ".BASE.XXXXXX", the
 * last six letters or digits as g_mkstemp() fills them in. */
static gboolean
is_temporary_of (const char *name,
                 const char *base)
{
  gsize n = strlen (base);

  if (name[0] != '.' || strncmp (name + 1, base, n) != 0 || name[n + 1] != '.' ||
      strlen (name + n + 2) != 6)
    return FALSE;
  for (const char *c = name + n + 2; *c; c++)
    if (!g_ascii_isalnum (*c))
      return FALSE;
  return TRUE;
}

/* Removes what a killed write of @base left in @dir (kill -9 between creating the temporary
 * and the rename). Conservatively: only our exact name pattern, only regular files (never a
 * link) that we own, last changed before this process started, and not locked: every writer
 * holds an exclusive lock on its temporary until it is renamed or removed. */
static void
remove_stale_temporaries (const char *dir,
                          const char *base)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (process_start == 0 || (d = g_dir_open (dir, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st, fst;
      int fd;

      if (!is_temporary_of (name, base))
        continue;
      path = g_build_filename (dir, name, NULL);
      /* lstat first: a device is never opened, a link never followed. */
      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid () ||
          (gint64) st.st_mtime * G_USEC_PER_SEC >= process_start - 2 * G_USEC_PER_SEC)
        continue;
      fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
      if (fd < 0)
        continue;
      if (fstat (fd, &fst) == 0 && fst.st_dev == st.st_dev && fst.st_ino == st.st_ino &&
          flock (fd, LOCK_EX | LOCK_NB) == 0)
        g_unlink (path);
      close (fd);
    }
}

/* Where the bytes of @path go: @path itself, or the file its chain of symbolic links ends at
 * (for a link that points to nothing yet, the file it names), so a link stays a link. */
static char *
resolve_links (const char  *path,
               GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (guint hops = 0; hops < 40; hops++)
    {
      g_autofree char *link = NULL;
      struct stat st;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode) ||
          (link = g_file_read_link (current, NULL)) == NULL)
        return g_steal_pointer (&current);
      if (!g_path_is_absolute (link))
        {
          g_autofree char *dir = g_path_get_dirname (current);

          g_free (current);
          current = g_build_filename (dir, link, NULL);
        }
      else
        {
          g_free (current);
          current = g_steal_pointer (&link);
        }
    }
  set_errno_error (error, ELOOP, path, _("cannot write"));
  return NULL;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* A file written but not yet renamed: its temporary stays open, and locked, until then. */
typedef struct {
  char *tmp;
  char *target;
  int   fd;
} Staged;

static void
staged_clear (Staged   *s,
              gboolean  unlink_tmp)
{
  if (unlink_tmp && s->tmp != NULL)
    g_unlink (s->tmp);
  if (s->fd >= 0)
    close (s->fd);
  g_free (s->tmp);
  g_free (s->target);
  s->tmp = s->target = NULL;
  s->fd = -1;
}

/* Writes @f to a new temporary beside its target (the end of its links), with the mode (and
 * where allowed the owner) of the file it replaces. Only a regular file is ever replaced. */
static gboolean
stage (const SqFileContent  *f,
       Staged               *out,
       GError              **error)
{
  g_autofree char *target = resolve_links (f->path, error);
  g_autofree char *dir = NULL, *base = NULL, *tmp = NULL;
  gboolean exists;
  struct stat st;
  int fd;

  if (target == NULL)
    return FALSE;
  exists = g_stat (target, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (f->path);

      if (S_ISDIR (st.st_mode))
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                     _("%s: is a folder, expected a file name"), name);
      else
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     _("%s: is not a regular file (a device, FIFO or socket); Synquant "
                       "writes only regular files"), name);
      return FALSE;
    }

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  remove_stale_temporaries (dir, base);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      if (errno == ENOENT)
        set_missing_folder_error (error, f->path);
      else
        set_errno_error (error, errno, f->path, _("cannot write"));
      return FALSE;
    }
  out->fd = fd;
  out->tmp = g_steal_pointer (&tmp);
  out->target = g_steal_pointer (&target);

  /* The lock tells remove_stale_temporaries in another process that this one is in use. */
  if (flock (fd, LOCK_EX) != 0)
    {
      set_errno_error (error, errno, f->path, _("cannot write"));
      staged_clear (out, TRUE);
      return FALSE;
    }
  if (exists)
    {
      /* Keep the owner where we may (root; or another group of ours), then the mode: a 0600
       * file stays private. fchown clears set-id bits, so it goes first. */
      if ((st.st_uid != geteuid () || st.st_gid != getegid ()) &&
          fchown (fd, st.st_uid, st.st_gid) != 0)
        g_debug ("%s: owner not kept (the file becomes ours, as an editor's save makes it): %s",
                 f->path, g_strerror (errno));
      if (fchmod (fd, st.st_mode & 07777) != 0)
        {
          set_errno_error (error, errno, f->path, _("cannot write"));
          staged_clear (out, TRUE);
          return FALSE;
        }
    }

  /* fsync before the rename, so a crash leaves the old file or the new one, never a mix. */
  errno = 0;
  if (!write_all (fd, f->data, f->length) || fsync (fd) != 0)
    {
      set_errno_error (error, errno ? errno : EIO, f->path, _("cannot write"));
      staged_clear (out, TRUE);
      return FALSE;
    }
  return TRUE;
}

/**
 * sq_file_write_all_atomic:
 *
 * Writes every file to a temporary beside its target, and only when all are written renames
 * them into place. On failure nothing is renamed and no temporary is left, so every target
 * keeps its old content (or stays absent).
 *
 * A symbolic link is written through: the file it ends at is replaced and the link stays. A
 * replaced file keeps its mode. A device, FIFO, socket or folder is never replaced: that is
 * an error naming the path. Missing parent folders are an error too, never created. A
 * temporary ".NAME.XXXXXX" that a killed write left beside a target is removed by the next
 * write of that target.
 */
gboolean
sq_file_write_all_atomic (const SqFileContent  *files,
                          guint                 n_files,
                          GError              **error)
{
  g_autofree Staged *staged = g_new0 (Staged, MAX (n_files, 1));
  gboolean ok = TRUE;
  guint i;

  for (i = 0; i < n_files; i++)
    staged[i].fd = -1;
  for (i = 0; ok && i < n_files; i++)
    ok = stage (&files[i], &staged[i], error);

  for (i = 0; ok && i < n_files; i++)
    if (g_rename (staged[i].tmp, staged[i].target) != 0)
      {
        set_errno_error (error, errno, files[i].path, _("cannot replace the file"));
        ok = FALSE;
        break;
      }
    else
      g_clear_pointer (&staged[i].tmp, g_free);

  /* What is not renamed goes, renamed or not the locks are released with the descriptors. */
  for (i = 0; i < n_files; i++)
    staged_clear (&staged[i], TRUE);
  return ok;
}

/* Writes one file atomically: @path holds its old content or the new, never a part. */
gboolean
sq_file_write_atomic (const char  *path,
                      const char  *data,
                      gsize        length,
                      GError     **error)
{
  SqFileContent f = { path, data, length };

  return sq_file_write_all_atomic (&f, 1, error);
}

/**
 * _sq_file_make_folder:
 * @created: (out): whether the folder was made now
 *
 * Makes the folder @path of an export that is a folder (xylo-ram) when it does not exist: only
 * that folder, never a missing parent (the rule of sq_file_write_all_atomic). An existing
 * folder, or a link to one, is used as it is.
 */
gboolean
_sq_file_make_folder (const char  *path,
                      gboolean    *created,
                      GError     **error)
{
  struct stat st;

  *created = FALSE;
  if (g_stat (path, &st) == 0)
    {
      g_autofree char *name = g_filename_display_name (path);

      if (S_ISDIR (st.st_mode))
        return TRUE;
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                   _("%s: is not a folder; this format writes a folder of files"), name);
      return FALSE;
    }
  if (g_mkdir (path, 0777) != 0)
    {
      if (errno == ENOENT)
        set_missing_folder_error (error, path);
      else
        set_errno_error (error, errno, path, _("cannot create the folder"));
      return FALSE;
    }
  *created = TRUE;
  return TRUE;
}
