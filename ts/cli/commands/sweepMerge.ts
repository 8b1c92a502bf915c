/** `rnnlab sweep merge DIR…`: the result folders as one table, with what is missing or wrong. */

import { join } from 'node:path';
import { CliError } from '../args.js';
import { writeOutput } from '../output.js';
import { mergedCsv, mergeSummary, mergeSweep, rerunIndices } from '../../sweep/merge.js';
import type { Command } from './command.js';

export const sweepMerge: Command = {
  name: 'merge',
  summary: 'merge result folders into DIR/results.csv and DIR/results.json; report missing, failed, duplicate and conflicting cells',
  example: 'sbatch --array=$(rnnlab sweep merge results --missing) results/slurm/NAME.sbatch',
  positionals: { usage: '<DIR> [DIR…]', count: [1, Infinity] },
  specs: {
    missing: { type: 'boolean', help: "print only the cells to rerun (missing or failed) in sbatch's --array form" },
    'json-file': { type: 'string', help: 'where to write the JSON table (default DIR/results.json)' },
  },
  outputs: ['json-file'],
  async run(v, dirs = []) {
    const report = mergeSweep(dirs);
    if (v.missing) {
      process.stdout.write(`${rerunIndices(report)}\n`);
      return undefined;
    }
    const csv = typeof v.csv === 'string' ? v.csv : join(dirs[0]!, 'results.csv');
    const json = typeof v['json-file'] === 'string' ? v['json-file'] : join(dirs[0]!, 'results.json');
    writeOutput(csv, mergedCsv(report));
    writeOutput(json, `${JSON.stringify(report, null, 1)}\n`);
    if (!v.quiet || !report.complete) process.stderr.write(`${mergeSummary(report)}\nwrote ${csv} and ${json}\n`);
    if (!report.complete) throw new CliError(`the sweep is incomplete${report.conflicts.length > 0 ? ' or conflicting' : ''}; rerun: ${rerunIndices(report) || '(none)'}`);
    return v.json ? report : undefined;
  },
};
