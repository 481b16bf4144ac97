/* test-simulate-page.c: the Simulate page under Xvfb: the figures equal synquant-cli
 * simulate --compare's, a new quantization re-runs a short simulation, a long run can be
 * cancelled, and the raster and trace charts read out 1000 × 10 000 events. How fast they
 * draw and how soon a cancel takes effect are measured by bench-app, not here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "sq-application.h"
#include "sq-chart.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-test-xylo.h"
#include "sq-window.h"

static SqApplication *app;

static gboolean
analysis_idle (gpointer data)
{
  SqWindow *w = data;
  SqAnalysis *a = sq_window_get_analysis (w);

  return !sq_window_is_loading (w) && !sq_analysis_get_busy (a) &&
         sq_analysis_get_result (a) != NULL;
}

static gboolean
simulation_idle (gpointer data)
{
  return !sq_simulation_get_busy (data);
}

/* The thread has run its first steps (it reports every 256). */
static gboolean
simulation_progressed (gpointer data)
{
  return sq_simulation_get_progress (data) > 0.0;
}

/* The auto re-run after a bit-width change has finished (it is too quick to catch busy). */
static gboolean
result_has_4_bits (gpointer data)
{
  const SqSimulationResult *r = sq_simulation_get_result (sq_simulate_page_get_simulation (data));

  return r != NULL && sq_quant_settings_get (&r->analysis->quant->settings, "weight-bits") == 4;
}

/* Returns: (transfer full): end with sq_test_finalize_window() */
static SqWindow *
open_window (const char *path)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (w), 1400, 1180);
  sq_test_present (GTK_WINDOW (w));
  sq_window_open (w, file);
  g_assert_true (sq_test_wait_until (analysis_idle, w, 30000));
  gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate");
  g_assert_cmpstr (sq_window_get_page (w), ==, "simulate");
  return w;
}

static void
wait_simulation (SqSimulatePage *page)
{
  g_assert_true (sq_test_wait_until (simulation_idle, sq_simulate_page_get_simulation (page),
                                     60000));
}

static GtkWidget *
child (gpointer    widget,
       const char *name)
{
  GObject *o = gtk_widget_get_template_child (GTK_WIDGET (widget), SQ_TYPE_SIMULATE_PAGE,
                                              name);

  g_assert_nonnull (o);
  return GTK_WIDGET (o);
}

static guint64
member_uint (JsonObject *o,
             const char *name)
{
  return (guint64) json_object_get_int_member (o, name);
}

/* Runs synquant-cli simulate --compare with the page's Poisson input and checks every
 * agreement figure the page shows against its JSON; the diagnostics against the integer
 * core run here on the same input. */
static void
assert_figures_match_cli (SqSimulatePage *page,
                          const char     *spec_path,
                          const char     *weight_bits)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "sim.json", NULL);
  g_autofree char *cli = sq_test_cli_path ();
  const char *argv[] = { cli, "simulate", spec_path, "--poisson", "0.2", "--steps", "1000",
                         "--seed", "42", "--compare", "--weight-bits", weight_bits, "-o", out,
                         NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) events = g_string_new (NULL);
  g_autofree char *raster = NULL, *silent_int = NULL, *silent_float = NULL;
  JsonObject *agreement, *s;
  JsonArray *fl, *in;
  g_autofree char *report = NULL;
  int status;

  /* The report on stdout is not TAP: kept out of the test's output. */
  g_assert_true (sq_test_run (argv, &status, &report, NULL));
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_file (parser, out, &error);
  g_assert_no_error (error);
  agreement = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                             "agreement");
  fl = json_object_get_array_member (agreement, "out_events_float");
  in = json_object_get_array_member (agreement, "out_events_int");
  g_assert_cmpuint (json_array_get_length (fl), >, 0);
  for (guint o = 0; o < json_array_get_length (fl); o++)
    g_string_append_printf (events, "%s%u: %" PRId64 " / %" PRId64, o ? "\n" : "", o,
                            json_array_get_int_element (fl, o),
                            json_array_get_int_element (in, o));
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "out-events"), ==, events->str);

  raster = g_strdup_printf ("%.2f %%", 100.0 * json_object_get_double_member (agreement,
                                                                               "raster_agreement"));
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "raster"), ==, raster);
  g_assert_true (g_str_has_prefix (sq_simulate_page_get_figure (page, "class"),
                                   member_uint (agreement, "class_agree") == 1 ? "same"
                                                                              : "differs"));
  s = json_object_get_object_member (agreement, "silent_only_int");
  silent_int = g_strdup_printf ("%" PRIu64 " hidden, %" PRIu64 " output",
                                member_uint (s, "hidden"), member_uint (s, "output"));
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "silent-int"), ==, silent_int);
  s = json_object_get_object_member (agreement, "silent_only_float");
  silent_float = g_strdup_printf ("%" PRIu64 " hidden, %" PRIu64 " output",
                                  member_uint (s, "hidden"), member_uint (s, "output"));
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "silent-float"), ==, silent_float);

  /* The diagnostics, from the integer core run here on the same input. */
  {
    g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json (spec_path, &error);
    g_autoptr(SqQuantResult) quant = NULL;
    g_autoptr(SqXyloSim) sim = NULL;
    g_autoptr(SqSimResult) r = NULL;
    g_autofree double *rates = NULL;
    g_autofree char *sat = NULL, *caps = NULL, *dropped = NULL;
    SqQuantParams p;
    SqRaster input = { 0 };

    g_assert_no_error (error);
    sq_quant_params_init (&p);
    p.weight_bits = (guint) atoi (weight_bits);
    quant = sq_quantize (spec, &p, &error);
    g_assert_no_error (error);
    rates = g_new (double, spec->n_in);
    for (gsize i = 0; i < spec->n_in; i++)
      rates[i] = 0.2;
    g_assert_true (sq_raster_poisson (&input, 1000, spec->n_in, rates, 42, &error));
    sim = sq_xylo_sim_new (quant->spec, SQ_DEVICE_XYLO_AUDIO2, &error);
    g_assert_no_error (error);
    r = sq_xylo_sim_run (sim, &input, FALSE, &error);
    g_assert_no_error (error);
    sat = g_strdup_printf ("%" PRIu64 " synaptic, %" PRIu64 " membrane", r->isyn_saturated,
                           r->vmem_saturated);
    caps = g_strdup_printf ("%" PRIu64, r->cap_hit);
    dropped = g_strdup_printf ("%" PRIu64, r->input_dropped);
    g_assert_cmpstr (sq_simulate_page_get_figure (page, "saturations"), ==, sat);
    g_assert_cmpstr (sq_simulate_page_get_figure (page, "caps"), ==, caps);
    g_assert_cmpstr (sq_simulate_page_get_figure (page, "dropped"), ==, dropped);
    sq_raster_clear (&input);
  }
  sq_test_remove_tree (dir);
}

static void
test_compare_cli (void)
{
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  SqWindow *w = open_window (small);
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  const SqSimulationResult *r;
  SqQuantParams p;

  /* The defaults are the CLI's arguments above: rate 0.2, 1000 steps, seed 42. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (page, "rate_spin"))),
                     ==, 0.2);
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "raster"), ==, "—");
  g_signal_emit_by_name (child (page, "run_button"), "clicked");
  g_assert_true (sq_simulation_get_busy (sq_simulate_page_get_simulation (page)));
  wait_simulation (page);
  r = sq_simulation_get_result (sq_simulate_page_get_simulation (page));
  g_assert_nonnull (r);
  g_assert_true (r->recorded);
  g_assert_cmpuint (r->run->int_result->n_steps, ==, 1000);
  assert_figures_match_cli (page, small, "8");

  /* Output neurons: the spin button follows the layer's size (4 outputs). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (page, "layer_dropdown")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (page, "neuron_spin")), 9);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (page,
                                                                            "neuron_spin"))),
                   ==, 3);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (page, "layer_dropdown")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (page, "neuron_spin")), 5);
  sq_test_save_screenshot (GTK_WIDGET (w), "simulate");

  /* A short run follows the quantization by itself. */
  sq_test_get_params (sq_window_get_analysis (w), &p);
  p.weight_bits = 4;
  sq_test_set_params (sq_window_get_analysis (w), &p);
  g_assert_true (sq_test_wait_until (result_has_4_bits, page, 30000));
  wait_simulation (page);
  assert_figures_match_cli (page, small, "4");

  sq_test_finalize_window (w);
}

/* A 200 000-step run of the Xylo-size example stops on Cancel while it is stepping, keeps
 * the previous result, and the page runs again afterwards. */
static void
test_cancel (void)
{
  SqWindow *w = open_window (g_getenv ("SQ_EXAMPLE_XYLO"));
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  SqSimulation *sim = sq_simulate_page_get_simulation (page);
  GtkSpinButton *steps = GTK_SPIN_BUTTON (child (page, "steps_spin"));

  gtk_spin_button_set_value (steps, 200000);
  g_assert_true (sq_simulate_page_run (page));
  /* Cancelled in the middle of the steps, not before the thread began them. */
  g_assert_true (sq_test_wait_until (simulation_progressed, sim, 60000));
  g_assert_true (sq_simulation_get_busy (sim));
  /* The progress and Cancel take the status's place (a stack: the page keeps its size). */
  g_assert_true (gtk_widget_get_mapped (child (page, "cancel_button")));
  g_assert_true (gtk_widget_get_mapped (child (page, "progress_bar")));
  g_assert_false (gtk_widget_get_mapped (child (page, "status_label")));
  g_signal_emit_by_name (child (page, "cancel_button"), "clicked");
  wait_simulation (page);
  g_assert_error ((GError *) sq_simulation_get_error (sim), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (sq_simulation_get_result (sim));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "status_label"))), ==,
                   "Cancelled");
  g_assert_false (gtk_widget_get_mapped (child (page, "cancel_button")));
  g_assert_true (gtk_widget_get_mapped (child (page, "status_label")));

  gtk_spin_button_set_value (steps, 300);
  g_signal_emit_by_name (child (page, "run_button"), "clicked");
  wait_simulation (page);
  g_assert_nonnull (sq_simulation_get_result (sim));
  g_assert_cmpuint (sq_simulation_get_result (sim)->run->int_result->n_steps, ==, 300);
  g_assert_cmpuint (sq_simulation_get_result (sim)->run->int_result->n_hidden, ==, 1000);
  g_assert_true (g_str_has_prefix (sq_simulate_page_get_figure (page, "run"), "300 steps"));
  sq_test_save_screenshot (GTK_WIDGET (w), "simulate-xylo");
  sq_test_finalize_window (w);
}

/* A raster file dropped on the page becomes its input: the run takes its events, exactly. */
static void
test_drop_raster (void)
{
  SqWindow *w = open_window (g_getenv ("SQ_EXAMPLE_SMALL"));
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  SqSimulation *sim = sq_simulate_page_get_simulation (page);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "events.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GString *csv = g_string_new (NULL);
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  const SqSimulationResult *r;

  /* 5 steps × 8 channels: step t has t events on channel t. */
  for (guint t = 0; t < 5; t++)
    for (guint c = 0; c < 8; c++)
      g_string_append_printf (csv, "%u%s", c == t ? t : 0, c == 7 ? "\n" : ",");
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_string_free (csv, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        target = GTK_DROP_TARGET (c);
    }
  g_assert_nonnull (target);
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (page, "file_toggle"))));

  g_assert_true (sq_simulate_page_run (page));
  wait_simulation (page);
  r = sq_simulation_get_result (sim);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->input.n_steps, ==, 5);
  g_assert_cmpuint (r->input.n_channels, ==, 8);
  for (guint t = 0; t < 5; t++)
    for (guint c = 0; c < 8; c++)
      g_assert_cmpuint (r->input.counts[t * 8 + c], ==, c == t ? t : 0);
  g_assert_cmpuint (r->run->int_result->n_steps, ==, 5);

  g_unlink (path);
  g_rmdir (dir);
  sq_test_finalize_window (w);
}

/* Draws @chart offscreen at @width × @height, as sq_chart_save and the screen do. */
static void
render_offscreen (SqChart *chart,
                  int      width,
                  int      height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  sq_chart_render (chart, cr, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
}

/* A 1000-neuron × 10 000-step raster and a 10 000-step trace pair: the read-out gives the
 * events of one cell and the values of one step, and both draw, once with the per-pixel
 * summary made and once from it (bench-app measures how fast). */
static void
test_large_charts (void)
{
  const gsize T = 10000, N = 1000;
  g_autofree guint8 *counts = g_new0 (guint8, T * N);
  g_autofree guint32 *rows = g_new (guint32, N);
  g_autofree double *a = g_new (double, T), *b = g_new (double, T);
  g_autoptr(GBytes) bytes = NULL;
  GtkWidget *window = g_object_ref_sink (gtk_window_new ());
  SqChart *raster = g_object_ref_sink (SQ_CHART (sq_chart_new ()));
  SqChart *traces = g_object_ref_sink (SQ_CHART (sq_chart_new ()));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *text = NULL;
  double wx, wy;
  guint32 state = 1;

  for (gsize k = 0; k < T * N; k++)
    {
      state = state * 1664525u + 1013904223u;
      counts[k] = (state >> 24) < 13 ? 1 : 0;   /* about 5 % of the cells */
    }
  counts[1234 * N + 567] = 7;
  for (gsize i = 0; i < N; i++)
    rows[i] = (guint32) i;
  for (gsize t = 0; t < T; t++)
    {
      a[t] = sin (t * 0.01);
      b[t] = nearbyint (a[t] * 64.0) / 64.0;
    }
  bytes = g_bytes_new_static (counts, T * N);
  sq_chart_set_raster (raster, bytes, T, N, rows, N, N, SQ_CHART_COLOR_ACCENT, "neuron");
  {
    SqChartTrace tr[2] = { { a, T, SQ_CHART_COLOR_ACCENT, "float" },
                           { b, T, SQ_CHART_COLOR_WARNING, "integer" } };

    sq_chart_set_traces (traces, tr, 2);
  }
  gtk_widget_set_size_request (GTK_WIDGET (raster), 1200, 400);
  gtk_widget_set_size_request (GTK_WIDGET (traces), 1200, 300);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (raster));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (traces));
  gtk_window_set_child (GTK_WINDOW (window), box);
  sq_test_present (GTK_WINDOW (window));

  /* Neuron 567 at step 1234 holds 7 events. */
  g_assert_true (sq_chart_data_to_widget (raster, 1234.5, 567.0, &wx, &wy));
  text = sq_chart_describe_at (raster, wx, wy);
  g_assert_cmpstr (text, ==, "neuron 567, step 1234: 7 events");
  g_clear_pointer (&text, g_free);
  g_assert_true (sq_chart_data_to_widget (traces, 300.0, 0.0, &wx, &wy));
  text = sq_chart_describe_at (traces, wx, wy);
  g_assert_cmpstr (text, ==, "step 300\nfloat: 0.1411\ninteger: 0.1406");

  /* Set again: the next drawing makes the per-pixel summary anew, the one after reuses it. */
  sq_chart_set_raster (raster, bytes, T, N, rows, N, N, SQ_CHART_COLOR_ACCENT, "neuron");
  render_offscreen (raster, 1200, 400);
  render_offscreen (raster, 1200, 400);
  render_offscreen (traces, 1200, 300);
  sq_test_save_screenshot (window, "chart-raster");
  sq_test_finalize_window (window);
  g_assert_finalize_object (raster);
  g_assert_finalize_object (traces);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);

  app = sq_test_app_new ();

  g_test_add_func ("/simulate-page/compare-cli", test_compare_cli);
  g_test_add_func ("/simulate-page/cancel", test_cancel);
  g_test_add_func ("/simulate-page/drop-raster", test_drop_raster);
  g_test_add_func ("/simulate-page/large-charts", test_large_charts);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
