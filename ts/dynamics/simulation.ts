import { ArgumentError, NoSolutionError, RnnlabError, type DivergenceError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { WasmObject } from '../runtime/handle.js';
import { guarded } from '../runtime/module.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { finite, flag, integer, oneOf, options, seed as checkSeed, vector } from '../validate.js';
import { BLOCK_ESTIMATES_LEN, MIN_BLOCKS, decodeBlockEstimates, type BlockEstimates } from '../stats/blocks.js';

/** Nonlinearity φ: a name, or a name with a neuronal gain a (φ(x) = kind(a·x)). */
export type PhiOption = PhiKind | { kind: PhiKind; gain?: number };
/** tanh x; erf(√π x/2) (slope 1 at 0); max(0, x); x. */
export type PhiKind = 'tanh' | 'erf' | 'relu' | 'linear';

const PHI_KINDS = ['tanh', 'erf', 'relu', 'linear'] as const;

/** The crate's code of a nonlinearity (its index in tanh, erf, relu, linear). */
export function phiCode(kind: PhiKind): number {
  return PHI_KINDS.indexOf(kind);
}

/** The keys of {@link SimulationOptions}. */
export const SIMULATION_KEYS = ['J', 'phi', 'method', 'dt', 'noise', 'bias', 'x0', 'x0Std', 'seed'] as const;

/** A validated {@link PhiOption}: a kind, or `{ kind, gain }` with a finite gain > 0. */
export function phiOption(name: string, value: unknown): { kind: PhiKind; gain: number } {
  if (typeof value === 'string') return { kind: oneOf(name, value, PHI_KINDS), gain: 1 };
  const o = options(name, value, ['kind', 'gain']);
  const kind = oneOf(`${name}.kind`, o.kind, PHI_KINDS);
  return { kind, gain: o.gain === undefined ? 1 : finite(`${name}.gain`, o.gain, { min: 0, exclusiveMin: true }) };
}

/** Options of a {@link Simulation}. */
export interface SimulationOptions {
  /** Couplings J (N×N). Copied into the simulation. */
  J: Matrix;
  /** Nonlinearity (default `'tanh'`). */
  phi?: PhiOption;
  /** Integrator: `'euler'` (default) or `'rk4'`. */
  method?: 'euler' | 'rk4';
  /** Time step in units of the neuronal time constant (default 0.05). */
  dt?: number;
  /** White-noise amplitude σ: ⟨I_i(t)I_j(t')⟩ = σ² δ_ij δ(t−t') (default 0). */
  noise?: number;
  /** Constant input b (length N; default 0). */
  bias?: Float64Array;
  /** Initial state (length N); default x_i(0) ~ N(0, x0Std²) drawn from the seed. */
  x0?: Float64Array;
  /** Standard deviation of the random initial state (default 1). */
  x0Std?: number;
  /** Seed of the initial state and the noise. */
  seed: number;
}

/** Options of {@link Simulation.run}. */
export interface RunOptions {
  /** Number of steps. */
  steps: number;
  /** What to record: `'x'` (default), `'phi'`, `'both'` or `'none'`. */
  record?: 'x' | 'phi' | 'both' | 'none';
  /** Record every `stride` steps (default 1). */
  stride?: number;
  /** Record the first `units` neurons (default all). */
  units?: number;
  /** Time-dependent input I(t): steps×N row-major, row t applied during step t. */
  drive?: Float64Array;
}

/** A recorded run: time-major matrices (rows are time points). */
export interface Recording {
  /** Times of the rows, counted from the simulation's start. */
  times: Float64Array;
  x?: Matrix;
  phi?: Matrix;
}

/** Streaming statistics of x or φ(x). */
export interface StreamStatistics {
  /** Number of samples accumulated. */
  count: number;
  mean: Float64Array;
  /** Covariance normalised by the number of samples. */
  covariance: Matrix;
  /** Block estimates (participation ratios, variance statistics), when statistics were enabled with `blocks` ≥ 2 (about B²N² operations per call). */
  estimates?: BlockEstimates;
}

/** Options of {@link Simulation.enableStatistics}. */
export interface StatisticsOptions {
  /** Accumulate statistics of x (default true). */
  x?: boolean;
  /** Accumulate statistics of φ(x) (default false). */
  phi?: boolean;
  /** Sample every `stride` steps (default 1). */
  stride?: number;
  /** Split the samples into this many consecutive time blocks (default 1; else at least 3). */
  blocks?: number;
  /** Samples per block (required when `blocks` ≥ 2); samples after the last block is full are not used. */
  samplesPerBlock?: number;
}

/**
 * A rate network dx/dt = −x + J φ(x) + b + I(t) + σξ(t) integrated with a fixed step inside
 * WebAssembly (Euler–Maruyama, or RK4 with an additive noise increment). Dispose it when done.
 * A run whose state leaves |x_i| ≤ 1e100 (an unstable network, or dt too large for the
 * integrator) stops with a {@link DivergenceError}; the state stays diverged until `setState`.
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 100, g: 2, seed: 1 });
 * using sim = new Simulation({ J, seed: 2 });
 * sim.run({ steps: 200, record: 'none' }); // burn-in
 * const { x } = sim.run({ steps: 1000, stride: 10 }); // x: 100 × 100
 * ```
 */
export class Simulation extends WasmObject {
  /** Number of units. */
  readonly n: number;
  /** Time step. */
  readonly dt: number;
  /** Number of blocks of the enabled streaming statistics. */
  private statBlocks = 1;

  constructor(opts: SimulationOptions) {
    const o = options('options', opts, SIMULATION_KEYS);
    const J = checkMatrix('J', o.J, { square: true });
    const n = J.rows;
    const { kind: phiKind, gain: phiGain } = phiOption('phi', o.phi ?? 'tanh');
    const method = oneOf('method', o.method ?? 'euler', ['euler', 'rk4'] as const);
    const dt = finite('dt', o.dt ?? 0.05, { min: 0, exclusiveMin: true, max: 10 });
    const noise = finite('noise', o.noise ?? 0, { min: 0 });
    const bias = o.bias === undefined ? undefined : vector('bias', o.bias, n);
    const x0 = o.x0 === undefined ? undefined : vector('x0', o.x0, n);
    const x0Std = finite('x0Std', o.x0Std ?? 1, { min: 0 });
    const seed = checkSeed('seed', o.seed);
    checkBudget('J', 8 * 2 * n * n);
    const handle = call((b) => {
      const h = b.exports.rnl_sim_new(
        n, b.input(J.data), phiCode(phiKind), phiGain, method === 'euler' ? 0 : 1, dt, noise,
        b.optional(bias), b.optional(x0), x0Std, seed,
      );
      if (h === 0) b.check(1);
      return h;
    });
    super(handle, (exports, h) => exports.rnl_sim_free(h));
    this.n = n;
    this.dt = dt;
  }

  /** Steps taken so far. */
  get steps(): number {
    const h = this.handle;
    return guarded((e) => e.rnl_sim_steps(h));
  }

  /** Current time (steps × dt). */
  get time(): number {
    return this.steps * this.dt;
  }

  /**
   * Advances `steps` steps, recording as asked (see {@link RunOptions}). Throws
   * {@link DivergenceError} if the state diverges (see the class doc).
   */
  run(opts: RunOptions): Recording {
    const o = options('options', opts, ['steps', 'record', 'stride', 'units', 'drive']);
    const steps = integer('steps', o.steps, { min: 0, max: 2 ** 31 - 1 });
    const record = oneOf('record', o.record ?? 'x', ['x', 'phi', 'both', 'none'] as const);
    const stride = integer('stride', o.stride ?? 1, { min: 1 });
    const units = integer('units', o.units ?? this.n, { min: 1, max: this.n });
    const drive = o.drive === undefined ? undefined : vector('drive', o.drive, steps * this.n);
    const rows = record === 'none' ? 0 : Math.floor(steps / stride);
    const wantX = record === 'x' || record === 'both';
    const wantPhi = record === 'phi' || record === 'both';
    checkBudget('steps', 8 * rows * units * (wantX && wantPhi ? 2 : 1) + 8 * (drive?.length ?? 0));
    const h = this.handle;
    const start = this.steps;
    return call((b) => {
      const outX = wantX ? b.output(rows * units) : 0;
      const outPhi = wantPhi ? b.output(rows * units) : 0;
      b.check(b.exports.rnl_sim_run(h, steps, b.optional(drive), record === 'none' ? 0 : stride, units, outX, outPhi));
      const times = new Float64Array(rows);
      for (let r = 0; r < rows; r++) times[r] = (start + (r + 1) * stride) * this.dt;
      const out: Recording = { times };
      if (wantX) out.x = matrix(rows, units, b.read(outX, rows * units));
      if (wantPhi) out.phi = matrix(rows, units, b.read(outPhi, rows * units));
      return out;
    });
  }

  /** A copy of the current state x. */
  state(): Float64Array {
    const h = this.handle;
    return call((b) => {
      const out = b.output(this.n);
      b.check(b.exports.rnl_sim_get_state(h, out));
      return b.read(out, this.n);
    });
  }

  /** Sets the current state x. */
  setState(x: Float64Array): void {
    vector('x', x, this.n);
    const h = this.handle;
    call((b) => b.check(b.exports.rnl_sim_set_state(h, b.input(x))));
  }

  /**
   * (Re)starts streaming mean and covariance of x and/or φ(x), sampled every `stride` steps of
   * later runs, without storing the trajectory (memory N² per statistic, B·N² with `blocks`).
   * With `blocks` ≥ 2 the samples fill consecutive time blocks and {@link statistics} adds
   * block estimates of the participation ratio (see {@link BlockEstimates}).
   *
   * @example
   * ```ts
   * const J = iidGaussian({ n: 50, g: 2, seed: 1 });
   * using sim = new Simulation({ J, method: 'rk4', dt: 0.1, seed: 2 });
   * sim.run({ steps: 300, record: 'none' });
   * sim.enableStatistics({ x: true, phi: true, stride: 5, blocks: 4, samplesPerBlock: 50 });
   * sim.run({ steps: 1000, record: 'none' });
   * sim.statistics('x').estimates?.cross; // { pr, prOverN, se, seOverN }
   * ```
   */
  enableStatistics(opts: StatisticsOptions = {}): void {
    const o = options('options', opts, ['x', 'phi', 'stride', 'blocks', 'samplesPerBlock']);
    const stride = integer('stride', o.stride ?? 1, { min: 1 });
    const x = o.x === undefined ? true : flag('x', o.x);
    const phi = o.phi === undefined ? false : flag('phi', o.phi);
    const blocks = integer('blocks', o.blocks ?? 1, { min: 1, max: 2 ** 20 });
    if (blocks === 2) throw new ArgumentError('blocks', `must be 1 or at least ${MIN_BLOCKS} (jackknife errors need ${MIN_BLOCKS})`);
    if (blocks > 1 && o.samplesPerBlock === undefined) {
      throw new ArgumentError('samplesPerBlock', 'is required with blocks ≥ 2');
    }
    const perBlock = o.samplesPerBlock === undefined ? undefined : integer('samplesPerBlock', o.samplesPerBlock, { min: 1, max: 2 ** 31 - 1 });
    checkBudget('blocks', 8 * blocks * this.n * this.n * ((x ? 1 : 0) + (phi ? 1 : 0)));
    const h = this.handle;
    if (perBlock === undefined) {
      guarded((e) => e.rnl_sim_enable_stats(h, x ? 1 : 0, phi ? 1 : 0, stride));
    } else {
      call((b) => b.check(b.exports.rnl_sim_enable_block_stats(h, x ? 1 : 0, phi ? 1 : 0, stride, blocks, perBlock)));
    }
    this.statBlocks = blocks;
  }


  /**
   * The streamed statistics of `'x'` or `'phi'` so far. Throws {@link RnnlabError} if they were
   * not enabled or have no sample yet, and {@link NoSolutionError} if the block estimates are
   * undefined (a block without variance).
   */
  statistics(which: 'x' | 'phi' = 'x'): StreamStatistics {
    const w = oneOf('which', which, ['x', 'phi'] as const) === 'x' ? 0 : 1;
    const h = this.handle;
    const n = this.n;
    return call((b) => {
      const count = b.exports.rnl_sim_stats_count(h, w);
      if (count < 0) throw new RnnlabError(`statistics of '${which}' were not enabled (call enableStatistics)`);
      if (count === 0) throw new RnnlabError(`no samples of '${which}' yet (run the simulation first)`);
      checkBudget('n', 8 * 2 * n * n);
      const mean = b.output(n);
      const cov = b.output(n * n);
      b.check(b.exports.rnl_sim_stats(h, w, mean, cov));
      const out: StreamStatistics = { count, mean: b.read(mean, n), covariance: matrix(n, n, b.read(cov, n * n)) };
      if (this.statBlocks > 1) {
        const est = b.output(BLOCK_ESTIMATES_LEN);
        b.check(b.exports.rnl_sim_block_estimates(h, w, est));
        out.estimates = decodeBlockEstimates(
          b.read(est, BLOCK_ESTIMATES_LEN),
          () => new NoSolutionError(`the block estimates of '${which}' are undefined: a block has no variance`),
        );
      }
      return out;
    });
  }
}
