/**
 * Simulation throughput: Euler steps per second of dx/dt = −x + J tanh(x) at several N, for
 * rnnlab (WebAssembly SIMD), the same loop in plain JavaScript, and NumPy single-threaded
 * (when python3 with NumPy is available). Ratios are against the baselines run in this process.
 *
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import { Simulation, iidGaussian } from '../ts/index.js';

const SIZES = [256, 1000, 2000];
const dt = 0.05;

/** Best of three timings of `run(steps)`, in steps per second. */
function rate(run: (steps: number) => void, steps: number): number {
  run(Math.max(1, Math.round(steps / 10)));
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    run(steps);
    best = Math.max(best, steps / ((performance.now() - t0) / 1000));
  }
  return best;
}

function wasmRate(n: number, steps: number): number {
  using sim = new Simulation({ J: iidGaussian({ n, g: 2, seed: 1 }), dt, seed: 1 });
  return rate((k) => sim.run({ steps: k, record: 'none' }), steps);
}

function jsRate(n: number, steps: number): number {
  const J = iidGaussian({ n, g: 2, seed: 1 }).data;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const phi = new Float64Array(n);
  const run = (k: number) => {
    for (let s = 0; s < k; s++) {
      for (let i = 0; i < n; i++) phi[i] = Math.tanh(x[i]!);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) acc += J[row + j]! * phi[j]!;
        x[i] = x[i]! + dt * (acc - x[i]!);
      }
    }
  };
  return rate(run, steps);
}

function numpyRates(plan: [number, number][]): Map<number, number> | undefined {
  try {
    const out = execFileSync('python3', [new URL('./simulate.py', import.meta.url).pathname, ...plan.map(([n, s]) => `${n}:${s}`)], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      encoding: 'utf8',
    });
    return new Map(out.trim().split('\n').map((line) => line.split(' ').map(Number) as [number, number]));
  } catch {
    return undefined;
  }
}

const plan: [number, number][] = SIZES.map((n) => [n, Math.round(4e8 / (n * n))]);
const numpy = numpyRates(plan);
const rows = [['N', 'rnnlab steps/s', 'plain JS steps/s', '× JS', 'NumPy steps/s', '× NumPy']];
for (const [n, steps] of plan) {
  const w = wasmRate(n, steps);
  const j = jsRate(n, Math.max(20, Math.round(steps / 8)));
  const p = numpy?.get(n);
  rows.push([
    String(n),
    w.toFixed(0),
    j.toFixed(0),
    (w / j).toFixed(1),
    p ? p.toFixed(0) : 'n/a',
    p ? (w / p).toFixed(2) : 'n/a',
  ]);
}
console.log('Euler steps per second, dx/dt = −x + J tanh(x), f64, single thread');
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
if (!numpy) console.log('(NumPy baseline skipped: python3 with numpy not found)');
