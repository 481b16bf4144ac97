/* sq-session.c: a tuned configuration saved as a .synquant file
 *
 * A small JSON object: {"version": 1, "source": "/abs/net.json", "device": "xylo-audio2",
 * "method": "global", "mode": "synquant", "fuzzy": false, "weight_bits": 8,
 * "threshold_bits": 16, "weight_shift": 0 | "auto", "simulate": {…}}. "simulate" belongs to
 * the Simulate page and is passed through untouched. Every key but "version" and "source" is
 * optional (the defaults apply), so a hand-written session stays short; a key that is there
 * must hold what it should.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sq-session.h"

/* Far more than any session; a bigger file is not one. */
#define SESSION_MAX_BYTES (1u << 20)

G_DEFINE_QUARK (sq-session-error-quark, sq_session_error)

SqSession *
sq_session_new (void)
{
  SqSession *session = g_new0 (SqSession, 1);

  sq_quant_params_init (&session->params);
  session->device = g_strdup ("xylo-audio2");
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

static gboolean
get_int (JsonObject  *root,
         const char  *key,
         gint64       min,
         gint64       max,
         gint64      *out,
         const char  *name,
         GError     **error)
{
  JsonNode *node = json_object_get_member (root, key);
  gint64 v;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (v = json_node_get_int (node)) < min || v > max)
    {
      g_autofree char *what = g_strdup_printf (_("a whole number from %d to %d"), (int) min,
                                               (int) max);

      return invalid (error, name, key, what);
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_session (JsonObject *root,
               const char *path,
               const char *name,
               SqSession  *session,
               GError    **error)
{
  const char *source = NULL, *device = NULL, *method = NULL, *mode = NULL;
  gint64 version = 0, weight_bits = session->params.weight_bits;
  gint64 threshold_bits = session->params.threshold_bits;
  JsonNode *node;

  if (!json_object_has_member (root, "version"))
    return invalid (error, name, "version", _("a session version"));
  if (!get_int (root, "version", 1, G_MAXINT, &version, name, error))
    return FALSE;
  if (version > SQ_SESSION_VERSION)
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_VERSION,
                   _("%s: session version %d is newer than this Synquant reads (%d): update "
                     "Synquant"), name, (int) version, SQ_SESSION_VERSION);
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

  if (!get_string (root, "device", &device, name, error))
    return FALSE;
  if (device != NULL)
    {
      const SqDeviceProfile *profile = sq_device_profile_lookup (device);
      g_autofree char *names = NULL;

      if (profile == NULL || !profile->is_xylo)
        {
          g_autofree char *what = NULL;

          names = sq_device_names_string ();
          what = g_strdup_printf (_("a Xylo device (%s), not “%s”"), names, device);
          return invalid (error, name, "device", what);
        }
      g_free (session->device);
      session->device = g_strdup (profile->name);
    }

  if (!get_string (root, "method", &method, name, error) ||
      !get_string (root, "mode", &mode, name, error))
    return FALSE;
  if (method != NULL && !sq_method_from_string (method, &session->params.method))
    return invalid (error, name, "method", _("“global” or “channel”"));
  if (mode != NULL && !sq_mode_from_string (mode, &session->params.mode))
    return invalid (error, name, "mode", _("“synquant” or “rockpool”"));

  node = json_object_get_member (root, "fuzzy");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return invalid (error, name, "fuzzy", _("true or false"));
      session->params.fuzzy = json_node_get_boolean (node);
    }

  if (!get_int (root, "weight_bits", SQ_WEIGHT_BITS_MIN, SQ_WEIGHT_BITS_MAX, &weight_bits,
                name, error) ||
      !get_int (root, "threshold_bits", SQ_THRESHOLD_BITS_MIN, SQ_THRESHOLD_BITS_MAX,
                &threshold_bits, name, error))
    return FALSE;
  session->params.weight_bits = (guint) weight_bits;
  session->params.threshold_bits = (guint) threshold_bits;

  node = json_object_get_member (root, "weight_shift");
  if (node != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (node), "auto"))
        session->params.weight_shift = SQ_WEIGHT_SHIFT_AUTO;
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
               json_node_get_int (node) >= 0 &&
               json_node_get_int (node) <= SQ_QUANT_WEIGHT_SHIFT_MAX)
        session->params.weight_shift = (int) json_node_get_int (node);
      else
        return invalid (error, name, "weight_shift", _("a whole number from 0 to 7 or “auto”"));
    }

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
 * sq_session_load:
 *
 * Reads a session. The network it names must exist (%SQ_SESSION_ERROR_SOURCE names it
 * otherwise); it is not loaded here.
 */
SqSession *
sq_session_load (const char *path,
                 GError    **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SqSession) session = sq_session_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  g_return_val_if_fail (path != NULL, NULL);

  mapped = sq_file_map (path, error);
  if (mapped == NULL)
    return NULL;
  if (g_mapped_file_get_length (mapped) > SESSION_MAX_BYTES)
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID,
                   _("%s: %zu bytes is too large for a session (at most %u)"), name,
                   g_mapped_file_get_length (mapped), SESSION_MAX_BYTES);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_mapped_file_get_contents (mapped),
                                   (gssize) g_mapped_file_get_length (mapped), &local))
    {
      g_set_error (error, SQ_SESSION_ERROR, SQ_SESSION_ERROR_INVALID, "%s: %s", name,
                   local->message);
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

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                   */

/* Returns: the session as pretty-printed JSON, ending in a newline */
char *
sq_session_to_data (const SqSession *session,
                    gsize           *length)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *data;

  g_return_val_if_fail (session != NULL && session->source != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SQ_SESSION_VERSION);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, session->source);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, session->device);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, sq_method_to_string (session->params.method));
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, sq_mode_to_string (session->params.mode));
  json_builder_set_member_name (b, "fuzzy");
  json_builder_add_boolean_value (b, session->params.fuzzy);
  json_builder_set_member_name (b, "weight_bits");
  json_builder_add_int_value (b, session->params.weight_bits);
  json_builder_set_member_name (b, "threshold_bits");
  json_builder_add_int_value (b, session->params.threshold_bits);
  json_builder_set_member_name (b, "weight_shift");
  if (session->params.weight_shift == SQ_WEIGHT_SHIFT_AUTO)
    json_builder_add_string_value (b, "auto");
  else
    json_builder_add_int_value (b, session->params.weight_shift);
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
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  data = g_strconcat (text, "\n", NULL);
  if (length != NULL)
    *length = strlen (data);
  return data;
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
