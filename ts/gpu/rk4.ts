/// <reference types="@webgpu/types" />
/**
 * RK4 integration of dx/dt = −x + J φ(x) + b for B trajectories of one network on a WebGPU
 * device, in f32: J and the states stay in GPU buffers and many steps go in one submission.
 *
 * One dispatch per RK4 stage s computes k = J φ(y_s) − y_s + b for every (unit, trajectory): a
 * workgroup takes 64 units and up to 8 trajectories, φ(y_s) is read in tiles it shares, and J is
 * stored transposed so that its threads read consecutive floats, each read serving all its
 * trajectories (J is uploaded in row blocks and transposed on the GPU). It updates in the same pass the stage sum and
 * the next stage's state and its φ (fused: φ once per unit and stage): y₁ = x + (dt/2)k₁, y₂ = x + (dt/2)k₂, y₃ = x + dt k₃, and at the last stage
 * x + (dt/6)(k₁ + 2k₂ + 2k₃ + k₄), the same order of operations as the WebAssembly f32 engine.
 * The states ping-pong between buffers, since every row reads all of y_s, and all the steps of a
 * submission go in one compute pass. After the fourth stage
 * the noise increment σ√dt ζ is added, ζ from the engine's counter-based generator (SplitMix64 of
 * (seed, stream, trajectory, step, unit), 64-bit arithmetic on pairs of u32, then Box–Muller in
 * f32): a draw depends on its key alone, not on the workgroup layout, and has the engine's bits
 * up to the f32 evaluation of √(−2 ln u₁) cos(2π u₂).
 */

import { ArgumentError } from '../errors.js';
import { GpuDeviceLostError, type GpuContext } from './device.js';
import { GpuSamples, type GpuSampleOptions } from './samples.js';

/** φ of the GPU engine. */
export type GpuPhi = 'tanh' | 'erf' | 'relu' | 'linear';
const PHI_CODES: Record<GpuPhi, number> = { tanh: 0, erf: 1, relu: 2, linear: 3 };

const WORKGROUP = 64;
/** Trajectories per workgroup of a stage (each thread keeps this many sums). */
const PER_GROUP = 8;

/** WebGPU's buffer usage and map mode flags (the spec's values; Node has no GPUBufferUsage global). */
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_READ = 0x1;

const SHADER = /* wgsl */ `
struct Params {
  n: u32, b: u32, stage: u32, phi: u32, bias: f32, half: f32, full: f32, sixth: f32,
  seed: vec2u, first: u32, amp: f32, gain: f32,
}
@group(0) @binding(0) var<uniform> p: Params;
// Jᵀ (column-major J): the 64 threads of a workgroup read 64 consecutive floats of each column.
@group(0) @binding(1) var<storage, read> JT: array<f32>;
// States with their φ, as (y, φ(y)) pairs: the stage input, the next stage's input, and x.
@group(0) @binding(2) var<storage, read> yin: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> yout: array<vec2f>;
@group(0) @binding(4) var<storage, read> x: array<vec2f>;
@group(0) @binding(5) var<storage, read_write> sum: array<f32>;
// The step count, advanced on the GPU after each step (many steps go in one submission).
@group(0) @binding(6) var<storage, read_write> clock: array<u32>;
// φ of 64 columns for the workgroup's trajectories: tile[k·64 + c].
var<workgroup> tile: array<f32, ${WORKGROUP * PER_GROUP}>;

// erf(√π u/2) in f32: a Taylor series below 0.5 (relative error < 1e-7), else 1 − erfc with the
// Chebyshev fit of Numerical Recipes (fractional error of erfc < 1.2e-7); |error| ≤ 3e-7 in all.
fn erf_half_sqrt_pi(u: f32) -> f32 {
  let z = abs(0.886226925452758 * u);
  if (z < 0.5) {
    let z2 = z * z;
    let s = z * (1.0 + z2 * (-0.3333333333 + z2 * (0.1 + z2 * (-0.0238095238 + z2 * (0.0046296296 - z2 * 0.0007575758)))));
    return sign(u) * 1.1283791670955126 * s;
  }
  let t = 1.0 / (1.0 + 0.5 * z);
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return sign(u) * (1.0 - t * exp(-z * z + poly));
}

fn phi(v0: f32) -> f32 {
  let v = p.gain * v0;
  switch p.phi {
    case 1u: { return erf_half_sqrt_pi(v); }
    case 2u: { return max(v, 0.0); }
    case 3u: { return v; }
    default: { return tanh(v); }
  }
}

// 64-bit integers as (low, high) pairs of u32.
fn add64(a: vec2u, b: vec2u) -> vec2u {
  let lo = a.x + b.x;
  return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
fn shr64(a: vec2u, k: u32) -> vec2u {
  if (k >= 32u) { return vec2u(a.y >> (k - 32u), 0u); }
  return vec2u((a.x >> k) | (a.y << (32u - k)), a.y >> k);
}
// The full 64-bit product of two u32, from 16-bit halves.
fn wide(a: u32, b: u32) -> vec2u {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let p0 = al * bl; let p1 = al * bh; let p2 = ah * bl; let p3 = ah * bh;
  let mid = (p0 >> 16u) + (p1 & 0xffffu) + (p2 & 0xffffu);
  return vec2u((p0 & 0xffffu) | (mid << 16u), p3 + (p1 >> 16u) + (p2 >> 16u) + (mid >> 16u));
}
fn mul64(a: vec2u, b: vec2u) -> vec2u {
  let w = wide(a.x, b.x);
  return vec2u(w.x, w.y + a.x * b.y + a.y * b.x);
}
// The SplitMix64 finaliser (Steele, Lea & Flood 2014), as the engine's counter_rng.rs.
fn mix(z0: vec2u) -> vec2u {
  var z = add64(z0, vec2u(0x7f4a7c15u, 0x9e3779b9u));
  z = mul64(z ^ shr64(z, 30u), vec2u(0x1ce4e5b9u, 0xbf58476du));
  z = mul64(z ^ shr64(z, 27u), vec2u(0x133111ebu, 0x94d049bbu));
  return z ^ shr64(z, 31u);
}
fn hash(trajectory: u32, step: u32, unit: u32, half: u32) -> vec2u {
  var h = mix(p.seed ^ vec2u(0u, 2u << 24u));
  h = mix(h ^ vec2u(trajectory, 0u));
  h = mix(h ^ vec2u(step, 0u));
  return mix(h ^ vec2u((unit << 1u) | half, unit >> 31u));
}
// The top 53 bits as a number in [0, 1), in f32.
fn unit53(h: vec2u) -> f32 {
  return f32(h.y) * 2.3283064365386963e-10 + f32(h.x >> 11u) * 1.1102230246251565e-16;
}
// cos(2πu) to f32 accuracy (WGSL's cos may be off by 2^-11): octant reduction and Taylor
// polynomials on [−π/4, π/4].
fn cos2pi(u: f32) -> f32 {
  let s = 4.0 * (u - round(u));
  let k = i32(round(s));
  let a = (s - f32(k)) * 1.5707963267948966;
  let a2 = a * a;
  let c = 1.0 + a2 * (-0.5 + a2 * (0.041666666666666664 + a2 * (-0.001388888888888889 + a2 * 2.48015873015873e-5)));
  let sn = a * (1.0 + a2 * (-0.16666666666666666 + a2 * (0.008333333333333333 + a2 * (-0.0001984126984126984 + a2 * 2.7557319223985893e-6))));
  switch (k + 4) % 4 {
    case 0: { return c; }
    case 1: { return -sn; }
    case 2: { return -c; }
    default: { return sn; }
  }
}
fn normal(trajectory: u32, step: u32, unit: u32) -> f32 {
  let u1 = unit53(hash(trajectory, step, unit, 0u)) + 1.1102230246251565e-16;
  let u2 = unit53(hash(trajectory, step, unit, 1u));
  return sqrt(-2.0 * log(u1)) * cos2pi(u2);
}

@compute @workgroup_size(1)
fn advance() { clock[0] = clock[0] + 1u; }

@compute @workgroup_size(${WORKGROUP})
fn stage(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lane: u32) {
  let r = wg.x * ${WORKGROUP}u + lane;
  let b0 = wg.y * ${PER_GROUP}u;
  let count = min(${PER_GROUP}u, p.b - b0);
  // J φ(y) for the workgroup's trajectories: each element of Jᵀ is read once for all of them,
  // and every sum runs in column order, as the engine's.
  var acc: array<f32, ${PER_GROUP}>;
  for (var c0 = 0u; c0 < p.n; c0 += ${WORKGROUP}u) {
    for (var k = 0u; k < count; k++) {
      if (c0 + lane < p.n) { tile[k * ${WORKGROUP}u + lane] = yin[(b0 + k) * p.n + c0 + lane].y; }
    }
    workgroupBarrier();
    if (r < p.n) {
      let end = min(${WORKGROUP}u, p.n - c0);
      for (var c = 0u; c < end; c++) {
        let j = JT[(c0 + c) * p.n + r];
        for (var k = 0u; k < count; k++) { acc[k] = acc[k] + j * tile[k * ${WORKGROUP}u + c]; }
      }
    }
    workgroupBarrier();
  }
  if (r >= p.n) { return; }
  for (var k = 0u; k < count; k++) { update(b0 + k, r, acc[k]); }
}

// The stage sum and the next stage's input of unit r in trajectory b, from (J φ)_r = jphi.
fn update(b: u32, r: u32, jphi: f32) {
  let i = b * p.n + r;
  let k = (jphi - yin[i].x) + p.bias;
  let x0 = x[i].x;
  var v: f32;
  switch p.stage {
    case 0u: { sum[i] = k; v = x0 + p.half * k; }
    case 1u: { sum[i] = sum[i] + 2.0 * k; v = x0 + p.half * k; }
    case 2u: { sum[i] = sum[i] + 2.0 * k; v = x0 + p.full * k; }
    default: {
      v = x0 + p.sixth * (sum[i] + k);
      if (p.amp > 0.0) { v = v + p.amp * normal(p.first + b, clock[0], r); }
    }
  }
  // The next stage's input and its φ, written by the thread that owns them (φ once per unit).
  yout[i] = vec2f(v, phi(v));
}

// φ of the states, before the first step.
@compute @workgroup_size(${WORKGROUP})
fn prime(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= p.n || id.y >= p.b) { return; }
  let i = id.y * p.n + id.x;
  yout[i] = vec2f(x[i].x, phi(x[i].x));
}
`;

const TRANSPOSE = /* wgsl */ `
// Jᵀ from a block of rows r0… of J: JT[c·N + r0 + i] = rows[i·N + c].
@group(0) @binding(0) var<uniform> tp: vec4u;
@group(0) @binding(1) var<storage, read> rows: array<f32>;
@group(0) @binding(2) var<storage, read_write> JT: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn transpose(@builtin(global_invocation_id) id: vec3u) {
  let n = tp.x;
  let c = id.x;
  let i = id.y;
  if (c >= n || i >= tp.z) { return; }
  JT[c * n + tp.y + i] = rows[i * n + c];
}
`;

/** Options of {@link GpuRk4.create}. */
export interface GpuRk4Options {
  n: number;
  trajectories: number;
  /**
   * Couplings, row-major N × N; or rows r0…r1 on request, uploaded in chunks of about 64 MB (all
   * rows are requested before `x` is uploaded, so the provider may fill `x`).
   */
  J: Float32Array | ((r0: number, r1: number) => Float32Array);
  /** Initial states, B × N (row b is trajectory b). */
  x: Float32Array;
  dt: number;
  bias?: number;
  phi?: GpuPhi;
  /** φ(gain·x) (default 1). */
  phiGain?: number;
  /** White-noise amplitude σ (default 0), its seed and the global index of the first trajectory. */
  noise?: number;
  seed?: number;
  firstTrajectory?: number;
}

/** B trajectories of one network, integrated on the GPU. */
export class GpuRk4 {
  private disposed = false;
  /** The buffer that holds the current states (0 or 1). */
  private current = 1;

  private constructor(
    private readonly ctx: GpuContext,
    readonly n: number,
    readonly trajectories: number,
    private readonly bufs: { J: GPUBuffer; xs: GPUBuffer[] },
    private readonly buffers: GPUBuffer[],
    private readonly groups: GPUBindGroup[][],
    private readonly pipelines: { stage: GPUComputePipeline; advance: GPUComputePipeline },
  ) {}

  /** Uploads J and the states and builds the four stage passes. */
  static create(ctx: GpuContext, o: GpuRk4Options): GpuRk4 {
    const { n, trajectories: b } = o;
    if (!Number.isInteger(n) || n < 1) throw new ArgumentError('n', `must be a positive integer, got ${n}`);
    if (!Number.isInteger(b) || b < 1 || b > 65535) throw new ArgumentError('trajectories', `must be an integer in 1…65535, got ${b}`);
    if (typeof o.J !== 'function' && o.J.length !== n * n) throw new ArgumentError('J', `must hold N² = ${n * n} entries, got ${o.J.length}`);
    if (o.x.length !== n * b) throw new ArgumentError('x', `must hold B·N = ${n * b} entries, got ${o.x.length}`);
    if (!(o.dt > 0) || !Number.isFinite(o.dt)) throw new ArgumentError('dt', `must be a positive number, got ${o.dt}`);
    const phi = o.phi ?? 'tanh';
    if (!Object.hasOwn(PHI_CODES, phi)) throw new ArgumentError('phi', `must be 'tanh', 'erf', 'relu' or 'linear', got ${String(phi)}`);
    const gain = o.phiGain ?? 1;
    if (!Number.isFinite(gain)) throw new ArgumentError('phiGain', `must be a finite number, got ${gain}`);
    const noise = o.noise ?? 0;
    if (!(noise >= 0) || !Number.isFinite(noise)) throw new ArgumentError('noise', `must be a non-negative number, got ${noise}`);
    const seed = o.seed ?? 0;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new ArgumentError('seed', `must be a non-negative integer, got ${seed}`);
    const first = o.firstTrajectory ?? 0;
    if (!Number.isInteger(first) || first < 0 || first + b > 2 ** 32) throw new ArgumentError('firstTrajectory', `must be a non-negative integer, got ${first}`);
    const bytes = n * n * 4;
    if (bytes > ctx.device.limits.maxStorageBufferBindingSize) {
      throw new ArgumentError('n', `J needs ${bytes} bytes, more than the device's largest storage binding (${ctx.device.limits.maxStorageBufferBindingSize})`);
    }
    const device = ctx.device;
    const storage = (data: Float32Array | number) => {
      const size = typeof data === 'number' ? data : data.byteLength;
      const buf = device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST });
      if (typeof data !== 'number') device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
      return buf;
    };
    // J goes up in row blocks of about 64 MB and is stored transposed (see the shader).
    const J = storage(n * n * 4);
    const rowsOf = typeof o.J === 'function' ? o.J : (r0: number, r1: number) => (o.J as Float32Array).subarray(r0 * n, r1 * n);
    const chunk = Math.max(1, Math.min(n, Math.floor(2 ** 24 / n), 65535));
    const staging = device.createBuffer({ size: chunk * n * 4, usage: USAGE.STORAGE | USAGE.COPY_DST });
    const tp = device.createBuffer({ size: 16, usage: USAGE.UNIFORM | USAGE.COPY_DST });
    const transpose = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: TRANSPOSE }), entryPoint: 'transpose' } });
    const tgroup = device.createBindGroup({ layout: transpose.getBindGroupLayout(0), entries: [tp, staging, J].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    for (let r0 = 0; r0 < n; r0 += chunk) {
      const r1 = Math.min(n, r0 + chunk);
      const rows = rowsOf(r0, r1);
      if (rows.length !== (r1 - r0) * n) throw new ArgumentError('J', `rows ${r0}…${r1} must hold ${(r1 - r0) * n} entries, got ${rows.length}`);
      device.queue.writeBuffer(staging, 0, rows as Float32Array<ArrayBuffer>);
      device.queue.writeBuffer(tp, 0, new Uint32Array([n, r0, r1 - r0, 0]));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(transpose);
      pass.setBindGroup(0, tgroup);
      pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP), r1 - r0);
      pass.end();
      device.queue.submit([encoder.finish()]);
    }
    staging.destroy();
    tp.destroy();
    const pairs = new Float32Array(2 * n * b);
    o.x.forEach((v, i) => {
      pairs[2 * i] = v;
    });
    const x = storage(pairs);
    const state = n * b * 8;
    const [ya, yb, sum] = [storage(state), storage(state), storage(n * b * 4)];
    const f = Math.fround;
    const uniforms = [0, 1, 2, 3].map((stage) => {
      const data = new ArrayBuffer(64);
      new Uint32Array(data, 0, 4).set([n, b, stage, PHI_CODES[phi]]);
      new Float32Array(data, 16, 4).set([f(o.bias ?? 0), f(0.5 * o.dt), f(o.dt), f(o.dt / 6)]);
      new Uint32Array(data, 32, 3).set([seed % 2 ** 32, Math.floor(seed / 2 ** 32), first]);
      new Float32Array(data, 44, 2).set([f(noise * Math.sqrt(o.dt)), f(gain)]);
      const buf = device.createBuffer({ size: 64, usage: USAGE.UNIFORM | USAGE.COPY_DST });
      device.queue.writeBuffer(buf, 0, data);
      return buf;
    });
    const clock = device.createBuffer({ size: 16, usage: USAGE.STORAGE | USAGE.COPY_DST });
    const storageEntry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({ binding, visibility: 0x4, buffer: { type } });
    const layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: 0x4, buffer: { type: 'uniform' } },
        storageEntry(1, 'read-only-storage'), storageEntry(2, 'read-only-storage'), storageEntry(3, 'storage'),
        storageEntry(4, 'read-only-storage'), storageEntry(5, 'storage'), storageEntry(6, 'storage'),
      ],
    });
    const module = device.createShaderModule({ code: SHADER });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const pipeline = device.createComputePipeline({ layout: pipelineLayout, compute: { module, entryPoint: 'stage' } });
    const advance = device.createComputePipeline({ layout: pipelineLayout, compute: { module, entryPoint: 'advance' } });
    // The state alternates between two buffers: a step from x₀ runs x₀ → ya → yb → ya → x₁, the
    // next from x₁ back to x₀. groups[p][s] is stage s of a step from buffer p.
    const other = storage(state);
    const xs = [x, other];
    const groups = [0, 1].map((parity) => {
      const io: [GPUBuffer, GPUBuffer][] = [[xs[parity]!, ya], [ya, yb], [yb, ya], [ya, xs[1 - parity]!]];
      return io.map(([yin, yout], s) =>
        device.createBindGroup({
          layout,
          entries: [uniforms[s]!, J, yin, yout, xs[parity]!, sum, clock].map((buffer, binding) => ({ binding, resource: { buffer } })),
        }),
      );
    });
    // φ of the initial states: from x₀ (φ unset) into x₁, where the first step starts.
    const prime = device.createComputePipeline({ layout: pipelineLayout, compute: { module, entryPoint: 'prime' } });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(prime);
    pass.setBindGroup(0, groups[0]![3]!);
    pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP), b);
    pass.end();
    device.queue.submit([encoder.finish()]);
    return new GpuRk4(ctx, n, b, { J, xs }, [J, x, other, ya, yb, sum, clock, ...uniforms], groups, {
      stage: pipeline, advance,
    });
  }

  private check(): void {
    if (this.disposed) throw new ArgumentError('this', 'the GPU integrator was disposed');
    if (this.ctx.lost) throw new GpuDeviceLostError(`the GPU device was lost (${this.ctx.lost.reason})`);
  }

  /** Encodes `steps` RK4 steps, in submissions of at most 256 steps. */
  run(steps: number): void {
    this.advanceBy(steps, 0);
  }

  /** Runs `steps` steps and records the state after every `every`-th into `samples`. */
  record(steps: number, every: number, samples: GpuSamples): void {
    if (!Number.isInteger(every) || every < 1) throw new ArgumentError('every', `must be a positive integer, got ${every}`);
    this.advanceBy(steps, every, samples);
  }

  /** A sample store for this integrator's states (see `GpuSamples`). */
  samples(o: GpuSampleOptions): GpuSamples {
    this.check();
    return new GpuSamples(this.ctx, this.n, this.trajectories, this.bufs.xs, o);
  }

  private advanceBy(steps: number, every: number, samples?: GpuSamples): void {
    this.check();
    if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError('steps', `must be a non-negative integer, got ${steps}`);
    const device = this.ctx.device;
    const tiles = Math.ceil(this.n / WORKGROUP);
    for (let done = 0; done < steps; ) {
      const now = Math.min(256, steps - done);
      // One compute pass for all the steps: its dispatches run in order, each seeing the last one's writes.
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      for (let t = 0; t < now; t++) {
        const groups = this.groups[this.current]!;
        pass.setPipeline(this.pipelines.stage);
        for (const group of groups) {
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(tiles, Math.ceil(this.trajectories / PER_GROUP));
        }
        pass.setPipeline(this.pipelines.advance);
        pass.dispatchWorkgroups(1);
        this.current = 1 - this.current;
        if (samples && (done + t + 1) % every === 0) samples.encode(pass, this.current);
      }
      pass.end();
      device.queue.submit([encoder.finish()]);
      done += now;
    }
  }

  /** J as the GPU holds it (returned row-major). */
  async couplings(): Promise<Float32Array> {
    const n = this.n;
    const t = await this.read(this.bufs.J, 4 * n * n);
    const J = new Float32Array(n * n);
    for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) J[r * n + c] = t[c * n + r]!;
    return J;
  }

  /** The states, B × N. */
  async state(): Promise<Float32Array> {
    const pairs = await this.read(this.bufs.xs[this.current]!, 8 * this.n * this.trajectories);
    return pairs.filter((_, i) => i % 2 === 0);
  }

  private async read(source: GPUBuffer, size: number): Promise<Float32Array> {
    this.check();
    const read = this.ctx.device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    try {
      const encoder = this.ctx.device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, 0, read, 0, size);
      this.ctx.device.queue.submit([encoder.finish()]);
      await read.mapAsync(MAP_READ);
      return new Float32Array(read.getMappedRange().slice(0));
    } finally {
      read.destroy();
    }
  }

  /** Frees the GPU buffers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) b.destroy();
  }
}
