/* test-chart.c: SqAxis mapping and ticks; SqChart drawing, read-out and export
 *
 * The pixel tests render the chart offscreen with the cairo renderer and compare colours with
 * a tolerance (fonts and antialiasing differ between machines); positions come from the chart's
 * own data → pixel mapping, which the tests check against the drawn pixels.
 *
 * One program for one module, so longer than most: the axes, every layer kind and a layer defined
 * here share one fixture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "sq-chart.h"
#include "sq-test-ui.h"

#define MINUS "\xe2\x88\x92"
#define THIN_SPACE "\xe2\x80\xaf"

/* ---------------------------------------------------------------------------------------- */
/* SqAxis                                                                                    */

static void
test_axis_round_trip (void)
{
  g_autoptr(SqAxis) axis = sq_axis_new ();
  static const double values[] = { -2.0, -1.5, 0.0, 0.1, 2.0, 5.999, 6.0, 10.0 };

  sq_axis_set_range (axis, -2.0, 6.0);
  g_assert_false (sq_axis_is_pathological (axis));
  g_assert_cmpfloat (sq_axis_normalize (axis, -2.0), ==, 0.0);
  g_assert_cmpfloat (sq_axis_normalize (axis, 6.0), ==, 1.0);
  /* (2 − (−2)) / 8 = 0.5; (10 + 2) / 8 = 1.5: outside the range maps outside [0, 1] */
  g_assert_cmpfloat (sq_axis_normalize (axis, 2.0), ==, 0.5);
  g_assert_cmpfloat (sq_axis_normalize (axis, 10.0), ==, 1.5);
  g_assert_cmpfloat (sq_axis_denormalize (axis, 0.25), ==, 0.0);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat_with_epsilon (sq_axis_denormalize (axis, sq_axis_normalize (axis, values[i])),
                                    values[i], 1e-12);
  g_assert_true (isnan (sq_axis_normalize (axis, NAN)));
}

static void
test_axis_log (void)
{
  g_autoptr(SqAxis) axis = sq_axis_new ();

  sq_axis_set_range (axis, 0.0, 999.0);
  sq_axis_set_logarithmic (axis, TRUE);
  g_assert_true (sq_axis_get_logarithmic (axis));
  /* log1p: 0 → 0, 999 → log 1000, 9 → log 10 = a third of log 1000, 99 → two thirds */
  g_assert_cmpfloat (sq_axis_normalize (axis, 0.0), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, 999.0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, 9.0), 1.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, 99.0), 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sq_axis_denormalize (axis, 1.0 / 3.0), 9.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sq_axis_denormalize (axis, sq_axis_normalize (axis, 1.0)),
                                  1.0, 1e-12);

  /* Odd around 0: [−99, 99] puts −9 at (1 − 1/2) / 2 = 0.25 */
  sq_axis_set_range (axis, -99.0, 99.0);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, -9.0), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, 0.0), 0.5, 1e-12);

  /* Back to linear */
  sq_axis_set_logarithmic (axis, FALSE);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, -9.0), 90.0 / 198.0, 1e-12);
}

static void
test_axis_pathological (void)
{
  g_autoptr(SqAxis) axis = sq_axis_new ();
  double lo, hi;

  /* All weights equal 3: widened by a tenth either side */
  sq_axis_set_range (axis, 3.0, 3.0);
  g_assert_true (sq_axis_is_pathological (axis));
  sq_axis_get_effective_range (axis, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (lo, 2.7, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 3.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, 3.0), 0.5, 1e-12);
  g_assert_cmpfloat (sq_axis_get_lower (axis), ==, 3.0);
  g_assert_cmpfloat (sq_axis_get_upper (axis), ==, 3.0);

  /* All zero: one unit either side */
  sq_axis_set_range (axis, 0.0, 0.0);
  g_assert_true (sq_axis_is_pathological (axis));
  sq_axis_get_effective_range (axis, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -1.0);
  g_assert_cmpfloat (hi, ==, 1.0);
  g_assert_cmpfloat (sq_axis_normalize (axis, 0.0), ==, 0.5);

  /* Reversed: swapped */
  sq_axis_set_range (axis, 5.0, 1.0);
  g_assert_true (sq_axis_is_pathological (axis));
  g_assert_cmpfloat (sq_axis_normalize (axis, 1.0), ==, 0.0);
  g_assert_cmpfloat (sq_axis_normalize (axis, 5.0), ==, 1.0);

  /* Not finite, or too wide for a double: [0, 1] */
  sq_axis_set_range (axis, NAN, 1.0);
  g_assert_true (sq_axis_is_pathological (axis));
  g_assert_cmpfloat (sq_axis_normalize (axis, 0.5), ==, 0.5);
  sq_axis_set_range (axis, -INFINITY, INFINITY);
  g_assert_true (sq_axis_is_pathological (axis));
  g_assert_cmpfloat (sq_axis_normalize (axis, 0.25), ==, 0.25);
  sq_axis_set_range (axis, -G_MAXDOUBLE, G_MAXDOUBLE);
  g_assert_true (sq_axis_is_pathological (axis));
  g_assert_cmpfloat (sq_axis_normalize (axis, 1.0), ==, 1.0);

  /* And log mode on a degenerate range still maps finitely */
  sq_axis_set_range (axis, 0.0, 0.0);
  sq_axis_set_logarithmic (axis, TRUE);
  g_assert_cmpfloat_with_epsilon (sq_axis_normalize (axis, 0.0), 0.5, 1e-12);
}

typedef struct {
  double lo;
  double hi;
  gboolean log;
  guint max_ticks;
  guint n;
  double ticks[8];
} TickCase;

static void
test_axis_ticks (void)
{
  static const TickCase cases[] = {
    /* span 1 / 6 → step 0.2 */
    { 0.0, 1.0, FALSE, 6, 6, { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 } },
    /* 0.001 → 41, 0.002 → 21, 0.005 → 8 ticks, all more than 5; 0.01 → 4 */
    { -0.013, 0.027, FALSE, 5, 4, { -0.01, 0.0, 0.01, 0.02 } },
    /* 100 → 13, 200 → 7, 500 → 3 */
    { 0.0, 1234.0, FALSE, 5, 3, { 0.0, 500.0, 1000.0 } },
    /* all equal 3 → [2.7, 3.3]; 0.1 → 7 ticks, 0.2 → 3 */
    { 3.0, 3.0, FALSE, 5, 3, { 2.8, 3.0, 3.2 } },
    /* a negative range: 0.5 → 2.5 / 0.5 + 1 = 6 ticks, too many; 1 → 3 */
    { -3.2, -0.7, FALSE, 4, 3, { -3.0, -2.0, -1.0 } },
    /* counts on a log axis: 0 and the powers of ten */
    { 0.0, 20000.0, TRUE, 8, 6, { 0.0, 1.0, 10.0, 100.0, 1000.0, 10000.0 } },
    /* too many decades for 4 ticks: every other one */
    { 0.0, 20000.0, TRUE, 4, 4, { 0.0, 1.0, 100.0, 10000.0 } },
    /* a log axis over less than two decades is ticked linearly: 2 → 6 ticks, 5 → 3 */
    { 0.0, 12.0, TRUE, 4, 3, { 0.0, 5.0, 10.0 } },
    /* symmetric log */
    { -150.0, 150.0, TRUE, 8, 7, { -100.0, -10.0, -1.0, 0.0, 1.0, 10.0, 100.0 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(SqAxis) axis = sq_axis_new ();
      double ticks[16];
      guint n;

      sq_axis_set_range (axis, cases[c].lo, cases[c].hi);
      sq_axis_set_logarithmic (axis, cases[c].log);
      n = sq_axis_ticks (axis, ticks, cases[c].max_ticks);
      g_test_message ("case %u: [%g, %g] log %d: %u ticks", c, cases[c].lo, cases[c].hi,
                      cases[c].log, n);
      g_assert_cmpuint (n, ==, cases[c].n);
      for (guint i = 0; i < n; i++)
        {
          /* Exactly the double nearest the decimal, so labels read "0.6", not "0.6000001". */
          g_assert_cmpfloat (ticks[i], ==, cases[c].ticks[i]);
          g_assert_false (signbit (ticks[i]) && !(ticks[i] < 0.0));   /* never −0 */
        }
    }

  /* No room: nothing, and nothing written */
  {
    g_autoptr(SqAxis) axis = sq_axis_new ();

    g_assert_cmpuint (sq_axis_ticks (axis, NULL, 0), ==, 0);
  }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_axis_notify (void)
{
  SqAxis *axis = sq_axis_new ();
  guint lower = 0, upper = 0, logarithmic = 0;

  g_signal_connect (axis, "notify::lower", G_CALLBACK (count_notify), &lower);
  g_signal_connect (axis, "notify::upper", G_CALLBACK (count_notify), &upper);
  g_signal_connect (axis, "notify::logarithmic", G_CALLBACK (count_notify), &logarithmic);

  sq_axis_set_range (axis, 0.0, 1.0);   /* the default */
  g_assert_cmpuint (lower, ==, 0);
  g_assert_cmpuint (upper, ==, 0);
  sq_axis_set_range (axis, 0.0, 2.0);
  g_assert_cmpuint (lower, ==, 0);
  g_assert_cmpuint (upper, ==, 1);
  sq_axis_set_range (axis, 0.0, 2.0);
  g_assert_cmpuint (upper, ==, 1);
  sq_axis_set_range (axis, -1.0, 3.0);
  g_assert_cmpuint (lower, ==, 1);
  g_assert_cmpuint (upper, ==, 2);
  sq_axis_set_range (axis, NAN, 3.0);
  sq_axis_set_range (axis, NAN, 3.0);   /* NaN is "the same" as NaN here */
  g_assert_cmpuint (lower, ==, 2);
  g_object_set (axis, "upper", 4.0, NULL);
  g_assert_cmpuint (upper, ==, 3);
  g_assert_cmpfloat (sq_axis_get_upper (axis), ==, 4.0);

  sq_axis_set_logarithmic (axis, TRUE);
  sq_axis_set_logarithmic (axis, TRUE);
  g_assert_cmpuint (logarithmic, ==, 1);
  sq_axis_set_logarithmic (axis, FALSE);
  g_assert_cmpuint (logarithmic, ==, 2);

  g_assert_finalize_object (axis);
}

/* ---------------------------------------------------------------------------------------- */
/* SqChart fixtures                                                                          */

#define WIDTH  640
#define HEIGHT 360

/* lo = −1, hi = 1, 8 bins of 0.25: counts 0, 10, 100, 1000, 0, 50, 5, 0 */
static const guint64 bin_counts[8] = { 0, 10, 100, 1000, 0, 50, 5, 0 };

static void
fill_histogram (SqHistogram *hist)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_histogram_init (hist, -1.0, 1.0, 8, &error));
  g_assert_no_error (error);
  for (guint b = 0; b < 8; b++)
    {
      double v = -1.0 + 0.25 * b + 0.125;   /* the bin's centre */

      for (guint64 k = 0; k < bin_counts[b]; k++)
        sq_histogram_add (hist, &v, 1);
    }
  for (guint b = 0; b < 8; b++)
    g_assert_cmpuint (hist->counts[b], ==, bin_counts[b]);
}

typedef struct {
  GtkWidget *window;
  SqChart   *chart;
} Fixture;

static gboolean
chart_allocated (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_width (GTK_WIDGET (f->chart)) == WIDTH
         && gtk_widget_get_height (GTK_WIDGET (f->chart)) == HEIGHT;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  SqHistogram hist;

  /* Both referenced here, so the teardown can check that they are finalized. */
  f->window = g_object_ref_sink (gtk_window_new ());
  gtk_window_set_decorated (GTK_WINDOW (f->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), WIDTH, HEIGHT);
  f->chart = g_object_ref_sink (SQ_CHART (sq_chart_new ()));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->chart));
  fill_histogram (&hist);
  sq_chart_set_histogram (f->chart, &hist);
  sq_histogram_clear (&hist);
  sq_test_present (GTK_WINDOW (f->window));
  g_assert_true (sq_test_wait_until (chart_allocated, f, 5000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  guint n = sq_chart_get_n_layers (f->chart);
  g_autofree gpointer *layers = g_new0 (gpointer, n);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* The layers a test left in the chart go with it. */
  for (guint i = 0; i < n; i++)
    g_set_weak_pointer (&layers[i], sq_chart_get_layer (f->chart, i));
  sq_test_finalize_window (f->window);
  sq_test_assert_finalized (f->chart);
  for (guint i = 0; i < n; i++)
    g_assert_null (layers[i]);
}

/* Renders the window (its background and the chart on it) and reads its pixels. */
static void
render (Fixture     *f,
        SqTestImage *image)
{
  GdkTexture *texture;

  gtk_test_widget_wait_for_draw (f->window);
  texture = sq_test_render_widget (f->window);
  sq_test_image_init (image, texture);
  g_assert_finalize_object (texture);
}

static int
color_distance (const guint8   rgb[3],
                const GdkRGBA *color)
{
  int d = 0;

  d = MAX (d, abs (rgb[0] - (int) round (color->red * 255)));
  d = MAX (d, abs (rgb[1] - (int) round (color->green * 255)));
  d = MAX (d, abs (rgb[2] - (int) round (color->blue * 255)));
  return d;
}

static int
pixel_distance (const guint8 a[3],
                const guint8 b[3])
{
  return MAX (MAX (abs (a[0] - b[0]), abs (a[1] - b[1])), abs (a[2] - b[2]));
}

static double
luminance (const guint8 rgb[3])
{
  return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255.0;
}

static void
style_color (SqChart    *chart,
             const char *name,
             GdkRGBA    *rgba)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (chart)),
                                                 name, rgba));
G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
to_pixel (SqChart *chart,
          double   x,
          double   y,
          int     *px,
          int     *py)
{
  double wx, wy;

  g_assert_true (sq_chart_data_to_widget (chart, x, y, &wx, &wy));
  if (px != NULL)
    *px = (int) floor (wx);
  if (py != NULL)
    *py = (int) floor (wy);
}

/* Height in pixels of the bar-coloured run up from just above the baseline at column @x. */
static int
bar_height (const SqTestImage *image,
            SqChart           *chart,
            int                x,
            const GdkRGBA     *bar)
{
  graphene_rect_t plot;
  int bottom, h = 0;

  g_assert_true (sq_chart_get_plot_area (chart, &plot));
  bottom = (int) (plot.origin.y + plot.size.height) - 1;   /* the baseline is just below */
  for (int y = bottom; y >= plot.origin.y; y--)
    {
      guint8 rgb[3];

      sq_test_image_rgb (image, x, y, rgb);
      if (color_distance (rgb, bar) > 12)
        break;
      h++;
    }
  return h;
}

/* ---------------------------------------------------------------------------------------- */
/* SqChart                                                                                   */

static void
test_chart_bars (Fixture       *f,
                 gconstpointer  data)
{
  SqTestImage image;
  GdkRGBA bar;
  graphene_rect_t plot;
  int base;

  style_color (f->chart, "accent_bg_color", &bar);
  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  g_assert_cmpfloat (plot.size.width, >, 300);
  g_assert_cmpfloat (plot.size.height, >, 180);
  to_pixel (f->chart, 0.0, 0.0, NULL, &base);
  render (f, &image);

  for (guint b = 0; b < 8; b++)
    {
      int x, top, h;

      to_pixel (f->chart, -1.0 + 0.25 * b + 0.125, bin_counts[b], &x, &top);
      h = bar_height (&image, f->chart, x, &bar);
      g_test_message ("bin %u: count %" G_GUINT64_FORMAT ", bar %d px, expected %d", b,
                      bin_counts[b], h, base - top);
      if (bin_counts[b] == 0)
        g_assert_cmpint (h, ==, 0);
      else
        {
          /* Linear: 1000 → the full height less 5 % headroom; 5 → still at least 2 px here */
          g_assert_cmpint (h, >=, 1);
          g_assert_cmpint (abs (h - MAX (base - top, 1)), <=, 1);
        }
    }
  /* 1000 / 1050 of the plot's height */
  {
    int x, top;

    to_pixel (f->chart, -0.125, 1000.0, &x, &top);
    g_assert_cmpint (abs ((base - top) - (int) round (plot.size.height * 1000.0 / 1050.0)), <=, 1);
  }
  sq_test_image_clear (&image);
}

static void
test_chart_log_scale (Fixture       *f,
                      gconstpointer  data)
{
  SqTestImage linear, logarithmic;
  GdkRGBA bar;
  int x10, x1000, h10_lin, h1000_lin, h10_log, h1000_log;
  graphene_rect_t plot;

  style_color (f->chart, "accent_bg_color", &bar);
  to_pixel (f->chart, -0.625, 0.0, &x10, NULL);
  to_pixel (f->chart, -0.125, 0.0, &x1000, NULL);
  render (f, &linear);
  h10_lin = bar_height (&linear, f->chart, x10, &bar);
  h1000_lin = bar_height (&linear, f->chart, x1000, &bar);

  sq_chart_set_log_scale (f->chart, TRUE);
  g_assert_true (sq_axis_get_logarithmic (sq_chart_get_y_axis (f->chart)));
  render (f, &logarithmic);
  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  h10_log = bar_height (&logarithmic, f->chart, x10, &bar);
  h1000_log = bar_height (&logarithmic, f->chart, x1000, &bar);
  g_test_message ("10: %d → %d px; 1000: %d → %d px", h10_lin, h10_log, h1000_lin, h1000_log);

  /* Linear: 10 is a hundredth of 1000. Log: log 11 / log 1001 = 0.347 of it; the top has
   * 5 % headroom in log space, so 1000 spans 1 / 1.05 of the height either way. */
  g_assert_cmpint (abs (h10_lin - (int) round (h1000_lin * 0.01)), <=, 2);
  g_assert_cmpint (abs (h1000_log - h1000_lin), <=, 2);
  g_assert_cmpint (abs (h10_log - (int) round (h1000_log * log (11.0) / log (1001.0))), <=, 2);
  g_assert_cmpint (h10_log, >, 5 * h10_lin);
  sq_test_image_clear (&linear);
  sq_test_image_clear (&logarithmic);
}

static void
test_chart_vline (Fixture       *f,
                  gconstpointer  data)
{
  SqTestImage image;
  GdkRGBA error;
  double wx;
  int y, found = 0;
  graphene_rect_t plot;

  sq_chart_add_vline (f->chart, 0.3, SQ_CHART_COLOR_ERROR, FALSE, NULL);
  style_color (f->chart, "error_color", &error);
  g_assert_true (sq_chart_data_to_widget (f->chart, 0.3, 0.0, &wx, NULL));
  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  render (f, &image);

  /* Every error-coloured pixel of a row through the plot is within a pixel of the value. */
  for (int k = 1; k <= 3; k++)
    {
      y = (int) (plot.origin.y + plot.size.height * k / 4.0);
      for (int x = (int) plot.origin.x; x < plot.origin.x + plot.size.width; x++)
        {
          guint8 rgb[3];

          sq_test_image_rgb (&image, x, y, rgb);
          if (color_distance (rgb, &error) <= 16)
            {
              g_assert_cmpfloat (fabs (x + 0.5 - wx), <=, 1.0);
              found++;
            }
        }
    }
  g_assert_cmpint (found, >=, 3);
  sq_test_image_clear (&image);
}

static void
test_chart_shade (Fixture       *f,
                  gconstpointer  data)
{
  SqTestImage plain, shaded;
  graphene_rect_t plot;
  int y, x_out_left, x_out_right, x_in;

  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  y = (int) plot.origin.y + 3;   /* above every bar */
  to_pixel (f->chart, -0.75, 0.0, &x_out_left, NULL);
  to_pixel (f->chart, 0.8, 0.0, &x_out_right, NULL);
  to_pixel (f->chart, 0.1, 0.0, &x_in, NULL);
  render (f, &plain);
  sq_chart_set_shade_outside (f->chart, -0.5, 0.5);
  render (f, &shaded);

  {
    int xs[] = { x_out_left, x_out_right };

    for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
      {
        guint8 a[3], b[3];

        sq_test_image_rgb (&plain, xs[i], y, a);
        sq_test_image_rgb (&shaded, xs[i], y, b);
        /* Tinted towards red: less green and blue than before, red about the same */
        g_assert_cmpint (b[1], <, a[1] - 8);
        g_assert_cmpint (b[2], <, a[2] - 8);
        g_assert_cmpint (b[0] - b[1], >, a[0] - a[1] + 8);
      }
  }
  for (int x = x_in - 20; x <= x_in + 20; x++)
    {
      guint8 a[3], b[3];

      sq_test_image_rgb (&plain, x, y, a);
      sq_test_image_rgb (&shaded, x, y, b);
      g_assert_cmpint (pixel_distance (a, b), <=, 2);
    }
  /* Turned off again */
  sq_chart_set_shade_outside (f->chart, NAN, NAN);
  sq_test_image_clear (&shaded);
  render (f, &shaded);
  {
    guint8 a[3], b[3];

    sq_test_image_rgb (&plain, x_out_left, y, a);
    sq_test_image_rgb (&shaded, x_out_left, y, b);
    g_assert_cmpint (pixel_distance (a, b), <=, 2);
  }
  sq_test_image_clear (&plain);
  sq_test_image_clear (&shaded);
}

static void
test_chart_grid (Fixture       *f,
                 gconstpointer  data)
{
  SqTestImage plain, sparse, dense;
  double levels[9], fine[801];
  graphene_rect_t plot;
  int y;

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    levels[i] = -1.0 + 0.25 * i;
  /* 801 levels 0.0025 apart: 400 px of plot give 1.2 px between them */
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    fine[i] = -1.0 + 0.0025 * i;

  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  y = (int) plot.origin.y + 3;
  render (f, &plain);
  sq_chart_set_grid (f->chart, levels, G_N_ELEMENTS (levels));
  render (f, &sparse);
  sq_chart_set_grid (f->chart, fine, G_N_ELEMENTS (fine));
  render (f, &dense);

  for (guint i = 1; i + 1 < G_N_ELEMENTS (levels); i++)
    {
      int x;
      guint8 a[3], b[3];

      to_pixel (f->chart, levels[i], 0.0, &x, NULL);
      sq_test_image_rgb (&plain, x, y, a);
      sq_test_image_rgb (&sparse, x, y, b);
      g_assert_cmpint (pixel_distance (a, b), >=, 20);
      /* and only there: the column halfway to the next level is untouched */
      to_pixel (f->chart, levels[i] + 0.125, 0.0, &x, NULL);
      sq_test_image_rgb (&plain, x, y, a);
      sq_test_image_rgb (&sparse, x, y, b);
      g_assert_cmpint (pixel_distance (a, b), <=, 2);
    }
  /* Too dense: nothing at all, anywhere in the plot */
  for (int yy = (int) plot.origin.y; yy < plot.origin.y + plot.size.height; yy += 7)
    for (int x = (int) plot.origin.x; x < plot.origin.x + plot.size.width; x++)
      {
        guint8 a[3], b[3];

        sq_test_image_rgb (&plain, x, yy, a);
        sq_test_image_rgb (&dense, x, yy, b);
        g_assert_cmpint (pixel_distance (a, b), <=, 2);
      }
  sq_test_image_clear (&plain);
  sq_test_image_clear (&sparse);
  sq_test_image_clear (&dense);
}

/* The brightest and darkest pixel left of the plot, where the y tick labels are. */
static void
tick_label_extremes (Fixture           *f,
                     const SqTestImage *image,
                     double            *lightest,
                     double            *darkest)
{
  graphene_rect_t plot;

  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  *lightest = 0.0;
  *darkest = 1.0;
  for (int y = (int) plot.origin.y; y < plot.origin.y + plot.size.height; y++)
    for (int x = 0; x < plot.origin.x - 2; x++)
      {
        guint8 rgb[3];

        sq_test_image_rgb (image, x, y, rgb);
        *lightest = MAX (*lightest, luminance (rgb));
        *darkest = MIN (*darkest, luminance (rgb));
      }
}

static void
test_chart_dark (Fixture       *f,
                 gconstpointer  data)
{
  SqTestImage light, dark;
  guint8 bg[3];
  double lightest, darkest;
  GdkRGBA bar;

  render (f, &light);
  sq_test_image_rgb (&light, 2, 2, bg);
  g_assert_cmpfloat (luminance (bg), >, 0.9);
  tick_label_extremes (f, &light, &lightest, &darkest);
  g_assert_cmpfloat (darkest, <, 0.4);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  render (f, &dark);
  sq_test_image_rgb (&dark, 2, 2, bg);
  g_assert_cmpfloat (luminance (bg), <, 0.2);
  tick_label_extremes (f, &dark, &lightest, &darkest);
  g_test_message ("dark: background %.2f, tick labels up to %.2f", luminance (bg), lightest);
  g_assert_cmpfloat (lightest, >, 0.6);

  /* The bars still have the style's colour */
  style_color (f->chart, "accent_bg_color", &bar);
  {
    int x;

    to_pixel (f->chart, -0.125, 0.0, &x, NULL);
    g_assert_cmpint (bar_height (&dark, f->chart, x, &bar), >, 100);
  }
  sq_test_save_screenshot (f->window, "chart-histogram-dark-plain");
  sq_test_image_clear (&light);
  sq_test_image_clear (&dark);
}

static void
test_chart_describe (Fixture       *f,
                     gconstpointer  data)
{
  graphene_rect_t plot;
  double wx, wy;
  g_autofree char *inside = NULL, *last = NULL, *above = NULL;

  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  wy = plot.origin.y + plot.size.height / 2.0;

  /* Bin 3 is [−0.25, 0) with 1000 weights; the text may sit anywhere over it */
  g_assert_true (sq_chart_data_to_widget (f->chart, -0.2, 0.0, &wx, NULL));
  inside = sq_chart_describe_at (f->chart, wx, wy);
  g_assert_cmpstr (inside, ==, "[" MINUS "0.25, 0.00): 1" THIN_SPACE "000 values");
  g_assert_true (sq_chart_data_to_widget (f->chart, 0.99, 0.0, &wx, NULL));
  last = sq_chart_describe_at (f->chart, wx, wy);
  g_assert_cmpstr (last, ==, "[0.75, 1.00]: 0 values");   /* the last bin holds hi */
  g_assert_true (sq_chart_data_to_widget (f->chart, 0.6, 0.0, &wx, NULL));
  above = sq_chart_describe_at (f->chart, wx, plot.origin.y + 1.0);
  g_assert_cmpstr (above, ==, "[0.50, 0.75): 5 values");

  /* Outside the plot, or outside the data in a plot widened for an overlay: nothing */
  g_assert_null (sq_chart_describe_at (f->chart, 1.0, 1.0));
  g_assert_null (sq_chart_describe_at (f->chart, plot.origin.x + plot.size.width / 2.0,
                                       plot.origin.y + plot.size.height + 3.0));
  sq_chart_add_vline (f->chart, 1.5, SQ_CHART_COLOR_WARNING, TRUE, "clip");
  g_assert_true (sq_chart_data_to_widget (f->chart, 1.2, 0.0, &wx, NULL));
  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  g_assert_cmpfloat (wx, <, plot.origin.x + plot.size.width);
  g_assert_null (sq_chart_describe_at (f->chart, wx, wy));

  /* A series: "neuron 2: −0.25", NaN is a gap */
  {
    static const double values[] = { 0.5, NAN, -0.25 };
    g_autofree char *first = NULL, *third = NULL;

    sq_chart_clear_overlays (f->chart);
    sq_chart_set_series (f->chart, values, G_N_ELEMENTS (values), "neuron");
    g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
    g_assert_true (sq_chart_data_to_widget (f->chart, 0.2, 0.0, &wx, NULL));
    first = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_cmpstr (first, ==, "neuron 0: 0.5");
    g_assert_true (sq_chart_data_to_widget (f->chart, 1.0, 0.0, &wx, NULL));
    g_assert_null (sq_chart_describe_at (f->chart, wx, wy));
    g_assert_true (sq_chart_data_to_widget (f->chart, 1.7, 0.0, &wx, NULL));
    third = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_cmpstr (third, ==, "neuron 2: " MINUS "0.25");
  }

  /* No data: nothing */
  sq_chart_set_histogram (f->chart, NULL);
  g_assert_null (sq_chart_describe_at (f->chart, plot.origin.x + 10, wy));
}

static void
test_chart_series_and_placeholder (Fixture       *f,
                                   gconstpointer  data)
{
  static const double values[] = { 3.0, -1.0, NAN, 2.0 };
  SqTestImage with_data, empty;
  GdkRGBA bar;
  int x, base, top, h;
  graphene_rect_t plot;

  style_color (f->chart, "accent_bg_color", &bar);
  sq_chart_set_series (f->chart, values, G_N_ELEMENTS (values), "neuron");
  /* x is the index, y spans the values and 0 */
  g_assert_cmpfloat (sq_axis_get_lower (sq_chart_get_x_axis (f->chart)), ==, -0.5);
  g_assert_cmpfloat (sq_axis_get_upper (sq_chart_get_x_axis (f->chart)), ==, 3.5);
  g_assert_cmpfloat (sq_axis_get_lower (sq_chart_get_y_axis (f->chart)), <, -1.0);
  g_assert_cmpfloat (sq_axis_get_upper (sq_chart_get_y_axis (f->chart)), >, 3.0);
  render (f, &with_data);

  /* Bar 0 grows up from 0 to 3 */
  to_pixel (f->chart, 0.0, 3.0, &x, &top);
  to_pixel (f->chart, 0.0, 0.0, NULL, &base);
  h = 0;
  for (int y = base - 1; y > top - 3; y--)
    {
      guint8 rgb[3];

      sq_test_image_rgb (&with_data, x, y, rgb);
      if (color_distance (rgb, &bar) <= 12)
        h++;
    }
  g_assert_cmpint (abs (h - (base - top)), <=, 1);
  /* Bar 1 grows down to −1; index 2 is a gap */
  {
    int y1, x2;
    guint8 rgb[3];

    to_pixel (f->chart, 1.0, -0.5, &x, &y1);
    sq_test_image_rgb (&with_data, x, y1, rgb);
    g_assert_cmpint (color_distance (rgb, &bar), <=, 12);
    to_pixel (f->chart, 2.0, 1.0, &x2, NULL);
    to_pixel (f->chart, 2.0, -0.5, NULL, &y1);
    sq_test_image_rgb (&with_data, x2, y1, rgb);
    g_assert_cmpint (color_distance (rgb, &bar), >, 60);
  }

  /* All NaN: no data, so the placeholder and no bars */
  {
    static const double nans[] = { NAN, NAN };

    sq_chart_set_placeholder (f->chart, "Open a network to see its weights");
    sq_chart_set_series (f->chart, nans, G_N_ELEMENTS (nans), NULL);
  }
  render (f, &empty);
  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  {
    double darkest = 1.0;
    int bars = 0;

    /* Text in the middle rows; nothing bar-coloured anywhere */
    for (int y = HEIGHT / 2 - 12; y < HEIGHT / 2 + 12; y++)
      for (int xx = 0; xx < WIDTH; xx++)
        {
          guint8 rgb[3];

          sq_test_image_rgb (&empty, xx, y, rgb);
          darkest = MIN (darkest, luminance (rgb));
        }
    for (int y = 0; y < HEIGHT; y += 3)
      for (int xx = 0; xx < WIDTH; xx += 3)
        {
          guint8 rgb[3];

          sq_test_image_rgb (&empty, xx, y, rgb);
          bars += color_distance (rgb, &bar) <= 12;
        }
    g_assert_cmpfloat (darkest, <, 0.6);
    g_assert_cmpint (bars, ==, 0);
  }
  sq_test_image_clear (&with_data);
  sq_test_image_clear (&empty);
}

static void
test_chart_properties (void)
{
  SqChart *chart = SQ_CHART (g_object_ref_sink (sq_chart_new ()));
  guint title = 0, log_scale = 0, x_label = 0, y_label = 0;
  int min, nat;

  g_signal_connect (chart, "notify::title", G_CALLBACK (count_notify), &title);
  g_signal_connect (chart, "notify::log-scale", G_CALLBACK (count_notify), &log_scale);
  g_signal_connect (chart, "notify::x-label", G_CALLBACK (count_notify), &x_label);
  g_signal_connect (chart, "notify::y-label", G_CALLBACK (count_notify), &y_label);

  sq_chart_set_title (chart, "Weights");
  sq_chart_set_title (chart, "Weights");
  g_assert_cmpuint (title, ==, 1);
  g_assert_cmpstr (sq_chart_get_title (chart), ==, "Weights");
  sq_chart_set_title (chart, NULL);
  g_assert_cmpuint (title, ==, 2);
  sq_chart_set_log_scale (chart, TRUE);
  sq_chart_set_log_scale (chart, TRUE);
  g_assert_cmpuint (log_scale, ==, 1);
  g_assert_true (sq_chart_get_log_scale (chart));
  g_object_set (chart, "x-label", "weight", "y-label", "count", NULL);
  g_object_set (chart, "x-label", "weight", NULL);
  g_assert_cmpuint (x_label, ==, 1);
  g_assert_cmpuint (y_label, ==, 1);
  g_assert_cmpstr (sq_chart_get_y_label (chart), ==, "count");

  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 240);
  g_assert_cmpint (nat, >=, min);
  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 160);
  g_assert_cmpint (nat, >=, min);
  g_assert_true (gtk_widget_get_hexpand (GTK_WIDGET (chart)));

  g_assert_finalize_object (chart);
}

/* ---------------------------------------------------------------------------------------- */
/* A new kind of chart from outside: a scatter layer defined here                            */

/* What issue 14 promises: a new chart kind is one SqChartLayer subclass, written against the
 * public layer API only (sq-chart-layer.h, sq-chart-context.h) and added with
 * sq_chart_add_layer(); the chart fits its axes around it, draws it on screen and in saved
 * files, asks it for the hover read-out, and owns it. */

#define SQ_TYPE_TEST_SCATTER (sq_test_scatter_get_type ())

G_DECLARE_FINAL_TYPE (SqTestScatter, sq_test_scatter, SQ, TEST_SCATTER, SqChartLayer)

#define SCATTER_RADIUS 4.5

struct _SqTestScatter
{
  SqChartLayer    parent_instance;

  double         *xy;        /* x0, y0, x1, y1, … */
  guint           n;
  SqChartExtents  extents;   /* cached when the points are set */
};

G_DEFINE_FINAL_TYPE (SqTestScatter, sq_test_scatter, SQ_TYPE_CHART_LAYER)

static gboolean
sq_test_scatter_has_data (SqChartLayer *layer)
{
  return SQ_TEST_SCATTER (layer)->n > 0;
}

static void
sq_test_scatter_get_extents (SqChartLayer   *layer,
                             SqChartExtents *extents)
{
  *extents = SQ_TEST_SCATTER (layer)->extents;
}

/* A dot of the style's success colour per point, in the clipped plot pass. */
static void
sq_test_scatter_render (SqChartLayer         *layer,
                        const SqChartContext *ctx,
                        cairo_t              *cr,
                        SqChartPass           pass)
{
  SqTestScatter *self = SQ_TEST_SCATTER (layer);

  if (pass != SQ_CHART_PASS_PLOT)
    return;
  sq_chart_set_source (cr, &ctx->palette->named[SQ_CHART_COLOR_SUCCESS], 1.0);
  for (guint i = 0; i < self->n; i++)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, sq_chart_context_x (ctx, self->xy[2 * i]),
                 sq_chart_context_y (ctx, self->xy[2 * i + 1]), SCATTER_RADIUS, 0.0, 2.0 * G_PI);
    }
  cairo_fill (cr);
}

/* The nearest point within 5 % of the points' spread (the layer sees data, not pixels). */
static char *
sq_test_scatter_describe_at (SqChartLayer *layer,
                             double        x,
                             double        y)
{
  SqTestScatter *self = SQ_TEST_SCATTER (layer);
  double sx = self->extents.x_hi - self->extents.x_lo;
  double sy = self->extents.y_hi - self->extents.y_lo;
  double best = 0.05;
  int nearest = -1;

  for (guint i = 0; i < self->n; i++)
    {
      double d = hypot ((x - self->xy[2 * i]) / (sx > 0.0 ? sx : 1.0),
                        (y - self->xy[2 * i + 1]) / (sy > 0.0 ? sy : 1.0));

      if (d < best)
        {
          best = d;
          nearest = (int) i;
        }
    }
  if (nearest < 0)
    return NULL;
  return g_strdup_printf ("point %d (%g, %g)", nearest, self->xy[2 * nearest],
                          self->xy[2 * nearest + 1]);
}

static void
sq_test_scatter_finalize (GObject *object)
{
  g_free (SQ_TEST_SCATTER (object)->xy);
  G_OBJECT_CLASS (sq_test_scatter_parent_class)->finalize (object);
}

static void
sq_test_scatter_class_init (SqTestScatterClass *klass)
{
  SqChartLayerClass *layer_class = SQ_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sq_test_scatter_finalize;
  layer_class->has_data = sq_test_scatter_has_data;
  layer_class->get_extents = sq_test_scatter_get_extents;
  layer_class->render = sq_test_scatter_render;
  layer_class->describe_at = sq_test_scatter_describe_at;
}

static void
sq_test_scatter_init (SqTestScatter *self)
{
}

/* @xy: @n points as x0, y0, x1, y1, …; copied */
static void
sq_test_scatter_set_points (SqTestScatter *self,
                            const double  *xy,
                            guint          n)
{
  g_free (self->xy);
  self->xy = g_memdup2 (xy, 2 * n * sizeof (double));
  self->n = n;
  self->extents = (SqChartExtents) { NAN, NAN, NAN, NAN, FALSE, SQ_CHART_FIT_LINES, FALSE, FALSE };
  for (guint i = 0; i < n; i++)
    sq_chart_extents_include (&self->extents, xy[2 * i], xy[2 * i + 1]);
  sq_chart_layer_changed (SQ_CHART_LAYER (self));
}

static SqChartLayer *
sq_test_scatter_new (const double *xy,
                     guint         n)
{
  SqTestScatter *self = g_object_new (SQ_TYPE_TEST_SCATTER, NULL);

  sq_test_scatter_set_points (self, xy, n);
  return SQ_CHART_LAYER (self);
}

/* Left of the histogram, above its tallest bar, right of it and below 0: the axes must grow
 * on all four sides. */
static const double scatter_points[] = { -1.5, 500.0, 0.5, 2000.0, 1.75, -200.0 };

static void
assert_axes (SqChart *chart,
             double   x_lo,
             double   x_hi,
             double   y_lo,
             double   y_hi)
{
  SqAxis *x = sq_chart_get_x_axis (chart), *y = sq_chart_get_y_axis (chart);

  g_test_message ("axes [%.17g, %.17g] × [%.17g, %.17g]", sq_axis_get_lower (x),
                  sq_axis_get_upper (x), sq_axis_get_lower (y), sq_axis_get_upper (y));
  g_assert_cmpfloat (sq_axis_get_lower (x), ==, x_lo);
  g_assert_cmpfloat (sq_axis_get_upper (x), ==, x_hi);
  g_assert_cmpfloat (sq_axis_get_lower (y), ==, y_lo);
  g_assert_cmpfloat (sq_axis_get_upper (y), ==, y_hi);
  g_assert_false (sq_axis_get_logarithmic (y));
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
test_chart_layer_extents (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SqChartLayer) scatter = sq_test_scatter_new (scatter_points, 3);
  SqChartLayer *bars = sq_chart_get_layer (f->chart, 0);

  /* The histogram alone: x [−1, 1]; y [0, 1000] and 5 % headroom */
  g_assert_cmpuint (sq_chart_get_n_layers (f->chart), ==, 1);
  g_assert_true (SQ_IS_CHART_BARS (bars));
  assert_axes (f->chart, -1.0, 1.0, 0.0, 1050.0);

  /* The union with the scatter on top: x [−1.5, 1.75] exactly (data, not marks); y [−200, 2000]
   * fitted as the bottom layer, the bars, asks: 2000 + 5 % of 2200 above, then 5 % of
   * [−200, 2110] below */
  sq_chart_add_layer (f->chart, scatter);
  g_assert_cmpuint (sq_chart_get_n_layers (f->chart), ==, 2);
  g_assert_true (sq_chart_get_layer (f->chart, 1) == scatter);
  assert_axes (f->chart, -1.5, 1.75, -315.5, 2110.0);

  /* Its data changed: the chart refits from the layer's new extents */
  {
    static const double inside[] = { -0.5, 100.0, 0.5, 300.0 };

    sq_test_scatter_set_points (SQ_TEST_SCATTER (scatter), inside, 2);
    assert_axes (f->chart, -1.0, 1.0, 0.0, 1050.0);
    sq_test_scatter_set_points (SQ_TEST_SCATTER (scatter), scatter_points, 3);
    assert_axes (f->chart, -1.5, 1.75, -315.5, 2110.0);
  }

  /* Removed: back to the histogram's own axes */
  sq_chart_remove_layer (f->chart, scatter);
  g_assert_cmpuint (sq_chart_get_n_layers (f->chart), ==, 1);
  assert_axes (f->chart, -1.0, 1.0, 0.0, 1050.0);

  /* At the bottom, the scatter chooses the fit: lines, 5 % of 2200 above and below */
  sq_chart_insert_layer (f->chart, scatter, 0);
  g_assert_true (sq_chart_get_layer (f->chart, 0) == scatter);
  g_assert_true (sq_chart_get_layer (f->chart, 1) == bars);
  assert_axes (f->chart, -1.5, 1.75, -310.0, 2110.0);

  /* The bars removed, the scatter alone */
  sq_chart_remove_layer (f->chart, bars);
  g_assert_cmpuint (sq_chart_get_n_layers (f->chart), ==, 1);
  assert_axes (f->chart, -1.5, 1.75, -310.0, 2110.0);
}

/* How far the colour of @image at data point (@x, @y), @dx pixels to the right, is from
 * @rgba (0 to 255, as color_distance()). */
static int
distance_at (SqChart           *chart,
             const SqTestImage *image,
             double             x,
             double             y,
             int                dx,
             const GdkRGBA     *rgba)
{
  guint8 rgb[3];
  int px, py;

  to_pixel (chart, x, y, &px, &py);
  sq_test_image_rgb (image, px + dx, py, rgb);
  return color_distance (rgb, rgba);
}

/* The dots where the chart maps two points, nothing where there is no point or beside a dot,
 * and the hover read-out names the nearest point, or the bars' bin away from the points. */
static void
test_chart_layer_render (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SqChartLayer) scatter = sq_test_scatter_new (scatter_points, 3);
  SqTestImage image;
  GdkRGBA success, bar;

  style_color (f->chart, "success_color", &success);
  style_color (f->chart, "accent_bg_color", &bar);
  sq_chart_add_layer (f->chart, scatter);
  render (f, &image);

  /* The x axis ends at the outer points, where the clipped plot pass cuts their dots in half:
   * look 2 px inwards there */
  g_assert_cmpint (distance_at (f->chart, &image, -1.5, 500.0, 2, &success), <=, 12);
  g_assert_cmpint (distance_at (f->chart, &image, 0.5, 2000.0, 0, &success), <=, 12);
  g_assert_cmpint (distance_at (f->chart, &image, 1.75, -200.0, -2, &success), <=, 12);
  /* A dot, not more: 10 px beside one, and a point-free spot, are not its colour */
  g_assert_cmpint (distance_at (f->chart, &image, -1.5, 500.0, 10, &success), >, 60);
  g_assert_cmpint (distance_at (f->chart, &image, 0.5, 2000.0, -10, &success), >, 60);
  g_assert_cmpint (distance_at (f->chart, &image, -1.25, 1500.0, 0, &success), >, 60);
  /* The bars below are still drawn: bin 3 holds 1000 */
  g_assert_cmpint (distance_at (f->chart, &image, -0.125, 500.0, 0, &bar), <=, 12);
  sq_test_image_clear (&image);

  /* Hover: the scatter is on top, so it answers at its points; elsewhere the bars do */
  {
    g_autofree char *at_point = NULL, *near_point = NULL, *at_bar = NULL, *empty = NULL;
    double wx, wy;

    g_assert_true (sq_chart_data_to_widget (f->chart, 0.5, 2000.0, &wx, &wy));
    at_point = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_cmpstr (at_point, ==, "point 1 (0.5, 2000)");
    g_assert_true (sq_chart_data_to_widget (f->chart, 1.7, -180.0, &wx, &wy));
    near_point = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_cmpstr (near_point, ==, "point 2 (1.75, -200)");
    g_assert_true (sq_chart_data_to_widget (f->chart, -0.2, 500.0, &wx, &wy));
    at_bar = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_cmpstr (at_bar, ==, "[" MINUS "0.25, 0.00): 1" THIN_SPACE "000 values");
    /* Left of the bins and far from every point: nobody answers */
    g_assert_true (sq_chart_data_to_widget (f->chart, -1.25, 1500.0, &wx, &wy));
    empty = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_null (empty);
  }

  sq_chart_set_title (f->chart, "A scatter layer over a histogram");
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-layer-scatter");
}

/* Whether an rgb(r%, g%, b%) colour within a step of @rgba is in @svg, as cairo writes them. */
static gboolean
svg_has_color (const char    *svg,
               const GdkRGBA *rgba)
{
  for (const char *p = strstr (svg, "rgb("); p != NULL; p = strstr (p + 4, "rgb("))
    {
      double r, g, b;

      if (sscanf (p + 4, " %lf%% , %lf%% , %lf%%", &r, &g, &b) == 3
          && fabs (r / 100.0 - rgba->red) < 1.5 / 255.0
          && fabs (g / 100.0 - rgba->green) < 1.5 / 255.0
          && fabs (b / 100.0 - rgba->blue) < 1.5 / 255.0)
        return TRUE;
    }
  return FALSE;
}

static char *make_temp_dir (void);

/* A saved PNG is the on-screen render, dots included; a saved SVG draws them in their colour,
 * which nothing else in the chart uses. */
static void
test_chart_layer_save (Fixture       *f,
                       gconstpointer  data)
{
  SqChartLayer *scatter = sq_test_scatter_new (scatter_points, 3);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *png = g_build_filename (dir, "scatter.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "scatter.svg", NULL);
  g_autofree char *with = NULL, *without = NULL;
  GdkTexture *texture;
  g_autoptr(GError) error = NULL;
  SqTestImage screen, saved;
  GdkRGBA success;
  int worst = 0, differ = 0;

  style_color (f->chart, "success_color", &success);
  sq_chart_set_title (f->chart, "Saved");
  sq_chart_add_layer (f->chart, scatter);
  render (f, &screen);

  g_assert_true (sq_chart_save (f->chart, png, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  sq_test_image_init (&saved, texture);
  g_assert_finalize_object (texture);
  g_assert_cmpint (saved.width, ==, screen.width);
  g_assert_cmpint (saved.height, ==, screen.height);
  for (int y = 0; y < saved.height; y++)
    for (int x = 0; x < saved.width; x++)
      {
        guint8 a[3], b[3];
        int d;

        sq_test_image_rgb (&screen, x, y, a);
        sq_test_image_rgb (&saved, x, y, b);
        d = pixel_distance (a, b);
        worst = MAX (worst, d);
        differ += d > 2;
      }
  g_test_message ("saved PNG vs screen: %d pixels differ, by up to %d", differ, worst);
  g_assert_cmpint (differ, ==, 0);
  g_assert_cmpint (distance_at (f->chart, &saved, -1.5, 500.0, 2, &success), <=, 12);
  g_assert_cmpint (distance_at (f->chart, &saved, 0.5, 2000.0, 0, &success), <=, 12);
  g_assert_cmpint (distance_at (f->chart, &saved, -1.25, 1500.0, 0, &success), >, 60);
  sq_test_image_clear (&screen);
  sq_test_image_clear (&saved);

  g_assert_true (sq_chart_save (f->chart, svg, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &with, NULL, &error));
  g_assert_no_error (error);
  sq_chart_remove_layer (f->chart, scatter);
  g_assert_true (sq_chart_save (f->chart, svg, WIDTH, HEIGHT, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &without, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (svg_has_color (with, &success));
  g_assert_false (svg_has_color (without, &success));

  g_assert_cmpint (g_unlink (png), ==, 0);
  g_assert_cmpint (g_unlink (svg), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_assert_finalize_object (scatter);
}

/* Removing a layer refits the axes (their notify signals) and redraws the chart: its widget
 * paintable is invalidated when the chart is drawn again, without a render from the test. */
static gboolean
counted_some (gpointer count)
{
  return *(guint *) count > 0;
}

/* What the chart last drew, as a new paintable of it shows it: nothing (%NULL) once the chart
 * has asked to be drawn again and until it is. */
static GskRenderNode *
last_drawn (SqChart *chart)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (GTK_WIDGET (chart));
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, WIDTH, HEIGHT);
  g_assert_finalize_object (paintable);
  return gtk_snapshot_free_to_node (snapshot);
}

/* Removing a layer refits the axes at once (their notify signals, the mapping) and drops what
 * the chart drew, before the main loop runs, so nothing else can have caused it; the next
 * frame redraws the chart without the dots. */
static void
test_chart_layer_remove (Fixture       *f,
                         gconstpointer  data)
{
  SqChartLayer *scatter = sq_test_scatter_new (scatter_points, 3);
  GdkPaintable *paintable = gtk_widget_paintable_new (GTK_WIDGET (f->chart));
  SqAxis *x_axis = sq_chart_get_x_axis (f->chart), *y_axis = sq_chart_get_y_axis (f->chart);
  guint redraws = 0, lower = 0, upper = 0;
  GskRenderNode *node;
  SqTestImage image;
  GdkRGBA success;
  double before, after;

  style_color (f->chart, "success_color", &success);
  sq_chart_add_layer (f->chart, scatter);
  gtk_test_widget_wait_for_draw (f->window);
  node = last_drawn (f->chart);
  g_assert_nonnull (node);
  gsk_render_node_unref (node);
  g_assert_true (sq_chart_data_to_widget (f->chart, 0.0, 0.0, &before, NULL));

  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (count_signal), &redraws);
  g_signal_connect (x_axis, "notify::lower", G_CALLBACK (count_notify), &lower);
  g_signal_connect (y_axis, "notify::upper", G_CALLBACK (count_notify), &upper);
  sq_chart_remove_layer (f->chart, scatter);
  g_assert_null (last_drawn (f->chart));
  g_assert_cmpuint (lower, ==, 1);
  g_assert_cmpuint (upper, ==, 1);
  assert_axes (f->chart, -1.0, 1.0, 0.0, 1050.0);
  g_assert_true (sq_chart_data_to_widget (f->chart, 0.0, 0.0, &after, NULL));
  /* x = 0 moved: [−1.5, 1.75] → [−1, 1] */
  g_assert_cmpfloat (fabs (after - before), >, 10.0);

  g_assert_true (sq_test_wait_until (counted_some, &redraws, 5000));
  render (f, &image);
  for (int y = 0; y < image.height; y += 2)
    for (int x = 0; x < image.width; x += 2)
      {
        guint8 rgb[3];

        sq_test_image_rgb (&image, x, y, rgb);
        g_assert_cmpint (color_distance (rgb, &success), >, 12);
      }
  sq_test_image_clear (&image);
  g_signal_handlers_disconnect_by_func (x_axis, count_notify, &lower);
  g_signal_handlers_disconnect_by_func (y_axis, count_notify, &upper);
  g_assert_finalize_object (paintable);
  g_assert_finalize_object (scatter);
}

/* The chart holds its layers: one handed over is finalized with the chart, one removed is
 * dropped at once, and one the caller keeps outlives the chart, its signal no longer
 * connected to it. */
static void
test_chart_layer_lifetime (void)
{
  SqChart *chart = SQ_CHART (g_object_ref_sink (sq_chart_new ()));
  SqChartLayer *owned = sq_test_scatter_new (scatter_points, 3);
  SqChartLayer *dropped = sq_test_scatter_new (scatter_points, 1);
  SqChartLayer *kept = sq_test_scatter_new (scatter_points, 2);
  gpointer owned_alive = owned, dropped_alive = dropped;

  g_object_add_weak_pointer (G_OBJECT (owned), &owned_alive);
  g_object_add_weak_pointer (G_OBJECT (dropped), &dropped_alive);
  sq_chart_add_layer (chart, owned);
  sq_chart_add_layer (chart, dropped);
  sq_chart_add_layer (chart, kept);
  g_object_unref (owned);
  g_object_unref (dropped);
  g_assert_cmpuint (sq_chart_get_n_layers (chart), ==, 3);

  /* Drawn once, offscreen, as a saved chart is */
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
    cairo_t *cr = cairo_create (surface);

    sq_chart_render (chart, cr, WIDTH, HEIGHT);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }

  sq_chart_remove_layer (chart, dropped);
  g_assert_null (dropped_alive);
  g_assert_nonnull (owned_alive);
  g_assert_cmpuint (sq_chart_get_n_layers (chart), ==, 2);

  g_assert_finalize_object (chart);
  g_assert_null (owned_alive);
  /* Its data changes with no chart to tell */
  sq_test_scatter_set_points (SQ_TEST_SCATTER (kept), scatter_points, 3);
  g_assert_finalize_object (kept);
}

/* ---------------------------------------------------------------------------------------- */
/* Export                                                                                    */

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sq-chart-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_chart_save (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *png2 = g_build_filename (dir, "chart@2x.PNG", NULL);
  g_autofree char *svg = g_build_filename (dir, "chart.svg", NULL);
  g_autofree char *jpg = g_build_filename (dir, "chart.jpg", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "chart.png", NULL);
  g_autofree char *contents = NULL;
  GdkTexture *texture;
  g_autoptr(GError) error = NULL;
  gsize length;

  sq_chart_set_title (f->chart, "Exported");
  sq_chart_add_vline (f->chart, 0.5, SQ_CHART_COLOR_ERROR, TRUE, "clip");

  g_assert_true (sq_chart_save (f->chart, png, 320, 200, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 200);
  g_assert_finalize_object (texture);

  /* At twice the scale: twice the pixels, and the bars are there (not a blank image) */
  g_assert_true (sq_chart_save_scaled (f->chart, png2, 320, 200, 2, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 400);
  {
    SqTestImage image;
    GdkRGBA bar;
    int bar_pixels = 0;

    style_color (f->chart, "accent_bg_color", &bar);
    sq_test_image_init (&image, texture);
    for (int y = 0; y < image.height; y += 2)
      for (int x = 0; x < image.width; x += 2)
        {
          guint8 rgb[3];

          sq_test_image_rgb (&image, x, y, rgb);
          bar_pixels += color_distance (rgb, &bar) <= 12;
        }
    g_assert_cmpint (bar_pixels, >, 1000);
    sq_test_image_clear (&image);
  }
  g_assert_finalize_object (texture);

  g_assert_true (sq_chart_save (f->chart, svg, 320, 200, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "width=\"320"));

  /* The export did not disturb the on-screen layout */
  {
    graphene_rect_t plot;

    g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
    g_assert_cmpfloat (plot.size.width, >, 400);
  }

  g_assert_false (sq_chart_save (f->chart, jpg, 320, 200, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "chart.jpg"));
  g_assert_nonnull (strstr (error->message, ".png or .svg"));
  g_clear_error (&error);
  g_assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));

  g_assert_false (sq_chart_save (f->chart, png, 0, 200, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (sq_chart_save (f->chart, missing, 320, 200, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  /* A folder nobody may write in: chmod does not stop root, /proc stops everyone */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
      g_autofree char *in_ro = g_build_filename (ro, "chart.svg", NULL);

      g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
      g_assert_false (sq_chart_save (f->chart, in_ro, 320, 200, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      g_clear_error (&error);
      g_assert_cmpuint (count_entries (ro), ==, 0);
      g_assert_cmpint (g_rmdir (ro), ==, 0);
    }
  g_assert_false (sq_chart_save (f->chart, "/proc/sq-chart-test.svg", 320, 200, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
  g_assert_nonnull (strstr (error->message, "/proc/sq-chart-test.svg"));
  g_clear_error (&error);

  /* Only the three charts written, no temporaries */
  g_assert_cmpuint (count_entries (dir), ==, 3);

  g_assert_cmpint (g_unlink (png), ==, 0);
  g_assert_cmpint (g_unlink (png2), ==, 0);
  g_assert_cmpint (g_unlink (svg), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_chart_menu (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *popover = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.menu", NULL));
  gtk_test_widget_wait_for_draw (f->window);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->chart)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

/* ---------------------------------------------------------------------------------------- */
/* Screenshot                                                                                */

/* A weight histogram as the app shows one: a bell of 20 000 weights, ±clip points, the spread
 * of per-channel clip points, the clipped regions shaded, and 4-bit quantization levels. */
static void
show_representative (SqChart *chart)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree double *w = g_new (double, 20000);
  g_autoptr(GError) error = NULL;
  SqHistogram hist;
  double levels[15];

  for (guint i = 0; i < 20000; i++)
    {
      /* Box–Muller, σ = 0.18 */
      double u = g_rand_double_range (rand, 1e-12, 1.0), v = g_rand_double (rand);

      w[i] = 0.18 * sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v) + 0.02;
    }
  g_assert_true (sq_histogram_init (&hist, -0.8, 0.8, 64, &error));
  g_assert_no_error (error);
  sq_histogram_add (&hist, w, 20000);
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    levels[i] = -0.5 + i * (1.0 / 14.0);

  sq_chart_set_title (chart, "Recurrent weights");
  sq_chart_set_x_label (chart, "Weight");
  sq_chart_set_y_label (chart, "Count");
  sq_chart_set_histogram (chart, &hist);
  sq_histogram_clear (&hist);
  sq_chart_add_vband (chart, 0.42, 0.56, SQ_CHART_COLOR_WARNING, "per-channel clips");
  sq_chart_add_vline (chart, -0.5, SQ_CHART_COLOR_ERROR, TRUE, "−clip");
  sq_chart_add_vline (chart, 0.5, SQ_CHART_COLOR_ERROR, TRUE, "+clip");
  sq_chart_add_vline (chart, 0.02, SQ_CHART_COLOR_FOREGROUND, FALSE, "mean");
  sq_chart_set_shade_outside (chart, -0.5, 0.5);
  sq_chart_set_grid (chart, levels, G_N_ELEMENTS (levels));
}

/* What the pointer does: motion to (@x, @y), or leaving the widget when @x is negative. */
static void
hover (SqChart *chart,
       double   x,
       double   y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));
  guint found = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        continue;
      if (x < 0.0)
        g_signal_emit_by_name (controller, "leave");
      else
        g_signal_emit_by_name (controller, "motion", x, y);
      found++;
    }
  g_assert_cmpuint (found, ==, 1);
}

static void
test_chart_screenshot (Fixture       *f,
                       gconstpointer  data)
{
  static const double thresholds[] = { 12, 15, 9, NAN, 14, 22, 18, 11, 7, 13, 16, 19, 10, 8,
                                       21, 17, 12, 15, 14, 20 };
  graphene_rect_t plot;
  double wx;

  show_representative (f->chart);
  gtk_test_widget_wait_for_draw (f->window);
  /* The labels of the overlays fit in the rows above the plot, and the plot is still large */
  g_assert_true (sq_chart_get_plot_area (f->chart, &plot));
  g_assert_cmpfloat (plot.size.height, >, HEIGHT / 2);
  g_assert_true (sq_chart_data_to_widget (f->chart, -0.8, 0.0, &wx, NULL));
  g_assert_cmpfloat (fabs (wx - plot.origin.x), <, 1e-9);
  sq_test_save_screenshot (f->window, "chart-histogram");

  /* Hover read-out over the tallest bins */
  {
    double wy = plot.origin.y + plot.size.height * 0.6;

    g_assert_true (sq_chart_data_to_widget (f->chart, 0.01, 0.0, &wx, NULL));
    {
      g_autofree char *text = sq_chart_describe_at (f->chart, wx, wy);

      g_assert_nonnull (text);
      g_assert_true (g_str_has_prefix (text, "[0.000, 0.025): "));
    }
    hover (f->chart, wx, wy);
    {
      SqTestImage image;
      guint8 rgb[3];

      /* The read-out box, dark like a tooltip, below right of the pointer */
      render (f, &image);
      sq_test_image_rgb (&image, (int) wx + 20, (int) wy + 20, rgb);
      g_assert_cmpfloat (luminance (rgb), <, 0.3);
      sq_test_image_clear (&image);
    }
    sq_test_save_screenshot (f->window, "chart-histogram-hover");
    hover (f->chart, -1.0, -1.0);
  }

  sq_chart_set_log_scale (f->chart, TRUE);
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-histogram-log");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  sq_chart_set_log_scale (f->chart, FALSE);
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-histogram-dark");

  sq_chart_clear_overlays (f->chart);
  sq_chart_set_title (f->chart, "Thresholds");
  sq_chart_set_x_label (f->chart, "Neuron");
  sq_chart_set_y_label (f->chart, "Threshold");
  sq_chart_set_series (f->chart, thresholds, G_N_ELEMENTS (thresholds), "neuron");
  sq_chart_add_hline (f->chart, 20.0, SQ_CHART_COLOR_WARNING, TRUE, "limit");
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-series-dark");

  sq_chart_set_series (f->chart, NULL, 0, NULL);
  sq_chart_set_placeholder (f->chart, "Open a network to see its thresholds");
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-placeholder-dark");
}

/* ---------------------------------------------------------------------------------------- */
/* Readable charts: tick labels, marks beyond the data, zeros                               */

/* Every tick label of @orientation lies inside the widget and clear of its neighbours. */
static void
assert_ticks_readable (SqChart        *chart,
                       GtkOrientation  orientation)
{
  g_autoptr(GArray) ticks = sq_chart_get_ticks (chart, orientation);
  int width = gtk_widget_get_width (GTK_WIDGET (chart));
  int height = gtk_widget_get_height (GTK_WIDGET (chart));

  g_assert_cmpuint (ticks->len, >=, 2);
  for (guint i = 0; i < ticks->len; i++)
    {
      const SqChartTick *t = &g_array_index (ticks, SqChartTick, i);
      const graphene_rect_t *r = &t->extents;

      g_test_message ("%s tick \"%s\" at %g: [%g, %g] × [%g, %g]",
                      orientation == GTK_ORIENTATION_HORIZONTAL ? "x" : "y", t->text, t->value,
                      r->origin.x, r->origin.x + r->size.width, r->origin.y,
                      r->origin.y + r->size.height);
      g_assert_cmpfloat (r->size.width, >, 0.0);
      g_assert_cmpfloat (r->origin.x, >=, 0.0);
      g_assert_cmpfloat (r->origin.x + r->size.width, <=, width);
      g_assert_cmpfloat (r->origin.y, >=, 0.0);
      g_assert_cmpfloat (r->origin.y + r->size.height, <=, height);
      if (i > 0)
        {
          const graphene_rect_t *prev = &g_array_index (ticks, SqChartTick, i - 1).extents;

          /* Ascending values: left to right on x, bottom to top on y. */
          if (orientation == GTK_ORIENTATION_HORIZONTAL)
            g_assert_cmpfloat (prev->origin.x + prev->size.width, <, r->origin.x);
          else
            g_assert_cmpfloat (r->origin.y + r->size.height, <=, prev->origin.y);
        }
    }
}

/* "100 000" at the right end fits in the widget; on the log count axis, 0 and 1 (12 px apart
 * at this height) do not both get a label. */
static void
test_chart_ticks_readable (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) xticks = NULL, yticks = NULL;
  SqHistogram hist;

  g_assert_true (sq_histogram_init (&hist, 0.0, 100000.0, 100, &error));
  for (guint b = 0; b < 100; b++)
    hist.counts[b] = b == 0 ? 1000000 : b;   /* up to a million: seven decades */
  hist.n = 1000000 + 4950;
  sq_chart_set_title (f->chart, "Thresholds");
  sq_chart_set_x_label (f->chart, "float value");
  sq_chart_set_y_label (f->chart, "count");
  sq_chart_set_histogram (f->chart, &hist);
  sq_histogram_clear (&hist);
  sq_chart_set_log_scale (f->chart, TRUE);
  gtk_test_widget_wait_for_draw (f->window);

  xticks = sq_chart_get_ticks (f->chart, GTK_ORIENTATION_HORIZONTAL);
  g_assert_cmpstr (g_array_index (xticks, SqChartTick, xticks->len - 1).text, ==,
                   "100\u202f000");
  yticks = sq_chart_get_ticks (f->chart, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpstr (g_array_index (yticks, SqChartTick, 0).text, ==, "0");
  g_assert_cmpfloat (g_array_index (yticks, SqChartTick, 1).value, >, 1.0);
  assert_ticks_readable (f->chart, GTK_ORIENTATION_HORIZONTAL);
  assert_ticks_readable (f->chart, GTK_ORIENTATION_VERTICAL);
  sq_test_save_screenshot (f->window, "chart-ticks-log");

  sq_chart_set_log_scale (f->chart, FALSE);
  gtk_test_widget_wait_for_draw (f->window);
  assert_ticks_readable (f->chart, GTK_ORIENTATION_HORIZONTAL);
  assert_ticks_readable (f->chart, GTK_ORIENTATION_VERTICAL);
}

static gboolean
chart_short (gpointer data)
{
  Fixture *f = data;

  gtk_test_widget_wait_for_draw (f->window);
  return gtk_widget_get_height (GTK_WIDGET (f->chart)) == 170;
}

/* A short raster over 4 096 neurons (a hidden layer's chart) still gets two y labels, not 0
 * alone: at two ticks per axis the step would be 5 000. */
static void
test_chart_ticks_short_raster (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree guint8 *counts = g_new0 (guint8, 10 * 4096);
  g_autofree guint32 *rows = g_new (guint32, 200);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) yticks = NULL;

  for (guint i = 0; i < 200; i++)
    rows[i] = i * 4096 / 200;
  counts[3 * 4096 + 4000] = 1;
  bytes = g_bytes_new_take (g_steal_pointer (&counts), 10 * 4096);
  sq_chart_set_title (f->chart, "Layer 1 events");
  sq_chart_set_x_label (f->chart, "step");
  sq_chart_set_raster (f->chart, bytes, 10, 4096, rows, 200, 4096, SQ_CHART_COLOR_WARNING,
                       "neuron");
  /* 170 px high, as a layer's chart on the Simulate page. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), WIDTH, 170);
  g_assert_true (sq_test_wait_until (chart_short, f, 5000));

  yticks = sq_chart_get_ticks (f->chart, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpuint (yticks->len, ==, 3);
  g_assert_cmpstr (g_array_index (yticks, SqChartTick, 0).text, ==, "0");
  g_assert_cmpstr (g_array_index (yticks, SqChartTick, 2).text, ==, "4000");
  assert_ticks_readable (f->chart, GTK_ORIENTATION_VERTICAL);
}

static SqChartOverlays *
overlays_of (SqChart *chart)
{
  SqChartLayer *top = sq_chart_get_layer (chart, sq_chart_get_n_layers (chart) - 1);

  g_assert_true (SQ_IS_CHART_OVERLAYS (top));
  return SQ_CHART_OVERLAYS (top);
}

/* Marks within a span of the data widen the x axis; a clip point 250 times further out is
 * an edge marker with its value, and the axis stays on the data. */
static void
test_chart_edge_markers (Fixture       *f,
                         gconstpointer  data)
{
  SqAxis *x = sq_chart_get_x_axis (f->chart);
  g_auto(GStrv) right = NULL, left = NULL;
  double lo, hi;

  /* The histogram spans [−1, 1]: marks may widen it to [−3, 3] */
  sq_chart_add_vline (f->chart, 1.5, SQ_CHART_COLOR_WARNING, TRUE, "fuzzy");
  sq_chart_add_vline (f->chart, -500.0, SQ_CHART_COLOR_ACCENT, FALSE, NULL);
  sq_chart_add_vline (f->chart, 500.0, SQ_CHART_COLOR_ACCENT, FALSE, "global");
  sq_chart_set_shade_outside (f->chart, -500.0, 500.0);
  sq_axis_get_effective_range (x, &lo, &hi);
  /* 1.5 is in, with 3 % of [−1, 1.5] room beyond it; ±500 are not, and the left edge, where
   * −500's marker goes, gets the same room */
  g_assert_cmpfloat (lo, ==, -1.0 - 0.03 * 2.5);
  g_assert_cmpfloat (hi, ==, 1.5 + 0.03 * 2.5);

  right = sq_chart_overlays_get_edge_labels (overlays_of (f->chart), x, GTK_PACK_END);
  left = sq_chart_overlays_get_edge_labels (overlays_of (f->chart), x, GTK_PACK_START);
  g_assert_cmpuint (g_strv_length (right), ==, 1);
  g_assert_cmpstr (right[0], ==, "global 500");
  g_assert_cmpuint (g_strv_length (left), ==, 1);
  g_assert_cmpstr (left[0], ==, "\u2212" "500");
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-edge-markers");

  /* At 2.5 the clip point is within reach again: drawn as a line, no edge marker */
  sq_chart_clear_overlays (f->chart);
  sq_chart_add_vline (f->chart, 2.5, SQ_CHART_COLOR_ACCENT, FALSE, "global");
  sq_axis_get_effective_range (x, &lo, &hi);
  g_assert_cmpfloat (hi, ==, 2.5 + 0.03 * 3.5);
  g_clear_pointer (&right, g_strfreev);
  right = sq_chart_overlays_get_edge_labels (overlays_of (f->chart), x, GTK_PACK_END);
  g_assert_cmpuint (g_strv_length (right), ==, 0);

  /* Without data, marks are all there is: the axis reaches them all */
  sq_chart_set_histogram (f->chart, NULL);
  sq_chart_add_vline (f->chart, 500.0, SQ_CHART_COLOR_ACCENT, FALSE, NULL);
  sq_axis_get_effective_range (x, &lo, &hi);
  g_assert_cmpfloat (hi, >=, 500.0);
}

/* A sparse histogram: the zeros are counted in the legend, or drawn as their own bar. */
static void
test_chart_zeros (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) legend = g_array_new (FALSE, FALSE, sizeof (SqChartLegendEntry));
  double values[1000];
  SqHistogram hist;
  SqChartBars *bars;
  double lo, hi;

  /* 990 zeros and ten weights from 0.1 to 1.0 */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = i % 100 == 99 ? 0.1 * (i / 100 + 1) : 0.0;
  g_assert_true (sq_histogram_init_nonzero (&hist, values, G_N_ELEMENTS (values), 9, &error));
  g_assert_cmpuint (hist.zeros, ==, 990);
  sq_chart_set_histogram (f->chart, &hist);
  sq_histogram_clear (&hist);
  bars = SQ_CHART_BARS (sq_chart_get_layer (f->chart, 0));

  /* The bars cover the weights, [0.1, 1.0], and nothing is drawn for the zeros */
  g_assert_cmpstr (sq_chart_bars_get_caption (bars), ==, "990 zeros left out");
  sq_chart_layer_collect_legend (SQ_CHART_LAYER (bars), legend);
  g_assert_cmpuint (legend->len, ==, 1);
  g_assert_cmpstr (g_array_index (legend, SqChartLegendEntry, 0).text, ==,
                   "990 zeros left out");
  g_assert_true (g_array_index (legend, SqChartLegendEntry, 0).caption);
  sq_axis_get_effective_range (sq_chart_get_x_axis (f->chart), &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.1);
  g_assert_cmpfloat (hi, ==, 1.0);
  sq_axis_get_effective_range (sq_chart_get_y_axis (f->chart), &lo, &hi);
  g_assert_cmpfloat (hi, <, 10.0);   /* two weights per bin at most, not 990 */
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-zeros-left-out");

  /* Shown: a bar one bin wide around 0, and the axes reach it */
  sq_chart_set_show_zeros (f->chart, TRUE);
  g_assert_cmpstr (sq_chart_bars_get_caption (bars), ==, "990 zeros (outlined)");
  sq_axis_get_effective_range (sq_chart_get_x_axis (f->chart), &lo, &hi);
  g_assert_cmpfloat (lo, ==, -0.05);
  sq_axis_get_effective_range (sq_chart_get_y_axis (f->chart), &lo, &hi);
  g_assert_cmpfloat (hi, >=, 990.0);
  {
    g_autofree char *text = NULL;
    double wx, wy;

    g_assert_true (sq_chart_data_to_widget (f->chart, 0.0, 500.0, &wx, &wy));
    text = sq_chart_describe_at (f->chart, wx, wy);
    g_assert_cmpstr (text, ==, "exactly 0: 990 values");
  }
  gtk_test_widget_wait_for_draw (f->window);
  sq_test_save_screenshot (f->window, "chart-zeros-shown");

  /* A new histogram keeps the chart's choice */
  g_assert_true (sq_histogram_init_nonzero (&hist, values, G_N_ELEMENTS (values), 9, &error));
  sq_chart_set_histogram (f->chart, &hist);
  sq_histogram_clear (&hist);
  g_assert_cmpstr (sq_chart_bars_get_caption (bars), ==, "990 zeros (outlined)");
  sq_chart_set_show_zeros (f->chart, FALSE);
  g_assert_cmpstr (sq_chart_bars_get_caption (bars), ==, "990 zeros left out");
}

/* Without a description of its own, a chart describes its data for screen readers. */
static void
test_chart_auto_description (Fixture       *f,
                             gconstpointer  data)
{
  static const double v[] = { -0.5, 0.25, 1.5 }, w[] = { 0.0, 2.0 };
  SqChartTrace traces[] = { { v, 3, SQ_CHART_COLOR_ACCENT, "float" },
                            { w, 2, SQ_CHART_COLOR_WARNING, "integer" } };
  static const guint32 rows[] = { 0, 2 };
  guint8 counts[4 * 3] = { 0 };
  g_autoptr(GBytes) bytes = g_bytes_new (counts, sizeof counts);

  /* The fixture's histogram: 1 165 values in [−1, 1] */
  g_assert_cmpstr (sq_chart_get_description (f->chart), ==,
                   "1\u202f165 values from \u22121 to 1");
  sq_chart_set_description (f->chart, "Weights: a few");
  g_assert_cmpstr (sq_chart_get_description (f->chart), ==, "Weights: a few");
  sq_chart_set_description (f->chart, NULL);
  g_assert_cmpstr (sq_chart_get_description (f->chart), ==,
                   "1\u202f165 values from \u22121 to 1");

  sq_chart_set_traces (f->chart, traces, G_N_ELEMENTS (traces));
  g_assert_cmpstr (sq_chart_get_description (f->chart), ==,
                   "2 traces over 3 steps, from \u22120.5 to 2");
  sq_chart_set_raster (f->chart, bytes, 4, 3, rows, 2, 3, SQ_CHART_COLOR_ACCENT, "neuron");
  g_assert_cmpstr (sq_chart_get_description (f->chart), ==, "2 of 3 rows over 4 steps");
  sq_chart_set_traces (f->chart, NULL, 0);
  sq_chart_set_placeholder (f->chart, "Run a simulation");
  g_assert_cmpstr (sq_chart_get_description (f->chart), ==, "Run a simulation");
}

int
main (int   argc,
      char *argv[])
{
  sq_test_ui_init (&argc, &argv);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/chart/axis/round-trip", test_axis_round_trip);
  g_test_add_func ("/chart/axis/log", test_axis_log);
  g_test_add_func ("/chart/axis/pathological", test_axis_pathological);
  g_test_add_func ("/chart/axis/ticks", test_axis_ticks);
  g_test_add_func ("/chart/axis/notify", test_axis_notify);
  g_test_add_func ("/chart/widget/properties", test_chart_properties);
  g_test_add_func ("/chart/layer/lifetime", test_chart_layer_lifetime);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/chart/render/bars", test_chart_bars);
  ADD ("/chart/render/log-scale", test_chart_log_scale);
  ADD ("/chart/render/vline", test_chart_vline);
  ADD ("/chart/render/shade", test_chart_shade);
  ADD ("/chart/render/grid", test_chart_grid);
  ADD ("/chart/render/dark", test_chart_dark);
  ADD ("/chart/render/series-and-placeholder", test_chart_series_and_placeholder);
  ADD ("/chart/describe", test_chart_describe);
  ADD ("/chart/save", test_chart_save);
  ADD ("/chart/menu", test_chart_menu);
  ADD ("/chart/screenshot", test_chart_screenshot);
  ADD ("/chart/layer/extents", test_chart_layer_extents);
  ADD ("/chart/layer/render", test_chart_layer_render);
  ADD ("/chart/layer/save", test_chart_layer_save);
  ADD ("/chart/layer/remove", test_chart_layer_remove);
  ADD ("/chart/ticks/readable", test_chart_ticks_readable);
  ADD ("/chart/ticks/short-raster", test_chart_ticks_short_raster);
  ADD ("/chart/marks/edge", test_chart_edge_markers);
  ADD ("/chart/zeros", test_chart_zeros);
  ADD ("/chart/auto-description", test_chart_auto_description);
#undef ADD
  return g_test_run ();
}
