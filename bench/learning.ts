/**
 * Online learning speed: wall time per training step (forward pass, the algorithm's update,
 * readout gradients and the SGD update) of every algorithm on the Add task at n = 16, 32, 64
 * and 128, the exponent p of time ∝ n^p fitted on 32…128 (RTRL: 16…64), against the speed goals
 * and against a NumPy implementation in the reference code's formulation (bench/learning.py,
 * run in this script when python3 with NumPy is available).
 *
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import { ALGORITHMS, Trainer, addTask, createNetwork, type AlgorithmName } from '../ts/index.js';

const SIZES = [16, 32, 64, 128];
/** Goal per step at n = 32 (µs): RTRL 250, every other algorithm 10; RTRL at n = 64: 3000. */
const GOAL32 = (a: AlgorithmName) => (a === 'rtrl' ? 250 : 10);
/**
 * The documented exponent of a whole training step (m ≈ n): the forward pass and the parameter
 * update cost n², so each algorithm's step grows as n^max(2, its own exponent).
 */
const DOCUMENTED: Record<AlgorithmName, number> = {
  'output-only': 2, rtrl: 4, uoro: 2, 'kf-rtrl': 3, 'r-kf-rtrl': 3, rflo: 2, kernl: 2, 'e-prop': 2,
  'e-bptt': 2, 'f-bptt': 2, tbptt: 2, dni: 2, 'dni-b': 2, compartmental: 2,
};

/** Microseconds per step: best of 3 runs of about 0.2 s each after a warm-up. */
function perStep(algorithm: AlgorithmName, n: number): number {
  const network = createNetwork({ n, nIn: 2, nOut: 2, seed: 1 });
  using run = new Trainer({ network, task: addTask(), algorithm, seed: 1, block: 1 << 30 });
  let steps = 50;
  for (;;) {
    const t0 = performance.now();
    run.run(steps);
    const ms = performance.now() - t0;
    if (ms > 50 || steps >= 1 << 20) break;
    steps *= 4;
  }
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    run.run(steps);
    best = Math.min(best, ((performance.now() - t0) * 1000) / steps);
  }
  return best;
}

/** Least-squares slope of log t against log n. */
function exponent(ns: number[], ts: number[]): number {
  const x = ns.map(Math.log);
  const y = ts.map(Math.log);
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

let numpy: Record<string, Record<string, number>> | undefined;
try {
  const out = execFileSync('python3', [new URL('./learning.py', import.meta.url).pathname, '300', '32', '64'], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  numpy = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, Record<string, number>>;
} catch {
  numpy = undefined;
}

const header = ['algorithm', ...SIZES.map((n) => `n=${n} µs`), 'exponent', 'documented', 'goal@32 µs', 'NumPy@32 µs', 'NumPy/rnnlab@32', 'NumPy@64 µs', 'NumPy/rnnlab@64'];
const rows: string[][] = [header];
for (const algorithm of ALGORITHMS) {
  const sizes = algorithm === 'rtrl' ? SIZES.slice(0, 3) : SIZES;
  const ts = sizes.map((n) => perStep(algorithm, n));
  const fit = algorithm === 'rtrl' ? exponent(sizes, ts) : exponent(sizes.slice(1), ts.slice(1));
  const np32 = numpy?.['32']?.[algorithm];
  const np64 = numpy?.['64']?.[algorithm];
  rows.push([
    algorithm,
    ...SIZES.map((_, i) => (ts[i] === undefined ? '' : ts[i]!.toFixed(1))),
    fit.toFixed(2),
    String(DOCUMENTED[algorithm]),
    String(GOAL32(algorithm)),
    np32 === undefined ? 'n/a' : (np32 * 1000).toFixed(0),
    np32 === undefined ? 'n/a' : ((np32 * 1000) / ts[1]!).toFixed(0),
    np64 === undefined ? 'n/a' : (np64 * 1000).toFixed(0),
    np64 === undefined ? 'n/a' : ((np64 * 1000) / ts[2]!).toFixed(0),
  ]);
}
console.log('\nOnline learning, Add task, time per training step (best of 3), single thread');
const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
console.log('RTRL goal at n = 64: 3000 µs. Exponent: fit of log time on log n (RTRL over 16…64, others over 32…128);');
console.log('at these sizes fixed per-step costs still lower the fitted exponents below the asymptotic ones.');
