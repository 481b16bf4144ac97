/* test-window-sweep.c: the Sweep page in the real window
 *
 * The page sweeps the document's network in the background and draws a figure of every
 * combination against the weight bits, one curve per method. Every point is compared with
 * the rows sq_sweep_run() gives here, without the window, on the same settings and sample
 * set; a click on a point gives its settings to the document; a cancelled sweep leaves the
 * previous one; a second sweep of one set re-uses the float model's runs. The screenshot
 * data/screenshots/sweep.png is written here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-chart.h"
#include "sq-format.h"
#include "sq-sweep-page.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;
static char *tmpdir;

#define N_SAMPLES 12
#define N_STEPS   50
#define N_INPUTS  8

static char *
example_path (void)
{
  const char *dir = g_getenv ("SYNQUANT_EXAMPLES_DIR");

  return dir ? g_build_filename (dir, "small.json", NULL)
             : sq_test_data_path ("..", "data", "examples", "small.json", NULL);
}

/* 12 samples of 50 steps on small.json's 8 inputs, labelled 0…3: sample s drives channels
 * 2·(s mod 4) and 2·(s mod 4) + 1 at a rate that grows with s, and every channel sparsely.
 * Fixed bits, so the sweep's figures are the same on every run; written once. */
static char *
samples_path (void)
{
  static char *path;

  if (path == NULL)
    {
      g_autofree guint8 *x = g_new0 (guint8, N_SAMPLES * N_STEPS * N_INPUTS);
      gint64 y[N_SAMPLES];
      gsize shape[3] = { N_SAMPLES, N_STEPS, N_INPUTS }, yshape[1] = { N_SAMPLES }, len;
      g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
      g_autofree guint8 *npy = NULL, *ynpy = NULL, *data = NULL;
      g_autoptr(GError) error = NULL;
      GRand *rand = g_rand_new_with_seed (18);

      for (gsize s = 0; s < N_SAMPLES; s++)
        {
          y[s] = (gint64) (s % 4);
          for (gsize t = 0; t < N_STEPS; t++)
            for (gsize c = 0; c < N_INPUTS; c++)
              {
                gboolean driven = c / 2 == s % 4;
                double p = driven ? 0.3 + 0.05 * (double) (s / 4) : 0.03;

                x[(s * N_STEPS + t) * N_INPUTS + c] = g_rand_double (rand) < p;
              }
        }
      g_rand_free (rand);
      npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);
      g_assert_true (sq_npz_writer_add_npy (w, "x", npy, len, &error));
      ynpy = sq_npy_write_array (SQ_NPY_INT64, 1, yshape, y, &len);
      g_assert_true (sq_npz_writer_add_npy (w, "y", ynpy, len, &error));
      data = sq_npz_writer_finish (w, &len, &error);
      g_assert_no_error (error);
      path = g_build_filename (tmpdir, "patterns.npz", NULL);
      g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) len, &error));
    }
  return path;
}

static gboolean
task_idle (gpointer page)
{
  return !sq_job_get_busy (SQ_JOB (sq_sweep_page_get_task (page)));
}

/* The core's sweep of @network from @base: methods global and channel, @range of weight
 * bits, on @set (nullable) for the window's default device. */
static SqSweep *
core_sweep (SqNetwork             *network,
            const SqQuantSettings *base,
            const char            *range,
            const SqSampleSet     *set)
{
  g_autoptr(SqSweep) sweep = sq_sweep_new (network, base);
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_sweep_add_axis (sweep, "method", "global,channel", &error));
  g_assert_true (sq_sweep_add_axis (sweep, "weight-bits", range, &error));
  g_assert_true (sq_sweep_run (sweep, NULL, set, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&sweep);
}

/* The row of @sweep with @row's settings. */
static const SqSweepRow *
find_row (const SqSweep    *sweep,
          const SqSweepRow *row)
{
  for (guint i = 0; i < sweep->rows->len; i++)
    {
      const SqSweepRow *r = &g_array_index (sweep->rows, SqSweepRow, i);

      if (memcmp (r->settings.value, row->settings.value, sizeof r->settings.value) == 0)
        return r;
    }
  g_assert_not_reached ();
}

/* Every point of @page is its row of @expected: settings, figures and the value drawn. */
static void
assert_points (SqSweepPage   *page,
               const SqSweep *expected,
               SqSweepFigure  figure,
               int            lo,
               int            hi)
{
  g_assert_cmpuint (sq_sweep_page_get_n_curves (page), ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      g_assert_cmpuint (sq_sweep_page_get_n_points (page, c), ==, (gsize) (hi - lo + 1));
      for (gsize i = 0; i <= (gsize) (hi - lo); i++)
        {
          double x, y, want;
          const SqSweepRow *row = sq_sweep_page_get_point (page, c, i, &x, &y);
          const SqSweepRow *core;

          g_assert_nonnull (row);
          /* Curve 0 global, curve 1 per channel; x the weight bits. */
          g_assert_cmpint (sq_quant_settings_get (&row->settings, "method"), ==, (int) c);
          g_assert_cmpint (sq_quant_settings_get (&row->settings, "weight-bits"), ==,
                           lo + (int) i);
          g_assert_cmpfloat (x, ==, lo + (int) i);
          core = find_row (expected, row);
          g_assert_cmpfloat (row->total.signal, ==, core->total.signal);
          g_assert_cmpfloat (row->total.noise, ==, core->total.noise);
          g_assert_cmpuint (row->total.clipped, ==, core->total.clipped);
          g_assert_cmpuint (row->total.zeroed, ==, core->total.zeroed);
          g_assert_cmpint (row->fits, ==, core->fits);
          g_assert_cmpint (row->alive, ==, core->alive);
          g_assert_cmpint (row->evaluated, ==, core->evaluated);
          g_assert_cmpuint (row->n_class_agree, ==, core->n_class_agree);
          g_assert_cmpuint (row->n_correct_float, ==, core->n_correct_float);
          g_assert_cmpuint (row->n_correct_int, ==, core->n_correct_int);
          g_assert_cmpfloat (row->raster, ==, core->raster);
          switch (figure)
            {
            case SQ_SWEEP_FIGURE_SQNR:
              want = sq_quant_figures_sqnr_db (&core->total);
              break;
            case SQ_SWEEP_FIGURE_AGREEMENT:
              /* The share first, then as a percentage. */
              want = 100.0 * ((double) core->n_class_agree / (double) expected->n_samples);
              break;
            case SQ_SWEEP_FIGURE_ACCURACY:
              want = 100.0 * ((double) core->n_correct_int / (double) expected->n_samples);
              break;
            case SQ_SWEEP_FIGURE_ZEROED:
              want = 100.0 * ((double) core->total.zeroed / (double) core->total.n_nonzero);
              break;
            case SQ_SWEEP_FIGURE_RASTER:
            case SQ_SWEEP_FIGURE_CLIPPED:
            case SQ_SWEEP_FIGURE_DEVICE:
            case SQ_SWEEP_N_FIGURES:
            default:
              g_assert_not_reached ();
            }
          g_assert_cmpfloat (y, ==, want);
        }
    }
}

static SqChart *
page_chart (SqSweepPage *page)
{
  return SQ_CHART (sq_test_child (page, SQ_TYPE_SWEEP_PAGE, "chart"));
}

/* Widget coordinates of point @i of curve @c. */
static void
point_position (SqSweepPage *page,
                guint        c,
                gsize        i,
                double      *wx,
                double      *wy)
{
  double x, y;

  g_assert_nonnull (sq_sweep_page_get_point (page, c, i, &x, &y));
  g_assert_true (sq_chart_data_to_widget (page_chart (page), x, y, wx, wy));
}

/* A key pressed on @chart, as its key controller receives it. */
static void
press_key (SqChart *chart,
           guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        g_signal_emit_by_name (c, "key-pressed", keyval, 0, 0, &handled);
    }
  g_assert_true (handled);
}

static SqWindow *
open_example (void)
{
  g_autofree char *path = example_path ();
  SqWindow *w = g_object_ref_sink (sq_window_new (app));

  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 760);
  sq_test_present (GTK_WINDOW (w));
  sq_test_open_path (w, path);
  g_assert_nonnull (sq_window_get_document (w));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "sweep"));
  g_assert_cmpstr (sq_window_get_page (w), ==, "sweep");
  return w;
}

static void
run_and_wait (SqSweepPage *page)
{
  g_assert_true (sq_sweep_page_run (page));
  g_assert_true (sq_job_get_busy (SQ_JOB (sq_sweep_page_get_task (page))));
  g_assert_true (sq_test_wait_until (task_idle, page, 120000));
  g_assert_no_error ((GError *) sq_job_get_error (SQ_JOB (sq_sweep_page_get_task (page))));
}

/* ---------------------------------------------------------------------------------------- */

/* Without samples: the network's SQNR of every method and width, as the core's sweep gives
 * it; the read-out of a point; a click applies its settings and the ring follows. */
static void
test_no_samples (void)
{
  SqWindow *w = open_example ();
  SqSweepPage *page = sq_window_get_sweep_page (w);
  SqAnalysis *analysis = sq_window_get_analysis (w);
  SqNetwork *network = sq_document_get_network (sq_window_get_document (w));
  SqChart *chart = page_chart (page);
  g_autoptr(SqSweep) expected = NULL;
  g_autofree char *text = NULL, *sqnr = NULL;
  SqQuantSettings base;
  double wx, wy;
  guint curve;
  gsize point;

  /* Before a run the chart says what to do. */
  g_assert_cmpuint (sq_sweep_page_get_n_curves (page), ==, 0);
  g_assert_cmpstr (sq_chart_get_description (chart), ==,
                   "Run a sweep to see how each bit width and method does");

  sq_analysis_get_settings (analysis, &base);
  expected = core_sweep (network, &base, "2-5", NULL);
  sq_sweep_page_set_range (page, 2, 5);
  run_and_wait (page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  assert_points (page, expected, SQ_SWEEP_FIGURE_SQNR, 2, 5);

  /* The chart's accessible name and description. */
  g_assert_cmpstr (sq_chart_get_title (chart), ==, "Network SQNR against the bit width");
  g_assert_cmpstr (sq_chart_get_x_label (chart), ==, "weight bits");
  g_assert_nonnull (strstr (sq_chart_get_description (chart), "2 curves of 4 points"));

  /* The default's 8 bits are not swept: no ring. */
  g_assert_false (sq_sweep_page_get_mark (page, &curve, &point));

  /* The read-out of per channel at 4 bits names it and its SQNR. */
  point_position (page, 1, 2, &wx, &wy);
  text = sq_chart_describe_at (chart, wx, wy);
  sqnr = sq_format_db (sq_quant_figures_sqnr_db (
    &sq_sweep_page_get_point (page, 1, 2, NULL, NULL)->total));
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "Per channel, 4 weight bits\n"));
  g_assert_nonnull (strstr (text, sqnr));
  g_assert_nonnull (strstr (text, "Device check: "));
  g_assert_null (strstr (text, "Class agreement"));

  /* A click there: the document takes per channel at 4 bits, the ring moves there. */
  g_assert_true (sq_sweep_page_activate_at (page, wx, wy));
  g_assert_cmpint (sq_analysis_get_option (analysis, "method"), ==, 1);
  g_assert_cmpint (sq_analysis_get_option (analysis, "weight-bits"), ==, 4);
  sq_test_settle (w);
  g_assert_true (sq_sweep_page_get_mark (page, &curve, &point));
  g_assert_cmpuint (curve, ==, 1);
  g_assert_cmpuint (point, ==, 2);
  /* The page stays; the Tune page's result is the new setting's. */
  g_assert_cmpstr (sq_window_get_page (w), ==, "sweep");
  {
    const SqAnalysisResult *r = sq_analysis_get_result (analysis);
    const SqSweepRow *row = sq_sweep_page_get_point (page, 1, 2, NULL, NULL);

    g_assert_nonnull (r);
    g_assert_cmpfloat (r->quant->total.noise, ==, row->total.noise);
  }

  /* By keyboard: from the ring, Left to per channel at 3 bits, Up to global at 3 bits; its
   * read-out is the chart's description; Enter applies it. */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (chart)));
  press_key (chart, GDK_KEY_Left);
  g_assert_true (g_str_has_prefix (sq_chart_get_description (chart),
                                   "Per channel, 3 weight bits\n"));
  press_key (chart, GDK_KEY_Up);
  g_assert_true (g_str_has_prefix (sq_chart_get_description (chart), "Global, 3 weight bits\n"));
  /* Up again: no curve above, the point stays. */
  press_key (chart, GDK_KEY_Up);
  g_assert_true (g_str_has_prefix (sq_chart_get_description (chart), "Global, 3 weight bits\n"));
  press_key (chart, GDK_KEY_Return);
  g_assert_cmpint (sq_analysis_get_option (analysis, "method"), ==, 0);
  g_assert_cmpint (sq_analysis_get_option (analysis, "weight-bits"), ==, 3);
  sq_test_settle (w);
  g_assert_true (sq_sweep_page_get_mark (page, &curve, &point));
  g_assert_cmpuint (curve, ==, 0);
  g_assert_cmpuint (point, ==, 1);

  /* Figures that need samples say so. */
  sq_sweep_page_set_figure (page, SQ_SWEEP_FIGURE_AGREEMENT);
  g_assert_cmpuint (sq_sweep_page_get_n_curves (page), ==, 0);
  g_assert_cmpstr (sq_chart_get_description (chart), ==,
                   "Choose a sample set and run the sweep again to see this figure");
  g_assert_false (sq_sweep_page_activate_at (page, wx, wy));
  sq_sweep_page_set_figure (page, SQ_SWEEP_FIGURE_ZEROED);
  assert_points (page, expected, SQ_SWEEP_FIGURE_ZEROED, 2, 5);

  sq_test_finalize_window (w);
}

/* With a labelled set: class agreement and accuracy as the core's sweep on the same set; a
 * second sweep re-uses the float runs; a cancelled sweep leaves the last one. */
static void
test_samples (void)
{
  SqWindow *w = open_example ();
  SqSweepPage *page = sq_window_get_sweep_page (w);
  SqSweepTask *task = sq_sweep_page_get_task (page);
  SqNetwork *network = sq_document_get_network (sq_window_get_document (w));
  g_autoptr(GFile) file = g_file_new_for_path (samples_path ());
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(SqSweep) expected = NULL, expected2 = NULL;
  g_autoptr(GError) error = NULL;
  const SqEvalBaseline *baseline;
  const SqSweep *before;
  SqQuantSettings base;

  set = sq_sample_set_load (samples_path (), network->n_inputs, NULL, &error);
  g_assert_no_error (error);
  sq_analysis_get_settings (sq_window_get_analysis (w), &base);
  expected = core_sweep (network, &base, "2-4", set);
  g_assert_cmpuint (expected->n_samples, ==, N_SAMPLES);
  g_assert_true (expected->has_labels);

  sq_sweep_page_set_samples (page, file);
  sq_sweep_page_set_range (page, 2, 4);
  sq_sweep_page_set_figure (page, SQ_SWEEP_FIGURE_AGREEMENT);
  run_and_wait (page);
  assert_points (page, expected, SQ_SWEEP_FIGURE_AGREEMENT, 2, 4);
  sq_sweep_page_set_figure (page, SQ_SWEEP_FIGURE_ACCURACY);
  assert_points (page, expected, SQ_SWEEP_FIGURE_ACCURACY, 2, 4);
  baseline = sq_sweep_task_get_baseline (task);
  g_assert_nonnull (baseline);
  g_assert_cmpuint (sq_sweep_task_get_samples (task)->n_samples, ==, N_SAMPLES);

  /* Another range of the same set: the same float runs, the core's figures. */
  expected2 = core_sweep (network, &base, "5-6", set);
  sq_sweep_page_set_range (page, 5, 6);
  run_and_wait (page);
  g_assert_true (sq_sweep_task_get_baseline (task) == baseline);
  assert_points (page, expected2, SQ_SWEEP_FIGURE_ACCURACY, 5, 6);

  /* Cancelled at once: the last sweep stays, drawn as it was. */
  before = sq_sweep_task_get_sweep (task);
  sq_sweep_page_set_range (page, 2, 8);
  g_assert_true (sq_sweep_page_run (page));
  sq_sweep_page_cancel (page);
  g_assert_true (sq_test_wait_until (task_idle, page, 120000));
  g_assert_error ((GError *) sq_job_get_error (SQ_JOB (task)), G_IO_ERROR,
                  G_IO_ERROR_CANCELLED);
  g_assert_true (sq_sweep_task_get_sweep (task) == before);
  assert_points (page, expected2, SQ_SWEEP_FIGURE_ACCURACY, 5, 6);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sq_test_child (page, SQ_TYPE_SWEEP_PAGE,
                                                                 "status_label"))),
                   ==, "Cancelled");

  /* A set that does not fit the network: its message, the last sweep kept. */
  {
    g_autoptr(GFile) bad = g_file_new_for_path (tmpdir);

    sq_sweep_page_set_samples (page, bad);
    g_assert_true (sq_sweep_page_run (page));
    g_assert_true (sq_test_wait_until (task_idle, page, 120000));
    g_assert_nonnull (sq_job_get_error (SQ_JOB (task)));
    g_assert_true (sq_sweep_task_get_sweep (task) == before);
  }
  sq_test_finalize_window (w);
}

/* A DynapCNN network has no bit width (its scales are sinabs's): the page says so and
 * offers no sweep. */
static void
test_no_width (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", "speck-small.json", NULL);
  SqSweepPage *page = sq_window_get_sweep_page (w);

  sq_test_present (GTK_WINDOW (w));
  sq_test_open_path (w, path);
  g_assert_cmpstr (sq_document_get_network (sq_window_get_document (w))->kind->name, ==,
                   "dynapcnn");
  g_assert_false (sq_sweep_page_run (page));
  g_assert_false (sq_job_get_busy (SQ_JOB (sq_sweep_page_get_task (page))));
  g_assert_false (gtk_widget_get_sensitive (sq_test_child (page, SQ_TYPE_SWEEP_PAGE,
                                                           "run_button")));
  g_assert_null (gtk_widget_get_first_child (sq_test_child (page, SQ_TYPE_SWEEP_PAGE,
                                                            "series_box")));
  g_assert_cmpstr (sq_chart_get_description (page_chart (page)), ==,
                   "This kind of network has no bit width to sweep");

  /* Back to a Xylo network: its width and methods. */
  {
    g_autofree char *small = example_path ();

    sq_test_open_path (w, small);
    g_assert_true (gtk_widget_get_sensitive (sq_test_child (page, SQ_TYPE_SWEEP_PAGE,
                                                            "run_button")));
    g_assert_cmpstr (sq_chart_get_description (page_chart (page)), ==,
                     "Run a sweep to see how each bit width and method does");
  }
  sq_test_finalize_window (w);
}

/* At 800 × 600 the page fits, before, during and after a sweep with a sample set of a long
 * name. */
static void
test_narrow (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *path = example_path ();
  g_autofree char *long_name = g_build_filename (tmpdir, "a-sample-set-with-a-rather-long-name"
                                                 "-that-must-not-widen-the-window.npz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (long_name);
  SqSweepPage *page = sq_window_get_sweep_page (w);

  gtk_window_set_default_size (GTK_WINDOW (w), 800, 600);
  sq_test_present (GTK_WINDOW (w));
  sq_test_open_path (w, path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "sweep"));
  sq_sweep_page_set_samples (page, file);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  sq_test_assert_fits (w, "the sweep page before a sweep");
  g_assert_true (sq_sweep_page_run (page));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  sq_test_assert_fits (w, "the sweep page during a sweep");
  /* The file does not exist: the sweep ends with its message. */
  g_assert_true (sq_test_wait_until (task_idle, page, 120000));
  g_assert_error ((GError *) sq_job_get_error (SQ_JOB (sq_sweep_page_get_task (page))),
                  G_FILE_ERROR, G_FILE_ERROR_NOENT);
  sq_test_assert_fits (w, "the sweep page after a failed sweep");
  sq_test_save_screenshot (GTK_WIDGET (w), "sweep-narrow");
  sq_test_finalize_window (w);
}

/* data/screenshots/sweep.png at 1280 × 800: class agreement of small.json over 2–8 weight
 * bits on the labelled set, the read-out of a point shown. */
static void
test_screenshot (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *path = example_path ();
  /* The trained example on its own held-out set: where accuracy falls off. */
  g_autofree char *samples = sq_sample_set_sidecar (path);
  g_autoptr(GFile) file = NULL;
  SqSweepPage *page = sq_window_get_sweep_page (w);

  g_assert_nonnull (samples);
  file = g_file_new_for_path (samples);
  sq_test_present_screenshot_size (w);
  sq_test_open_path (w, path);
  /* The ring on per channel at 4 bits, whatever the tests before left in the settings. */
  sq_analysis_set_option (sq_window_get_analysis (w), "method", 1);
  sq_analysis_set_option (sq_window_get_analysis (w), "weight-bits", 4);
  sq_test_settle (w);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "sweep"));
  sq_sweep_page_set_samples (page, file);
  sq_sweep_page_set_range (page, 2, 8);
  sq_sweep_page_set_figure (page, SQ_SWEEP_FIGURE_ACCURACY);
  run_and_wait (page);
  g_assert_cmpuint (sq_sweep_page_get_n_points (page, 0), ==, 7);
  sq_test_settle (w);
  /* The pointer over per channel at 3 bits: the chart draws the point's read-out. */
  {
    SqChart *chart = page_chart (page);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));
    double wx, wy;

    point_position (page, 1, 1, &wx, &wy);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
          g_signal_emit_by_name (c, "motion", wx, wy);
      }
  }
  sq_test_save_data_screenshot (GTK_WIDGET (w), "sweep");
  sq_test_finalize_window (w);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();
  tmpdir = g_dir_make_tmp ("sq-sweep-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/window-sweep/no-samples", test_no_samples);
  g_test_add_func ("/window-sweep/samples", test_samples);
  g_test_add_func ("/window-sweep/no-width", test_no_width);
  g_test_add_func ("/window-sweep/narrow", test_narrow);
  g_test_add_func ("/window-sweep/screenshot", test_screenshot);

  status = g_test_run ();
  g_clear_object (&app);
  {
    g_autofree char *npz = g_build_filename (tmpdir, "patterns.npz", NULL);

    g_unlink (npz);
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return status;
}
