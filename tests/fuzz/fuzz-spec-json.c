/* fuzz-spec-json.c: a Xylo specification read from JSON bytes (sq_xylo_spec_load_json_data),
 * and a small one that loads run for a few steps on the float model and, when it holds
 * integers, on the integer core: what the file's shapes, aliases, shifts and values make of
 * the simulators' fan-out lists, full input rows and lists of firing neurons. */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

/* Bounds the work per input, not the reader: bigger specifications are only read. */
#define SIM_MAX_HIDDEN 256
#define SIM_STEPS      24

static void
simulate (const SqXyloSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFloatSim) fsim = NULL;
  g_autoptr(SqXyloSim) isim = NULL;
  g_autoptr(SqSimResult) r = NULL;
  SqRaster input;

  if (spec->n_hidden == 0 || spec->n_hidden > SIM_MAX_HIDDEN || spec->n_in > SIM_MAX_HIDDEN)
    return;
  if (!sq_raster_init (&input, SIM_STEPS, spec->n_in, NULL))
    return;
  /* Bursts above the 15-event cap on every channel, then quiet steps. */
  for (gsize t = 0; t < SIM_STEPS; t++)
    for (gsize i = 0; i < spec->n_in; i++)
      input.counts[t * spec->n_in + i] = (guint8) ((t % 3 == 0) ? 1 + (t + i) % 20 : 0);

  fsim = sq_float_sim_new (spec, &error);
  sq_fuzz_check_result (fsim != NULL, error, "sq_float_sim_new");
  if (fsim != NULL)
    {
      r = sq_float_sim_run (fsim, &input, TRUE, &error);
      sq_fuzz_check_result (r != NULL, error, "sq_float_sim_run");
      g_clear_pointer (&r, sq_sim_result_free);
    }
  g_clear_error (&error);
  if (sq_xylo_spec_is_integer (spec))
    {
      isim = sq_xylo_sim_new (spec, SQ_DEVICE_XYLO_AUDIO2, &error);
      sq_fuzz_check_result (isim != NULL, error, "sq_xylo_sim_new");
      if (isim != NULL)
        {
          r = sq_xylo_sim_run (isim, &input, TRUE, &error);
          sq_fuzz_check_result (r != NULL, error, "sq_xylo_sim_run");
        }
    }
  sq_raster_clear (&input);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;

  sq_fuzz_init ();
  spec = sq_xylo_spec_load_json_data ((const char *) data, size, "fuzz.json", &error);
  sq_fuzz_check_result (spec != NULL, error, "sq_xylo_spec_load_json_data");
  if (spec != NULL)
    simulate (spec);
  return 0;
}
