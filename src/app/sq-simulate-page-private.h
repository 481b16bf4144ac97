/* sq-simulate-page-private.h: what the Simulate page's files share
 *
 * sq-simulate-page.c shows a run (charts, figures, hints) and sets the page up;
 * sq-simulate-page-input.c chooses the input and starts, cancels and finishes runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-chart.h"
#include "sq-input-maps.h"
#include "sq-simulate-page.h"

G_BEGIN_DECLS

struct _SqSimulatePage
{
  GtkWidget        parent_instance;

  SqAnalysis      *analysis;
  SqSimulation    *simulation;
  const SqDeviceProfile *device;   /* NULL: the kind's default */
  GFile           *input_file;
  gboolean         input_is_sidecar; /* input_file is the document's labelled set */
  gboolean         auto_run;    /* the last run was short: re-run on a new quantization */
  GHashTable      *figures;     /* name → GtkLabel */
  GtkLabel        *saturations_title;   /* retitled "Overflows" for a kind that counts them */
  GtkFileChooserNative *chooser;

  GtkToggleButton *poisson_toggle;
  GtkToggleButton *file_toggle;
  GtkStack        *input_stack;
  GtkSpinButton   *rate_spin;
  GtkSpinButton   *steps_spin;
  GtkSpinButton   *seed_spin;
  GtkWidget       *file_button;
  GtkLabel        *file_label;
  GtkStack        *status_stack;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status_label;
  GtkWidget       *cancel_button;
  GtkWidget       *run_button;
  SqInputMaps     *input_maps;
  SqChart         *input_chart;
  SqChart         *float_chart;
  SqChart         *int_chart;
  SqChart         *hidden_chart;
  GPtrArray       *hidden_charts; /* SqChart, one per hidden layer: hidden_chart, then more */
  GtkDropDown     *layer_dropdown;
  GtkSpinButton   *neuron_spin;
  GtkSpinButton   *synapse_spin;
  GtkLabel        *trace_note;
  SqChart         *vmem_chart;
  SqChart         *isyn_chart;
  GtkGrid         *figures_grid;
  GtkGrid         *diagnostics_grid;
  GtkLabel        *hints_label;
  GtkCheckButton  *event_check;
  GtkLabel        *divergence_label;
};

/* sq-simulate-page.c */
void _sq_simulate_page_show_result      (SqSimulatePage *self);

/* sq-simulate-page-input.c */
void _sq_simulate_page_input_init       (SqSimulatePage *self);
void _sq_simulate_page_update_controls  (SqSimulatePage *self);
void _sq_simulate_page_analysis_updated (SqSimulatePage *self);
void _sq_simulate_page_document_changed (SqSimulatePage *self);

G_END_DECLS
