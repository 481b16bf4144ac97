/* test-window-dynapcnn.c: DynapCNN networks in the real window
 *
 * A DynapCNN network opens like any other, and every page shows it through the generic
 * paths the kind fills: the Tune sidebar under its layers' titles, the few values of a
 * layer's thresholds one bar each with the joint scale's clip points, the mode switch
 * (synquant ↔ sinabs), the device check's memory bars per core, one hidden raster per layer
 * on the Simulate page, Compare's two modes and the export dialog. Every number is the
 * core's, computed here without the window. The screenshots dynapcnn-{tune,compare,
 * simulate,device-check}.png of data/screenshots/ are written here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sq-application.h"
#include "sq-chart.h"
#include "sq-check-list.h"
#include "sq-compare-column.h"
#include "sq-export-dialog.h"
#include "sq-figures.h"
#include "sq-format.h"
#include "sq-input-maps.h"
#include "sq-test-pages.h"
#include "sq-test-ui.h"
#include "sq-test-utils.h"
#include "sq-simulation.h"
#include "sq-simulate-page.h"
#include "sq-window.h"

static SqApplication *app;

static SqWindow *
open_data (const char *name)
{
  g_autofree char *path = sq_test_data_path ("data", "dynapcnn", name, NULL);
  SqWindow *w = sq_test_new_window (app);

  sq_test_open_path (w, path);
  g_assert_nonnull (sq_window_get_document (w));
  g_assert_cmpstr (sq_document_get_network (sq_window_get_document (w))->kind->name, ==,
                   "dynapcnn");
  return w;
}

/* The joint scale of @layer's groups in @mode, by the core. */
static double
core_scale (const SqNetwork *network,
            const char      *mode,
            guint            layer)
{
  SqQuantSettings s;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(GError) error = NULL;
  guint g;
  g_autofree char *id = g_strdup_printf ("layers[%u].weight", layer);

  sq_quant_settings_init (&s, network->kind);
  g_assert_true (sq_quant_settings_set_string (&s, "mode", mode, NULL));
  r = sq_network_quantize ((SqNetwork *) network, &s, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_network_find_group (network, id, &g));
  return sq_network_result_get_group (r, g)->scale;
}

/* The read-out of @chart at data point (@x, @y). */
static char *
describe_data (SqChart *chart,
               double   x,
               double   y)
{
  double wx, wy;

  g_assert_true (sq_chart_data_to_widget (chart, x, y, &wx, &wy));
  return sq_chart_describe_at (chart, wx, wy);
}

/* ---------------------------------------------------------------------------------------- */
/* Tune                                                                                      */

static void
test_tune (void)
{
  g_autoptr(SqWindow) w = open_data ("three-layers.json");
  SqTunePage *page = sq_window_get_tune_page (w);
  SqAnalysis *analysis = sq_window_get_analysis (w);
  const SqNetwork *network = sq_document_get_network (sq_window_get_document (w));
  SqFigures *figures = SQ_FIGURES (sq_test_child (page, SQ_TYPE_TUNE_PAGE, "figures"));
  SqChart *values = SQ_CHART (sq_test_child (page, SQ_TYPE_TUNE_PAGE, "value_chart"));
  GtkWidget *groups = sq_test_child (page, SQ_TYPE_TUNE_PAGE, "group_list");
  /* Layer 0 has a bias and a lower threshold, layer 1 an initial membrane and no lower
   * bound, layer 2 weights and two thresholds. */
  static const char * const ids[] = {
    "layers[0].weight", "layers[0].bias", "layers[0].thresholds",
    "layers[1].weight", "layers[1].thresholds", "layers[1].v_mem",
    "layers[2].weight", "layers[2].thresholds",
  };
  static const char * const sections[] = {
    "Layer 0", "Layer 0", "Layer 0", "Layer 1", "Layer 1", "Layer 1", "Layer 2", "Layer 2",
  };
  static const char * const titles[] = {
    "Weights", "Biases", "Thresholds", "Weights", "Thresholds", "Initial membranes",
    "Weights", "Thresholds",
  };
  const SqAnalysisResult *r;
  const SqGroupResult *gr;
  GtkWidget *mode;
  guint n = 0, headers = 0, g;
  double synquant1, sinabs1;

  /* The sidebar: eight groups under their layers' titles, each row its role. */
  for (GtkWidget *row = gtk_widget_get_first_child (groups); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      {
        GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
        GtkWidget *header = gtk_list_box_row_get_header (GTK_LIST_BOX_ROW (row));

        g_assert_cmpuint (n, <, G_N_ELEMENTS (ids));
        g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, ids[n]);
        g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "sq-section"), ==, sections[n]);
        g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box))), ==,
                         titles[n]);
        if (header != NULL)
          {
            g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (header)), ==, sections[n]);
            headers++;
          }
        n++;
      }
  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpuint (headers, ==, 3);

  /* Layer 0's two thresholds, θ_high 1 and θ_low −1, are two bars with the clip points of
   * the joint scale across, named by the tensor that set it. */
  g_assert_true (sq_network_find_group (network, "layers[0].thresholds", &g));
  sq_tune_page_select_group (page, g);
  sq_test_settle (w);
  r = sq_analysis_get_result (analysis);
  g_assert_cmpuint (r->group, ==, g);
  gr = sq_network_result_get_group (r->quant, g);
  {
    /* The joint scale 127 (set by the weights, max |w| 1) puts the 16-bit clip points at
     * ±32767 / 127, far off the thresholds' scale: the title says them. */
    g_autofree char *lo = sq_format_number (-32768.0 / 127.0);
    g_autofree char *hi = sq_format_number (32767.0 / 127.0);
    g_autofree char *title = g_strdup_printf ("Layer 0 thresholds (clip at %s and %s, set by "
                                              "the weights)", lo, hi);

    g_assert_cmpfloat (gr->scale, ==, 127.0);
    g_assert_cmpstr (sq_chart_get_title (values), ==, title);
  }
  g_assert_cmpstr (sq_chart_get_x_label (values), ==, "value index");
  {
    g_autofree char *high = describe_data (values, 0.0, 0.5);
    g_autofree char *low = describe_data (values, 1.0, -0.5);

    g_assert_cmpstr (high, ==, "value 0: 1");
    g_assert_cmpstr (low, ==, "value 1: −1");
  }
  g_assert_cmpuint (gr->markers->len, >=, 1);
  g_assert_cmpstr (g_array_index (gr->markers, SqMarker, gr->markers->len - 1).label, ==,
                   "set by the weights");
  sq_test_save_screenshot (GTK_WIDGET (w), "dynapcnn-tune-thresholds");

  /* The mode switch: layer 1 has no lower bound, so sinabs's −32768 sets its scale. */
  g_assert_true (sq_network_find_group (network, "layers[1].weight", &g));
  sq_tune_page_select_group (page, g);
  sq_test_settle (w);
  synquant1 = core_scale (network, "synquant", 1);
  sinabs1 = core_scale (network, "sinabs", 1);
  /* Its largest |weight| and θ are 1 and 0.5: 127 / 1; sinabs's −32768 caps it at 1. */
  g_assert_cmpfloat (synquant1, ==, 127.0);
  g_assert_cmpfloat (sinabs1, ==, 1.0);
  r = sq_analysis_get_result (analysis);
  g_assert_cmpfloat (sq_network_result_get_group (r->quant, g)->scale, ==, synquant1);
  {
    g_autofree char *text = sq_format_number (synquant1);

    g_assert_cmpstr (sq_figures_get_text (figures, "scale"), ==, text);
  }
  mode = sq_tune_page_get_control (page, "mode");
  g_assert_true (GTK_IS_DROP_DOWN (mode));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (mode), 1);
  sq_test_settle (w);
  r = sq_analysis_get_result (analysis);
  g_assert_cmpstr (r->quant->mode_used, ==, "sinabs");
  g_assert_cmpfloat (sq_network_result_get_group (r->quant, g)->scale, ==, sinabs1);
  g_assert_cmpstr (sq_figures_get_text (figures, "scale"), ==, "1");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (mode), 0);
  sq_test_settle (w);

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Device check                                                                              */

static gboolean
popover_shown (gpointer popover)
{
  return gtk_widget_get_mapped (popover);
}

/* Returns: (transfer none): the device check's popover, shown */
static GtkWidget *
popup_check (SqWindow *w)
{
  GtkWidget *popover = sq_test_child (w, SQ_TYPE_WINDOW, "check_popover");

  gtk_popover_popup (GTK_POPOVER (popover));
  g_assert_true (sq_test_wait_until (popover_shown, popover, 10000));
  return popover;
}

/* The texts of the popover's resource grid in order: unit titles and each bar's name and
 * amount; the bars' fractions in @fractions. */
static GPtrArray *
resource_texts (SqWindow *w,
                GArray   *fractions)
{
  GtkWidget *list = sq_test_child (w, SQ_TYPE_WINDOW, "check_list");
  GtkWidget *grid = sq_test_child (list, SQ_TYPE_CHECK_LIST, "resources_grid");
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (gtk_widget_get_visible (grid));
  for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LABEL (c))
      g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (c))));
    else if (GTK_IS_LEVEL_BAR (c))
      {
        GtkLevelBar *bar = GTK_LEVEL_BAR (c);
        double f = gtk_level_bar_get_value (bar) / gtk_level_bar_get_max_value (bar);

        g_array_append_val (fractions, f);
      }
  return texts;
}

/* @text with the window's narrow no-break space between groups of digits ("16 384"). */
static char *
digit_groups (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p == ' ' && p > text && g_ascii_isdigit (p[-1]) && g_ascii_isdigit (p[1]))
      g_string_append (out, "\u202f");
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
test_check (void)
{
  g_autoptr(SqWindow) w = open_data ("speck-small.json");
  const SqCheckReport *report = sq_window_get_check_report (w);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) texts = NULL;
  /* sinabs's formulas (docs/dynapcnn.md): layer 0, 4 × 2 × 3 × 3 on 8 × 8 (padding 1):
   * kernel 2 · 2^(⌈log2 9⌉ + ⌈log2 4⌉) = 2 · 64 = 128, neurons 4 · 2^(3 + 3) = 256, and 4
   * biases: the window checks what an export writes, the discretized network, whose layers
   * all have biases (zeros where the file has none, as sinabs configures them); layer 1,
   * 3 × 4 × 1 × 1 with stride 2 on the pooled 4 × 4: kernel 4 · 2^(0 + 2) = 64, neurons
   * 3 · 2^(1 + 1) = 12, 3 biases. Cores 0 and 1 hold 16 Ki kernel entries, 64 Ki neurons
   * and 1 Ki biases each. */
  static const char * const expected[] = {
    "Core 0 · Layer 0",
    "Kernel memory", "128 of 16 384", "Neuron memory", "256 of 65 536",
    "Bias memory", "4 of 1 024",
    "Core 1 · Layer 1",
    "Kernel memory", "64 of 16 384", "Neuron memory", "12 of 65 536",
    "Bias memory", "3 of 1 024",
  };
  static const double used[] = { 128, 256, 4, 64, 12, 3 };
  static const double capacity[] = { 16384, 65536, 1024, 16384, 65536, 1024 };
  GtkWidget *popover;

  g_assert_nonnull (report);
  g_assert_true (sq_check_report_fits (report));
  g_assert_nonnull (report->resources);
  g_assert_cmpuint (report->resources->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const SqCheckResource *r = &g_array_index (report->resources, SqCheckResource, i);

      g_assert_cmpfloat ((double) r->used, ==, used[i]);
      g_assert_cmpfloat ((double) r->capacity, ==, capacity[i]);
    }

  popover = popup_check (w);
  texts = resource_texts (w, fractions);
  g_assert_cmpuint (texts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *want = digit_groups (expected[i]);

      g_assert_cmpstr (g_ptr_array_index (texts, i), ==, want);
    }
  g_assert_cmpuint (fractions->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat_with_epsilon (g_array_index (fractions, double, i),
                                    used[i] / capacity[i], 1e-12);
  sq_test_save_screenshot (popover, "dynapcnn-check-small");
  gtk_popover_popdown (GTK_POPOVER (popover));

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* Xylo's check fills the same bars with the chip's neuron counts; its hidden neurons are
 * one layer, titled generically. */
static void
test_xylo_resources (void)
{
  g_autoptr(SqWindow) w = sq_test_new_window (app);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GArray) blocks = NULL;
  const SqNetwork *network;
  const SqCheckReport *report;
  const SqDeviceProfile *device;
  GtkWidget *popover;

  sq_test_open_path (w, g_getenv ("SQ_EXAMPLE_XYLO"));
  network = sq_document_get_network (sq_window_get_document (w));
  report = sq_window_get_check_report (w);
  g_assert_nonnull (report);
  device = report->device;
  g_assert_nonnull (report->resources);
  g_assert_cmpuint (report->resources->len, ==, 3);
  g_assert_cmpuint (g_array_index (report->resources, SqCheckResource, 0).used, ==,
                    network->n_inputs);
  g_assert_cmpuint (g_array_index (report->resources, SqCheckResource, 0).capacity, ==,
                    device->max_inputs);
  g_assert_cmpuint (g_array_index (report->resources, SqCheckResource, 1).used, ==,
                    network->n_hidden);
  g_assert_cmpuint (g_array_index (report->resources, SqCheckResource, 1).capacity, ==,
                    device->max_hidden);
  g_assert_cmpuint (g_array_index (report->resources, SqCheckResource, 2).used, ==,
                    network->n_outputs);
  g_assert_cmpuint (g_array_index (report->resources, SqCheckResource, 2).capacity, ==,
                    device->max_outputs);
  popover = popup_check (w);
  texts = resource_texts (w, fractions);
  g_assert_cmpuint (texts->len, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, device->title);
  g_assert_cmpstr (g_ptr_array_index (texts, 3), ==, "Hidden neurons");
  g_assert_cmpfloat_with_epsilon (g_array_index (fractions, double, 1),
                                  (double) network->n_hidden / (double) device->max_hidden,
                                  1e-12);
  gtk_popover_popdown (GTK_POPOVER (popover));

  blocks = sq_network_hidden_layers (network);
  g_assert_cmpuint (network->hidden_layers->len, ==, 0);
  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (g_array_index (blocks, SqNeuronBlock, 0).label, ==, "Hidden layer");
  g_assert_cmpuint (g_array_index (blocks, SqNeuronBlock, 0).n, ==, network->n_hidden);
  g_assert_cmpuint (network->input_shape[0], ==, 0);
  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Simulate                                                                                  */

/* The input maps show every pixel's events summed over the run's steps. */
static void
assert_input_maps (SqSimulatePage           *page,
                   const SqSimulationResult *r,
                   gsize                     C,
                   gsize                     H,
                   gsize                     W)
{
  SqInputMaps *maps = SQ_INPUT_MAPS (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE, "input_maps"));
  guint64 total = 0;

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (maps)));
  /* Instead of a raster of C·H·W rows. */
  g_assert_false (gtk_widget_get_visible (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE,
                                                         "input_chart")));
  for (gsize c = 0; c < C; c++)
    for (gsize y = 0; y < H; y++)
      for (gsize x = 0; x < W; x++)
        {
          guint64 sum = 0;

          for (gsize t = 0; t < r->input.n_steps; t++)
            sum += r->input.counts[t * C * H * W + (c * H + y) * W + x];
          g_assert_cmpuint (sq_input_maps_get_count (maps, c, y, x), ==, sum);
          total += sum;
        }
  g_assert_cmpuint (total, >, 0);
}

static void
test_simulate (void)
{
  g_autoptr(SqWindow) w = open_data ("three-layers.json");
  SqSimulatePage *page = sq_window_get_simulate_page (w);
  SqSimulation *sim = sq_simulate_page_get_simulation (page);
  const SqNetwork *network = sq_document_get_network (sq_window_get_document (w));
  g_autoptr(GArray) blocks = sq_network_hidden_layers (network);
  const SqSimulationResult *r;
  const SqSimResult *in;
  GPtrArray *charts;
  gsize checked = 0;

  /* Layer 0: 2 features of (6 + 2 − 2) / 2 + 1 = 4 by (6 + 2 − 2) / 1 + 1 = 7; pooled by 2
   * to 2 × 3, where layer 1's 3 features are 2 × 3. */
  g_assert_cmpuint (network->n_inputs, ==, 72);
  g_assert_cmpuint (network->input_shape[0], ==, 2);
  g_assert_cmpuint (network->input_shape[1], ==, 6);
  g_assert_cmpuint (network->input_shape[2], ==, 6);
  g_assert_cmpuint (network->n_hidden, ==, 56 + 18);
  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpuint (g_array_index (blocks, SqNeuronBlock, 0).first, ==, 0);
  g_assert_cmpuint (g_array_index (blocks, SqNeuronBlock, 0).n, ==, 56);
  g_assert_cmpuint (g_array_index (blocks, SqNeuronBlock, 1).first, ==, 56);
  g_assert_cmpuint (g_array_index (blocks, SqNeuronBlock, 1).n, ==, 18);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE,
                                                             "steps_spin")), 100);
  g_assert_true (sq_simulate_page_run (page));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle, sim, 60000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w));
  r = sq_simulation_get_result (sim);
  g_assert_nonnull (r);
  g_assert_true (r->recorded);
  in = r->run->int_result;
  g_assert_cmpuint (r->input.n_channels, ==, 72);
  g_assert_cmpuint (in->n_hidden, ==, 74);

  /* One raster per hidden layer, each its own neurons. */
  charts = sq_simulate_page_get_hidden_charts (page);
  g_assert_cmpuint (charts->len, ==, 2);
  g_assert_cmpstr (sq_chart_get_title (g_ptr_array_index (charts, 0)), ==,
                   "Layer 0 events, integer core (all 56 neurons)");
  g_assert_cmpstr (sq_chart_get_title (g_ptr_array_index (charts, 1)), ==,
                   "Layer 1 events, integer core (all 18 neurons)");
  for (guint b = 0; b < 2; b++)
    {
      const SqNeuronBlock *block = &g_array_index (blocks, SqNeuronBlock, b);
      SqChart *chart = g_ptr_array_index (charts, b);

      for (gsize t = 0; t < in->n_steps; t += 7)
        for (gsize i = 0; i < block->n; i += 5)
          {
            guint count = in->spikes_hidden[t * in->n_hidden + block->first + i];
            g_autofree char *text = describe_data (chart, (double) t + 0.5, (double) i);
            g_autofree char *want = g_strdup_printf (count == 1 ? "neuron %zu, step %zu: %u event"
                                                                : "neuron %zu, step %zu: %u events",
                                                     i, t, count);

            g_assert_cmpstr (text, ==, want);
            checked += count > 0;
          }
    }
  /* Some of the read-outs were events, not only silence. */
  g_assert_cmpuint (checked, >, 0);
  /* No synaptic currents and no 31-event cap here: the rows say only what the core counts. */
  {
    g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT " membrane",
                                             in->vmem_saturated);

    g_assert_cmpstr (sq_simulate_page_get_figure (page, "saturations"), ==, want);
    g_assert_false (sq_simulate_page_get_figure_visible (page, "caps"));
    g_assert_true (sq_simulate_page_get_figure_visible (page, "dropped"));
  }
  assert_input_maps (page, r, 2, 6, 6);
  sq_test_save_screenshot (GTK_WIDGET (w), "dynapcnn-simulate-three");

  /* An .npy of (T, C, H, W) event counts: 3 steps of 2 × 6 × 6, one event per step at
   * channel t % 2, row t, column 5 − t. */
  {
    g_autofree char *dir = g_dir_make_tmp ("sq-dynapcnn-XXXXXX", NULL);
    g_autofree char *npy = g_build_filename (dir, "events.npy", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (npy);
    const gsize shape[4] = { 3, 2, 6, 6 };
    gint16 counts[3 * 72] = { 0, };
    g_autofree guint8 *bytes = NULL;
    SqInputMaps *maps = SQ_INPUT_MAPS (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE,
                                                      "input_maps"));
    gsize length;

    for (gsize t = 0; t < 3; t++)
      counts[t * 72 + ((t % 2) * 6 + t) * 6 + (5 - t)] = 1;
    bytes = sq_npy_write_array (SQ_NPY_INT16, 4, shape, counts, &length);
    g_assert_true (g_file_set_contents (npy, (const char *) bytes, (gssize) length, NULL));
    sq_simulate_page_set_input_file (page, file);
    g_assert_true (sq_simulate_page_run (page));
    g_assert_true (sq_test_wait_until (sq_test_simulation_idle, sim, 60000));
    r = sq_simulation_get_result (sim);
    g_assert_nonnull (r);
    g_assert_cmpuint (r->input.n_steps, ==, 3);
    g_assert_cmpuint (r->input.n_channels, ==, 72);
    g_assert_cmpstr (sq_input_maps_get_title (maps), ==,
                     "Input events per pixel, summed over 3 steps");
    g_assert_cmpuint (sq_input_maps_get_count (maps, 0, 0, 5), ==, 1);
    g_assert_cmpuint (sq_input_maps_get_count (maps, 1, 1, 4), ==, 1);
    g_assert_cmpuint (sq_input_maps_get_count (maps, 0, 2, 3), ==, 1);
    g_assert_cmpuint (sq_input_maps_get_count (maps, 1, 2, 3), ==, 0);
    assert_input_maps (page, r, 2, 6, 6);
    g_assert_cmpint (g_remove (npy), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }

  /* Another network of one hidden layer: one raster again. */
  {
    g_autofree char *path = sq_test_data_path ("data", "dynapcnn", "speck-small.json", NULL);

    sq_test_open_path (w, path);
    /* A new network comes with its own simulation. */
    sim = sq_simulate_page_get_simulation (page);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (sq_test_child (page, SQ_TYPE_SIMULATE_PAGE,
                                                                    "poisson_toggle")), TRUE);
    g_assert_true (sq_simulate_page_run (page));
    g_assert_true (sq_test_wait_until (sq_test_simulation_idle, sim, 60000));
    g_assert_cmpuint (charts->len, ==, 1);
    /* 4 features of 8 × 8: a sample of them. */
    g_assert_cmpstr (sq_chart_get_title (g_ptr_array_index (charts, 0)), ==,
                     "Layer 0 events, integer core (200 of 256 neurons, evenly spaced)");
    assert_input_maps (page, sq_simulation_get_result (sim), 2, 8, 8);
  }

  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Compare and export                                                                        */

static void
test_compare (void)
{
  g_autoptr(SqWindow) w = open_data ("three-layers.json");
  SqComparePage *page = sq_window_get_compare_page (w);
  static const char * const modes[] = { "synquant", "sinabs" };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
  g_assert_true (sq_test_wait_until (sq_test_compare_idle, page, 30000));
  g_assert_cmpuint (sq_compare_page_get_n_columns (page), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      SqCompareColumn *col = SQ_COMPARE_COLUMN (sq_compare_page_get_column (page, i));
      const SqAnalysisResult *r = sq_analysis_get_result (sq_compare_column_get_analysis (col));

      g_assert_cmpint (sq_analysis_get_option (sq_compare_column_get_analysis (col), "mode"),
                       ==, (int) i);
      g_assert_cmpstr (r->quant->mode_used, ==, modes[i]);
    }
  sq_test_finalize_window (g_steal_pointer (&w));
}

static gboolean
no_dialog (gpointer data)
{
  return sq_test_find_toplevel (SQ_TYPE_EXPORT_DIALOG) == NULL;
}

static void
test_export (void)
{
  g_autoptr(SqWindow) w = open_data ("speck-small.json");
  const SqNetwork *network = sq_document_get_network (sq_window_get_document (w));
  const SqAnalysisResult *r = sq_analysis_get_result (sq_window_get_analysis (w));
  g_autofree char *dir = g_dir_make_tmp ("sq-dynapcnn-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "speck-small.config.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  gsize length;
  SqExportDialog *dialog;
  GListModel *formats;
  gint n_exported = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.export", NULL));
  dialog = SQ_EXPORT_DIALOG (sq_test_find_toplevel (SQ_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  g_assert_true (sq_test_wait_until (sq_test_export_dialog_idle, dialog, 30000));
  formats = adw_combo_row_get_model (ADW_COMBO_ROW (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG,
                                                                   "format_row")));
  g_assert_cmpuint (g_list_model_get_n_items (formats), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (formats), 0), ==,
                   "DynapCNN configuration");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (formats), 1), ==,
                   "DynapCNN layer file");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (formats), 2), ==,
                   "NIR graph");
  g_assert_true (sq_check_report_fits (sq_export_dialog_get_report (dialog)));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 480);
  sq_test_save_screenshot (GTK_WIDGET (dialog), "dynapcnn-export-dialog");
  sq_export_dialog_set_file (dialog, file);
  g_signal_connect_swapped (dialog, "exported", G_CALLBACK (sq_test_count), &n_exported);
  g_signal_emit_by_name (sq_test_child (dialog, SQ_TYPE_EXPORT_DIALOG, "export_button"),
                         "clicked");
  g_assert_true (sq_test_wait_until (sq_test_is_positive, &n_exported, 30000));
  g_assert_true (sq_test_wait_until (no_dialog, NULL, 30000));
  sq_test_assert_finalized (dialog);

  /* The bytes are the core's export of the discretized network. */
  files = sq_network_export_build (network, r->quant, sq_device_profile_lookup ("dynapcnn"),
                                   "dynapcnn-json", path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_get_contents (path, &written, &length, NULL));
  {
    GBytes *want = ((SqExportFile *) g_ptr_array_index (files, 0))->data;

    g_assert_cmpmem (written, length, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
  }
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  sq_test_finalize_window (g_steal_pointer (&w));
}

/* ---------------------------------------------------------------------------------------- */
/* Screenshots                                                                               */

/* data/screenshots/dynapcnn-*.png at 1280 × 800: sinabs's CNN from NIR (five layers on five
 * cores), or the small layer file without NIR support. */
static void
test_screenshots (void)
{
  SqWindow *w = g_object_ref_sink (sq_window_new (app));
  g_autofree char *path = sq_nir_is_supported ()
                          ? sq_test_data_path ("data", "nir", "cnn_sinabs.nir", NULL)
                          : sq_test_data_path ("data", "dynapcnn", "speck-small.json", NULL);
  SqSimulatePage *sim = sq_window_get_simulate_page (w);
  GtkWidget *popover;

  sq_test_present_screenshot_size (w);
  sq_test_open_path (w, path);
  g_assert_nonnull (sq_window_get_document (w));
  sq_test_save_data_screenshot (GTK_WIDGET (w), "dynapcnn-tune");


  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "simulate"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sq_test_child (sim, SQ_TYPE_SIMULATE_PAGE,
                                                             "steps_spin")), 300);
  g_assert_true (sq_simulate_page_run (sim));
  g_assert_true (sq_test_wait_until (sq_test_simulation_idle,
                                     sq_simulate_page_get_simulation (sim), 60000));
  /* Scrolled from the integer core's outputs down through the hidden layers' rasters. */
  {
    GtkWidget *outputs = sq_test_child (sim, SQ_TYPE_SIMULATE_PAGE, "int_chart");
    GtkWidget *scroller = gtk_widget_get_ancestor (outputs, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    GPtrArray *charts = sq_simulate_page_get_hidden_charts (sim);
    graphene_point_t top;

    g_assert_cmpuint (charts->len, ==, sq_nir_is_supported () ? 4 : 1);
    g_assert_true (gtk_widget_compute_point (outputs,
                                             gtk_scrolled_window_get_child (
                                               GTK_SCROLLED_WINDOW (scroller)),
                                             &GRAPHENE_POINT_INIT (0, 0), &top));
    gtk_adjustment_set_value (v, top.y);
  }
  sq_test_save_data_screenshot (GTK_WIDGET (w), "dynapcnn-simulate");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "tune"));
  popover = popup_check (w);
  sq_test_save_data_screenshot (popover, "dynapcnn-device-check");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Compare where the modes differ: layer 1 of three-layers.json has no lower bound, and
   * sinabs's −32768 zeroes most of its weights. */
  {
    g_autofree char *three = sq_test_data_path ("data", "dynapcnn", "three-layers.json", NULL);
    const SqNetwork *network;
    guint g;

    sq_test_open_path (w, three);
    network = sq_document_get_network (sq_window_get_document (w));
    g_assert_true (sq_network_find_group (network, "layers[1].weight", &g));
    sq_tune_page_select_group (sq_window_get_tune_page (w), g);
    sq_test_settle (w);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.page", "s", "compare"));
    g_assert_true (sq_test_wait_until (sq_test_compare_idle, sq_window_get_compare_page (w),
                                       30000));
    sq_test_save_data_screenshot (GTK_WIDGET (w), "dynapcnn-compare");
  }
  sq_test_finalize_window (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sq_test_ui_init (&argc, &argv);
  app = sq_test_app_new ();

  g_test_add_func ("/window-dynapcnn/tune", test_tune);
  g_test_add_func ("/window-dynapcnn/check", test_check);
  g_test_add_func ("/window-dynapcnn/xylo-resources", test_xylo_resources);
  g_test_add_func ("/window-dynapcnn/simulate", test_simulate);
  g_test_add_func ("/window-dynapcnn/compare", test_compare);
  g_test_add_func ("/window-dynapcnn/export", test_export);
  g_test_add_func ("/window-dynapcnn/screenshots", test_screenshots);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
