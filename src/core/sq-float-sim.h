/* sq-float-sim.h: the float model beside the integer core; sq-agreement.h compares the two
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-raster.h"
#include "sq-sim-result.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

typedef struct _SqFloatSim SqFloatSim;

SqFloatSim  *sq_float_sim_new          (const SqXyloSpec *spec,
                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void         sq_float_sim_free         (SqFloatSim       *sim);
void         sq_float_sim_reset        (SqFloatSim       *sim);
SqSimResult *sq_float_sim_run          (SqFloatSim       *sim,
                                        const SqRaster   *input,
                                        gboolean          record_all,
                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;
SqSimResult *sq_float_sim_run_full     (SqFloatSim       *sim,
                                        const SqRaster   *input,
                                        gboolean          record_all,
                                        GCancellable     *cancellable,
                                        SqProgressFunc    progress,
                                        gpointer          progress_data,
                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqFloatSim, sq_float_sim_free)

G_END_DECLS
