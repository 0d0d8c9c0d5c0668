/**
 * Arch samplers: which subnets a supernet update trains. HAT (Wang et al., ACL 2020) trains one
 * uniform random subnet per update; Mixture-of-Supernets (Jawahar et al., 2023) uses the
 * sandwich rule {largest, smallest, random}; a fixed list trains chosen subnets (e.g. a
 * standalone baseline). A sampler is a plain object; any state it keeps (MAGIC-T keeps the
 * previous child) lives in its closure, and all randomness comes from the rng passed in.
 */
import { largestArch, smallestArch } from "./named-archs";
import { sampleArch } from "./sample-arch";
import type { Arch, SearchSpace } from "./types";
import { validateArch } from "./validate-arch";
import type { Rng } from "../util/rng";

/** Picks the archs of each supernet update. */
export interface ArchSampler {
  /** Registry name, saved with results. */
  readonly name: string;
  /** The archs of one update (their gradients are accumulated before one optimizer step). */
  next(rng: Rng): Arch[];
}

/** One uniform random arch per update (HAT). */
export function uniformSampler(space: SearchSpace): ArchSampler {
  return { name: "uniform", next: (rng) => [sampleArch(space, rng)] };
}

/** Options of the sandwich sampler. */
export interface SandwichOptions {
  /** Random archs per update, after the largest and the smallest (MoS: 1). */
  readonly numRandom?: number;
}

/** Defaults of the sandwich sampler. */
export const sandwichDefaults: Readonly<Required<SandwichOptions>> = Object.freeze({ numRandom: 1 });

/** [largest, smallest, ...numRandom uniform random archs] per update (the sandwich rule). */
export function sandwichSampler(space: SearchSpace, options: SandwichOptions = {}): ArchSampler {
  // `??` rather than a spread, so that an explicit `numRandom: undefined` still gets the default.
  const numRandom = options.numRandom ?? sandwichDefaults.numRandom;
  if (!Number.isInteger(numRandom) || numRandom < 0) {
    throw new Error(`sandwichSampler: numRandom = ${numRandom} must be a non-negative integer`);
  }
  const largest = largestArch(space);
  const smallest = smallestArch(space);
  return {
    name: "sandwich",
    next: (rng) => [largest, smallest, ...Array.from({ length: numRandom }, () => sampleArch(space, rng))],
  };
}

/** The same archs at every update (validated against the space when one is given). */
export function fixedSampler(archs: readonly Arch[], space?: SearchSpace): ArchSampler {
  if (archs.length === 0) throw new Error("fixedSampler: archs is empty; give at least one arch");
  if (space) archs.forEach((a) => validateArch(space, a));
  const list = archs.slice();
  return { name: "fixed", next: () => list.slice() };
}

