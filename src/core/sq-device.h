/* sq-device.h: target devices, their limits, and whether a specification fits one
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

/**
 * SqDevice:
 * @SQ_DEVICE_XYLO_AUDIO2: Xylo Audio 2 (SYNS61201), xylosim v2
 * @SQ_DEVICE_XYLO_IMU: Xylo IMU (SYNS63300), the same v2 core
 * @SQ_DEVICE_XYLO_AUDIO3: Xylo Audio 3 (SYNS65302), the same v2 core
 * @SQ_DEVICE_XYLO_V1: Xylo v1 (SYNS61300): no bias, decay then integrate with one saturation
 *
 * The Xylo cores the simulator (sq-xylo-sim.h) runs; each Xylo profile names its own.
 */
typedef enum {
  SQ_DEVICE_XYLO_AUDIO2,
  SQ_DEVICE_XYLO_IMU,
  SQ_DEVICE_XYLO_AUDIO3,
  SQ_DEVICE_XYLO_V1,
  SQ_N_DEVICES
} SqDevice;

/* The devices Synquant knows, in the order menus list them. */
#define SQ_N_DEVICE_PROFILES 8

/**
 * SqDeviceProfile:
 * @name: the command-line name ("xylo-audio2")
 * @title: the name shown to users, untranslated ("XyloAudio 2"; a product name)
 * @chip: the chip's part number ("SYNS61201")
 * @is_xylo: whether Xylo specifications can run on it; the remaining Xylo fields are 0 otherwise
 * @device: the simulator's core for it, when @is_xylo
 * @max_inputs: input channels
 * @max_hidden: hidden neurons
 * @max_outputs: output neurons
 * @max_synapses: synaptic states per hidden neuron
 * @max_ien: hidden neurons that can receive input: the first @max_ien
 * @max_oen: hidden neurons that can drive outputs: the last @max_oen
 * @max_fanout: recurrent targets of one hidden neuron (0: no documented limit)
 * @max_rec_entries: non-zero recurrent weights in all, per synapse (0: no documented limit)
 * @max_alias_targets: alias targets per hidden neuron
 * @has_bias: whether neurons take a bias
 * @weight_min: smallest weight (all three weight matrices)
 * @weight_max: largest weight
 * @threshold_min: smallest threshold
 * @threshold_max: largest threshold
 * @bias_min: smallest bias
 * @bias_max: largest bias
 * @dash_min: smallest dash (decay bit shift)
 * @dash_max: largest dash
 * @weight_shift_min: smallest weight_shift_*
 * @weight_shift_max: largest weight_shift_*
 * @state_bits: bits of the signed, saturating synaptic current and membrane potential
 * @max_input_events: input events per channel and time step the hardware takes
 * @max_hidden_events: events per hidden neuron and time step
 * @n_cores: (DynapCNN) CNN cores
 * @max_kernel_size: (DynapCNN) largest square kernel side
 * @max_features: (DynapCNN) output features per core
 * @max_input_size: (DynapCNN) largest input map side
 * @max_output_size: (DynapCNN) largest output map side
 * @max_fanout_cores: (DynapCNN) destination cores per core
 * @kernel_memory: (DynapCNN) kernel memory entries of each core
 * @neuron_memory: (DynapCNN) neuron memory entries of each core
 * @bias_memory: (DynapCNN) bias entries of each core
 * @max_synops_per_s: (DynapCNN) synaptic operations one core executes per second; beyond it
 *   the whole chip stalls. sinabs documents the limit but not its value: this is an
 *   assumption (docs/dynapcnn.md), which users can override
 * @readout_erratum: (DynapCNN) readout channel i is fed by core channel 4·i (Speck 2e/2f
 *   errata), so the last layer's features must be spread 4 apart
 * @flash_bytes: (microcontroller) bytes the constant arrays (weights, biases) may take
 * @ram_bytes: (microcontroller) bytes the state arrays and a step's buffers may take
 *
 * The numbers are research/rockpool.md §2.3 and research/sinabs_qualia.md §A.2.
 */
typedef struct {
  const char *name;
  const char *title;
  const char *chip;
  gboolean    is_xylo;
  SqDevice    device;

  gsize       max_inputs;
  gsize       max_hidden;
  gsize       max_outputs;
  guint       max_synapses;
  gsize       max_ien;
  gsize       max_oen;
  gsize       max_fanout;
  gsize       max_rec_entries;
  guint       max_alias_targets;
  gboolean    has_bias;
  int         weight_min;
  int         weight_max;
  int         threshold_min;
  int         threshold_max;
  int         bias_min;
  int         bias_max;
  int         dash_min;
  int         dash_max;
  int         weight_shift_min;
  int         weight_shift_max;
  guint       state_bits;
  guint       max_input_events;
  guint       max_hidden_events;

  guint       n_cores;
  guint       max_kernel_size;
  guint       max_features;
  guint       max_input_size;
  guint       max_output_size;
  guint       max_fanout_cores;
  guint       kernel_memory[9];
  guint       neuron_memory[9];
  guint       bias_memory[9];
  guint64     max_synops_per_s;
  gboolean    readout_erratum;
  guint64     flash_bytes;
  guint64     ram_bytes;
} SqDeviceProfile;

const SqDeviceProfile *sq_device_profiles       (void);
const SqDeviceProfile *sq_device_profile_lookup (const char *name);
char                  *sq_device_names_string   (void) G_GNUC_WARN_UNUSED_RESULT;

/**
 * SqCheckSeverity:
 * @SQ_CHECK_VIOLATION: the device cannot hold this; an export refuses it (without --force)
 * @SQ_CHECK_SILENT_CHANGE: the device takes it, but Rockpool's configuration would change the
 *   network without saying so (dropped rows, wrapped int8, ignored synapse)
 * @SQ_CHECK_DEAD: the device holds it, but the network cannot work: every membrane forgets
 *   its potential each step (dash 0), or a layer can never fire (no positive weight, bias
 *   or threshold ≤ 0 that could ever raise it to its threshold)
 * @SQ_CHECK_NOTE: worth knowing, changes nothing (an automatic weight shift, say)
 *
 * In the order a list shows them: the worst first.
 */
typedef enum {
  SQ_CHECK_VIOLATION,
  SQ_CHECK_SILENT_CHANGE,
  SQ_CHECK_DEAD,
  SQ_CHECK_NOTE,
} SqCheckSeverity;

/**
 * SqCheckIssue:
 * @severity: how bad
 * @kind: a stable identifier for scripts and tests ("fan-out", "hidden-count", …)
 * @param: the parameter group concerned (an #SqParam), or -1 for the network as a whole
 * @index: the neuron or channel concerned, or -1
 * @message: a translated sentence with its place and numbers:
 *   "hidden neuron 812: fan-out 71 > 64"
 * @headline: (nullable): a few untranslated words, N_() marked, that fit a badge where
 *   @message does not ("Dash 0: no memory"); set for %SQ_CHECK_DEAD issues
 */
typedef struct {
  SqCheckSeverity severity;
  const char     *kind;
  int             param;
  gssize          index;
  char           *message;
  const char     *headline;
} SqCheckIssue;

/**
 * SqCheckResource:
 * @unit: translated title of the part of the device it belongs to, with what it holds
 *   ("Core 3 · Layer 0"); the bars of one unit are shown together
 * @label: untranslated name of the resource, N_() marked ("Kernel memory")
 * @used: how much of it the network takes
 * @capacity: how much the unit has
 *
 * One memory or count of the device and how much of it the network uses.
 */
typedef struct {
  char       *unit;
  const char *label;
  guint64     used;
  guint64     capacity;
} SqCheckResource;

/**
 * SqCheckReport:
 * @device: the device checked against
 * @issues: (element-type SqCheckIssue): in the order of the network (inputs, hidden, outputs)
 * @resources: (element-type SqCheckResource) (nullable): what the network uses of the
 *   device, unit by unit, where the kind says (a DynapCNN core's memories); %NULL for none
 */
typedef struct {
  const SqDeviceProfile *device;
  GPtrArray             *issues;
  GArray                *resources;
} SqCheckReport;

SqCheckReport *sq_device_check          (const SqDeviceProfile *device,
                                         const SqXyloSpec      *spec) G_GNUC_WARN_UNUSED_RESULT;
gsize          sq_check_report_count    (const SqCheckReport   *report,
                                         SqCheckSeverity        severity);
gboolean       sq_check_report_fits     (const SqCheckReport   *report);
gboolean       sq_check_report_alive    (const SqCheckReport   *report);
const SqCheckIssue *sq_check_report_first (const SqCheckReport *report,
                                           SqCheckSeverity      severity);
void          sq_check_report_add_resource (SqCheckReport   *report,
                                            const char      *unit,
                                            const char      *label,
                                            guint64          used,
                                            guint64          capacity);
char          *sq_check_report_to_string (const SqCheckReport  *report) G_GNUC_WARN_UNUSED_RESULT;
void           sq_check_report_free     (SqCheckReport         *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqCheckReport, sq_check_report_free)

G_END_DECLS
