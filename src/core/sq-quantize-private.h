/* sq-quantize-private.h: the plan of a quantization (sq-quantize.c), how it is carried out
 * (sq-quant-apply.c) and the result it fills (sq-quant-result.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"
#include "sq-quant-kernels-private.h"

G_BEGIN_DECLS

/* global_quantize's scale factors: s, then ℓ applied to the already-rounded values when the
 * largest rounded threshold (signed max, then abs) exceeds Θmax. */
typedef struct {
  double m, m_out;
  double s, s_out;
  double l_hidden, l_output;  /* 1 when the thresholds fit */
} SqRockpoolGlobal;

/* What a quantization will do, decided before any value is written: Rockpool's failures are
 * all detected here, so it falls back to Synquant's mode before writing anything. */
typedef struct {
  SqMode            mode;
  char             *failure;
  SqRockpoolGlobal  global;
  SqQuantScales     scales[SQ_N_LAYERS];
  double           *bias_scale[SQ_N_LAYERS];
  SqQuantCache     *cache;   /* nullable: the ranges and sparse forms of the float weights */
} SqQuantPlan;

void           _sq_quant_plan_init          (SqQuantPlan         *plan,
                                             const SqXyloSpec    *spec,
                                             const SqQuantParams *params,
                                             SqQuantCache        *cache);
void           _sq_quant_plan_clear         (SqQuantPlan         *plan);

/* The plan carried out: @src quantized into @dst (which may be @src), groups and
 * diagnostics into @res. */
void           _sq_quant_apply_synquant     (const SqXyloSpec    *src,
                                             SqXyloSpec          *dst,
                                             const SqQuantParams *params,
                                             const SqQuantPlan   *plan,
                                             SqQuantResult       *res);
void           _sq_quant_apply_rockpool     (const SqXyloSpec    *src,
                                             SqXyloSpec          *dst,
                                             const SqQuantParams *params,
                                             const SqQuantPlan   *plan,
                                             SqQuantResult       *res);

SqQuantResult *_sq_quant_result_new         (const SqQuantParams *params);
void           _sq_quant_result_sum_groups  (SqQuantResult       *res,
                                             gboolean             per_channel);

SqQuantResult *_sq_quantize_cached          (const SqXyloSpec    *spec,
                                             const SqQuantParams *params,
                                             SqQuantCache        *cache,
                                             GError             **error);
SqQuantResult *_sq_quantize_in_place        (SqXyloSpec          *spec,
                                             const SqQuantParams *params,
                                             GError             **error);
gboolean       _sq_clip_points_compute_all  (const SqXyloSpec    *spec,
                                             const SqQuantParams *params,
                                             SqQuantCache        *cache,
                                             SqClipPoints         points[SQ_N_LAYERS],
                                             GError             **error);

G_END_DECLS
