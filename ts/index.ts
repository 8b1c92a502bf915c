/**
 * rnnlab: theory, simulation and training of recurrent neural networks, with numerics in
 * WebAssembly SIMD. This entry point exports the whole public API.
 */

export { init, simdSupported, threadCount, type InitOptions, type WasmSource } from './runtime/module.js';
export type { WorkerLocations, WorkerUrl } from './runtime/locations.js';
export { WasmObject } from './runtime/handle.js';
export { MEMORY_LIMIT_BYTES } from './runtime/call.js';
export {
  RnnlabError,
  ArgumentError,
  MemoryBudgetError,
  DisposedError,
  InitError,
  InternalError,
  NoSolutionError,
  DivergenceError,
} from './errors.js';
export { matrix, type Matrix } from './matrix.js';
export { iidGaussian, type IidOptions } from './connectivity/iid.js';
export { spectrum, effectiveRank, type SpectrumShape, type SpectrumOptions } from './connectivity/spectrum.js';
export { randomMode, type RandomModeOptions, type RandomModeNetwork } from './connectivity/randomMode.js';
export { exponentialGains, gainParticipation, permutedGains, sigmoidOverlaps, type SigmoidOverlapOptions } from './connectivity/profiles.js';
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
  type StatisticsOptions,
  type PhiKind,
  type PhiOption,
} from './dynamics/simulation.js';
export { simulateActivity, type ActivityOptions, type ActivitySummary } from './dynamics/activity.js';
export { solveDMFT, criticalGain, type DmftOptions, type DmftSolution } from './theory/dmft.js';
export { blockParticipation, type BlockEstimates, type PrEstimate } from './stats/blocks.js';
export { weightedParticipation } from './stats/weightedParticipation.js';
export { psi, decayRate, type PsiOptions, type PsiEstimate } from './stats/psi.js';
export { measureActivity, type MeasureActivityOptions, type ActivityMeasurement } from './stats/activity.js';
export { effectiveRankFromMatrix } from './connectivity/matrixRank.js';
export { readCouplings, type ReadCouplingsOptions, type Couplings, type ColumnRef } from './io/couplings.js';
export { balanceSigned, type BalanceSignedOptions, type BalancedCouplings } from './connectivity/balanceSigned.js';
export { fitRandomMode, type FitRandomModeOptions, type RandomModeFit } from './connectivity/fitRandomMode.js';
export {
  dimensionFromCorrelations,
  dimensionVsRank,
  frequencyDimension,
  populationCorrelation,
  linearCovariance,
  type DimensionOptions,
  type DimensionResult,
  type DimensionDiagnostics,
  type PopulationCorrelationOptions,
  type PopulationCorrelationResult,
} from './theory/dimension.js';
export { dimension, type DimensionTheory, type DimensionTheoryOptions } from './theory/dimensionTheory.js';
export {
  outputGainDimension,
  type OutputGainDimension,
  type OutputGainDimensions,
  type OutputGainOptions,
} from './theory/outputGains.js';
export { overlapDimension, type OverlapDimension, type OverlapDimensionOptions, type OverlapSingleSite } from './theory/overlapDimension.js';
export { predictActivity, type PredictActivityOptions, type ActivityPrediction } from './theory/predictActivity.js';
export { solveOverlapDMFT, type OverlapDMFTOptions, type OverlapDMFTSolution } from './theory/overlapDmft.js';
export { solveMapDMFT, type MapDmftOptions, type MapDmftSolution } from './theory/mapDmft.js';
export { linePlotSvg, type PlotOptions, type Series } from './plot/svg.js';
export {
  createNetwork,
  type RnnNetwork,
  type NetworkOptions,
  type Activation,
  type LossKind,
  type Legacy,
  type WeightArrays,
} from './learning/network.js';
export {
  addTask,
  mimicTask,
  sequenceTask,
  ADD_TASK_BASELINES,
  type Task,
  type AddTask,
  type MimicTask,
  type SequenceTask,
} from './learning/tasks.js';
export {
  ALGORITHMS,
  type AlgorithmName,
  type AlgorithmSpec,
  type FeedbackOptions,
  type KernlOptions,
  type TruncationOptions,
  type DniOptions,
} from './learning/algorithms.js';
export { sequenceGradient, type SequenceGradientOptions, type SequenceGradient } from './learning/gradient.js';
export {
  Trainer,
  type TrainerOptions,
  type OptimizerOptions,
  type LearningCurve,
  type AlignmentSeries,
  type Checkpoint,
} from './learning/trainer.js';
export { train, type TrainOptions, type TrainResult, type Progress, type StopReason } from './learning/train.js';
export {
  runJob,
  type Job,
  type JobResult,
  type DimensionJob,
  type DmftJob,
  type SimulateJob,
  type LargeJob,
  type TrainJob,
} from './parallel/jobs.js';
export { runJobs, runJobsSettled, SweepCancelledError, JobError, type SweepOptions, type JobOutcome } from './parallel/pool.js';
export {
  simulateLarge,
  SimulationCancelledError,
  type LargeResult,
  type LargeStatistics,
  type WeightedDimension,
} from './large/simulateLarge.js';
export type { LargeOptions, LargeConnectivity, LargeProgress, LargeWeighting, GpuLike } from './large/plan.js';
export { GpuUnavailableError, GpuDeviceLostError, GpuOutOfMemoryError } from './gpu/errors.js';
export {
  ForceNetwork,
  sumOfSines,
  normalizedError,
  type ForceOptions,
  type ForceTrainOptions,
  type ForceTrainResult,
  type ForceTrace,
  type ForceProgress,
  type ForceState,
  type SumOfSinesOptions,
} from './plasticity/force.js';
export {
  trainLocalPlasticity,
  type LocalPlasticityOptions,
  type LocalPlasticityResult,
  type LocalPlasticityCurve,
  type CompartmentSynapses,
} from './plasticity/localPlasticity.js';
