/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 5: single-neuron
 * output gains Φ_i = G_iφ(x_i) (coupling matrix J diag(G)) and z-scoring.
 *
 * - theory (`outputGainDimension`, Eqs. 46a, 46b, J18): PR/N of z-scored rates ("normalised"), of
 *   G_iφ_i ("unnormalised") and of z-scored rates through independent readout gains of the same
 *   distribution ("readout"), against PR^G of the gains G_i ∝ exp(−β_G i/N) (PR^G = tanh β_G/β_G),
 *   φ = erf(√π x/2), one panel pair per effective rank αPR^D (--rank; the paper's 10, 1 and 0.1,
 *   spectra as in Fig. 4: flat with M = αN modes for αPR^D ≥ 1, D_a ∝ exp(−β_D a/M) with α = 1
 *   below), g_eff = 3, 6, 10: (a) the normalised dimension, (b) the ratios unnormalised/normalised
 *   (PR^{Gφ}/PR^φ) and readout/normalised (PR^{G'φ}/PR^φ) at the largest g_eff;
 * - simulation: random-mode networks J diag(G) run by the large-N engine (RK4, --trajectories per
 *   network) at the PR^G of --pr-g, cross-trajectory PR/N of the rates z-scored, weighted by G, and
 *   z-scored and weighted by a seeded permutation of G (`weighted`), averaged over --networks (the
 *   ratios are those of the means, as in the paper). The paper used N = 5000, 10 networks, RK4
 *   dt = 0.05, PR^G = 0.1 … 1. αPR^D = 10 means M = 10N modes: the large-N engine streams the input
 *   modes into J (a worker holds its rows of the output modes, N/workers × M), so N = 5000 fits;
 *   forming J then costs 2N²M flops (≈ 2.5·10¹² at N = 5000), minutes before the run starts.
 *
 * The paper's values, read off its figure (`examples/data/prx-fig5-published.csv`), are written
 * next to ours (paper-fig5-published.csv), tabulated and drawn as light points. `--beta-d` with
 * `--beta-g` instead runs one panel at D_a ∝ exp(−β_D a/M) (α = 1) and the given β_G (not the
 * paper's panels; the committed β_D = 2 run in the README).
 *
 *   npx tsx examples/paper-fig5.ts                        # defaults, N = 600, a few minutes
 *   npx tsx examples/paper-fig5.ts --n 5000 --networks 10 --dt 0.05 --pr-g 0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1
 *
 * Writes paper-fig5.svg, paper-fig5-theory.csv, paper-fig5-simulation.csv (and, for the paper's
 * panels, paper-fig5-published.csv) to --out (default examples/out).
 * The networks are sweeps, one result folder per network under --cells (default
 * <out>/paper-fig5-n<N>-cells; see examples/lib/networkSweeps.ts): an interrupted run resumes,
 * --prepare writes the folders for a Slurm cluster to fill, --draw draws from what is done.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { outputGainDimension, type LargeConnectivity, type OutputGainDimensions, type PlotOptions, type Series, type WeightedDimension } from '../ts/index.js';
import { networkSweeps } from './lib/networkSweeps.js';
import { betaForParticipation } from './lib/paperRank.js';
import { isMain, num, numbers, Output, printTable, readTable, seconds } from './lib/output.js';

const KINDS = ['normalised', 'unnormalised', 'readout'] as const;
type Kind = (typeof KINDS)[number];

/** The paper's values read off its Fig. 5 (see examples/data/README.md). */
const PUBLISHED = new URL('./data/prx-fig5-published.csv', import.meta.url);

/** One panel: effective rank αPR^D and how its spectrum is built. */
interface Panel {
  rank: number;
  /** β_D of an exponential spectrum with α = 1, or undefined for a flat one with M = rank·N modes. */
  betaD?: number;
}

export interface Fig5Point extends Record<Kind, number> {
  rank: number;
  g: number;
  prG: number;
  betaG: number;
}

export interface Fig5Simulation extends Fig5Point, Record<`${Kind}Se`, number> {
  networks: number;
  theory: OutputGainDimensions;
}

/** A value of the paper's figure next to ours: the normalised PR^φ/N, or a ratio to it (g_eff = 10). */
export interface Fig5Published {
  rank: number;
  g: number;
  prG: number;
  quantity: 'normalised' | 'unnormalised_ratio' | 'readout_ratio';
  paperTheory: number;
  /** Mean of the paper's ten networks (NaN where its dot is hidden). */
  paperSimulation: number;
  partial: boolean;
  theory: number;
  /** Ours at this point (NaN where not simulated). */
  simulation: number;
}

export interface Fig5Result {
  files: string[];
  theory: Fig5Point[];
  simulation: Fig5Simulation[];
  published: Fig5Published[];
}

export async function run(argv: string[]): Promise<Fig5Result> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '600' },
      networks: { type: 'string', default: '1' },
      g: { type: 'string', default: '3,6,10' },
      rank: { type: 'string', default: '10,1,0.1' },
      'pr-g': { type: 'string', default: '0.2,1' },
      'beta-d': { type: 'string' },
      'beta-g': { type: 'string' },
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
  const gains = numbers('g', values.g);
  const legacy = values['beta-d'] !== undefined;
  if (legacy !== (values['beta-g'] !== undefined)) throw new Error('--beta-d and --beta-g go together (one panel at β_D, simulations at β_G)');
  const panels: Panel[] = legacy
    ? [num('beta-d', values['beta-d']!)].map((betaD) => ({ betaD, rank: Math.tanh(betaD) / betaD }))
    : numbers('rank', values.rank).map((rank) => (rank < 1 ? { rank, betaD: betaForParticipation(rank) } : { rank }));
  const gamma = (p: Panel) => 1 / p.rank;
  for (const p of panels) if (!(p.rank > 0)) throw new Error(`--rank: αPR^D must be positive, got ${p.rank}`);
  const betaGs = legacy
    ? numbers('beta-g', values['beta-g']!)
    : numbers('pr-g', values['pr-g']).map((p) => {
        if (!(p > 0 && p <= 1)) throw new Error(`--pr-g: PR^G must be in (0, 1], got ${p}`);
        return p === 1 ? 0 : betaForParticipation(p);
      });
  const prOf = (betaG: number) => (betaG === 0 ? 1 : Math.tanh(betaG) / betaG);

  const bases = new Map<string, ReturnType<typeof outputGainDimension>>();
  const theoryAt = (panel: Panel, g: number, prG: number) => {
    const key = `${panel.rank},${g}`;
    if (!bases.has(key)) bases.set(key, outputGainDimension({ g, gamma: gamma(panel), gains: { pr: 1 }, phi: 'erf' }));
    return bases.get(key)!.at(gamma(panel), prG);
  };
  const grid = Array.from({ length: 39 }, (_, k) => 0.05 + (0.95 * k) / 38);
  const theory: Fig5Point[] = panels.flatMap((panel) =>
    gains.flatMap((g) => grid.map((prG) => ({ rank: panel.rank, g, prG, betaG: prG === 1 ? 0 : betaForParticipation(prG), ...theoryAt(panel, g, prG) }))),
  );

  const connectivity = (panel: Panel, g: number, betaG: number): LargeConnectivity => ({
    kind: 'randomMode',
    spectrum: panel.betaD === undefined ? { shape: { kind: 'flat' }, g, modes: Math.round(panel.rank * n) } : { shape: { kind: 'exponential', beta: panel.betaD }, g },
    outputGains: { exponentialBeta: betaG },
  });
  // Cell p of each network's sweep is point p = (panel, g, β_G); network k has seed 100 + k (and
  // the readout gains are G permuted by that seed).
  const points = panels.flatMap((panel) => gains.flatMap((g) => betaGs.map((betaG) => ({ panel, g, betaG }))));
  const done = await networkSweeps(
    {
      name: `paper-fig5-n${n}`, cells: values.cells ?? join(values.out, `paper-fig5-n${n}-cells`), networks: num('networks', values.networks), firstSeed: 100,
      parts: (seed) => points.map(({ panel, g, betaG }) => ({
        job: 'large' as const,
        seeds: { from: seed, count: 1 },
        fixed: {
          n, connectivity: connectivity(panel, g, betaG),
          weighted: { normalised: { zscore: true }, unnormalised: { weights: 'outputGains' }, readout: { zscore: true, weights: { permutedOutputGains: seed } } },
          phi: 'erf', dt: num('dt', values.dt), burnIn: num('burn-in', values['burn-in']), duration: num('duration', values.duration),
          trajectories: num('trajectories', values.trajectories), workers: num('workers', values.workers), precision: n < 2048 ? 'f64' : 'f32',
        },
      })),
    },
    values.prepare ? 'prepare' : values.draw ? 'draw' : 'run',
  );
  if (values.prepare) return { files: [], theory, simulation: [], published: [] };
  const simulation: Fig5Simulation[] = points.flatMap(({ panel, g, betaG }, p) => {
    const mine = done.filter((c) => c.point === p).map((c) => c.row.weighted as Record<Kind, WeightedDimension>);
    if (mine.length === 0) return [];
    const mean = (f: (w: Record<Kind, WeightedDimension>) => number) => mine.reduce((s, w) => s + f(w), 0) / mine.length;
    const prG = prOf(betaG);
    const row = { rank: panel.rank, g, prG, betaG, networks: mine.length, theory: theoryAt(panel, g, prG) } as Fig5Simulation;
    for (const k of KINDS) {
      row[k] = mean((w) => w[k].prPhi);
      row[`${k}Se`] = mean((w) => w[k].prPhiSe);
    }
    return [row];
  });
  const published = legacy ? [] : comparePublished(panels, gains, simulation, theoryAt);

  const out = new Output(values.out);
  out.csv('paper-fig5-theory.csv', ['rank', 'g_eff', 'PR_G', 'beta_G', ...KINDS], theory.map((t) => [t.rank, t.g, t.prG, t.betaG, ...KINDS.map((k) => t[k])]));
  out.csv(
    'paper-fig5-simulation.csv',
    ['rank', 'g_eff', 'PR_G', 'beta_G', 'networks', ...KINDS.flatMap((k) => [k, `${k}_se`]), ...KINDS.map((k) => `theory_${k}`)],
    simulation.map((s) => [s.rank, s.g, s.prG, s.betaG, s.networks, ...KINDS.flatMap((k) => [s[k], s[`${k}Se`]]), ...KINDS.map((k) => s.theory[k])]),
  );
  if (published.length > 0) {
    out.csv(
      'paper-fig5-published.csv',
      ['rank', 'g_eff', 'PR_G', 'quantity', 'paper_theory', 'paper_simulation', 'paper_partial', 'theory', 'simulation'],
      published.map((p) => [p.rank, p.g, p.prG, p.quantity, p.paperTheory, p.paperSimulation, Number(p.partial), p.theory, p.simulation]),
    );
  }
  out.svgPanels('paper-fig5.svg', plots(panels, gains, theory, simulation, published, n), 3);

  const f = (v: number, digits = 4) => (Number.isNaN(v) ? '—' : v.toFixed(digits));
  printTable([
    ['αPR^D', 'g_eff', 'PR^G', 'networks', 'normalised sim/theory', 'G φ sim/theory', 'readout sim/theory'],
    ...simulation.map((s) => {
      const cell = (k: Kind) => `${f(s[k])} ± ${f(s[`${k}Se`])} / ${f(s.theory[k])} (${(s[k] / s.theory[k]).toFixed(2)})`;
      return [String(Number(s.rank.toFixed(4))), String(s.g), s.prG.toFixed(3), String(s.networks), cell('normalised'), cell('unnormalised'), cell('readout')];
    }),
  ]);
  if (published.length > 0) {
    console.log("\nThe paper's values (read off its figure) next to ours, by quantity and αPR^D:");
    const rows: string[][] = [['quantity', 'αPR^D', 'ours/paper line', 'paper mean/line', 'our sim/paper mean']];
    for (const q of ['normalised', 'unnormalised_ratio', 'readout_ratio'] as const) {
      for (const panel of panels) {
        const part = published.filter((p) => p.quantity === q && p.rank === panel.rank);
        if (part.length === 0) continue;
        const range = (v: number[]) => {
          const ok = v.filter((x) => !Number.isNaN(x));
          return ok.length === 0 ? '—' : `${Math.min(...ok).toFixed(3)}–${Math.max(...ok).toFixed(3)}`;
        };
        rows.push([q, String(panel.rank), range(part.map((p) => p.theory / p.paperTheory)), range(part.map((p) => p.paperSimulation / p.paperTheory)), range(part.map((p) => p.simulation / p.paperSimulation))]);
      }
    }
    printTable(rows);
  }
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, theory, simulation, published };
}

/** The paper's values at the panels and gains asked for, with our theory and simulations there. */
function comparePublished(
  panels: Panel[],
  gains: number[],
  simulation: Fig5Simulation[],
  theoryAt: (panel: Panel, g: number, prG: number) => OutputGainDimensions,
): Fig5Published[] {
  return readTable(PUBLISHED, 'rank,g_eff,pr_g,quantity,theory,simulation,partial').flatMap((cells) => {
    const [rankText, gText, prGText, quantity, paperTheory, paperSimulation, partial] = cells as [string, string, string, Fig5Published['quantity'], string, string, string];
    const [rank, g, prG] = [Number(rankText), Number(gText), Number(prGText)];
    const panel = panels.find((p) => Math.abs(p.rank / rank - 1) < 1e-9);
    if (!panel || !gains.includes(g)) return [];
    const t = theoryAt(panel, g, prG);
    const s = simulation.find((x) => x.rank === panel.rank && x.g === g && Math.abs(x.prG - prG) < 1e-9);
    const value = (v: Record<Kind, number>) =>
      quantity === 'normalised' ? v.normalised : quantity === 'unnormalised_ratio' ? v.unnormalised / v.normalised : v.readout / v.normalised;
    return [{ rank, g, prG, quantity, paperTheory: Number(paperTheory), paperSimulation: Number(paperSimulation), partial: partial === '1', theory: value(t), simulation: s ? value(s) : Number.NaN }];
  });
}

const PALETTE = ['#d4a017', '#d62728', '#1f77b4', '#2ca02c'];
const LIGHT = ['#f0d88a', '#fc9272', '#9ecae1', '#a1d99b'];

/** Per panel: (a) the normalised dimension for each g_eff, (b) the two ratios at the largest g_eff. */
function plots(panels: Panel[], gains: number[], theory: Fig5Point[], simulation: Fig5Simulation[], published: Fig5Published[], n: number): PlotOptions[] {
  const top = Math.max(...gains);
  const label = (p: Panel) => `αPR^D = ${Number(p.rank.toFixed(3))}`;
  const a = panels.map((panel): PlotOptions => {
    const series: Series[] = [];
    gains.forEach((g, k) => {
      const t = theory.filter((x) => x.rank === panel.rank && x.g === g);
      series.push({ label: `theory g_eff = ${g}`, x: t.map((x) => x.prG), y: t.map((x) => x.normalised), color: PALETTE[k % 4]! });
      const s = simulation.filter((x) => x.rank === panel.rank && x.g === g);
      if (s.length > 0) series.push({ label: `sim N=${n} g_eff = ${g}`, x: s.map((x) => x.prG), y: s.map((x) => x.normalised), color: PALETTE[k % 4]!, style: 'points' });
      const p = published.filter((x) => x.rank === panel.rank && x.g === g && x.quantity === 'normalised' && !Number.isNaN(x.paperSimulation));
      if (p.length > 0) series.push({ label: `paper, 10 nets, g_eff = ${g}`, x: p.map((x) => x.prG), y: p.map((x) => x.paperSimulation), color: LIGHT[k % 4]!, style: 'points' });
    });
    return { title: `PRX Fig. 5a: normalised, ${label(panel)}`, xLabel: 'PR^G', yLabel: 'PR^φ/N', series };
  });
  const b = panels.map((panel): PlotOptions => {
    const series: Series[] = [];
    const t = theory.filter((x) => x.rank === panel.rank && x.g === top);
    const s = simulation.filter((x) => x.rank === panel.rank && x.g === top);
    const ratios = [
      { kind: 'unnormalised' as const, quantity: 'unnormalised_ratio', name: 'PR^{Gφ}/PR^φ', color: '#17becf', light: '#9edae5' },
      { kind: 'readout' as const, quantity: 'readout_ratio', name: "PR^{G'φ}/PR^φ", color: '#9467bd', light: '#c5b0d5' },
    ];
    for (const r of ratios) {
      series.push({ label: `theory ${r.name}`, x: t.map((x) => x.prG), y: t.map((x) => x[r.kind] / x.normalised), color: r.color });
      if (s.length > 0) series.push({ label: `sim N=${n}`, x: s.map((x) => x.prG), y: s.map((x) => x[r.kind] / x.normalised), color: r.color, style: 'points' });
      const p = published.filter((x) => x.rank === panel.rank && x.quantity === r.quantity && !Number.isNaN(x.paperSimulation));
      if (p.length > 0) series.push({ label: 'paper, 10 nets', x: p.map((x) => x.prG), y: p.map((x) => x.paperSimulation), color: r.light, style: 'points' });
    }
    return { title: `PRX Fig. 5b: ratios, g_eff = ${top}, ${label(panel)}`, xLabel: 'PR^G', yLabel: 'dimension ratio', series };
  });
  return [...a, ...b];
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
