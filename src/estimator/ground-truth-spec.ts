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
import { sweepOrShipped } from "../sweep/shipped";
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
