/**
 * Masked-LM pretraining data from the Brown Corpus, in the shape the supernet trainer reads. The
 * split's sentences, tokenized, are packed in corpus order into sequences of at most maxLen ids
 * (`[CLS] s1 s2 … [SEP]`), RoBERTa's FULL-SENTENCES packing (Liu et al., 2019) without its
 * document separators; a sentence longer than a sequence is cut. Training batches are masked
 * anew each epoch (dynamic masking); validation batches once, with a fixed seed, so every
 * subnet and every run is scored on the same masked positions.
 *
 * The trainer runs on `TranslationBatch`es; a masked-LM batch fills it as an encoder-only model
 * reads it: `srcIds` the corrupted input, `srcMask` the attention mask, `tgtOut` the original ids
 * and `tgtMask` 1 at the chosen positions only, so the trainer's token-mean loss (without label
 * smoothing) is the masked-LM loss over masked positions and nothing else.
 */
import type { TranslationBatch } from "../batching";
import { loadBrownSentences, loadTokenizer } from "../load";
import type { Split } from "../load";
import type { BpeTokenizer } from "../tokenizer/bpe-tokenizer";
import { Rng } from "../../util/rng";
import { BertVocab, bertVocab, isSpecialId } from "./bert-vocab";
import { IGNORE_LABEL, MaskingOptions } from "./mask-tokens";
import { MaskedLmBatch, maskedLmBatches } from "./masked-lm-batches";

/** Options of `loadMaskedLmData`. */
export interface MaskedLmDataOptions {
  /** Prepared Brown tokenizer size (the registry lists the prepared ones). */
  readonly vocabSize: number;
  /** Longest packed sequence, [CLS] and [SEP] included; at least 8. */
  readonly maxLen: number;
  /** Most padded tokens per batch. */
  readonly maxTokens: number;
  /** Training sequences kept (the first ones in corpus order); null = all. */
  readonly trainSequences: number | null;
  /** Validation sequences kept; null = all. */
  readonly validSequences: number | null;
  /** Seeds the batch order and the masks. */
  readonly seed: number;
  readonly masking?: Partial<MaskingOptions>;
}

/** Tokenized, packed masked-LM data with batching. */
export interface MaskedLmData {
  readonly tokenizer: BpeTokenizer;
  readonly vocab: BertVocab;
  /** Packed training and validation sequences ([CLS] … [SEP]). */
  readonly train: readonly Int32Array[];
  readonly valid: readonly Int32Array[];
  /** Fixed validation batches (masks drawn once). */
  readonly validBatches: readonly TranslationBatch[];
  /** The training batches of an epoch, masked anew (deterministic in the epoch number). */
  batchesForEpoch(epoch: number): TranslationBatch[];
}

/** Packs tokenized sentences in order into `[CLS] … [SEP]` sequences of at most maxLen ids. */
export function packSentences(sentences: readonly (readonly number[])[], vocab: BertVocab, maxLen: number): Int32Array[] {
  if (!Number.isInteger(maxLen) || maxLen < 8) throw new Error(`packSentences: maxLen must be an integer >= 8, got ${maxLen}`);
  const room = maxLen - 2;
  const out: Int32Array[] = [];
  let current: number[] = [];
  const flush = () => {
    if (current.length > 0) out.push(Int32Array.from([vocab.clsId, ...current, vocab.sepId]));
    current = [];
  };
  for (const s of sentences) {
    const ids = s.length > room ? s.slice(0, room) : s;
    if (current.length + ids.length > room) flush();
    current.push(...ids);
  }
  flush();
  return out;
}

/** A masked-LM batch in the trainer's layout (see the file comment). */
export function asTrainingBatch(b: MaskedLmBatch): TranslationBatch {
  const tgtOut = Int32Array.from(b.labels, (l) => (l === IGNORE_LABEL ? 0 : l));
  return {
    srcIds: b.inputIds,
    srcLen: b.seqLen,
    srcMask: b.attentionMask,
    tgtIn: b.inputIds,
    tgtOut,
    tgtLen: b.seqLen,
    tgtMask: b.labelMask,
    rows: b.rows,
    numTargetTokens: b.numMasked,
    exampleIds: b.exampleIds,
  };
}

function sequencesOf(split: Split, tokenizer: BpeTokenizer, vocab: BertVocab, maxLen: number, keep: number | null): Int32Array[] {
  const packed = packSentences(loadBrownSentences(split).map((s) => tokenizer.encode(s)), vocab, maxLen);
  return keep === null ? packed : packed.slice(0, keep);
}

/** Brown masked-LM data: packed sequences and seeded, masked batches (see the file comment). */
export function loadMaskedLmData(options: MaskedLmDataOptions): MaskedLmData {
  const { maxLen, maxTokens, seed } = options;
  for (const [name, v] of [["trainSequences", options.trainSequences], ["validSequences", options.validSequences]] as const) {
    if (v !== null && !(Number.isInteger(v) && v > 0)) throw new Error(`loadMaskedLmData: ${name} must be a positive integer or null, got ${v}`);
  }
  if (!Number.isInteger(maxTokens) || maxTokens < maxLen) throw new Error(`loadMaskedLmData: maxTokens must be an integer >= maxLen (${maxLen}), got ${maxTokens}`);
  const tokenizer = loadTokenizer("brown", options.vocabSize);
  const vocab = bertVocab(tokenizer);
  const train = sequencesOf("train", tokenizer, vocab, maxLen, options.trainSequences);
  const valid = sequencesOf("valid", tokenizer, vocab, maxLen, options.validSequences);
  const batches = (seqs: readonly Int32Array[], rngSeed: number) => maskedLmBatches(seqs, { maxTokens, vocab, rng: new Rng(rngSeed), masking: options.masking }).map(asTrainingBatch);
  const validBatches = batches(valid, seed * 7919 + 1);
  return {
    tokenizer,
    vocab,
    train,
    valid,
    validBatches,
    batchesForEpoch: (epoch) => batches(train, seed * 1_000_003 + 17 * (epoch + 1)),
  };
}

/**
 * The masked-LM loss of a model that knows only token frequencies: the cross entropy of the
 * validation batches' masked targets under the training sequences' unigram distribution
 * (add-one smoothed over the vocabulary, specials excluded). A subnet near it has learned little
 * beyond which tokens are common, so differences between such subnets carry no ranking signal.
 */
export function unigramBaselineLoss(data: Pick<MaskedLmData, "train" | "validBatches" | "vocab">): number {
  const counts = new Float64Array(data.vocab.vocabSize);
  let total = 0;
  for (const seq of data.train) for (const id of seq) if (!isSpecialId(data.vocab, id)) { counts[id]++; total++; }
  const regular = Array.from(counts.keys()).filter((id) => !isSpecialId(data.vocab, id)).length;
  let nll = 0;
  let n = 0;
  for (const b of data.validBatches) {
    b.tgtMask.forEach((m, i) => {
      if (m === 0) return;
      nll -= Math.log((counts[b.tgtOut[i]] + 1) / (total + regular));
      n++;
    });
  }
  if (n === 0) throw new Error("unigramBaselineLoss: the validation batches hold no masked positions");
  return nll / n;
}
