import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { followSweep, maxArraySize, mergedCsv, mergeSweep, runSweep, submitSweep, type CellRecord, type MergeReport, type SweepSpec } from '../ts/sweep/index.js';
import { cli } from './support/cli.js';

/**
 * A sweep on a real Slurm cluster (CI starts a single-node one with scripts/slurm/start.sh, with
 * MaxArraySize 10 and 8 advertised CPUs): arrays split below MaxArraySize, a concurrency cap of
 * 2 that holds, a task cancelled while it runs, the missing cell named and resubmitted, and the
 * merged table equal to a local worker-pool run of the same spec.
 */
const sbatch = spawnSync('sbatch', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.RNNLAB_REQUIRE_SLURM === '1';
if (!sbatch && !required) {
  console.warn('Slurm cluster tests skipped: no sbatch here (CI starts a cluster with scripts/slurm/start.sh; RNNLAB_REQUIRE_SLURM=1 makes them required)');
}

const base = fileURLToPath(new URL('out/slurm/', import.meta.url));

const spec: SweepSpec = {
  version: 1,
  name: 'cluster',
  parts: [
    { job: 'dimension', grid: { g: [1.5, 2, 3, 5], gamma: [0, 1, 4] } },
    {
      job: 'train',
      grid: { algorithm: ['rflo', 'kf-rtrl', 'rtrl'] },
      seeds: 4,
      fixed: { network: { n: 12, nIn: 2, nOut: 2 }, task: { kind: 'add', lags: [1, 2] }, steps: 200_000, testSteps: 500, optimizer: { type: 'sgd', lr: 0.003 } },
    },
  ],
};
const FIRST_RTRL = 20; // cells 20–23 train with RTRL, the slowest (about 2 s each)

/** Most cells running at once, from the cells' task start and finish times. */
function mostAtOnce(dir: string, cells: Set<number>): number {
  const events: [number, number][] = [];
  for (const f of readdirSync(dir).filter((n) => /^cell-\d+\.json$/.test(n))) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CellRecord;
    if (!cells.has(r.index)) continue;
    events.push([Date.parse(r.taskStarted), 1], [Date.parse(r.started) + r.seconds * 1000, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  return most;
}

describe.runIf(sbatch || required)('a sweep on a real Slurm cluster', () => {
  it('splits, caps, survives a cancelled task, resubmits exactly what is missing, and equals the local run', async () => {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(base, { recursive: true });
    const out = join(base, 'cluster');
    // The node advertises more CPUs than the cap, so the cap is what limits the arrays.
    const cpus = Number(/CPUTot=(\d+)/.exec(execFileSync('scontrol', ['show', 'node'], { encoding: 'utf8' }))?.[1]);
    expect(cpus).toBeGreaterThan(2);
    const limit = await maxArraySize();
    // The cluster's own MaxArraySize when it is low enough to split 24 tasks, else the same split forced.
    const s = await submitSweep(spec, { out, maxConcurrent: 2, ...(limit < 24 ? {} : { maxArraySize: 10 }) });
    expect(s.cells).toBe(24);
    expect(s.maxArraySize).toBeLessThan(24);
    expect(s.arrays.length).toBeGreaterThan(1);
    expect(s.arrays.every((a) => a.jobId !== null && a.array.endsWith('%2'))).toBe(true);
    expect(s.arrays.flatMap((a) => a.array.replace(/%2$/, '').split(',').flatMap((r) => {
      const [lo, hi] = r.split('-').map(Number);
      return Array.from({ length: (hi ?? lo!) - lo! + 1 }, (_, k) => a.offset + lo! + k);
    }))).toEqual(Array.from({ length: 24 }, (_, i) => i));

    // Cancel an RTRL task while it runs: allocated (state R) and its process started (its log exists).
    const rtrl = s.arrays.find((a) => a.offset <= FIRST_RTRL && FIRST_RTRL < a.offset + s.maxArraySize)!;
    let cancelled = -1;
    for (let t = 0; t < 3000 && cancelled < 0; t++) {
      const running = execFileSync('squeue', ['-h', '-t', 'R', '-o', '%i', '-j', rtrl.jobId!], { encoding: 'utf8' }).trim().split('\n');
      const task = running.map((l) => /_(\d+)$/.exec(l)?.[1]).find((x) => x !== undefined && rtrl.offset + Number(x) >= FIRST_RTRL
        && existsSync(join(out, 'slurm', 'logs', `${rtrl.jobId}_${x}.out`)));
      if (task !== undefined) {
        await new Promise((r) => setTimeout(r, 300));
        execFileSync('scancel', [`${rtrl.jobId}_${task}`]);
        cancelled = rtrl.offset + Number(task);
      } else {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(cancelled).toBeGreaterThanOrEqual(FIRST_RTRL);

    const seen: number[] = [];
    const waited = await followSweep(s, { out, pollSeconds: 0.5, onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(23);
    expect(waited.ok).toBe(false);
    expect(waited.merge.missing).toEqual([cancelled]);
    expect(waited.tasks).toHaveLength(1);
    expect(waited.tasks[0]).toMatchObject({ task: cancelled, cells: [cancelled], state: 'CANCELLED' });
    expect(waited.tasks[0]!.tail).toContain('CANCELLED');
    // The merge job waits for every task to succeed: with one cancelled it never ran.
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    expect(mostAtOnce(out, new Set(Array.from({ length: 24 }, (_, i) => i)))).toBeLessThanOrEqual(2);

    const missing = await cli('sweep', 'merge', out, '--missing');
    expect(missing).toMatchObject({ code: 0, stdout: `${cancelled}\n` });

    const again = await cli('sweep', 'slurm', join(out, 'sweep.json'), '--out', out, '--resume', '--max-concurrent', '2', '--wait', '--poll', '0.5',
      ...(limit < 24 ? [] : ['--max-array-size', '10']));
    expect(again.stderr).toContain('24 of 24 cells done');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 cells in 1 tasks');

    // The merge job wrote the table; it equals a local worker-pool run of the same spec, number for number.
    const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as MergeReport;
    expect(merged.complete).toBe(true);
    const local = join(base, 'local');
    await runSweep(spec, { out: local, workers: 2 });
    const reference = mergeSweep(local);
    expect(reference.complete).toBe(true);
    expect(merged.rows).toEqual(reference.rows);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe(mergedCsv(reference));
  }, 600_000);
});
