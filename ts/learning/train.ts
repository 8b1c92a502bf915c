/**
 * `train`: a whole online training run with throttled progress reports, early stopping,
 * cancellation and a final test loss — the one call most users need.
 */

import { ArgumentError } from '../errors.js';
import { callback, finite, integer, options } from '../validate.js';
import type { RnnNetwork } from './network.js';
import { Trainer, type Checkpoint, type LearningCurve, type TrainerOptions } from './trainer.js';

/** A progress report. */
export interface Progress {
  /** Steps trained so far. */
  step: number;
  /** Steps asked for in this call. */
  total: number;
  /** Mean loss of the last finished block (NaN before the first). */
  loss: number;
  /** Wall-clock milliseconds since the call started. */
  elapsedMs: number;
}

/** Options of {@link train}: a {@link Trainer}'s options, or a checkpoint to resume, and these. */
export type TrainOptions = (TrainerOptions | { resume: Checkpoint }) & {
  /** Steps to train. */
  steps: number;
  /** Called at most every `progressIntervalMs` (and at the end); returning `false` stops training. */
  onProgress?: (p: Progress) => void | boolean;
  /** Minimum time between progress reports (default 200 ms). */
  progressIntervalMs?: number;
  /** Stop once a block's mean loss is at or below this. */
  targetLoss?: number;
  /** Stop after this many blocks without a new best block loss. */
  patience?: number;
  /** Cancels training between chunks. */
  signal?: AbortSignal;
  /** Evaluate on this many fresh steps at the end (default 0: no test). */
  testSteps?: number;
};

/** Why training stopped (`'diverged'`: a block's mean loss was not finite). */
export type StopReason = 'completed' | 'target' | 'patience' | 'callback' | 'aborted' | 'end-of-sequence' | 'diverged';

/** What {@link train} returns. */
export interface TrainResult {
  /** The trained network (a0 = the final state). */
  network: RnnNetwork;
  curve: LearningCurve;
  /** Total steps trained (including those before a resumed checkpoint). */
  steps: number;
  stopped: StopReason;
  /** Mean loss on `testSteps` fresh steps with frozen weights (NaN without a test). */
  testLoss: number;
  /** A snapshot to resume from. */
  checkpoint: Checkpoint;
}

/**
 * Trains for `steps` steps in chunks inside WebAssembly, yielding to the event loop between
 * progress reports so pages stay responsive and `signal` can cancel.
 *
 * @example
 * ```ts
 * const network = createNetwork({ n: 16, nIn: 2, nOut: 2, seed: 1 });
 * let fraction = 0; // e.g. for a progress bar
 * const result = await train({
 *   network, task: addTask({ lags: [2, 4] }), algorithm: 'rtrl', seed: 2,
 *   optimizer: { type: 'sgd', lr: 0.03 }, steps: 4000, block: 1000, testSteps: 2000,
 *   onProgress: (p) => { fraction = p.step / p.total; },
 * });
 * result.curve.loss.length; // 4
 * ```
 */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const own = ['steps', 'onProgress', 'progressIntervalMs', 'targetLoss', 'patience', 'signal', 'testSteps'];
  const resume = typeof opts === 'object' && opts !== null && 'resume' in opts;
  const o = options('options', opts, [...own, ...(resume ? ['resume'] : TRAINER_KEYS)]);
  const steps = integer('steps', o.steps, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const interval = finite('progressIntervalMs', o.progressIntervalMs ?? 200, { min: 0, max: 3.6e6 });
  const target = o.targetLoss === undefined ? undefined : finite('targetLoss', o.targetLoss);
  const patience = o.patience === undefined ? undefined : integer('patience', o.patience, { min: 1 });
  const testSteps = integer('testSteps', o.testSteps ?? 0, { min: 0, max: 2 ** 31 - 1 });
  const onProgress = o.onProgress === undefined ? undefined : callback<(p: Progress) => void | boolean>('onProgress', o.onProgress);
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new ArgumentError('signal', 'must be an AbortSignal');
  const signal = o.signal as AbortSignal | undefined;
  const trainer = resume ? Trainer.resume(o.resume as Checkpoint) : new Trainer(pick(o, TRAINER_KEYS) as unknown as TrainerOptions);
  try {
    const start = Date.now();
    const first = trainer.steps;
    const block = trainer.block;
    // Chunks of whole blocks, sized so a chunk takes about a tenth of the report interval.
    let chunk = block;
    let done = 0;
    let best = Infinity;
    let sinceBest = 0;
    let lastReport = -Infinity;
    let stopped: StopReason = 'completed';
    const report = (force: boolean): boolean => {
      const now = Date.now();
      if (!onProgress || (!force && now - lastReport < interval)) return true;
      lastReport = now;
      const loss = trainer.curve.loss.at(-1) ?? NaN;
      return onProgress({ step: first + done, total: first + steps, loss, elapsedMs: now - start }) !== false;
    };
    while (done < steps) {
      if (signal?.aborted) { stopped = 'aborted'; break; }
      const t0 = Date.now();
      const want = Math.min(chunk, steps - done);
      const before = trainer.curve.loss.length;
      const got = trainer.run(want);
      done += got;
      if (got < want) { stopped = 'end-of-sequence'; break; }
      const elapsed = Date.now() - t0;
      if (elapsed < interval / 10) chunk = Math.min(chunk * 2, 2 ** 30);
      let early: StopReason | undefined;
      for (const loss of trainer.curve.loss.slice(before)) {
        if (!Number.isFinite(loss)) { early = 'diverged'; break; }
        if (target !== undefined && loss <= target) early = 'target';
        if (loss < best) { best = loss; sinceBest = 0; } else if (patience !== undefined && ++sinceBest >= patience) early ??= 'patience';
      }
      if (early) { stopped = early; break; }
      if (!report(false)) { stopped = 'callback'; break; }
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    report(true);
    return {
      network: trainer.network(),
      curve: trainer.curve,
      steps: trainer.steps,
      stopped,
      testLoss: testSteps > 0 ? trainer.evaluate({ steps: testSteps }) : NaN,
      checkpoint: trainer.checkpoint(),
    };
  } finally {
    trainer.dispose();
  }
}

const TRAINER_KEYS = ['network', 'task', 'algorithm', 'compare', 'optimizer', 'clip', 'seed', 'block'];

/** The entries of `o` under `keys`. */
function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
