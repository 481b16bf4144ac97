/* sq-loaded-samples.c: a sample set read for one network, shared by a task and its runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-loaded-samples.h"

static void
loaded_samples_clear (gpointer data)
{
  SqLoadedSamples *s = data;

  /* The baseline borrows the set. */
  g_clear_pointer (&s->baseline, sq_eval_baseline_free);
  g_clear_pointer (&s->set, sq_sample_set_free);
  g_clear_pointer (&s->network, sq_network_unref);
  g_free (s->path);
}

/* Returns: (transfer full) (nullable): @path read for @network, without a baseline */
SqLoadedSamples *
sq_loaded_samples_load (const char    *path,
                        SqNetwork     *network,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SqLoadedSamples) s = g_atomic_rc_box_new0 (SqLoadedSamples);

  s->path = g_strdup (path);
  s->network = sq_network_ref (network);
  s->set = sq_sample_set_load (path, network->n_inputs, cancellable, error);
  return s->set != NULL ? g_steal_pointer (&s) : NULL;
}

SqLoadedSamples *
sq_loaded_samples_ref (SqLoadedSamples *samples)
{
  return g_atomic_rc_box_acquire (samples);
}

void
sq_loaded_samples_unref (SqLoadedSamples *samples)
{
  g_atomic_rc_box_release_full (samples, loaded_samples_clear);
}

gboolean
sq_loaded_samples_are (const SqLoadedSamples *samples,
                       const SqNetwork       *network,
                       const char            *path)
{
  return samples != NULL && path != NULL && samples->network == network &&
         g_str_equal (samples->path, path);
}
