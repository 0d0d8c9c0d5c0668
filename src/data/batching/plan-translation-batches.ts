/**
 * Length-bucketed batching for translation, as fairseq's `batch_by_size`: examples are sorted by
 * (target length, source length), with a seeded shuffle among equal lengths, then cut greedily into
 * batches of at most `maxTokens` padded tokens (rows × longest sequence) and `maxSentences` rows.
 * Similar lengths share a batch, so little compute goes to padding. The plan is plain data (lists
 * of example indices); `translationBatches` turns it into padded batches in a per-epoch order.
 */
import { ParallelExample, truncatedLengths } from "./collate-translation";
import { seedStream } from "./seed-streams";

/** Options of `planTranslationBatches`. */
export interface TranslationBatchOptions {
  /** Most padded tokens per batch: rows × max(source length, target length + 1); a positive integer. */
  readonly maxTokens: number;
  /** Most rows per batch; a positive integer. Default: no limit. */
  readonly maxSentences?: number;
  /** Longest sequence the model sees, for the source and for the target with bos/eos; at least 2. Default: no limit. */
  readonly maxLen?: number;
  /**
   * What to do with an example longer than maxLen. "truncate" (default) keeps the first maxLen
   * source tokens and the first maxLen - 1 target tokens, so the target still ends in eos;
   * "drop" leaves the example out and lists it in the plan's `dropped`.
   */
  readonly overlong?: "truncate" | "drop";
  /** Seed of the shuffle among equal lengths and of each epoch's batch order. */
  readonly seed: number;
}

/** Defaults of the optional fields of `TranslationBatchOptions`. */
export const translationBatchDefaults = Object.freeze({ maxSentences: Infinity, maxLen: Infinity, overlong: "truncate" as const });

/** Batches as lists of example indices, in increasing length, with the options that made them. */
export interface TranslationBatchPlan {
  readonly options: Required<TranslationBatchOptions>;
  /** Number of examples the plan was made for. */
  readonly numExamples: number;
  /** Example indices of each batch. */
  readonly batches: readonly Int32Array[];
  /** Indices of examples left out because they were longer than maxLen (overlong = "drop"). */
  readonly dropped: Int32Array;
}

/** Groups examples into length-bucketed batches; validates the examples and options. */
export function planTranslationBatches(examples: readonly ParallelExample[], options: TranslationBatchOptions): TranslationBatchPlan {
  const opts = resolveOptions(options);
  if (!Array.isArray(examples)) throw new Error(`planTranslationBatches: examples must be an array, got ${typeof examples}`);
  examples.forEach(checkExample);

  const kept: number[] = [];
  const dropped: number[] = [];
  const sizes = new Int32Array(examples.length);
  examples.forEach((ex, i) => {
    const len = truncatedLengths(ex, opts.maxLen);
    sizes[i] = Math.max(len.src, len.tgt);
    if (opts.overlong === "drop" && (ex.src.length > opts.maxLen || ex.tgt.length + 1 > opts.maxLen)) dropped.push(i);
    else if (sizes[i] > opts.maxTokens) {
      throw new Error(`planTranslationBatches: examples[${i}] has length ${sizes[i]} > maxTokens ${opts.maxTokens}; raise maxTokens or set maxLen <= maxTokens`);
    } else kept.push(i);
  });

  // Shuffle, then a stable sort: equal (tgt, src) lengths end up in a seeded random order.
  const order = seedStream(opts.seed, 0).shuffle(kept);
  order.sort((i, j) => examples[i].tgt.length - examples[j].tgt.length || examples[i].src.length - examples[j].src.length);

  const batches: Int32Array[] = [];
  let start = 0;
  let longest = 0;
  for (let k = 0; k < order.length; k++) {
    const rows = k - start + 1;
    const len = Math.max(longest, sizes[order[k]]);
    if (rows > opts.maxSentences || rows * len > opts.maxTokens) {
      batches.push(Int32Array.from(order.slice(start, k)));
      start = k;
      longest = sizes[order[k]];
    } else longest = len;
  }
  if (start < order.length) batches.push(Int32Array.from(order.slice(start)));
  return { options: opts, numExamples: examples.length, batches, dropped: Int32Array.from(dropped) };
}

function resolveOptions(options: TranslationBatchOptions): Required<TranslationBatchOptions> {
  const o = { ...translationBatchDefaults, ...options };
  const where = "planTranslationBatches";
  if (!Number.isInteger(o.maxTokens) || o.maxTokens < 1) throw new Error(`${where}: maxTokens must be a positive integer, got ${o.maxTokens}`);
  if (o.maxSentences !== Infinity && (!Number.isInteger(o.maxSentences) || o.maxSentences < 1)) {
    throw new Error(`${where}: maxSentences must be a positive integer or Infinity, got ${o.maxSentences}`);
  }
  if (o.maxLen !== Infinity && (!Number.isInteger(o.maxLen) || o.maxLen < 2)) {
    throw new Error(`${where}: maxLen must be an integer >= 2 or Infinity, got ${o.maxLen}`);
  }
  if (o.overlong !== "truncate" && o.overlong !== "drop") throw new Error(`${where}: overlong must be "truncate" or "drop", got ${JSON.stringify(o.overlong)}`);
  if (!Number.isInteger(o.seed)) throw new Error(`${where}: seed must be an integer, got ${o.seed}`);
  return o;
}

function checkExample(ex: ParallelExample, i: number): void {
  for (const side of ["src", "tgt"] as const) {
    const ids: unknown = ex?.[side];
    if (!Array.isArray(ids)) throw new Error(`planTranslationBatches: examples[${i}].${side} must be an array of token ids, got ${typeof ids}`);
    for (let k = 0; k < ids.length; k++) {
      const id: unknown = ids[k];
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
        throw new Error(`planTranslationBatches: examples[${i}].${side}[${k}] must be an integer in [0, 2^31 - 1], got ${id}`);
      }
    }
  }
  if (ex.src.length === 0) throw new Error(`planTranslationBatches: examples[${i}].src must have at least one token`);
}
