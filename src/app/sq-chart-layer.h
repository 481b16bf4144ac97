/* sq-chart-layer.h: one thing an SqChart draws: the base class of its bars, rasters, traces
 * and overlays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-chart-context.h"

G_BEGIN_DECLS

#define SQ_TYPE_CHART_LAYER (sq_chart_layer_get_type ())

G_DECLARE_DERIVABLE_TYPE (SqChartLayer, sq_chart_layer, SQ, CHART_LAYER, GObject)

/**
 * SqChartPass:
 * @SQ_CHART_PASS_UNDER: behind the data, not clipped (bands, whose labels sit above the plot)
 * @SQ_CHART_PASS_PLOT: clipped to the plot area: the data, then grids and shading over it
 * @SQ_CHART_PASS_OVER: after the axes and the legend (lines and their labels)
 *
 * The chart draws every layer in each pass, bottom layer first.
 */
typedef enum {
  SQ_CHART_PASS_UNDER,
  SQ_CHART_PASS_PLOT,
  SQ_CHART_PASS_OVER,
} SqChartPass;

/**
 * SqChartFit:
 * @SQ_CHART_FIT_BARS: values grow from 0: the y range holds 0, with 5 % headroom above (in
 *   the log scale too) and below negative values; the chart's #SqChart:log-scale applies
 * @SQ_CHART_FIT_LINES: 5 % room above and below, linear
 * @SQ_CHART_FIT_EXACT: the range as it is, linear (rows of a raster)
 *
 * How the y axis is fitted around the data; the chart uses its bottom data layer's.
 */
typedef enum {
  SQ_CHART_FIT_BARS,
  SQ_CHART_FIT_LINES,
  SQ_CHART_FIT_EXACT,
} SqChartFit;

/**
 * SqChartExtents:
 * @x_lo: @x_hi: @y_lo: @y_hi: the data range the layer needs to see; NaN: none on that side
 * @marks: lines and bands, not data: the axes reach them, with a little room when they lie
 *   beyond the data, but they choose no fit
 * @fit: how the y axis is fitted (data layers)
 * @whole_y: y ticks only at whole numbers (rows are neurons)
 * @whole_x: x ticks only at whole numbers (one bar per index)
 */
typedef struct {
  double     x_lo;
  double     x_hi;
  double     y_lo;
  double     y_hi;
  gboolean   marks;
  SqChartFit fit;
  gboolean   whole_y;
  gboolean   whole_x;
} SqChartExtents;

void sq_chart_extents_include (SqChartExtents *self,
                               double          x,
                               double          y);

/**
 * SqChartLabel:
 * @x: the data x its centre sits over; NaN reserves room above the plot and draws nothing
 * @text: owned by the layer, valid until it next emits #SqChartLayer::changed
 * @color: its colour
 * @pass: drawn at the end of this pass
 *
 * A label above the plot, such as a clip line's; the chart places the labels of all its
 * layers in up to two rows and leaves out those that would overlap.
 */
typedef struct {
  double        x;
  const char   *text;
  SqChartColor  color;
  SqChartPass   pass;
} SqChartLabel;

/**
 * SqChartLegendEntry:
 * @text: owned by the layer, as for #SqChartLabel
 * @color: the colour of its swatch
 * @caption: text alone, without a swatch (a note such as "85 828 zeros left out")
 */
typedef struct {
  const char   *text;
  SqChartColor  color;
  gboolean      caption;
} SqChartLegendEntry;

/**
 * SqChartLayerClass:
 * @has_data: whether there is anything to show (otherwise the chart shows its placeholder
 *   when no layer has data); overlays have none
 * @get_extents: fills in what the axes must span for this layer, from a cached summary of the
 *   data (it runs on every change of any layer); the fields start as NaN, not marks, bars fit
 * @get_marks_within: for layers of marks: the extents of the marks within an x window; the
 *   default keeps get_extents()'s x bounds that lie in it
 * @render: draws one pass of one frame in @ctx's coordinates
 * @describe_at: the hover read-out for data point (@x, @y), or %NULL when the layer has
 *   nothing there; the chart asks its layers from the top
 * @get_span_at: the x range the hover highlights at @x (a histogram's bin); without it, or
 *   when it returns %FALSE, the item at the nearest whole x
 * @collect_labels: appends #SqChartLabel<!-- -->s to draw above the plot
 * @collect_legend: appends #SqChartLegendEntry<!-- -->s to show on the title's line
 * @summarize: the data in one clause for the chart's accessible description when nobody gave
 *   it one ("1 000 values from −0.5 to 0.5"), or %NULL
 * @invalidate: drops what was computed for one size or style, such as a raster's summary;
 *   the chart calls it when its size, font or style changes
 */
struct _SqChartLayerClass
{
  GObjectClass parent_class;

  gboolean (*has_data)       (SqChartLayer         *self);
  void     (*get_extents)    (SqChartLayer         *self,
                              SqChartExtents       *extents);
  void     (*get_marks_within) (SqChartLayer       *self,
                                double              x_lo,
                                double              x_hi,
                                SqChartExtents     *extents);
  void     (*render)         (SqChartLayer         *self,
                              const SqChartContext *ctx,
                              cairo_t              *cr,
                              SqChartPass           pass);
  char    *(*describe_at)    (SqChartLayer         *self,
                              double                x,
                              double                y);
  gboolean (*get_span_at)    (SqChartLayer         *self,
                              double                x,
                              double               *x0,
                              double               *x1);
  void     (*collect_labels) (SqChartLayer         *self,
                              GArray               *labels);
  void     (*collect_legend) (SqChartLayer         *self,
                              GArray               *entries);
  void     (*invalidate)     (SqChartLayer         *self);
  char    *(*summarize)      (SqChartLayer         *self);
};

gboolean  sq_chart_layer_has_data       (SqChartLayer         *self);
void      sq_chart_layer_get_extents    (SqChartLayer         *self,
                                         SqChartExtents       *extents);
void      sq_chart_layer_get_marks_within (SqChartLayer       *self,
                                           double              x_lo,
                                           double              x_hi,
                                           SqChartExtents     *extents);
void      sq_chart_layer_render         (SqChartLayer         *self,
                                         const SqChartContext *ctx,
                                         cairo_t              *cr,
                                         SqChartPass           pass);
char     *sq_chart_layer_describe_at    (SqChartLayer         *self,
                                         double                x,
                                         double                y) G_GNUC_WARN_UNUSED_RESULT;
gboolean  sq_chart_layer_get_span_at    (SqChartLayer         *self,
                                         double                x,
                                         double               *x0,
                                         double               *x1);
void      sq_chart_layer_collect_labels (SqChartLayer         *self,
                                         GArray               *labels);
void      sq_chart_layer_collect_legend (SqChartLayer         *self,
                                         GArray               *entries);
void      sq_chart_layer_invalidate     (SqChartLayer         *self);
char     *sq_chart_layer_summarize      (SqChartLayer         *self) G_GNUC_WARN_UNUSED_RESULT;
void      sq_chart_layer_changed        (SqChartLayer         *self);

G_END_DECLS
