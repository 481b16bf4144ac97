/* sq-fxp-net.c: a fixed-point network's layers, their checks, and its JSON layer file
 *
 * {"input_shape": [C, H, W] | [N], "layers": [{"type": "linear" | "conv2d" | "flatten" |
 * "sumpool" | "avgpool", "weight": …, "bias": …, "recurrent": …, "stride": s | [sy, sx],
 * "padding": p | [py, px], "kernel": k | [ky, kx], "neuron": {"type": "if" | "lif" | "atif",
 * "tau": τ, "decay_input": b, "v_threshold": θ, "v_reset": v | null, "tau_syn": τ_s}}, …]}
 * (docs/fixedpoint.md). Read with the strict reader of the other layer files
 * (sq-json-reader-private.h): numbers straight into tensors, every error with its line, column
 * and key path (`layers[2].weight[3][1]`), nesting, sizes and the parameters of all layers
 * together bounded before anything larger is allocated. Longer than most files: the model's
 * checks and its file format are one coherent thing, and the reader and writer mirror each
 * other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-json-reader-private.h"
#include "sq-private.h"

G_DEFINE_QUARK (sq-fxp-error-quark, sq_fxp_error)

static const char *const op_names[] = { "linear", "conv2d", "flatten", "sumpool", "avgpool" };
static const char *const neuron_names[] = { "none", "if", "lif", "atif" };

const char *
sq_fxp_op_name (SqFxpOp op)
{
  return (guint) op < G_N_ELEMENTS (op_names) ? op_names[op] : "?";
}

const char *
sq_fxp_neuron_name (SqFxpNeuronType type)
{
  return (guint) type < G_N_ELEMENTS (neuron_names) ? neuron_names[type] : "?";
}

gsize
sq_fxp_shape_size (const gsize shape[3])
{
  return shape[0] * shape[1] * shape[2];
}

static void
layer_clear (SqFxpLayer *l)
{
  sq_tensor_clear (&l->weight);
  sq_tensor_clear (&l->bias);
  sq_tensor_clear (&l->recurrent);
}

static void
layer_defaults (SqFxpLayer *l)
{
  *l = (SqFxpLayer) { .stride_y = 0, .stride_x = 0, .kernel_y = 1, .kernel_x = 1 };
  l->neuron = (SqFxpNeuron) { .type = SQ_FXP_NEURON_NONE, .tau = 2.0, .decay_input = TRUE,
                              .v_threshold = 1.0, .soft_reset = FALSE, .v_reset = 0.0 };
}

/**
 * sq_fxp_net_new:
 * @input_rank: 1 (a vector) or 3 (C, H, W)
 * @input_shape: (array length=input_rank)
 *
 * A network of @n_layers layers with their defaults (Linear, no neuron; a LIF neuron set up as
 * SpikingJelly's: τ 2, decay_input, θ 1, hard reset to 0), for a mapper to fill in.
 */
SqFxpNet *
sq_fxp_net_new (const char  *source,
                guint        input_rank,
                const gsize *input_shape,
                guint        n_layers)
{
  SqFxpNet *net = g_new0 (SqFxpNet, 1);

  net->source = g_strdup (source);
  net->warnings = g_ptr_array_new_with_free_func (g_free);
  net->input_rank = input_rank;
  net->input_shape[0] = input_shape[0];
  net->input_shape[1] = input_rank == 3 ? input_shape[1] : 1;
  net->input_shape[2] = input_rank == 3 ? input_shape[2] : 1;
  net->n_layers = n_layers;
  net->layers = g_new0 (SqFxpLayer, n_layers);
  for (guint i = 0; i < n_layers; i++)
    layer_defaults (&net->layers[i]);
  return net;
}

void
sq_fxp_net_free (SqFxpNet *net)
{
  if (net == NULL)
    return;
  for (guint i = 0; i < net->n_layers; i++)
    layer_clear (&net->layers[i]);
  g_free (net->layers);
  g_free (net->source);
  g_clear_pointer (&net->warnings, g_ptr_array_unref);
  g_free (net);
}

static gboolean
invalid (const SqFxpNet *net,
         GError        **error,
         const char     *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (const SqFxpNet *net,
         GError        **error,
         const char     *format,
         ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_INVALID, "%s: %s", net->source, msg);
  return FALSE;
}

static gboolean
finite_tensor (const SqTensor *t)
{
  for (gsize i = 0; sq_tensor_is_present (t) && i < t->n; i++)
    if (!isfinite (t->data[i]))
      return FALSE;
  return TRUE;
}

static gboolean
validate_neuron (const SqFxpNet *net,
                 guint           i,
                 GError        **error)
{
  const SqFxpNeuron *n = &net->layers[i].neuron;

  if (n->type == SQ_FXP_NEURON_NONE)
    return TRUE;
  if (!(n->v_threshold > 0) || !isfinite (n->v_threshold))
    return invalid (net, error, _("layers[%u].neuron.v_threshold is %g: expected a finite "
                                  "value above 0"), i, n->v_threshold);
  if (!isfinite (n->v_reset))
    return invalid (net, error, _("layers[%u].neuron.v_reset is %g: expected a finite value"),
                    i, n->v_reset);
  if (n->type == SQ_FXP_NEURON_LIF && !(n->tau >= 1 && isfinite (n->tau)))
    return invalid (net, error, _("layers[%u].neuron.tau is %g: expected a time constant of "
                                  "at least 1 step"), i, n->tau);
  if (_sq_differ (n->tau_syn, 0) && !(n->tau_syn >= 1 && isfinite (n->tau_syn)))
    return invalid (net, error, _("layers[%u].neuron.tau_syn is %g: expected 0 (no synapse) or "
                                  "a time constant of at least 1 step"), i, n->tau_syn);
  return TRUE;
}

/* A window of @k with stride @s and padding @p over @in, or 0 when it does not fit. */
static gsize
out_size (gsize in,
          gsize k,
          gsize s,
          gsize p)
{
  return in + 2 * p < k ? 0 : (in + 2 * p - k) / s + 1;
}

/**
 * sq_fxp_net_validate:
 *
 * Checks that the layers fit together, their parameters are finite and in range, and the
 * whole stays within the bounds; fills in each layer's input and output shape and the
 * pooling strides left at 0 (the window).
 */
gboolean
sq_fxp_net_validate (SqFxpNet *net,
                     GError  **error)
{
  gsize shape[3], params = 0;

  memcpy (shape, net->input_shape, sizeof shape);
  if (net->n_layers == 0)
    return invalid (net, error, _("the network has no layer"));
  if (net->n_layers > SQ_FXP_MAX_LAYERS)
    return invalid (net, error, _("%u layers, more than %d"), net->n_layers,
                    SQ_FXP_MAX_LAYERS);
  for (guint d = 0; d < 3; d++)
    if (shape[d] == 0 || shape[d] > SQ_FXP_MAX_NEURONS)
      return invalid (net, error, _("input_shape[%u] is %zu: expected 1 to %zu"), d, shape[d],
                      SQ_FXP_MAX_NEURONS);
  if (shape[0] * shape[1] > SQ_FXP_MAX_NEURONS ||
      sq_fxp_shape_size (shape) > SQ_FXP_MAX_NEURONS)
    return invalid (net, error, _("the input has more than %zu values"), SQ_FXP_MAX_NEURONS);

  for (guint i = 0; i < net->n_layers; i++)
    {
      SqFxpLayer *l = &net->layers[i];
      const SqTensor *w = &l->weight;
      gsize out[3], n_in = sq_fxp_shape_size (shape);

      memcpy (l->in_shape, shape, sizeof shape);
      if (!finite_tensor (w) || !finite_tensor (&l->bias) || !finite_tensor (&l->recurrent))
        return invalid (net, error, _("layers[%u] has a value that is not finite"), i);
      params += (sq_tensor_is_present (w) ? w->n : 0) + (sq_tensor_is_present (&l->bias)
                 ? l->bias.n : 0) + (sq_tensor_is_present (&l->recurrent) ? l->recurrent.n : 0);
      if (params > SQ_FXP_MAX_PARAMS)
        {
          g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_TOO_LARGE,
                       _("%s: the layers up to layers[%u] hold more than %zu parameters"),
                       net->source, i, SQ_FXP_MAX_PARAMS);
          return FALSE;
        }
      switch (l->op)
        {
        case SQ_FXP_OP_LINEAR:
          if (w->rank != 2 || w->shape[1] != n_in || w->shape[0] == 0)
            {
              g_autofree char *have = sq_tensor_shape_string (w);

              return invalid (net, error, _("layers[%u].weight has shape %s: expected (out, "
                                            "%zu), the input's %zu values"), i, have, n_in,
                              n_in);
            }
          out[0] = w->shape[0];
          out[1] = out[2] = 1;
          break;
        case SQ_FXP_OP_CONV2D:
          if (w->rank != 4 || w->shape[1] != shape[0] || w->n == 0)
            {
              g_autofree char *have = sq_tensor_shape_string (w);

              return invalid (net, error, _("layers[%u].weight has shape %s: expected (F, "
                                            "%zu, kh, kw)"), i, have, shape[0]);
            }
          if (l->stride_y == 0)
            l->stride_y = 1;
          if (l->stride_x == 0)
            l->stride_x = 1;
          out[0] = w->shape[0];
          out[1] = out_size (shape[1], w->shape[2], l->stride_y, l->pad_y);
          out[2] = out_size (shape[2], w->shape[3], l->stride_x, l->pad_x);
          if (out[1] == 0 || out[2] == 0)
            return invalid (net, error, _("layers[%u]: the %zu × %zu kernel (padding %u × %u) "
                                          "does not fit its %zu × %zu input"), i, w->shape[2],
                            w->shape[3], l->pad_y, l->pad_x, shape[1], shape[2]);
          break;
        case SQ_FXP_OP_FLATTEN:
          out[0] = n_in;
          out[1] = out[2] = 1;
          break;
        case SQ_FXP_OP_SUMPOOL:
        case SQ_FXP_OP_AVGPOOL:
          if (l->stride_y == 0)
            l->stride_y = l->kernel_y;
          if (l->stride_x == 0)
            l->stride_x = l->kernel_x;
          out[0] = shape[0];
          out[1] = out_size (shape[1], l->kernel_y, l->stride_y, 0);
          out[2] = out_size (shape[2], l->kernel_x, l->stride_x, 0);
          if (out[1] == 0 || out[2] == 0)
            return invalid (net, error, _("layers[%u]: the %u × %u pooling window does not fit "
                                          "its %zu × %zu input"), i, l->kernel_y, l->kernel_x,
                            shape[1], shape[2]);
          break;
        default:
          return invalid (net, error, _("layers[%u] has an unknown operation"), i);
        }
      if (out[0] * out[1] > SQ_FXP_MAX_NEURONS || sq_fxp_shape_size (out) > SQ_FXP_MAX_NEURONS)
        return invalid (net, error, _("layers[%u] has more than %zu outputs"), i,
                        SQ_FXP_MAX_NEURONS);
      if (sq_tensor_is_present (&l->bias) &&
          (l->op == SQ_FXP_OP_LINEAR || l->op == SQ_FXP_OP_CONV2D) &&
          (l->bias.rank != 1 || l->bias.shape[0] != out[0]))
        {
          g_autofree char *have = sq_tensor_shape_string (&l->bias);

          return invalid (net, error, _("layers[%u].bias has shape %s: expected (%zu,), one "
                                        "per output channel"), i, have, out[0]);
        }
      if (sq_tensor_is_present (&l->bias) && l->op != SQ_FXP_OP_LINEAR &&
          l->op != SQ_FXP_OP_CONV2D)
        return invalid (net, error, _("layers[%u]: a %s layer has no bias"), i,
                        sq_fxp_op_name (l->op));
      if (sq_tensor_is_present (&l->recurrent))
        {
          if (l->op != SQ_FXP_OP_LINEAR || l->neuron.type == SQ_FXP_NEURON_NONE)
            return invalid (net, error, _("layers[%u].recurrent: only a linear layer with a "
                                          "neuron has recurrent weights"), i);
          if (l->recurrent.rank != 2 || l->recurrent.shape[0] != out[0] ||
              l->recurrent.shape[1] != out[0])
            {
              g_autofree char *have = sq_tensor_shape_string (&l->recurrent);

              return invalid (net, error, _("layers[%u].recurrent has shape %s: expected "
                                            "(%zu, %zu)"), i, have, out[0], out[0]);
            }
        }
      if (!validate_neuron (net, i, error))
        return FALSE;
      memcpy (l->out_shape, out, sizeof out);
      memcpy (shape, out, sizeof out);
    }
  return TRUE;
}

/* Reading. */

typedef struct _ObjectReader ObjectReader;
typedef gboolean (*MemberFunc) (SqJsonReader *r,
                                guint         key,
                                const char   *path,
                                gpointer      data,
                                GError      **error);

struct _ObjectReader {
  const char *const *keys;
  guint              n_keys;
  MemberFunc         member;
  gpointer           data;
  GPtrArray         *warnings;
  const char        *what;    /* "an object with …", for the message when it is not one */
};

/* An object's members: known keys to @o->member (each once), unknown ones skipped with a
 * warning; @seen (one per key) says which were given. */
static gboolean
read_object (SqJsonReader       *r,
             const ObjectReader *o,
             const char         *prefix,
             gboolean           *seen,
             GError            **error)
{
  if (_sq_json_reader_peek (r) != SQ_JSON_OBJECT)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NOT_OBJECT, r->p,
                             _("%s is %s: expected %s"), *prefix ? prefix : _("the top level"),
                             _sq_json_token_describe (_sq_json_reader_peek (r)), _(o->what));
      return FALSE;
    }
  r->p++;
  if (_sq_json_reader_accept (r, '}'))
    return TRUE;
  do
    {
      g_autofree char *key = NULL, *path = NULL;
      const char *key_at;
      guint k;

      _sq_json_reader_peek (r);
      key_at = r->p;
      key = _sq_json_reader_read_string (r, error);
      if (key == NULL || !_sq_json_reader_expect (r, ':', N_("after an object key"), error))
        return FALSE;
      for (k = 0; k < o->n_keys; k++)
        if (g_str_equal (key, o->keys[k]))
          break;
      if (k == o->n_keys)
        {
          g_autofree char *shown = _sq_json_escape_key (key);
          g_autofree char *where = *prefix ? g_strdup_printf ("%s.%s", prefix, shown)
                                           : g_strdup (shown);

          g_ptr_array_add (o->warnings, g_strdup_printf (_("unknown key \"%s\" ignored"),
                                                         where));
          if (!_sq_json_reader_skip_value (r, where, error))
            return FALSE;
          continue;
        }
      path = *prefix ? g_strdup_printf ("%s.%s", prefix, key) : g_strdup (key);
      if (seen[k])
        {
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_DUPLICATE_KEY, key_at,
                                 _("key \"%s\" appears twice"), path);
          return FALSE;
        }
      seen[k] = TRUE;
      if (!o->member (r, k, path, o->data, error))
        return FALSE;
    }
  while (_sq_json_reader_accept (r, ','));
  return _sq_json_reader_expect (r, '}', N_("or ',' after an object member"), error);
}

/* A whole number for both axes, or [y, x]. */
static gboolean
read_yx (SqJsonReader *r,
         const char   *path,
         gsize         lo,
         guint        *y,
         guint        *x,
         GError      **error)
{
  gsize v[2];

  if (_sq_json_reader_peek (r) != SQ_JSON_ARRAY)
    {
      if (!_sq_json_reader_read_count (r, path, lo, SQ_FXP_MAX_GEOMETRY, &v[0], error))
        return FALSE;
      *y = *x = (guint) v[0];
      return TRUE;
    }
  r->p++;
  for (guint d = 0; d < 2; d++)
    {
      g_autofree char *p = g_strdup_printf ("%s[%u]", path, d);

      if ((d > 0 && !_sq_json_reader_expect (r, ',', N_("between y and x"), error)) ||
          !_sq_json_reader_read_count (r, p, lo, SQ_FXP_MAX_GEOMETRY, &v[d], error))
        return FALSE;
    }
  if (!_sq_json_reader_expect (r, ']', N_("after [y, x]"), error))
    return FALSE;
  *y = (guint) v[0];
  *x = (guint) v[1];
  return TRUE;
}

/* One of @names (a %NULL-terminated list), as its index. */
static gboolean
read_name (SqJsonReader      *r,
           const char        *path,
           const char *const *names,
           guint              n_names,
           guint             *out,
           GError           **error)
{
  g_autofree char *s = NULL, *list = NULL;
  const char *at;

  at = r->p;
  if (_sq_json_reader_peek (r) == SQ_JSON_STRING)
    {
      s = _sq_json_reader_read_string (r, error);
      if (s == NULL)
        return FALSE;
      for (guint k = 0; k < n_names; k++)
        if (g_str_equal (s, names[k]))
          {
            *out = k;
            return TRUE;
          }
    }
  {
    GString *l = g_string_new (NULL);

    for (guint k = 0; k < n_names; k++)
      g_string_append_printf (l, "%s\"%s\"", k ? ", " : "", names[k]);
    list = g_string_free (l, FALSE);
  }
  if (s != NULL)
    {
      g_autofree char *shown = _sq_json_escape_key (s);

      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                             _("%s is \"%s\": expected one of %s"), path, shown, list);
    }
  else
    _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at, _("%s is %s: expected one of %s"),
                           path, _sq_json_token_describe (_sq_json_reader_peek (r)), list);
  return FALSE;
}

static gboolean
read_bool (SqJsonReader *r,
           const char   *path,
           gboolean     *out,
           GError      **error)
{
  SqJsonToken t = _sq_json_reader_peek (r);

  if (t != SQ_JSON_TRUE && t != SQ_JSON_FALSE)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, r->p,
                             _("%s is %s: expected true or false"), path,
                             _sq_json_token_describe (t));
      return FALSE;
    }
  *out = t == SQ_JSON_TRUE;
  return _sq_json_reader_skip_value (r, path, error);
}

static gboolean
read_number (SqJsonReader *r,
             const char   *path,
             double       *v,
             GError      **error)
{
  _sq_json_reader_peek (r);
  return _sq_json_reader_read_scalar (r, path, v, NULL, error);
}

enum { NK_TYPE, NK_TAU, NK_DECAY_INPUT, NK_THRESHOLD, NK_RESET, NK_TAU_SYN, N_NEURON_KEYS };
static const char *const neuron_keys[N_NEURON_KEYS] = {
  "type", "tau", "decay_input", "v_threshold", "v_reset", "tau_syn",
};

static gboolean
neuron_member (SqJsonReader *r,
               guint         key,
               const char   *path,
               gpointer      data,
               GError      **error)
{
  SqFxpNeuron *n = data;
  guint type;

  switch (key)
    {
    case NK_TYPE:
      if (!read_name (r, path, neuron_names + 1, G_N_ELEMENTS (neuron_names) - 1, &type,
                      error))
        return FALSE;
      n->type = (SqFxpNeuronType) (type + 1);
      return TRUE;
    case NK_TAU:
      return read_number (r, path, &n->tau, error);
    case NK_DECAY_INPUT:
      return read_bool (r, path, &n->decay_input, error);
    case NK_THRESHOLD:
      return read_number (r, path, &n->v_threshold, error);
    case NK_RESET:
      if (_sq_json_reader_peek (r) == SQ_JSON_NULL)
        {
          n->soft_reset = TRUE;
          n->v_reset = 0;
          return _sq_json_reader_skip_value (r, path, error);
        }
      n->soft_reset = FALSE;
      return read_number (r, path, &n->v_reset, error);
    case NK_TAU_SYN:
      return read_number (r, path, &n->tau_syn, error);
    default:
      g_assert_not_reached ();
    }
}

enum { LK_TYPE, LK_WEIGHT, LK_BIAS, LK_RECURRENT, LK_STRIDE, LK_PADDING, LK_KERNEL, LK_NEURON,
       N_LAYER_KEYS };
static const char *const layer_keys[N_LAYER_KEYS] = {
  "type", "weight", "bias", "recurrent", "stride", "padding", "kernel", "neuron",
};

typedef struct {
  SqFxpLayer *layer;
  GPtrArray  *warnings;
  const char *weight_at;
} LayerRead;

static gboolean
layer_member (SqJsonReader *r,
              guint         key,
              const char   *path,
              gpointer      data,
              GError      **error)
{
  LayerRead *lr = data;
  SqFxpLayer *l = lr->layer;
  guint op;

  switch (key)
    {
    case LK_TYPE:
      if (!read_name (r, path, op_names, G_N_ELEMENTS (op_names), &op, error))
        return FALSE;
      l->op = (SqFxpOp) op;
      return TRUE;
    case LK_WEIGHT:
      /* The rank is checked against the type once both are known. */
      _sq_json_reader_peek (r);
      lr->weight_at = r->p;
      return _sq_json_reader_read_tensor (r, path, 4, &l->weight, error);
    case LK_BIAS:
      return _sq_json_reader_read_tensor_rank (r, path, 1, "(out,)", &l->bias, error);
    case LK_RECURRENT:
      return _sq_json_reader_read_tensor_rank (r, path, 2, "(out, out)", &l->recurrent, error);
    case LK_STRIDE:
      return read_yx (r, path, 1, &l->stride_y, &l->stride_x, error);
    case LK_PADDING:
      return read_yx (r, path, 0, &l->pad_y, &l->pad_x, error);
    case LK_KERNEL:
      return read_yx (r, path, 1, &l->kernel_y, &l->kernel_x, error);
    case LK_NEURON:
      {
        gboolean seen[N_NEURON_KEYS] = { FALSE, };
        ObjectReader o = { neuron_keys, N_NEURON_KEYS, neuron_member, &l->neuron,
                           lr->warnings, N_("an object with the neuron's keys (type, tau, "
                                            "v_threshold, …)") };
        const char *at = r->p;

        if (!read_object (r, &o, path, seen, error))
          return FALSE;
        if (!seen[NK_TYPE])
          {
            _sq_json_reader_error (r, error, SQ_SPEC_ERROR_MISSING_KEY, at,
                                   _("%s has no \"type\" (\"if\", \"lif\" or \"atif\")"),
                                   path);
            return FALSE;
          }
        if (l->neuron.type == SQ_FXP_NEURON_ATIF)
          l->neuron.soft_reset = TRUE;
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
read_layer (SqJsonReader *r,
            SqFxpLayer   *l,
            guint         index,
            GPtrArray    *warnings,
            GError      **error)
{
  g_autofree char *prefix = g_strdup_printf ("layers[%u]", index);
  gboolean seen[N_LAYER_KEYS] = { FALSE, };
  LayerRead lr = { l, warnings, NULL };
  ObjectReader o = { layer_keys, N_LAYER_KEYS, layer_member, &lr, warnings,
                     N_("an object with the layer's keys (type, weight, …)") };
  const char *at = r->p;
  gboolean weighted;

  if (!read_object (r, &o, prefix, seen, error))
    return FALSE;
  if (!seen[LK_TYPE])
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_MISSING_KEY, at,
                             _("%s has no \"type\" (\"linear\", \"conv2d\", \"flatten\", "
                               "\"sumpool\" or \"avgpool\")"), prefix);
      return FALSE;
    }
  weighted = l->op == SQ_FXP_OP_LINEAR || l->op == SQ_FXP_OP_CONV2D;
  if (weighted != seen[LK_WEIGHT])
    {
      _sq_json_reader_error (r, error, weighted ? SQ_SPEC_ERROR_MISSING_KEY
                                                : SQ_SPEC_ERROR_VALUE, at,
                             weighted ? _("%s has no \"weight\"")
                                      : _("%s: a %s layer has no \"weight\""), prefix,
                             sq_fxp_op_name (l->op));
      return FALSE;
    }
  if (weighted && l->weight.rank != (l->op == SQ_FXP_OP_LINEAR ? 2u : 4u))
    {
      g_autofree char *shape = sq_tensor_shape_string (&l->weight);

      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RANK, lr.weight_at,
                             _("%s.weight has shape %s: expected %s"), prefix, shape,
                             l->op == SQ_FXP_OP_LINEAR ? "(out, in)" : "(F, C, kh, kw)");
      return FALSE;
    }
  if (seen[LK_KERNEL] != (l->op == SQ_FXP_OP_SUMPOOL || l->op == SQ_FXP_OP_AVGPOOL) ||
      (seen[LK_PADDING] && l->op != SQ_FXP_OP_CONV2D) ||
      (seen[LK_STRIDE] && (l->op == SQ_FXP_OP_LINEAR || l->op == SQ_FXP_OP_FLATTEN)))
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                             _("%s: a %s layer takes %s"), prefix, sq_fxp_op_name (l->op),
                             l->op == SQ_FXP_OP_CONV2D ? _("stride and padding, no kernel")
                             : l->op == SQ_FXP_OP_LINEAR || l->op == SQ_FXP_OP_FLATTEN
                             ? _("no stride, padding or kernel")
                             : _("a kernel and a stride, no padding"));
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  SqFxpNet *net;
  GArray   *layers;
} TopRead;

enum { TK_INPUT_SHAPE, TK_LAYERS, N_TOP_KEYS };
static const char *const top_keys[N_TOP_KEYS] = { "input_shape", "layers" };

static gboolean
read_layers (SqJsonReader *r,
             TopRead      *tr,
             GError      **error)
{
  if (_sq_json_reader_peek (r) != SQ_JSON_ARRAY)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NOT_A_NUMBER, r->p,
                             _("layers is %s: expected a list of layer objects"),
                             _sq_json_token_describe (_sq_json_reader_peek (r)));
      return FALSE;
    }
  r->p++;
  if (_sq_json_reader_accept (r, ']'))
    return TRUE;
  do
    {
      SqFxpLayer l;
      gboolean ok;

      if (tr->layers->len == SQ_FXP_MAX_LAYERS)
        {
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_TOO_LARGE, r->p,
                                 _("more than %d layers"), SQ_FXP_MAX_LAYERS);
          return FALSE;
        }
      layer_defaults (&l);
      ok = read_layer (r, &l, tr->layers->len, tr->net->warnings, error);
      g_array_append_val (tr->layers, l);
      if (!ok)
        return FALSE;
    }
  while (_sq_json_reader_accept (r, ','));
  return _sq_json_reader_expect (r, ']', N_("or ',' after a layer"), error);
}

static gboolean
read_input_shape (SqJsonReader *r,
                  SqFxpNet     *net,
                  GError      **error)
{
  gsize shape[3] = { 1, 1, 1 };
  guint d = 0;

  if (!_sq_json_reader_expect (r, '[', N_("to start input_shape [C, H, W] or [N]"), error))
    return FALSE;
  do
    {
      g_autofree char *path = g_strdup_printf ("input_shape[%u]", d);

      if (d == 3)
        {
          _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RANK, r->p,
                                 _("input_shape has more than 3 values: expected [C, H, W] or "
                                   "[N]"));
          return FALSE;
        }
      if (!_sq_json_reader_read_count (r, path, 1, SQ_FXP_MAX_NEURONS, &shape[d], error))
        return FALSE;
      d++;
    }
  while (_sq_json_reader_accept (r, ','));
  if (!_sq_json_reader_expect (r, ']', N_("after input_shape [C, H, W] or [N]"), error))
    return FALSE;
  if (d == 2)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_RANK, r->p,
                             _("input_shape has 2 values: expected [C, H, W] or [N]"));
      return FALSE;
    }
  net->input_rank = d;
  memcpy (net->input_shape, shape, sizeof shape);
  return TRUE;
}

static gboolean
top_member (SqJsonReader *r,
            guint         key,
            const char   *path,
            gpointer      data,
            GError      **error)
{
  TopRead *tr = data;

  (void) path;
  return key == TK_LAYERS ? read_layers (r, tr, error) : read_input_shape (r, tr->net, error);
}

/**
 * sq_fxp_net_load_json_data:
 * @data: (array length=length): the JSON text; it need not be NUL-terminated
 * @display_name: how messages name the file
 *
 * Parses and checks a fixed-point layer file (docs/fixedpoint.md). Unknown keys are ignored
 * and listed in the network's warnings.
 *
 * Returns: (transfer full): the float network, or %NULL with @error set
 */
SqFxpNet *
sq_fxp_net_load_json_data (const char  *data,
                           gsize        length,
                           const char  *display_name,
                           GError     **error)
{
  g_autoptr(SqFxpNet) net = g_new0 (SqFxpNet, 1);
  g_autoptr(GArray) layers = g_array_new (FALSE, TRUE, sizeof (SqFxpLayer));
  gboolean seen[N_TOP_KEYS] = { FALSE, };
  TopRead tr = { net, layers };
  ObjectReader o = { top_keys, N_TOP_KEYS, top_member, &tr, NULL,
                     N_("an object with \"input_shape\" and \"layers\"") };
  gboolean ok;
  SqJsonReader r;

  net->source = g_strdup (display_name);
  net->warnings = g_ptr_array_new_with_free_func (g_free);
  o.warnings = net->warnings;
  _sq_json_reader_init_document (&r, data, length, display_name);
  if (_sq_json_reader_peek (&r) == SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, NULL,
                             _("the file is empty, expected a JSON object"));
      return NULL;
    }
  ok = read_object (&r, &o, "", seen, error);
  /* The layers read so far belong to the network, so a failure frees them with it. */
  net->n_layers = layers->len;
  net->layers = (SqFxpLayer *) (void *) g_array_free (g_steal_pointer (&layers), FALSE);
  if (!ok)
    return NULL;
  if (_sq_json_reader_peek (&r) != SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, r.p,
                             _("unexpected data after the end of the network"));
      return NULL;
    }
  for (guint k = 0; k < N_TOP_KEYS; k++)
    if (!seen[k])
      {
        _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_MISSING_KEY, NULL,
                               k == TK_LAYERS ? _("no \"layers\": expected a list of layer "
                                                  "objects")
                                              : _("no \"input_shape\": expected [C, H, W] or "
                                                  "[N]"));
        return NULL;
      }
  if (!sq_fxp_net_validate (net, error))
    return NULL;
  return g_steal_pointer (&net);
}

/* Writing. */

static void
append_yx (GString    *s,
           const char *key,
           guint       y,
           guint       x)
{
  if (y == x)
    g_string_append_printf (s, ", \"%s\": %u", key, y);
  else
    g_string_append_printf (s, ", \"%s\": [%u, %u]", key, y, x);
}

static void
append_tensor (GString        *s,
               const char     *key,
               const SqTensor *t)
{
  if (!sq_tensor_is_present (t))
    return;
  g_string_append_printf (s, ", \"%s\": ", key);
  _sq_append_tensor (s, t);
}

static void
append_number (GString    *s,
               const char *key,
               double      v)
{
  g_string_append_printf (s, ", \"%s\": ", key);
  _sq_append_float (s, v);
}

static void
append_neuron (GString           *s,
               const SqFxpNeuron *n)
{
  g_string_append_printf (s, ", \"neuron\": {\"type\": \"%s\"", sq_fxp_neuron_name (n->type));
  if (n->type == SQ_FXP_NEURON_LIF)
    {
      append_number (s, "tau", n->tau);
      g_string_append_printf (s, ", \"decay_input\": %s", n->decay_input ? "true" : "false");
    }
  append_number (s, "v_threshold", n->v_threshold);
  if (n->type != SQ_FXP_NEURON_ATIF)
    {
      if (n->soft_reset)
        g_string_append (s, ", \"v_reset\": null");
      else
        append_number (s, "v_reset", n->v_reset);
    }
  if (_sq_differ (n->tau_syn, 0))
    append_number (s, "tau_syn", n->tau_syn);
  g_string_append_c (s, '}');
}

/**
 * sq_fxp_net_to_json:
 *
 * Writes @net as a layer file that sq_fxp_net_load_json_data() reads back to the same values:
 * one line per layer, keys in a fixed order, geometry only where it says something, numbers
 * as Python writes them.
 */
GString *
sq_fxp_net_to_json (const SqFxpNet *net)
{
  GString *s = g_string_new ("{\"input_shape\": [");

  if (net->input_rank == 3)
    g_string_append_printf (s, "%zu, %zu, %zu]", net->input_shape[0], net->input_shape[1],
                            net->input_shape[2]);
  else
    g_string_append_printf (s, "%zu]", net->input_shape[0]);
  g_string_append (s, ", \"layers\": [");
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];

      g_string_append_printf (s, "%s\n  {\"type\": \"%s\"", i ? "," : "", sq_fxp_op_name (l->op));
      append_tensor (s, "weight", &l->weight);
      append_tensor (s, "bias", &l->bias);
      append_tensor (s, "recurrent", &l->recurrent);
      if (l->op == SQ_FXP_OP_SUMPOOL || l->op == SQ_FXP_OP_AVGPOOL)
        append_yx (s, "kernel", l->kernel_y, l->kernel_x);
      if (l->op != SQ_FXP_OP_LINEAR && l->op != SQ_FXP_OP_FLATTEN && l->stride_y > 0)
        append_yx (s, "stride", l->stride_y, l->stride_x);
      if (l->op == SQ_FXP_OP_CONV2D && (l->pad_y > 0 || l->pad_x > 0))
        append_yx (s, "padding", l->pad_y, l->pad_x);
      if (l->neuron.type != SQ_FXP_NEURON_NONE)
        append_neuron (s, &l->neuron);
      g_string_append_c (s, '}');
    }
  g_string_append (s, "\n]}\n");
  return s;
}
