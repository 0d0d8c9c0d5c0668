/**
 * Batching for training and evaluation. Translation examples are bucketed by length and padded
 * into row-major buffers with masks (fairseq's `batch_by_size`, Ott et al., 2019); a language-model
 * token stream is cut into shuffled fixed-length windows. Every order is a function of a seed.
 * The parts live in ./batching/, one concept per file; this module is their public face.
 */
export type { ParallelExample, TranslationBatch } from "./batching/collate-translation";
export { collateTranslation } from "./batching/collate-translation";
export type { TranslationBatchOptions, TranslationBatchPlan } from "./batching/plan-translation-batches";
export { planTranslationBatches, translationBatchDefaults } from "./batching/plan-translation-batches";
export type { EpochOptions } from "./batching/translation-batches";
export { translationBatches } from "./batching/translation-batches";
export type { LanguageModelBatch, LanguageModelBatchOptions } from "./batching/language-model-batches";
export { batchLanguageModel } from "./batching/language-model-batches";
export { seedStream } from "./batching/seed-streams";
