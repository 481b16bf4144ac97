#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Train the readout of the Xylo-size example on synthetic temporal patterns.

Run by hand, never at build time: it needs numpy (a development-time requirement of this
script alone) and takes some minutes.

    python3 train-xylo.py --seed 42 -o xylo-audio2-readout.json \\
        --samples xylo-audio2-samples.npz

The Xylo-size example (2 M weights) is written at build time by generate.py; training all of
it is out of reach here, so its input and recurrent weights stay random, with the scales
generate.py's GAINS calibrate, and only the readout (weights_out, bias_out) is trained:
the hidden events of every sample are computed once with Synquant's float model's dynamics
(train-small.py's), a softmax regression of the class on each neuron's event count is fitted,
and its weights and offsets are turned into the output neurons' weights and biases so that
each output fires about as often as its logit says.  generate.py --readout puts the trained
readout into the network it writes.

The task: train-small.py's four classes (steady, bursts, rising, falling) on 16 channels and
four more: one half of the channels and then the other (4: low half first, 5: high half
first), a steady rate on the even (6) or the odd channels (7).  It writes the readout and a
held-out labelled set that `synquant-cli evaluate` reads.
"""

import argparse
import importlib
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
small = importlib.import_module("train-small")  # noqa: E402

N_CLASSES = 8


def hidden_events(net, x, cap=small.CAP):
    """The hidden events (B, T, H) of Synquant's float model; matrix products instead of
    train-small.py's einsum, for speed on 1000 neurons."""
    b, t_steps, c = x.shape
    h = len(net.th)
    w_in = net.w_in.reshape(c, 2 * h)
    w_rec = net.w_rec.reshape(h, 2 * h)
    aliases = [(i, a) for i, targets in enumerate(net.spec["aliases"]) for a in targets]
    isyn = np.zeros((b, 2 * h))
    beta = net.beta.reshape(2 * h)
    v = np.zeros((b, h))
    e = np.zeros((b, h))
    out = np.zeros((b, t_steps, h), dtype=np.uint8)
    for t in range(t_steps):
        isyn = (isyn + x[:, t] @ w_in + e @ w_rec) * beta
        u = net.alpha * v + isyn.reshape(b, h, 2).sum(2) + net.bias
        n = np.where(u >= net.th, np.minimum(np.floor(u / net.th), cap), 0.0)
        v = u - n * net.th
        e = n.copy()
        for i, a in aliases:
            e[:, a] = np.minimum(e[:, a] + n[:, i], cap)
        out[:, t] = e
    return out


def readout_forward(net, e):
    """Output events (B, T, O) from hidden events; the cache for readout_backward."""
    b, t_steps, h = e.shape
    o = len(net.th_out)
    iout = np.zeros((b, o))
    vout = np.zeros((b, o))
    uo_all, so_all = [], []
    prev = np.zeros((b, h))
    for t in range(t_steps):
        iout = (iout + prev @ net.w_out) * net.beta_out
        uo = net.alpha_out * vout + iout + net.bias_out
        so = (uo >= net.th_out).astype(np.float64)
        vout = uo - so * net.th_out
        prev = e[:, t].astype(np.float64)
        uo_all.append(uo)
        so_all.append(so)
    return np.stack(so_all, 1), np.stack(uo_all, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--steps", type=int, default=300, help="regression steps")
    ap.add_argument("-o", dest="out", required=True, metavar="READOUT.json")
    ap.add_argument("--samples", required=True, metavar="SET.npz")
    args = ap.parse_args()

    spec = generate.generate("xylo", args.seed)
    net = small.Net(spec)
    rng = np.random.default_rng(args.seed)
    x_test, y_test = small.dataset(rng, 160, 16, N_CLASSES)
    x_train, y_train = small.dataset(rng, 640, 16, N_CLASSES)

    def counts(x):
        return np.concatenate([hidden_events(net, x[i:i + 80].astype(np.float64)).sum(1)
                               for i in range(0, len(x), 80)]).astype(np.float64)

    c_test, c_train = counts(x_test), counts(x_train)
    # The integer core rounds the dashes: the readout also learns the counts the hidden
    # neurons give with whole dashes, so that it does not rely on the fractional ones.
    alpha, beta = net.alpha, net.beta
    net.alpha = np.exp(-np.exp2(-np.rint(np.array(spec["dash_mem"]))))
    net.beta = np.exp(-np.exp2(-np.rint(np.stack([spec["dash_syn"], spec["dash_syn_2"]], 1))))
    c_train = np.concatenate([c_train, counts(x_train)])
    y_train = np.concatenate([y_train, y_train])
    net.alpha, net.beta = alpha, beta
    print(f"hidden events per neuron and step: {c_test.mean() / small.T:.3f}", file=sys.stderr)

    # Softmax regression of the class on the hidden neurons' event counts (standardized), by
    # full-batch gradient descent with a little weight decay; then only the 64 largest
    # weights of each output are kept and fitted again: a few large weights survive
    # quantization, a thousand tiny ones round to zero.
    mu, sd = c_train.mean(0), c_train.std(0) + 1e-9
    z = (c_train - mu) / sd
    w = np.zeros((z.shape[1], N_CLASSES))
    b = np.zeros(N_CLASSES)
    eye = np.eye(N_CLASSES)

    def fit(steps, keep):
        nonlocal w, b
        for _ in range(steps):
            logits = z @ w + b
            p = np.exp(logits - logits.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            g = (p - eye[y_train]) / len(z)
            w -= 0.5 * (z.T @ g + 1e-3 * w) * keep
            b -= 0.5 * g.sum(0)

    fit(args.steps, 1.0)
    keep = np.zeros(w.shape, dtype=bool)
    for o in range(N_CLASSES):
        keep[np.argsort(-np.abs(w[:, o]))[:64], o] = True
    w *= keep
    fit(2 * args.steps, keep)
    print(f"regression: held-out accuracy {(((c_test - mu) / sd @ w + b).argmax(1) == y_test).mean():.3f}",
          file=sys.stderr)
    # Into the output neurons: a hidden event's weight reaches the membrane as beta/(1-beta)
    # times itself through the synapse, a bias T times over T steps, and theta is one event,
    # so output o fires about logit_o times (none when it is negative); thresholds of an
    # eighth make that 8 logit_o: on the held-out set the outputs then fire on about one
    # step in nine (88 events per sample of 8 × 100 output-steps, the median).
    # Then weights, biases and thresholds are scaled together (the same events) until the
    # largest output weight is the largest input weight: the weights of a trained network
    # share one range.
    gain = net.beta_out / (1.0 - net.beta_out)
    net.w_out = net.th_out / gain * (w / sd[:, None]) * net.masks[2]
    net.bias_out = net.th_out * (b - (mu / sd) @ w) / small.T
    net.th_out = net.th_out / 8.0
    k = np.abs(net.w_in).max() / np.abs(net.w_out).max()
    net.w_out, net.bias_out, net.th_out = k * net.w_out, k * net.bias_out, k * net.th_out
    params = [net.w_out, net.bias_out, net.th_out]
    e_test = np.concatenate([hidden_events(net, x_test[i:i + 80].astype(np.float64))
                             for i in range(0, len(x_test), 80)])

    f32 = np.vectorize(generate.f32, otypes=[float])
    for prm in params:
        prm[...] = f32(prm)
    so, _ = readout_forward(net, e_test)
    print(f"held-out accuracy {(small.classify(so) == y_test).mean():.3f}, output events per "
          f"step {so.mean():.3f}", file=sys.stderr)
    with open(args.out + ".tmp", "w", encoding="ascii") as f:
        # The shortest text that reads back as the same float32 (generate.py rounds to it).
        def short(a):
            return [short(r) for r in a] if a.ndim > 1 else [float(str(np.float32(v))) for v in a]
        json.dump({"weights_out": short(net.w_out), "bias_out": short(net.bias_out),
                   "threshold_out": short(net.th_out)}, f)
    os.replace(args.out + ".tmp", args.out)
    np.savez_compressed(args.samples, x=x_test, y=y_test.astype(np.int64))


if __name__ == "__main__":
    main()
