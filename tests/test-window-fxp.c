/* test-window-fxp.c: fixed-point networks in the real window
 *
 * A NIR graph that maps to no chip (lif_norse.nir) opens after the dt dialog as a
 * fixed-point network, and every page shows it through the generic paths the kind fills:
 * the Tune sidebar by layer with the Q format on the clip points, Compare's int8 and int16
 * columns, the Simulate page's run of the integer core with the overflow hints. Every
 * number is the core's. The screenshots fxp-tune.png and fxp-simulate.png of
 * data/screenshots/ are written here, of a 16 → 24 → 6 LIF network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-application.h"
#include "sq-compare-column.h"
#include "sq-simulate-page.h"
#include "sq-simulation.h"
#include "sq-test-pages.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;

/* lif_norse.nir through the dt dialog at 1 ms. */
static SqWindow *
open_lif (void)
{
  SqWindow *w = sq_test_new_window (app);
  AdwMessageDialog *dialog;
  GtkEditable *dt_row;
  GtkLabel *why;

  dialog = sq_test_open_nir_dialog (w, "lif_norse.nir", &dt_row, &why);
  sq_test_map_nir_with (w, dialog, dt_row, "0.001");
  g_assert_nonnull (sq_window_get_document (w));
  g_assert_cmpstr (sq_document_get_network (sq_window_get_document (w))->kind->name, ==,
                   "fxp");
  return w;
}

static gboolean
has_marker (const SqGroupResult *g,
            const char          *label)
{
  for (guint i = 0; i < g->markers->len; i++)
    if (g_str_equal (g_array_index (g->markers, SqMarker, i).label, label))
      return TRUE;
  return FALSE;
}

static void
test_lif (void)
{
  SqWindow *w;
  SqTunePage *tune;
  SqSimulatePage *sim;
  SqSimulation *simulation;
  SqComparePage *compare;
  const SqNetwork *network;
  const SqAnalysisResult *r;
  const SqSimulationResult *sr;
  GtkWidget *groups;
  guint g, n = 0;

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR support (-Dnir=disabled)");
      return;
    }
  w = open_lif ();
  tune = sq_window_get_tune_page (w);
  network = sq_document_get_network (sq_window_get_document (w));

  /* Tune: the layer's weights, bias and θ, 1/τ under "Layer 0". */
  groups = sq_test_child (tune, SQ_TYPE_TUNE_PAGE, "group_list");
  for (GtkWidget *row = gtk_widget_get_first_child (groups); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      {
        g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "sq-section"), ==, "Layer 0");
        n++;
      }
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (sq_network_find_group (network, "layers[0].weight", &g));
  sq_tune_page_select_group (tune, g);
  sq_test_settle (w);
  r = sq_analysis_get_result (sq_window_get_analysis (w));
  g_assert_cmpuint (r->group, ==, g);
  /* int16 by default: the weight of lif_norse (M < 2) in Q1.14, int8's Q1.6 dashed. */
  g_assert_true (has_marker (sq_network_result_get_group (r->quant, g), "Q1.14"));
  g_assert_true (has_marker (sq_network_result_get_group (r->quant, g), "Q1.6 (int8)"));
  g_assert_cmpfloat (sq_network_result_get_group (r->quant, g)->scale, ==, 16384);

  /* Compare: two columns to start, the kind's first presets: int8 and int16. */
  compare = sq_window_get_compare_page (w);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
  g_assert_true (sq_test_wait_until (sq_test_compare_idle, compare, 30000));
  g_assert_cmpuint (sq_compare_page_get_n_columns (compare), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      SqCompareColumn *col = SQ_COMPARE_COLUMN (sq_compare_page_get_column (compare, i));

      g_assert_cmpint (sq_analysis_get_option (sq_compare_column_get_analysis (col), "width"),
                       ==, (int) i);
    }

  /* Simulate: the integer core on the microcontroller. */
  sim = sq_window_get_simulate_page (w);
  simulation = sq_simulate_page_get_simulation (sim);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_test_child (sim, SQ_TYPE_SIMULATE_PAGE,
                                                             "steps_spin")), 100);
  g_assert_true (sq_simulate_page_run (sim));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle, simulation, 60000));
  sr = sq_simulation_get_result (simulation);
  g_assert_nonnull (sr);
  g_assert_cmpstr (sr->run->device->name, ==, "mcu");
  g_assert_cmpuint (sr->run->int_result->n_out, ==, 1);
  g_assert_cmpuint (sr->run->int_result->n_steps, ==, 100);
  sq_test_finalize_window (w);
}

/* ---------------------------------------------------------------------------------------- */
/* Screenshots                                                                               */

/* A 16 → 24 → 6 LIF network, weights from a fixed sequence: enough to see on every page. */
static char *
write_mlp (const char *dir)
{
  g_autoptr(GString) s = g_string_new ("{\"input_shape\": [16], \"layers\": [\n");
  guint32 x = 12345;
  const guint sizes[3] = { 16, 24, 6 };
  char *path = g_build_filename (dir, "mlp.json", NULL);

  for (guint l = 0; l < 2; l++)
    {
      g_string_append_printf (s, "%s  {\"type\": \"linear\", \"weight\": [", l ? ",\n" : "");
      for (guint o = 0; o < sizes[l + 1]; o++)
        {
          g_string_append_printf (s, "%s[", o ? ", " : "");
          for (guint i = 0; i < sizes[l]; i++)
            {
              double v;

              x = x * 1664525u + 1013904223u;
              /* Excitatory on the whole: −0.3 … 1.2 */
              v = ((double) (x >> 8) / (double) (1u << 24)) * 1.5 - 0.3;
              g_string_append_printf (s, "%s%.4f", i ? ", " : "", v);
            }
          g_string_append_c (s, ']');
        }
      g_string_append_printf (s, "], \"neuron\": {\"type\": \"lif\", \"tau\": %d, "
                                 "\"v_threshold\": 1.0, \"v_reset\": null}}", l ? 8 : 4);
    }
  g_string_append (s, "\n]}\n");
  g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
  return path;
}

static void
test_screenshots (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *dir = g_dir_make_tmp ("sq-fxp-XXXXXX", NULL);
  g_autofree char *path = write_mlp (dir);
  SqSimulatePage *sim = sq_window_get_simulate_page (w);
  const SqNetwork *network;
  guint g;

  sq_test_present_screenshot_size (w);
  sq_test_open_path (w, path);
  network = sq_document_get_network (sq_window_get_document (w));
  g_assert_cmpstr (network->kind->name, ==, "fxp");
  g_assert_true (sq_network_find_group (network, "layers[0].weight", &g));
  sq_tune_page_select_group (sq_window_get_tune_page (w), g);
  sq_test_settle (w);
  sq_test_save_data_screenshot (GTK_WIDGET (w), "fxp-tune");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_test_child (sim, SQ_TYPE_SIMULATE_PAGE,
                                                             "steps_spin")), 200);
  g_assert_true (sq_simulate_page_run (sim));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle,
                                     sq_simulate_page_get_simulation (sim), 60000));
  sq_test_save_data_screenshot (GTK_WIDGET (w), "fxp-simulate");
  sq_test_finalize_window (w);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();

  g_test_add_func ("/window-fxp/lif", test_lif);
  g_test_add_func ("/window-fxp/screenshots", test_screenshots);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
