/* sq-npz-private.h: the ZIP layout the .npz reader and writer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"
#include "sq-npy-private.h"

G_BEGIN_DECLS

/* Record signatures and fixed sizes (PKWARE APPNOTE 6.3), and the largest size or offset
 * a ZIP file without ZIP64 holds. */
#define SQ_ZIP_SIG_LOCAL    0x04034b50u
#define SQ_ZIP_SIG_CENTRAL  0x02014b50u
#define SQ_ZIP_SIG_END      0x06054b50u
#define SQ_ZIP_LOCAL_SIZE   30
#define SQ_ZIP_CENTRAL_SIZE 46
#define SQ_ZIP_END_SIZE     22
#define SQ_ZIP32_MAX        G_GUINT64_CONSTANT (0xFFFFFFFF)

/* Little-endian fields, read without alignment. */
static inline guint32
_sq_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static inline guint16
_sq_le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static inline guint64
_sq_le64 (const guint8 *p)
{
  return (guint64) _sq_le32 (p) | (guint64) _sq_le32 (p + 4) << 32;
}

/* sq-npz-reader.c: a .npy member's header and size, checked before it is inflated. */
gboolean _sq_npz_reader_check_npy (const SqNpzReader *reader,
                                   guint              index,
                                   gboolean           allow_empty,
                                   SqNpyView         *view,
                                   GError           **error);

/* The first member's name without ".npy", from the first bytes of a file, or %NULL when
 * they are no ZIP local header: the kinds' probes tell archives apart by it. */
char *_sq_zip_first_member (const guint8 *head,
                            gsize         head_len) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
