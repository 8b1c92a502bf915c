/**
 * Tasks for online learning (Marschall, Cho & Savin 2020, tasks section), as specifications a
 * training run turns into seeded streams inside WebAssembly.
 */

import { ArgumentError } from '../errors.js';
import { finite, integer, options, seed as checkSeed, vector } from '../validate.js';

/** The Add task: x(t) ~ Bernoulli(½), target probability y(t) = ½ + ½x(t−t₁) − ¼x(t−t₂). */
export interface AddTask {
  readonly kind: 'add';
  /** The lags [t₁, t₂] in task steps. */
  readonly lags: readonly [number, number];
  /** Each sample is held for τ steps (lags in raw steps become τt₁, τt₂). */
  readonly tau: number;
}

/** The Mimic task: reproduce the outputs of a fixed random target RNN driven by Bernoulli inputs. */
export interface MimicTask {
  readonly kind: 'mimic';
  /** Hidden units of the target network. */
  readonly n: number;
  /** Spectral radius of the target's (orthogonal × radius) recurrent weights. */
  readonly radius: number;
  /** Probability of each input bit being 1. */
  readonly pInput: number;
  /** Inputs are held for τ steps. */
  readonly tau: number;
  /** Seed of the target network's weights. */
  readonly seed: number;
}

/** A user sequence of inputs and labels (row-major steps × n_in and steps × n_out). */
export interface SequenceTask {
  readonly kind: 'sequence';
  readonly inputs: Float64Array;
  readonly labels: Float64Array;
  readonly steps: number;
}

/** Any task. */
export type Task = AddTask | MimicTask | SequenceTask;

/**
 * The cross-entropy baselines of the Add task, with H(p) = −p ln p − (1−p) ln(1−p): knowing
 * nothing H(⅝) ≈ 0.6616, only x(t−t₁) ½[H(⅞) + H(⅜)] ≈ 0.5192, both lags (optimal)
 * ¼[H(1) + H(¾) + H(½) + H(¼)] ≈ 0.4544.
 */
export const ADD_TASK_BASELINES: { readonly none: number; readonly first: number; readonly both: number } = (() => {
  const h = (p: number) => (p <= 0 || p >= 1 ? 0 : -p * Math.log(p) - (1 - p) * Math.log(1 - p));
  return { none: h(0.625), first: 0.5 * (h(0.875) + h(0.375)), both: 0.25 * (h(1) + h(0.75) + h(0.5) + h(0.25)) };
})();

/**
 * The Add task (inputs [x, 1−x], labels [y, 1−y]; use with `nIn = nOut = 2` and the
 * cross-entropy loss). Defaults: lags [5, 9], τ = 1, as in the paper's α = 1 runs.
 *
 * @example
 * ```ts
 * const task = addTask({ lags: [5, 9] });
 * ADD_TASK_BASELINES.both; // 0.4544…, the best achievable cross-entropy
 * ```
 */
export function addTask(opts: { lags?: readonly [number, number]; tau?: number } = {}): AddTask {
  const o = options('task', opts);
  const lags = (o.lags ?? [5, 9]) as unknown;
  if (!Array.isArray(lags) || lags.length !== 2) throw new ArgumentError('task.lags', 'must be a pair [t1, t2]');
  const t1 = integer('task.lags[0]', lags[0], { min: 0, max: 100000 });
  const t2 = integer('task.lags[1]', lags[1], { min: 0, max: 100000 });
  const tau = integer('task.tau', o.tau ?? 1, { min: 1, max: 1000 });
  return { kind: 'add', lags: [t1, t2], tau };
}

/**
 * The Mimic task (MSE loss; the learner's nIn and nOut set the target's). Defaults follow the
 * paper's α = 1 runs: a target of 32 units with radius 1, pInput ½, τ = 1.
 *
 * @example
 * ```ts
 * const task = mimicTask({ n: 32, seed: 3 });
 * ```
 */
export function mimicTask(opts: { n?: number; radius?: number; pInput?: number; tau?: number; seed: number }): MimicTask {
  const o = options('task', opts);
  return {
    kind: 'mimic',
    n: integer('task.n', o.n ?? 32, { min: 1, max: 4096 }),
    radius: finite('task.radius', o.radius ?? 1, { min: 0 }),
    pInput: finite('task.pInput', o.pInput ?? 0.5, { min: 0, max: 1 }),
    tau: integer('task.tau', o.tau ?? 1, { min: 1, max: 1000 }),
    seed: checkSeed('task.seed', o.seed),
  };
}

/**
 * A user sequence: `inputs` (steps × nIn) and `labels` (steps × nOut), row-major.
 *
 * @example
 * ```ts
 * const task = sequenceTask({ inputs: new Float64Array(20), labels: new Float64Array(10), nIn: 2, nOut: 1 });
 * task.steps; // 10
 * ```
 */
export function sequenceTask(opts: { inputs: Float64Array; labels: Float64Array; nIn: number; nOut: number }): SequenceTask {
  const o = options('task', opts);
  const nIn = integer('task.nIn', o.nIn, { min: 0 });
  const nOut = integer('task.nOut', o.nOut, { min: 1 });
  const labels = vector('task.labels', o.labels);
  if (labels.length % nOut !== 0) throw new ArgumentError('task.labels', `length ${labels.length} is not a multiple of nOut = ${nOut}`);
  const steps = labels.length / nOut;
  const inputs = vector('task.inputs', o.inputs, steps * nIn);
  return { kind: 'sequence', inputs, labels, steps };
}

/** Checks a task against a network's shape and returns the C-ABI task code and parameters. */
export function encodeTask(task: Task, nIn: number, nOut: number): { code: number; params: number[] } {
  const t = options('task', task);
  switch (t.kind) {
    case 'add': {
      if (nIn !== 2 || nOut !== 2) throw new ArgumentError('task', `the Add task needs nIn = nOut = 2, the network has ${nIn} and ${nOut}`);
      const a = task as AddTask;
      return { code: 0, params: [a.lags[0], a.lags[1], a.tau] };
    }
    case 'mimic': {
      const m = task as MimicTask;
      if (nIn < 1) throw new ArgumentError('task', 'the Mimic task needs nIn ≥ 1');
      return { code: 1, params: [m.n, m.radius, m.pInput, m.tau, m.seed] };
    }
    case 'sequence': {
      const s = task as SequenceTask;
      if (s.inputs.length !== s.steps * nIn || s.labels.length !== s.steps * nOut) {
        throw new ArgumentError('task', `the sequence's shapes do not match the network (nIn = ${nIn}, nOut = ${nOut})`);
      }
      return { code: 2, params: [] };
    }
    default:
      throw new ArgumentError('task', "must come from addTask, mimicTask or sequenceTask");
  }
}
