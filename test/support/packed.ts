/**
 * The package as a user installs it: `npm pack` of this repository, unpacked into
 * `<app>/node_modules/rnnlab` of a fresh app folder, with the package's runtime dependencies
 * linked beside it (as `npm install` of the tarball would place them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Packs the package (its `prepack` builds it) and returns the tarball's path. */
export function pack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  return join(dir, tarball);
}

/** A new app folder with the tarball installed; `files` are written into it. */
export function appWith(tarball: string): string {
  const app = mkdtempSync(join(tmpdir(), 'rnnlab-app-'));
  const pkg = join(app, 'node_modules', 'rnnlab');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', pkg, '--strip-components=1']);
  const deps = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.includes('node_modules'));
  for (const dir of deps) {
    const link = join(app, 'node_modules', dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dir, link);
  }
  return app;
}
