/* sq-sample-set.c: reading a set of input rasters with optional labels
 *
 * Three layouts, as a user has them after training: an .npz with `x` (N, T, C) event counts
 * of any integer dtype and an optional `y` (N,) of class labels (np.savez's own layout), a
 * 3-D .npy of counts alone, or a folder of single rasters (CSV, .npy, JSON, read by
 * sq-raster.c's readers, in byte order of their names) with an optional labels.csv. Every
 * size is checked before anything is allocated for it; every bad value names the file, the
 * sample and the field ("set.npz: x[3], step 5, channel 2: …").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

#define COUNT_CAP 15
#define LABELS_FILE "labels.csv"

void
sq_sample_set_free (SqSampleSet *set)
{
  if (set == NULL)
    return;
  g_free (set->source);
  g_free (set->counts);
  g_free (set->labels);
  g_strfreev (set->names);
  g_free (set);
}

void
sq_sample_set_raster (const SqSampleSet *set,
                      gsize              i,
                      SqRaster          *raster)
{
  g_return_if_fail (set != NULL && i < set->n_samples);
  memset (raster, 0, sizeof *raster);
  raster->n_steps = set->n_steps;
  raster->n_channels = set->n_channels;
  raster->counts = set->counts + i * set->n_steps * set->n_channels;
}

/**
 * sq_sample_set_sidecar:
 * @network_path: a network file
 *
 * The labelled set shipped beside a network: "NAME-samples.npz" next to "NAME.json" (or any
 * other extension), as the bundled examples have one.
 *
 * Returns: (transfer full) (nullable): its path when that file exists, else %NULL
 */
char *
sq_sample_set_sidecar (const char *network_path)
{
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  char *dot, *path;

  g_return_val_if_fail (network_path != NULL, NULL);
  base = g_path_get_basename (network_path);
  dir = g_path_get_dirname (network_path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, "-samples.npz", NULL);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_clear_pointer (&path, g_free);
  return path;
}

/**
 * sq_sample_set_first_raster:
 * @path: a sample set (sq_sample_set_load())
 * @n_channels: the network's inputs, or 0
 * @raster: (out caller-allocates): filled with a copy of the set's first sample; cleared
 *   with sq_raster_clear()
 *
 * The input a window opens a network's sidecar set on (sq_sample_set_sidecar()).
 */
gboolean
sq_sample_set_first_raster (const char  *path,
                            gsize        n_channels,
                            SqRaster    *raster,
                            GError     **error)
{
  g_autoptr(SqSampleSet) set = NULL;
  SqRaster first;

  g_return_val_if_fail (path != NULL && raster != NULL, FALSE);
  memset (raster, 0, sizeof *raster);
  set = sq_sample_set_load (path, n_channels, NULL, error);
  if (set == NULL)
    return FALSE;
  sq_sample_set_raster (set, 0, &first);
  *raster = first;
  raster->counts = g_memdup2 (first.counts, first.n_steps * first.n_channels);
  return TRUE;
}

/* An empty set of N × T × C with its sizes checked, names "x[i]". */
static SqSampleSet *
set_new (const char  *source,
         gsize        n_samples,
         gsize        n_steps,
         gsize        n_channels,
         gboolean     array_names,
         GError     **error)
{
  g_autoptr(SqSampleSet) set = g_new0 (SqSampleSet, 1);
  gsize shape[3] = { n_samples, n_steps, n_channels }, n;

  set->source = g_strdup (source);
  if (n_samples == 0 || n_steps == 0 || n_channels == 0)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: %zu samples of %zu steps and %zu channels; expected at least one "
                     "of each"), source, n_samples, n_steps, n_channels);
      return NULL;
    }
  if (n_samples > SQ_SAMPLE_SET_MAX_SAMPLES || n_steps > SQ_RASTER_MAX_STEPS)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: %zu samples of %zu steps; at most %zu samples of %zu steps are "
                     "read"), source, n_samples, n_steps, SQ_SAMPLE_SET_MAX_SAMPLES,
                   SQ_RASTER_MAX_STEPS);
      return NULL;
    }
  if (!sq_shape_count (3, shape, &n, error))
    {
      g_prefix_error (error, "%s: ", source);
      return NULL;
    }
  set->n_samples = n_samples;
  set->n_steps = n_steps;
  set->n_channels = n_channels;
  set->counts = g_new0 (guint8, n);
  set->names = g_new0 (char *, n_samples + 1);
  if (array_names)
    for (gsize i = 0; i < n_samples; i++)
      set->names[i] = g_strdup_printf ("x[%zu]", i);
  return g_steal_pointer (&set);
}

static gboolean
check_channels (const SqSampleSet  *set,
                gsize               n_channels,
                const char         *where,
                GError            **error)
{
  if (n_channels == 0 || set->n_channels == n_channels)
    return TRUE;
  g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: %s has %zu channel per step, but the network has %zu inputs",
                            "%s: %s has %zu channels per step, but the network has %zu inputs",
                            set->n_channels),
               set->source, where, set->n_channels, n_channels);
  return FALSE;
}

static gboolean
is_integer_dtype (SqNpyDtype dtype)
{
  return dtype != SQ_NPY_FLOAT32 && dtype != SQ_NPY_FLOAT64;
}

static gboolean
refuse_float (const char  *source,
              const char  *field,
              SqNpyDtype   dtype,
              const char  *expected,
              const char  *numpy_type,
              GError     **error)
{
  if (is_integer_dtype (dtype))
    return TRUE;
  /* TRANSLATORS: "set.npz: x is float32; expected integer event counts (write it with
   * .astype(np.uint8))" */
  g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
               _("%s: %s is %s; expected %s (write it with .astype(%s))"), source, field,
               dtype == SQ_NPY_FLOAT32 ? "float32" : "float64", expected, numpy_type);
  return FALSE;
}

/* x (N, T, C) of an integer dtype into a new set. */
static SqSampleSet *
set_from_counts (const char      *source,
                 const SqTensor  *x,
                 SqNpyDtype       dtype,
                 gsize            n_channels,
                 GError         **error)
{
  g_autoptr(SqSampleSet) set = NULL;
  gsize per;

  if (x->rank != 3)
    {
      g_autofree char *shape = sq_tensor_shape_string (x);

      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: x is %s, expected (N, T, C): samples, time steps, input channels"),
                   source, shape);
      return NULL;
    }
  if (!refuse_float (source, "x", dtype, _("integer event counts"), "np.uint8",
                     error))
    return NULL;
  set = set_new (source, x->shape[0], x->shape[1], x->shape[2], TRUE, error);
  if (set == NULL || !check_channels (set, n_channels, "x", error))
    return NULL;
  per = set->n_steps * set->n_channels;
  for (gsize i = 0; i < x->n; i++)
    {
      double v = x->data[i];

      if (v < 0.0)
        {
          gsize s = i / per, t = i % per / set->n_channels, c = i % set->n_channels;

          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                       _("%s: x[%zu], step %zu, channel %zu: the count is %.0f, expected an "
                         "event count (0 or more)"), source, s, t, c, v);
          return NULL;
        }
      if (v > COUNT_CAP)
        {
          set->n_clipped++;
          v = COUNT_CAP;
        }
      set->counts[i] = (guint8) v;
    }
  return g_steal_pointer (&set);
}

/* y (N,) of class labels, 0 or more, into @set. */
static gboolean
set_labels (SqSampleSet     *set,
            const SqTensor  *y,
            SqNpyDtype       dtype,
            GError         **error)
{
  if (y->rank != 1 || y->shape[0] != set->n_samples)
    {
      g_autofree char *shape = sq_tensor_shape_string (y);

      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: y is %s, expected (%zu,): one class label per sample of x"),
                   set->source, shape, set->n_samples);
      return FALSE;
    }
  if (!refuse_float (set->source, "y", dtype, _("integer class labels"), "np.int64",
                     error))
    return FALSE;
  set->labels = g_new (gint64, set->n_samples);
  for (gsize i = 0; i < set->n_samples; i++)
    {
      if (y->data[i] < 0.0)
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                       _("%s: y[%zu] is %.0f, expected a class (0 or more)"), set->source, i,
                       y->data[i]);
          return FALSE;
        }
      set->labels[i] = (gint64) y->data[i];
    }
  return TRUE;
}

static SqSampleSet *
load_npz (const guint8  *data,
          gsize          length,
          const char    *name,
          gsize          n_channels,
          GError       **error)
{
  g_autoptr(SqNpzReader) reader = sq_npz_reader_new (data, length, name, error);
  g_autoptr(SqSampleSet) set = NULL;
  SqTensor x = { 0 }, y = { 0 };
  SqNpyDtype dtype = SQ_NPY_AUTO;
  guint ix, iy;

  if (reader == NULL)
    return NULL;
  if (!sq_npz_reader_find (reader, "x", &ix))
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                   _("%s: no member x; expected x (N, T, C) event counts and optionally y "
                     "(N,) labels, as np.savez(path, x=x, y=y) writes them"), name);
      return NULL;
    }
  if (!sq_npz_reader_read_tensor (reader, ix, &x, &dtype, error))
    return NULL;
  set = set_from_counts (name, &x, dtype, n_channels, error);
  sq_tensor_clear (&x);
  if (set == NULL)
    return NULL;
  if (sq_npz_reader_find (reader, "y", &iy))
    {
      gboolean ok;

      if (!sq_npz_reader_read_tensor (reader, iy, &y, &dtype, error))
        return NULL;
      ok = set_labels (set, &y, dtype, error);
      sq_tensor_clear (&y);
      if (!ok)
        return NULL;
    }
  return g_steal_pointer (&set);
}

/**
 * sq_sample_set_load_data:
 * @n_channels: the inputs every sample must have, or 0 to take any
 *
 * An .npz archive with `x` (N, T, C) and optionally `y` (N,), or a 3-D .npy of counts.
 */
SqSampleSet *
sq_sample_set_load_data (const guint8  *data,
                         gsize          length,
                         const char    *name,
                         gsize          n_channels,
                         GError       **error)
{
  SqSampleSet *set;
  SqNpyDtype dtype = SQ_NPY_AUTO;
  SqTensor x;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  if (length >= 4 && memcmp (data, "PK", 2) == 0)
    return load_npz (data, length, name, n_channels, error);
  if (length < 6 || memcmp (data, "\x93NUMPY", 6) != 0)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                   _("%s: neither .npz nor .npy; expected a sample set as np.savez writes "
                     "it (x, y), a 3-D .npy, or a folder of rasters"), name);
      return NULL;
    }
  if (!sq_npy_read (data, length, name, &x, &dtype, error))
    return NULL;
  set = set_from_counts (name, &x, dtype, n_channels, error);
  sq_tensor_clear (&x);
  return set;
}

/* ---------------------------------------------------------------------------------------- */
/* A folder                                                                                  */

static gboolean
is_raster_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return name[0] != '.' && (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".npy")
                            || g_str_has_suffix (lower, ".json")) &&
         g_strcmp0 (lower, LABELS_FILE) != 0;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A label field: a whole number, 0 or more. */
static gboolean
parse_label (const char *text,
             gint64     *label)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &v, NULL))
    return FALSE;
  *label = (gint64) v;
  return TRUE;
}

/* labels.csv: one row per sample, either LABEL (in the order of the files' names) or
 * NAME,LABEL (any order, every file once); '#' starts a comment, a first row whose label is
 * not a number is a header. */
static gboolean
load_labels (SqSampleSet  *set,
             const char   *path,
             GError      **error)
{
  g_autofree char *text = NULL, *name = g_filename_display_name (path);
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree gboolean *seen = g_new0 (gboolean, set->n_samples);
  gsize n_rows = 0, length;
  int columns = 0;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT, "%s", local->message);
      return FALSE;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                   _("%s: a NUL byte; expected text"), name);
      return FALSE;
    }
  set->labels = g_new0 (gint64, set->n_samples);
  lines = g_strsplit (text, "\n", -1);
  for (gsize l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) fields = NULL;
      const char *label_text;
      gint64 label;
      gsize index;
      int n;

      g_strstrip (lines[l]);
      if (lines[l][0] == '\0' || lines[l][0] == '#')
        continue;
      fields = g_strsplit (lines[l], ",", -1);
      n = (int) g_strv_length (fields);
      for (int k = 0; k < n; k++)
        g_strstrip (fields[k]);
      if (n > 2 || (columns != 0 && n != columns))
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                       _("%s:%zu: %d fields; expected LABEL or NAME,LABEL on every line"),
                       name, l + 1, n);
          return FALSE;
        }
      label_text = fields[n - 1];
      if (!parse_label (label_text, &label))
        {
          if (columns == 0 && n_rows == 0)
            {
              columns = n;    /* a header */
              continue;
            }
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                       _("%s:%zu: the label is “%s”, expected a class (a whole number, 0 or "
                         "more)"), name, l + 1, label_text);
          return FALSE;
        }
      columns = n;
      if (n == 1)
        index = n_rows;
      else
        {
          for (index = 0; index < set->n_samples; index++)
            if (g_str_equal (set->names[index], fields[0]))
              break;
          if (index == set->n_samples)
            {
              g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                           _("%s:%zu: no sample “%s” in the folder"), name, l + 1, fields[0]);
              return FALSE;
            }
          if (seen[index])
            {
              g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                           _("%s:%zu: a second label for “%s”"), name, l + 1, fields[0]);
              return FALSE;
            }
        }
      n_rows++;
      if (index < set->n_samples)
        {
          seen[index] = TRUE;
          set->labels[index] = label;
        }
    }
  if (n_rows != set->n_samples)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: %zu labels for %zu samples; expected one label per sample"), name,
                   n_rows, set->n_samples);
      return FALSE;
    }
  return TRUE;
}

static SqSampleSet *
load_folder (const char    *path,
             gsize          n_channels,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *source = g_filename_display_name (path);
  g_autofree char *labels_path = g_build_filename (path, LABELS_FILE, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  const char *entry;
  gsize per = 0;

  if (dir == NULL)
    return NULL;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (is_raster_name (entry))
      g_ptr_array_add (files, g_strdup (entry));
  g_ptr_array_sort (files, compare_names);
  if (files->len == 0)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                   _("%s: no rasters (.csv, .npy, .json) in the folder"), source);
      return NULL;
    }

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (files, i), NULL);
      g_autofree char *name = g_filename_display_name (g_ptr_array_index (files, i));
      SqRaster r;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!sq_raster_load (&r, file, error))
        return NULL;
      if (set == NULL)
        {
          set = set_new (source, files->len, r.n_steps, r.n_channels, FALSE, error);
          if (set == NULL || !check_channels (set, n_channels, name, error))
            {
              sq_raster_clear (&r);
              return NULL;
            }
          per = r.n_steps * r.n_channels;
        }
      if (r.n_steps != set->n_steps || r.n_channels != set->n_channels)
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                       _("%s: %s has %zu steps of %zu channels, but %s has %zu of %zu; every "
                         "sample must have the same"), source, name, r.n_steps, r.n_channels,
                       set->names[0], set->n_steps, set->n_channels);
          sq_raster_clear (&r);
          return NULL;
        }
      memcpy (set->counts + i * per, r.counts, per);
      set->n_clipped += r.n_clipped;
      set->names[i] = g_steal_pointer (&name);
      sq_raster_clear (&r);
    }
  if (g_file_test (labels_path, G_FILE_TEST_EXISTS) && !load_labels (set, labels_path, error))
    return NULL;
  return g_steal_pointer (&set);
}

/**
 * sq_sample_set_load:
 * @path: an .npz or .npy file, or a folder of rasters
 * @n_channels: the inputs every sample must have, or 0 to take any
 * @cancellable: (nullable): checked between a folder's files
 *
 * Returns: (transfer full): the set, or %NULL with @error set
 */
SqSampleSet *
sq_sample_set_load (const char    *path,
                    gsize          n_channels,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return load_folder (path, n_channels, cancellable, error);
  file = sq_file_map (path, error);
  if (file == NULL)
    return NULL;
  name = g_filename_display_name (path);
  return sq_sample_set_load_data ((const guint8 *) g_mapped_file_get_contents (file),
                                  g_mapped_file_get_length (file), name, n_channels, error);
}
