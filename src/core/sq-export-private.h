/* sq-export-private.h: what sq-export.c and the exporters of each format share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* One export: what is written, for which device, and the name messages give the source. */
typedef struct {
  const SqXyloSpec      *spec;
  const SqDeviceProfile *device;
  const char            *source;
} SqExportCtx;

GPtrArray *_sq_export_files_new     (void);
void      _sq_export_add_file       (GPtrArray             *files,
                                     const char            *path,
                                     GBytes                *data);

/* The formats (sq-export-<format>.c); the NIR export is sq_xylo_spec_to_nir(). */
GBytes   *_sq_export_rockpool       (const SqExportCtx     *c,
                                     gboolean               npz,
                                     GError               **error);
GBytes   *_sq_export_samna_json     (const SqExportCtx     *c,
                                     GError               **error);
gboolean  _sq_export_xylo_ram       (const SqExportCtx     *c,
                                     const char            *dir,
                                     GPtrArray             *files,
                                     GError               **error);
gboolean  _sq_export_c_header       (const SqExportCtx     *c,
                                     const SqQuantResult   *quant,
                                     const char            *path,
                                     const SqExportOptions *options,
                                     GPtrArray             *files,
                                     GError               **error);

/* What Xylo's registers hold, and the network as they see it (sq-export-registers.c). */
gboolean  _sq_export_check_values   (const SqExportCtx     *c,
                                     gboolean               strict,
                                     GError               **error);
gboolean  _sq_export_full_windows   (const SqDeviceProfile *device);
int       _sq_export_value_at       (const SqXyloSpec      *spec,
                                     SqParam                param,
                                     gsize                  i);
int       _sq_export_input_weight   (const SqXyloSpec      *spec,
                                     gsize                  i,
                                     gsize                  j,
                                     gsize                  s);
int       _sq_export_rec_weight     (const SqXyloSpec      *spec,
                                     gsize                  i,
                                     gsize                  j,
                                     gsize                  s);
int       _sq_export_output_weight  (const SqXyloSpec      *spec,
                                     gsize                  n_rows,
                                     gsize                  r,
                                     gsize                  o);
gssize    _sq_export_alias_target   (const SqXyloSpec      *spec,
                                     gsize                  j);
gboolean  _sq_export_any_alias      (const SqXyloSpec      *spec);
gboolean  _sq_export_any_bias       (const SqXyloSpec      *spec);

G_END_DECLS
