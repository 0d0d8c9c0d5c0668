/** The project's git revision, saved with results so a number can be traced to the code that made it. */
import { execFileSync } from "child_process";

/** `git rev-parse HEAD` in `dir`, or null when git or the repository is missing. */
export function gitRevision(dir: string): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}
