import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { encodeArch, largestArch, makeSampler, sampleArch, smallestArch } from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { batchTensors, createSupernet } from "../../src/supernet/index";
import {
  alignedLayers, archGradients, commonBlock, cosine, gradientSimilarity, hiddenDistance, ioSimilarity, linearCka, magicA,
  magicTSampler, operatorCatalog, perturbationPairs, restrictToBlock, sharedOperators,
} from "../../src/interference/index";
import { Rng } from "../../src/util/rng";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

test("cosine on hand-computable vectors", () => {
  assert.equal(cosine([1, 0], [0, 1]), 0);
  assert.ok(Math.abs(cosine([1, 2, 2], [2, 4, 4]) - 1) < 1e-12);
  assert.ok(Math.abs(cosine([1, 1], [1, 0]) - Math.SQRT1_2) < 1e-12);
  assert.ok(Math.abs(cosine([3, 4], [-3, -4]) + 1) < 1e-12);
  assert.equal(cosine([0, 0], [1, 2]), 0);
  assert.throws(() => cosine([1], [1, 2]), /lengths 1 and 2/);
});

test("the restricted slice is the block both archs use when their widths differ", () => {
  const model = createSupernet(microConfig(), 1);
  const a: Arch = { ...largestArch(microSpace), encoder: { ...largestArch(microSpace).encoder, embedDim: 12, ffnDim: [10, 6] } };
  const b: Arch = { ...smallestArch(microSpace), encoder: { ...smallestArch(microSpace).encoder, embedDim: 8, ffnDim: [6, 10] } };
  assert.deepEqual(commonBlock(model, a, b, "enc.0.fc1.w"), [8, 6]);
  assert.deepEqual(commonBlock(model, a, b, "enc.1.fc2.w"), [6, 8]); // a: [6, 12], b: [10, 8]
  assert.deepEqual(commonBlock(model, a, b, "enc.0.fc1.b"), [6]);
  // A 3x4 row-major gradient restricted to its leading 2x3 block.
  const g = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(Array.from(restrictToBlock(g, [3, 4], [2, 3])), [1, 2, 3, 5, 6, 7]);
  assert.deepEqual(Array.from(restrictToBlock(g, [12], [5])), [1, 2, 3, 4, 5]);
});

test("an arch's gradient similarity with itself is 1, and pairs report their differing operators", async () => {
  const model = createSupernet(microConfig(), 2);
  const rng = new Rng(4);
  const a = sampleArch(microSpace, rng);
  const b = sampleArch(microSpace, rng);
  const rows = await gradientSimilarity(model, [[a, a], [a, b]], randomBatch(1), "encoder.layer[0].ffn");
  assert.ok(Math.abs(rows[0].cosine - 1) < 1e-6);
  assert.equal(rows[0].differing, 0);
  assert.ok(rows[1].cosine < 1 && rows[1].cosine > -1);
  const g = await archGradients(model, a, randomBatch(1), ["enc.0.fc1.w"]);
  assert.equal(g.values["enc.0.fc1.w"].length, 12 * 10);
});

test("operator catalogue: derived from the space, shared operators respect depth", () => {
  const ops = operatorCatalog(microSpace);
  assert.equal(ops.length, 2 + 2 * 2 + 3 * 2);
  const one = { ...smallestArch(microSpace) };
  const two = largestArch(microSpace);
  const shared = sharedOperators(microSpace, one, two).map((o) => o.name);
  assert.ok(shared.includes("decoder.layer[0].ffn"));
  assert.ok(!shared.includes("decoder.layer[1].ffn"));
});

test("MAGIC-T changes exactly one gene per step and is registered as a sampler", () => {
  const sampler = magicTSampler(microSpace);
  const rng = new Rng(8);
  let prev = sampler.next(rng)[0];
  for (let i = 0; i < 50; i++) {
    const next = sampler.next(rng)[0];
    const a = encodeArch(microSpace, prev);
    const b = encodeArch(microSpace, next);
    // Genes of inactive layers copy the last active one, so compare the active view: the decoded archs.
    const changed = JSON.stringify(prev) !== JSON.stringify(next);
    assert.ok(changed, "every step changes the arch");
    const activeDiff = a.filter((g, j) => g !== b[j]).length;
    assert.ok(activeDiff >= 1);
    const diffFields = [
      prev.encoder.embedDim !== next.encoder.embedDim,
      prev.decoder!.embedDim !== next.decoder!.embedDim,
      prev.decoder!.numLayers !== next.decoder!.numLayers,
      ...prev.encoder.ffnDim.map((v, j) => v !== next.encoder.ffnDim[j]),
      ...prev.encoder.numHeads.map((v, j) => v !== next.encoder.numHeads[j]),
      ...["ffnDim", "selfHeads", "crossHeads", "crossLayers"].flatMap((f) =>
        Array.from({ length: Math.min(prev.decoder!.numLayers, next.decoder!.numLayers) }, (_, j) => (prev.decoder! as any)[f][j] !== (next.decoder! as any)[f][j])),
    ].filter(Boolean).length;
    assert.equal(diffFields, 1, `step ${i}: ${JSON.stringify(prev)} -> ${JSON.stringify(next)}`);
    prev = next;
  }
  assert.equal(makeSampler("magic-t", microSpace).name, "magic-t");
});

test("the alignment loss is zero when the child equals the anchor, and positive otherwise", async () => {
  const model = createSupernet(microConfig(), 3);
  const anchor = largestArch(microSpace);
  const hook = magicA(anchor, { weight: 1 });
  const tensors = batchTensors(randomBatch(2));
  hook.prepare?.(model, tensors);
  const lossFor = async (arch: Arch) => {
    const loss = tf.tidy(() => {
      const trace = new Map<string, tf.Tensor>();
      model.logits(arch, tensors, null, trace);
      return hook.extraLoss?.(model, arch, tensors, trace) as tf.Scalar;
    });
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  assert.ok(Math.abs(await lossFor(anchor)) < 1e-6);
  assert.ok((await lossFor(smallestArch(microSpace))) > 1e-3);
  hook.release?.();
  assert.deepEqual(alignedLayers(smallestArch(microSpace), anchor).map((l) => l.name), ["enc.0.out", "enc.1.out", "dec.0.out"]);
  const same = tf.tidy(() => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, "float32", 1);
    return hiddenDistance(x, x, tf.ones([2, 3]) as tf.Tensor2D, "mse");
  });
  assert.ok(Math.abs((await same.data())[0]) < 1e-9);
  same.dispose();
  tf.dispose(Object.values(tensors));
});

test("linear CKA is 1 for the same representation up to rotation and scale, and io similarity runs", async () => {
  const [x, rotated] = tf.tidy(() => {
    const x = tf.randomNormal([20, 4], 0, 1, "float32", 3) as tf.Tensor2D;
    const q = tf.tensor2d([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]);
    return [x, tf.mul(tf.matMul(x, q), 3) as tf.Tensor2D];
  });
  assert.ok(Math.abs((await linearCka(x, rotated)) - 1) < 1e-4);
  tf.dispose([x, rotated]);
  const model = createSupernet(microConfig(), 5);
  const pairs = perturbationPairs(microSpace, "encoder.layer[1].ffn", { anchors: 2, maxChanges: 2, rng: new Rng(1) });
  assert.ok(pairs.length >= 2);
  const rows = await ioSimilarity(model, pairs, randomBatch(3), "encoder.layer[1].ffn");
  for (const r of rows) {
    assert.ok(r.inputSimilarity > 0 && r.inputSimilarity <= 1 + 1e-6);
    assert.ok(r.differing >= 1);
  }
});
