/// <reference types="@webgpu/types" />
/**
 * Samples of x and φ(x) recorded on the GPU during a run, and the large-N engine's statistics
 * computed from them there: only traces, Gram sums, per-unit variances and autocovariance sums
 * are read back.
 *
 * Sample s = b·T' + t (trajectory b, time t < T, T' = T rounded up to 16, the padding left at 0)
 * is row s of an (B·T') × N matrix X. After the run each unit is centred on its mean pooled over
 * all trajectories (as the WebAssembly engine does, see `crate/src/large/moments.rs`); then the
 * Gram matrix G = X Xᵀ is formed in 16 × 16 tiles, and each tile returns Σ G_ss'². A tile lies in
 * one pair of trajectories (16 divides T'), so these give tr(Ĉ_g Ĉ_h) of the trajectory groups:
 * Ĉ_g = Σ_{s∈g} x̃_s x̃_sᵀ / dof_g, whence tr(Ĉ_g Ĉ_h) = Σ_{s∈g, s'∈h} G_ss'² / (dof_g dof_h), at
 * N (B T')²/2 multiply-adds per variable. When N is small against B T' the groups' N × N moments
 * Ŝ_g = Σ_{s∈g} x̃_s x̃_sᵀ and their Frobenius products cost less and are used instead. The
 * traces come from per-trajectory sums of squares. Autocovariances of the first `units` units: Σ_t x̃_i(t) x̃_i(t+l), per unit and
 * trajectory, divided by T − l on the CPU.
 */

import { ArgumentError } from '../errors.js';
import type { VariableSums } from '../large/block.js';
import type { GpuContext } from './device.js';

/** Tile side of the products; TILE² = 256 invocations, the size `workgroup_sum` reduces. */
const TILE = 16;
const WORKGROUP = 64;
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;

const PARAMS = /* wgsl */ `
struct Params { n: u32, b: u32, t: u32, tpad: u32, units: u32, lags: u32, tiles: u32, groups: u32 }
@group(0) @binding(0) var<uniform> p: Params;
`;

// The sum of v over a workgroup of 256 invocations (the result is valid in invocation 0).
const WORKGROUP_SUM = /* wgsl */ `
var<workgroup> red: array<f32, 256>;
fn workgroup_sum(li: u32, v: f32) -> f32 {
  red[li] = v;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half = half >> 1u) {
    if (li < half) { red[li] = red[li] + red[li + half]; }
    workgroupBarrier();
  }
  return red[0];
}
`;

const RECORD = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> state: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> sx: array<f32>;
@group(0) @binding(3) var<storage, read_write> sphi: array<f32>;
@group(0) @binding(4) var<storage, read_write> slot: array<u32>;
@compute @workgroup_size(${WORKGROUP})
fn record(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= p.n || id.y >= p.b) { return; }
  let v = state[id.y * p.n + id.x];
  let at = (id.y * p.tpad + slot[0]) * p.n + id.x;
  sx[at] = v.x;
  sphi[at] = v.y;
}
@compute @workgroup_size(1)
fn tick() { slot[0] = slot[0] + 1u; }
`;

const CENTRE = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> variance: array<f32>;
// Per (trajectory, unit): Σ_t x̃².
@group(0) @binding(3) var<storage, read_write> squares: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn centre(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= p.n) { return; }
  let count = f32(p.b * p.t);
  var m = 0.0;
  for (var b = 0u; b < p.b; b++) {
    for (var t = 0u; t < p.t; t++) { m = m + s[(b * p.tpad + t) * p.n + i]; }
  }
  m = m / count;
  var q = 0.0;
  for (var b = 0u; b < p.b; b++) {
    var qb = 0.0;
    for (var t = 0u; t < p.t; t++) {
      let at = (b * p.tpad + t) * p.n + i;
      let v = s[at] - m;
      s[at] = v;
      qb = qb + v * v;
    }
    squares[b * p.n + i] = qb;
    q = q + qb;
  }
  variance[i] = q / (count - 1.0);
}
`;

const GRAM = PARAMS + WORKGROUP_SUM + /* wgsl */ `
@group(0) @binding(1) var<storage, read> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> ta: array<array<f32, ${TILE}>, ${TILE}>;
var<workgroup> tb: array<array<f32, ${TILE}>, ${TILE}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn gram(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u, @builtin(local_invocation_index) li: u32) {
  // Tiles on and above the diagonal; G is symmetric.
  if (wg.y < wg.x) { return; }
  let ra = (wg.x * ${TILE}u + l.y) * p.n;
  let rb = (wg.y * ${TILE}u + l.y) * p.n;
  var acc = 0.0;
  for (var k0 = 0u; k0 < p.n; k0 += ${TILE}u) {
    let k = k0 + l.x;
    var a = 0.0;
    var b = 0.0;
    if (k < p.n) { a = s[ra + k]; b = s[rb + k]; }
    ta[l.y][l.x] = a;
    tb[l.y][l.x] = b;
    workgroupBarrier();
    for (var c = 0u; c < ${TILE}u; c++) { acc = acc + ta[l.y][c] * tb[l.x][c]; }
    workgroupBarrier();
  }
  let total = workgroup_sum(li, acc * acc);
  if (li == 0u) { out[wg.x * p.tiles + wg.y] = total; }
}
`;

// Ŝ_g = Σ_{s∈g} x̃_s x̃_sᵀ (N × N) of group g = workgroup z: its trajectories are contiguous rows.
const MOMENTS = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> ta: array<array<f32, ${TILE}>, ${TILE}>;
var<workgroup> tb: array<array<f32, ${TILE}>, ${TILE}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn moments(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let g = wg.z;
  let first = ((g * p.b + p.groups - 1u) / p.groups) * p.tpad;
  let last = (((g + 1u) * p.b + p.groups - 1u) / p.groups) * p.tpad;
  let i0 = wg.x * ${TILE}u;
  let j0 = wg.y * ${TILE}u;
  var acc = 0.0;
  for (var s0 = first; s0 < last; s0 += ${TILE}u) {
    let row = (s0 + l.y) * p.n;
    var a = 0.0;
    var b = 0.0;
    if (i0 + l.x < p.n) { a = s[row + i0 + l.x]; }
    if (j0 + l.x < p.n) { b = s[row + j0 + l.x]; }
    ta[l.y][l.x] = a;
    tb[l.y][l.x] = b;
    workgroupBarrier();
    for (var c = 0u; c < ${TILE}u; c++) { acc = acc + ta[c][l.y] * tb[c][l.x]; }
    workgroupBarrier();
  }
  if (i0 + l.y < p.n && j0 + l.x < p.n) { out[(g * p.n + i0 + l.y) * p.n + j0 + l.x] = acc; }
}
`;

// tr(Ŝ_g Ŝ_h) for g ≤ h: workgroup (g, h).
const FROBENIUS = PARAMS + WORKGROUP_SUM + /* wgsl */ `
@group(0) @binding(1) var<storage, read> m: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(256)
fn frobenius(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  if (wg.y < wg.x) { return; }
  let nn = p.n * p.n;
  let a = wg.x * nn;
  let b = wg.y * nn;
  var acc = 0.0;
  for (var e = li; e < nn; e += 256u) { acc = acc + m[a + e] * m[b + e]; }
  let total = workgroup_sum(li, acc);
  if (li == 0u) { out[wg.x * p.groups + wg.y] = total; }
}
`;

const AUTOCOV = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn autocov(@builtin(global_invocation_id) id: vec3u) {
  let u = id.x;
  let b = id.y;
  if (u >= p.units || b >= p.b) { return; }
  for (var l = 0u; l <= p.lags; l++) {
    var acc = 0.0;
    for (var t = 0u; t + l < p.t; t++) {
      acc = acc + s[(b * p.tpad + t) * p.n + u] * s[(b * p.tpad + t + l) * p.n + u];
    }
    out[(b * p.units + u) * (p.lags + 1u) + l] = acc;
  }
}
`;

/** What to record: T samples per trajectory, K groups, autocovariances of `units` units to lag `maxLag` (samples). */
export interface GpuSampleOptions {
  samples: number;
  groups: number;
  units: number;
  maxLag: number;
}

/** The recorded samples of a run and the statistics computed from them. */
export class GpuSamples {
  private recorded = 0;
  private readonly buffers: GPUBuffer[] = [];
  private readonly tpad: number;
  private readonly sx: GPUBuffer;
  private readonly sphi: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly recordGroups: GPUBindGroup[];
  private readonly tickGroup: GPUBindGroup;
  private readonly pipelines: { record: GPUComputePipeline; tick: GPUComputePipeline };

  /** A store for the run of an integrator with state buffers `states` (the two it alternates between). */
  constructor(private readonly ctx: GpuContext, readonly n: number, readonly trajectories: number, states: GPUBuffer[], readonly o: GpuSampleOptions) {
    const { samples, groups, units, maxLag } = o;
    if (!Number.isInteger(samples) || samples < 2 || samples <= maxLag) throw new ArgumentError('samples', `need at least 2 samples and more than maxLag = ${maxLag}, got ${samples}`);
    if (!Number.isInteger(groups) || groups < 2 || groups > trajectories) throw new ArgumentError('blocks', `the WebGPU backend needs 2…B = ${trajectories} trajectory groups, got ${groups}`);
    this.tpad = Math.ceil(samples / TILE) * TILE;
    const device = ctx.device;
    const bytes = 4 * n * trajectories * this.tpad;
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (bytes > limit) {
      throw new ArgumentError('duration', `the samples need ${bytes} bytes per variable, more than the device's largest storage binding (${limit}): sample less often (sampleEvery) or fewer trajectories`);
    }
    const storage = (size: number) => this.keep(device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST }));
    this.sx = storage(bytes);
    this.sphi = storage(bytes);
    const slot = storage(16);
    this.params = this.keep(device.createBuffer({ size: 32, usage: USAGE.UNIFORM | USAGE.COPY_DST }));
    const tiles = (trajectories * this.tpad) / TILE;
    device.queue.writeBuffer(this.params, 0, new Uint32Array([n, trajectories, samples, this.tpad, Math.min(units, n), maxLag, tiles, groups]));
    const module = device.createShaderModule({ code: RECORD });
    const record = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'record' } });
    const tick = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'tick' } });
    this.pipelines = { record, tick };
    this.recordGroups = states.map((state) =>
      device.createBindGroup({
        layout: record.getBindGroupLayout(0),
        entries: [this.params, state, this.sx, this.sphi, slot].map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    );
    this.tickGroup = device.createBindGroup({ layout: tick.getBindGroupLayout(0), entries: [{ binding: 4, resource: { buffer: slot } }] });
  }

  private keep(b: GPUBuffer): GPUBuffer {
    this.buffers.push(b);
    return b;
  }

  /** Encodes one sample of the states in buffer `which` of the integrator. */
  encode(pass: GPUComputePassEncoder, which: number): void {
    if (this.recorded >= this.o.samples) throw new ArgumentError('samples', `the store holds ${this.o.samples} samples per trajectory`);
    pass.setPipeline(this.pipelines.record);
    pass.setBindGroup(0, this.recordGroups[which]!);
    pass.dispatchWorkgroups(Math.ceil(this.n / WORKGROUP), this.trajectories);
    pass.setPipeline(this.pipelines.tick);
    pass.setBindGroup(0, this.tickGroup);
    pass.dispatchWorkgroups(1);
    this.recorded += 1;
  }

  /**
   * Centres the samples and returns the sums the engine's estimators take, for x and for φ;
   * `reduction` forces the Gram or the moments route (default: the cheaper). Centring again
   * leaves centred samples as they are, so a second call gives the same sums up to rounding.
   */
  async finish(reduction: 'auto' | 'gram' | 'moments' = 'auto'): Promise<{ x: VariableSums; phi: VariableSums }> {
    if (this.recorded !== this.o.samples) throw new ArgumentError('samples', `${this.recorded} of ${this.o.samples} samples were recorded`);
    const [x, phi] = [await this.variable(this.sx, reduction), await this.variable(this.sphi, reduction)];
    return { x: x!, phi: phi! };
  }

  private async variable(s: GPUBuffer, reduction: 'auto' | 'gram' | 'moments'): Promise<VariableSums> {
    const device = this.ctx.device;
    const { n, trajectories: nb, tpad } = this;
    const { samples: t, groups: k, maxLag } = this.o;
    const units = Math.min(this.o.units, n);
    const tiles = (nb * tpad) / TILE;
    const temp: GPUBuffer[] = [];
    const storage = (size: number) => {
      const b = device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_SRC });
      temp.push(b);
      return b;
    };
    const variance = storage(4 * n);
    const squares = storage(4 * nb * n);
    const autocov = storage(4 * Math.max(1, units * nb * (maxLag + 1)));
    // tr(Ĉ_g Ĉ_h) from the Gram matrix of the samples, N (BT')²/2 multiply-adds, or from the
    // groups' N × N second moments, N² BT' + K²N²/2 and K N² floats: whichever costs less.
    const rows = nb * tpad;
    const fits = 4 * k * n * n <= Math.min(device.limits.maxStorageBufferBindingSize, 2 ** 28);
    if (reduction === 'moments' && !fits) throw new ArgumentError('reduction', `the groups' moments need ${4 * k * n * n} bytes`);
    const byMoments = reduction === 'moments' || (reduction === 'auto' && fits && n * n * rows + (k * k * n * n) / 2 < (n * rows * rows) / 2);
    const pairSums = byMoments ? storage(4 * k * k) : storage(4 * tiles * tiles);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    const run = (code: string, entry: string, buffers: GPUBuffer[], x: number, y = 1, z = 1) => {
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: entry } });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [this.params, ...buffers].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
      pass.dispatchWorkgroups(x, y, z);
    };
    run(CENTRE, 'centre', [s, variance, squares], Math.ceil(n / WORKGROUP));
    if (byMoments) {
      const m = storage(4 * k * n * n);
      run(MOMENTS, 'moments', [s, m], Math.ceil(n / TILE), Math.ceil(n / TILE), k);
      run(FROBENIUS, 'frobenius', [m, pairSums], k, k);
    } else {
      run(GRAM, 'gram', [s, pairSums], tiles, tiles);
    }
    if (units > 0) run(AUTOCOV, 'autocov', [s, autocov], Math.ceil(units / WORKGROUP), nb);
    pass.end();
    device.queue.submit([encoder.finish()]);
    try {
      const [vr, sq, ps, ac] = await Promise.all([
        read(device, variance, 4 * n),
        read(device, squares, 4 * nb * n),
        read(device, pairSums, byMoments ? 4 * k * k : 4 * tiles * tiles),
        read(device, autocov, 4 * Math.max(1, units * nb * (maxLag + 1))),
      ]);
      const pairs = byMoments ? momentPairs(ps, k) : gramPairs(ps, { trajectories: nb, groups: k, tiles, perTrajectory: tpad / TILE });
      return sums(vr, sq, pairs, ac, { n, trajectories: nb, samples: t, groups: k, units, maxLag });
    } finally {
      for (const b of temp) b.destroy();
    }
  }

  /** Frees the store. */
  dispose(): void {
    for (const b of this.buffers.splice(0)) b.destroy();
  }
}

async function read(device: GPUDevice, source: GPUBuffer, size: number): Promise<Float32Array> {
  const target = device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, target, 0, size);
    device.queue.submit([encoder.finish()]);
    await target.mapAsync(USAGE.MAP_READ);
    return new Float32Array(target.getMappedRange().slice(0));
  } finally {
    target.destroy();
  }
}

/** Σ_{s∈g, s'∈h} (x̃_s·x̃_s')² per group pair (K × K) from the Gram tiles (upper triangle). */
function gramPairs(tileSums: Float32Array, o: { trajectories: number; groups: number; tiles: number; perTrajectory: number }): Float64Array {
  const { trajectories: nb, groups: k, tiles, perTrajectory } = o;
  const group = (tile: number) => Math.floor((Math.floor(tile / perTrajectory) * k) / nb);
  const out = new Float64Array(k * k);
  for (let i = 0; i < tiles; i++) {
    for (let j = i; j < tiles; j++) {
      const v = tileSums[i * tiles + j]!;
      out[group(i) * k + group(j)]! += v;
      if (i !== j) out[group(j) * k + group(i)]! += v;
    }
  }
  return out;
}

/** The same from tr(Ŝ_g Ŝ_h), g ≤ h. */
function momentPairs(frobenius: Float32Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let g = 0; g < k; g++) for (let h = g; h < k; h++) out[g * k + h] = out[h * k + g] = frobenius[g * k + h]!;
  return out;
}

/** The estimators' sums (f64) from what the GPU returned. */
function sums(
  variance: Float32Array,
  squares: Float32Array,
  pairs: Float64Array,
  autocov: Float32Array,
  s: { n: number; trajectories: number; samples: number; groups: number; units: number; maxLag: number },
): VariableSums {
  const { n, trajectories: nb, samples: t, groups: k, units, maxLag } = s;
  const group = (b: number) => Math.floor((b * k) / nb);
  const dofOne = t * (1 - 1 / (nb * t));
  const dof = new Float64Array(k);
  for (let b = 0; b < nb; b++) dof[group(b)]! += dofOne;
  const perTrajectory = new Float64Array(nb);
  for (let b = 0; b < nb; b++) for (let i = 0; i < n; i++) perTrajectory[b]! += squares[b * n + i]!;
  const traces = new Float64Array(k);
  for (let b = 0; b < nb; b++) traces[group(b)]! += perTrajectory[b]! / dof[group(b)]!;
  const gram = pairs.map((v, gh) => v / (dof[Math.floor(gh / k)]! * dof[gh % k]!));
  let varSum = 0;
  let varSqSum = 0;
  for (const v of variance) {
    varSum += v;
    varSqSum += v * v;
  }
  const ac = new Float64Array(maxLag + 1);
  for (let r = 0; r < units * nb; r++) for (let l = 0; l <= maxLag; l++) ac[l]! += autocov[r * (maxLag + 1) + l]! / (t - l);
  return { traces, gram, varSum, varSqSum, trajectoryVar: perTrajectory.map((d) => d / dofOne), autocov: ac, pairs: units * nb, weighted: [] };
}
