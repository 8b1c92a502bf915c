/**
 * Why finite-N simulations sit above the large-N dimension formula: the quenched prediction for
 * the very matrix simulated (`predictActivity`, the linear-equivalent network) against the
 * simulation of that matrix and against the large-N formula, on the same sampled networks.
 *
 * Cases (tanh, g = 2, no noise):
 * - `iid`: iid couplings; large-N formula `dimension({ g: 2 })`;
 * - `rmm1`: random-mode, flat spectrum with P = N (γ = 1);
 * - `rmm3.9`: random-mode, exponential spectrum β = 3.9 (γ ≈ 3.9);
 * - `overlap`: random-mode, exponential spectrum β = 2 with the sigmoidal overlap profile
 *   γ_ρ = −0.25 of PRX 15, 041019 (2025), Eq. (K35); large-N column: Eq. (51) (`overlapDimension`);
 *   the prediction takes its single site from the same overlap DMFT (`singleSite`).
 * The networks are those of `examples/large-n.ts` (`iidGaussian` / `randomMode` with the run's
 * seed, which the large-N engine reproduces bit for bit), so with `--reuse` the simulations
 * already in docs/large-n.csv are used instead of new runs.
 *
 *   npx tsx examples/quenched-table.ts                                   # N = 1000, seeds 1, 2
 *   npx tsx examples/quenched-table.ts --sizes 2048 --cases iid,rmm3.9 --reuse
 *
 * Writes one row per network to `quenched-table.csv` in --out (default docs/), replacing an earlier
 * row of the same case, N and seed; with --reuse the simulations come from docs/large-n.csv or
 * from that earlier row. Each row has the prediction at the matrix's gain and at the
 * self-consistent gain (`selfConsistent`; not for the overlap case).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  dimension,
  eigenvalues,
  iidGaussian,
  NoSolutionError,
  overlapDimension,
  predictActivity,
  randomMode,
  sigmoidOverlaps,
  simulateLarge,
  solveDMFT,
  solveOverlapDMFT,
  spectrum,
  type Matrix,
  type OverlapDMFTSolution,
} from '../ts/index.js';
import { isMain, num, numbers, Output, printTable } from './lib/output.js';

interface Network {
  J: Matrix;
  gamma: number;
}

const G = 2;

/** The sampled network of a case, and the large-N formula's PR^x/N, PR^φ/N at its γ. */
const CASES: Record<string, { build(n: number, seed: number): Network; largeN(net: Network): { prX: number; prPhi: number }; site?(): OverlapDMFTSolution }> = {
  iid: {
    build: (n, seed) => ({ J: iidGaussian({ n, g: G, seed }), gamma: 0 }),
    largeN: () => dimension({ g: G }),
  },
  rmm1: {
    build: (n, seed) => randomMode({ n, spectrum: { shape: { kind: 'flat' }, g: G }, seed }),
    largeN: (net) => dimension({ g: G, gamma: net.gamma }),
  },
  'rmm3.9': {
    build: (n, seed) => randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: G }, seed }),
    largeN: (net) => dimension({ g: G, gamma: net.gamma }),
  },
  overlap: {
    build: (n, seed) => {
      const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n, g: G });
      return randomMode({ n, spectrum: d, overlaps: sigmoidOverlaps({ spectrum: d, gammaRho: -0.25 }).overlaps, seed });
    },
    // Eq. (51) on 128 modes carrying the same profile (the DMFT is sampled: about ±5 %).
    largeN: () => ({ prX: Number.NaN, prPhi: overlapDimension(overlapTheory()).prPhi }),
    site: () => overlapTheory().solution,
  },
};

let overlapSite: { spectrum: Float64Array; overlaps: Float64Array; solution: OverlapDMFTSolution } | undefined;

/** The overlap case's mean-field solution (computed once). */
function overlapTheory(): { spectrum: Float64Array; overlaps: Float64Array; solution: OverlapDMFTSolution } {
  if (!overlapSite) {
    const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 128, g: G });
    const { overlaps } = sigmoidOverlaps({ spectrum: d, gammaRho: -0.25 });
    overlapSite = { spectrum: d, overlaps, solution: solveOverlapDMFT({ spectrum: d, overlaps, seed: 1 }) };
  }
  return overlapSite;
}

export const HEADER = [
  'case', 'n', 'seed', 'gamma', 'simPrX', 'simPrXSe', 'simPrPhi', 'simPrPhiSe', 'simVar', 'quenchedPrX', 'quenchedPrPhi',
  'quenchedVar', 'stability', 'largeNPrX', 'largeNPrPhi', 'quenchedSeconds', 'selfConsistentG', 'selfConsistentPrX',
  'selfConsistentPrPhi', 'selfConsistentVar', 'selfConsistentStability', 'selfConsistentSeconds',
] as const;

export interface Row {
  case: string;
  n: number;
  seed: number;
  gamma: number;
  sim: { prX: number; prXSe: number; prPhi: number; prPhiSe: number; variance: number };
  quenched: { prX: number; prPhi: number; variance: number; stability: number; seconds: number };
  selfConsistent: { g: number; prX: number; prPhi: number; variance: number; stability: number; seconds: number };
  largeN: { prX: number; prPhi: number };
}

/** The rows of an earlier table by `case,n,seed`, as column → value. */
function earlierRows(file: string): Map<string, Map<string, string>> {
  const rows = new Map<string, Map<string, string>>();
  if (!existsSync(file)) return rows;
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  for (const line of lines) {
    const cells = line.split(',');
    rows.set(cells.slice(0, 3).join(','), new Map(cols.map((c, i) => [c, cells[i] ?? ''])));
  }
  return rows;
}

/** The simulation recorded in an earlier row of the table. */
function fromRow(row: Map<string, string> | undefined): Row['sim'] | undefined {
  if (!row || !row.has('simPrX')) return undefined;
  const v = (k: string) => Number(row.get(k));
  return { prX: v('simPrX'), prXSe: v('simPrXSe'), prPhi: v('simPrPhi'), prPhiSe: v('simPrPhiSe'), variance: v('simVar') };
}

/** The simulation of docs/large-n.csv for (case, n, seed), if there is one. */
function reused(file: string, name: string, n: number, seed: number): Row['sim'] | undefined {
  if (!existsSync(file)) return undefined;
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const at = (cells: string[], key: string) => Number(cells[cols.indexOf(key)]);
  const hit = lines.map((l) => l.split(',')).find((c) => c[0] === name && Number(c[1]) === n && Number(c[2]) === seed);
  return hit && { prX: at(hit, 'prX'), prXSe: at(hit, 'prXSe'), prPhi: at(hit, 'prPhi'), prPhiSe: at(hit, 'prPhiSe'), variance: at(hit, 'delta0') };
}

/** The prediction at the self-consistent gain, or NaN where there is none. */
function selfConsistent(J: Matrix): Row['selfConsistent'] {
  const t0 = performance.now();
  try {
    const p = predictActivity({ J, phi: 'tanh', selfConsistent: true });
    return { g: p.g, prX: p.prX, prPhi: p.prPhi, variance: p.varianceX, stability: p.stability, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    if (!(e instanceof NoSolutionError)) throw e;
    return { g: Number.NaN, prX: Number.NaN, prPhi: Number.NaN, variance: Number.NaN, stability: Number.NaN, seconds: (performance.now() - t0) / 1000 };
  }
}

/** The prediction, or NaN with the stability margin when the linear equivalent is unstable. */
function quenched(J: Matrix, site?: OverlapDMFTSolution): { prX: number; prPhi: number; varianceX: number; stability: number } {
  try {
    return predictActivity({ J, phi: 'tanh', ...(site ? { singleSite: site } : {}) });
  } catch (e) {
    if (!(e instanceof NoSolutionError)) throw e;
    const edge = Math.max(...eigenvalues(J).re);
    // (with an overlap single site the iid slope is only indicative)
    const a = solveDMFT({ g: Math.sqrt(J.data.reduce((s, v) => s + v * v, 0) / J.rows) }).meanSlope;
    return { prX: Number.NaN, prPhi: Number.NaN, varianceX: Number.NaN, stability: a * edge };
  }
}

export async function run(argv: string[]): Promise<{ rows: Row[]; files: string[] }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1000' },
      seeds: { type: 'string', default: '1,2' },
      cases: { type: 'string', default: 'iid,rmm1,rmm3.9,overlap' },
      trajectories: { type: 'string', default: '8' },
      duration: { type: 'string', default: '200' },
      burnIn: { type: 'string', default: '50' },
      reuse: { type: 'boolean', default: false },
      out: { type: 'string', default: 'docs' },
    },
  });
  const out = new Output(values.out);
  const file = join(values.out, 'quenched-table.csv');
  const table = earlierRows(file);
  const rows: Row[] = [];
  const names = values.cases.split(',');
  for (const name of names) if (!(name in CASES)) throw new Error(`--cases: unknown case '${name}' (${Object.keys(CASES).join(', ')})`);
  for (const n of numbers('sizes', values.sizes)) {
    for (const seed of numbers('seeds', values.seeds)) {
      for (const name of names) {
        const c = CASES[name]!;
        const net = c.build(n, seed);
        const site = c.site?.();
        const t0 = performance.now();
        const q = quenched(net.J, site);
        const seconds = (performance.now() - t0) / 1000;
        const nan = { g: Number.NaN, prX: Number.NaN, prPhi: Number.NaN, variance: Number.NaN, stability: Number.NaN, seconds: 0 };
        const sc = site ? nan : selfConsistent(net.J);
        const key = `${name},${n},${seed}`;
        const before = table.get(key);
        let sim = values.reuse ? (reused(join('docs', 'large-n.csv'), name, n, seed) ?? fromRow(before)) : undefined;
        if (!sim) {
          const s = await simulateLarge({
            n, connectivity: { kind: 'matrix', J: net.J.data }, phi: 'tanh', seed, trajectories: num('trajectories', values.trajectories),
            burnIn: num('burnIn', values.burnIn), duration: num('duration', values.duration), dt: 0.05, precision: n <= 2048 ? 'f64' : 'f32',
          });
          sim = { prX: s.prX, prXSe: s.prXSe, prPhi: s.prPhi, prPhiSe: s.prPhiSe, variance: s.delta0 };
        }
        const row: Row = {
          case: name, n, seed, gamma: net.gamma, sim,
          quenched: { prX: q.prX, prPhi: q.prPhi, variance: q.varianceX, stability: q.stability, seconds },
          selfConsistent: sc,
          largeN: c.largeN(net),
        };
        rows.push(row);
        const cells = [
          name, n, seed, net.gamma, sim.prX, sim.prXSe, sim.prPhi, sim.prPhiSe, sim.variance, q.prX, q.prPhi, q.varianceX, q.stability,
          row.largeN.prX, row.largeN.prPhi, seconds, sc.g, sc.prX, sc.prPhi, sc.variance, sc.stability, sc.seconds,
        ];
        table.set(key, new Map(HEADER.map((h, i) => [h, String(cells[i])])));
        writeFileSync(file, [HEADER.join(','), ...[...table.values()].map((r) => HEADER.map((h) => r.get(h) ?? 'NaN').join(','))].join('\n') + '\n');
        console.log(`${name} N=${n} seed ${seed}: done (prediction ${seconds.toFixed(1)} s, self-consistent ${sc.seconds.toFixed(1)} s)`);
      }
    }
  }
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '—');
  printTable([
    ['case', 'N', 'seed', 'sim PR^x/N', 'quenched', 'self-consistent', 'large-N', 'sim PR^φ/N', 'quenched', 'self-consistent', 'large-N', 'max Re aλ'],
    ...rows.map((r) => [
      r.case, String(r.n), String(r.seed), `${f(r.sim.prX)} ± ${f(r.sim.prXSe)}`, f(r.quenched.prX), f(r.selfConsistent.prX), f(r.largeN.prX),
      `${f(r.sim.prPhi)} ± ${f(r.sim.prPhiSe)}`, f(r.quenched.prPhi), f(r.selfConsistent.prPhi), f(r.largeN.prPhi), r.quenched.stability.toFixed(3),
    ]),
  ]);
  return { rows, files: [...out.files, file] };
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
