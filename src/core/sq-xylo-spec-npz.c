/* sq-xylo-spec-npz.c: Xylo specifications as NumPy .npz archives
 *
 * Reads what a Rockpool user writes with np.savez (f, **spec) or np.savez_compressed, and
 * writes an archive that np.load reads back into the same dict, ready for
 * config_from_specification (**np.load (f)).
 *
 * Dtypes written: float tensors as '<f8' (every double kept exactly); integer tensors in the
 * narrowest signed type that holds every value ('|i1' for int8 weights and dashes, '<i2'
 * for 16-bit thresholds), so the file is as small as the hardware's memories and
 * np.load gives arrays of the hardware's types, which Rockpool's config_from_specification
 * and XyloSim.from_specification convert as they do any integer array (do arithmetic in
 * numpy after .astype(int): int8 arithmetic wraps). The weight shifts are 0-d '<i8' (what
 * np.savez makes of a Python int) and dt a 0-d '<f8'.
 *
 * aliases: Rockpool's list of lists differs in length from neuron to neuron, which numpy
 * can store only as a pickled object array; Synquant never unpickles. It reads and writes
 * aliases as a (Nhid, M) integer array in which each row lists the targets and is padded
 * with -1; when every list has the same length (all empty, as in most networks) that array
 * is exactly np.asarray (aliases).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "synquant.h"
#include "sq-npy-private.h"
#include "sq-npz-private.h"
#include "sq-private.h"
#include "sq-xylo-kind-private.h"

enum {
  SLOT_DT = SQ_N_PARAMS,
  SLOT_ALIASES,
  SLOT_SHIFT, /* + SqShift */
  N_SLOTS = SLOT_SHIFT + SQ_N_SHIFTS
};

static gboolean
slot_from_key (const char *key,
               guint      *slot)
{
  SqParam param;

  if (sq_param_from_name (key, &param))
    {
      *slot = param;
      return TRUE;
    }
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (g_str_equal (key, sq_shift_name ((SqShift) i)))
      {
        *slot = SLOT_SHIFT + i;
        return TRUE;
      }
  if (g_str_equal (key, "dt"))
    *slot = SLOT_DT;
  else if (g_str_equal (key, "aliases"))
    *slot = SLOT_ALIASES;
  else
    return FALSE;
  return TRUE;
}

/* Whether @key names a member of a specification (sq-xylo-kind.c's probe). */
gboolean
_sq_xylo_spec_key_known (const char *key)
{
  guint slot;

  return slot_from_key (key, &slot);
}

/* dt or a weight shift: a 0-d array, as np.savez stores a Python number. */
static gboolean
read_scalar (const guint8 *data,
             gsize         length,
             const char   *name,
             const char   *key,
             double       *value,
             GError      **error)
{
  SqTensor t;

  if (!sq_npy_read (data, length, name, &t, NULL, error))
    return FALSE;
  if (t.rank != 0)
    {
      g_autofree char *shape = sq_tensor_shape_string (&t);

      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_RANK,
                   _("%s: %s has shape %s, expected a single number (a 0-d array)"), name, key,
                   shape);
      sq_tensor_clear (&t);
      return FALSE;
    }
  *value = t.data[0];
  sq_tensor_clear (&t);
  return TRUE;
}

/* A pickled aliases array says why it is refused and what to save instead. */
static gboolean
aliases_error (GError     *parse_error,
               const char *name,
               GError    **error)
{
  if (g_error_matches (parse_error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE))
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                   _("%s: aliases is an object array (numpy pickles a list of lists of "
                     "different lengths), which Synquant never unpickles; save aliases as an "
                     "integer array with one row per hidden neuron padded with -1, or save "
                     "the specification as JSON"), name);
      g_error_free (parse_error);
    }
  else
    g_propagate_error (error, parse_error);
  return FALSE;
}

static gboolean
read_aliases (SqXyloSpec   *spec,
              const guint8 *data,
              gsize         length,
              const char   *name,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree gsize *offsets = NULL;
  g_autofree guint32 *targets = NULL;
  SqNpyView view;
  SqTensor t = { 0 };
  gsize rows, cols, n_targets = 0;

  if (!_sq_npy_parse (data, length, name, TRUE, &view, &local_error))
    return aliases_error (g_steal_pointer (&local_error), name, error);
  if (view.rank != 2)
    {
      g_autofree char *shape = sq_shape_to_string (view.rank, view.shape);

      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_RANK,
                   _("%s: aliases has shape %s, expected (Nhid, M): one row of target indices "
                     "per hidden neuron, padded with -1"), name, shape);
      return FALSE;
    }
  rows = view.shape[0];
  cols = view.shape[1];
  if (view.n > 0 && !sq_npy_read (data, length, name, &t, NULL, error))
    return FALSE;

  offsets = g_new (gsize, rows + 1);
  targets = g_new (guint32, MAX (view.n, 1));
  offsets[0] = 0;
  for (gsize j = 0; j < rows; j++)
    {
      gboolean padding = FALSE;

      for (gsize k = 0; k < cols; k++)
        {
          double v = t.data[j * cols + k];

          if (!(nearbyint (v) <= v && nearbyint (v) >= v) || v < -1 || v > G_MAXUINT32 ||
              (padding && v >= 0))
            {
              g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                           padding && v >= 0
                             ? _("%s: aliases[%zu][%zu]: found %g "
                                 "after the padding, expected -1 up to the end of the row")
                             : _("%s: aliases[%zu][%zu]: found %g, "
                                 "expected a hidden neuron index or -1 (padding)"),
                           name, j, k, v);
              sq_tensor_clear (&t);
              return FALSE;
            }
          if (v < 0)
            padding = TRUE;
          else
            targets[n_targets++] = (guint32) v;
        }
      offsets[j + 1] = n_targets;
    }
  sq_tensor_clear (&t);

  spec->n_alias_lists = rows;
  spec->alias_offsets = g_steal_pointer (&offsets);
  spec->alias_targets = g_steal_pointer (&targets);
  return TRUE;
}

static gboolean
read_member (SqXyloSpec        *spec,
             const SqNpzReader *reader,
             guint              index,
             guint              slot,
             const char        *key,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(GBytes) bytes = sq_npz_reader_extract (reader, index, cancellable, error);
  g_autofree char *name = NULL;
  const guint8 *data;
  gsize length;
  double v;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  name = g_strdup_printf ("%s: %s", sq_npz_reader_get_display_name (reader),
                          sq_npz_reader_get_name (reader, index));

  if (slot < SQ_N_PARAMS)
    return sq_npy_read (data, length, name, &spec->param[slot], NULL, error);
  if (slot == SLOT_ALIASES)
    return read_aliases (spec, data, length, name, error);
  if (!read_scalar (data, length, name, key, &v, error))
    return FALSE;
  if (slot == SLOT_DT)
    {
      if (!(v > 0.0) || !isfinite (v))
        {
          g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                       _("%s: dt: found %g, expected a positive time step in seconds"), name, v);
          return FALSE;
        }
      spec->dt = v;
      spec->has_dt = TRUE;
      return TRUE;
    }
  if (!(nearbyint (v) <= v && nearbyint (v) >= v) || v < 0 || v > SQ_WEIGHT_SHIFT_MAX)
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                   _("%s: %s: found %g, expected a whole number from 0 to %d"), name, key, v,
                   SQ_WEIGHT_SHIFT_MAX);
      return FALSE;
    }
  spec->weight_shift[slot - SLOT_SHIFT] = (int) v;
  spec->has_weight_shift[slot - SLOT_SHIFT] = TRUE;
  return TRUE;
}

/* The slot of member @i, or FALSE (with a warning) for a member the loader does not read. */
static gboolean
member_slot (SqXyloSpec        *spec,
             const SqNpzReader *reader,
             guint              i,
             gboolean           warn,
             guint             *slot)
{
  const char *name = sq_npz_reader_get_name (reader, i);
  g_autofree char *key = NULL;

  if (!g_str_has_suffix (name, ".npy"))
    {
      if (warn)
        sq_xylo_spec_add_warning (spec, _("member \"%s\" ignored: not an .npy array"), name);
      return FALSE;
    }
  key = g_strndup (name, strlen (name) - 4);
  if (!slot_from_key (key, slot))
    {
      if (warn)
        sq_xylo_spec_add_warning (spec, _("unknown key \"%s\" ignored"), key);
      return FALSE;
    }
  return TRUE;
}

/* Before any member is inflated: the member names hold every required key, and every
 * member the loader reads declares, in its .npy header, an array within the limits and of
 * the size the directory gives, all of them together at most %SQ_NPZ_MAX_VALUES values. A
 * member the loader does not read is never inflated. */
static gboolean
check_members (SqXyloSpec        *spec,
               const SqNpzReader *reader,
               GError           **error)
{
  gboolean present[SQ_N_PARAMS] = { FALSE, };
  guint n = sq_npz_reader_get_n_members (reader);
  gsize total = 0;

  for (guint i = 0; i < n; i++)
    {
      guint slot;

      if (member_slot (spec, reader, i, TRUE, &slot) && slot < SQ_N_PARAMS)
        present[slot] = TRUE;
    }
  if (!_sq_xylo_spec_check_keys (spec, present, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SqNpyView view;
      guint slot;

      if (!member_slot (spec, reader, i, FALSE, &slot))
        continue;
      /* aliases may be (Nhid, 0): np.asarray of empty lists */
      if (!_sq_npz_reader_check_npy (reader, i, slot == SLOT_ALIASES, &view, &local_error))
        {
          g_autofree char *name = NULL;

          if (slot != SLOT_ALIASES)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          name = g_strdup_printf ("%s: %s", sq_npz_reader_get_display_name (reader),
                                  sq_npz_reader_get_name (reader, i));
          return aliases_error (g_steal_pointer (&local_error), name, error);
        }
      total += view.n;
      if (total > SQ_NPZ_MAX_VALUES)
        {
          g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                       _("%s: the arrays hold more than %zu values together, more than "
                         "Synquant reads from one archive"),
                       sq_npz_reader_get_display_name (reader), SQ_NPZ_MAX_VALUES);
          return FALSE;
        }
    }
  return TRUE;
}

static SqXyloSpec *
load_reader (const SqNpzReader *reader,
             GCancellable      *cancellable,
             SqProgressFunc     progress,
             gpointer           progress_data,
             GError           **error)
{
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_new ();
  guint n = sq_npz_reader_get_n_members (reader);
  double total = 0, done = 0;

  spec->source = g_strdup (sq_npz_reader_get_display_name (reader));
  if (!check_members (spec, reader, error))
    return NULL;
  for (guint i = 0; i < n; i++)
    total += (double) sq_npz_reader_get_size (reader, i);

  for (guint i = 0; i < n; i++)
    {
      const char *name = sq_npz_reader_get_name (reader, i);
      g_autofree char *key = NULL;
      guint slot;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!member_slot (spec, reader, i, FALSE, &slot))
        continue;
      key = g_strndup (name, strlen (name) - 4);
      if (!read_member (spec, reader, i, slot, key, cancellable, error))
        return NULL;
      done += (double) sq_npz_reader_get_size (reader, i);
      if (progress != NULL && total > 0)
        progress (done / total, progress_data);
    }

  if (!sq_xylo_spec_validate (spec, error))
    return NULL;
  return g_steal_pointer (&spec);
}

/**
 * sq_xylo_spec_load_npz_data:
 * @data: (array length=length): the archive
 * @display_name: how messages name the source, usually the file name
 *
 * Reads and validates a specification from an .npz archive: one member "key.npy" per key,
 * as np.savez (f, **spec) writes it, stored or deflated. Unknown keys are ignored and
 * listed in the specification's warnings.
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_npz_data (const guint8 *data,
                            gsize         length,
                            const char   *display_name,
                            GError      **error)
{
  g_autoptr(SqNpzReader) reader = sq_npz_reader_new (data, length, display_name, error);

  if (reader == NULL)
    return NULL;
  return load_reader (reader, NULL, NULL, NULL, error);
}

/**
 * sq_xylo_spec_load_npz_full:
 * @cancellable: (nullable): cancels the load with %G_IO_ERROR_CANCELLED
 * @progress: (nullable) (scope call): called after each member with the part read
 *
 * Like sq_xylo_spec_load_npz(), for a loading thread that shows progress.
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_npz_full (const char    *path,
                            GCancellable  *cancellable,
                            SqProgressFunc progress,
                            gpointer       progress_data,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) file = sq_file_map (path, &local_error);
  g_autoptr(SqNpzReader) reader = NULL;
  g_autofree char *name = NULL;

  if (file == NULL)
    {
      g_set_error_literal (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_IO, local_error->message);
      return NULL;
    }
  name = g_filename_display_name (path);
  reader = sq_npz_reader_new ((const guint8 *) g_mapped_file_get_contents (file),
                              g_mapped_file_get_length (file), name, error);
  if (reader == NULL)
    return NULL;
  return load_reader (reader, cancellable, progress, progress_data, error);
}

/**
 * sq_xylo_spec_load_npz:
 *
 * Loads a specification from an .npz file (see sq_xylo_spec_load_npz_data()).
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_npz (const char  *path,
                       GError     **error)
{
  return sq_xylo_spec_load_npz_full (path, NULL, NULL, NULL, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

/* The narrowest signed dtype holding every value of an integer tensor; float64 for values
 * beyond int64, which only Rockpool mode's unclipped results can hold. */
static SqNpyDtype
integer_dtype (const SqTensor *t)
{
  SqStats st;

  sq_tensor_stats (t, &st);
  if (st.min >= -128.0 && st.max <= 127.0)
    return SQ_NPY_INT8;
  if (st.min >= -32768.0 && st.max <= 32767.0)
    return SQ_NPY_INT16;
  if (st.min >= -2147483648.0 && st.max <= 2147483647.0)
    return SQ_NPY_INT32;
  if (st.min >= -9223372036854775808.0 && st.max < 9223372036854775808.0)
    return SQ_NPY_INT64;
  return SQ_NPY_FLOAT64;
}

static gboolean
add_scalar (SqNpzWriter *w,
            const char  *key,
            SqNpyDtype   dtype,
            gconstpointer value,
            GError     **error)
{
  g_autofree guint8 *npy = NULL;
  gsize length;

  npy = sq_npy_write_array (dtype, 0, NULL, value, &length);
  return sq_npz_writer_add_npy (w, key, npy, length, error);
}

/**
 * sq_xylo_spec_to_npz:
 * @length: (out): bytes in the result
 *
 * The specification as an .npz archive (stored members, in the JSON writer's key order);
 * the dtypes are described at the top of sq-xylo-spec-npz.c.
 *
 * Returns: (transfer full): the archive, or %NULL with @error set
 */
guint8 *
sq_xylo_spec_to_npz (const SqXyloSpec *spec,
                     gsize            *length,
                     GError          **error)
{
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[i];

      if (sq_tensor_is_present (t) &&
          !sq_npz_writer_add_tensor (w, sq_param_name ((SqParam) i), t,
                                     t->integer ? integer_dtype (t) : SQ_NPY_FLOAT64, error))
        return NULL;
    }

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->has_weight_shift[i])
      {
        gint64 v = spec->weight_shift[i];

        if (!add_scalar (w, sq_shift_name ((SqShift) i), SQ_NPY_INT64, &v, error))
          return NULL;
      }

  if (spec->alias_offsets != NULL)
    {
      g_autofree gint64 *values = NULL;
      g_autofree guint8 *npy = NULL;
      gsize width = 0, shape[2], npy_len;

      for (gsize j = 0; j < spec->n_alias_lists; j++)
        width = MAX (width, spec->alias_offsets[j + 1] - spec->alias_offsets[j]);
      shape[0] = spec->n_alias_lists;
      shape[1] = width;
      values = g_new (gint64, MAX (shape[0] * width, 1));
      for (gsize j = 0; j < spec->n_alias_lists; j++)
        for (gsize k = 0; k < width; k++)
          {
            gsize at = spec->alias_offsets[j] + k;

            values[j * width + k] = at < spec->alias_offsets[j + 1]
                                    ? (gint64) spec->alias_targets[at] : -1;
          }
      npy = sq_npy_write_array (SQ_NPY_INT64, 2, shape, values, &npy_len);
      if (!sq_npz_writer_add_npy (w, "aliases", npy, npy_len, error))
        return NULL;
    }

  if (spec->has_dt && !add_scalar (w, "dt", SQ_NPY_FLOAT64, &spec->dt, error))
    return NULL;

  return sq_npz_writer_finish (w, length, error);
}

/**
 * sq_xylo_spec_save_npz:
 *
 * Writes the specification to @path as an .npz archive, atomically.
 */
gboolean
sq_xylo_spec_save_npz (const SqXyloSpec *spec,
                       const char       *path,
                       GError          **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize length;

  bytes = sq_xylo_spec_to_npz (spec, &length, error);
  if (bytes == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return sq_file_write_atomic (path, (const char *) bytes, length, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Any format                                                                                */

/* Whether the file starts like a ZIP archive; %FALSE also when it cannot be read (the JSON
 * loader then says why). */
static gboolean
looks_like_zip (const char *path)
{
  guint8 head[4];

  return _sq_file_read_head (path, head, 4) == 4 && head[0] == 'P' && head[1] == 'K' &&
         ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

/**
 * sq_xylo_spec_load_file:
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call)
 *
 * Loads a specification in the format its name says: `.json` or `.npz`; a file with another
 * name is read as .npz when it starts like a ZIP archive, as JSON otherwise.
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_file (const char    *path,
                        GCancellable  *cancellable,
                        SqProgressFunc progress,
                        gpointer       progress_data,
                        GError       **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  gboolean npz;

  if (g_str_has_suffix (lower, ".npz"))
    npz = TRUE;
  else if (g_str_has_suffix (lower, ".json"))
    npz = FALSE;
  else
    npz = looks_like_zip (path);

  if (npz)
    return sq_xylo_spec_load_npz_full (path, cancellable, progress, progress_data, error);
  return sq_xylo_spec_load_json_full (path, cancellable, progress, progress_data, error);
}
