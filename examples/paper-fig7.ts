/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 7: dimension of
 * activity against the overlap amplitude γ_ρ of the sigmoidal profile (Eq. K35, β_ρ = 16,
 * ⟨Dρ⟩ = 0), α = 1, D_a ∝ exp(−β_D a/M), φ = erf(√π x/2), g_eff = 3, 6, 10, one panel per
 * PR^D = tanh β_D/β_D (--pr-d; the paper's panels 0.3, 0.8 and 1, γ_ρ = −0.6 … 0.6 in steps of
 * 0.2; PR^D = 1 is the flat spectrum), or per β_D (--beta-d).
 *
 * - theory (`overlapDimension`, Eq. 51) on the sampling single-site solution (`solveOverlapDMFT`;
 *   its Monte-Carlo noise carries over, several per cent at the default settings), with the
 *   (D, ρ) distribution represented by --modes values. Its grid starts at --steps (dt 0.1) and is
 *   doubled while the correlation left at long lags (`diagnostics.tail`) exceeds --max-tail, up
 *   to --max-steps: at |γ_ρ| = 0.8 C_φ decays over 50–200 time units (g_eff = 3, γ_ρ = 0.8: a
 *   period of 102 gives PR^φ/N ≈ 0.012, one of 410 gives 0.0013).
 *   Points still above --max-tail at --max-steps are marked in grey on the curve;
 * - simulation: random-mode networks with those overlaps, run by the large-N engine (RK4,
 *   --trajectories per network), cross-trajectory PR^φ/N of the rates, averaged over --networks.
 *   The paper used N = 5000, 10 networks, RK4 dt = 0.05.
 *
 *   npx tsx examples/paper-fig7.ts                    # defaults, a few minutes
 *   npx tsx examples/paper-fig7.ts --n 5000 --networks 10 --samples 1024 --iterations 60 --dt 0.05 --gamma-rho=-0.6,-0.4,-0.2,0,0.2,0.4,0.6
 *
 * The paper's own values, read off its figure (`examples/data/prx-fig7-published.csv`), are put
 * next to ours for its three panels: its theory line in the CSV and the table, the means of its
 * ten networks also as open points in the SVG.
 *
 * Writes paper-fig7.svg (one panel per PR^D), paper-fig7-theory.csv (with the grid period and tail of each point),
 * paper-fig7-simulation.csv (means over the networks), paper-fig7-networks.csv (each
 * network's PR^φ/N, its standard error and Δ0) and, where γ_ρ = 0 is among the points,
 * paper-fig7-paired.csv (each γ_ρ against the same networks without overlaps: the mean of
 * PR(γ_ρ)/PR(0) over the networks next to the theory's) to --out (default examples/out).
 * The networks are sweeps, one result folder per network under --cells (default
 * <out>/paper-fig7-n<N>-cells; see examples/lib/networkSweeps.ts): an interrupted run resumes,
 * --prepare writes the folders for a Slurm cluster to fill, --draw draws from what is done.
 * The theory takes 5–25 s per point at |γ_ρ| ≤ 0.6 with 1024 samples (2 cores), minutes where the
 * grid has to grow (|γ_ρ| = 0.8); --theory <file> reuses the paper-fig7-theory.csv of an earlier
 * run with the same theory options instead (every panel, g_eff, γ_ρ asked for must be in it),
 * e.g. to redraw or add networks to the committed runs (README, "The published paper's figures").
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { overlapDimension, sigmoidOverlaps, spectrum, type OverlapDimension, type PlotOptions, type Series, type SpectrumShape } from '../ts/index.js';
import type { SweepPart } from '../ts/sweep/index.js';
import { networkSweeps, type NetworkCell } from './lib/networkSweeps.js';
import { betaForParticipation } from './lib/paperRank.js';
import { isMain, num, numbers, Output, printTable, readTable, seconds } from './lib/output.js';

/** The paper's values read off its Fig. 7 (see examples/data/README.md). */
const PUBLISHED = new URL('./data/prx-fig7-published.csv', import.meta.url);

export interface Fig7Row {
  /** The panel: PR^D = tanh β_D/β_D (β_D = 0: flat spectrum, PR^D = 1). */
  prD: number;
  betaD: number;
  g: number;
  gammaRho: number;
  theory: number;
  period: number;
  tail: number;
  /** Mean over the networks done and their mean standard error (NaN where none is done). */
  simulation: number;
  se: number;
  /** The paper's theory line and mean of ten networks at this point, where it has one (else NaN). */
  paperTheory: number;
  paperSimulation: number;
}

/**
 * A point against the same networks without overlaps (γ_ρ = 0, same panel and g_eff): a seed's
 * networks share their modes ℓ⁰, r⁰ across γ_ρ, and PR(γ_ρ)/PR(0) of each network cancels
 * whatever part of its scatter they share (at g_eff = 3, PR^D = 0.3, N = 5000 little: README).
 */
export interface Fig7Pair {
  prD: number;
  betaD: number;
  g: number;
  gammaRho: number;
  /** Networks done at both γ_ρ and 0. */
  networks: number;
  /** The theory's PR(γ_ρ)/PR(0). */
  theoryRatio: number;
  /** Mean over the networks of their PR(γ_ρ)/PR(0), and its standard error (NaN for one network). */
  ratio: number;
  se: number;
}

export interface Fig7Result {
  files: string[];
  rows: Fig7Row[];
  pairs: Fig7Pair[];
}

export async function run(argv: string[]): Promise<Fig7Result> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '400' },
      networks: { type: 'string', default: '1' },
      g: { type: 'string', default: '3,6,10' },
      'pr-d': { type: 'string', default: '0.3,0.8,1' },
      'beta-d': { type: 'string' },
      'gamma-rho': { type: 'string', default: '-0.6,0,0.6' },
      modes: { type: 'string', default: '64' },
      samples: { type: 'string', default: '256' },
      iterations: { type: 'string', default: '30' },
      mixing: { type: 'string', default: '0.5' },
      steps: { type: 'string', default: '1024' },
      'max-steps': { type: 'string', default: '4096' },
      'max-tail': { type: 'string', default: '0.01' },
      duration: { type: 'string', default: '300' },
      'burn-in': { type: 'string', default: '50' },
      dt: { type: 'string', default: '0.1' },
      trajectories: { type: 'string', default: '4' },
      workers: { type: 'string', default: String(Math.min(2, cpus().length)) },
      out: { type: 'string', default: 'examples/out' },
      cells: { type: 'string' },
      theory: { type: 'string' },
      prepare: { type: 'boolean' },
      draw: { type: 'boolean' },
    },
  });
  const t0 = performance.now();
  const n = num('n', values.n);
  const dt = num('dt', values.dt);
  const networks = num('networks', values.networks);
  // One panel per β_D; PR^D = 1 is the flat spectrum (β_D = 0).
  const panels =
    values['beta-d'] !== undefined
      ? numbers('beta-d', values['beta-d']).map((betaD) => ({ betaD, prD: betaD === 0 ? 1 : Math.tanh(betaD) / betaD }))
      : numbers('pr-d', values['pr-d']).map((prD) => {
          if (!(prD > 0 && prD <= 1)) throw new Error(`--pr-d: PR^D must be in (0, 1], got ${prD}`);
          return { prD, betaD: prD === 1 ? 0 : betaForParticipation(prD) };
        });
  const shape = (betaD: number): SpectrumShape => (betaD === 0 ? { kind: 'flat' } : { kind: 'exponential', beta: betaD });
  const published = readPublished();
  const points: (Omit<Fig7Row, 'simulation' | 'se'> & { fixed: SweepPart['fixed'] })[] = [];
  const maxSteps = num('max-steps', values['max-steps']);
  const maxTail = num('max-tail', values['max-tail']);
  const earlier = values.theory === undefined ? undefined : readTheory(values.theory);
  for (const { betaD, prD } of panels) {
    for (const g of numbers('g', values.g)) {
      const coarse = spectrum({ shape: shape(betaD), n: num('modes', values.modes), g });
      const full = spectrum({ shape: shape(betaD), n, g });
      for (const gammaRho of numbers('gamma-rho', values['gamma-rho'])) {
        let point: { prPhi: number; period: number; tail: number };
        if (earlier) {
          const row = earlier.get(theoryKey(betaD, g, gammaRho));
          if (!row) throw new Error(`--theory ${values.theory}: no row for β_D = ${betaD}, g_eff = ${g}, γ_ρ = ${gammaRho}`);
          point = row;
        } else {
          const overlaps = sigmoidOverlaps({ spectrum: coarse, gammaRho }).overlaps;
          // Double the single-site grid until C_φ has decayed within it (or --max-steps).
          let theory: OverlapDimension;
          let period: number;
          for (let steps = num('steps', values.steps); ; steps *= 2) {
            period = steps * 0.1;
            theory = overlapDimension({
              spectrum: coarse, overlaps,
              dmft: {
                seed: 1, phi: 'erf', dt: 0.1, steps, memory: Math.min(200, steps * 0.05), samples: num('samples', values.samples),
                iterations: num('iterations', values.iterations), mixing: num('mixing', values.mixing),
              },
            });
            if (theory.diagnostics.tail <= maxTail || steps * 2 > maxSteps) break;
          }
          point = { prPhi: theory.prPhi, period, tail: theory.diagnostics.tail };
        }
        const paper = published.get(publishedKey(prD, g, gammaRho));
        console.log(
          `theory PR^D = ${prD.toFixed(3)}, g_eff = ${g}, γ_ρ = ${gammaRho}: PR^φ/N = ${point.prPhi.toFixed(5)}` +
            `${paper ? ` (paper ${paper.theory})` : ''} (grid period ${point.period}, tail ${point.tail.toFixed(3)}, ${seconds(t0)})`,
        );
        points.push({
          prD, betaD, g, gammaRho, theory: point.prPhi, period: point.period, tail: point.tail,
          paperTheory: paper?.theory ?? NaN, paperSimulation: paper?.simulation ?? NaN,
          fixed: {
            n, connectivity: { kind: 'randomMode', spectrum: Array.from(full), overlaps: Array.from(sigmoidOverlaps({ spectrum: full, gammaRho }).overlaps) },
            phi: 'erf', dt, burnIn: num('burn-in', values['burn-in']), duration: num('duration', values.duration),
            trajectories: num('trajectories', values.trajectories), workers: num('workers', values.workers), precision: n < 2048 ? 'f64' : 'f32',
          },
        });
      }
    }
  }
  // Cell p of each network's sweep is point p; network k has seed 300 + k.
  const done = await networkSweeps(
    {
      name: `paper-fig7-n${n}`, cells: values.cells ?? join(values.out, `paper-fig7-n${n}-cells`), networks, firstSeed: 300,
      parts: (seed) => points.map((p) => ({ job: 'large' as const, seeds: { from: seed, count: 1 }, fixed: p.fixed })),
    },
    values.prepare ? 'prepare' : values.draw ? 'draw' : 'run',
  );
  if (values.prepare) return { files: [], rows: [], pairs: [] };
  // Every point has its theory; simulation and se are NaN where no network is done.
  const rows: Fig7Row[] = points.map(({ fixed: _, ...p }, k) => {
    const mine = done.filter((c) => c.point === k);
    const mean = (f: string) => mine.reduce((sum, c) => sum + (c.row[f] as number), 0) / mine.length;
    return { ...p, simulation: mean('prPhi'), se: mean('prPhiSe') };
  });
  const simulated = rows.filter((r) => !Number.isNaN(r.simulation));
  const out = new Output(values.out);
  const panel = (r: Fig7Row) => [r.prD, r.betaD, r.g, r.gammaRho];
  const blank = (v: number) => (Number.isNaN(v) ? '' : v);
  out.csv(
    'paper-fig7-theory.csv',
    ['pr_d', 'beta_d', 'g_eff', 'gamma_rho', 'prPhi_over_N', 'grid_period', 'tail', 'paper_prPhi_over_N'],
    rows.map((r) => [...panel(r), r.theory, r.period, r.tail, blank(r.paperTheory)]),
  );
  out.csv(
    'paper-fig7-simulation.csv',
    ['pr_d', 'beta_d', 'g_eff', 'gamma_rho', 'prPhi_over_N', 'se', 'paper_prPhi_over_N'],
    simulated.map((r) => [...panel(r), r.simulation, r.se, blank(r.paperSimulation)]),
  );
  // One row per network: how far single networks scatter around their mean.
  out.csv(
    'paper-fig7-networks.csv',
    ['pr_d', 'beta_d', 'g_eff', 'gamma_rho', 'network', 'prPhi_over_N', 'se', 'delta0'],
    [...done].sort((a, b) => a.point - b.point || a.network - b.network).map((c) => {
      const p = points[c.point]!;
      return [p.prD, p.betaD, p.g, p.gammaRho, c.network + 1, c.row.prPhi as number, c.row.prPhiSe as number, c.row.delta0 as number];
    }),
  );
  const pairs = pairsWithoutOverlaps(rows, done);
  if (pairs.length > 0) {
    out.csv(
      'paper-fig7-paired.csv',
      ['pr_d', 'beta_d', 'g_eff', 'gamma_rho', 'networks', 'theory_ratio', 'simulation_ratio', 'se', 'simulation_over_theory'],
      pairs.map((p) => [p.prD, p.betaD, p.g, p.gammaRho, p.networks, p.theoryRatio, p.ratio, blank(p.se), p.ratio / p.theoryRatio]),
    );
  }
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const light = ['#9ecae1', '#fc9272', '#a1d99b', '#bcbddc'];
  const plots: PlotOptions[] = panels.flatMap(({ betaD, prD }) => {
    const inPanel = rows.filter((r) => r.betaD === betaD);
    if (inPanel.length === 0) return [];
    const series: Series[] = [];
    [...new Set(inPanel.map((r) => r.g))].forEach((g, k) => {
      const part = inPanel.filter((r) => r.g === g);
      series.push({ label: `theory g_eff = ${g}`, x: part.map((r) => r.gammaRho), y: part.map((r) => r.theory), color: palette[k % 4]! });
      const sim = part.filter((r) => !Number.isNaN(r.simulation));
      if (sim.length > 0) series.push({ label: `sim N=${n} g_eff = ${g}`, x: sim.map((r) => r.gammaRho), y: sim.map((r) => r.simulation), color: palette[k % 4]!, style: 'points' });
      const paper = part.filter((r) => !Number.isNaN(r.paperSimulation));
      if (paper.length > 0) {
        series.push({ label: `paper, 10 nets, g_eff = ${g}`, x: paper.map((r) => r.gammaRho), y: paper.map((r) => r.paperSimulation), color: light[k % 4]!, style: 'points' });
      }
    });
    const open = inPanel.filter((r) => r.tail > maxTail);
    if (open.length > 0) {
      series.push({ label: `theory, C_φ not decayed within the grid (tail > ${maxTail})`, x: open.map((r) => r.gammaRho), y: open.map((r) => r.theory), color: '#999999', style: 'points' });
    }
    return [{ title: `PRX Fig. 7: mode overlaps, PR^D = ${Number(prD.toFixed(3))}`, xLabel: 'γ_ρ', yLabel: 'PR^φ/N', series }];
  });
  out.svgPanels('paper-fig7.svg', plots);
  const fixed = (v: number, digits: number) => (Number.isNaN(v) ? '—' : v.toFixed(digits));
  printTable([
    ['PR^D', 'g_eff', 'γ_ρ', 'theory', 'paper', 'grid T', 'tail', 'simulation ± se', 'paper', 'sim/theory'],
    ...rows.map((r) => [
      r.prD.toFixed(3), String(r.g), r.gammaRho.toFixed(2), r.theory.toFixed(4), fixed(r.paperTheory, 4), r.period.toFixed(0), r.tail.toFixed(3),
      Number.isNaN(r.simulation) ? '—' : `${r.simulation.toFixed(4)} ± ${r.se.toFixed(4)}`, fixed(r.paperSimulation, 4), fixed(r.simulation / r.theory, 2),
    ]),
  ]);
  if (pairs.length > 0) {
    console.log('\nagainst the same networks at γ_ρ = 0: PR(γ_ρ)/PR(0)');
    printTable([
      ['PR^D', 'g_eff', 'γ_ρ', 'networks', 'theory', 'simulation ± se', 'sim/theory'],
      ...pairs.map((p) => [
        p.prD.toFixed(3), String(p.g), p.gammaRho.toFixed(2), String(p.networks), p.theoryRatio.toFixed(3),
        `${p.ratio.toFixed(3)} ± ${fixed(p.se, 3)}`, (p.ratio / p.theoryRatio).toFixed(2),
      ]),
    ]);
  }
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, rows, pairs };
}

/** Each point with γ_ρ ≠ 0 against γ_ρ = 0 of its panel and g_eff, over the networks done at both. */
function pairsWithoutOverlaps(rows: Fig7Row[], done: NetworkCell[]): Fig7Pair[] {
  const value = (point: number, network: number) => done.find((c) => c.point === point && c.network === network)?.row.prPhi as number | undefined;
  return rows.flatMap((r, k) => {
    const base = rows.findIndex((b) => b.betaD === r.betaD && b.g === r.g && b.gammaRho === 0);
    if (r.gammaRho === 0 || base < 0) return [];
    const ratios = done
      .filter((c) => c.point === k)
      .map((c) => [c.row.prPhi as number, value(base, c.network)] as const)
      .flatMap(([with_, without]) => (without === undefined ? [] : [with_ / without]));
    if (ratios.length === 0) return [];
    const m = ratios.length;
    const ratio = ratios.reduce((a, b) => a + b, 0) / m;
    const se = m < 2 ? NaN : Math.sqrt(ratios.reduce((a, b) => a + (b - ratio) ** 2, 0) / (m * (m - 1)));
    return [{ prD: r.prD, betaD: r.betaD, g: r.g, gammaRho: r.gammaRho, networks: m, theoryRatio: r.theory / rows[base]!.theory, ratio, se }];
  });
}

const theoryKey = (betaD: number, g: number, gammaRho: number) => `${betaD},${g},${gammaRho}`;
const publishedKey = (prD: number, g: number, gammaRho: number) => `${Number(prD.toFixed(6))},${g},${gammaRho}`;

/** The rows of a `paper-fig7-theory.csv` by β_D, g_eff and γ_ρ: PR^φ/N, grid period and tail. */
function readTheory(file: string): Map<string, { prPhi: number; period: number; tail: number }> {
  return new Map(
    readTable(file, 'pr_d,beta_d,g_eff,gamma_rho,prPhi_over_N,grid_period,tail').map((cells) => {
      const [, betaD, g, gammaRho, prPhi, period, tail] = cells.map(Number) as number[];
      return [theoryKey(betaD!, g!, gammaRho!), { prPhi: prPhi!, period: period!, tail: tail! }];
    }),
  );
}

/** The paper's theory line and ten-network mean by PR^D, g_eff and γ_ρ. */
function readPublished(): Map<string, { theory: number; simulation: number }> {
  return new Map(
    readTable(PUBLISHED, 'pr_d,g_eff,gamma_rho,theory,simulation').map((cells) => {
      const [prD, g, gammaRho, theory, simulation] = cells.map(Number) as number[];
      return [publishedKey(prD!, g!, gammaRho!), { theory: theory!, simulation: simulation! }];
    }),
  );
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
