/**
 * Starting one worker process. The worker is TypeScript run through tsx
 * (`node --import tsx worker.ts <input>`), started with the current Node binary and the project
 * root as working directory, where `--import tsx` resolves. The worker's path is found from this
 * file's folder, which is the source folder under tsx and under the tslab kernel alike (tslab
 * compiles src in memory but keeps each module's file name), so the caller's cwd does not matter.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** How a worker ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last few kilobytes of its stderr. */
  readonly stderrTail: string;
}

/** A running worker. */
export interface WorkerHandle {
  readonly pid: number | undefined;
  readonly exited: Promise<WorkerExit>;
  /** SIGTERM now, SIGKILL if it is still alive a few seconds later. */
  kill(): void;
}

const tailChars = 8000;

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return from;
  }
}

/** The command that runs the worker: node arguments and the working directory. */
export function workerCommand(dir = __dirname): { args: string[]; cwd: string } {
  const ts = path.join(dir, "worker.ts");
  const js = path.join(dir, "worker.js");
  if (fs.existsSync(ts)) return { args: ["--import", "tsx", ts], cwd: findRoot(dir) };
  if (fs.existsSync(js)) return { args: [js], cwd: findRoot(dir) };
  throw new Error(`sweep: no worker.ts or worker.js in ${dir}`);
}

/** Spawns a worker for the job input file; never rejects, a spawn error is an exit with code null. */
export function launchWorker(inputFile: string, env: NodeJS.ProcessEnv = process.env): WorkerHandle {
  const { args, cwd } = workerCommand();
  const child: ChildProcess = spawn(process.execPath, [...args, inputFile], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-tailChars);
  });
  const exited = new Promise<WorkerExit>((resolve) => {
    child.on("error", (err) => resolve({ code: null, signal: null, stderrTail: `${tail}\nspawn failed: ${err.message}` }));
    child.on("close", (code, signal) => resolve({ code, signal, stderrTail: tail }));
  });
  let killTimer: NodeJS.Timeout | undefined;
  void exited.then(() => clearTimeout(killTimer));
  return {
    pid: child.pid,
    exited,
    kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
      killTimer.unref();
    },
  };
}
