import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/util/rng";
import { batchLanguageModel } from "../../src/data/batching";

// A stream whose token at position p is p, so every window can be traced back to its start.
const stream = Array.from({ length: 1000 }, (_, p) => p);

test("batches are [batchSize, seqLen] windows whose target is the input shifted by one", () => {
  const batches = batchLanguageModel(stream, { seqLen: 16, batchSize: 4, rng: new Rng(1) });
  assert.ok(batches.length >= 15);
  for (const b of batches) {
    assert.equal(b.input.length, 4 * 16);
    for (let r = 0; r < 4; r++) {
      const start = b.input[r * 16];
      for (let k = 0; k < 16; k++) {
        assert.equal(b.input[r * 16 + k], start + k);
        assert.equal(b.target[r * 16 + k], start + k + 1);
      }
    }
  }
});

test("windows do not overlap, share one offset, and cover all but under a batch and an offset of tokens", () => {
  const batches = batchLanguageModel(stream, { seqLen: 16, batchSize: 4, rng: new Rng(2) });
  const starts = batches.flatMap((b) => [0, 1, 2, 3].map((r) => b.input[r * 16])).sort((a, b) => a - b);
  assert.equal(new Set(starts.map((s) => s % 16)).size, 1);
  for (let k = 1; k < starts.length; k++) assert.ok(starts[k] - starts[k - 1] >= 16);
  assert.ok(starts.length * 16 >= 1000 - 1 - 15 - 3 * 16);
});

test("the same seed gives the same batches; a continued stream gives another order", () => {
  const flat = (rng: Rng): number[] => batchLanguageModel(stream, { seqLen: 8, batchSize: 3, rng }).flatMap((b) => Array.from(b.input));
  assert.deepEqual(flat(new Rng(5)), flat(new Rng(5)));
  const rng = new Rng(5);
  assert.notDeepEqual(flat(rng), flat(rng));
});

test("a stream too short for one batch, or bad sizes, fail with the numbers", () => {
  assert.throws(() => batchLanguageModel(stream.slice(0, 64), { seqLen: 16, batchSize: 4, rng: new Rng(1) }), /ids has 64 tokens, at least batchSize \* seqLen \+ 1 = 65/);
  assert.equal(batchLanguageModel(stream.slice(0, 65), { seqLen: 16, batchSize: 4, rng: new Rng(1) }).length, 1);
  assert.throws(() => batchLanguageModel(stream, { seqLen: 0, batchSize: 4, rng: new Rng(1) }), /seqLen must be a positive integer, got 0/);
  assert.throws(() => batchLanguageModel(stream, { seqLen: 4, batchSize: 2.5, rng: new Rng(1) }), /batchSize must be a positive integer, got 2.5/);
});
