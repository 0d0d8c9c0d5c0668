/**
 * The result file of one job and the check that decides whether it counts as finished. A file
 * that is missing, truncated, not JSON, of another format, or for another spec, job or arch is
 * not finished: the job runs again. Writers rename a complete temp file over the target, so a
 * partial file only arises from outside interference, but the check does not rely on that.
 */
import * as fs from "fs";
import type { SubnetRow } from "../eval/subnet-table";
import type { SweepJob } from "./jobs";

/** Format tag of a result file; bump it when its meaning changes. */
export const recordFormat = "supernet-lab/sweep-result@1";

/** What a worker writes for a finished job. */
export interface SweepRecord {
  readonly format: typeof recordFormat;
  /** Hash of the sweep identity it was computed under. */
  readonly specHash: string;
  readonly job: SweepJob;
  /** Size, validation loss and perplexity (NaN if training diverged), BLEU or null. */
  readonly result: SubnetRow;
  readonly train: {
    readonly updates: number;
    /** Training loss of the last update (NaN if it diverged). */
    readonly finalTrainLoss: number;
  };
  /** Wall time of the worker's training and evaluation. */
  readonly seconds: number;
  /** TensorFlow.js backend the worker ran on. */
  readonly backend: string;
  /** `git rev-parse HEAD` of the project when the sweep ran, or null outside git. */
  readonly gitRevision: string | null;
  /** ISO time the result was written. */
  readonly finishedAt: string;
}

/** A finished record, or why the file does not count as one. */
export type RecordCheck = { readonly record: SweepRecord } | { readonly reason: string };

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
// JSON writes NaN and Infinity as null; a diverged run is still a finished result.
const isLoss = (v: unknown): boolean => v === null || isNumber(v);
const revive = (v: number | null): number => (v === null ? NaN : v);

/** Reads and checks the result file of `job` in a sweep with hash `specHash`. */
export function readRecord(file: string, specHash: string, job: SweepJob, bleu: boolean): RecordCheck {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    return { reason: (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : `unreadable: ${(err as Error).message}` };
  }
  let r: any;
  try {
    r = JSON.parse(text);
  } catch (err) {
    return { reason: `not JSON (${(err as Error).message})` };
  }
  if (typeof r !== "object" || r === null || r.format !== recordFormat) return { reason: `not a ${recordFormat} file` };
  if (r.specHash !== specHash) return { reason: `computed for another sweep (${String(r.specHash).slice(0, 8)})` };
  const j = r.job ?? {};
  if (j.id !== job.id || j.arch !== job.arch || j.seed !== job.seed || j.index !== job.index) return { reason: `holds job ${JSON.stringify(j)}, not ${job.id}` };
  const res = r.result ?? {};
  if (res.arch !== job.arch) return { reason: `result is for arch ${res.arch}` };
  if (!isNumber(res.params) || !isNumber(res.flops) || !isLoss(res.validLoss) || !isLoss(res.perplexity)) return { reason: "result lacks params, flops, validLoss or perplexity" };
  if (bleu ? !isNumber(res.bleu) : res.bleu !== null) return { reason: bleu ? "result lacks bleu" : "result has a bleu the spec did not ask for" };
  if (!isNumber(r.train?.updates) || !isLoss(r.train?.finalTrainLoss) || !isNumber(r.seconds) || typeof r.backend !== "string") return { reason: "record lacks train, seconds or backend" };
  const result: SubnetRow = { ...res, validLoss: revive(res.validLoss), perplexity: revive(res.perplexity) };
  return { record: { ...r, result, train: { ...r.train, finalTrainLoss: revive(r.train.finalTrainLoss) } } };
}
