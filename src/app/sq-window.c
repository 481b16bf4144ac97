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

#include "sq-types.h"
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
  _sq_window_watch_dialog (self, GTK_WINDOW (dialog));
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

static void set_device_kind (SqWindow            *self,
                             const SqNetworkKind *kind);
static void switcher_squeezed (SqWindow          *self);

void
_sq_window_set_document (SqWindow   *self,
                         SqDocument *document)
{
  if (!g_set_object (&self->document, document))
    return;

  sq_analysis_set_document (self->analysis, document);
  if (document != NULL)
    set_device_kind (self, sq_document_get_network (document)->kind);
  /* The file's name, and its folder beneath: home-relative ("~/nets"), else only in the
   * tooltip, so the header never shows a machine's layout (screenshots, screen sharing). */
  adw_window_title_set_title (self->window_title,
                              document ? sq_document_get_title (document) : _("Synquant"));
  {
    g_autoptr(GFile) parent = document ? g_file_get_parent (sq_document_get_file (document))
                                       : NULL;
    g_autofree char *folder = parent ? g_file_get_parse_name (parent) : NULL;
    g_autofree char *shown = parent ? _sq_window_folder_display_name (parent) : NULL;

    adw_window_title_set_subtitle (self->window_title, shown ? shown : "");
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), folder);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_squeezer), document != NULL);
  switcher_squeezed (self);
  gtk_widget_set_visible (self->check_button, document != NULL);
  gtk_window_set_title (GTK_WINDOW (self), document ? sq_document_get_title (document)
                                                    : _("Synquant"));
  _sq_window_update_actions (self);
}

/* Returns: (nullable): @folder as "~/nets" when it is the home folder or inside it, else
 * %NULL */
char *
_sq_window_folder_display_name (GFile *folder)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autofree char *relative = NULL;

  if (g_file_equal (folder, home))
    return g_strdup ("~");
  relative = g_file_get_relative_path (home, folder);
  if (relative == NULL)
    return NULL;
  {
    g_autofree char *shown = g_filename_display_name (relative);

    return g_strconcat ("~" G_DIR_SEPARATOR_S, shown, NULL);
  }
}

/* Keyboard focus back into the window's content, so Alt+1/2/3 and the rest work at once
 * after a dialog, a chooser or Open Example: the widget that had the focus may have gone
 * with its page (the example button), and a window whose focus is nowhere mapped waits for
 * a click. A focus in the header or on the page shown stays. */
void
_sq_window_focus_content (SqWindow *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  GtkWidget *page = gtk_stack_get_visible_child (self->main_stack);

  /* A window going away (its dialogs unmap with it) is not brought back. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    gtk_window_present (GTK_WINDOW (self));
  if (focus != NULL && gtk_widget_get_mapped (focus) &&
      (!gtk_widget_is_ancestor (focus, GTK_WIDGET (self->main_stack)) ||
       (page != NULL && gtk_widget_is_ancestor (focus, page))))
    return;
  if (page == NULL || !gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* The pages' switcher moves to the bottom when the header has no room for it. Revealed
 * after the allocation that squeezed it out, not during it: a revealer changed in the middle
 * of an allocation is allocated with a stale size (GTK warns of a −1 height). */
static gboolean
reveal_switcher_bar (gpointer user_data)
{
  SqWindow *self = user_data;

  self->switcher_bar_id = 0;
  adw_view_switcher_bar_set_reveal (
    self->switcher_bar,
    gtk_widget_get_visible (GTK_WIDGET (self->switcher_squeezer)) &&
    adw_squeezer_get_visible_child (self->switcher_squeezer) == self->no_switcher);
  return G_SOURCE_REMOVE;
}

static void
switcher_squeezed (SqWindow *self)
{
  if (self->switcher_bar_id == 0 && self->switcher_bar != NULL)
    self->switcher_bar_id = g_idle_add (reveal_switcher_bar, self);
}

/* Whatever was on top (the About or shortcuts window, a popover's menu) is gone. */
static void
active_changed (SqWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    _sq_window_focus_content (self);
}

/* @dialog (a dialog of this window) gives the focus back when it goes. */
void
_sq_window_watch_dialog (SqWindow  *self,
                         GtkWindow *dialog)
{
  g_signal_connect_object (dialog, "unmap", G_CALLBACK (_sq_window_focus_content), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
compare_use_settings (SqWindow *self)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "tune");
  _sq_window_show_toast (self, _("Settings applied"));
}

/* The sweep's point applied: the page stays, its ring moves to the point, and the Tune
 * page and the others follow the analysis. */
static void
sweep_use_settings (SqWindow *self)
{
  _sq_window_show_toast (self, _("Settings applied"));
}

/* ---------------------------------------------------------------------------------------- */
/* Device                                                                                    */

static void
device_selected (SqWindow *self)
{
  const SqDeviceProfile *device;

  /* The template's drop-down reports its model before the window is ready, and a new
   * model before its device is picked. */
  if (self->analysis == NULL || self->filling_devices)
    return;
  device = sq_kind_device_nth (self->device_kind,
                               gtk_drop_down_get_selected (self->device_dropdown));
  if (device != NULL)
    sq_window_set_device (self, device->name);
}

static void
show_device (SqWindow *self)
{
  self->filling_devices = TRUE;
  gtk_drop_down_set_selected (self->device_dropdown,
                              sq_kind_device_position (self->device_kind, self->device));
  self->filling_devices = FALSE;
}

/* The drop-down lists @kind's devices; the device stays when @kind has it, else becomes
 * @kind's default. */
static void
set_device_kind (SqWindow            *self,
                 const SqNetworkKind *kind)
{
  g_autoptr(GListModel) titles = NULL;
  const SqDeviceProfile *device;

  if (kind == self->device_kind)
    return;
  self->device_kind = kind;
  titles = sq_kind_device_titles (kind);
  self->filling_devices = TRUE;
  gtk_drop_down_set_model (self->device_dropdown, titles);
  self->filling_devices = FALSE;
  device = self->device ? sq_network_kind_device (kind, self->device->name) : NULL;
  if (device == NULL)
    device = sq_kind_device_nth (kind, 0);
  if (device == self->device)
    {
      show_device (self);
      return;
    }
  self->device = NULL;
  sq_window_set_device (self, device ? device->name : NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Settings                                                                                  */

/* The option ids are the schema's keys: the options of any kind that the schema names are
 * kept, as long as the key can hold the value (a kind whose "method" has other choices
 * than the schema's keeps its own). */
static GSettingsSchemaKey *
option_key (GSettings      *settings,
            const SqOption *option)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, option->id))
    return NULL;
  return g_settings_schema_get_key (schema, option->id);
}

/* Returns: (nullable): @value of @o as a key of @type stores it, %NULL where it cannot */
static GVariant *
option_to_variant (const SqOption     *o,
                   int                 value,
                   const GVariantType *type)
{
  gboolean string = g_variant_type_equal (type, G_VARIANT_TYPE_STRING);

  switch (o->type)
    {
    case SQ_OPTION_CHOICE:
      return string ? g_variant_new_string (o->choices[value].name) : NULL;
    case SQ_OPTION_BOOL:
      return g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN)
               ? g_variant_new_boolean (value != 0) : NULL;
    case SQ_OPTION_INT:
    default:
      if (o->special_name != NULL && value == o->special_value)
        return string ? g_variant_new_string (o->special_name) : NULL;
      if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT32))
        return value >= 0 ? g_variant_new_uint32 ((guint32) value) : NULL;
      if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
        return g_variant_new_int32 (value);
      return string ? g_variant_new_take_string (g_strdup_printf ("%d", value)) : NULL;
    }
}

/* Reads the values the user keeps into the analysis; a value the kind does not take is
 * left at the kind's default. */
static void
load_settings (SqWindow *self)
{
  SqQuantSettings s;

  sq_analysis_get_settings (self->analysis, &s);
  self->settings_kind = s.kind;
  for (guint i = 0; i < s.kind->n_options; i++)
    {
      const SqOption *o = &s.kind->options[i];
      g_autoptr(GSettingsSchemaKey) key = option_key (self->settings, o);
      g_autoptr(GVariant) v = key ? g_settings_get_user_value (self->settings, o->id) : NULL;

      if (v == NULL)
        continue;
      if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
        sq_quant_settings_set_string (&s, o->id, g_variant_get_string (v, NULL), NULL);
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        sq_quant_settings_set (&s, o->id, g_variant_get_boolean (v), NULL);
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32) &&
               g_variant_get_uint32 (v) <= G_MAXINT)
        sq_quant_settings_set (&s, o->id, (int) g_variant_get_uint32 (v), NULL);
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
        sq_quant_settings_set (&s, o->id, g_variant_get_int32 (v), NULL);
    }
  sq_analysis_set_settings (self->analysis, &s);
}

/* Keeps the analysis's settings; for a kind just opened, reads its kept ones first. */
static void
store_settings (SqWindow *self)
{
  SqQuantSettings s;

  sq_analysis_get_settings (self->analysis, &s);
  if (s.kind != self->settings_kind)
    {
      load_settings (self);
      return;
    }
  for (guint i = 0; i < s.kind->n_options; i++)
    {
      const SqOption *o = &s.kind->options[i];
      g_autoptr(GSettingsSchemaKey) key = option_key (self->settings, o);
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GVariant) old = NULL;

      if (key == NULL)
        continue;
      value = option_to_variant (o, s.value[i], g_settings_schema_key_get_value_type (key));
      if (value == NULL)
        continue;
      g_variant_ref_sink (value);
      if (!g_settings_schema_key_range_check (key, value))
        continue;
      old = g_settings_get_value (self->settings, o->id);
      if (!g_variant_equal (old, value))
        g_settings_set_value (self->settings, o->id, value);
    }
}

static void
settings_key_changed (SqWindow   *self,
                      const char *key)
{
  if (sq_network_kind_option (sq_analysis_get_kind (self->analysis), key) != NULL)
    load_settings (self);
}

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
  self->settings = g_object_ref (settings);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  load_settings (self);
  g_signal_connect_object (self->analysis, "notify::settings", G_CALLBACK (store_settings),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_key_changed), self,
                           G_CONNECT_SWAPPED);
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
  g_clear_object (&self->recent_manager);
  g_clear_handle_id (&self->switcher_bar_id, g_source_remove);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_WINDOW);
  g_clear_object (&self->document);
  g_clear_object (&self->analysis);
  g_clear_object (&self->settings);
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
      g_value_set_string (value, self->device ? self->device->name : "");
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
   * exported for; a name the network's kind cannot target selects the kind's default.
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
  g_type_ensure (SQ_TYPE_SWEEP_PAGE);
  g_type_ensure (SQ_TYPE_ROBUSTNESS_PAGE);
  g_type_ensure (SQ_TYPE_CHECK_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SqWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, switcher_squeezer);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, no_switcher);
  gtk_widget_class_bind_template_callback (widget_class, switcher_squeezed);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, load_progress);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, tune_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, compare_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, simulate_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, sweep_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, robustness_page);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, example_menu);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, example_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, recent_box);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_icon);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_label);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_popover);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_export_button);
  gtk_widget_class_bind_template_child (widget_class, SqWindow, check_scroller);
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

  /* Until a network is open, the default kind's devices. */
  set_device_kind (self, sq_default_kind ());
  _sq_window_check_init (self);

  self->analysis = sq_analysis_new ();
  sq_tune_page_set_analysis (self->tune_page, self->analysis);
  sq_compare_page_set_source (self->compare_page, self->analysis);
  sq_simulate_page_set_analysis (self->simulate_page, self->analysis);
  sq_sweep_page_set_analysis (self->sweep_page, self->analysis);
  sq_robustness_page_set_analysis (self->robustness_page, self->analysis);
  /* One sample set for the pages that evaluate on one. */
  g_object_bind_property (sq_sweep_page_get_samples_button (self->sweep_page), "file",
                          sq_robustness_page_get_samples_button (self->robustness_page), "file",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->analysis, "updated", G_CALLBACK (_sq_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->analysis, "updated", G_CALLBACK (_sq_window_run_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_page, "use-settings",
                           G_CALLBACK (compare_use_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sweep_page, "use-settings",
                           G_CALLBACK (sweep_use_settings), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed), NULL);

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

SqSweepPage *
sq_window_get_sweep_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->sweep_page;
}

SqRobustnessPage *
sq_window_get_robustness_page (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->robustness_page;
}

/* Returns: "empty", "loading", "tune", "compare", "simulate", "sweep" or "robustness" */
const char *
sq_window_get_page (SqWindow *self)
{
  const char *main = gtk_stack_get_visible_child_name (self->main_stack);

  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  if (g_strcmp0 (main, "document") == 0)
    return adw_view_stack_get_visible_child_name (self->view_stack);
  return main;
}

/* Returns: (nullable): the name of the device profile checked against ("xylo-audio2"), %NULL
 * for a kind without devices */
const char *
sq_window_get_device (SqWindow *self)
{
  g_return_val_if_fail (SQ_IS_WINDOW (self), NULL);
  return self->device ? self->device->name : NULL;
}

/**
 * sq_window_set_device:
 * @name: (nullable): a profile name ("xylo-imu") or alias
 *
 * Picks the device, in the header's drop-down too, and checks again. A name that is none of
 * the network kind's devices picks the kind's default, so a stale setting cannot leave the
 * window without one.
 */
void
sq_window_set_device (SqWindow   *self,
                      const char *name)
{
  const SqDeviceProfile *device;

  g_return_if_fail (SQ_IS_WINDOW (self));

  device = name != NULL ? sq_network_kind_device (self->device_kind, name) : NULL;
  if (device == NULL)
    device = sq_kind_device_nth (self->device_kind, 0);
  if (device == self->device)
    return;
  self->device = device;
  show_device (self);
  /* The Simulate page runs the integer core of the chosen chip. */
  sq_simulate_page_set_device (self->simulate_page, device);
  sq_sweep_page_set_device (self->sweep_page, device);
  sq_robustness_page_set_device (self->robustness_page, device);
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

/**
 * sq_window_set_recent_manager:
 * @manager: (nullable): where the recent files are kept, %NULL for the default one
 *
 * For tests: the recent files of @manager, listed again at once.
 */
void
sq_window_set_recent_manager (SqWindow         *self,
                              GtkRecentManager *manager)
{
  g_return_if_fail (SQ_IS_WINDOW (self));

  if (g_set_object (&self->recent_manager, manager))
    _sq_window_fill_recent (self);
}
