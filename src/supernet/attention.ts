/**
 * Multi-head attention with elastic heads. In HAT's convention q/k/v always have the space's
 * fixed width qkvDim: a subnet with fewer heads has larger heads, not fewer weights. With a fixed
 * head size (AutoDistil) the width is heads × headDim: the first columns of q/k/v and the first
 * rows of o. Callers take the width from `attentionWidth`; here it is sliced like any other.
 */
import * as tf from "@tensorflow/tfjs";
import { batchMatMul } from "../ops/index";
import { ForwardContext, dropout, slicedLinear } from "./layers";
import type { Weights } from "./params";

/** Widths of one attention call. */
export interface AttentionWidths {
  readonly queryDim: number;
  readonly keyDim: number;
  readonly outDim: number;
  /** q/k/v width of this call: `attentionWidth(space, numHeads)`. */
  readonly qkvDim: number;
  readonly numHeads: number;
}

/** (B, T, H*hd) -> (B*H, T, hd). */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor3D {
  const [batch, length, width] = x.shape;
  const hd = width / heads;
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, length, heads, hd]), [0, 2, 1, 3]), [batch * heads, length, hd]);
}

/** (B*H, T, hd) -> (B, T, H*hd). */
function mergeHeads(x: tf.Tensor, batch: number, heads: number): tf.Tensor3D {
  const [, length, hd] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, heads, length, hd]), [0, 2, 1, 3]), [batch, length, heads * hd]);
}

/** The projected keys and values of one attention call, split into heads: (B*H, Tk, hd). */
export interface KeyValues {
  readonly keys: tf.Tensor3D;
  readonly values: tf.Tensor3D;
}

/** Projects a memory (B, Tk, keyDim) into per-head keys and values. */
export function projectKeyValues(params: Weights, name: string, memory: tf.Tensor, w: AttentionWidths): KeyValues {
  return {
    keys: splitHeads(slicedLinear(params, `${name}.k`, memory, w.keyDim, w.qkvDim), w.numHeads),
    values: splitHeads(slicedLinear(params, `${name}.v`, memory, w.keyDim, w.qkvDim), w.numHeads),
  };
}

/**
 * Attention of queries (B, Tq, queryDim) over projected keys/values; `bias` is an additive mask
 * broadcastable to (B, 1, Tq, Tk): 0 where allowed, a large negative number where not.
 */
export function attendWith(params: Weights, name: string, query: tf.Tensor, kv: KeyValues, bias: tf.Tensor | null, w: AttentionWidths, attentionDropout: number, ctx: ForwardContext): tf.Tensor3D {
  const batch = query.shape[0];
  const hd = w.qkvDim / w.numHeads;
  const q = splitHeads(tf.mul(slicedLinear(params, `${name}.q`, query, w.queryDim, w.qkvDim), 1 / Math.sqrt(hd)), w.numHeads);
  let scores: tf.Tensor = batchMatMul(q, kv.keys, false, true); // (B*H, Tq, Tk)
  if (bias) {
    const [, tq, tk] = scores.shape;
    scores = tf.reshape(tf.add(tf.reshape(scores, [batch, w.numHeads, tq, tk]), bias), [batch * w.numHeads, tq, tk]);
  }
  const probs = dropout(tf.softmax(scores), attentionDropout, ctx);
  const context = mergeHeads(batchMatMul(probs as tf.Tensor3D, kv.values, false, false), batch, w.numHeads);
  return slicedLinear(params, `${name}.o`, context, w.qkvDim, w.outDim) as tf.Tensor3D;
}

/** Full attention: project the memory, then attend. */
export function attention(params: Weights, name: string, query: tf.Tensor, memory: tf.Tensor, bias: tf.Tensor | null, w: AttentionWidths, attentionDropout: number, ctx: ForwardContext): tf.Tensor3D {
  return attendWith(params, name, query, projectKeyValues(params, name, memory, w), bias, w, attentionDropout, ctx);
}

/** Additive key-padding bias (B, 1, 1, Tk) from a 0/1 mask (B, Tk). */
export function paddingBias(mask: tf.Tensor2D): tf.Tensor4D {
  const [batch, length] = mask.shape;
  return tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [batch, 1, 1, length]);
}

/** Additive causal bias (1, 1, T, T): position t attends to positions <= t. */
export function causalBias(length: number): tf.Tensor4D {
  const values = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) values[i * length + j] = -1e9;
  return tf.tensor4d(values, [1, 1, length, length]);
}
