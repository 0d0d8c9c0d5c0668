/**
 * AutoMoE's mixture-of-experts FFN (Jawahar et al., 2022), as its Switch-style layer runs it:
 * a router Linear(embed -> E) cut to the layer's first n experts scores every token, softmax
 * over those n, each token goes to its top-k experts (k = min(topK, n)), each expert is its own
 * FFN of its own width (a first-k slice of its own max-size fc1/fc2; experts share nothing),
 * and its output is scaled by the token's router probability for it (not renormalised over the
 * k). Tokens are dispatched by gather and combined by a segment sum, so each token runs only its
 * routed experts (on a GPU, by masks instead; see `deviceDispatch`). An expert over capacity drops the overflow when asked (in token order), and a
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
import { syncReadsUnavailable } from "../backend/webgpu";
import type { MoeLayerStats, MoeOptions } from "./config";

/** The widths of one MoE layer in an arch. */
export interface MoeLayerWidths {
  readonly embedDim: number;
  /** FFN width of each expert (expert 0 first); its length is the layer's expert count n. */
  readonly expertWidths: readonly number[];
  /** Experts per token (at most n are used). */
  readonly topK: number;
}

/** A layer's output, its balance loss n * sum_i f_i P_i (differentiable in the router) and its statistics (null when not asked for). */
export interface MoeLayerResult {
  readonly output: tf.Tensor;
  readonly balanceLoss: tf.Scalar;
  readonly stats: Promise<MoeLayerStats> | null;
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

/** Where the top-k dispatch is planned: on the host from read indices, or on the device with masks. */
export type MoeDispatch = "host" | "device";

/** The dispatch the current backend wants: "device" where tensors cannot be read synchronously (webgpu). */
export function defaultDispatch(): MoeDispatch {
  return syncReadsUnavailable() ? "device" : "host";
}

/**
 * The MoE FFN of one layer on x (..., d); activation dropout as in the dense FFN. `stats`: also
 * report routing statistics (a promise, read after the forward pass; off saves the device path's
 * reads). `dispatch` is chosen by backend unless given; both give the same outputs and statistics.
 */
export function moeFfn(weights: Weights, prefix: string, x: tf.Tensor, widths: MoeLayerWidths, options: MoeOptions, activationDropout: number, ctx: ForwardContext, stats = true, dispatch: MoeDispatch = defaultDispatch()): MoeLayerResult {
  const n = widths.expertWidths.length;
  const d = widths.embedDim;
  const tokens = x.size / d;
  if (n === 1) {
    const one = { tokens, assigned: [tokens], dropped: [0], meanProb: [1], entropy: 0, firstChoice: new Int32Array(tokens) };
    return { output: slicedFfn(weights, prefix, x, d, widths.expertWidths[0], activationDropout, ctx), balanceLoss: tf.scalar(1), stats: Promise.resolve(one) };
  }
  const k = Math.min(widths.topK, n);
  const flat = tf.reshape(x, [tokens, d]) as tf.Tensor2D;
  const router = weights[`${prefix}.router.w`];
  const probs = tf.softmax(linear(flat, sliceBlock(router, d, n), sliceVector(weights[`${prefix}.router.b`], n))) as tf.Tensor2D; // (N, n)
  const layer = { weights, prefix, flat, probs, tokens, k, n, d, widths, options, activationDropout, ctx };
  // Only the indices of top-k are used (tfjs has no TopK gradient); probabilities are gathered.
  const r = dispatch === "host" ? hostDispatch(layer, tf.topk(probs, k).indices.dataSync()) : deviceDispatch(layer, stats);
  return { output: tf.reshape(r.output, x.shape), balanceLoss: r.balanceLoss, stats: r.stats };
}

interface LayerInputs {
  readonly weights: Weights;
  readonly prefix: string;
  readonly flat: tf.Tensor2D;
  readonly probs: tf.Tensor2D;
  readonly tokens: number;
  readonly k: number;
  readonly n: number;
  readonly d: number;
  readonly widths: MoeLayerWidths;
  readonly options: MoeOptions;
  readonly activationDropout: number;
  readonly ctx: ForwardContext;
}

/** Gather each expert's tokens, run only those, combine by segment sum: no wasted FLOPs, one host read per layer. */
function hostDispatch(l: LayerInputs, indices: ArrayLike<number>): MoeLayerResult {
  const { tokens, k, n, d, probs, flat } = l;
  const plan = dispatchPlan(indices, tokens, k, n, l.options);
  const flatProbs = tf.reshape(probs, [-1]); // (N * n), token-major
  const outputs: tf.Tensor[] = [];
  const targets: number[] = [];
  plan.perExpert.forEach((tokenIds, e) => {
    if (tokenIds.length === 0) return;
    const xe = tf.gather(flat, tf.tensor1d(tokenIds, "int32"));
    const ye = slicedFfn(l.weights, expertPrefix(l.prefix, e), xe, d, l.widths.expertWidths[e], l.activationDropout, l.ctx);
    const pe = tf.gather(flatProbs, tf.tensor1d(tokenIds.map((t) => t * n + e), "int32"));
    outputs.push(tf.mul(ye, tf.reshape(pe, [-1, 1])));
    targets.push(...tokenIds);
  });
  const output = outputs.length === 0 ? tf.zerosLike(flat) : tf.unsortedSegmentSum(tf.concat(outputs, 0), tf.tensor1d(targets, "int32"), tokens);
  const meanProb = tf.mean(probs, 0); // P_i
  const f = plan.assigned.map((a) => a / (tokens * k)); // f_i, before capacity
  const balanceLoss = tf.mul(n, tf.sum(tf.mul(meanProb, tf.tensor1d(f)))) as tf.Scalar;
  const entropy = tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(probs, tf.log(tf.add(probs, 1e-12))), 1))).dataSync()[0]);
  const firstChoice = new Int32Array(tokens).fill(-1);
  plan.perExpert.forEach((ts, e) => ts.forEach((t) => (indices[t * k] === e ? (firstChoice[t] = e) : undefined)));
  const stats = { tokens, assigned: plan.assigned, dropped: plan.dropped, meanProb: Array.from(meanProb.dataSync()), entropy, firstChoice };
  return { output, balanceLoss, stats: Promise.resolve(stats) };
}

/**
 * The same layer without reading anything back (a GPU read stalls its queue): every expert runs
 * on every token and a (token, expert) gate that is the router probability where the token was
 * routed and kept, 0 elsewhere, selects the outputs. Capacity follows the host rule (token order,
 * then slot) through a cumulative count of each expert's assignments, as GShard and Switch do on
 * accelerators. It costs n times the experts' FLOPs of the host path, the usual trade on a GPU.
 * With dropout, masks are drawn over all tokens, so training runs differ from the host path's in
 * their random numbers, not in distribution.
 */
function deviceDispatch(l: LayerInputs, stats: boolean): MoeLayerResult {
  const { tokens, k, n, d, probs, flat, options } = l;
  const capacity = options.dropTokens ? Math.floor((options.capacityFactor * tokens * k) / n) : Infinity;
  const [assign, kept] = tf.unstack(routingMasks(probs, k, capacity)) as [tf.Tensor2D, tf.Tensor2D];
  const keptByToken = tf.sum(tf.reshape(kept, [tokens, k, n]), 1); // (N, n), 0/1: a token picks an expert at most once
  const gate = tf.mul(probs, keptByToken);
  let output: tf.Tensor = tf.zerosLike(flat);
  for (let e = 0; e < n; e++) {
    const ye = slicedFfn(l.weights, expertPrefix(l.prefix, e), flat, d, l.widths.expertWidths[e], l.activationDropout, l.ctx);
    output = tf.add(output, tf.mul(ye, tf.slice(gate, [0, e], [tokens, 1])));
  }
  const assigned = tf.sum(assign, 0); // (n), before capacity
  const meanProb = tf.mean(probs, 0);
  const balanceLoss = tf.mul(n, tf.sum(tf.mul(meanProb, tf.div(assigned, tokens * k)))) as tf.Scalar;
  if (!stats) return { output, balanceLoss, stats: null };
  const dropped = tf.sub(assigned, tf.sum(kept, 0));
  const entropy = tf.mean(tf.neg(tf.sum(tf.mul(probs, tf.log(tf.add(probs, 1e-12))), 1)));
  const slot0 = (m: tf.Tensor2D) => tf.reshape(tf.slice(tf.reshape(m, [tokens, k, n]), [0, 0, 0], [tokens, 1, n]), [tokens, n]);
  const firstChoice = tf.where(tf.greater(tf.sum(slot0(kept), 1), 0), tf.cast(tf.argMax(slot0(assign), 1), "int32"), tf.fill([tokens], -1, "int32"));
  // Kept past this forward pass's scope; readStats disposes them once read.
  const held = [assigned, dropped, meanProb, entropy, firstChoice].map((t) => tf.keep(t));
  const read = readStats(tokens, held);
  // The read runs (and frees the tensors) whether or not anyone awaits it; an unawaited failure must not crash the process.
  read.catch(() => undefined);
  return { output, balanceLoss, stats: read };
}

/**
 * (2, N k, n): the one-hot top-k assignments in priority order (token-major, then slot), and those
 * within capacity (an expert's running count up to `capacity`). Cut from the tape: the choice is
 * discrete (tfjs has no TopK gradient), and the gradient reaches the router through the gate's
 * probabilities instead, as on the host path.
 */
function routingMasks(probs: tf.Tensor2D, k: number, capacity: number): tf.Tensor3D {
  const masks = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const p = args[0] as tf.Tensor2D;
    const n = p.shape[1];
    const assign = tf.cast(tf.oneHot(tf.reshape(tf.topk(p, k).indices, [-1]), n), "float32");
    const kept = Number.isFinite(capacity) ? tf.mul(assign, tf.cast(tf.lessEqual(tf.cumsum(assign, 0), capacity), "float32")) : assign;
    return { value: tf.stack([assign, kept]), gradFunc: () => tf.zerosLike(p) };
  });
  return masks(probs) as tf.Tensor3D;
}

async function readStats(tokens: number, held: tf.Tensor[]): Promise<MoeLayerStats> {
  try {
    const [assigned, dropped, meanProb, entropy, firstChoice] = await Promise.all(held.map((t) => t.data()));
    return { tokens, assigned: Array.from(assigned, Math.round), dropped: Array.from(dropped, Math.round), meanProb: Array.from(meanProb), entropy: entropy[0], firstChoice: Int32Array.from(firstChoice) };
  } finally {
    tf.dispose(held);
  }
}
