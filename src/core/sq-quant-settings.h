/* sq-quant-settings.h: what a kind quantizes with — its options, described so menus and
 * command-line options fill themselves, a settings value of them, and what a quantization
 * computes beyond its integers and figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sq-network.h"

G_BEGIN_DECLS

/**
 * SqOptionType:
 * @SQ_OPTION_CHOICE: one of a list of named choices; the value is the choice's index
 * @SQ_OPTION_BOOL: on or off; the value is 0 or 1
 * @SQ_OPTION_INT: a whole number in @min…@max
 */
typedef enum {
  SQ_OPTION_CHOICE,
  SQ_OPTION_BOOL,
  SQ_OPTION_INT,
} SqOptionType;

/**
 * SqChoice:
 * @name: stable name, on the command line and in GSettings ("global")
 * @label: untranslated title, N_() marked ("Global")
 * @tooltip: untranslated one-sentence explanation, N_() marked, or %NULL
 * @alias: another name the command line accepts ("per-channel"), or %NULL
 */
typedef struct {
  const char *name;
  const char *label;
  const char *tooltip;
  const char *alias;
} SqChoice;

/**
 * SqOption:
 * @id: stable name: the command-line option without dashes and the GSettings key
 *   ("method", "weight-bits")
 * @label: untranslated title, N_() marked ("Weight bits")
 * @tooltip: untranslated one-sentence explanation, N_() marked
 * @noun: untranslated name inside a sentence, N_() marked ("weight bits", "the weight
 *   shift"): messages about a wrong value start with it
 * @type: the kind of value
 * @choices: (array length=n_choices): for %SQ_OPTION_CHOICE
 * @n_choices: number of @choices
 * @min: smallest value (%SQ_OPTION_INT)
 * @max: largest value (%SQ_OPTION_INT)
 * @default_value: the value a new setting has
 * @special_value: a value with a name instead of a number (-1 for "auto"), or @min - 1
 *   when there is none
 * @special_name: the name of @special_value ("auto"), or %NULL
 * @varies: sq_quant_settings_variants() tries every value (a method, a mode), rather than
 *   keeping the one given (a bit width)
 * @applies_when: (nullable): "ID=NAME": the option only acts while choice option ID is NAME
 *   (fixed point's force-q with scheme=force_q); the window makes it insensitive otherwise
 */
typedef struct {
  const char     *id;
  const char     *label;
  const char     *tooltip;
  const char     *noun;
  SqOptionType    type;
  const SqChoice *choices;
  guint           n_choices;
  int             min;
  int             max;
  int             default_value;
  int             special_value;
  const char     *special_name;
  gboolean        varies;
  const char     *applies_when;
} SqOption;

#define SQ_MAX_OPTIONS 16
#define SQ_MAX_LAYER_OPTIONS 8
#define SQ_MAX_LAYER_OVERRIDES 32

/**
 * SqLayerOverride:
 * @layer: the layer's index (sq_network_get_layer())
 * @value: one value per layer option of the kind (#SqNetworkKind.layer_options), in its
 *   order; an option's @default_value means "as the global setting"
 */
typedef struct {
  guint layer;
  int   value[SQ_MAX_LAYER_OPTIONS];
} SqLayerOverride;

/**
 * SqQuantSettings:
 * @kind: the kind whose options these are
 * @value: one value per option of @kind, in its order
 * @n_layer_overrides: entries of @layer_overrides in use
 * @layer_overrides: per-layer values of the kind's layer options, by increasing layer; a
 *   layer whose values are all "as global" has no entry
 *
 * A plain value: copy it with `=`. The layer overrides name layers by index, so they belong
 * to one network; sq_network_quantize() refuses an override of a layer the network lacks.
 */
typedef struct {
  const SqNetworkKind *kind;
  int                  value[SQ_MAX_OPTIONS];
  guint                n_layer_overrides;
  SqLayerOverride      layer_overrides[SQ_MAX_LAYER_OVERRIDES];
} SqQuantSettings;

void     sq_quant_settings_init       (SqQuantSettings       *settings,
                                       const SqNetworkKind   *kind);
gboolean sq_quant_settings_equal      (const SqQuantSettings *a,
                                       const SqQuantSettings *b);
int      sq_quant_settings_get        (const SqQuantSettings *settings,
                                       const char            *id);
gboolean sq_quant_settings_set        (SqQuantSettings       *settings,
                                       const char            *id,
                                       int                    value,
                                       GError               **error);
/* "global", "true", "12", "auto": as typed on the command line or stored in GSettings; @id
 * "layers[N].ID" is layer option ID of layer N ("layers[1].width") */
gboolean sq_quant_settings_set_string (SqQuantSettings       *settings,
                                       const char            *id,
                                       const char            *value,
                                       GError               **error);
char    *sq_quant_settings_get_string (const SqQuantSettings *settings,
                                       const char            *id) G_GNUC_WARN_UNUSED_RESULT;
/* "method=global fuzzy=false weight-bits=8 …", for reports and window titles */
char    *sq_quant_settings_to_string  (const SqQuantSettings *settings) G_GNUC_WARN_UNUSED_RESULT;
char    *sq_quant_settings_describe   (const SqQuantSettings *settings) G_GNUC_WARN_UNUSED_RESULT;
/* Per-layer overrides (#SqNetworkKind.layer_options): @id is a layer option's id */
int      sq_quant_settings_get_layer  (const SqQuantSettings *settings,
                                       guint                  layer,
                                       const char            *id);
gboolean sq_quant_settings_set_layer  (SqQuantSettings       *settings,
                                       guint                  layer,
                                       const char            *id,
                                       int                    value,
                                       GError               **error);
gboolean sq_quant_settings_set_layer_string (SqQuantSettings *settings,
                                             guint            layer,
                                             const char      *id,
                                             const char      *value,
                                             GError         **error);
char    *sq_quant_settings_get_layer_string (const SqQuantSettings *settings,
                                             guint                  layer,
                                             const char            *id)
                                             G_GNUC_WARN_UNUSED_RESULT;
/* Whether every layer override names a layer below @n_layers */
gboolean sq_quant_settings_check_layers (const SqQuantSettings  *settings,
                                         guint                   n_layers,
                                         GError                **error);
/* Whether option @option of the settings' kind acts with the other values
 * (#SqOption.applies_when) */
gboolean sq_quant_settings_applies    (const SqQuantSettings *settings,
                                       const SqOption        *option);
/* The options and layer settings as members of the object @b is in (sessions, reports) */
void     sq_quant_settings_build_json (const SqQuantSettings *settings,
                                       JsonBuilder           *b);
/* Whether the values go together (the kind's rules across options: a weight shift needs
 * Synquant mode); sq_network_quantize() checks the same. */
gboolean sq_quant_settings_check      (const SqQuantSettings *settings,
                                       GError               **error);
/* (element-type SqQuantSettings) (transfer full): every combination of the values of the
 * options that vary, the first option outermost, the others as in @base */
GArray  *sq_quant_settings_variants   (const SqQuantSettings *base);

/**
 * SqQuantizeFlags:
 * @SQ_QUANTIZE_DEFAULT: the integer network, every group's scales, clip range and levels,
 *   the figures and diagnostics: all that saving, simulating, checking, exporting and
 *   `synquant-cli` read
 * @SQ_QUANTIZE_MARKERS: also what only charts draw: every group's markers (the clip points
 *   of every method, for comparison) and per-channel clip points. They take about as long
 *   as the quantization itself (the Xylo kind computes them in a second thread), so only a
 *   caller that draws them asks.
 * @SQ_QUANTIZE_IN_PLACE: set by sq_network_quantize_consume() for the kind, never passed to
 *   sq_network_quantize(): the network was handed over by its only holder, so the kind may
 *   write the integers over its values. A kind that did sets it on the result: the result's
 *   network then holds the integers, and the verbs that read float values refuse the result.
 *
 * What sq_network_quantize() computes; the numbers it computes either way are the same.
 */
typedef enum {
  SQ_QUANTIZE_DEFAULT = 0,
  SQ_QUANTIZE_MARKERS = 1 << 0,
  SQ_QUANTIZE_IN_PLACE = 1 << 1,
} SqQuantizeFlags;

G_END_DECLS
