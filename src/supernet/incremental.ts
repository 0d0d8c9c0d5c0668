/**
 * Incremental decoding: the decoder run one position at a time with cached self-attention keys
 * and values, and cross-attention keys/values projected once per sentence. Step t costs O(t)
 * instead of re-running the whole prefix, which is what makes greedy and beam search usable.
 */
import * as tf from "@tensorflow/tfjs";
import { attentionWidth } from "../space/attention-width";
import { decoderOf } from "../space/schema";
import type { Arch } from "../space/types";
import { tidy } from "../util/tidy";
import { KeyValues, attendWith, projectKeyValues } from "./attention";
import type { SupernetConfig } from "./config";
import { outputLogits } from "./decoder";
import { EncoderOutput, crossMemory, encode } from "./encoder";
import { forwardContext } from "./forward";
import { ffnBlock } from "./ffn-block";
import { embedTokens, slicedLayerNorm } from "./layers";
import type { Weights } from "./params";

/** Per-layer cached keys/values; rows are (sentence, head) pairs: (B*H, t, hd). */
export interface DecoderCache {
  readonly self: KeyValues[];
  readonly cross: KeyValues[];
  readonly crossBias: tf.Tensor4D[];
  readonly position: number;
}

/** Encodes the source and projects every decoder layer's cross-attention memory. */
export function startDecoding(params: Weights, config: SupernetConfig, arch: Arch, src: tf.Tensor2D, srcMask: tf.Tensor2D): DecoderCache {
  const dec = decoderOf(arch, "incremental decoding");
  return tidy(() => {
    const ctx = forwardContext(null, undefined, config.moe);
    const enc: EncoderOutput = encode(params, config.space, arch, src, srcMask, config, ctx);
    const cross: KeyValues[] = [];
    const crossBias: tf.Tensor4D[] = [];
    for (let l = 0; l < dec.numLayers; l++) {
      const { memory, bias } = crossMemory(enc, dec.crossLayers[l]);
      const widths = { queryDim: dec.embedDim, keyDim: arch.encoder.embedDim, outDim: dec.embedDim, qkvDim: attentionWidth(config.space, dec.crossHeads[l]), numHeads: dec.crossHeads[l] };
      cross.push(projectKeyValues(params, `dec.${l}.crossAttn`, memory, widths));
      crossBias.push(bias);
    }
    const batch = src.shape[0];
    const self = Array.from({ length: dec.numLayers }, (_, l) => {
      const heads = dec.selfHeads[l];
      const empty = tf.zeros([batch, 0, attentionWidth(config.space, heads)]) as tf.Tensor3D;
      return { keys: empty, values: empty.clone() };
    });
    return { self, cross, crossBias, position: 0 };
  });
}

/** Logits (B, V) for the next token given the previous tokens' ids (B), and the extended cache. */
export function decodeStep(params: Weights, config: SupernetConfig, arch: Arch, tokens: tf.Tensor1D, cache: DecoderCache): { logits: tf.Tensor2D; cache: DecoderCache } {
  const dec = decoderOf(arch, "incremental decoding");
  return tidy(() => {
    const ctx = forwardContext(null, undefined, config.moe);
    const dim = dec.embedDim;
    const batch = tokens.shape[0];
    let x: tf.Tensor = embedTokens(params, tf.reshape(tokens, [batch, 1]) as tf.Tensor2D, dim, cache.position);
    const self: KeyValues[] = [];
    for (let l = 0; l < dec.numLayers; l++) {
      const prefix = `dec.${l}`;
      const selfWidths = { queryDim: dim, keyDim: dim, outDim: dim, qkvDim: attentionWidth(config.space, dec.selfHeads[l]), numHeads: dec.selfHeads[l] };
      const crossWidths = { queryDim: dim, keyDim: arch.encoder.embedDim, outDim: dim, qkvDim: attentionWidth(config.space, dec.crossHeads[l]), numHeads: dec.crossHeads[l] };
      const h = slicedLayerNorm(params, `${prefix}.ln1`, x, dim);
      const fresh = projectKeyValues(params, `${prefix}.selfAttn`, h, selfWidths);
      const kv = { keys: tf.concat([cache.self[l].keys, fresh.keys], 1) as tf.Tensor3D, values: tf.concat([cache.self[l].values, fresh.values], 1) as tf.Tensor3D };
      self.push(kv);
      x = tf.add(x, attendWith(params, `${prefix}.selfAttn`, h, kv, null, selfWidths, 0, ctx));
      const h2 = slicedLayerNorm(params, `${prefix}.ln2`, x, dim);
      x = tf.add(x, attendWith(params, `${prefix}.crossAttn`, h2, cache.cross[l], cache.crossBias[l], crossWidths, 0, ctx));
      const h3 = slicedLayerNorm(params, `${prefix}.ln3`, x, dim);
      x = tf.add(x, ffnBlock(params, prefix, h3, arch, "decoder", l, 0, ctx));
    }
    const hidden = slicedLayerNorm(params, "dec.ln", x, dim) as tf.Tensor3D;
    const logits = tf.reshape(outputLogits(params, hidden), [batch, -1]) as tf.Tensor2D;
    return { logits, cache: { self, cross: cache.cross, crossBias: cache.crossBias, position: cache.position + 1 } };
  });
}

/** Reorders the cache's sentences (beam search): row r of the result is row `order[r]`. */
export function reorderCache(cache: DecoderCache, order: readonly number[], arch: Arch): DecoderCache {
  // The cache holds sentences, not sentence-head rows, so the arch is only checked to have a decoder.
  decoderOf(arch, "incremental decoding");
  return tidy(() => {
    const sentences = tf.tensor1d(order as number[], "int32");
    const pick = (kv: KeyValues) => {
      if (kv.keys.shape[1] === 0) {
        // Nothing cached yet; gathering an empty tensor on wasm returns a wrong rank.
        const empty = tf.zeros([order.length, 0, kv.keys.shape[2]]) as tf.Tensor3D;
        return { keys: empty, values: empty.clone() };
      }
      return { keys: tf.gather(kv.keys, sentences) as tf.Tensor3D, values: tf.gather(kv.values, sentences) as tf.Tensor3D };
    };
    return {
      self: cache.self.map(pick),
      cross: cache.cross.map(pick),
      crossBias: cache.crossBias.map((b) => tf.gather(b, sentences) as tf.Tensor4D),
      position: cache.position,
    };
  });
}

/** Disposes a cache's self-attention keys/values: what `decodeStep` replaced (the cross-attention part is shared with the next cache). */
export function disposeSelfCache(cache: DecoderCache): void {
  for (const kv of cache.self) {
    kv.keys.dispose();
    kv.values.dispose();
  }
}

/** Disposes every tensor of a cache. */
export function disposeCache(cache: DecoderCache): void {
  for (const kv of [...cache.self, ...cache.cross]) {
    kv.keys.dispose();
    kv.values.dispose();
  }
  for (const b of cache.crossBias) b.dispose();
}
