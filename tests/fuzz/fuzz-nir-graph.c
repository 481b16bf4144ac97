/* fuzz-nir-graph.c: a NIR graph as the HDF5 reader's child sends it to this process
 * (_sq_nir_graph_from_wire), then everything that runs on it outside the child: the checks,
 * the `info` text and the mapping to Xylo (or the rebuild of a file Synquant wrote). It needs
 * no HDF5: the child is where HDF5 runs, and a child led astray may send any bytes. */
#include "config.h"

#include <synquant.h>

#include "sq-nir-private.h"
#include "fuzz-common.h"

/* The DynapCNN mapping, and on what it gives the discretization and the chip configuration. */
static void
map_dynapcnn (const SqNirGraph *graph)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(SqDynapcnnNet) net = sq_nir_map_to_dynapcnn (graph, &notes, &error);
  g_autoptr(SqDynapcnnNet) q = NULL;
  g_autoptr(GString) config = NULL;

  sq_fuzz_check_result (net != NULL, error, "sq_nir_map_to_dynapcnn");
  if (net == NULL)
    return;
  q = sq_dynapcnn_net_discretize (net, SQ_DISCRETIZE_SYNQUANT, NULL, NULL, &error);
  sq_fuzz_check_result (q != NULL, error, "sq_dynapcnn_net_discretize");
  if (q == NULL)
    return;
  config = sq_dynapcnn_config_to_json (q, sq_device_profile_lookup ("dynapcnn"), &error);
  sq_fuzz_check_result (config != NULL, error, "sq_dynapcnn_config_to_json");
}

static void
map (const SqNirGraph *graph,
     double            dt,
     SqNirReset        reset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  SqNirMapOptions options = { dt, reset };

  spec = _sq_nir_spec_from_graph (graph, &options, &notes, &error);
  sq_fuzz_check_result (spec != NULL, error, "_sq_nir_spec_from_graph");
  if (spec == NULL)
    return;
  if (notes == NULL)
    g_error ("_sq_nir_spec_from_graph: no notes");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SqNirGraph) graph = NULL;
  g_autofree char *text = NULL;
  gboolean valid, mappable;
  SqNirDtProposal proposal;

  sq_fuzz_init ();
  bytes = g_bytes_new (data, size);
  graph = _sq_nir_graph_from_wire (bytes, "fuzz.nir", &error);
  sq_fuzz_check_result (graph != NULL, error, "_sq_nir_graph_from_wire");
  if (graph == NULL)
    return 0;
  valid = _sq_nir_validate (graph, &error);
  sq_fuzz_check_result (valid, error, "_sq_nir_validate");
  if (!valid)
    return 0;
  text = sq_nir_graph_describe (graph);
  /* What the window asks before it maps: can it map at all, and at which dt. */
  mappable = sq_nir_graph_check_mappable (graph, &error);
  sq_fuzz_check_result (mappable, error, "sq_nir_graph_check_mappable");
  g_clear_error (&error);
  if (sq_nir_propose_dt (graph, &proposal))
    {
      g_autofree char *why = sq_nir_dt_proposal_describe (&proposal);

      if (why == NULL || !(proposal.dt > 0))
        g_error ("sq_nir_propose_dt: dt %g", proposal.dt);
      map (graph, proposal.dt, SQ_NIR_RESET_SUBTRACT);
    }
  map (graph, 1e-3, SQ_NIR_RESET_SUBTRACT);
  map (graph, 1e-4, SQ_NIR_RESET_ZERO);
  map_dynapcnn (graph);
  return 0;
}
