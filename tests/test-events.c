/* test-events.c: events files — tonic's structured .npy (fields in any order, any integer
 * types, padding, big-endian), (N, 4) arrays in both memory orders, CSV with its header — the
 * stable time sort, every refusal with its record, and the counts in time steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

/* A .npy 1.0 file: the header dict padded to 64 bytes, then @body. */
static GBytes *
npy (const char *descr,
     const char *shape,
     gboolean    fortran,
     const void *body,
     gsize       body_len)
{
  g_autoptr(GString) h = g_string_new (NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 len[2];

  g_string_printf (h, "{'descr': %s, 'fortran_order': %s, 'shape': %s, }", descr,
                   fortran ? "True" : "False", shape);
  while ((10 + h->len + 1) % 64 != 0)
    g_string_append_c (h, ' ');
  g_string_append_c (h, '\n');
  len[0] = (guint8) (h->len & 0xff);
  len[1] = (guint8) (h->len >> 8);
  g_byte_array_append (out, (const guint8 *) "\x93NUMPY\x01\x00", 8);
  g_byte_array_append (out, len, 2);
  g_byte_array_append (out, (const guint8 *) h->str, (guint) h->len);
  g_byte_array_append (out, body, (guint) body_len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
put (guint8  *p,
     guint64  v,
     guint    size,
     gboolean big)
{
  for (guint i = 0; i < size; i++)
    p[big ? size - 1 - i : i] = (guint8) (v >> (8 * i));
}

static gboolean
read_bytes (GBytes      *bytes,
            const char  *name,
            SqEventList *list,
            GError     **error)
{
  gsize n;
  const guint8 *data = g_bytes_get_data (bytes, &n);

  return sq_events_read (data, n, name, list, error);
}

/* (x, y, p, t) of four records; in time order they are 1, 2, 3, 0 (1 and 2 share t = 5). */
static const gint64 recs[4][4] = { { 3, 4, 1, 20 }, { 0, 0, 0, 5 }, { 7, 2, 1, 5 },
                                   { 1, 1, 0, 9 } };

static void
assert_sorted_recs (const SqEventList *list)
{
  const guint order[4] = { 1, 2, 3, 0 };

  g_assert_cmpuint (list->n, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const SqEvent *e = &list->events[i];
      const gint64 *r = recs[order[i]];

      g_assert_cmpuint (e->record, ==, order[i]);
      g_assert_cmpint (e->t, ==, r[3]);
      g_assert_cmpuint (e->x, ==, r[0]);
      g_assert_cmpuint (e->y, ==, r[1]);
      g_assert_cmpuint (e->c, ==, r[2]);
    }
}

/* tonic's dtype: x, y int16, p bool, t int64, packed. */
static void
test_tonic (void)
{
  guint8 body[4 * 13];
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GError) error = NULL;
  SqEventList list;

  for (guint i = 0; i < 4; i++)
    {
      put (body + 13 * i, (guint64) recs[i][0], 2, FALSE);
      put (body + 13 * i + 2, (guint64) recs[i][1], 2, FALSE);
      put (body + 13 * i + 4, (guint64) recs[i][2], 1, FALSE);
      put (body + 13 * i + 5, (guint64) recs[i][3], 8, FALSE);
    }
  b = npy ("[('x', '<i2'), ('y', '<i2'), ('p', '|b1'), ('t', '<i8')]", "(4,)", FALSE, body,
           sizeof body);
  g_assert_true (read_bytes (b, "ev.npy", &list, &error));
  g_assert_no_error (error);
  assert_sorted_recs (&list);
  sq_event_list_clear (&list);
}

/* Another order, big-endian unsigned types, numpy's padding field and an extra field. */
static void
test_padded (void)
{
  guint8 body[4 * 12];
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GError) error = NULL;
  SqEventList list;

  memset (body, 0xee, sizeof body);
  for (guint i = 0; i < 4; i++)
    {
      put (body + 12 * i, (guint64) recs[i][3], 4, TRUE);
      put (body + 12 * i + 6, (guint64) recs[i][2], 1, TRUE);
      put (body + 12 * i + 7, (guint64) recs[i][1], 2, TRUE);
      put (body + 12 * i + 9, (guint64) recs[i][0], 2, TRUE);
    }
  b = npy ("[('t', '>u4'), ('', '|V2'), ('p', 'u1'), ('y', '>u2'), ('x', '>u2'), "
           "('label', '|i1')]", "(4,)", FALSE, body, sizeof body);
  g_assert_true (read_bytes (b, "ev.npy", &list, &error));
  g_assert_no_error (error);
  assert_sorted_recs (&list);
  sq_event_list_clear (&list);
}

/* (N, 4) columns t, x, y, p, in C order (int32) and in Fortran order (int64). */
static void
test_columns (void)
{
  guint8 c_body[16 * 4], f_body[16 * 8];
  g_autoptr(GBytes) c = NULL;
  g_autoptr(GBytes) f = NULL;
  g_autoptr(GError) error = NULL;
  const guint col[4] = { 3, 0, 1, 2 };   /* t, x, y, p from the (x, y, p, t) table */
  SqEventList list;

  for (guint i = 0; i < 4; i++)
    for (guint k = 0; k < 4; k++)
      {
        put (c_body + 4 * (4 * i + k), (guint64) recs[i][col[k]], 4, FALSE);
        put (f_body + 8 * (4 * k + i), (guint64) recs[i][col[k]], 8, FALSE);
      }
  c = npy ("'<i4'", "(4, 4)", FALSE, c_body, sizeof c_body);
  f = npy ("'<i8'", "(4, 4)", TRUE, f_body, sizeof f_body);
  g_assert_true (read_bytes (c, "ev.npy", &list, &error));
  g_assert_no_error (error);
  assert_sorted_recs (&list);
  sq_event_list_clear (&list);
  g_assert_true (read_bytes (f, "ev.npy", &list, &error));
  g_assert_no_error (error);
  assert_sorted_recs (&list);
  sq_event_list_clear (&list);
}

static void
test_csv (void)
{
  const char *text = "\xef\xbb\xbfP, t, x, y, note\r\n1,20,3,4,a\r\n0, 5, 0, 0,b\n"
                     "1,5,7,2,\n0,9,1,1,c\n\n";
  g_autoptr(GError) error = NULL;
  SqEventList list;

  g_assert_true (sq_events_read ((const guint8 *) text, strlen (text), "ev.csv", &list,
                                 &error));
  g_assert_no_error (error);
  assert_sorted_recs (&list);
  sq_event_list_clear (&list);
}

static void
expect_csv_error (const char *text,
                  const char *message)
{
  g_autoptr(GError) error = NULL;
  SqEventList list;

  g_assert_false (sq_events_read ((const guint8 *) text, strlen (text), "ev.csv", &list,
                                  &error));
  g_assert_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (list.events);
}

static void
expect_npy_error (const char *descr,
                  const char *shape,
                  const void *body,
                  gsize       len,
                  GQuark      domain,
                  int         code,
                  const char *message)
{
  g_autoptr(GBytes) b = npy (descr, shape, FALSE, body, len);
  g_autoptr(GError) error = NULL;
  SqEventList list;

  g_assert_false (read_bytes (b, "ev.npy", &list, &error));
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (list.events);
}

static void
test_refused (void)
{
  const gint32 neg_t[8] = { 0, 1, 1, 0,  -5, 1, 1, 1 };
  const gint32 bad_p[8] = { 0, 1, 1, 0,  3, 1, 1, 2 };
  const gint32 neg_x[4] = { 0, -1, 1, 0 };
  const guint8 zeros[32] = { 0, };
  guint8 big_u8[8 * 4];
  GQuark dyn = SQ_DYNAPCNN_ERROR;

  expect_npy_error ("'<i4'", "(2, 4)", neg_t, sizeof neg_t, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: events[1]: t is -5: expected a time from 0 to 4398046511103 µs");
  expect_npy_error ("'<i4'", "(2, 4)", bad_p, sizeof bad_p, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: events[1]: p is 2: expected a polarity of 0 or 1");
  expect_npy_error ("'<i4'", "(1, 4)", neg_x, sizeof neg_x, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: events[0]: x is -1: expected a pixel from 0 to 65535");
  expect_npy_error ("'<i4'", "(2, 3)", zeros, 24, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: the array has shape (2, 3); expected (N, 4) with the columns t, "
                    "x, y, p, or records with fields t, x, y and p");
  expect_npy_error ("'<f4'", "(1, 4)", zeros, 16, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: the array holds floating-point numbers; expected integers");
  expect_npy_error ("[('t', '<i8'), ('x', '<i2'), ('y', '<i2')]", "(1,)", zeros, 12, dyn,
                    SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: the records have no field 'p'; expected fields t, x, y and p");
  expect_npy_error ("[('t', '<f8'), ('x', '<i2'), ('y', '<i2'), ('p', '|u1')]", "(1,)", zeros,
                    13, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: field 't' holds floating-point numbers; expected integers");
  expect_npy_error ("[('t', '<i8', (2,)), ('x', '<i2')]", "(1,)", zeros, 18, SQ_NPY_ERROR,
                    SQ_NPY_ERROR_DTYPE,
                    "ev.npy: field 't' is a sub-array or has a title; expected a number");
  expect_npy_error ("[('t', '<i8'), ('t', '<i2')]", "(1,)", zeros, 10, SQ_NPY_ERROR,
                    SQ_NPY_ERROR_FORMAT, "ev.npy: .npy header: field 't' appears twice");
  expect_npy_error ("[('t', '<i8'), ('x', '<i2'), ('y', '<i2'), ('p', '|u1')]", "(2,)", zeros,
                    13, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
                    "ev.npy: the file ends inside the array data (13 of 26 bytes)");
  expect_npy_error ("[('t', '<i8'), ('x', '<i2'), ('y', '<i2'), ('p', '|u1')]", "(1, 1)",
                    zeros, 13, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: the event records must be a one-dimensional array, not "
                    "2-dimensional");
  memset (big_u8, 0xff, sizeof big_u8);
  expect_npy_error ("'<u8'", "(1, 4)", big_u8, sizeof big_u8, dyn, SQ_DYNAPCNN_ERROR_INVALID,
                    "ev.npy: events[0]: t is beyond the 64-bit integers");

  expect_csv_error ("", "ev.csv: the file is empty; expected a header line naming the "
                    "columns t, x, y and p");
  expect_csv_error ("t,x,y\n", "ev.csv:1: the header names no column 'p'; expected a header "
                    "line naming the columns t, x, y and p");
  expect_csv_error ("t,x,y,p,T\n", "ev.csv:1: the column 't' appears twice");
  expect_csv_error ("t,x,y,p\n0,1,1,0\n5,1,1.5,0\n",
                    "ev.csv:3: events[1]: y is '1.5': expected an integer");
  expect_csv_error ("t,x,y,p\n0,1,1\n", "ev.csv:2: events[0]: 3 columns; the header names 4");
  expect_csv_error ("t,x,y,p\n0,1,1,0,9\n",
                    "ev.csv:2: events[0]: more columns than the header names (4)");
  expect_csv_error ("t,x,y,p\n0,1,1,0\n1,1,1,-1\n",
                    "ev.csv: events[1]: p is -1: expected a polarity of 0 or 1");
}

/* Steps of 10 µs over recs: t 5, 5, 9 in step 0, t 20 in step 2. */
static void
test_bin (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "t,x,y,p\n20,3,4,1\n5,0,0,0\n5,7,2,1\n9,1,1,0\n";
  const gsize both[3] = { 2, 5, 8 }, merged[3] = { 1, 5, 8 }, small[3] = { 2, 4, 4 };
  SqEventList list;
  SqTensor counts;

  g_assert_true (sq_events_read ((const guint8 *) text, strlen (text), "ev.csv", &list,
                                 &error));
  g_assert_cmpuint (sq_event_list_n_steps (&list, 10), ==, 3);
  g_assert_true (sq_events_bin (&list, 10, 0, both, &counts, &error));
  g_assert_no_error (error);
  g_assert_true (counts.integer);
  g_assert_cmpuint (counts.rank, ==, 4);
  g_assert_cmpuint (counts.shape[0], ==, 3);
  g_assert_cmpfloat (counts.data[((0 * 2 + 0) * 5 + 0) * 8 + 0], ==, 1);
  g_assert_cmpfloat (counts.data[((0 * 2 + 1) * 5 + 2) * 8 + 7], ==, 1);
  g_assert_cmpfloat (counts.data[((0 * 2 + 0) * 5 + 1) * 8 + 1], ==, 1);
  g_assert_cmpfloat (counts.data[((2 * 2 + 1) * 5 + 4) * 8 + 3], ==, 1);
  {
    double sum = 0;

    for (gsize i = 0; i < counts.n; i++)
      sum += counts.data[i];
    g_assert_cmpfloat (sum, ==, 4);
  }
  sq_tensor_clear (&counts);

  /* One channel needs the polarities merged; then (0, 0) and (1, 1) land on channel 0 too. */
  g_assert_false (sq_events_bin (&list, 10, 0, merged, &counts, &error));
  g_assert_cmpstr (error->message, ==, "events[2]: polarity 1, but the network takes 1 input "
                   "channel: merge the polarities");
  g_clear_error (&error);
  sq_event_list_merge_polarities (&list);
  g_assert_true (sq_events_bin (&list, 100, 0, merged, &counts, &error));
  g_assert_cmpuint (counts.shape[0], ==, 1);
  g_assert_cmpfloat (counts.data[2 * 8 + 7], ==, 1);
  g_assert_cmpfloat (counts.data[4 * 8 + 3], ==, 1);
  sq_tensor_clear (&counts);

  g_assert_false (sq_events_bin (&list, 10, 2, merged, &counts, &error));
  g_assert_cmpstr (error->message, ==, "events[0]: t = 20 µs is after the last of 2 steps of "
                   "10 µs");
  g_clear_error (&error);
  g_assert_false (sq_events_bin (&list, 10, 0, small, &counts, &error));
  g_assert_cmpstr (error->message, ==, "events[2]: (x, y) = (7, 2) is outside the 4 × 4 "
                   "input (W × H)");
  g_clear_error (&error);
  g_assert_false (sq_events_bin (&list, 0, 0, both, &counts, &error));
  g_assert_cmpstr (error->message, ==, "the time step is 0 µs: expected 1 µs to "
                   "4398046511103 µs");
  sq_event_list_clear (&list);
}

/* Counts back to events: 2 at step 0 (c 1, y 0, x 1), 1 at step 1 (c 0, y 1, x 0), at 10 µs
 * steps; binned again they are the same counts. */
static void
test_from_counts (void)
{
  const gsize cs[4] = { 2, 2, 2, 2 }, shape[3] = { 2, 2, 2 };
  SqTensor counts = { 0, }, again;
  SqEventList list;
  g_autoptr(GError) error = NULL;

  sq_test_tensor_set (&counts, 4, cs, NULL);
  counts.data[(0 * 2 + 1) * 4 + 0 * 2 + 1] = 2;
  counts.data[(1 * 2 + 0) * 4 + 1 * 2 + 0] = 1;
  g_assert_true (sq_events_from_counts (&counts, 10, &list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (list.n, ==, 3);
  g_assert_cmpint (list.events[1].t, ==, 0);
  g_assert_cmpuint (list.events[1].c, ==, 1);
  g_assert_cmpuint (list.events[1].x, ==, 1);
  g_assert_cmpuint (list.events[1].record, ==, 5);
  g_assert_cmpint (list.events[2].t, ==, 10);
  g_assert_cmpuint (list.events[2].y, ==, 1);
  g_assert_true (sq_events_bin (&list, 10, 2, shape, &again, &error));
  g_assert_true (sq_test_tensor_equal (&counts, &again));
  sq_tensor_clear (&again);
  sq_event_list_clear (&list);

  counts.data[3] = -1;
  g_assert_false (sq_events_from_counts (&counts, 10, &list, &error));
  g_assert_cmpstr (error->message, ==, "input[0][0][1][1] is -1: expected an event count from "
                   "0 to 65535");
  sq_tensor_clear (&counts);
}

/* The seed corpus of fuzz-events read as files: each valid one gives recs, the others fail. */
static void
test_files (void)
{
  const char *good[] = { "tonic.npy", "padded-be.npy", "columns.npy", "columns-fortran.npy" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *path = sq_test_data_path ("fuzz", "corpus", "fuzz-events", good[i],
                                                  NULL);
      g_autoptr(GError) error = NULL;
      SqEventList list;

      g_assert_true (sq_events_load (path, &list, &error));
      g_assert_no_error (error);
      assert_sorted_recs (&list);
      sq_event_list_clear (&list);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/events/tonic", test_tonic);
  g_test_add_func ("/events/padded", test_padded);
  g_test_add_func ("/events/columns", test_columns);
  g_test_add_func ("/events/csv", test_csv);
  g_test_add_func ("/events/refused", test_refused);
  g_test_add_func ("/events/bin", test_bin);
  g_test_add_func ("/events/from-counts", test_from_counts);
  g_test_add_func ("/events/files", test_files);
  return g_test_run ();
}
