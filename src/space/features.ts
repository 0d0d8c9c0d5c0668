/**
 * Architecture features, the input of HAT's latency predictor and of the Mixture-of-Supernets
 * router (Jawahar et al., 2023): HAT's 10 numbers (Wang et al., ACL 2020) and, for a space with
 * mixture-of-experts layers, AutoMoE's expert features (Jawahar et al., 2022): the mean expert
 * count, the mean over layers of each layer's mean expert width, and the mean top-k, for the
 * encoder and the decoder (AutoMoE's latency predictor meant to read these; its released code
 * truncates the top-k pair away). HAT divides each feature by hand-written norms
 * (`hatFeatureNorms`, which differ from its space's maxima: FFN 2048 vs 3072, heads 6 vs 8); by
 * default each norm here is the largest choice of that field, so every feature lies in (0, 1]
 * and the largest arch maps to all ones, whatever the space. An encoder-only (BERT) space keeps
 * the encoder's features only (the first 4, and the encoder's expert features). A SuperShaper
 * space (MoS-BERT's) adds one feature per layer, its layerHiddenDim (0 where the arch has fewer
 * layers): MoS-BERT's routers read exactly these 12 per-layer widths (UBC-NLP/MoS, mos-bert,
 * BertLayer.set_sample_config), and its other features are constant there.
 */
import { hasLayerHidden, isEncoderOnly, isMoeSpace, layerExperts, maxChoice } from "./schema";
import type { Arch, ArchPart, Part, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** Names of HAT's 10 features, in order. */
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

/** Names of AutoMoE's expert features, appended for spaces with mixture-of-experts layers. */
export const expertFeatureNames: readonly string[] = Object.freeze(["meanEncExperts", "meanDecExperts", "meanEncExpertFfn", "meanDecExpertFfn", "meanEncTopK", "meanDecTopK"]);

/** The feature names of a space: HAT's 10, plus the 6 expert features in a mixture-of-experts space; the encoder's alone in an encoder-only space. */
export function archFeatureNames(space: SearchSpace): readonly string[] {
  const all = encoderDecoderFeatureNames(space);
  return isEncoderOnly(space) ? all.filter((n) => /^enc|Enc/.test(n)) : all;
}

/** Names of the per-layer width features of a SuperShaper space: encLayerHidden0, encLayerHidden1, ... */
export function layerHiddenFeatureNames(space: SearchSpace): string[] {
  return hasLayerHidden(space) ? Array.from({ length: maxChoice(space, "encoder", "numLayers") }, (_, l) => `encLayerHidden${l}`) : [];
}

/** The features an encoder-decoder version of the space would have (what `archFeatures` computes before dropping absent parts). */
function encoderDecoderFeatureNames(space: SearchSpace): readonly string[] {
  return [...featureNames, ...(isMoeSpace(space) ? expertFeatureNames : []), ...layerHiddenFeatureNames(space)];
}

/** Keeps the entries of `values` (in the order of the encoder-decoder features) that the space has. */
function forSpace(space: SearchSpace, values: number[]): number[] {
  const all = encoderDecoderFeatureNames(space);
  const kept = new Set(archFeatureNames(space));
  return values.filter((_, i) => kept.has(all[i]));
}

/** The largest choice of an optional field, or `dense` when the part does not declare it (1 for an absent part). */
const maxOr = (space: SearchSpace, part: Part, field: "numExperts" | "topK" | "expertFfnDim", dense: number) =>
  space[part] === undefined ? 1 : space[part]?.[field] ? Math.max(maxChoice(space, part, field), field === "expertFfnDim" ? maxChoice(space, part, "ffnDim") : 0) : dense;

/** The divisor of each feature: the largest choice of the corresponding field. */
export function featureNorms(space: SearchSpace): number[] {
  if (isEncoderOnly(space)) {
    const enc = [maxChoice(space, "encoder", "embedDim"), maxChoice(space, "encoder", "numLayers"), maxChoice(space, "encoder", "ffnDim"), maxChoice(space, "encoder", "numHeads")];
    if (hasLayerHidden(space)) return [...enc, ...layerHiddenFeatureNames(space).map(() => maxChoice(space, "encoder", "layerHiddenDim"))];
    if (!isMoeSpace(space)) return enc;
    return [...enc, maxOr(space, "encoder", "numExperts", 1), maxOr(space, "encoder", "expertFfnDim", maxChoice(space, "encoder", "ffnDim")), maxOr(space, "encoder", "topK", 1)];
  }
  const hat = [
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
  if (!isMoeSpace(space)) return hat;
  return [
    ...hat,
    maxOr(space, "encoder", "numExperts", 1),
    maxOr(space, "decoder", "numExperts", 1),
    maxOr(space, "encoder", "expertFfnDim", maxChoice(space, "encoder", "ffnDim")),
    maxOr(space, "decoder", "expertFfnDim", maxChoice(space, "decoder", "ffnDim")),
    maxOr(space, "encoder", "topK", 1),
    maxOr(space, "decoder", "topK", 1),
  ];
}

/** HAT's own norms for WMT'14 En-De, for reproducing its latency predictor (features may exceed 1). */
export const hatFeatureNorms: readonly number[] = Object.freeze([640, 6, 2048, 6, 640, 6, 2048, 6, 6, 2]);

/** The arch's normalised features (means over the active layers), validated first. */
export function archFeatures(space: SearchSpace, arch: Arch, norms: readonly number[] = featureNorms(space)): number[] {
  const names = archFeatureNames(space);
  if (norms.length !== names.length) {
    throw new Error(`archFeatures: norms has ${norms.length} entries, expected ${names.length} (${names.join(", ")})`);
  }
  validateArch(space, arch);
  const { encoder: e, decoder: d } = arch;
  // An encoder-only arch has no decoder values; they are filled with 0 and dropped by forSpace.
  const dec = d ? [d.embedDim, d.numLayers, mean(d.ffnDim), mean(d.selfHeads), mean(d.crossHeads), mean(d.crossLayers)] : [0, 0, 0, 0, 0, 0];
  const raw = [e.embedDim, e.numLayers, mean(e.ffnDim), mean(e.numHeads), ...dec];
  if (isMoeSpace(space)) {
    const layers = (part: Part) => Array.from({ length: arch[part]?.numLayers ?? 0 }, (_, l) => l);
    const experts = (part: Part) => mean(layers(part).map((l) => layerExperts(arch, part, l)));
    // Each layer's mean width over all its experts (expert 0's is ffnDim), then the mean over layers.
    const widths = (part: Part) => mean(layers(part).map((l) => mean([(arch[part] as ArchPart).ffnDim[l], ...(arch[part]?.expertFfnDim?.[l] ?? [])])));
    const topK = (part: Part) => mean(layers(part).map((l) => Math.min(arch[part]?.topK?.[l] ?? 1, layerExperts(arch, part, l))));
    raw.push(experts("encoder"), experts("decoder"), widths("encoder"), widths("decoder"), topK("encoder"), topK("decoder"));
  }
  raw.push(...layerHiddenFeatureNames(space).map((_, l) => (l < e.numLayers ? (e.layerHiddenDim as readonly number[])[l] : 0)));
  return forSpace(space, raw).map((x, i) => x / norms[i]);
}

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
