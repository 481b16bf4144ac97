/* sq-simulate-page.c: the float model and the integer core side by side on one input
 *
 * The input (Poisson events or a raster file) runs through an SqSimulation: the float model on the
 * document's network and the integer core on the analysis's quantization, in a thread with a
 * progress bar and Cancel. The page then shows the rasters (input, outputs float above integer, a
 * sample of the hidden layer), the states of one neuron in both models over each other, the
 * agreement figures of `synquant-cli simulate --compare` and the diagnostics with the core's hints
 * in plain words (sq_sim_run_hints()). When the quantization changes and the last run was short
 * (SQ_SIMULATION_AUTO_BUDGET), it runs again by itself.
 *
 * This file sets the page up and shows a run; sq-simulate-page-input.c chooses the input and runs
 * it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "sq-simulate-page-private.h"

/* Rows of the hidden raster: more would be thinner than a pixel on most screens. */
#define HIDDEN_ROWS_MAX 200

G_DEFINE_FINAL_TYPE (SqSimulatePage, sq_simulate_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ANALYSIS,
  PROP_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The figures, by the name tests and sq_simulate_page_get_figure() use. */
static const struct {
  const char *name;
  const char *title;
  gboolean    diagnostic;
} figure_rows[] = {
  { "out-events", N_("Output events\n(float / integer)"), FALSE },
  { "raster", N_("Output raster agreement"), FALSE },
  { "class", N_("Class (most events)"), FALSE },
  { "silent-int", N_("Silent only in the integer core"), FALSE },
  { "silent-float", N_("Silent only in the float model"), FALSE },
  { "hidden-events", N_("Hidden events\n(float / integer)"), FALSE },
  { "saturations", N_("Saturations"), TRUE },
  { "caps", N_("Caps hit"), TRUE },
  { "dropped", N_("Dropped input events"), TRUE },
  { "run", N_("Run"), TRUE },
};

static void
set_figure (SqSimulatePage *self,
            const char     *name,
            char           *text)
{
  GtkLabel *label = g_hash_table_lookup (self->figures, name);

  gtk_label_set_text (label, text != NULL ? text : "—");
  g_free (text);
}

/* Shows or hides a figure's row, its title with it. */
static void
show_figure_row (SqSimulatePage *self,
                 const char     *name,
                 gboolean        visible)
{
  GtkWidget *value = g_hash_table_lookup (self->figures, name);
  GtkGrid *grid = GTK_GRID (gtk_widget_get_parent (value));
  int column, row;

  gtk_grid_query_child (grid, value, &column, &row, NULL, NULL);
  gtk_widget_set_visible (gtk_grid_get_child_at (grid, 0, row), visible);
  gtk_widget_set_visible (value, visible);
}

/* ---------------------------------------------------------------------------------------- */
/* Charts                                                                                    */

/* The chart holds @r's array without a copy, and with it a reference to @r. */
static GBytes *
result_bytes (SqSimulationResult *r,
              const guint8       *data,
              gsize               size)
{
  return g_bytes_new_with_free_func (data, size, (GDestroyNotify) sq_simulation_result_unref,
                                     sq_simulation_result_ref (r));
}

static void
show_raster (SqChart            *chart,
             SqSimulationResult *r,
             const guint8       *counts,
             gsize               n_steps,
             gsize               n,
             gsize               max_rows,
             SqChartColor        color,
             const char         *row_name)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint32 *rows = NULL;
  gsize shown = MIN (n, max_rows);

  if (counts == NULL || n == 0)
    {
      sq_chart_set_raster (chart, NULL, 0, 0, NULL, 0, 0, color, NULL);
      return;
    }
  /* Evenly spread, so every part of the layer is represented. */
  rows = g_new (guint32, shown);
  for (gsize i = 0; i < shown; i++)
    rows[i] = (guint32) (i * n / shown);
  bytes = result_bytes (r, counts, n_steps * n);
  sq_chart_set_raster (chart, bytes, n_steps, n, rows, shown, n, color, row_name);
}

/* As many hidden rasters as the network has hidden layers, the template's first; the
 * others are made after it and removed when a network has fewer. */
static void
set_hidden_charts (SqSimulatePage *self,
                   guint           n)
{
  n = MAX (n, 1);
  while (self->hidden_charts->len > n)
    {
      GtkWidget *chart = g_ptr_array_steal_index (self->hidden_charts,
                                                  self->hidden_charts->len - 1);

      gtk_box_remove (GTK_BOX (gtk_widget_get_parent (chart)), chart);
    }
  while (self->hidden_charts->len < n)
    {
      GtkWidget *last = g_ptr_array_index (self->hidden_charts, self->hidden_charts->len - 1);
      GtkWidget *chart = sq_chart_new ();

      gtk_widget_set_size_request (chart, -1, 170);
      sq_chart_set_y_label (SQ_CHART (chart), _("neuron"));
      gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (last)), chart, last);
      g_ptr_array_add (self->hidden_charts, chart);
    }
}

/* One raster per hidden layer (sq_network_hidden_layers()), each a sample of its neurons. */
static void
show_hidden (SqSimulatePage     *self,
             SqSimulationResult *r)
{
  const SqSimResult *in = r->run->int_result;
  g_autoptr(GArray) blocks = sq_network_hidden_layers (r->analysis->quant->network);
  /* The kind's layers by their titles; the generic titles for one unnamed hidden layer. */
  gboolean layered = r->analysis->quant->network->hidden_layers->len > 0 && r->recorded &&
                     in->n_hidden > 0;

  set_hidden_charts (self, layered ? blocks->len : 1);
  if (!layered)
    {
      g_autofree char *title = NULL;

      show_raster (self->hidden_chart, r, r->recorded ? in->spikes_hidden : NULL, in->n_steps,
                   in->n_hidden, HIDDEN_ROWS_MAX, SQ_CHART_COLOR_WARNING, _("neuron"));
      if (in->n_hidden == 0)
        title = g_strdup (_("Hidden events, integer core (the network has no hidden layer)"));
      else if (!r->recorded)
        title = g_strdup (_("Hidden events, integer core (not recorded: run fewer steps)"));
      else if (in->n_hidden > HIDDEN_ROWS_MAX)
        title = g_strdup_printf (_("Hidden events, integer core (%d of %zu neurons, evenly "
                                   "spaced)"), HIDDEN_ROWS_MAX, in->n_hidden);
      else
        title = g_strdup_printf (_("Hidden events, integer core (all %zu neurons)"),
                                 in->n_hidden);
      sq_chart_set_title (self->hidden_chart, title);
      return;
    }
  for (guint b = 0; b < blocks->len; b++)
    {
      const SqNeuronBlock *block = &g_array_index (blocks, SqNeuronBlock, b);
      SqChart *chart = g_ptr_array_index (self->hidden_charts, b);
      gsize shown = MIN (block->n, HIDDEN_ROWS_MAX);
      g_autofree guint32 *rows = g_new (guint32, MAX (shown, 1));
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *title = NULL;

      g_return_if_fail (block->first + block->n <= in->n_hidden);
      /* The layer's columns of the time-major counts: its first neuron is column 0. */
      for (gsize i = 0; i < shown; i++)
        rows[i] = (guint32) (i * block->n / shown);
      bytes = result_bytes (r, in->spikes_hidden + block->first,
                            in->n_steps * in->n_hidden - block->first);
      sq_chart_set_raster (chart, block->n > 0 ? bytes : NULL, in->n_steps, in->n_hidden, rows,
                           shown, block->n, SQ_CHART_COLOR_WARNING, _("neuron"));
      if (block->n > HIDDEN_ROWS_MAX)
        /* Translators: a hidden layer's raster, "Layer 0 events, integer core (200 of 1 024
         * neurons, evenly spaced)" */
        title = g_strdup_printf (_("%s events, integer core (%d of %zu neurons, evenly "
                                   "spaced)"), sq_label (block->label), HIDDEN_ROWS_MAX,
                                 block->n);
      else
        /* Translators: a hidden layer's raster, "Layer 0 events, integer core (all 72
         * neurons)" */
        title = g_strdup_printf (_("%s events, integer core (all %zu neurons)"),
                                 sq_label (block->label), block->n);
      sq_chart_set_title (chart, title);
    }
}

/* An input of maps (the network's input_shape) is shown as images instead of the raster:
 * as C·H·W rows it would be a grey wash. */
static void
show_input_maps (SqSimulatePage     *self,
                 SqSimulationResult *r)
{
  const SqNetwork *network = r != NULL ? r->analysis->quant->network : NULL;
  gboolean maps = network != NULL && network->input_shape[0] > 0 &&
                  r->input.n_channels == network->n_inputs;

  sq_input_maps_set_counts (self->input_maps, maps ? r->input.counts : NULL,
                            maps ? r->input.n_steps : 0, maps ? network->input_shape : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->input_maps), maps);
  gtk_widget_set_visible (GTK_WIDGET (self->input_chart), !maps);
}

static void
clear_traces (SqSimulatePage *self,
              const char     *why)
{
  sq_chart_set_traces (self->vmem_chart, NULL, 0);
  sq_chart_set_traces (self->isyn_chart, NULL, 0);
  sq_chart_set_placeholder (self->vmem_chart, why);
  sq_chart_set_placeholder (self->isyn_chart, why);
  gtk_label_set_text (self->trace_note, "");
}

static void
show_traces (SqSimulatePage *self)
{
  const SqSimulationResult *r = sq_simulation_get_result (self->simulation);
  gboolean output = gtk_drop_down_get_selected (self->layer_dropdown) == 1;
  gsize index = (gsize) gtk_spin_button_get_value_as_int (self->neuron_spin);
  gsize syn = (gsize) gtk_spin_button_get_value_as_int (self->synapse_spin) - 1;
  SqTrace vmem = output ? SQ_TRACE_VMEM_OUT : SQ_TRACE_VMEM_HIDDEN;
  SqTrace isyn = output ? SQ_TRACE_ISYN_OUT : SQ_TRACE_ISYN_HIDDEN;
  const SqSimResult *f, *in;
  g_autofree double *vf = NULL, *vi = NULL, *sf = NULL, *si = NULL;
  double scale, threshold;
  gsize T, n, ns;
  guint n_traces;

  sq_chart_clear_overlays (self->vmem_chart);
  if (r == NULL || !r->recorded)
    {
      clear_traces (self, r == NULL ? NULL
                                    : _("Traces are recorded for runs up to 32 million state "
                                        "values; run fewer steps to see them"));
      return;
    }
  f = r->run->float_result;
  in = r->run->int_result;
  T = f->n_steps;
  n = output ? f->n_out : f->n_hidden;
  ns = output ? 1 : f->n_syn;
  if (n == 0 || ns == 0 || f->ftrace[vmem] == NULL || f->ftrace[isyn] == NULL)
    {
      clear_traces (self, _("This network records no states"));
      return;
    }
  index = MIN (index, n - 1);
  syn = MIN (syn, ns - 1);
  scale = sq_network_result_state_scale (r->analysis->quant, output, index);
  /* Without a scale the integer states have no place on the float axis. */
  n_traces = isfinite (scale) && in->itrace[vmem] != NULL && in->itrace[isyn] != NULL ? 2 : 1;

  vf = g_new (double, MAX (T, 1));
  vi = g_new (double, MAX (T, 1));
  sf = g_new (double, MAX (T, 1));
  si = g_new (double, MAX (T, 1));
  for (gsize t = 0; t < T; t++)
    {
      gsize v = t * n + index, s = (t * n + index) * ns + syn;

      vf[t] = f->ftrace[vmem][v];
      sf[t] = f->ftrace[isyn][s];
      if (n_traces == 2)
        {
          vi[t] = in->itrace[vmem][v] / scale;
          si[t] = in->itrace[isyn][s] / scale;
        }
    }
  {
    SqChartTrace v[2] = {
      { vf, T, SQ_CHART_COLOR_ACCENT, _("float") },
      { vi, T, SQ_CHART_COLOR_WARNING, _("integer ÷ scale") },
    };
    SqChartTrace s[2] = {
      { sf, T, SQ_CHART_COLOR_ACCENT, _("float") },
      { si, T, SQ_CHART_COLOR_WARNING, _("integer ÷ scale") },
    };

    sq_chart_set_traces (self->vmem_chart, v, n_traces);
    sq_chart_set_traces (self->isyn_chart, s, n_traces);
  }
  threshold = sq_network_neuron_threshold (r->analysis->quant->network, output, index);
  if (isfinite (threshold))
    sq_chart_add_hline (self->vmem_chart, threshold, SQ_CHART_COLOR_ERROR, TRUE,
                        _("threshold"));
  if (n_traces == 2)
    {
      g_autofree char *note = g_strdup_printf (_("The integer core's states are divided by "
                                                 "its scale, %.4g, to share the float axis."),
                                               scale);

      gtk_label_set_text (self->trace_note, note);
    }
  else
    gtk_label_set_text (self->trace_note, _("The integer core's states have no float scale: "
                                            "the float model's are shown."));
}

/* ---------------------------------------------------------------------------------------- */
/* Figures and hints                                                                         */

static guint64
sum (const guint64 *v,
     gsize          n)
{
  guint64 s = 0;

  for (gsize i = 0; i < n; i++)
    s += v[i];
  return s;
}

/* The core's hints as the page shows them: a bullet each, a blank line between. */
static char *
format_hints (const SqSimRun *run)
{
  g_autoptr(GPtrArray) hints = sq_sim_run_hints (run);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < hints->len; i++)
    g_string_append_printf (text, "%s• %s", i ? "\n\n" : "",
                            (const char *) g_ptr_array_index (hints, i));
  return g_string_free (text, FALSE);
}

static void
show_figures (SqSimulatePage           *self,
              const SqSimulationResult *r)
{
  const SqAgreement *a = r->run->agreement;
  const SqSimResult *in = r->run->int_result;
  GString *out = g_string_new (NULL);
  int cf = sq_sim_result_class (r->run->float_result), ci = sq_sim_result_class (in);
  g_autofree char *overflows = NULL;
  gboolean own_layout;

  for (gsize o = 0; o < a->n_out; o++)
    g_string_append_printf (out, "%s%zu: %" PRIu64 " / %" PRIu64, o ? "\n" : "", o,
                            a->out_float[o], a->out_int[o]);
  set_figure (self, "out-events", g_string_free (out, FALSE));
  set_figure (self, "raster", g_strdup_printf ("%.2f %%", 100.0 * sq_agreement_raster (a)));
  if (a->n_class_agree == a->n_samples)
    set_figure (self, "class", cf < 0 ? g_strdup (_("same: no output fired"))
                                      : g_strdup_printf (_("same: output %d"), cf));
  else
    set_figure (self, "class", g_strdup_printf (_("differs: float %d, integer %d"), cf, ci));
  /* Translators: counts of neurons */
  set_figure (self, "silent-int", g_strdup_printf (_("%zu hidden, %zu output"),
                                                   sq_agreement_silent_only (a, TRUE, FALSE),
                                                   sq_agreement_silent_only (a, TRUE, TRUE)));
  set_figure (self, "silent-float", g_strdup_printf (_("%zu hidden, %zu output"),
                                                     sq_agreement_silent_only (a, FALSE, FALSE),
                                                     sq_agreement_silent_only (a, FALSE, TRUE)));
  set_figure (self, "hidden-events",
              g_strdup_printf ("%" PRIu64 " / %" PRIu64, sum (a->hidden_float, a->n_hidden),
                               sum (a->hidden_int, a->n_hidden)));
  /* A kind with overflows of its own (fixed point's wraps) says them in that row. */
  overflows = sq_sim_run_overflow_figure (r->run);
  gtk_label_set_text (self->saturations_title, overflows ? _("Overflows") : _("Saturations"));
  /* A kind with its own layout (DynapCNN) has no synaptic currents and no 31-event cap:
   * its rows say only what its core counts, as the CLI does. */
  own_layout = in->arrays != NULL;
  if (overflows != NULL)
    set_figure (self, "saturations", g_steal_pointer (&overflows));
  else if (own_layout)
    /* Translators: how often a membrane potential reached the end of its range */
    set_figure (self, "saturations", g_strdup_printf (_("%" PRIu64 " membrane"),
                                                      in->vmem_saturated));
  else
    set_figure (self, "saturations",
                g_strdup_printf (_("%" PRIu64 " synaptic, %" PRIu64 " membrane"),
                                 in->isyn_saturated, in->vmem_saturated));
  set_figure (self, "caps", g_strdup_printf ("%" PRIu64, in->cap_hit));
  show_figure_row (self, "caps", !own_layout);
  set_figure (self, "dropped", g_strdup_printf ("%" PRIu64, in->input_dropped));
  set_figure (self, "run", g_strdup_printf (_("%zu steps, %s, %.0f ms"), in->n_steps,
                                            r->run->device ? r->run->device->name : "—",
                                            r->compute_usec / 1000.0));
  {
    g_autofree char *hints = format_hints (r->run);

    gtk_label_set_text (self->hints_label, hints);
  }
  /* The event-driven core beside the time steps, in the CLI's words. */
  {
    g_autofree char *cnn = r->cnn ? sq_cnn_simulation_summary (r->cnn) : NULL;

    gtk_label_set_text (self->divergence_label, cnn ? g_strchomp (cnn) : "");
    gtk_widget_set_visible (GTK_WIDGET (self->divergence_label), cnn != NULL);
  }
}

static void
clear_figures (SqSimulatePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (figure_rows); i++)
    set_figure (self, figure_rows[i].name, NULL);
  gtk_label_set_text (self->saturations_title, _("Saturations"));
  gtk_label_set_text (self->hints_label, "");
  gtk_label_set_text (self->divergence_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->divergence_label), FALSE);
}

static void
update_neuron_range (SqSimulatePage *self)
{
  const SqSimulationResult *r = sq_simulation_get_result (self->simulation);
  gboolean output = gtk_drop_down_get_selected (self->layer_dropdown) == 1;
  gsize n = 1, ns = 1;

  if (r != NULL)
    {
      n = output ? r->run->int_result->n_out : r->run->int_result->n_hidden;
      ns = output ? 1 : r->run->int_result->n_syn;
    }
  gtk_spin_button_set_range (self->neuron_spin, 0, MAX (n, 1) - 1.0);
  gtk_spin_button_set_range (self->synapse_spin, 1, (double) MAX (ns, 1));
  gtk_widget_set_sensitive (GTK_WIDGET (self->synapse_spin), ns > 1);
}

void
_sq_simulate_page_show_result (SqSimulatePage *self)
{
  g_autoptr(SqSimulationResult) r = sq_simulation_dup_result (self->simulation);
  const SqSimResult *in;

  if (r == NULL)
    {
      /* Nothing of the last network's run may stay: its hidden layer's size in the title, the
       * threshold line and scale of its traces, their note, its figures and hints. */
      sq_chart_set_raster (self->input_chart, NULL, 0, 0, NULL, 0, 0, 0, NULL);
      sq_chart_set_raster (self->float_chart, NULL, 0, 0, NULL, 0, 0, 0, NULL);
      sq_chart_set_raster (self->int_chart, NULL, 0, 0, NULL, 0, 0, 0, NULL);
      set_hidden_charts (self, 1);
      show_input_maps (self, NULL);
      sq_chart_set_raster (self->hidden_chart, NULL, 0, 0, NULL, 0, 0, 0, NULL);
      sq_chart_set_title (self->hidden_chart, _("Hidden events, integer core"));
      sq_chart_clear_overlays (self->vmem_chart);
      clear_traces (self, NULL);
      clear_figures (self);
      update_neuron_range (self);
      return;
    }
  in = r->run->int_result;
  show_raster (self->input_chart, r, r->input.counts, r->input.n_steps, r->input.n_channels,
               G_MAXSIZE, SQ_CHART_COLOR_FOREGROUND, _("channel"));
  show_raster (self->float_chart, r, r->run->float_result->spikes_out, in->n_steps, in->n_out,
               G_MAXSIZE, SQ_CHART_COLOR_ACCENT, _("output"));
  show_raster (self->int_chart, r, in->spikes_out, in->n_steps, in->n_out, G_MAXSIZE,
               SQ_CHART_COLOR_WARNING, _("output"));
  show_hidden (self, r);
  show_input_maps (self, r);
  update_neuron_range (self);
  show_traces (self);
  show_figures (self, r);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_simulate_page_dispose (GObject *object)
{
  SqSimulatePage *self = SQ_SIMULATE_PAGE (object);
  GtkWidget *child;

  if (self->simulation != NULL)
    {
      /* A run still in its thread finishes after the template's labels are gone. */
      g_signal_handlers_disconnect_by_data (self->simulation, self);
      sq_simulation_cancel (self->simulation);
    }
  g_clear_object (&self->simulation);
  if (self->analysis != NULL)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  g_clear_object (&self->analysis);
  g_clear_object (&self->input_file);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->figures, g_hash_table_unref);
  g_clear_pointer (&self->hidden_charts, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_SIMULATE_PAGE);
  /* The template's outer box is not bound to a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sq_simulate_page_parent_class)->dispose (object);
}

static void
sq_simulate_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SqSimulatePage *self = SQ_SIMULATE_PAGE (object);

  switch (prop_id)
    {
    case PROP_ANALYSIS:
      g_value_set_object (value, self->analysis);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device ? self->device->name : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_simulate_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SqSimulatePage *self = SQ_SIMULATE_PAGE (object);

  switch (prop_id)
    {
    case PROP_ANALYSIS:
      sq_simulate_page_set_analysis (self, g_value_get_object (value));
      break;
    case PROP_DEVICE:
      {
        const char *name = g_value_get_string (value);

        sq_simulate_page_set_device (self, name ? sq_device_profile_lookup (name) : NULL);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_simulate_page_class_init (SqSimulatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_simulate_page_dispose;
  object_class->get_property = sq_simulate_page_get_property;
  object_class->set_property = sq_simulate_page_set_property;

  /**
   * SqSimulatePage:analysis:
   *
   * The quantization to simulate; its document gives the float model.
   */
  properties[PROP_ANALYSIS] =
    g_param_spec_object ("analysis", NULL, NULL, SQ_TYPE_ANALYSIS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqSimulatePage:device:
   *
   * The name of the device profile whose integer core runs ("xylo-audio2"), %NULL for the
   * kind's default; a change re-runs a short simulation.
   */
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SQ_TYPE_CHART);
  g_type_ensure (SQ_TYPE_INPUT_MAPS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-simulate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, poisson_toggle);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, file_toggle);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, input_stack);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, file_button);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, file_label);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, run_button);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, input_chart);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, float_chart);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, int_chart);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, hidden_chart);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, input_maps);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, neuron_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, synapse_spin);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, trace_note);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, vmem_chart);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, isyn_chart);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, figures_grid);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, diagnostics_grid);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, hints_label);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, event_check);
  gtk_widget_class_bind_template_child (widget_class, SqSimulatePage, divergence_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
add_figure_rows (SqSimulatePage *self)
{
  int row[2] = { 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (figure_rows); i++)
    {
      gboolean d = figure_rows[i].diagnostic;
      GtkGrid *grid = d ? self->diagnostics_grid : self->figures_grid;
      GtkWidget *title = gtk_label_new (_(figure_rows[i].title));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (title), 0.0);
      gtk_label_set_yalign (GTK_LABEL (title), 0.0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 18);
      gtk_widget_add_css_class (title, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0.0);
      gtk_label_set_yalign (GTK_LABEL (value), 0.0);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      /* A long figure (a diagnostic's sentence) wraps rather than widen the window. */
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (value, "numeric");
      gtk_grid_attach (grid, title, 0, row[d], 1, 1);
      gtk_grid_attach (grid, value, 1, row[d], 1, 1);
      row[d]++;
      g_hash_table_insert (self->figures, g_strdup (figure_rows[i].name), value);
      if (g_str_equal (figure_rows[i].name, "saturations"))
        self->saturations_title = GTK_LABEL (title);
    }
}

static void
sq_simulate_page_init (SqSimulatePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->hidden_charts = g_ptr_array_new ();
  g_ptr_array_add (self->hidden_charts, self->hidden_chart);
  add_figure_rows (self);
  _sq_simulate_page_input_init (self);

  g_signal_connect_swapped (self->layer_dropdown, "notify::selected",
                            G_CALLBACK (update_neuron_range), self);
  g_signal_connect_swapped (self->layer_dropdown, "notify::selected",
                            G_CALLBACK (show_traces), self);
  g_signal_connect_swapped (self->neuron_spin, "value-changed", G_CALLBACK (show_traces), self);
  g_signal_connect_swapped (self->synapse_spin, "value-changed", G_CALLBACK (show_traces),
                            self);

  sq_chart_set_placeholder (self->input_chart, _("Run a simulation to see its events"));
  _sq_simulate_page_show_result (self);
  _sq_simulate_page_update_controls (self);
}

/**
 * sq_simulate_page_set_analysis:
 * @analysis: (nullable): the quantization to simulate, usually the tune page's
 */
void
sq_simulate_page_set_analysis (SqSimulatePage *self,
                               SqAnalysis     *analysis)
{
  g_return_if_fail (SQ_IS_SIMULATE_PAGE (self));

  if (self->analysis != NULL)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  if (!g_set_object (&self->analysis, analysis))
    return;
  if (analysis != NULL)
    {
      g_signal_connect_swapped (analysis, "updated",
                                G_CALLBACK (_sq_simulate_page_analysis_updated), self);
      g_signal_connect_swapped (analysis, "notify::document",
                                G_CALLBACK (_sq_simulate_page_document_changed), self);
    }
  _sq_simulate_page_document_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYSIS]);
}

/**
 * sq_simulate_page_set_device:
 * @device: (nullable): the device whose integer core runs; %NULL (or one the network's kind
 *   cannot run on) for the kind's default
 */
void
sq_simulate_page_set_device (SqSimulatePage        *self,
                             const SqDeviceProfile *device)
{
  g_return_if_fail (SQ_IS_SIMULATE_PAGE (self));

  if (self->device == device)
    return;
  self->device = device;
  if (self->auto_run)
    sq_simulate_page_run (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

/* Returns: (nullable): the device chosen for the integer core, %NULL for the default */
const SqDeviceProfile *
sq_simulate_page_get_device (SqSimulatePage *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), NULL);
  return self->device;
}

/* Returns: (transfer none): the simulation the page runs and shows */
SqSimulation *
sq_simulate_page_get_simulation (SqSimulatePage *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), NULL);
  return self->simulation;
}

/**
 * sq_simulate_page_get_hidden_charts:
 *
 * Returns: (transfer none) (element-type SqChart): the hidden rasters, one per hidden layer
 *   of the last run (one without a run)
 */
GPtrArray *
sq_simulate_page_get_hidden_charts (SqSimulatePage *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), NULL);
  return self->hidden_charts;
}

/**
 * sq_simulate_page_get_figure_visible:
 *
 * Returns: whether the figure's row is shown (a kind's core that does not count it hides it)
 */
gboolean
sq_simulate_page_get_figure_visible (SqSimulatePage *self,
                                     const char     *name)
{
  GtkWidget *label;

  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), FALSE);
  label = g_hash_table_lookup (self->figures, name);
  g_return_val_if_fail (label != NULL, FALSE);
  return gtk_widget_get_visible (label);
}

/**
 * sq_simulate_page_get_figure:
 * @name: "out-events", "raster", "class", "silent-int", "silent-float", "hidden-events",
 *   "saturations", "caps", "dropped" or "run"
 *
 * Returns: the text shown for the figure, "—" before a run
 */
const char *
sq_simulate_page_get_figure (SqSimulatePage *self,
                             const char     *name)
{
  GtkLabel *label;

  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), NULL);
  label = g_hash_table_lookup (self->figures, name);
  g_return_val_if_fail (label != NULL, NULL);
  return gtk_label_get_text (label);
}
