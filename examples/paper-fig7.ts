/**
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Fig. 7: dimension of
 * activity against the overlap amplitude γ_ρ of the sigmoidal profile (Eq. K35, β_ρ = 16,
 * ⟨Dρ⟩ = 0), α = 1, D_a ∝ exp(−β_D a/M), φ = erf(√π x/2), g_eff = 3, 6, 10.
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
 *   npx tsx examples/paper-fig7.ts --n 5000 --networks 10 --samples 1024 --iterations 60 --max-steps 4096 --dt 0.05 --gamma-rho=-0.8,-0.4,0,0.4,0.8
 *
 * Writes paper-fig7.svg, paper-fig7-theory.csv (with the grid period and tail of each point),
 * paper-fig7-simulation.csv (means over the networks) and paper-fig7-networks.csv (each
 * network's PR^φ/N, its standard error and Δ0) to --out (default examples/out).
 * The networks are sweeps, one result folder per network under --cells (default
 * <out>/paper-fig7-n<N>-cells; see examples/lib/networkSweeps.ts): an interrupted run resumes,
 * --prepare writes the folders for a Slurm cluster to fill, --draw draws from what is done.
 * The theory takes most of the time at the paper's settings (≈ 35 min for 15 points on 2 cores);
 * --theory <file> reuses the paper-fig7-theory.csv of an earlier run with the same theory options
 * instead (every g_eff, γ_ρ asked for must be in it), e.g. to add networks to the committed run:
 *   npx tsx examples/paper-fig7.ts --n 5000 --networks 3 --workers 2 --dt 0.05 --duration 200 --gamma-rho=-0.8,-0.4,0,0.4,0.8 --cells docs/runs/paper-fig7-n5000 --theory docs/paper-fig7-theory.csv
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { overlapDimension, sigmoidOverlaps, spectrum, type OverlapDimension, type Series } from '../ts/index.js';
import type { SweepPart } from '../ts/sweep/index.js';
import { networkSweeps } from './lib/networkSweeps.js';
import { isMain, num, numbers, Output, printTable, seconds } from './lib/output.js';

export interface Fig7Result {
  files: string[];
  rows: { g: number; gammaRho: number; theory: number; period: number; tail: number; simulation: number; se: number }[];
}

export async function run(argv: string[]): Promise<Fig7Result> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '400' },
      networks: { type: 'string', default: '1' },
      g: { type: 'string', default: '3,6,10' },
      'beta-d': { type: 'string', default: '2' },
      'gamma-rho': { type: 'string', default: '-0.5,0,0.5' },
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
  const betaD = num('beta-d', values['beta-d']);
  const dt = num('dt', values.dt);
  const networks = num('networks', values.networks);
  const points: { g: number; gammaRho: number; theory: number; period: number; tail: number; fixed: SweepPart['fixed'] }[] = [];
  const maxSteps = num('max-steps', values['max-steps']);
  const maxTail = num('max-tail', values['max-tail']);
  const earlier = values.theory === undefined ? undefined : readTheory(values.theory);
  for (const g of numbers('g', values.g)) {
    const coarse = spectrum({ shape: { kind: 'exponential', beta: betaD }, n: num('modes', values.modes), g });
    const full = spectrum({ shape: { kind: 'exponential', beta: betaD }, n, g });
    for (const gammaRho of numbers('gamma-rho', values['gamma-rho'])) {
      let point: { prPhi: number; period: number; tail: number };
      if (earlier) {
        const row = earlier.get(`${g},${gammaRho}`);
        if (!row) throw new Error(`--theory ${values.theory}: no row for g_eff = ${g}, γ_ρ = ${gammaRho}`);
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
      console.log(`theory g_eff = ${g}, γ_ρ = ${gammaRho}: PR^φ/N = ${point.prPhi.toFixed(5)} (grid period ${point.period}, tail ${point.tail.toFixed(3)}, ${seconds(t0)})`);
      points.push({
        g, gammaRho, theory: point.prPhi, period: point.period, tail: point.tail,
        fixed: {
          n, connectivity: { kind: 'randomMode', spectrum: Array.from(full), overlaps: Array.from(sigmoidOverlaps({ spectrum: full, gammaRho }).overlaps) },
          phi: 'erf', dt, burnIn: num('burn-in', values['burn-in']), duration: num('duration', values.duration),
          trajectories: num('trajectories', values.trajectories), workers: num('workers', values.workers), precision: n < 2048 ? 'f64' : 'f32',
        },
      });
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
  if (values.prepare) return { files: [], rows: [] };
  const rows: Fig7Result['rows'] = points.flatMap((p, k) => {
    const mine = done.filter((c) => c.point === k);
    if (mine.length === 0) return [];
    const mean = (f: string) => mine.reduce((sum, c) => sum + (c.row[f] as number), 0) / mine.length;
    return [{ g: p.g, gammaRho: p.gammaRho, theory: p.theory, period: p.period, tail: p.tail, simulation: mean('prPhi'), se: mean('prPhiSe') }];
  });
  const out = new Output(values.out);
  out.csv('paper-fig7-theory.csv', ['g_eff', 'gamma_rho', 'prPhi_over_N', 'grid_period', 'tail'], rows.map((r) => [r.g, r.gammaRho, r.theory, r.period, r.tail]));
  out.csv('paper-fig7-simulation.csv', ['g_eff', 'gamma_rho', 'prPhi_over_N', 'se'], rows.map((r) => [r.g, r.gammaRho, r.simulation, r.se]));
  // One row per network: how far single networks scatter around their mean.
  out.csv(
    'paper-fig7-networks.csv',
    ['g_eff', 'gamma_rho', 'network', 'prPhi_over_N', 'se', 'delta0'],
    [...done].sort((a, b) => a.point - b.point || a.network - b.network).map((c) => {
      const p = points[c.point]!;
      return [p.g, p.gammaRho, c.network + 1, c.row.prPhi as number, c.row.prPhiSe as number, c.row.delta0 as number];
    }),
  );
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const series: Series[] = [];
  [...new Set(rows.map((r) => r.g))].forEach((g, k) => {
    const part = rows.filter((r) => r.g === g);
    series.push({ label: `theory g_eff = ${g}`, x: part.map((r) => r.gammaRho), y: part.map((r) => r.theory), color: palette[k % 4]! });
    series.push({ label: `sim N=${n} g_eff = ${g}`, x: part.map((r) => r.gammaRho), y: part.map((r) => r.simulation), color: palette[k % 4]!, style: 'points' });
  });
  const open = rows.filter((r) => r.tail > maxTail);
  if (open.length > 0) {
    series.push({ label: `theory, C_φ not decayed within the grid (tail > ${maxTail})`, x: open.map((r) => r.gammaRho), y: open.map((r) => r.theory), color: '#999999', style: 'points' });
  }
  out.svg('paper-fig7.svg', { title: 'PRX Fig. 7: mode overlaps', xLabel: 'γ_ρ', yLabel: 'PR^φ/N', series });
  printTable([
    ['g_eff', 'γ_ρ', 'theory', 'grid T', 'tail', 'simulation ± se', 'sim/theory'],
    ...rows.map((r) => [
      String(r.g), r.gammaRho.toFixed(2), r.theory.toFixed(4), r.period.toFixed(0), r.tail.toFixed(3),
      `${r.simulation.toFixed(4)} ± ${r.se.toFixed(4)}`, (r.simulation / r.theory).toFixed(2),
    ]),
  ]);
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, rows };
}

/** The rows of a `paper-fig7-theory.csv` by "g_eff,γ_ρ": PR^φ/N, grid period and tail. */
function readTheory(file: string): Map<string, { prPhi: number; period: number; tail: number }> {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (header !== 'g_eff,gamma_rho,prPhi_over_N,grid_period,tail') throw new Error(`--theory ${file}: not a paper-fig7-theory.csv`);
  return new Map(
    lines.map((line) => {
      const [g, gammaRho, prPhi, period, tail] = line.split(',').map(Number) as [number, number, number, number, number];
      return [`${g},${gammaRho}`, { prPhi, period, tail }];
    }),
  );
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
