/* sq-network-result.h: one quantization of a network of any kind — the integer network it
 * made, per-group integers, scales, clip points and markers, per-layer and total figures —
 * saving it, and the words `synquant-cli` prints about results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sq-histogram.h"
#include "sq-network.h"
#include "sq-quant-settings.h"
#include "sq-tensor.h"

G_BEGIN_DECLS

/**
 * SqQuantFigures:
 * @n_values: values counted
 * @n_nonzero: values that are not 0 in the float network: @zeroed is a share of these (the
 *   zeros of a sparse matrix were never "zeroed" by quantization)
 * @clipped: values clipped to their integer range
 * @out_of_range: values left beyond their integer range (a compatible mode's defect)
 * @zeroed: non-zero float values that became 0
 * @signal: Σ x² of the float values
 * @noise: Σ (dequantized − float)²
 * @max_abs_error: max |dequantized − float|
 *
 * What quantization did to a set of values. Mean square error and SQNR come from the
 * helpers below so every view computes them alike.
 */
typedef struct {
  gsize  n_values;
  gsize  n_nonzero;
  gsize  clipped;
  gsize  out_of_range;
  gsize  zeroed;
  double signal;
  double noise;
  double max_abs_error;
} SqQuantFigures;

/* 10·log10 (signal / noise); +∞ when the values are reproduced exactly */
double sq_quant_figures_sqnr_db (const SqQuantFigures *figures);
double sq_quant_figures_mse     (const SqQuantFigures *figures);
/* @zeroed / @n_nonzero, the share of the non-zero values quantization made 0; NaN without
 * non-zero values. The one definition every view of a zeroed count shows. */
double sq_zeroed_share          (gsize                 zeroed,
                                 gsize                 n_nonzero);
/* "85828 of 85848 non-zero (99.98 %)": a zeroed count in words, its share never rounded to
 * 0 % or 100 % unless it is. */
char  *sq_zeroed_text           (gsize                 zeroed,
                                 gsize                 n_nonzero) G_GNUC_WARN_UNUSED_RESULT;

/**
 * SqGroupFigures:
 * @figures: what quantization did to this group's own values (not its layer's): counts,
 *   signal and the error of the dequantized values (dequantized − float, as
 *   sq_network_result_group_errors() gives it)
 * @decay: the group holds decays (%SQ_ROLE_DECAY): integers whose meaning is a time
 *   constant, so @at_lo, @at_hi and @tau_error say more than an SQNR
 * @range_lo: the smallest integer the group can hold (dash 0; −Wmax for weights)
 * @range_hi: the largest (dash 15)
 * @at_lo: values that became @range_lo
 * @at_hi: values that became @range_hi
 * @tau_error: for decays, the largest relative error of the effective time constant,
 *   |τ(integer) / τ(float) − 1| with τ from sq_dash_tau_eff() (dt cancels); 0 when every
 *   decay is exact, NaN for other groups
 *
 * The figures of one group, for a view that follows the selected group.
 */
typedef struct {
  SqQuantFigures figures;
  gboolean       decay;
  double         range_lo;
  double         range_hi;
  gsize          at_lo;
  gsize          at_hi;
  double         tau_error;
} SqGroupFigures;

/**
 * SqMarkerStyle:
 * @SQ_MARKER_PRIMARY: the first alternative (the window's accent colour: global scaling)
 * @SQ_MARKER_SECONDARY: a second alternative (warning colour: the fuzzy range)
 * @SQ_MARKER_TERTIARY: a third (success colour: per-channel clip points)
 * @SQ_MARKER_LIMIT: a hard limit of the integer range (error colour: dash 0…15)
 */
typedef enum {
  SQ_MARKER_PRIMARY,
  SQ_MARKER_SECONDARY,
  SQ_MARKER_TERTIARY,
  SQ_MARKER_LIMIT,
} SqMarkerStyle;

/**
 * SqMarker:
 * @label: untranslated label, N_() marked ("global", "fuzzy"); show it through sq_label()
 * @lo: the lower line, or the band's start
 * @hi: the upper line, or the band's end; the label goes with it
 * @band: a band from @lo to @hi rather than two lines
 * @mirrored: a band also drawn from −@hi to −@lo (clip points on both sides of zero)
 * @style: its colour
 * @dashed: lines drawn dashed
 *
 * A clip point the histogram of a group marks, in the group's own units, in drawing
 * order. The per-neuron chart draws the lines (not bands or limits) as horizontal lines
 * at @hi.
 */
typedef struct {
  const char   *label;
  double        lo;
  double        hi;
  gboolean      band;
  gboolean      mirrored;
  SqMarkerStyle style;
  gboolean      dashed;
} SqMarker;

/**
 * SqGroupResult:
 * @group: index of the group in the network
 * @values: the integer values (same shape as the group's), owned by the quantized network
 * @scale: what dequantizes the group: float ≈ integer / @scale (thresholds and biases have
 *   their layer's weight scale times 2^shift of its weight shift); NaN where every channel
 *   has its own, or where the group is not scaled (decays)
 * @scale_min: under per-channel scaling, the smallest |scale| of a channel with values
 *   (+∞ when none has any); @scale under one scale; NaN for a group that is not scaled
 * @scale_max: the largest (−∞ when none)
 * @clip_lo: float values below are clipped (or left out of range)
 * @clip_hi: float values above are clipped
 * @level_scale: the integer levels lie at k / @level_scale (the widest channel's)
 * @level_bits: signed bits of the levels (dashes: 5 for 0…15)
 * @markers: (element-type SqMarker): the clip points of every method, for comparison;
 *   empty unless the result was asked for %SQ_QUANTIZE_MARKERS
 * @channel_clip: (array length=n_channels) (nullable): each output channel's clip point
 *   under per-channel scaling; NaN for a channel without values. %NULL unless the result
 *   was asked for %SQ_QUANTIZE_MARKERS.
 * @n_channels: length of @channel_clip; 0 for a group that is not scaled, and without
 *   %SQ_QUANTIZE_MARKERS
 * @error_bound: the largest |dequantized − float| the kind knows of without a pass over
 *   the values (it sets the error histogram's range), or NaN to measure it
 *
 * One group of a result. Groups whose numbers do not quantize linearly (decays) still
 * report @clip_lo/@clip_hi and levels in their own units; @scale is then NaN.
 */
typedef struct {
  guint           group;
  const SqTensor *values;
  double          scale;
  double          scale_min;
  double          scale_max;
  double          clip_lo;
  double          clip_hi;
  double          level_scale;
  guint           level_bits;
  GArray         *markers;
  double         *channel_clip;
  gsize           n_channels;
  double          error_bound;
} SqGroupResult;

/**
 * SqLayerResult:
 * @figures: what quantization did to the layer's weights
 * @clip: the clip point of its weights under one scale; NaN when each channel has its own
 * @clip_min: under per-channel scaling, the smallest clip point of a channel with weights
 *   (+∞ when none has any); @clip under one scale
 * @clip_max: the largest (−∞ when none)
 * @scale: the scale of its weights under one scale; NaN when each channel has its own
 * @scale_min: under per-channel scaling, the smallest |scale| of a channel with weights
 *   (+∞ when none has any); @scale under one scale
 * @scale_max: the largest (−∞ when none)
 */
typedef struct {
  SqQuantFigures figures;
  double         clip;
  double         clip_min;
  double         clip_max;
  double         scale;
  double         scale_min;
  double         scale_max;
} SqLayerResult;

/**
 * SqNetworkResult:
 * @network: the network quantized (a reference); with %SQ_QUANTIZE_IN_PLACE in @flags it
 *   holds the integers, as @quantized does
 * @settings: the settings asked for
 * @flags: what was computed beyond the default (markers), and %SQ_QUANTIZE_IN_PLACE when
 *   @network's values were overwritten with the integers
 * @mode_used: the name of the mode choice that produced the result ("synquant" where a
 *   compatible mode would have crashed), or %NULL for kinds without modes
 * @quantized: the integer network of the same kind the quantization made (what simulate
 *   and save use; check and export use it for a float @network)
 * @groups: (element-type SqGroupResult): one per group of @network, in its order
 * @layers: (array length=network->layers->len): per layer
 * @total: figures over every weight group of the network
 * @in_range: every value lies within its integer range (a compatible mode may leave some
 *   outside): the result can run on hardware
 * @diagnostics: (element-type SqDiagnostic): warnings; `param` is a group index or -1
 * @compute_usec: how long quantizing took
 * @data: the kind's own result (private to the kind)
 * @free_data: frees @data
 *
 * Immutable once sq_network_quantize() returned it.
 */
struct _SqNetworkResult {
  SqNetwork       *network;
  SqQuantSettings  settings;
  SqQuantizeFlags  flags;
  const char      *mode_used;
  SqNetwork       *quantized;
  GArray          *groups;
  SqLayerResult   *layers;
  SqQuantFigures   total;
  gboolean         in_range;
  GPtrArray       *diagnostics;
  gint64           compute_usec;
  gpointer         data;
  GDestroyNotify   free_data;
};

SqNetworkResult *sq_network_result_new   (SqNetwork             *network,
                                          const SqQuantSettings *settings,
                                          gpointer               data,
                                          GDestroyNotify         free_data);
SqNetworkResult *sq_network_result_ref   (SqNetworkResult       *result);
void             sq_network_result_unref (SqNetworkResult       *result);

SqNetworkResult     *sq_network_quantize               (SqNetwork             *network,
                                                        const SqQuantSettings *settings,
                                                        SqQuantizeFlags        flags,
                                                        GCancellable          *cancellable,
                                                        GError               **error)
                                                        G_GNUC_WARN_UNUSED_RESULT;
/* For a caller that reads no float value of @network again (`synquant-cli quantize`). */
SqNetworkResult     *sq_network_quantize_consume       (SqNetwork             *network,
                                                        const SqQuantSettings *settings,
                                                        SqQuantizeFlags        flags,
                                                        GCancellable          *cancellable,
                                                        GError               **error)
                                                        G_GNUC_WARN_UNUSED_RESULT;
const SqGroupResult *sq_network_result_get_group       (const SqNetworkResult *result,
                                                        guint                  group);
/* dequantized − float of values @first … @first + @n - 1 of @group */
gboolean             sq_network_result_group_errors    (const SqNetworkResult *result,
                                                        guint                  group,
                                                        gsize                  first,
                                                        gsize                  n,
                                                        double                *errors,
                                                        GError               **error);
/* The figures of one group, in one pass over its values. */
gboolean             sq_network_result_group_figures   (const SqNetworkResult *result,
                                                        guint                  group,
                                                        SqGroupFigures        *figures,
                                                        GError               **error);
/* The histogram of dequantized − float over a group, as the window's error plot shows it:
 * over [−E, E], E the group's error bound (or its largest error), a tiny range around 0
 * when every error is 0. */
gboolean             sq_network_result_error_histogram (const SqNetworkResult *result,
                                                        guint                  group,
                                                        guint                  n_bins,
                                                        SqHistogram           *hist,
                                                        SqStats               *stats,
                                                        GError               **error);
/* Both, in the same pass (the window's analysis of the selected group). */
gboolean             sq_network_result_error_histogram_figures
                                                       (const SqNetworkResult *result,
                                                        guint                  group,
                                                        guint                  n_bins,
                                                        SqHistogram           *hist,
                                                        SqStats               *stats,
                                                        SqGroupFigures        *figures,
                                                        GError               **error);
/* Integer state per float unit of a neuron, or NaN (integer traces ÷ this share the float
 * axis). */
double               sq_network_result_state_scale     (const SqNetworkResult *result,
                                                        gboolean               output,
                                                        gsize                  index);
/* A few lines for the user: `quantize` and `export` print them. */
char                *sq_network_result_summary         (const SqNetworkResult *result)
                                                        G_GNUC_WARN_UNUSED_RESULT;
/* One line on layer @layer of a result (a fixed-point layer's widths and Q formats), or
 * %NULL when the kind has none */
char                *sq_network_result_layer_summary   (const SqNetworkResult *result,
                                                        guint                  layer)
                                                        G_GNUC_WARN_UNUSED_RESULT;
/* `quantize --report`: the result as JSON, @source named in it */
JsonNode            *sq_network_result_report          (const SqNetworkResult *result,
                                                        const char            *source)
                                                        G_GNUC_WARN_UNUSED_RESULT;
/* A few words on a result in a comparison ("" for none). */
char                *sq_network_result_note            (const SqNetworkResult *result)
                                                        G_GNUC_WARN_UNUSED_RESULT;

/* `synquant-cli compare`: @results (one per variant) as a table, and as JSON; @best is the
 * index of the row to mark, or -1. */
int       sq_network_results_best (SqNetworkResult **results,
                                   guint             n_results);
char     *sq_network_compare_text (SqNetworkResult **results,
                                   guint             n_results,
                                   int               best) G_GNUC_WARN_UNUSED_RESULT;
JsonNode *sq_network_compare_json (SqNetworkResult **results,
                                   guint             n_results,
                                   int               best) G_GNUC_WARN_UNUSED_RESULT;

/* ---------------------------------------------------------------------------------------- */
/* Save                                                                                      */

/* The bytes sq_network_save() writes to @path. */
GBytes        *sq_network_save_bytes   (const SqNetworkResult *result,
                                        const char            *path,
                                        GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* Writes the quantized network in the format of @path's extension (atomically). */
gboolean       sq_network_save         (const SqNetworkResult *result,
                                        const char            *path,
                                        GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNetworkResult, sq_network_result_unref)

G_END_DECLS
