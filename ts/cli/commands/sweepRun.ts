/** `rnnlab sweep run spec.json --out DIR`: every cell, or one shard, into a result folder. */

import { CliError, int, UsageError } from '../args.js';
import { progress } from '../output.js';
import { runSweep, toPlan } from '../../sweep/run.js';
import { parseShard, type Shard } from '../../sweep/shard.js';
import type { Command } from './command.js';

/** A parameter value as a table cell (lists and objects as JSON). */
export const sweepValue = (v: unknown): string | number => (typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v));

export const sweepRun: Command = {
  name: 'run',
  summary: 'run the cells of a sweep (or of one shard) that DIR lacks, on local workers, one result file per cell',
  example: 'rnnlab sweep run spec.json --out results --shard 0/4',
  positionals: { usage: '<spec.json>', count: [1, 1] },
  specs: {
    out: { type: 'string', help: 'result folder (required; shared by every task of a cluster run)' },
    shard: { type: 'string', help: 'run shard i/k: cells i, i+k, … (default: every cell)' },
    index: { type: 'string', bare: 'env', help: 'run shard INDEX of --shards; without a value, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX' },
    shards: { type: 'string', help: 'number of shards for --index (default: one cell per shard)' },
    offset: { type: 'string', default: '0', help: 'added to --index (arrays split below MaxArraySize)' },
    workers: { type: 'string', help: 'worker threads (default: the available parallelism; 0 = this thread)' },
  },
  async run(v, positionals = []) {
    if (typeof v.out !== 'string') throw new UsageError('rnnlab sweep run: --out DIR is required');
    const plan = toPlan(positionals[0]!);
    let shard: Shard | undefined;
    if (v.shard !== undefined && v.index !== undefined) throw new UsageError('rnnlab sweep run: give --shard or --index, not both');
    if (typeof v.shard === 'string') {
      try {
        shard = parseShard(v.shard);
      } catch (e) {
        throw new UsageError(`rnnlab sweep run: --shard ${(e as Error).message.replace(/^shard: /, '')}`);
      }
    } else if (typeof v.index === 'string') {
      const text = v.index === 'env' ? (process.env.SLURM_ARRAY_TASK_ID ?? process.env.JOB_COMPLETION_INDEX) : v.index;
      if (text === undefined) throw new UsageError('rnnlab sweep run: --index without a value reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set');
      const count = v.shards === undefined ? Math.max(1, plan.size) : int('sweep run', 'shards', v.shards);
      const index = int('sweep run', 'index', text) + int('sweep run', 'offset', v.offset);
      if (count < 1 || index >= count) throw new UsageError(`rnnlab sweep run: shard ${index} is not below --shards ${count}`);
      shard = { index, count };
    }
    const workers = v.workers === undefined ? undefined : int('sweep run', 'workers', v.workers, 256);
    let bar: ReturnType<typeof progress> | undefined;
    let report;
    try {
      report = await runSweep(plan, {
        out: v.out, ...(shard ? { shard } : {}), ...(workers === undefined ? {} : { workers }),
        onProgress: (p) => {
          bar ??= progress(v.quiet === true || v.json === true, `sweep ${plan.name}`, p.total);
          bar.update(p.done, p.failed > 0 ? `(${p.failed} failed)` : '');
        },
      });
    } finally {
      bar?.stop();
    }
    if (!v.quiet && !v.json) {
      console.log(`sweep ${report.name} (${report.hash})${shard ? `, shard ${shard.index}/${shard.count}` : ''}: ${report.cells} cells, ${report.skipped} already done, ${report.ran} run, ${report.failed.length} failed`);
    }
    if (report.failed.length > 0) {
      const lines = report.failed.map((f) => `cell ${f.index}: ${f.error.name}: ${f.error.message}`);
      throw new CliError(`${report.failed.length} cell${report.failed.length === 1 ? '' : 's'} failed\n${lines.join('\n')}`);
    }
    return report;
  },
};
