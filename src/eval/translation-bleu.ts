/**
 * BLEU of a subnet on held-out verses: decode the validation pairs (all of them, or a fixed,
 * evenly spread subset), detokenize, and score against the untokenized Spanish references with
 * sacreBLEU-compatible corpus BLEU.
 */
import { planTranslationBatches, translationBatches } from "../data/batching";
import type { TranslationData } from "../data/translation-data";
import type { Arch } from "../space/types";
import type { WeightSharingModel } from "../supernet/supernet";
import { corpusBleu } from "./bleu/index";
import { DecodeOptions, translateBatch } from "./decode";

/** Decoding options plus the size of the scored subset. */
export interface TranslationBleuOptions extends Partial<DecodeOptions> {
  /** Score this many validation pairs, evenly spread over the validation set (the same ones for every model and subnet); default all. */
  readonly sentences?: number;
}

/** BLEU with the hypotheses, for inspection. */
export interface TranslationBleu {
  readonly bleu: number;
  /** Validation pairs scored. */
  readonly sentences: number;
  readonly hypotheses: readonly string[];
  readonly references: readonly string[];
}

/** Indices of the validation pairs a BLEU with `sentences` pairs scores (evenly spaced, so every held-out book is represented). */
export function bleuSubset(validPairs: number, sentences?: number): number[] {
  if (sentences === undefined || sentences >= validPairs) return Array.from({ length: validPairs }, (_, i) => i);
  if (!Number.isInteger(sentences) || sentences < 1) throw new Error(`evaluateBleu: sentences must be an integer in [1, ${validPairs}]; got ${sentences}`);
  return Array.from({ length: sentences }, (_, i) => Math.floor((i * validPairs) / sentences));
}

/** Corpus BLEU of `arch` on the data's validation pairs (or the fixed subset `options.sentences`). */
export async function evaluateBleu(model: WeightSharingModel, arch: Arch, data: TranslationData, options: TranslationBleuOptions = {}): Promise<TranslationBleu> {
  const { sentences, ...decode } = options;
  const ids = bleuSubset(data.valid.length, sentences);
  // The full set reuses the fixed validation batches; a subset is batched on its own with the same limits.
  const batches = ids.length === data.valid.length
    ? data.validBatches
    : translationBatches(ids.map((i) => data.valid[i]), planTranslationBatches(ids.map((i) => data.valid[i]), data.plan.options), { epoch: 0, shuffle: false });
  const hypotheses = new Array<string>(ids.length).fill("");
  for (const batch of batches) {
    const decoded = await translateBatch(model, arch, batch, decode);
    decoded.forEach((tokens, row) => (hypotheses[batch.exampleIds[row]] = data.tokenizer.decode(tokens)));
  }
  const references = ids.map((i) => data.validPairs[i].es);
  return { bleu: corpusBleu(hypotheses, [references]).score, sentences: ids.length, hypotheses, references };
}
