/* fuzz-raster.c: an input raster, CSV, JSON or .npy by its content (sq_raster_load_data). */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  SqRaster raster = { 0 };
  gboolean ok;

  sq_fuzz_init ();
  /* Called first: the order a call's arguments are evaluated in is unspecified. */
  ok = sq_raster_load_data (&raster, (const char *) data, size, "fuzz", &error);
  sq_fuzz_check_result (ok, error, "sq_raster_load_data");
  sq_raster_clear (&raster);
  return 0;
}
