/* fuzz-spec-json.c: a Xylo specification read from JSON bytes (sq_xylo_spec_load_json_data). */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;

  sq_fuzz_init ();
  spec = sq_xylo_spec_load_json_data ((const char *) data, size, "fuzz.json", &error);
  sq_fuzz_check_result (spec != NULL, error, "sq_xylo_spec_load_json_data");
  return 0;
}
