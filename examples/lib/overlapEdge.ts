/**
 * The large-N right edge of the eigenvalues of random-mode couplings J = Σ_a D_a ℓ_a r_aᵀ with
 * input/output-mode overlaps E[ℓ_ia r_ia] = ρ_a/N (PRX 15, 041019, Sec. VII), and the linear
 * slope of the overlap single-site theory: where the Fig. 7 networks sit relative to the edge of
 * linear stability. Our derivation, from the mode cavity of `solveOverlapDMFT` with φ(x) = x and
 * 1 + iω replaced by z: for real z right of the spectrum the trace of the resolvent per unit,
 * S(z) = tr (z − J)⁻¹/N, obeys S = 1/(z − R(S)) with R(S) = α⟨ρD/(1 − ρDS)⟩, and its second
 * moment diverges where U(S) = α⟨D²S²/(1 − ρDS)²⟩ = 1 (the |1 − U|² of Eq. 51). U grows from 0
 * with S, so the edge is z = 1/S_c + R(S_c) at the root S_c of U = 1. Limits: ρ = 0 gives
 * √(α⟨D²⟩) (the circular law's radius), D = g, ρ = τ, α = 1 gives g(1 + τ)² (τ = 1: J = g LLᵀ,
 * the Marchenko–Pastur edge 4g). It is the right end of the support on the real axis; for the
 * sigmoidal profiles of Fig. 7 (γ_ρ = 0, ±0.4) a scan of U = 1 off the axis found no point
 * further right.
 */

/** Modes of the coupling: singular values D_a, overlaps ρ_a, α = modes per unit. */
export interface OverlapModes {
  spectrum: Float64Array;
  overlaps: Float64Array;
  alpha?: number;
}

function modeAverage(m: OverlapModes, f: (d: number, rho: number) => number): number {
  let sum = 0;
  for (let a = 0; a < m.spectrum.length; a++) sum += f(m.spectrum[a]!, m.overlaps[a]!);
  return ((m.alpha ?? 1) * sum) / m.spectrum.length;
}

/** R(S) = α⟨ρD/(1 − ρDS)⟩, the self-coupling kernel of the single site at response S. */
function selfCoupling(m: OverlapModes, s: number): number {
  return modeAverage(m, (d, rho) => (rho * d) / (1 - rho * d * s));
}

/** U(S) = α⟨D²S²/(1 − ρDS)²⟩ at a real response S. */
function modeGain(m: OverlapModes, s: number): number {
  return modeAverage(m, (d, rho) => (d * s) ** 2 / (1 - rho * d * s) ** 2);
}

/** The right edge of the large-N spectrum of J on the real axis. */
export function overlapEdge(m: OverlapModes): number {
  // U increases from 0 with S, up to its pole at 1/max ρD (without positive ρD, without bound).
  const top = Math.max(0, ...Array.from(m.spectrum, (d, a) => d * m.overlaps[a]!));
  let hi = top > 0 ? 1 / top : 1;
  while (top === 0 && modeGain(m, hi) < 1) {
    hi *= 2;
    if (hi > 1e12) throw new RangeError('overlapEdge: U(S) stays below 1 (α⟨1/ρ²⟩ < 1)');
  }
  let lo = 0;
  for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (modeGain(m, mid) < 1) lo = mid;
    else hi = mid;
  }
  return 1 / lo + selfCoupling(m, lo);
}

/**
 * The slope a of the linear equivalent that the single site implies at ω = 0: its response to an
 * input current S(0) = a/(1 − aR(0)) when the unit's own output comes back through R, so
 * a = S/(1 + RS). A linear network of that slope on the same J is stable while a·edge < 1.
 */
export function linearSlope(response0: number, kernel0: number): number {
  return response0 / (1 + kernel0 * response0);
}
