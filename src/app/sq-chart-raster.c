/* sq-chart-raster.c: a chart layer of events over time, one row per neuron
 *
 * The simulator's time-major counts are referenced, not copied (a GBytes holding its
 * refcounted result). Drawing sums the events of each pixel into an A8 mask, divided by the
 * steps and rows the pixel covers (a rate, so 1000 steps on 850 pixels do not stripe), keeps
 * the mask until the size or the data change, and paints it in the style's colour: a frame
 * costs the same whatever the number of events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-raster.h"
#include "sq-format.h"

struct _SqChartRaster
{
  SqChartLayer     parent_instance;

  /* n_steps rows of stride counts, of which rows are shown (evenly spread over n_total). */
  GBytes          *counts;
  gsize            n_steps;
  gsize            stride;
  guint32         *rows;
  gsize            n_rows;
  gsize            n_total;
  SqChartColor     color;
  char            *row_name;

  cairo_surface_t *mask;
};

G_DEFINE_FINAL_TYPE (SqChartRaster, sq_chart_raster, SQ_TYPE_CHART_LAYER)

static gboolean
sq_chart_raster_has_data (SqChartLayer *layer)
{
  SqChartRaster *self = SQ_CHART_RASTER (layer);

  return self->counts != NULL && self->n_steps > 0 && self->n_rows > 0;
}

static void
sq_chart_raster_get_extents (SqChartLayer   *layer,
                             SqChartExtents *extents)
{
  SqChartRaster *self = SQ_CHART_RASTER (layer);

  if (self->counts == NULL)
    return;
  /* Steps run from the left edge of step 0 to the right edge of the last; rows are neuron
   * indices, 0 at the bottom. */
  *extents = (SqChartExtents) { 0.0, MAX (self->n_steps, 1), -0.5, MAX (self->n_total, 1) - 0.5,
                                FALSE, SQ_CHART_FIT_EXACT, TRUE, FALSE };
}

/* Events per pixel: each mask pixel sums the counts of the steps and rows it covers, divided
 * by how many it covers (pixels of a plot narrower than the steps cover one or two steps,
 * which must not show as stripes). Pixels with any event are at least faintly visible; the
 * rest scale with the square root of their rate, so a few busy cells do not wash out the
 * others. */
static void
ensure_mask (SqChartRaster        *self,
             const SqChartContext *ctx)
{
  const gsize T = self->n_steps, R = self->n_rows, stride = self->stride;
  const guint8 *counts = g_bytes_get_data (self->counts, NULL);
  g_autofree guint64 *acc = NULL;
  g_autofree gsize *row_px = NULL, *col_steps = NULL, *px_rows = NULL;
  g_autofree double *rate = NULL;
  double max = 0.0;
  guint8 *data;
  int w, h, mask_stride;

  w = (int) MIN ((gsize) MAX (ctx->plot.size.width, 1.0), T);
  h = (int) MIN ((gsize) MAX (ctx->plot.size.height, 1.0), R);
  if (self->mask != NULL && cairo_image_surface_get_width (self->mask) == w
      && cairo_image_surface_get_height (self->mask) == h)
    return;
  g_clear_pointer (&self->mask, cairo_surface_destroy);

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
        a[row_px[i]] += row[self->rows[i]];
    }
  rate = g_new (double, (gsize) w * h);
  for (int x = 0; x < w; x++)
    for (int y = 0; y < h; y++)
      {
        gsize k = (gsize) x * h + y;

        rate[k] = (double) acc[k] / (double) MAX (col_steps[x] * px_rows[y], 1);
        max = MAX (max, rate[k]);
      }

  self->mask = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  cairo_surface_flush (self->mask);
  data = cairo_image_surface_get_data (self->mask);
  mask_stride = cairo_image_surface_get_stride (self->mask);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gsize k = (gsize) x * h + y;

        data[y * mask_stride + x] = acc[k] == 0 ? 0
          : (guint8) (255.0 * (0.35 + 0.65 * sqrt (rate[k] / max)));
      }
  cairo_surface_mark_dirty (self->mask);
}

static void
sq_chart_raster_render (SqChartLayer         *layer,
                        const SqChartContext *ctx,
                        cairo_t              *cr,
                        SqChartPass           pass)
{
  SqChartRaster *self = SQ_CHART_RASTER (layer);
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  if (pass != SQ_CHART_PASS_PLOT || !sq_chart_raster_has_data (layer))
    return;
  ensure_mask (self, ctx);
  pattern = cairo_pattern_create_for_surface (self->mask);
  /* Sharp cells when there are fewer steps or rows than pixels. */
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_scale (&matrix,
                           cairo_image_surface_get_width (self->mask) / ctx->plot.size.width,
                           cairo_image_surface_get_height (self->mask) / ctx->plot.size.height);
  cairo_matrix_translate (&matrix, -ctx->plot.origin.x, -ctx->plot.origin.y);
  cairo_pattern_set_matrix (pattern, &matrix);
  sq_chart_set_source (cr, &ctx->palette->named[self->color], 1.0);
  cairo_mask (cr, pattern);
  cairo_pattern_destroy (pattern);
}

static char *
sq_chart_raster_describe_at (SqChartLayer *layer,
                             double        x,
                             double        y)
{
  SqChartRaster *self = SQ_CHART_RASTER (layer);
  gsize t, i;
  guint count;

  if (!sq_chart_raster_has_data (layer) || !(x >= 0.0) || !(x < (double) self->n_steps)
      || !(y >= -0.5))
    return NULL;
  t = (gsize) x;
  i = (gsize) ((y + 0.5) * (double) self->n_rows / (double) self->n_total);
  if (i >= self->n_rows)
    return NULL;
  count = ((const guint8 *) g_bytes_get_data (self->counts, NULL))
            [t * self->stride + self->rows[i]];
  /* Translators: a neuron by its name and index, a time step and its events there */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u, step %zu: %u event",
                                       "%s %u, step %zu: %u events", count),
                          self->row_name != NULL ? self->row_name : _("neuron"),
                          self->rows[i], t, count);
}

static void
sq_chart_raster_invalidate (SqChartLayer *layer)
{
  g_clear_pointer (&SQ_CHART_RASTER (layer)->mask, cairo_surface_destroy);
}

static void
clear_data (SqChartRaster *self)
{
  g_clear_pointer (&self->mask, cairo_surface_destroy);
  g_clear_pointer (&self->counts, g_bytes_unref);
  g_clear_pointer (&self->rows, g_free);
  g_clear_pointer (&self->row_name, g_free);
  self->n_rows = 0;
  self->n_steps = 0;
}

static void
sq_chart_raster_finalize (GObject *object)
{
  clear_data (SQ_CHART_RASTER (object));
  G_OBJECT_CLASS (sq_chart_raster_parent_class)->finalize (object);
}

/* "200 of 1 000 rows over 10 000 steps" */
static char *
sq_chart_raster_summarize (SqChartLayer *layer)
{
  SqChartRaster *self = SQ_CHART_RASTER (layer);
  g_autofree char *shown = sq_format_integer (self->n_rows);
  g_autofree char *total = sq_format_integer (self->n_total);
  g_autofree char *steps = sq_format_integer (self->n_steps);

  if (self->counts == NULL)
    return NULL;
  /* Translators: a raster, for screen readers: "200 of 1 000 rows over 10 000 steps" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s rows over %s step",
                                       "%s of %s rows over %s steps",
                                       (gulong) MIN (self->n_steps, G_MAXULONG)),
                          shown, total, steps);
}

static void
sq_chart_raster_class_init (SqChartRasterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  object_class->finalize = sq_chart_raster_finalize;
  layer_class->has_data = sq_chart_raster_has_data;
  layer_class->summarize = sq_chart_raster_summarize;
  layer_class->get_extents = sq_chart_raster_get_extents;
  layer_class->render = sq_chart_raster_render;
  layer_class->describe_at = sq_chart_raster_describe_at;
  layer_class->invalidate = sq_chart_raster_invalidate;
}

static void
sq_chart_raster_init (SqChartRaster *self)
{
}

/**
 * sq_chart_raster_set_counts:
 * @counts: (nullable): event counts, @n_steps rows of @stride bytes (time-major, as the
 *   simulator records them), the last of them as long as @rows reach; referenced, not
 *   copied; %NULL clears the data
 * @rows: (array length=n_rows): the columns of @counts to show, ascending and spread evenly
 *   over @n_total neurons (all of them, or a sample); copied
 * @n_total: the neurons @rows are taken from: the y axis spans 0 … @n_total − 1
 * @color: the colour of the events
 * @row_name: (nullable): what a row is, for the read-out ("neuron 12, step 340: 2 events")
 *
 * Shows an event raster: time along x, one row per neuron, the events of each pixel as
 * colour intensity.
 */
void
sq_chart_raster_set_counts (SqChartRaster *self,
                            GBytes        *counts,
                            gsize          n_steps,
                            gsize          stride,
                            const guint32 *rows,
                            gsize          n_rows,
                            gsize          n_total,
                            SqChartColor   color,
                            const char    *row_name)
{
  g_return_if_fail (SQ_IS_CHART_RASTER (self));
  g_return_if_fail (rows != NULL || n_rows == 0);
  /* The last step is read up to the last row shown: @counts may start at a layer's first
   * column of a longer record. */
  g_return_if_fail (counts == NULL || n_steps == 0 || n_rows == 0 ||
                    g_bytes_get_size (counts) >= (n_steps - 1) * stride + rows[n_rows - 1] + 1);
  g_return_if_fail (color < SQ_CHART_N_COLORS);

  clear_data (self);
  if (counts != NULL)
    {
      for (gsize i = 0; i < n_rows; i++)
        g_return_if_fail (rows[i] < stride && rows[i] < n_total);
      self->counts = g_bytes_ref (counts);
      self->n_steps = n_steps;
      self->stride = stride;
      self->rows = g_memdup2 (rows, MAX (n_rows, 1) * sizeof (guint32));
      self->n_rows = n_rows;
      self->n_total = n_total;
      self->color = color;
      self->row_name = g_strdup (row_name);
    }
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}
