/**
 * Validation loss per sentence, and the paired difference of two subnets' losses with an interval
 * over sentences, on real Bible verse pairs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadTranslationData } from "../../src/data";
import { evaluateLoss, pairedLossDifference, sentenceLosses, type SentenceLosses } from "../../src/eval";
import { getSpace, largestArch, smallestArch } from "../../src/space";
import { batchTensors, createSupernet, makeSupernetConfig, tokenNll } from "../../src/supernet";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";

useBackend();

const data = loadTranslationData({ vocabSize: 1000, trainPairs: 200, validPairs: 32, maxLen: 24, maxTokens: 256, seed: 2 });
const batches = data.validBatches;
const sentences = batches.reduce((s, b) => s + b.rows, 0);
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

for (const spaceName of ["tiny", "tiny-moe"]) {
  test(`per-sentence losses (${spaceName}) add up to evaluateLoss and match each row scored alone`, async () => {
    const space = getSpace(spaceName);
    const model = createSupernet(makeSupernetConfig(space, data.tokenizer.vocabSize), 4);
    const arch = largestArch(space);
    await sentenceLosses(model, arch, batches.slice(0, 1));
    const before = tf.memory().numTensors;
    const per = await sentenceLosses(model, arch, batches);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(batches.length > 1, "the data must span several batches");
    assert.equal(per.nll.length, sentences);
    assert.equal(per.tokens.length, sentences);
    assert.ok(per.nll.every((x) => x > 0) && per.tokens.every((t) => Number.isInteger(t) && t > 0));
    const whole = await evaluateLoss(model, arch, batches);
    const tokens = per.tokens.reduce((a, b) => a + b, 0);
    assert.equal(tokens, whole.tokens);
    assert.ok(close(per.nll.reduce((a, b) => a + b, 0) / tokens, whole.loss, 1e-5));
    // Row r of the first batch, scored by itself from the same logits: its mean NLL times its tokens.
    const b0 = batches[0];
    const rowLoss = tf.tidy(() => {
      const t = batchTensors(b0);
      const logits = model.logits(arch, t, null);
      return Array.from({ length: b0.rows }, (_, r) => tokenNll(tf.slice(logits, [r, 0, 0], [1, -1, -1]), tf.slice(t.tgtOut, [r, 0], [1, -1]), tf.slice(t.tgtMask, [r, 0], [1, -1])).dataSync()[0]);
    });
    for (let r = 0; r < b0.rows; r++) assert.ok(close(per.nll[r] / per.tokens[r], rowLoss[r], 1e-5), `row ${r}: ${per.nll[r] / per.tokens[r]} vs ${rowLoss[r]}`);
  });
}

test("the paired loss difference is the difference of token means, with an interval over sentences", async () => {
  const space = getSpace("tiny");
  const model = createSupernet(makeSupernetConfig(space, data.tokenizer.vocabSize), 5);
  const big = await sentenceLosses(model, largestArch(space), batches);
  const small = await sentenceLosses(model, smallestArch(space), batches);
  const d = pairedLossDifference(big, small, { rng: new Rng(1), samples: 500 });
  const expected = (await evaluateLoss(model, largestArch(space), batches)).loss - (await evaluateLoss(model, smallestArch(space), batches)).loss;
  assert.ok(close(d.estimate, expected, 1e-5), `${d.estimate} vs ${expected}`);
  assert.equal(d.n, sentences);
  assert.equal(d.level, 0.95);
  assert.ok(d.ci[0] < d.estimate && d.estimate < d.ci[1], `${d.ci} around ${d.estimate}`);
  // The same seed draws the same resamples.
  assert.deepEqual(pairedLossDifference(big, small, { rng: new Rng(1), samples: 500 }).ci, d.ci);
  // A subnet against itself differs by nothing in every resample; a constant shift per token is recovered exactly.
  assert.deepEqual(pairedLossDifference(big, big, { rng: new Rng(2), samples: 200 }), { estimate: 0, ci: [0, 0], n: sentences, level: 0.95 });
  const shifted: SentenceLosses = { nll: big.nll.map((x, i) => x - 0.5 * big.tokens[i]), tokens: big.tokens };
  const s = pairedLossDifference(big, shifted, { rng: new Rng(3), samples: 200 });
  for (const v of [s.estimate, ...s.ci]) assert.ok(close(v, 0.5, 1e-9));
});

test("a paired loss difference refuses losses of different sentences, by name", () => {
  const a: SentenceLosses = { nll: [1, 2, 3], tokens: [2, 2, 3] };
  assert.throws(() => pairedLossDifference(a, { nll: [1, 2], tokens: [2, 2] }, { rng: new Rng(1) }), /same sentences, at least 2 \(a: 3 losses and 3 counts, b: 2 and 2\)/);
  assert.throws(() => pairedLossDifference(a, { nll: [1, 2, 3], tokens: [2, 4, 3] }, { rng: new Rng(1) }), /sentence 1 has 2 tokens in a and 4 in b/);
  assert.throws(() => pairedLossDifference(a, a, {} as any), /options.rng is required/);
});
