/**
 * Multi-head attention with elastic heads. In HAT's convention q/k/v always have the space's
 * fixed width qkvDim: a subnet with fewer heads has larger heads, not fewer weights. With a fixed
 * head size (AutoDistil) the width is heads × headDim: the first columns of q/k/v and the first
 * rows of o. Callers take the width from `attentionWidth`; here it is sliced like any other.
 */
import * as tf from "@tensorflow/tfjs";
import { headContext, headScores } from "../ops/index";
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

/** The projected keys and values of one attention call, heads side by side: (B, Tk, H*hd). */
export interface KeyValues {
  readonly keys: tf.Tensor3D;
  readonly values: tf.Tensor3D;
}

/** Projects a memory (B, Tk, keyDim) into keys and values. */
export function projectKeyValues(params: Weights, name: string, memory: tf.Tensor, w: AttentionWidths): KeyValues {
  return {
    keys: slicedLinear(params, `${name}.k`, memory, w.keyDim, w.qkvDim) as tf.Tensor3D,
    values: slicedLinear(params, `${name}.v`, memory, w.keyDim, w.qkvDim) as tf.Tensor3D,
  };
}

/**
 * Attention of queries (B, Tq, queryDim) over projected keys/values; `bias` is an additive mask
 * broadcastable to (B, 1, Tq, Tk): 0 where allowed, a large negative number where not. The heads
 * are never split out of q, k and v: headScores and headContext multiply each head in place.
 */
export function attendWith(params: Weights, name: string, query: tf.Tensor, kv: KeyValues, bias: tf.Tensor | null, w: AttentionWidths, attentionDropout: number, ctx: ForwardContext): tf.Tensor3D {
  const hd = w.qkvDim / w.numHeads;
  const q = slicedLinear(params, `${name}.q`, query, w.queryDim, w.qkvDim) as tf.Tensor3D;
  let scores: tf.Tensor = headScores(q, kv.keys, w.numHeads, 1 / Math.sqrt(hd)); // (B, H, Tq, Tk)
  if (bias) scores = tf.add(scores, bias);
  const probs = dropout(tf.softmax(scores), attentionDropout, ctx) as tf.Tensor4D;
  const context = headContext(probs, kv.values, w.numHeads); // (B, Tq, H*hd)
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
