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

#define SQ_NPY_MAX_FIELDS 16
#define SQ_NPY_MAX_ITEMSIZE 4096

/**
 * SqNpyField:
 * @name: the field's name (at most 31 bytes)
 * @dtype: a number or boolean type
 * @offset: bytes from the start of a record
 */
typedef struct {
  char       name[32];
  SqNpyDtype dtype;
  gboolean   big_endian;
  gsize      offset;
} SqNpyField;

/**
 * SqNpyRecordType:
 * @n_fields: named fields (padding, numpy's void fields, is skipped); 0 for a plain array
 * @itemsize: bytes per record, padding included
 */
typedef struct {
  guint      n_fields;
  SqNpyField fields[SQ_NPY_MAX_FIELDS];
  gsize      itemsize;
} SqNpyRecordType;

gboolean _sq_npy_parse_records (const guint8    *data,
                                gsize            length,
                                const char      *name,
                                SqNpyView       *view,
                                SqNpyRecordType *type,
                                GError         **error);
gboolean _sq_npy_element_int64 (const guint8    *p,
                                SqNpyDtype       dtype,
                                gboolean         big_endian,
                                gint64          *value);

G_END_DECLS
