/**
 * Parameter count of a subnet of a HAT-style encoder-decoder (Wang et al., ACL 2020; fairseq
 * `transformer` with normalize_before, share_all_embeddings). With d = width of the stream,
 * e = encoder embedDim, D = decoder embedDim, Q = the attention's q/k/v width (`attentionWidth`:
 * qkvDim, or heads × headDim in a space with a fixed head size), f = the layer's ffnDim, V = vocabSize:
 *   attention(d, kv)  = (d·Q + Q) + 2·(kv·Q + Q) + (Q·d + d)   q, k, v projections and output, with biases
 *   ffn(d, f)         = (d·f + f) + (f·d + d)                  two linear layers with biases
 *   layerNorm(d)      = 2·d                                     gain and bias
 *   encoder layer     = attention(e, e) + ffn(e, f) + 2·layerNorm(e)
 *   decoder layer     = attention(D, D) + attention(D, e) + ffn(D, f) + 3·layerNorm(D)
 *                       (cross attention: queries from the decoder, keys/values from the encoder;
 *                        attending to more encoder layers concatenates them in time, no weights)
 *   final norms       = layerNorm(e) + layerNorm(D)             pre-norm stacks end with a LayerNorm
 *   embeddings        = V · max(e, D)                           one table shared by source, target
 *                       and output projection; each side uses its first e or D columns, so the
 *                       subnet holds max(e, D) columns. Sinusoidal positions have no parameters.
 * An encoder-only (BERT) arch has no decoder terms: its masked-LM head is the tied table.
 * A mixture-of-experts layer (AutoMoE, Jawahar et al., 2022) with n > 1 experts of widths
 * f_0 … f_(n-1) holds sum_i ffn(d, f_i) plus its router d·n + n (AutoMoE's count leaves the
 * router out; it is a real weight, and small). Its ACTIVE parameters, those one token runs, are
 * the router plus k = min(topK, n) experts of the mean width, k · mean_i ffn(d, f_i): the
 * expectation under uniform routing, since which experts a token meets depends on the trained
 * router. A dense layer's active parameters are all of them.
 * A SuperShaper layer (MoS-BERT's space) of width h = layerHiddenDim counts
 *   attention(h, h) with Q = h + ffn(h, f) + 2·layerNorm(h) + (e·h + h) + (h·e + e)
 * the last two its input and output bottlenecks.
 */
import { attentionWidth } from "./attention-width";
import { archPart, encoderLayerWidth } from "./schema";
import type { Arch, DecoderArch, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** Options of `archParams`. */
export interface ParamsOptions {
  /** Count the shared embedding table (default true). */
  readonly includeEmbeddings?: boolean;
  /** Count only the parameters one token runs (mixture-of-experts layers: k experts of mean width; default false). */
  readonly active?: boolean;
}

/** The FFN of layer l of a part: its experts' widths (expert 0 first) and how many a token uses. */
export function layerFfn(arch: Arch, part: "encoder" | "decoder", l: number): { widths: number[]; k: number } {
  const p = archPart(arch, part, "layerFfn");
  const widths = [p.ffnDim[l], ...(p.expertFfnDim?.[l] ?? [])];
  return { widths, k: Math.min(p.topK?.[l] ?? 1, widths.length) };
}

/** Parameters of an FFN of width-d stream with these experts: all of them, or the active ones. */
function ffnParams(d: number, ffn: { widths: number[]; k: number }, active: boolean): number {
  const one = (f: number) => d * f + f + f * d + d;
  const n = ffn.widths.length;
  if (n === 1) return one(ffn.widths[0]);
  const router = d * n + n;
  const all = ffn.widths.reduce((s, f) => s + one(f), 0);
  return router + (active ? (ffn.k * all) / n : all);
}

/** Parameters of the subnet (formulas in the file comment); validates the arch. */
export function archParams(space: SearchSpace, arch: Arch, vocabSize: number, options: ParamsOptions = {}): number {
  validateArch(space, arch);
  const includeEmbeddings = options.includeEmbeddings ?? true;
  if (includeEmbeddings && !(Number.isInteger(vocabSize) && vocabSize > 0)) {
    throw new Error(`archParams: vocabSize = ${vocabSize} must be a positive integer`);
  }
  const e = arch.encoder.embedDim;
  const D = arch.decoder?.embedDim ?? 0;
  const attention = (d: number, kv: number, heads: number, layerWidth?: number) => {
    const Q = attentionWidth(space, heads, layerWidth);
    return d * Q + Q + 2 * (kv * Q + Q) + Q * d + d;
  };
  const active = options.active ?? false;
  const layerNorm = (d: number) => 2 * d;
  let n = layerNorm(e) + layerNorm(D);
  const hidden = arch.encoder.layerHiddenDim;
  for (let l = 0; l < arch.encoder.numLayers; l++) {
    const h = encoderLayerWidth(arch, l);
    n += attention(h, h, arch.encoder.numHeads[l], hidden?.[l]) + ffnParams(h, layerFfn(arch, "encoder", l), active) + 2 * layerNorm(h);
    if (hidden) n += e * h + h + h * e + e;
  }
  for (let l = 0; l < (arch.decoder?.numLayers ?? 0); l++) n += attention(D, D, (arch.decoder as DecoderArch).selfHeads[l]) + attention(D, e, (arch.decoder as DecoderArch).crossHeads[l]) + ffnParams(D, layerFfn(arch, "decoder", l), active) + 3 * layerNorm(D);
  if (includeEmbeddings) n += vocabSize * Math.max(e, D);
  return n;
}

/** Total and active parameters without embeddings, and sparsity = 1 - active / total (0 for a dense arch). */
export function archSparsity(space: SearchSpace, arch: Arch): { totalParams: number; activeParams: number; sparsity: number } {
  const totalParams = archParams(space, arch, 0, { includeEmbeddings: false });
  const activeParams = archParams(space, arch, 0, { includeEmbeddings: false, active: true });
  return { totalParams, activeParams, sparsity: 1 - activeParams / totalParams };
}
