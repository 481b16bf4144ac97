/* sq-window-actions.c: the window's actions and their keys
 *
 * Widget actions (win.*), installed in class_init with their key bindings so tests can
 * activate them; the shortcuts window (ui/gtk/help-overlay.ui) lists every binding. Each
 * action hands over to the file of its job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-window-private.h"

void
_sq_window_update_actions (SqWindow *self)
{
  const SqAnalysisResult *r = sq_analysis_get_result (self->analysis);
  const SqNetworkKind *kind = sq_analysis_get_kind (self->analysis);
  gboolean have = self->document != NULL;
  gboolean weight_bits = have && sq_network_kind_option (kind, "weight-bits") != NULL;
  gboolean threshold_bits = have && sq_network_kind_option (kind, "threshold-bits") != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", r != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", r != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.page", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.weight-bits-up", weight_bits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.weight-bits-down", weight_bits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.threshold-bits-up", threshold_bits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.threshold-bits-down",
                                 threshold_bits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-log", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load",
                                 self->load_cancellable != NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Opening, saving, exporting                                                                */

/* The actions that hand the window to a job of another file. */
static const struct {
  const char *name;
  void      (*run) (SqWindow *self);
} window_actions[] = {
  { "win.open", _sq_window_choose_network },
  { "win.save-as", _sq_window_choose_save_file },
  { "win.cancel-load", _sq_window_cancel_load },
  { "win.export", _sq_window_export },
  { "win.save-session", _sq_window_choose_session_file },
};

static void
window_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    if (g_str_equal (window_actions[i].name, action_name))
      window_actions[i].run (SQ_WINDOW (widget));
}

/* An example is a path, a recent file a URI. */
static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  const char *target = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = g_str_equal (action_name, "win.open-uri")
                            ? g_file_new_for_uri (target) : g_file_new_for_path (target);

  sq_window_open (SQ_WINDOW (widget), file);
}

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  _sq_window_show_in_folder (SQ_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Pages and bit widths                                                                      */

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);

  if (self->document != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack,
                                           g_variant_get_string (param, NULL));
}

/* One step of a number option the kind has ("weight-bits"), kept within its range; from
 * its special value ("auto") a step goes to its first number. */
static void
step_option (SqWindow   *self,
             const char *id,
             int         delta)
{
  const SqOption *o = sq_network_kind_option (sq_analysis_get_kind (self->analysis), id);
  int value;

  if (o == NULL || o->type != SQ_OPTION_INT)
    return;
  value = sq_analysis_get_option (self->analysis, id);
  if (o->special_name != NULL && value == o->special_value)
    value = delta > 0 ? o->min : o->max;
  else
    value = CLAMP (value + delta, o->min, o->max);
  sq_analysis_set_option (self->analysis, id, value);
}

/* win.weight-bits-up → "weight-bits", +1 */
static void
bits_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  step_option (SQ_WINDOW (widget), g_str_has_prefix (action_name, "win.weight")
                                     ? "weight-bits" : "threshold-bits",
               g_str_has_suffix (action_name, "-up") ? 1 : -1);
}

static void
toggle_log_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SqWindow *self = SQ_WINDOW (widget);
  GtkToggleButton *toggle = GTK_TOGGLE_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (self->tune_page), SQ_TYPE_TUNE_PAGE,
                                   "log_toggle"));

  gtk_toggle_button_set_active (toggle, !gtk_toggle_button_get_active (toggle));
}

void
_sq_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, window_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", "s", open_file_action);
  gtk_widget_class_install_action (widget_class, "win.open-uri", "s", open_file_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, window_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, window_action);
  gtk_widget_class_install_action (widget_class, "win.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "win.weight-bits-up", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.weight-bits-down", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.threshold-bits-up", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.threshold-bits-down", NULL, bits_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-log", NULL, toggle_log_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, window_action);
  gtk_widget_class_install_action (widget_class, "win.save-session", NULL, window_action);
  gtk_widget_class_install_action (widget_class, "win.show-in-folder", "s",
                                   show_in_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-session",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.page", "s",
                                       "tune");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.page", "s",
                                       "compare");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.page", "s",
                                       "simulate");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.page", "s",
                                       "sweep");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.page", "s",
                                       "robustness");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.page", "s", "tune");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.page", "s", "compare");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.weight-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.weight-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "win.weight-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.weight-bits-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "win.weight-bits-down", NULL);
  /* Threshold bits take Ctrl+Alt: Ctrl+Shift+plus is what a US keyboard sends for Ctrl+plus
   * (plus is Shift+equal, and the consumed Shift is ignored when matching), so it could never
   * reach the threshold bits. Not the keypad here: Ctrl+Alt+KP_Add/KP_Subtract switch video
   * modes on X11. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus,
                                       GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.threshold-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal,
                                       GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.threshold-bits-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus,
                                       GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.threshold-bits-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.toggle-log", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-load",
                                       NULL);
}
