/* sq-chart-traces.c: a chart layer of lines over the step index
 *
 * Such as a neuron's membrane potential in the float model and the integer core. A line with
 * more steps than the plot has pixels is summarised per pixel column: each column draws the
 * span from its smallest to its largest value (joined to the previous column's last), so
 * spikes and resets stay visible whatever the zoom and a frame costs one pass over the steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-chart-traces.h"
#include "sq-format.h"

typedef struct {
  double      *values;
  gsize        n;
  SqChartColor color;
  char        *label;
} Trace;

struct _SqChartTraces
{
  SqChartLayer   parent_instance;

  GArray        *traces;   /* of Trace */
  SqChartExtents extents;
};

G_DEFINE_FINAL_TYPE (SqChartTraces, sq_chart_traces, SQ_TYPE_CHART_LAYER)

static gboolean
sq_chart_traces_has_data (SqChartLayer *layer)
{
  SqChartTraces *self = SQ_CHART_TRACES (layer);

  for (guint i = 0; i < self->traces->len; i++)
    if (g_array_index (self->traces, Trace, i).n > 0)
      return TRUE;
  return FALSE;
}

static void
sq_chart_traces_get_extents (SqChartLayer   *layer,
                             SqChartExtents *extents)
{
  *extents = SQ_CHART_TRACES (layer)->extents;
}

static void
draw_trace (const Trace          *tr,
            const SqChartContext *ctx,
            cairo_t              *cr)
{
  gsize W = (gsize) MAX (ctx->plot.size.width, 1.0);
  gboolean started = FALSE;
  double last = NAN;

  if (tr->n <= 2 * W)
    {
      for (gsize i = 0; i < tr->n; i++)
        {
          double x = sq_chart_context_x (ctx, (double) i), y;

          if (!isfinite (tr->values[i]))
            {
              started = FALSE;
              continue;
            }
          y = sq_chart_context_y (ctx, tr->values[i]);
          if (started)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          started = TRUE;
        }
      return;
    }
  for (gsize c = 0; c < W; c++)
    {
      gsize t0 = c * tr->n / W, t1 = (c + 1) * tr->n / W;
      double lo = last, hi = last, x = ctx->plot.origin.x + c + 0.5;

      for (gsize t = t0; t < t1; t++)
        if (isfinite (tr->values[t]))
          {
            lo = isfinite (lo) ? MIN (lo, tr->values[t]) : tr->values[t];
            hi = isfinite (hi) ? MAX (hi, tr->values[t]) : tr->values[t];
            last = tr->values[t];
          }
      if (!isfinite (lo))
        continue;
      cairo_move_to (cr, x, sq_chart_context_y (ctx, hi) - 0.5);
      cairo_line_to (cr, x, sq_chart_context_y (ctx, lo) + 0.5);
    }
}

static void
sq_chart_traces_render (SqChartLayer         *layer,
                        const SqChartContext *ctx,
                        cairo_t              *cr,
                        SqChartPass           pass)
{
  SqChartTraces *self = SQ_CHART_TRACES (layer);

  if (pass != SQ_CHART_PASS_PLOT)
    return;
  for (guint k = 0; k < self->traces->len; k++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, k);

      sq_chart_set_source (cr, &ctx->palette->named[tr->color], 1.0);
      /* The first underneath, a little wider, so an identical second line leaves it seen. */
      cairo_set_line_width (cr, k == 0 ? 1.5 : 1.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
      draw_trace (tr, ctx, cr);
      cairo_stroke (cr);
    }
}

/* "step 300", then each line's name and value there. */
static char *
sq_chart_traces_describe_at (SqChartLayer *layer,
                             double        x,
                             double        y)
{
  SqChartTraces *self = SQ_CHART_TRACES (layer);
  double index = floor (x + 0.5);
  GString *text;

  if (self->traces->len == 0 || !(index >= 0.0))
    return NULL;
  text = g_string_new (NULL);
  /* Translators: a time step, followed by each line's name and value there */
  g_string_printf (text, _("step %zu"), (gsize) index);
  for (guint k = 0; k < self->traces->len; k++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, k);
      g_autofree char *value = NULL;

      if (index >= (double) tr->n || !isfinite (tr->values[(gsize) index]))
        continue;
      value = sq_format_number (tr->values[(gsize) index]);
      g_string_append_printf (text, "\n%s: %s", tr->label ? tr->label : "", value);
    }
  return g_string_free (text, FALSE);
}

static void
sq_chart_traces_collect_legend (SqChartLayer *layer,
                                GArray       *entries)
{
  SqChartTraces *self = SQ_CHART_TRACES (layer);

  for (guint k = 0; k < self->traces->len; k++)
    {
      const Trace *tr = &g_array_index (self->traces, Trace, k);
      SqChartLegendEntry entry = { tr->label, tr->color };

      if (tr->label != NULL && *tr->label != '\0')
        g_array_append_val (entries, entry);
    }
}

static void
trace_clear (gpointer data)
{
  Trace *t = data;

  g_clear_pointer (&t->values, g_free);
  g_clear_pointer (&t->label, g_free);
}

static void
sq_chart_traces_finalize (GObject *object)
{
  g_array_unref (SQ_CHART_TRACES (object)->traces);
  G_OBJECT_CLASS (sq_chart_traces_parent_class)->finalize (object);
}

/* "2 traces over 1 000 steps, from −0.5 to 1.2" */
static char *
sq_chart_traces_summarize (SqChartLayer *layer)
{
  SqChartTraces *self = SQ_CHART_TRACES (layer);
  g_autofree char *steps = NULL, *lo = NULL, *hi = NULL;
  gsize n = 0;

  for (guint k = 0; k < self->traces->len; k++)
    n = MAX (n, g_array_index (self->traces, Trace, k).n);
  if (n == 0)
    return NULL;
  steps = sq_format_integer (n);
  lo = sq_format_number (self->extents.y_lo);
  hi = sq_format_number (self->extents.y_hi);
  /* Translators: what a chart of lines shows, for screen readers */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u trace over %s steps, from %s to %s",
                                       "%u traces over %s steps, from %s to %s",
                                       self->traces->len),
                          self->traces->len, steps, lo, hi);
}

static void
sq_chart_traces_class_init (SqChartTracesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  object_class->finalize = sq_chart_traces_finalize;
  layer_class->has_data = sq_chart_traces_has_data;
  layer_class->summarize = sq_chart_traces_summarize;
  layer_class->get_extents = sq_chart_traces_get_extents;
  layer_class->render = sq_chart_traces_render;
  layer_class->describe_at = sq_chart_traces_describe_at;
  layer_class->collect_legend = sq_chart_traces_collect_legend;
}

static void
sq_chart_traces_init (SqChartTraces *self)
{
  self->traces = g_array_new (FALSE, TRUE, sizeof (Trace));
  g_array_set_clear_func (self->traces, trace_clear);
  sq_chart_traces_set_traces (self, NULL, 0);
}

/**
 * sq_chart_traces_set_traces:
 * @traces: (array length=n_traces): copied; the first is drawn underneath, a little wider
 *
 * Shows lines over the step index: x spans the steps, y the values with some room above and
 * below.
 */
void
sq_chart_traces_set_traces (SqChartTraces      *self,
                            const SqChartTrace *traces,
                            guint               n_traces)
{
  double lo = INFINITY, hi = -INFINITY;
  gsize n = 1;

  g_return_if_fail (SQ_IS_CHART_TRACES (self));
  g_return_if_fail (traces != NULL || n_traces == 0);

  g_array_set_size (self->traces, 0);
  for (guint k = 0; k < n_traces; k++)
    {
      Trace t = { g_memdup2 (traces[k].values, MAX (traces[k].n, 1) * sizeof (double)),
                  traces[k].n, traces[k].color, g_strdup (traces[k].label) };

      g_return_if_fail (traces[k].values != NULL || traces[k].n == 0);
      g_return_if_fail (traces[k].color < SQ_CHART_N_COLORS);
      g_array_append_val (self->traces, t);
      n = MAX (n, t.n);
      for (gsize i = 0; i < t.n; i++)
        if (isfinite (t.values[i]))
          {
            lo = MIN (lo, t.values[i]);
            hi = MAX (hi, t.values[i]);
          }
    }
  if (!isfinite (lo))
    lo = hi = 0.0;
  if (n_traces > 0)
    self->extents = (SqChartExtents) { 0.0, n - 1 > 0 ? n - 1 : 1, lo, hi,
                                       FALSE, SQ_CHART_FIT_LINES, FALSE, FALSE };
  else
    self->extents = (SqChartExtents) { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_LINES, FALSE,
                                       FALSE };
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}
