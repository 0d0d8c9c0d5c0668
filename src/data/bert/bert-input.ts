/**
 * One BERT input (Devlin et al., 2019): `[CLS] A [SEP]` for a sentence, `[CLS] A [SEP] B [SEP]` for a
 * pair, with segment ids 0 on [CLS], A and its [SEP] and 1 on B and its [SEP]. An input longer than
 * maxLen is cut as in BERT's `_truncate_seq_pair`: one token at a time from the end of the longer
 * segment, so a long sentence cannot squeeze its partner out.
 */
import type { BertVocab } from "./bert-vocab";

/** A single unpadded BERT input. */
export interface BertInput {
  /** Token ids with [CLS] and [SEP]. */
  readonly ids: Int32Array;
  /** Segment (token type) ids: 0 for the first sentence, 1 for the second. */
  readonly segments: Int32Array;
}

/** Builds `[CLS] A [SEP] (B [SEP])` of at most maxLen ids, truncating the longer segment first. */
export function bertInput(vocab: BertVocab, idsA: ArrayLike<number>, idsB: ArrayLike<number> | null, maxLen: number): BertInput {
  const reserved = idsB === null ? 2 : 3;
  if (!Number.isInteger(maxLen) || maxLen < reserved + (idsB === null ? 1 : 2)) {
    throw new Error(`bertInput: maxLen must be an integer >= ${reserved + (idsB === null ? 1 : 2)} ([CLS], [SEP]s and a token per sentence), got ${maxLen}`);
  }
  checkIds(idsA, vocab, "idsA");
  if (idsB !== null) checkIds(idsB, vocab, "idsB");
  let lenA = idsA.length;
  let lenB = idsB === null ? 0 : idsB.length;
  while (lenA + lenB > maxLen - reserved) {
    if (lenA >= lenB) lenA--;
    else lenB--;
  }
  const total = lenA + lenB + reserved;
  const ids = new Int32Array(total);
  const segments = new Int32Array(total);
  ids[0] = vocab.clsId;
  for (let k = 0; k < lenA; k++) ids[1 + k] = idsA[k];
  ids[1 + lenA] = vocab.sepId;
  if (idsB !== null) {
    const start = 2 + lenA;
    for (let k = 0; k < lenB; k++) ids[start + k] = idsB[k];
    ids[start + lenB] = vocab.sepId;
    segments.fill(1, start);
  }
  return { ids, segments };
}

function checkIds(ids: ArrayLike<number>, vocab: BertVocab, name: string): void {
  if (ids.length === 0) throw new Error(`bertInput: ${name} must have at least one token`);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (!Number.isInteger(id) || id < 0 || id >= vocab.tokenizerVocabSize) {
      throw new Error(`bertInput: ${name}[${k}] must be a tokenizer id in [0, ${vocab.tokenizerVocabSize - 1}], got ${id}`);
    }
  }
}
