/**
 * Parallel sweeps: a pool of workers (worker threads in Node, module Web Workers in browsers),
 * each with its own WebAssembly instance, runs a list of {@link Job}s with progress reports and
 * cancellation. Every job is deterministic in its parameters, so the results are identical to
 * running the jobs one after another in this thread (`workers: 0`).
 */

import type { Signal } from '../runtime/platformTypes.js';
import { ArgumentError, InitError, RnnlabError } from '../errors.js';
import { workerLocation, type WorkerUrl } from '../runtime/locations.js';
import { init, isLoaded, type WasmSource } from '../runtime/module.js';
import { defaultWorkers, isNode, startNodeWorker, startWorkerAt, wrapBrowser, type WorkerLike } from '../runtime/workerHost.js';
import { abortSignal, callback, integer, location, options } from '../validate.js';
import { settleJob, type Job, type JobOutcome, type JobResult } from './jobs.js';

/** Options of {@link runJobs}. */
export interface SweepOptions {
  /** Number of workers (default: the available parallelism); 0 runs the jobs in this thread. */
  workers?: number;
  /** Called after each finished job; if it throws, the sweep stops and rejects with that error. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Cancels the sweep: running workers are terminated and the promise rejects. */
  signal?: Signal;
  /** Where to load the WebAssembly module from, if this thread has not loaded it yet (see `init`). */
  wasm?: WasmSource;
  /** The sweep worker script, when the bundler did not emit it (see `init`'s `workers`). */
  workerUrl?: WorkerUrl;
}

const KNOWN = ['workers', 'onProgress', 'signal', 'wasm', 'workerUrl'] as const;

/** The sweep was cancelled through its `signal`. */
export class SweepCancelledError extends RnnlabError {
  override name = 'SweepCancelledError';
}

/** A job failed inside a worker; `parameter` names the offending option for argument errors. */
export class JobError extends RnnlabError {
  override name = 'JobError';
  constructor(readonly index: number, readonly detail: { name: string; message: string; parameter?: string }) {
    super(`job ${index}: ${detail.name}: ${detail.message}`);
  }
}

/** Starts a sweep worker: the given script, else the bundler-visible default next to this module. */
function spawnSweepWorker(url: WorkerUrl | undefined): WorkerLike {
  if (url !== undefined) return startWorkerAt(url);
  if (isNode) return startNodeWorker('./worker', import.meta.url);
  return wrapBrowser(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), 'rnnlab/sweep-worker (parallel/worker.js)');
}

export type { JobOutcome } from './jobs.js';

/**
 * Runs `jobs` and returns their results in order.
 *
 * @example
 * ```ts
 * const jobs = [1.5, 2, 3].map((g) => ({ kind: 'dimension' as const, g }));
 * const results = await runJobs(jobs, { workers: 0 });
 * results.map((r) => (r.kind === 'dimension' ? r.prX : NaN)); // PR^x/N at each g
 * ```
 */
export async function runJobs(jobs: readonly Job[], opts: SweepOptions = {}): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  await drive(jobs, opts, (index, outcome) => {
    if (!outcome.ok) throw new JobError(index, outcome.error);
    results[index] = outcome.result;
  });
  return results;
}

/**
 * Runs `jobs` to the end whatever fails: a failing job is reported as an outcome, not thrown.
 * `onSettled` is called as each job ends (in the order they end); if it throws, the sweep stops
 * and rejects with that error.
 *
 * @example
 * ```ts
 * const out = await runJobsSettled([{ kind: 'dimension', g: 2 }, { kind: 'dmft', g: -1 }], { workers: 0 });
 * out.map((o) => o.ok); // [true, false]
 * ```
 */
export async function runJobsSettled(
  jobs: readonly Job[],
  opts: SweepOptions & { onSettled?: (index: number, outcome: JobOutcome) => void } = {},
): Promise<JobOutcome[]> {
  const { onSettled, ...rest } = options('options', opts) as SweepOptions & { onSettled?: unknown };
  const report = onSettled === undefined ? undefined : callback<(index: number, outcome: JobOutcome) => void>('onSettled', onSettled);
  const outcomes: JobOutcome[] = new Array(jobs.length);
  await drive(jobs, rest, (index, outcome) => {
    outcomes[index] = outcome;
    report?.(index, outcome);
  });
  return outcomes;
}

/** The pool: runs every job, hands each outcome to `settle` (which may throw to stop the sweep). */
async function drive(jobs: readonly Job[], opts: SweepOptions, settle: (index: number, outcome: JobOutcome) => void): Promise<void> {
  const o = options('options', opts, KNOWN);
  if (!Array.isArray(jobs)) throw new ArgumentError('jobs', 'must be an array of jobs');
  jobs.forEach((j, i) => options(`jobs[${i}]`, j));
  const count = o.workers === undefined ? defaultWorkers() : integer('workers', o.workers, { min: 0, max: 256 });
  const onProgress = o.onProgress === undefined ? undefined : callback<NonNullable<SweepOptions['onProgress']>>('onProgress', o.onProgress);
  const signal = o.signal === undefined ? undefined : abortSignal('signal', o.signal);
  const workerUrl = o.workerUrl === undefined ? workerLocation('sweepWorker') : location('workerUrl', o.workerUrl);
  if (!isLoaded() || o.wasm !== undefined) await init(o.wasm as WasmSource | undefined);
  let done = 0;
  const cancelled = () => new SweepCancelledError('the sweep was cancelled');
  const finish = (index: number, outcome: JobOutcome) => {
    settle(index, outcome);
    done += 1;
    onProgress?.({ done, total: jobs.length });
  };
  if (count === 0) {
    for (const [i, job] of jobs.entries()) {
      if (signal?.aborted) throw cancelled();
      finish(i, await settleJob(job));
    }
    return;
  }
  const pool: WorkerLike[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      const feed = (w: WorkerLike) => {
        if (next < jobs.length) {
          const id = next++;
          w.post({ id, job: jobs[id] });
        } else if (done === jobs.length) {
          resolve();
        }
      };
      signal?.addEventListener('abort', () => reject(cancelled()), { once: true });
      if (signal?.aborted) return reject(cancelled());
      for (let k = 0; k < Math.min(count, jobs.length); k++) {
        const w = spawnSweepWorker(workerUrl);
        pool.push(w);
        w.onError(reject);
        w.onMessage((data) => {
          const m = data as { id: number; type?: string; message?: string; outcome?: JobOutcome };
          if (m.type === 'init-error') return reject(new InitError(`a sweep worker could not load the WebAssembly module: ${m.message}`));
          try {
            finish(m.id, m.outcome!);
          } catch (e) {
            return reject(e);
          }
          feed(w);
        });
        feed(w);
      }
      if (jobs.length === 0) resolve();
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
