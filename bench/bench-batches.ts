/**
 * The batches both frameworks train on: real length-bucketed translation batches (Bible En-Es, BPE
 * 4000) in the order of training epoch 0, and their export for the PyTorch reference.
 */
import type { TranslationBatch } from "../src/data/batching";
import { loadTranslationData } from "../src/data/translation-data";

/** Data options of the benchmark (the `small` preset's tokenizer, length and batch size). */
export const benchDataOptions = Object.freeze({ vocabSize: 4000, trainPairs: 4000, validPairs: 16, maxLen: 64, maxTokens: 2048, seed: 1 });

/** The first `count` training batches of epoch 0 and the vocabulary size; `maxTokens` overrides the batch size in tokens. */
export function benchBatches(count: number, maxTokens: number = benchDataOptions.maxTokens): { batches: TranslationBatch[]; vocabSize: number } {
  const data = loadTranslationData({ ...benchDataOptions, maxTokens });
  const all = data.batchesForEpoch(0);
  if (all.length < count) throw new Error(`bench: need ${count} batches, the data gives ${all.length}`);
  return { batches: all.slice(0, count), vocabSize: data.tokenizer.vocabSize };
}

/** A batch as plain JSON for torch_reference.py (ids and masks row-major). */
export function batchJson(b: TranslationBatch) {
  return {
    rows: b.rows,
    srcLen: b.srcLen,
    tgtLen: b.tgtLen,
    numTargetTokens: b.numTargetTokens,
    src: Array.from(b.srcIds),
    srcMask: Array.from(b.srcMask),
    tgtIn: Array.from(b.tgtIn),
    tgtOut: Array.from(b.tgtOut),
    tgtMask: Array.from(b.tgtMask),
  };
}

/** Shape statistics of batches: rows, padded and real target tokens. */
export function batchStats(batches: readonly TranslationBatch[]) {
  const padded = batches.reduce((n, b) => n + b.rows * b.tgtLen, 0);
  const real = batches.reduce((n, b) => n + b.numTargetTokens, 0);
  return { batches: batches.length, rows: batches.reduce((n, b) => n + b.rows, 0), paddedTargetTokens: padded, targetTokens: real };
}
