/**
 * `npm run sweep -- <spec.json> [--backend local|slurm] [--workers N] [--partition P]
 * [--time HH:MM:SS] [--gpus N] [--cpus N] [--mem 8G] [--max-concurrent K] [--sbatch-arg ARG]...
 * [--setup LINE]... [--supernet-backend NAME] [--node PATH] [--out DIR] [--wait] [--poll SECONDS]
 * [--status]`:
 * trains a standalone sweep (spec: src/sweep/spec.ts) in local worker processes, or submits it to
 * Slurm as one job array (and with --wait, waits for it). --status only reads the sweep folder.
 * Both backends share the folder under DIR (default out/, as the notebooks), so either one
 * resumes what the other finished.
 */
import * as fs from "fs";
import * as path from "path";
import { SweepSpec, validateSweepSpec } from "../src/sweep/spec";
import { SlurmOptions, resolveSlurmOptions } from "../src/sweep/slurm-options";
import { outputDir } from "../src/util/paths";

/** What the command line asks for. */
export interface SweepArgs {
  readonly specFile: string;
  readonly backend: "local" | "slurm";
  readonly outDir: string;
  readonly status: boolean;
  readonly wait: boolean;
  /** Local worker processes. */
  readonly workers: number;
  readonly slurm: SlurmOptions;
  readonly pollSeconds: number;
}

const usage = "usage: npm run sweep -- <spec.json> [--backend local|slurm] [--workers N] [--partition P] [--time HH:MM:SS] [--gpus N] [--cpus N] [--mem SIZE] [--max-concurrent K] [--sbatch-arg ARG]... [--setup LINE]... [--supernet-backend NAME] [--node PATH] [--out DIR] [--wait] [--poll SECONDS] [--status]";
const booleans = ["--wait", "--status"];
const localFlags = ["--workers"];
const slurmFlags = ["--partition", "--time", "--gpus", "--cpus", "--mem", "--max-concurrent", "--sbatch-arg", "--setup", "--supernet-backend", "--node", "--wait", "--poll"];
const valued = ["--backend", "--out", ...localFlags, ...slurmFlags.filter((f) => !booleans.includes(f))];

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}; got "${value}"`);
  return n;
}

// Option field -> the flag that sets it, so a bad value is reported under the flag the user typed.
const flagOf: Record<string, string> = { partition: "--partition", time: "--time", gpus: "--gpus", cpusPerTask: "--cpus", mem: "--mem", maxConcurrent: "--max-concurrent", sbatchArgs: "--sbatch-arg", setup: "--setup", backend: "--supernet-backend", node: "--node" };

function checkSlurmFlags(slurm: SlurmOptions): void {
  try {
    resolveSlurmOptions(slurm);
  } catch (err) {
    const m = /^slurm options: (\w+)(?:\[\d+\])? (must .*)$/s.exec((err as Error).message);
    throw m && flagOf[m[1]] ? new Error(`${flagOf[m[1]]} ${m[2]}`) : err;
  }
}

/** Parses the arguments after `npm run sweep --`; errors name the flag, the value and what is allowed. */
export function parseSweepArgs(argv: readonly string[]): SweepArgs {
  const positional: string[] = [];
  const seen = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const flag = eq < 0 ? a : a.slice(0, eq);
    if (booleans.includes(flag)) {
      if (eq >= 0) throw new Error(`${flag} takes no value; got "${a}"`);
      seen.set(flag, ["true"]);
    } else if (valued.includes(flag)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      seen.set(flag, [...(seen.get(flag) ?? []), value]);
    } else {
      throw new Error(`unknown flag ${flag}; flags: ${[...valued, ...booleans].join(", ")}\n${usage}`);
    }
  }
  if (positional.length !== 1) throw new Error(`expected one spec file, got ${positional.length ? positional.map((p) => `"${p}"`).join(", ") : "none"}\n${usage}`);
  const one = (flag: string): string | undefined => {
    const values = seen.get(flag);
    if (values && values.length > 1 && !["--sbatch-arg", "--setup"].includes(flag)) throw new Error(`${flag} given ${values.length} times`);
    return values?.[0];
  };
  const backend = one("--backend") ?? "local";
  if (backend !== "local" && backend !== "slurm") throw new Error(`--backend must be local or slurm; got "${backend}"`);
  const foreign = [...seen.keys()].filter((f) => (backend === "local" ? slurmFlags : localFlags).includes(f));
  if (foreign.length > 0) throw new Error(`${foreign.join(", ")} ${foreign.length > 1 ? "apply" : "applies"} to --backend ${backend === "local" ? "slurm" : "local"} only; got --backend ${backend}`);
  const opt = <T>(flag: string, parse: (v: string) => T): T | undefined => {
    const v = one(flag);
    return v === undefined ? undefined : parse(v);
  };
  const slurm: SlurmOptions = Object.fromEntries(
    Object.entries({
      partition: one("--partition"),
      time: one("--time"),
      gpus: opt("--gpus", (v) => integer("--gpus", v, 0)),
      cpusPerTask: opt("--cpus", (v) => integer("--cpus", v, 1)),
      mem: one("--mem"),
      maxConcurrent: opt("--max-concurrent", (v) => integer("--max-concurrent", v, 1)),
      sbatchArgs: seen.get("--sbatch-arg"),
      setup: seen.get("--setup"),
      backend: one("--supernet-backend"),
      node: one("--node"),
    }).filter(([, v]) => v !== undefined),
  );
  checkSlurmFlags(slurm);
  return {
    specFile: positional[0],
    backend,
    outDir: path.resolve(one("--out") ?? outputDir),
    status: seen.has("--status"),
    wait: seen.has("--wait"),
    workers: opt("--workers", (v) => integer("--workers", v, 1)) ?? 2,
    slurm,
    pollSeconds: opt("--poll", (v) => integer("--poll", v, 1)) ?? 10,
  };
}

function readSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`spec file ${file}: ${(err as Error).message}`);
  }
  try {
    return validateSweepSpec(JSON.parse(text));
  } catch (err) {
    throw new Error(`spec file ${file}: ${(err as Error).message}`);
  }
}

async function main(): Promise<number> {
  let args: SweepArgs;
  let spec: SweepSpec;
  try {
    args = parseSweepArgs(process.argv.slice(2));
    spec = readSpec(args.specFile);
  } catch (err) {
    console.error(`sweep: ${(err as Error).message}`);
    return 2;
  }
  // Loaded here, after the arguments are checked: the sweep modules pull in TensorFlow.js.
  const sweep = await import("../src/sweep/index");
  const say = (s: string) => console.log(`sweep ${spec.name}: ${s}`);
  if (args.status) {
    const s = sweep.sweepStatus(spec, args.outDir);
    say(`${s.done}/${s.total} jobs finished in ${s.dir}`);
    for (const j of s.pending) say(`  pending ${j.id} (${j.arch}, seed ${j.seed}): ${j.reason}`);
    if (args.backend === "slurm") {
      const { submissions, active } = sweep.slurmSweepStatus(spec, args.outDir);
      say(`Slurm arrays submitted: ${submissions.map((x) => `${x.jobId} (--array=${x.array})`).join(", ") || "none"}`);
      if (active === null) say("squeue is not on PATH: no queue information");
      else say(`${active.length} task(s) queued or running${active.length ? ": " : ""}${active.map((t) => `${t.jobId}_${t.index} ${t.state}`).join(", ")}`);
    }
    return 0;
  }
  let last = "";
  const report = (line: string) => {
    if (line !== last) say(line);
    last = line;
  };
  try {
    if (args.backend === "local") {
      const records = await sweep.runStandaloneSweep(spec, {
        outDir: args.outDir,
        workers: args.workers,
        onProgress: (p) => report(`${p.done}/${p.total} done (${p.cached} cached, ${p.running} running, ${p.failed} failed)`),
      });
      say(`${records.length} results in ${sweep.sweepIdentity(spec, args.outDir).dir}`);
      return 0;
    }
    const s = sweep.submitSlurmSweep(spec, { outDir: args.outDir, ...args.slurm });
    say(s.jobId === null ? `nothing to submit (${s.finished}/${s.total} finished, ${s.queued.length} queued by an earlier array)` : `submitted Slurm array ${s.jobId} with ${s.submitted.length} task${s.submitted.length === 1 ? "" : "s"} (--array=${s.array}); ${s.finished}/${s.total} finished, ${s.queued.length} queued by an earlier array`);
    say(`folder ${s.dir}`);
    if (!args.wait) return 0;
    const records = await sweep.waitForSlurmSweep(spec, { outDir: args.outDir, pollSeconds: args.pollSeconds, onProgress: (p) => report(`${p.done}/${p.total} done (${p.running} running, ${p.queued} queued)`) });
    say(`${records.length} results in ${s.dir}`);
    return 0;
  } catch (err) {
    if (err instanceof sweep.SweepError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`sweep: ${err.message}`);
      process.exit(1);
    },
  );
}
