/**
 * Sweep results the project ships (`data/artifacts/sweeps/<name>-<hash8>/`): a sweep folder made
 * by the project's own command, packed with a manifest (the command that regenerates it, code
 * revisions, backends, seeds, wall time, and the SHA-256 of every file). A credible ground truth
 * needs more training than the 60-minute main job allows; a notebook uses the shipped results
 * when their spec hash equals the one it would compute (so any change of spec, preset or training
 * default makes it retrain instead) and every checksum verifies, and it says so. A damaged
 * artifact is an error, never silently retrained around.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteJson, sha256File } from "../util/atomic-write";
import { projectRoot } from "../util/paths";
import { sweepIdentity } from "./identity";
import { resultFile, sweepJobs } from "./jobs";
import { SweepRecord, readRecord } from "./record";
import { SweepOptions, runStandaloneSweep } from "./run-sweep";
import type { SweepSpec } from "./spec";

/** Format tag of an artifact manifest. */
export const artifactFormat = "supernet-lab/sweep-artifact@1";

/** Root of the shipped artifacts (an `outDir` in the sense of `runStandaloneSweep`). */
export const artifactsDir = path.join(projectRoot, "data", "artifacts");

/** What an artifact's manifest records. */
export interface ArtifactManifest {
  readonly format: typeof artifactFormat;
  readonly name: string;
  readonly specHash: string;
  /** The command that regenerates it. */
  readonly command: string;
  readonly seeds: readonly number[];
  readonly jobs: number;
  /** Code revisions and backends the jobs ran at (normally one each). */
  readonly revisions: readonly (string | null)[];
  readonly backends: readonly string[];
  /** Sum of the jobs' wall times. */
  readonly jobSeconds: number;
  readonly createdAt: string;
  /** SHA-256 of every other file in the folder. */
  readonly files: Readonly<Record<string, string>>;
}

const manifestName = "manifest.json";

/** Copies a finished sweep into `toRoot` with a manifest; throws if any job is unfinished. */
export function packSweepArtifact(spec: SweepSpec, fromOutDir: string, command: string, toRoot: string = artifactsDir): ArtifactManifest {
  const from = sweepIdentity(spec, path.resolve(fromOutDir));
  const to = sweepIdentity(spec, path.resolve(toRoot));
  const jobs = sweepJobs(from.spec);
  const records: SweepRecord[] = jobs.map((job) => {
    const check = readRecord(resultFile(from.dir, job), from.hash, job, from.spec.bleu);
    if (!("record" in check)) throw new Error(`packSweepArtifact: job ${job.id} of ${from.dir} is not finished (${check.reason}); run the sweep to the end first`);
    return check.record;
  });
  // Build in a temp folder and rename it into place: a crash never leaves half an artifact.
  const tmp = `${to.dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const names = ["spec.json", ...jobs.map((job) => path.basename(resultFile(from.dir, job)))];
  for (const name of names) fs.copyFileSync(path.join(from.dir, name), path.join(tmp, name));
  const manifest: ArtifactManifest = {
    format: artifactFormat,
    name: from.spec.name,
    specHash: from.hash,
    command,
    seeds: from.spec.seeds,
    jobs: jobs.length,
    revisions: [...new Set(records.map((r) => r.gitRevision))],
    backends: [...new Set(records.map((r) => r.backend))],
    jobSeconds: Math.round(records.reduce((s, r) => s + r.seconds, 0)),
    createdAt: new Date().toISOString(),
    files: Object.fromEntries(names.map((n) => [n, sha256File(path.join(tmp, n))])),
  };
  atomicWriteJson(path.join(tmp, manifestName), manifest);
  fs.rmSync(to.dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to.dir), { recursive: true });
  fs.renameSync(tmp, to.dir);
  return manifest;
}

/** Checks an artifact folder's manifest and every checksum; throws naming the file at fault. */
export function verifyArtifact(dir: string): ArtifactManifest {
  const file = path.join(dir, manifestName);
  if (!fs.existsSync(file)) throw new Error(`artifact ${dir} has no ${manifestName}`);
  let m: ArtifactManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, "utf8")) as ArtifactManifest;
  } catch (err) {
    throw new Error(`artifact ${file} is not JSON: ${(err as Error).message}`);
  }
  if (m.format !== artifactFormat) throw new Error(`artifact ${file} has format ${JSON.stringify(m.format)}, expected ${artifactFormat}`);
  for (const [name, sum] of Object.entries(m.files)) {
    const f = path.join(dir, name);
    if (!fs.existsSync(f)) throw new Error(`artifact ${dir} is damaged: ${name} is missing (regenerate it with: ${m.command})`);
    if (sha256File(f) !== sum) throw new Error(`artifact ${dir} is damaged: ${name} does not match its SHA-256 in the manifest (regenerate it with: ${m.command})`);
  }
  return m;
}

/** The shipped records of `spec` (verified), or why there are none. */
export function shippedSweep(spec: SweepSpec, root: string = artifactsDir): { records: SweepRecord[]; manifest: ArtifactManifest; dir: string } | { why: string } {
  const id = sweepIdentity(spec, path.resolve(root));
  if (!fs.existsSync(id.dir)) {
    const others = fs.existsSync(path.join(root, "sweeps")) ? fs.readdirSync(path.join(root, "sweeps")).filter((d) => d.startsWith(`${id.spec.name}-`)) : [];
    return { why: others.length ? `the shipped ${others.join(", ")} was made under other settings (this spec hashes to ${id.hash.slice(0, 8)})` : `no shipped artifact for ${id.spec.name}` };
  }
  const manifest = verifyArtifact(id.dir);
  if (manifest.specHash !== id.hash) throw new Error(`artifact ${id.dir} is damaged: its manifest is for spec ${manifest.specHash.slice(0, 8)}, the folder name says ${id.hash.slice(0, 8)}`);
  const records = sweepJobs(id.spec).map((job) => {
    const check = readRecord(resultFile(id.dir, job), id.hash, job, id.spec.bleu);
    if (!("record" in check)) throw new Error(`artifact ${id.dir} is damaged: job ${job.id} ${check.reason}`);
    return check.record;
  });
  return { records, manifest, dir: id.dir };
}

/** Where a sweep's records came from, in words. */
export interface SweepSource {
  readonly records: SweepRecord[];
  readonly shipped: boolean;
  readonly source: string;
}

/** The shipped records of `spec` when they match and verify, else the sweep run here (resumable). */
export async function sweepOrShipped(spec: SweepSpec, options: SweepOptions & { readonly artifacts?: string }): Promise<SweepSource> {
  const found = shippedSweep(spec, options.artifacts ?? artifactsDir);
  if ("records" in found) {
    const m = found.manifest;
    const rev = m.revisions.map((r) => (r ? r.slice(0, 7) : "no git")).join(", ");
    return { records: found.records, shipped: true, source: `shipped artifact ${path.relative(projectRoot, found.dir)} (${m.jobs} jobs, seeds ${m.seeds.join(", ")}, revision ${rev}, backend ${m.backends.join(", ")}, ${(m.jobSeconds / 3600).toFixed(1)} h of training, made ${m.createdAt.slice(0, 10)} by \`${m.command}\`; every SHA-256 verified)` };
  }
  const records = await runStandaloneSweep(spec, options);
  return { records, shipped: false, source: `trained here (${found.why}): ${records.length} jobs` };
}
