/**
 * The weights of a Mixture-of-Supernets: the plain supernet's weights except each FFN matrix
 * and its bias (fc1, fc2 of every encoder and decoder layer), which become m max-size experts
 * "<layer>.fc1.experts.<i>.w" / ".b", plus the routers. As in the authors' MT release, expert 0
 * is the layer's own fc1/fc2 draw (so m = 1 is exactly the plain supernet) and experts 1..m-1
 * are independent Xavier-uniform draws with zero bias. Independence matters: with near-equal
 * experts and a uniform router, Adam moves every expert by the same step and the mixture trains
 * like a single weight, while the router's gradient <dL/dW, E_i> cannot tell the experts apart.
 */
import * as tf from "@tensorflow/tfjs";
import type { SupernetConfig } from "../supernet/config";
import { SupernetParams, initSupernetParams, variableFrom } from "../supernet/params";
import { archFeatureNames } from "../space/features";
import { Rng } from "../util/rng";
import type { MosOptions } from "./config";

/** The two FFN matrices of a layer. */
export const ffnMatrices = ["fc1", "fc2"] as const;
/** fc1 or fc2. */
export type FfnMatrix = (typeof ffnMatrices)[number];

/** Names of the FFN layers that get experts, e.g. "enc.0", "dec.2". */
export function ffnLayers(config: SupernetConfig): string[] {
  const enc = Array.from({ length: Math.max(...config.space.encoder.numLayers) }, (_, l) => `enc.${l}`);
  const dec = Array.from({ length: config.space.decoder ? Math.max(...config.space.decoder.numLayers) : 0 }, (_, l) => `dec.${l}`);
  return [...enc, ...dec];
}

/** Name of expert `i`'s weight ("w") or bias ("b") of a layer's fc1/fc2. */
export function expertName(layer: string, fc: FfnMatrix, i: number, part: "w" | "b"): string {
  return `${layer}.${fc}.experts.${i}.${part}`;
}

/** Name prefix of the router that mixes `fc`: one per layer (layer-wise, shared by fc1 and fc2) or one per matrix (neuron-wise), as in the releases. */
export function routerPrefix(layer: string, fc: FfnMatrix, options: MosOptions): string {
  return options.granularity === "layer" ? `${layer}.router` : `${layer}.${fc}.router`;
}

function uniform(shape: number[], limit: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = (2 * rng.next() - 1) * limit;
  return tf.tensor(v, shape);
}

/** Adds one router MLP: Linear(f features -> hidden) -> ReLU -> Linear(hidden -> outputs). */
function addRouter(params: SupernetParams, prefix: string, f: number, outputs: number, neuronWise: boolean, options: MosOptions, rng: Rng): void {
  const h = options.routerHidden;
  const add = (name: string, t: tf.Tensor) => (params[`${prefix}.${name}`] = variableFrom(t, `${prefix}.${name}`));
  // torch.nn.Linear's default init: weight and bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
  add("w1", uniform([f, h], 1 / Math.sqrt(f), rng));
  add("b1", uniform([h], 1 / Math.sqrt(f), rng));
  if (options.routerInit === "uniform") {
    add("w2", tf.zeros([h, outputs]));
    add("b2", tf.zeros([outputs]));
  } else if (neuronWise) {
    // The releases' neuron-wise output layer is a LinearSuper: Xavier-uniform weight, zero bias.
    add("w2", uniform([h, outputs], Math.sqrt(6 / (h + outputs)), rng));
    add("b2", tf.zeros([outputs]));
  } else {
    add("w2", uniform([h, outputs], 1 / Math.sqrt(h), rng));
    add("b2", uniform([outputs], 1 / Math.sqrt(h), rng));
  }
}

/** Fresh MoS weights, deterministic in the seed of `rng`. */
export function initMosParams(config: SupernetConfig, options: MosOptions, rng: Rng): SupernetParams {
  const params = initSupernetParams(config, rng);
  const m = options.numExperts;
  const f = archFeatureNames(config.space).length;
  for (const layer of ffnLayers(config)) {
    for (const fc of ffnMatrices) {
      const w = params[`${layer}.${fc}.w`];
      const [inDim, outDim] = w.shape;
      params[expertName(layer, fc, 0, "w")] = w;
      params[expertName(layer, fc, 0, "b")] = params[`${layer}.${fc}.b`];
      delete params[`${layer}.${fc}.w`];
      delete params[`${layer}.${fc}.b`];
      for (let i = 1; i < m; i++) {
        params[expertName(layer, fc, i, "w")] = variableFrom(uniform([inDim, outDim], Math.sqrt(6 / (inDim + outDim)), rng), expertName(layer, fc, i, "w"));
        params[expertName(layer, fc, i, "b")] = variableFrom(tf.zeros([outDim]), expertName(layer, fc, i, "b"));
      }
    }
    if (options.granularity === "layer") {
      addRouter(params, routerPrefix(layer, "fc1", options), f, m, false, options, rng);
    } else {
      for (const fc of ffnMatrices) {
        // Neuron-major outputs, as in the releases: output j is neuron j / m, expert j % m.
        const outMax = params[expertName(layer, fc, 0, "b")].shape[0];
        addRouter(params, routerPrefix(layer, fc, options), f, m * outMax, true, options, rng);
      }
    }
  }
  return params;
}
