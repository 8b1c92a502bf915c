"""FORCE learning (Sussillo & Abbott 2009) in NumPy, written the usual way: dense J, Euler steps of
tau dx/dt = -x + J r + w_f z with r = tanh(x), z = w.r, and a recursive-least-squares update of w
and P every second step (k = P r, c = 1/(1 + r.k), P -= c k k^T, w -= c e k). Prints N and the
milliseconds per learning step (two Euler steps and one RLS update), best of 3.

Usage: python3 bench/force.py <n1> [<n2> ...]   (run with OPENBLAS_NUM_THREADS=1)
"""
import sys
import time

import numpy as np


def per_learning_step(n, updates=300, g=1.5, p=0.1, dt=1.0, tau=10.0, alpha=1.0):
    rng = np.random.default_rng(1)
    j = (rng.random((n, n)) < p) * rng.standard_normal((n, n)) * g / np.sqrt(p * n)
    wf = rng.uniform(-1, 1, n)
    w = np.zeros(n)
    pm = np.eye(n) / alpha
    x = 0.5 * rng.standard_normal(n)
    r = np.tanh(x)
    z = 0.0
    period = 1200.0
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        for step in range(2 * updates):
            x += dt / tau * (-x + j @ r + wf * z)
            r = np.tanh(x)
            z = w @ r
            if step % 2 == 1:
                t = step * dt
                f = np.sin(2 * np.pi * t / period)
                k = pm @ r
                c = 1.0 / (1.0 + r @ k)
                pm -= c * np.outer(k, k)
                w -= c * (z - f) * k
        best = min(best, (time.perf_counter() - t0) / updates)
    return best * 1e3


if __name__ == "__main__":
    print(" ".join(f"{n}:{per_learning_step(int(n)):.4f}" for n in sys.argv[1:]))
