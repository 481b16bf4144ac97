/* fuzz-session.c: the core's check of a session file before json-glib parses it
 * (sq_json_check: one value, not nested too deep); what passes is parsed as the window does. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <synquant.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gboolean ok;

  sq_fuzz_init ();
  ok = sq_json_check ((const char *) data, size, "fuzz.synquant", &error);
  sq_fuzz_check_result (ok, error, "sq_json_check");
  if (!ok)
    return 0;
  /* What the check lets through must not take json-glib down (its recursion is unbounded). */
  parser = json_parser_new ();
  (void) json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL);
  return 0;
}
