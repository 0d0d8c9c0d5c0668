/**
 * The BPE merge loop (Sennrich et al., 2016, "Neural Machine Translation of Rare Words with
 * Subword Units"), made incremental as in production trainers: pair counts are kept across
 * merges and only the words that contain the merged pair are touched, found through a
 * pair → words index, instead of recounting the corpus after every merge. Each merge picks the
 * most frequent pair, ties broken by the smaller (left id, right id), so training is deterministic
 * and independent of the order of the texts.
 */
import { PairHeap } from "./pair-heap";
import { PAIR_KEY_BASE, pairKey } from "./vocab";

/** Inputs of the merge loop; the caller has validated them. */
export interface MergeProblem {
  /** Each distinct word as ids; -1 marks a character outside the alphabet, which never pairs. */
  readonly words: number[][];
  /** How often each word occurs. */
  readonly freqs: readonly number[];
  /** Pieces so far, by id; merged pieces are appended. */
  readonly pieces: string[];
  /** At most this many merges are made. */
  readonly maxMerges: number;
  /** A pair seen fewer times than this is never merged. */
  readonly minFrequency: number;
}

/** Runs the merge loop; returns the merges as (left id, right id), new pieces appended to `pieces`. */
export function learnMerges(problem: MergeProblem): Array<[number, number]> {
  const { words, freqs, pieces, maxMerges, minFrequency } = problem;
  const taken = new Set(pieces);
  const counts = new Map<number, number>();
  // Lists may hold a word twice or a word that lost the pair; the per-merge stamp skips those.
  const where = new Map<number, number[]>();

  for (let w = 0; w < words.length; w++) {
    const s = words[w];
    for (let i = 0; i + 1 < s.length; i++) {
      if (s[i] < 0 || s[i + 1] < 0) continue;
      const key = pairKey(s[i], s[i + 1]);
      counts.set(key, (counts.get(key) ?? 0) + freqs[w]);
      const list = where.get(key);
      if (list === undefined) where.set(key, [w]);
      else if (list[list.length - 1] !== w) list.push(w);
    }
  }
  const heap = new PairHeap();
  for (const [key, n] of counts) if (n >= minFrequency) heap.push(n, key);

  const merges: Array<[number, number]> = [];
  const stamp = new Int32Array(words.length).fill(-1);
  let newKeys: number[] = [];
  let f = 0;
  let w = 0;
  const dec = (left: number, right: number): void => {
    if (left < 0 || right < 0) return;
    const key = pairKey(left, right);
    counts.set(key, counts.get(key)! - f);
  };
  const inc = (left: number, right: number): void => {
    if (left < 0 || right < 0) return;
    const key = pairKey(left, right);
    const n = counts.get(key);
    // New pairs always contain the new piece, so they are fresh keys; their counts only fall later.
    if (n === undefined) {
      counts.set(key, f);
      newKeys.push(key);
      where.set(key, [w]);
    } else {
      counts.set(key, n + f);
      const list = where.get(key)!;
      if (list[list.length - 1] !== w) list.push(w);
    }
  };

  while (merges.length < maxMerges && heap.size > 0) {
    const key = heap.topKey;
    const stored = heap.topCount;
    heap.pop();
    const live = counts.get(key) ?? 0;
    if (live !== stored) {
      if (live >= minFrequency) heap.push(live, key);
      continue;
    }
    const a = Math.floor(key / PAIR_KEY_BASE);
    const b = key - a * PAIR_KEY_BASE;
    const piece = pieces[a] + pieces[b];
    // Pieces must stay unique, so that ids are unambiguous and encode's rank order equals the
    // training order. A second merge path to an existing string ("a"+"bc" after "ab"+"c") was never
    // seen on real or random corpora, but nothing here rules it out, so such a pair is skipped.
    if (taken.has(piece)) continue;
    const c = pieces.length;
    pieces.push(piece);
    taken.add(piece);
    merges.push([a, b]);

    newKeys = [];
    for (const wi of where.get(key)!) {
      if (stamp[wi] === c) continue;
      stamp[wi] = c;
      w = wi;
      f = freqs[wi];
      mergeInWord(words[wi], a, b, c, dec, inc);
    }
    counts.delete(key);
    where.delete(key);
    for (const k of newKeys) {
      const n = counts.get(k)!;
      if (n >= minFrequency) heap.push(n, k);
    }
  }
  return merges;
}

/**
 * Replaces each left-to-right occurrence of (a, b) in s by c, in place, reporting the changed
 * neighbour pairs. For ... x a b y ... the pairs (x,a), (b,y) go and (x,c), (c,y) come; when the
 * next occurrence starts right at y, its own left-neighbour step accounts for (b,a) → (c,c).
 */
function mergeInWord(
  s: number[],
  a: number,
  b: number,
  c: number,
  dec: (l: number, r: number) => void,
  inc: (l: number, r: number) => void,
): void {
  const n = s.length;
  let i = 0;
  let j = 0;
  let prevOld = -1; // the old symbol at i - 1, which may already be overwritten
  while (i < n) {
    if (i + 1 < n && s[i] === a && s[i + 1] === b) {
      if (i > 0) {
        dec(prevOld, a);
        inc(s[j - 1], c);
      }
      if (i + 2 < n && !(i + 3 < n && s[i + 2] === a && s[i + 3] === b)) {
        dec(b, s[i + 2]);
        inc(c, s[i + 2]);
      }
      prevOld = b;
      s[j++] = c;
      i += 2;
    } else {
      prevOld = s[i];
      s[j++] = s[i++];
    }
  }
  s.length = j;
}
