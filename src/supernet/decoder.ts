/**
 * The elastic decoder: pre-norm layers with causal self-attention, cross-attention over the
 * last `crossLayers[l]` encoder layers, and an FFN; the output projection is the shared
 * embedding table sliced to the decoder's width (tied weights).
 */
import * as tf from "@tensorflow/tfjs";
import { matMul, sliceBlock } from "../ops/index";
import { attentionWidth } from "../space/attention-width";
import { decoderOf, spacePart } from "../space/schema";
import type { Arch, SearchSpace } from "../space/types";
import { attention, causalBias } from "./attention";
import { DropoutRates, EncoderOutput, crossMemory, scaledRate } from "./encoder";
import { ffnBlock } from "./ffn-block";
import { ForwardContext, dropout, embedTokens, slicedLayerNorm, traced } from "./layers";
import type { Weights } from "./params";

/** Runs the decoder of `arch` on shifted target ids (B, T); returns the final hidden states (B, T, dD). */
export function decode(params: Weights, space: SearchSpace, arch: Arch, tgtIn: tf.Tensor2D, enc: EncoderOutput, rates: DropoutRates, ctx: ForwardContext): tf.Tensor3D {
  const dec = decoderOf(arch, "the decoder");
  const dim = dec.embedDim;
  const encDim = arch.encoder.embedDim;
  const p = scaledRate(rates.dropout, dim, Math.max(...spacePart(space, "decoder", "the decoder").embedDim));
  const selfBias = causalBias(tgtIn.shape[1]);
  let x: tf.Tensor = dropout(embedTokens(params, tgtIn, dim), p, ctx);
  for (let l = 0; l < dec.numLayers; l++) {
    const prefix = `dec.${l}`;
    const selfWidths = { queryDim: dim, keyDim: dim, outDim: dim, qkvDim: attentionWidth(space, dec.selfHeads[l]), numHeads: dec.selfHeads[l] };
    const crossWidths = { queryDim: dim, keyDim: encDim, outDim: dim, qkvDim: attentionWidth(space, dec.crossHeads[l]), numHeads: dec.crossHeads[l] };
    const h = traced(ctx, `${prefix}.selfAttn.in`, slicedLayerNorm(params, `${prefix}.ln1`, x, dim));
    const a = traced(ctx, `${prefix}.selfAttn.out`, attention(params, `${prefix}.selfAttn`, h, h, selfBias, selfWidths, rates.attentionDropout, ctx));
    x = tf.add(x, dropout(a, p, ctx));
    const { memory, bias } = crossMemory(enc, dec.crossLayers[l]);
    const h2 = traced(ctx, `${prefix}.crossAttn.in`, slicedLayerNorm(params, `${prefix}.ln2`, x, dim));
    const c = traced(ctx, `${prefix}.crossAttn.out`, attention(params, `${prefix}.crossAttn`, h2, memory, bias, crossWidths, rates.attentionDropout, ctx));
    x = tf.add(x, dropout(c, p, ctx));
    const h3 = traced(ctx, `${prefix}.ffn.in`, slicedLayerNorm(params, `${prefix}.ln3`, x, dim));
    const f = traced(ctx, `${prefix}.ffn.out`, ffnBlock(params, prefix, h3, arch, "decoder", l, rates.activationDropout, ctx));
    x = traced(ctx, `${prefix}.out`, tf.add(x, dropout(f, p, ctx)));
  }
  return slicedLayerNorm(params, "dec.ln", x, dim) as tf.Tensor3D;
}

/** Logits over the vocabulary from decoder states (B, T, dD): states times the tied embedding. */
export function outputLogits(params: Weights, hidden: tf.Tensor3D): tf.Tensor3D {
  const [batch, length, dim] = hidden.shape;
  const table = sliceBlock(params.embed, params.embed.shape[0], dim);
  const flat = matMul(tf.reshape(hidden, [batch * length, dim]) as tf.Tensor2D, table as tf.Tensor2D, false, true);
  return tf.reshape(flat, [batch, length, -1]) as tf.Tensor3D;
}
