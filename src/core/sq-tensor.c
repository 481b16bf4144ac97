/* sq-tensor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

G_DEFINE_QUARK (sq-tensor-error-quark, sq_tensor_error)

/**
 * sq_shape_count:
 * @rank: number of dimensions
 * @shape: (array length=rank): the dimensions
 * @n_out: (out): the number of elements
 *
 * Multiplies the dimensions, refusing zero, ranks beyond %SQ_TENSOR_MAX_RANK and any
 * product beyond %SQ_TENSOR_MAX_ELEMENTS without ever overflowing.
 */
gboolean
sq_shape_count (guint         rank,
                const gsize  *shape,
                gsize        *n_out,
                GError      **error)
{
  gsize n = 1;

  if (rank > SQ_TENSOR_MAX_RANK)
    {
      g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_RANK,
                   _("%u dimensions, at most %u are supported"), rank, SQ_TENSOR_MAX_RANK);
      return FALSE;
    }

  for (guint i = 0; i < rank; i++)
    {
      if (shape[i] == 0 || shape[i] > SQ_TENSOR_MAX_DIM ||
          n > SQ_TENSOR_MAX_ELEMENTS / shape[i])
        {
          g_autofree char *s = sq_shape_to_string (rank, shape);

          if (shape[i] == 0)
            g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_EMPTY,
                         _("shape %s has an empty dimension"), s);
          else
            g_set_error (error, SQ_TENSOR_ERROR, SQ_TENSOR_ERROR_TOO_LARGE,
                         _("shape %s is too large (at most %zu"
                           " values and %zu per dimension)"),
                         s, SQ_TENSOR_MAX_ELEMENTS, SQ_TENSOR_MAX_DIM);
          return FALSE;
        }
      n *= shape[i];
    }

  *n_out = n;
  return TRUE;
}

/* Formats a shape the way numpy prints it: "(16, 1000, 2)", "(8,)", "()". */
char *
sq_shape_to_string (guint        rank,
                    const gsize *shape)
{
  GString *s = g_string_new ("(");

  for (guint i = 0; i < rank; i++)
    g_string_append_printf (s, i ? ", %zu" : "%zu", shape[i]);
  if (rank == 1)
    g_string_append_c (s, ',');
  g_string_append_c (s, ')');

  return g_string_free (s, FALSE);
}

static gboolean
tensor_alloc (SqTensor     *tensor,
              guint         rank,
              const gsize  *shape,
              gboolean      zero,
              GError      **error)
{
  gsize n;

  g_return_val_if_fail (tensor != NULL, FALSE);

  memset (tensor, 0, sizeof *tensor);
  if (!sq_shape_count (rank, shape, &n, error))
    return FALSE;

  tensor->rank = rank;
  for (guint i = 0; i < rank; i++)
    tensor->shape[i] = shape[i];
  tensor->n = n;
  tensor->data = zero ? g_new0 (double, n) : g_new (double, n);

  return TRUE;
}

/**
 * sq_tensor_init:
 *
 * Allocates a zero-filled tensor of the given shape, after checking the size.
 */
gboolean
sq_tensor_init (SqTensor     *tensor,
                guint         rank,
                const gsize  *shape,
                GError      **error)
{
  return tensor_alloc (tensor, rank, shape, TRUE, error);
}

/* For callers that write every value: zeroing 16 MB that is overwritten at once is a
 * measurable part of a quantization. */
gboolean
_sq_tensor_init_uninitialized (SqTensor       *tensor,
                               const SqTensor *like,
                               GError        **error)
{
  return tensor_alloc (tensor, like->rank, like->shape, FALSE, error);
}

gboolean
sq_tensor_init_like (SqTensor       *tensor,
                     const SqTensor *like,
                     GError        **error)
{
  g_return_val_if_fail (sq_tensor_is_present (like), FALSE);

  return sq_tensor_init (tensor, like->rank, like->shape, error);
}

/**
 * sq_tensor_copy:
 *
 * Makes @dest an independent copy of @src. An absent @src gives an absent @dest.
 */
gboolean
sq_tensor_copy (SqTensor       *dest,
                const SqTensor *src,
                GError        **error)
{
  memset (dest, 0, sizeof *dest);
  if (!sq_tensor_is_present (src))
    return TRUE;
  if (!sq_tensor_init_like (dest, src, error))
    return FALSE;
  memcpy (dest->data, src->data, src->n * sizeof (double));
  dest->integer = src->integer;

  return TRUE;
}

void
sq_tensor_clear (SqTensor *tensor)
{
  g_clear_pointer (&tensor->data, g_free);
  memset (tensor, 0, sizeof *tensor);
}

gboolean
sq_tensor_is_present (const SqTensor *tensor)
{
  return tensor != NULL && tensor->data != NULL;
}

char *
sq_tensor_shape_string (const SqTensor *tensor)
{
  return sq_shape_to_string (tensor->rank, tensor->shape);
}

void
sq_stats_init (SqStats *stats)
{
  stats->n = 0;
  stats->nonzero = 0;
  stats->min = INFINITY;
  stats->max = -INFINITY;
  stats->max_abs = 0.0;
}

/* Independent running minima and maxima: one chain of comparisons would wait on each
 * other; eight keep the processor busy (2 M values in about half the time). */
#define STATS_LANES 8

/* The first zero of @values (either sign): what a running minimum starting above zero keeps
 * when the values' minimum is zero, as sq_stats_add() defines it. */
static double
first_zero (const double *values,
            gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (_sq_is_zero (values[i]) && !isnan (values[i]))
      return values[i];
  g_return_val_if_reached (0.0);
}

/**
 * sq_stats_add:
 *
 * Adds @values to @stats: exactly what a running minimum, maximum (v < min ? v : min, in
 * order) and count of non-zero values over them gives. The minimum is that of the first
 * value attaining it, so a minimum of zero keeps the sign of the first zero met; NaNs are
 * never a minimum or maximum, nor counted as non-zero.
 */
void
sq_stats_add (SqStats      *stats,
              const double *values,
              gsize         n)
{
  double lo[STATS_LANES], hi[STATS_LANES], a = INFINITY, b = -INFINITY;
  gsize nz[STATS_LANES] = { 0, }, nonzero = 0, i = 0;

  if (n == 0)
    return;

  for (int j = 0; j < STATS_LANES; j++)
    {
      lo[j] = INFINITY;
      hi[j] = -INFINITY;
    }
  for (; i + STATS_LANES <= n; i += STATS_LANES)
    for (int j = 0; j < STATS_LANES; j++)
      {
        double v = values[i + j];

        lo[j] = v < lo[j] ? v : lo[j];
        hi[j] = v > hi[j] ? v : hi[j];
        nz[j] += (gsize) (v < 0.0) | (gsize) (v > 0.0);
      }
  for (int j = 0; j < STATS_LANES; j++)
    {
      a = lo[j] < a ? lo[j] : a;
      b = hi[j] > b ? hi[j] : b;
      nonzero += nz[j];
    }
  for (; i < n; i++)
    {
      double v = values[i];

      a = v < a ? v : a;
      b = v > b ? v : b;
      nonzero += (gsize) (v < 0.0) | (gsize) (v > 0.0);
    }
  /* Values that compare equal are the same bits, except zeros: in order, the first zero
   * would have been kept. (a and b are never NaN.) */
  if (_sq_is_zero (a) || _sq_is_zero (b))
    {
      double z = first_zero (values, n);

      a = _sq_is_zero (a) ? z : a;
      b = _sq_is_zero (b) ? z : b;
    }

  stats->n += n;
  stats->nonzero += nonzero;
  /* On a tie the earlier values' minimum stays, as it would in order. */
  stats->min = a < stats->min ? a : stats->min;
  stats->max = b > stats->max ? b : stats->max;
  stats->max_abs = MAX (stats->max_abs, MAX (fabs (stats->min), fabs (stats->max)));
}

void
sq_tensor_stats (const SqTensor *tensor,
                 SqStats        *stats)
{
  sq_stats_init (stats);
  if (sq_tensor_is_present (tensor))
    sq_stats_add (stats, tensor->data, tensor->n);
}
