/// <reference types="@webgpu/types" />
/**
 * A planned large-N run (`planLarge`) on a WebGPU device: J and the initial states from the
 * WebAssembly engine (`gpuFromPlan`), burn-in and observation on the GPU in submissions of 256
 * steps, samples kept in GPU buffers and reduced there (`GpuSamples`). Returns what a WebAssembly
 * block returns, so that both backends share the estimators.
 */

import type { BlockResult } from '../large/run.js';
import type { LargePlan } from '../large/plan.js';
import type { GpuContext } from './device.js';
import { GpuDeviceLostError, GpuOutOfMemoryError } from './errors.js';
import { gpuFromPlan } from './fromPlan.js';

/** Steps per submission, between progress reports. */
const CHUNK = 256;

/**
 * Runs `plan` on the device of `ctx`. `tick(phase, step)` is called after every submission and
 * may throw to stop the run (cancellation); the GPU buffers are freed either way.
 */
export async function runOnGpu(
  plan: LargePlan,
  ctx: GpuContext,
  tick: (phase: 'couplings' | 'burnIn' | 'observe' | 'statistics', step: number) => void,
): Promise<BlockResult> {
  const device = ctx.device;
  const t0 = performance.now();
  tick('couplings', 0);
  const samplesPerTrajectory = Math.floor(plan.observeSteps / plan.stride);
  device.pushErrorScope('out-of-memory');
  const rk = gpuFromPlan(ctx, plan);
  const store = rk.samples({ samples: samplesPerTrajectory, groups: plan.blocks, units: plan.units, maxLag: plan.maxLag });
  const oom = await device.popErrorScope();
  try {
    if (oom) throw new GpuOutOfMemoryError(`the GPU could not allocate the run (N = ${plan.n}, B = ${plan.trajectories}, ${samplesPerTrajectory} samples): ${oom.message}`);
    const settle = async () => {
      await device.queue.onSubmittedWorkDone();
      if (ctx.lost) throw new GpuDeviceLostError(`the GPU device was lost (${ctx.lost.reason})`);
    };
    await settle();
    const tGenerated = performance.now();
    let done = 0;
    while (done < plan.burnInSteps) {
      const s = Math.min(CHUNK, plan.burnInSteps - done);
      rk.run(s);
      await settle();
      done += s;
      tick('burnIn', done);
    }
    const tBurn = performance.now();
    // Samples after every stride-th observed step; the last partial stride is run unsampled.
    const sampled = samplesPerTrajectory * plan.stride;
    const chunk = Math.max(plan.stride, Math.floor(CHUNK / plan.stride) * plan.stride);
    for (let observed = 0; observed < sampled; ) {
      const s = Math.min(chunk, sampled - observed);
      rk.record(s, plan.stride, store);
      await settle();
      observed += s;
      done = plan.burnInSteps + observed;
      tick('observe', done);
    }
    if (plan.observeSteps > sampled) rk.run(plan.observeSteps - sampled);
    await settle();
    const tObserved = performance.now();
    tick('statistics', plan.burnInSteps + plan.observeSteps);
    const { x, phi } = await store.finish();
    const state = Float64Array.from(await rk.state());
    if (ctx.lost) throw new GpuDeviceLostError(`the GPU device was lost (${ctx.lost.reason})`);
    return {
      sums: { samples: samplesPerTrajectory, x, phi },
      state,
      timings: { couplings: tGenerated - t0, burnIn: tBurn - tGenerated, observe: tObserved - tBurn, statistics: performance.now() - tObserved, exchange: 0 },
    };
  } finally {
    store.dispose();
    rk.dispose();
  }
}
