import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { archFlops, getSpace, sampleArch } from "../../src/space";
import { fitLatencyPredictor, fitLatencyPredictorOnTable, parseLatencyCsv, predictorQuality } from "../../src/search";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getSpace("small");
// A deterministic stand-in for measured latency: milliseconds proportional to FLOPs plus a
// per-layer overhead, the shape real measurements have.
const fakeMs = (a: ReturnType<typeof sampleArch>) => archFlops(space, a, { srcLen: 20, tgtLen: 20, vocabSize: 4000 }) / 2e7 + 0.8 * (a.encoder.numLayers + 20 * a.decoder!.numLayers);
const rng = new Rng(11);
const archs = Array.from({ length: 160 }, () => sampleArch(space, rng));
const train = archs.slice(0, 120).map((arch) => ({ arch, ms: fakeMs(arch) }));
const held = archs.slice(120);

test("the latency predictor learns a latency function from architecture features and ranks held-out archs", async () => {
  const before = tf.memory().numTensors;
  const predictor = await fitLatencyPredictor(space, train, { steps: 800, seed: 1 });
  const q = predictorQuality(await predictor.predict(held), held.map(fakeMs));
  assert.ok(q.kendall > 0.8, `Kendall ${q.kendall}`);
  assert.ok(q.mape < 10, `MAPE ${q.mape}%`);
  const losses = predictor.trainLoss.map((r) => r.mse);
  assert.ok(losses[losses.length - 1] < 0.1 * losses[0], `training MSE ${losses[0]} -> ${losses[losses.length - 1]}`);
  predictor.dispose();
  assert.equal(tf.memory().numTensors, before, "fitting and disposing leaves no tensor behind");
});

test("the predictor is deterministic in its seed", async () => {
  const a = await fitLatencyPredictor(space, train.slice(0, 40), { steps: 50, hidden: [16, 16], seed: 4 });
  const b = await fitLatencyPredictor(space, train.slice(0, 40), { steps: 50, hidden: [16, 16], seed: 4 });
  assert.deepEqual(await a.predict(held.slice(0, 5)), await b.predict(held.slice(0, 5)));
  a.dispose();
  b.dispose();
});

test("bad predictor inputs name the field", async () => {
  await assert.rejects(() => fitLatencyPredictor(space, train.slice(0, 1)), /needs at least 2 samples, got 1/);
  await assert.rejects(() => fitLatencyPredictor(space, [train[0], { arch: train[1].arch, ms: -3 }]), /samples\[1\]\.ms = -3 must be a positive number/);
  await assert.rejects(() => fitLatencyPredictor(space, train, { hidden: [] }), /hidden = \[\] must be a non-empty list/);
  await assert.rejects(() => fitLatencyPredictor(space, train, { lr: 0 }), /lr = 0 must be > 0/);
  assert.throws(() => predictorQuality([1], [1]), /at least 2 values/);
});

test("in a mixture-of-experts space the predictor reads the expert features and beats FLOPs as a latency proxy", async () => {
  const moe = getSpace("small-moe");
  // Routing costs per expert that routed FLOPs do not see (dispatch, one kernel per expert).
  const moeMs = (a: ReturnType<typeof sampleArch>) =>
    archFlops(moe, a, { srcLen: 20, tgtLen: 20, vocabSize: 4000 }) / 2e7 + 0.8 * (a.encoder.numLayers + 20 * a.decoder!.numLayers) + 1.5 * [...(a.encoder.numExperts ?? []), ...(a.decoder!.numExperts ?? []).map((n) => 20 * n)].reduce((s, n) => s + n, 0);
  const r = new Rng(12);
  const all = Array.from({ length: 200 }, () => sampleArch(moe, r));
  const predictor = await fitLatencyPredictor(moe, all.slice(0, 150).map((arch) => ({ arch, ms: moeMs(arch) })), { steps: 800, seed: 1 });
  const heldOut = all.slice(150);
  const q = predictorQuality(await predictor.predict(heldOut), heldOut.map(moeMs));
  const flops = predictorQuality(heldOut.map((a) => archFlops(moe, a, { srcLen: 20, tgtLen: 20, vocabSize: 4000 })), heldOut.map(moeMs));
  assert.ok(q.kendall > flops.kendall + 0.1, `predictor Kendall ${q.kendall} vs FLOPs ${flops.kendall}`);
  predictor.dispose();
});

test("a latency table in HAT's CSV layout is read and fitted with its own norms", async () => {
  const header = "encoder_embed_dim,encoder_layer_num,decoder_layer_num,latency_mean_encoder,latency_mean_decoder,latency_std_encoder,latency_std_decoder";
  const r = new Rng(3);
  const lines = Array.from({ length: 60 }, () => {
    const [e, le, ld] = [r.choice([512, 640]), 6, r.choice([1, 2, 3, 4, 5, 6])];
    return `${e},${le},${ld},${(e / 64).toFixed(3)},${(30 * ld).toFixed(3)},0.1,0.2`;
  });
  const { featureNames, rows } = parseLatencyCsv([header, ...lines].join("\n"));
  assert.deepEqual(featureNames, ["encoder_embed_dim", "encoder_layer_num", "decoder_layer_num"]);
  assert.equal(rows[0].ms, Number(lines[0].split(",")[3]) + Number(lines[0].split(",")[4]));
  const fitted = await fitLatencyPredictorOnTable(rows.slice(0, 45), [640, 6, 6], { steps: 400, hidden: [32, 32], seed: 2 });
  const q = predictorQuality(await fitted.predictFeatures(rows.slice(45).map((x) => x.features)), rows.slice(45).map((x) => x.ms));
  assert.ok(q.mape < 10, `MAPE ${q.mape}%`);
  fitted.dispose();
  assert.throws(() => parseLatencyCsv("a,b\n1,2"), /latency_mean_encoder and latency_mean_decoder/);
  assert.throws(() => parseLatencyCsv(`${header}\n1,2,x,4,5,6,7`), /row 2 must have 7 numbers/);
  await assert.rejects(() => fitLatencyPredictorOnTable(rows, [640, 6]), /rows\[0\]\.features must be 2 finite numbers/);
  // HAT's target scaling (latency / lat_norm) instead of standardisation learns the same table.
  const hatScaled = await fitLatencyPredictorOnTable(rows.slice(0, 45), [640, 6, 6], { steps: 400, hidden: [32, 32], seed: 2, latencyNorm: 100 });
  const qHat = predictorQuality(await hatScaled.predictFeatures(rows.slice(45).map((x) => x.features)), rows.slice(45).map((x) => x.ms));
  assert.ok(qHat.mape < 15, `MAPE with latencyNorm ${qHat.mape}%`);
  hatScaled.dispose();
  await assert.rejects(() => fitLatencyPredictorOnTable(rows, [640, 6, 6], { latencyNorm: 0 }), /latencyNorm = 0 must be > 0 or null/);
});
