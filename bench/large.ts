/**
 * Large-N engine throughput: trajectory-steps per second of RK4 for dx/dt = −x + J tanh(x), iid
 * g = 2, at N = 2048, 4096, 8192 and B = 1, 4, 16 trajectories, side by side in one run with
 * - rnnlab's `Simulation` (f64, one trajectory, one matrix–vector product per stage),
 * - the large-N engine in f32 with 1 and 2 workers (and f64 with 2 workers at B = 16),
 * - NumPy float32 doing the same batched RK4 (`bench/large.py`, OpenBLAS with 2 threads and its
 *   own kernel choice: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for that command).
 * Ratios are against the baselines measured here; GFLOP/s count the products J·Φ only
 * (8 N² B flops per step).
 *
 *   npx tsx bench/large.ts [--sizes 2048,4096] [--seconds 2]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Simulation, iidGaussian, simulateLarge } from '../ts/index.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '2048,4096,8192' }, seconds: { type: 'string', default: '2' } } });
const SIZES = values.sizes.split(',').map(Number);
const BATCHES = [1, 4, 16];
const SECONDS = Number(values.seconds);
const dt = 0.1;

/**
 * Trajectory-steps per second of the engine's burn-in (couplings and statistics excluded), and
 * the share of that time the slowest worker spent exchanging states and waiting at barriers.
 */
async function engineRate(n: number, b: number, workers: number, precision: 'f32' | 'f64'): Promise<{ rate: number; exchange: number }> {
  const guess = { f32: 20e9, f64: 10e9 }[precision] * Math.max(1, workers) * (b === 1 ? 0.4 : 1);
  const steps = Math.max(4, Math.round((guess * SECONDS) / (8 * n * n * b)));
  const r = await simulateLarge({
    n, connectivity: { kind: 'iid', g: 2 }, trajectories: b, blocks: 1, workers, precision, seed: 1, dt,
    burnIn: steps * dt, duration: 2 * dt, sampleEvery: dt, maxLag: 0, units: 1,
  });
  return { rate: (steps * b) / (r.timings.burnIn / 1000), exchange: r.timings.exchange / r.timings.burnIn };
}

/** Steps per second of today's f64 simulation (one trajectory). */
function simulationRate(n: number): number {
  using sim = new Simulation({ J: iidGaussian({ n, g: 2, seed: 1 }), method: 'rk4', dt, seed: 1 });
  sim.run({ steps: 2, record: 'none' });
  const steps = Math.max(3, Math.round((4e9 * SECONDS) / (8 * n * n)));
  const t0 = performance.now();
  sim.run({ steps, record: 'none' });
  return steps / ((performance.now() - t0) / 1000);
}

interface NumpyLine {
  n?: number;
  b?: number;
  stepsPerSecond?: number;
  blas?: { openblas_runtime?: { architecture?: string; num_threads?: number }[] };
}

function numpyRates(): { rates: Map<string, number>; blas: string } | undefined {
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '2' };
    delete env['OPENBLAS_CORETYPE'];
    delete env['OPENBLAS_L2_SIZE'];
    const out = execFileSync('python3', [new URL('./large.py', import.meta.url).pathname, '--sizes', SIZES.join(','), '--batches', BATCHES.join(','), '--seconds', String(SECONDS)], { env, encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as NumpyLine);
    const rates = new Map(lines.filter((l) => l.n !== undefined).map((l) => [`${l.n}/${l.b}`, l.stepsPerSecond!]));
    const rt = lines.find((l) => l.blas)?.blas?.openblas_runtime?.[0];
    return { rates, blas: rt ? `OpenBLAS ${rt.architecture} kernel, ${rt.num_threads} threads` : 'BLAS unknown' };
  } catch {
    return undefined;
  }
}

const gflops = (rate: number, n: number) => ((rate * 8 * n * n) / 1e9).toFixed(1);
const numpy = numpyRates();
console.log(`NumPy float32: ${numpy ? numpy.blas : 'not available (python3 with NumPy not found)'}`);
const rows: string[][] = [[
  'N', 'B', 'Simulation f64', 'f32 ×1 worker', 'f32 ×2 workers', 'GFLOP/s (×2)', '2 vs 1 worker', 'exchange', 'vs Simulation', 'NumPy f32',
  'vs NumPy',
]];
for (const n of SIZES) {
  const today = simulationRate(n);
  for (const b of BATCHES) {
    const one = (await engineRate(n, b, 1, 'f32')).rate;
    const { rate: two, exchange } = await engineRate(n, b, 2, 'f32');
    const np = numpy?.rates.get(`${n}/${b}`);
    rows.push([
      String(n), String(b), today.toFixed(1), one.toFixed(1), two.toFixed(1), gflops(two, n), (two / one).toFixed(2) + '×',
      `${(100 * exchange).toFixed(1)} %`,
      (two / today).toFixed(1) + '×', np ? np.toFixed(1) : '–', np ? (two / np).toFixed(2) + '×' : '–',
    ]);
  }
  const f64 = (await engineRate(n, 16, 2, 'f64')).rate;
  console.log(`N = ${n}: f64 engine, B = 16, 2 workers: ${f64.toFixed(1)} trajectory-steps/s (${gflops(f64, n)} GFLOP/s)`);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log('RK4 trajectory-steps per second (higher is better); exchange: share of the 2-worker time spent copying states and at barriers');
for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
