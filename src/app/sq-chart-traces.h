/* sq-chart-traces.h: a chart layer of lines over the step index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-chart-layer.h"

G_BEGIN_DECLS

/**
 * SqChartTrace:
 * @values: (array length=n): one value per step; NaN leaves a gap
 * @color: the line's colour
 * @label: (nullable): its name in the legend and the read-out
 */
typedef struct {
  const double *values;
  gsize         n;
  SqChartColor  color;
  const char   *label;
} SqChartTrace;

#define SQ_TYPE_CHART_TRACES (sq_chart_traces_get_type ())

G_DECLARE_FINAL_TYPE (SqChartTraces, sq_chart_traces, SQ, CHART_TRACES, SqChartLayer)

void          sq_chart_traces_set_traces (SqChartTraces      *self,
                                          const SqChartTrace *traces,
                                          guint               n_traces);

G_END_DECLS
