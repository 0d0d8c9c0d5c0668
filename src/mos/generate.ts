/**
 * Weight generation: a subnet's FFN matrices as router-weighted mixtures of expert matrices,
 * W(a) = sum_i alpha_i(a) E_i (layer-wise) or W(a)[:, j] = sum_i alpha_ij(a) E_i[:, j]
 * (neuron-wise), at max size; the forward pass then slices them like any shared weight.
 * Layer-wise mixing is one (1 x m) x (m x in*out) matmul, so generation costs m*in*out per
 * matrix: small beside the batch's own matmuls, which is why MoS adds almost no training time.
 */
import * as tf from "@tensorflow/tfjs";
import { archFeatures } from "../space/features";
import type { Arch, SearchSpace } from "../space/types";
import type { SupernetParams } from "../supernet/params";
import type { MosOptions } from "./config";
import { LayerRouting, routeLayer } from "./router";

/** The FFN layers an arch uses, e.g. ["enc.0", "enc.1", "dec.0"]. */
export function activeFfnLayers(arch: Arch): string[] {
  return [
    ...Array.from({ length: arch.encoder.numLayers }, (_, l) => `enc.${l}`),
    ...Array.from({ length: arch.decoder.numLayers }, (_, l) => `dec.${l}`),
  ];
}

/** Mixes a bank (m, in, out) with weights (m, 1) or (m, out) into one (in, out) matrix. */
export function mixExperts(experts: tf.Tensor, alpha: tf.Tensor): tf.Tensor2D {
  const [m, inDim, outDim] = experts.shape;
  if (alpha.shape[1] === 1) {
    return tf.reshape(tf.matMul(tf.reshape(alpha, [1, m]), tf.reshape(experts, [m, inDim * outDim])), [inDim, outDim]) as tf.Tensor2D;
  }
  return tf.sum(tf.mul(experts, tf.reshape(alpha, [m, 1, outDim])), 0) as tf.Tensor2D;
}

/** Routing of every layer the arch uses. */
export function routeArch(params: SupernetParams, space: SearchSpace, arch: Arch, options: MosOptions, nextSeed: (() => number) | null): Map<string, LayerRouting> {
  const features = tf.tensor1d(archFeatures(space, arch));
  const out = new Map<string, LayerRouting>();
  for (const layer of activeFfnLayers(arch)) out.set(layer, routeLayer(params, layer, features, options, nextSeed ? nextSeed() : null));
  return out;
}

/** Generated FFN weights "<layer>.fc1.w" / "<layer>.fc2.w" (max size) of an arch. */
export function generateFfnWeights(params: SupernetParams, space: SearchSpace, arch: Arch, options: MosOptions, nextSeed: (() => number) | null): Record<string, tf.Tensor2D> {
  const weights: Record<string, tf.Tensor2D> = {};
  for (const [layer, routing] of routeArch(params, space, arch, options, nextSeed)) {
    weights[`${layer}.fc1.w`] = mixExperts(params[`${layer}.fc1.experts`], routing.fc1);
    weights[`${layer}.fc2.w`] = mixExperts(params[`${layer}.fc2.experts`], routing.fc2);
  }
  return weights;
}
