/* test-window-dyn-events.c: the event-driven DynapCNN core on the Simulate page
 *
 * The page offers "Event-driven core" for a DynapCNN network only; with it on, a run also
 * drives the integer core by events on the same input and shows how far it diverges from
 * the time steps and the SynOps load, in the words and numbers of `synquant-cli simulate
 * --mode event` (sq_dynapcnn_simulate, run here without the window).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-application.h"
#include "sq-test-pages.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-simulation.h"
#include "sq-simulate-page.h"
#include "sq-window.h"

static SqApplication *app;

static void
test_event_mode (void)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", "three-layers.json", NULL);
  g_autoptr(SqWindow) w = sq_test_new_window (app);
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  SqSimulation *sim;
  GtkWidget *check, *label;
  const SqSimulationResult *r;
  const SqNetwork *quantized;
  const SqNetworkKind *kind;
  SqCnnSimOptions options = SQ_CNN_SIM_OPTIONS_INIT;
  SqCnnSimulation expect;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  sq_test_open_path (w, path);
  /* Each document has its own simulation. */
  sim = sq_simulate_page_get_simulation (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  sq_test_settle (w);
  check = sq_test_child (page, SQ_TYPE_SIMULATE_PAGE, "event_check");
  label = sq_test_child (page, SQ_TYPE_SIMULATE_PAGE, "divergence_label");
  g_assert_true (gtk_widget_get_visible (check));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE,
                                                             "steps_spin")), 100);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE,
                                                             "rate_spin")), 0.3);

  /* Off: the time steps only. */
  g_assert_true (sq_simulate_page_run (page));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle, sim, 60000));
  r = sq_simulation_get_result (sim);
  g_assert_nonnull (r);
  g_assert_null (r->cnn);
  g_assert_false (gtk_widget_get_visible (label));

  /* On: the event core beside them, as the CLI computes it. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (sq_simulate_page_run (page));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle, sim, 60000));
  r = sq_simulation_get_result (sim);
  g_assert_nonnull (r->cnn);
  g_assert_true (r->cnn->has_divergence);
  quantized = r->analysis->quant->quantized;
  kind = quantized->kind;
  options.mode = SQ_CNN_SIM_EVENT;
  g_assert_true (sq_dynapcnn_simulate (quantized,
                                       sq_network_kind_device (kind, kind->devices[0]),
                                       &r->input, NULL, &options, NULL, &expect, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r->cnn->divergence.n_layers, ==, 3);
  g_assert_cmpuint (r->cnn->divergence.n_layers, ==, expect.divergence.n_layers);
  for (guint i = 0; i < expect.divergence.n_layers; i++)
    {
      const SqIafDivergenceRow *a = &r->cnn->divergence.layers[i];
      const SqIafDivergenceRow *b = &expect.divergence.layers[i];

      g_assert_cmpuint (a->spikes_step, ==, b->spikes_step);
      g_assert_cmpuint (a->spikes_event, ==, b->spikes_event);
      g_assert_cmpuint (a->l1, ==, b->l1);
      g_assert_cmpuint (a->n_agree, ==, b->n_agree);
    }
  /* The step run inside the event simulation is the page's integer core. */
  {
    const SqSimResult *in = r->run->int_result;
    guint64 n = 0;

    for (gsize o = 0; o < in->n_out; o++)
      n += in->out_events[o];
    g_assert_cmpuint (r->cnn->divergence.output.spikes_step, ==, n);
  }
  /* Input events reached layer 0: something to compare. */
  g_assert_cmpuint (r->cnn->load.layers[0].events, >, 0);
  g_assert_cmpuint (r->cnn->load.layers[0].events, ==, expect.load.layers[0].events);
  summary = sq_cnn_simulation_summary (&expect);
  g_strchomp (summary);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, summary);
  g_assert_nonnull (strstr (summary, "event-driven core, slow clock 1000 Hz; against the time "
                                     "steps:\nlayers[0]: "));
  sq_cnn_simulation_clear (&expect);

  /* A Xylo network has no event-driven core. */
  sq_test_open_path (w, g_getenv ("SQ_EXAMPLE_XYLO"));
  sq_test_settle (w);
  g_assert_false (gtk_widget_get_visible (check));
  sq_test_finalize_window (g_steal_pointer (&w));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();
  g_test_add_func ("/window-dyn-events/event-mode", test_event_mode);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
