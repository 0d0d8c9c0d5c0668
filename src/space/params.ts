/**
 * Parameter count of a subnet of a HAT-style encoder-decoder (Wang et al., ACL 2020; fairseq
 * `transformer` with normalize_before, share_all_embeddings). With d = width of the stream,
 * e = encoder embedDim, D = decoder embedDim, Q = qkvDim, f = the layer's ffnDim, V = vocabSize:
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
 */
import type { Arch, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";

/** Options of `archParams`. */
export interface ParamsOptions {
  /** Count the shared embedding table (default true). */
  readonly includeEmbeddings?: boolean;
}

/** Parameters of the subnet (formulas in the file comment); validates the arch. */
export function archParams(space: SearchSpace, arch: Arch, vocabSize: number, options: ParamsOptions = {}): number {
  validateArch(space, arch);
  const includeEmbeddings = options.includeEmbeddings ?? true;
  if (includeEmbeddings && !(Number.isInteger(vocabSize) && vocabSize > 0)) {
    throw new Error(`archParams: vocabSize = ${vocabSize} must be a positive integer`);
  }
  const Q = space.qkvDim;
  const e = arch.encoder.embedDim;
  const D = arch.decoder.embedDim;
  const attention = (d: number, kv: number) => d * Q + Q + 2 * (kv * Q + Q) + Q * d + d;
  const ffn = (d: number, f: number) => d * f + f + f * d + d;
  const layerNorm = (d: number) => 2 * d;
  let n = layerNorm(e) + layerNorm(D);
  for (const f of arch.encoder.ffnDim) n += attention(e, e) + ffn(e, f) + 2 * layerNorm(e);
  for (const f of arch.decoder.ffnDim) n += attention(D, D) + attention(D, e) + ffn(D, f) + 3 * layerNorm(D);
  if (includeEmbeddings) n += vocabSize * Math.max(e, D);
  return n;
}
