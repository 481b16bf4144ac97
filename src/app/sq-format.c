/* sq-format.c: how the window writes numbers
 *
 * Four significant digits everywhere: enough to tell two settings apart, few enough to read.
 * The tests parse these strings back, so each is a number followed by at most a unit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-format.h"

char *
sq_format_number (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : "−∞");
  return g_strdup_printf ("%.4g", value);
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
  return g_strdup_printf (_("%.2f dB"), db);
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
