/* sq-network-kind.h: a kind of network — the table of verbs a kind's module fills (load,
 * quantize, simulate, check, export, save and the words for each), its formats and how the
 * window presents it, and the registry of kinds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sq-device.h"
#include "sq-export.h"
#include "sq-network.h"
#include "sq-network-result.h"
#include "sq-quant-settings.h"
#include "sq-raster.h"
#include "sq-sim-result.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------------------------------- */
/* Formats and presentation                                                                  */

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
 * @sections_by_layer: the Tune page's sidebar puts the groups under their layer's label
 *   (a network of many layers with a few groups each) instead of their role's section title,
 *   each row titled with its role
 * @sweep_x: (nullable): the option the Sweep page's x axis sweeps: a whole number, or a
 *   choice whose names' aliases are numbers ("int8" as "8"), all of whose choices are swept;
 *   %NULL for "weight-bits"
 * @sweep_series: (nullable): the choice option the Sweep page draws a curve per value of;
 *   %NULL for "method"
 *
 * How the window presents a kind beyond what its options and groups say. Optional: every
 * field has a generic default.
 */
typedef struct {
  const char * const *compare_presets;
  const char * const *compare_shared;
  const char         *compare_caption;
  const char         *save_name;
  gboolean            sections_by_layer;
  const char         *sweep_x;
  const char         *sweep_series;
} SqKindView;

/* ---------------------------------------------------------------------------------------- */
/* A kind                                                                                    */

/**
 * SqNetworkKind:
 * @name: stable name ("xylo")
 * @label: untranslated title, N_() marked ("Xylo specification")
 * @options: (array length=n_options): the settings its quantization takes
 * @n_options: number of @options, at most %SQ_MAX_OPTIONS
 * @layer_options: (array length=n_layer_options) (nullable): the settings one layer may
 *   override (#SqQuantSettings.layer_overrides); each option's @default_value stands for
 *   "as the global setting" (a choice's first entry, an integer's special value)
 * @n_layer_options: number of @layer_options, at most %SQ_MAX_LAYER_OPTIONS
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
 * @quantize: quantizes a network into a result; what @flags asks beyond the default may be
 *   left out when not asked (markers and per-channel clip points)
 * @group_errors: writes dequantized − float of values @first … @first + @n - 1 of @group
 *   into @errors (the error histogram streams over a group in blocks)
 * @group_figures: (nullable): @group_errors that also adds the figures of those values
 *   into @figures (#SqGroupFigures: counts, sums, ends of the range), so the error histogram
 *   and the figures of a group take one pass; without it they come from the values and
 *   @group_errors at the group's level scale
 * @sparse_errors: (nullable): adds every error of @group to @hist (initialised, or %NULL)
 *   and @stats, as the blocks of @group_errors would, without computing the errors it knows
 *   to be +0.0 (those of the zeros of a sparse matrix); with @part_figures, also the figures
 *   @group_figures adds when called on blocks of @block values from the first, those of
 *   the values of part k (@part values each, a multiple of @block) into @part_figures[k]
 *   (initialised), each sum added in the dense pass's order so its bits are the same;
 *   returns %FALSE, touching nothing, to leave the group to @group_errors
 * @run: (nullable): runs one model on @network (float or integer) over @input; @device is
 *   %NULL for the float model
 * @runner_new: (nullable): prepares @run's simulator once for many inputs (a batch of
 *   samples): what depends only on the network is built here, not per input
 * @runner_run: (nullable): @run without recording everything, from the power-up state, on
 *   a prepared simulator; the same result as @run
 * @runner_free: (nullable): frees what @runner_new made
 * @hints: (nullable): advice in plain words about a run, translated sentences
 * @state_scale: (nullable): integer state per float unit of neuron @index (hidden or
 *   output), so an integer trace can share the float axis
 * @neuron_threshold: (nullable): the float threshold of a neuron, for traces
 * @check: checks @network (integer, or float as it is) against a device; @result is the
 *   quantization @network came from, or %NULL
 * @export: builds the files of an export (SqExportFile) of the integer @network without
 *   writing them; @result is the quantization it came from (its scales), or %NULL
 * @save: the bytes of @result's quantized network in the format of @extension
 * @write: (nullable): the bytes of @network as it is (a transformed float network) in the
 *   format of @extension, one of @save_extensions; what sq_network_write() calls
 * @with_values: (nullable): a new float network like @network with the values of group i
 *   replaced by @values[i] where not %NULL (each of the group's shape); what
 *   sq_network_with_values() calls
 * @describe: (nullable): the first lines `synquant-cli info` prints about a network: what
 *   it is and its sizes
 * @describe_file: (nullable): for a file that holds more than a network (a NIR graph):
 *   what `info` prints instead, or %NULL without an error for an ordinary file
 * @summary: (nullable): a few lines about a result (`quantize` prints them)
 * @report: (nullable): a result as a JSON object with at least "params", "mode_used",
 *   "summary" and "layers" (`quantize --report`, `compare --json`)
 * @note: (nullable): a few words on a result for a comparison table ("" for none)
 * @layer_summary: (nullable): one line on a layer of a result: the formats its layer options
 *   chose (the window shows it beside them)
 * @overflow_figure: (nullable): what a run's integer core counted leaving its types, in a
 *   few words, where the Xylo core's saturations mean nothing (fixed point's wraps or
 *   saturations per layer under its overflow policy)
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
  const SqOption      *layer_options;
  guint                n_layer_options;
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
                                         SqQuantizeFlags        flags,
                                         GCancellable          *cancellable,
                                         GError               **error);
  gboolean          (*group_errors)     (const SqNetworkResult *result,
                                         guint                  group,
                                         gsize                  first,
                                         gsize                  n,
                                         double                *errors,
                                         GError               **error);
  gboolean          (*group_figures)    (const SqNetworkResult *result,
                                         guint                  group,
                                         gsize                  first,
                                         gsize                  n,
                                         SqGroupFigures        *figures,
                                         double                *errors,
                                         GError               **error);
  gboolean          (*sparse_errors)    (const SqNetworkResult *result,
                                         guint                  group,
                                         gsize                  block,
                                         gsize                  part,
                                         SqGroupFigures        *part_figures,
                                         SqHistogram           *hist,
                                         SqStats               *stats);
  SqSimResult      *(*run)              (const SqNetwork       *network,
                                         const SqDeviceProfile *device,
                                         const SqRaster        *input,
                                         gboolean               record_all,
                                         GCancellable          *cancellable,
                                         SqProgressFunc         progress,
                                         gpointer               progress_data,
                                         GError               **error);
  gpointer          (*runner_new)       (const SqNetwork       *network,
                                         const SqDeviceProfile *device,
                                         GError               **error);
  SqSimResult      *(*runner_run)       (gpointer               runner,
                                         const SqRaster        *input,
                                         GCancellable          *cancellable,
                                         GError               **error);
  void              (*runner_free)      (gpointer               runner);
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
  GBytes           *(*write)            (const SqNetwork       *network,
                                         const char            *extension,
                                         GError               **error);
  SqNetwork        *(*with_values)      (const SqNetwork       *network,
                                         const SqTensor * const *values,
                                         GError               **error);

  char             *(*describe)         (const SqNetwork       *network);
  char             *(*describe_file)    (const char            *path,
                                         const SqLoadOptions   *options,
                                         GError               **error);
  char             *(*summary)          (const SqNetworkResult *result);
  JsonNode         *(*report)           (const SqNetworkResult *result,
                                         const char            *source);
  char             *(*note)             (const SqNetworkResult *result);
  char             *(*layer_summary)    (const SqNetworkResult *result,
                                         guint                  layer);
  char             *(*overflow_figure)  (const SqSimRun        *run);
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

G_END_DECLS
