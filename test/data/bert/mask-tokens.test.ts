import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../../src/util/rng";
import { IGNORE_LABEL, bertInput, bertVocab, isSpecialId, maskTokens, maskingDefaults, numToMask } from "../../../src/data/bert/index";

// A tokenizer layout like the prepared Brown one: 4 control tokens, no extra specials, 2000 ids.
const vocab = bertVocab({ vocabSize: 2000, specials: [] });

// Sequences as BERT sees them, [CLS] A [SEP] B [SEP] [PAD]..., with lengths 1..120 per sentence.
function sample(n: number, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  const word = () => vocab.firstOrdinaryId + rng.int(vocab.tokenizerVocabSize - vocab.firstOrdinaryId);
  return Array.from({ length: n }, () => {
    const a = Array.from({ length: 1 + rng.int(120) }, word);
    const b = Array.from({ length: 1 + rng.int(60) }, word);
    const { ids } = bertInput(vocab, a, b, 512);
    return Int32Array.from([...ids, ...new Array(rng.int(5)).fill(vocab.padId)]);
  });
}

test("BERT specials reuse the tokenizer's pad/bos/eos/unk and reserve [MASK] past its ids unless it has <mask>", () => {
  assert.deepEqual({ ...vocab }, { padId: 0, clsId: 1, sepId: 2, unkId: 3, maskId: 2000, tokenizerVocabSize: 2000, vocabSize: 2001, firstOrdinaryId: 4 });
  const own = bertVocab({ vocabSize: 300, specials: ["<x>", "<mask>"] });
  assert.equal(own.maskId, 5);
  assert.equal(own.vocabSize, 300);
  assert.equal(own.firstOrdinaryId, 6);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 299].map((id) => isSpecialId(own, id)), [true, true, true, true, true, true, false, false]);
  assert.throws(() => bertVocab({ vocabSize: 4, specials: [] }), /tokenizer.vocabSize must be an integer > 4 \(its special ids\), got 4/);
});

test("over 4000 sequences: 15% of maskable positions chosen, 80/10/10 among them, specials never chosen", () => {
  const rng = new Rng(7);
  let maskable = 0;
  let chosen = 0;
  const kinds = { mask: 0, random: 0, kept: 0 };
  for (const ids of sample(4000, 1)) {
    const m = maskTokens(ids, vocab, rng);
    const seqMaskable = Array.from(ids).filter((id) => !isSpecialId(vocab, id)).length;
    // The count is exact per sequence, BERT's max(1, round(0.15 n)).
    assert.equal(m.numChosen, numToMask(seqMaskable, 0.15));
    assert.ok(m.numChosen >= 1);
    maskable += seqMaskable;
    for (let p = 0; p < ids.length; p++) {
      if (isSpecialId(vocab, ids[p])) {
        assert.equal(m.labels[p], IGNORE_LABEL, `special at ${p} chosen`);
        assert.equal(m.inputIds[p], ids[p], `special at ${p} changed`);
        continue;
      }
      if (m.labels[p] === IGNORE_LABEL) {
        assert.equal(m.inputIds[p], ids[p]);
        continue;
      }
      chosen++;
      assert.equal(m.labels[p], ids[p]);
      if (m.inputIds[p] === vocab.maskId) kinds.mask++;
      else if (m.inputIds[p] === ids[p]) kinds.kept++;
      else {
        kinds.random++;
        assert.ok(!isSpecialId(vocab, m.inputIds[p]) && m.inputIds[p] < vocab.tokenizerVocabSize, `random replacement ${m.inputIds[p]} is special`);
      }
    }
  }
  // ~360k maskable positions; the exact per-sequence count leaves only rounding (and the
  // at-least-one rule on short sequences): well within 0.3%.
  assert.ok(Math.abs(chosen / maskable - 0.15) < 0.003, `chosen ${chosen / maskable}`);
  // ~54k chosen: 4.5 binomial standard deviations are 0.0077 around 0.8 and 0.0058 around 0.1.
  assert.ok(Math.abs(kinds.mask / chosen - 0.8) < 0.0077, `mask ${kinds.mask / chosen}`);
  assert.ok(Math.abs(kinds.random / chosen - 0.1) < 0.0058, `random ${kinds.random / chosen}`);
  assert.ok(Math.abs(kinds.kept / chosen - 0.1) < 0.0058, `kept ${kinds.kept / chosen}`);
});

test("a sequence with one maskable token always predicts it; one with none predicts nothing", () => {
  const one = maskTokens([1, 57, 2, 0], vocab, new Rng(3));
  assert.deepEqual(Array.from(one.labels), [IGNORE_LABEL, 57, IGNORE_LABEL, IGNORE_LABEL]);
  const none = maskTokens([1, 2, vocab.maskId, 0], vocab, new Rng(3));
  assert.equal(none.numChosen, 0);
  assert.deepEqual(Array.from(none.inputIds), [1, 2, vocab.maskId, 0]);
});

test("masking is a function of the seed, and other seeds choose otherwise", () => {
  const ids = sample(1, 2)[0];
  const run = (seed: number) => maskTokens(ids, vocab, new Rng(seed));
  assert.deepEqual(run(11), run(11));
  assert.notDeepEqual(run(11).labels, run(12).labels);
});

test("bad ids and rates fail naming the field, the value and the range", () => {
  assert.throws(() => maskTokens([1, 2001, 2], vocab, new Rng(1)), /ids\[1\] must be an integer in \[0, 2000\], got 2001/);
  assert.throws(() => maskTokens([1, 5, 2], vocab, new Rng(1), { maskRate: 0 }), /maskRate must be in \(0, 1\], got 0/);
  assert.throws(() => maskTokens([1, 5, 2], vocab, new Rng(1), { randomTokenRate: 0.3 }), /randomTokenRate must be in \[0, 1 - maskTokenRate\]/);
  assert.equal(maskingDefaults.maskRate, 0.15);
});

test("bertInput wraps one or two sentences, truncating the longer one first", () => {
  const single = bertInput(vocab, [10, 11, 12], null, 8);
  assert.deepEqual(Array.from(single.ids), [1, 10, 11, 12, 2]);
  assert.deepEqual(Array.from(single.segments), [0, 0, 0, 0, 0]);
  const pair = bertInput(vocab, [10, 11, 12, 13, 14], [20, 21], 8);
  assert.deepEqual(Array.from(pair.ids), [1, 10, 11, 12, 2, 20, 21, 2]);
  assert.deepEqual(Array.from(pair.segments), [0, 0, 0, 0, 0, 1, 1, 1]);
  assert.throws(() => bertInput(vocab, [10], [vocab.maskId], 8), /idsB\[0\] must be a tokenizer id in \[0, 1999\], got 2000/);
});
