/* sq-network.h: one model for every kind of network — the network, its groups, loading,
 * checking and exporting
 *
 * A network is a refcounted, immutable value of some kind (a Xylo specification first;
 * DynapCNN layers, fixed-point stacks and transformed copies later). Everything above the
 * core — the CLI and every page of the window — reads networks only through the model's
 * headers: the groups to list and plot (here), the settings a kind quantizes with
 * (sq-quant-settings.h), the kind with its devices and the formats it exports to
 * (sq-network-kind.h), a quantization's result (sq-network-result.h) and a simulation run
 * (sq-sim-run.h). A new kind is one module that fills an SqNetworkKind and registers it;
 * nothing outside that module switches on its keys.
 *
 * Data flow: sq_network_load → SqNetwork → sq_network_quantize → SqNetworkResult →
 * charts (groups, clip points, errors) / sq_network_simulate → SqSimRun /
 * sq_network_check / sq_network_export / sq_network_save.
 *
 * Ownership: networks, results and runs are created once, never changed after, and shared
 * by reference between threads; hold a reference (`_ref`) while you read one in another
 * thread. Getters take const pointers; ref and unref take the pointer you own. (The one
 * exception, sq_network_quantize_consume(), writes over a network only when the reference
 * its caller hands over is the only one.)
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
#include "sq-nir.h"
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
 * SqFamily:
 * @SQ_FAMILY_NONE: no family: parameter transforms leave the group alone
 * @SQ_FAMILY_WEIGHTS: Rockpool's `"weights"` (synaptic weights)
 * @SQ_FAMILY_BIASES: `"biases"` (constant input currents)
 * @SQ_FAMILY_TAUS: `"taus"` (time constants in seconds)
 * @SQ_FAMILY_DECAYS: `"decays"` (decay factors per step, α = exp(−dt/τ))
 * @SQ_FAMILY_BITSHIFTS: `"bitshifts"` (decay shifts, α = 1 − 2^−dash: Xylo's dashes)
 * @SQ_FAMILY_THRESHOLDS: `"thresholds"` (firing thresholds)
 *
 * The parameter family a group belongs to, by Rockpool's names, so one transform
 * (sq-transform.h) can name the same kind of parameter in every kind of network.
 */
typedef enum {
  SQ_FAMILY_NONE,
  SQ_FAMILY_WEIGHTS,
  SQ_FAMILY_BIASES,
  SQ_FAMILY_TAUS,
  SQ_FAMILY_DECAYS,
  SQ_FAMILY_BITSHIFTS,
  SQ_FAMILY_THRESHOLDS,
  SQ_N_FAMILIES
} SqFamily;

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
 * @native: the kind's own index of the group (an #SqParam for Xylo), which also orders the
 *   groups as the kind's files list them (`synquant-cli info`); -1 where it has none
 * @family: its parameter family, %SQ_FAMILY_NONE (0) for a group no transform of a family
 *   touches (an initial membrane)
 */
typedef struct {
  const char     *id;
  const char     *label;
  SqRole          role;
  guint           layer;
  const char     *scale;
  const SqTensor *values;
  int             native;
  SqFamily        family;
} SqGroup;

const char *sq_label          (const char          *label);
/* sq_label() without its mnemonic ("_Weight bits" → "Weight bits"), for a sentence. */
char       *sq_label_plain    (const char          *label) G_GNUC_WARN_UNUSED_RESULT;
const char *sq_role_to_string (SqRole               role);
/* Rockpool's name of @family ("weights"), or %NULL for %SQ_FAMILY_NONE. */
const char *sq_family_to_string   (SqFamily    family);
gboolean    sq_family_from_string (const char *name,
                                   SqFamily   *family);
/* The translated title of a section of groups of @role ("Weights", "Dashes"), @kind's own
 * where it names one. */
const char *sq_role_label     (const SqNetworkKind *kind,
                               SqRole               role);

/**
 * SqNeuronBlock:
 * @label: untranslated title, N_() marked ("Layer 0"); show it through sq_label()
 * @first: the block's first neuron among the hidden neurons
 * @n: its neurons
 *
 * A run of hidden neurons that form one layer, so a raster can show each layer apart.
 */
typedef struct {
  const char *label;
  gsize       first;
  gsize       n;
} SqNeuronBlock;

/* ---------------------------------------------------------------------------------------- */
/* A network                                                                                 */

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
 * @hidden_layers: (element-type SqNeuronBlock): how the hidden neurons split into layers, in
 *   order; empty when they are one layer (read it through sq_network_hidden_layers())
 * @input_shape: channels, height and width of an input made of maps (@n_inputs is their
 *   product, channel-major, then rows), or zeros for an input of plain channels
 * @is_integer: whether every value is already an integer (exported as it is)
 * @default_group: the group a new view shows first, or %G_MAXUINT for the largest weight
 *   group (read it through sq_network_default_group())
 * @warnings: (element-type utf8): what the loader ignored (unknown keys), for the user
 * @notes: (element-type utf8): what mapping from another format approximated (NIR)
 * @diagnostics: (element-type SqDiagnostic): warnings about the network itself; their
 *   `param` is a group index, or -1
 * @data: the kind's own representation (private to the kind)
 * @free_data: frees @data
 * @group_stats: (private): each group's statistics, made by sq_network_group_stats()
 * @ref_count: (private): references; sq_network_quantize_consume() asks whether its is the
 *   only one
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
  GArray              *hidden_layers;
  gsize                input_shape[3];
  gboolean             is_integer;
  guint                default_group;
  GPtrArray           *warnings;
  GPtrArray           *notes;
  GPtrArray           *diagnostics;
  gpointer             data;
  GDestroyNotify       free_data;
  GArray              *group_stats;
  gatomicrefcount      ref_count;
};

GQuark sq_network_error_quark (void);

SqNetwork *sq_network_new       (const SqNetworkKind *kind,
                                 gpointer             data,
                                 GDestroyNotify       free_data);
/* Copies @group. */
void       sq_network_add_group (SqNetwork           *network,
                                 const SqGroup       *group);
void       sq_network_add_layer (SqNetwork           *network,
                                 const SqLayerInfo   *layer);
/* Appends a layer of @n hidden neurons after the blocks before it. */
void       sq_network_add_hidden_layer (SqNetwork  *network,
                                        const char *label,
                                        gsize       n);
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
/* The statistics of group @i's values, computed when first asked for (once, in any
 * thread): a pass over 2 M values that quantizing, saving and simulating never need. */
const SqStats     *sq_network_group_stats      (const SqNetwork *network,
                                                guint            i);
gboolean           sq_network_find_group       (const SqNetwork *network,
                                                const char      *id,
                                                guint           *i);
gboolean           sq_network_group_for_native (const SqNetwork *network,
                                                int              native,
                                                guint           *i);
guint              sq_network_default_group    (const SqNetwork *network);
guint              sq_network_n_layers         (const SqNetwork *network);
/* The hidden layers (SqNeuronBlock), at least one when the network has hidden neurons: the
 * kind's blocks, or one block of every hidden neuron titled "Hidden layer". */
GArray            *sq_network_hidden_layers    (const SqNetwork *network) G_GNUC_WARN_UNUSED_RESULT;
const SqLayerInfo *sq_network_get_layer        (const SqNetwork *network,
                                                guint            layer);
/* The float threshold of neuron @index of the hidden or output layer, or NaN. */
double             sq_network_neuron_threshold (const SqNetwork *network,
                                                gboolean         output,
                                                gsize            index);

/* A new float network of @network's kind with the values of group i replaced by
 * @values[i] (%NULL keeps the group's; same shape), everything else as @network's: how a
 * transform's draw is burnt in (sq-transform.h). %SQ_NETWORK_ERROR_UNSUPPORTED for a kind
 * without it; the kind's own error for values it refuses. */
SqNetwork *sq_network_with_values (const SqNetwork      *network,
                                   const SqTensor * const *values,
                                   GError              **error) G_GNUC_WARN_UNUSED_RESULT;

/* Writes @network as it is (float or integer; a burnt-in transform) in the format of
 * @path's extension among its kind's save formats (atomically); a name with none of them
 * gets the first. */
gboolean   sq_network_write       (const SqNetwork      *network,
                                   const char           *path,
                                   GError              **error);

/* What `synquant-cli info` prints: the kind's description, every group's shape and range
 * in the order of the kind's files, and the warnings. */
char *sq_network_describe      (const SqNetwork     *network) G_GNUC_WARN_UNUSED_RESULT;
/* The same for a file: what its kind says about the file when it holds more than a
 * network (a NIR graph, and how it maps or why not), else the loaded network's text. */
char *sq_network_describe_file (const char          *path,
                                const SqLoadOptions *options,
                                GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---------------------------------------------------------------------------------------- */
/* Check and export                                                                          */

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNetwork, sq_network_unref)

G_END_DECLS
