/**
 * Subnet extraction ("model surgery"): the plain weights one arch uses, copied out of any
 * weight-sharing model into tensors of exactly that arch's sizes. The result is an ordinary
 * model over a one-arch space, run by the same forward pass, so it can be evaluated,
 * checkpointed, timed, or trained from scratch by the same trainer (the standalone side of the
 * inherited-vs-standalone gap). For a Mixture-of-Supernets this is its `collapse`.
 */
import * as tf from "@tensorflow/tfjs";
import type { Arch, SearchSpace } from "../space/types";
import { schema } from "../space/schema";
import type { AttentionSpec } from "../space/attention-width";
import { defineSpace } from "../space/validate-space";
import { validateArch } from "../space/validate-arch";
import { SupernetConfig, makeSupernetConfig } from "./config";
import { SupernetParams, variableFrom } from "./params";
import { plainWeights, subnetShapes } from "./plain-weights";
import { Supernet, WeightSharingModel, createSupernet, releaseWeights, wrapSupernet } from "./supernet";

const uniqueSorted = (xs: readonly number[]) => Array.from(new Set(xs)).sort((a, b) => a - b);

/**
 * The space that contains exactly `arch` (each dimension's choices are the values the arch
 * uses), with the parent's attention rule: a qkvDim (HAT), or a parent space whose headDim and
 * homogeneous flag carry over, so the standalone model slices its attention as the parent did.
 */
export function singletonSpace(arch: Arch, parent: number | (AttentionSpec & Pick<SearchSpace, "homogeneous">), name = "standalone"): SearchSpace {
  const p = typeof parent === "number" ? { qkvDim: parent } : parent;
  // With a fixed head size, qkvDim is the arch's widest attention, which defineSpace derives.
  // A SuperShaper arch's attention is as wide as each layer: qkvDim is then derived from its widths.
  const attention = arch.encoder.layerHiddenDim !== undefined ? {} : p.headDim === undefined ? { qkvDim: p.qkvDim } : { headDim: p.headDim };
  const part = (p: "encoder" | "decoder") => {
    const values = arch[p] as unknown as Record<string, number | number[] | number[][]>;
    const choices: Record<string, number[]> = {};
    for (const d of schema.filter((x) => x.part === p && values[x.field] !== undefined)) {
      const used = [values[d.field]].flat(2) as number[];
      // An expert list with no entries (every layer dense) still needs a choice: expert 0's widths.
      choices[d.field] = uniqueSorted(used.length > 0 ? used : (values.ffnDim as number[]));
    }
    return choices;
  };
  const decoder = arch.decoder === undefined ? {} : { decoder: part("decoder") };
  return defineSpace({ name, encoder: part("encoder"), ...decoder, ...attention, ...(p.homogeneous ? { homogeneous: true } : {}) } as unknown as SearchSpace);
}

/** The config of a standalone model of `arch` with the parent's vocabulary and regularisation. */
function standaloneConfig(parent: SupernetConfig, arch: Arch): SupernetConfig {
  return makeSupernetConfig(singletonSpace(arch, parent.space), parent.vocabSize, {
    dropout: parent.dropout,
    attentionDropout: parent.attentionDropout,
    activationDropout: parent.activationDropout,
    ...(parent.moe ? { moe: parent.moe } : {}),
  });
}

/** A standalone copy of `arch`'s plain weights; its logits equal the model's for that arch. */
export function extractSubnet(model: WeightSharingModel, arch: Arch): Supernet {
  const view = plainWeights(model, arch, "extractSubnet");
  const params: SupernetParams = {};
  try {
    for (const [name, shape] of Object.entries(subnetShapes(model.config, arch))) {
      params[name] = variableFrom(tf.slice(view[name], shape.map(() => 0), shape), name);
    }
  } finally {
    releaseWeights(model, view);
  }
  return wrapSupernet(standaloneConfig(model.config, arch), params);
}

/** A freshly initialised standalone model of `arch`, to train from scratch. */
export function createStandalone(parent: SupernetConfig, arch: Arch, seed: number): Supernet {
  validateArch(parent.space, arch);
  return createSupernet(standaloneConfig(parent, arch), seed);
}
