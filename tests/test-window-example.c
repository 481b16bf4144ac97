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

static gboolean
document_is (gpointer data)
{
  SqWindow *w = data;
  SqDocument *d = sq_window_get_document (w);

  return !sq_window_is_loading (w) && d != NULL &&
         g_str_equal (sq_document_get_title (d), g_object_get_data (G_OBJECT (w), "title"));
}

static void
open_and_wait (SqWindow   *w,
               const char *name)
{
  g_autofree char *path = example_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_object_set_data_full (G_OBJECT (w), "title", g_strdup (name), g_free);
  sq_window_open (w, file);
  g_assert_true (sq_test_wait_until (document_is, w, 60000));
}

/* The set follows the document: a network without one goes back to Poisson input; a file
 * the user chose stays when another network opens. */
static void
test_follows_document (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  GtkToggleButton *poisson = GTK_TOGGLE_BUTTON (page_child (page, "poisson_toggle"));
  GtkLabel *label = GTK_LABEL (page_child (page, "file_label"));
  g_autofree char *samples = example_path ("small-samples.npz");
  g_autoptr(GFile) chosen = g_file_new_for_path (samples);

  sq_test_present (GTK_WINDOW (w));
  open_and_wait (w, "small.json");
  g_assert_false (gtk_toggle_button_get_active (poisson));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "small-samples.npz, sample 1");

  open_and_wait (w, "dvs-cnn.json");
  g_assert_true (gtk_toggle_button_get_active (poisson));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "No file chosen");

  /* Chosen by the user (the same file): kept, under its own name. */
  sq_simulate_page_set_input_file (page, chosen);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "small-samples.npz");
  open_and_wait (w, "small.json");
  g_assert_false (gtk_toggle_button_get_active (poisson));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "small-samples.npz");
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle,
                                     sq_simulate_page_get_simulation (page), 60000));
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
  g_test_add_func ("/window-example/follows-document", test_follows_document);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
