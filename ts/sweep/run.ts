/**
 * Running a sweep, or one shard of it, into a result folder: the cells not yet there run on the
 * local worker pool and each is written as it finishes, so a rerun skips what is done and
 * retries what failed.
 */

import { hostname } from 'node:os';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '../errors.js';
import type { Signal } from '../runtime/platformTypes.js';
import { runJobsSettled } from '../parallel/pool.js';
import { callback, integer, options } from '../validate.js';
import { parseShard, shardCells, type Shard } from './shard.js';
import { planSweep, sweepCell, type SweepPlan, type SweepSpec } from './spec.js';
import { cellFile, listCells, openSweepFolder, PACKAGE_VERSION, planFromFile, readCell, SweepConflictError, writeAtomic, type CellRecord } from './store.js';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** The result folder (created if needed; on a shared filesystem for cluster runs). */
  out: string;
  /** Run only shard i of k (`{ index, count }` or `'i/k'`): cells i, i + k, … (default: every cell). */
  shard?: Shard | string;
  /** Worker threads of the local pool (default: the available parallelism; 0 = this thread). */
  workers?: number;
  /** Called as each cell finishes or is found done. */
  onProgress?: (p: { done: number; total: number; failed: number }) => void;
  /** Stops the run; the cells finished so far stay written. */
  signal?: Signal;
}

/** What {@link runSweep} did. */
export interface RunSweepReport {
  name: string;
  hash: string;
  /** Cells of this run (the shard's), those found done, those run now, and the failures. */
  cells: number;
  skipped: number;
  ran: number;
  failed: { index: number; error: { name: string; message: string; parameter?: string } }[];
}

const KNOWN = ['out', 'shard', 'workers', 'onProgress', 'signal'] as const;

/** A spec object, a spec file's path, or a plan, as a plan. */
export function toPlan(spec: SweepSpec | SweepPlan | string): SweepPlan {
  if (typeof spec === 'string') return planFromFile(spec);
  if (typeof spec === 'object' && spec !== null && 'hash' in spec && 'parts' in spec && 'spec' in spec) return planSweep(spec.spec);
  return planSweep(spec);
}

/** The Slurm array task (or job, or indexed Job) this process runs as, if any. */
export function taskLabel(env: Record<string, string | undefined> = process.env): string | null {
  if (env.SLURM_ARRAY_JOB_ID !== undefined && env.SLURM_ARRAY_TASK_ID !== undefined) return `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  if (env.SLURM_JOB_ID !== undefined) return env.SLURM_JOB_ID;
  if (env.JOB_COMPLETION_INDEX !== undefined) return `index ${env.JOB_COMPLETION_INDEX}`;
  return null;
}

/**
 * Runs the cells of a sweep (or of one shard) that the folder does not hold yet.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * const out = mkdtempSync(`${tmpdir()}/sweep-`);
 * const spec = { version: 1, job: 'dimension', grid: { g: [2, 3], gamma: [0, 1] } } as const;
 * await runSweep(spec, { out, workers: 0 });          // 4 cells run and written
 * (await runSweep(spec, { out, workers: 0 })).skipped; // 4: a rerun finds them done
 * ```
 */
export async function runSweep(spec: SweepSpec | SweepPlan | string, opts: RunSweepOptions): Promise<RunSweepReport> {
  const o = options('options', opts, KNOWN);
  if (typeof o.out !== 'string' || o.out === '') throw new ArgumentError('out', 'must be the path of the result folder');
  const plan = toPlan(spec);
  let shard: Shard = { index: 0, count: 1 };
  if (typeof o.shard === 'string') shard = parseShard(o.shard);
  else if (o.shard !== undefined) {
    const s = options('shard', o.shard, ['index', 'count']);
    const count = integer('shard.count', s.count, { min: 1 });
    shard = { index: integer('shard.index', s.index, { min: 0, max: count - 1 }), count };
  }
  const onProgress = o.onProgress === undefined ? undefined : callback<NonNullable<RunSweepOptions['onProgress']>>('onProgress', o.onProgress);
  const out = o.out;
  openSweepFolder(out, plan);
  const mine = shardCells(plan.size, shard);
  const done = new Set<number>();
  for (const c of listCells(out)) {
    if (c.failed) continue;
    const r = readCell(c.file, c.index);
    if (r.spec !== plan.hash) throw new SweepConflictError(`'${c.file}' is a result of sweep ${r.spec}, not ${plan.hash}`);
    done.add(c.index);
  }
  const todo = mine.filter((i) => !done.has(i));
  const report: RunSweepReport = { name: plan.name, hash: plan.hash, cells: mine.length, skipped: mine.length - todo.length, ran: 0, failed: [] };
  const progress = () => onProgress?.({ done: report.skipped + report.ran, total: mine.length, failed: report.failed.length });
  progress();
  const host = hostname();
  const task = taskLabel();
  const taskStarted = new Date(performance.timeOrigin).toISOString();
  await runJobsSettled(todo.map((i) => sweepCell(plan, i).job), {
    ...(o.workers !== undefined ? { workers: o.workers as number } : {}),
    ...(o.signal !== undefined ? { signal: o.signal as Signal } : {}),
    onSettled: (k, outcome) => {
      const cell = sweepCell(plan, todo[k]!);
      const record: CellRecord = {
        rnnlab: 'sweep-cell',
        format: 1,
        index: cell.index,
        spec: plan.hash,
        version: PACKAGE_VERSION,
        params: cell.params,
        seed: cell.seed,
        status: outcome.ok ? 'ok' : 'failed',
        ...(outcome.ok ? { result: outcome.result } : { error: outcome.error }),
        host,
        task,
        taskStarted,
        started: new Date(outcome.started).toISOString(),
        seconds: outcome.seconds,
      };
      writeAtomic(join(out, cellFile(cell.index, !outcome.ok)), `${JSON.stringify(record)}\n`);
      if (outcome.ok) {
        const stale = join(out, cellFile(cell.index, true));
        if (existsSync(stale)) rmSync(stale, { force: true });
        report.ran += 1;
      } else {
        report.failed.push({ index: cell.index, error: outcome.error });
      }
      progress();
    },
  });
  return report;
}
