/**
 * The English-to-Spanish translation data ready for training: tokenized pairs, a batch plan by
 * length, fixed validation batches, and the references needed for BLEU.
 */
import type { TranslationBatch, TranslationBatchPlan, ParallelExample } from "./batching";
import { planTranslationBatches, translationBatches } from "./batching";
import { loadBiblePairs, loadTokenizer } from "./load";
import type { VersePair } from "./prepare/bible";
import { BpeTokenizer, EOS_ID } from "./tokenizer/index";

/** Options of `loadTranslationData`. */
export interface TranslationDataOptions {
  readonly vocabSize: number;
  /** Training pairs to keep, spread evenly over the canon; null = all. */
  readonly trainPairs: number | null;
  readonly validPairs: number;
  readonly maxLen: number;
  readonly maxTokens: number;
  readonly seed: number;
}

/** Tokenized translation data with batching. */
export interface TranslationData {
  readonly tokenizer: BpeTokenizer;
  readonly train: readonly ParallelExample[];
  readonly valid: readonly ParallelExample[];
  readonly validPairs: readonly VersePair[];
  readonly plan: TranslationBatchPlan;
  /** The same validation batches every time (no shuffle). */
  readonly validBatches: readonly TranslationBatch[];
  /** The training batches of an epoch (deterministic in the epoch number). */
  batchesForEpoch(epoch: number): TranslationBatch[];
}

function evenlySpaced<T>(items: readonly T[], n: number | null): T[] {
  if (n === null || n >= items.length) return items.slice();
  // Spread the subset over the whole canon so it is not one book's style.
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

/** Loads, tokenizes and batches the Bible English-Spanish pairs. */
export function loadTranslationData(options: TranslationDataOptions): TranslationData {
  const tokenizer = loadTokenizer("bible-en-es", options.vocabSize);
  // The source ends with eos, as in fairseq, so the encoder sees where the sentence stops.
  const toExample = (p: VersePair): ParallelExample => ({ src: [...tokenizer.encode(p.en), EOS_ID], tgt: tokenizer.encode(p.es) });
  const trainPairs = evenlySpaced(loadBiblePairs("train"), options.trainPairs);
  const validPairs = evenlySpaced(loadBiblePairs("valid"), options.validPairs);
  const train = trainPairs.map(toExample);
  const valid = validPairs.map(toExample);
  const plan = planTranslationBatches(train, { maxTokens: options.maxTokens, maxLen: options.maxLen, seed: options.seed });
  const validPlan = planTranslationBatches(valid, { maxTokens: options.maxTokens, maxLen: options.maxLen, seed: options.seed });
  return {
    tokenizer,
    train,
    valid,
    validPairs,
    plan,
    validBatches: translationBatches(valid, validPlan, { epoch: 0, shuffle: false }),
    batchesForEpoch: (epoch) => translationBatches(train, plan, { epoch }),
  };
}
