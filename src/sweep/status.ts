/**
 * Reading a sweep without running anything: which jobs are finished, which are not and why.
 * Safe to call while a sweep is running (from another notebook or process): it only reads files.
 */
import * as path from "path";
import { sweepIdentity } from "./identity";
import { SweepJob, resultFile, sweepJobs } from "./jobs";
import { RecordCheck, SweepRecord, readRecord } from "./record";
import type { SweepSpec } from "./spec";

/** Where a sweep stands. */
export interface SweepStatus {
  readonly name: string;
  readonly hash: string;
  readonly dir: string;
  readonly total: number;
  readonly done: number;
  /** Unfinished jobs and why ("missing", "not JSON ...", ...). */
  readonly pending: readonly (SweepJob & { readonly reason: string })[];
}

function checkAll(spec: SweepSpec, outDir: string): { dir: string; hash: string; name: string; checks: { job: SweepJob; check: RecordCheck }[] } {
  const id = sweepIdentity(spec, path.resolve(outDir));
  const checks = sweepJobs(id.spec).map((job) => ({ job, check: readRecord(resultFile(id.dir, job), id.hash, job, id.spec.bleu) }));
  return { dir: id.dir, hash: id.hash, name: id.spec.name, checks };
}

/** The finished records of a sweep, in job order (read-only). */
export function loadSweepResults(spec: SweepSpec, outDir: string): SweepRecord[] {
  return checkAll(spec, outDir).checks.flatMap(({ check }) => ("record" in check ? [check.record] : []));
}

/** Counts of finished and pending jobs, with the reason each pending one does not count (read-only). */
export function sweepStatus(spec: SweepSpec, outDir: string): SweepStatus {
  const { dir, hash, name, checks } = checkAll(spec, outDir);
  const pending = checks.flatMap(({ job, check }) => ("reason" in check ? [{ ...job, reason: check.reason }] : []));
  return { name, hash, dir, total: checks.length, done: checks.length - pending.length, pending };
}
