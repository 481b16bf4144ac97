/* cli-private.h: shared by the synquant-cli commands
 *
 * The commands are a thin view of the core's network model (sq-network*.h): they parse
 * options, load through sq_network_load(), put option values into SqQuantSettings by
 * option id, and print what the core says; nothing here knows a kind of network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

G_BEGIN_DECLS

/* Exit statuses: success, or one clear message on bad input or usage. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_ERROR 1

/* Runs `synquant-cli ARGV…` in this process (argv[0] is the program): the tests call it
 * after registering kinds of their own. */
int         cli_main          (int     argc,
                               char  **argv);

int         cli_quantize      (int     argc,
                               char  **argv);
int         cli_discretize    (int     argc,
                               char  **argv);
int         cli_compare       (int     argc,
                               char  **argv);
int         cli_info          (int     argc,
                               char  **argv);
int         cli_simulate      (int     argc,
                               char  **argv);
/* simulate on a DynapCNN network (cli-simulate-cnn.c) */
gboolean    cli_cnn_read_events (const SqNetwork       *network,
                                 const char            *path,
                                 gboolean              *is_events,
                                 SqEventList           *list,
                                 GError               **error);
const SqNetwork *cli_cnn_integer (SqNetwork        *network,
                                  SqNetworkResult **quant,
                                  gboolean          timings,
                                  GError          **error);
gboolean    cli_cnn_check_load (SqNetwork            *network,
                                const char           *input,
                                guint64               step_us,
                                guint64               max_synops,
                                SqCheckReport        *report,
                                GError              **error);
int         cli_simulate_cnn  (SqNetwork             *network,
                               const SqDeviceProfile *device,
                               const SqRaster        *raster,
                               const SqEventList     *events,
                               const SqCnnSimOptions *options,
                               const char            *output,
                               gboolean               timings);
int         cli_export        (int     argc,
                               char  **argv);
int         cli_check         (int     argc,
                               char  **argv);
int         cli_evaluate      (int     argc,
                               char  **argv);
int         cli_sweep         (int     argc,
                               char  **argv);
int         cli_transform     (int     argc,
                               char  **argv);
int         cli_robustness    (int     argc,
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
gboolean    cli_has_extension (const char *path,
                               const char *extension);
void        cli_timing        (gboolean    enabled,
                               const char *phase,
                               gint64      start_usec);

/**
 * CliQuantOptions:
 *
 * The quantization options as typed (%NULL, %FALSE or %CLI_NOT_GIVEN: not given; 0 is a
 * value, and refused, as any other outside the kind's range); cli_settings() puts each
 * into the settings of the input's kind by its option id. @set holds `--set NAME=VALUE`
 * for any setting of any kind, applied after the named options.
 */
/* An integer option not given on the command line. */
#define CLI_NOT_GIVEN G_MININT

typedef struct {
  const char *method;
  const char *mode;
  gboolean    fuzzy;
  int         weight_bits;
  int         threshold_bits;
  const char *weight_shift;
  char      **set;
} CliQuantOptions;

void        cli_add_set_option (GOptionContext *context,
                                char         ***set);

/**
 * CliQuantArgs:
 *
 * What cli_add_quant_options() parses into: quantize's options, which evaluate takes too.
 */
typedef struct {
  char     *method;
  char     *mode;
  gboolean  fuzzy;
  int       weight_bits;
  int       threshold_bits;
  char     *weight_shift;
  char    **set;
} CliQuantArgs;

void        cli_quant_args_clear   (CliQuantArgs   *args);
/* --method, --fuzzy, --mode, --weight-bits, --threshold-bits, --weight-shift and --set. */
void        cli_add_quant_options  (GOptionContext *context,
                                    CliQuantArgs   *args);
/* cli_settings() on what cli_add_quant_options() parsed. */
gboolean    cli_quant_args_settings (const SqNetworkKind *kind,
                                     const CliQuantArgs  *args,
                                     SqQuantSettings     *settings,
                                     GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliQuantArgs, cli_quant_args_clear)

gboolean    cli_settings      (const SqNetworkKind   *kind,
                               const CliQuantOptions *options,
                               SqQuantSettings       *settings,
                               GError               **error);

/* Loading (cli-load.c) */
void        cli_add_nir_options (GOptionContext *context,
                                 double         *dt,
                                 char          **reset);
void        cli_add_kind_option (GOptionContext *context,
                                 char          **kind);
gboolean    cli_load_options  (double          dt,
                               const char     *reset,
                               const char     *kind,
                               SqLoadOptions  *options,
                               GError        **error);
SqNetwork  *cli_load          (const char          *path,
                               const SqLoadOptions *options,
                               GError             **error);
void        cli_print_warnings (const SqNetwork *network);

/* What evaluate and sweep share (cli-evaluate.c) */
gboolean     cli_device       (const SqNetworkKind    *kind,
                               const char             *name,
                               const SqDeviceProfile **device,
                               GError                **error);
SqSampleSet *cli_load_samples (const char             *path,
                               const SqNetwork        *network,
                               GCancellable           *cancellable,
                               GError                **error);
int          cli_interrupted  (const char             *command);

/* Progress and Ctrl+C (cli-progress.c) */
typedef struct {
  GCancellable *cancellable;
  const char   *what;
  gboolean      quiet;
  gboolean      shown;
  int           last_percent;
} CliProgress;

void        cli_progress_init        (CliProgress *progress,
                                      const char  *what,
                                      gboolean     quiet);
void        cli_progress_clear       (CliProgress *progress);
gboolean    cli_progress_interrupted (CliProgress *progress);
void        cli_progress_report      (double       fraction,
                                      gpointer     data);

G_END_DECLS
