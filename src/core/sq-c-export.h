/* sq-c-export.h: a Xylo specification as C for microcontrollers — a self-contained header
 * with the integer parameters, and a companion source with the integer core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-device.h"
#include "sq-quantize.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

char     *sq_xylo_spec_to_c_header   (const SqXyloSpec      *spec,
                                      const SqQuantResult   *quant,
                                      const SqDeviceProfile *device,
                                      const char            *prefix,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;
char     *sq_xylo_spec_to_c_source   (const SqXyloSpec      *spec,
                                      const SqQuantResult   *quant,
                                      const SqDeviceProfile *device,
                                      const char            *prefix,
                                      const char            *header_name,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
