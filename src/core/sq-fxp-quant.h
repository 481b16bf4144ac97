/* sq-fxp-quant.h: a fixed-point network's formats (Qualia's quantizer: fxp, fake, force_q)
 * and its integers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-fxp-net.h"

G_BEGIN_DECLS

typedef enum {
  SQ_FXP_SCHEME_FXP,      /* n = b − 2 − ⌊log2 M⌋, Δ = 2^−n */
  SQ_FXP_SCHEME_FAKE,     /* Δ = (max − min)/(2^b − 1): figures only, no integer core */
  SQ_FXP_SCHEME_FORCE_Q,  /* n = force_q for every tensor */
} SqFxpScheme;

typedef enum {
  SQ_FXP_ROUND_NEAREST,   /* ⌊x + 0.5⌋, half up */
  SQ_FXP_ROUND_FLOOR,
  SQ_FXP_ROUND_CEIL,
} SqFxpRound;

typedef enum {
  SQ_FXP_OVERFLOW_WRAP,      /* two's complement, as C on the microcontroller */
  SQ_FXP_OVERFLOW_SATURATE,
} SqFxpOverflow;

/* The tensor classes of a layer. Weights cover the recurrent weights too; v covers the
 * membrane, θ, 1/τ, v_reset and the synaptic current (one Δ, as Qualia's quantizer_v). */
typedef enum {
  SQ_FXP_INPUT,
  SQ_FXP_WEIGHT,
  SQ_FXP_BIAS,
  SQ_FXP_ACT,
  SQ_FXP_V,
  SQ_FXP_OUTPUT,
  SQ_FXP_N_TENSORS
} SqFxpTensor;

/* No forced number of fractional bits: the scheme decides. */
#define SQ_FXP_AUTO G_MININT

/**
 * SqFxpLayerSettings:
 * @bits: 8 or 16, or 0 for the global width
 * @long_bits: 16 or 32, or 0 for the global accumulator
 * @force_n: per tensor class, fractional bits to use, or %SQ_FXP_AUTO (the input's is the
 *   previous layer's output's and is not forced here, except in layer 0)
 */
typedef struct {
  guint bits;
  guint long_bits;
  int   force_n[SQ_FXP_N_TENSORS];
} SqFxpLayerSettings;

/**
 * SqFxpSettings:
 * @scheme: how Δ is chosen
 * @force_q: the fractional bits of %SQ_FXP_SCHEME_FORCE_Q
 * @round: how values are rounded onto the grid (and the simulator's right shifts: floor
 *   shifts for floor and ceil, round-half-up shifts for nearest)
 * @bits: 8 or 16
 * @long_bits: the accumulator: 16 or 32, at least @bits
 * @bias_separate: the bias gets its own Δ (else one Δ over weights and bias together)
 * @overflow: what the integer core does when a value leaves its type
 * @compat_qualia: reproduce the reference generator's LIF shift (by n_t, not n_v)
 * @n_layers: entries of @layers, or 0
 * @layers: (array length=n_layers) (nullable): per-layer overrides
 */
typedef struct {
  SqFxpScheme         scheme;
  int                 force_q;
  SqFxpRound          round;
  guint               bits;
  guint               long_bits;
  gboolean            bias_separate;
  SqFxpOverflow       overflow;
  gboolean            compat_qualia;
  guint               n_layers;
  SqFxpLayerSettings *layers;
} SqFxpSettings;

/**
 * SqFxpFormat:
 * @present: the layer has this tensor
 * @n: fractional bits (power-of-two schemes)
 * @delta: Δ, the value of one step
 * @range: M, the magnitude the format was chosen for (the largest |x|)
 * @clip_lo, @clip_hi: −2^(b−1)·Δ and (2^(b−1) − 1)·Δ
 * @n_values: values quantized (for act and v: values the float model produced on the
 *   calibration input)
 * @n_clipped: of them, how many rounded beyond the clip points
 * @max_abs_error, @rms_error: of q·Δ − x
 * @sqnr_db: 10·log10(Σx² / Σ(q·Δ − x)²); +inf when exact
 */
typedef struct {
  gboolean present;
  int      n;
  double   delta;
  double   range;
  double   clip_lo;
  double   clip_hi;
  gsize    n_values;
  gsize    n_clipped;
  double   max_abs_error;
  double   rms_error;
  double   sqnr_db;
} SqFxpFormat;

/**
 * SqFxpQLayer:
 * @bits, @long_bits: the layer's widths
 * @fmt: per tensor class
 * @weight, @bias, @recurrent: the integers, laid out channels-last as the exported C holds
 *   them (Linear (out, in) with the input in (H, W, C) order, Conv2d (F, kh, kw, C)), or %NULL
 * @n_weight, @n_bias, @n_recurrent: their lengths
 * @theta, @v_reset, @r, @r_syn: θ, V_r, 1/τ and 1/τ_syn in the v format
 */
typedef struct {
  guint        bits;
  guint        long_bits;
  SqFxpFormat  fmt[SQ_FXP_N_TENSORS];
  gint32      *weight;
  gint32      *bias;
  gint32      *recurrent;
  gsize        n_weight;
  gsize        n_bias;
  gsize        n_recurrent;
  gint32       theta;
  gint32       v_reset;
  gint32       r;
  gint32       r_syn;
} SqFxpQLayer;

/**
 * SqFxpQNet:
 * @net: (transfer none): the float network; it must outlive this
 * @settings: a copy of the settings it was made with
 * @layers: (array length=net->n_layers)
 * @power_of_two: every format is 2^−n (not `fake`): the integer core can run it
 * @warnings: (element-type utf8): thresholds that rounded to 0 and the like
 */
typedef struct {
  const SqFxpNet *net;
  SqFxpSettings   settings;
  SqFxpQLayer    *layers;
  gboolean        power_of_two;
  GPtrArray      *warnings;
  /*< private >*/
  gpointer        prep;
} SqFxpQNet;

void        sq_fxp_settings_init     (SqFxpSettings       *settings);
void        sq_fxp_settings_copy     (SqFxpSettings       *dest,
                                      const SqFxpSettings *src);
void        sq_fxp_settings_clear    (SqFxpSettings       *settings);
void        sq_fxp_settings_set_layer_count (SqFxpSettings *settings,
                                             guint          n_layers);
const char *sq_fxp_tensor_name       (SqFxpTensor          tensor);

int         sq_fxp_frac_bits         (double               range,
                                      guint                bits);
gint64      sq_fxp_round             (double               x,
                                      SqFxpRound           round);
char       *sq_fxp_q_string          (int                  n,
                                      guint                bits) G_GNUC_WARN_UNUSED_RESULT;

SqFxpQNet  *sq_fxp_quantize          (const SqFxpNet      *net,
                                      const SqFxpSettings *settings,
                                      const SqTensor      *calibration,
                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void        sq_fxp_qnet_free         (SqFxpQNet           *qnet);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqFxpQNet, sq_fxp_qnet_free)

G_END_DECLS
