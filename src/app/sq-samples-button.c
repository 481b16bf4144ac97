/* sq-samples-button.c: the sample set a page evaluates on
 *
 * A button showing the set's name that opens a chooser for an .npz or .npy set, one for a
 * folder of rasters, and one that clears the set: the Sweep page's controls, made a widget of
 * their own so the Robustness page takes the same set the same way (the window keeps the two
 * pages' #SqSamplesButton:file in step). Every chooser starts in the samples' last folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-folders.h"
#include "sq-samples-button.h"

struct _SqSamplesButton
{
  GtkWidget             parent_instance;

  GFile                *file;
  GtkFileChooserNative *chooser;

  GtkLabel             *name_label;
  GtkWidget            *open_button;
  GtkWidget            *folder_button;
  GtkWidget            *clear_button;
};

G_DEFINE_FINAL_TYPE (SqSamplesButton, sq_samples_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_file (SqSamplesButton *self)
{
  g_autofree char *name = self->file ? g_file_get_basename (self->file) : NULL;

  gtk_label_set_label (self->name_label, name ? name : _("None"));
  gtk_widget_set_sensitive (self->clear_button, self->file != NULL);
}

/**
 * sq_samples_button_set_file:
 * @file: (nullable): an .npz or .npy sample set, or a folder of rasters; %NULL for none
 */
void
sq_samples_button_set_file (SqSamplesButton *self,
                            GFile           *file)
{
  g_return_if_fail (SQ_IS_SAMPLES_BUTTON (self));

  if (self->file == file
      || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;
  g_set_object (&self->file, file);
  show_file (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

/* Returns: (nullable) (transfer none): the set chosen */
GFile *
sq_samples_button_get_file (SqSamplesButton *self)
{
  g_return_val_if_fail (SQ_IS_SAMPLES_BUTTON (self), NULL);
  return self->file;
}

static void
chooser_response (SqSamplesButton      *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      sq_folders_remember (GTK_FILE_CHOOSER (chooser), SQ_FOLDER_SAMPLES);
      if (file != NULL)
        sq_samples_button_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose (SqSamplesButton      *self,
        GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_OPEN
                                                 ? _("Choose a Sample Set")
                                                 : _("Choose a Folder of Rasters"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, _("_Open"), _("_Cancel"));
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) sets = gtk_file_filter_new ();

      gtk_file_filter_set_name (sets, _("Sample sets (NumPy)"));
      gtk_file_filter_add_suffix (sets, "npz");
      gtk_file_filter_add_suffix (sets, "npy");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), sets);
    }
  sq_folders_restore (GTK_FILE_CHOOSER (self->chooser), SQ_FOLDER_SAMPLES);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_file (SqSamplesButton *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
choose_folder (SqSamplesButton *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
clear (SqSamplesButton *self)
{
  sq_samples_button_set_file (self, NULL);
}

static void
sq_samples_button_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SqSamplesButton *self = SQ_SAMPLES_BUTTON (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_samples_button_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SqSamplesButton *self = SQ_SAMPLES_BUTTON (object);

  switch (prop_id)
    {
    case PROP_FILE:
      sq_samples_button_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_samples_button_dispose (GObject *object)
{
  SqSamplesButton *self = SQ_SAMPLES_BUTTON (object);
  GtkWidget *child;

  g_clear_object (&self->file);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_SAMPLES_BUTTON);
  /* The template's outer box is not bound to a field, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sq_samples_button_parent_class)->dispose (object);
}

static void
sq_samples_button_class_init (SqSamplesButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_samples_button_dispose;
  object_class->get_property = sq_samples_button_get_property;
  object_class->set_property = sq_samples_button_set_property;

  /**
   * SqSamplesButton:file:
   *
   * The sample set chosen (a file or a folder), or %NULL.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/"
                                               "sq-samples-button.ui");
  gtk_widget_class_bind_template_child (widget_class, SqSamplesButton, name_label);
  gtk_widget_class_bind_template_child (widget_class, SqSamplesButton, open_button);
  gtk_widget_class_bind_template_child (widget_class, SqSamplesButton, folder_button);
  gtk_widget_class_bind_template_child (widget_class, SqSamplesButton, clear_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_samples_button_init (SqSamplesButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (choose_file), self);
  g_signal_connect_swapped (self->folder_button, "clicked", G_CALLBACK (choose_folder), self);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (clear), self);
  show_file (self);
}

GtkWidget *
sq_samples_button_new (void)
{
  return g_object_new (SQ_TYPE_SAMPLES_BUTTON, NULL);
}
