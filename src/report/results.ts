/**
 * The results file of a notebook run: `<results folder>/<notebook>.json`, rewritten atomically
 * after every `record`, so it always holds what the run has established so far. It carries the
 * run's provenance, and every number a notebook states in words or tables is recorded in it; the
 * notebook tests check invariants on it (a CI contains its estimate, published values equal
 * data/published, the equal-compute accounting adds up) and `npm run report` builds RESULTS.md
 * from the files of a `small` run.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteJson } from "../util/atomic-write";
import { outputDir } from "../util/paths";
import { Provenance, currentProvenance } from "../util/provenance";

/** Format tag of a results file. */
export const resultsFormat = "supernet-lab/notebook-results@1";

/** An estimate with its 95% interval and sample size: the shape every CI in a results file has. */
export interface Estimate {
  readonly estimate: number;
  /** [low, high] of the interval. */
  readonly ci: readonly [number, number];
  /** Number of independent units the estimate is over (subnets, seeds, pairs). */
  readonly n: number;
  /** Coverage of the interval, 0.95 unless stated. */
  readonly level: number;
}

/** An `Estimate` from a value, an interval and n (level 0.95 by default). */
export function estimate(value: number, ci: readonly [number, number], n: number, level = 0.95): Estimate {
  return { estimate: value, ci: [ci[0], ci[1]], n, level };
}

/** What a results file holds. */
export interface NotebookResultsFile {
  readonly format: typeof resultsFormat;
  readonly notebook: string;
  readonly preset: string;
  readonly provenance: Provenance;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Named results in the order they were recorded. */
  readonly entries: Record<string, unknown>;
}

/**
 * The folder results files go to: SUPERNET_RESULTS_DIR when set (the notebook runner sets it to
 * `<run folder>/results`, beside the executed notebooks and figures), else `out/results/<preset>`.
 */
export function resultsDir(preset: string): string {
  return process.env.SUPERNET_RESULTS_DIR || path.join(outputDir, "results", preset);
}

/** The results file of a notebook under a preset. */
export function resultsFile(notebook: string, preset: string): string {
  return path.join(resultsDir(preset), `${notebook}.json`);
}

/** A notebook's results, written through to disk on every record. */
export class NotebookResults {
  readonly file: string;
  private readonly data: { -readonly [K in keyof NotebookResultsFile]: NotebookResultsFile[K] };

  /** Starts a fresh results file for `notebook` (a previous run's file is replaced on the first write). */
  constructor(notebook: string, preset: string) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(notebook)) throw new Error(`results: notebook must be a file-safe name (letters, digits, '.', '_', '-'); got "${notebook}"`);
    this.file = resultsFile(notebook, preset);
    const now = new Date().toISOString();
    this.data = { format: resultsFormat, notebook, preset, provenance: currentProvenance(preset), startedAt: now, updatedAt: now, entries: {} };
    this.flush();
  }

  /** Records `value` under `key` (replacing an earlier one), writes the file, and returns the value. */
  record<T>(key: string, value: T): T {
    if (key.length === 0) throw new Error("results: key must be a non-empty string");
    this.data.entries[key] = value;
    this.flush();
    return value;
  }

  /** The value recorded under `key`, if any. */
  get(key: string): unknown {
    return this.data.entries[key];
  }

  private flush(): void {
    this.data.updatedAt = new Date().toISOString();
    atomicWriteJson(this.file, this.data);
  }
}

/** Opens a fresh results file for a notebook run. */
export function openResults(notebook: string, preset: string): NotebookResults {
  return new NotebookResults(notebook, preset);
}

/** Reads a results file and checks its format; throws naming the file and what is wrong. */
export function readResults(notebook: string, preset: string): NotebookResultsFile {
  const file = resultsFile(notebook, preset);
  if (!fs.existsSync(file)) throw new Error(`results file ${file} does not exist: run notebook ${notebook} on preset ${preset} first`);
  let r: NotebookResultsFile;
  try {
    r = JSON.parse(fs.readFileSync(file, "utf8")) as NotebookResultsFile;
  } catch (err) {
    throw new Error(`results file ${file} is not JSON: ${(err as Error).message}`);
  }
  if (r.format !== resultsFormat) throw new Error(`results file ${file} has format ${JSON.stringify(r.format)}, expected ${resultsFormat}`);
  return r;
}

/** Whether a JSON value has the shape of an `Estimate`. */
export function isEstimate(v: unknown): v is Estimate {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return "estimate" in o && Array.isArray(o.ci) && o.ci.length === 2 && typeof o.n === "number";
}

/** Every estimate in a results value with its JSON path (for invariant checks). */
export function findEstimates(value: unknown, at = "$"): { path: string; estimate: Estimate }[] {
  if (isEstimate(value)) return [{ path: at, estimate: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => findEstimates(v, `${at}[${i}]`));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => findEstimates(v, `${at}.${k}`));
  return [];
}

/**
 * Violations of what every estimate must satisfy whatever the outcome: a finite interval with
 * low <= estimate <= high, n >= 1, level in (0, 1). NaN estimates (a diverged run) are reported too.
 */
export function estimateViolations(value: unknown): string[] {
  const out: string[] = [];
  for (const { path: p, estimate: e } of findEstimates(value)) {
    const [lo, hi] = e.ci;
    if (typeof e.estimate !== "number" || typeof lo !== "number" || typeof hi !== "number") out.push(`${p}: estimate or interval is not a number (${JSON.stringify(e)})`);
    else if (!(lo <= e.estimate && e.estimate <= hi)) out.push(`${p}: interval [${lo}, ${hi}] does not contain ${e.estimate}`);
    if (!(Number.isInteger(e.n) && e.n >= 1)) out.push(`${p}: n must be a positive integer, got ${e.n}`);
    if (!(e.level > 0 && e.level < 1)) out.push(`${p}: level must be in (0, 1), got ${e.level}`);
  }
  return out;
}
