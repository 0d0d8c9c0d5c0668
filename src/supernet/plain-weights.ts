/**
 * "The plain weights of arch a", checked, for any weight-sharing model: the one door through
 * which extraction, latency, decoding, gradient probes and search fitness reach a model's
 * weights. A model that cannot serve an operation (it has no such view, or its view lacks a
 * weight the arch's forward pass reads) gives an error naming the model kind and the operation,
 * never a tensor-level crash deep inside the forward pass.
 */
import type { Arch } from "../space/types";
import { validateArch } from "../space/validate-arch";
import { Rng } from "../util/rng";
import type { SupernetConfig } from "./config";
import type { Weights } from "./params";
import { archWeightShapes } from "./params";
import type { WeightSharingModel } from "./supernet";
import { releaseWeights } from "./supernet";

/** Names and exact shapes of the plain weights `arch` reads (each a leading block of the model's weight of that name). */
export function subnetShapes(config: SupernetConfig, arch: Arch): Record<string, number[]> {
  return archWeightShapes(config.vocabSize, config.space, arch);
}

/** `model.weightsFor(arch, rng)` after checking the model can serve `operation` for `arch`; free with `releaseWeights`. */
export function plainWeights(model: WeightSharingModel, arch: Arch, operation: string, rng: Rng | null = null): Weights {
  const kind = typeof model?.kind === "string" ? model.kind : "unknown";
  if (typeof model?.weightsFor !== "function") {
    throw new Error(`${operation} cannot serve a "${kind}" model: it has no plain-weight view (weightsFor)`);
  }
  validateArch(model.config.space, arch);
  const view = model.weightsFor(arch, rng);
  for (const [name, shape] of Object.entries(subnetShapes(model.config, arch))) {
    const w = view[name];
    const fits = w !== undefined && w.rank === shape.length && shape.every((d, i) => d <= w.shape[i]);
    if (!fits) {
      releaseWeights(model, view);
      const got = w === undefined ? "it has none" : `it has shape [${w.shape}]`;
      throw new Error(`${operation} cannot serve a "${kind}" model: the arch needs plain weight "${name}" of at least [${shape}], ${got}`);
    }
  }
  return view;
}
