/**
 * The sweep spec of a preset's ground truth: the stratified design's subnets, each trained from
 * scratch with the preset's ground-truth seeds and updates, on the same data plan. Notebooks 01,
 * 02, 04 and 05 and the `npm run ground-truth` command all derive it here, so they share one sweep
 * folder (and one shipped artifact) per preset; `loadGroundTruth` is how a notebook gets it. The
 * BERT ground truth is the same design over the preset's BERT space, each subnet pretrained from
 * scratch with masked LM and scored by held-out masked-LM loss.
 */
import { bertPresets } from "../config/bert-presets";
import type { PresetName } from "../config/preset";
import { translationPresets } from "../config/translation-presets";
import { getBertSpace } from "../space/bert-presets";
import { getSpace } from "../space/presets";
import { Estimate, estimate } from "../report/results";
import * as fs from "fs";
import * as path from "path";
import { artifactsDir, shippedSweep, sweepOrShipped } from "../sweep/shipped";
import { sweepIdentity } from "../sweep/identity";
import type { SweepRecord } from "../sweep/record";
import type { SweepOptions } from "../sweep/run-sweep";
import type { SweepSpec } from "../sweep/spec";
import { GroundTruthReliability, GroundTruthRow, groundTruthDesignSeed, groundTruthReliability, groundTruthRows, stratifiedArchs } from "./ground-truth";

/** What a ground truth ranks: translation subnets (HAT's space) or BERT subnets (masked LM). */
export type GroundTruthTask = "translation" | "masked-lm";

/** The ground-truth sweep spec of `preset` for `task`. */
export function groundTruthSpec(preset: PresetName, task: GroundTruthTask = "translation"): SweepSpec {
  if (task === "masked-lm") {
    const b = bertPresets[preset];
    const archs = stratifiedArchs(getBertSpace(b.space), b.groundTruthSubnets, groundTruthDesignSeed).map((d) => d.key);
    return { name: `bert-ground-truth-${preset}`, preset, task, archs, updates: b.groundTruthUpdates, seeds: [...b.groundTruthSeeds], bleu: false, dataSeed: 1 };
  }
  if (task !== "translation") throw new Error(`groundTruthSpec: task must be "translation" or "masked-lm", got ${JSON.stringify(task)}`);
  const p = translationPresets[preset];
  const archs = stratifiedArchs(getSpace(p.space), p.groundTruthSubnets, groundTruthDesignSeed).map((d) => d.key);
  return { name: `ground-truth-${preset}`, preset, archs, updates: p.groundTruthUpdates, seeds: [...p.groundTruthSeeds], bleu: false, dataSeed: 1 };
}

/** What a notebook records about the ground truth it ranks against. */
export interface GroundTruthSummary {
  readonly spec: string;
  readonly subnets: number;
  readonly seeds: readonly number[];
  readonly updates: number;
  readonly shipped: boolean;
  /** Where the records came from, in words (artifact with its provenance, or trained here and why). */
  readonly source: string;
  /** Kendall tau between the seeds' rankings, with its bootstrap CI and n. */
  readonly seedKendall: Estimate;
  readonly reliable: boolean;
}

/** A preset's ground truth, ready to rank against. */
export interface LoadedGroundTruth {
  readonly spec: SweepSpec;
  readonly records: SweepRecord[];
  /** One row per subnet, losses per seed and their mean. */
  readonly rows: GroundTruthRow[];
  readonly reliability: GroundTruthReliability;
  readonly summary: GroundTruthSummary;
}

/** The preset's ground truth: the shipped artifact when it matches and verifies, else the sweep run here; with its seed-to-seed reliability. */
export async function loadGroundTruth(preset: PresetName, options: SweepOptions, task: GroundTruthTask = "translation"): Promise<LoadedGroundTruth> {
  const spec = groundTruthSpec(preset, task);
  const found = await sweepOrShipped(spec, options);
  const rows = groundTruthRows(found.records);
  const reliability = groundTruthReliability(rows);
  const k = reliability.kendall;
  const summary: GroundTruthSummary = {
    spec: spec.name,
    subnets: k.n,
    seeds: spec.seeds,
    updates: spec.updates,
    shipped: found.shipped,
    source: found.source,
    seedKendall: estimate(k.estimate, k.ci, k.n),
    reliable: reliability.reliable,
  };
  return { spec, records: found.records, rows, reliability, summary };
}

/** A shipped ground truth of one training length: how far its two seeds agree. */
export interface GroundTruthAtLength {
  readonly updates: number;
  readonly subnets: number;
  /** Seed-to-seed Kendall tau with its 95% interval and n. */
  readonly seedKendall: Estimate;
  readonly reliable: boolean;
  /** Standard deviation over subnets of the seed-mean loss: how far apart training leaves the subnets. */
  readonly spreadSd: number;
  /** Standard deviation of one seed's loss around the subnet's mean, from the two seeds' differences / sqrt(2). */
  readonly seedNoiseSd: number;
  readonly meanLoss: number;
}

/**
 * Every shipped ground truth of the preset's design that differs from the preset's spec only in its
 * updates per subnet, by length: whether longer training makes the ground truth's seeds agree
 * (the subnets drift apart faster than seed noise shrinks, or not). Artifacts are verified as
 * `shippedSweep` does; the preset's own length is listed only when it is shipped.
 */
export function groundTruthByLength(preset: PresetName, task: GroundTruthTask = "translation", root: string = artifactsDir): GroundTruthAtLength[] {
  const base = groundTruthSpec(preset, task);
  const sweeps = path.join(root, "sweeps");
  if (!fs.existsSync(sweeps)) return [];
  const lengths = fs.readdirSync(sweeps).filter((d) => d.startsWith(`${base.name}-`)).flatMap((d) => {
    const file = path.join(sweeps, d, "spec.json");
    if (!fs.existsSync(file)) return [];
    const updates = (JSON.parse(fs.readFileSync(file, "utf8")) as { spec?: { updates?: unknown } }).spec?.updates;
    if (typeof updates !== "number") return [];
    // Only the same design, seeds and data: the folder must be what the preset's spec hashes to at that length.
    const spec = { ...base, updates };
    return d === path.basename(sweepIdentity(spec, root).dir) ? [spec] : [];
  });
  return lengths.sort((a, b) => a.updates - b.updates).map((spec) => {
    const found = shippedSweep(spec, root);
    if (!("records" in found)) throw new Error(`groundTruthByLength: ${spec.name} at ${spec.updates} updates: ${found.why}`);
    const rows = groundTruthRows(found.records);
    const r = groundTruthReliability(rows);
    const means = rows.map((x) => x.meanLoss);
    const diffs = rows.map((x) => x.losses[0] - x.losses[1]);
    return {
      updates: spec.updates,
      subnets: rows.length,
      seedKendall: estimate(r.kendall.estimate, r.kendall.ci, r.kendall.n),
      reliable: r.reliable,
      spreadSd: sampleSd(means),
      seedNoiseSd: sampleSd(diffs) / Math.SQRT2,
      meanLoss: means.reduce((a, b) => a + b, 0) / means.length,
    };
  });
}

function sampleSd(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** One sentence on how the seed agreement moves with training length; null with fewer than two lengths shipped. */
export function describeGroundTruthByLength(rows: readonly GroundTruthAtLength[]): string | null {
  if (rows.length < 2) return null;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const k = (r: GroundTruthAtLength) => `${r.seedKendall.estimate.toFixed(3)} [${r.seedKendall.ci[0].toFixed(3)}, ${r.seedKendall.ci[1].toFixed(3)}]`;
  const overlap = first.seedKendall.ci[1] >= last.seedKendall.ci[0] && last.seedKendall.ci[1] >= first.seedKendall.ci[0];
  return (
    `From ${first.updates} to ${last.updates} updates per subnet the seed-to-seed Kendall tau of the ground truth goes from ${k(first)} to ${k(last)} (n = ${last.subnets}${overlap ? "; the intervals overlap" : ""}): ` +
    `the subnets' losses spread from ${first.spreadSd.toFixed(3)} to ${last.spreadSd.toFixed(3)} nats (sd over subnets) while one seed's noise goes from ${first.seedNoiseSd.toFixed(3)} to ${last.seedNoiseSd.toFixed(3)}; ` +
    `${last.reliable ? `at ${last.updates} updates it is above the bar of 0.7.` : `it is still not above the bar of 0.7.`}`
  );
}
