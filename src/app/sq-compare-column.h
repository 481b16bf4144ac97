/* sq-compare-column.h: one set of settings of the compare page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-analysis.h"

G_BEGIN_DECLS

#define SQ_TYPE_COMPARE_COLUMN (sq_compare_column_get_type ())

G_DECLARE_FINAL_TYPE (SqCompareColumn, sq_compare_column, SQ, COMPARE_COLUMN, GtkWidget)

GtkWidget  *sq_compare_column_new          (const char      *title,
                                            guint            preset);
guint       sq_compare_column_get_preset   (SqCompareColumn *self);
SqAnalysis *sq_compare_column_get_analysis (SqCompareColumn *self);
void        sq_compare_column_set_best     (SqCompareColumn *self,
                                            gboolean         best);
gboolean    sq_compare_column_get_best     (SqCompareColumn *self);
void        sq_compare_column_set_removable (SqCompareColumn *self,
                                             gboolean         removable);

G_END_DECLS
