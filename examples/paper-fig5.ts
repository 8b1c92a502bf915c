/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 5: single-neuron
 * output gains Φ_i = G_iφ(x_i) (coupling matrix J diag(G)) and z-scoring.
 *
 * - theory (`outputGainDimension`, Eqs. 46a, 46b, J18): PR/N of z-scored rates ("normalised"), of
 *   G_iφ_i ("unnormalised") and of z-scored rates through independent readout gains of the same
 *   distribution ("readout"), against β_G of the gains G_i ∝ exp(−β_G i/N) (PR^G = tanh β_G/β_G),
 *   at g_eff (default 10, as in Fig. 5b), φ = erf(√π x/2), D_a ∝ exp(−β_D a/M), α = 1,
 *   αPR_D = tanh β_D/β_D;
 * - simulation: random-mode networks J diag(G) run by the large-N engine (RK4, --trajectories per
 *   network), cross-trajectory PR/N of the rates z-scored, weighted by G, and z-scored and weighted
 *   by a seeded permutation of G (`weighted`), averaged over --networks per β_G. The paper used
 *   N = 5000, 10 networks, RK4 dt = 0.05.
 *
 *   npx tsx examples/paper-fig5.ts                        # defaults, about a minute
 *   npx tsx examples/paper-fig5.ts --n 5000 --networks 10 --dt 0.05 --beta-g 0.5,1,2,3,4,6
 *
 * Writes paper-fig5.svg, paper-fig5-theory.csv, paper-fig5-simulation.csv to --out (default examples/out).
 * The networks are sweeps, one result folder per network under --cells (default
 * <out>/paper-fig5-n<N>-cells; see examples/lib/networkSweeps.ts): an interrupted run resumes,
 * --prepare writes the folders for a Slurm cluster to fill, --draw draws from what is done.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { outputGainDimension, type Series, type WeightedDimension } from '../ts/index.js';
import { networkSweeps } from './lib/networkSweeps.js';
import { isMain, num, numbers, Output, printTable, seconds } from './lib/output.js';

const KINDS = ['normalised', 'unnormalised', 'readout'] as const;
type Kind = (typeof KINDS)[number];

export interface Fig5Result {
  files: string[];
  theory: ({ betaG: number; prG: number } & Record<Kind, number>)[];
  /** Means over the networks done, with the mean standard error of each. */
  simulation: ({ betaG: number; networks: number } & Record<Kind, number> & Record<`${Kind}Se`, number>)[];
}

export async function run(argv: string[]): Promise<Fig5Result> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '600' },
      networks: { type: 'string', default: '1' },
      g: { type: 'string', default: '10' },
      'beta-d': { type: 'string', default: '2' },
      'beta-g': { type: 'string', default: '0.5,2,4' },
      duration: { type: 'string', default: '300' },
      'burn-in': { type: 'string', default: '50' },
      dt: { type: 'string', default: '0.1' },
      trajectories: { type: 'string', default: '4' },
      workers: { type: 'string', default: String(Math.min(2, cpus().length)) },
      out: { type: 'string', default: 'examples/out' },
      cells: { type: 'string' },
      prepare: { type: 'boolean' },
      draw: { type: 'boolean' },
    },
  });
  const t0 = performance.now();
  const n = num('n', values.n);
  const g = num('g', values.g);
  const betaD = num('beta-d', values['beta-d']);
  const gamma = betaD / Math.tanh(betaD);
  const base = outputGainDimension({ g, gamma, gains: { pr: 1 }, phi: 'erf' });
  const grid = Array.from({ length: 40 }, (_, k) => 0.01 + (6 * k) / 39);
  const theory = grid.map((b) => ({ betaG: b, prG: Math.tanh(b) / b, ...base.at(gamma, Math.tanh(b) / b) }));
  const betaGs = numbers('beta-g', values['beta-g']);
  // Cell p of each network's sweep is β_G number p; network k has seed 100 + k (and the readout
  // gains are G permuted by that seed).
  const done = await networkSweeps(
    {
      name: `paper-fig5-n${n}`, cells: values.cells ?? join(values.out, `paper-fig5-n${n}-cells`), networks: num('networks', values.networks), firstSeed: 100,
      parts: (seed) => betaGs.map((betaG) => ({
        job: 'large' as const,
        seeds: { from: seed, count: 1 },
        fixed: {
          n, connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'exponential', beta: betaD }, g }, outputGains: { exponentialBeta: betaG } },
          weighted: { normalised: { zscore: true }, unnormalised: { weights: 'outputGains' }, readout: { zscore: true, weights: { permutedOutputGains: seed } } },
          phi: 'erf', dt: num('dt', values.dt), burnIn: num('burn-in', values['burn-in']), duration: num('duration', values.duration),
          trajectories: num('trajectories', values.trajectories), workers: num('workers', values.workers), precision: n < 2048 ? 'f64' : 'f32',
        },
      })),
    },
    values.prepare ? 'prepare' : values.draw ? 'draw' : 'run',
  );
  if (values.prepare) return { files: [], theory, simulation: [] };
  const simulation: Fig5Result['simulation'] = betaGs.flatMap((betaG, p) => {
    const mine = done.filter((c) => c.point === p).map((c) => c.row.weighted as Record<Kind, WeightedDimension>);
    if (mine.length === 0) return [];
    const mean = (f: (w: Record<Kind, WeightedDimension>) => number) => mine.reduce((s, w) => s + f(w), 0) / mine.length;
    const row = { betaG, networks: mine.length } as Fig5Result['simulation'][number];
    for (const k of KINDS) {
      row[k] = mean((w) => w[k].prPhi);
      row[`${k}Se`] = mean((w) => w[k].prPhiSe);
    }
    return [row];
  });
  const out = new Output(values.out);
  out.csv('paper-fig5-theory.csv', ['beta_G', 'PR_G', ...KINDS], theory.map((t) => [t.betaG, t.prG, ...KINDS.map((k) => t[k])]));
  out.csv(
    'paper-fig5-simulation.csv',
    ['beta_G', 'networks', ...KINDS.flatMap((k) => [k, `${k}_se`])],
    simulation.map((s) => [s.betaG, s.networks, ...KINDS.flatMap((k) => [s[k], s[`${k}Se`]])]),
  );
  const colors: Record<Kind, string> = { normalised: '#1f77b4', unnormalised: '#d62728', readout: '#9467bd' };
  const series: Series[] = [];
  for (const k of KINDS) {
    series.push({ label: `${k} theory`, x: theory.map((t) => t.betaG), y: theory.map((t) => t[k]), color: colors[k] });
    series.push({ label: `${k} sim N=${n}`, x: simulation.map((s) => s.betaG), y: simulation.map((s) => s[k]), color: colors[k], style: 'points' });
  }
  out.svg('paper-fig5.svg', { title: `PRX Fig. 5: output gains, g_eff = ${g}, αPR_D = ${(1 / gamma).toFixed(3)}`, xLabel: 'β_G', yLabel: 'PR^φ/N', series });
  printTable([
    ['β_G', 'PR^G', 'networks', 'normalised sim/theory', 'G φ sim/theory', 'readout sim/theory'],
    ...simulation.map((s) => {
      const t = base.at(gamma, Math.tanh(s.betaG) / s.betaG);
      const f = (k: Kind) => `${s[k].toFixed(4)} ± ${s[`${k}Se`].toFixed(4)} / ${t[k].toFixed(4)} (${(s[k] / t[k]).toFixed(2)})`;
      return [s.betaG.toFixed(2), (Math.tanh(s.betaG) / s.betaG).toFixed(3), String(s.networks), f('normalised'), f('unnormalised'), f('readout')];
    }),
  ]);
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, theory, simulation };
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
