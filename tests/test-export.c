/* test-export.c: configuration exports — golden files, re-import, determinism, range checks,
 * hand-computed RAM images and samna paths, atomicity.
 *
 * Golden files live in tests/data/export/; SQ_UPDATE_GOLDEN=1 rewrites them from the current
 * output (look at the diff before committing). The Synquant version in headers is stored as
 * @VERSION@ so a release does not change them.
 *
 * One program for one module, so longer than most: every export format of one module, each against
 * its golden file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sq-test-utils.h"

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                  */

static SqQuantResult *
quantize_small (void)
{
  g_autofree char *path = sq_test_data_path ("data", "export", "small.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
  SqQuantParams params;
  SqQuantResult *result;

  g_assert_no_error (error);
  sq_quant_params_init (&params);
  result = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  return result;
}

static SqXyloSpec *
spec_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_load_json_data (json, strlen (json), "crafted.json", &error);

  g_assert_no_error (error);
  return spec;
}

/* data/export/small.json quantized with the default settings through the network model, as
 * quantize_small() does directly. */
static SqNetworkResult *
quantize_small_network (void)
{
  g_autofree char *path = sq_test_data_path ("data", "export", "small.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  SqNetworkResult *result;
  SqQuantSettings settings;

  g_assert_no_error (error);
  sq_quant_settings_init (&settings, network->kind);
  result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static GBytes *
build_one (const SqXyloSpec      *spec,
           const SqQuantResult   *quant,
           const char            *device,
           SqExportFormat         format,
           GError               **error)
{
  SqExportOptions options = { .source = "small.json" };
  g_autoptr(GPtrArray) files = sq_export_build (spec, quant, sq_device_profile_lookup (device),
                                                format, "out", &options, error);
  SqExportFile *f;

  if (files == NULL)
    return NULL;
  g_assert_cmpuint (files->len, ==, 1);
  f = g_ptr_array_index (files, 0);
  g_assert_cmpstr (f->path, ==, "out");
  return g_bytes_ref (f->data);
}

/* @data with every occurrence of the version replaced by @VERSION@. */
static GBytes *
unversioned (GBytes *data)
{
  gsize len;
  const char *p = g_bytes_get_data (data, &len);
  g_autoptr(GString) s = g_string_new_len (p, (gssize) len);

  g_string_replace (s, "\"" PACKAGE_VERSION "\"", "\"@VERSION@\"", 0);
  return g_string_free_to_bytes (g_steal_pointer (&s));
}

static void
assert_golden (GBytes     *data,
               const char *name)
{
  g_autofree char *path = sq_test_data_path ("data", "export", name, NULL);
  g_autoptr(GBytes) have = unversioned (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *want = NULL;
  gsize want_len, have_len;
  const char *have_data = g_bytes_get_data (have, &have_len);

  if (g_strcmp0 (g_getenv ("SQ_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0777), ==, 0);
      g_assert_true (g_file_set_contents (path, have_data, (gssize) have_len, &error));
      g_assert_no_error (error);
      return;
    }
  g_assert_true (g_file_get_contents (path, &want, &want_len, &error));
  g_assert_no_error (error);
  if (want_len != have_len || memcmp (want, have_data, have_len) != 0)
    {
      g_autofree char *msg = g_strdup_printf ("%s differs from the export (%zu vs %zu bytes); "
                                              "SQ_UPDATE_GOLDEN=1 rewrites it", name,
                                              want_len, have_len);
      g_test_fail_printf ("%s", msg);
    }
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Names                                                                                    */

static void
test_format_names (void)
{
  const SqNetworkKind *xylo = sq_network_kind_lookup ("xylo");
  g_autofree char *names = sq_network_kind_format_names (xylo);
  SqExportFormat f = SQ_N_EXPORT_FORMATS;

  g_assert_cmpstr (names, ==, "rockpool-json, rockpool-npz, samna-json, xylo-ram, c-header, nir");
  /* The Xylo kind lists them in SqExportFormat order. */
  g_assert_cmpuint (xylo->n_formats, ==, SQ_N_EXPORT_FORMATS);
  for (guint i = 0; i < SQ_N_EXPORT_FORMATS; i++)
    {
      g_assert_cmpstr (xylo->formats[i].name, ==, sq_export_format_to_string (i));
      g_assert_true (sq_export_format_from_string (sq_export_format_to_string (i), &f));
      g_assert_cmpint (f, ==, i);
    }
  g_assert_true (sq_export_format_from_string ("SAMNA-JSON", &f));
  g_assert_cmpint (f, ==, SQ_EXPORT_SAMNA_JSON);
  g_assert_false (sq_export_format_from_string ("samna", &f));
  g_assert_cmpint (f, ==, SQ_EXPORT_SAMNA_JSON);
  g_assert_true (sq_network_kind_format (xylo, "xylo-ram")->is_directory);
  g_assert_false (sq_network_kind_format (xylo, "samna-json")->is_directory);
}

/* ---------------------------------------------------------------------------------------- */
/* Golden files: data/examples/small.json (8 inputs, 32 hidden neurons with 2 synapses,
 * 4 outputs, one alias) quantized with the default parameters.                              */

typedef struct {
  const char    *device;
  SqExportFormat format;
  const char    *golden;
} Golden;

static const Golden goldens[] = {
  { "xylo-audio2", SQ_EXPORT_ROCKPOOL_JSON, "small-xylo-audio2.rockpool.json" },
  { "xylo-audio2", SQ_EXPORT_ROCKPOOL_NPZ, "small-xylo-audio2.rockpool.npz" },
  { "xylo-audio2", SQ_EXPORT_SAMNA_JSON, "small-xylo-audio2.samna.json" },
  { "xylo-audio2", SQ_EXPORT_XYLO_RAM, "small-xylo-audio2.ram" },
  { "xylo-audio2", SQ_EXPORT_NIR, "small-xylo-audio2.nir.txt" },
  { "xylo-audio3", SQ_EXPORT_SAMNA_JSON, "small-xylo-audio3.samna.json" },
  { "xylo-audio3", SQ_EXPORT_XYLO_RAM, "small-xylo-audio3.ram" },
};

/* HDF5's bytes depend on the library's version (and hold Synquant's): the golden file of a
 * NIR export is what reading it back gives, the graph and the specification it maps to. */
static void
assert_nir_golden (GBytes     *data,
                   const char *golden)
{
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "small.nir", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNirGraph) graph = NULL;
  g_autoptr(SqXyloSpec) back = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GString) json = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) both = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (data, NULL),
                                      (gssize) g_bytes_get_size (data), &error));
  g_assert_no_error (error);
  graph = sq_nir_graph_load (path, &error);
  g_assert_no_error (error);
  back = sq_xylo_spec_load_nir (path, NULL, &notes, &error);
  g_assert_no_error (error);
  json = sq_xylo_spec_to_json (back);
  text = sq_nir_graph_describe (graph);
  /* The first line starts with the temporary path. */
  g_assert_true (g_str_has_prefix (text, path));
  both = g_bytes_new_take (g_strconcat ("small.nir", text + strlen (path), "\n", json->str,
                                        NULL),
                           strlen ("small.nir") + strlen (text + strlen (path)) + 1 + json->len);
  assert_golden (both, golden);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_golden (gconstpointer data)
{
  const Golden *g = data;
  g_autoptr(SqQuantResult) q = quantize_small ();
  SqExportOptions options = { .source = "small.json" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;

  if (g->format == SQ_EXPORT_NIR && !sq_nir_is_supported ())
    {
      g_test_skip ("built without NIR support");
      return;
    }
  files = sq_export_build (q->spec, q, sq_device_profile_lookup (g->device), g->format, "ram",
                           &options, &error);
  g_assert_no_error (error);
  if (g->format == SQ_EXPORT_NIR)
    {
      assert_nir_golden (((SqExportFile *) g_ptr_array_index (files, 0))->data, g->golden);
      return;
    }
  if (g->format != SQ_EXPORT_XYLO_RAM)
    {
      g_assert_cmpuint (files->len, ==, 1);
      assert_golden (((SqExportFile *) g_ptr_array_index (files, 0))->data, g->golden);
      return;
    }

  /* A RAM image: basic_config.json and 14 RAMs on Audio 2 (with the second synapse and the
   * biases), each compared with its golden file. */
  g_assert_cmpuint (files->len, ==, 15);
  for (guint i = 0; i < files->len; i++)
    {
      const SqExportFile *f = g_ptr_array_index (files, i);
      g_autofree char *base = g_path_get_basename (f->path);
      g_autofree char *name = g_build_filename (g->golden, base, NULL);
      g_autofree char *dir = g_path_get_dirname (f->path);

      g_assert_cmpstr (dir, ==, "ram");
      assert_golden (f->data, name);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Re-import: what Synquant (and Rockpool) reads back is the quantized specification, with the
 * weights 3-D and all three shifts present.                                                 */

static void
assert_same_spec (const SqXyloSpec *a,
                  const SqXyloSpec *b)
{
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      const SqTensor *ta = &a->param[p], *tb = &b->param[p];

      g_assert_cmpint (sq_tensor_is_present (ta), ==, sq_tensor_is_present (tb));
      if (!sq_tensor_is_present (ta))
        continue;
      g_assert_cmpuint (ta->n, ==, tb->n);
      g_assert_cmpuint (ta->rank, ==, tb->rank);
      for (guint d = 0; d < ta->rank; d++)
        g_assert_cmpuint (ta->shape[d], ==, tb->shape[d]);
      for (gsize k = 0; k < ta->n; k++)
        g_assert_cmpfloat (ta->data[k], ==, tb->data[k]);
    }
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    g_assert_cmpint (a->weight_shift[i], ==, b->weight_shift[i]);
  g_assert_cmpuint (a->n_alias_lists, ==, b->n_alias_lists);
  for (gsize j = 0; j <= a->n_alias_lists; j++)
    g_assert_cmpuint (a->alias_offsets[j], ==, b->alias_offsets[j]);
  for (gsize k = 0; k < a->alias_offsets[a->n_alias_lists]; k++)
    g_assert_cmpuint (a->alias_targets[k], ==, b->alias_targets[k]);
  g_assert_cmpint (a->has_dt, ==, b->has_dt);
  g_assert_cmpfloat (a->dt, ==, b->dt);
}

static void
test_reimport (gconstpointer data)
{
  SqExportFormat format = GPOINTER_TO_INT (data);
  g_autoptr(SqQuantResult) q = quantize_small ();
  g_autoptr(SqNetworkResult) r = quantize_small_network ();
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, format == SQ_EXPORT_ROCKPOOL_NPZ ? "out.npz"
                                                                                 : "out.json",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) back = NULL;

  g_assert_true (sq_network_export (r->network, r, sq_device_profile_lookup ("xylo-audio2"),
                                    sq_export_format_to_string (format), path, NULL, &error));
  g_assert_no_error (error);
  back = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* small.json is 3-D already, so the shapes match too: weights_in (8, 32, 2). */
  g_assert_cmpuint (back->param[SQ_PARAM_WEIGHTS_IN].rank, ==, 3);
  g_assert_cmpuint (back->param[SQ_PARAM_WEIGHTS_IN].shape[1], ==, 32);
  g_assert_true (back->has_weight_shift[SQ_SHIFT_IN] && back->has_weight_shift[SQ_SHIFT_REC] &&
                 back->has_weight_shift[SQ_SHIFT_OUT]);
  g_assert_cmpuint (back->alias_targets[0], ==, 9);
  assert_same_spec (q->spec, back);
  g_assert_true (sq_xylo_spec_is_integer (back));
  sq_test_remove_tree (dir);
}

/* A 2-D single-synapse specification comes back 3-D with a synapse axis of 1; on Xylo v1 the
 * all-zero bias keys are left out (XyloSim for v1 takes none). */
static void
test_rockpool_shapes (void)
{
  g_autoptr(SqXyloSpec) spec = spec_from_json (
    "{\"weights_in\": [[1, 2]], \"weights_rec\": [[0, 3], [-4, 0]], \"weights_out\": [[5], [6]],"
    " \"dash_mem\": [1, 2], \"dash_mem_out\": [3], \"dash_syn\": [4, 5], \"dash_syn_out\": [6],"
    " \"threshold\": [7, 8], \"threshold_out\": [9], \"bias\": [0, 0], \"bias_out\": [0]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = build_one (spec, NULL, "xylo-v1", SQ_EXPORT_ROCKPOOL_JSON, &error);
  g_autoptr(GBytes) audio2 = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (json, NULL), g_bytes_get_size (json));
  g_assert_cmpstr (text, ==,
    "{\"weights_in\": [[[1], [2]]], \"weights_out\": [[5], [6]], "
    "\"weights_rec\": [[[0], [3]], [[-4], [0]]], \"dash_mem\": [1, 2], \"dash_mem_out\": [3], "
    "\"dash_syn\": [4, 5], \"dash_syn_out\": [6], \"threshold\": [7, 8], "
    "\"threshold_out\": [9], \"weight_shift_in\": 0, \"weight_shift_rec\": 0, "
    "\"weight_shift_out\": 0}\n");

  /* Audio 2 keeps the biases, under the key XyloSim.from_specification takes ("bias"). */
  audio2 = build_one (spec, NULL, "xylo-audio2", SQ_EXPORT_ROCKPOOL_JSON, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = g_strndup (g_bytes_get_data (audio2, NULL), g_bytes_get_size (audio2));
  g_assert_nonnull (strstr (text, "\"bias\": [0, 0], \"bias_out\": [0], \"weight_shift_in\""));
}

/* ---------------------------------------------------------------------------------------- */
/* Determinism: the same input gives the same bytes, through the file system too.           */

static void
test_deterministic (void)
{
  g_autoptr(SqNetworkResult) r = quantize_small_network ();
  g_autofree char *dir = sq_test_tmpdir ();
  const SqDeviceProfile *device = sq_device_profile_lookup ("xylo-audio2");
  SqExportOptions options = { .prefix = "net" };

  for (guint f = 0; f < SQ_N_EXPORT_FORMATS; f++)
    {
      g_autofree char *a = g_build_filename (dir, "a", NULL);
      g_autofree char *b = g_build_filename (dir, "b", NULL);
      g_autofree char *fa = NULL, *fb = NULL;
      g_autoptr(GError) error = NULL;
      gsize la, lb;

      if (f == SQ_EXPORT_NIR && !sq_nir_is_supported ())
        continue;
      /* The C prefix would follow the file name: pin it. */
      g_assert_true (sq_network_export (r->network, r, device, sq_export_format_to_string (f), a,
                                        &options, &error));
      g_assert_no_error (error);
      g_assert_true (sq_network_export (r->network, r, device, sq_export_format_to_string (f), b,
                                        &options, &error));
      g_assert_no_error (error);
      if (f == SQ_EXPORT_XYLO_RAM)
        {
          g_autofree char *ra = g_build_filename (a, "rforam.ini", NULL);
          g_autofree char *rb = g_build_filename (b, "rforam.ini", NULL);

          g_assert_cmpuint (count_entries (a), ==, 15);
          fa = read_text (ra);
          fb = read_text (rb);
          g_assert_cmpstr (fa, ==, fb);
          sq_test_remove_tree (a);
          sq_test_remove_tree (b);
          continue;
        }
      g_assert_true (g_file_get_contents (a, &fa, &la, NULL));
      g_assert_true (g_file_get_contents (b, &fb, &lb, NULL));
      g_assert_cmpmem (fa, la, fb, lb);
      g_assert_cmpuint (la, >, 100);
      g_unlink (a);
      g_unlink (b);
    }
  g_assert_cmpuint (count_entries (dir), ==, 0);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Hand-computed RAM image and samna paths                                                   */

/* 2 inputs, 3 hidden neurons with 2 synapses, 1 output; negative values show the two's
 * complement, neuron 0 aliases to 2. */
static const char hand_spec[] =
  "{\"weights_in\": [[[1, -1], [0, 0], [5, 0]], [[-128, 0], [0, 3], [127, -2]]],"
  " \"weights_rec\": [[[0, 0], [2, 0], [0, -3]], [[0, 0], [0, 0], [0, 0]],"
  "                   [[-1, 4], [0, 0], [0, 0]]],"
  " \"weights_out\": [[0], [7], [-7]],"
  " \"dash_mem\": [1, 2, 3], \"dash_mem_out\": [4], \"dash_syn\": [5, 6, 7],"
  " \"dash_syn_2\": [8, 9, 15], \"dash_syn_out\": [0],"
  " \"threshold\": [100, -1, 32767], \"threshold_out\": [-32768],"
  " \"bias\": [0, -2, 3], \"bias_out\": [1],"
  " \"weight_shift_in\": 1, \"weight_shift_rec\": 2, \"weight_shift_out\": 3,"
  " \"aliases\": [[2], [], []], \"dt\": 0.002}";

static void
test_ram_hand (void)
{
  g_autoptr(SqNetwork) network = sq_test_load_network (hand_spec, -1, "crafted.json");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *parent = g_build_filename (dir, "new", NULL);
  g_autofree char *out = g_build_filename (parent, "ram", NULL);
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *name;
    const char *text;
  } want[] = {
    { "basic_config.json", "{\"IN\": 2, \"RSN\": 3, \"ON\": 1, \"IWBS\": 1, \"RWBS\": 2, "
      "\"OWBS\": 3, \"DT\": 0.002, \"N_SYNS\": 2, \"RA\": true, \"time_resolution_wrap\": 0, "
      "\"BIAS\": true}\n" },
    { "iwtram.ini", "// iwt for IN0\n01\n00\n05\n// iwt for IN1\n80\n00\n7f\n" },
    { "iwt2ram.ini", "// iwt2 for IN0\nff\n00\n00\n// iwt2 for IN1\n00\n03\nfe\n" },
    /* Fan-out lists: RSN0 → 1 (2, 0) and 2 (0, −3); RSN1 none; RSN2 → 0 (−1, 4). */
    { "rwtram.ini", "// rwt of RSN0\n02\n00\n// rwt of RSN1\n// rwt of RSN2\nff\n" },
    { "rwt2ram.ini", "// rwt2 of RSN0\n00\nfd\n// rwt2 of RSN1\n// rwt2 of RSN2\n04\n" },
    { "rforam.ini", "// rfo of RSN0\n001\n002\n// rfo of RSN1\n// rfo of RSN2\n000\n" },
    /* Audio 2's fan-out reaches 64 = 0x40: two digits. */
    { "refocram.ini", "02\n00\n01\n" },
    { "owtram.ini", "// owt for RSN0\n00\n// owt for RSN1\n07\n// owt for RSN2\nf9\n" },
    { "ndmram.ini", "1\n2\n3\n4\n" },
    { "ndsram.ini", "5\n6\n7\n0\n" },
    { "rds2ram.ini", "8\n9\nf\n" },
    /* −1 → ffff, −32768 → 8000 */
    { "nthram.ini", "0064\nffff\n7fff\n8000\n" },
    { "nbram.ini", "0000\nfffe\n0003\n0001\n" },
    /* No alias: −1 in three digits. */
    { "raram.ini", "002\nfff\nfff\n" },
    /* 2 for an alias source, 1 for a target */
    { "rcram.ini", "2\n0\n1\n" },
  };

  /* The export makes its own folder, not a missing parent (test_atomic_ram_parents). */
  g_assert_cmpint (g_mkdir (parent, 0700), ==, 0);
  g_assert_true (sq_network_export (network, NULL, sq_device_profile_lookup ("xylo-audio2"),
                                    "xylo-ram", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (out), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree char *path = g_build_filename (out, want[i].name, NULL);
      g_autofree char *text = read_text (path);

      g_assert_cmpstr (text, ==, want[i].text);
    }
  sq_test_remove_tree (dir);
}

/* On IMU (one synapse, expansion windows) the RAM image has no second-synapse RAMs, the
 * fan-out counts have 3 digits (512 = 0x200), and basic_config.json gives IEN and OEN. */
static void
test_ram_imu (void)
{
  g_autoptr(SqXyloSpec) spec = spec_from_json (
    "{\"weights_in\": [[1]], \"weights_rec\": [[0, 3], [-4, 0]], \"weights_out\": [[5]],"
    " \"dash_mem\": [1, 2], \"dash_mem_out\": [3], \"dash_syn\": [4, 5], \"dash_syn_out\": [6],"
    " \"threshold\": [7, 8], \"threshold_out\": [9]}");
  g_autoptr(GError) error = NULL;
  SqExportOptions options = { .source = "x" };
  g_autoptr(GPtrArray) files = sq_export_build (spec, NULL, sq_device_profile_lookup ("xylo-imu"),
                                                SQ_EXPORT_XYLO_RAM, "d", &options, &error);
  static const char * const names[] = {
    "d/basic_config.json", "d/iwtram.ini", "d/rwtram.ini", "d/rforam.ini", "d/refocram.ini",
    "d/owtram.ini", "d/ndmram.ini", "d/ndsram.ini", "d/nthram.ini", "d/nbram.ini",
    "d/raram.ini", "d/rcram.ini",
  };
  static const char * const texts[] = {
    "{\"IN\": 1, \"RSN\": 2, \"ON\": 1, \"IWBS\": 0, \"RWBS\": 0, \"OWBS\": 0, \"DT\": 0.001, "
    "\"N_SYNS\": 1, \"RA\": false, \"time_resolution_wrap\": 0, \"BIAS\": false, \"IEN\": 1, "
    "\"OEN\": 1}\n",
    /* Only the one input expansion neuron */
    "// iwt for IN0\n01\n",
    "// rwt of RSN0\n03\n// rwt of RSN1\nfc\n",
    "// rfo of RSN0\n001\n// rfo of RSN1\n000\n",
    "001\n001\n",
    /* Only the last hidden neuron drives the output. */
    "// owt for RSN1\n05\n",
    "1\n2\n3\n", "4\n5\n6\n", "0007\n0008\n0009\n", "0000\n0000\n0000\n",
    "fff\nfff\n", "0\n0\n",
  };

  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < files->len; i++)
    {
      const SqExportFile *f = g_ptr_array_index (files, i);
      g_autofree char *text = g_strndup (g_bytes_get_data (f->data, NULL),
                                         g_bytes_get_size (f->data));

      g_assert_cmpstr (f->path, ==, names[i]);
      g_assert_cmpstr (text, ==, texts[i]);
    }
}

/* The one node @path finds in @root (a copy). */
static JsonNode *
node_at (JsonNode   *root,
         const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) found = json_path_query (path, root, &error);
  JsonArray *a;

  g_assert_no_error (error);
  a = json_node_get_array (found);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  return json_node_copy (json_array_get_element (a, 0));
}

static JsonObject *
object_at (JsonNode   *root,
           const char *path)
{
  g_autoptr(JsonNode) node = node_at (root, path);

  return json_node_dup_object (node);
}

static gint64
int_at (JsonNode   *root,
        const char *path)
{
  g_autoptr(JsonNode) node = node_at (root, path);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

static JsonNode *
parse_bytes (GBytes *data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *p = g_bytes_get_data (data, &len);

  g_assert_true (json_parser_load_from_data (parser, p, (gssize) len, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_samna_hand (void)
{
  g_autoptr(SqXyloSpec) spec = spec_from_json (hand_spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = build_one (spec, NULL, "xylo-audio2", SQ_EXPORT_SAMNA_JSON, &error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) header = NULL, n0 = NULL, n1 = NULL;
  g_autoptr(GList) members = NULL;
  static const char * const order[] = { "synquant", "input", "reservoir", "readout",
                                        "synapse2_enable", "bias_enable" };
  guint i = 0;

  g_assert_no_error (error);
  root = parse_bytes (data);
  members = json_object_get_members (json_node_get_object (root));
  for (GList *l = members; l; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));

  header = object_at (root, "$.synquant");
  g_assert_cmpstr (json_object_get_string_member (header, "device"), ==, "xylo-audio2");
  g_assert_cmpstr (json_object_get_string_member (header, "chip"), ==, "SYNS61201");
  g_assert_cmpstr (json_object_get_string_member (header, "synquant_version"), ==,
                   PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (header, "source"), ==, "small.json");
  g_assert_cmpstr (json_object_get_string_member (header, "samna_module"), ==,
                   "samna.xyloCore2");

  g_assert_cmpint (int_at (root, "$.input.weights[1][0]"), ==, -128);
  g_assert_cmpint (int_at (root, "$.input.syn2_weights[1][2]"), ==, -2);
  g_assert_cmpint (int_at (root, "$.input.weight_bit_shift"), ==, 1);
  g_assert_cmpint (int_at (root, "$.reservoir.weights[2][0]"), ==, -1);
  g_assert_cmpint (int_at (root, "$.reservoir.syn2_weights[0][2]"), ==, -3);
  g_assert_cmpint (int_at (root, "$.reservoir.weight_bit_shift"), ==, 2);
  g_assert_cmpint (int_at (root, "$.readout.weights[2][0]"), ==, -7);
  g_assert_cmpint (int_at (root, "$.readout.weight_bit_shift"), ==, 3);
  g_assert_cmpint (int_at (root, "$.readout.neurons[0].threshold"), ==, -32768);
  g_assert_cmpint (int_at (root, "$.readout.neurons[0].v_mem_bias"), ==, 1);
  g_assert_cmpint (int_at (root, "$.readout.neurons[0].v_mem_decay"), ==, 4);

  /* Neuron 0: every register, in samna's names; the alias target only where there is one. */
  n0 = object_at (root, "$.reservoir.neurons[0]");
  g_assert_cmpint (json_object_get_int_member (n0, "i_syn_decay"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (n0, "i_syn2_decay"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (n0, "v_mem_decay"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (n0, "threshold"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (n0, "v_mem_bias"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (n0, "alias_target"), ==, 2);
  g_assert_cmpuint (json_object_get_size (n0), ==, 6);
  n1 = object_at (root, "$.reservoir.neurons[1]");
  g_assert_false (json_object_has_member (n1, "alias_target"));
  g_assert_cmpint (json_object_get_int_member (n1, "v_mem_bias"), ==, -2);

  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "bias_enable"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root),
                                                 "synapse2_enable"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   json_node_get_object (root), "reservoir"), "aliasing"));
}

/* IMU: `hidden` instead of `reservoir`, no second synapse; Audio 2 pads input columns beyond
 * the input expansion neurons and output rows before the output expansion neurons with zeros;
 * v1 has no biases. */
static void
test_samna_devices (void)
{
  g_autoptr(SqXyloSpec) spec = spec_from_json (
    "{\"weights_in\": [[1]], \"weights_rec\": [[0, 3], [-4, 0]], \"weights_out\": [[5]],"
    " \"dash_mem\": [1, 2], \"dash_mem_out\": [3], \"dash_syn\": [4, 5], \"dash_syn_out\": [6],"
    " \"threshold\": [7, 8], \"threshold_out\": [9]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) imu = build_one (spec, NULL, "xylo-imu", SQ_EXPORT_SAMNA_JSON, &error);
  g_autoptr(GBytes) a2 = NULL, v1 = NULL;
  g_autoptr(JsonNode) r_imu = NULL, r_a2 = NULL, r_v1 = NULL;
  g_autoptr(JsonObject) neuron = NULL;
  JsonObject *o;

  g_assert_no_error (error);
  r_imu = parse_bytes (imu);
  o = json_node_get_object (r_imu);
  g_assert_true (json_object_has_member (o, "hidden"));
  g_assert_false (json_object_has_member (o, "reservoir"));
  g_assert_false (json_object_has_member (o, "synapse2_enable"));
  g_assert_false (json_object_has_member (json_object_get_object_member (o, "input"),
                                          "syn2_weights"));
  g_assert_cmpint (json_object_get_int_member (o, "input_expansion_neurons"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "output_expansion_neurons"), ==, 1);
  g_assert_cmpint (int_at (r_imu, "$.hidden.weights[1][0]"), ==, -4);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (
    json_object_get_array_member (json_object_get_object_member (o, "input"), "weights"), 0)),
    ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "synquant"),
                                                  "samna_module"), ==, "samna.xyloImu");

  a2 = build_one (spec, NULL, "xylo-audio2", SQ_EXPORT_SAMNA_JSON, &error);
  g_assert_no_error (error);
  r_a2 = parse_bytes (a2);
  /* weights_in (1, 1) → input.weights (1, 2); weights_out (1, 1) → readout.weights (2, 1) */
  g_assert_cmpint (int_at (r_a2, "$.input.weights[0][0]"), ==, 1);
  g_assert_cmpint (int_at (r_a2, "$.input.weights[0][1]"), ==, 0);
  g_assert_cmpint (int_at (r_a2, "$.readout.weights[0][0]"), ==, 0);
  g_assert_cmpint (int_at (r_a2, "$.readout.weights[1][0]"), ==, 5);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (r_a2),
                                                  "synapse2_enable"));
  g_assert_cmpint (int_at (r_a2, "$.input.syn2_weights[0][0]"), ==, 0);

  v1 = build_one (spec, NULL, "xylo-v1", SQ_EXPORT_SAMNA_JSON, &error);
  g_assert_no_error (error);
  r_v1 = parse_bytes (v1);
  o = json_node_get_object (r_v1);
  g_assert_false (json_object_has_member (o, "bias_enable"));
  neuron = object_at (r_v1, "$.reservoir.neurons[0]");
  g_assert_false (json_object_has_member (neuron, "v_mem_bias"));
}

/* ---------------------------------------------------------------------------------------- */
/* Refusals: values are never wrapped, whatever the caller decided about the fit.           */

typedef struct {
  const char *device;
  const char *json;
  int         code;
  const char *where;
} Refusal;

#define NET(w_rec, thr, bias) \
  "{\"weights_in\": [[1, 2]], \"weights_rec\": " w_rec ", \"weights_out\": [[5], [6]]," \
  " \"dash_mem\": [1, 2], \"dash_mem_out\": [3], \"dash_syn\": [4, 5], \"dash_syn_out\": [6]," \
  " \"threshold\": " thr ", \"threshold_out\": [9], \"bias\": " bias ", \"bias_out\": [0]}"

static const Refusal refusals[] = {
  /* 200 would wrap to −56 in Rockpool's int8 cast */
  { "xylo-audio2", NET ("[[0, 3], [200, 0]]", "[7, 8]", "[0, 0]"),
    SQ_EXPORT_ERROR_RANGE, "weights_rec[1][0] is 200, outside XyloAudio 2's range -128…127" },
  { "xylo-audio2", NET ("[[0, 3], [-129, 0]]", "[7, 8]", "[0, 0]"),
    SQ_EXPORT_ERROR_RANGE, "weights_rec[1][0] is -129" },
  { "xylo-audio3", NET ("[[0, 3], [4, 0]]", "[7, 40000]", "[0, 0]"),
    SQ_EXPORT_ERROR_RANGE, "threshold[1] is 40000, outside XyloAudio 3's range -32768…32767" },
  { "xylo-audio2", NET ("[[0, 3], [4, 0]]", "[7, 8]", "[0, -32769]"),
    SQ_EXPORT_ERROR_RANGE, "bias[1] is -32769" },
  { "xylo-v1", NET ("[[0, 3], [4, 0]]", "[7, 8]", "[0, 1]"),
    SQ_EXPORT_ERROR_UNREPRESENTABLE, "bias[1] is 1, but Xylo v1 has no biases" },
  { "xylo-audio2", NET ("[[0, 3], [4.5, 0]]", "[7, 8]", "[0, 0]"),
    SQ_EXPORT_ERROR_NOT_INTEGER, "weights_rec[1][0] is 4.5, expected a whole number" },
  { "dynapcnn", NET ("[[0, 3], [4, 0]]", "[7, 8]", "[0, 0]"),
    SQ_EXPORT_ERROR_DEVICE, "not Xylo specifications" },
};

static void
test_refusal (gconstpointer data)
{
  const Refusal *r = data;
  g_autoptr(SqNetwork) network = sq_test_load_network (r->json, -1, "crafted.json");
  g_autofree char *dir = sq_test_tmpdir ();
  SqExportOptions options = { .source = "crafted.json" };

  for (guint f = 0; f < SQ_N_EXPORT_FORMATS; f++)
    {
      g_autofree char *path = g_build_filename (dir, "out", NULL);
      g_autoptr(GError) error = NULL;

      /* The C export refuses through the simulator's own checks (test-c-export); NIR holds
       * any number. */
      if (f == SQ_EXPORT_C_HEADER || f == SQ_EXPORT_NIR)
        continue;
      g_assert_false (sq_network_export (network, NULL, sq_device_profile_lookup (r->device),
                                         sq_export_format_to_string (f), path, &options,
                                         &error));
      g_assert_error (error, SQ_EXPORT_ERROR, r->code);
      g_assert_nonnull (strstr (error->message, r->where));
      if (r->code != SQ_EXPORT_ERROR_DEVICE)
        g_assert_true (g_str_has_prefix (error->message, "crafted.json: "));
      g_assert_cmpuint (count_entries (dir), ==, 0);
    }
  g_rmdir (dir);
}

/* A shift beyond 7, two synapses on IMU and a second alias target: the last two only where
 * the format has a fixed register layout (samna, RAM image). */
static void
test_refusal_structure (void)
{
  g_autoptr(SqXyloSpec) shift = spec_from_json (
    "{\"weights_in\": [[1]], \"weights_rec\": [[0]], \"weights_out\": [[5]],"
    " \"dash_mem\": [1], \"dash_mem_out\": [3], \"dash_syn\": [4], \"dash_syn_out\": [6],"
    " \"threshold\": [7], \"threshold_out\": [9], \"weight_shift_rec\": 8}");
  g_autoptr(SqXyloSpec) two = spec_from_json (
    "{\"weights_in\": [[[1, 2]]], \"weights_rec\": [[[0, 0]]], \"weights_out\": [[5]],"
    " \"dash_mem\": [1], \"dash_mem_out\": [3], \"dash_syn\": [4], \"dash_syn_2\": [4],"
    " \"dash_syn_out\": [6], \"threshold\": [7], \"threshold_out\": [9]}");
  g_autoptr(SqXyloSpec) alias = spec_from_json (
    "{\"weights_in\": [[1, 1]], \"weights_rec\": [[0, 0], [0, 0]], \"weights_out\": [[5], [5]],"
    " \"dash_mem\": [1, 1], \"dash_mem_out\": [3], \"dash_syn\": [4, 4], \"dash_syn_out\": [6],"
    " \"threshold\": [7, 7], \"threshold_out\": [9], \"aliases\": [[1, 0], []]}");
  const SqDeviceProfile *imu = sq_device_profile_lookup ("xylo-imu");
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;

  files = sq_export_build (shift, NULL, a2, SQ_EXPORT_ROCKPOOL_NPZ, "x", NULL, &error);
  g_assert_null (files);
  g_assert_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "weight_shift_rec is 8, outside XyloAudio 2's "
                                            "range 0…7"));
  g_clear_error (&error);

  for (guint f = SQ_EXPORT_SAMNA_JSON; f <= SQ_EXPORT_XYLO_RAM; f++)
    {
      files = sq_export_build (two, NULL, imu, f, "x", NULL, &error);
      g_assert_null (files);
      g_assert_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE);
      g_assert_nonnull (strstr (error->message, "2 synapses per hidden neuron, but XyloIMU"));
      g_clear_error (&error);

      files = sq_export_build (alias, NULL, a2, f, "x", NULL, &error);
      g_assert_null (files);
      g_assert_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE);
      g_assert_nonnull (strstr (error->message, "aliases[0] has 2 targets"));
      g_clear_error (&error);
    }

  /* Rockpool's own formats carry both (Rockpool then decides; sq_device_check reports it). */
  files = sq_export_build (two, NULL, imu, SQ_EXPORT_ROCKPOOL_JSON, "x", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&files, g_ptr_array_unref);
  files = sq_export_build (alias, NULL, a2, SQ_EXPORT_ROCKPOOL_JSON, "x", NULL, &error);
  g_assert_no_error (error);
}

/* The header and, when asked, its companion source: the C export's own text, with the
 * prefix the header's name suggests and the source including the header by name. */
static void
test_c_header (void)
{
  g_autoptr(SqQuantResult) q = quantize_small ();
  const SqDeviceProfile *device = sq_device_profile_lookup ("xylo-audio2");
  SqExportOptions options = { .c_source_path = "out/small-net.c" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = sq_export_build (q->spec, q, device, SQ_EXPORT_C_HEADER,
                                                "out/Small-Net.h", &options, &error);
  g_autofree char *h = sq_xylo_spec_to_c_header (q->spec, q, device, "small_net", &error);
  g_autofree char *c = sq_xylo_spec_to_c_source (q->spec, q, device, "small_net",
                                                 "Small-Net.h", &error);
  const SqExportFile *fh, *fc;

  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  fh = g_ptr_array_index (files, 0);
  fc = g_ptr_array_index (files, 1);
  g_assert_cmpstr (fh->path, ==, "out/Small-Net.h");
  g_assert_cmpstr (fc->path, ==, "out/small-net.c");
  g_assert_cmpmem (g_bytes_get_data (fh->data, NULL), g_bytes_get_size (fh->data), h, strlen (h));
  g_assert_cmpmem (g_bytes_get_data (fc->data, NULL), g_bytes_get_size (fc->data), c, strlen (c));
  g_assert_nonnull (strstr (c, "#include \"Small-Net.h\""));

  /* A name that starts with a digit still gives a C identifier. */
  g_clear_pointer (&files, g_ptr_array_unref);
  files = sq_export_build (q->spec, q, device, SQ_EXPORT_C_HEADER, "7.h", NULL, &error);
  g_assert_no_error (error);
  fh = g_ptr_array_index (files, 0);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (fh->data, NULL), g_bytes_get_size (fh->data),
                                  "net_7_reset"));
}

/* ---------------------------------------------------------------------------------------- */
/* Atomicity                                                                                */

static void
test_atomic_read_only (void)
{
  g_autoptr(SqNetwork) network = sq_test_load_network (hand_spec, -1, "crafted.json");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
  g_autofree char *out = g_build_filename (ro, "out.json", NULL);
  g_autofree char *probe = g_build_filename (ro, "probe", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (ro, 0700), ==, 0);
  g_assert_true (g_file_set_contents (out, "old", -1, NULL));
  g_assert_cmpint (g_chmod (ro, 0500), ==, 0);
  /* Root (CAP_DAC_OVERRIDE) writes into read-only directories anyway. */
  if (g_file_set_contents (probe, "", 0, NULL))
    {
      g_chmod (ro, 0700);
      sq_test_remove_tree (dir);
      g_test_skip ("a read-only directory is writable here (running as root?)");
      return;
    }
  g_assert_false (sq_network_export (network, NULL, sq_device_profile_lookup ("xylo-audio2"),
                                     "samna-json", out, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
  g_assert_nonnull (strstr (error->message, "out.json"));
  text = read_text (out);
  g_assert_cmpstr (text, ==, "old");
  g_assert_cmpuint (count_entries (ro), ==, 1);
  g_chmod (ro, 0700);
  sq_test_remove_tree (dir);
}

/* One RAM file cannot be written (a folder stands in its place): none of the others is
 * replaced, no temporary is left, and files that are not the export's stay. */
static void
test_atomic_ram (void)
{
  g_autoptr(SqNetwork) network = sq_test_load_network (hand_spec, -1, "crafted.json");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *iwt = g_build_filename (dir, "iwtram.ini", NULL);
  g_autofree char *rfo = g_build_filename (dir, "rforam.ini", NULL);
  g_autofree char *mine = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");

  g_assert_true (g_file_set_contents (iwt, "old", -1, NULL));
  g_assert_true (g_file_set_contents (mine, "mine", -1, NULL));
  g_assert_cmpint (g_mkdir (rfo, 0700), ==, 0);

  g_assert_false (sq_network_export (network, NULL, a2, "xylo-ram", dir, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_assert_nonnull (strstr (error->message, "rforam.ini"));
  g_clear_error (&error);
  text = read_text (iwt);
  g_assert_cmpstr (text, ==, "old");
  g_assert_cmpuint (count_entries (dir), ==, 3);

  /* Once the way is clear the whole set is written, and notes.txt is left alone. */
  g_assert_cmpint (g_rmdir (rfo), ==, 0);
  g_assert_true (sq_network_export (network, NULL, a2, "xylo-ram", dir, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 16);
  g_clear_pointer (&text, g_free);
  text = read_text (iwt);
  g_assert_cmpstr (text, ==, "// iwt for IN0\n01\n00\n05\n// iwt for IN1\n80\n00\n7f\n");
  g_clear_pointer (&text, g_free);
  text = read_text (mine);
  g_assert_cmpstr (text, ==, "mine");
  sq_test_remove_tree (dir);
}

/* A RAM folder that the export had to create is removed again when the export fails. */
static void
test_atomic_ram_new_folder (void)
{
  g_autoptr(SqNetwork) network = sq_test_load_network (hand_spec, -1, "crafted.json");
  g_autoptr(GError) error = NULL;

  /* /proc refuses new folders for everyone, root included. */
  g_assert_false (sq_network_export (network, NULL, sq_device_profile_lookup ("xylo-audio2"),
                                     "xylo-ram", "/proc/sq-export-test/ram", NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
  g_assert_nonnull (strstr (error->message, "/proc/sq-export-test/ram"));
  g_assert_false (g_file_test ("/proc/sq-export-test", G_FILE_TEST_EXISTS));
}

/* The one rule for folders: an export makes no missing parent folder; xylo-ram makes its own
 * folder only, and refuses a file where its folder goes. */
static void
test_atomic_ram_parents (void)
{
  g_autoptr(SqNetwork) network = sq_test_load_network (hand_spec, -1, "crafted.json");
  const SqDeviceProfile *a2 = sq_device_profile_lookup ("xylo-audio2");
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *parent = g_build_filename (dir, "missing", NULL);
  g_autofree char *ram = g_build_filename (parent, "ram", NULL);
  g_autofree char *json = g_build_filename (parent, "out.json", NULL);
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (sq_network_export (network, NULL, a2, "xylo-ram", ram, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, ram));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);
  g_assert_false (sq_network_export (network, NULL, a2, "samna-json", json, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, json));
  g_clear_error (&error);
  g_assert_false (g_file_test (parent, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (file, "mine", -1, NULL));
  g_assert_false (sq_network_export (network, NULL, a2, "xylo-ram", file, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  g_assert_nonnull (strstr (error->message, file));
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_assert_cmpint (g_mkdir (parent, 0700), ==, 0);
  g_assert_true (sq_network_export (network, NULL, a2, "xylo-ram", ram, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (ram), ==, 15);
  sq_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/format/names", test_format_names);
  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *name = g_strdup_printf ("/export/golden/%s/%s", goldens[i].device,
                                               sq_export_format_to_string (goldens[i].format));

      g_test_add_data_func (name, &goldens[i], test_golden);
    }
  g_test_add_data_func ("/export/reimport/rockpool-json",
                        GINT_TO_POINTER (SQ_EXPORT_ROCKPOOL_JSON), test_reimport);
  g_test_add_data_func ("/export/reimport/rockpool-npz",
                        GINT_TO_POINTER (SQ_EXPORT_ROCKPOOL_NPZ), test_reimport);
  g_test_add_func ("/export/rockpool/shapes", test_rockpool_shapes);
  g_test_add_func ("/export/deterministic", test_deterministic);
  g_test_add_func ("/export/xylo-ram/hand", test_ram_hand);
  g_test_add_func ("/export/xylo-ram/imu", test_ram_imu);
  g_test_add_func ("/export/samna-json/hand", test_samna_hand);
  g_test_add_func ("/export/samna-json/devices", test_samna_devices);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strdup_printf ("/export/refusal/%u", i);

      g_test_add_data_func (name, &refusals[i], test_refusal);
    }
  g_test_add_func ("/export/refusal/structure", test_refusal_structure);
  g_test_add_func ("/export/c-header", test_c_header);
  g_test_add_func ("/export/atomic/read-only", test_atomic_read_only);
  g_test_add_func ("/export/atomic/xylo-ram", test_atomic_ram);
  g_test_add_func ("/export/atomic/xylo-ram-new-folder", test_atomic_ram_new_folder);
  g_test_add_func ("/export/atomic/parents", test_atomic_ram_parents);

  return g_test_run ();
}
