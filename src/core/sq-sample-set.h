/* sq-sample-set.h: a set of input rasters with optional class labels, for batch evaluation
 * (sq-evaluate.h): an .npz with `x` (N, T, C) and `y` (N,), a 3-D .npy, or a folder of
 * single rasters with an optional labels.csv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-raster.h"

G_BEGIN_DECLS

/* The most samples a set may hold (each one simulated twice). */
#define SQ_SAMPLE_SET_MAX_SAMPLES ((gsize) 1 << 20)

/**
 * SqSampleSet:
 * @source: the set's display name, for messages
 * @n_samples: N
 * @n_steps: T, the same for every sample
 * @n_channels: C, the same for every sample
 * @counts: N × T × C event counts, sample-major; clipped to 15 as the hardware does
 * @labels: (array length=n_samples) (nullable): each sample's class, 0 or more; %NULL
 *   without labels
 * @names: (array length=n_samples): each sample's name in messages and reports: "x[3]" in
 *   an array, the file's name in a folder
 * @n_clipped: counts above 15 clipped to 15
 *
 * Read once, then read-only: the evaluation's threads share it.
 */
typedef struct {
  char     *source;
  gsize     n_samples;
  gsize     n_steps;
  gsize     n_channels;
  guint8   *counts;
  gint64   *labels;
  char    **names;
  gsize     n_clipped;
} SqSampleSet;

/* A file (.npz, .npy) or a folder; @n_channels, when not 0, is the network's input count
 * every sample must have. */
SqSampleSet *sq_sample_set_load      (const char         *path,
                                      gsize               n_channels,
                                      GCancellable       *cancellable,
                                      GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* The bytes of an .npz or .npy set; @name is its display name. */
SqSampleSet *sq_sample_set_load_data (const guint8       *data,
                                      gsize               length,
                                      const char         *name,
                                      gsize               n_channels,
                                      GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void         sq_sample_set_free      (SqSampleSet        *set);
/* Sample @i as a raster that borrows the set's counts: valid while @set is, never
 * cleared. */
void         sq_sample_set_raster    (const SqSampleSet  *set,
                                      gsize               i,
                                      SqRaster           *raster);

/* "NAME-samples.npz" beside the network file NAME.*, when it exists. */
char        *sq_sample_set_sidecar       (const char         *network_path) G_GNUC_WARN_UNUSED_RESULT;
/* A copy of a set's first sample. */
gboolean     sq_sample_set_first_raster  (const char         *path,
                                          gsize               n_channels,
                                          SqRaster           *raster,
                                          GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSampleSet, sq_sample_set_free)

G_END_DECLS
