/* sq-plots.h: what each chart of an analysis draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-analysis.h"
#include "sq-chart.h"

G_BEGIN_DECLS

void        sq_plots_show_values (SqChart                *chart,
                                  const SqAnalysisResult *result);
void        sq_plots_show_errors (SqChart                *chart,
                                  const SqAnalysisResult *result);
void        sq_plots_show_neurons (SqChart               *chart,
                                   const SqAnalysisResult *result);

G_END_DECLS
