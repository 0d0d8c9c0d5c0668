/**
 * One call that trains a weight-sharing model on the translation data (or masked-LM data for a
 * BERT supernet) with a preset's schedule: what notebooks use, so that every supernet in a
 * comparison gets the same budget.
 */
import type { TranslationBatch } from "../data/batching";
import type { ArchSampler } from "../space/samplers";
import type { Arch } from "../space/types";
import type { WeightSharingModel } from "../supernet/supernet";
import type { ScheduleConfig } from "./schedule";
import { LossHook, MetricRow, StepResult, TrainConfig, TrainerState, createTrainerState, makeTrainConfig } from "./trainer";
import { runTraining } from "./run-training";

/** What training reads of a data set: seeded epochs of batches and fixed validation batches. */
export interface TrainingData {
  readonly validBatches: readonly TranslationBatch[];
  batchesForEpoch(epoch: number): readonly TranslationBatch[];
}

/** Options of `trainSupernet`. */
export interface TrainSupernetOptions {
  readonly sampler: ArchSampler;
  readonly updates: number;
  readonly schedule: ScheduleConfig;
  readonly seed: number;
  /** Label smoothing of the training loss (default the trainer's 0.1; masked LM: 0). */
  readonly labelSmoothing?: number;
  readonly validArchs?: readonly { readonly name: string; readonly arch: Arch }[];
  readonly validateEvery?: number;
  readonly label?: string;
  readonly hook?: LossHook;
  readonly onStep?: (result: StepResult, state: TrainerState) => void | Promise<void>;
  readonly showProgress?: boolean;
}

/** Trains `model` in place; returns its metric rows, final state and config. */
export async function trainSupernet(model: WeightSharingModel, data: TrainingData, options: TrainSupernetOptions): Promise<{ rows: MetricRow[]; state: TrainerState; config: TrainConfig }> {
  const config = makeTrainConfig({ schedule: options.schedule, seed: options.seed, ...(options.labelSmoothing === undefined ? {} : { labelSmoothing: options.labelSmoothing }) });
  const state = createTrainerState(config);
  const rows = await runTraining(model, state, config, options.sampler, {
    updates: options.updates,
    batchesForEpoch: (epoch) => data.batchesForEpoch(epoch),
    validBatches: data.validBatches,
    validArchs: options.validArchs,
    validateEvery: options.validateEvery,
    label: options.label,
    hook: options.hook,
    showProgress: options.showProgress,
    onStep: options.onStep ? (r) => options.onStep?.(r, state) : undefined,
  });
  return { rows, state, config };
}
