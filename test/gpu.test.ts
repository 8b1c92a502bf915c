import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, iidGaussian, SimulationCancelledError } from '../ts/index.js';
import { GpuDeviceLostError, requestGpu, type GpuContext } from '../ts/gpu/device.js';
import { discreteLinearCovariance, traces } from './support/linearOracle.js';
import { GpuRk4 } from '../ts/gpu/rk4.js';
import { gpuFromPlan } from '../ts/gpu/fromPlan.js';
import { simulateLarge, type LargeOptions } from '../ts/index.js';
import { Buffer, EngineBlock } from '../ts/large/block.js';
import { planLarge } from '../ts/large/plan.js';

/**
 * The WebGPU integrator in Node (the `webgpu` package, Dawn), on SwiftShader where no GPU is
 * present: CI points VK_ICD_FILENAMES at the ICD Debian's chromium ships. Without an adapter
 * the suite is skipped with a message, unless RNNLAB_REQUIRE_WEBGPU=1 makes it required.
 */
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(swiftshader)) process.env.VK_ICD_FILENAMES = swiftshader;
const required = process.env.RNNLAB_REQUIRE_WEBGPU === '1';

let ctx: GpuContext | null = null;
let why = '';
try {
  const { create } = await import('webgpu');
  ctx = await requestGpu(create([]));
} catch (e) {
  why = (e as Error).message;
}
if (ctx === null && !required) console.warn(`WebGPU tests skipped: ${why} (RNNLAB_REQUIRE_WEBGPU=1 makes them required)`);

/** Distance in units in the last place between two f32 values of the same sign. */
function ulps(a: number, b: number): number {
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(i[0]! - i[1]!);
}

/** The WebAssembly f32 engine's block: its J, its initial states, and `steps` RK4 steps of them. */
function wasmSteps(n: number, b: number, opts: { phi: 'tanh' | 'linear'; bias: number; dt: number; g: number; noise?: number }, steps: number) {
  const plan = planLarge({
    n, connectivity: { kind: 'iid', g: opts.g }, phi: opts.phi, bias: opts.bias, dt: opts.dt, noise: opts.noise ?? 0, trajectories: b, seed: 3,
    precision: 'f32', workers: 0,
  }, 1);
  using block = new EngineBlock(plan, 0, n);
  const J = Float32Array.from(block.couplings());
  const x = Float32Array.from(block.state());
  for (let t = 0; t < steps; t++) {
    for (let s = 0; s < 4; s++) {
      block.view(Buffer.PhiFull).set(block.view(Buffer.PhiOut));
      block.stage();
    }
  }
  return { J, x, after: Float32Array.from(block.state()) };
}

describe.runIf(ctx !== null || required)('WebGPU RK4 integrator', () => {
  beforeAll(() => {
    if (ctx === null) throw new Error(`no WebGPU adapter: ${why}`);
  });
  afterAll(() => ctx?.device.destroy());

  it('one f32 step equals the WebAssembly f32 step within 4 ulp (linear φ, odd sizes and B, B beyond a workgroup\'s 8)', async () => {
    const opts = { phi: 'linear' as const, bias: 0.3, dt: 0.1, g: 1.5 };
    for (const [n, b] of [[13, 5], [130, 3], [70, 19]] as const) {
      const w = wasmSteps(n, b, opts, 1);
      const gpu = GpuRk4.create(ctx!, { n, trajectories: b, J: w.J, x: w.x, dt: opts.dt, bias: opts.bias, phi: 'linear' });
      gpu.run(1);
      const got = await gpu.state();
      gpu.dispose();
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, ulps(got[i]!, w.after[i]!));
      // Measured on SwiftShader: 0 ulp, bit for bit. A GPU that fuses a multiply and an add where
      // the engine rounds twice may differ by a few ulp: the stated bound is 4.
      expect(worst).toBeLessThanOrEqual(4);
    }
  });

  it('many tanh steps in one submission follow the WebAssembly trajectory', async () => {
    const n = 200;
    const b = 3;
    const opts = { phi: 'tanh' as const, bias: 0, dt: 0.1, g: 1.5 };
    const w = wasmSteps(n, b, opts, 50);
    const gpu = GpuRk4.create(ctx!, { n, trajectories: b, J: w.J, x: w.x, dt: opts.dt, phi: 'tanh' });
    gpu.run(50);
    const got = await gpu.state();
    gpu.dispose();
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < got.length; i++) {
      diff = Math.max(diff, Math.abs(got[i]! - w.after[i]!));
      scale = Math.max(scale, Math.abs(w.after[i]!));
    }
    // 5 time units at g = 1.5 (measured on SwiftShader: 1.3e−7 of the largest state; the GPU's
    // f32 tanh is not the engine's, and the differences grow with the dynamics).
    expect(diff / scale).toBeLessThan(1e-5);
    expect(() => gpu.run(1)).toThrow(ArgumentError);
  });

  it('draws the engine\'s counter-based noise: noisy trajectories follow the WebAssembly ones', async () => {
    const n = 96;
    const b = 4;
    const opts = { phi: 'tanh' as const, bias: 0, dt: 0.1, g: 1.2, noise: 0.7 };
    const w = wasmSteps(n, b, opts, 40);
    const quiet = wasmSteps(n, b, { ...opts, noise: 0 }, 40);
    const run = async (noise: number) => {
      const gpu = GpuRk4.create(ctx!, { n, trajectories: b, J: w.J, x: w.x, dt: opts.dt, phi: 'tanh', noise, seed: 3 });
      gpu.run(25);
      gpu.run(15); // the step count carries over between submissions
      const got = await gpu.state();
      gpu.dispose();
      return got;
    };
    const got = await run(opts.noise);
    let diff = 0;
    let noiseEffect = 0;
    for (let i = 0; i < got.length; i++) {
      diff = Math.max(diff, Math.abs(got[i]! - w.after[i]!));
      noiseEffect = Math.max(noiseEffect, Math.abs(w.after[i]! - quiet.after[i]!));
    }
    // The noise moves the states by O(1); the GPU's draws match the engine's to their f32
    // evaluation (measured: 7e−7 after 40 steps; with WGSL's own cos it was 2.5e−4).
    expect(noiseEffect).toBeGreaterThan(0.3);
    expect(diff).toBeLessThan(1e-5);
    // Another seed gives other draws.
    const other = GpuRk4.create(ctx!, { n, trajectories: b, J: w.J, x: w.x, dt: opts.dt, phi: 'tanh', noise: opts.noise, seed: 4 });
    other.run(40);
    const o = await other.state();
    other.dispose();
    expect(Math.max(...o.map((v, i) => Math.abs(v - w.after[i]!)))).toBeGreaterThan(0.1);
  });

  it('holds the engine\'s f32 J and initial states (J generated by the engine in row blocks)', async () => {
    const opts: LargeOptions = {
      n: 256, connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'exponential', beta: 2 }, g: 2.5 } }, trajectories: 4, noise: 0.2,
      dt: 0.2, seed: 11, precision: 'f32', workers: 0,
    };
    const plan = planLarge(opts, 1);
    using block = new EngineBlock(plan, 0, opts.n);
    const gpu = gpuFromPlan(ctx!, plan);
    expect(await gpu.couplings()).toEqual(Float32Array.from(block.couplings()));
    expect(await gpu.state()).toEqual(Float32Array.from(block.state()));
    gpu.dispose();
  });

  it('uploads J in row blocks and transposes it on the GPU: the held J is the given one (N = 4100, two blocks)', async () => {
    const n = 4100;
    const rows: [number, number][] = [];
    const J = (r0: number, r1: number) => {
      rows.push([r0, r1]);
      return Float32Array.from({ length: (r1 - r0) * n }, (_, k) => r0 * n + k);
    };
    const gpu = GpuRk4.create(ctx!, { n, trajectories: 1, J, x: new Float32Array(n), dt: 0.1 });
    const held = await gpu.couplings();
    gpu.dispose();
    expect(rows).toEqual([[0, 4092], [4092, 4100]]);
    let wrong = 0;
    for (let k = 0; k < n * n; k++) if (held[k] !== Math.fround(k)) wrong += 1;
    expect(wrong).toBe(0);
  });

  it('names bad input', () => {
    const J = new Float32Array(4);
    const x = new Float32Array(2);
    expect(() => GpuRk4.create(ctx!, { n: 2, trajectories: 1, J: new Float32Array(3), x, dt: 0.1 })).toThrow(/J: must hold N² = 4/);
    expect(() => GpuRk4.create(ctx!, { n: 2, trajectories: 2, J, x, dt: 0.1 })).toThrow(/x: must hold B·N = 4/);
    expect(() => GpuRk4.create(ctx!, { n: 2, trajectories: 1, J, x, dt: -1 })).toThrow(/dt/);
    expect(() => GpuRk4.create(ctx!, { n: 2, trajectories: 1, J, x, dt: 0.1, phi: 'sigmoid' as never })).toThrow(/phi/);
    expect(() => GpuRk4.create(ctx!, { n: 2, trajectories: 1, J, x, dt: 0.1, noise: -1 })).toThrow(/noise/);
    expect(() => GpuRk4.create(ctx!, { n: 2, trajectories: 1, J, x, dt: 0.1, seed: 1.5 })).toThrow(/seed/);
  });
});

describe.runIf(ctx !== null || required)('simulateLarge on the WebGPU backend', () => {
  let gpu: GPU;
  let own: GpuContext;
  beforeAll(async () => {
    if (ctx === null) throw new Error(`no WebGPU adapter: ${why}`);
    gpu = (await import('webgpu')).create([]);
    own = await requestGpu(gpu);
  });
  afterAll(() => own?.device.destroy());

  it('agrees with the WebAssembly f32 engine on the same network (Δ0 within 1 %, PR within error bars, Δ(τ) within 2 % at τ ≤ 5)', async () => {
    const opts: LargeOptions = {
      // Small, since SwiftShader runs these kernels at about 50 M multiply-adds per second.
      n: 256, connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'exponential', beta: 2 }, g: 2.5 } }, phi: 'erf', trajectories: 4,
      noise: 0.2, dt: 0.2, burnIn: 20, duration: 120, sampleEvery: 0.6, maxLag: 6, seed: 11, precision: 'f32', workers: 0,
    };
    const phases = new Set<string>();
    const g = await simulateLarge({ ...opts, backend: 'webgpu', gpu, onProgress: (p) => phases.add(p.phase) });
    const w = await simulateLarge(opts);
    expect(g.backend).toBe('webgpu');
    expect(g.adapter).toMatch(/swiftshader/i);
    expect(w.backend).toBe('wasm');
    expect([...phases]).toEqual(['couplings', 'burnIn', 'observe', 'statistics']);
    expect(g.samples).toBe(w.samples);
    expect(Math.abs(g.delta0 / w.delta0 - 1)).toBeLessThan(0.01);
    expect(Math.abs(g.cphi0 / w.cphi0 - 1)).toBeLessThan(0.01);
    expect(Math.abs(g.prX - w.prX)).toBeLessThan(Math.hypot(g.prXSe, w.prXSe));
    expect(Math.abs(g.prPhi - w.prPhi)).toBeLessThan(Math.hypot(g.prPhiSe, w.prPhiSe));
    // Chaos separates the two runs' trajectories after a few time units, so Δ(τ) agrees only
    // to its sampling error here (measured 1–4 % at τ ≤ 5); the next test checks it to 2 %.
    expect(g.x.varianceCv2).toBeCloseTo(w.x.varianceCv2, 2);
  });

  it('noise-driven (not chaotic): Δ(τ) and C_φ(τ) within 2 % of the engine\'s at τ ≤ 5, Δ0 within 0.1 %', async () => {
    const opts: LargeOptions = {
      n: 128, connectivity: { kind: 'iid', g: 0.8 }, phi: 'erf', trajectories: 4, noise: 0.5, dt: 0.2, burnIn: 10, duration: 150,
      sampleEvery: 0.6, maxLag: 6, seed: 3, precision: 'f32', workers: 0,
    };
    const g = await simulateLarge({ ...opts, backend: 'webgpu', gpu });
    const w = await simulateLarge(opts);
    expect(Math.abs(g.delta0 / w.delta0 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(g.prPhi - w.prPhi)).toBeLessThan(0.1 * w.prPhiSe);
    expect(g.lags).toEqual(w.lags);
    for (let l = 0; l < g.lags.length && g.lags[l]! <= 5; l++) {
      expect(Math.abs(g.delta[l]! / w.delta[l]! - 1), `Δ(${g.lags[l]})`).toBeLessThan(0.02);
      expect(Math.abs(g.cphi[l]! / w.cphi[l]! - 1), `C_φ(${g.lags[l]})`).toBeLessThan(0.02);
    }
    // Both runs end in the same states up to f32 rounding.
    let worst = 0;
    g.state.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - w.state[i]!))));
    expect(worst).toBeLessThan(1e-4);
  });

  it('a linear network\'s covariance matches the Lyapunov-equation oracle within 1 %', async () => {
    const n = 48;
    const dt = 0.2;
    const J = iidGaussian({ n, g: 0.6, seed: 11 }).data;
    const { tr, tr2 } = traces(discreteLinearCovariance(J, n, dt), n);
    const r = await simulateLarge({
      n, connectivity: { kind: 'matrix', J }, phi: 'linear', noise: 1, dt, trajectories: 64, burnIn: 10, duration: 200, sampleEvery: 1,
      precision: 'f32', seed: 2, workers: 0, backend: 'webgpu', gpu,
    });
    // Standard errors here: 0.2 % (Δ0) and 0.2 % (PR).
    expect(r.delta0Se / r.delta0).toBeLessThan(0.003);
    expect(Math.abs(r.delta0 / (tr / n) - 1)).toBeLessThan(0.01);
    expect(Math.abs(r.prX - (tr * tr) / tr2 / n)).toBeLessThan(3 * r.prXSe);
  });

  it('the Gram and the moments routes give the same sums; both match sums computed here from read-back samples', async () => {
    const opts: LargeOptions = { n: 40, connectivity: { kind: 'iid', g: 1.8 }, phi: 'tanh', trajectories: 5, noise: 0.3, dt: 0.2, seed: 9, precision: 'f32', workers: 0 };
    const plan = planLarge(opts, 1);
    const rk = gpuFromPlan(own, plan);
    const t = 37;
    const store = rk.samples({ samples: t, groups: 3, units: 6, maxLag: 4 });
    // Reference: the states read back after every second step, summed here in f64.
    const samples: Float32Array[] = [];
    rk.run(10);
    for (let i = 0; i < t; i++) {
      rk.record(2, 2, store);
      samples.push(await rk.state());
    }
    const gram = await store.finish('gram');
    const moments = await store.finish('moments');
    store.dispose();
    rk.dispose();
    const n = 40;
    const nb = 5;
    const mean = new Float64Array(n);
    for (const s of samples) s.forEach((v, k) => (mean[k % n]! += v / (t * nb)));
    const group = (b: number) => Math.floor((b * 3) / nb);
    const dof = [0, 0, 0];
    for (let b = 0; b < nb; b++) dof[group(b)]! += t * (1 - 1 / (t * nb));
    const C = [0, 1, 2].map(() => new Float64Array(n * n));
    for (const s of samples) {
      for (let b = 0; b < nb; b++) {
        const c = C[group(b)]!;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j]! += ((s[b * n + i]! - mean[i]!) * (s[b * n + j]! - mean[j]!)) / dof[group(b)]!;
      }
    }
    const want = new Float64Array(9);
    for (let g = 0; g < 3; g++) for (let h = 0; h < 3; h++) for (let e = 0; e < n * n; e++) want[g * 3 + h]! += C[g]![e]! * C[h]![e]!;
    const traces = C.map((c) => Array.from({ length: n }, (_, i) => c[i * (n + 1)]!).reduce((a, b) => a + b, 0));
    for (const r of [gram.x, moments.x]) {
      r.gram.forEach((v, i) => expect(Math.abs(v / want[i]! - 1)).toBeLessThan(2e-5));
      r.traces.forEach((v, g) => expect(Math.abs(v / traces[g]! - 1)).toBeLessThan(2e-5));
    }
  });

  it('erf on the GPU: one step within 3e-7 of the WebAssembly f32 step', async () => {
    const opts: LargeOptions = { n: 67, connectivity: { kind: 'iid', g: 3 }, phi: 'erf', trajectories: 3, dt: 0.1, seed: 5, precision: 'f32', workers: 0, x0Std: 1.5 };
    const plan = planLarge(opts, 1);
    using block = new EngineBlock(plan, 0, opts.n);
    const rk = gpuFromPlan(own, plan);
    rk.run(1);
    for (let s = 0; s < 4; s++) {
      block.view(Buffer.PhiFull).set(block.view(Buffer.PhiOut));
      block.stage();
    }
    const want = block.state();
    const got = await rk.state();
    rk.dispose();
    let worst = 0;
    want.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got[i]!))));
    expect(worst).toBeLessThan(3e-7);
    expect(worst).toBeGreaterThanOrEqual(0);
  });

  it('auto keeps a software adapter, f64 and small N on WebAssembly; bad backend options are named', async () => {
    const base: LargeOptions = { n: 64, connectivity: { kind: 'iid', g: 2 }, seed: 1, workers: 0, duration: 10, burnIn: 1, maxLag: 1, trajectories: 2 };
    expect((await simulateLarge({ ...base, backend: 'auto', gpu })).backend).toBe('wasm');
    expect((await simulateLarge({ ...base, n: 2048, duration: 2, backend: 'auto', gpu, precision: 'f32' })).backend).toBe('wasm'); // SwiftShader is a fallback adapter
    for (const [patch, parameter] of [
      [{ backend: 'cuda' }, 'backend'],
      [{ backend: 'webgpu', precision: 'f64' }, 'precision'],
      [{ backend: 'webgpu', precision: 'f32', weighted: { z: { zscore: true } } }, 'weighted'],
      [{ backend: 'webgpu', precision: 'f32', gpu: {} }, 'gpu'],
    ] as const) {
      const e = await simulateLarge({ ...base, ...patch } as LargeOptions).catch((x: unknown) => x);
      expect(e, parameter).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).parameter).toBe(parameter);
    }
  });

  it('an aborted run rejects with SimulationCancelledError, and the next run works', async () => {
    const controller = new AbortController();
    const opts: LargeOptions = { n: 32, connectivity: { kind: 'iid', g: 1.5 }, seed: 1, workers: 0, duration: 200, burnIn: 100, maxLag: 1, trajectories: 2, backend: 'webgpu', gpu, precision: 'f32' };
    const e = await simulateLarge({ ...opts, signal: controller.signal, onProgress: (p) => p.phase === 'burnIn' && controller.abort() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SimulationCancelledError);
    expect((await simulateLarge({ ...opts, duration: 10, burnIn: 1 })).backend).toBe('webgpu');
  });

  it('a lost device is a typed error, and the next run works', async () => {
    const lost = await requestGpu(gpu);
    const rk = GpuRk4.create(lost, { n: 8, trajectories: 1, J: new Float32Array(64), x: new Float32Array(8), dt: 0.1 });
    lost.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(() => rk.run(1)).toThrow(GpuDeviceLostError);
    const r = await simulateLarge({ n: 32, connectivity: { kind: 'iid', g: 1.5 }, seed: 1, workers: 0, duration: 20, burnIn: 1, maxLag: 1, trajectories: 2, backend: 'webgpu', gpu, precision: 'f32' });
    expect(r.backend).toBe('webgpu');
    expect(r.delta0).toBeGreaterThan(0);
  });
});
