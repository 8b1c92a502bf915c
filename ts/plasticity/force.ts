/**
 * FORCE learning (Sussillo & Abbott 2009, Neuron 63:544): a chaotic rate network
 * τ dx/dt = −x + J r + w_f z, r = tanh(x), whose readout z = wᵀr is fed back through w_f and
 * trained online by recursive least squares (P(0) = I/α; every Δt: k = P r, c = 1/(1 + rᵀk),
 * P ← P − c k kᵀ, w ← w − c e₋ k with e₋ = wᵀr − f(t) the error before the update).
 * The network lives in WebAssembly; dispose it when done. See `crate/src/plasticity/force.rs`.
 */

import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { WasmObject } from '../runtime/handle.js';
import { matrix, type Matrix } from '../matrix.js';
import { callback, finite, integer, options, seed as checkSeed, vector } from '../validate.js';

/** Options of a {@link ForceNetwork} (times in ms; defaults are the paper's values). */
export interface ForceOptions {
  /**
   * Number of units N (default 1000, at most 4096: every RLS update rewrites the N × N matrix P,
   * about 20 ms per step at N = 4096 and 4× that per doubling).
   */
  n?: number;
  /** Coupling gain g (default 1.5: chaotic without feedback). */
  g?: number;
  /** Connection probability of J (default 0.1); nonzero entries are N(0, g²/(pN)). */
  p?: number;
  /** Regulariser of P(0) = I/α (default 1; in [1e−12, 1e12]). */
  alpha?: number;
  /** Time constant τ (default 10 ms). */
  tau?: number;
  /** Euler step (default 1 ms = 0.1 τ), at most τ. */
  dt?: number;
  /** Steps between RLS updates (default 2). */
  learnEvery?: number;
  /** Half-width a of the feedback weights w_f ~ U(−a, a) (default 1; 0 opens the loop). */
  feedback?: number;
  /** Seed of J, w_f and the initial state x(0) ~ N(0, 0.5²). */
  seed: number;
}

/** A progress report of {@link ForceNetwork.train}. */
export interface ForceProgress {
  /** Steps trained so far in this call. */
  step: number;
  /** Steps asked for in this call. */
  total: number;
  /** RMS of z − f over the steps trained so far in this call. */
  rmsError: number;
  /** Wall-clock milliseconds since the call started. */
  elapsedMs: number;
}

/** Options of {@link ForceNetwork.train}. */
export interface ForceTrainOptions {
  /** The target f: one value per step, or a function of the time (ms) at the end of each step. */
  target: Float64Array | ((t: number) => number);
  /** Steps to train (at most 10^7 per call: the traces hold five values per step). */
  steps: number;
  /**
   * Called after each chunk of steps (2000, fewer for large N so that reports come every few
   * tenths of a second); returning `false` stops training.
   */
  onProgress?: (p: ForceProgress) => void | boolean;
}

/** The output of a run: one entry per step. */
export interface ForceTrace {
  /** Time (ms since the network was created) at the end of each step. */
  time: Float64Array;
  /** Output z = wᵀr of each step (before that step's weight update). */
  output: Float64Array;
}

/** What {@link ForceNetwork.train} returns (one entry per step trained). */
export interface ForceTrainResult extends ForceTrace {
  target: Float64Array;
  /** z − f per step (on learning steps the error e₋ before the update). */
  error: Float64Array;
  /** |Δw| per step (0 on steps without an update). */
  dw: Float64Array;
}

/** The current state of a {@link ForceNetwork}. */
export interface ForceState {
  /** Currents x (N). */
  x: Float64Array;
  /** Readout weights w (N). */
  w: Float64Array;
  /** Output z of the last step. */
  z: number;
  /** Steps taken since creation. */
  steps: number;
}

/** Most steps per call into WebAssembly between progress reports. */
const CHUNK = 2000;
/** Largest N (see {@link ForceOptions.n}). */
const MAX_N = 4096;
/** Most steps per call of train or run. */
const MAX_STEPS = 1e7;

/**
 * A FORCE network (Sussillo & Abbott 2009, Fig. 1A). {@link ForceNetwork.train} learns a target
 * online; {@link ForceNetwork.run} runs with learning off (testing).
 *
 * @example
 * ```ts
 * using net = new ForceNetwork({ n: 100, seed: 1 });
 * const f = sumOfSines({ period: 300 });
 * const trained = net.train({ target: f, steps: 1200 });
 * trained.error.length; // 1200
 * const test = net.run({ steps: 600 });
 * test.output.length; // 600
 * ```
 */
export class ForceNetwork extends WasmObject {
  /** Number of units N. */
  readonly n: number;
  /** Euler step in ms. */
  readonly dt: number;
  /** Steps per call into WebAssembly: about 10^8 entries of P rewritten at most. */
  readonly #chunk: number;

  constructor(opts: ForceOptions) {
    const o = options('options', opts, ['n', 'g', 'p', 'alpha', 'tau', 'dt', 'learnEvery', 'feedback', 'seed']);
    if (typeof o.n === 'number' && Number.isInteger(o.n) && o.n > MAX_N) {
      throw new ArgumentError('n', `must be ≤ ${MAX_N}, got ${o.n}: every RLS update rewrites the N × N matrix P `
        + `(about 20 ms per step at N = ${MAX_N}, 4× that per doubling)`);
    }
    const n = integer('n', o.n ?? 1000, { min: 1, max: MAX_N });
    const g = finite('g', o.g ?? 1.5, { min: 0, max: 1e3 });
    const p = finite('p', o.p ?? 0.1, { min: 0, max: 1, exclusiveMin: true });
    const alpha = finite('alpha', o.alpha ?? 1, { min: 1e-12, max: 1e12 });
    const tau = finite('tau', o.tau ?? 10, { min: 0, exclusiveMin: true });
    const dt = finite('dt', o.dt ?? 1, { min: 0, max: tau, exclusiveMin: true });
    const learnEvery = integer('learnEvery', o.learnEvery ?? 2, { min: 1, max: 2 ** 31 - 1 });
    const feedback = finite('feedback', o.feedback ?? 1, { min: 0, max: 1e3 });
    const seed = checkSeed('seed', o.seed);
    // J (dense while drawn, then sparse), P, and the N² output of connectivity().
    checkBudget('n', 8 * 3 * n * n);
    const handle = call((b) => {
      const h = b.exports.rnl_force_new(n, g, p, alpha, tau, dt, learnEvery, feedback, seed);
      if (h === 0) b.check(1);
      return h;
    });
    super(handle, (exports, h) => exports.rnl_force_free(h));
    this.n = n;
    this.dt = dt;
    this.#chunk = Math.max(1, Math.min(CHUNK, Math.floor(1e8 / (n * n))));
  }

  /** Steps taken since creation. */
  get steps(): number {
    return this.state().steps;
  }

  /**
   * Runs `steps` steps with RLS learning towards `target` (see {@link ForceTrainOptions});
   * returns the output, target, error and |Δw| traces.
   */
  train(opts: ForceTrainOptions): ForceTrainResult {
    const o = options('options', opts, ['target', 'steps', 'onProgress']);
    const steps = integer('steps', o.steps, { min: 0, max: MAX_STEPS });
    const onProgress = o.onProgress === undefined ? undefined : callback<(p: ForceProgress) => void | boolean>('onProgress', o.onProgress);
    const t0 = this.steps;
    const time = this.#times(t0, steps);
    let target: Float64Array;
    if (typeof o.target === 'function') {
      const f = o.target as (t: number) => number;
      target = time.map((t) => f(t));
      vector('target', target);
    } else {
      target = vector('target', o.target, steps);
    }
    const output = new Float64Array(steps);
    const dw = new Float64Array(steps);
    const start = Date.now();
    let done = 0;
    let sumSq = 0;
    while (done < steps) {
      const k = Math.min(this.#chunk, steps - done);
      this.#run(k, target.subarray(done, done + k), output, dw, done);
      for (let i = done; i < done + k; i++) sumSq += (output[i]! - target[i]!) ** 2;
      done += k;
      if (onProgress) {
        const go = onProgress({ step: done, total: steps, rmsError: Math.sqrt(sumSq / done), elapsedMs: Date.now() - start });
        if (go === false) break;
      }
    }
    const error = output.subarray(0, done).map((z, i) => z - target[i]!);
    return {
      time: time.slice(0, done), output: output.slice(0, done), target: target.slice(0, done), error, dw: dw.slice(0, done),
    };
  }

  /** Runs `steps` steps (at most 10^7) with learning off. */
  run(opts: { steps: number }): ForceTrace {
    const o = options('options', opts, ['steps']);
    const steps = integer('steps', o.steps, { min: 0, max: MAX_STEPS });
    const time = this.#times(this.steps, steps);
    const output = new Float64Array(steps);
    for (let done = 0; done < steps; done += CHUNK) this.#run(Math.min(CHUNK, steps - done), undefined, output, undefined, done);
    return { time, output };
  }

  /** The current state (x, w, z, steps). */
  state(): ForceState {
    const h = this.handle;
    const n = this.n;
    return call((b) => {
      const x = b.output(n);
      const w = b.output(n);
      const info = b.output(2);
      b.check(b.exports.rnl_force_state(h, x, w, 0, info));
      const i = b.read(info, 2);
      return { x: b.read(x, n), w: b.read(w, n), z: i[1]!, steps: i[0]! };
    });
  }

  /** The RLS matrix P (N × N, symmetric): (Σ r rᵀ + αI)⁻¹ over the learning steps so far. */
  inverseCorrelation(): Matrix {
    const h = this.handle;
    const n = this.n;
    const data = call((b) => {
      const x = b.output(n);
      const w = b.output(n);
      const p = b.output(n * n);
      b.check(b.exports.rnl_force_state(h, x, w, p, 0));
      return b.read(p, n * n);
    });
    return matrix(n, n, data);
  }

  /** The fixed connectivity: recurrent J (N × N) and feedback weights w_f (N). */
  connectivity(): { J: Matrix; wF: Float64Array } {
    const h = this.handle;
    const n = this.n;
    return call((b) => {
      const j = b.output(n * n);
      const wf = b.output(n);
      b.check(b.exports.rnl_force_connectivity(h, j, wf));
      return { J: matrix(n, n, b.read(j, n * n)), wF: b.read(wf, n) };
    });
  }

  #times(first: number, steps: number): Float64Array {
    return Float64Array.from({ length: steps }, (_, k) => (first + k + 1) * this.dt);
  }

  #run(k: number, target: Float64Array | undefined, output: Float64Array, dw: Float64Array | undefined, at: number): void {
    const h = this.handle;
    call((b) => {
      const z = b.output(k);
      const d = dw ? b.output(k) : 0;
      b.check(b.exports.rnl_force_run(h, k, b.optional(target), z, d));
      output.set(b.read(z, k), at);
      if (dw) dw.set(b.read(d, k), at);
    });
  }
}

/** Options of {@link sumOfSines}. */
export interface SumOfSinesOptions {
  /** Amplitude A (default 1.3). */
  amplitude?: number;
  /** Period T in ms (default 1200 ms = 120 τ at τ = 10 ms; in [1e−6, 1e15]). */
  period?: number;
}

/**
 * The standard periodic target of FORCE learning, the authors' reference code for their Fig. 2:
 * f(t) = (A/1.5)[sin(ωt) + ½ sin(2ωt) + ⅙ sin(3ωt) + ⅓ sin(4ωt)], ω = 2π/T.
 *
 * @example
 * ```ts
 * const f = sumOfSines({ period: 600 });
 * f(150); // (1.3/1.5)(1 − 1/6) ≈ 0.722 at ωt = π/2
 * ```
 */
export function sumOfSines(opts: SumOfSinesOptions = {}): (t: number) => number {
  const o = options('options', opts, ['amplitude', 'period']);
  const a = finite('amplitude', o.amplitude ?? 1.3, { min: -1e150, max: 1e150 });
  const w = (2 * Math.PI) / finite('period', o.period ?? 1200, { min: 1e-6, max: 1e15 });
  return (t) => (a / 1.5) * (Math.sin(w * t) + Math.sin(2 * w * t) / 2 + Math.sin(3 * w * t) / 6 + Math.sin(4 * w * t) / 3);
}

/**
 * The normalised error of an output trace: RMS(z − f) / RMS(f).
 *
 * @example
 * ```ts
 * normalizedError(Float64Array.of(1, -1), Float64Array.of(2, -2)); // 0.5
 * ```
 */
export function normalizedError(output: Float64Array, target: Float64Array): number {
  vector('output', output);
  vector('target', target, output.length);
  // Each sum is scaled by its largest term, so that the squares neither overflow nor underflow.
  const half = (i: number) => output[i]! / 2 - target[i]! / 2;
  let scaleF = 0;
  let scaleE = 0;
  for (let i = 0; i < output.length; i++) {
    scaleF = Math.max(scaleF, Math.abs(target[i]!));
    scaleE = Math.max(scaleE, Math.abs(half(i)));
  }
  if (scaleF === 0) throw new ArgumentError('target', 'must not be all zero');
  if (scaleE === 0) return 0;
  let se = 0;
  let sf = 0;
  for (let i = 0; i < output.length; i++) {
    se += (half(i) / scaleE) ** 2;
    sf += (target[i]! / scaleF) ** 2;
  }
  return ((2 * scaleE) / scaleF) * Math.sqrt(se / sf);
}
