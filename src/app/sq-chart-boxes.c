/* sq-chart-boxes.c: a chart layer of box plots side by side
 *
 * Such as a robustness run's class agreement over its draws, one box per setting (the float
 * models, the integer cores): the box from the lower to the upper quartile with the median
 * across it, whiskers to the smallest and the largest value, the mean as a ring, and one
 * value more as a diamond beside the box with its figure written out — the deterministic
 * result the draws are read against. Box i stands at x = i; the chart names the x ticks
 * (sq_chart_set_x_categories()). The figures come from the caller (the core computed them);
 * the layer only draws them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-boxes.h"
#include "sq-format.h"

#define MAX_HALF_WIDTH 36.0   /* px: half a box's width at most */
#define RING_RADIUS    4.0
#define DIAMOND        6.0    /* px: half the marker's diagonal */

/* A box as given, pointing at its own copies of the texts. */
typedef struct {
  SqChartBox box;
  char      *marker_text;
  char      *text;
} Box;

struct _SqChartBoxes
{
  SqChartLayer   parent_instance;

  GArray        *boxes;    /* of Box */
  char          *legend[3];
  SqChartExtents extents;
};

G_DEFINE_FINAL_TYPE (SqChartBoxes, sq_chart_boxes, SQ_TYPE_CHART_LAYER)

static gboolean
box_drawn (const SqChartBox *b)
{
  return isfinite (b->median);
}

static gboolean
sq_chart_boxes_has_data (SqChartLayer *layer)
{
  SqChartBoxes *self = SQ_CHART_BOXES (layer);

  for (guint i = 0; i < self->boxes->len; i++)
    if (box_drawn (&g_array_index (self->boxes, Box, i).box))
      return TRUE;
  return FALSE;
}

static void
sq_chart_boxes_get_extents (SqChartLayer   *layer,
                            SqChartExtents *extents)
{
  *extents = SQ_CHART_BOXES (layer)->extents;
}

/* Half a box's width in pixels: a fifth of the room one box has, at most MAX_HALF_WIDTH. */
static double
half_width (const SqChartContext *ctx)
{
  double unit = fabs (sq_chart_context_x (ctx, 1.0) - sq_chart_context_x (ctx, 0.0));

  return MIN (0.2 * unit, MAX_HALF_WIDTH);
}

static void
draw_box (const SqChartBox     *b,
          double                cx,
          double                hw,
          const SqChartContext *ctx,
          cairo_t              *cr)
{
  const SqChartPalette *p = ctx->palette;
  double ylo = sq_chart_context_y (ctx, b->min), yhi = sq_chart_context_y (ctx, b->max);
  double y1 = sq_chart_context_y (ctx, b->q1), y3 = sq_chart_context_y (ctx, b->q3);
  double ym = sq_chart_snap (sq_chart_context_y (ctx, b->median));
  double x0 = sq_chart_snap (cx - hw), x1 = sq_chart_snap (cx + hw);
  double xc = floor (cx) + 0.5;

  /* Whiskers and their caps. */
  sq_chart_set_source (cr, &p->named[SQ_CHART_COLOR_ACCENT], 1.0);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, xc, ylo);
  cairo_line_to (cr, xc, yhi);
  cairo_move_to (cr, sq_chart_snap (cx - hw / 2.0), sq_chart_snap (ylo) + 0.5);
  cairo_line_to (cr, sq_chart_snap (cx + hw / 2.0), sq_chart_snap (ylo) + 0.5);
  cairo_move_to (cr, sq_chart_snap (cx - hw / 2.0), sq_chart_snap (yhi) + 0.5);
  cairo_line_to (cr, sq_chart_snap (cx + hw / 2.0), sq_chart_snap (yhi) + 0.5);
  cairo_stroke (cr);

  /* The box, at least a pixel high when the quartiles meet. */
  y1 = sq_chart_snap (y1);
  y3 = sq_chart_snap (y3);
  if (y1 - y3 < 1.0)
    y3 = y1 - 1.0;
  cairo_rectangle (cr, x0, y3, x1 - x0, y1 - y3);
  sq_chart_set_source (cr, &p->bars, 0.8);
  cairo_fill_preserve (cr);
  sq_chart_set_source (cr, &p->named[SQ_CHART_COLOR_ACCENT], 1.0);
  cairo_stroke (cr);

  /* The median across. */
  sq_chart_set_source (cr, &p->fg, 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_move_to (cr, x0, ym);
  cairo_line_to (cr, x1, ym);
  cairo_stroke (cr);

  if (isfinite (b->mean))
    {
      cairo_arc (cr, cx, sq_chart_context_y (ctx, b->mean), RING_RADIUS, 0.0, 2.0 * G_PI);
      sq_chart_set_source (cr, &p->background, 1.0);
      cairo_fill_preserve (cr);
      sq_chart_set_source (cr, &p->fg, 1.0);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }
}

/* The marker beside the box, its figure to its right. */
static void
draw_marker (const SqChartBox     *b,
             double                cx,
             double                hw,
             const SqChartContext *ctx,
             cairo_t              *cr)
{
  double x = cx + hw + 2.0 * DIAMOND, y = sq_chart_context_y (ctx, b->marker);
  const GdkRGBA *color = &ctx->palette->named[SQ_CHART_COLOR_WARNING];

  /* A dashed line from the box's edge says which box the marker belongs to. */
  sq_chart_set_source (cr, color, 0.9);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0.0);
  cairo_move_to (cr, cx - hw, sq_chart_snap (y) + 0.5);
  cairo_line_to (cr, x, sq_chart_snap (y) + 0.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0.0);
  cairo_move_to (cr, x, y - DIAMOND);
  cairo_line_to (cr, x + DIAMOND, y);
  cairo_line_to (cr, x, y + DIAMOND);
  cairo_line_to (cr, x - DIAMOND, y);
  cairo_close_path (cr);
  cairo_fill (cr);
  if (b->marker_text != NULL)
    sq_chart_context_show_text (ctx, cr, b->marker_text, SQ_CHART_TEXT_SMALL,
                                x + DIAMOND + 4.0, y - ctx->line_h / 2.0, 0.0,
                                &ctx->palette->fg, 0.9);
}

static void
sq_chart_boxes_render (SqChartLayer         *layer,
                       const SqChartContext *ctx,
                       cairo_t              *cr,
                       SqChartPass           pass)
{
  SqChartBoxes *self = SQ_CHART_BOXES (layer);
  double hw = half_width (ctx);

  if (pass != SQ_CHART_PASS_PLOT)
    return;
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const SqChartBox *b = &g_array_index (self->boxes, Box, i).box;
      double cx = sq_chart_context_x (ctx, i);

      if (box_drawn (b))
        draw_box (b, cx, hw, ctx, cr);
      if (isfinite (b->marker))
        draw_marker (b, cx, hw, ctx, cr);
    }
}

/* The box nearest to @x, or -1. */
static int
box_at (SqChartBoxes *self,
        double        x)
{
  double i = nearbyint (x);

  if (!(i >= 0.0) || !(i < (double) self->boxes->len))
    return -1;
  return (int) i;
}

static char *
sq_chart_boxes_describe_at (SqChartLayer *layer,
                            double        x,
                            double        y)
{
  SqChartBoxes *self = SQ_CHART_BOXES (layer);
  int i = box_at (self, x);
  const SqChartBox *b;

  if (i < 0)
    return NULL;
  b = &g_array_index (self->boxes, Box, i).box;
  return g_strdup (b->text);
}

static void
sq_chart_boxes_collect_legend (SqChartLayer *layer,
                               GArray       *entries)
{
  SqChartBoxes *self = SQ_CHART_BOXES (layer);
  static const SqChartColor colors[3] = {
    SQ_CHART_COLOR_ACCENT, SQ_CHART_COLOR_FOREGROUND, SQ_CHART_COLOR_WARNING,
  };

  if (!sq_chart_boxes_has_data (layer))
    return;
  for (guint k = 0; k < G_N_ELEMENTS (self->legend); k++)
    if (self->legend[k] != NULL)
      {
        SqChartLegendEntry entry = { self->legend[k], colors[k], FALSE };

        g_array_append_val (entries, entry);
      }
}

/* "2 boxes from 85 to 100" */
static char *
sq_chart_boxes_summarize (SqChartLayer *layer)
{
  SqChartBoxes *self = SQ_CHART_BOXES (layer);
  g_autofree char *lo = NULL, *hi = NULL;

  if (!sq_chart_boxes_has_data (layer))
    return NULL;
  lo = sq_format_number (self->extents.y_lo);
  hi = sq_format_number (self->extents.y_hi);
  /* Translators: what a chart of box plots shows, for screen readers */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u box, from %s to %s",
                                       "%u boxes, from %s to %s", self->boxes->len),
                          self->boxes->len, lo, hi);
}

static void
box_clear (gpointer data)
{
  Box *b = data;

  g_free (b->marker_text);
  g_free (b->text);
}

static void
sq_chart_boxes_finalize (GObject *object)
{
  SqChartBoxes *self = SQ_CHART_BOXES (object);

  g_array_unref (self->boxes);
  for (guint k = 0; k < G_N_ELEMENTS (self->legend); k++)
    g_free (self->legend[k]);
  G_OBJECT_CLASS (sq_chart_boxes_parent_class)->finalize (object);
}

static void
sq_chart_boxes_class_init (SqChartBoxesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  object_class->finalize = sq_chart_boxes_finalize;
  layer_class->has_data = sq_chart_boxes_has_data;
  layer_class->summarize = sq_chart_boxes_summarize;
  layer_class->get_extents = sq_chart_boxes_get_extents;
  layer_class->render = sq_chart_boxes_render;
  layer_class->describe_at = sq_chart_boxes_describe_at;
  layer_class->collect_legend = sq_chart_boxes_collect_legend;
}

static void
sq_chart_boxes_init (SqChartBoxes *self)
{
  self->boxes = g_array_new (FALSE, TRUE, sizeof (Box));
  g_array_set_clear_func (self->boxes, box_clear);
  sq_chart_boxes_set_boxes (self, NULL, 0);
}

SqChartLayer *
sq_chart_boxes_new (void)
{
  return g_object_new (SQ_TYPE_CHART_BOXES, NULL);
}

/**
 * sq_chart_boxes_set_boxes:
 * @boxes: (array length=n_boxes): copied; box i is drawn at x = i
 *
 * Shows the boxes: x spans half a unit beyond the first and the last, y every figure and
 * marker with some room above and below.
 */
void
sq_chart_boxes_set_boxes (SqChartBoxes     *self,
                          const SqChartBox *boxes,
                          guint             n_boxes)
{
  SqChartExtents e = { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_LINES, FALSE, TRUE };

  g_return_if_fail (SQ_IS_CHART_BOXES (self));
  g_return_if_fail (boxes != NULL || n_boxes == 0);

  g_array_set_size (self->boxes, 0);
  for (guint i = 0; i < n_boxes; i++)
    {
      Box b = { boxes[i], g_strdup (boxes[i].marker_text), g_strdup (boxes[i].text) };

      b.box.marker_text = b.marker_text;
      b.box.text = b.text;
      g_array_append_val (self->boxes, b);
      sq_chart_extents_include (&e, i - 0.5, box_drawn (&b.box) ? b.box.min : NAN);
      sq_chart_extents_include (&e, i + 0.5, box_drawn (&b.box) ? b.box.max : NAN);
      sq_chart_extents_include (&e, NAN, b.box.marker);
    }
  if (!isnan (e.x_lo) && isnan (e.y_lo))
    e.y_lo = e.y_hi = 0.0;
  self->extents = e;
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

/**
 * sq_chart_boxes_set_legend:
 * @box: @mean: @marker: (nullable): the legend's names of the boxes, the mean's ring and the
 *   marker; %NULL leaves one out
 */
void
sq_chart_boxes_set_legend (SqChartBoxes *self,
                           const char   *box,
                           const char   *mean,
                           const char   *marker)
{
  const char *names[3] = { box, mean, marker };

  g_return_if_fail (SQ_IS_CHART_BOXES (self));
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_free (self->legend[k]);
      self->legend[k] = g_strdup (names[k]);
    }
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

guint
sq_chart_boxes_get_n_boxes (SqChartBoxes *self)
{
  g_return_val_if_fail (SQ_IS_CHART_BOXES (self), 0);
  return self->boxes->len;
}

/* Returns: (nullable): box @i as it is drawn */
const SqChartBox *
sq_chart_boxes_get_box (SqChartBoxes *self,
                        guint         i)
{
  g_return_val_if_fail (SQ_IS_CHART_BOXES (self), NULL);
  return i < self->boxes->len ? &g_array_index (self->boxes, Box, i).box : NULL;
}
