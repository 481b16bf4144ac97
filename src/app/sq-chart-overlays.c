/* sq-chart-overlays.c: a chart layer of marks in data coordinates: lines, bands, the shading
 * of clipped regions and a grid of levels
 *
 * Marks are not data: they never make a chart show its data, but the axes reach them (with
 * a little room when they lie beyond the data), so a clip point outside every weight is still
 * seen. Bands go under the data, the grid and the shading over it, the lines over the axes.
 * The labels of vertical lines and bands go above the plot, where the chart places them;
 * a horizontal line's label sits above its right end, on a backing, as it may cross a bar.
 * Quantization levels closer than 3 px are not drawn at all: all of them or none, never a
 * grey wash. A vertical mark far beyond the data (the chart reaches only so far,
 * sq_chart_layer_get_marks_within()) is an edge marker: an arrow at the plot's edge with its
 * label and value, stacked below the top of the plot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "sq-chart-overlays.h"
#include "sq-format.h"

#define GRID_MIN_PX 3.0
#define EDGE_ARROW  6.0   /* the size of an edge marker's arrow */

typedef enum {
  OVERLAY_VLINE,
  OVERLAY_HLINE,
  OVERLAY_VBAND,
} OverlayKind;

typedef struct {
  OverlayKind  kind;
  double       a;
  double       b;
  SqChartColor color;
  gboolean     dashed;
  char        *label;
} Overlay;

struct _SqChartOverlays
{
  SqChartLayer parent_instance;

  GArray      *overlays;   /* of Overlay */
  double       shade_lo;
  double       shade_hi;
  double      *grid;       /* sorted */
  gsize        n_grid;
};

G_DEFINE_FINAL_TYPE (SqChartOverlays, sq_chart_overlays, SQ_TYPE_CHART_LAYER)

static const char *
overlay_label (const Overlay *o)
{
  return o->label != NULL && *o->label ? o->label : NULL;
}

static gboolean
within (double x,
        double lo,
        double hi)
{
  return x >= lo && x <= hi;
}

static void
sq_chart_overlays_get_marks_within (SqChartLayer   *layer,
                                    double          x_lo,
                                    double          x_hi,
                                    SqChartExtents *extents)
{
  SqChartOverlays *self = SQ_CHART_OVERLAYS (layer);

  extents->marks = TRUE;
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);

      /* A band counts whole or not at all: the per-channel spread of thresholds reaching a
       * 16-bit clip point would otherwise pull its near end, mirrored below 0, into view. */
      if (o->kind == OVERLAY_HLINE)
        sq_chart_extents_include (extents, NAN, o->a);
      else if (o->kind == OVERLAY_VLINE && within (o->a, x_lo, x_hi))
        sq_chart_extents_include (extents, o->a, NAN);
      else if (o->kind == OVERLAY_VBAND && within (o->a, x_lo, x_hi)
               && within (o->b, x_lo, x_hi))
        {
          sq_chart_extents_include (extents, o->a, NAN);
          sq_chart_extents_include (extents, o->b, NAN);
        }
    }
  if (within (self->shade_lo, x_lo, x_hi))
    sq_chart_extents_include (extents, self->shade_lo, NAN);
  if (within (self->shade_hi, x_lo, x_hi))
    sq_chart_extents_include (extents, self->shade_hi, NAN);
}

static void
sq_chart_overlays_get_extents (SqChartLayer   *layer,
                               SqChartExtents *extents)
{
  sq_chart_overlays_get_marks_within (layer, -INFINITY, INFINITY, extents);
}

/* ---------------------------------------------------------------------------------------- */
/* Edge markers                                                                              */

/* Whether @o lies wholly beyond the view on @side (−1 left, +1 right). */
static gboolean
beyond (const Overlay *o,
        double         lo,
        double         hi,
        int            side)
{
  double a = o->a, b = o->kind == OVERLAY_VBAND ? o->b : o->a;

  if (o->kind == OVERLAY_HLINE || !isfinite (a) || !isfinite (b))
    return FALSE;
  return side < 0 ? MAX (a, b) < lo : MIN (a, b) > hi;
}

/* "global 32767", or a band's "per channel 3.5 … 4.25" */
static char *
edge_text (const Overlay *o)
{
  g_autofree char *a = sq_format_significant (MIN (o->a, o->kind == OVERLAY_VBAND ? o->b : o->a),
                                              6);
  g_autofree char *b = o->kind == OVERLAY_VBAND ? sq_format_significant (MAX (o->a, o->b), 6)
                                                : NULL;
  g_autofree char *value = b != NULL ? g_strdup_printf ("%s … %s", a, b) : g_strdup (a);

  /* A limit's label may name its value already ("dash 15"). */
  if (overlay_label (o) == NULL)
    return g_steal_pointer (&value);
  if (g_str_has_suffix (overlay_label (o), value))
    return g_strdup (overlay_label (o));
  return g_strdup_printf ("%s %s", overlay_label (o), value);
}

/**
 * sq_chart_overlays_get_edge_labels:
 * @x_axis: the chart's x axis
 * @side: %GTK_PACK_START for the left edge, %GTK_PACK_END for the right
 *
 * The texts of the edge markers on @side: the vertical lines and bands wholly beyond the
 * view, each with its label and value ("global clip 32767"), top first, as drawn.
 *
 * Returns: (transfer full): a %NULL-terminated array, empty when every mark is in view
 */
char **
sq_chart_overlays_get_edge_labels (SqChartOverlays *self,
                                   SqAxis          *x_axis,
                                   GtkPackType      side)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  double lo, hi;

  g_return_val_if_fail (SQ_IS_CHART_OVERLAYS (self), NULL);
  g_return_val_if_fail (SQ_IS_AXIS (x_axis), NULL);

  sq_axis_get_effective_range (x_axis, &lo, &hi);
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);

      g_autofree char *text = NULL;

      if (!beyond (o, lo, hi, side == GTK_PACK_START ? -1 : 1))
        continue;
      text = edge_text (o);
      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

/* An arrow pointing out of the plot at its edge and the mark's text beside it, on a backing,
 * one row per mark from the top of the plot. */
static void
draw_edge_marks (SqChartOverlays      *self,
                 const SqChartContext *ctx,
                 cairo_t              *cr,
                 int                   side)
{
  double lo, hi, row = 0.0;
  double left = ctx->plot.origin.x, right = left + ctx->plot.size.width;

  sq_axis_get_effective_range (ctx->x_axis, &lo, &hi);
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);
      const GdkRGBA *color = &ctx->palette->named[o->color];
      g_autofree char *text = NULL;
      double y, w, edge, tx;

      if (!beyond (o, lo, hi, side))
        continue;
      text = edge_text (o);
      y = ctx->plot.origin.y + 8.0 + row * (ctx->line_h + 2.0);
      w = sq_chart_context_text_width (ctx, text, SQ_CHART_TEXT_SMALL);
      edge = side < 0 ? left : right;
      tx = edge - side * (EDGE_ARROW + 4.0);

      sq_chart_set_source (cr, &ctx->palette->background, 0.85);
      cairo_rectangle (cr, side < 0 ? tx - 2.0 : tx - w - 2.0, y, w + 4.0, ctx->line_h);
      cairo_fill (cr);
      sq_chart_set_source (cr, color, 1.0);
      cairo_move_to (cr, edge, y + ctx->line_h / 2.0);
      cairo_line_to (cr, edge - side * EDGE_ARROW, y + ctx->line_h / 2.0 - EDGE_ARROW / 1.5);
      cairo_line_to (cr, edge - side * EDGE_ARROW, y + ctx->line_h / 2.0 + EDGE_ARROW / 1.5);
      cairo_close_path (cr);
      cairo_fill (cr);
      sq_chart_context_show_text (ctx, cr, text, SQ_CHART_TEXT_SMALL, tx, y,
                                  side < 0 ? 0.0 : 1.0, color, 1.0);
      row += 1.0;
    }
}

/* A faint wash, so the bars stay readable through a wide band, and a firm strip along the
 * top that shows where it starts and ends. */
static void
draw_band (const Overlay        *o,
           const SqChartContext *ctx,
           cairo_t              *cr)
{
  const GdkRGBA *color = &ctx->palette->named[o->color];
  double x0 = sq_chart_snap (sq_chart_context_x (ctx, MIN (o->a, o->b)));
  double x1 = sq_chart_snap (sq_chart_context_x (ctx, MAX (o->a, o->b)));

  sq_chart_set_source (cr, color, 0.08);
  cairo_rectangle (cr, x0, ctx->plot.origin.y, MAX (x1 - x0, 1.0), ctx->plot.size.height);
  cairo_fill (cr);
  sq_chart_set_source (cr, color, 0.7);
  cairo_rectangle (cr, x0, ctx->plot.origin.y, MAX (x1 - x0, 1.0), 4.0);
  cairo_fill (cr);
}

/* 2 px wide on a pixel boundary: the two columns (rows) either side of the value. */
static void
draw_line (const Overlay        *o,
           const SqChartContext *ctx,
           cairo_t              *cr)
{
  static const double dash[] = { 6.0, 4.0 };

  sq_chart_set_source (cr, &ctx->palette->named[o->color], 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_set_dash (cr, dash, o->dashed ? G_N_ELEMENTS (dash) : 0, 0.0);
  if (o->kind == OVERLAY_VLINE)
    {
      double x = sq_chart_snap (sq_chart_context_x (ctx, o->a));

      cairo_move_to (cr, x, ctx->plot.origin.y + ctx->plot.size.height);
      cairo_line_to (cr, x, ctx->plot.origin.y);
    }
  else
    {
      double y = sq_chart_snap (sq_chart_context_y (ctx, o->a));

      cairo_move_to (cr, ctx->plot.origin.x, y);
      cairo_line_to (cr, ctx->plot.origin.x + ctx->plot.size.width, y);
    }
  cairo_stroke (cr);
}

/* Above the line's right end, on a backing of the window's colour that keeps it readable
 * where it crosses a bar. */
static void
draw_hline_label (const Overlay        *o,
                  const SqChartContext *ctx,
                  cairo_t              *cr)
{
  double y = sq_chart_snap (sq_chart_context_y (ctx, o->a));
  double w = sq_chart_context_text_width (ctx, overlay_label (o), SQ_CHART_TEXT_SMALL);
  double right = ctx->plot.origin.x + ctx->plot.size.width;

  sq_chart_set_source (cr, &ctx->palette->background, 0.85);
  cairo_rectangle (cr, right - 7.0 - w, y - ctx->line_h - 2.0, w + 6.0, ctx->line_h);
  cairo_fill (cr);
  sq_chart_context_show_text (ctx, cr, overlay_label (o), SQ_CHART_TEXT_SMALL, right - 4.0,
                              y - ctx->line_h - 2.0, 1.0, &ctx->palette->named[o->color], 1.0);
}

static void
draw_marks (SqChartOverlays      *self,
            const SqChartContext *ctx,
            cairo_t              *cr,
            OverlayKind           kind)
{
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);

      if (o->kind != kind || !isfinite (o->a) || (kind == OVERLAY_VBAND && !isfinite (o->b)))
        continue;
      cairo_save (cr);
      sq_chart_context_clip_to_plot (ctx, cr);
      if (kind == OVERLAY_VBAND)
        draw_band (o, ctx, cr);
      else
        draw_line (o, ctx, cr);
      cairo_restore (cr);
      if (kind == OVERLAY_HLINE && overlay_label (o) != NULL)
        draw_hline_label (o, ctx, cr);
    }
}

/* A 1-px line on pixel centres, so it is sharp; none when two visible levels are closer
 * than GRID_MIN_PX. */
static void
draw_grid (SqChartOverlays      *self,
           const SqChartContext *ctx,
           cairo_t              *cr)
{
  double left = ctx->plot.origin.x, right = left + ctx->plot.size.width;

  for (gsize i = 1; i < self->n_grid; i++)
    {
      double a = sq_chart_context_x (ctx, self->grid[i - 1]);
      double b = sq_chart_context_x (ctx, self->grid[i]);

      if (b - a < GRID_MIN_PX && b >= left && a <= right)
        return;
    }
  sq_chart_set_source (cr, &ctx->palette->fg, 0.22);
  cairo_set_line_width (cr, 1.0);
  for (gsize i = 0; i < self->n_grid; i++)
    {
      double x = floor (sq_chart_context_x (ctx, self->grid[i])) + 0.5;

      cairo_move_to (cr, x, ctx->plot.origin.y);
      cairo_line_to (cr, x, ctx->plot.origin.y + ctx->plot.size.height);
    }
  cairo_stroke (cr);
}

/* The clipped regions, x < lo and x > hi, tinted in the error colour. */
static void
draw_shade (SqChartOverlays      *self,
            const SqChartContext *ctx,
            cairo_t              *cr)
{
  double left = ctx->plot.origin.x, right = left + ctx->plot.size.width;

  sq_chart_set_source (cr, &ctx->palette->named[SQ_CHART_COLOR_ERROR], 0.14);
  if (isfinite (self->shade_lo))
    {
      double x = sq_chart_snap (sq_chart_context_x (ctx, self->shade_lo));

      if (x > left)
        cairo_rectangle (cr, left, ctx->plot.origin.y, x - left, ctx->plot.size.height);
    }
  if (isfinite (self->shade_hi))
    {
      double x = sq_chart_snap (sq_chart_context_x (ctx, self->shade_hi));

      if (x < right)
        cairo_rectangle (cr, x, ctx->plot.origin.y, right - x, ctx->plot.size.height);
    }
  cairo_fill (cr);
}

static void
sq_chart_overlays_render (SqChartLayer         *layer,
                          const SqChartContext *ctx,
                          cairo_t              *cr,
                          SqChartPass           pass)
{
  SqChartOverlays *self = SQ_CHART_OVERLAYS (layer);

  switch (pass)
    {
    case SQ_CHART_PASS_UNDER:
      draw_marks (self, ctx, cr, OVERLAY_VBAND);
      break;
    case SQ_CHART_PASS_PLOT:
      if (self->n_grid > 0)
        draw_grid (self, ctx, cr);
      if (isfinite (self->shade_lo) || isfinite (self->shade_hi))
        draw_shade (self, ctx, cr);
      break;
    case SQ_CHART_PASS_OVER:
      draw_marks (self, ctx, cr, OVERLAY_HLINE);
      draw_marks (self, ctx, cr, OVERLAY_VLINE);
      draw_edge_marks (self, ctx, cr, -1);
      draw_edge_marks (self, ctx, cr, 1);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
sq_chart_overlays_collect_labels (SqChartLayer *layer,
                                  GArray       *labels)
{
  SqChartOverlays *self = SQ_CHART_OVERLAYS (layer);

  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);
      SqChartLabel label = { o->a, overlay_label (o), o->color, SQ_CHART_PASS_OVER };

      if (o->kind == OVERLAY_HLINE || label.text == NULL)
        continue;
      if (o->kind == OVERLAY_VBAND)
        {
          /* A band with an open end has no centre: its label keeps its row but is not drawn. */
          label.x = isfinite (o->a) && isfinite (o->b) ? (o->a + o->b) / 2.0 : NAN;
          label.pass = SQ_CHART_PASS_UNDER;
        }
      g_array_append_val (labels, label);
    }
}

static void
overlay_clear (gpointer data)
{
  Overlay *o = data;

  g_clear_pointer (&o->label, g_free);
}

static void
sq_chart_overlays_finalize (GObject *object)
{
  SqChartOverlays *self = SQ_CHART_OVERLAYS (object);

  g_array_unref (self->overlays);
  g_free (self->grid);
  G_OBJECT_CLASS (sq_chart_overlays_parent_class)->finalize (object);
}

static void
sq_chart_overlays_class_init (SqChartOverlaysClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  object_class->finalize = sq_chart_overlays_finalize;
  layer_class->get_extents = sq_chart_overlays_get_extents;
  layer_class->get_marks_within = sq_chart_overlays_get_marks_within;
  layer_class->render = sq_chart_overlays_render;
  layer_class->collect_labels = sq_chart_overlays_collect_labels;
}

static void
sq_chart_overlays_init (SqChartOverlays *self)
{
  self->overlays = g_array_new (FALSE, TRUE, sizeof (Overlay));
  g_array_set_clear_func (self->overlays, overlay_clear);
  self->shade_lo = NAN;
  self->shade_hi = NAN;
}

SqChartLayer *
sq_chart_overlays_new (void)
{
  return g_object_new (SQ_TYPE_CHART_OVERLAYS, NULL);
}

/**
 * sq_chart_overlays_clear:
 *
 * Removes every line and band, the shading and the grid.
 */
void
sq_chart_overlays_clear (SqChartOverlays *self)
{
  g_return_if_fail (SQ_IS_CHART_OVERLAYS (self));

  g_array_set_size (self->overlays, 0);
  self->shade_lo = self->shade_hi = NAN;
  g_clear_pointer (&self->grid, g_free);
  self->n_grid = 0;
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

static void
add_overlay (SqChartOverlays *self,
             OverlayKind      kind,
             double           a,
             double           b,
             SqChartColor     color,
             gboolean         dashed,
             const char      *label)
{
  Overlay o = { kind, a, b, color, dashed, NULL };

  g_return_if_fail (SQ_IS_CHART_OVERLAYS (self));
  g_return_if_fail (color < SQ_CHART_N_COLORS);

  o.label = g_strdup (label);
  g_array_append_val (self->overlays, o);
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

/**
 * sq_chart_overlays_add_line:
 * @orientation: %GTK_ORIENTATION_VERTICAL for a line at x = @value, such as a clip point (add
 *   two for a ± pair); %GTK_ORIENTATION_HORIZONTAL for one at y = @value, such as a threshold
 * @label: (nullable): drawn in @color, above the plot for a vertical line, above the right end
 *   of a horizontal one
 */
void
sq_chart_overlays_add_line (SqChartOverlays *self,
                            GtkOrientation   orientation,
                            double           value,
                            SqChartColor     color,
                            gboolean         dashed,
                            const char      *label)
{
  add_overlay (self, orientation == GTK_ORIENTATION_VERTICAL ? OVERLAY_VLINE : OVERLAY_HLINE,
               value, NAN, color, dashed, label);
}

/**
 * sq_chart_overlays_add_vband:
 * @label: (nullable): drawn above the band's centre
 *
 * A translucent band from @x0 to @x1, such as the spread of per-channel clip points.
 */
void
sq_chart_overlays_add_vband (SqChartOverlays *self,
                             double           x0,
                             double           x1,
                             SqChartColor     color,
                             const char      *label)
{
  add_overlay (self, OVERLAY_VBAND, x0, x1, color, FALSE, label);
}

/**
 * sq_chart_overlays_set_shade_outside:
 *
 * Tints x < @lo and x > @hi (the clipped regions) in the error colour; a NaN bound shades
 * nothing on its side, so NAN, NAN turns shading off.
 */
void
sq_chart_overlays_set_shade_outside (SqChartOverlays *self,
                                     double           lo,
                                     double           hi)
{
  g_return_if_fail (SQ_IS_CHART_OVERLAYS (self));

  self->shade_lo = lo;
  self->shade_hi = hi;
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * sq_chart_overlays_set_grid:
 * @xs: (array length=n) (nullable): copied; non-finite values are ignored
 *
 * Faint vertical lines, such as the quantization levels. When two visible lines would be
 * closer than 3 pixels none is drawn, rather than a grey wash.
 */
void
sq_chart_overlays_set_grid (SqChartOverlays *self,
                            const double    *xs,
                            gsize            n)
{
  g_return_if_fail (SQ_IS_CHART_OVERLAYS (self));
  g_return_if_fail (xs != NULL || n == 0);

  g_clear_pointer (&self->grid, g_free);
  self->n_grid = 0;
  if (n > 0)
    {
      self->grid = g_new (double, n);
      for (gsize i = 0; i < n; i++)
        if (isfinite (xs[i]))
          self->grid[self->n_grid++] = xs[i];
      qsort (self->grid, self->n_grid, sizeof (double), compare_doubles);
    }
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}
