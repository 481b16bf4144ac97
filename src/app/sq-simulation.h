/* sq-simulation.h: the float model and the integer core on one input, in a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <synquant.h>

#include "sq-analysis.h"
#include "sq-job.h"

G_BEGIN_DECLS

/* Hidden events and state traces are recorded while steps × hidden neurons × (1 + synapses)
 * stays within this many values (about 330 MB with the float traces); longer runs record
 * the outputs only. */
#define SQ_SIMULATION_RECORD_BUDGET ((gsize) 32 * 1000 * 1000)

/* A run is short, and re-runs by itself when the quantization changes, while steps × hidden
 * neurons stays within this: a few tens of milliseconds on a Xylo-size network. */
#define SQ_SIMULATION_AUTO_BUDGET ((gsize) 2 * 1000 * 1000)

/**
 * SqSimInput:
 * @path: (nullable): a raster file (CSV, .npy, JSON) or a sample set (.npz: its first
 *   sample); %NULL for Poisson events
 * @rate: Poisson events per step and channel
 * @steps: Poisson time steps
 * @seed: Poisson seed, as `synquant-cli simulate --seed`
 * @event_mode: (DynapCNN) also run the integer core driven by events, as `synquant-cli
 *   simulate --mode event` does, and compare it with the time steps
 */
typedef struct {
  char    *path;
  double   rate;
  gsize    steps;
  guint64  seed;
  gboolean event_mode;
} SqSimInput;

/**
 * SqSimulationResult:
 * @input: the input raster both models ran on
 * @analysis: the quantization whose integer network the core ran
 * @run: the float model on the document's network, the integer core of the device on the
 *   quantized one, and how far they agree, as `synquant-cli simulate --compare` runs them
 * @recorded: hidden events and traces were asked of both models
 * @cnn: (nullable): with #SqSimInput.event_mode on a DynapCNN network, the event-driven
 *   run on the same input, its divergence from the time steps and its SynOps load
 * @compute_usec: how long the thread took
 *
 * Immutable once handed to the main thread, and reference counted, so the charts can hold
 * its arrays.
 */
typedef struct {
  SqRaster          input;
  SqAnalysisResult *analysis;
  SqSimRun         *run;
  gboolean          recorded;
  SqCnnSimulation  *cnn;
  gint64            compute_usec;
} SqSimulationResult;

SqSimulationResult *sq_simulation_result_ref   (SqSimulationResult *result);
void                sq_simulation_result_unref (SqSimulationResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSimulationResult, sq_simulation_result_unref)

#define SQ_TYPE_SIMULATION (sq_simulation_get_type ())

G_DECLARE_FINAL_TYPE (SqSimulation, sq_simulation, SQ, SIMULATION, SqJob)

SqSimulation             *sq_simulation_new          (void);
void                      sq_simulation_run          (SqSimulation          *self,
                                                      SqAnalysisResult      *analysis,
                                                      const SqDeviceProfile *device,
                                                      const SqSimInput      *input);
void                      sq_simulation_cancel       (SqSimulation      *self);
gboolean                  sq_simulation_get_busy     (SqSimulation      *self);
double                    sq_simulation_get_progress (SqSimulation      *self);
const SqSimulationResult *sq_simulation_get_result   (SqSimulation      *self);
SqSimulationResult       *sq_simulation_dup_result   (SqSimulation      *self)
                                                      G_GNUC_WARN_UNUSED_RESULT;
const GError             *sq_simulation_get_error    (SqSimulation      *self);

G_END_DECLS
