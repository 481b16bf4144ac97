/* cli-private.h: shared by the synquant-cli commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

G_BEGIN_DECLS

/* Exit statuses: success, or one clear message on bad input or usage. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_ERROR 1

int         cli_quantize      (int     argc,
                               char  **argv);
int         cli_compare       (int     argc,
                               char  **argv);
int         cli_info          (int     argc,
                               char  **argv);
int         cli_simulate      (int     argc,
                               char  **argv);
int         cli_export        (int     argc,
                               char  **argv);
int         cli_check         (int     argc,
                               char  **argv);

int         cli_fail          (const char *format,
                               ...) G_GNUC_PRINTF (1, 2);
int         cli_fail_error    (const GError *error);
int         cli_usage_error   (const char *command,
                               const char *format,
                               ...) G_GNUC_PRINTF (2, 3);
gboolean    cli_parse         (GOptionContext *context,
                               const char     *command,
                               int            *argc,
                               char         ***argv,
                               int            *status);
SqXyloSpec *cli_load_spec     (const char *path,
                               GError    **error);
void        cli_print_warnings (const SqXyloSpec *spec);
gboolean    cli_has_extension (const char *path,
                               const char *extension);
void        cli_timing        (gboolean    enabled,
                               const char *phase,
                               gint64      start_usec);
gboolean    cli_quant_params  (const char    *method,
                               const char    *mode,
                               gboolean       fuzzy,
                               int            weight_bits,
                               int            threshold_bits,
                               SqQuantParams *params,
                               GError       **error);

/* NIR graphs (cli-nir.c) */
gboolean    cli_is_nir        (const char *path);
void        cli_add_nir_options (GOptionContext *context,
                                 double         *dt,
                                 char          **reset);
SqXyloSpec *cli_load_spec_nir (const char *path,
                               double      dt,
                               const char *reset,
                               GError    **error);
int         cli_info_nir      (const char *path,
                               double      dt,
                               const char *reset);

G_END_DECLS
