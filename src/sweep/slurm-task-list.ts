/**
 * The task list of a sweep on Slurm: every job of the sweep in job order, written once per sweep
 * folder next to the batch scripts. An array task finds its job as `jobs[SLURM_ARRAY_TASK_ID]`,
 * and the list carries what the task needs to tell a finished job from an unfinished one before
 * it starts, so a requeued or repeated task never recomputes a finished result.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteJson } from "../util/atomic-write";
import type { SweepJob } from "./jobs";

/** Format tag of a task list file. */
export const taskListFormat = "supernet-lab/sweep-slurm-tasks@1";

/** What `<sweep dir>/slurm/tasks.json` holds. */
export interface SlurmTaskList {
  readonly format: typeof taskListFormat;
  /** Hash of the sweep identity; a result of another hash does not count. */
  readonly specHash: string;
  /** Whether the sweep's results carry BLEU (part of the finished check). */
  readonly bleu: boolean;
  /** All jobs of the sweep; a job's index is its array task index. */
  readonly jobs: readonly SweepJob[];
}

/** The folder of a sweep's Slurm files. */
export function slurmDir(sweepDir: string): string {
  return path.join(sweepDir, "slurm");
}

/** Where the task list of a sweep lives. */
export function taskListFile(sweepDir: string): string {
  return path.join(slurmDir(sweepDir), "tasks.json");
}

/** The sweep folder a task list belongs to. */
export function sweepDirOfTaskList(file: string): string {
  return path.dirname(path.dirname(path.resolve(file)));
}

/** Writes the task list atomically; its content depends only on the sweep, so rewriting it is harmless. */
export function writeTaskList(sweepDir: string, list: SlurmTaskList): string {
  const file = taskListFile(sweepDir);
  atomicWriteJson(file, list);
  return file;
}

/** Reads a task list, checking its format. */
export function readTaskList(file: string): SlurmTaskList {
  const list = JSON.parse(fs.readFileSync(file, "utf8")) as SlurmTaskList;
  if (list?.format !== taskListFormat || !Array.isArray(list.jobs)) throw new Error(`${file} is not a ${taskListFormat} file`);
  return list;
}
