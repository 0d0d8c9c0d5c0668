/**
 * Decoding ids back to text. Pieces are joined with each "▁" read as a space, runs of byte pieces
 * are decoded together as UTF-8 (a character spelled in bytes spans several ids), control tokens
 * are dropped, and the space that the first word's marker stands for is removed.
 */
import { BuiltVocab } from "./build-vocab";
import { UNK_ID, UNK_TEXT } from "./vocab";

// Not fatal: an invalid byte run (only possible for ids that encode never emits) becomes U+FFFD.
const utf8 = new TextDecoder("utf-8");

/** The text of a sequence of ids; ids are trusted to lie in [0, vocab size). */
export function decodeIds(ids: ArrayLike<number>, vocab: BuiltVocab): string {
  const { pieceTexts, byteBase, markerId } = vocab;
  const parts: string[] = [];
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) parts.push(utf8.decode(Uint8Array.from(bytes)));
    bytes = [];
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id >= byteBase && id < markerId) {
      bytes.push(id - byteBase);
      continue;
    }
    flush();
    if (id === UNK_ID) parts.push(UNK_TEXT);
    else if (id >= markerId) parts.push(pieceTexts[id]);
    // Other ids below byteBase are pad, bos, eos or extra specials: control tokens, not text.
  }
  flush();
  const text = parts.join("");
  return text.startsWith(" ") ? text.slice(1) : text;
}
