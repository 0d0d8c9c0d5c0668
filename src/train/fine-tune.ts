/**
 * Fine-tuning a standalone BERT subnet (extracted from a supernet, collapsed from MoS, or fresh
 * for training from scratch) on a sentence-classification task: every weight and a new head
 * trained with Adam on a warmup-then-linear-decay schedule, as BERT's fine-tuning; accuracy on a
 * held-out split. The model's weights change in place, so pass a copy, never a supernet.
 */
import * as tf from "@tensorflow/tfjs";
import type { ClassificationBatch } from "../data/bert/collate-classification";
import { collateClassification } from "../data/bert/collate-classification";
import type { EncodedExample } from "../data/bert/encode-examples";
import type { Arch } from "../space/types";
import { classificationLogits, createClassificationHead } from "../supernet/classification-head";
import { disposeParams } from "../supernet/params";
import type { Supernet } from "../supernet/supernet";
import { MeanInterval, meanInterval } from "../stats/mean-interval";
import { Rng } from "../util/rng";
import { adamUpdate, createAdamState, disposeAdamState } from "./adam";
import { clipByGlobalNorm, disposeGradients, gradientsOf } from "./gradients";

/** Options of `fineTuneClassifier`. */
export interface FineTuneOptions {
  readonly updates: number;
  /** Examples per update. */
  readonly batchSize: number;
  /** Peak learning rate, reached after `warmup` of the updates, then decayed linearly to 0 (BERT). */
  readonly lr: number;
  readonly warmup?: number;
  readonly seed: number;
}

/** What a fine-tuning run gives. */
export interface FineTuneResult {
  /** Accuracy on the evaluation examples. */
  readonly accuracy: number;
  readonly evaluated: number;
  /** Training loss of each update. */
  readonly losses: readonly number[];
  readonly seconds: number;
}

function classificationTensors(b: ClassificationBatch) {
  return {
    ids: tf.tensor2d(b.inputIds, [b.rows, b.seqLen], "int32"),
    mask: tf.tensor2d(b.attentionMask, [b.rows, b.seqLen]),
    labels: tf.tensor1d(b.labels, "int32"),
  };
}

/** Accuracy of a model with a head over examples, in batches. */
export async function classificationAccuracy(model: Supernet, head: Record<string, tf.Variable>, arch: Arch, examples: readonly EncodedExample[], batchSize = 64): Promise<number> {
  let correct = 0;
  const weights = { ...model.params, ...head };
  for (let start = 0; start < examples.length; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, examples.length - start) }, (_, i) => start + i);
    const b = collateClassification(examples, idx);
    const argMax = tf.tidy(() => {
      const t = classificationTensors(b);
      return tf.argMax(classificationLogits(weights, model.config, arch, t.ids, t.mask, null), 1);
    });
    const predicted = (await argMax.data()) as Int32Array;
    argMax.dispose();
    predicted.forEach((p, r) => (correct += p === b.labels[r] ? 1 : 0));
  }
  return correct / examples.length;
}

/** Fine-tunes `model` (in place) with a fresh head on `train`, then measures accuracy on `evaluate`. */
export async function fineTuneClassifier(model: Supernet, arch: Arch, train: readonly EncodedExample[], evaluate: readonly EncodedExample[], numLabels: number, options: FineTuneOptions): Promise<FineTuneResult> {
  const { updates, batchSize, lr, seed } = options;
  const warmup = options.warmup ?? 0.1;
  if (!Number.isInteger(updates) || updates < 1) throw new Error(`fineTuneClassifier: updates must be a positive integer, got ${updates}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fineTuneClassifier: batchSize must be a positive integer, got ${batchSize}`);
  if (!(lr > 0)) throw new Error(`fineTuneClassifier: lr must be > 0, got ${lr}`);
  if (!(warmup >= 0 && warmup < 1)) throw new Error(`fineTuneClassifier: warmup must be in [0, 1), got ${warmup}`);
  if (train.length === 0 || evaluate.length === 0) throw new Error("fineTuneClassifier: train and evaluate must hold examples");
  const bad = [...train, ...evaluate].find((e) => !(Number.isInteger(e.label) && e.label >= 0 && e.label < numLabels));
  if (bad) throw new Error(`fineTuneClassifier: a label ${bad.label} is outside [0, ${numLabels - 1}]`);
  const started = Date.now();
  const head = createClassificationHead(arch.encoder.embedDim, numLabels, seed);
  const params = { ...model.params, ...head };
  const adam = createAdamState();
  const rng = new Rng(seed);
  // Losses stay on the device until the end: one read instead of one stall per update.
  const lossTensors: tf.Scalar[] = [];
  const warmupSteps = Math.max(1, Math.round(warmup * updates));
  let order: number[] = [];
  try {
    for (let step = 0; step < updates; step++) {
      if (order.length < batchSize) order = order.concat(rng.shuffle(Array.from(train.keys())));
      const b = collateClassification(train, order.splice(0, batchSize));
      const dropoutRng = rng.fork();
      const t = classificationTensors(b);
      const { value, grads } = gradientsOf(params, () => {
        const logits = classificationLogits(params, model.config, arch, t.ids, t.mask, dropoutRng);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(t.labels, numLabels), logits) as tf.Scalar;
      });
      for (const x of Object.values(t)) x.dispose();
      clipByGlobalNorm(grads, 1).dispose();
      const rate = step < warmupSteps ? (lr * (step + 1)) / warmupSteps : (lr * (updates - step)) / Math.max(1, updates - warmupSteps);
      adamUpdate(params, grads, adam, rate);
      disposeGradients(grads);
      lossTensors.push(value);
    }
    const stacked = tf.stack(lossTensors);
    const losses = Array.from(await stacked.data());
    stacked.dispose();
    const accuracy = await classificationAccuracy(model, head, arch, evaluate);
    return { accuracy, evaluated: evaluate.length, losses, seconds: (Date.now() - started) / 1000 };
  } finally {
    tf.dispose(lossTensors);
    disposeAdamState(adam);
    disposeParams(head);
  }
}

/** Fine-tuning of one arch from one kind of start over several seeds. */
export interface SeededFineTuning {
  readonly runs: readonly FineTuneResult[];
  /** Test accuracy: mean and 95% t interval over the seeds, clipped to [0, 1]. */
  readonly accuracy: MeanInterval;
  /** Wall time of all runs. */
  readonly seconds: number;
}

/**
 * Fine-tunes `make(seed)` once per seed, the seed also drawing the head, batches and dropout; each
 * model is disposed after its run, so `make` must return a copy (extracted, collapsed or fresh).
 */
export async function fineTuneOverSeeds(make: (seed: number) => Supernet, arch: Arch, train: readonly EncodedExample[], evaluate: readonly EncodedExample[], numLabels: number, options: Omit<FineTuneOptions, "seed">, seeds: readonly number[]): Promise<SeededFineTuning> {
  if (seeds.length < 2 || new Set(seeds).size !== seeds.length || !seeds.every(Number.isInteger)) throw new Error(`fineTuneOverSeeds: seeds must be at least 2 distinct integers, got [${seeds.join(", ")}]`);
  const runs: FineTuneResult[] = [];
  for (const seed of seeds) {
    const model = make(seed);
    try {
      runs.push(await fineTuneClassifier(model, arch, train, evaluate, numLabels, { ...options, seed }));
    } finally {
      disposeParams(model.params);
    }
  }
  return { runs, accuracy: meanInterval(runs.map((r) => r.accuracy), [0, 1]), seconds: runs.reduce((t, r) => t + r.seconds, 0) };
}
