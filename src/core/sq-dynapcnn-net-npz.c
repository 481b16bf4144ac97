/* sq-dynapcnn-net-npz.c: the DynapCNN layer file as a NumPy .npz archive
 *
 * The keys of the JSON layer file, flattened: `input_shape` (3,), and per layer i
 * `layers.i.weight` (F, C, kh, kw), `layers.i.bias` (F), `layers.i.v_mem` (F, H', W'), and
 * 0-d (or one-element) arrays `layers.i.spike_threshold`, `layers.i.min_v_mem` (absent for
 * an unbounded membrane), `layers.i.scale`, `layers.i.pooling`, `layers.i.reset_zero`,
 * `layers.i.single_spike`; `layers.i.stride` and `layers.i.padding` hold one value or
 * [y, x] (docs/dynapcnn.md). `np.savez(path, **arrays)` writes it; the JSON reader's checks
 * apply to what is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-net-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

/* Strides, padding and pooling beyond this are no network anyone trains (as in the JSON
 * reader). */
#define MAX_GEOMETRY 4096

enum {
  KEY_WEIGHT, KEY_BIAS, KEY_V_MEM, KEY_THRESHOLD, KEY_MIN_V_MEM, KEY_SCALE, KEY_POOLING,
  KEY_STRIDE, KEY_PADDING, KEY_RESET_ZERO, KEY_SINGLE_SPIKE, N_KEYS
};

static const char *const key_names[N_KEYS] = {
  "weight", "bias", "v_mem", "spike_threshold", "min_v_mem", "scale", "pooling", "stride",
  "padding", "reset_zero", "single_spike",
};

static gboolean
fail (const char  *source,
      GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (const char  *source,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID, "%s: %s", source, msg);
  return FALSE;
}

/* "layers.12.weight" → 12 and KEY_WEIGHT; FALSE for any other name. */
static gboolean
parse_layer_key (const char *name,
                 guint      *layer,
                 int        *key)
{
  const char *p = name + strlen ("layers.");
  char *end;
  guint64 i;

  if (!g_str_has_prefix (name, "layers.") || !g_ascii_isdigit (*p))
    return FALSE;
  i = g_ascii_strtoull (p, &end, 10);
  if (*end != '.' || i >= SQ_DYNAPCNN_MAX_LAYERS || (end - p > 1 && *p == '0'))
    return FALSE;
  for (int k = 0; k < N_KEYS; k++)
    if (g_str_equal (end + 1, key_names[k]))
      {
        *layer = (guint) i;
        *key = k;
        return TRUE;
      }
  return FALSE;
}

/* A member's name without ".npy", as np.load names it. */
static char *
member_key (const SqNpzReader *reader,
            guint              m)
{
  const char *member = sq_npz_reader_get_name (reader, m);

  return g_str_has_suffix (member, ".npy") ? g_strndup (member, strlen (member) - 4)
                                           : g_strdup (member);
}

/* A 0-d or one-element array as one number. */
static gboolean
scalar (const SqTensor  *t,
        const char      *source,
        const char      *key,
        double          *out,
        GError         **error)
{
  if (t->n != 1)
    return fail (source, error, _("%s holds %zu values: expected one"), key, t->n);
  *out = t->data[0];
  return TRUE;
}

static gboolean
whole (const SqTensor  *t,
       const char      *source,
       const char      *key,
       gsize            lo,
       gsize            hi,
       guint           *out,
       GError         **error)
{
  double v = 0;

  if (!scalar (t, source, key, &v, error))
    return FALSE;
  if (!(v >= (double) lo && v <= (double) hi) || nearbyint (v) < v || nearbyint (v) > v)
    return fail (source, error, _("%s is %g: expected a whole number from %zu to %zu"), key,
                 v, lo, hi);
  *out = (guint) v;
  return TRUE;
}

static gboolean
pair (const SqTensor  *t,
      const char      *source,
      const char      *key,
      gsize            lo,
      guint           *y,
      guint           *x,
      GError         **error)
{
  SqTensor one = *t;

  if (t->n == 2 && t->rank == 1)
    {
      one.n = 1;
      one.rank = 0;
      one.data = t->data + 1;
      if (!whole (&one, source, key, lo, MAX_GEOMETRY, x, error))
        return FALSE;
      one.data = t->data;
      return whole (&one, source, key, lo, MAX_GEOMETRY, y, error);
    }
  if (!whole (t, source, key, lo, MAX_GEOMETRY, y, error))
    return FALSE;
  *x = *y;
  return TRUE;
}

static gboolean
flag (const SqTensor  *t,
      const char      *source,
      const char      *key,
      gboolean        *out,
      GError         **error)
{
  guint v;

  if (!whole (t, source, key, 0, 1, &v, error))
    return FALSE;
  *out = v != 0;
  return TRUE;
}

static gboolean
finite_values (const SqTensor  *t,
               const char      *source,
               const char      *key,
               GError         **error)
{
  for (gsize i = 0; i < t->n; i++)
    if (!isfinite (t->data[i]))
      return fail (source, error, _("%s[%zu] is %g: expected a finite number"), key, i,
                   t->data[i]);
  return TRUE;
}

/* Puts member @t (taken over) into layer @l as @key. */
static gboolean
take_member (SqDynapcnnNetLayer  *l,
             int                  key,
             SqTensor            *t,
             const char          *source,
             const char          *name,
             GError             **error)
{
  SqDynapcnnLayerParams *p = &l->params;
  static const guint ranks[] = { [KEY_WEIGHT] = 4, [KEY_BIAS] = 1, [KEY_V_MEM] = 3 };
  SqTensor *dest = key == KEY_WEIGHT ? &p->weight : key == KEY_BIAS ? &p->bias
                 : key == KEY_V_MEM ? &p->v_mem : NULL;
  gboolean ok = TRUE;

  if (!finite_values (t, source, name, error))
    return FALSE;
  if (dest != NULL)
    {
      if (t->rank != ranks[key])
        {
          g_autofree char *have = sq_tensor_shape_string (t);

          return fail (source, error, _("%s has shape %s: expected %u dimensions"), name, have,
                       ranks[key]);
        }
      *dest = *t;
      memset (t, 0, sizeof *t);
      return TRUE;
    }
  switch (key)
    {
    case KEY_THRESHOLD:
      ok = scalar (t, source, name, &p->spike_threshold, error);
      break;
    case KEY_MIN_V_MEM:
      p->has_min_v_mem = TRUE;
      ok = scalar (t, source, name, &p->min_v_mem, error);
      break;
    case KEY_SCALE:
      l->has_scale = TRUE;
      ok = scalar (t, source, name, &l->scale, error);
      break;
    case KEY_POOLING:
      ok = whole (t, source, name, 1, MAX_GEOMETRY, &l->pool, error);
      break;
    case KEY_STRIDE:
      ok = pair (t, source, name, 1, &l->stride_y, &l->stride_x, error);
      break;
    case KEY_PADDING:
      ok = pair (t, source, name, 0, &l->pad_y, &l->pad_x, error);
      break;
    case KEY_RESET_ZERO:
      ok = flag (t, source, name, &l->reset_zero, error);
      break;
    case KEY_SINGLE_SPIKE:
      ok = flag (t, source, name, &l->single_spike, error);
      break;
    default:
      g_assert_not_reached ();
    }
  sq_tensor_clear (t);
  return ok;
}

static gboolean
read_input_shape (SqDynapcnnNet  *net,
                  const SqTensor *t,
                  GError        **error)
{
  if (t->rank != 1 || t->n != 3)
    return fail (net->source, error, _("input_shape must hold three sizes [C, H, W]"));
  for (guint d = 0; d < 3; d++)
    {
      double v = t->data[d];

      if (!(v >= 1 && v <= (double) SQ_TENSOR_MAX_ELEMENTS) || nearbyint (v) < v)
        return fail (net->source, error, _("input_shape[%u] is %g: expected a whole number "
                                           "of at least 1"), d, v);
      net->input_shape[d] = (gsize) v;
    }
  net->has_input_shape = TRUE;
  return TRUE;
}

/**
 * sq_dynapcnn_net_load_npz_data:
 * @data: (array length=length): the archive
 * @display_name: how messages name the file
 *
 * Reads a DynapCNN layer file written as .npz (see the top of this file). Members of other
 * names are ignored and listed in the network's warnings.
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
SqDynapcnnNet *
sq_dynapcnn_net_load_npz_data (const guint8  *data,
                               gsize          length,
                               const char    *display_name,
                               GError       **error)
{
  g_autoptr(SqNpzReader) reader = sq_npz_reader_new (data, length, display_name, error);
  g_autoptr(SqDynapcnnNet) net = NULL;
  g_autofree guint8 *seen = NULL;
  guint n_members, n_layers = 0;

  if (reader == NULL)
    return NULL;
  net = g_new0 (SqDynapcnnNet, 1);
  net->source = g_strdup (display_name);
  net->warnings = g_ptr_array_new_with_free_func (g_free);
  n_members = sq_npz_reader_get_n_members (reader);

  /* The layer count first, from the names alone: nothing is allocated for a forged one. */
  for (guint m = 0; m < n_members; m++)
    {
      g_autofree char *name = member_key (reader, m);
      guint layer;
      int key;

      if (parse_layer_key (name, &layer, &key))
        n_layers = MAX (n_layers, layer + 1);
    }
  if (n_layers == 0)
    {
      fail (net->source, error, _("no layers: expected arrays named layers.0.weight, "
                                  "layers.1.weight, …"));
      return NULL;
    }
  net->layers = g_new0 (SqDynapcnnNetLayer, n_layers);
  net->n_layers = n_layers;
  for (guint i = 0; i < n_layers; i++)
    net->layers[i] = (SqDynapcnnNetLayer) { .stride_y = 1, .stride_x = 1, .pool = 1 };
  seen = g_new0 (guint8, (gsize) n_layers * N_KEYS);

  for (guint m = 0; m < n_members; m++)
    {
      g_autofree char *name = member_key (reader, m);
      SqTensor t = { 0, };
      gboolean ok;
      guint layer = 0;
      int key = 0;
      gboolean is_shape = g_str_equal (name, "input_shape");

      if (!is_shape && !parse_layer_key (name, &layer, &key))
        {
          g_autofree char *shown = g_strescape (name, NULL);

          g_ptr_array_add (net->warnings,
                           g_strdup_printf (_("unknown array \"%s\" ignored"), shown));
          continue;
        }
      if (is_shape ? net->has_input_shape : seen[layer * N_KEYS + key])
        {
          fail (net->source, error, _("%s appears twice"), name);
          return NULL;
        }
      if (!sq_npz_reader_read_tensor (reader, m, &t, NULL, error))
        return NULL;
      ok = is_shape ? read_input_shape (net, &t, error)
                    : take_member (&net->layers[layer], key, &t, net->source, name, error);
      sq_tensor_clear (&t);
      if (!ok)
        return NULL;
      if (!is_shape)
        seen[layer * N_KEYS + key] = 1;
    }

  for (guint i = 0; i < n_layers; i++)
    {
      if (!seen[i * N_KEYS + KEY_WEIGHT])
        {
          fail (net->source, error, _("layers.%u.weight is missing"), i);
          return NULL;
        }
      if (!seen[i * N_KEYS + KEY_THRESHOLD])
        {
          fail (net->source, error, _("layers.%u.spike_threshold is missing"), i);
          return NULL;
        }
    }
  if (!_sq_dynapcnn_net_validate (net, error))
    return NULL;
  return g_steal_pointer (&net);
}

/**
 * sq_dynapcnn_net_load_file:
 *
 * Reads a DynapCNN layer file, JSON or (by its name, or its ZIP signature) .npz.
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
SqDynapcnnNet *
sq_dynapcnn_net_load_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GMappedFile) file = sq_file_map (path, error);
  g_autofree char *name = NULL;
  const char *data;
  gsize length;

  if (file == NULL)
    return NULL;
  name = g_filename_display_basename (path);
  data = g_mapped_file_get_contents (file);
  length = g_mapped_file_get_length (file);
  if (_sq_path_has_extension (path, "npz") || (length >= 4 && memcmp (data, "PK\3\4", 4) == 0))
    return sq_dynapcnn_net_load_npz_data ((const guint8 *) data, length, name, error);
  return sq_dynapcnn_net_load_json_data (data, length, name, error);
}

static gboolean
add_scalar (SqNpzWriter  *w,
            const char   *key,
            double        v,
            SqNpyDtype    dtype,
            GError      **error)
{
  SqTensor t = { .rank = 0, .n = 1, .data = &v, .integer = dtype != SQ_NPY_FLOAT64 };

  return sq_npz_writer_add_tensor (w, key, &t, dtype, error);
}

/**
 * sq_dynapcnn_net_to_npz:
 * @length: (out)
 *
 * @net as a .npz layer file that sq_dynapcnn_net_load_npz_data() reads back: integers as
 * int16 (int8 weights) when @net is discretized, float64 otherwise; geometry only where it
 * differs from the defaults.
 *
 * Returns: (transfer full): the archive, or %NULL with @error set
 */
guint8 *
sq_dynapcnn_net_to_npz (const SqDynapcnnNet  *net,
                        gsize                *length,
                        GError              **error)
{
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  gboolean integer = sq_dynapcnn_net_is_integer (net);
  SqNpyDtype wt = integer ? SQ_NPY_INT8 : SQ_NPY_FLOAT64;
  SqNpyDtype st = integer ? SQ_NPY_INT32 : SQ_NPY_FLOAT64;

  if (net->has_input_shape)
    {
      double shape[3] = { net->input_shape[0], net->input_shape[1], net->input_shape[2] };
      SqTensor t = { .rank = 1, .shape = { 3 }, .n = 3, .data = shape, .integer = TRUE };

      if (!sq_npz_writer_add_tensor (w, "input_shape", &t, SQ_NPY_INT64, error))
        return NULL;
    }
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];
      const SqDynapcnnLayerParams *p = &l->params;
      char *k[N_KEYS];
      gboolean ok;

      for (int key = 0; key < N_KEYS; key++)
        k[key] = g_strdup_printf ("layers.%u.%s", i, key_names[key]);
      ok = sq_npz_writer_add_tensor (w, k[KEY_WEIGHT], &p->weight, wt, error) &&
           (!sq_tensor_is_present (&p->bias) ||
            sq_npz_writer_add_tensor (w, k[KEY_BIAS], &p->bias, st, error)) &&
           (!sq_tensor_is_present (&p->v_mem) ||
            sq_npz_writer_add_tensor (w, k[KEY_V_MEM], &p->v_mem, st, error)) &&
           add_scalar (w, k[KEY_THRESHOLD], p->spike_threshold, st, error) &&
           (!p->has_min_v_mem || add_scalar (w, k[KEY_MIN_V_MEM], p->min_v_mem, st, error)) &&
           (!l->has_scale || add_scalar (w, k[KEY_SCALE], l->scale, SQ_NPY_FLOAT64, error)) &&
           (l->pool == 1 || add_scalar (w, k[KEY_POOLING], l->pool, SQ_NPY_INT64, error)) &&
           (!l->reset_zero || add_scalar (w, k[KEY_RESET_ZERO], 1, SQ_NPY_BOOL, error)) &&
           (!l->single_spike || add_scalar (w, k[KEY_SINGLE_SPIKE], 1, SQ_NPY_BOOL, error));
      if (ok && (l->stride_y != 1 || l->stride_x != 1 || l->pad_y != 0 || l->pad_x != 0))
        {
          double stride[2] = { l->stride_y, l->stride_x }, pad[2] = { l->pad_y, l->pad_x };
          SqTensor s = { .rank = 1, .shape = { 2 }, .n = 2, .data = stride, .integer = TRUE };
          SqTensor q = { .rank = 1, .shape = { 2 }, .n = 2, .data = pad, .integer = TRUE };

          ok = sq_npz_writer_add_tensor (w, k[KEY_STRIDE], &s, SQ_NPY_INT64, error) &&
               sq_npz_writer_add_tensor (w, k[KEY_PADDING], &q, SQ_NPY_INT64, error);
        }
      for (int key = 0; key < N_KEYS; key++)
        g_free (k[key]);
      if (!ok)
        return NULL;
    }
  return sq_npz_writer_finish (w, length, error);
}
