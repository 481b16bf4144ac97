/* sq-test-toy.c: a second kind of network, defined by the tests alone (see sq-test-toy.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-toy.h"

typedef struct {
  SqTensor weights;
  SqTensor threshold;
} ToyNet;

static void
toy_net_free (gpointer data)
{
  ToyNet *net = data;

  sq_tensor_clear (&net->weights);
  sq_tensor_clear (&net->threshold);
  g_free (net);
}

static const SqLayerInfo toy_layer = { "out", "Output layer" };

static SqNetwork *
toy_network_new (ToyNet     *net,
                 const char *source,
                 gboolean    integer)
{
  SqNetwork *n = sq_network_new (&sq_test_toy_kind, net, toy_net_free);
  const SqGroup weights = { "weights", "Weights", SQ_ROLE_WEIGHTS, 0, "out", &net->weights,
                            0 };
  const SqGroup threshold = { "threshold", "Thresholds", SQ_ROLE_THRESHOLD, 0, "out",
                              &net->threshold, 1 };

  n->source = g_strdup (source);
  n->n_inputs = net->weights.shape[0];
  n->n_outputs = net->weights.shape[1];
  n->is_integer = integer;
  sq_network_add_layer (n, &toy_layer);
  sq_network_add_group (n, &weights);
  sq_network_add_group (n, &threshold);
  return n;
}

static const ToyNet *
toy_net (const SqNetwork *network)
{
  return network->data;
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

static gboolean
read_row (JsonArray  *row,
          double     *out,
          gsize       n,
          GError    **error)
{
  if (row == NULL || json_array_get_length (row) != n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "toy: a row of %zu numbers expected",
                   n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    out[i] = json_array_get_double_element (row, (guint) i);
  return TRUE;
}

static SqNetwork *
toy_load (const char           *path,
          const SqLoadOptions  *options,
          GCancellable         *cancellable,
          SqProgressFunc        progress,
          gpointer              progress_data,
          GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *name = g_filename_display_basename (path);
  ToyNet *net;
  JsonObject *o;
  JsonArray *w;
  gsize shape[2];

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  o = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
        ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (o == NULL || !json_object_has_member (o, "toy") || !json_object_has_member (o, "weights")
      || !json_object_has_member (o, "threshold"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a toy network (toy, weights, threshold)", name);
      return NULL;
    }
  w = json_object_get_array_member (o, "weights");
  shape[0] = json_array_get_length (w);
  shape[1] = shape[0] ? json_array_get_length (json_array_get_array_element (w, 0)) : 0;

  net = g_new0 (ToyNet, 1);
  if (!sq_tensor_init (&net->weights, 2, shape, error) ||
      !sq_tensor_init (&net->threshold, 1, &shape[1], error))
    {
      toy_net_free (net);
      return NULL;
    }
  for (gsize i = 0; i < shape[0]; i++)
    if (!read_row (json_array_get_array_element (w, (guint) i), net->weights.data + i * shape[1],
                   shape[1], error))
      {
        toy_net_free (net);
        return NULL;
      }
  if (!read_row (json_object_get_array_member (o, "threshold"), net->threshold.data, shape[1],
                 error))
    {
      toy_net_free (net);
      return NULL;
    }
  return toy_network_new (net, name, FALSE);
}

static gboolean
toy_probe (const char   *path,
           const guint8 *head,
           gsize         head_len)
{
  g_autofree char *text = g_strndup ((const char *) head, head_len);

  return strstr (text, "\"toy\"") != NULL;
}

static void
add_row (JsonBuilder  *b,
         const double *v,
         gsize         n)
{
  json_builder_begin_array (b);
  for (gsize i = 0; i < n; i++)
    json_builder_add_double_value (b, v[i]);
  json_builder_end_array (b);
}

static GBytes *
toy_to_json (const ToyNet *net)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "toy");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "weights");
  json_builder_begin_array (b);
  for (gsize i = 0; i < net->weights.shape[0]; i++)
    add_row (b, net->weights.data + i * net->weights.shape[1], net->weights.shape[1]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "threshold");
  add_row (b, net->threshold.data, net->threshold.n);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  return g_bytes_new_take (text, length);
}

void
sq_test_toy_write (const char   *path,
                   const double  weights[3][2],
                   const double  threshold[2])
{
  ToyNet net = { { 0, }, { 0, } };
  const gsize shape[2] = { 3, 2 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sq_tensor_init (&net.weights, 2, shape, NULL));
  g_assert_true (sq_tensor_init (&net.threshold, 1, &shape[1], NULL));
  memcpy (net.weights.data, weights, sizeof (double) * 6);
  memcpy (net.threshold.data, threshold, sizeof (double) * 2);
  bytes = toy_to_json (&net);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  sq_tensor_clear (&net.weights);
  sq_tensor_clear (&net.threshold);
}

/* ---------------------------------------------------------------------------------------- */
/* Quantization                                                                              */

enum { OPT_METHOD, OPT_WEIGHT_BITS, N_OPTS };

static const SqChoice toy_methods[] = {
  { "max", "Largest weight", NULL, NULL },
  { "rms", "Twice the RMS", NULL, "twice-rms" },
};

static const SqOption toy_options[N_OPTS] = {
  [OPT_METHOD] = { "method", "_Range", "Which range maps to the largest integer", "method",
                   SQ_OPTION_CHOICE, toy_methods, G_N_ELEMENTS (toy_methods), 0, 1, 0, -1,
                   NULL, TRUE },
  [OPT_WEIGHT_BITS] = { "weight-bits", "_Bits", "Bits per weight", "weight bits",
                        SQ_OPTION_INT, NULL, 0, 2, 8, 4, 1, NULL, FALSE },
};

double
sq_test_toy_scale (const double *w,
                   gsize         n,
                   int           method,
                   int           bits)
{
  double range = 0.0, sum = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      range = MAX (range, fabs (w[i]));
      sum += w[i] * w[i];
    }
  if (method == 1)
    range = 2.0 * sqrt (sum / (double) n);
  return range > 0.0 ? (ldexp (1.0, bits - 1) - 1.0) / range : 1.0;
}

static double
result_scale (const SqNetworkResult *result)
{
  return *(const double *) result->data;
}

static SqNetworkResult *
toy_quantize (SqNetwork             *network,
              const SqQuantSettings *settings,
              SqQuantizeFlags        flags,
              GCancellable          *cancellable,
              GError               **error)
{
  const ToyNet *in = toy_net (network);
  int bits = settings->value[OPT_WEIGHT_BITS];
  double wmax = ldexp (1.0, bits - 1) - 1.0;
  double s = sq_test_toy_scale (in->weights.data, in->weights.n, settings->value[OPT_METHOD],
                                bits);
  ToyNet *q = g_new0 (ToyNet, 1);
  SqNetworkResult *r;
  SqQuantFigures *f;

  sq_tensor_copy (&q->weights, &in->weights, NULL);
  sq_tensor_copy (&q->threshold, &in->threshold, NULL);
  r = sq_network_result_new (network, settings, g_memdup2 (&s, sizeof s), g_free);
  f = &r->layers[0].figures;
  f->n_values = in->weights.n;
  for (gsize i = 0; i < in->weights.n; i++)
    {
      double w = in->weights.data[i], v = rint (w * s), e;

      f->clipped += fabs (v) > wmax;
      v = CLAMP (v, -wmax, wmax);
      f->zeroed += fabs (w) > 0.0 && !(fabs (v) > 0.0);
      f->n_nonzero += fabs (w) > 0.0;
      q->weights.data[i] = v;
      e = v / s - w;
      f->signal += w * w;
      f->noise += e * e;
      f->max_abs_error = MAX (f->max_abs_error, fabs (e));
    }
  for (gsize i = 0; i < in->threshold.n; i++)
    q->threshold.data[i] = rint (in->threshold.data[i] * s);
  r->total = *f;
  r->layers[0].clip = r->layers[0].clip_min = r->layers[0].clip_max = wmax / s;
  r->layers[0].scale = r->layers[0].scale_min = r->layers[0].scale_max = s;
  r->quantized = toy_network_new (q, network->source, TRUE);
  for (guint g = 0; g < 2; g++)
    {
      double clip = g == 0 ? wmax / s : INFINITY;
      SqMarker m = { "clip", -wmax / s, wmax / s, FALSE, FALSE, SQ_MARKER_PRIMARY, FALSE };
      SqGroupResult gr = { g, sq_network_get_group (r->quantized, g)->values, s, s, s, -clip,
                           clip, s, (guint) bits, g_array_new (FALSE, FALSE, sizeof (SqMarker)),
                           NULL, 0, NAN };

      g_array_append_val (gr.markers, m);
      g_array_append_val (r->groups, gr);
    }
  return r;
}

static gboolean
toy_group_errors (const SqNetworkResult  *result,
                  guint                   group,
                  gsize                   first,
                  gsize                   n,
                  double                 *errors,
                  GError                **error)
{
  const SqTensor *f = sq_network_get_group (result->network, group)->values;
  const SqTensor *q = sq_network_get_group (result->quantized, group)->values;
  double s = result_scale (result);

  for (gsize i = 0; i < n; i++)
    errors[i] = q->data[first + i] / s - f->data[first + i];
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Check, export, save                                                                       */

static void
issue_free (gpointer data)
{
  SqCheckIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

static SqCheckReport *
toy_check (const SqNetwork        *network,
           const SqNetworkResult  *result,
           const SqDeviceProfile  *device,
           GError                **error)
{
  SqCheckReport *report = g_new0 (SqCheckReport, 1);
  const SqTensor *w = &toy_net (network)->weights;

  report->device = device;
  report->issues = g_ptr_array_new_with_free_func (issue_free);
  if (!g_str_equal (device->name, "dynapcnn"))
    {
      SqCheckIssue *issue = g_new0 (SqCheckIssue, 1);

      issue->severity = SQ_CHECK_VIOLATION;
      issue->kind = "toy-device";
      issue->param = -1;
      issue->index = -1;
      issue->message = g_strdup ("toy networks run on dynapcnn only");
      g_ptr_array_add (report->issues, issue);
    }
  for (gsize i = 0; i < w->n; i++)
    if (fabs (w->data[i]) > 127.0 || fabs (w->data[i] - rint (w->data[i])) > 0.0)
      {
        SqCheckIssue *issue = g_new0 (SqCheckIssue, 1);

        issue->severity = SQ_CHECK_VIOLATION;
        issue->kind = "toy-weight";
        issue->param = 0;
        issue->index = (gssize) i;
        issue->message = g_strdup_printf ("weight %zu: %g is not an int8", i, w->data[i]);
        g_ptr_array_add (report->issues, issue);
      }
  return report;
}

static void
export_file_free (gpointer data)
{
  SqExportFile *f = data;

  g_free (f->path);
  g_bytes_unref (f->data);
  g_free (f);
}

static GPtrArray *
toy_export (const SqNetwork        *network,
            const SqNetworkResult  *result,
            const SqDeviceProfile  *device,
            const SqFormatInfo     *format,
            const char             *path,
            const SqExportOptions  *options,
            GError                **error)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (export_file_free);
  const ToyNet *net = toy_net (network);
  SqExportFile *f = g_new0 (SqExportFile, 1);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "toy for %s\n", device->name);
  if (result != NULL)
    g_string_append_printf (s, "scale %.17g\n", result_scale (result));
  for (gsize i = 0; i < net->weights.n; i++)
    g_string_append_printf (s, "%g%c", net->weights.data[i],
                            (i + 1) % net->weights.shape[1] ? ' ' : '\n');
  f->path = g_strdup (path);
  f->data = g_string_free_to_bytes (s);
  g_ptr_array_add (files, f);
  return files;
}

static GBytes *
toy_save (const SqNetworkResult  *result,
          const char             *extension,
          GError                **error)
{
  return toy_to_json (toy_net (result->quantized));
}

/* ---------------------------------------------------------------------------------------- */
/* The kind                                                                                  */

static const SqFormatInfo toy_formats[] = {
  { "toy-text", "Toy text", "txt", FALSE, FALSE },
};

static const char * const toy_extensions[] = { "toy", NULL };
static const char * const toy_devices[] = { "dynapcnn", NULL };

const SqNetworkKind sq_test_toy_kind = {
  .name = "toy",
  .label = "Toy network",
  .options = toy_options,
  .n_options = N_OPTS,
  .formats = toy_formats,
  .n_formats = G_N_ELEMENTS (toy_formats),
  .save_extensions = toy_extensions,
  .load_extensions = toy_extensions,
  .devices = toy_devices,
  .probe = toy_probe,
  .load = toy_load,
  .quantize = toy_quantize,
  .group_errors = toy_group_errors,
  .check = toy_check,
  .export = toy_export,
  .save = toy_save,
};

void
sq_test_toy_register (void)
{
  sq_network_kind_register (&sq_test_toy_kind);
}
