/**
 * Token-router inspection for AutoMoE supernets (Jawahar et al., 2022): which experts the
 * tokens of validation data go to, per layer (load, the tokens each expert receives most,
 * router entropy, balance loss), whether archs that share the experts route alike, and a
 * warning for experts that receive nothing. Loads count real tokens only (padding is routed,
 * as in AutoMoE, but not counted here); the first-choice expert stands for a token under top-k.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import { archKey } from "../space/arch-key";
import { layerFfn } from "../space/params";
import type { Arch } from "../space/types";
import { batchTensors } from "../supernet/forward";
import type { MoeLayerRecord } from "../supernet/layers";
import type { WeightSharingModel } from "../supernet/supernet";
import { MoeLayerStats, balanceFromStats } from "./config";

/** One routed layer on one batch: its statistics, read back, with each token's id and whether it is real. */
interface RoutedLayer {
  readonly layer: string;
  readonly experts: number;
  readonly stats: MoeLayerStats;
  readonly ids: Int32Array;
  readonly real: Uint8Array;
}

/** One batch's routing: per routed layer, each real token's id and first-choice expert. */
interface RoutedBatch {
  readonly layers: RoutedLayer[];
}

/** Runs the arch on each batch (evaluation mode) and keeps what its routed layers did. */
async function routeBatches(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[]): Promise<RoutedBatch[]> {
  const routed: RoutedBatch[] = [];
  for (const batch of batches) {
    const records: MoeLayerRecord[] = [];
    tf.tidy(() => {
      model.logits(arch, batchTensors(batch), null, undefined, records);
    });
    const side = (layer: string) => (layer.startsWith("enc") ? { ids: batch.srcIds, mask: batch.srcMask } : { ids: batch.tgtIn, mask: batch.tgtMask });
    const kept = records.filter((r) => r.experts > 1);
    const stats = await Promise.all(kept.map((r) => r.stats));
    routed.push({
      layers: kept.map((record, i) => {
        const { ids, mask } = side(record.layer);
        return { layer: record.layer, experts: record.experts, stats: stats[i], ids: Int32Array.from(ids), real: Uint8Array.from(mask, (m) => (m > 0 ? 1 : 0)) };
      }),
    });
  }
  return routed;
}

/** One expert of one layer on the data. */
export interface ExpertLoadRow {
  readonly arch: string;
  readonly layer: string;
  readonly expert: number;
  /** The expert's FFN width in this arch. */
  readonly width: number;
  /** Real tokens whose first choice it was (after capacity), and their share of the layer's real tokens. */
  readonly tokens: number;
  readonly load: number;
}

/** One routed layer on the data. */
export interface RouterLayerRow {
  readonly arch: string;
  readonly layer: string;
  readonly experts: number;
  /** Mean router entropy (nats, padding included) and its maximum log n. */
  readonly entropy: number;
  readonly maxEntropy: number;
  /** Switch balance loss n * sum f_i P_i over all tokens (1 = balanced) and the share of dropped assignments. */
  readonly balance: number;
  readonly droppedFraction: number;
}

/** Load per expert and layer, layer summaries, and warnings for experts that received no real token. */
export async function expertLoad(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[]): Promise<{ experts: ExpertLoadRow[]; layers: RouterLayerRow[]; warnings: string[] }> {
  const routed = await routeBatches(model, arch, batches);
  const names = routed[0]?.layers.map((l) => l.layer) ?? [];
  const experts: ExpertLoadRow[] = [];
  const layers: RouterLayerRow[] = [];
  const warnings: string[] = [];
  names.forEach((layer, i) => {
    const perBatch = routed.map((b) => b.layers[i]);
    const n = perBatch[0].experts;
    const counts = new Array<number>(n).fill(0);
    let real = 0;
    for (const { stats, real: mask } of perBatch) {
      stats.firstChoice.forEach((e, t) => {
        if (!mask[t]) return;
        real++;
        if (e >= 0) counts[e]++;
      });
    }
    const part = layer.startsWith("enc") ? "encoder" : "decoder";
    const widths = layerFfn(arch, part, Number(layer.split(".")[1])).widths;
    counts.forEach((c, e) => experts.push({ arch: archKey(arch), layer, expert: e, width: widths[e], tokens: c, load: real > 0 ? c / real : 0 }));
    for (const e of counts.flatMap((c, e) => (c === 0 ? [e] : []))) warnings.push(`${layer}: expert ${e} (width ${widths[e]}) received no token of ${real}`);
    const weight = (f: (s: MoeLayerStats) => number) => perBatch.reduce((s, x) => s + f(x.stats) * x.stats.tokens, 0) / perBatch.reduce((s, x) => s + x.stats.tokens, 0);
    const assigned = perBatch.reduce((s, x) => s + x.stats.assigned.reduce((a, b) => a + b, 0), 0);
    const dropped = perBatch.reduce((s, x) => s + x.stats.dropped.reduce((a, b) => a + b, 0), 0);
    layers.push({ arch: archKey(arch), layer, experts: n, entropy: weight((s) => s.entropy), maxEntropy: Math.log(n), balance: weight(balanceFromStats), droppedFraction: dropped / Math.max(1, assigned) });
  });
  return { experts, layers, warnings };
}

/** The tokens each expert receives most (first choice, real tokens), `top` per expert, with counts. */
export async function expertTopTokens(model: WeightSharingModel, arch: Arch, batches: readonly TranslationBatch[], top = 10): Promise<{ layer: string; expert: number; tokenId: number; count: number; share: number }[]> {
  const routed = await routeBatches(model, arch, batches);
  const byExpert = new Map<string, Map<number, number>>();
  for (const b of routed) {
    for (const { layer, stats, ids, real } of b.layers) {
      stats.firstChoice.forEach((e, t) => {
        if (!real[t] || e < 0) return;
        const key = `${layer}|${e}`;
        const counts = byExpert.get(key) ?? new Map<number, number>();
        counts.set(ids[t], (counts.get(ids[t]) ?? 0) + 1);
        byExpert.set(key, counts);
      });
    }
  }
  return [...byExpert.entries()].flatMap(([key, counts]) => {
    const [layer, expert] = key.split("|");
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, top)
      .map(([tokenId, count]) => ({ layer, expert: Number(expert), tokenId, count, share: count / total }));
  });
}

/** For each routed layer two archs share: the share of real tokens both send to the same first-choice expert. */
export async function routingAgreement(model: WeightSharingModel, a: Arch, b: Arch, batches: readonly TranslationBatch[]): Promise<{ layer: string; tokens: number; agreement: number }[]> {
  const ra = await routeBatches(model, a, batches);
  const rb = await routeBatches(model, b, batches);
  const layers = (ra[0]?.layers ?? []).map((l) => l.layer).filter((name) => rb[0]?.layers.some((l) => l.layer === name));
  return layers.map((layer) => {
    let tokens = 0;
    let same = 0;
    ra.forEach((batch, i) => {
      const x = batch.layers.find((l) => l.layer === layer);
      const y = rb[i].layers.find((l) => l.layer === layer);
      // The decoder's positions hold the same tokens in both archs; the encoder's too.
      x?.stats.firstChoice.forEach((e, t) => {
        if (!x.real[t] || !y) return;
        tokens++;
        if (e >= 0 && e === y.stats.firstChoice[t]) same++;
      });
    });
    return { layer, tokens, agreement: tokens > 0 ? same / tokens : 0 };
  });
}
