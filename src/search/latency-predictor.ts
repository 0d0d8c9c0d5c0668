/**
 * HAT's latency predictor: an MLP from the 10 architecture features to latency, trained on
 * measured (arch, latency) samples so the search can check its budget for thousands of
 * candidates without timing each. Targets are standardised for training; predictions are in
 * the samples' unit (ms).
 */
import * as tf from "@tensorflow/tfjs";
import { archFeatures, featureNorms } from "../space/features";
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
  /** Targets as latency / latencyNorm (HAT: 200 ms on its GPU, 300 on its Xeon), or null to standardise them (mean 0, std 1). */
  readonly latencyNorm: number | null;
}

/**
 * Defaults: HAT's shape; Adam at 1e-3 for 2000 minibatches of 32 on standardised targets. HAT's
 * recipe is Adam at 1e-5 for 5000 minibatches of 128 on latency / lat_norm (`latencyNorm`). On
 * HAT's own WMT'14 En-De Xeon table (2000 rows, its 80/10/10 split in file order, one seed
 * each) both reach the same test error (MAPE 4.3% and 4.4% on the 200 test rows; 1e-4 gave
 * 4.8%), and ours sees 10x fewer examples (64k against 640k), so ours stays the default.
 */
export const latencyPredictorDefaults: LatencyPredictorOptions = Object.freeze({ hidden: Object.freeze([400, 400, 400, 400]), steps: 2000, lr: 1e-3, batchSize: 32, seed: 1, latencyNorm: null });

/** A training sample. */
export interface LatencySample {
  readonly arch: Arch;
  readonly ms: number;
}

/** A fitted predictor; `dispose` frees its weights. */
export interface LatencyPredictor {
  readonly space: SearchSpace;
  /** Predicted latency (ms) of each arch. */
  predict(archs: readonly Arch[]): Promise<number[]>;
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
  if (o.latencyNorm !== null && !(o.latencyNorm > 0)) throw new Error(`latency predictor: latencyNorm = ${o.latencyNorm} must be > 0 or null`);
}

/** A measured latency with its raw (unnormalised) feature vector, e.g. a row of HAT's latency CSVs. */
export interface LatencyTableRow {
  readonly features: readonly number[];
  readonly ms: number;
}

/** A predictor over raw feature vectors (divided by its own norms before the MLP); `dispose` frees its weights. */
export interface FeatureLatencyPredictor {
  readonly norms: readonly number[];
  /** Predicted latency (ms) of each raw feature vector. */
  predictFeatures(features: readonly (readonly number[])[]): Promise<number[]>;
  /** Training MSE (in target units) every 100 steps and at the end. */
  readonly trainLoss: readonly { step: number; mse: number }[];
  dispose(): void;
}

/** Fits the MLP on a table of (raw features, latency) rows with the given feature norms, e.g. HAT's or another device's measurements. */
export async function fitLatencyPredictorOnTable(rows: readonly LatencyTableRow[], norms: readonly number[], overrides: Partial<LatencyPredictorOptions> = {}): Promise<FeatureLatencyPredictor> {
  const o = { ...latencyPredictorDefaults, ...overrides };
  checkOptions(o);
  if (rows.length < 2) throw new Error(`latency predictor: needs at least 2 rows, got ${rows.length}`);
  if (norms.length === 0 || norms.some((v) => !(Number.isFinite(v) && v > 0))) throw new Error(`latency predictor: norms = [${norms}] must be positive numbers`);
  rows.forEach((r, i) => {
    if (!(Number.isFinite(r.ms) && r.ms > 0)) throw new Error(`latency predictor: rows[${i}].ms = ${r.ms} must be a positive number`);
    if (r.features.length !== norms.length || r.features.some((v) => !Number.isFinite(v))) throw new Error(`latency predictor: rows[${i}].features must be ${norms.length} finite numbers (one per norm); got [${r.features}]`);
  });
  const scale = (f: readonly number[]) => f.map((v, i) => v / norms[i]);
  const x = rows.map((r) => scale(r.features));
  const ys = rows.map((r) => r.ms);
  const mean = o.latencyNorm === null ? ys.reduce((a, b) => a + b, 0) / ys.length : 0;
  const std = o.latencyNorm ?? (Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) || 1);
  const yStd = ys.map((y) => (y - mean) / std);

  const rng = new Rng(o.seed);
  const widths = [norms.length, ...o.hidden, 1];
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
  const batch = Math.min(o.batchSize, rows.length);
  for (let step = 1; step <= o.steps; step++) {
    const idx = Array.from({ length: batch }, () => rng.int(rows.length));
    const loss = tf.tidy(() => {
      const xb = tf.tensor2d(idx.map((i) => x[i]));
      const yb = tf.tensor2d(idx.map((i) => [yStd[i]]));
      return optimizer.minimize(() => tf.mean(tf.square(tf.sub(forward(xb), yb))) as tf.Scalar, true) as tf.Scalar;
    });
    if (step % 100 === 0 || step === o.steps) trainLoss.push({ step, mse: (await loss.data())[0] });
    loss.dispose();
  }
  optimizer.dispose();

  return {
    norms: [...norms],
    trainLoss,
    async predictFeatures(features) {
      if (features.length === 0) return [];
      features.forEach((f, i) => {
        if (f.length !== norms.length) throw new Error(`latency predictor: features[${i}] has ${f.length} values, expected ${norms.length}`);
      });
      const out = tf.tidy(() => forward(tf.tensor2d(features.map(scale))));
      const values = Array.from(await out.data(), (v) => v * std + mean);
      out.dispose();
      return values;
    },
    dispose() {
      for (const { w, b } of layers) tf.dispose([w, b]);
    },
  };
}

/**
 * Reads a latency table in HAT's CSV layout (mit-han-lab/hardware-aware-transformers,
 * latency_dataset/*.csv; AutoMoE writes the same): feature columns, then
 * latency_mean_encoder, latency_mean_decoder, …; the latency is the encoder plus the decoder
 * mean, as HAT's predictor trains on. Returns the feature names with the rows.
 */
export function parseLatencyCsv(text: string): { featureNames: string[]; rows: LatencyTableRow[] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length < 2) throw new Error("latency CSV: needs a header and at least one row");
  const header = lines[0].split(",").map((h) => h.trim());
  const enc = header.indexOf("latency_mean_encoder");
  const dec = header.indexOf("latency_mean_decoder");
  if (enc < 1 || dec < 0) throw new Error(`latency CSV: header must have feature columns followed by latency_mean_encoder and latency_mean_decoder; got ${header.join(",")}`);
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",").map(Number);
    if (cells.length !== header.length || cells.some((v) => !Number.isFinite(v))) throw new Error(`latency CSV: row ${i + 2} must have ${header.length} numbers; got "${line}"`);
    return { features: cells.slice(0, enc), ms: cells[enc] + cells[dec] };
  });
  return { featureNames: header.slice(0, enc), rows };
}

/** Fits the MLP on measured archs of `space` (at least 2, with finite positive latencies): the table fit over the arch features. */
export async function fitLatencyPredictor(space: SearchSpace, samples: readonly LatencySample[], overrides: Partial<LatencyPredictorOptions> = {}): Promise<LatencyPredictor> {
  if (samples.length < 2) throw new Error(`latency predictor: needs at least 2 samples, got ${samples.length}`);
  samples.forEach((s, i) => {
    if (!(Number.isFinite(s.ms) && s.ms > 0)) throw new Error(`latency predictor: samples[${i}].ms = ${s.ms} must be a positive number`);
  });
  const norms = featureNorms(space);
  const raw = (arch: Arch) => archFeatures(space, arch, norms.map(() => 1));
  const fitted = await fitLatencyPredictorOnTable(samples.map((s) => ({ features: raw(s.arch), ms: s.ms })), norms, overrides);
  return {
    space,
    trainLoss: fitted.trainLoss,
    predict: (archs) => fitted.predictFeatures(archs.map(raw)),
    dispose: () => fitted.dispose(),
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
