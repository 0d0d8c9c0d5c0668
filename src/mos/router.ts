/**
 * The architecture routers of a Mixture-of-Supernets layer: an MLP from the arch's 10 HAT
 * features to expert weights, Linear(10 -> hidden) -> ReLU [-> dropout] -> Linear(hidden -> m)
 * with a softmax over the experts (layer-wise: one router per layer for fc1 and fc2), or
 * Linear(hidden -> m x maxOut) cut to the arch's first m x out outputs, viewed as (out, m) and
 * softmaxed over experts per output neuron (neuron-wise: one router per matrix).
 */
import * as tf from "@tensorflow/tfjs";
import { dropout, linear, sliceBlock, sliceVector } from "../ops/index";
import { archFeatures, featureNorms, hatFeatureNorms } from "../space/features";
import type { Arch, SearchSpace } from "../space/types";
import type { Weights } from "../supernet/params";
import type { MosOptions } from "./config";
import { FfnMatrix, routerPrefix } from "./params";

/** Expert weights of one layer's matrices: (1, m) layer-wise, or (out, m) neuron-wise over the arch's active output neurons. */
export type LayerRouting = Readonly<Record<FfnMatrix, tf.Tensor2D>>;

/** The router input of an arch: its 10 HAT features divided by the norms the options name. */
export function routerFeatures(space: SearchSpace, arch: Arch, options: MosOptions): number[] {
  return archFeatures(space, arch, options.featureNorms === "hat" ? hatFeatureNorms : featureNorms(space));
}

/** Router logits (1, outputs) of one router, using the first `outputs` of its output layer. */
function routerLogits(params: Weights, prefix: string, features: tf.Tensor1D, outputs: number, options: MosOptions, nextSeed: (() => number) | null): tf.Tensor2D {
  let hidden: tf.Tensor = tf.relu(linear(tf.reshape(features, [1, -1]), params[`${prefix}.w1`], params[`${prefix}.b1`]));
  if (nextSeed && options.routerDropout > 0) hidden = dropout(hidden, options.routerDropout, nextSeed());
  const w2 = params[`${prefix}.w2`];
  return linear(hidden, sliceBlock(w2, w2.shape[0], outputs), sliceVector(params[`${prefix}.b2`], outputs)) as tf.Tensor2D;
}

/**
 * Routes one layer for an arch whose fc1 and fc2 have `outDims` active output neurons.
 * `nextSeed` (training) turns router dropout on.
 */
export function routeLayer(params: Weights, layer: string, features: tf.Tensor1D, outDims: Readonly<Record<FfnMatrix, number>>, options: MosOptions, nextSeed: (() => number) | null): LayerRouting {
  const m = options.numExperts;
  if (options.granularity === "layer") {
    const alpha = tf.softmax(routerLogits(params, routerPrefix(layer, "fc1", options), features, m, options, nextSeed)) as tf.Tensor2D;
    return { fc1: alpha, fc2: alpha };
  }
  const perNeuron = (fc: FfnMatrix) => tf.softmax(tf.reshape(routerLogits(params, routerPrefix(layer, fc, options), features, outDims[fc] * m, options, nextSeed), [outDims[fc], m])) as tf.Tensor2D;
  return { fc1: perNeuron("fc1"), fc2: perNeuron("fc2") };
}
