/* sq-diagnostic-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

GPtrArray *_sq_diagnostics_new (void);
void       _sq_diagnostics_add (GPtrArray        *diagnostics,
                                SqDiagKind        kind,
                                int               param,
                                gsize             count,
                                const char       *format,
                                ...) G_GNUC_PRINTF (5, 6);
char      *_sq_format_list     (GPtrArray        *items);
gsize      _sq_dashes_round    (const SqXyloSpec *spec,
                                gboolean          clip,
                                SqXyloSpec       *out,
                                GPtrArray        *diagnostics);

G_END_DECLS
