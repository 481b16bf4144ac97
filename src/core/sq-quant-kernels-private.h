/* sq-quant-kernels-private.h: the passes quantizations are made of (sq-quant-kernels.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* The weight matrices that feed one layer, each seen as (rows, cols = target neurons, syn). */
typedef struct {
  SqLayer         layer;
  gsize           n_targets;
  guint           n_w;
  SqParam         w_param[2];
  const SqTensor *w[2];
  gsize           rows[2];
  gsize           cols[2];
  gsize           syn[2];
  SqParam         theta_param;
  SqParam         bias_param;
  const SqTensor *theta;
  const SqTensor *bias;   /* absent when the spec has none */
} SqQuantLayerView;

void      _sq_quant_layer_view_init   (SqQuantLayerView       *v,
                                       const SqXyloSpec       *spec,
                                       SqLayer                 layer);

/* Per group (one for global scaling, one per target for channel scaling). */
typedef struct {
  gsize     n;
  double   *range;
  double   *scale;
  gboolean *limited;
  gboolean  overflow;   /* Wmax/range exceeded the largest double */
  int       shift;      /* thresholds and biases are scaled by scale·2^shift */
} SqQuantScales;

void      _sq_quant_scales_init       (SqQuantScales          *s,
                                       gsize                   n);
void      _sq_quant_scales_clear      (SqQuantScales          *s);

/* Ranges: max |w| of a layer, of each target column (into @m, one per target), of a vector
 * (0 for an absent one); the fuzzy range |mean| + 2σ of the non-zero weights, NaN when there
 * are none. */
void      _sq_quant_column_max_abs    (const SqQuantLayerView *v,
                                       double                 *m);
double    _sq_quant_layer_max_abs     (const SqQuantLayerView *v);
double    _sq_quant_vector_max_abs    (const SqTensor         *t);
double    _sq_quant_layer_fuzzy_range (const SqQuantLayerView *v);
void      _sq_quant_column_fuzzy_range (const SqQuantLayerView *v,
                                        double                 *m);

/* What one group's pass adds up. */
typedef struct {
  gsize  clipped;
  gsize  out_of_range;
  gsize  zeroed;
  gsize  nonzero;      /* weights ≠ 0: what @zeroed is a share of */
  double signal;       /* Σ w² */
  double noise_q;      /* Σ (q − w·s)², in integer units */
  double max_err_q;    /* max |q − w·s|, in integer units */
  gsize  bias_zeroed;
} SqQuantAcc;

/* Weights into integers: rint(w·s), clipped to ±@wmax when @clip, else counted as out of
 * range; @q may be @w. */
void      _sq_quant_flat              (const double           *w,
                                       double                 *q,
                                       gsize                   n,
                                       double                  s,
                                       double                  wmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc);
void      _sq_quant_columns           (const double           *w,
                                       double                 *q,
                                       gsize                   rows,
                                       gsize                   cols,
                                       gsize                   syn,
                                       const double           *scale,
                                       double                  wmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc);
void      _sq_quant_neuron            (const SqQuantLayerView *v,
                                       SqXyloSpec             *dst,
                                       gsize                   c,
                                       double                  theta_scale,
                                       double                  bias_scale,
                                       double                  tmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc,
                                       gsize                  *clipped_thresholds,
                                       gsize                  *clipped_biases);

/* A group's report from its sums, and a group added into a layer's or the total. */
void      _sq_quant_group_from_acc    (SqGroupReport          *g,
                                       SqLayer                 layer,
                                       gssize                  channel,
                                       double                  range,
                                       double                  scale,
                                       gboolean                limited,
                                       gsize                   n_weights,
                                       const SqQuantAcc       *acc,
                                       double                  wmax);
void      _sq_quant_group_add         (SqGroupReport          *sum,
                                       const SqGroupReport    *g);

G_END_DECLS
