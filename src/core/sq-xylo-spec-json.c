/* sq-xylo-spec-json.c: Xylo specifications as JSON
 *
 * Reads exactly what a Rockpool user writes with
 *   json.dump({k: np.asarray(v).tolist() for k, v in spec.items() if k != "mapped_graph"}, f)
 * and writes the same layout back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synquant.h"
#include "sq-json-reader-private.h"
#include "sq-private.h"

enum {
  SEEN_DT = SQ_N_PARAMS,
  SEEN_ALIASES,
  SEEN_SHIFT, /* + SqShift */
  N_SEEN = SEEN_SHIFT + SQ_N_SHIFTS
};

static gboolean
shift_from_name (const char *name,
                 SqShift    *shift)
{
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (g_str_equal (name, sq_shift_name ((SqShift) i)))
      {
        *shift = (SqShift) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_shift (SqJsonReader *r,
            SqXyloSpec   *spec,
            SqShift       shift,
            GError      **error)
{
  const char *at;
  double v;

  _sq_json_reader_peek (r);
  at = r->p;
  if (!_sq_json_reader_read_scalar (r, sq_shift_name (shift), &v, NULL, error))
    return FALSE;
  if (!(nearbyint (v) <= v && nearbyint (v) >= v) || v < 0 || v > SQ_WEIGHT_SHIFT_MAX)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                             _("%s: found %g, expected a whole number from 0 to %d"),
                             sq_shift_name (shift), v, SQ_WEIGHT_SHIFT_MAX);
      return FALSE;
    }
  spec->weight_shift[shift] = (int) v;
  spec->has_weight_shift[shift] = TRUE;
  return TRUE;
}

static gboolean
read_dt (SqJsonReader *r,
         SqXyloSpec   *spec,
         GError      **error)
{
  const char *at;
  double v;

  _sq_json_reader_peek (r);
  at = r->p;
  if (!_sq_json_reader_read_scalar (r, "dt", &v, NULL, error))
    return FALSE;
  if (!(v > 0.0))
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                             _("dt: found %g, expected a positive time step in seconds"), v);
      return FALSE;
    }
  spec->dt = v;
  spec->has_dt = TRUE;
  return TRUE;
}

/* The code for something other than a list: the file ends or breaks there (syntax), a
 * number stands where a list belongs (nesting), or another type does. */
static int
not_a_list_code (SqJsonToken t)
{
  if (t == SQ_JSON_END || t == SQ_JSON_INVALID)
    return SQ_SPEC_ERROR_SYNTAX;
  if (t == SQ_JSON_NUMBER || t == SQ_JSON_NON_FINITE)
    return SQ_SPEC_ERROR_RANK;
  return SQ_SPEC_ERROR_NOT_A_NUMBER;
}

/* aliases: a list of one list of target indices per hidden neuron; the lists may differ in
 * length (most are empty), so this is not a tensor. */
static gboolean
read_aliases (SqJsonReader *r,
              SqXyloSpec   *spec,
              GError      **error)
{
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (guint32));
  gsize zero = 0, list = 0;

  if (_sq_json_reader_peek (r) != SQ_JSON_ARRAY)
    {
      SqJsonToken t = _sq_json_reader_peek (r);

      _sq_json_reader_error (r, error, not_a_list_code (t), r->p,
                             _("aliases: found %s, expected a list of lists of neuron indices"),
                             _sq_json_token_describe (t));
      return FALSE;
    }
  r->p++;
  g_array_append_val (offsets, zero);

  if (!_sq_json_reader_accept (r, ']'))
    {
      do
        {
          gsize item = 0;

          if (_sq_json_reader_peek (r) != SQ_JSON_ARRAY)
            {
              SqJsonToken t = _sq_json_reader_peek (r);

              _sq_json_reader_error (r, error, not_a_list_code (t), r->p,
                                     _("aliases[%zu]: found %s, expected a list "
                                       "of neuron indices"),
                                     list, _sq_json_token_describe (t));
              return FALSE;
            }
          if (list >= SQ_TENSOR_MAX_DIM)
            {
              _sq_json_reader_error (r, error, SQ_SPEC_ERROR_TOO_LARGE, r->p,
                                     _("aliases: more than %zu lists"),
                                     SQ_TENSOR_MAX_DIM);
              return FALSE;
            }
          r->p++;
          if (!_sq_json_reader_accept (r, ']'))
            {
              do
                {
                  g_autofree char *path = g_strdup_printf ("aliases[%zu][%zu]", list, item);
                  const char *at;
                  double v;
                  guint32 target;

                  _sq_json_reader_peek (r);
                  at = r->p;
                  if (!_sq_json_reader_read_scalar (r, path, &v, NULL, error))
                    return FALSE;
                  if (!(nearbyint (v) <= v && nearbyint (v) >= v) || v < 0 || v > G_MAXUINT32)
                    {
                      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                                             _("%s: found %g, expected a hidden neuron index"),
                                             path, v);
                      return FALSE;
                    }
                  if (targets->len >= SQ_TENSOR_MAX_DIM)
                    {
                      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_TOO_LARGE, at,
                                             _("aliases: more than %zu targets"),
                                             SQ_TENSOR_MAX_DIM);
                      return FALSE;
                    }
                  target = (guint32) v;
                  g_array_append_val (targets, target);
                  item++;
                }
              while (_sq_json_reader_accept (r, ','));
              if (!_sq_json_reader_expect (r, ']', N_("or ',' after an alias target"), error))
                return FALSE;
            }
          list++;
          {
            gsize end = targets->len;
            g_array_append_val (offsets, end);
          }
        }
      while (_sq_json_reader_accept (r, ','));
      if (!_sq_json_reader_expect (r, ']', N_("or ',' after an alias list"), error))
        return FALSE;
    }

  spec->n_alias_lists = list;
  spec->alias_offsets = (gsize *) (void *) g_array_free (g_steal_pointer (&offsets), FALSE);
  spec->alias_targets = (guint32 *) (void *) g_array_free (g_steal_pointer (&targets), FALSE);
  return TRUE;
}

static gboolean
read_member (SqJsonReader *r,
             SqXyloSpec   *spec,
             gboolean     *seen,
             GError      **error)
{
  g_autofree char *key = NULL;
  const char *key_at;
  SqParam param = SQ_PARAM_WEIGHTS_IN;
  SqShift shift = SQ_SHIFT_IN;
  guint slot;

  _sq_json_reader_peek (r);
  key_at = r->p;
  key = _sq_json_reader_read_string (r, error);
  if (key == NULL || !_sq_json_reader_expect (r, ':', N_("after an object key"), error))
    return FALSE;

  if (sq_param_from_name (key, &param))
    slot = param;
  else if (shift_from_name (key, &shift))
    slot = SEEN_SHIFT + shift;
  else if (g_str_equal (key, "dt"))
    slot = SEEN_DT;
  else if (g_str_equal (key, "aliases"))
    slot = SEEN_ALIASES;
  else
    {
      g_autofree char *shown = _sq_json_escape_key (key);

      sq_xylo_spec_add_warning (spec, _("unknown key \"%s\" ignored"), shown);
      return _sq_json_reader_skip_value (r, shown, error);
    }

  if (seen[slot])
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_DUPLICATE_KEY, key_at,
                             _("key \"%s\" appears twice"), key);
      return FALSE;
    }
  seen[slot] = TRUE;

  if (slot < SQ_N_PARAMS)
    return _sq_json_reader_read_tensor (r, key, SQ_TENSOR_MAX_RANK, &spec->param[param], error);
  if (slot == SEEN_DT)
    return read_dt (r, spec, error);
  if (slot == SEEN_ALIASES)
    return read_aliases (r, spec, error);
  return read_shift (r, spec, shift, error);
}

static SqXyloSpec *load_json_data (const char    *data,
                                   gsize          length,
                                   const char    *display_name,
                                   GCancellable  *cancellable,
                                   SqProgressFunc progress,
                                   gpointer       progress_data,
                                   GError       **error);

/**
 * sq_xylo_spec_load_json_data:
 * @data: (array length=length): the JSON text; it need not be NUL-terminated
 * @display_name: how messages name the source, usually the file name
 *
 * Parses and validates a specification. Unknown keys are ignored and listed in the
 * specification's warnings.
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_json_data (const char  *data,
                             gsize        length,
                             const char  *display_name,
                             GError     **error)
{
  return load_json_data (data, length, display_name, NULL, NULL, NULL, error);
}

static SqXyloSpec *
load_json_data (const char    *data,
                gsize          length,
                const char    *display_name,
                GCancellable  *cancellable,
                SqProgressFunc progress,
                gpointer       progress_data,
                GError       **error)
{
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_new ();
  gboolean seen[N_SEEN] = { FALSE, };
  SqJsonReader r;
  SqJsonToken t;

  spec->source = g_strdup (display_name);
  _sq_json_reader_init_document (&r, data, length, display_name);
  _sq_json_reader_watch (&r, cancellable, progress, progress_data);

  t = _sq_json_reader_peek (&r);
  if (t == SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, NULL,
                             _("the file is empty, expected a JSON object"));
      return NULL;
    }
  if (t != SQ_JSON_OBJECT)
    {
      if (t == SQ_JSON_INVALID)
        _sq_json_reader_expect (&r, '{', N_("at the start of the specification"), error);
      else
        _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_NOT_OBJECT, r.p,
                               _("the top level is %s, expected an object with the "
                                 "specification's keys (weights_in, weights_rec, …)"),
                               _sq_json_token_describe (t));
      return NULL;
    }
  r.p++;

  if (!_sq_json_reader_accept (&r, '}'))
    {
      do
        if (!read_member (&r, spec, seen, error))
          return NULL;
      while (_sq_json_reader_accept (&r, ','));
      if (!_sq_json_reader_expect (&r, '}', N_("or ',' after an object member"), error))
        return NULL;
    }

  if (_sq_json_reader_peek (&r) != SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, r.p,
                             _("unexpected data after the end of the specification"));
      return NULL;
    }

  if (!sq_xylo_spec_validate (spec, error))
    return NULL;

  return g_steal_pointer (&spec);
}

/**
 * sq_xylo_spec_load_json:
 *
 * Loads a specification from a JSON file. The file is mapped, not copied, so a 17 MB network
 * costs only its parsed values.
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_json (const char  *path,
                        GError     **error)
{
  return sq_xylo_spec_load_json_full (path, NULL, NULL, NULL, error);
}

/**
 * sq_xylo_spec_load_json_full:
 * @cancellable: (nullable): cancels the load with %G_IO_ERROR_CANCELLED
 * @progress: (nullable) (scope call): called now and then with the part of the file read
 *
 * Like sq_xylo_spec_load_json(), for a loading thread that shows progress.
 *
 * Returns: (transfer full): the specification, or %NULL with @error set
 */
SqXyloSpec *
sq_xylo_spec_load_json_full (const char    *path,
                             GCancellable  *cancellable,
                             SqProgressFunc progress,
                             gpointer       progress_data,
                             GError       **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  file = sq_file_map (path, &local_error);
  if (file == NULL)
    {
      g_set_error_literal (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_IO, local_error->message);
      return NULL;
    }

  return load_json_data (g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
                         name, cancellable, progress, progress_data, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

void
_sq_append_integer (GString *s,
                   double   v)
{
  char buf[32];
  char *p = buf + sizeof buf;
  gboolean negative = v < 0;
  guint64 u;

  if (!(fabs (v) < 9.2e18))
    {
      /* Beyond int64 only Rockpool-mode garbage could get here; write the exact value. */
      g_string_append_printf (s, "%.0f", v);
      return;
    }

  u = (guint64) (negative ? -v : v);
  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  if (negative)
    *--p = '-';
  g_string_append_len (s, p, buf + sizeof buf - p);
}

/* The shortest text that reads back as the same double, spelled exactly as Python's repr
 * (and numpy's tolist()) spells floats: fixed notation for decimal exponents −4 … 15 with
 * ".0" on whole numbers ("0.001", "1.0", "1000000000000000.0"), otherwise "1e-05",
 * "1.5e+16", "5e-324". */
void
_sq_append_float (GString *s,
                 double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
  char digits[24];
  int lo = 1, hi = 17, exp10, n_digits;
  const char *e;

  if (!isfinite (v))
    {
      /* Never in a loaded or quantized spec; written as Python would. */
      g_string_append (s, isnan (v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
      return;
    }

  /* The shortest precision that round-trips: if p digits do, p + 1 do too. */
  while (lo < hi)
    {
      int mid = (lo + hi) / 2;
      double back;

      g_snprintf (fmt, sizeof fmt, "%%.%de", mid - 1);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      back = g_ascii_strtod (buf, NULL);
      if (back <= v && back >= v)
        hi = mid;
      else
        lo = mid + 1;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%de", lo - 1);
  g_ascii_formatd (buf, sizeof buf, fmt, v);

  /* buf is "-d.ddde±XX": split it into the digits and the decimal exponent. */
  e = strchr (buf, 'e');
  exp10 = atoi (e + 1);
  n_digits = 0;
  for (const char *p = buf; p < e; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  if (buf[0] == '-')
    g_string_append_c (s, '-');

  if (exp10 >= -4 && exp10 < 16)
    {
      if (exp10 < 0)
        {
          g_string_append (s, "0.");
          for (int i = exp10; i < -1; i++)
            g_string_append_c (s, '0');
          g_string_append (s, digits);
        }
      else
        {
          for (int i = 0; i <= exp10; i++)
            g_string_append_c (s, i < n_digits ? digits[i] : '0');
          g_string_append_c (s, '.');
          if (n_digits > exp10 + 1)
            g_string_append (s, digits + exp10 + 1);
          else
            g_string_append_c (s, '0');
        }
    }
  else
    {
      g_string_append_c (s, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (s, '.');
          g_string_append (s, digits + 1);
        }
      g_string_append_printf (s, "e%c%02d", exp10 < 0 ? '-' : '+', ABS (exp10));
    }
}

/* A tensor as nested JSON arrays, integers as integers (json.dump's spelling). */
void
_sq_append_tensor (GString        *s,
                   const SqTensor *t)
{
  gsize idx[SQ_TENSOR_MAX_RANK] = { 0, };

  if (t->rank == 0)
    {
      (t->integer ? _sq_append_integer : _sq_append_float) (s, t->data[0]);
      return;
    }

  for (guint d = 0; d < t->rank; d++)
    g_string_append_c (s, '[');

  for (gsize k = 0; k < t->n; k++)
    {
      guint d;

      (t->integer ? _sq_append_integer : _sq_append_float) (s, t->data[k]);

      /* Close the dimensions this element completes, then open the next row. */
      for (d = t->rank; d-- > 0;)
        {
          if (++idx[d] < t->shape[d])
            break;
          idx[d] = 0;
          g_string_append_c (s, ']');
        }
      if (k + 1 < t->n)
        {
          guint closed = t->rank - 1 - d;

          g_string_append (s, ", ");
          for (guint i = 0; i < closed; i++)
            g_string_append_c (s, '[');
        }
    }
}

/**
 * sq_xylo_spec_to_json:
 *
 * Formats a specification as a single-line JSON object in the mapper's key order, the way
 * Python's json.dump writes it. Integer tensors are written as integers.
 */
GString *
sq_xylo_spec_to_json (const SqXyloSpec *spec)
{
  GString *s = g_string_sized_new (64 + 8 * sq_xylo_spec_n_weights (spec));
  gboolean first = TRUE;

#define KEY(name) G_STMT_START { \
    g_string_append (s, first ? "{\"" : ", \""); \
    g_string_append (s, name); \
    g_string_append (s, "\": "); \
    first = FALSE; \
  } G_STMT_END

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    if (sq_tensor_is_present (&spec->param[i]))
      {
        KEY (sq_param_name ((SqParam) i));
        _sq_append_tensor (s, &spec->param[i]);
      }

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->has_weight_shift[i])
      {
        KEY (sq_shift_name ((SqShift) i));
        g_string_append_printf (s, "%d", spec->weight_shift[i]);
      }

  if (spec->alias_offsets != NULL)
    {
      KEY ("aliases");
      g_string_append_c (s, '[');
      for (gsize j = 0; j < spec->n_alias_lists; j++)
        {
          g_string_append (s, j ? ", [" : "[");
          for (gsize k = spec->alias_offsets[j]; k < spec->alias_offsets[j + 1]; k++)
            g_string_append_printf (s, k > spec->alias_offsets[j] ? ", %u" : "%u",
                                    spec->alias_targets[k]);
          g_string_append_c (s, ']');
        }
      g_string_append_c (s, ']');
    }

  if (spec->has_dt)
    {
      KEY ("dt");
      _sq_append_float (s, spec->dt);
    }

#undef KEY

  g_string_append (s, first ? "{}\n" : "}\n");
  return s;
}

/**
 * sq_xylo_spec_save_json:
 *
 * Writes the specification to @path atomically: a temporary file in the same folder is
 * written, flushed and renamed over @path, so @path never holds a partial file.
 */
gboolean
sq_xylo_spec_save_json (const SqXyloSpec *spec,
                        const char       *path,
                        GError          **error)
{
  g_autoptr(GString) json = sq_xylo_spec_to_json (spec);

  return sq_file_write_atomic (path, json->str, json->len, error);
}
