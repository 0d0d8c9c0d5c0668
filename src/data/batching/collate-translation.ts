/**
 * Collating translation examples into one padded batch: flat row-major buffers of shape
 * [rows, len] ready for `tf.tensor2d`, with teacher-forcing targets (tgtIn = [bos, ...tgt],
 * tgtOut = [...tgt, eos]) and masks that are 1 on real tokens and 0 on padding (pad id 0).
 */
import { BOS_ID, EOS_ID } from "../tokenizer/vocab";

/** One parallel example: source and target token ids, without bos or eos. */
export interface ParallelExample {
  readonly src: readonly number[];
  readonly tgt: readonly number[];
}

/** A padded batch of translation examples; every buffer is row-major. */
export interface TranslationBatch {
  /** Source ids, [rows, srcLen], padded with 0. */
  readonly srcIds: Int32Array;
  /** Padded source length: the longest source in the batch. */
  readonly srcLen: number;
  /** Decoder inputs [bos, ...tgt], [rows, tgtLen], padded with 0. */
  readonly tgtIn: Int32Array;
  /** Decoder targets [...tgt, eos], [rows, tgtLen], padded with 0. */
  readonly tgtOut: Int32Array;
  /** Padded target length: the longest target in the batch, plus one for bos/eos. */
  readonly tgtLen: number;
  /** Number of examples. */
  readonly rows: number;
  /** 1 where srcIds holds a real token, 0 on padding, [rows, srcLen]. */
  readonly srcMask: Float32Array;
  /** 1 where tgtOut holds a real token (eos included), 0 on padding, [rows, tgtLen]. */
  readonly tgtMask: Float32Array;
  /** Number of real target tokens (the sum of tgtMask), the denominator of a per-token loss. */
  readonly numTargetTokens: number;
  /** Index of each row's example in the example array, to match outputs with references. */
  readonly exampleIds: Int32Array;
}

/** Lengths after truncation to maxLen: source tokens, and target tokens plus one (bos or eos). */
export function truncatedLengths(example: ParallelExample, maxLen: number): { src: number; tgt: number } {
  return { src: Math.min(example.src.length, maxLen), tgt: Math.min(example.tgt.length + 1, maxLen) };
}

/**
 * Pads the examples at `indices` into one batch, truncating to maxLen: the source keeps its first
 * maxLen tokens (its last one too if it is eos), the target its first maxLen - 1 so that eos is kept.
 */
export function collateTranslation(examples: readonly ParallelExample[], indices: ArrayLike<number>, maxLen = Infinity): TranslationBatch {
  const rows = indices.length;
  if (rows === 0) throw new Error("collateTranslation: indices must not be empty");
  if (!(maxLen >= 2)) throw new Error(`collateTranslation: maxLen must be at least 2 (bos/eos plus one token), got ${maxLen}`);
  let srcLen = 0;
  let tgtLen = 0;
  for (let r = 0; r < rows; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= examples.length) {
      throw new Error(`collateTranslation: indices[${r}] must be an integer in [0, ${examples.length - 1}], got ${i}`);
    }
    const len = truncatedLengths(examples[i], maxLen);
    if (len.src === 0) throw new Error(`collateTranslation: examples[${i}].src must have at least one token`);
    srcLen = Math.max(srcLen, len.src);
    tgtLen = Math.max(tgtLen, len.tgt);
  }
  // Zero-filled buffers are already padding (PAD_ID = 0) with mask 0; only real tokens are written.
  const srcIds = new Int32Array(rows * srcLen);
  const srcMask = new Float32Array(rows * srcLen);
  const tgtIn = new Int32Array(rows * tgtLen);
  const tgtOut = new Int32Array(rows * tgtLen);
  const tgtMask = new Float32Array(rows * tgtLen);
  const exampleIds = new Int32Array(rows);
  let numTargetTokens = 0;
  for (let r = 0; r < rows; r++) {
    const { src, tgt } = examples[indices[r]];
    exampleIds[r] = indices[r];
    const len = truncatedLengths(examples[indices[r]], maxLen);
    const s = r * srcLen;
    for (let k = 0; k < len.src; k++) srcIds[s + k] = src[k];
    if (len.src < src.length && src[src.length - 1] === EOS_ID) srcIds[s + len.src - 1] = EOS_ID;
    srcMask.fill(1, s, s + len.src);
    const t = r * tgtLen;
    const body = len.tgt - 1;
    tgtIn[t] = BOS_ID;
    for (let k = 0; k < body; k++) {
      tgtIn[t + 1 + k] = tgt[k];
      tgtOut[t + k] = tgt[k];
    }
    tgtOut[t + body] = EOS_ID;
    tgtMask.fill(1, t, t + len.tgt);
    numTargetTokens += len.tgt;
  }
  return { srcIds, srcLen, tgtIn, tgtOut, tgtLen, rows, srcMask, tgtMask, numTargetTokens, exampleIds };
}
