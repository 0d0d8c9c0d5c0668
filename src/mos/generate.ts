/**
 * Weight generation: a subnet's FFN weights and biases as router-weighted mixtures of its
 * experts, W(a) = sum_i alpha_i(a) E_i[:in, :out] (layer-wise) or W(a)[:, j] = sum_i
 * alpha_ij(a) E_i[:in, j] (neuron-wise). As in the authors' MT code, each expert is first cut
 * to the arch's sizes and the cuts are mixed, so generation costs m x in x out for the arch's
 * own sizes: small beside the batch's matmuls, which is why MoS adds almost no training time.
 */
import * as tf from "@tensorflow/tfjs";
import { mixExperts, sliceBlock, sliceVector } from "../ops/index";
import { encoderLayerWidth } from "../space/schema";
import type { Arch, ArchPart, SearchSpace } from "../space/types";
import type { Weights } from "../supernet/params";
import type { MosOptions } from "./config";
import { FfnMatrix, expertName, ffnMatrices } from "./params";
import { LayerRouting, routeLayer, routerFeatures } from "./router";

/** An FFN layer an arch uses, with its widths: fc1 is (embedDim -> ffnDim), fc2 (ffnDim -> embedDim). */
export interface ActiveFfnLayer {
  readonly layer: string;
  /** The width the FFN reads and writes: the part's embedDim, or a SuperShaper layer's layerHiddenDim. */
  readonly embedDim: number;
  readonly ffnDim: number;
}

/** The FFN layers an arch uses, e.g. enc.0, enc.1, dec.0, with their widths. */
export function activeFfnLayers(arch: Arch): ActiveFfnLayer[] {
  const part = (prefix: string, p: ArchPart | undefined, width: (l: number) => number) => (p ? p.ffnDim.slice(0, p.numLayers).map((ffnDim, l) => ({ layer: `${prefix}.${l}`, embedDim: width(l), ffnDim })) : []);
  return [...part("enc", arch.encoder, (l) => encoderLayerWidth(arch, l)), ...part("dec", arch.decoder, () => arch.decoder?.embedDim ?? 0)];
}

/** (rows, cols) of fc1/fc2 in a layer of these widths. */
export function matrixShape(l: ActiveFfnLayer, fc: FfnMatrix): [number, number] {
  return fc === "fc1" ? [l.embedDim, l.ffnDim] : [l.ffnDim, l.embedDim];
}

/** Routing of every FFN layer the arch uses. */
export function routeArch(params: Weights, space: SearchSpace, arch: Arch, options: MosOptions, nextSeed: (() => number) | null): Map<string, LayerRouting> {
  const features = tf.tensor1d(routerFeatures(space, arch, options));
  const out = new Map<string, LayerRouting>();
  for (const l of activeFfnLayers(arch)) out.set(l.layer, routeLayer(params, l.layer, features, { fc1: l.ffnDim, fc2: l.embedDim }, options, nextSeed));
  return out;
}

/** Generated plain weights "<layer>.fc1.w", ".fc1.b", ".fc2.w", ".fc2.b" of an arch, at the arch's sizes. */
export function generateFfnWeights(params: Weights, space: SearchSpace, arch: Arch, options: MosOptions, nextSeed: (() => number) | null): Record<string, tf.Tensor> {
  const routing = routeArch(params, space, arch, options, nextSeed);
  const weights: Record<string, tf.Tensor> = {};
  for (const l of activeFfnLayers(arch)) {
    for (const fc of ffnMatrices) {
      const [rows, cols] = matrixShape(l, fc);
      const experts = Array.from({ length: options.numExperts }, (_, i) => i);
      const alpha = (routing.get(l.layer) as LayerRouting)[fc];
      weights[`${l.layer}.${fc}.w`] = mixExperts(experts.map((i) => sliceBlock(params[expertName(l.layer, fc, i, "w")], rows, cols)), alpha);
      weights[`${l.layer}.${fc}.b`] = mixExperts(experts.map((i) => sliceVector(params[expertName(l.layer, fc, i, "b")], cols)), alpha);
    }
  }
  return weights;
}
