/* sq-quant-sparse.c: the passes over sparse weight matrices, touching only their non-zero
 * pairs
 *
 * Xylo networks are sparse: a hidden neuron fans out to at most 64 others, so a trained
 * 1000 × 1000 × 2 recurrent matrix is about 97 % zeros. A +0.0 weight changes none of a
 * pass's figures (it adds +0.0 to sums that are ≥ +0.0, and an error of 0 to a maximum that
 * is ≥ 0) and quantizes to +0.0 under a positive scale; so listing the other pairs once, in
 * memory order, lets every pass skip the zeros with the dense passes' bits: each listed
 * weight lands in the same partial sum (chunk, lane or column) as in the dense pass, in the
 * same order. A scale that is not positive (Rockpool's flipped neurons) takes the dense
 * pass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-parallel-private.h"
#include "sq-private.h"
#include "sq-quant-kernels-private.h"

/* Whether @x is anything but +0.0: its bits are not all zero. */
static inline guint64
listed (double x)
{
  guint64 bits;

  memcpy (&bits, &x, sizeof bits);
  return bits;
}

static gint disabled;   /* atomic */

/* For tests and benchmarks: whether sparse forms are made from now on. */
void
_sq_quant_sparse_set_enabled (gboolean enabled)
{
  g_atomic_int_set (&disabled, !enabled);
}

typedef struct {
  const double *w;
  gsize         n_pairs;     /* rows · cols */
  gsize         syn;
  gsize         chunk_pairs;
  guint32      *tmp;         /* chunk k writes from k · chunk_pairs */
  gsize        *count;
  gint          listed;      /* pairs listed so far (atomic, saturating at the limit) */
  gint          limit;       /* more than this: dense, the other chunks are skipped */
} BuildJob;

static void
build_part (guint    part,
            guint    n_parts,
            gpointer data)
{
  BuildJob *job = data;
  gsize first = (gsize) part * job->chunk_pairs;
  gsize last = MIN (first + job->chunk_pairs, job->n_pairs), n = 0;
  guint32 *out = job->tmp + first;

  /* A dense matrix is known as such after a quarter of it: not worth reading the rest. */
  if (g_atomic_int_get (&job->listed) > job->limit)
    return;

  /* Branch-free: every pair's index is stored, and the next one overwrites it unless the
   * pair has a weight. Two synapses (Xylo's most) get a loop of their own. */
  if (job->syn == 2)
    for (gsize p = first; p < last; p++)
      {
        out[n] = (guint32) p;
        n += (listed (job->w[2 * p]) | listed (job->w[2 * p + 1])) != 0;
      }
  else
    for (gsize p = first; p < last; p++)
      {
        const double *x = job->w + p * job->syn;
        guint64 any = 0;

        for (gsize k = 0; k < job->syn; k++)
          any |= listed (x[k]);
        out[n] = (guint32) p;
        n += any != 0;
      }
  job->count[part] = n;
  g_atomic_int_add (&job->listed, (gint) MIN (n, (gsize) job->limit + 1));
}

void
_sq_quant_sparse_free (SqQuantSparse *sp)
{
  if (sp == NULL)
    return;
  g_free (sp->chunk_start);
  g_free (sp->pairs);
  g_free (sp->part_start);
  g_free (sp->by_part);
  g_free (sp);
}

/**
 * _sq_quant_sparse_new:
 *
 * Lists the non-zero pairs of @w (one pass on every core).
 *
 * Returns: the sparse form, or %NULL when more than a quarter of the pairs are listed (or
 *   the matrix is too small to gain from it)
 */
SqQuantSparse *
_sq_quant_sparse_new (const double *w,
                      gsize         rows,
                      gsize         cols,
                      gsize         syn)
{
  gsize n_pairs = rows * cols, total = 0;
  BuildJob job = { w, n_pairs, syn, 0, };
  g_autofree guint32 *tmp = NULL;
  g_autofree gsize *count = NULL;
  g_autofree gsize *fill = NULL;
  SqQuantSparse *sp;
  guint chunks;

  if (g_atomic_int_get (&disabled) || syn == 0 || SQ_QUANT_CHUNK % syn != 0 || n_pairs * syn < SQ_QUANT_PARALLEL_MIN ||
      n_pairs > G_MAXUINT32)
    return NULL;
  chunks = _sq_quant_n_chunks (n_pairs * syn);
  job.chunk_pairs = SQ_QUANT_CHUNK / syn;
  /* Capped so that the threads adding at once cannot overflow it (a huge matrix past the
   * cap takes the dense passes, which give the same bits). */
  job.limit = (gint) MIN (n_pairs / 4, (gsize) G_MAXINT / 256);
  /* Written only as far as each chunk lists: pages beyond are never touched. */
  job.tmp = tmp = g_new (guint32, n_pairs);
  job.count = count = g_new0 (gsize, chunks);
  _sq_parallel_run (chunks, build_part, &job);
  for (guint k = 0; k < chunks; k++)
    total += count[k];
  if (g_atomic_int_get (&job.listed) > job.limit || total > n_pairs / 4)
    return NULL;

  sp = g_new0 (SqQuantSparse, 1);
  sp->rows = rows;
  sp->cols = cols;
  sp->syn = syn;
  sp->n_pairs = total;
  sp->n_chunks = chunks;
  sp->chunk_start = g_new0 (gsize, chunks + 1);
  sp->pairs = g_new (guint32, MAX (total, 1));
  for (guint k = 0; k < chunks; k++)
    {
      memcpy (sp->pairs + sp->chunk_start[k], tmp + (gsize) k * job.chunk_pairs,
              count[k] * sizeof (guint32));
      sp->chunk_start[k + 1] = sp->chunk_start[k] + count[k];
    }

  /* The same pairs by block of columns, each block in memory order. */
  sp->n_parts = _sq_quant_column_parts (rows, cols, syn);
  sp->part_start = g_new0 (gsize, sp->n_parts + 1);
  sp->by_part = g_new (guint32, MAX (total, 1));
  fill = g_new0 (gsize, MAX (sp->n_parts, cols));
  for (guint p = 0; p < sp->n_parts; p++)
    {
      gsize c0, c1;

      _sq_quant_part_columns (p, sp->n_parts, cols, &c0, &c1);
      for (gsize c = c0; c < c1; c++)
        fill[c] = p;   /* for now, each column's block */
    }
  for (gsize i = 0; i < total; i++)
    sp->part_start[fill[sp->pairs[i] % cols] + 1]++;
  for (guint p = 0; p < sp->n_parts; p++)
    sp->part_start[p + 1] += sp->part_start[p];
  {
    g_autofree gsize *next = g_memdup2 (sp->part_start, sp->n_parts * sizeof (gsize));

    for (gsize i = 0; i < total; i++)
      sp->by_part[next[fill[sp->pairs[i] % cols]]++] = sp->pairs[i];
  }
  return sp;
}

/* ---------------------------------------------------------------------------------------- */
/* Ranges                                                                                    */

/* max |w| over the listed pairs, into @m (one value) or, with @per_column, @m[column]. */
void
_sq_quant_sparse_max_abs (const SqQuantSparse *sp,
                          const double        *w,
                          gboolean             per_column,
                          double              *m)
{
  for (gsize i = 0; i < sp->n_pairs; i++)
    {
      gsize pair = sp->pairs[i];
      const double *x = w + pair * sp->syn;
      double *into = per_column ? &m[pair % sp->cols] : m;

      for (gsize k = 0; k < sp->syn; k++)
        *into = fabs (x[k]) > *into ? fabs (x[k]) : *into;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Quantizing                                                                                */

typedef struct {
  const SqQuantSparse *sp;
  const double        *w;
  double              *q;
  gsize                n;
  double               s;
  const double        *scale;
  double               wmax;
  gboolean             clip;
  SqQuantAcc          *acc;   /* one per chunk (flat) or per column */
} SparseJob;

/* _sq_quant_flat's chunk @part: its four lanes, the last n % 4 values in lane 0. */
static void
flat_chunk (guint    part,
            guint    n_parts,
            gpointer data)
{
  SparseJob *job = data;
  const SqQuantSparse *sp = job->sp;
  gsize first = (gsize) part * SQ_QUANT_CHUNK, n = MIN (SQ_QUANT_CHUNK, job->n - first);
  gsize tail = n - n % 4;
  SqQuantLanes lanes = { { 0, }, };

  if (job->q != job->w)
    memset (job->q + first, 0, n * sizeof (double));
  for (gsize i = sp->chunk_start[part]; i < sp->chunk_start[part + 1]; i++)
    {
      if (i + SQ_QUANT_PREFETCH < sp->chunk_start[part + 1])
        __builtin_prefetch (job->w + (gsize) sp->pairs[i + SQ_QUANT_PREFETCH] * sp->syn);
      for (gsize k = 0, e0 = sp->pairs[i] * sp->syn; k < sp->syn; k++)
        {
          gsize at = e0 + k, rel = at - first;

          job->q[at] = _sq_quant_lane_one (&lanes, rel < tail ? (int) (rel % 4) : 0,
                                           job->w[at], job->s, job->wmax, job->clip);
        }
    }
  _sq_quant_lanes_add (&job->acc[part], &lanes);
}

/**
 * _sq_quant_sparse_flat:
 * @part_acc: one per chunk, zeroed
 *
 * _sq_quant_flat() over the listed pairs, for a positive @s: +0.0 elsewhere in @q.
 */
void
_sq_quant_sparse_flat (const SqQuantSparse *sp,
                       const double        *w,
                       double              *q,
                       gsize                n,
                       double               s,
                       double               wmax,
                       gboolean             clip,
                       SqQuantAcc          *part_acc)
{
  SparseJob job = { sp, w, q, n, s, NULL, wmax, clip, part_acc };

  _sq_parallel_run (sp->n_chunks, flat_chunk, &job);
}

static void
zero_chunk (guint    part,
            guint    n_parts,
            gpointer data)
{
  SparseJob *job = data;
  gsize first = (gsize) part * SQ_QUANT_CHUNK;

  memset (job->q + first, 0, MIN (SQ_QUANT_CHUNK, job->n - first) * sizeof (double));
}

/* _sq_quant_columns's block of columns @part, pair by pair as the dense pass takes them. */
static void
columns_block (guint    part,
               guint    n_parts,
               gpointer data)
{
  SparseJob *job = data;
  const SqQuantSparse *sp = job->sp;
  gsize syn = sp->syn;

  for (gsize i = sp->part_start[part]; i < sp->part_start[part + 1]; i++)
    {
      gsize pair = sp->by_part[i], c = pair % sp->cols;

      if (i + SQ_QUANT_PREFETCH < sp->part_start[part + 1])
        {
          gsize ahead = (gsize) sp->by_part[i + SQ_QUANT_PREFETCH] * syn;

          __builtin_prefetch (job->w + ahead);
          __builtin_prefetch (job->q + ahead, 1);
        }

      _sq_quant_pair (job->w + pair * syn, job->q + pair * syn, syn, job->scale[c], job->wmax,
                      job->clip, &job->acc[c]);
    }
}

/* _sq_quant_columns() over the listed pairs, for positive scales: +0.0 elsewhere in @q. */
void
_sq_quant_sparse_columns (const SqQuantSparse *sp,
                          const double        *w,
                          double              *q,
                          const double        *scale,
                          double               wmax,
                          gboolean             clip,
                          SqQuantAcc          *acc)
{
  SparseJob job = { sp, w, q, sp->rows * sp->cols * sp->syn, 0.0, scale, wmax, clip, acc };

  if (q != w)
    _sq_parallel_run (_sq_quant_n_chunks (job.n), zero_chunk, &job);
  _sq_parallel_run (sp->n_parts, columns_block, &job);
}
