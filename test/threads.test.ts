import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, eigenvalues, iidGaussian, init, InternalError, predictActivity, randomMode, symmetricEigenvalues, threadCount } from '../ts/index.js';
import { current, guarded } from '../ts/runtime/module.js';
import type { ThreadExports } from '../ts/runtime/threads.js';

/** Waits until `threads` threads run (helpers started after a trap park in the background). */
async function running(threads: number): Promise<void> {
  for (let i = 0; i < 1000 && threadCount() < threads; i++) await new Promise((r) => setTimeout(r, 10));
  expect(threadCount()).toBe(threads);
}

/** A symmetric 1500 × 1500 matrix, large enough for the reduction through a band. */
function largeSymmetric() {
  const n = 1500;
  const g = iidGaussian({ n, g: 1, seed: 6 }).data;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = g[i * n + j]! + g[j * n + i]!;
  return { rows: n, cols: n, data };
}

/** Everything the parallel loops touch: products, inverse, Hessenberg, tridiagonal and band reductions, inverse iteration. */
function compute() {
  const J = iidGaussian({ n: 420, g: 1.5, seed: 3 });
  const p = predictActivity({ J, noise: 0.5, method: 'eigen' });
  const rm = randomMode({ n: 300, spectrum: { shape: { kind: 'flat' }, g: 2, modes: 150 }, seed: 4 });
  return {
    cx: p.covarianceX, cphi: p.covariancePhi, spectrumX: p.spectrumX, spectrumPhi: p.spectrumPhi,
    eig: eigenvalues(rm.J).re, symX: symmetricEigenvalues(p.covarianceX), symPhi: symmetricEigenvalues(p.covariancePhi),
    band: symmetricEigenvalues(largeSymmetric()),
  };
}

describe('threads', () => {
  it('give bit-for-bit the numbers of one thread, in the one-thread and the threaded module', async () => {
    await init(undefined, { threads: 1 });
    expect(threadCount()).toBe(1);
    expect(WebAssembly.Module.imports(current().module).length).toBe(0); // rnnlab.wasm
    const one = compute();
    await init(readFileSync(new URL('../ts/wasm/rnnlab-threads.wasm', import.meta.url)), { threads: 1 });
    expect(compute()).toEqual(one);
    await init(undefined, { threads: 3 }); // resolves once its two helpers are parked
    expect(threadCount()).toBe(3);
    const three = compute();
    expect(three).toEqual(one);
    // The predictor's two spectra, computed side by side (one per thread), are those of its covariances.
    for (const r of [one, three]) {
      expect(r.spectrumX).toEqual(r.symX.slice().reverse());
      expect(r.spectrumPhi).toEqual(r.symPhi.slice().reverse());
    }
  });

  it('survive a trap: the module is re-created with new helpers', async () => {
    await init(undefined, { threads: 2 });
    const before = compute();
    expect(() => guarded((e) => e.rnl_selftest_panic())).toThrow(InternalError);
    await running(2);
    expect(compute()).toEqual(before);
  });

  it('survive a helper that traps inside a parallel loop: the caller fails with its error, then works with new helpers', async () => {
    await init(undefined, { threads: 2 });
    const before = compute();
    expect(() => guarded((e) => (e as ThreadExports).rnl_selftest_helper_panic())).toThrow(/a helper thread failed during a parallel loop/);
    await running(2);
    expect(compute()).toEqual(before);
  });

  it('are refused for the one-thread module, by name', async () => {
    const bytes = readFileSync(new URL('../ts/wasm/rnnlab.wasm', import.meta.url));
    await expect(init(bytes, { threads: 2 })).rejects.toThrow(ArgumentError);
    await expect(init(bytes, { threads: 2 })).rejects.toThrow(/threads/);
  });
});
