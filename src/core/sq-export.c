/* sq-export.c: configuration exports for a device — the format table, the dispatch to each
 * format's builder (sq-export-<format>.c; NIR is sq-nir-write.c) and the writing
 *
 * Every format is built in memory first (sq_export_build), so a test sees the exact bytes a
 * file would hold; sq_network_export then writes it with sq_file_write_all_atomic: a target
 * holds its old content or the new, and the files of a RAM image are replaced together or not
 * at all (an existing folder keeps the files that are not the export's).
 * Nothing here ever wraps a value into a register: a value the device cannot hold is an error
 * that names its place (Rockpool's int8 cast wraps silently, research/rockpool.md §2.2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-export-private.h"

G_DEFINE_QUARK (sq-export-error-quark, sq_export_error)

static const char * const format_names[SQ_N_EXPORT_FORMATS] = {
  [SQ_EXPORT_ROCKPOOL_JSON] = "rockpool-json",
  [SQ_EXPORT_ROCKPOOL_NPZ] = "rockpool-npz",
  [SQ_EXPORT_SAMNA_JSON] = "samna-json",
  [SQ_EXPORT_XYLO_RAM] = "xylo-ram",
  [SQ_EXPORT_C_HEADER] = "c-header",
  [SQ_EXPORT_NIR] = "nir",
};

const char *
sq_export_format_to_string (SqExportFormat format)
{
  g_return_val_if_fail ((guint) format < SQ_N_EXPORT_FORMATS, NULL);
  return format_names[format];
}

/* Returns: whether @name (any case) is a format; then *@format is set. */
gboolean
sq_export_format_from_string (const char     *name,
                              SqExportFormat *format)
{
  g_return_val_if_fail (name != NULL && format != NULL, FALSE);

  for (guint i = 0; i < SQ_N_EXPORT_FORMATS; i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *format = (SqExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

static void
export_file_free (gpointer data)
{
  SqExportFile *f = data;

  g_free (f->path);
  g_bytes_unref (f->data);
  g_free (f);
}

/* (element-type SqExportFile): an empty list of an export's files */
GPtrArray *
_sq_export_files_new (void)
{
  return g_ptr_array_new_with_free_func (export_file_free);
}

void
_sq_export_add_file (GPtrArray  *files,
                     const char *path,
                     GBytes     *data)
{
  SqExportFile *f = g_new0 (SqExportFile, 1);

  f->path = g_strdup (path);
  f->data = data;
  g_ptr_array_add (files, f);
}

/**
 * sq_export_build:
 * @spec: the integer specification (a float one only for %SQ_EXPORT_NIR)
 * @quant: (nullable): the quantization that produced @spec: scales and bit widths for the
 *   formats that record them
 * @device: the target device
 * @path: where the export goes: a file, or the folder of %SQ_EXPORT_XYLO_RAM
 * @options: (nullable): format options
 *
 * Builds the files of an export in memory, without touching the file system. Callers check
 * the fit first (sq_device_check); this only refuses what the format cannot hold at all.
 *
 * Returns: (transfer full) (element-type SqExportFile): the files in a fixed order, or %NULL
 *   with @error set
 */
GPtrArray *
sq_export_build (const SqXyloSpec      *spec,
                 const SqQuantResult   *quant,
                 const SqDeviceProfile *device,
                 SqExportFormat         format,
                 const char            *path,
                 const SqExportOptions *options,
                 GError               **error)
{
  g_autoptr(GPtrArray) files = _sq_export_files_new ();
  g_autofree char *display = NULL;
  SqExportCtx c;
  GBytes *data = NULL;

  g_return_val_if_fail (spec != NULL && device != NULL && path != NULL, NULL);
  g_return_val_if_fail ((guint) format < SQ_N_EXPORT_FORMATS, NULL);

  c.spec = spec;
  c.device = device;
  if (options && options->source)
    c.source = options->source;
  else if (spec->source)
    c.source = spec->source;
  else
    c.source = display = g_filename_display_name (path);

  switch (format)
    {
    case SQ_EXPORT_ROCKPOOL_JSON:
    case SQ_EXPORT_ROCKPOOL_NPZ:
      data = _sq_export_rockpool (&c, format == SQ_EXPORT_ROCKPOOL_NPZ, error);
      break;
    case SQ_EXPORT_SAMNA_JSON:
      data = _sq_export_samna_json (&c, error);
      break;
    case SQ_EXPORT_XYLO_RAM:
      if (!_sq_export_xylo_ram (&c, path, files, error))
        return NULL;
      return g_steal_pointer (&files);
    case SQ_EXPORT_C_HEADER:
      if (!_sq_export_c_header (&c, quant, path, options, files, error))
        return NULL;
      return g_steal_pointer (&files);
    case SQ_EXPORT_NIR:
      data = sq_xylo_spec_to_nir (spec, quant, error);
      break;
    case SQ_N_EXPORT_FORMATS:
    default:
      g_return_val_if_reached (NULL);
    }

  if (data == NULL)
    return NULL;
  _sq_export_add_file (files, path, data);
  return g_steal_pointer (&files);
}

/* Writes @files (SqExportFile) atomically and together, creating the folder @path first for
 * a format that writes one (sq_network_export), but not its missing parents. */
gboolean
_sq_export_write_files (GPtrArray   *files,
                        gboolean     is_directory,
                        const char  *path,
                        GError     **error)
{
  g_autofree SqFileContent *contents = NULL;
  gboolean created = FALSE, ok;

  if (is_directory && !_sq_file_make_folder (path, &created, error))
    return FALSE;

  contents = g_new0 (SqFileContent, files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const SqExportFile *f = g_ptr_array_index (files, i);

      contents[i].path = f->path;
      contents[i].data = g_bytes_get_data (f->data, &contents[i].length);
    }
  ok = sq_file_write_all_atomic (contents, files->len, error);
  /* A folder made for an export that failed goes again (it is empty: nothing was renamed). */
  if (!ok && created)
    g_rmdir (path);
  return ok;
}
