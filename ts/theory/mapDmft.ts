/**
 * Discrete-time networks, the δ-map x_{t+1} = (1 − δ)x_t + δ Jφ(x_t) + σ√δ ξ_t (forward Euler
 * with step δ: `new Simulation({ method: 'euler', dt: δ })`; δ = 1 is x_{t+1} = Jφ(x_t) + σξ_t),
 * for iid or random-mode couplings and odd φ without bias. Mean field and dimension are derived
 * here (module doc of `crate/src/theory/map_dmft.rs`): the DMFT is the second-order recurrence
 * (1 + q²)Δ(τ) − q[Δ(τ+1) + Δ(τ−1)] = δ²g²C_φ(Δ(τ)) + δσ²[τ = 0], q = 1 − δ, and the dimension is
 * the continuous-time formula (PRX 15, 041019, Eq. 38; our Eq. 16 for x) with the map's
 * propagator, X_j = (e^{iω_j} − q)/δ. At δ = 1 without noise: PR^φ/N = (1 − r)/(1 + γr),
 * PR^x/N = (1 − r)/(2 + γ − r), r = (g⟨φ'⟩)⁴.
 */

import { ArgumentError } from '../errors.js';
import { call } from '../runtime/call.js';
import { phiCode, phiOption, type PhiOption } from '../dynamics/simulation.js';
import { finite, integer, options } from '../validate.js';

const SCALARS = 7;

/** Options of {@link solveMapDMFT}. */
export interface MapDmftOptions {
  /** Coupling gain g (J_ij ~ N(0, g²/N); for random-mode couplings g² = α⟨D²⟩). */
  g: number;
  /** Step δ ∈ (0, 1]. */
  delta: number;
  /** Odd nonlinearity without bias: 'tanh' (default), 'erf', or 'linear' (with noise). */
  phi?: PhiOption;
  /** Noise amplitude σ (default 0). */
  noise?: number;
  /** Inverse effective rank γ = N/PR^D of random-mode couplings for the dimension (default 0, iid). */
  gamma?: number;
  /** Number of lags returned (default 1000; the solution itself runs until Δ decays to 1e−14 Δ0). */
  maxLag?: number;
}

/** The stationary δ-map mean field and dimension. */
export interface MapDmftSolution {
  /** Single-unit variance Δ0, ⟨φ'⟩ and ν = (g⟨φ'⟩)². */
  delta0: number;
  meanSlope: number;
  nu: number;
  /**
   * At δ = 1, ½ ln(g²⟨φ'²⟩), the largest Lyapunov exponent of the map's mean field (NaN for
   * δ < 1). The theory describes chaotic (or noise-driven) activity: below 0 the noiseless map
   * settles instead (measured at g = 1.5, N = 1000: PR^φ/N 0.06 simulated against 0.11).
   */
  lyapunov: number;
  /** Δ(τ) and C_φ(τ) at τ = 0, 1, … (integer steps). */
  delta: Float64Array;
  cphi: Float64Array;
  /** Dimension PR^x/N and PR^φ/N at `gamma`; PR^x only for noiseless networks (NaN for noisy nonlinear ones; for linear φ, x = φ). */
  prX: number;
  prPhi: number;
}

/**
 * Mean field and dimension of the δ-map (see the module doc).
 *
 * @example
 * ```ts
 * const m = solveMapDMFT({ g: 2, delta: 1 });
 * const r = m.nu ** 2; // (g⟨φ'⟩)⁴
 * m.prPhi; // = 1 − r
 * m.prX;   // = (1 − r)/(2 − r)
 * ```
 */
export function solveMapDMFT(opts: MapDmftOptions): MapDmftSolution {
  const o = options('options', opts, ['g', 'delta', 'phi', 'noise', 'gamma', 'maxLag']);
  const g = finite('g', o.g, { min: 0, exclusiveMin: true });
  const delta = finite('delta', o.delta, { min: 0, exclusiveMin: true, max: 1 });
  const phi = phiOption('phi', o.phi ?? 'tanh');
  if (phi.kind === 'relu') throw new ArgumentError('phi', 'the δ-map theory needs an odd φ (tanh, erf or linear)');
  const noise = finite('noise', o.noise ?? 0, { min: 0, max: 100 });
  if (phi.kind === 'linear' && noise === 0) throw new ArgumentError('noise', 'a linear map needs noise (σ > 0) to fluctuate');
  const gamma = finite('gamma', o.gamma ?? 0, { min: 0 });
  const cap = integer('maxLag', o.maxLag ?? 1000, { min: 1, max: 1 << 20 });
  return call((b) => {
    const sc = b.output(SCALARS);
    const lags = b.output(cap);
    const cphi = b.output(cap);
    b.check(b.exports.rnl_map_solve(phiCode(phi.kind), phi.gain, g, delta, noise, gamma, cap, sc, lags, cphi));
    const s = b.read(sc, SCALARS);
    const k = Math.min(cap, s[5]!);
    const nonlinearNoisy = noise > 0 && phi.kind !== 'linear';
    return {
      delta0: s[0]!,
      meanSlope: s[1]!,
      nu: s[2]!,
      lyapunov: delta === 1 ? 0.5 * Math.log(g * g * s[6]!) : Number.NaN,
      delta: b.read(lags, k),
      cphi: b.read(cphi, k),
      prX: phi.kind === 'linear' ? s[4]! : nonlinearNoisy ? Number.NaN : s[3]!,
      prPhi: s[4]!,
    };
  });
}
