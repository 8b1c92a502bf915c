/**
 * Parallel sweeps: a pool of workers (worker threads in Node, module Web Workers in browsers),
 * each with its own WebAssembly instance, runs a list of {@link Job}s with progress reports and
 * cancellation. Every job is deterministic in its parameters, so the results are identical to
 * running the jobs one after another in this thread (`workers: 0`).
 */

import { ArgumentError, RnnlabError } from '../errors.js';
import { integer, options } from '../validate.js';
import { runJob, type Job, type JobResult } from './jobs.js';

/** Options of {@link runJobs}. */
export interface SweepOptions {
  /** Number of workers (default: the available parallelism); 0 runs the jobs in this thread. */
  workers?: number;
  /** Called after each finished job. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Cancels the sweep: running workers are terminated and the promise rejects. */
  signal?: AbortSignal;
}

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

/** A worker of either runtime, reduced to what rnnlab uses. */
export interface WorkerLike {
  post(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): Promise<unknown> | void;
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** Starts the worker module `path` (relative to this file, without extension). */
export async function spawnWorker(path: string): Promise<WorkerLike> {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const url = new URL(`${path}.${ext}`, import.meta.url);
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    // From the TypeScript sources (development, through tsx) the worker registers tsx first.
    const w = ext === 'js'
      ? new Worker(url)
      : new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.on('message', f),
      onError: (f) => w.on('error', f),
      terminate: () => w.terminate(),
    };
  }
  const w = new Worker(url, { type: 'module' });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.addEventListener('message', (e) => f(e.data)),
    onError: (f) => w.addEventListener('error', (e) => f(e)),
    terminate: () => w.terminate(),
  };
}

/** The available parallelism of this runtime. */
export async function defaultWorkers(): Promise<number> {
  if (isNode) return (await import('node:os')).availableParallelism();
  return Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2);
}

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
  const o = options('options', opts);
  if (!Array.isArray(jobs)) throw new ArgumentError('jobs', 'must be an array of jobs');
  jobs.forEach((j, i) => options(`jobs[${i}]`, j));
  const count = o.workers === undefined ? await defaultWorkers() : integer('workers', o.workers, { min: 0, max: 256 });
  const onProgress = o.onProgress as SweepOptions['onProgress'];
  const signal = o.signal as AbortSignal | undefined;
  const results: JobResult[] = new Array(jobs.length);
  let done = 0;
  const cancelled = () => new SweepCancelledError('the sweep was cancelled');
  if (count === 0) {
    for (const [i, job] of jobs.entries()) {
      if (signal?.aborted) throw cancelled();
      results[i] = await runJob(job);
      done += 1;
      onProgress?.({ done, total: jobs.length });
    }
    return results;
  }
  const pool = await Promise.all(Array.from({ length: Math.min(count, jobs.length) }, () => spawnWorker('./worker')));
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
      if (signal?.aborted) reject(cancelled());
      for (const w of pool) {
        w.onError((e) => reject(e instanceof Error ? e : new RnnlabError(String(e))));
        w.onMessage((data) => {
          const m = data as { id: number; result?: JobResult; error?: { name: string; message: string; parameter?: string } };
          if (m.error) return reject(new JobError(m.id, m.error));
          results[m.id] = m.result!;
          done += 1;
          onProgress?.({ done, total: jobs.length });
          feed(w);
        });
        feed(w);
      }
      if (jobs.length === 0) resolve();
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
