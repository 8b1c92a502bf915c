"""Euler steps of dx/dt = -x + J tanh(x) in NumPy; prints steps per second for each N given.

Run with OPENBLAS_NUM_THREADS=1 (the benchmark does) for a single-threaded baseline.
"""
import sys
import time

import numpy as np


def steps_per_second(n, steps, dt=0.05):
    rng = np.random.default_rng(1)
    J = rng.standard_normal((n, n)) * (2.0 / np.sqrt(n))
    x = rng.standard_normal(n)
    for _ in range(10):
        x += dt * (-x + J @ np.tanh(x))
    t0 = time.perf_counter()
    for _ in range(steps):
        x += dt * (-x + J @ np.tanh(x))
    return steps / (time.perf_counter() - t0)


for arg in sys.argv[1:]:
    n, steps = (int(v) for v in arg.split(':'))
    print(n, steps_per_second(n, steps))
