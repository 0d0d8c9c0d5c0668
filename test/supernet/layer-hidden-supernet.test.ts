/**
 * SuperShaper's per-layer hidden size, the space of MoS-BERT: each layer runs at its own width
 * between an input and an output bottleneck. Checked here: the space's rules, the weights'
 * shapes and identity start, exact numerical gradients through the bottlenecks, extraction and
 * MoS collapse reproducing the supernet with exactly the counted weights, FLOPs by hand, the
 * router reading per-layer widths, MAGIC's operator accounting, and a short run whose loss falls.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { asTrainingBatch, bertVocab, maskedLmBatches } from "../../src/data/bert/index";
import { differingOperators } from "../../src/space/differing-operators";
import { collapse, createMos, routeArch } from "../../src/mos/index";
import { archFeatureNames, archFeatures, archFlops, archKey, archParams, defineSpace, geneSpecs, getBertSpace, largestArch, makeSampler, sampleArch, smallestArch, spaceProblems } from "../../src/space/index";
import type { Arch, SearchSpace } from "../../src/space/index";
import { archLoss, batchTensors, countParams, createSupernet, disposeParams, extractSubnet, makeSupernetConfig, paramShapes, subnetShapes } from "../../src/supernet/index";
import type { WeightSharingModel } from "../../src/supernet/index";
import { getOperator, gradientSimilarity } from "../../src/interference/index";
import { gradientsOf } from "../../src/train/gradients";
import { trainSupernet } from "../../src/train/index";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";
import { centralDifference } from "../helpers/central-difference";

useBackend();

/** Small enough for numerical gradients: a 12-wide stream, layers of width 4, 8 or 12. */
const micro = defineSpace({ name: "shaper-micro", encoder: { embedDim: [12], numLayers: [1, 2], ffnDim: [6, 10], numHeads: [1, 2], layerHiddenDim: [4, 8, 12] } });
const vocabSize = 40;

/** A masked-LM batch of random sentences over `vocabSize` ids. */
function mlmBatch(seed: number, rows = 3, length = 7) {
  const vocab = bertVocab({ vocabSize: vocabSize - 1, specials: [] });
  const rng = new Rng(seed);
  const seqs = Array.from({ length: rows }, () => Int32Array.from([vocab.clsId, ...Array.from({ length }, () => 4 + rng.int(vocabSize - 6)), vocab.sepId]));
  return asTrainingBatch(maskedLmBatches(seqs, { maxTokens: rows * (length + 2), vocab, rng, masking: { maskRate: 0.4 } })[0]);
}

/** The largest |a - b| over two models' logits for one arch. */
function logitGap(a: WeightSharingModel, b: WeightSharingModel, arch: Arch, batch: ReturnType<typeof mlmBatch>): number {
  const [x, y] = [a, b].map((m) => tf.tidy(() => m.logits(arch, batchTensors(batch), null).dataSync() as Float32Array));
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

const arch = (hidden: number[], extra: Partial<Arch["encoder"]> = {}): Arch => ({
  encoder: { embedDim: 12, numLayers: hidden.length, ffnDim: hidden.map(() => 10), numHeads: hidden.map(() => 2), layerHiddenDim: hidden, ...extra },
});

test("a space with per-layer hidden sizes derives qkvDim, has one gene per layer, and rejects what it cannot run, naming the field", () => {
  assert.equal(micro.qkvDim, 12, "the widest attention is the widest layer");
  assert.deepEqual(
    geneSpecs(micro).filter((g) => g.field === "layerHiddenDim").map((g) => g.layer),
    [0, 1],
  );
  const mosBert = getBertSpace("mos-bert");
  assert.deepEqual(mosBert.encoder.layerHiddenDim, [120, 240, 360, 480, 540, 600, 768]);
  assert.equal(mosBert.qkvDim, 768);
  // Its widest subnet is BERT-base's encoder (12 x 7,087,872 weights, final LayerNorm 1,536) plus
  // 12 pairs of 768 x 768 bottlenecks with biases (12 x 2 x 590,592).
  assert.equal(archParams(mosBert, largestArch(mosBert), 0, { includeEmbeddings: false }), 12 * 7_087_872 + 1_536 + 12 * 2 * 590_592);
  const bad = (extra: object) => spaceProblems({ name: "bad", encoder: { embedDim: [12], numLayers: [1], ffnDim: [6], numHeads: [2], layerHiddenDim: [4, 6], ...extra }, qkvDim: 6 } as unknown as SearchSpace);
  assert.equal(bad({}).length, 0);
  assert.match(bad({ numHeads: [4] }).join("\n"), /encoder\.numHeads choice 4 does not divide encoder\.layerHiddenDim choice\(s\) 6/);
  assert.match(
    spaceProblems({ name: "bad", encoder: { embedDim: [12], numLayers: [1], ffnDim: [6], numHeads: [2], layerHiddenDim: [4, 6] }, qkvDim: 12 } as SearchSpace).join("\n"),
    /qkvDim = 12 must equal the largest encoder\.layerHiddenDim = 6/,
  );
  assert.match(
    spaceProblems({ name: "bad", encoder: { embedDim: [12], numLayers: [1], ffnDim: [6], numHeads: [2], layerHiddenDim: [4, 6] }, qkvDim: 6, headDim: 3 } as SearchSpace).join("\n"),
    /layerHiddenDim is declared together with headDim/,
  );
  assert.throws(() => defineSpace({ name: "bad", encoder: { embedDim: [12], numLayers: [1], ffnDim: [6], numHeads: [2], layerHiddenDim: [4] }, decoder: { embedDim: [8], numLayers: [1], ffnDim: [6], selfHeads: [2], crossHeads: [2], crossLayers: [1] } }), /layerHiddenDim is declared together with a decoder/);
  assert.throws(() => archParams(micro, arch([4, 5]), vocabSize), /encoder\.layerHiddenDim\[1\] = 5 is not allowed; allowed: 4, 8, 12/);
});

test("each layer owns bottlenecks embedDim <-> layerHiddenDim that start as the identity; its attention and FFN run at the layer's width", () => {
  const config = makeSupernetConfig(micro, vocabSize, { dropout: 0 });
  const shapes = paramShapes(config);
  assert.deepEqual(shapes["enc.1.inBottleneck.w"], [12, 12]);
  assert.deepEqual(shapes["enc.1.outBottleneck.w"], [12, 12]);
  const sub = subnetShapes(config, arch([4, 8]));
  assert.deepEqual(sub["enc.0.inBottleneck.w"], [12, 4]);
  assert.deepEqual(sub["enc.0.outBottleneck.w"], [4, 12]);
  assert.deepEqual(sub["enc.0.selfAttn.q.w"], [4, 4], "q/k/v are as wide as the layer");
  assert.deepEqual(sub["enc.1.fc1.w"], [8, 10]);
  assert.deepEqual(sub["enc.1.fc2.w"], [10, 8]);
  assert.deepEqual(sub["enc.0.ln1.g"], [4]);
  assert.deepEqual(sub["enc.ln.g"], [12], "the stream keeps embedDim");
  const model = createSupernet(config, 3);
  const eye = model.params["enc.0.inBottleneck.w"].arraySync() as number[][];
  eye.forEach((row, i) => row.forEach((v, j) => assert.equal(v, i === j ? 1 : 0)));
  // So at the start a layer reads the first h channels of the stream.
  const trace = new Map<string, tf.Tensor>();
  tf.tidy(() => {
    model.logits(arch([4, 8]), batchTensors(mlmBatch(1)), null, trace);
    const x = trace.get("enc.0.bottleneck.in") as tf.Tensor3D;
    const first = tf.slice(x, [0, 0, 0], [-1, -1, 4]);
    const { mean, variance } = tf.moments(first, -1, true);
    const want = tf.div(tf.sub(first, mean), tf.sqrt(tf.add(variance, 1e-5)));
    const got = trace.get("enc.0.selfAttn.in") as tf.Tensor;
    assert.deepEqual(got.shape, [3, 9, 4]);
    assert.ok(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0] < 1e-4);
  });
  disposeParams(model.params);
});

test("gradients through the bottlenecks and the narrow layers match central differences", () => {
  const model = createSupernet(makeSupernetConfig(micro, vocabSize, { dropout: 0 }), 11);
  // Move the bottlenecks off the identity so that every path carries a generic gradient.
  const rng = new Rng(5);
  for (const name of ["enc.0.inBottleneck.w", "enc.0.outBottleneck.w", "enc.1.inBottleneck.w", "enc.1.outBottleneck.w"]) {
    const v = model.params[name].dataSync().slice() as Float32Array;
    for (let i = 0; i < v.length; i++) v[i] += 0.3 * rng.normal();
    model.params[name].assign(tf.tensor(v, model.params[name].shape));
  }
  const a = arch([4, 8]);
  const batch = mlmBatch(2);
  const loss = () => tf.tidy(() => archLoss(model, a, batchTensors(batch), null, 0).dataSync()[0]);
  const { grads } = gradientsOf(model.params, () => archLoss(model, a, batchTensors(batch), null, 0));
  const used = subnetShapes(model.config, a);
  const eps = 1e-2;
  let checked = 0;
  for (const name of ["enc.0.inBottleneck.w", "enc.0.outBottleneck.w", "enc.1.inBottleneck.b", "enc.1.selfAttn.q.w", "enc.0.fc2.w", "enc.1.ln2.g"]) {
    const param = model.params[name];
    const g = grads[name].dataSync();
    for (let trial = 0; trial < 3; trial++) {
      const [rows, cols] = used[name];
      const i = cols === undefined ? rng.int(rows) : rng.int(rows) * (param.shape[1] as number) + rng.int(cols);
      const numeric = centralDifference(param, i, loss, eps);
      assert.ok(Math.abs(numeric - g[i]) <= 2e-3 + 0.05 * Math.abs(numeric), `${name}[${i}]: analytic ${g[i]}, numeric ${numeric}`);
      checked++;
    }
  }
  assert.equal(checked, 18);
  // Columns of the in-bottleneck beyond the layer's width get no gradient.
  const inB = grads["enc.0.inBottleneck.w"].arraySync() as number[][];
  assert.ok(inB.every((row) => row.slice(4).every((v) => v === 0)));
  for (const t of Object.values(grads)) t.dispose();
  disposeParams(model.params);
});

test("extracted subnets and MoS collapses reproduce the supernet's masked-LM logits and hold exactly the counted weights", () => {
  const config = makeSupernetConfig(micro, vocabSize, { dropout: 0 });
  const model = createSupernet(config, 2);
  const mos = createMos(config, { numExperts: 2, granularity: "neuron" }, 3);
  const batch = mlmBatch(3);
  const archs = [largestArch(micro), smallestArch(micro), arch([12, 4]), sampleArch(micro, new Rng(7))];
  for (const a of archs) {
    for (const [m, sub] of [[model, extractSubnet(model, a)], [mos, collapse(mos, a)]] as const) {
      assert.deepEqual(sub.config.space.encoder.layerHiddenDim, [...new Set(a.encoder.layerHiddenDim)].sort((x, y) => x - y));
      assert.equal(archParams(micro, a, vocabSize), countParams(sub.params), archKey(a));
      assert.ok(logitGap(m, sub, a, batch) < 1e-4, `${m.kind} ${archKey(a)}`);
      disposeParams(sub.params);
    }
  }
  disposeParams(model.params);
  disposeParams(mos.params);
});

test("FLOPs of a layer at its own width plus its bottlenecks, by hand", () => {
  const S = 5;
  const a = arch([4, 8]);
  // Layer of width h, attention width h, FFN 10, stream 12: S·4·h·h + 2·S·S·h + S·2·h·10 + S·2·12·h.
  const layer = (h: number) => S * 4 * h * h + 2 * S * S * h + S * 2 * h * 10 + S * 2 * 12 * h;
  assert.equal(archFlops(micro, a, { srcLen: S, tgtLen: 1, includeEmbeddings: false }), 2 * (layer(4) + layer(8)));
  assert.equal(archFlops(micro, a, { srcLen: S, tgtLen: 1, vocabSize }) - archFlops(micro, a, { srcLen: S, tgtLen: 1, includeEmbeddings: false }), 2 * S * 12 * vocabSize);
});

test("the MoS router reads the per-layer widths, so archs that differ in one layer's width get different mixtures", () => {
  assert.deepEqual(archFeatureNames(micro), ["encEmbed", "encLayers", "meanEncFfn", "meanEncHeads", "encLayerHidden0", "encLayerHidden1"]);
  assert.deepEqual(archFeatures(micro, arch([4]), undefined).slice(4), [4 / 12, 0], "an absent layer reads 0");
  const config = makeSupernetConfig(micro, vocabSize, { dropout: 0 });
  const mos = createMos(config, { numExperts: 2, granularity: "neuron" }, 4);
  const [x, y] = [arch([8, 8]), arch([8, 12])].map((a) =>
    tf.tidy(() => {
      const r = routeArch(mos.params, micro, a, mos.options, null).get("enc.0");
      return r?.fc2.dataSync().slice() as Float32Array; // layer 0 has the same width in both archs
    }),
  );
  assert.equal(x.length, 8 * 2);
  assert.ok(x.some((v, i) => Math.abs(v - y[i]) > 1e-6), "layer 0's routing depends on layer 1's width");
  disposeParams(mos.params);
});

test("MAGIC: a width change is one differing operator (the layer's bottleneck), and the bottleneck's gradient probe runs", async () => {
  assert.deepEqual(differingOperators(arch([4, 8]), arch([4, 12])).operators, ["encoder.layer[1].bottleneck"]);
  assert.deepEqual(differingOperators(arch([4, 8]), arch([8, 12], { ffnDim: [6, 10] })).operators, ["encoder.layer[0].bottleneck", "encoder.layer[0].ffn", "encoder.layer[1].bottleneck"]);
  const op = getOperator(micro, "encoder.layer[0].bottleneck");
  assert.deepEqual(op.weights, ["enc.0.inBottleneck.w", "enc.0.inBottleneck.b", "enc.0.outBottleneck.w", "enc.0.outBottleneck.b"]);
  const model = createSupernet(makeSupernetConfig(micro, vocabSize, { dropout: 0 }), 6);
  const rows = await gradientSimilarity(model, [[arch([8, 8]), arch([8, 8])], [arch([8, 8]), arch([8, 4])]], mlmBatch(4), "encoder.layer[0].bottleneck");
  assert.ok(Math.abs(rows[0].cosine - 1) < 1e-5, "a child against itself");
  assert.ok(rows[1].cosine < 1 - 1e-4 && rows[1].differing === 1);
  disposeParams(model.params);
});

test("sandwich training of a shaper-tiny supernet lowers the masked-LM loss on the batch it sees", async () => {
  const space = getBertSpace("shaper-tiny");
  const model = createSupernet(makeSupernetConfig(space, vocabSize, { dropout: 0 }), 1);
  const batch = mlmBatch(5, 4, 10);
  const lossOf = (a: Arch) => tf.tidy(() => archLoss(model, a, batchTensors(batch), null, 0).dataSync()[0]);
  const before = [largestArch(space), smallestArch(space)].map(lossOf);
  const schedule = { kind: "cosine" as const, lr: 3e-3, warmupInitLr: 3e-3, warmupUpdates: 1, maxUpdates: 40, minLr: 1e-3 };
  await trainSupernet(model, { validBatches: [batch], batchesForEpoch: () => [batch] }, { sampler: makeSampler("sandwich", space), updates: 40, schedule, seed: 1, labelSmoothing: 0, showProgress: false });
  const after = [largestArch(space), smallestArch(space)].map(lossOf);
  after.forEach((l, i) => assert.ok(l < before[i] - 0.5, `arch ${i}: ${before[i]} -> ${l}`));
  disposeParams(model.params);
});
