/* sq-option-control.c: the control of one quantization option of a kind, bound to an
 * analysis
 *
 * The Tune page and the compare columns fill themselves from the kind's options: a choice is
 * a drop-down, an on/off option a switch (a check button in a compact column), a number a
 * spin button that shows the option's special value by its name ("auto"). The control and
 * the analysis follow each other both ways. A layer option's control (the Tune page's row of
 * the selected group's layer) shows and sets that layer's value of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-option-control.h"

struct _SqOptionControl
{
  GtkWidget            parent_instance;

  SqAnalysis          *analysis;
  const SqNetworkKind *kind;
  const SqOption      *option;
  gboolean             compact;
  gboolean             syncing;
  guint                layer;      /* of a layer option, else NO_LAYER */

  GtkWidget           *box;
  GtkWidget           *widget;
};

G_DEFINE_FINAL_TYPE (SqOptionControl, sq_option_control, GTK_TYPE_WIDGET)

#define NO_LAYER G_MAXUINT

/* ---------------------------------------------------------------------------------------- */
/* Values                                                                                    */

static int
widget_value (SqOptionControl *self)
{
  switch (self->option->type)
    {
    case SQ_OPTION_CHOICE:
      return (int) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->widget));
    case SQ_OPTION_BOOL:
      return GTK_IS_SWITCH (self->widget)
               ? gtk_switch_get_active (GTK_SWITCH (self->widget))
               : gtk_check_button_get_active (GTK_CHECK_BUTTON (self->widget));
    case SQ_OPTION_INT:
    default:
      return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->widget));
    }
}

static void
show_value (SqOptionControl *self,
            int              value)
{
  self->syncing = TRUE;
  switch (self->option->type)
    {
    case SQ_OPTION_CHOICE:
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->widget), (guint) value);
      break;
    case SQ_OPTION_BOOL:
      if (GTK_IS_SWITCH (self->widget))
        gtk_switch_set_active (GTK_SWITCH (self->widget), value != 0);
      else
        gtk_check_button_set_active (GTK_CHECK_BUTTON (self->widget), value != 0);
      break;
    case SQ_OPTION_INT:
    default:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->widget), value);
      break;
    }
  self->syncing = FALSE;
}

/* The analysis's value of the option (for the control's layer). */
static int
analysis_value (SqOptionControl *self)
{
  SqQuantSettings s;

  if (self->layer == NO_LAYER)
    return sq_analysis_get_option (self->analysis, self->option->id);
  sq_analysis_get_settings (self->analysis, &s);
  return sq_quant_settings_get_layer (&s, self->layer, self->option->id);
}

static void
widget_changed (SqOptionControl *self)
{
  SqQuantSettings s;
  g_autoptr(GError) error = NULL;

  if (self->syncing || self->analysis == NULL)
    return;
  if (self->layer == NO_LAYER)
    sq_analysis_set_option (self->analysis, self->option->id, widget_value (self));
  else if (sq_analysis_get_kind (self->analysis) == self->kind)
    {
      sq_analysis_get_settings (self->analysis, &s);
      /* Refused (more layers of their own than settings hold): the control goes back. */
      if (sq_quant_settings_set_layer (&s, self->layer, self->option->id, widget_value (self),
                                       &error))
        sq_analysis_set_settings (self->analysis, &s);
      else
        gtk_widget_error_bell (GTK_WIDGET (self));
    }
  /* A value the analysis clamped is shown as it took it. */
  if (sq_analysis_get_kind (self->analysis) == self->kind)
    show_value (self, analysis_value (self));
}

/* An option that does not act with the other values (Force Q without the fixed-n scheme)
 * is insensitive. */
static void
show_applies (SqOptionControl *self)
{
  SqQuantSettings s;

  sq_analysis_get_settings (self->analysis, &s);
  gtk_widget_set_sensitive (self->widget, sq_quant_settings_applies (&s, self->option));
}

static void
settings_changed (SqOptionControl *self)
{
  /* The page rebuilds its controls for another kind. */
  if (sq_analysis_get_kind (self->analysis) != self->kind)
    return;
  if (widget_value (self) != analysis_value (self))
    show_value (self, analysis_value (self));
  show_applies (self);
}

/* The special value is shown and typed by its name ("auto"). */
static gboolean
spin_output (GtkSpinButton   *spin,
             SqOptionControl *self)
{
  if (gtk_spin_button_get_value_as_int (spin) != self->option->special_value)
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (spin), self->option->special_name);
  return TRUE;
}

static int
spin_input (GtkSpinButton   *spin,
            double          *value,
            SqOptionControl *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double v;

  if (g_ascii_strcasecmp (text, self->option->special_name) == 0)
    {
      *value = self->option->special_value;
      return TRUE;
    }
  v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v))
    return GTK_INPUT_ERROR;
  *value = v;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Widgets                                                                                   */

static GtkWidget *
make_choice (SqOptionControl *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->option->n_choices; i++)
    gtk_string_list_append (choices, sq_label (self->option->choices[i].label));
  return gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&choices)), NULL);
}

static GtkWidget *
make_spin (SqOptionControl *self)
{
  const SqOption *o = self->option;
  gboolean special = o->special_name != NULL;
  double lower = special ? MIN (o->min, o->special_value) : o->min;
  double upper = special ? MAX (o->max, o->special_value) : o->max;
  GtkAdjustment *adjustment = gtk_adjustment_new (o->default_value, lower, upper, 1, 4, 0);
  GtkWidget *spin = gtk_spin_button_new (adjustment, 1, 0);

  /* A numeric spin button would refuse the special value's name. */
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), !special);
  if (special)
    {
      g_signal_connect (spin, "output", G_CALLBACK (spin_output), self);
      g_signal_connect (spin, "input", G_CALLBACK (spin_input), self);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), MAX (4, g_utf8_strlen (o->special_name,
                                                                                 -1)));
    }
  return spin;
}

static void
build (SqOptionControl *self)
{
  const SqOption *o = self->option;
  g_autofree char *plain = sq_label_plain (o->label);
  const char *signal;

  switch (o->type)
    {
    case SQ_OPTION_CHOICE:
      self->widget = make_choice (self);
      signal = "notify::selected";
      break;
    case SQ_OPTION_BOOL:
      if (self->compact)
        {
          self->widget = gtk_check_button_new_with_label (plain);
          signal = "toggled";
        }
      else
        {
          self->widget = gtk_switch_new ();
          gtk_widget_set_halign (self->widget, GTK_ALIGN_START);
          gtk_widget_set_valign (self->widget, GTK_ALIGN_CENTER);
          gtk_widget_set_vexpand (self->widget, TRUE);
          signal = "notify::active";
        }
      break;
    case SQ_OPTION_INT:
    default:
      self->widget = make_spin (self);
      signal = "value-changed";
      break;
    }
  if (o->tooltip != NULL)
    gtk_widget_set_tooltip_text (self->widget, sq_label (o->tooltip));
  else if (self->compact)
    gtk_widget_set_tooltip_text (self->widget, plain);

  if (self->compact)
    {
      self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_box_append (GTK_BOX (self->box), self->widget);
      /* A number says what it counts. */
      if (o->type == SQ_OPTION_INT)
        {
          GtkWidget *unit = gtk_label_new (sq_label (o->noun ? o->noun : o->label));

          gtk_widget_add_css_class (unit, "dim-label");
          gtk_box_append (GTK_BOX (self->box), unit);
        }
    }
  else
    {
      GtkWidget *label = gtk_label_new_with_mnemonic (sq_label (o->label));

      gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->widget);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_widget_add_css_class (label, "caption-heading");
      self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      gtk_box_append (GTK_BOX (self->box), label);
      gtk_box_append (GTK_BOX (self->box), self->widget);
    }
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  show_value (self, analysis_value (self));
  show_applies (self);
  g_signal_connect_swapped (self->widget, signal, G_CALLBACK (widget_changed), self);
  g_signal_connect_object (self->analysis, "notify::settings", G_CALLBACK (settings_changed),
                           self, G_CONNECT_SWAPPED);
}

/* ---------------------------------------------------------------------------------------- */

static void
sq_option_control_dispose (GObject *object)
{
  SqOptionControl *self = SQ_OPTION_CONTROL (object);

  if (self->analysis != NULL)
    g_signal_handlers_disconnect_by_data (self->analysis, self);
  g_clear_object (&self->analysis);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  self->widget = NULL;

  G_OBJECT_CLASS (sq_option_control_parent_class)->dispose (object);
}

static void
sq_option_control_class_init (SqOptionControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_option_control_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_option_control_init (SqOptionControl *self)
{
}

/**
 * sq_option_control_new:
 * @analysis: whose option the control shows and sets; its kind must have @option
 * @option: one of the options of @analysis's kind
 * @compact: a bare control with a unit (the compare columns) rather than a titled one with
 *   a mnemonic (the Tune page)
 *
 * Returns: (transfer floating): the control
 */
GtkWidget *
sq_option_control_new (SqAnalysis     *analysis,
                       const SqOption *option,
                       gboolean        compact)
{
  SqOptionControl *self;
  const SqNetworkKind *kind;

  g_return_val_if_fail (SQ_IS_ANALYSIS (analysis), NULL);
  kind = sq_analysis_get_kind (analysis);
  g_return_val_if_fail (option != NULL && option >= kind->options &&
                        option < kind->options + kind->n_options, NULL);

  self = g_object_new (SQ_TYPE_OPTION_CONTROL, NULL);
  self->analysis = g_object_ref (analysis);
  self->kind = kind;
  self->option = option;
  self->compact = compact;
  self->layer = NO_LAYER;
  build (self);
  return GTK_WIDGET (self);
}

/**
 * sq_option_control_new_for_layer:
 * @analysis: whose layer option the control shows and sets
 * @option: one of the layer options of @analysis's kind (#SqNetworkKind.layer_options)
 * @layer: the layer whose value of @option it shows and sets
 *
 * Returns: (transfer floating): a titled control, as sq_option_control_new() makes for the
 *   Tune page
 */
GtkWidget *
sq_option_control_new_for_layer (SqAnalysis     *analysis,
                                 const SqOption *option,
                                 guint           layer)
{
  SqOptionControl *self;
  const SqNetworkKind *kind;

  g_return_val_if_fail (SQ_IS_ANALYSIS (analysis), NULL);
  kind = sq_analysis_get_kind (analysis);
  g_return_val_if_fail (option != NULL && option >= kind->layer_options &&
                        option < kind->layer_options + kind->n_layer_options, NULL);

  self = g_object_new (SQ_TYPE_OPTION_CONTROL, NULL);
  self->analysis = g_object_ref (analysis);
  self->kind = kind;
  self->option = option;
  self->layer = layer;
  build (self);
  return GTK_WIDGET (self);
}

const SqOption *
sq_option_control_get_option (SqOptionControl *self)
{
  g_return_val_if_fail (SQ_IS_OPTION_CONTROL (self), NULL);
  return self->option;
}

/* Returns: (transfer none): the drop-down, switch, check button or spin button */
GtkWidget *
sq_option_control_get_widget (SqOptionControl *self)
{
  g_return_val_if_fail (SQ_IS_OPTION_CONTROL (self), NULL);
  return self->widget;
}
