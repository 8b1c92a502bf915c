import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { eigenvalues } from '../linalg/eigen.js';
import { finite, flag, integer, oneOf, options, vector } from '../validate.js';

/**
 * Two-site-cavity theory of the dimension of activity (continuous time, large N).
 *
 * PR^a/N = C^a(0)² / (C^a(0)² + ψ^a(0,0)) for currents (a = x) and rates (a = φ), where ψ is
 * the population-level correlation of pairs of units, computed from the single-unit lag
 * functions of the dynamical mean-field theory. Sources:
 * - iid couplings, X/ν and U/M forms: Clark, Abbott & Litwin-Kumar, PRL 131, 118401 (2023)
 *   (Eqs. 3, 4 and 25 there) [PRL];
 * - random-mode couplings without overlaps, N/PR^a = N/PR^a_iid + κ^a γ with γ = N/PR^D the
 *   inverse effective rank, and the frequency-resolved dimension: our derivations [DERIV],
 *   checked against the exact covariance of linear networks ({@link linearCovariance}).
 */

/** Options of {@link dimensionFromCorrelations}. */
export interface DimensionOptions {
  /** Lag step of the samples. */
  dt: number;
  /** C^x(τ_j) at τ_j = j·dt (j = 0..n−1), even in τ, decayed below 1e−10·C^x(0) at the end. */
  cx: Float64Array;
  /** C^φ(τ_j), same grid and the same decay requirement. */
  cphi: Float64Array;
  /** ν = (g⟨φ'⟩)² ∈ [0, 1). May be omitted when `g` and `meanGain` are given. */
  nu?: number;
  /** Coupling gain g (needed with `meanGain` for the U/M cross-check). */
  g?: number;
  /** Mean gain ⟨φ'⟩ over the single-unit distribution. */
  meanGain?: number;
  /** γ = N/PR^D of a random-mode network (0 = iid, the default). */
  gamma?: number;
  /** Also evaluate the U/M form (needs `g`, `meanGain`; about four times the cost). */
  crossCheck?: boolean;
}

/** Integration diagnostics of {@link dimensionFromCorrelations}. */
export interface DimensionDiagnostics {
  /** Nodes of the sinh grid ω = a sinh(u) on the half axis ω ≥ 0. */
  nodes: number;
  /** Kernel evaluations of the final pass. */
  evaluations: number;
  /** Step in u. */
  step: number;
  /** Scale a of the grid. */
  scale: number;
  /** Largest frequency on the grid. */
  omegaMax: number;
  /** Relative change of N/PR and κ against the nested grid of twice the step (an upper error estimate). */
  errorEstimate: number;
  /** Step halvings performed. */
  halvings: number;
  /** With `crossCheck`: largest relative difference between the X/ν and U/M forms of ψ. */
  crossCheckDifference?: number;
}

/** Result of {@link dimensionFromCorrelations}. PR values are normalised by N. */
export interface DimensionResult {
  /** PR^x/N at the requested γ. */
  prX: number;
  /** PR^φ/N at the requested γ. */
  prPhi: number;
  /** ψ^x(0,0), ψ^φ(0,0) for iid couplings. */
  psiX: number;
  psiPhi: number;
  /** Slopes of N/PR^a in γ (random-mode model). */
  kappaX: number;
  kappaPhi: number;
  /** C^x(0), C^φ(0). */
  cx0: number;
  cphi0: number;
  /** ν and γ used. */
  nu: number;
  gamma: number;
  diagnostics: DimensionDiagnostics;
}

function lagFunctions(dt: number, cx: unknown, cphi: unknown): [Float64Array, Float64Array] {
  const x = vector('cx', cx);
  const p = vector('cphi', cphi, x.length);
  if (x.length < 16) throw new ArgumentError('cx', `needs at least 16 lag samples, got ${x.length}`);
  checkBudget('cx', 8 * 4 * x.length);
  finite('dt', dt, { min: 0, exclusiveMin: true });
  return [x, p];
}

function resolveNu(o: Record<string, unknown>): number {
  const hasGain = o.g !== undefined || o.meanGain !== undefined;
  let fromGain: number | undefined;
  if (hasGain) {
    const g = finite('g', o.g, { min: 0, exclusiveMin: true });
    const m = finite('meanGain', o.meanGain, { min: 0, exclusiveMin: true });
    fromGain = (g * m) ** 2;
  }
  if (o.nu === undefined) {
    if (fromGain === undefined) throw new ArgumentError('nu', 'is required unless g and meanGain are given');
    if (fromGain >= 1) throw new ArgumentError('meanGain', `(g⟨φ'⟩)² must be below 1, got ${fromGain}`);
    return fromGain;
  }
  const nu = finite('nu', o.nu, { min: 0 });
  if (nu >= 1) throw new ArgumentError('nu', `must be below 1, got ${nu}`);
  if (fromGain !== undefined && Math.abs(fromGain - nu) > 1e-9 * Math.max(nu, 1e-3)) {
    throw new ArgumentError('nu', `must equal (g·meanGain)² = ${fromGain}, got ${nu}`);
  }
  return nu;
}

/**
 * Dimension of activity PR/N from the DMFT lag functions, for iid couplings (γ = 0) and for
 * random-mode couplings of inverse effective rank γ = N/PR^D without mode overlaps:
 * N/PR^a = 1 + ψ^a/C^a(0)² + κ^a γ. The frequency integrals are spectrally accurate (aliasing-
 * corrected spectra, sinh-mapped grid refined until the nested-grid estimate is below 1e−10);
 * see `diagnostics`. ψ and κ do not depend on γ, so {@link dimensionVsRank} gives whole curves.
 *
 * @example
 * ```ts
 * // Linear network dx = (−x + Jx)dt + dW, g = 0.6: C(τ) = e^{−λ|τ|}/(2λ), λ = √(1 − g²), ν = g².
 * const lam = 0.8;
 * const c = Float64Array.from({ length: 700 }, (_, j) => Math.exp(-lam * j * 0.05) / (2 * lam));
 * const d = dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 0.36 });
 * d.prPhi; // ≈ 0.759 (iid)
 * dimensionVsRank(d, new Float64Array([1, 3.9])).prPhi; // ≈ [0.723, 0.634]
 * ```
 */
export function dimensionFromCorrelations(opts: DimensionOptions): DimensionResult {
  const o = options('options', opts, ['dt', 'cx', 'cphi', 'nu', 'g', 'meanGain', 'gamma', 'crossCheck']);
  const dt = finite('dt', o.dt, { min: 0, exclusiveMin: true });
  const [cx, cphi] = lagFunctions(dt, o.cx, o.cphi);
  const nu = resolveNu(o);
  const gamma = o.gamma === undefined ? 0 : finite('gamma', o.gamma, { min: 0 });
  const crossCheck = o.crossCheck === undefined ? false : flag('crossCheck', o.crossCheck);
  if (crossCheck && (o.g === undefined || o.meanGain === undefined)) {
    throw new ArgumentError('crossCheck', 'needs g and meanGain');
  }
  return call((b) => {
    const n = cx.length;
    const px = b.input(cx);
    const pp = b.input(cphi);
    const out = b.output(13);
    b.check(b.exports.rnl_dimension(dt, n, px, pp, nu, out));
    const v = b.read(out, 13);
    const [cx0, cphi0, psiX, psiPhi, kappaX, kappaPhi] = [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!];
    const diagnostics: DimensionDiagnostics = {
      nodes: v[6]!,
      evaluations: v[7]!,
      step: v[8]!,
      scale: v[9]!,
      omegaMax: v[10]!,
      errorEstimate: v[11]!,
      halvings: v[12]!,
    };
    if (crossCheck) {
      const um = b.output(2);
      b.check(b.exports.rnl_dimension_um(dt, n, px, pp, o.g as number, o.meanGain as number, diagnostics.step, um));
      const [ux, up] = b.read(um, 2);
      diagnostics.crossCheckDifference = Math.max(Math.abs(ux! - psiX) / psiX, Math.abs(up! - psiPhi) / psiPhi);
    }
    return {
      prX: 1 / (1 + psiX / (cx0 * cx0) + kappaX * gamma),
      prPhi: 1 / (1 + psiPhi / (cphi0 * cphi0) + kappaPhi * gamma),
      psiX,
      psiPhi,
      kappaX,
      kappaPhi,
      cx0,
      cphi0,
      nu,
      gamma,
      diagnostics,
    };
  });
}

/**
 * PR/N against γ = N/PR^D from one {@link dimensionFromCorrelations} result (no integration):
 * PR^a/N = 1/(N/PR^a_iid + κ^a γ) [DERIV]. For PR^D ≪ N the dimension is ≈ PR^D/κ^a.
 *
 * @example
 * ```ts
 * const lam = 0.8;
 * const c = Float64Array.from({ length: 700 }, (_, j) => Math.exp(-lam * j * 0.05) / (2 * lam));
 * const d = dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 0.36 });
 * dimensionVsRank(d, new Float64Array([0, 1, 10])).prPhi; // decreasing in γ
 * ```
 */
export function dimensionVsRank(result: DimensionResult, gamma: Float64Array): { prX: Float64Array; prPhi: Float64Array } {
  options('result', result);
  const x0 = 1 + finite('result.psiX', result.psiX) / finite('result.cx0', result.cx0) ** 2;
  const p0 = 1 + finite('result.psiPhi', result.psiPhi) / finite('result.cphi0', result.cphi0) ** 2;
  const kx = finite('result.kappaX', result.kappaX);
  const kp = finite('result.kappaPhi', result.kappaPhi);
  vector('gamma', gamma);
  for (let i = 0; i < gamma.length; i++) {
    if (gamma[i]! < 0) throw new ArgumentError('gamma', `entry ${i} is negative`);
  }
  return {
    prX: gamma.map((g) => 1 / (x0 + kx * g)),
    prPhi: gamma.map((g) => 1 / (p0 + kp * g)),
  };
}

/**
 * Frequency-resolved dimension [DERIV]: the participation ratio of the cross-spectral matrix at
 * frequency ω, with X = 1 + ω²: PR^φ(ω)/N = (X−ν)²/(X² + γν²), PR^x(ω)/N = (X−ν)²/((2+γ)X² − ν²).
 * At ω = 0, γ = 0 these are (1−ν)² and (1−ν)²/(2−ν²); as ω → ∞ they tend to 1 and 1/(2+γ).
 *
 * @example
 * ```ts
 * const f = frequencyDimension({ nu: 0.948, gamma: 0, omega: new Float64Array([0, 0.5, 1, 3]) });
 * f.prPhi[0]; // ≈ 0.0027 = (1 − ν)²
 * ```
 */
export function frequencyDimension(opts: { nu: number; gamma?: number; omega: Float64Array }): {
  prX: Float64Array;
  prPhi: Float64Array;
} {
  const o = options('options', opts, ['nu', 'gamma', 'omega']);
  const nu = finite('nu', o.nu, { min: 0 });
  if (nu >= 1) throw new ArgumentError('nu', `must be below 1, got ${nu}`);
  const gamma = o.gamma === undefined ? 0 : finite('gamma', o.gamma, { min: 0 });
  const omega = vector('omega', o.omega);
  checkBudget('omega', 8 * 3 * omega.length);
  return call((b) => {
    const n = omega.length;
    const ox = b.output(n);
    const op = b.output(n);
    b.check(b.exports.rnl_frequency_dimension(nu, gamma, n, b.input(omega), ox, op));
    return { prX: b.read(ox, n), prPhi: b.read(op, n) };
  });
}

/** Options of {@link populationCorrelation}. */
export interface PopulationCorrelationOptions {
  /** Lag step. */
  dt: number;
  /** Lag function of the chosen activity (C^x for `'currents'`, C^φ for `'rates'`), decayed at the end. */
  c: Float64Array;
  /** ν = (g⟨φ'⟩)² ∈ [0, 1). */
  nu: number;
  /** γ = N/PR^D (default 0, iid). */
  gamma?: number;
  /** `'rates'` (default) or `'currents'`. */
  activity?: 'rates' | 'currents';
  /** Number of output lags τ_j = j·dt (default: all samples). */
  count?: number;
  /** Window [start, end] of τ for the decay-rate fit (default [10, 30]). */
  fitWindow?: readonly [number, number];
}

/** Result of {@link populationCorrelation}. */
export interface PopulationCorrelationResult {
  /** τ_j = j·dt. */
  tau: Float64Array;
  /** ψ(τ,τ)/ψ(0,0). */
  diagonal: Float64Array;
  /** ψ(τ,0)/ψ(0,0). */
  edge: Float64Array;
  /** ψ(0,0). */
  psi0: number;
  /** Decay rate of ψ(τ,τ) from a log-linear fit on `fitWindow` (which must hold two output lags). */
  rate: number;
  /** Pole estimate 2(1 − √ν) of the slowest rate [DERIV]. */
  poleRate: number;
  diagnostics: { dOmega: number; omegaMax: number; gridError: number };
}

/**
 * Population-level correlation ψ(τ₁,τ₂) = N⟨C_ij(τ₁)C_ij(τ₂)⟩ of pairs of units (two-site
 * cavity [PRL]; random-mode term γ [DERIV]) on the diagonal τ₁ = τ₂ = τ and the edge τ₂ = 0,
 * normalised by ψ(0,0), by inverse 2-D transform of ψ(ω₁,ω₂) on a uniform grid. Its slowest
 * decay rate is ≈ 2(1 − √ν), far slower than the single-unit rate √(1 − ν).
 *
 * @example
 * ```ts
 * const lam = Math.sqrt(1 - 0.81);
 * const c = Float64Array.from({ length: 1200 }, (_, j) => Math.exp(-lam * j * 0.05) / (2 * lam));
 * const p = populationCorrelation({ dt: 0.05, c, nu: 0.81, count: 401, fitWindow: [10, 20] });
 * p.rate; // ≈ 0.22, against the pole estimate p.poleRate = 0.2
 * ```
 */
export function populationCorrelation(opts: PopulationCorrelationOptions): PopulationCorrelationResult {
  const o = options('options', opts, ['dt', 'c', 'nu', 'gamma', 'activity', 'count', 'fitWindow']);
  const dt = finite('dt', o.dt, { min: 0, exclusiveMin: true });
  const c = vector('c', o.c);
  if (c.length < 16) throw new ArgumentError('c', `needs at least 16 lag samples, got ${c.length}`);
  const nu = finite('nu', o.nu, { min: 0 });
  if (nu >= 1) throw new ArgumentError('nu', `must be below 1, got ${nu}`);
  const gamma = o.gamma === undefined ? 0 : finite('gamma', o.gamma, { min: 0 });
  const activity = oneOf('activity', o.activity ?? 'rates', ['rates', 'currents'] as const);
  const count = o.count === undefined ? c.length : integer('count', o.count, { min: 1, max: c.length });
  const win = o.fitWindow ?? [10, 30];
  if (!Array.isArray(win) || win.length !== 2) throw new ArgumentError('fitWindow', 'must be [start, end]');
  const start = finite('fitWindow[0]', win[0], { min: 0 });
  const end = finite('fitWindow[1]', win[1], { min: start, exclusiveMin: true });
  const inWindow = Math.min(count - 1, Math.floor(end / dt)) - Math.ceil(start / dt) + 1;
  if (inWindow < 2) throw new ArgumentError('fitWindow', `holds ${Math.max(inWindow, 0)} of the output lags j·dt, j < count; it needs 2`);
  checkBudget('c', 8 * (c.length + 2 * count));
  return call((b) => {
    const diag = b.output(count);
    const edge = b.output(count);
    const info = b.output(6);
    b.check(
      b.exports.rnl_population_correlation(dt, c.length, b.input(c), nu, gamma, activity === 'rates' ? 1 : 0, count, start, end, diag, edge, info),
    );
    const v = b.read(info, 6);
    return {
      tau: Float64Array.from({ length: count }, (_, j) => j * dt),
      diagonal: b.read(diag, count),
      edge: b.read(edge, count),
      psi0: v[0]!,
      rate: v[1]!,
      poleRate: v[2]!,
      diagnostics: { dOmega: v[3]!, omegaMax: v[4]!, gridError: v[5]! },
    };
  });
}

/**
 * Exact stationary covariance of the linear stochastic network dx = (−x + Jx)dt + σ dW: the
 * solution C of (J − I)C + C(J − I)ᵀ + σ²I = 0, by a Cayley transform to a
 * discrete Stein equation and Smith doubling. An oracle for the dimension theory: the PR of C
 * matches {@link dimensionFromCorrelations} with C(ω) = σ²/(1 + ω² − g²), ⟨φ'⟩ = 1, ν = g².
 * J − I must be stable: the spectral abscissa max Re λ(J) must be below 1 (checked first from the
 * eigenvalues of J, else ArgumentError naming `J`). Cost ≈ 25 matrix products of size N
 * (N = 1500: tens of seconds).
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 60, g: 0.5, seed: 1 });
 * const { covariance: C, diagnostics } = linearCovariance(J, { noise: 1 });
 * participationRatio(C) / 60; // ≈ 0.8
 * diagnostics.residual; // ≈ 1e−16
 * ```
 */
export function linearCovariance(
  J: Matrix,
  opts: { noise?: number } = {},
): { covariance: Matrix; diagnostics: { doublings: number; cayleyShift: number; residual: number } } {
  checkMatrix('J', J, { square: true });
  const o = options('options', opts, ['noise']);
  const noise = o.noise === undefined ? 1 : finite('noise', o.noise, { min: 0, exclusiveMin: true });
  const n = J.rows;
  checkBudget('J', 8 * 8 * n * n);
  const abscissa = Math.max(...eigenvalues(J).re);
  if (!(abscissa < 1)) {
    throw new ArgumentError('J', `the spectral abscissa max Re λ(J) = ${abscissa} must be below 1 (J − I stable): no stationary covariance`);
  }
  return call((b) => {
    const out = b.output(n * n);
    const info = b.output(3);
    b.check(b.exports.rnl_linear_covariance(n, b.input(J.data), noise, out, info));
    const v = b.read(info, 3);
    return {
      covariance: matrix(n, n, b.read(out, n * n)),
      diagnostics: { doublings: v[0]!, cayleyShift: v[1]!, residual: v[2]! },
    };
  });
}
