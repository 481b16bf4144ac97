/* sq-quant-kernels-private.h: the passes quantizations are made of (sq-quant-kernels.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "synquant.h"

G_BEGIN_DECLS

typedef struct _SqQuantCache SqQuantCache;

/* The weight matrices that feed one layer, each seen as (rows, cols = target neurons, syn). */
typedef struct {
  SqLayer         layer;
  gsize           n_targets;
  guint           n_w;
  SqParam         w_param[2];
  const SqTensor *w[2];
  gsize           rows[2];
  gsize           cols[2];
  gsize           syn[2];
  SqParam         theta_param;
  SqParam         bias_param;
  const SqTensor *theta;
  const SqTensor *bias;   /* absent when the spec has none */
  const SqXyloSpec *spec;
  SqQuantCache   *cache;  /* nullable: where the ranges below are kept */
} SqQuantLayerView;

/* How the passes are cut for the threads (sq-parallel.c): matrices smaller than
 * SQ_QUANT_PARALLEL_MIN values run in the caller; layer-wide sums are made in chunks of
 * SQ_QUANT_CHUNK values, added in chunk order; per-column passes are split into
 * SQ_QUANT_COLUMN_PARTS blocks of columns (more than the threads, so a busy core does not
 * hold the others up), each owning its columns' sums. */
#define SQ_QUANT_PARALLEL_MIN 65536
#define SQ_QUANT_CHUNK 32768
#define SQ_QUANT_COLUMN_PARTS 8

static inline guint
_sq_quant_n_chunks (gsize n)
{
  return (guint) MAX ((n + SQ_QUANT_CHUNK - 1) / SQ_QUANT_CHUNK, 1);
}

static inline guint
_sq_quant_column_parts (gsize rows,
                        gsize cols,
                        gsize syn)
{
  if (rows * cols * syn < SQ_QUANT_PARALLEL_MIN)
    return 1;
  return (guint) MIN (SQ_QUANT_COLUMN_PARTS, cols);
}

static inline void
_sq_quant_part_columns (guint  part,
                        guint  n_parts,
                        gsize  cols,
                        gsize *c0,
                        gsize *c1)
{
  *c0 = cols * part / n_parts;
  *c1 = cols * (part + 1) / n_parts;
}

/* The non-zero (row, column) pairs of a sparse weight matrix (rows × cols × syn): a pair
 * is listed when any of its synapses is not +0.0 (−0.0 is listed: it quantizes to −0).
 * Made only for matrices with at most a quarter of their pairs listed; the passes then
 * touch those pairs alone, with the sums of the dense passes bit for bit (a +0.0 weight
 * adds exactly nothing), and write +0.0 elsewhere, which is what a positive scale gives. */
typedef struct _SqQuantSparse SqQuantSparse;
/* The listed pairs are scattered over megabytes: a pass over them asks for the values of
 * the pair this far ahead of the one it reads (the processor cannot guess where they are). */
#define SQ_QUANT_PREFETCH 16
struct _SqQuantSparse {
  gsize    rows, cols, syn;
  gsize    n_pairs;       /* listed */
  guint    n_chunks;      /* of SQ_QUANT_CHUNK values */
  gsize   *chunk_start;   /* n_chunks + 1 offsets into pairs */
  guint32 *pairs;         /* r · cols + c, in memory order */
  guint    n_parts;       /* _sq_quant_column_parts() */
  gsize   *part_start;    /* n_parts + 1 offsets into by_part */
  guint32 *by_part;       /* the pairs of each block of columns, in memory order */
};

SqQuantSparse *_sq_quant_sparse_new   (const double        *w,
                                       gsize                rows,
                                       gsize                cols,
                                       gsize                syn);
void           _sq_quant_sparse_free  (SqQuantSparse       *sp);
void           _sq_quant_sparse_set_enabled (gboolean        enabled);
void           _sq_quant_sparse_max_abs (const SqQuantSparse *sp,
                                         const double        *w,
                                         gboolean             per_column,
                                         double              *m);

void      _sq_quant_layer_view_init   (SqQuantLayerView       *v,
                                       const SqXyloSpec       *spec,
                                       SqLayer                 layer);

/* Per group (one for global scaling, one per target for channel scaling). */
typedef struct {
  gsize     n;
  double   *range;
  double   *scale;
  gboolean *limited;
  gboolean  overflow;   /* Wmax/range exceeded the largest double */
  int       shift;      /* thresholds and biases are scaled by scale·2^shift */
} SqQuantScales;

void      _sq_quant_scales_init       (SqQuantScales          *s,
                                       gsize                   n);
void      _sq_quant_scales_clear      (SqQuantScales          *s);

/* Ranges: max |w| of a layer, of each target column (into @m, one per target), of a vector
 * (0 for an absent one); the fuzzy range |mean| + 2σ of the non-zero weights, NaN when there
 * are none. */
void      _sq_quant_column_max_abs    (const SqQuantLayerView *v,
                                       double                 *m);
double    _sq_quant_layer_max_abs     (const SqQuantLayerView *v);
double    _sq_quant_vector_max_abs    (const SqTensor         *t);
double    _sq_quant_layer_fuzzy_range (const SqQuantLayerView *v);
void      _sq_quant_column_fuzzy_range (const SqQuantLayerView *v,
                                        double                 *m);

/* The ranges that depend on the float weights alone, kept between quantizations of one
 * network (sq-quant-cache.c); the range functions above look there first when their view
 * has a cache. */
typedef enum {
  SQ_QUANT_CACHE_LAYER_MAX,
  SQ_QUANT_CACHE_LAYER_FUZZY,
  SQ_QUANT_CACHE_COLUMN_MAX,
  SQ_QUANT_CACHE_COLUMN_FUZZY,
  SQ_QUANT_CACHE_N_ITEMS
} SqQuantCacheItem;

typedef void (*SqQuantRangeFunc) (const SqQuantLayerView *v,
                                  double                 *out);

/* The sparse form of weight matrix @t of @v, or %NULL when it is dense or @v has no
 * cache. */
const SqQuantSparse *_sq_quant_view_sparse (const SqQuantLayerView *v,
                                            guint                   t);

SqQuantCache *_sq_quant_cache_new     (void);
void          _sq_quant_cache_free    (SqQuantCache           *cache);
void          _sq_quant_cache_lookup  (SqQuantCache           *cache,
                                       const SqXyloSpec       *spec,
                                       const SqQuantLayerView *v,
                                       SqQuantCacheItem        item,
                                       gsize                   n,
                                       SqQuantRangeFunc        compute,
                                       double                 *out);
const SqQuantSparse *_sq_quant_cache_sparse (SqQuantCache     *cache,
                                             const SqXyloSpec *spec,
                                             SqParam           param,
                                             gsize             rows,
                                             gsize             cols,
                                             gsize             syn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqQuantCache, _sq_quant_cache_free)

/* What one group's pass adds up. */
typedef struct {
  gsize  clipped;
  gsize  out_of_range;
  gsize  zeroed;
  gsize  nonzero;      /* weights ≠ 0: what @zeroed is a share of */
  double signal;       /* Σ w² */
  double noise_q;      /* Σ (q − w·s)², in integer units */
  double max_err_q;    /* max |q − w·s|, in integer units */
  gsize  bias_zeroed;
} SqQuantAcc;

/* One weight: rint(w·s), clipped to ±wmax when @clip or counted as out of range, with its
 * error in integer units. Branch-free, so the loops below stream at memory speed. */
static inline double
_sq_quant_one (double   w,
               double   s,
               double   wmax,
               gboolean clip,
               gsize   *clipped,
               gsize   *out_of_range,
               gsize   *zeroed,
               gsize   *nonzero,
               double  *err)
{
  gsize nz = (gsize) (fabs (w) > 0.0);
  double x = w * s;
  double r = rint (x);
  gsize outside = (gsize) (r > wmax) + (gsize) (r < -wmax);

  if (clip)
    {
      r = r > wmax ? wmax : r;
      r = r < -wmax ? -wmax : r;
      *clipped += outside;
    }
  else
    *out_of_range += outside;

  /* r is a whole number, so |r| < 0.5 means r == 0; comparisons keep this branch-free and
   * defined even for the huge values Rockpool mode can produce. */
  *zeroed += (gsize) (fabs (r) < 0.5) & nz;
  *nonzero += nz;
  *err = fabs (r - x);
  return r;
}

/* Four lanes of a flat pass (sq-quant-kernels.c, sq-quant-sparse.c): value i of a chunk
 * goes to lane i % 4, the chunk's last n % 4 values to lane 0, and the lanes are added
 * into @acc as ((0 + 1) + (2 + 3)). */
typedef struct {
  double sig[4], noi[4], maxe[4];
  gsize  clipped, out_of_range, zeroed, nonzero;
} SqQuantLanes;

static inline double
_sq_quant_lane_one (SqQuantLanes *l,
                    int           j,
                    double        x,
                    double        s,
                    double        wmax,
                    gboolean      clip)
{
  double e, r = _sq_quant_one (x, s, wmax, clip, &l->clipped, &l->out_of_range, &l->zeroed,
                               &l->nonzero, &e);

  l->sig[j] += x * x;
  l->noi[j] += e * e;
  l->maxe[j] = e > l->maxe[j] ? e : l->maxe[j];
  return r;
}

static inline void
_sq_quant_lanes_add (SqQuantAcc         *acc,
                     const SqQuantLanes *l)
{
  acc->clipped += l->clipped;
  acc->out_of_range += l->out_of_range;
  acc->zeroed += l->zeroed;
  acc->nonzero += l->nonzero;
  acc->signal += (l->sig[0] + l->sig[1]) + (l->sig[2] + l->sig[3]);
  acc->noise_q += (l->noi[0] + l->noi[1]) + (l->noi[2] + l->noi[3]);
  acc->max_err_q = MAX (acc->max_err_q, MAX (MAX (l->maxe[0], l->maxe[1]),
                                             MAX (l->maxe[2], l->maxe[3])));
}

/* One (row, column) pair of a per-column pass: its synapses summed in registers, then
 * added to its column's @acc. Reads each float before storing its integer: @y may be @x. */
static inline void
_sq_quant_pair (const double *x,
                double       *y,
                gsize         syn,
                double        s,
                double        wmax,
                gboolean      clip,
                SqQuantAcc   *acc)
{
  double sig = 0.0, noi = 0.0, maxe = acc->max_err_q;
  gsize clipped = 0, out_of_range = 0, zeroed = 0, nonzero = 0;

  for (gsize k = 0; k < syn; k++)
    {
      double v = x[k], e;

      y[k] = _sq_quant_one (v, s, wmax, clip, &clipped, &out_of_range, &zeroed, &nonzero, &e);
      sig += v * v;
      noi += e * e;
      maxe = e > maxe ? e : maxe;
    }
  acc->clipped += clipped;
  acc->out_of_range += out_of_range;
  acc->zeroed += zeroed;
  acc->nonzero += nonzero;
  acc->signal += sig;
  acc->noise_q += noi;
  acc->max_err_q = maxe;
}

/* Weights into integers: rint(w·s), clipped to ±@wmax when @clip, else counted as out of
 * range; @q may be @w. */
void      _sq_quant_flat              (const double           *w,
                                       const SqQuantSparse    *sp,
                                       double                 *q,
                                       gsize                   n,
                                       double                  s,
                                       double                  wmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc);
void      _sq_quant_columns           (const double           *w,
                                       const SqQuantSparse    *sp,
                                       double                 *q,
                                       gsize                   rows,
                                       gsize                   cols,
                                       gsize                   syn,
                                       const double           *scale,
                                       double                  wmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc);
/* The same over a sparse matrix's listed pairs (sq-quant-sparse.c), for positive scales;
 * the flat pass leaves one sum per chunk in @part_acc. */
void      _sq_quant_sparse_flat       (const SqQuantSparse    *sp,
                                       const double           *w,
                                       double                 *q,
                                       gsize                   n,
                                       double                  s,
                                       double                  wmax,
                                       gboolean                clip,
                                       SqQuantAcc             *part_acc);
void      _sq_quant_sparse_columns    (const SqQuantSparse    *sp,
                                       const double           *w,
                                       double                 *q,
                                       const double           *scale,
                                       double                  wmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc);
void      _sq_quant_neuron            (const SqQuantLayerView *v,
                                       SqXyloSpec             *dst,
                                       gsize                   c,
                                       double                  theta_scale,
                                       double                  bias_scale,
                                       double                  tmax,
                                       gboolean                clip,
                                       SqQuantAcc             *acc,
                                       gsize                  *clipped_thresholds,
                                       gsize                  *clipped_biases);

/* A group's report from its sums, and a group added into a layer's or the total. */
void      _sq_quant_group_from_acc    (SqGroupReport          *g,
                                       SqLayer                 layer,
                                       gssize                  channel,
                                       double                  range,
                                       double                  scale,
                                       gboolean                limited,
                                       gsize                   n_weights,
                                       const SqQuantAcc       *acc,
                                       double                  wmax);
void      _sq_quant_group_add         (SqGroupReport          *sum,
                                       const SqGroupReport    *g);

G_END_DECLS
