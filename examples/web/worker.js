/**
 * The explorable's compute worker: its own rnnlab instance runs the mean-field theory, the
 * simulation and the training; the page only draws what it posts. Long runs advance in chunks,
 * one per task, so that new parameters and Stop arrive between chunks.
 *
 * Messages in: { type: 'theory' | 'simulate', params }, { type: 'train', params }, { type: 'stop-training' },
 * { type: 'large', params, large: { n, backend, duration } }.
 * Messages out: 'ready', 'theory', 'simulation', 'training', 'large' (progress, then the result),
 * 'error' (each with the request's id).
 */
import * as rnnlab from '../../dist/index.js';

await rnnlab.init();

/** Lags shown of Δ(τ) and of the simulated autocorrelation. */
const TAU_MAX = 25;
/** Simulation: RK4 step, burn-in, and the sampling interval of traces and autocorrelation. */
const SIM_DT = 0.1;
const BURN_IN = 100;
const SAMPLE_EVERY = 2;
/** Steps per simulation chunk (one task, tens of milliseconds), and samples per autocorrelation window. */
const chunkSteps = (n) => SAMPLE_EVERY * Math.max(25, Math.round(1e7 / (n * n)));
const ACF_WINDOW = 500;
/** Units recorded for traces and for the autocorrelation. */
const TRACE_UNITS = 5;
const ACF_UNITS = 50;
/** Covariance spectrum: recomputed at most every this many milliseconds (more rarely at large N). */
const SPECTRUM_EVERY_MS = 700;

const post = (message) => self.postMessage(message);
const fail = (id, kind, e) => post({ type: 'error', id, kind, message: e instanceof Error ? e.message : String(e) });

/** Inverse effective rank γ = N/PR^D of the chosen spectrum (0 for iid couplings). */
function gammaOf(p) {
  if (p.spectrum === 'iid') return 0;
  const shape = p.spectrum === 'flat' ? { kind: 'flat' } : { kind: p.spectrum, beta: p.beta };
  return p.n / rnnlab.effectiveRank(rnnlab.spectrum({ shape, n: p.n, g: p.g }));
}

/** DMFT Δ(τ) and the dimension theory at the current parameters. */
function theory(id, p) {
  try {
    const phi = p.phi;
    const gamma = gammaOf(p);
    const s = rnnlab.solveDMFT({ g: p.g, phi, noise: p.noise, bias: p.bias, lyapunov: false });
    const count = Math.min(s.lags.length, Math.round(TAU_MAX / s.dt) + 1);
    let dim = null;
    let dimNote = '';
    if (p.bias !== 0 || phi === 'relu') {
      dimNote = 'the dimension theory covers odd φ without bias';
    } else {
      try {
        const d = rnnlab.dimension({ g: p.g, gamma, phi, noise: p.noise });
        dim = { prX: d.prX, prPhi: d.prPhi };
        if (Number.isNaN(d.prX)) dimNote = 'with noise and nonlinear φ the theory gives PR^φ only';
      } catch (e) {
        dimNote = e instanceof Error ? e.message : String(e);
      }
    }
    post({
      type: 'theory', id, params: p, gamma, regime: s.regime, delta0: s.delta0, deltaInf: s.deltaInf, nu: s.nu, tailRate: s.tailRate,
      lags: s.lags.slice(0, count), delta: s.delta.slice(0, count), dimension: dim, dimensionNote: dimNote,
    });
  } catch (e) {
    fail(id, 'theory', e);
  }
}

/** The running simulation: network, state, and accumulated autocorrelation. */
let sim = null;

function stopSimulation() {
  if (sim) {
    clearTimeout(sim.timer);
    sim.simulation.dispose();
    sim = null;
  }
}

function startSimulation(id, p) {
  stopSimulation();
  try {
    const J = p.spectrum === 'iid'
      ? rnnlab.iidGaussian({ n: p.n, g: p.g, seed: p.seed })
      : rnnlab.randomMode({
        n: p.n, seed: p.seed,
        spectrum: { shape: p.spectrum === 'flat' ? { kind: 'flat' } : { kind: p.spectrum, beta: p.beta }, g: p.g },
      }).J;
    const bias = p.bias === 0 ? undefined : new Float64Array(p.n).fill(p.bias);
    const simulation = new rnnlab.Simulation({
      J, phi: p.phi, method: 'rk4', dt: SIM_DT, noise: p.noise, seed: p.seed + 1, ...(bias ? { bias } : {}),
    });
    simulation.run({ steps: Math.round(BURN_IN / SIM_DT), record: 'none' });
    simulation.enableStatistics({ x: true, stride: SAMPLE_EVERY });
    const maxLag = Math.round(TAU_MAX / (SIM_DT * SAMPLE_EVERY));
    sim = {
      id, p, simulation, maxLag, steps: 0, timer: 0, nextSpectrum: -Infinity,
      acf: new Float64Array(maxLag + 1), windows: 0, window: [], windowRows: 0, eigenvalues: null, pr: NaN, diverged: false,
    };
    sim.timer = setTimeout(stepSimulation, 0);
  } catch (e) {
    fail(id, 'simulation', e);
  }
}

/**
 * Folds a full window of samples into the running autocorrelation. Δ(τ) is the covariance of
 * x − b without subtracting each unit's mean (it keeps the static part Δ∞), so neither do we.
 */
function foldWindow(s, units) {
  const data = new Float64Array(s.windowRows * units);
  let offset = 0;
  for (const part of s.window) {
    for (let i = 0; i < part.length; i++) data[offset + i] = part[i] - s.p.bias;
    offset += part.length;
  }
  const c = rnnlab.autocorrelation({ rows: s.windowRows, cols: units, data }, s.maxLag, { subtractMean: false });
  s.windows += 1;
  for (let k = 0; k < c.length; k++) s.acf[k] += (c[k] - s.acf[k]) / s.windows;
  s.window = [];
  s.windowRows = 0;
}

/** One chunk: advance, collect samples for the autocorrelation, refresh the spectrum now and then, report. */
function stepSimulation() {
  const s = sim;
  if (!s) return;
  try {
    const units = Math.min(s.p.n, ACF_UNITS);
    const steps = chunkSteps(s.p.n);
    const rec = s.simulation.run({ steps, stride: SAMPLE_EVERY, units, record: 'x' });
    s.steps += steps;
    const x = rec.x;
    // Unbounded φ above its critical gain: the state overflows (possibly in units not recorded).
    if (x.data.every(Number.isFinite) && s.simulation.state().every(Number.isFinite)) {
      s.window.push(x.data);
      s.windowRows += x.rows;
      if (s.windowRows >= ACF_WINDOW) foldWindow(s, units);
    } else {
      s.diverged = true;
    }
    const now = performance.now();
    let spectrumUpdated = false;
    if (!s.diverged && now >= s.nextSpectrum) {
      const stats = s.simulation.statistics('x');
      const ev = rnnlab.symmetricEigenvalues(stats.covariance).reverse();
      s.eigenvalues = ev;
      s.samples = stats.count;
      s.pr = rnnlab.participationRatioFromEigenvalues(ev);
      s.temporalVariance = ev.reduce((a, v) => a + v, 0) / s.p.n;
      const end = performance.now();
      // At most a quarter of the time goes to the O(N³) eigensolver.
      s.nextSpectrum = end + Math.max(SPECTRUM_EVERY_MS, 3 * (end - now));
      spectrumUpdated = true;
    }
    const traceCount = Math.min(TRACE_UNITS, units);
    const traces = Array.from({ length: traceCount }, (_, i) => Float64Array.from({ length: x.rows }, (_, t) => x.data[t * x.cols + i]));
    post({
      type: 'simulation', id: s.id, steps: s.steps, time: s.steps * SIM_DT, samples: s.samples ?? 0,
      times: rec.times, traces, acfWindows: s.windows,
      acfLags: Float64Array.from(s.acf, (_, k) => k * SIM_DT * SAMPLE_EVERY), acf: s.windows > 0 ? s.acf.slice() : null,
      eigenvalues: spectrumUpdated ? s.eigenvalues : null, pr: s.pr, prOverN: s.pr / s.p.n, temporalVariance: s.temporalVariance ?? NaN, diverged: s.diverged,
    });
    if (s.diverged) return;
  } catch (e) {
    fail(s.id, 'simulation', e);
    return;
  }
  s.timer = setTimeout(stepSimulation, 0);
}

/** The running training: a Trainer advanced one chunk of steps per task. */
const CHUNK_MS = 50;
let run = null;

function stopTraining(reason) {
  if (!run) return;
  clearTimeout(run.timer);
  const r = run;
  run = null;
  post({ type: 'training', id: r.id, steps: r.trainer.steps, curve: r.trainer.curve, done: true, reason });
  r.trainer.dispose();
}

function startTraining(id, p) {
  stopTraining('restarted');
  try {
    const network = rnnlab.createNetwork({ n: p.n, nIn: 2, nOut: 2, seed: p.seed });
    const trainer = new rnnlab.Trainer({
      network, task: rnnlab.addTask({ lags: [5, 9] }), algorithm: p.algorithm, seed: p.seed + 1,
      optimizer: { type: 'sgd', lr: p.lr }, block: p.block,
    });
    run = { id, p, trainer, timer: 0, chunk: 100 };
    run.timer = setTimeout(stepTraining, 0);
  } catch (e) {
    fail(id, 'training', e);
  }
}

function stepTraining() {
  const r = run;
  if (!r) return;
  try {
    const left = r.p.steps - r.trainer.steps;
    const start = performance.now();
    const taken = r.trainer.run(Math.min(r.chunk, left));
    // Aim at about CHUNK_MS per chunk whatever the algorithm's cost per step.
    const perStep = (performance.now() - start) / Math.max(1, taken);
    r.chunk = Math.max(10, Math.min(20000, Math.round(CHUNK_MS / Math.max(perStep, 1e-4))));
    const curve = r.trainer.curve;
    const last = curve.loss.at(-1);
    if (r.trainer.steps >= r.p.steps) return stopTraining('finished');
    if (last !== undefined && !Number.isFinite(last)) return stopTraining('diverged');
    post({ type: 'training', id: r.id, steps: r.trainer.steps, curve, done: false });
  } catch (e) {
    fail(r.id, 'training', e);
    run = null;
    r.trainer.dispose();
    return;
  }
  r.timer = setTimeout(stepTraining, 0);
}

/** Largest N of a WebAssembly run here (one thread, f32 J of 64 MB). */
const LARGE_WASM_MAX_N = 4096;

/**
 * One large-N run (`simulateLarge`) at the panel's network settings: on WebGPU when the backend
 * allows it, with the backend that ran in the result.
 */
async function large(id, p, o) {
  try {
    const connectivity = p.spectrum === 'iid'
      ? { kind: 'iid', g: p.g }
      : { kind: 'randomMode', spectrum: { shape: p.spectrum === 'flat' ? { kind: 'flat' } : { kind: p.spectrum, beta: p.beta }, g: p.g } };
    const opts = {
      n: o.n, connectivity, phi: p.phi, noise: p.noise, bias: p.bias, seed: p.seed, trajectories: 8, precision: 'f32', workers: 0,
      // Beyond what WebAssembly runs here, 'auto' means the GPU, whatever kind it is.
      dt: 0.1, burnIn: o.duration / 2, duration: o.duration, maxLag: Math.min(20, o.duration / 4), backend: o.backend === 'auto' && o.n > LARGE_WASM_MAX_N ? 'webgpu' : o.backend,
      onProgress: (q) => post({ type: 'large', id, progress: { phase: q.phase, fraction: q.step / q.steps } }),
    };
    const r = await rnnlab.simulateLarge(opts);
    const gamma = gammaOf({ ...p, n: o.n });
    let theory = null;
    try {
      const s = rnnlab.solveDMFT({ g: p.g, phi: p.phi, noise: p.noise, bias: p.bias, lyapunov: false });
      const d = p.bias === 0 && p.phi !== 'relu' ? rnnlab.dimension({ g: p.g, gamma, phi: p.phi, noise: p.noise }) : null;
      theory = { delta0: s.delta0, prX: d?.prX ?? NaN, prPhi: d?.prPhi ?? NaN };
    } catch {
      theory = null;
    }
    post({
      type: 'large', id, done: true, backend: r.backend, adapter: r.adapter ?? '', n: r.n, delta0: r.delta0, delta0Se: r.delta0Se,
      prX: r.prX, prXSe: r.prXSe, prPhi: r.prPhi, prPhiSe: r.prPhiSe, rate: r.trajectoryStepsPerSecond, theory,
    });
  } catch (e) {
    fail(id, 'large', e);
  }
}

/** Theory requests are coalesced: only the latest one waiting is solved. */
let pendingTheory = null;

self.onmessage = ({ data }) => {
  switch (data.type) {
    case 'theory':
      if (pendingTheory === null) setTimeout(() => { const t = pendingTheory; pendingTheory = null; theory(t.id, t.params); }, 0);
      pendingTheory = data;
      break;
    case 'simulate':
      startSimulation(data.id, data.params);
      break;
    case 'train':
      startTraining(data.id, data.params);
      break;
    case 'stop-training':
      stopTraining('stopped');
      break;
    case 'large':
      if (data.large.backend === 'wasm' && data.large.n > LARGE_WASM_MAX_N) {
        fail(data.id, 'large', new Error(`WebAssembly runs in this page go up to N = ${LARGE_WASM_MAX_N}; larger N needs WebGPU`));
      } else {
        void large(data.id, data.params, data.large);
      }
      break;
    default:
      fail(data.id, 'message', new Error(`unknown message type ${data.type}`));
  }
};

post({ type: 'ready', simd: rnnlab.simdSupported() });
