/* sq-json-reader.c: the streaming JSON reader behind the specification and raster loaders
 *
 * It reads a mapped file in place, token by token, and reads nested numeric arrays straight
 * into tensors (no DOM: a Xylo-size specification holds millions of numbers), checking nesting,
 * sizes and non-finite values as it goes, reporting progress and honouring cancellation.
 * One coherent thing of about 840 lines: the tokens, strings, numbers and skipped values
 * and the nested-array reader share the number reader and the position-bearing messages
 * (file:line:column and the element's key path), which a split would have to export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-json-reader-private.h"

void
_sq_json_reader_init (SqJsonReader *r,
                      const char   *data,
                      gsize         length,
                      const char   *name)
{
  r->start = data;
  r->p = data;
  r->end = data + length;
  r->name = name;
  r->checkpoint = NULL;
  r->cancellable = NULL;
  r->progress = NULL;
  r->progress_data = NULL;
}

/* A whole document: a UTF-8 byte order mark is no part of the text (Windows editors add
 * one); columns count from after it, as editors show them. */
void
_sq_json_reader_init_document (SqJsonReader *r,
                               const char   *data,
                               gsize         length,
                               const char   *name)
{
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    _sq_json_reader_init (r, data + 3, length - 3, name);
  else
    _sq_json_reader_init (r, data, length, name);
}

/* Every this many bytes a watched reader reports progress and checks for cancellation: often
 * enough for a smooth progress bar, rarely enough to cost nothing. */
#define CHECKPOINT_BYTES (256 * 1024)

/* Reports progress and honours @cancellable while reading; either may be NULL. */
void
_sq_json_reader_watch (SqJsonReader  *r,
                       GCancellable  *cancellable,
                       SqProgressFunc progress,
                       gpointer       progress_data)
{
  r->cancellable = cancellable;
  r->progress = progress;
  r->progress_data = progress_data;
  r->checkpoint = cancellable || progress ? r->p : NULL;
}

static gboolean
checkpoint (SqJsonReader *r,
            GError      **error)
{
  r->checkpoint = r->p + CHECKPOINT_BYTES;
  if (r->progress)
    r->progress ((double) (r->p - r->start) / (double) MAX (r->end - r->start, 1),
                 r->progress_data);
  return !g_cancellable_set_error_if_cancelled (r->cancellable, error);
}

static void
position_of (const SqJsonReader *r,
             const char         *at,
             gsize              *line,
             gsize              *column)
{
  gsize l = 1, c = 1;

  for (const char *s = r->start; s < at && s < r->end; s++)
    {
      if (*s == '\n')
        l++, c = 1;
      else if (((guchar) *s & 0xC0) != 0x80) /* count characters, not UTF-8 bytes */
        c++;
    }
  *line = l;
  *column = c;
}

/**
 * _sq_json_reader_error:
 * @at: where the problem is, or %NULL for no position
 *
 * Sets @error to "name:line:column: message".
 */
void
_sq_json_reader_error (SqJsonReader *r,
                       GError      **error,
                       int           code,
                       const char   *at,
                       const char   *format,
                       ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  if (at != NULL)
    {
      gsize line, column;

      position_of (r, at, &line, &column);
      g_set_error (error, SQ_SPEC_ERROR, code, "%s:%zu:%zu: %s",
                   r->name, line, column, msg);
    }
  else
    g_set_error (error, SQ_SPEC_ERROR, code, "%s: %s", r->name, msg);
}

static inline void
skip_ws (SqJsonReader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static gboolean
has_word (const SqJsonReader *r,
          const char         *word)
{
  gsize len = strlen (word);

  return (gsize) (r->end - r->p) >= len && memcmp (r->p, word, len) == 0;
}

/* Skips white space and tells what comes next, without consuming it. */
SqJsonToken
_sq_json_reader_peek (SqJsonReader *r)
{
  skip_ws (r);
  if (r->p >= r->end)
    return SQ_JSON_END;

  switch (*r->p)
    {
    case '{': return SQ_JSON_OBJECT;
    case '[': return SQ_JSON_ARRAY;
    case '"': return SQ_JSON_STRING;
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return SQ_JSON_NUMBER;
    case '-':
      if (r->p + 1 < r->end && r->p[1] == 'I')
        return has_word (r, "-Infinity") ? SQ_JSON_NON_FINITE : SQ_JSON_INVALID;
      return SQ_JSON_NUMBER;
    case 't': return has_word (r, "true") ? SQ_JSON_TRUE : SQ_JSON_INVALID;
    case 'f': return has_word (r, "false") ? SQ_JSON_FALSE : SQ_JSON_INVALID;
    case 'n': return has_word (r, "null") ? SQ_JSON_NULL : SQ_JSON_INVALID;
    case 'N': return has_word (r, "NaN") ? SQ_JSON_NON_FINITE : SQ_JSON_INVALID;
    case 'I': return has_word (r, "Infinity") ? SQ_JSON_NON_FINITE : SQ_JSON_INVALID;
    default:  return SQ_JSON_INVALID;
    }
}

const char *
_sq_json_token_describe (SqJsonToken token)
{
  switch (token)
    {
    case SQ_JSON_END:        return _("the end of the file");
    case SQ_JSON_OBJECT:     return _("an object");
    case SQ_JSON_ARRAY:      return _("an array");
    case SQ_JSON_STRING:     return _("a string");
    case SQ_JSON_NUMBER:     return _("a number");
    case SQ_JSON_TRUE:       return _("true");
    case SQ_JSON_FALSE:      return _("false");
    case SQ_JSON_NULL:       return _("null");
    case SQ_JSON_NON_FINITE: return _("a non-finite number");
    case SQ_JSON_INVALID:    return _("an invalid token");
    default:                 return "?";
    }
}

/* What the next token looks like, for messages: "']'", "'x'", "the end of the file". */
static char *
describe_here (SqJsonReader *r)
{
  SqJsonToken t = _sq_json_reader_peek (r);

  if (t == SQ_JSON_END)
    return g_strdup (_("the end of the file"));
  if (t == SQ_JSON_NON_FINITE)
    return g_strdup (*r->p == 'N' ? "NaN" : (*r->p == '-' ? "-Infinity" : "Infinity"));
  if ((guchar) *r->p >= 0x20 && (guchar) *r->p < 0x7F)
    return g_strdup_printf ("'%c'", *r->p);

  return g_strdup_printf (_("byte 0x%02X"), (guchar) *r->p);
}

/* Consumes @c if it is the next non-space character. */
gboolean
_sq_json_reader_accept (SqJsonReader *r,
                        char          c)
{
  skip_ws (r);
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }
  return FALSE;
}

/**
 * _sq_json_reader_expect:
 * @what: what the character ends or separates, for the message; untranslated (N_()), it is
 *   translated only when the message is built, which keeps gettext out of the parse loop
 */
gboolean
_sq_json_reader_expect (SqJsonReader *r,
                        char          c,
                        const char   *what,
                        GError      **error)
{
  g_autofree char *found = NULL;

  if (_sq_json_reader_accept (r, c))
    return TRUE;

  found = describe_here (r);
  _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                         _("expected '%c' %s, found %s"), c, _(what), found);
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (SqJsonReader *r,
           gunichar     *out,
           GError      **error)
{
  gunichar v = 0;

  if (r->end - r->p < 4)
    goto bad;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (r->p[i]);
      if (h < 0)
        goto bad;
      v = v * 16 + (gunichar) h;
    }
  r->p += 4;
  *out = v;
  return TRUE;

bad:
  _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                         _("expected four hexadecimal digits after \\u"));
  return FALSE;
}

/**
 * _sq_json_reader_read_string:
 *
 * Reads a string token, decoding escapes. Returns valid UTF-8 or sets @error.
 */
char *
_sq_json_reader_read_string (SqJsonReader *r,
                             GError      **error)
{
  g_autoptr(GString) s = NULL;
  const char *open;

  if (_sq_json_reader_peek (r) != SQ_JSON_STRING)
    {
      g_autofree char *found = describe_here (r);
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                             _("expected a string, found %s"), found);
      return NULL;
    }

  open = r->p++;
  s = g_string_new (NULL);
  for (;;)
    {
      const char *run = r->p;

      while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (guchar) *r->p >= 0x20)
        r->p++;
      g_string_append_len (s, run, r->p - run);

      if (r->p >= r->end)
        {
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, open,
                                 _("string is not terminated"));
          return NULL;
        }
      if (*r->p == '"')
        {
          r->p++;
          break;
        }
      if (*r->p != '\\')
        {
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                                 _("control character 0x%02X inside a string"), (guchar) *r->p);
          return NULL;
        }

      r->p++;
      if (r->p >= r->end)
        continue; /* reported as unterminated above */
      switch (*r->p++)
        {
        case '"':  g_string_append_c (s, '"'); break;
        case '\\': g_string_append_c (s, '\\'); break;
        case '/':  g_string_append_c (s, '/'); break;
        case 'b':  g_string_append_c (s, '\b'); break;
        case 'f':  g_string_append_c (s, '\f'); break;
        case 'n':  g_string_append_c (s, '\n'); break;
        case 'r':  g_string_append_c (s, '\r'); break;
        case 't':  g_string_append_c (s, '\t'); break;
        case 'u':
          {
            gunichar c, low;

            if (!read_hex4 (r, &c, error))
              return NULL;
            if (c >= 0xD800 && c < 0xDC00)
              {
                if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
                  goto bad_surrogate;
                r->p += 2;
                if (!read_hex4 (r, &low, error))
                  return NULL;
                if (low < 0xDC00 || low >= 0xE000)
                  goto bad_surrogate;
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (c >= 0xDC00 && c < 0xE000)
              goto bad_surrogate;
            if (c == 0)
              {
                _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p - 6,
                                       _("NUL character inside a string"));
                return NULL;
              }
            g_string_append_unichar (s, c);
            break;
          }
        default:
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p - 2,
                                 _("invalid escape sequence in a string"));
          return NULL;
        }
    }

  if (!g_utf8_validate (s->str, s->len, NULL))
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, open,
                             _("string is not valid UTF-8"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&s), FALSE);

bad_surrogate:
  _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                         _("unpaired UTF-16 surrogate in a \\u escape"));
  return NULL;
}

typedef struct _TensorParse TensorParse;
static char *element_path (const TensorParse *tp,
                           guint              depth);

/* Reads a number token; messages start with the element's path when @tp is given. */
static gboolean
read_number (SqJsonReader      *r,
             const TensorParse *tp,
             guint              depth,
             gboolean           allow_overflow,
             double            *value,
             gboolean          *is_integer,
             GError           **error)
{
  g_autofree char *path = NULL;
  const char *s, *begin;
  gboolean integer = TRUE;
  char small[64];
  g_autofree char *large = NULL;
  char *buf = small;
  gsize len;
  double v;

  skip_ws (r);
  s = begin = r->p;

  if (s < r->end && *s == '-')
    s++;
  if (s < r->end && *s == '0')
    s++;
  else if (s < r->end && *s >= '1' && *s <= '9')
    while (s < r->end && g_ascii_isdigit (*s))
      s++;
  else
    goto bad;

  if (s < r->end && *s == '.')
    {
      integer = FALSE;
      s++;
      if (s >= r->end || !g_ascii_isdigit (*s))
        goto bad;
      while (s < r->end && g_ascii_isdigit (*s))
        s++;
    }
  if (s < r->end && (*s == 'e' || *s == 'E'))
    {
      integer = FALSE;
      s++;
      if (s < r->end && (*s == '+' || *s == '-'))
        s++;
      if (s >= r->end || !g_ascii_isdigit (*s))
        goto bad;
      while (s < r->end && g_ascii_isdigit (*s))
        s++;
    }

  /* The input need not be NUL-terminated (it is a mapped file), and strtod would read
   * beyond the JSON grammar ("0x1p3"), so it converts a bounded copy of the token. */
  len = (gsize) (s - begin);
  if (len >= sizeof small)
    buf = large = g_malloc (len + 1);
  memcpy (buf, begin, len);
  buf[len] = '\0';
  v = g_ascii_strtod (buf, NULL);

  if (!isfinite (v) && !allow_overflow)
    {
      path = tp ? element_path (tp, depth) : g_strdup (_("value"));
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NON_FINITE, begin,
                             _("%s: number %.40s is beyond the range of a double"), path, buf);
      return FALSE;
    }

  r->p = s;
  if (value)
    *value = v;
  if (is_integer)
    *is_integer = integer;
  return TRUE;

bad:
  {
    g_autofree char *found = NULL;

    r->p = s;
    found = describe_here (r);
    path = tp ? element_path (tp, depth) : g_strdup (_("value"));
    _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, s,
                           _("%s: malformed number, unexpected %s"), path, found);
    return FALSE;
  }
}

static gboolean
skip_value_at (SqJsonReader *r,
               const char   *path,
               guint         depth,
               GError      **error)
{
  SqJsonToken t = _sq_json_reader_peek (r);

  if (depth >= SQ_JSON_MAX_DEPTH)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_TOO_LARGE, r->p,
                             _("%s: values nested deeper than %d levels"), path,
                             SQ_JSON_MAX_DEPTH);
      return FALSE;
    }

  switch (t)
    {
    case SQ_JSON_OBJECT:
      r->p++;
      if (_sq_json_reader_accept (r, '}'))
        return TRUE;
      do
        {
          g_autofree char *key = _sq_json_reader_read_string (r, error);

          if (key == NULL ||
              !_sq_json_reader_expect (r, ':', N_("after an object key"), error) ||
              !skip_value_at (r, path, depth + 1, error))
            return FALSE;
        }
      while (_sq_json_reader_accept (r, ','));
      return _sq_json_reader_expect (r, '}', N_("or ',' after an object member"), error);

    case SQ_JSON_ARRAY:
      r->p++;
      if (_sq_json_reader_accept (r, ']'))
        return TRUE;
      do
        if (!skip_value_at (r, path, depth + 1, error))
          return FALSE;
      while (_sq_json_reader_accept (r, ','));
      return _sq_json_reader_expect (r, ']', N_("or ',' after an array element"), error);

    case SQ_JSON_STRING:
      {
        g_autofree char *s = _sq_json_reader_read_string (r, error);
        return s != NULL;
      }

    case SQ_JSON_NUMBER:
      /* The value is ignored, so a number beyond a double's range does no harm either. */
      return read_number (r, NULL, 0, TRUE, NULL, NULL, error);

    case SQ_JSON_TRUE:
      r->p += 4;
      return TRUE;
    case SQ_JSON_FALSE:
      r->p += 5;
      return TRUE;
    case SQ_JSON_NULL:
      r->p += 4;
      return TRUE;
    case SQ_JSON_NON_FINITE:
      /* Python writes these; in a value we ignore they do no harm. */
      r->p += (*r->p == 'N') ? 3 : (*r->p == '-') ? 9 : 8;
      return TRUE;

    case SQ_JSON_END:
    case SQ_JSON_INVALID:
    default:
      {
        g_autofree char *found = describe_here (r);
        _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                               _("expected a value, found %s"), found);
        return FALSE;
      }
    }
}

/* Skips one complete value of any type; @path names it in messages. */
gboolean
_sq_json_reader_skip_value (SqJsonReader *r,
                            const char   *path,
                            GError      **error)
{
  return skip_value_at (r, path, 0, error);
}

/**
 * sq_json_check:
 * @data: (array length=length): the text
 * @name: the file's display name, for messages
 *
 * Checks that @data holds one JSON value, nested no deeper than this reader allows, before
 * json-glib (which recurses without a limit) parses it. An empty file is an error too.
 *
 * Returns: %TRUE when @data is safe to parse; otherwise %FALSE with @error set
 *   (%SQ_SPEC_ERROR, the position and what was wrong)
 */
gboolean
sq_json_check (const char  *data,
               gsize        length,
               const char  *name,
               GError     **error)
{
  SqJsonReader r;

  /* An empty mapping has no address. */
  _sq_json_reader_init (&r, length > 0 ? data : "", length, name);
  if (_sq_json_reader_peek (&r) == SQ_JSON_END)
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SYNTAX, _("%s: the file is empty"), name);
      return FALSE;
    }
  if (!_sq_json_reader_skip_value (&r, _("value"), error))
    return FALSE;
  if (_sq_json_reader_peek (&r) != SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, r.p,
                             _("unexpected text after the value"));
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Nested numeric arrays                                                                     */

struct _TensorParse {
  SqJsonReader *r;
  const char   *path;
  guint         max_rank;
  int           rank;           /* -1 until the first number fixes it */
  gsize         shape[SQ_TENSOR_MAX_RANK];
  gboolean      shape_known[SQ_TENSOR_MAX_RANK];
  gsize         index[SQ_TENSOR_MAX_RANK];
  double       *values;
  gsize         n_values;
  gsize         n_alloc;
  gboolean      integer;
};

/* "weights_rec[3][7]": the path of the value at @depth. */
static char *
element_path (const TensorParse *tp,
              guint              depth)
{
  GString *s = g_string_new (tp->path);

  for (guint i = 0; i < depth; i++)
    g_string_append_printf (s, "[%zu]", tp->index[i]);

  return g_string_free (s, FALSE);
}

/* "weights_rec[0]": the first array at @depth, whose length the others must match. */
static char *
first_path (const TensorParse *tp,
            guint              depth)
{
  GString *s = g_string_new (tp->path);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "[0]");

  return g_string_free (s, FALSE);
}

static gboolean
push_value (TensorParse *tp,
            double       v,
            const char  *at,
            GError     **error)
{
  if (tp->n_values == tp->n_alloc)
    {
      if (tp->n_alloc >= SQ_TENSOR_MAX_ELEMENTS)
        {
          _sq_json_reader_error (tp->r, error, SQ_SPEC_ERROR_TOO_LARGE, at,
                                 _("%s: more than %zu values"),
                                 tp->path, SQ_TENSOR_MAX_ELEMENTS);
          return FALSE;
        }
      tp->n_alloc = tp->n_alloc ? MIN (tp->n_alloc * 2, SQ_TENSOR_MAX_ELEMENTS) : 64;
      tp->values = g_renew (double, tp->values, tp->n_alloc);
    }
  tp->values[tp->n_values++] = v;
  return TRUE;
}

static gboolean
parse_level (TensorParse *tp,
             guint        depth,
             GError     **error)
{
  SqJsonReader *r = tp->r;
  SqJsonToken t = _sq_json_reader_peek (r);
  const char *at = r->p;

  if (t == SQ_JSON_ARRAY)
    {
      gsize count = 0;

      if (tp->rank >= 0 && (int) depth >= tp->rank)
        {
          g_autofree char *p = element_path (tp, depth);
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RAGGED, at,
                                 _("%s: found an array, expected a number like the "
                                   "other elements"), p);
          return FALSE;
        }
      if (depth >= tp->max_rank)
        {
          g_autofree char *p = element_path (tp, depth);
          if (tp->max_rank == 0)
            _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RANK, at,
                                   _("%s: found an array, expected a number"), p);
          else
            _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RANK, at,
                                   _("%s: nested deeper than %u dimensions"),
                                   tp->path, tp->max_rank);
          return FALSE;
        }

      r->p++;
      if (G_UNLIKELY (r->checkpoint != NULL && r->p >= r->checkpoint) && !checkpoint (r, error))
        return FALSE;
      if (_sq_json_reader_accept (r, ']'))
        {
          g_autofree char *p = element_path (tp, depth);
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_EMPTY, at,
                                 _("%s: empty array"), p);
          return FALSE;
        }

      do
        {
          if (tp->shape_known[depth] && count == tp->shape[depth])
            {
              g_autofree char *p = element_path (tp, depth);
              g_autofree char *f = first_path (tp, depth);
              _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RAGGED, at,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "%s: more than %zu element, "
                                                  "expected %zu like %s",
                                                  "%s: more than %zu elements, "
                                                  "expected %zu like %s",
                                                  tp->shape[depth]),
                                     p, tp->shape[depth], tp->shape[depth], f);
              return FALSE;
            }
          tp->index[depth] = count;
          if (!parse_level (tp, depth + 1, error))
            return FALSE;
          count++;
        }
      while (_sq_json_reader_accept (r, ','));

      if (!_sq_json_reader_accept (r, ']'))
        {
          g_autofree char *p = element_path (tp, depth + 1);
          g_autofree char *found = describe_here (r);

          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, r->p,
                                 _("%s: expected ',' or ']' after this element, found %s"),
                                 p, found);
          return FALSE;
        }

      if (!tp->shape_known[depth])
        {
          tp->shape[depth] = count;
          tp->shape_known[depth] = TRUE;
        }
      else if (count != tp->shape[depth])
        {
          g_autofree char *p = element_path (tp, depth);
          g_autofree char *f = first_path (tp, depth);
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RAGGED, at,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %zu element, expected %zu like %s",
                                              "%s: %zu elements, expected %zu like %s", count),
                                 p, count, tp->shape[depth], f);
          return FALSE;
        }
      return TRUE;
    }

  if (t == SQ_JSON_NUMBER && (tp->rank < 0 || tp->rank == (int) depth))
    {
      double v;
      gboolean integer;

      tp->rank = (int) depth;
      if (!read_number (r, tp, depth, FALSE, &v, &integer, error))
        return FALSE;
      tp->integer &= integer;
      return push_value (tp, v, at, error);
    }

  {
    g_autofree char *p = element_path (tp, depth);
    gboolean want_array = tp->rank >= 0 && (int) depth < tp->rank;

    switch (t)
      {
      case SQ_JSON_NUMBER:
        {
          g_autofree char *f = first_path (tp, depth);
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RAGGED, at,
                                 _("%s: found a number, expected an array like %s"), p, f);
          break;
        }
      case SQ_JSON_NON_FINITE:
        {
          const char *word = *at == 'N' ? "NaN" : (*at == '-' ? "-Infinity" : "Infinity");
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NON_FINITE, at,
                                 _("%s: found %s, expected a finite number"), p, word);
          break;
        }
      case SQ_JSON_OBJECT:
      case SQ_JSON_STRING:
      case SQ_JSON_TRUE:
      case SQ_JSON_FALSE:
      case SQ_JSON_NULL:
        _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NOT_A_NUMBER, at,
                               want_array ? _("%s: found %s, expected an array")
                                          : _("%s: found %s, expected a number"),
                               p, _sq_json_token_describe (t));
        break;
      case SQ_JSON_END:
      case SQ_JSON_INVALID:
      case SQ_JSON_ARRAY:
      default:
        {
          g_autofree char *found = describe_here (r);
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_SYNTAX, at,
                                 _("%s: expected a value, found %s"), p, found);
          break;
        }
      }
    return FALSE;
  }
}

/**
 * _sq_json_reader_read_tensor:
 * @path: name of the value, the start of every index path in messages
 * @max_rank: deeper nesting is %SQ_SPEC_ERROR_RANK
 *
 * Reads a number or a nested array of numbers into @tensor. Every row must have the length of
 * the first row at its depth; every leaf must be a finite number.
 */
gboolean
_sq_json_reader_read_tensor (SqJsonReader *r,
                             const char   *path,
                             guint         max_rank,
                             SqTensor     *tensor,
                             GError      **error)
{
  TensorParse tp = { 0, };

  g_return_val_if_fail (max_rank <= SQ_TENSOR_MAX_RANK, FALSE);

  tp.r = r;
  tp.path = path;
  tp.max_rank = max_rank;
  tp.rank = -1;
  tp.integer = TRUE;

  memset (tensor, 0, sizeof *tensor);
  if (!parse_level (&tp, 0, error))
    {
      g_free (tp.values);
      return FALSE;
    }

  tensor->rank = (guint) tp.rank;
  tensor->n = 1;
  for (int i = 0; i < tp.rank; i++)
    {
      tensor->shape[i] = tp.shape[i];
      tensor->n *= tp.shape[i];
    }
  g_assert (tensor->n == tp.n_values);
  tensor->data = g_renew (double, tp.values, tp.n_values);
  tensor->integer = tp.integer;

  return TRUE;
}

/* Reads a single number; an array is %SQ_SPEC_ERROR_RANK. */
gboolean
_sq_json_reader_read_scalar (SqJsonReader *r,
                             const char   *path,
                             double       *value,
                             gboolean     *is_integer,
                             GError      **error)
{
  SqTensor t;

  if (!_sq_json_reader_read_tensor (r, path, 0, &t, error))
    return FALSE;
  *value = t.data[0];
  if (is_integer)
    *is_integer = t.integer;
  sq_tensor_clear (&t);

  return TRUE;
}

/* A key as the user wrote it, for messages: control characters, quotes and backslashes
 * escaped, other characters (the key is valid UTF-8) kept. */
char *
_sq_json_escape_key (const char *key)
{
  char exceptions[129];

  for (int i = 0; i < 128; i++)
    exceptions[i] = (char) (0x80 + i);
  exceptions[128] = '\0';
  return g_strescape (key, exceptions);
}

/* A whole number in [@lo, @hi] (a count, a size, a stride). */
gboolean
_sq_json_reader_read_count (SqJsonReader *r,
                            const char   *path,
                            gsize         lo,
                            gsize         hi,
                            gsize        *out,
                            GError      **error)
{
  const char *at;
  double v;

  _sq_json_reader_peek (r);
  at = r->p;
  if (!_sq_json_reader_read_scalar (r, path, &v, NULL, error))
    return FALSE;
  if (!(v >= (double) lo && v <= (double) hi) || nearbyint (v) < v || nearbyint (v) > v)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                             _("%s is %g: expected a whole number from %zu to %zu"), path, v,
                             lo, hi);
      return FALSE;
    }
  *out = (gsize) v;
  return TRUE;
}

/* A tensor of exactly @rank dimensions; @expected names them for the message. On failure
 * @tensor is cleared. */
gboolean
_sq_json_reader_read_tensor_rank (SqJsonReader *r,
                                  const char   *path,
                                  guint         rank,
                                  const char   *expected,
                                  SqTensor     *tensor,
                                  GError      **error)
{
  const char *at;

  _sq_json_reader_peek (r);
  at = r->p;
  if (!_sq_json_reader_read_tensor (r, path, rank, tensor, error))
    return FALSE;
  if (tensor->rank != rank)
    {
      g_autofree char *shape = sq_tensor_shape_string (tensor);

      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RANK, at,
                             _("%s has shape %s: expected %s"), path, shape, expected);
      sq_tensor_clear (tensor);
      return FALSE;
    }
  return TRUE;
}
