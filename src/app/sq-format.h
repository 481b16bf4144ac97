/* sq-format.h: how the window writes numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sq_format_number      (double  value) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_significant (double  value,
                             int     digits) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_to_step     (double  value,
                             double  step,
                             int     extra_digits) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_integer     (guint64 n) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_range       (double  lo,
                             double  hi) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_db          (double  db) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_percent     (double  fraction) G_GNUC_WARN_UNUSED_RESULT;
char *sq_format_count       (gsize   count,
                             gsize   of) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
