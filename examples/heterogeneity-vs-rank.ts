/**
 * F-E: single-neuron heterogeneity against low-rank connectivity, raw vs z-scored dimension
 * (the comparison of Clark, Marschall, van Meegen & Litwin-Kumar, arXiv:2409.01969).
 *
 * Networks (N default 1000, g = 2, tanh):
 * - heterogeneity: random-mode couplings with a flat spectrum of P = 4N modes (γ = 0.25, close to
 *   iid) and lognormal row gains J → diag(h)J, h = exp(σz − σ²), for several σ;
 * - low rank: exponential spectra (P = N) with several β, no gains.
 * Quantities:
 * - simulation: cross-block PR/N of the raw and of the z-scored activity, and the cross-block
 *   CV² of the single-unit variances (`measureActivity` → `blockParticipation` estimates);
 * - theory [our derivation, theory note §5.1]: N/PR_raw − N/PR_z = CV²(v) when the variances are
 *   independent of the correlation pattern (Eq. 19); the single-site theory with gains
 *   (`solveDMFT({ gains })`) gives v_i = h_i²Δ̄0 for x and v_i = E[tanh²(h_i√Δ̄0 z)] for φ, hence the
 *   predicted mean and CV² of the variances for the sampled gains. The dimension under gains is
 *   not derived;
 * - theory [our derivation, theory note §3.3]: PR/N at the γ of each low-rank network, where
 *   raw and z-scored coincide at large N (equal variances) and both fall with γ.
 * What the simulations show (N = 1000, g = 2): the variance statistics follow the single-site
 * theory; z-scoring raises the PR under gains, but the gap N/PR_raw − N/PR_z exceeds CV²(v) (about
 * 11 already without gains, where CV² ≈ 0.1: presumably at this N high-variance units share the slow
 * collective modes, so Eq. 19's independence assumption fails), and row gains also lower the
 * z-scored PR (presumably through the heterogeneous presynaptic rate variances). Low rank lowers raw and z-scored
 * PR alike.
 *
 *   npx tsx examples/heterogeneity-vs-rank.ts                           # defaults, about 2 minutes
 *   npx tsx examples/heterogeneity-vs-rank.ts --n 300 --duration 400
 *
 * Writes heterogeneity-vs-rank.svg, heterogeneity-cv2.svg and heterogeneity-vs-rank.csv to --out
 * (default examples/out).
 */
import { parseArgs } from 'node:util';
import { dimension, measureActivity, randomMode, solveDMFT, type RandomModeNetwork } from '../ts/index.js';
import { isMain, num, numbers, Output, printTable, seconds } from './lib/output.js';

/** E[tanh²(s z)], z ~ N(0,1), by the trapezoid rule on z ∈ [−9, 9] (dz = 0.025). */
function meanTanhSquared(s: number): number {
  const dz = 0.025;
  let sum = 0;
  for (let k = -360; k <= 360; k++) {
    const z = k * dz;
    sum += Math.tanh(s * z) ** 2 * Math.exp(-0.5 * z * z);
  }
  return (sum * dz) / Math.sqrt(2 * Math.PI);
}

/** Squared coefficient of variation of positive values. */
function cv2(v: ArrayLike<number>): number {
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < v.length; i++) {
    m += v[i]!;
    m2 += v[i]! ** 2;
  }
  m /= v.length;
  return m2 / v.length / (m * m) - 1;
}

export interface HeterogeneityRow {
  family: 'heterogeneity' | 'low rank';
  /** σ of the lognormal gains (0 without) and the spectrum's β (0 for the flat one). */
  sigma: number;
  beta: number;
  gamma: number;
  prX: number;
  prXZ: number;
  prPhi: number;
  prPhiZ: number;
  cv2X: number;
  cv2Phi: number;
  /** Predicted CV² of the single-unit variances from the single-site theory with the sampled gains. */
  cv2XTheory: number;
  cv2PhiTheory: number;
  delta0: number;
  delta0Theory: number;
  /** Large-N PR/N of the gain-free network at its γ (NaN with gains). */
  theoryX: number;
  theoryPhi: number;
}

export interface HeterogeneityResult {
  files: string[];
  rows: HeterogeneityRow[];
}

export function run(argv: string[]): HeterogeneityResult {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      g: { type: 'string', default: '2' },
      sigmas: { type: 'string', default: '0,0.25,0.5,0.75,1' },
      betas: { type: 'string', default: '2,3.9,8' },
      duration: { type: 'string', default: '1000' },
      'burn-in': { type: 'string', default: '300' },
      blocks: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const n = num('n', values.n);
  const g = num('g', values.g);
  const duration = num('duration', values.duration);
  const burnIn = num('burn-in', values['burn-in']);
  const blocks = num('blocks', values.blocks);
  const seed = num('seed', values.seed);
  const out = new Output(values.out);
  const t0 = performance.now();
  const base = dimension({ g });

  const cases: { family: HeterogeneityRow['family']; sigma: number; beta: number; net: RandomModeNetwork }[] = [];
  for (const [i, sigma] of numbers('sigmas', values.sigmas).entries()) {
    const gains = sigma > 0 ? { lognormalSigma: sigma } : undefined;
    const net = randomMode({ n, spectrum: { shape: { kind: 'flat' }, g, modes: 4 * n }, gains, seed: seed + 10 * i });
    cases.push({ family: 'heterogeneity', sigma, beta: 0, net });
  }
  for (const [i, beta] of numbers('betas', values.betas).entries()) {
    const net = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta }, g }, seed: seed + 500 + 10 * i });
    cases.push({ family: 'low rank', sigma: 0, beta, net });
  }

  const rows: HeterogeneityRow[] = [];
  for (const [i, c] of cases.entries()) {
    const t1 = performance.now();
    const m = measureActivity({ network: c.net, seed: seed + 1000 + i, duration, burnIn, blocks, psi: false, units: 2, maxLag: 0.5 });
    const h = c.net.gains ?? new Float64Array(n).fill(1);
    const theory = c.net.gains ? solveDMFT({ g, gains: c.net.gains, lyapunov: false }) : base.dmft;
    const vX = h.map((hi) => hi * hi * theory.delta0);
    const vPhi = h.map((hi) => meanTanhSquared(hi * Math.sqrt(theory.delta0)));
    const th = c.net.gains ? undefined : base.vsRank(Float64Array.of(c.net.gamma));
    rows.push({
      family: c.family,
      sigma: c.sigma,
      beta: c.beta,
      gamma: c.net.gamma,
      prX: m.prX.prOverN,
      prXZ: m.prXZscored.prOverN,
      prPhi: m.prPhi.prOverN,
      prPhiZ: m.prPhiZscored.prOverN,
      cv2X: m.varianceCv2X,
      cv2Phi: m.varianceCv2Phi,
      cv2XTheory: cv2(vX),
      cv2PhiTheory: cv2(vPhi),
      delta0: m.delta0,
      delta0Theory: vX.reduce((s, v) => s + v, 0) / n,
      theoryX: th ? th.prX[0]! : Number.NaN,
      theoryPhi: th ? th.prPhi[0]! : Number.NaN,
    });
    console.log(`simulated ${c.family} σ = ${c.sigma}, β = ${c.beta}: ${seconds(t1)}`);
  }

  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const table = [['network', 'γ', 'PR^x/N raw', 'z-scored', 'theory', 'N/PR_raw − N/PR_z (x)', 'CV²(v_x) sim', 'theory', 'PR^φ/N raw', 'z-scored', 'N/PR diff (φ)', 'CV²(v_φ) sim', 'theory']];
  for (const r of rows) {
    table.push([
      r.family === 'heterogeneity' ? `gains σ = ${r.sigma}` : `exp β = ${r.beta}`,
      f(r.gamma, 2),
      f(r.prX),
      f(r.prXZ),
      f(r.theoryX),
      f(1 / r.prX - 1 / r.prXZ, 2),
      f(r.cv2X, 2),
      f(r.cv2XTheory, 2),
      f(r.prPhi),
      f(r.prPhiZ),
      f(1 / r.prPhi - 1 / r.prPhiZ, 2),
      f(r.cv2Phi, 2),
      f(r.cv2PhiTheory, 2),
    ]);
  }
  console.log(`\nN = ${n}, g = ${g}, ${duration} time units, one network each (heterogeneity: flat spectrum, P = 4N)`);
  printTable(table);

  out.csv(
    'heterogeneity-vs-rank.csv',
    ['family', 'sigma', 'beta', 'gamma', 'prX_over_N', 'prX_zscored_over_N', 'prPhi_over_N', 'prPhi_zscored_over_N', 'cv2_var_x', 'cv2_var_x_theory', 'cv2_var_phi', 'cv2_var_phi_theory', 'delta0', 'delta0_theory', 'theory_prX_over_N', 'theory_prPhi_over_N'],
    rows.map((r) => [r.family, r.sigma, r.beta, r.gamma, r.prX, r.prXZ, r.prPhi, r.prPhiZ, r.cv2X, r.cv2XTheory, r.cv2Phi, r.cv2PhiTheory, r.delta0, r.delta0Theory, r.theoryX, r.theoryPhi]),
  );
  const het = rows.filter((r) => r.family === 'heterogeneity');
  const low = [het[0]!, ...rows.filter((r) => r.family === 'low rank')];
  // Both families on one horizontal axis: N/PR_z − 1 (the correlation part ψ̃), against N/PR_raw − 1.
  out.svg('heterogeneity-vs-rank.svg', {
    title: `Raw vs z-scored dimension of x: heterogeneity (σ) vs low rank (γ), N = ${n}, g = ${g}`,
    xLabel: 'CV² of single-unit variances (heterogeneity) — or γ (low rank)',
    yLabel: 'PR^x / N',
    series: [
      { label: 'gains σ: raw', x: het.map((r) => r.cv2X), y: het.map((r) => r.prX), style: 'both', color: '#1f77b4' },
      { label: 'gains σ: z-scored', x: het.map((r) => r.cv2X), y: het.map((r) => r.prXZ), style: 'both', color: '#17becf' },
      { label: 'low rank: raw (vs γ)', x: low.map((r) => r.gamma), y: low.map((r) => r.prX), style: 'both', color: '#d62728' },
      { label: 'low rank: z-scored (vs γ)', x: low.map((r) => r.gamma), y: low.map((r) => r.prXZ), style: 'points', color: '#ff7f0e' },
      { label: 'low rank: theory (large N, vs γ)', x: low.map((r) => r.gamma), y: low.map((r) => base.vsRank(Float64Array.of(r.gamma)).prX[0]!), color: '#222' },
    ],
  });
  const top = Math.max(...rows.map((r) => Math.max(r.cv2X, r.cv2Phi)), 1);
  out.svg('heterogeneity-cv2.svg', {
    title: 'N/PR_raw − N/PR_z against the CV² of the single-unit variances (Eq. 19)',
    xLabel: 'CV²(v), cross-block estimate',
    yLabel: 'N/PR_raw − N/PR_z',
    series: [
      { label: 'identity (theory)', x: [0, top], y: [0, top], color: '#222' },
      { label: 'x, gains', x: het.map((r) => r.cv2X), y: het.map((r) => 1 / r.prX - 1 / r.prXZ), style: 'points', color: '#1f77b4' },
      { label: 'φ, gains', x: het.map((r) => r.cv2Phi), y: het.map((r) => 1 / r.prPhi - 1 / r.prPhiZ), style: 'points', color: '#d62728' },
      { label: 'x, low rank', x: low.map((r) => r.cv2X), y: low.map((r) => 1 / r.prX - 1 / r.prXZ), style: 'points', color: '#2ca02c' },
    ],
  });
  console.log(`\nwrote ${out.files.join(', ')} (${seconds(t0)})`);
  return { files: out.files, rows };
}

if (isMain(import.meta.url)) run(process.argv.slice(2));
