/**
 * The building blocks of the SuperTransformer as pure functions of (params, widths, input):
 * each one cuts the first-k block of its shared weights for the widths it is given. Shapes are
 * written as (B, T, d): batch, time, width.
 */
import * as tf from "@tensorflow/tfjs";
import { dropout as dropoutOp, layerNorm, linear, sliceBlock, sliceVector } from "../ops/index";
import type { MoeLayerStats, MoeOptions } from "../moe/config";
import type { Weights } from "./params";

/** What a mixture-of-experts layer reports to its forward pass: the balance loss and routing statistics (read after the pass: a GPU cannot be read mid-pass). */
export interface MoeLayerRecord {
  readonly layer: string;
  readonly experts: number;
  readonly balanceLoss: tf.Scalar;
  readonly stats: Promise<MoeLayerStats>;
}

/** Forward-pass context: training flag, a seed source so every dropout mask is reproducible, and an optional trace. */
export interface ForwardContext {
  readonly training: boolean;
  /** Returns the next dropout seed. */
  readonly nextSeed: () => number;
  /**
   * When given, each layer records its operators' inputs and outputs here under names like
   * "enc.1.ffn.in", "dec.0.crossAttn.out", "dec.0.out" (interference probes, MAGIC-A alignment).
   */
  readonly trace?: Map<string, tf.Tensor>;
  /** Routing options of mixture-of-experts layers (AutoMoE spaces), and where they report. */
  readonly moe?: { readonly options: MoeOptions; readonly records?: MoeLayerRecord[] };
}

/** Records `t` in the context's trace (if any) and returns it. */
export function traced<T extends tf.Tensor>(ctx: ForwardContext, name: string, t: T): T {
  ctx.trace?.set(name, t);
  return t;
}

/** Inverted dropout, a no-op outside training or at rate 0. */
export function dropout(x: tf.Tensor, rate: number, ctx: ForwardContext): tf.Tensor {
  return ctx.training && rate > 0 ? dropoutOp(x, rate, ctx.nextSeed()) : x;
}

/** A linear map with the first `inDim` x `outDim` block of `name`.w and first `outDim` of `name`.b. */
export function slicedLinear(params: Weights, name: string, x: tf.Tensor, inDim: number, outDim: number): tf.Tensor {
  return linear(x, sliceBlock(params[`${name}.w`], inDim, outDim), sliceVector(params[`${name}.b`], outDim));
}

/** LayerNorm over the active width, with the first `dim` gains and shifts. */
export function slicedLayerNorm(params: Weights, name: string, x: tf.Tensor, dim: number): tf.Tensor {
  return layerNorm(x, sliceVector(params[`${name}.g`], dim), sliceVector(params[`${name}.b`], dim), 1e-5);
}

/** Position-wise FFN: fc2(dropout(relu(fc1(x)))). (B, T, d) -> (B, T, d). */
export function slicedFfn(params: Weights, prefix: string, x: tf.Tensor, dim: number, ffnDim: number, activationDropout: number, ctx: ForwardContext): tf.Tensor {
  const hidden = dropout(tf.relu(slicedLinear(params, `${prefix}.fc1`, x, dim, ffnDim)), activationDropout, ctx);
  return slicedLinear(params, `${prefix}.fc2`, hidden, ffnDim, dim);
}

/** Sinusoidal position encodings for positions [0, length) at width dim: (length, dim). */
export function sinusoidalPositions(length: number, dim: number): tf.Tensor2D {
  // fairseq layout: sin in the first half of the channels, cos in the second half.
  const half = Math.floor(dim / 2);
  const out = new Float32Array(length * dim);
  const scale = Math.log(10000) / Math.max(half - 1, 1);
  for (let pos = 0; pos < length; pos++) {
    for (let i = 0; i < half; i++) {
      const angle = pos * Math.exp(-scale * i);
      out[pos * dim + i] = Math.sin(angle);
      out[pos * dim + half + i] = Math.cos(angle);
    }
  }
  return tf.tensor2d(out, [length, dim]);
}

/** Token embeddings scaled by sqrt(dim) plus positions: ids (B, T) -> (B, T, dim). */
export function embedTokens(params: Weights, ids: tf.Tensor2D, dim: number, positionOffset = 0): tf.Tensor3D {
  const [batch, length] = ids.shape;
  const table = sliceBlock(params.embed, params.embed.shape[0], dim);
  const tokens = tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [batch, length, dim]);
  const positions = positionOffset === 0 ? sinusoidalPositions(length, dim) : tf.slice(sinusoidalPositions(positionOffset + length, dim), [positionOffset, 0], [length, dim]);
  return tf.add(tf.mul(tokens, Math.sqrt(dim)), positions) as tf.Tensor3D;
}
