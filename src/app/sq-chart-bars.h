/* sq-chart-bars.h: a chart layer of bars: a histogram, or one value per index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

#include "sq-chart-layer.h"

G_BEGIN_DECLS

#define SQ_TYPE_CHART_BARS (sq_chart_bars_get_type ())

G_DECLARE_FINAL_TYPE (SqChartBars, sq_chart_bars, SQ, CHART_BARS, SqChartLayer)

void          sq_chart_bars_set_histogram (SqChartBars       *self,
                                           const SqHistogram *hist);
void          sq_chart_bars_set_series    (SqChartBars       *self,
                                           const double      *values,
                                           gsize              n,
                                           const char        *item_name);
void          sq_chart_bars_set_show_zeros (SqChartBars      *self,
                                            gboolean          show_zeros);
const char   *sq_chart_bars_get_caption   (SqChartBars       *self);

G_END_DECLS
