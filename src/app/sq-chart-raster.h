/* sq-chart-raster.h: a chart layer of events over time, one row per neuron
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-chart-layer.h"

G_BEGIN_DECLS

#define SQ_TYPE_CHART_RASTER (sq_chart_raster_get_type ())

G_DECLARE_FINAL_TYPE (SqChartRaster, sq_chart_raster, SQ, CHART_RASTER, SqChartLayer)

void          sq_chart_raster_set_counts (SqChartRaster *self,
                                          GBytes        *counts,
                                          gsize          n_steps,
                                          gsize          stride,
                                          const guint32 *rows,
                                          gsize          n_rows,
                                          gsize          n_total,
                                          SqChartColor   color,
                                          const char    *row_name);

G_END_DECLS
