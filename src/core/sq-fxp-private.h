/* sq-fxp-private.h: what the fixed-point quantizer, simulators and exporter share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* A layer's float parameters laid out as the integer core and the exported C hold them:
 * channels-last maps (H, W, C), Conv2d kernels (F, kh, kw, C), and a Linear layer's columns in
 * the (H, W, C) order of the map a Flatten before it flattened. */
typedef struct {
  double *w;
  double *b;
  double *rec;
  gsize   n_w;
  gsize   n_in;
  gsize   n_out;
} SqFxpPrepLayer;

typedef struct {
  guint           n_layers;
  SqFxpPrepLayer *layers;
} SqFxpPrep;

SqFxpPrep *_sq_fxp_prep_new  (const SqFxpNet *net,
                              GError        **error);
void       _sq_fxp_prep_free (SqFxpPrep      *prep);

/* The float model, which also calibrates: with @figures, each layer's act and v values add
 * into those formats' error figures (n_values, n_clipped, errors; finished by the caller). */
typedef struct {
  double sum_sq;
  double sum_err_sq;
} SqFxpFigureSums;

gboolean   _sq_fxp_float_run (const SqFxpNet  *net,
                              const SqFxpPrep *prep,
                              const SqTensor  *input,
                              SqFxpQNet       *figures,
                              SqFxpFigureSums (*sums)[SQ_FXP_N_TENSORS],
                              GCancellable    *cancellable,
                              SqFxpRun        *run,
                              GError         **error);
/* One value as an integer of @fmt: rounded, clamped to @bits (the quantizer's rule). */
gint64     _sq_fxp_quantize_value (const SqFxpFormat *fmt,
                                   guint              bits,
                                   SqFxpRound         round,
                                   double             x);
/* One value into a format's figures (the quantizer's rule). */
void       _sq_fxp_figure_add (SqFxpFormat     *fmt,
                               SqFxpFigureSums *sums,
                               guint            bits,
                               SqFxpRound       round,
                               double           x);
/* The input raster (T, C, H, W) or (T, N) checked against the network: its step count. */
gboolean   _sq_fxp_check_input (const SqFxpNet *net,
                                const SqTensor *input,
                                guint          *n_steps,
                                GError        **error);
/* A run's arrays for @n_steps steps, zeroed. */
void       _sq_fxp_run_alloc   (SqFxpRun       *run,
                                const SqFxpNet *net,
                                guint           n_steps);
/* Step @t of the input, channels-last, into @out. */
void       _sq_fxp_input_step  (const SqFxpNet *net,
                                const SqTensor *input,
                                guint           t,
                                double         *out);

G_END_DECLS
