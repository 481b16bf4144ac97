/* sq-diagnostic.h: warnings about a specification or a quantization, for the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-xylo-spec.h"

G_BEGIN_DECLS

typedef enum {
  SQ_DIAG_ROCKPOOL_FALLBACK,   /* Rockpool would crash or produce NaN: synquant used */
  SQ_DIAG_ROCKPOOL_DEFECT,     /* a documented Rockpool defect changed the result */
  SQ_DIAG_FUZZY_IGNORED,       /* Rockpool's channel_quantize ignores fuzzy scaling */
  SQ_DIAG_CLIPPED,             /* values clipped to their integer range */
  SQ_DIAG_OUT_OF_RANGE,        /* values left beyond their integer range (Rockpool mode) */
  SQ_DIAG_BIAS_ZEROED,         /* non-zero biases became 0 */
  SQ_DIAG_DASH_ZERO,           /* dash 0: a dead synapse or a memory-less membrane */
  SQ_DIAG_DASH_CLIPPED,        /* dashes clipped to 0…15 */
  SQ_DIAG_DASH_OUT_OF_RANGE,   /* dashes outside 0…15 (Rockpool mode, or a float spec) */
  SQ_DIAG_SCALE_OVERFLOW,      /* Wmax/range overflowed */
  SQ_DIAG_UNKNOWN_KEY,         /* the loader ignored a key */
  SQ_DIAG_NO_INPUT,            /* hidden neurons that receive no weight at all */
  SQ_DIAG_NO_OUTPUT,           /* hidden neurons whose events reach nothing */
  SQ_DIAG_THRESHOLD_NOT_POSITIVE, /* θ ≤ 0 fires 31 events every step */
  SQ_DIAG_ALIAS_MULTIPLE,      /* alias lists with more than one target */
  SQ_DIAG_WEIGHT_SHIFT,        /* the weight shift the quantizer chose, and why */
  SQ_DIAG_DISCRETIZE,          /* DynapCNN: weights all 0, runaway firing, leak clock */
  SQ_DIAG_FXP_FORMAT,          /* fixed point: a threshold that rounds to 0 in its format */
} SqDiagKind;

/**
 * SqDiagnostic:
 * @kind: what happened
 * @param: the parameter concerned (an #SqParam), or -1
 * @count: how many values or neurons
 * @message: a translated sentence for the user
 */
typedef struct {
  SqDiagKind kind;
  int        param;
  gsize      count;
  char      *message;
} SqDiagnostic;

const char *sq_diag_kind_to_string (SqDiagKind        kind);
GPtrArray  *sq_xylo_spec_diagnose  (const SqXyloSpec *spec) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
