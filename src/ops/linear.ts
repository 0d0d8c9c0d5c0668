/**
 * A linear layer y = x W + b for x of shape (..., inDim). The weight is laid out [inDim, outDim]
 * (the transpose of PyTorch/HAT's [out, in]): the forward pass is then a plain product with no
 * transpose, and a HAT sub-weight, the first `inDim` rows and `outDim` columns, keeps its first
 * rows contiguous. The one place the [out, in] layout is natural, the tied output projection
 * (logits = h E^T with the embedding table E [vocab, dim]), calls `matMul(h, E, false, true)`.
 */
import * as tf from "@tensorflow/tfjs";
import { assertRank, assertSameSize } from "./check";
import { matMul } from "./mat-mul";

/** x (..., inDim) times weight [inDim, outDim] plus optional bias [outDim] -> (..., outDim). */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  assertRank("linear", "weight", weight, 2);
  if (x.rank < 1) throw new Error(`linear: x must have rank >= 1; got shape [${x.shape}]`);
  const [inDim, outDim] = weight.shape as [number, number];
  assertSameSize("linear", `last dim of x [${x.shape}] and rows of weight [${weight.shape}]`, x.shape[x.rank - 1], inDim);
  if (bias !== undefined) {
    assertRank("linear", "bias", bias, 1);
    assertSameSize("linear", `bias [${bias.shape}] and columns of weight [${weight.shape}]`, bias.shape[0], outDim);
  }
  return tf.tidy(() => {
    const flat = matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, weight as tf.Tensor2D);
    const y = bias === undefined ? flat : tf.add(flat, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}
