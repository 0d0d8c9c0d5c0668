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
