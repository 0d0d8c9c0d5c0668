/**
 * Masked-LM batches for BERT pretraining: sequences (already wrapped in [CLS] … [SEP]) are bucketed
 * by length as fairseq's `batch_by_size` does, cut greedily into batches of at most `maxTokens`
 * padded tokens (rows × longest sequence), padded to the longest sequence of their batch, and
 * corrupted by `maskTokens`. The masks are drawn anew on every call, so calling once per epoch with
 * that epoch's generator gives RoBERTa's dynamic masking (Liu et al., 2019) instead of one fixed mask.
 */
import { Rng } from "../../util/rng";
import type { BertVocab } from "./bert-vocab";
import { IGNORE_LABEL, MaskingOptions, checkSequence, maskInto, resolveMaskingOptions } from "./mask-tokens";

/** A padded masked-LM batch; every buffer is row-major [rows, seqLen]. */
export interface MaskedLmBatch {
  /** Corrupted ids, padded with [PAD]. */
  readonly inputIds: Int32Array;
  /** 1 on real tokens ([CLS] and [SEP] included), 0 on padding. */
  readonly attentionMask: Float32Array;
  /** Original id at chosen positions, IGNORE_LABEL elsewhere (padding included). */
  readonly labels: Int32Array;
  /** 1 at chosen positions, 0 elsewhere: the weights of the masked-LM loss. */
  readonly labelMask: Float32Array;
  readonly rows: number;
  /** The longest sequence of the batch. */
  readonly seqLen: number;
  /** Number of chosen positions (the sum of labelMask), the loss's denominator. */
  readonly numMasked: number;
  /** Index of each row's sequence in the input array. */
  readonly exampleIds: Int32Array;
}

/** Options of `maskedLmBatches`. */
export interface MaskedLmBatchOptions {
  /** Most padded tokens per batch, rows × longest sequence; a positive integer. */
  readonly maxTokens: number;
  /** Most rows per batch; a positive integer. Default: no limit. */
  readonly maxSentences?: number;
  readonly vocab: BertVocab;
  /** Draws the order among equal lengths, the batch order and the masks. */
  readonly rng: Rng;
  /** Masking rates; BERT's by default. */
  readonly masking?: Partial<MaskingOptions>;
}

/** Buckets, pads and masks sequences into batches under a token budget, in a seeded order. */
export function maskedLmBatches(sequences: readonly ArrayLike<number>[], options: MaskedLmBatchOptions): MaskedLmBatch[] {
  const where = "maskedLmBatches";
  const { maxTokens, vocab, rng } = options;
  const maxSentences = options.maxSentences ?? Infinity;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new Error(`${where}: maxTokens must be a positive integer, got ${maxTokens}`);
  if (maxSentences !== Infinity && (!Number.isInteger(maxSentences) || maxSentences < 1)) {
    throw new Error(`${where}: maxSentences must be a positive integer or Infinity, got ${maxSentences}`);
  }
  if (!(rng instanceof Rng)) throw new Error(`${where}: rng must be an Rng (new Rng(seed))`);
  const masking = resolveMaskingOptions(options.masking ?? {}, where);
  if (!Array.isArray(sequences)) throw new Error(`${where}: sequences must be an array of token id arrays, got ${typeof sequences}`);
  sequences.forEach((s, i) => {
    checkSequence(s, vocab, `${where}: sequences[${i}]`);
    if (s.length === 0) throw new Error(`${where}: sequences[${i}] must have at least one token`);
    if (s.length > maxTokens) throw new Error(`${where}: sequences[${i}] has length ${s.length} > maxTokens ${maxTokens}; raise maxTokens or cut the sequence`);
  });

  // Shuffle, then a stable sort: equal lengths share batches in a seeded random order.
  const order = rng.shuffle(Array.from(sequences.keys()));
  order.sort((i, j) => sequences[i].length - sequences[j].length);
  const groups: number[][] = [];
  let start = 0;
  for (let k = 0; k < order.length; k++) {
    const rows = k - start + 1;
    // Sorted ascending, so the newest row is the longest.
    if (rows > maxSentences || rows * sequences[order[k]].length > maxTokens) {
      groups.push(order.slice(start, k));
      start = k;
    }
  }
  if (start < order.length) groups.push(order.slice(start));
  return rng.shuffle(groups).map((g) => collateMasked(sequences, g, vocab, rng, masking));
}

function collateMasked(sequences: readonly ArrayLike<number>[], indices: readonly number[], vocab: BertVocab, rng: Rng, masking: MaskingOptions): MaskedLmBatch {
  const rows = indices.length;
  let seqLen = 0;
  for (const i of indices) seqLen = Math.max(seqLen, sequences[i].length);
  // PAD_ID is 0, so zero-filled ids are already padding.
  const inputIds = new Int32Array(rows * seqLen);
  const attentionMask = new Float32Array(rows * seqLen);
  const labels = new Int32Array(rows * seqLen).fill(IGNORE_LABEL);
  const labelMask = new Float32Array(rows * seqLen);
  let numMasked = 0;
  for (let r = 0; r < rows; r++) {
    const seq = sequences[indices[r]];
    const s = r * seqLen;
    for (let k = 0; k < seq.length; k++) inputIds[s + k] = seq[k];
    attentionMask.fill(1, s, s + seq.length);
    numMasked += maskInto(inputIds, labels, labelMask, s, s + seq.length, vocab, rng, masking);
  }
  return { inputIds, attentionMask, labels, labelMask, rows, seqLen, numMasked, exampleIds: Int32Array.from(indices) };
}
