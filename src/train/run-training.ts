/**
 * A training run: epochs of length-bucketed batches, one `trainStep` per batch, a progress
 * display, periodic validation of fixed representative archs, and tidy metric rows. Notebooks
 * call this; it is also what the benchmark and tests drive.
 */
import type { TranslationBatch } from "../data/batching";
import { archKey } from "../space/arch-key";
import type { ArchSampler } from "../space/samplers";
import type { Arch } from "../space/types";
import { evaluateLoss } from "../eval/validation-loss";
import { progress, yieldToDisplays } from "../report/progress";
import type { WeightSharingModel } from "../supernet/supernet";
import { LossHook, MetricRow, StepResult, TrainConfig, TrainerState, stepRows, trainStep } from "./trainer";

/** Options of a training run. */
export interface RunTrainingOptions {
  /** Updates to run in this call (the run may be resumed later). */
  readonly updates: number;
  /** Batches of one epoch for a given epoch number (deterministic in the epoch). */
  readonly batchesForEpoch: (epoch: number) => readonly TranslationBatch[];
  /** Validation batches and the archs validated on them; empty to skip. */
  readonly validBatches?: readonly TranslationBatch[];
  readonly validArchs?: readonly { readonly name: string; readonly arch: Arch }[];
  /** Validate every N updates (and at the end). */
  readonly validateEvery?: number;
  /** Label of the progress display. */
  readonly label?: string;
  /** Show progress (default true). */
  readonly showProgress?: boolean;
  readonly hook?: LossHook;
  /** Called after each update, e.g. to save checkpoints (awaited when it returns a promise). */
  readonly onStep?: (result: StepResult) => void | Promise<void>;
}

/**
 * Runs `options.updates` updates and returns metric rows (training losses every update,
 * validation periodically). Async so that the event loop turns between updates: a notebook's
 * progress display is sent while the cell runs, not all at once when it ends.
 */
export async function runTraining(model: WeightSharingModel, state: TrainerState, config: TrainConfig, sampler: ArchSampler, options: RunTrainingOptions): Promise<MetricRow[]> {
  const rows: MetricRow[] = [];
  const bar = options.showProgress === false ? null : progress(options.updates, { label: options.label ?? "train", unit: "upd" });
  const validate = async () => {
    for (const { name, arch } of options.validArchs ?? []) {
      const r = await evaluateLoss(model, arch, options.validBatches ?? []);
      rows.push({ step: state.step, arch: name || archKey(arch), metric: "valid_loss", value: r.loss });
    }
  };
  let epoch = 0;
  let seen = 0;
  let batches = options.batchesForEpoch(epoch);
  if (batches.length === 0) throw new Error("runTraining: the epoch has no batches (is the training set empty?)");
  // Resume where the state left off: position within the epoch follows from the step count.
  let skip = state.step;
  while (skip >= batches.length) {
    skip -= batches.length;
    batches = options.batchesForEpoch(++epoch);
  }
  let index = skip;
  let recentLoss = NaN;
  // A validation point before the first update makes every curve start from the same place.
  if (options.validateEvery && state.step === 0) await validate();
  for (let done = 0; done < options.updates; done++) {
    if (index >= batches.length) {
      batches = options.batchesForEpoch(++epoch);
      index = 0;
    }
    const result = await trainStep(model, state, config, sampler, batches[index++], options.hook);
    seen += result.targetTokens;
    rows.push(...stepRows(result));
    const mean = result.losses.reduce((a, l) => a + l.loss, 0) / result.losses.length;
    recentLoss = Number.isNaN(recentLoss) ? mean : 0.9 * recentLoss + 0.1 * mean;
    await options.onStep?.(result);
    if (options.validateEvery && state.step % options.validateEvery === 0) await validate();
    bar?.update(done + 1, { loss: recentLoss, lr: result.lr });
    await yieldToDisplays();
  }
  if (!options.validateEvery || state.step % options.validateEvery !== 0) await validate();
  bar?.finish({ loss: recentLoss, tokens: seen });
  return rows;
}
