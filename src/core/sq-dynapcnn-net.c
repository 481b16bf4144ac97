/* sq-dynapcnn-net.c: a DynapCNN / Speck network from its JSON layer file
 *
 * {"input_shape": [C, H, W], "layers": [{"weight": …, "bias": …, "spike_threshold": θ,
 * "min_v_mem": θ_low | null, "v_mem": …, "stride": s | [sy, sx], "padding": p | [py, px],
 * "reset": "subtract" | "zero", "spike": "multi" | "single", "pooling": p, "scale": s}, …]}
 * (docs/dynapcnn.md). Read with the strict reader the Xylo specification uses
 * (sq-json-reader-private.h): numbers straight into tensors, every error with its line,
 * column and key path (`layers[2].weight[3][0][1][1]`), nesting and sizes bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-net-private.h"
#include "sq-json-reader-private.h"
#include "sq-private.h"

/* Strides, padding and pooling beyond these are no network anyone trains; the chip's own,
 * much smaller, limits are the device check's (sq-dynapcnn-placement.c). */
#define MAX_GEOMETRY 4096

enum {
  KEY_WEIGHT, KEY_BIAS, KEY_THRESHOLD, KEY_MIN_V_MEM, KEY_V_MEM, KEY_STRIDE, KEY_PADDING,
  KEY_RESET, KEY_SPIKE, KEY_POOLING, KEY_SCALE, N_KEYS
};

static const char *const key_names[N_KEYS] = {
  "weight", "bias", "spike_threshold", "min_v_mem", "v_mem", "stride", "padding", "reset",
  "spike", "pooling", "scale",
};

/* An int, or [y, x]. */
static gboolean
read_pair (SqJsonReader *r,
           const char   *path,
           gsize         lo,
           guint        *y,
           guint        *x,
           GError      **error)
{
  gsize vy, vx;

  if (_sq_json_reader_peek (r) != SQ_JSON_ARRAY)
    {
      if (!_sq_json_reader_read_count (r, path, lo, MAX_GEOMETRY, &vy, error))
        return FALSE;
      *y = *x = (guint) vy;
      return TRUE;
    }
  r->p++;
  {
    g_autofree char *py = g_strconcat (path, "[0]", NULL);
    g_autofree char *px = g_strconcat (path, "[1]", NULL);

    if (!_sq_json_reader_read_count (r, py, lo, MAX_GEOMETRY, &vy, error) ||
        !_sq_json_reader_expect (r, ',', N_("between y and x"), error) ||
        !_sq_json_reader_read_count (r, px, lo, MAX_GEOMETRY, &vx, error) ||
        !_sq_json_reader_expect (r, ']', N_("after [y, x]"), error))
      return FALSE;
  }
  *y = (guint) vy;
  *x = (guint) vx;
  return TRUE;
}

static gboolean
read_choice (SqJsonReader *r,
             const char   *path,
             const char   *first,
             const char   *second,
             gboolean     *is_second,
             GError      **error)
{
  g_autofree char *s = NULL;
  const char *at;

  if (_sq_json_reader_peek (r) != SQ_JSON_STRING)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, r->p,
                             _("%s is %s: expected \"%s\" or \"%s\""), path,
                             _sq_json_token_describe (_sq_json_reader_peek (r)), first, second);
      return FALSE;
    }
  at = r->p;
  s = _sq_json_reader_read_string (r, error);
  if (s == NULL)
    return FALSE;
  if (g_str_equal (s, first) || g_str_equal (s, second))
    {
      *is_second = g_str_equal (s, second);
      return TRUE;
    }
  {
    g_autofree char *shown = _sq_json_escape_key (s);

    _sq_json_reader_error (r, error, SQ_SPEC_ERROR_VALUE, at,
                           _("%s is \"%s\": expected \"%s\" or \"%s\""), path, shown, first,
                           second);
  }
  return FALSE;
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

static gboolean
read_layer_member (SqJsonReader       *r,
                   SqDynapcnnNetLayer *l,
                   const char         *prefix,
                   gboolean           *seen,
                   GPtrArray          *warnings,
                   GError            **error)
{
  g_autofree char *key = NULL, *path = NULL;
  const char *key_at;
  gsize pool;
  guint k;

  _sq_json_reader_peek (r);
  key_at = r->p;
  key = _sq_json_reader_read_string (r, error);
  if (key == NULL || !_sq_json_reader_expect (r, ':', N_("after an object key"), error))
    return FALSE;
  for (k = 0; k < N_KEYS; k++)
    if (g_str_equal (key, key_names[k]))
      break;
  if (k == N_KEYS)
    {
      g_autofree char *shown = _sq_json_escape_key (key);
      g_autofree char *where = g_strdup_printf ("%s.%s", prefix, shown);

      g_ptr_array_add (warnings, g_strdup_printf (_("unknown key \"%s\" ignored"), where));
      return _sq_json_reader_skip_value (r, where, error);
    }
  path = g_strdup_printf ("%s.%s", prefix, key);
  if (seen[k])
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_DUPLICATE_KEY, key_at,
                             _("key \"%s\" appears twice"), path);
      return FALSE;
    }
  seen[k] = TRUE;

  switch (k)
    {
    case KEY_WEIGHT:
      return _sq_json_reader_read_tensor_rank (r, path, 4, "(Cout, Cin, kh, kw)", &l->params.weight, error);
    case KEY_BIAS:
      return _sq_json_reader_read_tensor_rank (r, path, 1, "(Cout,)", &l->params.bias, error);
    case KEY_V_MEM:
      return _sq_json_reader_read_tensor_rank (r, path, 3, "(Cout, H, W)", &l->params.v_mem, error);
    case KEY_THRESHOLD:
      return read_number (r, path, &l->params.spike_threshold, error);
    case KEY_MIN_V_MEM:
      if (_sq_json_reader_peek (r) == SQ_JSON_NULL)
        {
          l->params.has_min_v_mem = FALSE;
          return _sq_json_reader_skip_value (r, path, error);
        }
      l->params.has_min_v_mem = TRUE;
      return read_number (r, path, &l->params.min_v_mem, error);
    case KEY_STRIDE:
      return read_pair (r, path, 1, &l->stride_y, &l->stride_x, error);
    case KEY_PADDING:
      return read_pair (r, path, 0, &l->pad_y, &l->pad_x, error);
    case KEY_RESET:
      return read_choice (r, path, "subtract", "zero", &l->reset_zero, error);
    case KEY_SPIKE:
      return read_choice (r, path, "multi", "single", &l->single_spike, error);
    case KEY_POOLING:
      if (!_sq_json_reader_read_count (r, path, 1, MAX_GEOMETRY, &pool, error))
        return FALSE;
      l->pool = (guint) pool;
      return TRUE;
    case KEY_SCALE:
      l->has_scale = TRUE;
      return read_number (r, path, &l->scale, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
read_layer (SqJsonReader       *r,
            SqDynapcnnNetLayer *l,
            guint               index,
            GPtrArray          *warnings,
            GError            **error)
{
  g_autofree char *prefix = g_strdup_printf ("layers[%u]", index);
  gboolean seen[N_KEYS] = { FALSE, };
  const char *at;

  *l = (SqDynapcnnNetLayer) { .stride_y = 1, .stride_x = 1, .pool = 1 };
  at = r->p;
  if (_sq_json_reader_peek (r) != SQ_JSON_OBJECT)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NOT_OBJECT, r->p,
                             _("%s is %s: expected an object with the layer's keys (weight, "
                               "spike_threshold, min_v_mem, …)"), prefix,
                             _sq_json_token_describe (_sq_json_reader_peek (r)));
      return FALSE;
    }
  r->p++;
  if (!_sq_json_reader_accept (r, '}'))
    {
      do
        if (!read_layer_member (r, l, prefix, seen, warnings, error))
          return FALSE;
      while (_sq_json_reader_accept (r, ','));
      if (!_sq_json_reader_expect (r, '}', N_("or ',' after a layer member"), error))
        return FALSE;
    }
  for (guint k = KEY_WEIGHT; k <= KEY_MIN_V_MEM; k++)
    if (k != KEY_BIAS && !seen[k])
      {
        _sq_json_reader_error (r, error, SQ_SPEC_ERROR_MISSING_KEY, at,
                               _("%s has no \"%s\"%s"), prefix, key_names[k],
                               k == KEY_MIN_V_MEM ? _(" (null for no lower bound)") : "");
        return FALSE;
      }
  return TRUE;
}

static void
layer_clear (SqDynapcnnNetLayer *l)
{
  sq_tensor_clear (&l->params.weight);
  sq_tensor_clear (&l->params.bias);
  sq_tensor_clear (&l->params.v_mem);
}

void
sq_dynapcnn_net_free (SqDynapcnnNet *net)
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

SqDynapcnnNet *
_sq_dynapcnn_net_new_frame (const SqDynapcnnNet *net)
{
  SqDynapcnnNet *out = g_new0 (SqDynapcnnNet, 1);

  out->source = g_strdup (net->source);
  out->has_input_shape = net->has_input_shape;
  memcpy (out->input_shape, net->input_shape, sizeof out->input_shape);
  out->warnings = g_ptr_array_new_with_free_func (g_free);
  out->layers = g_new0 (SqDynapcnnNetLayer, net->n_layers);
  return out;
}

/**
 * sq_dynapcnn_net_copy_float:
 * @net: a network
 * @error: return location for a #GError
 *
 * A copy of @net without the layers' discretization scales: what a transform's draw is
 * burnt into, so it quantizes like a trained network.
 *
 * Returns: (transfer full): the copy, or %NULL with @error set (a tensor too large)
 */
SqDynapcnnNet *
sq_dynapcnn_net_copy_float (const SqDynapcnnNet  *net,
                            GError              **error)
{
  g_autoptr(SqDynapcnnNet) out = _sq_dynapcnn_net_new_frame (net);

  for (guint i = 0; i < net->n_layers; i++)
    {
      SqDynapcnnNetLayer *l = &out->layers[i];
      const SqDynapcnnLayerParams *p = &net->layers[i].params;

      *l = net->layers[i];
      memset (&l->params, 0, sizeof l->params);
      out->n_layers = i + 1;
      l->params.spike_threshold = p->spike_threshold;
      l->params.has_min_v_mem = p->has_min_v_mem;
      l->params.min_v_mem = p->min_v_mem;
      l->has_scale = FALSE;
      l->scale = 0.0;
      if (!sq_tensor_copy (&l->params.weight, &p->weight, error) ||
          (sq_tensor_is_present (&p->bias) && !sq_tensor_copy (&l->params.bias, &p->bias, error)) ||
          (sq_tensor_is_present (&p->v_mem) &&
           !sq_tensor_copy (&l->params.v_mem, &p->v_mem, error)))
        return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
read_layers (SqJsonReader  *r,
             SqDynapcnnNet *net,
             GError       **error)
{
  g_autoptr(GArray) layers = g_array_new (FALSE, TRUE, sizeof (SqDynapcnnNetLayer));
  gboolean ok = TRUE;

  if (_sq_json_reader_peek (r) != SQ_JSON_ARRAY)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_NOT_A_NUMBER, r->p,
                             _("layers is %s: expected a list of layer objects"),
                             _sq_json_token_describe (_sq_json_reader_peek (r)));
      return FALSE;
    }
  r->p++;
  if (!_sq_json_reader_accept (r, ']'))
    {
      do
        {
          SqDynapcnnNetLayer l;

          if (layers->len == SQ_DYNAPCNN_MAX_LAYERS)
            {
              _sq_json_reader_error (r, error, SQ_SPEC_ERROR_TOO_LARGE, r->p,
                                     _("more than %d layers"), SQ_DYNAPCNN_MAX_LAYERS);
              ok = FALSE;
              break;
            }
          ok = read_layer (r, &l, layers->len, net->warnings, error);
          g_array_append_val (layers, l);
          if (!ok)
            break;
        }
      while (_sq_json_reader_accept (r, ','));
      if (ok && !_sq_json_reader_expect (r, ']', N_("or ',' after a layer"), error))
        ok = FALSE;
    }
  net->n_layers = layers->len;
  net->layers = (SqDynapcnnNetLayer *) (void *) g_array_free (g_steal_pointer (&layers), FALSE);
  if (ok && net->n_layers == 0)
    {
      _sq_json_reader_error (r, error, SQ_SPEC_ERROR_EMPTY, NULL, _("layers is empty"));
      ok = FALSE;
    }
  return ok;
}

static gboolean
read_input_shape (SqJsonReader  *r,
                  SqDynapcnnNet *net,
                  GError       **error)
{
  if (!_sq_json_reader_expect (r, '[', N_("to start input_shape [C, H, W]"), error))
    return FALSE;
  for (guint d = 0; d < 3; d++)
    {
      g_autofree char *path = g_strdup_printf ("input_shape[%u]", d);

      if ((d > 0 && !_sq_json_reader_expect (r, ',', N_("in input_shape [C, H, W]"), error)) ||
          !_sq_json_reader_read_count (r, path, 1, SQ_TENSOR_MAX_DIM, &net->input_shape[d], error))
        return FALSE;
    }
  net->has_input_shape = TRUE;
  return _sq_json_reader_expect (r, ']', N_("after input_shape [C, H, W]"), error);
}

static gboolean
invalid (SqDynapcnnNet *net,
         GError       **error,
         const char    *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (SqDynapcnnNet *net,
         GError       **error,
         const char    *format,
         ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID, "%s: %s", net->source, msg);
  return FALSE;
}

/* What agrees from layer to layer: channels, and with an input shape every map size; the
 * JSON and the .npz reader both end here. */
gboolean
_sq_dynapcnn_net_validate (SqDynapcnnNet *net,
                           GError       **error)
{
  gsize shape[3] = { 0, };

  if (net->has_input_shape)
    memcpy (shape, net->input_shape, sizeof shape);
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];
      const SqTensor *w = &l->params.weight;
      gsize conv[3], pooled[3];

      if (w->n == 0)
        return invalid (net, error, _("layers[%u].weight is empty"), i);
      if ((i > 0 || net->has_input_shape) && w->shape[1] != shape[0])
        return invalid (net, error, i == 0
                        ? _("layers[%u].weight takes %zu input channels, but input_shape has "
                            "%zu")
                        : _("layers[%u].weight takes %zu input channels, but the layer before "
                            "gives %zu"), i, w->shape[1], shape[0]);
      if (sq_tensor_is_present (&l->params.bias) && l->params.bias.shape[0] != w->shape[0])
        return invalid (net, error, _("layers[%u].bias has %zu values: expected %zu, one per "
                                      "output channel"), i, l->params.bias.shape[0],
                        w->shape[0]);
      if (sq_tensor_is_present (&l->params.v_mem) && l->params.v_mem.shape[0] != w->shape[0])
        return invalid (net, error, _("layers[%u].v_mem has %zu maps: expected %zu, one per "
                                      "output channel"), i, l->params.v_mem.shape[0],
                        w->shape[0]);
      if (!(l->params.spike_threshold > 0))
        return invalid (net, error, _("layers[%u].spike_threshold is %g: expected a value "
                                      "above 0"), i, l->params.spike_threshold);
      if (l->params.has_min_v_mem && !(l->params.min_v_mem < l->params.spike_threshold))
        return invalid (net, error, _("layers[%u].min_v_mem is %g: expected a value below "
                                      "spike_threshold (%g), or null"), i,
                        l->params.min_v_mem, l->params.spike_threshold);
      if (l->has_scale && !(l->scale > 0))
        return invalid (net, error, _("layers[%u].scale is %g: expected a value above 0"), i,
                        l->scale);
      /* Without an input shape only the channels can be checked. */
      if (!net->has_input_shape)
        {
          shape[0] = w->shape[0];
          continue;
        }
      if (!sq_cnn_output_shape (shape, w->shape[0], w->shape[2], w->shape[3], l->stride_y,
                                l->stride_x, l->pad_y, l->pad_x, l->pool, conv, pooled))
        return invalid (net, error, _("layers[%u]: the %zu × %zu kernel (stride %u × %u, "
                                      "padding %u × %u, pooling %u) does not fit its %zu × %zu "
                                      "input"), i, w->shape[2], w->shape[3], l->stride_y,
                        l->stride_x, l->pad_y, l->pad_x, l->pool, shape[1], shape[2]);
      if (sq_tensor_is_present (&l->params.v_mem) &&
          memcmp (l->params.v_mem.shape, conv, sizeof conv) != 0)
        {
          g_autofree char *have = sq_tensor_shape_string (&l->params.v_mem);
          g_autofree char *want = sq_shape_to_string (3, conv);

          return invalid (net, error, _("layers[%u].v_mem has shape %s: expected the layer's "
                                        "output %s"), i, have, want);
        }
      memcpy (shape, pooled, sizeof shape);
    }
  return TRUE;
}

/**
 * sq_dynapcnn_net_load_json_data:
 * @data: (array length=length): the JSON text; it need not be NUL-terminated
 * @display_name: how messages name the file
 *
 * Parses and checks a DynapCNN layer file. Unknown keys are ignored and listed in the
 * network's warnings.
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
SqDynapcnnNet *
sq_dynapcnn_net_load_json_data (const char  *data,
                                gsize        length,
                                const char  *display_name,
                                GError     **error)
{
  g_autoptr(SqDynapcnnNet) net = g_new0 (SqDynapcnnNet, 1);
  gboolean seen_layers = FALSE, seen_shape = FALSE;
  SqJsonReader r;
  SqJsonToken t;

  net->source = g_strdup (display_name);
  net->warnings = g_ptr_array_new_with_free_func (g_free);
  _sq_json_reader_init_document (&r, data, length, display_name);

  t = _sq_json_reader_peek (&r);
  if (t != SQ_JSON_OBJECT)
    {
      if (t == SQ_JSON_END)
        _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, NULL,
                               _("the file is empty, expected a JSON object"));
      else
        _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_NOT_OBJECT, r.p,
                               _("the top level is %s, expected an object with \"layers\" "
                                 "(and \"input_shape\")"), _sq_json_token_describe (t));
      return NULL;
    }
  r.p++;
  if (!_sq_json_reader_accept (&r, '}'))
    {
      do
        {
          g_autofree char *key = NULL;
          const char *key_at;
          gboolean *seen;

          _sq_json_reader_peek (&r);
          key_at = r.p;
          key = _sq_json_reader_read_string (&r, error);
          if (key == NULL || !_sq_json_reader_expect (&r, ':', N_("after an object key"), error))
            return NULL;
          seen = g_str_equal (key, "layers") ? &seen_layers
               : g_str_equal (key, "input_shape") ? &seen_shape : NULL;
          if (seen == NULL)
            {
              g_autofree char *shown = _sq_json_escape_key (key);

              g_ptr_array_add (net->warnings,
                               g_strdup_printf (_("unknown key \"%s\" ignored"), shown));
              if (!_sq_json_reader_skip_value (&r, shown, error))
                return NULL;
              continue;
            }
          if (*seen)
            {
              _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_DUPLICATE_KEY, key_at,
                                     _("key \"%s\" appears twice"), key);
              return NULL;
            }
          *seen = TRUE;
          if (!(seen == &seen_layers ? read_layers (&r, net, error)
                                     : read_input_shape (&r, net, error)))
            return NULL;
        }
      while (_sq_json_reader_accept (&r, ','));
      if (!_sq_json_reader_expect (&r, '}', N_("or ',' after an object member"), error))
        return NULL;
    }
  if (_sq_json_reader_peek (&r) != SQ_JSON_END)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_SYNTAX, r.p,
                             _("unexpected data after the end of the network"));
      return NULL;
    }
  if (!seen_layers)
    {
      _sq_json_reader_error (&r, error, SQ_SPEC_ERROR_MISSING_KEY, NULL,
                             _("no \"layers\": expected a list of layer objects"));
      return NULL;
    }
  if (!_sq_dynapcnn_net_validate (net, error))
    return NULL;
  return g_steal_pointer (&net);
}

/**
 * sq_dynapcnn_net_geometry:
 * @layers: (out caller-allocates) (array length=net->n_layers): each layer's maps
 * @shapes: (out caller-allocates) (array length=net->n_layers) (optional): each layer as the
 *   chip's limits see it (one destination: the next layer, or the readout)
 *
 * The maps of every layer of a checked network (loaded, or discretized from one).
 *
 * Returns: %FALSE when @net has no input shape: only the channels are known then
 */
gboolean
sq_dynapcnn_net_geometry (const SqDynapcnnNet     *net,
                          SqDynapcnnLayerGeometry *layers,
                          SqCnnLayerShape         *shapes)
{
  gsize shape[3];

  if (!net->has_input_shape)
    return FALSE;
  memcpy (shape, net->input_shape, sizeof shape);
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];
      const SqTensor *w = &l->params.weight;
      SqDynapcnnLayerGeometry *g = &layers[i];

      memcpy (g->in, shape, sizeof shape);
      /* The loader checked that every layer fits its input. */
      if (!sq_cnn_output_shape (shape, w->shape[0], w->shape[2], w->shape[3], l->stride_y,
                                l->stride_x, l->pad_y, l->pad_x, l->pool, g->conv, g->pooled))
        g_return_val_if_reached (FALSE);
      if (shapes != NULL)
        shapes[i] = (SqCnnLayerShape) {
          .in_channels = shape[0], .out_channels = w->shape[0], .kernel_y = w->shape[2],
          .kernel_x = w->shape[3], .out_y = g->conv[1], .out_x = g->conv[2],
          .has_bias = sq_tensor_is_present (&l->params.bias), .stride_y = l->stride_y,
          .stride_x = l->stride_x, .pad_y = l->pad_y, .pad_x = l->pad_x, .pool = l->pool,
          .n_destinations = 1,
        };
      memcpy (shape, g->pooled, sizeof shape);
    }
  return TRUE;
}

/**
 * sq_dynapcnn_net_iaf_layers:
 *
 * The integer core's view of a discretized network: its layers' tensors (not copied: they
 * live as long as @net) and geometry; an unbounded membrane as −32768.
 *
 * Returns: (transfer container) (array length=net->n_layers): free with g_free()
 */
SqIafLayer *
sq_dynapcnn_net_iaf_layers (const SqDynapcnnNet *net)
{
  SqIafLayer *layers = g_new0 (SqIafLayer, net->n_layers);

  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];

      layers[i] = (SqIafLayer) {
        .weight = l->params.weight, .bias = l->params.bias, .v_mem = l->params.v_mem,
        .threshold_high = (gint32) CLAMP (l->params.spike_threshold, G_MININT32, G_MAXINT32),
        .threshold_low = l->params.has_min_v_mem
                         ? (gint32) CLAMP (l->params.min_v_mem, G_MININT32, G_MAXINT32)
                         : -32768,
        .stride_y = l->stride_y, .stride_x = l->stride_x, .pad_y = l->pad_y,
        .pad_x = l->pad_x, .pool = l->pool, .reset_zero = l->reset_zero,
        .single_spike = l->single_spike,
      };
    }
  return layers;
}

static gboolean
all_integers (const SqTensor *t)
{
  for (gsize i = 0; sq_tensor_is_present (t) && i < t->n; i++)
    if (nearbyint (t->data[i]) < t->data[i] || nearbyint (t->data[i]) > t->data[i])
      return FALSE;
  return TRUE;
}

/* Whether the network is already discretized: every weight, bias, threshold and initial
 * membrane a whole number, as `synquant-cli discretize` writes them. */
gboolean
sq_dynapcnn_net_is_integer (const SqDynapcnnNet *net)
{
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnLayerParams *p = &net->layers[i].params;
      double th = p->spike_threshold, lo = p->min_v_mem;

      if (!all_integers (&p->weight) || !all_integers (&p->bias) || !all_integers (&p->v_mem) ||
          nearbyint (th) < th || nearbyint (th) > th ||
          (p->has_min_v_mem && (nearbyint (lo) < lo || nearbyint (lo) > lo)))
        return FALSE;
    }
  return TRUE;
}

static void
append_pair (GString    *s,
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
append_number (GString    *s,
               const char *key,
               double      v,
               gboolean    integer)
{
  g_string_append_printf (s, ", \"%s\": ", key);
  (integer ? _sq_append_integer : _sq_append_float) (s, v);
}

/**
 * sq_dynapcnn_net_to_json:
 *
 * Writes @net as a layer file that sq_dynapcnn_net_load_json_data() reads back to the same
 * values: one line per layer, keys in a fixed order, geometry only where it differs from the
 * defaults, numbers as Python writes them (integers as integers).
 */
GString *
sq_dynapcnn_net_to_json (const SqDynapcnnNet *net)
{
  GString *s = g_string_new ("{");
  gboolean integer = sq_dynapcnn_net_is_integer (net);

  if (net->has_input_shape)
    g_string_append_printf (s, "\"input_shape\": [%zu, %zu, %zu], ", net->input_shape[0],
                            net->input_shape[1], net->input_shape[2]);
  g_string_append (s, "\"layers\": [");
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];
      const SqDynapcnnLayerParams *p = &l->params;

      g_string_append (s, i ? ",\n  {\"weight\": " : "\n  {\"weight\": ");
      _sq_append_tensor (s, &p->weight);
      if (sq_tensor_is_present (&p->bias))
        {
          g_string_append (s, ", \"bias\": ");
          _sq_append_tensor (s, &p->bias);
        }
      append_number (s, "spike_threshold", p->spike_threshold, integer);
      if (p->has_min_v_mem)
        append_number (s, "min_v_mem", p->min_v_mem, integer);
      else
        g_string_append (s, ", \"min_v_mem\": null");
      if (sq_tensor_is_present (&p->v_mem))
        {
          g_string_append (s, ", \"v_mem\": ");
          _sq_append_tensor (s, &p->v_mem);
        }
      if (l->stride_y != 1 || l->stride_x != 1)
        append_pair (s, "stride", l->stride_y, l->stride_x);
      if (l->pad_y != 0 || l->pad_x != 0)
        append_pair (s, "padding", l->pad_y, l->pad_x);
      if (l->pool != 1)
        g_string_append_printf (s, ", \"pooling\": %u", l->pool);
      if (l->reset_zero)
        g_string_append (s, ", \"reset\": \"zero\"");
      if (l->single_spike)
        g_string_append (s, ", \"spike\": \"single\"");
      if (l->has_scale)
        append_number (s, "scale", l->scale, FALSE);
      g_string_append_c (s, '}');
    }
  g_string_append (s, "\n]}\n");
  return s;
}
