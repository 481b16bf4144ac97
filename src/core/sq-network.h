/* sq-network.h: one model for every kind of network — groups, settings, and the verbs
 *
 * A network is a refcounted, immutable value of some kind (a Xylo specification first;
 * DynapCNN layers, fixed-point stacks and transformed copies later). Everything above the
 * core — the CLI and every page of the window — reads networks only through this header:
 * the groups to list and plot, the settings a kind quantizes with, the devices it checks
 * against, the formats it exports to. A new kind is one module that fills an
 * SqNetworkKind and registers it; nothing outside that module switches on its keys.
 *
 * Data flow: sq_network_load → SqNetwork → sq_network_quantize → SqNetworkResult →
 * charts (groups, clip points, errors) / sq_network_simulate / sq_network_check /
 * sq_network_export / sq_network_save.
 *
 * Ownership: networks, results and runs are created once, never changed after, and shared
 * by reference between threads; hold a reference (`_ref`) while you read one in another
 * thread. Getters take const pointers; ref and unref take the pointer you own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sq-agreement.h"
#include "sq-device.h"
#include "sq-diagnostic.h"
#include "sq-export.h"
#include "sq-histogram.h"
#include "sq-nir.h"
#include "sq-raster.h"
#include "sq-sim-result.h"
#include "sq-tensor.h"

G_BEGIN_DECLS

#define SQ_NETWORK_ERROR (sq_network_error_quark ())

/**
 * SqNetworkError:
 * @SQ_NETWORK_ERROR_UNKNOWN_FORMAT: no kind reads this file (no kind is registered, or the
 *   kind asked for does not read it)
 * @SQ_NETWORK_ERROR_SETTING: a setting is unknown to the kind or out of its range
 * @SQ_NETWORK_ERROR_FORMAT: an export or save format the kind does not offer
 * @SQ_NETWORK_ERROR_DEVICE: a device the kind cannot target
 * @SQ_NETWORK_ERROR_UNSUPPORTED: the kind does not offer this verb (simulation, say)
 *
 * Loaders keep their own domains (SQ_SPEC_ERROR, SQ_NIR_ERROR, …); these are the model's.
 */
typedef enum {
  SQ_NETWORK_ERROR_UNKNOWN_FORMAT = 1,
  SQ_NETWORK_ERROR_SETTING,
  SQ_NETWORK_ERROR_FORMAT,
  SQ_NETWORK_ERROR_DEVICE,
  SQ_NETWORK_ERROR_UNSUPPORTED,
} SqNetworkError;

typedef struct _SqNetworkKind   SqNetworkKind;
typedef struct _SqNetwork       SqNetwork;
typedef struct _SqNetworkResult SqNetworkResult;
typedef struct _SqSimRun        SqSimRun;

/* ---------------------------------------------------------------------------------------- */
/* Parameter groups                                                                          */

/**
 * SqRole:
 * @SQ_ROLE_WEIGHTS: synaptic weights
 * @SQ_ROLE_THRESHOLD: firing thresholds
 * @SQ_ROLE_BIAS: constant input currents
 * @SQ_ROLE_DECAY: time constants as decay shifts (Xylo's dashes) or factors
 * @SQ_ROLE_STATE: initial or stored neuron state
 *
 * What a group is for; the window titles its sections and picks its figures by role.
 */
typedef enum {
  SQ_ROLE_WEIGHTS,
  SQ_ROLE_THRESHOLD,
  SQ_ROLE_BIAS,
  SQ_ROLE_DECAY,
  SQ_ROLE_STATE,
  SQ_N_ROLES
} SqRole;

/**
 * SqLayerInfo:
 * @id: stable name ("hidden", "output", "conv0")
 * @label: untranslated title, N_() marked ("Hidden layer"); show it through sq_label()
 */
typedef struct {
  const char *id;
  const char *label;
} SqLayerInfo;

/**
 * SqGroup:
 * @id: stable name, the key in the kind's files and on the command line ("weights_rec")
 * @label: untranslated title, N_() marked ("Recurrent weights"); show it through sq_label()
 * @role: what the group is for
 * @layer: index into the network's layers
 * @scale: id of the quantization scale the group shares with others of its layer
 *   ("hidden"), or %NULL for a group that is not scaled (decays); groups with the same
 *   @scale are scaled together
 * @values: the values (float, or integer for an integer network); owned by the network
 * @stats: statistics of @values, computed by sq_network_add_group()
 * @native: the kind's own index of the group (an #SqParam for Xylo), which also orders the
 *   groups as the kind's files list them (`synquant-cli info`); -1 where it has none
 */
typedef struct {
  const char     *id;
  const char     *label;
  SqRole          role;
  guint           layer;
  const char     *scale;
  const SqTensor *values;
  SqStats         stats;
  int             native;
} SqGroup;

const char *sq_label          (const char          *label);
const char *sq_role_to_string (SqRole               role);
/* The translated title of a section of groups of @role ("Weights", "Dashes"), @kind's own
 * where it names one. */
const char *sq_role_label     (const SqNetworkKind *kind,
                               SqRole               role);

/* ---------------------------------------------------------------------------------------- */
/* Settings: what a kind quantizes with, described so menus and options fill themselves      */

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
} SqOption;

#define SQ_MAX_OPTIONS 16

/**
 * SqQuantSettings:
 * @kind: the kind whose options these are
 * @value: one value per option of @kind, in its order
 *
 * A plain value: copy it with `=`.
 */
typedef struct {
  const SqNetworkKind *kind;
  int                  value[SQ_MAX_OPTIONS];
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
/* "global", "true", "12", "auto": as typed on the command line or stored in GSettings */
gboolean sq_quant_settings_set_string (SqQuantSettings       *settings,
                                       const char            *id,
                                       const char            *value,
                                       GError               **error);
char    *sq_quant_settings_get_string (const SqQuantSettings *settings,
                                       const char            *id) G_GNUC_WARN_UNUSED_RESULT;
/* "method=global fuzzy=false weight-bits=8 …", for reports and window titles */
char    *sq_quant_settings_to_string  (const SqQuantSettings *settings) G_GNUC_WARN_UNUSED_RESULT;
/* Whether the values go together (the kind's rules across options: a weight shift needs
 * Synquant mode); sq_network_quantize() checks the same. */
gboolean sq_quant_settings_check      (const SqQuantSettings *settings,
                                       GError               **error);
/* (element-type SqQuantSettings) (transfer full): every combination of the values of the
 * options that vary, the first option outermost, the others as in @base */
GArray  *sq_quant_settings_variants   (const SqQuantSettings *base);

/* ---------------------------------------------------------------------------------------- */
/* Formats                                                                                   */

/**
 * SqFormatInfo:
 * @name: stable name, as `synquant-cli export --format` takes it ("samna-json")
 * @label: untranslated title, N_() marked
 * @extension: the file extension without the dot ("json"), or %NULL for a folder
 * @is_directory: whether the format writes a folder of files
 * @has_companion: whether it can also write a companion file
 *   (#SqExportOptions.c_source_path: the .c of a C header)
 */
typedef struct {
  const char *name;
  const char *label;
  const char *extension;
  gboolean    is_directory;
  gboolean    has_companion;
} SqFormatInfo;

/**
 * SqLoadOptions:
 * @nir: how a NIR graph from another tool maps (its time step and reset); @has_nir says
 *   whether the caller gave them. Without them, a graph that needs a time step fails with
 *   %SQ_NIR_ERROR_NEEDS_DT, so the window can ask and the CLI can name --dt.
 * @has_nir: whether @nir holds the caller's values
 * @kind: (nullable): read the file as this kind only
 *
 * Zero-initialised (or %NULL) means the defaults.
 */
typedef struct {
  SqNirMapOptions      nir;
  gboolean             has_nir;
  const SqNetworkKind *kind;
} SqLoadOptions;

/**
 * SqSimModel:
 * @SQ_SIM_FLOAT: the float model, on a float network
 * @SQ_SIM_INTEGER: the integer core of a device, on an integer network
 */
typedef enum {
  SQ_SIM_FLOAT,
  SQ_SIM_INTEGER,
} SqSimModel;

/**
 * SqSimRecord:
 * @SQ_SIM_RECORD_OUTPUT: output events only
 * @SQ_SIM_RECORD_FLOAT: the float model also records hidden events and every state
 * @SQ_SIM_RECORD_INTEGER: the integer core also records hidden events and every state
 * @SQ_SIM_RECORD_ALL: both
 */
typedef enum {
  SQ_SIM_RECORD_OUTPUT  = 0,
  SQ_SIM_RECORD_FLOAT   = 1 << 0,
  SQ_SIM_RECORD_INTEGER = 1 << 1,
  SQ_SIM_RECORD_ALL     = SQ_SIM_RECORD_FLOAT | SQ_SIM_RECORD_INTEGER,
} SqSimRecord;

/**
 * SqKindView:
 * @compare_presets: (array zero-terminated=1) (nullable): the settings of the window's
 *   compare columns in order, each "id=value …" over the defaults ("method=channel
 *   weight-bits=4"); without them the columns try the variants of the options that vary
 * @compare_shared: (array zero-terminated=1) (nullable): ids of the options every compare
 *   column takes from the Tune page instead of showing its own ("threshold-bits")
 * @compare_caption: (nullable): untranslated caption of the compare page, N_() marked, with
 *   one %s: the value of the first shared option; %NULL for the generic one
 * @save_name: (nullable): what a saved quantization's name adds to the network's: "{id}"
 *   is the value of option id, "{-id}" is "-id" when that on/off option is on
 *   ("{method}{-fuzzy}-{weight-bits}bit" → "net-channel-fuzzy-4bit"); %NULL for
 *   "quantized"
 *
 * How the window presents a kind beyond what its options and groups say. Optional: every
 * field has a generic default.
 */
typedef struct {
  const char * const *compare_presets;
  const char * const *compare_shared;
  const char         *compare_caption;
  const char         *save_name;
} SqKindView;

/* ---------------------------------------------------------------------------------------- */
/* A kind                                                                                    */

/**
 * SqNetworkKind:
 * @name: stable name ("xylo")
 * @label: untranslated title, N_() marked ("Xylo specification")
 * @options: (array length=n_options): the settings its quantization takes
 * @n_options: number of @options, at most %SQ_MAX_OPTIONS
 * @formats: (array length=n_formats): what it exports to, in menu order
 * @n_formats: number of @formats
 * @save_extensions: (array zero-terminated=1): extensions `save` writes ("json", "npz",
 *   "nir"), the default first: a name with none of them is written in the first
 * @load_extensions: (array zero-terminated=1): extensions `load` reads
 * @devices: (array zero-terminated=1): names of the device profiles it can simulate and
 *   export for, the default first
 * @role_labels: untranslated section titles per role, N_() marked ("Dashes"), or %NULL for
 *   the generic one
 * @view: (nullable): how the window presents the kind beyond its options and groups
 * @probe: whether @path (its first @head_len bytes in @head) is of this kind
 * @load: reads @path into a network of this kind
 * @check_settings: (nullable): whether the values of @settings go together
 * @quantize: quantizes a network into a result
 * @group_errors: writes dequantized − float of values @first … @first + @n - 1 of @group
 *   into @errors (the error histogram streams over a group in blocks)
 * @run: (nullable): runs one model on @network (float or integer) over @input; @device is
 *   %NULL for the float model
 * @hints: (nullable): advice in plain words about a run, translated sentences
 * @state_scale: (nullable): integer state per float unit of neuron @index (hidden or
 *   output), so an integer trace can share the float axis
 * @neuron_threshold: (nullable): the float threshold of a neuron, for traces
 * @check: checks @network (integer, or float as it is) against a device; @result is the
 *   quantization @network came from, or %NULL
 * @export: builds the files of an export (SqExportFile) of the integer @network without
 *   writing them; @result is the quantization it came from (its scales), or %NULL
 * @save: the bytes of @result's quantized network in the format of @extension
 * @describe: (nullable): the first lines `synquant-cli info` prints about a network: what
 *   it is and its sizes
 * @describe_file: (nullable): for a file that holds more than a network (a NIR graph):
 *   what `info` prints instead, or %NULL without an error for an ordinary file
 * @summary: (nullable): a few lines about a result (`quantize` prints them)
 * @report: (nullable): a result as a JSON object with at least "params", "mode_used",
 *   "summary" and "layers" (`quantize --report`, `compare --json`)
 * @note: (nullable): a few words on a result for a comparison table ("" for none)
 * @compare_table: (nullable): the text of `compare`: one row per result, the best marked
 *
 * Filled statically by the kind's module and registered once with
 * sq_network_kind_register(); every verb takes const inputs and reports failures through
 * GError. The presentation hooks (@describe … @compare_table) are optional: the core has
 * generic words for every kind.
 */
struct _SqNetworkKind {
  const char          *name;
  const char          *label;
  const SqOption      *options;
  guint                n_options;
  const SqFormatInfo  *formats;
  guint                n_formats;
  const char * const  *save_extensions;
  const char * const  *load_extensions;
  const char * const  *devices;
  const char          *role_labels[SQ_N_ROLES];
  const SqKindView    *view;

  gboolean          (*probe)            (const char            *path,
                                         const guint8          *head,
                                         gsize                  head_len);
  SqNetwork        *(*load)             (const char            *path,
                                         const SqLoadOptions   *options,
                                         GCancellable          *cancellable,
                                         SqProgressFunc         progress,
                                         gpointer               progress_data,
                                         GError               **error);
  gboolean          (*check_settings)   (const SqQuantSettings *settings,
                                         GError               **error);
  SqNetworkResult  *(*quantize)         (SqNetwork             *network,
                                         const SqQuantSettings *settings,
                                         GCancellable          *cancellable,
                                         GError               **error);
  gboolean          (*group_errors)     (const SqNetworkResult *result,
                                         guint                  group,
                                         gsize                  first,
                                         gsize                  n,
                                         double                *errors,
                                         GError               **error);
  SqSimResult      *(*run)              (const SqNetwork       *network,
                                         const SqDeviceProfile *device,
                                         const SqRaster        *input,
                                         gboolean               record_all,
                                         GCancellable          *cancellable,
                                         SqProgressFunc         progress,
                                         gpointer               progress_data,
                                         GError               **error);
  GPtrArray        *(*hints)            (const SqSimRun        *run);
  double            (*state_scale)      (const SqNetworkResult *result,
                                         gboolean               output,
                                         gsize                  index);
  double            (*neuron_threshold) (const SqNetwork       *network,
                                         gboolean               output,
                                         gsize                  index);
  SqCheckReport    *(*check)            (const SqNetwork       *network,
                                         const SqNetworkResult *result,
                                         const SqDeviceProfile *device,
                                         GError               **error);
  GPtrArray        *(*export)           (const SqNetwork       *network,
                                         const SqNetworkResult *result,
                                         const SqDeviceProfile *device,
                                         const SqFormatInfo    *format,
                                         const char            *path,
                                         const SqExportOptions *options,
                                         GError               **error);
  GBytes           *(*save)             (const SqNetworkResult *result,
                                         const char            *extension,
                                         GError               **error);

  char             *(*describe)         (const SqNetwork       *network);
  char             *(*describe_file)    (const char            *path,
                                         const SqLoadOptions   *options,
                                         GError               **error);
  char             *(*summary)          (const SqNetworkResult *result);
  JsonNode         *(*report)           (const SqNetworkResult *result,
                                         const char            *source);
  char             *(*note)             (const SqNetworkResult *result);
  char             *(*compare_table)    (SqNetworkResult      **results,
                                         guint                  n_results,
                                         int                    best);
};

void                   sq_network_kind_register     (const SqNetworkKind *kind);
/* (element-type SqNetworkKind) (transfer container): the registered kinds, Xylo first */
GPtrArray             *sq_network_kinds             (void);
const SqNetworkKind   *sq_network_kind_lookup       (const char          *name);
/* The kind sq_network_load() reads @path as (by @options, extension, then content); the
 * first kind reads what no kind recognises, and its loader says what is wrong. */
const SqNetworkKind   *sq_network_kind_for_path     (const char          *path,
                                                     const SqLoadOptions *options,
                                                     GError             **error);
const SqOption        *sq_network_kind_option       (const SqNetworkKind *kind,
                                                     const char          *id);
const SqFormatInfo    *sq_network_kind_format       (const SqNetworkKind *kind,
                                                     const char          *name);
/* "rockpool-json, samna-json, …": @kind's formats, or every registered kind's for %NULL */
char                  *sq_network_kind_format_names (const SqNetworkKind *kind)
                                                     G_GNUC_WARN_UNUSED_RESULT;
/* (element-type SqDeviceProfile) (transfer container) */
GPtrArray             *sq_network_kind_devices      (const SqNetworkKind *kind);
/* "xylo-audio2, xylo-imu, xylo-audio3 or xylo-v1": @kind's devices, the default first */
char                  *sq_network_kind_device_names (const SqNetworkKind *kind)
                                                     G_GNUC_WARN_UNUSED_RESULT;
/* One of @kind's devices by name (aliases included), or %NULL. */
const SqDeviceProfile *sq_network_kind_device       (const SqNetworkKind *kind,
                                                     const char          *name);

/* ---------------------------------------------------------------------------------------- */
/* A network                                                                                 */

/**
 * SqNetwork:
 * @kind: its kind
 * @source: the file it came from as messages name it (its display name), or %NULL
 * @path: the file it came from, or %NULL
 * @groups: (element-type SqGroup): the parameter groups, in the kind's display order
 * @layers: (element-type SqLayerInfo): the layers the groups belong to
 * @n_inputs: input channels a simulation takes
 * @n_outputs: output neurons
 * @n_hidden: hidden neurons a simulation records (#SqSimResult's @n_hidden), 0 for none
 * @n_synapses: synaptic states per hidden neuron a simulation records
 * @is_integer: whether every value is already an integer (exported as it is)
 * @default_group: the group a new view shows first, or %G_MAXUINT for the largest weight
 *   group (read it through sq_network_default_group())
 * @warnings: (element-type utf8): what the loader ignored (unknown keys), for the user
 * @notes: (element-type utf8): what mapping from another format approximated (NIR)
 * @diagnostics: (element-type SqDiagnostic): warnings about the network itself; their
 *   `param` is a group index, or -1
 * @data: the kind's own representation (private to the kind)
 * @free_data: frees @data
 *
 * Build one with sq_network_new() in a kind's loader; read-only after that.
 */
struct _SqNetwork {
  const SqNetworkKind *kind;
  char                *source;
  char                *path;
  GArray              *groups;
  GArray              *layers;
  gsize                n_inputs;
  gsize                n_outputs;
  gsize                n_hidden;
  gsize                n_synapses;
  gboolean             is_integer;
  guint                default_group;
  GPtrArray           *warnings;
  GPtrArray           *notes;
  GPtrArray           *diagnostics;
  gpointer             data;
  GDestroyNotify       free_data;
};

GQuark sq_network_error_quark (void);

SqNetwork *sq_network_new       (const SqNetworkKind *kind,
                                 gpointer             data,
                                 GDestroyNotify       free_data);
/* Copies @group and computes its statistics. */
void       sq_network_add_group (SqNetwork           *network,
                                 const SqGroup       *group);
void       sq_network_add_layer (SqNetwork           *network,
                                 const SqLayerInfo   *layer);
SqNetwork *sq_network_ref       (SqNetwork           *network);
void       sq_network_unref     (SqNetwork           *network);

/* Every format of every kind: by extension, then by content; the one entry point of the
 * CLI and the window. */
SqNetwork *sq_network_load (const char          *path,
                            const SqLoadOptions *options,
                            GCancellable        *cancellable,
                            SqProgressFunc       progress,
                            gpointer             progress_data,
                            GError             **error) G_GNUC_WARN_UNUSED_RESULT;

guint              sq_network_n_groups         (const SqNetwork *network);
const SqGroup     *sq_network_get_group        (const SqNetwork *network,
                                                guint            i);
gboolean           sq_network_find_group       (const SqNetwork *network,
                                                const char      *id,
                                                guint           *i);
gboolean           sq_network_group_for_native (const SqNetwork *network,
                                                int              native,
                                                guint           *i);
guint              sq_network_default_group    (const SqNetwork *network);
guint              sq_network_n_layers         (const SqNetwork *network);
const SqLayerInfo *sq_network_get_layer        (const SqNetwork *network,
                                                guint            layer);
/* The float threshold of neuron @index of the hidden or output layer, or NaN. */
double             sq_network_neuron_threshold (const SqNetwork *network,
                                                gboolean         output,
                                                gsize            index);

/* What `synquant-cli info` prints: the kind's description, every group's shape and range
 * in the order of the kind's files, and the warnings. */
char *sq_network_describe      (const SqNetwork     *network) G_GNUC_WARN_UNUSED_RESULT;
/* The same for a file: what its kind says about the file when it holds more than a
 * network (a NIR graph, and how it maps or why not), else the loaded network's text. */
char *sq_network_describe_file (const char          *path,
                                const SqLoadOptions *options,
                                GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---------------------------------------------------------------------------------------- */
/* A quantization                                                                            */

/**
 * SqQuantFigures:
 * @n_values: values counted
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
 * @scale: what dequantizes the group: float ≈ integer / @scale (thresholds and biases share
 *   their layer's weight scale); NaN where every channel has its own, or where the group is
 *   not scaled (decays)
 * @scale_min: under per-channel scaling, the smallest |scale| of a channel with values
 *   (+∞ when none has any); @scale under one scale; NaN for a group that is not scaled
 * @scale_max: the largest (−∞ when none)
 * @clip_lo: float values below are clipped (or left out of range)
 * @clip_hi: float values above are clipped
 * @level_scale: the integer levels lie at k / @level_scale (the widest channel's)
 * @level_bits: signed bits of the levels (dashes: 5 for 0…15)
 * @markers: (element-type SqMarker): the clip points of every method, for comparison
 * @channel_clip: (array length=n_channels) (nullable): each output channel's clip point
 *   under per-channel scaling; NaN for a channel without values
 * @n_channels: length of @channel_clip; 0 for a group that is not scaled
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
 * @network: the network quantized (a reference)
 * @settings: the settings asked for
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
/* The histogram of dequantized − float over a group, as the window's error plot shows it:
 * over [−E, E], E the group's error bound (or its largest error), a tiny range around 0
 * when every error is 0. */
gboolean             sq_network_result_error_histogram (const SqNetworkResult *result,
                                                        guint                  group,
                                                        guint                  n_bins,
                                                        SqHistogram           *hist,
                                                        SqStats               *stats,
                                                        GError               **error);
/* Integer state per float unit of a neuron, or NaN (integer traces ÷ this share the float
 * axis). */
double               sq_network_result_state_scale     (const SqNetworkResult *result,
                                                        gboolean               output,
                                                        gsize                  index);
/* A few lines for the user: `quantize` and `export` print them. */
char                *sq_network_result_summary         (const SqNetworkResult *result)
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
/* Simulation                                                                                */

/**
 * SqInputSpec:
 * @path: a raster file (CSV, .npy, JSON), or %NULL for Poisson events
 * @rates: (array length=n_rates): Poisson events per channel and step (0…15): one for
 *   every channel, or one per channel
 * @n_rates: 1 or the number of channels
 * @steps: Poisson steps
 * @seed: Poisson seed
 *
 * Where a simulation's input comes from: `simulate --input/--poisson` and the Simulate page.
 */
typedef struct {
  const char   *path;
  const double *rates;
  gsize         n_rates;
  gsize         steps;
  guint64       seed;
} SqInputSpec;

/* The raster for a network with @n_channels inputs; a file's channels are checked. */
gboolean sq_input_build (const SqInputSpec *spec,
                         gsize              n_channels,
                         SqRaster          *raster,
                         GError           **error);

/**
 * SqSimRun:
 * @result: the quantization simulated (a reference)
 * @device: the core the integer network ran on
 * @float_result: the float model on the float network
 * @int_result: the integer core on the quantized network
 * @agreement: how far they agree
 * @compute_usec: how long the run took
 *
 * `simulate --compare` and the Simulate page: one run of both models on one input.
 */
struct _SqSimRun {
  SqNetworkResult       *result;
  const SqDeviceProfile *device;
  SqSimResult           *float_result;
  SqSimResult           *int_result;
  SqAgreement           *agreement;
  gint64                 compute_usec;
};

void      sq_sim_run_unref (SqSimRun *run);

/* One model on @network as it is: `simulate` and `simulate --float`. */
SqSimResult *sq_network_run          (const SqNetwork       *network,
                                      const SqDeviceProfile *device,
                                      SqSimModel             model,
                                      const SqRaster        *input,
                                      gboolean               record_all,
                                      GCancellable          *cancellable,
                                      SqProgressFunc         progress,
                                      gpointer               progress_data,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* The float model on the float network and the integer core on the quantized one, and how
 * far they agree. Progress: the float model the first half, the integer core the second. */
SqSimRun    *sq_network_simulate     (SqNetworkResult       *result,
                                      const SqDeviceProfile *device,
                                      const SqRaster        *input,
                                      SqSimRecord            record,
                                      GCancellable          *cancellable,
                                      SqProgressFunc         progress,
                                      gpointer               progress_data,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* (element-type utf8) (transfer full): translated sentences; never empty */
GPtrArray   *sq_sim_run_hints        (const SqSimRun        *run);
/* A recording in the format of @path's extension: .npz (every array), .npy (spikes_out
 * alone) or JSON, with @agreement (nullable) as its last member. */
GBytes      *sq_sim_result_serialize (const SqSimResult     *result,
                                      const SqAgreement     *agreement,
                                      const char            *path,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---------------------------------------------------------------------------------------- */
/* Check, export, save                                                                       */

/* What a check or an export takes: an integer @network as it is, else @result's quantized
 * network; a float @network without @result as it is (a check says what does not fit). */
const SqNetwork *sq_network_exported (const SqNetwork       *network,
                                      const SqNetworkResult *result);

SqCheckReport *sq_network_check        (const SqNetwork       *network,
                                        const SqNetworkResult *result,
                                        const SqDeviceProfile *device,
                                        GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* The export's files (element-type SqExportFile), built but not written. */
GPtrArray     *sq_network_export_build (const SqNetwork       *network,
                                        const SqNetworkResult *result,
                                        const SqDeviceProfile *device,
                                        const char            *format,
                                        const char            *path,
                                        const SqExportOptions *options,
                                        GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* Builds the export and writes every file (atomically, all or none). */
gboolean       sq_network_export       (const SqNetwork       *network,
                                        const SqNetworkResult *result,
                                        const SqDeviceProfile *device,
                                        const char            *format,
                                        const char            *path,
                                        const SqExportOptions *options,
                                        GError               **error);
/* The bytes sq_network_save() writes to @path. */
GBytes        *sq_network_save_bytes   (const SqNetworkResult *result,
                                        const char            *path,
                                        GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* Writes the quantized network in the format of @path's extension (atomically). */
gboolean       sq_network_save         (const SqNetworkResult *result,
                                        const char            *path,
                                        GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNetwork, sq_network_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNetworkResult, sq_network_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSimRun, sq_sim_run_unref)

G_END_DECLS
