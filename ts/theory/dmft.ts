import { ArgumentError, NoSolutionError } from '../errors.js';
import { call, checkBudget } from '../runtime/call.js';
import { phiCode, phiOption, type PhiOption } from '../dynamics/simulation.js';
import { finite, flag, options, vector } from '../validate.js';

const REGIMES = ['quiescent', 'fixed-point', 'chaotic', 'noisy'] as const;
const SCALARS = 18;
const MAX_LAGS = 2 ** 22;

/** Options of {@link solveDMFT}. */
export interface DmftOptions {
  /**
   * Coupling gain g: J_ij ~ N(0, g²/N) (for a random-mode J without overlaps, g² = α⟨D²⟩), at
   * most 1e4. The Hermite kernels cover single-unit variances up to a√Δ0 ≈ 47 for tanh (a = the
   * gain of φ; for erf a strip 0.76 times as wide), where the truncated series still resolves
   * E[φ²] to ~1e−10 in about a second: beyond that (tanh without noise: g ≳ 55) the solver
   * throws an ArgumentError naming `g` (or `noise` when the noise dominates).
   */
  g: number;
  /** Nonlinearity (default `'tanh'`). ReLU has bounded chaos only with a positive bias, below g = √2/a. */
  phi?: PhiOption;
  /** Constant input b to every neuron; Δ(τ) is then the covariance of x − b. Default 0. */
  bias?: number;
  /** White-noise amplitude σ, ⟨ξ(t)ξ(t')⟩ = σ²δ(t − t'). Default 0; bounded through Δ0 as for `g`. */
  noise?: number;
  /** Lag step of the output grid (default 0.05). */
  dt?: number;
  /** Last lag; default: until Δ − Δ∞ has decayed to 1e−13 of Δ0 − Δ∞. */
  tauMax?: number;
  /** Also compute the largest Lyapunov exponent (default true). */
  lyapunov?: boolean;
  /**
   * Single-neuron heterogeneity J → diag(h)J (row gains; odd φ, no bias, no noise): the gains
   * of a network (up to 256 used exactly; more are pooled into 256 equal-count groups by mean h²),
   * or lognormal gains h = exp(σz − σ²) integrated by a 24-point Gauss–Hermite rule. The
   * solution is then the population-normalised Δ̄(τ) and a neuron with gain h has
   * Δ_h(τ) = h²Δ̄(τ): variances scale with h², z-scored autocorrelations are identical
   * (theory note §5.1; our derivation).
   */
  gains?: Float64Array | { lognormalSigma: number };
}

/** Stationary mean-field solution on the lag grid τ_j = j·dt. */
export interface DmftSolution {
  /** 'quiescent' (Δ ≡ 0), 'fixed-point' (static, Δ ≡ Δ0), 'chaotic' or 'noisy'. */
  regime: (typeof REGIMES)[number];
  /** Single-unit variance Δ0 = Δ(0). */
  delta0: number;
  /** Static part Δ∞ = lim Δ(τ) (0 for odd φ without bias). */
  deltaInf: number;
  /** ⟨φ'⟩ over N(b, Δ0). */
  meanSlope: number;
  /** ν = (g⟨φ'⟩)². */
  nu: number;
  /** Rate λ of the exponential tail Δ − Δ∞ ∝ e^{−λτ}, λ² = 1 − g² C_d(Δ∞) (= √(1 − ν) for odd φ). */
  tailRate: number;
  /** ⟨φ⟩ and C_φ(0) = ⟨φ²⟩. */
  meanPhi: number;
  cphi0: number;
  /** Largest Lyapunov exponent λ_max = −1 + √(−E0) (NaN if not requested). */
  lyapunovExponent: number;
  dt: number;
  lags: Float64Array;
  /** Δ(τ) = ⟨δx(t)δx(t+τ)⟩ with δx = x − b. */
  delta: Float64Array;
  /** C_φ(τ) = ⟨φ(x(t))φ(x(t+τ))⟩ (not mean-subtracted). */
  cphi: Float64Array;
  /** C_d(τ) = ⟨φ'(x(t))φ'(x(t+τ))⟩. */
  cslope: Float64Array;
  /** Δ at any lag ≥ 0: the grid, continued by its analytic tail beyond it. */
  deltaAt(tau: number): number;
  diagnostics: {
    /** Hermite terms kept and E[φ²] left out by them (bounds the kernel error). */
    hermiteTerms: number;
    hermiteTail: number;
    /** Lag where the analytic tail A e^{−λτ} + B e^{−2λτ} takes over, and A, B. */
    switchLag: number;
    tailA: number;
    tailB: number;
    /** −Δ'/(Δ − Δ∞) of the integrated solution at the switch (≈ tailRate on the separatrix). */
    shootingRate: number;
    /** Ground and first excited energies of H = −∂² − g²C_d (E1 = −1 is the zero mode Δ'). */
    groundEnergy: number;
    zeroModeEnergy: number;
  };
}


/**
 * Stationary dynamical mean-field theory of dx/dt = −x + Jφ(x) + b + ξ with J_ij ~ N(0, g²/N)
 * (Sompolinsky, Crisanti & Sommers 1988): Δ0 from the energy condition
 * σ⁴/8 + V(Δ0) = V(Δ∞), V(Δ) = −Δ²/2 + g²E[Φ(u)Φ(v)], then Δ(τ) from Δ'' = Δ − g²C_φ(Δ) with
 * Gaussian kernels by Hermite expansion (no Monte Carlo), an analytic exponential tail, and the
 * largest Lyapunov exponent from the Schrödinger problem −∂² − g²C_d(τ). Valid input without a
 * bounded stationary state (e.g. ReLU without bias at g = 2) throws {@link NoSolutionError}.
 *
 * @example
 * ```ts
 * const s = solveDMFT({ phi: 'tanh', g: 2 });
 * s.delta0;            // 1.9248054…
 * s.deltaAt(2);        // 1.69966…
 * s.lyapunovExponent;  // 0.1125…
 * ```
 */
export function solveDMFT(opts: DmftOptions): DmftSolution {
  const o = options('options', opts, ['g', 'phi', 'bias', 'noise', 'dt', 'tauMax', 'lyapunov', 'gains']);
  const g = finite('g', o.g, { min: 0, exclusiveMin: true, max: 1e4 });
  const phi = phiOption('phi', o.phi ?? 'tanh');
  const bias = finite('bias', o.bias ?? 0);
  const noise = finite('noise', o.noise ?? 0, { min: 0 });
  const dt = finite('dt', o.dt ?? 0.05, { min: 0, exclusiveMin: true, max: 10 });
  const tauMax = o.tauMax === undefined ? 0 : finite('tauMax', o.tauMax, { min: dt });
  if (tauMax > 0 && tauMax / dt >= MAX_LAGS) {
    throw new ArgumentError('tauMax', `gives ${Math.round(tauMax / dt) + 1} lags, more than ${MAX_LAGS}`);
  }
  const gains = o.gains === undefined ? { lognormalSigma: -1 } : gainDistribution(o.gains);
  if (o.gains !== undefined && (phi.kind === 'relu' || bias !== 0 || noise > 0)) {
    throw new ArgumentError('gains', 'row-gain heterogeneity needs an odd φ without bias and without noise');
  }
  const lyapunov = o.lyapunov === undefined ? true : flag('lyapunov', o.lyapunov);
  return call((b) => {
    const sc = b.output(SCALARS);
    b.check(
      b.exports.rnl_dmft_solve(
        phiCode(phi.kind), phi.gain, bias, g, noise, dt, tauMax, lyapunov ? 1 : 0,
        b.optional(gains.pairs), gains.pairs ? gains.pairs.length / 2 : 0, gains.lognormalSigma, sc,
      ),
    );
    const s = b.read(sc, SCALARS);
    const n = s[0]!;
    checkBudget('tauMax', 8 * 6 * n);
    const pd = b.output(n);
    const pc = b.output(n);
    const ps = b.output(n);
    b.check(b.exports.rnl_dmft_lags(pd, pc, ps));
    const delta = b.read(pd, n);
    const lags = Float64Array.from({ length: n }, (_, j) => j * dt);
    const [deltaInf, tailRate, tailA, tailB] = [s[3]!, s[6]!, s[7]!, s[8]!];
    const deltaAt = (tau: number): number => {
      finite('tau', tau, { min: 0 });
      const j = tau / dt;
      if (j <= n - 1) {
        const i = Math.min(Math.floor(j), n - 2);
        const f = j - i;
        return (1 - f) * delta[i]! + f * delta[i + 1]!;
      }
      const e = Math.exp(-tailRate * tau);
      return deltaInf + tailA * e + tailB * e * e;
    };
    return {
      regime: REGIMES[s[1]!]!,
      delta0: s[2]!,
      deltaInf,
      meanSlope: s[4]!,
      nu: s[5]!,
      tailRate,
      meanPhi: s[16]!,
      cphi0: s[17]!,
      lyapunovExponent: s[13]!,
      dt,
      lags,
      delta,
      cphi: b.read(pc, n),
      cslope: b.read(ps, n),
      deltaAt,
      diagnostics: {
        hermiteTerms: s[11]!,
        hermiteTail: s[12]!,
        switchLag: s[9]!,
        tailA,
        tailB,
        shootingRate: s[10]!,
        groundEnergy: s[14]!,
        zeroModeEnergy: s[15]!,
      },
    };
  });
}

/** Row gains as (weight, h²) pairs, or the σ of lognormal gains (integrated in the crate). */
function gainDistribution(value: unknown): { pairs?: Float64Array; lognormalSigma: number } {
  if (value instanceof Float64Array) {
    vector('gains', value);
    if (value.length === 0) throw new ArgumentError('gains', 'must not be empty');
    const h2 = Array.from(value, (h) => {
      if (h <= 0) throw new ArgumentError('gains', 'entries must be positive');
      return h * h;
    }).sort((a, b) => a - b);
    const groups = Math.min(256, h2.length);
    const out = new Float64Array(2 * groups);
    for (let q = 0; q < groups; q++) {
      const from = Math.floor((q * h2.length) / groups);
      const to = Math.floor(((q + 1) * h2.length) / groups);
      let s = 0;
      for (let i = from; i < to; i++) s += h2[i]!;
      out[2 * q] = (to - from) / h2.length;
      out[2 * q + 1] = s / (to - from);
    }
    return { pairs: out, lognormalSigma: -1 };
  }
  const o = options('gains', value, ['lognormalSigma']);
  return { lognormalSigma: finite('gains.lognormalSigma', o.lognormalSigma, { min: 0, max: 3 }) };
}

/**
 * Critical coupling gain g_c at which the static state loses stability
 * (g_c² E[φ'²] = 1 at the static mean-field variance; 1/φ'(0) for odd φ without bias). Throws
 * {@link NoSolutionError} when no g ≤ 1e6 destabilises it while its variance stays in the
 * range of the kernels (see {@link DmftOptions.g}), e.g. tanh with a bias far beyond 1.
 *
 * @example
 * ```ts
 * criticalGain({ phi: 'tanh' });             // 1
 * criticalGain({ phi: 'tanh', bias: 0.5 });  // > 1
 * ```
 */
export function criticalGain(opts: { phi?: PhiOption; bias?: number } = {}): number {
  const o = options('options', opts, ['phi', 'bias']);
  const phi = phiOption('phi', o.phi ?? 'tanh');
  const bias = finite('bias', o.bias ?? 0);
  const gc = call((b) => b.exports.rnl_critical_gain(phiCode(phi.kind), phi.gain, bias));
  if (!Number.isFinite(gc)) {
    throw new NoSolutionError(`no critical gain for ${phi.kind} with bias ${bias}: the static state stays stable within the range of the theory`);
  }
  return gc;
}


