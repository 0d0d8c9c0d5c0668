/**
 * AutoMoE's mixture-of-experts FFN (Jawahar et al., 2022), as its Switch-style layer runs it:
 * a router Linear(embed -> E) cut to the layer's first n experts scores every token, softmax
 * over those n, each token goes to its top-k experts (k = min(topK, n)), each expert is its own
 * FFN of its own width (a first-k slice of its own max-size fc1/fc2; experts share nothing),
 * and its output is scaled by the token's router probability for it (not renormalised over the
 * k). Tokens are dispatched by gather and combined by a segment sum, so each token runs only its
 * routed experts. An expert over capacity drops the overflow when asked (in token order), and a
 * dropped token's FFN output is 0: it passes through the residual. Padding is routed like any
 * token, as in AutoMoE. A 1-expert layer is exactly the dense FFN (its probability is 1).
 *
 * Plain weight names: expert 0 is the layer's dense FFN "<p>.fc1.w" … "<p>.fc2.b"; expert i >= 1
 * is "<p>.experts.<i>.fc1.w" …; the router is "<p>.router.w" (embed, E) and "<p>.router.b" (E).
 */
import * as tf from "@tensorflow/tfjs";
import { linear, sliceBlock, sliceVector } from "../ops/index";
import { ForwardContext, slicedFfn } from "../supernet/layers";
import type { Weights } from "../supernet/params";
import type { MoeLayerStats, MoeOptions } from "./config";

/** The widths of one MoE layer in an arch. */
export interface MoeLayerWidths {
  readonly embedDim: number;
  /** FFN width of each expert (expert 0 first); its length is the layer's expert count n. */
  readonly expertWidths: readonly number[];
  /** Experts per token (at most n are used). */
  readonly topK: number;
}

/** A layer's output, its balance loss n * sum_i f_i P_i (differentiable in the router) and its statistics. */
export interface MoeLayerResult {
  readonly output: tf.Tensor;
  readonly balanceLoss: tf.Scalar;
  readonly stats: MoeLayerStats;
}

/** Name prefix of expert `i`'s fc1/fc2 in layer `prefix`. */
export function expertPrefix(prefix: string, i: number): string {
  return i === 0 ? prefix : `${prefix}.experts.${i}`;
}

/** Which tokens each expert takes: per (token, slot) assignment in token order, with capacity. */
export function dispatchPlan(indices: ArrayLike<number>, tokens: number, k: number, n: number, options: MoeOptions): { perExpert: number[][]; assigned: number[]; dropped: number[] } {
  const capacity = Math.floor((options.capacityFactor * tokens * k) / n);
  const perExpert: number[][] = Array.from({ length: n }, () => []);
  const assigned = new Array<number>(n).fill(0);
  const dropped = new Array<number>(n).fill(0);
  for (let t = 0; t < tokens; t++) {
    for (let s = 0; s < k; s++) {
      const e = indices[t * k + s];
      assigned[e]++;
      if (options.dropTokens && perExpert[e].length >= capacity) {
        dropped[e]++;
        continue;
      }
      perExpert[e].push(t);
    }
  }
  return { perExpert, assigned, dropped };
}

/** The MoE FFN of one layer on x (..., d); activation dropout as in the dense FFN. */
export function moeFfn(weights: Weights, prefix: string, x: tf.Tensor, widths: MoeLayerWidths, options: MoeOptions, activationDropout: number, ctx: ForwardContext): MoeLayerResult {
  const n = widths.expertWidths.length;
  const d = widths.embedDim;
  const tokens = x.size / d;
  if (n === 1) {
    const stats = { tokens, assigned: [tokens], dropped: [0], meanProb: [1], entropy: 0, firstChoice: new Int32Array(tokens) };
    return { output: slicedFfn(weights, prefix, x, d, widths.expertWidths[0], activationDropout, ctx), balanceLoss: tf.scalar(1), stats };
  }
  const k = Math.min(widths.topK, n);
  const flat = tf.reshape(x, [tokens, d]) as tf.Tensor2D;
  const router = weights[`${prefix}.router.w`];
  const probs = tf.softmax(linear(flat, sliceBlock(router, d, n), sliceVector(weights[`${prefix}.router.b`], n))) as tf.Tensor2D; // (N, n)
  // The host read of the layer: which tokens go where (dispatch needs concrete index lists).
  // Only the indices of top-k are used: tfjs has no TopK gradient; probabilities are gathered.
  const indices = tf.topk(probs, k).indices.dataSync();
  const plan = dispatchPlan(indices, tokens, k, n, options);
  const flatProbs = tf.reshape(probs, [-1]); // (N * n), token-major
  const outputs: tf.Tensor[] = [];
  const targets: number[] = [];
  plan.perExpert.forEach((tokenIds, e) => {
    if (tokenIds.length === 0) return;
    const xe = tf.gather(flat, tf.tensor1d(tokenIds, "int32"));
    const ye = slicedFfn(weights, expertPrefix(prefix, e), xe, d, widths.expertWidths[e], activationDropout, ctx);
    const pe = tf.gather(flatProbs, tf.tensor1d(tokenIds.map((t) => t * n + e), "int32"));
    outputs.push(tf.mul(ye, tf.reshape(pe, [-1, 1])));
    targets.push(...tokenIds);
  });
  const combined = outputs.length === 0 ? tf.zerosLike(flat) : tf.unsortedSegmentSum(tf.concat(outputs, 0), tf.tensor1d(targets, "int32"), tokens);
  const meanProb = tf.mean(probs, 0); // P_i
  const f = plan.assigned.map((a) => a / (tokens * k)); // f_i, before capacity
  const balanceLoss = tf.mul(n, tf.sum(tf.mul(meanProb, tf.tensor1d(f)))) as tf.Scalar;
  const entropy = tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(probs, tf.log(tf.add(probs, 1e-12))), 1))).dataSync()[0]);
  const firstChoice = new Int32Array(tokens).fill(-1);
  plan.perExpert.forEach((ts, e) => ts.forEach((t) => (indices[t * k] === e ? (firstChoice[t] = e) : undefined)));
  const stats = { tokens, assigned: plan.assigned, dropped: plan.dropped, meanProb: Array.from(meanProb.dataSync()), entropy, firstChoice };
  return { output: tf.reshape(combined, x.shape), balanceLoss, stats };
}
