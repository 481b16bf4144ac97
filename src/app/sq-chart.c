/* sq-chart.c: the plot widget: a stack of layers over two axes
 *
 * As sysprof's charts: SqChart is a container of SqChartLayers (bars, rasters, traces,
 * overlays, each in its own file) and owns what they share: the two SqAxis objects, fitted
 * around the union of the layers' extents whenever a layer changes; the frame, title, axis
 * labels, legend and placeholder; the hover read-out; and the one drawing path,
 * sq_chart_render() (sq-chart-render.c), used by the screen and by saved PNG and SVG files
 * (sq-chart-save.c, with the context menu). A new kind of chart, such as a float-vs-integer
 * scatter or a curve over bit widths, is one new SqChartLayer subclass in its own file, added
 * with sq_chart_add_layer(); nothing here changes.
 *
 * The sq_chart_set_histogram() family keeps the common case short: one data layer, replaced by
 * each call, under one overlay layer that the sq_chart_add_vline() family adds to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-private.h"

G_DEFINE_FINAL_TYPE (SqChart, sq_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_X_LABEL,
  PROP_Y_LABEL,
  PROP_LOG_SCALE,
  PROP_SHOW_ZEROS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A layer changed, or the stack did: refit, lay out again, redraw. */
/* The accessible description: the one given, else the data layers' own summaries, else the
 * placeholder; handed to the accessibility layer only when it changes. */
static void
update_description (SqChart *self)
{
  g_autofree char *text = NULL;

  if (self->description != NULL)
    text = g_strdup (self->description);
  else
    {
      GString *out = g_string_new (NULL);

      for (guint i = 0; i < self->layers->len; i++)
        {
          SqChartLayer *layer = g_ptr_array_index (self->layers, i);
          g_autofree char *summary = NULL;

          if (!sq_chart_layer_has_data (layer)
              || (summary = sq_chart_layer_summarize (layer)) == NULL)
            continue;
          if (out->len > 0)
            g_string_append (out, "; ");
          g_string_append (out, summary);
        }
      if (out->len == 0)
        g_string_append (out, self->placeholder != NULL ? self->placeholder : _("No data"));
      text = g_string_free (out, FALSE);
    }
  if (g_strcmp0 (text, self->shown_description) == 0)
    return;
  g_free (self->shown_description);
  self->shown_description = g_steal_pointer (&text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->shown_description, -1);
}

static void
data_changed (SqChart *self)
{
  gboolean has_data;

  _sq_chart_update_axes (self);
  _sq_chart_layout_invalidate (self);
  has_data = _sq_chart_has_data (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.save-png", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.save-svg", has_data);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---------------------------------------------------------------------------------------- */
/* Hover                                                                                     */

/* The hovered bin or item, lightly: the topmost layer's own span there, else the item at the
 * nearest whole x. */
static void
draw_hover_span (SqChart              *self,
                 const SqChartContext *ctx,
                 cairo_t              *cr)
{
  double dx, x0 = NAN, x1 = NAN;

  if (!sq_chart_widget_to_data (self, self->hover_x, self->hover_y, &dx, NULL))
    return;
  for (guint i = self->layers->len; i-- > 0;)
    if (sq_chart_layer_get_span_at (g_ptr_array_index (self->layers, i), dx, &x0, &x1))
      break;
  if (isnan (x0))
    {
      x0 = floor (dx + 0.5) - 0.5;
      x1 = x0 + 1.0;
    }
  x0 = sq_chart_snap (sq_chart_context_x (ctx, x0));
  x1 = sq_chart_snap (sq_chart_context_x (ctx, x1));
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.15);
  cairo_rectangle (cr, x0, ctx->plot.origin.y, MAX (x1 - x0, 1.0), ctx->plot.size.height);
  cairo_fill (cr);
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
  SqChartContext ctx;

  if (text == NULL)
    return;
  _sq_chart_context_init (self, &ctx, NULL);
  draw_hover_span (self, &ctx, cr);

  layout = sq_chart_context_make_text (&ctx, text, SQ_CHART_TEXT_NORMAL, &w, &h);
  bw = w + 12.0;
  bh = h + 8.0;
  x = self->hover_x + 14.0;
  y = self->hover_y + 14.0;
  if (x + bw > width - 2.0)
    x = self->hover_x - 8.0 - bw;
  if (y + bh > height - 2.0)
    y = self->hover_y - 8.0 - bh;
  x = sq_chart_snap (CLAMP (x, 2.0, MAX (2.0, width - bw - 2.0)));
  y = sq_chart_snap (CLAMP (y, 2.0, MAX (2.0, height - bh - 2.0)));

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + bw - r, y + r, r, -G_PI / 2.0, 0.0);
  cairo_arc (cr, x + bw - r, y + bh - r, r, 0.0, G_PI / 2.0);
  cairo_arc (cr, x + r, y + bh - r, r, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 1.5 * G_PI);
  cairo_close_path (cr);
  sq_chart_set_source (cr, &box, 1.0);
  cairo_fill (cr);

  sq_chart_set_source (cr, &ink, 1.0);
  cairo_move_to (cr, x + 6.0, y + 4.0);
  pango_cairo_show_layout (cr, layout);
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

/**
 * sq_chart_show_readout:
 * @x: @y: widget coordinates; NaN hides the read-out
 *
 * Draws the read-out of (@x, @y) as the pointer there would, until the pointer moves or
 * leaves: for a point chosen with the keyboard.
 */
void
sq_chart_show_readout (SqChart *self,
                       double   x,
                       double   y)
{
  g_return_if_fail (SQ_IS_CHART (self));

  self->hovering = !isnan (x) && !isnan (y);
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sq_chart_describe_at:
 * @x: @y: widget coordinates
 *
 * The read-out for what the topmost layer with something there shows under (@x, @y):
 * "[−0.0125, −0.0100): 1 234 values" for a histogram (the last bin is closed: "]"),
 * "neuron 12: 0.0345" for a series, "neuron 12, step 340: 2 events" for a raster.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL outside the plot or the data
 */
char *
sq_chart_describe_at (SqChart *self,
                      double   x,
                      double   y)
{
  double dx, dy;

  g_return_val_if_fail (SQ_IS_CHART (self), NULL);

  if (!_sq_chart_has_data (self) || !sq_chart_widget_to_data (self, x, y, &dx, &dy))
    return NULL;
  for (guint i = self->layers->len; i-- > 0;)
    {
      char *text = sq_chart_layer_describe_at (g_ptr_array_index (self->layers, i), dx, dy);

      if (text != NULL)
        return text;
    }
  return NULL;
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
  _sq_chart_ensure_layout (self, width, height);
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
  SqChartContext ctx;

  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);

  if (!sq_chart_get_plot_area (self, NULL))
    return FALSE;
  _sq_chart_context_init (self, &ctx, NULL);
  if (wx != NULL)
    *wx = sq_chart_context_x (&ctx, x);
  if (wy != NULL)
    *wy = sq_chart_context_y (&ctx, y);
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

/* ---------------------------------------------------------------------------------------- */
/* GtkWidget                                                                                 */

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
  SqChart *self = SQ_CHART (widget);

  GTK_WIDGET_CLASS (sq_chart_parent_class)->css_changed (widget, change);
  /* The font may have changed, and with it every text size in the layout. */
  for (guint i = 0; i < self->layers->len; i++)
    sq_chart_layer_invalidate (g_ptr_array_index (self->layers, i));
  _sq_chart_layout_invalidate (self);
  gtk_widget_queue_draw (widget);
}

static void
sq_chart_dispose (GObject *object)
{
  SqChart *self = SQ_CHART (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  for (guint i = 0; i < self->layers->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->layers, i), data_changed, self);
  g_ptr_array_set_size (self->layers, 0);
  self->data_layer = NULL;
  self->overlays = NULL;
  G_OBJECT_CLASS (sq_chart_parent_class)->dispose (object);
}

static void
sq_chart_finalize (GObject *object)
{
  SqChart *self = SQ_CHART (object);

  _sq_chart_layout_invalidate (self);
  g_free (self->title);
  g_free (self->x_label);
  g_strfreev (self->x_categories);
  g_free (self->y_label);
  g_free (self->placeholder);
  g_free (self->description);
  g_free (self->shown_description);
  g_ptr_array_unref (self->layers);
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
    case PROP_SHOW_ZEROS:
      g_value_set_boolean (value, sq_chart_get_show_zeros (self));
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
    case PROP_SHOW_ZEROS:
      sq_chart_set_show_zeros (self, g_value_get_boolean (value));
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
   * Whether the y axis of bars (counts) is logarithmic, log(1 + y), so empty bins stay at 0.
   */
  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqChart:show-zeros:
   *
   * Whether a histogram's exact zeros, which sq_histogram_init_nonzero() leaves out of its
   * bins, get a bar of their own around 0; either way the legend counts them.
   */
  properties[PROP_SHOW_ZEROS] =
    g_param_spec_boolean ("show-zeros", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  _sq_chart_menu_class_init (widget_class);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sq_chart_init (SqChart *self)
{
  GtkEventController *controller;

  self->layers = g_ptr_array_new_with_free_func (g_object_unref);
  self->x_axis = sq_axis_new ();
  self->y_axis = sq_axis_new ();

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  _sq_chart_menu_init (self);

  data_changed (self);
}

GtkWidget *
sq_chart_new (void)
{
  return g_object_new (SQ_TYPE_CHART, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Properties                                                                                */

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
  _sq_chart_layout_invalidate (self);
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

static gsize
strv_length (const char * const *names)
{
  gsize n = 0;

  while (names[n] != NULL)
    n++;
  return n;
}

/**
 * sq_chart_set_x_categories:
 * @names: (nullable) (array zero-terminated=1): the names of the x ticks at 0, 1, …; %NULL
 *   for numbers
 *
 * For a chart of things side by side (a box per setting): each whole x within the axis gets
 * its name as its tick label, and no tick is left out.
 */
void
sq_chart_set_x_categories (SqChart            *self,
                           const char * const *names)
{
  g_return_if_fail (SQ_IS_CHART (self));

  if (names == NULL && self->x_categories == NULL)
    return;
  if (names != NULL && self->x_categories != NULL
      && g_strv_equal ((const char * const *) self->x_categories, names))
    return;
  g_clear_pointer (&self->x_categories, g_strfreev);
  if (names != NULL)
    {
      gsize n = strv_length (names);

      self->x_categories = g_new0 (char *, n + 1);
      for (gsize i = 0; i < n; i++)
        self->x_categories[i] = g_strdup (names[i]);
    }
  _sq_chart_layout_invalidate (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
 * sq_chart_set_description:
 * @description: (nullable): what the chart shows and its key figure, in one sentence, for
 *   screen readers ("Recurrent weights: 85 848 non-zero values from −1.86 to 1.78; global
 *   clip at ±3.70"); its accessible label is the title. %NULL: the data layers' own
 *   summaries
 */
void
sq_chart_set_description (SqChart    *self,
                          const char *description)
{
  g_return_if_fail (SQ_IS_CHART (self));

  if (set_string (&self->description, description))
    update_description (self);
}

/**
 * sq_chart_get_description:
 *
 * GTK 4.8 has no getter for accessible properties: this is what the chart last gave as its
 * description, the one set or, without one, its data layers' summaries ("1 000 values from
 * −0.5 to 0.5") or its placeholder.
 */
const char *
sq_chart_get_description (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return self->shown_description;
}

void
sq_chart_set_show_zeros (SqChart  *self,
                         gboolean  show_zeros)
{
  g_return_if_fail (SQ_IS_CHART (self));

  show_zeros = !!show_zeros;
  if (self->show_zeros == show_zeros)
    return;
  self->show_zeros = show_zeros;
  if (SQ_IS_CHART_BARS (self->data_layer))
    sq_chart_bars_set_show_zeros (SQ_CHART_BARS (self->data_layer), show_zeros);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ZEROS]);
}

gboolean
sq_chart_get_show_zeros (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), FALSE);
  return self->show_zeros;
}

/**
 * sq_chart_set_placeholder:
 * @text: (nullable): drawn centred while no layer has data; %NULL: "No data"
 */
void
sq_chart_set_placeholder (SqChart    *self,
                          const char *text)
{
  g_return_if_fail (SQ_IS_CHART (self));
  if (set_string (&self->placeholder, text))
    {
      update_description (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Layers                                                                                    */

/**
 * sq_chart_insert_layer:
 * @layer: (transfer none): a layer in no other chart
 * @position: where in the stack, 0 at the bottom; beyond the top: on top
 *
 * Adds @layer: its extents join the axes, and it draws over the layers below it.
 */
void
sq_chart_insert_layer (SqChart      *self,
                       SqChartLayer *layer,
                       guint         position)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (SQ_IS_CHART_LAYER (layer));
  g_return_if_fail (!g_ptr_array_find (self->layers, layer, NULL));

  g_ptr_array_insert (self->layers, (int) MIN (position, self->layers->len),
                      g_object_ref (layer));
  g_signal_connect_object (layer, "changed", G_CALLBACK (data_changed), self,
                           G_CONNECT_SWAPPED);
  data_changed (self);
}

/**
 * sq_chart_add_layer:
 *
 * Adds @layer on top of the others.
 */
void
sq_chart_add_layer (SqChart      *self,
                    SqChartLayer *layer)
{
  g_return_if_fail (SQ_IS_CHART (self));
  sq_chart_insert_layer (self, layer, self->layers->len);
}

void
sq_chart_remove_layer (SqChart      *self,
                       SqChartLayer *layer)
{
  guint index;

  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (SQ_IS_CHART_LAYER (layer));

  if (!g_ptr_array_find (self->layers, layer, &index))
    {
      g_critical ("%s: the layer is not in this chart", G_STRFUNC);
      return;
    }
  if (layer == self->data_layer)
    self->data_layer = NULL;
  if (layer == self->overlays)
    self->overlays = NULL;
  g_signal_handlers_disconnect_by_func (layer, data_changed, self);
  g_ptr_array_remove_index (self->layers, index);
  data_changed (self);
}

guint
sq_chart_get_n_layers (SqChart *self)
{
  g_return_val_if_fail (SQ_IS_CHART (self), 0);
  return self->layers->len;
}

/**
 * sq_chart_get_layer:
 * @position: 0 at the bottom
 *
 * Returns: (transfer none) (nullable): the layer there, or %NULL beyond the top
 */
SqChartLayer *
sq_chart_get_layer (SqChart *self,
                    guint    position)
{
  g_return_val_if_fail (SQ_IS_CHART (self), NULL);
  return position < self->layers->len ? g_ptr_array_index (self->layers, position) : NULL;
}
