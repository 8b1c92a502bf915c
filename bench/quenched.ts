/**
 * Speed of the quenched predictor `predictActivity` (one eigen-decomposition, the eigen-basis
 * formulas and the spectra of C^x, C^φ), on one thread and on all cores (the threaded module),
 * against the same computation written with NumPy (bench/quenched.py: LAPACK eig, inverse, BLAS
 * products, eigvalsh), on the same matrix and the same DMFT residual, with NumPy's BLAS on all
 * cores and on one thread (OPENBLAS_NUM_THREADS=1); the results are printed so they can be
 * compared.
 *
 *   npx tsx bench/quenched.ts                     # N = 500, 1000
 *   npx tsx bench/quenched.ts --sizes 1000,2000,4000
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { iidGaussian, init, predictActivity } from '../ts/index.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '500,1000' } } });
const G = 1.5;
const NOISE = 0.5;
const dir = mkdtempSync(join(tmpdir(), 'rnnlab-bench-'));
const cores = availableParallelism();
const rows = [['N', 'rnnlab 1 thread s', `rnnlab ${cores} threads s`, 'NumPy s', 'NumPy/rnnlab', 'NumPy 1 thread s', 'ratio 1 thread', 'PR^x/N rnnlab', 'PR^x/N NumPy', 'PR^φ/N rnnlab', 'PR^φ/N NumPy']];
try {
  for (const n of values.sizes.split(',').map(Number)) {
    const J = iidGaussian({ n, g: G, seed: 1 });
    const timed = async (threads: number) => {
      await init(undefined, { threads });
      // Warm-up, so that the engine runs optimised code (the module is compiled once per kind).
      for (let k = 0; k < 2; k++) predictActivity({ J: iidGaussian({ n: 400, g: G, seed: 2 }), noise: NOISE });
      const t0 = performance.now();
      const p = predictActivity({ J, noise: NOISE, method: 'eigen' });
      return { p, seconds: (performance.now() - t0) / 1000 };
    };
    const single = await timed(1);
    const { p, seconds: ours } = await timed(cores);
    // The residual exactly as predictActivity builds it.
    const d = p.dmft!;
    const a = p.slope;
    const last = d.delta.length - 1;
    const tail = d.cphi[last]! - a * a * d.delta[last]!;
    const residual = Float64Array.from(d.delta, (v, k) => d.cphi[k]! - a * a * v - tail);
    const file = join(dir, `in-${n}.f64`);
    const head = Float64Array.of(a, NOISE * NOISE, d.dt, residual.length);
    const all = new Float64Array(head.length + residual.length + J.data.length);
    all.set(head);
    all.set(residual, head.length);
    all.set(J.data, head.length + residual.length);
    writeFileSync(file, all);
    const numpyRun = (threads?: string): number[] | undefined => {
      const env = threads ? { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads } : process.env;
      try {
        return execFileSync('python3', [new URL('./quenched.py', import.meta.url).pathname, String(n), file], { encoding: 'utf8', env })
          .trim().split(' ').map(Number);
      } catch {
        return undefined;
      }
    };
    const numpy = numpyRun();
    const numpy1 = numpyRun('1');
    const f = (v: number | undefined, digits = 6) => (v === undefined ? 'n/a' : v.toFixed(digits));
    rows.push([
      String(n), single.seconds.toFixed(2), ours.toFixed(2), f(numpy?.[0], 2), numpy ? (numpy[0]! / ours).toFixed(2) : 'n/a',
      f(numpy1?.[0], 2), numpy1 ? (numpy1[0]! / single.seconds).toFixed(2) : 'n/a',
      f(p.prX), f(numpy?.[1]), f(p.prPhi), f(numpy?.[2]),
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Quenched predictor, noisy tanh iid g = ${G}, σ = ${NOISE}, including the spectra of C^x, C^φ (rnnlab: one thread, then ${cores}, with the DMFT; NumPy: its BLAS threads, then one; NumPy/rnnlab = NumPy s / rnnlab ${cores}-thread s, ratio 1 thread = NumPy 1-thread s / rnnlab 1-thread s)`);
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
