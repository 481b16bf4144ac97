/* sq-chart-context.c: the colours and text every chart layer draws with
 *
 * Colours come from the widget's style on every draw, never from constants, so dark mode and
 * high contrast apply; the constants below are only fallbacks outside libadwaita. Text is Pango
 * from the chart's own context, so it follows the font settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-chart-context.h"

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

/**
 * sq_chart_palette_init:
 *
 * Fills @palette from @widget's current style; the fallbacks are libadwaita 1.2's own, for
 * when the chart is drawn outside an Adwaita style (an unrooted widget, plain GTK).
 */
void
sq_chart_palette_init (SqChartPalette *p,
                       GtkWidget      *widget)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
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

void
sq_chart_set_source (cairo_t       *cr,
                     const GdkRGBA *rgba,
                     double         alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

/**
 * sq_chart_context_make_text:
 * @width: @height: (out) (optional): its size in pixels
 *
 * Returns: (transfer full): @text laid out in the chart's font, in the style of @kind
 */
PangoLayout *
sq_chart_context_make_text (const SqChartContext *ctx,
                            const char           *text,
                            SqChartText           kind,
                            double               *width,
                            double               *height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (ctx->widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();
  int w, h;

  if (kind == SQ_CHART_TEXT_TITLE)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  else if (kind == SQ_CHART_TEXT_SMALL)
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

/* Laid-out texts kept on the widget between frames, keyed by kind and text: a chart draws
 * the same tick labels and titles frame after frame, and laying each out anew (shaping it)
 * was most of its drawing. A layout follows its widget's font by itself (Pango lays it out
 * again when the context changes); the cache is emptied when it grows past a bound. */
#define TEXT_CACHE_MAX 512

static GQuark
text_cache_quark (void)
{
  return g_quark_from_static_string ("sq-chart-text-cache");
}

/* @text in the style of @kind, from the cache (transfer none: read and draw it, never
 * change it). */
static PangoLayout *
cached_text (const SqChartContext *ctx,
             const char           *text,
             SqChartText           kind,
             double               *width,
             double               *height)
{
  GHashTable *cache = g_object_get_qdata (G_OBJECT (ctx->widget), text_cache_quark ());
  g_autofree char *key = g_strdup_printf ("%d:%s", (int) kind, text);
  PangoLayout *layout;
  int w, h;

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_qdata_full (G_OBJECT (ctx->widget), text_cache_quark (), cache,
                               (GDestroyNotify) g_hash_table_unref);
    }
  layout = g_hash_table_lookup (cache, key);
  if (layout == NULL)
    {
      if (g_hash_table_size (cache) >= TEXT_CACHE_MAX)
        g_hash_table_remove_all (cache);
      layout = sq_chart_context_make_text (ctx, text, kind, NULL, NULL);
      g_hash_table_insert (cache, g_steal_pointer (&key), layout);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  return layout;
}

/**
 * sq_chart_context_text_size:
 * @width: @height: (out) (optional): the size in pixels of @text in the style of @kind, as
 *   sq_chart_context_make_text() lays it out
 */
void
sq_chart_context_text_size (const SqChartContext *ctx,
                            const char           *text,
                            SqChartText           kind,
                            double               *width,
                            double               *height)
{
  cached_text (ctx, text, kind, width, height);
}

/**
 * sq_chart_context_draw_text:
 *
 * Draws @text in the style of @kind with its top-left corner at the current point of @cr.
 */
void
sq_chart_context_draw_text (const SqChartContext *ctx,
                            cairo_t              *cr,
                            const char           *text,
                            SqChartText           kind)
{
  pango_cairo_show_layout (cr, cached_text (ctx, text, kind, NULL, NULL));
}

double
sq_chart_context_text_width (const SqChartContext *ctx,
                             const char           *text,
                             SqChartText           kind)
{
  double w;

  cached_text (ctx, text, kind, &w, NULL);
  return w;
}

double
sq_chart_context_text_height (const SqChartContext *ctx,
                              SqChartText           kind)
{
  double h;

  cached_text (ctx, "0", kind, NULL, &h);
  return h;
}

/**
 * sq_chart_context_show_text:
 * @x: @y: where the text's top edge goes, at @xalign of its width (0 left, 0.5 centred,
 *   1 right), snapped to whole pixels so glyphs stay sharp
 */
void
sq_chart_context_show_text (const SqChartContext *ctx,
                            cairo_t              *cr,
                            const char           *text,
                            SqChartText           kind,
                            double                x,
                            double                y,
                            double                xalign,
                            const GdkRGBA        *rgba,
                            double                alpha)
{
  double w;
  PangoLayout *layout = cached_text (ctx, text, kind, &w, NULL);

  sq_chart_set_source (cr, rgba, alpha);
  cairo_move_to (cr, sq_chart_snap (x - xalign * w), sq_chart_snap (y));
  pango_cairo_show_layout (cr, layout);
}

void
sq_chart_context_clip_to_plot (const SqChartContext *ctx,
                               cairo_t              *cr)
{
  cairo_rectangle (cr, ctx->plot.origin.x, ctx->plot.origin.y, ctx->plot.size.width,
                   ctx->plot.size.height);
  cairo_clip (cr);
}
