/**
 * The simulated networks of a figure as sweeps (`rnnlab/sweep`), one result folder per network:
 * `<cells>/network-k` holds network k (seed first + k − 1) of every point. A run that stops
 * resumes where it was; more networks add folders and keep the ones done; `prepare` writes the
 * folders' sweep.json for a cluster to fill (`rnnlab sweep slurm DIR/sweep.json --out DIR`); and
 * `draw` reads whatever is done without running anything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSweep, openSweepFolder, planSweep, runSweep, type SweepPart, type SweepRow } from '../../ts/sweep/index.js';
import { seconds } from './output.js';

export interface NetworkSweeps {
  /** Sweep name stem, e.g. 'paper-fig4-n5000'. */
  name: string;
  /** Folder of the network folders. */
  cells: string;
  networks: number;
  firstSeed: number;
  /** The jobs of one network: one part per point, each with `seeds: { from: seed, count: 1 }`. */
  parts(seed: number): SweepPart[];
}

/** One finished cell: its point, its network (0-based) and its merged row. */
export interface NetworkCell {
  point: number;
  network: number;
  row: SweepRow;
}

/** Runs (or prepares, or only reads) the networks' sweeps and returns the finished cells. */
export async function networkSweeps(o: NetworkSweeps, mode: 'run' | 'prepare' | 'draw'): Promise<NetworkCell[]> {
  const t0 = performance.now();
  const cells: NetworkCell[] = [];
  for (let k = 0; k < o.networks; k++) {
    const plan = planSweep({ version: 1, name: `${o.name}-network${k + 1}`, parts: o.parts(o.firstSeed + k) });
    const dir = join(o.cells, `network-${k + 1}`);
    if (mode === 'prepare') {
      openSweepFolder(dir, plan);
      console.log(`${dir}/sweep.json: ${plan.size} cells; run them with rnnlab sweep run|slurm ${dir}/sweep.json --out ${dir}`);
      continue;
    }
    if (mode === 'run') {
      await runSweep(plan, {
        out: dir, workers: 0,
        onProgress: (p) => {
          if (p.done > 0) console.log(`  network ${k + 1}/${o.networks}: ${p.done}/${p.total} points (${seconds(t0)})`);
        },
      });
    }
    if (!existsSync(join(dir, 'sweep.json'))) continue;
    const merged = mergeSweep(dir);
    if (merged.hash !== plan.hash) throw new Error(`${dir} holds another sweep (${merged.hash}) than these settings (${plan.hash})`);
    if (mode === 'run' && !merged.complete) throw new Error(`${dir}: ${merged.missing.length} missing, ${merged.failed.length} failed`);
    for (const row of merged.rows) cells.push({ point: row.index as number, network: k, row });
  }
  return cells;
}
