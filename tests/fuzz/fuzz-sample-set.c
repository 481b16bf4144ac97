/* fuzz-sample-set.c: sample sets from bytes — an .npz with x (N, T, C) and y (N,), or a 3-D
 * .npy (sq_sample_set_load_data), with and without a channel count to match; every sample of
 * a set read is looked at as a raster. */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

static void
read_set (const uint8_t *data,
          size_t         size,
          gsize          n_channels)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = sq_sample_set_load_data (data, size, "fuzz.npz", n_channels,
                                                        &error);
  guint64 sum = 0;

  sq_fuzz_check_result (set != NULL, error, "sq_sample_set_load_data");
  if (set == NULL)
    return;
  g_assert (set->n_samples > 0 && set->n_steps > 0 && set->n_channels > 0);
  g_assert (n_channels == 0 || set->n_channels == n_channels);
  for (gsize i = 0; i < set->n_samples; i++)
    {
      SqRaster r;

      sq_sample_set_raster (set, i, &r);
      for (gsize k = 0; k < r.n_steps * r.n_channels; k++)
        {
          g_assert (r.counts[k] <= 15);
          sum += r.counts[k];
        }
      g_assert (set->names[i] != NULL);
      g_assert (set->labels == NULL || set->labels[i] >= 0);
    }
  (void) sum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  sq_fuzz_init ();
  read_set (data, size, 0);
  read_set (data, size, 2);
  return 0;
}
