import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { asTrainingBatch, loadMaskedLmData, maskedLmBatches, packSentences, bertVocab } from "../../src/data/bert/index";
import { collapse, createMos } from "../../src/mos/index";
import {
  archFeatures, archFromKey, archKey, archParams, decodeArch, encodeArch, getBertSpace, largestArch, makeSampler, sampleArch, smallestArch, validateArch,
} from "../../src/space/index";
import { archLoss, batchTensors, countParams, createSupernet, disposeParams, extractSubnet, makeSupernetConfig } from "../../src/supernet/index";
import { evaluateLoss } from "../../src/eval/index";
import { trainSupernet } from "../../src/train/index";
import { gradientsOf } from "../../src/train/gradients";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getBertSpace("bert-tiny");
const vocabSize = 50;

/** A masked-LM batch of random ordinary ids (ids 4..vocabSize-2; the last id is [MASK]). */
function randomMaskedBatch(seed: number, rows = 3, len = 9) {
  const vocab = bertVocab({ vocabSize: vocabSize - 1, specials: [] });
  const rng = new Rng(seed);
  const seqs = Array.from({ length: rows }, () => Int32Array.from([vocab.clsId, ...Array.from({ length: len - 2 }, () => 4 + rng.int(vocabSize - 6)), vocab.sepId]));
  // A high masking rate so that every row has masked positions.
  return asTrainingBatch(maskedLmBatches(seqs, { maxTokens: rows * len, vocab, rng, masking: { maskRate: 0.4 } })[0]);
}

test("an encoder-only space runs through the schema: validation, keys, genes, features, sizes", async () => {
  const rng = new Rng(4);
  const archs = [largestArch(space), smallestArch(space), ...Array.from({ length: 6 }, () => sampleArch(space, rng))];
  for (const arch of archs) {
    assert.equal(arch.decoder, undefined);
    validateArch(space, arch);
    assert.deepEqual(archFromKey(archKey(arch), space), arch);
    assert.deepEqual(decodeArch(space, encodeArch(space, arch)), arch);
    assert.equal(archFeatures(space, arch).length, 4);
  }
  assert.deepEqual(archFeatures(space, largestArch(space)), [1, 1, 1, 1]);
  assert.match(archKey(largestArch(space)), /^e64x2\[128,128\|4,4\]$/);
  const withDecoder = { ...largestArch(space), decoder: { embedDim: 32, numLayers: 1, ffnDim: [64], selfHeads: [2], crossHeads: [2], crossLayers: [1] } };
  assert.throws(() => validateArch(space, withDecoder), /decoder must be absent: space "bert-tiny" is encoder-only/);
  assert.throws(() => validateArch(space, { encoder: { ...largestArch(space).encoder, numLayers: 3 } }), /encoder\.numLayers = 3 is not allowed; allowed: 1, 2/);
  // The parameter formula counts exactly the weights an extracted subnet holds.
  const model = createSupernet(makeSupernetConfig(space, vocabSize), 1);
  for (const arch of archs.slice(0, 4)) {
    const sub = extractSubnet(model, arch);
    assert.equal(archParams(space, arch, vocabSize), countParams(sub.params), archKey(arch));
    disposeParams(sub.params);
  }
  disposeParams(model.params);
});

test("an extracted BERT subnet and a collapsed MoS-BERT subnet give their supernet's masked-LM logits", async () => {
  const config = makeSupernetConfig(space, vocabSize);
  const plain = createSupernet(config, 3);
  const mos = createMos(config, { numExperts: 2, granularity: "neuron" }, 3);
  const rng = new Rng(6);
  const archs = [largestArch(space), smallestArch(space), sampleArch(space, rng), sampleArch(space, rng)];
  const batch = randomMaskedBatch(2);
  for (const [model, cut] of [[plain, extractSubnet], [mos, collapse]] as const) {
    for (const arch of archs) {
      const sub = cut(model as never, arch);
      const [a, b] = [model, sub].map((m) => tf.tidy(() => m.logits(arch, batchTensors(batch), null).dataSync() as Float32Array));
      assert.equal(a.length, batch.rows * batch.srcLen * vocabSize);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      assert.ok(worst < 1e-4, `${model.kind} ${archKey(arch)}: max |logit difference| ${worst}`);
      disposeParams(sub.params);
    }
  }
  disposeParams(plain.params);
  disposeParams(mos.params);
});

test("the masked-LM loss reads the masked positions only, and its gradients match central differences", async () => {
  const model = createSupernet(makeSupernetConfig(space, vocabSize), 5);
  const arch = sampleArch(space, new Rng(3));
  const batch = randomMaskedBatch(4);
  const loss = (b: typeof batch) => tf.tidy(() => archLoss(model, arch, batchTensors(b), null, 0).dataSync()[0]);
  const base = loss(batch);
  const unmasked = Array.from(batch.tgtMask.keys()).filter((i) => batch.tgtMask[i] === 0);
  const masked = Array.from(batch.tgtMask.keys()).filter((i) => batch.tgtMask[i] === 1);
  assert.ok(unmasked.length > 0 && masked.length > 0);
  const relabel = (positions: number[]) => {
    const tgtOut = batch.tgtOut.slice();
    for (const i of positions) tgtOut[i] = (tgtOut[i] + 7) % (vocabSize - 1);
    return { ...batch, tgtOut };
  };
  assert.equal(loss(relabel(unmasked)), base, "labels at unmasked positions change nothing");
  assert.notEqual(loss(relabel(masked.slice(0, 1))), base, "a label at a masked position changes the loss");
  const { grads } = gradientsOf(model.params, () => archLoss(model, arch, batchTensors(batch), null, 0));
  const eps = 1e-2;
  const rng = new Rng(8);
  for (const name of ["embed", "enc.0.selfAttn.k.w", "enc.0.fc1.w", "enc.ln.g"]) {
    const param = model.params[name];
    const g = grads[name].dataSync();
    const values = param.dataSync().slice() as Float32Array;
    for (let trial = 0; trial < 3; trial++) {
      // Inside the slice every arch uses: the first 32 rows and columns (the smallest hidden size).
      const i = param.shape.length === 1 ? rng.int(32) : rng.int(32) * (param.shape[1] as number) + rng.int(32);
      const orig = values[i];
      const at = (v: number) => {
        values[i] = v;
        param.assign(tf.tensor(values, param.shape));
        return loss(batch);
      };
      const numeric = (at(orig + eps) - at(orig - eps)) / (2 * eps);
      at(orig);
      assert.ok(Math.abs(numeric - g[i]) <= 2e-3 + 0.05 * Math.abs(numeric), `${name}[${i}]: analytic ${g[i]}, numeric ${numeric}`);
    }
  }
  for (const t of Object.values(grads)) t.dispose();
  disposeParams(model.params);
});

test("packing keeps sentence order, [CLS]/[SEP] and the length limit", async () => {
  const vocab = bertVocab({ vocabSize: 100, specials: [] });
  const packed = packSentences([[10, 11, 12], [13, 14], [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]], vocab, 8);
  assert.deepEqual(packed.map((s) => Array.from(s)), [
    [vocab.clsId, 10, 11, 12, 13, 14, vocab.sepId],
    [vocab.clsId, 15, 16, 17, 18, 19, 20, vocab.sepId],
  ]);
  assert.throws(() => packSentences([[10]], vocab, 4), /maxLen must be an integer >= 8/);
});

test("masked-LM pretraining on Brown lowers the held-out masked-LM loss, plain and MoS, with the same trainer", async () => {
  const data = loadMaskedLmData({ vocabSize: 2000, maxLen: 64, maxTokens: 1024, trainSequences: 400, validSequences: 24, seed: 1 });
  assert.ok(data.validBatches.every((b) => b.numTargetTokens > 0));
  const config = makeSupernetConfig(space, data.vocab.vocabSize, { dropout: 0 });
  const schedule = { kind: "cosine" as const, lr: 3e-3, warmupInitLr: 3e-5, warmupUpdates: 5, maxUpdates: 40, minLr: 3e-4 };
  for (const model of [createSupernet(config, 1), createMos(config, { numExperts: 2 }, 1)]) {
    const archs = [largestArch(space), smallestArch(space)];
    const before: number[] = [];
    for (const a of archs) before.push((await evaluateLoss(model, a, data.validBatches)).loss);
    await trainSupernet(model, data, { sampler: makeSampler("sandwich", space), updates: 40, schedule, seed: 1, showProgress: false });
    const after: number[] = [];
    for (const a of archs) after.push((await evaluateLoss(model, a, data.validBatches)).loss);
    for (let i = 0; i < archs.length; i++) assert.ok(after[i] < before[i] - 0.5, `${model.kind} ${archKey(archs[i])}: ${before[i].toFixed(3)} -> ${after[i].toFixed(3)}`);
    disposeParams(model.params);
  }
});
