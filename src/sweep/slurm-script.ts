/**
 * The batch script of a sweep's Slurm job array, as a pure function of its inputs so it can be
 * read and tested without a cluster. Array task index = job index in the sweep, so a task's id
 * (`<array job>_<index>`) names the same job in every submission, and a resubmission lists only
 * the indices still unfinished.
 */
import type { ResolvedSlurmOptions } from "./slurm-options";

/** What the script needs besides the options. */
export interface BatchScriptInput {
  /** `--job-name`, the sweep folder's name. */
  readonly jobName: string;
  /** Job indices to run, ascending. */
  readonly indices: readonly number[];
  /** `--output` pattern of each task's stdout and stderr (`%A` array job, `%a` task index). */
  readonly output: string;
  /** Project root on the shared filesystem, where `--import tsx` resolves. */
  readonly root: string;
  /** Node arguments before the task's own: e.g. `["--import", "tsx", "<root>/src/sweep/slurm-task.ts"]`. */
  readonly entry: readonly string[];
  /** The sweep's task list, the task entry's first argument. */
  readonly tasksFile: string;
}

/** `--array` value: ascending indices folded into ranges, then `%maxConcurrent`, e.g. `0-2,5,7-8%4`. */
export function arraySpec(indices: readonly number[], maxConcurrent: number): string {
  if (indices.length === 0) throw new Error("arraySpec: indices must not be empty");
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(j === i ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return `${parts.join(",")}%${maxConcurrent}`;
}

/** Single-quotes a word for bash where it needs it. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// sbatch reads a double-quoted #SBATCH value but has no escapes inside it.
function directiveValue(name: string, value: string): string {
  if (/["\n\r]/.test(value)) throw new Error(`slurm script: ${name} must not contain a double quote or newline; got ${JSON.stringify(value)}`);
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `"${value}"`;
}

/** The sbatch script of one submission: directives, then the task entry run with the task's index. */
export function slurmBatchScript(input: BatchScriptInput, options: ResolvedSlurmOptions): string {
  const directives: [string, string | null][] = [
    ["job-name", input.jobName],
    ["array", arraySpec(input.indices, options.maxConcurrent)],
    ["output", input.output],
    ["partition", options.partition],
    ["time", options.time],
    ["gres", options.gpus > 0 ? `gpu:${options.gpus}` : null],
    ["cpus-per-task", String(options.cpusPerTask)],
    ["mem", options.mem],
  ];
  const env = options.backend === null ? [] : [`export SUPERNET_BACKEND=${shellWord(options.backend)}`];
  return [
    "#!/bin/bash",
    `# One array task per unfinished job of sweep ${input.jobName}; the task index is the job index.`,
    ...directives.filter(([, v]) => v !== null).map(([k, v]) => `#SBATCH --${k}=${directiveValue(k, v!)}`),
    "set -euo pipefail",
    ...options.setup,
    ...env,
    `cd ${shellWord(input.root)}`,
    `exec ${[options.node, ...input.entry, input.tasksFile].map(shellWord).join(" ")} "$SLURM_ARRAY_TASK_ID"`,
    "",
  ].join("\n");
}
