/* sq-format.c: how the window writes numbers
 *
 * The one place the window turns numbers into text: the figures, the sidebar and every chart's
 * ticks and read-outs, so they all write a number the same way:
 *  - a negative number starts with U+2212 MINUS SIGN, which lines up with the digits and with
 *    "+", never with the hyphen printf writes;
 *  - whole counts are grouped by threes with U+202F NARROW NO-BREAK SPACE ("1 234 567"); the
 *    locale's grouping would leave the C locale of the tests without any;
 *  - four significant digits where nothing else is asked for: enough to tell two settings
 *    apart, few enough to read.
 * The tests parse the figures back, so each is a number followed by at most a unit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sq-format.h"

#define MINUS "\xe2\x88\x92"
#define NARROW_SPACE "\xe2\x80\xaf"

/* Takes @ascii (printf's output) and writes each hyphen-minus that starts a number (before a
 * digit, as in "-0.5" or "1e-05") as U+2212. */
static char *
with_minus_signs (char *ascii)
{
  GString *out;

  if (strchr (ascii, '-') == NULL)
    return ascii;
  out = g_string_sized_new (strlen (ascii) + 4);
  for (const char *p = ascii; *p; p++)
    if (*p == '-' && g_ascii_isdigit (p[1]))
      g_string_append (out, MINUS);
    else
      g_string_append_c (out, *p);
  g_free (ascii);
  return g_string_free (out, FALSE);
}

/**
 * sq_format_significant:
 * @digits: significant digits, as printf's "%.*g"
 *
 * Returns: @value in at most @digits significant digits: "0.1411", "−0.25", "1.235e+04";
 *   NaN as "—" and infinities as "∞", "−∞"
 */
char *
sq_format_significant (double value,
                       int    digits)
{
  if (isnan (value))
    return g_strdup ("—");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : MINUS "∞");
  return with_minus_signs (g_strdup_printf ("%.*g", digits, value));
}

char *
sq_format_number (double value)
{
  return sq_format_significant (value, 4);
}

/**
 * sq_format_integer:
 *
 * Returns: @n in groups of three digits: "1 234 567"
 */
char *
sq_format_integer (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" PRIu64, n);
  gsize len = strlen (digits);
  GString *out = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, NARROW_SPACE);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * sq_format_to_step:
 * @step: the difference the text must show, such as the distance between two axis ticks or
 *   a histogram bin's width
 * @extra_digits: decimals beyond those @step needs
 *
 * Returns: @value with as many decimals as @step needs, plus @extra_digits: ticks 0.2 apart
 *   read "0.4", "0.6"; a whole number of 10 000 or more is grouped, "12 000"; beyond six
 *   decimals or 10⁹, four significant digits
 */
char *
sq_format_to_step (double value,
                   double step,
                   int    extra_digits)
{
  int decimals;

  step = fabs (step);
  if (!(step > 0.0) || !isfinite (step))
    step = fabs (value) > 0.0 ? fabs (value) : 1.0;
  decimals = step >= 1.0 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  decimals += extra_digits;

  if (decimals > 6 || fabs (value) >= 1e9)
    return sq_format_number (value);
  if (decimals == 0 && fabs (value) >= 1e4)
    {
      g_autofree char *grouped = sq_format_integer ((guint64) fabs (value));

      return value < 0.0 ? g_strconcat (MINUS, grouped, NULL) : g_steal_pointer (&grouped);
    }
  return with_minus_signs (g_strdup_printf ("%.*f", MAX (decimals, 0), value));
}

char *
sq_format_range (double lo,
                 double hi)
{
  g_autofree char *a = sq_format_number (lo);
  g_autofree char *b = sq_format_number (hi);

  /* Translators: a range of values, "0.01 … 0.5" */
  return g_strdup_printf (_("%s … %s"), a, b);
}

char *
sq_format_db (double db)
{
  if (isinf (db) && db > 0)
    /* Translators: signal to noise ratio without any noise */
    return g_strdup (_("∞ dB (exact)"));
  if (isnan (db))
    return g_strdup ("—");
  /* Translators: decibels */
  return with_minus_signs (g_strdup_printf (_("%.2f dB"), db));
}

/* "12.5 %": a share as a percentage of three significant digits, "—" for NaN. */
char *
sq_format_percent (double fraction)
{
  g_autofree char *number = NULL;

  if (isnan (fraction))
    return g_strdup ("—");
  if (isinf (fraction))
    return g_strdup ("∞");
  number = sq_format_significant (100.0 * fraction, 3);
  /* Translators: a percentage, "12.5 %" */
  return g_strdup_printf (_("%s %%"), number);
}

char *
sq_format_count (gsize count,
                 gsize of)
{
  if (of == 0 || count == 0)
    return g_strdup_printf ("%zu", count);
  /* Translators: a count and its share of all, "12 (0.59 %)" */
  return g_strdup_printf (_("%zu (%.2g %%)"), count,
                          100.0 * (double) count / (double) of);
}
