/**
 * Clean-up of temp files left by killed writers. `atomicWriteFile` names its temp file
 * `<target>.<pid>.<time>.tmp`; one whose writer process is gone will never be renamed and is
 * deleted. A temp of a live process (another sweep sharing the folder) is left alone.
 */
import * as fs from "fs";
import * as path from "path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes temp files in `dir` whose writing process has exited; returns their names. */
export function removeStaleTemps(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = /\.(\d+)\.\d+\.tmp$/.exec(name);
    if (m && !isAlive(Number(m[1]))) {
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}
