/**
 * A SuperTransformer: its config and shared weights, with the loss and logits of any arch.
 * This is the object trainers, evaluators and probes take; Mixture-of-Supernets provides the
 * same shape with generated FFN weights.
 */
import * as tf from "@tensorflow/tfjs";
import type { Arch } from "../space/types";
import { validateArch } from "../space/validate-arch";
import { Rng } from "../util/rng";
import type { SupernetConfig } from "./config";
import { validateSupernetConfig } from "./config";
import { BatchTensors, supernetLogits } from "./forward";
import { labelSmoothedLoss } from "./loss";
import { SupernetParams, initSupernetParams } from "./params";

/** What trainers and evaluators need of a weight-sharing model. */
export interface WeightSharingModel {
  readonly kind: string;
  readonly config: SupernetConfig;
  readonly params: SupernetParams;
  /** Options of a model variant, saved with checkpoints and compared on load (absent for HAT). */
  readonly options?: unknown;
  /** The weights `arch` runs with in evaluation mode (for MoS, with its generated FFN matrices); dispose with `releaseWeights`. */
  weightsFor(arch: Arch): SupernetParams;
  /** Logits (B, T, V) of an arch; an Rng turns dropout on; a trace map collects operator inputs/outputs. */
  logits(arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>): tf.Tensor3D;
}

/** A plain (HAT) SuperTransformer. */
export interface Supernet extends WeightSharingModel {
  readonly kind: "supernet";
}

/** A new SuperTransformer with weights initialised from `seed`. */
export function createSupernet(config: SupernetConfig, seed: number): Supernet {
  validateSupernetConfig(config);
  return wrapSupernet(config, initSupernetParams(config, new Rng(seed)));
}

/** A SuperTransformer over existing weights (e.g. loaded from a checkpoint). */
export function wrapSupernet(config: SupernetConfig, params: SupernetParams): Supernet {
  return {
    kind: "supernet",
    config,
    params,
    weightsFor: () => params,
    logits: (arch, batch, rng, trace) => supernetLogits(params, config, arch, batch, rng, trace),
  };
}

/** Disposes the tensors of a `weightsFor` view that are not the model's own weights. */
export function releaseWeights(model: WeightSharingModel, view: SupernetParams): void {
  for (const [name, t] of Object.entries(view)) if (model.params[name] !== t) t.dispose();
}

/** Label-smoothed training loss of one arch (validated against the space first); a trace map collects operator inputs/outputs. */
export function archLoss(model: WeightSharingModel, arch: Arch, batch: BatchTensors, rng: Rng | null, labelSmoothing: number, trace?: Map<string, tf.Tensor>): tf.Scalar {
  validateArch(model.config.space, arch);
  return labelSmoothedLoss(model.logits(arch, batch, rng, trace), batch.tgtOut, batch.tgtMask, labelSmoothing);
}
