/* sq-job.h: work in a thread that a newer run replaces, with progress, Cancel and the last
 * result kept: the base of SqSimulation and SqSweepTask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SQ_TYPE_JOB (sq_job_get_type ())

G_DECLARE_DERIVABLE_TYPE (SqJob, sq_job, SQ, JOB, GObject)

/**
 * SqJobClass:
 * @take_result: the current run's result (transfer full), on the main thread, before
 *   #SqJob::finished; runs that failed or were replaced never reach it
 */
struct _SqJobClass
{
  GObjectClass parent_class;

  void (*take_result) (SqJob    *self,
                       gpointer  result);
};

void          sq_job_start        (SqJob           *self,
                                   GTaskThreadFunc  func,
                                   gpointer         task_data,
                                   GDestroyNotify   task_data_free,
                                   GDestroyNotify   result_free);
void          sq_job_set_progress (SqJob           *self,
                                   double           fraction);
void          sq_job_cancel       (SqJob           *self);
void          sq_job_abandon      (SqJob           *self);
gboolean      sq_job_get_busy     (SqJob           *self);
double        sq_job_get_progress (SqJob           *self);
const GError *sq_job_get_error    (SqJob           *self);

G_END_DECLS
