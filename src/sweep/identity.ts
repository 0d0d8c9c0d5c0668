/**
 * The identity of a sweep: the spec together with every setting it resolves to (data sizes,
 * search space, schedule, optimiser, dropout, BLEU decoding), hashed as canonical JSON. Results
 * are filed under that hash, so editing the spec, or a preset value it depends on, starts a
 * fresh folder instead of silently reusing results computed under other settings.
 */
import * as path from "path";
import { bertPresets, bertSchedule, maskedLmLabelSmoothing } from "../config/bert-presets";
import { translationDataOptions, translationPresets, presetSchedule } from "../config/translation-presets";
import type { MaskedLmDataOptions } from "../data/bert/masked-lm-data";
import type { TranslationDataOptions } from "../data/translation-data";
import type { SearchSpace } from "../space/types";
import { supernetDefaults } from "../supernet/config";
import { TrainConfig, makeTrainConfig } from "../train/trainer";
import { sha256 } from "../util/atomic-write";
import { SweepSpec, sweepSpace, validateSweepSpec } from "./spec";

/** Everything a worker needs besides the job, resolved once by the parent and hashed with the spec. */
export interface SweepSettings {
  /** Options of `loadTranslationData`, or of `loadMaskedLmData` in a masked-LM sweep. */
  readonly data: TranslationDataOptions | MaskedLmDataOptions;
  /** The preset's search space, as data. */
  readonly space: SearchSpace;
  /** Supernet regularisation (the vocabulary comes from the data). */
  readonly supernet: { readonly dropout: number; readonly attentionDropout: number; readonly activationDropout: number };
  /** Training hyper-parameters; the job's seed completes them. */
  readonly train: Omit<TrainConfig, "seed">;
  /** Greedy decoding options for BLEU, or null to skip BLEU. */
  readonly bleu: { readonly beam: number; readonly maxLen: number } | null;
}

/** A validated spec with its settings, hash and folder. */
export interface SweepIdentity {
  readonly spec: SweepSpec;
  readonly settings: SweepSettings;
  /** Hex SHA-256 of the canonical JSON of `{ spec, settings }`. */
  readonly hash: string;
  /** `<outDir>/sweeps/<name>-<hash8>`. */
  readonly dir: string;
}

/** JSON with object keys sorted at every depth, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}

/** The settings a spec resolves to under the current presets and defaults. */
export function sweepSettings(spec: SweepSpec): SweepSettings {
  if (spec.task === "masked-lm") {
    // The same sizes, schedule, dropout and loss as the BERT supernets of notebooks 07 and 08.
    const b = bertPresets[spec.preset];
    const { seed: _unused, ...train } = makeTrainConfig({ schedule: bertSchedule(b, spec.updates), labelSmoothing: maskedLmLabelSmoothing, seed: 0 });
    return {
      data: { vocabSize: b.vocabSize, maxLen: b.maxLen, maxTokens: b.maxTokens, trainSequences: b.trainSequences, validSequences: b.validSequences, seed: spec.dataSeed },
      space: sweepSpace(spec),
      supernet: { ...supernetDefaults },
      train,
      bleu: null,
    };
  }
  const p = translationPresets[spec.preset];
  const { seed: _seed, ...train } = makeTrainConfig({ schedule: presetSchedule(p, spec.updates), seed: 0 });
  return {
    data: translationDataOptions(p, spec.dataSeed),
    space: sweepSpace(spec),
    supernet: { ...supernetDefaults },
    train,
    bleu: spec.bleu ? { beam: 1, maxLen: p.maxLen } : null,
  };
}

/** Validates the spec and resolves its settings, hash and results folder under `outDir`. */
export function sweepIdentity(spec: SweepSpec, outDir: string): SweepIdentity {
  const valid = validateSweepSpec(spec);
  const settings = sweepSettings(valid);
  const hash = sha256(canonicalJson({ spec: valid, settings }));
  return { spec: valid, settings, hash, dir: path.join(outDir, "sweeps", `${valid.name}-${hash.slice(0, 8)}`) };
}
