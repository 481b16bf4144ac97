/* test-window-figures.c: the figures panel follows the selected group
 *
 * Every group of the Xylo-size example is selected in turn; the panel must show that group's
 * own figures (clipped, zeroed of its non-zero values, SQNR, max error; for dashes how many
 * became 0 or 15 and the error of the time constant), counted here from the floats, the
 * integers and the scales of a quantization made independently of the window. Every figure
 * has a tooltip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "sq-application.h"
#include "sq-figures.h"
#include "sq-test-pages.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-test-xylo.h"
#include "sq-tune-page.h"
#include "sq-window.h"

static SqApplication *app;

static const char * const all_figures[] = {
  "scale", "clip", "clipped", "zeroed", "dash-lo", "sqnr", "dash-hi", "max-error",
  "tau-error", "total-sqnr", "mode",
};

static const char * const decay_only[] = { "dash-lo", "dash-hi", "tau-error" };
static const char * const values_only[] = { "zeroed", "sqnr", "max-error" };

static gboolean
shown (SqFigures  *figures,
       const char *name)
{
  return gtk_widget_get_visible (sq_figures_get_label (figures, name, TRUE)) &&
         gtk_widget_get_visible (sq_figures_get_label (figures, name, FALSE));
}

/* The panel's count of a figure: the number its text starts with. */
static gsize
count_of (SqFigures  *figures,
          const char *name)
{
  return (gsize) sq_test_figure_value (figures, name);
}

/* Dashes: how many became 0 and 15, and the largest |τ(integer) / τ(float) − 1|. */
static void
dash_figures (const SqTensor *f,
              const SqTensor *q,
              gsize          *at_0,
              gsize          *at_15,
              double         *tau_error)
{
  *at_0 = *at_15 = 0;
  *tau_error = 0.0;
  for (gsize i = 0; i < f->n; i++)
    {
      double tau = sq_dash_tau_eff (f->data[i]);

      *at_0 += !(fabs (q->data[i]) > 0.0);
      *at_15 += !(q->data[i] < 15.0);
      if (tau > 0.0)
        *tau_error = MAX (*tau_error, fabs (sq_dash_tau_eff (q->data[i]) / tau - 1.0));
    }
}

static void
assert_group (SqFigures        *figures,
              const SqXyloSpec *spec,
              const SqQuantResult *res,
              SqParam           param)
{
  SqQuantFigures own;
  g_autofree char *zeroed = NULL;

  sq_test_xylo_group_figures (spec, res, param, &own);
  g_assert_cmpuint (count_of (figures, "clipped"), ==, own.clipped);

  if (sq_param_is_dash (param))
    {
      gsize at_0, at_15;
      double tau_error;

      dash_figures (&spec->param[param], &res->spec->param[param], &at_0, &at_15, &tau_error);
      for (guint i = 0; i < G_N_ELEMENTS (decay_only); i++)
        g_assert_true (shown (figures, decay_only[i]));
      for (guint i = 0; i < G_N_ELEMENTS (values_only); i++)
        g_assert_false (shown (figures, values_only[i]));
      g_assert_cmpstr (sq_figures_get_text (figures, "scale"), ==, "—");
      g_assert_cmpuint (count_of (figures, "dash-lo"), ==, at_0);
      g_assert_cmpuint (count_of (figures, "dash-hi"), ==, at_15);
      /* Three significant digits, in percent. */
      g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "tau-error"),
                                      100.0 * tau_error, 100.0 * tau_error * 5e-3 + 1e-9);
      return;
    }

  /* Thresholds and biases: their layer's weight scale, 2^shift more. */
  if (!sq_param_is_weights (param) && res->params.method == SQ_METHOD_GLOBAL)
    {
      SqLayer l = sq_param_layer (param);
      double scale = ldexp (sq_quant_result_get_group (res, l)->scale, res->weight_shift[l]);

      g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "scale"), scale,
                                      scale * 1e-3);
    }
  for (guint i = 0; i < G_N_ELEMENTS (decay_only); i++)
    g_assert_false (shown (figures, decay_only[i]));
  for (guint i = 0; i < G_N_ELEMENTS (values_only); i++)
    g_assert_true (shown (figures, values_only[i]));
  zeroed = g_strdup_printf ("%zu of %zu non-zero", own.zeroed, own.n_nonzero);
  g_assert_true (g_str_has_prefix (sq_figures_get_text (figures, "zeroed"), zeroed));
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "sqnr"),
                                  sq_quant_figures_sqnr_db (&own), 0.006);
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "max-error"),
                                  own.max_abs_error, own.max_abs_error * 1e-3);
}

/* Selects every group at @params and checks the panel against the core; returns the largest
 * clipped count of a weight group and that of the hidden thresholds. */
static void
check_every_group (SqWindow            *w,
                   const SqXyloSpec    *spec,
                   const SqQuantParams *params,
                   gsize               *weights_clipped,
                   gsize               *threshold_clipped)
{
  SqAnalysis *analysis = sq_window_get_analysis (w);
  SqDocument *document = sq_window_get_document (w);
  SqFigures *figures = SQ_FIGURES (sq_test_child (sq_window_get_tune_page (w),
                                                  SQ_TYPE_TUNE_PAGE, "figures"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SqQuantResult) res = sq_quantize (spec, params, &error);
  guint n = sq_network_n_groups (sq_document_get_network (document));

  g_assert_no_error (error);
  sq_test_set_params (analysis, params);
  *weights_clipped = *threshold_clipped = 0;
  for (guint g = 0; g < n; g++)
    {
      SqParam p = sq_test_param_of (document, g);

      sq_analysis_set_group (analysis, g);
      sq_test_settle (w);
      g_assert_cmpuint (sq_analysis_get_result (analysis)->group, ==, g);
      assert_group (figures, spec, res, p);
      if (sq_param_is_weights (p))
        *weights_clipped = MAX (*weights_clipped, count_of (figures, "clipped"));
      else if (p == SQ_PARAM_THRESHOLD)
        *threshold_clipped = count_of (figures, "clipped");
    }
}

static void
test_per_group (void)
{
  const char *example = g_getenv ("SQ_EXAMPLE_XYLO");
  SqWindow *w = sq_test_new_window (app);
  g_autoptr(GFile) file = g_file_new_for_path (example);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json (example, &error);
  gsize weights_clipped = 0, threshold_clipped = 0;
  SqQuantParams p;

  g_assert_no_error (error);
  sq_window_open (w, file);
  sq_test_settle (w);

  /* At 2 bits nearly every non-zero weight dies: the share is of the non-zero ones. */
  sq_quant_params_init (&p);
  p.weight_bits = 2;
  check_every_group (w, spec, &p, &weights_clipped, &threshold_clipped);
  /* The last group is a dash (its figures replace zeroed, SQNR and max error): look at it. */
  g_assert_true (sq_param_is_dash (sq_test_param_of (sq_window_get_document (w),
                                                     sq_analysis_get_group (
                                                       sq_window_get_analysis (w)))));
  sq_test_save_screenshot (GTK_WIDGET (w), "figures-dash");

  /* The fuzzy range clips weights, which the thresholds (no longer their layer's count)
   * do not show; with a weight shift, thresholds and biases have a scale of their own. */
  p.weight_bits = 4;
  p.fuzzy = TRUE;
  p.weight_shift = 2;
  check_every_group (w, spec, &p, &weights_clipped, &threshold_clipped);
  g_assert_cmpuint (weights_clipped, >, 0);
  g_assert_cmpuint (weights_clipped, !=, threshold_clipped);

  /* Per-channel scaling and Rockpool's mode, whose scales differ per neuron. */
  p.method = SQ_METHOD_CHANNEL;
  p.mode = SQ_MODE_ROCKPOOL;
  p.fuzzy = FALSE;
  p.weight_shift = 0;
  check_every_group (w, spec, &p, &weights_clipped, &threshold_clipped);

  sq_quant_params_init (&p);
  sq_test_set_params (sq_window_get_analysis (w), &p);
  sq_test_settle (w);
  sq_test_finalize_window (w);
}

/* Every figure, title and value, explains itself in a tooltip of its own; so does every label
 * of the panel but its heading. */
static void
test_tooltips (void)
{
  SqFigures *figures = g_object_ref_sink (g_object_new (SQ_TYPE_FIGURES, NULL));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *grid = sq_test_child (figures, SQ_TYPE_FIGURES, "grid");
  GtkWidget *heading = sq_test_child (figures, SQ_TYPE_FIGURES, "layer_label");
  guint n_labels = 0;

  for (guint i = 0; i < G_N_ELEMENTS (all_figures); i++)
    {
      const char *title = gtk_widget_get_tooltip_text (sq_figures_get_label (figures,
                                                                             all_figures[i],
                                                                             TRUE));
      const char *value = gtk_widget_get_tooltip_text (sq_figures_get_label (figures,
                                                                             all_figures[i],
                                                                             FALSE));

      g_assert_nonnull (title);
      g_assert_cmpuint (strlen (title), >, 20);
      g_assert_cmpstr (value, ==, title);
      /* One sentence: a capital first, a full stop last and nowhere else. */
      g_assert_true (g_unichar_isupper (g_utf8_get_char (title)));
      g_assert_true (g_str_has_suffix (title, "."));
      g_assert_null (strstr (title, ". "));
      g_assert_false (g_hash_table_contains (seen, title));
      g_hash_table_add (seen, (gpointer) title);
    }

  for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LABEL (c) && c != heading)
      {
        g_assert_nonnull (gtk_widget_get_tooltip_text (c));
        n_labels++;
      }
  g_assert_cmpuint (n_labels, ==, 2 * G_N_ELEMENTS (all_figures));
  sq_test_assert_finalized (figures);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);

  app = sq_test_app_new ();

  g_test_add_func ("/window-figures/per-group", test_per_group);
  g_test_add_func ("/window-figures/tooltips", test_tooltips);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
