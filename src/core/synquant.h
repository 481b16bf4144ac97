/* synquant.h: libsynquant, the numeric core of Synquant
 *
 * GLib and json-glib only, never GTK: everything here is tested without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define SYNQUANT_INSIDE
# include "sq-file.h"
# include "sq-json.h"
# include "sq-tensor.h"
# include "sq-xylo-spec.h"
# include "sq-diagnostic.h"
# include "sq-quantize.h"
# include "sq-report.h"
# include "sq-histogram.h"
# include "sq-npy.h"
# include "sq-raster.h"
# include "sq-device.h"
# include "sq-sim-result.h"
# include "sq-xylo-sim.h"
# include "sq-float-sim.h"
# include "sq-agreement.h"
# include "sq-npz.h"
# include "sq-nir.h"
# include "sq-export.h"
# include "sq-network.h"
# include "sq-quant-settings.h"
# include "sq-network-kind.h"
# include "sq-network-result.h"
# include "sq-sim-run.h"
# include "sq-sample-set.h"
# include "sq-evaluate.h"
# include "sq-transform.h"
# include "sq-robustness.h"
# include "sq-sweep.h"
# include "sq-dynapcnn-discretize.h"
# include "sq-dynapcnn-iaf.h"
# include "sq-dynapcnn-placement.h"
# include "sq-dynapcnn-net.h"
# include "sq-fxp-net.h"
# include "sq-fxp-quant.h"
# include "sq-fxp-sim.h"
# include "sq-events.h"
# include "sq-dynapcnn-events.h"
# include "sq-dynapcnn-load.h"
# include "sq-dynapcnn-simulate.h"
#undef SYNQUANT_INSIDE
