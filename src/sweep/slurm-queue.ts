/**
 * Asking Slurm about a sweep's array tasks: which are still queued or running (`squeue`), and how
 * the finished ones ended (`sacct` where accounting is on, else `squeue --states=all`, which
 * remembers jobs for MinJobAge after they end). Tasks are found by the sweep's job name and kept
 * only if their array job is one this sweep folder submitted, so another folder's sweep of the
 * same spec is never mistaken for this one.
 */
import { spawnSync } from "child_process";

/** One array task as Slurm reports it. */
export interface SlurmTaskState {
  /** Array job id. */
  readonly jobId: string;
  /** Task index = job index in the sweep. */
  readonly index: number;
  /** Slurm state, e.g. PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, TIMEOUT. */
  readonly state: string;
}

/** Output of a Slurm command, or null when the command is not installed. */
export function slurmCommand(command: string, args: readonly string[], timeoutMs = 60_000): { ok: boolean; stdout: string; stderr: string } | null {
  const r = spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return null;
  if (r.error) throw new Error(`${command} ${args.join(" ")}: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.trim() };
}

function parseLines(stdout: string, jobIds: readonly string[]): SlurmTaskState[] {
  const ours = new Set(jobIds);
  return stdout.split("\n").flatMap((line) => {
    const [jobId, task, state] = line.trim().split(/\s+/);
    // A task not yet split off a pending array is listed per index under -r; N/A is a plain job.
    return ours.has(jobId) && /^\d+$/.test(task ?? "") ? [{ jobId, index: Number(task), state }] : [];
  });
}

/** Tasks of the given arrays that have not ended yet; null when squeue is not installed. */
export function activeTasks(jobName: string, jobIds: readonly string[]): SlurmTaskState[] | null {
  if (jobIds.length === 0) return [];
  const out = slurmCommand("squeue", ["-h", "-r", `--name=${jobName}`, "-o", "%F %K %T"]);
  if (out === null) return null;
  if (!out.ok) throw new Error(`squeue --name=${jobName} failed: ${out.stderr}`);
  return parseLines(out.stdout, jobIds);
}

/** The last state Slurm recorded for each task index of the given arrays (later arrays win). */
export function finalTaskStates(jobName: string, jobIds: readonly string[]): Map<number, SlurmTaskState> {
  const states = new Map<number, SlurmTaskState>();
  if (jobIds.length === 0) return states;
  let tasks: SlurmTaskState[] = [];
  const acct = slurmCommand("sacct", ["-n", "-P", "-X", "-j", jobIds.join(","), "-o", "JobID,State"]);
  if (acct?.ok) {
    // sacct prints `<array>_<index>|<state>`, and `<array>_[1-3]` for tasks never started.
    tasks = acct.stdout.split("\n").flatMap((line) => {
      const m = /^(\d+)_(\d+)\|(\S+)/.exec(line.trim());
      return m && jobIds.includes(m[1]) ? [{ jobId: m[1], index: Number(m[2]), state: m[3] }] : [];
    });
  } else {
    const q = slurmCommand("squeue", ["-h", "-r", "-t", "all", `--name=${jobName}`, "-o", "%F %K %T"]);
    if (q?.ok) tasks = parseLines(q.stdout, jobIds);
  }
  const order = new Map(jobIds.map((id, i) => [id, i]));
  for (const t of tasks) {
    const seen = states.get(t.index);
    if (!seen || order.get(t.jobId)! >= order.get(seen.jobId)!) states.set(t.index, t);
  }
  return states;
}
