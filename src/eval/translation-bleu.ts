/**
 * BLEU of a subnet on held-out verses: decode every validation batch, detokenize, and score
 * against the untokenized Spanish references with sacreBLEU-compatible corpus BLEU.
 */
import type { TranslationData } from "../data/translation-data";
import type { Arch } from "../space/types";
import type { WeightSharingModel } from "../supernet/supernet";
import { corpusBleu } from "./bleu/index";
import { DecodeOptions, translateBatch } from "./decode";

/** BLEU with the hypotheses, for inspection. */
export interface TranslationBleu {
  readonly bleu: number;
  readonly hypotheses: readonly string[];
  readonly references: readonly string[];
}

/** Corpus BLEU of `arch` on the data's validation pairs. */
export function evaluateBleu(model: WeightSharingModel, arch: Arch, data: TranslationData, options: Partial<DecodeOptions> = {}): TranslationBleu {
  const hypotheses = new Array<string>(data.valid.length).fill("");
  for (const batch of data.validBatches) {
    const decoded = translateBatch(model, arch, batch, options);
    decoded.forEach((ids, row) => (hypotheses[batch.exampleIds[row]] = data.tokenizer.decode(ids)));
  }
  const references = data.validPairs.map((p) => p.es);
  return { bleu: corpusBleu(hypotheses, [references]).score, hypotheses, references };
}
