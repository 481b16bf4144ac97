/* sq-sim-run.h: simulating a quantization — the input a run takes, the float and integer
 * models run side by side with their agreement, and the plain-language hints about a run
 * (`synquant-cli simulate` and the window's Simulate page)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-agreement.h"
#include "sq-device.h"
#include "sq-network.h"
#include "sq-raster.h"
#include "sq-sim-result.h"

G_BEGIN_DECLS

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
 * SqInputSpec:
 * @path: a raster file (CSV, .npy, JSON), a sample set (.npz, sq-sample-set.h: its first
 *   sample), or %NULL for Poisson events
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
/* The kind's count of values that left their type ("57 wraps: layer 1 57"), or %NULL when
 * the kind has none (the Xylo core's saturations say it) */
char        *sq_sim_run_overflow_figure (const SqSimRun     *run) G_GNUC_WARN_UNUSED_RESULT;
/* A recording in the format of @path's extension: .npz (every array), .npy (spikes_out
 * alone) or JSON, with @agreement (nullable) as its last member. */
GBytes      *sq_sim_result_serialize (const SqSimResult     *result,
                                      const SqAgreement     *agreement,
                                      const char            *path,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSimRun, sq_sim_run_unref)

G_END_DECLS
