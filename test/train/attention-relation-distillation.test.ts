import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadMaskedLmData } from "../../src/data/index";
import { getBertSpace, largestArch, makeSampler, smallestArch, type Arch } from "../../src/space/index";
import { batchTensors, createSupernet, disposeParams, makeSupernetConfig, type WeightSharingModel } from "../../src/supernet/index";
import { attentionRelationDistillation, lastLayerQkv, relationDistillationLoss, relationScores, trainSupernet } from "../../src/train/index";
import type { TranslationBatch } from "../../src/data/index";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getBertSpace("bert-tiny");

test("relation scores are x·xᵀ / sqrt(w) per head of width floor(width / heads)", () => {
  // One sequence of 2 tokens, width 5, 2 heads of width 2 (the fifth channel is cut, as in the released code).
  const x = tf.tensor3d([[[1, 2, 3, 4, 9], [0, 1, 0, 2, 9]]]);
  const r = relationScores(x, 2).arraySync() as number[][][][];
  const s = Math.sqrt(2);
  assert.deepEqual(r[0][0].map((row) => row.map((v) => +v.toFixed(6))), [[5 / s, 2 / s], [2 / s, 1 / s]].map((row) => row.map((v) => +v.toFixed(6))));
  assert.deepEqual(r[0][1].map((row) => row.map((v) => +v.toFixed(6))), [[25 / s, 8 / s], [8 / s, 4 / s]].map((row) => row.map((v) => +v.toFixed(6))));
  assert.throws(() => relationScores(x, 6), /heads must be an integer in \[1, 5\]/);
  x.dispose();
});

function relationLoss(student: WeightSharingModel, studentArch: Arch, teacher: WeightSharingModel, teacherArch: Arch, batch: TranslationBatch): number {
  return tf.tidy(() => {
    const t = batchTensors(batch);
    const [ts, tt] = [new Map<string, tf.Tensor>(), new Map<string, tf.Tensor>()];
    student.logits(studentArch, t, null, ts);
    teacher.logits(teacherArch, t, null, tt);
    const heads = teacherArch.encoder.numHeads[teacherArch.encoder.numLayers - 1];
    return relationDistillationLoss(lastLayerQkv(student.params, studentArch, space, ts), lastLayerQkv(teacher.params, teacherArch, space, tt), t.srcMask, heads).dataSync()[0];
  });
}

test("the relation loss is zero against itself, ignores padding, and distillation lowers it", async () => {
  const data = loadMaskedLmData({ vocabSize: 2000, maxLen: 48, maxTokens: 512, trainSequences: 200, validSequences: 16, seed: 2 });
  const config = makeSupernetConfig(space, data.vocab.vocabSize, { dropout: 0 });
  const teacher = createSupernet(config, 7);
  const student = createSupernet(config, 8);
  const big = largestArch(space);
  const small = smallestArch(space);
  const batch = data.validBatches.find((b) => Array.from(b.srcMask).some((m) => m === 0)) as TranslationBatch;
  assert.ok(batch, "a validation batch with padding");
  assert.equal(relationLoss(teacher, big, teacher, big, batch), 0);
  const before = relationLoss(student, small, teacher, big, batch);
  assert.ok(before > 0);
  // Changing what sits at padded positions changes no relation between real tokens.
  const srcIds = batch.srcIds.map((id, i) => (batch.srcMask[i] === 0 ? 5 + (i % 7) : id));
  assert.ok(Math.abs(relationLoss(student, small, teacher, big, { ...batch, srcIds }) - before) < 1e-5 * before);
  const schedule = { kind: "cosine" as const, lr: 3e-3, warmupInitLr: 3e-5, warmupUpdates: 3, maxUpdates: 30, minLr: 3e-4 };
  // The same masked-LM training with and without the distillation term, from the same start.
  const control = createSupernet(config, 8);
  for (const [model, weight] of [[student, 1], [control, 0]] as const) {
    await trainSupernet(model, data, { sampler: makeSampler("fixed", space, { archs: [small] }), updates: 30, schedule, seed: 1, showProgress: false, hook: attentionRelationDistillation(teacher, big, { weight }) });
  }
  const distilled = relationLoss(student, small, teacher, big, batch);
  const undistilled = relationLoss(control, small, teacher, big, batch);
  assert.ok(distilled < before && distilled < 0.8 * undistilled, `relation loss ${before.toFixed(3)} -> ${distilled.toFixed(3)} distilled, ${undistilled.toFixed(3)} without the term`);
  disposeParams(control.params);
  disposeParams(teacher.params);
  disposeParams(student.params);
});
