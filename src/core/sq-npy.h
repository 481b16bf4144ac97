/* sq-npy.h: NumPy .npy arrays, read into and written from SqTensor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-tensor.h"

G_BEGIN_DECLS

#define SQ_NPY_ERROR (sq_npy_error_quark ())

/**
 * SqNpyError:
 * @SQ_NPY_ERROR_FORMAT: not a .npy file, or a header that does not follow the format
 * @SQ_NPY_ERROR_TRUNCATED: the data ends before the header says it should
 * @SQ_NPY_ERROR_TRAILING: bytes after the array data
 * @SQ_NPY_ERROR_DTYPE: a dtype Synquant does not read (objects, structures, strings…)
 * @SQ_NPY_ERROR_VALUE: a value the tensor or the chosen dtype cannot hold exactly
 * @SQ_NPY_ERROR_ARCHIVE: an .npz archive whose ZIP structure is broken or unsupported
 *   (sq-npz.h)
 * @SQ_NPY_ERROR_CHECKSUM: an .npz member whose CRC-32 does not match its data
 *
 * Sizes beyond the tensor limits are reported in %SQ_TENSOR_ERROR.
 */
typedef enum {
  SQ_NPY_ERROR_FORMAT = 1,
  SQ_NPY_ERROR_TRUNCATED,
  SQ_NPY_ERROR_TRAILING,
  SQ_NPY_ERROR_DTYPE,
  SQ_NPY_ERROR_VALUE,
  SQ_NPY_ERROR_ARCHIVE,
  SQ_NPY_ERROR_CHECKSUM,
} SqNpyError;

/**
 * SqNpyDtype:
 * @SQ_NPY_AUTO: (writing) '<f8' for a float tensor, '<i8' for an integer one
 *
 * The element types Synquant reads and writes; byte order is separate.
 */
typedef enum {
  SQ_NPY_AUTO,
  SQ_NPY_BOOL,
  SQ_NPY_INT8,
  SQ_NPY_INT16,
  SQ_NPY_INT32,
  SQ_NPY_INT64,
  SQ_NPY_UINT8,
  SQ_NPY_UINT16,
  SQ_NPY_UINT32,
  SQ_NPY_UINT64,
  SQ_NPY_FLOAT32,
  SQ_NPY_FLOAT64,
  SQ_NPY_N_DTYPES
} SqNpyDtype;

GQuark      sq_npy_error_quark   (void);

gboolean    sq_npy_read          (const guint8   *data,
                                  gsize           length,
                                  const char     *name,
                                  SqTensor       *tensor,
                                  SqNpyDtype     *dtype,
                                  GError        **error);
gboolean    sq_npy_load          (const char     *path,
                                  SqTensor       *tensor,
                                  SqNpyDtype     *dtype,
                                  GError        **error);
guint8     *sq_npy_write         (const SqTensor *tensor,
                                  SqNpyDtype      dtype,
                                  gsize          *length,
                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;
guint8     *sq_npy_write_array   (SqNpyDtype      dtype,
                                  guint           rank,
                                  const gsize    *shape,
                                  gconstpointer   values,
                                  gsize          *length) G_GNUC_WARN_UNUSED_RESULT;
gboolean    sq_npy_save          (const char     *path,
                                  const SqTensor *tensor,
                                  SqNpyDtype      dtype,
                                  GError        **error);

G_END_DECLS
