/* sq-nir-h5w.c: what the NIR writers share — HDF5 datasets, node groups and the file image
 * in memory (sq-nir-write.c for Xylo, sq-nir-write-dynapcnn.c for DynapCNN)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "synquant.h"
#include "sq-nir-h5w-private.h"
#include "sq-nir-private.h"

#if SYNQUANT_HAVE_NIR


/* The same file's writer, for values that must be written as floats or as integers
 * whatever the spec holds; its ok flag starts afresh. */
Writer
_sq_h5w_variant (const Writer *w,
                 gboolean      integer)
{
  Writer v = *w;

  v.ok = TRUE;
  v.integer = integer;
  return v;
}

void
_sq_h5w_close (hid_t id)
{
  if (id < 0)
    return;
  switch (H5Iget_type (id))
    {
    case H5I_FILE: H5Fclose (id); break;
    case H5I_GROUP: H5Gclose (id); break;
    case H5I_DATASET: H5Dclose (id); break;
    case H5I_DATATYPE: H5Tclose (id); break;
    case H5I_DATASPACE: H5Sclose (id); break;
    case H5I_GENPROP_LST: H5Pclose (id); break;
    default: break;
    }
}

static hid_t
string_type (void)
{
  hid_t t = H5Tcopy (H5T_C_S1);

  if (t >= 0 && (H5Tset_size (t, H5T_VARIABLE) < 0 || H5Tset_cset (t, H5T_CSET_UTF8) < 0))
    {
      H5Tclose (t);
      return -1;
    }
  return t;
}

void
_sq_h5w_strings (Writer      *w,
                 hid_t        loc,
                 const char  *name,
                 int          rank,
                 const hsize_t *dims,
                 const char **strings)
{
  hid_t type = string_type ();
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  hid_t ds = -1;

  if (type < 0 || space < 0 ||
      (ds = H5Dcreate2 (loc, name, type, space, H5P_DEFAULT, w->dcpl, H5P_DEFAULT)) < 0 ||
      H5Dwrite (ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings) < 0)
    w->ok = FALSE;
  _sq_h5w_close (ds);
  _sq_h5w_close (space);
  _sq_h5w_close (type);
}

void
_sq_h5w_string (Writer     *w,
                hid_t       loc,
                const char *name,
                const char *value)
{
  _sq_h5w_strings (w, loc, name, 0, NULL, &value);
}

/* Writes @n values with shape @dims (rank 0: a scalar); int64 when @w wants integers and
 * every value is one, else float64. */
void
_sq_h5w_array (Writer       *w,
               hid_t         loc,
               const char   *name,
               int           rank,
               const hsize_t *dims,
               const double *v,
               gsize         n)
{
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  gboolean as_int = w->integer && _sq_nir_all_integral (v, n);
  hid_t ds = -1;
  herr_t st = -1;

  if (space >= 0)
    ds = H5Dcreate2 (loc, name, as_int ? H5T_STD_I64LE : H5T_IEEE_F64LE, space, H5P_DEFAULT,
                     w->dcpl, H5P_DEFAULT);
  if (ds >= 0 && as_int)
    {
      g_autofree gint64 *iv = g_new (gint64, MAX (n, 1));

      for (gsize i = 0; i < n; i++)
        iv[i] = (gint64) v[i];
      st = H5Dwrite (ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, iv);
    }
  else if (ds >= 0)
    st = H5Dwrite (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  if (st < 0)
    w->ok = FALSE;
  _sq_h5w_close (ds);
  _sq_h5w_close (space);
}

void
_sq_h5w_vector (Writer       *w,
                hid_t         loc,
                const char   *name,
                const double *v,
                gsize         n)
{
  hsize_t dims[1] = { n };

  _sq_h5w_array (w, loc, name, 1, dims, v, n);
}

/* [y, x]: strides, paddings and windows. */
void
_sq_h5w_pair (Writer     *w,
              hid_t       loc,
              const char *name,
              double      y,
              double      x)
{
  const double v[2] = { y, x };

  _sq_h5w_vector (w, loc, name, v, 2);
}

void
_sq_h5w_scalar (Writer     *w,
                hid_t       loc,
                const char *name,
                double      v)
{
  Writer exact = _sq_h5w_variant (w, _sq_nir_all_integral (&v, 1));

  _sq_h5w_array (&exact, loc, name, 0, NULL, &v, 1);
  w->ok = w->ok && exact.ok;
}

hid_t
_sq_h5w_node (Writer     *w,
              hid_t       nodes,
              const char *name,
              const char *type)
{
  hid_t g = H5Gcreate2 (nodes, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);

  if (g < 0)
    {
      w->ok = FALSE;
      return -1;
    }
  _sq_h5w_string (w, g, "type", type);
  return g;
}

hid_t
_sq_h5w_metadata (Writer *w,
                  hid_t   node)
{
  hid_t g = node >= 0 ? H5Gcreate2 (node, "metadata", H5P_DEFAULT, w->gcpl, H5P_DEFAULT)
                      : -1;

  if (g < 0)
    w->ok = FALSE;
  return g;
}

/* The file's version and its top-level graph: returns the graph's group and puts its
 * `nodes` group into @nodes; -1 (and @w not ok) when HDF5 fails. */
hid_t
_sq_h5w_graph (Writer *w,
               hid_t   file,
               hid_t  *nodes)
{
  hid_t root;

  _sq_h5w_string (w, file, "version", SQ_NIR_VERSION);
  root = H5Gcreate2 (file, "node", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
  if (root < 0)
    {
      w->ok = FALSE;
      *nodes = -1;
      return -1;
    }
  _sq_h5w_string (w, root, "type", "NIRGraph");
  *nodes = H5Gcreate2 (root, "nodes", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
  if (*nodes < 0)
    w->ok = FALSE;
  return root;
}

/**
 * _sq_h5w_image:
 * @integer: write whole-numbered arrays as int64
 * @build: writes the graph into the file it is given
 *
 * An HDF5 file built in memory by @build, as bytes: the same graph gives the same bytes.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
GBytes *
_sq_h5w_image (gboolean      integer,
               SqH5wBuild    build,
               gconstpointer data,
               GError      **error)
{
  Writer w = { TRUE, integer, -1, -1 };
  hid_t fapl, fcpl, file = -1;
  GBytes *bytes = NULL;

  _sq_nir_lock ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  fapl = H5Pcreate (H5P_FILE_ACCESS);
  fcpl = H5Pcreate (H5P_FILE_CREATE);
  w.gcpl = H5Pcreate (H5P_GROUP_CREATE);
  w.dcpl = H5Pcreate (H5P_DATASET_CREATE);
  /* HDF5 stamps every object with its creation time unless told not to; exports must be the
   * same bytes for the same spec. In memory: the image is then written atomically like every
   * other output. */
  if (fapl >= 0 && fcpl >= 0 && w.gcpl >= 0 && w.dcpl >= 0 &&
      H5Pset_obj_track_times (fcpl, 0) >= 0 && H5Pset_obj_track_times (w.gcpl, 0) >= 0 &&
      H5Pset_obj_track_times (w.dcpl, 0) >= 0 && H5Pset_fapl_core (fapl, 1 << 20, 0) >= 0)
    file = H5Fcreate ("/dev/null/synquant-image.nir", H5F_ACC_TRUNC, fcpl, fapl);
  if (file >= 0)
    {
      ssize_t size;

      build (&w, file, data);
      if (w.ok && H5Fflush (file, H5F_SCOPE_GLOBAL) >= 0 &&
          (size = H5Fget_file_image (file, NULL, 0)) > 0)
        {
          char *buf = g_malloc (size);

          if (H5Fget_file_image (file, buf, size) == size)
            bytes = g_bytes_new_take (buf, size);
          else
            g_free (buf);
        }
    }
  _sq_h5w_close (file);
  _sq_h5w_close (w.dcpl);
  _sq_h5w_close (w.gcpl);
  _sq_h5w_close (fcpl);
  _sq_h5w_close (fapl);
  _sq_nir_unlock ();

  if (bytes == NULL)
    g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO, _("HDF5 could not build the NIR file"));
  return bytes;
}

#endif /* SYNQUANT_HAVE_NIR */
