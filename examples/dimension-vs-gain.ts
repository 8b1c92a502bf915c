/**
 * F-A: dimension of activity against the coupling gain, iid tanh networks, continuous time.
 *
 * Curves:
 * - theory [published]: PR^x/N and PR^φ/N from the stationary DMFT and the two-site cavity
 *   (Clark, Abbott & Litwin-Kumar, PRL 131, 118401 (2023)), `dimension({ g })`, on log-spaced
 *   g ∈ [1.1, 20];
 * - simulation: cross-block participation ratios (`measureActivity`, RK4 dt 0.1, a sample every
 *   0.5) of one sampled network per g at N (default 1000), with jackknife errors;
 * - reference: large-N simulations (N = 16384, t_obs = 20000, cross-block) tabulated in the
 *   theory note §3.5, shown as a third series and labelled as such (not computed here).
 * At N = 1000 the simulated values sit below the theory near onset (g ≤ 2, where single networks
 * also scatter by ±15–30 %: finite-size effects near criticality, theory note §3.4) and within a
 * few per cent of it at g ≥ 3; the N = 16384 points agree with it to 1–3 %.
 *
 *   npx tsx examples/dimension-vs-gain.ts                          # defaults, about 2–3 minutes
 *   npx tsx examples/dimension-vs-gain.ts --n 300 --duration 400   # quick look
 *
 * Writes dimension-vs-gain.svg, dimension-vs-gain-theory.csv, dimension-vs-gain-simulation.csv
 * and dimension-vs-gain-reference.csv to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { dimension, iidGaussian, measureActivity } from '../ts/index.js';
import { isMain, logSpace, num, numbers, Output, printTable, seconds } from './lib/output.js';

/** Large-N iid simulations, N = 16384 (theory note §3.5 table): g, PR^x/N, PR^φ/N. */
export const LARGE_N_REFERENCE: readonly (readonly [number, number, number])[] = [
  [1.5, 0.00508, 0.00566],
  [2, 0.01549, 0.01924],
  [3, 0.03077, 0.04387],
  [5, 0.04516, 0.07338],
  [10, 0.05478, 0.09997],
];

export interface GainResult {
  files: string[];
  theory: { g: Float64Array; prX: Float64Array; prPhi: Float64Array };
  simulation: { g: number; prX: number; seX: number; prPhi: number; sePhi: number; theoryX: number; theoryPhi: number }[];
}

export function run(argv: string[]): GainResult {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      'g-min': { type: 'string', default: '1.1' },
      'g-max': { type: 'string', default: '20' },
      points: { type: 'string', default: '40' },
      'sim-g': { type: 'string', default: '1.5,2,3,5' },
      duration: { type: 'string', default: '2000' },
      'burn-in': { type: 'string', default: '300' },
      blocks: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const n = num('n', values.n);
  const duration = num('duration', values.duration);
  const burnIn = num('burn-in', values['burn-in']);
  const blocks = num('blocks', values.blocks);
  const seed = num('seed', values.seed);
  const out = new Output(values.out);
  const t0 = performance.now();

  const gs = logSpace(num('g-min', values['g-min']), num('g-max', values['g-max']), num('points', values.points));
  const prX = new Float64Array(gs.length);
  const prPhi = new Float64Array(gs.length);
  gs.forEach((g, k) => {
    const d = dimension({ g });
    prX[k] = d.prX;
    prPhi[k] = d.prPhi;
  });
  console.log(`theory: ${gs.length} gains in ${seconds(t0)}`);

  const simulation: GainResult['simulation'] = [];
  const rows = [['g', 'PR^x/N sim', 'theory', 'PR^φ/N sim', 'theory', 'Δ0 sim', 'Δ0 theory', 'time']];
  for (const [i, g] of numbers('sim-g', values['sim-g']).entries()) {
    const t1 = performance.now();
    const J = iidGaussian({ n, g, seed: seed + 100 * i });
    const m = measureActivity({ J, seed: seed + 100 * i + 1, duration, burnIn, blocks, psi: false, units: 2, maxLag: 0.5 });
    const th = dimension({ g });
    simulation.push({
      g,
      prX: m.prX.prOverN,
      seX: m.prX.seOverN,
      prPhi: m.prPhi.prOverN,
      sePhi: m.prPhi.seOverN,
      theoryX: th.prX,
      theoryPhi: th.prPhi,
    });
    rows.push([
      String(g),
      `${m.prX.prOverN.toFixed(4)} ± ${m.prX.seOverN.toFixed(4)}`,
      th.prX.toFixed(4),
      `${m.prPhi.prOverN.toFixed(4)} ± ${m.prPhi.seOverN.toFixed(4)}`,
      th.prPhi.toFixed(4),
      m.delta0.toFixed(3),
      th.dmft.delta0.toFixed(3),
      seconds(t1),
    ]);
  }
  console.log(`\nN = ${n}, one network per g, RK4 dt 0.1, burn-in ${burnIn}, ${duration} time units in ${blocks} blocks`);
  printTable(rows);

  out.csv('dimension-vs-gain-theory.csv', ['g', 'prX_over_N', 'prPhi_over_N'], Array.from(gs, (g, k) => [g, prX[k]!, prPhi[k]!]));
  out.csv(
    'dimension-vs-gain-simulation.csv',
    ['g', 'n', 'prX_over_N', 'se_prX_over_N', 'prPhi_over_N', 'se_prPhi_over_N', 'theory_prX_over_N', 'theory_prPhi_over_N'],
    simulation.map((s) => [s.g, n, s.prX, s.seX, s.prPhi, s.sePhi, s.theoryX, s.theoryPhi]),
  );
  out.csv('dimension-vs-gain-reference.csv', ['g', 'n', 'prX_over_N', 'prPhi_over_N'], LARGE_N_REFERENCE.map(([g, x, p]) => [g, 16384, x, p]));
  const ref = LARGE_N_REFERENCE;
  out.svg('dimension-vs-gain.svg', {
    title: 'Dimension of activity vs gain (iid couplings, tanh)',
    xLabel: 'gain g',
    yLabel: 'PR / N',
    logX: true,
    series: [
      { label: 'PR^x/N theory', x: gs, y: prX, color: '#1f77b4' },
      { label: 'PR^φ/N theory', x: gs, y: prPhi, color: '#d62728' },
      { label: `PR^x/N simulation N = ${n}`, x: simulation.map((s) => s.g), y: simulation.map((s) => s.prX), style: 'points', color: '#1f77b4' },
      { label: `PR^φ/N simulation N = ${n}`, x: simulation.map((s) => s.g), y: simulation.map((s) => s.prPhi), style: 'points', color: '#d62728' },
      { label: 'PR^x/N reference sim. N = 16384', x: ref.map((r) => r[0]), y: ref.map((r) => r[1]), style: 'points', color: '#17becf' },
      { label: 'PR^φ/N reference sim. N = 16384', x: ref.map((r) => r[0]), y: ref.map((r) => r[2]), style: 'points', color: '#ff7f0e' },
    ],
  });
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, theory: { g: gs, prX, prPhi }, simulation };
}

if (isMain(import.meta.url)) run(process.argv.slice(2));
