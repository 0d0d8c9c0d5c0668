/** A micro supernet and batches for fast, exact tests. */
import { collateTranslation, ParallelExample, TranslationBatch } from "../../src/data/batching";
import { defineSpace } from "../../src/space/validate-space";
import type { SearchSpace } from "../../src/space/types";
import { makeSupernetConfig, SupernetConfig } from "../../src/supernet/config";
import { Rng } from "../../src/util/rng";

/** A space small enough for numerical gradients, with every elastic dimension present. */
export const microSpace: SearchSpace = defineSpace({
  name: "micro",
  encoder: { embedDim: [8, 12], numLayers: [2], ffnDim: [6, 10], numHeads: [1, 2] },
  decoder: { embedDim: [8, 12], numLayers: [1, 2], ffnDim: [6, 10], selfHeads: [1, 2], crossHeads: [1, 2], crossLayers: [1, 2] },
  qkvDim: 8,
});

/** Config of the micro supernet (dropout off unless asked). */
export function microConfig(dropout = 0): SupernetConfig {
  return makeSupernetConfig(microSpace, 24, { dropout });
}

/** A batch of random sentences of different lengths (ids 4..vocab-1). */
export function randomBatch(seed: number, rows = 3, vocab = 24): TranslationBatch {
  const rng = new Rng(seed);
  const examples: ParallelExample[] = Array.from({ length: rows }, (_, i) => ({
    src: Array.from({ length: 3 + ((i * 2) % 4) }, () => 4 + rng.int(vocab - 4)),
    tgt: Array.from({ length: 2 + ((i * 3) % 4) }, () => 4 + rng.int(vocab - 4)),
  }));
  return collateTranslation(examples, examples.map((_, i) => i));
}
