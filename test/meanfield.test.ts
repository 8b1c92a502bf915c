import { describe, expect, it } from 'vitest';
import { Simulation, autocorrelation, dimension, iidGaussian, measureActivity, randomMode, solveDMFT } from '../ts/index.js';

/**
 * Stationary mean-field theory of iid tanh networks (Sompolinsky, Crisanti & Sommers 1988):
 * Δ0 and Δ(τ) = ⟨x(t)x(t+τ)⟩ from an independent solver of Δ'' = Δ − g² C_φ(Δ; Δ0)
 * (shooting with an analytic tail; values from the project's theory notes, §2.4).
 */
const THEORY = [
  { g: 1.5, delta0: 0.747686, d1: 0.736823, d2: 0.70591, d5: 0.541358, duration: 2000 },
  { g: 2.0, delta0: 1.924805, d1: 1.863003, d2: 1.69966, d5: 1.034578, duration: 600 },
  { g: 3.0, delta0: 5.446326, d1: 5.131784, d2: 4.395855, d5: 2.138939, duration: 400 },
];

describe('iid tanh networks at N = 1000 against SCS mean-field theory', () => {
  const n = 1000;
  const dt = 0.1;
  const networks = 3;
  for (const th of THEORY) {
    it(`g = ${th.g}: Δ0 and Δ(τ) averaged over ${networks} networks`, () => {
      const mean = new Float64Array(11);
      for (let s = 1; s <= networks; s++) {
        using sim = new Simulation({ J: iidGaussian({ n, g: th.g, seed: 100 + s }), dt, seed: s });
        sim.run({ steps: Math.round(200 / dt), record: 'none' });
        // Record every unit every 0.5 time units; lags k = 0..10 cover τ = 0..5.
        const { x } = sim.run({ steps: Math.round(th.duration / dt), stride: 5 });
        // tanh networks have zero mean by symmetry, so the raw second moment is compared.
        const c = autocorrelation(x!, 10, { subtractMean: false });
        c.forEach((v, k) => (mean[k]! += v / networks));
      }
      // Tolerances, from spreads measured over networks at this N (±4 % in Δ0) plus finite-N and
      // Euler (dt = 0.1) biases of +3–6 %: Δ0 within 8 %; the shape Δ(τ)/Δ0 within 2 % at
      // τ = 1, 2 and within 20 % at τ = 5, where slow finite-N collective modes fatten the tail.
      expect(Math.abs(mean[0]! / th.delta0 - 1)).toBeLessThan(0.08);
      const shape = (k: number) => mean[k]! / mean[0]!;
      expect(Math.abs(shape(2) / (th.d1 / th.delta0) - 1)).toBeLessThan(0.02);
      expect(Math.abs(shape(4) / (th.d2 / th.delta0) - 1)).toBeLessThan(0.02);
      expect(Math.abs(shape(10) / (th.d5 / th.delta0) - 1)).toBeLessThan(0.2);
    });
  }
});

describe('single-site invariance and dimension ordering at N = 1000 (theory vs simulation)', () => {
  const n = 1000;
  const g = 3;
  const cases = [
    { name: 'iid', make: (seed: number) => ({ J: iidGaussian({ n, g, seed }), gamma: 0 }) },
    {
      name: 'random-mode flat α = 1',
      make: (seed: number) => randomMode({ n, spectrum: { shape: { kind: 'flat' }, g }, seed }),
    },
    {
      name: 'random-mode exponential β = 3.9',
      make: (seed: number) => randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g }, seed }),
    },
  ];
  const theory = solveDMFT({ g, lyapunov: false });
  const results = new Map<string, { delta0: number; prX: number; prPhi: number; gamma: number }>();

  for (const c of cases) {
    it(`${c.name}: single-neuron variance within 3 % of the DMFT Δ0 (2 networks, RK4)`, () => {
      let delta0 = 0;
      let prX = 0;
      let prPhi = 0;
      let gamma = 0;
      for (const s of [1, 2]) {
        const net = c.make(40 + s);
        const m = measureActivity({ J: net.J, method: 'rk4', dt: 0.1, burnIn: 200, duration: 800, seed: s, psi: false, maxLag: 2 });
        delta0 += m.delta0 / 2;
        prX += m.prX.prOverN / 2;
        prPhi += m.prPhi.prOverN / 2;
        gamma += net.gamma / 2;
      }
      results.set(c.name, { delta0, prX, prPhi, gamma });
      // The single-site theory is the same for every spectrum at equal g (theory note §2.1).
      expect(Math.abs(delta0 / theory.delta0 - 1)).toBeLessThan(0.03);
    });
  }

  it('PR decreases from iid to low effective rank in theory and in simulation', () => {
    const sim = cases.map((c) => results.get(c.name)!);
    const th = sim.map((r) => dimension({ g, gamma: r.gamma }));
    for (let k = 1; k < sim.length; k++) {
      expect(th[k]!.prX).toBeLessThan(th[k - 1]!.prX);
      expect(th[k]!.prPhi).toBeLessThan(th[k - 1]!.prPhi);
    }
    // At N = 1000 the networks sit close to the edge of their spectra and finite-size effects
    // are large (note §3.4: 25–60 %), but the strongly low-rank network is clearly lower.
    expect(sim[2]!.prX).toBeLessThan(0.8 * sim[0]!.prX);
    expect(sim[2]!.prPhi).toBeLessThan(0.8 * sim[0]!.prPhi);
    expect(sim[2]!.prX).toBeLessThan(sim[1]!.prX);
  });
});
