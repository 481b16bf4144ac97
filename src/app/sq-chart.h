/* sq-chart.h: the plot widget: a stack of layers (bars, rasters, traces, overlays) over two
 * axes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <synquant.h>

#include "sq-axis.h"
#include "sq-chart-bars.h"
#include "sq-chart-layer.h"
#include "sq-chart-overlays.h"
#include "sq-chart-raster.h"
#include "sq-chart-traces.h"

G_BEGIN_DECLS

#define SQ_TYPE_CHART (sq_chart_get_type ())

G_DECLARE_FINAL_TYPE (SqChart, sq_chart, SQ, CHART, GtkWidget)

GtkWidget *sq_chart_new                (void);

void       sq_chart_set_title          (SqChart            *self,
                                        const char         *title);
const char *sq_chart_get_title         (SqChart            *self);
void       sq_chart_set_x_label        (SqChart            *self,
                                        const char         *label);
const char *sq_chart_get_x_label       (SqChart            *self);
void       sq_chart_set_x_categories   (SqChart            *self,
                                        const char * const *names);
void       sq_chart_set_y_label        (SqChart            *self,
                                        const char         *label);
const char *sq_chart_get_y_label       (SqChart            *self);
void       sq_chart_set_log_scale      (SqChart            *self,
                                        gboolean            log_scale);
gboolean   sq_chart_get_log_scale      (SqChart            *self);
void       sq_chart_set_description    (SqChart            *self,
                                        const char         *description);
const char *sq_chart_get_description   (SqChart            *self);
void       sq_chart_set_show_zeros     (SqChart            *self,
                                        gboolean            show_zeros);
gboolean   sq_chart_get_show_zeros     (SqChart            *self);
void       sq_chart_set_placeholder    (SqChart            *self,
                                        const char         *text);

void       sq_chart_add_layer          (SqChart            *self,
                                        SqChartLayer       *layer);
void       sq_chart_insert_layer       (SqChart            *self,
                                        SqChartLayer       *layer,
                                        guint               position);
void       sq_chart_remove_layer       (SqChart            *self,
                                        SqChartLayer       *layer);
guint      sq_chart_get_n_layers       (SqChart            *self);
SqChartLayer *sq_chart_get_layer       (SqChart            *self,
                                        guint               position);

/* Shorthands for the common case: one data layer, replaced by each call, under one overlay
 * layer. */
void       sq_chart_set_histogram      (SqChart            *self,
                                        const SqHistogram  *hist);
void       sq_chart_set_series         (SqChart            *self,
                                        const double       *values,
                                        gsize               n,
                                        const char         *item_name);
void       sq_chart_set_raster         (SqChart            *self,
                                        GBytes             *counts,
                                        gsize               n_steps,
                                        gsize               stride,
                                        const guint32      *rows,
                                        gsize               n_rows,
                                        gsize               n_total,
                                        SqChartColor        color,
                                        const char         *row_name);
void       sq_chart_set_traces         (SqChart            *self,
                                        const SqChartTrace *traces,
                                        guint               n_traces);

void       sq_chart_clear_overlays     (SqChart            *self);
void       sq_chart_add_vline          (SqChart            *self,
                                        double              x,
                                        SqChartColor        color,
                                        gboolean            dashed,
                                        const char         *label);
void       sq_chart_add_hline          (SqChart            *self,
                                        double              y,
                                        SqChartColor        color,
                                        gboolean            dashed,
                                        const char         *label);
void       sq_chart_add_vband          (SqChart            *self,
                                        double              x0,
                                        double              x1,
                                        SqChartColor        color,
                                        const char         *label);
void       sq_chart_set_shade_outside  (SqChart            *self,
                                        double              lo,
                                        double              hi);
void       sq_chart_set_grid           (SqChart            *self,
                                        const double       *xs,
                                        gsize               n);

void       sq_chart_show_readout       (SqChart            *self,
                                        double              x,
                                        double              y);
char      *sq_chart_describe_at        (SqChart            *self,
                                        double              x,
                                        double              y);
void       sq_chart_render             (SqChart            *self,
                                        cairo_t            *cr,
                                        int                 width,
                                        int                 height);
gboolean   sq_chart_save               (SqChart            *self,
                                        const char         *path,
                                        int                 width,
                                        int                 height,
                                        GError            **error);
gboolean   sq_chart_save_scaled        (SqChart            *self,
                                        const char         *path,
                                        int                 width,
                                        int                 height,
                                        int                 scale,
                                        GError            **error);

/* Geometry, for hover and tests: widget coordinates at the widget's current size. */
gboolean   sq_chart_get_plot_area      (SqChart            *self,
                                        graphene_rect_t    *area);
gboolean   sq_chart_data_to_widget     (SqChart            *self,
                                        double              x,
                                        double              y,
                                        double             *wx,
                                        double             *wy);
gboolean   sq_chart_widget_to_data     (SqChart            *self,
                                        double              wx,
                                        double              wy,
                                        double             *x,
                                        double             *y);
/**
 * SqChartTick:
 * @value: the tick's value
 * @text: its label, as drawn
 * @extents: where the label is drawn, in widget coordinates
 */
typedef struct {
  double           value;
  char            *text;
  graphene_rect_t  extents;
} SqChartTick;

GArray    *sq_chart_get_ticks          (SqChart            *self,
                                        GtkOrientation      orientation)
                                        G_GNUC_WARN_UNUSED_RESULT;
void       sq_chart_tick_clear         (gpointer            tick);
SqAxis    *sq_chart_get_x_axis         (SqChart            *self);
SqAxis    *sq_chart_get_y_axis         (SqChart            *self);

G_END_DECLS
