/**
 * Theory against large-N simulation: does the simulated dimension of activity converge to the
 * mean-field formula as N grows?
 *
 * Cases (tanh unless stated; RK4 dt 0.1, f32, B trajectories of one network per point):
 * - `iid`: iid couplings, g = 2 — PR^x/N, PR^φ/N [PRL 131, 118401 (2023)]; the authors' own
 *   N = 16384 simulation (0.01549 ± 0.00014, 0.01924; var x 1.9283) is printed beside it;
 * - `rmm3.9`: random-mode, exponential spectrum β = 3.9 (γ = N/PR^D ≈ 3.9), g = 2;
 * - `rmm1`: random-mode, flat spectrum with P = N (γ = 1), g = 2;
 * - `paper`: the published paper's regime (PRX 15, 041019, Fig. 4): φ = erf(√π x/2), g_eff = 3,
 *   exponential spectrum with effective rank αPR_D = 0.25 (γ = 4), at N = 5000 only.
 * Theory: `dimension(...)` (`vsRank` at each network's own γ) and `solveDMFT(...).delta0`.
 *
 *   npx tsx examples/large-n.ts                                   # all cases (about 40 min on 2 cores)
 *   npx tsx examples/large-n.ts --cases iid --sizes 2048 --trajectories 8 --duration 100
 *   npx tsx examples/large-n.ts --plot-only                       # redraw from the CSV
 *
 * Each finished run is appended to `large-n.csv` in --out (default docs/), so an interrupted
 * sweep keeps what it measured; the SVG `large-n.svg` plots PR/N against 1/√N with the theory at 0.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dimension, effectiveRank, simulateLarge, solveDMFT, spectrum, type LargeConnectivity, type Series } from '../ts/index.js';
import { isMain, num, numbers, Output, printTable } from './lib/output.js';

interface Case {
  name: string;
  phi: 'tanh' | 'erf';
  g: number;
  connectivity(n: number): LargeConnectivity;
  gamma(n: number): number;
}

const EXP_39 = { kind: 'exponential' as const, beta: 3.9 };
/** β with tanh(β)/β = 0.25: αPR_D = 0.25 at α = 1. */
const EXP_PAPER = { kind: 'exponential' as const, beta: 3.99730 };

function gammaOf(shape: Parameters<typeof spectrum>[0]['shape'], n: number, g: number): number {
  return n / effectiveRank(spectrum({ shape, n, g }));
}

export const CASES: Record<string, Case> = {
  iid: { name: 'iid', phi: 'tanh', g: 2, connectivity: () => ({ kind: 'iid', g: 2 }), gamma: () => 0 },
  'rmm3.9': {
    name: 'rmm3.9',
    phi: 'tanh',
    g: 2,
    connectivity: () => ({ kind: 'randomMode', spectrum: { shape: EXP_39, g: 2 } }),
    gamma: (n) => gammaOf(EXP_39, n, 2),
  },
  rmm1: {
    name: 'rmm1',
    phi: 'tanh',
    g: 2,
    connectivity: () => ({ kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g: 2 } }),
    gamma: (n) => gammaOf({ kind: 'flat' }, n, 2),
  },
  paper: {
    name: 'paper',
    phi: 'erf',
    g: 3,
    connectivity: () => ({ kind: 'randomMode', spectrum: { shape: EXP_PAPER, g: 3 } }),
    gamma: (n) => gammaOf(EXP_PAPER, n, 3),
  },
};

const HEADER = [
  'case', 'n', 'seed', 'gamma', 'trajectories', 'duration', 'delta0', 'delta0Se', 'delta0Theory', 'prX', 'prXSe', 'prXTheory',
  'prPhi', 'prPhiSe', 'prPhiTheory', 'prXNaive', 'seconds', 'stepsPerSecond',
] as const;

/** Theory of one case at one γ: Δ0, PR^x/N, PR^φ/N. */
export function theory(c: Case, gamma: number): { delta0: number; prX: number; prPhi: number } {
  const d = dimension({ g: c.g, phi: c.phi });
  const r = gamma > 0 ? d.vsRank(Float64Array.of(gamma)) : { prX: Float64Array.of(d.prX), prPhi: Float64Array.of(d.prPhi) };
  return { delta0: solveDMFT({ g: c.g, phi: c.phi }).delta0, prX: r.prX[0]!, prPhi: r.prPhi[0]! };
}

/** One simulation of one case: a CSV row. */
export async function runCase(c: Case, n: number, seed: number, o: { trajectories: number; burnIn: number; duration: number; workers: number }) {
  const gamma = c.gamma(n);
  const th = theory(c, gamma);
  const r = await simulateLarge({
    n, connectivity: c.connectivity(n), phi: c.phi, seed, trajectories: o.trajectories, burnIn: o.burnIn,
    duration: o.duration, workers: o.workers, precision: 'f32',
  });
  return [
    c.name, n, seed, gamma, o.trajectories, o.duration, r.delta0, r.delta0Se, th.delta0, r.prX, r.prXSe, th.prX,
    r.prPhi, r.prPhiSe, th.prPhi, r.x.prNaive, r.timings.total / 1000, r.trajectoryStepsPerSecond,
  ] as (string | number)[];
}

/** Mean and standard deviation of column `col` over the rows of one case and size (one row per network). */
export function summarise(rows: string[][]): { name: string; n: number; networks: number; mean: (col: number) => number; sd: (col: number) => number }[] {
  const keys = [...new Set(rows.map((r) => `${r[0]}|${r[1]}`))];
  return keys.map((key) => {
    const mine = rows.filter((r) => `${r[0]}|${r[1]}` === key);
    const values = (col: number) => mine.map((r) => Number(r[col]));
    const mean = (col: number) => values(col).reduce((a, b) => a + b, 0) / mine.length;
    const sd = (col: number) => (mine.length < 2 ? NaN : Math.sqrt(values(col).reduce((a, v) => a + (v - mean(col)) ** 2, 0) / (mine.length - 1)));
    return { name: mine[0]![0]!, n: Number(mine[0]![1]), networks: mine.length, mean, sd };
  });
}

/** PR^x/N ÷ theory against 1/√N: each network, the mean per size, and the theory at 1. */
function plot(out: Output, rows: string[][]): void {
  const colors: Record<string, string> = { iid: '#1f77b4', 'rmm3.9': '#d62728', rmm1: '#2ca02c', paper: '#9467bd' };
  const series: Series[] = [];
  const groups = summarise(rows);
  let xMax = 0;
  for (const name of Object.keys(CASES)) {
    const mine = rows.filter((r) => r[0] === name);
    if (mine.length === 0) continue;
    const x = mine.map((r) => 1 / Math.sqrt(Number(r[1])));
    xMax = Math.max(xMax, ...x);
    series.push({ label: `${name}`, x, y: mine.map((r) => Number(r[9]) / Number(r[11])), color: colors[name]!, style: 'points' });
    const means = groups.filter((gr) => gr.name === name).sort((a, b) => a.n - b.n);
    series.push({ label: `${name} mean`, x: means.map((gr) => 1 / Math.sqrt(gr.n)), y: means.map((gr) => gr.mean(9) / gr.mean(11)), color: colors[name]!, style: 'line' });
  }
  series.push({ label: 'theory (N → ∞)', x: [0, xMax], y: [1, 1], color: '#222', style: 'line' });
  out.svg('large-n.svg', { series, title: 'Simulated PR^x/N ÷ mean-field theory', xLabel: '1/√N', yLabel: 'PR^x/N ÷ theory' });
}

/** Runs the cases in `argv` (see the header), appends to the CSV and redraws the plot. */
export async function run(argv: string[]): Promise<{ files: string[]; rows: string[][] }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: 'iid,rmm3.9,rmm1,paper' },
      sizes: { type: 'string', default: '8192,4096,2048' },
      seeds: { type: 'string', default: '1' },
      trajectories: { type: 'string', default: '16' },
      burnIn: { type: 'string', default: '50' },
      duration: { type: 'string', default: '200' },
      workers: { type: 'string', default: String(cpus().length) },
      out: { type: 'string', default: 'docs' },
      'plot-only': { type: 'boolean', default: false },
    },
  });
  const out = new Output(values.out);
  const csv = join(values.out, 'large-n.csv');
  if (!values['plot-only']) {
    if (!existsSync(csv)) appendFileSync(csv, HEADER.join(',') + '\n');
    const o = { trajectories: num('trajectories', values.trajectories), burnIn: num('burnIn', values.burnIn), duration: num('duration', values.duration), workers: num('workers', values.workers) };
    console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, ${o.workers} workers, Node ${process.version}`);
    for (const name of values.cases.split(',')) {
      const c = CASES[name];
      if (!c) throw new Error(`--cases: unknown case '${name}' (known: ${Object.keys(CASES).join(', ')})`);
      const sizes = name === 'paper' ? [5000] : numbers('sizes', values.sizes);
      for (const n of sizes) {
        for (const seed of numbers('seeds', values.seeds)) {
          const row = await runCase(c, n, seed, o);
          appendFileSync(csv, row.join(',') + '\n');
          console.log(`${name} N=${n} seed=${seed}: PR^x/N ${Number(row[9]).toFixed(5)} ± ${Number(row[10]).toFixed(5)} (theory ${Number(row[11]).toFixed(5)}), Δ0 ${Number(row[6]).toFixed(3)} (theory ${Number(row[8]).toFixed(3)}), ${Number(row[16]).toFixed(0)} s`);
        }
      }
    }
  }
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  plot(out, rows);
  const f = (v: string | undefined, d: number) => Number(v).toFixed(d);
  console.log('One row per network (± jackknife standard error over trajectory groups):');
  printTable([
    ['case', 'N', 'seed', 'γ', 'Δ0 sim', 'Δ0 theory', 'PR^x/N sim', 'theory', 'sim/theory', 'PR^φ/N sim', 'theory', 'sim/theory'],
    ...rows.map((r) => [
      r[0]!, r[1]!, r[2]!, f(r[3], 2), `${f(r[6], 3)} ± ${f(r[7], 3)}`, f(r[8], 3), `${f(r[9], 5)} ± ${f(r[10], 5)}`, f(r[11], 5),
      `${(Number(r[9]) / Number(r[11])).toFixed(2)} ± ${(Number(r[10]) / Number(r[11])).toFixed(2)}`,
      `${f(r[12], 5)} ± ${f(r[13], 5)}`, f(r[14], 5), (Number(r[12]) / Number(r[14])).toFixed(2),
    ]),
  ]);
  console.log('\nMean over networks (± standard deviation across networks), as a ratio to the theory:');
  printTable([
    ['case', 'N', 'networks', 'Δ0 sim/theory', 'PR^x/N sim/theory', 'PR^φ/N sim/theory'],
    ...summarise(rows).map((gr) => {
      const ratio = (col: number, th: number) => `${(gr.mean(col) / gr.mean(th)).toFixed(3)}${gr.networks > 1 ? ` ± ${(gr.sd(col) / gr.mean(th)).toFixed(3)}` : ''}`;
      return [gr.name, String(gr.n), String(gr.networks), ratio(6, 8), ratio(9, 11), ratio(12, 14)];
    }),
  ]);
  console.log('iid g = 2, authors\' N = 16384 simulation: PR^x/N 0.01549 ± 0.00014, PR^φ/N 0.01924, var x 1.9283');
  console.log(`wrote ${out.files.join(', ')} and ${csv}`);
  return { files: [...out.files, csv], rows };
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
