/**
 * Options of the large-N engine, their validation, and the plan of a run: row blocks per
 * worker, steps, sampling, and the memory each worker needs.
 */

import type { Signal } from '../runtime/platformTypes.js';
import { ArgumentError, MemoryBudgetError } from '../errors.js';
import { MEMORY_LIMIT_BYTES } from '../runtime/call.js';
import { resolveGains, resolveSpectrum } from '../connectivity/randomMode.js';
import type { SpectrumShape } from '../connectivity/spectrum.js';
import { abortSignal, callback, finite, flag, integer, location, nested, oneOf, options, seed as checkSeed, vector } from '../validate.js';

/** The coupling matrix of a large run. */
export type LargeConnectivity =
  /** J_ij ~ N(0, g²/N) iid. */
  | { kind: 'iid'; g: number; zeroDiagonal?: boolean }
  /** The random-mode model with Gaussian modes (see `randomMode`), optional per-mode overlaps and row gains. */
  | {
      kind: 'randomMode';
      spectrum: Float64Array | { shape: SpectrumShape; g: number; modes?: number };
      overlaps?: number | Float64Array;
      gains?: Float64Array | { lognormalSigma: number };
    }
  /** An explicit N×N matrix (row-major), e.g. a connectome. */
  | { kind: 'matrix'; J: Float64Array };

/** Options of {@link simulateLarge}. */
export interface LargeOptions {
  /** Number of units N. */
  n: number;
  /** Couplings, generated from `seed` inside each worker (iid, random-mode) or given. */
  connectivity: LargeConnectivity;
  /** Nonlinearity (default 'tanh'); `{ kind, gain }` for φ(gain·x). */
  phi?: 'tanh' | 'erf' | 'relu' | 'linear' | { kind: 'tanh' | 'erf' | 'relu' | 'linear'; gain?: number };
  /** Constant input b to every unit (default 0). */
  bias?: number;
  /** White-noise amplitude σ (default 0). */
  noise?: number;
  /** Independent trajectories B of the same network (default 8; 1…64). */
  trajectories?: number;
  /** Global index of the first trajectory (default 0): trajectory b of a run is trajectory first + b of the seed's ensemble. */
  firstTrajectory?: number;
  /** Worker threads (Node) or Web Workers (browsers); 0 runs in this thread (default: available cores; at most N/4). */
  workers?: number;
  /** 'f32' or 'f64' (default: f64 below N = 2048, where it costs little, f32 from there on). */
  precision?: 'f32' | 'f64';
  /** RK4 step (default 0.1). */
  dt?: number;
  /** Time discarded before measuring (default 100). */
  burnIn?: number;
  /** Observed time after burn-in (default 200). */
  duration?: number;
  /** Sampling interval of the statistics (default 0.5; rounded to a multiple of dt). */
  sampleEvery?: number;
  /** Largest lag of Δ(τ) and C_φ(τ) (default 20). */
  maxLag?: number;
  /** Units whose traces give Δ(τ), C_φ(τ) (default min(N, 128)). */
  units?: number;
  /** Groups K of trajectories for the cross-trajectory estimator (default: min(B, 8), fewer if memory is short; ≥ 2). */
  blocks?: number;
  /** Initial states x_i(0) ~ N(0, x0Std²) (default 1). */
  x0Std?: number;
  /** Seed of the couplings, the initial states and the noise. */
  seed: number;
  /** Seed of the couplings alone, when it should differ from `seed`. */
  networkSeed?: number;
  /** Progress reports, about twice a second. */
  onProgress?: (p: LargeProgress) => void;
  /** Cancels the run: workers are terminated and the promise rejects (with `workers: 0`, checked once before the run starts). */
  signal?: Signal;
  /** The large-N worker script, when the bundler did not emit it (see `init`'s `workers`). */
  workerUrl?: URL | string;
}

const KNOWN = [
  'n', 'connectivity', 'phi', 'bias', 'noise', 'trajectories', 'firstTrajectory', 'workers', 'precision', 'dt', 'burnIn',
  'duration', 'sampleEvery', 'maxLag', 'units', 'blocks', 'x0Std', 'seed', 'networkSeed', 'onProgress', 'signal', 'workerUrl',
] as const;

/** Most RK4 steps of one run (burn-in and observation): 10^8 steps of dt = 0.1 are 10^7 time units. */
export const MAX_STEPS = 1e8;

/** A progress report of {@link simulateLarge}. */
export interface LargeProgress {
  phase: 'couplings' | 'burnIn' | 'observe' | 'statistics';
  /** Steps done and in all (burn-in and observation). */
  step: number;
  steps: number;
}

const PHI_CODES = { tanh: 0, erf: 1, relu: 2, linear: 3 } as const;

/** Couplings as they cross into WebAssembly. */
export interface CouplingSpec {
  kind: 0 | 1 | 2;
  g: number;
  zeroDiagonal: boolean;
  d?: Float64Array;
  rho?: Float64Array;
  gains?: Float64Array;
  J?: Float64Array;
}

/** A validated run. */
export interface LargePlan {
  n: number;
  couplings: CouplingSpec;
  phiKind: number;
  phiGain: number;
  bias: number;
  noise: number;
  trajectories: number;
  firstTrajectory: number;
  workers: number;
  precision: 'f32' | 'f64';
  dt: number;
  burnInSteps: number;
  observeSteps: number;
  stride: number;
  maxLag: number;
  units: number;
  blocks: number;
  buffer: number;
  x0Std: number;
  seed: number;
  networkSeed: number;
  /** Row boundaries: worker w holds rows bounds[w]..bounds[w+1]. */
  bounds: number[];
  /** Bytes the largest worker needs. */
  bytesPerWorker: number;
}

/** Samples buffered before they are added to the second moments. */
const BUFFER = 32;

/** Row boundaries for k workers, multiples of 4 (the panel height). */
export function rowBounds(n: number, k: number): number[] {
  const b = [0];
  for (let w = 1; w < k; w++) b.push(Math.min(n, Math.round((w * n) / k / 4) * 4));
  b.push(n);
  return b;
}

/** Peak bytes of a worker holding `rows` rows. */
function workerBytes(p: Omit<LargePlan, 'bytesPerWorker' | 'bounds'>, rows: number): number {
  const e = p.precision === 'f32' ? 4 : 8;
  const pad = Math.ceil(rows / 4) * 4;
  const { n, trajectories: b } = p;
  const samples = Math.floor(p.observeSteps / p.stride);
  const modes = p.couplings.d?.length ?? 0;
  const generation = p.couplings.kind === 1 ? 8 * (n * modes + 2 * rows * modes + rows * n) : p.couplings.kind === 2 ? 8 * rows * n : 0;
  const run =
    e * pad * n + // J rows
    2 * e * p.blocks * pad * n + // grouped moments of x and φ
    2 * e * b * n * BUFFER + // sample buffers
    e * b * (3 * n + 6 * pad) + // states, stages, full buffers
    16 * b * n + // means
    2 * 8 * b * Math.min(p.units, rows) * samples; // traces
  return Math.max(generation + e * pad * n, run) + (1 << 22);
}

function resolveCouplings(value: unknown, n: number, seed: number): CouplingSpec {
  const c = options('connectivity', value);
  switch (c.kind) {
    case 'iid':
      options('connectivity', c, ['kind', 'g', 'zeroDiagonal']);
      return {
        kind: 0,
        g: finite('connectivity.g', c.g, { min: 0 }),
        zeroDiagonal: c.zeroDiagonal === undefined ? false : flag('connectivity.zeroDiagonal', c.zeroDiagonal),
      };
    case 'randomMode': {
      options('connectivity', c, ['kind', 'spectrum', 'overlaps', 'gains']);
      const d = nested('connectivity.spectrum', () => resolveSpectrum(c.spectrum, n));
      let rho: Float64Array | undefined;
      if (c.overlaps !== undefined) {
        rho = typeof c.overlaps === 'number' ? new Float64Array(d.length).fill(finite('connectivity.overlaps', c.overlaps)) : vector('connectivity.overlaps', c.overlaps, d.length);
        for (const r of rho) if (Math.abs(r) > 1) throw new ArgumentError('connectivity.overlaps', `must lie in [−1, 1], got ${r}`);
      }
      const gains = nested('connectivity.gains', () => resolveGains(c.gains, n, seed));
      const spec: CouplingSpec = { kind: 1, g: 0, zeroDiagonal: false, d };
      if (rho) spec.rho = rho;
      if (gains) spec.gains = gains;
      return spec;
    }
    case 'matrix':
      options('connectivity', c, ['kind', 'J']);
      return { kind: 2, g: 0, zeroDiagonal: false, J: vector('connectivity.J', c.J, n * n) };
    default:
      throw new ArgumentError('connectivity.kind', `must be 'iid', 'randomMode' or 'matrix', got ${String(c.kind)}`);
  }
}

function resolvePhi(value: unknown): { kind: number; gain: number } {
  if (value === undefined || typeof value === 'string') {
    return { kind: PHI_CODES[oneOf('phi', value ?? 'tanh', ['tanh', 'erf', 'relu', 'linear'] as const)], gain: 1 };
  }
  const o = options('phi', value, ['kind', 'gain']);
  return {
    kind: PHI_CODES[oneOf('phi.kind', o.kind, ['tanh', 'erf', 'relu', 'linear'] as const)],
    gain: o.gain === undefined ? 1 : finite('phi.gain', o.gain),
  };
}

/** Validates `opts` (every check before any allocation) and plans the run for `defaultWorkers` cores. */
export function planLarge(opts: LargeOptions, defaultWorkers: number): LargePlan {
  const o = options('options', opts, KNOWN);
  if (o.onProgress !== undefined) callback('onProgress', o.onProgress);
  if (o.signal !== undefined) abortSignal('signal', o.signal);
  if (o.workerUrl !== undefined) location('workerUrl', o.workerUrl);
  const n = integer('n', o.n, { min: 4, max: 65536 });
  const seed = checkSeed('seed', o.seed);
  const networkSeed = o.networkSeed === undefined ? seed : checkSeed('networkSeed', o.networkSeed);
  const couplings = resolveCouplings(o.connectivity, n, networkSeed);
  const phi = resolvePhi(o.phi);
  const trajectories = integer('trajectories', o.trajectories ?? 8, { min: 1, max: 64 });
  const workers = integer('workers', o.workers ?? defaultWorkers, { min: 0, max: 64 });
  const dt = finite('dt', o.dt ?? 0.1, { min: 0, exclusiveMin: true, max: 1 });
  const burnIn = finite('burnIn', o.burnIn ?? 100, { min: 0 });
  const duration = finite('duration', o.duration ?? 200, { min: 0, exclusiveMin: true });
  const sampleEvery = finite('sampleEvery', o.sampleEvery ?? 0.5, { min: 0, exclusiveMin: true });
  const stride = Math.max(1, Math.round(sampleEvery / dt));
  const observeSteps = Math.round(duration / dt);
  const samples = Math.floor(observeSteps / stride);
  const maxLag = Math.round(finite('maxLag', o.maxLag ?? 20, { min: 0 }) / (stride * dt));
  if (samples < 2 || samples <= maxLag) {
    throw new ArgumentError('duration', `gives ${samples} samples per trajectory; need at least 2 and more than maxLag/sampleEvery = ${maxLag}`);
  }
  if (Math.round(burnIn / dt) + observeSteps > MAX_STEPS) {
    throw new ArgumentError('dt', `gives ${Math.round(burnIn / dt) + observeSteps} RK4 steps for burnIn + duration, more than ${MAX_STEPS}: use a larger dt or a shorter run`);
  }
  if (trajectories < 2 && o.blocks === undefined) {
    throw new ArgumentError('trajectories', 'must be ≥ 2: the trajectories are the independent blocks of the dimension estimator');
  }
  const base = {
    n,
    couplings,
    phiKind: phi.kind,
    phiGain: phi.gain,
    bias: finite('bias', o.bias ?? 0),
    noise: finite('noise', o.noise ?? 0, { min: 0 }),
    trajectories,
    firstTrajectory: checkSeed('firstTrajectory', o.firstTrajectory ?? 0),
    workers,
    precision: oneOf('precision', o.precision ?? (n < 2048 ? 'f64' : 'f32'), ['f32', 'f64'] as const),
    dt,
    burnInSteps: Math.round(burnIn / dt),
    observeSteps,
    stride,
    maxLag,
    units: integer('units', o.units ?? Math.min(n, 128), { min: 1, max: n }),
    blocks: 0,
    buffer: BUFFER,
    x0Std: finite('x0Std', o.x0Std ?? 1, { min: 0 }),
    seed,
    networkSeed,
  };
  // Every worker holds at least one panel of four rows.
  const bounds = rowBounds(n, Math.max(1, Math.min(workers, Math.floor(n / 4))));
  const rows = Math.max(...bounds.slice(1).map((b, w) => b - bounds[w]!));
  if (o.blocks !== undefined) {
    base.blocks = integer('blocks', o.blocks, { min: 1, max: trajectories });
  } else {
    base.blocks = Math.min(trajectories, 8);
    while (base.blocks > 2 && workerBytes(base, rows) > MEMORY_LIMIT_BYTES) base.blocks -= 1;
  }
  const bytesPerWorker = workerBytes(base, rows);
  if (bytesPerWorker > MEMORY_LIMIT_BYTES) {
    throw new MemoryBudgetError(workers > 1 ? 'n' : 'workers', bytesPerWorker, MEMORY_LIMIT_BYTES);
  }
  return { ...base, bounds, bytesPerWorker };
}
