/**
 * F-C: single-neuron autocorrelations are the same for every coupling spectrum, while the
 * population-level correlation ψ(τ,τ) = N⟨C_ij(τ)²⟩ decays on a much longer timescale.
 *
 * Curves:
 * - theory [published]: the single-unit autocorrelation Δ(τ)/Δ0 of the stationary DMFT
 *   (Sompolinsky, Crisanti & Sommers 1988), `solveDMFT({ g })`, identical for iid and random-mode
 *   couplings of the same g (theory note §2.1); its tail rate is λ1 = √(1 − ν);
 * - theory: ψ^φ(τ,τ)/ψ^φ(0,0) from `populationCorrelation`, for γ = 0 [published two-site cavity,
 *   PRL 131, 118401 (2023)] and for the γ of the random-mode network [our derivation, theory note
 *   §3.3, §3.7]; its slowest rate is near the pole estimate 2(1 − √ν) [our derivation];
 * - simulation: population-averaged autocorrelations of x and ψ^φ(τ,τ) (cross-block, seeded
 *   derangement pairs; `measureActivity` → `psi`) of an iid and a random-mode network at N
 *   (default 1000), with their fitted decay rates. At N ≈ 1000 the simulated single-unit
 *   autocorrelation carries a slow finite-size tail from the collective modes (beyond τ ≈ 8 at g = 2).
 *
 *   npx tsx examples/autocorrelations.ts                                  # defaults, about 3 minutes
 *   npx tsx examples/autocorrelations.ts --n 300 --duration 1000 --max-lag 20
 *
 * Writes autocorrelations.svg and autocorrelations.csv (theory) and
 * autocorrelations-simulation.csv to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { decayRate, iidGaussian, measureActivity, populationCorrelation, randomMode, solveDMFT, type Matrix, type Series } from '../ts/index.js';
import { isMain, num, Output, printTable, seconds } from './lib/output.js';

export interface AutocorrelationResult {
  files: string[];
  /** Lags of the theory curves and Δ(τ)/Δ0. */
  tau: Float64Array;
  single: Float64Array;
  /** ψ^φ(τ,τ)/ψ^φ(0,0) for γ = 0 and for the random-mode γ. */
  population: { gamma: number; values: Float64Array; rate: number }[];
  tailRate: number;
  poleRate: number;
  /** Decay rate of the theory Δ(τ) fitted on the same window as the simulated autocorrelations. */
  singleTheoryRate: number;
  simulation: { label: string; lags: Float64Array; single: Float64Array; population: Float64Array; singleRate: number; populationRate: number | undefined }[];
}

export function run(argv: string[]): AutocorrelationResult {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      g: { type: 'string', default: '2' },
      beta: { type: 'string', default: '3.9' },
      duration: { type: 'string', default: '4000' },
      'burn-in': { type: 'string', default: '300' },
      blocks: { type: 'string', default: '8' },
      units: { type: 'string', default: '400' },
      'max-lag': { type: 'string', default: '40' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const n = num('n', values.n);
  const g = num('g', values.g);
  const beta = num('beta', values.beta);
  const duration = num('duration', values.duration);
  const burnIn = num('burn-in', values['burn-in']);
  const blocks = num('blocks', values.blocks);
  const units = Math.min(n, num('units', values.units));
  const maxLag = num('max-lag', values['max-lag']);
  const seed = num('seed', values.seed);
  const out = new Output(values.out);
  const t0 = performance.now();
  // Fit windows: the single-unit decay past the rounded top (at N ≈ 1000 slow collective modes
  // add a finite-size tail to the simulated autocorrelation beyond it), the population decay late
  // in the window.
  const singleFit = { from: Math.min(2, maxLag / 4), to: Math.min(8, maxLag) };
  const populationFit: [number, number] = [maxLag / 4, maxLag];

  const dmft = solveDMFT({ g, lyapunov: false });
  const count = Math.min(dmft.delta.length, Math.round(maxLag / dmft.dt) + 1);
  const tau = dmft.lags.slice(0, count);
  const single = dmft.delta.slice(0, count).map((v) => v / dmft.delta0);

  const iid = iidGaussian({ n, g, seed });
  const rmm = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta }, g }, seed: seed + 1 });
  const population = [0, rmm.gamma].map((gamma) => {
    const p = populationCorrelation({ dt: dmft.dt, c: dmft.cphi, nu: dmft.nu, gamma, activity: 'rates', count, fitWindow: populationFit });
    return { gamma, values: p.diagonal, rate: p.rate, poleRate: p.poleRate };
  });
  const poleRate = population[0]!.poleRate;

  const networks: { label: string; J: Matrix }[] = [
    { label: 'iid', J: iid },
    { label: `random-mode exp β=${beta} (γ = ${rmm.gamma.toFixed(2)})`, J: rmm.J },
  ];
  const simulation: AutocorrelationResult['simulation'] = [];
  for (const [i, net] of networks.entries()) {
    const t1 = performance.now();
    const m = measureActivity({ J: net.J, seed: seed + 10 + i, duration, burnIn, blocks, units, maxLag, psiFit: populationFit });
    const pop = m.psi!.phi.tauTau;
    simulation.push({
      label: net.label,
      lags: m.lags,
      single: m.autocorrX.map((v) => v / m.autocorrX[0]!),
      population: pop.map((v) => v / pop[0]!),
      singleRate: decayRate(m.lags, m.autocorrX, singleFit),
      populationRate: m.psi!.ratePhi,
    });
    console.log(`simulated ${net.label}: ${seconds(t1)}`);
  }

  const lambda1 = dmft.tailRate;
  const singleTheoryRate = decayRate(tau, single, singleFit);
  console.log(`\ng = ${g}: ν = (g⟨φ'⟩)² = ${dmft.nu.toFixed(5)}, λ1 = √(1 − ν) = ${lambda1.toFixed(4)}, pole rate 2(1 − √ν) = ${poleRate.toFixed(4)}`);
  printTable([
    ['decay rate', 'theory', ...simulation.map((s) => `sim. ${s.label}`)],
    [
      `single unit, fit τ ∈ [${singleFit.from.toFixed(1)}, ${singleFit.to.toFixed(1)}]`,
      `${singleTheoryRate.toFixed(4)} (tail λ1 = ${lambda1.toFixed(4)})`,
      ...simulation.map((s) => s.singleRate.toFixed(4)),
    ],
    [
      `ψ^φ(τ,τ), fit τ ∈ [${populationFit[0].toFixed(1)}, ${populationFit[1].toFixed(1)}]`,
      population.map((p) => `${p.rate.toFixed(4)} (γ=${p.gamma.toFixed(2)})`).join(', '),
      ...simulation.map((s) => s.populationRate?.toFixed(4) ?? '–'),
    ],
  ]);

  out.csv(
    'autocorrelations.csv',
    ['tau', 'delta_over_delta0', ...population.map((p) => `psi_phi_tautau_over_psi00_gamma_${p.gamma.toFixed(3)}`)],
    Array.from(tau, (t, k) => [t, single[k]!, ...population.map((p) => p.values[k]!)]),
  );
  const simRows: (number | string)[][] = [];
  for (const s of simulation) s.lags.forEach((l, k) => simRows.push([s.label, n, l, s.single[k]!, s.population[k]!]));
  out.csv('autocorrelations-simulation.csv', ['network', 'n', 'tau', 'autocorr_x_normalised', 'psi_phi_tautau_normalised'], simRows);
  const colors = ['#1f77b4', '#d62728'];
  const series: Series[] = [
    { label: 'single unit Δ(τ)/Δ0, theory (all spectra)', x: tau, y: single, color: '#222' },
    ...population.map((p, k) => ({ label: `population ψ^φ(τ,τ)/ψ^φ(0,0), theory γ = ${p.gamma.toFixed(2)}`, x: tau, y: p.values, color: ['#2ca02c', '#9467bd'][k]! })),
    ...simulation.map((s, k) => ({ label: `single unit, sim. ${s.label}`, x: s.lags, y: s.single, style: 'points' as const, color: colors[k]! })),
    ...simulation.map((s, k) => ({ label: `population, sim. ${s.label}`, x: s.lags, y: s.population, style: 'points' as const, color: ['#17becf', '#ff7f0e'][k]! })),
  ];
  out.svg('autocorrelations.svg', {
    title: `Single-unit vs population timescales, g = ${g}, N = ${n}`,
    xLabel: 'lag τ',
    yLabel: 'normalised correlation',
    logY: true,
    height: 480,
    series,
  });
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, tau, single, population, tailRate: lambda1, poleRate, singleTheoryRate, simulation };
}

if (isMain(import.meta.url)) run(process.argv.slice(2));
