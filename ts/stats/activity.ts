import { ArgumentError } from '../errors.js';
import { Simulation, type PhiOption } from '../dynamics/simulation.js';
import type { Matrix } from '../matrix.js';
import { finite, flag, integer, oneOf, options, seed as checkSeed } from '../validate.js';
import { MIN_BLOCKS, type BlockEstimates, type PrEstimate } from './blocks.js';
import { decayRate, psi, type PsiEstimate } from './psi.js';
import { autocorrelation } from './statistics.js';

/** Options of {@link measureActivity}. Defaults follow the protocol of theory note §3.5. */
export interface MeasureActivityOptions {
  /** Couplings J (N×N); or pass `network`. */
  J?: Matrix;
  /** A network object carrying J (e.g. the result of `randomMode`). */
  network?: { J: Matrix };
  /** Nonlinearity (default `'tanh'`). */
  phi?: PhiOption;
  /** Integrator (default `'rk4'`). */
  method?: 'euler' | 'rk4';
  /** Time step (default 0.1). */
  dt?: number;
  /** White-noise amplitude σ (default 0). */
  noise?: number;
  /** Time discarded from x(0) ~ N(0, 1) (default 300). */
  burnIn?: number;
  /** Observed time after burn-in (default 20000; the cost is about 4·N²·duration/dt flops). */
  duration?: number;
  /** Number of time blocks of the block estimators (default 8, at least 3). */
  blocks?: number;
  /** Sampling interval of all statistics (default 0.5; rounded to a multiple of dt). */
  sampleEvery?: number;
  /** Units recorded for the autocorrelations and ψ (default min(N, 100)). */
  units?: number;
  /** Largest lag of the autocorrelations and ψ, in time units (default 20). */
  maxLag?: number;
  /** Estimate ψ(τ,τ), ψ(τ,0) of x and φ on the recorded units (default true). */
  psi?: boolean;
  /** Lag range [from, to] of the ψ(τ,τ) decay-rate fit (default [maxLag/2, maxLag]). */
  psiFit?: readonly [number, number];
  /** Seed of the initial state, the noise and the derangement of ψ. */
  seed: number;
}

/** Simulated counterparts of the mean-field quantities. */
export interface ActivityMeasurement {
  /** Network size N and samples used by the block estimators. */
  n: number;
  samples: number;
  /** Sampling interval actually used (a multiple of dt). */
  sampleEvery: number;
  /** Mean single-unit variance of x (the DMFT Δ0) and of φ(x) (C_φ(0)). */
  delta0: number;
  cphi0: number;
  /** Cross-block CV² of the single-unit variances of x and of φ. */
  varianceCv2X: number;
  varianceCv2Phi: number;
  /** Lags (time units) of the autocorrelations and of ψ. */
  lags: Float64Array;
  /** Population-averaged autocorrelations of x and φ on the recorded units (mean-subtracted). */
  autocorrX: Float64Array;
  autocorrPhi: Float64Array;
  /** Cross-block participation ratios with jackknife errors (use these against theory). */
  prX: PrEstimate;
  prPhi: PrEstimate;
  /** Naive participation ratios (biased down). */
  prXNaive: PrEstimate;
  prPhiNaive: PrEstimate;
  /** Cross-block participation ratios of z-scored activity. */
  prXZscored: PrEstimate;
  prPhiZscored: PrEstimate;
  /** All block estimates of x and φ. */
  statsX: BlockEstimates;
  statsPhi: BlockEstimates;
  /**
   * ψ of x and φ on the recorded units and the fitted decay rates of ψ(τ,τ), if asked (a rate is
   * undefined when fewer than two lags of the fit range have a positive ψ(τ,τ)).
   */
  psi?: { x: PsiEstimate; phi: PsiEstimate; rateX: number | undefined; ratePhi: number | undefined };
}

/**
 * Simulates a network with the protocol of theory note §3.5 (RK4, dt 0.1, burn-in 300 from
 * x(0) ~ N(0,1), B = 8 consecutive time blocks, a sample every 0.5) and measures what the
 * mean-field theory predicts: Δ0 and C_φ(0), single-unit autocorrelations, the participation
 * ratios of x and φ (cross-block, naive and z-scored, with jackknife errors) and ψ(τ,τ), ψ(τ,0)
 * with their decay rate. Statistics stream inside WebAssembly (memory 2·B·N² f64); only
 * `units` units are recorded.
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 100, g: 2, seed: 1 });
 * const m = measureActivity({ J, seed: 2, burnIn: 50, duration: 400, blocks: 4, maxLag: 10 });
 * m.delta0; // ≈ 1.9 (theory 1.925)
 * m.prX.prOverN; // cross-block PR^x/N ± m.prX.seOverN
 * ```
 */
export function measureActivity(opts: MeasureActivityOptions): ActivityMeasurement {
  const o = options('options', opts, [
    'J', 'network', 'phi', 'method', 'dt', 'noise', 'burnIn', 'duration', 'blocks', 'sampleEvery', 'units', 'maxLag', 'psi',
    'psiFit', 'seed',
  ]);
  if ((o.J === undefined) === (o.network === undefined)) {
    throw new ArgumentError('J', 'give exactly one of J and network');
  }
  const J = (o.J ?? options('network', o.network).J) as Matrix;
  const dt = finite('dt', o.dt ?? 0.1, { min: 0, exclusiveMin: true, max: 10 });
  const method = oneOf('method', o.method ?? 'rk4', ['euler', 'rk4'] as const);
  const burnIn = finite('burnIn', o.burnIn ?? 300, { min: 0 });
  const duration = finite('duration', o.duration ?? 20000, { min: 0, exclusiveMin: true });
  const blocks = integer('blocks', o.blocks ?? 8, { min: MIN_BLOCKS, max: 1024 });
  const stride = Math.max(1, Math.round(finite('sampleEvery', o.sampleEvery ?? 0.5, { min: 0, exclusiveMin: true }) / dt));
  const seed = checkSeed('seed', o.seed);
  const steps = Math.round(duration / dt);
  const perBlock = Math.floor(Math.floor(steps / stride) / blocks);
  if (perBlock < 2) throw new ArgumentError('duration', `too short for ${blocks} blocks of at least 2 samples`);
  const maxLag = Math.round(finite('maxLag', o.maxLag ?? 20, { min: 0 }) / (stride * dt));
  if (maxLag >= perBlock) throw new ArgumentError('maxLag', 'must be shorter than one block');
  const wantPsi = o.psi === undefined ? true : flag('psi', o.psi);
  const lagTime = maxLag * stride * dt;
  const fit = o.psiFit === undefined ? [lagTime / 2, lagTime] : (o.psiFit as readonly unknown[]);
  if (!Array.isArray(fit) || fit.length !== 2) throw new ArgumentError('psiFit', 'must be a pair [from, to]');
  const fitFrom = finite('psiFit[0]', fit[0], { min: 0 });
  const fitTo = finite('psiFit[1]', fit[1], { min: fitFrom });

  using sim = new Simulation({ J, phi: o.phi as PhiOption | undefined, method, dt, noise: o.noise as number | undefined, seed });
  const n = sim.n;
  const units = integer('units', o.units ?? Math.min(n, 100), { min: 2, max: n });
  sim.run({ steps: Math.round(burnIn / dt), record: 'none' });
  sim.enableStatistics({ x: true, phi: true, stride, blocks, samplesPerBlock: perBlock });
  const rec = sim.run({ steps: blocks * perBlock * stride, stride, units, record: 'both' });
  const sx = sim.statistics('x').estimates!;
  const sphi = sim.statistics('phi').estimates!;
  const rate = (p: PsiEstimate): number | undefined => {
    try {
      return decayRate(p.lags, p.tauTau, { from: fitFrom, to: fitTo });
    } catch (e) {
      if (e instanceof ArgumentError && e.parameter === 'range') return undefined;
      throw e;
    }
  };
  const autocorrX = autocorrelation(rec.x!, maxLag);
  const autocorrPhi = autocorrelation(rec.phi!, maxLag);
  const lags = Float64Array.from(autocorrX, (_, k) => k * stride * dt);
  const out: ActivityMeasurement = {
    n,
    samples: sx.samples,
    sampleEvery: stride * dt,
    delta0: sx.meanVariance,
    cphi0: sphi.meanVariance,
    varianceCv2X: sx.varianceCv2,
    varianceCv2Phi: sphi.varianceCv2,
    lags,
    autocorrX,
    autocorrPhi,
    prX: sx.cross,
    prPhi: sphi.cross,
    prXNaive: sx.naive,
    prPhiNaive: sphi.naive,
    prXZscored: sx.zscoredCross,
    prPhiZscored: sphi.zscoredCross,
    statsX: sx,
    statsPhi: sphi,
  };
  if (wantPsi) {
    const common = { maxLag, blocks, seed, networkSize: n, sampleInterval: stride * dt };
    const px = psi(rec.x!, common);
    const pphi = psi(rec.phi!, common);
    out.psi = {
      x: px,
      phi: pphi,
      rateX: rate(px),
      ratePhi: rate(pphi),
    };
  }
  return out;
}
