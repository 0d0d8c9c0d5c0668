/**
 * Corpus statistics for BPE training: how often each word occurs and which characters form the
 * alphabet. Training works on distinct words weighted by their count, so its cost grows with the
 * vocabulary of the corpus (~60k words for the Bible pair) rather than with its length (~1.7M).
 */
import { normalizeText, splitWords } from "./normalize";
import { WORD_START } from "./vocab";

/** Count of each distinct word (without marker) over normalised texts; `where` names the caller in errors. */
export function countWords(texts: Iterable<string>, where: string): Map<string, number> {
  const counts = new Map<string, number>();
  let i = 0;
  for (const text of texts) {
    if (typeof text !== "string") throw new Error(`${where}: texts[${i}] must be a string, got ${typeof text}`);
    for (const word of splitWords(normalizeText(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
    i++;
  }
  return counts;
}

/**
 * The alphabet: the word-start marker, then characters seen at least `minCount` times, most
 * frequent first (ties by code point), at most `maxSize` entries in all. A literal "▁" in the text
 * never joins the alphabet, so it cannot be confused with the marker; it is spelled in bytes.
 */
export function selectAlphabet(wordCounts: ReadonlyMap<string, number>, minCount: number, maxSize: number): string[] {
  const charCounts = new Map<string, number>();
  for (const [word, n] of wordCounts) {
    for (const ch of word) charCounts.set(ch, (charCounts.get(ch) ?? 0) + n);
  }
  charCounts.delete(WORD_START);
  const chars = [...charCounts].filter(([, n]) => n >= minCount);
  chars.sort((a, b) => b[1] - a[1] || a[0].codePointAt(0)! - b[0].codePointAt(0)!);
  return [WORD_START, ...chars.slice(0, Math.max(0, maxSize - 1)).map(([ch]) => ch)];
}
