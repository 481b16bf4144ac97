/* test-spec-json.c: the JSON loader and writer of Xylo specifications, and the tensor basics
 * they rest on.
 *
 * Every file of tests/data/malformed/ is listed in malformed_cases with the error it must
 * raise and where; tests/data/valid/ holds small specifications whose values are asserted.
 *
 * Assertions are not fatal, so that one failing case does not hide the others: a test returns
 * as soon as a failed assertion leaves nothing meaningful to check.
 *
 * One program for one module, so longer than most: one case per malformed file, the table is most
 * of its length.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sq-test-utils.h"

/* ---------------------------------------------------------------------------------------- */
/* Malformed files                                                                           */

typedef struct {
  const char  *file;
  SqSpecError  code;
  guint        line;        /* 0: the message has no position */
  guint        column;      /* 0: the column is not checked */
  const char  *needles[3];  /* substrings the message must contain */
} MalformedCase;

static const MalformedCase malformed_cases[] = {
  /* Syntax: the position is the one an editor shows (lines and characters from 1). */
  { "syntax-missing-comma.json", SQ_SPEC_ERROR_SYNTAX, 4, 3,
    { "expected '}' or ',' after an object member", "found '\"'" } },
  { "syntax-missing-comma-in-row.json", SQ_SPEC_ERROR_SYNTAX, 9, 21,
    { "threshold[0]: expected ',' or ']' after this element, found '2'" } },
  { "syntax-single-quotes.json", SQ_SPEC_ERROR_SYNTAX, 1, 2,
    { "expected a string, found '''" } },
  { "syntax-truncated.json", SQ_SPEC_ERROR_SYNTAX, 4, 1,
    { "weights_rec[1][1]: expected a value, found the end of the file" } },
  /* The end of the file inside aliases is a syntax error too, as it is inside a tensor. */
  { "syntax-truncated-in-aliases.json", SQ_SPEC_ERROR_SYNTAX, 12, 1,
    { "aliases[1]", "the end of the file" } },
  { "syntax-unterminated-string.json", SQ_SPEC_ERROR_SYNTAX, 10, 27,
    { "string is not terminated" } },
  { "syntax-control-char.json", SQ_SPEC_ERROR_SYNTAX, 5, 8,
    { "control character 0x09 inside a string" } },
  { "syntax-invalid-utf8-key.json", SQ_SPEC_ERROR_SYNTAX, 6, 3,
    { "string is not valid UTF-8" } },
  { "syntax-trailing-garbage.json", SQ_SPEC_ERROR_SYNTAX, 12, 1,
    { "unexpected data after the end of the specification" } },
  { "syntax-empty.json", SQ_SPEC_ERROR_SYNTAX, 0, 0,
    { "the file is empty" } },
  { "syntax-whitespace-only.json", SQ_SPEC_ERROR_SYNTAX, 0, 0,
    { "the file is empty" } },
  { "syntax-bad-number.json", SQ_SPEC_ERROR_SYNTAX, 9, 24,
    { "threshold[1]: malformed number, unexpected ']'" } },
  { "syntax-bare-word.json", SQ_SPEC_ERROR_SYNTAX, 5, 19,
    { "dash_mem[1]: expected a value, found 'n'" } },
  { "syntax-not-json.json", SQ_SPEC_ERROR_SYNTAX, 1, 1,
    { "expected '{' at the start of the specification, found 'w'" } },
  /* "-Ioops!!!" is not JSON, even as the value of a key the loader ignores. */
  { "unknown-key-bad-token.json", SQ_SPEC_ERROR_SYNTAX, 11, 0,
    { NULL } },

  /* Non-finite values, with the element's index path. */
  { "nan-in-weights-rec.json", SQ_SPEC_ERROR_NON_FINITE, 3, 33,
    { "weights_rec[1][0]: found NaN, expected a finite number" } },
  { "infinity-in-threshold.json", SQ_SPEC_ERROR_NON_FINITE, 1, 21,
    { "threshold[1]: found Infinity, expected a finite number" } },
  { "neg-infinity-crlf.json", SQ_SPEC_ERROR_NON_FINITE, 4, 27,
    { "weights_out[1][0]: found -Infinity, expected a finite number" } },
  { "nan-after-utf8.json", SQ_SPEC_ERROR_NON_FINITE, 1, 49,
    { "threshold[0]: found NaN" } },
  { "number-beyond-double.json", SQ_SPEC_ERROR_NON_FINITE, 11, 12,
    { "bias[0]: number 1e999 is beyond the range of a double" } },
  { "dt-nan.json", SQ_SPEC_ERROR_NON_FINITE, 11, 9,
    { "dt: found NaN, expected a finite number" } },

  /* Ragged arrays name the row and the row it should have matched. */
  { "ragged-short-row.json", SQ_SPEC_ERROR_RAGGED, 3, 32,
    { "weights_rec[1]: 1 element, expected 2 like weights_rec[0]" } },
  { "ragged-long-row.json", SQ_SPEC_ERROR_RAGGED, 4, 26,
    { "weights_out[1]: more than 1 element, expected 1 like weights_out[0]" } },
  { "ragged-deeper.json", SQ_SPEC_ERROR_RAGGED, 1, 57,
    { "weights_rec[1][1]: 1 element, expected 2 like weights_rec[0][0]" } },
  { "ragged-number-for-row.json", SQ_SPEC_ERROR_RAGGED, 3, 32,
    { "weights_rec[1]: found a number, expected an array like weights_rec[0]" } },
  { "ragged-row-for-number.json", SQ_SPEC_ERROR_RAGGED, 9, 22,
    { "threshold[1]: found an array, expected a number like the other elements" } },

  /* Ranks. */
  { "rank-threshold-scalar.json", SQ_SPEC_ERROR_RANK, 0, 0,
    { "threshold has 0 dimensions (), expected (Nhid,)" } },
  { "rank-threshold-2d.json", SQ_SPEC_ERROR_RANK, 0, 0,
    { "threshold has 2 dimensions (1, 2), expected (Nhid,)" } },
  { "rank-weights-out-1d.json", SQ_SPEC_ERROR_RANK, 0, 0,
    { "weights_out has 1 dimension (2,), expected (Noen, Nout)" } },
  { "rank-weights-4d.json", SQ_SPEC_ERROR_RANK, 0, 0,
    { "weights_rec has 4 dimensions (2, 2, 1, 1)",
      "expected (Nhid, Nhid) or (Nhid, Nhid, Nsyn)" } },
  { "rank-weights-5d.json", SQ_SPEC_ERROR_RANK, 3, 22,
    { "weights_rec: nested deeper than 4 dimensions" } },
  { "rank-dt-array.json", SQ_SPEC_ERROR_RANK, 11, 9,
    { "dt: found an array, expected a number" } },
  { "rank-shift-array.json", SQ_SPEC_ERROR_RANK, 1, 22,
    { "weight_shift_rec: found an array, expected a number" } },

  /* Empty arrays. */
  { "empty-array.json", SQ_SPEC_ERROR_EMPTY, 11, 11,
    { "bias: empty array" } },
  { "empty-inner.json", SQ_SPEC_ERROR_EMPTY, 3, 19,
    { "weights_rec[0]: empty array" } },

  /* Sizes that disagree: whole-file checks, without a position. */
  { "shape-threshold-length.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "threshold has 1 entry, expected 2 (one per hidden neuron" } },
  { "shape-threshold-out-length.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "threshold_out has 2 entries, expected 1 (one per output neuron" } },
  { "shape-weights-out-rows.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "weights_out has 3 rows, but weights_rec has only 2 hidden neurons" } },
  { "shape-weights-in-columns.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "weights_in feeds 3 hidden neurons, but weights_rec has only 2" } },
  { "shape-synapse-mismatch.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "weights_in has 2 synapses per neuron but weights_rec has 1" } },
  { "shape-non-square.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "weights_rec is (2, 3), expected a square" } },
  { "shape-three-synapses.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "weights_rec has 3 synapses per neuron; Xylo neurons have 1 or 2" } },
  { "shape-aliases-count.json", SQ_SPEC_ERROR_SHAPE, 0, 0,
    { "aliases has 1 list, expected 2 (one per hidden neuron)" } },

  /* Missing keys. */
  { "missing-keys.json", SQ_SPEC_ERROR_MISSING_KEY, 0, 0,
    { "missing keys threshold_out, dash_syn;" } },
  { "missing-key.json", SQ_SPEC_ERROR_MISSING_KEY, 0, 0,
    { "missing key weights_rec;" } },
  { "missing-dash-syn-2.json", SQ_SPEC_ERROR_MISSING_KEY, 0, 0,
    { "missing key dash_syn_2; the network has 2 synapses per neuron" } },

  /* Something else than a number inside a tensor. */
  { "string-in-tensor.json", SQ_SPEC_ERROR_NOT_A_NUMBER, 2, 24,
    { "weights_in[0][1]: found a string, expected a number" } },
  { "null-in-tensor.json", SQ_SPEC_ERROR_NOT_A_NUMBER, 5, 19,
    { "dash_mem[1]: found null, expected a number" } },
  { "true-in-tensor.json", SQ_SPEC_ERROR_NOT_A_NUMBER, 8, 20,
    { "dash_syn_out[0]: found true, expected a number" } },
  { "object-in-tensor.json", SQ_SPEC_ERROR_NOT_A_NUMBER, 3, 32,
    { "weights_rec[1]: found an object, expected an array" } },
  /* A number where a list belongs is wrong nesting, as dt: [0.001] is. */
  { "aliases-not-lists.json", SQ_SPEC_ERROR_RANK, 11, 20,
    { "aliases[1]: found a number, expected a list of neuron indices" } },

  { "duplicate-key.json", SQ_SPEC_ERROR_DUPLICATE_KEY, 11, 3,
    { "key \"threshold\" appears twice" } },

  /* Values out of range. */
  { "alias-target-too-large.json", SQ_SPEC_ERROR_VALUE, 0, 0,
    { "aliases[1][0] is 2, expected a hidden neuron index below 2" } },
  { "alias-fractional.json", SQ_SPEC_ERROR_VALUE, 11, 16,
    { "aliases[0][0]: found 1.5, expected a hidden neuron index" } },
  { "alias-negative.json", SQ_SPEC_ERROR_VALUE, 11, 23,
    { "aliases[1][1]: found -1, expected a hidden neuron index" } },
  { "shift-negative.json", SQ_SPEC_ERROR_VALUE, 11, 23,
    { "weight_shift_rec: found -1, expected a whole number from 0 to 127" } },
  { "shift-fractional.json", SQ_SPEC_ERROR_VALUE, 11, 22,
    { "weight_shift_in: found 0.5, expected a whole number from 0 to 127" } },
  { "shift-too-large.json", SQ_SPEC_ERROR_VALUE, 1, 22,
    { "weight_shift_out: found 128, expected a whole number from 0 to 127" } },
  { "dt-zero.json", SQ_SPEC_ERROR_VALUE, 11, 9,
    { "dt: found 0, expected a positive time step in seconds" } },
  { "dt-negative.json", SQ_SPEC_ERROR_VALUE, 11, 9,
    { "dt: found -0.001, expected a positive time step in seconds" } },

  { "top-level-array.json", SQ_SPEC_ERROR_NOT_OBJECT, 1, 1,
    { "the top level is an array, expected an object" } },

  /* 300 nested arrays in an ignored key: refused at the 257th '[' (line 2, column 9 + 257). */
  { "deep-nesting.json", SQ_SPEC_ERROR_TOO_LARGE, 2, 266,
    { "values nested deeper than 256 levels" } },
};

/* The message starts with "FILE:LINE:COL: " (or "FILE: " when it has no position). */
static void
assert_message_prefix (const char *message,
                       const char *display,
                       guint       line,
                       guint       column)
{
  g_autofree char *prefix = NULL;

  if (line == 0)
    prefix = g_strdup_printf ("%s: ", display);
  else if (column == 0)
    prefix = g_strdup_printf ("%s:%u:", display, line);
  else
    prefix = g_strdup_printf ("%s:%u:%u: ", display, line, column);

  if (!g_str_has_prefix (message, prefix))
    g_test_message ("message \"%s\" does not start with \"%s\"", message, prefix);
  g_assert_true (g_str_has_prefix (message, prefix));
}

static void
test_malformed (gconstpointer data)
{
  const MalformedCase *c = data;
  g_autofree char *path = sq_test_data_path ("data", "malformed", c->file, NULL);
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GError) error = NULL;

  spec = sq_xylo_spec_load_json (path, &error);
  if (error != NULL)
    g_test_message ("%s", error->message);
  g_assert_error (error, SQ_SPEC_ERROR, (int) c->code);
  g_assert_null (spec);
  if (error == NULL)
    return;

  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, c->file));
  assert_message_prefix (error->message, display, c->line, c->column);
  for (guint i = 0; i < G_N_ELEMENTS (c->needles) && c->needles[i] != NULL; i++)
    {
      if (strstr (error->message, c->needles[i]) == NULL)
        g_test_message ("message lacks \"%s\"", c->needles[i]);
      g_assert_nonnull (strstr (error->message, c->needles[i]));
    }
}

/* Every file of data/malformed is in the table, and every entry has its file. */
static void
test_malformed_table_complete (void)
{
  g_autoptr(GPtrArray) files = sq_test_list_data ("data/malformed", "", ".json");
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_assert_false (g_hash_table_contains (listed, malformed_cases[i].file));
      g_hash_table_add (listed, (gpointer) malformed_cases[i].file);
    }

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));

      if (!g_hash_table_contains (listed, base))
        g_test_message ("%s is not in malformed_cases", base);
      g_assert_true (g_hash_table_contains (listed, base));
    }
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (malformed_cases));
  g_assert_cmpuint (files->len, >=, 25);
}

static void
remove_file (const char *path)
{
  int rc = g_unlink (path);

  g_assert_cmpint (rc, ==, 0);
}

static void
remove_empty_dir (const char *dir)
{
  int rc = g_rmdir (dir);

  g_assert_cmpint (rc, ==, 0);
}

static void
test_io_missing_file (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "does-not-exist.json", NULL);
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GError) error = NULL;

  spec = sq_xylo_spec_load_json (path, &error);
  g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_IO);
  g_assert_null (spec);
  /* "PATH: …: No such file or directory" */
  if (error != NULL)
    {
      assert_message_prefix (error->message, path, 0, 0);
      g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
    }

  remove_empty_dir (dir);
}

static void
test_io_directory (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GError) error = NULL;

  spec = sq_xylo_spec_load_json (dir, &error);
  g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_IO);
  g_assert_null (spec);
  if (error != NULL)
    assert_message_prefix (error->message, dir, 0, 0);

  remove_empty_dir (dir);
}

/* A FIFO without a writer blocked open() forever. Every reader of a user's path refuses it at
 * once, as anything that is not a regular file; alarm() turns a hang into a failure. */
static void
test_io_fifo (void)
{
  g_autofree char *dir = sq_test_tmpdir ();
  static const char *const names[] = { "net.json", "net.npz", "net.nir", "net", "in.csv" };

  alarm (20);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMappedFile) mapped = NULL;
      g_autoptr(SqNetwork) net = NULL;
      g_autoptr(SqXyloSpec) spec = NULL;
      g_autoptr(SqNpzReader) npz = NULL;
      SqRaster raster;
      SqTensor t;

      g_test_message ("%s", names[i]);
      g_assert_cmpint (mkfifo (path, 0600), ==, 0);

      mapped = sq_file_map (path, &error);
      g_assert_null (mapped);
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
      g_assert_nonnull (strstr (error->message, "is not a regular file"));
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      if (!g_str_has_suffix (path, ".nir") || sq_nir_is_supported ())
        {
          net = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
          g_assert_null (net);
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, "is not a regular file"));
          g_clear_error (&error);
        }
      spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
      g_assert_null (spec);
      g_assert_nonnull (strstr (error->message, "is not a regular file"));
      g_clear_error (&error);
      g_assert_false (sq_raster_load (&raster, path, &error));
      g_assert_nonnull (strstr (error->message, "is not a regular file"));
      g_clear_error (&error);
      g_assert_false (sq_npy_load (path, &t, NULL, &error));
      g_assert_nonnull (strstr (error->message, "is not a regular file"));
      g_clear_error (&error);
      npz = sq_npz_reader_open (path, &error);
      g_assert_null (npz);
      g_assert_nonnull (strstr (error->message, "is not a regular file"));

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  alarm (0);
  remove_empty_dir (dir);
}

/* sq_json_check: what json-glib may parse safely (sessions). */
static void
test_json_check (void)
{
  static const char *const ok[] = { "{}", " [1, {\"a\": [true, null, \"x\"]}]\n", "3" };
  static const struct {
    const char *text;
    const char *message;
  } bad[] = {
    { "", "s: the file is empty" },
    { " \n\t", "s: the file is empty" },
    { "{} x", "s:1:4: unexpected text after the value" },
    { "{\"a\": }", "s:1:7: expected a value, found '}'" },
    { "[1, 2", "s:1:6: expected ']'" },
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree char *copy = g_memdup2 (ok[i], strlen (ok[i]));

      g_assert_true (sq_json_check (copy, strlen (ok[i]), "s", &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gsize len = strlen (bad[i].text);
      g_autofree char *copy = g_memdup2 (bad[i].text, len);

      g_assert_false (sq_json_check (copy, len, "s", &error));
      g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SYNTAX);
      if (!g_str_has_prefix (error->message, bad[i].message))
        g_error ("“%s” does not start with “%s”", error->message, bad[i].message);
      g_clear_error (&error);
    }
  /* An empty mapping has no address. */
  g_assert_false (sq_json_check (NULL, 0, "s", &error));
  g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SYNTAX);
  g_clear_error (&error);

  /* 256 levels are read; 100 000 (200 KB, which overflowed json-glib's stack) are refused
   * without recursing that deep. */
  for (guint i = 0; i < 256; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 256; i++)
    g_string_append_c (deep, ']');
  g_assert_true (sq_json_check (deep->str, deep->len, "s", &error));
  g_assert_no_error (error);
  g_string_truncate (deep, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, i % 2 ? "[" : "{\"a\":");
  g_assert_false (sq_json_check (deep->str, deep->len, "s", &error));
  g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "nested deeper than 256 levels"));
}

/* ---------------------------------------------------------------------------------------- */
/* Valid files                                                                               */

static char *
valid_path (const char *name)
{
  if (g_str_equal (name, "small.json"))
    {
      const char *small = g_getenv ("SQ_EXAMPLE_SMALL");

      g_assert_nonnull (small);
      return g_strdup (small);
    }
  return sq_test_data_path ("data", "valid", name, NULL);
}

static SqXyloSpec *
load_valid (const char *name)
{
  g_autofree char *path = valid_path (name);
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec;

  spec = sq_xylo_spec_load_json (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return spec;
}

static char *
read_valid (const char *name,
            gsize      *length)
{
  g_autofree char *path = valid_path (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, length, &error);
  g_assert_no_error (error);
  return text;
}

static double
value_at (const SqXyloSpec *spec,
          SqParam           param,
          gsize             flat)
{
  const SqTensor *t = &spec->param[param];

  g_assert_true (sq_tensor_is_present (t));
  g_assert_cmpuint (flat, <, t->n);
  if (!sq_tensor_is_present (t) || flat >= t->n)
    return NAN;
  return t->data[flat];
}

static void
assert_shape (const SqXyloSpec *spec,
              SqParam           param,
              const char       *expected)
{
  g_autofree char *shape = sq_tensor_shape_string (&spec->param[param]);

  g_assert_true (sq_tensor_is_present (&spec->param[param]));
  g_assert_cmpstr (shape, ==, expected);
}

/* Same parameters, integer flags, shifts, aliases, dt and sizes. */
static void
assert_specs_equal (const SqXyloSpec *a,
                    const SqXyloSpec *b)
{
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *ta = &a->param[i];
      const SqTensor *tb = &b->param[i];

      if (!sq_test_tensor_equal (ta, tb))
        g_test_message ("%s differs", sq_param_name ((SqParam) i));
      g_assert_true (sq_test_tensor_equal (ta, tb));
      g_assert_cmpint (ta->integer, ==, tb->integer);
    }

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    {
      g_assert_cmpint (a->has_weight_shift[i], ==, b->has_weight_shift[i]);
      g_assert_cmpint (a->weight_shift[i], ==, b->weight_shift[i]);
    }

  g_assert_cmpuint (a->n_alias_lists, ==, b->n_alias_lists);
  g_assert_true ((a->alias_offsets == NULL) == (b->alias_offsets == NULL));
  if (a->alias_offsets != NULL && b->alias_offsets != NULL &&
      a->n_alias_lists == b->n_alias_lists)
    {
      gsize n_targets = a->alias_offsets[a->n_alias_lists];

      g_assert_cmpmem (a->alias_offsets, (a->n_alias_lists + 1) * sizeof (gsize),
                       b->alias_offsets, (b->n_alias_lists + 1) * sizeof (gsize));
      g_assert_cmpmem (a->alias_targets, n_targets * sizeof (guint32),
                       b->alias_targets, b->alias_offsets[b->n_alias_lists] * sizeof (guint32));
    }

  g_assert_cmpint (a->has_dt, ==, b->has_dt);
  if (a->has_dt)
    g_assert_cmpfloat (a->dt, ==, b->dt);

  g_assert_cmpuint (a->n_in, ==, b->n_in);
  g_assert_cmpuint (a->n_hidden, ==, b->n_hidden);
  g_assert_cmpuint (a->n_syn, ==, b->n_syn);
  g_assert_cmpuint (a->n_ien, ==, b->n_ien);
  g_assert_cmpuint (a->n_oen, ==, b->n_oen);
  g_assert_cmpuint (a->n_out, ==, b->n_out);
  g_assert_cmpint (a->weights_in_3d, ==, b->weights_in_3d);
  g_assert_cmpint (a->weights_rec_3d, ==, b->weights_rec_3d);
}

/* The alias list of hidden neuron @j is exactly @expected (@n entries). */
static void
assert_alias_list (const SqXyloSpec *spec,
                   gsize             j,
                   const guint32    *expected,
                   gsize             n)
{
  gsize begin, end;

  g_assert_nonnull (spec->alias_offsets);
  g_assert_cmpuint (j, <, spec->n_alias_lists);
  if (spec->alias_offsets == NULL || j >= spec->n_alias_lists)
    return;
  begin = spec->alias_offsets[j];
  end = spec->alias_offsets[j + 1];
  g_assert_cmpuint (end - begin, ==, n);
  for (gsize k = 0; k < n; k++)
    g_assert_cmpuint (spec->alias_targets[begin + k], ==, expected[k]);
}

static void
test_valid_small (void)
{
  g_autoptr(SqXyloSpec) spec = load_valid ("small.json");
  g_autofree char *path = valid_path ("small.json");
  g_autofree char *display = g_filename_display_name (path);
  static const guint32 nine[] = { 9 };

  if (g_test_failed ())
    return;

  g_assert_cmpuint (spec->n_in, ==, 8);
  g_assert_cmpuint (spec->n_hidden, ==, 32);
  g_assert_cmpuint (spec->n_syn, ==, 2);
  g_assert_cmpuint (spec->n_ien, ==, 32);
  g_assert_cmpuint (spec->n_oen, ==, 32);
  g_assert_cmpuint (spec->n_out, ==, 4);
  g_assert_true (spec->weights_in_3d);
  g_assert_true (spec->weights_rec_3d);
  g_assert_cmpuint (sq_xylo_spec_n_weights (spec), ==, 8 * 32 * 2 + 32 * 32 * 2 + 32 * 4);

  assert_shape (spec, SQ_PARAM_WEIGHTS_IN, "(8, 32, 2)");
  assert_shape (spec, SQ_PARAM_WEIGHTS_REC, "(32, 32, 2)");
  assert_shape (spec, SQ_PARAM_WEIGHTS_OUT, "(32, 4)");
  assert_shape (spec, SQ_PARAM_DASH_SYN_2, "(32,)");
  assert_shape (spec, SQ_PARAM_BIAS, "(32,)");
  assert_shape (spec, SQ_PARAM_THRESHOLD_OUT, "(4,)");

  /* Values, as Python reads them back from the file. */
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 0), ==, 0.18978813290596008);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 1), ==, -0.8971008658409119);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 7 * 64 + 31 * 2), ==, 1.1566733121871948);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_REC, 3 * 64 + 7 * 2 + 1), ==,
                     0.05050082504749298);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_OUT, 31 * 4 + 3), ==, 0.39371877908706665);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_DASH_MEM, 1), ==, 5.194332620618008);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_DASH_SYN_2, 0), ==, 3.4786211769516693);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_DASH_MEM_OUT, 0), ==, 4.355154093258813);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_DASH_SYN_OUT, 3), ==, 2.372975922665958);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_THRESHOLD, 0), ==, 0.8504692912101746);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_THRESHOLD_OUT, 1), ==, 1.7956207990646362);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_BIAS, 0), ==, -0.01690128818154335);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_BIAS_OUT, 3), ==, 0.021584197878837585);
  g_assert_false (spec->param[SQ_PARAM_WEIGHTS_IN].integer);
  g_assert_false (sq_xylo_spec_is_integer (spec));

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    {
      g_assert_true (spec->has_weight_shift[i]);
      g_assert_cmpint (spec->weight_shift[i], ==, 0);
    }

  g_assert_cmpuint (spec->n_alias_lists, ==, 32);
  for (gsize j = 0; j < 32; j++)
    assert_alias_list (spec, j, nine, j == 22 ? 1 : 0);

  g_assert_true (spec->has_dt);
  g_assert_cmpfloat (spec->dt, ==, 0.001);
  g_assert_cmpuint (spec->warnings->len, ==, 0);
  g_assert_cmpstr (spec->source, ==, display);
}

/* IMU layout: 2-D weights (one synapse), Nien < Nhid and Noen < Nhid, ragged aliases, no dt. */
static void
test_valid_imu (void)
{
  g_autoptr(SqXyloSpec) spec = load_valid ("imu-2d.json");
  static const guint32 two_zero[] = { 2, 0 };

  if (g_test_failed ())
    return;

  g_assert_cmpuint (spec->n_in, ==, 2);
  g_assert_cmpuint (spec->n_hidden, ==, 3);
  g_assert_cmpuint (spec->n_syn, ==, 1);
  g_assert_cmpuint (spec->n_ien, ==, 2);
  g_assert_cmpuint (spec->n_oen, ==, 2);
  g_assert_cmpuint (spec->n_out, ==, 1);
  g_assert_false (spec->weights_in_3d);
  g_assert_false (spec->weights_rec_3d);

  assert_shape (spec, SQ_PARAM_WEIGHTS_IN, "(2, 2)");
  assert_shape (spec, SQ_PARAM_WEIGHTS_REC, "(3, 3)");
  assert_shape (spec, SQ_PARAM_WEIGHTS_OUT, "(2, 1)");
  g_assert_false (sq_tensor_is_present (&spec->param[SQ_PARAM_DASH_SYN_2]));

  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 3), ==, 1.5);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_REC, 1 * 3 + 2), ==, -0.5);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_OUT, 1), ==, -1.25);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_BIAS, 1), ==, -0.125);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_BIAS_OUT, 0), ==, 0.0625);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_DASH_SYN_OUT, 0), ==, 2.5);

  g_assert_cmpint (spec->weight_shift[SQ_SHIFT_IN], ==, 1);
  g_assert_cmpint (spec->weight_shift[SQ_SHIFT_REC], ==, 2);
  g_assert_cmpint (spec->weight_shift[SQ_SHIFT_OUT], ==, 0);
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    g_assert_true (spec->has_weight_shift[i]);

  g_assert_cmpuint (spec->n_alias_lists, ==, 3);
  assert_alias_list (spec, 0, NULL, 0);
  assert_alias_list (spec, 1, two_zero, 2);
  assert_alias_list (spec, 2, NULL, 0);

  g_assert_false (spec->has_dt);
  g_assert_cmpuint (spec->warnings->len, ==, 0);
  g_assert_false (sq_xylo_spec_is_integer (spec));
}

/* The same values written as integers and as floats: equal tensors, different flags. */
static void
test_valid_integer_vs_float (void)
{
  g_autoptr(SqXyloSpec) ints = load_valid ("integer.json");
  g_autoptr(SqXyloSpec) floats = load_valid ("float-whole.json");
  g_autoptr(SqXyloSpec) imu = load_valid ("imu-2d.json");
  guint n_present = 0;

  if (g_test_failed ())
    return;

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *a = &ints->param[i];
      const SqTensor *b = &floats->param[i];

      g_assert_true (sq_test_tensor_equal (a, b));
      if (!sq_tensor_is_present (a))
        continue;
      g_assert_true (a->integer);
      g_assert_false (b->integer);
      n_present++;
    }
  g_assert_cmpuint (n_present, ==, SQ_N_PARAMS - 1); /* all but dash_syn_2 */

  g_assert_true (sq_xylo_spec_is_integer (ints));
  g_assert_true (sq_xylo_spec_is_integer (floats));
  g_assert_false (sq_xylo_spec_is_integer (imu));
  g_assert_cmpfloat (value_at (ints, SQ_PARAM_WEIGHTS_REC, 2), ==, -6.0);
  g_assert_cmpfloat (value_at (ints, SQ_PARAM_THRESHOLD_OUT, 1), ==, 400.0);
  g_assert_cmpint (ints->weight_shift[SQ_SHIFT_REC], ==, 3);
  g_assert_cmpuint (ints->n_out, ==, 2);
}

/* The fuzzing seed exercises the number grammar and every kind of ignored value. */
static void
test_valid_seed (void)
{
  g_autoptr(SqXyloSpec) spec = load_valid ("fuzz-seed.json");
  static const guint32 zero_two[] = { 0, 2 };
  static const guint32 one[] = { 1 };
  double negative_zero;

  if (g_test_failed ())
    return;

  g_assert_cmpuint (spec->n_in, ==, 2);
  g_assert_cmpuint (spec->n_hidden, ==, 3);
  g_assert_cmpuint (spec->n_syn, ==, 2);
  g_assert_cmpuint (spec->n_out, ==, 2);

  /* [[[0.5, -0.25], [1e-3, 0.0], [2.5E+1, -7]], [[0.125, 3], [-0.0, 1.75], [0, 0.0625]]] */
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 2), ==, 0.001);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 4), ==, 25.0);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_IN, 5), ==, -7.0);
  negative_zero = value_at (spec, SQ_PARAM_WEIGHTS_IN, 8);
  g_assert_cmpfloat (negative_zero, ==, 0.0);
  g_assert_true (signbit (negative_zero));
  g_assert_false (spec->param[SQ_PARAM_WEIGHTS_IN].integer);
  g_assert_true (spec->param[SQ_PARAM_DASH_MEM].integer);
  g_assert_false (spec->param[SQ_PARAM_THRESHOLD_OUT].integer);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_THRESHOLD_OUT, 0), ==, 100.0);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_THRESHOLD_OUT, 1), ==, 0.02);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_REC, 2 * 6 + 2 * 2 + 1), ==, -0.9);

  assert_alias_list (spec, 0, NULL, 0);
  assert_alias_list (spec, 1, zero_two, 2);
  assert_alias_list (spec, 2, one, 1);
  g_assert_cmpint (spec->weight_shift[SQ_SHIFT_OUT], ==, 2);
  g_assert_cmpfloat (spec->dt, ==, 0.001);

  g_assert_cmpuint (spec->warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (spec->warnings, 0), ==,
                   "unknown key \"mapped_graph\" ignored");
  g_assert_cmpstr (g_ptr_array_index (spec->warnings, 1), ==, "unknown key \"extra\" ignored");
}

/* A UTF-8 byte order mark is skipped: the file loads like the same file without it. */
static void
test_valid_bom (void)
{
  g_autoptr(SqXyloSpec) with_bom = load_valid ("bom.json");
  g_autoptr(SqXyloSpec) without = load_valid ("integer.json");
  gsize length;
  g_autofree char *text = read_valid ("bom.json", &length);

  if (g_test_failed ())
    return;

  g_assert_cmpuint (length, >, 3);
  g_assert_cmpmem (text, 3, "\xEF\xBB\xBF", 3);
  assert_specs_equal (with_bom, without);
  g_assert_cmpuint (with_bom->warnings->len, ==, 0);
}

static void
test_valid_unknown_keys (void)
{
  g_autoptr(SqXyloSpec) spec = load_valid ("unknown-keys.json");

  if (g_test_failed ())
    return;

  g_assert_cmpuint (spec->n_hidden, ==, 2);
  g_assert_cmpuint (spec->n_out, ==, 1);
  g_assert_cmpfloat (value_at (spec, SQ_PARAM_WEIGHTS_REC, 2), ==, 0.125);

  g_assert_cmpuint (spec->warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (spec->warnings, 0), ==,
                   "unknown key \"mapped_graph\" ignored");
  g_assert_cmpstr (g_ptr_array_index (spec->warnings, 1), ==, "unknown key \"foo\" ignored");
}

/* ---------------------------------------------------------------------------------------- */
/* Writing and round trips                                                                   */

/* load → to_json → load gives the same specification; json-glib reads the same values; and
 * writing again gives the same text. */
static void
test_round_trip (gconstpointer data)
{
  const char *name = data;
  g_autoptr(SqXyloSpec) spec = load_valid (name);
  g_autoptr(SqXyloSpec) back = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GString) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  guint n_members = 0;

  if (g_test_failed ())
    return;

  json = sq_xylo_spec_to_json (spec);
  g_assert_true (g_str_has_prefix (json->str, "{\"weights_in\": "));
  g_assert_true (g_str_has_suffix (json->str, "}\n"));
  g_assert_true (strchr (json->str, '\n') == json->str + json->len - 1); /* one line */

  back = sq_xylo_spec_load_json_data (json->str, json->len, "round-trip.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  if (back == NULL)
    return;
  assert_specs_equal (spec, back);
  g_assert_cmpuint (back->warnings->len, ==, 0);
  g_assert_cmpstr (back->source, ==, "round-trip.json");

  again = sq_xylo_spec_to_json (back);
  g_assert_cmpstr (again->str, ==, json->str);

  /* An independent parser agrees on every value. */
  json_parser_load_from_data (parser, json->str, (gssize) json->len, &error);
  g_assert_no_error (error);
  if (error != NULL)
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[i];
      const char *key = sq_param_name ((SqParam) i);
      g_autofree char *why = NULL;

      g_assert_cmpint (json_object_has_member (object, key), ==, sq_tensor_is_present (t));
      if (!sq_tensor_is_present (t))
        continue;
      n_members++;
      if (!sq_test_tensor_matches (t, json_object_get_member (object, key), key, &why))
        g_test_message ("%s", why);
      g_assert_null (why);
    }
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->has_weight_shift[i])
      {
        g_assert_cmpint (json_object_get_int_member (object, sq_shift_name ((SqShift) i)), ==,
                         spec->weight_shift[i]);
        n_members++;
      }
  g_assert_cmpint (json_object_has_member (object, "aliases"), ==, spec->alias_offsets != NULL);
  n_members += spec->alias_offsets != NULL;
  g_assert_cmpint (json_object_has_member (object, "dt"), ==, spec->has_dt);
  if (spec->has_dt)
    {
      g_assert_cmpfloat (json_object_get_double_member (object, "dt"), ==, spec->dt);
      n_members++;
    }
  g_assert_cmpuint (json_object_get_size (object), ==, n_members);
}

/* Files already in the writer's layout are written back byte for byte: integer tensors as
 * integers ("3", never "3.0"), float tensors as floats ("3.0"). */
static void
test_write_exact (gconstpointer data)
{
  const char *name = data;
  g_autoptr(SqXyloSpec) spec = load_valid (name);
  g_autoptr(GString) json = NULL;
  gsize length;
  g_autofree char *text = read_valid (name, &length);

  if (g_test_failed ())
    return;

  json = sq_xylo_spec_to_json (spec);
  g_assert_cmpstr (json->str, ==, text);
  g_assert_cmpuint (json->len, ==, length);
}

typedef struct {
  const char *name;
  double      value;
  const char *text;    /* Python's repr (float.__repr__), which json.dump writes */
} FloatCase;

static const FloatCase float_cases[] = {
  { "0.001", 0.001, "0.001" },
  { "1.0", 1.0, "1.0" },
  { "0.1+0.2", 0.1 + 0.2, "0.30000000000000004" },
  { "0.1", 0.1, "0.1" },
  { "-0.0", -0.0, "-0.0" },
  { "1e-05", 1e-05, "1e-05" },
  { "0.0001", 0.0001, "0.0001" },
  { "2.5e-07", 2.5e-07, "2.5e-07" },
  { "100.0", 100.0, "100.0" },
  { "-123456.789", -123456.789, "-123456.789" },
  { "1-3", 1.0 / 3.0, "0.3333333333333333" },
  { "2-3", 2.0 / 3.0, "0.6666666666666666" },
  { "1e16", 1e16, "1e+16" },
  { "1e22", 1e22, "1e+22" },
  { "2^53", 9007199254740992.0, "9007199254740992.0" },
  { "123456789012345.6", 123456789012345.6, "123456789012345.6" },
  { "DBL_MAX", DBL_MAX, "1.7976931348623157e+308" },
  { "DBL_MIN", DBL_MIN, "2.2250738585072014e-308" },
  /* Python switches to exponents at 1e16, not at 1e15. */
  { "1e15", 1e15, "1000000000000000.0" },
  { "2.5e15", 2.5e15, "2500000000000000.0" },
  { "1.5e16", 1.5e16, "1.5e+16" },
  { "12345678901234568.0", 12345678901234568.0, "1.2345678901234568e+16" },
  /* Python writes the shortest digits that read back, subnormals included. */
  { "5e-324", 5e-324, "5e-324" },
  { "1e-320", 1e-320, "1e-320" },
};

static const char tiny_spec[] =
  "{\"weights_in\": [[0.5, -0.5]], \"weights_rec\": [[0.0, 0.25], [0.125, 0.0]], "
  "\"weights_out\": [[1.0], [0.5]], \"dash_mem\": [1, 2], \"dash_syn\": [1, 2], "
  "\"dash_mem_out\": [1], \"dash_syn_out\": [1], \"threshold\": [1.0, 2.0], "
  "\"threshold_out\": [1.0]}";

static SqXyloSpec *
load_tiny (void)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec;

  spec = sq_xylo_spec_load_json_data (tiny_spec, strlen (tiny_spec), "tiny.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return spec;
}

/* A float value is written the way Python's json.dump spells it, and reads back exactly. */
static void
test_write_float (gconstpointer data)
{
  const FloatCase *c = data;
  g_autoptr(SqXyloSpec) spec = load_tiny ();
  g_autoptr(SqXyloSpec) back = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("\"threshold_out\": [%s]}\n", c->text);
  double v;

  if (g_test_failed ())
    return;

  spec->param[SQ_PARAM_THRESHOLD_OUT].data[0] = c->value;
  g_assert_false (spec->param[SQ_PARAM_THRESHOLD_OUT].integer);
  json = sq_xylo_spec_to_json (spec);
  if (!g_str_has_suffix (json->str, expected))
    g_test_message ("%s was written as %s", c->text, strrchr (json->str, '[') + 1);
  g_assert_true (g_str_has_suffix (json->str, expected));

  back = sq_xylo_spec_load_json_data (json->str, json->len, "float.json", &error);
  g_assert_no_error (error);
  if (back == NULL)
    return;
  v = back->param[SQ_PARAM_THRESHOLD_OUT].data[0];
  g_assert_cmpmem (&v, sizeof v, &c->value, sizeof c->value);
}

/* dt is written as a float even when it is whole. */
static void
test_write_dt (void)
{
  g_autoptr(SqXyloSpec) spec = load_tiny ();
  g_autoptr(GString) whole = NULL;
  g_autoptr(GString) milli = NULL;

  if (g_test_failed ())
    return;

  spec->has_dt = TRUE;
  spec->dt = 1.0;
  whole = sq_xylo_spec_to_json (spec);
  spec->dt = 0.001;
  milli = sq_xylo_spec_to_json (spec);

  g_assert_true (g_str_has_suffix (whole->str, "\"threshold_out\": [1.0], \"dt\": 1.0}\n"));
  g_assert_true (g_str_has_suffix (milli->str, "\"threshold_out\": [1.0], \"dt\": 0.001}\n"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  if (d == NULL)
    return g_strdup ("(cannot open the directory)");
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_save_replaces (void)
{
  g_autoptr(SqXyloSpec) spec = load_valid ("imu-2d.json");
  g_autoptr(SqXyloSpec) back = NULL;
  g_autoptr(GString) json = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) old = g_string_new (NULL);
  gboolean saved;

  if (g_test_failed ())
    return;

  json = sq_xylo_spec_to_json (spec);
  dir = sq_test_tmpdir ();
  path = g_build_filename (dir, "out.json", NULL);

  /* An existing, longer file must be replaced entirely, not overwritten in place. */
  for (guint i = 0; i < 200; i++)
    g_string_append (old, "{\"old\": true}\n");
  g_assert_cmpuint (old->len, >, json->len);
  g_file_set_contents (path, old->str, (gssize) old->len, &error);
  g_assert_no_error (error);

  saved = sq_xylo_spec_save_json (spec, path, &error);
  g_assert_no_error (error);
  g_assert_true (saved);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, json->str);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "out.json");

  back = sq_xylo_spec_load_json (path, &error);
  g_assert_no_error (error);
  if (back != NULL)
    assert_specs_equal (spec, back);

  remove_file (path);
  remove_empty_dir (dir);
}

static void
test_save_missing_directory (void)
{
  g_autoptr(SqXyloSpec) spec = load_valid ("imu-2d.json");
  g_autofree char *dir = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  if (g_test_failed ())
    return;

  dir = sq_test_tmpdir ();
  missing = g_build_filename (dir, "missing", NULL);
  path = g_build_filename (missing, "out.json", NULL);

  saved = sq_xylo_spec_save_json (spec, path, &error);
  g_assert_false (saved);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "");

  remove_empty_dir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Robustness                                                                                */

/* A deterministic generator: the same mutations on every run and every platform. */
static guint64
xorshift64 (guint64 *state)
{
  guint64 x = *state;

  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

static guint32
rand_below (guint64 *state,
            guint32  n)
{
  return (guint32) (xorshift64 (state) % n);
}

typedef struct {
  gboolean  loaded;
  int       code;     /* the error code when it did not load */
  char     *message;  /* the error message when it did not load */
  char     *problem;  /* which rule the outcome broke, or NULL */
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->message, g_free);
  g_clear_pointer (&o->problem, g_free);
}

/* Loads exactly @length bytes from a buffer of that size, so that AddressSanitizer catches a
 * read beyond them. A failure must be an SQ_SPEC_ERROR whose message is UTF-8 and names the
 * source; a success must validate again and survive a round trip through the writer. */
static void
load_exactly (const char *data,
              gsize       length,
              Outcome    *o)
{
  g_autofree char *copy = g_memdup2 (data, length);
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqXyloSpec) back = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GString) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local_error = NULL;

  memset (o, 0, sizeof *o);
  spec = sq_xylo_spec_load_json_data (copy, length, "fuzz.json", &error);

  if (spec == NULL && error == NULL)
    {
      o->problem = g_strdup ("failed without an error");
      return;
    }
  if (spec != NULL && error != NULL)
    {
      o->problem = g_strdup_printf ("loaded, yet set an error: %s", error->message);
      return;
    }

  if (spec == NULL)
    {
      o->code = error->code;
      o->message = g_strdup (error->message);
      if (error->domain != SQ_SPEC_ERROR)
        o->problem = g_strdup_printf ("error in domain %s: %s",
                                      g_quark_to_string (error->domain), error->message);
      else if (error->code < SQ_SPEC_ERROR_IO || error->code > SQ_SPEC_ERROR_VALUE)
        o->problem = g_strdup_printf ("unknown code %d: %s", error->code, error->message);
      else if (!g_utf8_validate (error->message, -1, NULL))
        o->problem = g_strdup ("the message is not valid UTF-8");
      else if (!g_str_has_prefix (error->message, "fuzz.json:"))
        o->problem = g_strdup_printf ("the message does not name the source: %s",
                                      error->message);
      return;
    }

  o->loaded = TRUE;
  if (!sq_xylo_spec_validate (spec, &local_error))
    {
      o->problem = g_strdup_printf ("loaded, but does not validate: %s", local_error->message);
      return;
    }
  json = sq_xylo_spec_to_json (spec);
  back = sq_xylo_spec_load_json_data (json->str, json->len, "again.json", &local_error);
  if (back == NULL)
    {
      o->problem = g_strdup_printf ("loaded, but its JSON does not load: %s; %s",
                                    local_error->message, json->str);
      return;
    }
  again = sq_xylo_spec_to_json (back);
  if (!g_str_equal (again->str, json->str))
    o->problem = g_strdup_printf ("written as %s, read back and written as %s",
                                  json->str, again->str);
}

/* Every proper prefix of a valid file fails; the whole file loads. */
static void
test_fuzz_prefixes (gconstpointer data)
{
  const char *name = data;
  gsize length;
  g_autofree char *text = read_valid (name, &length);
  const char *last = text ? strrchr (text, '}') : NULL;
  guint n_bad = 0;
  gsize end;

  g_assert_nonnull (last);
  if (last == NULL)
    return;
  end = (gsize) (last - text) + 1;
  g_assert_cmpuint (length, >=, 300);

  for (gsize n = 0; n <= length; n++)
    {
      Outcome o;

      load_exactly (text, n, &o);
      if (o.problem == NULL && o.loaded != (n >= end))
        o.problem = g_strdup (o.loaded ? "loaded" : o.message);
      /* A truncated file is a syntax error, whatever it was cut in, unless a complete value
       * before the cut is itself wrong ("dt": 0.001 cut to "dt": 0). */
      if (o.problem == NULL && !o.loaded && o.code != SQ_SPEC_ERROR_SYNTAX &&
          o.code != SQ_SPEC_ERROR_VALUE)
        o.problem = g_strdup_printf ("code %d, expected SQ_SPEC_ERROR_SYNTAX: %s",
                                     o.code, o.message);
      if (o.problem != NULL && n_bad++ < 5)
        g_test_message ("%s, first %" G_GSIZE_FORMAT " bytes: %s", name, n, o.problem);
      outcome_clear (&o);
    }

  g_assert_cmpuint (n_bad, ==, 0);
}

/* Bytes that make a mutation likely to reach a deeper part of the reader. */
static const char interesting[] = "{}[],:\"\\ \n-+.eE0123456789NaIfinytrulsx\xC3\xA9\xFF";

static void
test_fuzz_mutations (void)
{
  gsize length;
  g_autofree char *seed = read_valid ("fuzz-seed.json", &length);
  g_autofree char *buf = g_malloc (length + 1);
  guint64 state = G_GUINT64_CONSTANT (0x5EED5EED12345678);
  guint n_loaded = 0, n_bad = 0;
  guint by_code[SQ_SPEC_ERROR_VALUE + 1] = { 0, };
  guint n_failed;

  if (g_test_failed ())
    return;

  for (guint i = 0; i < 3000; i++)
    {
      guint kind = rand_below (&state, 4);
      gsize at = rand_below (&state, (guint32) length);
      gsize n = length;
      char byte;
      Outcome o;

      if (rand_below (&state, 2) == 0)
        byte = interesting[rand_below (&state, sizeof interesting - 1)];
      else
        byte = (char) rand_below (&state, 256);

      memcpy (buf, seed, length);
      switch (kind)
        {
        case 0: /* flip a bit */
          buf[at] = (char) (buf[at] ^ (1 << rand_below (&state, 8)));
          break;
        case 1: /* replace */
          buf[at] = byte;
          break;
        case 2: /* delete */
          memmove (buf + at, buf + at + 1, length - at - 1);
          n = length - 1;
          break;
        case 3: /* insert */
        default:
          memmove (buf + at + 1, buf + at, length - at);
          buf[at] = byte;
          n = length + 1;
          break;
        }

      load_exactly (buf, n, &o);
      if (o.loaded)
        n_loaded++;
      else
        by_code[CLAMP (o.code, 0, SQ_SPEC_ERROR_VALUE)]++;
      if (o.problem != NULL && n_bad++ < 5)
        g_test_message ("mutation %u (kind %u at byte %" G_GSIZE_FORMAT ", 0x%02X): %s",
                        i, kind, at, (guchar) byte, o.problem);
      outcome_clear (&o);
    }

  n_failed = 3000 - n_loaded;
  g_test_message ("%u mutations loaded, %u failed; syntax %u, non-finite %u, not a number %u, "
                  "ragged %u, value %u", n_loaded, n_failed, by_code[SQ_SPEC_ERROR_SYNTAX],
                  by_code[SQ_SPEC_ERROR_NON_FINITE], by_code[SQ_SPEC_ERROR_NOT_A_NUMBER],
                  by_code[SQ_SPEC_ERROR_RAGGED], by_code[SQ_SPEC_ERROR_VALUE]);
  g_assert_cmpuint (n_bad, ==, 0);
  /* Both outcomes occur often: many mutations only change a digit or the ignored keys. */
  g_assert_cmpuint (n_loaded, >=, 300);
  g_assert_cmpuint (n_failed, >=, 300);
  g_assert_cmpuint (by_code[SQ_SPEC_ERROR_SYNTAX], >, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Tensor basics                                                                             */

typedef struct {
  const char *name;
  guint       rank;
  gsize       shape[SQ_TENSOR_MAX_RANK + 1];
  gsize       n;               /* the count, when it succeeds */
  int         code;            /* SqTensorError, 0 when it succeeds */
  const char *message_prefix;
} ShapeCase;

static const ShapeCase shape_cases[] = {
  { "(16, 1000, 2)", 3, { 16, 1000, 2 }, 32000, 0, NULL },
  { "scalar", 0, { 0 }, 1, 0, NULL },
  { "at the element limit", 2, { SQ_TENSOR_MAX_DIM, 8 }, SQ_TENSOR_MAX_ELEMENTS, 0, NULL },
  { "zero dimension", 2, { 4, 0 }, 0, SQ_TENSOR_ERROR_EMPTY,
    "shape (4, 0) has an empty dimension" },
  { "rank 5", 5, { 1, 1, 1, 1, 1 }, 0, SQ_TENSOR_ERROR_RANK,
    "5 dimensions, at most 4 are supported" },
  { "beyond the element limit", 2, { SQ_TENSOR_MAX_DIM, 9 }, 0, SQ_TENSOR_ERROR_TOO_LARGE,
    "shape (16777216, 9) is too large" },
  { "dimension beyond the limit", 1, { SQ_TENSOR_MAX_DIM + 1 }, 0, SQ_TENSOR_ERROR_TOO_LARGE,
    "shape (16777217,) is too large" },
  /* Every dimension is allowed, but the product, 2^96, would overflow a 64-bit gsize. */
  { "product overflows", 4,
    { SQ_TENSOR_MAX_DIM, SQ_TENSOR_MAX_DIM, SQ_TENSOR_MAX_DIM, SQ_TENSOR_MAX_DIM }, 0,
    SQ_TENSOR_ERROR_TOO_LARGE, "shape (16777216, 16777216, 16777216, 16777216) is too large" },
#if GLIB_SIZEOF_SIZE_T >= 8
  { "(2^40, 2^40)", 2, { (gsize) 1 << 40, (gsize) 1 << 40 }, 0, SQ_TENSOR_ERROR_TOO_LARGE,
    "shape (1099511627776, 1099511627776) is too large" },
#endif
};

static void
test_tensor_shape_count (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (shape_cases); i++)
    {
      const ShapeCase *c = &shape_cases[i];
      g_autoptr(GError) error = NULL;
      gsize n = 0;
      gboolean ok;

      g_test_message ("%s", c->name);
      ok = sq_shape_count (c->rank, c->shape, &n, &error);
      if (c->code == 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (n, ==, c->n);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, SQ_TENSOR_ERROR, c->code);
          if (error != NULL)
            g_assert_true (g_str_has_prefix (error->message, c->message_prefix));
        }
    }
}

/* sq_tensor_init refuses the same shapes, before allocating anything. */
static void
test_tensor_init_too_large (void)
{
  static const gsize huge[] = { SQ_TENSOR_MAX_DIM, SQ_TENSOR_MAX_DIM };
  g_autoptr(GError) error = NULL;
  SqTensor t;
  gboolean ok;

  ok = sq_tensor_init (&t, 2, huge, &error);
  g_assert_false (ok);
  g_assert_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE);
  g_assert_false (sq_tensor_is_present (&t));
}

static void
test_tensor_shape_string (void)
{
  static const gsize s3[] = { 16, 1000, 2 };
  static const gsize s1[] = { 8 };
  g_autofree char *a = sq_shape_to_string (3, s3);
  g_autofree char *b = sq_shape_to_string (1, s1);
  g_autofree char *c = sq_shape_to_string (0, NULL);

  g_assert_cmpstr (a, ==, "(16, 1000, 2)");
  g_assert_cmpstr (b, ==, "(8,)");
  g_assert_cmpstr (c, ==, "()");
}

static void
test_tensor_stats (void)
{
  static const gsize shape[] = { 2, 3 };
  static const double values[] = { -3.0, 0.0, 2.5, -0.0, 1.0, 0.0 };
  g_autoptr(GError) error = NULL;
  SqTensor t, absent = { 0, };
  SqStats stats;
  gboolean ok;

  ok = sq_tensor_init (&t, 2, shape, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (t.n, ==, 6);
  if (t.n != 6)
    return;
  memcpy (t.data, values, sizeof values);

  sq_tensor_stats (&t, &stats);
  g_assert_cmpuint (stats.n, ==, 6);
  g_assert_cmpuint (stats.nonzero, ==, 3);
  g_assert_cmpfloat (stats.min, ==, -3.0);
  g_assert_cmpfloat (stats.max, ==, 2.5);
  g_assert_cmpfloat (stats.max_abs, ==, 3.0);

  /* The largest magnitude may be the maximum. */
  t.data[0] = -1.0;
  t.data[2] = 7.5;
  sq_tensor_stats (&t, &stats);
  g_assert_cmpfloat (stats.min, ==, -1.0);
  g_assert_cmpfloat (stats.max_abs, ==, 7.5);

  sq_tensor_stats (&absent, &stats);
  g_assert_cmpuint (stats.n, ==, 0);
  g_assert_cmpuint (stats.nonzero, ==, 0);
  g_assert_cmpfloat (stats.max_abs, ==, 0.0);

  sq_tensor_clear (&t);
  g_assert_false (sq_tensor_is_present (&t));
}

static void
test_tensor_element_path (void)
{
  static const gsize rec[] = { 32, 32, 2 };
  static const gsize vec[] = { 8 };
  g_autoptr(GError) error = NULL;
  SqTensor t, v, scalar = { 0, };
  g_autofree char *p0 = NULL, *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL;
  gboolean ok;

  ok = sq_tensor_init (&t, 3, rec, &error) && sq_tensor_init (&v, 1, vec, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  if (!ok)
    return;

  p0 = sq_tensor_element_path (&t, "weights_rec", 3 * 64 + 7 * 2 + 1);
  p1 = sq_tensor_element_path (&t, "weights_rec", 0);
  p2 = sq_tensor_element_path (&t, "weights_rec", 32 * 32 * 2 - 1);
  p3 = sq_tensor_element_path (&v, "threshold", 5);
  p4 = sq_tensor_element_path (&scalar, "dt", 0);
  g_assert_cmpstr (p0, ==, "weights_rec[3][7][1]");
  g_assert_cmpstr (p1, ==, "weights_rec[0][0][0]");
  g_assert_cmpstr (p2, ==, "weights_rec[31][31][1]");
  g_assert_cmpstr (p3, ==, "threshold[5]");
  g_assert_cmpstr (p4, ==, "dt");

  sq_tensor_clear (&t);
  sq_tensor_clear (&v);
}


/* Progress while loading the Xylo-size example: rising, in (0, 1], and the same network as a
 * plain load. */
typedef struct {
  double   last;
  guint    calls;
  gboolean monotonic;
  GCancellable *cancel_at_half;
} Progress;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  if (fraction < p->last || fraction < 0.0 || fraction > 1.0)
    p->monotonic = FALSE;
  p->last = fraction;
  p->calls++;
  if (p->cancel_at_half != NULL && fraction >= 0.5)
    g_cancellable_cancel (p->cancel_at_half);
}

static void
test_load_progress (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) plain = NULL;
  g_autoptr(SqXyloSpec) watched = NULL;
  g_autoptr(GCancellable) unused = g_cancellable_new ();
  Progress p = { 0.0, 0, TRUE, NULL };

  g_assert_nonnull (path);
  plain = sq_xylo_spec_load_json (path, &error);
  g_assert_no_error (error);
  watched = sq_xylo_spec_load_json_full (path, unused, on_progress, &p, &error);
  g_assert_no_error (error);
  /* 16 MB, reported every 256 KiB. */
  g_assert_cmpuint (p.calls, >=, 50);
  g_assert_true (p.monotonic);
  g_assert_cmpfloat (p.last, >, 0.95);
  for (int k = 0; k < SQ_N_PARAMS; k++)
    g_assert_true (sq_test_tensor_equal (&plain->param[k], &watched->param[k]));
}

static void
test_load_cancel (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SqXyloSpec) spec = NULL;
  Progress p = { 0.0, 0, TRUE, cancellable };

  /* Cancelled half-way: stops at the next checkpoint with G_IO_ERROR_CANCELLED. */
  spec = sq_xylo_spec_load_json_full (path, cancellable, on_progress, &p, &error);
  g_assert_null (spec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (p.last, <, 0.6);
  g_clear_error (&error);

  /* Cancelled before it starts: the first checkpoint refuses. */
  spec = sq_xylo_spec_load_json_full (path, cancellable, NULL, NULL, &error);
  g_assert_null (spec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const round_trip_files[] = {
    "small.json", "imu-2d.json", "integer.json", "float-whole.json", "bom.json",
    "unknown-keys.json", "fuzz-seed.json",
  };

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/spec/json/malformed/%s", malformed_cases[i].file);
      g_test_add_data_func (name, &malformed_cases[i], test_malformed);
    }
  g_test_add_func ("/spec/json/malformed-table-complete", test_malformed_table_complete);
  g_test_add_func ("/spec/json/io/missing-file", test_io_missing_file);
  g_test_add_func ("/spec/json/io/directory", test_io_directory);
  g_test_add_func ("/spec/json/io/fifo", test_io_fifo);
  g_test_add_func ("/spec/json/check", test_json_check);

  g_test_add_func ("/spec/json/valid/small", test_valid_small);
  g_test_add_func ("/spec/json/valid/imu-2d", test_valid_imu);
  g_test_add_func ("/spec/json/valid/integer-vs-float", test_valid_integer_vs_float);
  g_test_add_func ("/spec/json/valid/fuzz-seed", test_valid_seed);
  g_test_add_func ("/spec/json/valid/bom", test_valid_bom);
  g_test_add_func ("/spec/json/valid/unknown-keys", test_valid_unknown_keys);

  for (guint i = 0; i < G_N_ELEMENTS (round_trip_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/spec/json/round-trip/%s", round_trip_files[i]);
      g_test_add_data_func (name, round_trip_files[i], test_round_trip);
    }
  g_test_add_data_func ("/spec/json/write/exact/integer.json", "integer.json", test_write_exact);
  g_test_add_data_func ("/spec/json/write/exact/float-whole.json", "float-whole.json",
                        test_write_exact);
  for (guint i = 0; i < G_N_ELEMENTS (float_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/spec/json/write/float/%s", float_cases[i].name);
      g_test_add_data_func (name, &float_cases[i], test_write_float);
    }
  g_test_add_func ("/spec/json/write/dt", test_write_dt);
  g_test_add_func ("/spec/json/save/replaces", test_save_replaces);
  g_test_add_func ("/spec/json/save/missing-directory", test_save_missing_directory);

  g_test_add_data_func ("/spec/json/fuzz/prefixes/fuzz-seed.json", "fuzz-seed.json",
                        test_fuzz_prefixes);
  g_test_add_data_func ("/spec/json/fuzz/prefixes/bom.json", "bom.json", test_fuzz_prefixes);
  g_test_add_func ("/spec/json/fuzz/mutations", test_fuzz_mutations);

  g_test_add_func ("/tensor/shape-count", test_tensor_shape_count);
  g_test_add_func ("/tensor/init-too-large", test_tensor_init_too_large);
  g_test_add_func ("/tensor/shape-string", test_tensor_shape_string);
  g_test_add_func ("/tensor/stats", test_tensor_stats);
  g_test_add_func ("/tensor/element-path", test_tensor_element_path);
  g_test_add_func ("/load/progress", test_load_progress);
  g_test_add_func ("/load/cancel", test_load_cancel);

  return g_test_run ();
}
