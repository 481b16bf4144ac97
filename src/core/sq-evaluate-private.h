/* sq-evaluate-private.h: batch evaluation of any network against a baseline
 * (sq-evaluate.c), for the robustness runs inside libsynquant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* @network's @model (float or integer core of @device, %NULL the kind's default) over every
 * sample of @baseline's set, against @baseline's results; @network has @baseline's inputs
 * and outputs. Samples run in parallel; the figures do not depend on the thread count. */
SqEvaluation *_sq_evaluate_network (const SqNetwork        *network,
                                    const SqDeviceProfile  *device,
                                    SqSimModel              model,
                                    const SqEvalBaseline   *baseline,
                                    GCancellable           *cancellable,
                                    SqProgressFunc          progress,
                                    gpointer                progress_data,
                                    GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same in the calling thread, every sample on one simulator, without progress. */
SqEvaluation *_sq_evaluate_network_here (const SqNetwork        *network,
                                         const SqDeviceProfile  *device,
                                         SqSimModel              model,
                                         const SqEvalBaseline   *baseline,
                                         GCancellable           *cancellable,
                                         GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* The baseline's float model against itself, from its results. */
SqEvaluation *_sq_evaluate_baseline_itself (const SqEvalBaseline  *baseline,
                                            GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
