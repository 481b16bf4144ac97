/* test-npz.c: .npz archives — numpy's own files (every dtype, both byte orders, Fortran order,
 * 0-d, stored and deflated), Xylo specifications to .npz and back, the writer's exact bytes,
 * np.load on what Synquant writes, and truncated and corrupted archives.
 *
 * One program for one module, so longer than most: the .npz reader and writer, which share their
 * fixtures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static GBytes *
read_data_file (const char *name)
{
  g_autofree char *path = sq_test_data_path ("data", "npz", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static SqNpzReader *
reader_from_bytes (GBytes  *bytes,
                   GError **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return sq_npz_reader_new (data, length, "test.npz", error);
}

static void
remove_dir (char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
  g_free (dir);
}

/* Equal keys, shapes, integer flags, bit-identical values, shifts, aliases and dt. */
static void
assert_specs_equal (const SqXyloSpec *a,
                    const SqXyloSpec *b)
{
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *ta = &a->param[i], *tb = &b->param[i];

      g_assert_cmpint (sq_tensor_is_present (ta), ==, sq_tensor_is_present (tb));
      if (!sq_tensor_is_present (ta))
        continue;
      g_assert_true (sq_test_tensor_equal (ta, tb));
      g_assert_cmpint (ta->integer, ==, tb->integer);
      /* Floats keep every bit; integers may come back as +0 where rint gave −0. */
      if (!ta->integer)
        g_assert_cmpmem (ta->data, ta->n * sizeof (double), tb->data, tb->n * sizeof (double));
    }
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    {
      g_assert_cmpint (a->has_weight_shift[i], ==, b->has_weight_shift[i]);
      g_assert_cmpint (a->weight_shift[i], ==, b->weight_shift[i]);
    }
  g_assert_cmpint (a->alias_offsets != NULL, ==, b->alias_offsets != NULL);
  g_assert_cmpuint (a->n_alias_lists, ==, b->n_alias_lists);
  if (a->alias_offsets != NULL)
    {
      g_assert_cmpmem (a->alias_offsets, (a->n_alias_lists + 1) * sizeof (gsize),
                       b->alias_offsets, (b->n_alias_lists + 1) * sizeof (gsize));
      g_assert_cmpmem (a->alias_targets, a->alias_offsets[a->n_alias_lists] * sizeof (guint32),
                       b->alias_targets, b->alias_offsets[b->n_alias_lists] * sizeof (guint32));
    }
  g_assert_cmpint (a->has_dt, ==, b->has_dt);
  g_assert_cmpmem (&a->dt, sizeof a->dt, &b->dt, sizeof b->dt);

  /* And for the small networks, the whole JSON text. */
  if (sq_xylo_spec_n_weights (a) < 10000)
    {
      g_autoptr(GString) ja = sq_xylo_spec_to_json (a);
      g_autoptr(GString) jb = sq_xylo_spec_to_json (b);

      g_assert_cmpstr (ja->str, ==, jb->str);
    }
}

/* ---------------------------------------------------------------------------------------- */

static void
test_crc32 (void)
{
  const char *check = "123456789";
  g_autofree guint8 *big = g_malloc (1000);

  /* The CRC-32/ISO-HDLC check value of "123456789". */
  g_assert_cmphex (sq_crc32 (0, check, 9), ==, 0xCBF43926);
  g_assert_cmphex (sq_crc32 (0, "", 0), ==, 0);
  /* Chained over pieces equals the whole, also across the 8-byte slices. */
  for (guint i = 0; i < 1000; i++)
    big[i] = (guint8) (i * 7 + 3);
  for (guint cut = 0; cut <= 17; cut++)
    g_assert_cmphex (sq_crc32 (sq_crc32 (0, big, cut), big + cut, 1000 - cut), ==,
                     sq_crc32 (0, big, 1000));
  /* Byte by byte (the table) equals whole buffers of every length (the vector code from 64
   * bytes on, where the machine has it), at every alignment. */
  for (gsize len = 0; len <= 300; len++)
    for (gsize off = 0; off < 3; off++)
      {
        guint32 crc = 0;

        for (gsize i = 0; i < len; i++)
          crc = sq_crc32 (crc, big + off + i, 1);
        g_assert_cmphex (sq_crc32 (0, big + off, len), ==, crc);
      }
  /* "a": a value any zip tool agrees on. */
  g_assert_cmphex (sq_crc32 (0, "a", 1), ==, 0xE8B7BE43);
}

/* numpy's own archives: every dtype in both byte orders, Fortran order, 0-d arrays. */
static void
check_dtypes_archive (const char *file)
{
  static const struct {
    const char *key;
    SqNpyDtype  dtype;
    double      first;   /* the values are first + 0, 1, … 5, divided by div */
    double      div;
  } cases[] = {
    { "i1_le", SQ_NPY_INT8, -2, 1 },    { "i1_be", SQ_NPY_INT8, -2, 1 },
    { "i2_le", SQ_NPY_INT16, -2, 1 },   { "i2_be", SQ_NPY_INT16, -2, 1 },
    { "i4_le", SQ_NPY_INT32, -2, 1 },   { "i4_be", SQ_NPY_INT32, -2, 1 },
    { "i8_le", SQ_NPY_INT64, -2, 1 },   { "i8_be", SQ_NPY_INT64, -2, 1 },
    { "u1_le", SQ_NPY_UINT8, 250, 1 },  { "u1_be", SQ_NPY_UINT8, 250, 1 },
    { "u2_le", SQ_NPY_UINT16, 250, 1 }, { "u2_be", SQ_NPY_UINT16, 250, 1 },
    { "u4_le", SQ_NPY_UINT32, 250, 1 }, { "u4_be", SQ_NPY_UINT32, 250, 1 },
    { "u8_le", SQ_NPY_UINT64, 250, 1 }, { "u8_be", SQ_NPY_UINT64, 250, 1 },
    { "f4_le", SQ_NPY_FLOAT32, -2, 4 }, { "f4_be", SQ_NPY_FLOAT32, -2, 4 },
    { "f8_le", SQ_NPY_FLOAT64, -2, 4 }, { "f8_be", SQ_NPY_FLOAT64, -2, 4 },
  };
  g_autoptr(GBytes) bytes = read_data_file (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNpzReader) r = reader_from_bytes (bytes, &error);
  SqNpyDtype dtype;
  SqTensor t;
  guint index;

  g_assert_no_error (error);
  /* 20 numeric arrays, b1, fortran, two scalars. */
  g_assert_cmpuint (sq_npz_reader_get_n_members (r), ==, G_N_ELEMENTS (cases) + 4);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_assert_true (sq_npz_reader_find (r, cases[c].key, &index));
      g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dtype, ==, cases[c].dtype);
      g_assert_cmpuint (t.rank, ==, 2);
      g_assert_cmpuint (t.shape[0], ==, 2);
      g_assert_cmpuint (t.shape[1], ==, 3);
      g_assert_cmpint (t.integer, ==, cases[c].div < 2);
      for (guint i = 0; i < 6; i++)
        g_assert_cmpfloat (t.data[i], ==, (cases[c].first + i) / cases[c].div);
      sq_tensor_clear (&t);
    }

  /* b1: signed > 0 → [[0 0 0] [1 1 1]]. */
  g_assert_true (sq_npz_reader_find (r, "b1", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpint (dtype, ==, SQ_NPY_BOOL);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (t.data[i], ==, i >= 3 ? 1.0 : 0.0);
  sq_tensor_clear (&t);

  /* fortran: arange(24).reshape(2, 3, 4) - 7 as big-endian int16 in column-major memory;
   * C order gives back i - 7 at flat index i. */
  g_assert_true (sq_npz_reader_find (r, "fortran", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dtype, ==, SQ_NPY_INT16);
  g_assert_cmpuint (t.rank, ==, 3);
  for (guint i = 0; i < 24; i++)
    g_assert_cmpfloat (t.data[i], ==, (double) i - 7);
  sq_tensor_clear (&t);

  g_assert_true (sq_npz_reader_find (r, "scalar_f8", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpuint (t.rank, ==, 0);
  g_assert_cmpfloat (t.data[0], ==, 0.001);
  sq_tensor_clear (&t);
  g_assert_true (sq_npz_reader_find (r, "scalar_i8", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpuint (t.rank, ==, 0);
  g_assert_cmpint (dtype, ==, SQ_NPY_INT64);
  g_assert_cmpfloat (t.data[0], ==, 3.0);
  sq_tensor_clear (&t);

  g_assert_false (sq_npz_reader_find (r, "b", &index));
  g_assert_false (sq_npz_reader_find (r, "b1.npy", &index));
}

static void
test_read_dtypes_stored (void)
{
  check_dtypes_archive ("dtypes.npz");
}

static void
test_read_dtypes_deflated (void)
{
  check_dtypes_archive ("dtypes-compressed.npz");
}

static SqXyloSpec *
load_small_json (void)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_load_json (g_getenv ("SQ_EXAMPLE_SMALL"), &error);

  g_assert_no_error (error);
  return spec;
}

/* np.savez (f, **spec) and np.savez_compressed of the small example: the same spec as the
 * JSON file (aliases as a -1-padded array). */
static void
test_spec_numpy (void)
{
  g_autoptr(SqXyloSpec) json = load_small_json ();
  const char *files[] = { "small.npz", "small-compressed.npz" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = sq_test_data_path ("data", "npz", files[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_npz (path, &error);

      g_assert_no_error (error);
      assert_specs_equal (spec, json);
      g_assert_cmpuint (spec->warnings->len, ==, 0);
      g_assert_true (g_str_has_suffix (spec->source, files[i]));
      /* The one alias of the example: neuron 22 → 9. */
      g_assert_cmpuint (spec->alias_offsets[32], ==, 1);
      g_assert_cmpuint (spec->alias_offsets[22], ==, 0);
      g_assert_cmpuint (spec->alias_offsets[23], ==, 1);
      g_assert_cmpuint (spec->alias_targets[0], ==, 9);
    }
}

static void
test_spec_pickled (void)
{
  g_autofree char *path = sq_test_data_path ("data", "npz", "small-pickled.npz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_npz (path, &error);

  g_assert_null (spec);
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE);
  g_assert_nonnull (strstr (error->message, "small-pickled.npz: aliases.npy: "));
  g_assert_nonnull (strstr (error->message, "never unpickles"));
  g_assert_nonnull (strstr (error->message, "padded with -1"));
  g_assert_nonnull (strstr (error->message, "JSON"));
}

static void
round_trip (const SqXyloSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *npz = NULL;
  g_autoptr(SqXyloSpec) back = NULL;
  gsize length;

  npz = sq_xylo_spec_to_npz (spec, &length, &error);
  g_assert_no_error (error);
  back = sq_xylo_spec_load_npz_data (npz, length, "round-trip.npz", &error);
  g_assert_no_error (error);
  assert_specs_equal (back, spec);
  g_assert_cmpuint (back->warnings->len, ==, 0);
}

static void
test_spec_round_trip (void)
{
  g_autoptr(SqXyloSpec) small = load_small_json ();
  g_autoptr(SqXyloSpec) xylo = NULL;
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *npz = NULL;
  g_autoptr(SqNpzReader) r = NULL;
  SqQuantParams params;
  SqNpyDtype dtype;
  SqTensor t;
  gsize length;
  guint index;

  round_trip (small);

  xylo = sq_xylo_spec_load_json (g_getenv ("SQ_EXAMPLE_XYLO"), &error);
  g_assert_no_error (error);
  round_trip (xylo);

  /* A quantized spec: integers in the narrowest dtype, which reads back as integers. */
  sq_quant_params_init (&params);
  q = sq_quantize (small, &params, &error);
  g_assert_no_error (error);
  round_trip (q->spec);

  npz = sq_xylo_spec_to_npz (q->spec, &length, &error);
  r = sq_npz_reader_new (npz, length, "q.npz", &error);
  g_assert_no_error (error);
  /* Members in the JSON writer's order: 12 parameters, 3 shifts, aliases, dt. */
  g_assert_cmpuint (sq_npz_reader_get_n_members (r), ==, 17);
  g_assert_cmpstr (sq_npz_reader_get_name (r, 0), ==, "weights_in.npy");
  g_assert_cmpstr (sq_npz_reader_get_name (r, 16), ==, "dt.npy");
  g_assert_cmpstr (sq_npz_reader_get_name (r, 15), ==, "aliases.npy");
  g_assert_true (sq_npz_reader_find (r, "weights_rec", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpint (dtype, ==, SQ_NPY_INT8);
  sq_tensor_clear (&t);
  g_assert_true (sq_npz_reader_find (r, "threshold", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpint (dtype, ==, SQ_NPY_INT16);
  sq_tensor_clear (&t);
  g_assert_true (sq_npz_reader_find (r, "weight_shift_in", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpint (dtype, ==, SQ_NPY_INT64);
  g_assert_cmpuint (t.rank, ==, 0);
  sq_tensor_clear (&t);
  /* aliases: (32, 1) padded with -1; row 22 is [9]. */
  g_assert_true (sq_npz_reader_find (r, "aliases", &index));
  g_assert_true (sq_npz_reader_read_tensor (r, index, &t, &dtype, &error));
  g_assert_cmpuint (t.rank, ==, 2);
  g_assert_cmpuint (t.shape[0], ==, 32);
  g_assert_cmpuint (t.shape[1], ==, 1);
  g_assert_cmpfloat (t.data[22], ==, 9.0);
  g_assert_cmpfloat (t.data[21], ==, -1.0);
  sq_tensor_clear (&t);
}

/* aliases all empty: a (Nhid, 0) array, which np.asarray makes of [[], [], …] (as float64). */
static void
test_spec_aliases_empty (void)
{
  g_autoptr(SqXyloSpec) spec = load_small_json ();
  g_autoptr(GError) error = NULL;

  for (gsize j = 0; j <= spec->n_alias_lists; j++)
    spec->alias_offsets[j] = 0;
  round_trip (spec);
}

/* An archive of the small spec's members plus @key = @npy (replacing a member of that name). */
static guint8 *
small_with (const char   *key,
            const guint8 *npy,
            gsize         npy_len,
            gsize        *length)
{
  g_autoptr(SqXyloSpec) spec = load_small_json ();
  g_autofree guint8 *base = NULL;
  g_autoptr(SqNpzReader) r = NULL;
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  g_autoptr(GError) error = NULL;
  gsize base_len;
  guint8 *out;

  base = sq_xylo_spec_to_npz (spec, &base_len, &error);
  r = sq_npz_reader_new (base, base_len, "base.npz", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sq_npz_reader_get_n_members (r); i++)
    {
      g_autofree char *k = g_strndup (sq_npz_reader_get_name (r, i),
                                      strlen (sq_npz_reader_get_name (r, i)) - 4);
      g_autoptr(GBytes) b = NULL;
      gsize len;
      const guint8 *d;

      if (g_str_equal (k, key))
        continue;
      b = sq_npz_reader_extract (r, i, NULL, &error);
      d = g_bytes_get_data (b, &len);
      g_assert_true (sq_npz_writer_add_npy (w, k, d, len, &error));
    }
  if (npy != NULL)
    g_assert_true (sq_npz_writer_add_npy (w, key, npy, npy_len, &error));
  out = sq_npz_writer_finish (w, length, &error);
  g_assert_no_error (error);
  return out;
}

static GBytes *
npy_of (SqNpyDtype    dtype,
        guint         rank,
        const gsize  *shape,
        gconstpointer values)
{
  gsize length;
  guint8 *npy = sq_npy_write_array (dtype, rank, shape, values, &length);

  return g_bytes_new_take (npy, length);
}

static void
expect_spec_error (const char *key,
                   GBytes     *npy,
                   GQuark      domain,
                   int         code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *npz = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  gsize length;

  npz = small_with (key, npy ? g_bytes_get_data (npy, NULL) : NULL,
                    npy ? g_bytes_get_size (npy) : 0, &length);
  g_clear_pointer (&npy, g_bytes_unref);
  spec = sq_xylo_spec_load_npz_data (npz, length, "bad.npz", &error);
  g_assert_null (spec);
  g_assert_error (error, domain, (gint) code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
}

static void
test_spec_errors (void)
{
  {
    double dt[2] = { 0.001, 0.002 };
    expect_spec_error ("dt", npy_of (SQ_NPY_FLOAT64, 1, (gsize[]) { 2 }, dt),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_RANK,
                       "bad.npz: dt.npy: dt has shape (2,), expected a single number");
  }
  {
    double dt = -0.5;
    expect_spec_error ("dt", npy_of (SQ_NPY_FLOAT64, 0, NULL, &dt),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE, "dt: found -0.5, expected a positive");
  }
  {
    gint64 shift = 200;
    expect_spec_error ("weight_shift_rec", npy_of (SQ_NPY_INT64, 0, NULL, &shift),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                       "weight_shift_rec: found 200, expected a whole number from 0 to 127");
  }
  {
    /* Row 1 has a target after its padding. */
    gint16 a[32 * 2] = { 0 };
    for (guint i = 0; i < 64; i++)
      a[i] = -1;
    a[2] = -1, a[3] = 4;
    expect_spec_error ("aliases", npy_of (SQ_NPY_INT16, 2, (gsize[]) { 32, 2 }, a),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                       "aliases[1][1]: found 4 after the padding");
  }
  {
    gint16 a[32] = { 0 };
    a[5] = -3;
    expect_spec_error ("aliases", npy_of (SQ_NPY_INT16, 2, (gsize[]) { 32, 1 }, a),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                       "aliases[5][0]: found -3, expected a hidden neuron index or -1");
  }
  {
    gint16 a[32] = { 0 };
    expect_spec_error ("aliases", npy_of (SQ_NPY_INT16, 1, (gsize[]) { 32 }, a),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_RANK, "aliases has shape (32,)");
  }
  {
    /* 31 rows for 32 hidden neurons: the validator's check. */
    gint16 a[31] = { 0 };
    expect_spec_error ("aliases", npy_of (SQ_NPY_INT16, 2, (gsize[]) { 31, 1 }, a),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE, "aliases has 31 lists, expected 32");
  }
  {
    double th[32];
    for (guint i = 0; i < 32; i++)
      th[i] = 1.0;
    th[7] = NAN;
    expect_spec_error ("threshold", npy_of (SQ_NPY_FLOAT64, 1, (gsize[]) { 32 }, th),
                       SQ_SPEC_ERROR, SQ_SPEC_ERROR_NON_FINITE, "threshold[7]: found NaN");
  }
  {
    guint8 obj[] = "\x93NUMPY\x01\x00\x76\x00{'descr': '|O', 'fortran_order': False, "
                   "'shape': (32,), }                                                       "
                   "     \n";
    gsize n = sizeof obj - 1;
    g_assert_cmpuint (n % 64, ==, 0);
    expect_spec_error ("weights_rec", g_bytes_new (obj, n), SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                       "bad.npz: weights_rec.npy: the array holds pickled Python objects");
  }
  expect_spec_error ("weights_rec", NULL, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                     "weights_rec");

  /* An empty archive (np.savez with no arrays): 22 bytes of end record. */
  {
    static const guint8 empty[22] = { 'P', 'K', 5, 6 };
    g_autoptr(GError) error = NULL;
    g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_npz_data (empty, 22, "empty.npz", &error);

    g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY);
  }
}

static void
test_spec_warnings (void)
{
  g_autoptr(SqXyloSpec) small = load_small_json ();
  g_autofree guint8 *base = NULL, *npz = NULL;
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqNpzReader) r = NULL;
  gsize len, npy_len;
  double v = 1.5;
  g_autofree guint8 *npy = sq_npy_write_array (SQ_NPY_FLOAT64, 0, NULL, &v, &npy_len);

  base = sq_xylo_spec_to_npz (small, &len, &error);
  r = sq_npz_reader_new (base, len, "base.npz", &error);
  for (guint i = 0; i < sq_npz_reader_get_n_members (r); i++)
    {
      g_autofree char *k = g_strndup (sq_npz_reader_get_name (r, i),
                                      strlen (sq_npz_reader_get_name (r, i)) - 4);
      g_autoptr(GBytes) b = sq_npz_reader_extract (r, i, NULL, &error);
      gsize n;
      const guint8 *d = g_bytes_get_data (b, &n);

      g_assert_true (sq_npz_writer_add_npy (w, k, d, n, &error));
    }
  g_assert_true (sq_npz_writer_add_npy (w, "mapped_graph", npy, npy_len, &error));
  g_assert_false (sq_npz_writer_add_npy (w, "mapped_graph", npy, npy_len, &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE);
  g_clear_error (&error);
  npz = sq_npz_writer_finish (w, &len, &error);
  spec = sq_xylo_spec_load_npz_data (npz, len, "extra.npz", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spec->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (spec->warnings, 0), ==,
                   "unknown key \"mapped_graph\" ignored");
  assert_specs_equal (spec, small);
}

/* By extension, and by content when the name says nothing. */
static void
test_spec_load_file (void)
{
  g_autoptr(SqXyloSpec) small = load_small_json ();
  char *dir = sq_test_tmpdir ();
  const char *names[] = { "spec.npz", "SPEC.NPZ", "spec-npz", "spec-json" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(SqXyloSpec) spec = NULL;

      if (g_str_has_suffix (names[i], "json"))
        g_assert_true (sq_xylo_spec_save_json (small, path, &error));
      else
        g_assert_true (sq_xylo_spec_save_npz (small, path, &error));
      g_assert_no_error (error);
      spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_specs_equal (spec, small);
    }

  {
    /* An .npz name holding JSON is read as what its name says, and refused clearly. */
    g_autofree char *path = g_build_filename (dir, "wrong.npz", NULL);
    g_autoptr(SqXyloSpec) spec = NULL;

    g_assert_true (sq_xylo_spec_save_json (small, path, &error));
    spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
    g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "wrong.npz: not a NumPy .npz archive"));
    g_clear_error (&error);
  }
  {
    g_autofree char *path = g_build_filename (dir, "missing.npz", NULL);
    g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);

    g_assert_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_IO);
    g_assert_nonnull (strstr (error->message, "missing.npz"));
  }
  remove_dir (dir);
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  GArray *seen = user_data;

  g_array_append_val (seen, fraction);
}

static void
test_spec_progress_cancel (void)
{
  g_autoptr(SqXyloSpec) small = load_small_json ();
  char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "spec.npz", NULL);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;

  g_assert_true (sq_xylo_spec_save_npz (small, path, &error));
  spec = sq_xylo_spec_load_npz_full (path, cancellable, on_progress, seen, &error);
  g_assert_no_error (error);
  /* One call per member, rising to exactly 1. */
  g_assert_cmpuint (seen->len, ==, 17);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >, g_array_index (seen, double, i - 1));
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  g_clear_pointer (&spec, sq_xylo_spec_free);

  g_cancellable_cancel (cancellable);
  spec = sq_xylo_spec_load_npz_full (path, cancellable, NULL, NULL, &error);
  g_assert_null (spec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  remove_dir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

/* a = [[-2, -1, 0], [1, 2, 3]] as int16 and s = 0.5 as a 0-d float64. */
static guint8 *
golden_archive (gsize *length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  SqTensor t[2];
  guint8 *out;

  g_assert_true (sq_tensor_init (&t[0], 2, (gsize[]) { 2, 3 }, &error));
  for (guint i = 0; i < 6; i++)
    t[0].data[i] = (double) i - 2;
  t[0].integer = TRUE;
  g_assert_true (sq_tensor_init (&t[1], 0, NULL, &error));
  t[1].data[0] = 0.5;
  g_assert_true (sq_npz_writer_add_tensor (w, "a", &t[0], SQ_NPY_INT16, &error));
  g_assert_true (sq_npz_writer_add_tensor (w, "s", &t[1], SQ_NPY_AUTO, &error));
  out = sq_npz_writer_finish (w, length, &error);
  g_assert_no_error (error);
  sq_tensor_clear (&t[0]);
  sq_tensor_clear (&t[1]);
  return out;
}

static void
test_write_golden (void)
{
  g_autoptr(GBytes) golden = read_data_file ("writer-golden.npz");
  g_autofree guint8 *bytes = NULL;
  gsize length, golden_len;
  const guint8 *g = g_bytes_get_data (golden, &golden_len);

  bytes = golden_archive (&length);
  /* Two .npy members of 128 + 12 and 128 + 8 bytes (numpy pads the header so the data
   * starts at 128), local headers of 30 + 5 bytes each, central entries of 46 + 5 bytes
   * each, the 22-byte end record. */
  g_assert_cmpuint (length, ==, (30 + 5 + 140) + (30 + 5 + 136) + 2 * (46 + 5) + 22);
  g_assert_cmpuint (length, ==, golden_len);
  g_assert_cmpmem (bytes, length, g, golden_len);
  /* The end record: 2 entries, a directory of 102 bytes at offset 346. */
  g_assert_cmpmem (bytes + length - 22, 22,
                   "PK\x05\x06\0\0\0\0\x02\0\x02\0\x66\0\0\0\x5a\x01\0\0\0\0", 22);
  /* Member a's CRC in its local header is that of its .npy bytes. */
  {
    guint32 crc = sq_crc32 (0, bytes + 35, 140);
    guint8 le[4] = { (guint8) crc, (guint8) (crc >> 8), (guint8) (crc >> 16),
                     (guint8) (crc >> 24) };

    g_assert_cmpmem (bytes + 14, 4, le, 4);
    g_assert_cmpmem (bytes + 35, 8, "\x93NUMPY\x01\x00", 8);
  }
}

/* np.load on Synquant's archives: the small spec (compared with its JSON by numpy), the
 * golden archive, and a simulation recording. zipfile.testzip checks every CRC-32. */
static void
test_write_numpy (void)
{
  static const char script[] =
    "import json, sys, zipfile, numpy as np\n"
    "d, small = sys.argv[1], sys.argv[2]\n"
    "for f in ('spec.npz', 'golden.npz', 'sim.npz'):\n"
    "    with zipfile.ZipFile(d + '/' + f) as z:\n"
    "        assert z.testzip() is None, f\n"
    "spec = json.load(open(small))\n"
    "z = np.load(d + '/spec.npz')\n"
    "assert sorted(z.files) == sorted(spec), (z.files, list(spec))\n"
    "for k, v in spec.items():\n"
    "    a = z[k]\n"
    "    if k == 'aliases':\n"
    "        got = [[int(x) for x in row if x >= 0] for row in a]\n"
    "        assert got == v, k\n"
    "    elif isinstance(v, list):\n"
    "        assert a.dtype == np.float64 and a.shape == np.asarray(v).shape, k\n"
    "        assert (a == np.asarray(v)).all(), k\n"
    "    else:\n"
    "        assert a.shape == () and a == v, (k, a, v)\n"
    "assert z['dt'].dtype == np.float64 and z['weight_shift_in'].dtype == np.int64\n"
    "g = np.load(d + '/golden.npz')\n"
    "assert g['a'].dtype == np.dtype('<i2') and (g['a'] == [[-2, -1, 0], [1, 2, 3]]).all()\n"
    "assert g['s'].shape == () and g['s'] == 0.5\n"
    "s = np.load(d + '/sim.npz')\n"
    "assert sorted(s.files) == ['isyn_hidden', 'isyn_out', 'spikes_hidden', 'spikes_out',\n"
    "                           'vmem_hidden', 'vmem_out'], s.files\n"
    "assert s['spikes_out'].dtype == np.uint8 and s['vmem_hidden'].dtype == np.int16\n"
    "o = np.load(d + '/sim.npy')\n"
    "assert (o == s['spikes_out']).all()\n"
    "for k in s.files:\n"
    "    np.save(d + '/back-' + k + '.npy', s[k].astype(np.float64))\n";
  g_autoptr(SqXyloSpec) small = load_small_json ();
  const char *python = sq_test_python_with_numpy ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(SqXyloSim) sim = NULL;
  g_autoptr(SqSimResult) result = NULL;
  char *dir;
  SqQuantParams params;
  SqRaster raster;
  double rates[8] = { 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3 };
  int status;

  if (python == NULL)
    {
      g_test_skip ("python3-numpy is not installed");
      return;
    }
  dir = sq_test_tmpdir ();
  {
    g_autofree char *p = g_build_filename (dir, "spec.npz", NULL);
    g_assert_true (sq_xylo_spec_save_npz (small, p, &error));
    g_assert_no_error (error);
  }
  {
    g_autofree char *p = g_build_filename (dir, "golden.npz", NULL);
    g_autofree guint8 *b = NULL;
    gsize len;

    b = golden_archive (&len);
    g_assert_true (g_file_set_contents (p, (const char *) b, (gssize) len, &error));
  }

  sq_quant_params_init (&params);
  q = sq_quantize (small, &params, &error);
  g_assert_no_error (error);
  sim = sq_xylo_sim_new (q->spec, SQ_DEVICE_XYLO_AUDIO2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->n_in, ==, G_N_ELEMENTS (rates));
  g_assert_true (sq_raster_poisson (&raster, 50, small->n_in, rates, 7, &error));
  result = sq_xylo_sim_run (sim, &raster, TRUE, &error);
  g_assert_no_error (error);
  sq_raster_clear (&raster);
  {
    g_autofree char *p = g_build_filename (dir, "sim.npz", NULL);
    g_autofree char *p2 = g_build_filename (dir, "sim.npy", NULL);
    g_autofree guint8 *b = NULL, *b2 = NULL;
    gsize len, len2;

    b = sq_sim_result_to_npz (result, &len, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (p, (const char *) b, (gssize) len, &error));
    b2 = sq_sim_result_to_npy (result, &len2, &error);
    g_assert_true (g_file_set_contents (p2, (const char *) b2, (gssize) len2, &error));
  }

  {
    g_autofree char *script_path = g_build_filename (dir, "check.py", NULL);
    const char *argv[] = { python, script_path, dir, g_getenv ("SQ_EXAMPLE_SMALL"), NULL };
    g_autofree char *err = NULL;

    g_assert_true (g_file_set_contents (script_path, script, -1, &error));
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, &err, &status, &error));
    g_assert_no_error (error);
    if (status != 0)
      g_error ("numpy check failed: %s", err);
  }

  /* numpy's float64 copies of the recording hold Synquant's values. */
  for (guint a = 0; a < 6; a++)
    {
      static const char *names[] = { "spikes_out", "spikes_hidden", "vmem_hidden",
                                     "isyn_hidden", "vmem_out", "isyn_out" };
      g_autofree char *file = g_strdup_printf ("back-%s.npy", names[a]);
      g_autofree char *p = g_build_filename (dir, file, NULL);
      SqTensor got, want;

      g_assert_true (sq_npy_load (p, &got, NULL, &error));
      g_assert_no_error (error);
      if (a < 2)
        g_assert_true (sq_sim_result_get_spikes (result, a == 1, &want, &error));
      else
        g_assert_true (sq_sim_result_get_trace (result, (SqTrace) (a - 2), &want, &error));
      g_assert_cmpuint (got.rank, ==, want.rank);
      g_assert_cmpuint (got.n, ==, want.n);
      for (guint d = 0; d < got.rank; d++)
        g_assert_cmpuint (got.shape[d], ==, want.shape[d]);
      for (gsize i = 0; i < got.n; i++)
        g_assert_cmpfloat (got.data[i], ==, want.data[i]);
      sq_tensor_clear (&got);
      sq_tensor_clear (&want);
    }
  remove_dir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Broken archives                                                                           */

/* Opens and extracts every member; FALSE with @error at the first failure. */
static gboolean
read_all (const guint8 *data,
          gsize         length,
          GError      **error)
{
  g_autoptr(SqNpzReader) r = sq_npz_reader_new (data, length, "t.npz", error);

  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < sq_npz_reader_get_n_members (r); i++)
    {
      SqTensor t;

      if (!sq_npz_reader_read_tensor (r, i, &t, NULL, error))
        return FALSE;
      sq_tensor_clear (&t);
    }
  return TRUE;
}

static void
check_truncations (const guint8 *data,
                   gsize         length)
{
  g_assert_true (read_all (data, length, NULL));
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      /* A copy of exactly @cut bytes, so the sanitizers see any read past it. */
      g_autofree guint8 *copy = g_memdup2 (data, cut);

      g_assert_false (read_all (copy, cut, &error));
      /* Nothing, or not even the start of a ZIP signature: not an archive; otherwise the end
       * record is missing. */
      int want = cut == 0 ? SQ_NPY_ERROR_FORMAT : SQ_NPY_ERROR_TRUNCATED;

      g_assert_error (error, SQ_NPY_ERROR, want);
      g_assert_true (g_str_has_prefix (error->message, "t.npz: "));
    }
}

static void
test_truncated_archive (void)
{
  g_autofree guint8 *golden = NULL;
  g_autoptr(GBytes) deflated = read_data_file ("dtypes-compressed.npz");
  gsize length;
  const guint8 *d;

  golden = golden_archive (&length);
  check_truncations (golden, length);
  d = g_bytes_get_data (deflated, &length);
  check_truncations (d, length);
}

/* An archive whose one member is an .npy cut at every length: the archive is sound, the
 * .npy reader reports the cut. */
static void
test_truncated_member (void)
{
  g_autofree guint8 *npy = NULL;
  gsize npy_len;
  gint16 v[6] = { -2, -1, 0, 1, 2, 3 };

  npy = sq_npy_write_array (SQ_NPY_INT16, 2, (gsize[]) { 2, 3 }, v, &npy_len);
  for (gsize cut = 0; cut < npy_len; cut++)
    {
      g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *npz = NULL;
      gsize len;

      g_assert_true (sq_npz_writer_add_npy (w, "a", npy, cut, &error));
      npz = sq_npz_writer_finish (w, &len, &error);
      g_assert_false (read_all (npz, len, &error));
      int want = cut == 0 ? SQ_NPY_ERROR_FORMAT : SQ_NPY_ERROR_TRUNCATED;

      g_assert_error (error, SQ_NPY_ERROR, want);
      g_assert_true (g_str_has_prefix (error->message, "t.npz: a.npy: "));
    }
}

static void
expect_corrupt (const guint8 *data,
                gsize         length,
                gsize         at,
                guint8        value,
                int           code)
{
  g_autofree guint8 *copy = g_memdup2 (data, length);
  g_autoptr(GError) error = NULL;

  copy[at] = value;
  if (read_all (copy, length, &error))
    g_error ("byte %" G_GSIZE_FORMAT " set to 0x%02x: the archive still reads", at, value);
  g_assert_error (error, SQ_NPY_ERROR, code);
}

static void
test_corrupt (void)
{
  g_autofree guint8 *g = NULL;
  gsize n;
  /* Layout of the golden archive (see test_write_golden): member a's local header at 0,
   * its data at 35; member s's local header at 175, its data at 210; the central directory
   * at 346 (entries of 51 bytes); the end record at 448. */
  const gsize cd = 346, end_rec = 346 + 102;

  g = golden_archive (&n);
  g_assert_cmpuint (end_rec + 22, ==, n);

  expect_corrupt (g, n, 0, 'X', SQ_NPY_ERROR_FORMAT);                 /* "XK\3\4" */
  expect_corrupt (g, n, 40, 0xFF, SQ_NPY_ERROR_CHECKSUM);             /* a's data */
  expect_corrupt (g, n, 340, 0x11, SQ_NPY_ERROR_CHECKSUM);            /* s's data */
  expect_corrupt (g, n, 175, 'X', SQ_NPY_ERROR_ARCHIVE);              /* s's local sig */
  expect_corrupt (g, n, 175 + 26, 9, SQ_NPY_ERROR_ARCHIVE);           /* local name length */
  expect_corrupt (g, n, 175 + 30, 't', SQ_NPY_ERROR_ARCHIVE);         /* local name */
  expect_corrupt (g, n, cd, 'X', SQ_NPY_ERROR_ARCHIVE);               /* central sig */
  expect_corrupt (g, n, cd + 10, 14, SQ_NPY_ERROR_ARCHIVE);           /* method LZMA */
  expect_corrupt (g, n, cd + 8, 1, SQ_NPY_ERROR_ARCHIVE);             /* encrypted */
  expect_corrupt (g, n, cd + 16, 0x5A, SQ_NPY_ERROR_CHECKSUM);        /* CRC */
  expect_corrupt (g, n, cd + 20, 0x4D, SQ_NPY_ERROR_ARCHIVE);         /* compressed size */
  expect_corrupt (g, n, cd + 24, 0x4D, SQ_NPY_ERROR_ARCHIVE);         /* size, stored */
  expect_corrupt (g, n, cd + 28, 0xF0, SQ_NPY_ERROR_ARCHIVE);         /* name length */
  expect_corrupt (g, n, cd + 42, 1, SQ_NPY_ERROR_ARCHIVE);            /* local offset */
  expect_corrupt (g, n, cd + 51 + 42, 0xFF, SQ_NPY_ERROR_ARCHIVE);    /* s's offset */
  expect_corrupt (g, n, end_rec, 'X', SQ_NPY_ERROR_TRUNCATED);        /* end sig */
  expect_corrupt (g, n, end_rec + 4, 1, SQ_NPY_ERROR_ARCHIVE);        /* disk number */
  expect_corrupt (g, n, end_rec + 10, 3, SQ_NPY_ERROR_ARCHIVE);       /* entries */
  expect_corrupt (g, n, end_rec + 12, 0x67, SQ_NPY_ERROR_ARCHIVE);    /* directory size */
  expect_corrupt (g, n, end_rec + 16, 0x59, SQ_NPY_ERROR_ARCHIVE);    /* directory offset */
  expect_corrupt (g, n, end_rec + 20, 1, SQ_NPY_ERROR_TRUNCATED);     /* comment length */
  expect_corrupt (g, n, 35 + 10, 'x', SQ_NPY_ERROR_CHECKSUM);         /* a's .npy header */

  /* ZIP64 end records and the 0xFFFF member count are refused by name. */
  {
    g_autofree guint8 *copy = g_memdup2 (g, n);
    g_autoptr(GError) error = NULL;

    memset (copy + end_rec + 16, 0xFF, 4);
    g_assert_false (read_all (copy, n, &error));
    g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE);
    g_assert_nonnull (strstr (error->message, "ZIP64"));
  }
  /* A size of 0xFFFFFFFF without the ZIP64 field that should give it. */
  {
    g_autofree guint8 *copy = g_memdup2 (g, n);
    g_autoptr(GError) error = NULL;

    memset (copy + cd + 20, 0xFF, 8);
    g_assert_false (read_all (copy, n, &error));
    g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE);
    g_assert_nonnull (strstr (error->message, "t.npz: a.npy: a size is 0xFFFFFFFF"));
  }
}

static void
put_le (GByteArray *b,
        guint64     v,
        guint       size)
{
  for (guint i = 0; i < size; i++)
    g_byte_array_append (b, (guint8[]) { (guint8) (v >> (8 * i)) }, 1);
}

/* One stored member "a.npy" whose central entry gives its sizes and offset in a ZIP64 extra
 * field (after an unrelated extra field), as writers do for large members; the local header
 * carries a ZIP64 field too, as np.savez writes it. */
static void
test_zip64_fields (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autofree guint8 *npy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNpzReader) r = NULL;
  gint16 v[3] = { 7, -8, 9 };
  gsize npy_len, cd;
  guint32 crc;
  SqTensor t;

  npy = sq_npy_write_array (SQ_NPY_INT16, 1, (gsize[]) { 3 }, v, &npy_len);
  crc = sq_crc32 (0, npy, npy_len);

  put_le (b, 0x04034b50, 4);
  put_le (b, 45, 2);
  put_le (b, 0, 2);
  put_le (b, 0, 2);
  put_le (b, 0, 4);                   /* time, date */
  put_le (b, crc, 4);
  put_le (b, 0xFFFFFFFF, 4);
  put_le (b, 0xFFFFFFFF, 4);
  put_le (b, 5, 2);
  put_le (b, 20, 2);
  g_byte_array_append (b, (const guint8 *) "a.npy", 5);
  put_le (b, 1, 2);
  put_le (b, 16, 2);
  put_le (b, npy_len, 8);
  put_le (b, npy_len, 8);
  g_byte_array_append (b, npy, (guint) npy_len);

  cd = b->len;
  put_le (b, 0x02014b50, 4);
  put_le (b, 45, 2);
  put_le (b, 45, 2);
  put_le (b, 0, 2);
  put_le (b, 0, 2);
  put_le (b, 0, 4);
  put_le (b, crc, 4);
  put_le (b, 0xFFFFFFFF, 4);          /* compressed size */
  put_le (b, 0xFFFFFFFF, 4);          /* size */
  put_le (b, 5, 2);
  put_le (b, 4 + 2 + 4 + 24, 2);      /* extra: a 2-byte field, then ZIP64 */
  put_le (b, 0, 2);
  put_le (b, 0, 2);
  put_le (b, 0, 2);
  put_le (b, 0, 4);
  put_le (b, 0xFFFFFFFF, 4);          /* local header offset */
  g_byte_array_append (b, (const guint8 *) "a.npy", 5);
  put_le (b, 0x5455, 2);
  put_le (b, 2, 2);
  put_le (b, 0, 2);
  put_le (b, 1, 2);
  put_le (b, 24, 2);
  put_le (b, npy_len, 8);             /* size, compressed size, offset: the format's order */
  put_le (b, npy_len, 8);
  put_le (b, 0, 8);

  put_le (b, 0x06054b50, 4);
  put_le (b, 0, 4);
  put_le (b, 1, 2);
  put_le (b, 1, 2);
  put_le (b, b->len - 12 - cd, 4);
  put_le (b, cd, 4);
  put_le (b, 0, 2);

  r = sq_npz_reader_new (b->data, b->len, "z64.npz", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sq_npz_reader_get_size (r, 0), ==, npy_len);
  g_assert_true (sq_npz_reader_read_tensor (r, 0, &t, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (t.n, ==, 3);
  g_assert_cmpfloat (t.data[0], ==, 7.0);
  g_assert_cmpfloat (t.data[1], ==, -8.0);
  g_assert_cmpfloat (t.data[2], ==, 9.0);
  sq_tensor_clear (&t);
  g_clear_pointer (&r, sq_npz_reader_free);

  /* The ZIP64 field cut to 16 bytes: the offset it should give is missing. */
  b->data[cd + 30] = 4 + 2 + 4 + 16;
  b->data[cd + 46 + 5 + 6 + 2] = 16;
  memmove (b->data + cd + 46 + 5 + 6 + 4 + 16, b->data + cd + 46 + 5 + 6 + 4 + 24,
           b->len - (cd + 46 + 5 + 6 + 4 + 24));
  g_byte_array_set_size (b, b->len - 8);
  b->data[b->len - 10] -= 8;          /* directory size */
  r = sq_npz_reader_new (b->data, b->len, "z64.npz", &error);
  g_assert_null (r);
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE);
  g_assert_nonnull (strstr (error->message, "z64.npz: a.npy: the ZIP64 extra field is too short"));
}

/* Every byte of an archive flipped in turn: each is read, or refused with an error of the
 * .npy or tensor domain; never a crash, a hang or a read outside the buffer. */
static void
sweep (const guint8 *data,
       gsize         length,
       guint         stride)
{
  guint refused = 0;

  for (gsize at = 0; at < length; at += stride)
    {
      g_autofree guint8 *copy = g_memdup2 (data, length);
      g_autoptr(GError) error = NULL;

      copy[at] ^= 0xFF;
      if (read_all (copy, length, &error))
        continue;
      refused++;
      g_assert_true (error->domain == SQ_NPY_ERROR || error->domain == SQ_TENSOR_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "t.npz: "));
    }
  /* Most bytes matter: every data byte is under a CRC. */
  g_assert_cmpuint (refused, >, length / stride / 2);
}

static void
test_corrupt_sweep (void)
{
  g_autofree guint8 *g = NULL;
  g_autoptr(GBytes) deflated = read_data_file ("dtypes-compressed.npz");
  gsize n;
  const guint8 *d;

  g = golden_archive (&n);
  sweep (g, n, 1);
  d = g_bytes_get_data (deflated, &n);
  sweep (d, n, 1);
}

/* A deflated member whose directory claims 2 GiB: refused before anything is allocated. */
static void
test_forged_size (void)
{
  g_autoptr(GBytes) deflated = read_data_file ("dtypes-compressed.npz");
  gsize n;
  const guint8 *d = g_bytes_get_data (deflated, &n);
  g_autofree guint8 *copy = g_memdup2 (d, n);
  g_autoptr(GError) error = NULL;
  gsize cd;

  /* The first central entry starts at the end record's directory offset. */
  cd = (gsize) copy[n - 6] | (gsize) copy[n - 5] << 8 | (gsize) copy[n - 4] << 16;
  g_assert_cmpmem (copy + cd, 4, "PK\x01\x02", 4);
  g_assert_cmpuint (copy[cd + 10], ==, 8);
  memcpy (copy + cd + 24, "\x00\x00\x00\x80", 4);
  g_assert_false (read_all (copy, n, &error));
  g_assert_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE);

  /* One byte less than the data inflates to. */
  memcpy (copy, d, n);
  copy[cd + 24]--;
  g_clear_error (&error);
  g_assert_false (read_all (copy, n, &error));
  g_assert_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE);
  g_assert_nonnull (strstr (error->message, "inflates to more than"));
}

/* ---------------------------------------------------------------------------------------- */
/* Deflate bombs (issue 15): an archive's cost is known from its directory and the members'
 * .npy headers before anything is inflated. */

typedef struct {
  const char *name;
  GBytes     *deflated;   /* raw deflate */
  guint32     crc;        /* of what it inflates to */
  gsize       usize;      /* what the directory says it inflates to */
} BombMember;

/* A .npy header for @shape of '<f8' followed by @zeros zero bytes, deflated in pieces so
 * the test itself never holds the inflated bytes. */
static GBytes *
deflate_npy (guint        rank,
             const gsize *shape,
             gsize        zeros,
             guint32     *crc,
             gsize       *usize)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GString) header = g_string_new ("{'descr': '<f8', 'fortran_order': False, "
                                            "'shape': (");
  g_autofree guint8 *zero = g_malloc0 (1 << 20);
  g_autofree guint8 *npy = NULL;
  gsize left = zeros, npy_len, pad;

  for (guint d = 0; d < rank; d++)
    g_string_append_printf (header, "%zu,%s", shape[d], d + 1 < rank ? " " : "");
  g_string_append (header, "), }");
  pad = 64 - (10 + header->len + 1) % 64;
  for (gsize i = 0; i < pad % 64; i++)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  npy_len = 10 + header->len;
  npy = g_malloc (npy_len);
  memcpy (npy, "\x93NUMPY\x01\x00", 8);
  npy[8] = (guint8) (header->len & 0xFF);
  npy[9] = (guint8) (header->len >> 8);
  memcpy (npy + 10, header->str, header->len);
  *crc = sq_crc32 (0, npy, npy_len);
  *usize = npy_len + zeros;

  for (gboolean first = TRUE;; first = FALSE)
    {
      const guint8 *in = first ? npy : zero;
      gsize in_len = first ? npy_len : MIN (left, (gsize) 1 << 20), done = 0;
      GConverterFlags flags = !first && in_len == left ? G_CONVERTER_INPUT_AT_END : 0;

      if (!first)
        {
          *crc = sq_crc32 (*crc, zero, in_len);
          left -= in_len;
        }
      else if (zeros == 0)
        flags = G_CONVERTER_INPUT_AT_END;
      for (;;)
        {
          guint8 buf[65536];
          gsize n_read = 0, n_written = 0;
          GConverterResult res;

          res = g_converter_convert (G_CONVERTER (z), in + done, in_len - done, buf, sizeof buf,
                                     flags, &n_read, &n_written, NULL);
          g_assert_cmpint (res, !=, G_CONVERTER_ERROR);
          done += n_read;
          g_byte_array_append (out, buf, (guint) n_written);
          if (res == G_CONVERTER_FINISHED || (done == in_len && n_written < sizeof buf &&
                                              !(flags & G_CONVERTER_INPUT_AT_END)))
            break;
        }
      if (flags & G_CONVERTER_INPUT_AT_END)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
bomb_member (BombMember  *m,
             const char  *name,
             guint        rank,
             const gsize *shape,
             gsize        zeros)
{
  m->name = name;
  m->deflated = deflate_npy (rank, shape, zeros, &m->crc, &m->usize);
}

static guint8 *
bomb_archive (BombMember *members,
              guint       n,
              gsize      *length)
{
  GByteArray *b = g_byte_array_new ();
  g_autofree gsize *offsets = g_new (gsize, n);
  gsize cd;

  for (guint i = 0; i < n; i++)
    {
      gsize clen;
      const guint8 *c = g_bytes_get_data (members[i].deflated, &clen);

      offsets[i] = b->len;
      put_le (b, 0x04034b50, 4);
      put_le (b, 20, 2);
      put_le (b, 0, 2);
      put_le (b, 8, 2);
      put_le (b, 0, 4);
      put_le (b, members[i].crc, 4);
      put_le (b, clen, 4);
      put_le (b, members[i].usize, 4);
      put_le (b, strlen (members[i].name), 2);
      put_le (b, 0, 2);
      g_byte_array_append (b, (const guint8 *) members[i].name,
                           (guint) strlen (members[i].name));
      g_byte_array_append (b, c, (guint) clen);
    }
  cd = b->len;
  for (guint i = 0; i < n; i++)
    {
      put_le (b, 0x02014b50, 4);
      put_le (b, 20, 2);
      put_le (b, 20, 2);
      put_le (b, 0, 2);
      put_le (b, 8, 2);
      put_le (b, 0, 4);
      put_le (b, members[i].crc, 4);
      put_le (b, g_bytes_get_size (members[i].deflated), 4);
      put_le (b, members[i].usize, 4);
      put_le (b, strlen (members[i].name), 2);
      put_le (b, 0, 2);
      put_le (b, 0, 2);
      put_le (b, 0, 2);
      put_le (b, 0, 2);
      put_le (b, 0, 4);
      put_le (b, offsets[i], 4);
      g_byte_array_append (b, (const guint8 *) members[i].name,
                           (guint) strlen (members[i].name));
    }
  put_le (b, 0x06054b50, 4);
  put_le (b, 0, 4);
  put_le (b, n, 2);
  put_le (b, n, 2);
  put_le (b, b->len - 12 - cd, 4);
  put_le (b, cd, 4);
  put_le (b, 0, 2);
  for (guint i = 0; i < n; i++)
    g_bytes_unref (members[i].deflated);
  *length = b->len;
  return g_byte_array_free (b, FALSE);
}

/* The process's peak resident memory in KiB. */
static gsize
peak_kib (void)
{
  g_autofree char *status = NULL;
  const char *hwm;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  hwm = strstr (status, "VmHWM:");
  g_assert_nonnull (hwm);
  return (gsize) g_ascii_strtoull (hwm + 6, NULL, 10);
}

/* Loads @npz as a Xylo specification: it fails with @code and @message, having used at most
 * 64 MiB more memory than the process had used before (the members inflate to 128 MiB and
 * more, or declare GiBs). */
static void
expect_cheap_failure (const guint8 *npz,
                      gsize         length,
                      GQuark        domain,
                      int           code,
                      const char   *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  gsize before = peak_kib ();

  spec = sq_xylo_spec_load_npz_data (npz, length, "bomb.npz", &error);
  g_assert_null (spec);
  g_assert_error (error, domain, code);
  if (strstr (error->message, message) == NULL)
    g_error ("expected “%s” in “%s”", message, error->message);
  g_assert_cmpuint (peak_kib () - before, <, 64 * 1024);
}

/* The required keys but weights_in, as small '<f8' arrays. */
static guint
small_required (BombMember *m)
{
  static const char *const names[] = {
    "weights_rec.npy", "weights_out.npy", "threshold.npy", "threshold_out.npy",
    "dash_mem.npy", "dash_syn.npy", "dash_mem_out.npy", "dash_syn_out.npy",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    bomb_member (&m[i], names[i], 1, (gsize[]) { 2 }, 16);
  return G_N_ELEMENTS (names);
}

static void
test_bomb_inflates_more (void)
{
  BombMember m[9];
  guint n = small_required (m);
  g_autofree guint8 *npz = NULL;
  gsize length;

  /* (2, 2) declared; 128 MiB more zeros follow in the deflated data */
  bomb_member (&m[n], "weights_in.npy", 2, (gsize[]) { 2, 2 }, 32);
  {
    gsize usize = m[n].usize;
    g_bytes_unref (m[n].deflated);
    m[n].deflated = deflate_npy (2, (gsize[]) { 2, 2 }, (gsize) 128 << 20, &m[n].crc,
                                 &m[n].usize);
    m[n].usize = usize;
  }
  npz = bomb_archive (m, n + 1, &length);
  g_assert_cmpuint (length, <, 1 << 20);
  expect_cheap_failure (npz, length, SQ_NPY_ERROR, SQ_NPY_ERROR_ARCHIVE,
                        "bomb.npz: weights_in.npy: the member inflates to more than the 160 "
                        "bytes the directory gives");
}

static void
test_bomb_unneeded (void)
{
  BombMember m[2];
  g_autofree guint8 *npz = NULL;
  gsize length;

  /* 128 MiB each: one the loader does not read, one it would; keys are missing */
  bomb_member (&m[0], "junk.npy", 1, (gsize[]) { 16 << 20 }, (gsize) 128 << 20);
  bomb_member (&m[1], "weights_in.npy", 2, (gsize[]) { 2 << 20, 8 }, (gsize) 128 << 20);
  npz = bomb_archive (m, 2, &length);
  g_assert_cmpuint (length, <, 2 << 20);
  expect_cheap_failure (npz, length, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                        "bomb.npz: missing keys weights_rec, weights_out");
}

static void
test_bomb_huge_header (void)
{
  BombMember m[10];
  guint n = small_required (m);
  g_autofree guint8 *npz = NULL;
  gsize length;

  /* 2^40 values declared, 16 bytes of data */
  bomb_member (&m[n], "weights_in.npy", 2, (gsize[]) { 1 << 20, 1 << 20 }, 16);
  npz = bomb_archive (m, n + 1, &length);
  expect_cheap_failure (npz, length, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                        "bomb.npz: weights_in.npy: ");
  g_free (g_steal_pointer (&npz));

  /* 2^26 values each, as the directory says, but 2^27 together: the data is never
   * inflated, so it need not be there */
  n = small_required (m);
  bomb_member (&m[n], "weights_in.npy", 2, (gsize[]) { 1 << 13, 1 << 13 }, 0);
  bomb_member (&m[n + 1], "aliases.npy", 2, (gsize[]) { 1 << 13, 1 << 13 }, 0);
  m[n].usize += (gsize) 8 << 26;
  m[n + 1].usize += (gsize) 8 << 26;
  npz = bomb_archive (m, n + 2, &length);
  expect_cheap_failure (npz, length, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                        "bomb.npz: the arrays hold more than 134217728 values together");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/npz/crc32", test_crc32);
  g_test_add_func ("/npz/read/dtypes-stored", test_read_dtypes_stored);
  g_test_add_func ("/npz/read/dtypes-deflated", test_read_dtypes_deflated);
  g_test_add_func ("/npz/spec/numpy", test_spec_numpy);
  g_test_add_func ("/npz/spec/pickled", test_spec_pickled);
  g_test_add_func ("/npz/spec/round-trip", test_spec_round_trip);
  g_test_add_func ("/npz/spec/aliases-empty", test_spec_aliases_empty);
  g_test_add_func ("/npz/spec/errors", test_spec_errors);
  g_test_add_func ("/npz/spec/warnings", test_spec_warnings);
  g_test_add_func ("/npz/spec/load-file", test_spec_load_file);
  g_test_add_func ("/npz/spec/progress-cancel", test_spec_progress_cancel);
  g_test_add_func ("/npz/write/golden", test_write_golden);
  g_test_add_func ("/npz/write/numpy", test_write_numpy);
  g_test_add_func ("/npz/broken/truncated-archive", test_truncated_archive);
  g_test_add_func ("/npz/broken/truncated-member", test_truncated_member);
  g_test_add_func ("/npz/broken/corrupt", test_corrupt);
  g_test_add_func ("/npz/read/zip64-fields", test_zip64_fields);
  g_test_add_func ("/npz/broken/sweep", test_corrupt_sweep);
  g_test_add_func ("/npz/broken/forged-size", test_forged_size);
  g_test_add_func ("/npz/bomb/inflates-more", test_bomb_inflates_more);
  g_test_add_func ("/npz/bomb/unneeded", test_bomb_unneeded);
  g_test_add_func ("/npz/bomb/huge-header", test_bomb_huge_header);

  return g_test_run ();
}
