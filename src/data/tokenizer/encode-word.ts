/**
 * Encoding one word with learned merges: spell it as the marker plus alphabet characters (bytes for
 * the rest), then repeatedly apply the lowest-ranked merge present, left to right. Because every
 * merge makes a new, unique piece, this reproduces exactly the segmentation the word had at the
 * end of training.
 */
import { BuiltVocab } from "./build-vocab";
import { pairKey } from "./vocab";

const utf8 = new TextEncoder();

/** The ids of one word (no spaces), word-start marker included. */
export function encodeWord(word: string, vocab: BuiltVocab): number[] {
  const s = [vocab.markerId];
  for (const ch of word) {
    const id = vocab.charToId.get(ch);
    if (id !== undefined) s.push(id);
    else for (const byte of utf8.encode(ch)) s.push(vocab.byteBase + byte);
  }
  const { mergeRank, mergeBase } = vocab;
  for (;;) {
    let bestRank = Infinity;
    let a = -1;
    let b = -1;
    for (let i = 0; i + 1 < s.length; i++) {
      const rank = mergeRank.get(pairKey(s[i], s[i + 1]));
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        a = s[i];
        b = s[i + 1];
      }
    }
    if (a < 0) return s;
    const c = mergeBase + bestRank;
    let j = 0;
    for (let i = 0; i < s.length; ) {
      if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
        s[j++] = c;
        i += 2;
      } else {
        s[j++] = s[i++];
      }
    }
    s.length = j;
  }
}
