/* sq-input-maps.c: an input of maps (channels × height × width) as images, one per channel
 *
 * A convolutional network's input is a few channels of pixels (a DVS camera's two
 * polarities); as a raster of C·H·W rows it is a grey wash. Here each channel is an image of
 * its events summed over the run, side by side, in square cells: the brighter a cell, the
 * more events (the square root of the count over the largest, so a few busy pixels do not
 * hide the rest). The pointer reads a cell out. Colours come from the style on every draw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sq-chart-context.h"
#include "sq-format.h"
#include "sq-input-maps.h"

#define GAP     12.0   /* between the channels' images, px */
#define LABEL_H 18.0   /* the channel's name under its image */
#define TITLE_H 24.0

struct _SqInputMaps
{
  GtkWidget  parent_instance;

  guint64   *sums;      /* C·H·W, channel-major then rows */
  guint64    max;
  gsize      shape[3];
  gsize      n_steps;
  char      *title;
};

G_DEFINE_FINAL_TYPE (SqInputMaps, sq_input_maps, GTK_TYPE_WIDGET)

/* Where the images sit: the cell size and the left edge, the same for every draw and for
 * the pointer. */
static double
cell_size (SqInputMaps *self,
           double      *x0,
           double      *y0)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  gsize C = self->shape[0], H = self->shape[1], W = self->shape[2];
  double cell;

  *x0 = 0.0;
  *y0 = TITLE_H;
  if (C == 0 || H == 0 || W == 0)
    return 0.0;
  cell = MIN ((w - GAP * (double) (C - 1)) / (double) (C * W),
              (h - TITLE_H - LABEL_H) / (double) H);
  return MAX (floor (cell), 1.0);
}

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
sq_input_maps_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SqInputMaps *self = SQ_INPUT_MAPS (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gsize C = self->shape[0], H = self->shape[1], W = self->shape[2];
  SqChartPalette palette;
  double x0, y0, cell;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  sq_chart_palette_init (&palette, widget);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sq_chart_set_source (cr, &palette.fg, 1.0);
  draw_text (widget, cr, self->title != NULL ? self->title : _("Input events per pixel"), 0, 0,
             TRUE);
  cell = cell_size (self, &x0, &y0);
  for (gsize c = 0; self->sums != NULL && c < C; c++)
    {
      double px = x0 + (double) c * ((double) W * cell + GAP);
      g_autofree char *label = g_strdup_printf (_("channel %zu"), c);

      /* The frame of the image, so an empty channel still shows where it is. */
      sq_chart_set_source (cr, &palette.fg, 0.06);
      cairo_rectangle (cr, px, y0, (double) W * cell, (double) H * cell);
      cairo_fill (cr);
      for (gsize r = 0; r < H; r++)
        for (gsize q = 0; q < W; q++)
          {
            guint64 n = self->sums[(c * H + r) * W + q];

            if (n == 0)
              continue;
            sq_chart_set_source (cr, &palette.bars,
                                 0.2 + 0.8 * sqrt ((double) n / (double) self->max));
            cairo_rectangle (cr, px + (double) q * cell, y0 + (double) r * cell, cell, cell);
            cairo_fill (cr);
          }
      sq_chart_set_source (cr, &palette.fg, 0.7);
      draw_text (widget, cr, label, px, y0 + (double) H * cell + 2.0, FALSE);
    }
  cairo_destroy (cr);
}

/* "channel 1, row 3, column 17: 4 events" */
static gboolean
query_tooltip (GtkWidget  *widget,
               int         x,
               int         y,
               gboolean    keyboard,
               GtkTooltip *tooltip)
{
  SqInputMaps *self = SQ_INPUT_MAPS (widget);
  gsize H = self->shape[1], W = self->shape[2];
  double x0, y0, cell = cell_size (self, &x0, &y0);
  double panel = (double) W * cell + GAP;
  gsize c, r, q;
  guint64 n;
  g_autofree char *text = NULL;

  if (keyboard || self->sums == NULL || cell <= 0.0 || x < x0 || y < y0)
    return FALSE;
  c = (gsize) ((x - x0) / panel);
  q = (gsize) ((x - x0 - (double) c * panel) / cell);
  r = (gsize) ((y - y0) / cell);
  if (c >= self->shape[0] || q >= W || r >= H)
    return FALSE;
  n = self->sums[(c * H + r) * W + q];
  /* Translators: a pixel of an input map and its events over the run */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "channel %zu, row %zu, column %zu: %" PRIu64
                                       " event",
                                       "channel %zu, row %zu, column %zu: %" PRIu64
                                       " events", (gulong) MIN (n, G_MAXULONG)), c, r, q, n);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
sq_input_maps_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_VERTICAL ? (int) (TITLE_H + LABEL_H + 40.0) : 100;
  *natural = orientation == GTK_ORIENTATION_VERTICAL ? 160 : 300;
}

static void
sq_input_maps_finalize (GObject *object)
{
  SqInputMaps *self = SQ_INPUT_MAPS (object);

  g_free (self->sums);
  g_free (self->title);
  G_OBJECT_CLASS (sq_input_maps_parent_class)->finalize (object);
}

static void
sq_input_maps_class_init (SqInputMapsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sq_input_maps_finalize;
  widget_class->snapshot = sq_input_maps_snapshot;
  widget_class->measure = sq_input_maps_measure;
  widget_class->query_tooltip = query_tooltip;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sq_input_maps_init (SqInputMaps *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
sq_input_maps_new (void)
{
  return g_object_new (SQ_TYPE_INPUT_MAPS, NULL);
}

/**
 * sq_input_maps_set_counts:
 * @counts: (nullable): @n_steps rows of C·H·W event counts (time-major, channel-major, then
 *   rows), as an input raster holds them; summed, not kept; %NULL clears
 * @shape: channels, height and width
 *
 * Shows the events of each pixel summed over the steps.
 */
void
sq_input_maps_set_counts (SqInputMaps  *self,
                          const guint8 *counts,
                          gsize         n_steps,
                          const gsize   shape[3])
{
  gsize n;
  g_autofree char *steps = NULL;

  g_return_if_fail (SQ_IS_INPUT_MAPS (self));

  g_clear_pointer (&self->sums, g_free);
  g_clear_pointer (&self->title, g_free);
  self->max = 0;
  memset (self->shape, 0, sizeof self->shape);
  if (counts != NULL)
    {
      memcpy (self->shape, shape, sizeof self->shape);
      n = shape[0] * shape[1] * shape[2];
      self->sums = g_new0 (guint64, MAX (n, 1));
      for (gsize t = 0; t < n_steps; t++)
        for (gsize i = 0; i < n; i++)
          self->sums[i] += counts[t * n + i];
      for (gsize i = 0; i < n; i++)
        self->max = MAX (self->max, self->sums[i]);
      self->n_steps = n_steps;
      steps = sq_format_integer (n_steps);
      /* Translators: the input maps' title: "Input events per pixel, summed over 300 steps" */
      self->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Input events per pixel, summed over %s step",
                                                  "Input events per pixel, summed over %s steps",
                                                  (gulong) MIN (n_steps, G_MAXULONG)), steps);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->title != NULL ? self->title
                                                      : _("Input events per pixel"), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The events of one pixel over the run, for tests. */
guint64
sq_input_maps_get_count (SqInputMaps *self,
                         gsize        channel,
                         gsize        row,
                         gsize        column)
{
  g_return_val_if_fail (SQ_IS_INPUT_MAPS (self), 0);
  g_return_val_if_fail (self->sums != NULL && channel < self->shape[0] && row < self->shape[1]
                        && column < self->shape[2], 0);
  return self->sums[(channel * self->shape[1] + row) * self->shape[2] + column];
}

const char *
sq_input_maps_get_title (SqInputMaps *self)
{
  g_return_val_if_fail (SQ_IS_INPUT_MAPS (self), NULL);
  return self->title;
}
