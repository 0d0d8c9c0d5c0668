/**
 * A Mixture-of-Supernets model (Jawahar et al., 2023): the HAT SuperTransformer's forward pass
 * over plain weights in which each FFN matrix is generated for the arch by its router. It is a
 * `WeightSharingModel` like the plain supernet, so the same trainer, checkpoints, evaluation,
 * extraction (= collapse), latency, probes and search apply; how the experts are stored stays
 * in this folder.
 */
import * as tf from "@tensorflow/tfjs";
import type { SupernetConfig } from "../supernet/config";
import { validateSupernetConfig } from "../supernet/config";
import { supernetLogits } from "../supernet/forward";
import type { SupernetParams, Weights } from "../supernet/params";
import type { WeightSharingModel } from "../supernet/supernet";
import type { Arch } from "../space/types";
import { Rng } from "../util/rng";
import { MosOptions, makeMosOptions } from "./config";
import { generateFfnWeights } from "./generate";
import { initMosParams } from "./params";

/** A Mixture-of-Supernets. */
export interface MosSupernet extends WeightSharingModel {
  readonly kind: "mos";
  readonly options: MosOptions;
}

/** The plain weights an arch runs with: the shared weights plus its generated FFN weights and biases (max size). */
function mosWeights(params: SupernetParams, config: SupernetConfig, options: MosOptions, arch: Arch, rng: Rng | null): Weights {
  // Only the generated tensors leave the scope; routings and expert cuts are freed (or kept by the gradient tape).
  const generated = tf.tidy(() => generateFfnWeights(params, config.space, arch, options, rng ? () => rng.nextUint32() : null));
  return { ...params, ...generated };
}

/** A MoS supernet over existing weights (e.g. loaded from a checkpoint). */
export function wrapMos(config: SupernetConfig, options: MosOptions, params: SupernetParams): MosSupernet {
  const forward: WeightSharingModel["forward"] = (weights, arch, batch, rng, trace, moeRecords) => supernetLogits(weights, config, arch, batch, rng, trace, moeRecords);
  return {
    kind: "mos",
    config,
    options,
    params,
    weightsFor: (arch, rng = null) => mosWeights(params, config, options, arch, rng),
    forward,
    logits: (arch, batch, rng, trace, moeRecords) => forward(mosWeights(params, config, options, arch, rng), arch, batch, rng, trace, moeRecords),
  };
}

/** A new MoS supernet; with numExperts = 1 its outputs equal `createSupernet(config, seed)`'s. */
export function createMos(config: SupernetConfig, options: Partial<MosOptions>, seed: number): MosSupernet {
  validateSupernetConfig(config);
  const o = makeMosOptions(options);
  return wrapMos(config, o, initMosParams(config, o, new Rng(seed)));
}

/** Parameters the MoS supernet holds beyond a plain supernet of the same space (experts + routers). */
export function mosExtraParams(model: MosSupernet, plainParams: number): number {
  return Object.values(model.params).reduce((n, v) => n + v.size, 0) - plainParams;
}
