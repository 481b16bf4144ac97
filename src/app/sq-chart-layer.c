/* sq-chart-layer.c: one thing an SqChart draws: the base class of its bars, rasters, traces
 * and overlays
 *
 * A layer is not a widget: the chart draws all its layers with one cairo context, the same
 * for the screen and for a saved PNG or SVG. A layer holds its data and what it derives from
 * it (extents, per-size summaries), draws itself into the plot through an SqChartContext, and
 * answers the hover read-out; the chart owns the axes (fitted around the union of its layers'
 * extents), the frame, the title and the labels. A layer whose data changed calls
 * sq_chart_layer_changed(), whose signal makes its chart refit the axes and redraw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sq-chart-layer.h"

G_DEFINE_ABSTRACT_TYPE (SqChartLayer, sq_chart_layer, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
sq_chart_layer_real_has_data (SqChartLayer *self)
{
  return FALSE;
}

static void
sq_chart_layer_real_get_extents (SqChartLayer   *self,
                                 SqChartExtents *extents)
{
}

/* Only the extents' x bounds that lie within the window: a layer of several marks does
 * better by looking at each of them. */
static void
sq_chart_layer_real_get_marks_within (SqChartLayer   *self,
                                      double          x_lo,
                                      double          x_hi,
                                      SqChartExtents *extents)
{
  SQ_CHART_LAYER_GET_CLASS (self)->get_extents (self, extents);
  if (!(extents->x_lo >= x_lo && extents->x_lo <= x_hi))
    extents->x_lo = NAN;
  if (!(extents->x_hi >= x_lo && extents->x_hi <= x_hi))
    extents->x_hi = NAN;
}

static void
sq_chart_layer_real_render (SqChartLayer         *self,
                            const SqChartContext *ctx,
                            cairo_t              *cr,
                            SqChartPass           pass)
{
}

static char *
sq_chart_layer_real_describe_at (SqChartLayer *self,
                                 double        x,
                                 double        y)
{
  return NULL;
}

static gboolean
sq_chart_layer_real_get_span_at (SqChartLayer *self,
                                 double        x,
                                 double       *x0,
                                 double       *x1)
{
  return FALSE;
}

static void
sq_chart_layer_real_collect (SqChartLayer *self,
                             GArray       *array)
{
}

static void
sq_chart_layer_real_invalidate (SqChartLayer *self)
{
}

static char *
sq_chart_layer_real_summarize (SqChartLayer *self)
{
  return NULL;
}

static void
sq_chart_layer_class_init (SqChartLayerClass *klass)
{
  klass->has_data = sq_chart_layer_real_has_data;
  klass->get_extents = sq_chart_layer_real_get_extents;
  klass->get_marks_within = sq_chart_layer_real_get_marks_within;
  klass->render = sq_chart_layer_real_render;
  klass->describe_at = sq_chart_layer_real_describe_at;
  klass->get_span_at = sq_chart_layer_real_get_span_at;
  klass->collect_labels = sq_chart_layer_real_collect;
  klass->collect_legend = sq_chart_layer_real_collect;
  klass->invalidate = sq_chart_layer_real_invalidate;
  klass->summarize = sq_chart_layer_real_summarize;

  /**
   * SqChartLayer::changed:
   *
   * The layer's data, extents or labels changed: its chart refits the axes, lays itself out
   * again and redraws.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
sq_chart_layer_init (SqChartLayer *self)
{
}

gboolean
sq_chart_layer_has_data (SqChartLayer *self)
{
  g_return_val_if_fail (SQ_IS_CHART_LAYER (self), FALSE);
  return SQ_CHART_LAYER_GET_CLASS (self)->has_data (self);
}

/**
 * sq_chart_layer_get_extents:
 * @extents: (out caller-allocates): what the axes must span for this layer
 */
void
sq_chart_layer_get_extents (SqChartLayer   *self,
                            SqChartExtents *extents)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  g_return_if_fail (extents != NULL);

  *extents = (SqChartExtents) { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_BARS, FALSE, FALSE };
  SQ_CHART_LAYER_GET_CLASS (self)->get_extents (self, extents);
}

/**
 * sq_chart_layer_get_marks_within:
 * @x_lo: @x_hi: the widest x range the chart will show
 * @extents: (out caller-allocates): as sq_chart_layer_get_extents(), but x only from the
 *   marks within [@x_lo, @x_hi]
 *
 * What a layer of marks needs the axes to reach when the data is known: a mark far beyond the
 * data (a 16-bit clip point 200 times wider than the thresholds) is shown at the plot's edge
 * instead of squeezing the data into a few pixels.
 */
void
sq_chart_layer_get_marks_within (SqChartLayer   *self,
                                 double          x_lo,
                                 double          x_hi,
                                 SqChartExtents *extents)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  g_return_if_fail (extents != NULL);

  *extents = (SqChartExtents) { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_BARS, FALSE, FALSE };
  SQ_CHART_LAYER_GET_CLASS (self)->get_marks_within (self, x_lo, x_hi, extents);
}

void
sq_chart_layer_render (SqChartLayer         *self,
                       const SqChartContext *ctx,
                       cairo_t              *cr,
                       SqChartPass           pass)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  g_return_if_fail (ctx != NULL && cr != NULL);
  SQ_CHART_LAYER_GET_CLASS (self)->render (self, ctx, cr, pass);
}

/**
 * sq_chart_layer_describe_at:
 * @x: @y: a data point
 *
 * Returns: (transfer full) (nullable): the read-out for what the layer shows there
 */
char *
sq_chart_layer_describe_at (SqChartLayer *self,
                            double        x,
                            double        y)
{
  g_return_val_if_fail (SQ_IS_CHART_LAYER (self), NULL);
  return SQ_CHART_LAYER_GET_CLASS (self)->describe_at (self, x, y);
}

/**
 * sq_chart_layer_get_span_at:
 * @x0: @x1: (out): the data range to highlight around @x
 *
 * Returns: whether the layer has its own span there
 */
gboolean
sq_chart_layer_get_span_at (SqChartLayer *self,
                            double        x,
                            double       *x0,
                            double       *x1)
{
  g_return_val_if_fail (SQ_IS_CHART_LAYER (self), FALSE);
  g_return_val_if_fail (x0 != NULL && x1 != NULL, FALSE);
  return SQ_CHART_LAYER_GET_CLASS (self)->get_span_at (self, x, x0, x1);
}

/**
 * sq_chart_layer_collect_labels:
 * @labels: (element-type SqChartLabel): appended to
 */
void
sq_chart_layer_collect_labels (SqChartLayer *self,
                               GArray       *labels)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  g_return_if_fail (labels != NULL);
  SQ_CHART_LAYER_GET_CLASS (self)->collect_labels (self, labels);
}

/**
 * sq_chart_layer_collect_legend:
 * @entries: (element-type SqChartLegendEntry): appended to
 */
void
sq_chart_layer_collect_legend (SqChartLayer *self,
                               GArray       *entries)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  g_return_if_fail (entries != NULL);
  SQ_CHART_LAYER_GET_CLASS (self)->collect_legend (self, entries);
}

void
sq_chart_layer_invalidate (SqChartLayer *self)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  SQ_CHART_LAYER_GET_CLASS (self)->invalidate (self);
}

/**
 * sq_chart_extents_include:
 * @x: @y: a data point; a NaN or infinite coordinate widens nothing on its axis
 *
 * Widens @self (NaN: empty) to hold the point.
 */
void
sq_chart_extents_include (SqChartExtents *self,
                          double          x,
                          double          y)
{
  g_return_if_fail (self != NULL);

  if (isfinite (x))
    {
      self->x_lo = isnan (self->x_lo) ? x : MIN (self->x_lo, x);
      self->x_hi = isnan (self->x_hi) ? x : MAX (self->x_hi, x);
    }
  if (isfinite (y))
    {
      self->y_lo = isnan (self->y_lo) ? y : MIN (self->y_lo, y);
      self->y_hi = isnan (self->y_hi) ? y : MAX (self->y_hi, y);
    }
}

/**
 * sq_chart_layer_changed:
 *
 * For subclasses: says that the data, extents or labels changed (emits
 * #SqChartLayer::changed). Drop caches of the old data before calling it.
 */
/**
 * sq_chart_layer_summarize:
 *
 * Returns: (transfer full) (nullable): what the layer shows, in one clause, for screen
 *   readers
 */
char *
sq_chart_layer_summarize (SqChartLayer *self)
{
  g_return_val_if_fail (SQ_IS_CHART_LAYER (self), NULL);
  return SQ_CHART_LAYER_GET_CLASS (self)->summarize (self);
}

void
sq_chart_layer_changed (SqChartLayer *self)
{
  g_return_if_fail (SQ_IS_CHART_LAYER (self));
  g_signal_emit (self, signals[CHANGED], 0);
}
