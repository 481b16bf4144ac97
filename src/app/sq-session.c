/* sq-session.c: a tuned configuration saved as a .synquant file
 *
 * A small JSON object: {"version": 1, "source": "/abs/net.json", "kind": "xylo",
 * "device": "xylo-audio2", "settings": {"method": "global", "fuzzy": false,
 * "weight-bits": 8, "weight-shift": "auto", …}, "simulate": {…}}: the settings by the ids of
 * the kind's options, a choice by its name, a special value ("auto") by its; "layers" in
 * "settings" holds a layer's own values of the kind's layer options by its index
 * ({"1": {"width": "int8", "n.v": 5}}), only those not as global. "simulate"
 * belongs to the Simulate page and is passed through untouched. Every key but "version" and
 * "source" is optional (the defaults apply), so a hand-written session stays short; a key
 * that is there must hold what it should. Sessions from before kinds have no "kind" and no
 * "settings": their settings are top-level keys named like the Xylo options with
 * underscores ("weight_bits"), and they still open. A session file is at most 1 MiB and is
 * checked by the core's reader (sq_json_check: not empty, nested no deeper than a
 * specification may be) before json-glib, which recurses without a limit, parses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sq-session.h"
#include "sq-types.h"

/* Far more than any session; a bigger file is not one. */
#define SESSION_MAX_BYTES (1u << 20)

G_DEFINE_QUARK (sq-session-error-quark, sq_session_error)

SqSession *
sq_session_new (void)
{
  SqSession *session = g_new0 (SqSession, 1);

  const SqNetworkKind *kind = sq_default_kind ();
  g_autoptr(GPtrArray) devices = sq_network_kind_devices (kind);

  sq_quant_settings_init (&session->settings, kind);
  session->device = g_strdup (devices->len > 0
                              ? ((const SqDeviceProfile *) devices->pdata[0])->name : "");
  return session;
}

void
sq_session_free (SqSession *session)
{
  if (session == NULL)
    return;
  g_free (session->source);
  g_free (session->device);
  g_clear_pointer (&session->simulate, json_object_unref);
  g_free (session);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading                                                                                   */

static gboolean
invalid (GError    **error,
         const char *name,
         const char *key,
         const char *what)
{
  /* Translators: "net.synquant: weight_bits: expected a whole number from 2 to 16" */
  g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID, _("%s: %s: expected %s"),
               name, key, what);
  return FALSE;
}

static gboolean
get_string (JsonObject  *root,
            const char  *key,
            const char **out,
            const char  *name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (root, key);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, name, key, _("a string"));
  *out = json_node_get_string (node);
  return TRUE;
}

/* What @o takes, for a message: "a whole number from 2 to 16", "“global” or “channel”". */
static char *
option_expectation (const SqOption *o)
{
  g_autoptr(GString) names = NULL;

  switch (o->type)
    {
    case SQ_OPTION_CHOICE:
      names = g_string_new (NULL);
      for (guint i = 0; i < o->n_choices; i++)
        g_string_append_printf (names, "%s“%s”", i ? ", " : "", o->choices[i].name);
      /* Translators: a list of names: "one of “global”, “channel”" */
      return g_strdup_printf (_("one of %s"), names->str);
    case SQ_OPTION_BOOL:
      return g_strdup (_("true or false"));
    case SQ_OPTION_INT:
    default:
      if (o->special_name != NULL)
        /* Translators: "a whole number from 0 to 7 or “auto”" */
        return g_strdup_printf (_("a whole number from %d to %d or “%s”"), o->min, o->max,
                                o->special_name);
      return g_strdup_printf (_("a whole number from %d to %d"), o->min, o->max);
    }
}

/* Reads option @o from @node into @settings as setting @id (@o's id, or "layers[N].ID" for a
 * layer option): a choice's name, true or false, a number or the special value's name.
 * @key is the name the session gave it, for the message. */
static gboolean
get_option (JsonNode        *node,
            const SqOption  *o,
            const char      *id,
            const char      *key,
            SqQuantSettings *settings,
            const char      *name,
            GError         **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  g_autofree char *text = NULL;

  if (o->type == SQ_OPTION_BOOL && type == G_TYPE_BOOLEAN)
    text = g_strdup (json_node_get_boolean (node) ? "true" : "false");
  else if (o->type == SQ_OPTION_INT && type == G_TYPE_INT64 &&
           json_node_get_int (node) >= o->min && json_node_get_int (node) <= o->max)
    text = g_strdup_printf ("%d", (int) json_node_get_int (node));
  else if (o->type != SQ_OPTION_BOOL && type == G_TYPE_STRING &&
           (o->type == SQ_OPTION_CHOICE || g_strcmp0 (json_node_get_string (node),
                                                      o->special_name) == 0))
    text = g_strdup (json_node_get_string (node));
  if (text == NULL || !sq_quant_settings_set_string (settings, id, text, NULL))
    {
      g_autofree char *what = option_expectation (o);

      return invalid (error, name, key, what);
    }
  return TRUE;
}

/* "layers": {"1": {"width": "int8", "n.v": 5}}: the kind's layer options of layer 1. */
static gboolean
parse_layers (JsonNode        *node,
              SqQuantSettings *settings,
              const char      *name,
              GError         **error)
{
  const SqNetworkKind *kind = settings->kind;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, name, "settings.layers",
                    _("an object of layer indices, each with its layer settings"));
  members = json_object_get_members (json_node_get_object (node));
  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *index = m->data;
      JsonNode *layer = json_object_get_member (json_node_get_object (node), index);
      g_autofree char *at = g_strdup_printf ("settings.layers.%s", index);
      g_autoptr(GList) keys = NULL;
      guint64 n = 0;

      if (!g_ascii_string_to_unsigned (index, 10, 0, G_MAXUINT, &n, NULL))
        return invalid (error, name, at, _("a layer’s index (0 for the first)"));
      if (!JSON_NODE_HOLDS_OBJECT (layer))
        return invalid (error, name, at, _("an object of layer settings"));
      keys = json_object_get_members (json_node_get_object (layer));
      for (GList *k = keys; k != NULL; k = k->next)
        {
          const char *key = k->data;
          const SqOption *o = NULL;
          g_autofree char *id = g_strdup_printf ("layers[%u].%s", (guint) n, key);
          g_autofree char *path = g_strdup_printf ("%s.%s", at, key);

          for (guint i = 0; i < kind->n_layer_options; i++)
            if (g_str_equal (kind->layer_options[i].id, key))
              o = &kind->layer_options[i];
          if (o == NULL)
            {
              g_autoptr(GString) ids = g_string_new (NULL);
              g_autofree char *what = NULL;

              for (guint i = 0; i < kind->n_layer_options; i++)
                g_string_append_printf (ids, "%s“%s”", i ? ", " : "",
                                        kind->layer_options[i].id);
              /* Translators: a list of names: "a layer setting: “width”, “accumulator”" */
              what = g_strdup_printf (_("a layer setting: %s"), ids->str);
              return invalid (error, name, path, what);
            }
          if (!get_option (json_object_get_member (json_node_get_object (layer), key), o, id,
                           path, settings, name, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The settings of @settings' kind: from the "settings" object by option id, or, in a
 * session from before kinds, from top-level keys with "_" for "-" ("weight_bits"). */
static gboolean
parse_settings (JsonObject      *root,
                SqQuantSettings *settings,
                const char      *name,
                GError         **error)
{
  const SqNetworkKind *kind = settings->kind;
  JsonNode *node = json_object_get_member (root, "settings");
  JsonObject *object = root;
  gboolean old = node == NULL;

  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, name, "settings", _("an object"));
      object = json_node_get_object (node);
    }
  /* Ids the kind does not have are left alone: a newer Synquant's, or another kind's. */
  for (guint i = 0; i < kind->n_options; i++)
    {
      const SqOption *o = &kind->options[i];
      g_autofree char *key = g_strdup (o->id);
      JsonNode *value;

      if (old)
        g_strdelimit (key, "-", '_');
      value = json_object_get_member (object, key);
      if (value != NULL && !get_option (value, o, o->id, key, settings, name, error))
        return FALSE;
    }
  node = old ? NULL : json_object_get_member (object, "layers");
  return node == NULL || parse_layers (node, settings, name, error);
}

static gboolean
parse_session (JsonObject *root,
               const char *path,
               const char *name,
               SqSession  *session,
               GError    **error)
{
  const char *source = NULL, *device = NULL, *kind_name = NULL;
  JsonNode *node;

  if (!json_object_has_member (root, "version"))
    return invalid (error, name, "version", _("a session version"));
  node = json_object_get_member (root, "version");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1)
    {
      g_autofree char *what = g_strdup_printf (_("a whole number from %d to %d"), 1, G_MAXINT);

      return invalid (error, name, "version", what);
    }
  if (json_node_get_int (node) > SQ_SESSION_VERSION)
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_VERSION,
                   _("%s: session version %d is newer than this Synquant reads (%d): update "
                     "Synquant"), name, (int) MIN (json_node_get_int (node), G_MAXINT),
                   SQ_SESSION_VERSION);
      return FALSE;
    }

  if (!get_string (root, "source", &source, name, error))
    return FALSE;
  if (source == NULL || *source == '\0')
    return invalid (error, name, "source", _("the path of the network"));
  /* A relative path counts from the session's folder, so a folder can move as a whole. */
  if (g_path_is_absolute (source))
    session->source = g_strdup (source);
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *abs = g_build_filename (dir, source, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (abs);

      session->source = g_file_get_path (file);
    }

  if (!get_string (root, "kind", &kind_name, name, error))
    return FALSE;
  if (kind_name != NULL)
    {
      const SqNetworkKind *kind = sq_network_kind_lookup (kind_name);

      if (kind == NULL)
        {
          g_autofree char *what = g_strdup_printf (_("a kind of network, not “%s”"),
                                                   kind_name);

          return invalid (error, name, "kind", what);
        }
      sq_quant_settings_init (&session->settings, kind);
    }

  if (!get_string (root, "device", &device, name, error))
    return FALSE;
  if (device != NULL)
    {
      const SqDeviceProfile *profile = sq_network_kind_device (session->settings.kind, device);

      if (profile == NULL)
        {
          g_autofree char *names = sq_network_kind_device_names (session->settings.kind);
          /* Translators: "a device of this network (xylo-audio2 or xylo-imu), not “x”" */
          g_autofree char *what = g_strdup_printf (_("a device of this network (%s), not “%s”"),
                                                   names, device);

          return invalid (error, name, "device", what);
        }
      g_free (session->device);
      session->device = g_strdup (profile->name);
    }

  if (!parse_settings (root, &session->settings, name, error))
    return FALSE;

  node = json_object_get_member (root, "simulate");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, name, "simulate", _("an object"));
      session->simulate = json_object_ref (json_node_get_object (node));
    }
  return TRUE;
}

/**
 * sq_session_load_data:
 * @data: the bytes of a session file
 * @path: the file they came from: messages name it and a relative source is resolved
 *   against its folder
 *
 * sq_session_load() on bytes already read.
 */
SqSession *
sq_session_load_data (const char *data,
                      gsize       length,
                      const char *path,
                      GError    **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SqSession) session = sq_session_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (length > SESSION_MAX_BYTES)
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID,
                   _("%s: %zu bytes is too large for a session (at most %u)"), name,
                   length, SESSION_MAX_BYTES);
      return NULL;
    }
  /* json-glib recurses without a limit (a deep file overflows the stack) and fails an
   * empty one with a precondition instead of an error: the core's reader checks first. */
  if (!sq_json_check (data, length, name, &local))
    {
      g_set_error_literal (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID, local->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID, "%s: %s", name,
                   local != NULL ? local->message : _("not a JSON file"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID,
                   _("%s: not a Synquant session: expected a JSON object"), name);
      return NULL;
    }
  if (!parse_session (json_node_get_object (root), path, name, session, error))
    return NULL;

  if (!g_file_test (session->source, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *shown = g_filename_display_name (session->source);

      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_SOURCE,
                   _("%s: the network “%s” of this session does not exist any more"), name,
                   shown);
      return NULL;
    }
  return g_steal_pointer (&session);
}

/**
 * sq_session_load:
 *
 * Reads a session. The network it names must exist (%SQ_SESSION_ERROR_SOURCE names it
 * otherwise); it is not loaded here.
 */
SqSession *
sq_session_load (const char *path,
                 GError    **error)
{
  g_autoptr(GMappedFile) mapped = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  mapped = sq_file_map (path, error);
  if (mapped == NULL)
    return NULL;
  return sq_session_load_data (g_mapped_file_get_contents (mapped),
                               g_mapped_file_get_length (mapped), path, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

/* Returns: the session as pretty-printed JSON, ending in a newline */
char *
sq_session_to_data (const SqSession *session,
                    gsize           *length)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (session != NULL && session->source != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SQ_SESSION_VERSION);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, session->source);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, session->settings.kind->name);
  if (session->device != NULL && *session->device != '\0')
    {
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, session->device);
    }
  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  sq_quant_settings_build_json (&session->settings, b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "simulate");
  if (session->simulate != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, session->simulate);
      json_builder_add_value (b, node);
    }
  else
    {
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  /* The simulate object is the user's: its doubles are written as every JSON of ours. */
  return sq_json_to_data (root, TRUE, length);
}

/* Writes @session to @path atomically: the old file stays whole if anything fails. */
gboolean
sq_session_save (const SqSession *session,
                 const char      *path,
                 GError         **error)
{
  gsize length;
  g_autofree char *data = sq_session_to_data (session, &length);

  g_return_val_if_fail (path != NULL, FALSE);
  return sq_file_write_atomic (path, data, length, error);
}
