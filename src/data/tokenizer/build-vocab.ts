/**
 * From a BPE model (specials, alphabet, ranked merges) to the lookup tables that encode and
 * decode use. The model is the whole of what is saved; every id is derived from it by the layout
 * in vocab.ts, so a saved tokenizer cannot disagree with itself. Both training and loading go
 * through here, so the checks below guard saved files and freshly trained models alike.
 */
import { MAX_VOCAB_SIZE, WORD_START, pairKey, pieceBase, validateSpecials } from "./vocab";

/** A BPE model as plain data: all that is needed to rebuild the tokenizer. */
export interface BpeModel {
  /** Extra control tokens after the four fixed ones, e.g. "<mask>". */
  readonly specials: readonly string[];
  /** The word-start marker "▁" followed by single characters. */
  readonly alphabet: readonly string[];
  /** Merges in rank order: each joins two existing pieces into a new one. */
  readonly merges: readonly (readonly [string, string])[];
}

/** Lookup tables derived from a model. */
export interface BuiltVocab {
  /** The piece of each id. */
  readonly pieces: readonly string[];
  readonly pieceToId: ReadonlyMap<string, number>;
  /** Id of `<0x00>`; byte b has id byteBase + b. */
  readonly byteBase: number;
  /** Id of the word-start marker; alphabet characters follow it. */
  readonly markerId: number;
  /** Id of the first merged piece; merge of rank r makes id mergeBase + r. */
  readonly mergeBase: number;
  /** The text each alphabet or merged piece stands for ("▁" read as a space); "" for the others. */
  readonly pieceTexts: readonly string[];
  /** Alphabet characters other than the marker, by character. */
  readonly charToId: ReadonlyMap<string, number>;
  /** Rank of each merge, by the packed key of its (left, right) ids. */
  readonly mergeRank: ReadonlyMap<number, number>;
}

/** Validates a model and builds its lookup tables; `where` names the caller in errors. */
export function buildVocab(model: BpeModel, where: string): BuiltVocab {
  const specials = validateSpecials(model.specials, where);
  const pieces = pieceBase(specials);
  const byteBase = pieces.length - 256;
  const markerId = pieces.length;
  const pieceToId = new Map<string, number>();
  pieces.forEach((p, id) => pieceToId.set(p, id));
  const add = (piece: string): void => {
    pieceToId.set(piece, pieces.length);
    pieces.push(piece);
  };

  if (model.alphabet[0] !== WORD_START) {
    throw new Error(`${where}: alphabet[0] must be the word-start marker "${WORD_START}", got ${JSON.stringify(model.alphabet[0])}`);
  }
  add(WORD_START);
  const charToId = new Map<string, number>();
  for (let i = 1; i < model.alphabet.length; i++) {
    const ch = model.alphabet[i];
    if (typeof ch !== "string" || [...ch].length !== 1 || ch === WORD_START || pieceToId.has(ch)) {
      throw new Error(`${where}: alphabet[${i}] must be a single character other than "${WORD_START}", not repeated, got ${JSON.stringify(ch)}`);
    }
    charToId.set(ch, pieces.length);
    add(ch);
  }

  const mergeBase = pieces.length;
  const mergeRank = new Map<number, number>();
  model.merges.forEach(([left, right], rank) => {
    const a = pieceToId.get(left);
    const b = pieceToId.get(right);
    // Only alphabet and merged pieces merge: specials are control tokens and bytes stay bytes.
    if (a === undefined || b === undefined || a < markerId || b < markerId) {
      throw new Error(`${where}: merges[${rank}] = ${JSON.stringify([left, right])} must join two earlier alphabet or merged pieces`);
    }
    if (pieceToId.has(left + right)) {
      throw new Error(`${where}: merges[${rank}] makes "${left + right}", which is already a piece`);
    }
    mergeRank.set(pairKey(a, b), rank);
    add(left + right);
  });
  if (pieces.length > MAX_VOCAB_SIZE) {
    throw new Error(`${where}: vocabulary has ${pieces.length} pieces, at most ${MAX_VOCAB_SIZE} allowed`);
  }
  const pieceTexts = pieces.map((p, id) => (id >= markerId ? p.split(WORD_START).join(" ") : ""));
  return { pieces, pieceTexts, pieceToId, byteBase, markerId, mergeBase, charToId, mergeRank };
}
