/* sq-report.h: a quantization result as JSON and as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "sq-quantize.h"

G_BEGIN_DECLS

JsonNode *sq_quant_result_to_json  (const SqQuantResult *result,
                                    const char          *source) G_GNUC_WARN_UNUSED_RESULT;
char     *sq_quant_result_summary  (const SqQuantResult *result) G_GNUC_WARN_UNUSED_RESULT;
char     *sq_quant_params_describe (const SqQuantParams *params) G_GNUC_WARN_UNUSED_RESULT;
char     *sq_json_to_data          (JsonNode            *root,
                                    gboolean             pretty,
                                    gsize               *length) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
