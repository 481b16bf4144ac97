/* sq-raster.c: input rasters — seeded generators, and readers for CSV, .npy and JSON
 *
 * A raster holds event counts per time step and channel. Readers refuse what cannot be an
 * event count (negative, fractional, NaN, infinite) and clip counts above 15 to 15, as the
 * hardware does, counting them so the caller can warn. Text may start with a UTF-8 BOM (as
 * spreadsheets write it); CSV numbers are decimal only, and a NUL byte is refused rather
 * than taken as the end of a field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-json-reader-private.h"
#include "sq-private.h"

G_DEFINE_QUARK (sq-raster-error-quark, sq_raster_error)

#define COUNT_CAP 15

gboolean
sq_raster_init (SqRaster  *raster,
                gsize      n_steps,
                gsize      n_channels,
                GError   **error)
{
  gsize shape[2] = { n_steps, n_channels }, n;

  memset (raster, 0, sizeof *raster);
  if (!sq_shape_count (2, shape, &n, error))
    {
      g_prefix_error (error, _("input raster: "));
      return FALSE;
    }
  raster->n_steps = n_steps;
  raster->n_channels = n_channels;
  raster->counts = g_new0 (guint8, n);
  return TRUE;
}

void
sq_raster_clear (SqRaster *raster)
{
  g_clear_pointer (&raster->counts, g_free);
  memset (raster, 0, sizeof *raster);
}

/* Whether @v is an event count that needs no clipping. */
static inline gboolean
count_in_range (double v)
{
  return v >= 0.0 && v <= COUNT_CAP && !_sq_differ (nearbyint (v), v);
}

/* Clips @count, above 15, to 15 and counts what that drops: the simulators never see more
 * than 15, so the raster is where the 15-event cap's losses are counted. A count read from
 * a file can be as large as a double: the sum saturates. */
static void
count_clipped (SqRaster *raster,
               double    count)
{
  double over = count - COUNT_CAP;
  guint64 n = over < 0x1p64 ? (guint64) over : G_MAXUINT64;

  raster->n_clipped++;
  raster->n_dropped = n > G_MAXUINT64 - raster->n_dropped ? G_MAXUINT64
                                                          : raster->n_dropped + n;
}

/* One value as an event count, clipped to 15; @where names it for the message. */
static gboolean
take_count (SqRaster    *raster,
            gsize        index,
            double       v,
            const char  *name,
            const char  *where,
            GError     **error)
{
  if (!(v >= 0.0) || !isfinite (v) || _sq_differ (nearbyint (v), v))
    {
      g_autoptr(GString) value = g_string_new (NULL);

      _sq_append_float (value, v);
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                   _("%s: %s is %s, expected an event count (a whole number, 0 or more)"),
                   name, where, value->str);
      return FALSE;
    }
  if (v > COUNT_CAP)
    {
      count_clipped (raster, v);
      v = COUNT_CAP;
    }
  raster->counts[index] = (guint8) v;
  return TRUE;
}

/**
 * sq_raster_from_tensor:
 * @tensor: a (T, Nin) array of event counts, or (T, C, H, W) frames read as C·H·W channels
 * @name: the source's display name, for messages
 *
 * Counts above 15 are clipped to 15 (see @raster's n_clipped).
 */
gboolean
sq_raster_from_tensor (SqRaster        *raster,
                       const SqTensor  *tensor,
                       const char      *name,
                       GError         **error)
{
  gsize channels;

  memset (raster, 0, sizeof *raster);
  if (tensor->rank < 2)
    {
      g_autofree char *shape = sq_tensor_shape_string (tensor);

      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: the input is %s, expected (T, Nin): one row per time step, one "
                     "column per input channel (or (T, C, H, W) frames)"), name, shape);
      return FALSE;
    }
  /* Frames (T, C, H, W) of a convolutional network are its C·H·W channels, row-major. */
  channels = tensor->shape[0] > 0 ? tensor->n / tensor->shape[0] : 0;
  if (!sq_raster_init (raster, tensor->shape[0], channels, error))
    return FALSE;
  for (gsize i = 0; i < tensor->n; i++)
    {
      double v = tensor->data[i];

      if (count_in_range (v))
        raster->counts[i] = (guint8) v;
      else
        {
          g_autofree char *where = sq_tensor_element_path (tensor, "", i);

          if (!take_count (raster, i, v, name, where, error))
            {
              sq_raster_clear (raster);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Whether @raster has the network's channel count. */
gboolean
sq_raster_check_channels (const SqRaster  *raster,
                          gsize            n_channels,
                          const char      *name,
                          GError         **error)
{
  if (raster->n_channels == n_channels)
    return TRUE;
  g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: the input has %zu channel, but the network "
                            "has %zu inputs",
                            "%s: the input has %zu channels, but the network "
                            "has %zu inputs", raster->n_channels),
               name, raster->n_channels, n_channels);
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Readers                                                                                   */

/* The JSON reader speaks in specification errors; a raster's problems are raster errors. */
static void
json_error_to_raster (GError *error)
{
  if (error == NULL || error->domain != SQ_SPEC_ERROR)
    return;
  error->domain = SQ_RASTER_ERROR;
  switch (error->code)
    {
    case SQ_SPEC_ERROR_RAGGED:
    case SQ_SPEC_ERROR_RANK:
    case SQ_SPEC_ERROR_EMPTY:
    case SQ_SPEC_ERROR_TOO_LARGE:
      error->code = SQ_RASTER_ERROR_SHAPE;
      break;
    case SQ_SPEC_ERROR_NON_FINITE:
    case SQ_SPEC_ERROR_NOT_A_NUMBER:
      error->code = SQ_RASTER_ERROR_VALUE;
      break;
    default:
      error->code = SQ_RASTER_ERROR_FORMAT;
      break;
    }
}

/* A nested list, or an object whose "input" member is one (a conformance case). */
static gboolean
load_json (SqRaster    *raster,
           const char  *data,
           gsize        length,
           const char  *name,
           GError     **error)
{
  SqJsonReader r;
  SqTensor t = { 0 };
  gboolean found = FALSE, ok;

  _sq_json_reader_init (&r, data, length, name);
  if (_sq_json_reader_accept (&r, '{'))
    {
      if (!_sq_json_reader_accept (&r, '}'))
        do
          {
            g_autofree char *key = _sq_json_reader_read_string (&r, error);

            if (key == NULL || !_sq_json_reader_expect (&r, ':', N_("after a key"), error))
              goto fail;
            if (g_str_equal (key, "input") && !found)
              {
                if (!_sq_json_reader_read_tensor (&r, "input", 2, &t, error))
                  goto fail;
                found = TRUE;
              }
            else if (!_sq_json_reader_skip_value (&r, key, error))
              goto fail;
          }
        while (_sq_json_reader_accept (&r, ','));
      if (!_sq_json_reader_expect (&r, '}', N_("to end the object"), error))
        goto fail;
      if (!found)
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                       _("%s: the object has no \"input\" member; expected a (T, Nin) nested "
                         "list of event counts"), name);
          return FALSE;
        }
    }
  else if (!_sq_json_reader_read_tensor (&r, "input", 2, &t, error))
    return FALSE;

  if (_sq_json_reader_peek (&r) != SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, r.p,
                             _("unexpected text after the raster"));
      goto fail;
    }
  ok = sq_raster_from_tensor (raster, &t, name, error);
  sq_tensor_clear (&t);
  return ok;

  /* Every error after "input" was read must free it. */
fail:
  sq_tensor_clear (&t);
  return FALSE;
}

/* Whether [@p, @end) starts with @word, ignoring case; never reads past @end. */
static gboolean
starts_with_word (const char *p,
                  const char *end,
                  const char *word)
{
  gsize len = strlen (word);

  return (gsize) (end - p) >= len && g_ascii_strncasecmp (p, word, len) == 0;
}

/* Whether @text is a decimal number: [+-] digits [. digits] [e [+-] digits], at least one
 * digit before the exponent. strtod also takes hexadecimal ("0x1"), which no CSV writer
 * means, and "inf"/"nan", which take_count() refuses by value. */
static gboolean
is_decimal (const char *text)
{
  const char *s = text;
  gboolean digits = FALSE;

  if (*s == '+' || *s == '-')
    s++;
  for (; g_ascii_isdigit (*s); s++)
    digits = TRUE;
  if (*s == '.')
    for (s++; g_ascii_isdigit (*s); s++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*s == 'e' || *s == 'E')
    {
      s++;
      if (*s == '+' || *s == '-')
        s++;
      if (!g_ascii_isdigit (*s))
        return FALSE;
      while (g_ascii_isdigit (*s))
        s++;
    }
  return *s == '\0';
}

/* Whether @text is NaN or an infinity as strtod reads them: a count that is an error by
 * value (take_count() names its row and column), not a string that is no number. */
static gboolean
is_non_finite_word (const char *text)
{
  const char *s = text + (*text == '+' || *text == '-');

  return g_ascii_strcasecmp (s, "nan") == 0 || g_ascii_strcasecmp (s, "inf") == 0 ||
         g_ascii_strcasecmp (s, "infinity") == 0;
}

/* CSV: one row per time step, values separated by commas; lines starting with '#' are
 * comments (np.savetxt's header), and a first row that is not numeric is a header. */
static gboolean
load_csv (SqRaster    *raster,
          const char  *data,
          gsize        length,
          const char  *name,
          GError     **error)
{
  g_autoptr(GByteArray) counts = g_byte_array_new ();
  const char *p = data, *end = data + length;
  gsize line = 0, n_cols = 0, n_rows = 0, first_line = 0;
  SqRaster tmp = { 0 };

  while (p < end)
    {
      const char *eol = memchr (p, '\n', (gsize) (end - p));
      const char *line_end = eol ? eol : end, *q = p;
      gsize col = 0;

      line++;
      /* A NUL would silently end a field ("1\0junk" read as 1): no CSV writer puts one. */
      if (memchr (p, '\0', (gsize) (line_end - p)) != NULL)
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                       _("%s:%zu: a NUL byte; expected text"), name, line);
          return FALSE;
        }
      if (line_end > p && line_end[-1] == '\r')
        line_end--;
      while (q < line_end && (*q == ' ' || *q == '\t'))
        q++;
      if (q == line_end || *q == '#')
        {
          p = eol ? eol + 1 : end;
          continue;
        }

      /* A header row: its first field is not a number. */
      if (n_rows == 0 && first_line == 0 && !g_ascii_isdigit (*q) && *q != '-' && *q != '+' &&
          *q != '.' && !starts_with_word (q, line_end, "nan") &&
          !starts_with_word (q, line_end, "inf"))
        {
          first_line = line;
          p = eol ? eol + 1 : end;
          continue;
        }

      while (TRUE)
        {
          const char *field = q, *field_end;
          char *num_end = NULL;
          g_autofree char *text = NULL;
          double v;

          while (q < line_end && *q != ',')
            q++;
          field_end = q;
          while (field < field_end && (*field == ' ' || *field == '\t'))
            field++;
          while (field_end > field && (field_end[-1] == ' ' || field_end[-1] == '\t'))
            field_end--;
          text = g_strndup (field, (gsize) (field_end - field));
          v = g_ascii_strtod (text, &num_end);
          if (*text == '\0' || *num_end != '\0' ||
              !(is_decimal (text) || is_non_finite_word (text)))
            {
              g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                           _("%s:%zu: row %zu, column %zu: “%s” is not a number"),
                           name, line, n_rows, col, text);
              return FALSE;
            }
          if (counts->len >= SQ_TENSOR_MAX_ELEMENTS)
            {
              g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                           _("%s: more than %zu values"), name,
                           SQ_TENSOR_MAX_ELEMENTS);
              return FALSE;
            }
          if (count_in_range (v))
            g_byte_array_append (counts, (guint8[]) { (guint8) v }, 1);
          else
            {
              g_autofree char *where = g_strdup_printf (_("line %zu, row %zu, column %zu"), line,
                                                        n_rows, col);
              guint8 c = 0;

              tmp.counts = &c;
              if (!take_count (&tmp, 0, v, name, where, error))
                return FALSE;
              g_byte_array_append (counts, &c, 1);
            }
          col++;
          if (q >= line_end)
            break;
          q++;   /* the comma */
        }

      if (n_rows == 0)
        n_cols = col;
      if (col != n_cols)
        {
          g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                       _("%s:%zu: row %zu has %zu"
                         " columns, expected %zu like row 0"),
                       name, line, n_rows, col, n_cols);
          return FALSE;
        }
      n_rows++;
      p = eol ? eol + 1 : end;
    }

  if (n_rows == 0)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE,
                   _("%s: no rows; expected one row of event counts per time step"), name);
      return FALSE;
    }
  memset (raster, 0, sizeof *raster);
  raster->n_steps = n_rows;
  raster->n_channels = n_cols;
  raster->n_clipped = tmp.n_clipped;
  raster->n_dropped = tmp.n_dropped;
  raster->counts = g_byte_array_steal (counts, NULL);
  return TRUE;
}

/**
 * sq_raster_load_data:
 * @name: the source's display name, for messages
 *
 * Reads a (T, Nin) raster from a NumPy .npy file (integer, boolean or float), a JSON nested
 * list (or an object with an "input" member, like a conformance case), or CSV, whichever
 * @data holds.
 */
gboolean
sq_raster_load_data (SqRaster    *raster,
                     const char  *data,
                     gsize        length,
                     const char  *name,
                     GError     **error)
{
  const char *p, *end = data + length;

  memset (raster, 0, sizeof *raster);
  if (length >= 6 && memcmp (data, "\x93NUMPY", 6) == 0)
    {
      SqTensor t;
      gboolean ok;

      if (!sq_npy_read ((const guint8 *) data, length, name, &t, NULL, error))
        return FALSE;
      ok = sq_raster_from_tensor (raster, &t, name, error);
      sq_tensor_clear (&t);
      return ok;
    }

  /* A UTF-8 byte order mark is no part of the text: skipped, it would make the first CSV
   * row a header and JSON not start with '[' or '{'. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  p = data;
  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p < end && (*p == '[' || *p == '{'))
    {
      g_autoptr(GError) local = NULL;

      if (load_json (raster, data, length, name, &local))
        return TRUE;
      json_error_to_raster (local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (p == end)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_FORMAT,
                   _("%s: the file is empty; expected a raster as CSV, .npy or JSON"), name);
      return FALSE;
    }
  return load_csv (raster, data, length, name, error);
}

gboolean
sq_raster_load (SqRaster    *raster,
                const char  *path,
                GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *name = NULL;

  memset (raster, 0, sizeof *raster);
  file = sq_file_map (path, error);
  if (file == NULL)
    return FALSE;
  name = g_filename_display_name (path);
  return sq_raster_load_data (raster, g_mapped_file_get_contents (file),
                              g_mapped_file_get_length (file), name, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Generators                                                                                */

/* xoshiro256** seeded by splitmix64: fixed integer arithmetic, so a seed gives the same
 * raster on every machine and build (GRand's algorithm is not promised to stay). */
typedef struct {
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed)
{
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static double
rng_uniform (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9, t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return (double) (result >> 11) * 0x1.0p-53;
}

/* e^−x for 0 ≤ x ≤ 15 with + − × ÷ only: libm's exp may differ in the last bit between C
 * libraries, which would change a seeded raster. Halve into [0, 0.5], sum the series,
 * square back. */
static double
exp_neg (double x)
{
  int halvings = 0;
  double term = 1.0, sum = 1.0;

  while (x > 0.5)
    {
      x /= 2.0;
      halvings++;
    }
  for (int k = 1; k < 25; k++)
    {
      term = term * -x / k;
      sum += term;
    }
  while (halvings-- > 0)
    sum *= sum;
  return sum;
}

/* Knuth's method: the number of uniforms whose running product stays above e^−λ. */
static guint
poisson (Rng    *rng,
         double  limit)
{
  guint k = 0;
  double p = rng_uniform (rng);

  while (p > limit && k < 255)
    {
      k++;
      p *= rng_uniform (rng);
    }
  return k;
}

static gboolean
check_rate (double   rate,
            gsize    channel,
            GError **error)
{
  if (rate >= 0.0 && rate <= COUNT_CAP)
    return TRUE;
  g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS,
               _("rate of channel %zu is %g, expected 0 to 15 events per "
                 "step"), channel, rate);
  return FALSE;
}

static void
put_count (SqRaster *raster,
           gsize     index,
           guint     count)
{
  if (count > COUNT_CAP)
    {
      count_clipped (raster, count);
      count = COUNT_CAP;
    }
  raster->counts[index] = (guint8) count;
}

/**
 * sq_raster_poisson:
 * @rates: (array length=n_channels): mean events per step of each channel, 0…15
 * @seed: the same seed gives the same raster on every run, machine and build
 *
 * Independent Poisson counts per step and channel, drawn step by step, channel by channel;
 * counts above 15 are clipped (n_clipped).
 */
gboolean
sq_raster_poisson (SqRaster      *raster,
                   gsize          n_steps,
                   gsize          n_channels,
                   const double  *rates,
                   guint64        seed,
                   GError       **error)
{
  g_autofree double *limit = NULL;
  Rng rng;

  memset (raster, 0, sizeof *raster);
  for (gsize i = 0; i < n_channels; i++)
    if (!check_rate (rates[i], i, error))
      return FALSE;
  if (!sq_raster_init (raster, n_steps, n_channels, error))
    return FALSE;
  limit = g_new (double, MAX (n_channels, 1));
  for (gsize i = 0; i < n_channels; i++)
    limit[i] = exp_neg (rates[i]);
  rng_init (&rng, seed);
  for (gsize t = 0; t < n_steps; t++)
    for (gsize i = 0; i < n_channels; i++)
      put_count (raster, t * n_channels + i, _sq_is_zero (rates[i]) ? 0 : poisson (&rng, limit[i]));
  return TRUE;
}

/**
 * sq_raster_regular:
 * @period: steps between events, at least 1
 * @count: events per channel at each event step, 1…15
 *
 * @count events on every channel at steps 0, @period, 2·@period, …
 */
gboolean
sq_raster_regular (SqRaster  *raster,
                   gsize      n_steps,
                   gsize      n_channels,
                   guint      period,
                   guint      count,
                   GError   **error)
{
  memset (raster, 0, sizeof *raster);
  if (period < 1 || count < 1 || count > COUNT_CAP)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS,
                   _("regular input: period %u and count %u; expected a period of at least 1 "
                     "and 1 to 15 events"), period, count);
      return FALSE;
    }
  if (!sq_raster_init (raster, n_steps, n_channels, error))
    return FALSE;
  for (gsize t = 0; t < n_steps; t += period)
    memset (raster->counts + t * n_channels, (int) count, n_channels);
  return TRUE;
}

/**
 * sq_raster_bursts:
 * @period: steps from the start of one burst to the next
 * @length: steps of each burst, 1…@period
 * @rate: mean events per step and channel inside a burst, 0…15
 *
 * Poisson bursts: for @length steps out of every @period, every channel draws Poisson counts
 * at @rate; it is silent in between.
 */
gboolean
sq_raster_bursts (SqRaster  *raster,
                  gsize      n_steps,
                  gsize      n_channels,
                  guint      period,
                  guint      length,
                  double     rate,
                  guint64    seed,
                  GError   **error)
{
  double limit;
  Rng rng;

  memset (raster, 0, sizeof *raster);
  if (period < 1 || length < 1 || length > period)
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS,
                   _("bursts: period %u and length %u; expected 1 ≤ length ≤ period"),
                   period, length);
      return FALSE;
    }
  if (!check_rate (rate, 0, error) || !sq_raster_init (raster, n_steps, n_channels, error))
    return FALSE;
  limit = exp_neg (rate);
  rng_init (&rng, seed);
  for (gsize t = 0; t < n_steps; t++)
    if (t % period < length)
      for (gsize i = 0; i < n_channels; i++)
        put_count (raster, t * n_channels + i, poisson (&rng, limit));
  return TRUE;
}
