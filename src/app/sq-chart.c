/* sq-chart.c: the plot widget: histograms and per-neuron series with overlays
 *
 * Data → SqAxis → pixels, after sysprof's charts: two SqAxis objects own the value ranges and
 * are updated only when data or overlays change; the layout (plot rectangle, ticks, where the
 * overlay labels go) is cached per size; one cairo function, sq_chart_render(), draws both the
 * screen (through gtk_snapshot_append_cairo) and PNG/SVG exports, so a saved chart is what the
 * user saw. Colours come from the widget's style on every draw, never from constants, so dark
 * mode and high contrast apply; the constants below are only fallbacks outside libadwaita.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

#include "sq-chart.h"

#define PADDING        12.0
#define TICK_GAP        6.0   /* between the plot and its tick labels */
#define LABEL_GAP       4.0   /* between the plot and the overlay labels above it */
#define MAX_TICKS      12
#define MAX_LABEL_ROWS  2
#define GRID_MIN_PX     3.0   /* quantization levels closer than this are not drawn at all */
#define MAX_EXPORT_PX  16384

/* U+2212 MINUS SIGN (lines up with digits and +) and U+202F NARROW NO-BREAK SPACE (groups). */
#define MINUS "\xe2\x88\x92"
#define THIN_SPACE "\xe2\x80\xaf"

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

typedef struct {
  double      *values;
  gsize        n;
  SqChartColor color;
  char        *label;
} Trace;

typedef struct {
  GdkRGBA fg;
  GdkRGBA named[SQ_CHART_COLOR_ERROR + 1];
  GdkRGBA bars;
  GdkRGBA background;
} Palette;

typedef enum {
  TEXT_TITLE,
  TEXT_NORMAL,
  TEXT_SMALL,
} TextKind;

/* Everything that depends on the size and the text, not on the colours. */
typedef struct {
  gboolean        valid;
  int             width;
  int             height;
  graphene_rect_t plot;
  double          line_h;       /* height of a TEXT_SMALL line */
  guint           n_xticks;
  guint           n_yticks;
  double          xticks[MAX_TICKS];
  double          yticks[MAX_TICKS];
  gboolean        draw_grid;
  int            *label_row;    /* per overlay: label row (0 nearest the plot), −1: not drawn */
  double         *label_x;      /* per overlay: left edge of its label */
} Layout;

struct _SqChart
{
  GtkWidget parent_instance;

  char        *title;
  char        *x_label;
  char        *y_label;
  char        *placeholder;
  gboolean     log_scale;

  gboolean     has_hist;
  SqHistogram  hist;
  double      *series;
  gsize        n_series;
  char        *item_name;

  /* A raster: event counts, n_steps rows of raster_stride, of which raster_rows are shown
   * (evenly spread over raster_total rows); summarised per pixel into raster_mask. */
  GBytes      *raster;
  gsize        raster_steps;
  gsize        raster_stride;
  guint32     *raster_rows;
  gsize        n_raster_rows;
  gsize        raster_total;
  SqChartColor raster_color;
  cairo_surface_t *raster_mask;

  GArray      *traces;       /* of Trace */

  GArray      *overlays;     /* of Overlay */
  double       shade_lo;
  double       shade_hi;
  double      *grid;         /* sorted */
  gsize        n_grid;

  SqAxis      *x_axis;
  SqAxis      *y_axis;
  Layout       layout;

  gboolean     hovering;
  double       hover_x;
  double       hover_y;
  GtkWidget   *popover;
};

G_DEFINE_FINAL_TYPE (SqChart, sq_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_X_LABEL,
  PROP_Y_LABEL,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------- */
/* Numbers as text                                                                           */

/* Replaces each ASCII '-' (printf's minus) by U+2212. */
static char *
typographic (const char *s)
{
  GString *out = g_string_sized_new (strlen (s) + 4);

  for (const char *p = s; *p; p++)
    if (*p == '-')
      g_string_append (out, MINUS);
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* 1234567 → "1 234 567" with narrow no-break spaces; the locale's grouping would make the C
 * locale of the tests print no groups at all. */
static char *
format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" PRIu64, n);
  gsize len = strlen (digits);
  GString *out = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, THIN_SPACE);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* @value with as many decimals as @resolution needs (ticks: the step; bin edges: the width). */
static char *
format_value (double value,
              double resolution,
              int    extra_digits)
{
  g_autofree char *ascii = NULL;
  int decimals;

  resolution = fabs (resolution);
  if (!(resolution > 0.0) || !isfinite (resolution))
    resolution = fabs (value) > 0.0 ? fabs (value) : 1.0;
  decimals = resolution >= 1.0 ? 0 : (int) ceil (-log10 (resolution) - 1e-9);
  decimals += extra_digits;

  if (decimals > 6 || fabs (value) >= 1e9)
    ascii = g_strdup_printf ("%.4g", value);
  else if (decimals == 0 && fabs (value) >= 1e4)
    {
      g_autofree char *grouped = format_count ((guint64) fabs (value));

      ascii = value < 0.0 ? g_strconcat ("-", grouped, NULL) : g_strdup (grouped);
    }
  else
    ascii = g_strdup_printf ("%.*f", MAX (decimals, 0), value);
  return typographic (ascii);
}

/* ---------------------------------------------------------------------------------------- */
/* Colours                                                                                   */

static gboolean
is_dark (const GdkRGBA *fg)
{
  return 0.2126 * fg->red + 0.7152 * fg->green + 0.0722 * fg->blue > 0.5;
}

static void
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *light_fallback,
              const char      *dark_fallback,
              gboolean         dark,
              GdkRGBA         *rgba)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (context, name, rgba))
    return;
G_GNUC_END_IGNORE_DEPRECATIONS
  gdk_rgba_parse (rgba, dark ? dark_fallback : light_fallback);
}

/* The colours of the current style; the fallbacks are libadwaita 1.2's own, for when the chart
 * is drawn outside an Adwaita style (an unrooted widget, plain GTK). */
static void
palette_init (SqChart *self,
              Palette *p)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean dark;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &p->fg);
G_GNUC_END_IGNORE_DEPRECATIONS
  dark = is_dark (&p->fg);

  p->named[SQ_CHART_COLOR_FOREGROUND] = p->fg;
  lookup_color (context, "accent_color", "#1c71d8", "#78aeed", dark,
                &p->named[SQ_CHART_COLOR_ACCENT]);
  lookup_color (context, "success_color", "#1b8553", "#8ff0a4", dark,
                &p->named[SQ_CHART_COLOR_SUCCESS]);
  lookup_color (context, "warning_color", "#9c6e03", "#f8e45c", dark,
                &p->named[SQ_CHART_COLOR_WARNING]);
  lookup_color (context, "error_color", "#c01c28", "#ff7b63", dark,
                &p->named[SQ_CHART_COLOR_ERROR]);
  lookup_color (context, "accent_bg_color", "#3584e4", "#3584e4", dark, &p->bars);
  lookup_color (context, "window_bg_color", "#fafafa", "#242424", dark, &p->background);
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *rgba,
           double         alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                      */

static PangoLayout *
make_text (SqChart    *self,
           const char *text,
           TextKind    kind,
           double     *width,
           double     *height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  int w, h;

  if (kind == TEXT_TITLE)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  else if (kind == TEXT_SMALL)
    {
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.9));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
    }
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  return layout;
}

static double
text_width (SqChart    *self,
            const char *text,
            TextKind    kind)
{
  double w;
  g_autoptr(PangoLayout) layout = make_text (self, text, kind, &w, NULL);

  return w;
}

static double
text_height (SqChart  *self,
             TextKind  kind)
{
  double h;
  g_autoptr(PangoLayout) layout = make_text (self, "0", kind, NULL, &h);

  return h;
}

static void
show_text (SqChart       *self,
           cairo_t       *cr,
           const char    *text,
           TextKind       kind,
           double         x,
           double         y,
           double         xalign,
           const GdkRGBA *color,
           double         alpha)
{
  double w;
  g_autoptr(PangoLayout) layout = make_text (self, text, kind, &w, NULL);

  set_color (cr, color, alpha);
  cairo_move_to (cr, round (x - xalign * w), round (y));
  pango_cairo_show_layout (cr, layout);
}

/* ---------------------------------------------------------------------------------------- */
/* Data and axes                                                                             */

static gboolean
has_data (SqChart *self)
{
  if (self->has_hist)
    return self->hist.n > 0;
  if (self->raster != NULL)
    return self->raster_steps > 0 && self->n_raster_rows > 0;
  for (guint i = 0; i < self->traces->len; i++)
    if (g_array_index (self->traces, Trace, i).n > 0)
      return TRUE;
  for (gsize i = 0; i < self->n_series; i++)
    if (isfinite (self->series[i]))
      return TRUE;
  return FALSE;
}

static const char *
overlay_label (const Overlay *o)
{
  return o->label != NULL && *o->label ? o->label : NULL;
}

static void
layout_invalidate (SqChart *self)
{
  g_clear_pointer (&self->raster_mask, cairo_surface_destroy);
  g_clear_pointer (&self->layout.label_row, g_free);
  g_clear_pointer (&self->layout.label_x, g_free);
  self->layout.valid = FALSE;
}

static void
include (double *lo,
         double *hi,
         double  v)
{
  if (!isfinite (v))
    return;
  *lo = MIN (*lo, v);
  *hi = MAX (*hi, v);
}

/* Sets both axes from the data and overlays; the only place ranges are computed. */
static void
update_axes (SqChart *self)
{
  double xlo = 0.0, xhi = 1.0, ylo = 0.0, yhi = 1.0;
  double data_xlo, data_xhi, pad;

  if (self->has_hist)
    {
      guint64 max = sq_histogram_max_count (&self->hist);

      xlo = self->hist.lo;
      xhi = self->hist.hi;
      yhi = max > 0 ? (double) max : 1.0;
    }
  else if (self->raster != NULL)
    {
      /* Steps run from the left edge of step 0 to the right edge of the last; rows are
       * neuron indices, 0 at the bottom. */
      xhi = MAX (self->raster_steps, 1);
      ylo = -0.5;
      yhi = MAX (self->raster_total, 1) - 0.5;
    }
  else if (self->traces->len > 0)
    {
      gsize n = 1;

      ylo = INFINITY;
      yhi = -INFINITY;
      for (guint k = 0; k < self->traces->len; k++)
        {
          const Trace *tr = &g_array_index (self->traces, Trace, k);

          n = MAX (n, tr->n);
          for (gsize i = 0; i < tr->n; i++)
            include (&ylo, &yhi, tr->values[i]);
        }
      xhi = n - 1 > 0 ? n - 1 : 1;
      if (!isfinite (ylo))
        ylo = yhi = 0.0;
    }
  else if (self->n_series > 0)
    {
      /* Bars grow from 0, so the range always holds it. */
      xlo = -0.5;
      xhi = self->n_series - 0.5;
      yhi = 0.0;
      for (gsize i = 0; i < self->n_series; i++)
        include (&ylo, &yhi, self->series[i]);
      if (!(ylo < 0.0) && !(yhi > 0.0))
        yhi = 1.0;
    }

  data_xlo = xlo;
  data_xhi = xhi;
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);

      if (o->kind == OVERLAY_HLINE)
        include (&ylo, &yhi, o->a);
      else
        {
          include (&xlo, &xhi, o->a);
          if (o->kind == OVERLAY_VBAND)
            include (&xlo, &xhi, o->b);
        }
    }
  include (&xlo, &xhi, self->shade_lo);
  include (&xlo, &xhi, self->shade_hi);

  /* An overlay beyond the data would sit on the plot's edge: give it some room. */
  pad = 0.03 * (xhi - xlo);
  if (xlo < data_xlo)
    xlo -= pad;
  if (xhi > data_xhi)
    xhi += pad;

  if (self->raster != NULL)
    {
      sq_axis_set_logarithmic (self->y_axis, FALSE);
      sq_axis_set_range (self->x_axis, xlo, xhi);
      sq_axis_set_range (self->y_axis, ylo, yhi);
      return;
    }
  if (self->traces->len > 0)
    {
      /* Room above and below the lines, which have no baseline to grow from. */
      pad = 0.05 * (yhi - ylo);
      sq_axis_set_logarithmic (self->y_axis, FALSE);
      sq_axis_set_range (self->x_axis, xlo, xhi);
      sq_axis_set_range (self->y_axis, ylo - pad, yhi + pad);
      return;
    }

  /* Headroom above the tallest bar, in the axis's own scale so log plots get it too. */
  if (self->log_scale)
    yhi = copysign (expm1 (log1p (fabs (yhi)) * 1.05), yhi);
  else
    yhi += 0.05 * (yhi - ylo);
  if (ylo < 0.0)
    ylo -= 0.05 * (yhi - ylo);

  sq_axis_set_logarithmic (self->y_axis, self->log_scale);
  sq_axis_set_range (self->x_axis, xlo, xhi);
  sq_axis_set_range (self->y_axis, ylo, yhi);
}

static void
data_changed (SqChart *self)
{
  update_axes (self);
  layout_invalidate (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.save-png", has_data (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.save-svg", has_data (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------------------------- */
/* Layout                                                                                    */

static inline double
px_x (const Layout *l,
      SqAxis       *axis,
      double        x)
{
  return l->plot.origin.x + sq_axis_normalize (axis, x) * l->plot.size.width;
}

static inline double
px_y (const Layout *l,
      SqAxis       *axis,
      double        y)
{
  return l->plot.origin.y + (1.0 - sq_axis_normalize (axis, y)) * l->plot.size.height;
}

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
  return format_value (ticks[i], step, 0);
}

static double
widest_tick (SqChart      *self,
             const double *ticks,
             guint         n)
{
  double w = 0.0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *s = tick_text (ticks, n, i);

      w = MAX (w, text_width (self, s, TEXT_SMALL));
    }
  return w;
}

/* Puts each vline and vband label in the lowest row above the plot where it does not overlap
 * another; labels that fit in no row are left out rather than drawn over each other. Returns
 * the number of rows used, or @rows + 1 when a label did not fit. */
static int
place_labels (SqChart *self,
              Layout  *l,
              int      rows)
{
  double right[MAX_LABEL_ROWS];
  int used = 0;
  g_autofree guint *order = g_new (guint, self->overlays->len + 1);
  guint n = 0;

  for (int r = 0; r < MAX_LABEL_ROWS; r++)
    right[r] = -G_MAXDOUBLE;

  /* Left to right, so each row only needs its rightmost edge. */
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);

      l->label_row[i] = -1;
      if (o->kind == OVERLAY_HLINE || overlay_label (o) == NULL || !isfinite (o->a))
        continue;
      if (o->kind == OVERLAY_VBAND && !isfinite (o->b))
        continue;
      {
        double centre = o->kind == OVERLAY_VBAND ? (o->a + o->b) / 2.0 : o->a;
        double w = text_width (self, overlay_label (o), TEXT_SMALL);
        double x = px_x (l, self->x_axis, centre) - w / 2.0;
        guint k = n++;

        l->label_x[i] = CLAMP (x, PADDING, MAX (PADDING, l->width - PADDING - w));
        while (k > 0 && l->label_x[order[k - 1]] > l->label_x[i])
          {
            order[k] = order[k - 1];
            k--;
          }
        order[k] = i;
      }
    }

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k];
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);
      double w = text_width (self, overlay_label (o), TEXT_SMALL);
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
      right[r] = l->label_x[i] + w;
      used = MAX (used, r + 1);
    }
  return used;
}

static gboolean
has_overlay_labels (SqChart *self)
{
  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);

      if (o->kind != OVERLAY_HLINE && overlay_label (o) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
compute_layout (SqChart *self,
                Layout  *l,
                int      width,
                int      height,
                int      rows)
{
  double small_h = text_height (self, TEXT_SMALL);
  double normal_h = text_height (self, TEXT_NORMAL);
  double top = PADDING, bottom = PADDING, left = PADDING, right = PADDING + 8.0;
  double plot_w, plot_h, spacing;
  guint max_y, max_x;

  l->width = width;
  l->height = height;
  l->line_h = small_h;

  if (self->title != NULL && *self->title)
    top += text_height (self, TEXT_TITLE) + 8.0;
  if (rows > 0)
    top += rows * small_h + LABEL_GAP;
  else
    top += small_h / 2.0;   /* room for the top tick label, which is centred on its tick */

  bottom += small_h + TICK_GAP;
  if (self->x_label != NULL && *self->x_label)
    bottom += normal_h + 4.0;

  plot_h = MAX (height - top - bottom, 1.0);
  max_y = CLAMP ((guint) (plot_h / (2.5 * small_h)), 2, MAX_TICKS);
  l->n_yticks = sq_axis_ticks (self->y_axis, l->yticks, max_y);
  if (self->raster != NULL)
    {
      /* Rows are neurons: only whole indices get a tick. */
      guint n = 0;

      for (guint i = 0; i < l->n_yticks; i++)
        if (!(fabs (l->yticks[i] - nearbyint (l->yticks[i])) > 1e-9))
          l->yticks[n++] = l->yticks[i];
      l->n_yticks = n;
    }

  left += widest_tick (self, l->yticks, l->n_yticks) + TICK_GAP;
  if (self->y_label != NULL && *self->y_label)
    left += normal_h + 6.0;

  plot_w = MAX (width - left - right, 1.0);
  /* As many x ticks as fit with a gap of two digits between their labels. */
  max_x = MAX_TICKS;
  for (;;)
    {
      l->n_xticks = sq_axis_ticks (self->x_axis, l->xticks, max_x);
      if (l->n_xticks < 2 || max_x <= 2)
        break;
      spacing = plot_w * (sq_axis_normalize (self->x_axis, l->xticks[1])
                          - sq_axis_normalize (self->x_axis, l->xticks[0]));
      if (widest_tick (self, l->xticks, l->n_xticks) + 2.0 * small_h <= spacing
          || sq_axis_get_logarithmic (self->x_axis))
        break;
      max_x = l->n_xticks - 1;
    }

  l->plot = GRAPHENE_RECT_INIT (round (left), round (top), round (plot_w), round (plot_h));
}

static void
ensure_layout (SqChart *self,
               int      width,
               int      height)
{
  Layout *l = &self->layout;
  int rows, used;

  if (l->valid && l->width == width && l->height == height)
    return;
  layout_invalidate (self);
  l->label_row = g_new (int, self->overlays->len + 1);
  l->label_x = g_new0 (double, self->overlays->len + 1);

  /* The label rows change the plot's height, which changes nothing horizontally: one row first,
   * a second only if labels collide. */
  rows = has_overlay_labels (self) ? 1 : 0;
  compute_layout (self, l, width, height, rows);
  used = place_labels (self, l, rows);
  if (used > rows && rows < MAX_LABEL_ROWS)
    {
      compute_layout (self, l, width, height, MAX_LABEL_ROWS);
      place_labels (self, l, MAX_LABEL_ROWS);
    }

  /* Quantization levels: all of them or none, never a grey wash. */
  l->draw_grid = self->n_grid > 0;
  for (gsize i = 1; i < self->n_grid && l->draw_grid; i++)
    {
      double a = px_x (l, self->x_axis, self->grid[i - 1]);
      double b = px_x (l, self->x_axis, self->grid[i]);

      if (b - a < GRID_MIN_PX && b >= l->plot.origin.x
          && a <= l->plot.origin.x + l->plot.size.width)
        l->draw_grid = FALSE;
    }
  l->valid = TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing                                                                                   */

static void
clip_to_plot (cairo_t      *cr,
              const Layout *l)
{
  cairo_rectangle (cr, l->plot.origin.x, l->plot.origin.y, l->plot.size.width,
                   l->plot.size.height);
  cairo_clip (cr);
}

/* A 1-px line on pixel centres, so it is sharp. */
static void
vertical_hairline (cairo_t      *cr,
                   const Layout *l,
                   double        x)
{
  x = floor (x) + 0.5;
  cairo_move_to (cr, x, l->plot.origin.y);
  cairo_line_to (cr, x, l->plot.origin.y + l->plot.size.height);
}

static void
draw_bars (SqChart       *self,
           cairo_t       *cr,
           const Layout  *l,
           const Palette *p)
{
  double base = round (px_y (l, self->y_axis, 0.0));
  guint n = self->has_hist ? self->hist.n_bins : (guint) self->n_series;

  set_color (cr, &p->bars, 1.0);
  for (guint i = 0; i < n; i++)
    {
      double x0, x1, top, v;

      if (self->has_hist)
        {
          if (self->hist.counts[i] == 0)
            continue;
          v = (double) self->hist.counts[i];
          x0 = round (px_x (l, self->x_axis, self->hist.edges[i]));
          x1 = round (px_x (l, self->x_axis, self->hist.edges[i + 1]));
        }
      else
        {
          v = self->series[i];
          if (!isfinite (v))
            continue;   /* a gap */
          x0 = round (px_x (l, self->x_axis, i - 0.5));
          x1 = round (px_x (l, self->x_axis, i + 0.5));
        }
      /* Wide bars get a 1-px gap so neighbours stay apart; thin ones are at least a pixel. */
      if (x1 - x0 >= 5.0)
        x1 -= 1.0;
      if (x1 - x0 < 1.0)
        x1 = x0 + 1.0;

      top = round (px_y (l, self->y_axis, v));
      /* A non-zero value is never invisible; the baseline covers a bar's first row below 0. */
      if (v > 0.0 && top > base - 1.0)
        top = base - 1.0;
      else if (v < 0.0 && top < base + 2.0)
        top = base + 2.0;
      cairo_rectangle (cr, x0, MIN (top, base), x1 - x0, fabs (base - top));
    }
  cairo_fill (cr);
}

static void
draw_overlays (SqChart       *self,
               cairo_t       *cr,
               const Layout  *l,
               const Palette *p,
               OverlayKind    kind)
{
  static const double dash[] = { 6.0, 4.0 };

  for (guint i = 0; i < self->overlays->len; i++)
    {
      const Overlay *o = &g_array_index (self->overlays, Overlay, i);
      const GdkRGBA *color = &p->named[o->color];

      if (o->kind != kind || !isfinite (o->a))
        continue;

      cairo_save (cr);
      clip_to_plot (cr, l);
      if (kind == OVERLAY_VBAND)
        {
          double x0, x1;

          if (!isfinite (o->b))
            {
              cairo_restore (cr);
              continue;
            }
          x0 = round (px_x (l, self->x_axis, MIN (o->a, o->b)));
          x1 = round (px_x (l, self->x_axis, MAX (o->a, o->b)));
          /* A faint wash, so the bars stay readable through a wide band, and a firm strip
           * along the top that shows where it starts and ends. */
          set_color (cr, color, 0.08);
          cairo_rectangle (cr, x0, l->plot.origin.y, MAX (x1 - x0, 1.0), l->plot.size.height);
          cairo_fill (cr);
          set_color (cr, color, 0.7);
          cairo_rectangle (cr, x0, l->plot.origin.y, MAX (x1 - x0, 1.0), 4.0);
          cairo_fill (cr);
        }
      else
        {
          /* 2 px wide on a pixel boundary: the two columns either side of the value. */
          set_color (cr, color, 1.0);
          cairo_set_line_width (cr, 2.0);
          cairo_set_dash (cr, dash, o->dashed ? G_N_ELEMENTS (dash) : 0, 0.0);
          if (kind == OVERLAY_VLINE)
            {
              double x = round (px_x (l, self->x_axis, o->a));

              cairo_move_to (cr, x, l->plot.origin.y + l->plot.size.height);
              cairo_line_to (cr, x, l->plot.origin.y);
            }
          else
            {
              double y = round (px_y (l, self->y_axis, o->a));

              cairo_move_to (cr, l->plot.origin.x, y);
              cairo_line_to (cr, l->plot.origin.x + l->plot.size.width, y);
            }
          cairo_stroke (cr);
        }
      cairo_restore (cr);

      if (overlay_label (o) == NULL)
        continue;
      if (kind == OVERLAY_HLINE)
        {
          double y = round (px_y (l, self->y_axis, o->a));
          double w = text_width (self, overlay_label (o), TEXT_SMALL);

          /* Inside the plot the label may cross a bar: a backing of the window's colour keeps
           * it readable. */
          set_color (cr, &p->background, 0.85);
          cairo_rectangle (cr, l->plot.origin.x + l->plot.size.width - 7.0 - w,
                           y - l->line_h - 2.0, w + 6.0, l->line_h);
          cairo_fill (cr);
          show_text (self, cr, overlay_label (o), TEXT_SMALL,
                     l->plot.origin.x + l->plot.size.width - 4.0, y - l->line_h - 2.0, 1.0,
                     color, 1.0);
        }
      else if (l->label_row[i] >= 0)
        show_text (self, cr, overlay_label (o), TEXT_SMALL, l->label_x[i],
                   l->plot.origin.y - LABEL_GAP - (l->label_row[i] + 1) * l->line_h, 0.0,
                   color, 1.0);
    }
}

/* Faint horizontal rules at the y ticks, behind everything. */
static void
draw_rules (SqChart       *self,
            cairo_t       *cr,
            const Layout  *l,
            const Palette *p)
{
  double plot_bottom = l->plot.origin.y + l->plot.size.height;

  set_color (cr, &p->fg, 0.10);
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < l->n_yticks; i++)
    {
      double y = floor (px_y (l, self->y_axis, l->yticks[i])) + 0.5;

      if (y > plot_bottom - 1.0)
        continue;   /* the baseline is drawn over it */
      cairo_move_to (cr, l->plot.origin.x, y);
      cairo_line_to (cr, l->plot.origin.x + l->plot.size.width, y);
    }
  cairo_stroke (cr);
}

static void
draw_axes (SqChart       *self,
           cairo_t       *cr,
           const Layout  *l,
           const Palette *p)
{
  double plot_left = l->plot.origin.x, plot_bottom = l->plot.origin.y + l->plot.size.height;
  double plot_right = plot_left + l->plot.size.width;

  /* The baseline at 0, in the row just below the bars growing up from it (for histograms, just
   * below the plot), and ticks below the x axis. */
  set_color (cr, &p->fg, 0.45);
  {
    double y0 = round (px_y (l, self->y_axis, 0.0)) + 0.5;

    y0 = CLAMP (y0, l->plot.origin.y + 0.5, plot_bottom + 0.5);
    cairo_move_to (cr, plot_left, y0);
    cairo_line_to (cr, plot_right, y0);
  }
  for (guint i = 0; i < l->n_xticks; i++)
    {
      double x = floor (px_x (l, self->x_axis, l->xticks[i])) + 0.5;

      cairo_move_to (cr, x, plot_bottom);
      cairo_line_to (cr, x, plot_bottom + 4.0);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < l->n_xticks; i++)
    {
      g_autofree char *s = tick_text (l->xticks, l->n_xticks, i);

      show_text (self, cr, s, TEXT_SMALL, px_x (l, self->x_axis, l->xticks[i]),
                 plot_bottom + TICK_GAP, 0.5, &p->fg, 0.75);
    }
  for (guint i = 0; i < l->n_yticks; i++)
    {
      g_autofree char *s = tick_text (l->yticks, l->n_yticks, i);

      show_text (self, cr, s, TEXT_SMALL, plot_left - TICK_GAP,
                 px_y (l, self->y_axis, l->yticks[i]) - l->line_h / 2.0, 1.0, &p->fg, 0.75);
    }

  if (self->x_label != NULL && *self->x_label)
    show_text (self, cr, self->x_label, TEXT_NORMAL, plot_left + l->plot.size.width / 2.0,
               plot_bottom + TICK_GAP + l->line_h + 4.0, 0.5, &p->fg, 0.9);
  if (self->y_label != NULL && *self->y_label)
    {
      double w, h;
      g_autoptr(PangoLayout) layout = make_text (self, self->y_label, TEXT_NORMAL, &w, &h);

      cairo_save (cr);
      set_color (cr, &p->fg, 0.9);
      cairo_move_to (cr, PADDING, round (l->plot.origin.y + l->plot.size.height / 2.0 + w / 2.0));
      cairo_rotate (cr, -G_PI / 2.0);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }
}

/* Events per pixel: each mask pixel sums the counts of the steps and rows it covers, divided
 * by how many it covers (pixels of a plot narrower than the steps cover one or two steps,
 * which must not show as stripes), so the cost of a frame does not grow with the events:
 * the mask is kept until the size or the data change. Pixels with any event are at least
 * faintly visible; the rest scale with the square root of their rate, so a few busy cells do
 * not wash out the others. */
static void
ensure_raster_mask (SqChart      *self,
                    const Layout *l)
{
  const gsize T = self->raster_steps, R = self->n_raster_rows, stride = self->raster_stride;
  const guint8 *counts = g_bytes_get_data (self->raster, NULL);
  g_autofree guint64 *acc = NULL;
  g_autofree gsize *row_px = NULL, *col_steps = NULL, *px_rows = NULL;
  g_autofree double *rate = NULL;
  double max = 0.0;
  guint8 *data;
  int w, h, mask_stride;

  if (self->raster_mask != NULL)
    return;
  w = (int) MIN ((gsize) MAX (l->plot.size.width, 1.0), T);
  h = (int) MIN ((gsize) MAX (l->plot.size.height, 1.0), R);
  acc = g_new0 (guint64, (gsize) w * h);
  row_px = g_new (gsize, R);
  px_rows = g_new0 (gsize, h);
  col_steps = g_new0 (gsize, w);
  /* Row 0 at the bottom of the mask, like the y axis. */
  for (gsize i = 0; i < R; i++)
    {
      row_px[i] = h - 1 - i * h / R;
      px_rows[row_px[i]]++;
    }

  for (gsize t = 0; t < T; t++)
    {
      gsize col = t * w / T;
      guint64 *a = acc + col * h;
      const guint8 *row = counts + t * stride;

      col_steps[col]++;
      for (gsize i = 0; i < R; i++)
        a[row_px[i]] += row[self->raster_rows[i]];
    }
  rate = g_new (double, (gsize) w * h);
  for (int x = 0; x < w; x++)
    for (int y = 0; y < h; y++)
      {
        gsize k = (gsize) x * h + y;

        rate[k] = (double) acc[k] / (double) MAX (col_steps[x] * px_rows[y], 1);
        max = MAX (max, rate[k]);
      }

  self->raster_mask = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  cairo_surface_flush (self->raster_mask);
  data = cairo_image_surface_get_data (self->raster_mask);
  mask_stride = cairo_image_surface_get_stride (self->raster_mask);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gsize k = (gsize) x * h + y;

        data[y * mask_stride + x] = acc[k] == 0 ? 0
          : (guint8) (255.0 * (0.35 + 0.65 * sqrt (rate[k] / max)));
      }
  cairo_surface_mark_dirty (self->raster_mask);
}

static void
draw_raster (SqChart       *self,
             cairo_t       *cr,
             const Layout  *l,
             const Palette *p)
{
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  ensure_raster_mask (self, l);
  pattern = cairo_pattern_create_for_surface (self->raster_mask);
  /* Sharp cells when there are fewer steps or rows than pixels. */
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_scale (&matrix,
                           cairo_image_surface_get_width (self->raster_mask)
                             / l->plot.size.width,
                           cairo_image_surface_get_height (self->raster_mask)
                             / l->plot.size.height);
  cairo_matrix_translate (&matrix, -l->plot.origin.x, -l->plot.origin.y);
  cairo_pattern_set_matrix (pattern, &matrix);
  set_color (cr, &p->named[self->raster_color], 1.0);
  cairo_mask (cr, pattern);
  cairo_pattern_destroy (pattern);
}

/* Lines, summarised per pixel column when there are more steps than pixels: each column
 * draws the span from its smallest to its largest value (joined to the previous column's
 * last), so spikes and resets stay visible whatever the zoom. */
static void
draw_traces (SqChart       *self,
             cairo_t       *cr,
             const Layout  *l,
             const Palette *p)
{
  for (guint k = 0; k < self->traces->len; k++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, k);
      gsize W = (gsize) MAX (l->plot.size.width, 1.0);
      gboolean started = FALSE;

      set_color (cr, &p->named[tr->color], 1.0);
      cairo_set_line_width (cr, k == 0 ? 1.5 : 1.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
      if (tr->n <= 2 * W)
        for (gsize i = 0; i < tr->n; i++)
          {
            double x = px_x (l, self->x_axis, (double) i), y;

            if (!isfinite (tr->values[i]))
              {
                started = FALSE;
                continue;
              }
            y = px_y (l, self->y_axis, tr->values[i]);
            if (started)
              cairo_line_to (cr, x, y);
            else
              cairo_move_to (cr, x, y);
            started = TRUE;
          }
      else
        {
          double last = NAN;

          for (gsize c = 0; c < W; c++)
            {
              gsize t0 = c * tr->n / W, t1 = (c + 1) * tr->n / W;
              double lo = last, hi = last, x = l->plot.origin.x + c + 0.5;

              for (gsize t = t0; t < t1; t++)
                if (isfinite (tr->values[t]))
                  {
                    lo = isfinite (lo) ? MIN (lo, tr->values[t]) : tr->values[t];
                    hi = isfinite (hi) ? MAX (hi, tr->values[t]) : tr->values[t];
                    last = tr->values[t];
                  }
              if (!isfinite (lo))
                continue;
              cairo_move_to (cr, x, px_y (l, self->y_axis, hi) - 0.5);
              cairo_line_to (cr, x, px_y (l, self->y_axis, lo) + 0.5);
            }
        }
      cairo_stroke (cr);
    }
}

/* The traces' names in their colours, right-aligned on the title's line. */
static void
draw_legend (SqChart       *self,
             cairo_t       *cr,
             const Palette *p,
             int            width)
{
  double x = width - PADDING;

  for (guint k = self->traces->len; k-- > 0;)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, k);
      double w, h;

      if (tr->label == NULL || *tr->label == '\0')
        continue;
      w = text_width (self, tr->label, TEXT_SMALL);
      h = text_height (self, TEXT_SMALL);
      show_text (self, cr, tr->label, TEXT_SMALL, x, PADDING, 1.0, &p->fg, 0.85);
      x -= w + 4.0;
      set_color (cr, &p->named[tr->color], 1.0);
      cairo_rectangle (cr, x - 14.0, round (PADDING + h / 2.0 - 1.0), 14.0, 3.0);
      cairo_fill (cr);
      x -= 14.0 + 12.0;
    }
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
  Layout *l;
  Palette p;

  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;
  palette_init (self, &p);
  ensure_layout (self, width, height);
  l = &self->layout;

  cairo_save (cr);
  if (self->title != NULL && *self->title)
    show_text (self, cr, self->title, TEXT_TITLE, PADDING, PADDING, 0.0, &p.fg, 1.0);

  if (!has_data (self))
    {
      const char *text = self->placeholder != NULL ? self->placeholder : _("No data");
      double w, h;
      g_autoptr(PangoLayout) layout = make_text (self, text, TEXT_NORMAL, &w, &h);

      pango_layout_set_width (layout, (int) (MAX (width - 2 * PADDING, 1) * PANGO_SCALE));
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_get_pixel_size (layout, NULL, NULL);
      {
        int lh;

        pango_layout_get_pixel_size (layout, NULL, &lh);
        set_color (cr, &p.fg, 0.55);
        cairo_move_to (cr, PADDING, round ((height - lh) / 2.0));
        pango_cairo_show_layout (cr, layout);
      }
      cairo_restore (cr);
      return;
    }

  draw_rules (self, cr, l, &p);
  draw_overlays (self, cr, l, &p, OVERLAY_VBAND);

  cairo_save (cr);
  clip_to_plot (cr, l);
  if (self->raster != NULL)
    draw_raster (self, cr, l, &p);
  else if (self->traces->len > 0)
    draw_traces (self, cr, l, &p);
  else
    draw_bars (self, cr, l, &p);

  if (l->draw_grid)
    {
      set_color (cr, &p.fg, 0.22);
      cairo_set_line_width (cr, 1.0);
      for (gsize i = 0; i < self->n_grid; i++)
        vertical_hairline (cr, l, px_x (l, self->x_axis, self->grid[i]));
      cairo_stroke (cr);
    }

  if (isfinite (self->shade_lo) || isfinite (self->shade_hi))
    {
      double left = l->plot.origin.x, right = left + l->plot.size.width;

      set_color (cr, &p.named[SQ_CHART_COLOR_ERROR], 0.14);
      if (isfinite (self->shade_lo))
        {
          double x = round (px_x (l, self->x_axis, self->shade_lo));

          if (x > left)
            cairo_rectangle (cr, left, l->plot.origin.y, x - left, l->plot.size.height);
        }
      if (isfinite (self->shade_hi))
        {
          double x = round (px_x (l, self->x_axis, self->shade_hi));

          if (x < right)
            cairo_rectangle (cr, x, l->plot.origin.y, right - x, l->plot.size.height);
        }
      cairo_fill (cr);
    }
  cairo_restore (cr);

  draw_axes (self, cr, l, &p);
  draw_legend (self, cr, &p, width);
  draw_overlays (self, cr, l, &p, OVERLAY_HLINE);
  draw_overlays (self, cr, l, &p, OVERLAY_VLINE);
  cairo_restore (cr);
}

/* The read-out box, styled like a GTK tooltip, beside the pointer and inside the widget. */
static void
draw_readout (SqChart *self,
              cairo_t *cr,
              int      width,
              int      height)
{
  g_autofree char *text = sq_chart_describe_at (self, self->hover_x, self->hover_y);
  static const GdkRGBA box = { 0.0, 0.0, 0.0, 0.8 }, ink = { 1.0, 1.0, 1.0, 1.0 };
  g_autoptr(PangoLayout) layout = NULL;
  double w, h, x, y, bw, bh, r = 6.0;
  const Layout *l = &self->layout;

  if (text == NULL)
    return;

  /* The hovered bin or item, lightly. */
  {
    double dx;

    if (sq_chart_widget_to_data (self, self->hover_x, self->hover_y, &dx, NULL))
      {
        double x0, x1;
        guint bin;

        if (self->has_hist && sq_histogram_find_bin (&self->hist, dx, &bin))
          {
            x0 = self->hist.edges[bin];
            x1 = self->hist.edges[bin + 1];
          }
        else
          {
            x0 = floor (dx + 0.5) - 0.5;
            x1 = x0 + 1.0;
          }
        x0 = round (px_x (l, self->x_axis, x0));
        x1 = round (px_x (l, self->x_axis, x1));
        cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.15);
        cairo_rectangle (cr, x0, l->plot.origin.y, MAX (x1 - x0, 1.0), l->plot.size.height);
        cairo_fill (cr);
      }
  }

  layout = make_text (self, text, TEXT_NORMAL, &w, &h);
  bw = w + 12.0;
  bh = h + 8.0;
  x = self->hover_x + 14.0;
  y = self->hover_y + 14.0;
  if (x + bw > width - 2.0)
    x = self->hover_x - 8.0 - bw;
  if (y + bh > height - 2.0)
    y = self->hover_y - 8.0 - bh;
  x = round (CLAMP (x, 2.0, MAX (2.0, width - bw - 2.0)));
  y = round (CLAMP (y, 2.0, MAX (2.0, height - bh - 2.0)));

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + bw - r, y + r, r, -G_PI / 2.0, 0.0);
  cairo_arc (cr, x + bw - r, y + bh - r, r, 0.0, G_PI / 2.0);
  cairo_arc (cr, x + r, y + bh - r, r, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 1.5 * G_PI);
  cairo_close_path (cr);
  set_color (cr, &box, 1.0);
  cairo_fill (cr);

  set_color (cr, &ink, 1.0);
  cairo_move_to (cr, x + 6.0, y + 4.0);
  pango_cairo_show_layout (cr, layout);
}

static void
sq_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  SqChart *self = SQ_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sq_chart_render (self, cr, width, height);
  if (self->hovering)
    draw_readout (self, cr, width, height);
  cairo_destroy (cr);
}

/* ---------------------------------------------------------------------------------------- */
/* Geometry                                                                                  */

/**
 * sq_chart_get_plot_area:
 * @area: (out): the rectangle data is drawn in, in widget coordinates
 *
 * Returns: whether the widget has a size
 */
gboolean
sq_chart_get_plot_area (SqChart         *self,
                        graphene_rect_t *area)
{
  int width, height;

  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    return FALSE;
  ensure_layout (self, width, height);
  if (area != NULL)
    *area = self->layout.plot;
  return TRUE;
}

/**
 * sq_chart_data_to_widget:
 * @wx: (out) (optional): @wy: (out) (optional): where the data point @x, @y is drawn, in
 *   widget coordinates at the widget's current size
 *
 * Returns: whether the widget has a size
 */
gboolean
sq_chart_data_to_widget (SqChart *self,
                         double   x,
                         double   y,
                         double  *wx,
                         double  *wy)
{
  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);

  if (!sq_chart_get_plot_area (self, NULL))
    return FALSE;
  if (wx != NULL)
    *wx = px_x (&self->layout, self->x_axis, x);
  if (wy != NULL)
    *wy = px_y (&self->layout, self->y_axis, y);
  return TRUE;
}

/**
 * sq_chart_widget_to_data:
 *
 * The inverse of sq_chart_data_to_widget().
 *
 * Returns: whether (@wx, @wy) lies in the plot area
 */
gboolean
sq_chart_widget_to_data (SqChart *self,
                         double   wx,
                         double   wy,
                         double  *x,
                         double  *y)
{
  graphene_rect_t plot;

  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);

  if (!sq_chart_get_plot_area (self, &plot))
    return FALSE;
  if (x != NULL)
    *x = sq_axis_denormalize (self->x_axis, (wx - plot.origin.x) / plot.size.width);
  if (y != NULL)
    *y = sq_axis_denormalize (self->y_axis,
                              1.0 - (wy - plot.origin.y) / plot.size.height);
  return wx >= plot.origin.x && wx <= plot.origin.x + plot.size.width
         && wy >= plot.origin.y && wy <= plot.origin.y + plot.size.height;
}

/**
 * sq_chart_get_x_axis:
 *
 * Returns: (transfer none): the axis mapping x values; the chart sets its range
 */
SqAxis *
sq_chart_get_x_axis (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return self->x_axis;
}

/**
 * sq_chart_get_y_axis:
 *
 * Returns: (transfer none): the axis mapping y values (counts for a histogram)
 */
SqAxis *
sq_chart_get_y_axis (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return self->y_axis;
}

/**
 * sq_chart_describe_at:
 * @x: @y: widget coordinates
 *
 * The read-out for the bin or item under (@x, @y): "[−0.0125, −0.0100): 1 234 values" for a
 * histogram (the last bin is closed: "]"), "neuron 12: 0.0345" for a series.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL outside the plot or the data
 */
char *
sq_chart_describe_at (SqChart *self,
                      double   x,
                      double   y)
{
  double dx;

  g_return_val_if_fail (SQ_IS_CHART (self), NULL);

  if (!has_data (self) || !sq_chart_widget_to_data (self, x, y, &dx, NULL))
    return NULL;

  if (self->raster != NULL)
    {
      double dy;
      gsize t, i;
      guint count;

      sq_chart_widget_to_data (self, x, y, NULL, &dy);
      if (!(dx >= 0.0) || !(dx < (double) self->raster_steps) || !(dy >= -0.5))
        return NULL;
      t = (gsize) dx;
      i = (gsize) ((dy + 0.5) * (double) self->n_raster_rows / (double) self->raster_total);
      if (i >= self->n_raster_rows)
        return NULL;
      count = ((const guint8 *) g_bytes_get_data (self->raster, NULL))
                [t * self->raster_stride + self->raster_rows[i]];
      /* Translators: a neuron by its name and index, a time step and its events there */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u, step %zu: %u event",
                                           "%s %u, step %zu: %u events", count),
                              self->item_name != NULL ? self->item_name : _("neuron"),
                              self->raster_rows[i], t, count);
    }
  if (self->traces->len > 0)
    {
      double index = floor (dx + 0.5);
      GString *text;

      if (!(index >= 0.0))
        return NULL;
      /* Translators: a time step, followed by each line's name and value there */
      text = g_string_new (NULL);
      g_string_printf (text, _("step %zu"), (gsize) index);
      for (guint k = 0; k < self->traces->len; k++)
        {
          const Trace *tr = &g_array_index (self->traces, Trace, k);
          g_autofree char *ascii = NULL, *value = NULL;

          if (index >= (double) tr->n || !isfinite (tr->values[(gsize) index]))
            continue;
          ascii = g_strdup_printf ("%.4g", tr->values[(gsize) index]);
          value = typographic (ascii);
          g_string_append_printf (text, "\n%s: %s", tr->label ? tr->label : "", value);
        }
      return g_string_free (text, FALSE);
    }
  if (self->has_hist)
    {
      guint bin;
      double width = sq_histogram_bin_width (&self->hist);
      guint64 count;
      g_autofree char *lo = NULL, *hi = NULL, *n = NULL;

      if (!sq_histogram_find_bin (&self->hist, dx, &bin))
        return NULL;
      count = self->hist.counts[bin];
      lo = format_value (self->hist.edges[bin], width, 1);
      hi = format_value (self->hist.edges[bin + 1], width, 1);
      n = format_count (count);
      return g_strdup_printf (bin + 1 == self->hist.n_bins
                                /* Translators: a histogram bin [from, to] and its count */
                                ? g_dngettext (GETTEXT_PACKAGE, "[%s, %s]: %s value",
                                               "[%s, %s]: %s values",
                                               (gulong) MIN (count, G_MAXULONG))
                                /* Translators: a histogram bin [from, to) and its count */
                                : g_dngettext (GETTEXT_PACKAGE, "[%s, %s): %s value",
                                               "[%s, %s): %s values",
                                               (gulong) MIN (count, G_MAXULONG)),
                              lo, hi, n);
    }
  else
    {
      double index = floor (dx + 0.5);
      gsize i;
      g_autofree char *ascii = NULL, *value = NULL;

      if (!(index >= 0.0) || !(index < (double) self->n_series))
        return NULL;
      i = (gsize) index;
      if (!isfinite (self->series[i]))
        return NULL;
      ascii = g_strdup_printf ("%g", self->series[i]);
      value = typographic (ascii);
      /* Translators: an item (a neuron) by its name and index, and its value */
      return g_strdup_printf (_("%s %zu: %s"),
                              self->item_name != NULL ? self->item_name : _("item"), i, value);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Export                                                                                    */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
paint_background (SqChart *self,
                  cairo_t *cr)
{
  Palette p;

  palette_init (self, &p);
  set_color (cr, &p.background, 1.0);
  cairo_paint (cr);
}

/**
 * sq_chart_save_scaled:
 * @width: @height: the chart's size in logical pixels, 1 to 16384
 * @scale: pixels per logical pixel in a PNG (2 for a sharp image on HiDPI screens); an SVG is
 *   @width × @height whatever the scale
 *
 * Like sq_chart_save(), with the layout of a @width × @height chart drawn at @scale.
 */
gboolean
sq_chart_save_scaled (SqChart     *self,
                      const char  *path,
                      int          width,
                      int          height,
                      int          scale,
                      GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *display = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  gboolean svg;
  cairo_t *cr;

  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  svg = g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG");
  if (!svg && !g_str_has_suffix (path, ".png") && !g_str_has_suffix (path, ".PNG"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: cannot save a chart in this format; use a name ending in .png or .svg"),
                   display);
      return FALSE;
    }
  if (width < 1 || height < 1 || width > MAX_EXPORT_PX || height > MAX_EXPORT_PX
      || scale < 1 || scale > 4 || (gint64) width * scale > MAX_EXPORT_PX
      || (gint64) height * scale > MAX_EXPORT_PX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: cannot draw a chart of %d × %d pixels at scale %d; "
                     "the size must be 1 to %d pixels"),
                   display, width, height, scale, MAX_EXPORT_PX);
      return FALSE;
    }

  if (svg)
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  paint_background (self, cr);
  sq_chart_render (self, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && !svg)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  /* The layout cache now holds the export's size; the screen's is recomputed on next draw. */
  layout_invalidate (self);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: cannot draw the chart: %s"),
                   display, cairo_status_to_string (status));
      return FALSE;
    }
  return sq_file_write_atomic (path, (const char *) bytes->data, bytes->len, error);
}

/**
 * sq_chart_save:
 * @path: a name ending in .png or .svg (either case)
 * @width: @height: size in pixels, 1 to 16384
 *
 * Saves the chart as drawn on screen, on the window's background, through a temporary file
 * renamed into place, so @path holds its old content or the whole chart.
 *
 * Returns: %TRUE, or %FALSE with @error set: %G_IO_ERROR_NOT_SUPPORTED for another extension,
 *   %G_IO_ERROR_INVALID_ARGUMENT for a bad size, a %G_FILE_ERROR when writing fails
 */
gboolean
sq_chart_save (SqChart     *self,
               const char  *path,
               int          width,
               int          height,
               GError     **error)
{
  return sq_chart_save_scaled (self, path, width, height, 1, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Menu, actions, dialogs                                                                    */

static void
show_error (SqChart      *self,
            const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Could Not Save the Chart"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_response (GtkNativeDialog *native,
               int              response,
               gpointer         user_data)
{
  g_autoptr(SqChart) self = user_data;
  gboolean svg = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native), "sq-chart-svg"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 240);
  int height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 160);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_object_unref (native);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: charts can only be saved to local folders"), uri);
    }
  else
    {
      const char *ext = svg ? ".svg" : ".png";

      /* The user typed a bare name: add the extension of the format they chose. */
      if (!g_str_has_suffix (path, ext) && !g_str_has_suffix (path, svg ? ".SVG" : ".PNG"))
        {
          char *with_ext = g_strconcat (path, ext, NULL);

          g_free (path);
          path = with_ext;
        }
      /* PNGs at twice the size on screen, so they stay sharp in slides and papers. */
      sq_chart_save_scaled (self, path, width, height, svg ? 1 : 2, &error);
    }
  if (error != NULL)
    show_error (self, error);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SqChart *self = SQ_CHART (widget);
  gboolean svg = g_str_equal (action_name, "chart.save-svg");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  native = gtk_file_chooser_native_new (svg ? _("Save Chart as SVG") : _("Save Chart as PNG"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_filter_set_name (filter, svg ? _("SVG images") : _("PNG images"));
  gtk_file_filter_add_mime_type (filter, svg ? "image/svg+xml" : "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);

  /* The title makes a good file name once path separators are out of it. */
  name = g_strconcat (self->title != NULL && *self->title ? self->title : _("chart"),
                      svg ? ".svg" : ".png", NULL);
  g_strdelimit (name, G_DIR_SEPARATOR_S ":", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  g_object_set_data (G_OBJECT (native), "sq-chart-svg", GINT_TO_POINTER (svg));
  g_signal_connect (native, "response", G_CALLBACK (save_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
popup_menu_at (SqChart *self,
               double   x,
               double   y)
{
  if (self->popover == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();

      g_menu_append (menu, _("Save as _PNG…"), "chart.save-png");
      g_menu_append (menu, _("Save as _SVG…"), "chart.save-svg");
      self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
menu_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SqChart *self = SQ_CHART (widget);

  if (self->hovering)
    popup_menu_at (self, self->hover_x, self->hover_y);
  else
    popup_menu_at (self, gtk_widget_get_width (widget) / 2.0,
                   gtk_widget_get_height (widget) / 2.0);
}

static void
click_pressed (GtkGestureClick *gesture,
               int              n_press,
               double           x,
               double           y,
               SqChart         *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  if (event == NULL || !gdk_event_triggers_context_menu (event))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, x, y);
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        SqChart                  *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave (GtkEventControllerMotion *controller,
       SqChart                  *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------------------------- */
/* GtkWidget                                                                                 */

static void
sq_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 480;
    }
  else
    {
      *minimum = 160;
      *natural = 300;
    }
}

static void
sq_chart_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  SqChart *self = SQ_CHART (widget);

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
sq_chart_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sq_chart_parent_class)->css_changed (widget, change);
  /* The font may have changed, and with it every text size in the layout. */
  layout_invalidate (SQ_CHART (widget));
  gtk_widget_queue_draw (widget);
}

static void
overlay_clear (gpointer data)
{
  Overlay *o = data;

  g_clear_pointer (&o->label, g_free);
}

static void
trace_clear (gpointer data)
{
  Trace *t = data;

  g_clear_pointer (&t->values, g_free);
  g_clear_pointer (&t->label, g_free);
}

static void
sq_chart_dispose (GObject *object)
{
  SqChart *self = SQ_CHART (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  G_OBJECT_CLASS (sq_chart_parent_class)->dispose (object);
}

static void
sq_chart_finalize (GObject *object)
{
  SqChart *self = SQ_CHART (object);

  layout_invalidate (self);
  g_free (self->title);
  g_free (self->x_label);
  g_free (self->y_label);
  g_free (self->placeholder);
  g_free (self->item_name);
  g_free (self->series);
  g_free (self->grid);
  sq_histogram_clear (&self->hist);
  g_array_unref (self->overlays);
  g_array_unref (self->traces);
  g_clear_pointer (&self->raster, g_bytes_unref);
  g_free (self->raster_rows);
  g_clear_object (&self->x_axis);
  g_clear_object (&self->y_axis);
  G_OBJECT_CLASS (sq_chart_parent_class)->finalize (object);
}

static void
sq_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  SqChart *self = SQ_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, sq_chart_get_title (self));
      break;
    case PROP_X_LABEL:
      g_value_set_string (value, sq_chart_get_x_label (self));
      break;
    case PROP_Y_LABEL:
      g_value_set_string (value, sq_chart_get_y_label (self));
      break;
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, sq_chart_get_log_scale (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  SqChart *self = SQ_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      sq_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_X_LABEL:
      sq_chart_set_x_label (self, g_value_get_string (value));
      break;
    case PROP_Y_LABEL:
      sq_chart_set_y_label (self, g_value_get_string (value));
      break;
    case PROP_LOG_SCALE:
      sq_chart_set_log_scale (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_chart_class_init (SqChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_chart_dispose;
  object_class->finalize = sq_chart_finalize;
  object_class->get_property = sq_chart_get_property;
  object_class->set_property = sq_chart_set_property;

  widget_class->measure = sq_chart_measure;
  widget_class->size_allocate = sq_chart_size_allocate;
  widget_class->snapshot = sq_chart_snapshot;
  widget_class->css_changed = sq_chart_css_changed;

  /**
   * SqChart:title:
   *
   * Drawn in bold above the plot.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqChart:x-label:
   *
   * Drawn centred below the x axis.
   */
  properties[PROP_X_LABEL] =
    g_param_spec_string ("x-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqChart:y-label:
   *
   * Drawn rotated along the y axis.
   */
  properties[PROP_Y_LABEL] =
    g_param_spec_string ("y-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqChart:log-scale:
   *
   * Whether the y axis (counts) is logarithmic, log(1 + y), so empty bins stay at 0.
   */
  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "chart.save-png", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "chart.save-svg", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "chart.menu", NULL, menu_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "chart.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sq_chart_init (SqChart *self)
{
  GtkEventController *controller;
  GtkGesture *click;

  self->overlays = g_array_new (FALSE, TRUE, sizeof (Overlay));
  g_array_set_clear_func (self->overlays, overlay_clear);
  self->traces = g_array_new (FALSE, TRUE, sizeof (Trace));
  g_array_set_clear_func (self->traces, trace_clear);
  self->shade_lo = NAN;
  self->shade_hi = NAN;
  self->x_axis = sq_axis_new ();
  self->y_axis = sq_axis_new ();

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  data_changed (self);
}

GtkWidget *
sq_chart_new (void)
{
  return g_object_new (SQ_TYPE_CHART, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Properties and data                                                                       */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
set_text_property (SqChart    *self,
                   char      **field,
                   const char *value,
                   guint       prop)
{
  if (!set_string (field, value))
    return;
  layout_invalidate (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (prop == PROP_TITLE)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    value != NULL ? value : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
sq_chart_set_title (SqChart    *self,
                    const char *title)
{
  g_return_if_fail (SQ_IS_CHART (self));
  set_text_property (self, &self->title, title, PROP_TITLE);
}

const char *
sq_chart_get_title (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return self->title;
}

void
sq_chart_set_x_label (SqChart    *self,
                      const char *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  set_text_property (self, &self->x_label, label, PROP_X_LABEL);
}

const char *
sq_chart_get_x_label (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return self->x_label;
}

void
sq_chart_set_y_label (SqChart    *self,
                      const char *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  set_text_property (self, &self->y_label, label, PROP_Y_LABEL);
}

const char *
sq_chart_get_y_label (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return self->y_label;
}

void
sq_chart_set_log_scale (SqChart  *self,
                        gboolean  log_scale)
{
  g_return_if_fail (SQ_IS_CHART (self));

  log_scale = !!log_scale;
  if (self->log_scale == log_scale)
    return;
  self->log_scale = log_scale;
  data_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

gboolean
sq_chart_get_log_scale (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);
  return self->log_scale;
}

/**
 * sq_chart_set_placeholder:
 * @text: (nullable): drawn centred while there is no data; %NULL: "No data"
 */
void
sq_chart_set_placeholder (SqChart    *self,
                          const char *text)
{
  g_return_if_fail (SQ_IS_CHART (self));
  if (set_string (&self->placeholder, text))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_data (SqChart *self)
{
  sq_histogram_clear (&self->hist);
  self->has_hist = FALSE;
  g_clear_pointer (&self->series, g_free);
  g_clear_pointer (&self->item_name, g_free);
  self->n_series = 0;
  g_clear_pointer (&self->raster, g_bytes_unref);
  g_clear_pointer (&self->raster_rows, g_free);
  self->n_raster_rows = 0;
  self->raster_steps = 0;
  g_array_set_size (self->traces, 0);
}

/**
 * sq_chart_set_histogram:
 * @hist: (nullable): copied; %NULL clears the data
 *
 * Shows @hist as bars; the x axis spans [lo, hi] and the overlays, the y axis the counts.
 * Replaces any series.
 */
void
sq_chart_set_histogram (SqChart           *self,
                        const SqHistogram *hist)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (hist == NULL || (hist->n_bins > 0 && hist->counts != NULL
                                     && hist->edges != NULL));

  clear_data (self);
  if (hist != NULL)
    {
      self->hist = *hist;
      self->hist.counts = g_memdup2 (hist->counts, hist->n_bins * sizeof (guint64));
      self->hist.edges = g_memdup2 (hist->edges, (hist->n_bins + 1) * sizeof (double));
      self->has_hist = TRUE;
    }
  data_changed (self);
}

/**
 * sq_chart_set_series:
 * @values: (array length=n) (nullable): copied; NaN and infinities leave gaps
 * @item_name: (nullable): what one value is, for the read-out ("neuron 12: 0.0345")
 *
 * Shows one bar per value from 0, at x = 0 … @n − 1. Replaces any histogram.
 */
void
sq_chart_set_series (SqChart      *self,
                     const double *values,
                     gsize         n,
                     const char   *item_name)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (values != NULL || n == 0);

  clear_data (self);
  if (n > 0)
    {
      self->series = g_memdup2 (values, n * sizeof (double));
      self->n_series = n;
      self->item_name = g_strdup (item_name);
    }
  data_changed (self);
}

/**
 * sq_chart_set_raster:
 * @counts: (nullable): event counts, @n_steps rows of @stride bytes (time-major, as the
 *   simulator records them); referenced, not copied; %NULL clears the data
 * @rows: (array length=n_rows): the columns of @counts to show, ascending and spread evenly
 *   over @n_total neurons (all of them, or a sample); copied
 * @n_total: the neurons @rows are taken from: the y axis spans 0 … @n_total − 1
 * @color: the colour of the events
 * @row_name: (nullable): what a row is, for the read-out ("neuron 12, step 340: 2 events")
 *
 * Shows an event raster: time along x, one row per neuron, the events of each pixel as
 * colour intensity. Replaces any other data.
 */
void
sq_chart_set_raster (SqChart       *self,
                     GBytes        *counts,
                     gsize          n_steps,
                     gsize          stride,
                     const guint32 *rows,
                     gsize          n_rows,
                     gsize          n_total,
                     SqChartColor   color,
                     const char    *row_name)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (counts == NULL || g_bytes_get_size (counts) >= n_steps * stride);
  g_return_if_fail (rows != NULL || n_rows == 0);
  g_return_if_fail (color <= SQ_CHART_COLOR_ERROR);

  clear_data (self);
  if (counts != NULL)
    {
      for (gsize i = 0; i < n_rows; i++)
        g_return_if_fail (rows[i] < stride && rows[i] < n_total);
      self->raster = g_bytes_ref (counts);
      self->raster_steps = n_steps;
      self->raster_stride = stride;
      self->raster_rows = g_memdup2 (rows, MAX (n_rows, 1) * sizeof (guint32));
      self->n_raster_rows = n_rows;
      self->raster_total = n_total;
      self->raster_color = color;
      self->item_name = g_strdup (row_name);
    }
  data_changed (self);
}

/**
 * sq_chart_set_traces:
 * @traces: (array length=n_traces): copied; the first is drawn underneath, a little wider
 *
 * Shows lines over the step index, such as a neuron's membrane potential in two models;
 * each is summarised per pixel column (its minimum to maximum) when it has more steps than
 * the plot has pixels. Replaces any other data.
 */
void
sq_chart_set_traces (SqChart            *self,
                     const SqChartTrace *traces,
                     guint               n_traces)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (traces != NULL || n_traces == 0);

  clear_data (self);
  for (guint k = 0; k < n_traces; k++)
    {
      Trace t = { g_memdup2 (traces[k].values, MAX (traces[k].n, 1) * sizeof (double)),
                  traces[k].n, traces[k].color, g_strdup (traces[k].label) };

      g_return_if_fail (traces[k].values != NULL || traces[k].n == 0);
      g_return_if_fail (traces[k].color <= SQ_CHART_COLOR_ERROR);
      g_array_append_val (self->traces, t);
    }
  data_changed (self);
}

void
sq_chart_clear_overlays (SqChart *self)
{
  g_return_if_fail (SQ_IS_CHART (self));

  g_array_set_size (self->overlays, 0);
  self->shade_lo = self->shade_hi = NAN;
  g_clear_pointer (&self->grid, g_free);
  self->n_grid = 0;
  data_changed (self);
}

static void
add_overlay (SqChart      *self,
             OverlayKind   kind,
             double        a,
             double        b,
             SqChartColor  color,
             gboolean      dashed,
             const char   *label)
{
  Overlay o = { kind, a, b, color, dashed, g_strdup (label) };

  g_array_append_val (self->overlays, o);
  data_changed (self);
}

/**
 * sq_chart_add_vline:
 * @label: (nullable): drawn above the plot, in @color
 *
 * A vertical line at @x, such as a clip point; call twice for a ± pair.
 */
void
sq_chart_add_vline (SqChart      *self,
                    double        x,
                    SqChartColor  color,
                    gboolean      dashed,
                    const char   *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (color <= SQ_CHART_COLOR_ERROR);
  add_overlay (self, OVERLAY_VLINE, x, NAN, color, dashed, label);
}

/**
 * sq_chart_add_hline:
 * @label: (nullable): drawn above the line's right end, in @color
 */
void
sq_chart_add_hline (SqChart      *self,
                    double        y,
                    SqChartColor  color,
                    gboolean      dashed,
                    const char   *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (color <= SQ_CHART_COLOR_ERROR);
  add_overlay (self, OVERLAY_HLINE, y, NAN, color, dashed, label);
}

/**
 * sq_chart_add_vband:
 * @label: (nullable): drawn above the band's centre
 *
 * A translucent band from @x0 to @x1, such as the spread of per-channel clip points.
 */
void
sq_chart_add_vband (SqChart      *self,
                    double        x0,
                    double        x1,
                    SqChartColor  color,
                    const char   *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (color <= SQ_CHART_COLOR_ERROR);
  add_overlay (self, OVERLAY_VBAND, x0, x1, color, FALSE, label);
}

/**
 * sq_chart_set_shade_outside:
 *
 * Tints x < @lo and x > @hi (the clipped regions) in the error colour; a NaN bound shades
 * nothing on its side, so NAN, NAN turns shading off.
 */
void
sq_chart_set_shade_outside (SqChart *self,
                            double   lo,
                            double   hi)
{
  g_return_if_fail (SQ_IS_CHART (self));

  self->shade_lo = lo;
  self->shade_hi = hi;
  data_changed (self);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * sq_chart_set_grid:
 * @xs: (array length=n) (nullable): copied; non-finite values are ignored
 *
 * Faint vertical lines, such as the quantization levels. When two visible lines would be
 * closer than 3 pixels none is drawn, rather than a grey wash.
 */
void
sq_chart_set_grid (SqChart      *self,
                   const double *xs,
                   gsize         n)
{
  g_return_if_fail (SQ_IS_CHART (self));
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
  layout_invalidate (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
