/**
 * Mean-field theory speed: one stationary tanh DMFT solve at g = 2 (to ~1e−9), the iid PR theory
 * at one g, and a 50-point dimension-vs-effective-rank curve, against the project's speed targets
 * and against a NumPy solve of the same DMFT written the usual way (bench/theory.py, run in
 * this script when python3 with NumPy is available).
 *
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import { dimension, solveDMFT } from '../ts/index.js';

/** Best of `reps` timings of `f`, in milliseconds. */
function best(f: () => void, reps = 7): number {
  f();
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

const solve = best(() => solveDMFT({ g: 2, lyapunov: false }));
const solveLyap = best(() => solveDMFT({ g: 2 }));
const pr = best(() => dimension({ g: 2 }));
const d = dimension({ g: 2 });
const gammas = Float64Array.from({ length: 50 }, (_, i) => 10 ** (-2 + (4 * i) / 49));
const curve = best(() => dimension({ g: 2 }).vsRank(gammas));
const curveSpectra = best(() => {
  for (const g of [1.5, 2, 3, 5]) dimension({ g }).vsRank(gammas);
}, 3);

let numpyMs: number | undefined;
let numpyDelta2: number | undefined;
try {
  const out = execFileSync('python3', [new URL('./theory.py', import.meta.url).pathname, '2'], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  const [, , d2, ms] = out.trim().split(' ').map(Number);
  numpyMs = ms;
  numpyDelta2 = d2;
} catch {
  numpyMs = undefined;
}

const exact = solveDMFT({ g: 2, lyapunov: false }).deltaAt(2);
const rows = [
  ['task', 'rnnlab ms', 'target ms', 'target/time', 'NumPy ms', 'NumPy/rnnlab'],
  ['DMFT solve, tanh g = 2', solve.toFixed(2), '5', (5 / solve).toFixed(1), numpyMs?.toFixed(0) ?? 'n/a', numpyMs ? (numpyMs / solve).toFixed(0) : 'n/a'],
  ['  … with Lyapunov exponent', solveLyap.toFixed(2), '', '', '', ''],
  ['iid PR theory at g = 2 (DMFT + ψ)', pr.toFixed(2), '20', (20 / pr).toFixed(1), '', ''],
  ['PR vs γ, 50 points (one g)', curve.toFixed(2), '1000', (1000 / curve).toFixed(0), '', ''],
  ['PR vs γ, 50 points × 4 gains', curveSpectra.toFixed(2), '', '', '', ''],
];
console.log('Mean-field theory, single thread (best of 7)');
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
console.log(`Δ(2) at g = 2: rnnlab ${exact.toFixed(10)}${numpyDelta2 ? `, NumPy M1 ${numpyDelta2.toFixed(10)}` : ''}; PR^x/N = ${d.prX.toFixed(7)}`);
if (numpyMs === undefined) console.log('(NumPy baseline skipped: python3 with numpy not found)');
