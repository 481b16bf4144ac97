/* sq-nir-hdf5.c: the HDF5 reader of NIR graphs (built only with -Dnir)
 *
 * The layout (research/ecosystem.md §1.1): every value is a dataset; /node is the top-level
 * node, a group with a `type` string; a NIRGraph node has a `nodes` group of named node
 * groups and an `edges` dataset (E, 2) of strings. Only calls present in both HDF5 1.10 and
 * 1.14 are used (H5Gget_info, H5Lget_name_by_idx, H5Oopen, H5Iget_type): 1.12 renamed the
 * iteration and object-info calls. The reader runs in the forked child of sq-nir-sandbox.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>
#include <inttypes.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-nir-private.h"

/* Nesting deeper than this is refused: a hard link back to an ancestor group would
 * otherwise recurse forever. */
/* Longest fixed-length string and longest name accepted. */
#define MAX_STRING 65536

/* Every HDF5 call of the library, reading and writing, runs under this lock. */
static GMutex nir_lock;

void
_sq_nir_lock (void)
{
  g_mutex_lock (&nir_lock);
}

void
_sq_nir_unlock (void)
{
  g_mutex_unlock (&nir_lock);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading HDF5                                                                              */

typedef struct {
  const char *source;
  gsize       file_size;
} Reader;

static void
close_id (hid_t *id)
{
  if (*id < 0)
    return;
  switch (H5Iget_type (*id))
    {
    case H5I_FILE: H5Fclose (*id); break;
    case H5I_GROUP: H5Gclose (*id); break;
    case H5I_DATASET: H5Dclose (*id); break;
    case H5I_DATATYPE: H5Tclose (*id); break;
    case H5I_DATASPACE: H5Sclose (*id); break;
    case H5I_GENPROP_LST: H5Pclose (*id); break;
    default: H5Oclose (*id); break;
    }
  *id = -1;
}

#define AUTO_ID __attribute__ ((cleanup (close_id))) hid_t

static gboolean
bad_dataset (const Reader *r,
             const char   *path,
             const char   *what,
             GError      **error)
{
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT, _("%s: %s: %s"), r->source, path, what);
  return FALSE;
}

/* Reads a string dataset (vlen or fixed length, any rank) into @n_out strings. */
static char **
read_strings (const Reader *r,
              hid_t         ds,
              hid_t         ftype,
              gsize         n,
              const char   *path,
              GError      **error)
{
  g_auto(GStrv) out = g_new0 (char *, n + 1);
  AUTO_ID mtype = H5Tcopy (H5T_C_S1);
  htri_t vlen = H5Tis_variable_str (ftype);

  if (mtype < 0 || vlen < 0)
    {
      bad_dataset (r, path, _("cannot read the string type"), error);
      return NULL;
    }
  if (vlen)
    {
      g_autofree char **buf = g_new0 (char *, n);
      gboolean ok;

      if (H5Tset_size (mtype, H5T_VARIABLE) < 0 ||
          H5Tset_cset (mtype, H5Tget_cset (ftype)) < 0 ||
          H5Dread (ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        {
          bad_dataset (r, path, _("cannot read the strings (damaged file?)"), error);
          return NULL;
        }
      ok = TRUE;
      for (gsize i = 0; i < n; i++)
        {
          if (buf[i] == NULL || strlen (buf[i]) > MAX_STRING)
            ok = FALSE;
          else
            out[i] = g_strdup (buf[i]);
          H5free_memory (buf[i]);
        }
      if (!ok)
        {
          bad_dataset (r, path, _("a string is missing or too long"), error);
          return NULL;
        }
    }
  else
    {
      size_t size = H5Tget_size (ftype);
      g_autofree char *buf = NULL;

      if (size == 0 || size > MAX_STRING || n > MAX_STRING)
        {
          bad_dataset (r, path, _("strings of an unusable length"), error);
          return NULL;
        }
      buf = g_malloc0 (n * size);
      if (H5Tset_size (mtype, size) < 0 ||
          H5Tset_strpad (mtype, H5T_STR_NULLPAD) < 0 ||
          H5Dread (ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        {
          bad_dataset (r, path, _("cannot read the strings (damaged file?)"), error);
          return NULL;
        }
      for (gsize i = 0; i < n; i++)
        {
          const char *s = buf + i * size;
          gsize len = strnlen (s, size);

          /* Space-padded strings (Fortran style) end in blanks. */
          while (len > 0 && s[len - 1] == ' ')
            len--;
          out[i] = g_strndup (s, len);
        }
    }
  for (gsize i = 0; i < n; i++)
    if (!g_utf8_validate (out[i], -1, NULL))
      {
        bad_dataset (r, path, _("a string is not valid UTF-8"), error);
        return NULL;
      }
  return g_steal_pointer (&out);
}

/* Reads dataset @name of @loc into @param (numbers as doubles) or, for strings, @strings. */
static gboolean
read_dataset (const Reader *r,
              hid_t         loc,
              const char   *name,
              const char   *path,
              SqTensor     *tensor,
              char       ***strings,
              GError      **error)
{
  AUTO_ID ds = H5Dopen2 (loc, name, H5P_DEFAULT);
  AUTO_ID space = -1;
  AUTO_ID ftype = -1;
  hsize_t dims[H5S_MAX_RANK];
  gsize shape[SQ_TENSOR_MAX_RANK] = { 0, };
  H5S_class_t sclass;
  H5T_class_t tclass;
  int rank;
  gsize n;

  if (ds < 0 || (space = H5Dget_space (ds)) < 0 || (ftype = H5Dget_type (ds)) < 0)
    return bad_dataset (r, path, _("cannot open the dataset (damaged file?)"), error);
  sclass = H5Sget_simple_extent_type (space);
  rank = H5Sget_simple_extent_ndims (space);
  if (sclass == H5S_NULL)
    return bad_dataset (r, path, _("the dataset is empty (null dataspace)"), error);
  if (rank < 0 || (sclass != H5S_SCALAR && sclass != H5S_SIMPLE))
    return bad_dataset (r, path, _("cannot read the dataset's shape"), error);
  if (rank > SQ_TENSOR_MAX_RANK)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE,
                   _("%s: %s: %d dimensions, Synquant reads up to %d"), r->source, path, rank,
                   SQ_TENSOR_MAX_RANK);
      return FALSE;
    }
  if (H5Sget_simple_extent_dims (space, dims, NULL) < 0)
    return bad_dataset (r, path, _("cannot read the dataset's shape"), error);
  for (int i = 0; i < rank; i++)
    {
      if (dims[i] > SQ_TENSOR_MAX_DIM)
        {
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE,
                       _("%s: %s: dimension %d has %llu entries, Synquant accepts up to %zu"),
                       r->source, path, i, (unsigned long long) dims[i],
                       SQ_TENSOR_MAX_DIM);
          return FALSE;
        }
      shape[i] = (gsize) dims[i];
    }
  if (!sq_shape_count ((guint) rank, shape, &n, error))
    {
      g_prefix_error (error, "%s: %s: ", r->source, path);
      return FALSE;
    }

  tclass = H5Tget_class (ftype);
  if (tclass == H5T_STRING)
    {
      if (strings == NULL)
        return bad_dataset (r, path, _("found a string, expected numbers"), error);
      *strings = read_strings (r, ds, ftype, n, path, error);
      return *strings != NULL;
    }
  if (tclass != H5T_INTEGER && tclass != H5T_FLOAT)
    return bad_dataset (r, path, _("found a dataset that holds neither numbers nor strings"),
                        error);
  if (n == 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT, _("%s: %s: an empty array"),
                   r->source, path);
      return FALSE;
    }
  /* A damaged header may claim far more values than the file could hold even compressed
   * (deflate reaches about 1:1032): refuse before allocating. */
  if (n / 1100 > r->file_size + 4096)
    return bad_dataset (r, path, _("the dataset claims more values than the file holds"),
                        error);

  tensor->rank = (guint) rank;
  memcpy (tensor->shape, shape, sizeof shape);
  tensor->n = n;
  tensor->data = g_try_new (double, n);
  if (tensor->data == NULL)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE, _("%s: %s: out of memory"),
                   r->source, path);
      return FALSE;
    }
  tensor->integer = tclass == H5T_INTEGER;
  if (H5Dread (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, tensor->data) < 0)
    {
      sq_tensor_clear (tensor);
      return bad_dataset (r, path, _("cannot read the values (damaged or compressed with a "
                                     "filter this HDF5 lacks?)"), error);
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (tensor->data[i]))
      {
        g_autofree char *at = sq_tensor_element_path (tensor, name, i);
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: %s: %s is %s, expected a finite number"), r->source, path, at,
                     isnan (tensor->data[i]) ? "NaN" : "Infinity");
        sq_tensor_clear (tensor);
        return FALSE;
      }
  return TRUE;
}

/* The names of a group's links; only hard links are followed (a soft or external link could
 * point anywhere, including another file). */
static GPtrArray *
list_links (const Reader *r,
            hid_t         group,
            const char   *path,
            GError      **error)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  H5G_info_t info;

  if (H5Gget_info (group, &info) < 0)
    {
      bad_dataset (r, path, _("cannot list the group (damaged file?)"), error);
      g_ptr_array_unref (names);
      return NULL;
    }
  for (hsize_t i = 0; i < info.nlinks; i++)
    {
      char buf[1024];
      ssize_t len = H5Lget_name_by_idx (group, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf,
                                        sizeof buf, H5P_DEFAULT);
      H5L_info_t linfo;

      if (len < 0 || (size_t) len >= sizeof buf || !g_utf8_validate (buf, -1, NULL) ||
          H5Lget_info (group, buf, &linfo, H5P_DEFAULT) < 0)
        {
          bad_dataset (r, path, _("a member name is unreadable or too long (damaged file?)"),
                       error);
          g_ptr_array_unref (names);
          return NULL;
        }
      if (linfo.type == H5L_TYPE_HARD)
        g_ptr_array_add (names, g_strdup (buf));
    }
  return names;
}

static gboolean read_node (const Reader *r, hid_t group, SqNirNode *node, const char *path,
                           guint depth, GError **error);

static gboolean
read_params (const Reader *r,
             hid_t         group,
             const char   *path,
             GPtrArray    *params,
             GError      **error)
{
  g_autoptr(GPtrArray) names = list_links (r, group, path, error);

  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *at = g_strconcat (path, "/", name, NULL);
      AUTO_ID obj = H5Oopen (group, name, H5P_DEFAULT);
      g_auto(GStrv) strings = NULL;
      SqNirParam *p;

      if (obj < 0)
        return bad_dataset (r, at, _("cannot open (damaged file?)"), error);
      if (H5Iget_type (obj) != H5I_DATASET)
        continue;   /* nested metadata dictionaries: nothing Synquant uses */
      p = _sq_nir_param_new (name);
      g_ptr_array_add (params, p);
      if (!read_dataset (r, group, name, at, &p->value, &strings, error))
        return FALSE;
      if (strings != NULL)
        p->text = g_strjoinv (", ", strings);
    }
  return TRUE;
}

static gboolean
read_edges (const Reader *r,
            hid_t         group,
            const char   *path,
            SqNirGraph   *graph,
            GError      **error)
{
  g_autofree char *at = g_strconcat (path, "/edges", NULL);
  g_auto(GStrv) strings = NULL;
  SqTensor numbers = { 0, };
  AUTO_ID ds = -1;
  AUTO_ID space = -1;
  hsize_t dims[2] = { 0, 0 };
  int rank;
  gsize n;

  if (H5Lexists (group, "edges", H5P_DEFAULT) <= 0)
    return TRUE;
  ds = H5Dopen2 (group, "edges", H5P_DEFAULT);
  if (ds < 0 || (space = H5Dget_space (ds)) < 0)
    return bad_dataset (r, at, _("cannot open the edges (damaged file?)"), error);
  rank = H5Sget_simple_extent_ndims (space);
  if (rank == 1 && H5Sget_simple_extent_dims (space, dims, NULL) == 1 && dims[0] == 0)
    return TRUE;   /* no edges: h5py stores an empty list as (0,) */
  if (rank != 2 || H5Sget_simple_extent_dims (space, dims, NULL) != 2 || dims[1] != 2)
    return bad_dataset (r, at, _("expected an (E, 2) array of node names"), error);
  if (!read_dataset (r, group, "edges", at, &numbers, &strings, error))
    return FALSE;
  if (strings == NULL)
    {
      sq_tensor_clear (&numbers);
      return bad_dataset (r, at, _("found numbers, expected node names"), error);
    }
  n = g_strv_length (strings);
  for (gsize i = 0; i + 1 < n; i += 2)
    {
      SqNirEdge *e = g_new0 (SqNirEdge, 1);

      e->source = g_strdup (strings[i]);
      e->target = g_strdup (strings[i + 1]);
      g_ptr_array_add (graph->edges, e);
    }
  return TRUE;
}

static gboolean
read_graph (const Reader *r,
            hid_t         group,
            SqNirNode    *node,
            const char   *path,
            guint         depth,
            GError      **error)
{
  g_autofree char *nodes_at = g_strconcat (path, "/nodes", NULL);
  g_autoptr(GPtrArray) names = NULL;
  AUTO_ID nodes = -1;

  node->graph = _sq_nir_graph_new ();
  if (H5Lexists (group, "nodes", H5P_DEFAULT) > 0)
    {
      nodes = H5Gopen2 (group, "nodes", H5P_DEFAULT);
      if (nodes < 0)
        return bad_dataset (r, nodes_at, _("cannot open the group (damaged file?)"), error);
      names = list_links (r, nodes, nodes_at, error);
      if (names == NULL)
        return FALSE;
      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          SqNirNode *child = _sq_nir_node_new (name, node->path);
          g_autofree char *at = g_strconcat (nodes_at, "/", name, NULL);
          AUTO_ID g = -1;

          g_ptr_array_add (node->graph->nodes, child);
          if (H5Lexists (nodes, name, H5P_DEFAULT) <= 0 ||
              (g = H5Oopen (nodes, name, H5P_DEFAULT)) < 0 || H5Iget_type (g) != H5I_GROUP)
            return bad_dataset (r, at, _("expected a node group"), error);
          if (!read_node (r, g, child, at, depth + 1, error))
            return FALSE;
        }
    }
  return read_edges (r, group, path, node->graph, error);
}

static gboolean
read_node (const Reader *r,
           hid_t         group,
           SqNirNode    *node,
           const char   *path,
           guint         depth,
           GError      **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_auto(GStrv) type = NULL;
  g_autofree char *type_at = g_strconcat (path, "/type", NULL);
  SqTensor numbers = { 0, };
  guint t;

  if (depth > SQ_NIR_MAX_DEPTH)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE,
                   _("%s: %s: subgraphs nested deeper than %d"), r->source, path,
                   SQ_NIR_MAX_DEPTH);
      return FALSE;
    }

  if (H5Lexists (group, "type", H5P_DEFAULT) <= 0)
    return bad_dataset (r, path, _("the node has no “type” dataset"), error);
  if (!read_dataset (r, group, "type", type_at, &numbers, &type, error))
    return FALSE;
  if (type == NULL || g_strv_length (type) != 1)
    {
      sq_tensor_clear (&numbers);
      return bad_dataset (r, type_at, _("expected one string"), error);
    }
  for (t = 0; t < SQ_NIR_N_TYPES; t++)
    if (g_str_equal (type[0], sq_nir_type_name ((SqNirType) t)))
      break;
  if (t == SQ_NIR_N_TYPES)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint k = 0; k < SQ_NIR_N_TYPES; k++)
        g_string_append_printf (known, "%s%s", k ? ", " : "", sq_nir_type_name ((SqNirType) k));
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNSUPPORTED,
                   _("%s: %s: unsupported node type “%s”; Synquant reads %s"),
                   r->source, *node->path ? node->path : "node", type[0], known->str);
      return FALSE;
    }
  node->type = (SqNirType) t;

  if (node->type == SQ_NIR_GRAPH && !read_graph (r, group, node, path, depth, error))
    return FALSE;

  names = list_links (r, group, path, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *at = g_strconcat (path, "/", name, NULL);
      g_auto(GStrv) strings = NULL;
      AUTO_ID obj = -1;
      SqNirParam *p;

      if (g_str_equal (name, "type") ||
          (node->type == SQ_NIR_GRAPH && (g_str_equal (name, "nodes") ||
                                          g_str_equal (name, "edges"))))
        continue;
      obj = H5Oopen (group, name, H5P_DEFAULT);
      if (obj < 0)
        return bad_dataset (r, at, _("cannot open (damaged file?)"), error);
      if (H5Iget_type (obj) == H5I_GROUP)
        {
          if (g_str_equal (name, "metadata") &&
              !read_params (r, obj, at, node->graph ? node->graph->metadata : node->metadata,
                            error))
            return FALSE;
          continue;
        }
      if (H5Iget_type (obj) != H5I_DATASET)
        continue;
      p = _sq_nir_param_new (name);
      g_ptr_array_add (node->params, p);
      if (!read_dataset (r, group, name, at, &p->value, &strings, error))
        return FALSE;
      if (strings != NULL)
        p->text = g_strjoinv (", ", strings);
    }
  return TRUE;
}

static guint64
read_le (const guint8 *p,
         guint         size)
{
  guint64 v = 0;

  for (guint i = size; i-- > 0;)
    v = (v << 8) | p[i];
  return v;
}

/* HDF5 trusts its superblock: check the signature and that the end-of-file address it
 * records is inside the data we have, so a truncated file gets a plain message (and HDF5
 * never reads past the end of the image). Returns the size HDF5 should see. */
static gboolean
check_superblock (const Reader *r,
                  const guint8 *data,
                  gsize         length,
                  GError      **error)
{
  static const guint8 signature[8] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };
  gsize base;
  guint version, size_o;
  gsize at;
  guint64 base_addr, eof;

  /* The superblock may follow a user block of 512, 1024, 2048… bytes. */
  for (base = 0; base + 8 <= length; base = base ? base * 2 : 512)
    if (memcmp (data + base, signature, 8) == 0)
      break;
  if (base + 8 > length)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: not a NIR file: no HDF5 signature (a .nir file is HDF5)"), r->source);
      return FALSE;
    }
  if (base + 9 > length)
    goto truncated;
  version = data[base + 8];
  if (version <= 1)
    {
      /* v0/v1: sizes at +13 and +14; the addresses start at +24 (v0) or +28 (v1). */
      if (base + 16 > length)
        goto truncated;
      size_o = data[base + 13];
      at = base + (version == 0 ? 24 : 28);
    }
  else if (version <= 3)
    {
      if (base + 12 > length)
        goto truncated;
      size_o = data[base + 9];
      at = base + 12;
    }
  else
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: HDF5 superblock version %u, Synquant reads 0 to 3"), r->source,
                   version);
      return FALSE;
    }
  if (size_o != 2 && size_o != 4 && size_o != 8)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: damaged HDF5 superblock (offset size %u)"), r->source, size_o);
      return FALSE;
    }
  /* base address, then (v0/v1: free-space address, EOF) or (v2/v3: extension address, EOF) */
  if (at + 3 * size_o > length)
    goto truncated;
  base_addr = read_le (data + at, size_o);
  eof = read_le (data + at + 2 * size_o, size_o);
  if (base_addr > length || eof > length - base_addr)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: truncated or damaged: the file has %zu bytes, its "
                     "HDF5 header says %" PRIu64), r->source, length,
                   eof + base_addr);
      return FALSE;
    }
  return TRUE;

truncated:
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
               _("%s: truncated: the HDF5 header ends after %zu bytes"),
               r->source, length);
  return FALSE;
}

void
_sq_nir_h5_init (void)
{
  static gsize done = 0;

  /* Errors become GErrors; HDF5's own stack printing would only add noise on stderr. */
  if (g_once_init_enter (&done))
    {
      H5open ();
      H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

SqNirGraph *
_sq_nir_hdf5_read (const char *data,
                   gsize       length,
                   const char *display_name,
                   GError    **error)
{
  Reader r = { display_name, length };
  g_autoptr(SqNirGraph) graph = NULL;
  SqNirNode *root = NULL;
  AUTO_ID fapl = -1;
  AUTO_ID file = -1;
  AUTO_ID group = -1;
  gboolean ok;

  _sq_nir_h5_init ();
  if (!check_superblock (&r, (const guint8 *) data, length, error))
    return NULL;

  /* The file is read from memory through the core driver: nothing touches the disk again,
   * and the bytes HDF5 sees are the ones checked above. */
  fapl = H5Pcreate (H5P_FILE_ACCESS);
  if (fapl < 0 || H5Pset_fapl_core (fapl, 65536, 0) < 0 ||
      H5Pset_file_image (fapl, (void *) data, length) < 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO, _("%s: HDF5 could not be set up"),
                   display_name);
      return NULL;
    }
  /* The core driver refuses an image whose name exists as a file: use one that cannot. */
  file = H5Fopen ("/dev/null/synquant-image.nir", H5F_ACC_RDONLY, fapl);
  if (file < 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: not a readable HDF5 file (damaged or truncated?)"), display_name);
      return NULL;
    }
  if (H5Lexists (file, "node", H5P_DEFAULT) <= 0 ||
      (group = H5Oopen (file, "node", H5P_DEFAULT)) < 0 || H5Iget_type (group) != H5I_GROUP)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: not a NIR file: no group /node"), display_name);
      return NULL;
    }

  graph = _sq_nir_graph_new ();
  graph->source = g_strdup (display_name);
  if (H5Lexists (file, "version", H5P_DEFAULT) > 0)
    {
      g_auto(GStrv) version = NULL;
      SqTensor numbers = { 0, };

      if (read_dataset (&r, file, "version", "/version", &numbers, &version, NULL) &&
          version != NULL && version[0] != NULL)
        graph->version = g_strdup (version[0]);
      sq_tensor_clear (&numbers);
    }

  root = _sq_nir_node_new ("", NULL);
  ok = read_node (&r, group, root, "/node", 0, error);
  if (ok && root->type != SQ_NIR_GRAPH)
    {
      /* A file may hold a single node; it is then a graph of one. */
      g_ptr_array_add (graph->nodes, root);
      g_free (root->name);
      g_free (root->path);
      root->name = g_strdup ("node");
      root->path = g_strdup ("node");
      root = NULL;
    }
  else if (ok)
    {
      /* The top-level graph's nodes become the graph's own. */
      g_ptr_array_extend_and_steal (graph->nodes, g_ptr_array_ref (root->graph->nodes));
      g_ptr_array_extend_and_steal (graph->edges, g_ptr_array_ref (root->graph->edges));
      g_ptr_array_extend_and_steal (graph->metadata, g_ptr_array_ref (root->graph->metadata));
    }
  if (root != NULL)
    _sq_nir_node_free (root);
  if (!ok)
    return NULL;
  return g_steal_pointer (&graph);
}

/* check_superblock(), which the sandbox runs in this process before it forks. */
gboolean
_sq_nir_check_superblock (const char *data,
                          gsize       length,
                          const char *display_name,
                          GError    **error)
{
  Reader r = { display_name, length };

  return check_superblock (&r, (const guint8 *) data, length, error);
}
