/**
 * The SuperTransformer forward pass as one pure function of (params, config, arch, batch):
 * no hidden "active subnet" state, so two archs can be evaluated side by side on the same
 * weights (what sandwich training, interference probes and evolution all need).
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import type { Arch } from "../space/types";
import { Rng } from "../util/rng";
import type { SupernetConfig } from "./config";
import { decode, outputLogits } from "./decoder";
import { encode } from "./encoder";
import type { MoeOptions } from "../moe/config";
import type { ForwardContext, MoeLayerRecord } from "./layers";
import type { Weights } from "./params";

/** A batch as tensors: ids are int32 (B, S) and (B, T); masks are float 0/1. */
export interface BatchTensors {
  readonly src: tf.Tensor2D;
  readonly srcMask: tf.Tensor2D;
  readonly tgtIn: tf.Tensor2D;
  readonly tgtOut: tf.Tensor2D;
  readonly tgtMask: tf.Tensor2D;
}

/** Uploads a padded batch to tensors (dispose them, or create inside tf.tidy). */
export function batchTensors(batch: TranslationBatch): BatchTensors {
  return {
    src: tf.tensor2d(batch.srcIds, [batch.rows, batch.srcLen], "int32"),
    srcMask: tf.tensor2d(batch.srcMask, [batch.rows, batch.srcLen]),
    tgtIn: tf.tensor2d(batch.tgtIn, [batch.rows, batch.tgtLen], "int32"),
    tgtOut: tf.tensor2d(batch.tgtOut, [batch.rows, batch.tgtLen], "int32"),
    tgtMask: tf.tensor2d(batch.tgtMask, [batch.rows, batch.tgtLen]),
  };
}

/** Training mode with seeded dropout (an Rng), or evaluation mode (null); optionally tracing operators and collecting MoE layer records. */
export function forwardContext(rng: Rng | null, trace?: Map<string, tf.Tensor>, moeOptions?: MoeOptions, moeRecords?: MoeLayerRecord[]): ForwardContext {
  const moe = moeOptions ? { options: moeOptions, records: moeRecords } : undefined;
  return rng ? { training: true, nextSeed: () => rng.nextUint32(), trace, moe } : { training: false, nextSeed: () => 0, trace, moe };
}

/**
 * Logits (B, T, V) of `arch` on a batch; pass an Rng to train (dropout on), null to evaluate; a
 * trace map collects operator inputs/outputs, a records list the mixture-of-experts layers' reports.
 * An encoder-only (BERT) arch reads `src` alone and returns masked-LM logits (B, S, V) from its
 * last layer through the tied embedding table; its targets are then `tgtOut` under `tgtMask`
 * (the masked positions), so the trainer's loss is the masked-LM loss.
 */
export function supernetLogits(params: Weights, config: SupernetConfig, arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>, moeRecords?: MoeLayerRecord[]): tf.Tensor3D {
  const ctx = forwardContext(rng, trace, config.moe, moeRecords);
  const enc = encode(params, config.space, arch, batch.src, batch.srcMask, config, ctx);
  if (arch.decoder === undefined) return outputLogits(params, enc.states[enc.states.length - 1]);
  return outputLogits(params, decode(params, config.space, arch, batch.tgtIn, enc, config, ctx));
}
