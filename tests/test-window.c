/* test-window.c: the window under Xvfb: open, tune, compare, save, errors, screenshots
 *
 * The figures the window shows are checked against the core's own results, computed here
 * independently of the window's analysis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>

#include "sq-application.h"
#include "sq-compare-column.h"
#include "sq-figures.h"
#include "sq-test-pages.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-test-xylo.h"
#include "sq-window.h"

static SqApplication *app;

static void
open_path (SqWindow   *w,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sq_window_open (w, file);
  g_assert_true (sq_window_is_loading (w));
  sq_test_settle (w);
}

/* Quantizes @path with @params in the core, independently of the window, and checks every
 * figure shown for @param: its own counts and errors, its layer's scale and clip point, the
 * network's SQNR. */
static void
assert_figures (SqFigures           *figures,
                const char          *path,
                const SqQuantParams *params,
                SqParam              param)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json (path, &error);
  g_autoptr(SqQuantResult) res = NULL;
  g_autofree char *zeroed = NULL;
  SqQuantFigures own;
  SqLayer l = sq_param_layer (param);

  g_assert_no_error (error);
  res = sq_quantize (spec, params, &error);
  g_assert_no_error (error);
  sq_test_xylo_group_figures (spec, res, param, &own);

  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "sqnr"),
                                  sq_quant_figures_sqnr_db (&own), 0.006);
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "total-sqnr"),
                                  sq_group_report_sqnr_db (&res->total), 0.006);
  g_assert_cmpfloat (sq_test_figure_value (figures, "clipped"), ==, (double) own.clipped);
  zeroed = g_strdup_printf ("%zu of %zu non-zero", own.zeroed, own.n_nonzero);
  g_assert_true (g_str_has_prefix (sq_figures_get_text (figures, "zeroed"), zeroed));
  g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "max-error"), own.max_abs_error,
                                  own.max_abs_error * 1e-3);
  if (params->method == SQ_METHOD_GLOBAL)
    {
      double scale = sq_quant_result_get_group (res, l)->scale;
      double clip = sq_quant_weight_max (params) / scale;

      if (param == SQ_PARAM_WEIGHTS_REC)
        {
          scale *= res->rec_scale_factor;
          clip /= res->rec_scale_factor;
        }
      g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "scale"), scale, scale * 1e-3);
      g_assert_cmpfloat_with_epsilon (sq_test_figure_value (figures, "clip"), clip, clip * 1e-3);
    }
  else
    {
      /* "a … b": the spread of the neurons' scales. */
      const char *text = sq_figures_get_text (figures, "scale");
      double lo = INFINITY, hi = -INFINITY;
      g_autofree char *want = NULL;

      for (guint g = 0; g < res->groups->len; g++)
        {
          const SqGroupReport *r = sq_quant_result_get_group (res, g);

          if (r->layer == l && r->range > 0.0)
            {
              lo = MIN (lo, fabs (r->scale));
              hi = MAX (hi, fabs (r->scale));
            }
        }
      want = g_strdup_printf ("%.4g … %.4g", lo, hi);
      g_assert_cmpstr (text, ==, want);
    }
}

static void
test_open_and_tune (void)
{
  const char *example = g_getenv ("SQ_EXAMPLE_XYLO");
  SqWindow *w = sq_test_new_window (app);
  SqTunePage *page = sq_window_get_tune_page (w);
  SqFigures *figures = SQ_FIGURES (sq_test_child (page, SQ_TYPE_TUNE_PAGE, "figures"));
  SqAnalysis *analysis = sq_window_get_analysis (w);
  const SqAnalysisResult *r;
  SqQuantParams p, rp;
  GSettings *settings = sq_application_get_settings (app);

  g_assert_cmpstr (sq_window_get_page (w), ==, "empty");
  g_assert_nonnull (example);
  open_path (w, example);
  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (w)), ==, "xylo-audio2.json");

  /* Defaults: global, synquant, 8 / 16 bits, recurrent weights. */
  sq_test_get_params (analysis, &p);
  g_assert_cmpint (p.method, ==, SQ_METHOD_GLOBAL);
  g_assert_cmpuint (p.weight_bits, ==, 8);
  r = sq_analysis_get_result (analysis);
  g_assert_nonnull (r);
  g_assert_cmpint (sq_test_result_param (r), ==, SQ_PARAM_WEIGHTS_REC);
  assert_figures (figures, example, &p, SQ_PARAM_WEIGHTS_REC);
  sq_test_save_screenshot (GTK_WIDGET (w), "main");

  /* Per-channel scaling at 4 bits, set through the widgets. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sq_tune_page_get_control (page, "method")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_tune_page_get_control (page, "weight-bits")),
                             4);
  sq_test_settle (w);
  sq_test_get_params (analysis, &p);
  g_assert_cmpint (p.method, ==, SQ_METHOD_CHANNEL);
  g_assert_cmpuint (p.weight_bits, ==, 4);
  r = sq_analysis_get_result (analysis);
  sq_test_result_params (r, &rp);
  g_assert_cmpint (rp.method, ==, SQ_METHOD_CHANNEL);
  g_assert_cmpuint (rp.weight_bits, ==, 4);
  assert_figures (figures, example, &p, SQ_PARAM_WEIGHTS_REC);

  /* The settings follow the analysis. */
  g_assert_nonnull (settings);
  g_assert_cmpuint (g_settings_get_uint (settings, "weight-bits"), ==, 4);
  g_assert_cmpint (g_settings_get_enum (settings, "method"), ==, SQ_METHOD_CHANNEL);

  /* Bits ±1 by keyboard action, and the Rockpool mode; output weights selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.weight-bits-up", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.weight-bits-up", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.threshold-bits-down", NULL));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sq_tune_page_get_control (page, "mode")), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sq_tune_page_get_control (page, "method")), 0);
  sq_analysis_set_group (analysis, sq_test_group_of (sq_window_get_document (w),
                                                     SQ_PARAM_WEIGHTS_OUT));
  sq_test_settle (w);
  sq_test_get_params (analysis, &p);
  g_assert_cmpuint (p.weight_bits, ==, 6);
  g_assert_cmpuint (p.threshold_bits, ==, 15);
  g_assert_cmpint (p.mode, ==, SQ_MODE_ROCKPOOL);
  r = sq_analysis_get_result (analysis);
  g_assert_cmpint (sq_test_result_param (r), ==, SQ_PARAM_WEIGHTS_OUT);
  assert_figures (figures, example, &p, SQ_PARAM_WEIGHTS_OUT);
  g_assert_cmpint (g_settings_get_enum (settings, "mode"), ==, SQ_MODE_ROCKPOOL);

  /* Pages by keyboard action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
  g_assert_cmpstr (sq_window_get_page (w), ==, "compare");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "tune"));
  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");

  /* Back to the defaults for the other tests. */
  sq_quant_params_init (&p);
  sq_test_set_params (analysis, &p);
  sq_test_settle (w);
  sq_test_finalize_window (w);
}

static void
test_compare (void)
{
  const char *example = g_getenv ("SQ_EXAMPLE_XYLO");
  SqWindow *w = sq_test_new_window (app);
  SqComparePage *page = sq_window_get_compare_page (w);
  double best_sqnr = -INFINITY;
  int best = -1;
  SqQuantParams p, q;

  open_path (w, example);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
  g_assert_cmpuint (sq_compare_page_get_n_columns (page), ==, 2);
  g_assert_true (sq_compare_page_add_column (page));
  g_assert_true (sq_compare_page_add_column (page));
  g_assert_false (sq_compare_page_add_column (page));
  g_assert_cmpuint (sq_compare_page_get_n_columns (page), ==, 4);
  g_assert_true (sq_test_wait_until (sq_test_compare_idle, page, 60000));

  /* Each column's figures are the core's for its settings; the best is marked. */
  for (guint i = 0; i < 4; i++)
    {
      SqCompareColumn *col = SQ_COMPARE_COLUMN (sq_compare_page_get_column (page, i));
      SqAnalysis *a = sq_compare_column_get_analysis (col);
      const SqAnalysisResult *r = sq_analysis_get_result (a);
      double sqnr = sq_quant_figures_sqnr_db (&r->quant->total);

      sq_test_get_params (a, &p);
      g_assert_cmpint (sq_test_result_param (r), ==, SQ_PARAM_WEIGHTS_REC);
      assert_figures (SQ_FIGURES (sq_test_child (col, SQ_TYPE_COMPARE_COLUMN, "figures")), example,
                      &p, SQ_PARAM_WEIGHTS_REC);
      if (sqnr > best_sqnr)
        {
          best_sqnr = sqnr;
          best = (int) i;
        }
    }
  g_assert_cmpint (sq_compare_page_get_best (page), ==, best);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (sq_compare_column_get_best (
                       SQ_COMPARE_COLUMN (sq_compare_page_get_column (page, i))),
                     ==, (int) i == best);
  sq_test_save_screenshot (GTK_WIDGET (w), "compare");

  /* "Use these settings" of column B (per channel) goes to the tune page. */
  sq_test_get_params (sq_compare_column_get_analysis (
                            SQ_COMPARE_COLUMN (sq_compare_page_get_column (page, 1))), &q);
  g_signal_emit_by_name (sq_test_child (sq_compare_page_get_column (page, 1),
                                        SQ_TYPE_COMPARE_COLUMN,
                                        "use_button"), "clicked");
  sq_test_settle (w);
  sq_test_get_params (sq_window_get_analysis (w), &p);
  g_assert_cmpint (p.method, ==, q.method);
  g_assert_cmpint (p.method, ==, SQ_METHOD_CHANNEL);
  g_assert_cmpuint (p.weight_bits, ==, q.weight_bits);
  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");

  sq_quant_params_init (&p);
  sq_test_set_params (sq_window_get_analysis (w), &p);
  sq_test_settle (w);
  sq_test_finalize_window (w);
}

static void
test_bad_file (void)
{
  SqWindow *w = sq_test_new_window (app);
  g_autofree char *bad = sq_test_data_path ("data", "malformed", "ragged-short-row.json", NULL);
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autoptr(GError) want = NULL;
  g_autoptr(SqXyloSpec) none = NULL;
  SqDocument *before;
  GtkWindow *dialog;

  open_path (w, small);
  before = sq_window_get_document (w);
  g_assert_nonnull (before);

  none = sq_xylo_spec_load_json (bad, &want);
  g_assert_null (none);
  g_assert_nonnull (want);

  open_path (w, bad);
  dialog = sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Could Not Open “ragged-short-row.json”");
  /* The loader's own message, with its file, line, column and key path. */
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   want->message);
  gtk_window_set_default_size (dialog, 480, -1);
  sq_test_save_screenshot (GTK_WIDGET (dialog), "error-dialog");

  /* The window keeps its document and stays usable. */
  g_assert_true (sq_window_get_document (w) == before);
  g_assert_cmpstr (sq_window_get_page (w), ==, "tune");
  sq_test_finalize_window (g_object_ref (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.weight-bits-down", NULL));
  sq_test_settle (w);
  g_assert_cmpuint (sq_quant_settings_get (&sq_analysis_get_result (
                                              sq_window_get_analysis (w))->quant->settings,
                                            "weight-bits"), ==, 7);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.weight-bits-up", NULL));
  sq_test_settle (w);

  /* A file that does not exist says so, and a folder is no specification either. */
  open_path (w, "/nonexistent/net.json");
  dialog = sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "/nonexistent/net.json"));
  sq_test_finalize_window (g_object_ref (dialog));
  g_assert_true (sq_window_get_document (w) == before);
  sq_test_finalize_window (w);
}

static void
test_cancel_load (void)
{
  SqWindow *w = sq_test_new_window (app);
  g_autoptr(GFile) file = g_file_new_for_path (g_getenv ("SQ_EXAMPLE_XYLO"));

  sq_window_open (w, file);
  g_assert_cmpstr (sq_window_get_page (w), ==, "loading");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.cancel-load", NULL));
  sq_test_settle (w);
  g_assert_false (sq_window_is_loading (w));
  /* Cancelled before it finished (the thread checks every 256 KiB): no document, no dialog. */
  g_assert_null (sq_window_get_document (w));
  g_assert_cmpstr (sq_window_get_page (w), ==, "empty");
  g_assert_null (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  sq_test_finalize_window (w);
}

static void
test_drop (void)
{
  SqWindow *w = sq_test_new_window (app);
  g_autoptr(GFile) file = g_file_new_for_path (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (w));
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        target = GTK_DROP_TARGET (c);
    }
  g_assert_nonnull (target);
  g_assert_true (g_type_is_a (G_TYPE_FILE, gtk_drop_target_get_gtypes (target, NULL)[0]));

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  sq_test_settle (w);
  g_assert_nonnull (sq_window_get_document (w));
  g_assert_cmpstr (sq_document_get_title (sq_window_get_document (w)), ==, "small.json");
  sq_test_finalize_window (w);
}

/* An opened file is offered again under Recent Networks, newest first, and opens from there. */
static void
test_recent (void)
{
  SqWindow *w = sq_test_new_window (app);
  SqWindow *w2;
  GtkWidget *list, *row;
  g_autofree char *uri = NULL;

  open_path (w, g_getenv ("SQ_EXAMPLE_SMALL"));
  sq_test_finalize_window (w);

  w2 = sq_test_new_window (app);
  g_assert_true (gtk_widget_get_visible (sq_test_child (w2, SQ_TYPE_WINDOW, "recent_box")));
  list = sq_test_child (w2, SQ_TYPE_WINDOW, "recent_list");
  /* Recent times have a resolution of a second: look for the row rather than expect it
   * first. */
  for (row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "small.json") == 0)
      break;
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==, "win.open-uri");
  uri = g_variant_dup_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row)),
                              NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w2), "win.open-uri", "s", uri));
  sq_test_settle (w2);
  g_assert_cmpstr (sq_document_get_title (sq_window_get_document (w2)), ==, "small.json");
  sq_test_finalize_window (w2);
}

/* Open Example lists the bundled examples by name, and each opens as its kind. */
static void
test_examples (void)
{
  static const struct {
    const char *name;
    const char *kind;
  } examples[] = {
    { "dvs-cnn.json", "dynapcnn" }, { "small.json", "xylo" },
  };
  SqWindow *w = sq_test_new_window (app);
  GtkMenuButton *button = GTK_MENU_BUTTON (sq_test_child (w, SQ_TYPE_WINDOW, "example_button"));
  GMenuModel *menu = gtk_menu_button_get_menu_model (button);

  /* The Xylo-size example is the third. */
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(GVariant) target = NULL;
      g_autofree char *label = NULL;

      g_assert_true (g_menu_model_get_item_attribute (menu, (int) i, G_MENU_ATTRIBUTE_LABEL,
                                                      "s", &label));
      g_assert_cmpstr (label, ==, examples[i].name);
      target = g_menu_model_get_item_attribute_value (menu, (int) i, G_MENU_ATTRIBUTE_TARGET,
                                                      G_VARIANT_TYPE_STRING);
      g_assert_nonnull (target);
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (w), "win.open-example",
                                                         target));
      sq_test_settle (w);
      g_assert_cmpstr (sq_document_get_title (sq_window_get_document (w)), ==,
                       examples[i].name);
      g_assert_cmpstr (sq_document_get_network (sq_window_get_document (w))->kind->name, ==,
                       examples[i].kind);
    }
  sq_test_finalize_window (w);
}

static void
test_save (void)
{
  SqWindow *w = sq_test_new_window (app);
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *ours = g_build_filename (dir, "window.json", NULL);
  g_autofree char *theirs = g_build_filename (dir, "cli.json", NULL);
  g_autofree char *cli = sq_test_cli_path ();
  g_autoptr(GFile) file = g_file_new_for_path (ours);
  g_autofree char *a = NULL, *b = NULL;
  gsize la, lb;
  int status;
  const char *argv[] = { cli, "quantize", small, "-o", theirs, "--method", "channel",
                         "--weight-bits", "6", NULL };
  SqQuantParams p;

  open_path (w, small);
  sq_quant_params_init (&p);
  p.method = SQ_METHOD_CHANNEL;
  p.weight_bits = 6;
  sq_test_set_params (sq_window_get_analysis (w), &p);
  sq_test_settle (w);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (w)));
  sq_window_save_quantized (w, file);
  while (!g_file_test (ours, G_FILE_TEST_EXISTS))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (sq_test_run (argv, &status, NULL, NULL));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (ours, &a, &la, NULL));
  g_assert_true (g_file_get_contents (theirs, &b, &lb, NULL));
  /* Byte for byte what synquant-cli quantize writes. */
  g_assert_cmpuint (la, ==, lb);
  g_assert_true (memcmp (a, b, la) == 0);

  /* The format follows the name there too. */
  for (guint i = 0; i < 2; i++)
    {
      const char *ext = i == 0 ? "npz" : "nir";
      g_autofree char *ours_x = g_strdup_printf ("%s/window.%s", dir, ext);
      g_autofree char *theirs_x = g_strdup_printf ("%s/cli.%s", dir, ext);
      g_autoptr(GFile) file_x = g_file_new_for_path (ours_x);
      g_autofree char *ax = NULL, *bx = NULL;
      gsize lax, lbx;
      const char *argv_x[] = { cli, "quantize", small, "-o", theirs_x, "--method", "channel",
                               "--weight-bits", "6", NULL };

      if (i == 1 && !sq_nir_is_supported ())
        {
          g_test_message ("saving as .nir left out: built without NIR support");
          continue;
        }
      sq_window_save_quantized (w, file_x);
      while (!g_file_test (ours_x, G_FILE_TEST_EXISTS))
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (sq_test_run (argv_x, &status, NULL, NULL));
      g_assert_cmpint (status, ==, 0);
      g_assert_true (g_file_get_contents (ours_x, &ax, &lax, NULL));
      g_assert_true (g_file_get_contents (theirs_x, &bx, &lbx, NULL));
      g_assert_cmpmem (ax, lax, bx, lbx);
    }

  sq_quant_params_init (&p);
  sq_test_set_params (sq_window_get_analysis (w), &p);
  sq_test_settle (w);
  sq_test_finalize_window (w);
}

/* NumPy archives open like JSON; a NIR graph from another tool first asks for dt and the
 * reset mode, then maps exactly as the core does with them. */
static void
test_open_npz_and_nir (void)
{
  SqWindow *w = sq_test_new_window (app);
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *npz = g_build_filename (dir, "small.npz", NULL);
  g_autofree char *nir = sq_test_data_path ("data", "nir", "braille_noDelay_bias_zero.nir",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) json = sq_xylo_spec_load_json (small, &error);
  g_autoptr(SqXyloSpec) want = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GFile) nir_file = g_file_new_for_path (nir);
  SqNirMapOptions opts = { 1e-4, SQ_NIR_RESET_ZERO };
  const SqNetwork *got;
  AdwMessageDialog *dialog;
  GtkListBox *rows;
  GtkEditable *dt_row;

  g_assert_no_error (error);
  g_assert_true (sq_xylo_spec_save_npz (json, npz, &error));
  g_assert_no_error (error);
  open_path (w, npz);
  got = sq_document_get_network (sq_window_get_document (w));
  g_assert_cmpuint (got->n_hidden, ==, json->n_hidden);
  sq_test_assert_network_is_spec (got, json);

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("the NIR graph: built without NIR support (-Dnir=disabled)");
      gtk_window_destroy (GTK_WINDOW (w));
      return;
    }

  /* The braille graph stores no dt: the window asks. */
  sq_window_open (w, nir_file);
  g_assert_true (sq_test_wait_until (sq_test_window_idle, w, 30000));
  dialog = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Map the NIR Graph");
  /* Below the line that explains the proposed dt. */
  rows = GTK_LIST_BOX (gtk_widget_get_last_child (adw_message_dialog_get_extra_child (dialog)));
  dt_row = GTK_EDITABLE (gtk_list_box_get_row_at_index (rows, 0));
  /* The graph's own proposal (test-window-states checks it); this test maps at 0.1 ms. */
  g_assert_cmpstr (gtk_editable_get_text (dt_row), ==, "0.000125");
  gtk_editable_set_text (dt_row, "soon");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "open"));
  gtk_editable_set_text (dt_row, "1e-4");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "open"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_list_box_get_row_at_index (rows, 1)), 1);
  sq_test_save_screenshot (GTK_WIDGET (dialog), "nir-dialog");
  /* As a click would: respond, then close. */
  adw_message_dialog_response (dialog, "open");
  g_object_ref (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (sq_window_is_loading (w));
  sq_test_settle (w);
  sq_test_assert_finalized (dialog);

  want = sq_xylo_spec_load_nir (nir, &opts, &notes, &error);
  g_assert_no_error (error);
  got = sq_document_get_network (sq_window_get_document (w));
  g_assert_cmpuint (got->n_inputs, ==, 12);
  g_assert_cmpuint (got->n_hidden, ==, 38);
  g_assert_cmpuint (got->n_outputs, ==, 7);
  sq_test_assert_network_is_spec (got, want);
  /* The mapper's notes (on the reset mode among them) are the document's network's. */
  g_assert_cmpuint (notes->len, >, 0);
  g_assert_cmpuint (got->notes->len, ==, notes->len);
  for (guint i = 0; i < notes->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got->notes, i), ==, g_ptr_array_index (notes, i));

  /* A session naming the graph asks the same question, then applies its settings. */
  {
    g_autofree char *session = g_build_filename (dir, "braille.synquant", NULL);
    g_autofree char *text = g_strdup_printf ("{\"version\": 1, \"source\": \"%s\", "
                                             "\"device\": \"xylo-audio3\", "
                                             "\"weight_bits\": 5}\n", nir);
    g_autoptr(GFile) session_file = g_file_new_for_path (session);
    SqQuantParams p;

    g_assert_true (g_file_set_contents (session, text, -1, NULL));
    sq_window_open (w, session_file);
    g_assert_true (sq_test_wait_until (sq_test_window_idle, w, 30000));
    dialog = ADW_MESSAGE_DIALOG (sq_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Map the NIR Graph");
    /* As a click would: respond, then close. */
    adw_message_dialog_response (dialog, "open");
    sq_test_finalize_window (g_object_ref (dialog));
    sq_test_settle (w);
    sq_test_get_params (sq_window_get_analysis (w), &p);
    g_assert_cmpuint (p.weight_bits, ==, 5);
    g_assert_cmpstr (sq_window_get_device (w), ==, "xylo-audio3");
    g_unlink (session);
  }

  sq_test_finalize_window (w);
}

static gboolean
check_and_quit (gpointer data)
{
  GtkApplication *a = data;
  GtkWindow *win = gtk_application_get_active_window (a);

  if (win == NULL || !SQ_IS_WINDOW (win) || !sq_test_window_idle (win) ||
      sq_window_get_document (SQ_WINDOW (win)) == NULL)
    return G_SOURCE_CONTINUE;
  g_object_set_data_full (G_OBJECT (a), "opened",
                          g_strdup (sq_document_get_title (sq_window_get_document (SQ_WINDOW (win)))),
                          g_free);
  /* Kept, to check that closing it finalizes it. */
  g_object_set_data (G_OBJECT (a), "window", g_object_ref (win));
  gtk_window_close (win);
  return G_SOURCE_REMOVE;
}

/* The shortcuts window lists the bindings; About says who and what. */
static void
test_shortcuts_and_about (void)
{
  SqWindow *w = sq_test_new_window (app);
  GtkWindow *shortcuts, *about;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.show-help-overlay", NULL));
  shortcuts = sq_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_window_close (shortcuts);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = sq_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Synquant");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  sq_test_finalize_window (g_object_ref (about));
  sq_test_finalize_window (w);
}

/* `synquant FILE` opens FILE: the application's command line, run for real. */
static void
test_command_line (void)
{
  SqApplication *cli_app = sq_application_new ();
  const char *small = g_getenv ("SQ_EXAMPLE_SMALL");
  char *argv[] = { (char *) "synquant", (char *) small, NULL };
  int status;

  g_application_set_flags (G_APPLICATION (cli_app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  /* The suite's application already holds the object path of APP_ID on this connection. */
  g_application_set_application_id (G_APPLICATION (cli_app), APP_ID ".CommandLineTest");
  g_timeout_add (50, check_and_quit, cli_app);
  status = g_application_run (G_APPLICATION (cli_app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (cli_app), "opened"), ==, "small.json");
  sq_test_assert_finalized (g_object_steal_data (G_OBJECT (cli_app), "window"));
  g_assert_finalize_object (cli_app);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);

  app = sq_test_app_new ();

  g_test_add_func ("/window/open-and-tune", test_open_and_tune);
  g_test_add_func ("/window/compare", test_compare);
  g_test_add_func ("/window/bad-file", test_bad_file);
  g_test_add_func ("/window/cancel-load", test_cancel_load);
  g_test_add_func ("/window/drop", test_drop);
  g_test_add_func ("/window/recent", test_recent);
  g_test_add_func ("/window/examples", test_examples);
  g_test_add_func ("/window/save", test_save);
  g_test_add_func ("/window/open-npz-and-nir", test_open_npz_and_nir);
  g_test_add_func ("/window/shortcuts-and-about", test_shortcuts_and_about);
  g_test_add_func ("/window/command-line", test_command_line);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
