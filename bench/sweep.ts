/**
 * Parallel sweep speed: the same list of training runs (16 × KF-RTRL, Add task, n = 32, 40 000
 * steps each) through the worker pool of the built package (dist/, as users run it) with 1 and
 * with 2 workers (each with its own WebAssembly instance; worker start-up included), the
 * speed-up, and whether the results are identical. Goal on this 2-core machine: ≥ 1.7×.
 *
 *   npm run bench
 */
import type { Job, JobResult, SweepOptions } from '../ts/index.js';

const { runJobs } = (await import(new URL('../dist/index.js', import.meta.url).href)) as {
  runJobs: (jobs: readonly Job[], opts?: SweepOptions) => Promise<JobResult[]>;
};

const jobs: Job[] = Array.from({ length: 16 }, (_, seed) => ({
  kind: 'train',
  network: { n: 32, nIn: 2, nOut: 2, seed },
  task: { kind: 'add' },
  algorithm: 'kf-rtrl',
  steps: 40000,
  seed,
  optimizer: { type: 'sgd', lr: 0.003 },
  testSteps: 10000,
}));

async function timed(workers: number) {
  const t0 = performance.now();
  const results = await runJobs(jobs, { workers });
  return { ms: performance.now() - t0, results };
}

await timed(2); // warm-up: module compilation and file caches
const one = await timed(1);
const two = await timed(2);
const same = JSON.stringify(one.results) === JSON.stringify(two.results);
console.log('\nParallel sweep: 16 training runs (KF-RTRL, n = 32, 40k steps each)');
console.log(`1 worker   ${(one.ms / 1000).toFixed(2)} s`);
console.log(`2 workers  ${(two.ms / 1000).toFixed(2)} s   speed-up ${(one.ms / two.ms).toFixed(2)}× (goal ≥ 1.7×), results identical: ${same}`);
