/**
 * Supernets over AutoDistil-style spaces: a fixed head size slices q/k/v to heads × headDim, an
 * MLP ratio sets the FFN width, and homogeneous layers change nothing in the model. Extracted
 * subnets must reproduce the supernet and hold exactly the weights the size formulas count.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { asTrainingBatch, bertVocab, maskedLmBatches } from "../../src/data/bert/index";
import { collapse, createMos } from "../../src/mos/index";
import { archKey, archParams, defineSpace, getBertSpace, largestArch, makeSampler, sampleArch, smallestArch } from "../../src/space/index";
import type { Arch, SearchSpace } from "../../src/space/index";
import { batchTensors, countParams, createSupernet, disposeParams, extractSubnet, makeSupernetConfig, paramShapes, subnetShapes } from "../../src/supernet/index";
import type { WeightSharingModel } from "../../src/supernet/index";
import { trainSupernet } from "../../src/train/index";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";
import { assertIncrementalMatchesFull } from "../helpers/incremental";
import { randomBatch } from "../helpers/micro";

useBackend();

/** An encoder-decoder with every AutoDistil option, small enough for exact checks. */
const seq2seq = defineSpace({
  name: "head-seq2seq",
  encoder: { embedDim: [8, 12], numLayers: [1, 2], mlpRatio: [1, 1.5], numHeads: [1, 2, 3] },
  decoder: { embedDim: [8, 12], numLayers: [1, 2], mlpRatio: [1, 2], selfHeads: [1, 2], crossHeads: [1, 3], crossLayers: [1] },
  headDim: 4,
  homogeneous: true,
});

/** The largest |a - b| over two logit tensors of the same model call. */
function logitGap(a: WeightSharingModel, b: WeightSharingModel, arch: Arch, batch: Parameters<typeof batchTensors>[0]): number {
  const [x, y] = [a, b].map((m) => tf.tidy(() => m.logits(arch, batchTensors(batch), null).dataSync() as Float32Array));
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

test("shared q/k/v are maxHeads × headDim wide; a subnet's are the first heads × headDim columns (rows of o)", () => {
  const config = makeSupernetConfig(seq2seq, 24, { dropout: 0 });
  const shapes = paramShapes(config);
  assert.deepEqual(shapes["enc.0.selfAttn.q.w"], [12, 12]);
  assert.deepEqual(shapes["enc.0.selfAttn.o.w"], [12, 12]);
  assert.deepEqual(shapes["dec.0.selfAttn.k.w"], [12, 8]);
  assert.deepEqual(shapes["dec.0.crossAttn.v.w"], [12, 12]);
  assert.deepEqual(shapes["dec.0.fc1.w"], [12, 24], "FFN width = largest ratio × largest hidden");
  const arch: Arch = {
    encoder: { embedDim: 8, numLayers: 2, ffnDim: [12, 12], mlpRatio: [1.5, 1.5], numHeads: [2, 2] },
    decoder: { embedDim: 12, numLayers: 1, ffnDim: [12], mlpRatio: [1], selfHeads: [1], crossHeads: [3], crossLayers: [1] },
  };
  const sub = subnetShapes(config, arch);
  assert.deepEqual(sub["enc.1.selfAttn.q.w"], [8, 8]);
  assert.deepEqual(sub["enc.1.selfAttn.o.w"], [8, 8]);
  assert.deepEqual(sub["dec.0.selfAttn.q.w"], [12, 4]);
  assert.deepEqual(sub["dec.0.crossAttn.k.w"], [8, 12]);
  assert.deepEqual(sub["enc.0.fc1.w"], [8, 12]);
});

test("an extracted subnet of a headDim space gives the supernet's logits, step by step too, and holds exactly the counted weights", async () => {
  const config = makeSupernetConfig(seq2seq, 24, { dropout: 0 });
  const model = createSupernet(config, 2);
  const rng = new Rng(9);
  const batch = randomBatch(4);
  const archs = [largestArch(seq2seq), smallestArch(seq2seq), sampleArch(seq2seq, rng), sampleArch(seq2seq, rng)];
  for (const arch of archs) {
    const sub = extractSubnet(model, arch);
    assert.equal(sub.config.space.headDim, 4);
    assert.ok(logitGap(model, sub, arch, batch) < 1e-5, archKey(arch));
    assert.equal(archParams(seq2seq, arch, 24), countParams(sub.params), archKey(arch));
    await assertIncrementalMatchesFull(sub, arch, batch);
    disposeParams(sub.params);
  }
  await assertIncrementalMatchesFull(model, archs[2], batch);
  disposeParams(model.params);
});

test("a MoS over a headDim space collapses to its own logits", () => {
  const config = makeSupernetConfig(seq2seq, 24, { dropout: 0 });
  const mos = createMos(config, { numExperts: 2, granularity: "neuron" }, 3);
  const batch = randomBatch(5);
  for (const arch of [largestArch(seq2seq), smallestArch(seq2seq), sampleArch(seq2seq, new Rng(2))]) {
    const sub = collapse(mos, arch);
    assert.ok(logitGap(mos, sub, arch, batch) < 1e-4, archKey(arch));
    assert.equal(archParams(seq2seq, arch, 24), countParams(sub.params), archKey(arch));
    disposeParams(sub.params);
  }
  disposeParams(mos.params);
});

test("a BERT supernet over autodistil-tiny builds, trains a step, and its extracted subnets reproduce the masked-LM logits", async () => {
  const space: SearchSpace = getBertSpace("autodistil-tiny");
  const vocabSize = 200;
  const vocab = bertVocab({ vocabSize: vocabSize - 1, specials: [] });
  const rng = new Rng(1);
  const seqs = Array.from({ length: 2 }, () => Int32Array.from([vocab.clsId, ...Array.from({ length: 8 }, () => 4 + rng.int(vocabSize - 6)), vocab.sepId]));
  const batch = asTrainingBatch(maskedLmBatches(seqs, { maxTokens: 20, vocab, rng, masking: { maskRate: 0.4 } })[0]);
  const model = createSupernet(makeSupernetConfig(space, vocabSize, { dropout: 0 }), 1);
  assert.deepEqual(model.params["enc.6.selfAttn.q.w"].shape, [224, 640]);
  assert.deepEqual(model.params["enc.6.fc1.w"].shape, [224, 784]);
  const before = model.params["enc.0.selfAttn.q.w"].dataSync().slice(0, 8);
  const schedule = { kind: "cosine" as const, lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 1, maxUpdates: 2, minLr: 1e-4 };
  const { rows } = await trainSupernet(model, { validBatches: [batch], batchesForEpoch: () => [batch] }, { sampler: makeSampler("sandwich", space), updates: 1, schedule, seed: 1, labelSmoothing: 0, showProgress: false });
  assert.ok(rows.length > 0 && rows.every((r) => Object.values(r).every((v) => typeof v !== "number" || Number.isFinite(v))));
  assert.notDeepEqual(Array.from(model.params["enc.0.selfAttn.q.w"].dataSync().slice(0, 8)), Array.from(before), "the step moved the shared weights");
  for (const arch of [smallestArch(space), sampleArch(space, new Rng(4))]) {
    const sub = extractSubnet(model, arch);
    assert.equal(sub.config.space.homogeneous, true);
    assert.equal(archParams(space, arch, vocabSize), countParams(sub.params), archKey(arch));
    assert.ok(logitGap(model, sub, arch, batch) < 1e-4, archKey(arch));
    disposeParams(sub.params);
  }
  disposeParams(model.params);
});
