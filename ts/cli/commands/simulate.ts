/** `rnnlab simulate`: simulate a rate network with the large-N engine and compare with the theory. */

import { choice, int, num } from '../args.js';
import { progress, table, writeCsv, writeSvg } from '../output.js';
import { effectiveRank, spectrum } from '../../connectivity/spectrum.js';
import { simulateLarge } from '../../large/simulateLarge.js';
import { dimension } from '../../theory/dimensionTheory.js';
import type { Command } from './command.js';

export const simulate: Command = {
  name: 'simulate',
  summary: 'simulate B trajectories of dx/dt = −x + J φ(x) (iid or random-mode J) and compare with the theory',
  example: 'rnnlab simulate --n 2048 --trajectories 8 --workers 2 --precision f32 --duration 200 --json',
  specs: {
    n: { type: 'string', default: '1024', help: 'number of units N' },
    g: { type: 'string', default: '2', help: 'coupling gain g' },
    beta: { type: 'string', help: 'random-mode J with an exponential spectrum of exponent β (default: iid J)' },
    phi: { type: 'string', default: 'tanh', help: 'nonlinearity: tanh, erf, relu or linear' },
    trajectories: { type: 'string', default: '8', help: 'independent trajectories B of the network' },
    workers: { type: 'string', help: 'worker threads (default: all cores; 0 runs in the main thread)' },
    precision: { type: 'string', help: 'f32 or f64 (default: f64 below N = 2048, else f32)' },
    duration: { type: 'string', default: '200', help: 'measured time after the burn-in' },
    'burn-in': { type: 'string', default: '100', help: 'time discarded first' },
    dt: { type: 'string', default: '0.1', help: 'RK4 time step' },
    seed: { type: 'string', default: '1', help: 'seed of J, the initial states and the noise' },
  },
  async run(v) {
    const n = int('simulate', 'n', v.n);
    const g = num('simulate', 'g', v.g);
    const beta = v.beta === undefined ? undefined : num('simulate', 'beta', v.beta);
    const phi = choice('simulate', 'phi', v.phi, ['tanh', 'erf', 'relu', 'linear'] as const);
    const trajectories = int('simulate', 'trajectories', v.trajectories);
    const duration = num('simulate', 'duration', v.duration);
    const burnIn = num('simulate', 'burn-in', v['burn-in']);
    const dt = num('simulate', 'dt', v.dt);
    const seed = int('simulate', 'seed', v.seed);
    const workers = v.workers === undefined ? undefined : int('simulate', 'workers', v.workers);
    const precision = v.precision === undefined ? undefined : choice('simulate', 'precision', v.precision, ['f32', 'f64'] as const);
    const bar = progress(v.quiet === true || v.json === true, 'simulate', Math.round((burnIn + duration) / dt));
    let r;
    try {
      r = await simulateLarge({
        n, phi, trajectories, duration, burnIn, dt, seed,
        connectivity: beta === undefined ? { kind: 'iid', g } : { kind: 'randomMode', spectrum: { shape: { kind: 'exponential', beta }, g } },
        ...(workers === undefined ? {} : { workers }),
        ...(precision === undefined ? {} : { precision }),
        onProgress: (p) => bar.update(p.step),
      });
    } finally {
      bar.stop();
    }
    const gamma = beta === undefined ? 0 : n / effectiveRank(spectrum({ shape: { kind: 'exponential', beta }, n, g }));
    const theory = dimension({ g, phi });
    const rank = gamma > 0 ? theory.vsRank(Float64Array.of(gamma)) : { prX: Float64Array.of(theory.prX), prPhi: Float64Array.of(theory.prPhi) };
    const result = {
      n, g, gamma, phi, trajectories, blocks: r.blocks, workers: r.workers, precision: r.precision, samples: r.samples,
      delta0: r.delta0, delta0Se: r.delta0Se, prX: r.prX, prXSe: r.prXSe, prPhi: r.prPhi, prPhiSe: r.prPhiSe,
      theory: { delta0: theory.dmft.delta0, prX: rank.prX[0]!, prPhi: rank.prPhi[0]! },
      seconds: r.timings.total / 1000, trajectoryStepsPerSecond: r.trajectoryStepsPerSecond,
    };
    if (!v.json) {
      table([
        ['', 'Δ0', 'PR^x/N', 'PR^phi/N'],
        ['simulation', r.delta0, r.prX, r.prPhi],
        ['± standard error', r.delta0Se, r.prXSe, r.prPhiSe],
        ['theory (N → ∞)', result.theory.delta0, result.theory.prX, result.theory.prPhi],
      ]);
    }
    if (typeof v.csv === 'string') writeCsv(v.csv, ['tau', 'delta'], Array.from(r.lags, (t, k) => [t, r.delta[k]!]));
    if (typeof v.svg === 'string') {
      const shown = theory.dmft.lags.findIndex((t) => t > r.lags.at(-1)!);
      writeSvg(v.svg, {
        title: `Autocorrelation of x, N = ${n}, g = ${g}`, xLabel: 'lag τ', yLabel: 'Δ(τ)',
        series: [
          { label: 'simulation', x: r.lags, y: r.delta, style: 'points' },
          { label: 'DMFT', x: theory.dmft.lags.subarray(0, shown), y: theory.dmft.delta.subarray(0, shown) },
        ],
      });
    }
    return result;
  },
};
