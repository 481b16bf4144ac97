/* sq-xylo-kind-text-private.h: the Xylo kind's own words (sq-xylo-kind-text.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

GPtrArray *_sq_xylo_hints         (const SqSimRun        *run);
char      *_sq_xylo_describe      (const SqNetwork       *network);
char      *_sq_xylo_describe_file (const char            *path,
                                   const SqLoadOptions   *options,
                                   GError               **error);
char      *_sq_xylo_summary       (const SqNetworkResult *result);
JsonNode  *_sq_xylo_report        (const SqNetworkResult *result,
                                   const char            *source);
char      *_sq_xylo_note          (const SqNetworkResult *result);
char      *_sq_xylo_compare_table (SqNetworkResult      **results,
                                   guint                  n_results,
                                   int                    best);

G_END_DECLS
