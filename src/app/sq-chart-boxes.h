/* sq-chart-boxes.h: a chart layer of box plots side by side, each with a marker next to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-chart-layer.h"

G_BEGIN_DECLS

/**
 * SqChartBox:
 * @min: @q1: @median: @q3: @max: the five figures of the distribution; a box whose @median is
 *   not finite is left out (a gap)
 * @mean: drawn as a ring; NaN: none
 * @marker: a single value drawn as a diamond beside the box (the deterministic result); NaN:
 *   none
 * @marker_text: (nullable): written beside the marker
 * @text: (nullable): the box's read-out
 *
 * One box, drawn at x = its index.
 */
typedef struct {
  double      min;
  double      q1;
  double      median;
  double      q3;
  double      max;
  double      mean;
  double      marker;
  const char *marker_text;
  const char *text;
} SqChartBox;

#define SQ_TYPE_CHART_BOXES (sq_chart_boxes_get_type ())

G_DECLARE_FINAL_TYPE (SqChartBoxes, sq_chart_boxes, SQ, CHART_BOXES, SqChartLayer)

SqChartLayer     *sq_chart_boxes_new         (void);
void              sq_chart_boxes_set_boxes   (SqChartBoxes     *self,
                                              const SqChartBox *boxes,
                                              guint             n_boxes);
void              sq_chart_boxes_set_legend  (SqChartBoxes     *self,
                                              const char       *box,
                                              const char       *mean,
                                              const char       *marker);
guint             sq_chart_boxes_get_n_boxes (SqChartBoxes     *self);
const SqChartBox *sq_chart_boxes_get_box     (SqChartBoxes     *self,
                                              guint             i);

G_END_DECLS
