/* fuzz-transform-json.c: transform files (sq_transform_config_load_data), then what runs on
 * what they load: written and read back to the same entries, and every entry applied to a
 * few values with zeros, signs and decay-like numbers, whose results must be finite — but
 * for a rounding with a given input range, which (as Rockpool's) does not clip values far
 * outside it, so their levels may overflow. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <synquant.h>

#include "fuzz-common.h"

static void
exercise (const SqTransformConfig *config)
{
  static const double values[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.25, 0.999, 1e-300, -3.75, 1e6, 0.1, 2.0,
  };
  double out[G_N_ELEMENTS (values)];

  for (guint e = 0; e < config->n_entries; e++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = sq_transform_apply_values (&config->entries[e].transform, values, out,
                                               G_N_ELEMENTS (values), 1, e, "g", &error);

      sq_fuzz_check_result (ok, error, "sq_transform_apply_values");
      if (config->entries[e].transform.has_input_range)
        continue;
      for (guint i = 0; ok && i < G_N_ELEMENTS (values); i++)
        if (!isfinite (out[i]))
          g_error ("entry %u: %s of %g is %g", e,
                   sq_transform_type_to_string (config->entries[e].transform.type),
                   values[i], out[i]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqTransformConfig) config = NULL;

  sq_fuzz_init ();
  config = sq_transform_config_load_data ((const char *) data, size, "fuzz.json", &error);
  sq_fuzz_check_result (config != NULL, error, "sq_transform_config_load_data");
  if (config != NULL)
    {
      g_autoptr(JsonNode) node = sq_transform_config_to_json (config);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autoptr(SqTransformConfig) back = sq_transform_config_load_data (text, strlen (text),
                                                                         "back.json", &error);

      if (back == NULL)
        g_error ("a written configuration does not read back: %s", error->message);
      if (back->n_entries != config->n_entries)
        g_error ("a written configuration reads back with other entries");
      for (guint e = 0; e < back->n_entries; e++)
        if (memcmp (&back->entries[e].transform, &config->entries[e].transform,
                    sizeof (SqTransform)) != 0 ||
            back->entries[e].family != config->entries[e].family ||
            g_strcmp0 (back->entries[e].group, config->entries[e].group) != 0)
          g_error ("entry %u reads back otherwise", e);
      exercise (config);
    }
  return 0;
}
