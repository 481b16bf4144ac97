/* sq-quant-cache.c: what a quantization reads of the float weights alone, kept between
 * quantizations of one network
 *
 * A bit-width, mode or method change rescales the same float weights: their ranges (max |w|
 * of a layer and of each column, the fuzzy ranges) do not change, and on a 2 M-weight
 * network they cost as much as the quantization itself. The window asks for every method's
 * clip points on each change, so it would compute each range again and again.
 *
 * The cache belongs to one loaded network (the Xylo kind's). Each entry is stored with the
 * specification and the data pointers and sizes of the tensors it was computed from, and
 * is dropped when any differ; a kind that writes over its float values in place
 * (sq_network_quantize_consume()) stops using it first. The values are those the passes
 * compute without it, bit for bit: the cache only remembers them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "synquant.h"
#include "sq-quant-kernels-private.h"

struct _SqQuantCache {
  /* Recursive: a range computed under the lock asks for the sparse form. */
  GRecMutex         lock;
  const SqXyloSpec *spec;
  const double     *data[SQ_N_PARAMS];
  gsize             n[SQ_N_PARAMS];
  double           *values[SQ_N_LAYERS][SQ_QUANT_CACHE_N_ITEMS];
  SqQuantSparse    *sparse[SQ_N_PARAMS];
  gboolean          sparse_done[SQ_N_PARAMS];
};

SqQuantCache *
_sq_quant_cache_new (void)
{
  SqQuantCache *cache = g_new0 (SqQuantCache, 1);

  g_rec_mutex_init (&cache->lock);
  return cache;
}

static void
forget (SqQuantCache *cache)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    for (guint i = 0; i < SQ_QUANT_CACHE_N_ITEMS; i++)
      g_clear_pointer (&cache->values[l][i], g_free);
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      g_clear_pointer (&cache->sparse[p], _sq_quant_sparse_free);
      cache->sparse_done[p] = FALSE;
    }
  cache->spec = NULL;
  memset (cache->data, 0, sizeof cache->data);
  memset (cache->n, 0, sizeof cache->n);
}

void
_sq_quant_cache_free (SqQuantCache *cache)
{
  if (cache == NULL)
    return;
  forget (cache);
  g_rec_mutex_clear (&cache->lock);
  g_free (cache);
}

/* Whether the entries were computed from @spec's values as they are now laid out. */
static gboolean
same_key (const SqQuantCache *cache,
          const SqXyloSpec   *spec)
{
  if (cache->spec != spec)
    return FALSE;
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    if (cache->data[p] != spec->param[p].data || cache->n[p] != spec->param[p].n)
      return FALSE;
  return TRUE;
}

static void
set_key (SqQuantCache     *cache,
         const SqXyloSpec *spec)
{
  cache->spec = spec;
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      cache->data[p] = spec->param[p].data;
      cache->n[p] = spec->param[p].n;
    }
}

/* Drops every entry when @spec's values are not those they were computed from. */
static void
check_key (SqQuantCache     *cache,
           const SqXyloSpec *spec)
{
  if (!same_key (cache, spec))
    {
      forget (cache);
      set_key (cache, spec);
    }
}

/**
 * _sq_quant_cache_lookup:
 * @spec: the specification @v views
 * @n: how many values the item has (1, or one per target)
 * @compute: fills @out with the item when it is not cached
 *
 * Copies item @item of @v's layer into @out, computing it (under the cache's lock, so two
 * threads asking at once compute it once) the first time.
 */
void
_sq_quant_cache_lookup (SqQuantCache           *cache,
                        const SqXyloSpec       *spec,
                        const SqQuantLayerView *v,
                        SqQuantCacheItem        item,
                        gsize                   n,
                        SqQuantRangeFunc        compute,
                        double                 *out)
{
  double **slot = &cache->values[v->layer][item];

  g_rec_mutex_lock (&cache->lock);
  check_key (cache, spec);
  if (*slot == NULL)
    {
      *slot = g_new0 (double, MAX (n, 1));
      compute (v, *slot);
    }
  memcpy (out, *slot, n * sizeof *out);
  g_rec_mutex_unlock (&cache->lock);
}

/**
 * _sq_quant_cache_sparse:
 * @param: a weight matrix of @spec, seen as @rows × @cols × @syn
 *
 * The sparse form of @param (made the first time), or %NULL when it is dense. It lives as
 * long as the cache serves @spec's values.
 */
const SqQuantSparse *
_sq_quant_cache_sparse (SqQuantCache     *cache,
                        const SqXyloSpec *spec,
                        SqParam           param,
                        gsize             rows,
                        gsize             cols,
                        gsize             syn)
{
  const SqQuantSparse *sp;

  g_rec_mutex_lock (&cache->lock);
  check_key (cache, spec);
  if (!cache->sparse_done[param])
    {
      cache->sparse[param] = _sq_quant_sparse_new (spec->param[param].data, rows, cols, syn);
      cache->sparse_done[param] = TRUE;
    }
  sp = cache->sparse[param];
  g_rec_mutex_unlock (&cache->lock);
  return sp;
}
