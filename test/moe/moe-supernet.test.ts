/**
 * A supernet over a mixture-of-experts space (AutoMoE): the same model, trainer, extraction,
 * decoding and checkpoints as the dense supernet, with token-routed experts where the arch has them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { defineSpace, largestArch, sampleArch, smallestArch, uniformSampler } from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { MoeLayerRecord, archLoss, batchTensors, createSupernet, extractSubnet, makeSupernetConfig } from "../../src/supernet/index";
import { createTrainerState, makeTrainConfig, restoreCheckpoint, saveCheckpoint, stepRows, trainStep } from "../../src/train/index";
import { expertLoad, expertTopTokens, routingAgreement } from "../../src/moe/index";
import { evaluateLoss } from "../../src/eval/validation-loss";
import { Rng } from "../../src/util/rng";
import { microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";
import { assertIncrementalMatchesFull } from "../helpers/incremental";

useBackend();

const moeMicro = defineSpace({
  ...microSpace,
  name: "micro-moe",
  encoder: { ...microSpace.encoder, numExperts: [1, 2, 3], topK: [1, 2], expertFfnDim: [4, 6, 10] },
  decoder: { ...microSpace.decoder!, numExperts: [1, 2], topK: [1], expertFfnDim: [6, 10] },
});
const config = (overrides: object = {}) => makeSupernetConfig(moeMicro, 24, { dropout: 0, moe: overrides });
const batch = randomBatch(3);
const logitsOf = (m: { logits: (...a: any[]) => tf.Tensor3D }, arch: Arch) => tf.tidy(() => Array.from(m.logits(arch, batchTensors(batch), null).dataSync()));
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** The dense arch an all-1-expert MoE arch stands for. */
const denseOf = (a: Arch): Arch => ({
  encoder: { embedDim: a.encoder.embedDim, numLayers: a.encoder.numLayers, ffnDim: a.encoder.ffnDim, numHeads: a.encoder.numHeads },
  decoder: { embedDim: a.decoder!.embedDim, numLayers: a.decoder!.numLayers, ffnDim: a.decoder!.ffnDim, selfHeads: a.decoder!.selfHeads, crossHeads: a.decoder!.crossHeads, crossLayers: a.decoder!.crossLayers },
});
const oneExpert = (a: Arch): Arch => ({
  encoder: { ...a.encoder, numExperts: a.encoder.ffnDim.map(() => 1), expertFfnDim: a.encoder.ffnDim.map(() => []) },
  decoder: { ...a.decoder!, numExperts: a.decoder!.ffnDim.map(() => 1), expertFfnDim: a.decoder!.ffnDim.map(() => []) },
});
const multi: Arch = {
  encoder: { embedDim: 12, numLayers: 2, ffnDim: [10, 6], numHeads: [2, 1], numExperts: [3, 2], topK: [2, 1], expertFfnDim: [[4, 10], [6]] },
  decoder: { embedDim: 8, numLayers: 2, ffnDim: [6, 10], selfHeads: [1, 2], crossHeads: [2, 1], crossLayers: [1, 2], numExperts: [2, 1], topK: [1, 1], expertFfnDim: [[10], []] },
};

test("with one expert per layer, the MoE supernet is exactly the dense supernet of the same seed", async () => {
  const dense = createSupernet(makeSupernetConfig(microSpace, 24, { dropout: 0 }), 5);
  const moe = createSupernet(config(), 5);
  const rng = new Rng(2);
  for (const a of [largestArch(microSpace), smallestArch(microSpace), sampleArch(microSpace, rng)]) {
    assert.deepEqual(logitsOf(moe, oneExpert(a)), logitsOf(dense, a));
  }
  assert.deepEqual(denseOf(oneExpert(multi)), denseOf(multi));
});

test("an extracted expert-sliced subnet gives the supernet's logits, and incremental decoding its full forward", async () => {
  const moe = createSupernet(config(), 6);
  for (const a of [multi, largestArch(moeMicro), sampleArch(moeMicro, new Rng(8))]) {
    const sub = extractSubnet(moe, a);
    assert.ok(maxDiff(logitsOf(sub, a), logitsOf(moe, a)) < 1e-5);
    assert.equal((await evaluateLoss(sub, a, [batch])).loss.toFixed(5), (await evaluateLoss(moe, a, [batch])).loss.toFixed(5));
    Object.values(sub.params).forEach((v) => v.dispose());
  }
  await assertIncrementalMatchesFull(moe, multi, batch);
});

test("the training loss adds the balance loss of the routed layers; training lowers the loss and moves experts and routers", async () => {
  const withBalance = createSupernet(config({ balanceLossCoef: 0.5 }), 7);
  const records: MoeLayerRecord[] = [];
  const t = batchTensors(batch);
  const routed = records;
  const [total, nll, balance] = tf.tidy(() => {
    const withTerm = archLoss(withBalance, multi, t, null, 0, undefined, records).dataSync()[0];
    const plain = archLoss(createSupernet(config({ balanceLossCoef: 0 }), 7), multi, t, null, 0).dataSync()[0];
    const r = records.filter((x) => x.experts > 1);
    return [withTerm, plain, r.reduce((s, x) => s + x.balanceLoss.dataSync()[0], 0) / r.length];
  });
  assert.equal(routed.filter((r) => r.experts > 1).length, 3, "enc.0, enc.1, dec.0 route");
  assert.ok(Math.abs(total - (nll + 0.5 * balance)) < 1e-5, `${total} vs ${nll} + 0.5 x ${balance}`);
  assert.ok(balance >= 1 - 1e-6, "the Switch balance loss is at least 1");
  tf.dispose(Object.values(t));

  const model = createSupernet(config(), 8);
  const train = makeTrainConfig({ schedule: { kind: "constant", lr: 1e-2, warmupInitLr: 1e-2, warmupUpdates: 0, maxUpdates: 40, minLr: 1e-2 }, seed: 2, labelSmoothing: 0 });
  const state = createTrainerState(train);
  const before = { expert: model.params["enc.0.experts.2.fc1.w"].dataSync().slice(), router: model.params["enc.0.router.w"].dataSync().slice() };
  const fixed = [randomBatch(11), randomBatch(12)];
  const loss0 = (await evaluateLoss(model, multi, fixed)).loss;
  const sampler = { name: "fixed-multi", next: () => [multi] };
  for (let i = 0; i < 30; i++) await trainStep(model, state, train, sampler, fixed[i % 2]);
  const loss1 = (await evaluateLoss(model, multi, fixed)).loss;
  assert.ok(loss1 < loss0 - 0.3, `loss ${loss0} -> ${loss1}`);
  assert.ok(maxDiff(Array.from(model.params["enc.0.experts.2.fc1.w"].dataSync()), Array.from(before.expert)) > 0, "expert 2 moved");
  assert.ok(maxDiff(Array.from(model.params["enc.0.router.w"].dataSync()), Array.from(before.router)) > 0, "router moved");
  const uniform = uniformSampler(moeMicro);
  for (let i = 0; i < 3; i++) assert.ok((await trainStep(model, state, train, uniform, fixed[0])).losses.every((l) => Number.isFinite(l.loss)));
});

test("an MoE supernet's checkpoint round-trips; options and spaces are checked at the edge", async () => {
  const model = createSupernet(config({ capacityFactor: 2 }), 9);
  const train = makeTrainConfig({ schedule: { kind: "constant", lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 4, minLr: 1e-3 }, seed: 1 });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "moe-ckpt-")), "m.ckpt");
  await saveCheckpoint(file, model, createTrainerState(train), train, { dataset: "test", vocabSize: 24 });
  const fresh = createSupernet(config({ capacityFactor: 2 }), 10);
  restoreCheckpoint(file, fresh, createTrainerState(train));
  assert.deepEqual(logitsOf(fresh, multi), logitsOf(model, multi));
  assert.throws(() => restoreCheckpoint(file, createSupernet(config(), 1), createTrainerState(train)), /another supernet config/);
  assert.throws(() => makeSupernetConfig(microSpace, 24, { moe: {} }), /moe options were given, but space "micro" has no mixture-of-experts dimensions/);
  assert.throws(() => makeSupernetConfig(moeMicro, 24, { moe: { capacityFactor: -1 } }), /capacityFactor must be a finite number > 0/);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test("router inspection: loads per expert, the tokens each expert takes, agreement across archs, unused-expert warnings", async () => {
  const model = createSupernet(config(), 12);
  const batches = [randomBatch(21), randomBatch(22)];
  const realSrc = batches.reduce((s, b) => s + b.srcMask.reduce((a, m) => a + m, 0), 0);
  const { experts, layers, warnings } = await expertLoad(model, multi, batches);
  assert.deepEqual(layers.map((l) => l.layer), ["enc.0", "enc.1", "dec.0"]);
  const enc0 = experts.filter((e) => e.layer === "enc.0");
  assert.equal(enc0.reduce((s, e) => s + e.tokens, 0), realSrc, "every real source token has a first choice");
  assert.ok(Math.abs(enc0.reduce((s, e) => s + e.load, 0) - 1) < 1e-9);
  assert.deepEqual(enc0.map((e) => e.width), [10, 4, 10]);
  assert.ok(layers.every((l) => l.balance >= 1 - 1e-6 && l.entropy <= l.maxEntropy + 1e-9));
  // Force enc.0's router to expert 1: the others get nothing and are reported.
  model.params["enc.0.router.b"].assign(tf.tensor1d([-50, 50, -50]));
  const forced = await expertLoad(model, multi, batches);
  assert.equal(forced.experts.find((e) => e.layer === "enc.0" && e.expert === 1)?.tokens, realSrc);
  assert.deepEqual(forced.warnings.filter((w) => w.startsWith("enc.0")), [`enc.0: expert 0 (width 10) received no token of ${realSrc}`, `enc.0: expert 2 (width 10) received no token of ${realSrc}`]);
  const tops = (await expertTopTokens(model, multi, batches, 100)).filter((r) => r.layer === "enc.0");
  const freq = new Map<number, number>();
  for (const b of batches) b.srcIds.forEach((id, i) => b.srcMask[i] > 0 && freq.set(id, (freq.get(id) ?? 0) + 1));
  assert.deepEqual(new Map(tops.map((r) => [r.tokenId, r.count])), freq, "expert 1 sees every source token, as often as it occurs");
  assert.ok((await routingAgreement(model, multi, multi, batches)).every((r) => r.agreement === 1 && r.tokens > 0));
  assert.equal(warnings.length, experts.filter((e) => e.tokens === 0).length, "one warning per expert without tokens");
});

test("training rows carry each routed layer's balance loss, dropped share and router entropy", async () => {
  const model = createSupernet(config({ dropTokens: true, capacityFactor: 0.5 }), 13);
  const train = makeTrainConfig({ schedule: { kind: "constant", lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 4, minLr: 1e-3 }, seed: 1 });
  const r = await trainStep(model, createTrainerState(train), train, { name: "fixed-multi", next: () => [multi] }, batch);
  const rows = stepRows(r).filter((x) => x.metric.startsWith("moe_"));
  assert.deepEqual([...new Set(rows.map((x) => x.layer))], ["enc.0", "enc.1", "dec.0"]);
  assert.ok(rows.filter((x) => x.metric === "moe_dropped").some((x) => x.value > 0), "capacity 0.5 drops");
  assert.ok(rows.filter((x) => x.metric === "moe_balance").every((x) => x.value >= 1 - 1e-6));
});
