/* sq-plots.h: what each chart of an analysis draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-analysis.h"
#include "sq-chart.h"

G_BEGIN_DECLS

/**
 * SqPlot:
 * @SQ_PLOT_VALUES: the histogram of a group's float values with its clip points
 * @SQ_PLOT_ERRORS: the histogram of its quantization errors
 * @SQ_PLOT_NEURONS: the clip point per neuron
 */
typedef enum {
  SQ_PLOT_VALUES,
  SQ_PLOT_ERRORS,
  SQ_PLOT_NEURONS,
} SqPlot;

/* A group of at most this many values is drawn one bar per value, its clip points across. */
#define SQ_PLOTS_FEW_VALUES 4

char       *sq_plots_describe    (const SqAnalysisResult *result,
                                  SqPlot                  plot) G_GNUC_WARN_UNUSED_RESULT;

void        sq_plots_show_values (SqChart                *chart,
                                  const SqAnalysisResult *result);
void        sq_plots_show_errors (SqChart                *chart,
                                  const SqAnalysisResult *result);
void        sq_plots_show_neurons (SqChart               *chart,
                                   const SqAnalysisResult *result);

G_END_DECLS
