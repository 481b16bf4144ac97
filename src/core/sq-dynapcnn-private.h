/* sq-dynapcnn-private.h: what the DynapCNN simulators (time steps, events) and the load
 * estimate share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

#define SQ_IAF_STATE_MIN (-32768)
#define SQ_IAF_STATE_MAX 32767

/**
 * SqIafShapes:
 * @in: the layer's input (C, H, W)
 * @conv: the spiking layer's (F, H', W')
 * @pooled: after pooling, the next layer's input
 */
typedef struct {
  gsize in[3];
  gsize conv[3];
  gsize pooled[3];
} SqIafShapes;

gboolean _sq_dynapcnn_invalid   (GError          **error,
                                 const char       *format,
                                 ...) G_GNUC_PRINTF (2, 3);
SqIafShapes *_sq_iaf_check_layers (const SqIafLayer *layers,
                                   guint             n_layers,
                                   const gsize       in_shape[3],
                                   GError          **error);
gint32  *_sq_iaf_weights_cyxf   (const SqTensor   *weight);
gboolean _sq_iaf_record_init    (SqTensor         *t,
                                 gsize             steps,
                                 const gsize       shape[3],
                                 GError          **error);
gboolean _sq_iaf_run_init       (SqIafRun         *run,
                                 guint             n_layers,
                                 gsize             T,
                                 const SqIafShapes *shapes,
                                 gboolean          record_all,
                                 GError          **error);
void     _sq_iaf_record_step    (SqTensor         *t,
                                 gsize             step,
                                 const gint32     *values);

/* The outputs o along one axis that an input at @y reaches, those whose kernel tap
 * k = y + pad − o·stride lies in [0, k_n): o from ⌈(y + pad − k_n + 1)/stride⌉ to
 * ⌊(y + pad)/stride⌋, within [0, n). FALSE when there are none. */
static inline gboolean
_sq_iaf_field (guint32  y,
               guint    pad,
               gsize    k_n,
               guint    stride,
               gsize    n,
               gsize   *lo,
               gsize   *hi)
{
  gint64 top = (gint64) y + pad;
  gint64 bottom = top - (gint64) k_n + 1;

  *lo = bottom <= 0 ? 0 : (gsize) ((bottom + stride - 1) / stride);
  *hi = (gsize) (top / stride);
  if (*hi >= n)
    *hi = n - 1;
  return *lo <= *hi && *lo < n;
}

G_END_DECLS
