/**
 * HAT's 10-number architecture features (Wang et al., ACL 2020), the input of HAT's latency
 * predictor and of the Mixture-of-Supernets router (Jawahar et al., 2023). HAT divides each
 * feature by hand-written norms (`hatFeatureNorms`, which differ from its space's maxima: FFN
 * 2048 vs 3072, heads 6 vs 8); by default each norm here is the largest choice of that field, so
 * every feature lies in (0, 1] and the largest arch maps to all ones, whatever the space.
 */
import { maxChoice } from "./fields";
import type { Arch, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** Names of the 10 features, in order. */
export const featureNames: readonly string[] = Object.freeze([
  "encEmbed",
  "encLayers",
  "meanEncFfn",
  "meanEncHeads",
  "decEmbed",
  "decLayers",
  "meanDecFfn",
  "meanDecSelfHeads",
  "meanDecCrossHeads",
  "meanCrossLayers",
]);

/** The divisor of each feature: the largest choice of the corresponding field. */
export function featureNorms(space: SearchSpace): number[] {
  return [
    maxChoice(space, "encoder", "embedDim"),
    maxChoice(space, "encoder", "numLayers"),
    maxChoice(space, "encoder", "ffnDim"),
    maxChoice(space, "encoder", "numHeads"),
    maxChoice(space, "decoder", "embedDim"),
    maxChoice(space, "decoder", "numLayers"),
    maxChoice(space, "decoder", "ffnDim"),
    maxChoice(space, "decoder", "selfHeads"),
    maxChoice(space, "decoder", "crossHeads"),
    maxChoice(space, "decoder", "crossLayers"),
  ];
}

/** HAT's own norms for WMT'14 En-De, for reproducing its latency predictor (features may exceed 1). */
export const hatFeatureNorms: readonly number[] = Object.freeze([640, 6, 2048, 6, 640, 6, 2048, 6, 6, 2]);

/** The arch's 10 normalised features (means over the active layers), validated first. */
export function archFeatures(
  space: SearchSpace,
  arch: Arch,
  norms: readonly number[] = featureNorms(space),
): number[] {
  if (norms.length !== featureNames.length) {
    throw new Error(`archFeatures: norms has ${norms.length} entries, expected ${featureNames.length}`);
  }
  validateArch(space, arch);
  const { encoder: e, decoder: d } = arch;
  const raw = [
    e.embedDim,
    e.numLayers,
    mean(e.ffnDim),
    mean(e.numHeads),
    d.embedDim,
    d.numLayers,
    mean(d.ffnDim),
    mean(d.selfHeads),
    mean(d.crossHeads),
    mean(d.crossLayers),
  ];
  return raw.map((x, i) => x / norms[i]);
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
