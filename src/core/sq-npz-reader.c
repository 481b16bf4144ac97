/* sq-npz-reader.c: NumPy .npz archives, read (the writer is sq-npz-writer.c)
 *
 * An .npz file is a ZIP archive (PKWARE APPNOTE 6.3) whose members are .npy files named
 * "key.npy". np.savez stores them uncompressed, np.savez_compressed deflates them. Reading
 * goes through the central directory at the end of the file (the local headers np.savez
 * writes carry ZIP64 sizes of 0xFFFFFFFF, so only the directory's sizes are trusted); every
 * offset and size is checked against the buffer before it is used, deflated members are
 * inflated with GIO's raw-deflate GZlibDecompressor into a buffer of the size the
 * directory gives and no more, and every member's CRC-32 is verified.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <inttypes.h>

#include "synquant.h"
#include "sq-npy-private.h"
#include "sq-npz-private.h"

typedef struct {
  char   *name;          /* as stored, made valid UTF-8 */
  guint16 method;        /* 0 stored, 8 deflated */
  guint32 crc;
  gsize   csize;
  gsize   usize;
  gsize   data_offset;
} Member;

struct _SqNpzReader {
  GMappedFile  *file;
  const guint8 *data;
  gsize         length;
  char         *display_name;
  GArray       *members;
};

static void
member_clear (gpointer p)
{
  g_free (((Member *) p)->name);
}

static gboolean G_GNUC_PRINTF (4, 5)
archive_error (const SqNpzReader *r,
               GError           **error,
               int                code,
               const char        *format,
               ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SQ_NPY_ERROR, code, "%s: %s", r->display_name, msg);
  return FALSE;
}

/* ZIP64 sizes and offset from the 0x0001 extra field, for the fields the fixed part marks
 * with 0xFFFFFFFF, in the order the format fixes. */
static gboolean
read_zip64_extra (const SqNpzReader *r,
                  const char        *name,
                  const guint8      *extra,
                  gsize              extra_len,
                  guint64           *usize,
                  guint64           *csize,
                  guint64           *offset,
                  GError           **error)
{
  guint64 *fields[3] = { usize, csize, offset };

  while (extra_len >= 4)
    {
      guint16 id = _sq_le16 (extra), size = _sq_le16 (extra + 2);

      if (size > extra_len - 4)
        break;
      if (id == 0x0001)
        {
          const guint8 *p = extra + 4;
          gsize left = size;

          for (guint i = 0; i < 3; i++)
            if (*fields[i] == SQ_ZIP32_MAX)
              {
                if (left < 8)
                  return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                                        _("%s: the ZIP64 extra field is too short"), name);
                *fields[i] = _sq_le64 (p);
                p += 8;
                left -= 8;
              }
          return TRUE;
        }
      extra += 4 + size;
      extra_len -= 4 + size;
    }
  for (guint i = 0; i < 3; i++)
    if (*fields[i] == SQ_ZIP32_MAX)
      return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                            _("%s: a size is 0xFFFFFFFF but there is no ZIP64 extra field"),
                            name);
  return TRUE;
}

static const char *
method_name (guint method)
{
  switch (method)
    {
    case 1: return "shrink";
    case 6: return "implode";
    case 9: return "deflate64";
    case 12: return "bzip2";
    case 14: return "LZMA";
    case 93: return "Zstandard";
    case 95: return "xz";
    default: return "?";
    }
}

/* One central directory entry at @p (within the directory, @left bytes to its end). */
static gboolean
read_entry (SqNpzReader  *r,
            const guint8 *p,
            gsize         left,
            gsize         cd_offset,
            guint         index,
            gsize        *entry_size,
            GHashTable   *seen,
            GError      **error)
{
  guint16 flags, method, name_len, extra_len, comment_len, disk;
  guint64 usize, csize, offset, end;
  const guint8 *local;
  Member m = { 0 };

  if (left < SQ_ZIP_CENTRAL_SIZE || _sq_le32 (p) != SQ_ZIP_SIG_CENTRAL)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("central directory entry %u is damaged"), index);
  flags = _sq_le16 (p + 8);
  method = _sq_le16 (p + 10);
  name_len = _sq_le16 (p + 28);
  extra_len = _sq_le16 (p + 30);
  comment_len = _sq_le16 (p + 32);
  disk = _sq_le16 (p + 34);
  if ((gsize) SQ_ZIP_CENTRAL_SIZE + name_len + extra_len + comment_len > left)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("central directory entry %u runs past the directory"), index);
  *entry_size = (gsize) SQ_ZIP_CENTRAL_SIZE + name_len + extra_len + comment_len;

  if (memchr (p + SQ_ZIP_CENTRAL_SIZE, '\0', name_len) != NULL)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("the name of member %u holds a NUL byte"), index);
  m.name = g_utf8_make_valid ((const char *) p + SQ_ZIP_CENTRAL_SIZE, name_len);
  m.method = method;
  m.crc = _sq_le32 (p + 16);
  csize = _sq_le32 (p + 20);
  usize = _sq_le32 (p + 24);
  offset = _sq_le32 (p + 42);
  /* From here on the member owns its name: hand it to the array or free it. */
  if (!read_zip64_extra (r, m.name, p + SQ_ZIP_CENTRAL_SIZE + name_len, extra_len, &usize, &csize,
                         &offset, error))
    goto fail;

  if (g_hash_table_contains (seen, m.name))
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE, _("member %s appears twice"), m.name);
      goto fail;
    }
  if (disk != 0)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the member is on another disk of a split archive"), m.name);
      goto fail;
    }
  if (flags & 0x0041)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the member is encrypted; save the arrays with np.savez"), m.name);
      goto fail;
    }
  if (method != 0 && method != 8)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: compression method %u (%s) is not supported; save the arrays with "
                       "np.savez (stored) or np.savez_compressed (deflate)"), m.name, method,
                     method_name (method));
      goto fail;
    }
  if (method == 0 && csize != usize)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: a stored member of %" PRIu64 " bytes says it holds %"
                       PRIu64), m.name, csize, usize);
      goto fail;
    }

  /* The local header: its name must be the directory's, and the data must lie between it
   * and the central directory. Its sizes are not used (np.savez leaves them 0xFFFFFFFF). */
  if (offset > cd_offset || cd_offset - offset < SQ_ZIP_LOCAL_SIZE)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the local header offset %" PRIu64 " is outside the "
                       "archive's data"), m.name, offset);
      goto fail;
    }
  local = r->data + offset;
  if (_sq_le32 (local) != SQ_ZIP_SIG_LOCAL)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: no local header at offset %" PRIu64), m.name, offset);
      goto fail;
    }
  end = offset + SQ_ZIP_LOCAL_SIZE + _sq_le16 (local + 26) + _sq_le16 (local + 28);
  if (end > cd_offset || csize > cd_offset - end)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the member's data runs past the start of the central directory"),
                     m.name);
      goto fail;
    }
  if (_sq_le16 (local + 26) != name_len ||
      memcmp (local + SQ_ZIP_LOCAL_SIZE, p + SQ_ZIP_CENTRAL_SIZE, name_len) ||
      _sq_le16 (local + 8) != method)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the local header does not match the central directory"), m.name);
      goto fail;
    }
  /* What a 32-bit gsize cannot address is not in the buffer either; usize is checked when a
   * deflated member is inflated. */
  if (usize > G_MAXSIZE)
    {
      g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                   _("%s: %s: %" PRIu64 " bytes is too large"), r->display_name,
                   m.name, usize);
      goto fail;
    }
  m.csize = (gsize) csize;
  m.usize = (gsize) usize;
  m.data_offset = (gsize) end;
  g_hash_table_add (seen, m.name);
  g_array_append_val (r->members, m);
  return TRUE;

fail:
  g_free (m.name);
  return FALSE;
}

static gboolean
read_directory (SqNpzReader *r,
                GError     **error)
{
  static const guint8 sig_local[4] = { 'P', 'K', 3, 4 }, sig_end[4] = { 'P', 'K', 5, 6 };
  const guint8 *d = r->data, *end = NULL;
  gsize len = r->length, pos, cd_offset, cd_size, n;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (len < 4 || (memcmp (d, sig_local, 4) != 0 && memcmp (d, sig_end, 4) != 0))
    {
      if (len > 0 && len < 4 && memcmp (d, sig_local, len) == 0)
        return archive_error (r, error, SQ_NPY_ERROR_TRUNCATED,
                              _("the file ends inside the ZIP signature"));
      return archive_error (r, error, SQ_NPY_ERROR_FORMAT,
                            _("not a NumPy .npz archive (it does not start like a ZIP file)"));
    }

  /* The end record is the last 22 bytes plus a comment of up to 64 KiB; the one whose
   * comment reaches exactly the end of the file is the real one. */
  if (len >= SQ_ZIP_END_SIZE)
    for (pos = len - SQ_ZIP_END_SIZE;; pos--)
      {
        if (memcmp (d + pos, sig_end, 4) == 0 &&
            pos + SQ_ZIP_END_SIZE + _sq_le16 (d + pos + 20) == len)
          {
            end = d + pos;
            break;
          }
        if (pos == 0 || len - pos > SQ_ZIP_END_SIZE + 0xFFFF)
          break;
      }
  if (end == NULL)
    return archive_error (r, error, SQ_NPY_ERROR_TRUNCATED,
                          _("the ZIP archive has no end record: the file is truncated"));

  pos = (gsize) (end - d);
  n = _sq_le16 (end + 10);
  cd_size = _sq_le32 (end + 12);
  cd_offset = _sq_le32 (end + 16);
  if (n == 0xFFFF || cd_size == SQ_ZIP32_MAX || cd_offset == SQ_ZIP32_MAX)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("a ZIP64 archive (over 4 GiB or 65 535 members), which Synquant "
                            "does not read"));
  if (_sq_le16 (end + 4) != 0 || _sq_le16 (end + 6) != 0 || _sq_le16 (end + 8) != n)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("the archive is split over several disks"));
  if (cd_offset > pos || cd_size != pos - cd_offset)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("the central directory (%zu bytes at offset %zu) does not end where "
                            "the end record starts (%zu)"), cd_size, cd_offset, pos);

  for (gsize i = 0, at = cd_offset; i < n; i++)
    {
      gsize entry_size = 0;

      if (!read_entry (r, d + at, pos - at, cd_offset, (guint) i, &entry_size, seen, error))
        return FALSE;
      at += entry_size;
      if (i + 1 == n && at != pos)
        return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                              _("%zu unexpected bytes after the central "
                                "directory's entries"), pos - at);
    }
  if (n == 0 && cd_size != 0)
    return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                          _("the central directory has bytes but no entries"));
  return TRUE;
}

/**
 * sq_npz_reader_new:
 * @data: (array length=length): the whole archive; it must stay valid and unchanged while
 *   the reader and the bytes it extracts are alive
 * @display_name: how messages name the archive
 *
 * Parses the central directory and checks every member's place in @data.
 *
 * Returns: (transfer full): the reader, or %NULL with @error set
 */
SqNpzReader *
sq_npz_reader_new (const guint8 *data,
                   gsize         length,
                   const char   *display_name,
                   GError      **error)
{
  g_autoptr(SqNpzReader) r = g_new0 (SqNpzReader, 1);

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  r->data = data;
  r->length = length;
  r->display_name = g_strdup (display_name);
  r->members = g_array_new (FALSE, FALSE, sizeof (Member));
  g_array_set_clear_func (r->members, member_clear);
  if (!read_directory (r, error))
    return NULL;
  return g_steal_pointer (&r);
}

/**
 * sq_npz_reader_open:
 *
 * sq_npz_reader_new() on a mapped file; messages name @path. A file that cannot be read is
 * reported in %G_FILE_ERROR.
 */
SqNpzReader *
sq_npz_reader_open (const char  *path,
                    GError     **error)
{
  g_autoptr(GMappedFile) file = sq_file_map (path, error);
  g_autofree char *name = NULL;
  SqNpzReader *r;

  if (file == NULL)
    return NULL;
  name = g_filename_display_name (path);
  r = sq_npz_reader_new ((const guint8 *) g_mapped_file_get_contents (file),
                         g_mapped_file_get_length (file), name, error);
  if (r != NULL)
    r->file = g_steal_pointer (&file);
  return r;
}

void
sq_npz_reader_free (SqNpzReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_pointer (&reader->members, g_array_unref);
  g_clear_pointer (&reader->file, g_mapped_file_unref);
  g_free (reader->display_name);
  g_free (reader);
}

const char *
sq_npz_reader_get_display_name (const SqNpzReader *reader)
{
  return reader->display_name;
}

guint
sq_npz_reader_get_n_members (const SqNpzReader *reader)
{
  return reader->members->len;
}

/* The member's name as stored: "weights_in.npy". */
const char *
sq_npz_reader_get_name (const SqNpzReader *reader,
                        guint              index)
{
  g_return_val_if_fail (index < reader->members->len, NULL);
  return g_array_index (reader->members, Member, index).name;
}

/* The member's uncompressed size in bytes, as the directory gives it. */
gsize
sq_npz_reader_get_size (const SqNpzReader *reader,
                        guint              index)
{
  g_return_val_if_fail (index < reader->members->len, 0);
  return g_array_index (reader->members, Member, index).usize;
}

/**
 * sq_npz_reader_find:
 * @key: what np.load calls the member: "weights_in" for "weights_in.npy"
 *
 * Returns: whether the archive has the member, and then its @index
 */
gboolean
sq_npz_reader_find (const SqNpzReader *reader,
                    const char        *key,
                    guint             *index)
{
  gsize key_len = strlen (key);

  for (guint i = 0; i < reader->members->len; i++)
    {
      const char *name = g_array_index (reader->members, Member, i).name;

      if (strncmp (name, key, key_len) == 0 && g_str_equal (name + key_len, ".npy"))
        {
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Inflates @m from its start into @out until @out_size bytes are written or the deflated
 * data ends; @out_done and @in_done say how far it got. Stopping when @out is full is what
 * keeps a deflate bomb from costing more than the buffer the caller chose. */
static gboolean
inflate_into (const SqNpzReader *r,
              const Member      *m,
              guint8            *out,
              gsize              out_size,
              GCancellable      *cancellable,
              gsize             *out_done,
              gsize             *in_done,
              GError           **error)
{
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  const guint8 *src = r->data + m->data_offset;

  *out_done = *in_done = 0;
  while (*out_done < out_size)
    {
      gsize chunk = MIN (m->csize - *in_done, (gsize) 1 << 20), n_read = 0, n_written = 0;
      GConverterFlags flags = *in_done + chunk == m->csize ? G_CONVERTER_INPUT_AT_END
                                                          : G_CONVERTER_NO_FLAGS;
      g_autoptr(GError) local_error = NULL;
      GConverterResult res;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      res = g_converter_convert (G_CONVERTER (z), src + *in_done, chunk, out + *out_done,
                                 out_size - *out_done, flags, &n_read, &n_written,
                                 &local_error);
      if (res == G_CONVERTER_ERROR)
        return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                              g_error_matches (local_error, G_IO_ERROR,
                                               G_IO_ERROR_PARTIAL_INPUT)
                                ? _("%s: the deflated data ends early")
                                : _("%s: the deflated data is damaged"), m->name);
      *in_done += n_read;
      *out_done += n_written;
      if (res == G_CONVERTER_FINISHED)
        break;
      if (n_read == 0 && n_written == 0)
        return archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                              _("%s: the deflated data ends early"), m->name);
    }
  return TRUE;
}

/* Nothing larger can hold an array Synquant accepts; the directory's size is the most
 * that is ever allocated, so a forged size cannot make a small file take memory. */
static gboolean
check_usize (const SqNpzReader *r,
             const Member      *m,
             GError           **error)
{
  if (m->usize <= SQ_TENSOR_MAX_ELEMENTS * sizeof (double) + (1 << 20))
    return TRUE;
  g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
               _("%s: %s: the member inflates to %zu bytes, more than an "
                 "array of %zu values"), r->display_name, m->name, m->usize,
               SQ_TENSOR_MAX_ELEMENTS);
  return FALSE;
}

static guint8 *
inflate_member (const SqNpzReader *r,
                const Member      *m,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autofree guint8 *out = NULL;
  gsize in_done = 0, out_done = 0;

  if (!check_usize (r, m, error))
    return NULL;
  out = g_try_malloc (m->usize + 1);
  if (out == NULL)
    {
      g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                   _("%s: %s: not enough memory for %zu bytes"),
                   r->display_name, m->name, m->usize);
      return NULL;
    }
  /* One byte more than the directory gives: a member that fills it inflates to more. */
  if (!inflate_into (r, m, out, m->usize + 1, cancellable, &out_done, &in_done, error))
    return NULL;
  if (out_done > m->usize)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the member inflates to more than the %zu"
                       " bytes the directory gives"), m->name, m->usize);
      return NULL;
    }
  if (out_done != m->usize || in_done != m->csize)
    {
      archive_error (r, error, SQ_NPY_ERROR_ARCHIVE,
                     _("%s: the member inflates to %zu bytes from %zu; the directory gives %zu "
                       "from %zu"), m->name, out_done, in_done, m->usize, m->csize);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
check_crc (const SqNpzReader *r,
           const Member      *m,
           const guint8      *bytes,
           GError           **error)
{
  guint32 crc = sq_crc32 (0, bytes, m->usize);

  if (crc == m->crc)
    return TRUE;
  return archive_error (r, error, SQ_NPY_ERROR_CHECKSUM,
                        _("%s: the data is damaged (CRC-32 %08x, the directory says %08x)"),
                        m->name, crc, m->crc);
}

/* The most of a member inflated to read its .npy header: numpy's format 1.0 header is at
 * most 65535 bytes after a 10-byte prefix (numpy itself writes about 128). */
#define NPY_HEADER_PEEK ((gsize) 65536 + 12)

/**
 * _sq_npz_reader_check_npy:
 * @view: (out caller-allocates): the member's dtype and shape; its data is %NULL
 *
 * Reads a .npy member's header from its first bytes only (a deflated member is inflated no
 * further than the header) and checks that the array it declares is within Synquant's
 * limits and takes exactly the size the directory gives: so a member is never inflated
 * before its cost is known, and a deflate bomb costs at most the header's size.
 */
gboolean
_sq_npz_reader_check_npy (const SqNpzReader *reader,
                          guint              index,
                          gboolean           allow_empty,
                          SqNpyView         *view,
                          GError           **error)
{
  const Member *m;
  g_autofree guint8 *peek = NULL;
  g_autofree char *name = NULL;
  const guint8 *head;
  gsize length, offset, size;

  g_return_val_if_fail (index < reader->members->len, FALSE);
  m = &g_array_index (reader->members, Member, index);
  name = g_strdup_printf ("%s: %s", reader->display_name, m->name);
  if (m->method == 8)
    {
      gsize in_done;

      if (!check_usize (reader, m, error))
        return FALSE;
      peek = g_malloc (MIN (m->usize, NPY_HEADER_PEEK) + 1);
      if (!inflate_into (reader, m, peek, MIN (m->usize, NPY_HEADER_PEEK), NULL, &length,
                         &in_done, error))
        return FALSE;
      head = peek;
    }
  else
    {
      /* Stored: the bytes are at hand, so damage is named as such before the header is. A
       * deflated member's CRC-32 is known only once it is inflated, which waits for this. */
      head = reader->data + m->data_offset;
      length = m->usize;
      if (!check_crc (reader, m, head, error))
        return FALSE;
    }
  if (!_sq_npy_parse_header (head, length, name, allow_empty, view, &offset, &size, error))
    return FALSE;
  view->data = NULL;
  if (m->method != 8)
    return _sq_npy_check_length (m->usize, offset, size, name, error);
  /* Which of the .npy and the directory is wrong would show only once it is all inflated,
   * which is what this check avoids. */
  if (offset + size > m->usize)
    return archive_error (reader, error, SQ_NPY_ERROR_ARCHIVE,
                          _("%s: the member inflates to more than the %zu bytes the directory "
                            "gives (its .npy header declares %zu)"),
                          m->name, m->usize, offset + size);
  if (offset + size < m->usize)
    return archive_error (reader, error, SQ_NPY_ERROR_ARCHIVE,
                          _("%s: its .npy header declares %zu bytes, the directory gives %zu"),
                          m->name, offset + size, m->usize);
  return TRUE;
}

/**
 * sq_npz_reader_extract:
 * @cancellable: (nullable): checked while a deflated member is inflated
 *
 * The member's bytes, inflated when needed, after checking their CRC-32. A stored member is
 * not copied: the bytes point into the archive.
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set
 */
GBytes *
sq_npz_reader_extract (const SqNpzReader *reader,
                       guint              index,
                       GCancellable      *cancellable,
                       GError           **error)
{
  const Member *m;
  const guint8 *bytes;
  guint8 *inflated = NULL;

  g_return_val_if_fail (index < reader->members->len, NULL);
  m = &g_array_index (reader->members, Member, index);

  if (m->method == 8)
    {
      inflated = inflate_member (reader, m, cancellable, error);
      if (inflated == NULL)
        return NULL;
      bytes = inflated;
    }
  else
    bytes = reader->data + m->data_offset;

  if (!check_crc (reader, m, bytes, error))
    {
      g_free (inflated);
      return NULL;
    }
  if (inflated != NULL)
    return g_bytes_new_take (inflated, m->usize);
  if (reader->file != NULL)
    return g_bytes_new_with_free_func (bytes, m->usize, (GDestroyNotify) g_mapped_file_unref,
                                       g_mapped_file_ref (reader->file));
  return g_bytes_new_static (bytes, m->usize);
}

/**
 * sq_npz_reader_read_tensor:
 * @tensor: (out caller-allocates)
 * @dtype: (out) (optional)
 *
 * Extracts a member and reads it with sq_npy_read(); messages name the archive and the
 * member: "spec.npz: weights_rec.npy: …".
 */
gboolean
sq_npz_reader_read_tensor (const SqNpzReader *reader,
                           guint              index,
                           SqTensor          *tensor,
                           SqNpyDtype        *dtype,
                           GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  SqNpyView view;
  gsize len;
  const guint8 *data;

  memset (tensor, 0, sizeof *tensor);
  if (!_sq_npz_reader_check_npy (reader, index, FALSE, &view, error))
    return FALSE;
  bytes = sq_npz_reader_extract (reader, index, NULL, error);
  if (bytes == NULL)
    return FALSE;
  name = g_strdup_printf ("%s: %s", reader->display_name,
                          sq_npz_reader_get_name (reader, index));
  data = g_bytes_get_data (bytes, &len);
  return sq_npy_read (data, len, name, tensor, dtype, error);
}

char *
_sq_zip_first_member (const guint8 *head,
                      gsize         head_len)
{
  gsize name_len;

  if (head_len < SQ_ZIP_LOCAL_SIZE || _sq_le32 (head) != SQ_ZIP_SIG_LOCAL)
    return NULL;
  name_len = MIN (_sq_le16 (head + 26), head_len - SQ_ZIP_LOCAL_SIZE);
  if (name_len >= 4 && memcmp (head + SQ_ZIP_LOCAL_SIZE + name_len - 4, ".npy", 4) == 0)
    name_len -= 4;
  return g_strndup ((const char *) head + SQ_ZIP_LOCAL_SIZE, name_len);
}
