/**
 * The explorable's page: reads the controls, sends parameters to the compute worker and draws
 * what comes back with uPlot. Nothing numerical runs here (ALGORITHMS and ADD_TASK_BASELINES
 * are constants of the package).
 */
import uPlot from 'uplot';
import { ADD_TASK_BASELINES, ALGORITHMS } from 'rnnlab';

const $ = (id) => document.getElementById(id);
const status = $('status');
const fmt = (v, digits = 5) => {
  if (!Number.isFinite(v)) return '–';
  return Number.isInteger(v) && Math.abs(v) < 1e9 ? String(v) : Number(v).toPrecision(digits);
};

/** Sets a readout's text and keeps the full-precision value in data-value. */
function show(id, value, digits) {
  const el = $(id);
  el.textContent = typeof value === 'number' ? fmt(value, digits) : value;
  el.dataset.value = String(value);
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

function makePlot(id, series, opts = {}) {
  const el = $(id);
  const width = Math.max(280, el.clientWidth || 360);
  return new uPlot({
    width, height: opts.height ?? 240,
    legend: { show: opts.legend ?? true },
    cursor: { show: true },
    scales: opts.scales ?? { x: { time: false } },
    axes: opts.axes ?? [{}, {}],
    series: [{ label: opts.xLabel ?? 'x' }, ...series],
  }, [[], ...series.map(() => [])], el);
}

const plots = {
  delta: makePlot('plot-delta', [
    { label: 'DMFT Δ(τ)', stroke: COLORS[0], width: 2 },
    { label: 'simulation', stroke: COLORS[1], width: 0, points: { show: true, size: 5, fill: COLORS[1] } },
  ], { xLabel: 'τ' }),
  traces: makePlot('plot-traces', COLORS.map((c, i) => ({ label: `x${i + 1}`, stroke: c, width: 1 })), { xLabel: 't', legend: false }),
  spectrum: makePlot('plot-spectrum', [{ label: 'λ/λmax', stroke: COLORS[0], width: 1.5, points: { show: false } }], {
    xLabel: 'rank',
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    axes: [{}, { values: (_, ticks) => ticks.map((v) => (v == null ? '' : v.toExponential(0))), size: 60 }],
  }),
  training: makePlot('plot-training', [
    { label: 'loss', stroke: COLORS[0], width: 2, points: { show: true, size: 4 } },
    { label: `no memory ${ADD_TASK_BASELINES.none.toFixed(4)}`, stroke: '#999', dash: [6, 4], points: { show: false } },
    { label: `lag 5 only ${ADD_TASK_BASELINES.first.toFixed(4)}`, stroke: '#666', dash: [6, 4], points: { show: false } },
    { label: `both lags ${ADD_TASK_BASELINES.both.toFixed(4)}`, stroke: '#222', dash: [6, 4], points: { show: false } },
  ], { xLabel: 'step', height: 280 }),
};

// ---- worker -----------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let ready = false;
let requestId = 0;
let theoryId = 0;
let simulationId = 0;
let trainingId = 0;
let largeId = 0;

worker.onerror = (e) => {
  status.textContent = `worker failed: ${e.message}`;
  status.dataset.state = 'error';
  console.error('worker failed', e.message);
};

worker.onmessage = ({ data }) => {
  switch (data.type) {
    case 'ready':
      ready = true;
      status.textContent = data.simd ? 'ready' : 'ready (no SIMD?)';
      status.dataset.state = 'ready';
      requestTheory();
      requestSimulation();
      break;
    case 'theory':
      if (data.id === theoryId) drawTheory(data);
      break;
    case 'simulation':
      if (data.id === simulationId) drawSimulation(data);
      break;
    case 'training':
      if (data.id === trainingId) drawTraining(data);
      break;
    case 'large':
      if (data.id === largeId) drawLarge(data);
      break;
    case 'error':
      reportError(data);
      break;
  }
};

/** Errors from the worker are shown beside the panel they belong to (bad parameters are expected). */
function reportError({ id, kind, message }) {
  if (kind === 'theory' && id === theoryId) {
    for (const k of ['theory-regime', 'theory-delta0', 'theory-temporal', 'theory-gamma', 'theory-prx', 'theory-prphi']) show(k, '–');
    $('theory-note').textContent = message;
    theory = null;
    drawDelta();
  } else if (kind === 'simulation' && id === simulationId) {
    $('sim-note').textContent = message;
  } else if (kind === 'large' && id === largeId) {
    $('large-progress').textContent = 'failed';
    $('large-progress').dataset.value = 'failed';
    $('large-note').textContent = message;
    $('large-run').disabled = false;
  } else if (kind === 'training' && id === trainingId) {
    $('train-state').textContent = `error: ${message}`;
    setTraining(false);
  } else if (kind === 'message') {
    console.error(message);
  }
}

// ---- panel 1: theory and simulation -----------------------------------------------------

const sliders = ['g', 'noise', 'bias', 'n', 'beta'];

function networkParams() {
  return {
    g: Number($('g').value),
    phi: $('phi').value,
    noise: Number($('noise').value),
    bias: Number($('bias').value),
    n: Number($('n').value),
    spectrum: $('spectrum').value,
    beta: Number($('beta').value),
    seed: Math.max(0, Math.floor(Number($('seed').value) || 0)),
  };
}

function requestTheory() {
  if (!ready) return;
  theoryId = ++requestId;
  worker.postMessage({ type: 'theory', id: theoryId, params: networkParams() });
}

let simulationTimer = 0;
function requestSimulation() {
  clearTimeout(simulationTimer);
  simulationTimer = setTimeout(() => {
    if (!ready) return;
    simulationId = ++requestId;
    traceBuffer = null;
    simulation = null;
    for (const k of ['sim-time', 'sim-steps', 'sim-samples', 'sim-delta0', 'sim-temporal', 'sim-prx']) show(k, '–');
    $('sim-note').textContent = 'PR of the streamed covariance of all N units (finite-N, naive estimator).';
    const params = networkParams();
    // The network being simulated: its readouts below belong to these parameters.
    $('sim-network').textContent = `g = ${params.g}, ${params.spectrum}, N = ${params.n}`;
    $('sim-network').dataset.value = JSON.stringify(params);
    worker.postMessage({ type: 'simulate', id: simulationId, params });
  }, 150);
}

function onNetworkChange() {
  for (const s of sliders) $(`${s}-value`).textContent = $(s).value;
  $('beta').disabled = !['exponential', 'powerLaw'].includes($('spectrum').value);
  requestTheory();
  requestSimulation();
}

for (const id of [...sliders, 'phi', 'spectrum', 'seed']) $(id).addEventListener('input', onNetworkChange);
onNetworkChange();

let theory = null;
let simulation = null;

function drawTheory(t) {
  theory = t;
  show('theory-regime', t.regime);
  show('theory-delta0', t.delta0);
  show('theory-temporal', t.delta0 - t.deltaInf);
  show('theory-gamma', t.gamma, 4);
  show('theory-prx', t.dimension ? t.dimension.prX : '–');
  show('theory-prphi', t.dimension ? t.dimension.prPhi : '–');
  $('theory-note').textContent = t.dimensionNote;
  drawDelta();
}

/** Theory on its lag grid, simulation points where its (coarser) lags fall on that grid. */
function drawDelta() {
  if (!theory) {
    plots.delta.setData([[], [], []]);
    return;
  }
  const lags = Array.from(theory.lags);
  const sim = lags.map(() => null);
  if (simulation && simulation.acf) {
    const step = simulation.acfLags[1] - simulation.acfLags[0];
    const ratio = Math.round(step / (theory.lags[1] - theory.lags[0]));
    simulation.acf.forEach((v, k) => {
      if (k * ratio < sim.length) sim[k * ratio] = v;
    });
  }
  plots.delta.setData([lags, Array.from(theory.delta), sim]);
}

const SPECTRUM_FLOOR = 1e-10;

/** The traces of the last ~60 time units. */
let traceBuffer = null;
const TRACE_SPAN = 60;

function drawSimulation(s) {
  simulation = { ...simulation, ...s, eigenvalues: s.eigenvalues ?? simulation?.eigenvalues };
  show('sim-time', s.time, 5);
  show('sim-steps', s.steps);
  show('sim-samples', s.samples);
  show('sim-delta0', s.acf ? s.acf[0] : '–');
  show('sim-prx', s.prOverN);
  show('sim-temporal', s.temporalVariance);
  if (s.diverged) $('sim-note').textContent = 'the activity diverged (unbounded φ above its critical gain)';
  else if (s.acf && s.temporalVariance < 1e-8 * Math.abs(s.acf[0])) $('sim-note').textContent = 'this network settled on a fixed point (finite N)';

  const times = Array.from(s.times);
  if (!traceBuffer) traceBuffer = { t: [], x: s.traces.map(() => []) };
  traceBuffer.t.push(...times);
  s.traces.forEach((tr, i) => traceBuffer.x[i].push(...tr));
  const start = traceBuffer.t.findIndex((t) => t >= traceBuffer.t.at(-1) - TRACE_SPAN);
  if (start > 0) {
    traceBuffer.t.splice(0, start);
    for (const x of traceBuffer.x) x.splice(0, start);
  }
  plots.traces.setData([traceBuffer.t, ...COLORS.map((_, i) => traceBuffer.x[i] ?? traceBuffer.t.map(() => null))]);

  if (s.eigenvalues) {
    // Relative to the largest, down to 1e−10 (below lies round-off; uPlot's log axes also need a sane range).
    const top = s.eigenvalues[0];
    const ev = top > 0 ? Array.from(s.eigenvalues, (v) => v / top).filter((v) => v >= SPECTRUM_FLOOR) : [];
    plots.spectrum.setData([ev.map((_, k) => k + 1), ev]);
  }
  drawDelta();
}

// ---- panel 2: training --------------------------------------------------------------------

const algorithm = $('algorithm');
for (const name of ALGORITHMS) algorithm.add(new Option(name, name, name === 'kf-rtrl', name === 'kf-rtrl'));

function setTraining(running) {
  $('start').disabled = running;
  $('stop').disabled = !running;
}

$('start').addEventListener('click', () => {
  if (!ready) return;
  trainingId = ++requestId;
  const params = {
    algorithm: algorithm.value,
    lr: Number($('lr').value),
    steps: Math.max(1, Math.floor(Number($('steps').value))),
    block: Math.max(1, Math.floor(Number($('block').value))),
    n: 32,
    seed: 1,
  };
  $('train-state').textContent = 'running';
  $('train-state').dataset.value = 'running';
  setTraining(true);
  plots.training.setData([[], [], [], [], []]);
  worker.postMessage({ type: 'train', id: trainingId, params });
});

$('stop').addEventListener('click', () => worker.postMessage({ type: 'stop-training' }));

function drawTraining(r) {
  const { steps, loss } = r.curve;
  show('train-steps', r.steps);
  show('train-loss', loss.length ? loss.at(-1) : '–');
  show('train-blocks', loss.length);
  // The curve as drawn, for inspection (and the end-to-end test).
  $('plot-training').dataset.loss = JSON.stringify(loss.map((v) => (Number.isFinite(v) ? v : String(v))));
  const constant = (v) => steps.map(() => v);
  plots.training.setData([
    steps.slice(), loss.map((v) => (Number.isFinite(v) ? v : null)),
    constant(ADD_TASK_BASELINES.none), constant(ADD_TASK_BASELINES.first), constant(ADD_TASK_BASELINES.both),
  ]);
  if (r.done) {
    $('train-state').textContent = r.reason;
    $('train-state').dataset.value = r.reason;
    setTraining(false);
  }
}

window.addEventListener('resize', () => {
  for (const [key, plot] of Object.entries(plots)) {
    const el = $(`plot-${key}`);
    plot.setSize({ width: Math.max(280, el.clientWidth), height: plot.height });
  }
});

// ---- panel 2: large N -------------------------------------------------------------------

$('large-run').addEventListener('click', () => {
  if (!ready) return;
  largeId = ++requestId;
  for (const k of ['large-ran-on', 'large-progress', 'large-delta0', 'large-prx', 'large-prphi', 'large-rate']) show(k, '–');
  $('large-note').textContent = 'Burn-in is half the observed time. The other panels pause while a WebAssembly run computes.';
  $('large-run').disabled = true;
  const large = { n: Number($('large-n').value), backend: $('large-backend').value, duration: Math.max(2, Number($('large-duration').value) || 2) };
  worker.postMessage({ type: 'large', id: largeId, params: networkParams(), large });
});

function drawLarge(r) {
  if (r.progress) {
    $('large-progress').textContent = `${r.progress.phase} ${(100 * r.progress.fraction).toFixed(0)} %`;
    return;
  }
  $('large-run').disabled = false;
  $('large-progress').textContent = 'done';
  $('large-progress').dataset.value = 'done';
  $('large-ran-on').textContent = r.backend === 'webgpu' ? `WebGPU (${r.adapter}), N = ${r.n}` : `WebAssembly, N = ${r.n}`;
  $('large-ran-on').dataset.value = r.backend;
  const pm = (v, se, t, digits) => `${v.toFixed(digits)} ± ${se.toFixed(digits)}${t === undefined || Number.isNaN(t) ? '' : ` (${t.toFixed(digits)})`}`;
  const put = (id, v, se, t, digits) => {
    $(id).textContent = pm(v, se, t, digits);
    $(id).dataset.value = String(v);
  };
  put('large-delta0', r.delta0, r.delta0Se, r.theory?.delta0, 3);
  put('large-prx', r.prX, r.prXSe, r.theory?.prX, 4);
  put('large-prphi', r.prPhi, r.prPhiSe, r.theory?.prPhi, 4);
  show('large-rate', r.rate, 3);
}
