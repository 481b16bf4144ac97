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

/* Writes @f to a new temporary file beside its target; returns the temporary's path. */
static char *
stage (const SqFileContent  *f,
       GError              **error)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *base = g_path_get_basename (f->path);
  g_autofree char *tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  struct stat st;
  int fd;

  if (g_stat (f->path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (f->path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("%s: is a folder, expected a file name"), name);
      return NULL;
    }

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_errno_error (error, errno, f->path, _("cannot write"));
      return NULL;
    }

  /* fsync before the rename, so a crash leaves the old file or the new one, never a mix. */
  if (!write_all (fd, f->data, f->length) || fsync (fd) != 0)
    {
      int saved_errno = errno ? errno : EIO;

      close (fd);
      g_unlink (tmp);
      set_errno_error (error, saved_errno, f->path, _("cannot write"));
      return NULL;
    }
  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      set_errno_error (error, saved_errno, f->path, _("cannot write"));
      return NULL;
    }

  return g_steal_pointer (&tmp);
}

/**
 * sq_file_write_all_atomic:
 *
 * Writes every file to a temporary beside its target, and only when all are written renames
 * them into place. On failure nothing is renamed and no temporary is left, so every target
 * keeps its old content (or stays absent).
 */
gboolean
sq_file_write_all_atomic (const SqFileContent  *files,
                          guint                 n_files,
                          GError              **error)
{
  g_autoptr(GPtrArray) tmps = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_files; i++)
    {
      char *tmp = stage (&files[i], error);

      if (tmp == NULL)
        {
          for (guint k = 0; k < tmps->len; k++)
            g_unlink (g_ptr_array_index (tmps, k));
          return FALSE;
        }
      g_ptr_array_add (tmps, tmp);
    }

  for (guint i = 0; i < n_files; i++)
    if (g_rename (g_ptr_array_index (tmps, i), files[i].path) != 0)
      {
        int saved_errno = errno;

        for (guint k = i; k < n_files; k++)
          g_unlink (g_ptr_array_index (tmps, k));
        set_errno_error (error, saved_errno, files[i].path, _("cannot replace the file"));
        return FALSE;
      }

  return TRUE;
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
