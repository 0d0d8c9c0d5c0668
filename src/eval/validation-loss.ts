/**
 * Validation loss and perplexity of an arch with inherited (shared) weights: the token-weighted
 * mean NLL over a fixed set of batches, dropout off.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import type { Arch } from "../space/types";
import { batchTensors } from "../supernet/forward";
import { tokenNll } from "../supernet/loss";
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
export function evaluateLoss(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[]): LossResult {
  let total = 0;
  let tokens = 0;
  const weights = plainWeights(model, arch, "evaluateLoss");
  try {
    for (const batch of batches) {
      const nll = tf.tidy(() => {
        const t = batchTensors(batch);
        return tokenNll(model.forward(weights, arch, t, null), t.tgtOut, t.tgtMask).dataSync()[0];
      });
      total += nll * batch.numTargetTokens;
      tokens += batch.numTargetTokens;
    }
  } finally {
    releaseWeights(model, weights);
  }
  const loss = tokens > 0 ? total / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), tokens };
}
