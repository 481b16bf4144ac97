/* sq-robustness-page.c: the Robustness page — Monte-Carlo robustness of the open network
 *
 * The page draws N networks from a transform configuration (a built-in one or a JSON file,
 * as `synquant-cli robustness --transforms` reads it) and runs each over the sample set
 * against the untransformed float model, through SqRobustnessTask: as float models, and
 * quantized with the Tune page's settings on the device's integer core. Each setting is a
 * box of the chosen figure over the draws (the core's SqDistribution: quartiles, extremes,
 * mean) with the untransformed network through the same path — the deterministic result —
 * as a diamond beside it, and the same figures in words below. A page of its own rather than
 * a mode of Sweep: its inputs (a configuration, draws, a seed) and its chart (a distribution
 * per setting, not a figure per setting) are other ones; the sample set is the Sweep page's
 * (the window keeps the two pages' SqSamplesButton in step).
 *
 * Another network clears the page; other quantization settings or another device clear a
 * result that has integer cores, so no figure shown belongs to anything but what is open.
 * This file is the object, its controls, configurations and runs; what it shows is in
 * sq-robustness-page-chart.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "sq-busy.h"
#include "sq-check-list.h"
#include "sq-folders.h"
#include "sq-robustness-page-private.h"

/* The most characters of a configuration's name the drop-down shows. */
#define MAX_NAME_CHARS 24

/* A configuration the drop-down offers: its name and its JSON. */
typedef struct {
  char *name;
  char *data;
} Config;

G_DEFINE_FINAL_TYPE (SqRobustnessPage, sq_robustness_page, GTK_TYPE_WIDGET)

/* Built in, so the page works without a file: what a chip's coarse weights and failing
 * synapses do. Each family takes one transform, hence two configurations. 64 levels rather
 * than Rockpool's default 256, which barely moves a trained network: the spread shows. */
static const struct {
  const char *name;
  const char *data;
} presets[] = {
  { N_("Stochastic rounding"),
    "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"stochastic_rounding\", "
    "\"num_levels\": 64}]}" },
  { N_("Dropout"),
    "{\"transforms\": [{\"family\": \"weights\", \"transform\": \"dropout\", "
    "\"probability\": 0.1}]}" },
};

static void
config_free (gpointer data)
{
  Config *c = data;

  g_free (c->name);
  g_free (c->data);
  g_free (c);
}

static const Config *
current_config (SqRobustnessPage *self)
{
  guint i = gtk_drop_down_get_selected (self->config_dropdown);

  return i < self->configs->len ? g_ptr_array_index (self->configs, i) : NULL;
}

static void
show_config (SqRobustnessPage *self)
{
  const Config *c = current_config (self);
  g_autoptr(SqTransformConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (c == NULL)
    {
      gtk_label_set_text (self->config_label, "");
      return;
    }
  config = sq_transform_config_load_data (c->data, strlen (c->data), c->name, &error);
  text = config ? _sq_robustness_config_text (config) : g_strdup (error->message);
  gtk_label_set_text (self->config_label, text);
}

/* ---------------------------------------------------------------------------------------- */
/* Controls                                                                                  */

static void
update_controls (SqRobustnessPage *self)
{
  gboolean busy = sq_job_get_busy (SQ_JOB (self->task));
  gboolean any = gtk_check_button_get_active (self->float_check)
                 || gtk_check_button_get_active (self->integer_check);

  gtk_stack_set_visible_child_name (self->status_stack, busy ? "busy" : "status");
  gtk_widget_set_sensitive (self->run_button,
                            !busy && self->analysis != NULL
                            && sq_analysis_get_document (self->analysis) != NULL && any
                            && sq_samples_button_get_file (self->samples_button) != NULL);
}

static void
busy_changed (SqRobustnessPage *self)
{
  gboolean busy = sq_job_get_busy (SQ_JOB (self->task));

  sq_busy_progress_set (self->progress_bar, SQ_JOB (self->task), busy);
  update_controls (self);
}

/* The result is of another network or quantization than what is open: it goes, and the
 * status says why the chart is empty. */
static void
drop_result (SqRobustnessPage *self,
             const char       *why)
{
  sq_robustness_task_forget (self->task);
  gtk_label_set_text (self->status_label, why);
  _sq_robustness_page_show_result (self);
}

static void
document_changed (SqRobustnessPage *self)
{
  SqDocument *document = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;

  if (document == self->document)
    return;
  g_set_object (&self->document, document);
  drop_result (self, "");
  update_controls (self);
}

/* The integer cores ran with the settings of the time: other ones make them stale. */
static void
settings_changed (SqRobustnessPage *self)
{
  const SqQuantSettings *ran = sq_robustness_task_get_quant (self->task);
  SqQuantSettings now;

  if (ran == NULL || self->analysis == NULL)
    return;
  sq_analysis_get_settings (self->analysis, &now);
  if (!sq_quant_settings_equal (ran, &now))
    drop_result (self, _("The quantization settings changed: run the draws again to see the "
                         "integer cores with them"));
}

/* ---------------------------------------------------------------------------------------- */
/* Configurations                                                                            */

static void
add_config (SqRobustnessPage *self,
            const char       *name,
            const char       *data)
{
  Config *c = g_new0 (Config, 1);
  g_autofree char *shown = NULL;

  c->name = g_strdup (name);
  c->data = g_strdup (data);
  g_ptr_array_add (self->configs, c);
  /* A long file name would widen the drop-down, and the page, beyond the window. */
  if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    {
      g_autofree char *head = g_utf8_substring (name, 0, MAX_NAME_CHARS - 1);

      shown = g_strconcat (head, "…", NULL);
    }
  gtk_string_list_append (self->config_names, shown ? shown : name);
}

/**
 * sq_robustness_page_open_config:
 * @file: a transform configuration (docs/transforms.md)
 *
 * Reads and checks @file and chooses it; a file opened before is replaced in the drop-down.
 *
 * Returns: whether it was read; otherwise @error says why, naming the file and the key
 */
gboolean
sq_robustness_page_open_config (SqRobustnessPage  *self,
                                GFile             *file,
                                GError           **error)
{
  g_autofree char *data = NULL, *name = NULL;
  g_autoptr(SqTransformConfig) config = NULL;
  gsize length;

  g_return_val_if_fail (SQ_IS_ROBUSTNESS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    return FALSE;
  name = g_file_get_basename (file);
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_SYNTAX,
                   _("%s: not a JSON text (it holds a zero byte)"), name);
      return FALSE;
    }
  config = sq_transform_config_load_data (data, length, name, error);
  if (config == NULL)
    return FALSE;
  /* The presets, then at most one file. */
  if (self->configs->len > G_N_ELEMENTS (presets))
    {
      g_ptr_array_set_size (self->configs, G_N_ELEMENTS (presets));
      gtk_string_list_splice (self->config_names, G_N_ELEMENTS (presets), 1, NULL);
    }
  add_config (self, name, data);
  gtk_drop_down_set_selected (self->config_dropdown, self->configs->len - 1);
  show_config (self);
  return TRUE;
}

/* Returns: the JSON of the configuration chosen, as the next run reads it */
const char *
sq_robustness_page_get_config_data (SqRobustnessPage *self)
{
  const Config *c;

  g_return_val_if_fail (SQ_IS_ROBUSTNESS_PAGE (self), NULL);
  c = current_config (self);
  return c ? c->data : NULL;
}

static void
config_chosen (SqRobustnessPage     *self,
               int                   response,
               GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_TRANSFORMS);
      if (file != NULL && !sq_robustness_page_open_config (self, file, &error))
        gtk_label_set_text (self->status_label, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
choose_config (SqRobustnessPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Open a Transform Configuration"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (json, _("Transform configurations (JSON)"));
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), json);
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_TRANSFORMS);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (config_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                   */

static void
task_finished (SqRobustnessPage *self)
{
  const GError *error = sq_job_get_error (SQ_JOB (self->task));
  const SqRobustness *r = sq_robustness_task_get_result (self->task, SQ_ROBUSTNESS_FLOAT);

  update_controls (self);
  if (error != NULL)
    {
      gtk_label_set_text (self->status_label,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            ? _("Cancelled") : error->message);
      return;
    }
  if (r == NULL)
    r = sq_robustness_task_get_result (self->task, SQ_ROBUSTNESS_INTEGER);
  if (r != NULL)
    {
      g_autofree char *draws =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u draw (seed %" PRIu64 ") of “%s”",
                                      "%u draws (seed %" PRIu64 ") of “%s”", r->n_draws),
                         r->n_draws, r->seed, sq_robustness_task_get_config_name (self->task));
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, each on %zu sample",
                                      "%s, each on %zu samples", r->n_samples),
                         draws, r->n_samples);

      gtk_label_set_text (self->status_label, text);
    }
  _sq_robustness_page_show_result (self);
}

/**
 * sq_robustness_page_run:
 *
 * Draws the networks of the configuration chosen and runs each over the sample set, as
 * float models and on the integer core with the Tune page's settings (those checked);
 * cancels a run under way.
 *
 * Returns: whether a run started; otherwise the status says why
 */
gboolean
sq_robustness_page_run (SqRobustnessPage *self)
{
  SqRobustnessRequest request = { NULL };
  g_autofree char *path = NULL;
  const Config *c;
  SqDocument *document;
  GFile *samples;

  g_return_val_if_fail (SQ_IS_ROBUSTNESS_PAGE (self), FALSE);

  document = self->analysis ? sq_analysis_get_document (self->analysis) : NULL;
  samples = sq_samples_button_get_file (self->samples_button);
  c = current_config (self);
  if (document == NULL || c == NULL)
    return FALSE;
  if (samples == NULL)
    {
      gtk_label_set_text (self->status_label, _("Choose a sample set to run the draws on"));
      return FALSE;
    }
  if ((path = g_file_get_path (samples)) == NULL)
    {
      gtk_label_set_text (self->status_label, _("Only local files can be read"));
      return FALSE;
    }
  request.settings[SQ_ROBUSTNESS_FLOAT] = gtk_check_button_get_active (self->float_check);
  request.settings[SQ_ROBUSTNESS_INTEGER] = gtk_check_button_get_active (self->integer_check);
  if (!request.settings[SQ_ROBUSTNESS_FLOAT] && !request.settings[SQ_ROBUSTNESS_INTEGER])
    {
      gtk_label_set_text (self->status_label, _("Choose float models, integer cores or both"));
      return FALSE;
    }
  request.network = sq_document_get_network (document);
  request.config_data = c->data;
  request.config_name = c->name;
  request.samples = path;
  request.n_draws = (guint) gtk_spin_button_get_value_as_int (self->draws_spin);
  request.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  sq_analysis_get_settings (self->analysis, &request.quant);
  request.device = sq_kind_device_or_default (request.network->kind, self->device);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  sq_robustness_task_run (self->task, &request);
  return TRUE;
}

void
sq_robustness_page_cancel (SqRobustnessPage *self)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_PAGE (self));
  sq_job_cancel (SQ_JOB (self->task));
}

/* ---------------------------------------------------------------------------------------- */
/* The object                                                                                */

void
sq_robustness_page_set_analysis (SqRobustnessPage *self,
                                 SqAnalysis       *analysis)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_PAGE (self));

  if (self->analysis)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  if (!g_set_object (&self->analysis, analysis))
    return;
  if (analysis != NULL)
    {
      g_signal_connect_swapped (analysis, "notify::document", G_CALLBACK (document_changed),
                                self);
      g_signal_connect_swapped (analysis, "notify::settings", G_CALLBACK (settings_changed),
                                self);
    }
  document_changed (self);
}

/**
 * sq_robustness_page_set_device:
 * @device: (nullable): the device whose integer core the next run uses; one the network's
 *   kind does not have, or %NULL, is the kind's default
 *
 * A result with integer cores of another device is dropped.
 */
void
sq_robustness_page_set_device (SqRobustnessPage      *self,
                               const SqDeviceProfile *device)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_PAGE (self));

  if (self->device == device)
    return;
  self->device = device;
  if (sq_robustness_task_get_quant (self->task) != NULL
      && sq_robustness_task_get_device (self->task) != device)
    drop_result (self, _("The device changed: run the draws again to see its integer core"));
}

/**
 * sq_robustness_page_set_samples:
 * @file: (nullable): the sample set the next run evaluates every draw on
 */
void
sq_robustness_page_set_samples (SqRobustnessPage *self,
                                GFile            *file)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_PAGE (self));
  sq_samples_button_set_file (self->samples_button, file);
}

/* For the window, which keeps the Sweep and Robustness pages on one sample set. */
SqSamplesButton *
sq_robustness_page_get_samples_button (SqRobustnessPage *self)
{
  g_return_val_if_fail (SQ_IS_ROBUSTNESS_PAGE (self), NULL);
  return self->samples_button;
}

/* For tests and the window: the draws and the seed, as the spin buttons take them. */
void
sq_robustness_page_set_draws (SqRobustnessPage *self,
                              guint             n_draws,
                              guint64           seed)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_PAGE (self));
  gtk_spin_button_set_value (self->draws_spin, n_draws);
  gtk_spin_button_set_value (self->seed_spin, (double) seed);
}

void
sq_robustness_page_set_figure (SqRobustnessPage   *self,
                               SqRobustnessFigure  figure)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_PAGE (self));
  g_return_if_fail (figure < SQ_ROBUSTNESS_N_FIGURES);
  gtk_drop_down_set_selected (self->figure_dropdown, figure);
}

SqRobustnessTask *
sq_robustness_page_get_task (SqRobustnessPage *self)
{
  g_return_val_if_fail (SQ_IS_ROBUSTNESS_PAGE (self), NULL);
  return self->task;
}

static void
sq_robustness_page_dispose (GObject *object)
{
  SqRobustnessPage *self = SQ_ROBUSTNESS_PAGE (object);
  GtkWidget *child;

  if (self->analysis)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  g_clear_object (&self->analysis);
  if (self->task != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->task, self);
      sq_job_cancel (SQ_JOB (self->task));
    }
  g_clear_object (&self->task);
  g_clear_object (&self->document);
  g_clear_object (&self->chooser);
  g_clear_object (&self->boxes);
  g_clear_object (&self->config_names);
  g_clear_pointer (&self->configs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_ROBUSTNESS_PAGE);
  /* The template's outer box is not bound to a field, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sq_robustness_page_parent_class)->dispose (object);
}

static void
sq_robustness_page_class_init (SqRobustnessPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_robustness_page_dispose;

  g_type_ensure (SQ_TYPE_CHART);
  g_type_ensure (SQ_TYPE_SAMPLES_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/"
                                               "sq-robustness-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, samples_button);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, config_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, config_button);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, figure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, draws_spin);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, float_check);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, integer_check);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, config_label);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, chart);
  gtk_widget_class_bind_template_child (widget_class, SqRobustnessPage, figures_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_robustness_page_init (SqRobustnessPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->task = sq_robustness_task_new ();
  g_signal_connect_object (self->task, "finished", G_CALLBACK (task_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task, "notify::busy", G_CALLBACK (busy_changed), self,
                           G_CONNECT_SWAPPED);

  self->configs = g_ptr_array_new_with_free_func (config_free);
  self->config_names = gtk_string_list_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    add_config (self, _(presets[i].name), presets[i].data);
  gtk_drop_down_set_model (self->config_dropdown, G_LIST_MODEL (self->config_names));
  g_signal_connect_swapped (self->config_dropdown, "notify::selected",
                            G_CALLBACK (show_config), self);

  _sq_robustness_page_chart_init (self);

  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (sq_robustness_page_run),
                            self);
  g_signal_connect_swapped (self->cancel_button, "clicked",
                            G_CALLBACK (sq_robustness_page_cancel), self);
  g_signal_connect_swapped (self->config_button, "clicked", G_CALLBACK (choose_config), self);
  g_signal_connect_swapped (self->samples_button, "notify::file",
                            G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->float_check, "toggled", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->integer_check, "toggled", G_CALLBACK (update_controls),
                            self);
  show_config (self);
  update_controls (self);
  _sq_robustness_page_show_result (self);
}
