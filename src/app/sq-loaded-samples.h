/* sq-loaded-samples.h: a sample set read for one network, shared read-only by a page's task
 * and the threads of its runs (the Sweep and Robustness pages)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

G_BEGIN_DECLS

/**
 * SqLoadedSamples:
 * @path: the file or folder it was read from
 * @network: the network it was read for (its inputs decide the shape)
 * @set: the samples
 * @baseline: (nullable): the float model's runs on @set, when the reader added them
 *   before sharing it (the Sweep page re-uses them)
 *
 * Reference counted (g_atomic_rc_box); read-only once shared.
 */
typedef struct {
  char           *path;
  SqNetwork      *network;
  SqSampleSet    *set;
  SqEvalBaseline *baseline;
} SqLoadedSamples;

SqLoadedSamples *sq_loaded_samples_load  (const char             *path,
                                          SqNetwork              *network,
                                          GCancellable           *cancellable,
                                          GError                **error);
SqLoadedSamples *sq_loaded_samples_ref   (SqLoadedSamples        *samples);
void             sq_loaded_samples_unref (SqLoadedSamples        *samples);
/* Whether @samples (nullable) are @path read for @network: a run may re-use them. */
gboolean         sq_loaded_samples_are   (const SqLoadedSamples  *samples,
                                          const SqNetwork        *network,
                                          const char             *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqLoadedSamples, sq_loaded_samples_unref)

G_END_DECLS
