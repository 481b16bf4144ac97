/* sq-device.c: the devices and their profiles, and the check report they produce
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sq-private.h"
#include "synquant.h"

#define KI 1024u

/* sinabs's "Troubleshooting and Tips" (faqs/tips_for_training.md) says every DynapCNN / Speck
 * core has a SynOps/s limit beyond which the whole chip stalls, and gives no number; neither
 * do samna's device pages. 30 M SynOps/s per core is an assumption, kept low so Synquant warns
 * early rather than late (docs/dynapcnn.md, "Load"); users can set their own. */
#define SYNOPS_PER_S_ASSUMED G_GUINT64_CONSTANT (30000000)

/* DynapCNN and Speck 2e/2f share the CNN cores' limits (sinabs's chips/dynapcnn.py,
 * speck2e.py and speck2f.py return the same constraints); Speck 2e and 2f have the readout
 * erratum (chip_errata.md). */
#define DYNAPCNN_PROFILE(name_, title_, chip_, erratum_)                                       \
  {                                                                                            \
    .name = name_, .title = title_, .chip = chip_, .is_xylo = FALSE,                           \
    .weight_min = -128, .weight_max = 127, .threshold_min = -32768, .threshold_max = 32767,    \
    .bias_min = -128, .bias_max = 127, .state_bits = 16,                                       \
    .n_cores = 9, .max_kernel_size = 16, .max_features = 1024, .max_input_size = 128,          \
    .max_output_size = 64, .max_fanout_cores = 2,                                              \
    .kernel_memory = { 16 * KI, 16 * KI, 16 * KI, 32 * KI, 32 * KI, 64 * KI, 64 * KI,          \
                       16 * KI, 16 * KI },                                                     \
    .neuron_memory = { 64 * KI, 64 * KI, 64 * KI, 32 * KI, 32 * KI, 16 * KI, 16 * KI,          \
                       16 * KI, 16 * KI },                                                     \
    .bias_memory = { KI, KI, KI, KI, KI, KI, KI, KI, KI },                                     \
    .max_synops_per_s = SYNOPS_PER_S_ASSUMED, .readout_erratum = erratum_,                     \
  }

/* research/rockpool.md §2.3 (Xylo) and research/sinabs_qualia.md §A.2 (DynapCNN). Limits the
 * sources leave open are 0 ("not checked"). A weight shift of at most 7 is the range in which
 * the simulator's int8 << shift into int16 cannot overflow. */
static const SqDeviceProfile profiles[SQ_N_DEVICE_PROFILES] = {
  {
    .name = "xylo-v1", .title = "Xylo v1", .chip = "SYNS61300",
    .is_xylo = TRUE, .device = SQ_DEVICE_XYLO_V1,
    .max_inputs = 16, .max_hidden = 1000, .max_outputs = 8, .max_synapses = 2,
    .max_ien = 1000, .max_oen = 1000, .max_fanout = 0, .max_rec_entries = 0,
    .max_alias_targets = 1, .has_bias = FALSE,
    .weight_min = -128, .weight_max = 127, .threshold_min = -32768, .threshold_max = 32767,
    .bias_min = 0, .bias_max = 0, .dash_min = 0, .dash_max = 15,
    .weight_shift_min = 0, .weight_shift_max = 7,
    .state_bits = 16, .max_input_events = 15, .max_hidden_events = 31,
  },
  {
    .name = "xylo-audio2", .title = "XyloAudio 2",
    .chip = "SYNS61201", .is_xylo = TRUE, .device = SQ_DEVICE_XYLO_AUDIO2,
    .max_inputs = 16, .max_hidden = 1000, .max_outputs = 8, .max_synapses = 2,
    .max_ien = 1000, .max_oen = 1000, .max_fanout = 64, .max_rec_entries = 32000,
    .max_alias_targets = 1, .has_bias = TRUE,
    .weight_min = -128, .weight_max = 127, .threshold_min = -32768, .threshold_max = 32767,
    .bias_min = -32768, .bias_max = 32767, .dash_min = 0, .dash_max = 15,
    .weight_shift_min = 0, .weight_shift_max = 7,
    .state_bits = 16, .max_input_events = 15, .max_hidden_events = 31,
  },
  {
    .name = "xylo-imu", .title = "XyloIMU", .chip = "SYNS63300",
    .is_xylo = TRUE, .device = SQ_DEVICE_XYLO_IMU,
    .max_inputs = 16, .max_hidden = 496, .max_outputs = 16, .max_synapses = 1,
    .max_ien = 128, .max_oen = 128, .max_fanout = 512, .max_rec_entries = 31744,
    .max_alias_targets = 1, .has_bias = TRUE,
    .weight_min = -128, .weight_max = 127, .threshold_min = -32768, .threshold_max = 32767,
    .bias_min = -32768, .bias_max = 32767, .dash_min = 0, .dash_max = 15,
    .weight_shift_min = 0, .weight_shift_max = 7,
    .state_bits = 16, .max_input_events = 15, .max_hidden_events = 31,
  },
  {
    .name = "xylo-audio3", .title = "XyloAudio 3",
    .chip = "SYNS65302", .is_xylo = TRUE, .device = SQ_DEVICE_XYLO_AUDIO3,
    .max_inputs = 16, .max_hidden = 992, .max_outputs = 32, .max_synapses = 2,
    .max_ien = 128, .max_oen = 128, .max_fanout = 1024, .max_rec_entries = 31744,
    .max_alias_targets = 1, .has_bias = TRUE,
    .weight_min = -128, .weight_max = 127, .threshold_min = -32768, .threshold_max = 32767,
    .bias_min = -32768, .bias_max = 32767, .dash_min = 0, .dash_max = 15,
    .weight_shift_min = 0, .weight_shift_max = 7,
    .state_bits = 16, .max_input_events = 15, .max_hidden_events = 31,
  },
  DYNAPCNN_PROFILE ("dynapcnn", "DynapCNN / Speck", "DYNAP-CNN", FALSE),
  DYNAPCNN_PROFILE ("speck2e", "Speck 2e", "Speck 2e", TRUE),
  DYNAPCNN_PROFILE ("speck2f", "Speck 2f", "Speck 2f", TRUE),
  /* A fixed-point network's C (sq-fxp-mcu-c.c) on a Cortex-M4 class part: 1 MiB of flash
   * and 256 KiB of RAM (STM32F4's larger parts), a budget users can read off the check. */
  {
    .name = "mcu", .title = "Microcontroller (C99)", .chip = "Cortex-M4 class",
    .flash_bytes = 1024 * 1024, .ram_bytes = 256 * 1024,
  },
};

/* Other names users know the devices by. */
static const struct {
  const char *alias;
  const char *name;
} aliases[] = {
  { "speck", "speck2f" },
};

/* Returns: (array fixed-size=SQ_N_DEVICE_PROFILES): every profile, in menu order */
const SqDeviceProfile *
sq_device_profiles (void)
{
  return profiles;
}

/* Returns: the profile called @name (any case), or %NULL. */
const SqDeviceProfile *
sq_device_profile_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (name, aliases[i].alias) == 0)
      name = aliases[i].name;
  for (guint i = 0; i < SQ_N_DEVICE_PROFILES; i++)
    if (g_ascii_strcasecmp (name, profiles[i].name) == 0)
      return &profiles[i];
  return NULL;
}

/* "xylo-v1, xylo-audio2, xylo-imu, xylo-audio3, dynapcnn, speck2e, speck2f (speck), mcu", for
 * usage messages. */
char *
sq_device_names_string (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < SQ_N_DEVICE_PROFILES; i++)
    {
      g_string_append_printf (s, "%s%s", i ? ", " : "", profiles[i].name);
      /* Each alias beside the name it stands for. */
      for (guint k = 0; k < G_N_ELEMENTS (aliases); k++)
        if (g_str_equal (aliases[k].name, profiles[i].name))
          g_string_append_printf (s, " (%s)", aliases[k].alias);
    }
  return g_string_free (s, FALSE);
}

gsize
sq_check_report_count (const SqCheckReport *report,
                       SqCheckSeverity      severity)
{
  gsize n = 0;

  g_return_val_if_fail (report != NULL, 0);
  for (guint i = 0; i < report->issues->len; i++)
    if (((const SqCheckIssue *) g_ptr_array_index (report->issues, i))->severity == severity)
      n++;
  return n;
}

/* Whether the device holds the specification exactly as it is: no violation, and nothing
 * Rockpool would change without saying so. */
gboolean
sq_check_report_fits (const SqCheckReport *report)
{
  return sq_check_report_count (report, SQ_CHECK_VIOLATION) == 0 &&
         sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE) == 0;
}

/* Whether nothing in the report says the network cannot work (no %SQ_CHECK_DEAD issue),
 * whether or not it fits: a network can fit a device and still never do anything. */
gboolean
sq_check_report_alive (const SqCheckReport *report)
{
  return sq_check_report_count (report, SQ_CHECK_DEAD) == 0;
}

/* Returns: (nullable): the first issue of @severity, in the order of the network: the one
 * line a badge shows */
const SqCheckIssue *
sq_check_report_first (const SqCheckReport *report,
                       SqCheckSeverity      severity)
{
  g_return_val_if_fail (report != NULL, NULL);
  for (guint i = 0; i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

      if (issue->severity == severity)
        return issue;
    }
  return NULL;
}

/* One line per issue, "error: …", "silent change: …", "warning: …", "note: …". */
char *
sq_check_report_to_string (const SqCheckReport *report)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (report != NULL, NULL);
  for (guint i = 0; i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);
      const char *label = issue->severity == SQ_CHECK_VIOLATION ? _("error")
                          : issue->severity == SQ_CHECK_SILENT_CHANGE ? _("silent change")
                          /* TRANSLATORS: the network fits, but this part cannot work */
                          : issue->severity == SQ_CHECK_DEAD ? _("warning")
                          : _("note");

      g_string_append_printf (s, "%s: %s\n", label, issue->message);
    }
  return g_string_free (s, FALSE);
}

static void
check_issue_free (gpointer data)
{
  SqCheckIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

SqCheckReport *
_sq_check_report_new (const SqDeviceProfile *device)
{
  SqCheckReport *report = g_new0 (SqCheckReport, 1);

  report->device = device;
  report->issues = g_ptr_array_new_with_free_func (check_issue_free);
  return report;
}

/* Adds an issue about the whole network or group @param (no neuron), taking @message. */
void
_sq_check_report_add_issue (SqCheckReport   *report,
                            SqCheckSeverity  severity,
                            const char      *kind,
                            int              param,
                            char            *message)
{
  SqCheckIssue *issue = g_new0 (SqCheckIssue, 1);

  issue->severity = severity;
  issue->kind = kind;
  issue->param = param;
  issue->index = -1;
  issue->message = message;
  g_ptr_array_add (report->issues, issue);
}

void
sq_check_report_free (SqCheckReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->issues);
  g_clear_pointer (&report->resources, g_array_unref);
  g_free (report);
}
