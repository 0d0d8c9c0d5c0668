/**
 * A trained BPE tokenizer with byte fallback: text → ids → text, exact up to `normalizeText`.
 * It is immutable; the only state beyond the model is a cache of encoded words, which makes
 * encoding a corpus cost one BPE run per distinct word. Build one with `trainBpe` or `fromJSON`.
 */
import { BpeModel, BuiltVocab, buildVocab } from "./build-vocab";
import { decodeIds } from "./decode-ids";
import { encodeWord } from "./encode-word";
import { normalizeText, splitWords } from "./normalize";
import { BPE_JSON_FORMAT, BPE_JSON_VERSION, BpeTokenizerJson, parseTokenizerJson } from "./tokenizer-json";

// Bounds the cache for open-ended inputs; a corpus like the Bible pair has ~60k distinct words.
const MAX_CACHED_WORDS = 200_000;

/** A byte-fallback BPE tokenizer. */
export class BpeTokenizer {
  /** Number of ids: specials, 256 bytes, alphabet and merges. */
  readonly vocabSize: number;
  private readonly model: BpeModel;
  private readonly vocab: BuiltVocab;
  private readonly cache = new Map<string, readonly number[]>();

  /** Builds a tokenizer from a model, checking it; most callers want `trainBpe` or `fromJSON`. */
  constructor(model: BpeModel, where = "BpeTokenizer") {
    this.vocab = buildVocab(model, where);
    this.model = { specials: model.specials.slice(), alphabet: model.alphabet.slice(), merges: model.merges.map(([l, r]) => [l, r] as const) };
    this.vocabSize = this.vocab.pieces.length;
  }

  /** Loads a tokenizer saved by `toJSON`, with errors that name the faulty field. */
  static fromJSON(json: unknown): BpeTokenizer {
    const { model, vocabSize } = parseTokenizerJson(json);
    const tokenizer = new BpeTokenizer(model, "BpeTokenizer.fromJSON");
    if (tokenizer.vocabSize !== vocabSize) {
      throw new Error(`BpeTokenizer.fromJSON: vocabSize says ${vocabSize} but specials, alphabet and merges make ${tokenizer.vocabSize}`);
    }
    return tokenizer;
  }

  /** The saved form, a versioned plain object (also what JSON.stringify writes). */
  toJSON(): BpeTokenizerJson {
    return {
      format: BPE_JSON_FORMAT,
      version: BPE_JSON_VERSION,
      vocabSize: this.vocabSize,
      specials: this.model.specials.slice(),
      alphabet: this.model.alphabet.slice(),
      merges: this.model.merges.map(([l, r]) => [l, r] as const),
    };
  }

  /** Extra control tokens (after pad, bos, eos, unk), in id order from 4. */
  get specials(): readonly string[] {
    return this.model.specials;
  }

  /** The ids of a text, without bos or eos; `decode` of them gives back `normalizeText(text)`. */
  encode(text: string): number[] {
    if (typeof text !== "string") throw new Error(`BpeTokenizer.encode: text must be a string, got ${typeof text}`);
    const out: number[] = [];
    for (const word of splitWords(normalizeText(text))) {
      let ids = this.cache.get(word);
      if (ids === undefined) {
        ids = encodeWord(word, this.vocab);
        if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear();
        this.cache.set(word, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  /** The text of ids; control tokens (pad, bos, eos, specials) are dropped and unk reads as U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new Error(`BpeTokenizer.decode: ids[${i}] must be an integer in [0, ${this.vocabSize - 1}], got ${id}`);
      }
    }
    return decodeIds(ids, this.vocab);
  }

  /** The piece of an id, e.g. "▁the", "<0xF0>" or "</s>". */
  pieceOf(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new Error(`BpeTokenizer.pieceOf: id must be an integer in [0, ${this.vocabSize - 1}], got ${id}`);
    }
    return this.vocab.pieces[id];
  }

  /** The id of a piece, or undefined when it is not in the vocabulary. */
  idOf(piece: string): number | undefined {
    return this.vocab.pieceToId.get(piece);
  }
}
