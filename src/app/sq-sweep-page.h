/* sq-sweep-page.h: a figure of the whole network against the weight bits, one curve per
 * method, from a sweep run in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-analysis.h"
#include "sq-samples-button.h"
#include "sq-sweep-task.h"

G_BEGIN_DECLS

/**
 * SqSweepFigure:
 * @SQ_SWEEP_FIGURE_SQNR: the network's SQNR, in dB
 * @SQ_SWEEP_FIGURE_AGREEMENT: samples both models put in the same class, in %
 * @SQ_SWEEP_FIGURE_ACCURACY: samples the integer core classifies as labelled, in %
 * @SQ_SWEEP_FIGURE_RASTER: output raster agreement over the set, in %
 * @SQ_SWEEP_FIGURE_CLIPPED: weights and parameters clipped, in %
 * @SQ_SWEEP_FIGURE_ZEROED: non-zero values made 0, in %
 * @SQ_SWEEP_FIGURE_DEVICE: the device check passes (1) or not (0)
 *
 * What the page draws against the weight bits; the order of its drop-down.
 */
typedef enum {
  SQ_SWEEP_FIGURE_SQNR,
  SQ_SWEEP_FIGURE_AGREEMENT,
  SQ_SWEEP_FIGURE_ACCURACY,
  SQ_SWEEP_FIGURE_RASTER,
  SQ_SWEEP_FIGURE_CLIPPED,
  SQ_SWEEP_FIGURE_ZEROED,
  SQ_SWEEP_FIGURE_DEVICE,
  SQ_SWEEP_N_FIGURES
} SqSweepFigure;

#define SQ_TYPE_SWEEP_PAGE (sq_sweep_page_get_type ())

G_DECLARE_FINAL_TYPE (SqSweepPage, sq_sweep_page, SQ, SWEEP_PAGE, GtkWidget)

void           sq_sweep_page_set_analysis     (SqSweepPage           *self,
                                               SqAnalysis            *analysis);
void           sq_sweep_page_set_device       (SqSweepPage           *self,
                                               const SqDeviceProfile *device);
void           sq_sweep_page_set_samples      (SqSweepPage           *self,
                                               GFile                 *file);
GFile         *sq_sweep_page_get_samples      (SqSweepPage           *self);
SqSamplesButton *sq_sweep_page_get_samples_button (SqSweepPage         *self);
void           sq_sweep_page_set_range        (SqSweepPage           *self,
                                               int                    lo,
                                               int                    hi);
void           sq_sweep_page_set_figure       (SqSweepPage           *self,
                                               SqSweepFigure          figure);
gboolean       sq_sweep_page_run              (SqSweepPage           *self);
void           sq_sweep_page_cancel           (SqSweepPage           *self);
SqSweepTask   *sq_sweep_page_get_task         (SqSweepPage           *self);
guint          sq_sweep_page_get_n_curves     (SqSweepPage           *self);
gsize          sq_sweep_page_get_n_points     (SqSweepPage           *self,
                                               guint                  curve);
const SqSweepRow *sq_sweep_page_get_point     (SqSweepPage           *self,
                                               guint                  curve,
                                               gsize                  point,
                                               double                *x,
                                               double                *y);
gboolean       sq_sweep_page_get_mark         (SqSweepPage           *self,
                                               guint                 *curve,
                                               gsize                 *point);
gboolean       sq_sweep_page_activate_at      (SqSweepPage           *self,
                                               double                 x,
                                               double                 y);

G_END_DECLS
