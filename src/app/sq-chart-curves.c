/* sq-chart-curves.c: a chart layer of curves through points at any x
 *
 * Such as a sweep's figure against the weight bits, one curve per method: each point is a
 * dot on its line, the read-out is the point's own text (the page says everything it knows
 * of that setting), and one point may be marked with a ring (the current setting). The
 * point under the pointer is the one at the nearest x, of the curves there the nearest in y:
 * the hover and a click agree on it (sq_chart_curves_point_at()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-curves.h"
#include "sq-format.h"

#define DOT_RADIUS  3.5
#define RING_RADIUS 7.0
/* The x range reaches this far beyond the first and last point, so their dots are whole. */
#define X_ROOM      0.35

typedef struct {
  double      *xs;
  double      *ys;
  char       **texts;   /* n entries, each nullable */
  gsize        n;
  SqChartColor color;
  char        *label;
} Curve;

struct _SqChartCurves
{
  SqChartLayer   parent_instance;

  GArray        *curves;   /* of Curve */
  int            mark_curve;
  gssize         mark_point;
  SqChartExtents extents;
};

G_DEFINE_FINAL_TYPE (SqChartCurves, sq_chart_curves, SQ_TYPE_CHART_LAYER)

static gboolean
sq_chart_curves_has_data (SqChartLayer *layer)
{
  SqChartCurves *self = SQ_CHART_CURVES (layer);

  for (guint i = 0; i < self->curves->len; i++)
    if (g_array_index (self->curves, Curve, i).n > 0)
      return TRUE;
  return FALSE;
}

static void
sq_chart_curves_get_extents (SqChartLayer   *layer,
                             SqChartExtents *extents)
{
  *extents = SQ_CHART_CURVES (layer)->extents;
}

static void
draw_curve (const Curve          *c,
            const SqChartContext *ctx,
            cairo_t              *cr)
{
  gboolean started = FALSE;

  sq_chart_set_source (cr, &ctx->palette->named[c->color], 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (gsize i = 0; i < c->n; i++)
    {
      double x = sq_chart_context_x (ctx, c->xs[i]);

      if (!isfinite (c->ys[i]))
        {
          started = FALSE;
          continue;
        }
      if (started)
        cairo_line_to (cr, x, sq_chart_context_y (ctx, c->ys[i]));
      else
        cairo_move_to (cr, x, sq_chart_context_y (ctx, c->ys[i]));
      started = TRUE;
    }
  cairo_stroke (cr);
  for (gsize i = 0; i < c->n; i++)
    if (isfinite (c->ys[i]))
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, sq_chart_context_x (ctx, c->xs[i]), sq_chart_context_y (ctx, c->ys[i]),
                   DOT_RADIUS, 0.0, 2.0 * G_PI);
      }
  cairo_fill (cr);
}

static void
sq_chart_curves_render (SqChartLayer         *layer,
                        const SqChartContext *ctx,
                        cairo_t              *cr,
                        SqChartPass           pass)
{
  SqChartCurves *self = SQ_CHART_CURVES (layer);
  const Curve *m;

  if (pass != SQ_CHART_PASS_PLOT)
    return;
  for (guint k = 0; k < self->curves->len; k++)
    draw_curve (&g_array_index (self->curves, Curve, k), ctx, cr);
  if (self->mark_curve < 0 || (guint) self->mark_curve >= self->curves->len)
    return;
  m = &g_array_index (self->curves, Curve, self->mark_curve);
  if (self->mark_point < 0 || (gsize) self->mark_point >= m->n
      || !isfinite (m->ys[self->mark_point]))
    return;
  /* A ring in the text colour, over a halo of the background, around the dot. */
  cairo_new_path (cr);
  cairo_arc (cr, sq_chart_context_x (ctx, m->xs[self->mark_point]),
             sq_chart_context_y (ctx, m->ys[self->mark_point]), RING_RADIUS, 0.0, 2.0 * G_PI);
  sq_chart_set_source (cr, &ctx->palette->background, 1.0);
  cairo_set_line_width (cr, 4.0);
  cairo_stroke_preserve (cr);
  sq_chart_set_source (cr, &ctx->palette->fg, 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);
}

/**
 * sq_chart_curves_point_at:
 * @x: @y: a data point
 * @curve: (out): the curve of the point nearest to it
 * @point: (out): that point's index in its curve
 *
 * The point at the x nearest to @x (a dot that is drawn), of those the one nearest in y to @y.
 *
 * Returns: whether there is a point at all
 */
gboolean
sq_chart_curves_point_at (SqChartCurves *self,
                          double         x,
                          double         y,
                          guint         *curve,
                          gsize         *point)
{
  double best_dx = INFINITY, best_dy = INFINITY;
  gboolean found = FALSE;

  g_return_val_if_fail (SQ_IS_CHART_CURVES (self), FALSE);
  for (guint k = 0; k < self->curves->len; k++)
    {
      const Curve *c = &g_array_index (self->curves, Curve, k);

      for (gsize i = 0; i < c->n; i++)
        {
          double dx = fabs (c->xs[i] - x), dy = fabs (c->ys[i] - y);

          if (!isfinite (c->ys[i]))
            continue;
          /* Points of one x are equally near in x: y decides between them. */
          if (dx < best_dx - 1e-9 || (fabs (dx - best_dx) <= 1e-9 && dy < best_dy))
            {
              best_dx = dx;
              best_dy = dy;
              *curve = k;
              *point = i;
              found = TRUE;
            }
        }
    }
  return found;
}

static char *
sq_chart_curves_describe_at (SqChartLayer *layer,
                             double        x,
                             double        y)
{
  SqChartCurves *self = SQ_CHART_CURVES (layer);
  g_autofree char *vx = NULL, *vy = NULL;
  const Curve *c;
  guint k;
  gsize i;

  if (!sq_chart_curves_point_at (self, x, y, &k, &i))
    return NULL;
  c = &g_array_index (self->curves, Curve, k);
  if (c->texts[i] != NULL)
    return g_strdup (c->texts[i]);
  vx = sq_format_number (c->xs[i]);
  vy = sq_format_number (c->ys[i]);
  return g_strdup_printf ("%s\n%s: %s", c->label ? c->label : "", vx, vy);
}

static void
sq_chart_curves_collect_legend (SqChartLayer *layer,
                                GArray       *entries)
{
  SqChartCurves *self = SQ_CHART_CURVES (layer);

  for (guint k = 0; k < self->curves->len; k++)
    {
      const Curve *c = &g_array_index (self->curves, Curve, k);
      SqChartLegendEntry entry = { c->label, c->color, FALSE };

      if (c->label != NULL && *c->label != '\0')
        g_array_append_val (entries, entry);
    }
}

/* "2 curves of 7 points, from 3.5 to 41" */
static char *
sq_chart_curves_summarize (SqChartLayer *layer)
{
  SqChartCurves *self = SQ_CHART_CURVES (layer);
  g_autofree char *lo = NULL, *hi = NULL;
  gsize n = 0;

  for (guint k = 0; k < self->curves->len; k++)
    n = MAX (n, g_array_index (self->curves, Curve, k).n);
  if (n == 0)
    return NULL;
  lo = sq_format_number (self->extents.y_lo);
  hi = sq_format_number (self->extents.y_hi);
  /* Translators: what a chart of curves shows, for screen readers; the second part is
   * "%zu points, from %s to %s" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u curve of %zu points, from %s to %s",
                                       "%u curves of %zu points, from %s to %s",
                                       self->curves->len),
                          self->curves->len, n, lo, hi);
}

static void
curve_clear (gpointer data)
{
  Curve *c = data;

  g_clear_pointer (&c->xs, g_free);
  g_clear_pointer (&c->ys, g_free);
  for (gsize i = 0; c->texts != NULL && i < c->n; i++)
    g_free (c->texts[i]);
  g_clear_pointer (&c->texts, g_free);
  g_clear_pointer (&c->label, g_free);
}

static void
sq_chart_curves_finalize (GObject *object)
{
  g_array_unref (SQ_CHART_CURVES (object)->curves);
  G_OBJECT_CLASS (sq_chart_curves_parent_class)->finalize (object);
}

static void
sq_chart_curves_class_init (SqChartCurvesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  object_class->finalize = sq_chart_curves_finalize;
  layer_class->has_data = sq_chart_curves_has_data;
  layer_class->summarize = sq_chart_curves_summarize;
  layer_class->get_extents = sq_chart_curves_get_extents;
  layer_class->render = sq_chart_curves_render;
  layer_class->describe_at = sq_chart_curves_describe_at;
  layer_class->collect_legend = sq_chart_curves_collect_legend;
}

static void
sq_chart_curves_init (SqChartCurves *self)
{
  self->curves = g_array_new (FALSE, TRUE, sizeof (Curve));
  g_array_set_clear_func (self->curves, curve_clear);
  self->mark_curve = -1;
  self->mark_point = -1;
  sq_chart_curves_set_curves (self, NULL, 0);
}

SqChartLayer *
sq_chart_curves_new (void)
{
  return g_object_new (SQ_TYPE_CHART_CURVES, NULL);
}

/**
 * sq_chart_curves_set_curves:
 * @curves: (array length=n_curves): copied, drawn in order
 *
 * Shows the curves: x spans every point with a little room for the dots, y the finite values
 * with some room above and below. The mark is kept: the caller sets it again when the points
 * moved.
 */
void
sq_chart_curves_set_curves (SqChartCurves      *self,
                            const SqChartCurve *curves,
                            guint               n_curves)
{
  SqChartExtents e = { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_LINES, FALSE, TRUE };

  g_return_if_fail (SQ_IS_CHART_CURVES (self));
  g_return_if_fail (curves != NULL || n_curves == 0);

  g_array_set_size (self->curves, 0);
  for (guint k = 0; k < n_curves; k++)
    {
      const SqChartCurve *in = &curves[k];
      Curve c = { g_memdup2 (in->xs, MAX (in->n, 1) * sizeof (double)),
                  g_memdup2 (in->ys, MAX (in->n, 1) * sizeof (double)),
                  g_new0 (char *, MAX (in->n, 1)), in->n, in->color, g_strdup (in->label) };

      g_return_if_fail ((in->xs != NULL && in->ys != NULL) || in->n == 0);
      g_return_if_fail (in->color < SQ_CHART_N_COLORS);
      for (gsize i = 0; i < in->n; i++)
        {
          c.texts[i] = in->texts ? g_strdup (in->texts[i]) : NULL;
          sq_chart_extents_include (&e, in->xs[i] - X_ROOM,
                                    isfinite (in->ys[i]) ? in->ys[i] : NAN);
          sq_chart_extents_include (&e, in->xs[i] + X_ROOM, NAN);
        }
      g_array_append_val (self->curves, c);
    }
  /* Curves without a finite value still span their x. */
  if (!isnan (e.x_lo) && isnan (e.y_lo))
    e.y_lo = e.y_hi = 0.0;
  self->extents = e;
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

/**
 * sq_chart_curves_set_mark:
 * @curve: the curve of the marked point, -1 for none
 * @point: its index in the curve, -1 for none
 */
void
sq_chart_curves_set_mark (SqChartCurves *self,
                          int            curve,
                          gssize         point)
{
  g_return_if_fail (SQ_IS_CHART_CURVES (self));

  if (self->mark_curve == curve && self->mark_point == point)
    return;
  self->mark_curve = curve;
  self->mark_point = point;
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}
