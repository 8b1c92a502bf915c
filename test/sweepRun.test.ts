import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cellFile, mergeSweep, mergeSummary, PACKAGE_VERSION, planSweep, rerunIndices, runSweep, submitSweep, SweepConflictError, writeAtomic,
  type CellRecord, type SweepSpec,
} from '../ts/sweep/index.js';
import { cli } from './support/cli.js';

/** Result folders: atomic cell files, reruns, shards, merges with duplicates, conflicts and failures, and the CLI. */
const root = fileURLToPath(new URL('..', import.meta.url));
const base = join(root, 'test/out/sweep');
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
const entry = join(root, 'ts/cli/main.ts');
/** Node with tsx's loader in the same process (tsx's CLI would run the script in a child that a kill misses). */
const node = (...args: string[]) => [process.execPath, ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, ...args]] as const;

const spec = {
  version: 1,
  name: 'unit',
  parts: [
    { job: 'dimension', grid: { g: [1.5, 3], gamma: [0, 2] } },
    { job: 'dmft', grid: { g: [2, -1] } },
    {
      job: 'train', grid: { algorithm: ['rflo'] }, seeds: 2,
      fixed: { network: { n: 6, nIn: 2, nOut: 2 }, task: { kind: 'add', lags: [1, 2] }, steps: 300, testSteps: 200 },
    },
  ],
} as const satisfies SweepSpec;
const FAILING = 5; // dmft at g = −1

const read = (dir: string, i: number, failed = false) => JSON.parse(readFileSync(join(dir, cellFile(i, failed)), 'utf8')) as CellRecord;

describe('sweep result folders', () => {
  it('runs every cell once: a rerun skips them, failures are recorded and retried, shards add up to the whole', async () => {
    const all = join(base, 'all');
    const first = await runSweep(spec, { out: all, workers: 0 });
    expect(first).toMatchObject({ cells: 8, skipped: 0, ran: 7 });
    expect(first.failed).toEqual([{ index: FAILING, error: { name: 'ArgumentError', message: expect.stringContaining('g') as string, parameter: 'g' } }]);
    const r = read(all, 0);
    expect(r).toMatchObject({ rnnlab: 'sweep-cell', index: 0, spec: planSweep(spec).hash, version: PACKAGE_VERSION, params: { g: 1.5, gamma: 0 }, seed: null, status: 'ok' });
    expect(read(all, FAILING, true)).toMatchObject({ status: 'failed', error: { parameter: 'g' } });
    expect(existsSync(join(all, cellFile(FAILING)))).toBe(false);

    const again = await runSweep(spec, { out: all, workers: 0 });
    expect(again).toMatchObject({ skipped: 7, ran: 0 });
    expect(again.failed.map((f) => f.index)).toEqual([FAILING]);

    // Shards in separate calls and in a worker pool give the same files, number for number.
    const sharded = join(base, 'sharded');
    for (const shard of ['0/3', '1/3', '2/3']) await runSweep(spec, { out: sharded, shard, workers: 2 });
    for (let i = 0; i < 8; i++) {
      if (i === FAILING) continue;
      expect(read(sharded, i).result).toEqual(read(all, i).result);
    }
    expect(mergeSweep(sharded).rows).toEqual(mergeSweep(all).rows);

    // A stale failure record goes when its cell succeeds.
    writeFileSync(join(all, cellFile(0, true)), JSON.stringify({ ...read(all, 0), status: 'failed', error: { name: 'Error', message: 'old' } }));
    rmSync(join(all, cellFile(0)));
    expect((await runSweep(spec, { out: all, workers: 0 })).ran).toBe(1);
    expect(existsSync(join(all, cellFile(0, true)))).toBe(false);
  }, 60_000);

  it('merges into one table and reports missing, failed, duplicate and conflicting cells', async () => {
    const a = join(base, 'all');
    const m = mergeSweep(a);
    expect(m.size).toBe(8);
    expect(m.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(m.missing).toEqual([]);
    expect(m.failed).toEqual([{ index: FAILING, error: expect.objectContaining({ parameter: 'g' }) as object, task: null, host: expect.any(String) as string }]);
    expect(m.complete).toBe(false);
    expect(rerunIndices(m)).toBe('5');
    expect(m.columns).toEqual(['index', 'job', 'seed', 'g', 'gamma', 'prX', 'prPhi', 'delta0', 'lyapunovExponent', 'tailRate', 'regime', 'algorithm', 'testLoss', 'finalLoss']);
    expect(m.rows[0]).toMatchObject({ index: 0, job: 'dimension', seed: null, g: 1.5, gamma: 0 });
    expect(m.rows.at(-1)).toMatchObject({ index: 7, job: 'train', seed: 1, algorithm: 'rflo', steps: expect.any(Array) as unknown[] });

    const b = join(base, 'copy');
    cpSync(a, b, { recursive: true });
    const twice = mergeSweep([a, b]);
    expect(twice.duplicates).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(twice.rows).toEqual(m.rows);
    expect(twice.conflicts).toEqual([]);

    // Different numbers for a cell, a cell that is not what its index means, and one of another spec.
    const c2 = read(b, 2);
    writeFileSync(join(b, cellFile(2)), JSON.stringify({ ...c2, result: { ...c2.result, prX: (c2.result as { prX: number }).prX * (1 + 1e-15) } }));
    writeFileSync(join(b, cellFile(3)), JSON.stringify({ ...read(b, 3), params: { g: 3, gamma: 0 } }));
    writeFileSync(join(b, cellFile(4)), JSON.stringify({ ...read(b, 4), spec: '0123456789abcdef' }));
    const bad = mergeSweep([a, b]);
    expect(bad.conflicts.map((c) => [c.index, c.reason])).toEqual([
      [2, 'different results for the same cell'],
      [3, 'its parameters are not those of its index'],
      [4, 'computed for sweep 0123456789abcdef, not ' + planSweep(spec).hash],
    ]);
    expect(bad.conflicts[0]!.files).toEqual([join(a, cellFile(2)), join(b, cellFile(2))]);
    expect(bad.rows.map((r) => r.index)).toEqual([0, 1, 3, 4, 6, 7]); // a stray file does not displace a valid result
    expect(mergeSummary(bad)).toContain('conflict at cell 2: different results for the same cell');

    // A folder of another sweep neither merges with this one nor takes its cells.
    const other = join(base, 'other');
    await runSweep({ version: 1, job: 'dimension', grid: { g: [2] } }, { out: other, workers: 0 });
    expect(() => mergeSweep([a, other])).toThrow(SweepConflictError);
    await expect(runSweep(spec, { out: other, workers: 0 })).rejects.toBeInstanceOf(SweepConflictError);

    const partial = join(base, 'partial');
    await runSweep(spec, { out: partial, shard: '1/4', workers: 0 });
    expect(mergeSweep(partial).missing).toEqual([0, 2, 3, 4, 6, 7]);
  }, 60_000);

  it('writes atomically: a process killed while writing leaves the old file or the new one, never a part', async () => {
    const dir = join(base, 'atomic');
    mkdirSync(dir, { recursive: true });
    const target = join(dir, 'cell.json');
    const script = join(dir, 'writer.ts');
    writeFileSync(script, `
      import { writeAtomic } from ${JSON.stringify(join(root, 'ts/sweep/index.ts'))};
      const texts = [0, 1].map((k) => JSON.stringify({ k, fill: String(k).repeat(40_000_000) }));
      process.stdout.write('ready\\n');
      for (let k = 0; ; k++) writeAtomic(${JSON.stringify(target)}, texts[k % 2]);
    `);
    let interrupted = 0; // kills that landed inside a write (its temporary file left behind)
    for (const delay of [150, 400, 900]) {
      rmSync(target, { force: true });
      const child = spawn(...node(script), { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((res) => child.once('exit', res));
      await new Promise<void>((res) => child.stdout.once('data', () => res()));
      await new Promise((res) => setTimeout(res, delay));
      expect(child.exitCode).toBe(null);
      child.kill('SIGKILL');
      await exited;
      if (existsSync(target)) {
        const v = JSON.parse(readFileSync(target, 'utf8')) as { k: number; fill: string };
        expect(v.fill).toHaveLength(40_000_000);
      }
      // Only the target and temporary files (hidden, ignored by merges) can be there.
      expect(readdirSync(dir).filter((f) => !f.startsWith('.') && f !== 'writer.ts' && f !== 'cell.json')).toEqual([]);
      const temps = readdirSync(dir).filter((f) => f.startsWith('.cell.json.'));
      if (temps.length > 0) interrupted += 1;
      for (const t of temps) rmSync(join(dir, t));
    }
    expect(interrupted).toBeGreaterThan(0);
    // A write that fails leaves nothing behind.
    expect(() => writeAtomic(join(dir, 'no-such-folder', 'x.json'), '{}')).toThrow();
    expect(readdirSync(dir).filter((f) => f.includes('x.json'))).toEqual([]);
  }, 120_000);

  it('a sweep process killed in the middle of a cell leaves no file for it, and merge names it missing', async () => {
    const dir = join(base, 'killed');
    const specFile = join(base, 'slow.json');
    writeFileSync(specFile, JSON.stringify({
      version: 1, job: 'train', grid: { steps: [200, 2_000_000] }, seeds: 1,
      fixed: { network: { n: 16, nIn: 2, nOut: 2 }, algorithm: 'rtrl', task: { kind: 'add', lags: [1, 2] }, testSteps: 100 },
    }));
    const child = spawn(...node(entry, 'sweep', 'run', specFile, '--out', dir, '--workers', '0', '--quiet'), { stdio: 'ignore' });
    const exited = new Promise((res) => child.once('exit', res));
    // Cell 0 is quick; kill the process while cell 1 (a long run) is in progress.
    for (let t = 0; t < 300 && !existsSync(join(dir, cellFile(0))); t++) await new Promise((res) => setTimeout(res, 100));
    expect(existsSync(join(dir, cellFile(0)))).toBe(true);
    await new Promise((res) => setTimeout(res, 500));
    expect(child.exitCode).toBe(null); // still inside the long cell
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(dir).filter((f) => f.startsWith('cell-'))).toEqual([cellFile(0)]);
    expect(mergeSweep(dir).missing).toEqual([1]);
  }, 120_000);
});

describe('rnnlab sweep plan, run and merge', () => {
  const specFile = join(base, 'cli-spec.json');
  writeFileSync(specFile, JSON.stringify({ version: 1, name: 'cli', job: 'dimension', grid: { gamma: [0, 1], g: [2, 3, 5] } }));

  it('plan prints the numbered cells; run takes a shard, an index (or the array task of the environment) and an offset', async () => {
    const p = await cli('sweep', 'plan', specFile, '--json');
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.stdout) as { size: number; hash: string; cells: { index: number; params: object }[] };
    expect(plan.size).toBe(6);
    expect(plan.cells[1]!.params).toEqual({ g: 2, gamma: 1 });
    expect((await cli('sweep', 'plan', specFile)).stdout).toContain(`spec ${plan.hash}: 6 cells`);

    const dir = join(base, 'cli');
    expect((await cli('sweep', 'run', specFile, '--out', dir, '--shard', '1/3', '--workers', '0', '--quiet')).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('cell-'))).toEqual([cellFile(1), cellFile(4)]);
    expect((await cli('sweep', 'run', specFile, '--out', dir, '--index', '0', '--shards', '6', '--offset', '2', '--workers', '0', '--quiet')).code).toBe(0);
    expect(existsSync(join(dir, cellFile(2)))).toBe(true);
    for (const [name, value] of [['SLURM_ARRAY_TASK_ID', '3'], ['JOB_COMPLETION_INDEX', '5']] as const) {
      const r = spawnSync(process.execPath, [tsx, entry, 'sweep', 'run', specFile, '--out', dir, '--index', '--workers', '0', '--quiet'], {
        encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: undefined, JOB_COMPLETION_INDEX: undefined, [name]: value },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(existsSync(join(dir, cellFile(Number(value))))).toBe(true);
    }
    const missing = await cli('sweep', 'merge', dir, '--missing');
    expect(missing).toMatchObject({ code: 0, stdout: '0\n' });
    const incomplete = await cli('sweep', 'merge', dir);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toContain('missing 1: 0');
    expect((await cli('sweep', 'run', specFile, '--out', dir, '--workers', '0', '--quiet')).code).toBe(0);
    const done = await cli('sweep', 'merge', dir, '--quiet');
    expect(done).toMatchObject({ code: 0, stderr: '' });
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('index,job,seed,g,gamma,prX,prPhi');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      '0,dimension,,2,0', '1,dimension,,2,1', '2,dimension,,3,0', '3,dimension,,3,1', '4,dimension,,5,0', '5,dimension,,5,1',
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { rows: { prX: number }[]; complete: boolean };
    expect(json.complete).toBe(true);
    expect(String(json.rows[0]!.prX)).toBe(csv[1]!.split(',')[5]);
  }, 60_000);

  it('a failing cell makes run and merge exit 1 with the error; usage errors exit 2', async () => {
    const failing = join(base, 'failing.json');
    writeFileSync(failing, JSON.stringify({ version: 1, job: 'dmft', grid: { g: [2, -1] } }));
    const dir = join(base, 'cli-failing');
    const r = await cli('sweep', 'run', failing, '--out', dir, '--workers', '0', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cell 1: ArgumentError: g:');
    const m = await cli('sweep', 'merge', dir);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('failed cell 1');
    expect((await cli('sweep', 'merge', dir, '--missing')).stdout).toBe('1\n');
    const usage: [string[], RegExp][] = [
      [['sweep', 'run', specFile], /--out DIR is required/],
      [['sweep', 'run', specFile, '--out', dir, '--shard', '3/3'], /--shard must be i\/k/],
      [['sweep', 'run', specFile, '--out', dir, '--shard', '0/2', '--index', '1'], /not both/],
      [['sweep', 'run'], /expects 1 argument, got 0/],
      [['sweep', 'plan', specFile, 'extra'], /expects 1 argument, got 2/],
      [['sweep', 'merge'], /expects at least 1 argument/],
      [['sweep', 'slurm', specFile], /--out DIR is required/],
    ];
    for (const [argv, message] of usage) {
      const u = await cli(...argv);
      expect([argv.join(' '), u.code]).toEqual([argv.join(' '), 2]);
      expect(u.stderr).toMatch(message);
    }
    const bad = join(base, 'bad-spec.json');
    writeFileSync(bad, JSON.stringify({ version: 1, job: 'dimension', grid: { gain: [2] } }));
    const b = await cli('sweep', 'plan', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('rnnlab sweep plan: gain: is not an option here; known: kind, g, gamma');
    const help = await cli('sweep', '--help');
    expect(help.stdout).toMatch(/Subcommands:\n {2}plan <spec.json>/);
    expect((await cli('sweep', 'run', '--help')).stdout).toContain('Usage: rnnlab sweep run <spec.json> [options]');
  }, 60_000);

  it('slurm --dry-run writes the script and prints arrays split below MaxArraySize, one after another, with the cap', async () => {
    const dir = join(base, 'dry');
    const r = await cli('sweep', 'slurm', specFile, '--out', dir, '--max-concurrent', '2', '--max-array-size', '4', '--partition', 'cpu', '--time', '00:10:00', '--dry-run');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const script = join(dir, 'slurm', 'cli.sbatch');
    expect(lines[0]).toBe(`# ${script}`);
    expect(lines[1]).toBe(`sbatch --parsable --array=0-3%2 --export=ALL,RNNLAB_TASK_OFFSET=0 ${script}`);
    expect(lines[2]).toBe(`sbatch --parsable --array=0-1%2 --export=ALL,RNNLAB_TASK_OFFSET=4 '--dependency=afterany:<previous array>' ${script}`);
    expect(lines[3]).toContain("'--dependency=afterok:<array>:<array>' --kill-on-invalid-dep=yes");
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('#SBATCH --partition=cpu\n#SBATCH --time=00:10:00\n');
    expect(text).toContain(`sweep run ${join(dir, 'sweep.json')} --out ${dir} --index --shards 6 --offset "\${RNNLAB_TASK_OFFSET:-0}" --workers 0 --quiet`);
    // With fewer tasks than cells, and with --resume of a folder that holds some cells.
    await runSweep(specFile, { out: dir, shard: '0/2', workers: 0 });
    const s = await submitSweep(specFile, { out: dir, tasks: 3, resume: true, dryRun: true, cpusPerTask: 2 });
    expect(s.submittedTasks).toEqual([0, 1, 2]);
    expect(s.submittedCells).toBe(3);
    expect(readFileSync(s.script, 'utf8')).toContain('--shards 3 --offset "${RNNLAB_TASK_OFFSET:-0}" --workers 2');
    const t = await submitSweep(specFile, { out: dir, tasks: 2, resume: true, dryRun: true });
    expect(t.submittedTasks).toEqual([1]);
  }, 60_000);
});
