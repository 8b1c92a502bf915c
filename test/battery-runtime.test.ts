/**
 * Bad input to the runtime, sweep and large-N exports (init, runJob, runJobs, simulateLarge):
 * every case is a typed error naming the parameter at fault, raised before any work, and the
 * module stays usable after each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, RnnlabError, init, runJob, runJobs, simulateLarge, solveDMFT, type LargeOptions } from '../ts/index.js';

const DELTA0 = 1.924805413737069;
const VALID: LargeOptions = { n: 16, connectivity: { kind: 'iid', g: 2 }, trajectories: 2, workers: 0, burnIn: 1, duration: 10, maxLag: 2, seed: 1 };

/** Asserts an ArgumentError naming `parameter`, and that the module still works. */
async function rejectsNaming(p: Promise<unknown> | (() => unknown), parameter: string): Promise<void> {
  const error = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(() => undefined, (e: unknown) => e);
  expect(error, `expected an error naming ${parameter}`).toBeInstanceOf(ArgumentError);
  expect((error as ArgumentError).parameter).toBe(parameter);
  expect(solveDMFT({ g: 2 }).delta0).toBe(DELTA0);
}

/** Values that are no valid number, size, flag or option object. */
const junk = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, null, '2', 'false', true, {}, [], [1], () => 1, Symbol('x'), 2n),
  fc.string(),
);

describe('simulateLarge rejects bad options by name', () => {
  const numeric = ['n', 'trajectories', 'firstTrajectory', 'workers', 'dt', 'burnIn', 'duration', 'sampleEvery', 'maxLag', 'units', 'blocks', 'x0Std', 'seed', 'networkSeed', 'bias', 'noise'] as const;

  it('junk in any numeric option', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...numeric), junk, async (key, value) => {
        await rejectsNaming(simulateLarge({ ...VALID, [key]: value } as LargeOptions), key);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    [{ n: 3 }, 'n'], [{ n: 1e6 }, 'n'], [{ n: 16.5 }, 'n'], [{ trajectories: 0 }, 'trajectories'], [{ workers: -1 }, 'workers'],
    [{ dt: 0 }, 'dt'], [{ dt: -0.1 }, 'dt'], [{ dt: 1e-9, duration: 10 }, 'dt'], [{ duration: 0 }, 'duration'], [{ noise: -1 }, 'noise'],
    [{ precision: 'f16' }, 'precision'], [{ phi: 'sigmoid' }, 'phi'], [{ phi: { kind: 'tanh', gain: NaN } }, 'phi.gain'],
    [{ phi: { kind: 'tanh', slope: 2 } }, 'phi.slope'], [{ units: 17 }, 'units'], [{ blocks: 3 }, 'blocks'],
    [{ onProgress: 'yes' }, 'onProgress'], [{ signal: {} }, 'signal'], [{ workerUrl: 3 }, 'workerUrl'],
    [{ trajectory: 4 }, 'trajectory'], [{ seed: -1 }, 'seed'], [{ seed: 2 ** 53 }, 'seed'],
    [{ connectivity: null }, 'connectivity'], [{ connectivity: { kind: 'iid' } }, 'connectivity.g'],
    [{ connectivity: { kind: 'iid', g: 2, zeroDiagonal: 'false' } }, 'connectivity.zeroDiagonal'],
    [{ connectivity: { kind: 'iid', g: 2, zeroDiagnal: true } }, 'connectivity.zeroDiagnal'],
    [{ connectivity: { kind: 'sparse', g: 2 } }, 'connectivity.kind'],
    [{ connectivity: { kind: 'matrix', J: new Float64Array(15) } }, 'connectivity.J'],
    [{ connectivity: { kind: 'matrix', J: new Float64Array(256).fill(NaN) } }, 'connectivity.J'],
    [{ connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'flat', alpha: 2 }, g: 2 } } }, 'connectivity.spectrum.shape.alpha'],
    [{ connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g: NaN } } }, 'connectivity.spectrum.g'],
    [{ connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g: 2 }, overlaps: 2 } }, 'connectivity.overlaps'],
    [{ connectivity: { kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g: 2 }, gains: { sigma: 1 } } }, 'connectivity.gains.sigma'],
  ] as const)('%o names %s', async (change, parameter) => {
    await rejectsNaming(simulateLarge({ ...VALID, ...change } as unknown as LargeOptions), parameter);
  });

  it('suggests the option meant by a misspelling', async () => {
    await expect(simulateLarge({ ...VALID, trajectory: 4 } as unknown as LargeOptions)).rejects.toThrow("did you mean 'trajectories'");
  });

  it('an onProgress that throws rejects the run with its error (in this thread and over workers)', async () => {
    const boom = new Error('handler failed');
    for (const workers of [0, 2]) {
      await expect(simulateLarge({ ...VALID, workers, onProgress: () => { throw boom; } })).rejects.toBe(boom);
    }
    expect((await simulateLarge(VALID)).delta0).toBeGreaterThan(0);
  });
});

describe('sweep jobs are checked before they run', () => {
  it.each([
    [null, 'job'], [{ kind: 'theory', g: 2 }, 'kind'], [{ kind: 'dmft', g: 2, gian: 1 }, 'gian'],
    [{ kind: 'dmft', g: null }, 'g'], [{ kind: 'dmft', g: '2' }, 'g'], [{ kind: 'dimension', g: NaN }, 'g'],
    [{ kind: 'simulate', n: 20, g: 2 }, 'seed'],
    [{ kind: 'train', network: { n: 4, nIn: 2, nOut: 2, seed: 1 }, task: null, algorithm: 'rflo', steps: 10, seed: 1 }, 'task'],
    [{ kind: 'train', network: { n: 4, nIn: 2, nOut: 2, seed: 1 }, task: { kind: 'add', lag: [1, 2] }, algorithm: 'rflo', steps: 10, seed: 1 }, 'task.lag'],
    [{ kind: 'train', network: { n: 4, nIn: 2, nOut: 2, seed: 1 }, task: { kind: 'copy' }, algorithm: 'rflo', steps: 10, seed: 1 }, 'task.kind'],
  ] as const)('%o names %s', async (job, parameter) => {
    await rejectsNaming(runJob(job as never), parameter);
  });

  it('bad sweeps', async () => {
    await rejectsNaming(runJobs('jobs' as never, { workers: 0 }), 'jobs');
    await rejectsNaming(runJobs([null] as never, { workers: 0 }), 'jobs[0]');
    await rejectsNaming(runJobs([], null as never), 'options');
  });
});

describe('init', () => {
  it.each([
    [null, 'source'], [42, 'source'], [{}, 'source'],
  ] as const)('rejects the source %o', async (source, parameter) => {
    await rejectsNaming(init(source as never), parameter);
  });

  it('rejects bad options by name', async () => {
    await rejectsNaming(init(undefined, { sweepWorker: 3 } as never), 'sweepWorker');
    await rejectsNaming(init(undefined, { sweep: 'w.js' } as never), 'sweep');
    await rejectsNaming(init(undefined, null as never), 'options');
    for (const threads of [0, 1.5, 257, '2']) await rejectsNaming(init(undefined, { threads } as never), 'threads');
  });

  it('a file that is not the module is an InitError naming it, and the loaded module keeps working', async () => {
    const error = await init(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5])).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RnnlabError);
    expect((error as Error).name).toBe('InitError');
    expect(solveDMFT({ g: 2 }).delta0).toBe(DELTA0);
  });
});
