/* sq-transform-json.c: the transform file (docs/transforms.md) — reading it with errors that
 * name the file, the key path and what was expected, and writing it back for reports
 *
 * The reader is strict: an unknown key, or a key the transform does not take, is an error,
 * so a misspelt "num_level" cannot silently fall back to the default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

/* The most entries a file may hold: one per family and group of any network is far less. */
#define MAX_ENTRIES 1024
/* The most levels: beyond 2^24 the levels of a float32 parameter are no longer distinct. */
#define MAX_LEVELS (1u << 24)

/* Which keys each transform takes besides "family", "group" and "transform". */
enum {
  K_INPUT_RANGE = 1 << 0,
  K_OUTPUT_RANGE = 1 << 1,
  K_NUM_LEVELS = 1 << 2,
  K_MAINTAIN_ZERO = 1 << 3,
  K_EXACT_ZERO = 1 << 4,
  K_PROBABILITY = 1 << 5,
  K_DT = 1 << 6,
};

#define K_ROUNDING (K_INPUT_RANGE | K_OUTPUT_RANGE | K_NUM_LEVELS | K_MAINTAIN_ZERO | K_EXACT_ZERO)

static const guint type_keys[SQ_N_TRANSFORM_TYPES] = {
  [SQ_TRANSFORM_STOCHASTIC_ROUNDING] = K_ROUNDING,
  [SQ_TRANSFORM_DETERMINISTIC_ROUNDING] = K_ROUNDING,
  [SQ_TRANSFORM_DROPOUT] = K_PROBABILITY,
  [SQ_TRANSFORM_T_DECAY] = K_DT,
  [SQ_TRANSFORM_ROUND] = 0,
  [SQ_TRANSFORM_BITSHIFT_DECAY] = K_DT,
};

static const struct {
  const char *name;
  guint       bit;
} param_keys[] = {
  { "input_range", K_INPUT_RANGE },
  { "output_range", K_OUTPUT_RANGE },
  { "num_levels", K_NUM_LEVELS },
  { "maintain_zero", K_MAINTAIN_ZERO },
  { "exact_zero", K_EXACT_ZERO },
  { "probability", K_PROBABILITY },
  { "dt", K_DT },
};

typedef struct {
  const char *source;
  guint       index;
} Where;

static gboolean G_GNUC_PRINTF (4, 5)
fail (GError      **error,
      int           code,
      const Where  *w,
      const char   *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SQ_TRANSFORM_ERROR, code, "%s: transforms[%u].%s", w->source, w->index,
               message);
  return FALSE;
}

static const char *
node_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    default:
      return _("a number");
    }
}

static gboolean
is_number (JsonNode *node)
{
  GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
get_bool (JsonNode     *node,
          const char   *key,
          const Where  *w,
          gboolean     *out,
          GError      **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: expected true or false, not %s"),
                 key, node_kind (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A finite number in [lo, hi] (open at lo when @open_lo). */
static gboolean
get_number (JsonNode     *node,
            const char   *key,
            const Where  *w,
            double        lo,
            double        hi,
            gboolean      open_lo,
            double       *out,
            GError      **error)
{
  double v;

  if (!is_number (node))
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: expected a number, not %s"), key,
                 node_kind (node));
  v = json_node_get_double (node);
  if (!isfinite (v) || v < lo || v > hi || (open_lo && !(v > lo)))
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w,
                 open_lo ? _("%s: expected a number above %g and at most %g, not %g")
                         : _("%s: expected a number from %g to %g, not %g"), key, lo, hi, v);
  *out = v;
  return TRUE;
}

static gboolean
get_range (JsonNode     *node,
           const char   *key,
           const Where  *w,
           double       *out,
           GError      **error)
{
  JsonArray *a = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  if (a == NULL || json_array_get_length (a) != 2 ||
      !is_number (json_array_get_element (a, 0)) || !is_number (json_array_get_element (a, 1)))
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: expected [low, high], two numbers"),
                 key);
  out[0] = json_array_get_double_element (a, 0);
  out[1] = json_array_get_double_element (a, 1);
  /* A width that overflows would make every level NaN. */
  if (!isfinite (out[0]) || !isfinite (out[1]) || !(out[1] > out[0]) ||
      !isfinite (out[1] - out[0]))
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w,
                 _("%s: expected a finite low below a finite high, not [%g, %g]"), key,
                 out[0], out[1]);
  return TRUE;
}

static gboolean
get_levels (JsonNode     *node,
            const Where  *w,
            guint        *out,
            GError      **error)
{
  gint64 v;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: expected a whole number, not %s"),
                 "num_levels", node_kind (node));
  v = json_node_get_int (node);
  if (v < 2 || v > MAX_LEVELS)
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w,
                 _("%s: expected from %u to %u levels, not %" PRId64), "num_levels",
                 2u, MAX_LEVELS, v);
  *out = (guint) v;
  return TRUE;
}

static gboolean
read_param (JsonObject   *o,
            const char   *key,
            guint         bit,
            const Where  *w,
            SqTransform  *t,
            GError      **error)
{
  JsonNode *node = json_object_get_member (o, key);

  switch (bit)
    {
    case K_INPUT_RANGE:
      t->has_input_range = TRUE;
      return get_range (node, key, w, t->input_range, error);
    case K_OUTPUT_RANGE:
      t->has_output_range = TRUE;
      return get_range (node, key, w, t->output_range, error);
    case K_NUM_LEVELS:
      return get_levels (node, w, &t->num_levels, error);
    case K_MAINTAIN_ZERO:
      return get_bool (node, key, w, &t->maintain_zero, error);
    case K_EXACT_ZERO:
      return get_bool (node, key, w, &t->exact_zero, error);
    case K_PROBABILITY:
      return get_number (node, key, w, 0.0, 1.0, FALSE, &t->probability, error);
    default:
      return get_number (node, key, w, 0.0, 1e6, TRUE, &t->dt, error);
    }
}

/* Rules across keys: exact_zero keeps 0 only about a symmetric range. */
static gboolean
check_exact_zero (const SqTransform *t,
                  const Where       *w,
                  GError           **error)
{
  if (!t->exact_zero)
    return TRUE;
  if (!t->maintain_zero)
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w, "%s",
                 _("exact_zero: needs maintain_zero (a range symmetric about 0)"));
  if (t->num_levels < 3)
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w, "%s",
                 _("exact_zero: needs 3 or more levels"));
  if (t->has_input_range && _sq_differ (t->input_range[0], -t->input_range[1]))
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w, "%s",
                 _("input_range: exact_zero needs a range symmetric about 0, [−a, a]"));
  if (t->has_output_range && _sq_differ (t->output_range[0], -t->output_range[1]))
    return fail (error, SQ_TRANSFORM_ERROR_VALUE, w, "%s",
                 _("output_range: exact_zero needs a range symmetric about 0, [−a, a]"));
  return TRUE;
}

static gboolean
read_type (JsonObject       *o,
           const Where      *w,
           SqTransformType  *type,
           GError          **error)
{
  JsonNode *node = json_object_get_member (o, "transform");
  const char *name;
  g_autoptr(GString) list = g_string_new (NULL);

  if (node == NULL)
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, "%s",
                 _("transform: missing; expected the name of a transform"));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("transform: expected a string, not %s"),
                 node_kind (node));
  name = json_node_get_string (node);
  for (guint k = 0; k < SQ_N_TRANSFORM_TYPES; k++)
    {
      if (strcmp (name, sq_transform_type_to_string ((SqTransformType) k)) == 0)
        {
          *type = (SqTransformType) k;
          return TRUE;
        }
      g_string_append_printf (list, "%s%s", k ? ", " : "",
                              sq_transform_type_to_string ((SqTransformType) k));
    }
  return fail (error, SQ_TRANSFORM_ERROR_VALUE, w, _("transform: unknown “%s”; use %s"), name,
               list->str);
}

static gboolean
read_target (JsonObject        *o,
             const Where       *w,
             SqTransformEntry  *entry,
             GError           **error)
{
  JsonNode *family = json_object_get_member (o, "family");
  JsonNode *group = json_object_get_member (o, "group");
  JsonNode *node = family ? family : group;
  const char *key = family ? "family" : "group";

  if ((family == NULL) == (group == NULL))
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, "%s",
                 _("family, group: expected exactly one of them"));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: expected a string, not %s"), key,
                 node_kind (node));
  if (group != NULL)
    {
      entry->group = g_strdup (json_node_get_string (group));
      return TRUE;
    }
  if (!sq_family_from_string (json_node_get_string (family), &entry->family))
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint f = SQ_FAMILY_NONE + 1; f < SQ_N_FAMILIES; f++)
        g_string_append_printf (list, "%s%s", f > 1 ? ", " : "",
                                sq_family_to_string ((SqFamily) f));
      return fail (error, SQ_TRANSFORM_ERROR_VALUE, w, _("family: unknown “%s”; use %s"),
                   json_node_get_string (family), list->str);
    }
  return TRUE;
}

static gboolean
read_entry (JsonNode          *node,
            const Where       *w,
            SqTransformEntry  *entry,
            GError           **error)
{
  JsonObject *o;
  SqTransformType type = SQ_TRANSFORM_ROUND;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_KEY,
                   _("%s: transforms[%u]: expected an object, not %s"), w->source, w->index,
                   node_kind (node));
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!read_target (o, w, entry, error) || !read_type (o, w, &type, error))
    return FALSE;
  sq_transform_init (&entry->transform, type);
  members = json_object_get_members (o);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      guint bit = 0;

      if (strcmp (key, "family") == 0 || strcmp (key, "group") == 0 ||
          strcmp (key, "transform") == 0)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (param_keys); k++)
        if (strcmp (key, param_keys[k].name) == 0)
          bit = param_keys[k].bit;
      if (bit == 0)
        return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: unknown key"), key);
      if ((type_keys[type] & bit) == 0)
        return fail (error, SQ_TRANSFORM_ERROR_KEY, w, _("%s: %s takes no such parameter"),
                     key, sq_transform_type_to_string (type));
      if (!read_param (o, key, bit, w, &entry->transform, error))
        return FALSE;
    }
  return check_exact_zero (&entry->transform, w, error);
}

/* Two entries for one family or one group: which one holds would be a guess. */
static gboolean
check_duplicates (const SqTransformConfig *c,
                  GError                 **error)
{
  for (guint i = 0; i < c->n_entries; i++)
    for (guint j = 0; j < i; j++)
      {
        const SqTransformEntry *a = &c->entries[i], *b = &c->entries[j];

        if (a->group ? b->group && strcmp (a->group, b->group) == 0
                     : !b->group && a->family == b->family)
          {
            Where w = { c->source, i };

            return fail (error, SQ_TRANSFORM_ERROR_VALUE, &w,
                         _("%s: “%s” already has a transform in transforms[%u]"),
                         a->group ? "group" : "family",
                         a->group ? a->group : sq_family_to_string (a->family), j);
          }
      }
  return TRUE;
}

SqTransformConfig *
sq_transform_config_load_data (const char  *data,
                               gsize        length,
                               const char  *name,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SqTransformConfig) c = g_new0 (SqTransformConfig, 1);
  g_autoptr(GError) local = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *root, *list;
  JsonArray *a;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  c->source = g_strdup (name);
  if (!sq_json_check (data, length, name, &local))
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_SYNTAX, "%s", local->message);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_SYNTAX, "%s: %s", name,
                   local ? local->message : _("too large"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_KEY,
                   _("%s: expected an object with “transforms”, not %s"), name,
                   root ? node_kind (root) : _("nothing"));
      return NULL;
    }
  members = json_object_get_members (json_node_get_object (root));
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "transforms") != 0)
      {
        g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_KEY,
                     _("%s: %s: unknown key; expected only “transforms”"), name,
                     (const char *) l->data);
        return NULL;
      }
  list = json_object_get_member (json_node_get_object (root), "transforms");
  a = list && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;
  if (a == NULL)
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_KEY,
                   _("%s: transforms: expected an array of transforms, not %s"), name,
                   list ? node_kind (list) : _("nothing"));
      return NULL;
    }
  if (json_array_get_length (a) > MAX_ENTRIES)
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_VALUE,
                   _("%s: transforms: expected at most %u entries, not %u"), name,
                   MAX_ENTRIES, json_array_get_length (a));
      return NULL;
    }
  c->entries = g_new0 (SqTransformEntry, json_array_get_length (a));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      Where w = { name, i };

      c->n_entries = i + 1;
      if (!read_entry (json_array_get_element (a, i), &w, &c->entries[i], error))
        return NULL;
    }
  if (!check_duplicates (c, error))
    return NULL;
  return g_steal_pointer (&c);
}

/**
 * sq_transform_config_load:
 * @path: a transform file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the configuration, or %NULL with @error set
 */
SqTransformConfig *
sq_transform_config_load (const char  *path,
                          GError     **error)
{
  g_autofree char *data = NULL, *name = g_filename_display_name (path);
  g_autoptr(GError) local = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_IO, "%s", local->message);
      return NULL;
    }
  return sq_transform_config_load_data (data, length, name, error);
}

void
sq_transform_config_free (SqTransformConfig *config)
{
  if (config == NULL)
    return;
  for (guint i = 0; i < config->n_entries; i++)
    g_free (config->entries[i].group);
  g_free (config->entries);
  g_free (config->source);
  g_free (config);
}

static void
add_range (JsonBuilder  *b,
           const char   *key,
           const double *range)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  json_builder_add_double_value (b, range[0]);
  json_builder_add_double_value (b, range[1]);
  json_builder_end_array (b);
}

JsonNode *
sq_transform_config_to_json (const SqTransformConfig *config)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "transforms");
  json_builder_begin_array (b);
  for (guint i = 0; i < config->n_entries; i++)
    {
      const SqTransformEntry *e = &config->entries[i];
      const SqTransform *t = &e->transform;
      guint keys = type_keys[t->type];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, e->group ? "group" : "family");
      json_builder_add_string_value (b, e->group ? e->group : sq_family_to_string (e->family));
      json_builder_set_member_name (b, "transform");
      json_builder_add_string_value (b, sq_transform_type_to_string (t->type));
      if ((keys & K_INPUT_RANGE) && t->has_input_range)
        add_range (b, "input_range", t->input_range);
      if ((keys & K_OUTPUT_RANGE) && t->has_output_range)
        add_range (b, "output_range", t->output_range);
      if (keys & K_NUM_LEVELS)
        {
          json_builder_set_member_name (b, "num_levels");
          json_builder_add_int_value (b, t->num_levels);
          json_builder_set_member_name (b, "maintain_zero");
          json_builder_add_boolean_value (b, t->maintain_zero);
          json_builder_set_member_name (b, "exact_zero");
          json_builder_add_boolean_value (b, t->exact_zero);
        }
      if (keys & K_PROBABILITY)
        {
          json_builder_set_member_name (b, "probability");
          json_builder_add_double_value (b, t->probability);
        }
      if (keys & K_DT)
        {
          json_builder_set_member_name (b, "dt");
          json_builder_add_double_value (b, t->dt);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
