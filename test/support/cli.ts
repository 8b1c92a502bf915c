import { vi } from 'vitest';
import { main } from '../../ts/cli/main.js';

/** Runs the CLI in this process with stdout and stderr captured. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
