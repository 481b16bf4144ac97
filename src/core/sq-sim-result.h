/* sq-sim-result.h: what a simulation records — spikes, traces and counters — and how it is
 * written out (JSON, .npz, .npy); both simulators (sq-xylo-sim.h, sq-float-sim.h) return it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-npy.h"
#include "sq-tensor.h"

G_BEGIN_DECLS

#define SQ_SIM_ERROR (sq_sim_error_quark ())

/**
 * SqSimError:
 * @SQ_SIM_ERROR_SPEC: the specification cannot run on the device (a fraction, a weight
 *   beyond int8, a threshold beyond int16, a dash beyond 31, a bias on Xylo v1)
 * @SQ_SIM_ERROR_INPUT: the input does not fit the network (channel count)
 */
typedef enum {
  SQ_SIM_ERROR_SPEC = 1,
  SQ_SIM_ERROR_INPUT,
} SqSimError;

/**
 * SqTrace:
 *
 * The state traces a simulation records with everything on, in the layout of the
 * conformance cases: (T, Nhid), (T, Nhid, Nsyn), (T, Nout), (T, Nout).
 */
typedef enum {
  SQ_TRACE_VMEM_HIDDEN,
  SQ_TRACE_ISYN_HIDDEN,
  SQ_TRACE_VMEM_OUT,
  SQ_TRACE_ISYN_OUT,
  SQ_N_TRACES
} SqTrace;

/**
 * SqSimResult:
 * @float_model: traces are doubles (@ftrace) rather than int16 (@itrace)
 * @record_all: hidden spikes and the traces were recorded
 * @spikes_out: (T, Nout) output events, 0 or 1
 * @spikes_hidden: (T, Nhid) hidden event counts including alias copies; %NULL unless
 *   @record_all
 * @itrace: integer traces, %NULL unless @record_all and not @float_model
 * @ftrace: float traces, %NULL unless @record_all and @float_model
 * @hidden_events: per hidden neuron, the events it sent over the run (alias copies included)
 * @out_events: per output neuron, its events over the run
 * @first_out: per output neuron, the first step with an event, -1 for none
 * @isyn_saturated: synaptic-current adds and decays that hit a rail (hidden and output)
 * @vmem_saturated: membrane updates that hit a rail (hidden and output)
 * @cap_hit: neuron-steps where the 31-event cap cut events (own or alias copies)
 * @input_dropped: input events beyond 15 per channel and step, dropped
 * @arrays: (element-type SqSimArray) (nullable): a kind's recording in its own layout
 *   (DynapCNN: `spikes_out` (T, F, H, W) and per layer `spikes_<i>`, `v_mem_<i>`), written
 *   to files instead of the flat arrays above, which the views and the agreement still
 *   read; %NULL for the Xylo layout
 */
typedef struct {
  gsize     n_steps;
  gsize     n_in;
  gsize     n_hidden;
  gsize     n_syn;
  gsize     n_out;
  gboolean  float_model;
  gboolean  record_all;

  guint8   *spikes_out;
  guint8   *spikes_hidden;
  gint16   *itrace[SQ_N_TRACES];
  double   *ftrace[SQ_N_TRACES];

  guint64  *hidden_events;
  guint64  *out_events;
  gint64   *first_out;
  guint64   isyn_saturated;
  guint64   vmem_saturated;
  guint64   cap_hit;
  guint64   input_dropped;
  GPtrArray *arrays;
} SqSimResult;

/**
 * SqSimArray:
 * @name: the key in the files (`spikes_out`, `v_mem_2`)
 * @values: integers (or floats from a float model) in their own shape
 * @dtype: how .npz writes them
 *
 * One array of a kind's own recording.
 */
typedef struct {
  char      *name;
  SqTensor   values;
  SqNpyDtype dtype;
} SqSimArray;

GQuark       sq_sim_error_quark        (void);
const char  *sq_trace_name             (SqTrace         trace);

void         sq_sim_result_free        (SqSimResult    *result);
/* Adds @values (taken over, left empty) as @name to @result's own arrays. */
void         sq_sim_result_take_array  (SqSimResult    *result,
                                        const char     *name,
                                        SqTensor       *values,
                                        SqNpyDtype      dtype);
gsize        sq_sim_result_silent_hidden (const SqSimResult *result);
int          sq_sim_result_class       (const SqSimResult *result);
gboolean     sq_sim_result_get_spikes  (const SqSimResult *result,
                                        gboolean        hidden,
                                        SqTensor       *tensor,
                                        GError        **error);
gboolean     sq_sim_result_get_trace   (const SqSimResult *result,
                                        SqTrace         trace,
                                        SqTensor       *tensor,
                                        GError        **error);
char        *sq_sim_result_summary     (const SqSimResult *result) G_GNUC_WARN_UNUSED_RESULT;

/* The recording as files: JSON in the layout of the conformance cases, and the same arrays
 * as NumPy files. */
GString     *sq_sim_result_to_json     (const SqSimResult *result) G_GNUC_WARN_UNUSED_RESULT;
guint8      *sq_sim_result_to_npz      (const SqSimResult *result,
                                        gsize          *length,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
guint8      *sq_sim_result_to_npy      (const SqSimResult *result,
                                        gsize          *length,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSimResult, sq_sim_result_free)

G_END_DECLS
