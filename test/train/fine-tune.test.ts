import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { bertVocab, encodeExamples, loadTokenizer, majorityBaseline, sentimentTask } from "../../src/data/index";
import { getBertSpace, largestArch } from "../../src/space/index";
import { createStandalone, disposeParams, makeSupernetConfig } from "../../src/supernet/index";
import { fineTuneClassifier, fineTuneOverSeeds } from "../../src/train/index";
import { meanInterval, tQuantile975 } from "../../src/stats/index";
import { useBackend } from "../helpers/backend";

useBackend();

test("meanInterval is the Student-t interval of a hand case", () => {
  const e = meanInterval([1, 2, 3]);
  assert.equal(e.estimate, 2);
  assert.equal(e.n, 3);
  assert.ok(Math.abs(e.ci[1] - (2 + 4.303 / Math.sqrt(3))) < 1e-12 && Math.abs(e.ci[0] - (2 - 4.303 / Math.sqrt(3))) < 1e-12);
  assert.equal(tQuantile975(1), 12.706);
  assert.throws(() => meanInterval([1]), /at least 2 finite numbers/);
  assert.deepEqual(meanInterval([0.9, 1, 1], [0, 1]).ci[1], 1, "an accuracy's interval stops at 1");
});

test("a classifier fine-tuned from scratch beats the majority baseline on sentence sentiment in a short run", async () => {
  const task = sentimentTask();
  const tokenizer = loadTokenizer("brown", 2000);
  const vocab = bertVocab(tokenizer);
  const train = encodeExamples(task.splits.train, tokenizer, vocab, 48);
  const testSet = encodeExamples(task.splits.test, tokenizer, vocab, 48);
  const majority = majorityBaseline(task.splits.train.map((e) => e.label), task.splits.test.map((e) => e.label), task.labelNames);
  const space = getBertSpace("bert-tiny");
  const arch = largestArch(space);
  const model = createStandalone(makeSupernetConfig(space, vocab.vocabSize, { dropout: 0.1 }), arch, 3);
  const before = tf.memory().numTensors;
  const result = await fineTuneClassifier(model, arch, train, testSet, task.labelNames.length, { updates: 150, batchSize: 32, lr: 2e-3, seed: 1 });
  assert.equal(tf.memory().numTensors, before, "the head, optimizer state and batches are freed");
  // Two binomial standard errors above the majority class on the 300 test sentences.
  const margin = 2 * Math.sqrt((majority.accuracy * (1 - majority.accuracy)) / testSet.length);
  assert.ok(result.accuracy > majority.accuracy + margin, `accuracy ${result.accuracy.toFixed(3)} against majority ${majority.accuracy.toFixed(3)} + ${margin.toFixed(3)}`);
  assert.equal(result.losses.length, 150);
  await assert.rejects(() => fineTuneClassifier(model, arch, train, testSet, 1, { updates: 1, batchSize: 4, lr: 1e-3, seed: 1 }), /numLabels must be an integer >= 2|label 1 is outside/);
  disposeParams(model.params);
});

test("fineTuneOverSeeds runs one fresh model per seed, frees each, and summarises the seeds' accuracies", async () => {
  const task = sentimentTask();
  const tokenizer = loadTokenizer("brown", 2000);
  const vocab = bertVocab(tokenizer);
  const train = encodeExamples(task.splits.train.slice(0, 64), tokenizer, vocab, 32);
  const testSet = encodeExamples(task.splits.test.slice(0, 40), tokenizer, vocab, 32);
  const space = getBertSpace("bert-tiny");
  const arch = largestArch(space);
  const config = makeSupernetConfig(space, vocab.vocabSize, { dropout: 0.1 });
  const made: number[] = [];
  const before = tf.memory().numTensors;
  const options = { updates: 3, batchSize: 8, lr: 1e-3 };
  const r = await fineTuneOverSeeds((seed) => (made.push(seed), createStandalone(config, arch, seed)), arch, train, testSet, 2, options, [4, 5]);
  assert.deepEqual(made, [4, 5]);
  assert.equal(tf.memory().numTensors, before, "every model is disposed after its run");
  assert.equal(r.runs.length, 2);
  assert.deepEqual(r.accuracy, meanInterval(r.runs.map((x) => x.accuracy), [0, 1]));
  // The same seed and start give the same run: the seed fixes head, batches and dropout.
  const again = await fineTuneClassifier(createStandalone(config, arch, 5), arch, train, testSet, 2, { ...options, seed: 5 });
  assert.deepEqual(again.losses, r.runs[1].losses);
  await assert.rejects(() => fineTuneOverSeeds((seed) => createStandalone(config, arch, seed), arch, train, testSet, 2, options, [1]), /seeds must be at least 2 distinct integers, got \[1\]/);
  await assert.rejects(() => fineTuneOverSeeds((seed) => createStandalone(config, arch, seed), arch, train, testSet, 2, options, [1, 1]), /seeds must be at least 2 distinct integers/);
});
