/* sq-npy-private.h: the .npy header, for readers that need more than a tensor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/**
 * SqNpyView:
 * @n: elements (0 only when the parse allowed empty arrays)
 * @data: the first of @n elements of @dtype, in the file's byte and memory order
 */
typedef struct {
  SqNpyDtype    dtype;
  gboolean      big_endian;
  gboolean      fortran;
  guint         rank;
  gsize         shape[SQ_TENSOR_MAX_RANK];
  gsize         n;
  const guint8 *data;
} SqNpyView;

gboolean _sq_npy_parse (const guint8 *data,
                        gsize         length,
                        const char   *name,
                        gboolean      allow_empty,
                        SqNpyView    *view,
                        GError      **error);

gboolean _sq_npy_parse_header (const guint8 *data,
                               gsize         length,
                               const char   *name,
                               gboolean      allow_empty,
                               SqNpyView    *view,
                               gsize        *data_offset,
                               gsize        *data_size,
                               GError      **error);
gboolean _sq_npy_check_length (gsize         length,
                               gsize         offset,
                               gsize         size,
                               const char   *name,
                               GError      **error);

G_END_DECLS
