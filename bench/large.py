"""Batched RK4 steps of dx/dt = -x + J tanh(x) in NumPy float32: the baseline for bench/large.ts.

Invoke as  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 python3 bench/large.py
(2 threads = both cores; this machine sets OPENBLAS_CORETYPE=Haswell / OPENBLAS_L2_SIZE by default, which
forces a slower kernel than the SkylakeX one OpenBLAS picks itself). The environment is only reported.
Prints one JSON line {"n", "b", "stepsPerSecond" (trajectory-steps/s), "gflops" (matmuls only)} per
size and batch, then {"blas": {...}}.
"""
import argparse
import ctypes
import importlib.util
import json
import os
import time

import numpy as np

F32 = np.float32


def coupling(rng, n, g=2.0, chunk=512):
    """J with iid N(0, g^2/n) float32 entries, drawn in row chunks (no float64 n x n temporary)."""
    J = np.empty((n, n), dtype=F32)
    for i in range(0, n, chunk):
        rng.standard_normal(out=J[i:i + chunk], dtype=F32)
    J *= F32(g / np.sqrt(n))
    return J


def rk4_step(J, X, dt=F32(0.1)):
    f = lambda Y: J @ np.tanh(Y) - Y
    k1 = f(X)
    k2 = f(X + dt / 2 * k1)
    k3 = f(X + dt / 2 * k2)
    k4 = f(X + dt * k3)
    X += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def bench(J, X, seconds):
    for _ in range(2):
        rk4_step(J, X)
    steps, t0 = 0, time.perf_counter()
    while True:
        rk4_step(J, X)
        steps, elapsed = steps + 1, time.perf_counter() - t0
        if steps >= 3 and elapsed >= seconds:
            break
    assert X.dtype == F32 and np.isfinite(X).all(), (X.dtype, 'non-finite state')
    return steps, elapsed


def load_threadpoolctl():
    try:
        import threadpoolctl
        return threadpoolctl
    except ImportError:  # Debian's python3-threadpoolctl is a single pure-python file
        path = '/usr/lib/python3/dist-packages/threadpoolctl.py'
        if not os.path.exists(path):
            return None
        spec = importlib.util.spec_from_file_location('threadpoolctl', path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def probe_openblas():
    """Ask the OpenBLAS loaded in this process (e.g. numpy's scipy-openblas) directly via ctypes."""
    if not os.path.exists('/proc/self/maps'):
        return []
    with open('/proc/self/maps') as maps:
        paths = sorted({l.split()[-1] for l in maps if 'openblas' in l.lower() and '.so' in l})
    out = []
    for path in paths:
        lib, info = ctypes.CDLL(path), {'filepath': path, 'internal_api': 'openblas'}
        for key, name, restype in (('config', 'get_config', ctypes.c_char_p),
                                   ('architecture', 'get_corename', ctypes.c_char_p),
                                   ('num_threads', 'get_num_threads', ctypes.c_int)):
            for sym in (f'{p}openblas_{name}{s}' for p in ('scipy_', '') for s in ('64_', '')):
                if hasattr(lib, sym):
                    fn = getattr(lib, sym)
                    fn.restype = restype
                    value = fn()
                    info[key] = value.decode() if isinstance(value, bytes) else value
                    break
        info['version'] = info.get('config', '? ?').split()[1]
        out.append(info)
    return out


def blas_info():
    env = ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS')
    info = {'numpy': np.__version__, 'env': {k: os.environ.get(k) for k in env}}
    tpc = load_threadpoolctl()
    if tpc is None:
        info['threadpoolctl'] = 'unavailable'
        try:
            blas = np.show_config(mode='dicts')['Build Dependencies']['blas']
            info['numpy_config'] = {k: blas.get(k) for k in ('name', 'version', 'openblas configuration')}
        except Exception as e:  # numpy < 1.25 has no mode='dicts'
            info['numpy_config'] = f'unavailable: {e!r}'
    else:
        keys = ('user_api', 'internal_api', 'version', 'num_threads', 'architecture', 'filepath')
        info['threadpoolctl'] = getattr(tpc, '__version__', '?')
        info['libraries'] = [{k: d[k] for k in keys if k in d} for d in tpc.threadpool_info()]
    if not any(d.get('user_api') == 'blas' for d in info.get('libraries', [])):
        info['openblas_runtime'] = probe_openblas()  # e.g. old threadpoolctl not knowing scipy-openblas
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--sizes', default='2048,4096,8192')
    ap.add_argument('--batches', default='1,4,16')
    ap.add_argument('--seconds', type=float, default=2.0)
    args = ap.parse_args()
    for n in map(int, args.sizes.split(',')):
        rng = np.random.default_rng(1)
        J = coupling(rng, n)
        for b in map(int, args.batches.split(',')):
            X = rng.standard_normal((n, b), dtype=F32)
            steps, elapsed = bench(J, X, args.seconds)
            print(json.dumps({'n': n, 'b': b, 'stepsPerSecond': steps * b / elapsed,
                              'gflops': steps * 4 * 2 * n * n * b / elapsed / 1e9}), flush=True)
    print(json.dumps({'blas': blas_info()}), flush=True)


if __name__ == '__main__':
    main()
