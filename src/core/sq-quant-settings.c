/* sq-quant-settings.c: the values of a kind's quantization options, parsed and checked
 *
 * One value per option of the kind, in its order, so a setting is a plain value the window
 * and the CLI copy with `=`; the option table says how each is named, typed and bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-network-private.h"

void
sq_quant_settings_init (SqQuantSettings     *settings,
                        const SqNetworkKind *kind)
{
  g_return_if_fail (settings != NULL && kind != NULL && kind->n_options <= SQ_MAX_OPTIONS);

  memset (settings, 0, sizeof *settings);
  settings->kind = kind;
  for (guint i = 0; i < kind->n_options; i++)
    settings->value[i] = kind->options[i].default_value;
}

gboolean
sq_quant_settings_equal (const SqQuantSettings *a,
                         const SqQuantSettings *b)
{
  if (a->kind != b->kind)
    return FALSE;
  for (guint i = 0; a->kind != NULL && i < a->kind->n_options; i++)
    if (a->value[i] != b->value[i])
      return FALSE;
  if (a->n_layer_overrides != b->n_layer_overrides)
    return FALSE;
  for (guint k = 0; k < a->n_layer_overrides; k++)
    {
      const SqLayerOverride *x = &a->layer_overrides[k], *y = &b->layer_overrides[k];

      if (x->layer != y->layer)
        return FALSE;
      for (guint i = 0; i < a->kind->n_layer_options; i++)
        if (x->value[i] != y->value[i])
          return FALSE;
    }
  return TRUE;
}

static int
index_in (const SqOption *options,
          guint           n_options,
          const char     *id)
{
  for (guint i = 0; i < n_options; i++)
    if (g_str_equal (options[i].id, id))
      return (int) i;
  return -1;
}

static int
option_index (const SqNetworkKind *kind,
              const char          *id)
{
  return index_in (kind->options, kind->n_options, id);
}

static const char *
noun (const SqOption *o)
{
  return sq_label (o->noun ? o->noun : o->label);
}

static char *
list_ids (const SqOption *options,
          guint           n_options)
{
  g_autofree const char **ids = g_new0 (const char *, n_options + 1);

  for (guint i = 0; i < n_options; i++)
    ids[i] = options[i].id;
  return _sq_join_or (ids, n_options);
}

static gboolean
no_such_option (const SqNetworkKind  *kind,
                const char           *id,
                GError              **error)
{
  g_autofree char *list = list_ids (kind->options, kind->n_options);

  /* TRANSLATORS: "Xylo specification: no setting “bits”; use method, fuzzy, … or
   * weight-shift" */
  g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
               _("%s: no setting “%s”; use %s"), sq_label (kind->label), id, list);
  return FALSE;
}

static gboolean
no_such_layer_option (const SqNetworkKind  *kind,
                      const char           *id,
                      GError              **error)
{
  g_autofree char *list = NULL;

  if (kind->n_layer_options == 0)
    {
      /* TRANSLATORS: "Xylo specification: no setting can be set per layer" */
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("%s: no setting can be set per layer"), sq_label (kind->label));
      return FALSE;
    }
  list = list_ids (kind->layer_options, kind->n_layer_options);
  /* TRANSLATORS: "fixed-point network: no layer setting “bits”; use width, accumulator, …" */
  g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
               _("%s: no layer setting “%s”; use %s"), sq_label (kind->label), id, list);
  return FALSE;
}

int
sq_quant_settings_get (const SqQuantSettings *settings,
                       const char            *id)
{
  int i = option_index (settings->kind, id);

  g_return_val_if_fail (i >= 0, 0);
  return settings->value[i];
}

/* The values @o takes: lo…hi, and its special value. */
static void
bounds (const SqOption *o,
        int            *lo,
        int            *hi)
{
  *lo = o->type == SQ_OPTION_INT ? o->min : 0;
  *hi = o->type == SQ_OPTION_INT ? o->max
        : o->type == SQ_OPTION_CHOICE ? (int) o->n_choices - 1 : 1;
}

static gboolean
takes (const SqOption *o,
       int             value)
{
  int lo, hi;

  bounds (o, &lo, &hi);
  return (value >= lo && value <= hi) ||
         (o->type == SQ_OPTION_INT && o->special_name != NULL && value == o->special_value);
}

/* @shown is the value as the user wrote it. */
static gboolean
value_error (const SqOption  *o,
             const char      *shown,
             GError         **error)
{
  int lo, hi;

  bounds (o, &lo, &hi);
  if (o->type == SQ_OPTION_INT && o->special_name != NULL)
    /* TRANSLATORS: "the weight shift must be auto or from 0 to 7, not 9" */
    g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                 _("%s must be %s or from %d to %d, not %s"), noun (o), o->special_name, lo,
                 hi, shown);
  else
    /* TRANSLATORS: "weight bits must be from 2 to 16, not 1" */
    g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                 _("%s must be from %d to %d, not %s"), noun (o), lo, hi, shown);
  return FALSE;
}

static gboolean
check_value (const SqOption  *o,
             int              value,
             GError         **error)
{
  g_autofree char *shown = NULL;

  if (takes (o, value))
    return TRUE;
  shown = g_strdup_printf ("%d", value);
  return value_error (o, shown, error);
}

gboolean
sq_quant_settings_set (SqQuantSettings  *settings,
                       const char       *id,
                       int               value,
                       GError          **error)
{
  int i;

  g_return_val_if_fail (settings != NULL && settings->kind != NULL && id != NULL, FALSE);
  i = option_index (settings->kind, id);
  if (i < 0)
    return no_such_option (settings->kind, id, error);
  if (!check_value (&settings->kind->options[i], value, error))
    return FALSE;
  settings->value[i] = value;
  return TRUE;
}

static gboolean
parse_bool (const char *text,
            int        *value)
{
  static const char * const yes[] = { "true", "yes", "on", "1" };
  static const char * const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        *value = 1;
      else if (g_ascii_strcasecmp (text, no[i]) == 0)
        *value = 0;
      else
        continue;
      return TRUE;
    }
  return FALSE;
}

/* @text as a value of @o: a choice's name or alias, true or false, a number or the special
 * value's name. */
static gboolean
parse_value (const SqOption  *o,
             const char      *text,
             int             *out,
             GError         **error)
{
  gint64 n = 0;
  int value = 0;

  switch (o->type)
    {
    case SQ_OPTION_CHOICE:
      for (guint c = 0; c < o->n_choices; c++)
        if (g_str_equal (text, o->choices[c].name) ||
            (o->choices[c].alias && g_str_equal (text, o->choices[c].alias)))
          {
            *out = (int) c;
            return TRUE;
          }
      {
        g_autofree const char **names = g_new0 (const char *, o->n_choices + 1);
        g_autofree char *list = NULL;

        for (guint c = 0; c < o->n_choices; c++)
          names[c] = o->choices[c].name;
        list = _sq_join_or (names, o->n_choices);
        /* TRANSLATORS: "unknown method “foo”; use global or channel" */
        g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                     _("unknown %s “%s”; use %s"), noun (o), text, list);
      }
      return FALSE;

    case SQ_OPTION_BOOL:
      if (parse_bool (text, &value))
        break;
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("%s is “%s”; use true or false"), noun (o), text);
      return FALSE;

    case SQ_OPTION_INT:
    default:
      if (o->special_name != NULL && g_str_equal (text, o->special_name))
        value = o->special_value;
      else if (g_ascii_string_to_signed (text, 10, G_MININT, G_MAXINT, &n, NULL) &&
               takes (o, (int) n) && !(o->special_name && n == o->special_value))
        value = (int) n;
      else
        return value_error (o, text, error);
      break;
    }
  *out = value;
  return TRUE;
}

/* Whether @id names a layer option, "layers[N].ID": then @layer is N and @rest ID, or
 * @error says what is wrong. */
static gboolean
layer_key (const char  *id,
           guint       *layer,
           const char **rest,
           GError     **error)
{
  const char *close = strstr (id, "].");
  g_autofree char *index = NULL;
  guint64 n = 0;

  index = close ? g_strndup (id + 7, (gsize) (close - id - 7)) : NULL;
  if (index == NULL || close[2] == '\0' ||
      !g_ascii_string_to_unsigned (index, 10, 0, G_MAXUINT, &n, NULL))
    {
      /* TRANSLATORS: N and NAME are placeholders; keep layers[N].NAME as it is */
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("“%s”: expected layers[N].NAME, N a layer’s index (0 for the first)"),
                   id);
      return FALSE;
    }
  *layer = (guint) n;
  *rest = close + 2;
  return TRUE;
}

static gboolean
is_layer_key (const char *id)
{
  return g_str_has_prefix (id, "layers[");
}

/**
 * sq_quant_settings_set_string:
 * @id: an option's id, or "layers[N].ID" for layer option ID of layer N
 *
 * Returns: FALSE with @error set when there is no such option or the value is not one of it
 */
gboolean
sq_quant_settings_set_string (SqQuantSettings  *settings,
                              const char       *id,
                              const char       *text,
                              GError          **error)
{
  int i;

  g_return_val_if_fail (settings != NULL && settings->kind != NULL && id != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  if (is_layer_key (id))
    {
      const char *rest;
      guint layer;

      if (!layer_key (id, &layer, &rest, error))
        return FALSE;
      if (sq_quant_settings_set_layer_string (settings, layer, rest, text, error))
        return TRUE;
      g_prefix_error (error, "layers[%u]: ", layer);
      return FALSE;
    }
  i = option_index (settings->kind, id);
  if (i < 0)
    return no_such_option (settings->kind, id, error);
  return parse_value (&settings->kind->options[i], text, &settings->value[i], error);
}

static char *
value_string (const SqOption *o,
              int             v)
{
  switch (o->type)
    {
    case SQ_OPTION_CHOICE:
      return g_strdup (v >= 0 && (guint) v < o->n_choices ? o->choices[v].name : "");
    case SQ_OPTION_BOOL:
      return g_strdup (v ? "true" : "false");
    case SQ_OPTION_INT:
    default:
      if (o->special_name != NULL && v == o->special_value)
        return g_strdup (o->special_name);
      return g_strdup_printf ("%d", v);
    }
}

char *
sq_quant_settings_get_string (const SqQuantSettings *settings,
                              const char            *id)
{
  int i;

  if (is_layer_key (id))
    {
      const char *rest;
      guint layer;

      g_return_val_if_fail (layer_key (id, &layer, &rest, NULL), NULL);
      return sq_quant_settings_get_layer_string (settings, layer, rest);
    }
  i = option_index (settings->kind, id);

  g_return_val_if_fail (i >= 0, NULL);
  return value_string (&settings->kind->options[i], settings->value[i]);
}

char *
sq_quant_settings_to_string (const SqQuantSettings *settings)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < settings->kind->n_options; i++)
    {
      const char *id = settings->kind->options[i].id;
      g_autofree char *value = sq_quant_settings_get_string (settings, id);

      g_string_append_printf (s, "%s%s=%s", i ? " " : "", id, value);
    }
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    {
      const SqLayerOverride *lo = &settings->layer_overrides[k];

      for (guint i = 0; i < settings->kind->n_layer_options; i++)
        {
          const SqOption *o = &settings->kind->layer_options[i];
          g_autofree char *value = NULL;

          if (lo->value[i] == o->default_value)
            continue;
          value = value_string (o, lo->value[i]);
          g_string_append_printf (s, " layers[%u].%s=%s", lo->layer, o->id, value);
        }
    }
  return g_string_free (s, FALSE);
}

/**
 * sq_quant_settings_describe:
 *
 * Returns: the settings in the window's words, translated: "Method: Per channel, Fuzzy:
 *   off, Weight bits: 4, …"
 */
char *
sq_quant_settings_describe (const SqQuantSettings *settings)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < settings->kind->n_options; i++)
    {
      const SqOption *o = &settings->kind->options[i];
      int v = settings->value[i];
      g_autofree char *value = NULL;
      g_autofree char *label = sq_label_plain (o->label);

      if (o->type == SQ_OPTION_CHOICE && v >= 0 && (guint) v < o->n_choices)
        value = sq_label_plain (o->choices[v].label);
      else if (o->type == SQ_OPTION_BOOL)
        /* Translators: an on/off setting's value, as in "Fuzzy scaling: on" */
        value = g_strdup (v ? _("on") : _("off"));
      else
        value = sq_quant_settings_get_string (settings, o->id);
      /* Translators: one setting in a list of them, "Weight bits: 4" */
      g_string_append_printf (s, i ? _(", %s: %s") : _("%s: %s"), label, value);
    }
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    {
      const SqLayerOverride *lo = &settings->layer_overrides[k];

      for (guint i = 0; i < settings->kind->n_layer_options; i++)
        {
          const SqOption *o = &settings->kind->layer_options[i];
          g_autofree char *label = NULL, *value = NULL;

          if (lo->value[i] == o->default_value)
            continue;
          label = sq_label_plain (o->label);
          value = o->type == SQ_OPTION_CHOICE ? sq_label_plain (o->choices[lo->value[i]].label)
                                              : value_string (o, lo->value[i]);
          /* Translators: a layer's own setting in the list, "layers[1] Width: int8" */
          g_string_append_printf (s, _(", layers[%u] %s: %s"), lo->layer, label, value);
        }
    }
  return g_string_free (s, FALSE);
}

gboolean
sq_quant_settings_applies (const SqQuantSettings *settings,
                           const SqOption        *option)
{
  const char *eq;
  g_autofree char *id = NULL, *value = NULL;

  g_return_val_if_fail (settings != NULL && option != NULL, TRUE);
  if (option->applies_when == NULL || (eq = strchr (option->applies_when, '=')) == NULL)
    return TRUE;
  id = g_strndup (option->applies_when, (gsize) (eq - option->applies_when));
  if (option_index (settings->kind, id) < 0)
    return TRUE;
  value = sq_quant_settings_get_string (settings, id);
  return g_str_equal (value, eq + 1);
}

/* @v, a value of @o: true or false, a number, a choice's or the special value's name. */
static void
add_json_value (JsonBuilder    *b,
                const SqOption *o,
                int             v)
{
  if (o->type == SQ_OPTION_BOOL)
    json_builder_add_boolean_value (b, v != 0);
  else if (o->type == SQ_OPTION_INT && !(o->special_name != NULL && v == o->special_value))
    json_builder_add_int_value (b, v);
  else
    {
      g_autofree char *name = value_string (o, v);

      json_builder_add_string_value (b, name);
    }
}

/**
 * sq_quant_settings_build_json:
 * @b: a builder inside an object
 *
 * Adds every option as a member by its id (a choice by its name, a special value by its,
 * true or false, a number), then, when a layer has settings of its own, "layers": {"1":
 * {"width": "int8"}} with the values not as global: what sessions and reports hold.
 */
void
sq_quant_settings_build_json (const SqQuantSettings *settings,
                              JsonBuilder           *b)
{
  const SqNetworkKind *kind = settings->kind;

  for (guint i = 0; i < kind->n_options; i++)
    {
      json_builder_set_member_name (b, kind->options[i].id);
      add_json_value (b, &kind->options[i], settings->value[i]);
    }
  if (settings->n_layer_overrides == 0)
    return;
  json_builder_set_member_name (b, "layers");
  json_builder_begin_object (b);
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    {
      const SqLayerOverride *lo = &settings->layer_overrides[k];
      g_autofree char *index = g_strdup_printf ("%u", lo->layer);

      json_builder_set_member_name (b, index);
      json_builder_begin_object (b);
      for (guint i = 0; i < kind->n_layer_options; i++)
        {
          const SqOption *o = &kind->layer_options[i];

          if (lo->value[i] == o->default_value)
            continue;
          json_builder_set_member_name (b, o->id);
          add_json_value (b, o, lo->value[i]);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

/* ---------------------------------------------------------------------------------------- */
/* Per-layer overrides                                                                       */

static SqLayerOverride *
find_layer (const SqQuantSettings *settings,
            guint                  layer)
{
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    if (settings->layer_overrides[k].layer == layer)
      return (SqLayerOverride *) &settings->layer_overrides[k];
  return NULL;
}

int
sq_quant_settings_get_layer (const SqQuantSettings *settings,
                             guint                  layer,
                             const char            *id)
{
  const SqNetworkKind *kind = settings->kind;
  int i = index_in (kind->layer_options, kind->n_layer_options, id);
  const SqLayerOverride *lo;

  g_return_val_if_fail (i >= 0, 0);
  lo = find_layer (settings, layer);
  return lo ? lo->value[i] : kind->layer_options[i].default_value;
}

char *
sq_quant_settings_get_layer_string (const SqQuantSettings *settings,
                                    guint                  layer,
                                    const char            *id)
{
  const SqNetworkKind *kind = settings->kind;
  int i = index_in (kind->layer_options, kind->n_layer_options, id);

  g_return_val_if_fail (i >= 0, NULL);
  return value_string (&kind->layer_options[i], sq_quant_settings_get_layer (settings, layer,
                                                                             id));
}

/* Sets value @i of @layer's entry, made (in layer order) or dropped as needed. */
static gboolean
store_layer (SqQuantSettings  *settings,
             guint             layer,
             int               i,
             int               value,
             GError          **error)
{
  const SqNetworkKind *kind = settings->kind;
  SqLayerOverride *lo = find_layer (settings, layer);
  gboolean plain = TRUE;
  guint k;

  if (lo == NULL)
    {
      if (value == kind->layer_options[i].default_value)
        return TRUE;
      if (settings->n_layer_overrides == SQ_MAX_LAYER_OVERRIDES)
        {
          g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                       _("at most %d layers can have settings of their own"),
                       SQ_MAX_LAYER_OVERRIDES);
          return FALSE;
        }
      for (k = 0; k < settings->n_layer_overrides &&
                  settings->layer_overrides[k].layer < layer; k++)
        ;
      memmove (&settings->layer_overrides[k + 1], &settings->layer_overrides[k],
               (settings->n_layer_overrides - k) * sizeof (SqLayerOverride));
      settings->n_layer_overrides++;
      lo = &settings->layer_overrides[k];
      memset (lo, 0, sizeof *lo);
      lo->layer = layer;
      for (guint j = 0; j < kind->n_layer_options; j++)
        lo->value[j] = kind->layer_options[j].default_value;
    }
  lo->value[i] = value;
  for (guint j = 0; j < kind->n_layer_options; j++)
    plain = plain && lo->value[j] == kind->layer_options[j].default_value;
  if (plain)
    {
      k = (guint) (lo - settings->layer_overrides);
      memmove (lo, lo + 1, (settings->n_layer_overrides - k - 1) * sizeof (SqLayerOverride));
      settings->n_layer_overrides--;
    }
  return TRUE;
}

/**
 * sq_quant_settings_set_layer:
 * @layer: the layer's index
 * @id: the id of one of the kind's layer options
 * @value: its value for @layer; the option's default value is "as the global setting"
 *
 * Returns: FALSE with @error set when the kind has no such layer option, the value is out of
 *   its range, or %SQ_MAX_LAYER_OVERRIDES other layers have settings of their own
 */
gboolean
sq_quant_settings_set_layer (SqQuantSettings  *settings,
                             guint             layer,
                             const char       *id,
                             int               value,
                             GError          **error)
{
  const SqNetworkKind *kind;
  int i;

  g_return_val_if_fail (settings != NULL && settings->kind != NULL && id != NULL, FALSE);
  kind = settings->kind;
  i = index_in (kind->layer_options, kind->n_layer_options, id);
  if (i < 0)
    return no_such_layer_option (kind, id, error);
  if (!check_value (&kind->layer_options[i], value, error))
    return FALSE;
  return store_layer (settings, layer, i, value, error);
}

gboolean
sq_quant_settings_set_layer_string (SqQuantSettings  *settings,
                                    guint             layer,
                                    const char       *id,
                                    const char       *text,
                                    GError          **error)
{
  const SqNetworkKind *kind;
  int i, value;

  g_return_val_if_fail (settings != NULL && settings->kind != NULL && id != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  kind = settings->kind;
  i = index_in (kind->layer_options, kind->n_layer_options, id);
  if (i < 0)
    return no_such_layer_option (kind, id, error);
  return parse_value (&kind->layer_options[i], text, &value, error) &&
         store_layer (settings, layer, i, value, error);
}

/**
 * sq_quant_settings_check_layers:
 * @n_layers: the network's number of layers
 *
 * Returns: FALSE with @error set when an override names a layer the network lacks
 */
gboolean
sq_quant_settings_check_layers (const SqQuantSettings  *settings,
                                guint                   n_layers,
                                GError                **error)
{
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    if (settings->layer_overrides[k].layer >= n_layers)
      {
        g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "settings of layers[%u]: the network has %u layer "
                                  "(layers[0])",
                                  "settings of layers[%u]: the network has %u layers "
                                  "(layers[0] to layers[%u])", n_layers),
                     settings->layer_overrides[k].layer, n_layers, n_layers - 1);
        return FALSE;
      }
  return TRUE;
}

gboolean
sq_quant_settings_check (const SqQuantSettings  *settings,
                         GError                **error)
{
  g_return_val_if_fail (settings != NULL && settings->kind != NULL, FALSE);
  for (guint i = 0; i < settings->kind->n_options; i++)
    if (!check_value (&settings->kind->options[i], settings->value[i], error))
      return FALSE;
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    for (guint i = 0; i < settings->kind->n_layer_options; i++)
      if (!check_value (&settings->kind->layer_options[i],
                        settings->layer_overrides[k].value[i], error))
        {
          g_prefix_error (error, "layers[%u]: ", settings->layer_overrides[k].layer);
          return FALSE;
        }
  if (settings->kind->check_settings == NULL)
    return TRUE;
  return settings->kind->check_settings (settings, error);
}

/* The number of values an option that varies takes. */
static guint
n_values (const SqOption *o)
{
  if (!o->varies)
    return 1;
  return o->type == SQ_OPTION_CHOICE ? o->n_choices : o->type == SQ_OPTION_BOOL ? 2 : 1;
}

GArray *
sq_quant_settings_variants (const SqQuantSettings *base)
{
  const SqNetworkKind *kind = base->kind;
  GArray *variants = g_array_new (FALSE, FALSE, sizeof (SqQuantSettings));
  guint total = 1;

  for (guint i = 0; i < kind->n_options; i++)
    total *= n_values (&kind->options[i]);
  for (guint k = 0; k < total; k++)
    {
      SqQuantSettings s = *base;
      guint rest = k;

      /* Mixed radix, the last option fastest: the first option is the outermost loop. */
      for (guint i = kind->n_options; i-- > 0; )
        {
          guint n = n_values (&kind->options[i]);

          if (n > 1)
            {
              s.value[i] = (int) (rest % n);
              rest /= n;
            }
        }
      g_array_append_val (variants, s);
    }
  return variants;
}
