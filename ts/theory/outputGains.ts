import { ArgumentError } from '../errors.js';
import type { PhiOption } from '../dynamics/simulation.js';
import { gainParticipation } from '../connectivity/profiles.js';
import { finite, options } from '../validate.js';
import { dimension, type DimensionTheory } from './dimensionTheory.js';

/** Options of {@link outputGainDimension}. */
export interface OutputGainOptions {
  /** Effective coupling strength g_eff = √(α r₂ q₂) (PRX 2025, Sec. VI). */
  g: number;
  /** γ = 1/(αPR^D), the inverse effective rank of the random-mode couplings (default 0: iid). */
  gamma?: number;
  /** The gains: PR^G = q₂²/q₄ ∈ (0, 1] (Eq. 45), or the gains themselves (PR^G computed). */
  gains: { pr: number } | Float64Array;
  /** Nonlinearity φ (default 'tanh'; the paper uses 'erf', i.e. erf(√π x/2)). */
  phi?: PhiOption;
  /** Lag step of the DMFT solution (default 0.05). */
  dt?: number;
}

/** PR^φ/N of the three readouts of a network with output gains, from one DMFT solution. */
export interface OutputGainDimensions {
  /** Normalised (z-scored) rates φ_i, Eq. (46b). */
  normalised: number;
  /** Unnormalised outputs Φ_i = G_iφ_i, Eq. (46a). */
  unnormalised: number;
  /** Normalised rates through independent readout gains of the same distribution, Eq. (J18). */
  readout: number;
}

/** Result of {@link outputGainDimension}. */
export interface OutputGainDimension extends OutputGainDimensions {
  /** PR^G and γ used. */
  prG: number;
  gamma: number;
  /** The dimension theory at g = g_eff (iid values, κ^φ and the DMFT). */
  theory: DimensionTheory;
  /** The three dimensions at other γ and PR^G (no new integration). */
  at(gamma: number, prG: number): OutputGainDimensions;
}

/**
 * Dimension of activity of random-mode networks with single-neuron output gains, Φ_i = G_iφ(x_i)
 * (coupling matrix J diag(G)): Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019
 * (2025), Sec. VI and App. J. The single-site theory is the iid one at g_eff = √(α r₂ q₂)
 * (Eq. J9: the field variance is α r₂ q₂ C^φ). With h = 1/PR^G, X = (1+iω₁)(1+iω₂),
 * ν = (g_eff⟨φ'⟩)² (so g_eff²S^φ₁₂ = ν/X):
 *
 * - (46b) Ψ^φ = [1 + (h + γ − 1)|g²S₁₂|²]/|1 − g²S₁₂|² C^φ₁₂: the random-mode result with
 *   γ → γ + h − 1, so N/PR^φ = N/PR_iid + κ^φ(γ + h − 1);
 * - (46a) Ψ^Φ = [h + γ|g²S₁₂|²]/|1 − g²S₁₂|² q₂²C^φ₁₂, so N/PR^Φ = h·N/PR_iid + κ^φγ;
 * - (J18) Ψ^readout = q₂²[Ψ^φ + (h − 1)C^φ₁₂], so N/PR^readout = N/PR^φ + h − 1
 *
 * (the reductions to N/PR_iid = 1 + ψ^φ/C^φ(0)² and κ^φ = ∫∫ν²/|X−ν|²C^φC^φ/C^φ(0)² of
 * {@link dimension} are ours). Normalised > readout > unnormalised. These are rate (φ)
 * dimensions: the paper gives no current (x) formula with gains. The row-gain option of
 * `randomMode` (diag(h)J) is a different model, not covered here.
 *
 * @example
 * ```ts
 * const d = outputGainDimension({ g: 3, gamma: 1, gains: { pr: 0.4 }, phi: 'erf' });
 * d.normalised;   // 0.0224 (0.0280 with equal gains)
 * d.readout;      // 0.0191
 * d.unnormalised; // 0.0156
 * ```
 */
export function outputGainDimension(opts: OutputGainOptions): OutputGainDimension {
  const o = options('options', opts, ['g', 'gamma', 'gains', 'phi', 'dt']);
  const g = finite('g', o.g, { min: 0, exclusiveMin: true });
  const gamma = o.gamma === undefined ? 0 : finite('gamma', o.gamma, { min: 0 });
  let prG: number;
  if (o.gains instanceof Float64Array) prG = gainParticipation(o.gains);
  else prG = finite('gains.pr', options('gains', o.gains, ['pr']).pr, { min: 0, exclusiveMin: true, max: 1 });
  const theory = dimension({ g, gamma: 0, phi: o.phi as PhiOption | undefined, dt: o.dt as number | undefined });
  const iid = 1 / theory.prPhi;
  const kappa = theory.kappaPhi;
  const at = (gm: number, pr: number): OutputGainDimensions => {
    finite('gamma', gm, { min: 0 });
    if (!(pr > 0 && pr <= 1)) throw new ArgumentError('prG', `must be in (0, 1], got ${pr}`);
    const h = 1 / pr;
    const normalised = 1 / (iid + kappa * (gm + h - 1));
    return { normalised, unnormalised: 1 / (h * iid + kappa * gm), readout: 1 / (1 / normalised + h - 1) };
  };
  return { ...at(gamma, prG), prG, gamma, theory, at };
}
