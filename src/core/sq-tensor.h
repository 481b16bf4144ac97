/* sq-tensor.h: dense arrays of doubles, rank 0 to 4
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define SQ_TENSOR_MAX_RANK 4

/* Sizes beyond these are refused before anything is allocated. A Xylo network holds about
 * 2 M values; the element limit (1 GiB of doubles) leaves room for the larger graphs NIR
 * files describe without letting a corrupt header ask for terabytes. */
#define SQ_TENSOR_MAX_DIM      ((gsize) 1 << 24)
#define SQ_TENSOR_MAX_ELEMENTS ((gsize) 1 << 27)

#define SQ_TENSOR_ERROR (sq_tensor_error_quark ())

typedef enum {
  SQ_TENSOR_ERROR_TOO_LARGE = 1,
  SQ_TENSOR_ERROR_RANK,
  SQ_TENSOR_ERROR_EMPTY,
  SQ_TENSOR_ERROR_INVALID,
} SqTensorError;

/**
 * SqTensor:
 * @rank: number of dimensions, 0 for a scalar
 * @shape: the first @rank entries are the dimensions
 * @n: number of values (1 for a scalar)
 * @data: @n values in C (row-major) order, or %NULL when the tensor is absent
 * @integer: whether the values are integers and are written as such
 *
 * A caller-allocated value type. Zero-initialised means "absent".
 */
typedef struct {
  guint    rank;
  gsize    shape[SQ_TENSOR_MAX_RANK];
  gsize    n;
  double  *data;
  gboolean integer;
} SqTensor;

/**
 * SqStats:
 * Summary of a set of values, computed in one pass.
 */
typedef struct {
  gsize  n;
  gsize  nonzero;
  double min;
  double max;
  double max_abs;
} SqStats;

GQuark   sq_tensor_error_quark (void);

gboolean sq_shape_count        (guint         rank,
                                const gsize  *shape,
                                gsize        *n_out,
                                GError      **error);
char    *sq_shape_to_string    (guint         rank,
                                const gsize  *shape) G_GNUC_WARN_UNUSED_RESULT;

gboolean sq_tensor_init        (SqTensor     *tensor,
                                guint         rank,
                                const gsize  *shape,
                                GError      **error);
gboolean sq_tensor_init_like   (SqTensor       *tensor,
                                const SqTensor *like,
                                GError        **error);
gboolean sq_tensor_copy        (SqTensor       *dest,
                                const SqTensor *src,
                                GError        **error);
void     sq_tensor_clear       (SqTensor     *tensor);
gboolean sq_tensor_is_present  (const SqTensor *tensor);
char    *sq_tensor_shape_string (const SqTensor *tensor) G_GNUC_WARN_UNUSED_RESULT;

void     sq_stats_init         (SqStats      *stats);
void     sq_stats_add          (SqStats      *stats,
                                const double *values,
                                gsize         n);
void     sq_tensor_stats       (const SqTensor *tensor,
                                SqStats        *stats);

G_END_DECLS
