/* sq-chart-curves.h: a chart layer of curves through points at any x, with a read-out per
 * point and one point marked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-chart-layer.h"

G_BEGIN_DECLS

/**
 * SqChartCurve:
 * @xs: (array length=n): the points' x, ascending
 * @ys: (array length=n): their y; a value that is not finite leaves a gap (no dot)
 * @texts: (array length=n) (nullable): each point's read-out; %NULL: its x and y
 * @n: points
 * @color: the curve's colour
 * @label: (nullable): its name in the legend and the read-out
 */
typedef struct {
  const double       *xs;
  const double       *ys;
  const char * const *texts;
  gsize               n;
  SqChartColor        color;
  const char         *label;
} SqChartCurve;

#define SQ_TYPE_CHART_CURVES (sq_chart_curves_get_type ())

G_DECLARE_FINAL_TYPE (SqChartCurves, sq_chart_curves, SQ, CHART_CURVES, SqChartLayer)

SqChartLayer *sq_chart_curves_new        (void);
void          sq_chart_curves_set_curves (SqChartCurves      *self,
                                          const SqChartCurve *curves,
                                          guint               n_curves);
void          sq_chart_curves_set_mark   (SqChartCurves      *self,
                                          int                 curve,
                                          gssize              point);
gboolean      sq_chart_curves_point_at   (SqChartCurves      *self,
                                          double              x,
                                          double              y,
                                          guint              *curve,
                                          gsize              *point);

G_END_DECLS
