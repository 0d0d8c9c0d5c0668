import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { sampleArch, largestArch } from "../../src/space/index";
import { createSupernet } from "../../src/supernet/index";
import { beamDecode, greedyDecode, translateBatch } from "../../src/eval/decode";
import { collapse, createMos } from "../../src/mos/index";
import { Rng } from "../../src/util/rng";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";
import { assertIncrementalMatchesFull } from "../helpers/incremental";

useBackend();

test("incremental decoding with cached keys/values gives the full forward pass's logits at every position", async () => {
  const model = createSupernet(microConfig(), 31);
  const rng = new Rng(2);
  for (const arch of [largestArch(microSpace), sampleArch(microSpace, rng), sampleArch(microSpace, rng)]) await assertIncrementalMatchesFull(model, arch, randomBatch(9));
});

test("beam search with beam 1 is greedy search, and decoding leaks no tensors", async () => {
  const model = createSupernet(microConfig(), 32);
  const arch = sampleArch(microSpace, new Rng(5));
  const batch = randomBatch(4);
  await greedyDecode(model, arch, batch, 6);
  const before = tf.memory().numTensors;
  const greedy = await greedyDecode(model, arch, batch, 6);
  const beam1 = await beamDecode(model, arch, batch, { beam: 1, maxLen: 6, lenPenalty: 1 });
  const beam3 = await translateBatch(model, arch, batch, { beam: 3, maxLen: 6 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(beam1, greedy);
  assert.equal(beam3.length, batch.rows);
  for (const out of beam3) assert.ok(out.length <= 6 && out.every((id) => id >= 0 && id < 24));
  await assert.rejects(() => translateBatch(model, arch, batch, { beam: 0 }), /beam must be an integer >= 1; got 0/);
});

test("a MoS model decodes with its generated weights, exactly as its collapsed subnet does", async () => {
  const mos = createMos(microConfig(), { numExperts: 2, granularity: "neuron", routerHidden: 8 }, 33);
  for (const [name, v] of Object.entries(mos.params)) if (name.includes("router.w2")) v.assign(tf.randomNormal(v.shape, 0, 1, "float32", 2));
  const arch = sampleArch(microSpace, new Rng(6));
  const batch = randomBatch(5);
  const sub = collapse(mos, arch);
  assert.deepEqual(await greedyDecode(mos, arch, batch, 6), await greedyDecode(sub, arch, batch, 6));
});
