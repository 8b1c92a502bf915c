import type { WasmMemory } from './platformTypes.js';

/**
 * The C ABI of the WebAssembly module (see `crate/src/ffi`). Pointers and sizes are numbers
 * (wasm32 addresses); seeds are integers carried as f64; a status of 0 means success.
 */
export interface WasmExports {
  readonly memory: WasmMemory;
  rnl_init(): void;
  rnl_selftest_panic(): void;
  rnl_error_ptr(): number;
  rnl_error_len(): number;
  rnl_alloc(bytes: number): number;
  rnl_free(ptr: number, bytes: number): void;
  rnl_iid(n: number, g: number, zeroDiagonal: number, seed: number, out: number): number;
  rnl_spectrum(kind: number, p: number, a: number, b: number, n: number, g: number, out: number): number;
  rnl_effective_rank(d: number, p: number): number;
  rnl_random_mode(
    n: number, p: number, d: number, modes: number, overlapKind: number, rho: number, gains: number, seed: number,
    outJ: number, outLeft: number, outRight: number,
  ): number;
  rnl_lognormal_gains(n: number, sigma: number, seed: number, out: number): number;
  rnl_sym_eig(n: number, a: number, outVals: number, outVecs: number): number;
  rnl_singular_values(rows: number, cols: number, a: number, out: number): number;
  rnl_eigenvalues(n: number, a: number, outRe: number, outIm: number): number;
  rnl_quenched_covariance(
    n: number, j: number, nClasses: number, slopes: number, residuals: number, len: number, classOf: number,
    noiseVariance: number, dt: number, method: number,
    outCx: number, outCphi: number, outRe: number, outIm: number, outInfo: number,
    nOmega: number, omega: number, outPrx: number, outPrphi: number, outSpectrumX: number, outSpectrumPhi: number,
  ): number;
  rnl_quenched_gain(kind: number, gain: number, bias: number, g0: number, noise: number, dt: number, n: number, j: number, out: number): number;
  rnl_gain_class_residuals(
    kind: number, gain: number, bias: number, deltas: number, len: number, nClasses: number,
    outSlopes: number, outResiduals: number,
  ): number;
  rnl_row_gain_dmft(
    kind: number, gain: number, g: number, noise: number, classes: number, nClasses: number, dt: number, len: number,
    outDeltas: number,
  ): number;
  rnl_participation_ratio(n: number, cov: number): number;
  rnl_autocorrelation(steps: number, n: number, traj: number, maxLag: number, subtractMean: number, out: number): number;
  rnl_covariance(steps: number, n: number, traj: number, outMean: number, outCov: number): number;
  rnl_sim_new(
    n: number, j: number, phiKind: number, phiGain: number, method: number, dt: number, noise: number,
    bias: number, x0: number, x0Std: number, seed: number,
  ): number;
  rnl_sim_free(handle: number): number;
  rnl_sim_live(): number;
  rnl_sim_run(handle: number, steps: number, drive: number, stride: number, units: number, outX: number, outPhi: number): number;
  rnl_sim_get_state(handle: number, out: number): number;
  rnl_sim_set_state(handle: number, x: number): number;
  rnl_sim_steps(handle: number): number;
  rnl_sim_enable_stats(handle: number, x: number, phi: number, stride: number): number;
  rnl_sim_stats_count(handle: number, which: number): number;
  rnl_sim_stats(handle: number, which: number, outMean: number, outCov: number): number;
  rnl_map_solve(
    kind: number, gain: number, g: number, delta: number, noise: number, gamma: number, cap: number,
    out: number, outLags: number, outCphi: number,
  ): number;
  rnl_dmft_solve(
    kind: number, gain: number, bias: number, g: number, noise: number, dt: number, tauMax: number, lyapunov: number,
    gains: number, nGains: number, lognormalSigma: number, out: number,
  ): number;
  rnl_dmft_lags(outDelta: number, outCphi: number, outCslope: number): number;
  rnl_critical_gain(kind: number, gain: number, bias: number): number;
  rnl_sim_enable_block_stats(handle: number, x: number, phi: number, stride: number, blocks: number, perBlock: number): number;
  rnl_sim_block_estimates(handle: number, which: number, out: number): number;
  rnl_block_estimates(n: number, traj: number, blocks: number, rows: number, out: number): number;
  rnl_psi(
    steps: number, n: number, traj: number, seed: number, blocks: number, maxLag: number, scale: number,
    outTauTau: number, outTau0: number, outNaiveTauTau: number, outNaiveTau0: number,
  ): number;
  rnl_decay_rate(len: number, lags: number, values: number, from: number, to: number): number;
  rnl_dimension(dt: number, n: number, cx: number, cphi: number, nu: number, out: number): number;
  rnl_dimension_um(dt: number, n: number, cx: number, cphi: number, g: number, meanGain: number, step: number, out: number): number;
  rnl_frequency_dimension(nu: number, gamma: number, count: number, omega: number, outX: number, outPhi: number): number;
  rnl_population_correlation(
    dt: number, n: number, c: number, nu: number, gamma: number, rates: number, count: number, fitStart: number,
    fitEnd: number, outDiag: number, outEdge: number, outInfo: number,
  ): number;
  rnl_linear_covariance(n: number, j: number, noise: number, outC: number, outInfo: number): number;
  rnl_overlap_dmft(
    p: number, d: number, rho: number, alpha: number, phiKind: number, phiGain: number, noise: number, dt: number,
    steps: number, samples: number, iterations: number, mixing: number, memory: number, batches: number, average: number,
    seed: number, outDelta: number, outCphi: number, outDeltaErr: number, outCphiErr: number, outResponse: number, outKernel: number,
    outHistory: number, outMemory: number,
  ): number;
  rnl_overlap_dimension(
    p: number, d: number, rho: number, alpha: number, dt: number, nLag: number, cphi: number, domega: number, nFreq: number,
    sRe: number, sIm: number, out: number,
  ): number;
  rnl_rnn_init(n: number, nIn: number, nOut: number, seed: number, outWRec: number, outWIn: number, outWOut: number, outA0: number): number;
  rnl_learn_gradient(
    n: number, nIn: number, nOut: number, alpha: number, activation: number, loss: number, legacy: number,
    wRec: number, wIn: number, bRec: number, wOut: number, bOut: number, a0: number, steps: number, inputs: number,
    labels: number, code: number, options: number, optionsLen: number, seed: number, outWRec: number, outWIn: number,
    outBRec: number, outWOut: number, outBOut: number, outPerStep: number, outLoss: number,
  ): number;
  rnl_trainer_new(
    n: number, nIn: number, nOut: number, alpha: number, activation: number, loss: number, legacy: number,
    wRec: number, wIn: number, bRec: number, wOut: number, bOut: number, a0: number, taskCode: number,
    taskParams: number, taskParamsLen: number, seqSteps: number, inputs: number, labels: number, algCount: number,
    algCodes: number, algOptions: number, algOptionsLen: number, rule: number, lr: number, beta1: number,
    beta2: number, eps: number, maxNorm: number, seed: number, block: number,
  ): number;
  rnl_trainer_free(handle: number): number;
  rnl_trainer_live(): number;
  rnl_trainer_run(handle: number, steps: number): number;
  rnl_trainer_pending(handle: number): number;
  rnl_trainer_record_width(handle: number): number;
  rnl_trainer_take_records(handle: number, out: number): number;
  rnl_trainer_weights(
    handle: number, outWRec: number, outWIn: number, outBRec: number, outWOut: number, outBOut: number, outA: number,
    outCounts: number,
  ): number;
  rnl_trainer_moments_len(handle: number): number;
  rnl_trainer_moments(handle: number, out: number): number;
  rnl_trainer_restore(handle: number, steps: number, updates: number, moments: number): number;
  rnl_trainer_evaluate(handle: number, steps: number, seed: number, out: number): number;
  rnl_force_new(
    n: number, g: number, p: number, alpha: number, tau: number, dt: number, learnEvery: number, feedback: number, seed: number,
  ): number;
  rnl_force_free(handle: number): number;
  rnl_force_live(): number;
  rnl_force_run(handle: number, steps: number, targets: number, outZ: number, outDw: number): number;
  rnl_force_state(handle: number, outX: number, outW: number, outP: number, outInfo: number): number;
  rnl_force_connectivity(handle: number, outJ: number, outWf: number): number;
  rnl_plasticity_train(
    n: number, nIn: number, nOut: number, alpha: number, activation: number, loss: number, legacy: number,
    wRec: number, wIn: number, bRec: number, wOut: number, bOut: number, a0: number, taskCode: number,
    taskParams: number, taskParamsLen: number, seqSteps: number, inputs: number, labels: number, apicalRate: number,
    predictionRate: number, horizon: number, lr: number, maxNorm: number, seed: number, steps: number, block: number,
    testSteps: number, testSeed: number, outWRec: number, outWIn: number, outBRec: number, outWOut: number,
    outBOut: number, outA: number, outRecords: number, outTestLoss: number, outApical: number, outPrediction: number,
    outMirror: number, outFeedback: number,
  ): number;
  rnl_large_new(
    precision: number, n: number, r0: number, r1: number, trajectories: number, kind: number, g: number,
    zeroDiagonal: number, d: number, p: number, rho: number, gains: number, outputGains: number, rows: number, couplingSeed: number,
    phiKind: number, phiGain: number, bias: number, dt: number, noise: number, x0Std: number, seed: number,
    firstTrajectory: number,
  ): number;
  rnl_large_free(handle: number): number;
  rnl_large_live(): number;
  rnl_large_buffer(handle: number, which: number): number;
  rnl_large_stage(handle: number): number;
  rnl_large_sample(handle: number): number;
  rnl_large_enable_stats(handle: number, groups: number, buffer: number, units: number, stride: number): number;
  rnl_large_run(handle: number, steps: number): number;
  rnl_large_couplings(handle: number, out: number): number;
  rnl_large_state(handle: number, out: number): number;
  rnl_large_finish_len(groups: number, trajectories: number, maxLag: number, weightings: number): number;
  rnl_large_finish(handle: number, groups: number, maxLag: number, count: number, weights: number, zscore: number, out: number): number;
  rnl_pr_from_gram(k: number, traces: number, gram: number, out: number): number;
}

/** The exports every module must provide (checked at load time). */
export const REQUIRED_EXPORTS: readonly (keyof WasmExports)[] = [
  'memory', 'rnl_init', 'rnl_error_ptr', 'rnl_error_len', 'rnl_alloc', 'rnl_free', 'rnl_iid', 'rnl_random_mode',
  'rnl_sym_eig', 'rnl_singular_values', 'rnl_sim_new', 'rnl_sim_run', 'rnl_sim_free',
];
