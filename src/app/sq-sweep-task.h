/* sq-sweep-task.h: a sweep of the document's network in a thread, the float model's runs
 * on a sample set kept for the next sweep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <synquant.h>

#include "sq-job.h"

G_BEGIN_DECLS

#define SQ_TYPE_SWEEP_TASK (sq_sweep_task_get_type ())

G_DECLARE_FINAL_TYPE (SqSweepTask, sq_sweep_task, SQ, SWEEP_TASK, SqJob)

SqSweepTask          *sq_sweep_task_new          (void);
void                  sq_sweep_task_run          (SqSweepTask           *self,
                                                  SqSweep               *sweep,
                                                  const SqDeviceProfile *device,
                                                  const char            *samples);
void                  sq_sweep_task_forget       (SqSweepTask           *self);
const SqSweep        *sq_sweep_task_get_sweep    (SqSweepTask           *self);
const SqSampleSet    *sq_sweep_task_get_samples  (SqSweepTask           *self);
const SqEvalBaseline *sq_sweep_task_get_baseline (SqSweepTask           *self);

G_END_DECLS
