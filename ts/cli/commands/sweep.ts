/** `rnnlab sweep`: a grid of theory points, simulations or training runs over worker threads. */

import { choice, int, list } from '../args.js';
import { progress, table, writeCsv } from '../output.js';
import { ALGORITHMS } from '../../learning/algorithms.js';
import type { Job, JobResult } from '../../parallel/jobs.js';
import { runJobs } from '../../parallel/pool.js';
import type { Command } from './command.js';
import { sweepMerge } from './sweepMerge.js';
import { sweepPlan } from './sweepPlan.js';
import { sweepRun } from './sweepRun.js';
import { sweepSlurm } from './sweepSlurm.js';

export const sweep: Command = {
  name: 'sweep',
  summary: 'sweeps from a spec file (plan, run, merge, slurm), or a quick grid in parallel workers from options',
  example: 'rnnlab sweep --kind dimension --g 1.5,2,3,5 --gamma 0,1,4 --workers 2 --csv grid.csv',
  subcommands: [sweepPlan, sweepRun, sweepMerge, sweepSlurm],
  specs: {
    kind: { type: 'string', default: 'dimension', help: 'dimension, simulate or train' },
    g: { type: 'string', default: '1.5,2,3,5', help: 'gains (dimension, simulate)' },
    gamma: { type: 'string', default: '0,1,4', help: 'inverse effective ranks (dimension)' },
    n: { type: 'string', help: 'network size (simulate, default 300) or hidden units (train, default 32)' },
    algorithms: { type: 'string', default: 'rflo,kf-rtrl', help: 'algorithms (train)' },
    steps: { type: 'string', default: '20000', help: 'training steps (train)' },
    seeds: { type: 'string', default: '2', help: 'seeds per point (simulate, train)' },
    workers: { type: 'string', help: 'worker threads (default: the available parallelism; 0 = this thread)' },
  },
  async run(v) {
    const kind = choice('sweep', 'kind', v.kind, ['dimension', 'simulate', 'train'] as const);
    const seeds = int('sweep', 'seeds', v.seeds);
    const n = int('sweep', 'n', v.n ?? (kind === 'train' ? '32' : '300'));
    const labels: Record<string, string | number>[] = [];
    const jobs: Job[] = [];
    if (kind === 'dimension') {
      for (const g of list('sweep', 'g', v.g)) {
        for (const gamma of list('sweep', 'gamma', v.gamma)) {
          labels.push({ g, gamma });
          jobs.push({ kind, g, gamma });
        }
      }
    } else if (kind === 'simulate') {
      for (const g of list('sweep', 'g', v.g)) {
        for (let seed = 0; seed < seeds; seed++) {
          labels.push({ g, seed });
          jobs.push({ kind, n, g, seed: 1000 * seed + 1 });
        }
      }
    } else {
      const steps = int('sweep', 'steps', v.steps);
      for (const a of String(v.algorithms).split(',')) {
        const algorithm = choice('sweep', 'algorithms', a, ALGORITHMS);
        for (let seed = 0; seed < seeds; seed++) {
          labels.push({ algorithm, seed });
          jobs.push({ kind, network: { n, nIn: 2, nOut: 2, seed }, task: { kind: 'add' }, algorithm, steps, seed, optimizer: { type: 'sgd', lr: 0.003 } });
        }
      }
    }
    const workers = v.workers === undefined ? undefined : int('sweep', 'workers', v.workers);
    const bar = progress(v.quiet === true || v.json === true, 'sweep', jobs.length);
    let results;
    try {
      results = await runJobs(jobs, { ...(workers === undefined ? {} : { workers }), onProgress: (p) => bar.update(p.done) });
    } finally {
      bar.stop();
    }
    const rows = results.map((r, k) => ({ ...labels[k]!, ...summary(r) }));
    const header = Object.keys(rows[0] ?? {});
    if (!v.json && rows.length > 0) table([header, ...rows.map((r) => header.map((h) => r[h]!))]);
    if (typeof v.csv === 'string') writeCsv(v.csv, header, rows.map((r) => header.map((h) => r[h]!)));
    return rows;
  },
};

function summary(r: JobResult): Record<string, string | number> {
  switch (r.kind) {
    case 'dimension': return { prX: r.prX, prPhi: r.prPhi };
    case 'dmft': return { delta0: r.delta0, lyapunovExponent: r.lyapunovExponent, regime: r.regime };
    case 'simulate': return { delta0: r.delta0, prOverN: r.prOverN, prPhiOverN: r.prPhiOverN };
    case 'large': return { delta0: r.delta0, prX: r.prX, prPhi: r.prPhi };
    case 'train': return { testLoss: r.testLoss, finalLoss: r.finalLoss };
  }
}
