/* test-device.c: device profiles and sq_device_check: for every limit of every Xylo profile a
 * specification just inside and one just outside, the silent changes Rockpool's
 * configuration would make, DynapCNN's refusal and the name lookup.
 *
 * One program for one module, so longer than most: every limit of every profile, just inside and
 * just outside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

/* ---------------------------------------------------------------------------------------- */
/* Building integer specifications in memory                                                 */

#define W_IN(s, i, j, k)  ((s)->param[SQ_PARAM_WEIGHTS_IN].data[((i) * (s)->n_ien + (j)) *      \
                                                              (s)->n_syn + (k)])
#define W_REC(s, p, j, k) ((s)->param[SQ_PARAM_WEIGHTS_REC].data[((p) * (s)->n_hidden + (j)) *  \
                                                               (s)->n_syn + (k)])
#define W_OUT(s, r, o)    ((s)->param[SQ_PARAM_WEIGHTS_OUT].data[(r) * (s)->n_out + (o)])

static void
init_param (SqXyloSpec *spec,
            SqParam     p,
            guint       rank,
            gsize       d0,
            gsize       d1,
            gsize       d2,
            double      value)
{
  gsize shape[3] = { d0, d1, d2 };
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_tensor_init (&spec->param[p], rank, shape, &error));
  g_assert_no_error (error);
  for (gsize k = 0; k < spec->param[p].n; k++)
    spec->param[p].data[k] = value;
  spec->param[p].integer = TRUE;
}

/* An integer network with every weight 0, thresholds 100, dashes 4 and zero biases. */
static SqXyloSpec *
net_new (gsize n_in,
         gsize nh,
         gsize n_out,
         gsize n_syn,
         gsize n_ien,
         gsize n_oen)
{
  SqXyloSpec *spec = sq_xylo_spec_new ();
  g_autoptr(GError) error = NULL;

  init_param (spec, SQ_PARAM_WEIGHTS_IN, 3, n_in, n_ien, n_syn, 0);
  init_param (spec, SQ_PARAM_WEIGHTS_REC, 3, nh, nh, n_syn, 0);
  init_param (spec, SQ_PARAM_WEIGHTS_OUT, 2, n_oen, n_out, 0, 0);
  init_param (spec, SQ_PARAM_DASH_MEM, 1, nh, 0, 0, 4);
  init_param (spec, SQ_PARAM_DASH_SYN, 1, nh, 0, 0, 4);
  if (n_syn == 2)
    init_param (spec, SQ_PARAM_DASH_SYN_2, 1, nh, 0, 0, 4);
  init_param (spec, SQ_PARAM_DASH_MEM_OUT, 1, n_out, 0, 0, 4);
  init_param (spec, SQ_PARAM_DASH_SYN_OUT, 1, n_out, 0, 0, 4);
  init_param (spec, SQ_PARAM_THRESHOLD, 1, nh, 0, 0, 100);
  init_param (spec, SQ_PARAM_THRESHOLD_OUT, 1, n_out, 0, 0, 100);
  init_param (spec, SQ_PARAM_BIAS, 1, nh, 0, 0, 0);
  init_param (spec, SQ_PARAM_BIAS_OUT, 1, n_out, 0, 0, 0);
  spec->source = g_strdup ("net");
  g_assert_true (sq_xylo_spec_validate (spec, &error));
  g_assert_no_error (error);
  return spec;
}

static SqXyloSpec *
net_small (void)
{
  return net_new (2, 4, 2, 1, 4, 4);
}

/* Gives hidden neuron @j the alias targets @targets (−1 ends), the others none. */
static void
net_set_aliases (SqXyloSpec *spec,
                 gsize       j,
                 const int  *targets)
{
  gsize n = 0;

  while (targets[n] >= 0)
    n++;
  spec->n_alias_lists = spec->n_hidden;
  spec->alias_offsets = g_new0 (gsize, spec->n_hidden + 1);
  spec->alias_targets = g_new0 (guint32, n);
  for (gsize i = 0; i < n; i++)
    spec->alias_targets[i] = (guint32) targets[i];
  for (gsize i = j + 1; i <= spec->n_hidden; i++)
    spec->alias_offsets[i] = n;
  g_assert_true (sq_xylo_spec_validate (spec, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Looking at reports                                                                        */

static const SqCheckIssue *
find_issue (const SqCheckReport *report,
            const char          *kind)
{
  for (guint i = 0; i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

      if (g_str_equal (issue->kind, kind))
        return issue;
    }
  return NULL;
}

/* The issues about the device; net_new()'s zeros make a network that cannot work, which only
 * the liveness tests look at. */
static guint
n_device_issues (const SqCheckReport *report)
{
  return report->issues->len - (guint) sq_check_report_count (report, SQ_CHECK_DEAD);
}

static guint
count_kind (const SqCheckReport *report,
            const char          *kind)
{
  guint n = 0;

  for (guint i = 0; i < report->issues->len; i++)
    n += g_str_equal (((const SqCheckIssue *) g_ptr_array_index (report->issues, i))->kind,
                      kind);
  return n;
}

/* The spec has an issue of @kind with these fields; @message is checked when not %NULL. */
static void
assert_issue (const SqXyloSpec      *spec,
              const SqDeviceProfile *device,
              const char            *kind,
              SqCheckSeverity        severity,
              int                   param,
              gssize                index,
              const char           *message)
{
  g_autoptr(SqCheckReport) report = sq_device_check (device, spec);
  const SqCheckIssue *issue = find_issue (report, kind);

  if (issue == NULL)
    {
      g_autofree char *text = sq_check_report_to_string (report);
      g_error ("%s: no issue %s in:\n%s", device->name, kind, text);
    }
  g_assert_cmpint (issue->severity, ==, severity);
  g_assert_cmpint (issue->param, ==, param);
  g_assert_cmpint (issue->index, ==, index);
  if (message)
    g_assert_cmpstr (issue->message, ==, message);
  /* Notes change nothing; a network that cannot work may still fit. */
  g_assert_false (sq_check_report_fits (report) && severity != SQ_CHECK_NOTE &&
                  severity != SQ_CHECK_DEAD);
}

static void
assert_no_issue (const SqXyloSpec      *spec,
                 const SqDeviceProfile *device,
                 const char            *kind)
{
  g_autoptr(SqCheckReport) report = sq_device_check (device, spec);
  const SqCheckIssue *issue = find_issue (report, kind);

  if (issue != NULL)
    g_error ("%s: unexpected %s: %s", device->name, kind, issue->message);
}

/* ---------------------------------------------------------------------------------------- */
/* Profiles and lookup                                                                       */

static void
test_lookup (void)
{
  const SqDeviceProfile *p = sq_device_profiles ();
  g_autofree char *names = sq_device_names_string ();

  g_assert_cmpstr (p[0].name, ==, "xylo-v1");
  g_assert_cmpstr (p[1].name, ==, "xylo-audio2");
  g_assert_cmpstr (p[2].name, ==, "xylo-imu");
  g_assert_cmpstr (p[3].name, ==, "xylo-audio3");
  g_assert_cmpstr (p[4].name, ==, "dynapcnn");
  g_assert_cmpstr (p[5].name, ==, "speck2e");
  g_assert_cmpstr (p[6].name, ==, "speck2f");
  g_assert_cmpstr (p[7].name, ==, "mcu");
  g_assert_cmpuint (p[7].flash_bytes, ==, 1024 * 1024);
  g_assert_cmpuint (p[7].ram_bytes, ==, 256 * 1024);
  g_assert_false (p[7].is_xylo);
  for (guint i = 0; i < SQ_N_DEVICE_PROFILES; i++)
    g_assert_true (sq_device_profile_lookup (p[i].name) == &p[i]);
  g_assert_true (sq_device_profile_lookup ("XYLO-IMU") == &p[2]);
  g_assert_true (sq_device_profile_lookup ("Speck") == &p[6]);
  g_assert_null (sq_device_profile_lookup ("xylo"));
  g_assert_null (sq_device_profile_lookup (""));
  g_assert_cmpstr (names, ==, "xylo-v1, xylo-audio2, xylo-imu, xylo-audio3, dynapcnn, "
                   "speck2e, speck2f (speck), mcu");
  /* The simulator's cores of the Xylo profiles. */
  g_assert_true (p[2].is_xylo && p[2].device == SQ_DEVICE_XYLO_IMU);
  g_assert_true (p[0].is_xylo && p[0].device == SQ_DEVICE_XYLO_V1);
}

/* research/rockpool.md §2.3 and sinabs_qualia.md §A.2, number by number. */
static void
test_profile_numbers (void)
{
  const SqDeviceProfile *v1 = sq_device_profile_lookup ("xylo-v1");
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");
  const SqDeviceProfile *imu = sq_device_profile_lookup ("xylo-imu");
  const SqDeviceProfile *a3 = sq_device_profile_lookup ("xylo-audio3");
  const SqDeviceProfile *cnn = sq_device_profile_lookup ("dynapcnn");

  g_assert_cmpuint (v1->max_hidden, ==, 1000);
  g_assert_cmpuint (v1->max_outputs, ==, 8);
  g_assert_false (v1->has_bias);
  g_assert_cmpuint (a2->max_fanout, ==, 64);
  g_assert_cmpuint (a2->max_rec_entries, ==, 32000);
  g_assert_cmpuint (imu->max_hidden, ==, 496);
  g_assert_cmpuint (imu->max_outputs, ==, 16);
  g_assert_cmpuint (imu->max_synapses, ==, 1);
  g_assert_cmpuint (imu->max_ien, ==, 128);
  g_assert_cmpuint (imu->max_oen, ==, 128);
  g_assert_cmpuint (imu->max_fanout, ==, 512);
  g_assert_cmpuint (imu->max_rec_entries, ==, 31744);
  g_assert_cmpuint (a3->max_hidden, ==, 992);
  g_assert_cmpuint (a3->max_outputs, ==, 32);
  g_assert_cmpuint (a3->max_fanout, ==, 1024);
  g_assert_cmpuint (a3->max_rec_entries, ==, 31744);
  for (guint i = 0; i < 4; i++)
    {
      const SqDeviceProfile *p = &sq_device_profiles ()[i];

      g_assert_true (p->is_xylo);
      g_assert_cmpuint (p->max_inputs, ==, 16);
      g_assert_cmpuint (p->max_alias_targets, ==, 1);
      g_assert_cmpint (p->weight_min, ==, -128);
      g_assert_cmpint (p->weight_max, ==, 127);
      g_assert_cmpint (p->threshold_min, ==, -32768);
      g_assert_cmpint (p->threshold_max, ==, 32767);
      g_assert_cmpint (p->dash_max, ==, 15);
      g_assert_cmpint (p->weight_shift_max, ==, 7);
      g_assert_cmpuint (p->state_bits, ==, 16);
    }
  g_assert_false (cnn->is_xylo);
  g_assert_cmpuint (cnn->n_cores, ==, 9);
  g_assert_cmpuint (cnn->kernel_memory[5], ==, 64 * 1024);
  g_assert_cmpuint (cnn->neuron_memory[0], ==, 64 * 1024);
  g_assert_cmpuint (cnn->bias_memory[8], ==, 1024);
  g_assert_cmpuint (cnn->max_synops_per_s, ==, 30000000);
  g_assert_false (cnn->readout_erratum);
  /* Speck 2e and 2f: the same cores, and the readout erratum. */
  for (guint i = 5; i < 7; i++)
    {
      const SqDeviceProfile *p = &sq_device_profiles ()[i];

      g_assert_false (p->is_xylo);
      g_assert_true (p->readout_erratum);
      g_assert_cmpuint (p->n_cores, ==, 9);
      g_assert_cmpuint (p->max_features, ==, 1024);
      g_assert_cmpmem (p->kernel_memory, sizeof p->kernel_memory, cnn->kernel_memory,
                       sizeof cnn->kernel_memory);
      g_assert_cmpmem (p->neuron_memory, sizeof p->neuron_memory, cnn->neuron_memory,
                       sizeof cnn->neuron_memory);
      g_assert_cmpmem (p->bias_memory, sizeof p->bias_memory, cnn->bias_memory,
                       sizeof cnn->bias_memory);
      g_assert_cmpuint (p->max_synops_per_s, ==, cnn->max_synops_per_s);
    }
}

static void
test_dynapcnn (void)
{
  g_autoptr(SqXyloSpec) spec = net_small ();
  g_autoptr(SqCheckReport) report =
    sq_device_check (sq_device_profile_lookup ("speck2f"), spec);
  const SqCheckIssue *issue;
  g_autofree char *text = NULL;

  g_assert_cmpuint (report->issues->len, ==, 1);
  issue = g_ptr_array_index (report->issues, 0);
  g_assert_cmpstr (issue->kind, ==, "not-xylo");
  g_assert_cmpint (issue->severity, ==, SQ_CHECK_VIOLATION);
  g_assert_cmpint (issue->param, ==, -1);
  g_assert_cmpstr (issue->message, ==,
                   "Speck 2f runs convolutional networks, not Xylo specifications");
  g_assert_false (sq_check_report_fits (report));
  text = sq_check_report_to_string (report);
  g_assert_cmpstr (text, ==,
                   "error: Speck 2f runs convolutional networks, not Xylo "
                   "specifications\n");
}

/* A small network with zeros almost everywhere fits every Xylo, and can work: input 0 →
 * hidden 0 → hidden 3 → output 1. */
static void
test_fits (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  g_autoptr(SqXyloSpec) spec = net_small ();
  g_autoptr(SqCheckReport) report = NULL;

  W_IN (spec, 0, 0, 0) = 127;
  W_REC (spec, 0, 1, 0) = -128;
  W_REC (spec, 0, 3, 0) = 1;
  W_OUT (spec, 3, 1) = 5;
  report = sq_device_check (d, spec);
  g_assert_cmpuint (report->issues->len, ==, 0);
  g_assert_true (sq_check_report_fits (report));
}

/* ---------------------------------------------------------------------------------------- */
/* One test per limit, run for every Xylo profile                                            */

static void
test_counts (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  g_autofree char *msg = NULL;

  {
    g_autoptr(SqXyloSpec) in = net_new (d->max_inputs, 4, 2, 1, 4, 4);
    g_autoptr(SqXyloSpec) out = net_new (d->max_inputs + 1, 4, 2, 1, 4, 4);

    assert_no_issue (in, d, "input-count");
    msg = g_strdup_printf ("%zu input channels > %zu", d->max_inputs + 1, d->max_inputs);
    assert_issue (out, d, "input-count", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_IN, -1, msg);
    g_clear_pointer (&msg, g_free);
  }
  {
    g_autoptr(SqXyloSpec) in = net_new (2, d->max_hidden, 2, 1, 4, 4);
    g_autoptr(SqXyloSpec) out = net_new (2, d->max_hidden + 1, 2, 1, 4, 4);

    assert_no_issue (in, d, "hidden-count");
    msg = g_strdup_printf ("%zu hidden neurons > %zu", d->max_hidden + 1, d->max_hidden);
    assert_issue (out, d, "hidden-count", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_REC, -1, msg);
    g_clear_pointer (&msg, g_free);
  }
  {
    g_autoptr(SqXyloSpec) in = net_new (2, 4, d->max_outputs, 1, 4, 4);
    g_autoptr(SqXyloSpec) out = net_new (2, 4, d->max_outputs + 1, 1, 4, 4);

    assert_no_issue (in, d, "output-count");
    msg = g_strdup_printf ("%zu output neurons > %zu", d->max_outputs + 1, d->max_outputs);
    assert_issue (out, d, "output-count", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_OUT, -1, msg);
  }
}

static void
test_synapses (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  g_autoptr(SqXyloSpec) one = net_new (2, 4, 2, 1, 4, 4);
  g_autoptr(SqXyloSpec) two = net_new (2, 4, 2, 2, 4, 4);

  assert_no_issue (one, d, "synapse-count");
  if (d->max_synapses == 1)
    {
      g_autofree char *msg =
        g_strdup_printf ("2 synapses per hidden neuron > 1: Rockpool's configuration for %s "
                         "raises ValueError", d->title);
      assert_issue (two, d, "synapse-count", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_REC, -1,
                    msg);
    }
  else
    assert_no_issue (two, d, "synapse-count");

  /* Audio 3: synapse-2 weights are dropped by Rockpool's configuration; zeros are not. */
  assert_no_issue (two, d, "synapse-2-dropped");
  W_REC (two, 1, 2, 1) = 3;
  W_IN (two, 0, 0, 1) = -3;
  if (d->device == SQ_DEVICE_XYLO_AUDIO3)
    assert_issue (two, d, "synapse-2-dropped", SQ_CHECK_SILENT_CHANGE, SQ_PARAM_DASH_SYN_2, -1,
                  "synapse 2 would be dropped: Rockpool's configuration for XyloAudio 3 writes "
                  "only the synapse-1 weights (2 non-zero synapse-2 weights are lost) and never "
                  "sets i_syn2_decay");
  else
    assert_no_issue (two, d, "synapse-2-dropped");
}

static void
test_input_window (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  gsize nh = d->max_ien + 1;
  g_autoptr(SqXyloSpec) spec = net_new (2, nh, 2, 1, nh, 4);
  g_autofree char *msg = NULL;

  /* Columns beyond the window that are all zero change nothing. */
  W_IN (spec, 1, d->max_ien - 1, 0) = 5;
  assert_no_issue (spec, d, "input-window");
  assert_no_issue (spec, d, "input-window-dropped");

  W_IN (spec, 1, d->max_ien, 0) = 5;
  msg = g_strdup_printf ("hidden neuron %zu receives input weights, but %s feeds input only to "
                         "the first %zu hidden neurons", d->max_ien, d->title, d->max_ien);
  assert_issue (spec, d, "input-window", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_IN,
                (gssize) d->max_ien, msg);
  g_clear_pointer (&msg, g_free);
  if (d->max_ien < d->max_hidden)
    {
      msg = g_strdup_printf ("weights_in columns %zu would be dropped: %s keeps the first %zu "
                             "input-receiving neurons", d->max_ien, d->title, d->max_ien);
      assert_issue (spec, d, "input-window-dropped", SQ_CHECK_SILENT_CHANGE,
                    SQ_PARAM_WEIGHTS_IN, (gssize) d->max_ien, msg);
    }
  else
    assert_no_issue (spec, d, "input-window-dropped");
}

static void
test_output_window (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  gsize nh = d->max_oen + 4;
  g_autoptr(SqXyloSpec) spec = net_new (2, nh, 2, 1, 4, d->max_oen + 4);
  g_autofree char *msg = NULL;

  /* Rows 0–3 are outside the last max_oen. */
  W_OUT (spec, 4, 1) = 7;
  assert_no_issue (spec, d, "output-window");
  assert_no_issue (spec, d, "output-window-dropped");

  for (gsize r = 0; r < 4; r++)
    W_OUT (spec, r, 0) = 1;
  msg = g_strdup_printf ("weights_out rows 0–3 (hidden neurons 0–3) drive outputs, but on %s "
                         "only the last %zu hidden neurons drive outputs", d->title, d->max_oen);
  assert_issue (spec, d, "output-window", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_OUT, 0, msg);
  g_clear_pointer (&msg, g_free);
  if (d->max_oen < d->max_hidden)
    {
      msg = g_strdup_printf ("weights_out rows 0–3 would be dropped: %s keeps the last %zu "
                             "output-driving neurons", d->title, d->max_oen);
      assert_issue (spec, d, "output-window-dropped", SQ_CHECK_SILENT_CHANGE,
                    SQ_PARAM_WEIGHTS_OUT, 0, msg);
    }
  else
    assert_no_issue (spec, d, "output-window-dropped");
}

static void
test_fanout (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  gsize limit = d->max_fanout ? d->max_fanout : 100;
  g_autoptr(SqXyloSpec) spec = net_new (2, limit + 1, 2, 2, 4, 4);
  g_autofree char *msg = NULL;

  /* Neuron 3 reaches targets 0…limit−1; a target fed through both synapses counts once. */
  for (gsize j = 0; j < limit; j++)
    W_REC (spec, 3, j, 0) = W_REC (spec, 3, j, 1) = 1;
  assert_no_issue (spec, d, "fan-out");

  W_REC (spec, 3, limit, 1) = -1;
  if (d->max_fanout == 0)   /* Xylo v1: no documented limit */
    {
      assert_no_issue (spec, d, "fan-out");
      return;
    }
  msg = g_strdup_printf ("hidden neuron 3: fan-out %zu > %zu", limit + 1, limit);
  assert_issue (spec, d, "fan-out", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_REC, 3, msg);
}

static void
test_rec_entries (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  gsize nh = d->max_hidden, per;
  g_autoptr(SqXyloSpec) spec = net_new (2, nh, 2, 1, 4, 4);
  g_autofree char *msg = NULL;

  if (d->max_rec_entries == 0)
    {
      for (gsize p = 0; p < 50; p++)
        for (gsize j = 0; j < nh; j++)
          W_REC (spec, p, j, 0) = 1;
      assert_no_issue (spec, d, "recurrent-entries");
      return;
    }
  /* Each neuron reaches the next @per neurons: exactly max_rec_entries pairs in all. */
  per = d->max_rec_entries / nh;
  g_assert_cmpuint (per * nh, ==, d->max_rec_entries);
  for (gsize p = 0; p < nh; p++)
    for (gsize t = 0; t < per; t++)
      W_REC (spec, p, (p + 1 + t) % nh, 0) = 2;
  assert_no_issue (spec, d, "recurrent-entries");
  assert_no_issue (spec, d, "fan-out");

  W_REC (spec, 0, 0, 0) = 2;
  msg = g_strdup_printf ("weights_rec: %zu connected (source, target) pairs > %zu recurrent "
                         "entries", d->max_rec_entries + 1, d->max_rec_entries);
  assert_issue (spec, d, "recurrent-entries", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_REC, -1,
                msg);
}

static void
test_aliases (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  g_autoptr(SqXyloSpec) one = net_small ();
  g_autoptr(SqXyloSpec) two = net_small ();
  static const int first[] = { 3, -1 };
  static const int both[] = { 3, 0, -1 };
  g_autoptr(SqCheckReport) report = NULL;

  net_set_aliases (one, 2, first);
  net_set_aliases (two, 2, both);
  assert_no_issue (one, d, "alias-targets");
  assert_no_issue (one, d, "alias-dropped");
  assert_issue (two, d, "alias-targets", SQ_CHECK_VIOLATION, -1, 2,
                "hidden neuron 2: 2 alias targets > 1");
  assert_issue (two, d, "alias-dropped", SQ_CHECK_SILENT_CHANGE, -1, 2,
                "hidden neuron 2: Rockpool keeps only the first alias target (3) and drops "
                "1 other");
  report = sq_device_check (d, two);
  g_assert_cmpuint (n_device_issues (report), ==, 2);
}

/* Values at the ends of their range and one beyond, for each parameter group. */
static void
test_value_ranges (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  gboolean wraps = d->device != SQ_DEVICE_XYLO_V1;

  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    W_IN (spec, 1, 2, 0) = d->weight_max;
    W_REC (spec, 3, 1, 0) = d->weight_min;
    W_OUT (spec, 0, 0) = d->weight_max;
    spec->param[SQ_PARAM_THRESHOLD].data[1] = d->threshold_max;
    spec->param[SQ_PARAM_THRESHOLD_OUT].data[0] = d->threshold_min;
    spec->param[SQ_PARAM_DASH_MEM].data[0] = d->dash_max;
    spec->param[SQ_PARAM_DASH_SYN_OUT].data[1] = d->dash_min;
    spec->weight_shift[SQ_SHIFT_REC] = d->weight_shift_max;
    assert_no_issue (spec, d, "weight-range");
    assert_no_issue (spec, d, "threshold-range");
    assert_no_issue (spec, d, "dash-range");
    assert_no_issue (spec, d, "weight-shift-range");
    assert_no_issue (spec, d, "int8-wrap");
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();
    g_autoptr(SqCheckReport) report = NULL;

    W_REC (spec, 3, 1, 0) = 130;
    W_REC (spec, 2, 0, 0) = -129;
    assert_issue (spec, d, "weight-range", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_REC, -1,
                  "weights_rec: 2 values outside -128…127: weights_rec[2][0][0] = -129, "
                  "weights_rec[3][1][0] = 130");
    if (wraps)
      assert_issue (spec, d, "int8-wrap", SQ_CHECK_SILENT_CHANGE, SQ_PARAM_WEIGHTS_REC, -1,
                    "weights_rec: Rockpool's int8 cast would wrap 2 values modulo 256: "
                    "weights_rec[2][0][0] = -129 becomes 127, weights_rec[3][1][0] = 130 "
                    "becomes -126");
    else
      assert_no_issue (spec, d, "int8-wrap");
    /* Network order: the wrap follows the violation it explains. */
    report = sq_device_check (d, spec);
    g_assert_cmpuint (n_device_issues (report), ==, wraps ? 2 : 1);
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    for (gsize i = 0; i < 5; i++)
      W_IN (spec, 1, i % 4, 0) = 128 + (double) i;
    W_OUT (spec, 0, 1) = -129;
    /* Four distinct places in weights_in (the fifth overwrote the first): three shown. */
    assert_issue (spec, d, "weight-range", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_IN, -1,
                  "weights_in: 4 values outside -128…127: weights_in[1][0][0] = 132, "
                  "weights_in[1][1][0] = 129, weights_in[1][2][0] = 130 and 1 more");
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    spec->param[SQ_PARAM_THRESHOLD].data[2] = d->threshold_max + 1.0;
    assert_issue (spec, d, "threshold-range", SQ_CHECK_VIOLATION, SQ_PARAM_THRESHOLD, -1,
                  "threshold: 1 value outside -32768…32767: threshold[2] = 32768");
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    spec->param[SQ_PARAM_THRESHOLD_OUT].data[0] = d->threshold_min - 1.0;
    assert_issue (spec, d, "threshold-range", SQ_CHECK_VIOLATION, SQ_PARAM_THRESHOLD_OUT, -1,
                  "threshold_out: 1 value outside -32768…32767: threshold_out[0] = -32769");
    assert_no_issue (spec, d, "int8-wrap");   /* thresholds are cast to int, not int8 */
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    spec->param[SQ_PARAM_DASH_SYN].data[3] = d->dash_max + 1.0;
    assert_issue (spec, d, "dash-range", SQ_CHECK_VIOLATION, SQ_PARAM_DASH_SYN, -1,
                  "dash_syn: 1 value outside 0…15: dash_syn[3] = 16");
    assert_no_issue (spec, d, "int8-wrap");   /* 16 survives the int8 cast */
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    spec->param[SQ_PARAM_DASH_MEM_OUT].data[1] = d->dash_min - 1.0;
    assert_issue (spec, d, "dash-range", SQ_CHECK_VIOLATION, SQ_PARAM_DASH_MEM_OUT, -1,
                  "dash_mem_out: 1 value outside 0…15: dash_mem_out[1] = -1");
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    spec->weight_shift[SQ_SHIFT_OUT] = d->weight_shift_max + 1;
    assert_issue (spec, d, "weight-shift-range", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_OUT, -1,
                  "weight_shift_out = 8, outside 0…7");
  }
  {
    g_autoptr(SqXyloSpec) spec = net_small ();

    /* The loaders take up to 127: the check is what refuses it per device. */
    spec->weight_shift[SQ_SHIFT_IN] = 16;
    assert_issue (spec, d, "weight-shift-range", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_IN, -1,
                  "weight_shift_in = 16, outside 0…7");
  }
}

static void
test_biases (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  g_autoptr(SqXyloSpec) in = net_small ();
  g_autoptr(SqXyloSpec) out = net_small ();

  if (!d->has_bias)
    {
      assert_no_issue (in, d, "bias-unsupported");
      in->param[SQ_PARAM_BIAS].data[1] = 1;
      in->param[SQ_PARAM_BIAS].data[2] = -1;
      assert_issue (in, d, "bias-unsupported", SQ_CHECK_VIOLATION, SQ_PARAM_BIAS, -1,
                    "bias: 2 hidden neurons have non-zero biases, but Xylo v1 neurons take no "
                    "bias");
      out->param[SQ_PARAM_BIAS_OUT].data[0] = 3;
      assert_issue (out, d, "bias-unsupported", SQ_CHECK_VIOLATION, SQ_PARAM_BIAS_OUT, -1,
                    "bias_out: 1 output neuron has a non-zero bias, but Xylo v1 neurons take "
                    "no bias");
      assert_no_issue (in, d, "bias-hidden-key");
      return;
    }

  in->param[SQ_PARAM_BIAS].data[0] = d->bias_max;
  in->param[SQ_PARAM_BIAS_OUT].data[1] = d->bias_min;
  assert_no_issue (in, d, "bias-range");
  assert_no_issue (in, d, "bias-unsupported");
  /* A non-zero hidden bias: Rockpool's config_from_specification would drop it. */
  assert_issue (in, d, "bias-hidden-key", SQ_CHECK_NOTE, SQ_PARAM_BIAS, -1,
                "bias: 1 hidden neuron has a non-zero bias; Rockpool's "
                "config_from_specification(**spec) ignores the key bias and drops it without a "
                "word: pass bias_hidden=spec[\"bias\"] (XyloSim.from_specification does read "
                "bias)");
  {
    g_autoptr(SqCheckReport) report = sq_device_check (d, in);

    g_assert_true (sq_check_report_fits (report));   /* notes alone fit */
    g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_NOTE), ==, 1);
  }

  out->param[SQ_PARAM_BIAS].data[3] = d->bias_max + 1.0;
  out->param[SQ_PARAM_BIAS_OUT].data[0] = d->bias_min - 1.0;
  assert_issue (out, d, "bias-range", SQ_CHECK_VIOLATION, SQ_PARAM_BIAS, -1,
                "bias: 1 value outside -32768…32767: bias[3] = 32768");
  {
    g_autoptr(SqCheckReport) report = sq_device_check (d, out);

    g_assert_cmpuint (count_kind (report, "bias-range"), ==, 2);
  }
}

/* A float network: its structure is checked, its values are not, and a note says why. */
static void
test_float (gconstpointer data)
{
  const SqDeviceProfile *d = data;
  g_autoptr(SqXyloSpec) spec = net_small ();
  g_autoptr(SqCheckReport) report = NULL;

  W_REC (spec, 1, 2, 0) = 0.25;
  W_OUT (spec, 0, 0) = 1000.5;
  assert_issue (spec, d, "not-integer", SQ_CHECK_NOTE, SQ_PARAM_WEIGHTS_REC, -1,
                "the specification is not quantized (weights_rec[1][2][0] = 0.25): quantize "
                "it before exporting; value ranges are checked on integers only");
  assert_no_issue (spec, d, "weight-range");
  report = sq_device_check (d, spec);
  g_assert_true (sq_check_report_fits (report));
}

/* The IMU example of the issue: a network Rockpool's IMU configuration would quietly cut. */
static void
test_imu_report (void)
{
  const SqDeviceProfile *imu = sq_device_profile_lookup ("xylo-imu");
  g_autoptr(SqXyloSpec) spec = net_new (16, 300, 4, 1, 130, 132);
  g_autoptr(SqCheckReport) report = NULL;
  g_autofree char *text = NULL;

  W_IN (spec, 0, 129, 0) = 1;
  W_IN (spec, 3, 128, 0) = 1;
  for (gsize r = 0; r < 132; r++)
    W_OUT (spec, r, r % 4) = 2;
  W_REC (spec, 10, 11, 0) = 200;
  report = sq_device_check (imu, spec);
  text = sq_check_report_to_string (report);
  g_assert_cmpstr (text, ==,
    "error: hidden neurons 128–129 receive input weights, but XyloIMU feeds input only to "
    "the first 128 hidden neurons\n"
    "silent change: weights_in columns 128–129 would be dropped: XyloIMU keeps the first 128 "
    "input-receiving neurons\n"
    "error: weights_rec: 1 value outside -128…127: weights_rec[10][11][0] = 200\n"
    "silent change: weights_rec: Rockpool's int8 cast would wrap 1 value modulo 256: "
    "weights_rec[10][11][0] = 200 becomes -56\n"
    "error: weights_out rows 0–3 (hidden neurons 168–171) drive outputs, but on XyloIMU only "
    "the last 128 hidden neurons drive outputs\n"
    "silent change: weights_out rows 0–3 would be dropped: XyloIMU keeps the last 128 "
    "output-driving neurons\n"
    /* Only hidden neurons 128 and 129 get input; none of them drives an output. */
    "warning: no output neuron can ever fire: none has a positive output weight from a hidden "
    "neuron that fires, a positive bias or a threshold ≤ 0\n");
  g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_DEAD), ==, 1);
  g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_VIOLATION), ==, 3);
  g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_SILENT_CHANGE), ==, 3);
  g_assert_false (sq_check_report_fits (report));
}

/* Runs of neuron indices are shortened after eight. */
static void
test_runs (void)
{
  const SqDeviceProfile *imu = sq_device_profile_lookup ("xylo-imu");
  g_autoptr(SqXyloSpec) spec = net_new (1, 160, 1, 1, 160, 4);
  const char *expected =
    "hidden neurons 128, 130, 132, 134, 136, 138, 140, 142 and 8 more receive input weights, "
    "but XyloIMU feeds input only to the first 128 hidden neurons";

  for (gsize j = 128; j < 160; j += 2)
    W_IN (spec, 0, j, 0) = 1;
  assert_issue (spec, imu, "input-window", SQ_CHECK_VIOLATION, SQ_PARAM_WEIGHTS_IN, 128,
                expected);
}


/* ---------------------------------------------------------------------------------------- */
/* Automatic weight shift                                                                    */

/* Hidden weights up to 0.5 and thresholds up to 1: the weight scale is 127/0.5 = 254 and the
 * largest hidden threshold 254 integer units. Doubling while it stays ≤ 32768/32 = 1024 gives
 * 254·4 = 1016 (·8 = 2032 is too much): shift 2. The output threshold 2 is 508 units at the
 * same scale: shift 1. */
static const char shift_spec[] =
  "{\"weights_in\": [[0.5, 0.25]], \"weights_rec\": [[0.0, -0.5], [0.125, 0.0]],"
  " \"weights_out\": [[0.5], [0.25]], \"threshold\": [1.0, 0.5], \"threshold_out\": [2.0],"
  " \"bias\": [0.01, 0.0], \"bias_out\": [0.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

static SqQuantResult *
quantize_json (const char *json,
               int         weight_shift)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json_data (json, strlen (json), "net", &error);
  SqQuantParams params;
  SqQuantResult *res;

  g_assert_no_error (error);
  sq_quant_params_init (&params);
  g_assert_cmpint (params.weight_shift, ==, 0);
  params.weight_shift = weight_shift;
  res = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  return res;
}

static const SqDiagnostic *
find_diag (const SqQuantResult *res,
           SqDiagKind           kind,
           guint                nth)
{
  for (guint i = 0; i < res->diagnostics->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (res->diagnostics, i);

      if (d->kind == kind && nth-- == 0)
        return d;
    }
  return NULL;
}

static void
test_shift_hand (void)
{
  g_autoptr(SqQuantResult) off = quantize_json (shift_spec, 0);
  g_autoptr(SqQuantResult) on = quantize_json (shift_spec, SQ_WEIGHT_SHIFT_AUTO);
  const SqXyloSpec *q = on->spec;
  const SqDiagnostic *d;

  /* Without a shift: θ = 1·254, 0.5·254; bias 0.01·254 = 2.54 → 3. */
  g_assert_cmpfloat (off->spec->param[SQ_PARAM_THRESHOLD].data[0], ==, 254);
  g_assert_cmpfloat (off->spec->param[SQ_PARAM_BIAS].data[0], ==, 3);
  g_assert_cmpint (off->weight_shift[SQ_LAYER_HIDDEN], ==, 0);
  g_assert_false (off->spec->has_weight_shift[SQ_SHIFT_REC]);
  g_assert_null (find_diag (off, SQ_DIAG_WEIGHT_SHIFT, 0));

  /* The weights are the same integers: 0.5 → 127, 0.25 → 63.5 → 64 (half to even),
   * 0.125 → 31.75 → 32. */
  g_assert_cmpfloat (q->param[SQ_PARAM_WEIGHTS_IN].data[0], ==, 127);
  g_assert_cmpfloat (q->param[SQ_PARAM_WEIGHTS_IN].data[1], ==, 64);
  g_assert_cmpfloat (q->param[SQ_PARAM_WEIGHTS_REC].data[1], ==, -127);
  g_assert_cmpfloat (q->param[SQ_PARAM_WEIGHTS_REC].data[2], ==, 32);
  g_assert_cmpfloat (q->param[SQ_PARAM_WEIGHTS_OUT].data[1], ==, 64);
  /* The state scale is 254·4 = 1016: θ 1016 and 508, bias 0.01·1016 = 10.16 → 10. */
  g_assert_cmpint (q->weight_shift[SQ_SHIFT_IN], ==, 2);
  g_assert_cmpint (q->weight_shift[SQ_SHIFT_REC], ==, 2);
  g_assert_true (q->has_weight_shift[SQ_SHIFT_IN] && q->has_weight_shift[SQ_SHIFT_REC]);
  g_assert_cmpfloat (q->param[SQ_PARAM_THRESHOLD].data[0], ==, 1016);
  g_assert_cmpfloat (q->param[SQ_PARAM_THRESHOLD].data[1], ==, 508);
  g_assert_cmpfloat (q->param[SQ_PARAM_BIAS].data[0], ==, 10);
  /* Output: 254·2 = 508 per unit, θ_out = 2·508 = 1016. */
  g_assert_cmpint (q->weight_shift[SQ_SHIFT_OUT], ==, 1);
  g_assert_cmpfloat (q->param[SQ_PARAM_THRESHOLD_OUT].data[0], ==, 1016);
  g_assert_cmpint (on->weight_shift[SQ_LAYER_HIDDEN], ==, 2);
  g_assert_cmpint (on->weight_shift[SQ_LAYER_OUTPUT], ==, 1);
  /* The weights' scale and error are unchanged; the bias is closer: |10/1016 − 0.01| <
   * |3/254 − 0.01|. */
  g_assert_cmpfloat (on->layer[SQ_LAYER_HIDDEN].scale, ==, 254);
  g_assert_cmpfloat (on->layer[SQ_LAYER_HIDDEN].noise, ==, off->layer[SQ_LAYER_HIDDEN].noise);
  g_assert_cmpfloat (fabs (10.0 / 1016.0 - 0.01), <, fabs (3.0 / 254.0 - 0.01));

  d = find_diag (on, SQ_DIAG_WEIGHT_SHIFT, 0);
  g_assert_nonnull (d);
  g_assert_cmpint (d->param, ==, SQ_PARAM_WEIGHTS_IN);
  g_assert_cmpuint (d->count, ==, 2);
  g_assert_cmpstr (d->message, ==,
                   "weight_shift_in, weight_shift_rec = 2: thresholds and biases are scaled 4× "
                   "more than the weights, which keep their full range; the largest is now "
                   "1016 of ±32767");
  d = find_diag (on, SQ_DIAG_WEIGHT_SHIFT, 1);
  g_assert_nonnull (d);
  g_assert_cmpstr (d->message, ==,
                   "weight_shift_out = 1: thresholds and biases are scaled 2× more than the "
                   "weights, which keep their full range; the largest is now 1016 of ±32767");
  g_assert_cmpstr (sq_diag_kind_to_string (SQ_DIAG_WEIGHT_SHIFT), ==, "weight-shift");

  /* The result fits XyloAudio 2 as it is. */
  {
    g_autoptr(SqCheckReport) report =
      sq_device_check (sq_device_profile_lookup ("xylo-audio2"), q);

    g_assert_true (sq_check_report_fits (report));
  }
}

/* A fixed shift of 3: the state scale is 254·8 = 2032. */
static void
test_shift_fixed (void)
{
  g_autoptr(SqQuantResult) res = quantize_json (shift_spec, 3);

  g_assert_cmpint (res->spec->weight_shift[SQ_SHIFT_OUT], ==, 3);
  g_assert_cmpfloat (res->spec->param[SQ_PARAM_THRESHOLD].data[0], ==, 2032);
  g_assert_cmpfloat (res->spec->param[SQ_PARAM_THRESHOLD_OUT].data[0], ==, 4064);
  g_assert_cmpfloat (res->spec->param[SQ_PARAM_WEIGHTS_IN].data[0], ==, 127);
  g_assert_null (find_diag (res, SQ_DIAG_WEIGHT_SHIFT, 0));   /* only the automatic choice */
}

/* Biases larger than the weights: without a shift they count in the weights' range and the
 * weights get 127·0.1/1.0 → 13 levels; with the shift (here 0, the thresholds already fill
 * 1270 > 1024) the biases only have to fit the 16-bit state and the weights keep 127. */
static void
test_shift_bias_range (void)
{
  static const char json[] =
    "{\"weights_in\": [[0.1, -0.037]], \"weights_rec\": [[0.0, 0.053], [0.071, -0.0191]],"
    " \"weights_out\": [[0.5], [0.25]], \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
    " \"bias\": [1.0, -0.5], \"dash_mem\": [4, 4], \"dash_syn\": [2, 2],"
    " \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";
  g_autoptr(SqQuantResult) off = quantize_json (json, 0);
  g_autoptr(SqQuantResult) on = quantize_json (json, SQ_WEIGHT_SHIFT_AUTO);
  const SqDiagnostic *d;

  g_assert_cmpfloat (off->layer[SQ_LAYER_HIDDEN].scale, ==, 127);
  g_assert_cmpfloat (off->spec->param[SQ_PARAM_WEIGHTS_IN].data[0], ==, 13);
  g_assert_cmpfloat_with_epsilon (on->layer[SQ_LAYER_HIDDEN].scale, 1270, 1e-9);
  g_assert_cmpfloat (on->spec->param[SQ_PARAM_WEIGHTS_IN].data[0], ==, 127);
  g_assert_cmpfloat (on->spec->param[SQ_PARAM_BIAS].data[0], ==, 1270);
  g_assert_cmpfloat (on->spec->param[SQ_PARAM_BIAS].data[1], ==, -635);
  g_assert_cmpfloat (on->spec->param[SQ_PARAM_THRESHOLD].data[0], ==, 1270);
  g_assert_cmpint (on->spec->weight_shift[SQ_SHIFT_REC], ==, 0);
  g_assert_true (on->spec->has_weight_shift[SQ_SHIFT_REC]);
  /* The effective weights are closer to the float ones: about 20 dB more. */
  g_assert_cmpfloat (sq_group_report_sqnr_db (&on->layer[SQ_LAYER_HIDDEN]), >,
                     sq_group_report_sqnr_db (&off->layer[SQ_LAYER_HIDDEN]) + 15.0);
  d = find_diag (on, SQ_DIAG_WEIGHT_SHIFT, 0);
  g_assert_cmpstr (d->message, ==,
                   "weight_shift_in, weight_shift_rec = 0: the largest threshold or bias (1270) "
                   "already uses more than 1/32 of the state, which must hold the 31 events of "
                   "one step");
}

/* Thresholds 1000× the weights need a scale below Wmax/m: no left shift can help. */
static void
test_shift_limited (void)
{
  static const char json[] =
    "{\"weights_in\": [[0.5, 0.25]], \"weights_rec\": [[0.0, 0.5], [0.25, 0.0]],"
    " \"weights_out\": [[0.5], [0.25]], \"threshold\": [500.0, 1.0], \"threshold_out\": [1.0],"
    " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";
  g_autoptr(SqQuantResult) off = quantize_json (json, 0);
  g_autoptr(SqQuantResult) on = quantize_json (json, SQ_WEIGHT_SHIFT_AUTO);

  g_assert_true (on->layer[SQ_LAYER_HIDDEN].threshold_limited);
  g_assert_cmpint (on->spec->weight_shift[SQ_SHIFT_IN], ==, 0);
  /* Identical to the result without a shift. */
  g_assert_true (sq_test_tensor_equal (&on->spec->param[SQ_PARAM_WEIGHTS_REC],
                                       &off->spec->param[SQ_PARAM_WEIGHTS_REC]));
  g_assert_cmpfloat (on->spec->param[SQ_PARAM_THRESHOLD].data[0], ==, 32767);
  g_assert_cmpstr (find_diag (on, SQ_DIAG_WEIGHT_SHIFT, 0)->message, ==,
                   "weight_shift_in, weight_shift_rec = 0: the thresholds or biases need more "
                   "range than the weights at their full scale leave; a shift would only widen "
                   "the gap");
  /* The output layer is free: 1·254 → 1016 at shift 2. */
  g_assert_cmpint (on->spec->weight_shift[SQ_SHIFT_OUT], ==, 2);
}

static void
test_shift_refused (void)
{
  SqQuantParams params;
  g_autoptr(GError) error = NULL;

  sq_quant_params_init (&params);
  params.mode = SQ_MODE_ROCKPOOL;
  params.weight_shift = SQ_WEIGHT_SHIFT_AUTO;
  g_assert_false (sq_quant_params_check (&params, &error));
  g_assert_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS);
  g_assert_cmpstr (error->message, ==,
                   "a weight shift needs Synquant mode: Rockpool's quantizers always leave the "
                   "shifts at 0, and Rockpool mode reproduces them exactly");
  g_clear_error (&error);
  params.weight_shift = 1;
  g_assert_false (sq_quant_params_check (&params, &error));
  g_clear_error (&error);
  params.weight_shift = 0;
  g_assert_true (sq_quant_params_check (&params, &error));

  params.mode = SQ_MODE_SYNQUANT;
  params.weight_shift = 8;
  g_assert_false (sq_quant_params_check (&params, &error));
  g_assert_cmpstr (error->message, ==, "the weight shift must be auto or from 0 to 7, not 8");
  g_clear_error (&error);
  params.weight_shift = -2;
  g_assert_false (sq_quant_params_check (&params, &error));
  g_clear_error (&error);
  params.weight_shift = 5;
  params.weight_bits = 12;
  g_assert_false (sq_quant_params_check (&params, &error));
  g_assert_cmpstr (error->message, ==, "12-bit weights shifted by 5 leave the 16-bit state");
  g_clear_error (&error);
  params.weight_shift = 4;
  g_assert_true (sq_quant_params_check (&params, &error));
}

/* A neuron driven only by a small bias, which rounds to 0 at the weights' scale: without a
 * shift it never fires, with the automatic shift it fires close to the float model.
 *
 * Weights up to 1.0 give the scale 127; θ = 1 → 127 units, shift 3 → 1016 (·16 = 2032 is
 * over 1024). Bias 0.003: without a shift rint(0.381) = 0; with it rint(3.048) = 3. On the
 * integer core with dash_mem 10 the decay of V < 1024 is the minimum 1, so V after step n is
 * 3 + 2(n − 1) = 2n + 1, first ≥ 1016 at n = 508; the subtractive reset leaves 1, and the next
 * 508 steps repeat that: 3 events in 2000 steps. The float model, V ← (1 − 2^−10)V + 0.003,
 * first reaches 1 after about 403 steps, so it fires 4 times. */
static void
test_shift_simulation (void)
{
  static const char json[] =
    "{\"weights_in\": [[0.0, 1.0]], \"weights_rec\": [[0.0, 0.0], [0.0, 0.0]],"
    " \"weights_out\": [[1.0], [0.0]], \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
    " \"bias\": [0.003, 0.0], \"dash_mem\": [10, 4], \"dash_syn\": [2, 2],"
    " \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json_data (json, strlen (json), "net", &error);
  g_autoptr(SqFloatSim) fsim = NULL;
  SqSimResult *fr;
  guint64 events[2];
  SqRaster in;

  g_assert_no_error (error);
  g_assert_true (sq_raster_init (&in, 2000, 1, &error));   /* no input events */
  fsim = sq_float_sim_new (spec, &error);
  g_assert_no_error (error);
  fr = sq_float_sim_run (fsim, &in, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fr->hidden_events[0], ==, 4);

  for (guint k = 0; k < 2; k++)
    {
      SqQuantParams params;
      g_autoptr(SqQuantResult) q = NULL;
      g_autoptr(SqXyloSim) isim = NULL;
      SqSimResult *ir;

      sq_quant_params_init (&params);
      params.weight_shift = k ? SQ_WEIGHT_SHIFT_AUTO : 0;
      q = sq_quantize (spec, &params, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (q->spec->param[SQ_PARAM_BIAS].data[0], ==, k ? 3 : 0);
      g_assert_cmpint (q->spec->weight_shift[SQ_SHIFT_REC], ==, k ? 3 : 0);
      isim = sq_xylo_sim_new (q->spec, SQ_DEVICE_XYLO_AUDIO2, &error);
      g_assert_no_error (error);
      ir = sq_xylo_sim_run (isim, &in, FALSE, &error);
      g_assert_no_error (error);
      events[k] = ir->hidden_events[0];
      sq_sim_result_free (ir);
    }
  g_assert_cmpuint (events[0], ==, 0);
  g_assert_cmpuint (events[1], ==, 3);
  sq_sim_result_free (fr);
  sq_raster_clear (&in);
}

/* ---------------------------------------------------------------------------------------- */
/* Whether a network that fits can work                                                      */

static guint
count_dead (const SqXyloSpec *spec,
            const char       *kind,
            int               param)
{
  g_autoptr(SqCheckReport) report =
    sq_device_check (sq_device_profile_lookup ("xylo-audio2"), spec);
  guint n = 0;

  for (guint i = 0; i < report->issues->len; i++)
    {
      const SqCheckIssue *issue = g_ptr_array_index (report->issues, i);

      if (issue->severity == SQ_CHECK_DEAD && g_str_equal (issue->kind, kind) &&
          issue->param == param)
        n++;
    }
  return n;
}

/* Every way a layer can or cannot fire, one change at a time from a network that works:
 * input 0 → hidden 0 → hidden 3 → output 1 (weights_out row 3 is hidden neuron 3). */
static void
test_alive_layers (void)
{
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");
  g_autoptr(SqXyloSpec) spec = net_small ();
  g_autoptr(SqCheckReport) report = NULL;

  W_IN (spec, 0, 0, 0) = 3;
  W_REC (spec, 0, 3, 0) = 2;
  W_OUT (spec, 3, 1) = 5;
  report = sq_device_check (a2, spec);
  g_assert_true (sq_check_report_alive (report));
  g_assert_null (sq_check_report_first (report, SQ_CHECK_DEAD));

  /* Inputs and spikes are ≥ 0: a negative input weight never raises a membrane, so no
   * hidden neuron fires, and neither does the output that listens to hidden neuron 3. */
  W_IN (spec, 0, 0, 0) = -3;
  assert_issue (spec, a2, "dead-hidden", SQ_CHECK_DEAD, SQ_PARAM_WEIGHTS_IN, -1,
                "no hidden neuron can ever fire: none has a positive input or recurrent "
                "weight from a neuron that fires, a positive bias or a threshold ≤ 0");
  assert_issue (spec, a2, "dead-output", SQ_CHECK_DEAD, SQ_PARAM_WEIGHTS_OUT, -1,
                "no output neuron can ever fire: none has a positive output weight from a "
                "hidden neuron that fires, a positive bias or a threshold ≤ 0");
  g_clear_pointer (&report, sq_check_report_free);
  report = sq_device_check (a2, spec);
  g_assert_true (sq_check_report_fits (report));     /* it fits, but… */
  g_assert_false (sq_check_report_alive (report));
  g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_DEAD), ==, 2);
  g_assert_cmpstr (sq_check_report_first (report, SQ_CHECK_DEAD)->kind, ==, "dead-hidden");
  g_assert_cmpstr (sq_check_report_first (report, SQ_CHECK_DEAD)->headline, ==,
                   "No hidden spikes");
  g_assert_cmpstr (((const SqCheckIssue *) g_ptr_array_index (report->issues, 1))->headline,
                   ==, "No output spikes");

  /* A positive bias charges hidden neuron 3 by itself; through it the output fires. */
  spec->param[SQ_PARAM_BIAS].data[3] = 1;
  g_assert_cmpuint (count_dead (spec, "dead-hidden", SQ_PARAM_WEIGHTS_IN), ==, 0);
  g_assert_cmpuint (count_dead (spec, "dead-output", SQ_PARAM_WEIGHTS_OUT), ==, 0);
  /* A bias on hidden neuron 2, which drives no output: the output layer stays dead. */
  spec->param[SQ_PARAM_BIAS].data[3] = 0;
  spec->param[SQ_PARAM_BIAS].data[2] = 1;
  g_assert_cmpuint (count_dead (spec, "dead-hidden", SQ_PARAM_WEIGHTS_IN), ==, 0);
  g_assert_cmpuint (count_dead (spec, "dead-output", SQ_PARAM_WEIGHTS_OUT), ==, 1);
  /* …until hidden neuron 2 reaches 3 through a positive recurrent weight. */
  W_REC (spec, 2, 3, 0) = 1;
  g_assert_cmpuint (count_dead (spec, "dead-output", SQ_PARAM_WEIGHTS_OUT), ==, 0);
  /* A threshold ≤ 0 fires every step without any input. */
  W_REC (spec, 2, 3, 0) = 0;
  spec->param[SQ_PARAM_BIAS].data[2] = 0;
  spec->param[SQ_PARAM_THRESHOLD].data[3] = 0;
  g_assert_cmpuint (count_dead (spec, "dead-hidden", SQ_PARAM_WEIGHTS_IN), ==, 0);
  g_assert_cmpuint (count_dead (spec, "dead-output", SQ_PARAM_WEIGHTS_OUT), ==, 0);
  spec->param[SQ_PARAM_THRESHOLD].data[3] = 100;
  spec->param[SQ_PARAM_THRESHOLD_OUT].data[0] = -1;
  g_assert_cmpuint (count_dead (spec, "dead-hidden", SQ_PARAM_WEIGHTS_IN), ==, 1);
  g_assert_cmpuint (count_dead (spec, "dead-output", SQ_PARAM_WEIGHTS_OUT), ==, 0);
}

/* Membranes that forget their potential every step: every dash 0, in either layer. */
static void
test_alive_dashes (void)
{
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");
  g_autoptr(SqXyloSpec) spec = net_small ();

  W_IN (spec, 0, 0, 0) = 3;
  W_REC (spec, 0, 3, 0) = 2;
  W_OUT (spec, 3, 1) = 5;
  for (gsize j = 0; j < 4; j++)
    spec->param[SQ_PARAM_DASH_MEM].data[j] = 0;
  assert_issue (spec, a2, "dead-membrane", SQ_CHECK_DEAD, SQ_PARAM_DASH_MEM, -1,
                "dash_mem is 0 for all 4 hidden neurons: their membranes forget their "
                "potential every step (τ_mem below 1.41·dt)");
  g_assert_cmpuint (count_dead (spec, "dead-membrane", SQ_PARAM_DASH_MEM_OUT), ==, 0);
  /* One membrane that remembers is enough. */
  spec->param[SQ_PARAM_DASH_MEM].data[2] = 1;
  g_assert_cmpuint (count_dead (spec, "dead-membrane", SQ_PARAM_DASH_MEM), ==, 0);
  /* Synaptic dashes of 0 are a LIF without synapse: legitimate, not dead. */
  for (gsize j = 0; j < 4; j++)
    spec->param[SQ_PARAM_DASH_SYN].data[j] = 0;
  g_assert_cmpuint (count_dead (spec, "dead-membrane", SQ_PARAM_DASH_MEM), ==, 0);

  /* A float specification's dashes are log2(τ/dt) before rounding: 0.49 rounds to 0,
   * 0.51 to 1. */
  spec->param[SQ_PARAM_DASH_MEM_OUT].integer = FALSE;
  spec->param[SQ_PARAM_DASH_MEM_OUT].data[0] = 0.49;
  spec->param[SQ_PARAM_DASH_MEM_OUT].data[1] = -2.3;
  assert_issue (spec, a2, "dead-membrane", SQ_CHECK_DEAD, SQ_PARAM_DASH_MEM_OUT, -1,
                "dash_mem_out is 0 for all 2 output neurons: their membranes forget their "
                "potential every step (τ_mem below 1.41·dt)");
  spec->param[SQ_PARAM_DASH_MEM_OUT].data[0] = 0.51;
  g_assert_cmpuint (count_dead (spec, "dead-membrane", SQ_PARAM_DASH_MEM_OUT), ==, 0);
}

/* The real cases: the braille graph at dt = 1 ms fits but cannot work (τ_mem is 1 ms in
 * lif1 and 0.222 ms in lif2, so every membrane dash rounds to 0), quantized as the window
 * checks it; the small example works. */
static void
test_alive_real (void)
{
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) small = sq_network_load (g_getenv ("SQ_EXAMPLE_SMALL"), NULL, NULL,
                                                NULL, NULL, &error);
  g_autoptr(SqNetworkResult) q = NULL;
  g_autoptr(SqCheckReport) report = NULL;
  SqQuantSettings settings;

  g_assert_no_error (error);
  sq_quant_settings_init (&settings, small->kind);
  q = sq_network_quantize (small, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  report = sq_network_check (small, q, a2, &error);
  g_assert_no_error (error);
  g_assert_true (sq_check_report_fits (report));
  g_assert_true (sq_check_report_alive (report));

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR");
      return;
    }
  {
    g_autofree char *path = sq_test_data_path ("data", "nir", "braille_noDelay_bias_zero.nir",
                                               NULL);
    SqLoadOptions options = { { 1e-3, SQ_NIR_RESET_SUBTRACT }, TRUE, NULL };
    g_autoptr(SqNetwork) braille = sq_network_load (path, &options, NULL, NULL, NULL, &error);
    g_autoptr(SqNetworkResult) bq = NULL;
    g_autoptr(SqCheckReport) br = NULL;
    const SqCheckIssue *first;

    g_assert_no_error (error);
    bq = sq_network_quantize (braille, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    br = sq_network_check (braille, bq, a2, &error);
    g_assert_no_error (error);
    g_assert_true (sq_check_report_fits (br));
    g_assert_false (sq_check_report_alive (br));
    g_assert_cmpuint (sq_check_report_count (br, SQ_CHECK_DEAD), ==, 2);
    first = sq_check_report_first (br, SQ_CHECK_DEAD);
    g_assert_cmpstr (first->kind, ==, "dead-membrane");
    g_assert_cmpstr (first->headline, ==, "Dash 0: no memory");
    g_assert_cmpstr (first->message, ==,
                     "dash_mem is 0 for all 38 hidden neurons: their membranes forget their "
                     "potential every step (τ_mem below 1.41·dt)");
  }
}

static void
add_profile_tests (const char    *topic,
                   GTestDataFunc  func)
{
  for (guint i = 0; i < SQ_N_DEVICE_PROFILES; i++)
    {
      const SqDeviceProfile *p = &sq_device_profiles ()[i];
      g_autofree char *path = NULL;

      if (!p->is_xylo)
        continue;
      path = g_strdup_printf ("/device/%s/%s", topic, p->name);
      g_test_add_data_func (path, p, func);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device/lookup", test_lookup);
  g_test_add_func ("/device/profile-numbers", test_profile_numbers);
  g_test_add_func ("/device/dynapcnn", test_dynapcnn);
  g_test_add_func ("/device/imu-report", test_imu_report);
  g_test_add_func ("/device/runs", test_runs);
  g_test_add_func ("/device/alive/layers", test_alive_layers);
  g_test_add_func ("/device/alive/dashes", test_alive_dashes);
  g_test_add_func ("/device/alive/real", test_alive_real);
  add_profile_tests ("fits", test_fits);
  add_profile_tests ("counts", test_counts);
  add_profile_tests ("synapses", test_synapses);
  add_profile_tests ("input-window", test_input_window);
  add_profile_tests ("output-window", test_output_window);
  add_profile_tests ("fan-out", test_fanout);
  add_profile_tests ("recurrent-entries", test_rec_entries);
  add_profile_tests ("aliases", test_aliases);
  add_profile_tests ("value-ranges", test_value_ranges);
  add_profile_tests ("biases", test_biases);
  add_profile_tests ("float", test_float);
  g_test_add_func ("/device/weight-shift/hand", test_shift_hand);
  g_test_add_func ("/device/weight-shift/fixed", test_shift_fixed);
  g_test_add_func ("/device/weight-shift/bias-range", test_shift_bias_range);
  g_test_add_func ("/device/weight-shift/limited", test_shift_limited);
  g_test_add_func ("/device/weight-shift/refused", test_shift_refused);
  g_test_add_func ("/device/weight-shift/simulation", test_shift_simulation);

  return g_test_run ();
}
