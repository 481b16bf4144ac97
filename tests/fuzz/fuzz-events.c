/* fuzz-events.c: one events file, .npy or CSV (sq_events_read), then its counts in time steps
 * (sq_events_bin) and an event-driven run of a one-layer network (sq_iaf_run_events). */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  /* Steps of 2³⁰ µs: at most 4096 of them before SQ_EVENTS_MAX_TIME, so the counts stay a few
   * MB whatever the times. */
  const guint64 step_us = (guint64) 1 << 30;
  const gsize shape[3] = { 2, 16, 16 }, ws[4] = { 2, 2, 3, 3 };
  SqIafEventOptions options = { step_us, 0, 0, FALSE };
  SqIafLayer layer = { { 0, }, };
  SqEventList list;
  SqTensor counts;
  SqIafRun run;
  gboolean ok;

  sq_fuzz_init ();
  ok = sq_events_read (data, size, "fuzz.npy", &list, &error);
  sq_fuzz_check_result (ok, error, "sq_events_read");
  if (!ok)
    return 0;
  g_clear_error (&error);
  ok = sq_events_bin (&list, step_us, 0, shape, &counts, &error);
  sq_fuzz_check_result (ok, error, "sq_events_bin");
  if (ok)
    sq_tensor_clear (&counts);
  g_clear_error (&error);

  g_assert_true (sq_tensor_init (&layer.weight, 4, ws, NULL));
  for (gsize i = 0; i < layer.weight.n; i++)
    layer.weight.data[i] = (double) (i % 7) - 2;
  layer.threshold_high = 3;
  layer.threshold_low = -8;
  layer.stride_y = layer.stride_x = layer.pool = 1;
  layer.pad_y = layer.pad_x = 1;
  ok = sq_iaf_run_events (&layer, 1, shape, &list, &options, NULL, &run, &error);
  sq_fuzz_check_result (ok, error, "sq_iaf_run_events");
  if (ok)
    sq_iaf_run_clear (&run);
  sq_tensor_clear (&layer.weight);
  sq_event_list_clear (&list);
  return 0;
}
