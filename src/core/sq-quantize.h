/* sq-quantize.h: global and per-channel scaling of a Xylo specification to integers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-diagnostic.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

#define SQ_QUANT_ERROR (sq_quant_error_quark ())

typedef enum {
  SQ_QUANT_ERROR_INVALID_PARAMS = 1,
} SqQuantError;

#define SQ_WEIGHT_BITS_MIN     2
#define SQ_WEIGHT_BITS_MAX     16
#define SQ_THRESHOLD_BITS_MIN  2
#define SQ_THRESHOLD_BITS_MAX  24
#define SQ_DASH_MAX            15

typedef enum {
  SQ_METHOD_GLOBAL,
  SQ_METHOD_CHANNEL,
} SqMethod;

/**
 * SqMode:
 * @SQ_MODE_SYNQUANT: corrected scaling: biases scaled with their own layer or neuron and
 *   included in the range, everything clipped to its integer range, dashes clipped to 0…15
 * @SQ_MODE_ROCKPOOL: bit-exact with Rockpool's global_quantize/channel_quantize
 *   (v2.8–v3.0.3), including their defects
 */
typedef enum {
  SQ_MODE_SYNQUANT,
  SQ_MODE_ROCKPOOL,
} SqMode;

typedef enum {
  SQ_LAYER_HIDDEN,
  SQ_LAYER_OUTPUT,
  SQ_N_LAYERS
} SqLayer;

/* SqQuantParams.weight_shift: let the quantizer choose the shift of each layer. */
#define SQ_WEIGHT_SHIFT_AUTO (-1)
/* Largest shift the quantizer uses or accepts: int8 << 7 cannot leave int16. */
#define SQ_QUANT_WEIGHT_SHIFT_MAX 7

/**
 * SqQuantParams:
 * @weight_shift: 0 (the default: shifts stay 0 and biases count in the weight range, as
 *   before), a fixed shift 1…7 for every layer, or %SQ_WEIGHT_SHIFT_AUTO. With a shift s the
 *   weights keep their integer scale and thresholds and biases, which live in the 16-bit
 *   state, are scaled by 2^s more (the hardware adds w << s); biases then no longer count in
 *   the weights' range. Synquant mode only.
 */
typedef struct {
  SqMethod method;
  SqMode   mode;
  gboolean fuzzy;
  guint    weight_bits;
  guint    threshold_bits;
  int      weight_shift;
} SqQuantParams;

/**
 * SqGroupReport:
 * @layer: the layer of the group
 * @channel: the target neuron (hidden or output index) under channel scaling, -1 for a
 *   whole layer
 * @range: the weight range the method chose (max |·|, or the fuzzy range)
 * @scale: the final weight scale: integer weight = rint (float weight × @scale)
 * @clip: the float weight that maps to the largest integer weight, Wmax / @scale
 * @threshold_limited: the scale was lowered so the thresholds fit their bits
 * @n_weights: number of weights in the group
 * @n_nonzero: weights of the group that are not 0 in the float network: @zeroed is a share
 *   of these (a sparse matrix's own zeros are not zeroed by quantization)
 * @clipped: weights, thresholds and biases clipped to their integer range
 * @out_of_range: (rockpool mode) values left beyond their integer range, as Rockpool does
 * @zeroed: non-zero float weights that became 0
 * @bias_zeroed: non-zero float biases that became 0
 * @signal: Σ w² of the float weights
 * @noise: Σ (dequantized − float)² of the weights
 * @max_abs_error: max |dequantized − float| of the weights
 *
 * Per-layer and total reports add the counts and sums; their @scale, @clip and @range are
 * those of the layer under global scaling and NaN under channel scaling.
 */
typedef struct {
  SqLayer  layer;
  gssize   channel;
  double   range;
  double   scale;
  double   clip;
  gboolean threshold_limited;
  gsize    n_weights;
  gsize    n_nonzero;
  gsize    clipped;
  gsize    out_of_range;
  gsize    zeroed;
  gsize    bias_zeroed;
  double   signal;
  double   noise;
  double   max_abs_error;
} SqGroupReport;

/**
 * SqQuantResult:
 * @params: the parameters asked for
 * @mode_used: the mode that produced @spec: %SQ_MODE_SYNQUANT where Rockpool would have
 *   crashed or produced NaN
 * @spec: the integer specification, with the input's keys and shapes
 * @groups: (element-type SqGroupReport): one per layer (global) or per target neuron
 *   (channel: the hidden neurons, then the output neurons)
 * @layer: totals per layer
 * @total: totals over the whole network
 * @dashes_clipped: dashes clipped to 0…15 (synquant) or left outside it (rockpool)
 * @diagnostics: (element-type SqDiagnostic): warnings for the user
 * @rec_scale_factor: under global scaling, weights_rec's scale is the hidden group's scale
 *   times this factor; it differs from 1 only where Rockpool's defect b rescaled it
 * @weight_shift: the shift of each layer's weights (the hidden one is weight_shift_in and
 *   weight_shift_rec): thresholds and biases are scaled by 2^shift more than the weights
 */
typedef struct {
  SqQuantParams  params;
  SqMode         mode_used;
  SqXyloSpec    *spec;
  GArray        *groups;
  SqGroupReport  layer[SQ_N_LAYERS];
  SqGroupReport  total;
  gsize          dashes_clipped;
  GPtrArray     *diagnostics;
  double         rec_scale_factor;
  int            weight_shift[SQ_N_LAYERS];
} SqQuantResult;

/**
 * SqClipPoints:
 * @global: clip point of global scaling (non-fuzzy) for the layer
 * @fuzzy: clip point of global fuzzy scaling
 * @n_channels: number of target neurons
 * @channel: (array length=n_channels): clip point of each target neuron under channel
 *   scaling, with the fuzzy range when the parameters ask for it; NaN for a neuron without
 *   weights
 * @channel_min: smallest of @channel
 * @channel_max: largest of @channel
 *
 * Float weight values that map to ±Wmax under each method, for the given mode and bits.
 */
typedef struct {
  double  global;
  double  fuzzy;
  gsize   n_channels;
  double *channel;
  double  channel_min;
  double  channel_max;
} SqClipPoints;

GQuark          sq_quant_error_quark     (void);

void            sq_quant_params_init     (SqQuantParams       *params);
gboolean        sq_quant_params_check    (const SqQuantParams *params,
                                          GError             **error);
double          sq_quant_weight_max      (const SqQuantParams *params);
double          sq_quant_threshold_max   (const SqQuantParams *params);
const char     *sq_method_to_string      (SqMethod             method);
const char     *sq_mode_to_string        (SqMode               mode);
const char     *sq_layer_to_string       (SqLayer              layer);
SqLayer         sq_param_layer           (SqParam              param);

SqQuantResult  *sq_quantize              (const SqXyloSpec    *spec,
                                          const SqQuantParams *params,
                                          GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void            sq_quant_result_free     (SqQuantResult       *result);
const SqGroupReport *sq_quant_result_get_group (const SqQuantResult *result,
                                                guint                i);
void            sq_quant_result_clip_range (const SqQuantResult *result,
                                            SqLayer              layer,
                                            double              *min,
                                            double              *max);

double          sq_group_report_mse      (const SqGroupReport *report);
double          sq_group_report_sqnr_db  (const SqGroupReport *report);

double          sq_dash_tau_eff          (double               dash);

gboolean        sq_clip_points_compute   (const SqXyloSpec    *spec,
                                          SqLayer              layer,
                                          const SqQuantParams *params,
                                          SqClipPoints        *points,
                                          GError             **error);
void            sq_clip_points_clear     (SqClipPoints        *points);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqQuantResult, sq_quant_result_free)

G_END_DECLS
