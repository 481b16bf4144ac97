/* test-window-fxp-layers.c: a fixed-point layer's own settings in the real window
 *
 * The Tune page shows, under the global options, a row of the selected group's layer's own
 * width, accumulator and forced fractional bits ("as global" and "auto" to start) with the
 * formats they give. Setting layer 1 to int8 with an int16 accumulator changes that layer's
 * formats alone — layers[1].weight's M = 1.5 goes from Q1.14 (scale 2^14) to Q1.6 (2^6),
 * layer 0's stays Q1.14 — and a session keeps the override, which the next network drops.
 * Force Q is insensitive unless the scheme is the fixed-n one. The Sweep page sweeps the width
 * choice (int8 at 8, int16 at 16), a curve per rounding; the Simulate page's diagnostics count
 * the integer core's wraps per layer where Xylo's saturations would be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-application.h"
#include "sq-session.h"
#include "sq-simulate-page.h"
#include "sq-simulation.h"
#include "sq-sweep-page.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;

static const char net_json[] =
  "{\"input_shape\": [3], \"layers\": [\n"
  "  {\"type\": \"linear\", \"weight\": [[0.5, -0.3, 1.5], [1.0, 0.7, -0.5],\n"
  "                                   [0.2, 1.25, 0.5], [-0.75, 1.0, 0.1]],\n"
  "   \"neuron\": {\"type\": \"lif\", \"tau\": 4, \"v_threshold\": 1.0, \"v_reset\": null}},\n"
  "  {\"type\": \"linear\", \"weight\": [[1.5, -1.0, 0.3, 0.75], [-0.5, 1.25, 1.0, 0.2]],\n"
  "   \"neuron\": {\"type\": \"if\", \"v_threshold\": 2.0, \"v_reset\": 0.0}}\n"
  "]}\n";

static guint
group_of (SqWindow   *w,
          const char *id)
{
  guint g = 0;

  g_assert_true (sq_network_find_group (sq_document_get_network (sq_window_get_document (w)),
                                        id, &g));
  return g;
}

static double
group_scale (SqWindow   *w,
             const char *id)
{
  const SqAnalysisResult *r = sq_analysis_get_result (sq_window_get_analysis (w));

  g_assert_nonnull (r);
  return sq_network_result_get_group (r->quant, group_of (w, id))->scale;
}

static void
select_group (SqWindow   *w,
              const char *id)
{
  sq_tune_page_select_group (sq_window_get_tune_page (w), group_of (w, id));
  sq_test_settle (w);
}

static void
choose (SqWindow   *w,
        const char *id,
        guint       choice)
{
  GtkWidget *control = sq_tune_page_get_layer_control (sq_window_get_tune_page (w), id);

  g_assert_true (GTK_IS_DROP_DOWN (control));
  g_assert_true (gtk_widget_is_visible (control));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control), choice);
  sq_test_settle (w);
}

static void
test_layer_row (SqTestDir     *f,
                gconstpointer  data)
{
  SqWindow *w = sq_test_new_window (app);
  SqTunePage *tune = sq_window_get_tune_page (w);
  g_autofree char *path = sq_test_dir_path (f, "net.json");
  g_autofree char *session_path = sq_test_dir_path (f, "net.synquant");
  g_autoptr(GFile) session_file = g_file_new_for_path (session_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSession) loaded = NULL;
  g_autofree char *text = NULL;
  GtkWidget *spin;
  SqQuantSettings s;

  g_assert_true (g_file_set_contents (path, net_json, -1, NULL));
  sq_test_open_path (w, path);
  select_group (w, "layers[1].weight");

  /* Force Q acts only with the fixed-n scheme. */
  g_assert_false (gtk_widget_get_sensitive (sq_tune_page_get_control (tune, "force-q")));
  sq_analysis_set_option (sq_window_get_analysis (w), "scheme", 2);
  sq_test_settle (w);
  g_assert_true (gtk_widget_get_sensitive (sq_tune_page_get_control (tune, "force-q")));
  sq_analysis_set_option (sq_window_get_analysis (w), "scheme", 0);
  sq_test_settle (w);
  g_assert_false (gtk_widget_get_sensitive (sq_tune_page_get_control (tune, "force-q")));

  /* As global to start: int16 everywhere, M = 1.5 in Q1.14. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (
    sq_tune_page_get_layer_control (tune, "width"))), ==, 0);
  spin = sq_tune_page_get_layer_control (tune, "n.v");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "auto");
  g_assert_true (g_str_has_prefix (sq_tune_page_get_layer_formats (tune),
                                   "Formats: int16, int32 accumulator: input Q1.14 "));
  g_assert_cmpfloat (group_scale (w, "layers[1].weight"), ==, 16384);

  /* Layer 1 in int8: its weights in Q1.6, layer 0's as they were. */
  choose (w, "width", 1);
  sq_analysis_get_settings (sq_window_get_analysis (w), &s);
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 1, "width"), ==, 1);
  g_assert_cmpint (sq_quant_settings_get_layer (&s, 0, "width"), ==, 0);
  g_assert_cmpuint (s.n_layer_overrides, ==, 1);
  g_assert_cmpfloat (group_scale (w, "layers[1].weight"), ==, 64);
  g_assert_cmpfloat (group_scale (w, "layers[0].weight"), ==, 16384);
  g_assert_true (g_str_has_prefix (sq_tune_page_get_layer_formats (tune),
                                   "Formats: int8, int32 accumulator: input Q1.6 weight Q1.6"));
  choose (w, "accumulator", 1);
  g_assert_true (g_str_has_prefix (sq_tune_page_get_layer_formats (tune),
                                   "Formats: int8, int16 accumulator: "));

  /* Layer 0's row: as global, its formats int16. */
  select_group (w, "layers[0].weight");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (
    sq_tune_page_get_layer_control (tune, "width"))), ==, 0);
  g_assert_true (g_str_has_prefix (sq_tune_page_get_layer_formats (tune),
                                   "Formats: int16, int32 accumulator: "));

  /* A forced n on layer 0's membrane: v in Q12.3. */
  spin = sq_tune_page_get_layer_control (tune, "n.v");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 3);
  sq_test_settle (w);
  g_assert_nonnull (strstr (sq_tune_page_get_layer_formats (tune), " v Q12.3 "));
  g_assert_cmpfloat (group_scale (w, "layers[0].v"), ==, 8);

  /* The session keeps the layers' own settings. */
  g_assert_true (sq_window_save_session (w, session_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (session_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"layers\" : {"));
  g_assert_nonnull (strstr (text, "\"width\" : \"int8\""));
  g_assert_nonnull (strstr (text, "\"n.v\" : 3"));
  loaded = sq_session_load (session_path, &error);
  g_assert_no_error (error);
  sq_analysis_get_settings (sq_window_get_analysis (w), &s);
  g_assert_true (sq_quant_settings_equal (&loaded->settings, &s));
  g_assert_cmpuint (loaded->settings.n_layer_overrides, ==, 2);

  /* Another network (the same file opened again) starts as global. */
  sq_test_open_path (w, path);
  sq_analysis_get_settings (sq_window_get_analysis (w), &s);
  g_assert_cmpuint (s.n_layer_overrides, ==, 0);
  select_group (w, "layers[1].weight");
  g_assert_cmpfloat (group_scale (w, "layers[1].weight"), ==, 16384);

  /* The session brings them back. */
  sq_window_open (w, session_file);
  sq_test_settle (w);
  sq_analysis_get_settings (sq_window_get_analysis (w), &s);
  g_assert_cmpuint (s.n_layer_overrides, ==, 2);
  g_assert_cmpfloat (group_scale (w, "layers[1].weight"), ==, 64);
  sq_test_finalize_window (w);
}

static gboolean
sweep_idle (gpointer page)
{
  return !sq_job_get_busy (SQ_JOB (sq_sweep_page_get_task (page)));
}

/* The Sweep page sweeps the width (int8 and int16 at x = 8 and 16), a curve per rounding;
 * every point is the network's figures at its settings, with the layer settings of the Tune
 * page kept. */
static void
test_sweep (SqTestDir     *f,
            gconstpointer  data)
{
  SqWindow *w = sq_test_new_window (app);
  SqSweepPage *page = sq_window_get_sweep_page (w);
  g_autofree char *path = sq_test_dir_path (f, "net.json");
  SqNetwork *network;
  SqQuantSettings base;

  g_assert_true (g_file_set_contents (path, net_json, -1, NULL));
  sq_test_open_path (w, path);
  network = sq_document_get_network (sq_window_get_document (w));
  sq_analysis_get_settings (sq_window_get_analysis (w), &base);
  g_assert_true (sq_quant_settings_set_string (&base, "layers[0].n.v", "3", NULL));
  sq_analysis_set_settings (sq_window_get_analysis (w), &base);
  sq_test_settle (w);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "sweep"));
  g_assert_true (sq_sweep_page_run (page));
  g_assert_true (sq_test_wait_until (sweep_idle, page, 120000));
  g_assert_no_error ((GError *) sq_job_get_error (SQ_JOB (sq_sweep_page_get_task (page))));

  g_assert_cmpuint (sq_sweep_page_get_n_curves (page), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpuint (sq_sweep_page_get_n_points (page, c), ==, 2);
      for (gsize i = 0; i < 2; i++)
        {
          double x, y;
          const SqSweepRow *row = sq_sweep_page_get_point (page, c, i, &x, &y);
          g_autoptr(SqNetworkResult) r = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_nonnull (row);
          g_assert_cmpint (sq_quant_settings_get (&row->settings, "rounding"), ==, (int) c);
          g_assert_cmpint (sq_quant_settings_get (&row->settings, "width"), ==, (int) i);
          g_assert_cmpint (sq_quant_settings_get_layer (&row->settings, 0, "n.v"), ==, 3);
          g_assert_cmpfloat (x, ==, i ? 16 : 8);
          r = sq_network_quantize (network, &row->settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpfloat (row->total.signal, ==, r->total.signal);
          g_assert_cmpfloat (row->total.noise, ==, r->total.noise);
          g_assert_cmpfloat (y, ==, sq_quant_figures_sqnr_db (&r->total));
        }
    }
  sq_test_finalize_window (w);
}

/* The Simulate page's diagnostics say the overflows (wraps, per layer), not the Xylo core's
 * saturations: the core's figure of the run. */
static void
test_overflows (SqTestDir     *f,
                gconstpointer  data)
{
  SqWindow *w = sq_test_new_window (app);
  SqSimulatePage *sim = sq_window_get_simulate_page (w);
  SqSimulation *simulation;
  g_autofree char *path = sq_test_dir_path (f, "net.json");
  g_autofree char *want = NULL;
  const SqSimulationResult *sr;

  g_assert_true (g_file_set_contents (path, net_json, -1, NULL));
  sq_test_open_path (w, path);
  sq_analysis_set_option (sq_window_get_analysis (w), "width", 0);
  sq_analysis_set_option (sq_window_get_analysis (w), "accumulator", 0);
  sq_test_settle (w);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  /* The page's simulation is the open document's. */
  simulation = sq_simulate_page_get_simulation (sim);
  g_assert_true (sq_simulate_page_run (sim));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle, simulation, 60000));
  sr = sq_simulation_get_result (simulation);
  g_assert_nonnull (sr);
  want = sq_sim_run_overflow_figure (sr->run);
  g_assert_nonnull (want);
  g_assert_true (strstr (want, " wrap") != NULL);
  g_assert_cmpstr (sq_simulate_page_get_figure (sim, "saturations"), ==, want);
  sq_test_finalize_window (w);
}

/* A session's layer settings: every mistake names the file and the key. */
static void
test_session_errors (SqTestDir     *f,
                     gconstpointer  data)
{
  static const struct {
    const char *layers;
    const char *message;
  } cases[] = {
    { "{\"x\": {}}", "bad.synquant: settings.layers.x: expected a layer’s index" },
    { "{\"1\": {\"bits\": 8}}", "bad.synquant: settings.layers.1.bits: expected a layer "
                                "setting: “width”, “accumulator”, “n.input”" },
    { "{\"1\": {\"width\": \"int9\"}}", "bad.synquant: settings.layers.1.width: expected one "
                                        "of “global”, “int8”, “int16”" },
    { "{\"0\": {\"n.v\": 31}}", "bad.synquant: settings.layers.0.n.v: expected a whole number "
                                "from -16 to 30 or “auto”" },
    { "[1]", "bad.synquant: settings.layers: expected an object" },
  };
  g_autofree char *path = sq_test_dir_path (f, "bad.synquant");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"version\": 1, \"source\": \"/net.json\", "
                                               "\"kind\": \"fxp\", \"settings\": {\"layers\": "
                                               "%s}}", cases[i].layers);
      g_autoptr(GError) error = NULL;
      g_autoptr(SqSession) session = NULL;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      session = sq_session_load (path, &error);
      g_assert_null (session);
      g_assert_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("%s: %s", cases[i].layers, error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();

  g_test_add ("/window-fxp-layers/row", SqTestDir, NULL, sq_test_dir_setup, test_layer_row,
              sq_test_dir_teardown);
  g_test_add ("/window-fxp-layers/sweep", SqTestDir, NULL, sq_test_dir_setup, test_sweep,
              sq_test_dir_teardown);
  g_test_add ("/window-fxp-layers/overflows", SqTestDir, NULL, sq_test_dir_setup,
              test_overflows, sq_test_dir_teardown);
  g_test_add ("/window-fxp-layers/session-errors", SqTestDir, NULL, sq_test_dir_setup,
              test_session_errors, sq_test_dir_teardown);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
