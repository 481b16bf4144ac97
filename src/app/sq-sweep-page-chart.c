/* sq-sweep-page-chart.c: what the Sweep page draws — the figure of every row against the
 * weight bits, one curve per method, each point's read-out, the current setting's ring, and
 * a click on a point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-format.h"
#include "sq-sweep-page-private.h"

/* The drop-down's names and the charts' titles and y labels, in SqSweepFigure order. */
static const struct {
  const char *name;
  const char *title;
  const char *y_label;
} figures[SQ_SWEEP_N_FIGURES] = {
  { N_("Network SQNR"), N_("Network SQNR against the bit width"), N_("SQNR (dB)") },
  { N_("Class agreement"), N_("Class agreement, float model and integer core"),
    N_("samples in the same class (%)") },
  { N_("Accuracy"), N_("Accuracy of the integer core"), N_("samples classified as labelled (%)") },
  { N_("Raster agreement"), N_("Output raster agreement"), N_("output bins that agree (%)") },
  { N_("Clipped"), N_("Values clipped"), N_("clipped (%)") },
  { N_("Zeroed"), N_("Non-zero values made 0"), N_("zeroed (%)") },
  { N_("Device check"), N_("Device check"), N_("passes (1) or fails (0)") },
};

/* ---------------------------------------------------------------------------------------- */
/* Figures of a row                                                                          */

static gboolean
needs_samples (SqSweepFigure figure)
{
  return figure == SQ_SWEEP_FIGURE_AGREEMENT || figure == SQ_SWEEP_FIGURE_ACCURACY
         || figure == SQ_SWEEP_FIGURE_RASTER;
}

/* The figure's value for @row, NaN where it has none (a refused combination, a set without
 * labels for the accuracy). */
static double
row_value (const SqSweep    *sweep,
           const SqSweepRow *row,
           SqSweepFigure     figure)
{
  const SqQuantFigures *t = &row->total;
  double sqnr;

  if (row->refused != NULL)
    return NAN;
  switch (figure)
    {
    case SQ_SWEEP_FIGURE_SQNR:
      sqnr = sq_quant_figures_sqnr_db (t);
      /* An exact quantization has no finite SQNR to draw; its read-out says "exact". */
      return isfinite (sqnr) ? sqnr : NAN;
    case SQ_SWEEP_FIGURE_AGREEMENT:
      return row->evaluated ? 100.0 * sq_evaluation_share (row->n_class_agree,
                                                           sweep->n_samples) : NAN;
    case SQ_SWEEP_FIGURE_ACCURACY:
      return row->evaluated && sweep->has_labels
             ? 100.0 * sq_evaluation_share (row->n_correct_int, sweep->n_samples) : NAN;
    case SQ_SWEEP_FIGURE_RASTER:
      return row->evaluated ? 100.0 * row->raster : NAN;
    case SQ_SWEEP_FIGURE_CLIPPED:
      return t->n_values ? 100.0 * (double) t->clipped / (double) t->n_values : NAN;
    case SQ_SWEEP_FIGURE_ZEROED:
      return 100.0 * sq_zeroed_share (t->zeroed, t->n_nonzero);
    case SQ_SWEEP_FIGURE_DEVICE:
      return row->fits && row->alive ? 1.0 : 0.0;
    case SQ_SWEEP_N_FIGURES:
    default:
      g_return_val_if_reached (NAN);
    }
}

/* "12 of 20 (60 %)" */
static char *
share_text (gsize n,
            gsize of)
{
  g_autofree char *percent = sq_format_percent (sq_evaluation_share (n, of));

  /* Translators: a count of samples, of all samples, and its share, "12 of 20 (60 %)" */
  return g_strdup_printf (_("%zu of %zu (%s)"), n, of, percent);
}

/* The point's read-out: its setting, then every figure the row has. */
static char *
row_text (SqSweepPage      *self,
          const SqSweep    *sweep,
          const SqSweepRow *row)
{
  GString *text = g_string_new (NULL);
  g_autofree char *sqnr = sq_format_db (sq_quant_figures_sqnr_db (&row->total));
  g_autofree char *clipped = sq_format_count (row->total.clipped, row->total.n_values);
  g_autofree char *zeroed = sq_zeroed_text (row->total.zeroed, row->total.n_nonzero);
  int x = sq_quant_settings_get (&row->settings, self->x_option->id);
  /* A choice of widths is named as it is ("int8"), a number with its noun ("4 weight bits"). */
  g_autofree char *width = self->x_option->type == SQ_OPTION_CHOICE
    ? g_strdup (sq_label (self->x_option->choices[x].label))
    /* Translators: a sweep's point: the width and its noun, "4 weight bits" */
    : g_strdup_printf (_("%d %s"), x, sq_label (self->x_option->noun));

  if (self->series_option != NULL)
    {
      int s = sq_quant_settings_get (&row->settings, self->series_option->id);

      /* Translators: a sweep's point: the method, then the width, "Per channel, 4 weight
       * bits" */
      g_string_append_printf (text, _("%s, %s"),
                              sq_label (self->series_option->choices[s].label), width);
    }
  else
    g_string_append (text, width);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Network SQNR: %s"), sqnr);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Clipped: %s"), clipped);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Zeroed: %s"), zeroed);
  g_string_append_c (text, '\n');
  g_string_append (text, !row->fits ? _("Device check: does not fit")
                         : !row->alive ? _("Device check: fits, but a layer can never fire")
                         : _("Device check: passes"));
  if (row->evaluated)
    {
      g_autofree char *agree = share_text (row->n_class_agree, sweep->n_samples);
      g_autofree char *raster = sq_format_percent (row->raster);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Class agreement: %s"), agree);
      if (sweep->has_labels)
        {
          g_autofree char *acc = share_text (row->n_correct_int, sweep->n_samples);
          g_autofree char *acc_float = sq_format_percent (
            sq_evaluation_share (row->n_correct_float, sweep->n_samples));

          g_string_append_c (text, '\n');
          /* Translators: the integer core's accuracy, then the float model's */
          g_string_append_printf (text, _("Accuracy: %s; float model %s"), acc, acc_float);
        }
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Output raster agreement: %s"), raster);
    }
  g_string_append_c (text, '\n');
  g_string_append (text, _("Click to apply this setting"));
  return g_string_free (text, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* The chart                                                                                 */

/* The index of @option's axis in @sweep, or -1. */
static int
axis_of (const SqSweep  *sweep,
         const SqOption *option)
{
  for (guint a = 0; option != NULL && a < sweep->axes->len; a++)
    if (g_array_index (sweep->axes, SqSweepAxis, a).option == option)
      return (int) a;
  return -1;
}

/* The row of value @vi of axis @a and @si of axis @b (-1: none): the last axis fastest. */
static gsize
row_index (const SqSweep *sweep,
           int            a,
           guint          vi,
           int            b,
           guint          si)
{
  gsize index = 0;

  for (guint k = 0; k < sweep->axes->len; k++)
    {
      const SqSweepAxis *axis = &g_array_index (sweep->axes, SqSweepAxis, k);

      index = index * axis->n_values + ((int) k == a ? vi : (int) k == b ? si : 0);
    }
  return index;
}

static const SqChartColor series_colors[] = {
  SQ_CHART_COLOR_ACCENT, SQ_CHART_COLOR_WARNING, SQ_CHART_COLOR_SUCCESS, SQ_CHART_COLOR_ERROR,
  SQ_CHART_COLOR_FOREGROUND,
};

/* The ring on the point of the Tune page's settings and a line at its width; the float
 * model's accuracy, the same for every row, as a line under the integer core's. */
void
_sq_sweep_page_update_overlays (SqSweepPage *self)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  SqQuantSettings current;
  guint curve;
  gsize point;

  sq_chart_clear_overlays (self->chart);
  for (guint r = 0; sweep != NULL && sweep->has_labels && self->points->len > 0
                    && gtk_drop_down_get_selected (self->figure_dropdown)
                         == SQ_SWEEP_FIGURE_ACCURACY && r < sweep->rows->len; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);

      if (!row->evaluated)
        continue;
      /* Translators: the float model's accuracy, a line on the sweep's accuracy chart */
      sq_chart_add_hline (self->chart,
                          100.0 * sq_evaluation_share (row->n_correct_float, sweep->n_samples),
                          SQ_CHART_COLOR_SUCCESS, TRUE, _("float model"));
      break;
    }
  if (sweep == NULL || self->analysis == NULL || self->x_option == NULL
      || self->points->len == 0)
    {
      sq_chart_curves_set_mark (SQ_CHART_CURVES (self->curves), -1, -1);
      return;
    }
  if (sq_sweep_page_get_mark (self, &curve, &point))
    sq_chart_curves_set_mark (SQ_CHART_CURVES (self->curves), (int) curve, (gssize) point);
  else
    sq_chart_curves_set_mark (SQ_CHART_CURVES (self->curves), -1, -1);
  sq_analysis_get_settings (self->analysis, &current);
  if (current.kind == sweep->base.kind)
    /* Translators: the line at the Tune page's bit width on the sweep's chart */
    sq_chart_add_vline (self->chart,
                        _sq_sweep_page_x_of (self, sq_quant_settings_get (&current,
                                                                           self->x_option->id)),
                        SQ_CHART_COLOR_FOREGROUND, TRUE, _("current"));
}

void
_sq_sweep_page_show_sweep (SqSweepPage *self)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  SqSweepFigure figure = gtk_drop_down_get_selected (self->figure_dropdown);
  g_autoptr(GArray) curves = g_array_new (FALSE, TRUE, sizeof (SqChartCurve));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep_texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const SqSweepAxis *x_axis, *s_axis;
  int xa, sa;
  guint n_series;
  gboolean any = FALSE;

  _sq_sweep_page_unselect (self);
  g_array_set_size (self->points, 0);
  self->n_curves = 0;
  if (figure >= SQ_SWEEP_N_FIGURES)
    figure = SQ_SWEEP_FIGURE_SQNR;
  sq_chart_set_title (self->chart, _(figures[figure].title));
  sq_chart_set_y_label (self->chart, _(figures[figure].y_label));
  sq_chart_set_x_label (self->chart, self->x_option ? sq_label (self->x_option->noun) : NULL);

  xa = sweep ? axis_of (sweep, self->x_option) : -1;
  if (xa < 0)
    {
      sq_chart_curves_set_curves (SQ_CHART_CURVES (self->curves), NULL, 0);
      sq_chart_set_placeholder (self->chart,
                                self->x_option == NULL
                                  ? _("This kind of network has no bit width to sweep")
                                  : _("Run a sweep to see how each bit width and method "
                                      "does"));
      _sq_sweep_page_update_overlays (self);
      return;
    }
  x_axis = &g_array_index (sweep->axes, SqSweepAxis, xa);
  sa = axis_of (sweep, self->series_option);
  s_axis = sa >= 0 ? &g_array_index (sweep->axes, SqSweepAxis, sa) : NULL;
  n_series = s_axis ? s_axis->n_values : 1;
  for (guint s = 0; s < n_series; s++)
    {
      double *xs = g_new (double, x_axis->n_values), *ys = g_new (double, x_axis->n_values);
      char **texts = g_new0 (char *, x_axis->n_values + 1);
      SqChartCurve c = { xs, ys, (const char * const *) texts, x_axis->n_values,
                         series_colors[s % G_N_ELEMENTS (series_colors)], NULL };

      g_ptr_array_add (keep, xs);
      g_ptr_array_add (keep, ys);
      g_ptr_array_add (keep_texts, texts);
      if (s_axis != NULL)
        c.label = sq_label (self->series_option->choices[s_axis->values[s]].label);
      for (guint i = 0; i < x_axis->n_values; i++)
        {
          gsize r = row_index (sweep, xa, i, sa, s);
          const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);
          Point p = { self->n_curves, i, r, _sq_sweep_page_x_of (self, x_axis->values[i]),
                      NAN };

          xs[i] = p.x;
          ys[i] = p.y = row_value (sweep, row, figure);
          texts[i] = row->refused ? g_strdup (row->refused) : row_text (self, sweep, row);
          any |= isfinite (ys[i]);
          g_array_append_val (self->points, p);
        }
      g_array_append_val (curves, c);
      self->n_curves++;
    }
  if (!any)
    {
      /* Nothing to draw: say why rather than an empty frame. */
      g_array_set_size (self->points, 0);
      self->n_curves = 0;
      g_array_set_size (curves, 0);
      sq_chart_set_placeholder (self->chart,
                                needs_samples (figure) && sweep->n_samples == 0
                                  ? _("Choose a sample set and run the sweep again to see "
                                      "this figure")
                                  : figure == SQ_SWEEP_FIGURE_ACCURACY && !sweep->has_labels
                                  ? _("The sample set has no labels: no accuracy to show")
                                  : _("No setting of this sweep has this figure"));
    }
  sq_chart_curves_set_curves (SQ_CHART_CURVES (self->curves),
                              (const SqChartCurve *) (void *) curves->data, curves->len);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->chart), any ? "pointer" : NULL);
  _sq_sweep_page_update_overlays (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Points                                                                                    */

static const Point *
find_point (SqSweepPage *self,
            guint        curve,
            gsize        index)
{
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (p->curve == curve && p->index == index)
        return p;
    }
  return NULL;
}

/* The row's settings to the document; every page follows the analysis. */
static void
apply_point (SqSweepPage   *self,
             const SqSweep *sweep,
             const Point   *p)
{
  sq_analysis_set_settings (self->analysis,
                            &g_array_index (sweep->rows, SqSweepRow, p->row).settings);
  g_signal_emit_by_name (self, "use-settings");
}

/**
 * sq_sweep_page_activate_at:
 * @x: @y: widget coordinates of the chart
 *
 * What a click on the chart does: the settings of the point there (the one its read-out
 * describes) go to the Tune page's analysis, and #SqSweepPage::use-settings is emitted.
 *
 * Returns: whether there was a point to apply
 */
gboolean
sq_sweep_page_activate_at (SqSweepPage *self,
                           double       x,
                           double       y)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  const Point *p;
  double dx, dy;
  guint curve;
  gsize index;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), FALSE);

  if (sweep == NULL || self->analysis == NULL
      || !sq_chart_widget_to_data (self->chart, x, y, &dx, &dy)
      || !sq_chart_curves_point_at (SQ_CHART_CURVES (self->curves), dx, dy, &curve, &index)
      || (p = find_point (self, curve, index)) == NULL)
    return FALSE;
  apply_point (self, sweep, p);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* The keyboard                                                                              */

/* The keyboard's point: its read-out drawn as the pointer's would be, and said as the
 * chart's description, so a screen reader reads what the pointer shows. */
static gboolean
select_point (SqSweepPage *self,
              guint        curve,
              gssize       index)
{
  const Point *p = index >= 0 ? find_point (self, curve, (gsize) index) : NULL;
  g_autofree char *text = NULL;
  double wx, wy;

  if (p == NULL || !isfinite (p->y)
      || !sq_chart_data_to_widget (self->chart, p->x, p->y, &wx, &wy))
    return FALSE;
  self->key_curve = (int) curve;
  self->key_point = index;
  sq_chart_show_readout (self->chart, wx, wy);
  text = sq_chart_describe_at (self->chart, wx, wy);
  sq_chart_set_description (self->chart, text);
  return TRUE;
}

void
_sq_sweep_page_unselect (SqSweepPage *self)
{
  if (self->key_point < 0)
    return;
  self->key_curve = -1;
  self->key_point = -1;
  sq_chart_show_readout (self->chart, NAN, NAN);
  sq_chart_set_description (self->chart, NULL);
}

/* The keyboard starts on the current setting's point, else the first drawn. */
static void
chart_focused (SqSweepPage *self)
{
  guint curve;
  gsize point;

  if (sq_sweep_page_get_mark (self, &curve, &point) && select_point (self, curve, point))
    return;
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (select_point (self, p->curve, p->index))
        return;
    }
}

/* Left and Right along the curve, Up and Down to the other curves at the same width, Enter
 * or Space applies the point. */
static gboolean
chart_key (SqSweepPage           *self,
           guint                  keyval,
           guint                  keycode,
           GdkModifierType        state,
           GtkEventControllerKey *controller)
{
  const SqSweep *sweep = sq_sweep_task_get_sweep (self->task);
  int dc = 0, di = 0;
  const Point *p;

  if (sweep == NULL || self->points->len == 0)
    return FALSE;
  if (self->key_point < 0)
    chart_focused (self);
  if (self->key_point < 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left: di = -1; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: di = 1; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: dc = -1; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: dc = 1; break;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_space:
      p = find_point (self, (guint) self->key_curve, (gsize) self->key_point);
      if (p != NULL)
        apply_point (self, sweep, p);
      return TRUE;
    default:
      return FALSE;
    }
  /* The next point drawn that way; a gap (a refused setting) is stepped over. */
  for (int c = self->key_curve + dc, i = (int) self->key_point + di;
       c >= 0 && c < (int) self->n_curves && i >= 0
       && (gsize) i < sq_sweep_page_get_n_points (self, (guint) c);
       c += dc, i += di)
    if (select_point (self, (guint) c, i))
      break;
  return TRUE;
}

static void
chart_released (SqSweepPage     *self,
                int              n_press,
                double           x,
                double           y,
                GtkGestureClick *gesture)
{
  if (n_press == 1)
    sq_sweep_page_activate_at (self, x, y);
}

guint
sq_sweep_page_get_n_curves (SqSweepPage *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), 0);
  return self->n_curves;
}

gsize
sq_sweep_page_get_n_points (SqSweepPage *self,
                            guint        curve)
{
  gsize n = 0;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), 0);
  for (guint i = 0; i < self->points->len; i++)
    n += g_array_index (self->points, Point, i).curve == curve;
  return n;
}

/**
 * sq_sweep_page_get_point:
 * @x: (out) (optional): where the point is drawn
 * @y: (out) (optional): its value of the figure shown, NaN when it has none
 *
 * Returns: (nullable): the sweep's row point @point of curve @curve shows
 */
const SqSweepRow *
sq_sweep_page_get_point (SqSweepPage *self,
                         guint        curve,
                         gsize        point,
                         double      *x,
                         double      *y)
{
  const SqSweep *sweep;
  const Point *p;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), NULL);
  sweep = sq_sweep_task_get_sweep (self->task);
  if (sweep == NULL || (p = find_point (self, curve, point)) == NULL)
    return NULL;
  if (x != NULL)
    *x = p->x;
  if (y != NULL)
    *y = p->y;
  return &g_array_index (sweep->rows, SqSweepRow, p->row);
}

/* Returns: whether a point is marked as the Tune page's setting, and which */
gboolean
sq_sweep_page_get_mark (SqSweepPage *self,
                        guint       *curve,
                        gsize       *point)
{
  const SqSweep *sweep;
  SqQuantSettings current;

  g_return_val_if_fail (SQ_IS_SWEEP_PAGE (self), FALSE);
  sweep = sq_sweep_task_get_sweep (self->task);
  if (sweep == NULL || self->analysis == NULL)
    return FALSE;
  sq_analysis_get_settings (self->analysis, &current);
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (sq_quant_settings_equal (&g_array_index (sweep->rows, SqSweepRow, p->row).settings,
                                   &current))
        {
          *curve = p->curve;
          *point = p->index;
          return TRUE;
        }
    }
  return FALSE;
}


/* The figures' drop-down, the curves' layer and the click on the chart. */
void
_sq_sweep_page_chart_init (SqSweepPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkEventController *key, *focus;
  GtkGesture *click;

  for (guint f = 0; f < SQ_SWEEP_N_FIGURES; f++)
    gtk_string_list_append (names, _(figures[f].name));
  gtk_drop_down_set_model (self->figure_dropdown, G_LIST_MODEL (names));
  g_signal_connect_swapped (self->figure_dropdown, "notify::selected",
                            G_CALLBACK (_sq_sweep_page_show_sweep), self);

  self->curves = sq_chart_curves_new ();
  sq_chart_add_layer (self->chart, self->curves);
  click = gtk_gesture_click_new ();
  g_signal_connect_swapped (click, "released", G_CALLBACK (chart_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), GTK_EVENT_CONTROLLER (click));

  /* The points by keyboard too. */
  self->key_curve = -1;
  self->key_point = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self->chart), TRUE);
  key = gtk_event_controller_key_new ();
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (chart_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), key);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (chart_focused), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (_sq_sweep_page_unselect), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), focus);
}
