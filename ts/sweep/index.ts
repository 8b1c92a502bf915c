/**
 * Sweeps as data, for one machine or a Slurm cluster (Node only: files and processes):
 * `planSweep` expands a spec into numbered cells, `runSweep` runs a shard of them into a result
 * folder, `mergeSweep` reads folders into one table, `submitSweep` submits job arrays.
 * Imported as `rnnlab/sweep`.
 */

export { planSweep, sweepCell, expandSweep, canonicalJson, SWEEP_VERSION, MAX_CELLS } from './spec.js';
export type { SweepSpec, SweepPart, GridAxis, SweepSeeds, SweepPlan, PlannedPart, SweepCell } from './spec.js';
export { parseShard, shardCells, formatRanges, parseRanges, splitArrays, type Shard, type ArrayChunk } from './shard.js';
export { writeAtomic, cellFile, readHeader, openSweepFolder, PACKAGE_VERSION, SweepConflictError, type CellRecord, type SweepHeader } from './store.js';
export { runSweep, taskLabel, type RunSweepOptions, type RunSweepReport } from './run.js';
export { mergeSweep, mergedCsv, mergeSummary, rerunIndices, type MergeReport, type SweepRow } from './merge.js';
export { submitSweep, followSweep, sbatchScript, maxArraySize, defaultCommand, shellQuote, SlurmError, type SubmitSweepOptions, type SweepSubmission } from './slurm.js';
