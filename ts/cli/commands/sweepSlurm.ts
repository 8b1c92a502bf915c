/** `rnnlab sweep slurm spec.json --out DIR`: submit a sweep to Slurm as job arrays and a merge job. */

import { CliError, int, num, UsageError } from '../args.js';
import { progress } from '../output.js';
import { mergeSummary } from '../../sweep/merge.js';
import { submitSweep, type SubmitSweepOptions } from '../../sweep/slurm.js';
import { toPlan } from '../../sweep/run.js';
import type { Command } from './command.js';

const words = (text: unknown): string[] => (typeof text === 'string' ? text.trim().split(/\s+/).filter((w) => w !== '') : []);

export const sweepSlurm: Command = {
  name: 'slurm',
  summary: 'submit a sweep as Slurm job arrays (split below MaxArraySize, capped by --max-concurrent) plus a merge job',
  example: 'rnnlab sweep slurm spec.json --out /shared/results --partition cpu --time 01:00:00 --max-concurrent 50 --wait',
  positionals: { usage: '<spec.json>', count: [1, 1] },
  specs: {
    out: { type: 'string', help: 'result folder, on a filesystem the nodes share (required)' },
    partition: { type: 'string', help: 'sbatch --partition' },
    time: { type: 'string', help: 'sbatch --time per task' },
    mem: { type: 'string', help: 'sbatch --mem per task' },
    account: { type: 'string', help: 'sbatch --account' },
    qos: { type: 'string', help: 'sbatch --qos' },
    'cpus-per-task': { type: 'string', default: '1', help: 'CPUs per task; more than 1 runs the task\'s cells on that many workers' },
    'max-concurrent': { type: 'string', help: 'at most this many tasks at once (--array=…%k)' },
    tasks: { type: 'string', help: 'array tasks (default: one per cell); task t runs cells t, t+tasks, …' },
    resume: { type: 'boolean', help: 'submit only the cells DIR lacks or holds as failed' },
    'max-array-size': { type: 'string', help: "the cluster's MaxArraySize (default: from scontrol show config)" },
    sbatch: { type: 'string', help: 'further sbatch options, separated by spaces' },
    setup: { type: 'string', help: 'a shell line run on the node before rnnlab (e.g. "module load nodejs")' },
    command: { type: 'string', help: 'how a node runs rnnlab, separated by spaces (default: this node and this CLI)' },
    'dry-run': { type: 'boolean', help: 'write the script and print the sbatch commands without submitting' },
    wait: { type: 'boolean', help: 'follow the jobs to the end; exit 1 if a cell did not finish' },
    poll: { type: 'string', default: '10', help: 'seconds between polls with --wait' },
  },
  async run(v, positionals = []) {
    if (typeof v.out !== 'string') throw new UsageError('rnnlab sweep slurm: --out DIR is required');
    const opts: SubmitSweepOptions = {
      out: v.out,
      cpusPerTask: int('sweep slurm', 'cpus-per-task', v['cpus-per-task'], 4096),
      pollSeconds: num('sweep slurm', 'poll', v.poll),
      ...(v.partition !== undefined ? { partition: String(v.partition) } : {}),
      ...(v.time !== undefined ? { time: String(v.time) } : {}),
      ...(v.mem !== undefined ? { mem: String(v.mem) } : {}),
      ...(v.account !== undefined ? { account: String(v.account) } : {}),
      ...(v.qos !== undefined ? { qos: String(v.qos) } : {}),
      ...(v['max-concurrent'] !== undefined ? { maxConcurrent: int('sweep slurm', 'max-concurrent', v['max-concurrent']) } : {}),
      ...(v.tasks !== undefined ? { tasks: int('sweep slurm', 'tasks', v.tasks) } : {}),
      ...(v['max-array-size'] !== undefined ? { maxArraySize: int('sweep slurm', 'max-array-size', v['max-array-size']) } : {}),
      ...(v.sbatch !== undefined ? { sbatchArgs: words(v.sbatch) } : {}),
      ...(v.setup !== undefined ? { setup: [String(v.setup)] } : {}),
      ...(v.command !== undefined ? { command: words(v.command) } : {}),
      resume: v.resume === true,
      dryRun: v['dry-run'] === true,
      wait: v.wait === true,
    };
    const quiet = v.quiet === true || v.json === true;
    const plan = toPlan(positionals[0]!);
    let bar: ReturnType<typeof progress> | undefined;
    let s;
    try {
      s = await submitSweep(plan, {
        ...opts,
        onProgress: (p) => {
          bar ??= progress(quiet, `sweep ${plan.name}`, p.total);
          bar.update(p.done, p.failed > 0 ? `(${p.failed} failed)` : '');
        },
      });
    } finally {
      bar?.stop();
    }
    const say = (line: string) => (quiet ? undefined : console.log(line));
    if (opts.dryRun) {
      say(`# ${s.script}`);
      for (const c of s.commands) say(c.map((w) => (/[\s'"$&;|<>()]/.test(w) ? `'${w.replaceAll("'", `'\\''`)}'` : w)).join(' '));
    } else if (s.arrays.length === 0) {
      say(`sweep ${s.name}: nothing to submit, every cell is done`);
    } else {
      say(`sweep ${s.name} (${s.hash}): ${s.submittedCells} cells in ${s.submittedTasks.length} tasks, arrays ${s.arrays.map((a) => `${a.jobId} [${a.array}, offset ${a.offset}]`).join(', ')}; merge job ${s.mergeJobId}`);
      say(`results: ${opts.out} (merge with: rnnlab sweep merge ${opts.out})`);
    }
    if (s.waited) {
      if (!quiet) process.stderr.write(`${mergeSummary(s.waited.merge)}\n`);
      for (const t of s.waited.tasks) {
        process.stderr.write(`\ntask ${t.task} (cells ${t.cells.join(',')}): ${t.state ?? 'state unknown'}${t.exitCode ? `, exit ${t.exitCode}` : ''}; ${t.log}:\n${t.tail}\n`);
      }
      if (!s.waited.ok) throw new CliError(`${s.waited.tasks.length} task${s.waited.tasks.length === 1 ? '' : 's'} did not finish its cells; rerun with --resume`);
    }
    return s;
  },
};
