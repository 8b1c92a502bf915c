import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { phiOption, type PhiOption } from '../dynamics/simulation.js';
import { finite, integer, options, seed as checkSeed, vector } from '../validate.js';

const PHI_KINDS = ['tanh', 'erf', 'relu', 'linear'] as const;

/** Options of {@link solveOverlapDMFT}. */
export interface OverlapDMFTOptions {
  /** Mode strengths D_a (length P). */
  spectrum: Float64Array;
  /** Overlaps ρ_a = E[ℓ_a·r_a] ∈ [−1, 1]: one value for all modes or one per mode (default 0). */
  overlaps?: number | Float64Array;
  /** α = P/N (default 1). */
  alpha?: number;
  /** Nonlinearity (default `'tanh'`). */
  phi?: PhiOption;
  /** Amplitude σ of an external white noise added to the single-site equation (default 0). */
  noise?: number;
  /** Time step of the grid (default 0.05). */
  dt?: number;
  /** Grid length N_t, a power of two ≥ 16 (default 2048; period N_t·dt). */
  steps?: number;
  /**
   * Sample paths per iteration N_s, a multiple of `batches` (default 1024: Δ0 to about 0.5 % in
   * ≈ 10 s without overlaps and ≈ 1 min with them; the reference settings of the note, 4096 paths
   * and 100 iterations, take minutes to tens of minutes).
   */
  samples?: number;
  /** Iterations (default 40). */
  iterations?: number;
  /** Weight of the new estimate when mixing (default 0.8). */
  mixing?: number;
  /**
   * Longest memory kernel in time units (default 50; capped at half the period). It must cover the
   * decay of the response S(t), which is slow near marginal self-excitation (flat D = 2, α = 1,
   * ρ = 0.5: a kernel cut at ~30 lowers Δ0 from 14.0 to 12.4; memories 50 and 100 agree).
   */
  memory?: number;
  /** Batches for the Monte-Carlo errors (default 8). */
  batches?: number;
  /** The outputs pool the paths of the last `average` iterations (default ⌈iterations/4⌉). */
  average?: number;
  /** Seed of all random draws. */
  seed: number;
}

/** Result of {@link solveOverlapDMFT}: paths of the last `average` iterations pooled. */
export interface OverlapDMFTSolution {
  /**
   * Single-neuron variance Δ0 = Δ(0) and its Monte-Carlo standard error (the larger of the spread
   * over sample batches and over the pooled iterations; discretisation error not included).
   */
  delta0: number;
  delta0Error: number;
  /** Lags τ_m = m·dt, m = 0..N_t/2. */
  lags: Float64Array;
  /** Autocorrelation Δ(τ) = ⟨x(t)x(t+τ)⟩ and its standard error. */
  delta: Float64Array;
  deltaError: Float64Array;
  /** Rate autocorrelation C^φ(τ) and its standard error. */
  cphi: Float64Array;
  cphiError: Float64Array;
  /** Frequencies ω_k = 2πk/(N_t·dt), k = 0..N_t/2. */
  frequencies: Float64Array;
  /** Linear response S(ω) of φ(x) to the input current (Novikov–Furutsu estimate). */
  response: { re: Float64Array; im: Float64Array };
  /** Self-coupling kernel R(ω) = α⟨ρ_a D_a σ_a(ω)⟩ applied in the last iteration. */
  kernel: { re: Float64Array; im: Float64Array };
  diagnostics: {
    /** Δ0 measured in each iteration. */
    delta0History: Float64Array;
    /** Relative change of C^φ(τ) in each iteration. */
    change: Float64Array;
    /** Length of the memory kernel applied in the last iteration (time units). */
    memory: number;
    /** Instantaneous self-coupling R₀ = α⟨ρ_a D_a⟩ (= E J_ii). */
    selfCoupling: number;
    /**
     * Correlation left at long lags: the mean of C_φ(τ)/C_φ(0) over τ ∈ [T/4, T/2], T = N_t·dt
     * the period (odd φ; a non-zero mean rate adds its square). The grid must be several
     * correlation times long: about 0.01 or less (Monte-Carlo noise is ~0.001 at the defaults).
     * Near a collective instability (strong positive overlaps) correlations decay over hundreds of
     * time units and a short grid changes the result several-fold.
     */
    tail: number;
    /**
     * (mean Δ0 of the second half of the pooled iterations − mean of the first half)/Δ0: a
     * pooled average that still drifts (|drift| well above delta0Error/delta0) has not converged.
     */
    drift: number;
  };
}

/** Mean of c(τ)/c(0) over the second half of the lags τ ∈ [T/4, T/2]. */
export function correlationTail(c: Float64Array): number {
  const half = c.length - 1;
  let sum = 0;
  for (let m = Math.floor(half / 2); m <= half; m++) sum += c[m]!;
  return sum / (half - Math.floor(half / 2) + 1) / c[0]!;
}

/** Relative difference of the means of the second and the first half of a series (0 for fewer than 2 values). */
function drift(v: Float64Array): number {
  if (v.length < 2) return 0;
  const k = Math.floor(v.length / 2);
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  const first = mean(v.subarray(0, k));
  const second = mean(v.subarray(v.length - k));
  return (second - first) / mean(v);
}

/** The validated spectrum D_a, overlaps ρ_a (one value or one per mode, in [−1, 1]) and α = P/N. */
export function overlapModel(o: { spectrum?: unknown; overlaps?: unknown; alpha?: unknown }): { d: Float64Array; rho: Float64Array; alpha: number } {
  const d = vector('spectrum', o.spectrum);
  const p = d.length;
  if (p === 0) throw new ArgumentError('spectrum', 'must have at least one mode');
  const rho =
    o.overlaps === undefined
      ? new Float64Array(p)
      : typeof o.overlaps === 'number'
        ? new Float64Array(p).fill(finite('overlaps', o.overlaps, { min: -1, max: 1 }))
        : vector('overlaps', o.overlaps, p);
  for (const r of rho) if (Math.abs(r) > 1) throw new ArgumentError('overlaps', `must lie in [−1, 1], got ${r}`);
  const alpha = finite('alpha', o.alpha ?? 1, { min: 0, exclusiveMin: true });
  return { d, rho, alpha };
}

/**
 * Sampling dynamical mean-field theory of random-mode networks J = Σ_a D_a ℓ_a r_aᵀ with
 * input/output-mode overlaps ρ_a (arXiv:2409.01969): iterates the single-site equation
 * (1+∂_t)x = η + ∫R(t−s)φ(x(s))ds + σξ with C_η = α⟨D_a²|σ_a|²⟩C_φ, R = α⟨ρ_a D_a σ_a⟩ and
 * σ_a = 1/(1 − ρ_a D_a S), measuring C_φ and S from Monte-Carlo paths. With ρ ≡ 0 it is the
 * classic theory with g² = α⟨D²⟩. Cost grows with samples × steps × memory × iterations.
 *
 * @example
 * ```ts
 * const sol = solveOverlapDMFT({ spectrum: new Float64Array([2]), seed: 1, steps: 512, samples: 128, iterations: 12 });
 * sol.delta0; // ≈ 1.9 (g = 2: Δ0 = 1.925)
 * ```
 */
export function solveOverlapDMFT(opts: OverlapDMFTOptions): OverlapDMFTSolution {
  const o = options('options', opts, [
    'spectrum', 'overlaps', 'alpha', 'phi', 'noise', 'dt', 'steps', 'samples', 'iterations', 'mixing', 'memory', 'batches',
    'average', 'seed',
  ]);
  const { d, rho, alpha } = overlapModel(o);
  const p = d.length;
  const { kind: phiKind, gain: phiGain } = phiOption('phi', o.phi ?? 'tanh');
  const noise = finite('noise', o.noise ?? 0, { min: 0 });
  const dt = finite('dt', o.dt ?? 0.05, { min: 0, exclusiveMin: true, max: 1 });
  const steps = integer('steps', o.steps ?? 2048, { min: 16, max: 2 ** 24 });
  if ((steps & (steps - 1)) !== 0) throw new ArgumentError('steps', `must be a power of two, got ${steps}`);
  const batches = integer('batches', o.batches ?? 8, { min: 2, max: 1024 });
  const samples = integer('samples', o.samples ?? 1024, { min: batches });
  if (samples % batches !== 0) throw new ArgumentError('samples', `must be a multiple of batches (${batches}), got ${samples}`);
  const iterations = integer('iterations', o.iterations ?? 40, { min: 1, max: 1e6 });
  const average = integer('average', o.average ?? Math.ceil(iterations / 4), { min: 1, max: iterations });
  const mixing = finite('mixing', o.mixing ?? 0.8, { min: 0, exclusiveMin: true, max: 1 });
  const memory = finite('memory', o.memory ?? 50, { min: 0 });
  const seed = checkSeed('seed', o.seed);
  const h = steps / 2 + 1;
  checkBudget('steps', 8 * (steps * (120 + 10 * batches) + 12 * h + 2 * iterations + 2 * p));
  return call((b) => {
    const outDelta = b.output(h);
    const outCphi = b.output(h);
    const outDeltaErr = b.output(h);
    const outCphiErr = b.output(h);
    const outResponse = b.output(2 * h);
    const outKernel = b.output(2 * h);
    const outHistory = b.output(2 * iterations);
    const outMemory = b.output(1);
    b.check(
      b.exports.rnl_overlap_dmft(
        p, b.input(d), b.input(rho), alpha, PHI_KINDS.indexOf(phiKind), phiGain, noise, dt, steps, samples, iterations,
        mixing, memory, batches, average, seed, outDelta, outCphi, outDeltaErr, outCphiErr, outResponse, outKernel, outHistory,
        outMemory,
      ),
    );
    const delta = b.read(outDelta, h);
    const deltaError = b.read(outDeltaErr, h);
    const response = b.read(outResponse, 2 * h);
    const kernel = b.read(outKernel, 2 * h);
    const history = b.read(outHistory, 2 * iterations);
    const cphi = b.read(outCphi, h);
    let selfCoupling = 0;
    for (let a = 0; a < p; a++) selfCoupling += d[a]! * rho[a]!;
    return {
      delta0: delta[0]!,
      delta0Error: deltaError[0]!,
      lags: Float64Array.from({ length: h }, (_, m) => m * dt),
      delta,
      deltaError,
      cphi,
      cphiError: b.read(outCphiErr, h),
      frequencies: Float64Array.from({ length: h }, (_, k) => (2 * Math.PI * k) / (steps * dt)),
      response: { re: response.slice(0, h), im: response.slice(h) },
      kernel: { re: kernel.slice(0, h), im: kernel.slice(h) },
      diagnostics: {
        delta0History: history.slice(0, iterations),
        change: history.slice(iterations),
        memory: b.read(outMemory, 1)[0]!,
        selfCoupling: (alpha * selfCoupling) / p,
        tail: correlationTail(cphi),
        drift: drift(history.subarray(iterations - average, iterations)),
      },
    };
  });
}
