/* sq-chart-overlays.h: a chart layer of marks in data coordinates: lines, bands, the shading
 * of clipped regions and a grid of levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-axis.h"
#include "sq-chart-layer.h"

G_BEGIN_DECLS

#define SQ_TYPE_CHART_OVERLAYS (sq_chart_overlays_get_type ())

G_DECLARE_FINAL_TYPE (SqChartOverlays, sq_chart_overlays, SQ, CHART_OVERLAYS, SqChartLayer)

SqChartLayer *sq_chart_overlays_new               (void);
void          sq_chart_overlays_clear             (SqChartOverlays *self);
void          sq_chart_overlays_add_line          (SqChartOverlays *self,
                                                   GtkOrientation   orientation,
                                                   double           value,
                                                   SqChartColor     color,
                                                   gboolean         dashed,
                                                   const char      *label);
void          sq_chart_overlays_add_vband         (SqChartOverlays *self,
                                                   double           x0,
                                                   double           x1,
                                                   SqChartColor     color,
                                                   const char      *label);
void          sq_chart_overlays_set_shade_outside (SqChartOverlays *self,
                                                   double           lo,
                                                   double           hi);
void          sq_chart_overlays_set_grid          (SqChartOverlays *self,
                                                   const double    *xs,
                                                   gsize            n);
char        **sq_chart_overlays_get_edge_labels   (SqChartOverlays *self,
                                                   SqAxis          *x_axis,
                                                   GtkPackType      side)
                                                   G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
