/**
 * Label-smoothed cross entropy (Szegedy et al. 2016; fairseq's label_smoothed_cross_entropy),
 * averaged over real target tokens: padding contributes nothing.
 */
import * as tf from "@tensorflow/tfjs";

/** Token-mean label-smoothed NLL of logits (B, T, V) against targets (B, T) under a 0/1 mask. */
export function labelSmoothedLoss(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D, smoothing: number): tf.Scalar {
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`labelSmoothing must be in [0, 1); got ${smoothing}`);
  const vocab = logits.shape[2];
  const logProbs = tf.logSoftmax(logits);
  const nll = tf.neg(tf.sum(tf.mul(logProbs, tf.oneHot(targets, vocab)), -1));
  const perToken = smoothing > 0 ? tf.add(tf.mul(nll, 1 - smoothing), tf.mul(tf.neg(tf.mean(logProbs, -1)), smoothing)) : nll;
  return tf.div(tf.sum(tf.mul(perToken, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}

/** Plain token-mean NLL (no smoothing): the number perplexity is computed from. */
export function tokenNll(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return labelSmoothedLoss(logits, targets, mask, 0);
}
