/* test-raster.c: input rasters — CSV, JSON and .npy readers with their refusals and the
 * 15-event clipping, and the seeded generators (reproducible, with the right statistics).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sq-test-utils.h"

/* Reads @text from a copy of exactly @length bytes that ends where an unreadable page begins,
 * as a mapped file can: a read past the end faults, even inside GLib, which AddressSanitizer
 * does not see (a static string has its NUL and more behind it). */
static gboolean
load_exact (SqRaster    *r,
            const char  *text,
            gsize        length,
            GError     **error)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize size = (length / page + 2) * page;
  char *base = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *copy;
  gboolean ok;

  g_assert_true (base != MAP_FAILED);
  g_assert_cmpint (mprotect (base + size - page, page, PROT_NONE), ==, 0);
  copy = base + size - page - length;
  memcpy (copy, text, length);
  ok = sq_raster_load_data (r, copy, length, "in", error);
  munmap (base, size);
  return ok;
}

static void
load_ok (const char *text,
         gsize       length,
         SqRaster   *r)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (load_exact (r, text, length, &error));
  g_assert_no_error (error);
}

static void
assert_counts (const SqRaster *r,
               gsize           T,
               gsize           nin,
               const guint8   *want)
{
  g_assert_cmpuint (r->n_steps, ==, T);
  g_assert_cmpuint (r->n_channels, ==, nin);
  g_assert_cmpmem (r->counts, T * nin, want, T * nin);
}

static void
test_csv (void)
{
  static const guint8 want[] = { 1, 0, 2, 0, 15, 3 };
  static const char *const texts[] = {
    "1,0,2\n0,15,3\n",
    "1,0,2\n0,15,3",                       /* no final newline */
    "ch0,ch1,ch2\r\n1, 0, 2\r\n0,15,3\r\n", /* a header, CRLF, spaces */
    "# written by np.savetxt\n1.0,0.0,2.0\n\n0,1.5e1,3\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      SqRaster r;

      load_ok (texts[i], strlen (texts[i]), &r);
      assert_counts (&r, 2, 3, want);
      g_assert_cmpuint (r.n_clipped, ==, 0);
      sq_raster_clear (&r);
    }
}

static void
test_clipping (void)
{
  static const char csv[] = "16,200\n15,3\n";
  static const char json[] = "[[16, 200], [15, 3]]";
  static const guint8 want[] = { 15, 15, 15, 3 };
  SqRaster r;

  load_ok (csv, strlen (csv), &r);
  assert_counts (&r, 2, 2, want);
  g_assert_cmpuint (r.n_clipped, ==, 2);
  sq_raster_clear (&r);
  load_ok (json, strlen (json), &r);
  assert_counts (&r, 2, 2, want);
  g_assert_cmpuint (r.n_clipped, ==, 2);
  sq_raster_clear (&r);
}

static void
test_json (void)
{
  static const char list[] = " [[1, 0], [0, 2], [3, 4]]\n";
  static const char object[] = "{\"name\": \"x\", \"input\": [[1, 0], [0, 2], [3, 4]],"
                               " \"expected\": {\"a\": [1, 2]}}";
  static const guint8 want[] = { 1, 0, 0, 2, 3, 4 };
  SqRaster r;

  load_ok (list, strlen (list), &r);
  assert_counts (&r, 3, 2, want);
  sq_raster_clear (&r);
  load_ok (object, strlen (object), &r);
  assert_counts (&r, 3, 2, want);
  sq_raster_clear (&r);
}

static void
test_npy (void)
{
  static const double values[] = { 1, 0, 1, 1, 0, 0 };
  static const SqNpyDtype dtypes[] = { SQ_NPY_BOOL, SQ_NPY_UINT8, SQ_NPY_INT64, SQ_NPY_FLOAT32,
                                       SQ_NPY_FLOAT64 };
  static const guint8 want[] = { 1, 0, 1, 1, 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    {
      g_autofree guint8 *bytes = NULL;
      SqTensor t;
      SqRaster r;
      gsize len;

      g_assert_true (sq_tensor_init (&t, 2, (gsize[]) { 3, 2 }, NULL));
      memcpy (t.data, values, sizeof values);
      bytes = sq_npy_write (&t, dtypes[i], &len, NULL);
      load_ok ((const char *) bytes, len, &r);
      assert_counts (&r, 3, 2, want);
      sq_raster_clear (&r);
      sq_tensor_clear (&t);
    }
}

typedef struct {
  const char *text;
  int         code;
  const char *message;
} BadCase;

static void
assert_refused (const BadCase *cases,
                guint          n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      SqRaster r;

      g_test_message ("%s", cases[i].text);
      g_assert_false (load_exact (&r, cases[i].text, strlen (cases[i].text), &error));
      g_assert_error (error, SQ_RASTER_ERROR, cases[i].code);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("“%s” does not start with “%s”", error->message, cases[i].message);
      g_assert_null (r.counts);
    }
}

static void
test_refused (void)
{
  static const BadCase cases[] = {
    { "1,0\n-1,2\n", SQ_RASTER_ERROR_VALUE,
      "in: line 2, row 1, column 0 is -1.0, expected an event count (a whole number, 0 or more)" },
    { "1,0\n1,nan\n", SQ_RASTER_ERROR_VALUE,
      "in: line 2, row 1, column 1 is NaN, expected an event count (a whole number, 0 or more)" },
    { "1,0\n1,0.5\n", SQ_RASTER_ERROR_VALUE,
      "in: line 2, row 1, column 1 is 0.5, expected an event count (a whole number, 0 or more)" },
    { "1,0\n1,0,3\n", SQ_RASTER_ERROR_SHAPE, "in:2: row 1 has 3 columns, expected 2 like row 0" },
    { "1,0\n1\n", SQ_RASTER_ERROR_SHAPE, "in:2: row 1 has 1 columns, expected 2 like row 0" },
    { "1,0\n1,x\n", SQ_RASTER_ERROR_VALUE, "in:2: row 1, column 1: “x” is not a number" },
    { "1,,0\n", SQ_RASTER_ERROR_VALUE, "in:1: row 0, column 1: “” is not a number" },
    { "a,b\n", SQ_RASTER_ERROR_SHAPE, "in: no rows; expected one row of event counts per time "
      "step" },
    { "  \n", SQ_RASTER_ERROR_FORMAT, "in: the file is empty; expected a raster as CSV, .npy "
      "or JSON" },
    { "[[1, 2], [3]]", SQ_RASTER_ERROR_SHAPE, "in:1:10: input[1]" },
    { "[[1, 2], [3, NaN]]", SQ_RASTER_ERROR_VALUE, "in:1:14: input[1][1]" },
    { "[[1, 2], [3, -4]]", SQ_RASTER_ERROR_VALUE,
      "in: [1][1] is -4.0, expected an event count (a whole number, 0 or more)" },
    { "[1, 2, 3]", SQ_RASTER_ERROR_SHAPE, "in: the input is (3,), expected (T, Nin)" },
    { "{\"spec\": {}}", SQ_RASTER_ERROR_FORMAT, "in: the object has no \"input\" member" },
    { "[[1]] x", SQ_RASTER_ERROR_FORMAT, "in:1:7: unexpected text after the raster" },
    /* Errors after "input" was read: the tensor must not leak (LeakSanitizer). */
    { "{\"input\": [[1]], \"x\" 1}", SQ_RASTER_ERROR_FORMAT, "in:1:22: expected ':'" },
    { "{\"input\": [[1]], 3: 1}", SQ_RASTER_ERROR_FORMAT, "in:1:18: " },
    { "{\"input\": [[1]], \"x\": [}", SQ_RASTER_ERROR_FORMAT, "in:1:24: expected a value" },
    { "{\"input\": [[1]] ]", SQ_RASTER_ERROR_FORMAT, "in:1:17: expected '}'" },
    { "{\"input\": [[1]]} x", SQ_RASTER_ERROR_FORMAT, "in:1:18: unexpected text" },
    /* A first row ending inside "nan" or "inf" is a header: nothing is read past the end. */
    { "n", SQ_RASTER_ERROR_SHAPE, "in: no rows" },
    { "na", SQ_RASTER_ERROR_SHAPE, "in: no rows" },
    { "in", SQ_RASTER_ERROR_SHAPE, "in: no rows" },
    { "# c\nIn", SQ_RASTER_ERROR_SHAPE, "in: no rows" },
  };

  assert_refused (cases, G_N_ELEMENTS (cases));
}

static void
test_npy_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *bytes = NULL;
  SqTensor t;
  SqRaster r;
  gsize len;

  g_assert_true (sq_tensor_init (&t, 2, (gsize[]) { 2, 2 }, NULL));
  t.data[3] = NAN;
  bytes = sq_npy_write (&t, SQ_NPY_FLOAT64, &len, NULL);
  g_assert_false (sq_raster_load_data (&r, (const char *) bytes, len, "x.npy", &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "x.npy: [1][1] is NaN, expected an event count (a whole "
                   "number, 0 or more)");
  sq_tensor_clear (&t);
}

/* The decisions of docs/cli.md ("Input rasters"): a BOM is skipped; NaN and infinities are
 * errors naming the row and column; a NUL byte is an error; numbers are decimal. */
static void
test_semantics (void)
{
  static const guint8 want[] = { 1, 0, 0, 2 };
  static const char *const good[] = {
    "\xEF\xBB\xBF" "1,0\n0,2\n",
    "\xEF\xBB\xBF" "a,b\n1,0\n0,2\n",
    "\xEF\xBB\xBF" "[[1, 0], [0, 2]]",
    "\xEF\xBB\xBF" "{\"input\": [[1, 0], [0, 2]]}",
    "+1,0e0\n0.,2\n",
  };
  static const BadCase bad[] = {
    { "1,0\n1,inf\n", SQ_RASTER_ERROR_VALUE, "in: line 2, row 1, column 1 is Infinity, "
      "expected an event count" },
    { "1,0\n-Infinity,1\n", SQ_RASTER_ERROR_VALUE, "in: line 2, row 1, column 0 is "
      "-Infinity" },
    { "1,0\n1,1e400\n", SQ_RASTER_ERROR_VALUE, "in: line 2, row 1, column 1 is Infinity" },
    { "inf,0\n", SQ_RASTER_ERROR_VALUE, "in: line 1, row 0, column 0 is Infinity" },
    { "\xEF\xBB\xBF" "nan,0\n", SQ_RASTER_ERROR_VALUE, "in: line 1, row 0, column 0 is NaN" },
    { "1,0\n0x1,2\n", SQ_RASTER_ERROR_VALUE, "in:2: row 1, column 0: “0x1” is not a number" },
    { "1,0x1p3\n", SQ_RASTER_ERROR_VALUE, "in:1: row 0, column 1: “0x1p3” is not a number" },
    { "1,nan(1)\n", SQ_RASTER_ERROR_VALUE, "in:1: row 0, column 1: “nan(1)” is not a number" },
    { "[[1, Infinity]]", SQ_RASTER_ERROR_VALUE, "in:1:6: input[0][1]: found Infinity" },
    { "[[1, 1e400]]", SQ_RASTER_ERROR_VALUE, "in:1:6: input[0][1]: number 1e400 is beyond" },
  };
  /* A NUL in a field, a header or a comment: never the end of the text. */
  static const char nul_field[] = "1,0\n1\0" "9,2\n";
  static const char nul_header[] = "a\0b\n1,0\n";
  g_autoptr(GError) error = NULL;
  SqRaster r;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("%s", good[i]);
      load_ok (good[i], strlen (good[i]), &r);
      assert_counts (&r, 2, 2, want);
      sq_raster_clear (&r);
    }
  assert_refused (bad, G_N_ELEMENTS (bad));

  g_assert_false (load_exact (&r, nul_field, sizeof nul_field - 1, &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==, "in:2: a NUL byte; expected text");
  g_clear_error (&error);
  g_assert_false (load_exact (&r, nul_header, sizeof nul_header - 1, &error));
  g_assert_cmpstr (error->message, ==, "in:1: a NUL byte; expected text");
  g_clear_error (&error);

  /* An infinite float in a .npy is no count either. */
  {
    g_autofree guint8 *bytes = NULL;
    SqTensor t;
    gsize len;

    g_assert_true (sq_tensor_init (&t, 2, (gsize[]) { 1, 2 }, NULL));
    t.data[1] = INFINITY;
    bytes = sq_npy_write (&t, SQ_NPY_FLOAT32, &len, NULL);
    g_assert_false (load_exact (&r, (const char *) bytes, len, &error));
    g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE);
    g_assert_cmpstr (error->message, ==, "in: [0][1] is Infinity, expected an event count (a "
                     "whole number, 0 or more)");
    sq_tensor_clear (&t);
  }
}

static void
test_channels (void)
{
  g_autoptr(GError) error = NULL;
  SqRaster r;

  g_assert_true (sq_raster_init (&r, 4, 3, NULL));
  g_assert_true (sq_raster_check_channels (&r, 3, "in.csv", NULL));
  g_assert_false (sq_raster_check_channels (&r, 16, "in.csv", &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==, "in.csv: the input has 3 channels, but the network has "
                   "16 inputs");
  sq_raster_clear (&r);
}

static void
test_poisson (void)
{
  double rates[3] = { 0.0, 0.5, 4.0 };
  SqRaster a, b, c;
  double sum[3] = { 0, 0, 0 };
  const gsize T = 20000;
  guint64 hash = 1469598103934665603u;

  g_assert_true (sq_raster_poisson (&a, T, 3, rates, 42, NULL));
  g_assert_true (sq_raster_poisson (&b, T, 3, rates, 42, NULL));
  g_assert_true (sq_raster_poisson (&c, T, 3, rates, 43, NULL));
  g_assert_cmpmem (a.counts, T * 3, b.counts, T * 3);
  g_assert_true (memcmp (a.counts, c.counts, T * 3) != 0);
  for (gsize t = 0; t < T; t++)
    for (gsize i = 0; i < 3; i++)
      sum[i] += a.counts[t * 3 + i];
  /* Means within 5 standard errors (σ = √λ / √T). */
  g_assert_cmpfloat (sum[0], ==, 0.0);
  g_assert_cmpfloat (fabs (sum[1] / T - 0.5), <, 5 * sqrt (0.5 / T));
  g_assert_cmpfloat (fabs (sum[2] / T - 4.0), <, 5 * sqrt (4.0 / T));

  /* Identical on every build and machine: the first 200 counts, FNV-1a hashed, are pinned
   * (the generator uses no libm and no GLib random numbers). */
  for (gsize k = 0; k < 200; k++)
    hash = (hash ^ a.counts[k]) * 1099511628211u;
  g_test_message ("poisson hash %" G_GUINT64_FORMAT, hash);
  g_assert_cmpuint (hash, ==, G_GUINT64_CONSTANT (6719178562142828450));

  sq_raster_clear (&a);
  sq_raster_clear (&b);
  sq_raster_clear (&c);

  rates[1] = 16;
  g_assert_false (sq_raster_poisson (&a, 10, 3, rates, 1, NULL));
}

static void
test_regular_bursts (void)
{
  g_autoptr(GError) error = NULL;
  SqRaster r;
  gsize inside = 0;

  g_assert_true (sq_raster_regular (&r, 7, 2, 3, 2, &error));
  for (gsize t = 0; t < 7; t++)
    for (gsize i = 0; i < 2; i++)
      g_assert_cmpuint (r.counts[t * 2 + i], ==, t % 3 == 0 ? 2 : 0);
  sq_raster_clear (&r);
  g_assert_false (sq_raster_regular (&r, 7, 2, 0, 2, &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS);
  g_clear_error (&error);

  /* Bursts of 5 steps every 20 at 3 events per step: silent outside, busy inside. */
  g_assert_true (sq_raster_bursts (&r, 400, 4, 20, 5, 3.0, 9, &error));
  for (gsize t = 0; t < 400; t++)
    for (gsize i = 0; i < 4; i++)
      {
        if (t % 20 >= 5)
          g_assert_cmpuint (r.counts[t * 4 + i], ==, 0);
        else
          inside += r.counts[t * 4 + i];
      }
  /* 100 burst steps × 4 channels × 3 = 1200 expected; σ ≈ 35. */
  g_assert_cmpuint (inside, >, 1000);
  g_assert_cmpuint (inside, <, 1400);
  sq_raster_clear (&r);
  g_assert_false (sq_raster_bursts (&r, 10, 1, 5, 6, 1.0, 1, &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/raster/csv", test_csv);
  g_test_add_func ("/raster/clipping", test_clipping);
  g_test_add_func ("/raster/json", test_json);
  g_test_add_func ("/raster/npy", test_npy);
  g_test_add_func ("/raster/refused", test_refused);
  g_test_add_func ("/raster/npy-refused", test_npy_refused);
  g_test_add_func ("/raster/semantics", test_semantics);
  g_test_add_func ("/raster/channels", test_channels);
  g_test_add_func ("/raster/poisson", test_poisson);
  g_test_add_func ("/raster/regular-bursts", test_regular_bursts);

  return g_test_run ();
}
