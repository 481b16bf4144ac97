/* sq-tune-page.h: the parameter groups, the tuning controls and the plots of one analysis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sq-analysis.h"

G_BEGIN_DECLS

#define SQ_TYPE_TUNE_PAGE (sq_tune_page_get_type ())

G_DECLARE_FINAL_TYPE (SqTunePage, sq_tune_page, SQ, TUNE_PAGE, GtkWidget)

void        sq_tune_page_set_analysis (SqTunePage *self,
                                       SqAnalysis *analysis);
void        sq_tune_page_select_group (SqTunePage *self,
                                       guint       group);
GtkWidget  *sq_tune_page_get_control  (SqTunePage *self,
                                       const char *id);
GtkWidget  *sq_tune_page_get_layer_control (SqTunePage *self,
                                            const char *id);
const char *sq_tune_page_get_layer_formats (SqTunePage *self);

G_END_DECLS
