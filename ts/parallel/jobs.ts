/**
 * Sweep jobs: plain, JSON-serialisable descriptions of one unit of work (a theory point, a
 * simulation, a training run) and the function that runs one. The same function runs in the
 * calling thread and inside pool workers, so a parallel sweep gives exactly the serial results.
 */

import { ArgumentError } from '../errors.js';
import { iidGaussian } from '../connectivity/iid.js';
import { randomMode } from '../connectivity/randomMode.js';
import { simulateActivity } from '../dynamics/activity.js';
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
export type Job = DimensionJob | DmftJob | SimulateJob | TrainJob;

/** What each job returns. */
export type JobResult =
  | { kind: 'dimension'; prX: number; prPhi: number }
  | { kind: 'dmft'; delta0: number; lyapunovExponent: number; tailRate: number; regime: string }
  | { kind: 'simulate'; delta0: number; prOverN: number; prPhiOverN: number; autocorrelationTime: number }
  | { kind: 'train'; testLoss: number; finalLoss: number; steps: number[]; loss: number[] };

/** The options each kind of job takes. */
const KNOWN: Record<Job['kind'], readonly string[]> = {
  dimension: ['kind', 'g', 'gamma'],
  dmft: ['kind', 'g', 'phi', 'bias', 'noise'],
  simulate: ['kind', 'n', 'g', 'beta', 'duration', 'seed'],
  train: ['kind', 'network', 'task', 'algorithm', 'steps', 'seed', 'optimizer', 'clip', 'block', 'testSteps'],
};

/** Runs one job in this thread. */
export async function runJob(job: Job): Promise<JobResult> {
  const kind = options('job', job).kind as Job['kind'];
  if (!Object.hasOwn(KNOWN, kind)) throw new ArgumentError('kind', "must be 'dimension', 'dmft', 'simulate' or 'train'");
  // Options are named as in the job (`g`, `task.lags`), as the functions the job calls name them.
  const j = options('options', job, KNOWN[kind]) as unknown as Job;
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
    default:
      throw new ArgumentError('kind', "must be 'dimension', 'dmft', 'simulate' or 'train'");
  }
}
