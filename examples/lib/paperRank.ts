/**
 * Shared by the figure scripts of Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019
 * (2025), Figs. 4 and 10: dimension PR/N against the effective rank αPR_D of random-mode
 * couplings at g_eff = 3, 6, 10 with φ = erf(√π x/2) — theory (`dimension().vsRank` at
 * γ = 1/(αPR_D), the paper's Eqs. 38 and I22) as curves, `simulateLarge` runs (RK4) as points.
 * The simulations are sweeps, one result folder per network under `--cells` (default
 * <out>/<name>-n<N>-cells; see `networkSweeps`): a rerun resumes, more `--networks` add to the
 * networks done, `--prepare` writes the folders for a Slurm cluster to fill, and `--draw` draws
 * the figure from what is done without running anything. Where the paper's own values have been read
 * off its figure (`published`), they are written next to ours (<name>-published.csv), tabulated
 * and drawn as light points.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dimension, type LargeConnectivity, type Series } from '../../ts/index.js';
import { networkSweeps } from './networkSweeps.js';
import { logSpace, num, numbers, Output, printTable, readTable, seconds } from './output.js';

export interface RankFigure {
  /** File stem, e.g. 'paper-fig4'. */
  name: string;
  title: string;
  /** Default αPR_D values simulated. */
  ranks: string;
  /** Range of the theory curves. */
  range: [number, number];
  /** The sampled couplings of effective rank αPR_D at gain g and size n. */
  connectivity(rank: number, g: number, n: number): LargeConnectivity;
  /** The paper's values read off its figure: a CSV `rank,g_eff,theory,simulation,partial`. */
  published?: URL;
}

export interface RankPoint {
  g: number;
  rank: number;
  prX: number;
  prXSe: number;
  prPhi: number;
  prPhiSe: number;
  theoryX: number;
  theoryPhi: number;
}

/** One point of the paper's figure next to ours. */
export interface PublishedPoint {
  g: number;
  rank: number;
  /** The paper's theory line and mean of its ten networks (PR^φ/N), read off its figure. */
  paperTheory: number;
  paperSimulation: number;
  /** Whether the paper's dot is partly covered (its reading less certain). */
  partial: boolean;
  /** Our theory, and the mean over our networks at this point (NaN where none is done). */
  theory: number;
  simulation: number;
  networks: number;
}

export interface RankResult {
  files: string[];
  theory: { g: number; rank: Float64Array; prX: Float64Array; prPhi: Float64Array }[];
  simulation: RankPoint[];
  /** The paper's points at the gains asked for (empty without `published`). */
  published: PublishedPoint[];
}

export async function runRankFigure(fig: RankFigure, argv: string[]): Promise<RankResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      networks: { type: 'string', default: '1' },
      gains: { type: 'string', default: '3,6,10' },
      ranks: { type: 'string', default: fig.ranks },
      trajectories: { type: 'string', default: '4' },
      duration: { type: 'string', default: '200' },
      'burn-in': { type: 'string', default: '50' },
      dt: { type: 'string', default: '0.05' },
      workers: { type: 'string', default: String(Math.min(2, cpus().length)) },
      out: { type: 'string', default: 'examples/out' },
      cells: { type: 'string' },
      prepare: { type: 'boolean' },
      draw: { type: 'boolean' },
    },
  });
  const t0 = performance.now();
  const n = num('n', values.n);
  const networks = num('networks', values.networks);
  const gains = numbers('gains', values.gains);
  const ranks = numbers('ranks', values.ranks);
  const grid = logSpace(fig.range[0], fig.range[1], 60);
  const theory = gains.map((g) => {
    const v = dimension({ g, phi: 'erf' }).vsRank(grid.map((r) => 1 / r));
    return { g, rank: grid, prX: v.prX, prPhi: v.prPhi };
  });
  // Cell p of each network's sweep is point p = (g, αPR_D); network k has seed k.
  const points = gains.flatMap((g) => ranks.map((rank) => ({ g, rank })));
  const fixed = (g: number, rank: number) => ({
    n, connectivity: fig.connectivity(rank, g, n), phi: 'erf', trajectories: num('trajectories', values.trajectories),
    burnIn: num('burn-in', values['burn-in']), duration: num('duration', values.duration), dt: num('dt', values.dt),
    workers: num('workers', values.workers), precision: n < 2048 ? 'f64' : 'f32',
  });
  const done = await networkSweeps(
    {
      name: `${fig.name}-n${n}`, cells: values.cells ?? join(values.out, `${fig.name}-n${n}-cells`), networks, firstSeed: 1,
      parts: (seed) => points.map(({ g, rank }) => ({ job: 'large' as const, seeds: { from: seed, count: 1 }, fixed: fixed(g, rank) })),
    },
    values.prepare ? 'prepare' : values.draw ? 'draw' : 'run',
  );
  if (values.prepare) return { files: [], theory, simulation: [], published: [] };
  done.sort((a, b) => a.point - b.point || a.network - b.network);
  const simulation: RankPoint[] = done.map(({ point, row }) => {
    const { g, rank } = points[point]!;
    const at = dimension({ g, phi: 'erf' }).vsRank(Float64Array.of(1 / rank));
    return { g, rank, prX: row.prX as number, prXSe: row.prXSe as number, prPhi: row.prPhi as number, prPhiSe: row.prPhiSe as number, theoryX: at.prX[0]!, theoryPhi: at.prPhi[0]! };
  });
  const out = new Output(values.out);
  out.csv(`${fig.name}-theory.csv`, ['g', 'rank', 'prX', 'prPhi'], theory.flatMap((t) => Array.from(t.rank, (r, i) => [t.g, r, t.prX[i]!, t.prPhi[i]!])));
  out.csv(
    `${fig.name}-simulation.csv`,
    ['g', 'rank', 'prX', 'prXSe', 'prPhi', 'prPhiSe', 'theoryX', 'theoryPhi'],
    simulation.map((p) => [p.g, p.rank, p.prX, p.prXSe, p.prPhi, p.prPhiSe, p.theoryX, p.theoryPhi]),
  );
  const published = fig.published ? comparePublished(fig.published, gains, simulation) : [];
  if (published.length > 0) {
    out.csv(
      `${fig.name}-published.csv`,
      ['g', 'rank', 'paperTheoryPhi', 'paperPrPhi', 'paperPartial', 'theoryPhi', 'prPhi', 'networks'],
      published.map((p) => [p.g, p.rank, p.paperTheory, p.paperSimulation, Number(p.partial), p.theory, p.simulation, p.networks]),
    );
  }
  plotRankFigure(out, fig, theory, simulation, published);
  const f = (v: number) => v.toFixed(4);
  printTable([
    ['g', 'αPR_D', 'PR^φ/N theory', 'simulated', 'sim/theory', 'PR^x/N theory', 'simulated', 'sim/theory'],
    ...simulation.map((p) => [
      String(p.g), String(p.rank), f(p.theoryPhi), `${f(p.prPhi)} ± ${f(p.prPhiSe)}`, (p.prPhi / p.theoryPhi).toFixed(2),
      f(p.theoryX), `${f(p.prX)} ± ${f(p.prXSe)}`, (p.prX / p.theoryX).toFixed(2),
    ]),
  ]);
  for (const g of gains) {
    const ratios = simulation.filter((p) => p.g === g).map((p) => p.prPhi / p.theoryPhi);
    const mean = ratios.reduce((s, v) => s + v, 0) / ratios.length;
    console.log(`g = ${g}: simulation/theory of PR^φ/N ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} (mean ${mean.toFixed(2)}) at N = ${n}`);
  }
  if (published.length > 0) {
    const opt = (v: number, digits: number) => (Number.isNaN(v) ? '—' : v.toFixed(digits));
    console.log("\nThe paper's values (read off its figure) next to ours:");
    printTable([
      ['g', 'αPR_D', 'paper theory', 'our theory', 'ours/paper', 'paper mean', 'our mean', 'networks'],
      ...published.map((p) => [
        String(p.g), String(p.rank), f(p.paperTheory), f(p.theory), (p.theory / p.paperTheory).toFixed(3),
        f(p.paperSimulation) + (p.partial ? '*' : ''), opt(p.simulation, 4), String(p.networks),
      ]),
    ]);
    const ratios = published.map((p) => p.theory / p.paperTheory);
    console.log(`our theory / the paper's line: ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)} (* dot partly covered)`);
  }
  console.log(`wrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, theory, simulation, published };
}

/** The paper's points at `gains`, with our theory and the mean over our networks at each. */
function comparePublished(file: URL, gains: number[], simulation: RankPoint[]): PublishedPoint[] {
  const rows = readTable(file, 'rank,g_eff,theory,simulation,partial')
    .map((cells) => cells.map(Number) as [number, number, number, number, number])
    .filter(([, g]) => gains.includes(g));
  return gains.flatMap((g) => {
    const mine = rows.filter((r) => r[1] === g);
    const theory = dimension({ g, phi: 'erf' }).vsRank(Float64Array.from(mine, ([rank]) => 1 / rank)).prPhi;
    return mine.map(([rank, , paperTheory, paperSimulation, partial], i) => {
      const ours = simulation.filter((p) => p.g === g && Math.abs(p.rank / rank - 1) < 1e-3);
      return {
        g, rank, paperTheory, paperSimulation, partial: partial === 1, theory: theory[i]!,
        simulation: ours.length > 0 ? ours.reduce((s, p) => s + p.prPhi, 0) / ours.length : Number.NaN,
        networks: ours.length,
      };
    });
  });
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const LIGHT = ['#9ecae1', '#fc9272', '#a1d99b', '#bcbddc', '#fdd0a2'];

/** The figure: theory curves and simulated points of each g in one colour, the paper's means in a lighter one. */
function plotRankFigure(out: Output, fig: RankFigure, theory: RankResult['theory'], simulation: RankPoint[], published: PublishedPoint[]): void {
  const series: Series[] = theory.flatMap((t, k) => [
    { label: `theory g=${t.g}`, x: t.rank, y: t.prPhi, color: COLORS[k % COLORS.length]! },
    {
      label: `simulation g=${t.g}`,
      x: Float64Array.from(simulation.filter((p) => p.g === t.g), (p) => p.rank),
      y: Float64Array.from(simulation.filter((p) => p.g === t.g), (p) => p.prPhi),
      style: 'points' as const,
      color: COLORS[k % COLORS.length]!,
    },
    ...(published.some((p) => p.g === t.g)
      ? [{
          label: `paper, 10 nets, g=${t.g}`,
          x: Float64Array.from(published.filter((p) => p.g === t.g), (p) => p.rank),
          y: Float64Array.from(published.filter((p) => p.g === t.g), (p) => p.paperSimulation),
          style: 'points' as const,
          color: LIGHT[k % LIGHT.length]!,
        }]
      : []),
  ]);
  out.svg(`${fig.name}.svg`, { series, title: fig.title, xLabel: 'effective rank αPR_D', yLabel: 'PR^φ/N', logX: true, logY: true });
}

/** β with tanh(β)/β = p (0 < p < 1), by bisection. */
export function betaForParticipation(p: number): number {
  let [lo, hi] = [1e-9, 1 / p + 1];
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (Math.tanh(mid) / mid > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
