/**
 * The trained supernet a study starts from: notebook 01's checkpoint for the preset when it
 * exists (so later notebooks study the supernet 01 evaluated), otherwise one trained on the
 * spot with HAT's uniform rule, so each notebook also runs on its own.
 */
import * as fs from "fs";
import * as path from "path";
import type { TranslationData } from "../data/translation-data";
import { makeSampler } from "../space/sampler-registry";
import type { SupernetConfig } from "../supernet/config";
import { Supernet, createSupernet } from "../supernet/supernet";
import { restoreCheckpoint } from "./checkpoint/checkpoint";
import type { ScheduleConfig } from "./schedule";
import { createTrainerState, makeTrainConfig } from "./trainer";
import { trainSupernet } from "./train-supernet";

/** Where the supernet came from: a checkpoint (with its step) or training here. */
export interface StudiedSupernet {
  readonly model: Supernet;
  readonly source: string;
}

/** Restores `checkpoint` into a new supernet if the file exists, else trains one for `updates` updates. */
export async function restoreOrTrainSupernet(checkpoint: string, config: SupernetConfig, data: TranslationData, options: { updates: number; schedule: ScheduleConfig; seed: number }): Promise<StudiedSupernet> {
  const model = createSupernet(config, options.seed);
  const relative = path.relative(process.cwd(), checkpoint);
  if (fs.existsSync(checkpoint)) {
    const meta = restoreCheckpoint(checkpoint, model, createTrainerState(makeTrainConfig({ schedule: options.schedule })));
    return { model, source: `restored ${relative} (step ${meta.step})` };
  }
  await trainSupernet(model, data, { sampler: makeSampler("uniform", config.space), updates: options.updates, schedule: options.schedule, seed: options.seed, label: "supernet" });
  return { model, source: `no checkpoint at ${relative}: trained ${options.updates} updates with uniform sampling` };
}
