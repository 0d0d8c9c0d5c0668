/**
 * Training overhead of Mixture-of-Supernets over the plain supernet: the time of one update of
 * the same subnet on the same batch, plain against layer-wise and neuron-wise MoS with 2
 * experts (our defaults, router dropout 0.1) and at the authors' MT release settings
 * (neuron-wise, 6 experts, router dropout 0.1: `mosMtRelease`).
 * Steps alternate between the models batch by batch, so load changes hit all of them alike.
 */
import { performance } from "perf_hooks";
import type { TranslationBatch } from "../src/data/batching";
import { mosMtRelease } from "../src/mos/config";
import { createMos } from "../src/mos/mos-supernet";
import { fixedSampler } from "../src/space/samplers";
import type { Arch, SearchSpace } from "../src/space/types";
import { makeSupernetConfig } from "../src/supernet/config";
import { disposeParams } from "../src/supernet/params";
import { WeightSharingModel, createSupernet } from "../src/supernet/supernet";
import { disposeAdamState } from "../src/train/adam";
import { createTrainerState, trainStep } from "../src/train/trainer";
import { benchTrainConfig } from "./train-throughput";

/** Mean ms per update of each model, and the ratios to the plain supernet. */
export interface MosOverhead {
  readonly label: string;
  readonly steps: number;
  readonly msPerStep: Record<string, number>;
  readonly ratioToPlain: Record<string, number>;
}

/** Times `steps` updates of `arch` per model after one warm-up update each. */
export async function measureMosOverhead(label: string, space: SearchSpace, arch: Arch, vocabSize: number, batches: readonly TranslationBatch[], steps: number, seed: number): Promise<MosOverhead> {
  const config = makeSupernetConfig(space, vocabSize);
  const models: Record<string, WeightSharingModel> = {
    plain: createSupernet(config, seed),
    "mos-layer": createMos(config, { numExperts: 2, granularity: "layer" }, seed),
    "mos-neuron": createMos(config, { numExperts: 2, granularity: "neuron" }, seed),
    "mos-mt-release": createMos(config, mosMtRelease, seed),
  };
  const trainConfig = benchTrainConfig(1e-3, seed);
  const states = Object.fromEntries(Object.keys(models).map((k) => [k, createTrainerState(trainConfig)]));
  const sampler = fixedSampler([arch], space);
  const total: Record<string, number> = Object.fromEntries(Object.keys(models).map((k) => [k, 0]));
  try {
    for (let i = 0; i <= steps; i++) {
      const batch = batches[i % batches.length];
      for (const [name, model] of Object.entries(models)) {
        const t0 = performance.now();
        await trainStep(model, states[name], trainConfig, sampler, batch);
        if (i > 0) total[name] += performance.now() - t0; // step 0 warms up
      }
    }
    const msPerStep = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / steps]));
    const ratioToPlain = Object.fromEntries(Object.entries(msPerStep).map(([k, v]) => [k, v / msPerStep.plain]));
    return { label, steps, msPerStep, ratioToPlain };
  } finally {
    for (const [name, model] of Object.entries(models)) {
      disposeAdamState(states[name].adam);
      disposeParams(model.params);
    }
  }
}
