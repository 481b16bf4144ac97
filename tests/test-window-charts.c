/* test-window-charts.c: the Tune page's charts are readable and accessible: sparse weights
 * without their zeros, thresholds on their own axis with the clip point at the edge, tick
 * labels that fit, a description per chart, and the page driven by the keyboard alone
 *
 * What the charts show is checked against the network's own values, counted here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sq-application.h"
#include "sq-chart.h"
#include "sq-format.h"
#include "sq-plots.h"
#include "sq-test-ui.h"
#include "sq-tune-page.h"
#include "sq-window.h"

static SqApplication *app;

static SqWindow *
open_example (const char *env)
{
  const char *path = g_getenv (env);
  SqWindow *w = sq_test_new_window (app);
  g_autoptr(GFile) file = NULL;

  g_assert_nonnull (path);
  file = g_file_new_for_path (path);
  sq_window_open (w, file);
  sq_test_settle (w);
  g_assert_nonnull (sq_analysis_get_result (sq_window_get_analysis (w)));
  return w;
}

static guint
group_by_id (SqWindow   *w,
             const char *id)
{
  const SqNetwork *network = sq_document_get_network (sq_window_get_document (w));

  for (guint i = 0; i < sq_network_n_groups (network); i++)
    if (g_str_equal (sq_network_get_group (network, i)->id, id))
      return i;
  g_assert_not_reached ();
}

static void
select_group (SqWindow   *w,
              const char *id)
{
  sq_tune_page_select_group (sq_window_get_tune_page (w), group_by_id (w, id));
  sq_test_settle (w);
  g_assert_cmpuint (sq_analysis_get_result (sq_window_get_analysis (w))->group, ==,
                    group_by_id (w, id));
}

static SqChart *
page_chart (SqWindow   *w,
            const char *name)
{
  return SQ_CHART (sq_test_child (sq_window_get_tune_page (w), SQ_TYPE_TUNE_PAGE, name));
}

/* The group's exact zeros, and the range of the rest. */
static gsize
count_zeros (const SqTensor *t,
             double         *lo,
             double         *hi)
{
  gsize zeros = 0;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (gsize i = 0; i < t->n; i++)
    if (!(t->data[i] < 0.0) && !(t->data[i] > 0.0))
      zeros++;
    else
      {
        *lo = MIN (*lo, t->data[i]);
        *hi = MAX (*hi, t->data[i]);
      }
  return zeros;
}

/* ---------------------------------------------------------------------------------------- */

/* The Xylo-size example's recurrent weights are 97 % zeros: the first view shows the others,
 * with the zeros counted in the legend, or as an outlined bar of their own. */
static void
test_sparse_weights (void)
{
  g_autoptr(SqWindow) w = open_example ("SQ_EXAMPLE_XYLO");
  SqChart *chart = page_chart (w, "value_chart");
  GtkToggleButton *zeros_toggle;
  const SqAnalysisResult *r;
  const SqTensor *t;
  SqChartBars *bars;
  g_autofree char *n = NULL, *caption = NULL;
  gsize zeros, busy = 0;
  double lo, hi, xlo, xhi;

  select_group (w, "weights_rec");
  r = sq_analysis_get_result (sq_window_get_analysis (w));
  t = sq_network_get_group (r->quant->network, r->group)->values;
  zeros = count_zeros (t, &lo, &hi);
  g_test_message ("%zu of %zu recurrent weights are zero; the others span [%g, %g]", zeros,
                  t->n, lo, hi);
  g_assert_cmpuint (zeros, >, t->n / 2);

  /* The histogram: every non-zero weight in the bars, over exactly their range */
  g_assert_cmpuint (r->values.zeros, ==, zeros);
  g_assert_cmpuint (r->values.n, ==, t->n - zeros);
  g_assert_cmpuint (r->values.below + r->values.above, ==, 0);
  g_assert_cmpfloat (r->values.lo, ==, lo);
  g_assert_cmpfloat (r->values.hi, ==, hi);
  for (guint b = 0; b < r->values.n_bins; b++)
    busy += r->values.counts[b] > 0;
  g_assert_cmpuint (busy, >, r->values.n_bins / 4);   /* a distribution, not one bar */

  /* The zeros' errors are exactly 0, and left out of the error histogram too */
  g_assert_cmpuint (r->errors.zeros, ==, zeros);
  g_assert_cmpuint (r->errors.n, ==, t->n - zeros);
  g_assert_cmpstr (sq_chart_bars_get_caption (SQ_CHART_BARS (sq_chart_get_layer (
                     page_chart (w, "error_chart"), 0))), ==,
                   sq_chart_bars_get_caption (SQ_CHART_BARS (sq_chart_get_layer (chart, 0))));
  busy = 0;
  for (guint b = 0; b < r->errors.n_bins; b++)
    busy += r->errors.counts[b] > 0;
  g_assert_cmpuint (busy, >, r->errors.n_bins / 4);

  /* The chart: bars from the smallest to the largest weight, the zeros in the legend */
  bars = SQ_CHART_BARS (sq_chart_get_layer (chart, 0));
  n = sq_format_integer (zeros);
  caption = g_strdup_printf ("%s zeros left out", n);
  g_assert_cmpstr (sq_chart_bars_get_caption (bars), ==, caption);
  sq_axis_get_effective_range (sq_chart_get_x_axis (chart), &xlo, &xhi);
  g_assert_cmpfloat (xlo, <=, lo);
  g_assert_cmpfloat (xhi, >=, hi);
  sq_axis_get_effective_range (sq_chart_get_y_axis (chart), NULL, &xhi);
  g_assert_cmpfloat (xhi, <, (double) zeros);
  g_test_message ("%s", sq_chart_get_description (chart));
  sq_test_save_screenshot (GTK_WIDGET (chart), "tune-sparse-weights");

  /* Zeros shown: the outlined bar reaches their count */
  zeros_toggle = GTK_TOGGLE_BUTTON (sq_test_child (sq_window_get_tune_page (w),
                                                   SQ_TYPE_TUNE_PAGE, "zeros_toggle"));
  gtk_toggle_button_set_active (zeros_toggle, TRUE);
  g_assert_true (sq_chart_get_show_zeros (chart));
  g_clear_pointer (&caption, g_free);
  caption = g_strdup_printf ("%s zeros (outlined)", n);
  g_assert_cmpstr (sq_chart_bars_get_caption (bars), ==, caption);
  sq_axis_get_effective_range (sq_chart_get_y_axis (chart), NULL, &xhi);
  g_assert_cmpfloat (xhi, >=, (double) zeros);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  sq_test_save_screenshot (GTK_WIDGET (chart), "tune-sparse-weights-zeros");
  gtk_toggle_button_set_active (zeros_toggle, FALSE);

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* Thresholds and dashes: the x axis spans their values with a margin, not the 16-bit clip
 * point; a clip point beyond it is an edge marker with its value. */
static void
assert_axis_on_data (SqChart         *chart,
                     const SqTensor  *t,
                     double           span_limit)
{
  double lo = INFINITY, hi = -INFINITY, xlo, xhi;

  for (gsize i = 0; i < t->n; i++)
    {
      lo = MIN (lo, t->data[i]);
      hi = MAX (hi, t->data[i]);
    }
  sq_axis_get_effective_range (sq_chart_get_x_axis (chart), &xlo, &xhi);
  g_test_message ("values [%g, %g], axis [%g, %g]", lo, hi, xlo, xhi);
  g_assert_cmpfloat (xlo, <=, lo);
  g_assert_cmpfloat (xhi, >=, hi);
  g_assert_cmpfloat (xhi - xlo, <=, span_limit * MAX (hi - lo, 1.0));
}

static void
test_threshold_axis (void)
{
  g_autoptr(SqWindow) w = open_example ("SQ_EXAMPLE_XYLO");
  SqChart *chart = page_chart (w, "value_chart");
  const SqAnalysisResult *r;
  const SqGroupResult *g;
  SqChartOverlays *overlays;
  g_auto(GStrv) right = NULL;
  g_autofree char *value = NULL;
  gboolean found = FALSE;

  select_group (w, "threshold");
  r = sq_analysis_get_result (sq_window_get_analysis (w));
  g = sq_network_result_get_group (r->quant, r->group);
  /* The thresholds and 3 % room either side for the edge markers: no mark is within reach */
  assert_axis_on_data (chart, sq_network_get_group (r->quant->network, r->group)->values,
                       1.07);
  g_assert_cmpfloat (g->clip_hi, >, 50.0 * r->values.hi);
  for (guint i = 0; i < g->markers->len; i++)
    {
      const SqMarker *m = &g_array_index (g->markers, SqMarker, i);

      g_test_message ("marker %s [%g, %g] band %d mirrored %d", m->label, m->lo, m->hi, m->band,
                      m->mirrored);
    }
  g_test_message ("clip [%g, %g]", g->clip_lo, g->clip_hi);

  overlays = SQ_CHART_OVERLAYS (sq_chart_get_layer (chart, sq_chart_get_n_layers (chart) - 1));
  right = sq_chart_overlays_get_edge_labels (overlays, sq_chart_get_x_axis (chart),
                                             GTK_PACK_END);
  value = g_strdup_printf ("%.6g", g->clip_hi);
  for (guint i = 0; right[i] != NULL; i++)
    {
      g_test_message ("edge marker: %s", right[i]);
      found |= g_str_has_suffix (right[i], value);
    }
  g_assert_true (found);
  sq_test_save_screenshot (GTK_WIDGET (chart), "tune-thresholds");

  /* Dashes: 0 … 15 is the limit, drawn at the edge when the dashes lie well inside it */
  select_group (w, "dash_syn");
  r = sq_analysis_get_result (sq_window_get_analysis (w));
  assert_axis_on_data (chart, sq_network_get_group (r->quant->network, r->group)->values,
                       3.1);
  {
    const char *const want[] = { "dash 15", NULL };
    g_auto(GStrv) edge = NULL;

    overlays = SQ_CHART_OVERLAYS (sq_chart_get_layer (chart,
                                                      sq_chart_get_n_layers (chart) - 1));
    edge = sq_chart_overlays_get_edge_labels (overlays, sq_chart_get_x_axis (chart),
                                              GTK_PACK_END);

    g_assert_cmpstrv (edge, want);
  }
  sq_test_save_screenshot (GTK_WIDGET (chart), "tune-dashes");

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* Every tick label of every chart on the page lies in its chart and clear of its neighbours,
 * on the linear and on the log count axis. */
static void
assert_ticks_readable (SqChart *chart)
{
  for (int o = 0; o < 2; o++)
    {
      GtkOrientation orientation = o ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;
      g_autoptr(GArray) ticks = sq_chart_get_ticks (chart, orientation);

      for (guint i = 0; i < ticks->len; i++)
        {
          const graphene_rect_t *r = &g_array_index (ticks, SqChartTick, i).extents;

          g_assert_cmpfloat (r->origin.x, >=, 0.0);
          g_assert_cmpfloat (r->origin.x + r->size.width, <=,
                             gtk_widget_get_width (GTK_WIDGET (chart)));
          if (i == 0)
            continue;
          {
            const graphene_rect_t *p = &g_array_index (ticks, SqChartTick, i - 1).extents;

            if (orientation == GTK_ORIENTATION_HORIZONTAL)
              g_assert_cmpfloat (p->origin.x + p->size.width, <, r->origin.x);
            else
              g_assert_cmpfloat (r->origin.y + r->size.height, <=, p->origin.y);
          }
        }
    }
}

static void
test_tick_labels (void)
{
  g_autoptr(SqWindow) w = open_example ("SQ_EXAMPLE_XYLO");
  GtkToggleButton *log_toggle = GTK_TOGGLE_BUTTON (sq_test_child (sq_window_get_tune_page (w),
                                                                  SQ_TYPE_TUNE_PAGE,
                                                                  "log_toggle"));
  static const char *const groups[] = { "weights_rec", "threshold", "dash_mem", "bias" };
  static const char *const charts[] = { "value_chart", "error_chart", "neuron_chart" };

  for (guint k = 0; k < 2; k++)
    {
      gtk_toggle_button_set_active (log_toggle, k == 1);
      for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        {
          select_group (w, groups[i]);
          for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
            assert_ticks_readable (page_chart (w, charts[c]));
        }
    }
  sq_test_save_screenshot (GTK_WIDGET (w), "tune-log-counts");
  gtk_toggle_button_set_active (log_toggle, FALSE);
  sq_test_finalize_window (g_steal_pointer (&w));
}

/* Every chart under @widget, on every page, has a title (its accessible label) and a
 * description. */
static guint
assert_charts_described (GtkWidget *widget)
{
  guint n = 0;

  if (SQ_IS_CHART (widget))
    {
      const char *title = sq_chart_get_title (SQ_CHART (widget));
      const char *description = sq_chart_get_description (SQ_CHART (widget));

      g_test_message ("chart \"%s\": %s", title, description);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_nonnull (description);
      g_assert_cmpstr (description, !=, "");
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += assert_charts_described (child);
  return n;
}

/* The charts' descriptions of the small example, from the model, follow the data. */
static void
test_descriptions (void)
{
  g_autoptr(SqWindow) w = open_example ("SQ_EXAMPLE_SMALL");
  SqChart *values = page_chart (w, "value_chart");
  SqChart *errors = page_chart (w, "error_chart");
  SqChart *neurons = page_chart (w, "neuron_chart");
  SqAnalysis *analysis = sq_window_get_analysis (w);
  g_autofree char *before = NULL;

  select_group (w, "weights_rec");
  g_test_message ("%s | %s | %s", sq_chart_get_description (values),
                  sq_chart_get_description (errors), sq_chart_get_description (neurons));
  g_assert_cmpstr (sq_chart_get_title (values), ==, "Recurrent weights");
  /* 32 × 32 neurons × 2 synapses: 2048 weights, 1402 of them zero (counted here too) */
  {
    const SqAnalysisResult *r = sq_analysis_get_result (analysis);
    double lo, hi;

    g_assert_cmpuint (count_zeros (sq_network_get_group (r->quant->network, r->group)->values,
                                   &lo, &hi), ==, 1402);
  }
  g_assert_cmpstr (sq_chart_get_description (values), ==,
                   "Recurrent weights: 646 non-zero values from \u22121.619 to 1.232, "
                   "1\u202f402 zeros; global clip at ±2.915");
  g_assert_true (g_str_has_prefix (sq_chart_get_description (errors),
                                   "Quantization error of Recurrent weights: 2\u202f048 values "
                                   "from "));
  g_assert_cmpstr (sq_chart_get_description (neurons), ==,
                   "Clip point per neuron: 32 neurons, from 0.02371 to 2.915");

  /* The description is the one the model gives, and changes with the settings */
  {
    g_autofree char *want = sq_plots_describe (sq_analysis_get_result (analysis),
                                               SQ_PLOT_VALUES);

    g_assert_cmpstr (sq_chart_get_description (values), ==, want);
  }
  before = g_strdup (sq_chart_get_description (errors));
  sq_analysis_set_option (analysis, "weight-bits", 3);
  sq_test_settle (w);
  g_assert_cmpstr (sq_chart_get_description (errors), !=, before);

  /* The Tune page's three, the compare columns' and the Simulate page's */
  g_assert_cmpuint (assert_charts_described (GTK_WIDGET (w)), >=, 3 + 2 * 2 + 4);

  /* Another group: its own words */
  select_group (w, "dash_mem");
  g_assert_true (g_str_has_prefix (sq_chart_get_description (values), "Membrane dashes: "));
  g_assert_true (g_str_has_suffix (sq_chart_get_description (values),
                                   "; clip range 0 … 15"));

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* The keyboard alone                                                                        */

static gboolean
trigger_matches (GtkShortcutTrigger *t,
                 guint               keyval,
                 GdkModifierType     mods)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (t))   /* "Tab|KP_Tab" */
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (t)),
                            keyval, mods)
           || trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (t)),
                               keyval, mods);
  return GTK_IS_KEYVAL_TRIGGER (t)
         && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t)) == keyval
         && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (t)) == mods;
}

/* What pressing @keyval does: the first shortcut bound to it (key bindings included) on the
 * focus widget or, bubbling up, on an ancestor, as GTK runs them for a key press. GTK 4 has
 * no public way to synthesize a key event; its bindings are reachable this way. */
static gboolean
press_key (GtkWindow       *window,
           guint            keyval,
           GdkModifierType  mods)
{
  for (GtkWidget *w = gtk_root_get_focus (GTK_ROOT (window)); w != NULL;
       w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (c))
            continue;
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
            {
              g_autoptr(GtkShortcut) s = g_list_model_get_item (G_LIST_MODEL (c), k);
              GtkShortcutTrigger *t = gtk_shortcut_get_trigger (s);

              if (trigger_matches (t, keyval, mods)
                  && gtk_shortcut_action_activate (gtk_shortcut_get_action (s), 0, w,
                                                   gtk_shortcut_get_arguments (s)))
                return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
focus_within (GtkWindow *window,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* A screen reader has a name for the focus: its button's label, a mnemonic label, a chart's
 * title and description, a row's or a selectable label's text, on it or on the control it is
 * part of. */
static gboolean
has_label (GtkWidget *focus,
           GtkWidget *page)
{
  for (GtkWidget *w = focus; w != NULL && w != page; w = gtk_widget_get_parent (w))
    {
      GList *labels = gtk_widget_list_mnemonic_labels (w);
      gboolean labelled = labels != NULL;

      g_list_free (labels);
      if (labelled || GTK_IS_LIST_BOX_ROW (w)
          || (GTK_IS_LABEL (w) && *gtk_label_get_text (GTK_LABEL (w)) != '\0')
          || (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)) != NULL)
          || (SQ_IS_CHART (w) && sq_chart_get_title (SQ_CHART (w)) != NULL
              && sq_chart_get_description (SQ_CHART (w)) != NULL))
        return TRUE;
    }
  return FALSE;
}

/* Tab until the focus is within @target; fails after a whole round of the window. */
static void
tab_to (GtkWindow *window,
        GtkWidget *target)
{
  for (guint i = 0; i < 200 && !focus_within (window, target); i++)
    g_assert_true (press_key (window, GDK_KEY_Tab, 0));
  g_assert_true (focus_within (window, target));
}

static void
test_keyboard_walk (void)
{
  g_autoptr(SqWindow) w = open_example ("SQ_EXAMPLE_SMALL");
  GtkWindow *window = GTK_WINDOW (w);
  SqTunePage *page = sq_window_get_tune_page (w);
  SqAnalysis *analysis = sq_window_get_analysis (w);
  const SqNetworkKind *kind = sq_analysis_get_kind (analysis);
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autofree gboolean *reached = NULL;
  GtkWidget *group_list = sq_test_child (page, SQ_TYPE_TUNE_PAGE, "group_list");
  GtkWidget *spin;
  gboolean left_page = FALSE;
  guint group, steps = 0;
  int bits;

  /* Every control of the page */
  g_ptr_array_add (targets, group_list);
  for (guint i = 0; i < kind->n_options; i++)
    g_ptr_array_add (targets, sq_tune_page_get_control (page, kind->options[i].id));
  g_ptr_array_add (targets, sq_test_child (page, SQ_TYPE_TUNE_PAGE, "log_toggle"));
  g_ptr_array_add (targets, sq_test_child (page, SQ_TYPE_TUNE_PAGE, "zeros_toggle"));
  g_ptr_array_add (targets, sq_test_child (page, SQ_TYPE_TUNE_PAGE, "value_chart"));
  g_ptr_array_add (targets, sq_test_child (page, SQ_TYPE_TUNE_PAGE, "error_chart"));
  g_ptr_array_add (targets, sq_test_child (page, SQ_TYPE_TUNE_PAGE, "neuron_chart"));
  reached = g_new0 (gboolean, targets->len);

  /* Round the window with Tab from the sidebar, back to where it started */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (GTK_LIST_BOX (group_list))));
  g_assert_true (focus_within (window, group_list));
  do
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      g_assert_nonnull (focus);
      if (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)))
        {
          g_test_message ("focus %u: %s", steps, G_OBJECT_TYPE_NAME (focus));
          g_assert_true (has_label (focus, GTK_WIDGET (page)));
        }
      else
        left_page = TRUE;
      for (guint i = 0; i < targets->len; i++)
        reached[i] |= focus_within (window, g_ptr_array_index (targets, i));
      g_assert_true (press_key (window, GDK_KEY_Tab, 0));
      steps++;
    }
  while (!(left_page && focus_within (window, group_list)) && steps < 200);
  g_assert_cmpuint (steps, <, 200);
  for (guint i = 0; i < targets->len; i++)
    {
      g_test_message ("%s reached: %d", G_OBJECT_TYPE_NAME (g_ptr_array_index (targets, i)),
                      reached[i]);
      g_assert_true (reached[i]);
    }

  /* Arrow keys: Down in the sidebar shows the next group */
  group = sq_analysis_get_group (analysis);
  tab_to (window, group_list);
  g_assert_true (press_key (window, GDK_KEY_Down, 0));
  sq_test_settle (w);
  g_assert_cmpuint (sq_analysis_get_group (analysis), ==, group + 1);

  /* Up on the weight bits adds one (to what an earlier test left in the settings) */
  spin = sq_tune_page_get_control (page, "weight-bits");
  tab_to (window, spin);
  bits = sq_analysis_get_option (analysis, "weight-bits");
  g_assert_cmpint (bits, <, 16);
  g_assert_true (press_key (window, GDK_KEY_Up, 0));
  sq_test_settle (w);
  g_assert_cmpint (sq_analysis_get_option (analysis, "weight-bits"), ==, bits + 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, bits + 1);

  sq_test_finalize_window (g_steal_pointer (&w));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();

  g_test_add_func ("/window-charts/sparse-weights", test_sparse_weights);
  g_test_add_func ("/window-charts/threshold-axis", test_threshold_axis);
  g_test_add_func ("/window-charts/tick-labels", test_tick_labels);
  g_test_add_func ("/window-charts/descriptions", test_descriptions);
  g_test_add_func ("/window-charts/keyboard-walk", test_keyboard_walk);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
