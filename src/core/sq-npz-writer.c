/* sq-npz-writer.c: NumPy .npz archives, written as np.savez writes them: stored (not
 * deflated) members with a fixed timestamp, so equal arrays give equal files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-npz-private.h"

/* 1980-01-01 00:00:00, the earliest MS-DOS date: output must not depend on the clock. */
#define DOS_TIME 0x0000
#define DOS_DATE 0x0021

struct _SqNpzWriter {
  GByteArray *body;      /* local headers and data */
  GByteArray *central;
  guint       n;
  GHashTable *names;
};

static void
put16 (GByteArray *b,
       guint       v)
{
  guint8 p[2] = { (guint8) v, (guint8) (v >> 8) };

  g_byte_array_append (b, p, 2);
}

static void
put32 (GByteArray *b,
       guint32     v)
{
  guint8 p[4] = { (guint8) v, (guint8) (v >> 8), (guint8) (v >> 16), (guint8) (v >> 24) };

  g_byte_array_append (b, p, 4);
}

SqNpzWriter *
sq_npz_writer_new (void)
{
  SqNpzWriter *w = g_new0 (SqNpzWriter, 1);

  w->body = g_byte_array_new ();
  w->central = g_byte_array_new ();
  w->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return w;
}

void
sq_npz_writer_free (SqNpzWriter *writer)
{
  if (writer == NULL)
    return;
  g_byte_array_unref (writer->body);
  g_byte_array_unref (writer->central);
  g_hash_table_unref (writer->names);
  g_free (writer);
}

/**
 * sq_npz_writer_add_npy:
 * @key: the name np.load gives the array; the member is "@key.npy"
 * @npy: (array length=length): a whole .npy file
 *
 * Returns: %FALSE with @error set when @key is already in the archive or the archive would
 *   outgrow a ZIP file without ZIP64 (4 GiB, 65 535 members)
 */
gboolean
sq_npz_writer_add_npy (SqNpzWriter  *writer,
                       const char   *key,
                       const guint8 *npy,
                       gsize         length,
                       GError      **error)
{
  g_autofree char *name = g_strconcat (key, ".npy", NULL);
  gsize name_len = strlen (name);
  guint64 offset = writer->body->len;
  guint32 crc;
  /* Bit 11: the name is UTF-8, so unzip and Python show non-ASCII keys as written. */
  guint flags = g_str_is_ascii (name) ? 0 : 0x0800;

  g_return_val_if_fail (g_utf8_validate (key, -1, NULL), FALSE);

  if (g_hash_table_contains (writer->names, name))
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE,
                   _("the archive already holds %s"), name);
      return FALSE;
    }
  if (name_len > 0xFFFF || writer->n >= 0xFFFF ||
      offset + SQ_ZIP_LOCAL_SIZE + name_len + length > SQ_ZIP32_MAX ||
      writer->central->len + SQ_ZIP_CENTRAL_SIZE + name_len > SQ_ZIP32_MAX)
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE,
                   _("%s does not fit: an .npz archive holds up to 4 GiB and 65 535 arrays"),
                   name);
      return FALSE;
    }

  crc = sq_crc32 (0, npy, length);

  put32 (writer->body, SQ_ZIP_SIG_LOCAL);
  put16 (writer->body, 20);         /* version needed: 2.0 */
  put16 (writer->body, flags);
  put16 (writer->body, 0);          /* stored */
  put16 (writer->body, DOS_TIME);
  put16 (writer->body, DOS_DATE);
  put32 (writer->body, crc);
  put32 (writer->body, (guint32) length);
  put32 (writer->body, (guint32) length);
  put16 (writer->body, (guint) name_len);
  put16 (writer->body, 0);          /* extra */
  g_byte_array_append (writer->body, (const guint8 *) name, (guint) name_len);
  if (length > 0)
    g_byte_array_append (writer->body, npy, (guint) length);

  put32 (writer->central, SQ_ZIP_SIG_CENTRAL);
  put16 (writer->central, 0x0314);  /* made by: Unix, 2.0, so the mode below applies */
  put16 (writer->central, 20);
  put16 (writer->central, flags);
  put16 (writer->central, 0);
  put16 (writer->central, DOS_TIME);
  put16 (writer->central, DOS_DATE);
  put32 (writer->central, crc);
  put32 (writer->central, (guint32) length);
  put32 (writer->central, (guint32) length);
  put16 (writer->central, (guint) name_len);
  put16 (writer->central, 0);       /* extra */
  put16 (writer->central, 0);       /* comment */
  put16 (writer->central, 0);       /* disk */
  put16 (writer->central, 0);       /* internal attributes */
  put32 (writer->central, 0100644u << 16);  /* a regular file, rw-r--r-- */
  put32 (writer->central, (guint32) offset);
  g_byte_array_append (writer->central, (const guint8 *) name, (guint) name_len);

  writer->n++;
  g_hash_table_add (writer->names, g_steal_pointer (&name));
  return TRUE;
}

/**
 * sq_npz_writer_add_tensor:
 * @dtype: as for sq_npy_write()
 */
gboolean
sq_npz_writer_add_tensor (SqNpzWriter    *writer,
                          const char     *key,
                          const SqTensor *tensor,
                          SqNpyDtype      dtype,
                          GError        **error)
{
  g_autofree guint8 *npy = NULL;
  gsize length;

  npy = sq_npy_write (tensor, dtype, &length, error);
  if (npy == NULL)
    {
      g_prefix_error (error, "%s: ", key);
      return FALSE;
    }
  return sq_npz_writer_add_npy (writer, key, npy, length, error);
}

/**
 * sq_npz_writer_finish:
 * @length: (out): bytes in the result
 *
 * Appends the central directory and the end record. The writer is empty afterwards.
 *
 * Returns: (transfer full): the archive, or %NULL with @error set when it would outgrow
 *   4 GiB
 */
guint8 *
sq_npz_writer_finish (SqNpzWriter *writer,
                      gsize       *length,
                      GError     **error)
{
  g_autoptr(GByteArray) out = g_steal_pointer (&writer->body);
  guint64 cd_offset = out->len, cd_size = writer->central->len;
  guint n = writer->n;

  writer->body = g_byte_array_new ();
  writer->n = 0;
  g_hash_table_remove_all (writer->names);
  if (cd_offset + cd_size + SQ_ZIP_END_SIZE > SQ_ZIP32_MAX)
    {
      g_byte_array_set_size (writer->central, 0);
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE,
                   _("the arrays do not fit an .npz archive of at most 4 GiB"));
      return NULL;
    }
  g_byte_array_append (out, writer->central->data, writer->central->len);
  g_byte_array_set_size (writer->central, 0);
  put32 (out, SQ_ZIP_SIG_END);
  put16 (out, 0);
  put16 (out, 0);
  put16 (out, n);
  put16 (out, n);
  put32 (out, (guint32) cd_size);
  put32 (out, (guint32) cd_offset);
  put16 (out, 0);
  *length = out->len;
  return g_byte_array_steal (out, NULL);
}
