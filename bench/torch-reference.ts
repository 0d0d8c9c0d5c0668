/**
 * The PyTorch side of the comparison: makes sure Debian's python3-torch is importable by
 * /usr/bin/python3 (installing it with apt-get when running as root), then runs
 * bench/torch_reference.py on an input file written by the TypeScript side.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * The Python that has Debian's torch (python3 on PATH may be another one); SUPERNET_PYTHON names
 * another one (a GPU machine's CUDA build of torch, say), which is then used as it is, never
 * installed into.
 */
export const systemPython = process.env.SUPERNET_PYTHON || "/usr/bin/python3";
const pythonChosen = Boolean(process.env.SUPERNET_PYTHON);
const debianPackages = ["python3-torch", "libopenblas0-pthread"];

/** Whether torch can be used, and what was done to get it. */
export interface TorchAvailability {
  readonly ok: boolean;
  readonly version?: string;
  /** Why the comparison is skipped, when it is. */
  readonly why?: string;
  /** What the check did (commands run). */
  readonly actions: readonly string[];
}

function probeTorch(): { ok: boolean; version?: string; error?: string } {
  if (!fs.existsSync(systemPython)) return { ok: false, error: `${systemPython} does not exist` };
  const r = spawnSync(systemPython, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8", timeout: 120_000 });
  if (r.status === 0) return { ok: true, version: r.stdout.trim() };
  const lines = `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`.trim().split("\n");
  return { ok: false, error: lines[lines.length - 1] || `exit status ${r.status}` };
}

function aptGet(args: string[], log: (line: string) => void, actions: string[]): boolean {
  const command = `apt-get ${args.join(" ")}`;
  log(`  running: ${command}`);
  actions.push(command);
  const r = spawnSync("apt-get", args, { encoding: "utf8", timeout: 900_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`.trim().split("\n").slice(-2).join(" | ");
    log(`  ${command} failed (status ${r.status}): ${tail}`);
    return false;
  }
  return true;
}

/** Checks `import torch`; as root, tries apt-get install (then update + install) when it fails, unless SUPERNET_PYTHON chose the Python. */
export function ensureTorch(log: (line: string) => void): TorchAvailability {
  const actions: string[] = [`${systemPython} -c "import torch"`];
  const first = probeTorch();
  if (first.ok) return { ok: true, version: first.version, actions };
  log(`  PyTorch not importable by ${systemPython}: ${first.error}`);
  if (pythonChosen) return { ok: false, why: `SUPERNET_PYTHON=${systemPython} cannot import torch (${first.error})`, actions };
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    return { ok: false, why: `${systemPython} cannot import torch (${first.error}) and this is not root, so apt-get install -y ${debianPackages.join(" ")} was not tried`, actions };
  }
  const install = ["install", "-y", "--no-install-recommends", ...debianPackages];
  let installed = aptGet(install, log, actions);
  if (!installed && aptGet(["update"], log, actions)) installed = aptGet(install, log, actions);
  const second = probeTorch();
  if (second.ok) return { ok: true, version: second.version, actions };
  return {
    ok: false,
    why: installed ? `apt-get installed ${debianPackages.join(" ")} but torch still does not import: ${second.error}` : `apt-get install -y ${debianPackages.join(" ")} failed; torch does not import: ${second.error}`,
    actions,
  };
}

/**
 * The environment of the PyTorch process. Debian's torch runs its own ops on an OpenMP pool and its
 * matmuls on OpenBLAS's pthread pool: with OpenMP's default wait policy the idle OpenMP threads spin
 * on the cores the BLAS threads need, and a training step measured 2-4x slower on 2 cores (e.g.
 * largest subnet ~1,000 vs ~2,600 target tokens/s). PASSIVE lets them sleep. A value already set
 * in the environment wins.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? "PASSIVE",
  };
}

/** Runs torch_reference.py on `inputFile`; returns its JSON output. */
export function runTorchReference(inputFile: string, threads: number, timeoutSeconds: number): unknown {
  const script = path.join(__dirname, "torch_reference.py");
  const r = spawnSync(systemPython, [script, inputFile], {
    encoding: "utf8",
    timeout: timeoutSeconds * 1000,
    maxBuffer: 64 * 1024 * 1024,
    env: torchEnv(threads),
  });
  if (r.error) throw new Error(`torch_reference.py did not run: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = (r.stderr ?? "").trim().split("\n").slice(-6).join("\n");
    throw new Error(`torch_reference.py exited with status ${r.status}${r.signal ? ` (${r.signal})` : ""}:\n${tail}`);
  }
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}
