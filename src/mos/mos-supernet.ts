/**
 * A Mixture-of-Supernets model (Jawahar et al., 2023): the HAT SuperTransformer's forward pass
 * over a weight view in which each FFN matrix is generated for the arch by its router. It has
 * the same interface as the plain supernet, so the same trainer, checkpoints and evaluation
 * apply; sandwich sampling is the paper's training rule.
 */
import * as tf from "@tensorflow/tfjs";
import type { SupernetConfig } from "../supernet/config";
import { validateSupernetConfig } from "../supernet/config";
import { supernetLogits } from "../supernet/forward";
import type { SupernetParams } from "../supernet/params";
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

/** The weights an arch runs with: shared weights plus its generated FFN matrices. */
export function mosWeightView(params: SupernetParams, config: SupernetConfig, options: MosOptions, arch: Arch, rng: Rng | null): SupernetParams {
  const generated = generateFfnWeights(params, config.space, arch, options, rng ? () => rng.nextUint32() : null);
  return { ...params, ...(generated as unknown as SupernetParams) };
}

/** A MoS supernet over existing weights. */
export function wrapMos(config: SupernetConfig, options: MosOptions, params: SupernetParams): MosSupernet {
  return {
    kind: "mos",
    config,
    options,
    params,
    weightsFor: (arch) => tf.tidy(() => mosWeightView(params, config, options, arch, null) as unknown as tf.NamedTensorMap) as unknown as SupernetParams,
    logits: (arch, batch, rng, trace) => supernetLogits(mosWeightView(params, config, options, arch, rng), config, arch, batch, rng, trace),
  };
}

/** A new MoS supernet; with numExperts = 1 its weights and outputs equal `createSupernet(config, seed)`'s. */
export function createMos(config: SupernetConfig, options: Partial<MosOptions>, seed: number): MosSupernet {
  validateSupernetConfig(config);
  const o = makeMosOptions(options);
  return wrapMos(config, o, initMosParams(config, o, new Rng(seed)));
}

/** Parameters the MoS supernet holds beyond a plain supernet of the same space (experts + routers). */
export function mosExtraParams(model: MosSupernet, plainParams: number): number {
  return Object.values(model.params).reduce((n, v) => n + v.size, 0) - plainParams;
}

/** Disposes tensors of a weight view that are not shared weights. */
export function disposeGenerated(view: SupernetParams, params: SupernetParams): void {
  for (const [name, t] of Object.entries(view)) if (params[name] !== t) (t as tf.Tensor).dispose();
}
