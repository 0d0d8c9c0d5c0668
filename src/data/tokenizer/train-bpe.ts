/**
 * Training a byte-fallback BPE tokenizer (Sennrich et al., 2016; byte fallback and the "▁" word
 * marker as in SentencePiece, Kudo & Richardson, 2018). Validates options, counts words, picks the
 * alphabet, runs the incremental merge loop and returns a `BpeTokenizer`. Deterministic: the same
 * texts, in any order, give the same tokenizer.
 */
import { BpeTokenizer } from "./bpe-tokenizer";
import { countWords, selectAlphabet } from "./count-words";
import { learnMerges } from "./learn-merges";
import { MAX_VOCAB_SIZE, pieceBase, validateSpecials } from "./vocab";

/** Options of `trainBpe`. */
export interface TrainBpeOptions {
  /**
   * Total number of ids, specials, 256 bytes and alphabet included. It is met exactly unless the
   * corpus runs out of pairs seen `minFrequency` times; then the tokenizer is smaller (read its
   * `vocabSize`). At least 4 + specials + 256 + 1; at most 2^21.
   */
  readonly vocabSize: number;
  /** A pair must occur at least this often (word counts included) to be merged. Default 2. */
  readonly minFrequency?: number;
  /** A character must occur at least this often to join the alphabet; rarer ones are spelled in bytes. Default 2. */
  readonly minCharFrequency?: number;
  /** Extra control tokens such as "<mask>" or "<2es>", given ids 4, 5, ...; encode never emits them. */
  readonly specials?: readonly string[];
}

/** Defaults of the optional fields of `TrainBpeOptions`. */
export const trainBpeDefaults = Object.freeze({ minFrequency: 2, minCharFrequency: 2, specials: Object.freeze([]) as readonly string[] });

/** Trains a BPE tokenizer with byte fallback on `texts`. */
export function trainBpe(texts: Iterable<string>, options: TrainBpeOptions): BpeTokenizer {
  const where = "trainBpe";
  const specials = validateSpecials(options.specials ?? trainBpeDefaults.specials, where);
  const minFrequency = checkInt(options.minFrequency ?? trainBpeDefaults.minFrequency, "minFrequency", 1, Number.MAX_SAFE_INTEGER);
  const minCharFrequency = checkInt(options.minCharFrequency ?? trainBpeDefaults.minCharFrequency, "minCharFrequency", 1, Number.MAX_SAFE_INTEGER);
  const pieces = pieceBase(specials);
  const vocabSize = checkInt(options.vocabSize, "vocabSize", pieces.length + 1, MAX_VOCAB_SIZE);
  if (texts == null || typeof (texts as Iterable<string>)[Symbol.iterator] !== "function") {
    throw new Error(`${where}: texts must be an iterable of strings, got ${texts === null ? "null" : typeof texts}`);
  }

  const wordCounts = countWords(texts, where);
  const alphabet = selectAlphabet(wordCounts, minCharFrequency, vocabSize - pieces.length);
  const charIds = new Map<string, number>();
  const markerId = pieces.length;
  alphabet.forEach((ch, i) => {
    if (i > 0) charIds.set(ch, markerId + i);
    pieces.push(ch);
  });

  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, n] of wordCounts) {
    const ids = [markerId];
    for (const ch of word) ids.push(charIds.get(ch) ?? -1);
    words.push(ids);
    freqs.push(n);
  }
  const alphabetEnd = pieces.length;
  const merges = learnMerges({ words, freqs, pieces, maxMerges: vocabSize - alphabetEnd, minFrequency });
  return new BpeTokenizer({
    specials,
    alphabet,
    merges: merges.map(([a, b]) => [pieces[a], pieces[b]] as const),
  });
}

function checkInt(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new Error(`trainBpe: ${field} must be an integer ${range}, got ${value}`);
  }
  return value;
}
