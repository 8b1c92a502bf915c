import { describe, expect, it } from 'vitest';
import { ArgumentError, NoSolutionError, Simulation, blockParticipation, iidGaussian, solveDMFT, solveMapDMFT } from '../ts/index.js';

/** The δ-map x_{t+1} = (1 − δ)x_t + δJφ(x_t) + σ√δ ξ: mean field and dimension. */
describe('solveMapDMFT', () => {
  it('gives the δ = 1 closed forms PR^φ/N = 1 − r, PR^x/N = (1 − r)/(2 − r), r = (g⟨φ\')⁴, to 1e−10', () => {
    for (const [g, phi, gamma] of [[2, 'tanh', 0], [3, 'erf', 0], [2.5, 'tanh', 3.9]] as const) {
      const m = solveMapDMFT({ g, delta: 1, phi, gamma });
      const r = (g * m.meanSlope) ** 4;
      expect(m.nu).toBeCloseTo((g * m.meanSlope) ** 2, 14);
      expect(Math.abs(m.prPhi - (1 - r) / (1 + gamma * r))).toBeLessThan(1e-10);
      expect(Math.abs(m.prX - (1 - r) / (2 + gamma - r))).toBeLessThan(1e-10);
      expect(m.delta[1]).toBe(0);
    }
  });

  it('gives the closed-form variance of linear units and tends to the continuous DMFT as δ → 0', () => {
    // Δ0 = δσ² / √((1 + q² − δ²g²)² − 4q²), q = 1 − δ.
    const [g, d, s] = [0.7, 0.3, 0.8];
    const q = 1 - d;
    const b = 1 + q * q - d * d * g * g;
    expect(solveMapDMFT({ g, delta: d, phi: 'linear', noise: s }).delta0 / (d * s * s / Math.sqrt(b * b - 4 * q * q))).toBeCloseTo(1, 9);
    const cont = solveDMFT({ g: 2 }).delta0;
    const dev = [0.1, 0.05, 0.025].map((delta) => Math.abs(solveMapDMFT({ g: 2, delta }).delta0 / cont - 1));
    expect(dev[2]!).toBeLessThan(0.02);
    expect(dev[2]! / dev[1]!).toBeCloseTo(0.25, 1); // measured: the variance converges as δ²
  });

  it('matches the simulated map (tanh, N = 1000): δ = 1, g = 3 and δ = 0.5, g = 2', () => {
    // Measured at δ = 1, g = 3: PR^x/N 0.2516 ± 0.0011 (N = 1000) and 0.2572 ± 0.0007 (N = 2000)
    // against 0.2588; PR^φ/N 0.3408, 0.3476 against 0.3491 (finite-N deficit ≈ 1/N).
    const stats = (g: number, delta: number) => {
      const n = 1000;
      using s = new Simulation({ J: iidGaussian({ n, g, seed: 3 }), method: 'euler', dt: delta, seed: 4 });
      s.run({ steps: 500, record: 'none' });
      const rec = s.run({ steps: 6000, record: 'both' });
      const x = rec.x!;
      let [v, c1] = [0, 0];
      for (let t = 0; t < x.rows; t++) {
        for (let i = 0; i < n; i++) {
          const a = x.data[t * n + i]!;
          v += a * a;
          if (t + 1 < x.rows) c1 += a * x.data[(t + 1) * n + i]!;
        }
      }
      return { v: v / (x.rows * n), c1: c1 / ((x.rows - 1) * n), x: blockParticipation(x, { blocks: 8 }).cross, phi: blockParticipation(rec.phi!, { blocks: 8 }).cross };
    };
    const m = solveMapDMFT({ g: 3, delta: 1 });
    expect(m.lyapunov).toBeGreaterThan(0);
    const s = stats(3, 1);
    expect(Math.abs(s.v / m.delta0 - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.c1)).toBeLessThan(0.02 * m.delta0);
    expect(Math.abs(s.x.prOverN / m.prX - 1)).toBeLessThan(0.04 + 3 * s.x.seOverN / m.prX);
    expect(Math.abs(s.phi.prOverN / m.prPhi - 1)).toBeLessThan(0.04 + 3 * s.phi.seOverN / m.prPhi);
    // δ = 0.5: the single-unit statistics (measured Δ0 1.889 against 1.924, Δ(1) 1.856 against 1.892).
    const h = solveMapDMFT({ g: 2, delta: 0.5 });
    const t = stats(2, 0.5);
    expect(Math.abs(t.v / h.delta0 - 1)).toBeLessThan(0.03);
    expect(Math.abs(t.c1 / h.delta[1]! - 1)).toBeLessThan(0.03);
  }, 120_000);

  it('rejects what it does not cover, by name', () => {
    expect(() => solveMapDMFT({ g: 2, delta: 0 })).toThrow(expect.objectContaining({ parameter: 'delta' }));
    expect(() => solveMapDMFT({ g: 2, delta: 1.5 })).toThrow(ArgumentError);
    expect(() => solveMapDMFT({ g: 2, delta: 1, phi: 'relu' })).toThrow(expect.objectContaining({ parameter: 'phi' }));
    expect(() => solveMapDMFT({ g: 2, delta: 1, phi: 'linear' })).toThrow(expect.objectContaining({ parameter: 'noise' }));
    expect(() => solveMapDMFT({ g: 0.5, delta: 0.5 })).toThrow(NoSolutionError); // quiescent
    expect(() => solveMapDMFT({ g: 2, delta: 1, steps: 3 } as never)).toThrow(expect.objectContaining({ parameter: 'steps' }));
  });
});
