/**
 * Router inspection: what the architecture routers do. Expert weights per layer across archs
 * (tidy rows), the entropy of neuron-wise routing per layer, and how similar the generated
 * weights of two archs are (cosine over the block both use).
 */
import * as tf from "@tensorflow/tfjs";
import { archKey } from "../space/arch-key";
import type { Arch } from "../space/types";
import { tidy } from "../util/tidy";
import { activeFfnLayers, generateFfnWeights, routeArch } from "./generate";
import type { MosSupernet } from "./mos-supernet";

/** One expert weight: for neuron-wise routing, the mean over the arch's active output neurons. */
export interface RoutingRow {
  readonly arch: string;
  readonly layer: string;
  readonly fc: "fc1" | "fc2";
  readonly expert: number;
  readonly weight: number;
}

/** Output width an arch uses for fc1/fc2 of a layer. */
function activeOut(arch: Arch, layer: string, fc: "fc1" | "fc2"): number {
  const [part, index] = layer.split(".");
  const l = Number(index);
  const a = part === "enc" ? arch.encoder : arch.decoder;
  return fc === "fc1" ? a.ffnDim[l] : a.embedDim;
}

/** Expert weights of every layer for each arch (mean over active neurons for neuron-wise routing). */
export function routingTable(model: MosSupernet, archs: readonly Arch[]): RoutingRow[] {
  const rows: RoutingRow[] = [];
  for (const arch of archs) {
    const values = tidy(() => {
      const out: { layer: string; fc: "fc1" | "fc2"; alpha: number[][] }[] = [];
      for (const [layer, r] of routeArch(model.params, model.config.space, arch, model.options, null)) {
        for (const fc of ["fc1", "fc2"] as const) {
          const t = r[fc];
          const used = t.shape[1] === 1 ? t : tf.slice(t, [0, 0], [t.shape[0], activeOut(arch, layer, fc)]);
          out.push({ layer, fc, alpha: used.arraySync() as number[][] });
        }
      }
      return out;
    });
    for (const { layer, fc, alpha } of values) {
      alpha.forEach((perNeuron, expert) => rows.push({ arch: archKey(arch), layer, fc, expert, weight: perNeuron.reduce((a, b) => a + b, 0) / perNeuron.length }));
    }
  }
  return rows;
}

/** Mean entropy (nats) of the per-neuron expert distributions of each layer; log(m) is uniform. */
export function neuronRoutingEntropy(model: MosSupernet, arch: Arch): { layer: string; fc: "fc1" | "fc2"; entropy: number; maxEntropy: number }[] {
  const out: { layer: string; fc: "fc1" | "fc2"; entropy: number; maxEntropy: number }[] = [];
  tf.tidy(() => {
    for (const [layer, r] of routeArch(model.params, model.config.space, arch, model.options, null)) {
      for (const fc of ["fc1", "fc2"] as const) {
        const t = r[fc];
        const used = t.shape[1] === 1 ? t : tf.slice(t, [0, 0], [t.shape[0], activeOut(arch, layer, fc)]);
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(used, tf.log(tf.add(used, 1e-12))), 0))).dataSync()[0];
        out.push({ layer, fc, entropy, maxEntropy: Math.log(model.options.numExperts) });
      }
    }
  });
  return out;
}

/** Cosine similarity of two archs' generated FFN weights, per shared layer, over the block both use. */
export function generatedWeightSimilarity(model: MosSupernet, a: Arch, b: Arch): { layer: string; fc: "fc1" | "fc2"; cosine: number }[] {
  const shared = activeFfnLayers(a).filter((l) => activeFfnLayers(b).includes(l));
  return tf.tidy(() => {
    const wa = generateFfnWeights(model.params, model.config.space, a, model.options, null);
    const wb = generateFfnWeights(model.params, model.config.space, b, model.options, null);
    const rows: { layer: string; fc: "fc1" | "fc2"; cosine: number }[] = [];
    for (const layer of shared) {
      const inDim = (arch: Arch) => (layer.startsWith("enc") ? arch.encoder.embedDim : arch.decoder.embedDim);
      for (const fc of ["fc1", "fc2"] as const) {
        const rowsUsed = fc === "fc1" ? Math.min(inDim(a), inDim(b)) : Math.min(activeOut(a, layer, "fc1"), activeOut(b, layer, "fc1"));
        const colsUsed = fc === "fc1" ? Math.min(activeOut(a, layer, "fc1"), activeOut(b, layer, "fc1")) : Math.min(inDim(a), inDim(b));
        const x = tf.slice(wa[`${layer}.${fc}.w`], [0, 0], [rowsUsed, colsUsed]);
        const y = tf.slice(wb[`${layer}.${fc}.w`], [0, 0], [rowsUsed, colsUsed]);
        const cos = tf.div(tf.sum(tf.mul(x, y)), tf.mul(tf.norm(x), tf.norm(y))).dataSync()[0];
        rows.push({ layer, fc, cosine: cos });
      }
    }
    return rows;
  }) as unknown as { layer: string; fc: "fc1" | "fc2"; cosine: number }[];
}
