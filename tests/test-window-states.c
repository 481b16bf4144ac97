/* test-window-states.c: what the window says must be true (issue 16, points 3–5)
 *
 * A network that fits but cannot work never shows a green "Fits"; a NIR graph's dialog
 * proposes the time step its own time constants ask for and says why; a graph that cannot
 * load says why straight away, without asking for dt; the Simulate page keeps nothing of the
 * previous network's run after another opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-application.h"
#include "sq-chart.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;

/* The braille graph: the dialog proposes 0.125 ms and says why; mapped at 1 ms instead,
 * every membrane dash is 0 and the badge says so in one line instead of "Fits"; at the
 * proposed dt it fits and can work. */
static void
test_dead_badge_and_proposed_dt (void)
{
  SqWindow *w = sq_test_new_window (app);
  GtkWidget *button = sq_test_child (w, SQ_TYPE_WINDOW, "check_button");
  GtkLabel *label = GTK_LABEL (sq_test_child (w, SQ_TYPE_WINDOW, "check_label"));
  const SqCheckReport *report;
  AdwMessageDialog *dialog;
  GtkEditable *dt_row;
  GtkLabel *why;
  g_autofree char *proposed = NULL;

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR support (-Dnir=disabled)");
      sq_test_finalize_window (w);
      return;
    }
  dialog = sq_test_open_nir_dialog (w, "braille_noDelay_bias_zero.nir", &dt_row, &why);
  /* sq_nir_propose_dt(): at 0.125 ms the shortest τ (0.2 ms) keeps dash 1, the longest
   * (1 ms) gets 3; at 0.25 ms 0.2 ms would round to dash 0. */
  g_assert_cmpstr (gtk_editable_get_text (dt_row), ==, "0.000125");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (why)));
  g_assert_cmpstr (gtk_label_get_text (why), ==,
                   "Proposed from the graph’s time constants: dt 0.125 ms puts every τ between "
                   "dash 1 and 3.");
  sq_test_save_screenshot (GTK_WIDGET (dialog), "nir-dialog-proposed");
  sq_test_map_nir_with (w, dialog, dt_row, "0.001");

  report = sq_window_get_check_report (w);
  g_assert_nonnull (report);
  g_assert_true (sq_check_report_fits (report));
  g_assert_false (sq_check_report_alive (report));
  g_assert_false (gtk_widget_has_css_class (button, "success"));
  g_assert_true (gtk_widget_has_css_class (button, "warning"));
  /* What is wrong, in one line; the tooltip has the whole sentence. */
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Dash 0: no memory");
  g_assert_null (strchr (gtk_label_get_text (label), '\n'));
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_END);
  g_assert_true (gtk_label_get_single_line_mode (label));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   "Fits XyloAudio 2 but cannot work: dash_mem is 0 for all 38 hidden neurons: "
                   "their membranes forget their potential every step (τ_mem below 1.41·dt)");
  sq_test_save_screenshot (GTK_WIDGET (w), "dead-badge");

  /* At the proposed dt the same graph fits and can work. */
  dialog = sq_test_open_nir_dialog (w, "braille_noDelay_bias_zero.nir", &dt_row, &why);
  proposed = g_strdup (gtk_editable_get_text (dt_row));
  sq_test_map_nir_with (w, dialog, dt_row, proposed);
  report = sq_window_get_check_report (w);
  g_assert_true (sq_check_report_alive (report));
  g_assert_true (gtk_widget_has_css_class (button, "success"));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Fits");

  sq_test_finalize_window (w);
}

/* A graph that cannot load says why at once: no dialog asks for dt. A graph that maps to
 * no chip (lif_norse.nir) maps to a fixed-point network, so the dialog asks for dt; a CNN,
 * which no Xylo holds, opens as a DynapCNN network without asking. */
static void
test_unmappable_says_why (void)
{
  g_autofree char *sub = sq_test_data_path ("data", "nir",
                                            "braille_noDelay_bias_zero_subgraph.nir", NULL);
  g_autofree char *cnn = sq_test_data_path ("data", "nir", "cnn_sinabs.nir", NULL);
  SqWindow *w = sq_test_new_window (app);
  AdwMessageDialog *dialog;
  GtkEditable *dt_row;
  GtkLabel *why;
  const char *body;

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR support (-Dnir=disabled)");
      sq_test_finalize_window (w);
      return;
    }
  sq_test_open_path (w, sub);
  dialog = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  /* The only dialog is the error, not the question. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Could Not Open “braille_noDelay_bias_zero_subgraph.nir”");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "braille_noDelay_bias_zero_subgraph.nir: lif1: "));
  g_assert_null (sq_window_get_document (w));
  sq_test_finalize_window (g_object_ref (dialog));
  g_assert_null (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* No chip, but a microcontroller: the question, then nothing opened when cancelled. */
  dialog = sq_test_open_nir_dialog (w, "lif_norse.nir", &dt_row, &why);
  adw_message_dialog_response (dialog, "cancel");
  sq_test_finalize_window (g_object_ref (dialog));
  g_assert_null (sq_window_get_document (w));

  sq_test_open_path (w, cnn);
  dialog = (AdwMessageDialog *) sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  if (dialog != NULL)
    g_error ("opening cnn_sinabs.nir showed “%s”: %s", adw_message_dialog_get_heading (dialog),
             adw_message_dialog_get_body (dialog));
  g_assert_nonnull (sq_window_get_document (w));
  g_assert_cmpstr (sq_document_get_network (sq_window_get_document (w))->kind->name, ==,
                   "dynapcnn");
  sq_test_finalize_window (w);
}

static GtkWidget *
sim_child (SqSimulatePage *page,
           const char     *name)
{
  return sq_test_child (page, SQ_TYPE_SIMULATE_PAGE, name);
}

/* The highest y layer @i of @chart asks the axis to show: a threshold line's, say. */
static double
layer_y_hi (SqChart *chart,
            guint    i)
{
  SqChartExtents e = { NAN, NAN, NAN, NAN, FALSE, 0, FALSE };

  sq_chart_layer_get_extents (sq_chart_get_layer (chart, i), &e);
  return e.y_hi;
}

/* After a run on the small example, another network opens: no caption, title, threshold
 * line, trace scale, figure or hint of the first stays. */
static void
test_simulate_resets (void)
{
  SqWindow *w = sq_test_new_window (app);
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *second = g_build_filename (dir, "two.json", NULL);
  SqChart *hidden = SQ_CHART (sim_child (page, "hidden_chart"));
  SqChart *vmem = SQ_CHART (sim_child (page, "vmem_chart"));
  GtkLabel *note = GTK_LABEL (sim_child (page, "trace_note"));
  GtkLabel *hints = GTK_LABEL (sim_child (page, "hints_label"));
  static const char * const figures[] = { "out-events", "raster", "class", "silent-int",
                                          "silent-float", "hidden-events", "saturations",
                                          "caps", "dropped", "run" };

  /* Two hidden neurons, one output: nothing like the small example's 32. */
  g_assert_true (g_file_set_contents (second,
    "{\"weights_in\": [[1, 0]], \"weights_rec\": [[0, 3], [0, 0]], \"weights_out\": [[0], [5]],"
    " \"threshold\": [100, 100], \"threshold_out\": [50], \"dash_mem\": [4, 4],"
    " \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}", -1, NULL));

  sq_test_open_path (w, g_getenv ("SQ_EXAMPLE_SMALL"));
  gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate");
  g_assert_true (sq_simulate_page_run (page));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle,
                                     sq_simulate_page_get_simulation (page), 60000));
  g_assert_cmpstr (sq_chart_get_title (hidden), ==,
                   "Hidden events, integer core (all 32 neurons)");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (note),
                                   "The integer core's states are divided by its scale, "));
  g_assert_cmpstr (gtk_label_get_text (hints), !=, "");
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "run"), !=, "—");
  /* Xylo's core counts synaptic saturations and its 31-event cap. */
  g_assert_true (g_str_has_suffix (sq_simulate_page_get_figure (page, "saturations"),
                                   " membrane"));
  g_assert_nonnull (strstr (sq_simulate_page_get_figure (page, "saturations"), " synaptic, "));
  g_assert_true (sq_simulate_page_get_figure_visible (page, "caps"));
  /* The traces, and the threshold line over them. */
  g_assert_cmpuint (sq_chart_get_n_layers (vmem), ==, 2);
  g_assert_true (sq_chart_layer_has_data (sq_chart_get_layer (vmem, 0)));
  g_assert_true (isfinite (layer_y_hi (vmem, 1)));

  sq_test_open_path (w, second);
  g_assert_cmpstr (sq_window_get_page (w), ==, "simulate");
  g_assert_null (sq_simulation_get_result (sq_simulate_page_get_simulation (page)));
  g_assert_cmpstr (sq_chart_get_title (hidden), ==, "Hidden events, integer core");
  g_assert_cmpstr (gtk_label_get_text (note), ==, "");
  g_assert_cmpstr (gtk_label_get_text (hints), ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    g_assert_cmpstr (sq_simulate_page_get_figure (page, figures[i]), ==, "—");
  /* Neither the traces nor the old threshold line, so the axis is the empty chart's. */
  for (guint i = 0; i < sq_chart_get_n_layers (vmem); i++)
    {
      g_assert_false (sq_chart_layer_has_data (sq_chart_get_layer (vmem, i)));
      g_assert_false (isfinite (layer_y_hi (vmem, i)));
    }
  {
    SqChart *empty = SQ_CHART (g_object_ref_sink (sq_chart_new ()));

    sq_chart_set_traces (empty, NULL, 0);
    g_assert_cmpfloat (sq_axis_get_lower (sq_chart_get_y_axis (vmem)), ==,
                       sq_axis_get_lower (sq_chart_get_y_axis (empty)));
    g_assert_cmpfloat (sq_axis_get_upper (sq_chart_get_y_axis (vmem)), ==,
                       sq_axis_get_upper (sq_chart_get_y_axis (empty)));
    sq_test_assert_finalized (empty);
  }

  g_unlink (second);
  sq_test_finalize_window (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();

  g_test_add_func ("/window-states/dead-badge-and-proposed-dt",
                   test_dead_badge_and_proposed_dt);
  g_test_add_func ("/window-states/unmappable-says-why", test_unmappable_says_why);
  g_test_add_func ("/window-states/simulate-resets", test_simulate_resets);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
