import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../ts/cli/main.js';
import { ADD_TASK_BASELINES, dimension, solveDMFT } from '../ts/index.js';

/** The CLI in-process (stdout/stderr captured), and once as a real process through its entry file. */
const out = new URL('out/cli/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a) => { stdout += `${a.join(' ')}\n`; });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
  }
}

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

  it('runs as a process: usage without a command exits 2, a command exits 0', () => {
    const entry = new URL('../ts/cli/main.ts', import.meta.url).pathname;
    const none = spawnSync(process.execPath, ['--import', 'tsx', entry], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stdout).toContain('Usage: rnnlab <command>');
    const ok = execFileSync(process.execPath, ['--import', 'tsx', entry, 'dimension', '--gamma', '0'], { encoding: 'utf8' });
    expect(ok).toMatch(/PR\^x\/N/);
  });
});
