/* fuzz-session.c: a session file as the window reads it (sq_session_load_data: the core's
 * check before json-glib parses it, then every key, the settings and a layer's settings of
 * the kind it names); the network it names need not exist, which is an error like any
 * other. */
#include "config.h"

#include <synquant.h>

#include "sq-session.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSession) session = NULL;

  sq_fuzz_init ();
  session = sq_session_load_data ((const char *) data, size, "/fuzz/fuzz.synquant", &error);
  sq_fuzz_check_result (session != NULL, error, "sq_session_load_data");
  return 0;
}
