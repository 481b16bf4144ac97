/* sq-param-view-private.h: where one parameter of a Xylo specification clips, and its
 * quantization grid — what the Xylo kind's group results hold (sq-xylo-kind.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/**
 * SqParamView:
 * @param: the parameter
 * @layer: the layer whose scale applies to it
 * @unit: clip points of the layer's weights times @unit are @param's: 1 for weights,
 *   Θmax/Wmax / 2^shift for thresholds and biases (they share the weight scale, times
 *   2^shift of the layer's weight shift, but have more bits), NaN for dashes
 * @clip: the clip points of global, fuzzy and per-channel scaling in @param's units; for
 *   dashes, and when they were not asked for, NaN and no channels
 * @clip_lo: values below are clipped (or left out of range) under the result's settings
 * @clip_hi: values above are clipped (or left out of range)
 * @level_scale: the result's quantization levels lie at k / @level_scale; under channel
 *   scaling, those of the neuron with the widest range
 * @level_bits: signed bits of the levels (dashes: their 0…15 range as 5 bits)
 *
 * What a histogram of @param draws over the float values.
 */
typedef struct {
  SqParam      param;
  SqLayer      layer;
  double       unit;
  SqClipPoints clip;
  double       clip_lo;
  double       clip_hi;
  double       level_scale;
  guint        level_bits;
} SqParamView;

gboolean _sq_param_view_compute (SqParamView         *view,
                                 const SqXyloSpec    *spec,
                                 const SqQuantResult *result,
                                 const SqClipPoints  *weight_points,
                                 SqParam              param,
                                 GError             **error);
void     _sq_param_view_clear   (SqParamView         *view);

G_END_DECLS
