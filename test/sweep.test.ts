import { describe, expect, it } from 'vitest';
import { JobError, SweepCancelledError, runJob, runJobs, type Job } from '../ts/index.js';

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
});
