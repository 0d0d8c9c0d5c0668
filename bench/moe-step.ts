/**
 * An AutoMoE training step against a dense step of equal active parameters: the small preset's
 * largest dense subnet, and the same subnet with n experts of the same width in every layer and
 * top-1 routing, so a token runs one FFN of the dense width (plus the router). The ratio is what
 * routing costs here: the router, the dispatch (a host read of the routing per layer, gathers
 * and a segment sum) and n smaller FFN matmuls instead of one.
 */
import { performance } from "perf_hooks";
import type { TranslationBatch } from "../src/data/batching";
import { getSpace } from "../src/space/presets";
import { largestArch } from "../src/space/named-archs";
import { archSparsity } from "../src/space/params";
import type { Arch, ArchPart } from "../src/space/types";
import { makeSupernetConfig } from "../src/supernet/config";
import { disposeParams } from "../src/supernet/params";
import { createSupernet } from "../src/supernet/supernet";
import { disposeAdamState } from "../src/train/adam";
import { createTrainerState, trainStep } from "../src/train/trainer";
import { benchTrainConfig } from "./train-throughput";

/** Mean ms per update of the dense and the MoE subnet, their ratio and active parameters. */
export interface MoeStepResult {
  readonly experts: number;
  readonly steps: number;
  readonly msDense: number;
  readonly msMoe: number;
  readonly ratio: number;
  readonly activeParams: { readonly dense: number; readonly moe: number };
}

/** Times `steps` updates of each, alternating batch by batch, after one warm-up update each. */
export async function measureMoeStep(vocabSize: number, batches: readonly TranslationBatch[], steps: number, experts: number, seed: number): Promise<MoeStepResult> {
  const denseSpace = getSpace("small");
  const moeSpace = getSpace("small-moe");
  const dense = largestArch(denseSpace);
  const withExperts = (p: ArchPart) => ({ ...p, numExperts: p.ffnDim.map(() => experts), topK: p.ffnDim.map(() => 1), expertFfnDim: p.ffnDim.map((f) => new Array(experts - 1).fill(f)) });
  const moeArch = { encoder: withExperts(dense.encoder), decoder: withExperts(dense.decoder!) } as Arch;
  const runs = [
    { model: createSupernet(makeSupernetConfig(denseSpace, vocabSize), seed), arch: dense, total: 0 },
    { model: createSupernet(makeSupernetConfig(moeSpace, vocabSize), seed), arch: moeArch, total: 0 },
  ];
  const trainConfig = benchTrainConfig(1e-3, seed);
  const states = runs.map(() => createTrainerState(trainConfig));
  try {
    for (let i = 0; i <= steps; i++) {
      for (const [k, r] of runs.entries()) {
        const t0 = performance.now();
        await trainStep(r.model, states[k], trainConfig, { name: "fixed", next: () => [r.arch] }, batches[i % batches.length]);
        if (i > 0) r.total += performance.now() - t0; // step 0 warms up
      }
    }
    const [msDense, msMoe] = runs.map((r) => r.total / steps);
    return { experts, steps, msDense, msMoe, ratio: msMoe / msDense, activeParams: { dense: archSparsity(denseSpace, dense).activeParams, moe: archSparsity(moeSpace, moeArch).activeParams } };
  } finally {
    runs.forEach((r, k) => {
      disposeAdamState(states[k].adam);
      disposeParams(r.model.params);
    });
  }
}
