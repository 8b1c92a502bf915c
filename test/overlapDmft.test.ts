import { describe, expect, it } from 'vitest';
import { ArgumentError, sigmoidOverlaps, solveOverlapDMFT, spectrum } from '../ts/index.js';

const small = { steps: 256, samples: 32, batches: 4, iterations: 3 } as const;

describe('sampling DMFT with mode overlaps', () => {
  it('validates its arguments', () => {
    const d = new Float64Array([1, 2]);
    const bad: [Record<string, unknown>, string][] = [
      [{ spectrum: new Float64Array(0) }, 'spectrum'],
      [{ spectrum: d, overlaps: new Float64Array([0.1]) }, 'overlaps'],
      [{ spectrum: d, overlaps: 1.5 }, 'overlaps'],
      [{ spectrum: d, overlaps: new Float64Array([0.1, -2]) }, 'overlaps'],
      [{ spectrum: d, steps: 1000 }, 'steps'],
      [{ spectrum: d, samples: 30 }, 'samples'],
      [{ spectrum: d, phi: 'sigmoid' }, 'phi'],
      [{ spectrum: d, alpha: 0 }, 'alpha'],
      [{ spectrum: d, average: 4 }, 'average'],
      [{ spectrum: d, seed: -1 }, 'seed'],
    ];
    for (const [opts, parameter] of bad) {
      let error: unknown;
      try {
        solveOverlapDMFT({ seed: 1, ...small, ...opts } as Parameters<typeof solveOverlapDMFT>[0]);
      } catch (e) {
        error = e;
      }
      expect(error, parameter).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).parameter).toBe(parameter);
    }
  });

  it('is deterministic for a seed and returns grids of the documented sizes', () => {
    const opts = { spectrum: new Float64Array([2, 1]), overlaps: new Float64Array([0.4, -0.3]), phi: 'erf' as const, ...small };
    const a = solveOverlapDMFT({ ...opts, seed: 5 });
    const b = solveOverlapDMFT({ ...opts, seed: 5 });
    const c = solveOverlapDMFT({ ...opts, seed: 6 });
    expect(a).toEqual(b);
    expect(a.delta).not.toEqual(c.delta);
    expect(a.lags.length).toBe(129);
    expect(a.frequencies[1]).toBeCloseTo((2 * Math.PI) / (256 * 0.05), 12);
    expect(a.diagnostics.delta0History.length).toBe(3);
    expect(a.delta0).toBe(a.delta[0]);
    // R₀ = α⟨ρD⟩ = (0.8 − 0.3)/2.
    expect(a.diagnostics.selfCoupling).toBeCloseTo(0.25, 14);
  });

  it('reduces to the classic theory without overlaps (g = 2, tanh: Δ0 = 1.924805)', () => {
    const sol = solveOverlapDMFT({ spectrum: new Float64Array([2]), seed: 3, steps: 1024, samples: 256, iterations: 40 });
    // Tolerance: four batch standard errors (each ≈ 1 % of Δ0 at these sizes).
    expect(sol.delta0Error).toBeGreaterThan(0);
    expect(sol.delta0Error).toBeLessThan(0.02 * 1.924805);
    expect(Math.abs(sol.delta0 - 1.924805)).toBeLessThan(4 * sol.delta0Error);
    // Response ⟨φ'⟩/(1 + iω), ⟨φ'⟩ = 0.486822, at ω ≈ 1.
    const k = 8;
    const w = sol.frequencies[k]!;
    expect(Math.abs(sol.response.re[k]! - 0.486822 / (1 + w * w))).toBeLessThan(0.03);
    expect(Math.abs(sol.response.im[k]! + (0.486822 * w) / (1 + w * w))).toBeLessThan(0.03);
    expect(sol.kernel.re.every((v) => v === 0)).toBe(true);
  });

  it('flags a grid shorter than the correlation time', () => {
    // g_eff = 3, exponential spectrum, the paper's sigmoid overlaps: at γ_ρ = 0.8 C_φ decays over
    // hundreds of time units, so a period of 51 leaves most of it at τ ∈ [T/4, T/2]; without
    // overlaps it has decayed within ~20.
    const D = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 16, g: 3 });
    const tail = (gammaRho: number) =>
      solveOverlapDMFT({
        spectrum: D, overlaps: sigmoidOverlaps({ spectrum: D, gammaRho }).overlaps, phi: 'erf', seed: 2,
        dt: 0.1, steps: 512, samples: 128, iterations: 20, mixing: 0.5,
      }).diagnostics;
    const [none, strong] = [tail(0), tail(0.8)];
    expect(Math.abs(none.tail)).toBeLessThan(0.03);
    expect(strong.tail).toBeGreaterThan(0.5);
    for (const d of [none, strong]) expect(Math.abs(d.drift)).toBeLessThan(0.1);
  });
});
