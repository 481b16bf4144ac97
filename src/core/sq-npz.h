/* sq-npz.h: NumPy .npz archives (ZIP files of .npy members), read (sq-npz-reader.c) and
 * written (sq-npz-writer.c) without zlib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-npy.h"
#include "sq-tensor.h"

G_BEGIN_DECLS

/* Errors are in %SQ_NPY_ERROR: %SQ_NPY_ERROR_FORMAT (not a ZIP file),
 * %SQ_NPY_ERROR_TRUNCATED (a ZIP file cut short), %SQ_NPY_ERROR_ARCHIVE (a broken or
 * unsupported structure), %SQ_NPY_ERROR_CHECKSUM (a member whose CRC-32 does not match). */

/* The ZIP and zlib checksum (sq-crc32.c). */
guint32      sq_crc32                  (guint32         crc,
                                        gconstpointer   data,
                                        gsize           length);

/**
 * SqNpzReader:
 *
 * An .npz archive opened for reading: the central directory is parsed and every member's
 * place is checked against the data when it is opened; members are extracted (and their
 * CRC-32 checked) one at a time.
 */
/* The most values (all members together, each read as a double: 1 GiB) a loader reads
 * from one archive; checked from the members' .npy headers before any is inflated. */
#define SQ_NPZ_MAX_VALUES SQ_TENSOR_MAX_ELEMENTS

typedef struct _SqNpzReader SqNpzReader;

SqNpzReader *sq_npz_reader_new         (const guint8   *data,
                                        gsize           length,
                                        const char     *display_name,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
SqNpzReader *sq_npz_reader_open        (const char     *path,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
void         sq_npz_reader_free        (SqNpzReader    *reader);
const char  *sq_npz_reader_get_display_name (const SqNpzReader *reader);
guint        sq_npz_reader_get_n_members (const SqNpzReader *reader);
const char  *sq_npz_reader_get_name    (const SqNpzReader *reader,
                                        guint           index);
gsize        sq_npz_reader_get_size    (const SqNpzReader *reader,
                                        guint           index);
gboolean     sq_npz_reader_find        (const SqNpzReader *reader,
                                        const char     *key,
                                        guint          *index);
GBytes      *sq_npz_reader_extract     (const SqNpzReader *reader,
                                        guint           index,
                                        GCancellable   *cancellable,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sq_npz_reader_read_tensor (const SqNpzReader *reader,
                                        guint           index,
                                        SqTensor       *tensor,
                                        SqNpyDtype     *dtype,
                                        GError        **error);

/**
 * SqNpzWriter:
 *
 * Collects .npy members and lays them out as an uncompressed ZIP archive (what np.savez
 * writes), with fixed timestamps so the same arrays always give the same bytes.
 */
typedef struct _SqNpzWriter SqNpzWriter;

SqNpzWriter *sq_npz_writer_new         (void);
void         sq_npz_writer_free        (SqNpzWriter    *writer);
gboolean     sq_npz_writer_add_npy     (SqNpzWriter    *writer,
                                        const char     *key,
                                        const guint8   *npy,
                                        gsize           length,
                                        GError        **error);
gboolean     sq_npz_writer_add_tensor  (SqNpzWriter    *writer,
                                        const char     *key,
                                        const SqTensor *tensor,
                                        SqNpyDtype      dtype,
                                        GError        **error);
guint8      *sq_npz_writer_finish      (SqNpzWriter    *writer,
                                        gsize          *length,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNpzReader, sq_npz_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNpzWriter, sq_npz_writer_free)

G_END_DECLS
