/**
 * Label-smoothed cross entropy (Szegedy et al. 2016; fairseq's label_smoothed_cross_entropy),
 * averaged over real target tokens: padding contributes nothing.
 */
import * as tf from "@tensorflow/tfjs";

/** Token-mean label-smoothed NLL of logits (B, T, V) against targets (B, T) under a 0/1 mask. */
export function labelSmoothedLoss(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D, smoothing: number): tf.Scalar {
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`labelSmoothing must be in [0, 1); got ${smoothing}`);
  const [batch, length, vocab] = logits.shape;
  const rows = batch * length;
  const logProbs = tf.logSoftmax(tf.reshape(logits, [rows, vocab]));
  // Pick each target's log-probability by flat index rather than multiplying by a one-hot
  // (rows x vocab) tensor: the step's largest intermediate after the logits themselves.
  const flatIndex = tf.add(tf.mul(tf.range(0, rows, 1, "int32"), tf.scalar(vocab, "int32")), tf.cast(tf.reshape(targets, [rows]), "int32"));
  const nll = tf.neg(tf.gather(tf.reshape(logProbs, [rows * vocab]), flatIndex));
  const perToken = smoothing > 0 ? tf.add(tf.mul(nll, 1 - smoothing), tf.mul(tf.neg(tf.mean(logProbs, -1)), smoothing)) : nll;
  const m = tf.reshape(mask, [rows]);
  return tf.div(tf.sum(tf.mul(perToken, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
}

/** Plain token-mean NLL (no smoothing): the number perplexity is computed from. */
export function tokenNll(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return labelSmoothedLoss(logits, targets, mask, 0);
}
