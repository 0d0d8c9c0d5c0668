/**
 * Measured latency of a subnet on the current backend, as HAT measures it for its latency
 * predictor: translate one sentence (batch 1) with fixed source and target lengths, i.e. one
 * encoder pass plus `tgtLen` incremental decoder steps, each reading its logits back as greedy
 * decoding does. The subnet's weights are extracted first (a deployed subnet has no slicing),
 * warm-up runs are discarded and the median of the timed runs is reported.
 */
import * as tf from "@tensorflow/tfjs";
import { BOS_ID } from "../data/tokenizer/vocab";
import { archKey } from "../space/arch-key";
import type { Arch } from "../space/types";
import { extractSubnet } from "../supernet/extract";
import { decodeStep, disposeCache, disposeSelfCache, startDecoding } from "../supernet/incremental";
import { disposeParams } from "../supernet/params";
import type { WeightSharingModel } from "../supernet/supernet";

/** How latency is measured. */
export interface LatencyOptions {
  /** Source tokens of the sentence. */
  readonly srcLen: number;
  /** Target tokens generated (decoder steps). */
  readonly tgtLen: number;
  /** Untimed runs first (kernels compiled, caches warm). */
  readonly warmup: number;
  /** Timed runs; the median is reported. */
  readonly repeats: number;
}

/** Defaults: a 20-token sentence each way, 1 warm-up, median of 3. */
export const latencyDefaults: LatencyOptions = Object.freeze({ srcLen: 20, tgtLen: 20, warmup: 1, repeats: 3 });

/** One measurement. */
export interface LatencyRow {
  readonly arch: string;
  /** Median over the timed runs, milliseconds. */
  readonly ms: number;
  /** Every timed run, milliseconds. */
  readonly runs: readonly number[];
}

function checkOptions(o: LatencyOptions): void {
  for (const [field, min] of [["srcLen", 1], ["tgtLen", 1], ["warmup", 0], ["repeats", 1]] as const) {
    if (!Number.isInteger(o[field]) || o[field] < min) throw new Error(`latency: ${field} = ${o[field]} must be an integer >= ${min}`);
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds to translate one sentence with `arch` (median of `repeats` runs). */
export async function measureLatency(model: WeightSharingModel, arch: Arch, overrides: Partial<LatencyOptions> = {}): Promise<LatencyRow> {
  const o = { ...latencyDefaults, ...overrides };
  checkOptions(o);
  const subnet = extractSubnet(model, arch);
  // Content does not change the cost of dense ops: a fixed ordinary token stands for the sentence.
  const src = tf.fill([1, o.srcLen], BOS_ID + 3, "int32") as tf.Tensor2D;
  const srcMask = tf.ones([1, o.srcLen]) as tf.Tensor2D;
  const token = tf.tensor1d([BOS_ID], "int32");
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    let cache = startDecoding(subnet.params, subnet.config, arch, src, srcMask);
    for (let i = 0; i < o.tgtLen; i++) {
      const { logits, cache: next } = decodeStep(subnet.params, subnet.config, arch, token, cache);
      await logits.data();
      logits.dispose();
      disposeSelfCache(cache);
      cache = next;
    }
    disposeCache(cache);
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < o.warmup; i++) await once();
    const runs: number[] = [];
    for (let i = 0; i < o.repeats; i++) runs.push(await once());
    return { arch: archKey(arch), ms: median(runs), runs };
  } finally {
    tf.dispose([src, srcMask, token]);
    disposeParams(subnet.params);
  }
}

/** Measures every arch in order (interleaving nothing else, so runs see the same machine state). */
export async function measureLatencies(model: WeightSharingModel, archs: readonly Arch[], overrides: Partial<LatencyOptions> = {}): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  for (const arch of archs) rows.push(await measureLatency(model, arch, overrides));
  return rows;
}
