/**
 * Label-smoothed cross entropy (Szegedy et al. 2016; fairseq's label_smoothed_cross_entropy),
 * averaged over real target tokens: padding contributes nothing.
 */
import * as tf from "@tensorflow/tfjs";
import { softmaxCrossEntropyRows } from "../ops/softmax-cross-entropy";

/** Token-mean label-smoothed NLL of logits (B, T, V) against targets (B, T) under a 0/1 mask. */
export function labelSmoothedLoss(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D, smoothing: number): tf.Scalar {
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`labelSmoothing must be in [0, 1); got ${smoothing}`);
  const [batch, length, vocab] = logits.shape;
  const rows = batch * length;
  const perToken = softmaxCrossEntropyRows(tf.reshape(logits, [rows, vocab]), tf.cast(tf.reshape(targets, [rows]), "int32"), smoothing);
  const m = tf.reshape(mask, [rows]);
  return tf.div(tf.sum(tf.mul(perToken, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
}

/** Plain token-mean NLL (no smoothing): the number perplexity is computed from. */
export function tokenNll(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return labelSmoothedLoss(logits, targets, mask, 0);
}

/** Summed NLL (no smoothing) and real target tokens of each sequence of logits (B, T, V): two (B) tensors. */
export function sequenceNll(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
  return tf.tidy(() => {
    const [batch, length, vocab] = logits.shape;
    const rows = batch * length;
    const perToken = softmaxCrossEntropyRows(tf.reshape(logits, [rows, vocab]), tf.cast(tf.reshape(targets, [rows]), "int32"), 0);
    const m = tf.cast(mask, "float32");
    return [tf.sum(tf.mul(tf.reshape(perToken, [batch, length]), m), 1) as tf.Tensor1D, tf.sum(m, 1) as tf.Tensor1D];
  });
}
