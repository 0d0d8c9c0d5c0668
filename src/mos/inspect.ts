/**
 * Router inspection: what the architecture routers do. Expert weights per layer across archs
 * (tidy rows), the entropy of neuron-wise routing per layer, and how similar the generated
 * weights of two archs are (cosine over the block both use).
 */
import * as tf from "@tensorflow/tfjs";
import { archKey } from "../space/arch-key";
import type { Arch } from "../space/types";
import { activeFfnLayers, generateFfnWeights, routeArch } from "./generate";
import type { MosSupernet } from "./mos-supernet";
import { FfnMatrix, ffnMatrices } from "./params";

/** One expert weight: for neuron-wise routing, the mean over the arch's active output neurons. */
export interface RoutingRow {
  readonly arch: string;
  readonly layer: string;
  readonly fc: FfnMatrix;
  readonly expert: number;
  readonly weight: number;
}

/** Each layer's expert weights for an arch, as host arrays (rows: neurons, or one row layer-wise). */
async function routingValues(model: MosSupernet, arch: Arch): Promise<{ layer: string; fc: FfnMatrix; alpha: number[][] }[]> {
  const keys: { layer: string; fc: FfnMatrix }[] = [];
  const alphas = tf.tidy(() =>
    [...routeArch(model.params, model.config.space, arch, model.options, null)].flatMap(([layer, r]) =>
      ffnMatrices.map((fc) => {
        keys.push({ layer, fc });
        return r[fc];
      }),
    ),
  );
  try {
    const values = await Promise.all(alphas.map((a) => a.array()));
    return keys.map((k, i) => ({ ...k, alpha: values[i] }));
  } finally {
    tf.dispose(alphas);
  }
}

/** Expert weights of every layer for each arch (mean over active neurons for neuron-wise routing). */
export async function routingTable(model: MosSupernet, archs: readonly Arch[]): Promise<RoutingRow[]> {
  const rows: RoutingRow[] = [];
  for (const arch of archs) {
    for (const { layer, fc, alpha } of await routingValues(model, arch)) {
      rows.push(...alpha[0].map((_, expert) => ({ arch: archKey(arch), layer, fc, expert, weight: alpha.reduce((s, row) => s + row[expert], 0) / alpha.length })));
    }
  }
  return rows;
}

/** Mean entropy (nats) of the per-neuron expert distributions of each layer; log(m) is uniform. */
export async function neuronRoutingEntropy(model: MosSupernet, arch: Arch): Promise<{ layer: string; fc: FfnMatrix; entropy: number; maxEntropy: number }[]> {
  return (await routingValues(model, arch)).map(({ layer, fc, alpha }) => ({
    layer,
    fc,
    entropy: alpha.reduce((s, row) => s - row.reduce((h, p) => h + p * Math.log(p + 1e-12), 0), 0) / alpha.length,
    maxEntropy: Math.log(model.options.numExperts),
  }));
}

/** Cosine similarity of two archs' generated FFN weights, per shared layer, over the block both use. */
export async function generatedWeightSimilarity(model: MosSupernet, a: Arch, b: Arch): Promise<{ layer: string; fc: FfnMatrix; cosine: number }[]> {
  const inB = new Set(activeFfnLayers(b).map((l) => l.layer));
  const shared = activeFfnLayers(a).filter((l) => inB.has(l.layer));
  const keys = shared.flatMap(({ layer }) => ffnMatrices.map((fc) => ({ layer, fc })));
  // Every cosine stacked into one tensor, so the host reads them all at once.
  const cosines = tf.tidy(() => {
    const wa = generateFfnWeights(model.params, model.config.space, a, model.options, null);
    const wb = generateFfnWeights(model.params, model.config.space, b, model.options, null);
    const values = keys.map(({ layer, fc }) => {
      const x0 = wa[`${layer}.${fc}.w`];
      const y0 = wb[`${layer}.${fc}.w`];
      const block = x0.shape.map((d, i) => Math.min(d, y0.shape[i]));
      const x = tf.slice(x0, [0, 0], block);
      const y = tf.slice(y0, [0, 0], block);
      return tf.div(tf.sum(tf.mul(x, y)), tf.mul(tf.norm(x), tf.norm(y)));
    });
    return values.length ? tf.stack(values) : tf.zeros([0]);
  });
  try {
    const values = await cosines.data();
    return keys.map((k, i) => ({ ...k, cosine: values[i] }));
  } finally {
    cosines.dispose();
  }
}
