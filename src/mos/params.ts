/**
 * The weights of a Mixture-of-Supernets: the plain supernet's weights except each FFN matrix
 * (fc1, fc2 of every encoder and decoder layer), which becomes a bank of m max-size experts
 * "<layer>.fc1.experts" [m, in, out], plus one router per FFN layer. Expert 0 is the plain
 * supernet's own draw (so m = 1 is exactly the plain supernet) and every other expert an
 * independent Xavier draw. Independent experts matter: with near-equal experts and a uniform
 * router, Adam moves every expert by the same step and the mixture trains like a single weight,
 * while the router's gradient <dL/dW, E_i> cannot tell the experts apart.
 */
import * as tf from "@tensorflow/tfjs";
import type { SupernetConfig } from "../supernet/config";
import { SupernetParams, initSupernetParams, variableFrom } from "../supernet/params";
import { featureNames } from "../space/features";
import { Rng } from "../util/rng";
import type { MosOptions } from "./config";

/** Names of the FFN layers that get experts, e.g. "enc.0", "dec.2". */
export function ffnLayers(config: SupernetConfig): string[] {
  const enc = Array.from({ length: Math.max(...config.space.encoder.numLayers) }, (_, l) => `enc.${l}`);
  const dec = Array.from({ length: Math.max(...config.space.decoder.numLayers) }, (_, l) => `dec.${l}`);
  return [...enc, ...dec];
}

/** Router output width of one layer: m (layer-wise) or m x (fc1 out + fc2 out) (neuron-wise). */
export function routerOutputs(options: MosOptions, fc1Out: number, fc2Out: number): number {
  return options.granularity === "layer" ? options.numExperts : options.numExperts * (fc1Out + fc2Out);
}

function uniform(shape: number[], limit: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = (2 * rng.next() - 1) * limit;
  return tf.tensor(v, shape);
}

/** Fresh MoS weights, deterministic in the seed of `rng`. */
export function initMosParams(config: SupernetConfig, options: MosOptions, rng: Rng): SupernetParams {
  const base = initSupernetParams(config, rng);
  const m = options.numExperts;
  for (const layer of ffnLayers(config)) {
    for (const fc of ["fc1", "fc2"]) {
      const w = base[`${layer}.${fc}.w`];
      const [inDim, outDim] = w.shape;
      const limit = Math.sqrt(6 / (inDim + outDim));
      const experts = tf.tidy(() => tf.stack([w, ...Array.from({ length: m - 1 }, () => uniform([inDim, outDim], limit, rng))]));
      base[`${layer}.${fc}.experts`] = variableFrom(experts, `${layer}.${fc}.experts`);
      w.dispose();
      delete base[`${layer}.${fc}.w`];
    }
    const fc1Out = base[`${layer}.fc1.b`].shape[0];
    const fc2Out = base[`${layer}.fc2.b`].shape[0];
    const h = options.routerHidden;
    const out = routerOutputs(options, fc1Out, fc2Out);
    const f = featureNames.length;
    const add = (name: string, t: tf.Tensor) => (base[name] = variableFrom(t, name));
    add(`${layer}.router.w1`, uniform([f, h], Math.sqrt(6 / (f + h)), rng));
    add(`${layer}.router.b1`, tf.zeros([h]));
    // Zero output weights: every arch starts with uniform expert weights.
    add(`${layer}.router.w2`, tf.zeros([h, out]));
    add(`${layer}.router.b2`, tf.zeros([out]));
  }
  return base;
}
