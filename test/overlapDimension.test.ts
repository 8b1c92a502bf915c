import { describe, expect, it } from 'vitest';
import { Simulation, blockParticipation, dimension, linearCovariance, overlapDimension, randomMode, sigmoidOverlaps, solveDMFT, spectrum } from '../ts/index.js';
import { argumentError } from './support/errors.js';

/** The exact single-site solution without overlaps: the iid DMFT at g, S^φ = ⟨φ'⟩/(1 + iω). */
function iidSingleSite(g: number) {
  const dm = solveDMFT({ g, phi: 'erf', lyapunov: false });
  const m = Math.sqrt(dm.nu) / g;
  const frequencies = Float64Array.from({ length: 50_000 }, (_, k) => k * 0.004);
  return {
    lags: Float64Array.from(dm.cphi, (_, j) => j * dm.dt),
    cphi: dm.cphi,
    frequencies,
    response: { re: frequencies.map((w) => m / (1 + w * w)), im: frequencies.map((w) => (-m * w) / (1 + w * w)) },
  };
}

describe('dimension with mode overlaps (PRX 2025, Eq. 51)', () => {
  it('validates its arguments', () => {
    const d = new Float64Array([1, 2]);
    const sol = iidSingleSite(2);
    expect(argumentError(() => overlapDimension({ spectrum: new Float64Array(0), solution: sol }))).toBe('spectrum');
    expect(argumentError(() => overlapDimension({ spectrum: d, overlaps: 2, solution: sol }))).toBe('overlaps');
    expect(argumentError(() => overlapDimension({ spectrum: d, alpha: 0, solution: sol }))).toBe('alpha');
    expect(argumentError(() => overlapDimension({ spectrum: d }))).toBe('solution');
    expect(argumentError(() => overlapDimension({ spectrum: d, solution: { ...sol, frequencies: sol.frequencies.map((w) => w * w) } }))).toBe('solution.frequencies');
    expect(argumentError(() => sigmoidOverlaps({ spectrum: d, gammaRho: 1.5 }))).toBe('gammaRho');
    // |U(0,0)| ≥ 1: g_eff = 3 spectrum with the response of a g = 2 network.
    expect(argumentError(() => overlapDimension({ spectrum: new Float64Array([4]), solution: sol }))).toBe('response');
  });

  it('sigmoid overlaps have ⟨Dρ⟩ = 0', () => {
    const D = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 200, g: 3 });
    for (const gammaRho of [-0.5, 0, 0.8]) {
      const { overlaps, uFlip } = sigmoidOverlaps({ spectrum: D, gammaRho });
      expect(Math.abs(D.reduce((s, v, a) => s + v * overlaps[a]!, 0))).toBeLessThan(1e-10);
      expect(uFlip).toBeGreaterThan(0);
      expect(Math.sign(overlaps[0]!)).toBe(Math.sign(gammaRho));
    }
  });

  it('reproduces the random-mode dimension at γ_ρ = 0', () => {
    for (const g of [2, 3]) {
      const D = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 100, g });
      let s2 = 0;
      let s4 = 0;
      for (const v of D) [s2, s4] = [s2 + v * v, s4 + v ** 4];
      const got = overlapDimension({ spectrum: D, solution: iidSingleSite(g) });
      const want = dimension({ g, gamma: (100 * s4) / (s2 * s2), phi: 'erf' }).prPhi;
      // Measured 8e−5 (g = 2), 6e−5 (g = 3): the two codes' spectra of the same lag data.
      expect(Math.abs(got.prPhi / want - 1)).toBeLessThan(2e-4);
    }
  });

  it('equals the exact covariance of sampled linear networks with overlaps (Lyapunov, N = 800)', () => {
    // Linear φ with noise: the network's covariance is the Lyapunov solution for the sampled J.
    // Measured PR/N (Lyapunov against Eq. 51): γ_ρ = 0: 0.6871 / 0.6913; 0.3: 0.3192 / 0.3265;
    // −0.9: 0.4804 / 0.4698; at N = 1200 −0.5: 0.7498 / 0.7541.
    const [n, g] = [800, 0.6];
    const full = spectrum({ shape: { kind: 'exponential', beta: 2 }, n, g });
    const coarse = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 100, g });
    const dmft = { seed: 3, phi: 'linear', noise: 1, dt: 0.1, steps: 1024, samples: 1024, iterations: 30 } as const;
    const pr = [0, 0.3, -0.9].map((gammaRho) => {
      const J = randomMode({ n, spectrum: full, overlaps: sigmoidOverlaps({ spectrum: full, gammaRho }).overlaps, seed: 21 }).J;
      const C = linearCovariance(J, { noise: 1 }).covariance.data;
      let [t, f] = [0, 0];
      for (let i = 0; i < n; i++) t += C[i * n + i]!;
      for (const v of C) f += v * v;
      const theory = overlapDimension({ spectrum: coarse, overlaps: sigmoidOverlaps({ spectrum: coarse, gammaRho }).overlaps, dmft }).prPhi;
      return { exact: (t * t) / (n * f), theory };
    });
    for (const p of pr) expect(Math.abs(p.theory / p.exact - 1)).toBeLessThan(0.04);
    // The effect of the overlaps (ratio to γ_ρ = 0), a factor 0.47 and 0.70 here.
    for (const p of pr.slice(1)) expect(Math.abs(p.theory / pr[0]!.theory / (p.exact / pr[0]!.exact) - 1)).toBeLessThan(0.04);
    expect(pr[1]!.exact / pr[0]!.exact).toBeLessThan(0.5);
  }, 180_000);

  // Known disagreement, kept as a failing comparison until explained (Eq. 51 itself matches the
  // exact covariance of linear overlap networks, above): measured (seeds 3, 21/22,
  // T = 500) sim 0.0215 ± 0.0023 → 0.0234 ± 0.0020 (ratio 1.09) against theory 0.0190 → 0.0139
  // (ratio 0.73); at γ_ρ = 0.5 sim ratio 0.81 against theory 0.47. The γ_ρ = 0 end agrees.
  it.fails('matches the effect of γ_ρ = 0.25 in simulations at N = 1000 (erf, g_eff = 3, αPR_D ≈ 0.48)', () => {
    const n = 1000;
    const g = 3;
    const coarse = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 100, g });
    const full = spectrum({ shape: { kind: 'exponential', beta: 2 }, n, g });
    const dmft = { seed: 3, phi: 'erf', dt: 0.1, steps: 1024, samples: 1024, iterations: 30 } as const;
    const theory = [0, 0.25].map((gammaRho) => overlapDimension({ spectrum: coarse, overlaps: sigmoidOverlaps({ spectrum: coarse, gammaRho }).overlaps, dmft }).prPhi);
    const sim = [0, 0.25].map((gammaRho) => {
      const net = randomMode({ n, spectrum: full, overlaps: sigmoidOverlaps({ spectrum: full, gammaRho }).overlaps, seed: 21 });
      using s = new Simulation({ J: net.J, phi: 'erf', method: 'rk4', dt: 0.1, seed: 22 });
      s.run({ steps: 500, record: 'none' });
      const e = blockParticipation(s.run({ steps: 5000, stride: 5, record: 'phi' }).phi!, { blocks: 8 });
      return [e.cross.prOverN, e.cross.seOverN] as const;
    });
    console.log(
      `γ_ρ = 0:   sim ${sim[0]![0].toFixed(4)} ± ${sim[0]![1].toFixed(4)}  theory ${theory[0]!.toFixed(4)}\n` +
        `γ_ρ = 0.25: sim ${sim[1]![0].toFixed(4)} ± ${sim[1]![1].toFixed(4)}  theory ${theory[1]!.toFixed(4)}\n` +
        `ratio sim ${(sim[1]![0] / sim[0]![0]).toFixed(3)} theory ${(theory[1]! / theory[0]!).toFixed(3)}`,
    );
    expect(Math.abs(sim[0]![0] / theory[0]! - 1)).toBeLessThan(0.25);
    expect(Math.abs(sim[1]![0] / sim[0]![0] - theory[1]! / theory[0]!)).toBeLessThan(0.15);
  }, 180_000);
});
