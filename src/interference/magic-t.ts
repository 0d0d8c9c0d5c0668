/**
 * MAGIC-T (Xu et al., ICML 2022): gradual modification sampling. Consecutive children differ
 * in exactly one gene, so consecutive updates pull shared operators in similar directions (low
 * interference, by Observation 1). The soft variant resamples each layer's genes with a
 * per-layer probability instead, a random walk with longer steps. Both keep the previous child
 * as their state; `reset` starts the walk again from a uniformly sampled child.
 */
import { registerSampler, samplerNames } from "../space/sampler-registry";
import { resampleOneGene } from "../space/resample-one-gene";
import { sampleArch } from "../space/sample-arch";
import { decodeArch, encodeArch, geneSpecs } from "../space/genes";
import type { ArchSampler } from "../space/samplers";
import type { Arch, SearchSpace } from "../space/types";
import type { Rng } from "../util/rng";

/** A sampler whose next child depends on the previous one. */
export interface WalkSampler extends ArchSampler {
  /** The current child (null before the first update). */
  readonly current: () => Arch | null;
  /** Starts over from a fresh uniform child at the next update. */
  readonly reset: () => void;
}

/** MAGIC-T: the next child is the previous one with exactly one active gene resampled. */
export function magicTSampler(space: SearchSpace): WalkSampler {
  let previous: Arch | null = null;
  return {
    name: "magic-t",
    next(rng: Rng): Arch[] {
      previous = previous === null ? sampleArch(space, rng) : resampleOneGene(space, previous, rng);
      return [previous];
    },
    current: () => previous,
    reset: () => (previous = null),
  };
}

/** Soft MAGIC-T: each gene of a layer (and each scalar gene) is resampled with probability `layerProb`. */
export function randomWalkSampler(space: SearchSpace, options: { layerProb: number }): WalkSampler {
  if (!(options.layerProb > 0 && options.layerProb <= 1)) throw new Error(`randomWalkSampler: layerProb must be in (0, 1]; got ${options.layerProb}`);
  let previous: Arch | null = null;
  const specs = geneSpecs(space);
  return {
    name: "magic-t-walk",
    next(rng: Rng): Arch[] {
      if (previous === null) {
        previous = sampleArch(space, rng);
        return [previous];
      }
      const genes = encodeArch(space, previous);
      // One coin per layer (and per scalar gene), shared by all genes of that layer.
      const coins = new Map<string, boolean>();
      specs.forEach((spec, i) => {
        const unit = spec.layer === undefined ? spec.key : `${spec.part}.${spec.layer}`;
        if (!coins.has(unit)) coins.set(unit, rng.bernoulli(options.layerProb));
        if (coins.get(unit)) genes[i] = rng.int(spec.choices.length);
      });
      previous = decodeArch(space, genes);
      return [previous];
    },
    current: () => previous,
    reset: () => (previous = null),
  };
}

/** Registers "magic-t" and "magic-t-walk" (option layerProb, default 0.2) in the sampler registry. */
export function registerMagicSamplers(): void {
  if (!samplerNames().includes("magic-t")) registerSampler("magic-t", (space) => magicTSampler(space));
  if (!samplerNames().includes("magic-t-walk")) {
    registerSampler("magic-t-walk", (space, options) => randomWalkSampler(space, { layerProb: typeof options.layerProb === "number" ? options.layerProb : 0.2 }));
  }
}

registerMagicSamplers();
