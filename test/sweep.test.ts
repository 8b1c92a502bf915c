import { describe, expect, it } from 'vitest';
import { exponentialGains, permutedGains, ArgumentError, InitError, JobError, SweepCancelledError, runJob, runJobs, simulateLarge, type Job } from '../ts/index.js';

/** Worker-pool sweeps: identical to the serial run, progress, errors and cancellation. */
describe('parallel sweeps', () => {
  const jobs: Job[] = [
    { kind: 'dimension', g: 2, gamma: 1 },
    { kind: 'dmft', g: 3 },
    { kind: 'simulate', n: 80, g: 2, duration: 40, seed: 3 },
    { kind: 'train', network: { n: 8, nIn: 2, nOut: 2, seed: 1 }, task: { kind: 'add', lags: [1, 2] }, algorithm: 'rflo', steps: 2000, seed: 2, testSteps: 500 },
  ];

  it('two workers give exactly the serial results, in order, with progress', async () => {
    const serial = await runJobs(jobs, { workers: 0 });
    const seen: number[] = [];
    const parallel = await runJobs(jobs, { workers: 2, onProgress: (p) => seen.push(p.done) });
    expect(parallel).toEqual(serial);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(serial[0]).toEqual(await runJob(jobs[0]!));
    expect(serial.map((r) => r.kind)).toEqual(['dimension', 'dmft', 'simulate', 'train']);
  }, 60000);

  it('a failing job rejects with the job index and the parameter; a cancelled sweep rejects', async () => {
    const bad: Job[] = [{ kind: 'dimension', g: 2 }, { kind: 'dmft', g: -1 }];
    await expect(runJobs(bad, { workers: 1 })).rejects.toSatisfy((e) => e instanceof JobError && e.index === 1 && e.detail.parameter === 'g');
    const ac = new AbortController();
    const many: Job[] = Array.from({ length: 20 }, (_, i) => ({ kind: 'simulate', n: 100, g: 2, duration: 100, seed: i }));
    const p = runJobs(many, { workers: 2, signal: ac.signal, onProgress: () => ac.abort() });
    await expect(p).rejects.toBeInstanceOf(SweepCancelledError);
  }, 60000);

  it('an onProgress that throws stops the sweep with its error; bad options are named', async () => {
    const boom = new Error('progress handler failed');
    for (const workers of [0, 2]) {
      await expect(runJobs(jobs.slice(0, 2), { workers, onProgress: () => { throw boom; } })).rejects.toBe(boom);
    }
    const bad = [
      [{ onProgress: 'yes' }, 'onProgress'],
      [{ signal: {} }, 'signal'],
      [{ workers: 1.5 }, 'workers'],
      [{ worker: 2 }, 'worker'],
      [{ workers: null }, 'workers'],
      [{ workerUrl: 3 }, 'workerUrl'],
    ] as const;
    for (const [opts, parameter] of bad) {
      await expect(runJobs(jobs, opts as never)).rejects.toSatisfy((e) => e instanceof ArgumentError && e.parameter === parameter);
    }
    await expect(runJobs(jobs, { worker: 2 } as never)).rejects.toThrow("did you mean 'workers'");
  }, 60000);

  it('a worker script that cannot be loaded is named in the error', async () => {
    const missing = new URL('./no-such-worker.js', import.meta.url);
    await expect(runJobs(jobs.slice(0, 1), { workers: 1, workerUrl: missing })).rejects.toSatisfy(
      (e) => e instanceof InitError && e.message.includes(missing.href),
    );
  }, 60000);

  it('a large-N job is simulateLarge with the same options, for any JSON connectivity', async () => {
    const connectivity = { kind: 'randomMode', spectrum: { shape: { kind: 'flat' }, g: 2, modes: 16 }, overlaps: 0.2 } as const;
    const common = { n: 64, phi: 'erf', trajectories: 2, burnIn: 5, duration: 20, maxLag: 4, seed: 3 } as const;
    const job = await runJob({ kind: 'large', connectivity, ...common });
    const direct = await simulateLarge({ connectivity, ...common, workers: 0 });
    expect(job).toEqual({ kind: 'large', delta0: direct.delta0, delta0Se: direct.delta0Se, cphi0: direct.cphi0, prX: direct.prX, prXSe: direct.prXSe, prPhi: direct.prPhi, prPhiSe: direct.prPhiSe });
    const iid = await runJob({ kind: 'large', g: 2, ...common });
    expect(iid).toMatchObject({ delta0: (await simulateLarge({ connectivity: { kind: 'iid', g: 2 }, ...common, workers: 0 })).delta0 });
    await expect(runJob({ kind: 'large', g: 2, connectivity, ...common })).rejects.toSatisfy((e) => e instanceof ArgumentError && e.parameter === 'connectivity');
    await expect(runJob({ kind: 'large', connectivity, beta: 2, ...common })).rejects.toSatisfy((e) => e instanceof ArgumentError && e.parameter === 'beta');
    // Output gains and weightings as JSON: lists and descriptors, the same numbers as the engine's arrays.
    const G = exponentialGains({ n: 64, beta: 2 });
    const weighted = { g: { weights: 'outputGains' }, z: { zscore: true }, r: { zscore: true, weights: { permutedOutputGains: 5 } }, w: { weights: Array.from(G) as number[] } } as const;
    const withGains = await runJob({ kind: 'large', connectivity: { ...connectivity, outputGains: { exponentialBeta: 2 } }, weighted, ...common });
    const engine = await simulateLarge({
      connectivity: { ...connectivity, outputGains: G }, ...common, workers: 0,
      weighted: { g: { weights: G }, z: { zscore: true }, r: { zscore: true, weights: permutedGains(G, 5) }, w: { weights: G } },
    });
    expect(withGains).toMatchObject({ delta0: engine.delta0, weighted: engine.weighted });
    expect(Object.keys(engine.weighted)).toEqual(['g', 'z', 'r', 'w']);
    expect(engine.weighted.w).toEqual(engine.weighted.g);
  }, 60000);
});
