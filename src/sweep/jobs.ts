/**
 * The jobs of a sweep: one per arch and seed, in spec order (archs outer, seeds inner). A job's id
 * names its files; it only needs to be unique within a sweep folder, whose hash already pins the
 * archs and seeds, so it stays short and sorts in job order.
 */
import * as path from "path";
import type { SweepSpec } from "./spec";

/** One subnet trained from scratch with one seed. */
export interface SweepJob {
  /** `a<arch index>-s<seed>`, e.g. `a03-s1`. */
  readonly id: string;
  /** Position in the job list. */
  readonly index: number;
  /** Arch key. */
  readonly arch: string;
  readonly seed: number;
}

/** The jobs of a (validated) spec in order. */
export function sweepJobs(spec: SweepSpec): SweepJob[] {
  const width = Math.max(2, String(spec.archs.length - 1).length);
  return spec.archs.flatMap((arch, a) =>
    spec.seeds.map((seed, s) => ({ id: `a${String(a).padStart(width, "0")}-s${seed}`, index: a * spec.seeds.length + s, arch, seed })),
  );
}

/** Where a job's result is written. */
export function resultFile(dir: string, job: SweepJob): string {
  return path.join(dir, `${job.id}.json`);
}

/** Where the parent writes a job's input for its worker. */
export function jobFile(dir: string, job: SweepJob): string {
  return path.join(dir, "jobs", `${job.id}.json`);
}
