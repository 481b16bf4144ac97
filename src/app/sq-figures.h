/* sq-figures.h: the figures of a quantization, for the selected group and the whole network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sq-analysis.h"

G_BEGIN_DECLS

#define SQ_TYPE_FIGURES (sq_figures_get_type ())

G_DECLARE_FINAL_TYPE (SqFigures, sq_figures, SQ, FIGURES, GtkWidget)

void        sq_figures_set_result (SqFigures              *self,
                                   const SqAnalysisResult *result);
void        sq_figures_set_compact (SqFigures             *self,
                                    gboolean               compact);
const char *sq_figures_get_text   (SqFigures              *self,
                                   const char             *name);
GtkWidget  *sq_figures_get_label  (SqFigures              *self,
                                   const char             *name,
                                   gboolean                title);

G_END_DECLS
