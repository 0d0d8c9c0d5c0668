/**
 * One padded batch of encoded classification examples: row-major [rows, seqLen] buffers ready for
 * `tf.tensor2d`, padded to the longest example of the batch, with the labels a classifier on the
 * [CLS] state is trained against.
 */
import type { EncodedExample } from "./encode-examples";

/** A padded classification batch; ids, segments and attentionMask are [rows, seqLen]. */
export interface ClassificationBatch {
  /** Token ids, padded with [PAD] = 0. */
  readonly inputIds: Int32Array;
  /** Segment ids: 0 for the first sentence (and padding), 1 for the second. */
  readonly segmentIds: Int32Array;
  /** 1 on real tokens, 0 on padding. */
  readonly attentionMask: Float32Array;
  /** One label per row. */
  readonly labels: Int32Array;
  readonly rows: number;
  readonly seqLen: number;
  /** Index of each row's example in the example array. */
  readonly exampleIds: Int32Array;
}

/** Pads the examples at `indices` into one batch. */
export function collateClassification(examples: readonly EncodedExample[], indices: ArrayLike<number>): ClassificationBatch {
  const rows = indices.length;
  if (rows === 0) throw new Error("collateClassification: indices must not be empty");
  let seqLen = 0;
  for (let r = 0; r < rows; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= examples.length) {
      throw new Error(`collateClassification: indices[${r}] must be an integer in [0, ${examples.length - 1}], got ${i}`);
    }
    seqLen = Math.max(seqLen, examples[i].ids.length);
  }
  const inputIds = new Int32Array(rows * seqLen);
  const segmentIds = new Int32Array(rows * seqLen);
  const attentionMask = new Float32Array(rows * seqLen);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const e = examples[indices[r]];
    inputIds.set(e.ids, r * seqLen);
    segmentIds.set(e.segments, r * seqLen);
    attentionMask.fill(1, r * seqLen, r * seqLen + e.ids.length);
    labels[r] = e.label;
  }
  return { inputIds, segmentIds, attentionMask, labels, rows, seqLen, exampleIds: Int32Array.from(indices) };
}
