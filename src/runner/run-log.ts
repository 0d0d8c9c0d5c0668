/**
 * The log of a notebook run: `<run folder>/run.json`, rewritten atomically after every notebook,
 * so that a run stopped half-way still says how long each finished notebook took, on which
 * machine and at which revision. `npm run report` reads it for RESULTS.md's timing table and the
 * main job's 60-minute budget. Set-up (`scripts/setup.sh`) runs before the runner and is not in it.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteJson } from "../util/atomic-write";
import { Provenance } from "../util/provenance";
import { MachineDescription } from "../report/machine";

/** Format tag of run.json. */
export const runLogFormat = "supernet-lab/notebook-run@1";

/** One executed notebook. */
export interface NotebookTiming {
  /** Notebook name without extension, e.g. "01-supernet". */
  readonly name: string;
  /** Whether every cell ran. */
  readonly ok: boolean;
  /** Wall-clock seconds from starting the kernel to the executed copy being written. */
  readonly seconds: number;
  /** ISO time the notebook started. */
  readonly startedAt: string;
  /** Backend the notebook ran on, from its results file (null when it wrote none). */
  readonly backend: string | null;
}

/** What run.json holds. */
export interface RunLog {
  readonly format: typeof runLogFormat;
  readonly preset: string;
  /** Provenance of the runner process; its backend is "none" (the notebooks' kernels pick theirs, see `notebooks[].backend`). */
  readonly provenance: Provenance;
  readonly machine: MachineDescription;
  /** Notebooks this run was asked to execute, in order. */
  readonly requested: readonly string[];
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Notebooks executed so far, in order. */
  readonly notebooks: readonly NotebookTiming[];
  /** Wall-clock seconds from the start of the run (just before its first notebook) to the end of the last one logged. */
  readonly totalSeconds: number;
}

/** The run.json of a run folder. */
export function runLogFile(runDir: string): string {
  return path.join(runDir, "run.json");
}

/** A fresh log for a run that is about to start. */
export function startRunLog(preset: string, provenance: Provenance, machine: MachineDescription, requested: readonly string[], startedAt = new Date()): RunLog {
  const at = startedAt.toISOString();
  return { format: runLogFormat, preset, provenance, machine, requested: [...requested], startedAt: at, updatedAt: at, notebooks: [], totalSeconds: 0 };
}

/** The log with one more notebook (the log itself is left unchanged). */
export function logNotebook(log: RunLog, timing: NotebookTiming, now = new Date()): RunLog {
  const totalSeconds = Math.max(0, (now.getTime() - Date.parse(log.startedAt)) / 1000);
  return { ...log, notebooks: [...log.notebooks, timing], updatedAt: now.toISOString(), totalSeconds: round(totalSeconds) };
}

/** Seconds rounded to 0.1 s: finer digits are noise between runs. */
export function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

/** Writes run.json atomically. */
export function writeRunLog(runDir: string, log: RunLog): void {
  atomicWriteJson(runLogFile(runDir), log);
}

/** Reads run.json, or null when the run folder has none; throws naming the file when it is malformed. */
export function readRunLog(runDir: string): RunLog | null {
  const file = runLogFile(runDir);
  if (!fs.existsSync(file)) return null;
  let log: RunLog;
  try {
    log = JSON.parse(fs.readFileSync(file, "utf8")) as RunLog;
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (log.format !== runLogFormat) throw new Error(`${file} has format ${JSON.stringify(log.format)}, expected ${runLogFormat}`);
  if (!Array.isArray(log.notebooks)) throw new Error(`${file}: notebooks must be an array, got ${JSON.stringify(log.notebooks)}`);
  return log;
}

/** The backend a notebook's results file records, or null when there is no readable one written since `since`. */
export function resultsBackend(resultsDir: string, notebook: string, since: string): string | null {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(resultsDir, `${notebook}.json`), "utf8")) as { updatedAt?: string; provenance?: { backend?: unknown } };
    // A file from an earlier run would name that run's backend.
    if (typeof r.updatedAt !== "string" || r.updatedAt < since) return null;
    return typeof r.provenance?.backend === "string" ? r.provenance.backend : null;
  } catch {
    return null;
  }
}
