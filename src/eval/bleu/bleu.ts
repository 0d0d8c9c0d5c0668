/**
 * Corpus and sentence BLEU (Papineni et al., 2002, "BLEU: a method for automatic evaluation of
 * machine translation") computed as sacreBLEU 2.x computes it (Post, 2018, "A Call for Clarity in
 * Reporting BLEU Scores"; sacrebleu/metrics/bleu.py): 13a tokenisation, n-gram counts clipped by
 * the maximum count over the references, the closest reference length (ties to the shorter) for
 * the brevity penalty, and exponential ("exp", NIST mteval) smoothing of zero-match orders.
 * Statistics are kept per segment so that a corpus score can be recomputed on bootstrap resamples.
 */

import { type BleuStats, _segmentStats, sumStats } from "./bleu-stats";
import { rstripWhitespace, splitWhitespace, tokenize13a } from "./tokenizer-13a";

/** Tokenizers: "13a" is sacreBLEU's default; "none" only splits on whitespace. */
export type BleuTokenizer = "13a" | "none";

/** Smoothing methods of sacreBLEU (Chen & Cherry, 2014): "exp" is its default. */
export type BleuSmoothMethod = "exp" | "floor" | "add-k" | "none";

/** Options of `corpusBleu` and `sentenceBleu`; the names follow sacreBLEU's `BLEU` arguments. */
export interface BleuOptions {
  /** Tokenizer applied to hypotheses and references (sacreBLEU `tokenize`). */
  readonly tokenize: BleuTokenizer;
  /** Lowercase everything before tokenizing (sacreBLEU `lowercase`). */
  readonly lowercase: boolean;
  /** How an order with no matched n-gram is scored (sacreBLEU `smooth_method`). */
  readonly smoothMethod: BleuSmoothMethod;
  /** Value for "floor" (default 0.1) and "add-k" (default 1); unused by "exp" and "none". */
  readonly smoothValue?: number;
  /** Largest n-gram order (sacreBLEU `max_ngram_order`). */
  readonly maxNgramOrder: number;
  /** Average only over the orders the hypotheses have n-grams of (sacreBLEU `effective_order`). */
  readonly effectiveOrder: boolean;
}

/** sacreBLEU's `BLEU()` defaults, used by `corpusBleu`. */
export const BLEU_DEFAULTS: Readonly<BleuOptions> = Object.freeze({
  tokenize: "13a",
  lowercase: false,
  smoothMethod: "exp",
  maxNgramOrder: 4,
  effectiveOrder: false,
});

/** sacreBLEU's `sentence_bleu()` defaults: as `BLEU_DEFAULTS` with the effective order on. */
export const SENTENCE_BLEU_DEFAULTS: Readonly<BleuOptions> = Object.freeze({ ...BLEU_DEFAULTS, effectiveOrder: true });

const SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothMethod, number>> = { exp: 0, floor: 0.1, "add-k": 1, none: 0 };

/** A BLEU score with its statistics, as sacreBLEU's `BLEUScore` reports them. */
export interface BleuScore extends BleuStats {
  /** BLEU on the 0..100 scale. */
  readonly score: number;
  /** Smoothed n-gram precisions in percent; 0 for orders past the first order without n-grams. */
  readonly precisions: readonly number[];
  /** Brevity penalty: exp(1 - refLen / sysLen) when sysLen < refLen, else 1; 0 for an empty system. */
  readonly bp: number;
}

/** Per-segment statistics for a corpus; `references[k][i]` is the k-th reference of segment i. */
export function bleuSegmentStats(
  hypotheses: readonly string[],
  references: readonly (readonly (string | null)[])[],
  options: Partial<BleuOptions> = {},
): BleuStats[] {
  const opts = resolveOptions("bleuSegmentStats", options, BLEU_DEFAULTS);
  checkStreams("bleuSegmentStats", hypotheses, references);
  return _segmentStats(hypotheses, references, preprocessor(opts), opts.maxNgramOrder);
}

/** BLEU from segment statistics summed over the corpus (a bootstrap resample may repeat segments). */
export function bleuFromStats(stats: readonly BleuStats[], options: Partial<BleuOptions> = {}): BleuScore {
  const opts = resolveOptions("bleuFromStats", options, BLEU_DEFAULTS);
  const order = opts.maxNgramOrder;
  for (const [i, s] of stats.entries()) {
    if (s.counts.length !== order || s.totals.length !== order) {
      throw new Error(`bleuFromStats: stats[${i}] has ${s.counts.length} counts and ${s.totals.length} totals; maxNgramOrder ${order} needs ${order} of each`);
    }
  }
  return _scoreFromStats(sumStats(stats, order), opts);
}

/** Corpus BLEU as sacreBLEU's `corpus_bleu(hypotheses, references)`; `references[k][i]` is the k-th reference of segment i. */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly (string | null)[])[],
  options: Partial<BleuOptions> = {},
): BleuScore {
  const opts = resolveOptions("corpusBleu", options, BLEU_DEFAULTS);
  checkStreams("corpusBleu", hypotheses, references);
  const segments = _segmentStats(hypotheses, references, preprocessor(opts), opts.maxNgramOrder);
  return _scoreFromStats(sumStats(segments, opts.maxNgramOrder), opts);
}

/** Sentence BLEU as sacreBLEU's `sentence_bleu(hypothesis, references)`: exp smoothing with the effective order. */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: Partial<BleuOptions> = {}): BleuScore {
  const opts = resolveOptions("sentenceBleu", options, SENTENCE_BLEU_DEFAULTS);
  if (typeof hypothesis !== "string") throw new Error(`sentenceBleu: hypothesis must be a string, got ${typeof hypothesis}`);
  if (!Array.isArray(references)) throw new Error(`sentenceBleu: references must be an array of strings, got ${typeof references}`);
  // Each reference of the sentence is its own one-segment stream, as in sacreBLEU's sentence_score.
  const streams = references.map((ref) => [ref]);
  checkStreams("sentenceBleu", [hypothesis], streams);
  return _scoreFromStats(_segmentStats([hypothesis], streams, preprocessor(opts), opts.maxNgramOrder)[0], opts);
}

function _scoreFromStats(stats: BleuStats, opts: BleuOptions): BleuScore {
  const { sysLen, refLen } = stats;
  const order = opts.maxNgramOrder;
  const counts = stats.counts.slice();
  const totals = stats.totals.slice();
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(order).fill(0);
  // sacreBLEU returns 0 outright when nothing matches, before any smoothing (its issue #141).
  if (counts.every((c) => c === 0)) return { score: 0, counts, totals, precisions, bp, sysLen, refLen };

  const k = opts.smoothValue ?? SMOOTH_DEFAULTS[opts.smoothMethod];
  let smoothMteval = 1;
  let effOrder = order;
  for (let n = 0; n < order; n++) {
    // add-k smooths a local copy; sacreBLEU mutates its lists and so reports counts and totals with k added.
    const correct = opts.smoothMethod === "add-k" && n > 0 ? counts[n] + k : counts[n];
    const total = opts.smoothMethod === "add-k" && n > 0 ? totals[n] + k : totals[n];
    // Orders past the first one without n-grams keep precision 0, which zeroes the score unless effectiveOrder.
    if (total === 0) break;
    if (opts.effectiveOrder) effOrder = n + 1;
    if (correct === 0) {
      if (opts.smoothMethod === "exp") {
        smoothMteval *= 2;
        precisions[n] = 100 / (smoothMteval * total);
      } else if (opts.smoothMethod === "floor") {
        precisions[n] = (100 * k) / total;
      }
    } else {
      precisions[n] = (100 * correct) / total;
    }
  }
  let logSum = 0;
  // sacreBLEU's my_log floors log(0) at -9999999999 so that a zero precision gives a score of (almost) 0.
  for (let n = 0; n < effOrder; n++) logSum += precisions[n] === 0 ? -9999999999 : Math.log(precisions[n]);
  return { score: bp * Math.exp(logSum / effOrder), counts, totals, precisions, bp, sysLen, refLen };
}

/** sacreBLEU's `_preprocess_segment`: lowercase (if asked), strip trailing whitespace, tokenize, split. */
function preprocessor(opts: BleuOptions): (segment: string) => string[] {
  return (segment) => {
    const text = rstripWhitespace(opts.lowercase ? segment.toLowerCase() : segment);
    return splitWhitespace(opts.tokenize === "13a" ? tokenize13a(text) : text);
  };
}

function resolveOptions(fn: string, options: Partial<BleuOptions>, defaults: Readonly<BleuOptions>): BleuOptions {
  const opts: BleuOptions = { ...defaults, ...options };
  if (opts.tokenize !== "13a" && opts.tokenize !== "none") {
    throw new Error(`${fn}: options.tokenize is ${JSON.stringify(opts.tokenize)}; allowed: "13a", "none"`);
  }
  if (!Object.prototype.hasOwnProperty.call(SMOOTH_DEFAULTS, opts.smoothMethod)) {
    throw new Error(`${fn}: options.smoothMethod is ${JSON.stringify(opts.smoothMethod)}; allowed: "exp", "floor", "add-k", "none"`);
  }
  if (!Number.isInteger(opts.maxNgramOrder) || opts.maxNgramOrder < 1) {
    throw new Error(`${fn}: options.maxNgramOrder is ${opts.maxNgramOrder}; allowed: an integer >= 1`);
  }
  if (opts.smoothValue !== undefined && !(Number.isFinite(opts.smoothValue) && opts.smoothValue >= 0)) {
    throw new Error(`${fn}: options.smoothValue is ${opts.smoothValue}; allowed: a finite number >= 0`);
  }
  return opts;
}

function checkStreams(fn: string, hypotheses: readonly string[], references: readonly (readonly (string | null)[])[]): void {
  if (!Array.isArray(hypotheses) || hypotheses.length === 0) throw new Error(`${fn}: hypotheses must be a non-empty array of strings`);
  const bad = hypotheses.findIndex((h) => typeof h !== "string");
  if (bad >= 0) throw new Error(`${fn}: hypotheses[${bad}] is ${typeof hypotheses[bad]}; allowed: string`);
  if (!Array.isArray(references) || references.length === 0) {
    throw new Error(`${fn}: references must hold at least one reference stream (references[k][i] = k-th reference of segment i)`);
  }
  references.forEach((stream, k) => {
    if (!Array.isArray(stream) || stream.length !== hypotheses.length) {
      const got = Array.isArray(stream) ? `${stream.length} segments` : typeof stream;
      throw new Error(`${fn}: references[${k}] has ${got} but hypotheses has ${hypotheses.length}; each stream needs one string per hypothesis`);
    }
    const badRef = stream.findIndex((r) => typeof r !== "string" && r !== null);
    if (badRef >= 0) throw new Error(`${fn}: references[${k}][${badRef}] is ${typeof stream[badRef]}; allowed: string, or null for a missing reference`);
  });
  for (let i = 0; i < hypotheses.length; i++) {
    // sacreBLEU would score such a segment against a reference length of -1; refuse it instead.
    if (references.every((stream) => stream[i] === null)) {
      throw new Error(`${fn}: segment ${i} has no reference (references[k][${i}] is null for every k); allowed: at least one string per segment`);
    }
  }
}
