/**
 * The architecture router of a Mixture-of-Supernets layer: an MLP from the arch's 10 HAT
 * features to expert weights, Linear(10 -> hidden) -> ReLU -> Linear(hidden -> m [x neurons]),
 * with a softmax over the experts (per output neuron in the neuron-wise variant).
 */
import * as tf from "@tensorflow/tfjs";
import type { SupernetParams } from "../supernet/params";
import type { MosOptions } from "./config";

/** Expert weights of one layer: alpha (m) for layer-wise routing, or alpha1 (m, fc1 out) and alpha2 (m, fc2 out) for neuron-wise. */
export interface LayerRouting {
  readonly fc1: tf.Tensor; // (m, 1) layer-wise or (m, fc1Out) neuron-wise
  readonly fc2: tf.Tensor; // (m, 1) or (m, fc2Out)
}

/** Runs the router of `layer` on a feature vector (10). `dropoutSeed` turns router dropout on. */
export function routeLayer(params: SupernetParams, layer: string, features: tf.Tensor1D, options: MosOptions, dropoutSeed: number | null): LayerRouting {
  const m = options.numExperts;
  let hidden: tf.Tensor = tf.relu(tf.add(tf.matMul(tf.reshape(features, [1, -1]), params[`${layer}.router.w1`]), params[`${layer}.router.b1`]));
  if (dropoutSeed !== null && options.routerDropout > 0) hidden = tf.dropout(hidden, options.routerDropout, undefined, dropoutSeed);
  const logits = tf.add(tf.matMul(hidden, params[`${layer}.router.w2`]), params[`${layer}.router.b2`]);
  if (options.granularity === "layer") {
    const alpha = tf.reshape(tf.softmax(logits), [m, 1]);
    return { fc1: alpha, fc2: alpha };
  }
  const fc1Out = params[`${layer}.fc1.b`].shape[0];
  const perNeuron = tf.reshape(logits, [m, -1]); // (m, fc1Out + fc2Out): softmax over experts, per neuron
  const alpha = tf.softmax(tf.transpose(perNeuron)); // (neurons, m)
  const both = tf.transpose(alpha); // (m, neurons)
  return { fc1: tf.slice(both, [0, 0], [m, fc1Out]), fc2: tf.slice(both, [0, fc1Out], [m, -1]) };
}
