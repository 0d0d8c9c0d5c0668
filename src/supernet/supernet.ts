/**
 * A SuperTransformer: its config and shared weights, with the loss and logits of any arch.
 * This is the object trainers, evaluators and probes take. Every weight-sharing model (HAT's
 * plain supernet, a Mixture-of-Supernets, …) answers one question the same way: "the plain
 * weights of arch a" (`weightsFor`). Extraction, latency, decoding, gradient probes and search
 * fitness all go through it (see `plainWeights`), so none of them knows how a model stores them.
 */
import * as tf from "@tensorflow/tfjs";
import { addMany } from "../ops/add-many";
import type { Arch } from "../space/types";
import { validateArch } from "../space/validate-arch";
import { Rng } from "../util/rng";
import type { SupernetConfig } from "./config";
import { validateSupernetConfig } from "./config";
import { BatchTensors, supernetLogits } from "./forward";
import { labelSmoothedLoss } from "./loss";
import type { MoeLayerRecord } from "./layers";
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
  /**
   * Logits (B, T, V) of an arch run on given plain weights; an Rng turns dropout on; a trace map
   * collects operator inputs/outputs, a records list what mixture-of-experts layers report.
   */
  forward(weights: Weights, arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>, moeRecords?: MoeLayerRecord[]): tf.Tensor3D;
  /** Logits (B, T, V) of an arch: `forward(weightsFor(arch, rng), …)`. */
  logits(arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>, moeRecords?: MoeLayerRecord[]): tf.Tensor3D;
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
  const forward = (weights: Weights, arch: Arch, batch: BatchTensors, rng: Rng | null, trace?: Map<string, tf.Tensor>, moeRecords?: MoeLayerRecord[]) =>
    supernetLogits(weights, config, arch, batch, rng, trace, moeRecords);
  return {
    kind: "supernet",
    config,
    params,
    weightsFor: () => params,
    forward,
    logits: (arch, batch, rng, trace, moeRecords) => forward(params, arch, batch, rng, trace, moeRecords),
  };
}

/** Disposes the tensors of a `weightsFor` view that are not the model's own weights. */
export function releaseWeights(model: WeightSharingModel, view: Weights): void {
  for (const [name, t] of Object.entries(view)) if (model.params[name] !== t) t.dispose();
}

/**
 * Training loss of one arch (validated against the space first): label-smoothed NLL plus, for an
 * arch with mixture-of-experts layers, `moe.balanceLossCoef` times their mean balance loss. A
 * trace map collects operator inputs/outputs; a records list receives the MoE layers' reports.
 */
export function archLoss(model: WeightSharingModel, arch: Arch, batch: BatchTensors, rng: Rng | null, labelSmoothing: number, trace?: Map<string, tf.Tensor>, moeRecords: MoeLayerRecord[] = []): tf.Scalar {
  validateArch(model.config.space, arch);
  const nll = labelSmoothedLoss(model.logits(arch, batch, rng, trace, moeRecords), batch.tgtOut, batch.tgtMask, labelSmoothing);
  const routed = moeRecords.filter((r) => r.experts > 1);
  const coef = model.config.moe?.balanceLossCoef ?? 0;
  if (coef === 0 || routed.length === 0) return nll;
  return tf.add(nll, tf.mul(addMany(routed.map((r) => r.balanceLoss)), coef / routed.length)) as tf.Scalar;
}
