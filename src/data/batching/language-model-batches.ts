/**
 * Batching one long token stream for a language model, as in nanoGPT-style training: the stream
 * is cut into windows of seqLen + 1 tokens overlapping by one (input = window[0..seqLen),
 * target = window[1..seqLen]), starting at a random offset in [0, seqLen) so that window
 * boundaries move between epochs; windows are shuffled and grouped batchSize at a time. The
 * last windows that do not fill a batch, and the tokens before the offset, are left out of that
 * epoch; with a fresh offset each epoch every token is used over time.
 */
import { Rng } from "../../util/rng";

/** A batch of language-model windows, row-major [batchSize, seqLen]. */
export interface LanguageModelBatch {
  /** Token ids fed to the model. */
  readonly input: Int32Array;
  /** The next token after each input position. */
  readonly target: Int32Array;
  readonly batchSize: number;
  readonly seqLen: number;
}

/** Options of `batchLanguageModel`. */
export interface LanguageModelBatchOptions {
  /** Tokens per row; a positive integer. */
  readonly seqLen: number;
  /** Rows per batch; a positive integer. */
  readonly batchSize: number;
  /** Draws the offset and the window order; pass a fresh stream per epoch. */
  readonly rng: Rng;
}

/** Cuts a token stream into shuffled [batchSize, seqLen] input/target batches. */
export function batchLanguageModel(ids: ArrayLike<number>, options: LanguageModelBatchOptions): LanguageModelBatch[] {
  const { seqLen, batchSize, rng } = options;
  const where = "batchLanguageModel";
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new Error(`${where}: seqLen must be a positive integer, got ${seqLen}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${where}: batchSize must be a positive integer, got ${batchSize}`);
  if (!(rng instanceof Rng)) throw new Error(`${where}: rng must be an Rng (new Rng(seed))`);
  const need = batchSize * seqLen + 1;
  if (ids.length < need) {
    throw new Error(`${where}: ids has ${ids.length} tokens, at least batchSize * seqLen + 1 = ${need} needed for one batch`);
  }
  // The offset never costs a whole batch: it is capped by the tokens left over beyond one batch.
  const offset = rng.int(Math.min(seqLen, ids.length - need + 1));
  const numWindows = Math.floor((ids.length - 1 - offset) / seqLen);
  const starts = rng.shuffle(Array.from({ length: numWindows }, (_, w) => offset + w * seqLen));
  const batches: LanguageModelBatch[] = [];
  for (let b = 0; b + batchSize <= numWindows; b += batchSize) {
    const input = new Int32Array(batchSize * seqLen);
    const target = new Int32Array(batchSize * seqLen);
    for (let r = 0; r < batchSize; r++) {
      const start = starts[b + r];
      for (let k = 0; k < seqLen; k++) {
        input[r * seqLen + k] = ids[start + k];
        target[r * seqLen + k] = ids[start + k + 1];
      }
    }
    batches.push({ input, target, batchSize, seqLen });
  }
  return batches;
}
