/* bench-app.c: the window's interactive-speed target on the Xylo-size example network
 *
 * A bit-width change must be recomputed and redrawn within one frame (issue 16 §8: recomputed
 * in ≤ 10 ms, shown ≤ 25 ms after the change). Measured here:
 *  - the recomputation of SqAnalysis (in its worker thread, whose passes run on every core:
 *    "2 threads" on a 2-core machine; the figure names the count it used);
 *  - the main thread's share: handing the result to the figures and the three charts, and
 *    drawing those charts once (their cairo drawing, at their size on the page);
 *  - the whole round trip through the main loop, from setting weight-bits on an SqAnalysis to
 *    its "updated" signal;
 *  - how soon Cancel stops a long Simulate run, from sq_simulation_cancel() to "finished";
 *  - the Simulate page's raster and trace charts on 1000 neurons × 10 000 steps.
 * Each is the median of several runs, reported as a ratio to its target (≤ 1 meets it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "sq-analysis.h"
#include "sq-parallel-private.h"
#include "sq-chart.h"
#include "sq-figures.h"
#include "sq-plots.h"
#include "sq-simulation.h"
#include "sq-tune-page.h"

#define RUNS 15
#define FRAME_MS 16.0
/* Issue 16 §8: a setting's change recomputed in 10 ms, shown 25 ms after the change. */
#define RECOMPUTE_MS 10.0
#define SHOWN_MS 25.0
/* Cancel feels immediate within a tenth of a second. */
#define CANCEL_MS 100.0

static void
on_updated (SqAnalysis *analysis,
            gboolean   *done)
{
  *done = TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Until @window's frame clock has painted and nothing more is pending: a window at rest.
 * (gtk_test_widget_wait_for_draw() returns at the frame's tick, before its paint.) */
static void
settle (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The control a user changes, shown beside the page: its own repaint is part of the change. */
static GtkSpinButton *control;

/* One weight-bits change through the main loop, until "updated". */
static double
round_trip (SqAnalysis *analysis,
            guint       bits)
{
  gboolean done = FALSE;
  gulong id = g_signal_connect (analysis, "updated", G_CALLBACK (on_updated), &done);
  double t0 = bench_now_ms ();

  if (control != NULL)
    gtk_spin_button_set_value (control, bits);
  sq_analysis_set_option (analysis, "weight-bits", (int) bits);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (analysis, id);
  return bench_now_ms () - t0;
}

static double
render_ms (SqChart *chart,
           int      width,
           int      height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  double t0 = bench_now_ms ();

  sq_chart_render (chart, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
  return bench_now_ms () - t0;
}

/* The Simulate page's charts on 1000 neurons × 10 000 steps (issue 7): a frame after a
 * resize (the per-pixel summary is rebuilt), a frame at the same size, and two 10 000-step
 * traces, at 1200 × 400. About 5 % of the raster's cells hold an event. */
static gboolean
bench_sim_charts (void)
{
  const gsize T = 10000, N = 1000;
  g_autofree guint8 *counts = g_new0 (guint8, T * N);
  g_autofree guint32 *rows = g_new (guint32, N);
  g_autofree double *a = g_new (double, T), *b = g_new (double, T);
  g_autoptr(GBytes) bytes = NULL;
  SqChart *raster = g_object_ref_sink (SQ_CHART (sq_chart_new ()));
  SqChart *traces = g_object_ref_sink (SQ_CHART (sq_chart_new ()));
  guint32 state = 1;
  gboolean ok = TRUE;
  double t[RUNS];

  for (gsize k = 0; k < T * N; k++)
    {
      state = state * 1664525u + 1013904223u;
      counts[k] = (state >> 24) < 13;
    }
  for (gsize i = 0; i < N; i++)
    rows[i] = (guint32) i;
  for (gsize i = 0; i < T; i++)
    {
      a[i] = sin (i * 0.01);
      b[i] = nearbyint (a[i] * 64.0) / 64.0;
    }
  bytes = g_bytes_new_static (counts, T * N);
  sq_chart_set_raster (raster, bytes, T, N, rows, N, N, SQ_CHART_COLOR_ACCENT, "neuron");
  {
    SqChartTrace tr[2] = { { a, T, SQ_CHART_COLOR_ACCENT, "float" },
                           { b, T, SQ_CHART_COLOR_WARNING, "integer" } };

    sq_chart_set_traces (traces, tr, 2);
  }

  for (int i = 0; i < RUNS; i++)
    t[i] = render_ms (raster, 1200 + (i % 2), 400);   /* a new size every frame */
  ok &= bench_report ("raster 1000 x 10 000, frame while resizing", bench_median (t, RUNS),
                      FRAME_MS);
  render_ms (raster, 1200, 400);
  for (int i = 0; i < RUNS; i++)
    t[i] = render_ms (raster, 1200, 400);
  ok &= bench_report ("raster 1000 x 10 000, frame", bench_median (t, RUNS), FRAME_MS);
  for (int i = 0; i < RUNS; i++)
    t[i] = render_ms (traces, 1200, 400);
  ok &= bench_report ("traces 2 x 10 000, frame", bench_median (t, RUNS), FRAME_MS);

  g_object_unref (raster);
  g_object_unref (traces);
  return ok;
}

static void
on_finished (SqSimulation *simulation,
             gboolean     *done)
{
  *done = TRUE;
}

/* A 200 000-step run of the Xylo-size network (the float model, then the integer core),
 * cancelled once its thread is stepping: the time from sq_simulation_cancel() to the
 * "finished" signal on the main loop. The thread checks every 256 steps. */
static gboolean
bench_sim_cancel (SqNetwork *network,
                  guint      group)
{
  g_autoptr(SqAnalysisResult) quant = sq_analysis_result_new ();
  g_autoptr(GError) error = NULL;
  const SqDeviceProfile *device = sq_device_profile_lookup ("xylo-audio2");
  SqSimInput input = { NULL, 0.2, 200000, 42 };
  SqQuantSettings p;
  double t[RUNS];

  sq_quant_settings_init (&p, network->kind);
  g_assert_true (sq_analysis_result_compute (quant, network, &p, group, NULL, NULL, NULL,
                                             &error));
  for (int i = 0; i < RUNS; i++)
    {
      SqSimulation *sim = sq_simulation_new ();
      gboolean done = FALSE;
      double t0;

      g_signal_connect (sim, "finished", G_CALLBACK (on_finished), &done);
      sq_simulation_run (sim, quant, device, &input);
      /* The progress is written by the thread alone: nothing to wait for on the loop. */
      while (sq_simulation_get_progress (sim) <= 0.0)
        g_usleep (1000);
      t0 = bench_now_ms ();
      sq_simulation_cancel (sim);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      t[i] = bench_now_ms () - t0;
      g_assert_error (sq_simulation_get_error (sim), G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_object_unref (sim);
    }
  return bench_report ("Simulate: cancel a 200 000-step run", bench_median (t, RUNS),
                       CANCEL_MS);
}

int
main (int   argc,
      char *argv[])
{
  const char *path = argc > 1 ? argv[1] : g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SqDocument) doc = NULL;
  g_autoptr(SqAnalysis) analysis = NULL;
  SqNetwork *network;
  guint rec;
  gboolean ok = TRUE;
  double t[RUNS];

  if (path == NULL)
    {
      fprintf (stderr, "usage: bench-app XYLO-SIZE.json\n");
      return 2;
    }
  file = g_file_new_for_path (path);
  doc = sq_document_load (file, &error);
  g_assert_no_error (error);
  network = sq_document_get_network (doc);
  g_assert_true (sq_network_find_group (network, "weights_rec", &rec));
  {
    gsize n = 0;

    for (guint g = 0; g < sq_network_n_groups (network); g++)
      if (sq_network_get_group (network, g)->role == SQ_ROLE_WEIGHTS)
        n += sq_network_get_group (network, g)->values->n;
    printf ("network: %s, %" G_GSIZE_FORMAT " weights; recurrent weights shown\n", path, n);
  }

  for (guint m = 0; m < 2; m++)
    for (guint mode = 0; mode < 2; mode++)
      {
        g_autofree char *name = NULL;
        g_autoptr(SqAnalysisResult) first = sq_analysis_result_new ();
        SqQuantSettings p;

        sq_quant_settings_init (&p, network->kind);
        g_assert_true (sq_quant_settings_set_string (&p, "method", m ? "channel" : "global",
                                                     NULL));
        g_assert_true (sq_quant_settings_set_string (&p, "mode", mode ? "rockpool" : "synquant",
                                                     NULL));
        g_assert_true (sq_analysis_result_compute (first, network, &p, rec, NULL, NULL, NULL,
                                                   &error));
        for (int i = 0; i < RUNS; i++)
          {
            g_autoptr(SqAnalysisResult) r = sq_analysis_result_new ();
            double t0;

            /* As after a bit-width change: the float histogram is reused. */
            g_assert_true (sq_quant_settings_set (&p, "weight-bits", 4 + i % 8, NULL));
            t0 = bench_now_ms ();
            g_assert_true (sq_analysis_result_compute (r, network, &p, rec, &first->values,
                                                       &first->value_stats, NULL, &error));
            t[i] = bench_now_ms () - t0;
          }
        name = g_strdup_printf ("recompute, %s %s (%u threads)", m ? "channel" : "global",
                                mode ? "rockpool" : "synquant", _sq_parallel_n_threads ());
        ok &= bench_report (name, bench_median (t, RUNS), RECOMPUTE_MS);
      }
  ok &= bench_sim_cancel (network, rec);

  if (!gtk_init_check ())
    {
      printf ("no display: the main-thread figures need one (./dev bench runs Xvfb)\n");
      return ok ? 0 : 1;
    }
  adw_init ();

  printf ("renderer: GSK_RENDERER=%s\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER")
                                                                  : "(GTK's default: GL)");
  analysis = sq_analysis_new ();
  sq_analysis_set_document (analysis, doc);
  {
    GtkWidget *window = gtk_window_new ();
    SqTunePage *page = g_object_new (SQ_TYPE_TUNE_PAGE, NULL);
    SqFigures *figures;
    SqChart *charts[3];
    const char *names[3] = { "value_chart", "error_chart", "neuron_chart" };

    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    control = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 16, 1));
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (control));
    gtk_widget_set_hexpand (GTK_WIDGET (page), TRUE);
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (page));
    gtk_window_set_child (GTK_WINDOW (window), box);
    gtk_window_set_default_size (GTK_WINDOW (window), 1400, 940);
    gtk_window_present (GTK_WINDOW (window));
    sq_tune_page_set_analysis (page, analysis);
    round_trip (analysis, 7);
    figures = SQ_FIGURES (gtk_widget_get_template_child (GTK_WIDGET (page), SQ_TYPE_TUNE_PAGE,
                                                         "figures"));
    for (int c = 0; c < 3; c++)
      charts[c] = SQ_CHART (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                           SQ_TYPE_TUNE_PAGE, names[c]));
    gtk_test_widget_wait_for_draw (window);

    /* A change made to a window at rest, as a click or a key press makes it: the frame
     * showing the previous result has been painted. */
    for (int i = 0; i < RUNS; i++)
      {
        settle (window);
        t[i] = round_trip (analysis, 4 + (guint) i % 8);
      }
    ok &= bench_report ("bit-width change at rest, set → updated", bench_median (t, RUNS),
                        SHOWN_MS);
    /* Changes back to back (a held key): each result also waits for the frame painting the
     * one before, so this is bounded by the renderer's paint of the whole page (llvmpipe
     * under Xvfb with GL); held to the same target. */
    for (int i = 0; i < RUNS; i++)
      t[i] = round_trip (analysis, 4 + (guint) i % 8);
    ok &= bench_report ("bit-width change back to back, set → updated", bench_median (t, RUNS),
                        SHOWN_MS);

    for (int i = 0; i < RUNS; i++)
      {
        const SqAnalysisResult *r = sq_analysis_get_result (analysis);
        double t0 = bench_now_ms ();

        sq_figures_set_result (figures, r);
        sq_plots_show_values (charts[0], r);
        sq_plots_show_errors (charts[1], r);
        sq_plots_show_neurons (charts[2], r);
        /* Our own drawing: the three charts at their size on the page (GTK draws the
         * standard widgets around them). */
        for (int c = 0; c < 3; c++)
          {
            int w = gtk_widget_get_width (GTK_WIDGET (charts[c]));
            int h = gtk_widget_get_height (GTK_WIDGET (charts[c]));
            cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
            cairo_t *cr = cairo_create (surface);

            sq_chart_render (charts[c], cr, w, h);
            cairo_destroy (cr);
            cairo_surface_destroy (surface);
          }
        t[i] = bench_now_ms () - t0;
      }
    ok &= bench_report ("main thread: apply result + draw the 3 charts", bench_median (t, RUNS), FRAME_MS);
    gtk_window_destroy (GTK_WINDOW (window));
  }

  ok &= bench_sim_charts ();

  return ok ? 0 : 1;
}
