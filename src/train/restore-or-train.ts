/**
 * The trained model a study starts from: an earlier notebook's checkpoint when it exists and
 * matches (same kind, config and options; `restoreCheckpoint` checks them), otherwise a model
 * trained on the spot and saved there, so each notebook also runs on its own. The source line
 * says which happened, and why a checkpoint on disk was not used.
 */
import * as fs from "fs";
import * as path from "path";
import type { TranslationData } from "../data/translation-data";
import { makeSampler } from "../space/sampler-registry";
import type { ArchSampler } from "../space/samplers";
import type { SupernetConfig } from "../supernet/config";
import { disposeParams } from "../supernet/params";
import { Supernet, WeightSharingModel, createSupernet } from "../supernet/supernet";
import { restoreCheckpoint, saveCheckpoint } from "./checkpoint/checkpoint";
import type { ScheduleConfig } from "./schedule";
import { createTrainerState, makeTrainConfig } from "./trainer";
import { trainSupernet } from "./train-supernet";

/** Where the model came from: a checkpoint (with its step) or training here. */
export interface StudiedModel<M extends WeightSharingModel> {
  readonly model: M;
  readonly source: string;
}

/** How to train the model when no usable checkpoint exists. */
export interface RestoreOrTrainOptions {
  readonly updates: number;
  readonly schedule: ScheduleConfig;
  readonly seed: number;
  /** Arch sampler (default HAT's uniform rule). */
  readonly sampler?: ArchSampler;
  readonly label?: string;
  readonly showProgress?: boolean;
}

/** Restores `checkpoint` into `create()` if it exists and matches, else trains a fresh `create()` and saves it there. */
export async function restoreOrTrain<M extends WeightSharingModel>(checkpoint: string, create: () => M, data: TranslationData, options: RestoreOrTrainOptions): Promise<StudiedModel<M>> {
  const relative = path.relative(process.cwd(), checkpoint);
  let why = `no checkpoint at ${relative}`;
  if (fs.existsSync(checkpoint)) {
    const model = create();
    try {
      const meta = restoreCheckpoint(checkpoint, model, createTrainerState(makeTrainConfig({ schedule: options.schedule })));
      return { model, source: `restored ${relative} (step ${meta.step})` };
    } catch (e) {
      disposeParams(model.params);
      why = `checkpoint ${relative} not used: ${(e as Error).message}`;
    }
  }
  const model = create();
  const sampler = options.sampler ?? makeSampler("uniform", model.config.space);
  const { state, config } = await trainSupernet(model, data, { sampler, updates: options.updates, schedule: options.schedule, seed: options.seed, label: options.label ?? model.kind, showProgress: options.showProgress });
  saveCheckpoint(checkpoint, model, state, config, { dataset: "bible-en-es", vocabSize: model.config.vocabSize });
  return { model, source: `${why}: trained ${options.updates} updates with ${sampler.name} sampling here and saved it there` };
}

/** `restoreOrTrain` for a plain supernet trained with HAT's uniform rule. */
export async function restoreOrTrainSupernet(checkpoint: string, config: SupernetConfig, data: TranslationData, options: { updates: number; schedule: ScheduleConfig; seed: number }): Promise<StudiedModel<Supernet>> {
  return restoreOrTrain(checkpoint, () => createSupernet(config, options.seed), data, { ...options, label: "supernet" });
}
