/**
 * Collapse: materialise one arch's generated weights as a plain standalone subnet. After
 * training, a MoS subnet is deployed as an ordinary Transformer of exactly its arch's sizes:
 * no experts, no router, zero inference overhead.
 */
import * as tf from "@tensorflow/tfjs";
import type { Arch } from "../space/types";
import { extractSubnet } from "../supernet/extract";
import { Supernet, wrapSupernet } from "../supernet/supernet";
import { disposeGenerated, MosSupernet, mosWeightView } from "./mos-supernet";

/** A standalone subnet whose logits equal the MoS supernet's for `arch`. */
export function collapse(model: MosSupernet, arch: Arch): Supernet {
  const view = tf.tidy(() => {
    const v = mosWeightView(model.params, model.config, model.options, arch, null);
    // Keep only the generated tensors; the shared weights are variables and survive the scope.
    return Object.fromEntries(Object.entries(v).filter(([name]) => !(name in model.params) || model.params[name] !== v[name]));
  }) as Record<string, tf.Tensor>;
  const full = { ...model.params, ...view } as Supernet["params"];
  try {
    return extractSubnet(wrapSupernet(model.config, full), arch);
  } finally {
    disposeGenerated(full, model.params);
  }
}
