import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../../src/util/rng";
import { IGNORE_LABEL, bertInput, bertVocab, isSpecialId, maskedLmBatches, unigramBaselineLoss } from "../../../src/data/bert/index";
import type { TranslationBatch } from "../../../src/data/batching";

const vocab = bertVocab({ vocabSize: 500, specials: [] });

function sequences(n: number): Int32Array[] {
  const rng = new Rng(4);
  return Array.from({ length: n }, () => bertInput(vocab, Array.from({ length: 1 + rng.int(40) }, () => 4 + rng.int(496)), null, 64).ids);
}

test("batches pad to their longest sequence under the token budget and hold every sequence once", () => {
  const seqs = sequences(300);
  const batches = maskedLmBatches(seqs, { maxTokens: 256, vocab, rng: new Rng(1) });
  const seen = new Set<number>();
  for (const b of batches) {
    assert.ok(b.rows * b.seqLen <= 256);
    assert.equal(b.seqLen, Math.max(...Array.from(b.exampleIds, (i) => seqs[i].length)));
    let masked = 0;
    for (let r = 0; r < b.rows; r++) {
      const seq = seqs[b.exampleIds[r]];
      assert.ok(!seen.has(b.exampleIds[r]));
      seen.add(b.exampleIds[r]);
      for (let k = 0; k < b.seqLen; k++) {
        const p = r * b.seqLen + k;
        assert.equal(b.attentionMask[p], k < seq.length ? 1 : 0);
        assert.equal(b.labelMask[p], b.labels[p] === IGNORE_LABEL ? 0 : 1);
        if (k >= seq.length) assert.equal(b.inputIds[p], vocab.padId);
        if (k >= seq.length || isSpecialId(vocab, seq[k])) assert.equal(b.labels[p], IGNORE_LABEL);
        else if (b.labels[p] !== IGNORE_LABEL) assert.equal(b.labels[p], seq[k]);
        masked += b.labelMask[p];
      }
    }
    assert.equal(b.numMasked, masked);
  }
  assert.equal(seen.size, seqs.length);
});

test("the same seed gives the same batches and masks; the next epoch's stream masks anew", () => {
  const seqs = sequences(50);
  const flat = (rng: Rng) => maskedLmBatches(seqs, { maxTokens: 128, maxSentences: 4, vocab, rng }).flatMap((b) => [...b.exampleIds, ...b.inputIds]);
  assert.deepEqual(flat(new Rng(9)), flat(new Rng(9)));
  const rng = new Rng(9);
  assert.notDeepEqual(flat(rng), flat(rng));
  assert.ok(maskedLmBatches(seqs, { maxTokens: 1000, maxSentences: 4, vocab, rng: new Rng(9) }).every((b) => b.rows <= 4));
});

test("a sequence over the budget, or a bad budget, fails with the numbers", () => {
  const seqs = [Int32Array.from([1, 5, 6, 7, 2])];
  assert.throws(() => maskedLmBatches(seqs, { maxTokens: 4, vocab, rng: new Rng(1) }), /sequences\[0\] has length 5 > maxTokens 4/);
  assert.throws(() => maskedLmBatches(seqs, { maxTokens: 0, vocab, rng: new Rng(1) }), /maxTokens must be a positive integer, got 0/);
  assert.throws(() => maskedLmBatches([[1, 501, 2]], { maxTokens: 8, vocab, rng: new Rng(1) }), /sequences\[0\]\[1\] must be an integer in \[0, 500\], got 501/);
});

test("the unigram baseline is the cross entropy of the masked targets under add-one training frequencies, specials left out", () => {
  const special = [vocab.clsId, vocab.sepId].filter((id) => isSpecialId(vocab, id));
  const regular = Array.from({ length: vocab.vocabSize }, (_, id) => id).filter((id) => !isSpecialId(vocab, id)).length;
  const [a, b] = Array.from({ length: vocab.vocabSize }, (_, id) => id).filter((id) => !isSpecialId(vocab, id));
  const train = [Int32Array.from([vocab.clsId, a, a, a, b, vocab.sepId])];
  // Positions 1 and 2 masked (targets a and b), position 0 not: it must not count.
  const batch = { tgtOut: Int32Array.from([b, a, b]), tgtMask: Float32Array.from([0, 1, 1]) } as unknown as TranslationBatch;
  const expected = -(Math.log((3 + 1) / (4 + regular)) + Math.log((1 + 1) / (4 + regular))) / 2;
  assert.ok(special.length === 2);
  assert.ok(Math.abs(unigramBaselineLoss({ vocab, train, validBatches: [batch] }) - expected) < 1e-12);
  assert.throws(() => unigramBaselineLoss({ vocab, train, validBatches: [{ ...batch, tgtMask: new Float32Array(3) } as TranslationBatch] }), /no masked positions/);
});
