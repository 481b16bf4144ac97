/* sq-document.c: a loaded network, of any kind
 *
 * The network is read once, in a worker thread, by the core's one loader (JSON, .npz, .nir
 * and every registered kind's files) and never changes: every view and every quantization
 * reads it through the network model, so analyses may run in other threads while the window
 * draws.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-document.h"

struct _SqDocument
{
  GObject     parent_instance;

  GFile      *file;
  char       *title;
  SqNetwork  *network;
};

G_DEFINE_FINAL_TYPE (SqDocument, sq_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sq_document_finalize (GObject *object)
{
  SqDocument *self = SQ_DOCUMENT (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->network, sq_network_unref);

  G_OBJECT_CLASS (sq_document_parent_class)->finalize (object);
}

static void
sq_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SqDocument *self = SQ_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_document_class_init (SqDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sq_document_finalize;
  object_class->get_property = sq_document_get_property;

  /**
   * SqDocument:file:
   *
   * The file the network was read from.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SqDocument:title:
   *
   * The file's display name, for the header bar.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sq_document_init (SqDocument *self)
{
}

static void
report_progress (double   fraction,
                 gpointer user_data)
{
  gint *permille = user_data;

  if (permille != NULL)
    g_atomic_int_set (permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000.0));
}

static SqDocument *
load (GFile                 *file,
      const SqLoadOptions   *options,
      GCancellable          *cancellable,
      gint                  *progress_permille,
      GError               **error)
{
  g_autoptr(SqDocument) self = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GFileInfo) info = NULL;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not a local file; copy it to this computer first"), uri);
      return NULL;
    }

  self = g_object_new (SQ_TYPE_DOCUMENT, NULL);
  self->file = g_object_ref (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  self->title = info ? g_strdup (g_file_info_get_display_name (info))
                     : g_filename_display_basename (path);

  /* NIR's notes (what its mapping approximated) stay in the network's notes. */
  self->network = sq_network_load (path, options, cancellable, report_progress,
                                   progress_permille, error);
  if (self->network == NULL)
    return NULL;
  /* The sidebar shows every group's range: made here, not on the main thread. */
  for (guint g = 0; g < sq_network_n_groups (self->network); g++)
    sq_network_group_stats (self->network, g);
  report_progress (1.0, progress_permille);

  return g_steal_pointer (&self);
}

typedef struct {
  GFile           *file;
  gint            *progress_permille;
  SqLoadOptions    options;
  /* A graph that needs a time step: the one its time constants ask for. */
  gboolean         has_proposal;
  SqNirDtProposal  proposal;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->file);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  SqDocument *doc = load (data->file, &data->options, cancellable, data->progress_permille,
                          &error);

  /* Read again here, not on the main thread: the caller asks for dt with this proposal. */
  if (doc == NULL && g_error_matches (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT))
    {
      g_autofree char *path = g_file_get_path (data->file);
      g_autoptr(SqNirGraph) graph = path ? sq_nir_graph_load (path, NULL) : NULL;

      data->has_proposal = graph != NULL && sq_nir_propose_dt (graph, &data->proposal);
    }
  if (doc == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, doc, g_object_unref);
}

/**
 * sq_document_load_async:
 * @nir: (nullable): the time step and reset mode for a NIR graph from another tool; without
 *   them such a graph fails with %SQ_NIR_ERROR_NEEDS_DT, so the caller can ask for them
 * @progress_permille: (nullable): receives the part read, 0…1000, written atomically from
 *   the loading thread; it must outlive the load (the caller reads it from a timeout)
 *
 * Loads a network (JSON, .npz, .nir, or a file of another registered kind) in a worker
 * thread.
 */
void
sq_document_load_async (GFile                 *file,
                        const SqNirMapOptions *nir,
                        GCancellable          *cancellable,
                        gint                  *progress_permille,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->progress_permille = progress_permille;
  if (nir != NULL)
    {
      data->options.nir = *nir;
      data->options.has_nir = TRUE;
    }
  g_task_set_source_tag (task, sq_document_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  /* A cancelled load reports G_IO_ERROR_CANCELLED even if the thread finished. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_thread);
}

SqDocument *
sq_document_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sq_document_load_dt_proposal:
 * @result: a load that failed with %SQ_NIR_ERROR_NEEDS_DT
 * @proposal: (out caller-allocates): the time step the graph's time constants ask for
 *   (sq_nir_propose_dt())
 *
 * Returns: whether there is one (a graph without time constants has none)
 */
gboolean
sq_document_load_dt_proposal (GAsyncResult    *result,
                              SqNirDtProposal *proposal)
{
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  data = g_task_get_task_data (G_TASK (result));
  if (!data->has_proposal)
    return FALSE;
  *proposal = data->proposal;
  return TRUE;
}

/* Loads in the calling thread, for tests and the command line. */
SqDocument *
sq_document_load (GFile   *file,
                  GError **error)
{
  return load (file, NULL, NULL, NULL, error);
}

GFile *
sq_document_get_file (SqDocument *self)
{
  g_return_val_if_fail (SQ_IS_DOCUMENT (self), NULL);
  return self->file;
}

const char *
sq_document_get_title (SqDocument *self)
{
  g_return_val_if_fail (SQ_IS_DOCUMENT (self), NULL);
  return self->title;
}

/* Returns: (transfer none): the network; reference it for work in another thread */
SqNetwork *
sq_document_get_network (SqDocument *self)
{
  g_return_val_if_fail (SQ_IS_DOCUMENT (self), NULL);
  return self->network;
}
