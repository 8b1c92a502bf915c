/**
 * F-B: dimension of activity against the inverse effective rank γ = N/PR^D of random-mode
 * couplings (Clark, Marschall, van Meegen & Litwin-Kumar, arXiv:2409.01969).
 *
 * Curves:
 * - theory [our derivation, theory note §3.3]: N/PR^a = N/PR^a_iid(g) + κ^a(g)·γ, from
 *   `dimension({ g }).vsRank(γ)` for g ∈ {1.5, 2, 3, 5}; the γ = 0 end is the published iid
 *   theory (PRL 131, 118401 (2023));
 * - simulation: cross-block PR^x/N, PR^φ/N (`measureActivity`) of random-mode networks with
 *   several spectra (flat α = 1, exponential with several β, power law, low rank + bulk) at one g
 *   and N (default 1000), placed at the network's γ = N/PR^D; the γ estimated from the sampled
 *   matrix alone, N/PR_J − 2 (`effectiveRankFromMatrix`), is printed and written next to it.
 *   At N ≈ 1000 the simulated values lie above the large-N rank theory and follow its decrease
 *   with γ only roughly (finite-size effects near criticality, theory note §3.4(ii));
 * - linear-network oracle: the exact stationary covariance of dx = (−x + Jx)dt + dW at g = 0.6
 *   (Lyapunov equation, `linearCovariance`) for the same spectra at a moderate N (default 600),
 *   against the same rank theory with linear φ (the rate formula: for φ(x) = x with input noise
 *   the rates are the currents), where it is exact at large N (theory note §3.4(i)).
 *
 *   npx tsx examples/dimension-vs-rank.ts                                  # defaults, about 2–3 minutes
 *   npx tsx examples/dimension-vs-rank.ts --n 300 --duration 400 --linear-n 200
 *
 * Writes dimension-vs-rank.svg, dimension-vs-rank-linear.svg and the CSV files
 * dimension-vs-rank-theory.csv, dimension-vs-rank-simulation.csv, dimension-vs-rank-linear.csv
 * to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import {
  dimension,
  effectiveRankFromMatrix,
  linearCovariance,
  measureActivity,
  participationRatio,
  randomMode,
  type Series,
  type SpectrumShape,
} from '../ts/index.js';
import { isMain, logSpace, num, numbers, Output, printTable, seconds } from './lib/output.js';

/** The spectra compared, labelled. */
export const SPECTRA: readonly { label: string; shape: SpectrumShape }[] = [
  { label: 'flat α=1', shape: { kind: 'flat' } },
  { label: 'exp β=2', shape: { kind: 'exponential', beta: 2 } },
  { label: 'exp β=3.9', shape: { kind: 'exponential', beta: 3.9 } },
  { label: 'exp β=8', shape: { kind: 'exponential', beta: 8 } },
  { label: 'power β=2', shape: { kind: 'powerLaw', beta: 2 } },
  { label: 'low rank 10×4 + bulk', shape: { kind: 'lowRankPlusBulk', rank: 10, ratio: 4 } },
];

interface Point {
  label: string;
  gamma: number;
  gammaFromMatrix: number;
  prX: number;
  prPhi: number;
  theoryX: number;
  theoryPhi: number;
}

export interface RankResult {
  files: string[];
  theory: { g: number; gamma: Float64Array; prX: Float64Array; prPhi: Float64Array }[];
  simulation: (Point & { seX: number; sePhi: number })[];
  linear: Point[];
}

export function run(argv: string[]): RankResult {
  const { values } = parseArgs({
    args: argv,
    options: {
      gains: { type: 'string', default: '1.5,2,3,5' },
      g: { type: 'string', default: '2' },
      n: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '1000' },
      'burn-in': { type: 'string', default: '300' },
      blocks: { type: 'string', default: '8' },
      'linear-n': { type: 'string', default: '600' },
      'linear-g': { type: 'string', default: '0.6' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const g = num('g', values.g);
  const n = num('n', values.n);
  const duration = num('duration', values.duration);
  const burnIn = num('burn-in', values['burn-in']);
  const blocks = num('blocks', values.blocks);
  const linearN = num('linear-n', values['linear-n']);
  const linearG = num('linear-g', values['linear-g']);
  const seed = num('seed', values.seed);
  const out = new Output(values.out);
  const t0 = performance.now();

  const gammas = logSpace(0.01, 100, 81);
  const theory = numbers('gains', values.gains).map((gi) => ({ g: gi, gamma: gammas, ...dimension({ g: gi }).vsRank(gammas) }));
  console.log(`theory curves for g = ${values.gains} in ${seconds(t0)}`);

  // Nonlinear networks at gain g.
  const atG = dimension({ g });
  const simulation: RankResult['simulation'] = [];
  const rows = [['spectrum', 'γ = N/PR^D', 'N/PR_J − 2', 'PR^x/N sim', 'theory', 'PR^φ/N sim', 'theory', 'time']];
  for (const [i, s] of SPECTRA.entries()) {
    const t1 = performance.now();
    const net = randomMode({ n, spectrum: { shape: s.shape, g }, seed: seed + 10 * i });
    const m = measureActivity({ network: net, seed: seed + 10 * i + 1, duration, burnIn, blocks, psi: false, units: 2, maxLag: 0.5 });
    const th = atG.vsRank(Float64Array.of(net.gamma));
    const p = {
      label: s.label,
      gamma: net.gamma,
      gammaFromMatrix: effectiveRankFromMatrix(net.J).gamma,
      prX: m.prX.prOverN,
      seX: m.prX.seOverN,
      prPhi: m.prPhi.prOverN,
      sePhi: m.prPhi.seOverN,
      theoryX: th.prX[0]!,
      theoryPhi: th.prPhi[0]!,
    };
    simulation.push(p);
    rows.push([
      s.label,
      p.gamma.toFixed(3),
      p.gammaFromMatrix.toFixed(3),
      `${p.prX.toFixed(4)} ± ${p.seX.toFixed(4)}`,
      p.theoryX.toFixed(4),
      `${p.prPhi.toFixed(4)} ± ${p.sePhi.toFixed(4)}`,
      p.theoryPhi.toFixed(4),
      seconds(t1),
    ]);
  }
  console.log(`\ntanh networks, N = ${n}, g = ${g}, one network per spectrum, ${duration} time units:`);
  printTable(rows);

  // Linear oracle: exact covariance of the linear stochastic network.
  const lin = dimension({ g: linearG, phi: 'linear', noise: 1 });
  const linear: Point[] = [];
  const lrows = [['spectrum', 'γ = N/PR^D', 'N/PR_J − 2', 'PR/N Lyapunov', 'PR/N theory', 'rel. diff.']];
  for (const [i, s] of SPECTRA.entries()) {
    const net = randomMode({ n: linearN, spectrum: { shape: s.shape, g: linearG }, seed: seed + 1000 + i });
    const { covariance } = linearCovariance(net.J, { noise: 1 });
    const pr = participationRatio(covariance) / linearN;
    const th = lin.vsRank(Float64Array.of(net.gamma)).prPhi[0]!;
    linear.push({
      label: s.label,
      gamma: net.gamma,
      gammaFromMatrix: effectiveRankFromMatrix(net.J).gamma,
      prX: pr,
      prPhi: pr,
      theoryX: th,
      theoryPhi: th,
    });
    lrows.push([s.label, net.gamma.toFixed(3), linear[i]!.gammaFromMatrix.toFixed(3), pr.toFixed(4), th.toFixed(4), `${(((pr - th) / th) * 100).toFixed(1)} %`]);
  }
  console.log(`\nlinear networks (exact Lyapunov covariance), N = ${linearN}, g = ${linearG}, one network per spectrum:`);
  printTable(lrows);

  const thRows: number[][] = [];
  for (const t of theory) gammas.forEach((gm, k) => thRows.push([t.g, gm, t.prX[k]!, t.prPhi[k]!]));
  out.csv('dimension-vs-rank-theory.csv', ['g', 'gamma', 'prX_over_N', 'prPhi_over_N'], thRows);
  out.csv(
    'dimension-vs-rank-simulation.csv',
    ['spectrum', 'g', 'n', 'gamma', 'gamma_from_matrix', 'prX_over_N', 'se_prX_over_N', 'prPhi_over_N', 'se_prPhi_over_N', 'theory_prX_over_N', 'theory_prPhi_over_N'],
    simulation.map((p) => [p.label, g, n, p.gamma, p.gammaFromMatrix, p.prX, p.seX, p.prPhi, p.sePhi, p.theoryX, p.theoryPhi]),
  );
  out.csv(
    'dimension-vs-rank-linear.csv',
    ['spectrum', 'g', 'n', 'gamma', 'gamma_from_matrix', 'pr_over_N_lyapunov', 'pr_over_N_theory'],
    linear.map((p) => [p.label, linearG, linearN, p.gamma, p.gammaFromMatrix, p.prX, p.theoryX]),
  );
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const series: Series[] = theory.map((t, k) => ({ label: `PR^φ/N theory g = ${t.g}`, x: gammas, y: t.prPhi, color: palette[k % 4]! }));
  const every4 = (v: Float64Array) => v.filter((_, j) => j % 4 === 0);
  theory.forEach((t, k) => series.push({ label: `PR^x/N theory g = ${t.g} (dots)`, x: every4(gammas), y: every4(t.prX), color: palette[k % 4]!, style: 'points' }));
  series.push(
    { label: `PR^φ/N sim. N = ${n}, g = ${g}`, x: simulation.map((p) => p.gamma), y: simulation.map((p) => p.prPhi), style: 'points', color: '#000' },
    { label: `PR^x/N sim. N = ${n}, g = ${g}`, x: simulation.map((p) => p.gamma), y: simulation.map((p) => p.prX), style: 'points', color: '#ff7f0e' },
  );
  out.svg('dimension-vs-rank.svg', {
    title: 'Dimension vs inverse effective rank γ = N/PR^D (random-mode, tanh)',
    xLabel: 'γ = N / PR^D',
    yLabel: 'PR / N',
    logX: true,
    logY: true,
    series,
  });
  const lg = logSpace(0.05, 20, 60);
  out.svg('dimension-vs-rank-linear.svg', {
    title: `Linear network, g = ${linearG}: exact covariance vs rank theory`,
    xLabel: 'γ = N / PR^D',
    yLabel: 'PR / N',
    logX: true,
    series: [
      { label: 'theory (large N)', x: lg, y: lin.vsRank(lg).prPhi, color: '#222' },
      { label: `Lyapunov equation, N = ${linearN}`, x: linear.map((p) => p.gamma), y: linear.map((p) => p.prX), style: 'points', color: '#d62728' },
    ],
  });
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, theory, simulation, linear };
}

if (isMain(import.meta.url)) run(process.argv.slice(2));
