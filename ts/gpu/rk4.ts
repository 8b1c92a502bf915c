/// <reference types="@webgpu/types" />
/**
 * RK4 integration of dx/dt = −x + J φ(x) + b for B trajectories of one network on a WebGPU
 * device, in f32: J and the states stay in GPU buffers and many steps go in one submission.
 *
 * One dispatch per RK4 stage s computes k = J φ(y_s) − y_s + b for every (unit, trajectory),
 * with φ applied as the sum runs (fused), and updates in the same pass the stage sum and the
 * next stage's state: y₁ = x + (dt/2)k₁, y₂ = x + (dt/2)k₂, y₃ = x + dt k₃, and at the last stage
 * x + (dt/6)(k₁ + 2k₂ + 2k₃ + k₄), the same order of operations as the WebAssembly f32 engine.
 * The states ping-pong between buffers, since every row reads all of y_s.
 */

import { ArgumentError } from '../errors.js';
import { GpuDeviceLostError, type GpuContext } from './device.js';

/** φ of the GPU engine. */
export type GpuPhi = 'tanh' | 'relu' | 'linear';
const PHI_CODES: Record<GpuPhi, number> = { tanh: 0, relu: 2, linear: 3 };

const WORKGROUP = 64;

/** WebGPU's buffer usage and map mode flags (the spec's values; Node has no GPUBufferUsage global). */
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_READ = 0x1;

const SHADER = /* wgsl */ `
struct Params { n: u32, b: u32, stage: u32, phi: u32, bias: f32, half: f32, full: f32, sixth: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> J: array<f32>;
@group(0) @binding(2) var<storage, read> yin: array<f32>;
@group(0) @binding(3) var<storage, read_write> yout: array<f32>;
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read_write> sum: array<f32>;

fn phi(v: f32) -> f32 {
  switch p.phi {
    case 2u: { return max(v, 0.0); }
    case 3u: { return v; }
    default: { return tanh(v); }
  }
}

@compute @workgroup_size(${WORKGROUP})
fn stage(@builtin(global_invocation_id) id: vec3u) {
  let r = id.x;
  let b = id.y;
  if (r >= p.n || b >= p.b) { return; }
  let base = b * p.n;
  let row = r * p.n;
  var acc = 0.0;
  for (var c = 0u; c < p.n; c++) { acc = acc + J[row + c] * phi(yin[base + c]); }
  let i = base + r;
  let k = (acc - yin[i]) + p.bias;
  switch p.stage {
    case 0u: { sum[i] = k; yout[i] = x[i] + p.half * k; }
    case 1u: { let s = sum[i] + 2.0 * k; sum[i] = s; yout[i] = x[i] + p.half * k; }
    case 2u: { let s = sum[i] + 2.0 * k; sum[i] = s; yout[i] = x[i] + p.full * k; }
    default: { yout[i] = x[i] + p.sixth * (sum[i] + k); }
  }
}
`;

/** Options of {@link GpuRk4.create}. */
export interface GpuRk4Options {
  n: number;
  trajectories: number;
  /** Couplings, row-major N × N. */
  J: Float32Array;
  /** Initial states, B × N (row b is trajectory b). */
  x: Float32Array;
  dt: number;
  bias?: number;
  phi?: GpuPhi;
}

/** B trajectories of one network, integrated on the GPU. */
export class GpuRk4 {
  private readonly buffers: GPUBuffer[];
  private readonly groups: GPUBindGroup[];
  private readonly pipeline: GPUComputePipeline;
  private disposed = false;

  private constructor(
    private readonly ctx: GpuContext,
    private readonly n: number,
    private readonly b: number,
    private readonly x: GPUBuffer,
    private readonly last: GPUBuffer,
    buffers: GPUBuffer[],
    groups: GPUBindGroup[],
    pipeline: GPUComputePipeline,
  ) {
    this.buffers = buffers;
    this.groups = groups;
    this.pipeline = pipeline;
  }

  /** Uploads J and the states and builds the four stage passes. */
  static create(ctx: GpuContext, o: GpuRk4Options): GpuRk4 {
    const { n, trajectories: b } = o;
    if (!Number.isInteger(n) || n < 1) throw new ArgumentError('n', `must be a positive integer, got ${n}`);
    if (!Number.isInteger(b) || b < 1 || b > 65535) throw new ArgumentError('trajectories', `must be an integer in 1…65535, got ${b}`);
    if (o.J.length !== n * n) throw new ArgumentError('J', `must hold N² = ${n * n} entries, got ${o.J.length}`);
    if (o.x.length !== n * b) throw new ArgumentError('x', `must hold B·N = ${n * b} entries, got ${o.x.length}`);
    if (!(o.dt > 0) || !Number.isFinite(o.dt)) throw new ArgumentError('dt', `must be a positive number, got ${o.dt}`);
    const phi = o.phi ?? 'tanh';
    if (!Object.hasOwn(PHI_CODES, phi)) throw new ArgumentError('phi', `must be 'tanh', 'relu' or 'linear', got ${String(phi)}`);
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
    const J = storage(o.J);
    const x = storage(o.x);
    const state = n * b * 4;
    const [ya, yb, sum] = [storage(state), storage(state), storage(state)];
    const f = Math.fround;
    const uniforms = [0, 1, 2, 3].map((stage) => {
      const data = new ArrayBuffer(32);
      new Uint32Array(data, 0, 4).set([n, b, stage, PHI_CODES[phi]]);
      new Float32Array(data, 16, 4).set([f(o.bias ?? 0), f(0.5 * o.dt), f(o.dt), f(o.dt / 6)]);
      const buf = device.createBuffer({ size: 32, usage: USAGE.UNIFORM | USAGE.COPY_DST });
      device.queue.writeBuffer(buf, 0, data);
      return buf;
    });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: SHADER }), entryPoint: 'stage' } });
    // Stage inputs and outputs: x → ya → yb → ya → yb, then yb is copied into x.
    const io: [GPUBuffer, GPUBuffer][] = [[x, ya], [ya, yb], [yb, ya], [ya, yb]];
    const groups = io.map(([yin, yout], s) =>
      device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [uniforms[s]!, J, yin, yout, x, sum].map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    );
    return new GpuRk4(ctx, n, b, x, yb, [J, x, ya, yb, sum, ...uniforms], groups, pipeline);
  }

  private check(): void {
    if (this.disposed) throw new ArgumentError('this', 'the GPU integrator was disposed');
    if (this.ctx.lost) throw new GpuDeviceLostError(`the GPU device was lost (${this.ctx.lost.reason})`);
  }

  /** Encodes `steps` RK4 steps, in submissions of at most 256 steps. */
  run(steps: number): void {
    this.check();
    if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError('steps', `must be a non-negative integer, got ${steps}`);
    const device = this.ctx.device;
    for (let done = 0; done < steps; ) {
      const now = Math.min(256, steps - done);
      const encoder = device.createCommandEncoder();
      for (let t = 0; t < now; t++) {
        for (const group of this.groups) {
          const pass = encoder.beginComputePass();
          pass.setPipeline(this.pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(Math.ceil(this.n / WORKGROUP), this.b);
          pass.end();
        }
        encoder.copyBufferToBuffer(this.last, 0, this.x, 0, this.n * this.b * 4);
      }
      device.queue.submit([encoder.finish()]);
      done += now;
    }
  }

  /** The states, B × N. */
  async state(): Promise<Float32Array> {
    this.check();
    const size = this.n * this.b * 4;
    const read = this.ctx.device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    try {
      const encoder = this.ctx.device.createCommandEncoder();
      encoder.copyBufferToBuffer(this.x, 0, read, 0, size);
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
