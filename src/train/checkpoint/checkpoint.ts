/**
 * Saving and resuming supernet training: shared weights, Adam moments, the update count, the
 * RNG state, the space and configs, and which tokenizer the vocabulary belongs to, plus what
 * made it (provenance, seed, arch sampler) so a later run can tell whether it would have made the
 * same checkpoint. Loading checks everything (format, checksum, config, every tensor's shape)
 * before it touches a weight, so a mismatched or damaged file is an error, never a silent
 * partial load. Provenance is not checked on load: resuming is legitimate across revisions, and
 * checkpoints from before it was recorded still load; `restoreOrTrain` is where it decides reuse.
 */
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { currentPreset } from "../../config/preset";
import { atomicWriteFile } from "../../util/atomic-write";
import { Provenance, currentProvenance } from "../../util/provenance";
import { Rng, RngState } from "../../util/rng";
import type { SupernetConfig } from "../../supernet/config";
import type { WeightSharingModel } from "../../supernet/supernet";
import type { TrainConfig, TrainerState } from "../trainer";
import { StoredTensor, decodeCheckpoint, encodeCheckpoint } from "./format";

/** What a checkpoint records besides tensors. */
export interface CheckpointMeta {
  readonly kind: string;
  readonly step: number;
  readonly rngState: RngState;
  readonly supernetConfig: SupernetConfig;
  readonly trainConfig: TrainConfig;
  /** Tokenizer identity, e.g. { dataset: "bible-en-es", vocabSize: 1000 }. */
  readonly tokenizer: { readonly dataset: string; readonly vocabSize: number };
  readonly adamSteps: Record<string, number>;
  /** Options of model variants (e.g. Mixture-of-Supernets experts and router); null for a plain supernet. */
  readonly modelOptions?: unknown;
  readonly savedAt: string;
  /** Code revision, dirty flag, backend and preset that made it (the preset lives here); absent in older checkpoints. */
  readonly provenance?: Provenance;
  /** Training seed (arch sampling, dropout, batch order), equal to `trainConfig.seed`; absent in older checkpoints. */
  readonly seed?: number;
  /** Registry name of the arch sampler that trained it; null or absent when the saver did not say. */
  readonly sampler?: string | null;
  /** Wall time in seconds of the training that made it, so a study that restores it can still report its cost; absent in older checkpoints. */
  readonly trainingSeconds?: number;
}

/** What `saveCheckpoint` records beyond the model and trainer state. */
export interface SaveCheckpointOptions {
  /** Registry name of the arch sampler used; without it the checkpoint is never reused by `restoreOrTrain`. */
  readonly sampler?: string | null;
  /** Preset the run belongs to; default `currentPreset()`. */
  readonly preset?: string | null;
  /** Provenance to record; default `currentProvenance(preset)` (tests inject one). */
  readonly provenance?: Provenance;
  /** Wall time in seconds of the training that made the model (recorded for studies that restore it). */
  readonly trainingSeconds?: number;
}

/** Writes a checkpoint atomically, with its provenance, seed and sampler (async: weights are read off the device). */
export async function saveCheckpoint(file: string, model: WeightSharingModel, state: TrainerState, trainConfig: TrainConfig, tokenizer: CheckpointMeta["tokenizer"], options: SaveCheckpointOptions = {}): Promise<void> {
  const named: [string, tf.Tensor][] = [
    ...Object.entries(model.params).map(([name, v]): [string, tf.Tensor] => [`param/${name}`, v]),
    ...[...state.adam.m].map(([name, m]): [string, tf.Tensor] => [`adam.m/${name}`, m]),
    ...[...state.adam.v].map(([name, v]): [string, tf.Tensor] => [`adam.v/${name}`, v]),
  ];
  // The step counter is captured before any await, so the file describes one consistent state.
  const step = state.step;
  const rngState = state.rng.state();
  const adamSteps = Object.fromEntries(state.adam.steps);
  const values = await Promise.all(named.map(([, t]) => t.data() as Promise<Float32Array>));
  const tensors: StoredTensor[] = named.map(([name, t], i) => ({ name, shape: t.shape, values: values[i] }));
  const meta: CheckpointMeta = {
    kind: model.kind,
    step,
    rngState,
    supernetConfig: model.config,
    trainConfig,
    tokenizer,
    adamSteps,
    modelOptions: model.options ?? null,
    savedAt: new Date().toISOString(),
    provenance: options.provenance ?? currentProvenance(options.preset === undefined ? currentPreset() : options.preset),
    seed: trainConfig.seed,
    sampler: options.sampler ?? null,
    ...(options.trainingSeconds === undefined ? {} : { trainingSeconds: options.trainingSeconds }),
  };
  atomicWriteFile(file, encodeCheckpoint(meta, tensors));
}

/** Reads and validates a checkpoint file without creating any tensor. */
export function readCheckpoint(file: string): { meta: CheckpointMeta; tensors: Map<string, StoredTensor> } {
  if (!fs.existsSync(file)) throw new Error(`checkpoint ${file} does not exist`);
  const { meta, tensors } = decodeCheckpoint(fs.readFileSync(file), file);
  const m = meta as CheckpointMeta;
  for (const key of ["kind", "step", "rngState", "supernetConfig", "trainConfig", "tokenizer", "adamSteps"] as const) {
    if (m[key] === undefined) throw new Error(`checkpoint ${file} is unusable: header has no "${key}"`);
  }
  return { meta: m, tensors };
}

/** Checks the stored weights against the model's own weights; throws naming the first mismatch. */
export function checkWeightShapes(file: string, tensors: Map<string, StoredTensor>, model: WeightSharingModel): void {
  for (const [name, v] of Object.entries(model.params)) {
    const t = tensors.get(`param/${name}`);
    if (!t) throw new Error(`checkpoint ${file} does not match the model: weight ${name} is missing`);
    if (t.shape.join("x") !== v.shape.join("x")) throw new Error(`checkpoint ${file} does not match the model: weight ${name} has shape [${t.shape}], expected [${v.shape}]`);
  }
  for (const key of tensors.keys()) {
    if (key.startsWith("param/") && !(key.slice(6) in model.params)) throw new Error(`checkpoint ${file} does not match the model: it has weight ${key.slice(6)}, which the model lacks`);
  }
}

/** Restores weights and trainer state from a checkpoint (or its contents already read from `file`) into an existing model and state, validated first. */
export function restoreCheckpoint(file: string, model: WeightSharingModel, state: TrainerState, contents: ReturnType<typeof readCheckpoint> = readCheckpoint(file)): CheckpointMeta {
  const { meta, tensors } = contents;
  if (meta.kind !== model.kind) throw new Error(`checkpoint ${file} holds a "${meta.kind}" model, not "${model.kind}"`);
  if (JSON.stringify(meta.supernetConfig) !== JSON.stringify(model.config)) {
    throw new Error(`checkpoint ${file} was made with another supernet config (space ${meta.supernetConfig.space.name}, vocab ${meta.supernetConfig.vocabSize}) than the model's (space ${model.config.space.name}, vocab ${model.config.vocabSize})`);
  }
  if (JSON.stringify(meta.modelOptions ?? null) !== JSON.stringify(model.options ?? null)) {
    throw new Error(`checkpoint ${file} was made with model options ${JSON.stringify(meta.modelOptions ?? null)}, the model has ${JSON.stringify(model.options ?? null)}`);
  }
  checkWeightShapes(file, tensors, model);
  // Everything is checked: now assign.
  for (const [name, v] of Object.entries(model.params)) {
    const t = tensors.get(`param/${name}`) as StoredTensor;
    // The variable takes over the data; the temporary's handle must still be released.
    const value = tf.tensor(t.values, t.shape as number[]);
    v.assign(value);
    value.dispose();
  }
  for (const t of state.adam.m.values()) t.dispose();
  for (const t of state.adam.v.values()) t.dispose();
  state.adam.m.clear();
  state.adam.v.clear();
  state.adam.steps.clear();
  for (const [key, t] of tensors) {
    if (key.startsWith("adam.m/")) state.adam.m.set(key.slice(7), tf.tensor(t.values, t.shape as number[]));
    else if (key.startsWith("adam.v/")) state.adam.v.set(key.slice(7), tf.tensor(t.values, t.shape as number[]));
  }
  for (const [name, steps] of Object.entries(meta.adamSteps)) state.adam.steps.set(name, steps);
  state.step = meta.step;
  state.rng = new Rng(meta.rngState);
  return meta;
}
