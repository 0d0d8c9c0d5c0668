/** Oracle check shared by the decoding tests: incremental decoding against the full forward pass. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../../src/data/batching";
import type { Arch } from "../../src/space/index";
import { batchTensors, decodeStep, disposeCache, startDecoding } from "../../src/supernet/index";
import type { DecoderCache, WeightSharingModel } from "../../src/supernet/index";

/** Asserts that stepping the cached decoder gives the full forward pass's logits at every position. */
export async function assertIncrementalMatchesFull(model: WeightSharingModel, arch: Arch, batch: TranslationBatch, tol = 1e-4): Promise<void> {
  const t = batchTensors(batch);
  const fullLogits = tf.tidy(() => model.logits(arch, t, null));
  const full = await fullLogits.array();
  fullLogits.dispose();
  let cache: DecoderCache = startDecoding(model.params, model.config, arch, t.src, t.srcMask);
  const tgtIn = await t.tgtIn.array();
  for (let pos = 0; pos < batch.tgtLen; pos++) {
    const tokens = tf.tensor1d(tgtIn.map((row) => row[pos]), "int32");
    const { logits, cache: next } = decodeStep(model.params, model.config, arch, tokens, cache);
    for (const kv of cache.self) tf.dispose([kv.keys, kv.values]);
    cache = next;
    const step = await logits.array();
    for (let b = 0; b < batch.rows; b++) {
      for (let v = 0; v < step[b].length; v++) assert.ok(Math.abs(step[b][v] - full[b][pos][v]) < tol, `row ${b} pos ${pos} token ${v}`);
    }
    tf.dispose([tokens, logits]);
  }
  disposeCache(cache);
  tf.dispose(Object.values(t));
}
