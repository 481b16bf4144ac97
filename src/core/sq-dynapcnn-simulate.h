/* sq-dynapcnn-simulate.h: a DynapCNN network's integer run as the CLI and the window ask for
 * it — in time steps or driven by events, on counts or an events file, with how far the two
 * modes diverge and the SynOps load per core against the device's limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-device.h"
#include "sq-dynapcnn-events.h"
#include "sq-dynapcnn-load.h"
#include "sq-events.h"
#include "sq-network.h"
#include "sq-raster.h"
#include "sq-sim-result.h"

G_BEGIN_DECLS

/**
 * SqCnnSimMode:
 * @SQ_CNN_SIM_STEP: the IAF core in time steps (sinabs's model)
 * @SQ_CNN_SIM_EVENT: the IAF core driven by events, as the chip works
 */
typedef enum {
  SQ_CNN_SIM_STEP,
  SQ_CNN_SIM_EVENT,
} SqCnnSimMode;

/* One slow-clock tick per time step: the bias once per step, as the step core adds it. */
#define SQ_CNN_LEAK_PER_STEP (-1)

/**
 * SqCnnSimOptions:
 * @mode: which core runs
 * @step_us: the time step in µs: counts are one step per row, events are counted in steps of
 *   it, and rates per second are taken at it; ≥ 1
 * @leak_hz: the event core's slow clock (0: no leak), or %SQ_CNN_LEAK_PER_STEP for
 *   10⁶ / @step_us
 * @max_synops_per_s: SynOps/s one core executes; 0 for the device's
 * @record_all: record every layer's spikes and membranes
 */
typedef struct {
  SqCnnSimMode mode;
  guint64      step_us;
  gint64       leak_hz;
  guint64      max_synops_per_s;
  gboolean     record_all;
} SqCnnSimOptions;

#define SQ_CNN_SIM_OPTIONS_INIT { SQ_CNN_SIM_STEP, 1000, SQ_CNN_LEAK_PER_STEP, 0, FALSE }

/**
 * SqCnnSimulation:
 * @mode: the core that ran
 * @result: its recording, as a run of the network model
 * @leak_hz: the slow clock the event core ran with (0 in step mode)
 * @has_divergence: event mode: the step core ran too and @divergence compares them
 * @divergence: per layer and at the output, the step run against the event run
 * @load: the SynOps per layer and core of @result's run, against the limit
 */
typedef struct {
  SqCnnSimMode     mode;
  SqSimResult     *result;
  guint32          leak_hz;
  gboolean         has_divergence;
  SqIafDivergence  divergence;
  SqCnnLoad        load;
} SqCnnSimulation;

const char *sq_cnn_sim_mode_to_string   (SqCnnSimMode           mode);
gboolean    sq_cnn_sim_mode_from_string (const char            *text,
                                         SqCnnSimMode          *mode);
gboolean    sq_dynapcnn_input_is_events (const guint8          *data,
                                         gsize                  length,
                                         gsize                  n_inputs);
gboolean    sq_dynapcnn_simulate        (const SqNetwork       *network,
                                         const SqDeviceProfile *device,
                                         const SqRaster        *counts,
                                         const SqEventList     *events,
                                         const SqCnnSimOptions *options,
                                         GCancellable          *cancellable,
                                         SqCnnSimulation       *sim,
                                         GError               **error);
gboolean    sq_dynapcnn_events_raster   (const SqNetwork       *network,
                                         const SqEventList     *events,
                                         guint64                step_us,
                                         const char            *name,
                                         SqRaster              *raster,
                                         GError               **error);
char       *sq_cnn_simulation_summary   (const SqCnnSimulation *sim) G_GNUC_WARN_UNUSED_RESULT;
void        sq_cnn_load_add_to_check    (const SqCnnLoad       *load,
                                         SqCheckReport         *report);
void        sq_cnn_simulation_clear     (SqCnnSimulation       *sim);

G_END_DECLS
