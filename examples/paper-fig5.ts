/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 5: single-neuron
 * output gains Φ_i = G_iφ(x_i) (coupling matrix J diag(G)) and z-scoring.
 *
 * - theory (`outputGainDimension`, Eqs. 46a, 46b, J18): PR^φ/N of normalised rates, of G_iφ_i
 *   and of normalised rates through independent readout gains, against β_G of the gains
 *   G_i ∝ exp(−β_G i/N) (PR^G = tanh β_G/β_G), at g_eff (default 10, as in Fig. 5b), φ = erf(√π x/2),
 *   D_a ∝ exp(−β_D a/M), α = 1, αPR_D = tanh β_D/β_D;
 * - simulation: random-mode networks J diag(G) (RK4), cross-block PR of the recorded rates
 *   weighted by 1, G and an independent permutation of G (`weightedParticipation`), averaged
 *   over --networks per β_G. The paper used N = 5000, 10 networks, RK4 dt = 0.05.
 *
 *   npx tsx examples/paper-fig5.ts                        # defaults, about a minute
 *   npx tsx examples/paper-fig5.ts --n 2000 --networks 4 --duration 1000
 *
 * Writes paper-fig5.svg, paper-fig5-theory.csv, paper-fig5-simulation.csv to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { Simulation, exponentialGains, outputGainDimension, randomMode, weightedParticipation, type Series } from '../ts/index.js';
import { isMain, num, numbers, Output, printTable, seconds } from './lib/output.js';

export interface Fig5Result {
  files: string[];
  theory: { betaG: number; prG: number; normalised: number; unnormalised: number; readout: number }[];
  simulation: { betaG: number; normalised: number; unnormalised: number; readout: number; se: number }[];
}

export function run(argv: string[]): Fig5Result {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '600' },
      networks: { type: 'string', default: '1' },
      g: { type: 'string', default: '10' },
      'beta-d': { type: 'string', default: '2' },
      'beta-g': { type: 'string', default: '0.5,2,4' },
      duration: { type: 'string', default: '600' },
      'burn-in': { type: 'string', default: '50' },
      dt: { type: 'string', default: '0.1' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const t0 = performance.now();
  const n = num('n', values.n);
  const networks = num('networks', values.networks);
  const g = num('g', values.g);
  const betaD = num('beta-d', values['beta-d']);
  const dt = num('dt', values.dt);
  const gamma = betaD / Math.tanh(betaD);
  const base = outputGainDimension({ g, gamma, gains: { pr: 1 }, phi: 'erf' });
  const grid = Array.from({ length: 40 }, (_, k) => 0.01 + (6 * k) / 39);
  const theory = grid.map((b) => ({ betaG: b, prG: Math.tanh(b) / b, ...base.at(gamma, Math.tanh(b) / b) }));
  const simulation = numbers('beta-g', values['beta-g']).map((betaG) => {
    const acc = { normalised: 0, unnormalised: 0, readout: 0, se: 0 };
    for (let k = 0; k < networks; k++) {
      const G = exponentialGains({ n, beta: betaG });
      const net = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: betaD }, g }, outputGains: G, seed: 100 + k });
      using sim = new Simulation({ J: net.J, phi: 'erf', method: 'rk4', dt, seed: 200 + k });
      sim.run({ steps: Math.round(num('burn-in', values['burn-in']) / dt), record: 'none' });
      const stride = Math.max(1, Math.round(0.5 / dt));
      const phi = sim.run({ steps: Math.round(num('duration', values.duration) / dt), stride, record: 'phi' }).phi!;
      const est = (w: Float64Array) => weightedParticipation(phi, w, { blocks: 8 }).cross;
      const e = est(new Float64Array(n).fill(1));
      acc.normalised += e.prOverN / networks;
      acc.se += e.seOverN / networks;
      acc.unnormalised += est(G).prOverN / networks;
      acc.readout += est(G.slice().reverse()).prOverN / networks;
    }
    return { betaG, ...acc };
  });
  const out = new Output(values.out);
  out.csv('paper-fig5-theory.csv', ['beta_G', 'PR_G', 'normalised', 'unnormalised', 'readout'], theory.map((t) => [t.betaG, t.prG, t.normalised, t.unnormalised, t.readout]));
  out.csv('paper-fig5-simulation.csv', ['beta_G', 'normalised', 'normalised_se', 'unnormalised', 'readout'], simulation.map((s) => [s.betaG, s.normalised, s.se, s.unnormalised, s.readout]));
  const colors = { normalised: '#1f77b4', unnormalised: '#d62728', readout: '#9467bd' } as const;
  const series: Series[] = [];
  for (const key of ['normalised', 'readout', 'unnormalised'] as const) {
    series.push({ label: `${key} theory`, x: theory.map((t) => t.betaG), y: theory.map((t) => t[key]), color: colors[key] });
    series.push({ label: `${key} sim N=${n}`, x: simulation.map((s) => s.betaG), y: simulation.map((s) => s[key]), color: colors[key], style: 'points' });
  }
  out.svg('paper-fig5.svg', { title: `PRX Fig. 5: output gains, g_eff = ${g}, αPR_D = ${(1 / gamma).toFixed(3)}`, xLabel: 'β_G', yLabel: 'PR^φ/N', series });
  printTable([
    ['β_G', 'PR^G', 'normalised sim/theory', 'G φ sim/theory', 'readout sim/theory', 'Gφ/norm sim/theory'],
    ...simulation.map((s) => {
      const t = base.at(gamma, Math.tanh(s.betaG) / s.betaG);
      const f = (a: number, b: number) => `${a.toFixed(4)}/${b.toFixed(4)}`;
      return [s.betaG.toFixed(2), (Math.tanh(s.betaG) / s.betaG).toFixed(3), f(s.normalised, t.normalised), f(s.unnormalised, t.unnormalised), f(s.readout, t.readout), f(s.unnormalised / s.normalised, t.unnormalised / t.normalised)];
    }),
  ]);
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, theory, simulation };
}

if (isMain(import.meta.url)) run(process.argv.slice(2));
