/**
 * rnnlab: theory, simulation and training of recurrent neural networks, with numerics in
 * WebAssembly SIMD. This entry point exports the whole public API.
 */

export { init, simdSupported, type WasmSource } from './runtime/module.js';
export { WasmObject } from './runtime/handle.js';
export { MEMORY_LIMIT_BYTES } from './runtime/call.js';
export {
  RnnlabError,
  ArgumentError,
  MemoryBudgetError,
  DisposedError,
  InitError,
  InternalError,
} from './errors.js';
export { matrix, type Matrix } from './matrix.js';
export { iidGaussian, type IidOptions } from './connectivity/iid.js';
export { spectrum, effectiveRank, type SpectrumShape, type SpectrumOptions } from './connectivity/spectrum.js';
export { randomMode, type RandomModeOptions, type RandomModeNetwork } from './connectivity/randomMode.js';
export { symmetricEigenvalues, symmetricEigen, singularValues, eigenvalues } from './linalg/eigen.js';
export {
  participationRatio,
  participationRatioFromEigenvalues,
  covariance,
  autocorrelation,
} from './stats/statistics.js';
export {
  Simulation,
  type SimulationOptions,
  type RunOptions,
  type Recording,
  type StreamStatistics,
  type PhiKind,
  type PhiOption,
} from './dynamics/simulation.js';
export { simulateActivity, type ActivityOptions, type ActivitySummary } from './dynamics/activity.js';
export { solveOverlapDMFT, type OverlapDMFTOptions, type OverlapDMFTSolution } from './theory/overlapDmft.js';
export { linePlotSvg, type PlotOptions, type Series } from './plot/svg.js';
