import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { archFlops, getSpace, sampleArch } from "../../src/space";
import { fitLatencyPredictor, predictorQuality } from "../../src/search";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getSpace("small");
// A deterministic stand-in for measured latency: milliseconds proportional to FLOPs plus a
// per-layer overhead, the shape real measurements have.
const fakeMs = (a: ReturnType<typeof sampleArch>) => archFlops(space, a, { srcLen: 20, tgtLen: 20, vocabSize: 4000 }) / 2e7 + 0.8 * (a.encoder.numLayers + 20 * a.decoder.numLayers);
const rng = new Rng(11);
const archs = Array.from({ length: 160 }, () => sampleArch(space, rng));
const train = archs.slice(0, 120).map((arch) => ({ arch, ms: fakeMs(arch) }));
const held = archs.slice(120);

test("the latency predictor learns a latency function from architecture features and ranks held-out archs", () => {
  const before = tf.memory().numTensors;
  const predictor = fitLatencyPredictor(space, train, { steps: 800, seed: 1 });
  const q = predictorQuality(predictor.predict(held), held.map(fakeMs));
  assert.ok(q.kendall > 0.8, `Kendall ${q.kendall}`);
  assert.ok(q.mape < 10, `MAPE ${q.mape}%`);
  const losses = predictor.trainLoss.map((r) => r.mse);
  assert.ok(losses[losses.length - 1] < 0.1 * losses[0], `training MSE ${losses[0]} -> ${losses[losses.length - 1]}`);
  predictor.dispose();
  assert.equal(tf.memory().numTensors, before, "fitting and disposing leaves no tensor behind");
});

test("the predictor is deterministic in its seed", () => {
  const a = fitLatencyPredictor(space, train.slice(0, 40), { steps: 50, hidden: [16, 16], seed: 4 });
  const b = fitLatencyPredictor(space, train.slice(0, 40), { steps: 50, hidden: [16, 16], seed: 4 });
  assert.deepEqual(a.predict(held.slice(0, 5)), b.predict(held.slice(0, 5)));
  a.dispose();
  b.dispose();
});

test("bad predictor inputs name the field", () => {
  assert.throws(() => fitLatencyPredictor(space, train.slice(0, 1)), /needs at least 2 samples, got 1/);
  assert.throws(() => fitLatencyPredictor(space, [train[0], { arch: train[1].arch, ms: -3 }]), /samples\[1\]\.ms = -3 must be a positive number/);
  assert.throws(() => fitLatencyPredictor(space, train, { hidden: [] }), /hidden = \[\] must be a non-empty list/);
  assert.throws(() => fitLatencyPredictor(space, train, { lr: 0 }), /lr = 0 must be > 0/);
  assert.throws(() => predictorQuality([1], [1]), /at least 2 values/);
});
