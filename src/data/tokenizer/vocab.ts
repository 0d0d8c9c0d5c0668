/**
 * The fixed layout of a BPE vocabulary. Ids are, in order: the four control tokens (pad, bos,
 * eos, unk), any extra specials, the 256 byte pieces `<0x00>`..`<0xFF>`, the word-start marker
 * "▁" followed by the character alphabet, then one piece per merge in merge order. Pad is 0 so
 * that zero-filled id buffers are already padding. The marker (U+2581, as in SentencePiece)
 * replaces the space before each word, which is what makes decoding exact.
 */

/** Id of the padding token; 0 so that a zero-filled buffer is all padding. */
export const PAD_ID = 0;
/** Id of the begin-of-sequence token. */
export const BOS_ID = 1;
/** Id of the end-of-sequence token. */
export const EOS_ID = 2;
/** Id of the unknown token; encode never emits it (byte fallback spells every character). */
export const UNK_ID = 3;
/** Pieces of the four fixed control tokens, indexed by id. */
export const FIXED_SPECIALS: readonly string[] = Object.freeze(["<pad>", "<s>", "</s>", "<unk>"]);
/** The word-start marker that stands for the space before a word. */
export const WORD_START = "\u2581";
/** What decode writes for UNK_ID. */
export const UNK_TEXT = "\uFFFD";

/** Ids of a pair are packed into one number key: left * PAIR_KEY_BASE + right (exact below 2^53). */
export const PAIR_KEY_BASE = 2 ** 21;
/** The largest vocabulary whose pair keys stay exact. */
export const MAX_VOCAB_SIZE = PAIR_KEY_BASE;

const BYTE_PIECE = /^<0x[0-9A-F]{2}>$/;

/** The piece that spells one UTF-8 byte, e.g. `<0xC3>`. */
export function bytePiece(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`;
}

/** The packed key of an adjacent pair of ids. */
export function pairKey(left: number, right: number): number {
  return left * PAIR_KEY_BASE + right;
}

/** Checks extra special tokens and returns them as a fresh array; `where` names the caller in errors. */
export function validateSpecials(specials: unknown, where: string): string[] {
  if (!Array.isArray(specials)) throw new Error(`${where}: specials must be an array of strings like "<mask>", got ${typeof specials}`);
  const seen = new Set<string>(FIXED_SPECIALS);
  return specials.map((s: unknown, i) => {
    // The angle brackets keep specials apart from single characters of the alphabet.
    if (typeof s !== "string" || !/^<\S+>$/.test(s)) {
      throw new Error(`${where}: specials[${i}] must be a string "<name>" without spaces, got ${JSON.stringify(s)}`);
    }
    if (BYTE_PIECE.test(s)) throw new Error(`${where}: specials[${i}] = "${s}" clashes with a byte piece`);
    if (seen.has(s)) throw new Error(`${where}: specials[${i}] = "${s}" is a duplicate or a fixed special (${FIXED_SPECIALS.join(", ")})`);
    seen.add(s);
    return s;
  });
}

/** The pieces before the alphabet: fixed specials, extra specials, then the 256 bytes. */
export function pieceBase(specials: readonly string[]): string[] {
  const pieces = [...FIXED_SPECIALS, ...specials];
  for (let b = 0; b < 256; b++) pieces.push(bytePiece(b));
  return pieces;
}
