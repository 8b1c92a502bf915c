import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from './support/cli.js';
import { ADD_TASK_BASELINES, dimension, solveDMFT } from '../ts/index.js';

/** The CLI in-process (stdout/stderr captured), and once as a real process through its entry file. */
const out = new URL('out/cli/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

afterEach(() => vi.restoreAllMocks());

describe('rnnlab command line', () => {
  it('dmft prints the mean-field solution; --json, --csv and --svg carry the same numbers', async () => {
    const r = await cli('dmft', '--g', '3', '--json', '--csv', `${out}dmft.csv`, '--svg', `${out}dmft.svg`);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { delta0: number; regime: string };
    const s = solveDMFT({ g: 3 });
    expect(j.delta0).toBe(s.delta0);
    expect(j.regime).toBe('chaotic');
    const csv = readFileSync(`${out}dmft.csv`, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('tau,delta,cphi');
    expect(Number(csv[1]!.split(',')[1])).toBe(s.delta[0]);
    expect(readFileSync(`${out}dmft.svg`, 'utf8').startsWith('<svg')).toBe(true);
    const table = await cli('dmft', '--g', '3');
    expect(table.stdout).toMatch(/delta0\s+5\.44/);
  });

  it('dimension and simulate report theory (and a small simulation next to it)', async () => {
    const d = await cli('dimension', '--g', '2', '--gamma', '0,4', '--json');
    const rows = (JSON.parse(d.stdout) as { rows: { gamma: number; prX: number }[] }).rows;
    expect(rows[0]!.prX).toBe(dimension({ g: 2 }).prX);
    expect(rows[1]!.prX).toBeLessThan(rows[0]!.prX);
    const s = await cli('simulate', '--n', '256', '--g', '3', '--trajectories', '4', '--workers', '2', '--duration', '60', '--burn-in', '20', '--json', '--svg', `${out}sim.svg`);
    expect(s.code).toBe(0);
    const sim = JSON.parse(s.stdout) as { n: number; delta0: number; prX: number; prXSe: number; prPhi: number; prPhiSe: number; workers: number; theory: { delta0: number } };
    expect(sim.n).toBe(256);
    expect(sim.workers).toBe(2);
    expect(Math.abs(sim.delta0 / sim.theory.delta0 - 1)).toBeLessThan(0.2);
    for (const v of [sim.prX, sim.prPhi]) expect(v > 0 && v < 1).toBe(true);
    expect(sim.prXSe).toBeGreaterThan(0);
    expect(sim.prPhiSe).toBeGreaterThan(0);
  });

  it('train learns, writes a checkpoint, and resumes from it', async () => {
    const r = await cli('train', '--algorithm', 'kf-rtrl', '--steps', '6000', '--lr', '0.01', '--test-steps', '2000', '--quiet',
      '--checkpoint', `${out}cp.json`, '--csv', `${out}curve.csv`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/completed/);
    const loss = Number(/completed\s+\S+\s+(\S+)/.exec(r.stdout)![1]);
    expect(loss).toBeLessThan(ADD_TASK_BASELINES.none);
    const resumed = await cli('train', '--resume', `${out}cp.json`, '--steps', '1000', '--json');
    expect((JSON.parse(resumed.stdout) as { steps: number }).steps).toBe(7000);
  });

  it('sweep runs a grid in workers with the same numbers as in one thread', async () => {
    const a = await cli('sweep', '--kind', 'dimension', '--g', '2,3', '--gamma', '0,1', '--workers', '2', '--json');
    const b = await cli('sweep', '--kind', 'dimension', '--g', '2,3', '--gamma', '0,1', '--workers', '0', '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    expect((JSON.parse(a.stdout) as unknown[]).length).toBe(4);
  });

  it('bad arguments give a clear message and exit status 2; --help works for every command', async () => {
    for (const argv of [
      ['nope'], ['dmft', '--g', 'abc'], ['dmft', '--bogus'], ['train', '--algorithm', 'sgd'], ['dimension', '--g', '0.5'],
      ['sweep', '--kind', 'grid'], ['train', '--resume', `${out}missing.json`],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^rnnlab/);
    }
    for (const c of ['dmft', 'simulate', 'dimension', 'train', 'sweep', 'demo']) {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`rnnlab ${c}`);
      expect(r.stdout).toContain('Example:');
    }
  });

  it('every failing command stops promptly with its message and a non-zero status, bar or not', () => {
    const entry = new URL('../ts/cli/main.ts', import.meta.url).pathname;
    const run = (...argv: string[]) => {
      const start = Date.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...argv], { encoding: 'utf8', timeout: 30000 });
      return { ...r, ms: Date.now() - start };
    };
    const cp = JSON.parse(readFileSync(`${out}cp.json`, 'utf8')) as Record<string, unknown>;
    delete cp.network;
    writeFileSync(`${out}no-network.json`, JSON.stringify(cp));
    const cases: [string[], RegExp][] = [
      [['train', '--clip', '0'], /clip: must be > 0/],
      [['train', '--steps', '1e12', '--n', '4'], /--steps must be at most 1000000000/],
      [['simulate', '--n', '8', '--dt', '1e-9', '--duration', '10'], /^rnnlab simulate: /],
      [['sweep', '--workers', '1000', '--g', '2', '--gamma', '0'], /workers/],
      [['train', '--resume', `${out}no-network.json`], /checkpoint\.network/],
      [['train', '--lags', '5,9,12'], /--lags expects exactly 2 numbers/],
      [['dmft', '--g', '0x10'], /--g expects a decimal number, got '0x10'/],
      [['train', '--n', '4096', '--steps', '10'], /n: must be ≤ 1024, got 4096: the orthogonal initialisation costs/],
      [['train', '--steps', '100', '--csv', `${out}missing/curve.csv`], /--csv '.*missing\/curve\.csv': the folder '.*missing' does not exist/],
      [['train', '--steps', '100', '--svg', `${out}missing/curve.svg`], /--svg .*does not exist/],
      [['train', '--steps', '100', '--checkpoint', out], /--checkpoint .*is a folder, not a file/],
      [['dmft', '--csv', `${out}missing/x.csv`], /does not exist/],
    ];
    for (const [k, [argv, message]] of cases.entries()) {
      for (const quiet of k < 5 ? [[], ['--quiet']] : [[]]) {
        const r = run(...argv, ...quiet);
        const label = [...argv, ...quiet].join(' ');
        expect(r.error, label).toBeUndefined(); // not killed by the timeout
        expect(r.status, `${label}: ${r.stderr}`).toBe(2);
        expect(r.stderr, label).toMatch(message);
        expect(r.stderr, label).not.toMatch(/\n\s+at /); // no stack trace
        expect(r.ms, label).toBeLessThan(15000);
      }
    }
    expect(existsSync(`${out}missing`)).toBe(false);
  }, 300000);

  it('parses negative and scientific numbers as values; rejects hex and partial lists', async () => {
    const neg = await cli('dmft', '--g', '-5', '--json');
    expect(neg.code).toBe(2);
    expect(neg.stderr).toMatch(/g: must be > 0, got -5/);
    const sci = await cli('dmft', '--g', '3e0', '--bias', '-0.5', '--json');
    expect(sci.code).toBe(0);
    expect((JSON.parse(sci.stdout) as { delta0: number }).delta0).toBe(solveDMFT({ g: 3, bias: -0.5 }).delta0);
    for (const text of ['0x10', '0b11', '1_000', 'Infinity', '1e', '.']) {
      const r = await cli('dmft', '--g', text);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toMatch(/expects a decimal number/);
    }
    const lags = await cli('train', '--lags', '5');
    expect(lags.code).toBe(2);
    expect(lags.stderr).toMatch(/exactly 2 numbers/);
  });

  it('runs as a process: usage without a command exits 2, a command exits 0', () => {
    const entry = new URL('../ts/cli/main.ts', import.meta.url).pathname;
    const none = spawnSync(process.execPath, ['--import', 'tsx', entry], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stdout).toContain('Usage: rnnlab <command>');
    const ok = execFileSync(process.execPath, ['--import', 'tsx', entry, 'dimension', '--gamma', '0'], { encoding: 'utf8' });
    expect(ok).toMatch(/PR\^x\/N/);
  });
});
