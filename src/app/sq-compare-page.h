/* sq-compare-page.h: two to four quantizations of the same group side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-analysis.h"

G_BEGIN_DECLS

#define SQ_TYPE_COMPARE_PAGE (sq_compare_page_get_type ())

#define SQ_COMPARE_MIN_COLUMNS 2
#define SQ_COMPARE_MAX_COLUMNS 4

G_DECLARE_FINAL_TYPE (SqComparePage, sq_compare_page, SQ, COMPARE_PAGE, GtkWidget)

void        sq_compare_page_set_source   (SqComparePage *self,
                                          SqAnalysis    *source);
guint       sq_compare_page_get_n_columns (SqComparePage *self);
GtkWidget  *sq_compare_page_get_column   (SqComparePage *self,
                                          guint          i);
gboolean    sq_compare_page_add_column   (SqComparePage *self);
int         sq_compare_page_get_best     (SqComparePage *self);

G_END_DECLS
