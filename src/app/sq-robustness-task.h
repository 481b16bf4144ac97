/* sq-robustness-task.h: Monte-Carlo robustness of the document's network in a thread, for
 * the float models of the draws and their integer cores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <synquant.h>

#include "sq-job.h"

G_BEGIN_DECLS

/**
 * SqRobustnessSetting:
 * @SQ_ROBUSTNESS_FLOAT: every draw run as a float model
 * @SQ_ROBUSTNESS_INTEGER: every draw quantized with the Tune page's settings and run on the
 *   integer core
 *
 * What the draws are run as: the boxes of the Robustness page, in this order.
 */
typedef enum {
  SQ_ROBUSTNESS_FLOAT,
  SQ_ROBUSTNESS_INTEGER,
  SQ_ROBUSTNESS_N_SETTINGS
} SqRobustnessSetting;

/**
 * SqRobustnessRequest:
 * @network: the untransformed network
 * @config_data: the transform configuration's JSON (sq_transform_config_load_data())
 * @config_name: its display name
 * @samples: the path of the sample set
 * @n_draws: draws
 * @seed: their seed
 * @settings: (array fixed-size=2): which settings to run
 * @quant: the quantization of %SQ_ROBUSTNESS_INTEGER
 * @device: (nullable): its integer core, %NULL for the kind's default
 *
 * One run's inputs; copied by sq_robustness_task_run().
 */
typedef struct {
  SqNetwork             *network;
  const char            *config_data;
  const char            *config_name;
  const char            *samples;
  guint                  n_draws;
  guint64                seed;
  gboolean               settings[SQ_ROBUSTNESS_N_SETTINGS];
  SqQuantSettings        quant;
  const SqDeviceProfile *device;
} SqRobustnessRequest;

#define SQ_TYPE_ROBUSTNESS_TASK (sq_robustness_task_get_type ())

G_DECLARE_FINAL_TYPE (SqRobustnessTask, sq_robustness_task, SQ, ROBUSTNESS_TASK, SqJob)

SqRobustnessTask      *sq_robustness_task_new          (void);
void                   sq_robustness_task_run          (SqRobustnessTask          *self,
                                                        const SqRobustnessRequest *request);
void                   sq_robustness_task_forget       (SqRobustnessTask          *self);
const SqRobustness    *sq_robustness_task_get_result   (SqRobustnessTask          *self,
                                                        SqRobustnessSetting        setting);
const SqQuantSettings *sq_robustness_task_get_quant    (SqRobustnessTask          *self);
const SqDeviceProfile *sq_robustness_task_get_device   (SqRobustnessTask          *self);
const char            *sq_robustness_task_get_config_name (SqRobustnessTask       *self);

G_END_DECLS
