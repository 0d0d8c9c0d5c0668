/**
 * Validation loss and perplexity of an arch with inherited (shared) weights: the token-weighted
 * mean NLL over a fixed set of batches, dropout off. Per sentence too, so that two subnets (of one
 * model or of two) scored on the same sentences can be compared with an interval from resampling
 * the sentences.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import type { Arch } from "../space/types";
import { batchTensors } from "../supernet/forward";
import { tokenNll } from "../supernet/loss";
import { softmaxCrossEntropyRows } from "../ops/softmax-cross-entropy";
import { bootstrapCi, type BootstrapOptions } from "../stats/bootstrap";
import { plainWeights } from "../supernet/plain-weights";
import { WeightSharingModel, releaseWeights } from "../supernet/supernet";

/** Loss of one arch on a data set. */
export interface LossResult {
  /** Token-mean negative log-likelihood (nats). */
  readonly loss: number;
  /** exp(loss). */
  readonly perplexity: number;
  readonly tokens: number;
}

/** Token-mean NLL and perplexity of `arch` over `batches` (the arch's plain weights are made once, not per batch). */
export async function evaluateLoss(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[]): Promise<LossResult> {
  let total = 0;
  let tokens = 0;
  const weights = plainWeights(model, arch, "evaluateLoss");
  const nlls: tf.Scalar[] = [];
  try {
    for (const batch of batches) {
      nlls.push(
        tf.tidy(() => {
          const t = batchTensors(batch);
          return tokenNll(model.forward(weights, arch, t, null), t.tgtOut, t.tgtMask);
        }),
      );
    }
    // One read after all batches: the device is not stalled after each one, and only a scalar per batch is held.
    const values = await Promise.all(nlls.map((nll) => nll.data()));
    batches.forEach((batch, i) => {
      total += values[i][0] * batch.numTargetTokens;
      tokens += batch.numTargetTokens;
    });
  } finally {
    tf.dispose(nlls);
    releaseWeights(model, weights);
  }
  const loss = tokens > 0 ? total / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), tokens };
}

/** Summed NLL and real target tokens of each sentence, batch after batch (row order kept). */
export interface SentenceLosses {
  readonly nll: readonly number[];
  readonly tokens: readonly number[];
}

/** Each validation sentence's summed NLL and token count under `arch`; their ratio of sums is `evaluateLoss`'s loss. */
export async function sentenceLosses(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[]): Promise<SentenceLosses> {
  const weights = plainWeights(model, arch, "sentenceLosses");
  const perBatch: [tf.Tensor1D, tf.Tensor1D][] = [];
  try {
    for (const batch of batches) {
      perBatch.push(
        tf.tidy(() => {
          const t = batchTensors(batch);
          const logits = model.forward(weights, arch, t, null);
          const [rows, length, vocab] = logits.shape;
          const perToken = softmaxCrossEntropyRows(tf.reshape(logits, [rows * length, vocab]), tf.cast(tf.reshape(t.tgtOut, [rows * length]), "int32"), 0);
          const mask = tf.cast(t.tgtMask, "float32");
          return [tf.sum(tf.mul(tf.reshape(perToken, [rows, length]), mask), 1), tf.sum(mask, 1)] as [tf.Tensor1D, tf.Tensor1D];
        }),
      );
    }
    const values = await Promise.all(perBatch.flat().map((x) => x.data()));
    const nll: number[] = [];
    const tokens: number[] = [];
    for (let b = 0; b < perBatch.length; b++) {
      nll.push(...values[2 * b]);
      tokens.push(...values[2 * b + 1]);
    }
    return { nll, tokens };
  } finally {
    tf.dispose(perBatch.flat());
    releaseWeights(model, weights);
  }
}

/** A paired loss difference with its bootstrap interval over sentences. */
export interface PairedLossDifference {
  /** Token-mean loss of `a` minus that of `b` (nats). */
  readonly estimate: number;
  readonly ci: readonly [number, number];
  /** Sentences resampled. */
  readonly n: number;
  readonly level: number;
}

/**
 * Token-mean loss of `a` minus that of `b` on the same sentences, with a percentile bootstrap
 * interval that resamples sentences (each keeps both its losses and its length). It covers which
 * sentences were held out, not training noise: two trainings of one model differ by more.
 */
export function pairedLossDifference(a: SentenceLosses, b: SentenceLosses, options: BootstrapOptions): PairedLossDifference {
  const n = a.nll.length;
  if (n < 2 || a.tokens.length !== n || b.nll.length !== n || b.tokens.length !== n) {
    throw new Error(`pairedLossDifference: a and b must hold the same sentences, at least 2 (a: ${a.nll.length} losses and ${a.tokens.length} counts, b: ${b.nll.length} and ${b.tokens.length})`);
  }
  const differing = a.tokens.findIndex((t, i) => t !== b.tokens[i]);
  if (differing >= 0) throw new Error(`pairedLossDifference: sentence ${differing} has ${a.tokens[differing]} tokens in a and ${b.tokens[differing]} in b; the two must be scored on the same batches`);
  const difference = (idx: readonly number[]) => {
    let la = 0;
    let lb = 0;
    let tokens = 0;
    for (const i of idx) {
      la += a.nll[i];
      lb += b.nll[i];
      tokens += a.tokens[i];
    }
    return tokens > 0 ? (la - lb) / tokens : NaN;
  };
  const level = options.level ?? 0.95;
  const ci = bootstrapCi(difference, n, options);
  return { estimate: difference(a.nll.map((_, i) => i)), ci, n, level };
}
