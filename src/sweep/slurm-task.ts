/**
 * Entry point of one Slurm array task:
 * `node --import tsx src/sweep/slurm-task.ts <task list> <task index>`. It looks up the job,
 * returns at once if the job's result is already valid (finished locally, by an earlier array,
 * or before this task was requeued), and otherwise runs the same worker as a local sweep, which
 * writes the result atomically. A task killed mid-job (scancel, time limit, preemption) leaves
 * no result and the job counts as unfinished; nothing finished is ever touched.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { jobFile, resultFile } from "./jobs";
import { readRecord } from "./record";
import { readTaskList, sweepDirOfTaskList } from "./slurm-task-list";
import { runWorkerJob } from "./worker";

/** What a task did: trained its job, or found it finished. */
export type SlurmTaskOutcome = "ran" | "finished already";

/** Runs the job of array task `index` unless its result is already valid. */
export async function runSlurmTask(tasksFile: string, index: number, env: NodeJS.ProcessEnv = process.env): Promise<SlurmTaskOutcome> {
  const list = readTaskList(tasksFile);
  const job = list.jobs[index];
  if (!Number.isInteger(index) || job === undefined || job.index !== index) throw new Error(`slurm task: index must be an integer in 0..${list.jobs.length - 1}; got ${index}`);
  const dir = sweepDirOfTaskList(tasksFile);
  const finished = () => readRecord(resultFile(dir, job), list.specHash, job, list.bleu);
  if ("record" in finished()) return "finished already";
  // The launch log audits what was computed; a Slurm line names the task and host where a local one has none.
  const task = `${env.SLURM_ARRAY_JOB_ID ?? "-"}_${env.SLURM_ARRAY_TASK_ID ?? index}`;
  fs.appendFileSync(path.join(dir, "launches.log"), `${new Date().toISOString()} ${job.id} slurm ${task} ${os.hostname()} pid ${process.pid}\n`);
  await runWorkerJob(jobFile(dir, job));
  const check = finished();
  if ("reason" in check) throw new Error(`slurm task ${index} (${job.id}): the worker ended but its result does not count: ${check.reason}`);
  return "ran";
}

if (require.main === module) {
  const [tasksFile, index] = process.argv.slice(2);
  if (!tasksFile || index === undefined) {
    console.error("usage: node --import tsx src/sweep/slurm-task.ts <task list> <task index>");
    process.exit(2);
  }
  // Exit explicitly: tfjs may keep handles open that would hold the task after the write.
  runSlurmTask(tasksFile, Number(index)).then(
    (outcome) => {
      console.log(`slurm task ${index}: ${outcome}`);
      process.exit(0);
    },
    (err: Error) => {
      console.error(`slurm task ${index} of ${tasksFile}: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}
