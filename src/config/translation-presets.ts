/**
 * Sizes of the translation experiments per preset: which search space, tokenizer, how much
 * data, batch size and how many updates. `tiny` runs every notebook in minutes for CI; `small`
 * is the main job on two CPU cores; `paper` uses HAT's space and is meant for a GPU.
 */
import type { PresetName } from "./preset";

/** Sizes of a translation experiment. */
export interface TranslationPreset {
  /** Search-space preset name. */
  readonly space: "tiny" | "small" | "paper";
  /** Prepared tokenizer vocabulary (bible-en-es: 1000 or 4000). */
  readonly vocabSize: number;
  /** Training pairs used (null = all ~29k). */
  readonly trainPairs: number | null;
  /** Validation pairs used for losses and BLEU. */
  readonly validPairs: number;
  /** Validation pairs greedy BLEU is scored on (a fixed, evenly spread subset; null = all). Decoding dominates evaluation time on a CPU. */
  readonly bleuSentences: number | null;
  /** Longest source/target in tokens (longer ones are truncated). */
  readonly maxLen: number;
  /** Padded tokens per batch. */
  readonly maxTokens: number;
  /** Supernet training updates. */
  readonly supernetUpdates: number;
  /** Updates of each from-scratch (standalone) subnet. */
  readonly standaloneUpdates: number;
  /** Sandwich updates of each supernet in a comparison of training methods (notebooks 02 and 04): 3 × this many subnet passes, the pass budget every comparison (06's too) trains each model with. small: 100, where the sandwich-trained supernets begin to rank subnets (at 40 their Kendall tau was about 0). */
  readonly comparisonUpdates: number;
  /** Subnets trained from scratch as ground truth for rank correlation (HAT-style pick: largest, smallest, random). */
  readonly fixedSubnets: number;
  /** Subnets of the stratified ground-truth design (notebooks 02 and 04; issue #12 asks for at least 24 on `small`). */
  readonly groundTruthSubnets: number;
  /** Seeds each ground-truth subnet is trained with; two measure whether the ground truth is stable. */
  readonly groundTruthSeeds: readonly number[];
  /** Updates of each ground-truth subnet (small: 600, where its two seeds agree with Kendall 0.76; at 200 only 0.62, below the 0.7 bar). */
  readonly groundTruthUpdates: number;
  /** Anchors of the interference probes (each gives maxChanges pairs). */
  readonly probeAnchors: number;
  /** Architecture search (notebook 05): measured archs the latency predictor is fitted on. */
  readonly latencySamples: number;
  /** Evolution population (split 1:2:2 into parents, mutants, crossovers as in HAT) and iterations. */
  readonly searchPopulation: number;
  readonly searchIterations: number;
  /** Validation batches each candidate's inherited loss is measured on. */
  readonly searchBatches: number;
  /** Peak learning rate and warmup. */
  readonly lr: number;
  readonly warmupUpdates: number;
}

/** The translation presets (frozen). */
export const translationPresets: Readonly<Record<PresetName, TranslationPreset>> = Object.freeze({
  tiny: { space: "tiny", vocabSize: 1000, trainPairs: 3000, validPairs: 96, bleuSentences: 48, maxLen: 40, maxTokens: 1024, supernetUpdates: 60, standaloneUpdates: 40, comparisonUpdates: 30, fixedSubnets: 4, groundTruthSubnets: 12, groundTruthSeeds: [1, 2], groundTruthUpdates: 40, probeAnchors: 3, latencySamples: 40, searchPopulation: 10, searchIterations: 4, searchBatches: 1, lr: 3e-3, warmupUpdates: 10 },
  small: { space: "small", vocabSize: 4000, trainPairs: null, validPairs: 200, bleuSentences: 60, maxLen: 64, maxTokens: 1024, supernetUpdates: 300, standaloneUpdates: 100, comparisonUpdates: 100, fixedSubnets: 6, groundTruthSubnets: 24, groundTruthSeeds: [1, 2], groundTruthUpdates: 600, probeAnchors: 4, latencySamples: 80, searchPopulation: 20, searchIterations: 6, searchBatches: 2, lr: 1.5e-3, warmupUpdates: 60 },
  paper: { space: "paper", vocabSize: 4000, trainPairs: null, validPairs: 965, bleuSentences: null, maxLen: 128, maxTokens: 4096, supernetUpdates: 40000, standaloneUpdates: 40000, comparisonUpdates: 40000, fixedSubnets: 20, groundTruthSubnets: 48, groundTruthSeeds: [1, 2], groundTruthUpdates: 40000, probeAnchors: 32, latencySamples: 2000, searchPopulation: 125, searchIterations: 30, searchBatches: 8, lr: 1e-3, warmupUpdates: 4000 },
});

/** Data options of a preset (for `loadTranslationData`). */
export function translationDataOptions(preset: TranslationPreset, seed = 1) {
  return { vocabSize: preset.vocabSize, trainPairs: preset.trainPairs, validPairs: preset.validPairs, maxLen: preset.maxLen, maxTokens: preset.maxTokens, seed };
}

/** Greedy-decoding BLEU options of a preset (for `evaluateSubnets`): the preset's length limit and BLEU subset. */
export function presetBleu(preset: TranslationPreset): { beam: number; maxLen: number; sentences?: number } {
  return preset.bleuSentences === null ? { beam: 1, maxLen: preset.maxLen } : { beam: 1, maxLen: preset.maxLen, sentences: preset.bleuSentences };
}

/** A warmup-cosine schedule over `updates` updates at the preset's learning rate. */
export function presetSchedule(preset: TranslationPreset, updates: number) {
  return {
    kind: "cosine" as const,
    lr: preset.lr,
    warmupInitLr: preset.lr / 100,
    warmupUpdates: Math.min(preset.warmupUpdates, Math.floor(updates / 4)),
    maxUpdates: updates,
    minLr: preset.lr / 10,
  };
}
