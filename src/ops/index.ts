// Interim plain-tfjs versions of the fast ops; replaced by the optimised implementations.
import * as tf from "@tensorflow/tfjs";
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  return tf.matMul(a, b, transposeA, transposeB);
}
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeA = false, transposeB = false): tf.Tensor3D {
  return tf.matMul(a, b, transposeA, transposeB);
}
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1] as number;
  const out = tf.matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, weight as tf.Tensor2D);
  const y = bias ? tf.add(out, bias) : out;
  return tf.reshape(y, [...x.shape.slice(0, -1), weight.shape[1]]);
}
export function sliceBlock(w: tf.Tensor, rows: number, cols: number): tf.Tensor2D {
  return (rows === w.shape[0] && cols === w.shape[1] ? w : tf.slice(w, [0, 0], [rows, cols])) as tf.Tensor2D;
}
export function sliceVector(v: tf.Tensor, k: number): tf.Tensor1D {
  return (k === v.shape[0] ? v : tf.slice(v, [0], [k])) as tf.Tensor1D;
}
