import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/util/rng";
import { BOS_ID, EOS_ID, PAD_ID } from "../../src/data/tokenizer";
import {
  ParallelExample,
  TranslationBatch,
  collateTranslation,
  planTranslationBatches,
  translationBatches,
} from "../../src/data/batching";

/** Random examples with ids >= 4 (never a special) and lengths 1..maxLen. */
function randomExamples(n: number, seed: number, maxLen = 30): ParallelExample[] {
  const rng = new Rng(seed);
  const seq = (): number[] => Array.from({ length: 1 + rng.int(maxLen) }, () => 4 + rng.int(100));
  return Array.from({ length: n }, () => ({ src: seq(), tgt: seq() }));
}

/** Reads row r of a [rows, len] buffer. */
const row = (buf: ArrayLike<number>, len: number, r: number): number[] => Array.from(buf).slice(r * len, (r + 1) * len);

const examples = randomExamples(500, 1);
const plan = planTranslationBatches(examples, { maxTokens: 256, maxSentences: 16, seed: 7 });

test("every example appears exactly once per epoch", () => {
  for (const epoch of [0, 1]) {
    const seen = translationBatches(examples, plan, { epoch }).flatMap((b) => Array.from(b.exampleIds));
    assert.deepEqual(seen.sort((a, b) => a - b), examples.map((_, i) => i));
  }
});

test("no batch exceeds maxTokens (rows x padded length) or maxSentences", () => {
  for (const b of translationBatches(examples, plan, { epoch: 0 })) {
    assert.ok(b.rows * b.srcLen <= 256 && b.rows * b.tgtLen <= 256, `${b.rows} x (${b.srcLen}, ${b.tgtLen})`);
    assert.ok(b.rows <= 16);
  }
});

test("rows are teacher-forcing pairs with exact padding and masks", () => {
  const check = (b: TranslationBatch): void => {
    assert.equal(b.srcIds.length, b.rows * b.srcLen);
    assert.equal(b.tgtIn.length, b.rows * b.tgtLen);
    let targets = 0;
    for (let r = 0; r < b.rows; r++) {
      const { src, tgt } = examples[b.exampleIds[r]];
      const padS = b.srcLen - src.length;
      const padT = b.tgtLen - tgt.length - 1;
      assert.deepEqual(row(b.srcIds, b.srcLen, r), [...src, ...Array(padS).fill(PAD_ID)]);
      assert.deepEqual(row(b.srcMask, b.srcLen, r), [...Array(src.length).fill(1), ...Array(padS).fill(0)]);
      assert.deepEqual(row(b.tgtIn, b.tgtLen, r), [BOS_ID, ...tgt, ...Array(padT).fill(PAD_ID)]);
      assert.deepEqual(row(b.tgtOut, b.tgtLen, r), [...tgt, EOS_ID, ...Array(padT).fill(PAD_ID)]);
      assert.deepEqual(row(b.tgtMask, b.tgtLen, r), [...Array(tgt.length + 1).fill(1), ...Array(padT).fill(0)]);
      targets += tgt.length + 1;
    }
    assert.equal(b.numTargetTokens, targets);
    assert.equal(b.srcLen, Math.max(...Array.from(b.exampleIds, (i) => examples[i].src.length)));
  };
  translationBatches(examples, plan, { epoch: 3 }).forEach(check);
});

test("batches group similar target lengths, so padding stays small", () => {
  const batches = translationBatches(examples, plan, { epoch: 0 });
  const real = batches.reduce((n, b) => n + b.numTargetTokens, 0);
  const padded = batches.reduce((n, b) => n + b.rows * b.tgtLen, 0);
  assert.ok(real / padded > 0.95, `target fill ${real / padded}`);
  const planned = translationBatches(examples, plan, { epoch: 0, shuffle: false });
  for (let k = 1; k < planned.length; k++) assert.ok(planned[k].tgtLen >= planned[k - 1].tgtLen);
});

test("the same seed gives the same batches; another epoch another order; another seed other ties", () => {
  const again = planTranslationBatches(examples, { maxTokens: 256, maxSentences: 16, seed: 7 });
  assert.deepEqual(again, plan);
  const ids = (epoch: number, p = plan): number[][] => translationBatches(examples, p, { epoch }).map((b) => Array.from(b.exampleIds));
  assert.deepEqual(ids(2), ids(2));
  assert.notDeepEqual(ids(0), ids(1));
  assert.deepEqual([...ids(0)].sort(), [...ids(1)].sort(), "epochs reorder the same groups");
  const other = planTranslationBatches(examples, { maxTokens: 256, maxSentences: 16, seed: 8 });
  assert.notDeepEqual(other.batches, plan.batches);
});

test("maxLen truncates keeping eos on the target (and on a source that ends in eos)", () => {
  const exs: ParallelExample[] = [
    { src: [5, 6, 7, 8, 9, EOS_ID], tgt: [10, 11, 12, 13, 14, 15] },
    { src: [5, 6], tgt: [10] },
  ];
  const b = collateTranslation(exs, [0, 1], 4);
  assert.equal(b.srcLen, 4);
  assert.equal(b.tgtLen, 4);
  assert.deepEqual(row(b.srcIds, 4, 0), [5, 6, 7, EOS_ID]);
  assert.deepEqual(row(b.tgtIn, 4, 0), [BOS_ID, 10, 11, 12]);
  assert.deepEqual(row(b.tgtOut, 4, 0), [10, 11, 12, EOS_ID]);
  assert.deepEqual(row(b.tgtOut, 4, 1), [10, EOS_ID, PAD_ID, PAD_ID]);
  assert.deepEqual(row(b.tgtMask, 4, 1), [1, 1, 0, 0]);
  const p = planTranslationBatches(exs, { maxTokens: 8, maxLen: 4, seed: 1 });
  assert.equal(p.dropped.length, 0);
  assert.ok(translationBatches(exs, p, { epoch: 0 }).every((x) => x.srcLen <= 4 && x.tgtLen <= 4));
});

test('overlong: "drop" leaves long examples out and lists them', () => {
  const p = planTranslationBatches(examples, { maxTokens: 256, maxLen: 20, overlong: "drop", seed: 7 });
  const long = examples.flatMap((e, i) => (e.src.length > 20 || e.tgt.length + 1 > 20 ? [i] : []));
  assert.deepEqual(Array.from(p.dropped), long);
  const seen = translationBatches(examples, p, { epoch: 0 }).flatMap((b) => Array.from(b.exampleIds));
  assert.equal(seen.length + long.length, examples.length);
  assert.ok(seen.every((i) => !long.includes(i)));
});

test("bad options and examples fail with the field and the allowed range", () => {
  assert.throws(() => planTranslationBatches(examples, { maxTokens: 0, seed: 1 }), /maxTokens must be a positive integer, got 0/);
  assert.throws(() => planTranslationBatches(examples, { maxTokens: 64, maxSentences: 0, seed: 1 }), /maxSentences must be a positive integer/);
  assert.throws(() => planTranslationBatches(examples, { maxTokens: 64, maxLen: 1, seed: 1 }), /maxLen must be an integer >= 2/);
  assert.throws(() => planTranslationBatches(examples, { maxTokens: 64, seed: 0.5 }), /seed must be an integer/);
  assert.throws(() => planTranslationBatches(examples, { maxTokens: 16, seed: 1 }), /examples\[\d+\] has length \d+ > maxTokens 16/);
  assert.throws(() => planTranslationBatches([{ src: [], tgt: [4] }], { maxTokens: 16, seed: 1 }), /examples\[0\]\.src must have at least one token/);
  assert.throws(() => planTranslationBatches([{ src: [4], tgt: [-1] }], { maxTokens: 16, seed: 1 }), /examples\[0\]\.tgt\[0\] must be an integer in \[0, 2\^31 - 1\], got -1/);
  assert.throws(() => translationBatches(examples.slice(1), plan, { epoch: 0 }), /plan was made for 500 examples, got 499/);
  assert.throws(() => translationBatches(examples, plan, { epoch: -1 }), /epoch must be a non-negative integer/);
  assert.throws(() => collateTranslation(examples, [500]), /indices\[0\] must be an integer in \[0, 499\], got 500/);
});
