/**
 * A standalone sweep on a Slurm cluster: the same folder, job inputs, worker and result files as
 * a local sweep (`runStandaloneSweep`), submitted as one job array with one task per unfinished
 * job. Local and Slurm runs mix freely because both decide "finished" with `readRecord` on the
 * shared result files: a submission leaves out finished jobs and jobs an earlier array of this
 * folder still has queued or running, and a task whose job finished meanwhile exits at once.
 * The sweep folder and the project checkout must be on a filesystem every node sees at the same path.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteFile } from "../util/atomic-write";
import { codeRevision } from "../util/provenance";
import { SweepIdentity, sweepIdentity } from "./identity";
import { SweepJob, jobFile, resultFile, sweepJobs } from "./jobs";
import { workerCommand } from "./launch-worker";
import { SweepRecord, readRecord } from "./record";
import { prepareSweep, writeJobInput } from "./run-sweep";
import type { SweepSpec } from "./spec";
import { removeStaleTemps } from "./stale-temps";
import { SweepStatus, sweepStatus } from "./status";
import { SweepError, SweepFailure } from "./sweep-error";
import { SlurmOptions, resolveSlurmOptions } from "./slurm-options";
import { SlurmTaskState, activeTasks, finalTaskStates, slurmCommand } from "./slurm-queue";
import { arraySpec, shellWord, slurmBatchScript } from "./slurm-script";
import { slurmDir, taskListFile, taskListFormat, writeTaskList } from "./slurm-task-list";

/** Options of `submitSlurmSweep`: where results go, and what each task asks of the cluster. */
export interface SlurmSweepOptions extends SlurmOptions {
  /** Output root; results go to `<outDir>/sweeps/<name>-<hash8>/`, which every node must see. */
  readonly outDir: string;
}

/** What one call of `submitSlurmSweep` did. */
export interface SlurmSubmission {
  /** Slurm job id of the array, or null when no job needed submitting. */
  readonly jobId: string | null;
  /** `--array` value, or null. */
  readonly array: string | null;
  /** Jobs submitted, one array task each (task index = job index). */
  readonly submitted: readonly SweepJob[];
  /** Jobs left out because an earlier array of this folder still has them queued or running. */
  readonly queued: readonly SweepJob[];
  /** Jobs already finished. */
  readonly finished: number;
  readonly total: number;
  /** The sweep folder. */
  readonly dir: string;
  /** The batch script, or null. */
  readonly script: string | null;
}

/** One line of `slurm/submissions.log`. */
export interface SlurmSubmissionEntry {
  readonly at: string;
  readonly jobId: string;
  readonly array: string;
}

/** Counts reported while waiting for a sweep's arrays. */
export interface SlurmProgress {
  readonly done: number;
  readonly total: number;
  /** Tasks waiting in the queue. */
  readonly queued: number;
  /** Tasks running (or completing). */
  readonly running: number;
}

/** Options of `waitForSlurmSweep`. */
export interface SlurmWaitOptions {
  readonly outDir: string;
  /** Seconds between polls; default 10. */
  readonly pollSeconds?: number;
  /** Called after each poll. */
  readonly onProgress?: (progress: SlurmProgress) => void;
  /** Aborting stops waiting (the tasks keep running); the call rejects with the abort reason. */
  readonly signal?: AbortSignal;
}

/** Where a sweep stands, with the Slurm side of it. */
export interface SlurmSweepStatus extends SweepStatus {
  /** Every array this folder submitted, oldest first. */
  readonly submissions: readonly SlurmSubmissionEntry[];
  /** Tasks of those arrays not yet ended, or null where squeue is not installed. */
  readonly active: readonly SlurmTaskState[] | null;
}

/** The Slurm job name of a sweep: its folder name. */
export function slurmJobName(sweepDir: string): string {
  return path.basename(sweepDir);
}

const submissionsFile = (dir: string): string => path.join(slurmDir(dir), "submissions.log");

/** The arrays a sweep folder submitted, oldest first. */
export function readSubmissions(sweepDir: string): SlurmSubmissionEntry[] {
  const file = submissionsFile(sweepDir);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").flatMap((line) => {
    const [at, jobId, array] = line.trim().split(" ");
    return at && jobId && array ? [{ at, jobId, array }] : [];
  });
}

// The task entry, found like the worker: beside this file, run from the project root.
function taskCommand(): { root: string; entry: string[] } {
  const root = workerCommand().cwd;
  const ts = path.join(__dirname, "slurm-task.ts");
  return { root, entry: fs.existsSync(ts) ? ["--import", "tsx", ts] : [path.join(__dirname, "slurm-task.js")] };
}

/** Writes the job inputs and batch script of every unfinished job and submits them as one array; returns what was submitted. */
export function submitSlurmSweep(spec: SweepSpec, options: SlurmSweepOptions): SlurmSubmission {
  const { outDir, ...slurm } = options;
  const resolved = resolveSlurmOptions(slurm);
  const { id, jobs, pending } = prepareSweep(spec, outDir);
  const jobName = slurmJobName(id.dir);
  const active = activeTasks(jobName, readSubmissions(id.dir).map((s) => s.jobId));
  if (active === null) throw new Error("submitSlurmSweep: squeue is not on PATH; submitting needs the Slurm client commands (sbatch, squeue)");
  // A temp file may belong to a live task on another node, where its pid means nothing here.
  if (active.length === 0) removeStaleTemps(id.dir);
  const busy = new Set(active.map((t) => t.index));
  const submitted = pending.filter((job) => !busy.has(job.index));
  const result = { submitted, queued: pending.filter((job) => busy.has(job.index)), finished: jobs.length - pending.length, total: jobs.length, dir: id.dir };
  if (submitted.length === 0) return { ...result, jobId: null, array: null, script: null };

  const { root, entry } = taskCommand();
  const revision = codeRevision(root).revision;
  for (const job of submitted) writeJobInput(id, job, revision);
  const tasksFile = writeTaskList(id.dir, { format: taskListFormat, specHash: id.hash, bleu: id.spec.bleu, jobs });
  const indices = submitted.map((job) => job.index);
  const text = slurmBatchScript({ jobName, indices, output: path.join(slurmDir(id.dir), "%A_%a.out"), root, entry, tasksFile }, resolved);
  // sbatch copies the script when it submits, so the next submission may overwrite it.
  const script = path.join(slurmDir(id.dir), "array.sbatch");
  atomicWriteFile(script, text);
  const out = slurmCommand("sbatch", ["--parsable", ...resolved.sbatchArgs, script]);
  if (out === null) throw new Error("submitSlurmSweep: sbatch is not on PATH");
  const m = /^(\d+)(;\S+)?$/.exec(out.stdout.trim());
  if (!out.ok || !m) {
    const hint = Math.max(...indices) >= 1001 ? ` (the highest task index is ${Math.max(...indices)}; the cluster's MaxArraySize may be lower)` : "";
    throw new Error(`submitSlurmSweep: sbatch ${script} failed${hint}: ${out.stderr || out.stdout}`);
  }
  const array = arraySpec(indices, resolved.maxConcurrent);
  fs.appendFileSync(submissionsFile(id.dir), `${new Date().toISOString()} ${m[1]} ${array}\n`);
  return { ...result, jobId: m[1], array, script };
}

/** Where a sweep stands: finished and pending jobs, the arrays submitted and their live tasks (read-only). */
export function slurmSweepStatus(spec: SweepSpec, outDir: string): SlurmSweepStatus {
  const status = sweepStatus(spec, outDir);
  const submissions = readSubmissions(status.dir);
  return { ...status, submissions, active: activeTasks(slurmJobName(status.dir), submissions.map((s) => s.jobId)) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}

// The tail of the task's output file; where Slurm no longer knows the task, the newest one of that index.
function outputTail(dir: string, task: SlurmTaskState | undefined, index: number): string {
  const folder = slurmDir(dir);
  const newest = () =>
    fs.readdirSync(folder).filter((f) => f.endsWith(`_${index}.out`)).map((f) => ({ f, t: fs.statSync(path.join(folder, f)).mtimeMs })).sort((a, b) => b.t - a.t)[0]?.f;
  const name = task ? `${task.jobId}_${index}.out` : newest();
  const file = name === undefined ? null : path.join(folder, name);
  return file !== null && fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(-8000) : "";
}

// Every job's record (null where unfinished) and why each unfinished one does not count.
function readRecords(id: SweepIdentity): { records: (SweepRecord | null)[]; pending: (SweepJob & { reason: string })[] } {
  const checks = sweepJobs(id.spec).map((job) => ({ job, check: readRecord(resultFile(id.dir, job), id.hash, job, id.spec.bleu) }));
  return {
    records: checks.map(({ check }) => ("record" in check ? check.record : null)),
    pending: checks.flatMap(({ job, check }) => ("reason" in check ? [{ ...job, reason: check.reason }] : [])),
  };
}

/**
 * Waits until no array this folder submitted has a task left in the queue (or, where squeue is
 * not installed, until every result is valid); returns all records in job order, or throws a
 * `SweepError` naming each unfinished job with its Slurm state and the tail of its output.
 */
export async function waitForSlurmSweep(spec: SweepSpec, options: SlurmWaitOptions): Promise<SweepRecord[]> {
  const pollMs = (options.pollSeconds ?? 10) * 1000;
  if (!(pollMs > 0)) throw new Error(`waitForSlurmSweep: pollSeconds must be a number > 0; got ${options.pollSeconds}`);
  const id = sweepIdentity(spec, path.resolve(options.outDir));
  const jobName = slurmJobName(id.dir);
  for (;;) {
    options.signal?.throwIfAborted();
    const active = activeTasks(jobName, readSubmissions(id.dir).map((s) => s.jobId));
    const { records, pending } = readRecords(id);
    const running = active?.filter((t) => !/PENDING|REQUEUED|SUSPENDED/.test(t.state)).length ?? 0;
    options.onProgress?.({ done: records.length - pending.length, total: records.length, queued: (active?.length ?? 0) - running, running });
    if (active === null ? pending.length === 0 : active.length === 0) break;
    await sleep(pollMs, options.signal);
  }
  const { records, pending } = readRecords(id);
  // No task is live now, so no temp file can still be renamed and no finished job's input is needed.
  removeStaleTemps(id.dir);
  for (const r of records) if (r) fs.rmSync(jobFile(id.dir, r.job), { force: true });
  if (pending.length === 0) return records as SweepRecord[];
  const states = finalTaskStates(jobName, readSubmissions(id.dir).map((s) => s.jobId));
  const { root, entry } = taskCommand();
  const failures: SweepFailure[] = pending.map((p) => {
    const { reason, ...job } = p;
    const task = states.get(job.index);
    const rerun = `cd ${shellWord(root)} && ${[process.execPath, ...entry, taskListFile(id.dir), String(job.index)].map(shellWord).join(" ")}`;
    return { job, exit: task ? `Slurm task ${task.jobId}_${task.index} ${task.state}` : "no Slurm task ran it", reason: `no result (${reason})`, stderrTail: outputTail(id.dir, task, job.index), rerun };
  });
  throw new SweepError(id.spec.name, failures, records);
}
