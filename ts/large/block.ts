/**
 * One row block of a large run inside this thread's WebAssembly instance (see
 * `crate/src/ffi/large.rs`): creation from a plan, stages, the buffers exchanged between
 * workers, and the sums it contributes to the estimates.
 */

import { InternalError } from '../errors.js';
import { call } from '../runtime/call.js';
import { WasmObject } from '../runtime/handle.js';
import { current, lastError } from '../runtime/module.js';
import type { LargePlan } from './plan.js';

/** Buffers of a block: φ of the stage input (all units), φ out (own rows), state (own rows), state (all units). */
export const Buffer = { PhiFull: 0, PhiOut: 1, State: 2, StateFull: 3 } as const;
type BufferKind = (typeof Buffer)[keyof typeof Buffer];

/** One variable's sums over a block's rows. */
export interface VariableSums {
  traces: Float64Array;
  gram: Float64Array;
  varSum: number;
  varSqSum: number;
  trajectoryVar: Float64Array;
  autocov: Float64Array;
  pairs: number;
  /** Per planned weighting, its traces and Gram matrix. */
  weighted: { traces: Float64Array; gram: Float64Array }[];
}

/** What a block contributes to the estimates. */
export interface BlockSums {
  samples: number;
  x: VariableSums;
  phi: VariableSums;
}

function check(status: number): void {
  if (status !== 0) throw new InternalError(`large-N engine: ${lastError(current().exports)}`);
}

/** Rows r0..r1 of the planned network with their trajectories. */
export class EngineBlock extends WasmObject {
  readonly rows: number;

  constructor(readonly plan: LargePlan, readonly r0: number, readonly r1: number, rows?: Float64Array) {
    const c = plan.couplings;
    const handle = call((b) =>
      b.exports.rnl_large_new(
        plan.precision === 'f32' ? 1 : 0, plan.n, r0, r1, plan.trajectories, c.kind, c.g, c.zeroDiagonal ? 1 : 0,
        b.optional(c.d), c.d?.length ?? 0, b.optional(c.rho), b.optional(c.gains), b.optional(c.outputGains), b.optional(rows), plan.networkSeed,
        plan.phiKind, plan.phiGain, plan.bias, plan.dt, plan.noise, plan.x0Std, plan.seed, plan.firstTrajectory,
      ),
    );
    if (handle === 0) throw new InternalError(`large-N engine: ${lastError(current().exports)}`);
    super(handle, (e, h) => e.rnl_large_free(h));
    this.rows = r1 - r0;
  }

  /** A fresh view of one of the block's buffers. */
  view(which: BufferKind): Float32Array | Float64Array {
    const e = current().exports;
    const ptr = e.rnl_large_buffer(this.handle, which) >>> 0;
    const len = this.plan.trajectories * (which === Buffer.PhiFull || which === Buffer.StateFull ? this.plan.n : this.rows);
    return this.plan.precision === 'f32' ? new Float32Array(e.memory.buffer, ptr, len) : new Float64Array(e.memory.buffer, ptr, len);
  }

  stage(): void {
    check(current().exports.rnl_large_stage(this.handle));
  }

  sample(): void {
    check(current().exports.rnl_large_sample(this.handle));
  }

  /** Runs `steps` steps (a block holding all rows). */
  run(steps: number): void {
    check(current().exports.rnl_large_run(this.handle, steps));
  }

  enableStats(): void {
    const p = this.plan;
    check(current().exports.rnl_large_enable_stats(this.handle, p.blocks, p.buffer, p.units, p.stride));
  }

  /** The block's rows of J, as f64. */
  couplings(): Float64Array {
    return call((b) => {
      const out = b.output(this.rows * this.plan.n);
      b.check(b.exports.rnl_large_couplings(this.handle, out));
      return b.read(out, this.rows * this.plan.n);
    });
  }

  /** The block's states (B × rows), as f64. */
  state(): Float64Array {
    return call((b) => {
      const len = this.plan.trajectories * this.rows;
      const out = b.output(len);
      b.check(b.exports.rnl_large_state(this.handle, out));
      return b.read(out, len);
    });
  }

  /** Ends the statistics and returns this block's sums. */
  finish(): BlockSums {
    const { blocks: k, trajectories: nb, maxLag, weightings, n } = this.plan;
    const s = weightings.length;
    const weights = new Float64Array(s * n);
    weightings.forEach((w, i) => weights.set(w.weights, i * n));
    const zscore = Float64Array.from(weightings, (w) => (w.zscore ? 1 : 0));
    return call((b) => {
      const len = b.exports.rnl_large_finish_len(k, nb, maxLag, s);
      const out = b.output(len);
      b.check(b.exports.rnl_large_finish(this.handle, k, maxLag, s, b.optional(s ? weights : undefined), b.optional(s ? zscore : undefined), out));
      const v = b.read(out, len);
      let at = 1;
      const take = (m: number) => v.slice(at, (at += m));
      const variable = (): VariableSums => ({
        traces: take(k),
        gram: take(k * k),
        varSum: take(1)[0]!,
        varSqSum: take(1)[0]!,
        trajectoryVar: take(nb),
        autocov: take(maxLag + 1),
        pairs: take(1)[0]!,
        weighted: weightings.map(() => ({ traces: take(k), gram: take(k * k) })),
      });
      return { samples: v[0]!, x: variable(), phi: variable() };
    });
  }
}
