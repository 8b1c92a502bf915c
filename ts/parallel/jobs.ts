/**
 * Sweep jobs: plain, JSON-serialisable descriptions of one unit of work (a theory point, a
 * simulation, a training run) and the function that runs one. The same function runs in the
 * calling thread and inside pool workers, so a parallel sweep gives exactly the serial results.
 */

import { ArgumentError } from '../errors.js';
import { iidGaussian } from '../connectivity/iid.js';
import { randomMode } from '../connectivity/randomMode.js';
import { simulateActivity } from '../dynamics/activity.js';
import { simulateLarge, type WeightedDimension } from '../large/simulateLarge.js';
import type { LargeConnectivity, LargeOptions } from '../large/plan.js';
import type { SpectrumShape } from '../connectivity/spectrum.js';
import type { PhiKind } from '../dynamics/simulation.js';
import { dimension } from '../theory/dimensionTheory.js';
import { solveDMFT } from '../theory/dmft.js';
import type { AlgorithmSpec } from '../learning/algorithms.js';
import { createNetwork, type NetworkOptions } from '../learning/network.js';
import { addTask, mimicTask } from '../learning/tasks.js';
import { train } from '../learning/train.js';
import type { OptimizerOptions } from '../learning/trainer.js';
import { options } from '../validate.js';

/** Mean-field dimension PR^x/N, PR^φ/N at gain g and inverse effective rank γ (tanh). */
export interface DimensionJob { kind: 'dimension'; g: number; gamma?: number }
/** Stationary DMFT at gain g. */
export interface DmftJob { kind: 'dmft'; g: number; phi?: PhiKind; bias?: number; noise?: number }
/**
 * A simulated network of N units at gain g, iid or random-mode with an exponential spectrum of
 * exponent β, measured by `simulateActivity`.
 */
export interface SimulateJob { kind: 'simulate'; n: number; g: number; beta?: number; duration?: number; seed: number }
/**
 * A large-N engine run (`simulateLarge`): iid at gain g, random-mode with an exponential spectrum
 * of exponent β, or any `connectivity` that JSON can describe (iid, or random-mode with a
 * spectrum shape, modes, overlaps, log-normal row gains and output gains); RK4, f32 from
 * N = 2048 on unless `precision` says. `workers` are the engine's own threads (default 0: the
 * job's thread). `weighted` adds the dimensions of weighted or z-scored activity.
 */
export interface LargeJob {
  kind: 'large';
  n: number;
  g?: number;
  beta?: number;
  connectivity?: JsonConnectivity;
  phi?: LargeOptions['phi'];
  bias?: number;
  noise?: number;
  trajectories?: number;
  dt?: number;
  burnIn?: number;
  duration?: number;
  sampleEvery?: number;
  maxLag?: number;
  precision?: 'f32' | 'f64';
  workers?: number;
  weighted?: Record<string, JsonWeighting>;
  seed: number;
  networkSeed?: number;
}
/** A weighting of a large job as JSON gives it (see `LargeWeighting`). */
export interface JsonWeighting {
  weights?: readonly number[] | Float64Array | 'outputGains' | { permutedOutputGains: number };
  zscore?: boolean;
}
/** The couplings of a large job as JSON gives them: lists where the engine takes Float64Arrays. */
export type JsonConnectivity =
  | { kind: 'iid'; g: number; zeroDiagonal?: boolean }
  | {
      kind: 'randomMode';
      spectrum: readonly number[] | Float64Array | { shape: SpectrumShape; g: number; modes?: number };
      overlaps?: number | readonly number[] | Float64Array;
      gains?: readonly number[] | Float64Array | { lognormalSigma: number };
      outputGains?: readonly number[] | Float64Array | { exponentialBeta: number };
    };

const array = (v: unknown) => (Array.isArray(v) ? Float64Array.from(v as number[]) : v);

/** Lists of a JSON connectivity as Float64Arrays. */
function engineConnectivity(c: JsonConnectivity): LargeConnectivity {
  if (c.kind !== 'randomMode') return c;
  const spec = { ...c, spectrum: array(c.spectrum), overlaps: array(c.overlaps), gains: array(c.gains), outputGains: array(c.outputGains) };
  for (const key of ['overlaps', 'gains', 'outputGains'] as const) if (spec[key] === undefined) delete spec[key];
  return spec as LargeConnectivity;
}

/** Lists of JSON weightings as Float64Arrays. */
function engineWeightings(w: Record<string, JsonWeighting> | undefined): LargeOptions['weighted'] {
  if (w === null || typeof w !== 'object') return w;
  return Object.fromEntries(Object.entries(w).map(([name, v]) => [name, v !== null && typeof v === 'object' && 'weights' in v ? { ...v, weights: array(v.weights) } : v])) as LargeOptions['weighted'];
}

/** A training run on the Add task (lags, default [5, 9]) or the Mimic task. */
export interface TrainJob {
  kind: 'train';
  network: NetworkOptions;
  task: { kind: 'add'; lags?: [number, number]; tau?: number } | { kind: 'mimic'; n?: number; seed: number };
  algorithm: AlgorithmSpec;
  steps: number;
  seed: number;
  optimizer?: OptimizerOptions;
  clip?: number;
  block?: number;
  testSteps?: number;
}
/** Any job. */
export type Job = DimensionJob | DmftJob | SimulateJob | LargeJob | TrainJob;

/** What each job returns. */
export type JobResult =
  | { kind: 'dimension'; prX: number; prPhi: number }
  | { kind: 'dmft'; delta0: number; lyapunovExponent: number; tailRate: number; regime: string }
  | { kind: 'simulate'; delta0: number; prOverN: number; prPhiOverN: number; autocorrelationTime: number }
  | {
      kind: 'large'; delta0: number; delta0Se: number; cphi0: number; prX: number; prXSe: number; prPhi: number; prPhiSe: number;
      weighted?: Record<string, WeightedDimension>;
    }
  | { kind: 'train'; testLoss: number; finalLoss: number; steps: number[]; loss: number[] };

/** The options each kind of job takes. */
const KNOWN: Record<Job['kind'], readonly string[]> = {
  dimension: ['kind', 'g', 'gamma'],
  dmft: ['kind', 'g', 'phi', 'bias', 'noise'],
  simulate: ['kind', 'n', 'g', 'beta', 'duration', 'seed'],
  large: [
    'kind', 'n', 'g', 'beta', 'connectivity', 'phi', 'bias', 'noise', 'trajectories', 'dt', 'burnIn', 'duration', 'sampleEvery', 'maxLag',
    'precision', 'workers', 'weighted', 'seed', 'networkSeed',
  ],
  train: ['kind', 'network', 'task', 'algorithm', 'steps', 'seed', 'optimizer', 'clip', 'block', 'testSteps'],
};

/** The job kinds. */
export const JOB_KINDS: readonly Job['kind'][] = Object.keys(KNOWN) as Job['kind'][];

/** Whether a job of this kind takes a `seed`. */
export const seeded = (kind: Job['kind']): boolean => KNOWN[kind].includes('seed');

/**
 * Checks a job's kind and the names of its options (not their values, which the job's function
 * checks when it runs) and returns it typed.
 */
export function checkJob(job: unknown, name = 'job'): Job {
  const kind = options(name, job).kind;
  if (typeof kind !== 'string' || !Object.hasOwn(KNOWN, kind)) {
    throw new ArgumentError('kind', `must be one of ${JOB_KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(kind)}`);
  }
  // Options are named as in the job (`g`, `task.lags`), as the functions the job calls name them.
  return options('options', job, KNOWN[kind as Job['kind']]) as unknown as Job;
}

/** Runs one job in this thread. */
export async function runJob(job: Job): Promise<JobResult> {
  const j = checkJob(job);
  switch (j.kind) {
    case 'dimension': {
      const d = dimension({ g: j.g, gamma: j.gamma ?? 0 });
      return { kind: 'dimension', prX: d.prX, prPhi: d.prPhi };
    }
    case 'dmft': {
      const s = solveDMFT({ g: j.g, phi: j.phi ?? 'tanh', bias: j.bias ?? 0, noise: j.noise ?? 0 });
      return { kind: 'dmft', delta0: s.delta0, lyapunovExponent: s.lyapunovExponent, tailRate: s.tailRate, regime: s.regime };
    }
    case 'simulate': {
      const J = j.beta === undefined
        ? iidGaussian({ n: j.n, g: j.g, seed: j.seed })
        : randomMode({ n: j.n, spectrum: { shape: { kind: 'exponential', beta: j.beta }, g: j.g }, seed: j.seed }).J;
      const a = simulateActivity({ J, seed: j.seed + 1, duration: j.duration ?? 200, method: 'rk4', dt: 0.1, spectrum: false });
      return { kind: 'simulate', delta0: a.delta0, prOverN: a.prOverN, prPhiOverN: a.prPhiOverN, autocorrelationTime: a.autocorrelationTime };
    }
    case 'large': {
      if ((j.connectivity === undefined) === (j.g === undefined)) throw new ArgumentError('connectivity', "give either 'connectivity' or the gain 'g' (with 'beta' for random-mode)");
      if (j.connectivity !== undefined && j.beta !== undefined) throw new ArgumentError('beta', "goes with 'g', not with 'connectivity'");
      const connectivity: LargeConnectivity = j.connectivity !== undefined
        ? engineConnectivity(j.connectivity)
        : (j.beta === undefined ? { kind: 'iid', g: j.g! } : { kind: 'randomMode', spectrum: { shape: { kind: 'exponential', beta: j.beta }, g: j.g! } });
      const { kind: _, g: _g, beta: _b, connectivity: _c, workers, weighted, ...rest } = j;
      const opts: LargeOptions = { ...rest, connectivity, workers: workers ?? 0 };
      if (weighted !== undefined) opts.weighted = engineWeightings(weighted);
      const r = await simulateLarge(opts);
      const out: JobResult = { kind: 'large', delta0: r.delta0, delta0Se: r.delta0Se, cphi0: r.cphi0, prX: r.prX, prXSe: r.prXSe, prPhi: r.prPhi, prPhiSe: r.prPhiSe };
      if (weighted !== undefined) out.weighted = r.weighted;
      return out;
    }
    case 'train': {
      const t = options('task', j.task);
      if (t.kind !== 'add' && t.kind !== 'mimic') throw new ArgumentError('task.kind', "must be 'add' or 'mimic'");
      options('task', t, t.kind === 'add' ? ['kind', 'lags', 'tau'] : ['kind', 'n', 'seed']);
      const task = j.task.kind === 'add'
        ? addTask({ lags: j.task.lags ?? [5, 9], tau: j.task.tau ?? 1 })
        : mimicTask({ n: j.task.n ?? 32, seed: j.task.seed });
      const r = await train({
        network: createNetwork(j.network), task, algorithm: j.algorithm, steps: j.steps, seed: j.seed,
        ...(j.optimizer !== undefined ? { optimizer: j.optimizer } : {}), ...(j.clip !== undefined ? { clip: j.clip } : {}),
        block: j.block ?? Math.max(1, Math.round(j.steps / 50)), testSteps: j.testSteps ?? 10000, progressIntervalMs: 3_600_000,
      });
      return { kind: 'train', testLoss: r.testLoss, finalLoss: r.curve.loss.at(-1) ?? NaN, steps: r.curve.steps, loss: r.curve.loss };
    }
  }
}

/** An error as it crosses from a worker: name, message and, for argument errors, the parameter. */
export function describeError(e: unknown): { name: string; message: string; parameter?: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  const parameter = (err as { parameter?: unknown }).parameter;
  return { name: err.name, message: err.message, ...(typeof parameter === 'string' ? { parameter } : {}) };
}

/** How one job ended, with when it started (ms since 1970) and its wall time (s). */
export type JobOutcome = { started: number; seconds: number } & (
  | { ok: true; result: JobResult }
  | { ok: false; error: { name: string; message: string; parameter?: string } }
);

/** Runs one job and reports how it ended instead of throwing. */
export async function settleJob(job: Job): Promise<JobOutcome> {
  const started = Date.now();
  const t0 = performance.now();
  try {
    const result = await runJob(job);
    return { started, seconds: (performance.now() - t0) / 1000, ok: true, result };
  } catch (e) {
    return { started, seconds: (performance.now() - t0) / 1000, ok: false, error: describeError(e) };
  }
}
