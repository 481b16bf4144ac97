/* fuzz-common.h: what every libFuzzer harness in tests/fuzz shares.
 *
 * A harness is one LLVMFuzzerTestOneInput; built with -fsanitize=fuzzer (./dev fuzz) libFuzzer
 * drives it, built with replay.c (./dev test, the `fuzz` suite) every file of its seed corpus
 * goes through it once. GLib's criticals and warnings abort, so a g_return_if_fail reached
 * from untrusted bytes is a finding, not a line in a log.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static inline void
sq_fuzz_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&done, 1);
    }
}

/* A reader either succeeds without an error or fails with one; anything else is a finding. */
static inline void
sq_fuzz_check_result (gboolean      ok,
                      const GError *error,
                      const char   *reader)
{
  if (ok == (error != NULL))
    g_error ("%s: returned %s %s an error", reader, ok ? "TRUE" : "FALSE",
             error != NULL ? "with" : "without");
}
