/* sq-npy.c: the NumPy .npy format (numpy/lib/format.py, versions 1.0, 2.0 and 3.0)
 *
 * A file is the magic "\x93NUMPY", a major and minor version byte, the header length (2 bytes
 * little-endian in 1.0, 4 bytes in 2.0 and 3.0), and a header that is a Python dict literal
 * with exactly the keys 'descr', 'fortran_order' and 'shape', padded with spaces and ended by
 * a newline; the raw array data follows. The reader works on a memory buffer so that members
 * of an .npz archive can be fed to it; it never allocates before the shape has been checked
 * against the tensor limits and the data length against the shape.
 *
 * One file for the format's two directions (about 840 lines): the reader and the writer
 * share the dtype table and the header's grammar, which is small enough that splitting it
 * from either would only spread one format over three files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <inttypes.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-npy-private.h"

G_DEFINE_QUARK (sq-npy-error-quark, sq_npy_error)

static const char magic[6] = { '\x93', 'N', 'U', 'M', 'P', 'Y' };

typedef struct {
  char     kind;   /* 'b', 'i', 'u' or 'f' */
  guint    size;
  const char *name;   /* "i2", "f8": the dtype without its byte order */
} DtypeInfo;

static const DtypeInfo dtypes[SQ_NPY_N_DTYPES] = {
  [SQ_NPY_AUTO]    = { 0,   0, "auto" },
  [SQ_NPY_BOOL]    = { 'b', 1, "b1" },
  [SQ_NPY_INT8]    = { 'i', 1, "i1" },
  [SQ_NPY_INT16]   = { 'i', 2, "i2" },
  [SQ_NPY_INT32]   = { 'i', 4, "i4" },
  [SQ_NPY_INT64]   = { 'i', 8, "i8" },
  [SQ_NPY_UINT8]   = { 'u', 1, "u1" },
  [SQ_NPY_UINT16]  = { 'u', 2, "u2" },
  [SQ_NPY_UINT32]  = { 'u', 4, "u4" },
  [SQ_NPY_UINT64]  = { 'u', 8, "u8" },
  [SQ_NPY_FLOAT32] = { 'f', 4, "f4" },
  [SQ_NPY_FLOAT64] = { 'f', 8, "f8" },
};

/* ---------------------------------------------------------------------------------------- */
/* Header                                                                                    */

typedef struct {
  const char *p;
  const char *end;
  const char *name;
  SqNpyRecordType *records;   /* where a structured dtype goes; NULL refuses one */
} Header;

typedef struct {
  SqNpyDtype dtype;
  gboolean   big_endian;
  gboolean   fortran;
  guint      rank;
  gsize      shape[SQ_TENSOR_MAX_RANK];
} HeaderInfo;

static gboolean G_GNUC_PRINTF (3, 4)
header_error (Header     *h,
              GError    **error,
              const char *format,
              ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT, _("%s: .npy header: %s"), h->name, msg);
  return FALSE;
}

static void
header_skip_ws (Header *h)
{
  while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n' || *h->p == '\r'))
    h->p++;
}

static gboolean
header_accept (Header *h,
               char    c)
{
  header_skip_ws (h);
  if (h->p < h->end && *h->p == c)
    {
      h->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
header_expect (Header     *h,
               char        c,
               GError    **error)
{
  if (header_accept (h, c))
    return TRUE;
  if (h->p >= h->end)
    return header_error (h, error, _("expected '%c', found the end of the header"), c);
  return header_error (h, error, _("expected '%c', found '%c'"), c, *h->p);
}

/* A Python string literal in single or double quotes, without escapes (numpy writes none). */
static char *
header_string (Header  *h,
               GError **error)
{
  const char *start;
  char quote;

  header_skip_ws (h);
  if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
    {
      header_error (h, error, _("expected a quoted string"));
      return NULL;
    }
  quote = *h->p++;
  start = h->p;
  while (h->p < h->end && *h->p != quote && *h->p != '\\' && *h->p != '\n')
    h->p++;
  if (h->p >= h->end || *h->p != quote)
    {
      header_error (h, error, _("unterminated string"));
      return NULL;
    }
  h->p++;
  return g_strndup (start, (gsize) (h->p - 1 - start));
}

static gboolean
parse_descr (Header      *h,
             const char  *descr,
             HeaderInfo  *info,
             GError     **error)
{
  char order = descr[0], kind;
  const char *size_text;
  guint64 size;

  if (order != '<' && order != '>' && order != '|' && order != '=')
    order = '|', size_text = descr;
  else
    size_text = descr + 1;
  kind = size_text[0];
  if (kind == 'O')
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                   _("%s: the array holds pickled Python objects (dtype '%s'), which Synquant "
                     "never loads; save a numeric array"), h->name, descr);
      return FALSE;
    }
  if (kind == '?' && size_text[1] == '\0')
    size = 1, kind = 'b';
  else if (kind == '\0' || !g_ascii_string_to_unsigned (size_text + 1, 10, 1, 16, &size, NULL))
    size = 0;

  info->dtype = SQ_NPY_AUTO;
  for (guint i = 1; i < SQ_NPY_N_DTYPES; i++)
    if (dtypes[i].kind == kind && dtypes[i].size == size)
      info->dtype = (SqNpyDtype) i;
  /* '|' means "byte order does not apply", which is only true of one-byte types. */
  if (info->dtype == SQ_NPY_AUTO || (order == '|' && size != 1))
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                   _("%s: dtype '%s' is not supported; expected a number or boolean array "
                     "(b1, i1, i2, i4, i8, u1, u2, u4, u8, f4 or f8)"), h->name, descr);
      return FALSE;
    }
  info->big_endian = order == '>' || (order == '=' && G_BYTE_ORDER == G_BIG_ENDIAN);
  return TRUE;
}

static gboolean
parse_shape (Header      *h,
             HeaderInfo  *info,
             GError     **error)
{
  guint rank = 0;
  gsize shape[SQ_TENSOR_MAX_RANK + 1];

  if (!header_expect (h, '(', error))
    return FALSE;
  while (!header_accept (h, ')'))
    {
      guint64 v = 0;

      header_skip_ws (h);
      if (h->p >= h->end || !g_ascii_isdigit (*h->p))
        return header_error (h, error, _("expected a dimension in 'shape'"));
      while (h->p < h->end && g_ascii_isdigit (*h->p))
        {
          /* Saturate: sq_shape_count refuses anything this large anyway. */
          v = v > G_MAXUINT32 ? v : v * 10 + (guint64) (*h->p - '0');
          h->p++;
        }
      if (rank == SQ_TENSOR_MAX_RANK)
        {
          g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_RANK,
                       _("%s: the array has more than %u dimensions"), h->name,
                       SQ_TENSOR_MAX_RANK);
          return FALSE;
        }
      shape[rank++] = (gsize) MIN (v, (guint64) G_MAXSIZE);
      if (!header_accept (h, ','))
        {
          if (!header_expect (h, ')', error))
            return FALSE;
          /* "(3)" is the integer 3, not a tuple. */
          if (rank == 1)
            return header_error (h, error, _("'shape' is not a tuple"));
          break;
        }
    }
  info->rank = rank;
  memcpy (info->shape, shape, rank * sizeof (gsize));
  return TRUE;
}

/* A structured dtype, numpy's list of (name, type) pairs: "[('t', '<i8'), ('x', '<i2')]".
 * Void fields ('|V4') are padding numpy writes for aligned records; sub-arrays (a third
 * element) are refused. The record's size is bounded, so n × itemsize cannot overflow. */
static gboolean
parse_fields (Header      *h,
              HeaderInfo  *info,
              GError     **error)
{
  SqNpyRecordType *rec = h->records;
  gsize offset = 0;

  rec->n_fields = 0;
  if (!header_expect (h, '[', error))
    return FALSE;
  while (!header_accept (h, ']'))
    {
      g_autofree char *field = NULL;
      g_autofree char *descr = NULL;
      HeaderInfo one = { 0 };
      guint64 size;

      if (!header_expect (h, '(', error) || (field = header_string (h, error)) == NULL ||
          !header_expect (h, ',', error) || (descr = header_string (h, error)) == NULL)
        return FALSE;
      if (!header_expect (h, ')', error))
        {
          g_clear_error (error);
          g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                       _("%s: field '%s' is a sub-array or has a title; expected a number"),
                       h->name, field);
          return FALSE;
        }
      if ((descr[0] == '|' && descr[1] == 'V') || descr[0] == 'V')
        {
          const char *digits = descr + (descr[0] == '|' ? 2 : 1);

          if (!g_ascii_string_to_unsigned (digits, 10, 1, SQ_NPY_MAX_ITEMSIZE, &size, NULL))
            return header_error (h, error, _("padding field '%s' has no size"), descr);
        }
      else
        {
          SqNpyField *f;

          if (!parse_descr (h, descr, &one, error))
            return FALSE;
          for (guint i = 0; i < rec->n_fields; i++)
            if (g_str_equal (rec->fields[i].name, field))
              return header_error (h, error, _("field '%s' appears twice"), field);
          if (rec->n_fields == SQ_NPY_MAX_FIELDS || strlen (field) >= sizeof f->name)
            {
              g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                           _("%s: the records have more than %u fields or a name longer "
                             "than %zu bytes"), h->name, SQ_NPY_MAX_FIELDS,
                           sizeof f->name - 1);
              return FALSE;
            }
          f = &rec->fields[rec->n_fields++];
          g_strlcpy (f->name, field, sizeof f->name);
          f->dtype = one.dtype;
          f->big_endian = one.big_endian;
          f->offset = offset;
          size = dtypes[one.dtype].size;
        }
      offset += (gsize) size;
      if (offset > SQ_NPY_MAX_ITEMSIZE)
        {
          g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                       _("%s: a record is more than %u bytes"), h->name, SQ_NPY_MAX_ITEMSIZE);
          return FALSE;
        }
      if (!header_accept (h, ','))
        {
          if (!header_expect (h, ']', error))
            return FALSE;
          break;
        }
    }
  if (offset == 0)
    return header_error (h, error, _("the structured dtype has no fields"));
  rec->itemsize = offset;
  info->dtype = SQ_NPY_AUTO;
  return TRUE;
}

static gboolean
parse_header (Header      *h,
              HeaderInfo  *info,
              GError     **error)
{
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  static const char *const keys[3] = { "descr", "fortran_order", "shape" };

  if (!header_expect (h, '{', error))
    return FALSE;
  while (!header_accept (h, '}'))
    {
      g_autofree char *key = header_string (h, error);
      int which = -1;

      if (key == NULL)
        return FALSE;
      for (int i = 0; i < 3; i++)
        if (g_str_equal (key, keys[i]))
          which = i;
      if (which < 0)
        return header_error (h, error, _("unexpected key '%s'; expected 'descr', "
                                         "'fortran_order' and 'shape'"), key);
      if (seen[which])
        return header_error (h, error, _("key '%s' appears twice"), key);
      seen[which] = TRUE;
      if (!header_expect (h, ':', error))
        return FALSE;

      header_skip_ws (h);
      if (which == 0)
        {
          g_autofree char *descr = NULL;

          if (h->p < h->end && *h->p == '[')
            {
              if (h->records == NULL)
                {
                  g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_DTYPE,
                               _("%s: the array has a structured dtype; expected a number "
                                 "or boolean array"), h->name);
                  return FALSE;
                }
              if (!parse_fields (h, info, error))
                return FALSE;
              goto next;
            }
          descr = header_string (h, error);
          if (descr == NULL || !parse_descr (h, descr, info, error))
            return FALSE;
        }
      else if (which == 1)
        {
          if ((gsize) (h->end - h->p) >= 4 && memcmp (h->p, "True", 4) == 0)
            info->fortran = TRUE, h->p += 4;
          else if ((gsize) (h->end - h->p) >= 5 && memcmp (h->p, "False", 5) == 0)
            info->fortran = FALSE, h->p += 5;
          else
            return header_error (h, error, _("'fortran_order' must be True or False"));
        }
      else if (!parse_shape (h, info, error))
        return FALSE;

    next:
      if (!header_accept (h, ','))
        {
          if (!header_expect (h, '}', error))
            return FALSE;
          break;
        }
    }
  for (int i = 0; i < 3; i++)
    if (!seen[i])
      return header_error (h, error, _("missing key '%s'"), keys[i]);
  header_skip_ws (h);
  if (h->p != h->end)
    return header_error (h, error, _("unexpected text after the dictionary"));
  return TRUE;
}

/* "[3][7]", or numpy's "[()]" for the one value of a 0-d array. */
static char *
element_name (const SqTensor *tensor,
              gsize           flat_index)
{
  return tensor->rank ? sq_tensor_element_path (tensor, "", flat_index) : g_strdup ("[()]");
}

/* ---------------------------------------------------------------------------------------- */
/* Reading                                                                                   */

static inline guint64
load_bits (const guint8 *p,
           guint         size,
           gboolean      big_endian)
{
  guint64 v = 0;

  if (big_endian)
    for (guint i = 0; i < size; i++)
      v = (v << 8) | p[i];
  else
    for (guint i = size; i-- > 0;)
      v = (v << 8) | p[i];
  return v;
}

static inline gint64
sign_extend (guint64 bits,
             guint   size)
{
  return size < 8 ? (gint64) (bits << (64 - 8 * size)) >> (64 - 8 * size) : (gint64) bits;
}

/* The value of one element; FALSE when a 64-bit integer has no exact double. */
static inline gboolean
element_value (const guint8 *p,
               SqNpyDtype    dtype,
               gboolean      big_endian,
               double       *value)
{
  guint size = dtypes[dtype].size;
  guint64 bits = load_bits (p, size, big_endian);

  switch (dtypes[dtype].kind)
    {
    case 'b':
      *value = bits != 0;
      return TRUE;
    case 'u':
      *value = (double) bits;
      /* 2^64 rounds from values just below it; the cast back would be undefined. */
      return size < 8 || (*value < 18446744073709551616.0 && (guint64) *value == bits);
    case 'i':
      {
        gint64 v = sign_extend (bits, size);

        *value = (double) v;
        return size < 8 || (*value < 9223372036854775808.0 && (gint64) *value == v);
      }
    case 'f':
      if (size == 4)
        {
          guint32 b32 = (guint32) bits;
          float f;

          memcpy (&f, &b32, sizeof f);
          *value = f;
        }
      else
        memcpy (value, &bits, sizeof *value);
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * sq_npy_read:
 * @data: (array length=length): the whole .npy file
 * @name: the file's display name, for messages (an archive member: "x.npz: raster.npy")
 * @tensor: (out caller-allocates): the array in C order; integer when the dtype is an
 *   integer or boolean
 * @dtype: (out) (optional): the file's dtype
 *
 * Reads a .npy file of format 1.0, 2.0 or 3.0 holding a number or boolean array in either
 * byte order and either memory order. Pickled objects, structured dtypes, empty arrays, more
 * than %SQ_TENSOR_MAX_RANK dimensions, 64-bit integers that a double cannot hold exactly,
 * and truncated or over-long data are refused.
 */
/* The header alone (@data may end after it): the array's type and shape, where its data
 * starts and how many bytes it takes, known before the data is read or inflated. */
static gboolean
parse_header_bytes (const guint8     *data,
                    gsize             length,
                    const char       *name,
                    gboolean          allow_empty,
                    SqNpyRecordType  *records,
                    SqNpyView        *view,
                    gsize            *data_offset,
                    gsize            *data_size,
                    GError          **error)
{
  HeaderInfo info = { 0 };
  Header h;
  gsize header_len, prefix, n, itemsize;
  guint8 major;

  memset (view, 0, sizeof *view);
  if (length < 8 || memcmp (data, magic, sizeof magic) != 0)
    {
      if (length < sizeof magic && length > 0 && memcmp (data, magic, length) == 0)
        g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
                     _("%s: the file ends inside the .npy magic"), name);
      else if (length < 8 && length >= sizeof magic && memcmp (data, magic, sizeof magic) == 0)
        g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
                     _("%s: the file ends before the .npy version"), name);
      else
        g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT,
                     _("%s: not a NumPy .npy file (it does not start with \\x93NUMPY)"), name);
      return FALSE;
    }
  major = data[6];
  if (major < 1 || major > 3 || data[7] != 0)
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_FORMAT,
                   _("%s: .npy format version %u.%u; expected 1.0, 2.0 or 3.0"), name,
                   data[6], data[7]);
      return FALSE;
    }
  prefix = major == 1 ? 10 : 12;
  if (length < prefix)
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
                   _("%s: the file ends inside the .npy header length"), name);
      return FALSE;
    }
  header_len = (gsize) load_bits (data + 8, major == 1 ? 2 : 4, FALSE);
  if (header_len > length - prefix)
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
                   _("%s: the file ends inside the .npy header (%zu of %zu bytes)"), name,
                   length - prefix, header_len);
      return FALSE;
    }
  h.p = (const char *) data + prefix;
  h.end = h.p + header_len;
  h.name = name;
  h.records = records;
  if (records != NULL)
    memset (records, 0, sizeof *records);
  /* numpy ends the header with a newline; a header without one was cut short or forged. */
  if (header_len == 0 || h.end[-1] != '\n')
    return header_error (&h, error, _("it does not end with a newline"));
  if (!parse_header (&h, &info, error))
    return FALSE;

  n = 1;
  if (allow_empty)
    for (guint d = 0; d < info.rank; d++)
      if (info.shape[d] == 0)
        n = 0;
  if (n == 0)
    {
      for (guint d = 0; d < info.rank; d++)
        if (info.shape[d] > SQ_TENSOR_MAX_DIM)
          {
            g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                         _("%s: dimension %u is %zu, more than %zu"),
                         name, d, info.shape[d], SQ_TENSOR_MAX_DIM);
            return FALSE;
          }
    }
  else if (!sq_shape_count (info.rank, info.shape, &n, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  itemsize = info.dtype == SQ_NPY_AUTO ? records->itemsize : dtypes[info.dtype].size;
  if (records != NULL && info.dtype != SQ_NPY_AUTO)
    records->itemsize = itemsize;
  view->dtype = info.dtype;
  view->big_endian = info.big_endian;
  view->fortran = info.fortran;
  view->rank = info.rank;
  memcpy (view->shape, info.shape, sizeof view->shape);
  view->n = n;
  *data_offset = prefix + header_len;
  /* n ≤ SQ_TENSOR_MAX_ELEMENTS, itemsize ≤ SQ_NPY_MAX_ITEMSIZE: no overflow */
  *data_size = n * itemsize;
  return TRUE;
}

gboolean
_sq_npy_parse_header (const guint8  *data,
                      gsize          length,
                      const char    *name,
                      gboolean       allow_empty,
                      SqNpyView     *view,
                      gsize         *data_offset,
                      gsize         *data_size,
                      GError       **error)
{
  return parse_header_bytes (data, length, name, allow_empty, NULL, view, data_offset,
                             data_size, error);
}

/* The header and the length of the data after it; @view->data points to the data. */
static gboolean
parse_checked (const guint8    *data,
               gsize            length,
               const char      *name,
               gboolean         allow_empty,
               SqNpyRecordType *type,
               SqNpyView       *view,
               GError         **error)
{
  gsize offset, size;

  if (!parse_header_bytes (data, length, name, allow_empty, type, view, &offset, &size,
                           error) ||
      !_sq_npy_check_length (length, offset, size, name, error))
    {
      memset (view, 0, sizeof *view);
      return FALSE;
    }
  view->data = data + offset;
  return TRUE;
}

/* A plain array (@type->n_fields 0) or an array of records (@view->dtype %SQ_NPY_AUTO, the
 * fields in @type), checked against the data that follows, which @view->data points to.
 * Empty arrays are accepted (@view->n 0). */
gboolean
_sq_npy_parse_records (const guint8    *data,
                       gsize            length,
                       const char      *name,
                       SqNpyView       *view,
                       SqNpyRecordType *type,
                       GError         **error)
{
  return parse_checked (data, length, name, TRUE, type, view, error);
}

/* One integer or boolean element; FALSE for a float or an unsigned value beyond int64. */
gboolean
_sq_npy_element_int64 (const guint8 *p,
                       SqNpyDtype    dtype,
                       gboolean      big_endian,
                       gint64       *value)
{
  char kind = dtypes[dtype].kind;
  guint64 bits;

  if (kind != 'b' && kind != 'u' && kind != 'i')
    return FALSE;
  bits = load_bits (p, dtypes[dtype].size, big_endian);
  if (kind == 'u' && bits > (guint64) G_MAXINT64)
    return FALSE;
  *value = kind == 'i' ? sign_extend (bits, dtypes[dtype].size)
                       : kind == 'b' ? bits != 0 : (gint64) bits;
  return TRUE;
}

/* A file of @length bytes holds exactly the header's @offset and the array's @size. */
gboolean
_sq_npy_check_length (gsize       length,
                      gsize       offset,
                      gsize       size,
                      const char *name,
                      GError    **error)
{
  if (length - offset < size)
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRUNCATED,
                   _("%s: the file ends inside the array data (%zu of %zu bytes)"), name,
                   length - offset, size);
      return FALSE;
    }
  if (length - offset > size)
    {
      g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_TRAILING,
                   _("%s: %zu unexpected bytes after the array data"), name,
                   length - offset - size);
      return FALSE;
    }
  return TRUE;
}

/* The header of @data, checked against the data that follows: the part of sq_npy_read()
 * that does not allocate. With @allow_empty, dimensions of 0 are accepted (@view->n is 0):
 * np.asarray of a list of empty lists is such an array. */
gboolean
_sq_npy_parse (const guint8  *data,
               gsize          length,
               const char    *name,
               gboolean       allow_empty,
               SqNpyView     *view,
               GError       **error)
{
  return parse_checked (data, length, name, allow_empty, NULL, view, error);
}

/**
 * sq_npy_read:
 * @data: (array length=length): the whole .npy file
 * @name: the file's display name, for messages (an archive member: "x.npz: raster.npy")
 * @tensor: (out caller-allocates): the array in C order; integer when the dtype is an
 *   integer or boolean
 * @dtype: (out) (optional): the file's dtype
 *
 * Reads a .npy file of format 1.0, 2.0 or 3.0 holding a number or boolean array in either
 * byte order and either memory order. Pickled objects, structured dtypes, empty arrays, more
 * than %SQ_TENSOR_MAX_RANK dimensions, 64-bit integers that a double cannot hold exactly,
 * and truncated or over-long data are refused.
 */
gboolean
sq_npy_read (const guint8  *data,
             gsize          length,
             const char    *name,
             SqTensor      *tensor,
             SqNpyDtype    *dtype,
             GError       **error)
{
  HeaderInfo info = { 0 };
  SqNpyView view;
  gsize n, itemsize, strides[SQ_TENSOR_MAX_RANK], idx[SQ_TENSOR_MAX_RANK];
  const guint8 *p;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (tensor != NULL, FALSE);

  memset (tensor, 0, sizeof *tensor);
  if (!_sq_npy_parse (data, length, name, FALSE, &view, error))
    return FALSE;
  info.dtype = view.dtype;
  info.big_endian = view.big_endian;
  info.fortran = view.fortran;
  info.rank = view.rank;
  memcpy (info.shape, view.shape, sizeof info.shape);
  n = view.n;
  itemsize = dtypes[info.dtype].size;
  p = view.data;

  if (!sq_tensor_init (tensor, info.rank, info.shape, error))
    return FALSE;
  tensor->integer = dtypes[info.dtype].kind != 'f';
  if (dtype != NULL)
    *dtype = info.dtype;

  /* The common case of a spec saved on a little-endian machine: no per-element decoding, so
   * an .npz loads at the speed of its CRC. */
  if ((!info.fortran || info.rank < 2) && info.big_endian == (G_BYTE_ORDER == G_BIG_ENDIAN))
    {
      if (info.dtype == SQ_NPY_FLOAT64)
        {
          memcpy (tensor->data, p, n * sizeof (double));
          return TRUE;
        }
      if (info.dtype == SQ_NPY_FLOAT32 || info.dtype == SQ_NPY_INT8 ||
          info.dtype == SQ_NPY_INT16 || info.dtype == SQ_NPY_INT32)
        {
          for (gsize i = 0; i < n; i++, p += itemsize)
            {
              float f;
              gint16 i16;
              gint32 i32;

              switch (info.dtype)
                {
                case SQ_NPY_FLOAT32:
                  memcpy (&f, p, sizeof f);
                  tensor->data[i] = f;
                  break;
                case SQ_NPY_INT8:
                  tensor->data[i] = (gint8) *p;
                  break;
                case SQ_NPY_INT16:
                  memcpy (&i16, p, sizeof i16);
                  tensor->data[i] = i16;
                  break;
                default:
                  memcpy (&i32, p, sizeof i32);
                  tensor->data[i] = i32;
                  break;
                }
            }
          return TRUE;
        }
    }

  /* Fortran order stores the first index fastest: walk the file in its own order and put
   * each value where C order wants it. */
  for (guint d = info.rank; d-- > 0;)
    strides[d] = d + 1 == info.rank ? 1 : strides[d + 1] * info.shape[d + 1];
  memset (idx, 0, sizeof idx);
  for (gsize f = 0; f < n; f++, p += itemsize)
    {
      gsize c = f;

      if (info.fortran && info.rank > 1)
        {
          c = 0;
          for (guint d = 0; d < info.rank; d++)
            c += idx[d] * strides[d];
          for (guint d = 0; d < info.rank && ++idx[d] == info.shape[d]; d++)
            idx[d] = 0;
        }
      if (!element_value (p, info.dtype, info.big_endian, &tensor->data[c]))
        {
          g_autofree char *path = element_name (tensor, c);
          guint64 bits = load_bits (p, 8, info.big_endian);

          if (dtypes[info.dtype].kind == 'u')
            g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_VALUE,
                         _("%s: element %s is %" PRIu64 ", which a double cannot "
                           "hold exactly (at most 2^53 in magnitude)"), name, path, bits);
          else
            g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_VALUE,
                         _("%s: element %s is %" PRId64 ", which a double cannot "
                           "hold exactly (at most 2^53 in magnitude)"), name, path,
                         (gint64) bits);
          sq_tensor_clear (tensor);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sq_npy_load:
 *
 * sq_npy_read() on a file; messages name @path.
 */
gboolean
sq_npy_load (const char  *path,
             SqTensor    *tensor,
             SqNpyDtype  *dtype,
             GError     **error)
{
  g_autoptr(GMappedFile) file = sq_file_map (path, error);
  g_autofree char *name = NULL;

  memset (tensor, 0, sizeof *tensor);
  if (file == NULL)
    return FALSE;
  name = g_filename_display_name (path);
  return sq_npy_read ((const guint8 *) g_mapped_file_get_contents (file),
                      g_mapped_file_get_length (file), name, tensor, dtype, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

/* Whether @v can be stored as @dtype without changing it. */
static gboolean
value_fits (double     v,
            SqNpyDtype dtype)
{
  const DtypeInfo *d = &dtypes[dtype];

  if (d->kind == 'f')
    return d->size == 8 || !isfinite (v) || fabs (v) <= (double) G_MAXFLOAT;
  if (_sq_differ (nearbyint (v), v))   /* also NaN and ±Inf */
    return FALSE;
  if (d->kind == 'b')
    return v >= 0.0 && v <= 1.0;
  if (d->kind == 'u')
    return v >= 0.0 && v < ldexp (1.0, (int) (8 * d->size));
  return v >= -ldexp (1.0, (int) (8 * d->size - 1)) && v < ldexp (1.0, (int) (8 * d->size - 1));
}

/* A buffer for an .npy file of @n elements with its header written; *@data points where the
 * elements go. */
static guint8 *
write_header (SqNpyDtype   dtype,
              guint        rank,
              const gsize *shape,
              gsize        n,
              gsize       *length,
              guint8     **data)
{
  g_autoptr(GString) header = g_string_new (NULL);
  g_autofree char *shape_text = NULL;
  gsize prefix = 10;
  guint8 *out;

  /* The shape as Python prints a tuple: "()", "(3,)", "(3, 4)". */
  shape_text = sq_shape_to_string (rank, shape);
  g_string_printf (header, "{'descr': '%c%s', 'fortran_order': False, 'shape': %s, }",
                   dtypes[dtype].size == 1 ? '|' : '<', dtypes[dtype].name, shape_text);
  /* numpy pads so the data starts on a multiple of 64 bytes, and ends with a newline. */
  while ((prefix + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');

  *length = prefix + header->len + n * dtypes[dtype].size;
  out = g_malloc (*length);
  memcpy (out, magic, sizeof magic);
  out[6] = 1;
  out[7] = 0;
  out[8] = (guint8) (header->len & 0xFF);
  out[9] = (guint8) (header->len >> 8);
  memcpy (out + prefix, header->str, header->len);
  *data = out + prefix + header->len;
  return out;
}

/**
 * sq_npy_write:
 * @dtype: the element type to write, or %SQ_NPY_AUTO for '<f8' (float tensors) or '<i8'
 *   (integer tensors)
 * @length: (out): bytes in the result
 *
 * Writes @tensor as a little-endian, C-order .npy file (format 1.0) that np.load reads.
 * A value the dtype cannot hold exactly (a fraction or NaN for an integer dtype, a value out
 * of its range, a finite value beyond float32) is refused, naming its index.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
guint8 *
sq_npy_write (const SqTensor *tensor,
              SqNpyDtype      dtype,
              gsize          *length,
              GError        **error)
{
  guint8 *out, *p;
  gsize size;

  g_return_val_if_fail (sq_tensor_is_present (tensor), NULL);
  g_return_val_if_fail (dtype < SQ_NPY_N_DTYPES, NULL);

  if (dtype == SQ_NPY_AUTO)
    dtype = tensor->integer ? SQ_NPY_INT64 : SQ_NPY_FLOAT64;
  for (gsize i = 0; i < tensor->n; i++)
    if (!value_fits (tensor->data[i], dtype))
      {
        g_autofree char *path = element_name (tensor, i);
        g_autoptr(GString) value = g_string_new (NULL);

        _sq_append_float (value, tensor->data[i]);
        g_set_error (error, SQ_NPY_ERROR, SQ_NPY_ERROR_VALUE,
                     _("element %s is %s, which dtype %s cannot hold"), path, value->str,
                     dtypes[dtype].name);
        return NULL;
      }

  out = write_header (dtype, tensor->rank, tensor->shape, tensor->n, &size, &p);
  for (gsize i = 0; i < tensor->n; i++)
    {
      double v = tensor->data[i];
      guint64 bits;

      if (dtypes[dtype].kind == 'f' && dtypes[dtype].size == 4)
        {
          float f = (float) v;
          guint32 b32;

          memcpy (&b32, &f, sizeof b32);
          bits = b32;
        }
      else if (dtypes[dtype].kind == 'f')
        memcpy (&bits, &v, sizeof bits);
      else if (dtypes[dtype].kind == 'u' || dtypes[dtype].kind == 'b')
        bits = (guint64) v;
      else
        bits = (guint64) (gint64) v;

      for (guint b = 0; b < dtypes[dtype].size; b++, bits >>= 8)
        *p++ = (guint8) (bits & 0xFF);
    }

  *length = size;
  return out;
}

/**
 * sq_npy_save:
 *
 * sq_npy_write() to @path, atomically: the file holds its old content or the whole array.
 */
gboolean
sq_npy_save (const char     *path,
             const SqTensor *tensor,
             SqNpyDtype      dtype,
             GError        **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize length;

  bytes = sq_npy_write (tensor, dtype, &length, error);
  if (bytes == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return sq_file_write_atomic (path, (const char *) bytes, length, error);
}

/**
 * sq_npy_write_array:
 * @dtype: the element type of @values (not %SQ_NPY_AUTO)
 * @shape: (array length=rank): the dimensions; a 0 makes an empty array
 * @values: the elements in C order, in the machine's byte order, as @dtype stores them
 *   (guint8 for %SQ_NPY_BOOL, gint16 for %SQ_NPY_INT16, double for %SQ_NPY_FLOAT64…)
 * @length: (out): bytes in the result
 *
 * Writes a little-endian, C-order .npy file straight from a typed buffer, without a
 * SqTensor of doubles in between: what simulation traces of tens of millions of int16 need.
 *
 * Returns: (transfer full): the file's bytes
 */
guint8 *
sq_npy_write_array (SqNpyDtype    dtype,
                    guint         rank,
                    const gsize  *shape,
                    gconstpointer values,
                    gsize        *length)
{
  gsize n = 1, size;
  guint8 *out, *p;

  g_return_val_if_fail (dtype > SQ_NPY_AUTO && dtype < SQ_NPY_N_DTYPES, NULL);
  g_return_val_if_fail (rank <= SQ_TENSOR_MAX_RANK, NULL);
  for (guint d = 0; d < rank; d++)
    {
      g_return_val_if_fail (shape[d] <= SQ_TENSOR_MAX_DIM, NULL);
      n *= shape[d];
    }
  g_return_val_if_fail (n <= SQ_TENSOR_MAX_ELEMENTS, NULL);
  g_return_val_if_fail (values != NULL || n == 0, NULL);

  size = dtypes[dtype].size;
  out = write_header (dtype, rank, shape, n, length, &p);
  if (G_BYTE_ORDER == G_LITTLE_ENDIAN || size == 1)
    {
      if (n > 0)
        memcpy (p, values, n * size);
    }
  else
    for (gsize i = 0; i < n; i++)
      for (gsize b = 0; b < size; b++)
        p[i * size + b] = ((const guint8 *) values)[i * size + size - 1 - b];
  return out;
}
