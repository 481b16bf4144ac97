/* test-cli.c: synquant-cli end to end: usage and error messages, quantize against the
 * library, --timings, --report, atomic output, compare, info and locale independence.
 *
 * One program for one module, so longer than most: every command of synquant-cli, sharing one
 * runner and fixture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sq-test-utils.h"

/* ---------------------------------------------------------------------------------------- */
/* Running the CLI                                                                           */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  run->status = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs synquant-cli with @args (not including the program) in @envp, or in the test's own
 * environment when @envp is %NULL. */
static void
run_cli_envv (Run                *run,
              char              **envp,
              const char * const *args)
{
  g_autofree char *cli = sq_test_cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  run_clear (run);
  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (envp == NULL)
    sq_test_run ((const char * const *) argv->pdata, &run->status, &run->out, &run->err);
  else
    {
      g_autoptr(GError) error = NULL;
      int wait_status = 0;

      g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                    &run->out, &run->err, &wait_status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (wait_status));
      run->status = WEXITSTATUS (wait_status);
    }
  g_assert_nonnull (run->out);
  g_assert_nonnull (run->err);
}

static void run_cli (Run        *run,
                     const char *first,
                     ...) G_GNUC_NULL_TERMINATED;

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run_cli_envv (run, NULL, (const char * const *) args->pdata);
}

/* @text on one line, for TAP: every newline shown as "\n". */
static char *
flat (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "(null)", "\n", -1);

  return g_strjoinv ("\\n", lines);
}

static const char *
example_small (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_SMALL");

  if (path == NULL)
    g_error ("SQ_EXAMPLE_SMALL is not set; run the tests with meson test");
  return path;
}

static const char *
example_xylo (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");

  if (path == NULL)
    g_error ("SQ_EXAMPLE_XYLO is not set; run the tests with meson test");
  return path;
}

static SqXyloSpec *
load_spec (const char *path)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_load_json (path, &error);

  if (spec == NULL)
    g_error ("cannot load %s: %s", path, error->message);
  return spec;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    g_assert_cmpint (g_unlink (path), ==, 0);
}

static gboolean
matches (const char *pattern,
         const char *text)
{
  return g_regex_match_simple (pattern, text, G_REGEX_MULTILINE, 0);
}

/* Exit status 1, nothing on stdout, and on stderr exactly one message line starting with
 * "synquant-cli", optionally followed by a "Try … --help" hint, where the message matches
 * every regular expression given (case-insensitively). */
static void assert_one_error (const Run  *run,
                              const char *first_pattern,
                              ...) G_GNUC_NULL_TERMINATED;

static void
assert_one_error (const Run  *run,
                  const char *first_pattern,
                  ...)
{
  g_autofree char *shown_out = flat (run->out);
  g_autofree char *shown_err = flat (run->err);
  g_auto(GStrv) lines = NULL;
  const char *pattern;
  guint n;
  va_list ap;

  if (run->status != 1 || run->out[0] != '\0')
    g_test_message ("status %d, stdout: %s, stderr: %s", run->status, shown_out, shown_err);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");

  g_assert_true (g_str_has_suffix (run->err, "\n"));
  lines = g_strsplit (run->err, "\n", -1);
  n = g_strv_length (lines) - 1;   /* the text after the final newline is empty */
  if (n < 1 || n > 2)
    g_test_fail_printf ("stderr has %u lines, expected 1 (and a --help hint): %s", n,
                        shown_err);
  g_assert_true (g_str_has_prefix (lines[0], "synquant-cli"));
  if (n == 2)
    {
      g_assert_true (g_str_has_prefix (lines[1], "Try "));
      g_assert_nonnull (strstr (lines[1], "--help"));
    }

  va_start (ap, first_pattern);
  for (pattern = first_pattern; pattern != NULL; pattern = va_arg (ap, const char *))
    if (!g_regex_match_simple (pattern, lines[0], G_REGEX_CASELESS, 0))
      g_test_fail_printf ("the message '%s' does not match /%s/", lines[0], pattern);
  va_end (ap);
}

/* A copy of the small example with one row of weights_rec one element too long, so the
 * loader must stop at weights_rec[1][0]. */
static char *
write_malformed (const char *dir)
{
  g_autoptr(JsonNode) root = sq_test_parse_file (example_small ());
  JsonObject *o = json_node_get_object (root);
  g_autofree char *path = g_build_filename (dir, "in.json", NULL);
  g_autofree char *text = NULL;
  JsonArray *rec, *row;

  g_assert_true (json_object_has_member (o, "weights_rec"));
  rec = json_object_get_array_member (o, "weights_rec");
  row = json_array_get_array_element (json_array_get_array_element (rec, 1), 0);
  g_assert_cmpuint (json_array_get_length (row), ==, 2);
  json_array_add_double_element (row, 0.5);

  text = sq_test_node_to_string (root);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

/* ---------------------------------------------------------------------------------------- */
/* Usage and errors                                                                          */

static void
test_usage_no_arguments (void)
{
  const char *none[] = { NULL };
  g_auto(Run) r = { 0, };

  run_cli_envv (&r, NULL, none);
  assert_one_error (&r, "command", NULL);
}

static void
test_usage_unknown_command (void)
{
  g_auto(Run) r = { 0, };

  run_cli (&r, "frobnicate", NULL);
  assert_one_error (&r, "unknown command", "frobnicate", NULL);
}

static void
test_usage_help (void)
{
  const char *spellings[] = { "--help", "-h", "help" };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_auto(Run) r = { 0, };

      run_cli (&r, spellings[i], NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      g_assert_true (matches ("^Usage:", r.out));
      /* Every command with its summary. */
      g_assert_true (matches ("^\\s+quantize\\s+\\S", r.out));
      g_assert_true (matches ("^\\s+compare\\s+\\S", r.out));
      g_assert_true (matches ("^\\s+info\\s+\\S", r.out));
    }
}

static void
test_usage_version (void)
{
  g_auto(Run) r = { 0, };

  run_cli (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "synquant-cli " PACKAGE_VERSION "\n");
  g_assert_cmpstr (r.out, ==, "synquant-cli 0.1.0\n");
  g_assert_cmpstr (r.err, ==, "");
}

typedef struct {
  const char *command;
  const char *options[9];
} CommandHelp;

static const CommandHelp command_help[] = {
  { "quantize", { "output", "method", "fuzzy", "mode", "weight-bits", "threshold-bits",
                  "report", "timings", NULL } },
  { "compare",  { "weight-bits", "threshold-bits", "json", NULL } },
  { "info",     { NULL } },
};

static void
test_command_help (gconstpointer data)
{
  const CommandHelp *h = data;
  g_auto(Run) r = { 0, };

  run_cli (&r, h->command, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (matches ("^Usage:", r.out));
  g_assert_true (matches ("^\\s+-h, --help\\s+\\S", r.out));
  for (guint i = 0; h->options[i] != NULL; i++)
    {
      /* "  -o, --output=FILE      Write …": the option and a description. */
      g_autofree char *pattern = g_strdup_printf ("^\\s+(-\\w, )?--%s(=\\S+)?\\s\\s+\\S",
                                                  h->options[i]);
      if (!matches (pattern, r.out))
        {
          g_autofree char *shown = flat (r.out);
          g_test_fail_printf ("%s --help does not document --%s: %s", h->command,
                              h->options[i], shown);
        }
    }
}

/* A command's usage line must name the command: "synquant-cli quantize [OPTION…] IN -o OUT",
 * or a user who copies it runs "synquant-cli IN -o OUT" and gets "unknown command". */
static void
test_command_help_names_command (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (command_help); i++)
    {
      g_auto(Run) r = { 0, };
      g_autofree char *pattern = g_strdup_printf ("^\\s+synquant-cli %s ",
                                                  command_help[i].command);

      run_cli (&r, command_help[i].command, "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      if (!matches (pattern, r.out))
        {
          g_autofree char *shown = flat (r.out);
          g_test_fail_printf ("the usage line of 'synquant-cli %s --help' does not name the "
                              "command: %s", command_help[i].command, shown);
        }
    }
}

static void
test_quantize_no_output (void)
{
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", example_small (), NULL);
  assert_one_error (&r, "^synquant-cli quantize:", "output", NULL);
}

static void
test_quantize_no_input (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", "-o", out, NULL);
  assert_one_error (&r, "^synquant-cli quantize:", "input", NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_quantize_two_inputs (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", example_small (), example_small (), "-o", out, NULL);
  assert_one_error (&r, "^synquant-cli quantize:", "more than one input", NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

typedef struct {
  const char *path;
  const char *option;
  const char *value;
  const char *patterns[3];
} BadOption;

static const BadOption bad_options[] = {
  { "/cli/quantize/bad-method",           "--method", "foo",
    { "method", "\\bfoo\\b", NULL } },
  { "/cli/quantize/bad-mode",             "--mode", "foo",
    { "mode", "\\bfoo\\b", NULL } },
  { "/cli/quantize/bad-weight-bits/1",    "--weight-bits", "1",
    { "weight bits", "\\b1\\b", NULL } },
  { "/cli/quantize/bad-weight-bits/17",   "--weight-bits", "17",
    { "weight bits", "\\b17\\b", NULL } },
  { "/cli/quantize/bad-threshold-bits/25", "--threshold-bits", "25",
    { "threshold bits", "\\b25\\b", NULL } },
  /* 0 once meant "not given" and quietly gave 8 and 16 bits (issue 15). */
  { "/cli/quantize/bad-weight-bits/0",    "--weight-bits", "0",
    { "weight bits must be from 2 to 16", "\\bnot 0\\b", NULL } },
  { "/cli/quantize/bad-threshold-bits/0", "--threshold-bits", "0",
    { "threshold bits must be from 2 to 24", "\\bnot 0\\b", NULL } },
  { "/cli/quantize/bad-set-weight-bits/0", "--set", "weight-bits=0",
    { "weight bits must be from 2 to 16", "\\bnot 0\\b", NULL } },
};

static void
test_quantize_bad_option (gconstpointer data)
{
  const BadOption *b = data;
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", example_small (), "-o", out, b->option, b->value, NULL);
  assert_one_error (&r, "^synquant-cli quantize:", b->patterns[0], b->patterns[1], NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_missing_input_file (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-spec.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *escaped = g_regex_escape_string (missing, -1);
  const char *commands[] = { "quantize", "compare", "info" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0, };

      if (g_str_equal (commands[i], "quantize"))
        run_cli (&r, "quantize", missing, "-o", out, NULL);
      else
        run_cli (&r, commands[i], missing, NULL);
      assert_one_error (&r, escaped, "No such file", NULL);
    }
  sq_test_assert_dir_holds (dir, "");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_missing_input_argument (void)
{
  const char *commands[] = { "compare", "info" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0, };
      g_autofree char *prefix = g_strdup_printf ("^synquant-cli %s:", commands[i]);

      run_cli (&r, commands[i], NULL);
      assert_one_error (&r, prefix, "missing input", NULL);
    }
}

static void
test_quantize_malformed (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *in = write_malformed (dir);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *escaped = g_regex_escape_string (in, -1);
  const char *commands[] = { "quantize", "compare", "info" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0, };

      if (g_str_equal (commands[i], "quantize"))
        run_cli (&r, "quantize", in, "-o", out, NULL);
      else
        run_cli (&r, commands[i], in, NULL);
      /* The file, the line and column, and the element. */
      assert_one_error (&r, escaped, ":1:[0-9]+: ", "weights_rec\\[1\\]\\[0\\]", NULL);
    }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* A directory given as input: the message says so, not "mmap() failed: No such device". */
static void
test_input_is_directory (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "spec.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *escaped = g_regex_escape_string (in, -1);
  const char *commands[] = { "quantize", "compare", "info" };

  g_assert_cmpint (g_mkdir (in, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0, };

      if (g_str_equal (commands[i], "quantize"))
        run_cli (&r, "quantize", in, "-o", out, NULL);
      else
        run_cli (&r, commands[i], in, NULL);
      assert_one_error (&r, escaped, "(folder|directory)", NULL);
    }
  sq_test_assert_dir_holds (dir, "spec.json");
  remove_tree (dir);
}

/* A FIFO given as input (or as the raster) blocked open() forever: every command refuses it
 * at once. alarm() turns a hang into a failure. */
static void
test_input_is_fifo (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *fifo = g_build_filename (dir, "net.json", NULL);
  g_autofree char *bare = g_build_filename (dir, "net", NULL);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  const char *commands[] = { "quantize", "compare", "info", "check", "simulate" };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (mkfifo (bare, 0600), ==, 0);
  alarm (60);
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        const char *in = k == 0 ? fifo : bare;
        g_autofree char *escaped = g_regex_escape_string (in, -1);
        g_auto(Run) r = { 0, };

        if (g_str_equal (commands[i], "quantize"))
          run_cli (&r, "quantize", in, "-o", out, NULL);
        else if (g_str_equal (commands[i], "simulate"))
          run_cli (&r, "simulate", in, "--poisson", "0.1", "--steps", "5", "-o", out, NULL);
        else if (g_str_equal (commands[i], "check"))
          run_cli (&r, "check", in, "--device", "xylo-audio2", NULL);
        else
          run_cli (&r, commands[i], in, NULL);
        assert_one_error (&r, escaped, "not a regular file", NULL);
      }
  {
    g_autofree char *escaped = g_regex_escape_string (fifo, -1);
    g_auto(Run) r = { 0, };

    run_cli (&r, "simulate", example_small (), "--input", fifo, "-o", out, NULL);
    assert_one_error (&r, escaped, "not a regular file", NULL);
  }
  alarm (0);
  sq_test_assert_dir_holds (dir, "net net.json");
  remove_tree (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* quantize against the library                                                              */

typedef struct {
  const char *name;
  SqMethod    method;
  gboolean    fuzzy;
  SqMode      mode;
} Combination;

static const Combination combinations[] = {
  { "global/plain/synquant",  SQ_METHOD_GLOBAL,  FALSE, SQ_MODE_SYNQUANT },
  { "global/plain/rockpool",  SQ_METHOD_GLOBAL,  FALSE, SQ_MODE_ROCKPOOL },
  { "global/fuzzy/synquant",  SQ_METHOD_GLOBAL,  TRUE,  SQ_MODE_SYNQUANT },
  { "global/fuzzy/rockpool",  SQ_METHOD_GLOBAL,  TRUE,  SQ_MODE_ROCKPOOL },
  { "channel/plain/synquant", SQ_METHOD_CHANNEL, FALSE, SQ_MODE_SYNQUANT },
  { "channel/plain/rockpool", SQ_METHOD_CHANNEL, FALSE, SQ_MODE_ROCKPOOL },
  { "channel/fuzzy/synquant", SQ_METHOD_CHANNEL, TRUE,  SQ_MODE_SYNQUANT },
  { "channel/fuzzy/rockpool", SQ_METHOD_CHANNEL, TRUE,  SQ_MODE_ROCKPOOL },
};

static void
combination_params (const Combination *c,
                    SqQuantParams     *params)
{
  sq_quant_params_init (params);
  params->method = c->method;
  params->fuzzy = c->fuzzy;
  params->mode = c->mode;
}

/* Runs "quantize IN -o OUT" with @c's options and any @extra arguments. */
static void
run_quantize (Run                *r,
              const char         *in,
              const char         *out,
              const Combination  *c,
              const char * const *extra)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, "quantize");
  g_ptr_array_add (args, (gpointer) in);
  g_ptr_array_add (args, "-o");
  g_ptr_array_add (args, (gpointer) out);
  g_ptr_array_add (args, "--method");
  g_ptr_array_add (args, (gpointer) sq_method_to_string (c->method));
  g_ptr_array_add (args, "--mode");
  g_ptr_array_add (args, (gpointer) sq_mode_to_string (c->mode));
  if (c->fuzzy)
    g_ptr_array_add (args, "--fuzzy");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);

  run_cli_envv (r, NULL, (const char * const *) args->pdata);
}

/* Every array in @node, at any depth, holds only JSON integers. */
static void
assert_integer_arrays (JsonNode   *node,
                       const char *where)
{
  JsonArray *a;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return;
  a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_ARRAY (e))
        assert_integer_arrays (e, where);
      else if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64)
        {
          g_test_fail_printf ("%s holds a %s, not an integer", where, json_node_type_name (e));
          return;
        }
    }
}

/* @out is what synquant-cli wrote for @in: the library's result value for value, the input's
 * shapes, dt, shifts and aliases; with @json_glib, read back with json-glib too (too slow
 * for the Xylo-size network): the input's keys, integers only. */
static void
assert_output_matches (const char          *in_path,
                       const SqXyloSpec    *in,
                       const char          *out_path,
                       const SqQuantResult *expected,
                       gboolean             json_glib)
{
  g_autoptr(SqXyloSpec) out = load_spec (out_path);
  g_autoptr(JsonNode) in_root = NULL;
  g_autoptr(JsonNode) out_root = NULL;
  g_autoptr(GList) in_keys = NULL;
  g_autoptr(GList) out_keys = NULL;
  JsonObject *in_obj, *out_obj;

  g_assert_true (sq_xylo_spec_is_integer (out));
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &out->param[i];
      const SqTensor *src = &in->param[i];
      const char *name = sq_param_name ((SqParam) i);

      g_assert_cmpint (sq_tensor_is_present (t), ==, sq_tensor_is_present (src));
      if (!sq_tensor_is_present (t))
        continue;
      if (!sq_test_tensor_equal (t, &expected->spec->param[i]))
        g_test_fail_printf ("%s: %s differs from the library's result", out_path, name);
      g_assert_cmpuint (t->rank, ==, src->rank);
      for (guint d = 0; d < t->rank; d++)
        g_assert_cmpuint (t->shape[d], ==, src->shape[d]);
    }

  g_assert_cmpint (out->has_dt, ==, in->has_dt);
  if (in->has_dt)
    g_assert_cmpfloat (out->dt, ==, in->dt);
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    {
      g_assert_cmpint (out->has_weight_shift[i], ==, in->has_weight_shift[i]);
      g_assert_cmpint (out->weight_shift[i], ==, in->weight_shift[i]);
    }
  g_assert_cmpuint (out->n_alias_lists, ==, in->n_alias_lists);
  g_assert_true ((out->alias_offsets == NULL) == (in->alias_offsets == NULL));
  if (in->alias_offsets != NULL)
    {
      gsize n = in->alias_offsets[in->n_alias_lists];

      g_assert_cmpmem (out->alias_offsets, (in->n_alias_lists + 1) * sizeof (gsize),
                       in->alias_offsets, (in->n_alias_lists + 1) * sizeof (gsize));
      g_assert_cmpmem (out->alias_targets, n * sizeof (guint32),
                       in->alias_targets, n * sizeof (guint32));
    }

  if (!json_glib)
    return;

  /* Read back with json-glib: the input's keys, no others, and only integers in arrays. */
  in_root = sq_test_parse_file (in_path);
  out_root = sq_test_parse_file (out_path);
  in_obj = json_node_get_object (in_root);
  out_obj = json_node_get_object (out_root);
  in_keys = json_object_get_members (in_obj);
  out_keys = json_object_get_members (out_obj);
  g_assert_cmpuint (g_list_length (out_keys), ==, g_list_length (in_keys));
  for (GList *l = in_keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node;

      if (!json_object_has_member (out_obj, key))
        g_test_fail_printf ("%s lacks the input's key %s", out_path, key);
      node = json_object_get_member (out_obj, key);
      assert_integer_arrays (node, key);
      if (g_str_has_prefix (key, "weight_shift_"))
        g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
    }
}

/* The weights of @in that are not 0: what a zeroed count is a share of. */
static gsize
nonzero_weights (const SqXyloSpec *in)
{
  const SqParam w[] = { SQ_PARAM_WEIGHTS_IN, SQ_PARAM_WEIGHTS_REC, SQ_PARAM_WEIGHTS_OUT };
  gsize n = 0;

  for (guint p = 0; p < G_N_ELEMENTS (w); p++)
    for (gsize i = 0; i < in->param[w[p]].n; i++)
      n += fabs (in->param[w[p]].data[i]) > 0.0;
  return n;
}

static void
test_quantize_small (gconstpointer data)
{
  const Combination *c = data;
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autoptr(SqXyloSpec) in = load_spec (example_small ());
  g_autoptr(SqQuantResult) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL, *zeroed = NULL, *total = NULL;
  g_auto(Run) r = { 0, };
  SqQuantParams params;

  combination_params (c, &params);
  expected = sq_quantize (in, &params, &error);
  g_assert_no_error (error);

  run_quantize (&r, example_small (), out, c, NULL);
  if (r.status != 0)
    g_error ("synquant-cli quantize failed: %s", r.err);
  g_assert_cmpstr (r.out, ==, "");
  /* The summary: the input, the method asked for, and the error figures. */
  g_assert_true (g_str_has_prefix (r.err, example_small ()));
  described = sq_quant_params_describe (&params);
  g_assert_nonnull (strstr (r.err, described));
  g_assert_true (matches ("SQNR -?[0-9]+\\.[0-9]+ dB", r.err));
  /* Zeroed as a share of the non-zero weights, not of all of them. */
  zeroed = sq_zeroed_text (expected->total.zeroed, nonzero_weights (in));
  total = g_strdup_printf ("  total:  %zu weights; %zu clipped, zeroed %s",
                           sq_xylo_spec_n_weights (in), expected->total.clipped, zeroed);
  g_assert_nonnull (strstr (r.err, total));

  assert_output_matches (example_small (), in, out, expected, TRUE);
  remove_tree (dir);
}

/* A spec the loader warns about: the warning names the key on stderr, and the output does
 * not carry the unknown key over. */
static void
test_quantize_unknown_key (void)
{
  g_autofree char *in_path = sq_test_data_path ("data", "cli", "unknown-key.json", NULL);
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autoptr(SqXyloSpec) in = load_spec (in_path);
  g_autoptr(SqQuantResult) expected = NULL;
  g_autoptr(SqXyloSpec) written = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0, };
  SqQuantParams params;

  sq_quant_params_init (&params);
  expected = sq_quantize (in, &params, &error);
  g_assert_no_error (error);

  run_cli (&r, "quantize", in_path, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (matches ("^warning: .*unknown key \"tau_mem\"", r.err));

  root = sq_test_parse_file (out);
  g_assert_false (json_object_has_member (json_node_get_object (root), "tau_mem"));
  written = load_spec (out);
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    if (!sq_test_tensor_equal (&written->param[i], &expected->spec->param[i]))
      g_test_fail_printf ("%s differs from the library's result", sq_param_name ((SqParam) i));
  remove_tree (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* --timings                                                                                 */

/* Exactly the three lines "load: 1.2 ms", "quantize: …", "write: …", in that order, and no
 * other line naming a phase. */
static void
assert_timings (const char *err)
{
  g_autoptr(GRegex) line = g_regex_new ("^(load|quantize|write): [0-9]+\\.[0-9] ms$", 0, 0,
                                        NULL);
  g_autoptr(GRegex) phase = g_regex_new ("^(load|quantize|write)\\b", 0, 0, NULL);
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) info = NULL;

      if (g_regex_match (line, lines[i], 0, &info))
        g_ptr_array_add (seen, g_match_info_fetch (info, 1));
      else if (g_regex_match (phase, lines[i], 0, NULL))
        g_test_fail_printf ("malformed timing line '%s'", lines[i]);
    }
  if (seen->len != 3)
    {
      g_autofree char *shown = flat (err);
      g_test_fail_printf ("expected 3 timing lines, found %u in: %s", seen->len, shown);
      return;
    }
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "load");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "quantize");
  g_assert_cmpstr (g_ptr_array_index (seen, 2), ==, "write");
}

static void
test_quantize_timings (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autoptr(GRegex) any = g_regex_new ("^(load|quantize|write):", G_REGEX_MULTILINE, 0, NULL);
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", example_small (), "-o", out, "--timings", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  assert_timings (r.err);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));

  /* Without --timings, none. */
  run_cli (&r, "quantize", example_small (), "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_regex_match (any, r.err, 0, NULL));
  remove_tree (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* --report                                                                                  */

static JsonNode *
member (JsonObject *o,
        const char *name)
{
  if (!json_object_has_member (o, name))
    g_error ("the report lacks '%s'", name);
  return json_object_get_member (o, name);
}

static JsonObject *
object_member (JsonObject *o,
               const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (n));
  return json_node_get_object (n);
}

static JsonArray *
array_member (JsonObject *o,
              const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (n));
  return json_node_get_array (n);
}

static gint64
int_member (JsonObject *o,
            const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_INT64);
  return json_node_get_int (n);
}

static const char *
string_member (JsonObject *o,
               const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_STRING);
  return json_node_get_string (n);
}

static gboolean
bool_member (JsonObject *o,
             const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_BOOLEAN);
  return json_node_get_boolean (n);
}

/* A number, or +∞ for null (JSON's spelling of an exact reproduction). */
static double
double_member (JsonObject *o,
               const char *name)
{
  JsonNode *n = member (o, name);

  if (JSON_NODE_HOLDS_NULL (n))
    return INFINITY;
  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  return json_node_get_double (n);
}

/* @name is @expected, or null where @expected is not finite. */
static void
assert_double_member (JsonObject *o,
                      const char *name,
                      double      expected)
{
  JsonNode *n = member (o, name);

  if (!isfinite (expected))
    g_assert_true (JSON_NODE_HOLDS_NULL (n));
  else
    {
      g_assert_true (JSON_NODE_HOLDS_VALUE (n));
      g_assert_cmpfloat (json_node_get_double (n), ==, expected);
    }
}

static void
assert_figures (JsonObject          *o,
                const SqGroupReport *g)
{
  g_assert_cmpint (int_member (o, "weights"), ==, (gint64) g->n_weights);
  g_assert_cmpint (int_member (o, "clipped"), ==, (gint64) g->clipped);
  g_assert_cmpint (int_member (o, "out_of_range"), ==, (gint64) g->out_of_range);
  g_assert_cmpint (int_member (o, "nonzero"), ==, (gint64) g->n_nonzero);
  g_assert_cmpint (int_member (o, "zeroed"), ==, (gint64) g->zeroed);
  assert_double_member (o, "zeroed_share", (double) g->zeroed / (double) g->n_nonzero);
  g_assert_cmpint (int_member (o, "bias_zeroed"), ==, (gint64) g->bias_zeroed);
  assert_double_member (o, "sqnr_db", sq_group_report_sqnr_db (g));
  assert_double_member (o, "max_abs_error", g->max_abs_error);
  assert_double_member (o, "mse", sq_group_report_mse (g));
}

static void
assert_report_matches (JsonObject          *root,
                       const char          *source,
                       const SqXyloSpec    *in,
                       const SqQuantResult *res)
{
  JsonObject *params = object_member (root, "params");
  JsonObject *summary = object_member (root, "summary");
  JsonObject *dashes = object_member (root, "dashes");
  JsonArray *groups = array_member (root, "groups");
  JsonArray *diags = array_member (root, "diagnostics");
  gsize n_groups, sum = 0;
  guint n_dashes = 0;

  g_assert_cmpstr (string_member (root, "synquant_version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (string_member (root, "source"), ==, source);

  g_assert_cmpstr (string_member (params, "method"), ==,
                   sq_method_to_string (res->params.method));
  g_assert_cmpstr (string_member (params, "mode"), ==, sq_mode_to_string (res->params.mode));
  g_assert_cmpint (bool_member (params, "fuzzy"), ==, res->params.fuzzy);
  g_assert_cmpint (int_member (params, "weight_bits"), ==, res->params.weight_bits);
  g_assert_cmpint (int_member (params, "threshold_bits"), ==, res->params.threshold_bits);
  g_assert_cmpstr (string_member (root, "mode_used"), ==, sq_mode_to_string (res->mode_used));

  g_assert_cmpint (int_member (summary, "weights"), ==, (gint64) sq_xylo_spec_n_weights (in));
  g_assert_cmpint (int_member (summary, "nonzero"), ==, (gint64) nonzero_weights (in));
  assert_figures (summary, &res->total);
  g_assert_cmpint (int_member (summary, "dashes_clipped"), ==, (gint64) res->dashes_clipped);

  for (guint l = 0; l < SQ_N_LAYERS; l++)
    assert_figures (object_member (object_member (root, "layers"),
                                   sq_layer_to_string ((SqLayer) l)),
                    &res->layer[l]);

  /* One group per layer, or one per target neuron: the hidden ones, then the outputs. */
  n_groups = res->params.method == SQ_METHOD_GLOBAL ? 2 : in->n_hidden + in->n_out;
  g_assert_cmpuint (json_array_get_length (groups), ==, n_groups);
  for (guint i = 0; i < n_groups; i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      gboolean hidden = res->params.method == SQ_METHOD_GLOBAL ? i == 0 : i < in->n_hidden;

      g_assert_cmpstr (string_member (g, "layer"), ==,
                       sq_layer_to_string (hidden ? SQ_LAYER_HIDDEN : SQ_LAYER_OUTPUT));
      if (res->params.method == SQ_METHOD_GLOBAL)
        g_assert_true (JSON_NODE_HOLDS_NULL (member (g, "channel")));
      else
        g_assert_cmpint (int_member (g, "channel"), ==, hidden ? i : i - in->n_hidden);
      assert_figures (g, sq_quant_result_get_group (res, i));
      sum += (gsize) int_member (g, "weights");
      if (g_test_failed ())
        {
          g_test_message ("first group that differs: %u", i);
          return;
        }
    }
  g_assert_cmpuint (sum, ==, sq_xylo_spec_n_weights (in));

  /* Every dash of the input, rounded, with its effective time constant. */
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      const SqTensor *d = &res->spec->param[p];
      JsonObject *o;
      JsonArray *values, *steps;

      if (!sq_param_is_dash ((SqParam) p))
        continue;
      g_assert_cmpint (json_object_has_member (dashes, sq_param_name ((SqParam) p)), ==,
                       sq_tensor_is_present (&in->param[p]));
      if (!sq_tensor_is_present (&in->param[p]))
        continue;
      n_dashes++;
      o = object_member (dashes, sq_param_name ((SqParam) p));
      values = array_member (o, "values");
      steps = array_member (o, "tau_eff_steps");
      g_assert_cmpuint (json_array_get_length (values), ==, in->param[p].n);
      g_assert_cmpuint (json_array_get_length (steps), ==, in->param[p].n);
      g_assert_cmpint (json_object_has_member (o, "tau_eff_seconds"), ==, in->has_dt);
      for (guint j = 0; j < d->n; j++)
        {
          JsonNode *v = json_array_get_element (values, j);
          JsonNode *s = json_array_get_element (steps, j);
          double tau = sq_dash_tau_eff (d->data[j]);

          g_assert_cmpint (json_node_get_value_type (v), ==, G_TYPE_INT64);
          g_assert_cmpfloat ((double) json_node_get_int (v), ==, d->data[j]);
          if (isfinite (tau))
            g_assert_cmpfloat (json_node_get_double (s), ==, tau);
          else
            g_assert_true (JSON_NODE_HOLDS_NULL (s));
          if (g_test_failed ())
            return;
        }
      if (in->has_dt)
        {
          JsonArray *secs = array_member (o, "tau_eff_seconds");

          g_assert_cmpuint (json_array_get_length (secs), ==, in->param[p].n);
          for (guint j = 0; j < d->n; j++)
            {
              JsonNode *s = json_array_get_element (secs, j);
              double tau = sq_dash_tau_eff (d->data[j]) * in->dt;

              if (isfinite (tau))
                g_assert_cmpfloat (json_node_get_double (s), ==, tau);
              else
                g_assert_true (JSON_NODE_HOLDS_NULL (s));
              if (g_test_failed ())
                return;
            }
        }
    }
  g_assert_cmpuint (json_object_get_size (dashes), ==, n_dashes);

  g_assert_cmpuint (json_array_get_length (diags), ==, res->diagnostics->len);
  for (guint i = 0; i < res->diagnostics->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (res->diagnostics, i);
      JsonObject *o = json_array_get_object_element (diags, i);

      g_assert_cmpstr (string_member (o, "kind"), ==, sq_diag_kind_to_string (d->kind));
      if (d->param >= 0)
        g_assert_cmpstr (string_member (o, "param"), ==, sq_param_name ((SqParam) d->param));
      else
        g_assert_true (JSON_NODE_HOLDS_NULL (member (o, "param")));
      g_assert_cmpint (int_member (o, "count"), ==, (gint64) d->count);
      g_assert_cmpstr (string_member (o, "message"), ==, d->message);
      g_assert_cmpstr (d->message, !=, "");
    }
}

typedef struct {
  const char *path;
  gboolean    xylo;
  SqMethod    method;
} ReportCase;

static const ReportCase report_cases[] = {
  { "/cli/quantize/report/small/global",  FALSE, SQ_METHOD_GLOBAL },
  { "/cli/quantize/report/small/channel", FALSE, SQ_METHOD_CHANNEL },
  { "/cli/quantize/report/xylo/channel",  TRUE,  SQ_METHOD_CHANNEL },
};

static void
test_quantize_report (gconstpointer data)
{
  const ReportCase *rc = data;
  const char *in_path = rc->xylo ? example_xylo () : example_small ();
  const Combination c = { NULL, rc->method, FALSE, SQ_MODE_SYNQUANT };
  const char *extra[] = { "--report", NULL, NULL };
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autoptr(SqXyloSpec) in = load_spec (in_path);
  g_autoptr(SqQuantResult) expected = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0, };
  SqQuantParams params;

  combination_params (&c, &params);
  expected = sq_quantize (in, &params, &error);
  g_assert_no_error (error);

  extra[1] = report;
  run_quantize (&r, in_path, out, &c, extra);
  if (r.status != 0)
    g_error ("synquant-cli quantize failed: %s", r.err);
  g_assert_cmpstr (r.out, ==, "");

  root = sq_test_parse_file (report);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  assert_report_matches (json_node_get_object (root), in_path, in, expected);
  g_assert_cmpint (int_member (object_member (json_node_get_object (root), "summary"),
                               "weights"), ==,
                   rc->xylo ? 2040000 : 8 * 32 * 2 + 32 * 32 * 2 + 32 * 4);

  /* The output too, on the Xylo-size network. */
  if (rc->xylo)
    assert_output_matches (in_path, in, out, expected, FALSE);
  remove_tree (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Never a half-written output                                                               */

static void
test_output_missing_directory (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", NULL);
  g_autofree char *out = g_build_filename (missing, "out.json", NULL);
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", example_small (), "-o", out, NULL);
  assert_one_error (&r, "no-such-dir", NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  sq_test_assert_dir_holds (dir, "");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* When the output cannot be written, the message names OUT as the user gave it, not the
 * temporary file the atomic write used (“out.json.9O7OZ3”). */
static void
test_output_error_names_output (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", NULL);
  g_autofree char *out = g_build_filename (missing, "out.json", NULL);
  g_autofree char *as_dir = g_build_filename (dir, "a-directory", NULL);
  const char *outputs[] = { out, as_dir };

  g_assert_cmpint (g_mkdir (as_dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *escaped = g_regex_escape_string (outputs[i], -1);
      g_autofree char *named = g_strdup_printf ("“?%s”?(:|$)", escaped);
      g_autofree char *temp = g_strdup_printf ("%s\\.[A-Za-z0-9]{6}", escaped);
      g_auto(Run) r = { 0, };

      run_cli (&r, "quantize", example_small (), "-o", outputs[i], NULL);
      assert_one_error (&r, named, NULL);
      if (matches (temp, r.err))
        {
          g_autofree char *shown = flat (r.err);
          g_test_fail_printf ("the message names a temporary file, not the output: %s", shown);
        }
    }
  remove_tree (dir);
}

static void
test_output_kept_on_bad_input (void)
{
  static const char previous[] = "{\"previous\": [1, 2, 3]}\n";
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *in = write_malformed (dir);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) r = { 0, };
  gsize len = 0;

  g_assert_true (g_file_set_contents (out, previous, -1, NULL));
  run_cli (&r, "quantize", in, "-o", out, NULL);
  assert_one_error (&r, "weights_rec\\[1\\]\\[0\\]", NULL);

  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, previous, sizeof previous - 1);
  sq_test_assert_dir_holds (dir, "in.json out.json");
  remove_tree (dir);
}

static void
test_output_read_only_directory (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
  g_autofree char *out = g_build_filename (ro, "out.json", NULL);
  g_autofree char *probe = g_build_filename (ro, "probe", NULL);
  g_autofree char *escaped = g_regex_escape_string (ro, -1);
  g_auto(Run) r = { 0, };

  g_assert_cmpint (g_mkdir (ro, 0700), ==, 0);
  g_assert_cmpint (g_chmod (ro, 0500), ==, 0);
  /* Root (CAP_DAC_OVERRIDE) writes into read-only directories anyway. */
  if (g_file_set_contents (probe, "", 0, NULL))
    {
      g_test_skip ("a read-only directory is writable here (running as root?)");
      remove_tree (dir);
      return;
    }

  run_cli (&r, "quantize", example_small (), "-o", out, NULL);
  assert_one_error (&r, escaped, "permission denied", NULL);
  sq_test_assert_dir_holds (ro, "");
  remove_tree (dir);
}

/* The rename over OUT fails when OUT is a directory: the temporary file must go. */
static void
test_output_is_directory (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_auto(Run) r = { 0, };

  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  run_cli (&r, "quantize", example_small (), "-o", out, NULL);
  assert_one_error (&r, "(folder|directory)", NULL);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_DIR));
  sq_test_assert_dir_holds (out, "");
  sq_test_assert_dir_holds (dir, "out");
  remove_tree (dir);
}

/* quantize exits 1 when it cannot write the --report; OUT must then be left alone as on
 * every other failure, not freshly written (or overwritten). */
static void
test_output_report_fails (void)
{
  static const char previous[] = "previous output\n";
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.json", NULL);
  g_autofree char *report = g_build_filename (dir, "no-such-dir", "report.json", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_auto(Run) r = { 0, };

  run_cli (&r, "quantize", example_small (), "-o", fresh, "--report", report, NULL);
  assert_one_error (&r, "no-such-dir", NULL);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (out, previous, -1, NULL));
  run_cli (&r, "quantize", example_small (), "-o", out, "--report", report, NULL);
  assert_one_error (&r, "no-such-dir", NULL);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, previous, sizeof previous - 1);
  remove_tree (dir);
}

/* An output that is a link is written through (the link stays, the file keeps its mode); a
 * FIFO is refused at once, not opened and waited on, and stays a FIFO. */
static void
test_output_link_and_fifo (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *real = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *escaped = g_regex_escape_string (fifo, -1);
  g_autofree char *text = NULL;
  struct stat st;
  g_auto(Run) r = { 0, };

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (g_chmod (real, 0600), ==, 0);
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  run_cli (&r, "quantize", example_small (), "-o", link, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_lstat (real, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (g_file_get_contents (real, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "{"));
  run_clear (&r);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  run_cli (&r, "quantize", example_small (), "-o", fifo, NULL);
  assert_one_error (&r, escaped, "not a regular file", NULL);
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  sq_test_assert_dir_holds (dir, "fifo link.json real.json");
  remove_tree (dir);
}

/* The one rule for folders, for every command that writes: a missing parent folder is an
 * error naming it, and nothing is created; xylo-ram makes its own folder only. */
static void
test_output_parents_rule (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *out = g_build_filename (missing, "out.json", NULL);
  g_autofree char *ram = g_build_filename (missing, "ram", NULL);
  g_autofree char *header = g_build_filename (dir, "net.h", NULL);
  g_autofree char *source = g_build_filename (missing, "net.c", NULL);
  g_autofree char *report = g_build_filename (missing, "report.json", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.json", NULL);
  const char *e = example_small ();
  const char * const commands[][12] = {
    { "quantize", e, "-o", out },
    { "quantize", e, "-o", fresh, "--report", report },
    { "simulate", e, "--float", "--poisson", "1", "--steps", "5", "-o", out },
    { "export", e, "-d", "xylo-audio2", "-f", "samna-json", "-o", out, "--force" },
    { "export", e, "-d", "xylo-audio2", "-f", "c-header", "-o", header, "--c-source", source,
      "--force" },
    { "export", e, "-d", "xylo-audio2", "-f", "xylo-ram", "-o", ram, "--force" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0, };

      run_cli_envv (&r, NULL, commands[i]);
      /* export prints the quantization's summary first: only the last line is the error. */
      if (r.status != 1 || strstr (r.err, "missing does not exist\n") == NULL)
        g_error ("%s: status %d, stderr: %s", commands[i][0], r.status, r.err);
      sq_test_assert_dir_holds (dir, "");
    }

  /* With the parent there, xylo-ram makes its folder. */
  g_assert_cmpint (g_mkdir (missing, 0700), ==, 0);
  {
    g_auto(Run) r = { 0, };

    run_cli_envv (&r, NULL, commands[G_N_ELEMENTS (commands) - 1]);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (ram, G_FILE_TEST_IS_DIR));
  }
  remove_tree (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* compare                                                                                   */

static JsonNode *
compare_json (const char *in_path,
              const char *weight_bits)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0, };

  if (weight_bits)
    run_cli (&r, "compare", "--json", "--weight-bits", weight_bits, in_path, NULL);
  else
    run_cli (&r, "compare", "--json", in_path, NULL);
  if (r.status != 0)
    g_error ("synquant-cli compare --json failed: %s", r.err);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_copy (json_parser_get_root (parser));
}

/* The index of the row marked best, after checking the rows against the library. */
static guint
assert_compare_rows (JsonObject       *root,
                     const char       *in_path,
                     const SqXyloSpec *in,
                     guint             weight_bits)
{
  JsonArray *rows = array_member (root, "rows");
  double best_sqnr = -INFINITY;
  guint n_best = 0, best = G_MAXUINT, n_valid = 0;
  guint seen = 0;

  g_assert_cmpstr (string_member (root, "source"), ==, in_path);
  g_assert_cmpuint (json_array_get_length (rows), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *params = object_member (row, "params");
      JsonObject *summary = object_member (row, "summary");
      g_autoptr(SqQuantResult) res = NULL;
      g_autoptr(GError) error = NULL;
      SqQuantParams p;
      SqMethod method;
      SqMode mode;
      double sqnr;
      guint bit;

      sq_quant_params_init (&p);
      g_assert_true (sq_test_method_from_string (string_member (params, "method"), &method));
      g_assert_true (sq_test_mode_from_string (string_member (params, "mode"), &mode));
      p.method = method;
      p.mode = mode;
      p.fuzzy = bool_member (params, "fuzzy");
      g_assert_cmpint (int_member (params, "weight_bits"), ==, weight_bits);
      g_assert_cmpint (int_member (params, "threshold_bits"), ==, p.threshold_bits);
      p.weight_bits = weight_bits;
      bit = 1u << (p.method * 4 + (guint) p.fuzzy * 2 + p.mode);
      g_assert_cmpuint (seen & bit, ==, 0);
      seen |= bit;

      /* Each row is what the library computes with its parameters. */
      res = sq_quantize (in, &p, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (string_member (row, "mode_used"), ==, sq_mode_to_string (res->mode_used));
      assert_figures (summary, &res->total);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (member (row, "layers")));
      string_member (row, "note");

      /* A row that leaves values beyond their integer range cannot run on the hardware. */
      if (bool_member (row, "valid"))
        {
          g_assert_cmpint (int_member (summary, "out_of_range"), ==, 0);
          if (res->mode_used == SQ_MODE_ROCKPOOL)
            g_assert_cmpint (int_member (summary, "dashes_clipped"), ==, 0);
          n_valid++;
          sqnr = double_member (summary, "sqnr_db");
          if (sqnr > best_sqnr)
            best_sqnr = sqnr;
        }
      else
        g_assert_true (int_member (summary, "out_of_range") > 0 ||
                       (res->mode_used == SQ_MODE_ROCKPOOL &&
                        int_member (summary, "dashes_clipped") > 0));

      if (bool_member (row, "best"))
        {
          n_best++;
          best = i;
        }
    }
  g_assert_cmpuint (seen, ==, 0xff);
  g_assert_cmpuint (n_valid, >, 0);
  g_assert_cmpuint (n_best, ==, 1);

  {
    JsonObject *row = json_array_get_object_element (rows, best);

    g_assert_true (bool_member (row, "valid"));
    g_assert_cmpfloat (double_member (object_member (row, "summary"), "sqnr_db"), ==,
                       best_sqnr);
  }
  return best;
}

static void
test_compare_text (void)
{
  g_autoptr(GRegex) row_re = g_regex_new ("^([* ]) (global|channel)\\s+(yes|no)\\s+"
                                          "(synquant|rockpool)\\s", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  g_autoptr(JsonNode) json = compare_json (example_small (), NULL);
  g_autoptr(SqXyloSpec) in = load_spec (example_small ());
  JsonObject *best_row, *best_params;
  g_auto(Run) r = { 0, };
  guint n_rows = 0, n_starred = 0, best;

  best = assert_compare_rows (json_node_get_object (json), example_small (), in, 8);
  best_row = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json), "rows"), best);
  best_params = object_member (best_row, "params");

  run_cli (&r, "compare", example_small (), NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, example_small ()));
  g_assert_true (matches ("\\b8-bit weights, 16-bit thresholds$", r.out));

  /* Every row's zeroed count is of the input's non-zero weights and is its JSON's. */
  {
    g_autoptr(GRegex) zeroed_re = g_regex_new ("\\b([0-9]+) of ([0-9]+) non-zero\\b", 0, 0,
                                               NULL);
    g_autoptr(GMatchInfo) zi = NULL;
    JsonArray *rows = json_object_get_array_member (json_node_get_object (json), "rows");
    guint row = 0;

    g_regex_match (zeroed_re, r.out, 0, &zi);
    for (; g_match_info_matches (zi); g_match_info_next (zi, NULL), row++)
      {
        g_autofree char *z = g_match_info_fetch (zi, 1);
        g_autofree char *nz = g_match_info_fetch (zi, 2);
        JsonObject *summary = object_member (json_array_get_object_element (rows, row),
                                             "summary");

        g_assert_cmpint (g_ascii_strtoll (nz, NULL, 10), ==, (gint64) nonzero_weights (in));
        g_assert_cmpint (g_ascii_strtoll (z, NULL, 10), ==, int_member (summary, "zeroed"));
      }
    g_assert_cmpuint (row, ==, 8);
  }

  /* Eight rows; the one marked * is the JSON's best. */
  g_regex_match (row_re, r.out, 0, &info);
  while (g_match_info_matches (info))
    {
      g_autofree char *star = g_match_info_fetch (info, 1);
      g_autofree char *method = g_match_info_fetch (info, 2);
      g_autofree char *fuzzy = g_match_info_fetch (info, 3);
      g_autofree char *mode = g_match_info_fetch (info, 4);

      n_rows++;
      if (g_str_equal (star, "*"))
        {
          n_starred++;
          g_assert_cmpstr (method, ==, string_member (best_params, "method"));
          g_assert_cmpstr (mode, ==, string_member (best_params, "mode"));
          g_assert_cmpint (g_str_equal (fuzzy, "yes"), ==, bool_member (best_params, "fuzzy"));
        }
      g_match_info_next (info, NULL);
    }
  g_assert_cmpuint (n_rows, ==, 8);
  g_assert_cmpuint (n_starred, ==, 1);
}

static void
test_compare_json (gconstpointer data)
{
  const char *name = data;
  g_autofree char *in_path = name ? sq_test_data_path ("data", "cli", name, NULL)
                                  : g_strdup (example_small ());
  g_autoptr(JsonNode) json = compare_json (in_path, NULL);
  g_autoptr(SqXyloSpec) in = load_spec (in_path);
  guint best = assert_compare_rows (json_node_get_object (json), in_path, in, 8);

  /* exact.json is reproduced exactly by global scaling: its best SQNR is null (+∞). */
  if (name != NULL && g_str_equal (name, "exact.json"))
    {
      JsonObject *row = json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json), "rows"), best);

      g_assert_true (JSON_NODE_HOLDS_NULL (member (object_member (row, "summary"), "sqnr_db")));
    }
}

static void
test_compare_weight_bits (void)
{
  g_autoptr(JsonNode) json8 = compare_json (example_small (), NULL);
  g_autoptr(JsonNode) json4 = compare_json (example_small (), "4");
  g_autoptr(SqXyloSpec) in = load_spec (example_small ());
  JsonArray *rows8, *rows4;
  g_auto(Run) r = { 0, };

  assert_compare_rows (json_node_get_object (json4), example_small (), in, 4);
  rows8 = json_object_get_array_member (json_node_get_object (json8), "rows");
  rows4 = json_object_get_array_member (json_node_get_object (json4), "rows");
  for (guint i = 0; i < 8; i++)
    {
      JsonObject *s8 = object_member (json_array_get_object_element (rows8, i), "summary");
      JsonObject *s4 = object_member (json_array_get_object_element (rows4, i), "summary");

      g_assert_cmpfloat (double_member (s4, "sqnr_db"), !=, double_member (s8, "sqnr_db"));
    }
  /* Global, no fuzzy, Synquant: 4 fewer bits cost well over 12 dB. */
  g_assert_cmpfloat (double_member (object_member (json_array_get_object_element (rows4, 0),
                                                   "summary"), "sqnr_db"), <,
                     double_member (object_member (json_array_get_object_element (rows8, 0),
                                                   "summary"), "sqnr_db") - 12.0);

  run_cli (&r, "compare", "--weight-bits", "4", example_small (), NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (matches ("\\b4-bit weights, 16-bit thresholds$", r.out));
}

/* ---------------------------------------------------------------------------------------- */
/* info                                                                                      */

static gboolean
has_diag (GPtrArray  *diags,
          SqDiagKind  kind)
{
  for (guint i = 0; i < diags->len; i++)
    if (((SqDiagnostic *) g_ptr_array_index (diags, i))->kind == kind)
      return TRUE;
  return FALSE;
}

static void
test_info_small (void)
{
  g_autoptr(SqXyloSpec) in = load_spec (example_small ());
  g_autoptr(GPtrArray) diags = sq_xylo_spec_diagnose (in);
  g_auto(Run) r = { 0, };
  guint n_params = 0;

  run_cli (&r, "info", example_small (), NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_str_has_prefix (r.out, example_small ()));
  g_assert_true (matches ("\\bfloat\\b", r.out));

  g_assert_true (matches ("^\\s+inputs\\s+8$", r.out));
  g_assert_true (matches ("^\\s+hidden neurons\\s+32\\b", r.out));
  g_assert_true (matches ("^\\s+output neurons\\s+4$", r.out));
  g_assert_true (matches ("^\\s+hidden neurons\\s+32, 2 synapses each", r.out));
  g_assert_true (matches ("^\\s+dt\\s+0\\.001 s$", r.out));

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      g_autofree char *shape = NULL, *escaped = NULL, *pattern = NULL;

      if (!sq_tensor_is_present (&in->param[i]))
        continue;
      n_params++;
      shape = sq_tensor_shape_string (&in->param[i]);
      escaped = g_regex_escape_string (shape, -1);
      pattern = g_strdup_printf ("^\\s+%s\\s+%s\\s", sq_param_name ((SqParam) i), escaped);
      if (!matches (pattern, r.out))
        g_test_fail_printf ("info does not list %s %s", sq_param_name ((SqParam) i), shape);
    }
  g_assert_cmpuint (n_params, ==, SQ_N_PARAMS);
  g_assert_true (matches ("^\\s+weights_in\\s+\\(8, 32, 2\\)\\s", r.out));

  /* The generator planted a dead synapse (τ_syn near dt), a neuron without input and one
   * without output; info shows every warning the library finds. */
  g_assert_true (has_diag (diags, SQ_DIAG_DASH_ZERO));
  g_assert_true (has_diag (diags, SQ_DIAG_NO_INPUT));
  g_assert_true (has_diag (diags, SQ_DIAG_NO_OUTPUT));
  g_assert_true (matches ("^Warnings:$", r.out));
  for (guint i = 0; i < diags->len; i++)
    {
      const char *message = ((SqDiagnostic *) g_ptr_array_index (diags, i))->message;

      if (strstr (r.out, message) == NULL)
        g_test_fail_printf ("info does not show the warning '%s'", message);
    }
}

static void
test_info_unknown_key (void)
{
  g_autofree char *in_path = sq_test_data_path ("data", "cli", "unknown-key.json", NULL);
  g_autoptr(SqXyloSpec) in = load_spec (in_path);
  g_auto(Run) r = { 0, };

  g_assert_false (sq_xylo_spec_is_integer (in));
  run_cli (&r, "info", in_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (matches ("\\bfloat\\b", r.out));
  g_assert_true (matches ("^\\s+inputs\\s+2$", r.out));
  g_assert_true (matches ("^\\s+hidden neurons\\s+3, 1 synapse each", r.out));
  g_assert_true (matches ("^Warnings:\\n\\s+.*\"tau_mem\"", r.out));
  /* No parameter it does not have. */
  g_assert_false (matches ("^\\s+bias\\s", r.out));
}

static void
test_info_exact (void)
{
  g_autofree char *in_path = sq_test_data_path ("data", "cli", "exact.json", NULL);
  g_auto(Run) r = { 0, };

  run_cli (&r, "info", in_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (matches ("\\binteger values\\b", r.out));
  g_assert_true (matches ("^No warnings\\.$", r.out));
  g_assert_false (matches ("^Warnings:", r.out));
}

/* ---------------------------------------------------------------------------------------- */
/* Locale                                                                                    */

static gboolean
is_comma_locale (const char *name)
{
  locale_t loc;
  gboolean comma;

  if (name == NULL || name[0] == '\0')
    return FALSE;
  loc = newlocale (LC_ALL_MASK, name, (locale_t) 0);
  if (loc == (locale_t) 0)
    return FALSE;
  comma = g_str_equal (nl_langinfo_l (RADIXCHAR, loc), ",");
  freelocale (loc);
  return comma;
}

/* A UTF-8 locale whose decimal separator is a comma, or %NULL. */
static char *
find_comma_locale (void)
{
  static const char * const candidates[] = {
    "de_DE.UTF-8", "fr_FR.UTF-8", "nl_NL.UTF-8", "it_IT.UTF-8", "es_ES.UTF-8",
    "pt_BR.UTF-8", "ru_RU.UTF-8", "pl_PL.UTF-8", "sv_SE.UTF-8", NULL
  };
  g_autofree char *listing = NULL;
  g_auto(GStrv) installed = NULL;
  int wait_status = 0;

  for (guint i = 0; candidates[i] != NULL; i++)
    if (is_comma_locale (candidates[i]))
      return g_strdup (candidates[i]);

  if (g_spawn_command_line_sync ("locale -a", &listing, NULL, &wait_status, NULL) &&
      WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0)
    {
      installed = g_strsplit (listing, "\n", -1);
      for (guint i = 0; installed[i] != NULL; i++)
        {
          g_autofree char *lower = g_ascii_strdown (installed[i], -1);

          if ((strstr (lower, "utf8") || strstr (lower, "utf-8")) &&
              is_comma_locale (installed[i]))
            return g_strdup (installed[i]);
        }
    }
  return NULL;
}

/* quantize --timings --report in @locale: the timings use a decimal point; returns the
 * output and the report. */
static void
quantize_in_locale (const char  *locale,
                    const char  *dir,
                    char       **out_text,
                    char       **report_text)
{
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_auto(GStrv) envp = g_get_environ ();
  const char *args[] = { "quantize", example_small (), "-o", out, "--report", report,
                         "--method", "channel", "--fuzzy", "--timings", NULL };
  g_auto(Run) r = { 0, };

  envp = g_environ_setenv (g_steal_pointer (&envp), "LC_ALL", locale, TRUE);
  envp = g_environ_unsetenv (g_steal_pointer (&envp), "LANGUAGE");
  run_cli_envv (&r, envp, args);
  if (r.status != 0)
    g_error ("synquant-cli quantize failed in %s: %s", locale, r.err);
  g_assert_cmpstr (r.out, ==, "");
  assert_timings (r.err);

  g_assert_true (g_file_get_contents (out, out_text, NULL, NULL));
  g_assert_true (g_file_get_contents (report, report_text, NULL, NULL));
  g_assert_cmpint (g_unlink (out), ==, 0);
  g_assert_cmpint (g_unlink (report), ==, 0);
}

static void
test_locale_c (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *out = NULL, *report = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  quantize_in_locale ("C.UTF-8", dir, &out, &report);
  /* Numbers as JSON writes them: "dt": 0.001, never 0,001. */
  g_assert_nonnull (strstr (out, "\"dt\": 0.001"));
  root = json_from_string (report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_locale_comma (void)
{
  g_autofree char *locale = find_comma_locale ();
  g_autofree char *dir = NULL;
  g_autofree char *out_c = NULL, *report_c = NULL, *out_comma = NULL, *report_comma = NULL;

  if (locale == NULL)
    {
      g_test_skip ("no locale with a decimal comma is installed (de_DE.UTF-8, ...)");
      return;
    }
  g_test_message ("comma-decimal locale: %s", locale);

  dir = sq_test_tmpdir ();
  quantize_in_locale ("C.UTF-8", dir, &out_c, &report_c);
  quantize_in_locale (locale, dir, &out_comma, &report_comma);
  g_assert_true (g_str_equal (out_c, out_comma));
  g_assert_cmpstr (report_c, ==, report_comma);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---------------------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A failed check marks its test failed and the run goes on (-k) to the next test. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/cli/usage/no-arguments", test_usage_no_arguments);
  g_test_add_func ("/cli/usage/unknown-command", test_usage_unknown_command);
  g_test_add_func ("/cli/usage/help", test_usage_help);
  g_test_add_func ("/cli/usage/version", test_usage_version);
  for (guint i = 0; i < G_N_ELEMENTS (command_help); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/%s/help", command_help[i].command);
      g_test_add_data_func (path, &command_help[i], test_command_help);
    }
  g_test_add_func ("/cli/usage/help-names-command", test_command_help_names_command);

  g_test_add_func ("/cli/quantize/no-output", test_quantize_no_output);
  g_test_add_func ("/cli/quantize/no-input", test_quantize_no_input);
  g_test_add_func ("/cli/quantize/two-inputs", test_quantize_two_inputs);
  for (guint i = 0; i < G_N_ELEMENTS (bad_options); i++)
    g_test_add_data_func (bad_options[i].path, &bad_options[i], test_quantize_bad_option);
  g_test_add_func ("/cli/errors/missing-file", test_missing_input_file);
  g_test_add_func ("/cli/errors/missing-argument", test_missing_input_argument);
  g_test_add_func ("/cli/errors/malformed-input", test_quantize_malformed);
  g_test_add_func ("/cli/errors/input-is-directory", test_input_is_directory);
  g_test_add_func ("/cli/errors/input-is-fifo", test_input_is_fifo);

  for (guint i = 0; i < G_N_ELEMENTS (combinations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/quantize/small/%s", combinations[i].name);
      g_test_add_data_func (path, &combinations[i], test_quantize_small);
    }
  g_test_add_func ("/cli/quantize/unknown-key", test_quantize_unknown_key);
  g_test_add_func ("/cli/quantize/timings", test_quantize_timings);
  for (guint i = 0; i < G_N_ELEMENTS (report_cases); i++)
    g_test_add_data_func (report_cases[i].path, &report_cases[i], test_quantize_report);

  g_test_add_func ("/cli/quantize/output/missing-directory", test_output_missing_directory);
  g_test_add_func ("/cli/quantize/output/link-and-fifo", test_output_link_and_fifo);
  g_test_add_func ("/cli/output/parents-rule", test_output_parents_rule);
  g_test_add_func ("/cli/quantize/output/error-names-output", test_output_error_names_output);
  g_test_add_func ("/cli/quantize/output/kept-on-bad-input", test_output_kept_on_bad_input);
  g_test_add_func ("/cli/quantize/output/read-only-directory", test_output_read_only_directory);
  g_test_add_func ("/cli/quantize/output/is-a-directory", test_output_is_directory);
  g_test_add_func ("/cli/quantize/output/report-fails", test_output_report_fails);

  g_test_add_func ("/cli/compare/text", test_compare_text);
  g_test_add_data_func ("/cli/compare/json/small", NULL, test_compare_json);
  g_test_add_data_func ("/cli/compare/json/exact", "exact.json", test_compare_json);
  g_test_add_func ("/cli/compare/weight-bits", test_compare_weight_bits);

  g_test_add_func ("/cli/info/small", test_info_small);
  g_test_add_func ("/cli/info/unknown-key", test_info_unknown_key);
  g_test_add_func ("/cli/info/exact", test_info_exact);

  g_test_add_func ("/cli/locale/c", test_locale_c);
  g_test_add_func ("/cli/locale/comma-decimal", test_locale_comma);

  return g_test_run ();
}
