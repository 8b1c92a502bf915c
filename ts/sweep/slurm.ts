/**
 * Slurm submission of a sweep: one sbatch script whose array task t runs shard t of K, submitted
 * as job arrays with a concurrency cap (`%k`), split into several arrays when the task indices
 * reach the cluster's MaxArraySize (the arrays run one after another, `afterany`, so the cap
 * holds across them), and a merge job that runs when every task succeeded (`afterok`). The
 * result folder must be on a filesystem that the submitting host and every node share.
 */

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArgumentError, RnnlabError } from '../errors.js';
import { callback, finite, integer, options } from '../validate.js';
import { mergeSweep, type MergeReport } from './merge.js';
import { formatRanges, splitArrays } from './shard.js';
import { toPlan } from './run.js';
import type { SweepPlan, SweepSpec } from './spec.js';
import { listCells, openSweepFolder, readHeader } from './store.js';

/** A Slurm command failed or is not available. */
export class SlurmError extends RnnlabError {
  override name = 'SlurmError';
}

/** Options of {@link submitSweep}. */
export interface SubmitSweepOptions {
  /** The result folder, on a filesystem shared by this host and the nodes. */
  out: string;
  /** sbatch's --partition, --time, --mem, --account and --qos, when given. */
  partition?: string;
  time?: string;
  mem?: string;
  account?: string;
  qos?: string;
  /** CPUs per task (default 1); a task with more runs its cells on that many local workers. */
  cpusPerTask?: number;
  /** At most this many tasks at once (`--array=…%k`). */
  maxConcurrent?: number;
  /** Array tasks K (default: one per cell); task t runs cells t, t + K, … */
  tasks?: number;
  /** Submit only the tasks whose cells the folder lacks or holds as failed. */
  resume?: boolean;
  /** Further sbatch options, e.g. ['--constraint=avx512']. */
  sbatchArgs?: readonly string[];
  /** Shell lines run before rnnlab on the node, e.g. ['module load nodejs/20']. */
  setup?: readonly string[];
  /** How a node runs the rnnlab CLI (default: this Node with this package's CLI). */
  command?: readonly string[];
  /** The cluster's MaxArraySize (default: read from `scontrol show config`). */
  maxArraySize?: number;
  /** Write the scripts and return the sbatch commands without running them. */
  dryRun?: boolean;
  /** Wait until every job has left the queue, then report what did not finish. */
  wait?: boolean;
  /** Seconds between polls while waiting (default 10). */
  pollSeconds?: number;
  /** Progress while waiting: cells done (and failed) of those submitted. */
  onProgress?: (p: { done: number; failed: number; total: number }) => void;
}

/** What {@link submitSweep} did (or, with `dryRun`, would do). */
export interface SweepSubmission {
  name: string;
  hash: string;
  cells: number;
  /** K, and the tasks and cells submitted now. */
  tasks: number;
  submittedTasks: number[];
  submittedCells: number;
  /** The sbatch script and the commands run. */
  script: string;
  commands: string[][];
  /** Job id (null in a dry run), offset and `--array` value of each array; the merge job. */
  arrays: { jobId: string | null; offset: number; array: string }[];
  mergeJobId: string | null;
  maxArraySize: number;
  /** With `wait`: the folder's merge, and per unfinished task its state, exit code and log tail. */
  waited?: { merge: MergeReport; ok: boolean; tasks: { task: number; cells: number[]; state: string | null; exitCode: string | null; log: string; tail: string }[] };
}

const KNOWN = [
  'out', 'partition', 'time', 'mem', 'account', 'qos', 'cpusPerTask', 'maxConcurrent', 'tasks', 'resume', 'sbatchArgs', 'setup',
  'command', 'maxArraySize', 'dryRun', 'wait', 'pollSeconds', 'onProgress',
] as const;

/** Runs a Slurm command and returns its stdout. */
function slurm(program: string, args: readonly string[]): Promise<string> {
  return new Promise((res, rej) => {
    execFile(program, args, { encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (!error) return res(stdout);
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `'${program}' not found: run this on a Slurm login node` : stderr.trim() || error.message;
      rej(new SlurmError(`${program} ${args.join(' ')}: ${why}`));
    });
  });
}

/** The cluster's MaxArraySize (`scontrol show config`); array indices must stay below it. */
export async function maxArraySize(): Promise<number> {
  const m = /^\s*MaxArraySize\s*=\s*(\d+)/m.exec(await slurm('scontrol', ['show', 'config']));
  if (!m) throw new SlurmError('scontrol show config names no MaxArraySize');
  return Number(m[1]);
}

/**
 * How this process would run the rnnlab CLI: this Node with the package's compiled CLI, or, from
 * the TypeScript sources, with tsx's loader in the same process (so that a signal reaches it).
 */
export function defaultCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return [process.execPath, fileURLToPath(new URL('../cli/main.js', import.meta.url))];
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, unknown> }).exports['.'];
  const loader = join(dirname(pkg), typeof exported === 'string' ? exported : 'dist/loader.mjs');
  return [process.execPath, '--import', pathToFileURL(loader).href, fileURLToPath(new URL('../cli/main.ts', import.meta.url))];
}

/** A word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The sbatch script: array task t (plus RNNLAB_TASK_OFFSET) runs shard t of `tasks`. */
export function sbatchScript(plan: SweepPlan, o: { out: string; tasks: number; cpusPerTask: number; command: readonly string[]; directives: readonly string[]; setup: readonly string[] }): string {
  const out = resolve(o.out);
  const run = [...o.command, 'sweep', 'run', join(out, 'sweep.json'), '--out', out, '--index', '--shards', String(o.tasks)];
  const workers = o.cpusPerTask > 1 ? o.cpusPerTask : 0;
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=${shellQuote(`rnnlab-${plan.name}`)}`,
    `#SBATCH --output=${shellQuote(join(out, 'slurm', 'logs', '%A_%a.out'))}`,
    `#SBATCH --cpus-per-task=${o.cpusPerTask}`,
    ...o.directives.map((d) => `#SBATCH ${d}`),
    `# rnnlab sweep ${plan.name} (spec ${plan.hash}): ${plan.size} cells in ${o.tasks} tasks;`,
    `# array task t runs cells t + o, t + o + ${o.tasks}, … with o = RNNLAB_TASK_OFFSET (default 0).`,
    o.tasks === plan.size
      ? `# Rerun what is missing (indices below MaxArraySize): sbatch --array=$(rnnlab sweep merge ${shellQuote(out)} --missing) THIS_SCRIPT`
      : `# Rerun what is missing: rnnlab sweep slurm ${shellQuote(join(out, 'sweep.json'))} --out ${shellQuote(out)} --tasks ${o.tasks} --resume`,
    'set -eu',
    `cd ${shellQuote(process.cwd())}`,
    ...o.setup,
    `exec ${run.map(shellQuote).join(' ')} --offset "\${RNNLAB_TASK_OFFSET:-0}" --workers ${workers} --quiet`,
    '',
  ].join('\n');
}

/**
 * Submits a sweep to Slurm as job arrays plus a merge job; with `wait`, follows it to the end.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * const out = mkdtempSync(`${tmpdir()}/sweep-`);
 * const spec = { version: 1, job: 'dimension', grid: { g: [1.5, 2, 3, 5] } } as const;
 * const s = await submitSweep(spec, { out, maxConcurrent: 2, maxArraySize: 3, dryRun: true });
 * s.arrays.map((a) => a.array); // ['0-2%2', '0%2']: task 3 runs as index 0 with offset 3
 * ```
 */
export async function submitSweep(spec: SweepSpec | SweepPlan | string, opts: SubmitSweepOptions): Promise<SweepSubmission> {
  const o = options('options', opts, KNOWN);
  if (typeof o.out !== 'string' || o.out === '') throw new ArgumentError('out', 'must be the path of the result folder (on a shared filesystem)');
  const text = (name: string) => {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'string' || v === '' || /\s/.test(v))) throw new ArgumentError(name, `must be one word, got ${JSON.stringify(v)}`);
    return v as string | undefined;
  };
  const words = (name: string) => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((w) => typeof w !== 'string')) throw new ArgumentError(name, 'must be a list of strings');
    return v as string[];
  };
  const plan = toPlan(spec);
  const cpusPerTask = o.cpusPerTask === undefined ? 1 : integer('cpusPerTask', o.cpusPerTask, { min: 1, max: 4096 });
  const cap = o.maxConcurrent === undefined ? undefined : integer('maxConcurrent', o.maxConcurrent, { min: 1 });
  const tasks = o.tasks === undefined ? Math.max(1, plan.size) : integer('tasks', o.tasks, { min: 1, max: Math.max(1, plan.size) });
  const poll = o.pollSeconds === undefined ? 10 : finite('pollSeconds', o.pollSeconds, { min: 0.1, max: 3600 });
  const onProgress = o.onProgress === undefined ? undefined : callback<NonNullable<SubmitSweepOptions['onProgress']>>('onProgress', o.onProgress);
  const command = words('command') ?? defaultCommand();
  if (command.length === 0) throw new ArgumentError('command', 'must name a program');
  const directives = [
    ...(['partition', 'time', 'mem', 'account', 'qos'] as const).flatMap((k) => (text(k) === undefined ? [] : [`--${k}=${text(k)}`])),
    ...(words('sbatchArgs') ?? []),
  ];
  const setup = words('setup') ?? [];
  const limit = o.maxArraySize === undefined ? (o.dryRun === true ? 1001 : await maxArraySize()) : integer('maxArraySize', o.maxArraySize, { min: 1 });

  const out = resolve(o.out);
  const existing = readHeader(out);
  openSweepFolder(out, plan);
  let cells = Array.from({ length: plan.size }, (_, i) => i);
  if (o.resume === true && existing !== null) {
    const done = new Set(listCells(out).filter((c) => !c.failed).map((c) => c.index));
    cells = cells.filter((i) => !done.has(i));
  }
  const taskIds = [...new Set(cells.map((i) => i % tasks))].sort((a, b) => a - b);
  const script = join(out, 'slurm', `${plan.name}.sbatch`);
  mkdirSync(join(out, 'slurm', 'logs'), { recursive: true });
  writeFileSync(script, sbatchScript(plan, { out, tasks, cpusPerTask, command, directives, setup }), { mode: 0o755 });

  const chunks = splitArrays(taskIds, limit);
  const arrays: SweepSubmission['arrays'] = [];
  const commands: string[][] = [];
  let previous: string | null = null;
  for (const chunk of chunks) {
    const array = `${formatRanges(chunk.indices)}${cap === undefined ? '' : `%${cap}`}`;
    const args = ['--parsable', `--array=${array}`, `--export=ALL,RNNLAB_TASK_OFFSET=${chunk.offset}`];
    // One array after another: the cap then holds across the split arrays too.
    if (previous !== null || (o.dryRun === true && arrays.length > 0)) args.push(`--dependency=afterany:${previous ?? '<previous array>'}`);
    args.push(script);
    commands.push(['sbatch', ...args]);
    const jobId: string | null = o.dryRun === true ? null : (await slurm('sbatch', args)).trim().split(';')[0]!;
    arrays.push({ jobId, offset: chunk.offset, array });
    previous = jobId;
  }
  let mergeJobId: string | null = null;
  if (arrays.length > 0) {
    const ids = arrays.map((a) => a.jobId ?? '<array>').join(':');
    const mergeRun = [...command, 'sweep', 'merge', out, '--quiet'].map(shellQuote).join(' ');
    const args = [
      '--parsable', `--job-name=${`rnnlab-${plan.name}-merge`}`, `--output=${join(out, 'slurm', 'logs', 'merge-%j.out')}`,
      ...directives.filter((d) => /^--(partition|account|qos)=/.test(d)),
      `--dependency=afterok:${ids}`, '--kill-on-invalid-dep=yes', `--wrap=cd ${shellQuote(process.cwd())} && ${[...setup, mergeRun].join(' && ')}`,
    ];
    commands.push(['sbatch', ...args]);
    if (o.dryRun !== true) mergeJobId = (await slurm('sbatch', args)).trim().split(';')[0]!;
  }
  const submission: SweepSubmission = {
    name: plan.name, hash: plan.hash, cells: plan.size, tasks, submittedTasks: taskIds, submittedCells: cells.length,
    script, commands, arrays, mergeJobId, maxArraySize: limit,
  };
  if (o.wait === true && o.dryRun !== true && arrays.length > 0) {
    submission.waited = await followSweep(submission, { out, pollSeconds: poll, ...(onProgress ? { onProgress } : {}) });
  }
  return submission;
}

/**
 * Follows a submission until every one of its jobs has left the queue, then reports the cells it
 * submitted that did not finish, with their tasks' states, exit codes and log tails.
 */
export async function followSweep(
  s: SweepSubmission,
  opts: { out: string; pollSeconds?: number; onProgress?: SubmitSweepOptions['onProgress'] },
): Promise<NonNullable<SweepSubmission['waited']>> {
  const out = resolve(opts.out);
  const poll = opts.pollSeconds ?? 10;
  const onProgress = opts.onProgress;
  if (s.arrays.some((a) => a.jobId === null)) throw new ArgumentError('submission', 'a dry run has no jobs to follow');
  const ids = [...s.arrays.map((a) => a.jobId!), ...(s.mergeJobId ? [s.mergeJobId] : [])];
  const tasks = new Set(s.submittedTasks);
  const cells = Array.from({ length: s.cells }, (_, i) => i).filter((i) => tasks.has(i % s.tasks));
  const mine = new Set(cells);
  const count = () => {
    const ok = new Set<number>();
    const bad = new Set<number>();
    for (const c of listCells(out)) if (mine.has(c.index)) (c.failed ? bad : ok).add(c.index);
    return { done: ok.size, failed: [...bad].filter((i) => !ok.has(i)).length, total: cells.length };
  };
  for (;;) {
    onProgress?.(count());
    let queued = '';
    try {
      queued = (await slurm('squeue', ['-h', '-o', '%i', '-j', ids.join(',')])).trim();
    } catch (e) {
      // squeue refuses ids it no longer knows: then none of them is queued.
      if (!/Invalid job id/i.test((e as Error).message)) throw e;
    }
    if (queued === '') break;
    await new Promise((r) => setTimeout(r, poll * 1000));
  }
  onProgress?.(count());
  const merge = mergeSweep(out);
  const unfinished = new Set([...merge.missing, ...merge.failed.map((f) => f.index)].filter((i) => mine.has(i)));
  const byTask = new Map<number, number[]>();
  for (const i of [...unfinished].sort((a, b) => a - b)) {
    const t = i % s.tasks;
    if (!byTask.has(t)) byTask.set(t, []);
    byTask.get(t)!.push(i);
  }
  const states = new Map<string, { state: string; exitCode: string }>();
  for (const a of s.arrays) {
    try {
      for (const line of (await slurm('scontrol', ['-o', 'show', 'job', a.jobId!])).split('\n')) {
        const task = /ArrayTaskId=(\d+)\b/.exec(line)?.[1];
        const state = /JobState=(\S+)/.exec(line)?.[1];
        const code = /ExitCode=(\S+)/.exec(line)?.[1];
        if (task !== undefined && state !== undefined) states.set(`${a.jobId}_${task}`, { state, exitCode: code ?? '' });
      }
    } catch {
      // Finished jobs leave scontrol after MinJobAge; their state is then unknown here.
    }
  }
  const report = [...byTask].map(([task, taskCells]) => {
    const chunk = [...s.arrays].reverse().find((a) => a.offset <= task)!;
    const key = `${chunk.jobId}_${task - chunk.offset}`;
    const log = join(out, 'slurm', 'logs', `${key}.out`);
    let tail = '';
    try {
      tail = readFileSync(log, 'utf8').split('\n').slice(-21).join('\n').trimEnd();
    } catch {
      tail = '(no log file)';
    }
    return { task, cells: taskCells, state: states.get(key)?.state ?? null, exitCode: states.get(key)?.exitCode ?? null, log, tail };
  });
  return { merge, ok: unfinished.size === 0 && merge.conflicts.length === 0, tasks: report };
}
