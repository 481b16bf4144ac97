/* test-window-example.c: the trained small example opens the Simulate page on the first
 * sample of the labelled set beside it, runs it by itself, and shows realistic activity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-application.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;

static gboolean
has_result (gpointer page)
{
  SqSimulation *sim = sq_simulate_page_get_simulation (page);

  return !sq_simulation_get_busy (sim) && sq_simulation_get_result (sim) != NULL;
}

static GtkWidget *
page_child (gpointer    page,
            const char *name)
{
  GObject *o = gtk_widget_get_template_child (GTK_WIDGET (page), SQ_TYPE_SIMULATE_PAGE, name);

  g_assert_nonnull (o);
  return GTK_WIDGET (o);
}

static char *
example_path (const char *name)
{
  return g_build_filename (g_getenv ("SYNQUANT_EXAMPLES_DIR"), name, NULL);
}

/* Events of @n_out outputs over @n_steps steps, and the steps where any output fired. */
static void
count_outputs (const guint8 *spikes,
               gsize         n_steps,
               gsize         n_out,
               guint64      *events,
               gsize        *busy_steps)
{
  *events = 0;
  *busy_steps = 0;
  for (gsize t = 0; t < n_steps; t++)
    {
      gboolean any = FALSE;

      for (gsize o = 0; o < n_out; o++)
        {
          *events += spikes[t * n_out + o];
          any |= spikes[t * n_out + o] != 0;
        }
      *busy_steps += any;
    }
}

static void
test_opens_on_sample (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *path = example_path ("small.json");
  g_autofree char *samples = example_path ("small-samples.npz");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = sq_sample_set_load (samples, 8, NULL, &error);
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  const SqSimulationResult *r;
  const SqSimResult *fl, *in;
  guint64 events;
  gsize busy;
  SqRaster first;

  g_assert_no_error (error);
  sq_test_present_screenshot_size (w);
  sq_window_open (w, file);
  g_assert_true (sq_test_wait_until (has_result, page, 60000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));

  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (page_child (page,
                                                                            "file_toggle"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child (page, "file_label"))), ==,
                   "small-samples.npz, sample 1");
  r = sq_simulation_get_result (sq_simulate_page_get_simulation (page));
  sq_sample_set_raster (set, 0, &first);
  g_assert_cmpuint (r->input.n_steps, ==, 100);
  g_assert_cmpuint (r->input.n_channels, ==, 8);
  g_assert_cmpmem (r->input.counts, 800, first.counts, 800);

  /* Realistic activity: the outputs fire on some steps, not on nearly all; no membrane or
   * synaptic state of the integer core hits its rails. */
  fl = r->run->float_result;
  in = r->run->int_result;
  count_outputs (fl->spikes_out, 100, 4, &events, &busy);
  g_assert_cmpuint (events, ==, 38);
  g_assert_cmpuint (busy, ==, 36);
  count_outputs (in->spikes_out, 100, 4, &events, &busy);
  g_assert_cmpuint (events, ==, 43);
  g_assert_cmpuint (busy, ==, 37);
  g_assert_cmpuint (in->vmem_saturated, ==, 0);
  g_assert_cmpuint (in->isyn_saturated, ==, 0);
  /* Sample 1 is of class 0 (steady), and both models say so. */
  g_assert_cmpint (set->labels[0], ==, 0);
  g_assert_cmpstr (sq_simulate_page_get_figure (page, "class"), ==, "same: output 0");

  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  sq_test_save_data_screenshot (GTK_WIDGET (w), "simulate-trained");
  sq_test_finalize_window (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();
  g_test_add_func ("/window-example/opens-on-sample", test_opens_on_sample);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
