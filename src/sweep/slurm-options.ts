/**
 * What a sweep asks of a Slurm cluster for each array task: partition, wall time, GPUs, cores,
 * memory, how many tasks may run at once, and the environment of the worker. Checked before
 * anything is written or submitted, with errors naming the option, its value and what Slurm
 * accepts, so a typo fails here rather than as an sbatch message after the folder is prepared.
 */
import { backendEnvVar, backendNames } from "../backend/backend-name";

/** Slurm settings of a sweep's job array. */
export interface SlurmOptions {
  /** Partition (`--partition`), or a comma-separated list; default: the cluster's default partition. */
  readonly partition?: string;
  /** Wall-time limit of each task (`--time`) in a Slurm format: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`; default: the partition's. */
  readonly time?: string;
  /** GPUs per task (`--gres=gpu:N`); 0 asks for none. */
  readonly gpus?: number;
  /** CPU cores per task (`--cpus-per-task`): one suits wasm, which runs one thread per worker. */
  readonly cpusPerTask?: number;
  /** Memory per task (`--mem`), a number with an optional K, M, G or T suffix; default: the partition's. */
  readonly mem?: string;
  /** Array tasks allowed to run at once (the `%K` of `--array`). */
  readonly maxConcurrent?: number;
  /** Further sbatch arguments, each one word, e.g. `["--account=nlp", "--qos=short"]`. */
  readonly sbatchArgs?: readonly string[];
  /** SUPERNET_BACKEND for the workers (`tensorflow-gpu` on GPU nodes); default: whatever the task's environment has. */
  readonly backend?: string;
  /** Shell lines run before the worker, e.g. `module load nodejs/20`. */
  readonly setup?: readonly string[];
  /** Node binary on the compute nodes; default: the one running this process (the checkout is shared anyway). */
  readonly node?: string;
}

/** The options with every default filled in. */
export interface ResolvedSlurmOptions {
  readonly partition: string | null;
  readonly time: string | null;
  readonly gpus: number;
  readonly cpusPerTask: number;
  readonly mem: string | null;
  readonly maxConcurrent: number;
  readonly sbatchArgs: readonly string[];
  readonly backend: string | null;
  readonly setup: readonly string[];
  readonly node: string;
}

/** Defaults of the Slurm options (null: leave it to the cluster). */
export const slurmDefaults = Object.freeze({ gpus: 0, cpusPerTask: 1, maxConcurrent: 16 });

const fields = ["partition", "time", "gpus", "cpusPerTask", "mem", "maxConcurrent", "sbatchArgs", "backend", "setup", "node"] as const;

// Slurm's --time formats (sbatch(1)); "UNLIMITED" and "INFINITE" too.
const timePattern = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/;

function fail(field: string, allowed: string, value: unknown): never {
  throw new Error(`slurm options: ${field} must be ${allowed}; got ${JSON.stringify(value)}`);
}

function integer(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) fail(field, `an integer >= ${min}`, value);
  return value;
}

function words(field: string, value: unknown, pattern: RegExp, allowed: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(field, "an array of strings", value);
  value.forEach((v: unknown, i: number) => {
    if (typeof v !== "string" || !pattern.test(v)) fail(`${field}[${i}]`, allowed, v);
  });
  return value as string[];
}

// The sweep sets these itself: status and waiting find the tasks by job name and read their output files.
const ownedArgs = /^(-[aJoe]|--(array|job-name|output|error|parsable)(=|$))/;

function sbatchArgs(value: unknown): readonly string[] {
  const args = words("sbatchArgs", value, /^-/, "an sbatch option starting with '-', one word each (e.g. \"--account=nlp\")");
  args.forEach((a, i) => {
    if (ownedArgs.test(a)) fail(`sbatchArgs[${i}]`, "an option the sweep does not set itself (not --array, --job-name, --output, --error or --parsable)", a);
  });
  return args;
}

/** Checks the options and fills in the defaults; errors name the option, its value and what is allowed. */
export function resolveSlurmOptions(options: SlurmOptions = {}): ResolvedSlurmOptions {
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!(fields as readonly string[]).includes(key)) fail(key, `one of the Slurm options (${fields.join(", ")})`, o[key]);
  const { partition, time, mem, backend, node } = options;
  if (partition !== undefined && (typeof partition !== "string" || !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(partition))) fail("partition", "a partition name (letters, digits, '_', '.', '-'), or several joined by commas", partition);
  if (time !== undefined && (typeof time !== "string" || !timePattern.test(time))) fail("time", "a Slurm time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", time);
  if (mem !== undefined && (typeof mem !== "string" || !/^[1-9]\d*[KMGT]?$/.test(mem))) fail("mem", "a positive number with an optional K, M, G or T suffix, e.g. 4G", mem);
  if (backend !== undefined && !(backendNames as readonly unknown[]).includes(backend)) fail("backend", `a ${backendEnvVar} value: one of ${backendNames.join(", ")}`, backend);
  if (node !== undefined && (typeof node !== "string" || node.trim() === "" || /[\n\r]/.test(node))) fail("node", "the path of a node binary", node);
  return {
    partition: partition ?? null,
    time: time ?? null,
    gpus: integer("gpus", options.gpus, slurmDefaults.gpus, 0),
    cpusPerTask: integer("cpusPerTask", options.cpusPerTask, slurmDefaults.cpusPerTask, 1),
    mem: mem ?? null,
    maxConcurrent: integer("maxConcurrent", options.maxConcurrent, slurmDefaults.maxConcurrent, 1),
    sbatchArgs: sbatchArgs(options.sbatchArgs),
    backend: backend ?? null,
    setup: words("setup", options.setup, /^[^\n\r]*$/, "one shell line without newlines"),
    node: node ?? process.execPath,
  };
}
