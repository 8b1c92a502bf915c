/**
 * Main demo: an iid and a random-mode network (N = 1000, g = 2), simulated side by side and next
 * to the mean-field theory. Prints, for each network and for the theory, the single-unit
 * variance Δ0, the autocorrelation time, the dimension PR/N of currents x and rates φ (cross-block
 * estimates with jackknife errors) and the effective rank; writes SVGs of the autocorrelation
 * (theory curve over simulated points, examples/out/autocorrelation.svg), the covariance spectra
 * (examples/out/covariance-spectra.svg) and the eigenvalues of J (examples/out/eigenvalues-J.svg;
 * circular law of radius g for iid J). Then trains a 32-unit RNN online on the Add task (lags
 * 5, 9) with three learning algorithms — exact RTRL, its stochastic Kronecker approximation
 * KF-RTRL and the local rule RFLO — with a progress bar, prints their test losses against the
 * task's baselines and writes the learning curves (examples/out/learning-curves.svg).
 *
 *   npm start                      # defaults (≈ 45 s)
 *   npm start -- --n 500 --g 3     # other sizes
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import {
  ADD_TASK_BASELINES,
  Simulation,
  addTask,
  createNetwork,
  train,
  autocorrelation,
  dimension,
  eigenvalues,
  iidGaussian,
  linePlotSvg,
  randomMode,
  solveDMFT,
  symmetricEigenvalues,
  type Matrix,
  type Series,
} from '../ts/index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    g: { type: 'string', default: '2' },
    beta: { type: 'string', default: '3.9' },
    duration: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'learning-steps': { type: 'string', default: '20000' },
    out: { type: 'string', default: 'examples/out' },
  },
});
const n = Number(values.n);
const g = Number(values.g);
const beta = Number(values.beta);
const duration = Number(values.duration);
const seed = Number(values.seed);
const dt = 0.1;
const stride = 5; // a sample every 0.5 time units
const blocks = 8;
const maxLag = 40; // samples: τ up to 20

const iid = iidGaussian({ n, g, seed });
const rmm = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta }, g }, seed: seed + 1 });
const networks: { name: string; J: Matrix; gamma: number; rank: string }[] = [
  { name: 'iid Gaussian', J: iid, gamma: 0, rank: '∞ (γ = 0)' },
  { name: `random-mode, exp(β=${beta})`, J: rmm.J, gamma: rmm.gamma, rank: `${rmm.effectiveRank.toFixed(0)} (γ = ${rmm.gamma.toFixed(2)})` },
];

const theory = solveDMFT({ g });
const theoryTauAc = theory.lags.find((_, j) => theory.delta[j]! < theory.delta0 / Math.E) ?? Number.NaN;

console.log(`rnnlab demo: N = ${n}, g = ${g}, tanh, RK4 dt = ${dt}, burn-in 200, ${duration} time units, ${blocks} blocks\n`);
const rows: string[][] = [['', 'Δ0', 'τ_ac', 'PR^x/N', 'PR^φ/N', 'effective rank', 'time']];
const spectra: Series[] = [];
const acSeries: Series[] = [];
const colors = ['#1f77b4', '#d62728'];
for (const [i, net] of networks.entries()) {
  const t0 = performance.now();
  using sim = new Simulation({ J: net.J, method: 'rk4', dt, seed: seed + 10 + i });
  sim.run({ steps: Math.round(200 / dt), record: 'none' });
  const samples = Math.floor(duration / dt / stride);
  sim.enableStatistics({ x: true, phi: true, stride, blocks, samplesPerBlock: Math.floor(samples / blocks) });
  const rec = sim.run({ steps: samples * stride, stride, units: Math.min(n, 200), record: 'x' });
  const sx = sim.statistics('x');
  const sp = sim.statistics('phi');
  const ac = autocorrelation(rec.x!, maxLag);
  const tauAc = (ac.findIndex((v) => v < ac[0]! / Math.E) * stride * dt).toFixed(2);
  const pr = (e = sx.estimates!.cross) => `${e.prOverN.toFixed(4)} ± ${e.seOverN.toFixed(4)}`;
  rows.push([
    `${net.name} (simulation)`,
    sx.estimates!.meanVariance.toFixed(3),
    tauAc,
    pr(sx.estimates!.cross),
    pr(sp.estimates!.cross),
    net.rank,
    `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  ]);
  const th = dimension({ g, gamma: net.gamma });
  rows.push(['  mean-field theory', theory.delta0.toFixed(3), theoryTauAc.toFixed(2), th.prX.toFixed(4), th.prPhi.toFixed(4), '', '']);
  acSeries.push({
    label: `${net.name.split(',')[0]!} (simulation)`,
    x: Float64Array.from(ac, (_, k) => k * stride * dt),
    y: ac,
    style: 'points',
    color: colors[i]!,
  });
  const spectrum = symmetricEigenvalues(sx.covariance).reverse();
  spectra.push({ label: net.name.split(',')[0]!, x: Float64Array.from(spectrum, (_, k) => (k + 1) / n), y: spectrum.map((v) => Math.max(v, 1e-12)) });
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));

mkdirSync(values.out, { recursive: true });
const shown = theory.lags.findIndex((t) => t > maxLag * stride * dt);
acSeries.unshift({ label: 'DMFT Δ(τ)', x: theory.lags.subarray(0, shown), y: theory.delta.subarray(0, shown), color: '#222' });
const acFile = `${values.out}/autocorrelation.svg`;
writeFileSync(acFile, linePlotSvg({ title: `Autocorrelation of x, N = ${n}, g = ${g}`, xLabel: 'lag τ', yLabel: 'Δ(τ)', series: acSeries }));
const file = `${values.out}/covariance-spectra.svg`;
writeFileSync(
  file,
  linePlotSvg({ title: `Covariance spectra of x, N = ${n}, g = ${g}`, xLabel: 'rank k / N', yLabel: 'eigenvalue λ_k', logX: true, logY: true, series: spectra }),
);
const eigSeries: Series[] = networks.map((net, i) => {
  const { re, im } = eigenvalues(net.J);
  return { label: net.name.split(',')[0]!, x: re, y: im, style: 'points', color: colors[i]! };
});
const circle = Float64Array.from({ length: 201 }, (_, k) => (2 * Math.PI * k) / 200);
eigSeries.push({ label: '|λ| = g', x: circle.map((t) => g * Math.cos(t)), y: circle.map((t) => g * Math.sin(t)), color: '#444' });
const eigFile = `${values.out}/eigenvalues-J.svg`;
writeFileSync(
  eigFile,
  linePlotSvg({ title: `Eigenvalues of J, N = ${n}, g = ${g}`, xLabel: 'Re λ', yLabel: 'Im λ', width: 640, height: 520, series: eigSeries }),
);
console.log(`
Δ0: mean single-unit variance of x; τ_ac: lag where the autocorrelation falls to 1/e; PR/N:
participation ratio of the covariance over N (cross-block estimate ± jackknife error).
Theory: one single-site solution for both spectra (⟨φ'⟩ = ${theory.meanSlope.toFixed(4)}, tail rate ${theory.tailRate.toFixed(4)},
largest Lyapunov exponent ${theory.lyapunovExponent.toFixed(4)}); the dimension depends on g and γ = N/PR^D.
Near the edge of chaos the simulated dimension converges slowly in N (finite-size effects of 25–60 %
at N = 1000); single-unit statistics agree within a few per cent.
wrote ${acFile}, ${file} and ${eigFile}`);

// Online learning on the Add task: the exact method, its best approximation and a local rule.
const learningSteps = Number(values['learning-steps']);
console.log(`\nOnline learning: Add task (lags 5, 9), n = 32, α = 1, SGD, ${learningSteps} steps per algorithm`);
const bar = new SingleBar({ format: '  {algorithm} [{bar}] {percentage}% | loss {loss}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 });
const curves: Series[] = [];
const learningRows: string[][] = [['algorithm', 'lr', 'test loss', 'time']];
for (const [algorithm, lr] of [['rtrl', 0.03], ['kf-rtrl', 0.003], ['rflo', 0.003]] as const) {
  const t0 = performance.now();
  bar.start(learningSteps, 0, { algorithm: algorithm.padEnd(7), loss: '–' });
  const result = await train({
    network: createNetwork({ n: 32, nIn: 2, nOut: 2, seed }), task: addTask({ lags: [5, 9] }), algorithm, seed,
    optimizer: { type: 'sgd', lr }, steps: learningSteps, block: Math.max(1, Math.round(learningSteps / 40)), testSteps: 10000,
    onProgress: (p) => bar.update(p.step, { loss: Number.isNaN(p.loss) ? '–' : p.loss.toFixed(3) }),
  });
  bar.stop();
  learningRows.push([algorithm, String(lr), result.testLoss.toFixed(4), `${((performance.now() - t0) / 1000).toFixed(1)} s`]);
  curves.push({ label: algorithm, x: Float64Array.from(result.curve.steps), y: Float64Array.from(result.curve.loss) });
}
for (const r of learningRows) console.log(r.map((cell, c) => cell.padEnd([10, 7, 10, 8][c]!)).join('  '));
const b = ADD_TASK_BASELINES;
for (const [label, v] of [['first lag only', b.first], ['both lags (optimal)', b.both]] as const) {
  curves.push({ label, x: Float64Array.of(0, learningSteps), y: Float64Array.of(v, v), color: '#999' });
}
const curveFile = `${values.out}/learning-curves.svg`;
writeFileSync(curveFile, linePlotSvg({ title: 'Add task: training loss (block means)', xLabel: 'step', yLabel: 'cross-entropy', series: curves }));
console.log(`Baselines: nothing learned ${b.none.toFixed(4)}, first lag ${b.first.toFixed(4)}, both lags ${b.both.toFixed(4)}.
wrote ${curveFile}`);
