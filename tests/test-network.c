/* test-network.c: the network model (sq-network*.h) — every generic verb on the Xylo kind
 * gives bit for bit what the direct calls give (quantized integers and figures, group
 * views, error histograms, simulation rasters and agreement, checks, export and save
 * bytes) on the bundled examples and tests/data specifications; settings; loading by
 * extension and content; and a second, toy kind (sq-test-toy.c) driven only through the
 * generic API.
 *
 * One program for one module, so longer than most: the Xylo comparisons, then the toy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sq-test-toy.h"
#include "sq-test-utils.h"

static char *tmpdir;

static const SqNetworkKind *
xylo (void)
{
  return sq_network_kind_lookup ("xylo");
}

static SqNetwork *
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  SqNetwork *n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static SqXyloSpec *
load_spec (const char *path)
{
  g_autoptr(GError) error = NULL;
  SqXyloSpec *spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return spec;
}

/* Bit for bit, NaN included. */
#define assert_same_double(a, b) \
  G_STMT_START { double _a = (a), _b = (b); g_assert_cmpmem (&_a, sizeof _a, &_b, sizeof _b); } \
  G_STMT_END

/* The specifications every verb is compared on: the examples, tests/data, and the
 * specifications inside the quantizer's and simulator's conformance cases (written to
 * tmpdir), each with the settings to quantize it with (NULL: every variant). */
typedef struct {
  char       *path;
  JsonObject *params;
} Input;

static void
input_clear (gpointer data)
{
  Input *in = data;

  g_free (in->path);
  g_clear_pointer (&in->params, json_object_unref);
}

static GArray *
inputs (void)
{
  static const char * const plain[][2] = {
    { "cli", "exact.json" }, { "cli", "unknown-key.json" }, { "valid", "imu-2d.json" },
    { "valid", "integer.json" }, { "valid", "float-whole.json" }, { "valid", "bom.json" },
    { "npz", "small.npz" }, { "export", "small.json" },
  };
  GArray *list = g_array_new (FALSE, TRUE, sizeof (Input));
  g_autoptr(GPtrArray) cases = sq_test_list_data ("data/quantize", "quantize-", ".json");
  g_autoptr(GPtrArray) sims = sq_test_list_data ("data/xylo-sim", "xylo-sim-", ".json");
  Input in = { g_strdup (g_getenv ("SQ_EXAMPLE_SMALL")), NULL };

  g_array_set_clear_func (list, input_clear);
  g_assert_nonnull (in.path);
  g_array_append_val (list, in);
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      Input p = { sq_test_data_path ("data", plain[i][0], plain[i][1], NULL), NULL };

      g_array_append_val (list, p);
    }
  /* Every conformance case of the quantizer (Rockpool's defects), a few of the simulator. */
  for (guint i = 0; i < cases->len + MIN (sims->len, 4); i++)
    {
      const char *path = i < cases->len ? g_ptr_array_index (cases, i)
                                        : g_ptr_array_index (sims, i - cases->len);
      g_autoptr(JsonNode) root = sq_test_parse_file (path);
      JsonObject *o = json_node_get_object (root);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *text = sq_test_node_to_string (json_object_get_member (o, "spec"));
      Input p = { g_build_filename (tmpdir, base, NULL), NULL };

      g_assert_true (g_file_set_contents (p.path, text, -1, NULL));
      if (i < cases->len)
        p.params = json_object_ref (o);
      g_array_append_val (list, p);
    }
  return list;
}

/* The settings a conformance case names, or NULL. */
static gboolean
case_settings (const Input     *in,
               SqQuantSettings *s)
{
  g_autoptr(GError) error = NULL;

  sq_quant_settings_init (s, xylo ());
  if (in->params == NULL)
    return FALSE;
  g_assert_true (sq_quant_settings_set_string (s, "method",
                                               json_object_get_string_member (in->params,
                                                                              "method"),
                                               &error));
  g_assert_true (sq_quant_settings_set_string (s, "mode",
                                               json_object_get_string_member (in->params,
                                                                              "mode"),
                                               &error));
  g_assert_true (sq_quant_settings_set (s, "fuzzy",
                                        json_object_get_boolean_member (in->params, "fuzzy"),
                                        &error));
  g_assert_true (sq_quant_settings_set (s, "weight-bits",
                                        (int) json_object_get_int_member (in->params,
                                                                          "weight_bits"),
                                        &error));
  g_assert_true (sq_quant_settings_set (s, "threshold-bits",
                                        (int) json_object_get_int_member (in->params,
                                                                          "threshold_bits"),
                                        &error));
  g_assert_no_error (error);
  return TRUE;
}

/* The quantization the CLI and the window made themselves. */
static SqQuantResult *
direct_quantize (const SqXyloSpec      *spec,
                 const SqQuantSettings *s)
{
  g_autoptr(GError) error = NULL;
  SqQuantResult *q;
  SqQuantParams p;

  sq_test_settings_to_params (s, &p);
  q = sq_quantize (spec, &p, &error);
  g_assert_no_error (error);
  return q;
}

/* ---------------------------------------------------------------------------------------- */
/* Registry and settings                                                                     */

static void
test_registry (void)
{
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GPtrArray) devices = sq_network_kind_devices (xylo ());
  g_autofree char *formats = sq_network_kind_format_names (xylo ());
  g_autofree char *all = NULL;
  g_autofree char *device_names = sq_network_kind_device_names (xylo ());
  g_autoptr(GError) error = NULL;

  sq_test_toy_register ();
  sq_test_toy_register ();
  kinds = sq_network_kinds ();
  /* Xylo, DynapCNN, then fixed point are built in; the toy follows. */
  g_assert_cmpuint (kinds->len, ==, 4);
  g_assert_true (g_ptr_array_index (kinds, 0) == xylo ());
  g_assert_cmpstr (((const SqNetworkKind *) g_ptr_array_index (kinds, 1))->name, ==,
                   "dynapcnn");
  g_assert_cmpstr (((const SqNetworkKind *) g_ptr_array_index (kinds, 2))->name, ==, "fxp");
  g_assert_true (g_ptr_array_index (kinds, 3) == &sq_test_toy_kind);
  g_assert_true (sq_network_kind_lookup ("toy") == &sq_test_toy_kind);
  g_assert_true (sq_network_kind_lookup ("dynapcnn") == g_ptr_array_index (kinds, 1));
  g_assert_null (sq_network_kind_lookup ("speck"));

  g_assert_true (sq_network_kind_for_path ("a.TOY", NULL, &error) == &sq_test_toy_kind);
  g_assert_true (sq_network_kind_for_path ("a.json", NULL, &error) == xylo ());
  g_assert_true (sq_network_kind_for_path ("a.nir", NULL, &error) == xylo ());
  /* A name no kind claims and a file that cannot be read: the first kind says why. */
  g_assert_true (sq_network_kind_for_path ("/nonexistent/x", NULL, &error) == xylo ());
  g_assert_no_error (error);

  /* Formats and devices as the CLI has listed them. */
  g_assert_cmpstr (formats, ==, "rockpool-json, rockpool-npz, samna-json, xylo-ram, c-header, nir");
  all = sq_network_kind_format_names (NULL);
  g_assert_cmpstr (all, ==, "rockpool-json, rockpool-npz, samna-json, xylo-ram, c-header, nir, "
                            "dynapcnn-json, dynapcnn-layers, mcu-c, toy-text");
  g_assert_true (sq_network_kind_format (xylo (), "c-header")->has_companion);
  g_assert_false (sq_network_kind_format (xylo (), "samna-json")->has_companion);
  g_assert_true (sq_network_kind_format (xylo (), "xylo-ram")->is_directory);
  g_assert_null (sq_network_kind_format (xylo (), "toy-text"));
  g_assert_cmpuint (devices->len, ==, 4);
  g_assert_cmpstr (((SqDeviceProfile *) g_ptr_array_index (devices, 0))->name, ==,
                   "xylo-audio2");
  g_assert_cmpstr (device_names, ==, "xylo-audio2, xylo-imu, xylo-audio3 or xylo-v1");
  g_assert_true (sq_network_kind_device (xylo (), "xylo-v1") ==
                 sq_device_profile_lookup ("xylo-v1"));
  g_assert_null (sq_network_kind_device (xylo (), "dynapcnn"));
  g_assert_nonnull (sq_network_kind_device (&sq_test_toy_kind, "dynapcnn"));

  g_assert_cmpstr (sq_role_label (xylo (), SQ_ROLE_DECAY), ==, "Dashes");
  g_assert_cmpstr (sq_role_label (&sq_test_toy_kind, SQ_ROLE_DECAY), ==, "Decays");
  g_assert_cmpstr (sq_role_label (xylo (), SQ_ROLE_WEIGHTS), ==, "Weights");
  g_assert_cmpstr (sq_role_to_string (SQ_ROLE_THRESHOLD), ==, "threshold");
}

static void
assert_setting_error (SqQuantSettings *s,
                      const char      *id,
                      const char      *text,
                      const char      *message)
{
  g_autoptr(GError) error = NULL;
  SqQuantSettings before = *s;

  g_assert_false (sq_quant_settings_set_string (s, id, text, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_true (sq_quant_settings_equal (s, &before));
}

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SqQuantSettings s, t;
  SqQuantParams p;

  sq_quant_settings_init (&s, xylo ());
  text = sq_quant_settings_to_string (&s);
  g_assert_cmpstr (text, ==, "method=global fuzzy=false mode=synquant weight-bits=8 "
                             "threshold-bits=16 weight-shift=0");
  /* The defaults are the quantizer's. */
  sq_test_settings_to_params (&s, &p);
  {
    SqQuantParams d;

    sq_quant_params_init (&d);
    g_assert_cmpmem (&p, sizeof p, &d, sizeof d);
  }

  g_assert_true (sq_quant_settings_set_string (&s, "method", "per-channel", &error));
  g_assert_cmpint (sq_quant_settings_get (&s, "method"), ==, SQ_METHOD_CHANNEL);
  g_assert_true (sq_quant_settings_set_string (&s, "fuzzy", "yes", &error));
  g_assert_true (sq_quant_settings_set_string (&s, "mode", "rockpool", &error));
  g_assert_true (sq_quant_settings_set_string (&s, "weight-bits", "16", &error));
  g_assert_true (sq_quant_settings_set_string (&s, "threshold-bits", "2", &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = sq_quant_settings_to_string (&s);
  g_assert_cmpstr (text, ==, "method=channel fuzzy=true mode=rockpool weight-bits=16 "
                             "threshold-bits=2 weight-shift=0");
  g_clear_pointer (&text, g_free);
  /* In the window's words: the options' and choices' labels. */
  text = sq_quant_settings_describe (&s);
  g_assert_cmpstr (text, ==, "Method: Per channel, Fuzzy: on, Mode: Rockpool-compatible, "
                             "Weight bits: 16, Threshold bits: 2, Weight shift: 0");

  /* Word for word the messages synquant-cli has given. */
  assert_setting_error (&s, "method", "foo", "unknown method “foo”; use global or channel");
  assert_setting_error (&s, "mode", "x", "unknown mode “x”; use synquant or rockpool");
  assert_setting_error (&s, "weight-bits", "1", "weight bits must be from 2 to 16, not 1");
  assert_setting_error (&s, "weight-bits", "8x", "weight bits must be from 2 to 16, not 8x");
  assert_setting_error (&s, "threshold-bits", "25",
                        "threshold bits must be from 2 to 24, not 25");
  assert_setting_error (&s, "weight-shift", "8", "the weight shift must be auto or from 0 to 7, "
                                                 "not 8");
  assert_setting_error (&s, "weight-shift", "-1", "the weight shift must be auto or from 0 to "
                                                  "7, not -1");
  assert_setting_error (&s, "fuzzy", "maybe", "fuzzy is “maybe”; use true or false");
  assert_setting_error (&s, "bits", "3", "Xylo specification: no setting “bits”; use method, "
                        "fuzzy, mode, weight-bits, threshold-bits or weight-shift");
  g_assert_false (sq_quant_settings_set (&s, "weight-bits", 17, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_assert_cmpstr (error->message, ==, "weight bits must be from 2 to 16, not 17");
  g_clear_error (&error);
  g_assert_false (sq_quant_settings_set (&s, "method", 2, &error));
  g_clear_error (&error);

  /* auto is the special value -1; the rules across options are the quantizer's. */
  g_assert_true (sq_quant_settings_set_string (&s, "weight-shift", "auto", &error));
  g_assert_cmpint (sq_quant_settings_get (&s, "weight-shift"), ==, SQ_WEIGHT_SHIFT_AUTO);
  g_clear_pointer (&text, g_free);
  text = sq_quant_settings_get_string (&s, "weight-shift");
  g_assert_cmpstr (text, ==, "auto");
  sq_test_settings_to_params (&s, &p);
  {
    g_autoptr(GError) expected = NULL;

    g_assert_false (sq_quant_params_check (&p, &expected));
    g_assert_false (sq_quant_settings_check (&s, &error));
    g_assert_cmpstr (error->message, ==, expected->message);
    g_clear_error (&error);
  }
  {
    g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_SMALL"));

    g_assert_null (sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error));
    g_assert_error (error, SQ_QUANT_ERROR, SQ_QUANT_ERROR_INVALID_PARAMS);
    g_clear_error (&error);
  }

  t = s;
  g_assert_true (sq_quant_settings_equal (&s, &t));
  g_assert_true (sq_quant_settings_set (&t, "weight-shift", 3, &error));
  g_assert_false (sq_quant_settings_equal (&s, &t));
}

static void
test_variants (void)
{
  SqQuantSettings base;
  g_autoptr(GArray) v = NULL;
  g_autoptr(GError) error = NULL;

  sq_quant_settings_init (&base, xylo ());
  g_assert_true (sq_quant_settings_set (&base, "weight-bits", 4, &error));
  v = sq_quant_settings_variants (&base);
  /* compare's rows: method outermost, then fuzzy, then mode. */
  g_assert_cmpuint (v->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      const SqQuantSettings *s = &g_array_index (v, SqQuantSettings, i);

      g_assert_cmpint (sq_quant_settings_get (s, "method"), ==, (int) (i / 4));
      g_assert_cmpint (sq_quant_settings_get (s, "fuzzy"), ==, (int) (i / 2 % 2));
      g_assert_cmpint (sq_quant_settings_get (s, "mode"), ==, (int) (i % 2));
      g_assert_cmpint (sq_quant_settings_get (s, "weight-bits"), ==, 4);
      g_assert_cmpint (sq_quant_settings_get (s, "threshold-bits"), ==, 16);
    }
  g_clear_pointer (&v, g_array_unref);
  sq_quant_settings_init (&base, &sq_test_toy_kind);
  v = sq_quant_settings_variants (&base);
  g_assert_cmpuint (v->len, ==, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Loading                                                                                   */

static void
assert_groups (const SqNetwork  *n,
               const SqXyloSpec *spec)
{
  static const SqParam order[] = {
    SQ_PARAM_WEIGHTS_IN, SQ_PARAM_WEIGHTS_REC, SQ_PARAM_WEIGHTS_OUT, SQ_PARAM_THRESHOLD,
    SQ_PARAM_THRESHOLD_OUT, SQ_PARAM_BIAS, SQ_PARAM_BIAS_OUT, SQ_PARAM_DASH_MEM,
    SQ_PARAM_DASH_SYN, SQ_PARAM_DASH_SYN_2, SQ_PARAM_DASH_MEM_OUT, SQ_PARAM_DASH_SYN_OUT,
  };
  g_autoptr(GPtrArray) diags = sq_xylo_spec_diagnose (spec);
  guint g = 0;

  g_assert_true (n->kind == xylo ());
  g_assert_cmpuint (sq_network_n_layers (n), ==, 2);
  g_assert_cmpstr (sq_network_get_layer (n, 0)->id, ==, "hidden");
  g_assert_cmpstr (sq_network_get_layer (n, 1)->label, ==, "Output layer");
  g_assert_cmpuint (n->n_inputs, ==, spec->n_in);
  g_assert_cmpuint (n->n_outputs, ==, spec->n_out);
  g_assert_cmpint (n->is_integer, ==, sq_xylo_spec_is_integer (spec));
  g_assert_cmpstr (n->source, ==, spec->source);
  /* The window's order; only the arrays the specification has. */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const SqGroup *group;
      SqStats st;

      if (!sq_tensor_is_present (&spec->param[order[i]]))
        continue;
      group = sq_network_get_group (n, g);
      g_assert_cmpstr (group->id, ==, sq_param_name (order[i]));
      g_assert_cmpint (group->native, ==, order[i]);
      g_assert_cmpuint (group->layer, ==, sq_param_is_output (order[i]));
      g_assert_cmpint (group->role == SQ_ROLE_WEIGHTS, ==, sq_param_is_weights (order[i]));
      g_assert_cmpint (group->role == SQ_ROLE_DECAY, ==, sq_param_is_dash (order[i]));
      g_assert_cmpint (group->scale == NULL, ==, sq_param_is_dash (order[i]));
      g_assert_true (sq_test_tensor_equal (group->values, &spec->param[order[i]]));
      sq_tensor_stats (&spec->param[order[i]], &st);
      g_assert_cmpmem (sq_network_group_stats (n, g), sizeof st, &st, sizeof st);
      g_assert_true (sq_network_find_group (n, group->id, NULL));
      g++;
    }
  g_assert_cmpuint (sq_network_n_groups (n), ==, g);
  g_assert_cmpstr (sq_network_get_group (n, sq_network_default_group (n))->id, ==,
                   "weights_rec");

  g_assert_cmpuint (n->warnings->len, ==, spec->warnings->len);
  for (guint i = 0; i < spec->warnings->len; i++)
    g_assert_cmpstr (g_ptr_array_index (n->warnings, i), ==,
                     g_ptr_array_index (spec->warnings, i));
  /* Diagnostics name groups, not SqParams. */
  g_assert_cmpuint (n->diagnostics->len, ==, diags->len);
  for (guint i = 0; i < diags->len; i++)
    {
      const SqDiagnostic *a = g_ptr_array_index (diags, i), *b = g_ptr_array_index (n->diagnostics,
                                                                                     i);

      g_assert_cmpstr (b->message, ==, a->message);
      g_assert_cmpint (b->kind, ==, a->kind);
      g_assert_cmpuint (b->count, ==, a->count);
      g_assert_cmpint (b->param < 0 ? -1 : sq_network_get_group (n, (guint) b->param)->native,
                       ==, a->param);
    }
}

static void
test_load (void)
{
  g_autoptr(GArray) list = inputs ();
  g_autofree char *noext = g_build_filename (tmpdir, "small-archive", NULL);
  g_autofree char *npz = sq_test_data_path ("data", "npz", "small.npz", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  for (guint i = 0; i < list->len; i++)
    {
      const Input *in = &g_array_index (list, Input, i);
      g_autoptr(SqNetwork) n = load (in->path);
      g_autoptr(SqXyloSpec) spec = load_spec (in->path);

      assert_groups (n, spec);
      g_assert_cmpstr (n->path, ==, in->path);
    }

  /* A NumPy archive of another name is recognised by its content. */
  g_assert_true (g_file_get_contents (npz, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (noext, contents, (gssize) length, NULL));
  {
    g_autoptr(SqNetwork) n = load (noext);
    g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_npz (npz, NULL);

    g_assert_true (sq_network_kind_for_path (noext, NULL, NULL) == xylo ());
    g_assert_true (sq_test_tensor_equal (sq_network_get_group (n, 0)->values,
                                         &spec->param[SQ_PARAM_WEIGHTS_IN]));
  }

  /* Errors are the loader's own. */
  {
    g_autoptr(GError) error = NULL, expected = NULL;
    g_autofree char *missing = g_build_filename (tmpdir, "missing.json", NULL);

    g_assert_null (sq_xylo_spec_load_file (missing, NULL, NULL, NULL, &expected));
    g_assert_null (sq_network_load (missing, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, expected->domain, expected->code);
    g_assert_cmpstr (error->message, ==, expected->message);
  }
  /* A kind asked for reads the file as its own. */
  {
    SqLoadOptions options = { { 0, }, FALSE, &sq_test_toy_kind };
    g_autoptr(GError) error = NULL;

    g_assert_null (sq_network_load (g_getenv ("SQ_EXAMPLE_SMALL"), &options, NULL, NULL, NULL,
                                    &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
}

static void
test_load_nir (void)
{
  g_autofree char *path = sq_test_data_path ("data", "nir", "braille_noDelay_bias_zero.nir", NULL);
  g_autofree char *written = g_build_filename (tmpdir, "small-q.nir", NULL);
  SqLoadOptions options = { { 1e-3, SQ_NIR_RESET_SUBTRACT }, TRUE, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) n = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without HDF5 (-Dnir=disabled)");
      return;
    }

  /* A graph from another tool needs a time step. */
  g_assert_null (sq_network_load (path, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT);
  g_clear_error (&error);

  n = sq_network_load (path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  spec = sq_xylo_spec_load_nir (path, &options.nir, &notes, &error);
  g_assert_no_error (error);
  assert_groups (n, spec);
  g_assert_cmpuint (n->notes->len, ==, notes->len);
  g_assert_cmpuint (n->notes->len, >, 0);
  for (guint i = 0; i < notes->len; i++)
    g_assert_cmpstr (g_ptr_array_index (n->notes, i), ==, g_ptr_array_index (notes, i));

  /* What Synquant writes loads without one. */
  {
    g_autoptr(SqNetwork) small = load (g_getenv ("SQ_EXAMPLE_SMALL"));
    g_autoptr(SqNetworkResult) r = NULL;
    g_autoptr(SqNetwork) back = NULL;
    SqQuantSettings s;

    sq_quant_settings_init (&s, xylo ());
    r = sq_network_quantize (small, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (sq_network_save (r, written, &error));
    g_assert_no_error (error);
    back = load (written);
    g_assert_true (back->is_integer);
    for (guint g = 0; g < sq_network_n_groups (back); g++)
      g_assert_true (sq_test_tensor_equal (sq_network_get_group (back, g)->values,
                                           sq_network_get_group (r->quantized, g)->values));
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Quantization                                                                              */

static void
assert_figures (const SqQuantFigures *f,
                const SqGroupReport  *r)
{
  g_assert_cmpuint (f->n_values, ==, r->n_weights);
  g_assert_cmpuint (f->clipped, ==, r->clipped);
  g_assert_cmpuint (f->out_of_range, ==, r->out_of_range);
  g_assert_cmpuint (f->zeroed, ==, r->zeroed);
  g_assert_cmpuint (f->n_nonzero, ==, r->n_nonzero);
  assert_same_double (f->signal, r->signal);
  assert_same_double (f->noise, r->noise);
  assert_same_double (f->max_abs_error, r->max_abs_error);
  assert_same_double (sq_quant_figures_sqnr_db (f), sq_group_report_sqnr_db (r));
  assert_same_double (sq_quant_figures_mse (f), sq_group_report_mse (r));
}

/* What the histogram of @p draws, from the direct calls on @q: the clip points of its layer
 * (@points) in its units (1 for weights, Θmax/Wmax for thresholds and biases, which share
 * the weight scale with more bits), the clip range of @q's method (under channel scaling the
 * widest neuron's; weights_rec with Rockpool's factor) and the grid of levels. Dashes have
 * no clip points: their range is 0…15 with levels as 5 bits. */
typedef struct {
  SqParam  param;
  double   global;
  double   fuzzy;
  double   channel_min;
  double   channel_max;
  gsize    n_channels;
  double  *channel;
  double   clip_lo;
  double   clip_hi;
  double   level_scale;
  guint    level_bits;
} View;

static void
view_init (View                *v,
           const SqQuantResult *q,
           const SqClipPoints  *points,
           SqParam              p)
{
  const SqQuantParams *params = &q->params;
  SqLayer layer = sq_param_layer (p);
  double unit, clip = NAN, scale = NAN;

  memset (v, 0, sizeof *v);
  v->param = p;
  if (sq_param_is_dash (p))
    {
      v->global = v->fuzzy = v->channel_min = v->channel_max = NAN;
      v->clip_hi = 15.0;
      v->level_scale = 1.0;
      v->level_bits = 5;
      return;
    }
  /* Thresholds and biases: more bits, and 2^shift more scale than the weights. */
  unit = sq_param_is_weights (p) ? 1.0 : sq_quant_threshold_max (params) /
                                         sq_quant_weight_max (params) /
                                         exp2 (q->weight_shift[layer]);
  v->level_bits = sq_param_is_weights (p) ? params->weight_bits : params->threshold_bits;
  v->global = points->global * unit;
  v->fuzzy = points->fuzzy * unit;
  v->channel_min = points->channel_min * unit;
  v->channel_max = points->channel_max * unit;
  v->n_channels = points->n_channels;
  v->channel = g_new (double, points->n_channels);
  for (gsize c = 0; c < points->n_channels; c++)
    v->channel[c] = points->channel[c] * unit;
  if (params->method == SQ_METHOD_CHANNEL)
    for (guint g = 0; g < q->groups->len; g++)
      {
        const SqGroupReport *r = sq_quant_result_get_group (q, g);

        if (r->layer == layer && r->range > 0.0 && isfinite (r->clip) &&
            (isnan (clip) || r->clip > clip))
          {
            clip = r->clip;
            scale = r->scale;
          }
      }
  else
    {
      clip = sq_quant_result_get_group (q, layer)->clip;
      scale = sq_quant_result_get_group (q, layer)->scale;
      if (p == SQ_PARAM_WEIGHTS_REC)
        {
          clip /= q->rec_scale_factor;
          scale *= q->rec_scale_factor;
        }
    }
  v->clip_hi = fabs (clip) * unit;
  v->clip_lo = -v->clip_hi;
  v->level_scale = fabs (scale) * (sq_param_is_weights (p) ? 1.0
                                                           : exp2 (q->weight_shift[layer]));
}

/* The markers are what sq-plots.c drew from the view: dashes' range, else the band of
 * per-channel clip points, the fuzzy and the global clip point where they are finite. */
static void
assert_markers (const SqGroupResult *gr,
                const View          *v)
{
  guint expected = 0;

  if (sq_param_is_dash (v->param))
    {
      const SqMarker *m = &g_array_index (gr->markers, SqMarker, 0);

      g_assert_cmpuint (gr->markers->len, ==, 1);
      g_assert_cmpstr (m->label, ==, "dash 15");
      g_assert_cmpfloat (m->lo, ==, 0.0);
      g_assert_cmpfloat (m->hi, ==, 15.0);
      g_assert_true (m->style == SQ_MARKER_LIMIT && !m->band);
      return;
    }
  for (guint i = 0; i < gr->markers->len; i++)
    {
      const SqMarker *m = &g_array_index (gr->markers, SqMarker, i);

      if (g_str_equal (m->label, "per channel"))
        {
          g_assert_true (m->band && m->mirrored && m->style == SQ_MARKER_TERTIARY);
          assert_same_double (m->lo, v->channel_min);
          assert_same_double (m->hi, v->channel_max);
        }
      else
        {
          double x = g_str_equal (m->label, "fuzzy") ? v->fuzzy : v->global;

          g_assert_true (!m->band && m->dashed == g_str_equal (m->label, "fuzzy"));
          g_assert_true (m->style == (m->dashed ? SQ_MARKER_SECONDARY : SQ_MARKER_PRIMARY));
          assert_same_double (m->hi, fabs (x));
          assert_same_double (m->lo, -fabs (x));
        }
    }
  expected = (v->n_channels > 0 && isfinite (v->channel_min) && isfinite (v->channel_max)) +
             isfinite (v->fuzzy) + isfinite (v->global);
  g_assert_cmpuint (gr->markers->len, ==, expected);
}

static void
assert_histograms_equal (const SqHistogram *a,
                         const SqHistogram *b)
{
  assert_same_double (a->lo, b->lo);
  assert_same_double (a->hi, b->hi);
  g_assert_cmpuint (a->n_bins, ==, b->n_bins);
  g_assert_cmpmem (a->counts, a->n_bins * sizeof (guint64), b->counts,
                   b->n_bins * sizeof (guint64));
  g_assert_cmpmem (a->edges, (a->n_bins + 1) * sizeof (double), b->edges,
                   (b->n_bins + 1) * sizeof (double));
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->below, ==, b->below);
  g_assert_cmpuint (a->above, ==, b->above);
}

/* Every group of @r against the direct calls on @q (@spec quantized). */
static void
assert_group_results (const SqNetworkResult *r,
                      const SqXyloSpec      *spec,
                      const SqQuantResult   *q)
{
  SqClipPoints points[SQ_N_LAYERS];

  for (guint l = 0; l < SQ_N_LAYERS; l++)
    g_assert_true (sq_clip_points_compute (spec, (SqLayer) l, &q->params, &points[l], NULL));
  for (guint g = 0; g < sq_network_n_groups (r->network); g++)
    {
      const SqGroup *group = sq_network_get_group (r->network, g);
      const SqGroupResult *gr = sq_network_result_get_group (r, g);
      SqParam p = (SqParam) group->native;
      gsize n = group->values->n;
      g_autofree double *e2 = g_new (double, n);
      g_autoptr(GError) error = NULL;
      SqHistogram h1, h2;
      SqStats s1, s2;
      View view;

      g_assert_cmpuint (gr->group, ==, g);
      g_assert_true (gr->values == sq_network_get_group (r->quantized, g)->values);
      g_assert_cmpmem (gr->values->data, n * sizeof (double), q->spec->param[p].data,
                       n * sizeof (double));

      view_init (&view, q, &points[sq_param_layer (p)], p);
      assert_same_double (gr->clip_lo, view.clip_lo);
      assert_same_double (gr->clip_hi, view.clip_hi);
      assert_same_double (gr->level_scale, view.level_scale);
      g_assert_cmpuint (gr->level_bits, ==, view.level_bits);
      g_assert_cmpuint (gr->n_channels, ==, view.n_channels);
      if (gr->n_channels > 0)
        g_assert_cmpmem (gr->channel_clip, gr->n_channels * sizeof (double), view.channel,
                         view.n_channels * sizeof (double));
      assert_markers (gr, &view);
      g_free (view.channel);

      /* The error histogram is the histogram of the group errors over its range. */
      g_assert_true (sq_network_result_group_errors (r, g, 0, n, e2, &error));
      g_assert_true (sq_network_result_error_histogram (r, g, 37, &h2, &s2, &error));
      g_assert_no_error (error);
      g_assert_true (sq_histogram_init (&h1, h2.lo, h2.hi, 37, NULL));
      sq_histogram_add (&h1, e2, n);
      sq_stats_init (&s1);
      sq_stats_add (&s1, e2, n);
      assert_histograms_equal (&h1, &h2);
      g_assert_cmpmem (&s1, sizeof s1, &s2, sizeof s2);
      sq_histogram_clear (&h1);
      sq_histogram_clear (&h2);
    }
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    sq_clip_points_clear (&points[l]);
}

/* @r's mode, figures, diagnostics and summary are @full's. */
static void
assert_same_figures (const SqNetworkResult *r,
                     const SqNetworkResult *full)
{
  gsize layers = full->network->layers->len * sizeof (SqLayerResult);
  g_autofree char *summary = sq_network_result_summary (r);
  g_autofree char *expected = sq_network_result_summary (full);

  g_assert_cmpstr (r->mode_used, ==, full->mode_used);
  g_assert_cmpuint (r->network->layers->len, ==, full->network->layers->len);
  g_assert_cmpmem (r->layers, layers, full->layers, layers);
  g_assert_cmpmem (&r->total, sizeof r->total, &full->total, sizeof full->total);
  g_assert_cmpint (r->in_range, ==, full->in_range);
  g_assert_cmpuint (r->diagnostics->len, ==, full->diagnostics->len);
  for (guint i = 0; i < r->diagnostics->len; i++)
    g_assert_cmpstr (((const SqDiagnostic *) g_ptr_array_index (r->diagnostics, i))->message,
                     ==,
                     ((const SqDiagnostic *) g_ptr_array_index (full->diagnostics, i))->message);
  g_assert_cmpuint (r->groups->len, ==, full->groups->len);
  g_assert_cmpstr (summary, ==, expected);
}

/* Without SQ_QUANTIZE_MARKERS, the same result less the markers and channel clip points. */
static void
assert_default_result (SqNetwork             *n,
                       const SqQuantSettings *s,
                       const SqNetworkResult *full)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetworkResult) r = sq_network_quantize (n, s, SQ_QUANTIZE_DEFAULT, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (r->flags, ==, SQ_QUANTIZE_DEFAULT);
  g_assert_cmpint (full->flags, ==, SQ_QUANTIZE_MARKERS);
  assert_same_figures (r, full);
  for (guint g = 0; g < r->groups->len; g++)
    {
      const SqGroupResult *a = sq_network_result_get_group (r, g);
      const SqGroupResult *b = sq_network_result_get_group (full, g);

      g_assert_cmpuint (a->group, ==, b->group);
      g_assert_cmpmem (a->values->data, a->values->n * sizeof (double), b->values->data,
                       b->values->n * sizeof (double));
      g_assert_cmpmem (sq_network_group_stats (r->quantized, g), sizeof (SqStats),
                       sq_network_group_stats (full->quantized, g), sizeof (SqStats));
      assert_same_double (a->scale, b->scale);
      assert_same_double (a->scale_min, b->scale_min);
      assert_same_double (a->scale_max, b->scale_max);
      assert_same_double (a->clip_lo, b->clip_lo);
      assert_same_double (a->clip_hi, b->clip_hi);
      assert_same_double (a->level_scale, b->level_scale);
      g_assert_cmpuint (a->level_bits, ==, b->level_bits);
      assert_same_double (a->error_bound, b->error_bound);
      g_assert_cmpuint (a->markers->len, ==, 0);
      g_assert_null (a->channel_clip);
      g_assert_cmpuint (a->n_channels, ==, 0);
    }
}

/* The same bytes and words for a network quantized in place (what synquant-cli quantize
 * does) as for @full, made from another copy of it. */
static void
assert_consumed_result (const char            *path,
                        const SqQuantSettings *s,
                        const SqNetworkResult *full)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetworkResult) r = sq_network_quantize_consume (load (path), s,
                                                              SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_autoptr(JsonNode) report = NULL, direct = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (r->flags, ==, SQ_QUANTIZE_IN_PLACE);
  g_assert_true (r->network->is_integer);
  assert_same_figures (r, full);
  for (guint g = 0; g < r->groups->len; g++)
    {
      const SqTensor *a = sq_network_result_get_group (r, g)->values;
      const SqTensor *b = sq_network_result_get_group (full, g)->values;
      SqStats st;

      g_assert_true (sq_test_tensor_equal (a, b));
      /* The network holds the integers now, and says so in its statistics. */
      g_assert_true (sq_network_get_group (r->network, g)->values == a);
      sq_tensor_stats (b, &st);
      g_assert_cmpmem (sq_network_group_stats (r->network, g), sizeof st, &st, sizeof st);
    }
  report = sq_network_result_report (r, "x.json");
  direct = sq_network_result_report (full, "x.json");
  g_assert_true (json_node_equal (report, direct));
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i ? "x.npz" : "x.json";
      g_autoptr(GBytes) a = sq_network_save_bytes (r, name, &error);
      g_autoptr(GBytes) b = sq_network_save_bytes (full, name, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (a, b));
    }
}

static void
assert_quantize (SqNetwork             *n,
                 const SqXyloSpec      *spec,
                 const SqQuantSettings *s)
{
  g_autoptr(GError) e1 = NULL, e2 = NULL;
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  SqQuantParams p;

  sq_test_settings_to_params (s, &p);
  q = sq_quantize (spec, &p, &e1);
  r = sq_network_quantize (n, s, SQ_QUANTIZE_MARKERS, NULL, &e2);
  if (q == NULL)
    {
      g_assert_null (r);
      g_assert_cmpstr (e2->message, ==, e1->message);
      return;
    }
  g_assert_no_error (e2);
  g_assert_true (r->network == n);
  g_assert_true (r->quantized->is_integer);
  g_assert_true (sq_quant_settings_equal (&r->settings, s));
  g_assert_cmpstr (r->mode_used, ==, sq_mode_to_string (q->mode_used));
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      double lo, hi;

      assert_figures (&r->layers[l].figures, &q->layer[l]);
      sq_quant_result_clip_range (q, (SqLayer) l, &lo, &hi);
      if (p.method == SQ_METHOD_GLOBAL)
        {
          assert_same_double (r->layers[l].clip, q->layer[l].clip);
          assert_same_double (r->layers[l].scale, q->layer[l].scale);
        }
      else
        {
          g_assert_true (isnan (r->layers[l].clip) && isnan (r->layers[l].scale));
          assert_same_double (r->layers[l].clip_min, lo);
          assert_same_double (r->layers[l].clip_max, hi);
        }
    }
  assert_figures (&r->total, &q->total);
  g_assert_cmpint (r->in_range, ==, q->total.out_of_range == 0 &&
                   !(q->mode_used == SQ_MODE_ROCKPOOL && q->dashes_clipped > 0));
  g_assert_cmpuint (r->diagnostics->len, ==, q->diagnostics->len);
  for (guint i = 0; i < q->diagnostics->len; i++)
    {
      const SqDiagnostic *a = g_ptr_array_index (q->diagnostics, i);
      const SqDiagnostic *b = g_ptr_array_index (r->diagnostics, i);

      g_assert_cmpstr (b->message, ==, a->message);
      g_assert_cmpint (b->param < 0 ? -1 : sq_network_get_group (n, (guint) b->param)->native,
                       ==, a->param);
    }
  assert_group_results (r, spec, q);

  /* The texts of the CLI. */
  {
    g_autofree char *summary = sq_network_result_summary (r);
    g_autofree char *expected = sq_quant_result_summary (q);
    g_autoptr(JsonNode) report = sq_network_result_report (r, "x.json");
    g_autoptr(JsonNode) direct = sq_quant_result_to_json (q, "x.json");

    g_assert_cmpstr (summary, ==, expected);
    g_assert_true (json_node_equal (report, direct));
  }
  assert_default_result (n, s, r);
  assert_consumed_result (n->path, s, r);
}

static void
test_quantize (void)
{
  g_autoptr(GArray) list = inputs ();

  for (guint i = 0; i < list->len; i++)
    {
      const Input *in = &g_array_index (list, Input, i);
      g_autoptr(SqNetwork) n = load (in->path);
      g_autoptr(SqXyloSpec) spec = load_spec (in->path);
      SqQuantSettings s;

      if (case_settings (in, &s))
        {
          assert_quantize (n, spec, &s);
          continue;
        }
      {
        g_autoptr(GArray) variants = sq_quant_settings_variants (&s);

        for (guint k = 0; k < variants->len; k++)
          assert_quantize (n, spec, &g_array_index (variants, SqQuantSettings, k));
      }
      for (int shift = -1; shift <= 7; shift += 4)
        {
          g_assert_true (sq_quant_settings_set (&s, "weight-shift", shift, NULL));
          g_assert_true (sq_quant_settings_set (&s, "weight-bits", 6, NULL));
          assert_quantize (n, spec, &s);
        }
    }
}

/* The Xylo-size example: the two methods, once each. */
static void
test_quantize_large (void)
{
  g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_XYLO"));
  g_autoptr(SqXyloSpec) spec = load_spec (g_getenv ("SQ_EXAMPLE_XYLO"));
  SqQuantSettings s;

  sq_quant_settings_init (&s, xylo ());
  assert_quantize (n, spec, &s);
  g_assert_true (sq_quant_settings_set_string (&s, "method", "channel", NULL));
  assert_quantize (n, spec, &s);
}

/* Rockpool's global mode says when it scaled bias_out with the hidden scale: also when every
 * output bias rounds to 0, which quantizing in place must see before it writes them. */
/* A sparse network at 2-bit weights (Wmax 1), Synquant mode, global scaling. The hidden
 * range is max |w| = 2.0, so s = 1/2:
 *   weights_in  [2, 0, 0]                 → [1, 0, 0]: 1 non-zero, none zeroed
 *   weights_rec 9 values, 2 non-zero      → 0.4·½ = 0.2 → 0, −0.6·½ = −0.3 → 0: both zeroed,
 *               errors −0.4 and 0.6: signal = noise = 0.52, SQNR 0 dB, max error 0.6; its
 *               7 structural zeros are not "zeroed": 2 of 2 non-zero, not 2 of 9
 *   thresholds  [1, 3, 0.4] at s (16 bits) → rint(0.5) = 0, rint(1.5) = 2, rint(0.2) = 0:
 *               2 of 3 zeroed, errors −1, 1, −0.4 (max 1), signal 10.16, noise 2.16
 *   dash_mem    [4, 0.3, 20]               → [4, 0, 15]: 20 clipped, one at 0, one at 15;
 *               max error 5 (20 → 15); τ error max: dash 0.3 → 0 leaves τ = 0, |0/τ − 1| = 1
 * The hidden layer: 12 weights, 3 non-zero, 2 zeroed (2/3, where 2 of 12 weights would say
 * 17 %); the network: 15 weights, 4 non-zero, 2 zeroed. */
static const char sparse_spec[] =
  "{\"weights_in\": [[2.0, 0.0, 0.0]],"
  " \"weights_rec\": [[0.0, 0.4, 0.0], [0.0, 0.0, -0.6], [0.0, 0.0, 0.0]],"
  " \"weights_out\": [[1.0], [0.0], [0.0]],"
  " \"threshold\": [1.0, 3.0, 0.4], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 0.3, 20], \"dash_syn\": [2, 2, 2], \"dash_mem_out\": [4],"
  " \"dash_syn_out\": [2]}";

static void
group_figures (const SqNetworkResult *r,
               const char            *id,
               SqGroupFigures        *f)
{
  g_autoptr(GError) error = NULL;
  guint g;

  g_assert_true (sq_network_find_group (r->network, id, &g));
  g_assert_true (sq_network_result_group_figures (r, g, f, &error));
  g_assert_no_error (error);
}

static void
test_figures_sparse (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "sparse.json", NULL);
  g_autoptr(SqNetwork) n = NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL, *zeroed = NULL, *none = NULL, *tiny = NULL, *most = NULL;
  g_autoptr(JsonNode) report = NULL;
  JsonObject *hidden;
  SqQuantSettings s;
  SqGroupFigures f;

  g_assert_true (g_file_set_contents (path, sparse_spec, -1, NULL));
  n = load (path);
  sq_quant_settings_init (&s, xylo ());
  g_assert_true (sq_quant_settings_set_string (&s, "weight-bits", "2", NULL));
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);

  /* The layer and the network count their non-zero weights. */
  g_assert_cmpuint (r->layers[0].figures.n_values, ==, 12);
  g_assert_cmpuint (r->layers[0].figures.n_nonzero, ==, 3);
  g_assert_cmpuint (r->layers[0].figures.zeroed, ==, 2);
  g_assert_cmpuint (r->total.n_values, ==, 15);
  g_assert_cmpuint (r->total.n_nonzero, ==, 4);
  g_assert_cmpuint (r->total.zeroed, ==, 2);
  g_assert_cmpfloat (sq_zeroed_share (r->layers[0].figures.zeroed,
                                      r->layers[0].figures.n_nonzero), ==, 2.0 / 3.0);
  summary = sq_network_result_summary (r);
  g_assert_nonnull (strstr (summary, "hidden: scale 0.5, clip ±2; 0 clipped, "
                                     "zeroed 2 of 3 non-zero (66.67 %), SQNR "));
  g_assert_nonnull (strstr (summary, "total:  15 weights; 0 clipped, "
                                     "zeroed 2 of 4 non-zero (50.00 %), SQNR "));
  report = sq_network_result_report (r, path);
  hidden = json_object_get_object_member (json_object_get_object_member (
    json_node_get_object (report), "layers"), "hidden");
  g_assert_cmpint (json_object_get_int_member (hidden, "weights"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (hidden, "nonzero"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (hidden, "zeroed"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (hidden, "zeroed_share"), ==, 2.0 / 3.0);

  /* Each group its own figures. */
  group_figures (r, "weights_rec", &f);
  g_assert_false (f.decay);
  g_assert_cmpuint (f.figures.n_values, ==, 9);
  g_assert_cmpuint (f.figures.n_nonzero, ==, 2);
  g_assert_cmpuint (f.figures.zeroed, ==, 2);
  g_assert_cmpuint (f.figures.clipped, ==, 0);
  g_assert_cmpfloat (f.figures.max_abs_error, ==, 0.6);
  g_assert_cmpfloat (sq_quant_figures_sqnr_db (&f.figures), ==, 0.0);
  g_assert_cmpfloat (f.range_hi, ==, 1.0);
  g_assert_true (isnan (f.tau_error));

  group_figures (r, "weights_in", &f);
  g_assert_cmpuint (f.figures.n_values, ==, 3);
  g_assert_cmpuint (f.figures.n_nonzero, ==, 1);
  g_assert_cmpuint (f.figures.zeroed, ==, 0);
  g_assert_cmpuint (f.at_hi, ==, 1);   /* 2.0 → 1 = Wmax, exactly: not clipped */
  g_assert_cmpuint (f.figures.clipped, ==, 0);

  group_figures (r, "threshold", &f);
  g_assert_cmpuint (f.figures.n_values, ==, 3);
  g_assert_cmpuint (f.figures.n_nonzero, ==, 3);
  g_assert_cmpuint (f.figures.zeroed, ==, 2);
  g_assert_cmpfloat (f.figures.max_abs_error, ==, 1.0);
  g_assert_cmpfloat (f.figures.signal, ==, 1.0 + 9.0 + 0.4 * 0.4);
  g_assert_cmpfloat (f.figures.noise, ==, 1.0 + 1.0 + 0.4 * 0.4);
  g_assert_cmpfloat (f.range_hi, ==, 32767.0);

  group_figures (r, "dash_mem", &f);
  g_assert_true (f.decay);
  g_assert_cmpuint (f.figures.n_values, ==, 3);
  g_assert_cmpuint (f.figures.clipped, ==, 1);
  g_assert_cmpuint (f.at_lo, ==, 1);
  g_assert_cmpuint (f.at_hi, ==, 1);
  g_assert_cmpfloat (f.range_lo, ==, 0.0);
  g_assert_cmpfloat (f.range_hi, ==, 15.0);
  g_assert_cmpfloat (f.figures.max_abs_error, ==, 5.0);
  g_assert_cmpfloat (f.tau_error, ==, 1.0);

  group_figures (r, "dash_syn", &f);
  g_assert_cmpuint (f.figures.clipped + f.at_lo + f.at_hi, ==, 0);
  g_assert_cmpfloat (f.tau_error, ==, 0.0);

  /* With weight shift 2 the thresholds live at s·2² = 2: [1, 3, 0.4] → [2, 6, 1], so their
   * errors are 2/2 − 1 = 0, 6/2 − 3 = 0 and 1/2 − 0.4 — measured at that scale, not at the
   * weights' 1/2, which would make 1/(1/2) − 0.4 = 1.6 of the last. */
  {
    g_autoptr(SqNetworkResult) shifted = NULL;
    double e[3];
    guint g;

    g_assert_true (sq_quant_settings_set_string (&s, "weight-shift", "2", NULL));
    shifted = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    group_figures (shifted, "threshold", &f);
    g_assert_cmpuint (f.figures.zeroed, ==, 0);
    g_assert_cmpfloat (f.figures.max_abs_error, ==, 0.5 - 0.4);
    g_assert_true (sq_network_find_group (n, "threshold", &g));
    g_assert_true (sq_network_result_group_errors (shifted, g, 0, 3, e, &error));
    /* Their scale is 2, their clip point 32767 / 2 and their levels lie at k / 2. */
    g_assert_cmpfloat (sq_network_result_get_group (shifted, g)->scale, ==, 2.0);
    g_assert_cmpfloat (sq_network_result_get_group (shifted, g)->clip_hi, ==, 32767.0 / 2.0);
    g_assert_cmpfloat (sq_network_result_get_group (shifted, g)->level_scale, ==, 2.0);
    g_assert_cmpfloat (e[0], ==, 0.0);
    g_assert_cmpfloat (e[1], ==, 0.0);
    g_assert_cmpfloat (e[2], ==, 0.5 - 0.4);
  }

  /* The words of a share: never 0 % or 100 % unless it is. */
  zeroed = sq_zeroed_text (85828, 85848);
  g_assert_cmpstr (zeroed, ==, "85828 of 85848 non-zero (99.98 %)");
  none = sq_zeroed_text (0, 7);
  g_assert_cmpstr (none, ==, "0 of 7 non-zero");
  tiny = sq_zeroed_text (1, 100000);
  g_assert_cmpstr (tiny, ==, "1 of 100000 non-zero (< 0.01 %)");
  most = sq_zeroed_text (99999, 100000);
  g_assert_cmpstr (most, ==, "99999 of 100000 non-zero (> 99.99 %)");
  g_assert_true (isnan (sq_zeroed_share (0, 0)));
}

static void
test_quantize_consume_tiny_bias (void)
{
  g_autoptr(SqXyloSpec) spec = load_spec (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autofree char *path = g_build_filename (tmpdir, "tiny-bias-out.json", NULL);
  g_autoptr(SqNetwork) n = NULL;
  SqTensor *bias_out = &spec->param[SQ_PARAM_BIAS_OUT];
  SqQuantSettings s;

  g_assert_true (sq_tensor_is_present (bias_out));
  for (gsize i = 0; i < bias_out->n; i++)
    bias_out->data[i] = i % 2 ? 1e-9 : -1e-9;
  g_assert_true (sq_xylo_spec_save_json (spec, path, NULL));
  n = load (path);
  sq_quant_settings_init (&s, xylo ());
  g_assert_true (sq_quant_settings_set_string (&s, "mode", "rockpool", NULL));
  assert_quantize (n, spec, &s);
}

/* A network someone else still holds, or one whose markers are asked for, keeps its float
 * values: the result is sq_network_quantize()'s. */
static void
test_quantize_consume_shared (void)
{
  g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(SqXyloSpec) spec = load_spec (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(GError) error = NULL;
  SqQuantSettings s;

  sq_quant_settings_init (&s, xylo ());
  for (guint markers = 0; markers < 2; markers++)
    {
      SqNetwork *held = markers ? load (g_getenv ("SQ_EXAMPLE_SMALL")) : sq_network_ref (n);
      SqQuantizeFlags flags = markers ? SQ_QUANTIZE_MARKERS : SQ_QUANTIZE_DEFAULT;
      g_autoptr(SqNetworkResult) r = sq_network_quantize_consume (held, &s, flags, NULL,
                                                                  &error);

      g_assert_no_error (error);
      g_assert_cmpint (r->flags, ==, flags);
      g_assert_false (r->network->is_integer);
      for (guint g = 0; g < sq_network_n_groups (r->network); g++)
        {
          const SqGroup *group = sq_network_get_group (r->network, g);

          g_assert_true (sq_test_tensor_equal (group->values, &spec->param[group->native]));
        }
      g_assert_cmpuint (sq_network_result_get_group (r, 0)->markers->len > 0, ==, markers);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Simulation                                                                                */

static void
assert_sim_equal (const SqSimResult *a,
                  const SqSimResult *b)
{
  g_autoptr(GString) ja = sq_sim_result_to_json (a);
  g_autoptr(GString) jb = sq_sim_result_to_json (b);
  g_autofree char *sa = sq_sim_result_summary (a);
  g_autofree char *sb = sq_sim_result_summary (b);

  g_assert_cmpint (a->record_all, ==, b->record_all);
  g_assert_cmpstr (ja->str, ==, jb->str);
  g_assert_cmpstr (sa, ==, sb);
}

typedef struct {
  double last;
  guint  calls;
} Progress;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  p->last = fraction;
  p->calls++;
}

static void
test_input (void)
{
  const double rates[3] = { 0.1, 2.5, 0.0 };
  g_autofree char *csv = g_build_filename (tmpdir, "in.csv", NULL);
  SqInputSpec one = { NULL, &rates[1], 1, 50, 9 };
  SqInputSpec each = { NULL, rates, 3, 50, 9 };
  SqInputSpec file = { csv, NULL, 0, 0, 0 };
  SqRaster a = { 0 }, b = { 0 };
  g_autoptr(GError) error = NULL;
  const double same[3] = { 2.5, 2.5, 2.5 };

  /* The CLI's and the window's Poisson input: one rate for all, or one per channel. */
  g_assert_true (sq_input_build (&one, 3, &a, &error));
  g_assert_true (sq_raster_poisson (&b, 50, 3, same, 9, &error));
  g_assert_cmpmem (a.counts, 150, b.counts, 150);
  sq_raster_clear (&a);
  sq_raster_clear (&b);
  g_assert_true (sq_input_build (&each, 3, &a, &error));
  g_assert_true (sq_raster_poisson (&b, 50, 3, rates, 9, &error));
  g_assert_cmpmem (a.counts, 150, b.counts, 150);
  sq_raster_clear (&a);
  sq_raster_clear (&b);
  g_assert_false (sq_input_build (&each, 4, &a, &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS);
  g_clear_error (&error);

  /* A file: counts above 15 clipped, channels checked. */
  g_assert_true (g_file_set_contents (csv, "1,0,20\n0,3,0\n", -1, NULL));
  g_assert_true (sq_input_build (&file, 3, &a, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (a.n_steps, ==, 2);
  g_assert_cmpuint (a.counts[2], ==, 15);
  g_assert_cmpuint (a.n_clipped, ==, 1);
  g_assert_cmpuint (a.n_dropped, ==, 5);
  sq_raster_clear (&a);
  g_assert_false (sq_input_build (&file, 4, &a, &error));
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE);
  g_assert_null (a.counts);
}

static void
assert_simulate (const char *path,
                 const char *method)
{
  g_autoptr(SqNetwork) n = load (path);
  g_autoptr(SqXyloSpec) spec = load_spec (path);
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(SqSimRun) run = NULL;
  g_autoptr(SqFloatSim) fsim = NULL;
  g_autoptr(SqXyloSim) isim = NULL;
  g_autoptr(SqSimResult) f = NULL, i = NULL, own = NULL;
  g_autoptr(SqAgreement) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hints = NULL;
  const double rate = 0.4;
  SqInputSpec in = { NULL, &rate, 1, 600, 3 };
  SqRaster raster = { 0 };
  SqQuantSettings s;
  Progress progress = { 0.0, 0 };

  sq_quant_settings_init (&s, xylo ());
  g_assert_true (sq_quant_settings_set_string (&s, "method", method, NULL));
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  q = direct_quantize (spec, &s);
  g_assert_true (sq_input_build (&in, n->n_inputs, &raster, &error));

  /* What simulate --compare and the Simulate page computed themselves. */
  fsim = sq_float_sim_new (spec, &error);
  g_assert_no_error (error);
  f = sq_float_sim_run (fsim, &raster, TRUE, &error);
  isim = sq_xylo_sim_new (q->spec, SQ_DEVICE_XYLO_AUDIO2, &error);
  g_assert_no_error (error);
  i = sq_xylo_sim_run (isim, &raster, TRUE, &error);
  a = sq_agreement_new (spec->n_hidden, spec->n_out);
  g_assert_true (sq_agreement_add (a, f, i, &error));

  run = sq_network_simulate (r, NULL, &raster, SQ_SIM_RECORD_ALL, NULL, on_progress, &progress,
                             &error);
  g_assert_no_error (error);
  g_assert_true (run->result == r);
  g_assert_true (run->device == sq_device_profile_lookup ("xylo-audio2"));
  assert_sim_equal (run->float_result, f);
  assert_sim_equal (run->int_result, i);
  {
    g_autofree char *sa = sq_agreement_summary (run->agreement);
    g_autofree char *sb = sq_agreement_summary (a);
    g_autoptr(GString) ja = sq_agreement_to_json (run->agreement);
    g_autoptr(GString) jb = sq_agreement_to_json (a);

    g_assert_cmpstr (sa, ==, sb);
    g_assert_cmpstr (ja->str, ==, jb->str);
  }
  /* Every 256 steps of each model (600 steps: twice each), then the end. */
  g_assert_cmpfloat (progress.last, ==, 1.0);
  g_assert_cmpuint (progress.calls, >=, 5);

  /* simulate and simulate --float: one model on the network as it is. */
  own = sq_network_run (n, NULL, SQ_SIM_FLOAT, &raster, TRUE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_sim_equal (own, f);
  g_clear_pointer (&own, sq_sim_result_free);
  own = sq_network_run (r->quantized, NULL, SQ_SIM_INTEGER, &raster, TRUE, NULL, NULL, NULL,
                        &error);
  g_assert_no_error (error);
  assert_sim_equal (own, i);
  g_clear_pointer (&own, sq_sim_result_free);
  g_assert_null (sq_network_run (n, sq_device_profile_lookup ("dynapcnn"), SQ_SIM_INTEGER,
                                 &raster, FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_DEVICE);
  g_clear_error (&error);

  /* --compare --record all: the float model records its outputs only. */
  g_clear_pointer (&run, sq_sim_run_unref);
  run = sq_network_simulate (r, sq_device_profile_lookup ("xylo-imu"), &raster,
                             SQ_SIM_RECORD_INTEGER, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (run->float_result->record_all);
  g_assert_true (run->int_result->record_all);

  /* The recording by extension. */
  {
    g_autoptr(GBytes) json = sq_sim_result_serialize (i, a, "out.json", &error);
    g_autoptr(GBytes) npz = sq_sim_result_serialize (i, NULL, "out.NPZ", &error);
    g_autoptr(GBytes) npy = sq_sim_result_serialize (i, NULL, "out.npy", &error);
    g_autoptr(GString) plain = sq_sim_result_to_json (i);
    g_autoptr(GString) agreement = sq_agreement_to_json (a);
    g_autofree guint8 *npz_direct = NULL, *npy_direct = NULL;
    gsize npz_len, npy_len;
    const char *text = g_bytes_get_data (json, NULL);

    npz_direct = sq_sim_result_to_npz (i, &npz_len, NULL);
    npy_direct = sq_sim_result_to_npy (i, &npy_len, NULL);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (npz, NULL), g_bytes_get_size (npz), npz_direct, npz_len);
    g_assert_cmpmem (g_bytes_get_data (npy, NULL), g_bytes_get_size (npy), npy_direct, npy_len);
    /* The plain JSON with "agreement" as its last member. */
    g_assert_cmpmem (text, plain->len - 3, plain->str, plain->len - 3);
    g_assert_nonnull (strstr (text + plain->len - 3, agreement->str));
    g_assert_true (g_str_has_suffix (text, "\n}\n"));
  }

  hints = sq_sim_run_hints (run);
  g_assert_cmpuint (hints->len, >, 0);
  sq_raster_clear (&raster);
}

static void
test_simulate (void)
{
  g_autofree char *exact = sq_test_data_path ("data", "cli", "exact.json", NULL);

  assert_simulate (g_getenv ("SQ_EXAMPLE_SMALL"), "global");
  assert_simulate (g_getenv ("SQ_EXAMPLE_SMALL"), "channel");
  assert_simulate (exact, "global");
}

static void
test_hints (void)
{
  g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqSimRun) run = NULL;
  g_autoptr(GPtrArray) hints = NULL;
  const double rate = 0.0;
  SqInputSpec in = { NULL, &rate, 1, 20, 1 };
  SqRaster raster = { 0 };
  SqQuantSettings s;

  sq_quant_settings_init (&s, xylo ());
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, NULL);
  g_assert_true (sq_input_build (&in, n->n_inputs, &raster, NULL));
  run = sq_network_simulate (r, NULL, &raster, SQ_SIM_RECORD_OUTPUT, NULL, NULL, NULL, NULL);
  sq_raster_clear (&raster);
  hints = sq_sim_run_hints (run);
  /* The generator planted a dead synapse (dash_syn 0 on one neuron); nothing fires. */
  g_assert_cmpuint (hints->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (hints, 0), ==,
                   "Synapse 1 of 1 neuron decays to zero every step: dash 0 — τ_syn is below "
                   "1.41·dt.");
}

/* The run of the small example at @settings on Poisson 0.3 for 300 steps, seed 0. */
static SqSimRun *
run_small (SqNetwork             *n,
           const SqQuantSettings *s,
           SqRaster              *raster)
{
  g_autoptr(SqNetworkResult) r = sq_network_quantize (n, s, SQ_QUANTIZE_DEFAULT, NULL, NULL);

  return sq_network_simulate (r, NULL, raster, SQ_SIM_RECORD_OUTPUT, NULL, NULL, NULL, NULL);
}

static gsize
silent_int (const SqSimRun *run)
{
  return sq_agreement_silent_only (run->agreement, TRUE, FALSE) +
         sq_agreement_silent_only (run->agreement, TRUE, TRUE);
}

/* Each hint's advice, applied, gives what the hint says it gives, in the direction it
 * promises: fewer saturations, fewer neurons silent only in the integer core. */
static void
assert_hints_hold (SqNetwork             *n,
                   const SqQuantSettings *s,
                   SqRaster              *raster,
                   guint                 *n_advice)
{
  g_autoptr(SqSimRun) run = run_small (n, s, raster);
  g_autoptr(GPtrArray) hints = sq_sim_run_hints (run);
  guint64 saturated = run->int_result->isyn_saturated + run->int_result->vmem_saturated;

  for (guint i = 0; i < hints->len; i++)
    {
      const char *h = g_ptr_array_index (hints, i), *at;
      SqQuantSettings applied = *s;
      g_autoptr(SqSimRun) again = NULL;
      g_autofree char *value = NULL;
      int bits;
      guint64 said;
      gsize silent;

      g_test_message ("hint: %s", h);
      g_assert_null (strstr (h, "try fewer threshold bits"));
      if ((at = strstr (h, " With ")) != NULL &&
          sscanf (at, " With %d threshold bits they hit them %" SCNu64 " times", &bits,
                  &said) == 2)
        {
          value = g_strdup_printf ("%d", bits);
          g_assert_true (sq_quant_settings_set_string (&applied, "threshold-bits", value, NULL));
          again = run_small (n, &applied, raster);
          g_assert_cmpuint (again->int_result->isyn_saturated +
                            again->int_result->vmem_saturated, ==, said);
          g_assert_cmpuint (said, <, saturated);
          (*n_advice)++;
        }
      if ((at = strstr (h, " With ")) != NULL &&
          sscanf (at, " With %d weight bits, %zu stay", &bits, &silent) == 2)
        {
          value = g_strdup_printf ("%d", bits);
          g_assert_true (sq_quant_settings_set_string (&applied, "weight-bits", value, NULL));
          again = run_small (n, &applied, raster);
          g_assert_cmpuint (silent_int (again), ==, silent);
          g_assert_cmpuint (silent, <, silent_int (run));
          (*n_advice)++;
        }
      if ((at = strstr (h, " With per-channel scaling, ")) != NULL)
        {
          g_assert_cmpint (sscanf (at, " With per-channel scaling, %zu stay", &silent), ==, 1);
          g_assert_true (sq_quant_settings_set_string (&applied, "method", "channel", NULL));
          g_clear_pointer (&again, sq_sim_run_unref);
          again = run_small (n, &applied, raster);
          g_assert_cmpuint (silent_int (again), ==, silent);
          g_assert_cmpuint (silent, <, silent_int (run));
          (*n_advice)++;
        }
    }
}

/* Hints are tested advice. On the small example the weights set the scale, so fewer
 * threshold bits change nothing until the thresholds do: at 16 and 12 bits 7091 saturations
 * stay until 8 bits (synquant-cli simulate --compare --poisson 0.3 --steps 300). */
static void
test_hints_tested (void)
{
  g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_SMALL"));
  const double rate = 0.3;
  SqInputSpec in = { NULL, &rate, 1, 300, 0 };
  SqRaster raster = { 0 };
  SqQuantSettings s;
  guint n_advice = 0;
  static const char * const bits[] = { "16", "12", "9" };

  g_assert_true (sq_input_build (&in, n->n_inputs, &raster, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bits); i++)
    for (guint m = 0; m < 2; m++)
      {
        sq_quant_settings_init (&s, xylo ());
        g_assert_true (sq_quant_settings_set_string (&s, "threshold-bits", bits[i], NULL));
        g_assert_true (sq_quant_settings_set_string (&s, "method", m ? "channel" : "global",
                                                     NULL));
        assert_hints_hold (n, &s, &raster, &n_advice);
      }
  /* Some advice was given and held (not only silence). */
  g_assert_cmpuint (n_advice, >, 0);

  /* At 12 bits the hint on saturations names 8 bits, not the 11 that change nothing. */
  {
    g_autoptr(SqSimRun) run = NULL;
    g_autoptr(GPtrArray) hints = NULL;
    gboolean found = FALSE;

    sq_quant_settings_init (&s, xylo ());
    g_assert_true (sq_quant_settings_set_string (&s, "threshold-bits", "12", NULL));
    run = run_small (n, &s, &raster);
    hints = sq_sim_run_hints (run);
    for (guint i = 0; i < hints->len; i++)
      if (g_str_has_prefix (g_ptr_array_index (hints, i), "The integer states hit their "
                                                          "16-bit limits 7091 times: "))
        {
          g_assert_nonnull (strstr (g_ptr_array_index (hints, i),
                                    "With 8 threshold bits they hit them "));
          found = TRUE;
        }
    g_assert_true (found);
  }
  sq_raster_clear (&raster);
}

/* ---------------------------------------------------------------------------------------- */
/* Check, export, save                                                                       */

static void
assert_reports_equal (const SqCheckReport *a,
                      const SqCheckReport *b,
                      const SqNetwork     *network)
{
  g_autofree char *ta = sq_check_report_to_string (a);
  g_autofree char *tb = sq_check_report_to_string (b);

  g_assert_true (a->device == b->device);
  g_assert_cmpstr (ta, ==, tb);
  g_assert_cmpuint (a->issues->len, ==, b->issues->len);
  for (guint i = 0; i < a->issues->len; i++)
    {
      const SqCheckIssue *x = g_ptr_array_index (a->issues, i);
      const SqCheckIssue *y = g_ptr_array_index (b->issues, i);

      g_assert_cmpstr (x->kind, ==, y->kind);
      g_assert_cmpint (x->index, ==, y->index);
      g_assert_cmpint (x->severity, ==, y->severity);
      /* The network's issues name groups. */
      g_assert_cmpint (y->param < 0 ? -1 : sq_network_get_group (network, (guint) y->param)->native,
                       ==, x->param);
    }
}

static void
test_check (void)
{
  g_autoptr(GArray) list = inputs ();
  const SqDeviceProfile *profiles = sq_device_profiles ();

  for (guint k = 0; k < MIN (list->len, 12); k++)
    {
      const char *path = g_array_index (list, Input, k).path;
      g_autoptr(SqNetwork) n = load (path);
      g_autoptr(SqXyloSpec) spec = load_spec (path);
      g_autoptr(SqNetworkResult) r = NULL;
      g_autoptr(SqQuantResult) q = NULL;
      SqQuantSettings s;

      sq_quant_settings_init (&s, xylo ());
      r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, NULL);
      q = direct_quantize (spec, &s);
      g_assert_true (sq_network_exported (n, NULL) == n);
      g_assert_true (sq_network_exported (n, r) == (n->is_integer ? n : r->quantized));
      for (guint d = 0; d < SQ_N_DEVICE_PROFILES; d++)
        {
          g_autoptr(SqCheckReport) as_is = sq_device_check (&profiles[d], spec);
          g_autoptr(SqCheckReport) quantized = sq_device_check (&profiles[d], q->spec);
          g_autoptr(SqCheckReport) a = sq_network_check (n, NULL, &profiles[d], NULL);
          g_autoptr(SqCheckReport) b = sq_network_check (n, r, &profiles[d], NULL);

          /* synquant-cli check: the network as it is; the window: what an export writes. */
          assert_reports_equal (as_is, a, n);
          assert_reports_equal (n->is_integer ? as_is : quantized, b, n);
        }
    }
}

static void
assert_files_equal (GPtrArray *a,
                    GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const SqExportFile *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (x->path, ==, y->path);
      g_assert_true (g_bytes_equal (x->data, y->data));
    }
}

static void
test_export (void)
{
  g_autofree char *integer = sq_test_data_path ("data", "valid", "integer.json", NULL);
  const char *paths[] = { g_getenv ("SQ_EXAMPLE_SMALL"), integer };
  const char *devices[] = { "xylo-audio2", "xylo-audio3", "xylo-imu", "xylo-v1" };

  for (guint k = 0; k < G_N_ELEMENTS (paths); k++)
    {
      g_autoptr(SqNetwork) n = load (paths[k]);
      g_autoptr(SqXyloSpec) spec = load_spec (paths[k]);
      g_autoptr(SqNetworkResult) r = NULL;
      g_autoptr(SqQuantResult) q = NULL;
      SqExportOptions options = { "net.json", "net", NULL };
      SqQuantSettings s;

      sq_quant_settings_init (&s, xylo ());
      r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, NULL);
      q = direct_quantize (spec, &s);
      for (guint d = 0; d < G_N_ELEMENTS (devices); d++)
        for (guint f = 0; f < SQ_N_EXPORT_FORMATS; f++)
          {
            const SqDeviceProfile *device = sq_device_profile_lookup (devices[d]);
            g_autofree char *out = g_build_filename (tmpdir, "export-out", NULL);
            g_autofree char *c = g_build_filename (tmpdir, "export-out.c", NULL);
            g_autoptr(GPtrArray) a = NULL, b = NULL;
            g_autoptr(GError) ea = NULL, eb = NULL;
            const char *format = sq_export_format_to_string ((SqExportFormat) f);

            if (f == SQ_EXPORT_NIR && !sq_nir_is_supported ())
              continue;
            options.c_source_path = f == SQ_EXPORT_C_HEADER ? c : NULL;
            /* An integer network is written as it is, without scales. */
            a = n->is_integer ? sq_export_build (spec, NULL, device, f, out, &options, &ea)
                              : sq_export_build (q->spec, q, device, f, out, &options, &ea);
            b = sq_network_export_build (n, r, device, format, out, &options, &eb);
            if (a == NULL)
              {
                g_assert_null (b);
                g_assert_cmpstr (eb->message, ==, ea->message);
                continue;
              }
            g_assert_no_error (eb);
            assert_files_equal (a, b);
          }
    }
}

/* sq_network_export writes what it builds, a folder too. */
static void
test_export_write (void)
{
  g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(SqNetworkResult) r = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "ram", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  const SqDeviceProfile *device = sq_device_profile_lookup ("xylo-audio2");
  SqQuantSettings s;

  sq_quant_settings_init (&s, xylo ());
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, NULL);
  files = sq_network_export_build (n, r, device, "xylo-ram", dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sq_network_export (n, r, device, "xylo-ram", dir, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < files->len; i++)
    {
      const SqExportFile *f = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
      g_assert_cmpmem (contents, length, g_bytes_get_data (f->data, NULL),
                       g_bytes_get_size (f->data));
    }
  g_assert_false (sq_network_export (n, r, device, "toy-text", dir, NULL, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_FORMAT);
  sq_test_remove_tree (dir);
}

static void
test_save (void)
{
  g_autoptr(SqNetwork) n = load (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(SqXyloSpec) spec = load_spec (g_getenv ("SQ_EXAMPLE_SMALL"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = NULL;
  g_autofree guint8 *npz = NULL;
  g_autofree char *out = g_build_filename (tmpdir, "saved.json", NULL);
  g_autofree char *contents = NULL;
  SqQuantSettings s;
  gsize length;

  sq_quant_settings_init (&s, xylo ());
  g_assert_true (sq_quant_settings_set_string (&s, "method", "channel", NULL));
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, NULL);
  q = direct_quantize (spec, &s);
  json = sq_xylo_spec_to_json (q->spec);
  npz = sq_xylo_spec_to_npz (q->spec, &length, NULL);
  {
    g_autoptr(GBytes) a = sq_network_save_bytes (r, "x.json", &error);
    g_autoptr(GBytes) b = sq_network_save_bytes (r, "no-extension", &error);
    g_autoptr(GBytes) c = sq_network_save_bytes (r, "x.Npz", &error);
    g_autoptr(GBytes) d = sq_network_save_bytes (r, "q.NPZ", &error);
    g_autoptr(GBytes) e = sq_network_save_bytes (r, "q.toy", &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a), json->str, json->len);
    g_assert_true (g_bytes_equal (a, b));
    g_assert_cmpmem (g_bytes_get_data (c, NULL), g_bytes_get_size (c), npz, length);
    /* An extension the kind saves to, in any case; another (the toy kind's) is not one. */
    g_assert_true (g_bytes_equal (c, d));
    g_assert_true (g_bytes_equal (a, e));
  }
  if (sq_nir_is_supported ())
    {
      g_autoptr(GBytes) a = sq_network_save_bytes (r, "x.nir", &error);
      g_autoptr(GBytes) b = sq_xylo_spec_to_nir (q->spec, q, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (a, b));
    }
  g_assert_true (sq_network_save (r, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, json->str, json->len);
}

/* ---------------------------------------------------------------------------------------- */
/* A second kind, through the generic API only                                              */

static const double toy_w[3][2] = { { 0.5, -0.25 }, { 0.125, 1.0 }, { -0.75, 0.0 } };
static const double toy_th[2] = { 0.3, 0.9 };

static SqNetwork *
toy_network (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  sq_test_toy_register ();
  sq_test_toy_write (path, toy_w, toy_th);
  return load (path);
}

static void
test_toy_load (void)
{
  g_autoptr(SqNetwork) n = toy_network ("net.toy");
  g_autoptr(SqNetwork) probed = toy_network ("toy-without-extension");
  g_autofree char *text = sq_network_describe (n);
  const SqGroup *w;

  g_assert_true (n->kind == &sq_test_toy_kind);
  g_assert_true (probed->kind == &sq_test_toy_kind);
  g_assert_cmpuint (sq_network_n_groups (n), ==, 2);
  g_assert_cmpuint (n->n_inputs, ==, 3);
  g_assert_cmpuint (n->n_outputs, ==, 2);
  w = sq_network_get_group (n, 0);
  g_assert_cmpstr (w->id, ==, "weights");
  g_assert_cmpfloat (sq_network_group_stats (n, 0)->min, ==, -0.75);
  g_assert_cmpfloat (sq_network_group_stats (n, 0)->max, ==, 1.0);
  g_assert_cmpuint (sq_network_group_stats (n, 0)->nonzero, ==, 5);
  /* The default group: the largest weight group. */
  g_assert_cmpuint (sq_network_default_group (n), ==, 0);
  g_assert_true (isnan (sq_network_neuron_threshold (n, TRUE, 0)));

  g_assert_cmpstr (text, ==,
                   "net.toy: Toy network with float values\n"
                   "  inputs          3\n"
                   "  output neurons  2\n"
                   "\n"
                   "  parameter      shape                     min          max         "
                   "non-zero\n"
                   "  weights        (3, 2)                  -0.75            1              5/6\n"
                   "  threshold      (2,)                      0.3          0.9              2/2\n"
                   "\n"
                   "No warnings.\n");
}

static void
test_toy_quantize (void)
{
  g_autoptr(SqNetwork) n = toy_network ("q.toy");
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const SqGroupResult *gr;
  SqHistogram h;
  SqStats st;
  SqQuantSettings s;
  double e[6];

  sq_quant_settings_init (&s, &sq_test_toy_kind);
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  /* 4 bits: ±7, the largest |w| is 1 so the scale is 7; rint is half to even:
   * 3.5 → 4, −1.75 → −2, 0.875 → 1, 7, −5.25 → −5, 0; thresholds 2.1 → 2, 6.3 → 6. */
  gr = sq_network_result_get_group (r, 0);
  g_assert_cmpfloat (gr->scale, ==, 7.0);
  {
    const double q[6] = { 4, -2, 1, 7, -5, 0 };

    g_assert_cmpmem (gr->values->data, sizeof q, q, sizeof q);
  }
  g_assert_cmpfloat (sq_network_result_get_group (r, 1)->values->data[1], ==, 6.0);
  g_assert_cmpuint (r->total.zeroed, ==, 0);
  g_assert_null (r->mode_used);

  /* Errors q/s − w: 4/7 − 0.5 = 1/14 is the largest. */
  g_assert_true (sq_network_result_group_errors (r, 0, 0, 6, e, &error));
  g_assert_cmpfloat_with_epsilon (e[0], 4.0 / 7.0 - 0.5, 1e-15);
  g_assert_true (sq_network_result_error_histogram (r, 0, 10, &h, &st, &error));
  g_assert_no_error (error);
  /* No error bound: the range is measured, [−1/14, 1/14]. */
  g_assert_cmpfloat (h.hi, ==, st.max_abs);
  g_assert_cmpfloat_with_epsilon (h.hi, 1.0 / 14.0, 1e-15);
  g_assert_cmpuint (h.n, ==, 6);
  g_assert_cmpuint (h.counts[0] + h.counts[9], >=, 1);
  sq_histogram_clear (&h);

  /* Its own settings: twice the RMS, 3 bits. */
  g_assert_true (sq_quant_settings_set_string (&s, "method", "twice-rms", &error));
  g_assert_true (sq_quant_settings_set (&s, "weight-bits", 3, &error));
  g_assert_false (sq_quant_settings_set (&s, "weight-bits", 9, &error));
  g_assert_cmpstr (error->message, ==, "weight bits must be from 2 to 8, not 9");
  g_clear_error (&error);
  g_assert_false (sq_quant_settings_set_string (&s, "mode", "rockpool", &error));
  g_assert_cmpstr (error->message, ==, "Toy network: no setting “mode”; use method or "
                   "weight-bits");
  g_clear_error (&error);
  g_clear_pointer (&r, sq_network_result_unref);
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sq_network_result_get_group (r, 0)->scale, ==,
                     sq_test_toy_scale (&toy_w[0][0], 6, 1, 3));
}

static void
test_toy_verbs (void)
{
  g_autoptr(SqNetwork) n = toy_network ("v.toy");
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqCheckReport) as_is = NULL, quantized = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (tmpdir, "v.txt", NULL);
  g_autofree char *saved = g_build_filename (tmpdir, "v-q.toy", NULL);
  g_autofree char *contents = NULL;
  const SqDeviceProfile *device = sq_network_kind_device (&sq_test_toy_kind, "dynapcnn");
  SqRaster raster = { 0 };
  SqQuantSettings s;

  sq_quant_settings_init (&s, &sq_test_toy_kind);
  r = sq_network_quantize (n, &s, SQ_QUANTIZE_DEFAULT, NULL, &error);

  /* The float network as it is: four weights are not whole; quantized, it fits. */
  as_is = sq_network_check (n, NULL, device, &error);
  g_assert_cmpuint (sq_check_report_count (as_is, SQ_CHECK_VIOLATION), ==, 4);
  g_assert_cmpint (((SqCheckIssue *) g_ptr_array_index (as_is->issues, 0))->param, ==, 0);
  quantized = sq_network_check (n, r, device, &error);
  g_assert_true (sq_check_report_fits (quantized));

  g_assert_true (sq_network_export (n, r, device, "toy-text", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "toy for dynapcnn\nscale 7\n4 -2\n1 7\n-5 0\n");
  g_assert_false (sq_network_export (n, r, device, "samna-json", out, NULL, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_true (sq_network_save (r, saved, &error));
  {
    g_autoptr(SqNetwork) back = load (saved);

    g_assert_true (sq_test_tensor_equal (sq_network_get_group (back, 0)->values,
                                         sq_network_get_group (r->quantized, 0)->values));
  }

  /* No simulator. */
  g_assert_true (sq_raster_init (&raster, 4, 3, NULL));
  g_assert_null (sq_network_simulate (r, NULL, &raster, SQ_SIM_RECORD_OUTPUT, NULL, NULL, NULL,
                                      &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED);
  sq_raster_clear (&raster);
}

static void
test_toy_text (void)
{
  g_autoptr(SqNetwork) n = toy_network ("t.toy");
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (
    (GDestroyNotify) sq_network_result_unref);
  g_autoptr(GArray) variants = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *summary = NULL, *table = NULL, *note = NULL;
  SqQuantSettings s;
  JsonObject *params;
  int best;

  sq_quant_settings_init (&s, &sq_test_toy_kind);
  variants = sq_quant_settings_variants (&s);
  for (guint i = 0; i < variants->len; i++)
    g_ptr_array_add (results, sq_network_quantize (n, &g_array_index (variants,
                                                                      SqQuantSettings, i),
                                                   SQ_QUANTIZE_DEFAULT, NULL, NULL));
  summary = sq_network_result_summary (g_ptr_array_index (results, 0));
  g_assert_true (g_str_has_prefix (summary, "method=max weight-bits=4\n  out: 0 clipped, "
                                            "zeroed 0 of 5 non-zero, SQNR "));
  report = sq_network_result_report (g_ptr_array_index (results, 0), "t.toy");
  params = json_object_get_object_member (json_node_get_object (report), "params");
  g_assert_cmpstr (json_object_get_string_member (params, "method"), ==, "max");
  g_assert_cmpint (json_object_get_int_member (params, "weight-bits"), ==, 4);
  note = sq_network_result_note (g_ptr_array_index (results, 0));
  g_assert_cmpstr (note, ==, "");

  best = sq_network_results_best ((SqNetworkResult **) results->pdata, results->len);
  g_assert_cmpint (best, >=, 0);
  table = sq_network_compare_text ((SqNetworkResult **) results->pdata, results->len, best);
  g_assert_true (g_str_has_prefix (table, "t.toy: weight-bits=4\n"));
  g_assert_nonnull (strstr (table, " method=rms  "));
  json = sq_network_compare_json ((SqNetworkResult **) results->pdata, results->len, best);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json), "rows")), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = sq_test_tmpdir ();
  sq_test_toy_register ();

  g_test_add_func ("/network/registry", test_registry);
  g_test_add_func ("/network/settings/parse", test_settings);
  g_test_add_func ("/network/settings/variants", test_variants);
  g_test_add_func ("/network/load/xylo", test_load);
  g_test_add_func ("/network/load/nir", test_load_nir);
  g_test_add_func ("/network/quantize/xylo", test_quantize);
  g_test_add_func ("/network/quantize/large", test_quantize_large);
  g_test_add_func ("/network/quantize/consume-shared", test_quantize_consume_shared);
  g_test_add_func ("/network/quantize/consume-tiny-bias", test_quantize_consume_tiny_bias);
  g_test_add_func ("/network/quantize/figures-sparse", test_figures_sparse);
  g_test_add_func ("/network/simulate/input", test_input);
  g_test_add_func ("/network/simulate/xylo", test_simulate);
  g_test_add_func ("/network/simulate/hints", test_hints);
  g_test_add_func ("/network/simulate/hints-tested", test_hints_tested);
  g_test_add_func ("/network/check/xylo", test_check);
  g_test_add_func ("/network/export/xylo", test_export);
  g_test_add_func ("/network/export/write", test_export_write);
  g_test_add_func ("/network/save/xylo", test_save);
  g_test_add_func ("/network/toy/load", test_toy_load);
  g_test_add_func ("/network/toy/quantize", test_toy_quantize);
  g_test_add_func ("/network/toy/verbs", test_toy_verbs);
  g_test_add_func ("/network/toy/text", test_toy_text);

  status = g_test_run ();
  sq_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
