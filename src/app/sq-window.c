/* sq-window.c: the main window
 *
 * The window's class and instance, its pages and settings. A loaded document goes to the tune
 * page's analysis; the compare and simulate pages follow that analysis. The other jobs live
 * beside it (sq-window-private.h lists them): opening, actions, the device check, export and
 * sessions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-window-private.h"

G_DEFINE_FINAL_TYPE (SqWindow, sq_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_SIMULATE_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------- */
/* Errors and toasts                                                                         */

void
_sq_window_show_error (SqWindow   *self,
                       const char *heading,
                       const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_sq_window_show_toast (SqWindow   *self,
                       const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* ---------------------------------------------------------------------------------------- */
/* The document and the pages                                                                */

void
_sq_window_set_document (SqWindow   *self,
                         SqDocument *document)
{
  if (!g_set_object (&self->document, document))
    return;

  sq_analysis_set_document (self->analysis, document);
  /* The file's name, and its folder beneath. */
  adw_window_title_set_title (self->window_title,
                              document ? sq_document_get_title (document) : _("Synquant"));
  if (document != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (sq_document_get_file (document));
      g_autofree char *folder = parent ? g_file_get_parse_name (parent) : NULL;

      adw_window_title_set_subtitle (self->window_title, folder ? folder : "");
    }
  gtk_widget_set_visible (self->view_switcher, document != NULL);
  gtk_widget_set_visible (self->check_button, document != NULL);
  gtk_window_set_title (GTK_WINDOW (self), document ? sq_document_get_title (document)
                                                    : _("Synquant"));
  _sq_window_update_actions (self);
}

static void
compare_use_settings (SqWindow *self)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "tune");
  _sq_window_show_toast (self, _("Settings applied"));
}

/* ---------------------------------------------------------------------------------------- */
/* Device                                                                                    */

static void
device_selected (SqWindow *self)
{
  const SqDeviceProfile *device =
    sq_xylo_profile_nth (gtk_drop_down_get_selected (self->device_dropdown));

  /* The template's drop-down reports its model before the window is ready. */
  if (device != NULL && self->analysis != NULL)
    sq_window_set_device (self, device->name);
}

/* ---------------------------------------------------------------------------------------- */
/* Settings                                                                                  */

static void
bind_settings (SqWindow *self)
{
  GApplication *app = g_application_get_default ();
  GSettings *settings;
  GtkWidget *log_toggle;

  if (!SQ_IS_APPLICATION (app))
    return;
  settings = sq_application_get_settings (SQ_APPLICATION (app));
  if (settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (settings, "method", self->analysis, "method", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "mode", self->analysis, "mode", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "fuzzy", self->analysis, "fuzzy", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "weight-bits", self->analysis, "weight-bits",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "threshold-bits", self->analysis, "threshold-bits",
                   G_SETTINGS_BIND_DEFAULT);
  log_toggle = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self->tune_page),
                                                         SQ_TYPE_TUNE_PAGE, "log_toggle"));
  g_settings_bind (settings, "log-scale", log_toggle, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "device", self, "device", G_SETTINGS_BIND_DEFAULT);
}

static gboolean
sq_window_close_request (GtkWindow *window)
{
  SqWindow *self = SQ_WINDOW (window);
  GApplication *app = g_application_get_default ();
  GSettings *settings = SQ_IS_APPLICATION (app)
                          ? sq_application_get_settings (SQ_APPLICATION (app)) : NULL;

  if (settings != NULL)
    {
      int w, h;

      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_int (settings, "window-width", w);
      g_settings_set_int (settings, "window-height", h);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);

  return GTK_WINDOW_CLASS (sq_window_parent_class)->close_request (window);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_window_dispose (GObject *object)
{
  SqWindow *self = SQ_WINDOW (object);

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  _sq_window_end_loading (self);
  g_clear_object (&self->chooser);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_WINDOW);
  g_clear_object (&self->document);
  g_clear_object (&self->analysis);
  g_clear_pointer (&self->check_report, sq_check_report_free);
  g_clear_pointer (&self->simulate_settings, json_object_unref);
  g_clear_pointer (&self->pending_session, sq_session_free);
  g_clear_object (&self->pending_session_file);

  G_OBJECT_CLASS (sq_window_parent_class)->dispose (object);
}

static void
sq_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SqWindow *self = SQ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_string (value, sq_window_get_device (self));
      break;
    case PROP_SIMULATE_SETTINGS:
      g_value_set_boxed (value, self->simulate_settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SqWindow *self = SQ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      sq_window_set_device (self, g_value_get_string (value));
      break;
    case PROP_SIMULATE_SETTINGS:
      sq_window_set_simulate_settings (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_window_class_init (SqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sq_window_dispose;
  object_class->get_property = sq_window_get_property;
  object_class->set_property = sq_window_set_property;
  window_class->close_request = sq_window_close_request;

  /**
   * SqWindow:device:
   *
   * The name of the device profile ("xylo-audio2") the network is checked against and
   * exported for; an unknown name selects XyloAudio 2.
   */
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, "xylo-audio2",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SqWindow:simulate-settings:
   *
   * The Simulate page's input settings as a JSON object, saved in sessions as they are.
   */
  properties[PROP_SIMULATE_SETTINGS] =
    g_param_spec_boxed ("simulate-settings", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SQ_TYPE_TUNE_PAGE);
  g_type_ensure (SQ_TYPE_COMPARE_PAGE);
  g_type_ensure (SQ_TYPE_SIMULATE_PAGE);
  g_type_ensure (SQ_TYPE_CHECK_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SqWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, tune_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, compare_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, simulate_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, example_menu);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, example_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, recent_box);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_icon);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_label);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_popover);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_list);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, session_box);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, session_list);
  gtk_widget_class_bind_template_callback (widget_class, device_selected);

  _sq_window_class_actions_init (widget_class);
}

static void
sq_window_init (SqWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->device = sq_device_profile_lookup ("xylo-audio2");
  {
    g_autoptr(GListModel) devices = sq_xylo_profile_titles ();

    gtk_drop_down_set_model (self->device_dropdown, devices);
    gtk_drop_down_set_selected (self->device_dropdown, sq_xylo_profile_position (self->device));
  }
  _sq_window_check_init (self);

  self->analysis = sq_analysis_new ();
  sq_tune_page_set_analysis (self->tune_page, self->analysis);
  sq_compare_page_set_source (self->compare_page, self->analysis);
  sq_simulate_page_set_analysis (self->simulate_page, self->analysis);
  g_signal_connect_object (self->analysis, "updated", G_CALLBACK (_sq_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->analysis, "updated", G_CALLBACK (_sq_window_run_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_page, "use-settings",
                           G_CALLBACK (compare_use_settings), self, G_CONNECT_SWAPPED);

  bind_settings (self);
  _sq_window_open_init (self);
  _sq_window_update_actions (self);
}

SqWindow *
sq_window_new (SqApplication *application)
{
  return g_object_new (SQ_TYPE_WINDOW, "application", application, NULL);
}

SqDocument *
sq_window_get_document (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->document;
}

SqAnalysis *
sq_window_get_analysis (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->analysis;
}

SqTunePage *
sq_window_get_tune_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->tune_page;
}

SqComparePage *
sq_window_get_compare_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->compare_page;
}

SqSimulatePage *
sq_window_get_simulate_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->simulate_page;
}

/* Returns: "empty", "loading", "tune", "compare" or "simulate" */
const char *
sq_window_get_page (SqWindow *self)
{
  const char *main = gtk_stack_get_visible_child_name (self->main_stack);

  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  if (g_strcmp0 (main, "document") == 0)
    return adw_view_stack_get_visible_child_name (self->view_stack);
  return main;
}

/* Returns: the name of the device profile checked against ("xylo-audio2") */
const char *
sq_window_get_device (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->device->name;
}

/**
 * sq_window_set_device:
 * @name: a profile name ("xylo-imu") or alias
 *
 * Picks the device, in the header's drop-down too, and checks again. A name that is no
 * Xylo device picks XyloAudio 2, so a stale setting cannot leave the window without one.
 */
void
sq_window_set_device (SqWindow   *self,
                      const char *name)
{
  const SqDeviceProfile *device;

  g_return_if_fail (SQ_IS_WINDOW (self));

  device = name != NULL ? sq_device_profile_lookup (name) : NULL;
  if (device == NULL || !device->is_xylo)
    device = sq_device_profile_lookup ("xylo-audio2");
  if (device == self->device)
    return;
  self->device = device;
  gtk_drop_down_set_selected (self->device_dropdown, sq_xylo_profile_position (device));
  /* The Simulate page runs the integer core of the chosen chip. */
  sq_simulate_page_set_device (self->simulate_page, device->device);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
  _sq_window_run_check (self);
}

/* Returns: (nullable) (transfer none): the Simulate page's settings, as a session keeps them */
JsonObject *
sq_window_get_simulate_settings (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->simulate_settings;
}

void
sq_window_set_simulate_settings (SqWindow   *self,
                                 JsonObject *settings)
{
  g_return_if_fail (SQ_IS_WINDOW (self));

  if (settings == self->simulate_settings)
    return;
  g_clear_pointer (&self->simulate_settings, json_object_unref);
  if (settings != NULL)
    self->simulate_settings = json_object_ref (settings);
  sq_simulate_page_set_settings (self->simulate_page, settings);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIMULATE_SETTINGS]);
}
