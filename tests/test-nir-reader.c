/* test-nir-reader.c: the process that parses NIR files and what it sends back: the wire
 * format and its refusals, the cache of the last graph, reads while other threads use GLib,
 * and a reader program that fails (sq-nir-sandbox.c, sq-nir-wire.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sq-test-nir.h"
#include "sq-test-utils.h"
#include "sq-nir-private.h"

/* The graph's bytes from the reader's child: a real graph comes back whole; damaged bytes,
 * a forward parent and nesting deeper than the reader allows are refused with a message. */
static SqNirGraph *
nested_graph (guint depth)
{
  SqNirGraph *top = _sq_nir_graph_new ();
  SqNirGraph *at = top;
  const char *parent = NULL;

  for (guint i = 0; i < depth; i++)
    {
      SqNirNode *n = _sq_nir_node_new ("g", parent);

      n->type = SQ_NIR_GRAPH;
      n->graph = _sq_nir_graph_new ();
      g_ptr_array_add (at->nodes, n);
      at = n->graph;
      parent = n->path;
    }
  return top;
}

/* @data is refused with "(@what)". */
static void
assert_wire_refused (const char *data,
                     gsize       size,
                     const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(SqNirGraph) graph = _sq_nir_graph_from_wire (bytes, "wire.nir", &error);
  g_autofree char *expected = g_strdup_printf ("wire.nir: the reader process sent back a "
                                               "damaged graph (%s)", what);

  g_assert_null (graph);
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_wire (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNirGraph) g = NULL, back = NULL, shallow = NULL, deep = NULL, deep_back = NULL;
  g_autoptr(GBytes) bytes = NULL, ok_bytes = NULL, deep_bytes = NULL;
  g_autofree char *before = NULL, *after = NULL, *contents = NULL;
  g_autofree char *path = sq_test_data_path ("data", "nir",
                                             "braille_noDelay_bias_zero_subgraph.nir", NULL);
  gsize length = 0;

  /* Unchecked, as the child sends it (the checks refuse this file's dangling edge). */
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g = _sq_nir_read (contents, length, "braille.nir", &error);
  g_assert_no_error (error);
  bytes = _sq_nir_graph_to_wire (g);
  back = _sq_nir_graph_from_wire (bytes, "braille.nir", &error);
  g_assert_no_error (error);
  before = sq_test_nir_node_list (g);
  after = sq_test_nir_node_list (back);
  g_assert_cmpstr (after, ==, before);
  g_assert_nonnull (strstr (before, "lif1."));
  g_assert_cmpfloat (sq_test_nir_param (back, "lif2", "tau_mem")->data[0], ==,
                     sq_test_nir_param (g, "lif2", "tau_mem")->data[0]);

  /* Every truncation is refused (the decoder checks each read against the bytes left), and
   * so are trailing bytes, another format and a name that is not UTF-8. */
  for (gsize n = 0; n < g_bytes_get_size (bytes); n += 1 + g_bytes_get_size (bytes) / 211)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (bytes, 0, n);
      g_autoptr(SqNirGraph) half = _sq_nir_graph_from_wire (cut, "braille.nir", &error);

      g_assert_null (half);
      g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (error->message, "braille.nir: the reader process sent "
                                       "back a damaged graph ("));
      g_clear_error (&error);
    }
  assert_wire_refused (NULL, 0, "header");
  assert_wire_refused ("SQNIRW1\n", 8, "header");
  {
    gsize size;
    const char *data = g_bytes_get_data (bytes, &size);
    g_autofree char *longer = g_malloc (size + 1);

    memcpy (longer, data, size);
    longer[size] = 0;
    assert_wire_refused (longer, size + 1, "trailing bytes");
  }
  {
    g_autoptr(SqNirGraph) latin1 = nested_graph (1);
    g_autoptr(GBytes) latin1_bytes = NULL;
    SqNirNode *node = g_ptr_array_index (latin1->nodes, 0);

    g_free (node->name);
    node->name = g_strdup ("caf\xe9");
    latin1_bytes = _sq_nir_graph_to_wire (latin1);
    assert_wire_refused (g_bytes_get_data (latin1_bytes, NULL),
                         g_bytes_get_size (latin1_bytes), "node");
  }

  shallow = nested_graph (SQ_NIR_MAX_DEPTH + 1);
  ok_bytes = _sq_nir_graph_to_wire (shallow);
  deep_back = _sq_nir_graph_from_wire (ok_bytes, "nested.nir", &error);
  g_assert_no_error (error);
  g_clear_pointer (&deep_back, sq_nir_graph_free);
  deep = nested_graph (SQ_NIR_MAX_DEPTH + 2);
  deep_bytes = _sq_nir_graph_to_wire (deep);
  deep_back = _sq_nir_graph_from_wire (deep_bytes, "nested.nir", &error);
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT);
  g_assert_null (deep_back);
  g_assert_nonnull (strstr (error->message, "nested.nir: the reader process sent back a damaged "
                                            "graph (nesting)"));
}

/* A file read again comes from the cache of the last graph: no second reader process, the
 * caller's name, a graph of its own; other bytes are read afresh. */
static void
test_read_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNirGraph) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autofree char *contents = NULL, *other = NULL, *before = NULL, *after = NULL;
  g_autofree char *path = sq_test_data_path ("data", "nir", "braille_noDelay_bias_zero.nir",
                                             NULL);
  g_autofree char *path2 = sq_test_data_path ("data", "nir", "lif_norse.nir", NULL);
  gsize length = 0, length2 = 0;
  guint started;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_get_contents (path2, &other, &length2, &error);
  g_assert_no_error (error);

  a = sq_nir_graph_load_data (contents, length, "first.nir", &error);
  g_assert_no_error (error);
  started = _sq_nir_children_started ();
  b = sq_nir_graph_load_data (contents, length, "second.nir", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_sq_nir_children_started (), ==, started);
  g_assert_cmpstr (a->source, ==, "first.nir");
  g_assert_cmpstr (b->source, ==, "second.nir");
  g_assert_true (a != b);
  before = sq_test_nir_node_list (a);
  g_clear_pointer (&a, sq_nir_graph_free);
  after = sq_test_nir_node_list (b);
  g_assert_cmpstr (after, ==, before);

  c = sq_nir_graph_load_data (other, length2, "norse.nir", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_sq_nir_children_started (), ==, started + 1);
  g_assert_cmpstr (c->version, ==, "0.1.1");
  /* The same length with one byte changed is another file: read by a new child. */
  contents[length - 1] ^= 0x01;
  d = sq_nir_graph_load_data (contents, length, "changed.nir", &error);
  g_clear_error (&error);
  g_assert_cmpuint (_sq_nir_children_started (), ==, started + 2);
}

static gpointer
build_variants (gpointer data)
{
  gint *stop = data;

  while (!g_atomic_int_get (stop))
    {
      g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new ("(sa{sv}u)", "x", NULL, 1u));
      g_autofree char *text = g_variant_print (v, TRUE);
    }
  return NULL;
}

/* Reads @contents @n times, each time in a new reader process (the cache is emptied). */
static void
read_many (const char *contents,
           gsize       length,
           int         n)
{
  for (int k = 0; k < n; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SqNirGraph) graph = NULL;

      _sq_nir_set_child_budget ((gsize) 512 << 20, 3 * sizeof (double) * 1100);
      graph = sq_nir_graph_load_data (contents, length, "threads.nir", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (graph->nodes->len, ==, 7);
    }
}

/* Files are read while other threads keep using GLib (the window's D-Bus and settings
 * threads build GVariants all the time). A forked reader inherits every lock held at the
 * fork: with a GVariant reply one child in about fifty found the type table's lock held,
 * hung and was reported damaged after 25 s. The reader is now a program of its own
 * (synquant-nir-reader, $SQ_NIR_READER here), which inherits no lock; the forked reader
 * that remains for an uninstalled build takes no GLib lock either, but under ASan (whose
 * runtime in GCC 12 locks its own tables without a fork handler) only the helper is safe. */
static void
test_read_threads (void)
{
  g_autofree char *path = sq_test_data_path ("data", "nir", "braille_noDelay_bias_zero.nir",
                                             NULL);
  g_autofree char *contents = NULL;
  g_autofree char *helper = g_strdup (g_getenv ("SQ_NIR_READER"));
  gsize length = 0;
  gint stop = 0;
  GThread *threads[2];
  g_autoptr(GError) read_error = NULL;
  guint before;

  g_file_get_contents (path, &contents, &length, &read_error);
  g_assert_no_error (read_error);
  g_assert_nonnull (helper);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("variants", build_variants, &stop);
  before = _sq_nir_children_started ();
  read_many (contents, length, 100);
  g_assert_cmpuint (_sq_nir_children_started (), ==, before + 100);
#if !defined(__SANITIZE_ADDRESS__)
  /* Without the helper: the forked reader. */
  g_unsetenv ("SQ_NIR_READER");
  read_many (contents, length, 100);
  g_setenv ("SQ_NIR_READER", helper, TRUE);
#endif
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* A reader program that exits without a reply (here /bin/false) is named as the failure,
 * not taken for HDF5 crashing on a damaged file. */
static void
test_read_reader_fails (void)
{
  g_autofree char *path = sq_test_data_path ("data", "nir", "lif_norse.nir", NULL);
  g_autofree char *helper = g_strdup (g_getenv ("SQ_NIR_READER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNirGraph) graph = NULL;

  if (!g_file_test ("/bin/false", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /bin/false");
      return;
    }
  g_setenv ("SQ_NIR_READER", "/bin/false", TRUE);
  _sq_nir_set_child_budget ((gsize) 512 << 20, 3 * sizeof (double) * 1100);
  graph = sq_nir_graph_load (path, &error);
  if (helper != NULL)
    g_setenv ("SQ_NIR_READER", helper, TRUE);
  else
    g_unsetenv ("SQ_NIR_READER");
  g_assert_null (graph);
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO);
  g_assert_true (g_str_has_suffix (error->message, "lif_norse.nir: the process that reads NIR "
                                   "files failed (exit status 1)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nir/wire", test_wire);
  g_test_add_func ("/nir/read/cache", test_read_cache);
  g_test_add_func ("/nir/read/threads", test_read_threads);
  g_test_add_func ("/nir/read/reader-fails", test_read_reader_fails);
  return g_test_run ();
}
