import { ArgumentError, NoSolutionError } from '../errors.js';
import { phiOption, type PhiOption } from '../dynamics/simulation.js';
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
   * nonlinear networks reading `prX`, `psiX` or `kappaX` (also of `vsRank`) throws
   * {@link NoSolutionError} (see `currentsPredicted`; they are not enumerable then); for linear φ,
   * x ∝ φ and they equal the rate values.
   */
  noise?: number;
  /** Lag step of the DMFT solution fed to the frequency integrals (default 0.05). */
  dt?: number;
}

/** Dimension theory together with the mean-field solution it rests on. */
export interface DimensionTheory extends DimensionResult {
  /**
   * Whether the theory predicts the current statistics `prX`, `psiX`, `kappaX`: false for noisy
   * nonlinear networks (see {@link DimensionTheoryOptions.noise}), where reading them throws.
   */
  currentsPredicted: boolean;
  /** The stationary DMFT solution (C^x = Δ, C^φ, ν). */
  dmft: DmftSolution;
  /** PR^x/N and PR^φ/N at other γ (no new integration). */
  vsRank(gamma: Float64Array): { prX: Float64Array; prPhi: Float64Array };
}

/** Replaces `keys` of `target` by non-enumerable getters that throw: the theory does not predict them. */
function unpredicted<T extends object>(target: T, keys: readonly string[]): T {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: false,
      get: () => {
        throw new NoSolutionError(`${key}: the theory does not predict currents of noisy nonlinear networks (rates only)`);
      },
    });
  }
  return target;
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
  const o = options('options', opts, ['g', 'gamma', 'network', 'phi', 'noise', 'dt']);
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
  const linear = phiOption('phi', o.phi ?? 'tanh').kind === 'linear';
  const dmft = solveDMFT({ g, phi: o.phi as PhiOption | undefined, noise: o.noise as number | undefined, dt: o.dt as number | undefined, lyapunov: false });
  if (dmft.regime === 'quiescent' || dmft.regime === 'fixed-point') {
    throw new ArgumentError('g', `the network is ${dmft.regime} at g = ${g}: no fluctuations (add noise or raise g)`);
  }
  const raw = dimensionFromCorrelations({ dt: dmft.dt, cx: dmft.delta, cphi: dmft.cphi, nu: dmft.nu, gamma });
  if (dmft.regime !== 'noisy') {
    return { ...raw, currentsPredicted: true, dmft, vsRank: (gammas: Float64Array) => dimensionVsRank(raw, gammas) };
  }
  // Noisy: the rate theory holds; currents only for linear φ, where x ∝ φ.
  const scale = dmft.cphi[0]! / dmft.delta[0]!;
  const vsRank = (gammas: Float64Array) => {
    const { prPhi } = dimensionVsRank(raw, gammas);
    return linear ? { prPhi, prX: prPhi.slice() } : unpredicted({ prPhi, prX: prPhi }, ['prX']);
  };
  const result = { ...raw, currentsPredicted: linear, dmft, vsRank };
  if (!linear) return unpredicted(result, ['prX', 'psiX', 'kappaX']);
  return { ...result, prX: raw.prPhi, psiX: raw.psiPhi / (scale * scale), kappaX: raw.kappaPhi };
}
