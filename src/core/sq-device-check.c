/* sq-device-check.c: does a specification fit a device?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sq-private.h"
#include "synquant.h"

static void
add_issue (SqCheckReport  *report,
           SqCheckSeverity severity,
           const char     *kind,
           int             param,
           gssize          index,
           char           *message)
{
  SqCheckIssue *issue = g_new0 (SqCheckIssue, 1);

  issue->severity = severity;
  issue->kind = kind;
  issue->param = param;
  issue->index = index;
  issue->message = message;
  g_ptr_array_add (report->issues, issue);
}

/**
 * sq_device_check:
 *
 * Lists everything in @spec that @device cannot hold, and what Rockpool's configuration
 * would change without saying so.
 */
SqCheckReport *
sq_device_check (const SqDeviceProfile *device,
                 const SqXyloSpec      *spec)
{
  SqCheckReport *report;

  g_return_val_if_fail (device != NULL && spec != NULL, NULL);

  report = _sq_check_report_new (device);
  if (!device->is_xylo)
    {
      add_issue (report, SQ_CHECK_VIOLATION, "not-xylo", -1, -1,
                 g_strdup_printf (_("%s runs convolutional networks, not Xylo specifications"),
                                  device->title));
      return report;
    }
  if (spec->n_in > device->max_inputs)
    add_issue (report, SQ_CHECK_VIOLATION, "input-count", SQ_PARAM_WEIGHTS_IN, -1,
               g_strdup_printf (_("%zu input channels > %zu"), spec->n_in, device->max_inputs));
  if (spec->n_hidden > device->max_hidden)
    add_issue (report, SQ_CHECK_VIOLATION, "hidden-count", SQ_PARAM_WEIGHTS_REC, -1,
               g_strdup_printf (_("%zu hidden neurons > %zu"), spec->n_hidden,
                                device->max_hidden));
  if (spec->n_out > device->max_outputs)
    add_issue (report, SQ_CHECK_VIOLATION, "output-count", SQ_PARAM_WEIGHTS_OUT, -1,
               g_strdup_printf (_("%zu output neurons > %zu"), spec->n_out,
                                device->max_outputs));
  return report;
}
