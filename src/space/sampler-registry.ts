/**
 * A registry of arch samplers by name, so that a config (saved with every result) can name its
 * sampling rule as a string and other modules can add rules — MAGIC-T (Xu et al., ICML 2022)
 * registers "magic-t" — without this folder knowing about them.
 */
import { fixedSampler, sandwichSampler, uniformSampler, type ArchSampler } from "./samplers";
import type { Arch, SearchSpace } from "./types";

/** Options passed to a sampler factory; each factory reads the fields it knows. */
export interface SamplerOptions {
  /** sandwich: random archs per update after the largest and the smallest. */
  readonly numRandom?: number;
  /** fixed: the archs trained at every update. */
  readonly archs?: readonly Arch[];
  /** Options of samplers registered elsewhere. */
  readonly [option: string]: unknown;
}

/** Builds a sampler for a space from options. */
export type SamplerFactory = (space: SearchSpace, options: SamplerOptions) => ArchSampler;

const factories = new Map<string, SamplerFactory>([
  ["uniform", (space) => uniformSampler(space)],
  ["sandwich", (space, options) => sandwichSampler(space, { numRandom: options.numRandom })],
  [
    "fixed",
    (space, options) => {
      if (!options.archs) throw new Error('makeSampler("fixed"): options.archs is required');
      return fixedSampler(options.archs, space);
    },
  ],
]);

/**
 * Add a sampler under a name. Re-registering a name throws unless `replace` is set, so two
 * modules cannot silently shadow each other (a notebook re-running its cell passes replace).
 */
export function registerSampler(name: string, factory: SamplerFactory, options: { replace?: boolean } = {}): void {
  if (factories.has(name) && !options.replace) {
    throw new Error(`registerSampler: "${name}" is already registered; pass { replace: true } to replace it`);
  }
  factories.set(name, factory);
}

/** The registered sampler names. */
export function samplerNames(): string[] {
  return [...factories.keys()];
}

/** Build the sampler registered under `name`; an unknown name throws listing the known ones. */
export function makeSampler(name: string, space: SearchSpace, options: SamplerOptions = {}): ArchSampler {
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown sampler "${name}"; known: ${samplerNames().join(", ")}`);
  return factory(space, options);
}
