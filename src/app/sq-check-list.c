/* sq-check-list.c: a device check's problems as a list, and the check itself in a thread
 *
 * The rows list violations first, then silent changes, then what keeps a network that fits
 * from working, then notes, each in the order of the network; a row whose issue concerns a
 * parameter group is activatable and emits ::issue-activated with the group's index. The check
 * scans every weight (15 ms for a Xylo-size network), so it runs in a thread holding references
 * to what it reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-check-list.h"
#include "sq-format.h"

struct _SqCheckList
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkLabel   *summary_label;
  GtkGrid    *resources_grid;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (SqCheckList, sq_check_list, GTK_TYPE_WIDGET)

enum {
  ISSUE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                      */

/**
 * sq_check_report_summary:
 *
 * Returns: one line for the user: "Fits XyloAudio 2", "Does not fit XyloIMU: 3 problems",
 *   "Fits XyloAudio 2 but cannot work: dash_mem is 0 for all 38 hidden neurons: …"
 */
char *
sq_check_report_summary (const SqCheckReport *report)
{
  const SqCheckIssue *dead;
  gsize problems;

  g_return_val_if_fail (report != NULL, NULL);

  problems = sq_check_report_count (report, SQ_CHECK_VIOLATION) +
             sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE);
  dead = sq_check_report_first (report, SQ_CHECK_DEAD);
  if (problems == 0 && dead != NULL)
    /* Translators: %s is a device ("XyloAudio 2"), the second %s why the network cannot
     * work */
    return g_strdup_printf (_("Fits %s but cannot work: %s"), report->device->title,
                            dead->message);
  if (problems == 0)
    /* Translators: %s is a device ("XyloAudio 2") */
    return g_strdup_printf (_("Fits %s"), report->device->title);
  /* Translators: %s is a device ("XyloIMU"), %zu the number of problems */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Does not fit %s: %zu problem",
                                       "Does not fit %s: %zu problems", problems),
                          report->device->title, problems);
}

static const char *
severity_icon (SqCheckSeverity severity)
{
  switch (severity)
    {
    case SQ_CHECK_VIOLATION:
      return "dialog-error-symbolic";
    case SQ_CHECK_SILENT_CHANGE:
      return "dialog-warning-symbolic";
    case SQ_CHECK_DEAD:
      return "dialog-warning-symbolic";
    case SQ_CHECK_NOTE:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_class (SqCheckSeverity severity)
{
  switch (severity)
    {
    case SQ_CHECK_VIOLATION:
      return "error";
    case SQ_CHECK_SILENT_CHANGE:
      return "warning";
    case SQ_CHECK_DEAD:
      return "warning";
    case SQ_CHECK_NOTE:
    default:
      return "dim-label";
    }
}

static const char *
severity_title (SqCheckSeverity severity)
{
  switch (severity)
    {
    case SQ_CHECK_VIOLATION:
      /* Translators: the device cannot hold this part of the network */
      return _("Violation");
    case SQ_CHECK_SILENT_CHANGE:
      /* Translators: Rockpool would change the network without an error */
      return _("Silent change");
    case SQ_CHECK_DEAD:
      /* Translators: the network fits the device, but this part of it cannot work */
      return _("Cannot work");
    case SQ_CHECK_NOTE:
    default:
      return _("Note");
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Rows                                                                                      */

static GtkWidget *
issue_row_new (const SqCheckIssue *issue,
               const SqNetwork    *network)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (issue->severity));
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), issue->message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, severity_class (issue->severity));
  gtk_widget_set_tooltip_text (icon, severity_title (issue->severity));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "sq-severity", GINT_TO_POINTER (issue->severity));

  if (network != NULL && issue->param >= 0 &&
      (guint) issue->param < sq_network_n_groups (network))
    {
      const SqGroup *group = sq_network_get_group (network, (guint) issue->param);

      g_object_set_data (G_OBJECT (row), "sq-group", GINT_TO_POINTER (issue->param));
      /* Translators: "Violation · Recurrent weights": severity and parameter group */
      subtitle = g_strdup_printf (_("%s · %s"), severity_title (issue->severity),
                                  sq_label (group->label));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }
  else
    {
      g_object_set_data (G_OBJECT (row), "sq-group", GINT_TO_POINTER (-1));
      subtitle = g_strdup (severity_title (issue->severity));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
row_activated (SqCheckList   *self,
               GtkListBoxRow *row)
{
  int group = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "sq-group"));

  if (group >= 0)
    g_signal_emit (self, signals[ISSUE_ACTIVATED], 0, group);
}

/* ---------------------------------------------------------------------------------------- */
/* Resources                                                                                 */

static GtkWidget *
resource_label (const char *text,
                const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* A bar per resource under its unit's title ("Core 3 · Layer 0"): how full each is. */
static void
show_resources (SqCheckList         *self,
                const SqCheckReport *report)
{
  GtkWidget *child;
  const char *unit = NULL;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->resources_grid))) != NULL)
    gtk_grid_remove (self->resources_grid, child);
  for (guint i = 0; report != NULL && report->resources != NULL &&
                    i < report->resources->len; i++)
    {
      const SqCheckResource *r = &g_array_index (report->resources, SqCheckResource, i);
      double capacity = MAX ((double) r->capacity, 1.0);
      g_autofree char *used = sq_format_integer (r->used);
      g_autofree char *total = sq_format_integer (r->capacity);
      g_autofree char *amount = NULL;
      GtkWidget *bar, *name, *value;

      if (g_strcmp0 (unit, r->unit) != 0)
        {
          GtkWidget *title = resource_label (r->unit, "heading");

          gtk_widget_set_margin_top (title, row > 0 ? 6 : 0);
          gtk_grid_attach (self->resources_grid, title, 0, row++, 3, 1);
          unit = r->unit;
        }
      /* Translators: how much of a memory the network uses, "1 024 of 16 384" */
      amount = g_strdup_printf (_("%s of %s"), used, total);
      bar = gtk_level_bar_new_for_interval (0.0, capacity);
      /* One colour for any filling; an overfull memory is an error. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), MIN ((double) r->used, capacity));
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      if (r->used > r->capacity)
        gtk_widget_add_css_class (bar, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      sq_label (r->label), -1);
      name = resource_label (sq_label (r->label), NULL);
      value = resource_label (amount, "numeric");
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_grid_attach (self->resources_grid, name, 0, row, 1, 1);
      gtk_grid_attach (self->resources_grid, bar, 1, row, 1, 1);
      gtk_grid_attach (self->resources_grid, value, 2, row++, 1, 1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->resources_grid), row > 0);
}

/**
 * sq_check_list_set_report:
 * @report: (nullable): the check to show, or %NULL for none
 * @network: (nullable): the network checked, whose groups the issues name
 */
void
sq_check_list_set_report (SqCheckList         *self,
                          const SqCheckReport *report,
                          const SqNetwork     *network)
{
  GtkWidget *child;
  guint shown = 0, total = 0;

  g_return_if_fail (SQ_IS_CHECK_LIST (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  show_resources (self, report);
  if (report == NULL)
    {
      gtk_label_set_label (self->summary_label, _("Not checked yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->list), FALSE);
      return;
    }

  {
    g_autofree char *summary = sq_check_report_summary (report);

    gtk_label_set_label (self->summary_label, summary);
  }
  /* The worst first: a user fixes violations before reading notes. */
  for (int severity = SQ_CHECK_VIOLATION; severity <= SQ_CHECK_NOTE; severity++)
    for (guint i = 0; i < report->issues->len; i++)
      {
        const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

        if ((int) issue->severity != severity)
          continue;
        total++;
        if (shown < SQ_CHECK_LIST_MAX_ROWS)
          {
            gtk_list_box_append (self->list, issue_row_new (issue, network));
            shown++;
          }
      }
  if (total > shown)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more problem or note",
                                                            "%u more problems and notes",
                                                            total - shown),
                                               total - shown);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("synquant-cli check lists every one"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      g_object_set_data (G_OBJECT (row), "sq-group", GINT_TO_POINTER (-1));
      gtk_list_box_append (self->list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->list), total > 0);
}

GtkListBox *
sq_check_list_get_list_box (SqCheckList *self)
{
  g_return_val_if_fail (SQ_IS_CHECK_LIST (self), NULL);
  return self->list;
}

/* ---------------------------------------------------------------------------------------- */
/* Devices                                                                                   */

/* Returns: (nullable): the @i-th of @kind's devices, the order pickers list them in */
const SqDeviceProfile *
sq_kind_device_nth (const SqNetworkKind *kind,
                    guint                i)
{
  g_autoptr(GPtrArray) devices = sq_network_kind_devices (kind);

  return i < devices->len ? g_ptr_array_index (devices, i) : NULL;
}

/* Returns: (nullable): @device when @kind can run on it, else %NULL: the kind's default, as
 * the core's verbs take it */
const SqDeviceProfile *
sq_kind_device_or_default (const SqNetworkKind   *kind,
                           const SqDeviceProfile *device)
{
  return device != NULL && sq_network_kind_device (kind, device->name) == device ? device
                                                                                 : NULL;
}

/* Returns: @device's place among @kind's devices, 0 (the default) for another */
guint
sq_kind_device_position (const SqNetworkKind   *kind,
                         const SqDeviceProfile *device)
{
  g_autoptr(GPtrArray) devices = sq_network_kind_devices (kind);
  guint i;

  return g_ptr_array_find (devices, device, &i) ? i : 0;
}

/* Returns: (transfer full): the titles of @kind's devices, for a drop-down; product names,
 * not translated */
GListModel *
sq_kind_device_titles (const SqNetworkKind *kind)
{
  g_autoptr(GPtrArray) devices = sq_network_kind_devices (kind);
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < devices->len; i++)
    gtk_string_list_append (list, ((const SqDeviceProfile *) devices->pdata[i])->title);
  return G_LIST_MODEL (list);
}

/* ---------------------------------------------------------------------------------------- */
/* The check, in a thread                                                                    */

typedef struct {
  SqAnalysisResult      *result;
  const SqDeviceProfile *device;
} CheckData;

static void
check_data_free (CheckData *data)
{
  sq_analysis_result_unref (data->result);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  const SqNetworkResult *quant = data->result->quant;
  GError *error = NULL;
  SqCheckReport *report = sq_network_check (quant->network, quant, data->device, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sq_check_report_free);
}

/* Checks what an export of @result would write against @device, as synquant-cli check
 * does: an integer network as it is, else the quantization (sq_network_exported()). */
void
sq_check_run_async (SqAnalysisResult      *result,
                    const SqDeviceProfile *device,
                    GCancellable          *cancellable,
                    GAsyncReadyCallback    callback,
                    gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckData *data = g_new0 (CheckData, 1);

  data->result = sq_analysis_result_ref (result);
  data->device = device;
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, check_thread);
}

SqCheckReport *
sq_check_run_finish (GAsyncResult *result,
                     GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_check_list_dispose (GObject *object)
{
  SqCheckList *self = SQ_CHECK_LIST (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_CHECK_LIST);

  G_OBJECT_CLASS (sq_check_list_parent_class)->dispose (object);
}

static void
sq_check_list_class_init (SqCheckListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_check_list_dispose;

  /**
   * SqCheckList::issue-activated:
   * @group: the index of the activated issue's group in the checked network
   *
   * A row concerning a parameter group was activated.
   */
  signals[ISSUE_ACTIVATED] = g_signal_new ("issue-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-check-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SqCheckList, box);
  gtk_widget_class_bind_template_child (widget_class, SqCheckList, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SqCheckList, resources_grid);
  gtk_widget_class_bind_template_child (widget_class, SqCheckList, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_check_list_init (SqCheckList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sq_check_list_set_report (self, NULL, NULL);
}
