/* sq-xylo-sim.h: the Xylo integer neuron core, bit-exact with SynSense's xylosim; what a run
 * records is an SqSimResult (sq-sim-result.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-device.h"
#include "sq-raster.h"
#include "sq-sim-result.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

/* The caps of the core: input events per channel and step, hidden events per neuron and
 * step (output neurons fire at most one). */
#define SQ_XYLO_INPUT_CAP  15
#define SQ_XYLO_HIDDEN_CAP 31
#define SQ_XYLO_DASH_MAX   31

/* How often a cancellable run checks its GCancellable and reports progress, in steps. */
#define SQ_SIM_CHECK_STEPS 256

typedef struct _SqXyloSim SqXyloSim;

SqXyloSim   *sq_xylo_sim_new           (const SqXyloSpec *spec,
                                        SqDevice        device,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
void         sq_xylo_sim_free          (SqXyloSim      *sim);
void         sq_xylo_sim_reset         (SqXyloSim      *sim);
SqSimResult *sq_xylo_sim_run           (SqXyloSim      *sim,
                                        const SqRaster *input,
                                        gboolean        record_all,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
SqSimResult *sq_xylo_sim_run_full      (SqXyloSim      *sim,
                                        const SqRaster *input,
                                        gboolean        record_all,
                                        GCancellable   *cancellable,
                                        SqProgressFunc  progress,
                                        gpointer        progress_data,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqXyloSim, sq_xylo_sim_free)

G_END_DECLS
