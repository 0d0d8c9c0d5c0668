/**
 * The trained model a study starts from: an earlier notebook's checkpoint when it is what this
 * call would train, otherwise a model trained on the spot and saved there, so each notebook also
 * runs on its own. "What this call would train" means: the same provenance (`provenanceMismatch`:
 * revision with a clean src/, backend, preset), the same seed and arch sampler, as many updates
 * as asked (`step` equals `updates`: a checkpoint part-way through a run is a resume point, not
 * the finished model), and the train config this call would use, `makeTrainConfig({ schedule,
 * seed })`, equal field by field (schedule, Adam, clipping, label smoothing); then `restoreCheckpoint`
 * checks kind, supernet config, model options and shapes. The source line names every mismatch.
 */
import * as fs from "fs";
import * as path from "path";
import { currentPreset } from "../config/preset";
import type { TranslationData } from "../data/translation-data";
import { makeSampler } from "../space/sampler-registry";
import type { ArchSampler } from "../space/samplers";
import type { SupernetConfig } from "../supernet/config";
import { disposeParams } from "../supernet/params";
import { Supernet, WeightSharingModel, createSupernet } from "../supernet/supernet";
import { Provenance, currentProvenance, provenanceMismatch } from "../util/provenance";
import { disposeAdamState } from "./adam";
import { CheckpointMeta, readCheckpoint, restoreCheckpoint, saveCheckpoint } from "./checkpoint/checkpoint";
import type { ScheduleConfig } from "./schedule";
import { TrainConfig, createTrainerState, makeTrainConfig } from "./trainer";
import { TrainingData, trainSupernet } from "./train-supernet";

/** Where the model came from: a checkpoint (with its step) or training here. */
export interface StudiedModel<M extends WeightSharingModel> {
  readonly model: M;
  readonly source: string;
  /** Wall time in seconds of the training that made the model: measured here, or recorded in the restored checkpoint (null when the checkpoint predates that record). */
  readonly trainingSeconds: number | null;
}

/** How to train the model when no usable checkpoint exists. */
export interface RestoreOrTrainOptions {
  readonly updates: number;
  readonly schedule: ScheduleConfig;
  readonly seed: number;
  /** Label smoothing of the training loss (default the trainer's 0.1, fairseq's for translation; masked LM: 0). */
  readonly labelSmoothing?: number;
  /** Arch sampler (default HAT's uniform rule). */
  readonly sampler?: ArchSampler;
  readonly label?: string;
  readonly showProgress?: boolean;
  /** Data set the tokenizer belongs to, recorded in the checkpoint (default "bible-en-es"; BERT: "brown"). */
  readonly dataset?: string;
  /** Preset the run belongs to; default `currentPreset()`. */
  readonly preset?: string | null;
  /** Provenance of this run; default `currentProvenance(preset)` (tests inject one). */
  readonly provenance?: Provenance;
}

/** What a reusable checkpoint must record: this call's provenance, training config, update count and sampler name. */
export interface WantedTraining {
  readonly provenance: Provenance;
  readonly trainConfig: TrainConfig;
  readonly updates: number;
  readonly sampler: string;
}

// Paths of the leaves where two JSON values differ, e.g. "schedule.maxUpdates".
function differingFields(stored: unknown, wanted: unknown, prefix = ""): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(stored) || !isObject(wanted)) return JSON.stringify(stored) === JSON.stringify(wanted) ? [] : [prefix];
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(stored)])];
  return keys.flatMap((k) => differingFields(stored[k], wanted[k], prefix ? `${prefix}.${k}` : k));
}

const valueAt = (v: unknown, field: string): string => JSON.stringify(field.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v)) ?? "nothing";

/** Every reason a checkpoint's recorded training differs from `wanted` (empty when it may be reused). */
export function trainingMismatches(meta: CheckpointMeta, wanted: WantedTraining): string[] {
  const reasons: string[] = [];
  const provenance = provenanceMismatch(meta.provenance, wanted.provenance);
  if (provenance) reasons.push(provenance);
  const seed = meta.seed ?? meta.trainConfig.seed;
  if (seed !== wanted.trainConfig.seed) reasons.push(`it was trained with seed ${seed}, this run asks for seed ${wanted.trainConfig.seed}`);
  if (meta.sampler == null) reasons.push("it does not record which arch sampler trained it");
  else if (meta.sampler !== wanted.sampler) reasons.push(`it was trained with ${meta.sampler} sampling, this run asks for ${wanted.sampler}`);
  if (meta.step !== wanted.updates) reasons.push(`it holds ${meta.step} updates, this run asks for ${wanted.updates}`);
  // JSON round trip: the stored config went through it, so drop undefined fields the same way.
  const stored = { ...meta.trainConfig, seed: undefined };
  const asked = JSON.parse(JSON.stringify({ ...wanted.trainConfig, seed: undefined })) as unknown;
  for (const field of differingFields(stored, asked)) reasons.push(`its train config has ${field} = ${valueAt(stored, field)}, this run asks for ${valueAt(asked, field)}`);
  return reasons;
}

/** Restores `checkpoint` into `create()` if it records the training this call would do, else trains a fresh `create()` and saves it there. */
export async function restoreOrTrain<M extends WeightSharingModel>(checkpoint: string, create: () => M, data: TrainingData, options: RestoreOrTrainOptions): Promise<StudiedModel<M>> {
  const relative = path.relative(process.cwd(), checkpoint);
  const preset = options.preset === undefined ? currentPreset() : options.preset;
  const provenance = options.provenance ?? currentProvenance(preset);
  const trainConfig = makeTrainConfig({ schedule: options.schedule, seed: options.seed, ...(options.labelSmoothing === undefined ? {} : { labelSmoothing: options.labelSmoothing }) });
  let why = `no checkpoint at ${relative}`;
  let model = create();
  const sampler = options.sampler ?? makeSampler("uniform", model.config.space);
  if (fs.existsSync(checkpoint)) {
    const state = createTrainerState(trainConfig);
    try {
      const contents = readCheckpoint(checkpoint);
      const reasons = trainingMismatches(contents.meta, { provenance, trainConfig, updates: options.updates, sampler: sampler.name });
      if (reasons.length > 0) throw new Error(reasons.join("; "));
      const meta = restoreCheckpoint(checkpoint, model, state, contents);
      return { model, source: `restored ${relative} (step ${meta.step})`, trainingSeconds: meta.trainingSeconds ?? null };
    } catch (e) {
      disposeParams(model.params);
      model = create();
      why = `checkpoint ${relative} not used: ${(e as Error).message}`;
    } finally {
      // Only the weights are studied; the restored Adam moments would hold twice their memory.
      disposeAdamState(state.adam);
    }
  }
  const started = Date.now();
  const trained = await trainSupernet(model, data, { sampler, updates: options.updates, schedule: options.schedule, seed: options.seed, labelSmoothing: options.labelSmoothing, label: options.label ?? model.kind, showProgress: options.showProgress });
  const trainingSeconds = (Date.now() - started) / 1000;
  await saveCheckpoint(checkpoint, model, trained.state, trained.config, { dataset: options.dataset ?? "bible-en-es", vocabSize: model.config.vocabSize }, { sampler: sampler.name, provenance, trainingSeconds });
  disposeAdamState(trained.state.adam);
  return { model, source: `${why}: trained ${options.updates} updates with ${sampler.name} sampling here and saved it there`, trainingSeconds };
}

/** `restoreOrTrain` for a plain supernet trained with HAT's uniform rule. */
export async function restoreOrTrainSupernet(checkpoint: string, config: SupernetConfig, data: TranslationData, options: { updates: number; schedule: ScheduleConfig; seed: number; preset?: string | null; provenance?: Provenance }): Promise<StudiedModel<Supernet>> {
  return restoreOrTrain(checkpoint, () => createSupernet(config, options.seed), data, { ...options, label: "supernet" });
}
