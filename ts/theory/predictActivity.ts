/**
 * Covariance and dimension of the activity of a network with a *given* coupling matrix J (a
 * sampled matrix at finite N, a structured one, a connectome): the linear-equivalent network
 * (Clark 2026, arXiv 2604.23489). The DMFT at the matrix's effective gain gives the slope
 * a = ⟨φ'⟩ and the residual autocorrelation C_r(τ) = C_φ(τ) − a²Δ(τ) (connected parts); the
 * network's covariances are those of the linear network with the same J whose units emit
 * a·x + r with independent residuals r (the frequency integrals are reduced to Laplace transforms
 * at the eigenvalues of J; `crate/src/theory/quenched.rs` has the derivation). With row-wise gains
 * (`gains: 'rows'`) each class of units has its own slope and residual, from the DMFT with row
 * gains J → diag(h)J (our derivation, `crate/src/theory/gain_classes.rs`). With input/output-mode
 * overlaps the slope and residual come from the overlap DMFT (`singleSite`), the residual freed of
 * the self-coupling that J feeds back (our derivation, {@link overlapResidual}).
 */

import { ArgumentError, MemoryBudgetError, NoSolutionError } from '../errors.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { call, checkBudget } from '../runtime/call.js';
import { phiCode, phiOption, type PhiOption } from '../dynamics/simulation.js';
import { finite, flag, integer, oneOf, options, vector } from '../validate.js';
import { solveDMFT, type DmftSolution } from './dmft.js';
import type { OverlapDMFTSolution } from './overlapDmft.js';
import { overlapResidual } from './overlapResidual.js';

/** Options of {@link predictActivity}. */
export interface PredictActivityOptions {
  /** Couplings J (N × N, N ≤ 4096). */
  J: Matrix;
  /** Nonlinearity (default 'tanh'). */
  phi?: PhiOption;
  /** White-noise amplitude σ (default 0). */
  noise?: number;
  /** Constant input b to every unit (default 0). */
  bias?: number;
  /** Gain of the DMFT (default: the matrix's effective gain g = √(Σ_ij J_ij² / N)); not with `gains: 'rows'`. */
  g?: number;
  /**
   * `'matrix'` (default): one gain for every unit, g² = Σ_ij J_ij² / N (this includes output
   * gains J diag(G), whose rows all have the same statistics). `'rows'`: row-wise gains
   * g_i² = Σ_j J_ij², for heterogeneous rows J = diag(h)J₀: the DMFT with these row gains, then
   * each of `gainClasses` equal-count classes of units (by g_i²) gets its own slope a_c and
   * residual C_r,c, and the linear equivalent has per-unit slopes (odd φ, no bias; eigen basis
   * only). Without noise the DMFT is the row-gain solution over all N rows; with noise the classes
   * are solved together (Δ_c no longer scale with g_c²).
   */
  gains?: 'matrix' | 'rows';
  /** Number of row-gain classes with `gains: 'rows'` (default 8, at most 64 and N). Each costs one pass over N² entries and N Laplace transforms. */
  gainClasses?: number;
  /** Lag step of the DMFT grid (default 0.02). */
  dt?: number;
  /**
   * `'eigen'`: the eigen-basis formulas; `'lyapunov'`: the eigenvector-free fallback (C_r fitted
   * by exponentials, Lyapunov solve); `'auto'` (default): eigen unless the eigenvector basis has
   * 1-norm condition number above 10⁶ (strongly non-normal J), where its error ε κ² is too large.
   */
  method?: 'auto' | 'eigen' | 'lyapunov';
  /** Frequencies ω at which to return the frequency-resolved dimension (default none; each costs about four N × N products). */
  frequencies?: Float64Array;
  /**
   * The single-site statistics to use instead of the iid DMFT at the matrix's gain: a
   * {@link solveOverlapDMFT} solution for J with input/output-mode overlaps (same φ and noise).
   * The slope is ⟨φ'⟩ at its Δ0 and the residual is corrected for the self-coupling R(ω) that the
   * reciprocal modes of J feed back ({@link overlapResidual}); the lag grid is the solution's.
   * Not with `g`, `dt` or `gains: 'rows'`.
   */
  singleSite?: OverlapDMFTSolution;
  /**
   * Take the DMFT at the self-consistent gain g* instead of the matrix's gain (or `g`, where the
   * search starts): the gain at which the linear equivalent's mean variance tr C^x/N equals the
   * DMFT's Δ0 (our derivation, `crate/src/theory/quenched_gain.rs`). A sampled J whose edge
   * eigenvalue comes close to aλ = 1 makes the linear equivalent at the matrix's gain overshoot
   * the variance several-fold; at g* the larger variance lowers a and holds the edge modes back, as
   * the nonlinearity does in the network. Default false. Cost: about 30 DMFT solutions and O(N²)
   * each, plus the eigen-decomposition once more. Not with `gains: 'rows'`, `singleSite` or
   * `method: 'lyapunov'`.
   */
  selfConsistent?: boolean;
}

/** What {@link predictActivity} predicts. */
export interface ActivityPrediction {
  /** Gain of the DMFT (with `selfConsistent`, g*). */
  g: number;
  /** With `selfConsistent`: the gain the search started from and the DMFT solutions it took. */
  gainSearch?: { start: number; evaluations: number };
  /** The DMFT solution at that gain, absent with `singleSite` (with `gains: 'rows'`: without noise the population-normalised row-gain solution Δ̄, with noise the uniform one, which sets the lag grid). */
  dmft?: DmftSolution;
  /** a = ⟨φ'⟩, the linear-equivalent slope (with `gains: 'rows'`, its population mean). */
  slope: number;
  /** max Re(aλ) over the eigenvalues λ of J (with row gains, max Re λ of J diag(a_i)): below 1 (the linear equivalent is stable). */
  stability: number;
  /** Eigenvalues of J (with `gains: 'rows'`, of the linear equivalent's couplings J diag(a_i)). */
  eigenvalues: { re: Float64Array; im: Float64Array };
  /** With `gains: 'rows'`: each unit's class, and per class its squared row gain g_c² (mean of g_i²), size, slope a_c and predicted mean variances of x and φ. */
  gainClasses?: {
    classOf: Uint16Array;
    gain2: Float64Array;
    size: Float64Array;
    slope: Float64Array;
    varianceX: Float64Array;
    variancePhi: Float64Array;
  };
  /** Equal-time covariance matrices of x and of φ(x). */
  covarianceX: Matrix;
  covariancePhi: Matrix;
  /** Their eigenvalues, descending. */
  spectrumX: Float64Array;
  spectrumPhi: Float64Array;
  /** Participation ratios as fractions of N: PR = (tr C)² / tr C², over N. */
  prX: number;
  prPhi: number;
  /** Mean single-unit variances tr C / N. */
  varianceX: number;
  variancePhi: number;
  /** The method used, the condition number ‖P‖₁‖P⁻¹‖₁ of the real eigenvector basis (NaN with `method: 'lyapunov'`) and, for the fallback, the largest relative error of the exponential fit of C_r. */
  method: 'eigen' | 'lyapunov';
  condition: number;
  fitError: number;
  /** With `frequencies`: PR(ω)/N = (tr C(ω))² / (N tr C(ω)²) of the cross-spectral matrices of x and φ. */
  frequencyResolved?: { omega: Float64Array; prX: Float64Array; prPhi: Float64Array };
}

/** Largest N, and the peak number of N² f64 the predictor holds in WebAssembly memory. */
const MAX_N = 4096;
const PEAK_SQUARES = 16;

/**
 * Predicts the equal-time covariances of x and φ(x), their spectra and their dimensions, for the
 * network dx/dt = −x + Jφ(x) + b + σξ with this J. Cost: one eigen-decomposition, the inverse of
 * the real eigenvector basis, five real N × N products and the two spectra (side by side, one per
 * thread), O(N³) (measured in Node on one thread: N = 1000 1.9 s, N = 2000 14 s, N = 4000 2 min;
 * on two threads 1.5 s, 10 s and 84 s; `npm run bench` compares it with NumPy). Memory: about
 * 16 N² f64; N above 4096 is a `MemoryBudgetError`.
 * For a strongly non-normal J (ill-conditioned eigenvectors) the automatic method switches to
 * an eigenvector-free fallback (see {@link PredictActivityOptions.method}).
 *
 * Measured against simulations of the same sampled J: away from the stability edge (noisy tanh,
 * N = 300, g = 0.9, σ = 1, max Re(aλ) = 0.62) variances and PR agree within 0.5 % (iid) and 4 %
 * (random-mode, β = 3.9). At g = 2 without noise, at the matrix's gain, it accounts for the excess
 * of some random-mode simulations over the large-N formula at N = 1000 (γ = 3.9, seed 1: PR^x/N
 * 0.0064 against 0.0062 ± 0.0004 simulated and 0.0036 large-N) but not in general; at the
 * self-consistent gain it is within 2 standard errors of the simulated PR^φ/N for 11 of 18
 * networks at N = 1000–4096 (README, docs/quenched-table.csv). When a sampled J puts an eigenvalue near the edge (`stability`
 * ≳ 0.97) the linear equivalent at the matrix's gain overshoots the variance (iid N = 1000, seed 1,
 * 0.990: variance 4.6 against 1.95 simulated, PR^x/N 0.0041 against 0.0141); `selfConsistent`
 * moves the DMFT to the gain where the variances agree (there 0.0127; README table). With
 * input/output-mode overlaps the iid single-site statistics do not hold: pass the overlap DMFT as
 * `singleSite` (within 5–7 % of simulations at γ_ρ = −0.4, N = 600, where the iid single site is
 * 10–13 % off; not at γ_ρ = −0.8; README).
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 200, g: 0.9, seed: 3 });
 * const p = predictActivity({ J, noise: 1 });
 * p.stability; // max Re(⟨φ'⟩λ) ≈ 0.6, far from the edge at 1
 * p.prX;       // PR^x/N of this network's activity
 * p.varianceX; // mean single-unit variance, near the DMFT Δ0
 * // Input/output-mode overlaps: the single site of the overlap DMFT (same φ, noise, spectrum, overlaps).
 * const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 200, g: 1.5 });
 * const K = randomMode({ n: 200, spectrum: d, overlaps: -0.3, seed: 2 }).J;
 * const site = solveOverlapDMFT({ spectrum: d, overlaps: -0.3, noise: 1, seed: 1, steps: 512, samples: 128, iterations: 12 });
 * predictActivity({ J: K, noise: 1, singleSite: site }).varianceX; // ≈ site.delta0 (0.55)
 * ```
 */
export function predictActivity(opts: PredictActivityOptions): ActivityPrediction {
  const o = options('options', opts, ['J', 'phi', 'noise', 'bias', 'g', 'dt', 'method', 'frequencies', 'gains', 'gainClasses', 'singleSite', 'selfConsistent']);
  const J = checkMatrix('J', o.J, { square: true });
  const n = integer('J.rows', J.rows, { min: 2 });
  if (n > MAX_N) throw new MemoryBudgetError('J', 8 * PEAK_SQUARES * n * n, 8 * PEAK_SQUARES * MAX_N * MAX_N);
  checkBudget('J', 8 * PEAK_SQUARES * n * n);
  const method = oneOf('method', o.method ?? 'auto', ['auto', 'eigen', 'lyapunov'] as const);
  const omega = o.frequencies === undefined ? new Float64Array(0) : vector('frequencies', o.frequencies);
  const noise = finite('noise', o.noise ?? 0, { min: 0, max: 100 });
  const rowGains = oneOf('gains', o.gains ?? 'matrix', ['matrix', 'rows'] as const) === 'rows';
  const rows = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += J.data[i * n + j]! ** 2;
    rows[i] = s;
  }
  const sumSquares = rows.reduce((x, y) => x + y, 0);
  if (rowGains && o.g !== undefined) throw new ArgumentError('g', "is set by the rows of J with gains: 'rows'");
  const start = o.g === undefined ? Math.sqrt(sumSquares / n) : finite('g', o.g, { min: 0, exclusiveMin: true });
  if (!(start > 0)) throw new ArgumentError('J', 'is zero: no recurrent dynamics to predict');
  const dt = finite('dt', o.dt ?? 0.02, { min: 1e-4, max: 0.5 });
  const phi = phiOption('phi', o.phi ?? 'tanh');
  const bias = finite('bias', o.bias ?? 0);
  const selfConsistent = o.selfConsistent === undefined ? false : flag('selfConsistent', o.selfConsistent);
  if (selfConsistent) {
    if (rowGains) throw new ArgumentError('selfConsistent', "does not combine with gains: 'rows'");
    if (o.singleSite !== undefined) throw new ArgumentError('selfConsistent', 'does not combine with singleSite');
    if (method === 'lyapunov') throw new ArgumentError('selfConsistent', "needs the eigen basis, not method: 'lyapunov'");
  }
  const classes = rowGains ? gainClasses(rows, integer('gainClasses', o.gainClasses ?? 8, { min: 1, max: 64 })) : undefined;
  if (!rowGains && o.gainClasses !== undefined) throw new ArgumentError('gainClasses', "applies only with gains: 'rows'");
  if (classes && (phi.kind === 'relu' || bias !== 0)) {
    throw new ArgumentError('gains', "'rows' needs an odd φ without bias (the row-gain DMFT)");
  }
  if (classes && method === 'lyapunov') throw new ArgumentError('method', "'lyapunov' takes one gain class: use gains: 'matrix'");
  const site = o.singleSite === undefined ? undefined : singleSite(o.singleSite);
  if (site) {
    for (const key of ['g', 'dt'] as const) if (o[key] !== undefined) throw new ArgumentError(key, 'is set by singleSite');
    if (classes) throw new ArgumentError('singleSite', "does not combine with gains: 'rows'");
  }
  const search = selfConsistent ? selfConsistentGain(J, phi, bias, start, noise, dt) : undefined;
  const g = search ? search.g : start;
  // Without noise the row-gain DMFT over all rows (Δ_c = h_c²Δ̄); with noise the uniform solution
  // sets the lag grid (twice its length) and the classes are solved together.
  const dmft = site
    ? undefined
    : solveDMFT({
        g, phi: (o.phi ?? 'tanh') as PhiOption, noise, bias, dt, lyapunov: false,
        ...(classes && noise === 0 ? { gains: Float64Array.from(rows, (v) => Math.sqrt(v) / g) } : {}),
      });
  if (dmft && (dmft.regime === 'quiescent' || dmft.regime === 'fixed-point')) {
    throw new NoSolutionError(`at g = ${g} the mean-field state is ${dmft.regime}: the activity has no temporal fluctuations to predict`);
  }
  const lagStep = site ? site.dt : dmft!.dt;
  const len = site ? site.delta.length : classes && noise > 0 ? Math.min(2 * dmft!.delta.length, 2 ** 20) : dmft!.delta.length;
  const k = classes ? classes.gain2.length : 1;
  const m = omega.length;
  const raw = call((b) => {
    let slopes: Float64Array;
    let residuals: Float64Array;
    if (site) {
      const [sl, rs] = [b.output(1), b.output(len)];
      b.check(b.exports.rnl_gain_class_residuals(phiCode(phi.kind), phi.gain, bias, b.input(site.delta), len, 1, sl, rs));
      const a = b.read(sl, 1)[0]!;
      const r = overlapResidual(site, site.kernel, a);
      const tail = r[len - 1]!;
      slopes = Float64Array.of(a);
      residuals = r.map((v) => v - tail);
    } else if (classes) {
      const h2 = classes.gain2.map((v) => v / (g * g));
      let deltas: Float64Array;
      if (noise > 0) {
        const out = b.output(k * len);
        const pairs = Float64Array.from({ length: 2 * k }, (_, i) => (i % 2 === 0 ? classes.size[i >> 1]! / n : h2[i >> 1]!));
        b.check(b.exports.rnl_row_gain_dmft(phiCode(phi.kind), phi.gain, g, noise, b.input(pairs), k, lagStep, len, out));
        deltas = b.read(out, k * len);
      } else {
        deltas = Float64Array.from({ length: k * len }, (_, i) => h2[Math.floor(i / len)]! * dmft!.delta[i % len]!);
      }
      const [sl, rs] = [b.output(k), b.output(k * len)];
      b.check(b.exports.rnl_gain_class_residuals(phiCode(phi.kind), phi.gain, bias, b.input(deltas), len, k, sl, rs));
      [slopes, residuals] = [b.read(sl, k), b.read(rs, k * len)];
    } else {
      const { meanSlope: a, delta, cphi } = dmft!;
      const tail = cphi[len - 1]! - a * a * delta[len - 1]!;
      slopes = Float64Array.of(a);
      residuals = Float64Array.from(delta, (d, i) => cphi[i]! - a * a * d - tail);
    }
    const cx = b.output(n * n);
    const cphi = b.output(n * n);
    const re = b.output(n);
    const im = b.output(n);
    const info = b.output(3);
    const [px, pp] = [b.output(m), b.output(m)];
    const [sx, sp] = [b.output(n), b.output(n)];
    const code = { auto: 0, eigen: 1, lyapunov: 2 }[method];
    b.check(
      b.exports.rnl_quenched_covariance(
        n, b.input(J.data), k, b.input(slopes), b.input(residuals), len,
        classes ? b.input(Float64Array.from(classes.classOf)) : 0, noise * noise, lagStep, code,
        cx, cphi, re, im, info, m, b.input(omega), px, pp, sx, sp,
      ),
    );
    return {
      slopes, cx: b.read(cx, n * n), cphi: b.read(cphi, n * n), re: b.read(re, n), im: b.read(im, n),
      info: b.read(info, 3), prX: b.read(px, m), prPhi: b.read(pp, m),
      spectrumX: b.read(sx, n).reverse(), spectrumPhi: b.read(sp, n).reverse(),
    };
  });
  const slope = classes ? classes.size.reduce((s, c, q) => s + c * raw.slopes[q]!, 0) / n : raw.slopes[0]!;
  const covarianceX = matrix(n, n, raw.cx);
  const covariancePhi = matrix(n, n, raw.cphi);
  const { spectrumX, spectrumPhi } = raw;
  return {
    g,
    ...(search ? { gainSearch: { start, evaluations: search.evaluations } } : {}),
    ...(dmft ? { dmft } : {}),
    slope,
    stability: (classes ? 1 : slope) * Math.max(...raw.re),
    eigenvalues: { re: raw.re, im: raw.im },
    covarianceX,
    covariancePhi,
    spectrumX,
    spectrumPhi,
    prX: participation(spectrumX) / n,
    prPhi: participation(spectrumPhi) / n,
    varianceX: sum(spectrumX) / n,
    variancePhi: sum(spectrumPhi) / n,
    method: raw.info[0] === 1 ? 'eigen' : 'lyapunov',
    condition: raw.info[1]!,
    fitError: raw.info[2]!,
    ...(classes ? { gainClasses: classStatistics(classes, raw.slopes, raw.cx, raw.cphi, n) } : {}),
    ...(m > 0 ? { frequencyResolved: { omega: Float64Array.from(omega), prX: raw.prX, prPhi: raw.prPhi } } : {}),
  };
}

/** g* of `rnl_quenched_gain` searched from `start`, and the DMFT solutions it took. */
function selfConsistentGain(J: Matrix, phi: ReturnType<typeof phiOption>, bias: number, start: number, noise: number, dt: number): { g: number; evaluations: number } {
  const out = call((b) => {
    const o = b.output(4);
    b.check(b.exports.rnl_quenched_gain(phiCode(phi.kind), phi.gain, bias, start, noise, dt, J.rows, b.input(J.data), o));
    return b.read(o, 4);
  });
  return { g: out[0]!, evaluations: out[2]! };
}

/** The lag data and kernel of a {@link solveOverlapDMFT} solution, checked for consistent lengths. */
function singleSite(v: unknown): { dt: number; delta: Float64Array; cphi: Float64Array; kernel: { re: Float64Array; im: Float64Array } } {
  const o = options('singleSite', v);
  const lags = vector('singleSite.lags', o.lags);
  const len = lags.length;
  if (len < 3) throw new ArgumentError('singleSite.lags', `needs at least 3 lags, got ${len}`);
  const dt = lags[1]! - lags[0]!;
  if (lags[0] !== 0 || !(dt > 0)) throw new ArgumentError('singleSite.lags', 'must start at 0 with a positive step');
  const kernel = options('singleSite.kernel', o.kernel);
  return {
    dt,
    delta: vector('singleSite.delta', o.delta, len),
    cphi: vector('singleSite.cphi', o.cphi, len),
    kernel: { re: vector('singleSite.kernel.re', kernel.re, len), im: vector('singleSite.kernel.im', kernel.im, len) },
  };
}

/** Equal-count classes of units by their squared row gains g_i² (sorted; ties by index). */
function gainClasses(rows: Float64Array, count: number): { classOf: Uint16Array; gain2: Float64Array; size: Float64Array } {
  const n = rows.length;
  const k = Math.min(count, n);
  if (rows.some((v) => !(v > 0))) throw new ArgumentError('J', "has a zero row: gains: 'rows' needs every unit driven");
  const order = Array.from(rows.keys()).sort((i, j) => rows[i]! - rows[j]! || i - j);
  const classOf = new Uint16Array(n);
  const gain2 = new Float64Array(k);
  const size = new Float64Array(k);
  order.forEach((unit, rank) => {
    const c = Math.floor((rank * k) / n);
    classOf[unit] = c;
    gain2[c]! += rows[unit]!;
    size[c]! += 1;
  });
  for (let c = 0; c < k; c++) gain2[c]! /= size[c]!;
  return { classOf, gain2, size };
}

/** Per class: slope, and the mean diagonal of the predicted covariances. */
function classStatistics(
  classes: { classOf: Uint16Array; gain2: Float64Array; size: Float64Array },
  slope: Float64Array,
  cx: Float64Array,
  cphi: Float64Array,
  n: number,
): NonNullable<ActivityPrediction['gainClasses']> {
  const k = classes.gain2.length;
  const [vx, vp] = [new Float64Array(k), new Float64Array(k)];
  for (let i = 0; i < n; i++) {
    const c = classes.classOf[i]!;
    vx[c]! += cx[i * n + i]! / classes.size[c]!;
    vp[c]! += cphi[i * n + i]! / classes.size[c]!;
  }
  return { ...classes, slope: Float64Array.from(slope), varianceX: vx, variancePhi: vp };
}

function sum(s: Float64Array): number {
  return s.reduce((x, y) => x + y, 0);
}

/** (Σ s)² / Σ s². */
function participation(s: Float64Array): number {
  return sum(s) ** 2 / s.reduce((x, y) => x + y * y, 0);
}
