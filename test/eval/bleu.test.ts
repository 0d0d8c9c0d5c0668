import { test } from "node:test";
import assert from "node:assert/strict";
import { bleuFromStats, bleuSegmentStats, corpusBleu, sentenceBleu } from "../../src/eval/bleu";

/** Asserts |actual - expected| <= tol; hand-computed vectors use 0.01 BLEU. */
function close(actual: number, expected: number, tol = 0.01): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected} ± ${tol}, got ${actual}`);
}

// Hand-built vectors. Every expected value below was also checked against sacreBLEU 2.6.0.

test("a perfect match scores 100", () => {
  // 6 tokens: n-grams of order 1..4 number 6, 5, 4, 3 and all match; p_n = 100%, BP = 1.
  const r = corpusBleu(["the cat sat on the mat"], [["the cat sat on the mat"]]);
  assert.deepEqual(r.counts, [6, 5, 4, 3]);
  assert.deepEqual(r.totals, [6, 5, 4, 3]);
  assert.deepEqual(r.precisions, [100, 100, 100, 100]);
  assert.equal(r.bp, 1);
  close(r.score, 100);
});

test("a hypothesis shorter than its reference pays the brevity penalty", () => {
  // hyp "the cat sat on the" (5) is a prefix of the 6-token ref: counts = totals = [5, 4, 3, 2], p_n = 100%.
  // BP = exp(1 - 6/5) = exp(-0.2) = 0.818731; BLEU = 100 * 0.818731 = 81.87.
  const r = corpusBleu(["the cat sat on the"], [["the cat sat on the mat"]]);
  assert.deepEqual([r.sysLen, r.refLen], [5, 6]);
  assert.deepEqual(r.counts, [5, 4, 3, 2]);
  close(r.bp, 0.818731, 1e-6);
  close(r.score, 81.87);
});

test("zero 4-gram matches are smoothed by exp, and give 0 without smoothing", () => {
  // hyp: the quick brown red fox jumps over (7); ref: the quick brown fox jumps over (6).
  // 1-grams: 6 of 7 match (not "red"). 2-grams: the-quick, quick-brown, fox-jumps, jumps-over = 4 of 6.
  // 3-grams: the-quick-brown, fox-jumps-over = 2 of 5. 4-grams: 0 of 4.
  // exp: the first zero order gets 1/(2 * total) = 1/8 = 12.5%.
  // BLEU = 100 * (6/7 * 4/6 * 2/5 * 1/8)^(1/4) = 100 * (1/35)^(1/4) = 41.11; BP = 1 since 7 > 6.
  const hyp = ["the quick brown red fox jumps over"];
  const refs = [["the quick brown fox jumps over"]];
  const r = corpusBleu(hyp, refs);
  assert.deepEqual(r.counts, [6, 4, 2, 0]);
  assert.deepEqual(r.totals, [7, 6, 5, 4]);
  close(r.precisions[3], 12.5, 1e-9);
  close(r.score, 41.11);
  // No smoothing: p4 = 0 and sacreBLEU's floored log makes the score 0.
  close(corpusBleu(hyp, refs, { smoothMethod: "none" }).score, 0, 1e-9);
});

test("exp smoothing halves again for each further zero order", () => {
  // Stats: counts [2, 1, 0, 0], totals [4, 3, 2, 1]: p3 = 1/(2*2) = 25%, p4 = 1/(4*1) = 25%.
  // BLEU = 100 * (2/4 * 1/3 * 1/4 * 1/4)^(1/4) = 100 * (1/96)^(1/4) = 31.95.
  const r = bleuFromStats([{ sysLen: 4, refLen: 4, counts: [2, 1, 0, 0], totals: [4, 3, 2, 1] }]);
  assert.deepEqual(r.precisions.map((p) => Math.round(p * 100) / 100), [50, 33.33, 25, 25]);
  close(r.score, 31.95);
});

test("n-gram counts are clipped by the largest count in any one reference", () => {
  // hyp "the the the the"; ref1 has "the" once, ref2 twice, so "the" is clipped at 2: 2 of 4.
  // "the the" x3 in hyp, once in ref2: 1 of 3; "the the the": 0 of 2; 4-gram: 0 of 1.
  // Both refs have 4 tokens: refLen 4, BP 1. Same stats as the test above: 31.95.
  const r = corpusBleu(["the the the the"], [["the cat is here"], ["the the cat sat"]]);
  assert.deepEqual(r.counts, [2, 1, 0, 0]);
  assert.deepEqual(r.totals, [4, 3, 2, 1]);
  close(r.score, 31.95);
});

test("with several references the closest length counts, the shorter on a tie", () => {
  // hyp "a b c d" (4) is all in ref2, so p_n = 100%. Refs of 3 and 5 tokens are both 1 away:
  // the tie goes to 3, so BP = 1 and BLEU = 100 (choosing 5 would give exp(1 - 5/4) = 77.88).
  const tie = corpusBleu(["a b c d"], [["a b c"], ["a b c d e"]]);
  assert.equal(tie.refLen, 3);
  close(tie.score, 100);
  // Refs of 2 and 5 tokens: 5 is closer (1 vs 2), BP = exp(1 - 5/4) = exp(-0.25) = 0.778801: 77.88.
  const far = corpusBleu(["a b c d"], [["a b"], ["a b c d e"]]);
  assert.equal(far.refLen, 5);
  close(far.score, 77.88);
});

test("13a tokenisation splits punctuation before matching", () => {
  // "Hello, world." -> Hello , world .   and   "Hello , world ." tokenizes to the same 4 tokens: 100.
  close(corpusBleu(["Hello, world."], [["Hello , world ."]]).score, 100);
  // Against "Hello, world!": 1-grams 3/4, 2-grams 2/3 (Hello-, ,-world), 3-grams 1/2, 4-grams 0/1 -> 1/(2*1).
  // BLEU = 100 * (3/4 * 2/3 * 1/2 * 1/2)^(1/4) = 100 * 0.125^(1/4) = 59.46.
  const r = corpusBleu(["Hello, world."], [["Hello, world!"]]);
  assert.deepEqual(r.counts, [3, 2, 1, 0]);
  close(r.score, 59.46);
});

test("a number with comma and period stays one token", () => {
  // hyp tokens: It costs 3,000.50 dollars . (5); ref "It costs 3,000 . 50 dollars." -> It costs 3,000 . 50 dollars . (7).
  // 1-grams 4/5 (not 3,000.50); 2-grams It-costs, dollars-. = 2/4; 3-grams 0/3 -> 1/(2*3); 4-grams 0/2 -> 1/(4*2).
  // Mean: (4/5 * 2/4 * 1/6 * 1/8)^(1/4) = (1/120)^(1/4) = 0.302147; BP = exp(1 - 7/5) = 0.670320.
  // BLEU = 100 * 0.670320 * 0.302147 = 20.25.
  const r = corpusBleu(["It costs 3,000.50 dollars ."], [["It costs 3,000 . 50 dollars."]]);
  assert.deepEqual([r.sysLen, r.refLen], [5, 7]);
  assert.deepEqual(r.counts, [4, 2, 0, 0]);
  close(r.score, 20.25);
});

test("an empty hypothesis scores 0 with BP 0 and is kept in the corpus", () => {
  const r = corpusBleu([""], [["a b c"]]);
  assert.deepEqual([r.sysLen, r.refLen], [0, 3]);
  assert.deepEqual(r.counts, [0, 0, 0, 0]);
  assert.deepEqual(r.totals, [0, 0, 0, 0]);
  assert.equal(r.bp, 0);
  assert.equal(r.score, 0);
});

test("corpus BLEU pools n-gram statistics over segments", () => {
  // seg1 "a b c" matches fully: counts [3, 2, 1, 0], totals [3, 2, 1, 0].
  // seg2 "d e f g" vs "d e f h": counts [3, 2, 1, 0], totals [4, 3, 2, 1].
  // Pooled: counts [6, 4, 2, 0], totals [7, 5, 3, 1]; p4 = 1/(2*1); lengths 7 = 7, BP 1.
  // BLEU = 100 * (6/7 * 4/5 * 2/3 * 1/2)^(1/4) = 100 * 0.228571^(1/4) = 69.14.
  const hyps = ["a b c", "d e f g"];
  const refs = [["a b c", "d e f h"]];
  const r = corpusBleu(hyps, refs);
  assert.deepEqual(r.counts, [6, 4, 2, 0]);
  assert.deepEqual(r.totals, [7, 5, 3, 1]);
  close(r.score, 69.14);
  // Segment statistics re-summed give the same score, also for a resample that repeats a segment.
  const segs = bleuSegmentStats(hyps, refs);
  assert.deepEqual(bleuFromStats(segs), r);
  const resampled = bleuFromStats([segs[1], segs[1]]);
  assert.deepEqual(resampled.counts, [6, 4, 2, 0]);
  assert.deepEqual(resampled.totals, [8, 6, 4, 2]);
});

test("sentence BLEU uses the effective order; corpus BLEU does not", () => {
  // "the cat" vs "the cat sat": counts [2, 1, 0, 0], totals [2, 1, 0, 0]. No 3-grams exist, so the
  // effective order is 2: BLEU = 100 * BP * (1 * 1)^(1/2), BP = exp(1 - 3/2) = 0.606531: 60.65.
  close(sentenceBleu("the cat", ["the cat sat"]).score, 60.65);
  // Without the effective order p3 = p4 = 0 and the score is 0.
  close(corpusBleu(["the cat"], [["the cat sat"]]).score, 0, 1e-9);
});

test("lowercase compares case-insensitively", () => {
  assert.equal(corpusBleu(["The Cat Sat On"], [["the cat sat on"]]).score, 0);
  close(corpusBleu(["The Cat Sat On"], [["the cat sat on"]], { lowercase: true }).score, 100);
});

test('an empty reference "" has length 0; null marks a missing reference', () => {
  // "x" (1 token) vs refs of 2 and 0 tokens: both 1 away, the tie goes to the shorter, 0.
  assert.equal(corpusBleu(["x"], [["a b"], [""]]).refLen, 0);
  assert.equal(corpusBleu(["x"], [["a b"], [null]]).refLen, 2);
});

test("arguments are validated with the argument named", () => {
  assert.throws(() => corpusBleu([], [[]]), /hypotheses must be a non-empty array/);
  assert.throws(() => corpusBleu(["a", "b"], [["a"]]), /references\[0\] has 1 segments but hypotheses has 2/);
  assert.throws(() => corpusBleu(["a"], []), /at least one reference stream/);
  assert.throws(() => corpusBleu(["a"], [[null]]), /segment 0 has no reference/);
  assert.throws(() => corpusBleu(["a"], [["a"]], { maxNgramOrder: 0 }), /options.maxNgramOrder is 0/);
  assert.throws(() => corpusBleu(["a"], [["a"]], { smoothMethod: "toString" as never }), /options.smoothMethod/);
  assert.throws(() => corpusBleu(["a"], [["a"]], { smoothValue: -1 }), /options.smoothValue is -1/);
  assert.throws(() => bleuFromStats([{ sysLen: 1, refLen: 1, counts: [1], totals: [1] }]), /stats\[0\] has 1 counts/);
});

// Published vectors from sacreBLEU's own tests, mjpost/sacrebleu test/test_bleu.py.
const README_REFS = [
  ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
  ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
];
const README_HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

test("sacreBLEU test_bleu.py: test_corpus_bleu_cases", () => {
  close(corpusBleu(README_HYPS, README_REFS).score, 48.530827, 1e-6);
  close(corpusBleu(["", "", ""], README_REFS).score, 0, 1e-6);
  close(corpusBleu(README_HYPS, README_REFS, { tokenize: "none" }).score, 49.1919566, 1e-6);
  close(corpusBleu(README_HYPS, README_REFS, { tokenize: "13a" }).score, 48.530827, 1e-6);
  close(corpusBleu(README_HYPS, README_REFS, { smoothMethod: "none" }).score, 48.530827, 1e-6);
});

test("sacreBLEU test_bleu.py: test_case_scoring (compute_bleu from statistics)", () => {
  const stats = { sysLen: 11, refLen: 11, counts: [9, 7, 5, 3], totals: [10, 8, 6, 4] };
  close(bleuFromStats([stats], { smoothMethod: "none" }).score / 100, 0.8375922397, 1e-8);
});

test("sacreBLEU test_bleu.py: effective order and raw_corpus_bleu (no tokenizer, floor 0.01)", () => {
  const raw = { tokenize: "none", smoothMethod: "floor", smoothValue: 0.01, effectiveOrder: true } as const;
  close(corpusBleu(["test"], [["a test"]], raw).score / 100, 0.3678794411714425, 1e-8);
  close(corpusBleu(["a test"], [["a test"]], raw).score / 100, 1.0, 1e-8);
  close(corpusBleu(["a little test"], [["a test"]], raw).score / 100, 0.03218297948685433, 1e-8);
  close(corpusBleu(["this is a test"], [["this is a test"]], raw).score / 100, 1.0, 1e-8);
  close(corpusBleu(["this is a fest"], [["this is a test"]], raw).score / 100, 0.223606797749979, 1e-8);
});

// mjpost/sacrebleu test/test_sentence_bleu.py (example from its issue #98), EPSILON 1e-3 there.
const SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
const REF = "producţia de zahăr brut se exprimă în zahăr alb;";

test("sacreBLEU test_sentence_bleu.py: smoothing methods and tokenizers", () => {
  close(sentenceBleu(SYS, [REF]).score, 8.493, 1e-3);
  close(sentenceBleu(SYS, [REF], { smoothMethod: "none" }).score, 0.0, 1e-3);
  close(sentenceBleu(SYS, [REF], { smoothMethod: "floor" }).score, 4.51688, 1e-3);
  close(sentenceBleu(SYS, [REF], { smoothMethod: "floor", smoothValue: 0.5 }).score, 10.1, 1e-3);
  close(sentenceBleu(SYS, [REF], { smoothMethod: "add-k" }).score, 14.882, 1e-3);
  close(sentenceBleu(SYS, [REF], { smoothMethod: "add-k", smoothValue: 2 }).score, 21.389, 1e-3);
  close(sentenceBleu(SYS, [REF], { tokenize: "none" }).score, 7.347, 1e-3);
  // Example from its issue #141: no match at all is 0 whatever the smoothing.
  close(sentenceBleu("this is a cat", ["okay thanks"]).score, 0, 1e-3);
  close(sentenceBleu("this is a cat", ["okay thanks"], { smoothMethod: "add-k" }).score, 0, 1e-3);
});
