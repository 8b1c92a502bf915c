/**
 * F-D: frequency-resolved dimension, the participation ratio of the cross-spectral matrix at
 * frequency ω, for iid (γ = 0) and random-mode couplings (γ = 1, 4) at g = 2.
 *
 * Theory only [our derivation, theory note §3.6, Eq. (18)], with X = 1 + ω² and ν = (g⟨φ'⟩)² from
 * the stationary DMFT (`solveDMFT`): PR^φ(ω)/N = (X − ν)²/(X² + γν²) and
 * PR^x(ω)/N = (X − ν)²/((2 + γ)X² − ν²) (`frequencyDimension`). Slow fluctuations (ω ≲ 1 − ν) are
 * far lower-dimensional than fast ones; at ω → ∞ the rates become independent (PR^φ/N → 1) and
 * the currents inherit the rank of J (PR^x/N → 1/(2 + γ)). The equal-time PR (`dimension`) is
 * printed for comparison.
 *
 *   npx tsx examples/frequency-dimension.ts                        # defaults, a few seconds
 *   npx tsx examples/frequency-dimension.ts --g 3 --gammas 0,2,8
 *
 * Writes frequency-dimension.svg and frequency-dimension.csv to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { dimension, frequencyDimension, solveDMFT, type Series } from '../ts/index.js';
import { isMain, logSpace, num, numbers, Output, printTable } from './lib/output.js';

export interface FrequencyResult {
  files: string[];
  nu: number;
  omega: Float64Array;
  curves: { gamma: number; prX: Float64Array; prPhi: Float64Array }[];
}

export function run(argv: string[]): FrequencyResult {
  const { values } = parseArgs({
    args: argv,
    options: {
      g: { type: 'string', default: '2' },
      gammas: { type: 'string', default: '0,1,4' },
      'omega-min': { type: 'string', default: '0.001' },
      'omega-max': { type: 'string', default: '100' },
      points: { type: 'string', default: '161' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const g = num('g', values.g);
  const out = new Output(values.out);
  const { nu } = solveDMFT({ g, lyapunov: false });
  const omega = logSpace(num('omega-min', values['omega-min']), num('omega-max', values['omega-max']), num('points', values.points));
  const gammas = numbers('gammas', values.gammas);
  const curves = gammas.map((gamma) => ({ gamma, ...frequencyDimension({ nu, gamma, omega }) }));

  const probe = Float64Array.of(0, 0.5, 1, 3, 1e6);
  const equalTime = dimension({ g });
  const rows = [['γ', 'ω = 0', 'ω = 0.5', 'ω = 1', 'ω = 3', 'ω → ∞', 'equal-time PR/N']];
  for (const gamma of gammas) {
    const f = frequencyDimension({ nu, gamma, omega: probe });
    const eq = equalTime.vsRank(Float64Array.of(gamma));
    rows.push([`${gamma} φ`, ...Array.from(f.prPhi, (v) => v.toFixed(5)), eq.prPhi[0]!.toFixed(5)]);
    rows.push([`${gamma} x`, ...Array.from(f.prX, (v) => v.toFixed(5)), eq.prX[0]!.toFixed(5)]);
  }
  console.log(`g = ${g}, ν = ${nu.toFixed(5)}: PR(ω)/N; limits (1 − ν)² = ${((1 - nu) ** 2).toFixed(5)} (φ, γ = 0, ω = 0), 1 and 1/(2 + γ) at ω → ∞`);
  printTable(rows);

  out.csv(
    'frequency-dimension.csv',
    ['omega', ...curves.flatMap((c) => [`prPhi_over_N_gamma_${c.gamma}`, `prX_over_N_gamma_${c.gamma}`])],
    Array.from(omega, (w, k) => [w, ...curves.flatMap((c) => [c.prPhi[k]!, c.prX[k]!])]),
  );
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];
  const series: Series[] = curves.flatMap((c, k) => [
    { label: `PR^φ(ω)/N, γ = ${c.gamma}`, x: omega, y: c.prPhi, color: palette[k % 6]! },
    { label: `PR^x(ω)/N, γ = ${c.gamma}`, x: omega, y: c.prX, color: palette[k % 6]!, style: 'points' as const },
  ]);
  out.svg('frequency-dimension.svg', {
    title: `Frequency-resolved dimension, g = ${g} (ν = ${nu.toFixed(4)})`,
    xLabel: 'frequency ω',
    yLabel: 'PR(ω) / N',
    logX: true,
    logY: true,
    series,
  });
  console.log(`\nwrote ${out.files.join(', ')}`);
  return { files: out.files, nu, omega, curves };
}

if (isMain(import.meta.url)) run(process.argv.slice(2));
