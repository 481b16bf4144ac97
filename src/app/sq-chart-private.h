/* sq-chart-private.h: what the files of SqChart share: the instance, its layout cache, and
 * the hooks of the drawing (sq-chart-render.c) and saving (sq-chart-save.c) code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-chart.h"

G_BEGIN_DECLS

#define SQ_CHART_PADDING    12.0
#define SQ_CHART_MAX_TICKS  12

/* Everything that depends on the size and the text, not on the colours. */
typedef struct {
  gboolean        valid;
  int             width;
  int             height;
  graphene_rect_t plot;
  double          line_h;       /* height of a SQ_CHART_TEXT_SMALL line */
  guint           n_xticks;
  guint           n_yticks;
  double          xticks[SQ_CHART_MAX_TICKS];
  double          yticks[SQ_CHART_MAX_TICKS];
  GArray         *labels;       /* of SqChartLabel, from every layer, bottom first */
  int            *label_row;    /* per label: its row (0 nearest the plot), −1: not drawn */
  double         *label_x;      /* per label: its left edge */
} SqChartLayout;

struct _SqChart
{
  GtkWidget      parent_instance;

  char          *title;
  char          *x_label;
  char         **x_categories;  /* nullable: names of the x ticks at 0, 1, … */
  char          *y_label;
  char          *placeholder;
  char          *description;   /* the accessible description given, or NULL */
  char          *shown_description;   /* the one given to the accessibility layer */
  gboolean       log_scale;
  gboolean       show_zeros;

  GPtrArray     *layers;        /* of SqChartLayer, bottom first */
  SqChartLayer  *data_layer;    /* the one sq_chart_set_histogram() and the like replace */
  SqChartLayer  *overlays;      /* the one sq_chart_add_vline() and the like add to */

  SqAxis        *x_axis;
  SqAxis        *y_axis;
  gboolean       whole_y;       /* from the layers' extents */
  gboolean       whole_x;
  SqChartLayout  layout;

  gboolean       hovering;
  double         hover_x;
  double         hover_y;
  GtkWidget     *popover;
};

/* sq-chart-render.c */
gboolean _sq_chart_has_data          (SqChart        *self);
void     _sq_chart_update_axes       (SqChart        *self);
void     _sq_chart_layout_invalidate (SqChart        *self);
void     _sq_chart_ensure_layout     (SqChart        *self,
                                      int             width,
                                      int             height);
void     _sq_chart_context_init      (SqChart        *self,
                                      SqChartContext *ctx,
                                      SqChartPalette *palette);

/* sq-chart-save.c */
void     _sq_chart_menu_class_init   (GtkWidgetClass *widget_class);
void     _sq_chart_menu_init         (SqChart        *self);

G_END_DECLS
