/* fuzz-npz.c: .npz archives — the ZIP reader on its own (every member listed and extracted)
 * and a Xylo specification read from them (sq_xylo_spec_load_npz_data). */
#include "config.h"

#include <synquant.h>

#include "fuzz-common.h"

static void
read_archive (const uint8_t *data,
              size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNpzReader) reader = NULL;
  guint n, i;

  reader = sq_npz_reader_new (data, size, "fuzz.npz", &error);
  sq_fuzz_check_result (reader != NULL, error, "sq_npz_reader_new");
  if (reader == NULL)
    return;
  n = sq_npz_reader_get_n_members (reader);
  for (i = 0; i < n; i++)
    {
      g_autoptr(GError) member_error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      (void) sq_npz_reader_get_name (reader, i);
      /* Small members only: a declared size is what a fuzzer inflates cheaply into gigabytes. */
      if (sq_npz_reader_get_size (reader, i) > 1 << 20)
        continue;
      bytes = sq_npz_reader_extract (reader, i, NULL, &member_error);
      sq_fuzz_check_result (bytes != NULL, member_error, "sq_npz_reader_extract");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;

  sq_fuzz_init ();
  read_archive (data, size);
  spec = sq_xylo_spec_load_npz_data (data, size, "fuzz.npz", &error);
  sq_fuzz_check_result (spec != NULL, error, "sq_xylo_spec_load_npz_data");
  return 0;
}
