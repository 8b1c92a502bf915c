/**
 * The packed package as a Node or TypeScript user meets it: the CLI and a script on the oldest
 * Node the package claims (`engines`, fetched as the `node-<platform>-<arch>` npm package),
 * `require()` on that Node and on this one, declarations that type-check with `skipLibCheck:
 * false`, and source maps that carry their sources.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appWith, pack, root } from './support/packed.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const floor = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
const DELTA0 = 1.924805413737069; // solveDMFT({ g: 2 }).delta0, the same in every runtime

/** The Node binary of `version`, from the npm registry (cached in the temporary folder). */
function nodeBinary(version: string): string {
  const dir = join(tmpdir(), `rnnlab-node-${version}`);
  const bin = join(dir, 'package', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', `node-${process.platform}-${process.arch}@${version}`], { cwd: dir, stdio: 'ignore' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['xzf', tgz], { cwd: dir });
  }
  return bin;
}

function run(node: string, args: string[], cwd: string) {
  return spawnSync(node, args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

describe('the packed package', () => {
  let app: string;
  beforeAll(() => {
    app = appWith(pack());
    writeFileSync(join(app, 'package.json'), '{ "type": "module" }');
  }, 300_000);

  it('states an exact engines floor', () => {
    expect(floor).toBeDefined();
  });

  describe(`on the oldest Node it claims (${floor})`, () => {
    let node: string;
    beforeAll(() => {
      node = nodeBinary(floor!);
      expect(run(node, ['--version'], app).stdout.trim()).toBe(`v${floor}`);
    }, 300_000);

    it('runs the CLI', () => {
      const r = run(node, ['node_modules/rnnlab/dist/cli/main.js', 'dmft', '--g', '2', '--json'], app);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect((JSON.parse(r.stdout) as { delta0: number }).delta0).toBe(DELTA0);
    });

    it('runs a script with sweeps and a large-N run in worker threads, and `using`-style disposal', () => {
      writeFileSync(join(app, 'script.mjs'), `
        import { solveDMFT, runJobs, simulateLarge, Simulation, iidGaussian } from 'rnnlab';
        const s = solveDMFT({ g: 2 });
        const sweep = await runJobs([{ kind: 'dimension', g: 2 }, { kind: 'dmft', g: 2 }], { workers: 2 });
        const large = await simulateLarge({ n: 64, connectivity: { kind: 'iid', g: 2 }, trajectories: 2, workers: 2, burnIn: 5, duration: 40, maxLag: 5, seed: 1 });
        const sim = new Simulation({ J: iidGaussian({ n: 20, g: 2, seed: 1 }), seed: 1 });
        sim.run({ steps: 10 });
        sim[Symbol.dispose]();
        console.log(JSON.stringify({ delta0: s.delta0, sweepDelta0: sweep[1].delta0, large: large.delta0, disposed: sim.disposed }));
      `);
      const r = run(node, ['script.mjs'], app);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { delta0: number; sweepDelta0: number; large: number; disposed: boolean };
      expect(out.delta0).toBe(DELTA0);
      expect(out.sweepDelta0).toBe(DELTA0);
      expect(out.large).toBeGreaterThan(0);
      expect(out.disposed).toBe(true);
    });

    it('runs a sweep spec through the CLI in shards, merges it, and submits it (dry run) with its own CLI', () => {
      writeFileSync(join(app, 'spec.json'), JSON.stringify({ version: 1, job: 'dimension', grid: { g: [2, 3], gamma: [0, 1] } }));
      const cli = 'node_modules/rnnlab/dist/cli/main.js';
      for (const shard of ['0/2', '1/2']) {
        const r = run(node, [cli, 'sweep', 'run', 'spec.json', '--out', 'results', '--shard', shard, '--quiet'], app);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
      expect(run(node, [cli, 'sweep', 'merge', 'results', '--quiet'], app).status).toBe(0);
      const csv = readFileSync(join(app, 'results', 'results.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('index,job,seed,g,gamma,prX,prPhi');
      expect(csv).toHaveLength(5);
      writeFileSync(join(app, 'submit.mjs'), `
        import { submitSweep, PACKAGE_VERSION } from 'rnnlab/sweep';
        const s = await submitSweep('spec.json', { out: 'results', dryRun: true });
        console.log(JSON.stringify({ command: s.commands[0], version: PACKAGE_VERSION }));
      `);
      const r = run(node, ['submit.mjs'], app);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { command: string[]; version: string };
      expect(out.version).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
      const script = readFileSync(out.command.at(-1)!, 'utf8');
      expect(script).toContain(`exec ${node} ${join(app, 'node_modules/rnnlab/dist/cli/main.js')} sweep run`);
    });

    it('explains that require() needs import() there', () => {
      const r = run(node, ['-e', "require('rnnlab')"], app);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain("await import('rnnlab')");
    });
  });

  it.runIf(Number(process.versions.node.split('.')[0]) > 20 || Number(process.versions.node.split('.')[1]) >= 19)(
    'can be require()d where Node loads ES modules synchronously (≥ 20.19)',
    () => {
      const r = run(process.execPath, ['-e', "console.log(require('rnnlab').solveDMFT({ g: 2 }).delta0)"], app);
      expect(r.status).toBe(0);
      expect(Number(r.stdout.trim())).toBe(DELTA0);
    },
  );

  it.each([
    ['bundler', { module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] }],
    ['bundler, ESNext lib', { module: 'ESNext', moduleResolution: 'bundler', lib: ['ESNext', 'DOM', 'DOM.Iterable'], types: [] }],
    ['nodenext', { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'] }],
  ])('has declarations that type-check with skipLibCheck: false (%s)', (name, options) => {
    writeFileSync(join(app, 'consumer.ts'), `
      import { init, solveDMFT, runJobs, simulateLarge, Simulation, iidGaussian, type Job, type WasmSource } from 'rnnlab';
      const source: WasmSource = new URL('https://example.org/rnnlab.wasm');
      await init(source, { sweepWorker: 'sweep-worker.js' });
      const jobs: Job[] = [{ kind: 'dimension', g: 2 }];
      const results = await runJobs(jobs, { workers: 2, signal: new AbortController().signal });
      const sim = new Simulation({ J: iidGaussian({ n: 10, g: 2, seed: 1 }), seed: 1 });
      sim[Symbol.dispose]();
      export const out = [solveDMFT({ g: 2 }).delta0, results.length, simulateLarge];
    `);
    const config = join(app, `tsconfig.${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(config, JSON.stringify({
      compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: false, noEmit: true, typeRoots: [join(root, 'node_modules/@types')], ...options },
      files: ['consumer.ts'],
    }));
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: app, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('ships source maps that carry their sources', () => {
    const dist = join(app, 'node_modules/rnnlab/dist');
    const maps = (readdirSync(dist, { recursive: true }) as string[]).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(dist, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, m).toBe(map.sources.length);
      expect(map.sourcesContent!.every((c) => typeof c === 'string' && c.length > 0), m).toBe(true);
    }
  });
});
