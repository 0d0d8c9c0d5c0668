/**
 * The masked-LM loss of BERT (Devlin et al., 2019): cross entropy of the output logits against the
 * original ids, averaged over the chosen positions of the whole batch only, as BERT's
 * `get_masked_lm_output` weights each prediction by its label weight and divides by their sum.
 * Unchosen positions carry IGNORE_LABEL and weight 0: they add nothing to the loss or its gradient.
 */
import * as tf from "@tensorflow/tfjs";
import { softmaxCrossEntropyRows } from "../../ops/softmax-cross-entropy";

/** Mean cross entropy over positions where labelMask is 1; logits (B, T, V), labels and labelMask (B, T). */
export function maskedLmLoss(logits: tf.Tensor3D, labels: tf.Tensor2D, labelMask: tf.Tensor2D): tf.Scalar {
  const [batch, length, vocab] = logits.shape;
  for (const [name, t] of [["labels", labels], ["labelMask", labelMask]] as const) {
    if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== length) {
      throw new Error(`maskedLmLoss: ${name} must have shape [${batch}, ${length}] like logits [B, T, V] = [${logits.shape}], got [${t.shape}]`);
    }
  }
  return tf.tidy(() => {
    const rows = batch * length;
    // Ignored positions hold -100; any index in range would do there since their weight is 0.
    const safeLabels = tf.maximum(tf.cast(tf.reshape(labels, [rows]), "int32"), tf.scalar(0, "int32")) as tf.Tensor1D;
    const nll = softmaxCrossEntropyRows(tf.reshape(logits, [rows, vocab]), safeLabels, 0); // (B*T)
    const weights = tf.cast(tf.reshape(labelMask, [rows]), "float32");
    return tf.div(tf.sum(tf.mul(nll, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
  });
}
