/* sq-private.h: internal helpers shared inside libsynquant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* On x86-64 ELF systems, a function marked SQ_CLONES is compiled twice, for AVX2 and
 * for the baseline, and the loader picks the one the processor runs: the passes over every
 * neuron of a simulator's step vectorize 4 or 8 wide instead of 2 or 4, floor() and
 * nearbyint() are one instruction instead of a call. The numbers are the same: the clones do
 * the same integer operations, and the same IEEE operations on doubles lane by lane (the
 * core is built with -ffp-contract=off, so no FMA either way). Not under AddressSanitizer,
 * whose start-up the loader's choice would precede. */
#if defined(__SANITIZE_ADDRESS__)
# define SQ_NO_CLONES 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define SQ_NO_CLONES 1
# endif
#endif
#if defined(__x86_64__) && defined(__ELF__) && defined(__GNUC__) && !defined(SQ_NO_CLONES)
/* clang refuses noinline beside target_clones (a multiversioned function is never inlined
 * there anyway). */
# if defined(__clang__)
#  define SQ_CLONES __attribute__ ((target_clones ("avx2", "default")))
# else
#  define SQ_CLONES __attribute__ ((target_clones ("avx2", "default"), noinline))
# endif
#else
# define SQ_CLONES
#endif

/* Exact float comparisons, spelled so -Wfloat-equal can stay an error everywhere else. */
static inline gboolean
_sq_is_zero (double x)
{
  return !(x < 0.0 || x > 0.0);
}

static inline gboolean
_sq_differ (double a,
            double b)
{
  return a < b || a > b;
}

SqCheckReport *_sq_check_report_new        (const SqDeviceProfile *device);
void           _sq_check_report_add_issue  (SqCheckReport         *report,
                                            SqCheckSeverity        severity,
                                            const char            *kind,
                                            int                    param,
                                            char                  *message);
/* The folder of an export that is one (sq-file.c): never its missing parents. */
gboolean    _sq_file_make_folder          (const char       *path,
                                           gboolean         *created,
                                           GError          **error);
gboolean    _sq_tensor_init_uninitialized (SqTensor         *tensor,
                                           const SqTensor   *like,
                                           GError          **error);
SqXyloSpec *_sq_xylo_spec_new_frame       (const SqXyloSpec *spec,
                                           GError          **error);
gboolean    _sq_xylo_spec_check_keys      (const SqXyloSpec *spec,
                                           const gboolean   *present,
                                           GError          **error);
/* Numbers as Python writes them (sq-xylo-spec-json.c): "-3", and floats by repr: "1e-05". */
void        _sq_append_integer            (GString          *s,
                                           double            v);
void        _sq_append_tensor             (GString          *s,
                                           const SqTensor   *t);
void        _sq_append_float              (GString          *s,
                                           double            v);

/* Errors of elements @first … @first + @n − 1 of @param, dequantized − float
 * (sq-quant-result.c); the Xylo kind's group errors. */
/* What the sparse form of a weight matrix (sq-quant-kernels-private.h) lets the errors skip. */
typedef struct _SqQuantSparse SqQuantSparse;
gboolean    _sq_quant_result_sparse_errors (const SqQuantResult *result,
                                            const SqXyloSpec    *spec,
                                            SqParam              param,
                                            const SqQuantSparse *sp,
                                            gsize                block,
                                            gsize                part,
                                            SqGroupFigures      *part_figures,
                                            SqHistogram         *hist,
                                            SqStats             *stats);
void        _sq_quant_result_errors_range (const SqQuantResult *result,
                                           const SqXyloSpec    *spec,
                                           SqParam              param,
                                           gsize                first,
                                           gsize                n,
                                           double              *errors);
/* The same, adding the figures of those values into @figures. */
void        _sq_quant_result_group_figures (const SqQuantResult *result,
                                            const SqXyloSpec    *spec,
                                            SqParam              param,
                                            gsize                first,
                                            gsize                n,
                                            SqGroupFigures      *figures,
                                            double              *errors);
/* A member of a JSON report: NaN and infinities as null (sq-report.c). */
void        _sq_json_add_double           (JsonBuilder      *b,
                                           const char       *name,
                                           double            v);
void        _sq_json_add_int              (JsonBuilder      *b,
                                           const char       *name,
                                           gint64            v);
void        _sq_append_figures            (GString          *s,
                                           gsize             clipped,
                                           gsize             zeroed,
                                           gsize             n_nonzero,
                                           gsize             out_of_range,
                                           double            sqnr,
                                           double            max_abs_error);
gboolean    _sq_export_write_files        (GPtrArray        *files,
                                           gboolean          is_directory,
                                           const char       *path,
                                           GError          **error);

gsize       _sq_file_read_head            (const char       *path,
                                           guint8           *head,
                                           gsize             size);

G_END_DECLS
