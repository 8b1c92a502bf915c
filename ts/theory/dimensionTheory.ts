import { ArgumentError } from '../errors.js';
import type { PhiOption } from '../dynamics/simulation.js';
import { finite, options } from '../validate.js';
import { dimensionFromCorrelations, dimensionVsRank, type DimensionResult } from './dimension.js';
import { solveDMFT, type DmftSolution } from './dmft.js';

/** Options of {@link dimension}. */
export interface DimensionTheoryOptions {
  /** Coupling gain g (for random-mode couplings g² = α⟨D²⟩). Taken from `network` if given. */
  g?: number;
  /** Inverse effective rank γ = N/PR^D of random-mode couplings (0 = iid, the default). */
  gamma?: number;
  /** A random-mode network (from `randomMode`) whose g and γ to use. */
  network?: { g: number; gamma: number; gains?: Float64Array };
  /** Nonlinearity: odd φ without bias ('tanh' by default, 'erf', 'linear' below g = 1 with noise). */
  phi?: PhiOption;
  /**
   * White-noise amplitude σ (default 0). With noise the rate formula still holds (the sources stay
   * independent across neurons), but the current formula (12)/(16) assumes x = S J φ: for noisy
   * nonlinear networks `prX`, `psiX` and `kappaX` are NaN; for linear φ, x ∝ φ and they equal the
   * rate values.
   */
  noise?: number;
  /** Lag step of the DMFT solution fed to the frequency integrals (default 0.05). */
  dt?: number;
}

/** Dimension theory together with the mean-field solution it rests on. */
export interface DimensionTheory extends DimensionResult {
  /** The stationary DMFT solution (C^x = Δ, C^φ, ν). */
  dmft: DmftSolution;
  /** PR^x/N and PR^φ/N at other γ (no new integration). */
  vsRank(gamma: Float64Array): { prX: Float64Array; prPhi: Float64Array };
}

/**
 * Dimension of activity PR/N = (tr C)²/(N tr C²) of a random network, from the stationary
 * DMFT and the two-site cavity: Clark, Abbott & Litwin-Kumar, PRL 131, 118401 (2023) for iid
 * couplings; for random-mode couplings without overlaps the same single-site theory at
 * g² = α⟨D²⟩ plus the rank term N/PR = N/PR_iid + κγ (our derivation, theory note §3.3,
 * validated exactly on linear networks).
 *
 * @example
 * ```ts
 * const d = dimension({ g: 2 });
 * d.prX;   // 0.015915 (PR^x/N)
 * d.prPhi; // 0.019741
 * dimension({ g: 2, gamma: 4 }).prPhi; // 0.004415
 * ```
 */
export function dimension(opts: DimensionTheoryOptions): DimensionTheory {
  const o = options('options', opts);
  let g: number;
  let gamma: number;
  if (o.network !== undefined) {
    const net = options('network', o.network);
    if (net.gains !== undefined) {
      throw new ArgumentError('network', 'row gains: the dimension theory covers random-mode couplings without gains');
    }
    if (o.g !== undefined || o.gamma !== undefined) throw new ArgumentError('network', 'give either network or g/gamma');
    g = finite('network.g', net.g, { min: 0, exclusiveMin: true });
    gamma = finite('network.gamma', net.gamma, { min: 0 });
  } else {
    g = finite('g', o.g, { min: 0, exclusiveMin: true });
    gamma = o.gamma === undefined ? 0 : finite('gamma', o.gamma, { min: 0 });
  }
  const dmft = solveDMFT({ g, phi: o.phi as PhiOption | undefined, noise: o.noise as number | undefined, dt: o.dt as number | undefined, lyapunov: false });
  if (dmft.regime === 'quiescent' || dmft.regime === 'fixed-point') {
    throw new ArgumentError('g', `the network is ${dmft.regime} at g = ${g}: no fluctuations (add noise or raise g)`);
  }
  const raw = dimensionFromCorrelations({ dt: dmft.dt, cx: dmft.delta, cphi: dmft.cphi, nu: dmft.nu, gamma });
  let result: DimensionResult = raw;
  if (dmft.regime === 'noisy') {
    const linear = (typeof o.phi === 'object' && o.phi !== null ? (o.phi as { kind?: unknown }).kind : o.phi) === 'linear';
    const scale = linear ? dmft.cphi[0]! / dmft.delta[0]! : Number.NaN;
    result = {
      ...raw,
      prX: linear ? raw.prPhi : Number.NaN,
      psiX: linear ? raw.psiPhi / (scale * scale) : Number.NaN,
      kappaX: linear ? raw.kappaPhi : Number.NaN,
    };
  }
  const vsRank = (gammas: Float64Array) => {
    const curve = dimensionVsRank(raw, gammas);
    if (dmft.regime !== 'noisy') return curve;
    return { prPhi: curve.prPhi, prX: Number.isNaN(result.prX) ? curve.prX.map(() => Number.NaN) : curve.prPhi.slice() };
  };
  return { ...result, dmft, vsRank };
}
