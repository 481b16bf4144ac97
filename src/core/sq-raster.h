/* sq-raster.h: input event rasters for the simulators — generated or read from CSV, .npy
 * and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-tensor.h"

G_BEGIN_DECLS

#define SQ_RASTER_ERROR (sq_raster_error_quark ())

/**
 * SqRasterError:
 * @SQ_RASTER_ERROR_VALUE: a negative, fractional or non-finite count
 * @SQ_RASTER_ERROR_SHAPE: not (T, Nin), ragged rows, or the wrong number of channels
 * @SQ_RASTER_ERROR_FORMAT: a file Synquant cannot read as a raster
 * @SQ_RASTER_ERROR_PARAMS: a generator's parameters are out of range
 */
typedef enum {
  SQ_RASTER_ERROR_VALUE = 1,
  SQ_RASTER_ERROR_SHAPE,
  SQ_RASTER_ERROR_FORMAT,
  SQ_RASTER_ERROR_PARAMS,
} SqRasterError;

/* Time steps a raster may have: a day at 1 ms steps is 8.64e7. */
#define SQ_RASTER_MAX_STEPS ((gsize) 1 << 27)

/**
 * SqRaster:
 * @n_steps: time steps T
 * @n_channels: input channels Nin
 * @counts: T × Nin event counts per step, row-major; 0…255 (the core uses at most 15)
 * @n_clipped: counts above 15 that a reader clipped to 15, as the hardware would
 * @n_dropped: the events that clipping took away, the sum of every count − 15 (at most
 *   %G_MAXUINT64): what the hardware's 15-event cap drops from this input
 *
 * A caller-allocated value type; zero-initialised means empty.
 */
typedef struct {
  gsize   n_steps;
  gsize   n_channels;
  guint8 *counts;
  gsize   n_clipped;
  guint64 n_dropped;
} SqRaster;

GQuark   sq_raster_error_quark (void);

gboolean sq_raster_init        (SqRaster       *raster,
                                gsize           n_steps,
                                gsize           n_channels,
                                GError        **error);
void     sq_raster_clear       (SqRaster       *raster);
gboolean sq_raster_from_tensor (SqRaster       *raster,
                                const SqTensor *tensor,
                                const char     *name,
                                GError        **error);
gboolean sq_raster_load        (SqRaster       *raster,
                                const char     *path,
                                GError        **error);
gboolean sq_raster_load_data   (SqRaster       *raster,
                                const char     *data,
                                gsize           length,
                                const char     *name,
                                GError        **error);
gboolean sq_raster_check_channels (const SqRaster *raster,
                                   gsize           n_channels,
                                   const char     *name,
                                   GError        **error);

gboolean sq_raster_poisson     (SqRaster       *raster,
                                gsize           n_steps,
                                gsize           n_channels,
                                const double   *rates,
                                guint64         seed,
                                GError        **error);
gboolean sq_raster_regular     (SqRaster       *raster,
                                gsize           n_steps,
                                gsize           n_channels,
                                guint           period,
                                guint           count,
                                GError        **error);
gboolean sq_raster_bursts      (SqRaster       *raster,
                                gsize           n_steps,
                                gsize           n_channels,
                                guint           period,
                                guint           length,
                                double          rate,
                                guint64         seed,
                                GError        **error);

G_END_DECLS
