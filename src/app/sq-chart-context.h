/* sq-chart-context.h: what a chart layer draws with: the plot's geometry, the axes, the style's
 * colours and the chart's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <math.h>

#include "sq-axis.h"

G_BEGIN_DECLS

/**
 * SqChartColor:
 * @SQ_CHART_COLOR_FOREGROUND: the widget's text colour
 * @SQ_CHART_COLOR_ACCENT: libadwaita's @accent_color
 * @SQ_CHART_COLOR_SUCCESS: @success_color
 * @SQ_CHART_COLOR_WARNING: @warning_color
 * @SQ_CHART_COLOR_ERROR: @error_color
 *
 * Named colours, looked up in the widget's style when drawing, so dark mode and high contrast
 * apply.
 */
typedef enum {
  SQ_CHART_COLOR_FOREGROUND,
  SQ_CHART_COLOR_ACCENT,
  SQ_CHART_COLOR_SUCCESS,
  SQ_CHART_COLOR_WARNING,
  SQ_CHART_COLOR_ERROR,
} SqChartColor;

#define SQ_CHART_N_COLORS (SQ_CHART_COLOR_ERROR + 1)

/**
 * SqChartText:
 * @SQ_CHART_TEXT_TITLE: bold, the chart's title
 * @SQ_CHART_TEXT_NORMAL: axis labels, the placeholder and the read-out
 * @SQ_CHART_TEXT_SMALL: ticks, legends and the labels of lines, with tabular digits
 */
typedef enum {
  SQ_CHART_TEXT_TITLE,
  SQ_CHART_TEXT_NORMAL,
  SQ_CHART_TEXT_SMALL,
} SqChartText;

/**
 * SqChartPalette:
 * @fg: the text colour
 * @named: the #SqChartColor colours
 * @bars: @accent_bg_color, the fill of bars
 * @background: @window_bg_color, behind saved charts and label backings
 */
typedef struct {
  GdkRGBA fg;
  GdkRGBA named[SQ_CHART_N_COLORS];
  GdkRGBA bars;
  GdkRGBA background;
} SqChartPalette;

/**
 * SqChartContext:
 * @widget: the chart, whose style and Pango context the text uses
 * @x_axis: @y_axis: the chart's axes, their ranges set from every layer's extents
 * @plot: the rectangle data is drawn in, in the coordinates of the cairo context
 * @width: @height: the size of the whole chart
 * @line_h: the height of a line of %SQ_CHART_TEXT_SMALL
 * @palette: the colours of the current style
 *
 * Everything a layer needs to draw one frame; valid only while the chart renders.
 */
typedef struct {
  GtkWidget            *widget;
  SqAxis               *x_axis;
  SqAxis               *y_axis;
  graphene_rect_t       plot;
  int                   width;
  int                   height;
  double                line_h;
  const SqChartPalette *palette;
} SqChartContext;

/* Data to pixels: the axis gives [0, 1], the plot the pixels; y grows upwards. */
static inline double
sq_chart_context_x (const SqChartContext *ctx,
                    double                x)
{
  return ctx->plot.origin.x + sq_axis_normalize (ctx->x_axis, x) * ctx->plot.size.width;
}

static inline double
sq_chart_context_y (const SqChartContext *ctx,
                    double                y)
{
  return ctx->plot.origin.y + (1.0 - sq_axis_normalize (ctx->y_axis, y)) * ctx->plot.size.height;
}

/* The nearest pixel edge, halves up: edges of bars and lines land on whole pixels, so they
 * are sharp. */
static inline double
sq_chart_snap (double v)
{
  return floor (v + 0.5);
}

void         sq_chart_palette_init         (SqChartPalette       *palette,
                                            GtkWidget            *widget);
void         sq_chart_set_source           (cairo_t              *cr,
                                            const GdkRGBA        *rgba,
                                            double                alpha);

PangoLayout *sq_chart_context_make_text    (const SqChartContext *ctx,
                                            const char           *text,
                                            SqChartText           kind,
                                            double               *width,
                                            double               *height);
void         sq_chart_context_text_size    (const SqChartContext *ctx,
                                            const char           *text,
                                            SqChartText           kind,
                                            double               *width,
                                            double               *height);
void         sq_chart_context_draw_text    (const SqChartContext *ctx,
                                            cairo_t              *cr,
                                            const char           *text,
                                            SqChartText           kind);
double       sq_chart_context_text_width   (const SqChartContext *ctx,
                                            const char           *text,
                                            SqChartText           kind);
double       sq_chart_context_text_height  (const SqChartContext *ctx,
                                            SqChartText           kind);
void         sq_chart_context_show_text    (const SqChartContext *ctx,
                                            cairo_t              *cr,
                                            const char           *text,
                                            SqChartText           kind,
                                            double                x,
                                            double                y,
                                            double                xalign,
                                            const GdkRGBA        *rgba,
                                            double                alpha);
void         sq_chart_context_clip_to_plot (const SqChartContext *ctx,
                                            cairo_t              *cr);

G_END_DECLS
