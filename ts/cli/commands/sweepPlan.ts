/** `rnnlab sweep plan spec.json`: the cells a spec expands to, with their indices. */

import { table, writeCsv } from '../output.js';
import { toPlan } from '../../sweep/run.js';
import { expandSweep } from '../../sweep/spec.js';
import { sweepValue } from './sweepRun.js';
import type { Command } from './command.js';

export const sweepPlan: Command = {
  name: 'plan',
  summary: 'print the cells a sweep spec expands to (index, job, seed, parameters) and its hash',
  example: 'rnnlab sweep plan spec.json --csv cells.csv',
  positionals: { usage: '<spec.json>', count: [1, 1] },
  specs: {},
  async run(v, positionals = []) {
    const plan = toPlan(positionals[0]!);
    const cells = expandSweep(plan);
    const names = [...new Set(cells.flatMap((c) => Object.keys(c.params)))];
    const header = ['index', 'job', 'seed', ...names];
    const rows = cells.map((c) => [c.index, c.job.kind, c.seed ?? '', ...names.map((n) => (n in c.params ? sweepValue(c.params[n]) : ''))]);
    if (!v.json) {
      if (!v.quiet) console.log(`sweep ${plan.name}, spec ${plan.hash}: ${plan.size} cells`);
      table([header, ...rows]);
    }
    if (typeof v.csv === 'string') writeCsv(v.csv, header, rows);
    return { name: plan.name, hash: plan.hash, size: plan.size, cells };
  },
};
