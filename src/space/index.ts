export type { Arch, ArchField, ArchPart, DecoderArch, DecoderLayerField, EncoderLayerField, EncoderOnlySpace, Part, RatioArchPart, RatioChoices, SearchSpace, Seq2SeqSpace } from "./types";
export { archParts, decoderOf, ffnWidth, isEncoderOnly, isHomogeneous, layerFields, spaceParts } from "./schema";
export { attentionWidth, headSize, type AttentionSpec } from "./attention-width";
export { bertSpaces, getBertSpace, type BertSpaceName } from "./bert-presets";
export { getSpace, spaceNames, spaces, type SpaceName } from "./presets";
export { defineSpace, spaceProblems, validateSpace, type SpaceDefinition } from "./validate-space";
export { archProblems, isValidArch, validateArch } from "./validate-arch";
export { archFromJSON, copyArch } from "./arch-from-json";
export { archFromHatConfig, archToHatConfig } from "./hat-config";
export { decodeArch, encodeArch, geneSpecs, isGeneActive, type GeneSpec } from "./genes";
export { archFeatureNames, archFeatures, expertFeatureNames, featureNames, featureNorms, hatFeatureNorms } from "./features";
export { largestArch, smallestArch } from "./named-archs";
export { archEquals, archFromKey, archKey } from "./arch-key";
export { sampleArch } from "./sample-arch";
export {
  fixedSampler,
  sandwichDefaults,
  sandwichSampler,
  uniformSampler,
  type ArchSampler,
  type SandwichOptions,
} from "./samplers";
export {
  makeSampler,
  registerSampler,
  samplerNames,
  type SamplerFactory,
  type SamplerOptions,
} from "./sampler-registry";
export { mutate, mutateDefaults, type MutateOptions } from "./mutate";
export { crossover, crossoverDefaults, type CrossoverOptions } from "./crossover";
export { resampleOneGene, resampleOneGeneWithKey } from "./resample-one-gene";
export { differingOperators } from "./differing-operators";
export { archParams, archSparsity, layerFfn, type ParamsOptions } from "./params";
export { archFlops, type FlopsOptions } from "./flops";
