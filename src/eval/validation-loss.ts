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
import { sequenceNll, tokenNll } from "../supernet/loss";
import { bootstrapCi, resolveBootstrapOptions, type BootstrapEstimate, type BootstrapOptions } from "../stats/bootstrap";
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

/**
 * Scores `arch` on every batch with its plain weights made once: `score` maps a batch's logits to
 * tensors, and all of them are read in one go after the last batch, so the device is not stalled
 * after each one and only the scores are held.
 */
async function scoreBatches(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[], caller: string, score: (logits: tf.Tensor3D, t: ReturnType<typeof batchTensors>) => tf.Tensor[]): Promise<Float32Array[][]> {
  const weights = plainWeights(model, arch, caller);
  const scores: tf.Tensor[][] = [];
  try {
    for (const batch of batches) {
      scores.push(
        tf.tidy(() => {
          const t = batchTensors(batch);
          return score(model.forward(weights, arch, t, null), t);
        }),
      );
    }
    const values = await Promise.all(scores.flat().map((x) => x.data() as Promise<Float32Array>));
    let next = 0;
    return scores.map((perBatch) => perBatch.map(() => values[next++]));
  } finally {
    tf.dispose(scores.flat());
    releaseWeights(model, weights);
  }
}

/** Token-mean NLL and perplexity of `arch` over `batches` (the arch's plain weights are made once, not per batch). */
export async function evaluateLoss(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[]): Promise<LossResult> {
  const values = await scoreBatches(model, arch, batches, "evaluateLoss", (logits, t) => [tokenNll(logits, t.tgtOut, t.tgtMask)]);
  let total = 0;
  let tokens = 0;
  batches.forEach((batch, i) => {
    total += values[i][0][0] * batch.numTargetTokens;
    tokens += batch.numTargetTokens;
  });
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
  const values = await scoreBatches(model, arch, batches, "sentenceLosses", (logits, t) => sequenceNll(logits, t.tgtOut, t.tgtMask));
  return { nll: values.flatMap(([nll]) => Array.from(nll)), tokens: values.flatMap(([, tokens]) => Array.from(tokens)) };
}

/** Token-mean loss of `a` minus that of `b` on the same sentences, with its bootstrap interval over sentences. */
export type PairedLossDifference = BootstrapEstimate;

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
  const { level } = resolveBootstrapOptions("pairedLossDifference", options);
  const ci = bootstrapCi(difference, n, options);
  return { estimate: difference(a.nll.map((_, i) => i)), ci, n, level };
}
