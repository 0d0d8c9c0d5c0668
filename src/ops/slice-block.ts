/**
 * Elastic weight slicing (HAT): a subnet's weight is the first `rows` x `cols` block of the
 * shared max-size weight, its bias the first `k` entries. The cut is a pure function with a
 * gradient that pads with zeros back to the full shape, so every subnet trains the block it uses.
 * On cpu and wasm it runs the row-copy block kernels; elsewhere tf.slice, which is fast there.
 */
import * as tf from "@tensorflow/tfjs";
import { blockKernelsAvailable, runBlockKernel, sliceBlockKernel } from "./block-kernels";
import { assertCount, assertRank } from "./check";

/** The first `rows` rows and `cols` columns of a 2-D weight (w itself when that is all of it: do not dispose the result); gradient: zero-padded to w's shape. */
export function sliceBlock(w: tf.Tensor, rows: number, cols: number): tf.Tensor2D {
  assertRank("sliceBlock", "w", w, 2);
  const [fullRows, fullCols] = w.shape as [number, number];
  assertCount("sliceBlock", "rows", rows, fullRows);
  assertCount("sliceBlock", "cols", cols, fullCols);
  // The full block is w itself: even a zero-copy clone is a kernel call, over a thousand a step.
  if (rows === fullRows && cols === fullCols) return w as tf.Tensor2D;
  if (!blockKernelsAvailable()) return tf.slice(w, [0, 0], [rows, cols]) as tf.Tensor2D;
  return runBlockKernel(sliceBlockKernel, w, [rows, cols], [fullRows, fullCols]) as tf.Tensor2D;
}

/** The first `k` entries of a 1-D tensor (v itself when k is its length: do not dispose the result); gradient: zero-padded to v's length. */
export function sliceVector(v: tf.Tensor, k: number): tf.Tensor1D {
  assertRank("sliceVector", "v", v, 1);
  const n = v.shape[0];
  assertCount("sliceVector", "k", k, n);
  if (k === n) return v as tf.Tensor1D;
  if (!blockKernelsAvailable()) return tf.slice(v, [0], [k]) as tf.Tensor1D;
  return runBlockKernel(sliceBlockKernel, v, [k], [n]) as tf.Tensor1D;
}
