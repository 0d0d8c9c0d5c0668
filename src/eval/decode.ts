/**
 * Translation with a subnet: greedy search and beam search over the incremental decoder.
 * Beam search follows fairseq's rule: a hypothesis ends at eos, scores are summed log-probs
 * divided by length^lenPenalty, a sentence stops when `beam` hypotheses have ended.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import { BOS_ID, EOS_ID } from "../data/tokenizer/vocab";
import type { Arch } from "../space/types";
import { batchTensors } from "../supernet/forward";
import { DecoderCache, decodeStep, disposeCache, disposeSelfCache, reorderCache, startDecoding } from "../supernet/incremental";
import { WeightSharingModel, releaseWeights } from "../supernet/supernet";
import type { Weights } from "../supernet/params";
import { plainWeights } from "../supernet/plain-weights";

/** Decoding options. */
export interface DecodeOptions {
  /** Beam width; 1 = greedy. */
  readonly beam: number;
  /** Most tokens generated per sentence (eos excluded). */
  readonly maxLen: number;
  /** Length penalty exponent of beam search (fairseq lenpen). */
  readonly lenPenalty: number;
}

/** Frozen defaults: greedy, 100 tokens. */
export const decodeDefaults: DecodeOptions = Object.freeze({ beam: 1, maxLen: 100, lenPenalty: 1 });

/** Steps the decoder on `tokens`, returning log-probs (rows x V) as a flat array and the new cache. */
async function step(model: WeightSharingModel, weights: Weights, arch: Arch, tokens: readonly number[], cache: DecoderCache): Promise<{ logProbs: Float32Array; vocab: number; cache: DecoderCache }> {
  const input = tf.tensor1d(tokens as number[], "int32");
  const { logits, cache: next } = decodeStep(weights, model.config, arch, input, cache);
  input.dispose();
  disposeSelfCache(cache);
  const lp = tf.tidy(() => tf.logSoftmax(logits));
  const vocab = logits.shape[1];
  logits.dispose();
  const logProbs = (await lp.data()) as Float32Array;
  lp.dispose();
  return { logProbs, vocab, cache: next };
}

/** Greedy decoding of every row of a batch; returns token ids without bos/eos, in row order. */
export async function greedyDecode(model: WeightSharingModel, arch: Arch, batch: TranslationBatch, maxLen: number): Promise<number[][]> {
  const weights = plainWeights(model, arch, "greedyDecode");
  const t = batchTensors(batch);
  let cache = startDecoding(weights, model.config, arch, t.src, t.srcMask);
  for (const x of Object.values(t)) x.dispose();
  const out: number[][] = Array.from({ length: batch.rows }, () => []);
  const done = new Array<boolean>(batch.rows).fill(false);
  let tokens = new Array<number>(batch.rows).fill(BOS_ID);
  for (let pos = 0; pos < maxLen && done.some((d) => !d); pos++) {
    const r = await step(model, weights, arch, tokens, cache);
    cache = r.cache;
    tokens = tokens.map((_, b) => {
      let best = 0;
      for (let v = 1; v < r.vocab; v++) if (r.logProbs[b * r.vocab + v] > r.logProbs[b * r.vocab + best]) best = v;
      if (!done[b]) {
        if (best === EOS_ID) done[b] = true;
        else out[b].push(best);
      }
      return best;
    });
  }
  disposeCache(cache);
  releaseWeights(model, weights);
  return out;
}

interface Hypothesis {
  readonly tokens: number[];
  readonly score: number;
}

/** Beam search over every row of a batch; returns the best hypothesis per row. */
export async function beamDecode(model: WeightSharingModel, arch: Arch, batch: TranslationBatch, options: DecodeOptions): Promise<number[][]> {
  const k = options.beam;
  const rows = batch.rows;
  const weights = plainWeights(model, arch, "beamDecode");
  const t = batchTensors(batch);
  const base = startDecoding(weights, model.config, arch, t.src, t.srcMask);
  for (const x of Object.values(t)) x.dispose();
  let cache = reorderCache(base, Array.from({ length: rows * k }, (_, i) => Math.floor(i / k)), arch);
  disposeCache(base);
  let alive: Hypothesis[] = Array.from({ length: rows * k }, (_, i) => ({ tokens: [], score: i % k === 0 ? 0 : -Infinity }));
  const finished: Hypothesis[][] = Array.from({ length: rows }, () => []);
  const norm = (h: Hypothesis, len: number) => h.score / Math.pow(len, options.lenPenalty);
  for (let pos = 0; pos < options.maxLen && finished.some((f) => f.length < k); pos++) {
    const r = await step(model, weights, arch, alive.map((h) => (h.tokens.length ? h.tokens[h.tokens.length - 1] : BOS_ID)), cache);
    cache = r.cache;
    const nextAlive: Hypothesis[] = [];
    const order: number[] = [];
    for (let b = 0; b < rows; b++) {
      const candidates: { from: number; token: number; score: number }[] = [];
      if (finished[b].length < k) {
        for (let j = 0; j < k; j++) {
          const row = b * k + j;
          if (alive[row].score === -Infinity) continue;
          const lp = r.logProbs.subarray(row * r.vocab, (row + 1) * r.vocab);
          // Keep only the 2k best extensions of each beam: enough to refill k beams after eos.
          const top: number[] = [];
          for (let v = 0; v < r.vocab; v++) {
            if (top.length < 2 * k || lp[v] > lp[top[top.length - 1]]) {
              top.push(v);
              top.sort((a, c) => lp[c] - lp[a]);
              if (top.length > 2 * k) top.pop();
            }
          }
          for (const v of top) candidates.push({ from: row, token: v, score: alive[row].score + lp[v] });
        }
        candidates.sort((a, c) => c.score - a.score);
      }
      const kept: { from: number; token: number; score: number }[] = [];
      for (const c of candidates) {
        if (kept.length === k || finished[b].length >= k) break;
        if (c.token === EOS_ID) finished[b].push({ tokens: alive[c.from].tokens, score: c.score });
        else kept.push(c);
      }
      for (let j = 0; j < k; j++) {
        const c = kept[j];
        if (c) {
          nextAlive.push({ tokens: [...alive[c.from].tokens, c.token], score: c.score });
          order.push(c.from);
        } else {
          nextAlive.push({ tokens: [], score: -Infinity });
          order.push(b * k);
        }
      }
    }
    const reordered = reorderCache(cache, order, arch);
    disposeCache(cache);
    cache = reordered;
    alive = nextAlive;
  }
  disposeCache(cache);
  releaseWeights(model, weights);
  return finished.map((f, b) => {
    const pool = f.length > 0 ? f : alive.slice(b * k, (b + 1) * k).filter((h) => h.score > -Infinity);
    let best = pool[0];
    for (const h of pool) if (norm(h, h.tokens.length + 1) > norm(best, best.tokens.length + 1)) best = h;
    return best ? best.tokens : [];
  });
}

/** Decodes a batch with the given options (greedy when beam = 1). */
export async function translateBatch(model: WeightSharingModel, arch: Arch, batch: TranslationBatch, options: Partial<DecodeOptions> = {}): Promise<number[][]> {
  const o = { ...decodeDefaults, ...options };
  if (!Number.isInteger(o.beam) || o.beam < 1) throw new Error(`decode: beam must be an integer >= 1; got ${o.beam}`);
  if (!Number.isInteger(o.maxLen) || o.maxLen < 1) throw new Error(`decode: maxLen must be an integer >= 1; got ${o.maxLen}`);
  return o.beam === 1 ? greedyDecode(model, arch, batch, o.maxLen) : beamDecode(model, arch, batch, o);
}
