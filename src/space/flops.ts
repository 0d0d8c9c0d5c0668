/**
 * FLOPs of one forward pass of a subnet on one sentence pair, for HAT-style encoder-decoders
 * (Wang et al., ACL 2020) as AutoMoE (Jawahar et al., 2022) reports them: 2 × multiply-adds of
 * the matmuls only (biases, softmax, LayerNorm and activations are a few % and ignored).
 * With S = srcLen, T = tgtLen, e / D = encoder / decoder embedDim, Q = the attention's q/k/v width
 * (`attentionWidth`: qkvDim, or heads × headDim with a fixed head size), f = the layer's
 * ffnDim, c = the layer's crossLayers, V = vocabSize, multiply-adds are:
 *   encoder layer:  S·4·e·Q          q, k, v, output projections
 *                 + 2·S·S·Q          scores QKᵀ and weighted sum AV (summed over heads: h·S·S·Q/h)
 *                 + S·2·e·f          FFN
 *   decoder layer:  T·4·D·Q + 2·T·T·Q                  self attention (all T×T scores: training
 *                                                       computes the masked matmul in full)
 *                 + T·2·D·Q + 2·(c·S)·e·Q            cross attention: q and output projections,
 *                                                       k and v over the c·S concatenated encoder states
 *                 + 2·T·(c·S)·Q                       cross scores and AV over c·S keys
 *                 + T·2·D·f                           FFN
 *   output:         T·D·V                              tied output projection (includeEmbeddings)
 * An encoder-only (BERT) arch has no decoder terms; its masked-LM head is S·e·V (tgtLen unused).
 * Embedding lookups and sinusoidal positions cost no multiply-adds.
 * A mixture-of-experts layer (AutoMoE) counts only the routed experts, as AutoMoE's profiler does:
 * its router (tokens·d·n) plus, per token, k = min(topK, n) experts of the layer's mean expert
 * width (the expectation under uniform routing; the trained router decides the real mix). A
 * dense arch keeps the formulas above exactly.
 * A SuperShaper layer (MoS-BERT's space) of width h = layerHiddenDim runs the encoder layer's
 * formula with e = h and Q = h, plus its two bottlenecks, S·2·e·h.
 */
import { attentionWidth } from "./attention-width";
import { layerFfn } from "./params";
import { encoderLayerWidth } from "./schema";
import type { Arch, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** Options of `archFlops`. */
export interface FlopsOptions {
  /** Source tokens. */
  readonly srcLen: number;
  /** Target tokens. */
  readonly tgtLen: number;
  /** Vocabulary size; required when includeEmbeddings. */
  readonly vocabSize?: number;
  /** Count the output projection onto the vocabulary (default true). */
  readonly includeEmbeddings?: boolean;
}

/** FLOPs (2 × multiply-adds of matmuls, formulas in the file comment); validates the arch. */
export function archFlops(space: SearchSpace, arch: Arch, options: FlopsOptions): number {
  validateArch(space, arch);
  const { srcLen: S, tgtLen: T } = options;
  const includeEmbeddings = options.includeEmbeddings ?? true;
  for (const [name, v] of [["srcLen", S], ["tgtLen", T]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new Error(`archFlops: ${name} = ${v} must be a positive integer`);
  }
  const V = options.vocabSize;
  if (includeEmbeddings && !(V !== undefined && Number.isInteger(V) && V > 0)) {
    throw new Error(`archFlops: vocabSize = ${V} must be a positive integer when includeEmbeddings is true`);
  }
  const Q = (heads: number, layerWidth?: number) => attentionWidth(space, heads, layerWidth);
  const e = arch.encoder.embedDim;
  const dec = arch.decoder;
  // FFN multiply-adds of `tokens` tokens through layer l: routed experts only.
  const ffn = (part: "encoder" | "decoder", l: number, tokens: number, d: number) => {
    const { widths, k } = layerFfn(arch, part, l);
    if (widths.length === 1) return tokens * 2 * d * widths[0];
    const meanWidth = widths.reduce((a, b) => a + b, 0) / widths.length;
    return tokens * d * widths.length + tokens * k * 2 * d * meanWidth;
  };
  let macs = 0;
  const hidden = arch.encoder.layerHiddenDim;
  for (let l = 0; l < arch.encoder.numLayers; l++) {
    const h = encoderLayerWidth(arch, l);
    const q = Q(arch.encoder.numHeads[l], hidden?.[l]);
    macs += S * 4 * h * q + 2 * S * S * q + ffn("encoder", l, S, h);
    if (hidden) macs += S * 2 * e * h;
  }
  if (!dec) {
    // Encoder-only (BERT): the masked-LM head projects every position onto the vocabulary.
    if (includeEmbeddings) macs += S * e * (V as number);
    return 2 * macs;
  }
  const D = dec.embedDim;
  for (let i = 0; i < dec.numLayers; i++) {
    const keys = dec.crossLayers[i] * S;
    const qs = Q(dec.selfHeads[i]);
    const qc = Q(dec.crossHeads[i]);
    macs += T * 4 * D * qs + 2 * T * T * qs;
    macs += T * 2 * D * qc + 2 * keys * e * qc + 2 * T * keys * qc;
    macs += ffn("decoder", i, T, D);
  }
  if (includeEmbeddings) macs += T * D * (V as number);
  return 2 * macs;
}
