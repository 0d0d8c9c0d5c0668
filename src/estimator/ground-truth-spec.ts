/**
 * The sweep spec of a preset's ground truth: the stratified design's subnets, each trained from
 * scratch with the preset's ground-truth seeds and updates, on the same data plan. Notebooks 02,
 * 04 and 05 and the `npm run ground-truth` command all derive it here, so they share one sweep
 * folder (and one shipped artifact) per preset.
 */
import type { PresetName } from "../config/preset";
import { translationPresets } from "../config/translation-presets";
import { getSpace } from "../space/presets";
import type { SweepSpec } from "../sweep/spec";
import { groundTruthDesignSeed, stratifiedArchs } from "./ground-truth";

/** The ground-truth sweep spec of `preset`. */
export function groundTruthSpec(preset: PresetName): SweepSpec {
  const p = translationPresets[preset];
  const archs = stratifiedArchs(getSpace(p.space), p.groundTruthSubnets, groundTruthDesignSeed).map((d) => d.key);
  return { name: `ground-truth-${preset}`, preset, archs, updates: p.groundTruthUpdates, seeds: [...p.groundTruthSeeds], bleu: false, dataSeed: 1 };
}
