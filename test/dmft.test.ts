import { describe, expect, it } from 'vitest';
import { ArgumentError, Simulation, criticalGain, iidGaussian, randomMode, simulateActivity, solveDMFT } from '../ts/index.js';

describe('stationary DMFT', () => {
  it('reproduces Δ0, Δ(τ), λ and λ_max of iid tanh networks (theory note §2.4)', () => {
    const table = [
      // g, Δ0, Δ(1), Δ(2), Δ(5), λ_max
      [1.5, 0.747686, 0.736823, 0.70591, 0.541358, 0.0467],
      [2, 1.924805, 1.863003, 1.69966, 1.034578, 0.1125],
      [3, 5.446326, 5.131784, 4.395855, 2.138939, 0.2355],
    ] as const;
    for (const [g, d0, d1, d2, d5, lmax] of table) {
      const s = solveDMFT({ g });
      expect(s.regime).toBe('chaotic');
      expect(Math.abs(s.delta0 - d0)).toBeLessThan(5.1e-7);
      for (const [tau, want] of [[1, d1], [2, d2], [5, d5]] as const) {
        expect(Math.abs(s.deltaAt(tau) - want) / want).toBeLessThan(2e-6);
      }
      expect(Math.abs(s.lyapunovExponent - lmax)).toBeLessThan(6e-5);
      expect(Math.abs(s.diagnostics.zeroModeEnergy + 1)).toBeLessThan(1e-4);
      expect(s.tailRate).toBeCloseTo(Math.sqrt(1 - s.nu), 12);
    }
  });

  it('matches the erf closed forms and the authors’ erf table', () => {
    // erf(√π x/2): ⟨φ'⟩ = 1/√(1 + πΔ0/2), C_φ(0) = (2/π) asin(Δ0/(Δ0 + 2/π)).
    for (const [g, d0, d2] of [[1.5, 0.838753, 0.787055], [2, 2.06408, 1.801083], [3, 5.637432, 4.484738]] as const) {
      const s = solveDMFT({ g, phi: 'erf', lyapunov: false });
      expect(Math.abs(s.delta0 - d0)).toBeLessThan(5.1e-7);
      expect(Math.abs(s.deltaAt(2) - d2)).toBeLessThan(2e-6 * d2);
      expect(s.meanSlope).toBeCloseTo(1 / Math.sqrt(1 + (Math.PI * s.delta0) / 2), 13);
      expect(s.cphi0).toBeCloseTo((2 / Math.PI) * Math.asin(s.delta0 / (s.delta0 + 2 / Math.PI)), 12);
    }
  });

  it('is exact for a noisy linear network: Δ(τ) = σ²/(2λ) e^{−λτ}, λ = √(1 − g²)', () => {
    const s = solveDMFT({ g: 0.5, phi: 'linear', noise: 0.8, lyapunov: false });
    const lam = Math.sqrt(1 - 0.25);
    expect(s.regime).toBe('noisy');
    for (const tau of [0, 0.7, 3, 12]) {
      expect(s.deltaAt(tau)).toBeCloseTo((0.64 / (2 * lam)) * Math.exp(-lam * tau), 10);
    }
  });

  it('knows the quiescent, fixed-point and biased chaotic regimes', () => {
    expect(solveDMFT({ g: 0.8 }).regime).toBe('quiescent');
    expect(criticalGain()).toBe(1);
    expect(criticalGain({ phi: { kind: 'tanh', gain: 2 } })).toBeCloseTo(0.5, 15);
    const gc = criticalGain({ bias: 0.5 });
    expect(solveDMFT({ g: 0.95 * gc, bias: 0.5 }).regime).toBe('fixed-point');
    const s = solveDMFT({ g: 2, bias: 0.5 });
    expect(s.regime).toBe('chaotic');
    expect(s.deltaInf).toBeGreaterThan(0.5);
    // The autocorrelation relaxes to the static part Δ∞ = g² C_φ(Δ∞).
    expect(s.delta[s.delta.length - 1]! - s.deltaInf).toBeLessThan(1e-10);
  });

  it('predicts single-neuron variances h²Δ̄0 under row-gain heterogeneity (simulation, N = 1000)', () => {
    const n = 1000;
    const net = randomMode({
      n,
      spectrum: { shape: { kind: 'flat' }, g: 2, modes: 4 * n },
      gains: { lognormalSigma: 0.5 },
      seed: 7,
    });
    const h = net.gains!;
    const theory = solveDMFT({ g: 2, gains: h, lyapunov: false });
    const lognormal = solveDMFT({ g: 2, gains: { lognormalSigma: 0.5 }, lyapunov: false });
    const homogeneous = solveDMFT({ g: 2, lyapunov: false }).delta0;
    const a = simulateActivity({ J: net.J, duration: 800, burnIn: 100, seed: 3, spectrum: false, maxLag: 4 });
    // Per-neuron variance ∝ h²: in every quartile of h, Σ Var_i / Σ h_i² is the normalised Δ̄0,
    // while the variances themselves differ several-fold between quartiles.
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => h[x]! - h[y]!);
    const quartile = (q: number) => {
      let v = 0;
      let h2 = 0;
      for (const i of order.slice((q * n) / 4, ((q + 1) * n) / 4)) {
        v += a.covariance.data[i * n + i]!;
        h2 += h[i]! * h[i]!;
      }
      return { v, h2 };
    };
    for (let q = 0; q < 4; q++) {
      const { v, h2 } = quartile(q);
      expect(Math.abs(v / h2 / theory.delta0 - 1)).toBeLessThan(0.1);
    }
    expect(quartile(3).v / quartile(0).v).toBeGreaterThan(3);
    expect(Math.abs(a.delta0 / (theory.delta0 * h.reduce((s, x) => s + x * x, 0) / n) - 1)).toBeLessThan(0.05);
    expect(Math.abs(homogeneous / theory.delta0 - 1)).toBeGreaterThan(0.2);
    // The explicit gains and the lognormal law they were drawn from agree (finite-N spread).
    expect(Math.abs(lognormal.delta0 / theory.delta0 - 1)).toBeLessThan(0.05);
    // All neurons share one temporal shape Δ̄(τ)/Δ̄0.
    const k = a.autocorrelation.lags.findIndex((t) => t >= 2);
    const simShape = a.autocorrelation.values[k]! / a.autocorrelation.values[0]!;
    expect(Math.abs(simShape - theory.deltaAt(a.autocorrelation.lags[k]!) / theory.delta0)).toBeLessThan(0.03);
  });

  it('solves noisy ReLU networks with bias: static and temporal variance against simulation (N = 1000)', () => {
    const [g, b, sigma, n] = [0.8, 0.2, 0.5, 1000];
    const s = solveDMFT({ g, phi: 'relu', bias: b, noise: sigma });
    expect(s.regime).toBe('noisy');
    expect(s.deltaInf).toBeGreaterThan(0.05);
    let temporal = 0;
    let staticPart = 0;
    for (const seed of [1, 2]) {
      using sim = new Simulation({ J: iidGaussian({ n, g, seed }), phi: 'relu', bias: new Float64Array(n).fill(b), noise: sigma, dt: 0.02, seed });
      sim.run({ steps: 5000, record: 'none' });
      sim.enableStatistics({ x: true, stride: 10 });
      sim.run({ steps: 50000, record: 'none' });
      const st = sim.statistics('x');
      for (let i = 0; i < n; i++) {
        temporal += st.covariance.data[i * n + i]! / (2 * n);
        staticPart += (st.mean[i]! - b) ** 2 / (2 * n);
      }
    }
    // Temporal variance Δ0 − Δ∞ within 3 % (measured 0.5–1.5 % per network, Euler dt = 0.02);
    // the quenched static part Δ∞ varies by ±15 % between networks at this N (measured 0.079, 0.106).
    expect(Math.abs(temporal / (s.delta0 - s.deltaInf) - 1)).toBeLessThan(0.03);
    expect(Math.abs(staticPart / s.deltaInf - 1)).toBeLessThan(0.2);
    // Without noise a biased ReLU network is a stable fixed point up to g_c ≈ √2, where it diverges.
    const gc = criticalGain({ phi: 'relu', bias: 0.5 });
    expect(gc).toBeLessThan(Math.SQRT2);
    expect(gc).toBeGreaterThan(Math.SQRT2 - 1e-3);
    const fp = solveDMFT({ g: 1.2, phi: 'relu', bias: 0.5 });
    expect(fp.regime).toBe('fixed-point');
    expect(fp.lyapunovExponent).toBeLessThan(0);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => solveDMFT({ g: Number.NaN })).toThrow(ArgumentError);
    expect(() => solveDMFT({ g: -1 })).toThrow(/g/);
    expect(() => solveDMFT({ g: 2, phi: 'sigmoid' as 'tanh' })).toThrow(ArgumentError);
    expect(() => solveDMFT({ g: 1.6, phi: 'relu', bias: 0.5 })).toThrow(/bounded/);
    expect(() => solveDMFT({ g: 2, dt: 0 })).toThrow(/dt/);
    expect(() => solveDMFT({ g: 2, noise: -1 })).toThrow(/noise/);
    expect(() => solveDMFT({ g: 2, tauMax: 1e9 })).toThrow(/tauMax/);
    expect(() => solveDMFT({ g: 2, gains: new Float64Array([1, -1]) })).toThrow(/gains/);
    expect(() => solveDMFT({ g: 2, gains: { lognormalSigma: 0.5 }, noise: 1 })).toThrow(/gains/);
    expect(solveDMFT({ g: 2, lyapunov: false }).delta0).toBeCloseTo(1.924805, 6);
  });
});
