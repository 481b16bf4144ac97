/* fuzz-npy.c: one .npy array (sq_npy_read). */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  SqTensor tensor;
  SqNpyDtype dtype;
  gboolean ok;

  sq_fuzz_init ();
  ok = sq_npy_read (data, size, "fuzz.npy", &tensor, &dtype, &error);
  sq_fuzz_check_result (ok, error, "sq_npy_read");
  if (ok)
    sq_tensor_clear (&tensor);
  return 0;
}
