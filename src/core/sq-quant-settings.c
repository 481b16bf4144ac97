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
  return TRUE;
}

static int
option_index (const SqNetworkKind *kind,
              const char          *id)
{
  for (guint i = 0; i < kind->n_options; i++)
    if (g_str_equal (kind->options[i].id, id))
      return (int) i;
  return -1;
}

static const char *
noun (const SqOption *o)
{
  return sq_label (o->noun ? o->noun : o->label);
}

static gboolean
no_such_option (const SqNetworkKind  *kind,
                const char           *id,
                GError              **error)
{
  g_autofree const char **ids = g_new0 (const char *, kind->n_options + 1);
  g_autofree char *list = NULL;

  for (guint i = 0; i < kind->n_options; i++)
    ids[i] = kind->options[i].id;
  list = _sq_join_or (ids, kind->n_options);
  /* TRANSLATORS: "Xylo specification: no setting “bits”; use method, fuzzy, … or
   * weight-shift" */
  g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
               _("%s: no setting “%s”; use %s"), sq_label (kind->label), id, list);
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

gboolean
sq_quant_settings_set_string (SqQuantSettings  *settings,
                              const char       *id,
                              const char       *text,
                              GError          **error)
{
  const SqOption *o;
  gint64 n = 0;
  int i, value = 0;

  g_return_val_if_fail (settings != NULL && settings->kind != NULL && id != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  i = option_index (settings->kind, id);
  if (i < 0)
    return no_such_option (settings->kind, id, error);
  o = &settings->kind->options[i];

  switch (o->type)
    {
    case SQ_OPTION_CHOICE:
      for (guint c = 0; c < o->n_choices; c++)
        if (g_str_equal (text, o->choices[c].name) ||
            (o->choices[c].alias && g_str_equal (text, o->choices[c].alias)))
          {
            settings->value[i] = (int) c;
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
  settings->value[i] = value;
  return TRUE;
}

char *
sq_quant_settings_get_string (const SqQuantSettings *settings,
                              const char            *id)
{
  int i = option_index (settings->kind, id);
  const SqOption *o;
  int v;

  g_return_val_if_fail (i >= 0, NULL);
  o = &settings->kind->options[i];
  v = settings->value[i];
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
sq_quant_settings_to_string (const SqQuantSettings *settings)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < settings->kind->n_options; i++)
    {
      const char *id = settings->kind->options[i].id;
      g_autofree char *value = sq_quant_settings_get_string (settings, id);

      g_string_append_printf (s, "%s%s=%s", i ? " " : "", id, value);
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
  return g_string_free (s, FALSE);
}

gboolean
sq_quant_settings_check (const SqQuantSettings  *settings,
                         GError                **error)
{
  g_return_val_if_fail (settings != NULL && settings->kind != NULL, FALSE);
  for (guint i = 0; i < settings->kind->n_options; i++)
    if (!check_value (&settings->kind->options[i], settings->value[i], error))
      return FALSE;
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
