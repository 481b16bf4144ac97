/* sq-chart-render.c: SqChart's axes, layout and its one drawing path
 *
 * Data → SqAxis → pixels, after sysprof's charts: the two axes are fitted around the union of
 * the layers' extents only when a layer changes; the layout (plot rectangle, ticks, where the
 * labels above the plot go) is cached per size; sq_chart_render() draws the frame, the title
 * and every layer, pass by pass, for the screen (through gtk_snapshot_append_cairo) and for
 * PNG and SVG files alike, so a saved chart is what the user saw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-private.h"
#include "sq-format.h"

#define TICK_GAP        6.0   /* between the plot and its tick labels */
#define LABEL_GAP       4.0   /* between the plot and the labels above it */
#define MAX_LABEL_ROWS  2
#define MARK_REACH      1.0   /* spans of the data a mark may widen the x axis by, each side */

/* ---------------------------------------------------------------------------------------- */
/* Axes                                                                                      */

gboolean
_sq_chart_has_data (SqChart *self)
{
  for (guint i = 0; i < self->layers->len; i++)
    if (sq_chart_layer_has_data (g_ptr_array_index (self->layers, i)))
      return TRUE;
  return FALSE;
}

/* Sets both axes from the layers' extents; the only place ranges are computed. The data
 * layers' union comes first ([0, 1] on an axis without data), its y axis fitted as the bottom
 * data layer says; marks only widen it. */
void
_sq_chart_update_axes (SqChart *self)
{
  g_autofree SqChartExtents *ext = g_new (SqChartExtents, self->layers->len + 1);
  SqChartExtents data = { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_BARS, FALSE, FALSE }, all;
  double xlo, xhi, ylo, yhi, pad, span, reach;
  gboolean fitted = FALSE, edge_lo = FALSE, edge_hi = FALSE;

  for (guint i = 0; i < self->layers->len; i++)
    {
      const SqChartExtents *e = &ext[i];

      sq_chart_layer_get_extents (g_ptr_array_index (self->layers, i), &ext[i]);
      if (e->marks || (isnan (e->x_lo) && isnan (e->x_hi) && isnan (e->y_lo)
                       && isnan (e->y_hi)))
        continue;
      sq_chart_extents_include (&data, e->x_lo, e->y_lo);
      sq_chart_extents_include (&data, e->x_hi, e->y_hi);
      if (!fitted)
        data.fit = e->fit;
      fitted = TRUE;
      data.whole_y |= e->whole_y;
      data.whole_x |= e->whole_x;
    }
  if (isnan (data.x_lo))
    {
      data.x_lo = 0.0;
      data.x_hi = 1.0;
    }
  if (isnan (data.y_lo))
    {
      data.y_lo = 0.0;
      data.y_hi = 1.0;
    }
  self->whole_y = data.whole_y;
  self->whole_x = data.whole_x;

  /* Marks widen the view by at most MARK_REACH spans of the data on either side; one further
   * out (a 16-bit clip point of thresholds) would squeeze the data into a few pixels, so its
   * layer shows it at the plot's edge instead. Without data, the marks are all there is. */
  span = data.x_hi - data.x_lo;
  reach = MARK_REACH * (span > 0.0 ? span : MAX (fabs (data.x_lo), 1.0));
  all = data;
  for (guint i = 0; i < self->layers->len; i++)
    if (ext[i].marks)
      {
        SqChartExtents m = ext[i];

        if (fitted)
          sq_chart_layer_get_marks_within (g_ptr_array_index (self->layers, i),
                                           data.x_lo - reach, data.x_hi + reach, &m);
        sq_chart_extents_include (&all, m.x_lo, m.y_lo);
        sq_chart_extents_include (&all, m.x_hi, m.y_hi);
        /* Left out: an edge marker will sit on that side. */
        edge_lo |= ext[i].x_lo < data.x_lo && !(m.x_lo <= ext[i].x_lo);
        edge_hi |= ext[i].x_hi > data.x_hi && !(m.x_hi >= ext[i].x_hi);
      }
  xlo = all.x_lo;
  xhi = all.x_hi;
  ylo = all.y_lo;
  yhi = all.y_hi;

  /* A mark beyond the data, drawn on the plot's edge or as an edge marker there, gets some
   * room. */
  pad = 0.03 * (xhi - xlo);
  if (xlo < data.x_lo || edge_lo)
    xlo -= pad;
  if (xhi > data.x_hi || edge_hi)
    xhi += pad;

  switch (data.fit)
    {
    case SQ_CHART_FIT_EXACT:
      sq_axis_set_logarithmic (self->y_axis, FALSE);
      break;
    case SQ_CHART_FIT_LINES:
      /* Room above and below the lines, which have no baseline to grow from. */
      pad = 0.05 * (yhi - ylo);
      ylo -= pad;
      yhi += pad;
      sq_axis_set_logarithmic (self->y_axis, FALSE);
      break;
    case SQ_CHART_FIT_BARS:
    default:
      /* Headroom above the tallest bar, in the axis's own scale so log plots get it too. */
      if (self->log_scale)
        yhi = copysign (expm1 (log1p (fabs (yhi)) * 1.05), yhi);
      else
        yhi += 0.05 * (yhi - ylo);
      if (ylo < 0.0)
        ylo -= 0.05 * (yhi - ylo);
      sq_axis_set_logarithmic (self->y_axis, self->log_scale);
      break;
    }
  sq_axis_set_range (self->x_axis, xlo, xhi);
  sq_axis_set_range (self->y_axis, ylo, yhi);
}

/* ---------------------------------------------------------------------------------------- */
/* Layout                                                                                    */

static char *
tick_text (const double *ticks,
           guint         n,
           guint         i)
{
  double step = 0.0;

  for (guint k = 1; k < n; k++)
    {
      double d = ticks[k] - ticks[k - 1];

      step = k == 1 ? d : MIN (step, d);
    }
  return sq_format_to_step (ticks[i], step, 0);
}

/* Label of x tick @i: its category's name when the chart has them. */
static char *
x_tick_text (SqChart *self,
             guint    i)
{
  const SqChartLayout *l = &self->layout;

  if (self->x_categories != NULL)
    return g_strdup (self->x_categories[(gsize) nearbyint (l->xticks[i])]);
  return tick_text (l->xticks, l->n_xticks, i);
}

static double
widest_tick (const SqChartContext *ctx,
             const double         *ticks,
             guint                 n)
{
  double w = 0.0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *s = tick_text (ticks, n, i);

      w = MAX (w, sq_chart_context_text_width (ctx, s, SQ_CHART_TEXT_SMALL));
    }
  return w;
}

/* Keeps the ticks at whole numbers (rows, indices), in order; returns how many. */
static guint
whole_ticks (double *ticks,
             guint   n_ticks)
{
  guint n = 0;

  for (guint i = 0; i < n_ticks; i++)
    if (!(fabs (ticks[i] - nearbyint (ticks[i])) > 1e-9))
      ticks[n++] = ticks[i];
  return n;
}

/* Leaves out ticks whose labels would touch the one kept before them, from the lowest up, so
 * the baseline's 0 stays and a log axis's 1, 12 px above it, goes. @length is the plot's
 * size along the axis; a label is as long as its text (x) or a line (y). */
static guint
thin_ticks (const SqChartContext *ctx,
            SqAxis               *axis,
            double               *ticks,
            guint                 n,
            double                length,
            gboolean              horizontal)
{
  double prev_end = -G_MAXDOUBLE, gap = horizontal ? ctx->line_h : 2.0;
  double size[SQ_CHART_MAX_TICKS];
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = tick_text (ticks, n, i);

      size[i] = horizontal ? sq_chart_context_text_width (ctx, text, SQ_CHART_TEXT_SMALL)
                           : ctx->line_h;
    }
  for (guint i = 0; i < n; i++)
    {
      double p = length * sq_axis_normalize (axis, ticks[i]);

      if (p - size[i] / 2.0 < prev_end + gap)
        continue;
      prev_end = p + size[i] / 2.0;
      ticks[kept++] = ticks[i];
    }
  return kept;
}

static double
label_left (const SqChartContext *ctx,
            const SqChartLabel   *label,
            double                w)
{
  double x = sq_chart_context_x (ctx, label->x) - w / 2.0;

  return CLAMP (x, SQ_CHART_PADDING, MAX (SQ_CHART_PADDING, ctx->width - SQ_CHART_PADDING - w));
}

/* Puts each label in the lowest row above the plot where it does not overlap another; labels
 * that fit in no row are left out rather than drawn over each other. Returns the number of
 * rows used, or @rows + 1 when a label did not fit. */
static int
place_labels (SqChart              *self,
              const SqChartContext *ctx,
              int                   rows)
{
  SqChartLayout *l = &self->layout;
  double right[MAX_LABEL_ROWS];
  int used = 0;
  g_autofree guint *order = g_new (guint, l->labels->len + 1);
  g_autofree double *width = g_new (double, l->labels->len + 1);
  guint n = 0;

  for (int r = 0; r < MAX_LABEL_ROWS; r++)
    right[r] = -G_MAXDOUBLE;

  /* Left to right, so each row only needs its rightmost edge. */
  for (guint i = 0; i < l->labels->len; i++)
    {
      const SqChartLabel *label = &g_array_index (l->labels, SqChartLabel, i);
      guint k;

      l->label_row[i] = -1;
      /* A mark beyond the view is an edge marker, which says what it is itself. */
      if (!isfinite (label->x) || !(sq_axis_normalize (self->x_axis, label->x) >= -1e-9)
          || !(sq_axis_normalize (self->x_axis, label->x) <= 1.0 + 1e-9))
        continue;
      width[i] = sq_chart_context_text_width (ctx, label->text, SQ_CHART_TEXT_SMALL);
      l->label_x[i] = label_left (ctx, label, width[i]);
      for (k = n++; k > 0 && l->label_x[order[k - 1]] > l->label_x[i]; k--)
        order[k] = order[k - 1];
      order[k] = i;
    }

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k];
      int r;

      for (r = 0; r < rows; r++)
        if (l->label_x[i] >= right[r] + 8.0)
          break;
      if (r == rows)
        {
          used = rows + 1;
          continue;
        }
      l->label_row[i] = r;
      right[r] = l->label_x[i] + width[i];
      used = MAX (used, r + 1);
    }
  return used;
}

static void
compute_layout (SqChart              *self,
                const SqChartContext *ctx,
                int                   rows)
{
  SqChartLayout *l = &self->layout;
  double small_h = sq_chart_context_text_height (ctx, SQ_CHART_TEXT_SMALL);
  double normal_h = sq_chart_context_text_height (ctx, SQ_CHART_TEXT_NORMAL);
  double top = SQ_CHART_PADDING, bottom = SQ_CHART_PADDING, left = SQ_CHART_PADDING;
  double right = SQ_CHART_PADDING + 8.0;
  double plot_w, plot_h, spacing;
  guint max_y, max_x;

  l->line_h = small_h;

  if (self->title != NULL && *self->title)
    top += sq_chart_context_text_height (ctx, SQ_CHART_TEXT_TITLE) + 8.0;
  if (rows > 0)
    top += rows * small_h + LABEL_GAP;
  else
    top += small_h / 2.0;   /* room for the top tick label, which is centred on its tick */

  bottom += small_h + TICK_GAP;
  if (self->x_label != NULL && *self->x_label)
    bottom += normal_h + 4.0;

  plot_h = MAX (l->height - top - bottom, 1.0);
  max_y = CLAMP ((guint) (plot_h / (2.5 * small_h)), 2, SQ_CHART_MAX_TICKS);
  l->n_yticks = sq_axis_ticks (self->y_axis, l->yticks, max_y);
  /* A short plot over 0 … 4 095 gets one tick (0) at two per axis; three (0, 2 000, 4 000)
   * still fit, and an axis needs two labels to be read. */
  while (l->n_yticks < 2 && max_y < SQ_CHART_MAX_TICKS)
    l->n_yticks = sq_axis_ticks (self->y_axis, l->yticks, ++max_y);
  if (self->whole_y)
    l->n_yticks = whole_ticks (l->yticks, l->n_yticks);

  {
    SqChartContext c = *ctx;

    c.line_h = small_h;
    l->n_yticks = thin_ticks (&c, self->y_axis, l->yticks, l->n_yticks, plot_h, FALSE);
  }

  left += widest_tick (ctx, l->yticks, l->n_yticks) + TICK_GAP;
  if (self->y_label != NULL && *self->y_label)
    left += normal_h + 6.0;

  /* As many x ticks as fit with a gap of two digits between their labels; then, if the last
   * label ("100 000", centred on its tick) would stick out of the widget, the plot is
   * narrowed for it and the ticks chosen again. */
  for (int pass = 0; pass < 2; pass++)
    {
      double overhang;

      plot_w = MAX (l->width - left - right, 1.0);
      max_x = SQ_CHART_MAX_TICKS;
      if (self->x_categories != NULL)
        {
          /* One tick under each category within the axis, named; none is left out. */
          l->n_xticks = 0;
          for (guint k = 0; self->x_categories[k] != NULL && l->n_xticks < SQ_CHART_MAX_TICKS;
               k++)
            if (!(sq_axis_normalize (self->x_axis, k) < -1e-9)
                && !(sq_axis_normalize (self->x_axis, k) > 1.0 + 1e-9))
              l->xticks[l->n_xticks++] = k;
          break;
        }
      for (;;)
        {
          l->n_xticks = sq_axis_ticks (self->x_axis, l->xticks, max_x);
          if (l->n_xticks < 2 || max_x <= 2)
            break;
          spacing = plot_w * (sq_axis_normalize (self->x_axis, l->xticks[1])
                              - sq_axis_normalize (self->x_axis, l->xticks[0]));
          if (widest_tick (ctx, l->xticks, l->n_xticks) + 2.0 * small_h <= spacing
              || sq_axis_get_logarithmic (self->x_axis))
            break;
          max_x = l->n_xticks - 1;
        }
      if (self->whole_x)
        l->n_xticks = whole_ticks (l->xticks, l->n_xticks);
      {
        SqChartContext c = *ctx;

        c.line_h = small_h;
        l->n_xticks = thin_ticks (&c, self->x_axis, l->xticks, l->n_xticks, plot_w, TRUE);
      }
      if (l->n_xticks == 0)
        break;
      {
        g_autofree char *last = x_tick_text (self, l->n_xticks - 1);

        overhang = left + plot_w * sq_axis_normalize (self->x_axis,
                                                      l->xticks[l->n_xticks - 1])
                   + sq_chart_context_text_width (ctx, last, SQ_CHART_TEXT_SMALL) / 2.0
                   - (l->width - SQ_CHART_PADDING / 2.0);
      }
      if (!(overhang > 0.0))
        break;
      right += ceil (overhang);
    }

  l->plot = GRAPHENE_RECT_INIT (sq_chart_snap (left), sq_chart_snap (top),
                                sq_chart_snap (plot_w), sq_chart_snap (plot_h));
}

void
_sq_chart_layout_invalidate (SqChart *self)
{
  SqChartLayout *l = &self->layout;

  g_clear_pointer (&l->labels, g_array_unref);
  g_clear_pointer (&l->label_row, g_free);
  g_clear_pointer (&l->label_x, g_free);
  l->valid = FALSE;
}

void
_sq_chart_ensure_layout (SqChart *self,
                         int      width,
                         int      height)
{
  SqChartLayout *l = &self->layout;
  SqChartContext ctx;
  int rows, used;

  if (l->valid && l->width == width && l->height == height)
    return;
  if (l->width != width || l->height != height)
    for (guint i = 0; i < self->layers->len; i++)
      sq_chart_layer_invalidate (g_ptr_array_index (self->layers, i));
  _sq_chart_layout_invalidate (self);
  l->width = width;
  l->height = height;
  l->labels = g_array_new (FALSE, FALSE, sizeof (SqChartLabel));
  for (guint i = 0; i < self->layers->len; i++)
    sq_chart_layer_collect_labels (g_ptr_array_index (self->layers, i), l->labels);
  l->label_row = g_new (int, l->labels->len + 1);
  l->label_x = g_new0 (double, l->labels->len + 1);

  /* The label rows change the plot's height, which changes nothing horizontally: one row first,
   * a second only if labels collide. */
  rows = l->labels->len > 0 ? 1 : 0;
  ctx = (SqChartContext) { GTK_WIDGET (self), self->x_axis, self->y_axis, GRAPHENE_RECT_INIT_ZERO,
                           width, height, 0.0, NULL };
  compute_layout (self, &ctx, rows);
  ctx.plot = l->plot;
  used = place_labels (self, &ctx, rows);
  if (used > rows && rows < MAX_LABEL_ROWS)
    {
      compute_layout (self, &ctx, MAX_LABEL_ROWS);
      ctx.plot = l->plot;
      place_labels (self, &ctx, MAX_LABEL_ROWS);
    }
  l->valid = TRUE;
}

/**
 * _sq_chart_context_init:
 * @palette: (nullable): filled from the style, and used by @ctx
 *
 * What the layers draw with, from the current layout.
 */
void
_sq_chart_context_init (SqChart        *self,
                        SqChartContext *ctx,
                        SqChartPalette *palette)
{
  const SqChartLayout *l = &self->layout;

  if (palette != NULL)
    sq_chart_palette_init (palette, GTK_WIDGET (self));
  *ctx = (SqChartContext) { GTK_WIDGET (self), self->x_axis, self->y_axis, l->plot, l->width,
                            l->height, l->line_h, palette };
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing                                                                                   */

/* Faint horizontal rules at the y ticks, behind everything. */
static void
draw_rules (SqChart              *self,
            const SqChartContext *ctx,
            cairo_t              *cr)
{
  const SqChartLayout *l = &self->layout;
  double plot_bottom = ctx->plot.origin.y + ctx->plot.size.height;

  sq_chart_set_source (cr, &ctx->palette->fg, 0.10);
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < l->n_yticks; i++)
    {
      double y = floor (sq_chart_context_y (ctx, l->yticks[i])) + 0.5;

      if (y > plot_bottom - 1.0)
        continue;   /* the baseline is drawn over it */
      cairo_move_to (cr, ctx->plot.origin.x, y);
      cairo_line_to (cr, ctx->plot.origin.x + ctx->plot.size.width, y);
    }
  cairo_stroke (cr);
}

/* Where tick label @i of the x (horizontal) or y axis goes, as draw_axes() draws it. */
static void
tick_rect (SqChart              *self,
           const SqChartContext *ctx,
           gboolean              horizontal,
           guint                 i,
           const char           *text,
           graphene_rect_t      *rect)
{
  const SqChartLayout *l = &self->layout;
  double w = sq_chart_context_text_width (ctx, text, SQ_CHART_TEXT_SMALL);

  if (horizontal)
    *rect = GRAPHENE_RECT_INIT (sq_chart_context_x (ctx, l->xticks[i]) - w / 2.0,
                                ctx->plot.origin.y + ctx->plot.size.height + TICK_GAP,
                                w, l->line_h);
  else
    *rect = GRAPHENE_RECT_INIT (ctx->plot.origin.x - TICK_GAP - w,
                                sq_chart_context_y (ctx, l->yticks[i]) - l->line_h / 2.0,
                                w, l->line_h);
}

/**
 * sq_chart_get_ticks:
 * @orientation: %GTK_ORIENTATION_HORIZONTAL for the x axis, vertical for the y axis
 *
 * The tick labels as they are drawn at the widget's current size, for tests and
 * accessibility: each one's value, text and extents in widget coordinates.
 *
 * Returns: (transfer full) (element-type SqChartTick): empty when the widget has no size or
 *   the chart no data
 */
GArray *
sq_chart_get_ticks (SqChart        *self,
                    GtkOrientation  orientation)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (SqChartTick));
  gboolean horizontal = orientation == GTK_ORIENTATION_HORIZONTAL;
  int width, height;
  SqChartContext ctx;
  const SqChartLayout *l = &self->layout;

  g_return_val_if_fail (SQ_IS_CHART (self), ticks);

  g_array_set_clear_func (ticks, sq_chart_tick_clear);
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0 || !_sq_chart_has_data (self))
    return ticks;
  _sq_chart_ensure_layout (self, width, height);
  _sq_chart_context_init (self, &ctx, NULL);
  for (guint i = 0; i < (horizontal ? l->n_xticks : l->n_yticks); i++)
    {
      SqChartTick t;

      t.value = horizontal ? l->xticks[i] : l->yticks[i];
      t.text = horizontal ? x_tick_text (self, i) : tick_text (l->yticks, l->n_yticks, i);
      tick_rect (self, &ctx, horizontal, i, t.text, &t.extents);
      g_array_append_val (ticks, t);
    }
  return ticks;
}

void
sq_chart_tick_clear (gpointer tick)
{
  g_clear_pointer (&((SqChartTick *) tick)->text, g_free);
}

static void
draw_axes (SqChart              *self,
           const SqChartContext *ctx,
           cairo_t              *cr)
{
  const SqChartLayout *l = &self->layout;
  const GdkRGBA *fg = &ctx->palette->fg;
  double plot_left = ctx->plot.origin.x, plot_bottom = ctx->plot.origin.y + ctx->plot.size.height;
  double plot_right = plot_left + ctx->plot.size.width;

  /* The baseline at 0, in the row just below the bars growing up from it (for histograms, just
   * below the plot), and ticks below the x axis. */
  sq_chart_set_source (cr, fg, 0.45);
  {
    double y0 = sq_chart_snap (sq_chart_context_y (ctx, 0.0)) + 0.5;

    y0 = CLAMP (y0, ctx->plot.origin.y + 0.5, plot_bottom + 0.5);
    cairo_move_to (cr, plot_left, y0);
    cairo_line_to (cr, plot_right, y0);
  }
  for (guint i = 0; i < l->n_xticks; i++)
    {
      double x = floor (sq_chart_context_x (ctx, l->xticks[i])) + 0.5;

      cairo_move_to (cr, x, plot_bottom);
      cairo_line_to (cr, x, plot_bottom + 4.0);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < l->n_xticks + l->n_yticks; i++)
    {
      gboolean horizontal = i < l->n_xticks;
      guint k = horizontal ? i : i - l->n_xticks;
      g_autofree char *s = horizontal ? x_tick_text (self, k)
                                      : tick_text (l->yticks, l->n_yticks, k);
      graphene_rect_t r;

      tick_rect (self, ctx, horizontal, k, s, &r);
      sq_chart_context_show_text (ctx, cr, s, SQ_CHART_TEXT_SMALL, r.origin.x, r.origin.y, 0.0,
                                  fg, 0.75);
    }

  if (self->x_label != NULL && *self->x_label)
    sq_chart_context_show_text (ctx, cr, self->x_label, SQ_CHART_TEXT_NORMAL,
                                plot_left + ctx->plot.size.width / 2.0,
                                plot_bottom + TICK_GAP + l->line_h + 4.0, 0.5, fg, 0.9);
  if (self->y_label != NULL && *self->y_label)
    {
      double w;

      sq_chart_context_text_size (ctx, self->y_label, SQ_CHART_TEXT_NORMAL, &w, NULL);
      cairo_save (cr);
      sq_chart_set_source (cr, fg, 0.9);
      cairo_move_to (cr, SQ_CHART_PADDING,
                     sq_chart_snap (ctx->plot.origin.y + ctx->plot.size.height / 2.0 + w / 2.0));
      cairo_rotate (cr, -G_PI / 2.0);
      sq_chart_context_draw_text (ctx, cr, self->y_label, SQ_CHART_TEXT_NORMAL);
      cairo_restore (cr);
    }
}

/* The layers' legend entries in their colours, right-aligned on the title's line. */
static void
draw_legend (SqChart              *self,
             const SqChartContext *ctx,
             cairo_t              *cr)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (SqChartLegendEntry));
  double x = ctx->width - SQ_CHART_PADDING, title_end = SQ_CHART_PADDING;

  if (self->title != NULL && *self->title)
    title_end += sq_chart_context_text_width (ctx, self->title, SQ_CHART_TEXT_TITLE);
  for (guint i = 0; i < self->layers->len; i++)
    sq_chart_layer_collect_legend (g_ptr_array_index (self->layers, i), entries);
  for (guint k = entries->len; k-- > 0;)
    {
      const SqChartLegendEntry *e = &g_array_index (entries, SqChartLegendEntry, k);
      double w = sq_chart_context_text_width (ctx, e->text, SQ_CHART_TEXT_SMALL);
      double h = sq_chart_context_text_height (ctx, SQ_CHART_TEXT_SMALL);

      /* A narrow chart keeps its title whole: the entries that would run into it are left
       * out (the accessible description still has them). */
      if (x - w - (e->caption ? 0.0 : 18.0) < title_end + 12.0)
        break;
      sq_chart_context_show_text (ctx, cr, e->text, SQ_CHART_TEXT_SMALL, x, SQ_CHART_PADDING,
                                  1.0, &ctx->palette->fg, 0.85);
      if (e->caption)
        {
          x -= w + 12.0;
          continue;
        }
      x -= w + 4.0;
      sq_chart_set_source (cr, &ctx->palette->named[e->color], 1.0);
      cairo_rectangle (cr, x - 14.0, sq_chart_snap (SQ_CHART_PADDING + h / 2.0 - 1.0), 14.0, 3.0);
      cairo_fill (cr);
      x -= 14.0 + 12.0;
    }
}

/* The labels above the plot that belong to @pass, where the layout placed them. */
static void
draw_labels (SqChart              *self,
             const SqChartContext *ctx,
             cairo_t              *cr,
             SqChartPass           pass)
{
  const SqChartLayout *l = &self->layout;

  for (guint i = 0; i < l->labels->len; i++)
    {
      const SqChartLabel *label = &g_array_index (l->labels, SqChartLabel, i);

      if (label->pass != pass || l->label_row[i] < 0)
        continue;
      sq_chart_context_show_text (ctx, cr, label->text, SQ_CHART_TEXT_SMALL, l->label_x[i],
                                  ctx->plot.origin.y - LABEL_GAP
                                    - (l->label_row[i] + 1) * l->line_h,
                                  0.0, &ctx->palette->named[label->color], 1.0);
    }
}

static void
draw_pass (SqChart              *self,
           const SqChartContext *ctx,
           cairo_t              *cr,
           SqChartPass           pass)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      cairo_save (cr);
      sq_chart_layer_render (g_ptr_array_index (self->layers, i), ctx, cr, pass);
      cairo_restore (cr);
    }
}

static void
draw_placeholder (SqChart              *self,
                  const SqChartContext *ctx,
                  cairo_t              *cr)
{
  const char *text = self->placeholder != NULL ? self->placeholder : _("No data");
  g_autoptr(PangoLayout) layout = sq_chart_context_make_text (ctx, text, SQ_CHART_TEXT_NORMAL,
                                                              NULL, NULL);
  int lh;

  pango_layout_set_width (layout, (int) (MAX (ctx->width - 2 * SQ_CHART_PADDING, 1)
                                         * PANGO_SCALE));
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, NULL, &lh);
  sq_chart_set_source (cr, &ctx->palette->fg, 0.55);
  cairo_move_to (cr, SQ_CHART_PADDING, sq_chart_snap ((ctx->height - lh) / 2.0));
  pango_cairo_show_layout (cr, layout);
}

/**
 * sq_chart_render:
 * @cr: where to draw, with (0, 0) the chart's top-left corner
 *
 * Draws the chart at @width × @height, without background: exactly what the widget shows, minus
 * the hover read-out.
 */
void
sq_chart_render (SqChart *self,
                 cairo_t *cr,
                 int      width,
                 int      height)
{
  SqChartPalette palette;
  SqChartContext ctx;

  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;
  _sq_chart_ensure_layout (self, width, height);
  _sq_chart_context_init (self, &ctx, &palette);

  cairo_save (cr);
  if (self->title != NULL && *self->title)
    sq_chart_context_show_text (&ctx, cr, self->title, SQ_CHART_TEXT_TITLE, SQ_CHART_PADDING,
                                SQ_CHART_PADDING, 0.0, &palette.fg, 1.0);

  if (!_sq_chart_has_data (self))
    {
      draw_placeholder (self, &ctx, cr);
      cairo_restore (cr);
      return;
    }

  draw_rules (self, &ctx, cr);
  draw_pass (self, &ctx, cr, SQ_CHART_PASS_UNDER);
  draw_labels (self, &ctx, cr, SQ_CHART_PASS_UNDER);

  cairo_save (cr);
  sq_chart_context_clip_to_plot (&ctx, cr);
  draw_pass (self, &ctx, cr, SQ_CHART_PASS_PLOT);
  cairo_restore (cr);
  draw_labels (self, &ctx, cr, SQ_CHART_PASS_PLOT);

  draw_axes (self, &ctx, cr);
  draw_legend (self, &ctx, cr);
  draw_pass (self, &ctx, cr, SQ_CHART_PASS_OVER);
  draw_labels (self, &ctx, cr, SQ_CHART_PASS_OVER);
  cairo_restore (cr);
}
