/**
 * The error a sweep throws when some workers failed after all others finished: it names each
 * failed job, how its worker ended, the tail of its stderr, and the command that reruns it alone.
 */
import type { SweepJob } from "./jobs";
import type { SweepRecord } from "./record";

/** One failed job. */
export interface SweepFailure {
  readonly job: SweepJob;
  /** How the worker ended, e.g. "exit code 1" or "killed by SIGKILL". */
  readonly exit: string;
  /** Why its result file does not count. */
  readonly reason: string;
  readonly stderrTail: string;
  /** Shell command that runs the job alone, for debugging. */
  readonly rerun: string;
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

/** Some jobs of a sweep failed; `records` holds the finished ones (null where failed). */
export class SweepError extends Error {
  constructor(
    readonly sweep: string,
    readonly failures: readonly SweepFailure[],
    readonly records: readonly (SweepRecord | null)[],
  ) {
    const lines = failures.map((f) => {
      const tail = lastLines(f.stderrTail, 12).replace(/^/gm, "      ");
      return `  ${f.job.id} (${f.job.arch}, seed ${f.job.seed}): ${f.exit}; ${f.reason}\n    rerun: ${f.rerun}\n    stderr:\n${tail || "      (empty)"}`;
    });
    super(`sweep ${sweep}: ${failures.length} of ${records.length} jobs failed (${failures.map((f) => f.job.id).join(", ")}); the others finished:\n${lines.join("\n")}`);
    this.name = "SweepError";
  }
}
