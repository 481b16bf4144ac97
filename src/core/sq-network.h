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

#include "sq-device.h"
#include "sq-diagnostic.h"
#include "sq-export.h"
#include "sq-float-sim.h"
#include "sq-histogram.h"
#include "sq-nir.h"
#include "sq-raster.h"
#include "sq-tensor.h"
#include "sq-xylo-sim.h"

G_BEGIN_DECLS

#define SQ_NETWORK_ERROR (sq_network_error_quark ())

/**
 * SqNetworkError:
 * @SQ_NETWORK_ERROR_UNKNOWN_FORMAT: no kind reads this file (the message lists what is read)
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
 *   ("hidden"); groups with the same @scale are scaled together
 * @values: the values (float, or integer for an integer network); owned by the network
 * @stats: statistics of @values, computed once at load
 * @native: the kind's own index of the group (an #SqParam for Xylo); -1 where it has none
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

const char *sq_label          (const char *label);
const char *sq_role_to_string (SqRole      role);

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
 */
typedef struct {
  const char *name;
  const char *label;
  const char *tooltip;
} SqChoice;

/**
 * SqOption:
 * @id: stable name: the command-line option without dashes and the GSettings key
 *   ("method", "weight-bits")
 * @label: untranslated title, N_() marked ("Weight bits")
 * @tooltip: untranslated one-sentence explanation, N_() marked
 * @type: the kind of value
 * @choices: (array length=n_choices): for %SQ_OPTION_CHOICE
 * @n_choices: number of @choices
 * @min: smallest value (%SQ_OPTION_INT)
 * @max: largest value (%SQ_OPTION_INT)
 * @default_value: the value a new setting has
 * @special_value: a value with a name instead of a number (-1 for "auto"), or @min - 1
 *   when there is none
 * @special_name: the name of @special_value ("auto"), or %NULL
 */
typedef struct {
  const char     *id;
  const char     *label;
  const char     *tooltip;
  SqOptionType    type;
  const SqChoice *choices;
  guint           n_choices;
  int             min;
  int             max;
  int             default_value;
  int             special_value;
  const char     *special_name;
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

void        sq_quant_settings_init       (SqQuantSettings       *settings,
                                          const SqNetworkKind   *kind);
gboolean    sq_quant_settings_equal      (const SqQuantSettings *a,
                                          const SqQuantSettings *b);
int         sq_quant_settings_get        (const SqQuantSettings *settings,
                                          const char            *id);
gboolean    sq_quant_settings_set        (SqQuantSettings       *settings,
                                          const char            *id,
                                          int                    value,
                                          GError               **error);
/* "global", "true", "12", "auto": as typed on the command line or stored in GSettings */
gboolean    sq_quant_settings_set_string (SqQuantSettings       *settings,
                                          const char            *id,
                                          const char            *value,
                                          GError               **error);
char       *sq_quant_settings_get_string (const SqQuantSettings *settings,
                                          const char            *id) G_GNUC_WARN_UNUSED_RESULT;
/* "method=global fuzzy=false weight-bits=8 …", for reports and window titles */
char       *sq_quant_settings_to_string  (const SqQuantSettings *settings) G_GNUC_WARN_UNUSED_RESULT;

/* ---------------------------------------------------------------------------------------- */
/* Formats                                                                                   */

/**
 * SqFormatInfo:
 * @name: stable name, as `synquant-cli export --format` takes it ("samna-json")
 * @label: untranslated title, N_() marked
 * @extension: the file extension without the dot ("json"), or %NULL for a folder
 * @is_directory: whether the format writes a folder of files
 */
typedef struct {
  const char *name;
  const char *label;
  const char *extension;
  gboolean    is_directory;
} SqFormatInfo;

/**
 * SqLoadOptions:
 * @nir: how a NIR graph from another tool maps (its time step and reset); @has_nir says
 *   whether the caller gave them. Without them, a graph that needs a time step fails with
 *   %SQ_NIR_ERROR_NEEDS_DT, so the window can ask and the CLI can name --dt.
 * @kind: (nullable): read the file as this kind only
 *
 * Zero-initialised means the defaults.
 */
typedef struct {
  SqNirMapOptions      nir;
  gboolean             has_nir;
  const SqNetworkKind *kind;
} SqLoadOptions;

/* ---------------------------------------------------------------------------------------- */
/* A kind                                                                                    */

/**
 * SqNetworkKind:
 * @name: stable name ("xylo")
 * @label: untranslated title, N_() marked ("Xylo specification")
 * @options: (array length=n_options): the settings its quantization takes
 * @formats: (array length=n_formats): what it exports to, in menu order
 * @save_extensions: (array zero-terminated=1): extensions `save` writes ("json", "npz",
 *   "nir")
 * @load_extensions: (array zero-terminated=1): extensions `load` reads
 * @devices: (array zero-terminated=1): names of the device profiles it can target, the
 *   default first
 * @probe: whether @path (its first @head_len bytes in @head) is of this kind
 * @load: reads @path into a network of this kind
 * @quantize: quantizes a network into a result
 * @group_errors: writes dequantized − float of @group's every value into @errors
 *   (`values->n` doubles)
 * @simulate: runs the float model and the integer core on @input (may be %NULL)
 * @hints: advice in plain words about a run (may be %NULL)
 * @check: checks what an export would write against a device
 * @export: builds the files of an export (SqExportFile) without writing them
 * @save: the bytes of the quantized network (or the network itself, when it is integer)
 *   in the format of @extension
 * @neuron_threshold: the float threshold of a neuron, for traces (%NAN where it has none)
 *
 * Filled statically by the kind's module and registered once with
 * sq_network_kind_register(); every verb takes const inputs and reports failures through
 * GError.
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

  gboolean          (*probe)            (const char            *path,
                                         const guint8          *head,
                                         gsize                  head_len);
  SqNetwork        *(*load)             (const char            *path,
                                         const SqLoadOptions   *options,
                                         GCancellable          *cancellable,
                                         SqProgressFunc         progress,
                                         gpointer               progress_data,
                                         GError               **error);
  SqNetworkResult  *(*quantize)         (SqNetwork             *network,
                                         const SqQuantSettings *settings,
                                         GCancellable          *cancellable,
                                         GError               **error);
  gboolean          (*group_errors)     (const SqNetworkResult *result,
                                         guint                  group,
                                         double                *errors,
                                         GError               **error);
  SqSimRun         *(*simulate)         (SqNetworkResult       *result,
                                         const SqDeviceProfile *device,
                                         const SqRaster        *input,
                                         gboolean               record_all,
                                         GCancellable          *cancellable,
                                         SqProgressFunc         progress,
                                         gpointer               progress_data,
                                         GError               **error);
  GPtrArray        *(*hints)            (const SqSimRun        *run);
  SqCheckReport    *(*check)            (const SqNetworkResult *result,
                                         const SqDeviceProfile *device,
                                         GError               **error);
  GPtrArray        *(*export)           (const SqNetworkResult *result,
                                         const SqDeviceProfile *device,
                                         const SqFormatInfo    *format,
                                         const char            *path,
                                         const SqExportOptions *options,
                                         GError               **error);
  GBytes           *(*save)             (const SqNetworkResult *result,
                                         const char            *extension,
                                         GError               **error);
  double            (*neuron_threshold) (const SqNetwork       *network,
                                         gboolean               output,
                                         gsize                  index);
};

void                 sq_network_kind_register  (const SqNetworkKind *kind);
/* (element-type SqNetworkKind) (transfer container): the registered kinds, Xylo first */
GPtrArray           *sq_network_kinds          (void);
const SqNetworkKind *sq_network_kind_lookup    (const char          *name);
const SqOption      *sq_network_kind_option    (const SqNetworkKind *kind,
                                                const char          *id);
const SqFormatInfo  *sq_network_kind_format    (const SqNetworkKind *kind,
                                                const char          *name);
/* (element-type SqDeviceProfile) (transfer container) */
GPtrArray           *sq_network_kind_devices   (const SqNetworkKind *kind);
gboolean             sq_network_kind_can_save  (const SqNetworkKind *kind,
                                                const char          *path);

/* ---------------------------------------------------------------------------------------- */
/* A network                                                                                 */

/**
 * SqNetwork:
 * @kind: its kind
 * @source: display name of the file it came from (basename), or %NULL
 * @path: the file it came from, or %NULL
 * @groups: (element-type SqGroup): the parameter groups, in the kind's display order
 * @layers: (element-type SqLayerInfo): the layers the groups belong to
 * @n_inputs: input channels a simulation takes
 * @n_outputs: output neurons
 * @is_integer: whether every value is already an integer (nothing to quantize)
 * @notes: (element-type utf8): what loading approximated or ignored, for the user
 * @diagnostics: (element-type SqDiagnostic): warnings about the network itself; their
 *   `param` is a group index, or -1
 * @data: the kind's own representation (an #SqXyloSpec for Xylo)
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
  gboolean             is_integer;
  GPtrArray           *notes;
  GPtrArray           *diagnostics;
  gpointer             data;
  GDestroyNotify       free_data;
};

GQuark           sq_network_error_quark   (void);

SqNetwork       *sq_network_new           (const SqNetworkKind   *kind,
                                           gpointer               data,
                                           GDestroyNotify         free_data);
void             sq_network_add_group     (SqNetwork             *network,
                                           const SqGroup         *group);
SqNetwork       *sq_network_ref           (SqNetwork             *network);
void             sq_network_unref         (SqNetwork             *network);

/* Every format of every kind: by extension, then by content; the one entry point of the
 * CLI and the window. */
SqNetwork       *sq_network_load          (const char            *path,
                                           const SqLoadOptions   *options,
                                           GCancellable          *cancellable,
                                           SqProgressFunc         progress,
                                           gpointer               progress_data,
                                           GError               **error) G_GNUC_WARN_UNUSED_RESULT;

guint            sq_network_n_groups      (const SqNetwork       *network);
const SqGroup   *sq_network_get_group     (const SqNetwork       *network,
                                           guint                  i);
gboolean         sq_network_find_group    (const SqNetwork       *network,
                                           const char            *id,
                                           guint                 *i);
gboolean         sq_network_group_for_native (const SqNetwork    *network,
                                              int                 native,
                                              guint              *i);
/* The group a new view shows first: the largest weight group. */
guint            sq_network_default_group (const SqNetwork       *network);
const SqLayerInfo *sq_network_get_layer   (const SqNetwork       *network,
                                           guint                  layer);
guint            sq_network_n_layers      (const SqNetwork       *network);

/* ---------------------------------------------------------------------------------------- */
/* A quantization                                                                            */

/**
 * SqQuantFigures:
 * @n_values: values counted
 * @n_nonzero: of them, non-zero in the float network
 * @clipped: values clipped to their integer range
 * @out_of_range: values left beyond their integer range (a compatible mode's defect)
 * @zeroed: non-zero float values that became 0
 * @signal: Σ x² of the float values
 * @noise: Σ (dequantized − float)²
 * @max_abs_error: max |dequantized − float|
 *
 * What quantization did to a set of values. Shares (zeroed of non-zero) and SQNR come from
 * the helpers below so every view computes them alike.
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

double sq_quant_figures_sqnr_db (const SqQuantFigures *figures);
double sq_quant_figures_mse     (const SqQuantFigures *figures);

/**
 * SqMarker:
 * @label: untranslated label, N_() marked ("global", "fuzzy")
 * @lo: the clip point below zero (or the band's start)
 * @hi: the clip point above zero (or the band's end)
 * @band: whether the marker is a band from @lo to @hi (the spread of per-channel clip
 *   points) rather than two lines at @lo and @hi
 * @style: 0 (the current setting's colour), 1, 2, …: distinct colours for alternatives
 * @dashed: drawn dashed
 *
 * A clip point the histogram marks, in the group's own units.
 */
typedef struct {
  const char *label;
  double      lo;
  double      hi;
  gboolean    band;
  guint       style;
  gboolean    dashed;
} SqMarker;

/**
 * SqGroupResult:
 * @group: index of the group in the network
 * @values: the integer values (same shape as the group's)
 * @scale: integer = rint (float × @scale); NaN where every channel has its own
 * @scale_min: the smallest channel scale (= @scale for one scale)
 * @scale_max: the largest channel scale
 * @clip_lo: float values below are clipped (or left out of range)
 * @clip_hi: float values above are clipped
 * @level_scale: the integer levels lie at k / @level_scale (the widest channel's)
 * @level_bits: signed bits of the levels (dashes: 5 for 0…15)
 * @markers: (element-type SqMarker): the clip points of other methods, for comparison
 * @channel_clip: (array length=n_channels) (nullable): each output channel's clip point
 *   under per-channel scaling; NaN for a channel without values
 * @n_channels: length of @channel_clip
 * @figures: what quantization did to this group
 *
 * One group of a result. Groups whose numbers do not quantize linearly (decays) still
 * report @figures and @clip_lo/@clip_hi in their own units; @scale is then NaN.
 */
typedef struct {
  guint      group;
  SqTensor   values;
  double     scale;
  double     scale_min;
  double     scale_max;
  double     clip_lo;
  double     clip_hi;
  double     level_scale;
  guint      level_bits;
  GArray    *markers;
  double    *channel_clip;
  gsize      n_channels;
  SqQuantFigures  figures;
} SqGroupResult;

/**
 * SqNetworkResult:
 * @network: the network quantized (a reference)
 * @settings: the settings asked for
 * @mode_used: the name of the mode choice that produced the result ("synquant" where a
 *   compatible mode would have crashed), or %NULL for kinds without modes
 * @quantized: the integer network, the same kind (what simulate, check, export and save
 *   use); the network itself (a reference) when it was integer already
 * @groups: (element-type SqGroupResult): one per group of @network, in its order
 * @layers: (array length=network->layers->len): figures per layer, over its weight groups
 * @total: figures over every weight group of the network
 * @diagnostics: (element-type SqDiagnostic): warnings; `param` is a group index or -1
 * @compute_usec: how long quantizing took
 * @data: the kind's own result (an #SqQuantResult for Xylo)
 *
 * Immutable once sq_network_quantize() returned it.
 */
struct _SqNetworkResult {
  SqNetwork       *network;
  SqQuantSettings  settings;
  const char      *mode_used;
  SqNetwork       *quantized;
  GArray          *groups;
  SqQuantFigures       *layers;
  SqQuantFigures        total;
  GPtrArray       *diagnostics;
  gint64           compute_usec;
  gpointer         data;
  GDestroyNotify   free_data;
};

SqNetworkResult     *sq_network_result_new    (SqNetwork             *network,
                                               const SqQuantSettings *settings,
                                               gpointer               data,
                                               GDestroyNotify         free_data);
SqNetworkResult     *sq_network_result_ref    (SqNetworkResult       *result);
void                 sq_network_result_unref  (SqNetworkResult       *result);

SqNetworkResult     *sq_network_quantize      (SqNetwork             *network,
                                               const SqQuantSettings *settings,
                                               GCancellable          *cancellable,
                                               GError               **error) G_GNUC_WARN_UNUSED_RESULT;
const SqGroupResult *sq_network_result_get_group (const SqNetworkResult *result,
                                                  guint                  group);
/* The histogram of dequantized − float over a group, as the window's error plot shows it. */
gboolean             sq_network_result_error_histogram (const SqNetworkResult *result,
                                                        guint                  group,
                                                        guint                  n_bins,
                                                        SqHistogram           *hist,
                                                        SqStats               *stats,
                                                        GError               **error);

/* ---------------------------------------------------------------------------------------- */
/* Simulation, check, export, save                                                           */

/**
 * SqInputSpec:
 * @path: a raster file (CSV, .npy, JSON), or %NULL for Poisson events
 * @rate: Poisson events per channel and step (0…15)
 * @steps: Poisson steps
 * @seed: Poisson seed
 *
 * Where a simulation's input comes from: `simulate --input/--poisson` and the Simulate page.
 */
typedef struct {
  const char *path;
  double      rate;
  gsize       steps;
  guint64     seed;
} SqInputSpec;

gboolean   sq_input_build            (const SqInputSpec     *spec,
                                      gsize                  n_channels,
                                      SqRaster              *raster,
                                      GError               **error);

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

SqSimRun  *sq_sim_run_new            (SqNetworkResult       *result,
                                      const SqDeviceProfile *device);
SqSimRun  *sq_sim_run_ref            (SqSimRun              *run);
void       sq_sim_run_unref          (SqSimRun              *run);

SqSimRun  *sq_network_simulate       (SqNetworkResult       *result,
                                      const SqDeviceProfile *device,
                                      const SqRaster        *input,
                                      gboolean               record_all,
                                      GCancellable          *cancellable,
                                      SqProgressFunc         progress,
                                      gpointer               progress_data,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* (element-type utf8) (transfer full): translated sentences; never empty */
GPtrArray *sq_sim_run_hints          (const SqSimRun        *run);

SqCheckReport *sq_network_check      (const SqNetworkResult *result,
                                      const SqDeviceProfile *device,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean   sq_network_export         (const SqNetworkResult *result,
                                      const SqDeviceProfile *device,
                                      const char            *format,
                                      const char            *path,
                                      const SqExportOptions *options,
                                      GError               **error);
/* Writes the quantized network in the format of @path's extension (atomically). */
gboolean   sq_network_save           (const SqNetworkResult *result,
                                      const char            *path,
                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNetwork, sq_network_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNetworkResult, sq_network_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSimRun, sq_sim_run_unref)

G_END_DECLS
