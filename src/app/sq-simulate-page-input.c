/* sq-simulate-page-input.c: what the Simulate page runs, and the runs
 *
 * The input is Poisson events or a raster file (chosen, dropped or restored from a session);
 * a run goes through the page's SqSimulation, with a progress bar and Cancel, and re-runs by
 * itself on a new quantization or device when the last one was short.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-busy.h"
#include "sq-check-list.h"
#include "sq-folders.h"
#include "sq-simulate-page-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                   */

void
_sq_simulate_page_update_controls (SqSimulatePage *self)
{
  gboolean busy = sq_simulation_get_busy (self->simulation);
  gboolean can_run = self->analysis != NULL && sq_analysis_get_result (self->analysis) != NULL
                     && (gtk_toggle_button_get_active (self->poisson_toggle)
                         || self->input_file != NULL);

  g_autoptr(SqAnalysisResult) result = self->analysis ? sq_analysis_dup_result (self->analysis)
                                                      : NULL;

  /* The event-driven core is DynapCNN's. */
  gtk_widget_set_visible (GTK_WIDGET (self->event_check),
                          result != NULL &&
                          g_str_equal (result->quant->network->kind->name, "dynapcnn"));
  gtk_stack_set_visible_child_name (self->status_stack, busy ? "busy" : "status");
  gtk_widget_set_sensitive (self->run_button, can_run);
  gtk_stack_set_visible_child_name (self->input_stack,
                                    gtk_toggle_button_get_active (self->poisson_toggle)
                                      ? "poisson" : "file");
  sq_busy_progress_set (self->progress_bar, SQ_JOB (self->simulation), busy);
}

/**
 * sq_simulate_page_run:
 *
 * Runs the chosen input through both models, cancelling a run under way.
 *
 * Returns: whether a run started (there is a quantization and an input)
 */
gboolean
sq_simulate_page_run (SqSimulatePage *self)
{
  g_autoptr(SqAnalysisResult) result = NULL;
  g_autofree char *path = NULL;
  SqSimInput input = { 0 };

  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), FALSE);

  result = self->analysis ? sq_analysis_dup_result (self->analysis) : NULL;
  if (result == NULL)
    return FALSE;
  if (!gtk_toggle_button_get_active (self->poisson_toggle))
    {
      if (self->input_file == NULL)
        return FALSE;
      path = g_file_get_path (self->input_file);
      if (path == NULL)
        {
          gtk_label_set_text (self->status_label, _("Only local files can be read"));
          return FALSE;
        }
    }
  input.path = path;
  input.rate = gtk_spin_button_get_value (self->rate_spin);
  input.steps = (gsize) gtk_spin_button_get_value (self->steps_spin);
  input.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  input.event_mode = gtk_widget_get_visible (GTK_WIDGET (self->event_check)) &&
                     gtk_check_button_get_active (self->event_check);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  sq_simulation_run (self->simulation, result,
                     sq_kind_device_or_default (result->quant->network->kind, self->device),
                     &input);
  _sq_simulate_page_update_controls (self);
  return TRUE;
}

void
sq_simulate_page_cancel (SqSimulatePage *self)
{
  g_return_if_fail (SQ_IS_SIMULATE_PAGE (self));
  sq_simulation_cancel (self->simulation);
}

static void
simulation_finished (SqSimulatePage *self)
{
  const GError *error = sq_simulation_get_error (self->simulation);
  const SqSimulationResult *r = sq_simulation_get_result (self->simulation);

  _sq_simulate_page_update_controls (self);
  if (error != NULL)
    {
      gtk_label_set_text (self->status_label,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            ? _("Cancelled") : error->message);
      return;
    }
  gtk_label_set_text (self->status_label, "");
  self->auto_run = r != NULL
                   && r->run->int_result->n_steps * r->run->int_result->n_hidden
                        <= SQ_SIMULATION_AUTO_BUDGET;
  _sq_simulate_page_show_result (self);
}

void
_sq_simulate_page_analysis_updated (SqSimulatePage *self)
{
  _sq_simulate_page_update_controls (self);
  if (self->auto_run && sq_analysis_get_result (self->analysis) != NULL)
    sq_simulate_page_run (self);
}

/* A network with a labelled set beside it (the bundled examples) opens on its first sample,
 * run as soon as the quantization is ready, so the page starts on an input the network was
 * trained for rather than on Poisson noise. A file the user chose is kept. */
static void
open_sidecar (SqSimulatePage *self)
{
  SqDocument *document = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;
  GFile *network = document ? sq_document_get_file (document) : NULL;
  g_autofree char *path = network ? g_file_get_path (network) : NULL;
  g_autofree char *sidecar = path ? sq_sample_set_sidecar (path) : NULL;

  if (self->input_file != NULL && !self->input_is_sidecar)
    return;
  if (sidecar == NULL)
    {
      if (self->input_is_sidecar)
        {
          g_clear_object (&self->input_file);
          gtk_label_set_text (self->file_label, _("No file chosen"));
          gtk_toggle_button_set_active (self->poisson_toggle, TRUE);
          self->input_is_sidecar = FALSE;
        }
      return;
    }
  g_clear_object (&self->input_file);
  self->input_file = g_file_new_for_path (sidecar);
  self->input_is_sidecar = TRUE;
  {
    g_autofree char *name = g_file_get_basename (self->input_file);
    g_autofree char *shown = g_filename_display_name (name);
    /* Translators: the Simulate page's input when a network has a labelled set beside it:
     * "small-samples.npz, sample 1". */
    g_autofree char *label = g_strdup_printf (_("%s, sample 1"), shown);

    gtk_label_set_text (self->file_label, label);
  }
  gtk_toggle_button_set_active (self->file_toggle, TRUE);
  self->auto_run = TRUE;
}

void
_sq_simulate_page_document_changed (SqSimulatePage *self)
{
  /* The last run belongs to another network: its end must not reach this page. */
  g_signal_handlers_disconnect_by_data (self->simulation, self);
  sq_simulation_cancel (self->simulation);
  g_clear_object (&self->simulation);
  self->simulation = sq_simulation_new ();
  g_signal_connect_object (self->simulation, "finished", G_CALLBACK (simulation_finished), self,
                           G_CONNECT_SWAPPED);
  self->auto_run = FALSE;
  gtk_label_set_text (self->status_label, "");
  _sq_simulate_page_show_result (self);
  open_sidecar (self);
  _sq_simulate_page_update_controls (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Input files                                                                               */

/**
 * sq_simulate_page_get_settings:
 *
 * Returns: (transfer full): the input settings as sessions keep them:
 *   {"input": "poisson"|"file", "rate", "steps", "seed", "file": absolute path or absent}
 */
JsonObject *
sq_simulate_page_get_settings (SqSimulatePage *self)
{
  JsonObject *o = json_object_new ();

  g_return_val_if_fail (SQ_IS_SIMULATE_PAGE (self), o);
  json_object_set_string_member (o, "input", gtk_toggle_button_get_active (self->poisson_toggle)
                                             ? "poisson" : "file");
  json_object_set_double_member (o, "rate", gtk_spin_button_get_value (self->rate_spin));
  json_object_set_int_member (o, "steps", (gint64) gtk_spin_button_get_value (self->steps_spin));
  json_object_set_int_member (o, "seed", (gint64) gtk_spin_button_get_value (self->seed_spin));
  if (self->input_file != NULL)
    {
      g_autofree char *path = g_file_get_path (self->input_file);

      if (path != NULL)
        json_object_set_string_member (o, "file", path);
    }
  return o;
}

/* A number member, or @fallback when it is missing or not a number. */
static double
number_member (JsonObject *o,
               const char *name,
               double      fallback)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) == G_TYPE_INVALID ||
      (json_node_get_value_type (n) != G_TYPE_DOUBLE &&
       json_node_get_value_type (n) != G_TYPE_INT64))
    return fallback;
  return json_node_get_double (n);
}

/**
 * sq_simulate_page_set_settings:
 *
 * Restores settings saved by sq_simulate_page_get_settings(); missing or malformed members
 * keep the current values (the spin buttons clamp what is out of range).
 */
void
sq_simulate_page_set_settings (SqSimulatePage *self,
                               JsonObject     *settings)
{
  const char *input;

  g_return_if_fail (SQ_IS_SIMULATE_PAGE (self));
  if (settings == NULL)
    return;
  gtk_spin_button_set_value (self->rate_spin, number_member (settings, "rate",
                             gtk_spin_button_get_value (self->rate_spin)));
  gtk_spin_button_set_value (self->steps_spin, number_member (settings, "steps",
                             gtk_spin_button_get_value (self->steps_spin)));
  gtk_spin_button_set_value (self->seed_spin, number_member (settings, "seed",
                             gtk_spin_button_get_value (self->seed_spin)));
  if (json_object_has_member (settings, "file") &&
      json_node_get_value_type (json_object_get_member (settings, "file")) == G_TYPE_STRING)
    {
      g_autoptr(GFile) file =
        g_file_new_for_path (json_object_get_string_member (settings, "file"));

      sq_simulate_page_set_input_file (self, file);
    }
  input = json_object_has_member (settings, "input") &&
          json_node_get_value_type (json_object_get_member (settings, "input")) == G_TYPE_STRING
          ? json_object_get_string_member (settings, "input") : NULL;
  if (g_strcmp0 (input, "poisson") == 0)
    gtk_toggle_button_set_active (self->poisson_toggle, TRUE);
  else if (g_strcmp0 (input, "file") == 0 && self->input_file != NULL)
    gtk_toggle_button_set_active (self->file_toggle, TRUE);
}

/**
 * sq_simulate_page_set_input_file:
 * @file: (nullable): a raster file; chosen as the input, and run
 */
void
sq_simulate_page_set_input_file (SqSimulatePage *self,
                                 GFile          *file)
{
  g_return_if_fail (SQ_IS_SIMULATE_PAGE (self));

  g_set_object (&self->input_file, file);
  self->input_is_sidecar = FALSE;
  if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *shown = g_filename_display_name (name);

      gtk_label_set_text (self->file_label, shown);
      gtk_toggle_button_set_active (self->file_toggle, TRUE);
    }
  else
    gtk_label_set_text (self->file_label, _("No file chosen"));
  _sq_simulate_page_update_controls (self);
  if (file != NULL)
    sq_simulate_page_run (self);
}

static void
chooser_response (SqSimulatePage       *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_RASTER);
      if (file != NULL)
        sq_simulate_page_set_input_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_file (SqSimulatePage *self)
{
  g_autoptr(GtkFileFilter) rasters = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose an Input Raster"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (rasters, _("Rasters and sample sets (CSV, NumPy, JSON)"));
  gtk_file_filter_add_suffix (rasters, "csv");
  gtk_file_filter_add_suffix (rasters, "npy");
  gtk_file_filter_add_suffix (rasters, "npz");
  gtk_file_filter_add_suffix (rasters, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), rasters);
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_RASTER);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
drop_file (SqSimulatePage *self,
           const GValue   *value,
           double          x,
           double          y)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  sq_simulate_page_set_input_file (self, file);
  return TRUE;
}

/* The run and file buttons, drops on the page, and the simulation they drive. */
void
_sq_simulate_page_input_init (SqSimulatePage *self)
{
  GtkDropTarget *drop;

  self->simulation = sq_simulation_new ();
  g_signal_connect_object (self->simulation, "finished", G_CALLBACK (simulation_finished), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (sq_simulate_page_run),
                            self);
  g_signal_connect_swapped (self->cancel_button, "clicked",
                            G_CALLBACK (sq_simulate_page_cancel), self);
  g_signal_connect_swapped (self->file_button, "clicked", G_CALLBACK (choose_file), self);
  g_signal_connect_swapped (self->poisson_toggle, "toggled",
                            G_CALLBACK (_sq_simulate_page_update_controls), self);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_swapped (drop, "drop", G_CALLBACK (drop_file), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
