/**
 * Training one arch from scratch ("standalone"), with the same trainer, data and schedule shape
 * as the supernet: the ground truth that inherited weights are compared with.
 */
import { fixedSampler } from "../space/samplers";
import type { Arch } from "../space/types";
import type { SupernetConfig } from "../supernet/config";
import { createStandalone } from "../supernet/extract";
import type { Supernet } from "../supernet/supernet";
import { MetricRow, TrainConfig, createTrainerState } from "./trainer";
import { runTraining } from "./run-training";
import type { TrainingData } from "./train-supernet";

/** A trained standalone model and its metric rows. */
export interface StandaloneResult {
  readonly model: Supernet;
  readonly rows: MetricRow[];
}

/** Trains `arch` from a fresh initialisation for `updates` updates. */
export async function trainStandalone(parent: SupernetConfig, arch: Arch, data: Pick<TrainingData, "batchesForEpoch">, config: TrainConfig, updates: number, options: { seed?: number; label?: string; showProgress?: boolean } = {}): Promise<StandaloneResult> {
  const model = createStandalone(parent, arch, options.seed ?? config.seed);
  const state = createTrainerState(config);
  const rows = await runTraining(model, state, config, fixedSampler([arch]), {
    updates,
    batchesForEpoch: (epoch) => data.batchesForEpoch(epoch),
    label: options.label ?? "standalone",
    showProgress: options.showProgress,
  });
  return { model, rows };
}
