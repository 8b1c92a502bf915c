/**
 * One worker's share of a large run: it builds its row block in this thread's WebAssembly
 * instance and integrates it. With several workers, the
 * states are exchanged through SharedArrayBuffers after every RK4 stage: each worker writes φ of
 * its rows into a shared B×N buffer (two buffers, alternating, so one barrier per stage
 * suffices) and, before a sample, its states; an Atomics barrier separates writing from reading.
 */

import { Buffer, EngineBlock, type BlockSums } from './block.js';
import type { LargePlan } from './plan.js';

/** Shared memory of a multi-worker run. */
export interface SharedState {
  /** Int32Array [arrived, generation] of the barrier. */
  control: SharedArrayBuffer;
  /** Two B×N buffers of φ and one of x, in the run's precision. */
  phi: [SharedArrayBuffer, SharedArrayBuffer];
  x: SharedArrayBuffer;
}

/** The message that starts a worker. */
export interface StartMessage {
  plan: LargePlan;
  index: number;
  rows?: Float64Array;
  shared?: SharedState;
}

/** Spin this long (ms) before sleeping at a barrier: a futex wake-up costs tens of µs, as much as a small stage. */
const SPIN_MS = 0.2;

function barrier(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, 1);
  if (Atomics.add(control, 0, 1) === parties - 1) {
    Atomics.store(control, 0, 0);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
    return;
  }
  const until = performance.now() + SPIN_MS;
  for (let i = 1; Atomics.load(control, 1) === generation; i++) {
    if ((i & 63) === 0 && performance.now() > until) {
      Atomics.wait(control, 1, generation);
    }
  }
}

/** A worker's sums and where its time went (ms). */
export interface BlockResult {
  sums: BlockSums;
  /** Final states of the block's rows (B × rows). */
  state: Float64Array;
  timings: { couplings: number; burnIn: number; observe: number; statistics: number; exchange: number };
}

/** Runs one worker's share of a plan and returns its sums. */
export function runBlock(msg: StartMessage, report: (phase: string, step: number) => void): BlockResult {
  const { plan, index, shared } = msg;
  const r0 = plan.bounds[index]!;
  const r1 = plan.bounds[index + 1]!;
  const t0 = performance.now();
  report('couplings', 0);
  const block = new EngineBlock(plan, r0, r1, msg.rows);
  const tGenerated = performance.now();
  const total = plan.burnInSteps + plan.observeSteps;
  let done = 0;
  let lastReport = performance.now();
  const tick = (phase: string) => {
    const now = performance.now();
    if (now - lastReport > 250) {
      report(phase, done);
      lastReport = now;
    }
  };
  let tBurn = tGenerated;
  let exchange = 0;
  try {
    if (!shared) {
      const chunk = Math.max(1, Math.round(2e8 / (plan.n * plan.n * plan.trajectories)));
      while (done < plan.burnInSteps) {
        const s = Math.min(chunk, plan.burnInSteps - done);
        block.run(s);
        done += s;
        tick('burnIn');
      }
      tBurn = performance.now();
      block.enableStats();
      while (done < total) {
        const s = Math.min(chunk, total - done);
        block.run(s);
        done += s;
        tick('observe');
      }
    } else {
      const { n, trajectories: nb } = plan;
      const rows = r1 - r0;
      const parties = plan.bounds.length - 1;
      const control = new Int32Array(shared.control);
      const typed = (b: SharedArrayBuffer) => (plan.precision === 'f32' ? new Float32Array(b) : new Float64Array(b));
      const phi = shared.phi.map(typed);
      const xs = typed(shared.x);
      const publish = (from: Float32Array | Float64Array, to: Float32Array | Float64Array) => {
        for (let b = 0; b < nb; b++) to.set(from.subarray(b * rows, (b + 1) * rows), b * n + r0);
      };
      let cur = 0;
      let t = 0;
      publish(block.view(Buffer.PhiOut), phi[cur]!);
      barrier(control, parties);
      block.view(Buffer.PhiFull).set(phi[cur]!);
      cur ^= 1;
      for (let step = 0; step < total; step++) {
        if (step === plan.burnInSteps) {
          tBurn = performance.now();
          block.enableStats();
        }
        const observing = step >= plan.burnInSteps;
        const due = observing && (step - plan.burnInSteps + 1) % plan.stride === 0;
        for (let s = 0; s < 4; s++) {
          block.stage();
          t = performance.now();
          publish(block.view(Buffer.PhiOut), phi[cur]!);
          if (s === 3 && due) publish(block.view(Buffer.State), xs);
          barrier(control, parties);
          block.view(Buffer.PhiFull).set(phi[cur]!);
          if (s === 3 && due) block.view(Buffer.StateFull).set(xs);
          cur ^= 1;
          exchange += performance.now() - t;
        }
        if (due) block.sample();
        done = step + 1;
        tick(observing ? 'observe' : 'burnIn');
      }
    }
    const tObserved = performance.now();
    report('statistics', done);
    const sums = block.finish();
    return {
      sums,
      state: block.state(),
      timings: {
        couplings: tGenerated - t0,
        burnIn: tBurn - tGenerated,
        observe: tObserved - tBurn,
        statistics: performance.now() - tObserved,
        exchange,
      },
    };
  } finally {
    block.dispose();
  }
}

