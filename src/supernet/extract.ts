/**
 * Subnet extraction ("model surgery"): the weights one arch uses, copied out of the shared
 * weights into tensors of exactly that arch's sizes. The result is an ordinary model over a
 * one-arch space, run by the same forward pass, so it can be evaluated, checkpointed, or trained
 * from scratch by the same trainer (the standalone side of the inherited-vs-standalone gap).
 */
import * as tf from "@tensorflow/tfjs";
import type { Arch, SearchSpace } from "../space/types";
import { defineSpace } from "../space/validate-space";
import { validateArch } from "../space/validate-arch";
import { SupernetConfig, makeSupernetConfig } from "./config";
import { SupernetParams, archWeightShapes, variableFrom } from "./params";
import { Supernet, WeightSharingModel, createSupernet, wrapSupernet } from "./supernet";

const uniqueSorted = (xs: readonly number[]) => Array.from(new Set(xs)).sort((a, b) => a - b);

/** The space that contains exactly `arch` (its max sizes are the arch's own). */
export function singletonSpace(arch: Arch, qkvDim: number, name = "standalone"): SearchSpace {
  return defineSpace({
    name,
    encoder: { embedDim: [arch.encoder.embedDim], numLayers: [arch.encoder.numLayers], ffnDim: uniqueSorted(arch.encoder.ffnDim), numHeads: uniqueSorted(arch.encoder.numHeads) },
    decoder: {
      embedDim: [arch.decoder.embedDim],
      numLayers: [arch.decoder.numLayers],
      ffnDim: uniqueSorted(arch.decoder.ffnDim),
      selfHeads: uniqueSorted(arch.decoder.selfHeads),
      crossHeads: uniqueSorted(arch.decoder.crossHeads),
      crossLayers: uniqueSorted(arch.decoder.crossLayers),
    },
    qkvDim,
  });
}

/** Exact shapes of every weight `arch` uses, by name (each a leading block of the shared weight of that name). */
export function subnetShapes(config: SupernetConfig, arch: Arch): Record<string, number[]> {
  return archWeightShapes(config.vocabSize, config.space.qkvDim, arch);
}

/** A standalone copy of `arch`'s weights; its logits equal the supernet's for that arch. */
export function extractSubnet(model: WeightSharingModel, arch: Arch): Supernet {
  validateArch(model.config.space, arch);
  const params: SupernetParams = {};
  for (const [name, shape] of Object.entries(subnetShapes(model.config, arch))) {
    const w = model.params[name];
    params[name] = variableFrom(tf.slice(w, shape.map(() => 0), shape), name);
  }
  const config = makeSupernetConfig(singletonSpace(arch, model.config.space.qkvDim), model.config.vocabSize, {
    dropout: model.config.dropout,
    attentionDropout: model.config.attentionDropout,
    activationDropout: model.config.activationDropout,
  });
  return wrapSupernet(config, params);
}

/** A freshly initialised standalone model of `arch`, to train from scratch. */
export function createStandalone(parent: SupernetConfig, arch: Arch, seed: number): Supernet {
  validateArch(parent.space, arch);
  return createSupernet(
    makeSupernetConfig(singletonSpace(arch, parent.space.qkvDim), parent.vocabSize, {
      dropout: parent.dropout,
      attentionDropout: parent.attentionDropout,
      activationDropout: parent.activationDropout,
    }),
    seed,
  );
}
