/* sq-test-pages.h: what the window tests read on the pages and wait for, whatever the kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-compare-page.h"
#include "sq-export-dialog.h"
#include "sq-figures.h"

G_BEGIN_DECLS

double   sq_test_figure_value       (SqFigures  *figures,
                                     const char *name);
gboolean sq_test_compare_idle       (gpointer    compare_page);
gboolean sq_test_export_dialog_idle (gpointer    dialog);
void     sq_test_count              (gint       *n);
gboolean sq_test_is_positive        (gpointer    n);

G_END_DECLS
