/**
 * Provenance: what made a checkpoint or a result file (code revision, backend, preset, seed,
 * config), recorded beside it so a number can be traced to the code and settings behind it, and
 * so a stored artifact is reused only when it was made the way the current run would make it.
 */
import { execFileSync } from "child_process";
import * as tf from "@tensorflow/tfjs";
import { projectRoot } from "./paths";

/** Where and how something was produced. */
export interface Provenance {
  /** `git rev-parse HEAD`, or null outside git. */
  readonly revision: string | null;
  /** Whether tracked files under src/ differed from `revision` (null outside git). */
  readonly dirty: boolean | null;
  /** TensorFlow.js backend in use. */
  readonly backend: string;
  /** Experiment preset, or null when none applies. */
  readonly preset: string | null;
  /** Node.js version. */
  readonly node: string;
  /** ISO time of the recording. */
  readonly createdAt: string;
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

let cachedGit: { revision: string | null; dirty: boolean | null } | null = null;

/** The revision and dirty flag of the project checkout (read once per process: git is slow to spawn). */
export function codeRevision(dir: string = projectRoot): { revision: string | null; dirty: boolean | null } {
  if (dir === projectRoot && cachedGit) return cachedGit;
  const revision = git(["rev-parse", "HEAD"], dir) || null;
  // Only library code decides what a checkpoint or result holds; notebooks, tests and docs do not.
  const status = revision === null ? null : git(["status", "--porcelain", "--untracked-files=no", "--", "src"], dir);
  const found = { revision, dirty: status === null ? null : status.length > 0 };
  if (dir === projectRoot) cachedGit = found;
  return found;
}

/** The provenance of something made now, in this process. */
export function currentProvenance(preset: string | null = null): Provenance {
  const { revision, dirty } = codeRevision();
  return { revision, dirty, backend: tf.getBackend() ?? "none", preset, node: process.version, createdAt: new Date().toISOString() };
}

/** A short label such as `3f2a9c1` or `3f2a9c1+dirty`. */
export function revisionLabel(p: Pick<Provenance, "revision" | "dirty">): string {
  if (p.revision === null) return "no git revision";
  return p.revision.slice(0, 7) + (p.dirty ? "+dirty" : "");
}

/**
 * Why an artifact made under `stored` should not be reused by a run under `current`, or null when
 * it may be. Revision (with the dirty flag), backend and preset must all agree; a dirty tree never
 * matches, since its revision does not pin the code.
 */
export function provenanceMismatch(stored: Partial<Provenance> | undefined | null, current: Provenance): string | null {
  if (!stored) return "it records no provenance (made by an older version)";
  if (stored.revision !== current.revision) return `it was made at revision ${revisionLabel({ revision: stored.revision ?? null, dirty: stored.dirty ?? null })}, this is ${revisionLabel(current)}`;
  if (stored.dirty || current.dirty) return `the code under src/ has uncommitted changes (${revisionLabel(current)}), so the revision does not pin it`;
  if (stored.backend !== current.backend) return `it was made on backend ${stored.backend}, this run uses ${current.backend}`;
  if (stored.preset !== current.preset) return `it was made for preset ${stored.preset}, this run is ${current.preset}`;
  return null;
}
