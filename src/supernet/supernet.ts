/**
 * A SuperTransformer: its config and shared weights, with the loss and logits of any arch.
 * This is the object trainers, evaluators and probes take. Every weight-sharing model (HAT's
 * plain supernet, a Mixture-of-Supernets, …) answers one question the same way: "the plain
 * weights of arch a" (`weightsFor`). Extraction, latency, decoding, gradient probes and search
 * fitness all go through it (see `plainWeights`), so none of them knows how a model stores them.
 */
import * as tf from "@tensorflow/tfjs";
import type { Arch } from "../space/types";
import { validateArch } from "../space/validate-arch";
import { Rng } from "../util/rng";
import type { SupernetConfig } from "./config";
import { validateSupernetConfig } from "./config";
import { BatchTensors, supernetLogits } from "./forward";
import { labelSmoothedLoss } from "./loss";
import { SupernetParams, Weights, initSupernetParams } from "./params";

/** What trainers and evaluators need of a weight-sharing model. */
export interface WeightSharingModel {
  /** The model family, named in errors ("supernet", "mos", …) and saved with checkpoints. */
  readonly kind: string;
  readonly config: SupernetConfig;
  /** The stored, trainable weights (what the optimizer updates and a checkpoint holds). */
  readonly params: SupernetParams;
  /** Options of a model variant, saved with checkpoints and compared on load (absent for HAT). */
  readonly options?: unknown;
  /**
   * The plain weights `arch` runs with, at the supernet's max sizes, under the plain weight
   * names ("enc.0.fc1.w", …): for HAT its shared weights, for MoS the FFN weights its routers
   * generate. An Rng means training mode (e.g. router dropout). Called inside a gradient scope,
   * gradients flow back to `params`. Free with `releaseWeights`.
   */
  weightsFor(arch: Arch, rng?: Rng | null): Weights;
  /** Logits (B, T, V) of an arch run on given plain weights; an Rng turns dropout on; a trace map collects operator inputs/outputs. */
  forward(weights: Weights, arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>): tf.Tensor3D;
  /** Logits (B, T, V) of an arch: `forward(weightsFor(arch, rng), …)`. */
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
  const forward = (weights: Weights, arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>) => supernetLogits(weights, config, arch, batch, rng, trace);
  return {
    kind: "supernet",
    config,
    params,
    weightsFor: () => params,
    forward,
    logits: (arch, batch, rng, trace) => forward(params, arch, batch, rng, trace),
  };
}

/** Disposes the tensors of a `weightsFor` view that are not the model's own weights. */
export function releaseWeights(model: WeightSharingModel, view: Weights): void {
  for (const [name, t] of Object.entries(view)) if (model.params[name] !== t) t.dispose();
}

/** Label-smoothed training loss of one arch (validated against the space first); a trace map collects operator inputs/outputs. */
export function archLoss(model: WeightSharingModel, arch: Arch, batch: BatchTensors, rng: Rng | null, labelSmoothing: number, trace?: Map<string, tf.Tensor>): tf.Scalar {
  validateArch(model.config.space, arch);
  return labelSmoothedLoss(model.logits(arch, batch, rng, trace), batch.tgtOut, batch.tgtMask, labelSmoothing);
}
