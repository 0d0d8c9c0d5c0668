/**
 * A standalone sweep as plain data: which subnets (arch keys) of a preset's space to train from
 * scratch, for how many updates and with which seeds. These from-scratch scores are the ground
 * truth against which a supernet's inherited-weight ranking is judged (Kendall tau, Spearman;
 * HAT, Wang et al., ACL 2020, §4). A spec trains translation subnets unless it names the
 * masked-LM task: then BERT subnets on Brown, scored by held-out masked-LM loss. Validation names
 * the offending field, its value and what is allowed, before any expensive work starts.
 */
import { bertPresets } from "../config/bert-presets";
import { PresetName, parsePreset } from "../config/preset";
import { translationPresets } from "../config/translation-presets";
import { archFromKey } from "../space/arch-key";
import { getBertSpace } from "../space/bert-presets";
import { getSpace } from "../space/presets";
import type { SearchSpace } from "../space/types";

/** What a standalone sweep trains. */
export interface SweepSpec {
  /** Folder-safe name; results live in `<outDir>/sweeps/<name>-<hash8>/`. */
  readonly name: string;
  /** Preset: search space, data sizes, learning rate (its translation or, for masked LM, its BERT sizes). */
  readonly preset: PresetName;
  /**
   * What the subnets learn: absent for translation (so translation specs hash as they always did),
   * "masked-lm" for BERT subnets pretrained on Brown.
   */
  readonly task?: "masked-lm";
  /** Arch keys (`archKey`) of the subnets to train, each valid in the preset's space, no repeats. */
  readonly archs: readonly string[];
  /** Training updates of each subnet. */
  readonly updates: number;
  /** One job per arch and seed (initialisation, dropout); several seeds measure the noise. */
  readonly seeds: readonly number[];
  /** Whether to decode the validation set greedily and score BLEU (slower than the loss). */
  readonly bleu: boolean;
  /** Seed of the training batch plan, shared by every job so they all see the same data. */
  readonly dataSeed: number;
}

const fields = ["name", "preset", "task", "archs", "updates", "seeds", "bleu", "dataSeed"] as const;

/** The search space a spec's archs belong to: the preset's translation or BERT space. */
export function sweepSpace(spec: Pick<SweepSpec, "preset" | "task">): SearchSpace {
  return spec.task === "masked-lm" ? getBertSpace(bertPresets[spec.preset].space) : getSpace(translationPresets[spec.preset].space);
}

function fail(field: string, message: string, value: unknown): never {
  throw new Error(`sweep spec: ${field} ${message}; got ${JSON.stringify(value)}`);
}

function checkInteger(field: string, value: unknown, min: number): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) fail(field, `must be an integer >= ${min}`, value);
}

/** Throws an error naming the field, the value and what is allowed; returns the spec typed. */
export function validateSweepSpec(spec: unknown): SweepSpec {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) fail("spec", "must be an object", spec);
  const s = spec as Record<string, unknown>;
  // An unknown field is most likely a typo that would silently change nothing but the hash.
  for (const key of Object.keys(s)) if (!(fields as readonly string[]).includes(key)) fail(key, `is not a sweep spec field (fields: ${fields.join(", ")})`, s[key]);
  if (typeof s.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(s.name)) fail("name", "must be 1-64 letters, digits, '.', '_' or '-' (it names a folder)", s.name);
  if (typeof s.preset !== "string") fail("preset", "must be a preset name", s.preset);
  const preset = parsePreset(s.preset, "sweep spec: preset");
  if (s.task !== undefined && s.task !== "masked-lm") fail("task", 'must be "masked-lm" or absent (translation)', s.task);
  const space = sweepSpace({ preset, task: s.task as SweepSpec["task"] });
  if (!Array.isArray(s.archs) || s.archs.length === 0) fail("archs", "must be a non-empty array of arch keys", s.archs);
  const seen = new Set<string>();
  s.archs.forEach((key: unknown, i: number) => {
    if (typeof key !== "string") fail(`archs[${i}]`, "must be an arch key string", key);
    try {
      archFromKey(key, space);
    } catch (err) {
      throw new Error(`sweep spec: archs[${i}] = ${JSON.stringify(key)} is not an arch of space ${space.name}: ${(err as Error).message}`);
    }
    if (seen.has(key)) fail(`archs[${i}]`, "repeats an earlier arch", key);
    seen.add(key);
  });
  checkInteger("updates", s.updates, 1);
  if (!Array.isArray(s.seeds) || s.seeds.length === 0) fail("seeds", "must be a non-empty array of integers", s.seeds);
  s.seeds.forEach((seed: unknown, i: number) => checkInteger(`seeds[${i}]`, seed, 0));
  if (new Set(s.seeds).size !== s.seeds.length) fail("seeds", "must not repeat a seed", s.seeds);
  if (typeof s.bleu !== "boolean") fail("bleu", "must be true or false", s.bleu);
  if (s.task === "masked-lm" && s.bleu) fail("bleu", "must be false for a masked-LM sweep (BLEU scores translations)", s.bleu);
  checkInteger("dataSeed", s.dataSeed, 0);
  return s as unknown as SweepSpec;
}
