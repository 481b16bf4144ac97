/* sq-events.c: event streams (t, x, y, p) from files, and their counts in time steps
 *
 * Two files hold events. A NumPy .npy either of records with fields named t, x, y and p in
 * any order and of any integer or boolean types (tonic's layout, t in µs; other fields are
 * ignored), or of an (N, 4) integer array whose columns are t, x, y, p. A CSV file with a
 * header line naming the columns t, x, y and p in any order (others ignored), then one event
 * per line. Every event is checked where it is read (t from 0 up to SQ_EVENTS_MAX_TIME µs,
 * p 0 or 1, x and y from 0 to 65535), so messages name its record; its place in a map is
 * checked against the network (sq_event_list_check()). The list is sorted by time, stably:
 * unsorted files are accepted, and events of one time keep the file's order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "synquant.h"
#include "sq-npy-private.h"
#include "sq-dynapcnn-private.h"

#define invalid _sq_dynapcnn_invalid
#define MAX_PIXEL 65535

enum { COL_T, COL_X, COL_Y, COL_P, N_COLS };
static const char *const col_names[N_COLS] = { "t", "x", "y", "p" };

/* One record's four values, checked, into @e. */
static gboolean
set_event (SqEvent     *e,
           gsize        record,
           const gint64 v[N_COLS],
           const char  *name,
           GError     **error)
{
  if (v[COL_T] < 0 || v[COL_T] >= SQ_EVENTS_MAX_TIME)
    return invalid (error, _("%s: events[%zu]: t is %" PRId64 ": expected a time from 0 to "
                             "%" PRId64 " µs"), name, record, v[COL_T],
                    SQ_EVENTS_MAX_TIME - 1);
  if (v[COL_P] != 0 && v[COL_P] != 1)
    return invalid (error, _("%s: events[%zu]: p is %" PRId64 ": expected a polarity of 0 "
                             "or 1"), name, record, v[COL_P]);
  for (int k = COL_X; k <= COL_Y; k++)
    if (v[k] < 0 || v[k] > MAX_PIXEL)
      return invalid (error, _("%s: events[%zu]: %s is %" PRId64 ": expected a pixel from 0 "
                               "to %d"), name, record, col_names[k], v[k], MAX_PIXEL);
  *e = (SqEvent) { v[COL_T], (guint32) v[COL_P], (guint32) v[COL_Y], (guint32) v[COL_X],
                   (guint32) record };
  return TRUE;
}

static gint
compare_time (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SqEvent *x = a, *y = b;

  return x->t < y->t ? -1 : x->t > y->t ? 1 : 0;
}

static void
sort_events (SqEventList *list)
{
  for (gsize i = 1; i < list->n; i++)
    if (list->events[i].t < list->events[i - 1].t)
      {
        /* GLib's sort is a merge sort: stable. */
        g_qsort_with_data (list->events, (gint) list->n, sizeof (SqEvent), compare_time, NULL);
        return;
      }
}

static gboolean
read_npy (const guint8 *data,
          gsize         length,
          const char   *name,
          SqEventList  *list,
          GError      **error)
{
  SqNpyView view;
  SqNpyRecordType type;
  SqNpyDtype dtype[N_COLS];
  gboolean big[N_COLS];
  gsize offset[N_COLS], stride[N_COLS], n;

  if (!_sq_npy_parse_records (data, length, name, &view, &type, error))
    return FALSE;
  if (view.dtype == SQ_NPY_AUTO)
    {
      if (view.rank != 1)
        return invalid (error, _("%s: the event records must be a one-dimensional array, not "
                                 "%u-dimensional"), name, view.rank);
      for (int k = 0; k < N_COLS; k++)
        {
          const SqNpyField *f = NULL;

          for (guint i = 0; i < type.n_fields; i++)
            if (g_str_equal (type.fields[i].name, col_names[k]))
              f = &type.fields[i];
          if (f == NULL)
            return invalid (error, _("%s: the records have no field '%s'; expected fields t, "
                                     "x, y and p"), name, col_names[k]);
          if (f->dtype == SQ_NPY_FLOAT32 || f->dtype == SQ_NPY_FLOAT64)
            return invalid (error, _("%s: field '%s' holds floating-point numbers; expected "
                                     "integers"), name, col_names[k]);
          dtype[k] = f->dtype;
          big[k] = f->big_endian;
          offset[k] = f->offset;
          stride[k] = type.itemsize;
        }
    }
  else
    {
      gsize size = type.itemsize;

      if (view.rank != 2 || view.shape[1] != 4)
        {
          g_autofree char *shape = sq_shape_to_string (view.rank, view.shape);

          return invalid (error, _("%s: the array has shape %s; expected (N, 4) with the "
                                   "columns t, x, y, p, or records with fields t, x, y and p"),
                          name, shape);
        }
      if (view.dtype == SQ_NPY_FLOAT32 || view.dtype == SQ_NPY_FLOAT64)
        return invalid (error, _("%s: the array holds floating-point numbers; expected "
                                 "integers"), name);
      for (int k = 0; k < N_COLS; k++)
        {
          dtype[k] = view.dtype;
          big[k] = view.big_endian;
          /* Element (i, k) is at i·4 + k in C order, k·N + i in Fortran order. */
          offset[k] = (view.fortran ? k * view.shape[0] : (gsize) k) * size;
          stride[k] = view.fortran ? size : 4 * size;
        }
    }

  /* Records, or rows of the (N, 4) array. */
  n = view.dtype == SQ_NPY_AUTO ? view.n : view.n / 4;
  list->n = n;
  list->events = g_new (SqEvent, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      gint64 v[N_COLS];

      for (int k = 0; k < N_COLS; k++)
        if (!_sq_npy_element_int64 (view.data + offset[k] + i * stride[k], dtype[k], big[k],
                                    &v[k]))
          return invalid (error, _("%s: events[%zu]: %s is beyond the 64-bit integers"), name,
                          i, col_names[k]);
      if (!set_event (&list->events[i], i, v, name, error))
        return FALSE;
    }
  return TRUE;
}

/* The next line of @p (without its end), advancing @p. */
static gboolean
next_line (const char **p,
           const char  *end,
           const char **line,
           gsize       *len)
{
  const char *nl;

  if (*p >= end)
    return FALSE;
  nl = memchr (*p, '\n', (gsize) (end - *p));
  *line = *p;
  *len = (gsize) ((nl ? nl : end) - *p);
  if (*len > 0 && (*line)[*len - 1] == '\r')
    (*len)--;
  *p = nl ? nl + 1 : end;
  return TRUE;
}

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
read_csv (const guint8 *data,
          gsize         length,
          const char   *name,
          SqEventList  *list,
          GError      **error)
{
  const char *p = (const char *) data, *end = p + length, *line;
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (SqEvent));
  g_auto(GStrv) header = NULL;
  g_autofree char *head = NULL;
  int col[N_COLS] = { -1, -1, -1, -1 };
  guint n_cols;
  gsize len, line_no = 1;

  /* A UTF-8 byte order mark, as spreadsheets write. */
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  if (!next_line (&p, end, &line, &len))
    return invalid (error, _("%s: the file is empty; expected a header line naming the "
                             "columns t, x, y and p"), name);
  head = g_strndup (line, len);
  header = g_strsplit (head, ",", -1);
  n_cols = g_strv_length (header);
  for (guint i = 0; i < n_cols; i++)
    {
      g_strstrip (header[i]);
      for (int k = 0; k < N_COLS; k++)
        if (g_ascii_strcasecmp (header[i], col_names[k]) == 0)
          {
            if (col[k] >= 0)
              return invalid (error, _("%s:1: the column '%s' appears twice"), name,
                              col_names[k]);
            col[k] = (int) i;
          }
    }
  for (int k = 0; k < N_COLS; k++)
    if (col[k] < 0)
      return invalid (error, _("%s:1: the header names no column '%s'; expected a header "
                               "line naming the columns t, x, y and p"), name, col_names[k]);

  while (next_line (&p, end, &line, &len))
    {
      gint64 v[N_COLS] = { 0, };
      const char *q = line, *stop = line + len;
      SqEvent e;

      line_no++;
      if (is_blank (line, len))
        continue;
      if (events->len >= SQ_TENSOR_MAX_ELEMENTS)
        return invalid (error, _("%s: more than %zu events"), name, SQ_TENSOR_MAX_ELEMENTS);
      for (guint i = 0; i < n_cols; i++)
        {
          const char *cell = q, *comma;
          g_autofree char *text = NULL;
          gint64 value;

          if (q > stop)
            return invalid (error, _("%s:%zu: events[%u]: %u columns; the header names %u"),
                            name, line_no, events->len, i, n_cols);
          comma = memchr (cell, ',', (gsize) (stop - cell));
          q = (comma ? comma : stop) + 1;
          text = g_strstrip (g_strndup (cell, (gsize) ((comma ? comma : stop) - cell)));
          for (int k = 0; k < N_COLS; k++)
            if (col[k] == (int) i)
              {
                if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value,
                                               NULL))
                  return invalid (error, _("%s:%zu: events[%u]: %s is '%s': expected an "
                                           "integer"), name, line_no, events->len,
                                  col_names[k], text);
                v[k] = value;
              }
        }
      if (q <= stop)
        return invalid (error, _("%s:%zu: events[%u]: more columns than the header names "
                                 "(%u)"), name, line_no, events->len, n_cols);
      if (!set_event (&e, events->len, v, name, error))
        return FALSE;
      g_array_append_val (events, e);
    }
  list->n = events->len;
  list->events = (SqEvent *) (void *) g_array_free (g_steal_pointer (&events), FALSE);
  return TRUE;
}

/* Whether @data starts as a .npy file does (otherwise it is read as CSV). */
gboolean
sq_events_is_npy (const guint8 *data,
                  gsize         length)
{
  return length >= 6 && memcmp (data, "\x93NUMPY", 6) == 0;
}

/**
 * sq_events_read:
 * @data: (array length=length): a whole .npy or CSV file
 * @name: the file's display name, for messages
 * @list: (out caller-allocates): the events in time order; cleared with
 *   sq_event_list_clear()
 *
 * Reads an events file (see the file's comment), telling .npy from CSV by the .npy magic.
 */
gboolean
sq_events_read (const guint8 *data,
                gsize         length,
                const char   *name,
                SqEventList  *list,
                GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (list != NULL, FALSE);
  *list = (SqEventList) { 0, };
  if (sq_events_is_npy (data, length))
    ok = read_npy (data, length, name, list, error);
  else
    ok = read_csv (data, length, name, list, error);
  if (!ok)
    {
      sq_event_list_clear (list);
      return FALSE;
    }
  sort_events (list);
  return TRUE;
}

/* sq_events_read() on a file; messages name @path. */
gboolean
sq_events_load (const char  *path,
                SqEventList *list,
                GError     **error)
{
  g_autoptr(GMappedFile) file = sq_file_map (path, error);
  g_autofree char *name = NULL;

  *list = (SqEventList) { 0, };
  if (file == NULL)
    return FALSE;
  name = g_filename_display_name (path);
  return sq_events_read ((const guint8 *) g_mapped_file_get_contents (file),
                         g_mapped_file_get_length (file), name, list, error);
}

/* Both polarities as channel 0, for a network that takes one input channel (the DVS layer's
 * "merge"). */
void
sq_event_list_merge_polarities (SqEventList *list)
{
  for (gsize i = 0; i < list->n; i++)
    list->events[i].c = 0;
}

/**
 * sq_event_list_check:
 * @shape: the input (C, H, W)
 *
 * Whether every event is inside the input: channel below C, y below H, x below W.
 */
gboolean
sq_event_list_check (const SqEventList *list,
                     const gsize        shape[3],
                     GError           **error)
{
  for (gsize i = 0; i < list->n; i++)
    {
      const SqEvent *e = &list->events[i];

      if (e->c >= shape[0])
        return invalid (error, shape[0] == 1
                        ? _("events[%u]: polarity %u, but the network takes %zu input "
                            "channel: merge the polarities")
                        : _("events[%u]: polarity %u, but the network takes %zu input "
                            "channels"), e->record, e->c, shape[0]);
      if (e->y >= shape[1] || e->x >= shape[2])
        return invalid (error, _("events[%u]: (x, y) = (%u, %u) is outside the %zu × %zu "
                                 "input (W × H)"), e->record, e->x, e->y, shape[2], shape[1]);
    }
  return TRUE;
}

/* Time steps of @step_us up to the last event: 0 without events. */
gsize
sq_event_list_n_steps (const SqEventList *list,
                       guint64            step_us)
{
  gint64 last = -1;

  g_return_val_if_fail (step_us > 0, 0);
  for (gsize i = 0; i < list->n; i++)
    last = MAX (last, list->events[i].t);
  return last < 0 ? 0 : (gsize) ((guint64) last / step_us + 1);
}

/**
 * sq_events_bin:
 * @step_us: the time step in µs
 * @n_steps: steps; 0 for as many as reach the last event
 * @shape: the input (C, H, W): C = 2 for both polarities, 1 after
 *   sq_event_list_merge_polarities()
 * @counts: (out caller-allocates): the events per step and pixel, (T, C, H, W), integer
 *
 * Counts the events in time steps, as sq_iaf_run() takes them.
 */
gboolean
sq_events_bin (const SqEventList *list,
               guint64            step_us,
               gsize              n_steps,
               const gsize        shape[3],
               SqTensor          *counts,
               GError           **error)
{
  gsize full[4];

  g_return_val_if_fail (list != NULL && counts != NULL, FALSE);
  memset (counts, 0, sizeof *counts);
  if (step_us < 1 || step_us >= (guint64) SQ_EVENTS_MAX_TIME)
    return invalid (error, _("the time step is %" PRIu64 " µs: expected 1 µs to %" PRId64
                             " µs"), step_us, SQ_EVENTS_MAX_TIME - 1);
  if (n_steps == 0)
    n_steps = sq_event_list_n_steps (list, step_us);
  if (n_steps == 0)
    return invalid (error, _("there are no events and no number of time steps"));
  if (!sq_event_list_check (list, shape, error))
    return FALSE;
  for (gsize i = 0; i < list->n; i++)
    if ((guint64) list->events[i].t / step_us >= n_steps)
      return invalid (error, _("events[%u]: t = %" PRId64 " µs is after the last of %zu "
                               "steps of %" PRIu64 " µs"), list->events[i].record,
                      list->events[i].t, n_steps, step_us);
  full[0] = n_steps;
  memcpy (full + 1, shape, 3 * sizeof (gsize));
  if (!sq_tensor_init (counts, 4, full, error))
    return FALSE;
  counts->integer = TRUE;
  for (gsize i = 0; i < list->n; i++)
    {
      const SqEvent *e = &list->events[i];

      counts->data[(((gsize) ((guint64) e->t / step_us) * shape[0] + e->c) * shape[1] + e->y)
                   * shape[2] + e->x] += 1;
    }
  return TRUE;
}

/**
 * sq_events_from_counts:
 * @counts: event counts (T, C, H, W), integers from 0 to 65535
 * @step_us: the time step in µs
 * @list: (out caller-allocates): a count n at step t becomes n events at t·@step_us, a step's
 *   events in (c, y, x) order; @record is the element's flat index in @counts
 *
 * The step core's input for the event core: sq_events_bin() of the result gives @counts back.
 */
gboolean
sq_events_from_counts (const SqTensor *counts,
                       guint64         step_us,
                       SqEventList    *list,
                       GError        **error)
{
  gsize per, total = 0;

  g_return_val_if_fail (list != NULL, FALSE);
  *list = (SqEventList) { 0, };
  if (!sq_tensor_is_present (counts) || counts->rank != 4 || counts->n == 0)
    return invalid (error, _("the input must be a non-empty (T, C, H, W) array of event "
                             "counts"));
  if (step_us < 1 || counts->shape[0] > (guint64) SQ_EVENTS_MAX_TIME / step_us)
    return invalid (error, _("%zu steps of %" PRIu64 " µs are more than Synquant takes"),
                    counts->shape[0], step_us);
  for (gsize i = 0; i < counts->n; i++)
    {
      double v = counts->data[i];

      if (!(v >= 0 && v <= 65535) || (gsize) v < v)
        {
          g_autofree char *path = sq_tensor_element_path (counts, "input", i);

          return invalid (error, _("%s is %g: expected an event count from 0 to 65535"), path,
                          v);
        }
      total += (gsize) v;
      if (total > SQ_TENSOR_MAX_ELEMENTS)
        return invalid (error, _("the input holds more than %zu events"),
                        SQ_TENSOR_MAX_ELEMENTS);
    }
  per = counts->n / counts->shape[0];
  list->events = g_new (SqEvent, MAX (total, 1));
  for (gsize i = 0; i < counts->n; i++)
    {
      gsize t = i / per, r = i % per;
      guint32 x = (guint32) (r % counts->shape[3]);
      guint32 y = (guint32) (r / counts->shape[3] % counts->shape[2]);
      guint32 c = (guint32) (r / counts->shape[3] / counts->shape[2]);

      for (gsize k = 0; k < (gsize) counts->data[i]; k++)
        list->events[list->n++] = (SqEvent) { (gint64) (t * step_us), c, y, x, (guint32) i };
    }
  return TRUE;
}

void
sq_event_list_clear (SqEventList *list)
{
  g_clear_pointer (&list->events, g_free);
  list->n = 0;
}
