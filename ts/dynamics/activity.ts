import { ArgumentError, NoSolutionError } from '../errors.js';
import { symmetricEigenvalues } from '../linalg/eigen.js';
import type { Matrix } from '../matrix.js';
import { autocorrelation, participationRatio } from '../stats/statistics.js';
import { finite, flag, integer, options } from '../validate.js';
import { SIMULATION_KEYS, Simulation, type SimulationOptions } from './simulation.js';

/** Options of {@link simulateActivity}: a simulation plus how long to run and what to measure. */
export interface ActivityOptions extends SimulationOptions {
  /** Simulated time after burn-in over which statistics are taken (default 200). */
  duration?: number;
  /** Time discarded before measuring (default 100). */
  burnIn?: number;
  /** Sampling interval of the statistics (default 0.5; rounded to a multiple of dt). */
  sampleEvery?: number;
  /** Largest lag of the autocorrelation, in time units (default 20). */
  maxLag?: number;
  /** Units whose trajectories are recorded for the autocorrelation (default min(N, 200)). */
  autocorrelationUnits?: number;
  /** Also compute the eigenvalues of the covariance of x (O(N³); default true). */
  spectrum?: boolean;
}

/** Activity statistics of one run. */
export interface ActivitySummary {
  /** Population mean of the single-unit variances of x: Δ0 = tr C^x / N. */
  delta0: number;
  /** Participation ratio of x, PR^x = (tr C^x)²/tr(C^x)², and PR^x / N. */
  pr: number;
  prOverN: number;
  /** Participation ratio of φ(x) and its ratio to N. */
  prPhi: number;
  prPhiOverN: number;
  /** Covariance of x (N×N, 1/T-normalised) and its eigenvalues (descending), if asked. */
  covariance: Matrix;
  covarianceSpectrum?: Float64Array;
  /** Population-averaged autocorrelation of x (mean-subtracted) at `lags`. */
  autocorrelation: { lags: Float64Array; values: Float64Array };
  /** Autocorrelation time: the lag where the normalised autocorrelation first drops below 1/e. */
  autocorrelationTime: number;
  /** Number of samples behind the covariance. */
  samples: number;
}

/**
 * Simulates a network (burn-in, then `duration`) and measures its activity: Δ0, the
 * participation ratios of x and φ(x), the covariance spectrum and the autocorrelation.
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 200, g: 2, seed: 1 });
 * const a = simulateActivity({ J, seed: 2, duration: 100 });
 * a.delta0; // ≈ 1.9 (mean-field theory: 1.925)
 * ```
 */
export function simulateActivity(opts: ActivityOptions): ActivitySummary {
  const o = options('options', opts, [...SIMULATION_KEYS, 'duration', 'burnIn', 'sampleEvery', 'maxLag', 'autocorrelationUnits', 'spectrum']);
  const duration = finite('duration', o.duration ?? 200, { min: 0, exclusiveMin: true });
  const burnIn = finite('burnIn', o.burnIn ?? 100, { min: 0 });
  const dt = finite('dt', o.dt ?? 0.05, { min: 0, exclusiveMin: true });
  const stride = Math.max(1, Math.round(finite('sampleEvery', o.sampleEvery ?? 0.5, { min: 0, exclusiveMin: true }) / dt));
  const steps = Math.round(duration / dt);
  const rows = Math.floor(steps / stride);
  const maxLagSamples = Math.round(finite('maxLag', o.maxLag ?? 20, { min: 0 }) / (stride * dt));
  if (maxLagSamples >= rows) throw new ArgumentError('maxLag', `must be shorter than the duration (${duration})`);
  const spectrum = o.spectrum === undefined ? true : flag('spectrum', o.spectrum);
  const simOptions = Object.fromEntries(SIMULATION_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  using sim = new Simulation(simOptions as unknown as SimulationOptions);
  const units = integer('autocorrelationUnits', o.autocorrelationUnits ?? Math.min(sim.n, 200), { min: 1, max: sim.n });
  sim.run({ steps: Math.round(burnIn / dt), record: 'none' });
  sim.enableStatistics({ x: true, phi: true, stride });
  const rec = sim.run({ steps, stride, units, record: 'x' });
  const sx = sim.statistics('x');
  const sphi = sim.statistics('phi');
  const n = sim.n;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += sx.covariance.data[i * n + i]!;
  if (!(trace > 0)) throw new NoSolutionError('the activity has no variance: its dimension and autocorrelation are undefined');
  const values = autocorrelation(rec.x!, maxLagSamples);
  const lags = Float64Array.from(values, (_, k) => k * stride * dt);
  const pr = participationRatio(sx.covariance);
  const prPhi = participationRatio(sphi.covariance);
  const summary: ActivitySummary = {
    delta0: trace / n,
    pr,
    prOverN: pr / n,
    prPhi,
    prPhiOverN: prPhi / n,
    covariance: sx.covariance,
    autocorrelation: { lags, values },
    autocorrelationTime: crossingTime(lags, values),
    samples: sx.count,
  };
  if (spectrum) summary.covarianceSpectrum = symmetricEigenvalues(sx.covariance).reverse();
  return summary;
}

/** First lag where values[k]/values[0] < 1/e, linearly interpolated (the last lag if never). */
function crossingTime(lags: Float64Array, values: Float64Array): number {
  const level = values[0]! / Math.E;
  for (let k = 1; k < values.length; k++) {
    if (values[k]! < level) {
      const f = (values[k - 1]! - level) / (values[k - 1]! - values[k]!);
      return lags[k - 1]! + f * (lags[k]! - lags[k - 1]!);
    }
  }
  return lags[lags.length - 1]!;
}
