/**
 * Training a sweep's subnets from scratch in parallel worker processes, resumably. Jobs whose
 * result file is already valid are skipped; the rest run in up to `workers` processes (tfjs wasm
 * is single-threaded per process, so processes are how a sweep uses several cores). Each worker
 * writes its result atomically, so an interrupted sweep (abort, Ctrl-C, crash) loses no finished
 * subnet and the next call recomputes none. A failed worker does not stop the others; the call
 * throws a `SweepError` naming the failed jobs once everything else has finished.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteJson } from "../util/atomic-write";
import { codeRevision } from "../util/provenance";
import { SweepIdentity, sweepIdentity } from "./identity";
import { SweepJob, jobFile, resultFile, sweepJobs } from "./jobs";
import { WorkerExit, WorkerHandle, launchWorker, workerCommand } from "./launch-worker";
import { SweepRecord, readRecord } from "./record";
import type { SweepSpec } from "./spec";
import { removeStaleTemps } from "./stale-temps";
import { SweepError, SweepFailure } from "./sweep-error";
import { SweepJobInput, jobInputFormat } from "./train-job";

/** Counts reported while a sweep runs. */
export interface SweepProgress {
  /** Jobs with a valid result, cached ones included. */
  readonly done: number;
  readonly total: number;
  /** Jobs that were already finished when the call started. */
  readonly cached: number;
  /** Workers running now. */
  readonly running: number;
  readonly failed: number;
}

/** Options of `runStandaloneSweep`. */
export interface SweepOptions {
  /** Parallel worker processes (one per core is right for wasm); default 2. */
  readonly workers?: number;
  /** Output root; results go to `<outDir>/sweeps/<name>-<hash8>/`. */
  readonly outDir: string;
  /** Called at the start, after each launch and after each job ends. */
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Aborting kills the workers; finished results stay, and the call rejects with the abort reason. */
  readonly signal?: AbortSignal;
}

interface Running {
  readonly handle: WorkerHandle;
  readonly ended: Promise<{ job: SweepJob; exit: WorkerExit }>;
}

// Quotes a path for the rerun command only where the shell needs it.
const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function describeExit(exit: WorkerExit): string {
  return exit.signal ? `killed by ${exit.signal}` : exit.code === null ? "could not start" : `exit code ${exit.code}`;
}

/** A sweep folder made ready to run: the identity, its jobs, and the records already finished. */
export interface PreparedSweep {
  readonly id: SweepIdentity;
  readonly jobs: readonly SweepJob[];
  /** Finished records by job index, null where the job still has to run. */
  readonly records: (SweepRecord | null)[];
  /** Jobs without a valid result, in job order. */
  readonly pending: readonly SweepJob[];
}

/** Creates the sweep folder with its spec.json and reads which jobs are finished (shared by every backend). */
export function prepareSweep(spec: SweepSpec, outDir: string): PreparedSweep {
  const id = sweepIdentity(spec, path.resolve(outDir));
  fs.mkdirSync(id.dir, { recursive: true });
  atomicWriteJson(path.join(id.dir, "spec.json"), { hash: id.hash, spec: id.spec, settings: id.settings });
  const jobs = sweepJobs(id.spec);
  const records = jobs.map((job) => {
    const check = readRecord(resultFile(id.dir, job), id.hash, job, id.spec.bleu);
    return "record" in check ? check.record : null;
  });
  return { id, jobs, records, pending: jobs.filter((job) => records[job.index] === null) };
}

/** Writes the input file a worker reads for `job`; returns its path. */
export function writeJobInput(id: SweepIdentity, job: SweepJob, revision: string | null): string {
  const file = jobFile(id.dir, job);
  const input: SweepJobInput = { format: jobInputFormat, specHash: id.hash, spec: id.spec, settings: id.settings, job, resultFile: resultFile(id.dir, job), gitRevision: revision };
  atomicWriteJson(file, input);
  return file;
}

/** Trains every unfinished (arch, seed) job of the spec from scratch; returns all records in job order. */
export async function runStandaloneSweep(spec: SweepSpec, options: SweepOptions): Promise<SweepRecord[]> {
  const workers = options.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`runStandaloneSweep: workers must be an integer >= 1; got ${workers}`);
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const command = workerCommand();
  const { id, jobs, records, pending } = prepareSweep(spec, options.outDir);
  removeStaleTemps(id.dir);
  const cached = records.filter((r) => r !== null).length;
  const queue = [...pending];
  const failures: SweepFailure[] = [];
  const running = new Map<string, Running>();
  const revision = queue.length ? codeRevision(command.cwd).revision : null;
  const progress = () => onProgress?.({ done: records.filter((r) => r !== null).length, total: jobs.length, cached, running: running.size, failed: failures.length });
  const killAll = () => running.forEach((r) => r.handle.kill());

  const start = (job: SweepJob) => {
    const input = writeJobInput(id, job, revision);
    const handle = launchWorker(input);
    // The log is the audit trail of what was (re)computed, one line per launch.
    fs.appendFileSync(path.join(id.dir, "launches.log"), `${new Date().toISOString()} ${job.id} pid ${handle.pid ?? "-"}\n`);
    running.set(job.id, { handle, ended: handle.exited.then((exit) => ({ job, exit })) });
  };
  const finish = (job: SweepJob, exit: WorkerExit) => {
    const check = readRecord(resultFile(id.dir, job), id.hash, job, id.spec.bleu);
    if ("record" in check) {
      records[job.index] = check.record;
      fs.rmSync(jobFile(id.dir, job), { force: true });
    } else if (!signal?.aborted) {
      const rerun = ["cd", command.cwd, "&&", process.execPath, ...command.args, jobFile(id.dir, job)].map((a) => (a === "&&" ? a : shellQuote(a))).join(" ");
      failures.push({ job, exit: describeExit(exit), reason: exit.code === 0 ? `no valid result (${check.reason})` : "no result", stderrTail: exit.stderrTail, rerun });
    }
  };

  signal?.addEventListener("abort", killAll);
  // A parent that exits (a script ending, a kernel shutting down) takes its workers with it.
  process.once("exit", killAll);
  try {
    progress();
    while (running.size > 0 || (queue.length > 0 && !signal?.aborted)) {
      while (!signal?.aborted && queue.length > 0 && running.size < workers) {
        start(queue.shift()!);
        progress();
      }
      const { job, exit } = await Promise.race([...running.values()].map((r) => r.ended));
      running.delete(job.id);
      finish(job, exit);
      progress();
    }
  } finally {
    signal?.removeEventListener("abort", killAll);
    process.removeListener("exit", killAll);
    killAll();
    await Promise.all([...running.values()].map((r) => r.ended));
    removeStaleTemps(id.dir);
  }
  signal?.throwIfAborted();
  if (failures.length > 0) throw new SweepError(id.spec.name, failures, records);
  return records as SweepRecord[];
}
