/* test-ui-files.c: every .ui file in ui/ is in the resources and loads
 *
 * A template that names a missing property, signal handler or child fails only when its
 * widget is first built, which may be a rarely opened page; this builds every one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmodule.h>
#include <string.h>

#include "sq-test-ui.h"

#define RESOURCE_PREFIX "/io/github/synquant/Synquant/"

/* "SqTunePage" → "sq_tune_page_get_type" */
static char *
get_type_symbol (const char *class_name)
{
  GString *s = g_string_new (NULL);

  for (const char *p = class_name; *p; p++)
    {
      if (g_ascii_isupper (*p) && p != class_name)
        g_string_append_c (s, '_');
      g_string_append_c (s, g_ascii_tolower (*p));
    }
  g_string_append (s, "_get_type");
  return g_string_free (s, FALSE);
}

/* The class named by <template class="…">, or NULL for a plain builder file. */
static char *
template_class (const char *xml)
{
  const char *start = strstr (xml, "<template class=\"");

  if (start == NULL)
    return NULL;
  start += strlen ("<template class=\"");
  return g_strndup (start, strcspn (start, "\""));
}

static GType
lookup_type (const char *class_name)
{
  GModule *self = g_module_open (NULL, 0);   /* no GModule autoptr before GLib 2.76 */
  g_autofree char *symbol = get_type_symbol (class_name);
  GType (*get_type) (void) = NULL;
  gboolean found;

  g_assert_nonnull (self);
  found = g_module_symbol (self, symbol, (gpointer *) &get_type);
  g_module_close (self);
  return found ? get_type () : G_TYPE_INVALID;
}

/* The .ui files under ui/, as resource paths relative to the prefix. */
static void
collect_ui_files (const char *dir,
                  const char *relative,
                  GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *rel = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_ui_files (path, rel, out);
      else if (g_str_has_suffix (name, ".ui"))
        g_ptr_array_add (out, g_steal_pointer (&rel));
    }
}

static void
test_ui_file (gconstpointer data)
{
  const char *rel = data;
  g_autofree char *resource = g_strconcat (RESOURCE_PREFIX, rel, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, 0, &error);
  g_autofree char *xml = NULL;
  g_autofree char *klass = NULL;

  /* On disk but not compiled in: the app would never find it. */
  g_assert_no_error (error);
  xml = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  klass = template_class (xml);

  if (klass != NULL)
    {
      GType type = lookup_type (klass);
      GtkWidget *widget;

      g_assert_cmpstr (g_type_name (type), ==, klass);
      g_assert_true (g_type_is_a (type, GTK_TYPE_WIDGET));
      /* Any template error is a critical, and criticals are fatal in the tests. */
      widget = g_object_ref_sink (g_object_new (type, NULL));
      g_assert_true (GTK_IS_WIDGET (widget));
      if (GTK_IS_WINDOW (widget))
        sq_test_finalize_window (widget);
      else
        sq_test_assert_finalized (widget);
    }
  else
    {
      GtkBuilder *builder = gtk_builder_new ();
      g_autofree gpointer *objects = NULL;
      GSList *list;
      guint n = 0;

      g_assert_true (gtk_builder_add_from_string (builder, xml, -1, &error));
      g_assert_no_error (error);
      list = gtk_builder_get_objects (builder);
      g_assert_nonnull (list);
      /* Every object the file built goes with the builder (its windows once destroyed). */
      objects = g_new0 (gpointer, g_slist_length (list));
      for (GSList *l = list; l; l = l->next, n++)
        g_set_weak_pointer (&objects[n], l->data);
      for (GSList *l = list; l; l = l->next)
        if (GTK_IS_WINDOW (l->data) && !gtk_widget_get_parent (l->data))
          gtk_window_destroy (l->data);
      g_slist_free (list);
      g_assert_finalize_object (builder);
      for (guint i = 0; i < n; i++)
        g_assert_null (objects[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ui_dir = NULL;

  sq_test_ui_init (&argc, &argv);

  ui_dir = g_test_build_filename (G_TEST_DIST, "..", "ui", NULL);
  collect_ui_files (ui_dir, NULL, files);
  /* If the folder moved, this test must not pass by testing nothing. */
  g_assert_cmpuint (files->len, >=, 6);
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *test_path = g_strconcat ("/ui-files/", rel, NULL);

      g_test_add_data_func (test_path, rel, test_ui_file);
    }

  return g_test_run ();
}
