import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/overlaps.ts at reduced size', () => {
  it('writes the plot and table, with overlaps raising Δ0 monotonically in theory and simulation', () => {
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-overlaps-'));
    const log = execFileSync(
      'npx',
      ['tsx', 'examples/overlaps.ts', '--n', '300', '--duration', '100', '--samples', '128', '--iterations', '15', '--out', out],
      { encoding: 'utf8' },
    );
    expect(existsSync(join(out, 'overlaps.svg'))).toBe(true);
    const rows = readFileSync(join(out, 'overlaps.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const delta0 = (rho: string, source: string) => Number(rows.find((r) => r[0] === rho && r[1] === source && Number(r[2]) === 0)![3]);
    const rhos = ['-0.25', '0', '0.25', '0.5'];
    for (const source of ['theory', 'simulation']) {
      const d = rhos.map((r) => delta0(r, source));
      for (let k = 1; k < d.length; k++) expect(d[k]!).toBeGreaterThan(d[k - 1]!);
    }
    expect(log).toContain('wrote');
  }, 120_000);
});
