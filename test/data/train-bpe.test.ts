import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/util/rng";
import { BpeTokenizerJson, FIXED_SPECIALS, bytePiece, normalizeText, splitWords, trainBpe } from "../../src/data/tokenizer";
import { brownSentences, spanishSentences } from "./fixtures";

/**
 * Reference trainer: recounts every pair of every word before each merge, the textbook loop.
 * It shares only the alphabet with the fast trainer, and must produce the same merges.
 */
function referenceMerges(texts: readonly string[], json: BpeTokenizerJson, maxMerges: number, minFrequency: number) {
  const wordCounts = new Map<string, number>();
  for (const t of texts) for (const w of splitWords(normalizeText(t))) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const pieces = [...FIXED_SPECIALS, ...json.specials, ...Array.from({ length: 256 }, (_, b) => bytePiece(b)), ...json.alphabet];
  const markerId = pieces.indexOf("\u2581");
  const charId = (ch: string): number => (json.alphabet.indexOf(ch) > 0 ? markerId + json.alphabet.indexOf(ch) : -1);
  const words = [...wordCounts.keys()].map((w) => [markerId, ...[...w].map(charId)]);
  const freqs = [...wordCounts.values()];
  const merges: [string, string][] = [];
  while (merges.length < maxMerges) {
    const counts = new Map<string, number>();
    words.forEach((s, w) => {
      for (let i = 0; i + 1 < s.length; i++) if (s[i] >= 0 && s[i + 1] >= 0) counts.set(`${s[i]},${s[i + 1]}`, (counts.get(`${s[i]},${s[i + 1]}`) ?? 0) + freqs[w]);
    });
    const ranked = [...counts].map(([k, n]) => [...k.split(",").map(Number), n]).filter(([, , n]) => n >= minFrequency);
    ranked.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    const best = ranked.find(([a, b]) => !pieces.includes(pieces[a] + pieces[b]));
    if (best === undefined) break;
    const [a, b] = best;
    const c = pieces.length;
    pieces.push(pieces[a] + pieces[b]);
    merges.push([pieces[a], pieces[b]]);
    for (const s of words) {
      const out: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          out.push(c);
          i++;
        } else out.push(s[i]);
      }
      s.splice(0, s.length, ...out);
    }
  }
  const segmentation = new Map([...wordCounts.keys()].map((w, i) => [w, words[i].map((id) => pieces[id])]));
  return { merges, segmentation };
}

test("the incremental trainer makes the same merges as a full recount, and encode reproduces training segmentations", () => {
  const texts = brownSentences(2);
  const tok = trainBpe(texts, { vocabSize: 900, minFrequency: 2 });
  const json = tok.toJSON();
  const maxMerges = 900 - (4 + 256 + json.alphabet.length);
  const ref = referenceMerges(texts, json, maxMerges, 2);
  assert.deepEqual(json.merges, ref.merges);
  for (const [word, pieces] of ref.segmentation) {
    if ([...word].every((ch) => json.alphabet.includes(ch))) assert.deepEqual(tok.encode(word).map((id) => tok.pieceOf(id)), pieces, word);
  }
});

test("on random small-alphabet corpora (runs like 'aaaa' that overlap) both trainers agree", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 40; trial++) {
    const letters = "aab" + "c".repeat(trial % 3);
    const texts = Array.from({ length: 25 }, () =>
      Array.from({ length: 1 + rng.int(5) }, () => Array.from({ length: 1 + rng.int(7) }, () => rng.choice([...letters])).join("")).join(" "),
    );
    const minFrequency = 1 + rng.int(2);
    const tok = trainBpe(texts, { vocabSize: 400, minFrequency, minCharFrequency: 1 });
    const json = tok.toJSON();
    const ref = referenceMerges(texts, json, 400, minFrequency);
    assert.deepEqual(json.merges, ref.merges, `trial ${trial}`);
    for (const [word, pieces] of ref.segmentation) assert.deepEqual(tok.encode(word).map((id) => tok.pieceOf(id)), pieces);
  }
});

test("training is deterministic and independent of the order of the texts", () => {
  const texts = [...brownSentences(3), ...spanishSentences];
  const a = JSON.stringify(trainBpe(texts, { vocabSize: 1200 }));
  const b = JSON.stringify(trainBpe(texts, { vocabSize: 1200 }));
  const c = JSON.stringify(trainBpe(new Rng(5).shuffle(texts), { vocabSize: 1200 }));
  assert.equal(a, b);
  assert.equal(a, c);
});

test("the vocabulary has exactly vocabSize ids when the data allows it, fewer when pairs run out", () => {
  const texts = brownSentences(20);
  assert.equal(trainBpe(texts, { vocabSize: 2000 }).vocabSize, 2000);
  // "ab ab ab" has only the pairs (▁,a) and (▁a,b): 4 + 256 + 3 alphabet + 2 merges.
  assert.equal(trainBpe(["ab ab ab"], { vocabSize: 1000 }).vocabSize, 265);
  // A vocabulary too small for the alphabet keeps the most frequent characters; the rest are bytes.
  const tiny = trainBpe(["aaa bb c"], { vocabSize: 262, minCharFrequency: 1 });
  assert.deepEqual(tiny.toJSON().alphabet, ["\u2581", "a"]);
  assert.equal(tiny.decode(tiny.encode("cab")), "cab");
});

test("merges compress: fewer than 2 tokens per word on the training data at vocab 2000", () => {
  const texts = brownSentences(30);
  const tok = trainBpe(texts, { vocabSize: 2000 });
  let words = 0;
  let tokens = 0;
  for (const t of texts) {
    words += splitWords(normalizeText(t)).length;
    tokens += tok.encode(t).length;
  }
  assert.ok(tokens / words < 2, `mean tokens per word ${tokens / words}`);
  assert.ok(tok.idOf("\u2581the") !== undefined, "a frequent word is one piece");
});

test("trainBpe rejects bad options with the field and its allowed range", () => {
  assert.throws(() => trainBpe(["a b"], { vocabSize: 100 }), /vocabSize must be an integer in \[261, 2097152\], got 100/);
  assert.throws(() => trainBpe(["a b"], { vocabSize: 300, minFrequency: 0 }), /minFrequency must be an integer >= 1, got 0/);
  assert.throws(() => trainBpe(["a b"], { vocabSize: 300, minCharFrequency: 1.5 }), /minCharFrequency/);
  assert.throws(() => trainBpe(["a", 3 as unknown as string], { vocabSize: 300 }), /texts\[1\] must be a string/);
  assert.throws(() => trainBpe(["a"], { vocabSize: 300, specials: ["mask"] }), /specials\[0\] must be a string "<name>"/);
  assert.throws(() => trainBpe(["a"], { vocabSize: 300, specials: ["<s>"] }), /specials\[0\] = "<s>" is a duplicate or a fixed special/);
  assert.throws(() => trainBpe(["a"], { vocabSize: 300, specials: ["<0x41>"] }), /clashes with a byte piece/);
});
