#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Times `synquant-cli quantize` against the numpy statement of Rockpool's quantizers.

Usage: bench/numpy-rockpool.py SYNQUANT-CLI NETWORK.json [RUNS]

The numpy side is Rockpool's global_quantize and channel_quantize
(rockpool/transform/quantize_methods.py, research notes rockpool.md §1.1 and §1.2) as
numpy statements on float64 arrays already in memory: the ranges, the scaling, np.round
and astype(int) of weights, thresholds and biases, dashes rounded; the threshold-overflow
branches are tested as Rockpool tests them (they do not fire on the bundled example).
The Synquant side is the "quantize:" figure of `synquant-cli quantize --timings` on the
same network (loading and writing are timed apart), which runs on every core: the
processor count is printed with the figures. Each figure is the median of RUNS runs;
the ratio is numpy / Synquant (above 1: Synquant is faster). Targets (issue 16 §8):
at least 2x for global, 10x for channel scaling.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

TARGETS = {"global": 2.0, "channel": 10.0}


def load(path):
    with open(path) as f:
        spec = json.load(f)
    keys = ["weights_in", "weights_rec", "weights_out", "threshold", "threshold_out",
            "bias", "bias_out", "dash_mem", "dash_mem_out", "dash_syn", "dash_syn_2",
            "dash_syn_out"]
    return {k: np.asarray(spec[k], dtype=np.float64) for k in keys if k in spec}


def global_quantize(s, bits_per_weight=8, bits_per_threshold=16):
    w_max_bit = 2 ** (bits_per_weight - 1) - 1
    max_th_bit = 2 ** (bits_per_threshold - 1) - 1
    w_in, w_rec, w_out = s["weights_in"], s["weights_rec"], s["weights_out"]
    max_w = max(0.0, np.max(np.abs(w_in)), np.max(np.abs(w_rec)), np.max(np.abs(s["bias"])))
    max_w_out = max(0.0, np.max(np.abs(w_out)), np.max(np.abs(s["bias_out"])))
    scaling = w_max_bit / max_w if max_w != 0 else 1
    scaling_out = w_max_bit / max_w_out if max_w_out != 0 else 1
    q = {
        "weights_in": np.round(w_in * scaling).astype(int),
        "weights_rec": np.round(w_rec * scaling).astype(int),
        "threshold": np.round(s["threshold"] * scaling).astype(int),
        "bias": np.round(s["bias"] * scaling).astype(int),
        "weights_out": np.round(w_out * scaling_out).astype(int),
        "threshold_out": np.round(s["threshold_out"] * scaling_out).astype(int),
        "bias_out": np.round(s["bias_out"] * scaling).astype(int),  # Rockpool's defect a
    }
    if np.abs(np.max(q["threshold"])) > max_th_bit:
        limited = max_th_bit / np.max(q["threshold"])
        for k in ("threshold", "weights_in", "weights_rec"):
            q[k] = np.round(q[k] * limited).astype(int)
    if np.abs(np.max(q["threshold_out"])) > max_th_bit:
        limited = max_th_bit / np.max(q["threshold_out"])
        for k in ("threshold_out", "weights_out", "weights_rec"):
            q[k] = np.round(q[k] * limited).astype(int)
    for k in ("dash_mem", "dash_mem_out", "dash_syn", "dash_syn_2", "dash_syn_out"):
        if k in s:
            q[k] = np.round(s[k]).astype(int)
    return q


def channel_quantize(s, bits_per_weight=8, bits_per_threshold=16):
    w_max_bit = 2 ** (bits_per_weight - 1) - 1
    max_th_bit = 2 ** (bits_per_threshold - 1) - 1
    w_in, w_rec, w_out = (np.copy(s[k]) for k in ("weights_in", "weights_rec", "weights_out"))
    threshold, threshold_out = np.copy(s["threshold"]), np.copy(s["threshold_out"])
    bias, bias_out = np.copy(s["bias"]), np.copy(s["bias_out"])
    n_ien, n_hid = w_in.shape[1], w_rec.shape[0]
    for i in range(n_hid):
        max_w = 0
        if i < n_ien:
            max_w = np.max([max_w, np.max(np.abs(s["weights_in"][:, i, :]))])
        max_w = np.max([max_w, np.max(np.abs(s["weights_rec"][:, i, :]))])
        if max_w != 0:
            scaling = w_max_bit / max_w
            if i < n_ien:
                w_in[:, i, :] = np.round(s["weights_in"][:, i, :] * scaling)
            w_rec[:, i, :] = np.round(s["weights_rec"][:, i, :] * scaling)
            threshold[i] = np.round(s["threshold"][i] * scaling)
            bias[i] = np.round(bias[i] * scaling)
            if np.abs(threshold[i]) > max_th_bit:
                limited = max_th_bit / s["threshold"][i]
                if i <= n_ien:
                    w_in[:, i, :] = np.round(s["weights_in"][:, i, :] * limited)
                w_rec[:, i, :] = np.round(s["weights_rec"][:, i, :] * limited)
                threshold[i] = np.round(s["threshold"][i] * limited)
        else:
            threshold[i] = np.round(threshold[i])
    for i in range(w_out.shape[1]):
        max_w = np.max(np.abs(s["weights_out"][:, i]))
        if max_w != 0:
            scaling = w_max_bit / max_w
            w_out[:, i] = np.round(s["weights_out"][:, i] * scaling)
            threshold_out[i] = np.round(s["threshold_out"][i] * scaling)
            bias_out[i] = np.round(bias_out[i] * scaling)
            if np.abs(threshold_out[i]) > max_th_bit:
                limited = max_th_bit / s["threshold_out"][i]
                w_out[:, i] = np.round(s["weights_out"][:, i] * limited)
                threshold_out[i] = np.round(s["threshold_out"][i] * limited)
        else:
            threshold_out[i] = np.round(threshold_out[i])
    q = {"weights_in": w_in.astype(int), "weights_rec": w_rec.astype(int),
         "weights_out": w_out.astype(int), "threshold": threshold.astype(int),
         "threshold_out": threshold_out.astype(int), "bias": np.round(bias).astype(int),
         "bias_out": bias_out.astype(int)}
    for k in ("dash_mem", "dash_mem_out", "dash_syn", "dash_syn_2", "dash_syn_out"):
        if k in s:
            q[k] = np.round(s[k]).astype(int)
    return q


def time_numpy(func, spec, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func(spec)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def time_cli(cli, path, method, runs):
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "q.npz")
        for _ in range(runs):
            p = subprocess.run([cli, "quantize", "--timings", "--mode=rockpool",
                                "--method=" + method, path, "-o", out],
                               capture_output=True, text=True, check=True)
            m = re.search(r"^quantize: ([0-9.]+) ms$", p.stderr, re.M)
            times.append(float(m.group(1)))
    return statistics.median(times)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cli, path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    spec = load(path)
    n = sum(spec[k].size for k in ("weights_in", "weights_rec", "weights_out"))
    print(f"network: {path}, {n} weights; numpy {np.__version__}, float64; "
          f"synquant-cli on {os.cpu_count()} processor(s); median of {runs} runs")
    ok = True
    for method, func in (("global", global_quantize), ("channel", channel_quantize)):
        t_np = time_numpy(func, spec, runs)
        t_sq = time_cli(cli, path, method, runs)
        ratio = t_np / t_sq
        met = ratio >= TARGETS[method]
        ok &= met
        print(f"{method:8s} numpy {t_np:8.2f} ms   synquant-cli {t_sq:7.2f} ms   "
              f"{ratio:6.1f}x faster (target >= {TARGETS[method]:.0f}x)  "
              f"{'ok' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
