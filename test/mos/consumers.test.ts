/**
 * Every consumer of a weight-sharing model (extraction, latency, decoding, gradient probes,
 * search fitness, training with MAGIC-T and MAGIC-A, checkpoints) on a plain supernet and on
 * layer-wise and neuron-wise MoS models of the tiny space; and a model a consumer cannot serve.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { getSpace, largestArch, sampleArch, smallestArch } from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { WeightSharingModel, batchTensors, createSupernet, extractSubnet, makeSupernetConfig, plainWeights, releaseWeights } from "../../src/supernet/index";
import { createMos } from "../../src/mos/index";
import { greedyDecode } from "../../src/eval/decode";
import { evaluateLoss } from "../../src/eval/validation-loss";
import { archGradients, gradientSimilarity, magicA, magicTSampler, operatorCatalog } from "../../src/interference/index";
import { inheritedLossFitness, measureLatency } from "../../src/search/index";
import { createTrainerState, makeTrainConfig, restoreCheckpoint, saveCheckpoint, trainStep } from "../../src/train/index";
import { Rng } from "../../src/util/rng";
import { randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getSpace("tiny");
const vocab = 40;
const config = makeSupernetConfig(space, vocab, { dropout: 0.1 });
const batch = randomBatch(7, 3, vocab);

function models(): { name: string; model: WeightSharingModel }[] {
  const out: { name: string; model: WeightSharingModel }[] = [
    { name: "plain", model: createSupernet(config, 1) },
    { name: "mos layer-wise", model: createMos(config, { numExperts: 2, granularity: "layer", routerHidden: 16 }, 1) },
    { name: "mos neuron-wise", model: createMos(config, { numExperts: 3, granularity: "neuron", routerHidden: 16 }, 1) },
  ];
  // Routers off their start, so that different archs get different generated weights.
  for (const { model } of out) for (const [n, v] of Object.entries(model.params)) if (n.includes("router.w2")) v.assign(tf.randomNormal(v.shape, 0, 1, "float32", 9));
  return out;
}

const archs = (): Arch[] => {
  const rng = new Rng(5);
  return [largestArch(space), smallestArch(space), sampleArch(space, rng)];
};

const logitsOf = async (model: WeightSharingModel, arch: Arch) => {
  const logits = tf.tidy(() => model.logits(arch, batchTensors(batch), null));
  const values = Array.from(await logits.data());
  logits.dispose();
  return values;
};
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const disposeModel = (m: WeightSharingModel) => Object.values(m.params).forEach((v) => v.dispose());

test("extraction, decoding, latency and search fitness serve plain and MoS models alike", async () => {
  for (const { name, model } of models()) {
    for (const arch of archs()) {
      const sub = extractSubnet(model, arch);
      assert.ok(maxDiff(await logitsOf(sub, arch), await logitsOf(model, arch)) < 1e-4, `${name}: extracted logits`);
      assert.deepEqual(await greedyDecode(model, arch, batch, 6), await greedyDecode(sub, arch, batch, 6), `${name}: decoding`);
      const [fit] = await inheritedLossFitness(model, [batch])([arch]);
      assert.ok(Math.abs(fit - (await evaluateLoss(sub, arch, [batch])).loss) < 1e-4, `${name}: fitness equals the extracted subnet's loss`);
      disposeModel(sub);
    }
    await measureLatency(model, largestArch(space), { srcLen: 5, tgtLen: 3, warmup: 0, repeats: 1 });
    const before = tf.memory().numTensors;
    const row = await measureLatency(model, smallestArch(space), { srcLen: 5, tgtLen: 3, warmup: 0, repeats: 2 });
    assert.ok(row.ms > 0, `${name}: latency`);
    assert.equal(tf.memory().numTensors, before, `${name}: latency leaves no tensor`);
    disposeModel(model);
  }
});

test("gradient probes read the gradient reaching W(a): equal to the extracted subnet's weight gradient", async () => {
  for (const { name, model } of models()) {
    const arch = archs()[2];
    const sub = extractSubnet(model, arch);
    const names = ["enc.0.fc1.w", "enc.0.fc2.b", "dec.0.fc1.w", "enc.0.selfAttn.q.w"];
    const before = tf.memory().numTensors;
    const g = await archGradients(model, arch, batch, names);
    assert.equal(tf.memory().numTensors, before, `${name}: the probe leaves no tensor`);
    const gs = await archGradients(sub, arch, batch, names);
    for (const w of names) {
      const block = sub.params[w].shape;
      const full = g.shapes[w] as number[];
      // The model's gradient, restricted to the arch's block, equals the standalone weight's gradient.
      const restricted = block.length === 1 ? g.values[w].slice(0, block[0]) : Array.from({ length: block[0] }, (_, r) => Array.from(g.values[w].subarray(r * full[1], r * full[1] + (block[1] as number)))).flat();
      assert.ok(maxDiff(Array.from(restricted), Array.from(gs.values[w])) < 1e-4, `${name}: ${w}`);
      assert.ok(gs.values[w].some((v) => v !== 0), `${name}: ${w} has a non-zero gradient`);
    }
    const rows = await gradientSimilarity(model, [[arch, arch], [arch, largestArch(space)]], batch, "encoder.layer[0].ffn");
    assert.ok(Math.abs(rows[0].cosine - 1) < 1e-5, `${name}: self-similarity`);
    assert.ok(Number.isFinite(rows[1].cosine), `${name}: pair similarity`);
    const view = plainWeights(model, largestArch(space), "test");
    assert.ok(operatorCatalog(space).every((op) => op.weights.every((w) => view[w] !== undefined)), `${name}: the catalogue's weights are in the plain view`);
    releaseWeights(model, view);
    disposeModel(sub);
    disposeModel(model);
  }
});

test("MAGIC-T and MAGIC-A train MoS models: losses finite, experts and routers move, the anchor is offered", async () => {
  for (const { name, model } of models().slice(1)) {
    const train = makeTrainConfig({ schedule: { kind: "constant", lr: 1e-2, warmupInitLr: 1e-2, warmupUpdates: 0, maxUpdates: 10, minLr: 1e-2 }, seed: 3 });
    const state = createTrainerState(train);
    const hook = magicA(largestArch(space));
    const watched = Object.entries(model.params).filter(([n]) => (n.startsWith("enc.0.") || n.startsWith("dec.0.")) && (n.includes("experts.1.w") || n.includes("router.w1")));
    const snapshot = Object.fromEntries(await Promise.all(watched.map(async ([n, v]) => [n, (await v.data()).slice()] as const)));
    const sampler = magicTSampler(space);
    for (let i = 0; i < 3; i++) {
      const r = await trainStep(model, state, train, sampler, randomBatch(20 + i, 3, vocab), hook);
      assert.ok(r.losses.every((l) => Number.isFinite(l.loss)), `${name}: finite loss`);
    }
    await hook.offerAnchor(model, smallestArch(space), [batch], 3);
    for (const [n, v] of Object.entries(snapshot)) assert.ok(maxDiff(Array.from(await model.params[n].data()), Array.from(v)) > 0, `${name}: ${n} moved`);
    disposeModel(model);
  }
});

test("a MoS checkpoint round trip restores the same logits; a checkpoint of another kind or options is refused", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mos-ckpt-"));
  const [, layer, neuron] = models();
  for (const { name, model } of [layer, neuron]) {
    const train = makeTrainConfig({ schedule: { kind: "constant", lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 10, minLr: 1e-3 }, seed: 1 });
    const file = path.join(dir, `${name.replace(/ /g, "-")}.ckpt`);
    await saveCheckpoint(file, model, createTrainerState(train), train, { dataset: "test", vocabSize: vocab });
    const options = (model as { options: object }).options;
    const fresh = createMos(config, options, 77);
    restoreCheckpoint(file, fresh, createTrainerState(train));
    for (const arch of archs()) assert.ok(maxDiff(await logitsOf(fresh, arch), await logitsOf(model, arch)) === 0, `${name}: restored logits`);
    assert.throws(() => restoreCheckpoint(file, createSupernet(config, 1), createTrainerState(train)), /holds a "mos" model, not "supernet"/);
    assert.throws(() => restoreCheckpoint(file, createMos(config, { ...options, numExperts: 4 }, 1), createTrainerState(train)), /model options/);
    [model, fresh].forEach(disposeModel);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a model a consumer cannot serve gives an error naming the model kind and the operation", async () => {
  const plain = createSupernet(config, 2);
  const { "enc.0.fc1.w": _dropped, ...rest } = plain.params;
  // A model whose plain view lacks a weight the arch reads, and one with no plain view at all.
  const partial: WeightSharingModel = { ...plain, kind: "toy", weightsFor: () => rest };
  const arch = largestArch(space);
  assert.throws(() => extractSubnet(partial, arch), /extractSubnet cannot serve a "toy" model: the arch needs plain weight "enc\.0\.fc1\.w"/);
  await assert.rejects(() => measureLatency(partial, arch), /extractSubnet cannot serve a "toy" model/);
  await assert.rejects(() => greedyDecode(partial, arch, batch, 3), /greedyDecode cannot serve a "toy" model/);
  await assert.rejects(() => evaluateLoss(partial, arch, [batch]), /evaluateLoss cannot serve a "toy" model/);
  await assert.rejects(() => archGradients(partial, arch, batch, ["enc.0.fc1.w"]), /archGradients cannot serve a "toy" model/);
  const opaque = { kind: "opaque", config, params: {} } as unknown as WeightSharingModel;
  assert.throws(() => extractSubnet(opaque, arch), /extractSubnet cannot serve a "opaque" model: it has no plain-weight view/);
  disposeModel(plain);
});
