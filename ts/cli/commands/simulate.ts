/** `rnnlab simulate`: simulate a rate network and measure it next to the mean-field theory. */

import { int, num } from '../args.js';
import { progress, table, writeCsv, writeSvg } from '../output.js';
import { iidGaussian } from '../../connectivity/iid.js';
import { randomMode } from '../../connectivity/randomMode.js';
import { Simulation } from '../../dynamics/simulation.js';
import { autocorrelation, participationRatio } from '../../stats/statistics.js';
import { dimension } from '../../theory/dimensionTheory.js';
import type { Command } from './command.js';

export const simulate: Command = {
  name: 'simulate',
  summary: 'simulate dx/dt = −x + J tanh(x) (iid or random-mode J) and compare with the theory',
  example: 'rnnlab simulate --n 500 --g 2 --beta 3.9 --duration 300 --svg ac.svg',
  specs: {
    n: { type: 'string', default: '500', help: 'number of units N' },
    g: { type: 'string', default: '2', help: 'coupling gain g' },
    beta: { type: 'string', help: 'random-mode J with an exponential spectrum of exponent β (default: iid J)' },
    duration: { type: 'string', default: '300', help: 'measured time after a burn-in of 100' },
    dt: { type: 'string', default: '0.1', help: 'RK4 time step' },
    seed: { type: 'string', default: '1', help: 'seed of J and of the initial state' },
  },
  async run(v) {
    const n = int('simulate', 'n', v.n);
    const g = num('simulate', 'g', v.g);
    const dt = num('simulate', 'dt', v.dt);
    const seed = int('simulate', 'seed', v.seed);
    const duration = num('simulate', 'duration', v.duration);
    const beta = v.beta === undefined ? undefined : num('simulate', 'beta', v.beta);
    const net = beta === undefined
      ? { J: iidGaussian({ n, g, seed }), gamma: 0 }
      : (() => {
        const r = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta }, g }, seed });
        return { J: r.J, gamma: r.gamma };
      })();
    using sim = new Simulation({ J: net.J, method: 'rk4', dt, seed: seed + 1 });
    const stride = Math.max(1, Math.round(0.5 / dt));
    const total = Math.round((100 + duration) / dt);
    const burn = Math.round(100 / dt);
    const bar = progress(v.quiet === true || v.json === true, 'simulate', total);
    sim.run({ steps: burn, record: 'none' });
    bar.update(burn);
    sim.enableStatistics({ x: true, phi: true, stride });
    const units = Math.min(n, 200);
    const chunks: Float64Array[] = [];
    const chunk = stride * 200;
    for (let done = burn; done < total; done += chunk) {
      const steps = Math.min(chunk, total - done);
      chunks.push(sim.run({ steps: steps - (steps % stride), stride, units }).x!.data);
      bar.update(Math.min(done + chunk, total));
    }
    bar.stop();
    const rows = chunks.reduce((a, c) => a + c.length, 0) / units;
    const traj = new Float64Array(rows * units);
    chunks.reduce((at, c) => (traj.set(c, at), at + c.length), 0);
    const sx = sim.statistics('x');
    const sp = sim.statistics('phi');
    let trace = 0;
    for (let i = 0; i < n; i++) trace += sx.covariance.data[i * n + i]!;
    const maxLag = Math.min(rows - 1, Math.round(20 / (stride * dt)));
    const ac = autocorrelation({ rows, cols: units, data: traj }, maxLag);
    const lags = Float64Array.from(ac, (_, k) => k * stride * dt);
    const theory = dimension({ g, gamma: net.gamma });
    const result = {
      n, g, gamma: net.gamma,
      simulation: { delta0: trace / n, prXOverN: participationRatio(sx.covariance) / n, prPhiOverN: participationRatio(sp.covariance) / n },
      theory: { delta0: theory.dmft.delta0, prXOverN: theory.prX, prPhiOverN: theory.prPhi },
    };
    if (!v.json) {
      table([
        ['', 'Δ0', 'PR^x/N', 'PR^phi/N'],
        ['simulation', result.simulation.delta0, result.simulation.prXOverN, result.simulation.prPhiOverN],
        ['theory (N → ∞)', result.theory.delta0, result.theory.prXOverN, result.theory.prPhiOverN],
      ]);
    }
    if (typeof v.csv === 'string') writeCsv(v.csv, ['tau', 'autocorrelation'], Array.from(lags, (t, k) => [t, ac[k]!]));
    if (typeof v.svg === 'string') {
      const shown = theory.dmft.lags.findIndex((t) => t > lags.at(-1)!);
      writeSvg(v.svg, {
        title: `Autocorrelation of x, N = ${n}, g = ${g}`, xLabel: 'lag τ', yLabel: 'Δ(τ)',
        series: [
          { label: 'simulation', x: lags, y: ac, style: 'points' },
          { label: 'DMFT', x: theory.dmft.lags.subarray(0, shown), y: theory.dmft.delta.subarray(0, shown) },
        ],
      });
    }
    return result;
  },
};
