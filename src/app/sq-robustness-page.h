/* sq-robustness-page.h: Monte-Carlo robustness of the open network — the distribution of a
 * figure over many draws of a transform configuration, a box per setting, next to the
 * deterministic result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-analysis.h"
#include "sq-robustness-task.h"
#include "sq-samples-button.h"

G_BEGIN_DECLS

/**
 * SqRobustnessFigure:
 * @SQ_ROBUSTNESS_FIGURE_AGREEMENT: samples in the float model's class, in %
 * @SQ_ROBUSTNESS_FIGURE_ACCURACY: samples classified as labelled, in %
 * @SQ_ROBUSTNESS_FIGURE_EVENTS: output events over the set
 *
 * What the boxes show; the order of the page's drop-down.
 */
typedef enum {
  SQ_ROBUSTNESS_FIGURE_AGREEMENT,
  SQ_ROBUSTNESS_FIGURE_ACCURACY,
  SQ_ROBUSTNESS_FIGURE_EVENTS,
  SQ_ROBUSTNESS_N_FIGURES
} SqRobustnessFigure;

#define SQ_TYPE_ROBUSTNESS_PAGE (sq_robustness_page_get_type ())

G_DECLARE_FINAL_TYPE (SqRobustnessPage, sq_robustness_page, SQ, ROBUSTNESS_PAGE, GtkWidget)

void              sq_robustness_page_set_analysis    (SqRobustnessPage      *self,
                                                      SqAnalysis            *analysis);
void              sq_robustness_page_set_device      (SqRobustnessPage      *self,
                                                      const SqDeviceProfile *device);
void              sq_robustness_page_set_samples     (SqRobustnessPage      *self,
                                                      GFile                 *file);
SqSamplesButton  *sq_robustness_page_get_samples_button (SqRobustnessPage   *self);
gboolean          sq_robustness_page_open_config     (SqRobustnessPage      *self,
                                                      GFile                 *file,
                                                      GError               **error);
const char       *sq_robustness_page_get_config_data (SqRobustnessPage      *self);
void              sq_robustness_page_set_draws       (SqRobustnessPage      *self,
                                                      guint                  n_draws,
                                                      guint64                seed);
void              sq_robustness_page_set_figure      (SqRobustnessPage      *self,
                                                      SqRobustnessFigure     figure);
gboolean          sq_robustness_page_run             (SqRobustnessPage      *self);
void              sq_robustness_page_cancel          (SqRobustnessPage      *self);
SqRobustnessTask *sq_robustness_page_get_task        (SqRobustnessPage      *self);

G_END_DECLS
