/* sq-dynapcnn-iaf.h: the DynapCNN / Speck integer IAF core in time steps, as sinabs simulates
 * a discretized network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-tensor.h"

G_BEGIN_DECLS

/**
 * SqIafLayer:
 * @weight: integers (F, C, kh, kw)
 * @bias: integers (F), or absent
 * @v_mem: initial membrane, integers (F, H', W'), or absent (zeros)
 * @threshold_high: θ, > 0
 * @threshold_low: the membrane's lower bound (−32768 for none)
 * @stride_y, @stride_x: ≥ 1
 * @pad_y, @pad_x: zero padding
 * @pool: sum-pooling p × p with stride p after the spiking layer (1: none)
 * @reset_zero: reset to 0 where a neuron spiked, instead of subtracting n·θ
 * @single_spike: at most one spike per neuron and step ([v ≥ θ]) instead of ⌊v/θ⌋ for v > 0
 *
 * One discretized layer. The layers of a network run in order; each one's input is the
 * previous one's pooled spike counts.
 */
typedef struct {
  SqTensor weight;
  SqTensor bias;
  SqTensor v_mem;
  gint32   threshold_high;
  gint32   threshold_low;
  guint    stride_y;
  guint    stride_x;
  guint    pad_y;
  guint    pad_x;
  guint    pool;
  gboolean reset_zero;
  gboolean single_spike;
} SqIafLayer;

/**
 * SqIafRun:
 * @spikes_out: (T, F, H'', W'') the last layer's spike counts after its pooling
 * @spikes: (array length=n_layers): with @record_all, each layer's spike counts
 *   (T, F, H', W') before pooling, else absent
 * @v_mem: (array length=n_layers): with @record_all, each layer's membrane after reset and
 *   clamp (T, F, H', W'), else absent
 * @n_saturated: (array length=n_layers): how many membrane updates each layer saturated at
 *   the 16-bit range, or its 32-bit accumulator at the int32 range
 * @n_spikes: (array length=n_layers): spikes each layer emitted, before pooling
 */
typedef struct {
  guint     n_layers;
  SqTensor  spikes_out;
  SqTensor *spikes;
  SqTensor *v_mem;
  guint64  *n_saturated;
  guint64  *n_spikes;
} SqIafRun;

gboolean sq_cnn_output_shape       (const gsize       in_shape[3],
                                    gsize             out_channels,
                                    gsize             kernel_y,
                                    gsize             kernel_x,
                                    guint             stride_y,
                                    guint             stride_x,
                                    guint             pad_y,
                                    guint             pad_x,
                                    guint             pool,
                                    gsize             conv_shape[3],
                                    gsize             pooled_shape[3]);
gboolean sq_iaf_layer_output_shape (const SqIafLayer *layer,
                                    const gsize       in_shape[3],
                                    gsize             conv_shape[3],
                                    gsize             pooled_shape[3],
                                    const char       *where,
                                    GError          **error);
gboolean sq_iaf_run                (const SqIafLayer *layers,
                                    guint             n_layers,
                                    const SqTensor   *input,
                                    gboolean          record_all,
                                    GCancellable     *cancellable,
                                    SqIafRun         *run,
                                    GError          **error);
void     sq_iaf_run_clear          (SqIafRun         *run);
gboolean sq_cnn_spread_readout     (const SqTensor   *t,
                                    SqTensor         *out,
                                    GError          **error);
gboolean sq_iaf_layer_extend_readout (const SqIafLayer *layer,
                                      SqIafLayer       *extended,
                                      GError          **error);

G_END_DECLS
