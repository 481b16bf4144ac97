/* sq-chart-data.c: the shorthands of SqChart for the common case: one data layer, replaced by
 * each sq_chart_set_histogram(), sq_chart_set_series(), sq_chart_set_raster() or
 * sq_chart_set_traces() (and kept when the kind of data stays), under one overlay layer that
 * sq_chart_add_vline() and the like add to. Only the public layer API is used here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-chart-private.h"

/* The data layer if it is of @type, else a new one of @type at the bottom (or none when
 * @type is 0), replacing the old. */
static SqChartLayer *
data_layer_of_type (SqChart *self,
                    GType    type)
{
  g_autoptr(SqChartLayer) layer = NULL;

  if (type != 0 && self->data_layer != NULL
      && G_TYPE_CHECK_INSTANCE_TYPE (self->data_layer, type))
    return self->data_layer;
  if (self->data_layer != NULL)
    sq_chart_remove_layer (self, self->data_layer);
  if (type == 0)
    return NULL;
  layer = g_object_new (type, NULL);
  sq_chart_insert_layer (self, layer, 0);
  self->data_layer = layer;
  return layer;
}

/**
 * sq_chart_set_histogram:
 * @hist: (nullable): copied; %NULL clears the data
 *
 * Shows @hist as bars (an #SqChartBars); the x axis spans [lo, hi] and the overlays, the y
 * axis the counts. Replaces any other data.
 */
void
sq_chart_set_histogram (SqChart           *self,
                        const SqHistogram *hist)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (hist == NULL || (hist->n_bins > 0 && hist->counts != NULL
                                     && hist->edges != NULL));

  if (hist == NULL)
    data_layer_of_type (self, 0);
  else
    {
      SqChartBars *bars = SQ_CHART_BARS (data_layer_of_type (self, SQ_TYPE_CHART_BARS));

      sq_chart_bars_set_show_zeros (bars, self->show_zeros);
      sq_chart_bars_set_histogram (bars, hist);
    }
}

/**
 * sq_chart_set_series:
 * @values: (array length=n) (nullable): copied; NaN and infinities leave gaps
 * @item_name: (nullable): what one value is, for the read-out ("neuron 12: 0.0345")
 *
 * Shows one bar per value from 0, at x = 0 … @n − 1 (an #SqChartBars). Replaces any other
 * data.
 */
void
sq_chart_set_series (SqChart      *self,
                     const double *values,
                     gsize         n,
                     const char   *item_name)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (values != NULL || n == 0);

  if (n == 0)
    data_layer_of_type (self, 0);
  else
    sq_chart_bars_set_series (SQ_CHART_BARS (data_layer_of_type (self, SQ_TYPE_CHART_BARS)),
                              values, n, item_name);
}

/**
 * sq_chart_set_raster:
 *
 * Shows an event raster (an #SqChartRaster; see sq_chart_raster_set_counts()); %NULL
 * @counts clears the data. Replaces any other data.
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

  if (counts == NULL)
    data_layer_of_type (self, 0);
  else
    sq_chart_raster_set_counts (SQ_CHART_RASTER (data_layer_of_type (self,
                                                                     SQ_TYPE_CHART_RASTER)),
                                counts, n_steps, stride, rows, n_rows, n_total, color,
                                row_name);
}

/**
 * sq_chart_set_traces:
 * @traces: (array length=n_traces): copied; the first is drawn underneath, a little wider
 *
 * Shows lines over the step index (an #SqChartTraces), such as a neuron's membrane potential
 * in two models. Replaces any other data.
 */
void
sq_chart_set_traces (SqChart            *self,
                     const SqChartTrace *traces,
                     guint               n_traces)
{
  g_return_if_fail (SQ_IS_CHART (self));
  g_return_if_fail (traces != NULL || n_traces == 0);

  if (n_traces == 0)
    data_layer_of_type (self, 0);
  else
    sq_chart_traces_set_traces (SQ_CHART_TRACES (data_layer_of_type (self,
                                                                     SQ_TYPE_CHART_TRACES)),
                                traces, n_traces);
}

static SqChartOverlays *
ensure_overlays (SqChart *self)
{
  if (self->overlays == NULL)
    {
      g_autoptr(SqChartLayer) layer = sq_chart_overlays_new ();

      sq_chart_add_layer (self, layer);
      self->overlays = layer;
    }
  return SQ_CHART_OVERLAYS (self->overlays);
}

/**
 * sq_chart_clear_overlays:
 *
 * Removes every line, band, shading and grid added through the chart.
 */
void
sq_chart_clear_overlays (SqChart *self)
{
  g_return_if_fail (SQ_IS_CHART (self));
  if (self->overlays != NULL)
    sq_chart_overlays_clear (SQ_CHART_OVERLAYS (self->overlays));
}

/**
 * sq_chart_add_vline:
 *
 * See sq_chart_overlays_add_line(): a vertical line at @x, such as a clip point.
 */
void
sq_chart_add_vline (SqChart      *self,
                    double        x,
                    SqChartColor  color,
                    gboolean      dashed,
                    const char   *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  sq_chart_overlays_add_line (ensure_overlays (self), GTK_ORIENTATION_VERTICAL, x, color, dashed,
                              label);
}

/**
 * sq_chart_add_hline:
 *
 * See sq_chart_overlays_add_line(): a horizontal line at @y, such as a threshold.
 */
void
sq_chart_add_hline (SqChart      *self,
                    double        y,
                    SqChartColor  color,
                    gboolean      dashed,
                    const char   *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  sq_chart_overlays_add_line (ensure_overlays (self), GTK_ORIENTATION_HORIZONTAL, y, color,
                              dashed, label);
}

/**
 * sq_chart_add_vband:
 *
 * See sq_chart_overlays_add_vband(): a band from @x0 to @x1.
 */
void
sq_chart_add_vband (SqChart      *self,
                    double        x0,
                    double        x1,
                    SqChartColor  color,
                    const char   *label)
{
  g_return_if_fail (SQ_IS_CHART (self));
  sq_chart_overlays_add_vband (ensure_overlays (self), x0, x1, color, label);
}

/**
 * sq_chart_set_shade_outside:
 *
 * See sq_chart_overlays_set_shade_outside(): tints x < @lo and x > @hi.
 */
void
sq_chart_set_shade_outside (SqChart *self,
                            double   lo,
                            double   hi)
{
  g_return_if_fail (SQ_IS_CHART (self));
  sq_chart_overlays_set_shade_outside (ensure_overlays (self), lo, hi);
}

/**
 * sq_chart_set_grid:
 *
 * See sq_chart_overlays_set_grid(): faint vertical lines at @xs.
 */
void
sq_chart_set_grid (SqChart      *self,
                   const double *xs,
                   gsize         n)
{
  g_return_if_fail (SQ_IS_CHART (self));
  sq_chart_overlays_set_grid (ensure_overlays (self), xs, n);
}
