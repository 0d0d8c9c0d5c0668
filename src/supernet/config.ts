/**
 * Configuration of a HAT-style SuperTransformer (Wang et al., ACL 2020): the search space whose
 * largest arch sets the size of every shared weight, the vocabulary, and regularisation.
 * Plain typed data, validated once at the edge by `validateSupernetConfig`.
 */
import { MoeOptions, makeMoeOptions } from "../moe/config";
import { isMoeSpace } from "../space/schema";
import type { SearchSpace } from "../space/types";
import { validateSpace } from "../space/validate-space";

/** Configuration of a supernet. */
export interface SupernetConfig {
  /** The search space; the max of each dimension sizes the shared weights. */
  readonly space: SearchSpace;
  /** Size of the joint source/target vocabulary (one shared embedding table). */
  readonly vocabSize: number;
  /** Dropout on embeddings and residual branches at the largest width; HAT scales it with width. */
  readonly dropout: number;
  /** Dropout on attention probabilities. */
  readonly attentionDropout: number;
  /** Dropout after the FFN activation. */
  readonly activationDropout: number;
  /** Token routing of mixture-of-experts layers: present exactly when the space has AutoMoE's dimensions. */
  readonly moe?: MoeOptions;
}

/** Defaults for everything but the space and vocabulary. */
export const supernetDefaults = Object.freeze({ dropout: 0.1, attentionDropout: 0, activationDropout: 0 });

/** Builds a config from the space, vocabulary and overrides, validating every field. */
export function makeSupernetConfig(space: SearchSpace, vocabSize: number, overrides: Partial<Omit<SupernetConfig, "space" | "vocabSize" | "moe">> & { moe?: Partial<MoeOptions> } = {}): SupernetConfig {
  const { moe, ...rest } = overrides;
  if (moe !== undefined && !isMoeSpace(space)) throw new Error(`supernet config: moe options were given, but space "${space.name}" has no mixture-of-experts dimensions`);
  const config: SupernetConfig = { space, vocabSize, ...supernetDefaults, ...rest, ...(isMoeSpace(space) ? { moe: makeMoeOptions(moe) } : {}) };
  validateSupernetConfig(config);
  return config;
}

/** Throws an error naming the field and the allowed range for an invalid config. */
export function validateSupernetConfig(config: SupernetConfig): void {
  validateSpace(config.space);
  if (!Number.isInteger(config.vocabSize) || config.vocabSize < 8) {
    throw new Error(`supernet config: vocabSize must be an integer >= 8; got ${config.vocabSize}`);
  }
  if (isMoeSpace(config.space) !== (config.moe !== undefined)) {
    throw new Error(`supernet config: moe must be set exactly when the space has mixture-of-experts dimensions (space "${config.space.name}")`);
  }
  if (config.moe) makeMoeOptions(config.moe);
  for (const key of ["dropout", "attentionDropout", "activationDropout"] as const) {
    const v = config[key];
    if (!(v >= 0 && v < 1)) throw new Error(`supernet config: ${key} must be in [0, 1); got ${v}`);
  }
}

/** Width of the shared embedding table: the widest encoder or decoder embedding (the encoder's alone in BERT). */
export function maxEmbedDim(space: SearchSpace): number {
  return Math.max(...space.encoder.embedDim, ...(space.decoder?.embedDim ?? []));
}
