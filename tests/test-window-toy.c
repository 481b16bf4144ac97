/* test-window-toy.c: a second kind of network in the real window, through the generic paths
 *
 * The toy kind of sq-test-toy.c (one layer, its own options, device, format and files) is
 * given a simulation here: a leaky integrate-and-fire layer whose integer core runs the
 * quantized weights. Registered alone, it is opened in the window, and every page shows it:
 * the Tune sidebar lists its groups and the controls its options, the charts and figures
 * its numbers, Compare its settings side by side, the Simulate page its runs and hints, the
 * device check, the export dialog, Save and sessions its devices, formats and files. Every
 * number is the core's (or the toy's own arithmetic), computed here without the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-application.h"
#include "sq-chart.h"
#include "sq-check-list.h"
#include "sq-compare-column.h"
#include "sq-export-dialog.h"
#include "sq-figures.h"
#include "sq-session.h"
#include "sq-test-pages.h"
#include "sq-test-toy.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;

/* The toy of sq-test-toy.c with a simulation; registered instead of it. */
static SqNetworkKind toy_kind;

/* w[input][output] and the output thresholds: the largest |w| is 1, twice the RMS 1.141. */
static const double toy_weights[3][2] = { { 0.5, -0.25 }, { 0.25, 1.0 }, { -0.75, 0.125 } };
static const double toy_threshold[2] = { 0.5, 1.0 };

#define TOY_HINT "The toy network has no hidden layer: only its outputs are compared."

/* ---------------------------------------------------------------------------------------- */
/* The toy kind, with a simulation                                                           */

static SqNetwork *
toy_load (const char           *path,
          const SqLoadOptions  *options,
          GCancellable         *cancellable,
          SqProgressFunc        progress,
          gpointer              progress_data,
          GError              **error)
{
  SqNetwork *n = sq_test_toy_kind.load (path, options, cancellable, progress, progress_data,
                                        error);

  /* The base kind's network, handed to this kind's verbs. */
  if (n != NULL)
    n->kind = &toy_kind;
  return n;
}

static SqNetworkResult *
toy_quantize (SqNetwork             *network,
              const SqQuantSettings *settings,
              SqQuantizeFlags        flags,
              GCancellable          *cancellable,
              GError               **error)
{
  SqNetworkResult *r = sq_test_toy_kind.quantize (network, settings, flags, cancellable, error);

  if (r != NULL)
    r->quantized->kind = &toy_kind;
  return r;
}

/* v ← v/2 + Σ inputs·w, an event and v − threshold at the threshold; the integer core halves
 * by flooring, so every state stays a whole number. */
static SqSimResult *
toy_run (const SqNetwork        *network,
         const SqDeviceProfile  *device,
         const SqRaster         *input,
         gboolean                record_all,
         GCancellable           *cancellable,
         SqProgressFunc          progress,
         gpointer                progress_data,
         GError                **error)
{
  const SqTensor *w = sq_network_get_group (network, 0)->values;
  const SqTensor *th = sq_network_get_group (network, 1)->values;
  gsize n_in = w->shape[0], n_out = w->shape[1], T = input->n_steps;
  SqSimResult *r = g_new0 (SqSimResult, 1);
  g_autofree double *v = g_new0 (double, n_out);

  g_assert_cmpuint (input->n_channels, ==, n_in);
  r->n_steps = T;
  r->n_in = n_in;
  r->n_syn = 1;
  r->n_out = n_out;
  r->float_model = device == NULL;
  r->record_all = record_all;
  r->spikes_out = g_new0 (guint8, MAX (T * n_out, 1));
  r->out_events = g_new0 (guint64, n_out);
  r->first_out = g_new (gint64, n_out);
  for (gsize o = 0; o < n_out; o++)
    r->first_out[o] = -1;
  if (record_all && r->float_model)
    {
      r->ftrace[SQ_TRACE_VMEM_OUT] = g_new0 (double, MAX (T * n_out, 1));
      r->ftrace[SQ_TRACE_ISYN_OUT] = g_new0 (double, MAX (T * n_out, 1));
    }
  else if (record_all)
    {
      r->itrace[SQ_TRACE_VMEM_OUT] = g_new0 (gint16, MAX (T * n_out, 1));
      r->itrace[SQ_TRACE_ISYN_OUT] = g_new0 (gint16, MAX (T * n_out, 1));
    }

  for (gsize t = 0; t < T; t++)
    for (gsize o = 0; o < n_out; o++)
      {
        double isyn = 0.0;

        for (gsize i = 0; i < n_in; i++)
          isyn += input->counts[t * n_in + i] * w->data[i * n_out + o];
        v[o] = (r->float_model ? v[o] / 2.0 : floor (v[o] / 2.0)) + isyn;
        if (v[o] >= th->data[o])
          {
            r->spikes_out[t * n_out + o] = 1;
            r->out_events[o]++;
            if (r->first_out[o] < 0)
              r->first_out[o] = (gint64) t;
            v[o] -= th->data[o];
          }
        if (r->ftrace[SQ_TRACE_VMEM_OUT] != NULL)
          {
            r->ftrace[SQ_TRACE_VMEM_OUT][t * n_out + o] = v[o];
            r->ftrace[SQ_TRACE_ISYN_OUT][t * n_out + o] = isyn;
          }
        if (r->itrace[SQ_TRACE_VMEM_OUT] != NULL)
          {
            r->itrace[SQ_TRACE_VMEM_OUT][t * n_out + o] = (gint16) v[o];
            r->itrace[SQ_TRACE_ISYN_OUT][t * n_out + o] = (gint16) isyn;
          }
      }
  if (progress != NULL)
    progress (1.0, progress_data);
  return r;
}

static GPtrArray *
toy_hints (const SqSimRun *run)
{
  GPtrArray *hints = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (hints, g_strdup (TOY_HINT));
  return hints;
}

/* The integer weights are the float ones times the scale: so are the states. */
static double
toy_state_scale (const SqNetworkResult *result,
                 gboolean               output,
                 gsize                  index)
{
  return output ? result->layers[0].scale : NAN;
}

static double
toy_neuron_threshold (const SqNetwork *network,
                      gboolean         output,
                      gsize            index)
{
  const SqTensor *th = sq_network_get_group (network, 1)->values;

  return output && index < th->n ? th->data[index] : NAN;
}

static void
toy_kind_register (void)
{
  toy_kind = sq_test_toy_kind;
  toy_kind.load = toy_load;
  toy_kind.quantize = toy_quantize;
  toy_kind.run = toy_run;
  toy_kind.hints = toy_hints;
  toy_kind.state_scale = toy_state_scale;
  toy_kind.neuron_threshold = toy_neuron_threshold;
  sq_network_kind_register (&toy_kind);
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                   */

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sq_test_tmpdir ();
  f->path = g_build_filename (f->dir, "net.toy", NULL);
  sq_test_toy_write (f->path, toy_weights, toy_threshold);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sq_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static SqWindow *
open_toy (const char *path)
{
  SqWindow *w = sq_test_new_window (app);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sq_window_open (w, file);
  sq_test_settle (w);
  g_assert_nonnull (sq_window_get_document (w));
  g_assert_true (sq_document_get_network (sq_window_get_document (w))->kind == &toy_kind);
  return w;
}

static SqQuantSettings
toy_settings (const char *method,
              int         bits)
{
  SqQuantSettings s;

  sq_quant_settings_init (&s, &toy_kind);
  g_assert_true (sq_quant_settings_set_string (&s, "method", method, NULL));
  g_assert_true (sq_quant_settings_set (&s, "weight-bits", bits, NULL));
  return s;
}

/* The toy's quantization of its weights done by hand: the scale by the toy's own rule,
 * rint, clipping at ±(2^(bits−1) − 1). */
typedef struct {
  double scale;
  double clip;
  gsize  clipped;
  gsize  zeroed;
  double sqnr;
  double max_error;
} Expected;

static Expected
expected_figures (int method,
                  int bits)
{
  const double *w = &toy_weights[0][0];
  double wmax = ldexp (1.0, bits - 1) - 1.0, signal = 0.0, noise = 0.0;
  Expected e = { 0, };

  e.scale = sq_test_toy_scale (w, 6, method, bits);
  e.clip = wmax / e.scale;
  for (guint i = 0; i < 6; i++)
    {
      double v = rint (w[i] * e.scale), err;

      e.clipped += fabs (v) > wmax;
      v = CLAMP (v, -wmax, wmax);
      e.zeroed += fabs (w[i]) > 0.0 && !(fabs (v) > 0.0);
      err = v / e.scale - w[i];
      signal += w[i] * w[i];
      noise += err * err;
      e.max_error = MAX (e.max_error, fabs (err));
    }
  e.sqnr = noise > 0.0 ? 10.0 * log10 (signal / noise) : INFINITY;
  return e;
}

static void
assert_figures (SqFigures *figures,
                int        method,
                int        bits)
{
  Expected e = expected_figures (method, bits);

  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "scale"), e.scale, e.scale * 1e-3);
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "clip"), e.clip, e.clip * 1e-3);
  g_assert_cmpfloat (sq_test_figure_value (figures, "clipped"), ==, (double) e.clipped);
  g_assert_cmpfloat (sq_test_figure_value (figures, "zeroed"), ==, (double) e.zeroed);
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "sqnr"), e.sqnr, 0.006);
  /* One layer: the network's SQNR is the layer's. */
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "total-sqnr"), e.sqnr, 0.006);
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "max-error"), e.max_error,
                                  e.max_error * 1e-3);
  /* The toy has no modes: no mode row. */
  g_assert_false (gtk_widget_get_visible (sq_test_child (figures, SQ_TYPE_FIGURES,
                                                         "mode_title")));
}

static int
color_distance (const guint8   rgb[3],
                const GdkRGBA *color)
{
  int d = abs (rgb[0] - (int) rint (color->red * 255));

  d = MAX (d, abs (rgb[1] - (int) rint (color->green * 255)));
  return MAX (d, abs (rgb[2] - (int) rint (color->blue * 255)));
}

/* The chart draws a line of the accent colour at @x down its plot. */
static void
assert_accent_line (SqChart *chart,
                    double   x)
{
  GdkTexture *texture;
  graphene_rect_t plot;
  SqTestImage image;
  GdkRGBA accent;
  double wx;
  guint rows = 0;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (chart)),
                                                 "accent_color", &accent));
G_GNUC_END_IGNORE_DEPRECATIONS
  /* What is rendered is what was last drawn. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (chart));
  g_assert_true (sq_chart_data_to_widget (chart, x, 0.0, &wx, NULL));
  g_assert_true (sq_chart_get_plot_area (chart, &plot));
  texture = sq_test_render_widget (GTK_WIDGET (chart));
  sq_test_image_init (&image, texture);
  g_assert_finalize_object (texture);
  for (int k = 1; k <= 3; k++)
    {
      int y = (int) (plot.origin.y + plot.size.height * k / 4.0);

      for (int px = (int) floor (wx) - 1; px <= (int) floor (wx) + 1; px++)
        {
          guint8 rgb[3];

          sq_test_image_rgb (&image, px, y, rgb);
          if (color_distance (rgb, &accent) <= 24)
            {
              rows++;
              break;
            }
        }
    }
  g_assert_cmpuint (rows, ==, 3);
  sq_test_image_clear (&image);
}

/* ---------------------------------------------------------------------------------------- */
/* Tune                                                                                      */

static void
test_tune (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SqWindow) w = open_toy (f->path);
  SqTunePage *page = sq_window_get_tune_page (w);
  SqAnalysis *analysis = sq_window_get_analysis (w);
  SqFigures *figures = SQ_FIGURES (sq_test_child (page, SQ_TYPE_TUNE_PAGE, "figures"));
  SqChart *values = SQ_CHART (sq_test_child (page, SQ_TYPE_TUNE_PAGE, "value_chart"));
  GtkWidget *groups = sq_test_child (page, SQ_TYPE_TUNE_PAGE, "group_list");
  static const char * const ids[] = { "weights", "threshold" };
  static const char * const sections[] = { "Weights", "Thresholds" };
  GtkWidget *method, *bits, *row;
  GListModel *choices;
  GtkAdjustment *range;
  const SqAnalysisResult *r;
  g_autofree char *bar = NULL;
  double wx, lo, hi;
  guint n = 0;

  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (w)), ==, "net.toy");

  /* The sidebar: the toy's groups, under their roles' sections. */
  for (row = gtk_widget_get_first_child (groups); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      {
        g_assert_cmpuint (n, <, 2);
        g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, ids[n]);
        g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "sq-section"), ==, sections[n]);
        g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sq-group")), ==,
                          n);
        n++;
      }
  g_assert_cmpuint (n, ==, 2);
  /* The largest weight group is shown first. */
  g_assert_cmpuint (sq_analysis_get_group (analysis), ==, 0);

  /* The controls: the toy's options, nothing of Xylo's. */
  method = sq_tune_page_get_control (page, "method");
  bits = sq_tune_page_get_control (page, "weight-bits");
  g_assert_true (GTK_IS_DROP_DOWN (method));
  g_assert_true (GTK_IS_SPIN_BUTTON (bits));
  g_assert_null (sq_tune_page_get_control (page, "threshold-bits"));
  g_assert_null (sq_tune_page_get_control (page, "mode"));
  choices = gtk_drop_down_get_model (GTK_DROP_DOWN (method));
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 0), ==,
                   "Largest weight");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 1), ==,
                   "Twice the RMS");
  range = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (bits));
  g_assert_cmpfloat (gtk_adjustment_get_lower (range), ==, 2.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (range), ==, 8.0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (bits)), ==, 4);

  /* The defaults' figures; the histogram of the six weights. */
  r = sq_analysis_get_result (analysis);
  g_assert_nonnull (r);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sq_test_child (figures, SQ_TYPE_FIGURES,
                                                                   "layer_label"))), ==,
                   "Output layer");
  assert_figures (figures, 0, 4);
  g_assert_cmpstr (sq_chart_get_title (values), ==, "Weights");
  g_assert_cmpuint (r->values.n, ==, 6);
  g_assert_true (sq_chart_data_to_widget (values, 0.999, 0.0, &wx, NULL));
  {
    graphene_rect_t plot;

    g_assert_true (sq_chart_get_plot_area (values, &plot));
    bar = sq_chart_describe_at (values, wx, plot.origin.y + plot.size.height / 2.0);
  }
  g_assert_nonnull (bar);
  g_assert_true (g_str_has_suffix (bar, ": 1 value"));
  sq_test_save_screenshot (GTK_WIDGET (w), "toy-tune");

  /* Twice the RMS through the drop-down, 5 bits by the keyboard's action: the clip points,
   * beyond the weights on both sides, widen the plot and are drawn there. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (method), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.weight-bits-up", NULL));
  sq_test_settle (w);
  g_assert_cmpint (sq_analysis_get_option (analysis, "method"), ==, 1);
  g_assert_cmpint (sq_analysis_get_option (analysis, "weight-bits"), ==, 5);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (bits)), ==, 5);
  assert_figures (figures, 1, 5);
  {
    Expected e = expected_figures (1, 5);

    sq_axis_get_effective_range (sq_chart_get_x_axis (values), &lo, &hi);
    g_assert_cmpfloat (hi, >=, e.clip);
    g_assert_cmpfloat (lo, <=, -e.clip);
    g_assert_cmpfloat (e.clip, >, 1.0);
    assert_accent_line (values, e.clip);
  }

  /* The thresholds: one of the sidebar's rows. */
  sq_tune_page_select_group (page, 1);
  sq_test_settle (w);
  r = sq_analysis_get_result (analysis);
  g_assert_cmpuint (r->group, ==, 1);
  g_assert_cmpstr (sq_chart_get_title (values), ==, "Thresholds");
  g_assert_cmpuint (r->values.n, ==, 2);

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Compare                                                                                   */

static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SqWindow) w = open_toy (f->path);
  SqComparePage *page = sq_window_get_compare_page (w);
  double best_sqnr = -INFINITY;
  int best = -1;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
  g_assert_cmpuint (sq_compare_page_get_n_columns (page), ==, 2);
  g_assert_true (sq_test_wait_until (sq_test_compare_idle, page, 30000));

  /* Without presets of its own the toy's columns try the values of its option that varies:
   * the largest weight, then twice the RMS, each at the default 4 bits. */
  for (guint i = 0; i < 2; i++)
    {
      SqCompareColumn *col = SQ_COMPARE_COLUMN (sq_compare_page_get_column (page, i));
      SqAnalysis *a = sq_compare_column_get_analysis (col);
      const SqAnalysisResult *r = sq_analysis_get_result (a);
      Expected e = expected_figures ((int) i, 4);

      g_assert_cmpint (sq_analysis_get_option (a, "method"), ==, (int) i);
      g_assert_cmpint (sq_analysis_get_option (a, "weight-bits"), ==, 4);
      assert_figures (SQ_FIGURES (sq_test_child (col, SQ_TYPE_COMPARE_COLUMN, "figures")),
                      (int) i, 4);
      g_assert_cmpfloat_with_epsilon (sq_quant_figures_sqnr_db (&r->quant->total), e.sqnr,
                                      1e-9);
      if (e.sqnr > best_sqnr)
        {
          best_sqnr = e.sqnr;
          best = (int) i;
        }
    }
  g_assert_cmpint (sq_compare_page_get_best (page), ==, best);
  sq_test_save_screenshot (GTK_WIDGET (w), "toy-compare");

  /* "Use These Settings" of B: twice the RMS on the Tune page. */
  g_signal_emit_by_name (sq_test_child (sq_compare_page_get_column (page, 1),
                                        SQ_TYPE_COMPARE_COLUMN, "use_button"), "clicked");
  sq_test_settle (w);
  g_assert_cmpint (sq_analysis_get_option (sq_window_get_analysis (w), "method"), ==, 1);
  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Simulate                                                                                  */

static gboolean
simulation_idle (gpointer data)
{
  return !sq_simulation_get_busy (data);
}

static GtkWidget *
sim_child (SqSimulatePage *page,
           const char     *name)
{
  return sq_test_child (page, SQ_TYPE_SIMULATE_PAGE, name);
}

static void
test_simulate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SqWindow) w = open_toy (f->path);
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  SqSimulation *sim = sq_simulate_page_get_simulation (page);
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) quant = NULL;
  g_autoptr(SqSimResult) fl = NULL, in = NULL;
  g_autoptr(GPtrArray) hints = NULL;
  g_autoptr(GString) events = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;
  SqQuantSettings s = toy_settings ("max", 4);
  const SqSimulationResult *r;
  SqRaster raster = { 0, };
  const double rate = 0.2;
  SqInputSpec spec = { NULL, &rate, 1, 100, 42 };
  double wx, wy;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sim_child (page, "steps_spin")), 100);
  g_signal_emit_by_name (sim_child (page, "run_button"), "clicked");
  g_assert_true (sq_test_wait_until (simulation_idle, sim, 30000));
  /* The charts have their size once the page is drawn. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  r = sq_simulation_get_result (sim);
  g_assert_nonnull (r);
  g_assert_true (r->run->device == sq_device_profile_lookup ("dynapcnn"));

  /* The same run done here: the page's input (rate 0.2, seed 42), both models. */
  network = sq_network_load (f->path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  quant = sq_network_quantize (network, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_input_build (&spec, 3, &raster, &error));
  g_assert_cmpmem (raster.counts, 300, r->input.counts, r->input.n_steps * r->input.n_channels);
  fl = toy_run (network, NULL, &raster, FALSE, NULL, NULL, NULL, NULL);
  in = toy_run (quant->quantized, sq_device_profile_lookup ("dynapcnn"), &raster, FALSE, NULL,
                NULL, NULL, NULL);
  for (guint o = 0; o < 2; o++)
    g_string_append_printf (events, "%s%u: %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                            o ? "\n" : "", o, fl->out_events[o], in->out_events[o]);
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "out-events"), ==, events->str);
  g_assert_cmpmem (r->run->int_result->spikes_out, 200, in->spikes_out, 200);
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "hidden-events"), ==, "0 / 0");
  g_assert_true (g_str_has_prefix (sq_simulate_page_get_figure (page, "run"),
                                   "100 steps, dynapcnn, "));

  /* The hints: the toy's own first, then the generic ones, as the core words them. */
  hints = sq_sim_run_hints (r->run);
  g_assert_cmpstr (g_ptr_array_index (hints, 0), ==, TOY_HINT);
  for (guint i = 0; i < hints->len; i++)
    g_string_append_printf (joined, "%s• %s", i ? "\n\n" : "",
                            (const char *) g_ptr_array_index (hints, i));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sim_child (page, "hints_label"))), ==,
                   joined->str);

  /* The integer core's output raster, cell by cell where an event is. */
  for (gsize k = 0; k < 200; k++)
    if (in->spikes_out[k] != 0)
      {
        SqChart *chart = SQ_CHART (sim_child (page, "int_chart"));
        g_autofree char *want = g_strdup_printf ("output %zu, step %zu: 1 event", k % 2, k / 2);
        g_autofree char *text = NULL;

        g_assert_true (sq_chart_data_to_widget (chart, k / 2 + 0.5, (double) (k % 2), &wx, &wy));
        text = sq_chart_describe_at (chart, wx, wy);
        g_assert_cmpstr (text, ==, want);
        break;
      }

  /* The states of output neuron 1, float over integer ÷ the toy's scale. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sim_child (page, "layer_dropdown")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sim_child (page, "neuron_spin")), 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  g_assert_true (sq_chart_data_to_widget (SQ_CHART (sim_child (page, "vmem_chart")), 50.0, 0.0,
                                          &wx, &wy));
  trace = sq_chart_describe_at (SQ_CHART (sim_child (page, "vmem_chart")), wx, wy);
  g_assert_nonnull (trace);
  g_assert_true (g_str_has_prefix (trace, "step 50\nfloat: "));
  g_assert_nonnull (strstr (trace, "\ninteger ÷ scale: "));
  sq_test_save_screenshot (GTK_WIDGET (w), "toy-simulate");

  sq_raster_clear (&raster);
  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Device check, export, save, session                                                       */

static gboolean
no_dialog (gpointer data)
{
  return sq_test_find_toplevel (SQ_TYPE_EXPORT_DIALOG) == NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
assert_file_is (const char *path,
                GBytes     *want)
{
  g_autofree char *got = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &got, &length, NULL));
  g_assert_cmpmem (got, length, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SqWindow) w = open_toy (f->path);
  g_autofree char *ours = g_build_filename (f->dir, "net.txt", NULL);
  g_autofree char *saved = g_build_filename (f->dir, "net-quantized.toy", NULL);
  g_autofree char *session = g_build_filename (f->dir, "net.synquant", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (ours);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved);
  g_autoptr(GFile) session_file = g_file_new_for_path (session);
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqNetworkResult) quant = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSession) loaded = NULL;
  SqExportDialog *dialog;
  const SqDeviceProfile *dynapcnn = sq_device_profile_lookup ("dynapcnn");
  GListModel *devices, *formats;
  SqQuantSettings s = toy_settings ("rms", 6);
  gint n_exported = 0;

  /* The header lists the toy's one device, and the network fits it. */
  g_assert_cmpstr (sq_window_get_device (w), ==, "dynapcnn");
  devices = gtk_drop_down_get_model (GTK_DROP_DOWN (sq_test_child (w, SQ_TYPE_WINDOW,
                                                                  "device_dropdown")));
  g_assert_cmpuint (g_list_model_get_n_items (devices), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (devices), 0), ==,
                   dynapcnn->title);
  g_assert_nonnull (sq_window_get_check_report (w));
  g_assert_true (sq_window_get_check_report (w)->device == dynapcnn);
  g_assert_cmpuint (sq_window_get_check_report (w)->issues->len, ==, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (sq_test_child (w, SQ_TYPE_WINDOW,
                                                                  "check_label"))), ==, "Fits");

  sq_analysis_set_settings (sq_window_get_analysis (w), &s);
  sq_test_settle (w);
  network = sq_network_load (f->path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  quant = sq_network_quantize (network, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);

  /* The export dialog: the toy's device and format; the bytes are the core's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.export", NULL));
  dialog = SQ_EXPORT_DIALOG (sq_test_find_toplevel (SQ_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  g_assert_true (sq_test_wait_until (sq_test_export_dialog_idle, dialog, 30000));
  devices = adw_combo_row_get_model (ADW_COMBO_ROW (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                                   "device_row")));
  formats = adw_combo_row_get_model (ADW_COMBO_ROW (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                                   "format_row")));
  g_assert_cmpuint (g_list_model_get_n_items (devices), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (formats), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (formats), 0), ==, "Toy text");
  g_assert_false (gtk_widget_get_visible (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                         "c_source_row")));
  g_assert_true (sq_check_report_fits (sq_export_dialog_get_report (dialog)));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 480);
  sq_test_save_screenshot (GTK_WIDGET (dialog), "toy-export-dialog");
  sq_export_dialog_set_file (dialog, file);
  g_signal_connect_swapped (dialog, "exported", G_CALLBACK (sq_test_count), &n_exported);
  g_signal_emit_by_name (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG, "export_button"),
                         "clicked");
  g_assert_true (sq_test_wait_until (sq_test_is_positive, &n_exported, 30000));
  g_assert_true (sq_test_wait_until (no_dialog, NULL, 30000));
  sq_test_assert_finalized (dialog);
  files = sq_network_export_build (network, quant, dynapcnn, "toy-text", ours, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  assert_file_is (ours, ((SqExportFile *) g_ptr_array_index (files, 0))->data);

  /* Save Quantized: the toy's own file. */
  sq_window_save_quantized (w, saved_file);
  g_assert_true (sq_test_wait_until (file_exists, saved, 30000));
  bytes = sq_network_save_bytes (quant, saved, &error);
  g_assert_no_error (error);
  assert_file_is (saved, bytes);

  /* A session keeps the kind, its device and its settings by the options' ids. */
  g_assert_true (sq_window_save_session (w, session_file, &error));
  g_assert_no_error (error);
  loaded = sq_session_load (session, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->settings.kind == &toy_kind);
  g_assert_true (sq_quant_settings_equal (&loaded->settings, &s));
  g_assert_cmpstr (loaded->device, ==, "dynapcnn");
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (session, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"kind\" : \"toy\""));
    g_assert_nonnull (strstr (text, "\"method\" : \"rms\""));
    g_assert_nonnull (strstr (text, "\"weight-bits\" : 6"));
  }

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* A session's simulate object is the user's, with any double in it: it is written as every
 * JSON of ours (json-glib 1.6 alone writes 1e-08 as "1e-08.0") and reads back bit for bit. */
static void
test_session_numbers (void)
{
  static const double values[] = { 1e-8, 1e300, 5e-324, -0.0, 0.1, 1e16, -1.3e145 };
  g_autoptr(SqSession) session = sq_session_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *simulate;
  JsonArray *back;
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    json_array_add_double_element (array, values[i]);
  session->source = g_strdup ("net.json");
  session->simulate = json_object_new ();
  json_object_set_array_member (session->simulate, "rates", json_array_ref (array));
  text = sq_session_to_data (session, &length);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  simulate = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                            "simulate");
  back = json_object_get_array_member (simulate, "rates");
  g_assert_cmpuint (json_array_get_length (back), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      double v = json_array_get_double_element (back, i);

      g_assert_cmpmem (&v, sizeof v, &values[i], sizeof values[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  toy_kind_register ();
  app = sq_test_app_new ();

  g_test_add ("/window-toy/tune", Fixture, NULL, fixture_setup, test_tune, fixture_teardown);
  g_test_add ("/window-toy/compare", Fixture, NULL, fixture_setup, test_compare,
              fixture_teardown);
  g_test_add ("/window-toy/simulate", Fixture, NULL, fixture_setup, test_simulate,
              fixture_teardown);
  g_test_add ("/window-toy/export", Fixture, NULL, fixture_setup, test_export,
              fixture_teardown);
  g_test_add_func ("/window-toy/session-numbers", test_session_numbers);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
