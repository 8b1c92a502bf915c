/**
 * Large-N simulation: B trajectories of one network integrated together (RK4, f32 or f64), the
 * rows of J split over workers, and the statistics the mean-field theory predicts.
 */

import { ArgumentError, InitError, InternalError, RnnlabError } from '../errors.js';
import { call } from '../runtime/call.js';
import { workerLocation } from '../runtime/locations.js';
import { init, isLoaded } from '../runtime/module.js';
import { defaultWorkers, isNode, startNodeWorker, startWorkerAt, wrapBrowser, type WorkerLike } from '../runtime/workerHost.js';
import type { BlockSums, VariableSums } from './block.js';
import { assertFits, planLarge, type GpuLike, type LargeOptions, type LargePlan, type LargeProgress } from './plan.js';
import { requestGpu, GpuUnavailableError, type GpuContext } from '../gpu/device.js';
import { runOnGpu } from '../gpu/largeRun.js';
import { runBlock, type BlockResult, type SharedState, type StartMessage } from './run.js';

/** A dimension estimate as a fraction of N, with its jackknife standard error over trajectory groups. */
export interface LargeStatistics {
  /** Mean single-unit variance (Δ0 for x, C_φ(0) for φ) and its standard error. */
  variance: number;
  varianceSe: number;
  /** PR/N, cross-trajectory estimate (unbiased denominator), and its standard error. */
  pr: number;
  prSe: number;
  /** PR/N of the pooled sample covariance (biased low by sampling noise). */
  prNaive: number;
  /** Squared coefficient of variation of the single-unit variances. */
  varianceCv2: number;
  /** Autocovariance at `lags` (per-unit mean removed, averaged over recorded units and trajectories). */
  autocovariance: Float64Array;
  /** Per trajectory, the mean single-unit variance (about the mean pooled over trajectories). */
  perTrajectory: Float64Array;
}

/** The dimension of weighted activity diag(w)·v (see `LargeWeighting`), as a fraction of N. */
export interface WeightedDimension {
  /** tr(WĈW)/N of x and of φ, W = diag(w) (z-scored: Σ w_i²/N; 0/1 weights: the population's summed variance over N). */
  varianceX: number;
  variancePhi: number;
  prX: number;
  prXSe: number;
  prPhi: number;
  prPhiSe: number;
}

/** The result of {@link simulateLarge}. */
export interface LargeResult {
  n: number;
  trajectories: number;
  /** Groups K of trajectories in the cross-trajectory estimator. */
  blocks: number;
  precision: 'f32' | 'f64';
  workers: number;
  /** Where the run ran, and on WebGPU the adapter. */
  backend: 'wasm' | 'webgpu';
  adapter?: string;
  /** Samples per trajectory. */
  samples: number;
  /** Δ0 = mean var x_i, and its standard error. */
  delta0: number;
  delta0Se: number;
  /** C_φ(0) = mean var φ_i, and its standard error. */
  cphi0: number;
  cphi0Se: number;
  /** PR^x/N and PR^φ/N (cross-trajectory estimates) with standard errors. */
  prX: number;
  prXSe: number;
  prPhi: number;
  prPhiSe: number;
  /** Lags (time units) of `delta` and `cphi`. */
  lags: Float64Array;
  /** Δ(τ) and C_φ(τ). */
  delta: Float64Array;
  cphi: Float64Array;
  /** Everything measured of x and of φ(x). */
  x: LargeStatistics;
  phi: LargeStatistics;
  /** Per weighting of the `weighted` option, PR/N of the weighted x and φ with standard errors. */
  weighted: Record<string, WeightedDimension>;
  /** Final states x of every trajectory (B × N, row b is trajectory b). */
  state: Float64Array;
  /**
   * Wall time (ms) of each phase (the slowest worker) and in all; `exchange` is the time a worker
   * spent copying states and waiting at the barriers (the most of any worker; 0 with one worker).
   */
  timings: { couplings: number; burnIn: number; observe: number; statistics: number; exchange: number; total: number };
  /** Trajectory-steps per second of the burn-in and observation. */
  trajectoryStepsPerSecond: number;
  /** Peak WebAssembly memory planned per worker (bytes). */
  bytesPerWorker: number;
}

/** The run was cancelled through its `signal`. */
export class SimulationCancelledError extends RnnlabError {
  override name = 'SimulationCancelledError';
}

function sumVariables(parts: VariableSums[]): VariableSums {
  const add = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);
  return parts.reduce((a, b) => ({
    traces: add(a.traces, b.traces),
    gram: add(a.gram, b.gram),
    varSum: a.varSum + b.varSum,
    varSqSum: a.varSqSum + b.varSqSum,
    trajectoryVar: add(a.trajectoryVar, b.trajectoryVar),
    autocov: add(a.autocov, b.autocov),
    pairs: a.pairs + b.pairs,
    weighted: a.weighted.map((w, i) => ({ traces: add(w.traces, b.weighted[i]!.traces), gram: add(w.gram, b.weighted[i]!.gram) })),
  }));
}

/** Cross-trajectory PR/N from K traces and their Gram matrix, with its jackknife standard error. */
function crossPr(traces: Float64Array, gram: Float64Array, n: number): { pr: number; prSe: number; prNaive: number } {
  const k = traces.length;
  const pr = call((b) => {
    const out = b.output(4);
    b.check(b.exports.rnl_pr_from_gram(k, b.input(traces), b.input(gram), out));
    return b.read(out, 4);
  });
  return { pr: (k > 1 ? pr[2]! : NaN) / n, prSe: pr[3]! / n, prNaive: pr[0]! / n };
}

function statistics(v: VariableSums, n: number): LargeStatistics {
  const k = v.traces.length;
  const perGroup = Array.from(v.traces, (t) => t / n);
  const mean = perGroup.reduce((a, b) => a + b, 0) / k;
  const spread = perGroup.reduce((a, b) => a + (b - mean) ** 2, 0);
  const vm = v.varSum / n;
  return {
    variance: mean,
    varianceSe: k > 1 ? Math.sqrt(spread / (k * (k - 1))) : NaN,
    ...crossPr(v.traces, v.gram, n),
    varianceCv2: (v.varSqSum / n - vm * vm) / (vm * vm),
    autocovariance: v.autocov.map((c) => c / v.pairs),
    perTrajectory: v.trajectoryVar.map((t) => t / n),
  };
}

function combine(plan: LargePlan, results: BlockResult[], workers: number, t0: number, adapter?: string): LargeResult {
  const sums: BlockSums[] = results.map((r) => r.sums);
  const xSums = sumVariables(sums.map((s) => s.x));
  const phiSums = sumVariables(sums.map((s) => s.phi));
  const x = statistics(xSums, plan.n);
  const phi = statistics(phiSums, plan.n);
  const weighted: Record<string, WeightedDimension> = {};
  plan.weightings.forEach((w, i) => {
    const wx = crossPr(xSums.weighted[i]!.traces, xSums.weighted[i]!.gram, plan.n);
    const wp = crossPr(phiSums.weighted[i]!.traces, phiSums.weighted[i]!.gram, plan.n);
    const trace = (t: Float64Array) => t.reduce((a, b) => a + b, 0) / (t.length * plan.n);
    weighted[w.name] = {
      varianceX: trace(xSums.weighted[i]!.traces), variancePhi: trace(phiSums.weighted[i]!.traces),
      prX: wx.pr, prXSe: wx.prSe, prPhi: wp.pr, prPhiSe: wp.prSe,
    };
  });
  const slowest = (f: (r: BlockResult) => number) => Math.max(...results.map(f));
  const timings = {
    couplings: slowest((r) => r.timings.couplings),
    burnIn: slowest((r) => r.timings.burnIn),
    observe: slowest((r) => r.timings.observe),
    statistics: slowest((r) => r.timings.statistics),
    exchange: slowest((r) => r.timings.exchange),
    total: performance.now() - t0,
  };
  const lagStep = plan.stride * plan.dt;
  const state = new Float64Array(plan.trajectories * plan.n);
  results.forEach((r, w) => {
    const [r0, r1] = [plan.bounds[w]!, plan.bounds[w + 1]!];
    for (let b = 0; b < plan.trajectories; b++) state.set(r.state.subarray(b * (r1 - r0), (b + 1) * (r1 - r0)), b * plan.n + r0);
  });
  return {
    n: plan.n,
    trajectories: plan.trajectories,
    blocks: plan.blocks,
    precision: plan.precision,
    workers,
    backend: adapter === undefined ? 'wasm' : 'webgpu',
    ...(adapter === undefined ? {} : { adapter }),
    samples: sums[0]!.samples,
    delta0: x.variance,
    delta0Se: x.varianceSe,
    cphi0: phi.variance,
    cphi0Se: phi.varianceSe,
    prX: x.pr,
    prXSe: x.prSe,
    prPhi: phi.pr,
    prPhiSe: phi.prSe,
    lags: Float64Array.from({ length: plan.maxLag + 1 }, (_, i) => i * lagStep),
    delta: x.autocovariance,
    cphi: phi.autocovariance,
    x,
    phi,
    weighted,
    state,
    timings,
    trajectoryStepsPerSecond:
      ((plan.burnInSteps + plan.observeSteps) * plan.trajectories * 1000) / (timings.burnIn + timings.observe),
    bytesPerWorker: plan.bytesPerWorker,
  };
}

/** The start message of worker `index`, with its rows of an explicit matrix. */
function startMessage(plan: LargePlan, index: number, shared?: SharedState): StartMessage {
  const { J, ...couplings } = plan.couplings;
  const msg: StartMessage = { plan: { ...plan, couplings }, index };
  if (J) msg.rows = J.slice(plan.bounds[index]! * plan.n, plan.bounds[index + 1]! * plan.n);
  if (shared) msg.shared = shared;
  return msg;
}

function sharedState(plan: LargePlan): SharedState {
  if (typeof SharedArrayBuffer !== 'function') {
    throw new ArgumentError('workers', 'more than one worker needs SharedArrayBuffer (in browsers: a cross-origin isolated page)');
  }
  const bytes = plan.trajectories * plan.n * (plan.precision === 'f32' ? 4 : 8);
  return {
    control: new SharedArrayBuffer(8),
    phi: [new SharedArrayBuffer(bytes), new SharedArrayBuffer(bytes)],
    x: new SharedArrayBuffer(bytes),
  };
}

/** The device a plan runs on: always for 'webgpu', for 'auto' when it pays (see `LargeOptions.backend`). */
async function gpuFor(plan: LargePlan, gpu: GpuLike | undefined): Promise<GpuContext | undefined> {
  if (plan.backend === 'wasm') return undefined;
  if (plan.backend === 'webgpu') return requestGpu(gpu as GPU | undefined);
  const eligible = plan.n >= AUTO_MIN_N && plan.precision === 'f32' && plan.weightings.length === 0;
  if (!eligible) return undefined;
  try {
    return await requestGpu(gpu as GPU | undefined, { hardware: true });
  } catch (e) {
    if (e instanceof GpuUnavailableError) return undefined;
    throw e;
  }
}

/** Smallest N that 'auto' sends to a GPU. */
const AUTO_MIN_N = 2048;

/** Starts a large-N worker: the given script, else the bundler-visible default next to this module. */
function spawnLargeWorker(url: URL | string | undefined): WorkerLike {
  if (url !== undefined) return startWorkerAt(url);
  if (isNode) return startNodeWorker('./worker', import.meta.url);
  return wrapBrowser(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), 'rnnlab/large-worker (large/worker.js)');
}

/**
 * Simulates B trajectories of one large network and measures Δ0, Δ(τ), C_φ(τ), PR^x/N and PR^φ/N
 * (cross-trajectory estimator, jackknife errors over K trajectory groups).
 *
 * Each worker generates its rows of J from the seed (bit-identical to `iidGaussian` or
 * `randomMode` rounded to the precision), so no matrix is transferred; the results do not depend
 * on the number of workers. `workers: 0` runs in this thread and blocks it.
 *
 * @example
 * ```ts
 * const r = await simulateLarge({
 *   n: 256, connectivity: { kind: 'iid', g: 2 }, trajectories: 4, workers: 0,
 *   burnIn: 20, duration: 40, seed: 1,
 * });
 * r.delta0; // Δ0 ± r.delta0Se (DMFT at N → ∞: 1.925)
 * r.prX;    // PR^x/N ± r.prXSe (theory at N → ∞: 0.0159)
 * ```
 */
export async function simulateLarge(opts: LargeOptions): Promise<LargeResult> {
  const t0 = performance.now();
  const plan = planLarge(opts, opts?.workers === undefined ? defaultWorkers() : 1);
  const onProgress = opts.onProgress;
  const signal = opts.signal;
  const total = plan.burnInSteps + plan.observeSteps;
  const report = (phase: string, step: number) => onProgress?.({ phase: phase as LargeProgress['phase'], step, steps: total });
  if (signal?.aborted) throw new SimulationCancelledError('the simulation was cancelled');
  if (!isLoaded()) await init();
  const ctx = await gpuFor(plan, opts.gpu);
  if (ctx) {
    try {
      const result = await runOnGpu(plan, ctx, (phase, step) => {
        if (signal?.aborted) throw new SimulationCancelledError('the simulation was cancelled');
        report(phase, step);
      });
      return combine({ ...plan, bounds: [0, plan.n] }, [result], 0, t0, ctx.adapter);
    } finally {
      ctx.device.destroy();
    }
  }
  assertFits(plan);
  if (plan.workers === 0) return combine(plan, [runBlock(startMessage(plan, 0), report)], 0, t0);
  const count = plan.bounds.length - 1;
  const shared = count > 1 ? sharedState(plan) : undefined;
  const workerUrl = opts.workerUrl ?? workerLocation('largeWorker');
  const pool: WorkerLike[] = [];
  try {
    const results = await new Promise<BlockResult[]>((resolve, reject) => {
      const out: BlockResult[] = new Array(count);
      let finished = 0;
      signal?.addEventListener('abort', () => reject(new SimulationCancelledError('the simulation was cancelled')), { once: true });
      for (let i = 0; i < count; i++) {
        const w = spawnLargeWorker(workerUrl);
        pool.push(w);
        w.onError(reject);
        w.onMessage((data) => {
          const m = data as { type: string; phase?: string; step?: number; name?: string; message?: string; parameter?: string } & BlockResult;
          if (m.type === 'progress') {
            try {
              report(m.phase!, m.step!);
            } catch (e) {
              reject(e);
            }
          } else if (m.type === 'init-error') {
            reject(new InitError(`large-N worker ${i} could not load the WebAssembly module: ${m.message}`));
          } else if (m.type === 'error') {
            reject(m.parameter ? new ArgumentError(m.parameter, m.message!.replace(`${m.parameter}: `, '')) : new InternalError(`large-N worker ${i}: ${m.name}: ${m.message}`));
          } else {
            out[i] = { sums: m.sums, state: m.state, timings: m.timings };
            if (++finished === count) resolve(out);
          }
        });
        w.post(startMessage(plan, i, shared));
      }
    });
    return combine(plan, results, count, t0);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
