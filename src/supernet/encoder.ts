/**
 * The elastic encoder: pre-norm Transformer layers at the arch's embed dim, per-layer FFN width
 * and heads. Returns the output of every layer (final LayerNorm applied), because a decoder
 * layer may attend to the last 1, 2 or 3 of them (HAT's arbitrary encoder-decoder attention).
 */
import * as tf from "@tensorflow/tfjs";
import { attentionWidth } from "../space/attention-width";
import { encoderLayerWidth } from "../space/schema";
import type { Arch, SearchSpace } from "../space/types";
import { paddingBias, attention } from "./attention";
import { ffnBlock } from "./ffn-block";
import { ForwardContext, dropout, embedTokens, slicedLayerNorm, slicedLinear, traced } from "./layers";
import type { Weights } from "./params";

/** Regularisation rates at the largest width. */
export interface DropoutRates {
  readonly dropout: number;
  readonly attentionDropout: number;
  readonly activationDropout: number;
}

/** HAT scales dropout with width: a narrower subnet drops proportionally less. */
export function scaledRate(rate: number, dim: number, maxDim: number): number {
  return (rate * dim) / maxDim;
}

/** Encoder outputs: every layer's states (B, S, dE), normalised, and the key bias of the source. */
export interface EncoderOutput {
  readonly states: readonly tf.Tensor3D[];
  readonly srcBias: tf.Tensor4D;
}

/** Runs the encoder of `arch` on source ids (B, S) with a 0/1 padding mask (B, S). */
export function encode(params: Weights, space: SearchSpace, arch: Arch, src: tf.Tensor2D, srcMask: tf.Tensor2D, rates: DropoutRates, ctx: ForwardContext): EncoderOutput {
  const dim = arch.encoder.embedDim;
  const p = scaledRate(rates.dropout, dim, Math.max(...space.encoder.embedDim));
  const hidden = arch.encoder.layerHiddenDim;
  const maxHidden = Math.max(...(space.encoder.layerHiddenDim ?? space.encoder.embedDim));
  const srcBias = paddingBias(srcMask);
  let x: tf.Tensor = dropout(embedTokens(params, src, dim), p, ctx);
  const states: tf.Tensor3D[] = [];
  for (let l = 0; l < arch.encoder.numLayers; l++) {
    const prefix = `enc.${l}`;
    const heads = arch.encoder.numHeads[l];
    const w = encoderLayerWidth(arch, l);
    // Dropout scales with the layer's width, as HAT's and SuperShaper's calc_dropout do.
    const pl = hidden ? scaledRate(rates.dropout, w, maxHidden) : p;
    const widths = { queryDim: w, keyDim: w, outDim: w, qkvDim: attentionWidth(space, heads, hidden?.[l]), numHeads: heads };
    // The bottleneck operator's input and output are the stream entering and leaving the layer.
    let y = hidden ? slicedLinear(params, `${prefix}.inBottleneck`, traced(ctx, `${prefix}.bottleneck.in`, x), dim, w) : x;
    const h = traced(ctx, `${prefix}.selfAttn.in`, slicedLayerNorm(params, `${prefix}.ln1`, y, w));
    const a = traced(ctx, `${prefix}.selfAttn.out`, attention(params, `${prefix}.selfAttn`, h, h, srcBias, widths, rates.attentionDropout, ctx));
    y = tf.add(y, dropout(a, pl, ctx));
    const h2 = traced(ctx, `${prefix}.ffn.in`, slicedLayerNorm(params, `${prefix}.ln2`, y, w));
    const f = traced(ctx, `${prefix}.ffn.out`, ffnBlock(params, prefix, h2, arch, "encoder", l, rates.activationDropout, ctx));
    y = tf.add(y, dropout(f, pl, ctx));
    x = traced(ctx, `${prefix}.out`, hidden ? traced(ctx, `${prefix}.bottleneck.out`, slicedLinear(params, `${prefix}.outBottleneck`, y, w, dim)) : y);
    states.push(slicedLayerNorm(params, "enc.ln", x, dim) as tf.Tensor3D);
  }
  return { states, srcBias };
}

/** The memory a decoder layer attends to: the last `k` encoder states concatenated along time. */
export function crossMemory(enc: EncoderOutput, k: number): { memory: tf.Tensor3D; bias: tf.Tensor4D } {
  const used = enc.states.slice(Math.max(0, enc.states.length - k));
  if (used.length === 1) return { memory: used[0], bias: enc.srcBias };
  return {
    memory: tf.concat(used, 1) as tf.Tensor3D,
    bias: tf.concat(used.map(() => enc.srcBias), 3) as tf.Tensor4D,
  };
}
