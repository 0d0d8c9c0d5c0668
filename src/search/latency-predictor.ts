/**
 * HAT's latency predictor: an MLP from the 10 architecture features to latency, trained on
 * measured (arch, latency) samples so the search can check its budget for thousands of
 * candidates without timing each. Targets are standardised for training; predictions are in
 * the samples' unit (ms).
 */
import * as tf from "@tensorflow/tfjs";
import { archFeatureNames, archFeatures, featureNorms } from "../space/features";
import type { Arch, SearchSpace } from "../space/types";
import { kendallTauB } from "../stats/kendall";
import { variableFrom } from "../supernet/params";
import { spearman } from "../stats/spearman";
import { Rng } from "../util/rng";

/** Knobs of the predictor and its training. */
export interface LatencyPredictorOptions {
  /** Hidden widths (HAT: 10→400→400→400→400→1). */
  readonly hidden: readonly number[];
  readonly steps: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly seed: number;
}

/** Defaults: HAT's shape; Adam at 1e-3 for 2000 minibatches of 32. */
export const latencyPredictorDefaults: LatencyPredictorOptions = Object.freeze({ hidden: Object.freeze([400, 400, 400, 400]), steps: 2000, lr: 1e-3, batchSize: 32, seed: 1 });

/** A training sample. */
export interface LatencySample {
  readonly arch: Arch;
  readonly ms: number;
}

/** A fitted predictor; `dispose` frees its weights. */
export interface LatencyPredictor {
  readonly space: SearchSpace;
  /** Predicted latency (ms) of each arch. */
  predict(archs: readonly Arch[]): number[];
  /** Training MSE (standardised units) every 100 steps and at the end. */
  readonly trainLoss: readonly { step: number; mse: number }[];
  dispose(): void;
}

function checkOptions(o: LatencyPredictorOptions): void {
  if (!Array.isArray(o.hidden) || o.hidden.length === 0 || o.hidden.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new Error(`latency predictor: hidden = ${JSON.stringify(o.hidden)} must be a non-empty list of positive integers`);
  }
  for (const field of ["steps", "batchSize"] as const) {
    if (!Number.isInteger(o[field]) || o[field] < 1) throw new Error(`latency predictor: ${field} = ${o[field]} must be an integer >= 1`);
  }
  if (!(o.lr > 0)) throw new Error(`latency predictor: lr = ${o.lr} must be > 0`);
}

/** Fits the MLP on `samples` (at least 2, with finite positive latencies). */
export function fitLatencyPredictor(space: SearchSpace, samples: readonly LatencySample[], overrides: Partial<LatencyPredictorOptions> = {}): LatencyPredictor {
  const o = { ...latencyPredictorDefaults, ...overrides };
  checkOptions(o);
  if (samples.length < 2) throw new Error(`latency predictor: needs at least 2 samples, got ${samples.length}`);
  samples.forEach((s, i) => {
    if (!(Number.isFinite(s.ms) && s.ms > 0)) throw new Error(`latency predictor: samples[${i}].ms = ${s.ms} must be a positive number`);
  });
  const norms = featureNorms(space);
  const x = samples.map((s) => archFeatures(space, s.arch, norms));
  const ys = samples.map((s) => s.ms);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const std = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) || 1;
  const yStd = ys.map((y) => (y - mean) / std);

  const rng = new Rng(o.seed);
  const widths = [archFeatureNames(space).length, ...o.hidden, 1];
  // PyTorch's Linear initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases.
  const layers = widths.slice(1).map((out, i) => {
    const fanIn = widths[i];
    const bound = 1 / Math.sqrt(fanIn);
    const u = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
    return { w: variableFrom(tf.tensor2d(u(fanIn * out), [fanIn, out]), `latency.${i}.w`), b: variableFrom(tf.tensor1d(u(out)), `latency.${i}.b`) };
  });
  const forward = (input: tf.Tensor2D): tf.Tensor2D =>
    layers.reduce((h, { w, b }, i) => {
      const z = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      return i < layers.length - 1 ? tf.relu(z) : z;
    }, input);

  const optimizer = tf.train.adam(o.lr);
  const trainLoss: { step: number; mse: number }[] = [];
  const batch = Math.min(o.batchSize, samples.length);
  for (let step = 1; step <= o.steps; step++) {
    const idx = Array.from({ length: batch }, () => rng.int(samples.length));
    const loss = tf.tidy(() => {
      const xb = tf.tensor2d(idx.map((i) => x[i]));
      const yb = tf.tensor2d(idx.map((i) => [yStd[i]]));
      return optimizer.minimize(() => tf.mean(tf.square(tf.sub(forward(xb), yb))) as tf.Scalar, true) as tf.Scalar;
    });
    if (step % 100 === 0 || step === o.steps) trainLoss.push({ step, mse: loss.dataSync()[0] });
    loss.dispose();
  }
  optimizer.dispose();

  return {
    space,
    trainLoss,
    predict(archs) {
      if (archs.length === 0) return [];
      const feats = archs.map((a) => archFeatures(space, a, norms));
      const out = tf.tidy(() => forward(tf.tensor2d(feats)));
      const values = Array.from(out.dataSync(), (v) => v * std + mean);
      out.dispose();
      return values;
    },
    dispose() {
      for (const { w, b } of layers) tf.dispose([w, b]);
    },
  };
}

/** How well predictions match measurements: errors in ms and %, and rank agreement. */
export function predictorQuality(predicted: readonly number[], measured: readonly number[]): { n: number; maeMs: number; rmseMs: number; mape: number; kendall: number; spearman: number } {
  if (predicted.length !== measured.length || predicted.length < 2) {
    throw new Error(`predictorQuality: needs two equal-length lists of at least 2 values, got ${predicted.length} and ${measured.length}`);
  }
  const n = predicted.length;
  const err = predicted.map((p, i) => p - measured[i]);
  return {
    n,
    maeMs: err.reduce((a, e) => a + Math.abs(e), 0) / n,
    rmseMs: Math.sqrt(err.reduce((a, e) => a + e * e, 0) / n),
    mape: (100 * err.reduce((a, e, i) => a + Math.abs(e) / measured[i], 0)) / n,
    kendall: kendallTauB(predicted, measured),
    spearman: spearman(predicted, measured),
  };
}
