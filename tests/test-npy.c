/* test-npy.c: the .npy codec on hand-written files (every dtype, both byte orders, both
 * memory orders, format versions 1.0 to 3.0), its refusals, truncation at every byte, the
 * writer's exact bytes, and a round trip through numpy when python3-numpy is installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

/* A .npy file: magic, version, header length, @dict padded to 64 bytes and ended by '\n',
 * then @n_data bytes of @data. */
static GByteArray *
npy_bytes (guint8        major,
           const char   *dict,
           const void   *data,
           gsize         n_data)
{
  GByteArray *b = g_byte_array_new ();
  g_autoptr(GString) h = g_string_new (dict);
  gsize prefix = major == 1 ? 10 : 12;
  guint8 len[4];

  while ((prefix + h->len + 1) % 64 != 0)
    g_string_append_c (h, ' ');
  g_string_append_c (h, '\n');
  g_byte_array_append (b, (const guint8 *) "\x93NUMPY", 6);
  g_byte_array_append (b, (guint8[]) { major, 0 }, 2);
  for (int i = 0; i < 4; i++)
    len[i] = (guint8) (h->len >> (8 * i));
  g_byte_array_append (b, len, major == 1 ? 2 : 4);
  g_byte_array_append (b, (const guint8 *) h->str, (guint) h->len);
  if (n_data)
    g_byte_array_append (b, data, (guint) n_data);
  return b;
}

static void
read_ok (GByteArray *b,
         SqTensor   *t,
         SqNpyDtype  want_dtype)
{
  g_autoptr(GError) error = NULL;
  SqNpyDtype dtype = SQ_NPY_AUTO;

  g_assert_true (sq_npy_read (b->data, b->len, "test.npy", t, &dtype, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dtype, ==, want_dtype);
}

static void
assert_values (const SqTensor *t,
               const double   *want,
               gsize           n)
{
  g_assert_cmpuint (t->n, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (t->data[i], ==, want[i]);
}

static void
test_read_int16 (void)
{
  /* (2, 3) little-endian int16: 1, -2, 300, -32768, 32767, 0 */
  static const guint8 data[] = { 1, 0, 0xFE, 0xFF, 0x2C, 0x01, 0x00, 0x80, 0xFF, 0x7F, 0, 0 };
  static const double want[] = { 1, -2, 300, -32768, 32767, 0 };
  g_autoptr(GByteArray) b = npy_bytes (1, "{'descr': '<i2', 'fortran_order': False, "
                                          "'shape': (2, 3), }", data, sizeof data);
  SqTensor t;

  read_ok (b, &t, SQ_NPY_INT16);
  g_assert_cmpuint (t.rank, ==, 2);
  g_assert_cmpuint (t.shape[0], ==, 2);
  g_assert_cmpuint (t.shape[1], ==, 3);
  g_assert_true (t.integer);
  assert_values (&t, want, 6);
  sq_tensor_clear (&t);
}

static void
test_read_big_endian (void)
{
  /* >i4: -5, 65536; >f8: 0.5 (0x3FE0...), -2.25 (0xC002 0000...) */
  static const guint8 i4[] = { 0xFF, 0xFF, 0xFF, 0xFB, 0x00, 0x01, 0x00, 0x00 };
  static const guint8 f8[] = { 0x3F, 0xE0, 0, 0, 0, 0, 0, 0, 0xC0, 0x02, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GByteArray) bi = npy_bytes (1, "{'descr': '>i4', 'fortran_order': False, "
                                           "'shape': (2,), }", i4, sizeof i4);
  g_autoptr(GByteArray) bf = npy_bytes (1, "{'descr': '>f8', 'fortran_order': False, "
                                           "'shape': (2,), }", f8, sizeof f8);
  SqTensor t;

  read_ok (bi, &t, SQ_NPY_INT32);
  assert_values (&t, (double[]) { -5, 65536 }, 2);
  sq_tensor_clear (&t);
  read_ok (bf, &t, SQ_NPY_FLOAT64);
  g_assert_false (t.integer);
  assert_values (&t, (double[]) { 0.5, -2.25 }, 2);
  sq_tensor_clear (&t);
}

typedef struct {
  const char *descr;
  SqNpyDtype  dtype;
  guint8      bytes[16];
  gsize       n_bytes;
  double      want[2];
} DtypeCase;

static void
test_read_every_dtype (void)
{
  static const DtypeCase cases[] = {
    { "|b1", SQ_NPY_BOOL,   { 0, 1 }, 2, { 0, 1 } },
    { "|i1", SQ_NPY_INT8,   { 0x80, 0x7F }, 2, { -128, 127 } },
    { "|u1", SQ_NPY_UINT8,  { 0xFF, 3 }, 2, { 255, 3 } },
    { "<u2", SQ_NPY_UINT16, { 0xFF, 0xFF, 1, 1 }, 4, { 65535, 257 } },
    { ">u2", SQ_NPY_UINT16, { 0xFF, 0xFE, 1, 0 }, 4, { 65534, 256 } },
    { "<u4", SQ_NPY_UINT32, { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1 }, 8, { 4294967295.0, 16777216 } },
    { "<i4", SQ_NPY_INT32,  { 0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0x7F }, 8,
      { -2147483648.0, 2147483647.0 } },
    /* -2^63 is a power of two, so a double holds it exactly; so is 2^53. */
    { "<i8", SQ_NPY_INT64,  { 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x20, 0 }, 16,
      { -9223372036854775808.0, 9007199254740992.0 } },
    { "<u8", SQ_NPY_UINT64, { 0, 0, 0, 0, 0, 0, 0, 0x80, 7, 0, 0, 0, 0, 0, 0, 0 }, 16,
      { 9223372036854775808.0, 7 } },
    /* 0x3DCCCCCD is 0.1f; 0xFF800000 is -Infinity */
    { "<f4", SQ_NPY_FLOAT32, { 0xCD, 0xCC, 0xCC, 0x3D, 0, 0, 0x80, 0xFF }, 8,
      { (double) 0.1f, -INFINITY } },
    { "=f8", SQ_NPY_FLOAT64, { 0 }, 16, { 0, 0 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DtypeCase *c = &cases[i];
      g_autofree char *dict = g_strdup_printf ("{'descr': '%s', 'fortran_order': False, "
                                               "'shape': (2,), }", c->descr);
      g_autoptr(GByteArray) b = npy_bytes (1, dict, c->bytes, c->n_bytes);
      SqTensor t;

      g_test_message ("dtype %s", c->descr);
      read_ok (b, &t, c->dtype);
      g_assert_cmpint (t.integer, ==, c->dtype != SQ_NPY_FLOAT32 && c->dtype != SQ_NPY_FLOAT64);
      assert_values (&t, c->want, 2);
      sq_tensor_clear (&t);
    }
}

static void
test_read_fortran (void)
{
  /* A (2, 3) array [[0, 1, 2], [3, 4, 5]] stored column by column: 0 3 1 4 2 5. */
  static const guint8 f2[] = { 0, 3, 1, 4, 2, 5 };
  /* (2, 3, 2) with value = 100 i + 10 j + k, stored first index fastest. */
  guint8 f3[12];
  double want3[12];
  g_autoptr(GByteArray) b2 = npy_bytes (1, "{'descr': '|u1', 'fortran_order': True, "
                                           "'shape': (2, 3), }", f2, sizeof f2);
  g_autoptr(GByteArray) b3 = NULL;
  SqTensor t;

  for (guint k = 0, f = 0; k < 2; k++)
    for (guint j = 0; j < 3; j++)
      for (guint i = 0; i < 2; i++, f++)
        {
          f3[f] = (guint8) (100 * i + 10 * j + k);
          want3[(i * 3 + j) * 2 + k] = 100 * i + 10 * j + k;
        }
  b3 = npy_bytes (1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 2), }",
                  f3, sizeof f3);

  read_ok (b2, &t, SQ_NPY_UINT8);
  assert_values (&t, (double[]) { 0, 1, 2, 3, 4, 5 }, 6);
  sq_tensor_clear (&t);
  read_ok (b3, &t, SQ_NPY_UINT8);
  g_assert_cmpuint (t.rank, ==, 3);
  assert_values (&t, want3, 12);
  sq_tensor_clear (&t);
}

static void
test_read_versions (void)
{
  static const guint8 data[] = { 0, 0, 0, 0, 0, 0, 0xF8, 0x3F };   /* 1.5 */
  SqTensor t;

  /* A 0-d array, numpy's np.float64(1.5) saved; also keys in another order, double quotes
   * and no trailing comma, which ast.literal_eval accepts too. */
  for (guint8 major = 1; major <= 3; major++)
    {
      g_autoptr(GByteArray) b = npy_bytes (major, "{\"shape\": (),'fortran_order':False , "
                                                  "'descr':'<f8'}", data, sizeof data);

      read_ok (b, &t, SQ_NPY_FLOAT64);
      g_assert_cmpuint (t.rank, ==, 0);
      assert_values (&t, (double[]) { 1.5 }, 1);
      sq_tensor_clear (&t);
    }
}

typedef struct {
  const char *dict;
  gsize       n_data;
  GQuark      domain;
  int         code;
  const char *message;
} BadCase;

static void
test_read_refused (void)
{
  const BadCase cases[] = {
    { "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16,
      SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE, "test.npy: the array holds pickled Python objects" },
    { "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }", 8,
      SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE, "test.npy: the array has a structured dtype" },
    { "{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }", 40,
      SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE, "test.npy: dtype '<U5' is not supported" },
    { "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", 4,
      SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE, "test.npy: dtype '<f2' is not supported" },
    { "{'descr': '|i4', 'fortran_order': False, 'shape': (2,), }", 8,
      SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE, "test.npy: dtype '|i4' is not supported" },
    { "{'descr': '<i4', 'fortran_order': False, 'shape': (0, 3), }", 0,
      SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_EMPTY, "test.npy: shape (0, 3) has an empty dimension" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000000), }", 0,
      SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE, "test.npy: shape (1000000000, 1000000000) "
      "is too large" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }", 0,
      SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE, "test.npy: shape" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1), }", 8,
      SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_RANK, "test.npy: the array has more than 4 dimensions" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (3), }", 24,
      SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, "test.npy: .npy header: 'shape' is not a tuple" },
    { "{'descr': '<f8', 'shape': (3,), }", 24,
      SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, "test.npy: .npy header: missing key 'fortran_order'" },
    { "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 24,
      SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, "test.npy: .npy header: key 'descr' appears twice" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}", 24,
      SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, "test.npy: .npy header: unexpected key 'x'" },
    { "{'descr': '<f8', 'fortran_order': 0, 'shape': (3,), }", 24,
      SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, "test.npy: .npy header: 'fortran_order' must be" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), } x", 24,
      SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, "test.npy: .npy header: unexpected text after" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 25,
      SQ_NPY_ERROR, SQ_NPY_ERROR_TRAILING, "test.npy: 1 unexpected bytes after the array data" },
    { "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 23,
      SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
      "test.npy: the file ends inside the array data (23 of 24 bytes)" },
  };
  guint8 zeros[64] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = npy_bytes (1, cases[i].dict, zeros, cases[i].n_data);
      g_autoptr(GError) error = NULL;
      SqTensor t;

      g_test_message ("%s", cases[i].dict);
      g_assert_false (sq_npy_read (b->data, b->len, "test.npy", &t, NULL, &error));
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_false (sq_tensor_is_present (&t));
    }
}

static void
test_read_inexact_int64 (void)
{
  /* 2^53 + 1 = 0x0020000000000001 and 2^64 − 1: neither has an exact double. */
  static const guint8 i8[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x20, 0 };
  static const guint8 u8[] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
  g_autoptr(GByteArray) bi = npy_bytes (1, "{'descr': '<i8', 'fortran_order': False, "
                                           "'shape': (1, 2), }", i8, sizeof i8);
  g_autoptr(GByteArray) bu = npy_bytes (1, "{'descr': '<u8', 'fortran_order': False, "
                                           "'shape': (), }", u8, sizeof u8);
  g_autoptr(GError) error = NULL;
  SqTensor t;

  g_assert_false (sq_npy_read (bi->data, bi->len, "big.npy", &t, NULL, &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "big.npy: element [0][1] is 9007199254740993, which a "
                   "double cannot hold exactly (at most 2^53 in magnitude)");
  g_assert_false (sq_tensor_is_present (&t));
  g_clear_error (&error);

  g_assert_false (sq_npy_read (bu->data, bu->len, "big.npy", &t, NULL, &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "big.npy: element [()] is 18446744073709551615, which a "
                   "double cannot hold exactly (at most 2^53 in magnitude)");
}

static void
test_read_bad_start (void)
{
  g_autoptr(GError) error = NULL;
  SqTensor t;

  g_assert_false (sq_npy_read ((const guint8 *) "PK\x03\x04 not npy", 15, "x.npy", &t, NULL,
                               &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "x.npy: not a NumPy .npy file (it does not start with \\x93NUMPY)");
  g_clear_error (&error);

  g_assert_false (sq_npy_read ((const guint8 *) "\x93NUMPY\x04\x00\x10\x00", 10, "x.npy", &t,
                               NULL, &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "x.npy: .npy format version 4.0; expected 1.0, 2.0 or 3.0");
  g_clear_error (&error);

  g_assert_false (sq_npy_read (NULL, 0, "x.npy", &t, NULL, &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT);
}

/* Every proper prefix of a valid file fails cleanly with "truncated", for each version. */
static void
test_read_truncated (void)
{
  static const guint8 data[] = { 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0 };

  for (guint8 major = 1; major <= 3; major++)
    {
      g_autoptr(GByteArray) b = npy_bytes (major, "{'descr': '<i2', 'fortran_order': True, "
                                                  "'shape': (3, 2), }", data, sizeof data);

      for (gsize len = 1; len < b->len; len++)
        {
          g_autoptr(GError) error = NULL;
          /* A copy of exactly @len bytes, so ASan sees any read beyond it. */
          g_autofree guint8 *copy = g_memdup2 (b->data, len);
          SqTensor t;

          g_assert_false (sq_npy_read (copy, len, "cut.npy", &t, NULL, &error));
          /* A cut inside the header leaves a header without its newline. */
          if (error->code != SQ_NPY_ERROR_TRUNCATED)
            g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT);
          else
            g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED);
          g_assert_true (g_str_has_prefix (error->message, "cut.npy: "));
          g_assert_false (sq_tensor_is_present (&t));
        }
    }
}

/* The exact bytes numpy 1.24 writes for np.save(f, np.array([[1, -2, 3], [4, 5, 6]])). */
static void
test_write_golden (void)
{
  static const char header[] =
    "\x93NUMPY\x01\x00\x76\x00{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }"
    "                                                          \n";
  static const double values[] = { 1, -2, 3, 4, 5, 6 };
  SqTensor t;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *out = NULL;
  gsize len = 0;

  g_assert_cmpuint (sizeof header - 1, ==, 128);
  g_assert_true (sq_tensor_init (&t, 2, (gsize[]) { 2, 3 }, &error));
  memcpy (t.data, values, sizeof values);
  t.integer = TRUE;

  out = sq_npy_write (&t, SQ_NPY_AUTO, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 128 + 6 * 8);
  g_assert_cmpmem (out, 128, header, 128);
  /* -2 as little-endian int64 */
  g_assert_cmpmem (out + 128 + 8, 8, "\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8);
  g_assert_cmpmem (out + 128 + 40, 8, "\x06\x00\x00\x00\x00\x00\x00\x00", 8);
  g_clear_pointer (&out, g_free);

  /* A float tensor gets '<f8'. */
  t.integer = FALSE;
  out = sq_npy_write (&t, SQ_NPY_AUTO, &len, &error);
  g_assert_cmpmem (out + 10, 15, "{'descr': '<f8'", 15);
  g_clear_pointer (&out, g_free);
  sq_tensor_clear (&t);
}

static void
test_write_round_trip (void)
{
  static const double values[] = { 0, 1, 0, 1, 1, 0 };

  for (guint d = SQ_NPY_BOOL; d < SQ_NPY_N_DTYPES; d++)
    for (guint rank = 0; rank <= 2; rank++)
      {
        static const gsize shape[] = { 2, 3 };
        g_autoptr(GError) error = NULL;
        g_autofree guint8 *out = NULL;
        SqTensor t, back;
        SqNpyDtype got;
        gsize len;

        g_assert_true (sq_tensor_init (&t, rank, rank == 1 ? (gsize[]) { 6 } : shape, &error));
        memcpy (t.data, values, t.n * sizeof (double));
        out = sq_npy_write (&t, (SqNpyDtype) d, &len, &error);
        g_assert_no_error (error);
        g_assert_true (sq_npy_read (out, len, "rt.npy", &back, &got, &error));
        g_assert_no_error (error);
        g_assert_cmpint (got, ==, d);
        g_assert_true (sq_test_tensor_equal (&t, &back));
        /* The data starts on a 64-byte boundary, as numpy writes it. */
        g_assert_cmpuint ((len - t.n * (d == SQ_NPY_FLOAT64 || d == SQ_NPY_INT64 ||
                                         d == SQ_NPY_UINT64 ? 8 :
                                         d == SQ_NPY_FLOAT32 || d == SQ_NPY_INT32 ||
                                         d == SQ_NPY_UINT32 ? 4 :
                                         d == SQ_NPY_INT16 || d == SQ_NPY_UINT16 ? 2 : 1)) % 64,
                          ==, 0);
        sq_tensor_clear (&t);
        sq_tensor_clear (&back);
      }
}

static void
test_write_refused (void)
{
  static const struct {
    double      value;
    SqNpyDtype  dtype;
    const char *message;
  } cases[] = {
    { 1.5,    SQ_NPY_INT64,   "element [1] is 1.5, which dtype i8 cannot hold" },
    { NAN,    SQ_NPY_INT32,   "element [1] is NaN, which dtype i4 cannot hold" },
    { 128,    SQ_NPY_INT8,    "element [1] is 128.0, which dtype i1 cannot hold" },
    { -1,     SQ_NPY_UINT16,  "element [1] is -1.0, which dtype u2 cannot hold" },
    { 2,      SQ_NPY_BOOL,    "element [1] is 2.0, which dtype b1 cannot hold" },
    { 1e39,   SQ_NPY_FLOAT32, "element [1] is 1e+39, which dtype f4 cannot hold" },
    { 9223372036854775808.0, SQ_NPY_INT64,
      "element [1] is 9.223372036854776e+18, which dtype i8 cannot hold" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      SqTensor t;
      gsize len;

      g_assert_true (sq_tensor_init (&t, 1, (gsize[]) { 2 }, NULL));
      t.data[1] = cases[i].value;
      g_assert_null (sq_npy_write (&t, cases[i].dtype, &len, &error));
      g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      sq_tensor_clear (&t);
    }
}

/* A Python that has numpy: the one on PATH, or Debian's (python3-numpy) when PATH leads to
 * another installation. */
/* Synquant writes, numpy checks and writes its own files in other dtypes, orders and byte
 * orders, Synquant reads them back. */
static void
test_numpy_round_trip (void)
{
  static const char script[] =
    "import sys, numpy as np\n"
    "d = sys.argv[1]\n"
    "a = np.load(d + '/sq.npy')\n"
    "assert a.dtype == np.dtype('<i2') and a.shape == (3, 4), (a.dtype, a.shape)\n"
    "assert (a == np.arange(12).reshape(3, 4) * 1000 - 5000).all()\n"
    "f = np.load(d + '/sqf.npy')\n"
    "assert f.dtype == np.float64 and f[1] == 0.1 and np.isnan(f[2]) and f.shape == (3,)\n"
    "x = (np.arange(24).reshape(2, 3, 4) - 7).astype('>i4')\n"
    "np.save(d + '/big.npy', np.asfortranarray(x))\n"
    "np.save(d + '/bool.npy', x > 3)\n"
    "np.save(d + '/f4.npy', (x / 8).astype('<f4'))\n"
    "np.save(d + '/scalar.npy', np.float64(2.5))\n";
  g_autofree char *dir = NULL;
  g_autofree char *script_path = NULL;
  g_autoptr(GError) error = NULL;
  const char *python = sq_test_python_with_numpy ();
  SqTensor t, r;
  int status;

  if (python == NULL)
    {
      g_test_skip ("python3-numpy is not installed");
      return;
    }
  dir = sq_test_tmpdir ();
  script_path = g_build_filename (dir, "check.py", NULL);
  g_assert_true (g_file_set_contents (script_path, script, -1, &error));

  g_assert_true (sq_tensor_init (&t, 2, (gsize[]) { 3, 4 }, &error));
  for (gsize i = 0; i < 12; i++)
    t.data[i] = (double) i * 1000 - 5000;
  t.integer = TRUE;
  {
    g_autofree char *p = g_build_filename (dir, "sq.npy", NULL);
    g_assert_true (sq_npy_save (p, &t, SQ_NPY_INT16, &error));
    g_assert_no_error (error);
  }
  sq_tensor_clear (&t);
  g_assert_true (sq_tensor_init (&t, 1, (gsize[]) { 3 }, &error));
  t.data[1] = 0.1;
  t.data[2] = NAN;
  {
    g_autofree char *p = g_build_filename (dir, "sqf.npy", NULL);
    g_assert_true (sq_npy_save (p, &t, SQ_NPY_AUTO, &error));
  }
  sq_tensor_clear (&t);

  {
    const char *argv[] = { python, script_path, dir, NULL };
    g_autofree char *err = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, &err, &status, &error));
    g_assert_no_error (error);
    if (status != 0)
      g_error ("numpy check failed: %s", err);
  }

  {
    g_autofree char *p = g_build_filename (dir, "big.npy", NULL);
    g_assert_true (sq_npy_load (p, &t, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (t.rank, ==, 3);
    for (gsize i = 0; i < 24; i++)
      g_assert_cmpfloat (t.data[i], ==, (double) i - 7);
  }
  {
    g_autofree char *p = g_build_filename (dir, "bool.npy", NULL);
    SqNpyDtype d;
    g_assert_true (sq_npy_load (p, &r, &d, &error));
    g_assert_cmpint (d, ==, SQ_NPY_BOOL);
    for (gsize i = 0; i < 24; i++)
      g_assert_cmpfloat (r.data[i], ==, t.data[i] > 3 ? 1.0 : 0.0);
    sq_tensor_clear (&r);
  }
  {
    g_autofree char *p = g_build_filename (dir, "f4.npy", NULL);
    g_assert_true (sq_npy_load (p, &r, NULL, &error));
    for (gsize i = 0; i < 24; i++)
      g_assert_cmpfloat (r.data[i], ==, t.data[i] / 8);
    sq_tensor_clear (&r);
  }
  {
    g_autofree char *p = g_build_filename (dir, "scalar.npy", NULL);
    g_assert_true (sq_npy_load (p, &r, NULL, &error));
    g_assert_cmpuint (r.rank, ==, 0);
    g_assert_cmpfloat (r.data[0], ==, 2.5);
    sq_tensor_clear (&r);
  }
  sq_tensor_clear (&t);

  {
    const char *names[] = { "check.py", "sq.npy", "sqf.npy", "big.npy", "bool.npy", "f4.npy",
                            "scalar.npy" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (dir, names[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

static void
test_load_errors (void)
{
  g_autoptr(GError) error = NULL;
  SqTensor t;

  g_assert_false (sq_npy_load ("/nonexistent/raster.npy", &t, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/raster.npy"));
  g_assert_false (sq_tensor_is_present (&t));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/npy/read/int16", test_read_int16);
  g_test_add_func ("/npy/read/big-endian", test_read_big_endian);
  g_test_add_func ("/npy/read/every-dtype", test_read_every_dtype);
  g_test_add_func ("/npy/read/fortran", test_read_fortran);
  g_test_add_func ("/npy/read/versions", test_read_versions);
  g_test_add_func ("/npy/read/refused", test_read_refused);
  g_test_add_func ("/npy/read/inexact-int64", test_read_inexact_int64);
  g_test_add_func ("/npy/read/bad-start", test_read_bad_start);
  g_test_add_func ("/npy/read/truncated", test_read_truncated);
  g_test_add_func ("/npy/load/errors", test_load_errors);
  g_test_add_func ("/npy/write/golden", test_write_golden);
  g_test_add_func ("/npy/write/round-trip", test_write_round_trip);
  g_test_add_func ("/npy/write/refused", test_write_refused);
  g_test_add_func ("/npy/numpy/round-trip", test_numpy_round_trip);

  return g_test_run ();
}
