/* fuzz-nir-file.c: whole .nir files, as sq_nir_graph_load_data() reads them: the superblock
 * here, HDF5 in the forked child under its CPU and memory limits, the graph back through the
 * pipe, then the checks, the `info` text and the mapping to Xylo. A crash or hang of HDF5 in
 * the child is an error for this process, not a finding; anything else that goes wrong here
 * is. libFuzzer sees only this process's coverage (built only with -Dnir). */
#include "config.h"

#include <synquant.h>

#include "sq-nir-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNirGraph) graph = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autofree char *text = NULL;
  SqNirMapOptions options = { 1e-3, SQ_NIR_RESET_SUBTRACT };
  SqNirDtProposal proposal;

  sq_fuzz_init ();
  graph = sq_nir_graph_load_data ((const char *) data, size, "fuzz.nir", &error);
  sq_fuzz_check_result (graph != NULL, error, "sq_nir_graph_load_data");
  if (graph == NULL)
    return 0;
  text = sq_nir_graph_describe (graph);
  if (sq_nir_propose_dt (graph, &proposal))
    options.dt = proposal.dt;
  spec = _sq_nir_spec_from_graph (graph, &options, &notes, &error);
  sq_fuzz_check_result (spec != NULL, error, "_sq_nir_spec_from_graph");
  return 0;
}
