/* sq-export.h: configuration exports for a device (Rockpool, samna, RAM images, NIR, C)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-device.h"
#include "sq-quantize.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

#define SQ_EXPORT_ERROR (sq_export_error_quark ())

/**
 * SqExportError:
 * @SQ_EXPORT_ERROR_NOT_INTEGER: a value is not a whole number: quantize first
 * @SQ_EXPORT_ERROR_RANGE: a value lies outside what the device's register holds; the
 *   exporter never wraps it (the message names the place)
 * @SQ_EXPORT_ERROR_UNREPRESENTABLE: the format has no place for a part of the network (a
 *   second synapse on XyloIMU, a second alias target, biases on Xylo v1)
 * @SQ_EXPORT_ERROR_DEVICE: the device does not run Xylo specifications
 */
typedef enum {
  SQ_EXPORT_ERROR_NOT_INTEGER = 1,
  SQ_EXPORT_ERROR_RANGE,
  SQ_EXPORT_ERROR_UNREPRESENTABLE,
  SQ_EXPORT_ERROR_DEVICE,
} SqExportError;

/**
 * SqExportFormat:
 * @SQ_EXPORT_ROCKPOOL_JSON: the integer specification as JSON, Rockpool's mapper keys
 * @SQ_EXPORT_ROCKPOOL_NPZ: the same as a NumPy archive
 * @SQ_EXPORT_SAMNA_JSON: one JSON object mirroring samna's XyloConfiguration attributes
 * @SQ_EXPORT_XYLO_RAM: a folder of RAM image text files and basic_config.json
 * @SQ_EXPORT_C_HEADER: a self-contained C header (and optionally its .c)
 * @SQ_EXPORT_NIR: a NIR graph (HDF5)
 *
 * docs/export.md describes every format.
 */
typedef enum {
  SQ_EXPORT_ROCKPOOL_JSON,
  SQ_EXPORT_ROCKPOOL_NPZ,
  SQ_EXPORT_SAMNA_JSON,
  SQ_EXPORT_XYLO_RAM,
  SQ_EXPORT_C_HEADER,
  SQ_EXPORT_NIR,
  SQ_N_EXPORT_FORMATS
} SqExportFormat;

/**
 * SqExportOptions:
 * @source: the source file named in headers; %NULL for the specification's own
 * @prefix: (c-header) prefix of the C identifiers; %NULL for "sq"
 * @c_source_path: (c-header) where the companion .c goes, or %NULL for none
 *
 * Zero-initialised means the defaults.
 */
typedef struct {
  const char *source;
  const char *prefix;
  const char *c_source_path;
} SqExportOptions;

/**
 * SqExportFile:
 * @path: where the file goes
 * @data: its bytes
 */
typedef struct {
  char   *path;
  GBytes *data;
} SqExportFile;

GQuark       sq_export_error_quark         (void);

const char  *sq_export_format_to_string    (SqExportFormat format);
gboolean     sq_export_format_from_string  (const char     *name,
                                            SqExportFormat *format);

GPtrArray   *sq_export_build               (const SqXyloSpec      *spec,
                                            const SqQuantResult   *quant,
                                            const SqDeviceProfile *device,
                                            SqExportFormat         format,
                                            const char            *path,
                                            const SqExportOptions *options,
                                            GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* The c-header format's two files (sq-export-c-header.c, sq-export-c-source.c). */
char        *sq_xylo_spec_to_c_header      (const SqXyloSpec      *spec,
                                            const SqQuantResult   *quant,
                                            const SqDeviceProfile *device,
                                            const char            *prefix,
                                            GError               **error) G_GNUC_WARN_UNUSED_RESULT;
char        *sq_xylo_spec_to_c_source      (const SqXyloSpec      *spec,
                                            const SqQuantResult   *quant,
                                            const SqDeviceProfile *device,
                                            const char            *prefix,
                                            const char            *header_name,
                                            GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
