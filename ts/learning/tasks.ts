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

/** Largest Add-task lag (the stream keeps the last max(t₁, t₂) inputs). */
const MAX_LAG = 100000;
/** Largest stretching τ. */
const MAX_TAU = 1000;
/**
 * Largest orthogonally initialised network (learner or Mimic target): the QR factorisation
 * behind it costs O(n³), about 1.5 s at n = 1024 and 8× that per doubling.
 */
const MAX_ORTHOGONAL = 1024;

/** The size of an orthogonally initialised network: an integer in [1, {@link MAX_ORTHOGONAL}]. */
export function orthogonalSize(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > MAX_ORTHOGONAL) {
    throw new ArgumentError(name, `must be ≤ ${MAX_ORTHOGONAL}, got ${value}: the orthogonal initialisation costs O(n³) `
      + `(about 1.5 s at ${MAX_ORTHOGONAL}, 8× that per doubling)`);
  }
  return integer(name, value, { min: 1, max: MAX_ORTHOGONAL });
}

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
  const o = options('task', opts, ['lags', 'tau']);
  return checkAdd('task', o);
}

function checkAdd(name: string, o: Record<string, unknown>): AddTask {
  const lags = (o.lags ?? [5, 9]) as unknown;
  if (!Array.isArray(lags) || lags.length !== 2) throw new ArgumentError(`${name}.lags`, 'must be a pair [t1, t2]');
  const t1 = integer(`${name}.lags[0]`, lags[0], { min: 0, max: MAX_LAG });
  const t2 = integer(`${name}.lags[1]`, lags[1], { min: 0, max: MAX_LAG });
  const tau = integer(`${name}.tau`, o.tau ?? 1, { min: 1, max: MAX_TAU });
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
  return checkMimic('task', options('task', opts, ['n', 'radius', 'pInput', 'tau', 'seed']));
}

function checkMimic(name: string, o: Record<string, unknown>): MimicTask {
  return {
    kind: 'mimic',
    n: orthogonalSize(`${name}.n`, o.n ?? 32),
    radius: finite(`${name}.radius`, o.radius ?? 1, { min: 0, max: 1e6 }),
    pInput: finite(`${name}.pInput`, o.pInput ?? 0.5, { min: 0, max: 1 }),
    tau: integer(`${name}.tau`, o.tau ?? 1, { min: 1, max: MAX_TAU }),
    seed: checkSeed(`${name}.seed`, o.seed),
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
  const o = options('task', opts, ['inputs', 'labels', 'nIn', 'nOut']);
  const nIn = integer('task.nIn', o.nIn, { min: 0, max: 4096 });
  const nOut = integer('task.nOut', o.nOut, { min: 1, max: 4096 });
  const labels = vector('task.labels', o.labels);
  if (labels.length % nOut !== 0) throw new ArgumentError('task.labels', `length ${labels.length} is not a multiple of nOut = ${nOut}`);
  const steps = labels.length / nOut;
  const inputs = vector('task.inputs', o.inputs, steps * nIn);
  return { kind: 'sequence', inputs, labels, steps };
}

/**
 * Checks a task (from the factories above, or built by hand) as the factories do, and returns a
 * fresh copy of its parameters (a sequence keeps its arrays).
 */
export function checkTask(name: string, value: unknown): Task {
  const o = options(name, value);
  switch (o.kind) {
    case 'add':
      options(name, value, ['kind', 'lags', 'tau']);
      return checkAdd(name, o);
    case 'mimic':
      options(name, value, ['kind', 'n', 'radius', 'pInput', 'tau', 'seed']);
      return checkMimic(name, o);
    case 'sequence': {
      options(name, value, ['kind', 'inputs', 'labels', 'steps']);
      const steps = integer(`${name}.steps`, o.steps, { min: 0, max: 2 ** 31 - 1 });
      const labels = vector(`${name}.labels`, o.labels);
      const inputs = vector(`${name}.inputs`, o.inputs);
      return { kind: 'sequence', inputs, labels, steps };
    }
    default:
      throw new ArgumentError(`${name}.kind`, "must be 'add', 'mimic' or 'sequence' (use addTask, mimicTask or sequenceTask)");
  }
}

/**
 * Checks a task (see {@link checkTask}) against a network's shape and returns it with the C-ABI
 * task code and parameters.
 */
export function encodeTask(name: string, value: unknown, nIn: number, nOut: number): { task: Task; code: number; params: number[] } {
  const task = checkTask(name, value);
  switch (task.kind) {
    case 'add':
      if (nIn !== 2 || nOut !== 2) throw new ArgumentError(name, `the Add task needs nIn = nOut = 2, the network has ${nIn} and ${nOut}`);
      return { task, code: 0, params: [task.lags[0], task.lags[1], task.tau] };
    case 'mimic':
      if (nIn < 1) throw new ArgumentError(name, 'the Mimic task needs nIn ≥ 1');
      return { task, code: 1, params: [task.n, task.radius, task.pInput, task.tau, task.seed] };
    case 'sequence':
      if (task.inputs.length !== task.steps * nIn || task.labels.length !== task.steps * nOut) {
        throw new ArgumentError(name, `the sequence's shapes do not match its steps and the network (nIn = ${nIn}, nOut = ${nOut})`);
      }
      return { task, code: 2, params: [] };
  }
}
