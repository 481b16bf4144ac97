/* sq-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sq-test-utils.h"

/* A path below tests/ in the source tree. */
char *
sq_test_data_path (const char *first,
                   ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  const char *p;
  va_list args;

  g_ptr_array_add (parts, (gpointer) (srcdir ? srcdir : "."));
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  while ((p = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* The files of tests/@subdir whose names start with @prefix and end with @suffix, sorted. */
GPtrArray *
sq_test_list_data (const char *subdir,
                   const char *prefix,
                   const char *suffix)
{
  g_autofree char *dir_path = sq_test_data_path (subdir, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, suffix))
      g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (files, compare_names);

  return files;
}

JsonNode *
sq_test_parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

char *
sq_test_node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* Walks @expected (nested arrays of integers) alongside @tensor: same rank, same shape, every
 * value equal. On mismatch @why says where. */
static gboolean
match_level (const SqTensor *t,
             JsonNode       *node,
             guint           depth,
             gsize          *flat,
             const char     *name,
             char          **why)
{
  if (depth == t->rank)
    {
      double want;

      if (!JSON_NODE_HOLDS_VALUE (node))
        {
          *why = g_strdup_printf ("%s: expected has deeper nesting than the result's rank %u",
                                  name, t->rank);
          return FALSE;
        }
      want = json_node_get_double (node);
      if (!(t->data[*flat] <= want && t->data[*flat] >= want))
        {
          g_autofree char *path = sq_tensor_element_path (t, name, *flat);
          *why = g_strdup_printf ("%s is %.17g, expected %.17g", path, t->data[*flat], want);
          return FALSE;
        }
      (*flat)++;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) != t->shape[depth])
    {
      g_autofree char *shape = sq_tensor_shape_string (t);
      *why = g_strdup_printf ("%s: result shape %s does not match the expected nesting at "
                              "depth %u", name, shape, depth);
      return FALSE;
    }

  for (guint i = 0; i < t->shape[depth]; i++)
    if (!match_level (t, json_array_get_element (json_node_get_array (node), i), depth + 1,
                      flat, name, why))
      return FALSE;

  return TRUE;
}

/* A DynapCNN layer's tensors freed. */
void
sq_test_iaf_layer_clear (SqIafLayer *l)
{
  sq_tensor_clear (&l->weight);
  sq_tensor_clear (&l->bias);
  sq_tensor_clear (&l->v_mem);
}

/* An integer-flagged tensor of @shape holding @values, or zeros when @values is NULL. */
void
sq_test_tensor_set (SqTensor     *tensor,
                    guint         rank,
                    const gsize  *shape,
                    const double *values)
{
  g_autoptr(GError) error = NULL;

  sq_tensor_init (tensor, rank, shape, &error);
  g_assert_no_error (error);
  if (values != NULL)
    memcpy (tensor->data, values, tensor->n * sizeof (double));
  tensor->integer = TRUE;
}

gboolean
sq_test_tensor_matches (const SqTensor *tensor,
                        JsonNode       *expected,
                        const char     *name,
                        char          **why)
{
  gsize flat = 0;

  if (!sq_tensor_is_present (tensor))
    {
      *why = g_strdup_printf ("%s is missing from the result", name);
      return FALSE;
    }
  if (!match_level (tensor, expected, 0, &flat, name, why))
    return FALSE;
  g_assert_cmpuint (flat, ==, tensor->n);
  return TRUE;
}

/* Loads the specification held in one member of a JSON object (a conformance case's "spec")
 * through Synquant's own loader, via json-glib's exact (%.17g) formatting. */
SqXyloSpec *
sq_test_load_spec_member (JsonObject *object,
                          const char *member,
                          const char *display_name)
{
  g_autofree char *text = sq_test_node_to_string (json_object_get_member (object, member));
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec;

  spec = sq_xylo_spec_load_json_data (text, strlen (text), display_name, &error);
  g_assert_no_error (error);
  return spec;
}

/* Runs a program and collects its exit status and output. */
gboolean
sq_test_run (const char * const *argv,
             int                *exit_status,
             char              **out,
             char              **err)
{
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *exit_status = WEXITSTATUS (wait_status);
  return *exit_status == 0;
}

char *
sq_test_cli_path (void)
{
  const char *builddir = g_getenv ("SQ_CLI");

  g_assert_nonnull (builddir);
  return g_strdup (builddir);
}

/**
 * sq_test_interrupt_cli:
 * @argv: (array zero-terminated=1): synquant-cli and its arguments, the command second
 * @output: the file the command would write
 *
 * Runs @argv, sends Ctrl+C once its progress shows on stderr, and checks what follows: exit
 * status 1, "interrupted; nothing was written", and no @output. The command must be long
 * enough (seconds) that the signal lands while it works.
 */
void
sq_test_interrupt_cli (const char * const *argv,
                       const char         *output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *shown = g_strdup_printf ("%s: ", argv[1]);
  g_autofree char *message = g_strdup_printf ("synquant-cli: %s: interrupted; nothing was "
                                              "written\n", argv[1]);
  GPid pid;
  int err_fd, status;
  char buf[256];
  gssize n;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD |
                                           G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, NULL,
                                           NULL, &err_fd, &error));
  g_assert_no_error (error);
  while (strstr (err->str, shown) == NULL && (n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (err, buf, n);
  g_assert_nonnull (strstr (err->str, shown));
  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  while ((n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (err, buf, n);
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err->str, message));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* A fresh private directory; the caller removes it. */
char *
sq_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("synquant-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes a directory from sq_test_tmpdir() and the files in it. */
/* Removes @path, a file or a folder with everything under it; a missing path is no error. */
void
sq_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          sq_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
sq_test_run_clear (SqTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs synquant-cli with the arguments up to %NULL (not including the program). */
void
sq_test_run_cli (SqTestRun  *run,
                 const char *first,
                 ...)
{
  g_autofree char *cli = sq_test_cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  sq_test_run_clear (run);
  g_ptr_array_add (argv, cli);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  sq_test_run ((const char * const *) argv->pdata, &run->status, &run->out, &run->err);
}

/* A Python that imports numpy (Debian's python3-numpy), or %NULL. */
const char *
sq_test_python_with_numpy (void)
{
  static const char *const candidates[] = { "python3", "/usr/bin/python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *argv[] = { candidates[i], "-c", "import numpy", NULL };
      int status = -1;

      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                        G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                        NULL, NULL, &status, NULL) && status == 0)
        return candidates[i];
    }
  return NULL;
}

void
sq_test_dir_setup (SqTestDir     *f,
                   gconstpointer  data)
{
  f->dir = sq_test_tmpdir ();
}

void
sq_test_dir_teardown (SqTestDir     *f,
                      gconstpointer  data)
{
  sq_test_remove_tree (f->dir);
  g_free (f->dir);
}

char *
sq_test_dir_path (SqTestDir  *f,
                  const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Two error histograms and their statistics are the same bits. */
void
sq_test_assert_same_errors (const SqHistogram *a,
                            const SqStats     *sa,
                            const SqHistogram *b,
                            const SqStats     *sb)
{
  g_assert_true (memcmp (&a->lo, &b->lo, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->hi, &b->hi, sizeof (double)) == 0);
  g_assert_cmpuint (a->n_bins, ==, b->n_bins);
  g_assert_true (memcmp (a->counts, b->counts, a->n_bins * sizeof (guint64)) == 0);
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->below, ==, b->below);
  g_assert_cmpuint (a->above, ==, b->above);
  g_assert_cmpuint (sa->n, ==, sb->n);
  g_assert_cmpuint (sa->nonzero, ==, sb->nonzero);
  g_assert_true (memcmp (&sa->min, &sb->min, sizeof (double)) == 0);
  g_assert_true (memcmp (&sa->max, &sb->max, sizeof (double)) == 0);
  g_assert_true (memcmp (&sa->max_abs, &sb->max_abs, sizeof (double)) == 0);
}

/* Same presence, shape and values; -0.0 equals 0.0 and NaN never equals anything. */
gboolean
sq_test_tensor_equal (const SqTensor *a,
                      const SqTensor *b)
{
  if (sq_tensor_is_present (a) != sq_tensor_is_present (b))
    return FALSE;
  if (!sq_tensor_is_present (a))
    return TRUE;
  if (a->rank != b->rank || a->n != b->n)
    return FALSE;
  for (guint i = 0; i < a->rank; i++)
    if (a->shape[i] != b->shape[i])
      return FALSE;
  for (gsize i = 0; i < a->n; i++)
    if (!(a->data[i] <= b->data[i] && a->data[i] >= b->data[i]))
      return FALSE;

  return TRUE;
}

/* The method and mode a report or a conformance case names, by the names the core gives
 * them (sq_method_to_string, sq_mode_to_string). */
gboolean
sq_test_method_from_string (const char *s,
                            SqMethod   *method)
{
  for (SqMethod m = SQ_METHOD_GLOBAL; m <= SQ_METHOD_CHANNEL; m++)
    if (g_strcmp0 (s, sq_method_to_string (m)) == 0)
      {
        *method = m;
        return TRUE;
      }
  return FALSE;
}

gboolean
sq_test_mode_from_string (const char *s,
                          SqMode     *mode)
{
  for (SqMode m = SQ_MODE_SYNQUANT; m <= SQ_MODE_ROCKPOOL; m++)
    if (g_strcmp0 (s, sq_mode_to_string (m)) == 0)
      {
        *mode = m;
        return TRUE;
      }
  return FALSE;
}

/* Xylo's quantization parameters as the Xylo kind's settings, and back. */
void
sq_test_params_to_settings (const SqQuantParams *params,
                            SqQuantSettings     *settings)
{
  sq_quant_settings_init (settings, sq_network_kind_lookup ("xylo"));
  g_assert_true (sq_quant_settings_set (settings, "method", (int) params->method, NULL));
  g_assert_true (sq_quant_settings_set (settings, "fuzzy", params->fuzzy, NULL));
  g_assert_true (sq_quant_settings_set (settings, "mode", (int) params->mode, NULL));
  g_assert_true (sq_quant_settings_set (settings, "weight-bits", (int) params->weight_bits,
                                        NULL));
  g_assert_true (sq_quant_settings_set (settings, "threshold-bits",
                                        (int) params->threshold_bits, NULL));
  g_assert_true (sq_quant_settings_set (settings, "weight-shift", params->weight_shift, NULL));
}

void
sq_test_settings_to_params (const SqQuantSettings *settings,
                            SqQuantParams         *params)
{
  g_assert_true (settings->kind == sq_network_kind_lookup ("xylo"));
  sq_quant_params_init (params);
  params->method = (SqMethod) sq_quant_settings_get (settings, "method");
  params->fuzzy = sq_quant_settings_get (settings, "fuzzy") != 0;
  params->mode = (SqMode) sq_quant_settings_get (settings, "mode");
  params->weight_bits = (guint) sq_quant_settings_get (settings, "weight-bits");
  params->threshold_bits = (guint) sq_quant_settings_get (settings, "threshold-bits");
  params->weight_shift = sq_quant_settings_get (settings, "weight-shift");
}

/* A network read by sq_network_load, as the CLI and the window read one: @contents written
 * first to a file called @name in a temporary folder, which is removed again. */
SqNetwork *
sq_test_load_network (const char *contents,
                      gssize      length,
                      const char *name)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  SqNetwork *network;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sq_test_remove_tree (dir);
  return network;
}

/* The names in @path, sorted and joined with spaces ("" for an empty folder). */
char *
sq_test_list_dir (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  if (dir == NULL)
    return g_strdup ("(cannot read the directory)");
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

void
sq_test_assert_dir_holds (const char *path,
                          const char *names)
{
  g_autofree char *listed = sq_test_list_dir (path);

  g_assert_cmpstr (listed, ==, names);
}
