/* test-window-robustness.c: the Robustness page in the real window
 *
 * The page draws networks from a transform configuration and runs them over a sample set in
 * the background, a box per setting (the draws' float models, their integer cores with the
 * Tune page's settings) next to the untransformed network's result. Every figure shown is
 * compared with what sq_robustness_run() gives here, without the window, on the same
 * network, configuration, set, draws and seed; a cancelled run shows nothing; another network
 * or other settings clear what was shown. The screenshot data/screenshots/robustness.png is
 * written here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-chart.h"
#include "sq-chart-boxes.h"
#include "sq-format.h"
#include "sq-robustness-page.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-window.h"

static SqApplication *app;
static char *tmpdir;

#define N_DRAWS 6
#define SEED    7

static char *
samples_path (void)
{
  g_autofree char *dir = g_path_get_dirname (g_getenv ("SQ_EXAMPLE_TRAINED"));

  return g_build_filename (dir, "small-samples.npz", NULL);
}

static gboolean
task_idle (gpointer page)
{
  return !sq_job_get_busy (SQ_JOB (sq_robustness_page_get_task (page)));
}

static SqChart *
page_chart (SqRobustnessPage *page)
{
  return SQ_CHART (sq_test_child (page, SQ_TYPE_ROBUSTNESS_PAGE, "chart"));
}

static SqChartBoxes *
page_boxes (SqRobustnessPage *page)
{
  SqChart *chart = page_chart (page);

  for (guint i = 0; i < sq_chart_get_n_layers (chart); i++)
    if (SQ_IS_CHART_BOXES (sq_chart_get_layer (chart, i)))
      return SQ_CHART_BOXES (sq_chart_get_layer (chart, i));
  g_assert_not_reached ();
}

static const char *
label_text (SqRobustnessPage *page,
            const char       *name)
{
  return gtk_label_get_text (GTK_LABEL (sq_test_child (page, SQ_TYPE_ROBUSTNESS_PAGE,
                                                       name)));
}

/* The trained example open on the Robustness page, its set chosen, 4 weight bits per
 * channel whatever the tests before left in the settings. */
static SqWindow *
open_example (int width,
              int height)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *samples = samples_path ();
  g_autoptr(GFile) file = g_file_new_for_path (samples);

  if (width > 0)
    {
      gtk_window_set_default_size (GTK_WINDOW (w), width, height);
      sq_test_present (GTK_WINDOW (w));
    }
  else
    sq_test_present_screenshot_size (w);
  sq_test_open_path (w, g_getenv ("SQ_EXAMPLE_TRAINED"));
  sq_analysis_set_option (sq_window_get_analysis (w), "method", 1);
  sq_analysis_set_option (sq_window_get_analysis (w), "weight-bits", 4);
  sq_test_settle (w);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "robustness"));
  g_assert_cmpstr (sq_window_get_page (w), ==, "robustness");
  sq_robustness_page_set_samples (sq_window_get_robustness_page (w), file);
  return w;
}

static void
run_and_wait (SqRobustnessPage *page)
{
  g_assert_true (sq_robustness_page_run (page));
  g_assert_true (sq_job_get_busy (SQ_JOB (sq_robustness_page_get_task (page))));
  g_assert_true (sq_test_wait_until (task_idle, page, 120000));
  g_assert_no_error ((GError *) sq_job_get_error (SQ_JOB (sq_robustness_page_get_task (page))));
}

/* The core's run of what @page ran: its configuration, the example's set, N_DRAWS draws of
 * SEED, as float models (@settings %NULL) or quantized with @settings. */
static SqRobustness *
core_run (SqWindow              *w,
          const SqQuantSettings *settings)
{
  SqRobustnessPage *page = sq_window_get_robustness_page (w);
  SqNetwork *network = sq_document_get_network (sq_window_get_document (w));
  const char *data = sq_robustness_page_get_config_data (page);
  g_autofree char *samples = samples_path ();
  g_autoptr(SqTransformConfig) config = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(GError) error = NULL;
  SqRobustnessOptions options = { N_DRAWS, SEED, settings, NULL };
  SqRobustness *r;

  config = sq_transform_config_load_data (data, strlen (data), "t.json", &error);
  g_assert_no_error (error);
  set = sq_sample_set_load (samples, network->n_inputs, NULL, &error);
  g_assert_no_error (error);
  r = sq_robustness_run (network, config, set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
assert_same_figures (const SqRobustnessFigures *a,
                     const SqRobustnessFigures *b)
{
  g_assert_cmpuint (a->n_class_agree, ==, b->n_class_agree);
  g_assert_cmpuint (a->n_correct, ==, b->n_correct);
  g_assert_cmpuint (a->events, ==, b->events);
  g_assert_cmpfloat (a->raster, ==, b->raster);
}

/* Box @box shows the class agreement of @want in percent, the deterministic result as its
 * marker, and the figures below the chart say the mean, sd, median, extremes and the
 * deterministic result as the page formats them. */
static void
assert_box (SqRobustnessPage   *page,
            guint               box,
            const SqRobustness *want)
{
  const SqChartBox *b = sq_chart_boxes_get_box (page_boxes (page), box);
  const SqDistribution *d = &want->agreement;
  double plain = 100.0 * ((double) want->plain.n_class_agree / (double) want->n_samples);
  g_autofree char *mean = NULL, *det = NULL, *text = NULL;

  g_assert_nonnull (b);
  g_assert_cmpfloat (b->min, ==, 100.0 * d->min);
  g_assert_cmpfloat (b->q1, ==, 100.0 * d->q1);
  g_assert_cmpfloat (b->median, ==, 100.0 * d->median);
  g_assert_cmpfloat (b->q3, ==, 100.0 * d->q3);
  g_assert_cmpfloat (b->max, ==, 100.0 * d->max);
  g_assert_cmpfloat (b->mean, ==, 100.0 * d->mean);
  g_assert_cmpfloat (b->marker, ==, plain);
  mean = sq_format_significant (100.0 * d->mean, 3);
  det = sq_format_significant (plain, 3);
  text = g_strdup_printf ("Class agreement: mean %s %% ± ", mean);
  g_assert_nonnull (strstr (label_text (page, "figures_label"), text));
  g_assert_nonnull (strstr (b->text, text));
  g_free (text);
  text = g_strdup_printf ("; deterministic %s %%", det);
  g_assert_nonnull (strstr (b->text, text));
  g_assert_cmpstr (b->marker_text, ==, strchr (text, ' ') + strlen (" deterministic "));
}

/* ---------------------------------------------------------------------------------------- */

/* Both settings on the built-in stochastic rounding: every draw's figures, the boxes, the
 * markers and the text are the core's; the float models' deterministic result is the float
 * model itself (all samples agree). */
static void
test_figures (void)
{
  SqWindow *w = open_example (1100, 760);
  SqRobustnessPage *page = sq_window_get_robustness_page (w);
  SqRobustnessTask *task = sq_robustness_page_get_task (page);
  g_autoptr(SqRobustness) want_float = NULL, want_int = NULL;
  const SqRobustness *got;
  SqQuantSettings settings;
  g_autofree char *description = NULL;

  g_assert_cmpstr (label_text (page, "config_label"), ==,
                   "weights: stochastic rounding to 64 levels");
  sq_robustness_page_set_draws (page, N_DRAWS, SEED);
  run_and_wait (page);
  sq_analysis_get_settings (sq_window_get_analysis (w), &settings);
  want_float = core_run (w, NULL);
  want_int = core_run (w, &settings);

  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    {
      const SqRobustness *want = k == SQ_ROBUSTNESS_FLOAT ? want_float : want_int;

      got = sq_robustness_task_get_result (task, k);
      g_assert_nonnull (got);
      g_assert_cmpuint (got->n_draws, ==, N_DRAWS);
      g_assert_cmpuint (got->seed, ==, SEED);
      g_assert_cmpint (got->integer, ==, k == SQ_ROBUSTNESS_INTEGER);
      g_assert_cmpuint (got->n_samples, ==, want->n_samples);
      assert_same_figures (&got->plain, &want->plain);
      for (guint i = 0; i < N_DRAWS; i++)
        assert_same_figures (&got->draws[i], &want->draws[i]);
      assert_box (page, k, want);
    }
  /* The untransformed float model is the reference: every sample agrees. */
  g_assert_cmpuint (want_float->plain.n_class_agree, ==, want_float->n_samples);
  /* 4 bits per channel is not the float model: the integer cores differ somewhere. */
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 2);
  g_assert_cmpstr (label_text (page, "status_label"), ==,
                   "6 draws (seed 7) of “Stochastic rounding”, each on "
                   "200 samples");

  /* The chart's description has each box's mean and deterministic result. */
  {
    g_autofree char *mean = sq_format_significant (100.0 * want_int->agreement.mean, 3);
    g_autofree char *part = g_strdup_printf ("Integer cores: mean %s %%", mean);

    description = g_strdup (sq_chart_get_description (page_chart (page)));
    g_assert_true (g_str_has_prefix (description,
                                     "Class agreement with the float model over the draws, "
                                     "6 draws: Float models: mean "));
    g_assert_nonnull (strstr (description, part));
  }

  /* Accuracy: the set has labels; the marker is the untransformed network's. */
  sq_robustness_page_set_figure (page, SQ_ROBUSTNESS_FIGURE_ACCURACY);
  {
    const SqChartBox *b = sq_chart_boxes_get_box (page_boxes (page), SQ_ROBUSTNESS_INTEGER);

    g_assert_true (want_int->has_labels);
    g_assert_cmpfloat (b->median, ==, 100.0 * want_int->accuracy.median);
    g_assert_cmpfloat (b->marker, ==, 100.0 * ((double) want_int->plain.n_correct
                                               / (double) want_int->n_samples));
  }
  sq_robustness_page_set_figure (page, SQ_ROBUSTNESS_FIGURE_EVENTS);
  {
    const SqChartBox *b = sq_chart_boxes_get_box (page_boxes (page), SQ_ROBUSTNESS_FLOAT);

    g_assert_cmpfloat (b->mean, ==, want_float->events.mean);
    g_assert_cmpfloat (b->marker, ==, (double) want_float->plain.events);
  }
  sq_test_finalize_window (w);
}

/* A cancelled run shows nothing and says so; a float-only run survives other settings (it
 * has no integer cores), a run with integer cores does not; another network clears all. */
static void
test_cancel_and_stale (void)
{
  SqWindow *w = open_example (1100, 760);
  SqRobustnessPage *page = sq_window_get_robustness_page (w);
  SqRobustnessTask *task = sq_robustness_page_get_task (page);
  GtkCheckButton *integer = GTK_CHECK_BUTTON (sq_test_child (page, SQ_TYPE_ROBUSTNESS_PAGE,
                                                             "integer_check"));

  sq_robustness_page_set_draws (page, 10000, SEED);
  g_assert_true (sq_robustness_page_run (page));
  sq_robustness_page_cancel (page);
  g_assert_true (sq_test_wait_until (task_idle, page, 120000));
  g_assert_error ((GError *) sq_job_get_error (SQ_JOB (task)), G_IO_ERROR,
                  G_IO_ERROR_CANCELLED);
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_FLOAT));
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_INTEGER));
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 0);
  g_assert_cmpstr (label_text (page, "status_label"), ==, "Cancelled");
  g_assert_cmpstr (label_text (page, "figures_label"), ==, "");

  /* Float models only: the quantization does not touch them. */
  sq_robustness_page_set_draws (page, 3, SEED);
  gtk_check_button_set_active (integer, FALSE);
  run_and_wait (page);
  g_assert_nonnull (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_FLOAT));
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_INTEGER));
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 1);
  sq_analysis_set_option (sq_window_get_analysis (w), "weight-bits", 5);
  g_assert_nonnull (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_FLOAT));

  /* With integer cores, other settings make the result stale: it goes, and the status says
   * why. */
  gtk_check_button_set_active (integer, TRUE);
  run_and_wait (page);
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 2);
  sq_analysis_set_option (sq_window_get_analysis (w), "weight-bits", 6);
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_FLOAT));
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_INTEGER));
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 0);
  g_assert_cmpstr (label_text (page, "figures_label"), ==, "");
  g_assert_true (g_str_has_prefix (label_text (page, "status_label"),
                                   "The quantization settings changed"));

  /* Another network: nothing of the last one is shown. */
  run_and_wait (page);
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 2);
  sq_test_open_path (w, g_getenv ("SQ_EXAMPLE_SMALL"));
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_FLOAT));
  g_assert_null (sq_robustness_task_get_result (task, SQ_ROBUSTNESS_INTEGER));
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 0);
  g_assert_cmpstr (label_text (page, "figures_label"), ==, "");
  g_assert_cmpstr (label_text (page, "status_label"), ==, "");
  sq_test_finalize_window (w);
}

/* A configuration file: said in words when chosen, run as the file says; a bad one is
 * refused with the file and the key named, the last good one staying chosen. */
static void
test_config_file (void)
{
  SqWindow *w = open_example (1100, 760);
  SqRobustnessPage *page = sq_window_get_robustness_page (w);
  g_autofree char *good = g_build_filename (tmpdir, "drop.json", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "bad.json", NULL);
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  const char *json = "{\"transforms\": [{\"group\": \"weights_rec\", \"transform\": "
                     "\"dropout\", \"probability\": 0.25}, {\"family\": \"bitshifts\", "
                     "\"transform\": \"round\"}]}";

  g_assert_true (g_file_set_contents (good, json, -1, &error));
  g_assert_true (g_file_set_contents (bad, "{\"transforms\": [{\"family\": \"weights\", "
                                      "\"transform\": \"dropout\", \"probability\": 1.5}]}",
                                      -1, &error));
  g_assert_true (sq_robustness_page_open_config (page, good_file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sq_robustness_page_get_config_data (page), ==, json);
  g_assert_cmpstr (label_text (page, "config_label"), ==,
                   "weights_rec: each value 0 with probability 25 %; bitshifts: rounded to "
                   "integers");
  g_assert_false (sq_robustness_page_open_config (page, bad_file, &error));
  g_assert_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "bad.json: transforms[0].probability"));
  g_assert_cmpstr (sq_robustness_page_get_config_data (page), ==, json);

  /* Run as the file says: the core's figures on the same file. */
  sq_robustness_page_set_draws (page, N_DRAWS, SEED);
  run_and_wait (page);
  {
    g_autoptr(SqRobustness) want = core_run (w, NULL);
    const SqRobustness *got = sq_robustness_task_get_result (sq_robustness_page_get_task (page),
                                                             SQ_ROBUSTNESS_FLOAT);

    for (guint i = 0; i < N_DRAWS; i++)
      assert_same_figures (&got->draws[i], &want->draws[i]);
    assert_box (page, SQ_ROBUSTNESS_FLOAT, want);
  }
  g_unlink (good);
  g_unlink (bad);
  sq_test_finalize_window (w);
}

/* At 800 × 600 the page fits, before and after a run, with a configuration of a long name. */
static void
test_narrow (void)
{
  SqWindow *w = open_example (800, 600);
  SqRobustnessPage *page = sq_window_get_robustness_page (w);
  g_autofree char *path = g_build_filename (tmpdir, "a-transform-configuration-with-a-rather-"
                                            "long-name-that-must-not-widen-the-window.json",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "{\"transforms\": [{\"family\": \"weights\", "
                                      "\"transform\": \"stochastic_rounding\", "
                                      "\"num_levels\": 32, \"exact_zero\": true}]}",
                                      -1, &error));
  g_assert_true (sq_robustness_page_open_config (page, file, &error));
  g_assert_no_error (error);
  /* 32 levels with 0 kept: 31, an odd number, about 0. */
  g_assert_cmpstr (label_text (page, "config_label"), ==,
                   "weights: stochastic rounding to 31 levels, 0 kept exactly");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  sq_test_assert_fits (w, "the robustness page before a run");
  sq_robustness_page_set_draws (page, 4, SEED);
  run_and_wait (page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  sq_test_assert_fits (w, "the robustness page after a run");
  sq_test_save_screenshot (GTK_WIDGET (w), "robustness-narrow");
  g_unlink (path);
  sq_test_finalize_window (w);
}

/* data/screenshots/robustness.png at 1280 × 800: class agreement of the trained example's
 * float models and 4-bit integer cores over 40 draws of the built-in stochastic rounding. */
static void
test_screenshot (void)
{
  SqWindow *w = open_example (0, 0);
  SqRobustnessPage *page = sq_window_get_robustness_page (w);

  sq_robustness_page_set_draws (page, 40, 1);
  run_and_wait (page);
  g_assert_cmpuint (sq_chart_boxes_get_n_boxes (page_boxes (page)), ==, 2);
  sq_test_settle (w);
  sq_test_save_data_screenshot (GTK_WIDGET (w), "robustness");
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
  tmpdir = g_dir_make_tmp ("sq-robustness-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/window-robustness/figures", test_figures);
  g_test_add_func ("/window-robustness/cancel-and-stale", test_cancel_and_stale);
  g_test_add_func ("/window-robustness/config-file", test_config_file);
  g_test_add_func ("/window-robustness/narrow", test_narrow);
  g_test_add_func ("/window-robustness/screenshot", test_screenshot);

  status = g_test_run ();
  g_clear_object (&app);
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
