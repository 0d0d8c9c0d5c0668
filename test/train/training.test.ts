import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadTranslationData } from "../../src/data/translation-data";
import { getSpace, largestArch, sandwichSampler, smallestArch } from "../../src/space/index";
import { createSupernet, makeSupernetConfig } from "../../src/supernet/index";
import { createTrainerState, makeTrainConfig, runTraining, trainStep } from "../../src/train/index";
import { evaluateLoss } from "../../src/eval/validation-loss";
import { useBackend } from "../helpers/backend";

useBackend();

const data = loadTranslationData({ vocabSize: 1000, trainPairs: 600, validPairs: 48, maxLen: 32, maxTokens: 640, seed: 3 });
const space = getSpace("tiny");

test("a tiny supernet trained with the sandwich rule lowers the validation loss of its largest and smallest subnets", async () => {
  const model = createSupernet(makeSupernetConfig(space, data.tokenizer.vocabSize, { dropout: 0.1 }), 1);
  const config = makeTrainConfig({ schedule: { kind: "cosine", lr: 3e-3, warmupInitLr: 1e-4, warmupUpdates: 5, maxUpdates: 30, minLr: 3e-4 }, seed: 2 });
  const state = createTrainerState(config);
  const archs = [largestArch(space), smallestArch(space)];
  const before: number[] = [];
  for (const a of archs) before.push((await evaluateLoss(model, a, data.validBatches)).loss);
  await runTraining(model, state, config, sandwichSampler(space), { updates: 30, batchesForEpoch: data.batchesForEpoch, showProgress: false });
  const after: number[] = [];
  for (const a of archs) after.push((await evaluateLoss(model, a, data.validBatches)).loss);
  assert.equal(state.step, 30);
  for (let i = 0; i < 2; i++) assert.ok(after[i] < before[i] - 0.5, `arch ${i}: ${before[i]} -> ${after[i]}`);
});

test("a training step leaks no tensors once the optimizer state exists", async () => {
  const model = createSupernet(makeSupernetConfig(space, data.tokenizer.vocabSize), 2);
  const config = makeTrainConfig({ schedule: { kind: "constant", lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 10, minLr: 0 }, seed: 4 });
  const state = createTrainerState(config);
  const sampler = sandwichSampler(space);
  const batches = data.batchesForEpoch(0);
  // Two steps create Adam moments for every weight any arch can use; after that memory is flat.
  for (let i = 0; i < 3; i++) await trainStep(model, state, config, sampler, batches[i]);
  const before = tf.memory().numTensors;
  for (let i = 3; i < 8; i++) await trainStep(model, state, config, sampler, batches[i]);
  assert.equal(tf.memory().numTensors, before);
});
