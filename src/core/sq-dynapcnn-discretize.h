/* sq-dynapcnn-discretize.h: one DynapCNN / Speck layer to integers, sinabs's joint scale
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

#define SQ_DYNAPCNN_ERROR (sq_dynapcnn_error_quark ())

typedef enum {
  SQ_DYNAPCNN_ERROR_INVALID = 1,
  SQ_DYNAPCNN_ERROR_NO_SCALE,
} SqDynapcnnError;

/**
 * SqDiscretizeMode:
 * @SQ_DISCRETIZE_SYNQUANT: an unbounded lower threshold stays out of the scale search and is
 *   written as −32768
 * @SQ_DISCRETIZE_SINABS: bit-exact with sinabs: an unbounded lower threshold enters the scale
 *   search as −32768, which caps the scale at 1 and zeroes typical weights
 */
typedef enum {
  SQ_DISCRETIZE_SYNQUANT,
  SQ_DISCRETIZE_SINABS,
} SqDiscretizeMode;

/**
 * SqScaleBound:
 *
 * Which tensor set a layer's joint scale (the smallest of the four per-tensor scales).
 */
typedef enum {
  SQ_SCALE_BOUND_WEIGHT,
  SQ_SCALE_BOUND_BIAS,
  SQ_SCALE_BOUND_THRESHOLDS,
  SQ_SCALE_BOUND_STATE,
} SqScaleBound;

/**
 * SqDynapcnnLayerParams:
 * @weight: (Cout, Cin, kh, kw)
 * @bias: (Cout), or absent
 * @spike_threshold: θ_high, > 0
 * @has_min_v_mem: whether the membrane has a lower bound
 * @min_v_mem: θ_low, below @spike_threshold
 * @v_mem: (Cout, H', W') initial membrane, or absent
 *
 * The float parameters of one layer, as a sinabs model holds them (float32 values; doubles
 * here are rounded to float32 first, as torch stores them).
 */
typedef struct {
  SqTensor weight;
  SqTensor bias;
  double   spike_threshold;
  gboolean has_min_v_mem;
  double   min_v_mem;
  SqTensor v_mem;
} SqDynapcnnLayerParams;

/**
 * SqDynapcnnDiscrete:
 * @weight: 8-bit integers, @weight's shape
 * @bias: integers (Cout), zeros when the layer has none, as sinabs's configuration writes
 * @v_mem: 16-bit integers, absent when the layer has no initial membrane
 * @threshold_high: round(θ_high · @scale)
 * @threshold_low: round(θ_low · @scale), or −32768 for an unbounded membrane
 * @scale: the joint scale, a float32 value
 * @bound: which tensor set @scale
 * @n_weights_nonzero: float weights that are not 0
 * @n_weights_zeroed: of those, how many became 0
 * @max_abs_weight: max |integer weight|
 */
typedef struct {
  SqTensor     weight;
  SqTensor     bias;
  SqTensor     v_mem;
  gint32       threshold_high;
  gint32       threshold_low;
  float        scale;
  SqScaleBound bound;
  gsize        n_weights_nonzero;
  gsize        n_weights_zeroed;
  gint32       max_abs_weight;
} SqDynapcnnDiscrete;

GQuark   sq_dynapcnn_error_quark        (void);

float    sq_dynapcnn_tensor_scale       (const double             *values,
                                         gsize                     n,
                                         guint                     bits);
gboolean sq_dynapcnn_discretize_layer   (const SqDynapcnnLayerParams *layer,
                                         SqDiscretizeMode             mode,
                                         const char                  *where,
                                         SqDynapcnnDiscrete          *out,
                                         GError                     **error);
void     sq_dynapcnn_discrete_clear     (SqDynapcnnDiscrete       *discrete);
GPtrArray *sq_dynapcnn_discrete_warnings (const SqDynapcnnLayerParams *layer,
                                          const SqDynapcnnDiscrete    *discrete,
                                          SqDiscretizeMode             mode,
                                          const char                  *name)
                                          G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
